//! Route files: what each route's copy of the app shell carries — its file name, title,
//! description, canonical link and OpenGraph tags (link previews do not run JavaScript) —
//! and `404.html` for everything else. The shell itself is [`super::shell`].

use super::shell::Template;
use quire_core::meta::{PageMeta, page_meta, post_page_meta};
use quire_core::route::{TermKind, encode_path};
use quire_core::text::escape_html;
use quire_core::{Index, Route};

/// The file name of every feed, at the root and in a term's folder
/// (`super::feed` writes them; the term's pages name them).
pub const FEED_FILE: &str = "feed.xml";

/// The term kinds that have a feed of their own.
pub const TERM_FEED_KINDS: [TermKind; 2] = [TermKind::Tag, TermKind::Category];

/// A term's feed, relative to the output root and unencoded (`tag/café/feed.xml`): in the
/// folder of the term's route file.
pub fn term_feed_file(kind: TermKind, slug: &str) -> String {
    format!("{}/{slug}/{FEED_FILE}", kind.segment())
}

/// A term's feed as a site-relative path, percent-encoded (`/tag/caf%C3%A9/feed.xml`), for
/// links.
pub fn term_feed_href(kind: TermKind, slug: &str) -> String {
    encode_path(&format!("/{}", term_feed_file(kind, slug)))
}

/// The absolute URL of a route under `base_url`, percent-encoded.
pub fn absolute_url(base_url: &str, route: &Route) -> String {
    format!("{}{}", base_url.trim_end_matches('/'), route.href("/"))
}

/// The meta block for a route: description, canonical link and og:url (with a base_url),
/// OpenGraph title, description, type and site name, and the feed links (the blog's, and
/// on a tag's or category's pages its own).
pub fn meta_block(index: &Index, route: &Route, meta: &PageMeta) -> String {
    let e = escape_html;
    let site = &index.site.title;
    let mut out = String::with_capacity(512);
    out.push_str(&format!(
        "<meta name=\"description\" content=\"{}\">\n",
        e(&meta.description)
    ));
    let url = match (&index.site.base_url, route) {
        (_, Route::NotFound) => None,
        (Some(base), r) => Some(absolute_url(base, r)),
        (None, _) => None,
    };
    if let Some(url) = &url {
        out.push_str(&format!("<link rel=\"canonical\" href=\"{}\">\n", e(url)));
    }
    if *route == Route::NotFound {
        out.push_str("<meta name=\"robots\" content=\"noindex\">\n");
    }
    let og_type = if matches!(route, Route::Post { .. } | Route::Page { .. }) {
        "article"
    } else {
        "website"
    };
    out.push_str(&format!(
        "<meta property=\"og:title\" content=\"{}\">\n<meta property=\"og:description\" content=\"{}\">\n<meta property=\"og:type\" content=\"{og_type}\">\n",
        e(&meta.heading),
        e(&meta.description)
    ));
    if let Some(url) = &url {
        out.push_str(&format!(
            "<meta property=\"og:url\" content=\"{}\">\n",
            e(url)
        ));
    }
    out.push_str(&format!(
        "<meta property=\"og:site_name\" content=\"{}\">\n<link rel=\"alternate\" type=\"application/atom+xml\" href=\"feed.xml\" title=\"{}\">\n",
        e(site),
        e(site)
    ));
    // A tag's or category's pages also name its own feed (super::feed).
    if let Route::Term { kind, slug, .. } = route
        && TERM_FEED_KINDS.contains(kind)
        && let Some(term) = index
            .term_position(*kind, slug)
            .map(|i| &index.terms(*kind)[i])
    {
        out.push_str(&format!(
            "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"{}\" title=\"{} — {} {}\">\n",
            e(term_feed_href(*kind, &term.slug).trim_start_matches('/')),
            e(site),
            kind.segment(),
            e(&term.name)
        ));
    }
    out
}

/// One route's file. For a post route, `post` is its position and summary; `app` is the
/// prerendered page.
pub fn render_route(
    template: &Template,
    index: &Index,
    route: &Route,
    post: Option<(usize, &str)>,
    app: &str,
) -> String {
    let meta = match post {
        Some((pos, summary)) => post_page_meta(index, pos, Some(summary)),
        None => page_meta(index, route, None),
    };
    template.render(&meta.title, &meta_block(index, route, &meta), app)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_urls() {
        assert_eq!(
            absolute_url(
                "https://e.org/blog/",
                &Route::Post {
                    slug: "café".into()
                }
            ),
            "https://e.org/blog/post/caf%C3%A9"
        );
        assert_eq!(
            absolute_url("https://e.org", &Route::Home { page: 1 }),
            "https://e.org/"
        );
    }
}
