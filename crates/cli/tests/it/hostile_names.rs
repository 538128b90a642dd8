//! Hostile content that takes another page's address, or nests too deep to build (issue
//! 20, classes 4, 10 and 11): every case is refused by `quire check` and `quire build` at
//! its `path:line`, with exit 1, no crash and nothing written.
//!
//! - Class 10: `/search/` belongs to the app (an alias or a static file there would
//!   replace the search page).
//! - Class 11: names are compared as a case-insensitive host or file system (macOS,
//!   Windows) sees them: `/Tag/rust/` is `/tag/rust/` there.
//! - Class 4: a post nests at most `MAX_NESTING` levels deep (quotes, lists, HTML
//!   elements), under every raw-HTML policy; the deep runs go through `quire_limited`.

use crate::common::*;
use html5ever::tendril::TendrilSink;
use html5ever::{LocalName, QualName, ns};
use markup5ever_rcdom::{Handle, NodeData, RcDom};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use quire_core::RawHtml;
use quire_core::markdown::{MAX_NESTING, balanced_nesting, render};
use std::fs;
use std::path::{Path, PathBuf};

const POLICIES: [RawHtml; 3] = [RawHtml::Escape, RawHtml::Sanitize, RawHtml::Trust];

fn policy_name(policy: RawHtml) -> &'static str {
    match policy {
        RawHtml::Escape => "escape",
        RawHtml::Sanitize => "sanitize",
        RawHtml::Trust => "trust",
    }
}

fn blog_with(policy: RawHtml) -> Blog {
    Blog::new(&format!(
        "title = \"T\"\nauthor = \"Ada\"\nraw_html = \"{}\"\n",
        policy_name(policy)
    ))
}

/// A post whose body starts on line 5.
fn deep_post(body: &str) -> String {
    format!("---\ntitle: Deep\ndate: 2024-01-01\n---\n{body}\n")
}

