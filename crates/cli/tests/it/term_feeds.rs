//! A feed per tag and per category (`tag/<slug>/feed.xml`), named in those pages' `<head>`,
//! and site.toml's `feed_content = "full"`: the post's whole text in every feed, rendered
//! with the same safety policy as its page.

use crate::common::{Blog, SITE, post, stderr};
use std::fs;

fn blog(site: &str) -> Blog {
    let blog = Blog::new(site);
    blog.post(
        "a.md",
        &post(
            "Rusty",
            "2024-01-01",
            "tags: [Rust, Café]\ncategories: [Code]\n",
            "Summary A.\n\n<!--more-->\n\nThe rest of A. <script>alert(1)</script>\n\n![pic](uploads/a.png)",
        ),
    );
    blog.post(
        "b.md",
        &post("Other", "2024-02-01", "tags: [Go]\n", "Summary B."),
    );
    blog.post(
        "c.md",
        &post("Rust again", "2024-03-01", "tags: [Rust]\n", "Summary C."),
    );
    blog
}

/// `(title, link href)` of each entry, and the feed's element.
fn entries(text: &str) -> Vec<(String, String)> {
    let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    doc.root_element()
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .map(|e| {
            let child = |name: &str| e.children().find(|c| c.has_tag_name(name)).unwrap();
            (
                child("title").text().unwrap_or_default().to_string(),
                child("link").attribute("href").unwrap().to_string(),
            )
        })
        .collect()
}

fn feed_attr(text: &str, name: (&str, &str)) -> Option<String> {
    let doc = roxmltree::Document::parse(text).unwrap();
    doc.root_element().attribute(name).map(str::to_string)
}

const XML: &str = "http://www.w3.org/XML/1998/namespace";

#[test]
fn each_tag_and_category_has_a_feed_of_its_posts() {
    let blog = blog(SITE);
    let o = blog.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rust = blog.read("tag/rust/feed.xml");
    assert_eq!(
        entries(&rust),
        [
            (
                "Rust again".to_string(),
                "https://blog.example/sub/post/c".to_string()
            ),
            (
                "Rusty".to_string(),
                "https://blog.example/sub/post/a".to_string()
            ),
        ]
    );
    assert!(
        rust.contains("<title>Test Blog — tag Rust</title>"),
        "{rust}"
    );
    assert!(
        rust.contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"https://blog.example/sub/tag/rust/feed.xml\"/>"),
        "{rust}"
    );
    assert!(
        rust.contains("<link rel=\"alternate\" type=\"text/html\" href=\"https://blog.example/sub/tag/rust\"/>"),
        "{rust}"
    );
    assert!(rust.contains("<updated>2024-03-01T00:00:00Z</updated>"));
    // Relative links inside entries resolve against the site, not the tag's folder.
    assert_eq!(
        feed_attr(&rust, (XML, "base")).as_deref(),
        Some("https://blog.example/sub/")
    );
    let cafe = blog.read("tag/café/feed.xml");
    assert_eq!(entries(&cafe).len(), 1);
    assert!(cafe.contains("href=\"https://blog.example/sub/tag/caf%C3%A9/feed.xml\""));
    assert_eq!(entries(&blog.read("tag/go/feed.xml"))[0].0, "Other");
    assert_eq!(entries(&blog.read("category/code/feed.xml"))[0].0, "Rusty");
    // Authors have none; the blog's feed is unchanged and has every post.
    assert!(!blog.out().join("author/ada/feed.xml").exists());
    assert_eq!(entries(&blog.read("feed.xml")).len(), 3);
    // By default feeds carry summaries, not the text.
    assert!(!rust.contains("<content"), "{rust}");
    assert!(!rust.contains("The rest of A"), "{rust}");
}

#[test]
fn term_pages_name_their_feed_in_the_head() {
    // Two posts a page: /tag/rust/page/2 exists with three Rust posts.
    let blog = blog(SITE);
    blog.post(
        "d.md",
        &post("Third rust", "2024-04-01", "tags: [Rust]\n", "x"),
    );
    assert!(blog.build(&[]).status.success());
    let link = "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"tag/rust/feed.xml\" title=\"Test Blog — tag Rust\">";
    for page in ["tag/rust/index.html", "tag/rust/page/2/index.html"] {
        let html = blog.read(page);
        let head = &html[..html.find("</head>").unwrap()];
        assert!(head.contains(link), "{page}: {head}");
        // The blog's feed is still named too.
        assert!(head.contains("href=\"feed.xml\""), "{page}");
    }
    let cafe = blog.read("tag/café/index.html");
    assert!(cafe.contains("href=\"tag/caf%C3%A9/feed.xml\""), "{cafe}");
    let code = blog.read("category/code/index.html");
    assert!(code.contains("href=\"category/code/feed.xml\""), "{code}");
    for other in [
        "index.html",
        "post/a/index.html",
        "author/ada/index.html",
        "tags/index.html",
    ] {
        let html = blog.read(other);
        assert!(!html.contains("/feed.xml\" title"), "{other}");
    }
}

