//! The pipeline's second stage, assemble: checked [`Content`] → [`Assembled`], everything
//! the site is made of before a file is written: the post bundle (the index and its
//! content-hashed chunks, [`bundle`]), the search index among those chunks
//! ([`search_index`]), the aliases to write and the static files to copy. Beside each
//! body it ships what the browser cannot work out itself: code highlighted
//! ([`highlight`]) and image sizes ([`images`]).

pub mod bundle;
pub mod highlight;
pub mod images;
pub mod search_index;

use crate::diag::{Diagnostic, Progress};
use crate::load::{Content, Post};
use bundle::{Bundle, assemble_all};
use std::path::PathBuf;

/// What the render stage turns into files.
#[derive(Debug)]
pub struct Assembled {
    pub bundle: Bundle,
    /// Old addresses to keep alive, each leading to a post.
    pub aliases: Vec<Alias>,
    /// `(source, path relative to the output root)` of the files under `static/`.
    pub static_files: Vec<(PathBuf, PathBuf)>,
    /// Drafts left out of the site.
    pub drafts_skipped: usize,
    /// Warnings found while assembling (missing local images).
    pub warnings: Vec<Diagnostic>,
}

/// One alias to write: its folder and the post it leads to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alias {
    pub dir: String,
    pub slug: String,
}

/// Every alias of the posts being published.
pub fn collect_aliases(posts: &[Post]) -> Vec<Alias> {
    posts
        .iter()
        .flat_map(|p| {
            p.aliases.iter().map(|dir| Alias {
                dir: dir.clone(),
                slug: p.slug.clone(),
            })
        })
        .collect()
}

/// Assembles a loaded content folder that has no errors (so its site.toml was read).
/// `progress` hears the end of the bundle and search phases.
pub fn assemble(
    mut content: Content,
    progress: Option<&(dyn Fn(Progress<'_>) + Sync)>,
) -> Assembled {
    let site = content
        .site
        .take()
        .expect("no errors, so site.toml was read");
    let drafts_skipped = content.drafts_skipped;
    let static_files = std::mem::take(&mut content.static_files);
    let authors = std::mem::take(&mut content.authors);
    let aliases = collect_aliases(&content.posts);
    let (mut bundle, warnings) = assemble_all(
        site,
        std::mem::take(&mut content.posts),
        &authors,
        &static_files,
    );
    drop(content);
    if let Some(p) = progress {
        p(Progress::Phase("bundle"));
    }
    search_index::attach(&mut bundle, progress);
    if let Some(p) = progress {
        p(Progress::Phase("search index"));
    }
    Assembled {
        bundle,
        aliases,
        static_files,
        drafts_skipped,
        warnings,
    }
}
