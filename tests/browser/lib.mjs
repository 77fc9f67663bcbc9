// Helpers for the browser suite: Debian's Chromium driven by playwright-core
// (never a downloaded browser), contexts with JavaScript off, and the checks
// every visited page must pass: language and direction, no sideways scroll
// on a phone, a name for every form field, no English left in a translated
// page, no serious or critical axe-core violation, valid HTML as tidy reads
// it, and at most 30 KB on the wire with gzip.  Every page visited is also
// photographed into var/screenshots/<lang>-<size>/<NN>-<page>.png.
// tests/run.sh starts the server and passes its address in MAGNET_BROWSER_BASE.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
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
	{ name: 'phone', width: 360, height: 740 },
	{ name: 'desktop', width: 1280, height: 800 },
];
// The journeys run in the source language and in a right-to-left one.
export const LANGS = ['en', 'ckb'];

const RTL = new Set(['ckb', 'kmr-Arab', 'ar']);

// Weight of every page seen, for the closing summary: path -> bytes.
export const weights = new Map();
// Per language and size ("ckb-phone"): pages inspected, the heaviest page,
// and the axe findings below "serious" (reported, not failed).
export const stats = new Map();
function statsFor(page) {
	const key = `${page.expectLang}-${page.size.name}`;
	if (!stats.has(key))
		stats.set(key, { pages: 0, heaviest: ['', 0], minor: new Map() });
	return stats.get(key);
}

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
	page.ip = ip;
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
// opts: status (expected, default < 400), lang, name (of the screenshot).
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
	const where = new URL(page.url()).pathname;
	const html = (await last.body()).toString('utf8');
	await timed('page', () => checkPage(page, opts));
	await timed('tidy', () => checkTidy(where, html));
	await timed('axe', () => checkAxe(page, last, html));
	await timed('wire', () => checkWire(page, last));
	await timed('shot', () => shot(page, opts.name));
	statsFor(page).pages += 1;
	return last;
}

// Where the time goes (milliseconds per check), for the closing summary.
export const spent = new Map();
async function timed(what, f) {
	const t = Date.now();
	try {
		return await f();
	} finally {
		spent.set(what, (spent.get(what) || 0) + Date.now() - t);
	}
}

function weigh(page, key, bytes) {
	weights.set(key, Math.max(weights.get(key) || 0, bytes));
	const st = statsFor(page);
	if (bytes > st.heaviest[1])
		st.heaviest = [key, bytes];
}

// What the browser received, for every document on the way (form answers
// included, which cannot be fetched again).
async function checkWeight(resp) {
	const url = new URL(resp.url());
	const sizes = await resp.request().sizes();
	const h = await resp.allHeaders();
	const bytes = sizes.responseBodySize;
	const key = url.pathname;
	assert.ok(bytes <= PAGE_LIMIT,
	    `${key}: ${bytes} bytes on the wire, more than ${PAGE_LIMIT}`);
	if (bytes > 1024)
		assert.equal(h['content-encoding'], 'gzip', key + ' is not gzipped');
}

// The same page fetched again outside the browser, with the page's cookies
// and Accept-Encoding: gzip: the bytes transferred (status line, headers
// and compressed body) are at most PAGE_LIMIT.  Only pages reached by GET
// (a form's answer cannot be asked for twice).
async function checkWire(page, resp) {
	if (resp.request().method() !== 'GET')
		return;
	const url = new URL(resp.url());
	const cookies = (await page.context().cookies(url.href))
	    .map((c) => `${c.name}=${c.value}`).join('; ');
	const got = await new Promise((resolve, reject) => {
		const req = http.get(url, {
			headers: {
				'Accept-Encoding': 'gzip', 'Cookie': cookies,
				'X-Forwarded-For': page.ip,
				'Accept-Language': 'en-GB,en;q=0.9',
			},
			timeout: 15000,
		}, (res) => {
			let body = 0;
			res.on('data', (b) => { body += b.length; });
			res.on('end', () => {
				let head = `HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\n`.length + 2;
				for (let i = 0; i < res.rawHeaders.length; i += 2)
					head += res.rawHeaders[i].length + 2 +
					    Buffer.byteLength(res.rawHeaders[i + 1]) + 2;
				resolve({ status: res.statusCode, body, head,
					enc: res.headers['content-encoding'] });
			});
			res.on('error', reject);
		});
		req.on('timeout', () => req.destroy(new Error('timed out')));
		req.on('error', reject);
	});
	const key = url.pathname + url.search;
	const bytes = got.head + got.body;
	assert.equal(got.status, resp.status(), `${key}: fetched again, status ${got.status}`);
	if (got.body > 1024)
		assert.equal(got.enc, 'gzip', key + ' is not gzipped');
	assert.ok(bytes <= PAGE_LIMIT,
	    `${key}: ${bytes} bytes transferred with gzip, more than ${PAGE_LIMIT}`);
	weigh(page, key, bytes);
}

