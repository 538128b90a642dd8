//! The content folder's files as the loader reads them, under the rules that keep a hostile
//! repository from reaching past it: only regular files are opened, a symlink may not lead
//! out of its tree, each folder is read once, and a text file is read only up to
//! [`MAX_TEXT_BYTES`]. Git stores symlinks, so any of these can arrive in a pull request:
//! `static/env.txt -> /proc/self/environ` would publish the build's environment,
//! `posts/root -> /` walk the whole disk, `posts/z.md -> /dev/zero` or a FIFO never end.
//!
//! The rules, checked before anything is opened:
//! - **Links stay inside.** A link under `static/` must resolve (canonically, every link
//!   on the way followed) inside `static/`; one under `posts/`, or `posts/`, `static/` and
//!   site.toml themselves, inside the content folder. It may not lead into a hidden file
//!   or folder (`.git/config` holds a CI's token), which the walk skips anyway. A link
//!   that leaves is an error at the link, naming where it leads; a folder link that
//!   leaves is not entered. `static/` and `posts/` may not hold one another (`static ->
//!   posts` would publish the sources): [`super::load`] checks that.
//! - **Only regular files.** A FIFO, socket or device (or a link to one) is an error at
//!   its path and never opened. Opening uses `O_NONBLOCK | O_NOFOLLOW` and checks the
//!   opened file again (`fstat`), so a file swapped for a FIFO or a link after the walk
//!   is refused too instead of blocking or being followed.
//! - **Each folder once.** Folders are walked where they are; a folder link is followed
//!   only to a folder not read yet (posts kept in another folder of the content folder),
//!   so the walk is linear in the folders that exist however links multiply the ways to
//!   them. A link back to a folder that contains it is a loop: a warning, not entered.
//! - **A size limit.** A post or site.toml over [`MAX_TEXT_BYTES`] is an error with its
//!   size; at most the limit and one byte are ever read. Static files are copied, never
//!   held in memory (render/output.rs, with [`open_regular`]), so they have no limit.

use crate::diag::Diagnostic;
use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

/// The largest post or site.toml quire reads: 16 MiB, five times the whole text of War
/// and Peace (3.2 MB), yet small enough that a reader on every core stays well within
/// memory. (Front matter has its own, smaller limit.)
pub const MAX_TEXT_BYTES: u64 = 16 << 20;

/// Where a tree's links may lead: a canonical folder, and how messages name it.
#[derive(Clone, Copy)]
pub struct Bounds<'a> {
    pub inside: &'a Path,
    /// `static/`, `the content folder`.
    pub name: &'a str,
}

/// A file the walk found: its path as shown in messages (under the folder given), and the
/// real file to open (canonical: no link on the way).
#[derive(Clone, Debug)]
pub struct Found {
    pub path: PathBuf,
    pub real: PathBuf,
}

/// Reads `real` (shown as `path`) as UTF-8 text, with a `path:line` error for a file that
/// cannot be read, is not a regular file, is over [`MAX_TEXT_BYTES`] or is not UTF-8.
pub fn read_text(path: &Path, real: &Path) -> Result<String, Diagnostic> {
    let error = |message: String| Diagnostic::error(path, 1, message);
    let (file, meta) = open(real).map_err(|e| error(e.message()))?;
    if meta.len() > MAX_TEXT_BYTES {
        return Err(error(too_large(&group(meta.len()))));
    }
    let bytes = read_at_most(file, meta.len() as usize, MAX_TEXT_BYTES as usize)
        .map_err(|e| error(format!("cannot read: {e}")))?;
    if bytes.len() as u64 > MAX_TEXT_BYTES {
        return Err(error(too_large(&format!(
            "more than {}",
            group(MAX_TEXT_BYTES)
        ))));
    }
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = good.len() - good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) + 1;
        Diagnostic::error(
            path,
            line,
            format!("not UTF-8 text (bad byte at column {column}); save the file as UTF-8"),
        )
    })
}

