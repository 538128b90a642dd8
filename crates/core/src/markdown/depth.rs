//! How deep a post may nest ([`MAX_NESTING`]), and the count of it for the HTML that
//! [`super::render`] makes under `escape` and `sanitize` ([`balanced_nesting`]).
//!
//! Every quote in a quote, list in a list item or HTML element in an element is one more
//! level of the tree that the browser, and the CLI's containment pass (html5ever), build
//! from a post's HTML. html5ever's tree builder searches its stack of open elements for
//! most tags, so its time grows with depth × tags (80,000 nested `<div>`s took 110 s), and
//! whatever walks the tree recursively needs stack in proportion to its depth. Real posts
//! rarely pass 20 levels; Chromium's and WebKit's HTML parsers stop nesting at 512 (deeper
//! elements become siblings, so a post that deep does not even look the same everywhere).
//! The limit, 100, is five times what real posts use and, with the app's own layout around
//! a post (some 15 levels), still far below 512.
//!
//! The CLI checks every post's body and summary against the limit when it loads them
//! (`quire check` reports it, `quire build` writes nothing), counting the HTML the page
//! gets, so each policy counts what it makes of raw HTML: under `escape` raw HTML is text
//! (a raw HTML block is one paragraph), under `sanitize` the allowed tags are elements, and
//! both outputs are balanced ([`fn@super::balance`]), which [`balanced_nesting`] counts
//! exactly. Under `trust` raw HTML reaches the page as written and only a real tree
//! builder knows what it nests; the CLI counts that with html5ever.
//!
//! Nothing in this crate's Markdown code recurses on the input's structure (pulldown-cmark
//! keeps its own stacks, and so do the filter, the sanitizer and [`fn@super::balance`]),
//! so the app's renderer, in WebAssembly with its small stack, renders any post.

/// The deepest a post (its body, or its summary) may nest: quotes, lists and HTML elements
/// inside one another. See the module docs for the choice.
pub const MAX_NESTING: usize = 100;

/// HTML's void elements: never open.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// How many levels deep balanced HTML nests (a void element is a level too): [`super::render`]'s output under `escape` and
/// `sanitize`, where every `<` starts a tag and every end tag closes the innermost element
/// ([`fn@super::balance`]). A `table` counts 2: a browser puts a `tbody` between a table
/// and a row that the sanitizer kept as its child. One pass, linear in the length.
pub fn balanced_nesting(html: &str) -> usize {
    let mut open: Vec<usize> = Vec::new();
    let (mut depth, mut deepest) = (0, 0);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt..];
        let Some(gt) = rest.find('>') else { break };
        let tag = &rest[..=gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with("</");
        let name_start = if closing { 2 } else { 1 };
        let name_len = tag[name_start..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(tag.len() - name_start);
        let name = &tag[name_start..name_start + name_len];
        if name.is_empty() {
            continue;
        }
        if closing {
            depth -= open.pop().unwrap_or(0);
        } else if VOID.iter().any(|v| v.eq_ignore_ascii_case(name)) {
            // An element all the same, one level below the innermost.
            deepest = deepest.max(depth + 1);
        } else {
            let weight = if name.eq_ignore_ascii_case("table") {
                2
            } else {
                1
            };
            open.push(weight);
            depth += weight;
            deepest = deepest.max(depth);
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::RawHtml;
    use crate::markdown::render;

    #[test]
    fn counts_balanced_html() {
        assert_eq!(balanced_nesting(""), 0);
        assert_eq!(balanced_nesting("text &lt;b&gt;"), 0);
        assert_eq!(balanced_nesting("<p>a</p><p>b</p>"), 1);
        assert_eq!(
            balanced_nesting("<blockquote><p>a <em>b</em></p></blockquote>"),
            3
        );
        assert_eq!(balanced_nesting("<p>a<br>b<img src=\"x\" /></p>"), 2);
        assert_eq!(balanced_nesting("<table><tr><td>x</td></tr></table>"), 4);
    }

    #[test]
    fn counts_what_each_policy_renders() {
        let n = |md: &str, policy| balanced_nesting(&render(md, policy));
        for policy in [RawHtml::Escape, RawHtml::Sanitize] {
            assert_eq!(n("> > > deep\n", policy), 4);
            assert_eq!(n("- - - a\n", policy), 6);
            assert_eq!(n("plain\n", policy), 1);
            assert_eq!(n("- [ ] task\n", policy), 3); // ul > li > input
        }
        let divs = "<div>".repeat(50);
        assert_eq!(n(&divs, RawHtml::Escape), 1);
        assert_eq!(n(&divs, RawHtml::Sanitize), 50);
        let bold = format!("x {}", "<b>".repeat(50));
        assert_eq!(n(&bold, RawHtml::Escape), 1);
        assert_eq!(n(&bold, RawHtml::Sanitize), 51);
    }

    #[test]
    fn rendering_any_depth_needs_little_stack() {
        // The app renders in WebAssembly, whose stack is small: 10,000 levels (a hundred
        // times the limit) on a 128 KiB stack, under every policy.
        let posts = [
            format!("{}deep\n", "> ".repeat(10_000)),
            format!("{}a\n", "- ".repeat(5_000)),
            "<div>".repeat(10_000),
            format!("x {}", "<b>".repeat(10_000)),
        ];
        std::thread::Builder::new()
            .stack_size(128 * 1024)
            .spawn(move || {
                for md in &posts {
                    for policy in [RawHtml::Escape, RawHtml::Sanitize, RawHtml::Trust] {
                        let html = render(md, policy);
                        balanced_nesting(&html);
                        crate::markdown::plain_text(md);
                    }
                }
            })
            .unwrap()
            .join()
            .expect("rendering overflowed a small stack");
    }
}
