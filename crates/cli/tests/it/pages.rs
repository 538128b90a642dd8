//! Standalone pages (`content/pages/<name>.md`): a blog with two pages builds each at its
//! address, prerendered with its body, title, description and canonical link, listed in
//! the sitemap and left out of the feed, the lists, the archive and the tag counts; every
//! address a page could take from something else is an error at the page's line.

use crate::common::*;
use scraper::{Html, Selector};
use std::fs;
use std::path::PathBuf;

fn page(blog: &Blog, name: &str, text: &str) -> PathBuf {
    let p = blog.content().join("pages").join(name);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(&p, text).unwrap();
    p
}

fn select(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&Selector::parse(css).unwrap())
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

fn attr(doc: &Html, css: &str, name: &str) -> Option<String> {
    doc.select(&Selector::parse(css).unwrap())
        .next()
        .and_then(|e| e.value().attr(name).map(str::to_string))
}

/// A blog with three posts (one tagged) and two pages, one with its own slug.
fn two_pages() -> Blog {
    let blog = Blog::new(SITE);
    blog.post(
        "a.md",
        &post("First", "2024-01-01", "tags: [rust]\n", "One."),
    );
    blog.post("b.md", &post("Second", "2024-02-01", "", "Two."));
    blog.post("c.md", &post("Third", "2024-03-01", "", "Three."));
    page(
        &blog,
        "about.md",
        "---\ntitle: About me\nupdated: 2024-06-01\nsummary: Who writes here.\n---\nI am **Ada**.\n\n## Contact\n\nWrite to me.\n",
    );
    page(
        &blog,
        "colophon.md",
        "+++\ntitle = \"How this site is made\"\nslug = \"made-with\"\n+++\nWith *Quire*.\n",
    );
    blog
}

#[test]
fn two_pages_are_built_at_their_addresses() {
    let blog = two_pages();
    let o = blog.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let index = blog.index();
    let slugs: Vec<&str> = index.pages.iter().map(|p| p.slug.as_str()).collect();
    assert_eq!(slugs, ["about", "made-with"]);
    assert_eq!(index.pages[0].description, "Who writes here.");
    assert_eq!(index.posts.len(), 3);

    let about = Html::parse_document(&blog.read("about/index.html"));
    assert_eq!(select(&about, "main h1"), ["About me"]);
    assert_eq!(select(&about, "main .post-body strong"), ["Ada"]);
    assert!(select(&about, "main .post-body h2")[0].starts_with("Contact"));
    assert_eq!(select(&about, "title"), ["About me · Test Blog"]);
    assert_eq!(
        attr(&about, "meta[name=description]", "content").as_deref(),
        Some("Who writes here.")
    );
    assert_eq!(
        attr(&about, "link[rel=canonical]", "href").as_deref(),
        Some("https://blog.example/sub/about")
    );
    assert_eq!(
        attr(&about, "meta[property='og:title']", "content").as_deref(),
        Some("About me")
    );
    // When it was updated, alone on its line; no post's parts: no date, no neighbours.
    assert_eq!(select(&about, "main .post-meta"), ["Updated 1 June 2024"]);
    assert!(select(&about, "main .post-meta .updated").is_empty());
    assert!(select(&about, "main .post-nav").is_empty());
    assert!(select(&about, "main .reading-time").is_empty());

    let made = Html::parse_document(&blog.read("made-with/index.html"));
    assert_eq!(select(&made, "main h1"), ["How this site is made"]);
    assert_eq!(select(&made, "main .post-body em"), ["Quire"]);
    // The description falls back to the first paragraph.
    assert_eq!(
        attr(&made, "meta[name=description]", "content").as_deref(),
        Some("With Quire.")
    );
    assert!(!blog.out().join("colophon").exists());

    // The page's body is in a body chunk, where the app finds it.
    let b = index.pages[0].body;
    let bodies = chunk(&blog, &index.bodies[b.chunk as usize]);
    assert!(bodies[b.slot as usize].contains("I am **Ada**."));

    // In the sitemap (with its updated date), not in the feed, lists, archive or tags.
    let sitemap = blog.read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://blog.example/sub/about</loc><lastmod>2024-06-01</lastmod>"),
        "{sitemap}"
    );
    assert!(sitemap.contains("<loc>https://blog.example/sub/made-with</loc>"));
    let feed = blog.read("feed.xml");
    assert!(
        !feed.contains("About me") && !feed.contains("made-with"),
        "{feed}"
    );
    for file in [
        "index.html",
        "page/2/index.html",
        "archive/index.html",
        "tags/index.html",
    ] {
        let text = blog.read(file);
        let doc = Html::parse_document(&text);
        let main = select(&doc, "main").join(" ");
        assert!(!main.contains("About me"), "{file}: {main}");
        assert!(!main.contains("How this site is made"), "{file}");
    }
    assert_eq!(index.tags[0].posts.len(), 1);
    // The footer counts posts, not pages.
    assert!(select(&about, "footer p")[0].contains("3 posts"));
}

