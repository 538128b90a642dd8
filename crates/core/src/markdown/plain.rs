//! Markdown to plain text, for meta descriptions and feed summaries.

use pulldown_cmark::{Event, Parser, TagEnd};

/// The text of a Markdown snippet without markup, whitespace collapsed (for meta
/// descriptions and feed summaries).
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, super::syntax::options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            // Blocks end with a space; inline elements (emphasis, links…) run on.
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::Superscript
                | TagEnd::Subscript,
            ) => {}
            Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            plain_text("A *b* `c` [d](e)\nnext <b>x</b>"),
            "A b c d next x"
        );
        assert_eq!(plain_text("# T\n\npara"), "T para");
        assert_eq!(
            plain_text("Given *here*. And [a link](x), **b**!"),
            "Given here. And a link, b!"
        );
        assert_eq!(plain_text("- one\n- two"), "one two");
    }
}
