// Search benchmark: Quire's search against Pagefind (npm `pagefind`, a devDependency) on
// the same generated blog, in the same run, in headless Chromium against the browser
// tests' plain static server. Prints one table: metric | Quire | Pagefind | goal.
//
//   node bench/search.mjs [--posts 10000] [--runs 5] [--work target/bench]
//                         [--dist DIR] [--baseline-dist DIR] [--gap MS]
//
// Expects a release build of the app (--dist, $QUIRE_DIST, target/bench/dist or dist/) and
// builds the CLI (`cargo build --profile cli -p quire`). The corpus is quire-devtools'
// gen-corpus (kept under --work, as bench/run.mjs keeps it). Quire's site is built with
// `quire build` from it; Pagefind then indexes that site's prerendered post pages
// (`--glob "post/**/*.html" --root-selector main`: the same posts, their page content).
// --baseline-dist names a release build of the app without search, for the "app added"
// row (else that row is n/a). Run file-heavy work in tmpfs: TMPDIR=/dev/shm.
//
// What each row measures (both tools the same way, a fresh browser context a run):
// - bytes: every response from focusing the box to the first results being shown for a
//   one-word query, brotli -q 11 of each file. Quire shows titles, dates and tags at once
//   (from index.json, already loaded) and fills excerpts in as the results' route files
//   (or chunks the app already has) arrive: it gets two rows, titles shown, and the
//   first 5 excerpts shown. Pagefind's results need each
//   result's fragment (title and excerpt), so its first results are its first 5 fragments.
// - first results, cold: from the input event carrying the word (after focusing, with what
//   focusing fetches already in) to the first result in the DOM; median of --runs.
// - further keystroke p95: a second word typed one key at a time after the first results;
//   each key's input event to the list showing that text's results (fetches included).
//   Each key is typed as soon as the previous one is answered; --gap MS waits MS before
//   each key of the second word instead, as a person typing would (default 0).
// - index size: every search file, brotli (Quire: manifest and shards; Pagefind: its
//   bundle without and with its runtime JS and Wasm).
// - build time added: Quire's search index time (QUIRE_TIMING's "search: shards", from the
//   index's start to its end; it runs beside the route files) of a whole `quire build`,
//   best of 3; Pagefind's whole run over the built pages, best of 3.
// - app added: Quire's Wasm + JS against --baseline-dist (given the same import shortening
//   and minification as this build's glue, if it lacks them), as what every first visit
//   loads and what the first search fetches; Pagefind's pagefind.js + its Wasm.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const argv = process.argv.slice(2);
function opt(name, fallback) {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
}
if (argv.includes('-h') || argv.includes('--help')) {
  console.log(fs.readFileSync(new URL(import.meta.url), 'utf8').split('\n').slice(0, 15).join('\n'));
  process.exit(0);
}
{
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
  const own = path.join(root, 'target/bench/dist');
  process.env.QUIRE_DIST = path.resolve(
    opt('--dist', process.env.QUIRE_DIST || (fs.existsSync(path.join(own, 'index.html')) ? own : path.join(root, 'dist'))),
  );
}
const { buildWithContent, genCorpus, repoRoot, distDir } = await import('../tests/e2e/lib/site.mjs');
const { startServer } = await import('../tests/e2e/lib/server.mjs');
const { launchBench } = await import('./lib/page.mjs');
const { appLoads, fileForPath, fileSizes } = await import('./lib/sizes.mjs');
const { median, percentile } = await import('./lib/stats.mjs');

const POSTS = Number(opt('--posts', '10000'));
const RUNS = Number(opt('--runs', '5'));
const GAP = Number(opt('--gap', '0'));
const WORK = path.resolve(repoRoot, opt('--work', 'target/bench'));
const BASELINE = opt('--baseline-dist', null);
fs.mkdirSync(WORK, { recursive: true });

const load = () => os.loadavg().map((x) => x.toFixed(2)).join(', ');
const KB = 1000;
const rows = [];
function row(metric, quire, pagefind, goal) {
  rows.push({ metric, quire, pagefind, goal });
}
const kb = (n) => (n == null ? 'n/a' : `${(n / KB).toFixed(1)} KB`);
const ms = (n) => (n == null ? 'n/a' : `${n.toFixed(1)} ms`);

console.log(`load average at start: ${load()}`);

// ---------------------------------------------------------------------------------------
// The corpus, Quire's site, Pagefind's index of it

const content = genCorpus(POSTS, path.join(WORK, `corpus-${POSTS}`), { reuse: true });
const quireBin = path.join(repoRoot, 'target/cli/quire');
console.log(`building ${POSTS} posts with quire (app from ${distDir})…`);
const site = buildWithContent(content);
const index = JSON.parse(fs.readFileSync(path.join(site, 'data/index.json'), 'utf8'));

