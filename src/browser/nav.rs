//! Navigation: in-app links and back/forward update the route and selection signals
//! (history.pushState, popstate); everything else is left to the browser. What else must
//! follow the address (search's box and its `?q=`) is handed in as a hook ([`Nav::new`]),
//! so navigation knows nothing of what follows it.

use std::sync::atomic::Ordering;

use leptos::prelude::*;
use quire_core::Route;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, Event, HtmlAnchorElement, MouseEvent};

use super::dom::{self, CRASHED};
use super::store;
use crate::model::{self, Location};

/// Navigation's handle: the signals it moves, and what follows each move. A copy is held
/// by whatever navigates (the document's listeners, the views' `navigate`, search's box).
#[derive(Clone, Copy)]
pub struct Nav {
    pub base: &'static str,
    pub route: RwSignal<Route>,
    pub tags: RwSignal<Vec<String>>,
    /// Called after every move, once the signals are set (see [`Nav::new`]).
    follow: &'static (dyn Fn() + Sync),
}

impl Nav {
    /// Navigation over these signals. `follow` is called after every move (a link, back,
    /// forward, [`Nav::go`], [`Nav::replace`]), once the route and selection signals are
    /// set and before the page scrolls: for state that follows more of the address than
    /// those signals hold. It is made once and kept for the page's life, like the
    /// document's listeners that hold it (a plain reference keeps the handle `Copy`).
    pub fn new(
        base: &'static str,
        route: RwSignal<Route>,
        tags: RwSignal<Vec<String>>,
        follow: impl Fn() + Sync + 'static,
    ) -> Nav {
        Nav {
            base,
            route,
            tags,
            follow: Box::leak(Box::new(follow)),
        }
    }

    /// Goes to an in-app URL: a new history entry, then the views follow. With `stay`,
    /// focus and scroll stay where they are (a tag toggle narrows the list the reader is on).
    pub fn go(self, href: &str, stay: bool) {
        dom::push_url(href);
        self.sync(stay);
    }

    /// Replaces the current history entry with an in-app URL (each keystroke of a search
    /// after the first), then the views follow; focus and scroll stay.
    pub fn replace(self, href: &str) {
        dom::replace_url(href);
        self.sync(true);
    }

    /// Reads the browser's location into the signals; only what changed is set.
    fn sync(self, stay: bool) {
        let Location { route, tags } = dom::current_location(self.base);
        let route_changed = self.route.with_untracked(|r| *r != route);
        if route_changed {
            self.route.set(route);
        }
        if self.tags.with_untracked(|t| *t != tags) {
            self.tags.set(tags);
        }
        (self.follow)();
        if route_changed && !stay {
            dom::after_route_change();
        }
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
fn on_click(nav: Nav, event: MouseEvent) {
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
        || model::internal_target(&store::index(), &a.pathname(), &a.search(), nav.base).is_none()
    {
        return;
    }
    event.prevent_default();
    nav.go(&a.href(), false);
}

/// Hovering or focusing a link to a post starts fetching that post.
fn on_pointer_or_focus(nav: Nav, event: Event) {
    if CRASHED.load(Ordering::Relaxed) {
        return;
    }
    let Some(a) = anchor_of(&event) else { return };
    if let Some(Location {
        route: Route::Post { slug },
        ..
    }) = model::internal_target(&store::index(), &a.pathname(), &a.search(), nav.base)
    {
        store::prefetch_post(&slug);
    }
}

/// Document-wide listeners for links, prefetching and back/forward; once. Each holds a
/// copy of the handle (the listeners live as long as the page: they are never removed).
pub fn install(nav: Nav) {
    let doc = dom::document();
    let win = dom::window();
    let click = Closure::<dyn FnMut(MouseEvent)>::new(move |e| on_click(nav, e));
    let _ = doc.add_event_listener_with_callback("click", click.as_ref().unchecked_ref());
    click.forget();
    let hover = Closure::<dyn FnMut(Event)>::new(move |e| on_pointer_or_focus(nav, e));
    for kind in ["mouseover", "focusin", "touchstart"] {
        let _ = doc.add_event_listener_with_callback(kind, hover.as_ref().unchecked_ref());
    }
    hover.forget();
    let pop = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
        if !CRASHED.load(Ordering::Relaxed) {
            nav.sync(false);
        }
    });
    let _ = win.add_event_listener_with_callback("popstate", pop.as_ref().unchecked_ref());
    pop.forget();
    // For the browser tests of the panic path: `window.__quireTestPanic()` panics.
    let panic = Closure::<dyn FnMut()>::new(|| panic!("quire test panic"));
    let _ = js_sys::Reflect::set(&win, &"__quireTestPanic".into(), panic.as_ref());
    panic.forget();
}
