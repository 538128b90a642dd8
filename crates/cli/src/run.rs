//! What the subcommands do: load and check the content, then write the site (orchestration
//! of [`crate::content`], [`crate::bundle`], [`crate::routes`], [`crate::feed`],
//! [`crate::sitemap`] and [`crate::output`]).

use crate::args::{BuildArgs, CheckArgs, ContentArgs};
use crate::bundle::{Bundle, assemble_with_authors};
use crate::content::{Content, LoadOptions, load};
use crate::diag::{self, Diagnostic};
use crate::output::Staging;
use crate::route_files::render_route;
use crate::shell::{BUILTIN_MARK, Template, builtin_shell};
use crate::timing::Phases;
use quire_core::Route;
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// `--content`, else `$QUIRE_CONTENT` (when not empty), else `content/`.
pub fn content_dir(a: &ContentArgs) -> PathBuf {
    a.content
        .clone()
        .or_else(|| {
            std::env::var_os("QUIRE_CONTENT")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        .unwrap_or_else(|| PathBuf::from("content"))
}

/// `--out`, else `$TRUNK_STAGING_DIR` (when not empty), else `dist/`.
pub fn out_dir(a: &BuildArgs) -> PathBuf {
    a.out
        .clone()
        .or_else(|| {
            std::env::var_os("TRUNK_STAGING_DIR")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        .unwrap_or_else(|| PathBuf::from("dist"))
}

fn print_diagnostics(diags: &[Diagnostic]) {
    let stderr = io::stderr();
    let mut w = io::BufWriter::new(stderr.lock());
    for d in diags {
        let _ = writeln!(w, "{d}");
    }
}

/// `quire check`: prints every problem; returns the exit status.
pub fn check(a: &CheckArgs) -> i32 {
    let dir = content_dir(&a.source);
    let mut content = load(
        &dir,
        &LoadOptions {
            drafts: a.source.drafts,
            progress: true,
        },
    );
    let conflicts = static_conflicts(&content);
    content.diagnostics.extend(conflicts);
    content
        .diagnostics
        .extend(crate::aliases::conflicts(&content));
    diag::sort(&mut content.diagnostics);
    print_diagnostics(&content.diagnostics);
    let errors = diag::error_count(&content.diagnostics);
    let warnings = content.diagnostics.len() - errors;
    eprintln!(
        "quire check: {} post file{}, {errors} error{}, {warnings} warning{}",
        content.files,
        plural(content.files),
        plural(errors),
        plural(warnings)
    );
    i32::from(errors > 0)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// What a build wrote, for the summary line and tests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildReport {
    pub posts: usize,
    pub drafts_skipped: usize,
    pub tags: usize,
    pub categories: usize,
    pub authors: usize,
    pub route_files: usize,
    pub chunk_files: usize,
    pub chunk_bytes: u64,
    pub index_bytes: usize,
}

/// `quire build`: builds, prints the summary line; returns the exit status.
pub fn build(a: &BuildArgs) -> i32 {
    let start = Instant::now();
    let dir = content_dir(&a.source);
    let out = out_dir(a);
    match build_site(&dir, &out, a.shell.as_deref(), a.source.drafts) {
        Ok(r) => {
            eprintln!(
                "quire: {} post{}{}, {} tags, {} categories, {} authors; {} route files, {} chunks ({} KB) → {} in {:.2} s",
                r.posts,
                plural(r.posts),
                if r.drafts_skipped > 0 {
                    format!(
                        " ({} draft{} left out)",
                        r.drafts_skipped,
                        plural(r.drafts_skipped)
                    )
                } else {
                    String::new()
                },
                r.tags,
                r.categories,
                r.authors,
                r.route_files,
                r.chunk_files,
                (r.chunk_bytes + r.index_bytes as u64).div_ceil(1024),
                out.display(),
                start.elapsed().as_secs_f64()
            );
            0
        }
        Err(BuildError::Content(n)) => {
            eprintln!(
                "quire: {n} error{} in the content; nothing was written",
                plural(n)
            );
            1
        }
        Err(BuildError::Io(e)) => {
            eprintln!("quire: error: {e}; the output is unchanged");
            1
        }
    }
}

#[derive(Debug)]
pub enum BuildError {
    /// This many errors were found in the content (already printed).
    Content(usize),
    Io(io::Error),
}

impl From<io::Error> for BuildError {
    fn from(e: io::Error) -> Self {
        BuildError::Io(e)
    }
}

/// Top-level names quire generates; static files must not use them.
pub(crate) const GENERATED: [&str; 12] = [
    "index.html",
    "404.html",
    "data",
    "post",
    "tag",
    "category",
    "author",
    "page",
    "tags",
    "archive",
    "feed.xml",
    "sitemap.xml",
];

fn static_conflicts(content: &Content) -> Vec<Diagnostic> {
    content
        .static_files
        .iter()
        .filter_map(|(src, rel)| {
            let first = rel
                .components()
                .next()?
                .as_os_str()
                .to_string_lossy()
                .into_owned();
            let taken = GENERATED.contains(&first.as_str())
                || (first.starts_with("sitemap-") && first.ends_with(".xml"))
                || first == crate::output::MANIFEST;
            taken.then(|| {
                Diagnostic::error(
                    src,
                    1,
                    format!(
                        "static file would replace {first:?}, which quire generates; rename it"
                    ),
                )
            })
        })
        .collect()
}

/// Loads, checks and writes a site. Diagnostics go to stderr.
pub fn build_site(
    dir: &Path,
    out: &Path,
    shell: Option<&Path>,
    drafts: bool,
) -> Result<BuildReport, BuildError> {
    let mut phases = Phases::from_env();
    let mut content = load(
        dir,
        &LoadOptions {
            drafts,
            progress: true,
        },
    );
    phases.done("read and check");
    let conflicts = static_conflicts(&content);
    content.diagnostics.extend(conflicts);
    content
        .diagnostics
        .extend(crate::aliases::conflicts(&content));
    let mut notes: Vec<Diagnostic> = Vec::new();
    let site_path = dir.join("site.toml");
    if let Some(site) = &content.site
        && site.base_url.is_none()
    {
        notes.push(Diagnostic::warning(
            &site_path,
            1,
            "no base_url: feed.xml gets relative links, sitemap.xml site-relative paths, and pages no canonical link; set base_url = \"https://…/\"",
        ));
    }
    // The shell, read before anything is written.
    let (shell_text, shell_note) = match shell {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(t) => (Some(t), None),
            Err(e) => {
                content.diagnostics.push(Diagnostic::error(
                    path,
                    1,
                    format!("cannot read the app shell: {e}"),
                ));
                (None, None)
            }
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
                        "no app shell (no index.html here, no --shell): route files use quire's plain built-in page",
                    )),
                ),
            }
        }
    };
    notes.extend(shell_note);
    content.diagnostics.extend(notes);
    diag::sort(&mut content.diagnostics);
    print_diagnostics(&content.diagnostics);
    let errors = diag::error_count(&content.diagnostics);
    if errors > 0 {
        return Err(BuildError::Content(errors));
    }
    let site = content
        .site
        .take()
        .expect("no errors, so site.toml was read");
    let language = site.language.clone();
    let shell_text = shell_text.unwrap_or_else(|| builtin_shell(&language));
    // A debug Trunk build (`trunk serve`) injects a live-reload script that changes per
    // request: a hash-based policy would block it, so development builds go without one.
    let dev_build = std::env::var("TRUNK_PROFILE").is_ok_and(|p| p == "debug");
    let template = Template::with_csp(&shell_text, !dev_build).map_err(|e| {
        let where_ = shell.map_or_else(|| out.join("index.html"), Path::to_path_buf);
        eprintln!("{}", Diagnostic::error(&where_, 1, e));
        BuildError::Content(1)
    })?;

    let drafts_skipped = content.drafts_skipped;
    let static_files = std::mem::take(&mut content.static_files);
    let authors = std::mem::take(&mut content.authors);
    let aliases = crate::aliases::collect(&content.posts);
    let mut bundle = assemble_with_authors(site, std::mem::take(&mut content.posts), &authors);
    drop(content);
    phases.done("bundle");
    crate::search_index::attach(&mut bundle);
    phases.done("search index");
    let staging = Staging::new(out)?;
    let report = write_all(&staging, &bundle, &template, &static_files, &mut phases)?;
    crate::aliases::write(
        &staging,
        &bundle.index,
        &aliases,
        template.base_href.as_deref(),
    )?;
    staging.commit()?;
    phases.done("swap into place");
    Ok(BuildReport {
        drafts_skipped,
        ..report
    })
}

