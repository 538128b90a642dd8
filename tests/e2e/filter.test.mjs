// Instant tag filtering on the sample blog: toggles narrow the list (every selected tag
// must match), counts follow the filtered list, the selection lives in `?tags=`, back and
// forward restore it, and none of it touches the network once the site has loaded.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { isFavicon, useBrowser } from './lib/browser.mjs';
import { sampleSite } from './lib/site.mjs';
import { checkList, parseRoute } from './lib/views.mjs';
import { encodePath, location, open, pressedTags, tagCounts, toggleCounts, withTags } from './lib/app.mjs';

const session = useBrowser();
let site;
let A; // the most used tag
let B; // the tag that shares most posts with A without covering all of them
before(async () => {
  site = await sampleSite();
  const { index } = site;
  const byCount = [...index.tags].sort((x, y) => y.posts.length - x.posts.length);
  A = byCount[0].slug;
  const all = index.posts.map((_, i) => i);
  const withA = withTags(index, all, [A]);
  const candidates = byCount
    .slice(1)
    .map((t) => ({ slug: t.slug, both: withTags(index, withA, [t.slug]).length }))
    .sort((x, y) => y.both - x.both);
  B = (candidates.find((c) => c.both > 0 && c.both < withA.length) ?? candidates[0]).slug;
});
after(() => site?.server.close());

const toggle = (page, slug) => page.locator(`section.tag-filter button.tag-toggle[data-tag="${slug}"]`);

/** Waits for a selection to show, then checks list, counts, toggles and URL. */
async function expectSelection(page, routePath, selected) {
  const { index } = site;
  const route = parseRoute(index, routePath);
  const query = selected.length ? `?tags=${selected.join(',')}` : '';
  await page.waitForFunction(
    (want) => {
      const got = [...document.querySelectorAll('section.tag-filter button.tag-toggle[aria-pressed="true"]')]
        .map((b) => b.dataset.tag)
        .sort();
      return JSON.stringify(got) === JSON.stringify(want);
    },
    [...selected].sort(),
    { timeout: 5000 },
  );
  assert.equal(await location(page, site.server.base), routePath + query, 'URL holds the selection');
  assert.deepEqual((await pressedTags(page)).sort(), [...selected].sort());
  const filtered = withTags(index, route.list.posts, selected);
  await checkList(page, site, { ...route.list, posts: filtered }, 1, { selected });
  if (filtered.length === 0) assert.equal(await page.locator('main p.empty').count(), 1, 'empty message');
  const want = tagCounts(index, filtered);
  for (const [slug, count] of Object.entries(await toggleCounts(page))) {
    assert.equal(count, want[slug], `count on toggle ${slug} with [${selected}] selected`);
  }
  const clear = page.locator('section.tag-filter button.clear-tags');
  assert.equal(await clear.isVisible(), selected.length > 0, 'clear button visible only with a selection');
}

test('toggles narrow the list with AND, update counts and the URL, and fire no request', async () => {
  const s = await session.open();
  const { page } = s;
  await open(s, site.server.url('/'));
  await s.idle();
  await page.evaluate(() => {
    window.__sameDocument = true;
  });
  const browserMark = s.requests.length;
  const serverMark = site.server.requests.length;

  await expectSelection(page, '/', []);
  await toggle(page, A).click();
  await expectSelection(page, '/', [A]);
  await toggle(page, B).click();
  await expectSelection(page, '/', [A, B]);
  await toggle(page, A).click();
  await expectSelection(page, '/', [B]);
  await page.locator('section.tag-filter button.clear-tags').click();
  await expectSelection(page, '/', []);

  await page.waitForTimeout(300);
  assert.deepEqual(s.requestsSince(browserMark), [], 'no request from the browser while filtering');
  const reached = site.server.requests.slice(serverMark).filter((r) => !isFavicon(`http://x${r.path}`));
  assert.deepEqual(reached, [], 'no request reached the server');
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no page reload');

  // Back and forward walk through the selections, still without the network.
  await page.goBack();
  await expectSelection(page, '/', [B]);
  await page.goBack();
  await expectSelection(page, '/', [A, B]);
  await page.goBack();
  await expectSelection(page, '/', [A]);
  await page.goForward();
  await expectSelection(page, '/', [A, B]);
  await page.goBack();
  await page.goBack();
  await expectSelection(page, '/', []);
  assert.deepEqual(s.requestsSince(browserMark), [], 'no request on back/forward');
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no page reload on back/forward');
});

test('a tag chip in a post summary is a link that toggles the filter in place', async () => {
  const s = await session.open();
  const { page } = s;
  await open(s, site.server.url('/'));
  await s.idle();
  await page.evaluate(() => {
    window.__sameDocument = true;
  });
  const chip = page.locator('main article.post-summary a.tag[data-tag]').first();
  const slug = await chip.getAttribute('data-tag');
  const href = await chip.evaluate((a) => a.href);
  assert.equal(decodeURIComponent(new URL(href).search), `?tags=${slug}`, 'the chip links to the list with its tag selected');
  const mark = s.requests.length;
  await chip.click();
  await expectSelection(page, '/', [slug]);
  assert.deepEqual(s.requestsSince(mark), []);
  assert.equal(await page.evaluate(() => window.__sameDocument), true);

  // With the tag selected, the same chip now links to the list without it.
  const again = page.locator(`main article.post-summary a.tag[data-tag="${slug}"]`).first();
  assert.equal(new URL(await again.evaluate((a) => a.href)).search, '');
});

test('a selection in the URL applies on load, on home and on a term page', async () => {
  const s = await session.open();
  await open(s, site.server.url(`/?tags=${encodePath(A)},${encodePath(B)}`));
  await expectSelection(s.page, '/', [A, B]);

  const tagPath = `/tag/${A}`;
  await open(s, site.server.url(`${encodePath(tagPath)}?tags=${encodePath(B)}`));
  await expectSelection(s.page, tagPath, [B]);

  const { index } = site;
  const category = index.categories[0];
  const catPath = `/category/${category.slug}`;
  await open(s, site.server.url(`${encodePath(catPath)}?tags=${encodePath(A)}`));
  await expectSelection(s.page, catPath, [A]);
});

test('a selection no post matches shows the empty message', async () => {
  const s = await session.open();
  await open(s, site.server.url('/?tags=no-such-tag-anywhere'));
  await s.page.locator('main p.empty').waitFor();
  assert.equal(await s.page.locator('main article.post-summary').count(), 0);
});

test('a tag outside ASCII filters and round-trips through the URL', async () => {
  const s = await session.open();
  const { page } = s;
  const slug = site.index.tags.map((t) => t.slug).find((t) => /[^\x00-\x7f]/.test(t));
  assert.ok(slug, 'the sample blog has a tag outside ASCII');
  await open(s, site.server.url('/'));
  await s.idle();
  await toggle(page, slug).click();
  await expectSelection(page, '/', [slug]);
  assert.equal(new URL(page.url()).search, `?tags=${encodePath(slug)}`, 'percent-encoded in the URL');
  await page.reload();
  await expectSelection(page, '/', [slug]);
});
