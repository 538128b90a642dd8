//! How the pages word and render things: counts, reading time, page and month headings,
//! the tag cloud's weights, and post summaries and bodies as HTML (the same functions for
//! the app and the CLI's route files, so both render a post alike).

/// A post's summary as a list page shows it (ids scoped to the post, so that the
/// summaries on one page never share an id). Used by the app and the prerenderer alike.
pub fn summary_html(markdown: &str, policy: quire_core::RawHtml, pos: usize) -> String {
    quire_core::markdown::render_scoped(markdown, policy, &format!("s{pos}"))
}

/// A post's body as its page shows it: its Markdown with what the build worked out
/// (highlighted code, image sizes, table of contents).
pub fn body_html(body: &quire_core::bundle::Body, policy: quire_core::RawHtml) -> String {
    quire_core::markdown::render_body(body, policy)
}

/// A tag cloud weight from 1 to 5 for a tag with `count` posts when the largest tag has
/// `max`: relative steps, so a blog with one big tag still shows contrast.
pub fn cloud_weight(count: usize, max: usize) -> u8 {
    if max <= 1 || count == 0 {
        return 1;
    }
    // log2 in quarter steps, in integers (floating-point logarithms cost Wasm bytes).
    let quarter_log2 = |n: usize| (n as u128).pow(4).ilog2();
    let (c, m) = (quarter_log2(count.min(max)), quarter_log2(max));
    1 + ((8 * c + m) / (2 * m)).min(4) as u8
}

/// `March 2024` for an archive group; "Undated" for posts without a readable date.
pub fn month_heading(year: i32, month: u32) -> String {
    if month == 0 {
        "Undated".into()
    } else {
        format!("{} {year}", quire_core::date::month_name(month))
    }
}

/// `4 min read`.
pub fn reading_label(words: u32) -> String {
    format!("{} min read", quire_core::text::reading_minutes(words))
}

/// "Page N of M".
pub fn page_label(page: u32, pages: u32) -> String {
    format!("Page {page} of {pages}")
}

/// "3 posts" / "1 post".
pub fn posts_label(n: usize) -> String {
    format!("{n} post{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloud_weights_spread_from_one_to_five() {
        assert_eq!(cloud_weight(1, 1), 1);
        assert_eq!(cloud_weight(1, 100), 1);
        assert_eq!(cloud_weight(100, 100), 5);
        assert_eq!(cloud_weight(10, 100), 3);
        assert!(cloud_weight(30, 100) > cloud_weight(10, 100));
        assert_eq!(cloud_weight(0, 5), 1);
        assert_eq!(cloud_weight(2, 2), 5);
        assert_eq!(cloud_weight(10_000, 10_000), 5);
        let steps: Vec<u8> = (1..=64).map(|n| cloud_weight(n, 64)).collect();
        assert!(steps.is_sorted(), "{steps:?}");
    }

    #[test]
    fn labels() {
        assert_eq!(month_heading(2024, 3), "March 2024");
        assert_eq!(month_heading(0, 0), "Undated");
        assert_eq!(reading_label(500), "3 min read");
        assert_eq!(page_label(2, 5), "Page 2 of 5");
        assert_eq!(posts_label(1), "1 post");
        assert_eq!(posts_label(0), "0 posts");
    }
}
