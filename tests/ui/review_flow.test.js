// The reviewer UI end to end: the real vigil binary on a temporary SQLite file, benign
// demo images scanned through POST /v1/scan (so cases exist), a local webhook receiver,
// and Debian's chromium driven by playwright-core. Run through run.sh (ctest).
//
// Flow: wrong token -> error; login -> queue (keys, help) -> case (preview veiled by
// computed style, revealed on click) -> remove -> signed webhook received -> complaint
// filed by the platform -> the deciding reviewer may not decide the appeal, a second
// reviewer does -> reinstatement webhook -> banks page import with progress -> dashboard
// charts. No console errors (a CSP violation would be one) anywhere.
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {spawn, execFileSync} from 'node:child_process';
import {createHmac, randomBytes} from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {chromium} from 'playwright-core';

const vigil = process.env.VIGIL;
const root = process.env.VIGIL_ROOT;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-ui-'));
const env = {...process.env, VIGIL_DB: path.join(work, 'vigil.db')};
const kSecret = 'ui-test-webhook-secret-0123456789';
const kUploads = ['bridge-repost.jpg', 'street-exact-copy.jpg', 'pen-thumb.jpg', 'unrelated-1.jpg'];
// The video step: a bank made from one sample video, and an edit of it (a logo added) uploaded.
const kBankVideo = 'chair-20-sd-bar.mp4';
const kUploadVideo = 'chair-22-with-small-logo-bar.mp4';
const media = path.join(work, 'media');  // what `vigil serve --media-dir` serves

let server;       // the vigil serve child process
let base;         // http://127.0.0.1:<port>
let receiver;     // the webhook receiver
const hooks = [];  // webhooks received: {headers, body}
let context;      // the browser (a persistent context on a fresh profile)
const tokens = {};
const pageErrors = [];
let expect401 = false;  // the wrong-token step: the browser logs the refused /v1/me

function cli(...args) {
  return execFileSync(vigil, args, {env, encoding: 'utf8'}).trim();
}

// Starts `vigil serve --port 0` and reads the port it prints.
function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(vigil, ['serve', '--port', '0', '--media-dir', media],
                        {env, stdio: ['ignore', 'inherit', 'pipe']});
    let err = '';
    child.stderr.on('data', (chunk) => {
      err += chunk;
      process.stderr.write(chunk);
      const m = /serving (http:\/\/[0-9.]+:\d+)/.exec(err);
      if (m && !base) {
        base = m[1];
        resolve(child);
      }
    });
    child.on('exit', (code) => reject(new Error(`vigil serve exited with ${code}: ${err}`)));
  });
}

function startReceiver() {
  return new Promise((resolve) => {
    const srv = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        hooks.push({headers: req.headers, body: Buffer.concat(chunks)});
        res.writeHead(200).end('ok');
      });
    });
    srv.listen(0, '127.0.0.1', () => resolve(srv));
  });
}

