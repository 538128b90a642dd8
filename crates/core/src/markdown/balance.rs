//! Makes rendered HTML a self-contained fragment, so it can be embedded in any container
//! markup (`<div class="post-body">{html}</div>`) without touching what is around it:
//! every element it opens is closed inside it, and no end tag closes anything it did not
//! open. Raw HTML in posts needs this: the sanitizer keeps `</b>` because its `<b>` may be
//! in another Markdown event, and a stray `</div>` would otherwise close the container.
//!
//! Works on the renderer's own output, which is a well-formed token stream: every `<`
//! starts a tag whose attribute values have `>` escaped; text never holds a raw `<`.
//!
//! The output is *strict*: every start tag it writes is one a browser's tree builder
//! inserts as a child of the current element without closing anything, and every end tag
//! closes exactly the current element. So the browser's stack of open elements follows
//! ours step by step, and the final end tags leave it as it was. To get there, what the
//! tree builder would do implicitly (HTML § 13.2.6.4.7, "in body", and the table modes) is
//! either written out explicitly or the tag is dropped:
//!
//! - a block start (`div`, `p`, `ul`, `table`, `h1`–`h6`, `hr`, `pre`, `blockquote`,
//!   `details`, …) closes an open `p` in button scope, and the elements above it;
//! - a heading start closes a heading that is the current element;
//! - an `a` start closes an open `a` (unless a table cell or caption lies between), as the
//!   adoption agency would;
//! - `rt` and `rp` close the `rb`, `rt`, `rp`, `rtc`, `p`, `li`, `dd`, `dt` above an open
//!   `ruby`, as the tree builder's implied end tags do;
//! - elements that only belong inside a parent (`li` in a list, `dd`/`dt` in `dl`, table
//!   parts in a table) are dropped when that parent is not the current element (after the
//!   siblings they close are closed: `<li>a<li>b` is two items);
//! - inside a table, outside its cells, any other start tag is dropped (the browser would
//!   foster-parent it, or, for `table`, close the outer table);
//! - an end tag closes the elements above its element explicitly; an end tag of any
//!   heading level closes the open heading (in scope), as in a browser; one that matches
//!   nothing open is dropped (`</p>` would create a paragraph in a browser). Formatting
//!   elements are closed only by their own end tags, so the adoption agency never moves
//!   anything.
//!
//! Every decision looks at the top of the stack or at a per-entry record of the nearest
//! `p`, `a` and `ruby` below it, so the whole pass is linear.

use std::collections::HashMap;

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// The parents an element needs as the innermost open element, if it needs one.
fn required_parent(name: &str) -> Option<&'static [&'static str]> {
    match name {
        "li" => Some(&["ul", "ol"]),
        "dd" | "dt" => Some(&["dl"]),
        "tr" => Some(&["table", "thead", "tbody", "tfoot"]),
        "td" | "th" => Some(&["tr"]),
        "thead" | "tbody" | "tfoot" | "caption" => Some(&["table"]),
        _ => None,
    }
}

/// Elements a new `name` implicitly closes when one is the innermost open element, as a
/// browser does (`<li>a<li>b` is two items).
fn closed_by(name: &str) -> &'static [&'static str] {
    match name {
        "li" => &["li"],
        "dd" | "dt" => &["dd", "dt"],
        "td" | "th" => &["td", "th"],
        "tr" => &["tr", "td", "th"],
        "thead" | "tbody" | "tfoot" => &["thead", "tbody", "tfoot", "tr", "td", "th"],
        "rt" | "rp" => &["rb", "rt", "rp", "rtc", "p", "li", "dd", "dt"],
        _ => &[],
    }
}

/// Start tags that close a `p` in button scope (HTML's "close a p element").
fn closes_p(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "center"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "header"
            | "hgroup"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "search"
            | "section"
            | "summary"
            | "ul"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "pre"
            | "listing"
            | "li"
            | "dd"
            | "dt"
            | "table"
            | "hr"
            | "form"
            | "plaintext"
            | "xmp"
    )
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// Elements that end "has an element in scope" searches (of the ones that can occur here;
/// `button` scope adds `button`).
fn scope_boundary(name: &str) -> bool {
    matches!(
        name,
        "table"
            | "td"
            | "th"
            | "caption"
            | "html"
            | "template"
            | "applet"
            | "marquee"
            | "object"
            | "button"
    )
}

