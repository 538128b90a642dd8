//! Makes the swap recoverable. Before its first move, a build writes (and syncs) a journal
//! beside the output that names every move of the swap, each entry by its file identity
//! (device and inode, which a rename keeps). The moves are then carried out by
//! [`Journal::roll_forward`], which looks at where each entry is rather than at how far it
//! got: run again after an interruption, it does only what is left. The next build runs it
//! before anything else, so a swap cut short by a crash, SIGKILL or Ctrl-C is finished
//! and the output is then exactly that build's.
//!
//! The folders a swap moves through (staging, trash, upgrade backup) carry an owner mark:
//! a file `.quire-owner` that holds the folder's own identity. A folder cloned from a
//! repository, copied or planted cannot carry a matching mark, so quire deletes a
//! leftover folder, or follows a journal, only when the marks prove they are its own.
//!
//! Renames stay renames: one step each, atomic, and portable. Linux's
//! `renameat2(RENAME_EXCHANGE)` would swap an entry and its replacement in one step, but a
//! site is many entries, so the swap as a whole would still need this journal; it would
//! only close the instant in which a replaced name is missing, for a server reading the
//! folder during the swap, at the cost of code other platforms lack.

use super::fingerprint::{escape, is_plain_name, read_small, unescape};
use quire_core::route::MANIFEST;
use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The owner mark inside the folders quire makes beside the output.
pub const OWNER: &str = ".quire-owner";

/// Which file an entry is: device and inode.
pub type FileId = (u64, u64);

#[cfg(unix)]
pub fn file_id(meta: &fs::Metadata) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

/// Without inodes quire cannot prove which folder is its own: nothing is recovered or
/// cleaned up automatically, and the messages say what to delete.
#[cfg(not(unix))]
pub fn file_id(_meta: &fs::Metadata) -> Option<FileId> {
    None
}

/// The identity of the entry at `path`, not following a symlink.
pub fn id_of(path: &Path) -> Option<FileId> {
    fs::symlink_metadata(path).ok().and_then(|m| file_id(&m))
}

fn owner_text(id: FileId) -> String {
    format!("quire {} {}\n", id.0, id.1)
}

/// Creates the folder `dir` (an error if anything is there) with its owner mark.
pub fn create_owned_dir(dir: &Path) -> io::Result<FileId> {
    fs::create_dir(dir)?;
    let id = id_of(dir).ok_or_else(|| io::Error::other("no file identity on this platform"))?;
    fs::write(dir.join(OWNER), owner_text(id))?;
    Ok(id)
}

/// Whether `dir` is a folder (not a symlink) whose owner mark names the folder itself.
pub fn is_owned_dir(dir: &Path) -> bool {
    let Ok(meta) = fs::symlink_metadata(dir) else {
        return false;
    };
    meta.is_dir()
        && file_id(&meta).is_some_and(|id| {
            read_small(&dir.join(OWNER), 100).is_ok_and(|text| text == owner_text(id))
        })
}

