// The README's first command: `scripts/dev` serves the blog with live reload. A post
// edited on disk shows up in the open page without restarting anything and without the
// reader reloading. Runs the real script (set-up, `trunk serve` with the Quire hook) on a
// copy of the sample content kept outside the repository.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { useBrowser } from './lib/browser.mjs';
import { repoRoot } from './lib/site.mjs';

const session = useBrowser();
let content;
let child;
let port;
let output = '';

async function freePort() {
  const srv = net.createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const p = srv.address().port;
  await new Promise((r) => srv.close(r));
  return p;
}

async function until(what, condition, timeout) {
  const start = Date.now();
  for (;;) {
    if (await condition()) return;
    if (child.exitCode !== null) throw new Error(`scripts/dev exited (${child.exitCode}) while waiting for ${what}:\n${output.slice(-3000)}`);
    if (Date.now() - start > timeout) throw new Error(`timed out waiting for ${what}:\n${output.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function served(p) {
  try {
    const r = await fetch(`http://127.0.0.1:${port}${p}`);
    return r.ok ? await r.text() : null;
  } catch {
    return null;
  }
}

before(
  async () => {
    content = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-dev-'));
    fs.cpSync(path.join(repoRoot, 'content'), content, { recursive: true });
    port = await freePort();
    child = spawn(path.join(repoRoot, 'scripts/dev'), ['--dist', 'target/e2e/serve'], {
      cwd: repoRoot,
      env: { ...process.env, QUIRE_CONTENT: content, PORT: String(port), NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so trunk and cargo stop with it
    });
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    // A cold debug build of the app takes a few minutes on 2 cores.
    await until('the dev server to serve the blog', async () => (await served('/data/index.json')) !== null, 600_000);
  },
  { timeout: 660_000 },
);

after(async () => {
  if (child && child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    await new Promise((r) => setTimeout(r, 500));
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  if (content) fs.rmSync(content, { recursive: true, force: true });
});

test('a post edited on disk shows up in the open page by itself', { timeout: 300_000 }, async () => {
  const s = await session.open();
  const { page } = s;
  await page.goto(`http://127.0.0.1:${port}/`);
  const firstTitle = page.locator('main article.post-summary h2 a').first();
  await firstTitle.waitFor();
  const index = JSON.parse(await served('/data/index.json'));
  assert.equal((await firstTitle.textContent()).trim(), index.posts[0].title);

  // The newest post's file: the one whose title line matches.
  const posts = path.join(content, 'posts');
  const file = fs
    .readdirSync(posts)
    .map((f) => path.join(posts, f))
    .find((f) => fs.readFileSync(f, 'utf8').match(/^title:\s*"?(.*?)"?\s*$/m)?.[1] === index.posts[0].title);
  assert.ok(file, `a file for "${index.posts[0].title}"`);
  const title = `Edited while serving ${Date.now()}`;
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^title:.*$/m, `title: "${title}"`));

  // Trunk rebuilds (the app is unchanged, so only the Quire hook does work) and its
  // reload script, injected into the served page, reloads it.
  try {
    await page.waitForFunction(
      (want) => document.querySelector('main article.post-summary h2 a')?.textContent.trim() === want,
      title,
      { timeout: 90_000 },
    );
  } catch (e) {
    const rebuilt = (await served('/data/index.json'))?.includes(title);
    throw new Error(
      `the page did not show the edit (the served data ${rebuilt ? 'has' : 'lacks'} it); ` +
        `page problems: ${JSON.stringify(s.problems(), null, 1)}`,
      { cause: e },
    );
  }
});
