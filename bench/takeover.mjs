// The app's takeover of a prerendered route file, measured side by side for two (or more)
// release builds of the app over the same corpus, in the same run and the same browser:
// pages are loaded in alternation (swap, hydrate, then hydrate, swap, ...), so both see the same
// machine load. Prints one table per corpus, and the load average before and after.
//
//   node bench/takeover.mjs --dist swap=DIR --dist hydrate=DIR
//        [--posts 1000,10000] [--loads 5] [--slow 3] [--work target/bench]
//
// Each DIR is a `trunk build --release` output (route files are optional: the app files are
// copied into a fresh site under /dev/shm and `target/cli/quire build` writes the route files
// for each corpus, the same prerendered pages for every build). bench/takeover.sh builds the
// swap build (the app as it is in the work tree) and the hydrating variant, then runs this.
//
// Pages: home, the page of the most used tag, and the largest post (the generated corpus
// plus bench/large-post.mjs's 72 KiB post). For each page and build, medians of --loads cold
// visits (fresh context, no throttling, Chromium traced) and --slow visits at 60 ms RTT /
// 9 Mbit/s from a compressing server:
// - takeover: from the last response the app needed (Wasm, JS, data) until it is live
//   (<html data-app="live">: its controls work);
// - longest main-thread task from that last response until 300 ms after live (Chromium's
//   trace: the task that mounts and swaps or hydrates, and the style/layout/paint after it);
// - live: navigation start until a tag toggle works (cold, and at 60 ms RTT / 9 Mbit/s);
//   every visit then clicks a toggle (home, tag page) and fails if it does not press;
// - CLS: the sum of layout shifts until the network is idle after live;
// - and per build: Wasm + JS glue, brotli -q 11.
// A visit that logs an error (console, uncaught, CSP) or leaves more or fewer than one
// #app root and one <main> fails the run: a broken takeover must not pass as a fast one.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { copyWithLargePost } from './large-post.mjs';
import { launchBench, openBenchPage, timingEntries, waitLive } from './lib/page.mjs';
import { appAssets, fileSizes } from './lib/sizes.mjs';
import { median } from './lib/stats.mjs';

const { genCorpus, quireBin, readIndex, repoRoot } = await import('../tests/e2e/lib/site.mjs');
const { startServer } = await import('../tests/e2e/lib/server.mjs');

const argv = process.argv.slice(2);
if (argv.includes('-h') || argv.includes('--help')) {
  console.log(fs.readFileSync(new URL(import.meta.url), 'utf8').split('\n').slice(0, 27).join('\n'));
  process.exit(0);
}
function opt(name, fallback) {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
}
const builds = [];
argv.forEach((a, i) => {
  if (a !== '--dist') return;
  const [name, dir] = String(argv[i + 1]).split('=');
  if (!name || !dir) throw new Error(`--dist NAME=DIR, got ${argv[i + 1]}`);
  builds.push({ name, dir: path.resolve(dir) });
});
if (builds.length < 2) {
  console.error('usage: node bench/takeover.mjs --dist swap=DIR --dist hydrate=DIR [--posts 1000,10000] [--loads 5] [--slow 3]');
  process.exit(2);
}
const POSTS = opt('--posts', '1000').split(',').map(Number);
const LOADS = Number(opt('--loads', '5'));
const SLOW = Number(opt('--slow', '3'));
const WORK = path.resolve(repoRoot, opt('--work', 'target/bench'));
const SHM = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
const SLOW_NETWORK = { latency: 60, downloadThroughput: 9e6 / 8, uploadThroughput: 9e6 / 8 };
// What quire build writes; everything else at the top of a Trunk build is the app.
const GENERATED = new Set(['data', 'post', 'page', 'tag', 'category', 'author', 'tags', 'archive', '404.html', 'feed.xml', 'sitemap.xml']);

const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const KB = 1000;

// ---------------------------------------------------------------------------------------
// Sites

function corpusWithLongPost(n) {
  const base = genCorpus(n, path.join(WORK, `corpus-${n}`), { reuse: true });
  const dir = fs.mkdtempSync(path.join(SHM, `quire-takeover-${n}-`));
  return { dir, long: copyWithLargePost(base, dir) };
}

function buildSite(build, content) {
  if (!fs.existsSync(quireBin)) throw new Error(`no ${quireBin}: run \`cargo build --profile cli -p quire\``);
  const out = fs.mkdtempSync(path.join(SHM, `quire-takeover-${build.name}-`));
  for (const entry of fs.readdirSync(build.dir)) {
    if (!GENERATED.has(entry)) fs.cpSync(path.join(build.dir, entry), path.join(out, entry), { recursive: true });
  }
  const r = spawnSync(quireBin, ['build', '--content', content, '--out', out], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`quire build for ${build.name} failed (${r.status}):\n${r.stderr}${r.stdout}`);
  return out;
}

