//! The app's view models: what a page shows, computed from the index with the core's
//! route table and filters. Plain Rust with no browser or Leptos types, so it is tested
//! natively (`cargo test -p quire-app`); the components in `views/` lay these out.

use quire_core::{Index, Route, TermKind, filter};

/// Where the reader is: the route, and the tag selection from `?tags=`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub route: Route,
    pub tags: Vec<String>,
}

impl Location {
    /// From the browser's `location.pathname` and `location.search`, under `base`.
    pub fn parse(pathname: &str, search: &str, base: &str) -> Location {
        Location {
            route: Route::from_location(pathname, base),
            tags: filter::tags_from_query(search),
        }
    }
}

/// The site's base path (`/`, `/blog/`) from the path part of `document.baseURI`:
/// everything up to and including the last `/`.
pub fn base_path(base_uri_path: &str) -> String {
    match base_uri_path.rfind('/') {
        Some(i) => base_uri_path[..=i].to_string(),
        None => "/".to_string(),
    }
}

/// The path of an absolute URL (`https://host/blog/?q#f` → `/blog/`).
pub fn url_path(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let rest = &url[after_scheme..];
    let path = rest.find('/').map_or("/", |i| &rest[i..]);
    path.split(['?', '#']).next().unwrap_or("/")
}

/// The in-app target of a same-origin link, or `None` when the path is not one of the
/// app's routes (the feed, data files, anything outside the base): those load normally.
pub fn internal_target(pathname: &str, search: &str, base: &str) -> Option<Location> {
    let loc = Location::parse(pathname, search, base);
    (loc.route != Route::NotFound).then_some(loc)
}

/// The site title to show while the index loads, guessed from the document title the CLI
/// wrote into the route file (`Heading · Site` or just `Site`).
pub fn title_hint(document_title: &str) -> String {
    let site = match document_title.rfind(" · ") {
        Some(i) => &document_title[i + " · ".len()..],
        None => document_title,
    };
    site.trim().to_string()
}

/// The route as it will be shown: [`Route::NotFound`] for a post or term that does not
/// exist, or a list page past the last one.
pub fn resolve(index: &Index, route: &Route) -> Route {
    let exists = match route {
        Route::Home { page } => *page <= index.page_count(index.posts.len()),
        Route::Post { slug } => index.post_position(slug).is_some(),
        Route::Term { kind, slug, page } => index
            .term_position(*kind, slug)
            .is_some_and(|t| *page <= index.page_count(index.terms(*kind)[t].posts.len())),
        Route::Tags | Route::Archive | Route::Search | Route::NotFound => true,
    };
    if exists {
        route.clone()
    } else {
        Route::NotFound
    }
}

/// Which view shows a route: the resolved route, with list pages folded onto page 1 so
/// that paging or filtering a list updates the list in place instead of replacing it.
pub fn view_key(index: &Index, route: &Route) -> Route {
    match resolve(index, route) {
        r @ (Route::Home { .. } | Route::Term { .. }) => r.with_page(1),
        r => r,
    }
}

/// Which view shows a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// Home, or a tag, category or author page (which one, and the page, are read from
    /// the route inside the view, so moving between lists updates the list in place).
    List,
    /// The post at this position.
    Post(usize),
    Tags,
    Archive,
    /// Search results for `?q=` (narrowed by `?tags=`).
    Search,
    NotFound,
}

impl View {
    pub fn of(index: &Index, route: &Route) -> View {
        match resolve(index, route) {
            Route::Home { .. } | Route::Term { .. } => View::List,
            Route::Post { slug } => index
                .post_position(&slug)
                .map_or(View::NotFound, View::Post),
            Route::Tags => View::Tags,
            Route::Archive => View::Archive,
            Route::Search => View::Search,
            Route::NotFound => View::NotFound,
        }
    }
}

/// The nav entry a route belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Home,
    Tags,
    Archive,
    Other,
}

impl Section {
    pub fn of(route: &Route) -> Section {
        match route {
            Route::Home { .. } => Section::Home,
            Route::Tags
            | Route::Term {
                kind: TermKind::Tag,
                ..
            } => Section::Tags,
            Route::Archive => Section::Archive,
            _ => Section::Other,
        }
    }
}

