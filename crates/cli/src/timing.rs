//! Phase times on stderr when `QUIRE_TIMING` is set (for benchmarks).

use std::time::Instant;

/// A stopwatch over a build's phases.
pub struct Phases {
    on: bool,
    last: Instant,
}

impl Phases {
    /// On when `QUIRE_TIMING` is set, whatever its value.
    pub fn from_env() -> Phases {
        Phases::new(std::env::var_os("QUIRE_TIMING").is_some())
    }

    pub fn new(on: bool) -> Phases {
        Phases {
            on,
            last: Instant::now(),
        }
    }

    /// Ends the phase `what`: prints `quire: timing: WHAT S s` when on, and starts the next.
    pub fn done(&mut self, what: &str) {
        if let Some(line) = self.line(what) {
            eprintln!("{line}");
        }
    }

    fn line(&mut self, what: &str) -> Option<String> {
        let line = self.on.then(|| {
            format!(
                "quire: timing: {what} {:.3} s",
                self.last.elapsed().as_secs_f64()
            )
        });
        self.last = Instant::now();
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_only_when_on() {
        let mut on = Phases::new(true);
        let l = on.line("write data").unwrap();
        assert!(
            l.starts_with("quire: timing: write data ") && l.ends_with(" s"),
            "{l}"
        );
        assert_eq!(Phases::new(false).line("write data"), None);
    }
}
