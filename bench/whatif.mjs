// What would a change to the page buy? Runs the benchmark's tag-toggle and long-post
// probes on the 1,000-post blog (plus the long read) with a page-level patch applied
// before the app starts, next to the unpatched page, in the same browser and minutes:
//
//   node bench/whatif.mjs [--toggles 24] [--opens 6]
//
// Patches (each one a hypothesis about where the time goes, not a fix):
//   no-focus          HTMLElement.prototype.focus does nothing: the cost of the app moving
//                     focus after a redraw (focus() forces style and layout at once)
//   content-visibility  `.post-body > *, main article.post-summary { content-visibility:
//                     auto }` added through the CSSOM: the browser lays out only what is
//                     on screen
//   both
//
// Needs the benchmark's release build (target/bench/dist or dist/) and corpus
// (target/bench/corpus-1000, made by scripts/bench).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyWithLargePost, LARGE_POST } from './large-post.mjs';
import { percentile, median } from './lib/stats.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const own = path.join(root, 'target/bench/dist');
process.env.QUIRE_DIST ||= fs.existsSync(path.join(own, 'index.html')) ? own : path.join(root, 'dist');
const { siteWithContent } = await import('../tests/e2e/lib/site.mjs');
const { launchBench, openBenchPage, waitFirstList } = await import('./lib/page.mjs');

const argv = process.argv.slice(2);
const opt = (n, d) => (argv.includes(n) ? Number(argv[argv.indexOf(n) + 1]) : d);
const TOGGLES = opt('--toggles', 24);
const OPENS = opt('--opens', 6);

const corpus = path.join(root, 'target/bench/corpus-1000');
if (!fs.existsSync(corpus)) throw new Error(`no ${corpus}: run scripts/bench once`);
const content = fs.mkdtempSync('/tmp/quire-whatif-');
copyWithLargePost(corpus, content);

const PATCHES = {
  none: null,
  'no-focus': () => {
    HTMLElement.prototype.focus = function () {};
  },
  'content-visibility': () => {
    document.addEventListener('DOMContentLoaded', () => {
      const sheet = [...document.styleSheets].find((s) => {
        try {
          return s.cssRules;
        } catch {
          return false;
        }
      });
      sheet?.insertRule('.post-body > *, main article.post-summary { content-visibility: auto; contain-intrinsic-size: auto 3em; }', sheet.cssRules.length);
    });
  },
};
PATCHES.both = [PATCHES['no-focus'], PATCHES['content-visibility']];

const site = await siteWithContent(content);
const browser = await launchBench();
const tags = [...site.index.tags].sort((a, b) => b.posts.length - a.posts.length).slice(0, 6).map((t) => t.slug);
const sel = `main article.post-summary h2 a[href$="/post/${LARGE_POST.slug}"]`;
try {
  console.log('patch                 toggle p50   toggle p95   long post p50   (ms, work + next frame)');
  for (const [name, patch] of Object.entries(PATCHES)) {
    const s = await openBenchPage(browser);
    for (const p of [patch].flat().filter(Boolean)) await s.context.addInitScript(p);
    await s.page.goto(site.server.url('/'));
    await waitFirstList(s.page);
    await s.idle({ quiet: 400 });
    const toggles = await s.page.evaluate(
      async ({ tags, n }) => {
        const out = [];
        for (let i = 0; i < n; i++) {
          const q = `section.tag-filter button.tag-toggle[data-tag="${tags[Math.floor(i / 2) % tags.length]}"]`;
          const r = await window.__quireBench.measure(() => document.querySelector(q).click(), () => true);
          out.push(r.ms);
        }
        return out;
      },
      { tags, n: TOGGLES },
    );
    await s.page.hover(sel);
    await s.idle({ quiet: 300 });
    const opens = [];
    for (let i = 0; i < OPENS; i++) {
      const r = await s.page.evaluate(
        ({ sel, marker }) =>
          window.__quireBench.measure(
            () => document.querySelector(sel).click(),
            () => (document.querySelector('main .post-body')?.textContent || '').includes(marker),
          ),
        { sel, marker: LARGE_POST.marker },
      );
      opens.push(r.ms);
      await s.page.goBack();
      await s.page.waitForSelector(sel);
      await s.idle({ quiet: 200 });
    }
    const f = (x) => x.toFixed(1).padStart(12);
    console.log(`${name.padEnd(20)} ${f(median(toggles))} ${f(percentile(toggles, 95))} ${f(median(opens))}`);
    await s.close();
  }
} finally {
  await browser.close();
  await site.cleanup();
  fs.rmSync(content, { recursive: true, force: true });
}
