// Correctness at scale: a generated blog of 10,000 posts (quire-devtools' gen-corpus,
// deterministic) built with the CLI and opened in the browser. The first page, a tag page,
// a post deep in the archive, the tag cloud and a filtered, paginated list all show the
// right content. How fast is the benchmarks' business, not this test's.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { useBrowser } from './lib/browser.mjs';
import { corpusSite } from './lib/site.mjs';
import { checkList, checkRoute } from './lib/views.mjs';
import { encodePath, lists, location, open, pageCount, withTags } from './lib/app.mjs';

const POSTS = 10000;
const session = useBrowser();
let site;
before(
  async () => {
    site = await corpusSite(POSTS);
  },
  { timeout: 600_000 },
);
after(() => site?.cleanup());

test(`the generated site has ${POSTS} posts`, () => {
  assert.equal(site.index.posts.length, POSTS);
  assert.equal(site.index.site.posts_per_page, 10);
});

test('the first page shows the 10 newest posts', async () => {
  const s = await session.open();
  const response = await open(s, site.server.url('/'));
  assert.equal(response.status(), 200);
  await s.idle();
  await checkRoute(s.page, site, '/', { deep: true });
  const dates = site.index.posts.slice(0, 10).map((p) => p.date);
  assert.deepEqual([...dates].sort().reverse(), dates, 'newest first');
  assert.ok(dates[0] >= site.index.posts[POSTS - 1].date);
});

test('a tag page and a late page of it list the right posts', async () => {
  const s = await session.open();
  const tag = [...site.index.tags].sort((a, b) => b.posts.length - a.posts.length)[0];
  const pages = pageCount(tag.posts.length, 10);
  assert.ok(pages > 2, 'the most used tag spans pages');
  for (const p of [`/tag/${tag.slug}`, `/tag/${tag.slug}/page/${pages}`]) {
    const response = await open(s, site.server.url(encodePath(p)));
    assert.equal(response.status(), 200, p);
    await s.idle();
    await checkRoute(s.page, site, p, { deep: true });
  }
});

test('a post deep in the archive opens with its body', async () => {
  const s = await session.open();
  for (const pos of [Math.floor(POSTS / 2) + 7, POSTS - 1]) {
    const p = `/post/${site.index.posts[pos].slug}`;
    const response = await open(s, site.server.url(encodePath(p)));
    assert.equal(response.status(), 200, p);
    await s.idle();
    await checkRoute(s.page, site, p, { deep: true });
  }
});

test('the tag cloud lists every tag by count', async () => {
  const s = await session.open();
  await open(s, site.server.url('/tags'));
  await checkRoute(s.page, site, '/tags', { deep: true });
});

test('filtering thousands of posts, then paging through the result', async () => {
  const s = await session.open();
  const { page } = s;
  const { index } = site;
  const byCount = [...index.tags].sort((a, b) => b.posts.length - a.posts.length);
  const [a, b] = [byCount[0].slug, byCount[1].slug];
  await open(s, site.server.url('/'));
  await s.idle();
  await page.locator(`section.tag-filter button.tag-toggle[data-tag="${a}"]`).click();
  await page.locator(`section.tag-filter button.tag-toggle[data-tag="${b}"]`).click();
  await page.waitForFunction(() => document.querySelectorAll('button.tag-toggle[aria-pressed="true"]').length === 2);
  const home = lists(index)[0];
  const filtered = withTags(index, home.posts, [a, b]);
  assert.ok(filtered.length > 10, 'the pair of tags still spans pages');
  await checkList(page, site, { ...home, posts: filtered }, 1, { selected: [a, b] });

  await page.locator('main nav.pagination a[rel="next"]').click();
  await page.waitForFunction(() => /\/page\/2\/?$/.test(location.pathname));
  await s.idle();
  assert.equal(await location(page, site.server.base), `/page/2?tags=${a},${b}`);
  await checkList(page, site, { ...home, posts: filtered }, 2, { selected: [a, b] });
});

test('hundreds of tags: the list shows its most used, a selected rarer one, and all on request', async () => {
  const s = await session.open();
  const { page } = s;
  const { index } = site;
  const byCount = [...index.tags].sort((a, b) => b.posts.length - a.posts.length || a.name.localeCompare(b.name));
  assert.ok(byCount.length > 100, 'the corpus has hundreds of tags');
  const rare = byCount[byCount.length - 1].slug;
  await open(s, site.server.url(`/?tags=${encodeURIComponent(rare)}`));
  await s.idle();
  const shown = () => page.$$eval('section.tag-filter button.tag-toggle', (bs) => bs.map((b) => b.dataset.tag));
  const folded = await shown();
  assert.ok(folded.length < 40, `a folded filter shows few toggles, not ${folded.length}`);
  assert.ok(folded.includes(byCount[0].slug), 'the most used tag is shown');
  assert.ok(folded.includes(rare), 'the selected rare tag is shown while folded');
  const more = page.locator('section.tag-filter button.more-tags');
  assert.match(await more.textContent(), new RegExp(`All ${byCount.length} tags`));
  await more.click();
  await page.waitForFunction((n) => document.querySelectorAll('section.tag-filter button.tag-toggle').length >= n, byCount.length);
  assert.equal(await more.getAttribute('aria-expanded'), 'true');
  assert.equal(new Set(await shown()).size, byCount.length, 'every tag has its toggle once expanded');
  // The rare tag switches off where it is, and the list is whole again.
  await page.locator(`section.tag-filter button.tag-toggle[data-tag="${rare}"]`).click();
  await page.waitForFunction(() => !location.search.includes('tags='));
  assert.equal(await location(page, site.server.base), '/');
});
