// Search relevance side by side: Quire and Pagefind 1.6 (npm `pagefind`, a devDependency)
// on the same posts, over the relevance cases `quire-devtools relevance` generates (see
// crates/devtools/src/relevance.rs): a word unique to one post (first?), its prefixes
// from 3 letters on (top 3?), two words of one paragraph (first?), two words side by side
// in one post and apart in another, or reversed in another (first?). Prints top-1 and
// top-3 accuracy of both, one table per blog: the sample blog (content/) and a gen-corpus
// blog of --posts posts.
//
//   node bench/relevance.mjs [--posts 1000] [--work /dev/shm/relevance]
//                            [--quire BIN] [--devtools BIN] [--max 300]
//
// Quire's side runs natively (`quire-devtools relevance SITE --json`: the engine the app
// runs, over the files `quire build` wrote). --quire and --devtools name the binaries
// (default target/debug/…, built first): give another build's to measure it ("before").
// Pagefind indexes the same site's prerendered post pages (`--glob "post/**/*.html"
// --root-selector main`, as bench/search.mjs does) and is queried with its JS API in
// headless Chromium, each case's URLs taken from its first 3 results.

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
  console.log(fs.readFileSync(new URL(import.meta.url), 'utf8').split('\n').slice(0, 16).join('\n'));
  process.exit(0);
}
const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { startServer } = await import('../tests/e2e/lib/server.mjs');
const { launchBench } = await import('./lib/page.mjs');

const POSTS = Number(opt('--posts', '1000'));
const MAX = opt('--max', '300');
const WORK = path.resolve(opt('--work', path.join(os.tmpdir(), 'quire-relevance')));
let quireBin = opt('--quire', null);
let devtoolsBin = opt('--devtools', null);
if (!quireBin || !devtoolsBin) {
  const r = spawnSync('cargo', ['build', '--quiet', '-p', 'quire', '-p', 'quire-devtools'], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
  quireBin ??= path.join(repoRoot, 'target/debug/quire');
  devtoolsBin ??= path.join(repoRoot, 'target/debug/quire-devtools');
}
fs.mkdirSync(WORK, { recursive: true });
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(', ');
console.log(`load average at start: ${load()}`);

function run(bin, args) {
  const r = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

const corpus = path.join(WORK, `corpus-${POSTS}`);
run(devtoolsBin, ['gen-corpus', String(POSTS), corpus, '--reuse']);
const blogs = [
  { name: 'sample blog (content/)', content: path.join(repoRoot, 'content'), id: 'sample' },
  { name: `gen-corpus, ${POSTS} posts`, content: corpus, id: `gen${POSTS}` },
];

const browser = await launchBench();
const KINDS = [
  ['unique', 'unique word → its post first'],
  ['prefix', 'prefix (3+ letters) of a unique word → top 3'],
  ['pair', 'two words of a paragraph → its post first'],
  ['near', 'two words side by side here, apart elsewhere → first'],
  ['order', 'two words in order here, reversed elsewhere → first'],
];
const pct = (n, of) => (of ? `${((100 * n) / of).toFixed(1)} %` : 'n/a');
try {
  for (const blog of blogs) {
    const site = path.join(WORK, `site-${blog.id}`);
    fs.rmSync(site, { recursive: true, force: true });
    run(quireBin, ['build', '--content', blog.content, '--out', site]);
    const casesFile = path.join(WORK, `cases-${blog.id}.json`);
    const quire = JSON.parse(run(devtoolsBin, ['relevance', site, '--max', MAX, '--cases', casesFile, '--json']));
    const cases = JSON.parse(fs.readFileSync(casesFile, 'utf8'));
    run(path.join(repoRoot, 'node_modules/.bin/pagefind'), ['--site', site, '--glob', 'post/**/*.html', '--root-selector', 'main', '--silent']);
    const server = await startServer({ root: site });
    const page = await browser.newPage();
    try {
      await page.goto(server.url('post/'), { waitUntil: 'load' }).catch(() => {});
      await page.goto(server.url(''), { waitUntil: 'load' });
      const ranks = await page.evaluate(async (cases) => {
        const pf = await import('/pagefind/pagefind.js');
        await pf.init();
        const out = [];
        for (const c of cases) {
          const found = await pf.search(c.query);
          const top = await Promise.all(found.results.slice(0, 3).map((r) => r.data()));
          const at = top.findIndex((d) => d.url.replace(/index\.html$/, '').endsWith(`/${c.route}`));
          out.push(at);
        }
        return out;
      }, cases);
      const pagefind = {};
      cases.forEach((c, i) => {
        const s = (pagefind[c.kind] ??= { cases: 0, top1: 0, top3: 0 });
        s.cases += 1;
        if (ranks[i] === 0) s.top1 += 1;
        if (ranks[i] >= 0) s.top3 += 1;
      });
      console.log(`\n${blog.name} (load average ${load()})\n`);
      console.log('| row | cases | Quire top-1 | Quire top-3 | Pagefind top-1 | Pagefind top-3 |');
      console.log('|---|---|---|---|---|---|');
      for (const [k, name] of KINDS) {
        const q = quire[k] ?? { cases: 0, top1: 0, top3: 0 };
        const p = pagefind[k] ?? { cases: 0, top1: 0, top3: 0 };
        console.log(`| ${name} | ${q.cases} | ${pct(q.top1, q.cases)} | ${pct(q.top3, q.cases)} | ${pct(p.top1, p.cases)} | ${pct(p.top3, p.cases)} |`);
      }
    } finally {
      await page.close();
      await server.close();
    }
  }
} finally {
  await browser.close();
}
console.log(`\nload average at end: ${load()}`);