/// Reads `file` (`expected` bytes long when it was opened) to its end, but never more than
/// `limit` and one byte: a file can grow after the fstat. Into one buffer of the expected
/// size and a byte (`read_to_end` without a size hint would probe past a full buffer and
/// double it: twice the memory for every post).
fn read_at_most(mut file: File, expected: usize, limit: usize) -> io::Result<Vec<u8>> {
    let mut bytes = vec![0; expected.min(limit) + 1];
    let mut filled = 0;
    loop {
        if filled == bytes.len() {
            if filled > limit {
                break;
            }
            bytes.resize((filled * 2).min(limit + 1), 0);
        }
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(filled);
    Ok(bytes)
}

fn too_large(size: &str) -> String {
    format!(
        "file too large ({size} bytes): quire reads a post or site.toml of at most {} MiB; \
         put large files in static/",
        MAX_TEXT_BYTES >> 20
    )
}

/// 1234567 → `1,234,567`.
fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Why [`open`] refused.
enum OpenError {
    Io(io::Error),
    /// Not a regular file: what it is.
    NotRegular(&'static str),
}

impl OpenError {
    fn message(&self) -> String {
        match self {
            OpenError::Io(e) => format!("cannot read: {e}"),
            OpenError::NotRegular(kind) => not_regular(kind),
        }
    }
}

/// Opens a regular file for reading: without following a link in the last place or
/// waiting for a FIFO's writer, then checks what was opened.
fn open(path: &Path) -> Result<(File, fs::Metadata), OpenError> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    let file = options.open(path).map_err(OpenError::Io)?;
    let meta = file.metadata().map_err(OpenError::Io)?;
    if !meta.is_file() {
        return Err(OpenError::NotRegular(kind(meta.file_type())));
    }
    Ok((file, meta))
}

/// [`open`] for copying a static file: the same checks, as an I/O error naming the path.
pub fn open_regular(path: &Path) -> io::Result<File> {
    open(path).map(|(file, _)| file).map_err(|e| {
        let kind = match &e {
            OpenError::Io(e) => e.kind(),
            OpenError::NotRegular(_) => io::ErrorKind::InvalidInput,
        };
        io::Error::new(kind, format!("{}: {}", path.display(), e.message()))
    })
}

/// The message for something that is not a regular file.
pub fn not_regular(kind: &str) -> String {
    format!("not a regular file ({kind}); quire reads only files")
}

/// What a file that is neither a regular file, a folder nor a link is, for messages.
pub fn kind(t: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    if t.is_dir() {
        "a folder"
    } else if t.is_symlink() {
        "a symlink"
    } else {
        "not a file"
    }
}

/// An entry of the content folder (canonical `root`, shown as `dir`): where it is, with
/// what it is, if it exists. A link must lead inside the content folder; a broken one is
/// a warning.
pub fn entry(
    dir: &Path,
    root: &Path,
    name: &str,
) -> Result<Option<(PathBuf, fs::Metadata)>, Diagnostic> {
    let shown = dir.join(name);
    let real = root.join(name);
    let meta = match fs::symlink_metadata(&real) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Diagnostic::error(&shown, 1, format!("cannot read: {e}"))),
    };
    if !meta.file_type().is_symlink() {
        return Ok(Some((real, meta)));
    }
    let bounds = Bounds {
        inside: root,
        name: "the content folder",
    };
    let target = resolve_link(&shown, &real, bounds)?;
    let meta = fs::metadata(&target)
        .map_err(|e| Diagnostic::warning(&shown, 1, format!("cannot read: {e}")))?;
    Ok(Some((target, meta)))
}