async function call(method, urlPath, token, body) {
  const res = await fetch(base + urlPath, {
    method,
    headers: {Authorization: `Bearer ${token}`, ...(body && !(body instanceof FormData) ? {'Content-Type': 'application/json'} : {})},
    body: body instanceof FormData ? body : body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return {status: res.status, body: text ? JSON.parse(text) : null};
}

// The platform's upload path: each file to POST /v1/scan with its id and a reviewer URL.
async function scan(name) {
  const form = new FormData();
  form.set('content_id', `upload-${name}`);
  form.set('content_url', `${base}/media/${name}`);
  form.set('media', new Blob([fs.readFileSync(path.join(root, 'demo/uploads', name))]), name);
  return call('POST', '/v1/scan', tokens.platform, form);
}

async function waitFor(what, fn, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function verifySignature(hook) {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(hook.headers['x-vigil-signature'] || '');
  assert.ok(m, `signature header: ${hook.headers['x-vigil-signature']}`);
  const want = createHmac('sha256', kSecret).update(`${m[1]}.`).update(hook.body).digest('hex');
  assert.equal(m[2], want, 'the webhook HMAC verifies with the shared secret');
}

async function newPage() {
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    if (expect401 && /status of 401/.test(msg.text())) return;
    pageErrors.push(`console: ${msg.text()}`);
  });
  return page;
}

async function login(page, token) {
  await page.goto(`${base}/ui/`);
  await page.fill('#token', token);
  await page.click('button[type=submit]');
}

async function filterOf(page, selector) {
  return page.$eval(selector, (el) => getComputedStyle(el).filter);
}

before(async () => {
  fs.mkdirSync(media);
  for (const name of fs.readdirSync(path.join(root, 'demo/uploads'))) {
    fs.copyFileSync(path.join(root, 'demo/uploads', name), path.join(media, name));
  }
  fs.copyFileSync(path.join(root, 'tests/data/video', kUploadVideo), path.join(media, kUploadVideo));
  cli('bank', 'create', 'demo', '--description', 'Demo bank: benign stand-in photos',
      '--label', 'demo', '--label', 'priority:high');
  cli('bank', 'import', 'demo', path.join(root, 'demo/bank.csv'), '--source', 'demo');
  for (const [name, role] of [['admin', 'admin'], ['alice', 'reviewer'], ['bob', 'reviewer'],
                              ['platform', 'submitter']]) {
    tokens[name] = cli('token', 'create', '--role', role, '--name', name);
  }
  server = await startServer();
  receiver = await startReceiver();
  const hookUrl = `http://127.0.0.1:${receiver.address().port}/hook`;
  const set = await call('PUT', '/v1/settings/webhook', tokens.admin, {url: hookUrl, secret: kSecret});
  assert.equal(set.status, 200, JSON.stringify(set.body));
  for (const name of kUploads) {
    const r = await scan(name);
    assert.ok([200, 201].includes(r.status), `${name}: ${JSON.stringify(r.body)}`);
  }
  context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
    executablePath: process.env.VIGIL_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (context) await context.close();
  if (server) server.kill('SIGTERM');
  if (receiver) receiver.close();
  fs.rmSync(work, {recursive: true, force: true});
});

test('the UI files carry a strict CSP, nosniff and an ETag, with no token', async () => {
  const res = await fetch(`${base}/ui/`);
  assert.equal(res.status, 200);
  const csp = res.headers.get('content-security-policy');
  assert.match(csp, /script-src 'self';/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.ok(res.headers.get('etag'));
  const js = await fetch(`${base}/ui/js/main.js`);
  assert.match(js.headers.get('content-type'), /^text\/javascript/);
});

test('review: login, queue, veiled case, remove, webhook, appeal by a second reviewer', async (t) => {
  const page = await newPage();
  let caseId;

  await t.test('a wrong token shows an error and stays on the login', async () => {
    expect401 = true;
    await login(page, 'not-a-real-token');
    await page.waitForSelector('#login-error:has-text("unknown or revoked")');
    expect401 = false;
    assert.equal(await page.evaluate(() => sessionStorage.getItem('vigil.token')), null);
  });

  await t.test('the right token opens the queue, oldest first, with keyboard selection', async () => {
    await login(page, tokens.alice);
    await page.waitForSelector('#queue tbody tr');
    const rows = await page.$$eval('#queue tbody tr', (trs) => trs.map((tr) => Number(tr.dataset.id)));
    assert.equal(rows.length, 3, 'three of the four uploads match the demo bank');
    assert.equal(await page.isVisible('text=Load more'), false, 'no next page for three cases');
    assert.deepEqual([...rows].sort((a, b) => a - b), rows, 'oldest first');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('vigil.token') !== null), true);
    assert.equal(await page.evaluate(() => localStorage.length), 0, 'nothing in localStorage');
    await page.keyboard.press('j');
    assert.equal(await page.$eval('#queue tbody tr.selected', (tr) => tr.rowIndex), 2);
    await page.keyboard.press('k');
    assert.equal(await page.$eval('#queue tbody tr.selected', (tr) => tr.rowIndex), 1);
    await page.keyboard.press('?');
    await page.waitForSelector('dialog#help[open]:has-text("Next case")');
    await page.keyboard.press('Escape');
    await page.waitForSelector('dialog#help', {state: 'hidden'});
    caseId = rows[0];
  });

  await t.test('Enter opens the case with its preview blurred and greyscale until clicked', async () => {
    await page.keyboard.press('Enter');
    await page.waitForSelector(`h1:has-text("Case #${caseId}")`);
    await page.waitForFunction(() => {
      const img = document.querySelector('#preview img');
      return img && img.complete && img.naturalWidth > 0;
    });
    const veiled = await filterOf(page, '#preview img');
    assert.match(veiled, /blur\(/);
    assert.match(veiled, /grayscale\(1\)/);
    await page.click('#reveal');
    await page.waitForFunction(() => getComputedStyle(document.querySelector('#preview img')).filter === 'none');
    await page.keyboard.press('v');
    assert.match(await filterOf(page, '#preview img'), /blur\(/, 'v veils it again');
    await page.waitForSelector('text=Matched signals');
    assert.ok(await page.$('td:has-text("demo")'), 'the matched bank is shown');
  });

  await t.test('deciding remove sends a signed webhook, and the case shows it delivered', async () => {
    await page.keyboard.press('x');
    assert.equal(await page.$eval('#decision-remove', (r) => r.checked), true);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'reason');
    await page.keyboard.type('A re-post of a known propaganda still (stand-in).');
    await page.fill('#ground', 'Terms of service: terrorist propaganda');
    await page.click('#decide button[type=submit]');
    await page.waitForSelector('h1 .badge.decided');
    const hook = await waitFor('the removal webhook', () => hooks.find((hk) => hk.headers['x-vigil-event'] === 'remove'));
    verifySignature(hook);
    const body = JSON.parse(hook.body);
    assert.equal(body.case_id, caseId);
    assert.equal(body.content_id.startsWith('upload-'), true);
    await page.waitForSelector('#deliveries .badge.delivered', {timeout: 15000});
  });

  await t.test('the deciding reviewer may not decide the appeal; a second reviewer does', async () => {
    const filed = await call('POST', `/v1/cases/${caseId}/appeal`, tokens.platform,
                             {text: 'This is a news report, not propaganda.'});
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    await page.reload();
    await page.waitForSelector('#decide-appeal');
    assert.equal(await page.$eval('#decide-appeal button[type=submit]', (b) => b.disabled), true);

    const bob = await newPage();
    await login(bob, tokens.bob);
    await bob.waitForSelector('h1:has-text("Review queue")');
    await bob.goto(`${base}/ui/#/case/${caseId}`);
    await bob.waitForSelector('#decide-appeal:has-text("Decide the appeal")');
    assert.ok(await bob.$('blockquote:has-text("news report")'), 'the complaint is shown');
    await bob.check('#outcome-upheld');
    await bob.fill('#appeal-reason', 'On a second look this is reporting, not propaganda.');
    await bob.click('#decide-appeal button[type=submit]');
    await bob.waitForSelector('h1 .badge.closed');
    const hook = await waitFor('the reinstatement webhook', () => hooks.find((hk) => hk.headers['x-vigil-event'] === 'reinstate'));
    verifySignature(hook);
    await bob.close();
  });

  await t.test('the dashboard draws matches, decisions and dispute rate', async () => {
    await page.goto(`${base}/ui/#/dashboard`);
    await page.waitForSelector('#chart-matches svg rect.bar-matches');
    assert.equal(await page.textContent('#matches-total'), '3');
    assert.ok(await page.$('#chart-decisions svg rect.bar-remove'), 'a removal bar');
    await page.waitForSelector('#chart-disputes svg text:has-text("demo")');
  });
  await page.close();
});

test('banks: counts, and a CSV import with a progress bar', async () => {
  const page = await newPage();
  await login(page, tokens.admin);
  await page.goto(`${base}/ui/#/banks`);
  await page.waitForSelector('#banks tr[data-bank="demo"]');
  const before = Number((await page.textContent('#banks tr[data-bank="demo"] td[data-count="signals"]')).replace(/,/g, ''));
  assert.ok(before > 0);
  const rows = ['signal_type,signal,labels'];
  for (let i = 0; i < 3000; i++) rows.push(`md5,${randomBytes(16).toString('hex')},imported`);
  const file = path.join(work, 'more.csv');
  fs.writeFileSync(file, `${rows.join('\n')}\n`);
  const progress = [];
  await page.exposeFunction('recordProgress', (v) => progress.push(v));
  await page.evaluate(() => {
    const bar = document.querySelector('#import-progress');
    const seen = Object.getOwnPropertyDescriptor(HTMLProgressElement.prototype, 'value');
    Object.defineProperty(bar, 'value', {
      get() { return seen.get.call(this); },
      set(v) { window.recordProgress(v); seen.set.call(this, v); },
    });
  });
  await page.selectOption('#import-bank', 'demo');
  await page.setInputFiles('#import-file', file);
  await page.click('#import button[type=submit]');
  await page.waitForSelector('#import-report:has-text("3000 new")');
  assert.equal(await page.$eval('#import-progress', (p) => p.hidden), false);
  assert.equal(await page.$eval('#import-progress', (p) => p.value), 1);
  // 0 at the start, at least one XHR upload progress event, and 1 when the answer came.
  assert.ok(progress.length >= 3 && progress.at(-1) === 1, `progress values: ${progress}`);
  await page.waitForFunction((n) => Number(document.querySelector('#banks tr[data-bank="demo"] td[data-count="signals"]')
    .textContent.replace(/,/g, '')) === n, before + 3000);
  await page.close();
});

test('a video case shows the matched seconds and plays them muted, still veiled', async () => {
  const created = await call('POST', '/v1/banks', tokens.admin, {name: 'videos', labels: ['video']});
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const hashed = await fetch(`${base}/v1/hash`, {
    method: 'POST', headers: {Authorization: `Bearer ${tokens.admin}`, 'Content-Type': 'video/mp4'},
    body: fs.readFileSync(path.join(root, 'tests/data/video', kBankVideo))});
  const hashes = await hashed.json();
  assert.equal(hashed.status, 200, JSON.stringify(hashes).slice(0, 300));
  const added = await call('POST', '/v1/banks/videos/signals', tokens.admin,
                           {signal_type: 'vpdq', signal: hashes.vpdq});
  assert.equal(added.status, 201, JSON.stringify(added.body).slice(0, 300));
  const form = new FormData();
  form.set('content_id', 'upload-video-1');
  form.set('content_url', `${base}/media/${kUploadVideo}`);
  form.set('media', new Blob([fs.readFileSync(path.join(media, kUploadVideo))]), kUploadVideo);
  const scanned = await call('POST', '/v1/scan', tokens.platform, form);
  assert.equal(scanned.status, 201, JSON.stringify(scanned.body).slice(0, 300));
  const match = scanned.body.matches.find((m) => m.signal_type === 'vpdq');
  assert.ok(match && match.detail.segments.length > 0, JSON.stringify(scanned.body.matches).slice(0, 300));

  const page = await newPage();
  await login(page, tokens.bob);
  await page.waitForSelector('#queue');
  await page.goto(`${base}/ui/#/case/${scanned.body.case.id}`);
  await page.waitForSelector('#segments li');
  const first = match.detail.segments[0];
  assert.equal(await page.$$eval('#segments li', (li) => li.length), match.detail.segments.length);
  assert.match(await page.textContent('#segments'), /of the video in videos/);
  assert.match(await page.textContent('td.match-strength'), /% of the upload, .*% of the bank video/);
  const state = () => page.$eval('video.media', (v) => ({muted: v.muted, paused: v.paused, autoplay: v.autoplay,
                                                         t: v.currentTime, ready: v.readyState}));
  // Muted, paused, veiled (blurred and greyscale), and no autoplay.
  let s = await state();
  assert.equal(s.muted, true);
  assert.equal(s.paused, true);
  assert.equal(s.autoplay, false);
  assert.match(await filterOf(page, '#preview video'), /blur\(.+grayscale\(1\)/);
  // The player opens at the first matched second once it knows the video.
  await page.waitForFunction(() => document.querySelector('video.media').readyState >= 1, null, {timeout: 15000});
  await page.waitForFunction((t) => Math.abs(document.querySelector('video.media').currentTime - t) < 0.5,
                             first.query_start_s, {timeout: 5000});
  // A segment's button plays it, muted, under the veil.
  const last = match.detail.segments.at(-1);
  await page.click(`#segments li:last-child button.segment`);
  await page.waitForFunction((t) => document.querySelector('video.media').currentTime > t + 0.2,
                             last.query_start_s, {timeout: 10000});
  s = await state();
  assert.equal(s.muted, true);
  assert.ok(s.t >= last.query_start_s, `playing from ${last.query_start_s}, at ${s.t}`);
  assert.match(await filterOf(page, '#preview video'), /blur\(/, 'still veiled while it plays');
  await page.close();
});

test('no page logged an error (a CSP violation would)', () => {
  assert.deepEqual(pageErrors, []);
});
