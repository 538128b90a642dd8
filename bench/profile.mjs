// Where the browser spends an interaction's time: the release app rebuilt with function
// names kept (wasm-bindgen, then `wasm-opt -Oz -g`: the same optimisation as Trunk's, plus
// the name section), a generated blog, a CPU profile over one scenario, and the top
// functions by self and total time.
//
//   node bench/profile.mjs [--posts 1000] [--scenario toggle|long|load|route] [--top 25]
//
// Needs target/wasm32-unknown-unknown/release/quire-app.wasm, unsplit (left by
// `QUIRE_SPLIT=0 trunk build --release`; a split build's module needs the split step), a
// release build (target/bench/dist or dist/) and wasm-bindgen and wasm-opt
// on PATH (scripts/lib/env.sh puts them there). Diagnostic only: the figures it prints
// are slowed down by the profiler.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeLargePost, LARGE_POST } from './large-post.mjs';
import { demangle, crateOf } from './wasm-sizes.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (n, d) => (argv.includes(n) ? argv[argv.indexOf(n) + 1] : d);
const POSTS = Number(opt('--posts', '1000'));
const SCENARIO = opt('--scenario', 'toggle');
const TOP = Number(opt('--top', '25'));

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

// 1. The release build with names: same app files, Wasm and glue replaced.
const release = [path.join(root, 'target/bench/dist'), path.join(root, 'dist')].find((d) => fs.existsSync(path.join(d, 'index.html')));
if (!release) throw new Error('no release build: run scripts/bench (or trunk build --release) first');
const wasmIn = path.join(root, 'target/wasm32-unknown-unknown/release/quire-app.wasm');
const named = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-named-'));
fs.cpSync(release, named, { recursive: true });
const shipWasm = fs.readdirSync(named).find((f) => f.endsWith('_bg.wasm'));
const shipJs = shipWasm.replace(/_bg\.wasm$/, '.js');
const bindgen = path.join(named, '.bindgen');
run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-dir', bindgen, '--out-name', 'quire-app', wasmIn]);
run('wasm-opt', ['-Oz', '-g', path.join(bindgen, 'quire-app_bg.wasm'), '-o', path.join(named, shipWasm)]);
fs.copyFileSync(path.join(bindgen, 'quire-app.js'), path.join(named, shipJs));
fs.rmSync(bindgen, { recursive: true });
// Trunk's subresource-integrity hashes name the shipped files; these are other bytes.
const shell = path.join(named, 'index.html');
fs.writeFileSync(shell, fs.readFileSync(shell, 'utf8').replace(/\s+integrity="[^"]*"/g, ''));
process.env.QUIRE_DIST = named;

const { generateCorpus, siteWithContent } = await import('../tests/e2e/lib/site.mjs');
const { launchBench, openBenchPage, waitFirstList } = await import('./lib/page.mjs');

async function metrics(cdp) {
  const { metrics: ms } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(ms.map((m) => [m.name, m.value]));
}

const content = generateCorpus(POSTS);
writeLargePost(content, { date: '2025-01-15' });
const site = await siteWithContent(content);
const browser = await launchBench();
try {
  const s = await openBenchPage(browser);
  const { page, cdp } = s;
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  if (SCENARIO === 'load') {
    await cdp.send('Profiler.start');
    await page.goto(site.server.url('/'));
    await waitFirstList(page);
  } else {
    await page.goto(site.server.url('/'));
    await waitFirstList(page);
    await s.idle({ quiet: 400, timeout: 60000 });
    const tags = [...site.index.tags].sort((a, b) => b.posts.length - a.posts.length).slice(0, 6).map((t) => t.slug);
    const sel = `main article.post-summary h2 a[href$="/post/${LARGE_POST.slug}"]`;
    if (SCENARIO === 'long') {
      await page.hover(sel);
      await s.idle({ quiet: 300 });
    }
    await cdp.send('Performance.enable');
    const m0 = await metrics(cdp);
    await cdp.send('Profiler.start');
    const times = await page.evaluate(
      async ({ scenario, tags, sel, marker, base }) => {
        const b = window.__quireBench;
        const out = [];
        if (scenario === 'toggle') {
          for (const t of tags) {
            for (let k = 0; k < 2; k++) {
              const r = await b.measure(
                () => document.querySelector(`button.tag-toggle[data-tag="${t}"]`).click(),
                () => true,
              );
              out.push(r.ms);
            }
          }
        } else if (scenario === 'route') {
          for (let i = 0; i < 10; i++) {
            const a = document.createElement('a');
            a.href = `${base}tag/${tags[i % 2]}`;
            document.body.append(a);
            const r = await b.measure(() => a.click(), () => location.pathname.endsWith(tags[i % 2]));
            a.remove();
            out.push(r.ms);
          }
        } else if (scenario === 'long') {
          const r = await b.measure(
            () => document.querySelector(sel).click(),
            () => (document.querySelector('main .post-body')?.textContent || '').includes(marker),
          );
          out.push(r.ms);
        }
        return out;
      },
      { scenario: SCENARIO, tags, sel, marker: LARGE_POST.marker, base: site.server.base },
    );
    console.log(`${SCENARIO}: ${times.map((t) => t.toFixed(1)).join(' ')} ms (under the profiler)`);
    const m1 = await metrics(cdp);
    const d = (k) => ((m1[k] - m0[k]) * 1000) / times.length;
    console.log(
      `per interaction: script ${d('ScriptDuration').toFixed(1)} ms, style ${d('RecalcStyleDuration').toFixed(1)} ms ` +
        `(${((m1.RecalcStyleCount - m0.RecalcStyleCount) / times.length).toFixed(1)}×), layout ${d('LayoutDuration').toFixed(1)} ms ` +
        `(${((m1.LayoutCount - m0.LayoutCount) / times.length).toFixed(1)}×), all tasks ${d('TaskDuration').toFixed(1)} ms; ` +
        `DOM nodes ${m1.Nodes}, layout objects ${m1.LayoutObjects}`,
    );
  }
  const { profile } = await cdp.send('Profiler.stop');

  // Self time per node, then per function; total time per function (once per sample).
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const self = new Map();
  const total = new Map();
  const label = (n) => {
    const f = n.callFrame;
    const name = demangle(f.functionName || '(anonymous)').replace(/::h[0-9a-f]{16}$/, '');
    const where = f.url ? path.basename(new URL(f.url, 'http://x/').pathname) : '';
    return where.endsWith('.wasm') || !where ? name : `${name} (${where})`;
  };
  const crateSelf = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    let n = byId.get(profile.samples[i]);
    const l = label(n);
    self.set(l, (self.get(l) ?? 0) + dt);
    const isWasm = (n.callFrame.url || '').endsWith('.wasm');
    const c = isWasm ? crateOf(n.callFrame.functionName) : n.callFrame.url ? 'js' : l;
    crateSelf.set(c, (crateSelf.get(c) ?? 0) + dt);
    const seen = new Set();
    while (n) {
      const k = label(n);
      if (!seen.has(k)) {
        seen.add(k);
        total.set(k, (total.get(k) ?? 0) + dt);
      }
      n = byId.get(parent.get(n.id));
    }
  }
  const print = (title, m) => {
    console.log(`\n${title}`);
    for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${v.toFixed(1).padStart(9)} ms  ${k.slice(0, 150)}`);
  };
  print('self time by crate (or JS/browser work)', crateSelf);
  print('self time by function', self);
  print('total time by function', total);
  await s.close();
} finally {
  await browser.close();
  await site.cleanup();
  fs.rmSync(content, { recursive: true, force: true });
  fs.rmSync(named, { recursive: true, force: true });
}
