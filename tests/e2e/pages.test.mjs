// Standalone pages and the header's menu in the browser, on the sample blog (an About page
// and a [[menu]] of Home, About, Tags, Archive and one external link): the menu shows
// site.toml's entries in order on every view, its internal entries move in the app without
// a reload while `aria-current` follows the route (set on the same links, not on a new
// header), the external one leaves with rel="noopener", and a page opened directly or
// reached in the app shows the route file's title, heading and body.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { useBrowser } from './lib/browser.mjs';
import { readChunk, sampleSite } from './lib/site.mjs';
import { assertMetaLike, location, open, settled } from './lib/app.mjs';

const session = useBrowser();
let site;
before(async () => {
  site = await sampleSite();
});
after(() => site?.server.close());

/** `[text, href attribute, aria-current, rel]` of each menu link (the Feed link left out). */
async function menu(page) {
  const links = await page
    .locator('header.site-header nav.site-nav a')
    .evaluateAll((as) =>
      as.map((a) => [a.textContent.trim(), a.getAttribute('href'), a.getAttribute('aria-current'), a.getAttribute('rel')]),
    );
  return links.filter(([text]) => text !== 'Feed');
}

/** The menu as site.toml gives it: internal urls under the base, the external one as written. */
function expectedMenu(current) {
  const base = new URL(site.server.base).pathname.replace(/\/$/, '');
  return site.index.site.menu.map(({ name, url }) => {
    const external = url.startsWith('https://');
    return [
      name,
      external ? url : base + encodeURI(url),
      name === current ? 'page' : null,
      external ? 'noopener' : null,
    ];
  });
}

async function currentEntry(page) {
  return (await menu(page)).filter((l) => l[2] === 'page').map((l) => l[0]);
}

test('the sample blog has a page and a menu with an external entry', () => {
  const { pages, site: config } = site.index;
  assert.ok(pages?.some((p) => p.slug === 'about'), 'an About page');
  const names = config.menu.map((e) => e.name);
  assert.deepEqual(names.slice(0, 4), ['Home', 'About', 'Tags', 'Archive']);
  assert.ok(config.menu.some((e) => e.url.startsWith('https://')), 'an external entry');
});

test('the menu moves to a page without a reload; aria-current follows', async () => {
  const s = await session.open();
  const { page } = s;
  await open(s, site.server.url('/'));
  assert.deepEqual(await menu(page), expectedMenu('Home'));
  await page.evaluate(() => {
    window.__sameDocument = true;
    // The header's links are kept and only their attribute changes.
    document.querySelector('header.site-header nav.site-nav a').dataset.kept = 'yes';
  });

  await page.locator('header.site-header nav.site-nav a', { hasText: 'About' }).click();
  await page.locator('main article.page').waitFor();
  await settled(page);
  await s.idle({ quiet: 300 });
  assert.equal(await location(page, site.server.base), '/about');
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'reached /about without a reload');
  assert.deepEqual(await currentEntry(page), ['About']);
  assert.equal(
    await page.evaluate(() => document.querySelector('header.site-header nav.site-nav a').dataset.kept),
    'yes',
    'the header was not rebuilt',
  );
  await assertMetaLike(page, site.dir, site.index, '/about');
  const about = site.index.pages.find((p) => p.slug === 'about');
  const body = readChunk(site.dir, site.index.bodies[about.body.chunk])[about.body.slot];
  const firstWords = body.replace(/\*\*/g, '').split(/\s+/).slice(0, 4).join(' ');
  assert.ok((await page.locator('main article.page .post-body').textContent()).replace(/\s+/g, ' ').includes(firstWords));
  // A page is not a post: no date line, no neighbours.
  assert.equal(await page.locator('main .post-nav, main .reading-time').count(), 0);

  await page.locator('header.site-header nav.site-nav a', { hasText: 'Tags' }).click();
  await page.locator('main .tag-cloud, main .tags').first().waitFor();
  assert.deepEqual(await currentEntry(page), ['Tags']);
  await page.goBack();
  await page.locator('main article.page').waitFor();
  assert.deepEqual(await currentEntry(page), ['About']);
  await page.locator('header.site-header a.site-title').click();
  await page.locator('main article.post-summary').first().waitFor();
  assert.deepEqual(await currentEntry(page), ['Home']);
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'still one document');
});

test('a page opened directly is the route file, then the app; an unknown root name is not found', async () => {
  const s = await session.open();
  const { page } = s;
  const response = await open(s, site.server.url('/about/'));
  assert.equal(response.status(), 200);
  assert.deepEqual(await menu(page), expectedMenu('About'));
  await assertMetaLike(page, site.dir, site.index, '/about');

  s.allow(/status of 404/);
  const missing = await open(s, site.server.url('/no-such-page/'));
  assert.equal(missing.status(), 404);
  await page.locator('main .not-found').waitFor();
  assert.deepEqual(await currentEntry(page), []);
});

test('with JavaScript off, the menu is plain links and the page is readable', async () => {
  const s = await session.open({ javaScriptEnabled: false });
  const { page } = s;
  await page.goto(site.server.url('/'));
  assert.deepEqual(await menu(page), expectedMenu('Home'));
  await Promise.all([page.waitForNavigation(), page.locator('header.site-header nav.site-nav a', { hasText: 'About' }).click()]);
  assert.equal(await location(page, site.server.base), '/about');
  assert.equal((await page.locator('main h1').textContent()).trim(), site.index.pages.find((p) => p.slug === 'about').title);
  assert.deepEqual(await menu(page), expectedMenu('About'));
});
