// The journeys of each role in a real browser with JavaScript off, in
// English and in Sorani, at a cheap phone's size and a desktop's:
//
//   an employer registers and posts a vacancy;
//   a returnee registers, signs out and in, asks in the Duhok board (the
//     first post of a new account waits for a counsellor);
//   a counsellor approves the vacancy and the held post;
//   the returnee applies; a second returnee replies in the thread;
//   the counsellor suspends the second returnee, who then cannot post;
//   a returnee does it all with the keyboard alone, the focus always visible.
//
// Then, per size: the language links and the mirrored layout, a mixed
// Sorani-English post, and the other main pages in English and Sorani.
// Every page visited passes lib.mjs's checks (direction, no sideways scroll,
// labelled fields, no English left in Sorani, axe-core, tidy, at most 30 KB
// with gzip) and is photographed into var/screenshots/<lang>-<size>/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
	BASE, CSS_LIMIT, tidyProblems, LANGS, SHOTS, SIZES, arrive, go, launch, makeUser,
	register, settle, signIn, signOut, spent, stats, switchLang, unique,
	visitor, weights,
} from './lib.mjs';

let browser;
const started = Date.now();

before(async () => {
	browser = await launch();
	// Hold a new account's first post for a counsellor, as the product
	// ships it (tests/run.sh turned it off for the other suites): the
	// admin's settings page.  Each server re-reads settings at most every
	// 5 seconds, so wait that long once.
	const admin = makeUser('admin');
	const page = await visitor(browser, SIZES[1]);
	try {
		await signIn(page, admin);
		await go(page, '/admin');
		await page.locator('#new_user_holds').fill('1');
		await page.locator('form[action="/admin/settings"] button[type=submit]').click();
		await settle(page);
		assert.equal(await page.locator('#new_user_holds').inputValue(), '1');
	} finally {
		await page.context().close();
	}
	await new Promise((r) => setTimeout(r, 5500));
});

after(async () => {
	await browser?.close();
	const rows = [...weights].sort((a, b) => b[1] - a[1]);
	fs.mkdirSync(SHOTS, { recursive: true });
	fs.writeFileSync(path.join(SHOTS, 'weights.tsv'),
	    rows.map(([p, b]) => `${b}\t${p}`).join('\n') + '\n');
	for (const [key, s] of [...stats].sort()) {
		const minor = [...s.minor].map(([k, n]) => `${k} ×${n}`).join(', ');
		console.log(`# ${key}: ${s.pages} pages checked (axe serious/critical 0, ` +
		    `tidy 0); heaviest ${s.heaviest[0]} ${s.heaviest[1]} B` +
		    (minor ? `; axe minor/moderate: ${minor}` : ''));
	}
	console.log(`# journeys file: ${Math.round((Date.now() - started) / 1000)} s; checks: ` +
	    [...spent].map(([k, ms]) => `${k} ${Math.round(ms / 1000)} s`).join(', '));
});

const DEADLINE = new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 10);
const UNTIL = new Date(Date.now() + 7 * 86400e3).toISOString().slice(0, 10);
// Sorani first, with an English company name and a phone number inside.
const MIXED = 'سڵاو، من لە کۆمپانیای Zagros Steel Works کار دەکەم، ژمارەکەم 0750 123 4567 ە.';

const TEXT = {
	en: {
		ask: 'Renting near Duhok university',
		askBody: 'Where can I rent a flat near the university? I come back from Germany in May.',
		reply: 'Try the notice boards in Masike; rents start at 300,000 IQD.',
		vacancy: 'Welder for school buildings',
		apply: 'I welded steel frames in Stuttgart for six years.',
		reason: 'Spam in the Duhok board.',
	},
	ckb: {
		ask: 'کرێی خانوو لە نزیک زانکۆی دهۆک',
		askBody: 'لە کوێ دەتوانم شوقەیەک لە نزیک زانکۆ بەکرێ بگرم؟ لە مانگی ئایاردا لە ئەڵمانیاوە دەگەڕێمەوە.',
		reply: 'سەیری تەختەی ڕاگەیاندنەکانی ماسیکێ بکە؛ کرێ لە ٣٠٠٬٠٠٠ دینارەوە دەست پێدەکات.',
		vacancy: 'وەستای لەحیمکاری بۆ بینای قوتابخانە',
		apply: 'شەش ساڵ لە شتوتگارت چوارچێوەی ئاسنم لەحیم کردووە.',
		reason: 'ڕیکلامی بێزارکەر لە بۆردی دهۆک.',
	},
};

