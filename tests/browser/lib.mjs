// Helpers for the browser suite: Debian's Chromium driven by playwright-core
// (never a downloaded browser), contexts with JavaScript off, and the checks
// every visited page must pass: language and direction, no sideways scroll
// on a phone, a name for every form field, and the weight on the wire.
// tests/run.sh starts the server and passes its address in MAGNET_BROWSER_BASE.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const TOP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BASE = process.env.MAGNET_BROWSER_BASE || 'http://127.0.0.1:8080';
export const SHOTS = path.join(TOP, 'var', 'screenshots');
export const PAGE_LIMIT = 30 * 1024;   // bytes on the wire, gzip
export const CSS_LIMIT = 15 * 1024;

// Every wait is bounded: these are the only timeouts, and short.
const NAV_TIMEOUT = 15000;
const ACTION_TIMEOUT = 5000;

export const SIZES = [
	{ name: 'phone', width: 360, height: 640 },
	{ name: 'desktop', width: 1280, height: 800 },
];

const RTL = new Set(['ckb', 'kmr-Arab', 'ar']);

// Weight of every page seen, for the closing summary: path -> bytes.
export const weights = new Map();

// One browser per test file.  playwright's launch() gives each browser a
// fresh user-data-dir of its own and removes it on close.
export async function launch() {
	return chromium.launch({
		executablePath: '/usr/bin/chromium',
		headless: true,
		timeout: 30000,
		args: ['--headless', '--no-sandbox', '--disable-gpu',
			'--disable-quic', '--no-first-run',
			'--disable-background-networking',
			'--disable-component-update', '--disable-sync'],
	});
}

let ipSeq = 0;
// A visitor: own cookies, own client address (the test server trusts
// X-Forwarded-For, so rate limits per address do not pile up), no scripts.
export async function visitor(browser, size) {
	ipSeq += 1;
	const ip = `10.${200 + (process.pid % 50)}.${(ipSeq >> 8) & 255}.${ipSeq & 255}`;
	const ctx = await browser.newContext({
		javaScriptEnabled: false,
		viewport: { width: size.width, height: size.height },
		extraHTTPHeaders: { 'X-Forwarded-For': ip },
		locale: 'en-GB',
	});
	ctx.setDefaultTimeout(ACTION_TIMEOUT);
	ctx.setDefaultNavigationTimeout(NAV_TIMEOUT);
	const page = await ctx.newPage();
	page.size = size;
	page.expectLang = 'en';
	// Every document the page loads (links, form posts, redirects' ends)
	// is weighed and checked after it settles: see settle().
	page.docs = [];
	page.on('response', (r) => {
		if (r.request().resourceType() === 'document' && r.frame() === page.mainFrame())
			page.docs.push(r);
	});
	return page;
}

export function unique(prefix = 'b') {
	return prefix + Date.now().toString(36).slice(-6) +
	    Math.floor(Math.random() * 1e4).toString().padStart(4, '0');
}

// Go somewhere and check the page.
export async function go(page, p, opts = {}) {
	const resp = await page.goto(BASE + p, { waitUntil: 'load' });
	assert.ok(resp, 'no response for ' + p);
	return settle(page, opts);
}

// After a navigation (goto, a click, Enter in a form): check the document
// that ended up on screen and every document fetched on the way.
export async function settle(page, opts = {}) {
	await page.waitForLoadState('load');
	const docs = page.docs.splice(0);
	assert.ok(docs.length > 0, 'no page was loaded');
	const last = docs[docs.length - 1];
	const status = last.status();
	if (opts.status !== undefined)
		assert.ok([opts.status].flat().includes(status),
		    `${last.url()}: status ${status}, not ${opts.status}`);
	else
		assert.ok(status < 400, `${last.url()}: status ${status}`);
	for (const r of docs) {
		if (r.status() >= 300 && r.status() < 400)
			continue;
		await checkWeight(r);
	}
	await checkPage(page, opts);
	return last;
}

async function checkWeight(resp) {
	const url = new URL(resp.url());
	const sizes = await resp.request().sizes();
	const h = await resp.allHeaders();
	const bytes = sizes.responseBodySize;
	const key = url.pathname;
	weights.set(key, Math.max(weights.get(key) || 0, bytes));
	assert.ok(bytes <= PAGE_LIMIT,
	    `${key}: ${bytes} bytes on the wire, more than ${PAGE_LIMIT}`);
	if (bytes > 1024)
		assert.equal(h['content-encoding'], 'gzip', key + ' is not gzipped');
}