/// The text of an empty list page: why nothing is listed.
pub fn empty_text(nothing_at_all: bool, page: u32, pages: u32, selected: usize) -> String {
    if nothing_at_all {
        "No posts yet.".into()
    } else if page > pages {
        format!("There is no page {page} of this selection.")
    } else if selected > 1 {
        "No post has all of the selected tags.".into()
    } else {
        "No post has the selected tag.".into()
    }
}

/// "3 posts with all 2 tags" under the filter.
pub fn filter_status(matching: usize, selected: usize) -> String {
    let which = match selected {
        1 => "with this tag".to_string(),
        n => format!("with all {n} tags"),
    };
    format!("{} {which}", posts_label(matching))
}

/// The lede under a list page's heading.
pub fn list_lede(index: &Index, route: &Route, listed: usize) -> String {
    match route {
        Route::Home { page: 1 } => index.site.description.clone(),
        Route::Term { .. } => posts_label(listed),
        _ => String::new(),
    }
}

/// A post's summary as a list page shows it (ids scoped to the post, so that the
/// summaries on one page never share an id). Used by the app and the prerenderer alike.
pub fn summary_html(markdown: &str, policy: quire_core::RawHtml, pos: usize) -> String {
    quire_core::markdown::render_scoped(markdown, policy, &format!("s{pos}"))
}

/// A post's body as its page shows it.
pub fn body_html(markdown: &str, policy: quire_core::RawHtml) -> String {
    quire_core::markdown::render(markdown, policy)
}

/// The page number of a list route (1 for every other route).
pub fn page_of(route: &Route) -> u32 {
    match route {
        Route::Home { page } | Route::Term { page, .. } => *page,
        _ => 1,
    }
}

/// The link to a list route with a tag selection: `/tag/x/page/2?tags=a,b`.
pub fn list_href(route: &Route, base: &str, tags: &[String]) -> String {
    format!("{}{}", route.href(base), filter::query_from_tags(tags))
}

/// The link that toggles `slug` in the selection of a list: back to page 1 of the same
/// list, since the filtered list has other pages.
pub fn toggle_href(route: &Route, base: &str, selected: &[String], slug: &str) -> String {
    list_href(&route.with_page(1), base, &filter::toggle(selected, slug))
}

/// A tag offered as a filter toggle on a list page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Toggle {
    pub slug: String,
    pub name: String,
    /// Position in [`Index::tags`]; `None` for a selected slug the index does not know.
    pub tag: Option<u32>,
}

/// What a list route lists before any tag filter, and which tags it offers as toggles.
/// Computed once per list route; the selection only narrows it.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ListBase {
    /// Positions in [`Index::posts`], newest first.
    pub list: Vec<u32>,
    /// Every tag carried by a post of the list, in the tag cloud's order (most used on the
    /// site first), so toggles keep their places however the list is narrowed.
    pub toggles: Vec<Toggle>,
    /// How many posts of the list carry each tag, by position in [`Index::tags`].
    pub counts: Vec<u32>,
}

impl ListBase {
    /// `None` for routes that are not lists, or terms that do not exist.
    pub fn new(index: &Index, route: &Route) -> Option<ListBase> {
        let list = filter::base_list(index, route)?;
        let counts = filter::tag_counts(index, &list);
        let toggles = filter::tags_by_count(index)
            .into_iter()
            .filter(|&t| counts[t] > 0)
            .map(|t| Toggle {
                slug: index.tags[t].slug.clone(),
                name: index.tags[t].name.clone(),
                tag: Some(t as u32),
            })
            .collect();
        Some(ListBase {
            list,
            toggles,
            counts,
        })
    }

    /// The selected slugs the list's own toggles lack: a tag no post of this list carries,
    /// or one the index does not know. They are shown too, so that every selected tag can be
    /// switched off again.
    fn extra_selected<'a>(&'a self, selected: &'a [String]) -> impl Iterator<Item = &'a String> {
        selected
            .iter()
            .filter(|s| !self.toggles.iter().any(|t| &t.slug == *s))
    }

