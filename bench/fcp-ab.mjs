// First contentful paint of the same route files with and without the app's low fetch
// priority, side by side with Hugo's pages of the same corpus, at 60 ms RTT / 9 Mbit/s
// and on a local link, both served compressed, visits in alternation (the shell change
// measured alone: the "without" copy is the route files with `fetchpriority="low"` taken
// out, nothing else differs).
//
//   node bench/fcp-ab.mjs SITE_DIR HUGO_PUBLIC [--loads 7]
//
// SITE_DIR: a 1,000-post site built by target/cli/quire over target/bench/dist;
// HUGO_PUBLIC: the benchmark's Hugo pages of the same corpus (target/bench/hugo-1000/public).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBench, openBenchPage } from './lib/page.mjs';
import { hugoTagPath } from './lib/hugo.mjs';
const { startServer } = await import('../tests/e2e/lib/server.mjs');

const [siteDir, hugoDir] = process.argv.slice(2);
const argv = process.argv.slice(2);
const LOADS = Number(argv.includes('--loads') ? argv[argv.indexOf('--loads') + 1] : '7');
const without = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-fcp-without-'));
fs.cpSync(siteDir, without, { recursive: true });
for (const f of fs.readdirSync(without, { recursive: true })) {
  if (!f.endsWith('.html')) continue;
  const p = path.join(without, f);
  fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replaceAll(' fetchpriority="low"', ''));
}
const index = JSON.parse(fs.readFileSync(path.join(siteDir, 'data/index.json'), 'utf8'));
const top = [...index.tags].sort((a, b) => b.posts.length - a.posts.length)[0];
const post = index.posts[0];
const hugoPost = fs.readdirSync(path.join(hugoDir, 'posts')).find((d) => d.endsWith(`-${post.slug}`) || d === post.slug);
const pages = [
  ['home', '', ''],
  ['tag page', `tag/${encodeURIComponent(top.slug)}/`, hugoTagPath(hugoDir, top.name)],
  ['post page', `post/${encodeURIComponent(post.slug)}/`, `posts/${hugoPost}/`],
];
const servers = {
  low: await startServer({ root: siteDir, compress: true }),
  high: await startServer({ root: without, compress: true }),
  hugo: await startServer({ root: hugoDir, compress: true }),
};
const browser = await launchBench();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function fcp(url, network) {
  const s = await openBenchPage(browser);
  if (network) await s.cdp.send('Network.emulateNetworkConditions', { offline: false, ...network });
  await s.page.goto(url);
  const v = await s.page.evaluate(
    () =>
      new Promise((r) => {
        new PerformanceObserver((l) => {
          const e = l.getEntries().find((x) => x.name === 'first-contentful-paint');
          if (e) r(e.startTime);
        }).observe({ type: 'paint', buffered: true });
      }),
  );
  await s.close();
  return v;
}
console.log(`load average at start: ${fs.readFileSync('/proc/loadavg', 'utf8').trim()}`);
for (const [label, network] of [
  ['60 ms RTT / 9 Mbit/s', { latency: 60, downloadThroughput: 9e6 / 8, uploadThroughput: 9e6 / 8 }],
  ['local', null],
]) {
  for (const [kind, qp, hp] of pages) {
    const xs = { low: [], high: [], hugo: [] };
    for (let i = 0; i < LOADS; i++) {
      for (const k of i % 2 ? ['hugo', 'high', 'low'] : ['low', 'high', 'hugo']) {
        xs[k].push(await fcp(servers[k].url(k === 'hugo' ? hp : qp), network));
      }
    }
    const [l, h, g] = [median(xs.low), median(xs.high), median(xs.hugo)];
    console.log(
      `${label}, ${kind}: FCP median, app at low priority ${l.toFixed(0)} ms (${(l / g).toFixed(2)}× Hugo), ` +
        `as Trunk writes it ${h.toFixed(0)} ms (${(h / g).toFixed(2)}×), Hugo ${g.toFixed(0)} ms (n=${LOADS} each)`,
    );
  }
}
console.log(`load average at end: ${fs.readFileSync('/proc/loadavg', 'utf8').trim()}`);
await browser.close();
for (const s of Object.values(servers)) await s.close();
fs.rmSync(without, { recursive: true, force: true });
