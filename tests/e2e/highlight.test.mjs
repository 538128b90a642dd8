// Code highlighted at build time (issue 21): the route file and the app after an in-app
// navigation show the same code markup; Rust, Python, Go, YAML and shell blocks carry
// distinct token colours in the light and the dark scheme; an unknown language stays
// plain; the text of every block is its source.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { useBrowser } from './lib/browser.mjs';
import { siteWithContent } from './lib/site.mjs';
import { encodePath, open, settled } from './lib/app.mjs';

const session = useBrowser();

const BLOCKS = [
  ['rust', '// greet\nfn main() -> Result<(), String> {\n    let n: u32 = 42;\n    println!("hi {n} <&>");\n    Ok(())\n}\n'],
  ['python', 'def f(items):  # keep some\n    return [i for i in items if "a" in i][:3]\n'],
  ['go', 'func Add(a int, b int) int {\n\treturn a + b // sum\n}\n'],
  ['yaml', 'name: quire\ncount: 3\nenabled: true # yes\n'],
  ['sh', 'export X="$HOME/a" # c\nls -la | wc -l\n'],
  ['nonesuch', "<plain> & 'stays'\n"],
];

const POST = `---
title: "Highlighted"
date: 2024-03-02
---
Several languages.

${BLOCKS.map(([lang, src]) => '```' + lang + '\n' + src + '```\n').join('\n')}`;

let site;
let content;
before(async () => {
  content = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-hl-'));
  fs.mkdirSync(path.join(content, 'posts'));
  fs.writeFileSync(path.join(content, 'site.toml'), 'title = "Code Blog"\nposts_per_page = 10\nauthor = "ada"\n');
  fs.writeFileSync(path.join(content, 'posts', '2024-03-02-highlighted.md'), POST);
  fs.writeFileSync(path.join(content, 'posts', '2024-03-01-plain.md'), '---\ntitle: "Plain"\ndate: 2024-03-01\n---\nWords.\n');
  site = await siteWithContent(content);
});
after(async () => {
  await site?.cleanup();
  fs.rmSync(content, { recursive: true, force: true });
});

const codeMarkup = (page) => page.$$eval('main article.post .post-body pre', (pres) => pres.map((p) => p.outerHTML));
const codeTexts = (page) => page.$$eval('main article.post .post-body pre code', (cs) => cs.map((c) => c.textContent));

test('the route file and the app after navigation write the same code markup, and the source text', async () => {
  const slug = site.index.posts.find((p) => p.title === 'Highlighted').slug;
  // The route file as it is, without the app.
  const off = await session.open({ javaScriptEnabled: false });
  await off.page.goto(site.server.url(encodePath(`/post/${slug}/`)));
  const fromFile = await codeMarkup(off.page);
  assert.equal(fromFile.length, BLOCKS.length);
  assert.deepEqual(await codeTexts(off.page), BLOCKS.map(([, src]) => src));

  // The app, reaching the post by a link from the home page (no reload).
  const s = await session.open();
  await open(s, site.server.url('/'));
  await s.page.evaluate(() => (window.__sameDocument = true));
  await s.page.locator('main article.post-summary h2 a', { hasText: 'Highlighted' }).click();
  await settled(s.page);
  await s.page.locator('main article.post .post-body pre').first().waitFor();
  assert.equal(await s.page.evaluate(() => window.__sameDocument), true, 'moved in the app');
  assert.deepEqual(await codeMarkup(s.page), fromFile);
  assert.deepEqual(await codeTexts(s.page), BLOCKS.map(([, src]) => src));

  // Known languages have token spans; the unknown one none; no inline style anywhere.
  const kinds = await s.page.$$eval('main article.post .post-body pre code', (cs) =>
    cs.map((c) => [...new Set([...c.querySelectorAll('span')].map((x) => x.className))]),
  );
  BLOCKS.forEach(([lang], i) => {
    if (lang === 'nonesuch') assert.deepEqual(kinds[i], [], lang);
    else assert.ok(kinds[i].length >= 2 && kinds[i].every((k) => /^hl-[a-z]+$/.test(k)), `${lang}: ${kinds[i]}`);
  });
  assert.equal(await s.page.locator('main [style]').count(), 0);
});

test('token colours are distinct in the light and the dark scheme', async () => {
  const slug = site.index.posts.find((p) => p.title === 'Highlighted').slug;
  const s = await session.open();
  await open(s, site.server.url(encodePath(`/post/${slug}/`)));
  const colours = {};
  for (const scheme of ['light', 'dark']) {
    await s.page.emulateMedia({ colorScheme: scheme });
    colours[scheme] = await s.page.evaluate(() => {
      const out = {};
      const code = document.querySelector('main article.post .post-body pre code');
      out.plain = getComputedStyle(code).color;
      for (const el of document.querySelectorAll('main article.post .post-body pre code span')) {
        out[el.className] ??= getComputedStyle(el).color;
      }
      return out;
    });
    const values = Object.values(colours[scheme]);
    assert.ok(values.length >= 6, `${scheme}: ${JSON.stringify(colours[scheme])}`);
    assert.equal(new Set(values).size, values.length, `${scheme}: every kind has its own colour ${JSON.stringify(colours[scheme])}`);
  }
  for (const kind of Object.keys(colours.light)) {
    assert.notEqual(colours.light[kind], colours.dark[kind], `${kind} changes with the scheme`);
  }
});
