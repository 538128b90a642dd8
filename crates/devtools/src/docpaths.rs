//! Docs that say what is true: every repository path a document names must exist.
//!
//! A *named path* is the target of a relative Markdown link (`[x](docs/CONTENT.md)`,
//! resolved from the document's folder), or a code span (`` `crates/cli/src/lib.rs` ``)
//! whose text starts with one of the repository's own top-level entries (resolved from
//! the repository root); inside fenced blocks (file trees), every word that starts so.
//! A trailing `:12` line number or `#anchor` is ignored, and one `{a,b}` group stands for
//! both names. Spans with placeholders or patterns (`*`, `<`, `…`, `$`, spaces) are not
//! paths, and neither is anything under a build output (`target/`, `dist/`,
//! `node_modules/`).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// Folders that builds create; docs may name them though they are not in the repository.
const GENERATED: [&str; 3] = ["target", "dist", "node_modules"];

/// A path named in a document that does not exist.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Missing {
    /// The document, relative to the repository root.
    pub doc: PathBuf,
    pub line: usize,
    /// The path as written.
    pub path: String,
}

impl std::fmt::Display for Missing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: names {}, which does not exist",
            self.doc.display(),
            self.line,
            self.path
        )
    }
}

/// The repository's top-level names (files and folders, hidden ones and build outputs
/// left out): a code span starting with one of them is taken for a path.
pub fn top_level(root: &Path) -> BTreeSet<String> {
    fs::read_dir(root)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !n.starts_with('.') && !GENERATED.contains(&n.as_str()))
                .collect()
        })
        .unwrap_or_default()
}

/// Strips what follows a path: `:line`, `#anchor`, `?query`, trailing punctuation.
fn clean(raw: &str) -> &str {
    let mut p = raw.trim();
    if let Some(i) = p.find(['#', '?']) {
        p = &p[..i];
    }
    // `path:line:`, `path:line:column`, `path:3-5`.
    loop {
        p = p.trim_end_matches(':');
        match p.rsplit_once(':') {
            Some((head, tail))
                if !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit() || b == b'-') =>
            {
                p = head;
            }
            _ => break,
        }
    }
    p.trim_end_matches(['.', ',', ';', ')'])
}

fn looks_like_pattern(p: &str) -> bool {
    p.is_empty() || p.contains(['*', '<', '…', '$', ' ', '|', '='])
}

/// `a/{b,c}.rs` → `a/b.rs`, `a/c.rs`; a path without braces stands for itself; more
/// than one group, or an unclosed one, is not a path (empty).
fn expand(p: &str) -> Vec<String> {
    match (p.find('{'), p.find('}')) {
        (None, None) => vec![p.to_string()],
        (Some(i), Some(j)) if i < j && !p[j + 1..].contains(['{', '}']) => p[i + 1..j]
            .split(',')
            .map(|alt| format!("{}{alt}{}", &p[..i], &p[j + 1..]))
            .collect(),
        _ => Vec::new(),
    }
}

/// Code spans and link targets of one line, each marked as a link or not.
fn candidates(line: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    // Code spans: text between single backticks; links are looked for outside them.
    let mut outside = String::new();
    for (i, part) in line.split('`').enumerate() {
        if i % 2 == 1 {
            out.push((part.to_string(), false));
        } else {
            outside.push_str(part);
            outside.push(' ');
        }
    }
    // Link targets: `](target)`.
    let mut rest = outside.as_str();
    while let Some(i) = rest.find("](") {
        let after = &rest[i + 2..];
        match after.find(')') {
            Some(j) => {
                out.push((after[..j].to_string(), true));
                rest = &after[j..];
            }
            None => break,
        }
    }
    out
}