    /// How many toggles the list has for a selection, folded or not: its own tags and the
    /// selected slugs they lack.
    pub fn toggle_count(&self, selected: &[String]) -> usize {
        self.toggles.len() + self.extra_selected(selected).count()
    }

    /// The toggles to show for a selection: the list's own tags, then the selected slugs
    /// they lack. Unless `expanded`, a long tail is folded: only the first
    /// [`FOLDED_TOGGLES`] and every selected one beyond them are shown (so any selection
    /// can be switched off where it is seen). Only shown toggles are cloned: a click on a
    /// list with hundreds of tags copies a few dozen.
    pub fn toggles_shown(&self, index: &Index, selected: &[String], expanded: bool) -> Vec<Toggle> {
        let fold = !expanded && self.toggle_count(selected) > FOLDED_TOGGLES;
        let own = self
            .toggles
            .iter()
            .enumerate()
            .filter(|(i, t)| !fold || *i < FOLDED_TOGGLES || selected.contains(&t.slug))
            .map(|(_, t)| t.clone());
        let extra = self.extra_selected(selected).map(|slug| {
            let tag = index.term_position(TermKind::Tag, slug);
            Toggle {
                slug: slug.clone(),
                name: tag.map_or_else(|| slug.clone(), |t| index.tags[t].name.clone()),
                tag: tag.map(|t| t as u32),
            }
        });
        own.chain(extra).collect()
    }
}

/// How many toggles a list shows before the reader asks for all of them: its most used
/// tags. Hundreds of toggles are more than a reader scans, and each costs layout on every
/// click; the rest are one button away.
pub const FOLDED_TOGGLES: usize = 24;

/// The label of the button that shows or folds a list's long tail of toggles.
pub fn more_tags_label(total: usize, expanded: bool) -> String {
    if expanded {
        "Fewer tags".into()
    } else {
        format!("All {total} tags")
    }
}

/// A list narrowed by a selection, with each tag's count in it (computed once per
/// selection, for every toggle at once).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Filtered {
    pub list: Vec<u32>,
    /// By position in [`Index::tags`].
    pub counts: Vec<u32>,
}

impl Filtered {
    pub fn new(index: &Index, base: &ListBase, selected: &[String]) -> Filtered {
        if selected.is_empty() {
            return Filtered {
                list: base.list.clone(),
                counts: base.counts.clone(),
            };
        }
        let list = filter::apply(index, &base.list, selected);
        let counts = filter::tag_counts(index, &list);
        Filtered { list, counts }
    }

    /// How many posts of the filtered list carry a toggle's tag.
    pub fn count(&self, toggle: &Toggle) -> u32 {
        toggle.tag.map_or(0, |t| self.counts[t as usize])
    }
}

/// The summary chunks (positions in [`Index::summaries`]) holding these posts, each once.
pub fn summary_chunks(index: &Index, posts: &[u32]) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for &p in posts {
        let (chunk, _) = index.summary_location(p as usize);
        if !out.contains(&chunk) {
            out.push(chunk);
        }
    }
    out
}

/// A tag cloud weight from 1 to 5 for a tag with `count` posts when the largest tag has
/// `max`: relative steps, so a blog with one big tag still shows contrast.
pub fn cloud_weight(count: usize, max: usize) -> u8 {
    if max <= 1 || count == 0 {
        return 1;
    }
    // log2 in quarter steps, in integers (floating-point logarithms cost Wasm bytes).
    let quarter_log2 = |n: usize| (n as u128).pow(4).ilog2();
    let (c, m) = (quarter_log2(count.min(max)), quarter_log2(max));
    1 + ((8 * c + m) / (2 * m)).min(4) as u8
}

/// `March 2024` for an archive group; "Undated" for posts without a readable date.
pub fn month_heading(year: i32, month: u32) -> String {
    if month == 0 {
        "Undated".into()
    } else {
        format!("{} {year}", quire_core::date::month_name(month))
    }
}

/// `4 min read`.
pub fn reading_label(words: u32) -> String {
    format!("{} min read", quire_core::text::reading_minutes(words))
}

