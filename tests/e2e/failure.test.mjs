// The app under failure, in Chromium, against the static server's fault injection: the
// post index (data/index.json), a post's body chunk and a list's summary chunk answering
// 404, 500, hanging past the app's timeout, truncated mid-download, malformed, HTML instead
// of JSON, and valid JSON of the wrong schema or shape. Each time: a clear message inside
// the layout, never a blank page, an endless spinner or an uncaught error; and
// `button.retry` brings the page back once the file is good again, without a reload.
// (lib/browser.mjs fails a test on any uncaught exception or CSP violation.)

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { useBrowser } from './lib/browser.mjs';
import { startServer } from './lib/server.mjs';
import { distDir, readIndex, sampleSite } from './lib/site.mjs';
import { encodePath, settled } from './lib/app.mjs';

const session = useBrowser();

/** The app gives up on a request after this long (src/net.rs TIMEOUT_MS), plus slack. */
const APP_TIMEOUT_MS = 10_000;
const HANG_WAIT_MS = APP_TIMEOUT_MS + 8_000;

let site;
before(async () => {
  site = await sampleSite();
});
after(() => site?.server.close());

/** Faults of a JSON file, by name. `file` is its current text. */
function faults(file, { isIndex }) {
  const index = isIndex ? JSON.parse(file) : null;
  return {
    '404': { spec: { status: 404 }, message: /404|not found/i },
    '500': { spec: { status: 500 }, message: /500|error/i },
    truncated: { spec: { truncate: 0.5 } },
    'truncated body, complete response': { spec: { body: file.slice(0, Math.floor(file.length / 2)), contentType: 'application/json' }, message: /damaged|EOF|parse|expected/i },
    malformed: { spec: { body: '{"schema": 1, "site": [}', contentType: 'application/json' }, message: /damaged/i },
    'HTML instead of JSON': {
      spec: { body: '<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>', contentType: 'text/html' },
      message: /damaged|expected|value/i,
    },
    'empty body': { spec: { body: '', contentType: 'application/json' }, message: /damaged|EOF/i },
    ...(isIndex
      ? {
          'schema 999': { spec: { body: JSON.stringify({ ...index, schema: 999 }), contentType: 'application/json' }, message: /999/ },
          'unknown shape': { spec: { body: JSON.stringify({ schema: index.schema, hello: 'world' }), contentType: 'application/json' }, message: /damaged|missing field/i },
          inconsistent: {
            spec: { body: JSON.stringify({ ...index, posts: index.posts.map((p) => ({ ...p, tags: [...(p.tags ?? []), 9999] })) }), contentType: 'application/json' },
            message: /inconsistent|does not exist/i,
          },
        }
      : {
          'an object, not a list': { spec: { body: JSON.stringify({ schema: 999 }), contentType: 'application/json' }, message: /damaged|expected/i },
          'a list of the wrong things': { spec: { body: '[1, 2, {"a": null}]', contentType: 'application/json' }, message: /damaged|expected/i },
          // A stale cached chunk: valid, but the post's slot is not in it. The retry button
          // must fetch it again. Known app bug: store::retry_chunk only refetches chunks in
          // the Failed state, and this one is Ready; marked todo until fixed.
          'a list too short (stale file)': {
            spec: { body: '[]', contentType: 'application/json' },
            message: /missing|rebuild/i,
            todo: 'retry does nothing for a chunk that loaded but lacks the post (src/store.rs retry_chunk)',
          },
        }),
  };
}

