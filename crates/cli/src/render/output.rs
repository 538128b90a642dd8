//! The staging folder and the pipeline's last stage, commit. Everything is generated into a temporary folder beside the output;
//! only when all of it is written are the generated top-level entries moved into place,
//! replacing those quire wrote last time (listed in a small manifest) and leaving every
//! other file (Trunk's wasm, js and css) alone. If a move fails, the moves already made
//! are undone, so the output is either the old one or the new one.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Lists the top-level entries quire generated, one per line (core's route table reserves
/// the name, so no content can take it).
pub use quire_core::route::MANIFEST;

/// A temporary folder beside the output that a build writes into.
#[derive(Debug)]
pub struct Staging {
    out: PathBuf,
    tmp: PathBuf,
    committed: bool,
}

fn io_context(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

impl Staging {
    /// Creates `<parent>/.<name>.quire-tmp-<pid>` beside `out` (and `out`'s parent).
    pub fn new(out: &Path) -> io::Result<Staging> {
        let out = if out.is_absolute() {
            out.to_path_buf()
        } else {
            std::env::current_dir()?.join(out)
        };
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| io::Error::other(format!("{}: not a folder name", out.display())))?;
        let parent = out.parent().unwrap_or(Path::new("/")).to_path_buf();
        fs::create_dir_all(&parent).map_err(|e| io_context(&parent, e))?;
        let tmp = parent.join(format!(".{name}.quire-tmp-{}", std::process::id()));
        if tmp.exists() {
            fs::remove_dir_all(&tmp).map_err(|e| io_context(&tmp, e))?;
        }
        fs::create_dir(&tmp).map_err(|e| io_context(&tmp, e))?;
        Ok(Staging {
            out,
            tmp,
            committed: false,
        })
    }

    pub fn out(&self) -> &Path {
        &self.out
    }

    pub fn dir(&self) -> &Path {
        &self.tmp
    }

    /// Writes a file at `rel` (a `/`-separated path) in the staging folder.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.tmp.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| io_context(parent, e))?;
        }
        fs::write(&path, bytes).map_err(|e| io_context(&path, e))
    }

    /// Creates folders (`/`-separated, relative), parents first, all at once: cheaper than
    /// asking for each file's parents.
    pub fn create_dirs<'a>(&self, rels: impl IntoIterator<Item = &'a str>) -> io::Result<()> {
        let mut all = BTreeSet::new();
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
            let path = self.tmp.join(dir);
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
        let path = self.tmp.join(rel);
        fs::write(&path, bytes).map_err(|e| io_context(&path, e))
    }

    /// Copies `src` to `rel` in the staging folder. `src` must still be a regular file
    /// (opened without following a link or waiting on a FIFO; see `load/files.rs`).
    pub fn copy(&self, src: &Path, rel: &Path) -> io::Result<()> {
        let path = self.tmp.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| io_context(parent, e))?;
        }
        let mut from = crate::load::open_regular(src)?;
        let mut to = fs::File::create(&path).map_err(|e| io_context(&path, e))?;
        io::copy(&mut from, &mut to)
            .map(|_| ())
            .map_err(|e| io_context(src, e))
    }

    /// Moves the staged entries into the output. See the module docs.
    pub fn commit(self) -> io::Result<()> {
        self.commit_failing_after(usize::MAX)
    }

    /// [`Staging::commit`], but failing on purpose after `moves` moves: lets tests check
    /// that a failure halfway through leaves the old output as it was.
    #[doc(hidden)]
    pub fn commit_failing_after(mut self, moves: usize) -> io::Result<()> {
        let result = swap(&self.out, &self.tmp, moves);
        self.committed = result.is_ok();
        result
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.tmp);
    }
}

