//! The search page's plain parts: the `?q=` text and links to `/search`, what a hit is (a
//! post or a standalone page), the ranked hits narrowed by the tag selection and checked
//! for phrases, the status line, and a title or excerpt cut into marked and unmarked
//! pieces. The engine and the views are elsewhere
//! (`browser::search`, `views::search`).

use quire_core::{Index, Route, TermKind, filter};

use super::text::posts_label;

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

/// What a search hit is. The index's documents are the posts (position `i` is post `i`),
/// then the standalone pages (position `posts.len() + i` is page `i`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchDoc {
    Post(usize),
    Page(usize),
}

impl SearchDoc {
    /// The document at a hit's position (`None` past the last page: a damaged index).
    pub fn of(index: &Index, pos: usize) -> Option<SearchDoc> {
        if pos < index.posts.len() {
            return Some(SearchDoc::Post(pos));
        }
        let page = pos - index.posts.len();
        (page < index.pages.len()).then_some(SearchDoc::Page(page))
    }

    /// Its title.
    pub fn title(self, index: &Index) -> &str {
        match self {
            SearchDoc::Post(i) => &index.posts[i].title,
            SearchDoc::Page(i) => &index.pages[i].title,
        }
    }

    /// Its route (where its result links to, and whose route file holds its text).
    pub fn route(self, index: &Index) -> Route {
        match self {
            SearchDoc::Post(i) => Route::Post {
                slug: index.posts[i].slug.clone(),
            },
            SearchDoc::Page(i) => Route::Page {
                slug: index.pages[i].slug.clone(),
            },
        }
    }
}

/// What a search page shows of the ranked hits (document positions: see [`SearchDoc`]).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SearchPage {
    /// The results to show, best first.
    pub shown: Vec<u32>,
    /// How many posts match (a lower bound while `complete` is false).
    pub total: usize,
    /// False while phrase checks wait for posts' texts.
    pub complete: bool,
}

/// The hits carrying every selected tag (an unknown tag: none; a page has no tags, so a
/// tag selection leaves pages out), in rank order, then at
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
    // Term post lists are ascending and hold post positions only: a binary search per hit.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixture::{index, tags};
    use crate::model::location::{Location, View, resolve};

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
    fn pages_are_hits_until_tags_narrow() {
        let index = index();
        // Position 5 is the fixture's one page (after its five posts).
        assert_eq!(SearchDoc::of(&index, 5), Some(SearchDoc::Page(0)));
        assert_eq!(SearchDoc::of(&index, 4), Some(SearchDoc::Post(4)));
        assert_eq!(SearchDoc::of(&index, 6), None);
        let page = SearchDoc::Page(0);
        assert_eq!(page.title(&index), "About");
        assert_eq!(
            page.route(&index),
            Route::Page {
                slug: "about".into()
            }
        );
        assert_eq!(page.route(&index).href("/blog/"), "/blog/about");
        assert_eq!(
            SearchDoc::Post(0).route(&index),
            Route::Post { slug: "e".into() }
        );
        let hits = [5, 0, 4];
        let all = search_page(&index, &hits, &[], 10, None);
        assert_eq!((all.shown, all.total), (vec![5, 0, 4], 3));
        // A page has no tags: any selection leaves it out, rank order kept for the rest.
        let rust = search_page(&index, &hits, &tags(&["rust"]), 10, None);
        assert_eq!((rust.shown, rust.total), (vec![0], 1));
        let web = search_page(&index, &hits, &tags(&["web"]), 10, None);
        assert_eq!(web.shown, vec![4]);
        // Phrase checks ask about pages like posts.
        let verify = |p: u32| Some(p == 5);
        let checked = search_page(&index, &hits, &[], 10, Some(&verify));
        assert_eq!((checked.shown, checked.complete), (vec![5], true));
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
}
