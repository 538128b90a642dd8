//! The reactive shell: three regions (header, main, footer) whose markup comes from
//! [`crate::html`], each redrawn by Leptos when a signal it read changes: the location,
//! the index, or a chunk the page shows. One delegated click handler serves every
//! button in `<main>`.

use leptos::prelude::*;
use quire_core::filter::paginate;
use quire_core::meta::page_meta;
use quire_core::{Index, Route};
use web_sys::Element;

use crate::browser;
use crate::html::{self, ListPage, Section, Text};
use crate::model::{self, Filtered, ListBase, Location, view_key};
use crate::store::{self, App, Chunk, Load, store};

/// The whole app: one region holding header, main and footer, redrawn when a signal it
/// read changes (the location, the index, a chunk the page shows). One reactive region,
/// not one per part: each region costs Wasm bytes, and redrawing the header is cheap.
pub fn app() -> impl IntoView {
    let s = store();
    let hint = model::title_hint(&browser::document_title());
    let markup = move || {
        s.app.with(|App { loc, index }| {
            let ready = match index {
                Load::Ready(index) => Some(&**index),
                _ => None,
            };
            let main = match index {
                Load::Loading => html::loading(),
                Load::Failed(reason) => html::load_failed(reason),
                Load::Ready(index) => {
                    update_head(index, loc);
                    page(index, loc)
                }
            };
            html::layout(ready, &hint, s.base, Section::of(&loc.route), &main)
        })
    };
    view! { <div class="app" inner_html=markup></div> }
}

/// The markup of `<main>` for a location. Reads (and so subscribes to) the chunks it
/// shows, fetching them on first use: a list shows at once and its summaries fill in as
/// their chunks land; a post shows its header at once and its body when it is in.
fn page(index: &Index, loc: &Location) -> String {
    let base = store().base;
    match view_key(index, &loc.route) {
        key @ (Route::Home { .. } | Route::Term { .. }) => list_page(index, key, loc),
        Route::Post { slug } => match index.post_position(&slug) {
            Some(pos) => {
                let post = &index.posts[pos];
                let chunk = store::chunk_state(&index.bodies[post.body.chunk as usize]);
                let body = text_of(Some(&chunk), post.body.slot as usize);
                if matches!(body, Text::Ready(_)) {
                    // A link to a heading (`/post/x#setup`) can land once the body is in.
                    browser::scroll_to_pending_hash();
                }
                html::post_page(index, pos, base, body)
            }
            None => html::not_found(base),
        },
        Route::Tags => html::tag_cloud(index, base),
        Route::Archive => html::archive(index, base),
        Route::NotFound => html::not_found(base),
    }
}

fn list_page(index: &Index, key: Route, loc: &Location) -> String {
    // Filtering and counting once per draw (not per toggle or per post) takes well under
    // a millisecond at 10,000 posts, so nothing is cached between draws.
    let Some(list) = ListBase::new(index, &key) else {
        return html::not_found(store().base);
    };
    let filtered = Filtered::new(index, &list, &loc.tags);
    let (shown, pages) = paginate(
        &filtered.list,
        index.site.posts_per_page,
        model::page_of(&loc.route),
    );
    let chunks: Vec<(usize, Chunk)> = model::summary_chunks(index, shown)
        .into_iter()
        .map(|c| (c, store::chunk_state(&index.summaries[c])))
        .collect();
    let texts: Vec<(u32, Text<'_>)> = shown
        .iter()
        .map(|&pos| {
            let (c, slot) = index.summary_location(pos as usize);
            let chunk = chunks.iter().find(|(n, _)| *n == c).map(|(_, ch)| ch);
            (pos, text_of(chunk, slot))
        })
        .collect();
    let mut failed = Vec::new();
    let mut failure = None;
    for (c, chunk) in &chunks {
        if let Chunk::Failed(reason) = chunk {
            failed.push(index.summaries[*c].clone());
            failure.get_or_insert(reason.as_str());
        }
    }
    html::list_page(&ListPage {
        index,
        list: &list,
        filtered: &filtered,
        base: store().base,
        route: &loc.route,
        selected: &loc.tags,
        posts: &texts,
        pages,
        nothing_at_all: list.list.is_empty(),
        failed_chunks: &failed,
        failure,
    })
}

/// A text from a chunk that may not be in yet.
fn text_of(chunk: Option<&Chunk>, slot: usize) -> Text<'_> {
    match chunk {
        Some(Chunk::Ready(texts)) => match texts.get(slot) {
            Some(md) => Text::Ready(md),
            None => Text::Failed("the text is missing from its file; rebuild the site"),
        },
        Some(Chunk::Failed(reason)) => Text::Failed(reason),
        _ => Text::Loading,
    }
}

/// Sets the document title, meta description and language for the page. The post's
/// summary, for its description, comes from its chunk once that is in (reading it here
/// redraws the page when it lands).
fn update_head(index: &Index, loc: &Location) {
    browser::set_language(&index.site.language);
    let route = model::resolve(index, &loc.route);
    let summary = match &route {
        Route::Post { slug } => index.post_position(slug).and_then(|pos| {
            let (chunk, slot) = index.summary_location(pos);
            match store::chunk_state(&index.summaries[chunk]) {
                Chunk::Ready(texts) => texts.get(slot).cloned(),
                _ => None,
            }
        }),
        _ => None,
    };
    let meta = page_meta(index, &route, summary.as_deref());
    browser::set_head(&meta.title, &meta.description);
}

/// Handles a click on one of the page's buttons (tag toggles, clear, retry); `false`
/// if the click was on something else. Called by the document's click listener, so the
/// markup needs no handlers of its own.
pub fn on_button_click(target: &Element) -> bool {
    let Ok(Some(button)) =
        target.closest("button[data-tag], button.clear-tags, button[data-retry]")
    else {
        return false;
    };
    if let Some(slug) = button.get_attribute("data-tag") {
        let current = store().app.with_untracked(|a| a.loc.tags.clone());
        set_selection(&quire_core::filter::toggle(&current, &slug));
        // The filter was redrawn: put focus back on the same toggle.
        if !slug.contains(['"', '\\']) {
            browser::refocus(&format!("button[data-tag=\"{slug}\"]"));
        }
    } else if let Some(what) = button.get_attribute("data-retry") {
        if what == "index" {
            store::load_index(true);
        } else {
            what.split(' ').for_each(store::retry_chunk);
        }
    } else {
        set_selection(&[]);
        browser::refocus("section.tag-filter button[data-tag]");
    }
    true
}

/// Sets the tag selection: a new history entry with `?tags=`, on page 1 of the list.
fn set_selection(tags: &[String]) {
    let route = store::current_route();
    store::navigate(&model::list_href(&route.with_page(1), store().base, tags));
}
