//! The table of contents a post with `toc: true` shows on top: a nested list of links to
//! its headings' ids (the ones the renderer gives them anyway), built in the renderer so
//! that the route file and the app show the same one.

use crate::text::escape_html;

/// One heading: its level (1–6), its id and its text.
pub(super) struct Entry {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// `<nav class="toc">` with nested lists, one level of nesting a deeper heading; `""`
/// when there are no headings. Linear in the headings; always balanced.
pub(super) fn html(entries: &[Entry]) -> String {
    if entries.is_empty() {
        return String::new();
    }
    let mut out = String::from("<nav class=\"toc\" aria-label=\"Contents\">");
    // Levels of the open lists, outermost first.
    let mut open: Vec<u8> = Vec::new();
    for e in entries {
        while open.len() > 1 && open.last().is_some_and(|&top| e.level < top) {
            out.push_str("</li></ul>");
            open.pop();
        }
        match open.last_mut() {
            Some(top) if e.level <= *top => {
                out.push_str("</li><li>");
                *top = e.level;
            }
            _ => {
                out.push_str("<ul><li>");
                open.push(e.level);
            }
        }
        out.push_str("<a href=\"#");
        out.push_str(&escape_html(&e.id));
        out.push_str("\">");
        out.push_str(&escape_html(&e.text));
        out.push_str("</a>");
    }
    for _ in open {
        out.push_str("</li></ul>");
    }
    out.push_str("</nav>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(level: u8, id: &str) -> Entry {
        Entry {
            level,
            id: id.into(),
            text: id.to_uppercase(),
        }
    }

    #[test]
    fn nests_by_level() {
        let html = html(&[
            e(2, "a"),
            e(3, "b"),
            e(3, "c"),
            e(2, "d"),
            e(4, "f"),
            e(1, "g"),
        ]);
        assert_eq!(
            html,
            "<nav class=\"toc\" aria-label=\"Contents\"><ul><li><a href=\"#a\">A</a><ul><li><a href=\"#b\">B</a></li><li><a href=\"#c\">C</a></li></ul></li><li><a href=\"#d\">D</a><ul><li><a href=\"#f\">F</a></li></ul></li><li><a href=\"#g\">G</a></li></ul></nav>\n"
        );
        assert_eq!(html.matches("<ul>").count(), html.matches("</ul>").count());
        assert_eq!(html.matches("<li>").count(), html.matches("</li>").count());
        assert_eq!(super::html(&[]), "");
    }
}
