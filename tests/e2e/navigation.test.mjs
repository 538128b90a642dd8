// Moving around the sample blog by clicking: links are handled in the page (no reload),
// titles follow, pagination and post-to-post links work, and back/forward restore views.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { useBrowser } from './lib/browser.mjs';
import { sampleSite } from './lib/site.mjs';
import { checkRoute } from './lib/views.mjs';
import { location, open, routeFileMeta, settled } from './lib/app.mjs';

const session = useBrowser();
let site;
before(async () => {
  site = await sampleSite();
});
after(() => site?.server.close());

async function markDocument(page) {
  await page.evaluate(() => {
    window.__sameDocument = true;
  });
}

async function expectRoute(s, routePath) {
  const { page } = s;
  await page.waitForFunction(
    ([base, want]) => decodeURIComponent(location.pathname.slice(new URL(base).pathname.length - 1)) === want,
    [site.server.base, routePath],
    { timeout: 5000 },
  );
  await settled(page);
  await s.idle({ quiet: 300 });
  assert.equal(await location(page, site.server.base), routePath);
  assert.equal(await page.evaluate(() => window.__sameDocument), true, `reached ${routePath} without a reload`);
  await checkRoute(page, site, routePath, { deep: true });
  assert.equal(await page.title(), routeFileMeta(site.dir, routePath).title, `title on ${routePath}`);
}

test('clicking through the site stays in one document; back and forward restore views', async () => {
  const s = await session.open();
  const { page } = s;
  const { index } = site;
  await open(s, site.server.url('/'));
  await markDocument(page);

  const first = index.posts[0].slug;
  await page.locator('main article.post-summary h2 a').first().click();
  await expectRoute(s, `/post/${first}`);

  // Older post, then back to it via the newer link.
  const second = index.posts[1].slug;
  await page.locator('main nav.post-nav a[rel="next"]').click();
  await expectRoute(s, `/post/${second}`);
  await page.locator('main nav.post-nav a[rel="prev"]').click();
  await expectRoute(s, `/post/${first}`);

  // A term page from the post's tags.
  const tag = index.tags[index.posts[0].tags[0]].slug;
  await page.locator(`main article.post .post-tags a[href$="/tag/${encodeURIComponent(tag)}"]`).first().click();
  await expectRoute(s, `/tag/${tag}`);

  // The header's nav.
  await page.locator('header.site-header nav a', { hasText: /tags/i }).first().click();
  await expectRoute(s, '/tags');
  await page.locator('header.site-header nav a', { hasText: /archive/i }).first().click();
  await expectRoute(s, '/archive');
  await page.locator('main .archive a').first().click();
  await expectRoute(s, `/post/${first}`);
  await page.locator('header.site-header a.site-title').click();
  await expectRoute(s, '/');

  // History, backwards and forwards.
  await page.goBack();
  await expectRoute(s, `/post/${first}`);
  await page.goBack();
  await expectRoute(s, '/archive');
  await page.goBack();
  await expectRoute(s, '/tags');
  await page.goForward();
  await expectRoute(s, '/archive');
});

test('pagination links walk the list and back', async () => {
  const s = await session.open();
  const { page } = s;
  const per = site.index.site.posts_per_page;
  const pages = Math.ceil(site.index.posts.length / per);
  await open(s, site.server.url('/'));
  await markDocument(page);
  if (pages < 2) {
    // One page: no links at all (the generated corpus in scale.test.mjs walks pages).
    assert.equal(await page.locator('main nav.pagination a').count(), 0);
    return;
  }
  for (let n = 2; n <= pages; n++) {
    await page.locator('main nav.pagination a[rel="next"]').click();
    await expectRoute(s, `/page/${n}`);
  }
  await page.locator('main nav.pagination a[rel="prev"]').click();
  await expectRoute(s, pages - 1 === 1 ? '/' : `/page/${pages - 1}`);
});

test('a modified click is left to the browser', async () => {
  const s = await session.open();
  const { page } = s;
  await open(s, site.server.url('/'));
  const popup = s.context.waitForEvent('page');
  await page.locator('main article.post-summary h2 a').first().click({ modifiers: ['Control'] });
  const tab = await popup;
  await tab.waitForLoadState();
  assert.match(new URL(tab.url()).pathname, /\/post\//, 'the new tab opened the post');
  assert.equal(await location(page, site.server.base), '/', 'the original tab stayed put');
  await tab.close();
});
