//! The app's view models: what a page shows, computed from the index with the core's
//! route table and filters. Plain Rust with no browser or Leptos types, so it is tested
//! natively (`cargo test -p quire-app`); the components in `views/` lay these out.
//!
//! One file a concern: `location` (addresses, and which view shows a route), `list` (list
//! pages, their tag filters and links), `search` (the search page's plain parts) and
//! `text` (labels, headings, rendered Markdown). This file only names what they define,
//! so that `model::…` is the one path for all of it (the CLI renders summaries and bodies
//! with [`summary_html`] and [`body_html`]).

mod list;
mod location;
mod search;
mod text;

#[cfg(test)]
mod fixture;

pub use list::{
    CHIPS_SHOWN, FOLDED_TOGGLES, Filtered, ListBase, ListBases, Toggle, chips_shown, empty_text,
    filter_status, list_href, list_lede, more_chips_label, more_tags_label, summary_chunks,
    toggle_href,
};
pub use location::{
    Location, MenuLink, Section, View, base_path, internal_target, menu_current, menu_links,
    page_of, resolve, title_hint, url_path, view_key,
};
pub use search::{
    SearchDoc, SearchPage, query_text, search_href, search_page, search_status, split_marked,
};
pub use text::{
    body_html, cloud_weight, month_heading, page_label, posts_label, reading_label, summary_html,
};
