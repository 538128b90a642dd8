//! `quire build` writes the search index: the manifest named in index.json, its shards,
//! and a query run over the files as written finds the right posts.

use crate::common::*;
use quire_core::search::{Manifest, Query, Shard};
use std::fs;

const SITE: &str = "title = \"T\"\nlanguage = \"en\"\n";

fn search(blog: &Blog, input: &str) -> Vec<String> {
    let index = blog.index();
    let name = index
        .search
        .as_deref()
        .expect("index.json names the manifest");
    let manifest =
        Manifest::decode(&fs::read(blog.out().join("data").join(name)).unwrap()).unwrap();
    let q = Query::parse(input, manifest.stem);
    let plan = q.plan(&manifest);
    let shards: Vec<Option<Shard>> = (0..manifest.shards.len())
        .map(|i| {
            plan.contains(&i).then(|| {
                let bytes = fs::read(blog.out().join("data").join(&manifest.shards[i].file));
                Shard::decode(bytes.unwrap()).unwrap()
            })
        })
        .collect();
    q.search(&manifest, |i| shards[i].as_ref())
        .unwrap()
        .into_iter()
        .map(|h| index.posts[h.post as usize].slug.clone())
        .collect()
}

#[test]
fn build_writes_a_searchable_index() {
    let blog = Blog::new(SITE);
    blog.post(
        "a.md",
        &post(
            "Café culture",
            "2024-01-02",
            "tags: [Coffee]\nauthor: Grace Hopper\n",
            "We tried *espresso* in [Paris](https://example.org/ignored-url).",
        ),
    );
    blog.post(
        "b.md",
        &post(
            "Trains",
            "2024-03-01",
            "categories: [Travel]\n",
            "Running late again; the 東京 metro was on time.",
        ),
    );
    let o = blog.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(search(&blog, "cafe "), ["a"]);
    assert_eq!(search(&blog, "espresso"), ["a"]);
    assert_eq!(search(&blog, "coffee "), ["a"], "tags are indexed");
    assert_eq!(search(&blog, "hopper "), ["a"], "the author is indexed");
    assert_eq!(search(&blog, "travel "), ["b"], "categories are indexed");
    assert_eq!(search(&blog, "run "), ["b"], "English stemming");
    assert_eq!(search(&blog, "東京"), ["b"]);
    // Markdown is indexed as text: link targets are not words of the post.
    assert!(search(&blog, "ignored ").is_empty());
    // The manifest and shards sit under data/ with content-hashed names, and a rebuild
    // writes the same files.
    let before = snapshot(&blog.out().join("data"));
    assert!(before.keys().any(|k| k.to_string_lossy().starts_with("x-")));
    let o = blog.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(snapshot(&blog.out().join("data")), before);
}

#[test]
fn stemming_follows_the_site_language() {
    let blog = Blog::new("title = \"T\"\nlanguage = \"fr\"\n");
    blog.post("a.md", &post("Un", "2024-01-02", "", "Elle runs vite."));
    let o = blog.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(search(&blog, "running ").is_empty());
    assert_eq!(search(&blog, "runs "), ["a"]);
}

#[test]
fn an_empty_blog_has_an_empty_index() {
    let blog = Blog::new(SITE);
    let o = blog.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(search(&blog, "anything").is_empty());
}

#[test]
fn posts_in_every_body_chunk_are_found_at_their_own_position() {
    let blog = Blog::new(SITE);
    let filler = "plain filler words again and again. ".repeat(600); // ~21 KB a body
    for i in 0..7 {
        blog.post(
            &format!("p{i}.md"),
            &post(
                &format!("Post {i}"),
                &format!("2024-01-{:02}", i + 1),
                "",
                &format!("{filler}\n\nuniqueword{i} ends it."),
            ),
        );
    }
    let o = blog.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(blog.index().bodies.len() >= 3, "several body chunks");
    for i in 0..7 {
        assert_eq!(search(&blog, &format!("uniqueword{i} ")), [format!("p{i}")]);
    }
}
