//! The text of a post's headings, for the index's heading field: a word a post puts in a
//! heading is what the post is about, so it weighs more than the same word in a paragraph.
//! Build-time only (the app never calls it).

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// The text of every heading of `markdown`, one space between headings (links, emphasis
/// and code inside a heading keep their text).
pub fn heading_text(markdown: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for event in Parser::new_ext(markdown, crate::markdown::options()) {
        match event {
            Event::Start(Tag::Heading { .. }) => depth += 1,
            Event::End(TagEnd::Heading(_)) => {
                depth = depth.saturating_sub(1);
                out.push(' ');
            }
            Event::Text(t) | Event::Code(t) if depth > 0 => out.push_str(&t),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::heading_text;

    #[test]
    fn only_headings_are_kept() {
        let t = heading_text("# Sowing *beans*\n\nA paragraph.\n\n## The `seed` box\n\ntext");
        assert_eq!(
            t.split_whitespace().collect::<Vec<_>>(),
            ["Sowing", "beans", "The", "seed", "box"]
        );
    }
}
