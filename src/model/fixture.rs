//! The index the model's tests share (five posts, three tags, one page) and the small helpers they
//! use to name tags and tag routes.

use quire_core::bundle::BodyRef;
use quire_core::{Index, PostMeta, RawHtml, Route, SCHEMA_VERSION, Site, Term, TermKind};

/// Five posts, newest first; tags: rust (0,1,3), wasm (0,2), web (4); two per page.
pub(super) fn index() -> Index {
    let post = |slug: &str, date: &str, tags: Vec<u32>| PostMeta {
        slug: slug.into(),
        title: slug.to_uppercase(),
        date: date.into(),
        updated: None,
        author: 0,
        tags,
        categories: vec![0],
        words: 500,
        body: BodyRef { chunk: 0, slot: 0 },
    };
    let term = |slug: &str, name: &str, posts: Vec<u32>| Term {
        slug: slug.into(),
        name: name.into(),
        posts,
    };
    Index {
        schema: SCHEMA_VERSION,
        site: Site {
            title: "Site".into(),
            description: "About".into(),
            author: None,
            base_url: None,
            posts_per_page: 2,
            language: "en".into(),
            social: vec![],
            raw_html: RawHtml::default(),
            menu: vec![],
        },
        pages: vec![quire_core::SitePage {
            slug: "about".into(),
            title: "About".into(),
            updated: None,
            description: String::new(),
            body: BodyRef { chunk: 0, slot: 5 },
        }],
        posts: vec![
            post("e", "2024-05-01", vec![0, 1]),
            post("d", "2024-04-01", vec![0]),
            post("c", "2024-04-01", vec![1]),
            post("b", "2023-01-01", vec![0]),
            post("a", "2022-01-01", vec![2]),
        ],
        tags: vec![
            term("rust", "Rust", vec![0, 1, 3]),
            term("wasm", "Wasm", vec![0, 2]),
            term("web", "Web", vec![4]),
        ],
        categories: vec![term("work", "Work", vec![0, 1, 2, 3, 4])],
        authors: vec![term("ada", "Ada", vec![0, 1, 2, 3, 4])],
        summary_chunk: 2,
        summaries: vec!["s-0.json".into(), "s-1.json".into(), "s-2.json".into()],
        bodies: vec!["b-0.json".into()],
        chunk_bytes: 100,
        search: None,
    }
}

pub(super) fn tags(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

pub(super) fn tag_route(slug: &str, page: u32) -> Route {
    Route::Term {
        kind: TermKind::Tag,
        slug: slug.into(),
        page,
    }
}
