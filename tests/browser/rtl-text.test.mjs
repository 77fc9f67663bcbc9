// Right-to-left pages and what people copy from them (issue 17), as
// Chromium lays them out on a phone: the examples the site gives (a phone
// number, a web address, a date, the formatting marks) read left to
// right in the order they are typed, inside Sorani and Arabic sentences,
// and a phone number in an enterprise's address keeps its order.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
	SIZES, arrive, go, launch, register, settle, unique,
} from './lib.mjs';

let browser;
const phone = SIZES.find((s) => s.name === 'phone');

before(async () => {
	browser = await launch();
});

after(async () => {
	await browser?.close();
});

// The left edge of each piece of text, found in turn (each after the one
// before, in the text's order) inside the first element matched by
// selector whose text holds `within`: on screen, each must lie right of
// the one before, as when the pieces are typed.
async function leftToRight(page, selector, within, pieces) {
	const xs = await page.evaluate(([sel, inside, parts]) => {
		const el = [...document.querySelectorAll(sel)]
		    .find((e) => e.textContent.includes(inside));
		if (!el)
			return null;
		const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
		const nodes = [];
		let text = '';
		for (let n = walker.nextNode(); n; n = walker.nextNode()) {
			nodes.push([n, text.length]);
			text += n.data;
		}
		let from = 0;
		return parts.map((part) => {
			const at = text.indexOf(part, from);
			if (at < 0)
				return null;
			from = at + part.length;
			const [n, start] = nodes.filter(([, o]) => o <= at).pop();
			const r = document.createRange();
			r.setStart(n, at - start);
			r.setEnd(n, at - start + 1);
			return r.getBoundingClientRect().left;
		});
	}, [selector, within, pieces]);
	assert.ok(xs, `no ${selector} holding ${within}`);
	for (let i = 0; i < pieces.length; i++)
		assert.notEqual(xs[i], null, `${pieces[i]} not found in ${within}`);
	for (let i = 1; i < pieces.length; i++)
		assert.ok(xs[i] > xs[i - 1],
		    `${within}: "${pieces[i]}" (${xs[i]}) is not right of ` +
		    `"${pieces[i - 1]}" (${xs[i - 1]})`);
}

for (const lang of ['ckb', 'ar']) {
	test(`examples read as typed in ${lang} on a phone`, async () => {
		const page = await arrive(browser, phone, lang, '/register');
		await register(page, 'employer', 'Acme ' + unique('n'));

		// The formatting help under a text box.
		await go(page, '/jobs/new', { name: 'jobs-new-hint' });
		await leftToRight(page, '.md-hint code', 'https://', ['[', '](', 'https', '…)']);
		await leftToRight(page, '.md-hint code', '**', ['**', '**']);
		await leftToRight(page, '#deadline-help code', '2025', ['2025', '06', '30']);

		// The errors of the enterprise form name their examples.
		await go(page, '/enterprise');
		await page.locator('#phone').fill('call me');
		await page.locator('#website').fill('exa mple.com');
		await page.locator('#address').fill(lang === 'ar'
		    ? 'شارع ٦٠ متري، هاتف 066 222 3333' : 'شەقامی ٦٠ مەتری، تەلەفۆن 066 222 3333');
		await page.locator('form[action="/enterprise"] button[type=submit]').click();
		await settle(page, { status: 422, name: 'enterprise-errors' });
		await leftToRight(page, '#phone-err code', '964', ['+', '964', '750', '123', '4567']);
		await leftToRight(page, '#website-err code', 'https', ['https', '//', 'www']);
		// The summary links each problem to its field.
		assert.equal(await page.locator('.err-list a[href="#phone"]').count(), 1);
		assert.equal(await page.locator('.err-list a[href="#website"]').count(), 1);

		// Fixed, saved: the phone number in the address keeps its order.
		await page.locator('#phone').fill('+964 750 123 4567');
		await page.locator('#website').fill('acme.example');
		await page.locator('form[action="/enterprise"] button[type=submit]').click();
		await settle(page);
		const id = await page.evaluate(() =>
		    document.querySelector('a[href^="/enterprises/"]')
			?.getAttribute('href'));
		assert.ok(id, 'no link to the enterprise page');
		await go(page, id, { name: 'enterprise-page' });
		await leftToRight(page, 'dd', '066', ['066', '222', '3333']);
		assert.equal(await page.locator('a[href="https://acme.example"]').count(), 1);
	});
}
