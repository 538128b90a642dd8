//! Ids the content creates, and how a rendering keeps them apart from the app's and from
//! another rendering's on the same page (see `render_scoped`).

use pulldown_cmark::CowStr;

/// Every heading id starts with this (`## Intro` → `id="h-intro"`).
pub const HEADING_ID_PREFIX: &str = "h-";
/// Footnote definitions get `id="fn-<n>"`, numbered in order of first use.
pub const FOOTNOTE_ID_PREFIX: &str = "fn-";
/// Separates a scope from the rest of an id (`h-s3_intro`). Slugs never hold it (every
/// character that is not a letter or digit becomes `-`), so a scoped id can never equal
/// an unscoped one, nor one of another scope.
pub const SCOPE_SEPARATOR: char = '_';

/// The id `prefix` + `rest` in `scope` (see `render_scoped`).
pub(super) fn scoped_id(prefix: &str, scope: &str, rest: &str) -> String {
    if scope.is_empty() {
        format!("{prefix}{rest}")
    } else {
        format!("{prefix}{scope}{SCOPE_SEPARATOR}{rest}")
    }
}

/// A link to `#h-…` or `#fn-…` (an id the content creates), moved into `scope`.
pub(super) fn scoped_fragment<'a>(url: CowStr<'a>, scope: &str) -> CowStr<'a> {
    if scope.is_empty() {
        return url;
    }
    let Some(fragment) = url.strip_prefix('#') else {
        return url;
    };
    for prefix in [HEADING_ID_PREFIX, FOOTNOTE_ID_PREFIX] {
        if let Some(rest) = fragment.strip_prefix(prefix) {
            return format!("#{}", scoped_id(prefix, scope, rest)).into();
        }
    }
    url
}
