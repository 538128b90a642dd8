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

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use quire_core::route::join_base;

use super::{Time, post_href, term_href};
use crate::model::{SearchPage as Page, search_page, search_status, split_marked};
use crate::state::{Hits, use_search, use_state};

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

/// Text with some byte ranges in `<mark>`: text nodes and elements, never markup.
fn marked(text: &str, spans: &[std::ops::Range<usize>]) -> impl IntoView + use<> {
    split_marked(text, spans)
        .into_iter()
        .map(|(piece, hit)| {
            if hit {
                view! { <mark>{piece}</mark> }.into_any()
            } else {
                piece.into_any()
            }
        })
        .collect::<Vec<_>>()
}

/// `/search`: the results for `?q=`, narrowed by `?tags=`: the first [`PAGE`] of them.
#[component]
pub fn SearchResults() -> impl IntoView {
    let s = use_state();
    let search = use_search();
    let index = s.index.clone();
    let tags = s.tags;
    let hits = search.as_ref().map(|x| x.hits);
    let plain = search.as_ref().map(|x| x.plain.clone());
    let text = search.as_ref().map(|x| x.text);
    // What to show: the query and the narrowed, phrase-checked page of its hits (tracked).
    // A plain closure, not a memo: each use recomputes it, which costs far less than the
    // memo's code in the Wasm (it is a walk over the ranked positions).
    let page = move || -> Option<(std::sync::Arc<quire_core::search::Query>, Page)> {
        let Some(Hits::Ready { query, hits, .. }) = hits.map(|h| h.get()) else {
            return None;
        };
        let plain = plain.clone()?;
        let index = index.clone();
        let verify = |p: u32| {
            let (summary, body) = plain(p as usize)?;
            let title = &index.posts[p as usize].title;
            Some(query.verify(&[title, &summary, &body]))
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
    };
    let state = move || hits.map(|h| h.get()).unwrap_or(Hits::Idle);
    let status = {
        let page = page.clone();
        move || match state() {
            Hits::Idle => "Type in the search box above to search every post.".to_string(),
            Hits::Loading => "Searching…".to_string(),
            Hits::Failed(e) => format!("Search is not available: {e}."),
            Hits::Ready { .. } => page().map(|(_, p)| search_status(&p)).unwrap_or_default(),
        }
    };
    let busy = {
        let page = page.clone();
        move || {
            let waiting = matches!(state(), Hits::Loading | Hits::Ready { busy: true, .. })
                || page().is_some_and(|(_, p)| !p.complete && p.shown.is_empty());
            if waiting { "true" } else { "false" }
        }
    };
    let selected = move || {
        let t = tags.get();
        (!t.is_empty()).then(|| {
            let names: Vec<String> = t
                .iter()
                .map(|slug| {
                    s.index
                        .term_position(quire_core::TermKind::Tag, slug)
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
    let items = move || {
        let Some((query, p)) = page() else {
            return Vec::new();
        };
        p.shown
            .into_iter()
            .map(|p| result_item(p as usize, &query))
            .collect()
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
                {items}
            </ol>
        </div>
    }
}

/// One result: title (a link, matches marked), date, tags, the excerpt once its text is in.
fn result_item(pos: usize, query: &std::sync::Arc<quire_core::search::Query>) -> AnyView {
    let s = use_state();
    let search = use_search();
    let index = &s.index;
    let post = &index.posts[pos];
    let title_spans = query.highlights(&post.title);
    let tags: Vec<_> = post
        .tags
        .iter()
        .map(|&t| {
            let href = term_href(index, quire_core::TermKind::Tag, t, &s.base);
            view! { <li><a href=href class="tag">{index.tags[t as usize].name.clone()}</a></li> }
        })
        .collect();
    let has_tags = !tags.is_empty();
    let query = query.clone();
    let excerpt = move || {
        let plain = search.as_ref()?.plain.clone();
        let Some((summary, body)) = plain(pos) else {
            return Some(view! { <p class="excerpt loading">"…"</p> }.into_any());
        };
        let text = if body.trim().is_empty() {
            summary
        } else {
            body
        };
        let e = query.excerpt(&text, EXCERPT_CHARS);
        Some(
            view! {
                <p class="excerpt">
                    {e.cut_start.then_some("… ")}
                    {marked(&e.text, &e.spans)}
                    {e.cut_end.then_some(" …")}
                </p>
            }
            .into_any(),
        )
    };
    view! {
        <li class="search-result" data-post=post.slug.clone()>
            <h2><a class="result-link" href=post_href(post, &s.base)>{marked(&post.title, &title_spans)}</a></h2>
            <p class="post-meta"><Time date=post.date.clone()/></p>
            {has_tags.then(|| view! { <ul class="tags" aria-label="Tags">{tags}</ul> })}
            {excerpt}
        </li>
    }
    .into_any()
}
