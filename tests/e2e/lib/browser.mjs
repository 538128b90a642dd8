// Headless Chromium for the browser tests, through playwright-core (no downloaded
// browsers: the system's /usr/bin/chromium, or QUIRE_CHROMIUM).
//
// Every page opened through a session records console errors, uncaught exceptions,
// Content-Security-Policy violations and every request. A test that ends with any error
// recorded fails, unless it declared it expected (`s.allow(/pattern/)`).
//
//   const session = useBrowser();            // registers before/after hooks
//   test('x', async () => {
//     const s = await session.open();
//     await s.page.goto(server.url('/'));
//     await s.idle();                         // no request in flight for a while
//     const before = s.requests.length;
//     ...
//   });

import assert from 'node:assert/strict';
import { after, afterEach, before } from 'node:test';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.QUIRE_CHROMIUM || '/usr/bin/chromium';

// From the toolchain notes: without the background-networking flags Chromium floods a
// closed network with connection attempts.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Icons the browser fetches by itself: `favicon.ico` and Trunk's hashed `favicon-….svg`. */
export function isFavicon(url) {
  return /\/favicon(-[0-9a-f]+)?\.(ico|svg|png)$/.test(new URL(url).pathname);
}

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** Opens a fresh context and page on `browser`, with error and request recording. */
export async function openPage(browser, { viewport = { width: 1200, height: 900 }, ...contextOptions } = {}) {
  const context = await browser.newContext({ viewport, ...contextOptions });
  const log = {
    consoleErrors: [],
    pageErrors: [],
    csp: [],
    requests: [],
    failedRequests: [],
  };
  const allowed = [];
  const inflight = new Set();
  let lastActivity = Date.now();

  await context.exposeBinding('__quireReportCsp', (_source, v) => {
    log.csp.push(v);
  });
  await context.addInitScript(() => {
    window.addEventListener(
      'securitypolicyviolation',
      (e) => {
        const report = window.__quireReportCsp;
        if (typeof report === 'function') {
          report({ directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile, sample: e.sample });
        }
      },
      true,
    );
  });

  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      log.consoleErrors.push(`${msg.text()}${loc?.url ? ` (${loc.url})` : ''}`);
    }
  });
  page.on('pageerror', (err) => log.pageErrors.push(String(err?.stack || err)));
  page.on('crash', () => log.pageErrors.push('page crashed'));
  page.on('request', (req) => {
    inflight.add(req);
    lastActivity = Date.now();
    log.requests.push({ url: req.url(), method: req.method(), type: req.resourceType() });
  });
  const settle = (req) => {
    inflight.delete(req);
    lastActivity = Date.now();
  };
  page.on('requestfinished', settle);
  page.on('requestfailed', (req) => {
    settle(req);
    log.failedRequests.push({ url: req.url(), error: req.failure()?.errorText });
  });

  const s = {
    context,
    page,
    log,
    get requests() {
      return log.requests;
    },
    /** Declares console errors matching `re` expected in this test (e.g. an injected 500). */
    allow(re) {
      allowed.push(re);
    },
    /** Errors that are not allowed: console errors, uncaught exceptions, CSP violations. */
    problems() {
      return [
        ...log.consoleErrors.filter((m) => !allowed.some((re) => re.test(m))).map((m) => `console: ${m}`),
        ...log.pageErrors.map((m) => `uncaught: ${m}`),
        ...log.csp.map((v) => `CSP violation: ${JSON.stringify(v)}`),
      ];
    },
    assertClean() {
      assert.deepEqual(s.problems(), [], 'the page logged errors');
    },
    /**
     * Resolves once no request has been in flight for `quiet` ms (the app's start-up,
     * including any background prefetch, is over). Fails after `timeout` ms.
     */
    async idle({ quiet = 600, timeout = 20000 } = {}) {
      const start = Date.now();
      for (;;) {
        const now = Date.now();
        if (inflight.size === 0 && now - lastActivity >= quiet) return;
        if (now - start > timeout) {
          const open = [...inflight].map((r) => r.url());
          throw new Error(`network not idle after ${timeout} ms; in flight: ${open.join(', ') || 'none'}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    /**
     * Requests made after `mark` (a number from `s.requests.length`), leaving out the
     * browser's own favicon fetches (Chromium asks for the icon again on every history
     * entry; the page does not).
     */
    requestsSince(mark) {
      return log.requests.slice(mark).filter((r) => !isFavicon(r.url));
    },
    async close() {
      await context.close().catch(() => {});
    },
  };
  return s;
}

/**
 * Registers before/after hooks for a test file: one browser for the file, one context per
 * `open()`. After each test, open pages are closed and the test fails if any of them
 * recorded an error it did not allow.
 */
export function useBrowser() {
  let browser = null;
  let open = [];
  before(async () => {
    browser = await launch();
  });
  afterEach(async () => {
    const sessions = open;
    open = [];
    const problems = sessions.flatMap((s) => s.problems());
    await Promise.all(sessions.map((s) => s.close()));
    assert.deepEqual(problems, [], 'the page logged errors');
  });
  after(async () => {
    await browser?.close();
  });
  return {
    get browser() {
      return browser;
    },
    async open(options) {
      if (!browser) throw new Error('useBrowser: open() called outside a test');
      const s = await openPage(browser, options);
      open.push(s);
      return s;
    },
  };
}
