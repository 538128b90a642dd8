//! How the commands show what the stages report, on stderr: diagnostics, one a line; and
//! [`Progress`] while they work (progress lines for big folders, and phase times when
//! `QUIRE_TIMING` is set, for benchmarks).

use crate::diag::{Diagnostic, Progress};
use std::io::{self, Write};
use std::sync::Mutex;
use std::time::Instant;

/// Prints every diagnostic, one a line.
pub fn diagnostics(diags: &[Diagnostic]) {
    let stderr = io::stderr();
    let mut w = io::BufWriter::new(stderr.lock());
    for d in diags {
        let _ = writeln!(w, "{d}");
    }
}

/// `s` after a count that is not one.
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Prints [`Progress`] on stderr; a stopwatch over a build's phases.
pub struct Printer {
    timing: bool,
    last: Mutex<Instant>,
}

impl Printer {
    /// Phase times on when `QUIRE_TIMING` is set, whatever its value.
    pub fn from_env() -> Printer {
        Printer::new(std::env::var_os("QUIRE_TIMING").is_some())
    }

    pub fn new(timing: bool) -> Printer {
        Printer {
            timing,
            last: Mutex::new(Instant::now()),
        }
    }

    /// Whether phase times are shown (`QUIRE_TIMING`).
    pub fn timing(&self) -> bool {
        self.timing
    }

    /// Shows one piece of progress.
    pub fn show(&self, p: Progress<'_>) {
        if let Some(line) = self.line(p) {
            eprintln!("{line}");
        }
    }

    /// The line for `p`, if one is shown. A phase's time runs from the end of the one
    /// before (or from [`Printer::new`]).
    fn line(&self, p: Progress<'_>) -> Option<String> {
        match p {
            Progress::Reading(n) => Some(format!("quire: reading {n} posts…")),
            Progress::Writing(n) => Some(format!("quire: writing {n} route files…")),
            Progress::Phase(what) => {
                let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
                let line = self.timing.then(|| {
                    format!(
                        "quire: timing: {what} {:.3} s",
                        last.elapsed().as_secs_f64()
                    )
                });
                *last = Instant::now();
                line
            }
            Progress::SearchPhase(what, seconds) => self
                .timing
                .then(|| format!("quire: timing: search: {what} {seconds:.3} s")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timing_lines_only_when_on() {
        let on = Printer::new(true);
        let l = on.line(Progress::Phase("write data")).unwrap();
        assert!(
            l.starts_with("quire: timing: write data ") && l.ends_with(" s"),
            "{l}"
        );
        assert_eq!(
            Printer::new(false).line(Progress::Phase("write data")),
            None
        );
        assert_eq!(
            Printer::new(false).line(Progress::Reading(1000)).as_deref(),
            Some("quire: reading 1000 posts…")
        );
    }
}
