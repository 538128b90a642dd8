//! Standalone pages are search documents after the posts (issue 21): a word only a page
//! has, in its body, heading, title or summary, finds that page through the index as
//! written, at position `posts.len() + i`, and a word posts and a page share finds both.

use crate::common::*;
use quire_core::search::{Manifest, Query, Shard};
use std::fs;

fn page(blog: &Blog, name: &str, text: &str) {
    let p = blog.content().join("pages").join(name);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(&p, text).unwrap();
}

/// The hits of a query run over the files as written: "post:<slug>" or "page:<slug>".
fn search(blog: &Blog, input: &str) -> Vec<String> {
    let index = blog.index();
    let name = index
        .search
        .as_deref()
        .expect("index.json names the manifest");
    let manifest =
        Manifest::decode(&fs::read(blog.out().join("data").join(name)).unwrap()).unwrap();
    assert_eq!(
        manifest.docs as usize,
        index.posts.len() + index.pages.len(),
        "the manifest counts posts and pages"
    );
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
        .map(|h| {
            let pos = h.post as usize;
            match index.posts.get(pos) {
                Some(p) => format!("post:{}", p.slug),
                None => format!("page:{}", index.pages[pos - index.posts.len()].slug),
            }
        })
        .collect()
}

#[test]
fn pages_are_found_by_search() {
    let blog = Blog::new("title = \"T\"\nlanguage = \"en\"\n");
    blog.post(
        "a.md",
        &post(
            "Kettles",
            "2024-01-02",
            "tags: [tea]\n",
            "Boiling water for tea.",
        ),
    );
    blog.post(
        "b.md",
        &post("Trains", "2024-03-01", "", "The metro was late."),
    );
    page(
        &blog,
        "about.md",
        "---\ntitle: About the author\nsummary: A zanzibarian traveller.\n---\n\
         I collect quokkalore and drink tea.\n\n## Harpsichords\n\nSome words.\n",
    );
    page(
        &blog,
        "contact.md",
        "---\ntitle: Contact\n---\nWrite to the lighthouse.\n",
    );
    let o = blog.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(search(&blog, "quokkalore"), ["page:about"], "a page's body");
    assert_eq!(
        search(&blog, "harpsichord "),
        ["page:about"],
        "its headings"
    );
    assert_eq!(search(&blog, "zanzibarian"), ["page:about"], "its summary");
    assert_eq!(search(&blog, "author "), ["page:about"], "its title");
    assert_eq!(search(&blog, "lighthouse "), ["page:contact"]);
    let tea = search(&blog, "tea ");
    assert_eq!(tea.len(), 2, "{tea:?}");
    assert!(tea.contains(&"post:a".to_string()) && tea.contains(&"page:about".to_string()));
    assert_eq!(
        search(&blog, "metro "),
        ["post:b"],
        "posts keep their positions"
    );
}
