//! The pipeline's third stage, render: [`Assembled`] → every file of the site, written into
//! a [`Staging`] folder that the last stage (commit, [`Staging::commit`]) swaps into place.
//!
//! The app's page ([`shell`]) becomes a template that [`route_files`] fills per route with
//! the app's own components rendered natively, each post's or page's Markdown pasted in only after
//! [`containment`]; around them the [`feed`], the [`sitemap`], the [`redirects`] of old
//! addresses and the static files. [`output`] is the staging folder and its swap.

pub mod app;
pub mod containment;
pub mod feed;
pub mod output;
pub mod redirects;
pub mod route_files;
pub mod shell;
pub mod sitemap;
mod xml;

use crate::assemble::bundle::Bundle;
use crate::assemble::reuse::{BodyKey, Reuse, policy_key};
use crate::assemble::{Assembled, search_index};
use crate::diag::{Diagnostic, Progress};
use containment::contain;
use output::Staging;
use quire_core::bundle::Body;
use quire_core::{Index, Route, Site};
use rayon::prelude::*;
use route_files::render_route;
use shell::{BUILTIN_MARK, Template, builtin_shell};
use std::collections::HashMap;
use std::io;
use std::path::Path;
use std::sync::Arc;

/// What the render stage wrote, for the summary line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rendered {
    pub posts: usize,
    pub tags: usize,
    pub categories: usize,
    pub authors: usize,
    pub route_files: usize,
    pub chunk_files: usize,
    pub chunk_bytes: u64,
    pub index_bytes: usize,
}

/// The app's page to fill per route: the `--shell` file, else the `index.html` already in
/// the output (an earlier Trunk build's, or quire's own), else `None` (quire's plain
/// built-in page). Read before anything is written; a problem is a diagnostic.
pub fn read_shell(shell: Option<&Path>, out: &Path) -> (Option<String>, Option<Diagnostic>) {
    match shell {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(t) => (Some(t), None),
            Err(e) => (
                None,
                Some(Diagnostic::error(
                    path,
                    1,
                    format!("cannot read the app shell: {e}"),
                )),
            ),
        },
        None => {
            let existing = out.join("index.html");
            match std::fs::read_to_string(&existing) {
                Ok(t) if t.contains(BUILTIN_MARK) => (
                    Some(t),
                    Some(Diagnostic::warning(
                        &existing,
                        1,
                        "no app here yet: route files use quire's plain built-in page (run trunk build)",
                    )),
                ),
                Ok(t) => (Some(t), None),
                Err(_) => (
                    None,
                    Some(Diagnostic::warning(
                        &existing,
                        1,
                        "no app shell (no index.html here, no --shell, and this quire has no app inside): route files use quire's plain built-in page; for the full blog, download a release quire or build one with scripts/package",
                    )),
                ),
            }
        }
    }
}

/// What the settings mean for the files written: a site without `base_url` gets relative
/// links in its feed and sitemap.
pub fn notes(site: &Site, site_path: &Path) -> Vec<Diagnostic> {
    let mut notes = Vec::new();
    if site.base_url.is_none() {
        notes.push(Diagnostic::warning(
            site_path,
            1,
            "no base_url: feed.xml gets relative links, sitemap.xml site-relative paths, and pages no canonical link; set base_url = \"https://…/\"",
        ));
    }
    notes
}

/// The template from the shell's text (quire's built-in page when there is none), with a
/// Content-Security-Policy unless `dev_build`: a debug Trunk build (`trunk serve`) injects
/// a live-reload script that changes per request, which a hash-based policy would block.
pub fn template(
    shell: Option<String>,
    language: &str,
    dev_build: bool,
) -> Result<Template, String> {
    let text = shell.unwrap_or_else(|| builtin_shell(language));
    Template::with_csp(&text, !dev_build)
}

