//! Where the reader is, and which view shows it: addresses (the base path, a link's
//! path and `?tags=`) read into a [`Location`], and routes resolved against the index into
//! the [`View`] that shows them, the nav [`Section`] they belong to and their page number.
//! Navigation, the layout and the bundle loader start from these; this file needs nothing
//! from the rest of the model.

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
}
