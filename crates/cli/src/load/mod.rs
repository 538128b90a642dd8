//! The pipeline's first stage, load: a content folder → [`Content`], every post checked
//! and every problem found reported as a [`Diagnostic`] with its `path:line`.
//!
//! site.toml ([`site`]), every post under `posts/` (in parallel: [`post`], [`front_matter`]
//! with its [`yaml`] and [`toml_lines`] readers, [`dates`], [`aliases`], and how deep it
//! nests, [`depth`], with [`html_tree`]), the standalone pages under `pages/` ([`pages`],
//! by the posts' rules), the static files under `static/` ([`files`]), then the checks
//! across them all ([`checks`]).

pub mod aliases;
mod checks;
pub mod dates;
mod depth;
mod files;
pub mod front_matter;
pub mod html_tree;
pub mod pages;
pub mod post;
pub mod site;
pub mod theme;
mod toml_lines;
mod value;
mod yaml;

pub use files::open_regular;
pub use pages::Page;
pub use post::Post;

use crate::diag::{Diagnostic, Progress};
use files::{Bounds, Found, entry, is_markdown, read_text, walk};
use post::post_from_text;
use quire_core::Site;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Author of posts that name none when site.toml names none either.
pub const ANONYMOUS: &str = "Anonymous";

#[derive(Clone, Copy, Default)]
pub struct LoadOptions<'a> {
    /// Keep posts marked `draft: true`.
    pub drafts: bool,
    /// Keep posts dated after [`LoadOptions::now`] (`--future`); else each is left out
    /// with a note.
    pub future: bool,
    /// The build's "now" (`dates::build_now`: `QUIRE_NOW`, else the clock); `None` is
    /// the system clock.
    pub now: Option<i128>,
    /// Told [`Progress::Reading`] before a big folder's posts are read.
    pub progress: Option<&'a (dyn Fn(Progress<'_>) + Sync)>,
}

/// Everything read from a content folder, with every problem found.
#[derive(Debug, Default)]
pub struct Content {
    pub site: Option<Site>,
    /// Posts that will be published (drafts only with [`LoadOptions::drafts`]), in file order.
    pub posts: Vec<Post>,
    /// Standalone pages that will be published (drafts as for posts), in file order.
    pub pages: Vec<Page>,
    pub diagnostics: Vec<Diagnostic>,
    /// Post files found.
    pub files: usize,
    pub drafts_skipped: usize,
    /// Posts dated in the future, left out (without [`LoadOptions::future`]).
    pub future_skipped: usize,
    /// `(source, path relative to the output root)` of files under `static/`; the source
    /// is the real file (canonical, a regular file when the walk saw it).
    pub static_files: Vec<(PathBuf, PathBuf)>,
    /// site.toml's `[authors]` table (empty without one).
    pub authors: Vec<site::Author>,
    /// site.toml's `feed_content`.
    pub feed_content: site::FeedContent,
}

