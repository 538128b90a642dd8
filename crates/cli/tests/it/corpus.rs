//! `quire build` on a generated 10,000-post blog (quire-devtools' gen-corpus): checks
//! counts, not time (the benchmark in benches/build.rs prints times).
//!
//! The corpus is generated once into Cargo's target/tmp and reused by later runs while
//! its stamp matches. Measured on 2 busy cores (load average 10): generating it, 1.5 s of
//! CPU (about 5 s wall); the whole test with the corpus kept, 15 s wall, 7 s of CPU.

use crate::common::*;
use quire_core::Route;
use quire_devtools::corpus;
use std::path::PathBuf;

#[test]
fn ten_thousand_generated_posts() {
    let content = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("corpus-10000-seed7");
    corpus::ensure(10_000, 7, &content).expect("gen-corpus writes the corpus");
    // The 16,000 route files go to memory when the machine has a tmpfs at /dev/shm: on a
    // busy shared disk writing them took 87 s against 15 s there (same test, load 10).
    let dir = tempfile::Builder::new()
        .prefix("quire-corpus-test-")
        .tempdir_in("/dev/shm")
        .or_else(|_| tempfile::tempdir())
        .unwrap();
    let out = dir.path().join("o10k");
    let o = quire(
        &[
            "build",
            "--content",
            content.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(!err.contains(": error:"), "{err}");
    assert!(
        err.contains("quire: reading 10000 posts…"),
        "progress missing: {err}"
    );
    let last = err.lines().last().unwrap();
    assert!(last.starts_with("quire: 10000 posts, "), "{last}");

    let index = quire_core::Index::from_json(
        &std::fs::read_to_string(out.join("data/index.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(index.posts.len(), 10_000);
    let instant = |d: &str| quire::parse_date(d).expect("a valid date").instant;
    assert!(
        index
            .posts
            .windows(2)
            .all(|w| instant(&w[0].date) >= instant(&w[1].date))
    );
    assert!(
        index.tags.len() > corpus::TAGS * 9 / 10 && index.tags.len() <= corpus::TAGS,
        "{}",
        index.tags.len()
    );
    assert_eq!(index.categories.len(), corpus::CATEGORIES.len());
    assert_eq!(index.authors.len(), corpus::AUTHORS.len());
    assert_eq!(
        index.authors.iter().map(|a| a.posts.len()).sum::<usize>(),
        10_000
    );
    assert_eq!(
        index.tags.iter().map(|t| t.posts.len()).sum::<usize>(),
        index.posts.iter().map(|p| p.tags.len()).sum::<usize>()
    );
    assert_eq!(index.summaries.len(), 100);
    let chunk_bytes: u64 = index
        .summaries
        .iter()
        .chain(&index.bodies)
        .map(|n| std::fs::metadata(out.join("data").join(n)).unwrap().len())
        .sum();
    assert_eq!(chunk_bytes, index.chunk_bytes);
    // The index stays small next to the bodies: a reader downloads it, not 10,000 bodies.
    let index_bytes = std::fs::metadata(out.join("data/index.json"))
        .unwrap()
        .len();
    assert!(
        index_bytes * 5 < index.chunk_bytes,
        "{index_bytes} vs {}",
        index.chunk_bytes
    );

    let routes = Route::all(&index);
    let html_files = snapshot_count(&out, "html");
    assert_eq!(html_files, routes.len() + 1);
    assert!(
        err.contains(&format!("{} route files", routes.len() + 1)),
        "{last}"
    );
    let feed = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    let doc = roxmltree::Document::parse(&feed).unwrap();
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("entry"))
            .count(),
        20
    );
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    assert_eq!(
        doc.descendants().filter(|n| n.has_tag_name("loc")).count(),
        routes.len() - 1,
        "every route but /search"
    );
}

fn snapshot_count(dir: &std::path::Path, ext: &str) -> usize {
    fn walk(dir: &std::path::Path, ext: &str, n: &mut usize) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, ext, n);
            } else if p.extension().is_some_and(|x| x == ext) {
                *n += 1;
            }
        }
    }
    let mut n = 0;
    walk(dir, ext, &mut n);
    n
}
