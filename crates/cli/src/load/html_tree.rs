//! The tree html5ever's tree builder makes of an HTML fragment, as a browser's `innerHTML`
//! on a `<div>` makes it: an arena of nodes, built by a [`TreeSink`] that never recurses.
//! Two stages read it: the load stage, to know how deep a `trust` post's HTML nests
//! ([`nesting`], see `load/depth.rs`), and the render stage, which writes the tree back as
//! the contained HTML of route files (`render/containment.rs`).

use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, ExpandedName, LocalName, Namespace, ParseOpts, QualName, ns};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};

/// Parses `html` as the content of a `<div>`, as a browser does.
pub fn parse(html: &str) -> Arena {
    parser().one(StrTendril::from(html))
}

fn parser() -> html5ever::Parser<Sink> {
    let context = QualName::new(None, ns!(html), LocalName::from("div"));
    html5ever::parse_fragment(
        Sink::new(),
        ParseOpts::default(),
        context,
        Vec::new(),
        false,
    )
}

/// How much input the parser takes between two looks at the depth (see [`nesting`]).
const CHUNK_BYTES: usize = 2048;

/// How many levels deep the tree of `html` (as a `<div>`'s content) nests: the deepest an
/// element is while the tree builder builds it, or in the finished tree. Stops reading
/// once the tree is deeper than `stop_above` and returns that depth: the tree builder
/// searches its stack of open elements for most tags, so a very deep tree costs depth ×
/// tags, and the chunks keep the stack within a few thousand of the limit.
pub fn nesting(html: &str, stop_above: usize) -> usize {
    let mut parser = parser();
    let mut rest = html;
    while !rest.is_empty() {
        let mut cut = rest.len().min(CHUNK_BYTES);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        parser.process(StrTendril::from(&rest[..cut]));
        rest = &rest[cut..];
        // The document is level 0 and the fragment's `html` root level 1.
        let reached = parser.tokenizer.sink.sink.deepest.get().saturating_sub(1);
        if reached > stop_above {
            return reached;
        }
    }
    let sink_deepest = parser.tokenizer.sink.sink.deepest.get().saturating_sub(1);
    parser.finish().nesting().max(sink_deepest)
}

pub const DOCUMENT: usize = 0;

/// A node of the tree the parser builds.
pub struct Node {
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    pub kind: Kind,
    /// Levels below the document when the node was last inserted (a `<template>`'s
    /// contents: its template's). A subtree the tree builder moves keeps its old depths
    /// below its root: this is what the parse reached, [`Arena::nesting`] is exact.
    depth: usize,
}

pub enum Kind {
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
    /// The deepest any node has been inserted so far.
    deepest: Cell<usize>,
}

/// The finished tree.
pub struct Arena {
    pub nodes: Vec<Node>,
}

impl Sink {
    fn new() -> Sink {
        Sink {
            nodes: RefCell::new(vec![Node {
                parent: None,
                children: Vec::new(),
                kind: Kind::Document,
                depth: 0,
            }]),
            deepest: Cell::new(0),
        }
    }
}

impl Sink {
    fn add(&self, kind: Kind) -> usize {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(Node {
            parent: None,
            children: Vec::new(),
            kind,
            depth: 0,
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
                let depth = nodes[parent].depth + 1;
                nodes.push(Node {
                    parent: Some(parent),
                    children: Vec::new(),
                    kind: Kind::Text(text),
                    depth,
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
                let depth = nodes[parent].depth + 1;
                nodes[h.id].depth = depth;
                if let Kind::Element {
                    contents: Some(c), ..
                } = nodes[h.id].kind
                {
                    nodes[c].depth = depth;
                }
                self.deepest.set(self.deepest.get().max(depth));
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
        let depth = nodes[new_parent.id].depth + 1;
        for &c in &moved {
            nodes[c].parent = Some(new_parent.id);
            nodes[c].depth = depth;
        }
        self.deepest.set(self.deepest.get().max(depth));
        nodes[new_parent.id].children.extend(moved);
    }
}

impl Arena {
    /// The fragment's root: the parser puts the content under an `html` element, the
    /// document's child.
    pub fn root(&self) -> Option<usize> {
        self.nodes[DOCUMENT].children.first().copied()
    }

    /// How many levels deep the content nests (a `<template>`'s contents count below the
    /// template), walked without recursion.
    pub fn nesting(&self) -> usize {
        let Some(root) = self.root() else { return 0 };
        let mut deepest = 0;
        let mut todo = vec![(root, 0usize)];
        while let Some((id, depth)) = todo.pop() {
            deepest = deepest.max(depth);
            for &c in &self.nodes[id].children {
                match self.nodes[c].kind {
                    Kind::Element { contents, .. } => {
                        todo.push((c, depth + 1));
                        if let Some(t) = contents {
                            todo.push((t, depth + 1));
                        }
                    }
                    Kind::Text(_) | Kind::Hidden | Kind::Document => {}
                }
            }
        }
        deepest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_what_the_tree_builder_nests() {
        assert_eq!(nesting("", 100), 0);
        assert_eq!(nesting("text", 100), 0);
        assert_eq!(nesting("<p>a<p>b<p>c", 100), 1);
        assert_eq!(nesting("<div><b>x</div></b>", 100), 2);
        assert_eq!(nesting("<table><td>x", 100), 4); // table > tbody > tr > td
        assert_eq!(nesting("<template><b><i>x</i></b></template>", 100), 3);
        // Reconstructed formatting elements nest too.
        assert_eq!(nesting("<b class=1><b class=2><b class=3><p>x", 100), 4);
        assert_eq!(nesting(&"<div>".repeat(50), 100), 50);
    }

    #[test]
    fn stops_soon_after_the_limit() {
        let html = "<div>".repeat(200_000);
        let started = std::time::Instant::now();
        let n = nesting(&html, 100);
        assert!(n > 100 && n < 100 + CHUNK_BYTES, "{n}");
        assert!(started.elapsed().as_secs() < 5);
    }
}
