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

use super::html_tree;
use quire_core::RawHtml;
use quire_core::markdown::{MAX_NESTING, balanced_nesting, render};

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

/// `None` when `markdown` nests at most [`MAX_NESTING`] levels deep under `policy`; else
/// how deep, and the first line whose prefix of the text already passes the limit (found by
/// bisection: a post within the limit costs one rendering, a refused one a few more).
pub fn too_deep(markdown: &str, policy: RawHtml) -> Option<TooDeep> {
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
