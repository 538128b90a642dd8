//! The route table: one definition used by the app to build links and match the
//! location, and by the CLI to write one `index.html` per route.
//!
//! Paths here are site-relative and start with `/`; a site served under a sub-path
//! (`/blog/`) adds its base in front (see [`Route::href`]).

use crate::bundle::Index;
pub use crate::bundle::TermKind;

impl TermKind {
    /// The first path segment of this kind's archive pages.
    pub fn segment(self) -> &'static str {
        match self {
            TermKind::Tag => "tag",
            TermKind::Category => "category",
            TermKind::Author => "author",
        }
    }

    fn from_segment(s: &str) -> Option<TermKind> {
        TermKind::ALL.into_iter().find(|k| k.segment() == s)
    }
}

/// Every page of the site.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Route {
    /// `/` (page 1) and `/page/N` (N ≥ 2).
    Home { page: u32 },
    /// `/post/{slug}`.
    Post { slug: String },
    /// `/tag/{slug}`, `/category/{slug}`, `/author/{slug}`, and their `/page/N`.
    Term {
        kind: TermKind,
        slug: String,
        page: u32,
    },
    /// `/tags`: every tag with its count.
    Tags,
    /// `/archive`: every post by year and month.
    Archive,
    /// `/search`: full-text search; the query is `?q=` (with `?tags=` narrowing it).
    Search,
    /// `/{slug}`: a standalone page (`content/pages/{slug}.md`) at the site's root.
    /// [`Route::parse`] gives this for any single segment no other kind takes; whether
    /// such a page exists is the index's to say ([`Index::page_position`]): the app shows
    /// one that does not as not found, and follows links in place only to pages that do.
    Page { slug: String },
    /// Anything else.
    NotFound,
}

impl Route {
    /// The site-relative path, unencoded (`/tag/café/page/2`). Page 1 has no `/page/1`.
    pub fn path(&self) -> String {
        let paged = |base: String, page: u32| {
            if page > 1 {
                format!("{}/page/{page}", base.trim_end_matches('/'))
            } else {
                base
            }
        };
        match self {
            Route::Home { page } => paged("/".into(), *page),
            Route::Post { slug } => format!("/post/{slug}"),
            Route::Term { kind, slug, page } => paged(format!("/{}/{slug}", kind.segment()), *page),
            Route::Tags => "/tags".into(),
            Route::Archive => "/archive".into(),
            Route::Search => "/search".into(),
            Route::Page { slug } => format!("/{slug}"),
            Route::NotFound => "/404".into(),
        }
    }

    /// The link for an `href`: `base` (a path such as `/` or `/blog/`) joined with the
    /// percent-encoded path.
    pub fn href(&self, base: &str) -> String {
        join_base(base, &encode_path(&self.path()))
    }

    /// Where the CLI writes this route's page, relative to the output root and unencoded
    /// (`post/café/index.html`; `404.html` for the not-found page). The app reads route
    /// files back from the same place (search's excerpts).
    pub fn file(&self) -> String {
        match self {
            Route::NotFound => "404.html".into(),
            r => {
                let p = r.path();
                let p = p.trim_matches('/');
                if p.is_empty() {
                    "index.html".into()
                } else {
                    format!("{p}/index.html")
                }
            }
        }
    }

    /// Matches a site-relative path (percent-encoded or not, with or without a trailing
    /// slash or `index.html`).
    pub fn parse(path: &str) -> Route {
        let decoded = decode_path(path);
        let trimmed = decoded.strip_suffix("index.html").unwrap_or(&decoded);
        let segs: Vec<&str> = trimmed.split('/').filter(|s| !s.is_empty()).collect();
        let page_of = |s: &str| s.parse::<u32>().ok().filter(|&n| n >= 2);
        match segs.as_slice() {
            [] => Route::Home { page: 1 },
            ["page", n] => page_of(n).map_or(Route::NotFound, |page| Route::Home { page }),
            ["post", slug] => Route::Post {
                slug: (*slug).to_string(),
            },
            ["tags"] => Route::Tags,
            ["archive"] => Route::Archive,
            ["search"] => Route::Search,
            [slug] if !reserved_names().iter().any(|n| n == slug) => Route::Page {
                slug: (*slug).to_string(),
            },
            [kind, slug] => {
                TermKind::from_segment(kind).map_or(Route::NotFound, |kind| Route::Term {
                    kind,
                    slug: (*slug).into(),
                    page: 1,
                })
            }
            [kind, slug, "page", n] => match (TermKind::from_segment(kind), page_of(n)) {
                (Some(kind), Some(page)) => Route::Term {
                    kind,
                    slug: (*slug).into(),
                    page,
                },
                _ => Route::NotFound,
            },
            _ => Route::NotFound,
        }
    }