function quireSearchPhase() {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-search-bench-'));
  try {
    fs.copyFileSync(path.join(site, 'index.html'), path.join(out, 'index.html'));
    const t0 = process.hrtime.bigint();
    const r = spawnSync(quireBin, ['build', '--content', content, '--out', out], {
      encoding: 'utf8',
      env: { ...process.env, QUIRE_TIMING: '1' },
      maxBuffer: 256 << 20,
    });
    const wall = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(r.stderr);
    const m = r.stderr.match(/quire: timing: search: shards ([\d.]+) s/);
    return { search: m ? Number(m[1]) * 1000 : null, wall };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}
quireSearchPhase(); // warm-up
const quireBuilds = [0, 1, 2].map(quireSearchPhase);
const quireSearchMs = Math.min(...quireBuilds.map((b) => b.search));
const quireWallMs = Math.min(...quireBuilds.map((b) => b.wall));

const pagefindBin = path.join(repoRoot, 'node_modules/.bin/pagefind');
function pagefindRun() {
  fs.rmSync(path.join(site, 'pagefind'), { recursive: true, force: true });
  const t0 = process.hrtime.bigint();
  const r = spawnSync(pagefindBin, ['--site', site, '--glob', 'post/**/*.html', '--root-selector', 'main', '--silent'], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`pagefind failed: ${r.stderr}${r.stdout}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}
console.log('indexing the same posts with pagefind…');
const pagefindMs = Math.min(pagefindRun(), pagefindRun(), pagefindRun());

// Pagefind's side: a page with a box that loads Pagefind on focus and shows the first 5
// results (title and excerpt from each one's fragment), as its default UI does.
fs.writeFileSync(
  path.join(site, 'pagefind-bench.html'),
  `<!doctype html><html><head><meta charset="utf-8"><title>Pagefind</title></head><body>
<input id="q" type="search"><ol id="results" data-q=""></ol>
<script type="module" src="pagefind-bench.js"></script></body></html>`,
);
fs.writeFileSync(
  path.join(site, 'pagefind-bench.js'),
  `let pf = null;
const box = document.getElementById('q');
const list = document.getElementById('results');
box.addEventListener('focus', async () => {
  if (!pf) { pf = await import('./pagefind/pagefind.js'); await pf.init(); }
});
let latest = '';
box.addEventListener('input', async () => {
  const q = box.value;
  latest = q;
  if (!pf) { pf = await import('./pagefind/pagefind.js'); await pf.init(); }
  const found = await pf.search(q);
  const data = await Promise.all(found.results.slice(0, 5).map((r) => r.data()));
  if (latest !== q) return;
  list.replaceChildren(...data.map((d) => {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = d.url;
    a.textContent = d.meta.title;
    const p = document.createElement('p');
    p.innerHTML = d.excerpt;
    li.append(a, p);
    return li;
  }));
  list.dataset.q = q;
});
`,
);

// ---------------------------------------------------------------------------------------
// Sizes on disk

const sumBr = (files) => files.reduce((n, f) => n + fileSizes(f).br, 0);
const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
const quireIndexFiles = fs
  .readdirSync(path.join(site, 'data'))
  .filter((f) => /^(m-.*\.bin|x-.*\.bin)$/.test(f))
  .map((f) => path.join(site, 'data', f));
const pfFiles = walk(path.join(site, 'pagefind'));
// Names only (the site's temporary folder name may contain anything).
const base = (f) => path.relative(path.join(site, 'pagefind'), f);
// pagefind.js and the Wasm of the site's language (the corpus is English).
const pfRuntime = pfFiles.filter((f) => /^pagefind\.js$|^wasm\.en\.pagefind$/.test(base(f)));
const pfFragments = pfFiles.filter((f) => /^fragment\//.test(base(f)));
const pfIndex = pfFiles.filter((f) => /^(index|filter)\/|\.pf_meta$|^pagefind-entry\.json$/.test(base(f)));
const quireIndexBr = sumBr(quireIndexFiles);
const pfIndexBr = sumBr(pfIndex);
const pfFragmentsBr = sumBr(pfFragments);
const pfRuntimeBr = sumBr(pfRuntime);

// The app's Wasm + JS: what every first visit loads, and what comes on first use.
const appBr = (dist) => {
  const a = appLoads(dist);
  return { first: sumBr(a.first), later: sumBr(a.later) };
};
const appNow = appBr(distDir);
// A baseline built before the release build shortened the glue's import names and
// minified the JS gets the same two steps here (on copies), so that the difference is
// search's alone.
function baselineBr(dist) {
  const a = appLoads(dist);
  const glue = a.first.find((f) => /\.js$/.test(f) && fs.existsSync(f.replace(/\.js$/, '_bg.wasm')));
  if (!glue || !/_bg\.js"/.test(fs.readFileSync(glue, 'utf8'))) return appBr(dist);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-baseline-'));
  try {
    const js = path.join(tmp, path.basename(glue));
    const wasm = js.replace(/\.js$/, '_bg.wasm');
    fs.copyFileSync(glue, js);
    fs.copyFileSync(glue.replace(/\.js$/, '_bg.wasm'), wasm);
    const step = (cmd, args) => {
      const r = spawnSync(cmd, args, { cwd: repoRoot, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
    };
    step(process.execPath, ['scripts/lib/short-imports.mjs', wasm, js]);
    step(path.join(repoRoot, 'node_modules/.bin/terser'), [js, '--module', '--compress', '--mangle', '-o', js]);
    const others = a.first.filter((f) => f !== glue && f !== glue.replace(/\.js$/, '_bg.wasm'));
    return { first: sumBr([js, wasm, ...others]), later: sumBr(a.later) };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
const appBefore = BASELINE ? baselineBr(path.resolve(BASELINE)) : null;

// ---------------------------------------------------------------------------------------
// In the browser

// One-word queries: words of post titles (the generator's vocabulary, common and rare).
const titleWords = new Map();
for (const p of index.posts) {
  for (const w of p.title.toLowerCase().split(/\s+/)) {
    if (/^[a-z]{4,}$/.test(w)) titleWords.set(w, (titleWords.get(w) ?? 0) + 1);
  }
}
const byCount = [...titleWords.entries()].sort((a, b) => b[1] - a[1]).map(([w]) => w);
const words = Array.from({ length: RUNS }, (_, i) => byCount[Math.floor(((i + 0.5) * byCount.length) / RUNS)]);
const secondWord = (i) => byCount[(i * 7 + 3) % byCount.length];

const server = await startServer({ root: site, prefix: '/' });
const browser = await launchBench();

const tools = {
  quire: {
    url: '/',
    box: '#search-q',
    ready: async (page) => {
      await page.waitForFunction(() => document.documentElement.dataset.app === 'live', null, { timeout: 60000 });
    },
    excerpts: () => {
      const items = [...document.querySelectorAll('main .search-results > li')].slice(0, 5);
      return items.length > 0 && items.every((li) => li.querySelector('.excerpt') && !li.querySelector('.excerpt.loading'));
    },
  },
  pagefind: {
    url: '/pagefind-bench.html',
    box: '#q',
    ready: async () => {},
    excerpts: () => true,
  },
};

/**
 * Dispatches one input event with `text` in the box; resolves with the ms until the list
 * shows the results of exactly `text` (the page's CSP allows no eval: the checks live here).
 */
async function inputAndWait(page, name, tool, text) {
  return page.evaluate(
    ({ sel, text, name }) =>
      new Promise((resolve, reject) => {
        const done = () => {
          if (name === 'quire') {
            // The "Results for" line shows this text and nothing is pending.
            const ol = document.querySelector('main .search-results');
            const forText = document.querySelector('main .search-for')?.textContent ?? '';
            return !!ol && ol.getAttribute('aria-busy') === 'false' && forText === `Results for “${text}”` && ol.children.length > 0;
          }
          const ol = document.getElementById('results');
          return ol.dataset.q === text && ol.children.length > 0;
        };
        const box = document.querySelector(sel);
        const t0 = performance.now();
        const check = () => {
          if (!done()) return;
          obs.disconnect();
          clearTimeout(timer);
          resolve(performance.now() - t0);
        };
        const obs = new MutationObserver(check);
        obs.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
        const timer = setTimeout(() => {
          obs.disconnect();
          reject(new Error(`no results for "${text}" after 30 s`));
        }, 30000);
        box.value = text;
        box.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text.slice(-1) }));
        check();
      }),
    { sel: tool.box, text, name },
  );
}

function bytesOf(urls) {
  let br = 0;
  for (const u of urls) {
    const f = fileForPath(site, '/', new URL(u).pathname);
    if (f) br += fileSizes(f).br;
  }
  return br;
}

const results = { quire: { first: [], keys: [], bytesTitles: [], bytesExcerpts: [] }, pagefind: { first: [], keys: [], bytesTitles: [], bytesExcerpts: [] } };
for (let run = 0; run < RUNS; run++) {
  for (const [name, tool] of Object.entries(tools)) {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    const urls = [];
    page.on('requestfinished', (r) => urls.push(r.url()));
    await page.goto(server.url(tool.url));
    await tool.ready(page);
    await page.waitForLoadState('networkidle');
    const mark = urls.length;
    await page.focus(tool.box);
    await page.waitForLoadState('networkidle');
    await new Promise((r) => setTimeout(r, 300));
    const word = words[run];
    const first = await inputAndWait(page, name, tool, word);
    const titlesAt = urls.length;
    await page.waitForFunction(tool.excerpts, null, { timeout: 30000 });
    await new Promise((r) => setTimeout(r, 200));
    const excerptsAt = urls.length;
    results[name].first.push(first);
    results[name].bytesTitles.push(bytesOf(urls.slice(mark, titlesAt)));
    results[name].bytesExcerpts.push(bytesOf(urls.slice(mark, excerptsAt)));
    // Further keystrokes: " secondword", one key at a time.
    let text = word;
    for (const ch of ` ${secondWord(run)}`) {
      text += ch;
      if (GAP > 0) await new Promise((r) => setTimeout(r, GAP));
      if (ch === ' ' || text.endsWith(` ${ch}`)) {
        // The space and the word's first letter (below Quire's 2-letter prefix minimum)
        // are typed but not timed.
        await page.evaluate(({ sel, text }) => {
          const box = document.querySelector(sel);
          box.value = text;
          box.dispatchEvent(new InputEvent('input', { bubbles: true }));
        }, { sel: tool.box, text });
        continue;
      }
      try {
        results[name].keys.push(await inputAndWait(page, name, tool, text));
      } catch {
        // No result for this text (both words in no post): wait for the list to settle.
        await new Promise((r) => setTimeout(r, 300));
      }
    }
    await context.close();
  }
}
await browser.close();
await server.close();

// ---------------------------------------------------------------------------------------
// The table

const q = results.quire;
const p = results.pagefind;
const med = (xs) => (xs.length ? median(xs) : null);
const p95 = (xs) => (xs.length ? percentile(xs, 95) : null);
row('one-word query: bytes from focus to first results (brotli, median)', `${kb(med(q.bytesTitles))} (titles) / ${kb(med(q.bytesExcerpts))} (+5 excerpts)`, kb(med(p.bytesExcerpts)), '≤ 120 KB, < Pagefind');
row('first results after the input event, cold (median)', ms(med(q.first)), ms(med(p.first)), '≤ 150 ms, < Pagefind');
row(
  `each further keystroke → results, p95${GAP > 0 ? ` (${GAP} ms between keys)` : ''}`,
  `${ms(p95(q.keys))} (${q.keys.length} keys)`,
  `${ms(p95(p.keys))} (${p.keys.length} keys)`,
  '≤ 16 ms',
);
row(
  'index on disk, brotli',
  `${kb(quireIndexBr)} (excerpts come from the route files the site has anyway)`,
  `${kb(pfIndexBr)} index + ${kb(pfFragmentsBr)} fragments (+ ${kb(pfRuntimeBr)} runtime)`,
  '≤ Pagefind',
);
row(`build time added at ${POSTS} posts`, `${ms(quireSearchMs)} (whole quire build ${ms(quireWallMs)})`, `${ms(pagefindMs)} (pagefind run)`, '≤ 1 s');
row(
  'app Wasm + JS added by search, brotli',
  appBefore
    ? `${kb(appNow.first - appBefore.first)} first visit + ${kb(appNow.later - appBefore.later)} on first search`
    : 'n/a (no --baseline-dist)',
  `${kb(pfRuntimeBr)} (pagefind.js + Wasm)`,
  '≤ 25 KB',
);

const widths = [0, 1, 2, 3].map((i) => Math.max(...[['metric', 'Quire', 'Pagefind', 'goal'][i], ...rows.map((r) => [r.metric, r.quire, r.pagefind, r.goal][i])].map((s) => s.length)));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log('');
console.log(line(['metric', 'Quire', 'Pagefind', 'goal']));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line([r.metric, r.quire, r.pagefind, r.goal]));
console.log('');
console.log(`queries: ${words.join(', ')}; second words: ${words.map((_, i) => secondWord(i)).join(', ')}`);
console.log(`Quire first results (ms): ${q.first.map((x) => x.toFixed(1)).join(', ')}; Pagefind: ${p.first.map((x) => x.toFixed(1)).join(', ')}`);
console.log(`Quire app Wasm + JS now: ${kb(appNow.first)} first visit + ${kb(appNow.later)} on first use, brotli; index files: Quire ${quireIndexFiles.length}, Pagefind ${pfIndex.length}`);
console.log(`load average at end: ${load()}`);
fs.rmSync(site, { recursive: true, force: true });
