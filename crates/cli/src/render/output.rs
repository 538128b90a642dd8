//! The output folder: the staging folder a build writes into, and the pipeline's last
//! stage, commit, which swaps it into place. What quire may delete, and how a swap
//! survives an interruption, are decided here.
//!
//! - **One build at a time.** A build locks the output ([`Output::lock`], a lock file
//!   `.<out>.quire-lock` beside it) from its start to the end of its swap; a second build
//!   into the same folder waits.
//! - **Everything is generated first** into a temporary folder beside the output
//!   (`.<out>.quire-tmp-<pid>`). Only when all of it is written are the generated
//!   top-level entries moved into place, replacing those quire wrote last time and leaving
//!   every other file (Trunk's wasm, js and css) alone. A failure before the swap, or
//!   Ctrl-C, leaves the output as it was.
//! - **Only what quire can prove it wrote is replaced or deleted.** The manifest
//!   (`.quire-manifest`) records a fingerprint of each top-level entry quire wrote
//!   ([`fingerprint`]); an entry that no longer matches it (or a manifest entry that
//!   never did) is never moved or deleted. If the new build does not write that name it
//!   is left alone with a warning; if it does, the build stops before changing anything:
//!   `dist/keep: error: not written by quire (or changed since it was); …`. The app shell
//!   `index.html` is the one exception: quire reads it as the page to fill (or is given
//!   `--shell`) and always writes it back. Names starting with `.` are never deleted, and
//!   manifest lines that are not one plain name (`a/b`, `..`, `/etc`) are ignored;
//!   symlinks are never followed.
//! - **Upgrading from a manifest without fingerprints** (an older quire's plain list of
//!   names): it proves nothing, so nothing it lists is deleted. Entries it lists that the
//!   new build does not write are left alone, with a warning. If it looks like a whole
//!   build's (it lists, and the output holds, what every build writes: `index.html`,
//!   `404.html`, `data`, `feed.xml`, `sitemap.xml`), the entries it lists that the new
//!   build writes are moved into a backup folder beside the output
//!   (`<out>.quire-upgrade-backup`) rather than refused, so an older quire's output stays
//!   buildable and nothing is lost; otherwise (a planted `keep`, `.git`) they are refused
//!   like any entry quire cannot prove it wrote.
//! - **The swap is recoverable** ([`journal`]): a journal written and synced before the
//!   first move lets the next build finish a swap cut short (crash, SIGKILL, Ctrl-C)
//!   before it does anything else ([`Output::recover`]), and leftover temporary folders
//!   that carry quire's owner mark are deleted. A move that fails (rather than a process
//!   that dies) is undone at once, so the output is the old one.

mod fingerprint;
mod journal;

use crate::diag::Severity;
use fingerprint::{Fingerprint, Manifest};
use journal::{Aside, FileId, Folder, Journal, Mover, Step, is_temp_name, is_temp_suffix};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::fmt;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// Lists the top-level entries quire generated, with their fingerprints (core's route
/// table reserves the name, so no content can take it).
pub use quire_core::route::MANIFEST;

/// The app shell: quire reads it as the page to fill and always writes it back.
const SHELL: &str = "index.html";

/// What every build writes at the top of the output (with the manifest).
const ALWAYS_WRITTEN: [&str; 5] = [SHELL, "404.html", "data", "feed.xml", "sitemap.xml"];

/// How many "left alone" warnings are shown one by one.
const MAX_LISTED: usize = 10;

/// Something the output stage reports about an entry of the output folder or a file
/// beside it, printed as `path: severity: message` (an entry has no lines).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub path: PathBuf,
    pub severity: Severity,
    pub message: String,
}

impl Notice {
    fn error(path: &Path, message: impl Into<String>) -> Notice {
        Notice {
            path: path.to_path_buf(),
            severity: Severity::Error,
            message: message.into(),
        }
    }

    fn warning(path: &Path, message: impl Into<String>) -> Notice {
        Notice {
            path: path.to_path_buf(),
            severity: Severity::Warning,
            message: message.into(),
        }
    }
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = self.message.replace(['\n', '\r'], " ");
        write!(f, "{}: {}: {}", self.path.display(), self.severity, message)
    }
}

