// Times `quire build` the way a writer runs it: a fresh output folder holding only the
// app shell (index.html from the release build), wall clock from outside the process,
// peak RSS from GNU time. One warm-up run (page cache, binary loaded), then the best
// of `runs`.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const GNU_TIME = process.env.QUIRE_GNU_TIME || '/usr/bin/time';

function once(bin, content, out, shell) {
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  if (shell) fs.copyFileSync(shell, path.join(out, 'index.html'));
  const marker = '__QUIRE_BENCH__';
  const t0 = process.hrtime.bigint();
  const r = spawnSync(GNU_TIME, ['-f', `${marker} %M %e %U %S`, bin, 'build', '--content', content, '--out', out], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const line = (r.stderr || '').split('\n').find((l) => l.startsWith(marker));
  if (r.status !== 0 || !line) {
    throw new Error(`quire build --content ${content} failed (${r.status}):\n${(r.stderr || '').slice(-4000)}${r.stdout || ''}`);
  }
  const [, rssKb, , user, sys] = line.split(' ');
  return { wallMs: wall, rssMb: Number(rssKb) / 1024, cpuMs: (Number(user) + Number(sys)) * 1000 };
}

/**
 * Builds `content` into `out` `runs` times after one warm-up. Returns every run and the
 * best: least wall time, and the peak RSS of the run that used the most (so the memory
 * figure is never the lucky one).
 */
export function timeBuild(bin, content, out, { runs = 3, shell } = {}) {
  once(bin, content, out, shell);
  const all = [];
  for (let i = 0; i < runs; i++) all.push(once(bin, content, out, shell));
  return {
    runs: all,
    wallMs: Math.min(...all.map((r) => r.wallMs)),
    rssMb: Math.max(...all.map((r) => r.rssMb)),
    cpuMs: Math.min(...all.map((r) => r.cpuMs)),
  };
}

/** Posts (Markdown files) and bytes of a content folder. */
export function corpusStats(content) {
  let files = 0;
  let bytes = 0;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.md')) {
        files += 1;
        bytes += fs.statSync(p).size;
      }
    }
  };
  walk(content);
  return { files, bytes };
}