/// Top-level entries quire generated into `out` last time.
pub fn read_manifest(out: &Path) -> BTreeSet<String> {
    fs::read_to_string(out.join(MANIFEST))
        .map(|t| {
            t.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.contains('/') && *l != "." && *l != "..")
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

fn swap(out: &Path, tmp: &Path, fail_after: usize) -> io::Result<()> {
    fs::create_dir_all(out).map_err(|e| io_context(out, e))?;
    let old = read_manifest(out);
    let mut new = BTreeSet::new();
    for entry in fs::read_dir(tmp).map_err(|e| io_context(tmp, e))? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name != MANIFEST {
            new.insert(name);
        }
    }
    // Refuse to replace anything quire did not write (the app shell index.html aside).
    for name in &new {
        let target = out.join(name);
        if fs::symlink_metadata(&target).is_ok() && !old.contains(name) && name != "index.html" {
            return Err(io::Error::other(format!(
                "{} exists and was not written by quire; move it away or rename the file in content/static",
                target.display()
            )));
        }
    }
    let mut trash_name = tmp.file_name().unwrap_or_default().to_os_string();
    trash_name.push(OLD_SUFFIX);
    let trash = tmp.with_file_name(trash_name);
    if trash.exists() {
        fs::remove_dir_all(&trash).map_err(|e| io_context(&trash, e))?;
    }
    fs::create_dir(&trash).map_err(|e| io_context(&trash, e))?;
    let mut manifest: String = new.iter().map(|n| format!("{n}\n")).collect();
    manifest.insert_str(
        0,
        "# written by quire: the entries it replaces on the next build\n",
    );
    fs::write(tmp.join(MANIFEST), manifest).map_err(|e| io_context(tmp, e))?;

    let mut plan: Vec<(PathBuf, PathBuf)> = Vec::new();
    for name in old.iter().filter(|n| !new.contains(*n)) {
        if fs::symlink_metadata(out.join(name)).is_ok() {
            plan.push((out.join(name), trash.join(name)));
        }
    }
    for name in new.iter().chain(std::iter::once(&MANIFEST.to_string())) {
        if fs::symlink_metadata(out.join(name)).is_ok() {
            plan.push((out.join(name), trash.join(name)));
        }
        plan.push((tmp.join(name), out.join(name)));
    }
    let mut done: Vec<&(PathBuf, PathBuf)> = Vec::new();
    for (n, step) in plan.iter().enumerate() {
        let result = if n >= fail_after {
            Err(io::Error::other("stopped on purpose (test)"))
        } else {
            fs::rename(&step.0, &step.1).map_err(|e| io_context(&step.0, e))
        };
        if let Err(e) = result {
            for (from, to) in done.iter().rev() {
                let _ = fs::rename(to, from);
            }
            let _ = fs::remove_dir_all(&trash);
            return Err(e);
        }
        done.push(step);
    }
    remove_old(&trash);
    Ok(())
}

/// Suffix of the folder that holds the previous output after a swap.
const OLD_SUFFIX: &str = ".old";

/// Deletes the previous output. Deleting tens of thousands of files can take longer
/// than the build, and the new output is already in place, so a detached `quire`
/// process does it (`quire __remove-old DIR`); if that cannot start, it happens here.
fn remove_old(trash: &Path) {
    // Only whole folders of an earlier build (post/, tag/, data/…) are worth a process.
    // In a fresh folder such as Trunk's staging folder only the shell index.html was
    // replaced: delete it here, leaving nothing behind for Trunk to trip over.
    let has_folders = fs::read_dir(trash).is_ok_and(|rd| {
        rd.flatten()
            .any(|e| e.file_type().is_ok_and(|t| t.is_dir()))
    });
    if !has_folders {
        let _ = fs::remove_dir_all(trash);
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
        let _ = fs::remove_dir_all(trash);
    }
}

/// `quire __remove-old DIR`: deletes DIR if it is a previous output quire moved aside
/// (its name ends in `.quire-tmp-<pid>.old`); anything else is left alone.
pub fn remove_old_output(dir: &Path) -> bool {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ours = name
        .strip_suffix(OLD_SUFFIX)
        .and_then(|n| n.rsplit_once(".quire-tmp-"))
        .is_some_and(|(_, pid)| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()));
    ours && fs::remove_dir_all(dir).is_ok()
}
