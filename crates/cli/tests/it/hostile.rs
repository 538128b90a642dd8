//! Content that bends things: every case gives the right output or a clear `path:line`
//! error, and none panics or hangs.

use crate::common::*;
use quire_core::Route;
use std::fs;

fn build_ok(blog: &Blog) -> quire_core::Index {
    let o = blog.build(&[]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let index = blog.index();
    // Every route has its file, and feed and sitemap are well-formed.
    for route in Route::all(&index) {
        let rel = route.file();
        assert!(blog.out().join(&rel).is_file(), "{rel}");
    }
    assert!(blog.out().join("404.html").is_file());
    roxmltree::Document::parse(&blog.read("feed.xml")).expect("feed.xml well-formed");
    roxmltree::Document::parse(&blog.read("sitemap.xml")).expect("sitemap.xml well-formed");
    index
}

fn build_fails(blog: &Blog, file: &str, line: usize, needle: &str) {
    let o = blog.build(&[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let prefix = format!(
        "{}:{line}: error: ",
        blog.content().join("posts").join(file).display()
    );
    assert!(
        err.lines()
            .any(|l| l.starts_with(&prefix) && l.contains(needle)),
        "want {prefix}…{needle}\n{err}"
    );
    assert!(!blog.out().exists(), "a failed build wrote output");
}

#[test]
fn zero_posts() {
    let blog = Blog::new(SITE);
    let index = build_ok(&blog);
    assert!(index.posts.is_empty() && index.tags.is_empty());
    assert!(index.summaries.is_empty() && index.bodies.is_empty());
    assert_eq!(Route::all(&index).len(), 4); // home, tags, archive, search
    let feed = blog.read("feed.xml");
    assert!(!feed.contains("<entry>"));
    // No posts folder at all: a warning, same result.
    let blog = Blog::new(SITE);
    fs::remove_dir(blog.content().join("posts")).unwrap();
    let o = blog.build(&[]);
    assert!(o.status.success());
    assert!(stderr(&o).contains("warning: no posts folder"));
}

#[test]
fn one_post_without_tags() {
    let blog = Blog::new(SITE);
    blog.post("only.md", &post("Only", "2024-01-01", "", "Just this."));
    let index = build_ok(&blog);
    assert_eq!(index.posts.len(), 1);
    assert!(index.posts[0].tags.is_empty() && index.tags.is_empty());
    assert_eq!(index.authors[0].name, "Ada");
}

#[test]
fn five_hundred_tags_on_one_post() {
    let blog = Blog::new(SITE);
    let tags: Vec<String> = (0..500).map(|i| format!("tag number {i}")).collect();
    blog.post(
        "many.md",
        &post(
            "Many",
            "2024-01-01",
            &format!("tags: [{}]\n", tags.join(", ")),
            "x",
        ),
    );
    let index = build_ok(&blog);
    assert_eq!(index.tags.len(), 500);
    assert_eq!(index.posts[0].tags.len(), 500);
    assert!(blog.out().join("tag/tag-number-499/index.html").is_file());
}

#[test]
fn one_megabyte_post() {
    let blog = Blog::new(SITE);
    let para = "All work and no play makes a long post. ".repeat(50);
    let body = std::iter::repeat_n(para.as_str(), 1_000_000 / para.len() + 1)
        .collect::<Vec<_>>()
        .join("\n\n");
    assert!(body.len() > 1_000_000);
    blog.post("big.md", &post("Big", "2024-01-02", "", &body));
    blog.post("small.md", &post("Small", "2024-01-01", "", "tiny"));
    let index = build_ok(&blog);
    let big = &index.posts[0];
    assert_eq!(
        chunk(&blog, &index.bodies[big.body.chunk as usize]).len(),
        1
    );
    assert!(big.words > 150_000);
    // The description is cut to a meta-sized summary.
    let html = blog.read("post/big/index.html");
    let desc = html
        .split("name=\"description\" content=\"")
        .nth(1)
        .unwrap();
    assert!(desc.split('"').next().unwrap().chars().count() <= 160);
}

#[test]
fn three_hundred_character_title() {
    let blog = Blog::new(SITE);
    let title = "Long ".repeat(60);
    blog.post("long.md", &post(title.trim(), "2024-01-01", "", "x"));
    let index = build_ok(&blog);
    assert_eq!(index.posts[0].title.chars().count(), 299);
    assert!(
        blog.read("post/long/index.html")
            .contains(&format!("<title>{} · Test Blog</title>", title.trim()))
    );
}

#[test]
fn emoji_rtl_and_cjk_titles_and_tags() {
    let blog = Blog::new(SITE);
    blog.post(
        "2024-01-01-🚀.md",
        &post(
            "🚀 Launch day 🎉",
            "2024-01-01",
            "tags: [\"🚀\", \"مرحبا بالعالم\", \"日本語\", \"שלום\", \"Café ☕\"]\n",
            "x",
        ),
    );
    blog.post("rtl.md", "---\ntitle: \"عنوان عربي \u{202e}reversed\"\ndate: 2024-01-02\ntags: [日本語, \"🎉🎉\"]\n---\nنص\n");
    blog.post(
        "cjk.md",
        &post("日本語のタイトル", "2024-01-03", "tags: [中文]\n", "本文"),
    );
    let index = build_ok(&blog);
    let slugs: Vec<&str> = index.tags.iter().map(|t| t.slug.as_str()).collect();
    for s in [
        "u1f680",
        "مرحبا-بالعالم",
        "日本語",
        "שלום",
        "café",
        "u1f389-u1f389",
        "中文",
    ] {
        assert!(slugs.contains(&s), "{s} not in {slugs:?}");
        assert!(
            blog.out().join(format!("tag/{s}/index.html")).is_file(),
            "{s}"
        );
    }
    assert_eq!(
        index.tags[index
            .term_position(quire_core::TermKind::Tag, "日本語")
            .unwrap()]
        .posts
        .len(),
        2
    );
    assert!(index.post_position("u1f680").is_some());
    let feed = blog.read("feed.xml");
    assert!(feed.contains("🚀 Launch day 🎉") && feed.contains("日本語のタイトル"));
}

#[test]
fn tags_differing_only_in_case_are_one_term() {
    let blog = Blog::new(SITE);
    blog.post("a.md", &post("A", "2024-01-01", "tags: [Rust]\n", "x"));
    blog.post("b.md", &post("B", "2024-01-02", "tags: [rust]\n", "x"));
    blog.post("c.md", &post("C", "2024-01-03", "tags: [RUST]\n", "x"));
    blog.post("d.md", &post("D", "2024-01-04", "tags: [Rust]\n", "x"));
    let index = build_ok(&blog);
    assert_eq!(index.tags.len(), 1);
    assert_eq!(index.tags[0].name, "Rust");
    assert_eq!(index.tags[0].posts, [0, 1, 2, 3]);
}

#[test]
fn two_files_with_the_same_slug() {
    let blog = Blog::new(SITE);
    blog.post("2024-01-01-hello.md", &post("A", "2024-01-01", "", "x"));
    blog.post("2024-02-01-hello.md", &post("B", "2024-02-01", "", "x"));
    build_fails(
        &blog,
        "2024-02-01-hello.md",
        1,
        "two posts have the slug \"hello\"",
    );
}

#[test]
fn a_date_in_the_future_is_left_out_with_a_note() {
    let blog = Blog::new(SITE);
    blog.post("future.md", &post("Future", "2999-01-01", "", "x"));
    blog.post("now.md", &post("Now", "2024-01-01", "", "x"));
    let o = blog.build(&[]);
    assert!(o.status.success());
    assert!(stderr(&o).contains("future.md:1: note: date 2999-01-01 is in the future"));
    assert_eq!(blog.index().posts[0].slug, "now");
}

#[test]
fn other_files_hidden_files_and_a_symlink_loop() {
    let blog = Blog::new(SITE);
    blog.post("real.md", &post("Real", "2024-01-01", "", "x"));
    blog.post("notes.txt", "not a post");
    blog.post(".hidden.md", "---\nbroken");
    blog.post(".git/config", "x");
    blog.post(
        "nested/deeper/inner.md",
        &post("Inner", "2024-01-02", "", "x"),
    );
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("..", blog.content().join("posts/nested/loop")).unwrap();
        std::os::unix::fs::symlink(
            "/nonexistent/target.md",
            blog.content().join("posts/dangling.md"),
        )
        .unwrap();
    }
    let o = blog.build(&[]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    let index = blog.index();
    assert_eq!(index.posts.len(), 2);
    assert!(
        err.contains("notes.txt:1: warning: not a .md file"),
        "{err}"
    );
    assert!(!err.contains(".hidden") && !err.contains(".git"), "{err}");
    #[cfg(unix)]
    {
        assert!(err.contains("loop:1: warning: symlink loop"), "{err}");
        assert!(err.contains("dangling.md:1: warning: cannot read"), "{err}");
    }
}

#[test]
fn non_utf8_bytes() {
    let blog = Blog::new(SITE);
    blog.post_bytes(
        "bad.md",
        b"---\ntitle: ok\ndate: 2024-01-01\n---\nfine\n\xff\xfe broken\n",
    );
    build_fails(&blog, "bad.md", 6, "not UTF-8");
}

#[test]
fn yaml_alias_bomb() {
    let blog = Blog::new(SITE);
    let mut text = String::from(
        "---\ntitle: Bomb\ndate: 2024-01-01\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut prev = 'a';
    for c in 'b'..='i' {
        text.push_str(&format!(
            "{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
        prev = c;
    }
    text.push_str("---\nboom\n");
    blog.post("bomb.md", &text);
    // The line where the expansion passes the budget: e's, the fifth level.
    build_fails(&blog, "bomb.md", 8, "alias");
}

#[test]
fn ten_megabyte_front_matter() {
    let blog = Blog::new(SITE);
    let mut text = String::from("---\ntitle: Huge\ndate: 2024-01-01\nfiller: |\n");
    let line = format!("  {}\n", "z".repeat(98));
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(&line);
    }
    text.push_str("---\nbody\n");
    blog.post("huge.md", &text);
    build_fails(&blog, "huge.md", 1, "front matter is");
    // Never closed, 10 MB long: the same, quickly.
    let blog = Blog::new(SITE);
    blog.post("open.md", &text[..text.len() - 10]);
    build_fails(&blog, "open.md", 1, "never closed");
}

#[test]
fn control_characters_keep_xml_well_formed() {
    let blog = Blog::new(SITE);
    blog.post("ctl.md", "---\ntitle: \"Bell \\a and \\x01 and \\x1b[31m\"\ndate: 2024-01-01\ntags: [\"t\\x02\"]\n---\nBody \u{1} \u{b}.\n");
    let index = build_ok(&blog);
    assert!(index.posts[0].title.contains('\u{7}'));
}

/// The memory cap the hostile-input tests run quire under leaves room for a normal build.
#[test]
fn a_normal_build_fits_the_cap_hostile_tests_use() {
    let blog = Blog::new("title = \"Capped\"\n");
    for i in 0..50 {
        blog.post(
            &format!("p{i}.md"),
            &format!("---\ntitle: Post {i}\ndate: 2024-01-01\ntags: [a, b{i}]\n---\nText {i}.\n"),
        );
    }
    let out = blog.out();
    let r = quire_limited(
        &[
            "build",
            "--content",
            blog.content().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        HOSTILE_MEMORY_CAP,
        60,
    );
    assert!(!r.timed_out);
    assert!(r.output.status.success(), "{}", stderr(&r.output));
}

/// Bytes of every file under `dir`.
fn tree_bytes(dir: &std::path::Path) -> u64 {
    let mut total = 0;
    for e in fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let t = e.file_type().unwrap();
        total += if t.is_dir() {
            tree_bytes(&e.path())
        } else {
            e.metadata().unwrap().len()
        };
    }
    total
}

/// One post with 2,000 tags (11 KB of front matter) wrote 321 MB: each of its 2,000 tag
/// pages listed it with all 2,000 chips. A summary shows at most CHIPS_SHOWN chips, so
/// the output grows linearly with the front matter.
#[test]
fn two_thousand_tags_on_one_post_write_a_linear_site() {
    let blog = Blog::new("title = \"Tags\"\n");
    let tags: Vec<String> = (0..2000).map(|i| format!("t{i}")).collect();
    blog.post(
        "many.md",
        &format!(
            "---\ntitle: Many\ndate: 2024-01-01\ntags: [{}]\n---\nBody.\n",
            tags.join(", ")
        ),
    );
    let out = blog.out();
    let r = quire_limited(
        &[
            "build",
            "--content",
            blog.content().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        HOSTILE_MEMORY_CAP,
        120,
    );
    assert!(!r.timed_out, "took over 120 s");
    assert!(r.output.status.success(), "{}", stderr(&r.output));
    let bytes = tree_bytes(&out);
    assert!(
        bytes < 48 << 20,
        "the site of one post with 2,000 tags is {} MB",
        bytes >> 20
    );
    // Every tag still has its page, and the post's own page names every tag.
    assert!(out.join("tag/t1999/index.html").is_file());
    let post = blog.read("post/many/index.html");
    assert!(post.contains(">t1999<"), "the post page lists every tag");
    let tag_page = blog.read("tag/t0/index.html");
    assert!(
        tag_page.contains("+1992 more"),
        "{}",
        &tag_page[..tag_page.len().min(2000)]
    );
}
