//! The reactive shell: the page's regions (header, main, footer, and a list page's
//! heading, filter and posts), whose markup comes from [`crate::html`]. One effect draws
//! the frame for the current state whenever a signal it read changes (the location, the
//! index, a chunk the page shows) and replaces only the regions whose markup changed.

use std::cell::RefCell;

use leptos::prelude::*;
use quire_core::filter::paginate;
use quire_core::meta::page_meta;
use quire_core::{Index, Route};
use web_sys::Element;

use crate::browser;
use crate::html::{self, Frame, ListPage, Main, Section, Text};
use crate::model::{self, Filtered, ListBase, Location, view_key};
use crate::store::{self, App, Chunk, Load, store};

/// The layout every page shares, its regions empty: [`start`] fills them.
pub fn app() -> impl IntoView {
    view! { <div class="app" inner_html=html::SHELL></div> }
}

/// Draws the page now, and again whenever a signal the drawing read changes. Call once
/// the shell is mounted.
pub fn start() {
    let s = store();
    let hint = model::title_hint(&browser::document_title());
    let effect = RenderEffect::new(move |_| {
        let frame = s.app.with(
            |App {
                 loc,
                 index,
                 all_tags,
             }| {
                let ready = match index {
                    Load::Ready(index) => Some(&**index),
                    _ => None,
                };
                let main = match index {
                    Load::Loading => Main::Whole(html::loading()),
                    Load::Failed(reason) => Main::Whole(html::load_failed(reason)),
                    Load::Ready(index) => {
                        update_head(index, loc);
                        page(index, loc, *all_tags)
                    }
                };
                Frame {
                    header: html::header(
                        ready.map(|i| &i.site),
                        &hint,
                        s.base,
                        Section::of(&loc.route),
                    ),
                    main,
                    footer: html::footer(ready, s.base),
                }
            },
        );
        draw(frame);
    });
    // The page lives as long as the app: the effect is never stopped.
    std::mem::forget(effect);
}

/// The markup each region shows now.
#[derive(Default)]
struct Shown {
    header: String,
    footer: String,
    /// What `<main>` was last set to: a whole view, or a list page's shell.
    main: String,
    /// Which list the shell is for.
    list: String,
    /// The list regions' content, in [`LIST_REGIONS`] order.
    regions: [String; 3],
}

const LIST_REGIONS: [&str; 3] = [html::LIST_HEAD, html::LIST_FILTER, html::LIST_POSTS];

thread_local! {
    static SHOWN: RefCell<Shown> = RefCell::new(Shown::default());
}

/// Replaces a region's content if its markup changed.
fn region(id: &str, shown: &mut String, markup: String) {
    if *shown != markup {
        if let Some(el) = browser::element(id) {
            el.set_inner_html(&markup);
        }
        *shown = markup;
    }
}

/// Puts a frame on the page, replacing only the regions whose markup changed.
fn draw(frame: Frame) {
    SHOWN.with(|shown| {
        let shown = &mut *shown.borrow_mut();
        region("site-header", &mut shown.header, frame.header);
        region("site-footer", &mut shown.footer, frame.footer);
        let (main, list, regions) = match frame.main {
            Main::Whole(markup) => (markup, String::new(), None),
            Main::List {
                key,
                hidden,
                head,
                filter,
                posts,
            } => (html::list_shell(hidden), key, Some([head, filter, posts])),
        };
        if shown.main != main || shown.list != list {
            // Another view: its markup, or a list's shell with empty regions.
            region("main", &mut shown.main, main);
            shown.list = list;
            shown.regions = Default::default();
        }
        for (i, markup) in regions.into_iter().flatten().enumerate() {
            region(LIST_REGIONS[i], &mut shown.regions[i], markup);
        }
    });
}

/// What `<main>` shows for a location. Reads (and so subscribes to) the chunks it shows,
/// fetching them on first use: a list shows at once and its summaries fill in as their
/// chunks land; a post shows its header at once and its body when it is in.
fn page(index: &Index, loc: &Location, all_tags: bool) -> Main {
    let base = store().base;
    match view_key(index, &loc.route) {
        key @ (Route::Home { .. } | Route::Term { .. }) => list_page(index, key, loc, all_tags),
        Route::Post { slug } => match index.post_position(&slug) {
            Some(pos) => {
                let post = &index.posts[pos];
                let chunk = store::chunk_state(&index.bodies[post.body.chunk as usize]);
                let body = text_of(Some(&chunk), post.body.slot as usize);
                if matches!(body, Text::Ready(_)) {
                    // A link to a heading (`/post/x#setup`) can land once the body is in.
                    browser::scroll_to_pending_hash();
                }
                Main::Whole(html::post_page(index, pos, base, body))
            }
            None => Main::Whole(html::not_found(base)),
        },
        Route::Tags => Main::Whole(html::tag_cloud(index, base)),
        Route::Archive => Main::Whole(html::archive(index, base)),
        Route::NotFound => Main::Whole(html::not_found(base)),
    }
}

fn list_page(index: &Index, key: Route, loc: &Location, all_tags: bool) -> Main {
    // Filtering and counting once per draw (not per toggle or per post) takes well under
    // a millisecond at 10,000 posts, so nothing is cached between draws.
    let Some(list) = ListBase::new(index, &key) else {
        return Main::Whole(html::not_found(store().base));
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
        expanded: all_tags,
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
    let Ok(Some(button)) = target
        .closest("button[data-tag], button.clear-tags, button[data-retry], button[data-more]")
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
    } else if button.get_attribute("data-more").is_some() {
        store().app.update(|a| a.all_tags = !a.all_tags);
        browser::refocus("button[data-more]");
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
