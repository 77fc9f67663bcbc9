// Journeys in a real browser with JavaScript off, at a cheap phone's size
// and a desktop's: register and sign in, ask in a board and reply, switch to
// Sorani and stay on the page, the job board from an employer's vacancy to
// a returnee's application, keyboard alone, and a mixed Sorani-English post.
// Every page visited passes lib.mjs's checks (direction, no sideways scroll
// on the phone, labelled fields, at most 30 KB on the wire); the main pages
// are photographed in English and Sorani into var/screenshots/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
	CSS_LIMIT, SHOTS, SIZES, go, launch, makeUser, register, settle, shot,
	signIn, signOut, switchLang, unique, visitor, weights,
} from './lib.mjs';

let browser;
let moderator;

before(async () => {
	browser = await launch();
	moderator = makeUser('moderator');
});

after(async () => {
	await browser?.close();
	const rows = [...weights].sort((a, b) => b[1] - a[1]);
	fs.mkdirSync(SHOTS, { recursive: true });
	fs.writeFileSync(path.join(SHOTS, 'weights.tsv'),
	    rows.map(([p, b]) => `${b}\t${p}`).join('\n') + '\n');
	const top = rows.slice(0, 5).map(([p, b]) => `${p} ${b} B`).join(', ');
	console.log(`# page weights (gzip, on the wire): heaviest ${top}`);
});

const DEADLINE = new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 10);
// Sorani first, with an English company name and a phone number inside.
const MIXED = 'سڵاو، من لە کۆمپانیای Zagros Steel Works کار دەکەم، ژمارەکەم 0750 123 4567 ە.';

