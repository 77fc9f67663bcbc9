// First visits and phone screens (issue 17): at 360x740 in Sorani, Arabic
// and English, the pages a thumb uses most.  On each: no sideways scroll
// (lib's checks), every control a thumb uses at least 44 CSS px tall and
// wide (a checkbox or radio button by its label); /jobs shows its first
// vacancy and a board its first thread on the first screen, /jobs says
// how many it found and keeps its filters folded until asked for; the
// employer's vacancies and the statistics are lists, not wide tables, on
// a phone.  The data (an enterprise, vacancies, threads) is made through
// the site itself.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
	BASE, SIZES, go, launch, makeUser, register, settle, shot, signIn,
	switchLang, unique, visitor,
} from './lib.mjs';

const PHONE = SIZES.find((s) => s.name === 'phone');
const LANGS = ['ckb', 'ar', 'en'];
const DEADLINE = new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 10);

let browser;
let employer;		// a signed-in page, kept across languages
let moderator;		// likewise
let thread;		// path of a thread in /b/erbil

// What a thumb taps: buttons, fields, checkboxes and radios (by their
// label), the links of a navigation, a pager, a post's or a form's
// actions, links styled as buttons, a table's (or card's) links.  Inline
// links in running text are exempt (WCAG 2.5.8's inline exception), and so
// is what the reader wrote (.body).
const CONTROLS = 'button, input:not([type=hidden]), select, textarea, summary, ' +
    'nav a, .pager a, .actions a, a.button, .post footer a, .dash a, ' +
    '.threads .thread > a, .jobs .job h2 a, .modnav a, .board > a, .found a';

async function smallTargets(page) {
	return page.evaluate((sel) => {
		const bad = [];
		for (const e of document.querySelectorAll(sel)) {
			if (e.closest('.body, .skip'))
				continue;
			let box = e.getBoundingClientRect();
			if (box.width === 0 && box.height === 0)
				continue;	// not shown (a folded <details>)
			if (e.matches('input[type=checkbox], input[type=radio]')) {
				const l = e.closest('label') || (e.id &&
				    document.querySelector(`label[for="${e.id}"]`));
				if (l)
					box = l.getBoundingClientRect();
			}
			if (box.height < 44 || box.width < 44)
				bad.push(`${e.outerHTML.slice(0, 90)} ` +
				    `${Math.round(box.width)}x${Math.round(box.height)}`);
		}
		return bad;
	}, CONTROLS);
}

// Every phone page: lib's checks (sideways scroll among them) via go(),
// then the targets.
async function visit(page, p, opts = {}) {
	await go(page, p, opts);
	await checkPhone(page);
}

async function checkPhone(page) {
	const where = new URL(page.url()).pathname;
	const sw = await page.evaluate(() => document.documentElement.scrollWidth);
	assert.ok(sw <= PHONE.width, `${where} [${page.expectLang}]: ${sw} px wide`);
	assert.deepEqual(await smallTargets(page), [],
	    `${where} [${page.expectLang}]: controls under 44 px`);
}

// "٣" -> 3: the number a page wrote in the reader's digits.
function number(s) {
	const ascii = s.replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x660))
	    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x6f0));
	const m = ascii.match(/\d+/);
	return m ? Number(m[0]) : NaN;
}

// Seeding goes through the site without lib's checks on every step (the
// journeys check those forms); only the pages under test are checked.
async function quick(page, p) {
	const r = await page.goto(BASE + p, { waitUntil: 'load' });
	assert.ok(r.status() < 400, `${p}: ${r.status()}`);
	page.docs.splice(0);
}
async function submit(page, button) {
	await page.locator(button).click();
	await page.waitForLoadState('load');
	page.docs.splice(0);
}