/// Why the output stage stopped.
#[derive(Debug)]
pub enum CommitError {
    /// Entries in the way, or an interrupted swap that cannot be finished: nothing was
    /// changed, and each error says what to do.
    Refused(Vec<Notice>),
    /// A file operation failed; the output is the old one.
    Io(io::Error),
}

impl From<io::Error> for CommitError {
    fn from(e: io::Error) -> Self {
        CommitError::Io(e)
    }
}

impl fmt::Display for CommitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommitError::Refused(notices) => {
                let lines: Vec<String> = notices.iter().map(Notice::to_string).collect();
                f.write_str(&lines.join("\n"))
            }
            CommitError::Io(e) => write!(f, "{e}"),
        }
    }
}

fn io_context(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// The output folder, locked for one build: see the module docs.
#[derive(Debug)]
pub struct Output {
    out: PathBuf,
    /// `out` as given, for messages.
    shown: PathBuf,
    parent: PathBuf,
    name: OsString,
    _lock: Option<fs::File>,
}

impl Output {
    /// Locks the output folder `out` (creating its parent). If another build holds it,
    /// `waiting` is called, then this waits for it.
    pub fn lock(out: &Path, waiting: impl FnOnce()) -> io::Result<Output> {
        let shown = out.to_path_buf();
        let out = if out.is_absolute() {
            out.to_path_buf()
        } else {
            std::env::current_dir()?.join(out)
        };
        // `dist/.` is `dist`; `..` stays as written (never resolved).
        let out: PathBuf = out
            .components()
            .filter(|c| *c != Component::CurDir)
            .collect();
        let name = match out.components().next_back() {
            Some(Component::Normal(n)) => n.to_os_string(),
            _ => {
                return Err(io::Error::other(format!(
                    "{}: not a folder name",
                    out.display()
                )));
            }
        };
        let parent = out.parent().unwrap_or(Path::new("/")).to_path_buf();
        fs::create_dir_all(&parent).map_err(|e| io_context(&parent, e))?;
        let path = parent.join(format!(".{}.quire-lock", name.to_string_lossy()));
        if fs::symlink_metadata(&path).is_ok_and(|m| !m.is_file()) {
            return Err(io::Error::other(format!(
                "{}: not quire's lock file (not a regular file); delete it, then build again",
                path.display()
            )));
        }
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| io_context(&path, e))?;
        let lock = match file.try_lock() {
            Ok(()) => Some(file),
            Err(fs::TryLockError::WouldBlock) => {
                waiting();
                file.lock().map_err(|e| io_context(&path, e))?;
                Some(file)
            }
            // A file system without locks: build unlocked, as before locks existed.
            Err(fs::TryLockError::Error(e)) if e.kind() == io::ErrorKind::Unsupported => None,
            Err(fs::TryLockError::Error(e)) => return Err(io_context(&path, e)),
        };
        Ok(Output {
            out,
            shown,
            parent,
            name,
            _lock: lock,
        })
    }

    fn journal_name(&self) -> String {
        format!(".{}.quire-journal", self.name.to_string_lossy())
    }

    fn journal_path(&self) -> PathBuf {
        self.parent.join(self.journal_name())
    }

    /// A file beside the output, as messages show it.
    fn shown_beside(&self, name: impl AsRef<OsStr>) -> PathBuf {
        self.shown.with_file_name(name)
    }

    /// Puts right what an interrupted build left, before this build does anything else:
    /// finishes a swap its journal describes, then deletes the temporary folders that
    /// carry quire's owner mark. Warnings say what was done or left alone; an error
    /// (a journal quire cannot follow) stops the build.
    pub fn recover(&self) -> Result<Vec<Notice>, CommitError> {
        let mut notices = Vec::new();
        let journal_path = self.journal_path();
        let journal_shown = self.shown_beside(self.journal_name());
        if fs::symlink_metadata(&journal_path).is_ok() {
            let advice = format!(
                "{} may mix two builds: delete it (and this file), then build again",
                self.shown.display()
            );
            let journal = Journal::read(&journal_path, &self.parent, &self.name).map_err(|why| {
                CommitError::Refused(vec![Notice::error(
                    &journal_shown,
                    format!("the journal of a build that was interrupted while it moved its files into place, but {why}, so quire cannot finish it; {advice}"),
                )])
            })?;
            let mut mover = Mover::new(usize::MAX);
            journal
                .roll_forward(&self.parent, &mut mover)
                .map_err(|(_, e)| {
                    CommitError::Refused(vec![Notice::error(
                        &journal_shown,
                        format!("cannot finish the build that was interrupted while it moved its files into place: {e}; {advice}"),
                    )])
                })?;
            fs::remove_file(&journal_path).map_err(|e| io_context(&journal_path, e))?;
            journal::sync_dir(&self.parent);
            notices.push(Notice::warning(
                &self.shown,
                format!(
                    "a build was interrupted while it moved its files into place; quire finished it first ({} move{})",
                    mover.made,
                    if mover.made == 1 { "" } else { "s" }
                ),
            ));
        }
        // A journal cut short while it was written: its swap never began.
        let partial = journal::tmp_path(&journal_path);
        if fs::symlink_metadata(&partial).is_ok_and(|m| m.is_file()) {
            let _ = fs::remove_file(&partial);
        }
        for entry in fs::read_dir(&self.parent).map_err(|e| io_context(&self.parent, e))? {
            let Ok(entry) = entry else { continue };
            if !is_temp_name(&entry.file_name(), &self.name) {
                continue;
            }
            let path = entry.path();
            if journal::is_owned_dir(&path) {
                remove_old(&path);
            } else if fs::remove_dir(&path).is_err() {
                // Not empty (an empty one was being deleted): not provably quire's.
                notices.push(Notice::warning(
                    &self.shown_beside(entry.file_name()),
                    "left alone: a temporary folder quire cannot prove it made (an older quire's, or not quire's at all); delete it if no quire build is running",
                ));
            }
        }
        Ok(notices)
    }
}