/// Where a symlink leads, checked against `bounds`: its canonical target, or the
/// diagnostic at `path` (an error if it leaves or leads into a hidden entry, a warning if
/// it leads nowhere).
pub fn resolve_link(path: &Path, real: &Path, bounds: Bounds<'_>) -> Result<PathBuf, Diagnostic> {
    let target = fs::canonicalize(real).map_err(|e| {
        Diagnostic::warning(
            path,
            1,
            format!("cannot read (a broken symlink?): {e}; skipped"),
        )
    })?;
    let Ok(rel) = target.strip_prefix(bounds.inside) else {
        return Err(Diagnostic::error(
            path,
            1,
            format!(
                "symlink leads outside {0} (to {1}); quire {2} only files inside {0}",
                bounds.name,
                target.display(),
                if bounds.name == "static/" {
                    "publishes"
                } else {
                    "reads"
                }
            ),
        ));
    };
    if rel.components().any(|c| match c {
        Component::Normal(n) => n.to_string_lossy().starts_with('.'),
        _ => false,
    }) {
        return Err(Diagnostic::error(
            path,
            1,
            format!(
                "symlink leads to a hidden file or folder ({}); quire skips hidden files \
                 and folders, and links to them",
                rel.display()
            ),
        ));
    }
    Ok(target)
}

