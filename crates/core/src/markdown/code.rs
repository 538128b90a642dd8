//! Highlighted code blocks from token runs. `quire build` highlights every fenced block
//! natively (no grammar ever reaches the browser) and ships, per block, a compact list of
//! runs: a class letter and a byte length each. This module turns a block's text and its
//! runs into `<span class="hl-…">` markup, for the route files and the app alike, so both
//! write the very same DOM.
//!
//! The runs come from a file anyone could have edited, so nothing in them is trusted:
//! an unknown letter, a length of 0, a run that splits a character, or runs that do not
//! add up to the block's text exactly leave the block plain. Only the fixed class names
//! of [`CODE_CLASSES`] are ever written, never a `style`, and the text is escaped, so the
//! text of the block is always its source.

// Called the way pulldown-cmark's own writer calls it (`&mut FmtWriter<&mut String>`), so
// the Wasm holds one copy of the function, not two.
use pulldown_cmark_escape::{FmtWriter, escape_html_body_text};

/// The token classes a run may carry: its letter in the runs, and the class the span gets
/// (`hl-<name>`; style/main.css colours them). `x` is plain text (no span).
pub const CODE_CLASSES: [(u8, &str); 8] = [
    (b'k', "keyword"),
    (b's', "string"),
    (b'c', "comment"),
    (b'n', "number"),
    (b'f', "function"),
    (b't', "type"),
    (b'b', "constant"),
    (b'p', "property"),
];

/// The letter of a run without a class.
pub const PLAIN: u8 = b'x';

/// The class name of a run letter: `Some(None)` for plain text, `None` for a letter that
/// is not one.
fn class_of(letter: u8) -> Option<Option<&'static str>> {
    if letter == PLAIN {
        return Some(None);
    }
    CODE_CLASSES
        .iter()
        .find(|(l, _)| *l == letter)
        .map(|(_, name)| Some(*name))
}

/// Splits `runs` into `(class, length)` pairs, if each is a known letter followed by a
/// length of 1 or more.
fn parse(runs: &str) -> Option<Vec<(Option<&'static str>, usize)>> {
    let mut out = Vec::new();
    let bytes = runs.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let class = class_of(bytes[i])?;
        i += 1;
        let start = i;
        let mut len: usize = 0;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            len = len
                .checked_mul(10)?
                .checked_add((bytes[i] - b'0') as usize)?;
            i += 1;
        }
        if i == start || len == 0 {
            return None;
        }
        out.push((class, len));
    }
    Some(out)
}

/// The inside of a `<code>` element for `text` cut by `runs`: spans with classes, text
/// escaped. `None` when the runs do not fit the text (the caller writes it plain).
pub fn highlighted(text: &str, runs: &str) -> Option<String> {
    if runs.is_empty() {
        return None;
    }
    let runs = parse(runs)?;
    let mut out = String::with_capacity(text.len() * 2);
    let mut at = 0usize;
    for (class, len) in runs {
        let end = at.checked_add(len)?;
        let piece = text.get(at..end)?;
        match class {
            Some(name) => {
                out.push_str("<span class=\"hl-");
                out.push_str(name);
                out.push_str("\">");
                escape_html_body_text(&mut FmtWriter(&mut out), piece).ok()?;
                out.push_str("</span>");
            }
            None => escape_html_body_text(&mut FmtWriter(&mut out), piece).ok()?,
        }
        at = end;
    }
    (at == text.len()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_become_spans() {
        assert_eq!(
            highlighted("fn a<b>()", "k2x1f1x5").as_deref(),
            Some(
                "<span class=\"hl-keyword\">fn</span> <span class=\"hl-function\">a</span>&lt;b&gt;()"
            )
        );
    }

    #[test]
    fn runs_that_do_not_fit_are_refused() {
        for runs in [
            "",
            "k2",
            "k2x100",
            "q9",
            "k0x9",
            "k",
            "2",
            "k2x1f1x6",
            "x99999999999999999999999",
        ] {
            assert_eq!(highlighted("fn a<b>()", runs), None, "{runs}");
        }
        // A run may not split a character.
        assert_eq!(highlighted("é", "k1x1"), None);
        assert!(highlighted("é", "k2").is_some());
    }
}
