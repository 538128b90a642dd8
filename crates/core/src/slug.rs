//! URL slugs for terms, posts and heading anchors: the one set of slug rules, used by the
//! CLI (terms, post files, the importer) and the app alike.

/// Slugs longer than this (in bytes) are cut, so every route fits in a file name.
pub const MAX_SLUG_BYTES: usize = 120;

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

/// A term's URL slug: [`slugify`], or, when the name has no letter or digit at all
/// (`"🚀"`, `"!!!"`), its code points (`u1f680`), so no term is lost; at most
/// [`MAX_SLUG_BYTES`]. Empty only for an empty or all-whitespace name.
pub fn term_slug(name: &str) -> String {
    let mut slug = slugify(name);
    if slug.is_empty() {
        slug = name
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| format!("u{:x}", c as u32))
            .collect::<Vec<_>>()
            .join("-");
    }
    cut_slug(slug)
}

fn cut_slug(mut slug: String) -> String {
    if slug.len() > MAX_SLUG_BYTES {
        let mut end = MAX_SLUG_BYTES;
        while !slug.is_char_boundary(end) {
            end -= 1;
        }
        slug.truncate(end);
        while slug.ends_with('-') {
            slug.pop();
        }
    }
    slug
}

/// The default slug of a post file: its name without `.md` and without a leading
/// `YYYY-MM-DD-`, as a [`term_slug`].
pub fn slug_from_file_name(file_name: &str) -> String {
    let stem = file_name
        .strip_suffix(".md")
        .or_else(|| file_name.strip_suffix(".MD"))
        .unwrap_or(file_name);
    let dated =
        stem.len() > 11 && stem.as_bytes()[10] == b'-' && crate::date::day_shape(stem).is_some();
    let rest = if dated { &stem[11..] } else { stem };
    term_slug(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_from_file_names() {
        assert_eq!(
            slug_from_file_name("2024-03-01-hello-world.md"),
            "hello-world"
        );
        assert_eq!(slug_from_file_name("Hello World.md"), "hello-world");
        assert_eq!(slug_from_file_name("2024-03-01.md"), "2024-03-01");
        assert_eq!(slug_from_file_name("2024-03-01-🚀.md"), "u1f680");
        assert_eq!(slug_from_file_name("2024-03-01-Café.md"), "café");
    }

    #[test]
    fn term_slugs_never_lose_a_term() {
        assert_eq!(term_slug("Static Sites"), "static-sites");
        assert_eq!(term_slug("🚀"), "u1f680");
        assert_eq!(term_slug("!!"), "u21-u21");
        assert_eq!(term_slug("  "), "");
        let long = "a".repeat(400);
        assert_eq!(term_slug(&long).len(), MAX_SLUG_BYTES);
        let cjk = "漢".repeat(100);
        let s = term_slug(&cjk);
        assert!(s.len() <= MAX_SLUG_BYTES && s.chars().all(|c| c == '漢'));
    }

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
