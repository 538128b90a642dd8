//! TOML tables with the line of each top-level key, from the `toml` crate's spans.

use crate::diag::line_of_offset;
use std::collections::{BTreeMap, HashMap};
use toml::Spanned;

/// Parses `text` as a TOML table; also returns the 1-based line (in `text`) of each
/// top-level key: for a `[table]` or `[[array]]`, the line of its first header.
pub fn parse(text: &str) -> Result<(toml::Table, HashMap<String, usize>), toml::de::Error> {
    let spanned: BTreeMap<Spanned<String>, toml::Value> = toml::from_str(text)?;
    let mut table = toml::Table::new();
    let mut lines = HashMap::with_capacity(spanned.len());
    for (key, value) in spanned {
        let line = line_of_offset(text, key.span().start);
        let key = key.into_inner();
        lines.insert(key.clone(), line);
        table.insert(key, value);
    }
    Ok((table, lines))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_headers_carry_their_lines() {
        let (table, lines) = parse(
            "# c\ntitle = \"a\"\n\"date\" = 1\n\n[[social]]\nname = \"x\"\n[[social]]\nname = \"y\"\n[t]\nslug = 2\n",
        )
        .unwrap();
        assert_eq!(lines["title"], 2);
        assert_eq!(lines["date"], 3);
        assert_eq!(lines["social"], 5);
        assert_eq!(lines["t"], 9);
        assert!(!lines.contains_key("slug"), "nested keys are not top-level");
        assert_eq!(table["social"].as_array().unwrap().len(), 2);
        assert_eq!(table.len(), lines.len());
    }

    #[test]
    fn errors_keep_their_span() {
        let e = parse("a = 1\nb = [\n").unwrap_err();
        assert!(
            e.span()
                .is_some_and(|s| line_of_offset("a = 1\nb = [\n", s.start) >= 2)
        );
    }
}
