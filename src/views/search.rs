//! Search: the box in the header (every page) and the `/search?q=…` results view.
//!
//! Without the app (a route file read without JavaScript) the box is a plain GET form to
//! `search/`; the results need the app. In the app the box searches as the reader types:
//! the engine's ranked hits ([`crate::state::Hits`]) are narrowed by `?tags=`, phrases are
//! checked on the posts' texts, and each result's excerpt is laid out as text nodes with
//! the matched words in `<mark>` elements built here (never parsed as HTML).
//!
//! Keyboard: `/` focuses the box (installed by `browser::search`), Escape clears it, the
//! down arrow moves from the box to the first result, up and down move between results
//! (up from the first goes back to the box); Tab works as usual throughout.

use std::ops::Range;
use std::sync::Arc;

use leptos::either::Either;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use quire_core::TermKind;
use quire_core::route::join_base;
use quire_core::search::Query;

use super::parts::{Time, term_href};
use crate::model::{SearchDoc, SearchPage as Page, search_page, search_status, split_marked};
use crate::state::{Hits, use_engine, use_search, use_state};

/// The id of the search box's input (the `/` shortcut focuses it).
pub const BOX_ID: &str = "search-q";
/// How many results a search page shows (the best ones; typing more narrows them).
pub const PAGE: usize = 20;
/// About how many characters an excerpt has.
pub const EXCERPT_CHARS: usize = 160;