/// `quire check` and `quire build` of `blog` under the memory cap and a time limit.
fn run_limited(blog: &Blog) -> [(&'static str, Limited); 2] {
    let content = blog.content();
    let out = blog.out();
    let (content, out) = (content.to_str().unwrap(), out.to_str().unwrap());
    [
        (
            "check",
            quire_limited(&["check", "--content", content], HOSTILE_MEMORY_CAP, 120),
        ),
        (
            "build",
            quire_limited(
                &["build", "--content", content, "--out", out],
                HOSTILE_MEMORY_CAP,
                120,
            ),
        ),
    ]
}

/// Neither timed out nor crashed (no panic, no signal).
fn assert_no_crash(what: &str, l: &Limited) {
    let err = stderr(&l.output);
    assert!(!l.timed_out, "{what}: timed out after {:.1} s", l.seconds);
    assert!(!err.contains("panicked"), "{what}: {err}");
    assert!(
        l.output.status.code().is_some(),
        "{what}: killed by a signal ({:?}): {err}",
        l.output.status
    );
}

/// Exit 1 with `<file>:<line>: error: …needle…`.
fn assert_error_at(what: &str, err: &str, file: &Path, line: usize, needle: &str) {
    let prefix = format!("{}:{line}: error: ", file.display());
    assert!(
        err.lines()
            .any(|l| l.starts_with(&prefix) && l.contains(needle)),
        "{what}: want {prefix}…{needle}…\n{err}"
    );
}

/// Check and build both refuse with the error at `file:line`, and the build writes nothing.
fn refused_limited(blog: &Blog, file: &Path, line: usize, needle: &str) {
    for (what, l) in run_limited(blog) {
        assert_no_crash(what, &l);
        let err = stderr(&l.output);
        assert_eq!(l.output.status.code(), Some(1), "{what}: {err}");
        assert_error_at(what, &err, file, line, needle);
    }
    assert!(!blog.out().exists(), "a refused build wrote output");
}

/// Check and build both pass, and the post's page holds at least `needle_count` copies
/// of `needle` (the deep content really was rendered).
fn builds_limited(blog: &Blog, needle: &str, needle_count: usize) {
    for (what, l) in run_limited(blog) {
        assert_no_crash(what, &l);
        let err = stderr(&l.output);
        assert_eq!(l.output.status.code(), Some(0), "{what}: {err}");
    }
    let page = blog.read("post/x/index.html");
    assert!(
        page.matches(needle).count() >= needle_count,
        "{} of {needle} in the post page",
        page.matches(needle).count()
    );
}

// ---- Class 4: deep nesting -------------------------------------------------------------

const TOO_DEEP: &str = "levels deep (quotes, lists or HTML elements";

/// One deep shape under every policy: refused where the policy makes elements of it,
/// built (as text) where it does not.
fn deep_shape(body: &str, refused_under: &[RawHtml], shown_as_text: &str) {
    for policy in POLICIES {
        let blog = blog_with(policy);
        let file = blog.post("x.md", &deep_post(body));
        if refused_under.contains(&policy) {
            refused_limited(&blog, &file, 5, TOO_DEEP);
        } else {
            // Raw HTML is text under `escape`: nothing nests, the post builds.
            builds_limited(&blog, shown_as_text, 1);
        }
    }
}

#[test]
fn ten_thousand_nested_quotes_are_refused() {
    deep_shape(&format!("{}deep", "> ".repeat(10_000)), &POLICIES, "");
}

#[test]
fn eight_thousand_divs_are_refused_where_they_become_elements() {
    deep_shape(
        &"<div>".repeat(8_000),
        &[RawHtml::Sanitize, RawHtml::Trust],
        "&lt;div&gt;&lt;div&gt;",
    );
}

#[test]
fn forty_thousand_bold_tags_are_refused_where_they_become_elements() {
    deep_shape(
        &format!("x {}", "<b>".repeat(40_000)),
        &[RawHtml::Sanitize, RawHtml::Trust],
        "&lt;b&gt;&lt;b&gt;",
    );
}

#[test]
fn a_five_thousand_level_list_is_refused() {
    deep_shape(&format!("{}a", "- ".repeat(5_000)), &POLICIES, "");
}

/// How deep `markdown` nests under `policy`, counted as the CLI counts it: core's exact
/// count of the balanced HTML of `escape` and `sanitize`, html5ever's tree under `trust`.
fn nesting(markdown: &str, policy: RawHtml) -> usize {
    let html = render(markdown, policy);
    match policy {
        RawHtml::Trust => parsed_depth(&html),
        RawHtml::Escape | RawHtml::Sanitize => balanced_nesting(&html),
    }
}

/// The body of `shape` with `n` levels, and the element it repeats.
fn shape(name: &str, n: usize) -> (String, &'static str) {
    match name {
        "quote" => (format!("{}deep", "> ".repeat(n)), "<blockquote>"),
        "list" => (format!("{}a", "- ".repeat(n)), "<li>"),
        "div" => ("<div>".repeat(n), "<div>"),
        "b" => (format!("x {}", "<b>".repeat(n)), "<b>"),
        _ => unreachable!(),
    }
}

#[test]
fn a_post_exactly_at_the_limit_builds_and_one_level_more_is_refused() {
    for policy in POLICIES {
        for name in ["quote", "list", "div", "b"] {
            if policy == RawHtml::Escape && matches!(name, "div" | "b") {
                continue; // text under `escape`: never deep
            }
            // The most repetitions that stay within the limit.
            let n = (1..)
                .take_while(|&n| nesting(&shape(name, n).0, policy) <= MAX_NESTING)
                .last()
                .unwrap();
            let (body, element) = shape(name, n);
            assert_eq!(nesting(&body, policy), MAX_NESTING, "{name} {policy:?}");
            let blog = blog_with(policy);
            blog.post("x.md", &deep_post(&body));
            builds_limited(&blog, element, n);

            let (body, _) = shape(name, n + 1);
            let blog = blog_with(policy);
            let file = blog.post("x.md", &deep_post(&body));
            refused_limited(&blog, &file, 5, TOO_DEEP);
        }
    }
}

#[test]
fn the_error_names_the_line_where_the_limit_is_passed() {
    // A staircase of quotes, one level more per line: line 7 has one level, so the one
    // with 100 (a quote of 100 levels holding a paragraph is 101) is line 106.
    let stairs: String = (1..=150)
        .map(|i| format!("{}step\n", "> ".repeat(i)))
        .collect();
    let blog = blog_with(RawHtml::Sanitize);
    let file = blog.post("x.md", &deep_post(&format!("Intro.\n\n{stairs}")));
    refused_limited(&blog, &file, 106, "nests 151 levels deep");

    // The line a `<!--more-->` takes out of the body still counts.
    let blog = blog_with(RawHtml::Sanitize);
    let file = blog.post(
        "x.md",
        &deep_post(&format!("Intro.\n\n<!--more-->\n\n{stairs}")),
    );
    refused_limited(&blog, &file, 108, "nests 151 levels deep");

    // A summary given in the front matter is Markdown too.
    let blog = blog_with(RawHtml::Sanitize);
    let file = blog.post(
        "x.md",
        &format!(
            "---\ntitle: Deep\ndate: 2024-01-01\nsummary: \"{}\"\n---\nBody.\n",
            "<div>".repeat(500)
        ),
    );
    refused_limited(&blog, &file, 4, "the summary nests 500 levels deep");
}

/// The depth of the deepest element of `node`'s subtree, below `node` (iterative: the
/// trees here may be deep).
fn tree_depth(node: &Handle) -> usize {
    let mut max = 0;
    let mut todo = vec![(node.clone(), 0usize)];
    while let Some((n, d)) = todo.pop() {
        let d = match &n.data {
            NodeData::Element {
                template_contents, ..
            } => {
                if let Some(t) = &*template_contents.borrow() {
                    todo.push((t.clone(), d + 1));
                }
                d + 1
            }
            _ => d,
        };
        max = max.max(d);
        for c in n.children.borrow().iter() {
            todo.push((c.clone(), d));
        }
    }
    max
}

/// How deep the tree html5ever builds from `html` as a `<div>`'s content nests (the same
/// parse as `contain` and a browser's `innerHTML`).
fn parsed_depth(html: &str) -> usize {
    let context = QualName::new(None, ns!(html), LocalName::from("div"));
    let dom = html5ever::parse_fragment(
        RcDom::default(),
        Default::default(),
        context,
        Vec::new(),
        false,
    )
    .one(html);
    // document → html (the fragment's root) → the content.
    let root = dom.document.children.borrow()[0].clone();
    tree_depth(&root) - 1
}

/// Tags whose tree building is not plain nesting: implied and reconstructed elements,
/// the adoption agency, tables, foreign content and its breakouts, raw text.
const SOUP: &[&str] = &[
    "<b>",
    "</b>",
    "<b class=1>",
    "<b class=2>",
    "<i>",
    "</i>",
    "<a>",
    "</a>",
    "<nobr>",
    "<font color=red>",
    "<font>",
    "</font>",
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<div/>",
    "<span>",
    "</span>",
    "<li>",
    "<ul>",
    "</ul>",
    "<dd>",
    "<dl>",
    "<h1>",
    "</h2>",
    "<br>",
    "</br>",
    "<table>",
    "</table>",
    "<tr>",
    "</tr>",
    "<td>",
    "</td>",
    "<th>",
    "<caption>",
    "<tbody>",
    "<colgroup>",
    "<col>",
    "<svg>",
    "</svg>",
    "<g>",
    "</g>",
    "<g/>",
    "<path/>",
    "<math>",
    "</math>",
    "<mi>",
    "</mi>",
    "<mglyph/>",
    "<annotation-xml>",
    "<foreignObject>",
    "</foreignObject>",
    "<title>",
    "</title>",
    "<desc>",
    "<style>",
    "</style>",
    "<script>",
    "</script>",
    "<textarea>",
    "</textarea>",
    "<xmp>",
    "<select>",
    "<option>",
    "<template>",
    "</template>",
    "<button>",
    "</button>",
    "<marquee>",
    "<object>",
    "<applet>",
    "<form>",
    "</form>",
    "<pre>",
    "<ruby>",
    "<rt>",
    "<hr>",
    "<image>",
    "<body>",
    "<html>",
    "<frameset>",
    "<plaintext>",
    "<noscript>",
    "</noscript>",
    "<iframe>",
    "</iframe>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "x",
    " ",
    "\n\n",
    "> ",
    "- ",
    "*",
    "`",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(SOUP), 1..64).prop_map(|v| v.concat())
}

