// The site built with `--public-url /blog/` and served under /blog/ (a GitHub Pages
// project site): every link, asset and data request stays under /blog/, deep links work,
// unknown paths show the not-found view.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { useBrowser } from './lib/browser.mjs';
import { subpathSite } from './lib/site.mjs';
import { checkRoute } from './lib/views.mjs';
import { encodePath, location, open } from './lib/app.mjs';

const session = useBrowser();
let site;
before(async () => {
  site = await subpathSite();
});
after(() => site?.server.close());

test('the site lives under /blog/', () => {
  assert.equal(new URL(site.server.base).pathname, '/blog/');
});

test('home, a post, a tag page, the cloud and the archive by deep link', async () => {
  const s = await session.open();
  const { index } = site;
  const post = index.posts[0].slug;
  const tag = index.tags[0].slug;
  for (const p of ['/', `/post/${post}`, `/tag/${tag}`, '/tags', '/archive']) {
    const response = await open(s, site.server.url(encodePath(p)));
    assert.equal(response.status(), 200, `status of /blog${p}`);
    await s.idle({ quiet: 300 });
    await checkRoute(s.page, site, p, { deep: true });
  }
  // Nothing was asked for outside /blog/.
  const outside = site.server.requests.filter((r) => r.sitePath === null);
  assert.deepEqual(outside, [], 'requests outside /blog/');
  assert.ok(site.server.requestsTo('/data/index.json').length > 0, 'the index came from /blog/data/');

  // /blog without the slash: the host redirects to /blog/.
  const response = await open(s, `${site.server.origin}/blog`);
  assert.equal(response.status(), 200);
  assert.equal(new URL(s.page.url()).pathname, '/blog/');
  await checkRoute(s.page, site, '/');
});

test('every link on the page carries /blog/, and clicking one stays in the app', async () => {
  const s = await session.open();
  const { page } = s;
  await open(s, site.server.url('/'));
  await s.idle();
  const hrefs = await page.$$eval('a[href]:not(.social)', (as) => as.map((a) => a.href));
  assert.ok(hrefs.length > 5);
  for (const h of hrefs) {
    const u = new URL(h);
    if (u.origin !== site.server.origin) continue;
    assert.ok(u.pathname.startsWith('/blog/'), `link ${h} carries /blog/`);
  }
  const feed = await page.$$eval('header.site-header nav a', (as) => as.map((a) => a.href).filter((h) => /feed\.xml$/.test(h)));
  assert.deepEqual(feed, [site.server.url('feed.xml')]);

  await page.evaluate(() => {
    window.__sameDocument = true;
  });
  const slug = site.index.posts[0].slug;
  await page.locator('main article.post-summary h2 a').first().click();
  await page.locator('main article.post').waitFor();
  assert.equal(await location(page, site.server.base), `/post/${slug}`);
  assert.equal(new URL(page.url()).pathname.startsWith('/blog/post/'), true);
  await page.goBack();
  await page.locator('main article.post-summary').first().waitFor();
  assert.equal(new URL(page.url()).pathname, '/blog/');
  assert.equal(await page.evaluate(() => window.__sameDocument), true);
});

test('an unknown path under /blog/ shows the not-found view', async () => {
  const s = await session.open();
  s.allow(/status of 404/);
  const response = await open(s, site.server.url('no/such/page'));
  assert.equal(response.status(), 404);
  await s.page.locator('main .not-found').waitFor();
  assert.equal((await s.page.locator('main h1').first().textContent()).trim(), 'Page not found');
  const title = await s.page.$eval('header.site-header a.site-title', (a) => a.href);
  assert.equal(title, site.server.base);
});

test('search works under /blog/: its code, manifest and shards come from /blog/', async () => {
  const s = await session.open();
  await open(s, site.server.url('/'));
  await s.idle();
  const mark = site.server.requests.length;
  const box = s.page.locator('header.site-header input#search-q');
  await box.focus();
  await box.pressSequentially('trains');
  await s.page.waitForFunction(
    () => /found/.test(document.querySelector('main .search-status')?.textContent ?? ''),
    null,
    { timeout: 15000 },
  );
  assert.equal(await location(s.page, site.server.base), '/search?q=trains');
  // The posts tagged `trains` in the sample content are all found.
  const tagged = site.index.tags.find((t) => t.slug === 'trains');
  const shown = await s.page.$$eval('main li.search-result', (lis) => lis.map((li) => li.dataset.post));
  for (const pos of tagged.posts) {
    assert.ok(shown.includes(site.index.posts[pos].slug), `${site.index.posts[pos].slug} is found: ${shown}`);
  }
  const asked = site.server.requests.slice(mark);
  assert.deepEqual(asked.filter((r) => r.sitePath === null), [], 'requests outside /blog/');
  assert.ok(asked.some((r) => /^\/split_search-[0-9a-f]+\.wasm$/.test(r.sitePath)), "search's chunk from /blog/");
  assert.ok(asked.some((r) => /^\/data\/x-[^/]+\.bin$/.test(r.sitePath)), 'a shard from /blog/data/');
});
