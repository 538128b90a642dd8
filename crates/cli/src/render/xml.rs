//! XML text escaping, shared by [`super::feed`] and [`super::sitemap`].

/// Escapes text for XML content and attribute values, dropping characters XML 1.0
/// cannot carry at all (C0 controls other than tab, newline and carriage return,
/// U+FFFE, U+FFFF).
pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_drops_what_xml_cannot_hold() {
        assert_eq!(
            escape_xml("a<b>&\"c\"'\u{1}\u{b}\tz\u{fffe}"),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;\tz"
        );
        assert_eq!(escape_xml("café 日本 🚀"), "café 日本 🚀");
    }
}