/// Table contexts: the current element in the table modes outside cells and captions.
fn table_context(name: &str) -> bool {
    matches!(name, "table" | "thead" | "tbody" | "tfoot" | "tr")
}

/// Table parts that may be the child of a table context.
fn table_part(name: &str) -> bool {
    matches!(
        name,
        "caption" | "thead" | "tbody" | "tfoot" | "tr" | "td" | "th" | "colgroup" | "col"
    )
}

/// An open element, with the positions of the nearest `p` in button scope, heading and
/// `ruby` in scope, and `a` after the last marker, at or below it.
struct Frame<'a> {
    name: &'a str,
    p: Option<usize>,
    heading: Option<usize>,
    a: Option<usize>,
    ruby: Option<usize>,
}

struct Stack<'a> {
    frames: Vec<Frame<'a>>,
    open: HashMap<&'a str, usize>,
}

impl<'a> Stack<'a> {
    fn top(&self) -> Option<&'a str> {
        self.frames.last().map(|f| f.name)
    }

    fn push(&mut self, name: &'a str) {
        let below = self.frames.last();
        let at = self.frames.len();
        let inherit = |f: fn(&Frame<'a>) -> Option<usize>| below.and_then(f);
        let boundary = scope_boundary(name);
        let frame = Frame {
            name,
            p: if name == "p" {
                Some(at)
            } else if boundary {
                None
            } else {
                inherit(|f| f.p)
            },
            heading: if is_heading(name) {
                Some(at)
            } else if boundary && name != "button" {
                None
            } else {
                inherit(|f| f.heading)
            },
            a: if name == "a" {
                Some(at)
            } else if matches!(name, "td" | "th" | "caption" | "template" | "object") {
                None
            } else {
                inherit(|f| f.a)
            },
            ruby: if name == "ruby" {
                Some(at)
            } else if boundary && name != "button" {
                None
            } else {
                inherit(|f| f.ruby)
            },
        };
        self.frames.push(frame);
        *self.open.entry(name).or_insert(0) += 1;
    }

    /// Closes the top element, writing its end tag.
    fn pop(&mut self, out: &mut String) -> Option<&'a str> {
        let frame = self.frames.pop()?;
        *self.open.get_mut(frame.name).expect("counted") -= 1;
        out.push_str("</");
        out.push_str(frame.name);
        out.push('>');
        Some(frame.name)
    }

    /// Closes every element down to and including the one at `at`.
    fn close_to(&mut self, at: usize, out: &mut String) {
        while self.frames.len() > at {
            self.pop(out);
        }
    }
}

