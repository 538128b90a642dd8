//! Navigation: in-app links and back/forward update the route and selection signals
//! (history.pushState, popstate); everything else is left to the browser.

use std::sync::atomic::Ordering;

use leptos::prelude::*;
use quire_core::Route;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, Event, HtmlAnchorElement, MouseEvent};

use super::dom::{self, CRASHED};
use super::store;
use crate::model::{self, Location};

/// The signals navigation moves.
#[derive(Clone, Copy)]
struct Nav {
    base: &'static str,
    route: RwSignal<Route>,
    tags: RwSignal<Vec<String>>,
}

thread_local! {
    static NAV: std::cell::Cell<Option<Nav>> = const { std::cell::Cell::new(None) };
}

fn nav() -> Option<Nav> {
    NAV.with(std::cell::Cell::get)
}

/// Goes to an in-app URL: a new history entry, then the views follow. With `stay`, focus
/// and scroll stay where they are (a tag toggle narrows the list the reader is on).
pub fn go(href: &str, stay: bool) {
    dom::push_url(href);
    sync(stay);
}

/// Replaces the current history entry with an in-app URL (each keystroke of a search
/// after the first), then the views follow; focus and scroll stay.
pub fn replace(href: &str) {
    dom::replace_url(href);
    sync(true);
}

/// Reads the browser's location into the signals; only what changed is set.
fn sync(stay: bool) {
    let Some(n) = nav() else { return };
    let Location { route, tags } = dom::current_location(n.base);
    let route_changed = n.route.with_untracked(|r| *r != route);
    if route_changed {
        n.route.set(route);
    }
    if n.tags.with_untracked(|t| *t != tags) {
        n.tags.set(tags);
    }
    super::search::follow_location();
    if route_changed && !stay {
        dom::after_route_change();
    }
}

fn target_of(event: &Event) -> Option<Element> {
    event.target()?.dyn_into::<Element>().ok()
}

/// The `<a href>` an event happened in, if any.
fn anchor_of(event: &Event) -> Option<HtmlAnchorElement> {
    target_of(event)?.closest("a[href]").ok()??.dyn_into().ok()
}

/// Same-origin links to the app's routes are followed in the app; `#fragment` links
/// scroll within the page (the `<base>` element would otherwise send them home).
fn on_click(event: MouseEvent) {
    let Some(n) = nav() else { return };
    if CRASHED.load(Ordering::Relaxed)
        || event.default_prevented()
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
    let loc = dom::window().location();
    if let Some(fragment) = raw.strip_prefix('#') {
        event.prevent_default();
        let here = format!(
            "{}{}#{fragment}",
            loc.pathname().unwrap_or_default(),
            loc.search().unwrap_or_default()
        );
        dom::push_url(&here);
        dom::scroll_to_hash();
        return;
    }
    if a.origin() != loc.origin().unwrap_or_default()
        || model::internal_target(&a.pathname(), &a.search(), n.base).is_none()
    {
        return;
    }
    event.prevent_default();
    go(&a.href(), false);
}

/// Hovering or focusing a link to a post starts fetching that post.
fn on_pointer_or_focus(event: Event) {
    let Some(n) = nav() else { return };
    if CRASHED.load(Ordering::Relaxed) {
        return;
    }
    let Some(a) = anchor_of(&event) else { return };
    if let Some(Location {
        route: Route::Post { slug },
        ..
    }) = model::internal_target(&a.pathname(), &a.search(), n.base)
    {
        store::prefetch_post(&slug);
    }
}

/// Document-wide listeners for links, prefetching and back/forward.
pub fn install(base: &'static str, route: RwSignal<Route>, tags: RwSignal<Vec<String>>) {
    NAV.with(|c| c.set(Some(Nav { base, route, tags })));
    let doc = dom::document();
    let win = dom::window();
    let click = Closure::<dyn FnMut(MouseEvent)>::new(on_click);
    let _ = doc.add_event_listener_with_callback("click", click.as_ref().unchecked_ref());
    click.forget();
    let hover = Closure::<dyn FnMut(Event)>::new(on_pointer_or_focus);
    for kind in ["mouseover", "focusin", "touchstart"] {
        let _ = doc.add_event_listener_with_callback(kind, hover.as_ref().unchecked_ref());
    }
    hover.forget();
    let pop = Closure::<dyn FnMut(Event)>::new(|_: Event| {
        if !CRASHED.load(Ordering::Relaxed) {
            sync(false);
        }
    });
    let _ = win.add_event_listener_with_callback("popstate", pop.as_ref().unchecked_ref());
    pop.forget();
    // For the browser tests of the panic path: `window.__quireTestPanic()` panics.
    let panic = Closure::<dyn FnMut()>::new(|| panic!("quire test panic"));
    let _ = js_sys::Reflect::set(&win, &"__quireTestPanic".into(), panic.as_ref());
    panic.forget();
}
