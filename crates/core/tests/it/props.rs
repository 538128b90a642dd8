//! Property tests (a fuzzer on stable Rust) for the Markdown → HTML path:
//!
//! - `render` never panics, under every policy, on any input;
//! - under `escape` and `sanitize` its output always passes common::check_safe (no script,
//!   no handler, no tag or attribute outside the allowlists, no unsafe URL, no unprefixed id);
//! - `sanitize_html` output holds only allowed tags, attributes and URLs, passes the whole
//!   check once balanced, and is a fixed point (sanitizing it again changes nothing), so
//!   nothing in it reads differently the second time;
//! - `render`'s output is a self-contained fragment (strictly nested, nothing left open);
//! - every URL `safe_url` accepts is one the checker's own reading accepts;
//! - ids are unique on a page that holds a post and summaries in their own scopes, and
//!   every `<code>` class is one `language-<word>` (under `trust` only for posts without
//!   raw HTML, which is the author's own there).
//!
//! Inputs come from three generators: arbitrary Unicode, a "hostile alphabet" of tokens that
//! assemble into tags, attributes, entities, schemes and Markdown constructs, and mutations
//! of the attack corpus (tests/fixtures/hostile).
//!
//! Bounded by default (a few seconds, fixed seed). For a longer run:
//!   QUIRE_FUZZ_SECONDS=900 cargo test --release -p quire-core --test it props -- --nocapture
//! runs every property with fresh random seeds until the time is up and prints the cases.
//! QUIRE_FUZZ_CASES sets the cases of one batch (default 2048); QUIRE_FUZZ_SEED=N replays
//! the batch seeds a failing long run printed.

use crate::common::{check_safe, check_tags_only, url_is_safe};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use quire_core::RawHtml;
use quire_core::markdown::{balance, render, safe_url, sanitize_html};
use std::path::PathBuf;
use std::time::{Duration, Instant};

const TOKENS: &[&str] = &[
    "<",
    ">",
    "</",
    "/>",
    "\"",
    "'",
    "=",
    " ",
    "\n",
    "\n\n",
    "\t",
    "\u{0}",
    "\u{c}",
    "\r",
    "&",
    "&#",
    "&#x",
    ";",
    "#",
    "x",
    "6A",
    "106",
    "0000000058",
    "3a",
    ":",
    "script",
    "SCRIPT",
    "img",
    "svg",
    "math",
    "a",
    "b",
    "p",
    "div",
    "details",
    "style",
    "template",
    "noscript",
    "iframe",
    "textarea",
    "title",
    "plaintext",
    "table",
    "td",
    "select",
    "src",
    "href",
    "cite",
    "onerror",
    "onclick",
    "ontoggle",
    "srcdoc",
    "id",
    "name",
    "class",
    "xlink:href",
    "javascript:",
    "JaVaScRiPt:",
    "java\tscript:",
    "vbscript:",
    "data:text/html,",
    "data:image/svg+xml,",
    "data:image/png,",
    "https://x.y/",
    "/p",
    "alert(1)",
    "&colon;",
    "&Tab;",
    "&NewLine;",
    "&quot;",
    "&amp;",
    "&lt;",
    "<!--",
    "-->",
    "--!>",
    "<!",
    "<?",
    "]]>",
    "<![CDATA[",
    "[",
    "]",
    "(",
    ")",
    "![",
    "](",
    "[^",
    "]:",
    "[^x]",
    "[^x]: n\n",
    "{#",
    "}",
    "{.",
    "{onclick=x}",
    "`",
    "```",
    "*",
    "_",
    "|",
    "---",
    "-",
    "\n|:-|-:|\n",
    "# ",
    "\n## ",
    "> ",
    "1. ",
    "- [ ] ",
    "<http://x>",
    "<javascript:x>",
    "\\",
    "%6A",
    "java",
    "\u{a0}",
    "é",
    "\u{feff}",
    "\u{202e}",
    "    ",
    "<b>",
    "</b>",
    "<a href=",
    "<img src=",
    " onerror=",
    "<script>",
    "</script>",
    "<svg onload=",
    "<math><mi xlink:href=",
];

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..120).prop_map(|v| v.concat())
}