/// "Page N of M".
pub fn page_label(page: u32, pages: u32) -> String {
    format!("Page {page} of {pages}")
}

/// The search text from a query string (`?q=caf%C3%A9+au&tags=x`): `+` is a space and
/// `%XX` escapes are decoded, as a plain HTML form sends them. Empty without `q=`.
pub fn query_text(query: &str) -> String {
    let query = query.strip_prefix('?').unwrap_or(query);
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("q="))
        .map(|v| quire_core::route::decode_path(&v.replace('+', " ")))
        .unwrap_or_default()
}

/// The link to the search page for a text and a tag selection: `/search?q=…&tags=a,b`
/// (`/search` alone for an empty text and no tags).
pub fn search_href(base: &str, text: &str, tags: &[String]) -> String {
    let mut out = Route::Search.href(base);
    let mut sep = '?';
    if !text.is_empty() {
        out.push_str("?q=");
        for b in text.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        sep = '&';
    }
    let tags = filter::query_from_tags(tags);
    if let Some(rest) = tags.strip_prefix('?') {
        out.push(sep);
        out.push_str(rest);
    }
    out
}

/// What a search page shows of the ranked hits (positions in [`Index::posts`]).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SearchPage {
    /// The results to show, best first.
    pub shown: Vec<u32>,
    /// How many posts match (a lower bound while `complete` is false).
    pub total: usize,
    /// False while phrase checks wait for posts' texts.
    pub complete: bool,
}

/// The hits carrying every selected tag (an unknown tag: none), in rank order, then at
/// most `limit` of them. `verify(post)` checks a phrase query on the post's text: `None`
/// while the text is not in yet. Without phrases pass `None` for `verify`: every hit
/// counts. With them, hits are checked in rank order until `limit` are confirmed, so
/// `total` counts the confirmed ones and `complete` says whether every hit was checked.
pub fn search_page(
    index: &Index,
    hits: &[u32],
    tags: &[String],
    limit: usize,
    verify: Option<&dyn Fn(u32) -> Option<bool>>,
) -> SearchPage {
    let mut sets: Vec<&[u32]> = Vec::new();
    for slug in tags {
        match index.term_position(TermKind::Tag, slug) {
            Some(t) => sets.push(&index.tags[t].posts),
            None => return SearchPage::default_complete(),
        }
    }
    // Term post lists are ascending: a binary search per hit.
    let narrowed = hits
        .iter()
        .copied()
        .filter(|p| sets.iter().all(|s| s.binary_search(p).is_ok()));
    let Some(verify) = verify else {
        let all: Vec<u32> = narrowed.collect();
        return SearchPage {
            total: all.len(),
            shown: all.into_iter().take(limit).collect(),
            complete: true,
        };
    };
    let mut page = SearchPage::default_complete();
    for p in narrowed {
        if page.shown.len() >= limit {
            page.complete = false;
            break;
        }
        match verify(p) {
            Some(true) => page.shown.push(p),
            Some(false) => {}
            None => {
                page.complete = false;
                break;
            }
        }
    }
    page.total = page.shown.len();
    page
}

impl SearchPage {
    fn default_complete() -> SearchPage {
        SearchPage {
            complete: true,
            ..SearchPage::default()
        }
    }
}

/// What the live region says about a search: "3 posts found", "No post found",
/// "At least 20 posts found" while phrases are still being checked.
pub fn search_status(page: &SearchPage) -> String {
    match (page.total, page.complete) {
        (0, true) => "No post found".into(),
        (0, false) => "Searching…".into(),
        (n, true) => format!("{} found", posts_label(n)),
        (n, false) => format!("At least {} found", posts_label(n)),
    }
}

/// Splits `text` at the byte ranges `spans` (ascending, not overlapping, on character
/// boundaries): `(piece, is a match)` in order, for laying out highlighted words as
/// text nodes. Ranges outside the text are ignored.
pub fn split_marked(text: &str, spans: &[std::ops::Range<usize>]) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut at = 0;
    for r in spans {
        if r.start < at || r.end > text.len() || r.start >= r.end {
            continue;
        }
        let (Some(before), Some(hit)) = (text.get(at..r.start), text.get(r.start..r.end)) else {
            continue;
        };
        if !before.is_empty() {
            out.push((before.to_string(), false));
        }
        out.push((hit.to_string(), true));
        at = r.end;
    }
    if at < text.len() {
        out.push((text[at..].to_string(), false));
    }
    out
}

