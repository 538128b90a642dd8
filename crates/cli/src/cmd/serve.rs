//! `quire serve`: builds the blog into a temporary folder, serves it on 127.0.0.1, and on
//! every change in the content folder builds again and reloads the open pages. A build
//! with errors prints them (path:line) and leaves the last good site served; fixing the
//! content recovers. Ctrl-C stops the server and removes the temporary folder.
//!
//! The builds go to memory where the system has a tmpfs (`/dev/shm`), else to the
//! temporary folder. Each build is `quire build`'s own ([`super::build::build_site`]), with the app inside
//! this binary at the root path and the live-reload script in every page's `<head>`
//! (`serve::RELOAD_SCRIPT`, hashed into the page's policy like the shell's scripts).

use super::args::ServeArgs;
use super::build::{BuildError, SiteOptions, build_site, content_dir};
use super::print::{Printer, plural};
use crate::assemble::reuse::Reuse;
use crate::serve::RELOAD_SCRIPT;
use crate::serve::http::{Live, Server};
use crate::serve::watch::{self, Event, Watcher};
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long the content folder must be still before a rebuild: one save, one build. An
/// editor's save is a burst of events well under this apart; every millisecond here is
/// one more before the page reloads.
const QUIET: Duration = Duration::from_millis(15);

/// Where the builds go: memory when the system offers a tmpfs (`/dev/shm` on Linux), else
/// the temporary folder. Every rebuild writes every route file, and on a busy disk that
/// is most of the rebuild's time (1,000 posts: about 4 s on a shared disk, under 1 s in
/// memory, on the same loaded machine).
fn build_place() -> std::path::PathBuf {
    let shm = Path::new("/dev/shm");
    let writable =
        shm.is_dir() && std::fs::metadata(shm).is_ok_and(|m| !m.permissions().readonly());
    if cfg!(target_os = "linux") && writable {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}

/// One build into `dir`; prints what happened. Returns whether it succeeded.
/// `reuse` carries what one rebuild worked out to the next.
fn rebuild(content: &Path, dir: &Path, a: &ServeArgs, reuse: &Reuse) -> bool {
    let start = Instant::now();
    // Its own stopwatch: phase times count from this build's start.
    let printer = &Printer::from_env();
    let opts = SiteOptions {
        shell: a.shell.as_deref(),
        drafts: a.source.drafts,
        future: a.source.future,
        now: crate::load::dates::build_now().ok(),
        base_path: Some("/"),
        head_extra: Some(RELOAD_SCRIPT),
        embedded_only: true,
        reuse: Some(reuse),
    };
    match build_site(content, dir, &opts, printer) {
        Ok(report) => {
            let n = report.rendered.posts;
            eprintln!(
                "quire: built {n} post{} in {} ms",
                plural(n),
                start.elapsed().as_millis()
            );
            if printer.timing() {
                eprintln!("quire: timing: reused: {}", reuse.counts());
            }
            true
        }
        Err(BuildError::Content(n)) => {
            eprintln!(
                "quire: {n} error{} in the content; still serving the last good build",
                plural(n)
            );
            false
        }
        Err(BuildError::App(m)) => {
            eprintln!("quire: error: {m}");
            false
        }
        Err(BuildError::Io(e)) => {
            eprintln!("quire: error: {e}; still serving the last good build");
            false
        }
        Err(BuildError::Output(notices)) => {
            for n in notices {
                eprintln!("{n}");
            }
            false
        }
    }
}

fn open_browser(url: &str) {
    let spawned = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(windows) {
        std::process::Command::new("cmd")
            .args(["/C", "start", "", url])
            .spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    if let Err(e) = spawned {
        eprintln!("quire: could not open a browser ({e}); open {url} yourself");
    }
}

/// `quire serve`: returns the exit status once stopped.
pub fn serve(a: &ServeArgs) -> i32 {
    let content = content_dir(&a.source);
    if !content.is_dir() {
        eprintln!(
            "{}: error: content folder not found (set --content DIR, or run quire serve in a folder made by quire new)",
            content.display()
        );
        return 1;
    }
    let tmp = match tempfile::Builder::new()
        .prefix("quire-serve-")
        .tempdir_in(build_place())
    {
        Ok(t) => t,
        Err(e) => {
            eprintln!("quire: error: cannot make a temporary folder: {e}");
            return 1;
        }
    };
    let site = tmp.path().join("site");
    let live = Arc::new(Live::default());
    // Every rebuild computes again only what changed: the rest comes from here.
    let reuse = Reuse::default();
    if rebuild(&content, &site, a, &reuse) {
        live.publish(&site);
    }

    let (tx, rx) = mpsc::channel();
    let stop_tx = tx.clone();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = stop_tx.send(Event::Stop);
    }) {
        eprintln!("quire: error: cannot handle Ctrl-C: {e}");
        return 1;
    }
    let _watcher = match Watcher::new(&content, tx) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("quire: error: cannot watch {}: {e}", content.display());
            return 1;
        }
    };
    let server = match Server::bind(a.port) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("quire: error: {e} (another server there? try --port)");
            return 1;
        }
    };
    let url = format!("http://127.0.0.1:{}/", server.port);
    eprintln!(
        "quire: serving {} at {url} (built in {}; watching for changes; Ctrl-C stops)",
        content.display(),
        tmp.path().display()
    );
    let stop_server = server.stopper();
    let server_live = Arc::clone(&live);
    let server_thread = std::thread::spawn(move || server.run(server_live));
    if a.open {
        open_browser(&url);
    }

    while let Ok(Event::Changed) = rx.recv() {
        if let Event::Stop = watch::settled(&rx, QUIET) {
            break;
        }
        if rebuild(&content, &site, a, &reuse) {
            live.publish(&site);
        }
    }
    stop_server();
    let _ = server_thread.join();
    drop(tmp);
    eprintln!("quire: stopped");
    0
}
