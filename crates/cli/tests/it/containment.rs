//! Containment, checked with a real HTML5 parser (html5ever): rendered Markdown pasted into
//! a route file as `<div class="post-body">{fragment}</div><p id="after">x</p>` must stay in
//! that `div`, whatever the post's raw HTML does.
//!
//! For random tag soups built from the sanitizer's allowlist (plus stray end tags of the
//! page's own elements and Markdown constructs), parsed as a whole document:
//!
//! - the container's parent holds exactly the container and `#after` (nothing of the
//!   fragment was closed out of the container, foster-parented or left open around
//!   `#after`);
//! - the container's text is the fragment's text as a browser reads it when the fragment is
//!   set as an element's content (parsed alone in a `div` context), so nothing was lost or
//!   moved out;
//!
//! for (a) `contain(render(x))` under every policy and (b) `render(x)` alone, under
//! `escape` and `sanitize` (balance's model of the tree builder's implicit closings).
//!
//! Bounded by default (fixed seed); `QUIRE_FUZZ_CASES=N` runs more cases.
//!
//! `contain_throughput` prints how fast `contain` is on a generated blog's rendered posts:
//!   cargo test --release -p quire --test it containment::contain_throughput -- --nocapture

use html5ever::tendril::TendrilSink;
use html5ever::{LocalName, QualName, ns};
use markup5ever_rcdom::{Handle, NodeData, RcDom};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use quire::contain;
use quire_core::RawHtml;
use quire_core::markdown::render;
use std::time::Instant;

/// Tags the sanitizer keeps (docs/SECURITY.md), and what the renderer writes itself.
const TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Pieces that are not tags of the allowlist: end tags of the page's own elements,
/// Markdown constructs that make the renderer write its own elements around raw HTML.
const OTHER: &[&str] = &[
    "</main>",
    "</body>",
    "</html>",
    "</article>",
    "</section>",
    "</nav>",
    "</footer>",
    "x",
    "word ",
    " ",
    "\n",
    "\n\n",
    "# ",
    "## h\n",
    "- ",
    "1. ",
    "> ",
    "    ",
    "```\n",
    "`",
    "*",
    "**",
    "~~",
    "|",
    "| a | b |\n|---|---|\n| c | d |\n",
    "[^1]",
    "\n\n[^1]: note\n\n",
    "[l](#h-x)",
    "![i](a.png)",
    "&amp;",
    "&",
    "<!-- c -->",
    "<!--",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(TAGS).prop_map(|t| format!("<{t}>")),
        3 => prop::sample::select(TAGS).prop_map(|t| format!("</{t}>")),
        1 => prop::sample::select(TAGS).prop_map(|t| format!("<{t} title=\"t\">")),
        4 => prop::sample::select(OTHER).prop_map(str::to_string),
    ]
}

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 1..48).prop_map(|v| v.concat())
}

/// Tags outside the allowlist, which only `trust` lets through: forms, foreign content,
/// raw-text elements, templates and the tree builder's other special cases.
const WILD: &[&str] = &[
    "form",
    "button",
    "select",
    "option",
    "optgroup",
    "textarea",
    "svg",
    "math",
    "foreignObject",
    "mi",
    "mtext",
    "annotation-xml",
    "template",
    "style",
    "script",
    "noscript",
    "xmp",
    "iframe",
    "plaintext",
    "nobr",
    "marquee",
    "object",
    "applet",
    "frameset",
    "body",
    "html",
    "head",
    "col",
    "colgroup",
    "input",
    "image",
    "listing",
    "menu",
    "main",
];

fn wild_soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => piece(),
        2 => prop::sample::select(WILD).prop_map(|t| format!("<{t}>")),
        2 => prop::sample::select(WILD).prop_map(|t| format!("</{t}>")),
    ];
    prop::collection::vec(piece, 1..48).prop_map(|v| v.concat())
}