#[test]
fn drafts_and_post_only_fields() {
    let blog = Blog::new(SITE);
    blog.post("a.md", &post("First", "2024-01-01", "", "One."));
    page(
        &blog,
        "wip.md",
        "---\ntitle: Soon\ndraft: true\n---\nNot yet.\n",
    );
    page(&blog, "cv.md", "---\ntitle: CV\ntags: [x]\n---\nText.\n");
    let o = blog.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("cv.md:3: warning: tags is ignored on a page"),
        "{err}"
    );
    let slugs: Vec<String> = blog.index().pages.into_iter().map(|p| p.slug).collect();
    assert_eq!(slugs, ["cv"]);
    assert!(!blog.out().join("wip").exists());
    let o = blog.build(&["--drafts"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(blog.out().join("wip/index.html").exists());
    // Built for a preview, but not announced to search engines.
    let sitemap = blog.read("sitemap.xml");
    assert!(
        sitemap.contains("/cv</loc>") && !sitemap.contains("/wip</loc>"),
        "{sitemap}"
    );
}

#[test]
fn a_page_without_a_title_is_an_error_with_its_line() {
    let blog = Blog::new(SITE);
    blog.post("a.md", &post("First", "2024-01-01", "", "One."));
    let p = page(&blog, "x.md", "---\nslug: x\n---\nText.\n");
    let o = blog.build(&[]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains(&format!("{}:1: error: missing title", p.display())),
        "{err}"
    );
    assert!(!blog.out().join("data").exists(), "nothing is written");
}

/// Builds, expects failure, and returns stderr.
fn fails(blog: &Blog) -> String {
    let o = blog.build(&[]);
    assert!(!o.status.success(), "{}", stderr(&o));
    assert!(!blog.out().join("data").exists(), "nothing is written");
    stderr(&o)
}

#[test]
fn a_slug_the_build_generates_is_an_error() {
    for (file, text, line, name) in [
        ("tag.md", "---\ntitle: Tags\n---\nx\n", 1, "tag"),
        ("x.md", "---\ntitle: X\nslug: search\n---\nx\n", 3, "search"),
        ("d.md", "---\ntitle: D\nslug: Data\n---\nx\n", 3, "data"),
        ("p.md", "---\ntitle: P\nslug: post\n---\nx\n", 3, "post"),
        (
            "a.md",
            "---\ntitle: A\nslug: archive\n---\nx\n",
            3,
            "archive",
        ),
    ] {
        let blog = Blog::new(SITE);
        blog.post("a.md", &post("First", "2024-01-01", "", "One."));
        let p = page(&blog, file, text);
        let err = fails(&blog);
        let want = format!(
            "{}:{line}: error: page slug {name:?} would take /{name}/, which quire generates",
            p.display()
        );
        assert!(err.contains(&want), "{want}\n{err}");
    }
}

#[test]
fn two_pages_with_one_slug_are_an_error() {
    let blog = Blog::new(SITE);
    blog.post("a.md", &post("First", "2024-01-01", "", "One."));
    page(&blog, "about.md", "---\ntitle: About\n---\nx\n");
    let second = page(&blog, "me.md", "---\ntitle: Me\nslug: about\n---\ny\n");
    let err = fails(&blog);
    assert!(
        err.contains(&format!(
            "{}:3: error: two pages have the slug \"about\"",
            second.display()
        )),
        "{err}"
    );
    // And in another case, as a case-insensitive host takes them.
    let blog = Blog::new(SITE);
    blog.post("a.md", &post("First", "2024-01-01", "", "One."));
    page(&blog, "a.md", "---\ntitle: About\nslug: straße\n---\nx\n");
    page(&blog, "b.md", "---\ntitle: Me\nslug: strasse\n---\ny\n");
    let err = fails(&blog);
    assert!(
        err.contains("b.md:3: error: page slug \"strasse\""),
        "{err}"
    );
}

#[test]
fn a_static_file_or_an_alias_at_the_page_address_is_an_error() {
    let blog = Blog::new(SITE);
    blog.post("a.md", &post("First", "2024-01-01", "", "One."));
    let p = page(&blog, "about.md", "---\ntitle: About\n---\nx\n");
    fs::create_dir_all(blog.content().join("static/about")).unwrap();
    fs::write(blog.content().join("static/about/index.html"), "<p>old</p>").unwrap();
    let err = fails(&blog);
    assert!(
        err.contains(&format!(
            "{}:1: error: page slug \"about\" collides with the static file about/index.html",
            p.display()
        )),
        "{err}"
    );

    let blog = Blog::new(SITE);
    blog.post("a.md", &post("First", "2024-01-01", "", "One."));
    let p = page(&blog, "cv.md", "---\ntitle: CV\n---\nx\n");
    fs::create_dir_all(blog.content().join("static")).unwrap();
    fs::write(blog.content().join("static/CV"), "file").unwrap();
    let err = fails(&blog);
    assert!(
        err.contains(&format!(
            "{}:1: error: page slug \"cv\" collides with the static file CV",
            p.display()
        )),
        "{err}"
    );

    let blog = Blog::new(SITE);
    let old = blog.post(
        "a.md",
        &post("First", "2024-01-01", "aliases: [\"/about/\"]\n", "One."),
    );
    let p = page(&blog, "about.md", "---\ntitle: About\n---\nx\n");
    let err = fails(&blog);
    assert!(
        err.contains(&format!(
            "{}:1: error: page slug \"about\" is also the alias /about/ of {}",
            p.display(),
            old.display()
        )),
        "{err}"
    );
}

#[test]
fn a_folder_of_other_files_beside_a_page_is_fine() {
    let blog = two_pages();
    fs::create_dir_all(blog.content().join("static/about")).unwrap();
    fs::write(blog.content().join("static/about/me.png"), "png").unwrap();
    let o = blog.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(blog.out().join("about/me.png").exists());
    assert!(blog.out().join("about/index.html").exists());
}

#[test]
fn a_pages_old_addresses_lead_to_it() {
    let blog = Blog::new(SITE);
    blog.post("a.md", &post("First", "2024-01-01", "", "One."));
    page(
        &blog,
        "about.md",
        "---\ntitle: About\ndate: 2019-01-01\nauthor: Ada\naliases: [\"/about-me/\", \"/2019/01/about\"]\n---\nx\n",
    );
    let o = blog.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    // An export's date and author are accepted without a word.
    assert!(!stderr(&o).contains("about.md"), "{}", stderr(&o));
    for dir in ["about-me", "2019/01/about"] {
        let text = blog.read(&format!("{dir}/index.html"));
        assert!(
            text.contains("<link rel=\"canonical\" href=\"https://blog.example/sub/about\">"),
            "{text}"
        );
        assert!(text.contains("This page has moved"), "{text}");
        assert!(text.contains("<title>About · Test Blog</title>"), "{text}");
    }
    // An alias of one page may not take another page's address.
    fs::remove_dir_all(blog.out()).unwrap();
    page(&blog, "me.md", "---\ntitle: Me\nslug: about-me\n---\ny\n");
    let err = fails(&blog);
    assert!(
        err.contains("me.md:3: error: page slug \"about-me\" is also the alias /about-me/ of"),
        "{err}"
    );
}