/// Deletes an owned folder, its owner mark last: a deletion cut short leaves a folder
/// that is still provably quire's, or an empty one.
pub fn remove_owned_dir(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name() == OWNER {
            continue;
        }
        let path = entry.path();
        let result = if entry.file_type()?.is_dir() {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
        match result {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    let _ = fs::remove_file(dir.join(OWNER));
    match fs::remove_dir(dir) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Whether `name` is one of the temporary folders of output `out`:
/// `.<out>.quire-tmp-<pid>[-<n>]`, or that with `.old` (the trash).
pub fn is_temp_name(name: &OsStr, out: &OsStr) -> bool {
    let prefix = format!(".{}.quire-tmp-", out.to_string_lossy());
    let name = name.to_string_lossy();
    name.strip_prefix(&prefix).is_some_and(is_temp_suffix)
}

/// `<pid>[-<n>]`, optionally with `.old`.
pub fn is_temp_suffix(rest: &str) -> bool {
    let rest = rest.strip_suffix(".old").unwrap_or(rest);
    rest.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && rest.bytes().all(|b| b.is_ascii_digit() || b == b'-')
}

/// Whether `name` is an upgrade backup of output `out`: `<out>.quire-upgrade-backup[-<n>]`.
pub fn is_backup_name(name: &OsStr, out: &OsStr) -> bool {
    let prefix = format!("{}.quire-upgrade-backup", out.to_string_lossy());
    name.to_string_lossy()
        .strip_prefix(&prefix)
        .is_some_and(|rest| {
            rest.is_empty()
                || rest
                    .strip_prefix('-')
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
}

/// Where a move of the swap takes an entry of the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aside {
    /// The trash folder, deleted after the swap.
    Trash,
    /// The upgrade backup, kept for the user.
    Backup,
}

/// One move of the swap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// `out/name` (the entry `id`) goes to the trash or the backup.
    Aside {
        to: Aside,
        id: FileId,
        name: OsString,
    },
    /// `staging/name` (the entry `id`) goes to `out/name`.
    In { id: FileId, name: OsString },
}

/// A folder beside the output, by name and identity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Folder {
    pub name: OsString,
    pub id: FileId,
}

/// Every move of one swap, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Journal {
    pub out: OsString,
    pub staging: Folder,
    pub trash: Folder,
    pub backup: Option<Folder>,
    pub steps: Vec<Step>,
}

const MAGIC: &str = "quire swap journal 1";

/// The largest journal read (two lines an entry of the output).
const MAX_JOURNAL_BYTES: u64 = 256 << 20;

/// The process's moves so far, for the test hook.
static MOVES: AtomicUsize = AtomicUsize::new(0);

/// Renames, counting. Test hooks: `QUIRE_TEST_ABORT_AFTER_MOVES=N` aborts the process
/// (as a crash or SIGKILL would end it) once it has made N moves, counted over the
/// recovery and the swap of one run; `fail_after` makes the move after that many fail
/// (see `Staging::commit_failing_after`).
pub struct Mover {
    pub made: usize,
    fail_after: usize,
    abort_after: Option<usize>,
}

impl Mover {
    pub fn new(fail_after: usize) -> Mover {
        Mover {
            made: 0,
            fail_after,
            abort_after: std::env::var("QUIRE_TEST_ABORT_AFTER_MOVES")
                .ok()
                .and_then(|v| v.trim().parse().ok()),
        }
    }

    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        if self.abort_after == Some(MOVES.load(Ordering::SeqCst)) {
            std::process::abort();
        }
        if self.made >= self.fail_after {
            return Err(io::Error::other("stopped on purpose (test)"));
        }
        fs::rename(from, to)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", from.display())))?;
        self.made += 1;
        MOVES.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

impl Journal {
    fn text(&self) -> String {
        let folder =
            |kind: &str, f: &Folder| format!("{kind} {} {} {}\n", f.id.0, f.id.1, escape(&f.name));
        let mut t = format!("{MAGIC}\nout {}\n", escape(&self.out));
        t.push_str(&folder("staging", &self.staging));
        t.push_str(&folder("trash", &self.trash));
        if let Some(b) = &self.backup {
            t.push_str(&folder("backup", b));
        }
        for step in &self.steps {
            let line = match step {
                Step::Aside { to, id, name } => {
                    let to = if *to == Aside::Trash {
                        "trash"
                    } else {
                        "backup"
                    };
                    format!("aside-{to} {} {} {}\n", id.0, id.1, escape(name))
                }
                Step::In { id, name } => format!("in {} {} {}\n", id.0, id.1, escape(name)),
            };
            t.push_str(&line);
        }
        t.push_str(&format!("end {}\n", self.steps.len()));
        t
    }

    fn parse(text: &str) -> Option<Journal> {
        let mut lines = text.lines();
        if lines.next()? != MAGIC {
            return None;
        }
        let out = unescape(lines.next()?.strip_prefix("out ")?)?;
        let mut staging = None;
        let mut trash = None;
        let mut backup = None;
        let mut steps = Vec::new();
        for line in lines {
            let f: Vec<&str> = line.split(' ').collect();
            if let ["end", n] = f.as_slice() {
                return (n.parse::<usize>().ok()? == steps.len()).then_some(Journal {
                    out,
                    staging: staging?,
                    trash: trash?,
                    backup,
                    steps,
                });
            }
            let [kind, dev, ino, name] = f.as_slice() else {
                return None;
            };
            let id = (dev.parse().ok()?, ino.parse().ok()?);
            let name = unescape(name)?;
            match *kind {
                "staging" => staging = Some(Folder { name, id }),
                "trash" => trash = Some(Folder { name, id }),
                "backup" => backup = Some(Folder { name, id }),
                "aside-trash" => steps.push(Step::Aside {
                    to: Aside::Trash,
                    id,
                    name,
                }),
                "aside-backup" => steps.push(Step::Aside {
                    to: Aside::Backup,
                    id,
                    name,
                }),
                "in" => steps.push(Step::In { id, name }),
                _ => return None,
            }
        }
        None
    }

    /// Writes the journal to `path` durably: a temporary file, synced, renamed into
    /// place, the folder synced. A journal is whole or absent.
    pub fn write(&self, path: &Path) -> io::Result<()> {
        let tmp = tmp_path(path);
        // Whatever is at the temporary name (a planted symlink) is removed, not followed.
        let _ = fs::remove_file(&tmp);
        {
            let mut f = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&tmp)?;
            f.write_all(self.text().as_bytes())?;
            f.sync_all()?;
        }
        fs::rename(&tmp, path)?;
        sync_dir(path.parent().unwrap_or(Path::new(".")));
        Ok(())
    }

    /// Reads the journal at `path` and checks that quire wrote it for the output `out`
    /// in `parent`: its folders exist and carry owner marks naming the identities it
    /// records, and every name is one plain path segment. `Err` says why not.
    pub fn read(path: &Path, parent: &Path, out: &OsStr) -> Result<Journal, &'static str> {
        let text = read_small(path, MAX_JOURNAL_BYTES).map_err(|_| "not a readable file")?;
        let j = Journal::parse(&text).ok_or("not a journal quire wrote")?;
        let plain = |n: &OsStr| is_plain_name(n);
        let ours = |f: &Folder| {
            let dir = parent.join(&f.name);
            is_owned_dir(&dir) && id_of(&dir) == Some(f.id)
        };
        if j.out != out {
            return Err("it is for another output folder");
        }
        let step_names_ok = j.steps.iter().all(|s| match s {
            Step::Aside { name, .. } | Step::In { name, .. } => plain(name) || name == MANIFEST,
        });
        let folders_named_ok = is_temp_name(&j.staging.name, out)
            && is_temp_name(&j.trash.name, out)
            && j.backup
                .as_ref()
                .is_none_or(|b| is_backup_name(&b.name, out));
        if !step_names_ok || !folders_named_ok {
            return Err("not a journal quire wrote");
        }
        if !ours(&j.staging) || !ours(&j.trash) || !j.backup.as_ref().is_none_or(ours) {
            return Err("its folders are gone or not quire's");
        }
        Ok(j)
    }

    fn dirs(&self, parent: &Path) -> (PathBuf, PathBuf, PathBuf, Option<PathBuf>) {
        (
            parent.join(&self.out),
            parent.join(&self.staging.name),
            parent.join(&self.trash.name),
            self.backup.as_ref().map(|b| parent.join(&b.name)),
        )
    }

    /// Carries out every move not yet made, in order, judging each by where its entry
    /// is: an entry is moved only from where the journal expects it and only when it is
    /// the very entry the journal names. Idempotent. `Err((steps done, error))` stops at
    /// the first move that fails or an entry found where it should not be.
    pub fn roll_forward(&self, parent: &Path, mover: &mut Mover) -> Result<(), (usize, io::Error)> {
        let (out, staging, trash, backup) = self.dirs(parent);
        for (i, step) in self.steps.iter().enumerate() {
            let fail = |e: io::Error| (i, e);
            match step {
                Step::Aside { to, id, name } => {
                    let dest = match to {
                        Aside::Trash => &trash,
                        Aside::Backup => backup.as_ref().unwrap_or(&trash),
                    }
                    .join(name);
                    let here = out.join(name);
                    if id_of(&here) == Some(*id) {
                        if fs::symlink_metadata(&dest).is_ok() {
                            return Err(fail(in_the_way(&dest)));
                        }
                        mover.rename(&here, &dest).map_err(fail)?;
                    }
                    // Else it is aside already (or gone): nothing to do.
                }
                Step::In { id, name } => {
                    let dest = out.join(name);
                    if id_of(&dest) == Some(*id) {
                        continue;
                    }
                    let from = staging.join(name);
                    if id_of(&from) != Some(*id) {
                        return Err(fail(io::Error::other(format!(
                            "{}: the new entry is missing",
                            from.display()
                        ))));
                    }
                    if fs::symlink_metadata(&dest).is_ok() {
                        return Err(fail(in_the_way(&dest)));
                    }
                    mover.rename(&from, &dest).map_err(fail)?;
                }
            }
        }
        Ok(())
    }

    /// Undoes the first `done` steps, last first, as far as the entries are where those
    /// steps put them. True when everything is back.
    pub fn roll_back(&self, parent: &Path, done: usize) -> bool {
        let (out, staging, trash, backup) = self.dirs(parent);
        let mut ok = true;
        for step in self.steps[..done.min(self.steps.len())].iter().rev() {
            let (from, to, id) = match step {
                Step::Aside { to, id, name } => (
                    match to {
                        Aside::Trash => &trash,
                        Aside::Backup => backup.as_ref().unwrap_or(&trash),
                    }
                    .join(name),
                    out.join(name),
                    id,
                ),
                Step::In { id, name } => (out.join(name), staging.join(name), id),
            };
            if id_of(&from) == Some(*id) && fs::symlink_metadata(&to).is_err() {
                ok &= fs::rename(&from, &to).is_ok();
            } else {
                ok &= id_of(&to) == Some(*id);
            }
        }
        ok
    }
}