// Valid HTML as HTML Tidy reads it, with the flags and the known false
// positives of tests/http/test_html_valid.py: Tidy 5.6 (Debian 12)
// predates aria-current on a button, minlength on an input and the global
// inputmode attribute (the vacancy form's amounts), all valid HTML5.
const TIDY_OUTDATED = /proprietary attribute "(aria-current|minlength|inputmode)"/;
export function tidyProblems(html) {
	const out = spawnSync('tidy', ['-q', '-e', '--show-warnings', 'yes'],
	    { input: html, timeout: 20000 });
	assert.ok(!out.error, 'tidy did not run: ' + out.error);
	return out.stderr.toString().split('\n')
	    .filter((l) => l.trim() && !TIDY_OUTDATED.test(l));
}

function checkTidy(where, html) {
	assert.deepEqual(tidyProblems(html), [], where + ': tidy');
}

// axe-core on the page as shown.  Timers never fire in a page with
// scripts off, and axe needs them, so the very response the journey got
// (same body and headers, CSP included) is shown again in a twin page of
// the same size with scripts on, fulfilled from memory, with axe put in
// before it loads.  The stylesheet comes from the server as usual; every
// other request of the twin is refused.
const AXE = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)),
    'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const twins = new WeakMap();
async function twinOf(page) {
	const browser = page.context().browser();
	let t = twins.get(browser);
	if (!t) {
		const ctx = await browser.newContext({ javaScriptEnabled: true });
		// Put in through the DevTools protocol before the page's own
		// scripts (there are none), which the CSP does not govern.
		await ctx.addInitScript({ content: AXE });
		ctx.setDefaultTimeout(ACTION_TIMEOUT);
		ctx.setDefaultNavigationTimeout(NAV_TIMEOUT);
		t = { page: await ctx.newPage(), doc: null };
		await t.page.route('**/*', (route) => {
			const r = route.request();
			if (t.doc && r.isNavigationRequest() && r.url() === t.doc.url)
				return route.fulfill(t.doc);
			if (r.resourceType() === 'stylesheet')
				return route.continue();
			return route.abort();
		});
		twins.set(browser, t);
	}
	return t;
}