impl Content {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Reads a content folder. Never fails as a whole: every problem becomes a diagnostic.
///
/// Only what is inside the content folder is read (it may itself be reached through a
/// link): see `load/files.rs` for the rules on links, file types and sizes.
pub fn load(dir: &Path, opts: &LoadOptions<'_>) -> Content {
    let mut content = Content::default();
    let diags = &mut content.diagnostics;
    let root = match std::fs::canonicalize(dir) {
        Ok(root) if root.is_dir() => root,
        _ => {
            diags.push(Diagnostic::error(
                dir,
                1,
                "content folder not found (set --content DIR or QUIRE_CONTENT)",
            ));
            return content;
        }
    };
    let site_path = dir.join("site.toml");
    match entry(dir, &root, "site.toml") {
        Ok(Some((real, meta))) if meta.is_file() => match read_text(&site_path, &real) {
            Ok(text) => match site::parse_site(&text) {
                Ok((site, warnings)) => {
                    diags.extend(warnings.into_iter().map(|w| w.at(&site_path)));
                    content.site = Some(site);
                    let (authors, issues) = site::parse_authors(&text);
                    diags.extend(issues.into_iter().map(|i| i.at(&site_path)));
                    content.authors = authors;
                    let (feed, issues) = site::parse_feed_content(&text);
                    diags.extend(issues.into_iter().map(|i| i.at(&site_path)));
                    content.feed_content = feed;
                }
                Err(issues) => diags.extend(issues.into_iter().map(|i| i.at(&site_path))),
            },
            Err(d) => diags.push(d),
        },
        Ok(Some((_, meta))) => diags.push(Diagnostic::error(
            &site_path,
            1,
            files::not_regular(files::kind(meta.file_type())),
        )),
        Ok(None) => diags.push(Diagnostic::error(
            &site_path,
            1,
            "site.toml not found: create it with at least title = \"My blog\"",
        )),
        // Without site.toml there is no blog: a broken link is an error here.
        Err(d) => diags.push(Diagnostic::error(&d.path, d.line, d.message)),
    }

    let posts_dir = dir.join("posts");
    let mut files = Vec::new();
    let posts_real = match entry(dir, &root, "posts") {
        Ok(Some((real, meta))) if meta.is_dir() => Some(real),
        Ok(_) => None,
        Err(d) => {
            diags.push(d);
            None
        }
    };
    if let Some(real) = &posts_real {
        let bounds = Bounds {
            inside: &root,
            name: "the content folder",
        };
        walk(
            &posts_dir,
            real,
            bounds,
            &is_markdown,
            &mut files,
            diags,
            &mut |p, d| {
                d.push(Diagnostic::warning(
                    p,
                    1,
                    "not a .md file; skipped (posts are .md files; put images and other files in static/)",
                ))
            },
        );
    } else if !diags.iter().any(|d| d.path == posts_dir) {
        diags.push(Diagnostic::warning(
            &posts_dir,
            1,
            "no posts folder: the blog has no posts",
        ));
    }
    let static_dir = dir.join("static");
    let static_real = match entry(dir, &root, "static") {
        Ok(Some((real, meta))) if meta.is_dir() => Some(real),
        Ok(_) => None,
        Err(d) => {
            diags.push(d);
            None
        }
    };
    if let Some(real) = static_real {
        if let Some(posts) = posts_real
            .as_ref()
            .filter(|p| p.starts_with(&real) || real.starts_with(p))
        {
            diags.push(Diagnostic::error(
                &static_dir,
                1,
                format!(
                    "static/ and posts/ overlap (static/ leads to {}, posts/ to {}): static/ \
                     would publish the posts' sources; keep them apart",
                    real.display(),
                    posts.display()
                ),
            ));
        } else {
            let bounds = Bounds {
                inside: &real,
                name: "static/",
            };
            let mut found = Vec::new();
            walk(
                &static_dir,
                &real,
                bounds,
                &|_| true,
                &mut found,
                diags,
                &mut |_, _| {},
            );
            content.static_files = found
                .into_iter()
                .filter_map(|f| {
                    let rel = f.path.strip_prefix(&static_dir).ok()?.to_path_buf();
                    Some((f.real, rel))
                })
                .collect();
        }
    }

    let pages_files = read_pages(dir, &root, diags);

    content.files = files.len();
    if let Some(progress) = opts.progress
        && files.len() >= 1000
    {
        progress(Progress::Reading(files.len()));
    }
    let policy = content
        .site
        .as_ref()
        .map(|s| s.raw_html)
        .unwrap_or_default();
    type Loaded = Result<(Post, Vec<Diagnostic>), Vec<Diagnostic>>;
    // Consumed: each file's paths are freed once its post is made.
    let results: Vec<Loaded> = files
        .into_par_iter()
        .map(|Found { path, real }| {
            let text = read_text(&path, &real).map_err(|d| vec![d])?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            match post_from_text(&path, &name, &text, policy) {
                Ok((post, warnings)) => {
                    Ok((post, warnings.into_iter().map(|w| w.at(&path)).collect()))
                }
                Err(issues) => Err(issues.into_iter().map(|i| i.at(&path)).collect()),
            }
        })
        .collect();
    let site_author = content.site.as_ref().and_then(|s| s.author.clone());
    let now = opts.now.unwrap_or_else(dates::now_instant);
    for r in results {
        match r {
            Ok((mut post, warnings)) => {
                diags.extend(warnings);
                if post.draft && !opts.drafts {
                    content.drafts_skipped += 1;
                    continue;
                }
                if post.date.instant > now && !opts.future {
                    diags.push(Diagnostic::note(
                        &post.path,
                        1,
                        format!(
                            "date {} is in the future: the post is left out until then (--future publishes it now)",
                            post.date.text
                        ),
                    ));
                    content.future_skipped += 1;
                    continue;
                }
                if post.author.is_none() {
                    match &site_author {
                        Some(a) => post.author = Some(a.clone()),
                        None => {
                            diags.push(Diagnostic::warning(
                                &post.path,
                                1,
                                format!("no author here or in site.toml; listed as {ANONYMOUS:?}"),
                            ));
                            post.author = Some(ANONYMOUS.into());
                        }
                    }
                }
                // An author of site.toml's table is known by its key (its page's slug);
                // the bundle shows the table's name.
                if let Some(a) = post
                    .author
                    .as_deref()
                    .and_then(|name| site::find_author(name, &content.authors))
                {
                    post.author = Some(a.slug.clone());
                }
                content.posts.push(post);
            }
            Err(d) => diags.extend(d),
        }
    }
    for (path, text) in pages_files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        match pages::page_from_text(&path, &name, &text, policy) {
            Ok((page, warnings)) => {
                diags.extend(warnings.into_iter().map(|w| w.at(&path)));
                if page.draft && !opts.drafts {
                    content.drafts_skipped += 1;
                } else {
                    content.pages.push(page);
                }
            }
            Err(issues) => diags.extend(issues.into_iter().map(|i| i.at(&path))),
        }
    }
    diags.extend(checks::across(
        &content.posts,
        &content.pages,
        &content.static_files,
    ));
    crate::diag::sort(diags);
    content
}

/// The `.md` files under `pages/` and their text (none without the folder: a blog needs no
/// pages). Read by the rules of `posts/` ([`files`]); a page file that cannot be read is an
/// error at its path.
fn read_pages(dir: &Path, root: &Path, diags: &mut Vec<Diagnostic>) -> Vec<(PathBuf, String)> {
    let pages_dir = dir.join("pages");
    let real = match entry(dir, root, "pages") {
        Ok(Some((real, meta))) if meta.is_dir() => real,
        Ok(_) => return Vec::new(),
        Err(d) => {
            diags.push(d);
            return Vec::new();
        }
    };
    let bounds = Bounds {
        inside: root,
        name: "the content folder",
    };
    let mut found = Vec::new();
    walk(
        &pages_dir,
        &real,
        bounds,
        &is_markdown,
        &mut found,
        diags,
        &mut |p, d| {
            d.push(Diagnostic::warning(
                p,
                1,
                "not a .md file; skipped (pages are .md files; put images and other files in static/)",
            ))
        },
    );
    let mut out = Vec::with_capacity(found.len());
    for Found { path, real } in found {
        match read_text(&path, &real) {
            Ok(text) => out.push((path, text)),
            Err(d) => diags.push(d),
        }
    }
    out
}
