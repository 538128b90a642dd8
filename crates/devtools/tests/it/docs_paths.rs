//! Every repository path named in DEVELOPERS.md and docs/*.md exists (see
//! quire_devtools::docpaths for what counts as a named path). Run by `cargo test
//! --workspace`, so by scripts/test.

use quire_devtools::docpaths::{check_doc, documents, top_level};
use std::path::PathBuf;

/// Known stale paths in documents this test's author does not own, each `(document,
/// path)`: reported in the test's output, not failed on. An entry that is no longer
/// stale fails the test, so this list only shrinks. Remove an entry when its document
/// is fixed.
const KNOWN_STALE: [(&str, &str); 0] = [];

#[test]
fn paths_named_in_the_docs_exist() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = root.canonicalize().unwrap();
    let top = top_level(&root);
    assert!(top.contains("crates") && top.contains("docs"), "{top:?}");
    let all: Vec<_> = documents(&root)
        .iter()
        .flat_map(|doc| check_doc(&root, doc, &top))
        .collect();
    let known = |m: &quire_devtools::docpaths::Missing| {
        KNOWN_STALE
            .iter()
            .any(|(doc, path)| m.doc == std::path::Path::new(doc) && m.path == *path)
    };
    for m in all.iter().filter(|m| known(m)) {
        eprintln!("known stale (fix the document, then drop it from KNOWN_STALE): {m}");
    }
    let fixed: Vec<_> = KNOWN_STALE
        .iter()
        .filter(|(doc, path)| {
            !all.iter()
                .any(|m| m.doc == std::path::Path::new(doc) && m.path == *path)
        })
        .collect();
    assert!(
        fixed.is_empty(),
        "no longer stale, drop from KNOWN_STALE: {fixed:?}"
    );
    let missing: Vec<String> = all
        .iter()
        .filter(|m| !known(m))
        .map(|m| m.to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "paths named in the docs that do not exist:\n{}",
        missing.join("\n")
    );
}
