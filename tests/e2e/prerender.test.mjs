// Prerendered route files: every page reads fully with JavaScript off (its links work as
// plain multi-page navigation), the app takes the page over without a layout shift or an
// empty list, and a tag toggle touches only the DOM nodes whose content changes.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { useBrowser } from './lib/browser.mjs';
import { corpusSite, sampleSite } from './lib/site.mjs';
import { encodePath, lists, open, pageCount, tagCounts, withTags } from './lib/app.mjs';
import { expectedArchive, expectedCloud } from './lib/views.mjs';

const session = useBrowser();
let site;
before(async () => {
  site = await sampleSite();
});
after(() => site?.server.close());

const slugsOn = (page) =>
  page.$$eval('main article.post-summary h2 a', (as) =>
    as.map((a) => decodeURIComponent(new URL(a.href).pathname.split('/').filter(Boolean).pop())),
  );

test('with JavaScript off, every route kind shows its content', async () => {
  const { index } = site;
  const per = index.site.posts_per_page;
  const s = await session.open({ javaScriptEnabled: false });
  s.allow(/status of 404/);
  const { page } = s;

  // Home: the newest posts, with their summaries and pagination.
  await page.goto(site.server.url('/'));
  assert.deepEqual(await slugsOn(page), index.posts.slice(0, per).map((p) => p.slug));
  assert.ok((await page.locator('main article.post-summary .summary p').count()) > 0, 'summaries are rendered');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.app), undefined, 'no app ran');

  // Every list, first page: the right posts in order.
  for (const l of lists(index).slice(0, 12)) {
    await page.goto(site.server.url(encodePath(l.path)));
    const want = l.posts.slice(0, per).map((p) => index.posts[p].slug);
    assert.deepEqual(await slugsOn(page), want, `posts on ${l.path}`);
  }

  // A post: its whole body (the last words of its Markdown are on the page).
  const post = index.posts[0];
  await page.goto(site.server.url(encodePath(`/post/${post.slug}`)));
  assert.equal((await page.locator('main article.post h1').textContent()).trim(), post.title);
  const bodyText = await page.locator('main .post-body').textContent();
  assert.ok(bodyText.trim().length > 200, 'the body is there');

  // Tag cloud and archive.
  await page.goto(site.server.url('/tags'));
  const cloud = await page.$$eval('main ul.tag-cloud a', (as) =>
    as.map((a) => decodeURIComponent(new URL(a.href).pathname.split('/').pop())),
  );
  assert.deepEqual(cloud, expectedCloud(index));
  await page.goto(site.server.url('/archive'));
  const months = await page.$$eval('main .archive section h2', (hs) => hs.length);
  assert.equal(months, expectedArchive(index).length);

  // An unknown address: the host's 404.html is the not-found page.
  const r = await page.goto(site.server.url('/no/such/page'));
  assert.equal(r.status(), 404);
  assert.equal(await page.locator('main .not-found h1').count(), 1);
});

test('with JavaScript off, links are plain multi-page navigation', async () => {
  const { index } = site;
  const s = await session.open({ javaScriptEnabled: false });
  const { page } = s;
  await page.goto(site.server.url('/'));
  const first = index.posts[0];
  await Promise.all([page.waitForNavigation(), page.locator('main article.post-summary h2 a').first().click()]);
  assert.equal((await page.locator('main article.post h1').textContent()).trim(), first.title);
  // The newer/older link, then a tag of the post, then the header's Tags link.
  await Promise.all([page.waitForNavigation(), page.locator('nav.post-nav a[rel="next"]').click()]);
  assert.equal((await page.locator('main article.post h1').textContent()).trim(), index.posts[1].title);
  await Promise.all([page.waitForNavigation(), page.locator('header.site-header nav a', { hasText: 'Tags' }).click()]);
  assert.ok((await page.locator('main ul.tag-cloud li').count()) > 0);
  if (pageCount(index.posts.length, index.site.posts_per_page) > 1) {
    await page.goto(site.server.url('/'));
    await Promise.all([page.waitForNavigation(), page.locator('nav.pagination a[rel="next"]').click()]);
    assert.deepEqual(
      await slugsOn(page),
      index.posts.slice(index.site.posts_per_page, 2 * index.site.posts_per_page).map((p) => p.slug),
    );
  }
});