/// Balances `html` (see the module docs).
pub fn balance(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 16);
    let mut stack = Stack {
        frames: Vec::new(),
        open: HashMap::new(),
    };
    // Elements dropped, by name: their end tags go too.
    let mut dropped: HashMap<&str, usize> = HashMap::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        let Some(gt) = rest.find('>') else {
            // Not the renderer's output: keep it inert.
            out.push_str(&crate::text::escape_html(rest));
            return close_all(out, stack);
        };
        let tag = &rest[..=gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with("</");
        let name_start = if closing { 2 } else { 1 };
        let name_len = tag[name_start..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(tag.len() - name_start);
        let name = &tag[name_start..name_start + name_len];
        if name.is_empty() {
            out.push_str(&crate::text::escape_html(tag));
            continue;
        }
        if closing {
            if let Some(n) = dropped.get_mut(name).filter(|n| **n > 0) {
                *n -= 1; // the end of an element we dropped
                continue;
            }
            // An end tag of any heading level closes the open heading, as in a browser
            // (when one is open above every table cell: a cell is a scope boundary).
            let name = match stack.frames.last().and_then(|f| f.heading) {
                Some(at) if is_heading(name) && stack.open.get(name).copied().unwrap_or(0) == 0 => {
                    stack.frames[at].name
                }
                _ => name,
            };
            if stack.open.get(name).copied().unwrap_or(0) == 0 {
                continue; // closes nothing of ours
            }
            while let Some(top) = stack.pop(&mut out) {
                if top == name {
                    break;
                }
            }
            continue;
        }
        // Inside a table but outside its cells only table parts may start.
        if stack.top().is_some_and(table_context) && !table_part(name) {
            if !VOID.contains(&name) {
                *dropped.entry(name).or_insert(0) += 1;
            }
            continue;
        }
        if closes_p(name)
            && let Some(p) = stack.frames.last().and_then(|f| f.p)
        {
            stack.close_to(p, &mut out);
        }
        if is_heading(name) && stack.top().is_some_and(is_heading) {
            stack.pop(&mut out);
        }
        if name == "a"
            && let Some(a) = stack.frames.last().and_then(|f| f.a)
        {
            stack.close_to(a, &mut out);
        }
        if matches!(name, "rt" | "rp") && stack.frames.last().and_then(|f| f.ruby).is_some() {
            while stack
                .top()
                .is_some_and(|top| closed_by(name).contains(&top))
            {
                stack.pop(&mut out);
            }
        }
        if VOID.contains(&name) {
            out.push_str(tag);
            continue;
        }
        if let Some(parents) = required_parent(name) {
            // Close open siblings first (`<li>a<li>b`), then insist on the parent.
            while stack
                .top()
                .is_some_and(|top| closed_by(name).contains(&top))
            {
                stack.pop(&mut out);
            }
            if !stack.top().is_some_and(|top| parents.contains(&top)) {
                *dropped.entry(name).or_insert(0) += 1;
                continue;
            }
        }
        stack.push(name);
        out.push_str(tag);
    }
    out.push_str(rest);
    close_all(out, stack)
}