const pathOf = (page) => new URL(page.url()).pathname;

for (const lang of LANGS) {
	for (const size of SIZES) {
		describe(`${lang} ${size.name} ${size.width}x${size.height}`, () => {
			const T = TEXT[lang];
			// What the earlier journeys made, for the later ones.
			const made = {};
			const open = [];
			let moderator;

			before(() => {
				moderator = makeUser('moderator');
			});
			after(async () => {
				for (const p of open)
					await p.context().close().catch(() => {});
			});

			test('an employer registers and posts a vacancy', async () => {
				const page = await arrive(browser, size, lang);
				try {
					await register(page, 'employer', 'Zagros Steel Works ' + unique('z'));
					await go(page, '/employer');
					await page.locator('main a[href="/jobs/new"]').first().click();
					await settle(page);
					made.title = T.vacancy + ' ' + unique('v');
					await page.locator('#title').fill(made.title);
					await page.locator('#description').fill('Weld **steel frames** for two schools in Duhok.\n\n- two years of experience\n- a German or Iraqi certificate');
					await page.locator('#governorate').selectOption('duhok');
					await page.locator('#city').fill('Zakho');
					await page.locator('#sector').selectOption('construction');
					await page.locator('#contract').selectOption('full_time');
					await page.locator('input[name=l_ckb]').check();
					await page.locator('input[name=l_de]').check();
					await page.locator('#skills').fill('welding, reading drawings');
					await page.locator('#salary_min').fill('900000');
					await page.locator('#deadline').fill(DEADLINE);
					await page.locator('button[name=action][value=preview]').click();
					await settle(page, { name: 'jobs-new-preview' });
					await page.locator('button[name=action][value=submit]').click();
					await settle(page);
					made.vacancy = pathOf(page);
					assert.match(made.vacancy, /^\/jobs\/\d+$/);
					await go(page, '/employer');
					assert.ok(await page.locator(`a[href="${made.vacancy}"]`).count() > 0,
					    'the dashboard does not list the new vacancy');
				} finally {
					await page.context().close();
				}
			});

			test('a returnee registers, signs out and in, and asks in the Duhok board', async () => {
				const page = await arrive(browser, size, lang);
				try {
					await go(page, '/register');
					const me = await register(page, 'returnee');
					assert.ok(await page.getByText(me.name).count() > 0,
					    'the header does not name the new account');
					await signOut(page);
					await signIn(page, me);
					made.returnee = me;
					await go(page, '/');
					await page.locator('main a[href="/b/duhok"]').first().click();
					await settle(page);
					assert.equal(pathOf(page), '/b/duhok');
					await page.locator('main a[href="/b/duhok/new"]').first().click();
					await settle(page);
					made.ask = T.ask + ' ' + unique('t');
					await page.locator('#title').fill(made.ask);
					await page.locator('#body').fill(T.askBody);
					await page.locator('form.form button[type=submit]:not([name])').click();
					await settle(page);
					assert.match(pathOf(page), /^\/t\/\d+$/);
					made.thread = pathOf(page);
					await assert.doesNotReject(page.getByRole('heading', { name: made.ask }).waitFor());
					// Held: only the author and the counsellors see it.
					assert.equal(await page.locator('article.post.held .notice').count(), 1,
					    'the first post of a new account is not awaiting approval');
				} finally {
					await page.context().close();
				}
			});

			test('a counsellor approves the vacancy and the held post', async () => {
				assert.ok(made.vacancy && made.thread, 'needs the vacancy and the question');
				const page = await visitor(browser, size);
				open.push(page);
				await signIn(page, moderator);
				if (lang !== 'en')
					await switchLang(page, lang);
				made.modPage = page;
				await go(page, '/mod');
				const tid = made.thread.split('/')[2];
				const held = page.locator('li.item')
				    .filter({ has: page.locator(`a[href="/t/${tid}"]`) })
				    .filter({ hasText: made.returnee.name });
				assert.equal(await held.count(), 1, 'the held question is not in the queue');
				await held.locator('form[action$="/approve"] button').click();
				await settle(page);
				const id = made.vacancy.split('/')[2];
				await go(page, '/mod/jobs');
				await page.locator(`#v${id} form[action="/mod/jobs/${id}/approve"] button`).click();
				await settle(page);
				// Both are public now.
				for (const p of [made.thread, made.vacancy]) {
					const r = await fetch(BASE + p);
					assert.equal(r.status, 200, p + ' is not public after approval');
				}
			});

			test('the returnee applies to the vacancy', async () => {
				assert.ok(made.returnee && made.title, 'needs the returnee and the vacancy');
				const page = await arrive(browser, size, lang, '/login');
				try {
					await signIn(page, made.returnee);
					await go(page, '/jobs');
					await page.locator('main').getByRole('link', { name: made.title }).click();
					await settle(page);
					assert.equal(pathOf(page), made.vacancy);
					const form = page.locator(`form[action="${made.vacancy}/apply"]`);
					await form.locator('#message').fill(T.apply);
					await form.locator('button[type=submit]').click();
					await settle(page);
					assert.equal(pathOf(page), '/applications');
					await assert.doesNotReject(page.getByRole('link', { name: made.title }).first().waitFor());
				} finally {
					await page.context().close();
				}
			});

			test('a second returnee replies; the counsellor suspends them; they cannot post', async () => {
				assert.ok(made.thread && made.modPage, 'needs the thread and the counsellor');
				const b = await arrive(browser, size, lang);
				open.push(b);
				const them = await register(b, 'returnee');
				await go(b, made.thread);
				await b.locator('#body').fill(T.reply);
				await b.locator(`form[action="${made.thread}/reply"] button[type=submit]:not([name])`).click();
				await settle(b);
				assert.equal(await b.locator('article.post').count(), 2);
				assert.equal(await b.locator('article.post.held').count(), 1, 'the reply is not held');
				// A new thread half written when the suspension comes.
				await go(b, '/b/duhok/new');
				await b.locator('#title').fill('Cheap visas ' + unique('s'));
				await b.locator('#body').fill('Write to me for cheap visas.');

				const mod = made.modPage;
				await go(mod, '/mod');
				const item = mod.locator('li.item').filter({ hasText: them.name });
				await item.locator('a[href^="/mod/users/"]').click();
				await settle(mod);
				assert.match(pathOf(mod), /^\/mod\/users\/\d+$/);
				const card = pathOf(mod);
				await mod.locator(`a[href="${card}/suspend"]`).click();
				await settle(mod);
				await mod.locator('#until').fill(UNTIL);
				const reason = mod.locator('textarea[name=reason], input[name=reason]');
				const typed = (await reason.count()) > 0;
				if (typed)
					await reason.first().fill(T.reason);
				else
					await mod.locator('input[name=template]').first().check();
				await mod.locator(`form[action="${card}/suspend"] button[type=submit]`).click();
				await settle(mod);
				assert.equal(pathOf(mod), card);
				assert.equal(await mod.locator(`form[action="${card}/unsuspend"]`).count(), 1,
				    'the card does not show the suspension');

				// The half-written thread is refused: the session has ended.
				await b.locator('form.form button[type=submit]:not([name])').click();
				await settle(b, { status: [200, 401, 403] });
				assert.doesNotMatch(pathOf(b), /^\/t\//, 'a suspended user posted a thread');
				assert.equal(await b.locator('form[action="/logout"]').count(), 0,
				    'the suspended user is still signed in');
				// Signing in again is refused, with the reason and the last day.
				await signIn(b, them, { status: [401, 403, 429] });
				assert.equal(await b.locator('form[action="/logout"]').count(), 0,
				    'a suspended user signed in');
				const problem = await b.locator('.problem').textContent();
				if (lang === 'en')
					assert.ok(problem.includes(UNTIL), 'no last day: ' + problem);
				assert.ok(!typed || problem.includes(T.reason), 'no reason: ' + problem);
				// Nothing of the refused thread reached the board.
				const r = await fetch(BASE + '/b/duhok');
				assert.doesNotMatch(await r.text(), /Cheap visas/);
			});

			test('keyboard alone: sign in, pick the language, ask, with the focus always visible', async () => {
				const who = makeUser('returnee');
				const page = await visitor(browser, size);
				try {
					await go(page, '/login');
					// Tab from the top of the page to the username field;
					// everything on the way shows where the focus is.
					const seen = await tabTo(page, (e) => e.id === 'username', 40);
					assert.ok(seen.some((e) => e.tag === 'a'), 'no link was focused on the way');
					// A visitor's language switch is links (issue 19).
					assert.ok(seen.some((e) => e.tag === 'a' && (e.href || '').startsWith('/lang/')),
					    'no language link was focused on the way');
					await page.keyboard.type(who.name);
					await page.keyboard.press('Tab');
					await page.keyboard.type(who.password);
					await pressAndLoad(page, 'Enter');
					assert.equal(await page.locator('form[action="/logout"]').count(), 1, 'Enter did not sign in');
					if (lang !== 'en') {
						await tabTo(page, (e) => e.tag === 'button' && e.value === lang, 60);
						page.expectLang = lang;
						await pressAndLoad(page, 'Enter');
					}
					// Reach the Duhok board, then its "Start a new thread".
					await tabTo(page, (e) => e.href === '/b/duhok', 80);
					await pressAndLoad(page, 'Enter');
					assert.equal(pathOf(page), '/b/duhok');
					await tabTo(page, (e) => e.href === '/b/duhok/new', 60);
					await pressAndLoad(page, 'Enter');
					await tabTo(page, (e) => e.id === 'title', 40);
					const title = (lang === 'en' ? 'Keyboard question ' : 'پرسیاری تەختەکلیل ') + unique('k');
					await page.keyboard.type(title);
					await page.keyboard.press('Tab');
					await page.keyboard.type(lang === 'en' ? 'Is there a Duhok office for returnees?' :
					    'ئایا لە دهۆک نووسینگەیەک بۆ گەڕاوەکان هەیە؟');
					await tabTo(page, (e) => e.tag === 'button' && e.type === 'submit' && !e.name, 5);
					await pressAndLoad(page, 'Enter');
					assert.match(pathOf(page), /^\/t\/\d+$/);
					await assert.doesNotReject(page.getByRole('heading', { name: title }).waitFor());
				} finally {
					await page.context().close();
				}
			});
		});
	}
}

for (const size of SIZES) {
	describe(`en and ckb ${size.name}: language, mixed text, other pages`, () => {
		test('the language links switch to Sorani on the same page, mirrored', async () => {
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

		test('a Sorani post with an English name and a phone number reads right to left', async () => {
			const page = await arrive(browser, size, 'ckb');
			try {
				await register(page, 'returnee');
				await go(page, '/b/sulaymaniyah/new');
				await page.locator('#title').fill('کار لە سلێمانی ' + unique('m'));
				await page.locator('#body').fill(MIXED);
				await page.locator('form.form button[type=submit]:not([name])').click();
				await settle(page, { name: 'mixed-post' });
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
			} finally {
				await page.context().close();
			}
		});

		test('the other main pages in English and Sorani', async () => {
			const pages = ['/', '/b/duhok', '/jobs', '/guides', '/events',
				'/search', '/search?q=Duhok'];
			const who = makeUser('returnee');
			const page = await visitor(browser, size);
			try {
				for (const lang of ['en', 'ckb']) {
					await go(page, '/');
					if (lang !== page.expectLang)
						await switchLang(page, lang);
					for (const p of pages)
						await go(page, p);
				}
				// A page that does not exist, and a form sent back with a
				// problem: in Sorani, the user's text kept, the problem
				// named next to its field.
				await go(page, '/no/such/page', { status: 404, name: 'not-found' });
				await go(page, '/register');
				await page.locator('#username').fill('کاوە_' + unique('x'));
				await page.locator('#password').fill('short');
				// The browser's own check would stop a too-short password.
				await page.locator('form.form').evaluate((f) => { f.noValidate = true; });
				await page.locator('form.form button[type=submit]').click();
				await settle(page, { status: [400, 422], name: 'register-problem' });
				assert.match(await page.locator('#username').inputValue(), /^کاوە_/);
				assert.equal(await page.locator('#password').getAttribute('aria-invalid'), 'true');
				assert.match(await page.locator('#password').getAttribute('aria-describedby'), /\bpassword-err\b/);
				assert.ok(await page.locator('#password-err').isVisible(), 'the problem is not shown');
				// Signed in, in Sorani: the other forms a returnee fills in.
				await signIn(page, who);
				for (const p of ['/profile', '/account', '/messages',
					'/notifications', '/applications'])
					await go(page, p);
			} finally {
				await page.context().close();
			}
		});
	});
}

// The checks can fail: faint grey text on white, served under the site's
// address with the site's stylesheet, is refused by axe-core (colour
// contrast, "serious"); an unclosed element and a nameless button by tidy.
test('the page checks catch a bad page (control)', async () => {
	const page = await visitor(browser, SIZES[0]);
	try {
		await go(page, '/');
		const css = await page.locator('link[rel=stylesheet]').getAttribute('href');
		const head = '<!doctype html><html lang="en" dir="ltr"><head><meta charset="utf-8">' +
		    `<title>control</title><link rel="stylesheet" href="${css}"></head><body>`;
		const faint = head + '<main id="main"><h1>Control</h1>' +
		    '<p style="color:#ddd">faint</p></main></body></html>';
		assert.deepEqual(tidyProblems(faint), []);
		await page.route(BASE + '/axe-control', (route) => route.fulfill({
			status: 200, contentType: 'text/html; charset=utf-8', body: faint }));
		await page.goto(BASE + '/axe-control');
		await assert.rejects(settle(page), /serious color-contrast/);
		const broken = head + '<main><div><p>open</main><img src="x.png"></body></html>';
		assert.ok(tidyProblems(broken).length >= 2, 'tidy found nothing wrong');
	} finally {
		await page.context().close();
	}
});

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
		// Outside the browser too, as a phone on a slow line would get it.
		const out = await fetch(r.url(), { headers: { 'Accept-Encoding': 'gzip' } });
		const gz = Number(out.headers.get('content-length')) ||
		    (await out.arrayBuffer()).byteLength;
		const raw = (await r.body()).length;
		console.log(`# stylesheet ${sizes.responseBodySize} B gzipped (${gz} B fetched), ${raw} B raw`);
	} finally {
		await page.context().close();
	}
});

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
// Every element that takes the focus must show it: an outline at least
// 2 px wide or a box shadow, and :focus-visible.
async function tabTo(page, match, limit) {
	const seen = [];
	for (let i = 0; i < limit; i++) {
		await page.keyboard.press('Tab');
		const e = await page.evaluate(() => {
			const a = document.activeElement;
			const s = getComputedStyle(a);
			return {
				tag: a.tagName.toLowerCase(), id: a.id, type: a.getAttribute('type'),
				name: a.getAttribute('name'), value: a.getAttribute('value'),
				href: a.getAttribute('href'), text: a.textContent.trim().slice(0, 40),
				ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) ||
				    (s.boxShadow && s.boxShadow !== 'none'),
				focusVisible: a.matches(':focus-visible'),
			};
		});
		seen.push(e);
		assert.notEqual(e.tag, 'body', 'the focus left the page');
		assert.ok(e.ring && e.focusVisible,
		    `${new URL(page.url()).pathname}: focus not visible on <${e.tag}> ${e.href || e.id || e.text}`);
		if (match(e))
			return seen;
	}
	assert.fail(`not reached in ${limit} presses of Tab`);
}
