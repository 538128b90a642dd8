//! The proof that quire wrote an entry of the output folder: a fingerprint of each top-level
//! entry as it was written, kept in the manifest (`.quire-manifest`), and the check of an
//! entry on disk against it. A build replaces or deletes an entry only if it still matches.
//!
//! - A file: its length and a hash (SHA-256, 128 bits) of its bytes. Top-level files are
//!   few (the shell, `404.html`, the feed, the sitemaps, top-level static files), so
//!   reading them back is cheap.
//! - A folder: how many entries lie below it, their total length, and a hash of the sorted
//!   list of every path below it with its kind and length. That is metadata only: the walk
//!   reads folders and sizes, never file contents, and stops at the first symlink or
//!   special file (quire never writes one) or once it has seen more entries than the
//!   fingerprint counts. The staging folder records every file it writes, so the new
//!   fingerprints cost no walk at all.
//!
//! The manifest's format, one entry a line after a `# quire manifest 2` header:
//! `d <entries> <bytes> <hash> <name>` or `f 1 <bytes> <hash> <name>`, the name with every
//! byte outside printable ASCII (and `%`, space) written `%XX`. A manifest of the older
//! format (plain names, no fingerprints) is read as [`Manifest::Legacy`]: it proves
//! nothing.

use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::{self, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// First line of a manifest with fingerprints.
const HEADER: &str = "# quire manifest 2";

/// The largest manifest read (a site with 100,000 alias folders writes about 10 MB); a
/// bigger one is not quire's.
const MAX_MANIFEST_BYTES: u64 = 64 << 20;

/// One top-level entry as quire wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fingerprint {
    /// A file: its length and the hash of its bytes.
    File { bytes: u64, hash: String },
    /// A folder: the number of entries below it (folders and files), the files' total
    /// length, and the hash of the sorted list of those paths with kind and length.
    Folder {
        entries: u64,
        bytes: u64,
        hash: String,
    },
}

/// A manifest as found in the output folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Manifest {
    /// No manifest: quire has written nothing here (or cannot tell).
    None,
    /// The older format: names without fingerprints.
    Legacy(Vec<OsString>),
    /// Names with fingerprints.
    Fingerprinted(Vec<(OsString, Fingerprint)>),
}

/// What was wrong with a manifest, for a warning: lines that were skipped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Skipped {
    /// Lines that do not name one plain top-level entry (`a/b`, `..`, `/etc`, …).
    pub not_plain: Vec<String>,
    /// Names that start with `.`: quire never writes nor deletes those.
    pub dotted: Vec<String>,
    /// Lines that are not `kind entries bytes hash name`.
    pub malformed: usize,
}

/// A top-level name quire may act on: one path segment, not `.` or `..`, no separator,
/// no NUL, not starting with `.`.
pub fn is_plain_name(name: &OsStr) -> bool {
    let b = name_bytes(name);
    !b.is_empty() && b[0] != b'.' && !b.iter().any(|&c| matches!(c, b'/' | b'\\' | 0))
}

/// The bytes of a file name (UTF-8 where the platform has no bytes).
#[cfg(unix)]
pub fn name_bytes(name: &OsStr) -> Cow<'_, [u8]> {
    use std::os::unix::ffi::OsStrExt;
    Cow::Borrowed(name.as_bytes())
}

#[cfg(not(unix))]
pub fn name_bytes(name: &OsStr) -> Cow<'_, [u8]> {
    Cow::Owned(name.to_string_lossy().into_owned().into_bytes())
}

/// A file name from its bytes.
#[cfg(unix)]
pub fn name_from_bytes(bytes: Vec<u8>) -> Option<OsString> {
    use std::os::unix::ffi::OsStringExt;
    Some(OsString::from_vec(bytes))
}

#[cfg(not(unix))]
pub fn name_from_bytes(bytes: Vec<u8>) -> Option<OsString> {
    String::from_utf8(bytes).ok().map(OsString::from)
}

