//! How deep a post nests, checked when it is loaded against
//! [`quire_core::markdown::MAX_NESTING`] (the limit, and why, are documented there), so that
//! `quire check` reports a post too deep to build and `quire build` writes nothing.
//!
//! The count is of the HTML the page gets: the Markdown rendered under the site's policy,
//! as the render stage renders it. Under `escape` and `sanitize` that HTML is balanced and
//! core counts it exactly ([`balanced_nesting`]); under `trust` raw HTML reaches the page
//! as written, and html5ever's tree builder, the same parse the render stage's
//! containment pass runs and a browser runs, builds the tree that is counted
//! ([`html_tree::nesting`]), stopping soon after the limit.
//!
//! Most posts never come near the limit, and most hold no raw HTML: for those, the
//! Markdown's own structure bounds the depth ([`structure_bound`]) and one pass of
//! pulldown-cmark, a fraction of a rendering, proves the post within it.

use super::html_tree;
use pulldown_cmark::{Event, Parser};
use quire_core::RawHtml;
use quire_core::markdown::{MAX_NESTING, balanced_nesting, options, render};

/// How deep a text that passes the limit nests, and where.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooDeep {
    /// How deep it nests; under `trust`, at least that deep (the count stops early).
    pub depth: usize,
    /// Whether `depth` is the whole text's depth (else a lower bound).
    pub exact: bool,
    /// The first line (1-based, in the text given) with which the text passes the limit.
    pub line: usize,
}

/// How many levels deep `markdown` nests under `policy`, and whether that is exact (the
/// count stops soon after [`MAX_NESTING`] under `trust`).
fn nesting(markdown: &str, policy: RawHtml) -> (usize, bool) {
    let html = render(markdown, policy);
    match policy {
        RawHtml::Trust => {
            let depth = html_tree::nesting(&html, MAX_NESTING);
            (depth, depth <= MAX_NESTING)
        }
        RawHtml::Escape | RawHtml::Sanitize => (balanced_nesting(&html), true),
    }
}

/// An upper bound of how deep `markdown` nests, from its Markdown structure alone, when
/// that is enough: `None` when it holds raw HTML that `policy` makes elements of. Every
/// Markdown element renders as at most two HTML elements (`<pre><code>`, a table's
/// `<table><tbody>`, a table head's `<thead><tr>`), and what is not one (a footnote
/// reference's `<sup><a>`, a heading's anchor, a task's checkbox, a line break) adds at
/// most two levels below the innermost.
fn structure_bound(markdown: &str, policy: RawHtml) -> Option<usize> {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(_) => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            // Text under `escape` (a raw HTML block is a paragraph: its Start counts).
            Event::Html(_) | Event::InlineHtml(_) if policy != RawHtml::Escape => return None,
            _ => {}
        }
    }
    Some(2 * deepest + 2)
}

