//! Containment of rendered Markdown pasted into route files.
//!
//! The app sets a post's rendered HTML as the content of its own element (`inner_html`),
//! where the browser parses it as a fragment and nothing in it can reach outside. The
//! prerendered route files instead paste the same string into the page's markup,
//! `<div class="post-body">{html}</div>`, and there the browser's tree builder reads it as
//! part of the whole document: a stray end tag, a table start tag inside a table, a heading
//! end tag of another level could close the container and let the rest of the post (or the
//! next summaries and the pagination) land outside it.
//!
//! [`contain`] removes that difference. It parses the fragment with html5ever, a complete
//! implementation of the HTML5 tree builder, in the context of a `<div>` — exactly what the
//! browser does for `inner_html` on the container — and serializes the resulting tree again
//! with every element explicitly closed and all text escaped. Pasted into a `<div>`, that
//! string builds the same tree, so the `</div>` after it closes the container and nothing
//! else. Comments, which show nothing, are dropped.

use crate::load::html_tree::{Arena, Kind, parse};
use html5ever::ns;

/// Parses `html` as the content of a `<div>`, as a browser does (the tree of
/// `load/html_tree.rs`), and serializes the tree again (see the module docs): the result,
/// pasted into any `<div>`, stays inside it.
pub fn contain(html: &str) -> String {
    let arena = parse(html);
    let mut out = String::with_capacity(html.len() + html.len() / 16 + 16);
    if let Some(root) = arena.root() {
        arena.write_children(root, &mut out);
    }
    out
}

impl Arena {
    /// Writes the children of node `id`, and theirs, in document order. Iterative, with
    /// its own stack of the elements being written, so a tree of any depth is written
    /// without recursion (posts are held to `quire_core::markdown::MAX_NESTING` levels
    /// when they are loaded; this does not rely on it).
    fn write_children(&self, id: usize, out: &mut String) {
        let mut open = vec![self.frame(id, None)];
        while let Some(frame) = open.last_mut() {
            let Some(&child) = self.nodes[frame.node].children.get(frame.next) else {
                if let Some(tag) = frame.end_tag {
                    out.push_str("</");
                    out.push_str(tag);
                    out.push('>');
                }
                open.pop();
                continue;
            };
            let first = frame.next == 0;
            frame.next += 1;
            match &self.nodes[child].kind {
                Kind::Text(t) => {
                    if first && frame.extra_newline && t.starts_with('\n') {
                        out.push('\n');
                    }
                    match frame.raw {
                        // Raw text cannot be escaped. Text that would end the element
                        // elsewhere on a second parse (only an unfinished end tag at the
                        // end of the input, or a script's `<!--` escapes, can leave one in
                        // it) is left out, so that the element ends where it ends here.
                        Some(name) if !raw_text_round_trips(t, name) => {}
                        Some(_) => out.push_str(t),
                        None => escape(t, false, out),
                    }
                }
                Kind::Element { .. } => {
                    if let Some(frame) = self.write_start_tag(child, out) {
                        open.push(frame);
                    }
                }
                Kind::Hidden | Kind::Document => {}
            }
        }
    }

    /// How the children of `node` are written, `end_tag` after them.
    fn frame<'s>(&'s self, node: usize, end_tag: Option<&'s str>) -> Frame<'s> {
        // Raw text elements hold their text unescaped, as the parser read it; a `<pre>`
        // whose text starts with a newline needs one more (the parser drops the first).
        let (raw, extra_newline) = match &self.nodes[node].kind {
            Kind::Element { name, .. } if name.ns == ns!(html) => (
                matches!(
                    &*name.local,
                    "style" | "script" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript"
                )
                .then_some(&*name.local),
                matches!(&*name.local, "pre" | "textarea" | "listing"),
            ),
            _ => (None, false),
        };
        Frame {
            node,
            next: 0,
            raw,
            extra_newline,
            end_tag,
        }
    }

    /// Writes an element's start tag; returns how to write its children and end tag (none
    /// for a void element).
    fn write_start_tag(&self, id: usize, out: &mut String) -> Option<Frame<'_>> {
        let Kind::Element {
            name,
            attrs,
            contents,
        } = &self.nodes[id].kind
        else {
            return None;
        };
        // `<plaintext>` turns the rest of the input into its text, whatever follows: no
        // markup after it could ever close it. It is written as the `<pre>` it looks like.
        let tag: &str = if name.ns == ns!(html) && &*name.local == "plaintext" {
            "pre"
        } else {
            &name.local
        };
        out.push('<');
        out.push_str(tag);
        for attr in attrs {
            out.push(' ');
            if let Some(prefix) = &attr.name.prefix {
                out.push_str(prefix);
                out.push(':');
            }
            out.push_str(&attr.name.local);
            out.push_str("=\"");
            escape(&attr.value, true, out);
            out.push('"');
        }
        out.push('>');
        if name.ns == ns!(html)
            && matches!(
                &*name.local,
                "area"
                    | "base"
                    | "basefont"
                    | "bgsound"
                    | "br"
                    | "col"
                    | "embed"
                    | "frame"
                    | "hr"
                    | "img"
                    | "input"
                    | "keygen"
                    | "link"
                    | "meta"
                    | "param"
                    | "source"
                    | "track"
                    | "wbr"
            )
        {
            return None;
        }
        Some(self.frame(contents.unwrap_or(id), Some(tag)))
    }
}

