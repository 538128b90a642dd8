//! Makes rendered HTML a self-contained fragment, so it can be embedded in any container
//! markup (`<div class="post-body">{html}</div>`) without touching what is around it:
//! every element it opens is closed inside it, and no end tag closes anything it did not
//! open. Raw HTML in posts needs this: the sanitizer keeps `</b>` because its `<b>` may be
//! in another Markdown event, and a stray `</div>` would otherwise close the container.
//!
//! Works on the renderer's own output, which is a well-formed token stream: every `<`
//! starts a tag whose attribute values have `>` escaped; text never holds a raw `<`.
//! Elements that only belong inside a parent (`li` in a list, `dd`/`dt` in `dl`, table
//! parts in a table) are dropped when that parent is not the innermost open element, so
//! that a browser's implicit end tags (an `<li>` closes an open `li` further up) cannot
//! reach outside either.

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
        _ => &[],
    }
}

/// Balances `html` (see the module docs).
pub fn balance(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 16);
    let mut stack: Vec<&str> = Vec::new();
    let mut open: HashMap<&str, usize> = HashMap::new();
    // Elements dropped for want of a parent, by name: their end tags go too.
    let mut dropped: HashMap<&str, usize> = HashMap::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        let Some(gt) = rest.find('>') else {
            // Not the renderer's output: keep it inert.
            out.push_str(&crate::text::escape_html(rest));
            return close_all(out, &stack);
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
            if open.get(name).copied().unwrap_or(0) == 0 {
                continue; // closes nothing of ours
            }
            while let Some(top) = stack.pop() {
                *open.get_mut(top).expect("counted") -= 1;
                out.push_str("</");
                out.push_str(top);
                out.push('>');
                if top == name {
                    break;
                }
            }
        } else if VOID.contains(&name) {
            out.push_str(tag);
        } else {
            if let Some(parents) = required_parent(name) {
                // Close open siblings first (`<li>a<li>b`), then insist on the parent.
                while let Some(&top) = stack.last()
                    && closed_by(name).contains(&top)
                {
                    stack.pop();
                    *open.get_mut(top).expect("counted") -= 1;
                    out.push_str("</");
                    out.push_str(top);
                    out.push('>');
                }
                if !stack.last().is_some_and(|top| parents.contains(top)) {
                    *dropped.entry(name).or_insert(0) += 1;
                    continue;
                }
            }
            stack.push(name);
            *open.entry(name).or_insert(0) += 1;
            out.push_str(tag);
        }
    }
    out.push_str(rest);
    close_all(out, &stack)
}

fn close_all(mut out: String, stack: &[&str]) -> String {
    for name in stack.iter().rev() {
        out.push_str("</");
        out.push_str(name);
        out.push('>');
    }
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
    fn deep_nesting_and_many_strays_stay_linear() {
        let open = "<div>".repeat(30_000);
        let strays = "</span>".repeat(30_000);
        let out = balance(&format!("{open}{strays}"));
        assert_eq!(out.matches("</div>").count(), 30_000);
        assert!(!out.contains("</span>"));
    }
}
