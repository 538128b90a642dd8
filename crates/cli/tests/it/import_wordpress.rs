//! `quire import wordpress` on a WXR file written for these tests
//! (`tests/fixtures/wordpress/export.xml`), then `quire check` and `quire build` on what
//! it wrote; aliases and the authors table on hand-written content.

use crate::common::*;
use std::fs;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wordpress/export.xml")
}

fn import(export: &Path, out: &Path) -> std::process::Output {
    quire(
        &[
            "import",
            "wordpress",
            export.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    )
}

fn read(dir: &Path, rel: &str) -> String {
    fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The front matter lines of a written file.
fn front(text: &str) -> Vec<&str> {
    text.lines().skip(1).take_while(|l| *l != "---").collect()
}

#[test]
fn imports_the_fixture_into_posts_pages_and_site_toml() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("blog");
    let o = import(&fixture(), &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let report = String::from_utf8_lossy(&o.stdout).into_owned();

    let mut files: Vec<String> = walk(&out);
    files.sort();
    assert_eq!(
        files,
        [
            "import-report.txt",
            "pages/about.md",
            "posts/2019-08-13-hello-worlds-fair.md",
            "posts/2020-01-05-blocks-and-pieces.md",
            "posts/2021-03-01-trains.md",
            "posts/2021-04-01-half-written-thoughts.md",
            "site.toml",
        ]
    );

    let site = read(&out, "site.toml");
    for line in [
        "title = \"Notes & Sketches\"",
        "description = \"Things I made & places I went\"",
        "base_url = \"https://old.example.org/\"",
        "language = \"en-US\"",
        "[authors.\"ada\"]\nname = \"Ada Lovelace\"",
        "[authors.\"grace\"]\nname = \"Grace Hopper\"",
    ] {
        assert!(site.contains(line), "{line:?} not in:\n{site}");
    }

    // Classic content, entities in the title, two categories and four tags.
    let fair = read(&out, "posts/2019-08-13-hello-worlds-fair.md");
    assert_eq!(
        front(&fair),
        [
            "title: \"Hello, World’s Fair & more\"",
            "date: 2019-08-13T09:30:00Z",
            "updated: 2019-09-01T10:00:00Z",
            "slug: \"hello-worlds-fair\"",
            "tags: [\"Rust\", \"Static Sites\", \"C++\", \"Web\"]",
            "categories: [\"Notes\", \"Travel\"]",
            "author: \"ada\"",
            "summary: \"A day at the fair, with *engines*.\"",
            "aliases: [\"/2019/08/13/hello-worlds-fair/\"]",
        ]
    );
    // Blank lines make paragraphs, a single newline a line break; the caption becomes
    // an image with its caption; a shortcode stays visible.
    assert!(
        fair.contains(
            "We went to the **World's Fair** and took notes.\\\nThe ferris wheel was closed.\n\n"
        ),
        "{fair}"
    );
    assert!(
        fair.contains("[![The ferris wheel](https://old.example.org/wp-content/uploads/2019/08/wheel-300x200.jpg \"The wheel, from the north gate\")](https://old.example.org/wp-content/uploads/2019/08/wheel.jpg)\\\n_The wheel, from the *north* gate_"),
        "{fair}"
    );
    assert!(
        fair.contains("- Engines\n- Looms\n\n<!--more-->\n"),
        "{fair}"
    );
    assert!(fair.contains("\\[youtube id=\"abc123\"\\]"), "{fair}");

    // Block-editor content.
    let blocks = read(&out, "posts/2020-01-05-blocks-and-pieces.md");
    assert!(
        blocks.contains("title: \"Blocks “and” pieces\"\n"),
        "{blocks}"
    );
    assert!(blocks.contains("author: \"grace\"\n"), "{blocks}");
    assert!(
        !blocks.contains("summary:"),
        "an empty excerpt is no summary"
    );
    assert!(
        !blocks.contains("wp:"),
        "block comments are dropped: {blocks}"
    );
    for part in [
        "## Compiling & running",
        "```rust\nfn main() {\n    println!(\"1 < 2\");\n}\n```",
        "1. Write\n2. Compile\n   - twice",
        "> It's easier to ask forgiveness.",
        "| Step | Time |\n| --- | --- |\n| Build | 2 s |",
        "![A circuit board](https://old.example.org/wp-content/uploads/2020/01/board.png \"The board, up close\")\\\n_The board, **up close**_",
        "\\[gallery ids=\"24,25\"\\]",
    ] {
        assert!(blocks.contains(part), "{part:?} not in:\n{blocks}");
    }

    // No GMT date: the local date; a draft keeps draft: true and gets no alias (its
    // link is ?p=41); a page goes to pages/.
    let trains = read(&out, "posts/2021-03-01-trains.md");
    assert!(
        trains.contains("title: \"Trains, Q&A <notes>\"\n"),
        "{trains}"
    );
    assert!(trains.contains("date: 2021-03-01T11:00:00Z\n"), "{trains}");
    let draft = read(&out, "posts/2021-04-01-half-written-thoughts.md");
    assert!(
        draft.contains("draft: true\n") && !draft.contains("aliases"),
        "{draft}"
    );
    assert!(
        draft.contains("slug: \"half-written-thoughts\"\n"),
        "{draft}"
    );
    // A page is /<slug>/ at the root: its permalink /about/ is its address, no alias.
    let about = read(&out, "pages/about.md");
    assert!(
        about.contains("slug: \"about\"") && !about.contains("aliases"),
        "{about}"
    );

    // The report: counts, skipped types, shortcodes, media, ?p= links, changed slugs.
    for part in [
        "posts: 3 published, 1 drafts; pages: 1; comments: 3 (2 approved, not imported)",
        "skipped: attachment 1, nav_menu_item 1, revision 1",
        "[gallery] ×1: posts/2020-01-05-blocks-and-pieces.md",
        "[youtube] ×1: posts/2019-08-13-hello-worlds-fair.md",
        "https://old.example.org/wp-content/uploads/2019/08/wheel.jpg  ← posts/2019-08-13-hello-worlds-fair.md",
        "https://old.example.org/wp-content/uploads/2020/01/board.png  ← posts/2020-01-05-blocks-and-pieces.md",
        "/?p=11  →  /post/hello-worlds-fair",
        "/?p=31  →  /post/trains",
        "tag \"C++\" was /tag/cpp/ on WordPress and is /tag/c here",
    ] {
        assert!(report.contains(part), "{part:?} not in:\n{report}");
    }
    assert!(!report.contains("?p=41"), "a draft has no public address");
    assert_eq!(
        read(&out, "import-report.txt"),
        report[..report.find("\nWrote").unwrap()]
    );
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(
                    p.strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    out
}

#[test]
fn imported_folder_checks_clean_and_builds_with_aliases_and_authors() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("blog");
    let dist = tmp.path().join("dist");
    assert!(import(&fixture(), &content).status.success());

    let o = quire(&["check", "--content", content.to_str().unwrap()], &[]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("4 post files, 0 errors, 0 warnings"), "{err}");

    let o = quire(
        &[
            "build",
            "--content",
            content.to_str().unwrap(),
            "--out",
            dist.to_str().unwrap(),
        ],
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let index: quire_core::Index =
        serde_json::from_str(&fs::read_to_string(dist.join("data/index.json")).unwrap()).unwrap();
    let slugs: Vec<&str> = index.posts.iter().map(|p| p.slug.as_str()).collect();
    assert_eq!(slugs, ["trains", "blocks-and-pieces", "hello-worlds-fair"]);
    let authors: Vec<(&str, &str, &[u32])> = index
        .authors
        .iter()
        .map(|t| (t.slug.as_str(), t.name.as_str(), t.posts.as_slice()))
        .collect();
    assert_eq!(
        authors,
        [
            ("ada", "Ada Lovelace", &[0u32, 2][..]),
            ("grace", "Grace Hopper", &[1u32][..])
        ]
    );
    let rust = index.tags.iter().find(|t| t.slug == "rust").unwrap();
    assert_eq!(rust.posts, [0, 1, 2]);
    let cats: Vec<(&str, &[u32])> = index
        .categories
        .iter()
        .map(|t| (t.slug.as_str(), t.posts.as_slice()))
        .collect();
    assert_eq!(
        cats,
        [("notes", &[1u32, 2][..]), ("travel", &[0u32, 2][..])]
    );
    assert!(dist.join("author/ada/index.html").is_file());

    // Each old permalink has a page that leads to the post, without script.
    for (alias, slug, title) in [
        (
            "2019/08/13/hello-worlds-fair",
            "hello-worlds-fair",
            "Hello, World’s Fair &amp; more",
        ),
        (
            "2020/01/05/blocks-and-pieces",
            "blocks-and-pieces",
            "Blocks “and” pieces",
        ),
        (
            "2021/03/01/trains",
            "trains",
            "Trains, Q&amp;A &lt;notes&gt;",
        ),
    ] {
        let page = read(&dist, &format!("{alias}/index.html"));
        assert!(
            page.contains(&format!(
                "<meta http-equiv=\"refresh\" content=\"0; url=/post/{slug}\">"
            )),
            "{page}"
        );
        assert!(
            page.contains(&format!(
                "<link rel=\"canonical\" href=\"https://old.example.org/post/{slug}\">"
            )),
            "{page}"
        );
        assert!(
            page.contains(&format!("<a href=\"/post/{slug}\">{title}</a>")),
            "{page}"
        );
        assert!(page.contains("<p>Notes &amp; Sketches</p>"), "{page}");
        assert!(!page.to_lowercase().contains("<script"), "{page}");
    }
    // Aliases are not listed in the sitemap.
    assert!(!read(&dist, "sitemap.xml").contains("2019/08/13"));
}

#[test]
fn alias_pages_follow_the_shells_sub_path() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("blog");
    let dist = tmp.path().join("dist");
    assert!(import(&fixture(), &content).status.success());
    fs::create_dir_all(&dist).unwrap();
    let shell = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><base href=\"/blog/\"><title>x</title></head><body></body></html>";
    fs::write(dist.join("index.html"), shell).unwrap();
    let o = quire(
        &[
            "build",
            "--content",
            content.to_str().unwrap(),
            "--out",
            dist.to_str().unwrap(),
        ],
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let page = read(&dist, "2021/03/01/trains/index.html");
    assert!(
        page.contains("content=\"0; url=/blog/post/trains\""),
        "{page}"
    );
}

/// A copy of the fixture with one text replaced.
fn broken(tmp: &Path, name: &str, from: &str, to: &str) -> PathBuf {
    let text = fs::read_to_string(fixture()).unwrap();
    assert!(text.contains(from), "{from:?} not in the fixture");
    let p = tmp.join(name);
    fs::write(&p, text.replacen(from, to, 1)).unwrap();
    p
}

fn line_of(text: &str, needle: &str) -> usize {
    text[..text.find(needle).unwrap()].matches('\n').count() + 1
}

#[test]
fn bad_exports_name_item_and_line_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(fixture()).unwrap();
    let trains_item = line_of(&text, "<title><![CDATA[Trains") - 1;
    let cases: Vec<(PathBuf, String)> = vec![
        (
            broken(
                tmp.path(),
                "untitled.xml",
                "<title><![CDATA[Trains, Q&amp;A &lt;notes&gt;]]></title>",
                "<title></title>",
            ),
            format!("untitled.xml:{trains_item}: error: post 31: no title"),
        ),
        (
            broken(
                tmp.path(),
                "undated.xml",
                "<wp:post_date><![CDATA[2021-03-01 11:00:00]]></wp:post_date>",
                "<wp:post_date><![CDATA[0000-00-00 00:00:00]]></wp:post_date>",
            ),
            format!(
                "undated.xml:{trains_item}: error: post 31: \"Trains, Q&A <notes>\" has no date"
            ),
        ),
        (
            broken(
                tmp.path(),
                "version.xml",
                "<wp:wxr_version>1.2</wp:wxr_version>",
                "<wp:wxr_version>2.0</wp:wxr_version>",
            ),
            format!(
                "version.xml:{}: error: unknown WXR version \"2.0\"",
                line_of(&text, "<wp:wxr_version>")
            ),
        ),
        (
            {
                let p = tmp.path().join("truncated.xml");
                fs::write(&p, &text[..text.find("We slept well.").unwrap()]).unwrap();
                p
            },
            format!(
                "truncated.xml:{}: error: the file ends in the middle (truncated?), inside the <item> that starts at line {trains_item}",
                line_of(&text, "We slept well.")
            ),
        ),
        (
            {
                let p = tmp.path().join("html.xml");
                fs::write(&p, "<html><body>Not an export</body></html>\n").unwrap();
                p
            },
            "html.xml:1: error: not a WordPress export".to_string(),
        ),
    ];
    for (export, expected) in cases {
        let out = tmp.path().join("out");
        let o = import(&export, &out);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains(&expected), "{expected:?} not in {err}");
        assert!(err.contains("nothing was written"), "{err}");
        assert!(!out.exists(), "nothing is written for {expected}");
        let leftovers: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains("import-tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }
}

#[test]
fn refuses_a_folder_that_is_not_empty_and_bad_command_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("blog");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("keep.txt"), "mine").unwrap();
    let o = import(&fixture(), &out);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("is not empty"), "{}", stderr(&o));
    assert_eq!(read(&out, "keep.txt"), "mine");
    assert_eq!(fs::read_dir(&out).unwrap().count(), 1);
    // An empty folder is fine.
    let empty = tmp.path().join("empty");
    fs::create_dir_all(&empty).unwrap();
    assert!(import(&fixture(), &empty).status.success());
    assert!(empty.join("site.toml").is_file());

    for args in [
        &["import"][..],
        &["import", "blogger", "x.xml", "--out", "d"],
        &["import", "wordpress", "x.xml"],
        &["import", "wordpress", "--out", "d"],
    ] {
        let o = quire(args, &[]);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn aliases_that_collide_are_errors_with_file_and_line() {
    let blog = Blog::new("title = \"T\"\nauthor = \"A\"\n");
    fs::create_dir_all(blog.content().join("static/2020")).unwrap();
    fs::write(blog.content().join("static/2020/index.html"), "x").unwrap();
    fs::write(blog.content().join("static/old"), "a file").unwrap();
    let a = blog.post(
        "a.md",
        "---\ntitle: A\ndate: 2024-01-01\naliases: [\"/2019/a/\", \"/tag/rust/\"]\n---\nA\n",
    );
    let b = blog.post(
        "b.md",
        "---\ntitle: B\ndate: 2024-01-02\ntags: [x]\naliases:\n  - /2019/a/\n  - /2020/\n  - /old/b/\n---\nB\n",
    );
    let c = blog.post(
        "c.md",
        "---\ntitle: C\ndate: 2024-01-03\naliases: [\"/?p=3\", \"2019/rel/\"]\n---\nC\n",
    );
    let o = blog.check();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let expect = [
        format!("{}:4: error: alias /tag/rust/ is inside /tag/", a.display()),
        format!(
            "{}:5: error: alias /2019/a/ is also an alias of {}",
            b.display(),
            a.display()
        ),
        format!(
            "{}:5: error: alias /2020/ collides with the static file 2020/index.html",
            b.display()
        ),
        format!(
            "{}:5: error: alias /old/b/ collides with the static file old",
            b.display()
        ),
        format!(
            "{}:4: error: alias \"/?p=3\" has a query or fragment",
            c.display()
        ),
        format!(
            "{}:4: error: alias \"2019/rel/\" must be a path from the site's root",
            c.display()
        ),
    ];
    for e in &expect {
        assert!(err.contains(e.as_str()), "{e:?} not in:\n{err}");
    }
    assert!(err.contains("6 errors"), "{err}");
    // The build refuses too and writes nothing.
    let o = blog.build(&[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!blog.out().join("data").exists());
}

#[test]
fn authors_table_gives_slug_and_name() {
    let blog = Blog::new(
        "title = \"T\"\n\n[authors.ada]\nname = \"Ada Lovelace\"\n\n[authors.grace]\nname = \"Grace Hopper\"\nemail = \"g@x.org\"\n",
    );
    // By key, by display name (any case), and one not in the table.
    blog.post(
        "a.md",
        "---\ntitle: A\ndate: 2024-01-01\nauthor: ada\n---\nA\n",
    );
    blog.post(
        "b.md",
        "---\ntitle: B\ndate: 2024-01-02\nauthor: ada lovelace\n---\nB\n",
    );
    blog.post(
        "c.md",
        "---\ntitle: C\ndate: 2024-01-03\nauthor: Grace Hopper\n---\nC\n",
    );
    blog.post(
        "d.md",
        "---\ntitle: D\ndate: 2024-01-04\nauthor: Linus T\n---\nD\n",
    );
    let o = blog.check();
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("site.toml:6: warning: unknown setting \"email\" for author \"grace\""),
        "{err}"
    );
    let o = blog.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let index = blog.index();
    let authors: Vec<(&str, &str, usize)> = index
        .authors
        .iter()
        .map(|t| (t.slug.as_str(), t.name.as_str(), t.posts.len()))
        .collect();
    assert_eq!(
        authors,
        [
            ("ada", "Ada Lovelace", 2),
            ("grace", "Grace Hopper", 1),
            ("linus-t", "Linus T", 1)
        ]
    );
    let feed = read(&blog.out(), "feed.xml");
    assert!(feed.contains("<name>Ada Lovelace</name>"), "{feed}");

    // A key that is not a slug, and a name that is not text, are errors.
    let bad =
        Blog::new("title = \"T\"\n[authors.\"Ada L\"]\nname = \"Ada\"\n[authors.bob]\nname = 3\n");
    let o = bad.check();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "site.toml:2: error: author key \"Ada L\" is not a URL slug: write it as \"ada-l\""
        ),
        "{err}"
    );
    assert!(
        err.contains("site.toml:4: error: the name of author \"bob\" must be text"),
        "{err}"
    );
}