fn write_all(
    staging: &Staging,
    bundle: &Bundle,
    template: &Template,
    static_files: &[(PathBuf, PathBuf)],
    phases: &mut Phases,
) -> io::Result<BuildReport> {
    let index = &bundle.index;
    let index_json = bundle.index_json();
    staging.write(Bundle::index_path(), &index_json)?;
    bundle
        .chunks
        .par_iter()
        .try_for_each(|(name, bytes)| staging.write(&format!("data/{name}"), bytes))?;
    phases.done("write data");

    let mut routes = Route::all(index);
    if routes.len() >= 2000 {
        eprintln!("quire: writing {} route files…", routes.len() + 1);
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
    use crate::fragment::contain;
    // Every page is the app's own components rendered here, over the same index and texts
    // the browser gets; each summary is rendered once, for all the lists that show it.
    let prerenderer = quire_app::Prerenderer::new(bundle.index.clone(), &template.base);
    let policy = index.site.raw_html;
    let summaries: std::sync::Arc<Vec<std::sync::Arc<str>>> = std::sync::Arc::new(
        bundle
            .summaries
            .par_iter()
            .enumerate()
            .map(|(i, md)| contain(&quire_app::model::summary_html(md, policy, i)).into())
            .collect(),
    );
    phases.done("render summaries");
    routes
        .par_iter()
        .zip(files.par_iter())
        .try_for_each(|(route, file)| {
            let post = match route {
                Route::Post { slug } => positions.get(slug.as_str()).copied(),
                _ => None,
            };
            let body = post
                .map(|i| contain(&quire_app::model::body_html(&bundle.bodies[i], policy)).into());
            let app = prerenderer.page(quire_app::Page {
                route,
                summaries: &summaries,
                body,
            });
            let post = post.map(|i| (i, bundle.summaries[i].as_str()));
            let html = render_route(template, index, route, post, &app);
            staging.write_in_place(file, html.as_bytes())
        })?;
    phases.done("write route files");
    staging.write("feed.xml", crate::feed::atom(bundle).as_bytes())?;
    routes.pop();
    for (name, text) in crate::sitemap::sitemaps(bundle, &routes) {
        staging.write(&name, text.as_bytes())?;
    }
    for (src, rel) in static_files {
        staging.copy(src, rel)?;
    }
    phases.done("feed, sitemap, static files");
    Ok(BuildReport {
        posts: index.posts.len(),
        drafts_skipped: 0,
        tags: index.tags.len(),
        categories: index.categories.len(),
        authors: index.authors.len(),
        route_files: routes.len() + 1,
        chunk_files: bundle.chunks.len(),
        chunk_bytes: index.chunk_bytes,
        index_bytes: index_json.len(),
    })
}
