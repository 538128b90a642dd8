// Every route of the sample blog, opened by a deep link on a plain static server: it
// answers 200 (after the directory redirect a static host does) and shows the right view
// with the right posts in the right order.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { useBrowser } from './lib/browser.mjs';
import { sampleSite } from './lib/site.mjs';
import { checkRoute } from './lib/views.mjs';
import { allRoutePaths, encodePath, lists, open, pageCount } from './lib/app.mjs';

const session = useBrowser();
let site;
before(async () => {
  site = await sampleSite();
});
after(() => site?.server.close());

test('the sample blog has content worth testing', () => {
  const { index } = site;
  assert.ok(index.posts.length >= 3, 'at least three posts');
  assert.ok(index.tags.length >= 2, 'at least two tags');
  assert.ok(index.categories.length >= 1, 'at least one category');
  assert.ok(index.authors.length >= 1, 'at least one author');
  // Newest first.
  const dates = index.posts.map((p) => p.date.slice(0, 10));
  assert.deepEqual([...dates].sort().reverse(), dates);
});

test('known facts of the sample blog', () => {
  const { index } = site;
  assert.equal(index.site.title, 'Allotment & Terminal');
  assert.equal(index.site.posts_per_page, 5);
  assert.equal(index.posts.length, 13, '14 files, one of them a draft');
  assert.ok(!index.posts.some((p) => /solar drying/i.test(p.title)), 'the draft stays out');
  assert.equal(index.posts[0].slug, 'four-years-on-plot-17');
  assert.equal(index.posts.at(-1).slug, 'planning-the-first-allotment-season');
  const tags = index.tags.map((t) => t.slug);
  assert.ok(tags.includes('café') && tags.includes('日本'), 'non-ASCII tag slugs');
  assert.deepEqual(
    index.authors.map((a) => a.name),
    ['Maren Holt', 'Tomás Ferreira'],
  );
});

test('a deep link to every route answers 200 and renders its view', async () => {
  const s = await session.open();
  const paths = allRoutePaths(site.index);
  for (const p of paths) {
    const response = await open(s, site.server.url(encodePath(p)));
    assert.equal(response.status(), 200, `status of ${p}`);
    await checkRoute(s.page, site, p);
  }
});

test('list routes: home and one of each term kind, page by page', async () => {
  const s = await session.open();
  const per = site.index.site.posts_per_page;
  const seen = new Set();
  for (const l of lists(site.index)) {
    if (seen.has(l.kind)) continue;
    seen.add(l.kind);
    const pages = pageCount(l.posts.length, per);
    for (let n = 1; n <= pages; n++) {
      const p = n === 1 ? l.path : `${l.path === '/' ? '' : l.path}/page/${n}`;
      await open(s, site.server.url(encodePath(p)));
      await s.idle();
      await checkRoute(s.page, site, p, { deep: true });
    }
  }
  assert.deepEqual([...seen].sort(), ['author', 'category', 'home', 'tag']);
});
