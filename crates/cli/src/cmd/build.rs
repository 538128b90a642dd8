//! `quire build`: the pipeline, stage by stage — load the content folder, assemble the
//! bundle, render every file into a staging folder, commit it into place — printing what
//! the stages report. Before the first stage the output folder is locked and whatever an
//! interrupted build left there is put right (`render::output`).

use super::args::{BuildArgs, ContentArgs};
use super::print::{self, Printer, plural};
use crate::assemble::assemble;
use crate::diag::{self, Diagnostic, Progress};
use crate::load::{LoadOptions, load};
use crate::render::output::{CommitError, Notice, Output, Staging};
use crate::render::{self, Rendered};
use std::io;
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
    match build_site(&dir, &out, a.shell.as_deref(), a.source.drafts, &printer) {
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

/// Loads, checks and writes a site: load → assemble → render → commit. Diagnostics and
/// progress go to stderr.
pub fn build_site(
    dir: &Path,
    out: &Path,
    shell: Option<&Path>,
    drafts: bool,
    printer: &Printer,
) -> Result<BuildReport, BuildError> {
    let progress = |p: Progress<'_>| printer.show(p);

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
            drafts,
            progress: Some(&progress),
        },
    );
    progress(Progress::Phase("read and check"));
    let (shell_text, shell_note) = render::read_shell(shell, out);
    if let Some(site) = &content.site {
        let notes = render::notes(site, &dir.join("site.toml"));
        content.diagnostics.extend(notes);
    }
    content.diagnostics.extend(shell_note);
    diag::sort(&mut content.diagnostics);
    print::diagnostics(&content.diagnostics);
    let errors = diag::error_count(&content.diagnostics);
    if errors > 0 {
        return Err(BuildError::Content(errors));
    }
    let language = content.site.as_ref().map_or("en", |s| s.language.as_str());
    // A debug Trunk build (`trunk serve`) injects a live-reload script: no policy then.
    let dev_build = std::env::var("TRUNK_PROFILE").is_ok_and(|p| p == "debug");
    let template = render::template(shell_text, language, dev_build).map_err(|e| {
        let where_ = shell.map_or_else(|| out.join("index.html"), Path::to_path_buf);
        eprintln!("{}", Diagnostic::error(&where_, 1, e));
        BuildError::Content(1)
    })?;

    // Assemble: the bundle and its search index.
    let site = assemble(content, Some(&progress));
    print::diagnostics(&site.warnings);

    // Render: every file, into a staging folder beside the output.
    let staging = Staging::in_output(output)?;
    let rendered = render::render(&site, &template, &staging, &progress)?;

    // Commit: swap the new files into place.
    print_notices(&staging.commit()?);
    progress(Progress::Phase("swap into place"));
    Ok(BuildReport {
        drafts_skipped: site.drafts_skipped,
        rendered,
    })
}
