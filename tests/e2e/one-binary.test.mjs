// Issue 22's promise: a blogger needs only the `quire` binary. The tarball that
// `scripts/package` writes is unpacked into an empty folder, and with a PATH that holds
// only that binary (no cargo, rustc, trunk, node or npm reachable):
// - `quire new` makes a blog, and refuses to write into it again;
// - `quire build` turns a blog made by `quire new` into target/e2e/packaged, which
//   scripts/test then hands to the lists, filter, post, 404 and search tests (QUIRE_DIST).
//   Those tests know the sample blog's facts (its 13 posts, its first post), so this
//   blog gets the sample's site.toml, posts and static files in place of the starter's;
//   the starter's own post is what `quire serve` is tried on;
// - `quire serve` shows an edited post title in the open page by itself within 5 s,
//   keeps serving the last good site while a post is broken (printing path:line), recovers
//   when it is fixed, and stops cleanly on Ctrl-C; its pages carry the live-reload script
//   with its hash in their policy (no CSP error in the console), the built site never.
//
// QUIRE_PACKAGE names the tarball (scripts/test runs scripts/package first); without it
// these tests are skipped.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { useBrowser } from './lib/browser.mjs';
import { open } from './lib/app.mjs';
import { startServer } from './lib/server.mjs';
import { repoRoot } from './lib/site.mjs';

const tarball = process.env.QUIRE_PACKAGE;
const skip = tarball ? false : 'set QUIRE_PACKAGE to a tarball from scripts/package (scripts/test does)';
const packagedDist = path.resolve(process.env.QUIRE_PACKAGED_DIST || path.join(repoRoot, 'target/e2e/packaged'));

const session = useBrowser();
let work; // the empty folder the tarball is unpacked into, and the blogs
let bin; // the folder holding `quire`, the only entry of PATH
let env; // what quire runs with
let serveChild = null;
let serveOutput = '';

function quire(args, cwd) {
  const r = spawnSync('quire', args, { cwd, env, encoding: 'utf8' });
  if (r.error) throw r.error;
  return r;
}

before(() => {
  if (skip) return;
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-one-binary-'));
  bin = path.join(work, 'bin');
  fs.mkdirSync(bin);
  const untar = spawnSync('tar', ['-xzf', path.resolve(tarball), '-C', bin], { encoding: 'utf8' });
  assert.equal(untar.status, 0, untar.stderr);
  assert.deepEqual(fs.readdirSync(bin).sort(), ['LICENSE', 'README.md', 'quire']);
  env = { PATH: bin, HOME: work, TMPDIR: os.tmpdir(), NO_COLOR: '1' };
});

after(async () => {
  if (serveChild && serveChild.exitCode === null) serveChild.kill('SIGKILL');
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('only quire is on PATH', { skip }, () => {
  for (const tool of ['cargo', 'rustc', 'trunk', 'node', 'npm', 'wasm-bindgen', 'wasm-opt']) {
    for (const dir of env.PATH.split(path.delimiter)) {
      assert.ok(!fs.existsSync(path.join(dir, tool)), `${tool} is reachable in ${dir}`);
    }
    const r = spawnSync(tool, ['--version'], { env });
    assert.equal(r.error?.code, 'ENOENT', `${tool} runs with the test's PATH`);
  }
  const r = quire(['--version'], work);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^quire \d/);
});

test('quire new makes a blog, says what to do next, and refuses a non-empty folder', { skip }, () => {
  const r = quire(['new', 'blog'], work);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /cd blog\n\s+quire serve/);
  for (const f of ['site.toml', 'posts/hello-world.md', 'pages/about.md', 'static']) {
    assert.ok(fs.existsSync(path.join(work, 'blog', f)), f);
  }
  assert.match(fs.readFileSync(path.join(work, 'blog/site.toml'), 'utf8'), /^# /m);
  assert.match(fs.readFileSync(path.join(work, 'blog/pages/about.md'), 'utf8'), /^title: About$/m);
  const again = quire(['new', 'blog'], work);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /not empty/);
});

test('quire build writes the whole site with the app inside', { skip }, () => {
  const blog = path.join(work, 'sample');
  assert.equal(quire(['new', 'sample'], work).status, 0);
  // The sample blog's content replaces the starter's: the other browser tests know it.
  fs.rmSync(path.join(blog, 'posts'), { recursive: true });
  fs.cpSync(path.join(repoRoot, 'content/posts'), path.join(blog, 'posts'), { recursive: true });
  fs.cpSync(path.join(repoRoot, 'content/static'), path.join(blog, 'static'), { recursive: true });
  fs.copyFileSync(path.join(repoRoot, 'content/site.toml'), path.join(blog, 'site.toml'));
  fs.rmSync(packagedDist, { recursive: true, force: true });
  const r = quire(['build', '--out', packagedDist], blog);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /no app shell|built-in page/);
  const files = fs.readdirSync(packagedDist);
  assert.ok(files.some((f) => /^quire-app-[0-9a-f]+_bg\.wasm$/.test(f)), files.join(' '));
  assert.ok(files.some((f) => /^main-[0-9a-f]+\.css$/.test(f)), files.join(' '));
  const home = fs.readFileSync(path.join(packagedDist, 'index.html'), 'utf8');
  assert.match(home, /Content-Security-Policy/);
  assert.match(home, /<meta name="quire-build" content="quire-build-[0-9a-f]{16}">/);
  assert.doesNotMatch(home, /__quire\/reload/, 'a built site never carries the reload script');
  assert.ok(fs.existsSync(path.join(packagedDist, 'post/four-years-on-plot-17/index.html')));
  // site.toml's base_url has no path: the app stays at the root.
  assert.match(home, /<base href="\/"/);
});

