// What the tests expect of the app, and how they read it off the page.
//
// Expectations come from the built site itself: which posts a list shows is read from
// `data/index.json` (term post lists are positions in `posts`, newest first), and page
// titles from the route files the CLI wrote (`<route>/index.html`). The oracles here are
// deliberately plain (set intersection, slicing), so they do not share a bug with the
// core's filter code they check.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

/** Selector matching any settled view inside `main`. */
export const SETTLED =
  'main article.post-summary, main p.empty, main article.post, main .tag-cloud, main .archive, main .search-page, main .not-found, main .load-error';

export const KINDS = { tag: 'tags', category: 'categories', author: 'authors' };

/** Percent-encodes a site path the way links do (unreserved ASCII and `/` kept). */
export function encodePath(p) {
  return Array.from(new TextEncoder().encode(p), (b) => {
    const c = String.fromCharCode(b);
    return /[A-Za-z0-9/\-_.~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

export function pageCount(n, perPage) {
  return Math.max(1, Math.ceil(n / perPage));
}

export function pagePath(listPath, page) {
  if (page <= 1) return listPath;
  return `${listPath === '/' ? '' : listPath}/page/${page}`;
}

/**
 * Every list of the site: home and each term, with the positions it lists (newest first).
 * `{ kind: 'home' | 'tag' | 'category' | 'author', slug, name, path, posts }`
 */
export function lists(index) {
  const out = [{ kind: 'home', slug: null, name: null, path: '/', posts: index.posts.map((_, i) => i) }];
  for (const [kind, field] of Object.entries(KINDS)) {
    for (const t of index[field]) {
      out.push({ kind, slug: t.slug, name: t.name, path: `/${kind}/${t.slug}`, posts: t.posts });
    }
  }
  return out;
}

/** Every route path of the site (unencoded), as the CLI should have written them. */
export function allRoutePaths(index) {
  const per = index.site.posts_per_page;
  const out = [];
  for (const l of lists(index)) {
    for (let p = 1; p <= pageCount(l.posts.length, per); p++) out.push(pagePath(l.path, p));
  }
  for (const p of index.posts) out.push(`/post/${p.slug}`);
  out.push('/tags', '/archive', '/search');
  for (const p of index.pages ?? []) out.push(`/${p.slug}`);
  return out;
}

/** Positions of `list` that carry every tag in `slugs` (unknown slug: none). */
export function withTags(index, list, slugs) {
  let out = list;
  for (const slug of slugs) {
    const tag = index.tags.find((t) => t.slug === slug);
    if (!tag) return [];
    const set = new Set(tag.posts);
    out = out.filter((p) => set.has(p));
  }
  return out;
}

/** `{ slug: count }` of tags carried by posts of `list`. */
export function tagCounts(index, list) {
  const counts = Object.fromEntries(index.tags.map((t) => [t.slug, 0]));
  for (const p of list) for (const t of index.posts[p].tags ?? []) counts[index.tags[t].slug] += 1;
  return counts;
}

export function slugsAt(index, positions) {
  return positions.map((p) => index.posts[p].slug);
}

export function pageOf(list, perPage, page) {
  return list.slice((page - 1) * perPage, page * perPage);
}

/** Decodes the few HTML entities a `<title>` or attribute can carry. */
export function decodeEntities(s) {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The `<title>` and meta description the CLI wrote into a route's file. */
export function routeFileMeta(dir, routePath) {
  const file = path.join(dir, routePath, 'index.html');
  const html = fs.readFileSync(file, 'utf8');
  const title = html.match(/<title>([\s\S]*?)<\/title>/i)?.[1];
  const description = html.match(/<meta\s+name="description"\s+content="([^"]*)"/i)?.[1];
  return {
    title: title === undefined ? undefined : decodeEntities(title.trim()),
    description: description === undefined ? undefined : decodeEntities(description),
  };
}

/** The heading a page shows, given its document title (`Heading · Site`, or `Site`). */
export function headingFromTitle(title, siteTitle) {
  const suffix = ` · ${siteTitle}`;
  return title.endsWith(suffix) ? title.slice(0, -suffix.length) : title;
}

/**
 * Waits until the app has taken over the prerendered page (`<html data-app="live">`), or
 * said why it could not (a `.load-error` in `main`), and shows a settled view.
 */
export async function settled(page, { timeout = 15000 } = {}) {
  await page.waitForSelector(SETTLED, { timeout });
  await page.waitForFunction(
    () =>
      (document.documentElement.dataset.app === 'live' || document.querySelector('main .load-error')) &&
      !document.querySelector('main .loading'),
    null,
    { timeout },
  );
}

/** Navigates and waits for the app's view; returns the main document's response. */
export async function open(s, url) {
  const response = await s.page.goto(url);
  await settled(s.page);
  return response;
}

/** The post slugs a list page shows, in order. */
export async function listedSlugs(page) {
  return page.$$eval('main article.post-summary h2 a', (as) =>
    as.map((a) => {
      const m = new URL(a.href).pathname.match(/\/post\/([^/]+)\/?$/);
      return m ? decodeURIComponent(m[1]) : `(bad link ${a.getAttribute('href')})`;
    }),
  );
}

/** The selected tags, as the toggles say. */
export async function pressedTags(page) {
  return page.$$eval('section.tag-filter button.tag-toggle[aria-pressed="true"]', (bs) => bs.map((b) => b.dataset.tag));
}

/** Shows a list's every toggle: presses "All N tags" when the long tail is folded. */
export async function expandToggles(page) {
  const more = page.locator('section.tag-filter button.more-tags[aria-expanded="false"]');
  if ((await more.count()) === 0) return;
  await more.click();
  await page.waitForSelector('section.tag-filter button.more-tags[aria-expanded="true"]');
}

/** `{ slug: count }` from the toggles' count badges (every toggle: the list is unfolded). */
export async function toggleCounts(page) {
  await expandToggles(page);
  return page.$$eval('section.tag-filter button.tag-toggle', (bs) =>
    Object.fromEntries(bs.map((b) => [b.dataset.tag, Number(b.querySelector('span.count')?.textContent.trim())])),
  );
}

/**
 * Path and search of the current location, relative to the site base. A trailing slash is
 * dropped: a static host redirects `/tag/x` to `/tag/x/`, and both name the same page.
 */
export async function location(page, base) {
  const u = new URL(page.url());
  const basePath = new URL(base).pathname.replace(/\/$/, '');
  const p = decodeURIComponent(u.pathname.slice(basePath.length)).replace(/(.)\/$/, '$1');
  return p + decodeURIComponent(u.search);
}

/** Checks the layout every view shares. */
export async function assertLayout(page, index, base) {
  const header = page.locator('header.site-header');
  await header.waitFor();
  const title = header.locator('a.site-title');
  assert.equal((await title.textContent()).trim(), index.site.title);
  assert.equal(new URL(await title.evaluate((a) => a.href)).pathname, new URL(base).pathname);
  assert.equal(await page.locator('header.site-header nav').count() >= 1, true, 'header has a nav');
  const navText = (await page.locator('header.site-header nav').first().textContent()).toLowerCase();
  for (const word of ['home', 'tags', 'archive', 'feed']) assert.ok(navText.includes(word), `nav mentions ${word}: ${navText}`);
  const social = await header.locator('a.social').evaluateAll((as) => as.map((a) => [a.textContent.trim(), a.getAttribute('href')]));
  assert.deepEqual(
    social,
    (index.site.social ?? []).map((l) => [l.name, l.url]),
    'social links from site.toml',
  );
  assert.equal(await page.locator('main#main').count(), 1);
  assert.equal(await page.locator('footer.site-footer').count(), 1);
}

/** Asserts `document.title`, the `h1` and the meta description agree with the route file. */
export async function assertMetaLike(page, dir, index, routePath) {
  const want = routeFileMeta(dir, routePath);
  assert.ok(want.title, `route file for ${routePath} has a <title>`);
  await page.waitForFunction((t) => document.title === t, want.title, { timeout: 5000 }).catch(() => {});
  assert.equal(await page.title(), want.title, `document.title on ${routePath}`);
  const h1 = (await page.locator('main h1').first().textContent()).trim();
  assert.equal(h1, headingFromTitle(want.title, index.site.title), `h1 on ${routePath}`);
  if (want.description !== undefined) {
    const got = await page.$eval('meta[name="description"]', (m) => m.content).catch(() => null);
    assert.equal(got, want.description, `meta description on ${routePath}`);
  }
}
