//! Everything that talks to the browser directly: the base path, history, the link
//! interceptor, hover prefetching, the document's title and description, scrolling, and
//! the message shown if the app panics.

use std::sync::atomic::{AtomicBool, Ordering};

use quire_core::Route;
use quire_core::route::decode_path;
use quire_core::text::escape_html;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Document, Element, Event, HtmlAnchorElement, MouseEvent, Window};

use crate::model::{self, Location};
use crate::store;

/// Set once the app has panicked: from then on links load pages the ordinary way.
static CRASHED: AtomicBool = AtomicBool::new(false);

/// Set when a page with a `#fragment` opens, until a post body has been shown and
/// scrolled to it.
static HASH_PENDING: AtomicBool = AtomicBool::new(true);

fn window() -> Window {
    web_sys::window().expect("a window")
}

fn document() -> Document {
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

/// `document.title` as the page was served (the CLI writes each route's title into it).
pub fn document_title() -> String {
    document().title()
}

/// Sets the document title and the meta description.
pub fn set_head(title: &str, description: &str) {
    let doc = document();
    if doc.title() != title {
        doc.set_title(title);
    }
    // index.html and every route file carry one (quire writes it).
    if let Ok(Some(meta)) = doc.query_selector("meta[name=\"description\"]") {
        let _ = meta.set_attribute("content", description);
    }
}

/// Sets `<html lang>`.
pub fn set_language(lang: &str) {
    if let Some(html) = document().document_element() {
        let _ = html.set_attribute("lang", lang);
    }
}

/// Runs `f` once the current render has reached the DOM (Leptos renders in microtasks;
/// a zero timeout runs after them).
pub fn after_render(f: fn()) {
    let cb = Closure::once_into_js(f);
    let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), 0);
}

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
fn focus(el: Option<Element>) {
    if let Some(el) = el
        && let Ok(el) = el.dyn_into::<web_sys::HtmlElement>()
    {
        let _ = el.focus();
    }
}

/// Once the current render is in, focuses the first element matching `selector` (a
/// redrawn region loses the focused element; this puts focus back where it was).
pub fn refocus(selector: &str) {
    REFOCUS.with(|r| *r.borrow_mut() = selector.to_string());
    after_render(|| {
        let selector = REFOCUS.with(|r| r.take());
        focus(document().query_selector(&selector).ok().flatten());
    });
}

thread_local! {
    /// What [`refocus`] will focus after the render.
    static REFOCUS: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Scrolls to `location.hash` once the render under way is in, if a page opened with a
/// fragment has not been scrolled to it yet (a post's headings exist only once its body
/// is in).
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

fn target_of(event: &Event) -> Option<Element> {
    event.target()?.dyn_into::<Element>().ok()
}

/// The `<a href>` an event happened in, if any.
fn anchor_of(event: &Event) -> Option<HtmlAnchorElement> {
    target_of(event)?.closest("a[href]").ok()??.dyn_into().ok()
}

/// Buttons go to [`crate::ui::on_button_click`]. Same-origin links to the app's routes
/// are followed in the app with pushState; `#fragment` links scroll within the page (the
/// `<base>` element would otherwise send them to the home page). Anything else is left
/// to the browser.
fn on_click(event: MouseEvent) {
    if CRASHED.load(Ordering::Relaxed) {
        return;
    }
    if let Some(target) = target_of(&event)
        && crate::ui::on_button_click(&target)
    {
        return;
    }
    if event.default_prevented()
        || event.button() != 0
        || event.meta_key()
        || event.ctrl_key()
        || event.shift_key()
        || event.alt_key()
    {
        return;
    }
    let Some(a) = anchor_of(&event) else { return };
    let target = a.target();
    if (!target.is_empty() && target != "_self") || a.has_attribute("download") {
        return;
    }
    let raw = a.get_attribute("href").unwrap_or_default();
    let loc = window().location();
    if let Some(fragment) = raw.strip_prefix('#') {
        event.prevent_default();
        let here = format!(
            "{}{}#{fragment}",
            loc.pathname().unwrap_or_default(),
            loc.search().unwrap_or_default()
        );
        push_url(&here);
        scroll_to_hash();
        return;
    }
    if a.origin() != loc.origin().unwrap_or_default() {
        return;
    }
    let base = store::store().base;
    if model::internal_target(&a.pathname(), &a.search(), base).is_none() {
        return;
    }
    event.prevent_default();
    store::navigate(&a.href());
}

/// Hovering or focusing a link to a post starts fetching that post.
fn on_pointer_or_focus(event: Event) {
    if CRASHED.load(Ordering::Relaxed) {
        return;
    }
    let Some(a) = anchor_of(&event) else { return };
    let base = store::store().base;
    if let Some(Location {
        route: Route::Post { slug },
        ..
    }) = model::internal_target(&a.pathname(), &a.search(), base)
    {
        store::prefetch_post(&slug);
    }
}

fn on_popstate(_: Event) {
    if CRASHED.load(Ordering::Relaxed) {
        return;
    }
    store::sync_location();
}

/// Document-wide listeners for links, prefetching and back/forward.
pub fn install_listeners() {
    let doc = document();
    let win = window();
    let click = Closure::<dyn FnMut(MouseEvent)>::new(on_click);
    let _ = doc.add_event_listener_with_callback("click", click.as_ref().unchecked_ref());
    click.forget();
    let hover = Closure::<dyn FnMut(Event)>::new(on_pointer_or_focus);
    for kind in ["mouseover", "focusin", "touchstart"] {
        let _ = doc.add_event_listener_with_callback(kind, hover.as_ref().unchecked_ref());
    }
    hover.forget();
    let pop = Closure::<dyn FnMut(Event)>::new(on_popstate);
    let _ = win.add_event_listener_with_callback("popstate", pop.as_ref().unchecked_ref());
    pop.forget();
    // For the browser tests of the panic path: `window.__quireTestPanic()` panics. Only
    // the page's own scripts can call it, and a script in the page can break it anyway.
    let panic = Closure::<dyn FnMut()>::new(|| panic!("quire test panic"));
    let _ = js_sys::Reflect::set(&win, &"__quireTestPanic".into(), panic.as_ref());
    panic.forget();
}

/// A panic shows a message in the page instead of leaving it dead, with a link that
/// reloads it.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        CRASHED.store(true, Ordering::Relaxed);
        let message = info.payload().downcast_ref::<&str>().copied();
        web_sys::console::error_2(
            &"Quire stopped after an internal error:".into(),
            &message.unwrap_or("(no message)").into(),
        );
        let doc = document();
        let href = window().location().href().unwrap_or_default();
        let html = format!(
            "<div class=\"load-error crash\" role=\"alert\"><h1>Something went wrong</h1>\
             <p>This page stopped working because of an error in the app.</p>\
             <p><a class=\"reload\" href=\"{}\">Reload the page</a></p></div>",
            escape_html(&href)
        );
        match doc.get_element_by_id("main") {
            Some(main) => main.set_inner_html(&html),
            None => {
                if let Some(body) = doc.body() {
                    body.set_inner_html(&html);
                }
            }
        }
    }));
}