    /// Strips the site's base path from a browser path and parses the rest.
    pub fn from_location(pathname: &str, base: &str) -> Route {
        let base = base.trim_end_matches('/');
        match pathname.strip_prefix(base) {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => Route::parse(rest),
            _ => Route::NotFound,
        }
    }

    /// The same kind of list on another page (for pagination links); other routes unchanged.
    pub fn with_page(&self, page: u32) -> Route {
        match self {
            Route::Home { .. } => Route::Home { page },
            Route::Term { kind, slug, .. } => Route::Term {
                kind: *kind,
                slug: slug.clone(),
                page,
            },
            other => other.clone(),
        }
    }

    /// Every route that exists for this index: what the CLI writes an `index.html` for.
    /// Does not include [`Route::NotFound`] (that is `404.html`).
    pub fn all(index: &Index) -> Vec<Route> {
        let mut out = Vec::new();
        let home_pages = index.page_count(index.posts.len());
        out.extend((1..=home_pages).map(|page| Route::Home { page }));
        out.extend(index.posts.iter().map(|p| Route::Post {
            slug: p.slug.clone(),
        }));
        for kind in TermKind::ALL {
            for term in index.terms(kind) {
                let pages = index.page_count(term.posts.len());
                out.extend((1..=pages).map(|page| Route::Term {
                    kind,
                    slug: term.slug.clone(),
                    page,
                }));
            }
        }
        out.push(Route::Tags);
        out.push(Route::Archive);
        out.push(Route::Search);
        out.extend(index.pages.iter().map(|p| Route::Page {
            slug: p.slug.clone(),
        }));
        out
    }
}

/// Top-level names the build writes beside the route files: the bundle's folder
/// ([`crate::bundle::INDEX_PATH`] lives in it), the feed, the sitemap, and the record of what
/// the last build wrote (the CLI's manifest).
pub const OUTPUT_NAMES: [&str; 4] = ["data", "feed.xml", "sitemap.xml", MANIFEST];

/// The file in the output folder that lists what the last build wrote there.
pub const MANIFEST: &str = ".quire-manifest";

impl Route {
    /// One route of every kind, for rules that depend on the kind alone (which top-level
    /// names the build takes). A new kind of route must be added here: the test
    /// `every_written_route_is_reserved` fails otherwise.
    fn one_of_each() -> [Route; 11] {
        let term = |kind| Route::Term {
            kind,
            slug: String::new(),
            page: 1,
        };
        [
            Route::Home { page: 1 },
            Route::Home { page: 2 },
            Route::Post {
                slug: String::new(),
            },
            term(TermKind::Tag),
            term(TermKind::Category),
            term(TermKind::Author),
            Route::Tags,
            Route::Archive,
            Route::Search,
            Route::Page {
                slug: String::new(),
            },
            Route::NotFound,
        ]
    }

    /// The top-level name this route's file lives under (`post` for `post/x/index.html`,
    /// `index.html` for the home page).
    pub fn top_name(&self) -> String {
        let file = self.file();
        file.split('/').next().unwrap_or_default().to_string()
    }
}

/// Every top-level name the build writes (route files and [`OUTPUT_NAMES`]), in a fixed
/// order, all lower-case ASCII. A static file, an alias or a page may not take one, in any
/// case ([`is_reserved`]). A page's own name is its author's choice, not the build's, so
/// [`Route::Page`] reserves nothing (the CLI checks that no two things take one name).
pub fn reserved_names() -> Vec<String> {
    let mut names: Vec<String> = Route::one_of_each()
        .iter()
        .filter(|r| !matches!(r, Route::Page { .. }))
        .map(Route::top_name)
        .collect();
    names.extend(OUTPUT_NAMES.iter().map(|n| (*n).to_string()));
    names.dedup();
    names
}

/// Whether a top-level name of the output belongs to the build: one of
/// [`reserved_names`], or a part of a split sitemap (`sitemap-N.xml`), compared as a
/// case-insensitive file system or host compares names ([`fold_case`]): on macOS, Windows
/// and some CDNs' origins `Feed.xml` is `feed.xml` and `/Tag/rust/` is `/tag/rust/`.
pub fn is_reserved(first: &str) -> bool {
    let first = fold_case(first);
    (first.starts_with("sitemap-") && first.ends_with(".xml")) || reserved_names().contains(&first)
}