fn unicode() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ -~\n\t]{0,300}",                             // printable ASCII
        "[<>\"'=/&#;:a-z0-9 \n\\[\\]()!{}`*|-]{0,300}", // markup punctuation
    ]
}

/// The attack corpus, cut and spliced: real vectors, broken in new places.
fn corpus_mutations() -> impl Strategy<Value = String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/hostile/posts");
    let mut texts: Vec<String> = std::fs::read_dir(dir)
        .expect("hostile fixture")
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    texts.sort();
    let corpus: String = texts.concat();
    let len = corpus.len();
    (
        prop::collection::vec((0..len, 0..400usize), 1..6),
        prop::collection::vec(prop::sample::select(TOKENS), 0..8),
    )
        .prop_map(move |(cuts, inserts)| {
            let mut out = String::new();
            for (i, (start, n)) in cuts.into_iter().enumerate() {
                let s = floor_char(&corpus, start);
                let e = floor_char(&corpus, (start + n).min(len));
                out.push_str(&corpus[s..e]);
                if let Some(t) = inserts.get(i) {
                    out.push_str(t);
                }
            }
            out
        })
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn inputs() -> impl Strategy<Value = String> {
    prop_oneof![token_soup(), unicode(), corpus_mutations()]
}

fn env_num(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// Runs `property` on `strategy`: one batch with a fixed seed, or, with QUIRE_FUZZ_SECONDS,
/// batches with fresh seeds until the time is up. Prints the cases run.
fn fuzz<S: Strategy>(
    name: &str,
    strategy: S,
    property: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S::Value: std::fmt::Debug,
{
    let cases = env_num("QUIRE_FUZZ_CASES").unwrap_or(2048) as u32;
    let budget = env_num("QUIRE_FUZZ_SECONDS").map(Duration::from_secs);
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 4096,
        ..Config::default()
    };
    let started = Instant::now();
    let mut total = 0u64;
    let mut batch = 0u64;
    loop {
        // A fixed seed for the bounded run; a fresh one per batch for a long run (printed
        // on failure; QUIRE_FUZZ_SEED=N replays batch seeds from N).
        let seed = match (budget, env_num("QUIRE_FUZZ_SEED")) {
            (_, Some(s)) => s + batch,
            (None, None) => 7,
            (Some(_), None) => {
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos() as u64);
                nanos ^ batch.wrapping_mul(0x9e37_79b9_7f4a_7c15)
            }
        };
        let mut seed_bytes = [0u8; 32];
        seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
        let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes);
        let mut runner = TestRunner::new_with_rng(config.clone(), rng);
        match runner.run(&strategy, &property) {
            Ok(()) => {}
            Err(TestError::Fail(why, input)) => {
                panic!("{name} (seed {seed}): {why}\nminimal input: {input:?}")
            }
            Err(e) => panic!("{name} (seed {seed}): {e}"),
        }
        total += u64::from(cases);
        batch += 1;
        match budget {
            Some(b) if started.elapsed() < b => {
                if batch.is_multiple_of(50) {
                    eprintln!(
                        "{name}: {total} cases, {:.0} s",
                        started.elapsed().as_secs_f64()
                    );
                }
            }
            _ => break,
        }
    }
    println!(
        "{name}: {total} cases without a failure in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

fn checked(html: &str, policy: RawHtml, input: &str) -> Result<(), TestCaseError> {
    check_safe(html, policy).map_err(|e| {
        TestCaseError::fail(format!("{policy:?}: {e}\ninput: {input:?}\noutput: {html}"))
    })
}

#[test]
fn render_is_safe_under_escape_and_sanitize() {
    fuzz("render", inputs(), |md| {
        for policy in [RawHtml::Escape, RawHtml::Sanitize] {
            checked(&render(&md, policy), policy, &md)?;
        }
        // Trust is unsafe by design, but must not panic either.
        let _ = render(&md, RawHtml::Trust);
        Ok(())
    });
}

#[test]
fn sanitizer_output_is_safe_and_stable() {
    fuzz("sanitize_html", inputs(), |raw| {
        let once = sanitize_html(&raw);
        check_tags_only(&once, RawHtml::Sanitize)
            .map_err(|e| TestCaseError::fail(format!("{e}\ninput: {raw:?}\noutput: {once}")))?;
        checked(&balance(&once), RawHtml::Sanitize, &raw)?;
        let twice = sanitize_html(&once);
        prop_assert_eq!(
            &twice,
            &once,
            "sanitizing twice changed the output of {:?}",
            raw
        );
        Ok(())
    });
}

#[test]
fn accepted_urls_have_a_safe_scheme() {
    let urls = prop_oneof![
        token_soup(),
        "[ -~\t\n\u{0}-\u{1f}]{0,40}",
        (
            "[ \t\n\u{0}-\u{20}]{0,3}",
            prop::sample::select(
                &[
                    "javascript",
                    "JAVASCRIPT",
                    "vbscript",
                    "data",
                    "http",
                    "jav\tascript",
                    "java\u{0}script"
                ][..]
            ),
            "[ \t\n\u{0}-\u{20}]{0,2}",
            prop::sample::select(&[":", "&colon;", "%3a", "\u{ff1a}", "/", ""][..]),
            "[ -~]{0,20}",
        )
            .prop_map(|(a, b, c, d, e)| format!("{a}{b}{c}{d}{e}")),
    ];
    fuzz("safe_url", urls, |url| {
        for image in [false, true] {
            if safe_url(&url, image).is_some() {
                prop_assert!(
                    url_is_safe(&url, image),
                    "accepted {:?} (image: {})",
                    url,
                    image
                );
            }
        }
        Ok(())
    });
}

/// Every `id="…"` value, and every `class="…"` value of a `<code>`, in the tags of `html`
/// (text never holds a raw `<` in the renderer's output; it may hold `id="`).
fn ids_and_code_classes(html: &str) -> (Vec<&str>, Vec<&str>) {
    let (mut ids, mut classes) = (Vec::new(), Vec::new());
    for rest in html.split('<').skip(1) {
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        let value = |attr: &str| {
            let at = tag.find(attr)? + attr.len();
            Some(&tag[at..at + tag[at..].find('"')?])
        };
        if let Some(id) = value(" id=\"") {
            ids.push(id);
        }
        if tag.starts_with("code")
            && let Some(class) = value(" class=\"")
        {
            classes.push(class);
        }
    }
    (ids, classes)
}

#[test]
fn ids_are_unique_and_code_has_one_language_class() {
    fuzz("ids and code classes", inputs(), |md| {
        for policy in [RawHtml::Escape, RawHtml::Sanitize, RawHtml::Trust] {
            // A list page: the post itself and three summaries, each in its own scope.
            let mut page = quire_core::markdown::render(&md, policy);
            for scope in ["s0", "s1", "s12"] {
                page.push_str(&quire_core::markdown::render_scoped(&md, policy, scope));
            }
            if policy == RawHtml::Trust {
                // Raw HTML is the author's own there; only the renderer's markup counts.
                if md.contains('<') {
                    continue;
                }
            }
            let (ids, classes) = ids_and_code_classes(&page);
            let mut seen = std::collections::HashSet::new();
            for id in ids {
                prop_assert!(seen.insert(id), "{:?}: id {} twice in {}", policy, id, page);
            }
            for class in classes {
                prop_assert!(
                    class
                        .strip_prefix("language-")
                        .is_some_and(|w| !w.is_empty()
                            && w.chars()
                                .all(|c| c.is_ascii_alphanumeric() || "_+#.-".contains(c))),
                    "{:?}: <code class=\"{}\"> in {}",
                    policy,
                    class,
                    page
                );
            }
        }
        Ok(())
    });
}
