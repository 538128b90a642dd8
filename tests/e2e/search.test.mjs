// Search as you type, on the sample blog and on the generated 10,000-post blog: the box in
// the header, the /search?q=… results (ranked, narrowed by ?tags=, excerpts with the
// matched words in <mark>), the address and history, the keyboard, and that nothing is
// fetched for search before the box is focused.
//
// Expectations come from the posts themselves (content/posts/*.md for the sample blog, the
// built index.json for the generated one), not from the engine.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { useBrowser } from './lib/browser.mjs';
import { corpusSite, sampleSite } from './lib/site.mjs';
import { location, open, withTags } from './lib/app.mjs';

const session = useBrowser();
const BOX = 'header.site-header form[role="search"] input#search-q';
const isSearchFile = (url) => /\/data\/(m|x)-[^/]+\.bin$/.test(new URL(url).pathname);

/** The slugs of the results shown, in order. */
function resultSlugs(page) {
  return page.$$eval('main .search-results li.search-result', (lis) => lis.map((li) => li.dataset.post));
}

/** Waits until the results are those of the text now in the box (no fetch pending). */
async function answered(page, { timeout = 15000 } = {}) {
  await page.waitForFunction(
    () => {
      const ol = document.querySelector('main .search-results');
      const status = document.querySelector('main .search-status')?.textContent ?? '';
      return ol && ol.getAttribute('aria-busy') === 'false' && !/Searching/.test(status) && !ol.querySelector('.excerpt.loading');
    },
    null,
    { timeout },
  );
}

/** Focuses the box, types `text` key by key, waits for the answer; returns the slugs. */
async function search(page, text, { clear = true } = {}) {
  const box = page.locator(BOX);
  await box.focus();
  if (clear) await box.fill('');
  await box.pressSequentially(text);
  await answered(page);
  return resultSlugs(page);
}