/// The key under which a case-insensitive file system or host may take two names for one:
/// every character upper-cased, then lower-cased, one by one (`Feed.xml`, `FEED.XML` →
/// `feed.xml`; `ſ` (long s) → `s`; `ς` (final sigma) → `σ`; the Kelvin sign → `k`). It
/// folds more than some file systems do (`ß` → `ss`, which NTFS keeps apart), never less
/// than the simple case folding they use, so two names with one key are refused as one.
/// Unicode normalization (macOS takes `é` and `e` + U+0301 for one name) is not applied:
/// the slugs of posts and terms keep no combining marks, so it only concerns names written
/// by hand (aliases, static files), and the tables would weigh on the app.
pub fn fold_case(name: &str) -> String {
    name.chars()
        .flat_map(char::to_uppercase)
        .flat_map(char::to_lowercase)
        .collect()
}

/// Joins a base path (`/`, `/blog`, `/blog/`) and a site path (`/post/x`).
pub fn join_base(base: &str, path: &str) -> String {
    format!("{}{}", base.trim_end_matches('/'), path)
}

/// Percent-encodes a path for URLs: keeps unreserved ASCII and `/`, encodes the rest as
/// UTF-8 bytes.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes; invalid escapes and invalid UTF-8 are kept as they were.
pub fn decode_path(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(v) = path
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| path.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(r: Route) {
        assert_eq!(Route::parse(&r.path()), r, "{}", r.path());
        assert_eq!(Route::parse(&encode_path(&r.path())), r);
        assert_eq!(Route::parse(&format!("{}/", r.path())), r);
    }

    #[test]
    fn route_files() {
        assert_eq!(Route::Home { page: 1 }.file(), "index.html");
        assert_eq!(Route::Home { page: 2 }.file(), "page/2/index.html");
        assert_eq!(Route::Post { slug: "x".into() }.file(), "post/x/index.html");
        assert_eq!(Route::NotFound.file(), "404.html");
    }

    #[test]
    fn paths_round_trip() {
        roundtrip(Route::Home { page: 1 });
        roundtrip(Route::Home { page: 3 });
        roundtrip(Route::Post {
            slug: "hello-world".into(),
        });
        roundtrip(Route::Term {
            kind: TermKind::Tag,
            slug: "café".into(),
            page: 1,
        });
        roundtrip(Route::Term {
            kind: TermKind::Category,
            slug: "work".into(),
            page: 2,
        });
        roundtrip(Route::Term {
            kind: TermKind::Author,
            slug: "ada".into(),
            page: 12,
        });
        roundtrip(Route::Tags);
        roundtrip(Route::Archive);
        roundtrip(Route::Search);
        roundtrip(Route::Page {
            slug: "about".into(),
        });
        roundtrip(Route::Page {
            slug: "à-propos".into(),
        });
    }

    #[test]
    fn exact_paths() {
        assert_eq!(Route::Home { page: 1 }.path(), "/");
        assert_eq!(Route::Home { page: 2 }.path(), "/page/2");
        assert_eq!(Route::Post { slug: "x".into() }.path(), "/post/x");
        assert_eq!(
            Route::Term {
                kind: TermKind::Tag,
                slug: "k8s".into(),
                page: 3
            }
            .path(),
            "/tag/k8s/page/3"
        );
        assert_eq!(Route::Tags.path(), "/tags");
        assert_eq!(Route::Archive.path(), "/archive");
        assert_eq!(Route::Search.path(), "/search");
        assert_eq!(Route::parse("/search/"), Route::Search);
    }

    #[test]
    fn unknown_paths_are_not_found() {
        for p in [
            "/post",
            "/post/a/b",
            "/page/1",
            "/page/0",
            "/page/x",
            "/tag/a/page/1",
            "/tags/x",
            "/search/x",
            "/topic/a",
        ] {
            assert_eq!(Route::parse(p), Route::NotFound, "{p}");
        }
        assert_eq!(Route::parse("/index.html"), Route::Home { page: 1 });
        // A single segment is a page's address; the index says whether it exists.
        assert_eq!(
            Route::parse("/nope"),
            Route::Page {
                slug: "nope".into()
            }
        );
        assert_eq!(
            Route::parse("/about/"),
            Route::Page {
                slug: "about".into()
            }
        );
        // Not the build's own names: no page may take them.
        for p in ["/feed.xml", "/data", "/sitemap.xml", "/404.html", "/page"] {
            assert_eq!(Route::parse(p), Route::NotFound, "{p}");
        }
        assert_eq!(
            Route::parse("/post/x/index.html"),
            Route::Post { slug: "x".into() }
        );
    }

    #[test]
    fn hrefs_under_a_base() {
        let r = Route::Term {
            kind: TermKind::Tag,
            slug: "café".into(),
            page: 1,
        };
        assert_eq!(r.href("/"), "/tag/caf%C3%A9");
        assert_eq!(r.href("/blog/"), "/blog/tag/caf%C3%A9");
        assert_eq!(Route::Home { page: 1 }.href("/blog/"), "/blog/");
        assert_eq!(
            Route::from_location("/blog/post/x", "/blog/"),
            Route::Post { slug: "x".into() }
        );
        assert_eq!(
            Route::from_location("/blog", "/blog/"),
            Route::Home { page: 1 }
        );
        assert_eq!(
            Route::from_location("/blogpost/x", "/blog/"),
            Route::NotFound
        );
        assert_eq!(Route::from_location("/tags", "/"), Route::Tags);
    }

    #[test]
    fn decoding_is_lenient() {
        assert_eq!(decode_path("/a%20b"), "/a b");
        assert_eq!(decode_path("/100%"), "/100%");
        assert_eq!(decode_path("/%zz"), "/%zz");
        assert_eq!(decode_path("/%FF"), "/%FF");
    }

    #[test]
    fn every_written_route_is_reserved() {
        let index = crate::bundle::tests::sample();
        let mut routes = Route::all(&index);
        routes.push(Route::NotFound);
        for r in routes {
            if let Route::Page { slug } = &r {
                // The author's name, checked by the CLI against the reserved ones.
                assert!(!is_reserved(slug), "{slug}");
                continue;
            }
            assert!(
                is_reserved(&r.top_name()),
                "{:?} is written under {:?}, which reserved_names() lacks: add its kind to Route::one_of_each",
                r,
                r.top_name()
            );
        }
        for name in [
            "search", "tags", "archive", "page", "post", "tag", "category", "author",
        ] {
            assert!(is_reserved(name), "{name}");
        }
        for name in [
            "index.html",
            "404.html",
            "data",
            "feed.xml",
            "sitemap.xml",
            "sitemap-2.xml",
            MANIFEST,
        ] {
            assert!(is_reserved(name), "{name}");
        }
        for name in ["about", "images", "posts", "css", "sitemap.txt"] {
            assert!(!is_reserved(name), "{name}");
        }
    }

    #[test]
    fn reserved_names_are_reserved_in_any_case() {
        for name in [
            "Search",
            "SEARCH",
            "Post",
            "Tag",
            "DATA",
            "Feed.xml",
            "SiteMap.XML",
            "Sitemap-3.xml",
            "Index.html",
            ".QUIRE-MANIFEST",
            "\u{17f}earch", // `ſearch`: the long s is an `S` upper-cased
        ] {
            assert!(is_reserved(name), "{name}");
        }
        assert!(!is_reserved("Searches"));
        assert_eq!(fold_case("Feed.XML"), "feed.xml");
        assert_eq!(fold_case("ΑΣ"), fold_case("ας"));
        assert_eq!(fold_case("\u{212a}elvin"), "kelvin");
        assert_eq!(fold_case("straße"), "strasse");
    }

    #[test]
    fn all_routes_cover_every_page() {
        let index = crate::bundle::tests::sample();
        let routes = Route::all(&index);
        assert!(routes.contains(&Route::Home { page: 2 }));
        assert!(!routes.contains(&Route::Home { page: 3 }));
        assert!(routes.contains(&Route::Post { slug: "a".into() }));
        assert!(routes.contains(&Route::Term {
            kind: TermKind::Author,
            slug: "ada".into(),
            page: 2
        }));
        assert!(routes.contains(&Route::Term {
            kind: TermKind::Tag,
            slug: "wasm".into(),
            page: 1
        }));
        assert!(!routes.contains(&Route::Term {
            kind: TermKind::Tag,
            slug: "wasm".into(),
            page: 2
        }));
        assert!(routes.contains(&Route::Tags) && routes.contains(&Route::Archive));
        assert!(routes.contains(&Route::Search));
        assert!(routes.contains(&Route::Page {
            slug: "about".into()
        }));
        assert_eq!(routes.len(), 2 + 3 + 2 + 2 + 3 + 1);
    }
}