/// Writes the whole site into `staging`: the bundle, one page per route (and `404.html`),
/// the feeds (the blog's and each tag's and category's), the sitemap, the static files
/// and the alias pages. The search index is built and attached to the bundle here, while
/// the route files are written (they never show it): its serial steps overlap their
/// rendering. Rendered summaries and bodies come from `reuse` when an earlier build in
/// this process rendered the same ones (`quire serve`).
pub fn render(
    site: &mut Assembled,
    template: &Template,
    staging: &Staging,
    progress: &(dyn Fn(Progress<'_>) + Sync),
    reuse: Option<&Reuse>,
) -> io::Result<Rendered> {
    let summaries = render_summaries(&site.bundle, reuse);
    progress(Progress::Phase("render summaries"));
    // The route files' share of the bundle, lent out while the search index is attached.
    let index = site.bundle.index.clone();
    let texts = Texts {
        summaries_md: site.bundle.summaries.clone(),
        summaries,
        bodies: std::mem::take(&mut site.bundle.bodies),
        page_bodies: std::mem::take(&mut site.bundle.page_bodies),
    };
    let (_, routes) = rayon::join(
        || search_index::attach(&mut site.bundle, Some(progress)),
        || write_routes(staging, &index, &texts, template, progress, reuse),
    );
    drop(index);
    site.bundle.bodies = texts.bodies;
    site.bundle.page_bodies = texts.page_bodies;
    let mut routes = routes?;
    progress(Progress::Phase("search index ∥ route files"));

    let bundle = &site.bundle;
    let index = &bundle.index;
    let index_json = bundle.index_json();
    staging.write(Bundle::index_path(), &index_json)?;
    bundle
        .chunks
        .par_iter()
        .try_for_each(|(name, bytes)| staging.write(&format!("data/{name}"), bytes))?;
    progress(Progress::Phase("write data"));
    routes.pop();
    for (name, text) in sitemap::sitemaps(bundle, &routes) {
        staging.write(&name, text.as_bytes())?;
    }
    for (src, rel) in &site.static_files {
        staging.copy(src, rel)?;
    }
    progress(Progress::Phase("sitemap, static files"));
    // The blog's feed, and one per tag and category in the term's folder.
    let texts = feed::FeedTexts::new(bundle, reuse);
    let feed = feed::atom(bundle, site.feed_content, &texts);
    staging.write(route_files::FEED_FILE, feed.as_bytes())?;
    feed::term_feeds(bundle, site.feed_content, &texts)
        .par_iter()
        .try_for_each(|(file, text)| staging.write(file, text.as_bytes()))?;
    redirects::write(staging, index, &site.aliases, template.base_href.as_deref())?;
    progress(Progress::Phase("feeds, alias pages"));
    Ok(Rendered {
        posts: index.posts.len(),
        tags: index.tags.len(),
        categories: index.categories.len(),
        authors: index.authors.len(),
        route_files: routes.len() + 1,
        chunk_files: bundle.chunks.len(),
        chunk_bytes: index.chunk_bytes,
        index_bytes: index_json.len(),
    })
}

/// What the route files show besides the index: summaries (Markdown, and rendered by
/// position) and the bodies of posts and pages.
struct Texts {
    summaries_md: Vec<String>,
    summaries: Arc<Vec<Arc<str>>>,
    bodies: Vec<Body>,
    page_bodies: Vec<Body>,
}

/// Every post's summary rendered and contained, once for all the lists that show it.
fn render_summaries(bundle: &Bundle, reuse: Option<&Reuse>) -> Arc<Vec<Arc<str>>> {
    let policy = bundle.index.site.raw_html;
    Arc::new(
        bundle
            .summaries
            .par_iter()
            .enumerate()
            .map(|(i, md)| {
                let render = |md: &str| contain(&quire_app::model::summary_html(md, policy, i));
                match reuse {
                    Some(r) => r
                        .summaries
                        .get_or((md.clone(), policy_key(policy), i), |(md, _, _)| {
                            render(md).into()
                        }),
                    None => render(md).into(),
                }
            })
            .collect(),
    )
}

/// Writes one file per route, and `404.html`; returns the routes (the last one
/// [`Route::NotFound`]).
fn write_routes(
    staging: &Staging,
    index: &Arc<Index>,
    texts: &Texts,
    template: &Template,
    progress: &(dyn Fn(Progress<'_>) + Sync),
    reuse: Option<&Reuse>,
) -> io::Result<Vec<Route>> {
    let mut routes = Route::all(index);
    if routes.len() >= 2000 {
        progress(Progress::Writing(routes.len() + 1));
    }
    let positions: HashMap<&str, usize> = index
        .posts
        .iter()
        .enumerate()
        .map(|(i, p)| (p.slug.as_str(), i))
        .collect();
    routes.push(Route::NotFound);
    let files: Vec<String> = routes.iter().map(Route::file).collect();
    staging.create_dirs(
        files
            .iter()
            .filter_map(|f| f.rsplit_once('/').map(|(d, _)| d)),
    )?;
    // Rendered Markdown is pasted into the page here, so it is parsed as a fragment in its
    // container's context and written back (`contain`): the browser reads exactly that
    // tree, and no post can close or reopen the page's own elements.
    // Every page is the app's own components rendered here, over the same index and texts
    // the browser gets.
    let prerenderer = quire_app::Prerenderer::new(index.clone(), &template.base);
    let policy = index.site.raw_html;
    routes
        .par_iter()
        .zip(files.par_iter())
        .try_for_each(|(route, file)| {
            let post = match route {
                Route::Post { slug } => positions.get(slug.as_str()).copied(),
                _ => None,
            };
            let body_md = match route {
                Route::Page { slug } => index.page_position(slug).map(|i| &texts.page_bodies[i]),
                _ => post.map(|i| &texts.bodies[i]),
            };
            let render =
                |b: &Body| -> Arc<str> { contain(&quire_app::model::body_html(b, policy)).into() };
            let body = body_md.map(|b| match reuse {
                Some(r) => r
                    .bodies
                    .get_or(BodyKey(b.clone(), policy), |BodyKey(b, _)| render(b)),
                None => render(b),
            });
            let app = prerenderer.page(quire_app::Page {
                route,
                summaries: &texts.summaries,
                body,
            });
            let post = post.map(|i| (i, texts.summaries_md[i].as_str()));
            let html = render_route(template, index, route, post, &app);
            staging.write_in_place(file, html.as_bytes())
        })?;
    Ok(routes)
}
