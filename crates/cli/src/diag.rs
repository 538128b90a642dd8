//! What the stages report, at the bottom of the pipeline: validation messages (every
//! problem as `path:line: error|warning: message`, all of them in one run, sorted by file
//! and line) and progress. Stages return these; only the commands (`cmd/`) print them.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    /// Something the author should know that is no problem (a scheduled post left out).
    Note,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        })
    }
}

/// A problem inside one text, before it is tied to a file: 1-based line, severity, message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    pub line: usize,
    pub severity: Severity,
    pub message: String,
}

impl Issue {
    pub fn error(line: usize, message: impl Into<String>) -> Issue {
        Issue {
            line,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    pub fn warning(line: usize, message: impl Into<String>) -> Issue {
        Issue {
            line,
            severity: Severity::Warning,
            message: message.into(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Ties the issue to a file.
    pub fn at(self, path: &Path) -> Diagnostic {
        Diagnostic {
            path: path.to_path_buf(),
            line: self.line,
            severity: self.severity,
            message: self.message,
        }
    }
}

/// A problem in a file, printed as `path:line: severity: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: usize,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    pub fn error(path: &Path, line: usize, message: impl Into<String>) -> Diagnostic {
        Issue::error(line, message).at(path)
    }

    pub fn warning(path: &Path, line: usize, message: impl Into<String>) -> Diagnostic {
        Issue::warning(line, message).at(path)
    }

    pub fn note(path: &Path, line: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            path: path.to_path_buf(),
            line,
            severity: Severity::Note,
            message: message.into(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // One line per problem, whatever the message holds.
        let message = self.message.replace(['\n', '\r'], " ");
        write!(
            f,
            "{}:{}: {}: {}",
            self.path.display(),
            self.line,
            self.severity,
            message
        )
    }
}

/// What a long stage says while it works, for the command to show.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Progress<'a> {
    /// This many post files are about to be read (said for big folders).
    Reading(usize),
    /// This many route files are about to be written (said for big sites).
    Writing(usize),
    /// A phase of the build ended (`QUIRE_TIMING` prints how long it took).
    Phase(&'a str),
    /// A phase of the search index ended, `seconds` after the index began.
    SearchPhase(&'a str, f64),
}

/// Sorts diagnostics by path, then line, errors before warnings on the same line.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.severity, &a.message).cmp(&(&b.path, b.line, b.severity, &b.message))
    });
}

pub fn error_count(diagnostics: &[Diagnostic]) -> usize {
    diagnostics.iter().filter(|d| d.is_error()).count()
}

/// 1-based line of a byte offset in `text` (offsets past the end count as the last line).
pub fn line_of_offset(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_path_line_severity_message() {
        let d = Diagnostic::error(Path::new("content/posts/a.md"), 3, "missing title");
        assert_eq!(d.to_string(), "content/posts/a.md:3: error: missing title");
        let w = Diagnostic::warning(Path::new("x.md"), 1, "two\nlines");
        assert_eq!(w.to_string(), "x.md:1: warning: two lines");
    }

    #[test]
    fn sorts_by_file_then_line() {
        let mut v = vec![
            Diagnostic::warning(Path::new("b.md"), 1, "w"),
            Diagnostic::error(Path::new("a.md"), 9, "e"),
            Diagnostic::warning(Path::new("a.md"), 2, "w"),
            Diagnostic::error(Path::new("a.md"), 2, "e"),
        ];
        sort(&mut v);
        let got: Vec<String> = v.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            got,
            [
                "a.md:2: error: e",
                "a.md:2: warning: w",
                "a.md:9: error: e",
                "b.md:1: warning: w"
            ]
        );
        assert_eq!(error_count(&v), 2);
    }

    #[test]
    fn lines_of_offsets() {
        assert_eq!(line_of_offset("a\nb\nc", 0), 1);
        assert_eq!(line_of_offset("a\nb\nc", 2), 2);
        assert_eq!(line_of_offset("a\nb\nc", 99), 3);
    }
}
