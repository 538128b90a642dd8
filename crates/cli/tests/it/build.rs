//! `quire build`: bundle, term indexes, summaries, route files and their meta tags, feed
//! and sitemap (read back with an XML parser), on the sample blog and on small blogs.

use crate::common::*;
use quire_core::bundle::{BODY_CHUNK_BYTES, SUMMARY_CHUNK_POSTS, content_hash};
use quire_core::{Route, TermKind};
use std::fs;
use std::path::Path;

fn sample_blog_out(extra: &[&str]) -> (tempfile::TempDir, quire_core::Index) {
    let dir = tempfile::tempdir().unwrap();
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content");
    let out = dir.path().join("dist");
    let mut args = vec![
        "build",
        "--content",
        content.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = quire(&args, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let index =
        quire_core::Index::from_json(&fs::read_to_string(out.join("data/index.json")).unwrap())
            .unwrap();
    (dir, index)
}

#[test]
fn sample_blog_meets_the_brief() {
    let (dir, index) = sample_blog_out(&[]);
    let out = dir.path().join("dist");
    assert!(index.posts.len() >= 12, "{}", index.posts.len());
    assert!(index.authors.len() >= 2);
    assert!(index.categories.len() >= 3);
    assert!(index.tags.len() >= 8);
    let tag_names: Vec<&str> = index.tags.iter().map(|t| t.name.as_str()).collect();
    assert!(tag_names.contains(&"Static Sites"), "{tag_names:?}");
    assert!(
        index.tags.iter().any(|t| !t.slug.is_ascii()),
        "{tag_names:?}"
    );
    let years: std::collections::BTreeSet<&str> =
        index.posts.iter().map(|p| &p.date[..4]).collect();
    assert!(years.len() >= 3, "{years:?}");
    // The draft is left out, and comes in with --drafts.
    let (_d2, with_drafts) = sample_blog_out(&["--drafts"]);
    assert_eq!(with_drafts.posts.len(), index.posts.len() + 1);

    // Together the posts use every Markdown feature.
    let mut html = String::new();
    for name in &index.bodies {
        for body in chunk_at(&out, name) {
            html.push_str(&quire_core::markdown::render(&body, index.site.raw_html));
        }
    }
    for needle in [
        "<h2",
        "<h3",
        "<em>",
        "<strong>",
        "<ul>",
        "<ol>",
        "type=\"checkbox\"",
        "<table>",
        "footnote-definition",
        "<del>",
        "<pre><code",
        "<blockquote>",
        "<img",
        "<a href=\"https://",
        "<hr",
    ] {
        assert!(html.contains(needle), "no post uses {needle}");
    }
    // Local images are copied from content/static.
    assert!(out.join("images/compost-bay.svg").is_file());
    // A post with <!--more--> gets the text before it as summary.
    let pos = index
        .post_position("why-i-moved-my-blog-to-static-files")
        .unwrap();
    let summaries = chunk_at(&out, &index.summaries[pos / SUMMARY_CHUNK_POSTS as usize]);
    assert!(summaries[pos % SUMMARY_CHUNK_POSTS as usize].starts_with("For six years"));
    assert!(!summaries[pos % SUMMARY_CHUNK_POSTS as usize].contains("## What changed"));
}

fn chunk_at(out: &Path, name: &str) -> Vec<String> {
    let text = fs::read_to_string(out.join("data").join(name)).unwrap();
    super::common::markdown_of_chunk(name, &text)
}

#[test]
fn posts_newest_first_ties_by_slug_and_chunks_line_up() {
    let blog = Blog::new(SITE);
    blog.post("b.md", &post("B", "2024-01-01", "", "Body b."));
    blog.post("a.md", &post("A", "2024-01-01", "", "Body a."));
    blog.post("c.md", &post("C", "2024-01-01T12:00:00Z", "", "Body c."));
    blog.post(
        "d.md",
        &post("D", "2023-12-31T23:00:00-05:00", "", "Body d."),
    );
    blog.post("e.md", &post("E", "2020-05-05", "", "Body e."));
    let o = blog.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let index = blog.index();
    let slugs: Vec<&str> = index.posts.iter().map(|p| p.slug.as_str()).collect();
    // d is 2024-01-01T04:00Z: newest after c.
    assert_eq!(slugs, ["c", "d", "a", "b", "e"]);
    let mut total = 0u64;
    for name in index.summaries.iter().chain(&index.bodies) {
        let bytes = fs::read(blog.out().join("data").join(name)).unwrap();
        total += bytes.len() as u64;
        let hash = &name[2..name.len() - 5];
        assert_eq!(hash, content_hash(&bytes), "{name}");
    }
    assert_eq!(total, index.chunk_bytes);
    for (i, p) in index.posts.iter().enumerate() {
        let body = &chunk(&blog, &index.bodies[p.body.chunk as usize])[p.body.slot as usize];
        assert_eq!(body.trim(), format!("Body {}.", slugs[i]));
    }
    assert_eq!(index.site.language, "en");
    assert_eq!(index.site.posts_per_page, 2);
}

#[test]
fn big_posts_get_a_body_chunk_of_their_own() {
    let blog = Blog::new(SITE);
    let big = "word ".repeat(BODY_CHUNK_BYTES / 4);
    blog.post("1.md", &post("One", "2024-01-03", "", "small one"));
    blog.post("2.md", &post("Two", "2024-01-02", "", &big));
    blog.post("3.md", &post("Three", "2024-01-01", "", "small three"));
    for i in 0..30 {
        blog.post(
            &format!("m{i}.md"),
            &post(&format!("M{i}"), "2020-01-01", "", &"x".repeat(4000)),
        );
    }
    assert!(blog.build(&[]).status.success());
    let index = blog.index();
    let chunk_of = |slug: &str| index.posts[index.post_position(slug).unwrap()].body;
    assert_eq!(chunk_of("1").chunk, 0);
    assert_eq!(chunk_of("2").chunk, 1);
    assert_eq!(chunk_of("2").slot, 0);
    assert_eq!(chunk_of("3").chunk, 2);
    assert_eq!(chunk(&blog, &index.bodies[1]).len(), 1);
    for name in &index.bodies[2..] {
        let size = fs::metadata(blog.out().join("data").join(name))
            .unwrap()
            .len() as usize;
        assert!(size <= BODY_CHUNK_BYTES + 200, "{name} is {size} bytes");
    }
    assert!(index.bodies.len() >= 4);
}

#[test]
fn terms_merge_by_slug_and_index_positions_ascending() {
    let blog = Blog::new(SITE);
    blog.post(
        "1.md",
        &post(
            "P1",
            "2024-01-05",
            "tags: [Static Sites, Rust]\ncategories: Work\n",
            "x",
        ),
    );
    blog.post(
        "2.md",
        &post(
            "P2",
            "2024-01-04",
            "tags: [static-sites]\ncategories: [work, Life]\nauthor: Bo\n",
            "x",
        ),
    );
    blog.post(
        "3.md",
        &post(
            "P3",
            "2024-01-03",
            "tags: [Static Sites, RUST, rust]\n",
            "x",
        ),
    );
    blog.post(
        "4.md",
        &post("P4", "2024-01-02", "tags: [Café]\nauthor: bo\n", "x"),
    );
    blog.post(
        "5.md",
        &post("P5", "2024-01-01", "tags: [café, Café]\n", "x"),
    );
    assert!(blog.build(&[]).status.success());
    let index = blog.index();
    let tags: Vec<(&str, &str, Vec<u32>)> = index
        .tags
        .iter()
        .map(|t| (t.slug.as_str(), t.name.as_str(), t.posts.clone()))
        .collect();
    assert_eq!(
        tags,
        [
            ("café", "Café", vec![3, 4]),
            ("rust", "Rust", vec![0, 2]),
            ("static-sites", "Static Sites", vec![0, 1, 2]),
        ]
    );
    // A post lists each term once, in the order written.
    assert_eq!(index.posts[2].tags, [2, 1]);
    let cats: Vec<(&str, &str, usize)> = index
        .categories
        .iter()
        .map(|t| (t.slug.as_str(), t.name.as_str(), t.posts.len()))
        .collect();
    assert_eq!(cats, [("life", "Life", 1), ("work", "Work", 2)]);
    let authors: Vec<(&str, &str, Vec<u32>)> = index
        .authors
        .iter()
        .map(|t| (t.slug.as_str(), t.name.as_str(), t.posts.clone()))
        .collect();
    assert_eq!(
        authors,
        [("ada", "Ada", vec![0, 2, 4]), ("bo", "Bo", vec![1, 3])]
    );
    assert!(index.validate().is_ok());
}

#[test]
fn summaries_from_field_more_marker_or_first_paragraph() {
    let blog = Blog::new(SITE);
    blog.post(
        "a.md",
        &post(
            "A",
            "2024-01-03",
            "summary: Given *here* today.\n",
            "Para one.\n\nPara two.",
        ),
    );
    blog.post(
        "b.md",
        &post(
            "B",
            "2024-01-02",
            "",
            "Intro one.\n\nIntro two.\n<!--more-->\nRest.",
        ),
    );
    blog.post(
        "c.md",
        &post(
            "C",
            "2024-01-01",
            "",
            "## Heading\n\nFirst para\ncontinues.\n\nSecond.",
        ),
    );
    assert!(blog.build(&[]).status.success());
    let index = blog.index();
    let s = chunk(&blog, &index.summaries[0]);
    assert_eq!(
        s,
        [
            "Given *here* today.",
            "Intro one.\n\nIntro two.",
            "First para\ncontinues."
        ]
    );
    let b = index.posts[1].body;
    let body = &chunk(&blog, &index.bodies[b.chunk as usize])[b.slot as usize];
    assert!(
        !body.contains("<!--more-->") && body.contains("Rest."),
        "{body}"
    );
    // The post route's description is the summary as plain text.
    let html = blog.read("post/a/index.html");
    assert!(
        html.contains("<meta name=\"description\" content=\"Given here today.\">"),
        "{html}"
    );
}

#[test]
fn route_files_for_every_route_kind_with_meta() {
    let blog = Blog::new(SITE);
    for i in 0..5 {
        blog.post(
            &format!("2024-01-0{}-post-{i}.md", i + 1),
            &post(
                &format!("Post {i}"),
                &format!("2024-01-0{}", i + 1),
                "tags: [Café Crème]\ncategories: [Notes]\n",
                &format!("Summary of {i}."),
            ),
        );
    }
    let shell = blog.root.path().join("shell.html");
    fs::write(&shell, "<!doctype html><html><head><meta charset=\"utf-8\"><title>App</title><script type=\"module\">init('x');</script><script src=\"/a.js\"></script></head><body></body></html>").unwrap();
    let o = blog.build(&["--shell", shell.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let index = blog.index();
    let routes = Route::all(&index);
    for kind in [
        Route::Home { page: 1 },
        Route::Home { page: 3 },
        Route::Post {
            slug: "post-0".into(),
        },
        Route::Term {
            kind: TermKind::Tag,
            slug: "café-crème".into(),
            page: 2,
        },
        Route::Term {
            kind: TermKind::Category,
            slug: "notes".into(),
            page: 1,
        },
        Route::Term {
            kind: TermKind::Author,
            slug: "ada".into(),
            page: 3,
        },
        Route::Tags,
        Route::Archive,
    ] {
        assert!(routes.contains(&kind), "{kind:?}");
    }
    let expected_hash = {
        use base64::Engine;
        use sha2::Digest;
        let d = sha2::Sha256::digest(b"init('x');");
        format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(d)
        )
    };
    for route in &routes {
        let rel = route.file();
        let html = blog.read(&rel);
        let meta = quire_core::meta::page_meta(&index, route, Some("Summary of 0."));
        let title = quire_core::text::escape_html(&meta.title);
        assert!(
            html.contains(&format!("<title>{title}</title>")),
            "{rel}: {html}"
        );
        assert_eq!(html.matches("<title>").count(), 1, "{rel}");
        let url = format!("https://blog.example/sub{}", route.href("/"));
        assert!(
            html.contains(&format!("<link rel=\"canonical\" href=\"{url}\">")),
            "{rel}: {html}"
        );
        assert!(
            html.contains(&format!("<meta property=\"og:url\" content=\"{url}\">")),
            "{rel}"
        );
        assert!(
            html.contains(&format!(
                "<meta property=\"og:title\" content=\"{}\">",
                quire_core::text::escape_html(&meta.heading)
            )),
            "{rel}"
        );
        assert!(html.contains("<meta property=\"og:site_name\" content=\"Test Blog\">"));
        assert!(
            html.contains(
                "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"feed.xml\""
            )
        );
        let og_type = if matches!(route, Route::Post { .. }) {
            "article"
        } else {
            "website"
        };
        assert!(
            html.contains(&format!(
                "<meta property=\"og:type\" content=\"{og_type}\">"
            )),
            "{rel}"
        );
        // CSP: hashes the inline script, precedes it.
        let csp_at = html
            .find("http-equiv=\"Content-Security-Policy\"")
            .expect("csp");
        assert!(csp_at < html.find("<script").unwrap(), "{rel}");
        assert!(html.contains(&expected_hash), "{rel}");
    }
    let home = blog.read("index.html");
    assert!(home.contains("<meta name=\"description\" content=\"A blog for tests\">"));
    assert!(
        blog.read("tag/café-crème/page/2/index.html")
            .contains("Posts tagged “Café Crème” (page 2) · Test Blog")
    );
    let nf = blog.read("404.html");
    assert!(nf.contains("<title>Page not found · Test Blog</title>"));
    assert!(nf.contains("noindex") && !nf.contains("canonical"));
    // One file per route (plus 404.html), nothing else besides data, feed, sitemap.
    let html_files = snapshot(&blog.out())
        .keys()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .count();
    assert_eq!(html_files, routes.len() + 1);
}

#[test]
fn values_are_text_everywhere() {
    let evil = "</script><script>alert(1)</script> & \"quotes\" 'apos' <b>";
    let site = format!(
        "title = {:?}\ndescription = {:?}\nauthor = {:?}\nbase_url = \"https://e.example/\"\n",
        format!("Site {evil}"),
        format!("Desc {evil}"),
        format!("Au {evil}")
    );
    let blog = Blog::new(&site);
    blog.post(
        "x.md",
        &format!(
            "---\ntitle: {:?}\ndate: 2024-01-01\ntags: [{:?}]\ncategories: [{:?}]\nsummary: {:?}\n---\nBody {evil}\n",
            format!("T {evil}"),
            format!("tag {evil}"),
            format!("cat {evil}"),
            format!("S {evil}")
        ),
    );
    let shell = blog.root.path().join("shell.html");
    fs::write(&shell, "<html><head><meta charset=\"utf-8\"><title>x</title><script>boot()</script></head><body></body></html>").unwrap();
    let o = blog.build(&["--shell", shell.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let index = blog.index();
    for route in Route::all(&index).iter().chain([&Route::NotFound]) {
        let html = blog.read(&route.file());
        assert_eq!(html.matches("<script").count(), 1, "{route:?}: {html}");
        assert_eq!(html.matches("</script>").count(), 1, "{route:?}");
        // Text values (site, titles, tags, categories, authors) are escaped everywhere.
        // Summaries and bodies are Markdown: the sanitizer may keep a harmless <b>
        // there, so only the HTML outside them must have none.
        let outside = without_markdown_blocks(&html);
        assert!(!outside.contains("<b>"), "{route:?}: {outside}");
        assert!(outside.contains("&lt;b&gt;"), "{route:?}: {outside}");
    }
    // The Markdown blocks went through the sanitizer: the script is gone, <b> is empty.
    let home = blog.read("index.html");
    let summary_at = home
        .find("<div class=\"summary\">")
        .expect("home lists a summary");
    let summary = &home[summary_at..summary_at + home[summary_at..].find("</div>").unwrap()];
    assert!(
        summary.contains("<b></b>") && !summary.contains("alert(1)</"),
        "{summary}"
    );
    let feed = blog.read("feed.xml");
    let doc = roxmltree::Document::parse(&feed).expect("feed is well-formed");
    let title = doc.descendants().find(|n| n.has_tag_name("title")).unwrap();
    assert_eq!(title.text(), Some(format!("Site {evil}").as_str()));
    let cat = doc
        .descendants()
        .find(|n| n.has_tag_name("category"))
        .unwrap();
    assert_eq!(cat.attribute("label"), Some(format!("tag {evil}").as_str()));
    let summary = doc
        .descendants()
        .find(|n| n.has_tag_name("summary"))
        .unwrap();
    assert!(
        !summary.text().unwrap().contains("<script"),
        "{:?}",
        summary.text()
    );
    roxmltree::Document::parse(&blog.read("sitemap.xml")).expect("sitemap is well-formed");
}

#[test]
fn feed_has_the_newest_twenty_published_posts() {
    let blog = Blog::new(SITE);
    for i in 0..25 {
        blog.post(
            &format!("p{i:02}.md"),
            &post(
                &format!("Post {i}"),
                &format!("2024-02-{:02}", i + 1),
                &format!("tags: [t{}]\nauthor: Writer {}\n", i % 3, i % 2),
                &format!("Summary *{i}*.\n\nMore."),
            ),
        );
    }
    blog.post(
        "zz-draft.md",
        &post("Draft", "2025-01-01", "draft: true\n", "Draft."),
    );
    blog.post(
        "upd.md",
        &post(
            "Updated",
            "2023-01-01",
            "updated: 2024-03-01T10:00:00+02:00\n",
            "Old but updated.",
        ),
    );
    let o = blog.build(&["--drafts"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let feed = blog.read("feed.xml");
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let root = doc.root_element();
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let entries: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    assert_eq!(entries.len(), 20);
    let child = |n: roxmltree::Node, name: &str| {
        n.children()
            .find(|c| c.has_tag_name(name))
            .map(|c| c.text().unwrap_or("").to_string())
            .unwrap_or_else(|| panic!("no {name}"))
    };
    assert_eq!(child(entries[0], "title"), "Post 24");
    assert_eq!(child(entries[19], "title"), "Post 5");
    assert!(!feed.contains("Draft"));
    let first = entries[0];
    let link = first.children().find(|c| c.has_tag_name("link")).unwrap();
    assert_eq!(
        link.attribute("href"),
        Some("https://blog.example/sub/post/p24")
    );
    assert_eq!(child(first, "id"), "https://blog.example/sub/post/p24");
    assert_eq!(child(first, "published"), "2024-02-25T00:00:00Z");
    assert_eq!(child(first, "updated"), "2024-02-25T00:00:00Z");
    let author = first.children().find(|c| c.has_tag_name("author")).unwrap();
    assert_eq!(child(author, "name"), "Writer 0");
    let cat = first
        .children()
        .find(|c| c.has_tag_name("category"))
        .unwrap();
    assert_eq!(cat.attribute("term"), Some("t0"));
    let summary = first
        .children()
        .find(|c| c.has_tag_name("summary"))
        .unwrap();
    assert_eq!(summary.attribute("type"), Some("html"));
    assert_eq!(
        summary.text().unwrap().trim(),
        "<p>Summary <em>24</em>.</p>"
    );
    assert_eq!(child(root, "updated"), "2024-02-25T00:00:00Z");
    // Feed and sitemap leave drafts out even when the build includes them.
    let sitemap = blog.read("sitemap.xml");
    assert!(!sitemap.contains("zz-draft"));
    assert!(blog.out().join("post/zz-draft/index.html").is_file());
}

#[test]
fn sitemap_lists_every_route_absolute_and_encoded() {
    let blog = Blog::new(SITE);
    blog.post(
        "café.md",
        &post(
            "Café",
            "2024-01-01",
            "tags: [日本語]\nupdated: 2024-02-02\n",
            "x",
        ),
    );
    blog.post("b.md", &post("B", "2024-01-02", "", "x"));
    assert!(blog.build(&[]).status.success());
    let index = blog.index();
    let text = blog.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "urlset");
    let locs: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap().to_string())
        .collect();
    // Every route but the search page, which has a route file but no content of its own.
    let expected: Vec<String> = Route::all(&index)
        .iter()
        .filter(|r| **r != Route::Search)
        .map(|r| format!("https://blog.example/sub{}", r.href("/")))
        .collect();
    assert_eq!(locs, expected);
    assert!(Route::all(&index).contains(&Route::Search));
    assert!(blog.out().join("search/index.html").is_file());
    assert!(!text.contains("/search"), "{text}");
    assert!(locs.contains(&"https://blog.example/sub/tag/%E6%97%A5%E6%9C%AC%E8%AA%9E".to_string()));
    assert!(locs.iter().all(|l| l.is_ascii()));
    assert!(text.contains(
        "<loc>https://blog.example/sub/post/caf%C3%A9</loc><lastmod>2024-02-02</lastmod>"
    ));
}

#[test]
fn without_base_url_links_are_relative_and_a_warning_says_so() {
    let blog = Blog::new("title = \"No Base\"\n");
    blog.post("a.md", &post("A", "2024-01-01", "author: Al\n", "x"));
    let o = blog.build(&[]);
    assert!(o.status.success());
    assert!(
        stderr(&o).contains("site.toml:1: warning: no base_url"),
        "{}",
        stderr(&o)
    );
    let feed = blog.read("feed.xml");
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let link = doc
        .descendants()
        .find(|n| n.has_tag_name("entry"))
        .unwrap()
        .children()
        .find(|n| n.has_tag_name("link"))
        .unwrap();
    assert_eq!(link.attribute("href"), Some("post/a"));
    let sitemap = blog.read("sitemap.xml");
    roxmltree::Document::parse(&sitemap).unwrap();
    assert!(sitemap.contains("<loc>/post/a</loc>"));
    assert!(!blog.read("index.html").contains("canonical"));
}

/// `html` without the contents of its rendered-Markdown blocks (`<div class="summary">`,
/// `<div class="post-body">`); each block is cut up to its first `</div>`, which the
/// Markdown of these tests never contains.
fn without_markdown_blocks(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    loop {
        let start = ["<div class=\"summary\">", "<div class=\"post-body\">"]
            .iter()
            .filter_map(|open| rest.find(open).map(|i| (i, open.len())))
            .min();
        let Some((i, len)) = start else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..i + len]);
        let after = &rest[i + len..];
        let end = after.find("</div>").expect("a Markdown block is closed");
        rest = &after[end..];
    }
}