fn in_the_way(path: &Path) -> io::Error {
    io::Error::other(format!("{}: something else is in the way", path.display()))
}

/// The journal's temporary name while it is written.
pub fn tmp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    path.with_file_name(name)
}

/// Syncs a folder's entries (the renames in it) to disk, where the platform can.
pub fn sync_dir(dir: &Path) {
    if let Ok(f) = fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journals_round_trip_and_truncated_ones_are_rejected() {
        let j = Journal {
            out: "dist".into(),
            staging: Folder {
                name: ".dist.quire-tmp-7".into(),
                id: (1, 2),
            },
            trash: Folder {
                name: ".dist.quire-tmp-7.old".into(),
                id: (1, 3),
            },
            backup: None,
            steps: vec![
                Step::Aside {
                    to: Aside::Trash,
                    id: (1, 9),
                    name: "post".into(),
                },
                Step::In {
                    id: (1, 10),
                    name: "odd name".into(),
                },
            ],
        };
        let text = j.text();
        assert_eq!(Journal::parse(&text), Some(j));
        let cut = &text[..text.rfind("end").unwrap()];
        assert_eq!(Journal::parse(cut), None);
        assert_eq!(Journal::parse(&text.replace("end 2", "end 3")), None);
    }

    #[cfg(unix)]
    #[test]
    fn owner_marks_prove_only_the_folder_they_were_made_in() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        create_owned_dir(&a).unwrap();
        assert!(is_owned_dir(&a));
        assert!(create_owned_dir(&a).is_err());
        // A copy (or a checkout) of the folder and its mark is not quire's.
        let b = dir.path().join("b");
        fs::create_dir(&b).unwrap();
        fs::copy(a.join(OWNER), b.join(OWNER)).unwrap();
        assert!(!is_owned_dir(&b));
        std::os::unix::fs::symlink(&a, dir.path().join("link")).unwrap();
        assert!(!is_owned_dir(&dir.path().join("link")));
        fs::create_dir_all(a.join("x/y")).unwrap();
        remove_owned_dir(&a).unwrap();
        assert!(!a.exists());
    }

    #[test]
    fn temporary_and_backup_names() {
        let out = OsStr::new("dist");
        for ok in [
            ".dist.quire-tmp-12",
            ".dist.quire-tmp-12-3",
            ".dist.quire-tmp-12.old",
        ] {
            assert!(is_temp_name(OsStr::new(ok), out), "{ok}");
        }
        for bad in [
            "dist.quire-tmp-12",
            ".dist.quire-tmp-",
            ".dist.quire-tmp-12a",
            ".other.quire-tmp-12",
            ".dist.quire-tmp-12.old.old",
        ] {
            assert!(!is_temp_name(OsStr::new(bad), out), "{bad}");
        }
        assert!(is_backup_name(OsStr::new("dist.quire-upgrade-backup"), out));
        assert!(is_backup_name(
            OsStr::new("dist.quire-upgrade-backup-2"),
            out
        ));
        assert!(!is_backup_name(
            OsStr::new("dist.quire-upgrade-backup-"),
            out
        ));
        assert!(!is_backup_name(OsStr::new("keep"), out));
    }
}
