//! `quire check`: the load stage alone, every problem printed, nothing written.

use super::args::CheckArgs;
use super::build::content_dir;
use super::print::{self, Printer, plural};
use crate::diag::{self, Progress};
use crate::load::{LoadOptions, load};

/// `quire check`: prints every problem; returns the exit status.
pub fn check(a: &CheckArgs) -> i32 {
    let dir = content_dir(&a.source);
    let printer = Printer::new(false);
    let progress = |p: Progress<'_>| printer.show(p);
    let now = match crate::load::dates::build_now() {
        Ok(now) => now,
        Err(e) => {
            eprintln!("quire check: error: {e}");
            return 1;
        }
    };
    let content = load(
        &dir,
        &LoadOptions {
            drafts: a.source.drafts,
            future: a.source.future,
            now: Some(now),
            progress: Some(&progress),
        },
    );
    print::diagnostics(&content.diagnostics);
    let errors = diag::error_count(&content.diagnostics);
    let warnings = content
        .diagnostics
        .iter()
        .filter(|d| d.severity == diag::Severity::Warning)
        .count();
    eprintln!(
        "quire check: {} post file{}, {errors} error{}, {warnings} warning{}",
        content.files,
        plural(content.files),
        plural(errors),
        plural(warnings)
    );
    i32::from(errors > 0)
}