/// Every named path in `doc` (a file under `root`) that does not exist.
pub fn check_doc(root: &Path, doc: &Path, top: &BTreeSet<String>) -> Vec<Missing> {
    let text = fs::read_to_string(doc).unwrap_or_default();
    let rel_doc = doc.strip_prefix(root).unwrap_or(doc).to_path_buf();
    let doc_dir = doc.parent().unwrap_or(root);
    let mut missing = Vec::new();
    let mut in_fence = false;
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        let found = if in_fence {
            line.split_whitespace()
                .map(|w| (w.to_string(), false))
                .collect()
        } else {
            candidates(line)
        };
        for (raw, is_link) in found {
            let cleaned = clean(&raw);
            if looks_like_pattern(cleaned) {
                continue;
            }
            for path in expand(cleaned) {
                let path = path.as_str();
                let target = if is_link {
                    if path.contains("://") || path.starts_with("mailto:") || path.starts_with('/')
                    {
                        continue;
                    }
                    doc_dir.join(path)
                } else {
                    let first = path
                        .trim_start_matches("./")
                        .split('/')
                        .next()
                        .unwrap_or("");
                    if !top.contains(first) || GENERATED.contains(&first) {
                        continue;
                    }
                    root.join(path)
                };
                if !target.exists() {
                    missing.push(Missing {
                        doc: rel_doc.clone(),
                        line: i + 1,
                        path: path.to_string(),
                    });
                }
            }
        }
    }
    missing
}

/// The documents checked: DEVELOPERS.md and every docs/*.md.
pub fn documents(root: &Path) -> Vec<PathBuf> {
    let mut docs = vec![root.join("DEVELOPERS.md")];
    if let Ok(rd) = fs::read_dir(root.join("docs")) {
        let mut more: Vec<PathBuf> = rd
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
            .collect();
        more.sort();
        docs.extend(more);
    }
    docs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_spans_and_links() {
        let c = candidates("See `src/app.rs` and [docs](docs/CONTENT.md), `cargo test`.");
        assert!(candidates("`[x](y.md)`").iter().all(|(_, link)| !link));
        assert_eq!(
            c,
            [
                ("src/app.rs".into(), false),
                ("cargo test".into(), false),
                ("docs/CONTENT.md".into(), true)
            ]
        );
    }

    #[test]
    fn cleans_lines_and_anchors() {
        assert_eq!(clean("src/main.rs:12"), "src/main.rs");
        assert_eq!(clean("content/posts/a.md:3:"), "content/posts/a.md");
        assert_eq!(clean("src/a.rs:3:14"), "src/a.rs");
        assert_eq!(clean("docs/CONTENT.md#dates"), "docs/CONTENT.md");
        assert_eq!(clean("src/routes/."), "src/routes/");
        assert!(looks_like_pattern("crates/*/tests"));
        assert_eq!(expand("src/{a,b}.rs"), ["src/a.rs", "src/b.rs"]);
        assert_eq!(expand("src/x.rs"), ["src/x.rs"]);
        assert!(expand("src/{a,b}/{c,d}").is_empty());
    }

    #[test]
    fn reports_what_is_missing_and_only_that() {
        let tmp = std::env::temp_dir().join(format!("quire-docpaths-{}", std::process::id()));
        let _ = fs::remove_dir_all(&tmp);
        fs::create_dir_all(tmp.join("docs")).unwrap();
        fs::create_dir_all(tmp.join("src")).unwrap();
        fs::write(tmp.join("src/main.rs"), "").unwrap();
        fs::write(
            tmp.join("docs/A.md"),
            "`src/main.rs` ok\n`src/gone.rs` missing\n[b](B.md) missing\n[c](../src/main.rs) ok\n```\nsrc/        the app, see src/tree/\n```\n`target/x` built\n`cargo run -p x` not a path\n[w](https://example.org/x)\n`![i](img/x.svg)` an example\n`src/{main,lib}.rs` one of two\n",
        )
        .unwrap();
        let top = top_level(&tmp);
        let missing = check_doc(&tmp, &tmp.join("docs/A.md"), &top);
        let got: Vec<(usize, &str)> = missing.iter().map(|m| (m.line, m.path.as_str())).collect();
        assert_eq!(
            got,
            [
                (2, "src/gone.rs"),
                (3, "B.md"),
                (6, "src/tree/"),
                (12, "src/lib.rs")
            ]
        );
        fs::remove_dir_all(&tmp).unwrap();
    }
}
