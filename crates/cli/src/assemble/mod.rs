//! The pipeline's second stage, assemble: checked [`Content`] → [`Assembled`], everything
//! the site is made of before a file is written: the post bundle (the index and its
//! content-hashed chunks, [`bundle`]), the search index among those chunks
//! ([`search_index`]), the aliases to write and the static files to copy. Beside each
//! body it ships what the browser cannot work out itself: code highlighted
//! ([`highlight`]) and image sizes ([`images`]).

pub mod bundle;
pub mod highlight;
pub mod images;
pub mod reuse;
pub mod search_index;

use crate::diag::{Diagnostic, Progress};
use crate::load::{Content, Page, Post};
use bundle::{Bundle, assemble_reusing};
use quire_core::Route;
use reuse::Reuse;
use std::path::PathBuf;

/// What the render stage turns into files.
#[derive(Debug)]
pub struct Assembled {
    pub bundle: Bundle,
    /// Old addresses to keep alive, each leading to a post or a standalone page.
    pub aliases: Vec<Alias>,
    /// `(source, path relative to the output root)` of the files under `static/`.
    pub static_files: Vec<(PathBuf, PathBuf)>,
    /// Drafts left out of the site.
    pub drafts_skipped: usize,
    /// What the feeds carry (site.toml's `feed_content`).
    pub feed_content: crate::load::site::FeedContent,
    /// Warnings found while assembling (missing local images).
    pub warnings: Vec<Diagnostic>,
}

/// One alias to write: its folder and the route (a post or a page) it leads to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alias {
    pub dir: String,
    pub route: Route,
}

/// Every alias of the posts and pages being published.
pub fn collect_aliases(posts: &[Post], pages: &[Page]) -> Vec<Alias> {
    let post_aliases = posts.iter().flat_map(|p| {
        p.aliases.iter().map(|dir| Alias {
            dir: dir.clone(),
            route: Route::Post {
                slug: p.slug.clone(),
            },
        })
    });
    let page_aliases = pages.iter().flat_map(|p| {
        p.aliases.iter().map(|dir| Alias {
            dir: dir.clone(),
            route: Route::Page {
                slug: p.slug.clone(),
            },
        })
    });
    post_aliases.chain(page_aliases).collect()
}

/// Assembles a loaded content folder that has no errors (so its site.toml was read).
/// The search index is not in it yet: the render stage attaches it
/// ([`search_index::attach`]) while it writes the route files. `progress` hears the end
/// of the bundle phase; `reuse` holds what an
/// earlier build in this process worked out (`quire serve`).
pub fn assemble(
    mut content: Content,
    progress: Option<&(dyn Fn(Progress<'_>) + Sync)>,
    reuse: Option<&Reuse>,
) -> Assembled {
    let site = content
        .site
        .take()
        .expect("no errors, so site.toml was read");
    let drafts_skipped = content.drafts_skipped;
    let feed_content = content.feed_content;
    let static_files = std::mem::take(&mut content.static_files);
    let authors = std::mem::take(&mut content.authors);
    let aliases = collect_aliases(&content.posts, &content.pages);
    let pages = std::mem::take(&mut content.pages);
    let (bundle, warnings) = assemble_reusing(
        site,
        std::mem::take(&mut content.posts),
        pages,
        &authors,
        &static_files,
        reuse.map(|r| &r.code),
    );
    drop(content);
    if let Some(p) = progress {
        p(Progress::Phase("bundle"));
    }
    Assembled {
        bundle,
        aliases,
        static_files,
        drafts_skipped,
        feed_content,
        warnings,
    }
}
