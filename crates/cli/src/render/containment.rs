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

use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, ExpandedName, LocalName, Namespace, ParseOpts, QualName, ns};
use std::borrow::Cow;
use std::cell::RefCell;

/// Parses `html` as the content of a `<div>`, as a browser does, and serializes the tree
/// again (see the module docs): the result, pasted into any `<div>`, stays inside it.
pub fn contain(html: &str) -> String {
    let context = QualName::new(None, ns!(html), LocalName::from("div"));
    let sink = Arena::new();
    let parser = html5ever::parse_fragment(sink, ParseOpts::default(), context, Vec::new(), false);
    let arena = parser.one(StrTendril::from(html));
    let mut out = String::with_capacity(html.len() + html.len() / 16 + 16);
    // The fragment parser puts the content under an `html` element, the document's child.
    if let Some(&root) = arena.nodes[DOCUMENT].children.first() {
        arena.write_children(root, &mut out);
    }
    out
}

const DOCUMENT: usize = 0;

/// A node of the tree the parser builds.
struct Node {
    parent: Option<usize>,
    children: Vec<usize>,
    kind: Kind,
}

enum Kind {
    Document,
    Element {
        name: QualName,
        attrs: Vec<Attribute>,
        /// A `<template>`'s contents, a separate fragment node.
        contents: Option<usize>,
    },
    Text(StrTendril),
    /// Comments and processing instructions: kept in the tree, never written.
    Hidden,
}

/// A reference to a node; elements carry their name, which the tree builder asks for often.
#[derive(Clone)]
struct Handle {
    id: usize,
    name: QualName,
}

/// The parser's sink: an arena of nodes.
struct Sink {
    nodes: RefCell<Vec<Node>>,
}

/// The finished tree.
struct Arena {
    nodes: Vec<Node>,
}

impl Arena {
    #[allow(clippy::new_ret_no_self)]
    fn new() -> Sink {
        Sink {
            nodes: RefCell::new(vec![Node {
                parent: None,
                children: Vec::new(),
                kind: Kind::Document,
            }]),
        }
    }