test('quire build moves the app under the sub-path of base_url or --base-path', { skip }, async () => {
  const out = path.join(work, 'sub');
  const r = quire(['build', '--out', out, '--base-path', '/my-blog/'], path.join(work, 'blog'));
  assert.equal(r.status, 0, r.stderr);
  const home = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
  assert.match(home, /<base href="\/my-blog\/"/);
  const app = fs.readdirSync(out).find((f) => /^quire-app-[0-9a-f]+\.js$/.test(f));
  assert.ok(home.includes(`"/my-blog/${app}"`), 'the glue is loaded from under the sub-path');
  assert.ok(!home.includes(`"/${app}"`), 'and not from the root');
  // The app takes the page over under the sub-path, and its links stay under it.
  const server = await startServer({ root: out, prefix: '/my-blog/' });
  try {
    const s = await session.open();
    await open(s, `${server.origin}/my-blog/post/hello-world/`);
    assert.equal((await s.page.locator('main h1').first().textContent()).trim(), 'Hello, world');
    const hrefs = await s.page.$$eval('header a[href], nav a[href]', (as) => as.map((a) => new URL(a.href).pathname));
    assert.ok(hrefs.length > 0 && hrefs.every((h) => h.startsWith('/my-blog/')), hrefs.join(' '));
  } finally {
    server.close();
  }
});

function waitForOutput(re, timeout) {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      const m = serveOutput.match(re);
      if (m) return resolve(m);
      if (serveChild.exitCode !== null) return reject(new Error(`quire serve exited (${serveChild.exitCode}):\n${serveOutput}`));
      if (Date.now() - start > timeout) return reject(new Error(`timed out waiting for ${re}:\n${serveOutput}`));
      setTimeout(tick, 50);
    };
    tick();
  });
}

const FIRST = 'main article.post-summary h2 a';

async function shows(page, title, timeout) {
  const start = Date.now();
  await page.waitForFunction(
    ([sel, want]) => document.querySelector(sel)?.textContent.trim() === want,
    [FIRST, title],
    { timeout },
  );
  return Date.now() - start;
}

test('quire serve reloads an edit by itself, keeps the last good site while a post is broken, and stops on Ctrl-C', { skip, timeout: 120_000 }, async () => {
  const blog = path.join(work, 'blog');
  const post = path.join(blog, 'posts/hello-world.md');
  const good = fs.readFileSync(post, 'utf8');
  serveChild = spawn('quire', ['serve', '--port', '0'], { cwd: blog, env, stdio: ['ignore', 'pipe', 'pipe'] });
  serveChild.stdout.on('data', (d) => (serveOutput += d));
  serveChild.stderr.on('data', (d) => (serveOutput += d));
  const [, url] = await waitForOutput(/at (http:\/\/127\.0\.0\.1:\d+\/)/, 30_000);

  const s = await session.open();
  const { page } = s;
  await page.goto(url);
  await shows(page, 'Hello, world', 15_000);
  // The page carries the reload script, and its policy allows exactly it: any violation
  // would be a console error, which fails the test.
  const html = await (await fetch(url)).text();
  assert.match(html, /__quire\/reload/);
  assert.match(html, /Content-Security-Policy/);

  // Edited: the open page shows the new title by itself.
  fs.writeFileSync(post, good.replace('title: Hello, world', 'title: Edited while serving'));
  const took = await shows(page, 'Edited while serving', 5_000);
  console.log(`# edit → shown in the open page: ${took} ms`);

  // Broken: an error with path:line; the last good site is still served.
  const mark = serveOutput.length;
  fs.writeFileSync(post, good.replace('title: Hello, world', 'title: [unclosed'));
  await waitForOutput(/hello-world\.md:\d+: error: /, 5_000);
  assert.match(serveOutput.slice(mark), /still serving the last good build/);
  const served = await (await fetch(new URL('post/hello-world/', url))).text();
  assert.match(served, /Edited while serving/);
  assert.equal(await page.locator(FIRST).first().textContent(), 'Edited while serving');

  // Fixed: it recovers.
  fs.writeFileSync(post, good.replace('title: Hello, world', 'title: Fixed again'));
  await shows(page, 'Fixed again', 5_000);
  await s.page.close();

  // Ctrl-C: a clean stop, the temporary build removed.
  const tmp = serveOutput.match(/built in ([^;]+);/)?.[1];
  assert.ok(tmp && fs.existsSync(tmp), `the temporary build ${tmp}`);
  serveChild.kill('SIGINT');
  const code = await new Promise((r) => (serveChild.exitCode !== null ? r(serveChild.exitCode) : serveChild.on('exit', r)));
  assert.equal(code, 0, serveOutput);
  assert.match(serveOutput, /quire: stopped/);
  assert.ok(!fs.existsSync(tmp), `${tmp} was left behind`);
});
