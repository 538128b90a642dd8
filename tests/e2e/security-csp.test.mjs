// The strict Content-Security-Policy on the sample build (dist/):
//   default-src 'self'; script-src 'self' 'wasm-unsafe-eval' <hashes>; style-src 'self';
//   img-src 'self' https: data:; object-src 'none'; base-uri 'self'
// is in index.html, 404.html and every route file, ahead of anything it governs, and its
// hashes are exactly those of the page's inline scripts. Every route kind loads and works
// with zero `securitypolicyviolation` events (lib/browser.mjs fails a test on any), and the
// policy is really enforced: an injected inline script, eval and an inline style are refused.

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { useBrowser } from './lib/browser.mjs';
import { sampleSite } from './lib/site.mjs';
import { allRoutePaths, encodePath, open, pagePath } from './lib/app.mjs';

const REQUIRED = {
  'default-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'https:', 'data:'],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
};

const session = useBrowser();
let site;
before(async () => {
  site = await sampleSite();
});
after(() => site?.server.close());

/** `{ directive: [sources] }` of the CSP meta in `html`, and where it sits. */
function cspOf(html) {
  const metas = [...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*\/?>/gi)];
  assert.equal(metas.length, 1, 'exactly one CSP meta');
  const policy = {};
  for (const part of metas[0][1].split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) policy[name.toLowerCase()] = sources;
  }
  return { policy, at: metas[0].index };
}

function inlineScripts(html) {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)].filter((m) => !/\bsrc\s*=/i.test(m[1])).map((m) => m[2]);
}

function sha256(text) {
  return `'sha256-${crypto.createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

function checkFile(file) {
  const html = fs.readFileSync(file, 'utf8');
  const { policy, at } = cspOf(html);
  for (const [name, sources] of Object.entries(REQUIRED)) {
    assert.deepEqual(policy[name], sources, `${file}: ${name}`);
  }
  const script = policy['script-src'];
  assert.deepEqual(script.slice(0, 2), ["'self'", "'wasm-unsafe-eval'"], `${file}: script-src`);
  const hashes = script.slice(2);
  for (const h of hashes) assert.match(h, /^'sha256-[A-Za-z0-9+/]+=*'$/, `${file}: only hashes besides 'self' and 'wasm-unsafe-eval'`);
  const want = [...new Set(inlineScripts(html).map(sha256))].sort();
  assert.deepEqual([...hashes].sort(), want, `${file}: the hashes are exactly those of the inline scripts`);
  const loose = Object.values(policy)
    .flat()
    .filter((s) => ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'strict-dynamic'"].includes(s) || s.startsWith('*') || s === 'http:');
  assert.deepEqual(loose, [], `${file}: no unsafe-inline, unsafe-eval or wildcard`);
  // A meta CSP only governs what comes after it: it must precede every script, style
  // sheet, preload and image in the head.
  const first = html.search(/<(script|link|style|img)\b/i);
  assert.ok(first === -1 || at < first, `${file}: CSP meta comes after content it should govern`);
  return { policy, hashes };
}

test('index.html, 404.html and every route file carry the policy, with matching hashes', () => {
  const { index, dir } = site;
  const files = ['index.html', '404.html', ...allRoutePaths(index).filter((p) => p !== '/').map((p) => path.join(p, 'index.html'))];
  const seen = new Set();
  for (const f of files) {
    const { policy } = checkFile(path.join(dir, f));
    seen.add(JSON.stringify(policy));
  }
  assert.equal(seen.size, 1, 'every file has the same policy (the same shell)');
  console.log(`# CSP checked in ${files.length} files`);
});

test('every route kind loads and works with zero CSP violations', async () => {
  const { index } = site;
  const s = await session.open();
  const per = index.site.posts_per_page;
  const tag = [...index.tags].sort((a, b) => b.posts.length - a.posts.length)[0];
  const routes = [
    '/',
    index.posts.length > per ? pagePath('/', 2) : null,
    `/post/${index.posts[0].slug}`,
    `/post/${index.posts.at(-1).slug}`,
    `/tag/${tag.slug}`,
    index.categories[0] ? `/category/${index.categories[0].slug}` : null,
    `/author/${index.authors[0].slug}`,
    '/tags',
    '/archive',
    '/no/such/page',
    `/post/no-such-post`,
  ].filter(Boolean);
  for (const r of routes) {
    const response = await open(s, site.server.url(encodePath(r)));
    assert.ok(response, r);
    const h1 = (await s.page.locator('main h1').first().innerText()).trim();
    assert.ok(h1.length > 0, `${r}: a heading`);
    await s.idle({ quiet: 300 });
    assert.deepEqual(s.log.csp, [], `${r}: CSP violations`);
  }
  s.allow(/status of 404/); // the unknown paths' documents are 404.html with status 404
  // In-app use: filter by a tag, open a post by clicking, go back.
  await open(s, site.server.url('/'));
  await s.page.locator(`section.tag-filter button.tag-toggle[data-tag="${tag.slug}"]`).click();
  await s.page.waitForFunction(() => location.search.includes('tags='));
  await s.page.locator('main article.post-summary h2 a').first().click();
  await s.page.locator('main article.post .post-body').waitFor();
  await s.page.goBack();
  await s.page.locator('main article.post-summary').first().waitFor();
  await s.idle({ quiet: 300 });
  assert.deepEqual(s.log.csp, []);
});

test('the policy is enforced: inline script, eval and inline style are refused', async () => {
  const s = await session.open();
  await open(s, site.server.url('/'));
  const result = await s.page.evaluate(async () => {
    const el = document.createElement('script');
    el.textContent = 'window.__inlineRan = 1';
    document.body.append(el);
    // DevTools evaluations are exempt from CSP's eval rule; a task of the page is not.
    const evalRan = await new Promise((resolve) => {
      setTimeout(() => {
        try {
          resolve(eval('true'));
        } catch {
          resolve(false);
        }
      }, 0);
    });
    const div = document.createElement('div');
    div.setAttribute('style', 'color: rgb(1, 2, 3)');
    document.body.append(div);
    const color = getComputedStyle(div).color;
    await new Promise((r) => setTimeout(r, 100));
    return { inline: window.__inlineRan === 1, evalRan, styled: color === 'rgb(1, 2, 3)' };
  });
  assert.deepEqual(result, { inline: false, evalRan: false, styled: false });
  const directives = s.log.csp.map((v) => v.directive).sort();
  assert.ok(directives.some((d) => d.startsWith('script-src')), `script refusals reported: ${directives}`);
  assert.ok(directives.some((d) => d.startsWith('style-src')), `style refusal reported: ${directives}`);
  // These violations were the point of the test.
  s.log.csp.length = 0;
  s.allow(/Refused to (execute|evaluate|apply)|Content Security Policy/);
});