export const SERIOUS = new Set(['serious', 'critical']);
async function checkAxe(page, resp, html) {
	const where = new URL(page.url()).pathname;
	const t = await twinOf(page);
	const headers = { ...(await resp.allHeaders()) };
	delete headers['content-encoding'];
	delete headers['content-length'];
	delete headers['set-cookie'];
	t.doc = { url: resp.url(), status: resp.status(), headers, body: html };
	await t.page.setViewportSize({ width: page.size.width, height: page.size.height });
	await t.page.goto(resp.url(), { waitUntil: 'load' });
	t.doc = null;
	// The twin shows the same document, styled (colour contrast needs it).
	const twin = await t.page.evaluate(() => ({ title: document.title,
		rules: [...document.styleSheets].reduce((n, x) => n + x.cssRules.length, 0) }));
	assert.equal(twin.title, await page.title(), where + ': the axe twin shows another page');
	assert.ok(twin.rules > 0, where + ': the axe twin has no stylesheet');
	const found = await t.page.evaluate(async () => {
		const r = await window.axe.run(document, { resultTypes: ['violations'] });
		return r.violations.map((v) => ({ id: v.id, impact: v.impact,
			help: v.help, nodes: v.nodes.slice(0, 3).map((n) =>
			    n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\s+/g, ' ').slice(0, 200)) }));
	});
	const bad = found.filter((v) => SERIOUS.has(v.impact));
	for (const v of found.filter((x) => !SERIOUS.has(x.impact))) {
		const m = statsFor(page).minor;
		const k = `${v.impact} ${v.id} on ${where}`;
		m.set(k, (m.get(k) || 0) + 1);
	}
	assert.deepEqual(bad.map((v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.join(' | ')}`), [],
	    `${where} [${page.expectLang} ${page.size.name}]: axe-core violations`);
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
	if (RTL.has(lang))
		await noEnglishLeft(page, where);
}

// In a translated page the interface itself (the bar, headings outside
// user text, labels, buttons) has no Latin letters left.
async function noEnglishLeft(page, where) {
	const left = await page.evaluate(() => {
		const user = (e) => e.closest('[dir=auto], bdi, .body, .pre, option');
		const items = [...document.querySelectorAll(
		    'nav.bar > a:not([href="/account"]), main h1, main h2, label, legend, button')]
		    .filter((e) => !user(e) && !e.closest('.langs'));
		const own = (e) => {
			const c = e.cloneNode(true);
			c.querySelectorAll('[dir=auto], bdi, .body, .pre, time, code')
			    .forEach((u) => u.remove());
			return c.textContent.trim();
		};
		return items.map(own)
		    .filter((t) => /[A-Za-z]{2,}/.test(t));
	});
	assert.deepEqual(left, [], where + ': English left over');
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
// only repeat themselves further down and cost time to capture), numbered
// in the order of the visits: var/screenshots/<lang>-<size>/<NN>-<name>.png.
// The name is the path's words, with numbers as "N" (/t/12 -> t-N).
const shotCount = new Map();
export async function shot(page, name) {
	const dir = path.join(SHOTS, `${page.expectLang}-${page.size.name}`);
	fs.mkdirSync(dir, { recursive: true });
	if (!shotCount.has(dir))
		shotCount.set(dir, fs.readdirSync(dir).length);
	const n = shotCount.get(dir) + 1;
	shotCount.set(dir, n);
	const p = new URL(page.url()).pathname;
	name = name || p.split('/').filter(Boolean)
	    .map((w) => /^\d+$/.test(w) ? 'N' : w.replace(/[^A-Za-z0-9_-]/g, '_'))
	    .join('-') || 'home';
	const height = await page.evaluate(() => document.documentElement.scrollHeight);
	await page.screenshot({
		path: path.join(dir, `${String(n).padStart(3, '0')}-${name}.png`),
		timeout: 20000,
		fullPage: true,
		clip: { x: 0, y: 0, width: page.size.width, height: Math.min(height, 2400) },
	});
}

// SQL against the test database (MAGNET_TEST_DB): its output, trimmed.
export function psql(sql) {
	return execFileSync('psql', [process.env.MAGNET_TEST_DB, '-v',
		'ON_ERROR_STOP=1', '-qtAc', sql], { timeout: 20000 })
	    .toString().trim();
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

// Fields are found by id or name, never by their (translated) labels, so
// the same journey runs in every language; lib's checks and axe make sure
// each has a label.
export async function register(page, role = 'returnee', enterprise = null) {
	const name = unique(role === 'employer' ? 'e' : 'r');
	const password = 'correct horse battery ' + Math.floor(Math.random() * 1e6);
	await go(page, '/register');
	await page.locator('#username').fill(name);
	await page.locator('#password').fill(password);
	await page.locator(`input[name=role][value=${role}]`).check();
	if (enterprise)
		await page.locator('#enterprise').fill(enterprise);
	await page.locator('form[action="/register"] button[type=submit]').click();
	await settle(page);
	assert.equal(await page.locator('form[action="/logout"]').count(), 1,
	    'registering did not sign in ' + name);
	return { name, password };
}

export async function signIn(page, who, opts = {}) {
	await go(page, '/login');
	await page.locator('#username').fill(who.name);
	await page.locator('#password').fill(who.password);
	await page.locator('main form[action="/login"] button[type=submit]').click();
	await settle(page, opts);
	if (opts.status === undefined)
		assert.equal(await page.locator('form[action="/logout"]').count(), 1,
		    'not signed in as ' + who.name);
}

export async function signOut(page) {
	await page.locator('form[action="/logout"] button').click();
	await settle(page);
}

// A new visitor reads `lang`: the first page, then the language links.
export async function arrive(browser, size, lang, p = '/') {
	const page = await visitor(browser, size);
	await go(page, p);
	if (lang !== page.expectLang)
		await switchLang(page, lang);
	return page;
}

// Switch language with the switch on the page, the page staying the same:
// a visitor's links (GET /lang/{tag}, issue 19), a signed-in user's
// buttons (the form also saves the account's language).
export async function switchLang(page, lang) {
	const before = new URL(page.url());
	const link = page.locator(`p.langs a[hreflang="${lang}"]`);
	if (await link.count() > 0)
		await link.click();
	else
		await page.locator(`form.langs button[value="${lang}"]`).click();
	page.expectLang = lang;
	await settle(page);
	const after = new URL(page.url());
	assert.equal(after.pathname + after.search, before.pathname + before.search,
	    'the language switch left the page');
}