/// `None` when `markdown` nests at most [`MAX_NESTING`] levels deep under `policy`; else
/// how deep, and the first line whose prefix of the text already passes the limit (found by
/// bisection: a post within the limit costs one pass of the parser or one rendering, a
/// refused one a few more).
pub fn too_deep(markdown: &str, policy: RawHtml) -> Option<TooDeep> {
    if structure_bound(markdown, policy).is_some_and(|bound| bound <= MAX_NESTING) {
        return None;
    }
    let (depth, exact) = nesting(markdown, policy);
    if depth <= MAX_NESTING {
        return None;
    }
    let mut ends: Vec<usize> = markdown.match_indices('\n').map(|(i, _)| i + 1).collect();
    if ends.last() != Some(&markdown.len()) {
        ends.push(markdown.len());
    }
    // The first `lo` lines stay within the limit, the first `hi` lines pass it.
    let (mut lo, mut hi) = (0, ends.len());
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if nesting(&markdown[..ends[mid - 1]], policy).0 > MAX_NESTING {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(TooDeep {
        depth,
        exact,
        line: hi,
    })
}

/// The message for a body or summary (`what`) that nests too deep.
pub fn message(what: &str, deep: &TooDeep) -> String {
    format!(
        "{what} nests {}{} levels deep (quotes, lists or HTML elements); the limit is {MAX_NESTING}: nest them less deeply",
        if deep.exact { "" } else { "at least " },
        thousands(deep.depth)
    )
}

/// `10000` → `10,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn within_the_limit_is_none() {
        for policy in [RawHtml::Escape, RawHtml::Sanitize, RawHtml::Trust] {
            assert_eq!(too_deep("# Title\n\n> quote\n\n- a\n  - b\n", policy), None);
            let at_limit = format!("{}x\n", "> ".repeat(MAX_NESTING - 1));
            assert_eq!(too_deep(&at_limit, policy), None);
        }
        // Raw HTML is text under `escape`.
        assert_eq!(too_deep(&"<div>".repeat(5_000), RawHtml::Escape), None);
    }

    #[test]
    fn finds_the_line_and_the_depth() {
        let stairs: String = (1..=120)
            .map(|i| format!("{}x\n", "> ".repeat(i)))
            .collect();
        let md = format!("intro\n\n{stairs}");
        for policy in [RawHtml::Escape, RawHtml::Sanitize] {
            assert_eq!(
                too_deep(&md, policy),
                Some(TooDeep {
                    depth: 121,
                    exact: true,
                    line: 102
                })
            );
        }
        let deep = too_deep(&md, RawHtml::Trust).unwrap();
        assert_eq!(deep.line, 102);
        assert!(deep.depth > MAX_NESTING);
        // Unclosed elements a browser closes are not counted under `trust`.
        let sloppy = "<p>a\n".repeat(500);
        assert_eq!(too_deep(&sloppy, RawHtml::Trust), None);
        let divs = format!("a\n\n{}", "<div>\n".repeat(500));
        let deep = too_deep(&divs, RawHtml::Trust).unwrap();
        assert_eq!(deep.line, 3 + MAX_NESTING);
    }

    #[test]
    fn the_structure_bounds_what_renders() {
        let posts = [
            "# H {#x}\n\nText[^1] with *em **strong `code` ~~del~~***.\n\n[^1]: Note *x*.\n",
            "| a | b |\n|---|---|\n| *1* | [l](/x) |\n",
            "- [ ] task\n- [x] done\n  > quote\n  > ```\n  > code\n  > ```\n",
            "> - a\n>   1. b\n>      - c  \n>        d\n",
            "![alt *e*](javascript:x) [blocked](javascript:y) ![img](a.png)\n",
            "<div>raw</div>\n\nand <b>inline</b>\n",
        ];
        for md in posts {
            for policy in [RawHtml::Escape, RawHtml::Sanitize, RawHtml::Trust] {
                let (depth, _) = nesting(md, policy);
                if let Some(bound) = structure_bound(md, policy) {
                    assert!(depth <= bound, "{md:?} {policy:?}: {depth} > {bound}");
                }
            }
        }
        assert_eq!(structure_bound("<b>x</b>", RawHtml::Sanitize), None);
        assert_eq!(structure_bound("<b>x</b>", RawHtml::Escape), Some(4));
    }

    #[test]
    fn the_structure_bound_is_never_below_the_count() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
        const PIECES: &[&str] = &[
            "> ",
            "- ",
            "1. ",
            "  ",
            "    ",
            "* ",
            "- [ ] ",
            "# ",
            "## ",
            "\n",
            "\n\n",
            "x",
            "*",
            "**",
            "_",
            "~~",
            "`",
            "```\n",
            "[",
            "](/u)",
            "](javascript:x)",
            "![",
            "[^1]",
            "\n\n[^1]: ",
            "| a | b |\n|---|---|\n| c | d |\n",
            "---\n",
            "<b>",
            "</b>",
            "<div>",
            "\\\n",
            "  \n",
            "{#id}",
            "<!-- c -->",
        ];
        let soup =
            prop::collection::vec(prop::sample::select(PIECES), 1..80).prop_map(|v| v.concat());
        let config = Config {
            cases: 1024,
            failure_persistence: None,
            ..Config::default()
        };
        let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[4; 32]);
        let mut runner = TestRunner::new_with_rng(config, rng);
        let result = runner.run(&soup, |md| {
            for policy in [RawHtml::Escape, RawHtml::Sanitize, RawHtml::Trust] {
                if let Some(bound) = structure_bound(&md, policy) {
                    let (depth, _) = nesting(&md, policy);
                    prop_assert!(depth <= bound, "{md:?} {policy:?}: {depth} > {bound}");
                }
            }
            Ok(())
        });
        if let Err(e) = result {
            panic!("{e}");
        }
    }

    #[test]
    fn messages_read_well() {
        let deep = TooDeep {
            depth: 10_001,
            exact: true,
            line: 1,
        };
        assert_eq!(
            message("the post", &deep),
            "the post nests 10,001 levels deep (quotes, lists or HTML elements); the limit is 100: nest them less deeply"
        );
        assert_eq!(thousands(100), "100");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
