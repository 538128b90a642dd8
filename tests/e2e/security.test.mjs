// The attack corpus in real Chromium: tests/fixtures/hostile (106 vectors: script tags,
// event handlers, SVG/MathML, frames, javascript: in every Markdown link form, broken
// markup, DOM clobbering, markup in every front matter field and in site.toml), built with
// the release app, under the default raw_html policy and under "escape".
//
// Every vector tries to set window.__pwned, open a dialog, or make the page request a
// /__pwned… URL. On every post and list page: no marker, no dialog, no such request, no
// executable construct in the DOM, no CSP violation (the harness fails the test on any),
// and the text around each vector is still shown. Route files, feed.xml and sitemap.xml
// carry front matter as text.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { useBrowser } from './lib/browser.mjs';
import { postBody, repoRoot, siteWithContent } from './lib/site.mjs';
import { allRoutePaths, assertMetaLike, encodePath, open } from './lib/app.mjs';

const FIXTURE = path.join(repoRoot, 'tests/fixtures/hostile');
const session = useBrowser();

/** Vector numbers (from `#### vector NN:` headings and `# vector NN:` comments) in the corpus. */
export function corpusVectors() {
  const files = [path.join(FIXTURE, 'site.toml'), ...fs.readdirSync(path.join(FIXTURE, 'posts')).map((f) => path.join(FIXTURE, 'posts', f))];
  const found = new Set();
  for (const f of files) {
    for (const m of fs.readFileSync(f, 'utf8').matchAll(/^#+ vector (\d+):/gm)) found.add(Number(m[1]));
  }
  return found;
}

/** A copy of the corpus with `raw_html` set (or left at the default). */
function corpusWith(policy) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `quire-hostile-${policy}-`));
  fs.cpSync(FIXTURE, dir, { recursive: true });
  if (policy !== 'default') {
    // At the top: after a [[social]] table header the key would belong to that table.
    const file = path.join(dir, 'site.toml');
    fs.writeFileSync(file, `raw_html = "${policy}"\n${fs.readFileSync(file, 'utf8')}`);
  }
  return dir;
}