/// A name as the manifest and the journal write it: printable ASCII but `%` and space
/// as is, every other byte `%XX`.
pub fn escape(name: &OsStr) -> String {
    let mut out = String::new();
    for &b in name_bytes(name).iter() {
        if b.is_ascii_graphic() && b != b'%' {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The name [`escape`] wrote, or `None` for a bad escape.
pub fn unescape(text: &str) -> Option<OsString> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    name_from_bytes(out)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A path below a folder (`/`-separated bytes) and its length (`None` for a folder).
pub type Item = (Vec<u8>, Option<u64>);

/// The fingerprint of a folder from the list of everything below it.
pub fn folder(mut items: Vec<Item>) -> Fingerprint {
    items.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut h = Sha256::new();
    let mut bytes = 0u64;
    for (path, len) in &items {
        match len {
            None => h.update(b"d"),
            Some(n) => {
                h.update(b"f");
                h.update(n.to_le_bytes());
                bytes = bytes.saturating_add(*n);
            }
        }
        h.update((path.len() as u64).to_le_bytes());
        h.update(path);
    }
    Fingerprint::Folder {
        entries: items.len() as u64,
        bytes,
        hash: hex(&h.finalize()[..16]),
    }
}

/// The fingerprint of a file from its bytes.
pub fn file(bytes: &[u8]) -> Fingerprint {
    Fingerprint::File {
        bytes: bytes.len() as u64,
        hash: hex(&Sha256::digest(bytes)[..16]),
    }
}

/// The fingerprints of the folders quire wrote, from the files the staging folder
/// recorded (`/`-separated paths from the staging folder, lengths): every file below a
/// top-level folder and every folder those files imply. Top-level files are not here.
pub fn folders_from_records(records: &[(Vec<u8>, u64)]) -> HashMap<Vec<u8>, Fingerprint> {
    // The last write of a path wins.
    let mut files: HashMap<&[u8], u64> = HashMap::with_capacity(records.len());
    for (path, len) in records {
        files.insert(path, *len);
    }
    // Per top-level folder: its files, and the folders below it they imply.
    type Group<'a> = (Vec<Item>, HashSet<&'a [u8]>);
    let mut groups: HashMap<&[u8], Group> = HashMap::new();
    for (path, len) in files {
        let Some(slash) = path.iter().position(|&b| b == b'/') else {
            continue;
        };
        let (top, rest) = (&path[..slash], &path[slash + 1..]);
        let (items, dirs) = groups.entry(top).or_default();
        items.push((rest.to_vec(), Some(len)));
        for (i, &b) in rest.iter().enumerate() {
            if b == b'/' {
                dirs.insert(&rest[..i]);
            }
        }
    }
    groups
        .into_par_iter()
        .map(|(top, (mut items, dirs))| {
            items.extend(dirs.into_iter().map(|d| (d.to_vec(), None)));
            (top.to_vec(), folder(items))
        })
        .collect()
}

/// Fingerprints the top-level entry at `path` as it is on disk, or `None` if it cannot be
/// quire's: a symlink, a special file, unreadable, or (with `limit`) holding more
/// entries than that. Symlinks are never followed.
pub fn of_disk(path: &Path, limit: Option<u64>) -> Option<Fingerprint> {
    let meta = fs::symlink_metadata(path).ok()?;
    if meta.is_file() {
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        fs::File::open(path)
            .ok()?
            .take(meta.len() + 1)
            .read_to_end(&mut bytes)
            .ok()?;
        return Some(file(&bytes));
    }
    if !meta.is_dir() {
        return None;
    }
    let seen = AtomicU64::new(0);
    let limit = limit.unwrap_or(u64::MAX);
    let children: Vec<fs::DirEntry> = fs::read_dir(path).ok()?.collect::<Result<_, _>>().ok()?;
    let one = |e: &fs::DirEntry| {
        let mut items = Vec::new();
        walk(e, Vec::new(), &seen, limit, &mut items).then_some(items)
    };
    // Big folders (post/, tag/) in parallel; a small one (an alias page) is not worth it.
    let parts: Option<Vec<Vec<Item>>> = if children.len() >= 64 {
        children.par_iter().map(one).collect()
    } else {
        children.iter().map(one).collect()
    };
    Some(folder(parts?.into_iter().flatten().collect()))
}

/// Adds `entry` (at `prefix` below the top-level folder) and everything below it to
/// `items`; false at a symlink, a special file, an error or past `limit` entries.
fn walk(
    entry: &fs::DirEntry,
    prefix: Vec<u8>,
    seen: &AtomicU64,
    limit: u64,
    items: &mut Vec<Item>,
) -> bool {
    if seen.fetch_add(1, Ordering::Relaxed) >= limit {
        return false;
    }
    let mut path = prefix;
    if !path.is_empty() {
        path.push(b'/');
    }
    path.extend_from_slice(&name_bytes(&entry.file_name()));
    let Ok(kind) = entry.file_type() else {
        return false;
    };
    if kind.is_file() {
        // DirEntry::metadata does not follow symlinks.
        let Ok(meta) = entry.metadata() else {
            return false;
        };
        items.push((path, Some(meta.len())));
        true
    } else if kind.is_dir() {
        let Ok(rd) = fs::read_dir(entry.path()) else {
            return false;
        };
        items.push((path.clone(), None));
        for child in rd {
            match child {
                Ok(child) if walk(&child, path.clone(), seen, limit, items) => {}
                _ => return false,
            }
        }
        true
    } else {
        false
    }
}

/// Whether the entry at `path` is still exactly what `fingerprint` describes.
pub fn matches(path: &Path, fingerprint: &Fingerprint) -> bool {
    match fingerprint {
        Fingerprint::File { bytes, .. } => {
            // The length first: a file of another length is not read.
            fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == *bytes)
                && of_disk(path, None).as_ref() == Some(fingerprint)
        }
        Fingerprint::Folder { entries, .. } => {
            of_disk(path, Some(*entries)).as_ref() == Some(fingerprint)
        }
    }
}

/// The manifest's text for `entries`.
pub fn render(entries: &[(OsString, Fingerprint)]) -> String {
    let mut out = format!(
        "{HEADER}: what quire wrote here, one top-level entry a line: kind (d folder, f file), entries below it, bytes, hash, name.\n\
         # A build replaces or deletes an entry only while it still matches this line. Written by quire: do not edit.\n"
    );
    for (name, fp) in entries {
        let line = match fp {
            Fingerprint::File { bytes, hash } => format!("f 1 {bytes} {hash} {}\n", escape(name)),
            Fingerprint::Folder {
                entries,
                bytes,
                hash,
            } => format!("d {entries} {bytes} {hash} {}\n", escape(name)),
        };
        out.push_str(&line);
    }
    out
}

/// Reads the manifest at `path`. Only a regular file of sane size is read (never a
/// symlink, a pipe or a device); anything else, or text that is not UTF-8, is
/// [`Manifest::None`] with `Err` saying why.
pub fn read(path: &Path) -> (Result<Manifest, &'static str>, Skipped) {
    let mut skipped = Skipped::default();
    let meta = match fs::symlink_metadata(path) {
        Err(_) => return (Ok(Manifest::None), skipped),
        Ok(m) => m,
    };
    if !meta.is_file() {
        return (Err("not a regular file"), skipped);
    }
    if meta.len() > MAX_MANIFEST_BYTES {
        return (Err("too big to be quire's"), skipped);
    }
    let mut text = String::new();
    let read =
        fs::File::open(path).and_then(|f| f.take(MAX_MANIFEST_BYTES).read_to_string(&mut text));
    if read.is_err() {
        return (Err("unreadable, or not UTF-8"), skipped);
    }
    (Ok(parse(&text, &mut skipped)), skipped)
}

fn parse(text: &str, skipped: &mut Skipped) -> Manifest {
    let fingerprinted = text.starts_with(HEADER);
    let mut legacy = Vec::new();
    let mut entries = Vec::new();
    let mut seen = HashSet::new();
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, fp) = if fingerprinted {
            match parse_line(line) {
                Some(parsed) => parsed,
                None => {
                    skipped.malformed += 1;
                    continue;
                }
            }
        } else {
            (OsString::from(line.trim()), None)
        };
        if !is_plain_name(&name) {
            let shown = name.to_string_lossy().into_owned();
            if name_bytes(&name).first() == Some(&b'.') && is_plain_name(OsStr::new(&shown[1..])) {
                skipped.dotted.push(shown);
            } else {
                skipped.not_plain.push(shown);
            }
            continue;
        }
        if !seen.insert(name.clone()) {
            continue;
        }
        match fp {
            Some(fp) => entries.push((name, fp)),
            None => legacy.push(name),
        }
    }
    if fingerprinted {
        Manifest::Fingerprinted(entries)
    } else {
        Manifest::Legacy(legacy)
    }
}

