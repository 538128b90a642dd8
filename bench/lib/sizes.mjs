// Transfer sizes as a reader's browser would see them from a host that compresses:
// brotli at quality 11 of each file, computed here (the benchmark's static server
// serves identity, as the browser tests' server does).

import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const cache = new Map(); // sha256 of bytes -> { raw, br, gz }

let haveBrotliCli = null;
function brotliCli() {
  if (haveBrotliCli === null) {
    haveBrotliCli = spawnSync('brotli', ['--version'], { encoding: 'utf8' }).status === 0;
  }
  return haveBrotliCli;
}

/** Brotli -q 11 size of `bytes`: the `brotli` tool when present, Node's zlib otherwise. */
export function brotliSize(bytes) {
  if (brotliCli()) {
    const r = spawnSync('brotli', ['-q', '11', '-c'], { input: bytes, maxBuffer: 1 << 30 });
    if (r.status === 0) return r.stdout.length;
  }
  return zlib.brotliCompressSync(bytes, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  }).length;
}

/** `{ raw, br, gz }` byte counts of a buffer (cached by content). */
export function sizesOf(bytes) {
  const key = crypto.createHash('sha256').update(bytes).digest('hex');
  let s = cache.get(key);
  if (!s) {
    s = { raw: bytes.length, br: brotliSize(bytes), gz: zlib.gzipSync(bytes, { level: 9 }).length };
    cache.set(key, s);
  }
  return s;
}

export function fileSizes(file) {
  return sizesOf(fs.readFileSync(file));
}

/**
 * The file a static host answers `pathname` with, inside `root` served at `prefix`:
 * `/x/` and `/x` (a directory) → `x/index.html`. Null when nothing matches.
 */
export function fileForPath(root, prefix, pathname) {
  let p = decodeURIComponent(pathname);
  if (!p.startsWith(prefix)) return null;
  p = p.slice(prefix.length);
  let file = path.join(root, p);
  if (!file.startsWith(root)) return null;
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
  return fs.existsSync(file) && fs.statSync(file).isFile() ? file : null;
}

/** The app's own download in a Trunk build: the Wasm, its JS glue, the CSS. */
export function appAssets(dist) {
  const top = fs.readdirSync(dist);
  const pick = (re) => top.filter((f) => re.test(f)).map((f) => path.join(dist, f));
  return { wasm: pick(/\.wasm$/), js: pick(/\.m?js$/), css: pick(/\.css$/) };
}

/**
 * The app's Wasm and JS by when a reader downloads them: `first`, what every page loads
 * (index.html preloads it), and `later`, what is fetched on first use (search's chunk in
 * a split release build).
 */
export function appLoads(dist) {
  const a = appAssets(dist);
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const preloaded = new Set(
    [...html.matchAll(/<link rel="(?:modulepreload|preload)" href="([^"]+)"/g)].map((m) => path.basename(m[1])),
  );
  const all = [...a.wasm, ...a.js];
  return {
    first: all.filter((f) => preloaded.has(path.basename(f))),
    later: all.filter((f) => !preloaded.has(path.basename(f))),
  };
}

/** FNV-1a 64, hex: the content hash the bundle's chunk names carry. */
export function fnv1a64(bytes) {
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

export const kb = (n) => n / 1000;
