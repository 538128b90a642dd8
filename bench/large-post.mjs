// Writes one long post (default ≥ 72 KB of Markdown) into a content folder, so the
// benchmark can time the browser rendering the largest post a blog is likely to carry.
// Generated posts are 3–6 KB; a long read with tables, code and footnotes is the case
// that decides whether opening a post stays inside one frame.
//
//   node bench/large-post.mjs CONTENT_DIR [--bytes N] [--date YYYY-MM-DD]
//
// Deterministic: same arguments, same bytes. Prints the post's slug, title and marker
// (a sentence that only appears at the very end of the body) as JSON.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const LARGE_POST = {
  slug: 'the-long-read-a-field-guide-to-rendering-at-scale',
  title: 'The long read: a field guide to rendering at scale',
  marker: 'Closing marker of the long read: every section above was rendered.',
  tags: ['long-read', 'rendering'],
};

// Small seeded generator (mulberry32): no dependency, same sequence everywhere.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'render frame budget layout paint signal reactive index chunk bundle cache hash prefetch ' +
  'hover router history filter toggle count archive feed sitemap markdown table footnote ' +
  'heading paragraph emphasis strong link code block quote list item browser wasm memory ' +
  'heap allocation string slice vector iterator parser event tree node attribute escape'
).split(' ');

export function largePostMarkdown({ bytes = 72 * 1024, seed = 11 } = {}) {
  const r = rng(seed);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  const sentence = () => {
    const ws = Array.from({ length: int(8, 20) }, () => pick(WORDS));
    const roll = r();
    const i = int(0, ws.length - 1);
    if (roll < 0.15) ws[i] = `**${ws[i]}**`;
    else if (roll < 0.3) ws[i] = `*${ws[i]}*`;
    else if (roll < 0.42) ws[i] = `[${ws[i]}](https://example.org/${ws[i]})`;
    else if (roll < 0.5) ws[i] = `\`${ws[i]}()\``;
    const s = ws.join(' ');
    return s[0].toUpperCase() + s.slice(1) + '.';
  };
  const para = () => Array.from({ length: int(3, 7) }, sentence).join(' ');

  const out = [para(), ''];
  let section = 0;
  let notes = 0;
  while (out.join('\n').length < bytes) {
    section += 1;
    out.push(`## ${section}. ${sentence().slice(0, -1)}`, '', para(), '');
    out.push(`### ${section}.1 ${pick(WORDS)} and ${pick(WORDS)}`, '', para(), '');
    switch (section % 6) {
      case 0:
        out.push(...Array.from({ length: int(3, 6) }, () => `- ${sentence()}`));
        out.push(`  - ${sentence()}`, `  - ${sentence()}`, '');
        break;
      case 1:
        out.push('```rust', `fn ${pick(WORDS)}_${section}(input: &str) -> usize {`);
        for (let i = 0; i < int(4, 10); i++) out.push(`    let ${pick(WORDS)}_${i} = input.len() * ${int(2, 99)};`);
        out.push('    input.len()', '}', '```', '');
        break;
      case 2:
        out.push('| step | what | cost (ms) | share |', '| --- | --- | ---: | ---: |');
        for (let i = 0; i < int(6, 12); i++) {
          out.push(`| ${i + 1} | ${pick(WORDS)} ${pick(WORDS)} | ${int(1, 999) / 10} | ${int(1, 99)} % |`);
        }
        out.push('');
        break;
      case 3:
        out.push(`> ${sentence()} ${sentence()}`, '>', `> — ${pick(WORDS)}`, '');
        break;
      case 4:
        notes += 1;
        out.push(`${sentence().slice(0, -1)}.[^n${notes}]`, '', `[^n${notes}]: ${sentence()}`, '');
        break;
      default:
        out.push(...Array.from({ length: int(3, 6) }, (_, i) => `${i + 1}. ${sentence()}`), '');
    }
    out.push(para(), '');
  }
  out.push(LARGE_POST.marker, '');
  return out.join('\n');
}

/** Writes the post into `contentDir/posts/` and returns its description. */
export function writeLargePost(contentDir, { bytes, date = '2025-01-15' } = {}) {
  const body = largePostMarkdown({ bytes });
  const fm = [
    '---',
    `title: "${LARGE_POST.title}"`,
    `date: ${date}`,
    `tags: [${LARGE_POST.tags.join(', ')}]`,
    'categories: [guides]',
    'author: ada',
    '---',
    '',
  ].join('\n');
  const file = path.join(contentDir, 'posts', `${date}-${LARGE_POST.slug}.md`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, fm + body);
  return { ...LARGE_POST, file, bodyBytes: Buffer.byteLength(body) };
}

/**
 * A copy of the content folder `from` at `dir` (replaced if it exists) with the large post
 * added, newest of all: the corpus the benchmarks open the long read in.
 */
export function copyWithLargePost(from, dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(from, dir, { recursive: true });
  return writeLargePost(dir, { date: '2025-01-15' });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (!args[0] || args[0].startsWith('-')) {
    console.error('usage: node bench/large-post.mjs CONTENT_DIR [--bytes N] [--date YYYY-MM-DD]');
    process.exit(2);
  }
  const opt = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const bytes = opt('--bytes') ? Number(opt('--bytes')) : undefined;
  const info = writeLargePost(args[0], { bytes, date: opt('--date') });
  console.log(JSON.stringify(info));
}