fn close_all(mut out: String, mut stack: Stack<'_>) -> String {
    while stack.pop(&mut out).is_some() {}
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closes_what_it_opened_and_drops_strays() {
        assert_eq!(balance("a</div>b"), "ab");
        assert_eq!(
            balance("<details><summary>s</summary>x"),
            "<details><summary>s</summary>x</details>"
        );
        assert_eq!(balance("<p>a <b>b</p> c</b>"), "<p>a <b>b</b></p> c");
        assert_eq!(
            balance("<div><p>t </div> more</p>"),
            "<div><p>t </p></div> more"
        );
        assert_eq!(
            balance("<p>x<br />y<img src=\"a\" /></p>"),
            "<p>x<br />y<img src=\"a\" /></p>"
        );
        assert_eq!(balance("</p></p><b>"), "<b></b>");
    }

    #[test]
    fn list_and_table_parts_need_their_parent() {
        assert_eq!(balance("<li>x</li>"), "x");
        assert_eq!(
            balance("<ul>\n<li>x</li>\n</ul>"),
            "<ul>\n<li>x</li>\n</ul>"
        );
        assert_eq!(
            balance("<dd>d</dd><dl><dt>t</dt></dl>"),
            "d<dl><dt>t</dt></dl>"
        );
        assert_eq!(balance("<td>c</td><tr>r"), "cr");
        // Browsers' implicit end tags, made explicit.
        assert_eq!(
            balance("<ul><li>a<li>b</li></ul>"),
            "<ul><li>a</li><li>b</li></ul>"
        );
        assert_eq!(
            balance("<dl><dt>t<dd>d</dl>"),
            "<dl><dt>t</dt><dd>d</dd></dl>"
        );
        // A dropped element's end tag is its own, not an ancestor's.
        assert_eq!(
            balance("<ul><li><b><li>x</li>y</b></li></ul>"),
            "<ul><li><b>xy</b></li></ul>"
        );
        assert_eq!(
            balance("<table><tr><td>c</td></tr></table>"),
            "<table><tr><td>c</td></tr></table>"
        );
    }

    #[test]
    fn block_starts_close_an_open_paragraph() {
        assert_eq!(balance("<p>a<div>b</div>"), "<p>a</p><div>b</div>");
        assert_eq!(balance("<p>a<b>c<hr />d"), "<p>a<b>c</b></p><hr />d");
        assert_eq!(
            balance("<p><span>a<ul><li>x</li></ul>"),
            "<p><span>a</span></p><ul><li>x</li></ul>"
        );
        assert_eq!(balance("<p>a<p>b"), "<p>a</p><p>b</p>");
        assert_eq!(balance("<p>a<table>"), "<p>a</p><table></table>");
        // A table cell is a scope boundary: the paragraph outside it stays open.
        assert_eq!(
            balance("<p><table><tr><td><div>x</div></td></tr></table></p>"),
            "<p></p><table><tr><td><div>x</div></td></tr></table>"
        );
        assert_eq!(
            balance("<table><tr><td><p>a<div>b"),
            "<table><tr><td><p>a</p><div>b</div></td></tr></table>"
        );
    }

    #[test]
    fn headings_close_as_a_browser_closes_them() {
        // A heading start closes a heading that is the current element.
        assert_eq!(balance("<h1>a<h2>b</h2>"), "<h1>a</h1><h2>b</h2>");
        // Not one further down: that nests, in a browser too.
        assert_eq!(
            balance("<h1><b><h2>x</h2></b></h1>"),
            "<h1><b><h2>x</h2></b></h1>"
        );
        // An end tag of another level closes the open heading, as in a browser.
        assert_eq!(balance("<h1>a</h2>b</h1>"), "<h1>a</h1>b");
        assert_eq!(balance("<h1><b>a</h6>b"), "<h1><b>a</b></h1>b");
        // Not across a table cell, where the heading is out of scope.
        assert_eq!(
            balance("<h1><table><tr><td>a</h2>b</td></tr></table></h1>"),
            "<h1><table><tr><td>ab</td></tr></table></h1>"
        );
    }

    #[test]
    fn anchors_do_not_nest() {
        assert_eq!(
            balance("<a href=\"/x\">a<a href=\"/y\">b</a>"),
            "<a href=\"/x\">a</a><a href=\"/y\">b</a>"
        );
        assert_eq!(
            balance("<a>a<h2>h <a class=\"anchor\">#</a></h2>"),
            "<a>a<h2>h </h2></a><a class=\"anchor\">#</a>"
        );
        // Inside a table cell an anchor may hold another.
        assert_eq!(
            balance("<a><table><tr><td><a>x</a></td></tr></table></a>"),
            "<a><table><tr><td><a>x</a></td></tr></table></a>"
        );
    }

    #[test]
    fn ruby_annotations_close_their_siblings() {
        assert_eq!(
            balance("<ruby>a<rt>x<rp>(<rt>y</ruby>"),
            "<ruby>a<rt>x</rt><rp>(</rp><rt>y</rt></ruby>"
        );
        assert_eq!(
            balance("<ruby><p>a<rt>x</ruby>"),
            "<ruby><p>a</p><rt>x</rt></ruby>"
        );
        // Without a ruby, an rt is an ordinary element.
        assert_eq!(balance("<p>a<rt>x</rt></p>"), "<p>a<rt>x</rt></p>");
    }

    #[test]
    fn tables_hold_only_table_parts_outside_cells() {
        // A table inside a table (outside a cell) would close the outer one.
        assert_eq!(
            balance("<table><tr><td>x</td></tr><table><tr><td>y</td></tr></table></table>"),
            "<table><tr><td>x</td></tr><tr><td>y</td></tr></table>"
        );
        // Anything else would be foster-parented out of the table.
        assert_eq!(
            balance("<table><div>a</div><p>b</p><tr><td>c</td></tr></table>"),
            "<table>ab<tr><td>c</td></tr></table>"
        );
        assert_eq!(
            balance("<table><tr><td><table><tr><td>n</td></tr></table></td></tr></table>"),
            "<table><tr><td><table><tr><td>n</td></tr></table></td></tr></table>"
        );
    }

    #[test]
    fn deep_nesting_and_many_strays_stay_linear() {
        let open = "<div>".repeat(30_000);
        let strays = "</span>".repeat(30_000);
        let out = balance(&format!("{open}{strays}"));
        assert_eq!(out.matches("</div>").count(), 30_000);
        assert!(!out.contains("</span>"));
    }
}