/// Files under `dir` (shown as given; `real` is its canonical path), recursively, in
/// path order, for [`super::load`]. See the module docs for the rules: links must resolve
/// inside `bounds` and are checked before anything is opened; only regular files are
/// kept; each folder is read once, at its own place when it is inside the tree, else
/// through the first link to it; a link back to a folder that contains it is a loop,
/// reported as a warning and not entered; a link to nothing is a warning and skipped.
/// Entries whose name starts with `.` (`.git`, editor swap files) are skipped without a
/// word. Regular files `keep` refuses go to `other`.
pub fn walk(
    dir: &Path,
    real: &Path,
    bounds: Bounds<'_>,
    keep: &dyn Fn(&Path) -> bool,
    files: &mut Vec<Found>,
    diags: &mut Vec<Diagnostic>,
    other: &mut dyn FnMut(&Path, &mut Vec<Diagnostic>),
) {
    let mut walk = Walk {
        bounds,
        keep,
        other,
        read: HashMap::new(),
        links: Vec::new(),
    };
    walk.tree(dir, real, files, diags);
    // Folder links last, so a folder is read at its own place first; links found in a
    // linked folder join the queue.
    let mut next = 0;
    while next < walk.links.len() {
        let (path, target) = walk.links[next].clone();
        next += 1;
        if let Some(first) = walk.read.get(&target) {
            diags.push(Diagnostic::warning(
                &path,
                1,
                format!(
                    "folder link to {}, which quire reads already; skipped (quire reads each \
                     folder once: copy it to publish it twice)",
                    first.display()
                ),
            ));
        } else {
            walk.tree(&path, &target, files, diags);
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
}

struct Walk<'a> {
    bounds: Bounds<'a>,
    keep: &'a dyn Fn(&Path) -> bool,
    other: &'a mut dyn FnMut(&Path, &mut Vec<Diagnostic>),
    /// Folders read, by canonical path, with the path they were read as.
    read: HashMap<PathBuf, PathBuf>,
    /// Folder links to follow: (the link as shown, its canonical target).
    links: Vec<(PathBuf, PathBuf)>,
}

impl Walk<'_> {
    /// Walks one real folder (canonical `real`, shown as `dir`) without following links:
    /// files are sorted out, links checked, folder links queued.
    fn tree(
        &mut self,
        dir: &Path,
        real: &Path,
        files: &mut Vec<Found>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let hidden = |e: &walkdir::DirEntry| {
            e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.')
        };
        let mut entries = walkdir::WalkDir::new(real)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter();
        loop {
            let entry = match entries.next() {
                None => break,
                Some(Ok(e)) if hidden(&e) => {
                    if e.file_type().is_dir() {
                        entries.skip_current_dir();
                    }
                    continue;
                }
                Some(Ok(e)) => e,
                Some(Err(err)) => {
                    let shown = err
                        .path()
                        .and_then(|p| p.strip_prefix(real).ok())
                        .map_or_else(|| dir.to_path_buf(), |rel| dir.join(rel));
                    let text = err
                        .io_error()
                        .map_or_else(|| err.to_string(), ToString::to_string);
                    diags.push(if err.depth() == 0 {
                        Diagnostic::error(&shown, 1, format!("cannot read folder: {text}"))
                    } else {
                        Diagnostic::warning(&shown, 1, format!("cannot read: {text}; skipped"))
                    });
                    continue;
                }
            };
            let rel = entry.path().strip_prefix(real).unwrap_or(Path::new(""));
            let shown = if rel.as_os_str().is_empty() {
                dir.to_path_buf()
            } else {
                dir.join(rel)
            };
            let t = entry.file_type();
            if t.is_dir() {
                if let Some(first) = self.read.get(entry.path()) {
                    // Reached before through a link (only a bind mount reaches a real
                    // folder twice otherwise).
                    diags.push(Diagnostic::warning(
                        &shown,
                        1,
                        format!("already read as {}; skipped", first.display()),
                    ));
                    entries.skip_current_dir();
                } else {
                    self.read.insert(entry.path().to_path_buf(), shown);
                }
            } else if t.is_file() {
                self.file(shown, entry.into_path(), files, diags);
            } else if t.is_symlink() {
                self.link(&shown, entry.path(), files, diags);
            } else {
                diags.push(Diagnostic::error(&shown, 1, not_regular(kind(t))));
            }
        }
    }

    fn file(
        &mut self,
        shown: PathBuf,
        real: PathBuf,
        files: &mut Vec<Found>,
        diags: &mut Vec<Diagnostic>,
    ) {
        if (self.keep)(&shown) {
            files.push(Found { path: shown, real });
        } else {
            (self.other)(&shown, diags);
        }
    }

    fn link(
        &mut self,
        shown: &Path,
        real: &Path,
        files: &mut Vec<Found>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let target = match resolve_link(shown, real, self.bounds) {
            Ok(t) => t,
            Err(d) => return diags.push(d),
        };
        // stat, not open: the target's type decides whether it is opened at all.
        let meta = match fs::metadata(&target) {
            Ok(m) => m,
            Err(e) => {
                return diags.push(Diagnostic::warning(
                    shown,
                    1,
                    format!("cannot read: {e}; skipped"),
                ));
            }
        };
        if meta.is_file() {
            self.file(shown.to_path_buf(), target, files, diags);
        } else if meta.is_dir() {
            if real.parent().is_some_and(|p| p.starts_with(&target)) {
                diags.push(Diagnostic::warning(
                    shown,
                    1,
                    "symlink loop: this folder leads back to one that contains it; skipped",
                ));
            } else {
                self.links.push((shown.to_path_buf(), target));
            }
        } else {
            diags.push(Diagnostic::error(
                shown,
                1,
                format!(
                    "symlink leads to {}, not a regular file ({}); quire reads only files",
                    kind(meta.file_type()),
                    target.display()
                ),
            ));
        }
    }
}

pub fn is_markdown(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(len: usize, expected: usize, limit: usize) -> usize {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        fs::write(&path, vec![b'a'; len]).unwrap();
        let bytes = read_at_most(File::open(&path).unwrap(), expected, limit).unwrap();
        assert!(bytes.iter().all(|&b| b == b'a'));
        bytes.len()
    }

    /// Whatever the size seen when the file was opened, a file is read to its end or to
    /// one byte past the limit, never further.
    #[test]
    fn read_at_most_stops_one_byte_past_the_limit() {
        assert_eq!(read(0, 0, 10), 0);
        assert_eq!(read(10, 10, 10), 10);
        assert_eq!(read(11, 11, 10), 11);
        assert_eq!(read(1000, 1000, 10), 11);
        // The file grew (or a special file said 0).
        assert_eq!(read(5, 0, 10), 5);
        assert_eq!(read(1000, 3, 10), 11);
        assert_eq!(read(1000, 3, 100_000), 1000);
    }
}
