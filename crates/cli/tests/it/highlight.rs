//! Code highlighting at build time (issue 21): fenced Rust, Python, Go, YAML and shell
//! blocks come out of `quire build` as spans with classes in the route file, the same
//! markup the app's renderer writes from the body chunk; unknown languages and blocks
//! without one stay plain; the text of every block is its source; and `toc: true` puts a
//! table of contents on top.

use crate::common::*;
use quire_core::bundle::body_chunk_from_json;
use std::fs;

const SOURCES: [(&str, &str); 8] = [
    (
        "rust",
        "// greet\nfn main() -> Result<(), String> {\n    let n: u32 = 42;\n    println!(\"hi {n} <&>\");\n    Ok(())\n}\n",
    ),
    (
        "python",
        "def f(items):  # keep some\n    return [i for i in items if \"a\" in i][:3]\n",
    ),
    (
        "go",
        "func Add(a int, b int) int {\n\treturn a + b // sum\n}\n",
    ),
    ("yaml", "name: quire\ncount: 3\nenabled: true # yes\n"),
    ("sh", "export X=\"$HOME/a\" # c\nls -la | wc -l\n"),
    ("nonesuch", "<plain> & 'stays' \"so\"\n"),
    ("", "no language <here>\n"),
    ("bash", "echo 'single' && exit 1\n"),
];

fn blog() -> (Blog, String) {
    let blog = Blog::new(SITE);
    let mut body = String::from("Code of several kinds.\n\n## First\n\n");
    for (language, source) in SOURCES {
        body.push_str(&format!("```{language}\n{source}```\n\n"));
    }
    body.push_str("### Deeper\n\n    indented <code>\n\n## Last\n");
    blog.post("code.md", &post("Code", "2024-01-01", "toc: true\n", &body));
    let o = blog.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    (blog, body)
}

/// The `<pre><code…>…</code></pre>` blocks of a page, in order.
fn code_blocks(html: &str) -> Vec<String> {
    html.split("<pre>")
        .skip(1)
        .map(|s| s[..s.find("</pre>").expect("closed")].to_string())
        .collect()
}

/// The text a browser shows for a fragment of markup without elements of its own but
/// spans: tags dropped, the writer's entities decoded.
fn text_of(markup: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in markup.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn known_languages_are_highlighted_and_every_block_keeps_its_text() {
    let (blog, _) = blog();
    let html = blog.read("post/code/index.html");
    let blocks = code_blocks(&html);
    assert_eq!(blocks.len(), SOURCES.len() + 1, "{blocks:#?}");
    for ((language, source), block) in SOURCES.iter().zip(&blocks) {
        let classes: std::collections::BTreeSet<&str> = block
            .split("class=\"hl-")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        match *language {
            "nonesuch" | "" => assert!(classes.is_empty(), "{language}: {block}"),
            _ => assert!(
                classes.len() >= 2,
                "{language} has too few token kinds: {classes:?} in {block}"
            ),
        }
        // Only spans inside the code, never a style.
        assert!(!block.contains("style="), "{block}");
        for tag in block.split('<').skip(1) {
            assert!(
                ["code", "/code", "span class=\"hl-", "/span"]
                    .iter()
                    .any(|t| tag.starts_with(t)),
                "unexpected tag <{tag} in {block}"
            );
        }
        let inner = &block[block.find('>').unwrap() + 1..block.rfind("</code>").unwrap()];
        assert_eq!(text_of(inner), *source, "{language}");
    }
    for (language, class) in [
        ("rust", "hl-keyword\">fn<"),
        ("rust", "hl-comment\">// greet"),
        ("rust", "hl-number\">42<"),
        ("python", "hl-keyword\">def<"),
        ("go", "hl-function\">Add<"),
        ("yaml", "hl-property\">name<"),
        ("sh", "hl-comment\"># c"),
    ] {
        let i = SOURCES.iter().position(|(l, _)| *l == language).unwrap();
        assert!(
            blocks[i].contains(class),
            "{language}: {class} in {}",
            blocks[i]
        );
    }
    // The indented block stays plain.
    assert!(blocks[SOURCES.len()].contains("indented &lt;code&gt;"));
}

#[test]
fn the_route_file_and_the_app_render_the_same_markup() {
    let (blog, body) = blog();
    let index = blog.index();
    let b = index.posts[0].body;
    let name = &index.bodies[b.chunk as usize];
    let entries =
        body_chunk_from_json(&fs::read_to_string(blog.out().join("data").join(name)).unwrap())
            .unwrap();
    let entry = &entries[b.slot as usize];
    assert_eq!(entry.md.trim_end(), body.trim_end());
    // Runs for the five known languages and bash; none for the unknown and plain ones.
    let with_runs: Vec<bool> = entry.code.iter().map(|r| !r.is_empty()).collect();
    assert_eq!(
        with_runs,
        [true, true, true, true, true, false, false, true],
        "{:?}",
        entry.code
    );
    // What the app renders from the chunk is what the route file holds.
    let app = quire_app::model::body_html(entry, index.site.raw_html);
    let page = blog.read("post/code/index.html");
    assert_eq!(code_blocks(&app), code_blocks(&page));
    assert!(
        page.contains(&app),
        "the route file holds the app's body as it is"
    );
}

#[test]
fn toc_lists_the_headings_and_links_to_their_ids() {
    let (blog, _) = blog();
    let page = blog.read("post/code/index.html");
    let toc = &page[page.find("<nav class=\"toc\"").expect("a toc")..];
    let toc = &toc[..toc.find("</nav>").unwrap()];
    assert!(
        toc.contains("<a href=\"#h-first\">First</a><ul><li><a href=\"#h-deeper\">Deeper</a></li></ul></li><li><a href=\"#h-last\">Last</a>"),
        "{toc}"
    );
    for id in ["h-first", "h-deeper", "h-last"] {
        assert!(page.contains(&format!("id=\"{id}\"")), "{id}");
    }
    // Without `toc: true`, none.
    let other = Blog::new(SITE);
    other.post("a.md", &post("A", "2024-01-01", "", "## One\n\n## Two\n"));
    assert!(other.build(&[]).status.success());
    assert!(!other.read("post/a/index.html").contains("class=\"toc\""));
    // `toc` must be a boolean.
    let bad = Blog::new(SITE);
    bad.post("a.md", &post("A", "2024-01-01", "toc: [1]\n", "## One\n"));
    let o = bad.build(&[]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("a.md:4: error: toc must be true or false"),
        "{}",
        stderr(&o)
    );
}
