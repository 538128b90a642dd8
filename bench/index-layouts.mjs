// How small could data/index.json be? Rewrites a built index into alternative layouts
// that carry the same information and prints raw and brotli -q 11 sizes, cumulatively:
//
//   node bench/index-layouts.mjs SITE/data/index.json
//
// 1. as built;
// 2. without the terms' post lists (`tags[].posts` etc.): each post already names its
//    terms, so the lists can be rebuilt in one pass when the index loads;
// 3. without per-post body references: bodies are packed in index order, so the first
//    post of each body chunk (one number per chunk) gives every post's chunk and slot;
// 4. columnar: one array per field instead of one object per post (no repeated keys);
// 5. slugs left out where they equal the title lowercased with runs of other characters
//    turned into `-` (an estimate of "slug derivable from the title"; the real rule would
//    be quire_core::slug's, on both sides);
// 6. dates as day differences from the previous post.
//
// A measurement aid for the bundle's format, not a format: nothing reads these layouts.

import fs from 'node:fs';
import { sizesOf } from './lib/sizes.mjs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node bench/index-layouts.mjs SITE/data/index.json');
  process.exit(2);
}
const index = JSON.parse(fs.readFileSync(file, 'utf8'));
const show = (label, obj) => {
  const s = sizesOf(Buffer.from(JSON.stringify(obj)));
  console.log(`${label.padEnd(66)} ${(s.raw / 1000).toFixed(1).padStart(9)} KB raw ${(s.br / 1000).toFixed(1).padStart(8)} KB brotli`);
  return s;
};

console.log(`${index.posts.length} posts, ${index.tags.length} tags, ${index.categories.length} categories, ${index.authors.length} authors`);
show('1. as built', index);

const noLists = (terms) => terms.map(({ posts, ...rest }) => ({ ...rest, count: posts.length }));
const v2 = { ...index, tags: noLists(index.tags), categories: noLists(index.categories), authors: noLists(index.authors) };
show('2. without term post lists', v2);

const firstOfChunk = [];
index.posts.forEach((p, i) => {
  if (p.body.slot === 0) firstOfChunk[p.body.chunk] = i;
});
const v3 = { ...v2, posts: index.posts.map(({ body, ...rest }) => rest), body_starts: firstOfChunk };
show('3. ... and body chunk starts instead of body refs', v3);

const fields = [...new Set(v3.posts.flatMap((p) => Object.keys(p)))];
const columns = Object.fromEntries(fields.map((f) => [f, v3.posts.map((p) => p[f] ?? null)]));
const v4 = { ...v3, posts: columns };
show('4. ... and columnar posts', v4);

const fromTitle = (t) =>
  t
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
const derivable = columns.slug.filter((s, i) => s === fromTitle(columns.title[i])).length;
const v5 = { ...v4, posts: { ...columns, slug: columns.slug.map((s, i) => (s === fromTitle(columns.title[i]) ? null : s)) } };
show(`5. ... and slugs derivable from titles left out (${derivable} of ${columns.slug.length})`, v5);

const days = columns.date.map((d) => Math.round(Date.parse(d.slice(0, 10)) / 86400000));
const v6 = { ...v5, posts: { ...v5.posts, date: days.map((d, i) => (i ? days[i - 1] - d : d)) } };
show('6. ... and dates as day differences', v6);

for (const f of ['slug', 'title', 'date', 'tags', 'words']) {
  if (columns[f]) show(`   the ${f} column alone`, columns[f]);
}