    fn write_children(&self, id: usize, out: &mut String) {
        // Raw text elements hold their text unescaped, as the parser read it; a `<pre>`
        // whose text starts with a newline needs one more (the parser drops the first).
        let (raw, extra_newline) = match &self.nodes[id].kind {
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
        for (i, &child) in self.nodes[id].children.iter().enumerate() {
            match &self.nodes[child].kind {
                Kind::Text(t) => {
                    if i == 0 && extra_newline && t.starts_with('\n') {
                        out.push('\n');
                    }
                    match raw {
                        // Raw text cannot be escaped. Text that would end the element
                        // elsewhere on a second parse (only an unfinished end tag at the
                        // end of the input, or a script's `<!--` escapes, can leave one in
                        // it) is left out, so that the element ends where it ends here.
                        Some(name) if !raw_text_round_trips(t, name) => {}
                        Some(_) => out.push_str(t),
                        None => escape(t, false, out),
                    }
                }
                Kind::Element { .. } => self.write_element(child, out),
                Kind::Hidden | Kind::Document => {}
            }
        }
    }

    fn write_element(&self, id: usize, out: &mut String) {
        let Kind::Element {
            name,
            attrs,
            contents,
        } = &self.nodes[id].kind
        else {
            return;
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
            return;
        }
        self.write_children(contents.unwrap_or(id), out);
        out.push_str("</");
        out.push_str(tag);
        out.push('>');
    }
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

impl Sink {
    fn add(&self, kind: Kind) -> usize {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(Node {
            parent: None,
            children: Vec::new(),
            kind,
        });
        nodes.len() - 1
    }

    fn handle(id: usize) -> Handle {
        Handle {
            id,
            name: QualName::new(None, Namespace::from(""), LocalName::from("")),
        }
    }

    fn detach(nodes: &mut [Node], id: usize) {
        if let Some(parent) = nodes[id].parent.take() {
            let siblings = &mut nodes[parent].children;
            if let Some(at) = siblings.iter().rposition(|&c| c == id) {
                siblings.remove(at);
            }
        }
    }

    /// Inserts `child` into `parent` at `at`, merging text into an adjacent text node.
    fn insert(&self, parent: usize, at: Option<usize>, child: NodeOrText<Handle>) {
        let mut nodes = self.nodes.borrow_mut();
        let index = at.unwrap_or(nodes[parent].children.len());
        match child {
            NodeOrText::AppendText(text) => {
                if index > 0 {
                    let prev = nodes[parent].children[index - 1];
                    if let Kind::Text(t) = &mut nodes[prev].kind {
                        t.push_tendril(&text);
                        return;
                    }
                }
                nodes.push(Node {
                    parent: Some(parent),
                    children: Vec::new(),
                    kind: Kind::Text(text),
                });
                let id = nodes.len() - 1;
                nodes[parent].children.insert(index, id);
            }
            NodeOrText::AppendNode(h) => {
                Self::detach(&mut nodes, h.id);
                // Detaching may have shifted the index when the node sat before it.
                let index = match at {
                    Some(_) => index.min(nodes[parent].children.len()),
                    None => nodes[parent].children.len(),
                };
                nodes[h.id].parent = Some(parent);
                nodes[parent].children.insert(index, h.id);
            }
        }
    }
}

impl TreeSink for Sink {
    type Handle = Handle;
    type Output = Arena;
    type ElemName<'a> = ExpandedName<'a>;

    fn finish(self) -> Arena {
        Arena {
            nodes: self.nodes.into_inner(),
        }
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> Handle {
        Self::handle(DOCUMENT)
    }

    fn elem_name<'a>(&'a self, target: &'a Handle) -> ExpandedName<'a> {
        target.name.expanded()
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Handle {
        let contents = flags.template.then(|| self.add(Kind::Document));
        let id = self.add(Kind::Element {
            name: name.clone(),
            attrs,
            contents,
        });
        Handle { id, name }
    }

    fn create_comment(&self, _text: StrTendril) -> Handle {
        Self::handle(self.add(Kind::Hidden))
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Handle {
        Self::handle(self.add(Kind::Hidden))
    }

    fn append(&self, parent: &Handle, child: NodeOrText<Handle>) {
        self.insert(parent.id, None, child);
    }

    fn append_based_on_parent_node(
        &self,
        element: &Handle,
        prev_element: &Handle,
        child: NodeOrText<Handle>,
    ) {
        let has_parent = self.nodes.borrow()[element.id].parent.is_some();
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &Handle) -> Handle {
        let nodes = self.nodes.borrow();
        match &nodes[target.id].kind {
            Kind::Element {
                contents: Some(c), ..
            } => Self::handle(*c),
            _ => unreachable!("template contents asked of a non-template"),
        }
    }

    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        x.id == y.id
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &Handle, new_node: NodeOrText<Handle>) {
        let (parent, at) = {
            let mut nodes = self.nodes.borrow_mut();
            if let NodeOrText::AppendNode(h) = &new_node {
                Self::detach(&mut nodes, h.id);
            }
            let parent = nodes[sibling.id].parent.expect("sibling has a parent");
            let at = nodes[parent]
                .children
                .iter()
                .rposition(|&c| c == sibling.id)
                .expect("child of its parent");
            (parent, at)
        };
        self.insert(parent, Some(at), new_node);
    }

    fn add_attrs_if_missing(&self, target: &Handle, new: Vec<Attribute>) {
        let mut nodes = self.nodes.borrow_mut();
        if let Kind::Element { attrs, .. } = &mut nodes[target.id].kind {
            for attr in new {
                if !attrs.iter().any(|a| a.name == attr.name) {
                    attrs.push(attr);
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &Handle) {
        Self::detach(&mut self.nodes.borrow_mut(), target.id);
    }

    fn reparent_children(&self, node: &Handle, new_parent: &Handle) {
        let mut nodes = self.nodes.borrow_mut();
        let moved = std::mem::take(&mut nodes[node.id].children);
        for &c in &moved {
            nodes[c].parent = Some(new_parent.id);
        }
        nodes[new_parent.id].children.extend(moved);
    }
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
