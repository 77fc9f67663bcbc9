// Issue 17, "First visits and phone screens", on a phone (360x740) in
// Sorani and Arabic: an edit of a live vacancy waits for review while
// the public keeps the approved version, and a counsellor decides on the
// vacancy page itself; blocking asks first and sits apart from Send.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
	SIZES, go, launch, makeUser, register, settle, signIn, switchLang,
	unique, visitor,
} from './lib.mjs';

const PHONE = SIZES.find((s) => s.name === 'phone');
const DEADLINE = new Date(Date.now() + 20 * 86400e3).toISOString().slice(0, 10);

let browser;
let counsellor;

before(async () => {
	browser = await launch();
	counsellor = makeUser('moderator');
});

after(async () => {
	await browser?.close();
});

// A person on a phone reading `lang` (the language switch on the first
// page they see).
async function person(lang) {
	const page = await visitor(browser, PHONE);
	await go(page, '/login');
	await switchLang(page, lang);
	return page;
}

async function postVacancy(page, title) {
	await go(page, '/jobs/new');
	await page.locator('input[name=kind][value=job]').check();
	await page.locator('#title').fill(title);
	await page.locator('#description').fill('Wiring **schools** in Erbil.');
	await page.locator('#governorate').selectOption('erbil');
	await page.locator('#sector').selectOption('construction');
	await page.locator('#contract').selectOption('full_time');
	await page.locator('#salary_min').fill('900000');
	await page.locator('#deadline').fill(DEADLINE);
	await page.locator('button[name=action][value=submit]').click();
	await settle(page, { name: 'vacancy-sent' });
	return Number(new URL(page.url()).pathname.split('/').pop());
}

test('an edit waits beside the live vacancy; the counsellor decides on its page', async () => {
	const emp = await person('ckb');
	await register(emp, 'employer', 'Hawler Electric ' + unique('e'));
	const first = 'Electrician ' + unique('a');
	const id = await postVacancy(emp, first);
	assert.ok(id > 0);

	// The counsellor, in Arabic, approves the new vacancy on its page.
	const mod = await person('ar');
	await signIn(mod, counsellor);
	await go(mod, `/jobs/${id}`, { name: 'mod-new-vacancy' });
	await mod.locator(`form[action="/mod/jobs/${id}/approve"] button`).click();
	await settle(mod, { name: 'mod-approved' });
	assert.equal(new URL(mod.url()).pathname, `/jobs/${id}`);

	// The employer changes the title: the page says it waits.
	const second = 'Senior electrician ' + unique('b');
	await go(emp, `/jobs/${id}/edit`);
	await emp.locator('#title').fill(second);
	await emp.locator('button[name=action][value=preview]').click();
	await settle(emp, { name: 'edit-preview' });
	assert.match(await emp.locator('.preview.vacancy').innerText(), /٩٠٠|900/);
	await emp.locator('button[name=action][value=submit]').click();
	await settle(emp, { name: 'edit-waits' });
	assert.equal(await emp.locator('.edit-state').count(), 1);
	assert.equal(await emp.locator('.edit-version h3').innerText(), second);
	assert.equal(await emp.locator('h1').innerText(), first);

	// A visitor still reads the approved version at the same address.
	const reader = await person('ckb');
	await go(reader, `/jobs/${id}`, { name: 'public-during-review' });
	assert.equal(await reader.locator('h1').innerText(), first);
	assert.equal(await reader.locator('.edit-version').count(), 0);

	// The counsellor sees the changes and approves them from the page.
	await go(mod, `/jobs/${id}`, { name: 'mod-edit-on-page' });
	assert.equal(await mod.locator('.edit-version h3').innerText(), second);
	await mod.locator(`form[action="/mod/jobs/${id}/approve"] button`).click();
	await settle(mod, { name: 'mod-edit-approved' });
	await go(reader, `/jobs/${id}`);
	assert.equal(await reader.locator('h1').innerText(), second);
	for (const p of [emp, mod, reader])
		await p.context().close();
});

test('blocking asks first, away from Send', async () => {
	const emp = await person('ar');
	await register(emp, 'employer', 'Zakho Farms ' + unique('z'));
	const mod = await person('ar');
	await signIn(mod, counsellor);
	const id = await postVacancy(emp, 'Greenhouse worker ' + unique('g'));
	await go(mod, `/jobs/${id}`);
	await mod.locator(`form[action="/mod/jobs/${id}/approve"] button`).click();
	await settle(mod);

	const ret = await person('ar');
	await register(ret, 'returnee');
	await go(ret, `/jobs/${id}`);
	await ret.locator('#message').fill('I worked in greenhouses in Holland.');
	await ret.locator(`form[action="/jobs/${id}/apply"] button`).click();
	await settle(ret);

	// The employer writes about the application.
	await go(emp, `/jobs/${id}/applications`);
	await emp.locator('a[href^="/messages/new?application="]').first().click();
	await settle(emp);
	await emp.locator('#subject').fill('Interview');
	await emp.locator('#body').fill('Can you come on Sunday?');
	await emp.locator('form[action="/messages/new"] button[type=submit]:not([name])').first().click();
	await settle(emp);
	const conv = new URL(emp.url()).pathname;

	await go(ret, conv, { name: 'conversation' });
	const send = await ret.locator('form.reply button[type=submit]').first().boundingBox();
	const link = ret.locator('a.block-link');
	const box = await link.boundingBox();
	assert.ok(box.y - (send.y + send.height) >= 40,
	    `the block link is ${box.y - (send.y + send.height)}px under Send`);
	await link.click();
	await settle(ret, { name: 'block-question' });
	assert.equal(new URL(ret.url()).pathname, `${conv}/block`);
	await ret.locator(`form[action="${conv}/block"] button.danger`).click();
	await settle(ret, { name: 'blocked' });
	assert.equal(await ret.locator('a.block-link').count(), 0);

	// The counsellors' log says so.
	await go(mod, '/mod/audit', { name: 'audit-block' });
	assert.match(await mod.locator('main').innerText(), /حظر أحد العائدين/);
	for (const p of [emp, mod, ret])
		await p.context().close();
});