before(async () => {
	browser = await launch();
	const who = makeUser('moderator');

	employer = await visitor(browser, PHONE);
	await register(employer, 'employer', 'Kurdistan Phone Repairs ' + unique('z'));
	const ids = [];
	const jobs = [['Phone repair technician', 'job', 'full_time'],
		['Mobile network installer', 'job', 'part_time'],
		['Solar panel fitting course', 'training', 'full_time']];
	for (const [title, kind, contract] of jobs) {
		await quick(employer, '/jobs/new');
		await employer.locator(`input[name=kind][value=${kind}]`).check();
		await employer.locator('#title').fill(`${title} ${unique('v')}`);
		await employer.locator('#description').fill('Repair **phones** and tablets in Erbil.');
		await employer.locator('#governorate').selectOption('erbil');
		await employer.locator('#sector').selectOption('construction');
		await employer.locator('#contract').selectOption(contract);
		await employer.locator('#deadline').fill(DEADLINE);
		await submit(employer, 'button[name=action][value=submit]');
		const m = new URL(employer.url()).pathname.match(/^\/jobs\/(\d+)$/);
		assert.ok(m, 'no vacancy made: ' + employer.url());
		ids.push(m[1]);
	}

	moderator = await visitor(browser, PHONE);
	await signIn(moderator, who);
	for (const id of ids) {
		await quick(moderator, '/mod/jobs');
		await submit(moderator, `#v${id} form[action$="/approve"] button`);
	}

	// A guide, so that Erbil has a booklet in Sorani.
	await quick(moderator, '/guides/new');
	await moderator.locator('#lang').selectOption('ckb');
	await moderator.locator('#governorate').selectOption('erbil');
	await moderator.locator('#topic').selectOption('documents');
	await moderator.locator('#title').fill('ناسنامەی نیشتمانی لە هەولێر ' + unique('g'));
	await moderator.locator('#body').fill('بۆ ناسنامە پێویستت بە **پاسپۆرت** هەیە.');
	await submit(moderator, 'form.form button[type=submit]:not([name])');
	assert.match(new URL(moderator.url()).pathname, /^\/guides\/\d+$/);

	const returnee = await visitor(browser, PHONE);
	const threads = [];
	try {
		await register(returnee, 'returnee');
		for (const t of ['Where to renew an ID card in Erbil?',
			'Rent near Ankawa for a family of four']) {
			await quick(returnee, '/b/erbil/new');
			await returnee.locator('#title').fill(`${t} ${unique('t')}`);
			await returnee.locator('#body').fill('We came back from Germany last month. Any advice?');
			await submit(returnee, 'form.form button[type=submit]:not([name])');
			threads.push(new URL(returnee.url()).pathname);
		}
		thread = threads[1];
		assert.match(thread, /^\/t\/\d+$/);
		await returnee.locator('#body').fill('Thank you, that helps.');
		await submit(returnee, 'form.reply button[type=submit]:not([name])');
	} finally {
		await returnee.context().close();
	}
	// New accounts' first posts may be held (the journeys turn that on):
	// the counsellor approves whatever waits, so visitors see the threads.
	for (const t of threads) {
		await quick(moderator, t);
		const held = moderator.locator('article.post.held form[action$="/approve"] button');
		while (await held.count() > 0)
			await submit(moderator, 'article.post.held form[action$="/approve"] button >> nth=0');
	}
});

after(async () => {
	await employer?.context().close().catch(() => {});
	await moderator?.context().close().catch(() => {});
	await browser?.close();
});