for (const size of SIZES) {
	describe(`${size.name} ${size.width}x${size.height}`, () => {
		// What the earlier journeys made, for the later ones.
		const made = {};

		test('a returnee registers, signs out and signs in again', async () => {
			const page = await visitor(browser, size);
			try {
				await go(page, '/');
				await shot(page, 'home');
				await go(page, '/register');
				await shot(page, 'register');
				const me = await register(page, 'returnee');
				assert.ok(await page.getByText(me.name).count() > 0,
				    'the header does not name the new account');
				await signOut(page);
				await go(page, '/login');
				await shot(page, 'login');
				await signIn(page, me);
				made.returnee = me;
			} finally {
				await page.context().close();
			}
		});

		test('asks in the Duhok board, and another returnee replies', async () => {
			const page = await visitor(browser, size);
			try {
				await register(page, 'returnee');
				await go(page, '/b/duhok');
				await page.getByRole('link', { name: 'Start a new thread' }).click();
				await settle(page);
				await shot(page, 'new-thread');
				const title = 'Renting near Duhok university ' + unique('t');
				await page.getByLabel('Title').fill(title);
				await page.getByLabel('Message').fill('Where can I rent a flat near the university? I come back from Germany in May.');
				await page.getByRole('button', { name: 'Post', exact: true }).click();
				await settle(page);
				assert.match(new URL(page.url()).pathname, /^\/t\/\d+$/);
				await assert.doesNotReject(page.getByRole('heading', { name: title }).waitFor());
				made.thread = new URL(page.url()).pathname;
			} finally {
				await page.context().close();
			}
			const other = await visitor(browser, size);
			try {
				await register(other, 'returnee');
				await go(other, made.thread);
				await other.getByLabel('Your reply').fill('Try the notice boards in Masike; rents start at 300,000 IQD.');
				await other.getByRole('button', { name: 'Post reply' }).click();
				await settle(other);
				assert.equal(await other.locator('article.post').count(), 2);
				await assert.doesNotReject(other.getByText('rents start at 300,000 IQD').waitFor());
				await shot(other, 'thread');
			} finally {
				await other.context().close();
			}
		});

		test('the language buttons switch to Sorani on the same page, mirrored', async () => {
			const page = await visitor(browser, size);
			try {
				await go(page, '/b/erbil');
				await switchLang(page, 'ckb');
				const html = page.locator('html');
				assert.equal(await html.getAttribute('lang'), 'ckb');
				assert.equal(await html.getAttribute('dir'), 'rtl');
				// The first link of the main bar sits at the right edge.
				const nav = await page.locator('nav.bar').boundingBox();
				const links = page.locator('nav.bar > a');
				const first = await links.nth(0).boundingBox();
				const second = await links.nth(1).boundingBox();
				assert.ok(nav.x + nav.width - (first.x + first.width) <= 20,
				    `first link ends at ${first.x + first.width}, the bar at ${nav.x + nav.width}`);
				assert.ok(first.y < second.y + 2 ? first.x > second.x : true,
				    'the second link is not to the left of the first');
				// Text starts at the right: the heading's box hugs the right.
				const h1 = await page.locator('main h1').boundingBox();
				const main = await page.locator('main').boundingBox();
				assert.ok(main.x + main.width - (h1.x + h1.width) <= 20,
				    'the heading is not at the right');
				// The choice sticks: the next page is Sorani too.
				await go(page, '/jobs');
				await go(page, '/register');
				// Labels stand at the right, above their fields.
				const label = await page.locator('label[for=username]').boundingBox();
				const input = await page.locator('#username').boundingBox();
				assert.ok(Math.abs((label.x + label.width) - (input.x + input.width)) <= 2,
				    'the label is not aligned with its field at the right');
				// The other right-to-left languages, on the same page.
				await switchLang(page, 'kmr-Arab');
				await switchLang(page, 'ar');
				await switchLang(page, 'en');
			} finally {
				await page.context().close();
			}
		});

		test('an employer posts a vacancy, a counsellor approves it, a returnee applies', async () => {
			const emp = await visitor(browser, size);
			const title = 'Welder for school buildings ' + unique('v');
			let vacancy;
			try {
				await register(emp, 'employer', 'Zagros Steel Works ' + unique('z'));
				await go(emp, '/jobs/new');
				await shot(emp, 'vacancy-form');
				await emp.getByLabel('Title').fill(title);
				await emp.getByLabel('Description').fill('Weld **steel frames** for two schools in Duhok.\n\n- two years of experience\n- a German or Iraqi certificate');
				await emp.getByLabel('Governorate').selectOption('duhok');
				await emp.getByLabel('City or town').fill('Zakho');
				await emp.getByLabel('Sector').selectOption('construction');
				await emp.getByLabel('Contract').selectOption('full_time');
				await emp.getByLabel('Kurdish (Bahdini)').check();
				await emp.getByLabel('German').check();
				await emp.getByLabel('Skills wanted').fill('welding, reading drawings');
				await emp.getByLabel('From').fill('900000');
				await emp.getByLabel('Deadline for applications').fill(DEADLINE);
				await emp.getByRole('button', { name: 'Send for review' }).click();
				await settle(emp);
				vacancy = new URL(emp.url()).pathname;
				assert.match(vacancy, /^\/jobs\/\d+$/);
			} finally {
				await emp.context().close();
			}
			const mod = await visitor(browser, size);
			try {
				await signIn(mod, moderator);
				await go(mod, '/mod/jobs');
				const id = vacancy.split('/')[2];
				await mod.locator(`#v${id}`).getByRole('button', { name: 'Approve' }).click();
				await settle(mod);
			} finally {
				await mod.context().close();
			}
			const page = await visitor(browser, size);
			try {
				await go(page, '/jobs');
				await shot(page, 'jobs');
				await page.getByRole('link', { name: title }).click();
				await settle(page);
				assert.equal(new URL(page.url()).pathname, vacancy);
				await shot(page, 'vacancy');
				made.vacancy = vacancy;
				await register(page, 'returnee');
				await go(page, vacancy);
				await page.getByLabel('Your message to the employer').fill('I welded steel frames in Stuttgart for six years.');
				await page.getByRole('button', { name: 'Send application' }).click();
				await settle(page);
				assert.equal(new URL(page.url()).pathname, '/applications');
				await assert.doesNotReject(page.getByRole('link', { name: title }).first().waitFor());
				await shot(page, 'applications');
			} finally {
				await page.context().close();
			}
		});

		test('keyboard alone signs in and posts, and the focus is always visible', async () => {
			assert.ok(made.returnee, 'needs the account of the first journey');
			const page = await visitor(browser, size);
			try {
				await go(page, '/login');
				// Tab from the top of the page to the username field; every
				// link and button on the way shows where the focus is.
				const seen = await tabTo(page, (e) => e.id === 'username', 40);
				assert.ok(seen.some((e) => e.tag === 'a'), 'no link was focused on the way');
				assert.ok(seen.some((e) => e.tag === 'button'), 'no button was focused on the way');
				await page.keyboard.type(made.returnee.name);
				await page.keyboard.press('Tab');
				await page.keyboard.type(made.returnee.password);
				await pressAndLoad(page, 'Enter');
				assert.equal(await page.locator('form[action="/logout"]').count(), 1, 'Enter did not sign in');
				// Reach the Halabja board, then its "Start a new thread".
				await tabTo(page, (e) => e.href === '/b/halabja', 60);
				await pressAndLoad(page, 'Enter');
				assert.equal(new URL(page.url()).pathname, '/b/halabja');
				await tabTo(page, (e) => e.href === '/b/halabja/new', 40);
				await pressAndLoad(page, 'Enter');
				await tabTo(page, (e) => e.id === 'title', 40);
				const title = 'Keyboard question ' + unique('k');
				await page.keyboard.type(title);
				await page.keyboard.press('Tab');
				await page.keyboard.type('Is there a Halabja office for returnees?');
				await tabTo(page, (e) => e.tag === 'button' && e.text === 'Post', 5);
				await pressAndLoad(page, 'Enter');
				assert.match(new URL(page.url()).pathname, /^\/t\/\d+$/);
				await assert.doesNotReject(page.getByRole('heading', { name: title }).waitFor());
			} finally {
				await page.context().close();
			}
		});

		test('a Sorani post with an English name and a phone number reads right to left', async () => {
			const page = await visitor(browser, size);
			try {
				await register(page, 'returnee');
				await go(page, '/b/sulaymaniyah/new');
				await page.getByLabel('Title').fill('کار لە سلێمانی ' + unique('m'));
				await page.getByLabel('Message').fill(MIXED);
				await page.getByRole('button', { name: 'Post', exact: true }).click();
				await settle(page);
				const body = page.locator('article.post .body').first();
				assert.equal(await body.getAttribute('dir'), 'auto');
				assert.equal(await body.evaluate((e) => getComputedStyle(e).direction), 'rtl');
				// On screen: the Sorani words run from the right, the English
				// name keeps its own order, the phone number is not reversed.
				const pos = await body.evaluate((e) => {
					// The text node that holds s (the number sits in a <bdi>).
					const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
					const nodes = [];
					while (walker.nextNode())
						nodes.push(walker.currentNode);
					const box = (s) => {
						const node = nodes.find((t) => t.data.includes(s));
						const i = node.data.indexOf(s);
						const r = document.createRange();
						r.setStart(node, i); r.setEnd(node, i + s.length);
						const b = r.getClientRects()[0];
						return { x: b.left, right: b.right, y: Math.round(b.top) };
					};
					return { greet: box('سڵاو'), company: box('کۆمپانیای'),
						zagros: box('Zagros'), works: box('Works'),
						d0750: box('0750'), d4567: box('4567'),
						right: e.getBoundingClientRect().right };
				});
				assert.ok(pos.right - pos.greet.right <= 2, 'the first Sorani word is not at the right edge');
				assert.ok(pos.company.right < pos.greet.x, 'Sorani words do not run right to left');
				if (pos.zagros.y === pos.works.y)
					assert.ok(pos.zagros.right < pos.works.x, 'the English name is reversed');
				if (pos.zagros.y === pos.company.y)
					assert.ok(pos.zagros.right < pos.company.x, 'the English name is not after (left of) the Sorani before it');
				assert.equal(pos.d0750.y, pos.d4567.y, 'the phone number is broken across lines');
				assert.ok(pos.d0750.right < pos.d4567.x, 'the phone number is reversed');
				await switchLang(page, 'ckb');
				await shot(page, 'mixed-post');
			} finally {
				await page.context().close();
			}
		});

		test('the main pages in English and Sorani: checked and photographed', async () => {
			const pages = [['home', '/'], ['register', '/register'],
				['login', '/login'], ['board', '/b/duhok'], ['jobs', '/jobs'],
				['guides', '/guides'], ['events', '/events'],
				['search', '/search']];
			if (made.thread)
				pages.push(['thread', made.thread]);
			if (made.vacancy)
				pages.push(['vacancy', made.vacancy]);
			const page = await visitor(browser, size);
			try {
				for (const lang of ['en', 'ckb']) {
					await go(page, '/');
					if (lang !== 'en')
						await switchLang(page, lang);
					for (const [name, p] of pages) {
						await go(page, p);
						await shot(page, name);
						if (lang !== 'en')
							await noEnglishLeft(page);
					}
				}
				// A page that does not exist, and a form sent back with a
				// problem: in Sorani, the user's text kept, the problem
				// named next to its field.
				await go(page, '/no/such/page', { status: 404 });
				await shot(page, 'not-found');
				await go(page, '/register');
				await page.locator('#username').fill('کاوە_' + unique('x'));
				await page.locator('#password').fill('short');
				// The browser's own check would stop a too-short password.
				await page.locator('form.form').evaluate((f) => { f.noValidate = true; });
				await page.locator('form.form button[type=submit]').click();
				await settle(page, { status: [400, 422] });
				assert.match(await page.locator('#username').inputValue(), /^کاوە_/);
				assert.equal(await page.locator('#password').getAttribute('aria-invalid'), 'true');
				assert.match(await page.locator('#password').getAttribute('aria-describedby'), /\bpassword-err\b/);
				assert.ok(await page.locator('#password-err').isVisible(), 'the problem is not shown');
				await shot(page, 'register-problem');
				// Signed in, in Sorani: the forms a returnee fills in.
				if (made.returnee) {
					await switchLang(page, 'en');
					await signIn(page, made.returnee);
					await switchLang(page, 'ckb');
					for (const [name, p] of [['new-thread', '/b/duhok/new'],
						['profile', '/profile'], ['account', '/account'],
						['messages', '/messages']]) {
						await go(page, p);
						await shot(page, name);
					}
				}
			} finally {
				await page.context().close();
			}
		});
	});
}