/// A temporary folder beside the output that a build writes into. It records every file
/// written through it, for the fingerprints of the manifest.
#[derive(Debug)]
pub struct Staging {
    output: Output,
    tmp: PathBuf,
    /// `/`-separated path from the staging folder, length.
    written: Mutex<Vec<(Vec<u8>, u64)>>,
    /// An unfinished swap's journal still needs the folder.
    keep: bool,
}

impl Staging {
    /// Locks `out`, puts right what an interrupted build left (`Output::recover`) and
    /// creates the staging folder.
    pub fn new(out: &Path) -> io::Result<Staging> {
        let output = Output::lock(out, || {})?;
        output.recover().map_err(|e| match e {
            CommitError::Io(e) => e,
            refused => io::Error::other(refused.to_string()),
        })?;
        Staging::in_output(output)
    }

    /// Creates `<parent>/.<name>.quire-tmp-<pid>` beside the locked output, with quire's
    /// owner mark.
    pub fn in_output(output: Output) -> io::Result<Staging> {
        let base = format!(
            ".{}.quire-tmp-{}",
            output.name.to_string_lossy(),
            std::process::id()
        );
        let mut n = 0;
        let tmp = loop {
            let name = if n == 0 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            let tmp = output.parent.join(&name);
            let trash = output.parent.join(format!("{name}.old"));
            if fs::symlink_metadata(&trash).is_err() {
                match journal::create_owned_dir(&tmp) {
                    Ok(_) => break tmp,
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                    Err(e) => return Err(io_context(&tmp, e)),
                }
            }
            n += 1;
            if n > 1000 {
                return Err(io::Error::other(format!(
                    "{}: no free name for a temporary folder",
                    output.parent.display()
                )));
            }
        };
        Ok(Staging {
            output,
            tmp,
            written: Mutex::new(Vec::new()),
            keep: false,
        })
    }

    pub fn out(&self) -> &Path {
        &self.output.out
    }

    pub fn dir(&self) -> &Path {
        &self.tmp
    }

    /// `rel` as a path in the staging folder, and as the `/`-separated key it is recorded
    /// under; a path that would leave the folder is an error.
    fn place(&self, rel: &Path) -> io::Result<(PathBuf, Vec<u8>)> {
        let mut key = Vec::new();
        for c in rel.components() {
            match c {
                Component::Normal(n) => {
                    if !key.is_empty() {
                        key.push(b'/');
                    }
                    key.extend_from_slice(&fingerprint::name_bytes(n));
                }
                Component::CurDir => {}
                _ => {
                    return Err(io::Error::other(format!(
                        "{}: not a path inside the output",
                        rel.display()
                    )));
                }
            }
        }
        if key.is_empty() {
            return Err(io::Error::other("an empty path"));
        }
        Ok((self.tmp.join(rel), key))
    }

