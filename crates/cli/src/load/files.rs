//! The content folder's files as the loader reads them: text that must be UTF-8, and the
//! walk over `posts/` and `static/` with its symlink and hidden-file rules.

use crate::diag::Diagnostic;
use std::fs;
use std::path::{Path, PathBuf};

/// Reads a file as UTF-8 text, with a `path:line` error for unreadable or non-UTF-8 files.
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let bytes =
        fs::read(path).map_err(|e| Diagnostic::error(path, 1, format!("cannot read: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = good.len() - good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) + 1;
        Diagnostic::error(
            path,
            line,
            format!("not UTF-8 text (bad byte at column {column}); save the file as UTF-8"),
        )
    })
}

/// Files under `dir`, recursively, in file-name order, for [`super::load`].
///
/// Symlink policy: links are followed, to files and to folders alike (a content folder
/// may link in posts kept elsewhere); a link that leads back to a folder containing it
/// is a loop, reported as a warning and not entered; a link to nothing is a warning and
/// skipped. Entries whose name starts with `.` (`.git`, editor swap files) are skipped
/// without a word. Files `keep` refuses go to `other`.
pub fn walk(
    dir: &Path,
    keep: &dyn Fn(&Path) -> bool,
    files: &mut Vec<PathBuf>,
    diags: &mut Vec<Diagnostic>,
    other: &mut dyn FnMut(&Path, &mut Vec<Diagnostic>),
) {
    let hidden =
        |e: &walkdir::DirEntry| e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
    let entries = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !hidden(e));
    for entry in entries {
        match entry {
            Ok(e) if e.file_type().is_dir() => {}
            Ok(e) if keep(e.path()) => files.push(e.into_path()),
            Ok(e) => other(e.path(), diags),
            Err(err) => {
                let path = err.path().unwrap_or(dir).to_path_buf();
                let diag = if err.loop_ancestor().is_some() {
                    Diagnostic::warning(
                        &path,
                        1,
                        "symlink loop: this folder leads back to one that contains it; skipped",
                    )
                } else if err.depth() == 0 {
                    Diagnostic::error(&path, 1, format!("cannot read folder: {}", io_text(&err)))
                } else if path.symlink_metadata().is_ok() && path.metadata().is_err() {
                    Diagnostic::warning(
                        &path,
                        1,
                        format!(
                            "cannot read (a broken symlink?): {}; skipped",
                            io_text(&err)
                        ),
                    )
                } else {
                    Diagnostic::warning(
                        &path,
                        1,
                        format!("cannot read: {}; skipped", io_text(&err)),
                    )
                };
                diags.push(diag);
            }
        }
    }
}

/// The I/O error under a walkdir error, without walkdir's own wording around it.
fn io_text(err: &walkdir::Error) -> String {
    err.io_error()
        .map_or_else(|| err.to_string(), ToString::to_string)
}

pub fn is_markdown(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
}