/** Runs in the page: everything that would show a vector got through. */
function domFindings() {
  const out = [];
  const where = (el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} in ${el.closest('[class]')?.className ?? '?'}`;
  if ('__pwned' in window) out.push(`window.__pwned is ${String(window.__pwned)}`);
  for (const el of document.querySelectorAll('body *')) {
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) out.push(`handler ${a.name} on ${where(el)}`);
    }
  }
  const forbidden = 'body script, iframe, frame, frameset, object, embed, applet, portal, form, body base, body meta, body link, body style, svg, math, template, main noscript, textarea, select, input:not([type="checkbox"][disabled])';
  // The layout's own search box (a GET form in the header, outside any content) is allowed.
  const searchBox = (el) => el.closest('#app > header.site-header > .wrap > form.search-box[role="search"]') !== null;
  for (const el of document.querySelectorAll(forbidden)) if (!searchBox(el)) out.push(`element ${where(el)}`);
  // Content may not carry inline styles (the CSP would block them, and report them).
  for (const el of document.querySelectorAll('main [style]')) out.push(`style attribute on ${where(el)}`);
  for (const a of document.querySelectorAll('a[href]')) {
    if (!['http:', 'https:', 'mailto:', 'tel:'].includes(a.protocol)) out.push(`link to ${a.protocol} ${a.getAttribute('href')}`);
  }
  for (const img of document.querySelectorAll('img[src]')) {
    const u = new URL(img.src);
    const ok = ['http:', 'https:'].includes(u.protocol) || /^data:image\/(png|jpeg|gif|webp|avif)[;,]/i.test(img.src);
    if (!ok) out.push(`image from ${img.getAttribute('src').slice(0, 40)}`);
  }
  for (const el of document.querySelectorAll('[srcdoc], [formaction], [action], [xlink\\:href]')) if (!searchBox(el)) out.push(`attribute on ${where(el)}`);
  // Ids that content creates carry a prefix, so they neither clobber globals nor collide
  // with the layout's ids.
  for (const el of document.querySelectorAll('.post-body [id], .summary [id]')) {
    if (!/^(h|fn)-/.test(el.id)) out.push(`content id ${el.id}`);
  }
  if (document.querySelectorAll('#main').length !== 1) out.push('more than one #main');
  // Rendered Markdown stays inside its container: the app's own markup is never inside it,
  // and it never ends up outside its article.
  const chrome = '.post-footer, .post-nav, .post-tags, .post-categories, .post-meta, .tag-filter, .pagination, article, h2 a[href*="/post/"], footer, header, nav';
  for (const el of document.querySelectorAll(`.post-body :is(${chrome}), .summary :is(${chrome})`)) out.push(`app markup inside rendered Markdown: ${where(el)}`);
  for (const el of document.querySelectorAll('.post-body')) if (!el.closest('main article.post')) out.push('.post-body outside article.post');
  for (const el of document.querySelectorAll('.summary')) if (!el.closest('main article.post-summary')) out.push('.summary outside article.post-summary');
  if (document.querySelectorAll('main article.post .post-body').length > 1) out.push('more than one .post-body');
  if (document.querySelectorAll('main .load-error').length !== 0) out.push('a .load-error inside main');
  return out;
}

/** Runs in the page: pokes every content element the way a reader would (hover, focus, toggle). */
function poke() {
  for (const el of document.querySelectorAll('main *')) {
    for (const type of ['mouseover', 'mouseenter', 'mousemove', 'pointerover']) {
      el.dispatchEvent(new MouseEvent(type, { bubbles: true }));
    }
    el.dispatchEvent(new FocusEvent('focus'));
    if (el.tagName === 'DETAILS') el.open = !el.open;
  }
}

async function visit(s, dialogs, url) {
  await open(s, url);
  await s.idle({ quiet: 300 });
  await s.page.evaluate(poke);
  // Handlers fire on load, error, focus and animation: give them a moment.
  await s.page.waitForTimeout(250);
  const findings = await s.page.evaluate(domFindings);
  assert.deepEqual(findings, [], `${url}: content got through`);
  assert.deepEqual(dialogs, [], `${url}: a dialog opened`);
}

function pwnedRequests(site, s) {
  return [...site.server.requests.filter((r) => /__pwned/i.test(r.path)).map((r) => r.path), ...s.requests.filter((r) => /__pwned/i.test(r.url)).map((r) => r.url)];
}

async function hostileSession() {
  const s = await session.open();
  // Sanitized images keep relative sources such as "x", which the static server answers
  // with 404: Chromium logs each as a console error. That is the only error allowed.
  s.allow(/Failed to load resource: the server responded with a status of 404/);
  const dialogs = [];
  s.page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  return { s, dialogs };
}

test('the corpus holds at least 60 vectors', () => {
  const found = corpusVectors();
  assert.ok(found.size >= 60, `${found.size} vectors`);
  for (let n = 1; n <= found.size; n++) assert.ok(found.has(n), `vector ${n} is missing (numbers run 1..${found.size})`);
});

for (const policy of ['default', 'escape']) {
  describe(`hostile content, raw_html ${policy === 'default' ? 'at its default' : `= "${policy}"`}`, () => {
    let site;
    let content;
    before(async () => {
      content = corpusWith(policy);
      site = await siteWithContent(content);
      assert.equal(site.index.site.raw_html, policy === 'default' ? 'sanitize' : policy, 'the policy reached the bundle');
    });
    after(async () => {
      await site?.cleanup();
      if (content) fs.rmSync(content, { recursive: true, force: true });
    });

    test('post pages: nothing runs, every vector’s text is shown, front matter is text', async () => {
      const { s, dialogs } = await hostileSession();
      const { index } = site;
      assert.ok(index.posts.length >= 10);
      let vectors = 0;
      for (let i = 0; i < index.posts.length; i++) {
        const post = index.posts[i];
        const routePath = `/post/${post.slug}`;
        await visit(s, dialogs, site.server.url(encodePath(routePath)));
        const body = (await s.page.locator('main article.post .post-body').innerText()).replace(/\s+/g, ' ');
        const md = postBody(site.dir, index, i);
        for (const m of md.matchAll(/seen-(\d+)/g)) {
          vectors += 1;
          assert.ok(body.includes(m[0]), `${routePath}: ${m[0]} is not shown`);
        }
        for (const m of md.matchAll(/end-of-[a-z-]+/g)) assert.ok(body.includes(m[0]), `${routePath}: ${m[0]} is not shown`);
        if (policy === 'escape' && md.includes('<script>window.__pwned = 1</script>')) {
          assert.ok(body.includes('<script>window.__pwned = 1</script>'), 'escape shows raw HTML as text');
        }
        // Front matter: shown exactly as written, as text.
        assert.equal((await s.page.locator('main article.post h1').first().innerText()).trim(), post.title);
        assert.equal((await s.page.locator('main article.post .post-meta a.author').innerText()).trim(), index.authors[post.author].name);
        const tags = await s.page.locator('main article.post .post-tags a').allInnerTexts();
        for (const t of post.tags ?? []) assert.ok(tags.map((x) => x.trim()).includes(index.tags[t].name), `tag ${index.tags[t].name} shown on ${routePath}: ${tags}`);
        const cats = await s.page.locator('main article.post .post-categories a').allInnerTexts();
        for (const c of post.categories ?? []) assert.ok(cats.map((x) => x.trim()).includes(index.categories[c].name), `category ${index.categories[c].name} shown`);
        assert.equal((await s.page.locator('header.site-header a.site-title').innerText()).trim(), index.site.title);
        await assertMetaLike(s.page, site.dir, index, routePath);
      }
      assert.ok(vectors >= 90, `${vectors} body vectors seen`);
      assert.deepEqual(pwnedRequests(site, s), [], 'a vector made the page request a marker URL');
    });

    test('list, tag, category, author, tags and archive pages: nothing runs', async () => {
      const { s, dialogs } = await hostileSession();
      const { index } = site;
      const routes = policy === 'default' ? allRoutePaths(index) : ['/', '/tags', '/archive'];
      for (const routePath of routes) {
        await visit(s, dialogs, site.server.url(encodePath(routePath)));
        await assertMetaLike(s.page, site.dir, index, routePath);
      }
      // Summaries written in Markdown with markup (vectors 97 and 100) and hostile tag names.
      await visit(s, dialogs, site.server.url('/'));
      const home = (await s.page.locator('main').innerText()).replace(/\s+/g, ' ');
      assert.ok(home.includes('summary-100'), 'the summary before <!--more--> is shown');
      await s.page.goto(site.server.url('tags'));
      await s.page.locator('main .tag-cloud').waitFor();
      const cloud = (await s.page.locator('main .tag-cloud').innerText()).replace(/\s+/g, ' ');
      for (const t of index.tags) assert.ok(cloud.includes(t.name.replace(/\s+/g, ' ')), `tag ${t.name} shown as text in the cloud`);
      assert.deepEqual(pwnedRequests(site, s), []);
    });

    test('route files, feed.xml and sitemap.xml keep front matter as text', async () => {
      const s = await session.open({ javaScriptEnabled: false });
      // The prerendered posts' images point at files the vectors never ship.
      s.allow(/status of 404/);
      const { index } = site;
      const shell = fs.readFileSync(path.join(site.dir, 'index.html'), 'utf8');
      const shellScripts = (shell.match(/<script/gi) ?? []).length;
      for (const routePath of ['/', ...index.posts.map((p) => `/post/${p.slug}`), ...index.tags.map((t) => `/tag/${t.slug}`)]) {
        const file = path.join(site.dir, routePath, 'index.html');
        const html = fs.readFileSync(file, 'utf8');
        assert.equal((html.match(/<script/gi) ?? []).length, shellScripts, `${routePath}: extra <script> in the route file`);
        // The head carries front matter (titles, descriptions) as text only. The body carries
        // the prerendered page, where rendered Markdown may hold allowed elements.
        const headHtml = html.slice(0, html.toLowerCase().indexOf('</head>'));
        for (const tag of ['<img', '<svg', '<iframe', '<b>', '<b ', '<style']) {
          assert.ok(!headHtml.toLowerCase().includes(tag), `${routePath}: ${tag} in the route file's head`);
        }
        // Parsed by Chromium with scripts off: one title, OpenGraph text equal to it.
        await s.page.goto(site.server.url(encodePath(routePath)));
        const head = await s.page.evaluate(() => ({
          titles: document.querySelectorAll('title').length,
          title: document.title,
          og: document.querySelector('meta[property="og:title"]')?.content ?? null,
          // Elements outside rendered Markdown: the page's own markup, front matter as text.
          bodyElements: [...document.body.querySelectorAll('*')]
            .filter((e) => !e.closest('.post-body, .summary'))
            .map((e) => e.tagName.toLowerCase()),
          headElements: [...document.head.children].map((e) => e.tagName.toLowerCase()),
        }));
        assert.equal(head.titles, 1, `${routePath}: one <title>`);
        assert.ok(!head.bodyElements.some((t) => ['img', 'svg', 'iframe', 'b', 'style', 'math'].includes(t)), `${routePath}: markup from front matter became elements: ${head.bodyElements}`);
        assert.ok(head.headElements.every((t) => ['meta', 'title', 'link', 'script', 'base', 'style', 'noscript'].includes(t)), `${routePath}: ${head.headElements}`);
        if (routePath.startsWith('/post/')) {
          const post = index.posts.find((p) => `/post/${p.slug}` === routePath);
          assert.ok(head.title.startsWith(post.title), `${routePath}: <title> is the post title as text: ${head.title}`);
          if (head.og !== null) assert.equal(head.og, post.title);
        }
      }
      // The feed and sitemap parse as XML, and every title is the text written.
      for (const name of ['feed.xml', 'sitemap.xml']) {
        await s.page.goto(site.server.url('/'));
        const xml = fs.readFileSync(path.join(site.dir, name), 'utf8');
        const result = await s.page.evaluate((text) => {
          const doc = new DOMParser().parseFromString(text, 'application/xml');
          if (doc.querySelector('parsererror')) return { error: doc.querySelector('parsererror').textContent };
          const titles = [...doc.getElementsByTagName('entry')].map((e) => {
            const t = e.getElementsByTagName('title')[0];
            return { type: t.getAttribute('type'), text: t.textContent };
          });
          const summaries = [...doc.getElementsByTagName('summary')].map((e) => ({ type: e.getAttribute('type'), text: e.textContent }));
          const feedTitle = doc.documentElement.getElementsByTagName('title')[0]?.textContent ?? null;
          return { titles, summaries, feedTitle, foreign: [...doc.getElementsByTagName('*')].filter((e) => e.namespaceURI === 'http://www.w3.org/1999/xhtml').length };
        }, xml);
        assert.equal(result.error, undefined, `${name} is not well-formed XML: ${result.error}`);
        assert.equal(result.foreign, 0, `${name}: XHTML elements from front matter`);
        if (name === 'feed.xml') {
          assert.equal(result.feedTitle, index.site.title);
          const want = index.posts.slice(0, result.titles.length).map((p) => p.title);
          assert.deepEqual(result.titles.map((t) => t.text), want, 'feed entry titles are the post titles as text');
          for (const t of result.titles) assert.ok(t.type === null || t.type === 'text', `entry title type ${t.type}: a reader would render it as HTML`);
          // Summaries are HTML: the same safety as the page.
          const findings = await s.page.evaluate((summaries) => {
            const out = [];
            for (const sum of summaries) {
              if (sum.type !== 'html') continue;
              const d = new DOMParser().parseFromString(sum.text, 'text/html');
              for (const el of d.body.querySelectorAll('*')) {
                if (['script', 'iframe', 'svg', 'math', 'object', 'embed', 'style', 'form'].includes(el.tagName.toLowerCase())) out.push(el.tagName);
                for (const a of el.attributes) if (/^on|^style$|^srcdoc$/i.test(a.name)) out.push(a.name);
              }
              for (const a of d.querySelectorAll('[href], [src]')) {
                const v = (a.getAttribute('href') ?? a.getAttribute('src')).trim().toLowerCase();
                if (/^(javascript|vbscript|data:text)/.test(v)) out.push(v);
              }
            }
            return out;
          }, result.summaries);
          assert.deepEqual(findings, [], 'feed summaries carry executable markup');
        }
      }
    });
  });
}