describe('the sample blog', () => {
  let site;
  const KYOTO = 'kyoto-in-the-rainy-season';
  const LISBON = 'cafe-hopping-in-lisbon';
  before(async () => {
    site = await sampleSite();
  });
  after(() => site?.server.close());

  test('every page has a labelled search landmark, also in the route files', async () => {
    const s = await session.open();
    await open(s, site.server.url('/post/' + KYOTO));
    const form = s.page.locator('header.site-header form[role="search"]');
    assert.equal(await form.count(), 1);
    assert.equal(await form.getAttribute('aria-label'), 'Search posts');
    assert.equal(await form.getAttribute('method'), 'get');
    assert.equal(new URL(await form.evaluate((f) => f.action)).pathname, '/search/');
    assert.equal(await s.page.locator(BOX).getAttribute('name'), 'q');
    // Without JavaScript: the route file's form leads to the prerendered search page.
    const ctx = await session.browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await ctx.newPage();
      await page.goto(site.server.url('/'));
      await page.locator(BOX).fill('moss');
      await Promise.all([page.waitForURL(/\/search\/\?q=moss$/), page.locator(BOX).press('Enter')]);
      assert.equal((await page.locator('main h1').textContent()).trim(), 'Search');
      assert.equal(await page.locator(BOX).count(), 1);
    } finally {
      await ctx.close();
    }
  });

  test('nothing is fetched for search before the box is focused', async () => {
    const s = await session.open();
    await open(s, site.server.url('/'));
    await s.idle();
    assert.deepEqual(s.requests.filter((r) => isSearchFile(r.url)), [], 'no search file before focus');
    const mark = s.requests.length;
    await s.page.locator(BOX).focus();
    await s.idle({ quiet: 300 });
    // The release build splits search's code into a Wasm chunk of its own: it comes with the
    // manifest, and not before.
    const onFocus = s.requestsSince(mark).map((r) => new URL(r.url).pathname).sort();
    assert.equal(onFocus.length, 2, `focus fetches search's code and the manifest: ${onFocus}`);
    assert.match(onFocus[0], /\/data\/m-[^/]+\.bin$/);
    assert.match(onFocus[1], /\/split_search-[0-9a-f]{16}\.wasm$/);
    const first = s.requests.slice(0, mark).map((r) => new URL(r.url).pathname);
    assert.ok(!first.some((p) => /\/split_[^/]*\.wasm$/.test(p)), `no chunk before focus: ${first}`);
    const typed = s.requests.length;
    await search(s.page, 'moss', { clear: false });
    assert.ok(
      s.requestsSince(typed).some((r) => /\/data\/x-[^/]+\.bin$/.test(r.url)),
      'typing fetches a shard',
    );
  });

  test("if search's code cannot be loaded, the page says so and the rest of the app works", async () => {
    const unfault = site.server.fault(/\/split_[^/]*\.wasm$/, { status: 500 });
    try {
      const s = await session.open();
      // The failed fetch, and the loader's report of it.
      s.allow(/status of 500 .*split_search-[0-9a-f]+\.wasm|HTTP status code is not ok .*__wasm_split-/);
      await open(s, site.server.url('/'));
      const box = s.page.locator(BOX);
      await box.focus();
      await box.pressSequentially('moss');
      await s.page.waitForFunction(
        () => /not available/.test(document.querySelector('main .search-status')?.textContent ?? ''),
        null,
        { timeout: 15000 },
      );
      assert.equal(
        await s.page.locator('main .search-status').textContent(),
        'Search is not available: its code could not be loaded.',
      );
      assert.equal(await location(s.page, site.server.base), '/search?q=moss');
      // The app is still live: a link in the header leads to the tag cloud.
      await s.page.locator('header.site-header nav a[href="/tags"]').click();
      await s.page.waitForFunction(() => document.querySelector('main h1')?.textContent === 'Tags', null, { timeout: 15000 });
      assert.equal(await s.page.evaluate(() => document.documentElement.dataset.app), 'live');
    } finally {
      unfault();
    }
  });

  test('a word in a post body finds it, with the word marked in the excerpt as text', async () => {
    const s = await session.open();
    await open(s, site.server.url('/'));
    const slugs = await search(s.page, 'arashiyama ');
    assert.deepEqual(slugs, [KYOTO]);
    assert.equal(await location(s.page, site.server.base), '/search?q=arashiyama ');
    const result = s.page.locator('main li.search-result').first();
    const marks = await result.locator('.excerpt mark').allTextContents();
    assert.ok(marks.length >= 1 && marks.every((m) => m.toLowerCase() === 'arashiyama'), `marks: ${marks}`);
    assert.match(await result.locator('.excerpt').textContent(), /first train of the morning to Arashiyama/);
    assert.equal((await result.locator('h2 a').textContent()).trim(), 'Kyoto in the rainy season (梅雨)');
    assert.equal(new URL(await result.locator('h2 a').evaluate((a) => a.href)).pathname, `/post/${KYOTO}`);
    assert.equal(await result.locator('time[datetime]').getAttribute('datetime'), '2024-06-07');
    assert.deepEqual(await result.locator('a.tag').allTextContents(), ['日本', 'trains', 'Travel Notes']);
    assert.equal(await s.page.locator('main .search-status[role="status"][aria-live="polite"]').textContent(), '1 post found');
  });

  test('case and diacritics are folded', async () => {
    const s = await session.open();
    await open(s, site.server.url('/'));
    for (const q of ['CAFE ', 'café ', 'Cafe ']) {
      const slugs = await search(s.page, q);
      assert.ok(slugs.includes(LISBON), `${q} finds the Lisbon post: ${slugs}`);
    }
    const marks = await s.page.locator(`main li[data-post="${LISBON}"] h2 mark`).allTextContents();
    assert.deepEqual(marks, ['Café'], 'the title marks "Café" for "Cafe"');
  });

  test('the last word is a prefix while typing', async () => {
    const s = await session.open();
    await open(s, site.server.url('/'));
    assert.deepEqual(await search(s.page, 'arashi'), [KYOTO]);
    assert.ok((await search(s.page, 'sourd')).includes('sourdough-without-the-fuss'));
    // The whole word only, once a space follows it.
    assert.deepEqual(await search(s.page, 'arashi '), []);
    assert.equal(await s.page.locator('main .search-status').textContent(), 'No post found');
  });

  test('a keystroke that keeps a result keeps its element and redraws only its marks', async () => {
    const s = await session.open();
    await open(s, site.server.url('/'));
    assert.deepEqual(await search(s.page, 'arash'), [KYOTO]);
    // Tag the result's nodes; the next letter keeps the post, so they must survive it.
    await s.page.evaluate(() => {
      const li = document.querySelector('main li.search-result');
      li.dataset.kept = 'yes';
      li.querySelector('time').dataset.kept = 'yes';
    });
    assert.deepEqual(await search(s.page, 'i', { clear: false }), [KYOTO]);
    const kept = await s.page.evaluate(() => {
      const li = document.querySelector('main li.search-result');
      return {
        li: li.dataset.kept,
        time: li.querySelector('time').dataset.kept,
        marks: [...li.querySelectorAll('.excerpt mark')].map((m) => m.textContent.toLowerCase()),
      };
    });
    assert.equal(kept.li, 'yes', 'the result element was rebuilt');
    assert.equal(kept.time, 'yes', 'the result date was rebuilt');
    assert.ok(kept.marks.length > 0 && kept.marks.every((m) => m.startsWith('arashi')), `marks: ${kept.marks}`);
  });

  test('a quoted phrase matches the words next to each other only', async () => {
    const s = await session.open();
    await open(s, site.server.url('/'));
    assert.deepEqual(await search(s.page, '"moss gardens"'), [KYOTO]);
    assert.deepEqual(await search(s.page, '"gardens moss"'), []);
    assert.deepEqual(await search(s.page, 'gardens moss'), [KYOTO], 'unquoted, the words may stand apart');
  });

  test('a CJK word finds its post', async () => {
    const s = await session.open();
    await open(s, site.server.url('/'));
    assert.deepEqual(await search(s.page, '梅雨'), [KYOTO]);
    const marks = await s.page.locator('main li.search-result .excerpt mark').allTextContents();
    assert.ok(marks.includes('梅雨'), `marks: ${marks}`);
  });

  test('?q= with ?tags= narrows both ways', async () => {
    const s = await session.open();
    await open(s, site.server.url('/search?q=trains'));
    await answered(s.page);
    const all = await resultSlugs(s.page);
    assert.ok(all.length >= 3 && all.includes(KYOTO), `trains: ${all}`);
    const { index } = site;
    const pos = (slug) => index.posts.findIndex((p) => p.slug === slug);
    for (const tags of [['café'], ['café', 'coffee'], ['trains']]) {
      await open(s, site.server.url(`/search?q=trains&tags=${tags.map(encodeURIComponent).join(',')}`));
      await answered(s.page);
      const narrowed = await resultSlugs(s.page);
      const keep = new Set(withTags(index, all.map(pos), tags));
      assert.deepEqual(narrowed, all.filter((slug) => keep.has(pos(slug))), `trains with ${tags}`);
      assert.ok(narrowed.length > 0 && narrowed.length <= all.length);
      assert.equal(await s.page.locator(BOX).inputValue(), 'trains');
      assert.match(await s.page.locator('main .search-tags').textContent(), /Only posts tagged/);
    }
  });

  test('back and forward step between searches, not letters', async () => {
    const s = await session.open();
    const { page } = s;
    await open(s, site.server.url('/'));
    const before = await page.evaluate(() => history.length);
    await search(page, 'moss', { clear: false });
    assert.equal(await location(page, site.server.base), '/search?q=moss');
    assert.equal(await page.evaluate(() => history.length), before + 1, 'one history entry for the whole word');
    await page.locator(`main li[data-post="${KYOTO}"] h2 a`).click();
    await page.waitForSelector('main article.post');
    assert.equal(await location(page, site.server.base), `/post/${KYOTO}`);
    assert.equal(await page.locator(BOX).inputValue(), '', 'the box is empty away from the search page');
    await page.goBack();
    await page.waitForFunction(() => location.pathname === '/search');
    await answered(page);
    assert.equal(await page.locator(BOX).inputValue(), 'moss');
    assert.deepEqual(await resultSlugs(page), [KYOTO]);
    await page.goBack();
    await page.waitForFunction(() => location.pathname === '/');
    await page.waitForSelector('main article.post-summary');
    assert.equal(await page.locator(BOX).inputValue(), '');
    await page.goForward();
    await page.waitForFunction(() => location.pathname === '/search');
    await answered(page);
    assert.equal(await page.locator(BOX).inputValue(), 'moss');
    assert.deepEqual(await resultSlugs(page), [KYOTO]);
  });

  test('markup in a query is text: no element is created', async () => {
    const s = await session.open();
    const { page } = s;
    await open(s, site.server.url('/'));
    await search(page, '<b>moss</b> <img src=x onerror=alert(1)>');
    assert.equal(await page.locator('main b, main img, header b, header img').count(), 0);
    assert.match(await page.locator('main .search-for').textContent(), /<b>moss<\/b> <img src=x onerror=alert\(1\)>/);
    // Highlights are <mark> elements around words: nothing else inside the excerpts.
    await search(page, 'moss');
    const tags = await page.$$eval('main .search-results .excerpt *', (els) => [...new Set(els.map((e) => e.tagName))]);
    assert.deepEqual(tags, ['MARK']);
  });

  test('/ focuses the box, Escape clears it, arrows walk the results', async () => {
    const s = await session.open();
    const { page } = s;
    await open(s, site.server.url('/archive'));
    await page.locator('main h1').click();
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'search-q');
    assert.equal(await page.locator(BOX).inputValue(), '', 'the slash is not typed into the box');
    await page.keyboard.type('trains');
    await answered(page);
    const slugs = await resultSlugs(page);
    assert.ok(slugs.length >= 2);
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement?.closest('li')?.dataset.post), slugs[0]);
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement?.closest('li')?.dataset.post), slugs[1]);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'search-q');
    await page.keyboard.press('Escape');
    assert.equal(await page.locator(BOX).inputValue(), '');
    await page.waitForFunction(() => document.querySelectorAll('main .search-results li').length === 0);
    assert.equal(await location(page, site.server.base), '/search');
    // In a text field, / is just a character.
    await page.keyboard.type('a/b');
    assert.equal(await page.locator(BOX).inputValue(), 'a/b');
  });
});

