//! Old addresses of a post (`aliases:` in its front matter), kept alive on a static host:
//! each alias as written is checked here and becomes an output folder.
//!
//! `quire build` writes `<alias>/index.html` for each alias: a small page with no script
//! that sends the reader on to `/post/<slug>` (a `<meta http-equiv="refresh">`, a canonical
//! link and a visible link, for readers whose browser does not follow the refresh). A
//! static host serves `/2019/08/13/slug/` from `2019/08/13/slug/index.html`, so no host
//! rules are needed. Query strings (`/?p=123`) cannot be aliases: a static host ignores
//! the query and serves the home page.

use crate::diag::Issue;
use quire_core::route::{decode_path, fold_case};
use std::collections::HashSet;

/// The longest name of one path segment most file systems take.
const MAX_SEGMENT_BYTES: usize = 255;

/// Checks one alias as written and returns its output folder (`2019/08/13/slug`:
/// percent-decoded, no leading or trailing slash), or a message.
pub fn normalize(alias: &str) -> Result<String, String> {
    let alias = alias.trim();
    if alias.contains("://") || alias.starts_with("//") {
        return Err(format!(
            "alias {alias:?} is a full URL: write the path alone, such as \"/2019/08/13/hello/\""
        ));
    }
    if !alias.starts_with('/') {
        return Err(format!(
            "alias {alias:?} must be a path from the site's root, starting with /"
        ));
    }
    if alias.contains(['?', '#']) {
        return Err(format!(
            "alias {alias:?} has a query or fragment: a static host ignores them (/?p=123 serves the home page), so only the path can be an alias"
        ));
    }
    let decoded = decode_path(alias);
    let mut segments = Vec::new();
    for seg in decoded.trim_matches('/').split('/') {
        if seg.is_empty() || seg == "." || seg == ".." {
            return Err(format!(
                "alias {alias:?} has an empty, \".\" or \"..\" segment"
            ));
        }
        if seg.contains(|c: char| c.is_control() || c == '\\') {
            return Err(format!(
                "alias {alias:?} has a control character or a backslash"
            ));
        }
        if seg.len() > MAX_SEGMENT_BYTES {
            return Err(format!(
                "alias {alias:?} has a segment longer than {MAX_SEGMENT_BYTES} bytes"
            ));
        }
        segments.push(seg);
    }
    let dir = segments.join("/");
    if dir.is_empty() {
        return Err(format!("alias {alias:?} is the home page"));
    }
    if dir.ends_with("index.html") || segments.last().is_some_and(|s| s.contains('.')) {
        return Err(format!(
            "alias {alias:?} names a file: an alias is a folder address such as \"/2019/08/13/hello/\""
        ));
    }
    Ok(dir)
}

/// Front matter's `aliases` list, checked: each one normalized, problems reported at
/// `line`, repeats within the post dropped (in any case: `/Old/` and `/old/` are one
/// folder on a case-insensitive host, see `load/checks.rs`).
pub fn check_list(items: Vec<String>, line: usize, issues: &mut Vec<Issue>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    let mut seen: HashSet<String> = HashSet::with_capacity(items.len());
    for item in items {
        match normalize(&item) {
            Ok(dir) if seen.insert(fold_case(&dir)) => out.push(dir),
            Ok(_) => {}
            Err(message) => issues.push(Issue::error(line, message)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_and_refuses() {
        assert_eq!(normalize("/2019/08/13/hello/").unwrap(), "2019/08/13/hello");
        assert_eq!(normalize("/archives/12").unwrap(), "archives/12");
        assert_eq!(normalize("/2019/%E6%BC%A2/").unwrap(), "2019/漢");
        let mut issues = Vec::new();
        let list = ["/Old/", "/old/", "/a/", "/a"].map(String::from).to_vec();
        assert_eq!(check_list(list, 3, &mut issues), ["Old", "a"]);
        assert!(issues.is_empty());
        for bad in [
            "2019/x/",
            "https://old.example/2019/x/",
            "/?p=12",
            "/a/?x=1",
            "/",
            "/a/../b/",
            "/a//b/",
            "/a/%2e%2e/",
            "/feed.xml",
            "/a/index.html",
        ] {
            assert!(normalize(bad).is_err(), "{bad}");
        }
    }
}