test('the stylesheet: content-hashed, cached for a year, at most 15 KB gzipped', async () => {
	const page = await visitor(browser, SIZES[0]);
	try {
		const css = [];
		page.on('response', (r) => {
			if (r.request().resourceType() === 'stylesheet')
				css.push(r);
		});
		await go(page, '/');
		await page.waitForLoadState('load');
		assert.equal(css.length, 1, 'one stylesheet');
		const r = css[0];
		assert.match(new URL(r.url()).pathname, /^\/static\/magnet-[0-9a-f]{8,}\.css$/);
		const h = await r.allHeaders();
		assert.match(h['cache-control'] || '', /max-age=31536000/);
		assert.equal(h['content-encoding'], 'gzip');
		const sizes = await r.request().sizes();
		assert.ok(sizes.responseBodySize <= CSS_LIMIT,
		    `stylesheet: ${sizes.responseBodySize} bytes on the wire`);
		const raw = (await r.body()).length;
		console.log(`# stylesheet ${sizes.responseBodySize} B gzipped, ${raw} B raw`);
	} finally {
		await page.context().close();
	}
});

// In a translated page the interface itself (the bar, headings outside
// user text, labels, buttons) has no Latin letters left.
async function noEnglishLeft(page) {
	const left = await page.evaluate(() => {
		const user = (e) => e.closest('[dir=auto], bdi, .body, .pre, option');
		const items = [...document.querySelectorAll(
		    'nav.bar > a:not([href="/account"]), main h1, main h2, label, legend, button')]
		    .filter((e) => !user(e) && !e.closest('form.langs'));
		const own = (e) => {
			const c = e.cloneNode(true);
			c.querySelectorAll('[dir=auto], bdi, .body, .pre, time, code')
			    .forEach((u) => u.remove());
			return c.textContent.trim();
		};
		return items.map(own)
		    .filter((t) => /[A-Za-z]{2,}/.test(t));
	});
	assert.deepEqual(left, [], new URL(page.url()).pathname + ': English left over');
}

// Press a key that leaves the page (Enter on a link or in a form), and
// check the page it leads to.
async function pressAndLoad(page, key) {
	await Promise.all([
		page.waitForNavigation({ waitUntil: 'load', timeout: 15000 }),
		page.keyboard.press(key),
	]);
	await settle(page);
}

// Press Tab until the focused element matches, at most `limit` times.
// Every focused link and button must show a visible outline.
async function tabTo(page, match, limit) {
	const seen = [];
	for (let i = 0; i < limit; i++) {
		await page.keyboard.press('Tab');
		const e = await page.evaluate(() => {
			const a = document.activeElement;
			const s = getComputedStyle(a);
			return {
				tag: a.tagName.toLowerCase(), id: a.id,
				href: a.getAttribute('href'), text: a.textContent.trim(),
				outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
				focusVisible: a.matches(':focus-visible'),
			};
		});
		seen.push(e);
		if (e.tag === 'a' || e.tag === 'button')
			assert.ok(e.outline && e.focusVisible,
			    `focus not visible on <${e.tag}> ${e.href || e.text}`);
		if (match(e))
			return seen;
	}
	assert.fail(`not reached in ${limit} presses of Tab`);
}
