// Checks of each view against the DOM contract (DEVELOPERS.md, the app's views) and the
// built site's index. `site` is `{ dir, index, server }` from lib/site.mjs.

import assert from 'node:assert/strict';
import {
  assertLayout,
  assertMetaLike,
  listedSlugs,
  pageCount,
  pageOf,
  pagePath,
  slugsAt,
  tagCounts,
  toggleCounts,
} from './app.mjs';
import { postBody } from './site.mjs';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `{ kind: 'list', list: { kind, slug, path, posts }, page } | { kind: 'post' | 'page', slug } | { kind: 'tags' | 'archive' | 'unknown' }` */
export function parseRoute(index, routePath) {
  const segs = routePath.split('/').filter(Boolean);
  const pageOfSeg = (s) => (/^\d+$/.test(s) && Number(s) >= 2 ? Number(s) : null);
  const all = { kind: 'home', slug: null, path: '/', posts: index.posts.map((_, i) => i) };
  const term = (kind, slug) => {
    const field = { tag: 'tags', category: 'categories', author: 'authors' }[kind];
    const t = field && index[field].find((x) => x.slug === slug);
    return t ? { kind, slug, name: t.name, path: `/${kind}/${slug}`, posts: t.posts } : null;
  };
  if (segs.length === 0) return { kind: 'list', list: all, page: 1 };
  if (segs.length === 2 && segs[0] === 'page' && pageOfSeg(segs[1])) return { kind: 'list', list: all, page: pageOfSeg(segs[1]) };
  if (segs.length === 2 && segs[0] === 'post') return { kind: 'post', slug: segs[1] };
  if (segs.length === 1 && (segs[0] === 'tags' || segs[0] === 'archive' || segs[0] === 'search')) return { kind: segs[0] };
  if (segs.length === 1 && (index.pages ?? []).some((p) => p.slug === segs[0])) return { kind: 'page', slug: segs[0] };
  if (segs.length === 2 || (segs.length === 4 && segs[2] === 'page' && pageOfSeg(segs[3]))) {
    const l = term(segs[0], segs[1]);
    if (l) return { kind: 'list', list: l, page: segs.length === 4 ? pageOfSeg(segs[3]) : 1 };
  }
  return { kind: 'unknown' };
}

/** Site path of a link (`href` resolved, base stripped, decoded). */
function sitePath(href, base) {
  const u = new URL(href, base);
  const basePath = new URL(base).pathname.replace(/\/$/, '');
  assert.ok(u.pathname.startsWith(`${basePath}/`), `link ${href} stays under ${basePath}/`);
  return decodeURIComponent(u.pathname.slice(basePath.length)) + decodeURIComponent(u.search);
}

async function hrefs(locator) {
  return locator.evaluateAll((as) => as.map((a) => a.href));
}

export function readingMinutes(words) {
  return Math.max(1, Math.ceil(words / 220));
}

/** Tag slugs sorted as the cloud shows them: most posts first, then by name. */
export function expectedCloud(index) {
  return [...index.tags]
    .sort((a, b) => b.posts.length - a.posts.length || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((t) => t.slug);
}

/** `[{ year, month, slugs }]`, newest month first. */
export function expectedArchive(index) {
  const out = [];
  for (const p of index.posts) {
    const [year, month] = [Number(p.date.slice(0, 4)), Number(p.date.slice(5, 7))];
    const last = out.at(-1);
    if (last && last.year === year && last.month === month) last.slugs.push(p.slug);
    else out.push({ year, month, slugs: [p.slug] });
  }
  return out;
}

/** A few words from a post's Markdown that must show up in its rendered body. */
export function wordsOf(markdown, n = 8) {
  const lines = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (fenced || /^\s*\[[^\]]+\]:/.test(line) || /^\s*\|/.test(line) || /^\s*</.test(line)) continue;
    lines.push(line);
  }
  const text = lines
    .join(' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\]\([^)]*\)/g, ']')
    .replace(/<[^>]*>/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ');
  return (text.match(/[\p{L}]{4,}/gu) ?? []).slice(0, n);
}

