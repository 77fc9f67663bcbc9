// The placement pickers (issue 21) on a 360x740 phone in Sorani, with
// JavaScript off as everywhere: the occupation is typed and taken from
// the list in Sorani by keyboard alone, then by touch; skills are
// checkboxes big enough for a thumb; the saved profile, the CV in
// Arabic and the counsellors' matching read the same ISCO-08 code.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
	SIZES, arrive, go, launch, psql, register, settle, shot, switchLang,
} from './lib.mjs';

const PHONE = SIZES.find((s) => s.name === 'phone');
const ELECTRICIAN = 'کارەباچییانی بینا';
let browser;

before(async () => {
	browser = await launch();
});

after(async () => {
	await browser?.close();
});

// A phone with a touch screen (lib's visitors have none), in Sorani.
async function touchPhone() {
	const ip = `10.251.${process.pid % 250}.7`;
	const ctx = await browser.newContext({
		javaScriptEnabled: false, hasTouch: true, isMobile: true,
		viewport: { width: PHONE.width, height: PHONE.height },
		extraHTTPHeaders: { 'X-Forwarded-For': ip },
		locale: 'en-GB',
	});
	const page = await ctx.newPage();
	page.size = PHONE;
	page.ip = ip;
	page.expectLang = 'en';
	page.docs = [];
	page.on('response', (r) => {
		if (r.request().resourceType() === 'document' && r.frame() === page.mainFrame())
			page.docs.push(r);
	});
	await go(page, '/');
	await switchLang(page, 'ckb');
	return page;
}

async function submitByTap(page) {
	await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
		page.locator('main form[action="/profile"] button[type=submit]').tap()]);
}

async function codeOf(name) {
	return psql(`SELECT coalesce(p.occupation_code, '-') || ' ' ||
	    p.skill_codes::text FROM returnee_profiles p JOIN users u
	    ON u.id = p.user_id WHERE u.username = '${name}'`);
}

test('ckb: the occupation picker and the skills by keyboard alone', async () => {
	const page = await arrive(browser, PHONE, 'ckb', '/');
	try {
		const me = await register(page, 'returnee');
		await go(page, '/profile');
		// The list offers the Sorani label with its code.
		const opt = page.locator(`#occ-list option[value="${ELECTRICIAN} (7411)"]`);
		assert.equal(await opt.count(), 1, 'no Sorani option for 7411');
		await page.locator('#occupation').focus();
		await page.keyboard.type(`${ELECTRICIAN} (7411)`);
		// The skills: open the folded list and tick one, by keyboard.
		await page.locator('.skill-picker summary').focus();
		await page.keyboard.press('Enter');
		await page.locator('input[name=skill][value=cert_electric]').focus();
		await page.keyboard.press('Space');
		assert.ok(await page.locator('input[name=skill][value=cert_electric]').isChecked());
		await page.locator('main form[action="/profile"] button[type=submit]').focus();
		await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
			page.keyboard.press('Enter')]);
		await settle(page);
		assert.equal(await codeOf(me.name), '7411 {cert_electric}');
		assert.equal(await page.locator('#occupation').inputValue(),
		    `${ELECTRICIAN} (7411)`);
		assert.ok(await page.locator('.skill-picker').evaluate((d) => d.open),
		    'the chosen skills are folded away');
		await shot(page, 'placement-profile');
		// The CV in Arabic says the same occupation in Arabic.
		await go(page, '/profile/cv?lang=ar');
		assert.equal(await page.locator('article.cv').getAttribute('lang'), 'ar');
		assert.ok((await page.locator('article.cv').innerText())
		    .includes('كهربائيو المباني'));
		await shot(page, 'placement-cv-ar');
	} finally {
		await page.context().close();
	}
});

test('ckb: the pickers by touch at phone size, and a wrong code', async () => {
	const page = await touchPhone();
	try {
		const me = await register(page, 'returnee');
		await go(page, '/profile');
		// A code that does not exist: refused, named, the text kept.
		await page.locator('#occupation').tap();
		await page.locator('#occupation').fill('9999');
		await submitByTap(page);
		await settle(page, { status: 422 });
		assert.ok(await page.locator('#occupation-err').isVisible());
		assert.equal(await page.locator('#occupation').getAttribute('aria-invalid'), 'true');
		assert.equal(await page.locator('#occupation').inputValue(), '9999');
		// The Sorani label typed as the list shows it, a skill tapped.
		await page.locator('#occupation').tap();
		await page.locator('#occupation').fill(ELECTRICIAN);
		await page.locator('.skill-picker summary').tap();
		const box = page.locator('.skill-picker label').filter({
			has: page.locator('input[value=drv_truck]') });
		const r = await box.boundingBox();
		assert.ok(r.height >= 44, `a skill's label is ${r.height}px high`);
		await box.tap();
		await submitByTap(page);
		await settle(page);
		assert.equal(await codeOf(me.name), '7411 {drv_truck}');
		const wide = await page.evaluate(() =>
			document.documentElement.scrollWidth > window.innerWidth);
		assert.ok(!wide, 'the profile form scrolls sideways');
	} finally {
		await page.context().close();
	}
});
