// Search relevance in the browser (issue 23): the cases `quire-devtools relevance`
// generates from the built sample blog (a word unique to one post finds it first; its
// prefixes from 3 letters on keep it in the top 3; two words of a paragraph find its post
// first), typed into the app's search box on the release build. The same cases run
// natively in `cargo test -p quire --test it relevance`; here they check that the app
// shows what the engine ranks, and that typing a word letter by letter never empties the
// results on the way.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { useBrowser } from './lib/browser.mjs';
import { distDir, repoRoot, sampleSite } from './lib/site.mjs';
import { open } from './lib/app.mjs';

const session = useBrowser();
const BOX = 'header.site-header form[role="search"] input#search-q';

function resultSlugs(page) {
  return page.$$eval('main .search-results li.search-result', (lis) => lis.map((li) => li.dataset.post));
}

/** Waits until the results are those of the text now in the box (no fetch pending). */
async function answered(page, { timeout = 15000 } = {}) {
  await page.waitForFunction(
    () => {
      const ol = document.querySelector('main .search-results');
      const status = document.querySelector('main .search-status')?.textContent ?? '';
      return ol && ol.getAttribute('aria-busy') === 'false' && !/Searching/.test(status);
    },
    null,
    { timeout },
  );
}

/** The cases of the built site, from quire-devtools (at most `max` of each kind). */
function relevanceCases(site, max) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'quire-relevance-')), 'cases.json');
  const r = spawnSync('cargo', ['run', '--quiet', '-p', 'quire-devtools', '--', 'relevance', site, '--max', String(max), '--cases', file], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`quire-devtools relevance failed:\n${r.stderr}`);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

describe('relevance on the sample blog', () => {
  let site;
  let cases;
  before(async () => {
    site = await sampleSite();
    cases = relevanceCases(distDir, 40);
  });
  after(() => site?.server.close());

  test('each case finds its post where it must be', async () => {
    const s = await session.open();
    await open(s, site.server.url('/'));
    const box = s.page.locator(BOX);
    await box.focus();
    const misses = [];
    for (const c of cases) {
      await box.fill(c.query);
      await answered(s.page);
      const slugs = await resultSlugs(s.page);
      const slug = c.route.replace(/^post\//, '').replace(/\/$/, '');
      const rank = slugs.indexOf(slug);
      const goal = c.kind === 'prefix' ? 3 : 1;
      if (c.kind !== 'pair' && (rank < 0 || rank >= goal)) misses.push(`${c.kind} ${JSON.stringify(c.query)} → ${slug}: ${rank + 1}`);
      if (c.kind === 'pair' && (rank < 0 || rank >= 3)) misses.push(`pair ${JSON.stringify(c.query)} → ${slug}: ${rank + 1}`);
    }
    assert.ok(cases.filter((c) => c.kind === 'unique').length >= 40, 'unique-word cases');
    assert.ok(cases.filter((c) => c.kind === 'prefix').length >= 40, 'prefix cases');
    assert.deepEqual(misses, []);
  });

  test('typing a word letter by letter never empties the results on the way', async () => {
    const s = await session.open();
    await open(s, site.server.url('/'));
    const box = s.page.locator(BOX);
    await box.focus();
    for (const word of ['greenest', 'sourdough', 'pallets', 'backups', 'planning']) {
      const counts = [];
      for (let n = 2; n <= word.length; n += 1) {
        await box.fill(word.slice(0, n));
        await answered(s.page);
        counts.push((await resultSlugs(s.page)).length);
      }
      assert.ok(counts.at(-1) > 0, `${word} finds its post`);
      assert.ok(counts.every((c) => c > 0), `${word}, letter by letter from 2: ${counts.join(' ')}`);
    }
  });
});