    fn record(&self, key: Vec<u8>, len: u64) {
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((key, len));
    }

    /// Writes a file at `rel` (a `/`-separated path) in the staging folder.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let (path, key) = self.place(Path::new(rel))?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| io_context(parent, e))?;
        }
        fs::write(&path, bytes).map_err(|e| io_context(&path, e))?;
        self.record(key, bytes.len() as u64);
        Ok(())
    }

    /// Creates folders (`/`-separated, relative), parents first, all at once: cheaper than
    /// asking for each file's parents.
    pub fn create_dirs<'a>(&self, rels: impl IntoIterator<Item = &'a str>) -> io::Result<()> {
        let mut all = std::collections::BTreeSet::new();
        for rel in rels {
            let mut at = 0;
            while let Some(i) = rel[at..].find('/') {
                all.insert(&rel[..at + i]);
                at += i + 1;
            }
            if !rel.is_empty() {
                all.insert(rel);
            }
        }
        for dir in all {
            let (path, _) = self.place(Path::new(dir))?;
            match fs::create_dir(&path) {
                Err(e) if e.kind() != io::ErrorKind::AlreadyExists => {
                    return Err(io_context(&path, e));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Writes a file whose folder exists already (see [`Staging::create_dirs`]).
    pub fn write_in_place(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let (path, key) = self.place(Path::new(rel))?;
        fs::write(&path, bytes).map_err(|e| io_context(&path, e))?;
        self.record(key, bytes.len() as u64);
        Ok(())
    }

    /// Copies `src` to `rel` in the staging folder. `src` must still be a regular file
    /// (opened without following a link or waiting on a FIFO; see `load/files.rs`).
    pub fn copy(&self, src: &Path, rel: &Path) -> io::Result<()> {
        let (path, key) = self.place(rel)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| io_context(parent, e))?;
        }
        let mut from = crate::load::open_regular(src)?;
        let mut to = fs::File::create(&path).map_err(|e| io_context(&path, e))?;
        let len = io::copy(&mut from, &mut to).map_err(|e| io_context(src, e))?;
        self.record(key, len);
        Ok(())
    }

    /// Moves the staged entries into the output and returns warnings (entries left
    /// alone, an upgrade backup). See the module docs.
    pub fn commit(self) -> Result<Vec<Notice>, CommitError> {
        self.commit_failing_after(usize::MAX)
    }

    /// [`Staging::commit`], but failing on purpose after `moves` moves: lets tests check
    /// that a failure halfway through leaves the old output as it was.
    #[doc(hidden)]
    pub fn commit_failing_after(mut self, moves: usize) -> Result<Vec<Notice>, CommitError> {
        self.swap(moves)
    }

    /// The top-level entries staged, with their fingerprints and identities: folders
    /// from what was recorded (a walk for one written around the record), files read back.
    fn new_entries(&self) -> io::Result<BTreeMap<OsString, (Fingerprint, Option<FileId>)>> {
        let records = std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
        let mut folders = fingerprint::folders_from_records(&records);
        drop(records);
        let mut names = Vec::new();
        for entry in fs::read_dir(&self.tmp).map_err(|e| io_context(&self.tmp, e))? {
            let name = entry?.file_name();
            if name != journal::OWNER && name != MANIFEST {
                let recorded = folders.remove(fingerprint::name_bytes(&name).as_ref());
                names.push((name, recorded));
            }
        }
        names
            .into_par_iter()
            .map(|(name, recorded)| {
                let path = self.tmp.join(&name);
                let meta = fs::symlink_metadata(&path).map_err(|e| io_context(&path, e))?;
                let fp = match recorded {
                    Some(fp) if meta.is_dir() => Some(fp),
                    _ => fingerprint::of_disk(&path, None),
                };
                let fp = fp.ok_or_else(|| {
                    io::Error::other(format!("{}: not a file or folder", path.display()))
                })?;
                Ok((name, (fp, journal::file_id(&meta))))
            })
            .collect()
    }

    fn swap(&mut self, fail_after: usize) -> Result<Vec<Notice>, CommitError> {
        let out = self.output.out.clone();
        let parent = self.output.parent.clone();
        fs::create_dir_all(&out).map_err(|e| io_context(&out, e))?;
        let manifest_path = out.join(MANIFEST);
        let shown = self.output.shown.clone();
        let manifest_shown = shown.join(MANIFEST);
        let mut notices = Vec::new();

        // What quire wrote last time, as far as it can prove it.
        let (manifest, skipped) = fingerprint::read(&manifest_path);
        let manifest = manifest.unwrap_or_else(|why| {
            notices.push(Notice::warning(
                &manifest_shown,
                format!("ignored: {why}; nothing it lists is replaced or deleted"),
            ));
            Manifest::None
        });
        for name in skipped.dotted.iter().take(MAX_LISTED) {
            notices.push(Notice::warning(
                &shown.join(name),
                "listed in .quire-manifest, but quire never deletes a name that starts with '.': left alone",
            ));
        }
        for name in skipped.not_plain.iter().take(MAX_LISTED) {
            notices.push(Notice::warning(
                &manifest_shown,
                format!("{name:?} is not one top-level name: ignored (quire never follows a path out of the output)"),
            ));
        }
        let more = skipped.dotted.len().saturating_sub(MAX_LISTED)
            + skipped.not_plain.len().saturating_sub(MAX_LISTED);
        if more > 0 {
            notices.push(Notice::warning(
                &manifest_shown,
                format!(
                    "{more} more names that start with '.' or are not one top-level name: ignored"
                ),
            ));
        }
        if skipped.malformed > 0 {
            notices.push(Notice::warning(
                &manifest_shown,
                format!(
                    "{} line{} not in quire's format: ignored",
                    skipped.malformed,
                    if skipped.malformed == 1 {
                        " is"
                    } else {
                        "s are"
                    }
                ),
            ));
        }
        let (legacy, listed): (bool, Vec<(OsString, Option<Fingerprint>)>) = match manifest {
            Manifest::None => (false, Vec::new()),
            Manifest::Legacy(names) => (true, names.into_iter().map(|n| (n, None)).collect()),
            Manifest::Fingerprinted(entries) => (
                false,
                entries.into_iter().map(|(n, f)| (n, Some(f))).collect(),
            ),
        };

        let new = self.new_entries()?;
        // What is in the output now: each entry's identity, read once.
        let mut on_disk: HashMap<OsString, Option<FileId>> = HashMap::new();
        for entry in fs::read_dir(&out).map_err(|e| io_context(&out, e))? {
            let entry = entry.map_err(|e| io_context(&out, e))?;
            let meta = entry.metadata().map_err(|e| io_context(&entry.path(), e))?;
            on_disk.insert(entry.file_name(), journal::file_id(&meta));
        }
        let exists = |name: &OsStr| on_disk.contains_key(name);
        // The entries quire can prove it wrote (the shell is replaced anyway).
        let trusted: HashSet<&OsStr> = listed
            .par_iter()
            .filter_map(|(name, fp)| {
                let fp = fp.as_ref()?;
                (name != SHELL && fingerprint::matches(&out.join(name), fp))
                    .then_some(name.as_os_str())
            })
            .collect();
        let listed_names: HashSet<&OsStr> = listed.iter().map(|(n, _)| n.as_os_str()).collect();
        // An older quire's manifest is taken for the upgrade only if it looks like a whole
        // build's: it lists, and the output holds, what every build writes. A planted
        // list (`keep`, `.git`) does not.
        let upgrade = legacy
            && ALWAYS_WRITTEN
                .iter()
                .all(|n| listed_names.contains(OsStr::new(n)) && exists(OsStr::new(n)));

        let mut plan: Vec<(Option<Aside>, OsString)> = Vec::new();
        let mut refused = Vec::new();
        let mut left_alone = Vec::new();
        for (name, _) in &listed {
            if new.contains_key(name) || !exists(name) {
                continue;
            }
            if trusted.contains(name.as_os_str()) {
                plan.push((Some(Aside::Trash), name.clone()));
            } else {
                left_alone.push(name.clone());
            }
        }
        for name in new.keys() {
            if exists(name) {
                if name == SHELL || trusted.contains(name.as_os_str()) {
                    plan.push((Some(Aside::Trash), name.clone()));
                } else if upgrade && listed_names.contains(name.as_os_str()) {
                    plan.push((Some(Aside::Backup), name.clone()));
                } else {
                    refused.push(Notice::error(
                        &shown.join(name),
                        "not written by quire (or changed since it was); move it away or delete it, then build again",
                    ));
                }
            }
            plan.push((None, name.clone()));
        }
        match fs::symlink_metadata(&manifest_path) {
            Ok(m) if m.is_dir() => refused.push(Notice::error(
                &manifest_shown,
                "a folder where quire keeps its manifest; move it away or delete it, then build again",
            )),
            Ok(_) => plan.push((Some(Aside::Trash), MANIFEST.into())),
            Err(_) => {}
        }
        let staged_ids: HashMap<OsString, Option<FileId>> =
            new.iter().map(|(n, (_, id))| (n.clone(), *id)).collect();
        plan.push((None, MANIFEST.into()));
        if !refused.is_empty() {
            return Err(CommitError::Refused(refused));
        }
        let listed_alone = left_alone.len().min(MAX_LISTED);
        for name in &left_alone[..listed_alone] {
            let why = if legacy {
                "listed in an older quire's .quire-manifest, which has no fingerprints, so quire cannot prove it wrote it: left alone (delete it if it is stale)"
            } else {
                "listed in .quire-manifest, but not written by quire (or changed since it was): left alone"
            };
            notices.push(Notice::warning(&shown.join(name), why));
        }
        if left_alone.len() > listed_alone {
            notices.push(Notice::warning(
                &shown,
                format!(
                    "{} more entries listed in .quire-manifest were left alone",
                    left_alone.len() - listed_alone
                ),
            ));
        }

        // The new manifest, then the folders the old entries go to.
        let mut entries: Vec<(OsString, Fingerprint)> =
            new.into_iter().map(|(n, (fp, _))| (n, fp)).collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let manifest_text = fingerprint::render(&entries);
        let staged_manifest = self.tmp.join(MANIFEST);
        fs::write(&staged_manifest, manifest_text).map_err(|e| io_context(&staged_manifest, e))?;
        let trash_name = {
            let mut n = self.tmp.file_name().unwrap_or_default().to_os_string();
            n.push(".old");
            n
        };
        let trash = parent.join(&trash_name);
        let trash_id = journal::create_owned_dir(&trash).map_err(|e| io_context(&trash, e))?;
        let backup = if plan.iter().any(|(a, _)| *a == Some(Aside::Backup)) {
            Some(self.create_backup()?)
        } else {
            None
        };
        let known = |id: Option<FileId>, path: &Path| -> io::Result<FileId> {
            id.ok_or_else(|| io::Error::other(format!("{}: no file identity", path.display())))
        };
        let id = |path: &Path| known(journal::id_of(path), path);
        let mut steps = Vec::with_capacity(plan.len());
        for (aside, name) in plan {
            let step = match aside {
                Some(to) if name == MANIFEST => Step::Aside {
                    to,
                    id: id(&manifest_path)?,
                    name,
                },
                Some(to) => Step::Aside {
                    to,
                    id: known(on_disk.get(&name).copied().flatten(), &out.join(&name))?,
                    name,
                },
                None if name == MANIFEST => Step::In {
                    id: id(&staged_manifest)?,
                    name,
                },
                None => Step::In {
                    id: known(
                        staged_ids.get(&name).copied().flatten(),
                        &self.tmp.join(&name),
                    )?,
                    name,
                },
            };
            steps.push(step);
        }
        let journal = Journal {
            out: self.output.name.clone(),
            staging: Folder {
                name: self.tmp.file_name().unwrap_or_default().to_os_string(),
                id: id(&self.tmp)?,
            },
            trash: Folder {
                name: trash_name,
                id: trash_id,
            },
            backup: backup.clone(),
            steps,
        };
        let journal_path = self.output.journal_path();
        if let Err(e) = journal.write(&journal_path) {
            let _ = fs::remove_file(journal::tmp_path(&journal_path));
            let _ = journal::remove_owned_dir(&trash);
            self.remove_backup(&backup);
            return Err(io_context(&journal_path, e).into());
        }

        // The moves. A failure is undone at once; if even that fails, the journal stays
        // for the next build to finish the swap.
        let mut mover = Mover::new(fail_after);
        if let Err((done, e)) = journal.roll_forward(&parent, &mut mover) {
            if journal.roll_back(&parent, done) {
                let _ = fs::remove_file(&journal_path);
                let _ = journal::remove_owned_dir(&trash);
                self.remove_backup(&backup);
                return Err(e.into());
            }
            self.keep = true;
            return Err(io::Error::other(format!(
                "{e}; the next build finishes moving the new files into place"
            ))
            .into());
        }
        fs::remove_file(&journal_path).map_err(|e| io_context(&journal_path, e))?;
        remove_old(&trash);
        if let Some(b) = &backup {
            let moved = journal
                .steps
                .iter()
                .filter(|s| {
                    matches!(
                        s,
                        Step::Aside {
                            to: Aside::Backup,
                            ..
                        }
                    )
                })
                .count();
            notices.push(Notice::warning(
                &self.output.shown_beside(&b.name),
                format!(
                    "{}'s manifest is an older quire's, without fingerprints, so quire cannot prove it wrote the {moved} entr{} this build replaces: moved here rather than deleted; delete this folder once you have checked it",
                    shown.display(),
                    if moved == 1 { "y" } else { "ies" }
                ),
            ));
        }
        Ok(notices)
    }

    /// A new folder `<out>.quire-upgrade-backup[-<n>]` beside the output.
    fn create_backup(&self) -> io::Result<Folder> {
        for n in 0..1000 {
            let name = if n == 0 {
                format!(
                    "{}.quire-upgrade-backup",
                    self.output.name.to_string_lossy()
                )
            } else {
                format!(
                    "{}.quire-upgrade-backup-{n}",
                    self.output.name.to_string_lossy()
                )
            };
            let path = self.output.parent.join(&name);
            match journal::create_owned_dir(&path) {
                Ok(id) => {
                    return Ok(Folder {
                        name: name.into(),
                        id,
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(io_context(&path, e)),
            }
        }
        Err(io::Error::other(format!(
            "{}: no free name for a backup folder",
            self.output.parent.display()
        )))
    }

    /// Removes an upgrade backup that holds nothing yet.
    fn remove_backup(&self, backup: &Option<Folder>) {
        if let Some(b) = backup {
            let _ = journal::remove_owned_dir(&self.output.parent.join(&b.name));
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.keep {
            let _ = journal::remove_owned_dir(&self.tmp);
        }
    }
}

/// Deletes a folder quire moved aside (its owner mark proves it). Deleting tens of
/// thousands of files can take longer than the build, and the new output is already in
/// place, so a detached `quire` process does it (`quire __remove-old DIR`); if that cannot
/// start, it happens here.
fn remove_old(trash: &Path) {
    // Only whole folders of an earlier build (post/, tag/, data/…) are worth a process.
    // In a fresh folder such as Trunk's staging folder only the shell index.html was
    // replaced: delete it here, leaving nothing behind for Trunk to trip over.
    let has_folders = fs::read_dir(trash).is_ok_and(|rd| {
        rd.flatten()
            .any(|e| e.file_type().is_ok_and(|t| t.is_dir()))
    });
    if !has_folders {
        let _ = journal::remove_owned_dir(trash);
        return;
    }
    let spawned = std::env::current_exe().ok().and_then(|exe| {
        let is_quire = exe
            .file_stem()
            .is_some_and(|s| s.to_string_lossy().starts_with("quire"));
        if !is_quire || std::env::var_os("QUIRE_SYNC_CLEANUP").is_some() {
            return None;
        }
        std::process::Command::new(exe)
            .arg("__remove-old")
            .arg(trash)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .ok()
    });
    if spawned.is_none() {
        let _ = journal::remove_owned_dir(trash);
    }
}

/// `quire __remove-old DIR`: deletes DIR if it is a temporary folder quire made beside an
/// output (named `.<out>.quire-tmp-<pid>…`, with quire's owner mark inside naming the
/// folder itself); anything else is left alone.
pub fn remove_old_output(dir: &Path) -> bool {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let named = name.starts_with('.')
        && name
            .rsplit_once(".quire-tmp-")
            .is_some_and(|(_, rest)| is_temp_suffix(rest));
    named && journal::is_owned_dir(dir) && journal::remove_owned_dir(dir).is_ok()
}
