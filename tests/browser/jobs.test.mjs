// The vacancy page with JavaScript on.  Its schema.org JobPosting sits in
// a <script type="application/ld+json"> data block; the CSP (no
// script-src, default-src 'none') blocks scripts but must not report the
// data block, and a hostile title must not become a script.  A control
// page served with the same CSP and an inline script shows that the
// check does see violations.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
	BASE, SIZES, go, launch, makeUser, register, settle, signIn, unique,
	visitor,
} from './lib.mjs';

let browser;
let moderator;

before(async () => {
	browser = await launch();
	moderator = makeUser('moderator');
});

after(async () => {
	await browser?.close();
});

const DEADLINE = new Date(Date.now() + 20 * 86400e3).toISOString().slice(0, 10);

// A context with scripts on that records every CSP report Chromium makes,
// through the console and through the DevTools log.
async function scripted() {
	const ctx = await browser.newContext({
		javaScriptEnabled: true,
		extraHTTPHeaders: { 'X-Forwarded-For': `10.251.${process.pid % 250}.7` },
	});
	const page = await ctx.newPage();
	page.csp = [];
	const keep = (text) => {
		if (/Content.Security.Policy/i.test(text))
			page.csp.push(text);
	};
	page.on('console', (m) => keep(m.text()));
	const cdp = await ctx.newCDPSession(page);
	await cdp.send('Log.enable');
	cdp.on('Log.entryAdded', (e) => keep(e.entry.text));
	return page;
}

test('the JSON-LD data block raises no CSP report, an inline script does', async () => {
	const title = 'Welder </script><script>document.title="owned"</script> ' + unique('v');
	const emp = await visitor(browser, SIZES[0]);
	let vacancy;
	try {
		await register(emp, 'employer', 'CSP Steel ' + unique('z'));
		await go(emp, '/jobs/new');
		await emp.getByLabel('Title').fill(title);
		await emp.getByLabel('Description').fill('Weld **frames**.');
		await emp.getByLabel('Governorate').selectOption('erbil');
		await emp.getByLabel('Sector').selectOption('construction');
		await emp.getByLabel('Contract').selectOption('full_time');
		await emp.getByLabel('From').fill('900000');
		await emp.getByLabel('Deadline for applications').fill(DEADLINE);
		await emp.getByRole('button', { name: 'Send for review' }).click();
		await settle(emp);
		vacancy = new URL(emp.url()).pathname;
		assert.match(vacancy, /^\/jobs\/\d+$/);
	} finally {
		await emp.context().close();
	}
	const mod = await visitor(browser, SIZES[0]);
	try {
		await signIn(mod, moderator);
		await go(mod, '/mod/jobs');
		await mod.locator(`#v${vacancy.split('/')[2]}`)
		    .getByRole('button', { name: 'Approve' }).click();
		await settle(mod);
	} finally {
		await mod.context().close();
	}
	const page = await scripted();
	try {
		const resp = await page.goto(BASE + vacancy, { waitUntil: 'load' });
		assert.equal(resp.status(), 200);
		const csp = resp.headers()['content-security-policy'];
		assert.match(csp, /default-src 'none'/);
		assert.doesNotMatch(csp, /script-src|unsafe-inline/);
		const block = page.locator('script[type="application/ld+json"]');
		assert.equal(await block.count(), 1);
		const data = JSON.parse(await block.textContent());
		assert.equal(data['@type'], 'JobPosting');
		assert.equal(data.title, title);
		assert.equal(data.baseSalary.currency, 'IQD');
		assert.equal(await page.locator('script:not([type="application/ld+json"])').count(), 0);
		// The title isolates the vacancy's (U+2068 ... U+2069).
		assert.ok((await page.title()).replace(/^\u2068/, '').startsWith('Welder'),
		    'a script ran');
		await page.waitForTimeout(300);
		assert.deepEqual(page.csp, [], 'the vacancy page raised a CSP report');

		// The control: the same CSP on a page with an inline script.
		await page.route(BASE + '/csp-control', (route) => route.fulfill({
			status: 200,
			contentType: 'text/html; charset=utf-8',
			headers: { 'Content-Security-Policy': csp },
			body: '<!doctype html><title>control</title>' +
			    '<script>document.title = "ran"</script>',
		}));
		await page.goto(BASE + '/csp-control', { waitUntil: 'load' });
		await page.waitForTimeout(300);
		assert.equal(await page.title(), 'control', 'the inline script ran');
		assert.ok(page.csp.length > 0, 'no CSP report seen for an inline script');
	} finally {
		await page.context().close();
	}
});
