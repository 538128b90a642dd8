// The post index fails to load: the app says so and offers a retry, and the retry brings
// the site back once the file is good again. (Hostile and broken bundles are the security
// tests' business; this is the everyday outage.)

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { useBrowser } from './lib/browser.mjs';
import { sampleSite } from './lib/site.mjs';
import { checkList } from './lib/views.mjs';
import { lists, settled } from './lib/app.mjs';

const session = useBrowser();
let site;
before(async () => {
  site = await sampleSite();
});
after(() => site?.server.close());

async function waitFor(condition, timeout = 5000) {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeout) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

for (const status of [500, 404]) {
  test(`index.json answering ${status} shows the error view; retry recovers`, async () => {
    const s = await session.open();
    const { page } = s;
    s.allow(new RegExp(`status of ${status}`));
    site.server.fault('/data/index.json', { status });
    try {
      await page.goto(site.server.url('/'));
      await settled(page);
      const error = page.locator('main .load-error');
      await error.waitFor();
      assert.ok((await error.innerText()).trim().length > 0, 'the error view explains itself');
      // The prerendered page stays readable; the app did not take it over.
      assert.ok((await page.locator('main article.post-summary').count()) > 0, 'the prerendered posts stay');
      assert.notEqual(await page.evaluate(() => document.documentElement.dataset.app), 'live');
      const asked = site.server.requestsTo('/data/index.json').length;
      assert.ok(asked >= 1);

      // Still failing: retry asks again and still shows the error.
      await error.locator('button.retry').click();
      await waitFor(() => site.server.requestsTo('/data/index.json').some((r, i) => i >= asked && r.status === status));
      await settled(page);
      await page.locator('main .load-error').waitFor();
      // The prerendered page stays readable; the app did not take it over.
      assert.ok((await page.locator('main article.post-summary').count()) > 0, 'the prerendered posts stay');
      assert.notEqual(await page.evaluate(() => document.documentElement.dataset.app), 'live');
    } finally {
      site.server.clearFaults();
    }
    await page.evaluate(() => {
      window.__sameDocument = true;
    });
    await page.locator('main .load-error button.retry').click();
    await page.locator('main article.post-summary').first().waitFor();
    await settled(page);
    await s.idle();
    const home = lists(site.index)[0];
    await checkList(page, site, home, 1, { deep: true });
    assert.equal(await page.locator('main .load-error').count(), 0);
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'recovered without a reload');
  });
}