fn parse_line(line: &str) -> Option<(OsString, Option<Fingerprint>)> {
    let f: Vec<&str> = line.split(' ').collect();
    let [kind, entries, bytes, hash, name] = f.as_slice() else {
        return None;
    };
    let entries: u64 = entries.parse().ok()?;
    let bytes: u64 = bytes.parse().ok()?;
    if hash.len() != 32 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let hash = hash.to_ascii_lowercase();
    let fp = match *kind {
        "f" if entries == 1 => Fingerprint::File { bytes, hash },
        "d" => Fingerprint::Folder {
            entries,
            bytes,
            hash,
        },
        _ => return None,
    };
    Some((unescape(name)?, Some(fp)))
}

/// Reads a small file quire wrote (a marker, the journal) if it is a regular file of at
/// most `max` bytes.
pub fn read_small(path: &Path, max: u64) -> io::Result<String> {
    let meta = fs::symlink_metadata(path)?;
    if !meta.is_file() || meta.len() > max {
        return Err(io::Error::other("not a small regular file"));
    }
    let mut text = String::new();
    fs::File::open(path)?.take(max).read_to_string(&mut text)?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_escape_and_come_back() {
        for name in ["post", "a b", "100%", "naïve", "x\ny", "tab\there"] {
            let e = escape(OsStr::new(name));
            assert!(!e.contains([' ', '\n', '\t']), "{e}");
            assert_eq!(unescape(&e).unwrap(), OsString::from(name));
        }
        assert_eq!(unescape("%4"), None);
        assert_eq!(unescape("%zz"), None);
    }

    #[test]
    fn plain_names_only() {
        for ok in ["post", "feed.xml", "a..b", "x.quire"] {
            assert!(is_plain_name(OsStr::new(ok)), "{ok}");
        }
        for bad in ["", ".", "..", ".git", "a/b", "/etc", "../x", "a\\b", "a\0b"] {
            assert!(!is_plain_name(OsStr::new(bad)), "{bad:?}");
        }
    }

    #[test]
    fn manifests_round_trip_and_skip_what_is_not_plain() {
        let entries = vec![
            (
                OsString::from("post"),
                folder(vec![
                    (b"a".to_vec(), None),
                    (b"a/index.html".to_vec(), Some(9)),
                ]),
            ),
            (OsString::from("feed.xml"), file(b"<feed/>")),
            (OsString::from("odd name%"), file(b"")),
        ];
        let mut skipped = Skipped::default();
        assert_eq!(
            parse(&render(&entries), &mut skipped),
            Manifest::Fingerprinted(entries.clone())
        );
        assert_eq!(skipped, Skipped::default());
        let text = format!(
            "{}d 1 0 {} ../x\nd 1 0 {} .git\nf 1 0 {} /etc\nd x 0 0 y\nnonsense\n",
            render(&entries),
            "0".repeat(32),
            "0".repeat(32),
            "0".repeat(32)
        );
        assert_eq!(parse(&text, &mut skipped), Manifest::Fingerprinted(entries));
        assert_eq!(skipped.not_plain, ["../x", "/etc"]);
        assert_eq!(skipped.dotted, [".git"]);
        assert_eq!(skipped.malformed, 2);
        let mut skipped = Skipped::default();
        assert_eq!(
            parse(
                "# written by quire\nkeep\n.git\n../up\npost\n",
                &mut skipped
            ),
            Manifest::Legacy(vec!["keep".into(), "post".into()])
        );
        assert_eq!(skipped.dotted, [".git"]);
        assert_eq!(skipped.not_plain, ["../up"]);
    }

    #[test]
    fn records_and_disk_agree() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("post");
        for (rel, text) in [
            ("a/index.html", "aaa"),
            ("b/c/index.html", "bb"),
            ("x.txt", ""),
        ] {
            let p = root.join(rel);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        let records: Vec<(Vec<u8>, u64)> = [
            ("post/a/index.html", 3),
            ("post/b/c/index.html", 2),
            ("post/x.txt", 0),
            ("feed.xml", 7),
        ]
        .iter()
        .map(|(p, n)| (p.as_bytes().to_vec(), *n))
        .collect();
        let fps = folders_from_records(&records);
        assert_eq!(fps.len(), 1);
        let fp = &fps[b"post".as_slice()];
        assert_eq!(of_disk(&root, None).as_ref(), Some(fp));
        assert!(matches(&root, fp));
        // A file of another length, an extra empty folder, a symlink: no longer quire's.
        fs::write(root.join("a/index.html"), "aaaa").unwrap();
        assert!(!matches(&root, fp));
        fs::write(root.join("a/index.html"), "aaa").unwrap();
        fs::create_dir(root.join("empty")).unwrap();
        assert!(!matches(&root, fp));
        fs::remove_dir(root.join("empty")).unwrap();
        assert!(matches(&root, fp));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/etc", root.join("etc")).unwrap();
            assert!(!matches(&root, fp));
            assert_eq!(of_disk(&root, None), None);
        }
    }
}