/** Checks whatever view `routePath` should show. With `deep`, also its details. */
export async function checkRoute(page, site, routePath, { deep = false } = {}) {
  const { index } = site;
  const base = site.server.base;
  await assertLayout(page, index, base);
  const r = parseRoute(index, routePath);
  if (r.kind === 'unknown') throw new Error(`checkRoute: ${routePath} is not a route of this site`);
  if (deep) {
    await assertMetaLike(page, site.dir, index, routePath);
  } else {
    const h1 = page.locator('main h1').first();
    assert.ok((await h1.textContent()).trim().length > 0, `h1 on ${routePath}`);
  }
  if (r.kind === 'list') return checkList(page, site, r.list, r.page, { deep });
  if (r.kind === 'post') return checkPost(page, site, r.slug, { deep });
  if (r.kind === 'tags') return checkCloud(page, site);
  if (r.kind === 'search') return checkSearchPage(page);
  if (r.kind === 'page') return checkStandalonePage(page, site, r.slug);
  return checkArchive(page, site);
}

/** A standalone page: its title as the heading, its body, none of a post's parts. */
export async function checkStandalonePage(page, site, slug) {
  const p = site.index.pages.find((x) => x.slug === slug);
  assert.equal(await page.locator('main article.page').count(), 1, `a page at /${slug}`);
  assert.equal((await page.locator('main article.page h1').textContent()).trim(), p.title);
  assert.ok((await page.locator('main article.page .post-body').textContent()).trim().length > 0, `body of /${slug}`);
  assert.equal(await page.locator('main .post-nav, main .post-tags, main .reading-time').count(), 0);
}

/** The search page without a query: its heading, the box, no results. */
export async function checkSearchPage(page) {
  assert.equal((await page.locator('main h1').first().textContent()).trim(), 'Search');
  assert.equal(await page.locator('header.site-header form[role="search"] input[name="q"]').count(), 1, 'the search box');
  assert.equal(await page.locator('main .search-results li').count(), 0, 'no results without a query');
}

export async function checkList(page, site, list, n, { deep = false, selected = [] } = {}) {
  const { index } = site;
  const base = site.server.base;
  const per = index.site.posts_per_page;
  const where = `${list.path} page ${n}`;
  assert.deepEqual(await listedSlugs(page), slugsAt(index, pageOf(list.posts, per, n)), `posts on ${where}`);

  const pages = pageCount(list.posts.length, per);
  const nav = page.locator('main nav.pagination');
  const query = selected.length ? `?tags=${selected.join(',')}` : '';
  if (pages > 1) {
    assert.match(await nav.textContent(), new RegExp(`Page\\s+${n}\\s+of\\s+${pages}`), `pagination text on ${where}`);
  }
  const prev = await hrefs(page.locator('main nav.pagination a[rel="prev"]'));
  const next = await hrefs(page.locator('main nav.pagination a[rel="next"]'));
  assert.deepEqual(prev.map((h) => sitePath(h, base)), n > 1 ? [pagePath(list.path, n - 1) + query] : [], `newer link on ${where}`);
  assert.deepEqual(next.map((h) => sitePath(h, base)), n < pages ? [pagePath(list.path, n + 1) + query] : [], `older link on ${where}`);

  assert.equal(await page.locator('main section.tag-filter').count(), 1, `tag filter on ${where}`);
  if (!deep) return;

  const want = tagCounts(index, list.posts);
  const got = await toggleCounts(page);
  for (const [slug, count] of Object.entries(got)) assert.equal(count, want[slug], `count of tag ${slug} on ${where}`);
  for (const [slug, count] of Object.entries(want)) {
    if (count > 0) assert.ok(slug in got, `a toggle for tag ${slug} (${count} posts) on ${where}`);
  }

  const articles = page.locator('main article.post-summary');
  const shown = pageOf(list.posts, per, n);
  for (let i = 0; i < shown.length; i++) {
    const post = index.posts[shown[i]];
    const a = articles.nth(i);
    const what = `${post.slug} on ${where}`;
    assert.equal((await a.locator('h2').textContent()).trim(), post.title, `title of ${what}`);
    const datetime = await a.locator('time[datetime]').first().getAttribute('datetime');
    assert.equal(datetime?.slice(0, 10), post.date.slice(0, 10), `date of ${what}`);
    const author = index.authors[post.author];
    const authorLink = a.locator('a.author').first();
    assert.equal((await authorLink.textContent()).trim(), author.name, `author of ${what}`);
    assert.equal(sitePath(await authorLink.evaluate((x) => x.href), base), `/author/${author.slug}`);
    const chips = await a.locator('a.tag[data-tag]').evaluateAll((xs) => xs.map((x) => x.dataset.tag));
    assert.deepEqual([...chips].sort(), (post.tags ?? []).map((t) => index.tags[t].slug).sort(), `tag chips of ${what}`);
    assert.equal(await a.locator('.summary').count(), 1, `summary of ${what}`);
    assert.ok((await a.locator('.summary').innerText()).trim().length > 0, `summary text of ${what}`);
  }
}

