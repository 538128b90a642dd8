//! `quire build`: the pipeline, stage by stage — load the content folder, assemble the
//! bundle, render every file into a staging folder, commit it into place — printing what
//! the stages report. Before the first stage the output folder is locked and whatever an
//! interrupted build left there is put right (`render::output`).

use super::args::{BuildArgs, ContentArgs};
use super::print::{self, Printer, plural};
use crate::assemble::assemble;
use crate::assemble::reuse::Reuse;
use crate::diag::{self, Diagnostic, Progress};
use crate::load::theme::{Theme, load as load_theme};
use crate::load::{LoadOptions, load};
use crate::render::app::{self, App};
use crate::render::output::{CommitError, Notice, Output, Staging};
use crate::render::shell;
use crate::render::{self, Rendered};
use std::io;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// `--content`, else `$QUIRE_CONTENT` (when not empty), else `content/`; else, when there
/// is no `content/` but a `site.toml` here (a blog made by `quire new`), this folder.
pub fn content_dir(a: &ContentArgs) -> PathBuf {
    a.content
        .clone()
        .or_else(|| {
            std::env::var_os("QUIRE_CONTENT")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        .unwrap_or_else(|| {
            let content = PathBuf::from("content");
            if !content.exists() && Path::new("site.toml").is_file() {
                PathBuf::from(".")
            } else {
                content
            }
        })
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

/// What a build wrote, for the summary line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildReport {
    pub drafts_skipped: usize,
    pub rendered: Rendered,
}

/// `quire build`: builds, prints the summary line; returns the exit status.
pub fn build(a: &BuildArgs) -> i32 {
    let start = Instant::now();
    let dir = content_dir(&a.source);
    let out = out_dir(a);
    let printer = Printer::from_env();
    let now = match crate::load::dates::build_now() {
        Ok(now) => now,
        Err(e) => {
            eprintln!("quire: error: {e}; nothing was written");
            return 1;
        }
    };
    let opts = SiteOptions {
        shell: a.shell.as_deref(),
        drafts: a.source.drafts,
        future: a.source.future,
        now: Some(now),
        base_path: a.base_path.as_deref(),
        ..SiteOptions::default()
    };
    match build_site(&dir, &out, &opts, &printer) {
        Ok(BuildReport {
            drafts_skipped,
            rendered: r,
        }) => {
            eprintln!(
                "quire: {} post{}{}, {} tags, {} categories, {} authors; {} route files, {} chunks ({} KB) → {} in {:.2} s",
                r.posts,
                plural(r.posts),
                if drafts_skipped > 0 {
                    format!(
                        " ({} draft{} left out)",
                        drafts_skipped,
                        plural(drafts_skipped)
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
        Err(BuildError::App(message)) => {
            eprintln!("quire: error: {message}; nothing was written");
            1
        }
        Err(BuildError::Io(e)) => {
            eprintln!("quire: error: {e}; the output is unchanged");
            1
        }
        Err(BuildError::Output(notices)) => {
            print_notices(&notices);
            let n = notices
                .iter()
                .filter(|n| n.severity == diag::Severity::Error)
                .count();
            eprintln!(
                "quire: {n} error{} in the output folder; nothing was written",
                plural(n)
            );
            1
        }
    }
}

/// Prints what the output stage reports, one a line.
fn print_notices(notices: &[Notice]) {
    for n in notices {
        eprintln!("{n}");
    }
}

#[derive(Debug)]
pub enum BuildError {
    /// This many errors were found in the content (already printed).
    Content(usize),
    /// The app to write is not one this quire can prerender for (not printed yet).
    App(String),
    Io(io::Error),
    /// The output folder holds what the build may not replace, or an interrupted build
    /// it cannot finish (not printed yet).
    Output(Vec<Notice>),
}

impl From<CommitError> for BuildError {
    fn from(e: CommitError) -> Self {
        match e {
            CommitError::Refused(notices) => BuildError::Output(notices),
            CommitError::Io(e) => BuildError::Io(e),
        }
    }
}

impl From<io::Error> for BuildError {
    fn from(e: io::Error) -> Self {
        BuildError::Io(e)
    }
}

/// How a site is built, beyond its content and output folders.
#[derive(Clone, Copy, Debug, Default)]
pub struct SiteOptions<'a> {
    /// `--shell`: the app's page to fill per route (no app files are written then).
    pub shell: Option<&'a Path>,
    pub drafts: bool,
    /// `--future`: posts dated after `now` are built too.
    pub future: bool,
    /// The build's "now" (seconds since the epoch), which decides which posts are in the
    /// future; `None` takes the clock.
    pub now: Option<i128>,
    /// `--base-path`, over the path of site.toml's base_url (the embedded app only).
    pub base_path: Option<&'a str>,
    /// HTML for every route file's `<head>` besides the theme's (`quire serve`'s
    /// live-reload script): hashed into the policy like the shell's own scripts.
    pub head_extra: Option<&'a str>,
    /// Use the app inside this binary even when quire runs as Trunk's hook.
    pub embedded_only: bool,
    /// What earlier builds in this process worked out, to take rather than compute again
    /// (`quire serve`'s rebuilds); `None` computes everything.
    pub reuse: Option<&'a Reuse>,
}

/// The app the route files are written with.
enum Shell {
    /// `--shell`, Trunk's staging index.html, an earlier build's, or quire's plain page.
    Text(Option<String>),
    /// The app inside this binary: its shell under the base path, and its files.
    Embedded(String, App),
}

/// Trunk's hook (`$TRUNK_STAGING_DIR`) writes over the app Trunk just built.
fn under_trunk() -> bool {
    std::env::var_os("TRUNK_STAGING_DIR").is_some_and(|v| !v.is_empty())
}

/// Refuses an app in the output folder (Trunk's) built from other sources than this quire:
/// its Wasm files carry another build id. One without any id is not checked.
fn check_app_on_disk(out: &Path) -> Result<(), String> {
    let Ok(entries) = std::fs::read_dir(out) else {
        return Ok(());
    };
    let mut files = Vec::new();
    for e in entries.flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "wasm") && p.is_file() {
            files.push((
                p.to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap_or_default().into(),
            ));
        }
    }
    let app = App { files };
    if app.build_ids().is_empty() {
        return Ok(());
    }
    app.check().map_err(|e| format!("{}: {e}", out.display()))
}

/// Loads, checks and writes a site: load → assemble → render → commit. Diagnostics and
/// progress go to stderr. `opts.now` decides which posts are in the future.
pub fn build_site(
    dir: &Path,
    out: &Path,
    opts: &SiteOptions<'_>,
    printer: &Printer,
) -> Result<BuildReport, BuildError> {
    let progress = |p: Progress<'_>| printer.show(p);
    let shell = opts.shell;

    // The output folder first: locked against another build into it, and a build that
    // was interrupted while it moved its files into place is finished before anything
    // else (so the shell read below is one build's).
    let output = Output::lock(out, || {
        eprintln!(
            "quire: waiting for another quire build into {} to finish…",
            out.display()
        )
    })?;
    print_notices(&output.recover()?);

    // Load: the content folder, checked; then what render needs from outside it (the
    // app's page), read before anything is written.
    let mut content = load(
        dir,
        &LoadOptions {
            drafts: opts.drafts,
            future: opts.future,
            now: opts.now,
            progress: Some(&progress),
        },
    );
    let (theme, theme_notes) = load_theme(dir);
    content.diagnostics.extend(theme_notes);
    progress(Progress::Phase("read and check"));
    let embedded = match (shell, App::embedded()) {
        (None, Some(app)) if opts.embedded_only || !under_trunk() => Some(app),
        _ => None,
    };
    let shell_choice = match embedded {
        Some(app) => {
            app.check().map_err(BuildError::App)?;
            let base_url = content.site.as_ref().and_then(|s| s.base_url.as_deref());
            let base = app::base_path(opts.base_path, base_url).map_err(BuildError::App)?;
            Shell::Embedded(app.shell(&base).map_err(BuildError::App)?, app)
        }
        None => {
            let (text, note) = render::read_shell(shell, out);
            content.diagnostics.extend(note);
            if shell.is_none() {
                check_app_on_disk(out).map_err(BuildError::App)?;
            }
            Shell::Text(text)
        }
    };
    if let Some(site) = &content.site {
        let notes = render::notes(site, &dir.join("site.toml"));
        content.diagnostics.extend(notes);
    }
    diag::sort(&mut content.diagnostics);
    print::diagnostics(&content.diagnostics);
    let errors = diag::error_count(&content.diagnostics);
    if errors > 0 {
        return Err(BuildError::Content(errors));
    }
    let language = content.site.as_ref().map_or("en", |s| s.language.as_str());
    // A debug Trunk build (`trunk serve`) injects a live-reload script: no policy then.
    let dev_build = std::env::var("TRUNK_PROFILE").is_ok_and(|p| p == "debug");
    let (theme_files, theme_head) = theme_parts(&theme);
    let head = [theme_head.as_str(), opts.head_extra.unwrap_or("")].concat();
    let (shell_text, app_files) = match shell_choice {
        Shell::Text(t) => (t, None),
        Shell::Embedded(t, app) => (Some(t), Some(app)),
    };
    let shell_text = shell_text.map(|t| shell::with_head(&t, &head));
    let shell_text = match (shell_text, head.is_empty()) {
        (None, false) => Some(shell::with_head(&shell::builtin_shell(language), &head)),
        (t, _) => t,
    };
    let template = render::template(shell_text, language, dev_build).map_err(|e| {
        let where_ = shell.map_or_else(|| out.join("index.html"), Path::to_path_buf);
        eprintln!("{}", Diagnostic::error(&where_, 1, e));
        BuildError::Content(1)
    })?;

    // Assemble: the bundle and its search index.
    if let Some(r) = opts.reuse {
        r.next_build();
    }
    let mut site = assemble(content, Some(&progress), opts.reuse);
    print::diagnostics(&site.warnings);

    // Render: every file, into a staging folder beside the output.
    let staging = Staging::in_output(output)?;
    if let Some(app) = &app_files {
        for (path, bytes) in app.assets() {
            staging.write(path, bytes)?;
        }
    }
    for (path, bytes) in &theme_files {
        staging.write(path, bytes.as_bytes())?;
    }
    let rendered = render::render(&mut site, &template, &staging, &progress, opts.reuse)?;

    // Commit: swap the new files into place.
    print_notices(&staging.commit()?);
    progress(Progress::Phase("swap into place"));
    Ok(BuildReport {
        drafts_skipped: site.drafts_skipped,
        rendered,
    })
}

/// The theme's files to write (the stylesheet under a name that changes with its content,
/// so a browser never keeps an old one) and the HTML it adds to every `<head>`.
fn theme_parts(theme: &Theme) -> (Vec<(String, String)>, String) {
    let mut files = Vec::new();
    let mut head = String::new();
    if let Some(css) = &theme.style_css {
        let name = format!("quire-theme-{}.css", short_hash(css));
        // Relative: it resolves against `<base href>`, under any base path.
        head.push_str(&format!("<link rel=\"stylesheet\" href=\"{name}\">\n"));
        files.push((name, css.clone()));
    }
    if let Some(html) = &theme.head_html {
        head.push_str(html);
        head.push('\n');
    }
    (files, head)
}

fn short_hash(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}
