//! Page titles, headings and descriptions: the same words in the app's `<title>` and
//! meta description and in the route files the CLI writes for link previews.

use crate::bundle::{Index, TermKind};
use crate::route::Route;

/// What a page says about itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageMeta {
    /// The page's own heading (`Posts tagged “rust”`), or the site title on home.
    pub heading: String,
    /// The document title (`Posts tagged “rust” · My Blog`).
    pub title: String,
    /// The meta description, plain text, at most [`DESCRIPTION_CHARS`] characters.
    pub description: String,
}

pub const DESCRIPTION_CHARS: usize = 160;

/// The heading of a term's archive page.
pub fn term_heading(kind: TermKind, name: &str) -> String {
    match kind {
        TermKind::Tag => format!("Posts tagged “{name}”"),
        TermKind::Category => format!("Category “{name}”"),
        TermKind::Author => format!("Posts by {name}"),
    }
}

/// Meta for any route. `post_summary` is the post's summary Markdown, when the caller has
/// it (the CLI always does; the app once the summary chunk is in).
pub fn page_meta(index: &Index, route: &Route, post_summary: Option<&str>) -> PageMeta {
    let site = &index.site.title;
    let with_page = |text: String, page: u32| {
        if page > 1 {
            format!("{text} (page {page})")
        } else {
            text
        }
    };
    let (heading, description) = match route {
        Route::Home { page } => {
            let heading = if *page > 1 {
                format!("Page {page}")
            } else {
                site.clone()
            };
            (heading, index.site.description.clone())
        }
        Route::Post { slug } => match index.post_position(slug) {
            Some(p) => return post_page_meta(index, p, post_summary),
            None => ("Page not found".into(), String::new()),
        },
        Route::Term { kind, slug, page } => match index.term_position(*kind, slug) {
            Some(t) => {
                let term = &index.terms(*kind)[t];
                let heading = with_page(term_heading(*kind, &term.name), *page);
                let n = term.posts.len();
                let desc = format!("{n} post{} on {site}", if n == 1 { "" } else { "s" });
                (heading, desc)
            }
            None => ("Page not found".into(), String::new()),
        },
        Route::Tags => (
            "Tags".into(),
            format!("Every tag on {site}, with its number of posts"),
        ),
        Route::Archive => ("Archive".into(), format!("Every post on {site}, by month")),
        Route::Search => ("Search".into(), format!("Search the posts of {site}")),
        Route::Page { slug } => match index.page_position(slug) {
            Some(p) => {
                let page = &index.pages[p];
                (page.title.clone(), page.description.clone())
            }
            None => ("Page not found".into(), String::new()),
        },
        Route::NotFound => ("Page not found".into(), String::new()),
    };
    finish(index, heading, description)
}

/// Meta of the post at position `pos` (for callers that already know it; [`page_meta`]
/// looks the slug up).
pub fn post_page_meta(index: &Index, pos: usize, post_summary: Option<&str>) -> PageMeta {
    let description = post_summary
        .map(crate::markdown::plain_text)
        .unwrap_or_default();
    finish(index, index.posts[pos].title.clone(), description)
}

fn finish(index: &Index, heading: String, description: String) -> PageMeta {
    let site = &index.site.title;
    let title = if heading == *site {
        site.clone()
    } else {
        format!("{heading} · {site}")
    };
    let description = if description.is_empty() {
        index.site.description.clone()
    } else {
        description
    };
    PageMeta {
        heading,
        title,
        description: crate::text::truncate(&description, DESCRIPTION_CHARS),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::tests::sample;

    #[test]
    fn titles_for_every_route_kind() {
        let index = sample();
        let m = |r: Route| page_meta(&index, &r, Some("A *short* summary."));
        assert_eq!(m(Route::Home { page: 1 }).title, "T");
        assert_eq!(m(Route::Home { page: 2 }).title, "Page 2 · T");
        let post = m(Route::Post { slug: "b".into() });
        assert_eq!(post.title, "B · T");
        assert_eq!(post.description, "A short summary.");
        assert_eq!(post_page_meta(&index, 1, Some("A *short* summary.")), post);
        let tag = m(Route::Term {
            kind: TermKind::Tag,
            slug: "rust".into(),
            page: 1,
        });
        assert_eq!(tag.heading, "Posts tagged “Rust”");
        assert_eq!(tag.description, "2 posts on T");
        let author = m(Route::Term {
            kind: TermKind::Author,
            slug: "ada".into(),
            page: 2,
        });
        assert_eq!(author.title, "Posts by Ada (page 2) · T");
        assert_eq!(m(Route::Tags).heading, "Tags");
        assert_eq!(m(Route::Archive).heading, "Archive");
        assert_eq!(m(Route::Search).heading, "Search");
        assert_eq!(m(Route::NotFound).title, "Page not found · T");
        let about = m(Route::Page {
            slug: "about".into(),
        });
        assert_eq!(about.title, "About · T");
        assert_eq!(
            m(Route::Page {
                slug: "nope".into()
            })
            .heading,
            "Page not found"
        );
        assert_eq!(
            m(Route::Post { slug: "zzz".into() }).heading,
            "Page not found"
        );
    }
}