/// An element being written: the node whose children are written (a `<template>`'s
/// contents for a template), the next child, how its text is written, its end tag.
struct Frame<'a> {
    node: usize,
    next: usize,
    raw: Option<&'a str>,
    extra_newline: bool,
    end_tag: Option<&'a str>,
}

/// Whether `text`, written unescaped in the raw text element `name`, reads back as the same
/// text ending at the element's end tag: it holds no `</name` (ASCII case-insensitive) and,
/// in a script, no `<!--` (which enters the script's escaped states, where `</script>` may
/// not end it).
fn raw_text_round_trips(text: &str, name: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let ends_early = lower.contains(&format!("</{name}"));
    let escapes = name == "script" && lower.contains("<!--");
    !(ends_early || escapes)
}

/// Escapes text (`&`, no-break space, `<`, `>`) or a double-quoted attribute value (the
/// same, plus `"`), as HTML's serialization algorithm does. Works on bytes: every byte it
/// looks for is ASCII, or the first of U+00A0's two (0xC2 0xA0), so runs of other text are
/// copied whole.
fn escape(s: &str, attr: bool, out: &mut String) {
    let b = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        let (rep, len) = match b[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' if attr => ("&quot;", 1),
            0xC2 if b.get(i + 1) == Some(&0xA0) => ("&nbsp;", 2),
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&s[start..i]);
        out.push_str(rep);
        i += len;
        start = i;
    }
    out.push_str(&s[start..]);
}

#[cfg(test)]
mod tests {
    use super::contain;

    #[test]
    fn well_formed_markup_is_unchanged() {
        for html in [
            "<p>a <em>b</em> &amp; c</p>\n<h2 id=\"h-x\">X</h2>",
            "<ul>\n<li>one</li>\n</ul>\n<pre><code class=\"language-rust\">a &lt; b\n</code></pre>",
            "<p><img src=\"a.png\" alt=\"A &quot;q&quot;\"><br>x</p>",
            "<table><thead><tr><th align=\"left\">a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>",
        ] {
            assert_eq!(contain(html), html);
        }
    }

    #[test]
    fn closes_what_the_browser_would_close() {
        // A stray end tag goes; an open element is closed.
        assert_eq!(contain("a</div>b"), "ab");
        assert_eq!(contain("<details><b>x"), "<details><b>x</b></details>");
        // Any heading end tag closes the open heading.
        assert_eq!(contain("<h1>a</h2>b"), "<h1>a</h1>b");
        // A table inside a table closes the outer one; what stood between is fostered.
        assert_eq!(
            contain("<table><tr><td>x</td></tr>y<table>z"),
            "y<table><tbody><tr><td>x</td></tr></tbody></table>z<table></table>"
        );
        // A block start closes an open paragraph.
        assert_eq!(contain("<p>a<div>b</div>"), "<p>a</p><div>b</div>");
        // Formatting elements are reconstructed across blocks (adoption agency).
        assert_eq!(contain("<b>a<p>b</b>c</p>"), "<b>a</b><p><b>b</b>c</p>");
    }

    #[test]
    fn text_and_raw_text_are_written_as_read() {
        assert_eq!(contain("a &lt;b&gt; &amp;"), "a &lt;b&gt; &amp;");
        assert_eq!(
            contain("é&nbsp;\u{a0}<b title='&quot;\u{a0}é'>x</b>"),
            "é&nbsp;&nbsp;<b title=\"&quot;&nbsp;é\">x</b>"
        );
        assert_eq!(contain("<!-- c -->x"), "x");
        assert_eq!(contain("<pre>\n\nx</pre>"), "<pre>\n\nx</pre>");
        assert_eq!(
            contain("<script>if (a < b) {}</script>"),
            "<script>if (a < b) {}</script>"
        );
        // In SVG, <style> is not raw text: its text is escaped again.
        assert_eq!(
            contain("<svg><style>&lt;/style&gt;</style></svg>"),
            "<svg><style>&lt;/style&gt;</style></svg>"
        );
        assert_eq!(
            contain("<template><b>t</b></template>"),
            "<template><b>t</b></template>"
        );
    }
}