#[test]
fn converted_markdown_renders_to_the_intended_html() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("blog");
    assert!(import(&fixture(), &out).status.success());
    let body = |rel: &str| {
        let text = read(&out, rel);
        let body = text.splitn(3, "---\n").nth(2).unwrap().to_string();
        quire_core::markdown::render(&body, quire_core::RawHtml::Sanitize)
    };
    let fair = body("posts/2019-08-13-hello-worlds-fair.md");
    for part in [
        "<p>We went to the <strong>World's Fair</strong> and took notes.<br />\nThe ferris wheel was closed.</p>",
        "<a href=\"https://old.example.org/wp-content/uploads/2019/08/wheel.jpg\"><img src=\"https://old.example.org/wp-content/uploads/2019/08/wheel-300x200.jpg\" alt=\"The ferris wheel\" title=\"The wheel, from the north gate\" /></a><br />\n<em>The wheel, from the <em>north</em> gate</em></p>",
        "<p>A list of what we saw:</p>\n<ul>\n<li>Engines</li>\n<li>Looms</li>\n</ul>",
        "Prices were 5 * 3 &amp; rising.</p>",
        "<p>[youtube id=\"abc123\"]</p>",
    ] {
        assert!(fair.contains(part), "{part:?} not in:\n{fair}");
    }
    let blocks = body("posts/2020-01-05-blocks-and-pieces.md");
    for part in [
        "<h2 id=\"h-compiling-running\">Compiling &amp; running",
        "<pre><code class=\"language-rust\">fn main() {\n    println!(\"1 &lt; 2\");\n}\n</code></pre>",
        "<ol>\n<li>Write</li>\n<li>Compile\n<ul>\n<li>twice</li>\n</ul>\n</li>\n</ol>",
        "<blockquote>\n<p>It's easier to ask forgiveness.</p>\n<p><em>Grace</em></p>\n</blockquote>",
        "<table><thead><tr><th>Step</th><th>Time</th></tr></thead><tbody>\n<tr><td>Build</td><td>2 s</td></tr>\n</tbody></table>",
        "<img src=\"https://old.example.org/wp-content/uploads/2020/01/board.png\" alt=\"A circuit board\" title=\"The board, up close\" /><br />\n<em>The board, <strong>up close</strong></em>",
        "<p>[gallery ids=\"24,25\"]</p>",
    ] {
        assert!(blocks.contains(part), "{part:?} not in:\n{blocks}");
    }
}