fn cases() -> u32 {
    std::env::var("QUIRE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(512)
}

fn run(name: &str, test: impl Fn(&str) -> Result<(), TestCaseError>) {
    run_on(name, soup(), test);
}

fn run_on(
    name: &str,
    strategy: impl Strategy<Value = String>,
    test: impl Fn(&str) -> Result<(), TestCaseError>,
) {
    let config = Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[9; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    if let Err(e) = runner.run(&strategy, |x| test(&x)) {
        panic!("{name}: {e}");
    }
}

fn children(node: &Handle) -> Vec<Handle> {
    node.children.borrow().clone()
}

fn element_name(node: &Handle) -> Option<String> {
    match &node.data {
        NodeData::Element { name, .. } => Some(name.local.to_string()),
        _ => None,
    }
}

fn attr(node: &Handle, name: &str) -> Option<String> {
    match &node.data {
        NodeData::Element { attrs, .. } => attrs
            .borrow()
            .iter()
            .find(|a| &*a.name.local == name)
            .map(|a| a.value.to_string()),
        _ => None,
    }
}

fn text(node: &Handle, out: &mut String) {
    match &node.data {
        NodeData::Text { contents } => out.push_str(&contents.borrow()),
        NodeData::Element {
            template_contents, ..
        } => {
            if let Some(t) = &*template_contents.borrow() {
                text(t, out);
            }
        }
        _ => {}
    }
    for c in children(node) {
        text(&c, out);
    }
}

fn find(node: &Handle, pred: &dyn Fn(&Handle) -> bool) -> Option<Handle> {
    if pred(node) {
        return Some(node.clone());
    }
    children(node).iter().find_map(|c| find(c, pred))
}

/// The text of `fragment` as a browser reads it when set as a `div`'s content.
fn fragment_text(fragment: &str) -> String {
    let context = QualName::new(None, ns!(html), LocalName::from("div"));
    let dom =
        html5ever::parse_fragment(RcDom::default(), Default::default(), context, vec![], false)
            .one(fragment);
    let mut out = String::new();
    text(&dom.document, &mut out);
    out
}

/// Checks that `fragment`, pasted into a page, stays in its container (see the module docs).
fn contained(fragment: &str) -> Result<(), String> {
    let page = format!(
        "<!DOCTYPE html><html><head><title>t</title></head><body><main>\
         <div class=\"post-body\">{fragment}</div><p id=\"after\">x</p></main></body></html>"
    );
    let dom = html5ever::parse_document(RcDom::default(), Default::default()).one(page);
    let main = find(&dom.document, &|n| {
        element_name(n).as_deref() == Some("main")
    })
    .ok_or("no <main> left in the page")?;
    let kids: Vec<Handle> = children(&main)
        .into_iter()
        .filter(|n| match &n.data {
            NodeData::Text { contents } => !contents.borrow().trim().is_empty(),
            NodeData::Comment { .. } => false,
            _ => true,
        })
        .collect();
    let shape: Vec<String> = kids
        .iter()
        .map(|n| match element_name(n) {
            Some(name) => format!(
                "{name}{}{}",
                attr(n, "class")
                    .map(|c| format!(".{c}"))
                    .unwrap_or_default(),
                attr(n, "id").map(|c| format!("#{c}")).unwrap_or_default()
            ),
            None => "text".into(),
        })
        .collect();
    if shape != ["div.post-body", "p#after"] {
        return Err(format!("<main> holds {shape:?}"));
    }
    let mut inside = String::new();
    text(&kids[0], &mut inside);
    let expected = fragment_text(fragment);
    if inside != expected {
        return Err(format!(
            "the container holds {inside:?}, the fragment reads {expected:?}"
        ));
    }
    Ok(())
}

#[test]
fn the_checker_sees_a_breakout() {
    // Without containment these leave the container (or swallow #after).
    for bad in [
        "a</div>b",
        "<div>open",
        "<h1>x</h2>y</div>z",
        "<table><tr><td>x</td></tr><table>",
        "</main>t",
        "<p>x<table><td>y",
    ] {
        assert!(contained(bad).is_err(), "{bad}");
        assert!(contained(&contain(bad)).is_ok(), "{bad}");
    }
    assert!(contained("<p>fine <b>bold</b></p>").is_ok());
}

/// The bodies of tests/fixtures/hostile/second-pass/posts.
fn second_pass_posts() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/hostile/second-pass/posts");
    let mut posts: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/hostile/second-pass/posts")
        .map(|e| {
            let path = e.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("post");
            let body = text
                .splitn(3, "---\n")
                .nth(2)
                .expect("front matter between --- lines")
                .to_string();
            (path.display().to_string(), body)
        })
        .collect();
    posts.sort();
    posts
}

#[test]
fn second_pass_fixture_paragraphs_stay_in_the_container() {
    let mut constructs = 0;
    for (file, body) in second_pass_posts() {
        let afters: Vec<&str> = body.lines().filter(|l| l.starts_with("after-")).collect();
        constructs += afters.len();
        for policy in [RawHtml::Escape, RawHtml::Sanitize, RawHtml::Trust] {
            let rendered = render(&body, policy);
            let mut fragments = vec![("contain(render)", contain(&rendered))];
            if policy != RawHtml::Trust {
                fragments.push(("render", rendered));
            }
            for (how, fragment) in fragments {
                contained(&fragment).unwrap_or_else(|e| panic!("{file}, {policy:?}, {how}: {e}"));
                // Each `after-NN` paragraph is a child of the container itself.
                let page =
                    format!("<!DOCTYPE html><body><div class=\"post-body\">{fragment}</div>");
                let dom = html5ever::parse_document(RcDom::default(), Default::default()).one(page);
                let body_div = find(&dom.document, &|n| {
                    attr(n, "class").as_deref() == Some("post-body")
                })
                .expect("container");
                for after in &afters {
                    let holder = children(&body_div).into_iter().find(|c| {
                        let mut t = String::new();
                        text(c, &mut t);
                        element_name(c).as_deref() == Some("p") && t.trim() == *after
                    });
                    assert!(
                        holder.is_some(),
                        "{file}, {policy:?}, {how}: {after} is not a paragraph of the container\n{fragment}"
                    );
                }
            }
        }
    }
    assert!(constructs >= 20, "{constructs} constructs");
}

#[test]
fn contained_render_always_stays_in_its_container() {
    for policy in [RawHtml::Escape, RawHtml::Sanitize, RawHtml::Trust] {
        run("contain(render(x))", |x| {
            let fragment = contain(&render(x, policy));
            contained(&fragment)
                .map_err(|e| TestCaseError::fail(format!("{policy:?}: {e}\n{fragment}")))
        });
    }
}

#[test]
fn contain_holds_any_markup_under_trust() {
    run_on("contain(render(wild))", wild_soup(), |x| {
        let fragment = contain(&render(x, RawHtml::Trust));
        contained(&fragment).map_err(|e| TestCaseError::fail(format!("{e}\n{fragment}")))
    });
}

#[test]
fn balanced_render_alone_stays_in_its_container() {
    for policy in [RawHtml::Escape, RawHtml::Sanitize] {
        run("render(x)", |x| {
            let fragment = render(x, policy);
            contained(&fragment)
                .map_err(|e| TestCaseError::fail(format!("{policy:?}: {e}\n{fragment}")))
        });
    }
}

#[test]
fn contain_is_stable_on_its_own_output() {
    // What contain writes is what a browser builds from it: containing it again changes
    // nothing. (Not under `trust`: there HTML's serialization itself does not always
    // round-trip, e.g. `<a><table><a>` fosters an `a` into an `a`, which a second parse
    // splits; containment holds all the same, as the property above checks.)
    for policy in [RawHtml::Escape, RawHtml::Sanitize] {
        run("contain(contain(x))", |x| {
            let once = contain(&render(x, policy));
            let twice = contain(&once);
            prop_assert_eq!(&twice, &once);
            Ok(())
        });
    }
}

/// A post of a generated blog: headings, paragraphs with inline markup and links, lists,
/// a code block, a table, a footnote, a little raw HTML; about 0.9 KB of Markdown (the
/// 10,000-post blog of the build budget holds 23 MB, so its posts are longer: the figure
/// that matters is MB/s).
fn generated_post(n: usize) -> String {
    format!(
        "Post {n} opens with *emphasis*, **strong** text, `code` and [a link](/post/p{n}).\n\n\
         ## Section {n}\n\n\
         A paragraph that runs on for a while, the way posts do, with a footnote[^1] and\n\
         some more words so that the body has a realistic share of plain text in it. It\n\
         keeps going with another sentence, then one more, before it stops.\n\n\
         - first item with `inline code`\n- second item, [linked](https://example.org/{n})\n\
         - third item\n\n\
         ```rust\nfn main() {{\n    println!(\"{n}\");\n}}\n```\n\n\
         | column | value |\n|---|--:|\n| a | {n} |\n| b | 2 |\n\n\
         > A quotation to close the section, *with emphasis*.\n\n\
         ### Closing {n}\n\n\
         A last paragraph with an image ![alt](/img/{n}.png) and a line<br>break in raw HTML,\n\
         <kbd>Ctrl</kbd>+<kbd>C</kbd>, and <details><summary>more</summary>hidden</details>.\n\n\
         A second paragraph of the closing section, as long as the first one was, more or\n\
         less, to bring the post to the size of an ordinary blog post in Markdown.\n\n\
         [^1]: The note of post {n}.\n"
    )
}

/// This thread's CPU time so far (Linux; see crates/core/tests/linear_time.rs), so that the
/// figure does not depend on what else the machine runs.
#[cfg(target_os = "linux")]
fn cpu_time() -> Option<std::time::Duration> {
    #[repr(C)]
    struct Timespec {
        sec: i64,
        nsec: i64,
    }
    unsafe extern "C" {
        fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut ts = Timespec { sec: 0, nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec (two 64-bit fields on 64-bit Linux).
    let ok = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0;
    (ok && cfg!(target_pointer_width = "64"))
        .then(|| std::time::Duration::new(ts.sec as u64, ts.nsec as u32))
}

#[cfg(not(target_os = "linux"))]
fn cpu_time() -> Option<std::time::Duration> {
    None
}

#[test]
fn contain_throughput() {
    let posts = 1_000;
    let markdown: Vec<String> = (0..posts).map(generated_post).collect();
    let html: Vec<String> = markdown
        .iter()
        .map(|m| render(m, RawHtml::Sanitize))
        .collect();
    let md_bytes: usize = markdown.iter().map(String::len).sum();
    let html_bytes: usize = html.iter().map(String::len).sum();
    let mut best = f64::INFINITY;
    let mut contained_html = Vec::new();
    for _ in 0..3 {
        let (start, cpu) = (Instant::now(), cpu_time());
        contained_html = html.iter().map(|h| contain(h)).collect::<Vec<_>>();
        let spent = match (cpu, cpu_time()) {
            (Some(a), Some(b)) => b.saturating_sub(a),
            _ => start.elapsed(),
        };
        best = best.min(spent.as_secs_f64());
    }
    // The work is real: what contain wrote is stable, and holds every post's text.
    for (h, c) in html.iter().zip(&contained_html) {
        assert_eq!(&contain(c), c);
        assert_eq!(fragment_text(c), fragment_text(h));
    }
    let mb = |b: usize| b as f64 / 1e6;
    println!(
        "contain: {posts} posts, {:.1} MB Markdown → {:.1} MB HTML in {:.0} ms of CPU (best of 3, one thread): \
         {:.0} MB/s of HTML, {:.0} MB/s of Markdown; 23 MB of Markdown ≈ {:.2} s on one core",
        mb(md_bytes),
        mb(html_bytes),
        best * 1e3,
        mb(html_bytes) / best,
        mb(md_bytes) / best,
        23e6 / (md_bytes as f64 / best)
    );
}