describe('the generated 10,000-post blog', () => {
  const POSTS = 10000;
  let site;
  before(
    async () => {
      site = await corpusSite(POSTS);
    },
    { timeout: 600_000 },
  );
  after(() => site?.cleanup());

  test('excerpts come from the route files of the results, not their chunks of bodies', async () => {
    const s = await session.open();
    const { index } = site;
    // The tags page asks for no chunk, and this blog is too big to prefetch them all.
    await open(s, site.server.url('/tags'));
    await s.idle();
    const post = index.posts[4321];
    const number = post.title.split(' ').pop();
    const mark = s.requests.length;
    const slugs = await search(s.page, `${number} `);
    assert.equal(slugs[0], post.slug);
    const paths = s.requestsSince(mark).map((r) => new URL(r.url).pathname);
    assert.ok(paths.includes(`/post/${post.slug}/index.html`), `the route file is fetched: ${paths}`);
    const chunks = new Set([...index.bodies, ...index.summaries].map((name) => `/data/${name}`));
    assert.deepEqual(paths.filter((p) => chunks.has(p)), [], 'no chunk is fetched');
    // The excerpt is text of the post's body, as its page shows it.
    const excerpt = (await s.page.locator('main li.search-result .excerpt').first().textContent())
      .replace(/^… | …$/g, '');
    const body = await s.page.evaluate(async (url) => {
      const html = await (await fetch(url)).text();
      return new DOMParser().parseFromString(html, 'text/html').querySelector('main .post-body').textContent;
    }, `/post/${post.slug}/index.html`);
    assert.ok(excerpt.length > 40 && body.includes(excerpt), `excerpt ${JSON.stringify(excerpt)}`);
  });

  test('a post is the top result for its own title words and number', async () => {
    const s = await session.open();
    const { index } = site;
    await open(s, site.server.url('/'));
    // Titles are "Word word word N" with N unique: the number only in that post's title.
    for (const pos of [3, 4321, POSTS - 2]) {
      const post = index.posts[pos];
      const words = post.title.split(/\s+/);
      const query = `${words[0].toLowerCase()} ${words[1]} ${words[words.length - 1]} `;
      const slugs = await search(s.page, query);
      assert.equal(slugs[0], post.slug, `top result for "${query}"`);
    }
  });

  test('a deep link with ?q= answers without focusing the box', async () => {
    const s = await session.open();
    const post = site.index.posts[777];
    const num = post.title.split(/\s+/).pop();
    await open(s, site.server.url(`/search?q=${encodeURIComponent(num)}`));
    await answered(s.page);
    assert.equal((await resultSlugs(s.page))[0], post.slug);
  });
});