/// "3 posts" / "1 post".
pub fn posts_label(n: usize) -> String {
    format!("{n} post{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use quire_core::bundle::BodyRef;
    use quire_core::{PostMeta, RawHtml, SCHEMA_VERSION, Site, Term};

    /// Five posts, newest first; tags: rust (0,1,3), wasm (0,2), web (4); two per page.
    fn index() -> Index {
        let post = |slug: &str, date: &str, tags: Vec<u32>| PostMeta {
            slug: slug.into(),
            title: slug.to_uppercase(),
            date: date.into(),
            updated: None,
            author: 0,
            tags,
            categories: vec![0],
            words: 500,
            body: BodyRef { chunk: 0, slot: 0 },
        };
        let term = |slug: &str, name: &str, posts: Vec<u32>| Term {
            slug: slug.into(),
            name: name.into(),
            posts,
        };
        Index {
            schema: SCHEMA_VERSION,
            site: Site {
                title: "Site".into(),
                description: "About".into(),
                author: None,
                base_url: None,
                posts_per_page: 2,
                language: "en".into(),
                social: vec![],
                raw_html: RawHtml::default(),
            },
            posts: vec![
                post("e", "2024-05-01", vec![0, 1]),
                post("d", "2024-04-01", vec![0]),
                post("c", "2024-04-01", vec![1]),
                post("b", "2023-01-01", vec![0]),
                post("a", "2022-01-01", vec![2]),
            ],
            tags: vec![
                term("rust", "Rust", vec![0, 1, 3]),
                term("wasm", "Wasm", vec![0, 2]),
                term("web", "Web", vec![4]),
            ],
            categories: vec![term("work", "Work", vec![0, 1, 2, 3, 4])],
            authors: vec![term("ada", "Ada", vec![0, 1, 2, 3, 4])],
            summary_chunk: 2,
            summaries: vec!["s-0.json".into(), "s-1.json".into(), "s-2.json".into()],
            bodies: vec!["b-0.json".into()],
            chunk_bytes: 100,
            search: None,
        }
    }

    #[test]
    fn search_links_round_trip() {
        assert_eq!(search_href("/", "", &[]), "/search");
        assert_eq!(
            search_href("/blog/", "café au", &[]),
            "/blog/search?q=caf%C3%A9%20au"
        );
        let href = search_href("/", "a&b=c \"<x>\"", &tags(&["rust", "web"]));
        assert_eq!(href, "/search?q=a%26b%3Dc%20%22%3Cx%3E%22&tags=rust,web");
        let (path, query) = href.split_once('?').unwrap();
        let loc = Location::parse(path, query, "/");
        assert_eq!(loc.route, Route::Search);
        assert_eq!(loc.tags, tags(&["rust", "web"]));
        assert_eq!(query_text(query), "a&b=c \"<x>\"");
        assert_eq!(search_href("/", "", &tags(&["web"])), "/search?tags=web");
        // What a plain HTML form sends.
        assert_eq!(query_text("?q=caf%C3%A9+au+lait&tags=x"), "café au lait");
        assert_eq!(query_text("?tags=x"), "");
        assert_eq!(query_text("?tags=x&q=%zz"), "%zz");
        assert_eq!(View::of(&index(), &Route::Search), View::Search);
        assert_eq!(resolve(&index(), &Route::Search), Route::Search);
    }

    #[test]
    fn search_pages_narrow_by_tags_and_check_phrases() {
        let index = index();
        let hits = [4, 2, 0, 3, 1];
        let all = search_page(&index, &hits, &[], 3, None);
        assert_eq!(all.shown, vec![4, 2, 0]);
        assert_eq!((all.total, all.complete), (5, true));
        // rust is on 0, 1, 3: rank order kept.
        let rust = search_page(&index, &hits, &tags(&["rust"]), 10, None);
        assert_eq!(rust.shown, vec![0, 3, 1]);
        let both = search_page(&index, &hits, &tags(&["rust", "wasm"]), 10, None);
        assert_eq!(both.shown, vec![0]);
        let unknown = search_page(&index, &hits, &tags(&["nope"]), 10, None);
        assert_eq!((unknown.total, unknown.complete), (0, true));
        assert_eq!(search_status(&unknown), "No post found");
        // Phrases: 2 fails its check, 3's text is not in yet.
        let verify = |p: u32| match p {
            2 => Some(false),
            3 => None,
            _ => Some(true),
        };
        let checked = search_page(&index, &hits, &[], 10, Some(&verify));
        assert_eq!(checked.shown, vec![4, 0]);
        assert!(!checked.complete);
        assert_eq!(search_status(&checked), "At least 2 posts found");
        let enough = search_page(&index, &hits, &[], 1, Some(&verify));
        assert_eq!(enough.shown, vec![4]);
        let done = search_page(&index, &[4, 2], &[], 10, Some(&verify));
        assert_eq!((done.shown.clone(), done.complete), (vec![4], true));
        assert_eq!(search_status(&done), "1 post found");
    }

    #[test]
    fn marked_pieces_cover_the_text() {
        let text = "a <b>café</b> b";
        let pieces = split_marked(text, &[2..5, 6..11, 3..4, 40..50]);
        assert_eq!(
            pieces,
            vec![
                ("a ".to_string(), false),
                ("<b>".to_string(), true),
                ("c".to_string(), false),
                ("afé<".to_string(), true),
                ("/b> b".to_string(), false),
            ]
        );
        let joined: String = pieces.iter().map(|p| p.0.as_str()).collect();
        assert_eq!(joined, text);
        assert_eq!(split_marked("x", &[]), vec![("x".to_string(), false)]);
        // A range off a character boundary is skipped, not a panic.
        let off_boundary = std::ops::Range { start: 0, end: 1 };
        assert_eq!(
            split_marked("é", std::slice::from_ref(&off_boundary)),
            vec![("é".to_string(), false)]
        );
    }

    fn tags(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn tag_route(slug: &str, page: u32) -> Route {
        Route::Term {
            kind: TermKind::Tag,
            slug: slug.into(),
            page,
        }
    }

    #[test]
    fn locations_under_a_base() {
        let loc = Location::parse("/blog/tag/rust/page/2", "?tags=wasm,web", "/blog/");
        assert_eq!(loc.route, tag_route("rust", 2));
        assert_eq!(loc.tags, tags(&["wasm", "web"]));
        assert_eq!(
            Location::parse("/other/", "", "/blog/").route,
            Route::NotFound
        );
        assert_eq!(base_path("/blog/"), "/blog/");
        assert_eq!(base_path("/blog/index.html"), "/blog/");
        assert_eq!(base_path("/"), "/");
        assert_eq!(base_path(""), "/");
        assert_eq!(url_path("http://127.0.0.1:8099/blog/"), "/blog/");
        assert_eq!(
            url_path("https://example.org/blog/post/x?tags=a#h"),
            "/blog/post/x"
        );
        assert_eq!(url_path("https://example.org"), "/");
    }

    #[test]
    fn only_app_routes_are_handled_in_app() {
        assert!(internal_target("/blog/post/x", "", "/blog/").is_some());
        assert!(internal_target("/blog/", "?tags=a", "/blog/").is_some());
        assert!(internal_target("/blog/feed.xml", "", "/blog/").is_none());
        assert!(internal_target("/blog/data/index.json", "", "/blog/").is_none());
        assert!(internal_target("/elsewhere/post/x", "", "/blog/").is_none());
    }

    #[test]
    fn title_hint_takes_the_site_part() {
        assert_eq!(title_hint("Posts tagged “rust” · My Blog"), "My Blog");
        assert_eq!(title_hint("My Blog"), "My Blog");
        assert_eq!(title_hint(""), "");
    }

    #[test]
    fn missing_things_resolve_to_not_found() {
        let index = index();
        let ok = |r: Route| assert_eq!(resolve(&index, &r), r);
        let missing = |r: Route| assert_eq!(resolve(&index, &r), Route::NotFound, "{r:?}");
        ok(Route::Home { page: 3 });
        missing(Route::Home { page: 4 });
        ok(Route::Post { slug: "c".into() });
        missing(Route::Post { slug: "zz".into() });
        ok(tag_route("rust", 2));
        missing(tag_route("rust", 3));
        missing(tag_route("nope", 1));
        ok(Route::Term {
            kind: TermKind::Category,
            slug: "work".into(),
            page: 3,
        });
        missing(Route::Term {
            kind: TermKind::Author,
            slug: "bob".into(),
            page: 1,
        });
        ok(Route::Tags);
        ok(Route::Archive);
    }

    #[test]
    fn list_pages_share_a_view() {
        let index = index();
        assert_eq!(
            view_key(&index, &tag_route("rust", 2)),
            tag_route("rust", 1)
        );
        assert_eq!(
            view_key(&index, &Route::Home { page: 3 }),
            Route::Home { page: 1 }
        );
        assert_eq!(view_key(&index, &Route::Home { page: 9 }), Route::NotFound);
        assert_eq!(view_key(&index, &Route::Tags), Route::Tags);
        assert_eq!(page_of(&tag_route("rust", 2)), 2);
        assert_eq!(page_of(&Route::Archive), 1);
    }

    #[test]
    fn hrefs_keep_or_toggle_the_selection() {
        let r = Route::Home { page: 2 };
        assert_eq!(list_href(&r, "/", &tags(&["rust"])), "/page/2?tags=rust");
        assert_eq!(list_href(&r, "/blog/", &[]), "/blog/page/2");
        assert_eq!(
            toggle_href(&r, "/", &tags(&["rust"]), "wasm"),
            "/?tags=rust,wasm"
        );
        assert_eq!(
            toggle_href(&r, "/blog/", &tags(&["rust"]), "rust"),
            "/blog/"
        );
        assert_eq!(
            toggle_href(&tag_route("rust", 2), "/", &[], "web"),
            "/tag/rust?tags=web"
        );
    }

    #[test]
    fn toggles_follow_the_list() {
        let index = index();
        let home = ListBase::new(&index, &Route::Home { page: 1 }).unwrap();
        assert_eq!(home.list, vec![0, 1, 2, 3, 4]);
        let slugs: Vec<&str> = home.toggles.iter().map(|t| t.slug.as_str()).collect();
        assert_eq!(slugs, ["rust", "wasm", "web"]);
        let wasm = ListBase::new(&index, &tag_route("wasm", 1)).unwrap();
        assert_eq!(wasm.list, vec![0, 2]);
        let slugs: Vec<&str> = wasm.toggles.iter().map(|t| t.slug.as_str()).collect();
        assert_eq!(slugs, ["rust", "wasm"], "web is on no wasm post");
        let with = wasm.toggles_shown(&index, &tags(&["web", "ghost"]), true);
        assert_eq!(with.len(), 4);
        assert_eq!(with[2].name, "Web");
        assert_eq!(with[3].tag, None);
        assert_eq!(with[3].name, "ghost");
        assert!(ListBase::new(&index, &Route::Tags).is_none());
        assert!(ListBase::new(&index, &tag_route("nope", 1)).is_none());
    }

    #[test]
    fn filtering_narrows_and_recounts() {
        let index = index();
        let home = ListBase::new(&index, &Route::Home { page: 1 }).unwrap();
        let none = Filtered::new(&index, &home, &[]);
        assert_eq!(none.list, home.list);
        assert_eq!(none.counts, vec![3, 2, 1]);
        let rust = Filtered::new(&index, &home, &tags(&["rust"]));
        assert_eq!(rust.list, vec![0, 1, 3]);
        assert_eq!(rust.counts, vec![3, 1, 0]);
        let both = Filtered::new(&index, &home, &tags(&["rust", "wasm"]));
        assert_eq!(both.list, vec![0]);
        let ghost = Filtered::new(&index, &home, &tags(&["ghost"]));
        assert!(ghost.list.is_empty());
        let toggles = home.toggles_shown(&index, &tags(&["ghost"]), true);
        assert_eq!(ghost.count(&toggles[0]), 0);
        assert_eq!(ghost.count(&toggles[3]), 0);
        assert_eq!(rust.count(&toggles[1]), 1);
    }

    #[test]
    fn long_tails_of_toggles_fold() {
        let index = index();
        let long = ListBase {
            toggles: (0..40)
                .map(|i| Toggle {
                    slug: format!("t{i}"),
                    name: format!("T{i}"),
                    tag: Some(i),
                })
                .collect(),
            ..ListBase::default()
        };
        let shown = |base: &ListBase, selected: &[&str], expanded: bool| {
            let v = base.toggles_shown(&index, &tags(selected), expanded);
            v.into_iter().map(|t| t.slug).collect::<Vec<_>>()
        };
        assert_eq!(shown(&long, &[], false).len(), FOLDED_TOGGLES);
        assert_eq!(shown(&long, &[], true).len(), 40);
        let short = ListBase {
            toggles: long.toggles[..FOLDED_TOGGLES].to_vec(),
            ..ListBase::default()
        };
        assert_eq!(shown(&short, &[], false).len(), FOLDED_TOGGLES);
        // A selection beyond the fold is shown; so is one the list lacks, after the rest.
        let folded = shown(&long, &["t30", "t2"], false);
        assert_eq!(folded.len(), FOLDED_TOGGLES + 1);
        assert_eq!(folded.last().map(String::as_str), Some("t30"));
        assert_eq!(folded[..3], ["t0", "t1", "t2"]);
        let folded = shown(&long, &["ghost", "t39"], false);
        assert_eq!(folded.len(), FOLDED_TOGGLES + 2);
        assert_eq!(folded[FOLDED_TOGGLES..], ["t39", "ghost"]);
        // One extra selected slug tips a list of exactly FOLDED_TOGGLES over the fold.
        assert_eq!(short.toggle_count(&tags(&["ghost"])), FOLDED_TOGGLES + 1);
        assert_eq!(shown(&short, &["ghost"], false).len(), FOLDED_TOGGLES + 1);
        let home = ListBase::new(&index, &Route::Home { page: 1 }).unwrap();
        for selected in [tags(&[]), tags(&["rust"]), tags(&["ghost", "rust"])] {
            assert_eq!(
                home.toggle_count(&selected),
                home.toggles_shown(&index, &selected, true).len()
            );
        }
        assert_eq!(more_tags_label(40, false), "All 40 tags");
        assert_eq!(more_tags_label(40, true), "Fewer tags");
    }

    #[test]
    fn chunks_cover_a_page() {
        let index = index();
        assert_eq!(summary_chunks(&index, &[0, 1]), vec![0]);
        assert_eq!(summary_chunks(&index, &[1, 2, 3, 4]), vec![0, 1, 2]);
        assert_eq!(summary_chunks(&index, &[]), Vec::<usize>::new());
    }

    #[test]
    fn cloud_weights_spread_from_one_to_five() {
        assert_eq!(cloud_weight(1, 1), 1);
        assert_eq!(cloud_weight(1, 100), 1);
        assert_eq!(cloud_weight(100, 100), 5);
        assert_eq!(cloud_weight(10, 100), 3);
        assert!(cloud_weight(30, 100) > cloud_weight(10, 100));
        assert_eq!(cloud_weight(0, 5), 1);
        assert_eq!(cloud_weight(2, 2), 5);
        assert_eq!(cloud_weight(10_000, 10_000), 5);
        let steps: Vec<u8> = (1..=64).map(|n| cloud_weight(n, 64)).collect();
        assert!(steps.is_sorted(), "{steps:?}");
    }

    #[test]
    fn labels() {
        assert_eq!(month_heading(2024, 3), "March 2024");
        assert_eq!(month_heading(0, 0), "Undated");
        assert_eq!(reading_label(500), "3 min read");
        assert_eq!(page_label(2, 5), "Page 2 of 5");
        assert_eq!(posts_label(1), "1 post");
        assert_eq!(posts_label(0), "0 posts");
    }
}