/** The prerendered root of a route file (what both builds take over). */
function prerendered(dir, route) {
  const file = path.join(dir, route === '/' ? 'index.html' : path.join(route, 'index.html'));
  const html = fs.readFileSync(file, 'utf8');
  const at = html.indexOf('<div id="app"');
  return at < 0 ? '' : html.slice(at, html.lastIndexOf('</div>'));
}

// ---------------------------------------------------------------------------------------
// One visit

function instrumentTakeover() {
  window.__takeover = { shifts: 0, emptied: false };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) window.__takeover.shifts += e.value;
  }).observe({ type: 'layout-shift', buffered: true });
  const check = () => {
    if (document.querySelector('main') && !document.querySelector('main article, main .tag-cloud, main .archive, main .not-found')) {
      window.__takeover.emptied = true;
    }
  };
  document.addEventListener('DOMContentLoaded', () => {
    check();
    new MutationObserver(check).observe(document, { childList: true, subtree: true });
  });
}

/** The longest main-thread task of the page's renderer between two performance.now() times. */
function longestTask(trace, anchorStart, from, to) {
  const events = JSON.parse(trace.toString('utf8')).traceEvents;
  const anchor = events.find((e) => e.name === 'quire-anchor');
  if (!anchor) throw new Error('the trace has no quire-anchor mark');
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === anchor.pid && e.args.name === 'CrRendererMain');
  const tid = main ? main.tid : anchor.tid;
  // trace µs -> performance.now() ms
  const toPerf = (ts) => ts / 1000 - (anchor.ts / 1000 - anchorStart);
  let longest = 0;
  for (const e of events) {
    if (e.pid !== anchor.pid || e.tid !== tid || e.ph !== 'X' || (e.name !== 'RunTask' && e.name !== 'ThreadControllerImpl::RunTask')) continue;
    const start = toPerf(e.ts);
    const end = start + e.dur / 1000;
    if (end >= from && start <= to) longest = Math.max(longest, e.dur / 1000);
  }
  return longest;
}

async function visit(browser, site, page, { network, trace }) {
  const s = await openBenchPage(browser);
  try {
    await s.context.addInitScript(instrumentTakeover);
    if (network) await s.cdp.send('Network.emulateNetworkConditions', { offline: false, ...network });
    if (trace) await browser.startTracing(s.page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'blink.user_timing'] });
    await s.page.goto(site.url(page.route));
    await waitLive(s.page);
    await s.idle({ quiet: 400, timeout: 60000 });
    const marks = await s.page.evaluate(() => {
      performance.mark('quire-anchor');
      return {
        live: window.__quireBench.live,
        anchor: performance.getEntriesByName('quire-anchor')[0].startTime,
        shifts: window.__takeover.shifts,
        emptied: window.__takeover.emptied,
        roots: document.querySelectorAll('#app').length,
        mains: document.querySelectorAll('main').length,
        listed: document.querySelectorAll('main article.post-summary').length,
      };
    });
    const buf = trace ? await browser.stopTracing() : null;
    const entries = await timingEntries(s.page);
    const needed = entries.filter((e) => e.end <= marks.live && /\.(wasm|js|json)$/.test(new URL(e.name).pathname));
    const lastNeeded = needed.length ? Math.max(...needed.map((e) => e.end)) : null;
    const out = {
      live: marks.live,
      takeover: lastNeeded === null ? null : marks.live - lastNeeded,
      cls: marks.shifts,
      longest: buf && lastNeeded !== null ? longestTask(buf, marks.anchor, lastNeeded, marks.live + 300) : null,
    };
    const wrong = [];
    if (marks.emptied) wrong.push('the view was empty during the takeover');
    if (marks.roots !== 1 || marks.mains !== 1) wrong.push(`${marks.roots} #app roots and ${marks.mains} <main> after the takeover`);
    if (page.listed !== undefined && marks.listed !== page.listed) wrong.push(`${marks.listed} posts listed, ${page.listed} prerendered`);
    if (page.toggle) {
      const pressed = await s.page.evaluate(async () => {
        const b = document.querySelector('section.tag-filter button.tag-toggle');
        if (!b) return 'no toggle on the page';
        b.click();
        for (let k = 0; k < 200; k++) {
          if (b.isConnected && b.getAttribute('aria-pressed') === 'true') return true;
          await new Promise((r) => setTimeout(r, 10));
        }
        return 'the toggle did not press';
      });
      if (pressed !== true) wrong.push(pressed);
    }
    wrong.push(...s.problems());
    if (wrong.length) throw new Error(`${page.name}: ${wrong.join('; ')}`);
    return out;
  } finally {
    await s.close();
  }
}

// ---------------------------------------------------------------------------------------
// The run

const fmt = (x, digits = 1) => (x === null || x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(digits));

