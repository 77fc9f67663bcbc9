// A mail in Sorani, opened in Chromium from its .eml (issue 20): with no
// relay set, the sender writes each mail to mail_dir as ID.eml; this test
// queues one notification for a Sorani reader with a confirmed address,
// runs `magnet mail send` with mail_dir set to a folder of its own, takes
// the text/html part out of the file (base64 or quoted-printable,
// decoded here) and shows it on a 360x740 phone: the document is ckb,
// its text runs right to left and sits against the right edge.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
	SHOTS, SIZES, TOP, launch, psql, unique,
} from './lib.mjs';

const PHONE = SIZES.find((s) => s.name === 'phone');
const BIN = process.env.MAGNET_BIN || path.join(TOP, 'build/san/magnet');
const TITLE = 'وەستای جۆشکاری لە دهۆک';
let browser;

// The decoded body of the first part of type `type` of a MIME message.
function mimePart(eml, type) {
	const [head] = eml.split(/\r?\n\r?\n/, 1);
	const bound = /boundary="?([^";\r\n]+)"?/i.exec(head)[1];
	for (const part of eml.split('--' + bound).slice(1, -1)) {
		const cut = part.search(/\r?\n\r?\n/);
		const h = part.slice(0, cut);
		const body = part.slice(cut).trim();
		if (!new RegExp('^content-type:\\s*' + type, 'im').test(h))
			continue;
		const cte = (/^content-transfer-encoding:\s*(\S+)/im.exec(h) ||
		    [])[1]?.toLowerCase();
		if (cte === 'base64')
			return Buffer.from(body, 'base64').toString('utf8');
		if (cte === 'quoted-printable') {
			const soft = body.replace(/=\r?\n/g, '');
			const bytes = [];
			for (let i = 0; i < soft.length; i++) {
				const hex = /^=([0-9A-F]{2})/i.exec(soft.slice(i, i + 3));
				bytes.push(hex ? parseInt(hex[1], 16) :
				    soft.charCodeAt(i));
				if (hex)
					i += 2;
			}
			return Buffer.from(bytes).toString('utf8');
		}
		return body;
	}
	return null;
}

before(async () => {
	browser = await launch();
});

after(async () => {
	await browser?.close();
});

test('a Sorani mail from its .eml reads right to left on a phone', async () => {
	const name = unique('ml');
	const uid = psql(`INSERT INTO users (username, username_key,
	    password_hash, role, lang, email) VALUES ('${name}', '${name}',
	    'x', 'returnee', 'ckb', '${name}@example.org') RETURNING id`);
	psql(`INSERT INTO notifications (user_id, kind, actor_id, subject,
	    link) VALUES (${uid}, 'application_status', ${uid}, '${TITLE}',
	    '/applications')`);
	const id = psql(`SELECT id FROM mail_outbox WHERE user_id = ${uid}`);
	assert.match(id, /^\d+$/, 'no mail queued');

	// The suite's settings, with mail to a folder of this test's own.
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'magnet-mail-'));
	const conf = path.join(dir, 'test.conf');
	const base = fs.readFileSync(path.join(TOP, 'tests/http/test.conf'),
	    'utf8').split('\n').filter((l) => !/^\s*(mail_dir|smtp_host)\b/
	    .test(l));
	fs.writeFileSync(conf, base.concat([`mail_dir = ${dir}`, '']).join('\n'));
	execFileSync(BIN, ['mail', 'send'], {
		cwd: TOP, timeout: 30000, stdio: ['ignore', 'ignore', 'pipe'],
		env: { ...process.env, MAGNET_DB: process.env.MAGNET_TEST_DB,
		    MAGNET_CONF: conf },
	});
	const eml = fs.readFileSync(path.join(dir, `${id}.eml`), 'utf8');
	assert.equal(psql(`SELECT state FROM mail_outbox WHERE id = ${id}`),
	    'sent');
	const html = mimePart(eml, 'text/html');
	assert.ok(html, 'no text/html part');
	const text = mimePart(eml, 'text/plain');
	assert.ok(text.includes(TITLE), 'the plain-text part lacks the title');

	const ctx = await browser.newContext({ javaScriptEnabled: false,
	    viewport: { width: PHONE.width, height: PHONE.height } });
	const page = await ctx.newPage();
	await page.setContent(html, { waitUntil: 'load', timeout: 15000 });
	const got = await page.evaluate((title) => {
		const h1 = document.querySelector('h1');
		const r = document.createRange();
		r.selectNodeContents(h1);
		// Each line of the heading, as laid out.
		const lines = [...r.getClientRects()];
		const t = lines[lines.length - 1];
		const box = h1.getBoundingClientRect();
		const cs = getComputedStyle(h1);
		return {
			lang: document.documentElement.lang,
			dir: document.documentElement.dir,
			direction: getComputedStyle(document.body).direction,
			h1Direction: cs.direction,
			align: cs.textAlign,
			title: h1.textContent.includes(title),
			leftGap: t.left - box.left,
			rightGap: Math.max(...lines.map((l) => box.right - l.right)),
			scroll: document.documentElement.scrollWidth -
			    document.documentElement.clientWidth,
		};
	}, TITLE);
	fs.mkdirSync(path.join(SHOTS, 'mail'), { recursive: true });
	await page.screenshot({ path: path.join(SHOTS, 'mail',
	    'ckb-phone.png'), fullPage: true });
	await ctx.close();
	fs.rmSync(dir, { recursive: true, force: true });

	assert.equal(got.lang, 'ckb');
	assert.equal(got.dir, 'rtl');
	assert.equal(got.direction, 'rtl');
	assert.equal(got.h1Direction, 'rtl');
	assert.ok(got.title, 'the title is not in the heading');
	assert.ok(['start', 'right'].includes(got.align), got.align);
	// Every line of the heading starts at the right edge; the room left
	// over on its last line is on the left.
	assert.ok(got.rightGap <= 1, `right gap ${got.rightGap}`);
	assert.ok(got.leftGap > 20, `left gap ${got.leftGap}`);
	assert.ok(got.scroll <= 0, `scrolls sideways by ${got.scroll}`);
});