// The checks that hold on every page.
export async function checkPage(page, opts = {}) {
	const lang = opts.lang || page.expectLang;
	const where = new URL(page.url()).pathname;
	const info = await page.evaluate(() => {
		const d = document.documentElement;
		const bar = document.querySelector('nav.bar');
		const first = bar && bar.querySelector('a');
		return {
			barRight: bar ? bar.getBoundingClientRect().right : null,
			barLeft: bar ? bar.getBoundingClientRect().left : null,
			firstRight: first ? first.getBoundingClientRect().right : null,
			firstLeft: first ? first.getBoundingClientRect().left : null,
			lang: d.getAttribute('lang'), dir: d.getAttribute('dir'),
			scrollWidth: d.scrollWidth, clientWidth: d.clientWidth,
			wide: d.scrollWidth <= d.clientWidth ? [] :
			    [...document.querySelectorAll('body *')]
			    .filter((e) => e.getBoundingClientRect().right > d.clientWidth + 1 ||
				e.getBoundingClientRect().left < -1)
			    .filter((e) => !e.classList.contains('skip'))
			    .slice(0, 5).map((e) => e.outerHTML.slice(0, 120)),
		};
	});
	assert.equal(info.lang, lang, where + ': <html lang>');
	assert.equal(info.dir, RTL.has(lang) ? 'rtl' : 'ltr', where + ': <html dir>');
	// The main bar starts at the start edge: the right one in RTL.
	if (info.barRight !== null) {
		const gap = RTL.has(lang) ? info.barRight - info.firstRight :
		    info.firstLeft - info.barLeft;
		assert.ok(gap >= 0 && gap <= 20,
		    `${where}: the main bar's first link is ${gap}px from its start edge`);
	}
	assert.ok(info.scrollWidth <= info.clientWidth,
	    `${where} at ${page.size.width}px scrolls sideways ` +
	    `(${info.scrollWidth} > ${info.clientWidth}): ${info.wide.join(' | ')}`);
	await checkLabels(page, where);
}

const FIELD_ROLES = new Set(['textbox', 'searchbox', 'combobox', 'listbox',
	'checkbox', 'radio', 'spinbutton', 'slider', 'switch', 'button']);

// Every form field and button has an accessible name, as Chromium's own
// accessibility tree computes it.
async function checkLabels(page, where) {
	const cdp = await page.context().newCDPSession(page);
	try {
		const { nodes } = await cdp.send('Accessibility.getFullAXTree');
		const nameless = nodes.filter((n) => !n.ignored &&
		    FIELD_ROLES.has(n.role?.value) && !(n.name?.value || '').trim());
		assert.deepEqual(nameless.map((n) => n.role.value), [],
		    where + ': form fields without a label');
	} finally {
		await cdp.detach();
	}
}

// A screenshot of the page from the top, at most 2,400 px tall (long lists
// only repeat themselves further down and cost time to capture).
export async function shot(page, name) {
	fs.mkdirSync(SHOTS, { recursive: true });
	const height = await page.evaluate(() => document.documentElement.scrollHeight);
	await page.screenshot({
		path: path.join(SHOTS, `${name}-${page.expectLang}-${page.size.name}.png`),
		fullPage: true, timeout: 20000,
		clip: { x: 0, y: 0, width: page.size.width, height: Math.min(height, 2400) },
	});
}

// Accounts that cannot register themselves come from `magnet user add`.
export function makeUser(role) {
	const name = unique(role.slice(0, 3));
	const password = 'a long browser passphrase ' + Math.random();
	execFileSync(process.env.MAGNET_BIN || path.join(TOP, 'build/san/magnet'),
	    ['user', 'add', name, '--role', role], {
		input: password + '\n', cwd: TOP, timeout: 20000,
		env: { ...process.env, MAGNET_DB: process.env.MAGNET_TEST_DB },
		stdio: ['pipe', 'ignore', 'pipe'],
	});
	return { name, password };
}

export async function register(page, role = 'returnee', enterprise = null) {
	const name = unique(role === 'employer' ? 'e' : 'r');
	const password = 'correct horse battery ' + Math.floor(Math.random() * 1e6);
	await go(page, '/register');
	await page.getByLabel('Username').fill(name);
	await page.getByLabel('Password').fill(password);
	await page.locator(`input[name=role][value=${role}]`).check();
	if (enterprise)
		await page.getByLabel(/Enterprise/).fill(enterprise);
	await page.getByRole('button', { name: 'Register' }).click();
	await settle(page);
	return { name, password };
}

export async function signIn(page, who) {
	await go(page, '/login');
	await page.getByLabel('Username').fill(who.name);
	await page.getByLabel('Password').fill(who.password);
	await page.locator('main').getByRole('button', { name: 'Sign in' }).click();
	await settle(page);
	assert.equal(await page.locator('form[action="/logout"]').count(), 1,
	    'not signed in as ' + who.name);
}

export async function signOut(page) {
	await page.locator('form[action="/logout"] button').click();
	await settle(page);
}

// Switch language with the buttons on the page; the page stays the same.
export async function switchLang(page, lang) {
	const before = new URL(page.url());
	await page.locator(`form.langs button[value="${lang}"]`).click();
	page.expectLang = lang;
	await settle(page);
	const after = new URL(page.url());
	assert.equal(after.pathname + after.search, before.pathname + before.search,
	    'the language switch left the page');
}
