// First visits (issue 17), on a phone in Sorani and Arabic: someone
// opens a vacancy a friend shared, registers from it, lands back on it
// with the welcome that asks for the profile, and finds the profile and
// the applications in the account menu (the name in the header).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
	SIZES, arrive, launch, makeUser, psql, settle, unique,
} from './lib.mjs';

const PHONE = SIZES.find((s) => s.name === 'phone');
let browser;
let vid;

before(async () => {
	browser = await launch();
	// A published vacancy of an employer's enterprise, made directly:
	// posting and approving it is other files' journey.
	const emp = makeUser('employer');
	vid = psql(`INSERT INTO vacancies (enterprise_id, author_id, kind,
	    title, description_md, description_html, governorate, sector,
	    contract, deadline, state, published_at)
	    SELECT enterprise_id, id, 'job', 'Welder ${unique('v')}',
	    'Weld frames.', '<p>Weld frames.</p>', 'erbil', 'construction',
	    'full_time', current_date + 20, 'published', now()
	    FROM users WHERE username = '${emp.name}' RETURNING id`).split('\n')[0];
});

after(async () => {
	await browser?.close();
});

for (const lang of ['ckb', 'ar']) {
	test(`${lang}: registering from a shared vacancy comes back to it, welcomed`, async () => {
		const page = await arrive(browser, PHONE, lang, `/jobs/${vid}`);
		try {
			const reg = page.locator(`main a[href="/register?next=/jobs/${vid}"]`);
			assert.equal(await reg.count(), 1, 'no register link keeping the vacancy');
			await reg.click();
			await settle(page);
			await page.locator('#username').fill(unique('r'));
			await page.locator('#password').fill('correct horse battery ' + Math.random());
			await page.locator('input[name=role][value=returnee]').check();
			await page.locator('form[action="/register"] button[type=submit]').click();
			await settle(page);
			// Back on the vacancy, signed in, with the apply form.
			assert.equal(new URL(page.url()).pathname, `/jobs/${vid}`);
			assert.equal(await page.locator('form[action="/logout"]').count(), 1);
			assert.equal(await page.locator(`form[action="/jobs/${vid}/apply"]`).count(), 1);
			// The welcome: asks for the profile, says who sees it.
			const welcome = page.locator('main section.welcome');
			assert.ok(await welcome.isVisible(), 'no welcome');
			assert.ok(await welcome.locator('a[href="/profile"]').isVisible());
			assert.ok(await welcome.locator('button[type=submit]').isVisible());
			assert.ok((await welcome.locator('p').count()) >= 3);
			// The account menu: the name at the top of the page.
			await page.locator('nav.bar a[href="/account"]').click();
			await settle(page);
			const menu = page.locator('main .account-menu').first();
			assert.equal(await page.locator('main progress').getAttribute('value'), '0');
			await menu.locator('a[href="/applications"]').click();
			await settle(page);
			assert.equal(new URL(page.url()).pathname, '/applications');
			await page.locator('nav.bar a[href="/account"]').click();
			await settle(page);
			await page.locator('main .account-menu a[href="/profile"]').first().click();
			await settle(page);
			assert.equal(new URL(page.url()).pathname, '/profile');
			assert.equal(await page.locator('main form[action="/profile"]').count(), 1);
			// Not asked again on the form it asks for.
			assert.equal(await page.locator('section.welcome').count(), 0);
		} finally {
			await page.context().close();
		}
	});
}