#[test]
fn full_content_puts_the_safe_text_in_every_feed() {
    let site = format!("{SITE}feed_content = \"full\"\n");
    let blog = blog(&site);
    let o = blog.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    for feed in ["feed.xml", "tag/rust/feed.xml"] {
        let text = blog.read(feed);
        let doc = roxmltree::Document::parse(&text).unwrap();
        let content: Vec<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("content"))
            .map(|n| {
                assert_eq!(n.attribute("type"), Some("html"));
                n.text().unwrap_or_default().to_string()
            })
            .collect();
        assert_eq!(content.len(), entries(&text).len(), "{feed}");
        let a = content
            .iter()
            .find(|c| c.contains("The rest of A."))
            .unwrap_or_else(|| panic!("{feed}: {content:?}"));
        // The text before and after `<!--more-->`, as the page shows it.
        assert!(a.contains("Summary A."), "{a}");
        assert!(a.contains("<img src=\"uploads/a.png\""), "{a}");
        // The page's safety policy: raw HTML is not passed through.
        assert!(!a.contains("<script"), "{a}");
        // Summaries stay too.
        assert!(text.contains("<summary type=\"html\">"));
    }
}

#[test]
fn without_base_url_a_term_feed_is_relative_to_the_site_root() {
    let blog = blog("title = \"T\"\nauthor = \"Ada\"\n");
    assert!(blog.build(&[]).status.success());
    let rust = blog.read("tag/rust/feed.xml");
    assert_eq!(feed_attr(&rust, (XML, "base")).as_deref(), Some("../../"));
    assert_eq!(entries(&rust)[0].1, "post/c");
    assert!(rust.contains("href=\"tag/rust/feed.xml\""), "{rust}");
    assert!(rust.contains("<id>urn:quire:t:tag:rust</id>"), "{rust}");
    // The blog's feed sits at the root and needs none.
    assert_eq!(feed_attr(&blog.read("feed.xml"), (XML, "base")), None);
}

#[test]
fn a_bad_feed_content_is_an_error_with_its_line() {
    let blog = blog(&format!("{SITE}feed_content = \"everything\"\n"));
    let o = blog.build(&[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(
            "site.toml:6: error: feed_content must be \"summary\" or \"full\", not \"everything\""
        ),
        "{}",
        stderr(&o)
    );
    assert!(!blog.out().exists());
}

#[test]
fn a_term_that_goes_takes_its_feed_with_it_and_drafts_stay_out() {
    let blog = blog(SITE);
    blog.post(
        "draft.md",
        &post("Secret", "2024-05-01", "tags: [Rust]\ndraft: true\n", "x"),
    );
    assert!(blog.build(&["--drafts"]).status.success());
    assert!(!blog.read("tag/rust/feed.xml").contains("Secret"));
    assert!(blog.out().join("tag/go/feed.xml").exists());
    // The next build, without Go: the old feed is removed with the tag's page.
    fs::remove_file(blog.content().join("posts/b.md")).unwrap();
    let o = blog.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!blog.out().join("tag/go").exists());
    assert!(blog.out().join("tag/rust/feed.xml").exists());
}

/// Bytes of every file under `dir`.
fn tree_bytes(dir: &std::path::Path) -> u64 {
    fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| {
            if e.file_type().unwrap().is_dir() {
                tree_bytes(&e.path())
            } else {
                e.metadata().unwrap().len()
            }
        })
        .sum()
}

#[test]
fn a_post_is_written_in_full_into_its_first_32_term_feeds_only() {
    let blog = Blog::new(&format!("{SITE}feed_content = \"full\"\n"));
    let tags: Vec<String> = (0..40).map(|i| format!("t{i:02}")).collect();
    blog.post(
        "many.md",
        &post(
            "Many",
            "2024-01-01",
            &format!("tags: [{}]\n", tags.join(", ")),
            "Short summary.\n\n<!--more-->\n\nThe whole text.",
        ),
    );
    let o = blog.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    for (i, tag) in tags.iter().enumerate() {
        let feed = blog.read(&format!("tag/{tag}/feed.xml"));
        let full = i < 32;
        assert_eq!(feed.contains("The whole text."), full, "{tag}");
        assert_eq!(
            feed.matches("<category ").count(),
            if full { 40 } else { 8 },
            "{tag}"
        );
        assert!(feed.contains("Short summary."), "{tag}");
    }
    // The blog's feed has it in full.
    let main = blog.read("feed.xml");
    assert!(main.contains("The whole text."));
    assert_eq!(main.matches("<category ").count(), 40);
}

/// Before the bound, one post with 500 tags and 200 KB of text wrote its text into 500
/// feeds (100 MB); now into 32.
#[test]
fn many_tags_and_a_long_text_write_a_linear_site() {
    let blog = Blog::new(&format!("{SITE}feed_content = \"full\"\n"));
    let tags: Vec<String> = (0..500).map(|i| format!("t{i}")).collect();
    let body = "A paragraph of the long post, with some words in it.\n\n".repeat(4000);
    blog.post(
        "long.md",
        &post(
            "Long",
            "2024-01-01",
            &format!("tags: [{}]\n", tags.join(", ")),
            &body,
        ),
    );
    let o = blog.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = tree_bytes(&blog.out());
    assert!(bytes < 30 << 20, "{} MB", bytes >> 20);
    assert!(blog.read("tag/t499/feed.xml").contains("<entry>"));
}
