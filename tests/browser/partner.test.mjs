// A partner office (issue 21, item 7) on a 360x740 phone in Sorani, with
// JavaScript off as everywhere: the office of Duhok signs in, finds the
// programme's outcomes in its header, asks for a period, reads its
// governorate's figures with counts under five masked and the funnel as
// a chart with its numbers in text, downloads the CSV, and is turned
// away from what it may not see.  Every page passes lib's checks
// (language and direction, no sideways scroll, labels, no English, axe,
// tidy, weight).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
	BASE, SIZES, arrive, go, launch, makeUser, psql, settle, signIn,
	unique,
} from './lib.mjs';

const PHONE = SIZES.find((s) => s.name === 'phone');
const FEWER = 'کەمتر لە ٥';	// "fewer than 5" in Sorani, its digits
let browser;

before(async () => {
	browser = await launch();
});

after(async () => {
	await browser?.close();
});

test('a partner office reads its governorate\'s outcomes on a phone in Sorani', async () => {
	// Two vacancies published in Duhok in 2033, where no other test
	// writes, by an enterprise whose name must never show.
	const ename = unique('Brw');
	const ent = psql(`INSERT INTO enterprises (name, governorate,
	    verified_at) VALUES ('Partner browser ${ename}', 'duhok',
	    '2030-01-01') RETURNING id`);
	const emp = psql(`INSERT INTO users (username, username_key,
	    password_hash, role, enterprise_id) VALUES ('${ename}',
	    '${ename.toLowerCase()}', '!', 'employer', ${ent}) RETURNING id`);
	for (const day of [1, 2])
		psql(`INSERT INTO vacancies (enterprise_id, author_id, kind, title,
		    description_md, description_html, governorate, sector, contract,
		    positions, deadline, state, published_at) VALUES (${ent}, ${emp},
		    'job', 'Partner browser', 'x', '<p>x</p>', 'duhok',
		    'construction', 'full_time', 1, '2033-12-31', 'published',
		    '2033-03-0${day} 09:00+03')`);
	const office = makeUser('partner');
	psql(`UPDATE users SET partner_governorate = 'duhok'
	    WHERE username = '${office.name}'`);

	const page = await arrive(browser, PHONE, 'ckb');
	await signIn(page, office);
	// The header leads to the outcomes; a returnee's links are not there.
	const link = page.locator('header a[href="/partner"]');
	assert.equal(await link.count(), 1, 'no link to the outcomes');
	assert.equal(await page.locator('header a[href="/messages"]').count(), 0);
	await link.click();
	await settle(page, { name: 'partner-home' });

	// The period, typed into the date fields, sent with the keyboard.
	await page.locator('#from').fill('2033-01-01');
	await page.locator('#to').fill('2033-12-31');
	await page.locator('#to').press('Enter');
	await settle(page, { name: 'partner-2033' });
	const main = await page.locator('main').innerText();
	assert.match(main, /دهۆک/, 'the office\'s governorate is not named');
	assert.ok(main.includes(FEWER), 'two vacancies are not "fewer than 5"');
	assert.ok(!main.includes(ename), 'an employer\'s name is shown');
	assert.ok(!/هەولێر/.test(main), 'another governorate is shown');
	// The funnel is an image with a name, its numbers as text.
	const svg = page.locator('main svg');
	if (await svg.count() > 0) {
		assert.equal(await svg.first().getAttribute('role'), 'img');
		assert.ok((await svg.first().locator('title').count()) > 0);
	}

	// The CSV: the same figures, masked the same way.
	const csv = await page.request.get(BASE +
	    '/partner/outcomes.csv?from=2033-01-01&to=2033-12-31');
	assert.equal(csv.status(), 200);
	assert.match(csv.headers()['content-disposition'], /^attachment;/);
	const body = (await csv.body()).toString('utf8');
	assert.ok(body.includes(FEWER) || body.includes('fewer than 5'));
	assert.ok(!body.includes(ename));

	// What an office may not open is refused, in its language.
	for (const p of ['/messages', '/mod/stats', '/profile']) {
		await go(page, p, { status: 403, name: 'partner-refused' });
		assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
	}
	// Every page it opened is in the audit log.
	const seen = Number(psql(`SELECT count(*) FROM audit_log a JOIN users u
	    ON u.id = a.actor_id WHERE u.username = '${office.name}'
	    AND a.action = 'partner.view'`));
	assert.ok(seen >= 3, `only ${seen} pages audited`);
});
