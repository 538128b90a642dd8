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

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::{self, Element};
use quire_core::TermKind;
use quire_core::route::join_base;
use quire_core::search::Query;

use super::{post_href, term_href};
use crate::model::{SearchPage as Page, search_page, search_status, split_marked};
use crate::state::{AppState, Hits, PlainText, use_search, use_state};

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

/// `/search`: the results for `?q=`, narrowed by `?tags=`: the first [`PAGE`] of them.
#[component]
pub fn SearchResults() -> impl IntoView {
    let s = use_state();
    let search = use_search();
    let index = s.index.clone();
    let tags = s.tags;
    let app = s.clone();
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
    // The results are laid out node by node (see `result_node`), not as views: in the
    // app's Wasm each distinct view type costs its own code, and this list was the largest
    // part of what search added. The same effect keeps every result whose post, query and
    // excerpt are unchanged, so a keystroke or a landing chunk redraws only what changed.
    // Effects run in the browser only: the route file shows an empty list.
    let list = NodeRef::<leptos::html::Ol>::new();
    let plain = search.as_ref().map(|x| x.plain.clone());
    Effect::new(move |prev: Option<Vec<Shown>>| {
        let mut prev = prev.unwrap_or_default();
        let Some(ol) = list.get() else {
            return prev;
        };
        let mut now = Vec::new();
        if let (Some((query, p)), Some(plain)) = (page(), &plain) {
            for post in p.shown {
                let text = plain(post as usize);
                let reuse = prev.iter().position(|x| {
                    x.post == post && x.excerpt == text.is_some() && *x.query == *query
                });
                now.push(match reuse {
                    Some(i) => prev.swap_remove(i),
                    None => Shown {
                        post,
                        query: query.clone(),
                        excerpt: text.is_some(),
                        li: result_node(&app, post as usize, &query, text.as_ref()),
                    },
                });
            }
        }
        place(&ol, &now);
        now
    });
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
                on:keydown=on_results_keydown node_ref=list>
            </ol>
        </div>
    }
}

/// A laid-out result, kept while the next layout can reuse it as it is.
struct Shown {
    post: u32,
    query: Arc<Query>,
    /// Whether the excerpt was in (else the placeholder shows).
    excerpt: bool,
    li: Element,
}

/// Makes `<tag class=class>` (no class when empty).
fn element(doc: &web_sys::Document, tag: &str, class: &str) -> Element {
    let el = doc.create_element(tag).expect("a valid tag name");
    if !class.is_empty() {
        el.set_class_name(class);
    }
    el
}

/// Appends `text` to `parent` as text nodes, the byte ranges `spans` in `<mark>`
/// elements: built node by node, never parsed as HTML.
fn append_marked(doc: &web_sys::Document, parent: &Element, text: &str, spans: &[Range<usize>]) {
    for (piece, hit) in split_marked(text, spans) {
        if hit {
            let mark = element(doc, "mark", "");
            mark.set_text_content(Some(&piece));
            let _ = parent.append_child(&mark);
        } else {
            let _ = parent.append_with_str_1(&piece);
        }
    }
}

/// One result: `<li class="search-result" data-post=…>` with the title (a link, matches
/// marked), the date, the tags, and the excerpt (a placeholder until `text` is in).
fn result_node(s: &AppState, pos: usize, query: &Query, text: Option<&PlainText>) -> Element {
    let doc = document();
    let index = &s.index;
    let post = &index.posts[pos];
    let li = element(&doc, "li", "search-result");
    let _ = li.set_attribute("data-post", &post.slug);
    let h2 = element(&doc, "h2", "");
    let link = element(&doc, "a", "result-link");
    let _ = link.set_attribute("href", &post_href(post, &s.base));
    append_marked(&doc, &link, &post.title, &query.highlights(&post.title));
    let _ = h2.append_child(&link);
    let _ = li.append_child(&h2);
    let meta = element(&doc, "p", "post-meta");
    let time = element(&doc, "time", "");
    let _ = time.set_attribute("datetime", quire_core::date::iso_day(&post.date));
    time.set_text_content(Some(&quire_core::date::display(&post.date)));
    let _ = meta.append_child(&time);
    let _ = li.append_child(&meta);
    if !post.tags.is_empty() {
        let ul = element(&doc, "ul", "tags");
        let _ = ul.set_attribute("aria-label", "Tags");
        for &t in &post.tags {
            let item = element(&doc, "li", "");
            let a = element(&doc, "a", "tag");
            let _ = a.set_attribute("href", &term_href(index, TermKind::Tag, t, &s.base));
            a.set_text_content(Some(&index.tags[t as usize].name));
            let _ = item.append_child(&a);
            let _ = ul.append_child(&item);
        }
        let _ = li.append_child(&ul);
    }
    let excerpt = match text {
        None => {
            let p = element(&doc, "p", "excerpt loading");
            p.set_text_content(Some("…"));
            p
        }
        Some((summary, body)) => {
            let text = if body.trim().is_empty() {
                summary
            } else {
                body
            };
            let e = query.excerpt(text, EXCERPT_CHARS);
            let p = element(&doc, "p", "excerpt");
            if e.cut_start {
                let _ = p.append_with_str_1("… ");
            }
            append_marked(&doc, &p, &e.text, &e.spans);
            if e.cut_end {
                let _ = p.append_with_str_1(" …");
            }
            p
        }
    };
    let _ = li.append_child(&excerpt);
    li
}

/// Puts `items` into `list` in order, moving only the nodes that are not in place yet (a
/// focused result that stays in place keeps the focus) and removing the rest.
fn place(list: &Element, items: &[Shown]) {
    let mut at = list.first_child();
    for item in items {
        let node: &web_sys::Node = item.li.as_ref();
        if at.as_ref() == Some(node) {
            at = node.next_sibling();
        } else {
            let _ = list.insert_before(node, at.as_ref());
        }
    }
    while let Some(extra) = at {
        at = extra.next_sibling();
        let _ = list.remove_child(&extra);
    }
}