/** Records layout shifts (from the first parse on) and whether the view was ever empty once the page was parsed. */
async function watchTakeover(s) {
  await s.context.addInitScript(() => {
    window.__shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__shifts.push(e.value);
    }).observe({ type: 'layout-shift', buffered: true });
    window.__emptied = false;
    const check = () => {
      if (document.querySelector('main') && !document.querySelector('main article.post-summary, main article.post, main .tag-cloud, main .archive, main .not-found')) {
        window.__emptied = true;
      }
    };
    // From the end of parsing on: before it, the parser itself adds `main`'s children one
    // by one, which is not the app emptying anything.
    document.addEventListener('DOMContentLoaded', () => {
      check();
      new MutationObserver(check).observe(document, { childList: true, subtree: true });
    });
  });
}

for (const routePath of ['/', '/tags', '/archive']) {
  test(`the app takes over ${routePath} with no layout shift and no empty view`, async () => {
    const s = await session.open();
    await watchTakeover(s);
    const before = await s.page.goto(site.server.url(routePath));
    assert.equal(before.status(), 200);
    await open(s, site.server.url(routePath));
    await s.idle();
    const { shifts, emptied, live } = await s.page.evaluate(() => ({
      shifts: window.__shifts,
      emptied: window.__emptied,
      live: document.documentElement.dataset.app,
    }));
    assert.equal(live, 'live', 'the app took over');
    assert.equal(shifts.reduce((a, b) => a + b, 0), 0, `layout shifts: ${shifts}`);
    assert.equal(emptied, false, 'the view was never empty');
  });
}

test('a post page is taken over with no layout shift, scroll position kept', async () => {
  const s = await session.open();
  await watchTakeover(s);
  const post = site.index.posts.find((p) => p.words > 300) ?? site.index.posts[0];
  // Stop the app before it starts, scroll, then let it take over.
  await s.page.route(/\.wasm$/, async (route) => {
    await new Promise((r) => setTimeout(r, 500));
    await route.continue();
  });
  await s.page.goto(site.server.url(encodePath(`/post/${post.slug}`)));
  await s.page.evaluate(() => window.scrollTo(0, 300));
  const y = await s.page.evaluate(() => window.scrollY);
  await s.page.waitForFunction(() => document.documentElement.dataset.app === 'live', null, { timeout: 15000 });
  await s.idle();
  const after = await s.page.evaluate(() => ({ y: window.scrollY, shifts: window.__shifts, emptied: window.__emptied }));
  assert.equal(after.y, y, 'scroll position kept');
  assert.equal(after.shifts.reduce((a, b) => a + b, 0), 0, `layout shifts: ${after.shifts}`);
  assert.equal(after.emptied, false);
});

test('a tag toggle on a 1,000-post blog touches only what changes', { timeout: 300_000 }, async () => {
  const big = await corpusSite(1000);
  try {
    const { index } = big;
    const s = await session.open();
    await open(s, big.server.url('/'));
    await s.idle();
    const all = index.posts.map((_, i) => i);
    const A = [...index.tags].sort((x, y) => y.posts.length - x.posts.length)[0].slug;
    const before = tagCounts(index, all);
    const afterCounts = tagCounts(index, withTags(index, all, [A]));
    const changed = Object.keys(before).filter((k) => before[k] !== afterCounts[k]).length;
    await s.page.evaluate(() => {
      window.__mutations = 0;
      window.__observer = new MutationObserver((records) => {
        window.__mutations += records.length;
      });
      window.__observer.observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
    });
    await s.page.locator(`section.tag-filter button.tag-toggle[data-tag="${A}"]`).click();
    await s.page.waitForFunction((a) => document.querySelector(`button.tag-toggle[data-tag="${a}"]`)?.getAttribute('aria-pressed') === 'true', A);
    await s.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
    const mutations = await s.page.evaluate(() => window.__mutations);
    const toggles = await s.page.locator('section.tag-filter button.tag-toggle').count();
    const per = index.site.posts_per_page;
    // Each toggle whose count changed: its count text and maybe its class (2 records); the
    // pressed toggle: 2 more; each of the 10 listed posts replaced or its chips updated
    // (≤ 12 records a post); the filter status line and its parts (≤ 10).
    const bound = 2 * changed + 4 + 12 * per + 10;
    assert.ok(
      mutations <= bound,
      `one toggle made ${mutations} DOM mutations; ${changed} of ${toggles} toggles changed count, bound ${bound}`,
    );
  } finally {
    await big.cleanup();
  }
});
