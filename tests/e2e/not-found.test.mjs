// Paths that are not pages: the static host answers 404 with the site's 404.html (no SPA
// fallback), and the app shows its not-found view inside the usual layout. Links to
// unknown pages followed inside the app end the same way.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { useBrowser } from './lib/browser.mjs';
import { sampleSite } from './lib/site.mjs';
import { assertLayout, encodePath, open } from './lib/app.mjs';

const session = useBrowser();
let site;
before(async () => {
  site = await sampleSite();
});
after(() => site?.server.close());

async function expectNotFound(s) {
  const { page } = s;
  await page.locator('main .not-found').waitFor();
  await assertLayout(page, site.index, site.server.base);
  assert.equal((await page.locator('main h1').first().textContent()).trim(), 'Page not found');
  assert.equal(await page.title(), `Page not found · ${site.index.site.title}`);
  assert.equal(await page.locator('main article.post-summary, main article.post').count(), 0);
}

test('unknown paths answer 404 and show the not-found view', async () => {
  const s = await session.open();
  // The browser reports the document's 404 status on the console: that is the host's
  // answer, which is right, not an app error.
  s.allow(/status of 404/);
  const per = site.index.site.posts_per_page;
  const beyond = Math.ceil(site.index.posts.length / per) + 1;
  for (const p of [
    '/no/such/page',
    '/post/no-such-post',
    '/tag/no-such-tag',
    '/category/no-such-category',
    '/author/nobody-at-all',
    `/page/${beyond}`,
    '/tags/extra',
    '/page/1',
  ]) {
    const response = await open(s, site.server.url(encodePath(p)));
    assert.equal(response.status(), 404, `status of ${p}`);
    await expectNotFound(s);
  }
});

test('an in-app link to an unknown page shows the not-found view without a reload', async () => {
  const s = await session.open();
  const { page } = s;
  await open(s, site.server.url('/'));
  await s.idle();
  await page.evaluate((href) => {
    window.__sameDocument = true;
    const a = document.createElement('a');
    a.href = href;
    a.id = 'test-unknown-link';
    a.textContent = 'nowhere';
    document.body.append(a);
  }, site.server.url('post/no-such-post'));
  await page.locator('#test-unknown-link').click();
  await expectNotFound(s);
  assert.equal(await page.evaluate(() => window.__sameDocument), true);
  await page.goBack();
  await page.locator('main article.post-summary').first().waitFor();
});
