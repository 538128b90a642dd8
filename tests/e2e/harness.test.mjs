// The test harness checks itself: the static server behaves like a bare static host
// (no SPA fallback), faults do what they say, and the browser session notices errors.
// None of this needs the app, so it runs first and fails clearly if the harness breaks.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startServer, matcher } from './lib/server.mjs';
import { openPage, launch } from './lib/browser.mjs';

let root;
before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-harness-'));
  const w = (p, body) => {
    fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    fs.writeFileSync(path.join(root, p), body);
  };
  w('index.html', '<!doctype html><title>home</title><p id="x">home</p>');
  w('404.html', '<!doctype html><title>nf</title><p id="x">custom not found</p>');
  w('post/hello/index.html', '<!doctype html><title>hello</title><p id="x">hello</p>');
  w('tag/café/index.html', '<!doctype html><p>café</p>');
  w('data/index.json', JSON.stringify({ schema: 1, padding: 'x'.repeat(1000) }));
  w('data/b-aaa.json', '["body a"]');
  w('data/b-bbb.json', '["body b"]');
  w('app.wasm', Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  w('app.js', 'export {}');
  w('favicon.ico', Buffer.from([0, 0, 1, 0]));
  w('style.css', 'p{}');
  w('feed.xml', '<feed/>');
  w('logo.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>');
  w('errors.html', '<!doctype html><script>console.error("boom"); setTimeout(() => { throw new Error("uncaught!") });</script>');
  w(
    'csp.html',
    `<!doctype html><meta http-equiv="Content-Security-Policy" content="script-src 'none'; img-src 'none'"><img src="logo.svg">`,
  );
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

async function get(server, p, opts) {
  return fetch(server.origin + p, { redirect: 'manual', ...opts });
}

describe('static server', () => {
  let server;
  before(async () => {
    server = await startServer({ root });
  });
  after(() => server.close());

  test('serves files with the right content types', async () => {
    const cases = {
      '/': 'text/html; charset=utf-8',
      '/app.wasm': 'application/wasm',
      '/app.js': 'text/javascript; charset=utf-8',
      '/style.css': 'text/css; charset=utf-8',
      '/data/index.json': 'application/json',
      '/feed.xml': 'application/xml',
      '/logo.svg': 'image/svg+xml',
    };
    for (const [p, type] of Object.entries(cases)) {
      const r = await get(server, p);
      assert.equal(r.status, 200, p);
      assert.equal(r.headers.get('content-type'), type, p);
    }
    assert.equal(await (await get(server, '/post/hello/')).text(), fs.readFileSync(path.join(root, 'post/hello/index.html'), 'utf8'));
  });

  test('a directory without a slash redirects, with the query kept', async () => {
    const r = await get(server, '/post/hello?tags=a');
    assert.equal(r.status, 301);
    assert.equal(r.headers.get('location'), '/post/hello/?tags=a');
    const enc = await get(server, '/tag/caf%C3%A9');
    assert.equal(enc.status, 301);
    assert.equal((await get(server, '/tag/caf%C3%A9/')).status, 200);
  });

  test('no SPA fallback: missing paths are 404 with the site 404 page', async () => {
    for (const p of ['/nope', '/post/missing', '/post/hello/extra', '/app.js/']) {
      const r = await get(server, p);
      assert.equal(r.status, 404, p);
      assert.match(await r.text(), /custom not found/, p);
    }
    assert.equal((await get(server, '/%E0%A4%A')).status, 400);
    assert.equal((await get(server, '/..%2f..%2fetc%2fpasswd')).status, 404);
    assert.equal((await get(server, '/', { method: 'POST' })).status, 405);
  });

  test('faults: status, replaced body, truncation, counted, cleared', async () => {
    server.fault('/data/index.json', { status: 500 });
    assert.equal((await get(server, '/data/index.json')).status, 500);
    server.clearFaults();
    assert.equal((await get(server, '/data/index.json')).status, 200);

    server.fault('/data/b-*.json', { body: '{"not":"an array"}' });
    assert.equal(await (await get(server, '/data/b-aaa.json')).text(), '{"not":"an array"}');
    assert.equal(await (await get(server, '/data/b-bbb.json')).text(), '{"not":"an array"}');
    assert.equal(await (await get(server, '/data/index.json')).text().then((t) => t.length > 1000), true);
    server.clearFaults();

    server.fault('/data/index.json', { status: 404 }, { times: 1 });
    assert.equal((await get(server, '/data/index.json')).status, 404);
    assert.equal((await get(server, '/data/index.json')).status, 200);

    server.fault('/data/index.json', { truncate: 0.5 });
    await assert.rejects(async () => {
      const r = await get(server, '/data/index.json');
      await r.text();
    });
    server.clearFaults();

    server.clearLog();
    await get(server, '/data/b-aaa.json');
    await get(server, '/nope');
    assert.deepEqual(
      server.requestsTo('/data/b-*.json').map((r) => r.status),
      [200],
    );
    assert.equal(server.requests.length, 2);
  });

  test('faults: a hung request waits until cleared, then is served', async () => {
    server.fault('/data/index.json', { hang: true });
    let settled = false;
    const pending = get(server, '/data/index.json').then((r) => {
      settled = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(settled, false);
    assert.equal(server.hangingCount, 1);
    server.clearFaults();
    const r = await pending;
    assert.equal(r.status, 200);
  });

  test('patterns', () => {
    assert.ok(matcher('/data/b-*.json')('/data/b-123.json'));
    assert.ok(!matcher('/data/b-*.json')('/data/s-123.json'));
    assert.ok(!matcher('/data/*.json')('/data/x/y.json'));
    assert.ok(matcher(/\.wasm$/)('/app-1.wasm'));
    assert.throws(() => matcher('data/x'));
  });
});

describe('static server under a prefix, plain 404s', () => {
  let server;
  before(async () => {
    server = await startServer({ root, prefix: '/blog', notFound: 'plain' });
  });
  after(() => server.close());

  test('mounts under the prefix', async () => {
    assert.equal(server.base, `${server.origin}/blog/`);
    assert.equal(server.url('/post/hello/'), `${server.origin}/blog/post/hello/`);
    const r = await get(server, '/blog');
    assert.equal(r.status, 301);
    assert.equal(r.headers.get('location'), '/blog/');
    assert.equal((await get(server, '/blog/')).status, 200);
    assert.equal((await get(server, '/blog/app.wasm')).status, 200);
    assert.equal((await get(server, '/app.wasm')).status, 404);
    const missing = await get(server, '/blog/nope');
    assert.equal(missing.status, 404);
    assert.equal(await missing.text(), 'Not found\n');
  });

  test('fault patterns are site paths below the prefix', async () => {
    server.fault('/data/index.json', { status: 500 });
    assert.equal((await get(server, '/blog/data/index.json')).status, 500);
    server.clearFaults();
    assert.equal(server.requestsTo('/data/index.json').length, 1);
  });
});

describe('browser session', () => {
  let server;
  let browser;
  before(async () => {
    server = await startServer({ root });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a clean page has no problems and its requests are counted', async () => {
    const s = await openPage(browser);
    const r = await s.page.goto(server.url('post/hello'));
    assert.equal(r.status(), 200);
    assert.equal(s.page.url(), server.url('post/hello/'));
    assert.equal(await s.page.textContent('#x'), 'hello');
    await s.idle({ quiet: 200 });
    assert.ok(s.requests.some((q) => q.url === server.url('post/hello')));
    s.assertClean();
    await s.close();
  });

  test('console errors, uncaught exceptions and CSP violations are caught', async () => {
    const s = await openPage(browser);
    await s.page.goto(server.url('errors.html'));
    await s.page.waitForTimeout(200);
    const problems = s.problems();
    assert.ok(problems.some((p) => p.startsWith('console: boom')), problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('uncaught:') && p.includes('uncaught!')), problems.join('\n'));
    s.allow(/boom/);
    assert.ok(s.problems().every((p) => !p.includes('boom')));
    await s.close();

    const c = await openPage(browser);
    await c.page.goto(server.url('csp.html'));
    await c.idle({ quiet: 200 });
    assert.ok(c.log.csp.some((v) => v.directive === 'img-src'), JSON.stringify(c.log));
    await c.close();
  });
});
