// A post's Markdown renders in the browser: tables, footnotes, fenced code, task lists,
// on a fixture post written here (so every feature is certainly there), and on the sample
// blog's own posts that use them.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { useBrowser } from './lib/browser.mjs';
import { postBody, sampleSite, siteWithContent } from './lib/site.mjs';
import { checkPost } from './lib/views.mjs';
import { encodePath, open } from './lib/app.mjs';

const session = useBrowser();

const FIXTURE_POST = `---
title: "Everything Markdown"
date: 2024-03-01
tags: [markdown, testing]
categories: [notes]
author: ada
---
An opening paragraph that cites a source.[^source]

| Tool | Version |
| --- | ---: |
| trunk | 0.21 |
| quire | 1.0 |

\`\`\`rust
fn main() {
    println!("fenced < & >");
}
\`\`\`

- [x] a finished task
- [ ] an open task

Some ~~struck~~ text and \`inline code\`.

[^source]: The footnote's own words.
`;

describe('fixture post', () => {
  let site;
  let content;
  before(async () => {
    content = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-md-'));
    fs.mkdirSync(path.join(content, 'posts'));
    fs.writeFileSync(
      path.join(content, 'site.toml'),
      'title = "Fixture Blog"\ndescription = "Markdown in the browser"\nposts_per_page = 10\nauthor = "ada"\n',
    );
    fs.writeFileSync(path.join(content, 'posts', '2024-03-01-everything-markdown.md'), FIXTURE_POST);
    fs.writeFileSync(
      path.join(content, 'posts', '2024-02-01-plain.md'),
      '---\ntitle: "Plain"\ndate: 2024-02-01\ntags: [testing]\n---\nJust words.\n',
    );
    site = await siteWithContent(content);
  });
  after(async () => {
    await site?.cleanup();
    fs.rmSync(content, { recursive: true, force: true });
  });

  test('table, footnote, code block, task list and inline markup render', async () => {
    const s = await session.open();
    const slug = site.index.posts.find((p) => p.title === 'Everything Markdown')?.slug;
    assert.ok(slug, 'the fixture post is in the index');
    await open(s, site.server.url(encodePath(`/post/${slug}`)));
    await s.idle();
    await checkPost(s.page, site, slug, { deep: true });
    const body = s.page.locator('main article.post .post-body');

    const cells = await body.locator('table').evaluate((t) => ({
      head: [...t.querySelectorAll('thead th')].map((c) => c.textContent.trim()),
      rows: [...t.querySelectorAll('tbody tr')].map((r) => [...r.children].map((c) => c.textContent.trim())),
      align: t.querySelector('thead th:nth-child(2)')?.style.textAlign || t.querySelector('thead th:nth-child(2)')?.getAttribute('align'),
    }));
    assert.deepEqual(cells.head, ['Tool', 'Version']);
    assert.deepEqual(cells.rows, [
      ['trunk', '0.21'],
      ['quire', '1.0'],
    ]);
    assert.equal(cells.align, 'right');

    const code = body.locator('pre code');
    assert.equal(await code.count(), 1);
    assert.equal((await code.textContent()).trim(), 'fn main() {\n    println!("fenced < & >");\n}');

    const boxes = await body.locator('input[type="checkbox"]').evaluateAll((xs) => xs.map((x) => ({ checked: x.checked, disabled: x.disabled })));
    assert.deepEqual(boxes, [
      { checked: true, disabled: true },
      { checked: false, disabled: true },
    ]);

    // The reference points at the definition, which holds the note's text.
    const ref = body.locator('sup a[href^="#"], a[href^="#"] sup, .footnote-reference a[href^="#"]').first();
    const target = decodeURIComponent((await ref.evaluate((a) => a.closest('a')?.getAttribute('href') ?? a.getAttribute('href'))).slice(1));
    const note = await s.page.evaluate((id) => document.getElementById(id)?.textContent ?? null, target);
    assert.ok(note?.includes("The footnote's own words."), `footnote #${target} holds its text: ${note}`);

    assert.equal((await body.locator('del, s').first().textContent()).trim(), 'struck');
    assert.equal((await body.locator('p code').first().textContent()).trim(), 'inline code');
  });
});

describe('sample blog posts', () => {
  let site;
  before(async () => {
    site = await sampleSite();
  });
  after(() => site?.server.close());

  // Which Markdown features a post uses, from its source, and what must show for each.
  const FEATURES = {
    table: { source: /^\s*\|.*\|\s*\n\s*\|\s*:?-{3,}/m, selector: 'table td' },
    footnote: { source: /\[\^[^\]]+\]:/, selector: 'a[href^="#"]' },
    'code block': { source: /^\s*(```|~~~)/m, selector: 'pre code' },
    'task list': { source: /^\s*[-*] \[[ xX]\] /m, selector: 'input[type="checkbox"]' },
  };

  test('the sample blog shows off every feature, and each renders', async () => {
    const { index } = site;
    const bodies = index.posts.map((_, i) => postBody(site.dir, index, i));
    const s = await session.open();
    for (const [name, f] of Object.entries(FEATURES)) {
      const pos = bodies.findIndex((b) => f.source.test(b));
      assert.ok(pos >= 0, `some sample post uses a ${name}`);
      const slug = index.posts[pos].slug;
      await open(s, site.server.url(encodePath(`/post/${slug}`)));
      await s.idle({ quiet: 300 });
      await checkPost(s.page, site, slug, { deep: true });
      assert.ok((await s.page.locator(`main article.post .post-body ${f.selector}`).count()) > 0, `${name} renders in ${slug}`);
    }
  });
});