/// Moves focus to an element, if it is an HTML element.
fn focus(el: Option<leptos::web_sys::Element>) {
    if let Some(el) = el.and_then(|e| e.dyn_into::<leptos::web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

fn first_result_link() -> Option<leptos::web_sys::Element> {
    document()
        .query_selector("main .search-results a.result-link")
        .ok()
        .flatten()
}

/// The search landmark in the header: a form that works without the app.
#[component]
pub fn SearchBox() -> impl IntoView {
    let s = use_state();
    let search = use_search();
    let action = join_base(&s.base, "/search/");
    let (text, wake, input) = match &search {
        Some(x) => (Some(x.text), Some(x.wake.clone()), Some(x.input.clone())),
        None => (None, None, None),
    };
    let value = move || text.map(|t| t.get()).unwrap_or_default();
    let on_input = {
        let input = input.clone();
        move |ev: leptos::ev::Event| {
            if let Some(input) = &input {
                input(event_target_value(&ev));
            }
        }
    };
    let on_focus = move |_| {
        if let Some(wake) = &wake {
            wake();
        }
    };
    let on_keydown = {
        let input = input.clone();
        move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
            "Escape" => {
                if let Some(input) = &input {
                    ev.prevent_default();
                    input(String::new());
                }
            }
            "ArrowDown" => {
                if let Some(first) = first_result_link() {
                    ev.prevent_default();
                    focus(Some(first));
                }
            }
            _ => {}
        }
    };
    let on_submit = {
        let input = input.clone();
        move |ev: leptos::ev::SubmitEvent| {
            // In the app the results are already there: stay on the page.
            if let Some(input) = &input {
                ev.prevent_default();
                input(text.map(|t| t.get_untracked()).unwrap_or_default());
            }
        }
    };
    view! {
        <form class="search-box" role="search" aria-label="Search posts" action=action method="get"
            on:submit=on_submit>
            <input type="search" id=BOX_ID name="q" placeholder="Search" autocomplete="off"
                spellcheck="false" aria-label="Search posts" aria-keyshortcuts="/"
                aria-controls="search-results"
                prop:value=value on:input=on_input on:focus=on_focus on:keydown=on_keydown/>
        </form>
    }
}

/// Up and down between results; up from the first goes back to the box.
fn on_results_keydown(ev: leptos::ev::KeyboardEvent) {
    let down = match ev.key().as_str() {
        "ArrowDown" => true,
        "ArrowUp" => false,
        _ => return,
    };
    let Some(item) = ev
        .target()
        .and_then(|t| t.dyn_into::<leptos::web_sys::Element>().ok())
        .filter(|el| el.class_list().contains("result-link"))
        .and_then(|el| el.closest("li.search-result").ok().flatten())
    else {
        return;
    };
    ev.prevent_default();
    let next = if down {
        item.next_element_sibling()
    } else {
        item.previous_element_sibling()
    };
    match next {
        Some(li) => focus(li.query_selector("a.result-link").ok().flatten()),
        None if !down => focus(document().get_element_by_id(BOX_ID)),
        None => {}
    }
}

/// `/search`: the results for `?q=`, narrowed by `?tags=`: the first `PAGE` (20) of them.
#[component]
pub fn SearchResults() -> impl IntoView {
    let s = use_state();
    let engine = use_engine();
    let index = s.index.clone();
    let tags = s.tags;
    let hits = engine.as_ref().map(|x| x.hits);
    let plain = engine.as_ref().map(|x| x.plain.clone());
    let text = use_search().map(|x| x.text);
    // What to show: the query and the narrowed, phrase-checked page of its hits. A memo:
    // the status, the busy flag and the list read it, and a keystroke that leaves it as it
    // was notifies none of them.
    let page = {
        let plain = plain.clone();
        Memo::new(move |_| -> Option<(Arc<Query>, Page)> {
            let Some(Hits::Ready { query, hits, .. }) = hits.map(|h| h.get()) else {
                return None;
            };
            let plain = plain.clone()?;
            let verify = |p: u32| {
                let Some(doc) = SearchDoc::of(&index, p as usize) else {
                    return Some(false);
                };
                let (summary, body) = plain(p as usize)?;
                Some(query.verify(&[doc.title(&index), &summary, &body]))
            };
            let page = tags.with(|selected| {
                search_page(
                    &index,
                    &hits,
                    selected,
                    PAGE,
                    (!query.phrases.is_empty()).then_some(&verify as &dyn Fn(u32) -> Option<bool>),
                )
            });
            Some((query, page))
        })
    };
    // What each result reads: the query (for its marks and excerpt), and the posts in order
    // (the keys of the list, so a result that stays keeps its nodes).
    let query = Memo::new(move |_| page.with(|p| p.as_ref().map(|(q, _)| q.clone())));
    let shown = Memo::new(move |_| {
        page.with(|p| p.as_ref().map(|(_, p)| p.shown.clone()).unwrap_or_default())
    });
    let state = move || hits.map(|h| h.get()).unwrap_or(Hits::Idle);
    let status = move || match state() {
        Hits::Idle => "Type in the search box above to search every post.".to_string(),
        Hits::Loading => "Searching…".to_string(),
        Hits::Failed(e) => format!("Search is not available: {e}."),
        Hits::Ready { .. } => page
            .with(|p| p.as_ref().map(|(_, p)| search_status(p)))
            .unwrap_or_default(),
    };
    let busy = move || {
        let waiting = matches!(state(), Hits::Loading | Hits::Ready { busy: true, .. })
            || page.with(|p| {
                p.as_ref()
                    .is_some_and(|(_, p)| !p.complete && p.shown.is_empty())
            });
        if waiting { "true" } else { "false" }
    };
    let selected = move || {
        let t = tags.get();
        (!t.is_empty()).then(|| {
            let names: Vec<String> = t
                .iter()
                .map(|slug| {
                    s.index
                        .term_position(TermKind::Tag, slug)
                        .map_or_else(|| slug.clone(), |i| s.index.tags[i].name.clone())
                })
                .collect();
            let all =
                crate::model::search_href(&s.base, &text.map(|t| t.get()).unwrap_or_default(), &[]);
            view! {
                <p class="search-tags">
                    "Only posts tagged " {names.join(", ")} ". "
                    <a href=all>"Search all posts"</a>
                </p>
            }
        })
    };
    view! {
        <div class="search-page">
            <header class="page-header">
                <h1>"Search"</h1>
                {move || {
                    let q = text.map(|t| t.get()).unwrap_or_default();
                    (!q.trim().is_empty()).then(|| view! { <p class="search-for">"Results for “"{q}"”"</p> })
                }}
                {selected}
                <p class="search-status" role="status" aria-live="polite" aria-atomic="true">
                    {status}
                </p>
            </header>
            <ol class="search-results" id="search-results" aria-busy=busy
                on:keydown=on_results_keydown>
                <For
                    each=move || shown.get()
                    key=|pos| *pos
                    children=move |pos| view! { <SearchResult pos=pos as usize query=query/> }
                />
            </ol>
        </div>
    }
}

/// `text` as text nodes, the byte ranges `spans` in `<mark>` elements (never parsed as HTML).
fn marked(text: &str, spans: &[Range<usize>]) -> impl IntoView + use<> {
    split_marked(text, spans)
        .into_iter()
        .map(|(piece, hit)| {
            if hit {
                Either::Left(view! { <mark>{piece}</mark> })
            } else {
                Either::Right(piece)
            }
        })
        .collect::<Vec<_>>()
}

/// One result: the title (a link, matched words marked), the date and the tags (a
/// standalone page: the label "Page" instead), and an excerpt around the best match once
/// the document's text is in. A keystroke that keeps the document in the results redraws
/// only its marked title and its excerpt.
#[component]
fn SearchResult(pos: usize, query: Memo<Option<Arc<Query>>>) -> impl IntoView {
    let s = use_state();
    let plain = use_engine().map(|x| x.excerpt);
    let index = &s.index;
    // A position past the last page (an index that does not match index.json) shows nothing.
    let doc = SearchDoc::of(index, pos)?;
    let title = {
        let title = doc.title(index).to_string();
        move || {
            query.with(|q| {
                let spans = q.as_ref().map(|q| q.highlights(&title)).unwrap_or_default();
                marked(&title, &spans)
            })
        }
    };
    let (data_post, data_page, meta) = match doc {
        SearchDoc::Post(i) => {
            let post = &index.posts[i];
            let tags: Vec<_> = post
                .tags
                .iter()
                .map(|&t| {
                    let href = term_href(index, TermKind::Tag, t, &s.base);
                    view! { <li><a href=href class="tag">{index.tags[t as usize].name.clone()}</a></li> }
                })
                .collect();
            let has_tags = !tags.is_empty();
            let meta = view! {
                <p class="post-meta"><Time date=post.date.clone()/></p>
                {has_tags.then(|| view! { <ul class="tags" aria-label="Tags">{tags}</ul> })}
            };
            (Some(post.slug.clone()), None, Either::Left(meta))
        }
        SearchDoc::Page(i) => (
            None,
            Some(index.pages[i].slug.clone()),
            Either::Right(view! { <p class="post-meta result-kind">"Page"</p> }),
        ),
    };
    let excerpt = move || {
        let text = plain.as_ref().and_then(|plain| plain(pos));
        let Some((summary, body)) = text else {
            return Either::Left(view! { <p class="excerpt loading">"…"</p> });
        };
        let text = if body.trim().is_empty() {
            summary
        } else {
            body
        };
        let e = query.with(|q| q.as_ref().map(|q| q.excerpt(&text, EXCERPT_CHARS)));
        let (start, end, words) = match e {
            Some(e) => (e.cut_start, e.cut_end, marked(&e.text, &e.spans)),
            None => (false, false, marked("", &[])),
        };
        Either::Right(view! {
            <p class="excerpt">
                {start.then_some("… ")}
                {words}
                {end.then_some(" …")}
            </p>
        })
    };
    Some(view! {
        <li class="search-result" data-post=data_post data-page=data_page>
            <h2><a class="result-link" href=doc.route(index).href(&s.base)>{title}</a></h2>
            {meta}
            {excerpt}
        </li>
    })
}
