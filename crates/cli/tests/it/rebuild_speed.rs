//! `quire serve`'s rebuilds are fast because they reuse what the build before worked out
//! (highlighted code, rendered summaries and bodies, kept by their whole input): after one
//! post is edited, only that post's parts are computed again, and the site written is byte
//! for byte the one a fresh start of `quire serve` writes for the same content.

use crate::common::{collect_stderr, quire, snapshot, stderr};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running `quire serve` with `QUIRE_TIMING` on, its stderr collected.
struct Serving {
    child: Child,
    output: Arc<Mutex<String>>,
    port: u16,
    /// The folder it builds into (`…/site`).
    site: PathBuf,
}

impl Serving {
    fn start(content: &Path, shell: &Path) -> Serving {
        let mut child = Command::new(env!("CARGO_BIN_EXE_quire"))
            .args(["serve", "--port", "0", "--content"])
            .arg(content)
            .arg("--shell")
            .arg(shell)
            .env_remove("QUIRE_CONTENT")
            .env_remove("TRUNK_STAGING_DIR")
            .env("QUIRE_TIMING", "1")
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let output = collect_stderr(&mut child);
        let mut s = Serving {
            child,
            output,
            port: 0,
            site: PathBuf::new(),
        };
        let line = s.wait_for(1, "at http://127.0.0.1:");
        let after = line.split("at http://127.0.0.1:").nth(1).unwrap();
        s.port = after.split('/').next().unwrap().parse().unwrap();
        let tmp = after.split("built in ").nth(1).unwrap();
        s.site = Path::new(tmp.split(';').next().unwrap()).join("site");
        s
    }

    fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// The `n`th output line containing `text`.
    fn wait_for(&mut self, n: usize, text: &str) -> String {
        let start = Instant::now();
        loop {
            if let Some(l) = self
                .output()
                .lines()
                .filter(|l| l.contains(text))
                .nth(n - 1)
            {
                return l.to_string();
            }
            assert!(
                self.child.try_wait().unwrap().is_none(),
                "quire serve exited:\n{}",
                self.output()
            );
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "no {text:?} in:\n{}",
                self.output()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for the build after version `since`, then snapshots the served folder.
    fn next_build(&mut self, since: u32) -> BTreeMap<PathBuf, String> {
        let path = format!("/__quire/reload?since={since}");
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        let mut text = String::new();
        s.read_to_string(&mut text).unwrap();
        assert!(
            text.ends_with(&format!("\r\n\r\n{}", since + 1)),
            "{text}\n{}",
            self.output()
        );
        snapshot(&self.site)
    }
}

impl Drop for Serving {
    /// Ctrl-C, so the server removes its temporary folder; killed if it has not stopped.
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Ok(pid) = i32::try_from(self.child.id()) {
            // SAFETY: sends a signal to the child this test started.
            unsafe { libc::kill(pid, libc::SIGINT) };
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(10) {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `(computed, kept)` of one memo in a `quire: timing: reused:` line.
fn counts(line: &str, memo: &str) -> (usize, usize) {
    let after = line.split(&format!("{memo} ")).nth(1).unwrap();
    let pair = after.split([',', ' ']).next().unwrap();
    let (made, kept) = pair.split_once('/').unwrap();
    (made.parse().unwrap(), kept.parse().unwrap())
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// Differences between two snapshots, by path, for a readable failure.
fn differences(a: &BTreeMap<PathBuf, String>, b: &BTreeMap<PathBuf, String>) -> Vec<String> {
    let mut out = Vec::new();
    for (p, h) in a {
        match b.get(p) {
            Some(g) if g == h => {}
            Some(_) => out.push(format!("{}: differs", p.display())),
            None => out.push(format!("{}: only in the rebuild", p.display())),
        }
    }
    for p in b.keys().filter(|p| !a.contains_key(*p)) {
        out.push(format!("{}: only in the fresh build", p.display()));
    }
    out
}

#[test]
fn a_rebuild_computes_only_the_edited_post_and_writes_a_fresh_builds_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("blog");
    quire_devtools::corpus::generate(60, 7, &content).unwrap();
    let mut posts: Vec<PathBuf> = std::fs::read_dir(content.join("posts"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    posts.sort();
    // A post with a code block, so its highlighted code must be worked out again too.
    let edited = posts
        .iter()
        .find(|p| std::fs::read_to_string(p).unwrap().contains("```"))
        .expect("the corpus has code")
        .clone();
    let n = posts.len();
    // One shell for both servers (a test binary has no app inside; without `--shell` a
    // rebuild would take its shell from the build before).
    let built = tmp.path().join("built");
    let o = quire(
        &["build", "--content", path(&content), "--out", path(&built)],
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let shell = built.join("index.html");

    let mut serving = Serving::start(&content, &shell);
    let first = serving.wait_for(1, "quire: timing: reused:");
    // The first build computes everything.
    assert_eq!(counts(&first, "bodies"), (n, 0), "{first}");

    // One post's title, summary and body (with its code) change.
    let text = std::fs::read_to_string(&edited).unwrap();
    let text = text.replacen("title: \"", "title: \"Edited ", 1).replacen(
        "\n---\n\n",
        "\n---\n\nA new first line.\n\n",
        1,
    );
    std::fs::write(&edited, &text).unwrap();
    let rebuilt = serving.next_build(1);
    let line = serving.wait_for(2, "quire: timing: reused:");
    // Only the edited post's parts are computed again; every other one is kept.
    assert_eq!(counts(&line, "bodies"), (1, n - 1), "{line}");
    assert_eq!(counts(&line, "code"), (1, n - 1), "{line}");
    let (made, kept) = counts(&line, "summaries");
    assert_eq!(made + kept, n, "{line}");
    assert!(made <= 2, "{line}");

    // A fresh `quire serve` of the same content writes the very same bytes.
    let copy = tmp.path().join("copy");
    copy_dir(&content, &copy);
    let mut fresh = Serving::start(&copy, &shell);
    fresh.wait_for(1, "quire: timing: reused:");
    let cold = snapshot(&fresh.site);
    let diff = differences(&rebuilt, &cold);
    assert!(diff.is_empty(), "{}", diff.join("\n"));
}
