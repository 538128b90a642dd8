//! URL slugs for terms, posts and heading anchors.

/// Lower case; every run of characters that are not letters or digits becomes `-`;
/// leading and trailing `-` trimmed. Non-ASCII letters and digits are kept
/// (`"Café Crème"` → `"café-crème"`), so every script gets readable URLs.
pub fn slugify(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut pending_dash = false;
    for c in input.chars() {
        if c.is_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.extend(c.to_lowercase());
        } else {
            pending_dash = true;
        }
    }
    out
}

/// True when `s` is already a slug: non-empty and `slugify(s) == s`.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty() && slugify(s) == s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercases_and_joins_runs() {
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(slugify("  Rust   &  Wasm  "), "rust-wasm");
        assert_eq!(slugify("Static Sites"), "static-sites");
        assert_eq!(slugify("C++ / C#"), "c-c");
        assert_eq!(slugify("v0.8 release"), "v0-8-release");
    }

    #[test]
    fn keeps_non_ascii_letters() {
        assert_eq!(slugify("Café Crème"), "café-crème");
        assert_eq!(slugify("Ünïcödé"), "ünïcödé");
        assert_eq!(slugify("日本語 タグ"), "日本語-タグ");
        assert_eq!(slugify("Straße"), "straße");
    }

    #[test]
    fn empty_and_symbol_only_inputs() {
        assert_eq!(slugify(""), "");
        assert_eq!(slugify("!!!"), "");
        assert_eq!(slugify("🚀"), "");
        assert_eq!(slugify("🚀 launch"), "launch");
    }

    #[test]
    fn case_variants_share_a_slug() {
        assert_eq!(slugify("Kubernetes"), slugify("kubernetes"));
        assert_eq!(slugify("Open Source"), slugify("open-source"));
        assert!(is_slug("open-source"));
        assert!(!is_slug("Open Source"));
        assert!(!is_slug(""));
    }
}
