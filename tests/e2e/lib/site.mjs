// Built sites to test against, each served by the plain static server:
// - the sample blog's release build (`dist/`, from `trunk build --release`),
// - the same under `/blog/` (`target/e2e/blog`, from `trunk build --release --public-url /blog/
//   --dist target/e2e/blog`),
// - the same app with another content folder: the release build's app files copied to a
//   temporary directory, then `quire build --content DIR --out TMP` (the CLI reuses
//   TMP/index.html as the app shell),
// - a generated corpus of N posts (`cargo run -p quire-devtools -- gen-corpus`) built that way.
//
// scripts/test makes the two builds first; run alone, `node --test tests/e2e/` expects them.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const distDir = path.resolve(process.env.QUIRE_DIST || path.join(repoRoot, 'dist'));
export const blogDir = path.resolve(process.env.QUIRE_BLOG_DIST || path.join(repoRoot, 'target/e2e/blog'));
export const quireBin = path.join(repoRoot, 'target/cli/quire');

// Route directories and data the CLI writes; everything else at the top of a build is the
// app (Trunk's output and public/ files).
const GENERATED = new Set(['data', 'post', 'page', 'tag', 'category', 'author', 'tags', 'archive', 'search', '404.html', 'feed.xml', 'sitemap.xml']);

function needBuild(dir, how) {
  if (!fs.existsSync(path.join(dir, 'index.html')) || !fs.existsSync(path.join(dir, 'data/index.json'))) {
    throw new Error(`no release build in ${dir}: run \`${how}\` first (scripts/test does)`);
  }
}

export function readIndex(dir) {
  return JSON.parse(fs.readFileSync(path.join(dir, 'data/index.json'), 'utf8'));
}

/** Summary or body chunk `name` (from index.summaries / index.bodies) as an array of Markdown. */
export function readChunk(dir, name) {
  const entries = JSON.parse(fs.readFileSync(path.join(dir, 'data', name), 'utf8'));
  // A body chunk holds entries ({ md, code, img, toc }, docs/BUNDLE.md), a summary chunk strings.
  return entries.map((e) => (typeof e === 'string' ? e : e.md));
}

/** A post's body Markdown, found through its body reference. */
export function postBody(dir, index, pos) {
  const { chunk, slot } = index.posts[pos].body;
  return readChunk(dir, index.bodies[chunk])[slot];
}

async function serve(dir, prefix, options) {
  const server = await startServer({ root: dir, prefix, ...options });
  return { dir, server, index: readIndex(dir) };
}

/** The sample blog's release build at `/`. */
export async function sampleSite(options = {}) {
  needBuild(distDir, 'trunk build --release');
  return serve(distDir, '/', options);
}

/** The sample blog built with `--public-url /blog/`, served under `/blog/`. */
export async function subpathSite(options = {}) {
  needBuild(blogDir, 'trunk build --release --public-url /blog/ --dist target/e2e/blog');
  return serve(blogDir, '/blog/', options);
}

/** Builds the CLI once (cargo skips the work when it is up to date). */
export function ensureQuire() {
  const r = spawnSync('cargo', ['build', '--quiet', '--profile', 'cli', '-p', 'quire'], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0 || !fs.existsSync(quireBin)) {
    throw new Error('`cargo build --profile cli -p quire` failed');
  }
  return quireBin;
}

/**
 * The release build's app with the posts of `contentDir`: copies the app files of dist/
 * into a fresh temporary directory and runs `quire build` there. Returns the directory;
 * remove it with `fs.rmSync(dir, { recursive: true })`.
 */
export function buildWithContent(contentDir, { prefix = '/' } = {}) {
  const source = prefix === '/' ? distDir : blogDir;
  needBuild(source, 'trunk build --release');
  const bin = ensureQuire();
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-site-'));
  for (const entry of fs.readdirSync(source)) {
    if (!GENERATED.has(entry)) {
      fs.cpSync(path.join(source, entry), path.join(out, entry), { recursive: true });
    }
  }
  const r = spawnSync(bin, ['build', '--content', contentDir, '--out', out], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    throw new Error(`quire build --content ${contentDir} failed (${r.status}):\n${r.stderr}${r.stdout}`);
  }
  return out;
}

/** Serves the release build's app with another content folder. Call `cleanup()` after. */
export async function siteWithContent(contentDir, options = {}) {
  const dir = buildWithContent(contentDir, options);
  const site = await serve(dir, options.prefix ?? '/', options);
  return {
    ...site,
    async cleanup() {
      await site.server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs the synthetic blog generator shared by the tests and the benchmarks
 * (crates/devtools): `n` posts into `dir`, deterministic from `seed` (default 7). With
 * `reuse`, a `dir` that already holds that corpus is kept as it is.
 */
export function genCorpus(n, dir, { seed, reuse = false } = {}) {
  const args = ['run', '--quiet', '-p', 'quire-devtools', '--', 'gen-corpus', String(n), dir];
  if (seed !== undefined) args.push('--seed', String(seed));
  if (reuse) args.push('--reuse');
  const r = spawnSync('cargo', args, { cwd: repoRoot, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gen-corpus failed: ${r.stderr || r.error}`);
  return dir;
}

/** Generates `n` posts into a fresh temporary folder and returns it. */
export function generateCorpus(n, { seed } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `quire-corpus-${n}-`));
  return genCorpus(n, dir, { seed });
}

/** A served site of `n` generated posts. Call `cleanup()` after. */
export async function corpusSite(n, options = {}) {
  const content = generateCorpus(n, options);
  try {
    const site = await siteWithContent(content, options);
    return {
      ...site,
      content,
      async cleanup() {
        await site.cleanup();
        fs.rmSync(content, { recursive: true, force: true });
      },
    };
  } catch (e) {
    fs.rmSync(content, { recursive: true, force: true });
    throw e;
  }
}