fn fuzz(name: &str, test: impl Fn(&str) -> Result<(), String>) {
    let cases = std::env::var("QUIRE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2048);
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[20; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    if let Err(e) = runner.run(&soup(), |s| {
        test(&s).map_err(proptest::test_runner::TestCaseError::fail)
    }) {
        panic!("{name}: {e}");
    }
}

#[test]
fn the_count_is_never_below_the_tree_a_browser_builds() {
    // Markdown with raw HTML: what `escape` and `sanitize` render is balanced, and core's
    // count of it is never below the tree html5ever (and so a browser) builds from it.
    fuzz("markdown", |md| {
        for policy in [RawHtml::Escape, RawHtml::Sanitize] {
            let html = render(md, policy);
            let (count, real) = (balanced_nesting(&html), parsed_depth(&html));
            if count < real {
                return Err(format!(
                    "{md:?} {policy:?}: counted {count}, html5ever nests {real}"
                ));
            }
        }
        Ok(())
    });
}

#[test]
fn containment_writes_any_depth_without_recursion() {
    // 3,000 levels on a 256 KiB stack: the recursive writer needed far more.
    let html = format!("{}x", "<div>".repeat(3_000));
    let written = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || quire::contain(&html))
        .unwrap()
        .join()
        .expect("contain overflowed its stack");
    assert_eq!(written.matches("<div>").count(), 3_000);
    assert!(written.ends_with(&"</div>".repeat(3_000)));
}

// ---- Classes 10 and 11: addresses taken from the app or from each other ---------------

fn site() -> Blog {
    Blog::new("title = \"T\"\nauthor = \"Ada\"\n")
}

fn static_file(blog: &Blog, rel: &str) -> PathBuf {
    let p = blog.content().join("static").join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(&p, "x").unwrap();
    p
}

/// A post with `aliases` on line 4 and `extra` front matter after it.
fn post_with_aliases(blog: &Blog, name: &str, aliases: &[&str], extra: &str) -> PathBuf {
    let list: Vec<String> = aliases.iter().map(|a| format!("{a:?}")).collect();
    blog.post(
        name,
        &format!(
            "---\ntitle: {name}\ndate: 2024-01-01\naliases: [{}]\n{extra}---\nText.\n",
            list.join(", ")
        ),
    )
}

/// `quire check` and `quire build` both exit 1 with the error at `file:line`, and the
/// build writes nothing.
fn refused(blog: &Blog, file: &Path, line: usize, needle: &str) {
    for (what, o) in [("check", blog.check()), ("build", blog.build(&[]))] {
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{what}: {err}");
        assert!(!err.contains("panicked"), "{what}: {err}");
        assert_error_at(what, &err, file, line, needle);
    }
    assert!(!blog.out().exists(), "a refused build wrote output");
}

#[test]
fn an_alias_may_not_take_the_search_page() {
    let blog = site();
    let a = post_with_aliases(&blog, "a.md", &["/search/"], "");
    refused(&blog, &a, 4, "alias /search/ is inside /search/");
}

#[test]
fn a_static_file_may_not_take_the_search_page() {
    let blog = site();
    blog.post("a.md", &post("A", "2024-01-01", "", "Text."));
    let s = static_file(&blog, "search/index.html");
    refused(&blog, &s, 1, "static file would replace \"search\"");
}

#[test]
fn an_alias_may_not_take_another_posts_page_in_other_case() {
    let blog = site();
    blog.post("other.md", &post("Other", "2024-01-01", "", "Text."));
    let a = post_with_aliases(&blog, "a.md", &["/Post/other/"], "");
    refused(&blog, &a, 4, "alias /Post/other/ is inside /Post/");
}

#[test]
fn an_alias_may_not_take_a_tag_page_in_other_case() {
    let blog = site();
    blog.post("r.md", &post("R", "2024-01-01", "tags: [rust]\n", "Text."));
    let a = post_with_aliases(&blog, "a.md", &["/Tag/rust/"], "");
    refused(&blog, &a, 4, "alias /Tag/rust/ is inside /Tag/");
}

#[test]
fn static_files_may_not_take_generated_names_in_other_case() {
    let blog = site();
    blog.post("a.md", &post("A", "2024-01-01", "", "Text."));
    let feed = static_file(&blog, "Feed.xml");
    let data = static_file(&blog, "DATA/x");
    refused(&blog, &feed, 1, "static file would replace \"Feed.xml\"");
    refused(&blog, &data, 1, "static file would replace \"DATA\"");
}

#[test]
fn two_static_files_may_not_differ_in_case_only() {
    let blog = site();
    blog.post("a.md", &post("A", "2024-01-01", "", "Text."));
    static_file(&blog, "img/Logo.png");
    let second = static_file(&blog, "img/logo.png");
    refused(&blog, &second, 1, "differ only in case");
    // A file and a folder count too.
    let blog = site();
    blog.post("a.md", &post("A", "2024-01-01", "", "Text."));
    static_file(&blog, "Docs/a.txt");
    let file = static_file(&blog, "docs");
    refused(&blog, &file, 1, "differ only in case");
}

#[test]
fn an_alias_and_a_static_file_may_not_differ_in_case_only() {
    let blog = site();
    static_file(&blog, "about/index.html");
    let a = post_with_aliases(&blog, "a.md", &["/About/"], "");
    refused(
        &blog,
        &a,
        4,
        "alias /About/ collides with the static file about/index.html",
    );
    let blog = site();
    static_file(&blog, "old");
    let a = post_with_aliases(&blog, "a.md", &["/OLD/page/"], "");
    refused(
        &blog,
        &a,
        4,
        "alias /OLD/page/ collides with the static file old",
    );
}

#[test]
fn two_aliases_may_not_differ_in_case_only() {
    let blog = site();
    let a = post_with_aliases(&blog, "a.md", &["/2019/Hello/"], "");
    let b = post_with_aliases(&blog, "b.md", &["/2019/hello/"], "");
    refused(
        &blog,
        &b,
        4,
        &format!("alias /2019/hello/ is also an alias of {}", a.display()),
    );
}

#[test]
fn terms_and_slugs_whose_addresses_differ_in_case_only_are_refused() {
    // "ΑΣ" and "ας" are two slugs (`ασ`, `ας`: a final sigma stays one), and one name to
    // a case-insensitive file system.
    let blog = site();
    blog.post("a.md", &post("A", "2024-01-01", "tags: [ας]\n", "Text."));
    let b = blog.post("b.md", &post("B", "2024-01-02", "tags: [ΑΣ]\n", "Text."));
    refused(&blog, &b, 4, "tag \"ΑΣ\" gets the address /tag/ασ/");
    let blog = site();
    blog.post("a.md", &post("A", "2024-01-01", "slug: ας\n", "Text."));
    let b = blog.post("b.md", &post("B", "2024-01-02", "slug: ΑΣ\n", "Text."));
    refused(&blog, &b, 4, "the address /post/ασ/");
}