async function corpusRun(browser, n) {
  const { dir: content, long } = corpusWithLongPost(n);
  const sites = [];
  try {
    for (const b of builds) {
      const dir = buildSite(b, content);
      sites.push({
        build: b,
        dir,
        plain: await startServer({ root: dir }),
        cdn: await startServer({ root: dir, compress: true }),
      });
    }
    const index = readIndex(sites[0].dir);
    const tag = [...index.tags].sort((a, b) => b.posts.length - a.posts.length)[0];
    const per = index.site.posts_per_page;
    const pages = [
      { name: 'home', route: '/', toggle: true, listed: Math.min(per, index.posts.length) },
      { name: `tag page (/tag/${tag.slug}, ${tag.posts.length} posts)`, route: `/tag/${tag.slug}`, toggle: true, listed: Math.min(per, tag.posts.length) },
      { name: `largest post (${(long.bodyBytes / 1024).toFixed(0)} KiB Markdown)`, route: `/post/${long.slug}`, toggle: false },
    ];
    for (const p of pages) {
      const first = prerendered(sites[0].dir, p.route);
      for (const s of sites.slice(1)) {
        if (prerendered(s.dir, p.route) !== first) throw new Error(`${p.route}: the builds' route files differ`);
      }
    }
    const samples = new Map(); // `${page} ${build} ${metric}` -> []
    const add = (p, s, k, v) => {
      const key = `${p.name}\u0000${s.build.name}\u0000${k}`;
      if (!samples.has(key)) samples.set(key, []);
      if (v !== null && v !== undefined) samples.get(key).push(v);
    };
    const before = load();
    console.log(`\n== ${n.toLocaleString('en')} posts (+ the long post): ${LOADS} cold and ${SLOW} throttled visits per page and build; load ${before}`);
    for (let round = 0; round < Math.max(LOADS, SLOW); round++) {
      // Alternate which build goes first, so neither always follows the other.
      const order = round % 2 ? [...sites].reverse() : sites;
      for (const p of pages) {
        for (const s of order) {
          if (round < LOADS) {
            const v = await visit(browser, { url: (r) => s.plain.url(r) }, p, { trace: true });
            add(p, s, 'takeover', v.takeover);
            add(p, s, 'longest', v.longest);
            add(p, s, 'live', v.live);
            add(p, s, 'cls', v.cls);
          }
          if (round < SLOW) {
            const v = await visit(browser, { url: (r) => s.cdn.url(r) }, p, { network: SLOW_NETWORK });
            add(p, s, 'slow', v.live);
            add(p, s, 'cls', v.cls);
          }
        }
      }
      process.stdout.write('.');
    }
    console.log(` load ${load()}`);
    const metrics = [
      ['takeover after the last response it needed, median', 'takeover', 'ms', 1],
      ['longest main-thread task from then to live + 300 ms, median', 'longest', 'ms', 1],
      ['toggle works (live) after navigation start, cold, median', 'live', 'ms', 0],
      ['toggle works at 60 ms RTT / 9 Mbit/s, median', 'slow', 'ms', 0],
      ['CLS, worst visit', 'cls', '', 4],
    ];
    const head = ['page', 'metric', ...sites.map((s) => s.build.name)];
    const lines = [];
    for (const p of pages) {
      for (const [label, key, unit, digits] of metrics) {
        const vals = sites.map((s) => samples.get(`${p.name}\u0000${s.build.name}\u0000${key}`) ?? []);
        const shown = vals.map((xs) => {
          if (!xs.length) return 'n/a';
          const v = key === 'cls' ? Math.max(...xs) : median(xs);
          return `${fmt(v, digits)}${unit ? ` ${unit}` : ''}${key === 'cls' ? '' : ` (${xs.map((x) => fmt(x, 0)).join('/')})`}`;
        });
        lines.push([p.name, label, ...shown]);
      }
    }
    printTable(head, lines);
  } finally {
    for (const s of sites) {
      await s.plain.close();
      await s.cdn.close();
      fs.rmSync(s.dir, { recursive: true, force: true });
    }
    fs.rmSync(content, { recursive: true, force: true });
  }
}

function printTable(head, lines) {
  const all = [head, ...lines];
  const width = head.map((_, i) => Math.max(...all.map((l) => String(l[i]).length)));
  const row = (l) => `| ${l.map((c, i) => String(c).padEnd(width[i])).join(' | ')} |`;
  console.log(row(head));
  console.log(`|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const l of lines) console.log(row(l));
}

console.log(`takeover, side by side: ${builds.map((b) => `${b.name}=${b.dir}`).join(', ')}`);
console.log(`machine: ${os.cpus().length} cores, load average ${load()} (1, 5, 15 min)`);
console.log('\napp download, Wasm + JS glue (brotli -q 11):');
printTable(
  ['build', 'wasm', 'js', 'wasm + js'],
  builds.map((b) => {
    const a = appAssets(b.dir);
    const sum = (fs_) => fs_.reduce((t, f) => t + fileSizes(f).br, 0);
    const w = sum(a.wasm);
    const j = sum(a.js);
    return [b.name, `${fmt(w / KB)} KB`, `${fmt(j / KB)} KB`, `${fmt((w + j) / KB)} KB`];
  }),
);
const browser = await launchBench();
try {
  for (const n of POSTS) await corpusRun(browser, n);
} finally {
  await browser.close();
}
console.log(`\nload average at the end: ${load()}`);
