// Search finds standalone pages (issue 21), on the sample blog's About page: a word only
// the page has finds it, the result says "Page" (no date, no tags) and links to the page's
// address, clicking it shows the page in the app without a reload, a phrase is checked on
// the page's own text, and a tag selection leaves the page out (a page has no tags).
//
// Expectations come from content/pages/about.md and the built index.json.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { useBrowser } from './lib/browser.mjs';
import { sampleSite } from './lib/site.mjs';
import { location, open, settled } from './lib/app.mjs';

const session = useBrowser();
const BOX = 'header.site-header form[role="search"] input#search-q';
let site;
before(async () => {
  site = await sampleSite();
});
after(() => site?.server.close());

/** Waits until the results are those of the text now in the box (no fetch pending). */
async function answered(page) {
  await page.waitForFunction(
    () => {
      const ol = document.querySelector('main .search-results');
      const status = document.querySelector('main .search-status')?.textContent ?? '';
      return ol && ol.getAttribute('aria-busy') === 'false' && !/Searching/.test(status) && !ol.querySelector('.excerpt.loading');
    },
    null,
    { timeout: 15000 },
  );
}

/** `[data-post, data-page]` of each result shown, in order. */
function results(page) {
  return page.$$eval('main .search-results li.search-result', (lis) =>
    lis.map((li) => [li.dataset.post ?? null, li.dataset.page ?? null]),
  );
}

async function search(page, text) {
  const box = page.locator(BOX);
  await box.focus();
  await box.fill('');
  await box.pressSequentially(text);
  await answered(page);
  return results(page);
}

test('a word only the About page has finds it; the result says "Page" and moves there in place', async () => {
  const about = site.index.pages.find((p) => p.slug === 'about');
  assert.ok(about, 'the sample blog has an About page');
  const s = await session.open();
  const { page } = s;
  await open(s, site.server.url('/'));
  await page.evaluate(() => {
    window.__sameDocument = true;
  });

  assert.deepEqual(await search(page, 'hallway '), [[null, 'about']]);
  const result = page.locator('main li.search-result').first();
  assert.equal((await result.locator('.post-meta').textContent()).trim(), 'Page');
  assert.equal(await result.locator('time, a.tag').count(), 0, 'no date and no tags on a page');
  assert.equal((await result.locator('h2 a').textContent()).trim(), about.title);
  const href = await result.locator('h2 a').evaluate((a) => a.href);
  assert.equal(await location(page, site.server.base), '/search?q=hallway ');
  assert.equal(new URL(href).pathname, new URL(site.server.url('/about')).pathname);
  const marks = await result.locator('.excerpt mark').allTextContents();
  assert.ok(marks.length >= 1 && marks.every((m) => m.toLowerCase() === 'hallway'), `marks: ${marks}`);

  // A phrase is checked on the page's text (its body chunk).
  assert.deepEqual(await search(page, '"servers in his hallway"'), [[null, 'about']]);
  assert.deepEqual(await search(page, '"hallway servers"'), []);

  await search(page, 'hallway ');
  await page.locator('main li.search-result h2 a').first().click();
  await page.locator('main article.page').waitFor();
  await settled(page);
  assert.equal(await location(page, site.server.base), '/about');
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'reached /about without a reload');
  assert.equal((await page.locator('main h1').textContent()).trim(), about.title);
  assert.match(await page.locator('main article.page .post-body').textContent(), /hallway/);
});

test('a tag selection leaves pages out', async () => {
  const s = await session.open();
  const { page } = s;
  // "trains" is in posts tagged trains and in the About page.
  await open(s, site.server.url('/search?q=trains'));
  await answered(page);
  const all = await results(page);
  assert.ok(all.some(([, p]) => p === 'about'), `the page is among the hits: ${JSON.stringify(all)}`);
  await open(s, site.server.url('/search?q=trains&tags=trains'));
  await answered(page);
  const narrowed = await results(page);
  assert.ok(narrowed.length > 0, 'posts tagged trains remain');
  assert.ok(narrowed.every(([post, p]) => post && !p), `no page: ${JSON.stringify(narrowed)}`);
});
