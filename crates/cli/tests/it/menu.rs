//! The header's menu (`[[menu]]` in site.toml): read without JavaScript, every route
//! file shows the entries in order, internal ones under the site's base path (the shell's,
//! `/` here), the external one with `rel="noopener"`, and the current one marked
//! `aria-current="page"`; without `[[menu]]` the header keeps Home, Tags and Archive; a
//! url that is neither a path inside the site nor an `https://` address is an error at its
//! entry's line.

use crate::common::*;
use scraper::{Html, Selector};
use std::fs;

const MENU: &str = "\n[[menu]]\nname = \"Home\"\nurl = \"/\"\n\n[[menu]]\nname = \"About\"\nurl = \"about/\"\n\n[[menu]]\nname = \"Code\"\nurl = \"https://code.example/ada\"\n";

/// `(text, href, aria-current, rel)` of each link of the header's menu.
fn menu(html: &str) -> Vec<(String, String, Option<String>, Option<String>)> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse("header .site-nav a").unwrap();
    doc.select(&sel)
        .map(|a| {
            let v = a.value();
            (
                a.text().collect::<String>(),
                v.attr("href").unwrap_or_default().to_string(),
                v.attr("aria-current").map(str::to_string),
                v.attr("rel").map(str::to_string),
            )
        })
        .filter(|(text, ..)| text != "Feed")
        .collect()
}

fn blog_with_menu() -> Blog {
    let blog = Blog::new(&format!("{SITE}{MENU}"));
    blog.post(
        "a.md",
        &post(
            "First",
            "2024-01-01",
            "tags: [rust]\ncategories: [work]\n",
            "One.",
        ),
    );
    blog.post("b.md", &post("Second", "2024-02-01", "", "Two."));
    blog.post("c.md", &post("Third", "2024-03-01", "", "Three."));
    let pages = blog.content().join("pages");
    fs::create_dir_all(&pages).unwrap();
    fs::write(pages.join("about.md"), "---\ntitle: About\n---\nMe.\n").unwrap();
    fs::write(pages.join("now.md"), "---\ntitle: Now\n---\nThis.\n").unwrap();
    blog
}

#[test]
fn the_menu_is_on_every_route_kind_in_order() {
    let blog = blog_with_menu();
    let o = blog.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let index = blog.index();
    assert_eq!(index.site.menu.len(), 3);
    let current_of = |file: &str| -> Vec<Option<String>> {
        let links = menu(&blog.read(file));
        let shown: Vec<(&str, &str, Option<&str>)> = links
            .iter()
            .map(|(t, h, _, r)| (t.as_str(), h.as_str(), r.as_deref()))
            .collect();
        assert_eq!(
            shown,
            [
                ("Home", "/", None),
                ("About", "/about/", None),
                ("Code", "https://code.example/ada", Some("noopener")),
            ],
            "{file}"
        );
        links.into_iter().map(|l| l.2).collect()
    };
    let page = Some("page".to_string());
    // Every route kind: home and its page 2, a post, a tag, category and author page,
    // tags, archive, search, both pages, and the not-found page.
    for (file, current) in [
        ("index.html", [page.clone(), None, None]),
        ("page/2/index.html", [page.clone(), None, None]),
        ("about/index.html", [None, page.clone(), None]),
        ("now/index.html", [None, None, None]),
        ("post/a/index.html", [None, None, None]),
        ("tag/rust/index.html", [None, None, None]),
        ("category/work/index.html", [None, None, None]),
        ("author/ada/index.html", [None, None, None]),
        ("tags/index.html", [None, None, None]),
        ("archive/index.html", [None, None, None]),
        ("search/index.html", [None, None, None]),
        ("404.html", [None, None, None]),
    ] {
        assert_eq!(current_of(file), current, "{file}");
    }
}

#[test]
fn without_a_menu_the_header_keeps_home_tags_archive() {
    let blog = Blog::new(SITE);
    blog.post(
        "a.md",
        &post("First", "2024-01-01", "tags: [rust]\n", "One."),
    );
    let o = blog.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(blog.index().site.menu.is_empty());
    let links = menu(&blog.read("tag/rust/index.html"));
    let shown: Vec<(&str, &str, Option<&str>)> = links
        .iter()
        .map(|(t, h, c, _)| (t.as_str(), h.as_str(), c.as_deref()))
        .collect();
    assert_eq!(
        shown,
        [
            ("Home", "/", None),
            ("Tags", "/tags", Some("page")),
            ("Archive", "/archive", None),
        ]
    );
}

#[test]
fn a_bad_menu_url_is_an_error_at_its_entry() {
    for url in [
        "javascript:alert(1)",
        "http://plain.example/",
        "//other.example/",
        "../outside/",
        "mailto:ada@blog.example",
    ] {
        let blog = Blog::new(&format!(
            "{SITE}\n[[menu]]\nname = \"Home\"\nurl = \"/\"\n\n[[menu]]\nname = \"Bad\"\nurl = \"{url}\"\n"
        ));
        blog.post("a.md", &post("First", "2024-01-01", "", "One."));
        let o = blog.build(&[]);
        assert!(!o.status.success(), "{url}");
        let err = stderr(&o);
        let site = blog.content().join("site.toml");
        // SITE has 5 lines; the second [[menu]] header is line 11.
        let want = format!(
            "{}:11: error: menu entry \"Bad\" has url {url:?}",
            site.display()
        );
        assert!(err.contains(&want), "{want}\n{err}");
        assert!(!blog.out().join("data").exists());
    }
}
