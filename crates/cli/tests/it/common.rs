//! Helpers shared by the CLI's integration tests.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::sync::{Arc, Mutex};

/// Runs the `quire` binary with a clean environment for quire's variables.
pub fn quire(args: &[&str], env: &[(&str, &Path)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_quire"));
    cmd.args(args)
        .env_remove("QUIRE_CONTENT")
        .env_remove("TRUNK_STAGING_DIR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("quire runs")
}

/// The address space hostile inputs may use (a normal small build needs far less).
pub const HOSTILE_MEMORY_CAP: u64 = 1 << 30;

/// How a run under [`quire_limited`] ended.
pub struct Limited {
    pub output: Output,
    /// Killed for running past the time limit.
    pub timed_out: bool,
    pub seconds: f64,
}

/// Runs `quire` as [`quire`] does, with its address space capped at `memory` bytes
/// (setrlimit: an allocation past it fails, which Rust turns into an abort) and killed
/// after `seconds`. Hostile inputs run under this, so a blow-up or a hang fails the test
/// instead of the machine.
pub fn quire_limited(args: &[&str], memory: u64, seconds: u64) -> Limited {
    use std::os::unix::process::CommandExt;
    use std::process::Stdio;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_quire"));
    cmd.args(args)
        .env_remove("QUIRE_CONTENT")
        .env_remove("TRUNK_STAGING_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: setrlimit is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            let lim = libc::rlimit {
                rlim_cur: memory,
                rlim_max: memory,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let started = std::time::Instant::now();
    let mut child = cmd.spawn().expect("quire runs");
    let (mut out, mut err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let read_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut v).ok();
        v
    });
    let read_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut v).ok();
        v
    });
    let mut timed_out = false;
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if started.elapsed().as_secs() >= seconds {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("wait");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Limited {
        output: Output {
            status,
            stdout: read_out.join().unwrap_or_default(),
            stderr: read_err.join().unwrap_or_default(),
        },
        timed_out,
        seconds: started.elapsed().as_secs_f64(),
    }
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A content folder in a temporary directory.
pub struct Blog {
    pub root: tempfile::TempDir,
}

impl Blog {
    pub fn new(site_toml: &str) -> Blog {
        let root = tempfile::tempdir().unwrap();
        fs::create_dir_all(root.path().join("content/posts")).unwrap();
        fs::write(root.path().join("content/site.toml"), site_toml).unwrap();
        Blog { root }
    }

    pub fn content(&self) -> PathBuf {
        self.root.path().join("content")
    }

    pub fn out(&self) -> PathBuf {
        self.root.path().join("dist")
    }

    pub fn post(&self, name: &str, text: &str) -> PathBuf {
        let p = self.content().join("posts").join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, text).unwrap();
        p
    }

    pub fn post_bytes(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.content().join("posts").join(name);
        fs::write(&p, bytes).unwrap();
        p
    }

    /// `quire build --content … --out …` plus extra arguments.
    pub fn build(&self, extra: &[&str]) -> Output {
        let content = self.content();
        let out = self.out();
        let mut args = vec![
            "build",
            "--content",
            content.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        quire(&args, &[])
    }

    pub fn check(&self) -> Output {
        let content = self.content();
        quire(&["check", "--content", content.to_str().unwrap()], &[])
    }

    pub fn index(&self) -> quire_core::Index {
        let text = fs::read_to_string(self.out().join("data/index.json")).unwrap();
        quire_core::Index::from_json(&text).unwrap()
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }
}

/// A simple post.
pub fn post(title: &str, date: &str, extra: &str, body: &str) -> String {
    format!("---\ntitle: {title:?}\ndate: {date}\n{extra}---\n{body}\n")
}

/// Every file under `dir` with its size and hash (to compare output trees).
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, String>) {
        let Ok(rd) = fs::read_dir(dir) else { return };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let bytes = fs::read(&p).unwrap();
                let sum = format!(
                    "{} bytes, {}",
                    bytes.len(),
                    quire_core::bundle::content_hash(&bytes)
                );
                out.insert(p.strip_prefix(base).unwrap().to_path_buf(), sum);
            }
        }
    }
    walk(dir, dir, &mut out);
    out
}

/// Reads a body or summary chunk: its Markdown texts.
pub fn chunk(blog: &Blog, name: &str) -> Vec<String> {
    let text = fs::read_to_string(blog.out().join("data").join(name)).unwrap();
    markdown_of_chunk(name, &text)
}

/// The Markdown texts of a chunk file (`b-…` holds body entries, `s-…` strings).
pub fn markdown_of_chunk(name: &str, text: &str) -> Vec<String> {
    if name.starts_with("b-") {
        let entries = quire_core::bundle::body_chunk_from_json(text).unwrap();
        entries.into_iter().map(|b| b.md).collect()
    } else {
        quire_core::bundle::chunk_from_json(text).unwrap()
    }
}

pub const SITE: &str = "title = \"Test Blog\"\ndescription = \"A blog for tests\"\nauthor = \"Ada\"\nbase_url = \"https://blog.example/sub/\"\nposts_per_page = 2\n";

/// Collects a running child's standard error in the background, line by line, into the
/// returned buffer (for tests that watch a `quire serve` while it runs).
pub fn collect_stderr(child: &mut Child) -> Arc<Mutex<String>> {
    let output = Arc::new(Mutex::new(String::new()));
    let err = child.stderr.take().expect("stderr is piped");
    let o = Arc::clone(&output);
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            let mut o = o.lock().unwrap();
            o.push_str(&line);
            o.push('\n');
        }
    });
    output
}