for (const lang of LANGS) {
	test(`a first visit on a phone in ${lang}: home, a board, the jobs, a thread`, async () => {
		const page = await visitor(browser, PHONE);
		try {
			await go(page, '/');
			if (lang !== 'en')
				await switchLang(page, lang);
			await checkPhone(page);

			await visit(page, '/b/erbil');
			const first = await page.locator('.threads .thread > a').first().boundingBox();
			assert.ok(first && first.y + first.height <= PHONE.height,
			    `/b/erbil [${lang}]: the first thread ends at ${first && first.y + first.height} px`);

			await visit(page, '/jobs');
			const job = await page.locator('.jobs .job h2 a').first().boundingBox();
			assert.ok(job && job.y + job.height <= PHONE.height,
			    `/jobs [${lang}]: the first vacancy ends at ${job && job.y + job.height} px`);
			const shown = await page.locator('.jobs .job').count();
			const found = page.locator('#found');
			assert.equal(await found.count(), 1, `/jobs [${lang}]: no result count`);
			assert.ok(await found.isVisible(), `/jobs [${lang}]: the result count is hidden`);
			const n = number(await found.textContent());
			assert.ok(n >= shown && n >= 2, `/jobs [${lang}]: count ${n}, ${shown} shown`);
			if (lang !== 'en')
				assert.doesNotMatch(await found.textContent(), /[0-9]/,
				    'the count is not in the reader\'s digits');
			// Folded: the selects appear when asked for, without script.
			for (const f of ['#f-gov', '#f-sector', '#f-kind', '#f-contract'])
				assert.equal(await page.locator(f).isVisible(), false,
				    `/jobs [${lang}]: ${f} is not folded away`);
			await page.locator('details.more-filters > summary').click();
			for (const f of ['#f-gov', '#f-sector', '#f-kind', '#f-contract']) {
				const b = await page.locator(f).boundingBox();
				assert.ok(b && b.x >= 0 && b.x + b.width <= PHONE.width,
				    `/jobs [${lang}]: ${f} is cut off: ${JSON.stringify(b)}`);
			}
			await checkPhone(page);
			await shot(page, 'jobs-filters');
			// A filter chosen: the list says so and stays reachable.
			await page.locator('#f-kind').selectOption('training');
			await page.locator('form.filters button[type=submit]').first().click();
			await settle(page);
			const trained = await page.locator('.jobs .job').count();
			assert.ok(trained >= 1, `/jobs [${lang}]: no training offer listed`);
			assert.equal(number(await page.locator('#found').textContent()), trained);
			assert.equal(await page.locator('#f-kind').isVisible(), false,
			    `/jobs [${lang}]: the filters stay folded once chosen`);
			assert.ok((await page.locator('details.more-filters > summary').textContent())
			    .includes(await page.locator('#f-kind option:checked').textContent()),
			    `/jobs [${lang}]: the folded filters do not say what is chosen`);
			await checkPhone(page);

			await visit(page, thread);

			// A booklet: how to print it, behind a summary a thumb can
			// open, and no language offered that has no guide.
			await visit(page, '/booklets/erbil?lang=ckb');
			const help = page.locator('details.print-help > summary');
			assert.equal(await help.count(), 1, `booklet [${lang}]: no print help`);
			await help.click();
			assert.ok(await page.locator('details.print-help kbd').first().isVisible());
			await checkPhone(page);
			await shot(page, 'booklet-print');
		} finally {
			await page.context().close();
		}
	});

	test(`an employer's vacancies and the statistics on a phone in ${lang}`, async () => {
		await go(employer, '/employer');
		if (employer.expectLang !== lang)
			await switchLang(employer, lang);
		await checkPhone(employer);
		// A card per vacancy: each of its facts on a line of its own,
		// no word broken in the middle.
		const broken = await employer.evaluate(() => [...document.querySelectorAll('.dash th, .dash td')]
		    .filter((c) => c.getBoundingClientRect().width > 0 &&
			c.getBoundingClientRect().width < 120)
		    .map((c) => c.textContent.trim().slice(0, 30)));
		assert.deepEqual(broken, [], `/employer [${lang}]: narrow columns`);

		await go(moderator, '/mod/stats');
		if (moderator.expectLang !== lang)
			await switchLang(moderator, lang);
		await checkPhone(moderator);
		const narrow = await moderator.evaluate(() => [...document.querySelectorAll('.stats th, .stats td')]
		    .filter((c) => c.getBoundingClientRect().width > 0 &&
			c.getBoundingClientRect().width < 120)
		    .map((c) => c.textContent.trim().slice(0, 30)));
		assert.deepEqual(narrow, [], `/mod/stats [${lang}]: narrow columns`);

		// A thread as a counsellor sees it: every tool a thumb's size.
		await visit(moderator, thread);
	});
}