async function waitUntil(condition, timeout, what) {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeout) throw new Error(`${what}: not after ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The error view: inside main, under the layout, with a message and a retry button. */
async function assertErrorView(page, { scope = 'main', message } = {}) {
  const error = page.locator(`${scope} .load-error`).first();
  await error.waitFor({ timeout: HANG_WAIT_MS });
  assert.equal(await page.locator('header.site-header').count(), 1, 'the layout is still there');
  assert.equal(await page.locator('main#main').count(), 1);
  const text = (await error.innerText()).trim();
  assert.ok(text.length > 20, `the error view explains itself: ${text}`);
  if (message) assert.match(text, message, 'the message says what went wrong');
  assert.equal(await error.locator('button.retry').count(), 1, 'a retry button');
  assert.equal(await page.locator('main .loading').count(), 0, 'no spinner left next to the error');
  return text;
}

/** Opens `url` in a fresh page with `fault` on `pattern`, checks the error view, then clears the fault and retries. */
async function failThenRecover(server, { url, pattern, fault, scope, recovered }) {
  const s = await session.open();
  const { page } = s;
  // Chromium logs failed loads (4xx/5xx status, cut-off downloads) to the console.
  s.allow(/Failed to load resource/);
  server.fault(pattern, fault.spec);
  try {
    await page.goto(url);
    await assertErrorView(page, { scope, message: fault.message });
    await page.evaluate(() => {
      window.__sameDocument = true;
    });
    // Still broken: retrying shows the error again (no crash, no spinner forever).
    if (!fault.spec.hang) {
      await page.locator(`${scope} .load-error button.retry`).first().click();
      await assertErrorView(page, { scope, message: fault.message });
    }
  } finally {
    server.clearFaults();
  }
  await page.locator(`${scope} .load-error button.retry`).first().click();
  await recovered(page);
  await waitUntil(async () => (await page.locator('main .load-error').count()) === 0, 5000, 'error view gone after retry');
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'recovered without a reload');
  return s;
}

describe('post index (data/index.json) fails', () => {
  const text = fs.readFileSync(path.join(distDir, 'data/index.json'), 'utf8');
  for (const [name, fault] of Object.entries(faults(text, { isIndex: true }))) {
    test(name, async () => {
      await failThenRecover(site.server, {
        url: site.server.url('/'),
        pattern: '/data/index.json',
        fault,
        scope: 'main',
        recovered: async (page) => {
          await page.locator('main article.post-summary').first().waitFor();
          await settled(page);
        },
      });
    });
  }
});

describe("a post's body chunk fails", () => {
  const index = readIndex(distDir);
  const post = index.posts[0];
  const chunk = index.bodies[post.body.chunk];
  const text = fs.readFileSync(path.join(distDir, 'data', chunk), 'utf8');
  for (const [name, fault] of Object.entries(faults(text, { isIndex: false }))) {
    test(name, { todo: fault.todo }, async () => {
      await failThenRecover(site.server, {
        url: site.server.url(encodePath(`/post/${post.slug}`)),
        pattern: `/data/${chunk}`,
        fault,
        scope: 'main article.post',
        recovered: async (page) => {
          // The post's metadata never went away; its body is now there.
          await page.locator('main article.post .post-body').first().waitFor();
          await waitUntil(async () => (await page.locator('main article.post .post-body .load-error, main article.post .post-body .loading').count()) === 0, 5000, 'body rendered');
          const words = (await page.locator('main article.post .post-body').innerText()).trim();
          assert.ok(words.length > 40, 'the body is shown');
          assert.equal((await page.locator('main article.post h1').innerText()).trim(), post.title);
        },
      });
    });
  }
});

describe('hanging past the timeout', () => {
  // Each case gets its own server so the two waits run side by side.
  test('index.json and a body chunk that never answer give up with a message, then recover', async () => {
    const index = readIndex(distDir);
    const post = index.posts[0];
    const chunk = index.bodies[post.body.chunk];
    const servers = await Promise.all([startServer({ root: distDir }), startServer({ root: distDir })]);
    try {
      const started = Date.now();
      await Promise.all([
        failThenRecover(servers[0], {
          url: servers[0].url('/'),
          pattern: '/data/index.json',
          fault: { spec: { hang: true }, message: /did not answer|seconds/i },
          scope: 'main',
          recovered: async (page) => {
            await page.locator('main article.post-summary').first().waitFor();
          },
        }),
        failThenRecover(servers[1], {
          url: servers[1].url(encodePath(`/post/${post.slug}`)),
          pattern: `/data/${chunk}`,
          fault: { spec: { hang: true }, message: /did not answer|seconds/i },
          scope: 'main article.post',
          recovered: async (page) => {
            await waitUntil(async () => (await page.locator('main article.post .post-body').innerText()).trim().length > 40, 5000, 'body shown');
          },
        }),
      ]);
      const took = Date.now() - started;
      console.log(`# hanging requests: error views shown and recovered in ${(took / 1000).toFixed(1)} s`);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });
});

describe('a summary chunk fails on a list page', () => {
  test('500: the list still shows its posts, with a notice and a working retry', async () => {
    const index = readIndex(distDir);
    const s = await session.open();
    const { page } = s;
    s.allow(/Failed to load resource/);
    const chunk = index.summaries[0];
    site.server.fault(`/data/${chunk}`, { status: 500 });
    try {
      await page.goto(site.server.url('/'));
      await settled(page);
      // Titles come from the index: the list is there; only the summaries are missing.
      const titles = await page.locator('main article.post-summary h2').allInnerTexts();
      assert.ok(titles.length > 0);
      const notice = page.locator('main .load-error');
      await notice.first().waitFor();
      assert.ok((await notice.first().innerText()).trim().length > 10);
    } finally {
      site.server.clearFaults();
    }
    await page.locator('main .load-error button.retry').first().click();
    await waitUntil(async () => (await page.locator('main .load-error').count()) === 0, 5000, 'notice gone');
    await waitUntil(async () => (await page.locator('main article.post-summary .summary').first().innerText()).trim().length > 10, 5000, 'summaries shown');
  });
});

describe('a Rust panic', () => {
  // The app installs a panic hook (src/browser.rs) that replaces main with a message. A
  // test can only reach it through a hook that panics on purpose: window.__quireTestPanic.
  test('shows a message in the layout instead of a dead page', async (t) => {
    const s = await session.open();
    const { page } = s;
    await page.goto(site.server.url('/'));
    await settled(page);
    const hook = await page.evaluate(() => typeof window.__quireTestPanic);
    if (hook !== 'function') {
      t.skip('the app exposes no panic test hook (window.__quireTestPanic)');
      return;
    }
    s.allow(/panicked|quire test panic|unreachable|RuntimeError/i);
    await page.evaluate(() => {
      try {
        window.__quireTestPanic();
      } catch {
        // With panic = "abort" the Wasm traps after the hook ran.
      }
    });
    const crash = page.locator('main .load-error');
    await crash.waitFor({ timeout: 5000 });
    assert.ok((await crash.innerText()).trim().length > 20);
    assert.equal(await page.locator('header.site-header').count(), 1);
    // Links now load pages the ordinary way: the site still works.
    await page.locator('main .load-error a').first().click();
    await page.locator('main article.post-summary').first().waitFor();
  });
});