export async function checkPost(page, site, slug, { deep = false } = {}) {
  const { index } = site;
  const base = site.server.base;
  const pos = index.posts.findIndex((p) => p.slug === slug);
  assert.ok(pos >= 0, `post ${slug} is in the index`);
  const post = index.posts[pos];
  const article = page.locator('main article.post');
  assert.equal((await article.locator('h1').textContent()).trim(), post.title);
  const meta = article.locator('.post-meta');
  assert.equal((await meta.locator('time[datetime]').first().getAttribute('datetime'))?.slice(0, 10), post.date.slice(0, 10));
  const author = index.authors[post.author];
  assert.equal((await meta.locator('a.author').first().textContent()).trim(), author.name);
  assert.match(await meta.locator('span.reading-time').textContent(), new RegExp(`\\b${readingMinutes(post.words)}\\b`));

  const termLinks = async (sel) => (await hrefs(article.locator(sel))).map((h) => sitePath(h, base)).sort();
  assert.deepEqual(await termLinks('.post-tags a'), (post.tags ?? []).map((t) => `/tag/${index.tags[t].slug}`).sort());
  assert.deepEqual(
    await termLinks('.post-categories a'),
    (post.categories ?? []).map((t) => `/category/${index.categories[t].slug}`).sort(),
  );

  const newer = await hrefs(page.locator('main nav.post-nav a[rel="prev"]'));
  const older = await hrefs(page.locator('main nav.post-nav a[rel="next"]'));
  assert.deepEqual(newer.map((h) => sitePath(h, base)), pos > 0 ? [`/post/${index.posts[pos - 1].slug}`] : [], `newer post link of ${slug}`);
  assert.deepEqual(
    older.map((h) => sitePath(h, base)),
    pos + 1 < index.posts.length ? [`/post/${index.posts[pos + 1].slug}`] : [],
    `older post link of ${slug}`,
  );

  await page.waitForFunction(() => (document.querySelector('main .post-body')?.textContent ?? '').trim().length > 0, null, {
    timeout: 10000,
  });
  if (deep) {
    const text = await article.locator('.post-body').innerText();
    for (const w of wordsOf(postBody(site.dir, index, pos))) {
      assert.ok(text.includes(w), `body of ${slug} shows "${w}"`);
    }
  }
}

export async function checkCloud(page, site) {
  const { index } = site;
  const links = page.locator('main .tag-cloud a');
  const got = await links.evaluateAll((as) =>
    as.map((a) => ({ href: a.href, count: Number(a.querySelector('span.count')?.textContent.trim()) })),
  );
  const want = expectedCloud(index);
  assert.deepEqual(
    got.map((g) => sitePath(g.href, site.server.base)),
    want.map((slug) => `/tag/${slug}`),
    'tag cloud links, most used first',
  );
  assert.deepEqual(
    got.map((g) => g.count),
    want.map((slug) => index.tags.find((t) => t.slug === slug).posts.length),
    'tag cloud counts',
  );
}

export async function checkArchive(page, site) {
  const { index } = site;
  const sections = page.locator('main .archive section');
  const want = expectedArchive(index);
  assert.equal(await sections.count(), want.length, 'one archive section per month');
  const got = await sections.evaluateAll((ss) =>
    ss.map((s) => ({
      heading: s.querySelector('h1, h2, h3, h4')?.textContent.trim() ?? '',
      hrefs: [...s.querySelectorAll('li a')].map((a) => a.href).filter((h) => /\/post\/[^/]+\/?$/.test(new URL(h).pathname)),
    })),
  );
  for (let i = 0; i < want.length; i++) {
    const { year, month, slugs } = want[i];
    assert.match(got[i].heading, new RegExp(`${MONTHS[month - 1]}\\s+${year}`), `archive heading ${i}`);
    assert.deepEqual(
      got[i].hrefs.map((h) => sitePath(h, site.server.base)),
      slugs.map((s) => `/post/${s}`),
      `archive posts of ${MONTHS[month - 1]} ${year}`,
    );
  }
}
