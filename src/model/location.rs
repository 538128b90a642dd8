//! Where the reader is, and which view shows it: addresses (the base path, a link's
//! path and `?tags=`) read into a [`Location`], and routes resolved against the index into
//! the [`View`] that shows them, the nav [`Section`] they belong to and their page number;
//! and the header's menu ([`menu_links`]), each entry current or not for a route.
//! Navigation, the layout and the bundle loader start from these; this file needs nothing
//! from the rest of the model.

use quire_core::route::{encode_path, join_base};
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
/// app's routes (the feed, data files, anything outside the base, a root name that is no
/// page of the index, such as a static file): those load normally.
pub fn internal_target(
    index: &Index,
    pathname: &str,
    search: &str,
    base: &str,
) -> Option<Location> {
    let loc = Location::parse(pathname, search, base);
    let app_route = match &loc.route {
        Route::NotFound => false,
        Route::Page { slug } => index.page_position(slug).is_some(),
        _ => true,
    };
    app_route.then_some(loc)
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
        Route::Page { slug } => index.page_position(slug).is_some(),
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
    /// The standalone page at this position in [`Index::pages`].
    Page(usize),
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
            Route::Page { slug } => index
                .page_position(&slug)
                .map_or(View::NotFound, View::Page),
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

/// One link of the header's menu, ready to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MenuLink {
    pub label: String,
    pub href: String,
    /// The route an entry inside the site leads to (`None` for one that leaves it), which
    /// [`menu_current`] compares with the reader's.
    pub target: Option<Route>,
}

/// The header's menu: site.toml's `[[menu]]` entries in order, else Home, Tags, Archive.
/// An entry inside the site links under `base` (percent-encoded); one that leaves it, to
/// its address as written (site.toml's check and [`Index::validate`] let only `https://`
/// through).
pub fn menu_links(index: &Index, base: &str) -> Vec<MenuLink> {
    if index.site.menu.is_empty() {
        return [
            (Route::Home { page: 1 }, "Home"),
            (Route::Tags, "Tags"),
            (Route::Archive, "Archive"),
        ]
        .into_iter()
        .map(|(r, label)| MenuLink {
            label: label.into(),
            href: r.href(base),
            target: Some(r),
        })
        .collect();
    }
    index
        .site
        .menu
        .iter()
        .map(|e| {
            if e.is_external() {
                MenuLink {
                    label: e.name.clone(),
                    href: e.url.clone(),
                    target: None,
                }
            } else {
                MenuLink {
                    label: e.name.clone(),
                    href: join_base(base, &encode_path(&e.url)),
                    target: Some(Route::parse(&e.url)),
                }
            }
        })
        .collect()
}

/// Whether a menu entry leading to `target` is the current one on `route`: a section's
/// entry (Home, Tags, Archive) on any route of its section (every home page, every tag
/// page), any other entry on its own route only.
pub fn menu_current(target: &Route, route: &Route) -> bool {
    match Section::of(target) {
        Section::Other => *target != Route::NotFound && target == route,
        section => section == Section::of(route),
    }
}

/// The page number of a list route (1 for every other route).
pub fn page_of(route: &Route) -> u32 {
    match route {
        Route::Home { page } | Route::Term { page, .. } => *page,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixture::{index, tag_route, tags};

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
        let index = index();
        let t = |p: &str, q: &str| internal_target(&index, p, q, "/blog/");
        assert!(t("/blog/post/x", "").is_some());
        assert!(t("/blog/", "?tags=a").is_some());
        assert!(t("/blog/feed.xml", "").is_none());
        assert!(t("/blog/data/index.json", "").is_none());
        assert!(t("/elsewhere/post/x", "").is_none());
        // A page of the index is followed in the app; any other root name (a static
        // file, a typo) loads as the server has it.
        assert_eq!(
            t("/blog/about/", "").map(|l| l.route),
            Some(Route::Page {
                slug: "about".into()
            })
        );
        assert!(t("/blog/favicon.ico", "").is_none());
        assert!(t("/blog/nope", "").is_none());
    }

    #[test]
    fn pages_resolve_only_when_they_exist() {
        let index = index();
        let about = Route::Page {
            slug: "about".into(),
        };
        assert_eq!(View::of(&index, &about), View::Page(0));
        assert_eq!(
            View::of(&index, &Route::Page { slug: "c".into() }),
            View::NotFound
        );
        assert_eq!(Section::of(&about), Section::Other);
    }

    #[test]
    fn menu_defaults_and_entries() {
        let mut index = index();
        let labels = |links: &[MenuLink]| links.iter().map(|l| l.label.clone()).collect::<Vec<_>>();
        let default = menu_links(&index, "/blog/");
        assert_eq!(labels(&default), ["Home", "Tags", "Archive"]);
        assert_eq!(default[1].href, "/blog/tags");
        index.site.menu = vec![
            quire_core::MenuEntry {
                name: "Start".into(),
                url: "/".into(),
            },
            quire_core::MenuEntry {
                name: "À propos".into(),
                url: "/à-propos/".into(),
            },
            quire_core::MenuEntry {
                name: "Code".into(),
                url: "https://example.org/x".into(),
            },
        ];
        let links = menu_links(&index, "/blog/");
        assert_eq!(labels(&links), ["Start", "À propos", "Code"]);
        assert_eq!(links[1].href, "/blog/%C3%A0-propos/");
        assert_eq!(
            links[1].target,
            Some(Route::Page {
                slug: "à-propos".into()
            })
        );
        assert_eq!(links[2].href, "https://example.org/x");
        assert_eq!(links[2].target, None);
        let home = links[0].target.clone().unwrap();
        assert!(menu_current(&home, &Route::Home { page: 3 }));
        assert!(!menu_current(&home, &Route::Tags));
        let page = links[1].target.clone().unwrap();
        assert!(menu_current(&page, &page));
        assert!(!menu_current(&page, &Route::Home { page: 1 }));
        assert!(menu_current(&Route::Tags, &tag_route("rust", 1)));
        assert!(!menu_current(&Route::NotFound, &Route::NotFound));
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
}
