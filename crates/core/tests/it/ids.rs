//! Ids the content creates are unique on a page: within one rendering (headings, footnote
//! definitions, even a label defined twice), and across renderings with their own scope
//! (`render_scoped`, one scope per summary on a list page). They never equal an id of the
//! app's layout and are never JavaScript identifiers.

use quire_core::RawHtml;
use quire_core::markdown::{FOOTNOTE_ID_PREFIX, HEADING_ID_PREFIX, render, render_scoped};
use std::collections::HashSet;

const POLICIES: [RawHtml; 3] = [RawHtml::Escape, RawHtml::Sanitize, RawHtml::Trust];

/// Every value of `attr="…"` in `html`.
fn values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    html.split(needle.as_str())
        .skip(1)
        .map(|rest| rest[..rest.find('"').expect("quoted")].to_string())
        .collect()
}

fn assert_unique_ids(html: &str) -> HashSet<String> {
    let ids = values(html, "id");
    let set: HashSet<String> = ids.iter().cloned().collect();
    assert_eq!(set.len(), ids.len(), "duplicate ids {ids:?} in {html}");
    for id in &ids {
        assert!(
            id.starts_with(HEADING_ID_PREFIX) || id.starts_with(FOOTNOTE_ID_PREFIX),
            "{id}"
        );
        assert!(id.contains('-'), "{id} is a JavaScript identifier");
    }
    set
}

const POST: &str = "# Intro\n\nText[^a] and[^b], see [intro](#h-intro) and [note](#fn-1) \
                    and [elsewhere](#top).\n\n## Intro\n\n[^a]: One.\n\n[^b]: Two.\n";

#[test]
fn a_label_defined_twice_gets_two_ids() {
    for policy in POLICIES {
        let html = render(
            "x[^a] y[^A]\n\n[^a]: one\n\n[^a]: two\n\n[^A]: three\n",
            policy,
        );
        assert_unique_ids(&html);
        // References point at the first definition.
        assert!(html.contains("href=\"#fn-1\""), "{html}");
        assert!(html.contains("id=\"fn-1\""), "{html}");
    }
}

#[test]
fn scoped_ids_and_links_carry_the_scope() {
    for policy in POLICIES {
        let html = render_scoped(POST, policy, "s3");
        for id in ["h-s3_intro", "h-s3_intro-1", "fn-s3_1", "fn-s3_2"] {
            assert!(html.contains(&format!("id=\"{id}\"")), "{id} in {html}");
        }
        for href in [
            "#h-s3_intro",
            "#h-s3_intro-1",
            "#fn-s3_1",
            "#fn-s3_2",
            // A link to another place on the page is left alone.
            "#top",
        ] {
            assert!(
                html.contains(&format!("href=\"{href}\"")),
                "{href} in {html}"
            );
        }
        assert!(
            !html.contains("\"#h-intro\"") && !html.contains("\"#fn-1\""),
            "{html}"
        );
        assert_unique_ids(&html);
    }
    // Links to the content's ids in raw HTML follow under `sanitize`.
    let html = render_scoped(
        "<a href=\"#h-intro\">x</a> <a href='#fn-2'>y</a>",
        RawHtml::Sanitize,
        "s1",
    );
    assert!(
        html.contains("href=\"#h-s1_intro\"") && html.contains("href=\"#fn-s1_2\""),
        "{html}"
    );
}

#[test]
fn summaries_on_one_page_share_no_id() {
    for policy in POLICIES {
        let mut page = render(POST, policy);
        let mut seen = assert_unique_ids(&page);
        for position in 0..12 {
            let summary = render_scoped(POST, policy, &format!("s{position}"));
            let ids = assert_unique_ids(&summary);
            assert!(seen.is_disjoint(&ids), "s{position}: {ids:?}");
            seen.extend(ids);
            page.push_str(&summary);
        }
        assert_unique_ids(&page);
    }
}

#[test]
fn the_empty_scope_is_render() {
    for policy in POLICIES {
        assert_eq!(render_scoped(POST, policy, ""), render(POST, policy));
    }
}

#[test]
fn scopes_cannot_smuggle_markup_or_app_ids() {
    let html = render_scoped(
        "# main\n",
        RawHtml::Sanitize,
        "s1\"><script>x</script> onclick=",
    );
    assert!(
        html.starts_with("<h1 id=\"h-s1scriptxscriptonclick_main\">"),
        "{html}"
    );
    for app_id in ["main", "app", "content", "__pwned"] {
        for scope in ["", "s1", app_id] {
            let html = render_scoped(
                &format!("# {app_id}\n\nx[^{app_id}]\n\n[^{app_id}]: n\n"),
                RawHtml::Sanitize,
                scope,
            );
            assert!(!values(&html, "id").iter().any(|id| id == app_id), "{html}");
        }
    }
}
