//! Everything that touches the browser's document directly: the base path, history,
//! the document's title and description, scrolling and focus, and the message shown if
//! the app panics.

use std::sync::atomic::{AtomicBool, Ordering};

use quire_core::route::decode_path;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Document, Element, Window};

use crate::model::{self, Location};

/// Set once the app has panicked: from then on links load pages the ordinary way.
pub static CRASHED: AtomicBool = AtomicBool::new(false);

pub fn window() -> Window {
    web_sys::window().expect("a window")
}

pub fn document() -> Document {
    window().document().expect("a document")
}

/// The site's base path from `document.baseURI` (set by `<base href>`).
pub fn base_path() -> String {
    let uri = document().base_uri().ok().flatten().unwrap_or_default();
    model::base_path(model::url_path(&uri))
}

pub fn current_location(base: &str) -> Location {
    let loc = window().location();
    Location::parse(
        &loc.pathname().unwrap_or_default(),
        &loc.search().unwrap_or_default(),
        base,
    )
}

pub fn push_url(href: &str) {
    if let Ok(history) = window().history() {
        let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href));
    }
}

/// Replaces the current history entry's address (search as you type).
pub fn replace_url(href: &str) {
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href));
    }
}

/// Sets the document title, the meta description and `<html lang>`.
pub fn set_head(title: &str, description: &str, lang: &str) {
    let doc = document();
    if doc.title() != title {
        doc.set_title(title);
    }
    if let Ok(Some(meta)) = doc.query_selector("meta[name=\"description\"]") {
        let _ = meta.set_attribute("content", description);
    }
    if let Some(html) = doc.document_element() {
        let _ = html.set_attribute("lang", lang);
    }
}

/// Runs `f` once the current render has reached the DOM (Leptos updates in microtasks;
/// a zero timeout runs after them).
pub fn after_render(f: fn()) {
    let cb = Closure::once_into_js(f);
    let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), 0);
}

/// Set when a page with a `#fragment` opens, until its target has been scrolled to.
static HASH_PENDING: AtomicBool = AtomicBool::new(true);

/// A new page: start at its top (or its `#fragment`) and move keyboard focus to it.
pub fn after_route_change() {
    let w = window();
    if w.location().hash().unwrap_or_default().len() > 1 {
        HASH_PENDING.store(true, Ordering::Relaxed);
        after_render(scroll_to_hash);
    } else {
        w.scroll_to_with_x_and_y(0.0, 0.0);
        after_render(|| focus(document().get_element_by_id("main")));
    }
}

/// Moves keyboard focus to an element (in view already: no scrolling).
pub fn focus(el: Option<Element>) {
    if let Some(el) = el
        && let Ok(el) = el.dyn_into::<web_sys::HtmlElement>()
    {
        let _ = el.focus();
    }
}

/// Scrolls to `location.hash` once the render under way is in, if a page opened with a
/// fragment has not been scrolled to it yet (a post's headings exist once its body is in).
pub fn scroll_to_pending_hash() {
    if HASH_PENDING.swap(false, Ordering::Relaxed) {
        after_render(scroll_to_hash);
    }
}

/// Scrolls to the element named by `location.hash`, if it exists.
pub fn scroll_to_hash() {
    let hash = window().location().hash().unwrap_or_default();
    let id = decode_path(hash.trim_start_matches('#'));
    if !id.is_empty()
        && let Some(el) = document().get_element_by_id(&id)
    {
        el.scroll_into_view();
        focus(Some(el));
    }
}

/// A panic shows a message in the page instead of leaving it dead, with a link that
/// reloads it. Built node by node: nothing here is parsed as HTML.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        CRASHED.store(true, Ordering::Relaxed);
        let message = info.payload().downcast_ref::<&str>().copied();
        web_sys::console::error_2(
            &"Quire stopped after an internal error:".into(),
            &message.unwrap_or("(no message)").into(),
        );
        let doc = document();
        let el = |tag: &str, class: &str, text: &str| {
            let e = doc.create_element(tag).expect("an element");
            if !class.is_empty() {
                e.set_class_name(class);
            }
            e.set_text_content(Some(text));
            e
        };
        let boxed = el("div", "load-error crash", "");
        let _ = boxed.set_attribute("role", "alert");
        let reload = el("a", "reload", "Reload the page");
        let _ = reload.set_attribute("href", &window().location().href().unwrap_or_default());
        let p = el("p", "", "");
        let _ = p.append_child(&reload);
        for child in [
            el("h1", "", "Something went wrong"),
            el(
                "p",
                "",
                "This page stopped working because of an error in the app.",
            ),
            p,
        ] {
            let _ = boxed.append_child(&child);
        }
        if let Some(main) = doc
            .get_element_by_id("main")
            .or_else(|| doc.body().map(Into::into))
        {
            main.set_text_content(None);
            let _ = main.append_child(&boxed);
        }
    }));
}
