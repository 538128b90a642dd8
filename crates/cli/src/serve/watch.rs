//! Watching the content folder for `quire serve` (the `notify` crate: inotify, FSEvents,
//! ReadDirectoryChangesW). An editor's save is several events (a temporary file, a rename,
//! a chmod); [`settled`] waits until they have stopped for a moment, so one save
//! is one rebuild. Changes to hidden files (`.git/`, editors' swap files) are ignored: the
//! build never reads them.

use notify::{RecursiveMode, Watcher as _};
use std::path::Path;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

/// What the serve loop waits for.
#[derive(Debug)]
pub enum Event {
    /// Something in the content folder changed.
    Changed,
    /// Stop (Ctrl-C).
    Stop,
}

/// A watch on one folder, reporting into the channel the serve loop reads.
pub struct Watcher {
    _inner: notify::RecommendedWatcher,
}

fn relevant(event: &notify::Event, root: &Path) -> bool {
    use notify::EventKind;
    if matches!(event.kind, EventKind::Access(_)) {
        return false;
    }
    event.paths.iter().any(|p| {
        let rel = p.strip_prefix(root).unwrap_or(p);
        !rel.components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
    })
}

impl Watcher {
    /// Watches `dir` (and everything under it); changes go to `tx` as [`Event::Changed`].
    pub fn new(dir: &Path, tx: Sender<Event>) -> notify::Result<Watcher> {
        let root = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        let root2 = root.clone();
        let mut inner = notify::recommended_watcher(move |e: notify::Result<notify::Event>| {
            if let Ok(e) = e
                && relevant(&e, &root2)
            {
                let _ = tx.send(Event::Changed);
            }
        })?;
        inner.watch(&root, RecursiveMode::Recursive)?;
        Ok(Watcher { _inner: inner })
    }
}

/// After a [`Event::Changed`]: waits until no change has come for `quiet`, and returns
/// [`Event::Stop`] if one came meanwhile.
pub fn settled(rx: &Receiver<Event>, quiet: Duration) -> Event {
    loop {
        match rx.recv_timeout(quiet) {
            Ok(Event::Changed) => continue,
            Ok(Event::Stop) | Err(RecvTimeoutError::Disconnected) => return Event::Stop,
            Err(RecvTimeoutError::Timeout) => return Event::Changed,
        }
    }
}
