//! The app in the browser. The page the reader sees first is the prerendered route file;
//! [`start`] fetches the index and the chunks that page shows, mounts the same components
//! over that data off-screen, and swaps them in for the prerendered root in one task (so
//! in one frame: no flash, no layout shift, the scroll position kept). From then on every
//! click is handled in the page.

mod dom;
mod nav;
mod net;
mod search;
mod store;

use std::sync::Arc;

use leptos::prelude::*;
use quire_core::meta::page_meta;
use wasm_bindgen::JsCast;
// Fetches start before anything is mounted (Leptos' executor starts with the mount).
use wasm_bindgen_futures::spawn_local;
use web_sys::Element;

use crate::model::{self, View};
use crate::state::AppState;
use crate::views::App;

/// The id of the app's root element, in the route files and once mounted.
pub const ROOT_ID: &str = "app";

pub fn start() {
    dom::install_panic_hook();
    // A page prerendered by a quire from other sources would not match these components:
    // it stays as it is (readable), and the console says why.
    if let Ok(Some(meta)) = dom::document().query_selector("meta[name=\"quire-build\"]")
        && meta.get_attribute("content").as_deref() != Some(crate::BUILD_MARK)
    {
        web_sys::console::error_1(
            &format!(
                "quire: this page was built by another version of quire than this app ({}); rebuild the site",
                crate::BUILD_MARK
            )
            .into(),
        );
        return;
    }
    let base: &'static str = Box::leak(dom::base_path().into_boxed_str());
    store::set_base(base);
    spawn_local(take_over(base));
}

async fn take_over(base: &'static str) {
    let index = loop {
        match store::load_index().await {
            Ok(index) => break index,
            Err(reason) => {
                // The prerendered page stays readable; say why it stays static, and retry.
                if !wait_for_retry(&reason).await {
                    return;
                }
            }
        }
    };
    let loc = dom::current_location(base);
    store::settle(store::chunks_for(&index, &loc.route, &loc.tags)).await;
    mount(base, index, loc);
}

/// Shows why the app could not start, with a button; resolves when it is pressed.
async fn wait_for_retry(reason: &str) -> bool {
    let doc = dom::document();
    let Some(main) = doc.get_element_by_id("main") else {
        return false;
    };
    let (tx, rx) = futures::channel::oneshot::channel::<()>();
    let tx = std::cell::Cell::new(Some(tx));
    let notice = doc.create_element("div").expect("an element");
    let reason = reason.to_string();
    let handle = leptos::mount::mount_to(notice.clone().unchecked_into(), move || {
        view! { <LoadFailed reason=reason on_retry=move || { if let Some(tx) = tx.take() { let _ = tx.send(()); } }/> }
    });
    let _ = main.prepend_with_node_1(&notice);
    let pressed = rx.await.is_ok();
    drop(handle);
    notice.remove();
    pressed
}

/// The index could not be fetched or read: the page stays as prerendered.
#[component]
fn LoadFailed(reason: String, on_retry: impl Fn() + 'static) -> impl IntoView {
    view! {
        <div class="load-error" role="alert">
            <h1>"The posts could not be loaded"</h1>
            <p class="reason">{format!("The post index (data/index.json) could not be read: {reason}.")}</p>
            <p>"This may be a passing problem with the connection or the server."</p>
            <button type="button" class="retry" data-retry="index" on:click=move |_| on_retry()>
                "Try again"
            </button>
        </div>
    }
}

fn mount(base: &'static str, index: Arc<quire_core::Index>, loc: model::Location) {
    let doc = dom::document();
    let route = RwSignal::new(loc.route);
    let tags = RwSignal::new(loc.tags);
    let search = search::Search::new(base, route, tags);
    let nav = nav::Nav::new(base, route, tags, move || search.follow_location());
    let state = AppState {
        index: index.clone(),
        base: base.into(),
        route,
        tags,
        summary: Arc::new(store::summary),
        body: Arc::new(store::body),
        page_body: Arc::new(store::page_body),
        navigate: Arc::new(move |href: String| nav.go(&href, true)),
        retry: Arc::new(store::retry_chunk),
        in_app: StoredValue::new(false),
        lists: Arc::default(),
    };
    let in_app = state.in_app;
    let fresh = doc.create_element("div").expect("an element");
    fresh.set_id(ROOT_ID);
    fresh.set_class_name("app");
    let handle = leptos::mount::mount_to(fresh.clone().unchecked_into(), move || {
        provide_context(search.state(nav));
        provide_context(state);
        view! { <App/> }
    });
    handle.forget();
    // The swap: focus moves to the same control in the new tree.
    let old = doc.get_element_by_id(ROOT_ID);
    let focused = old.as_ref().and_then(focus_path);
    match &old {
        Some(old) => {
            let _ = old.replace_with_with_node_1(&fresh);
        }
        None => {
            if let Some(body) = doc.body() {
                let _ = body.prepend_with_node_1(&fresh);
            }
        }
    }
    if let Some(i) = focused
        && let Ok(list) = fresh.query_selector_all(FOCUSABLE)
        && let Some(el) = list.item(i)
    {
        dom::focus(el.dyn_into().ok());
    }
    in_app.set_value(true);
    nav::install(nav);
    search::install();
    head_effect(index, route);
    // Tests and scripts can tell the page is live from here on.
    if let Some(html) = doc.document_element() {
        let _ = html.set_attribute("data-app", "live");
    }
    dom::scroll_to_pending_hash();
    store::prefetch_all_if_small();
}

const FOCUSABLE: &str = "a[href], button, input, [tabindex]";

/// The position of the focused element among the root's focusable ones, if it is inside.
fn focus_path(root: &Element) -> Option<u32> {
    let active = dom::document().active_element()?;
    if !root.contains(Some(&active)) {
        return None;
    }
    let list = root.query_selector_all(FOCUSABLE).ok()?;
    (0..list.length()).find(|&i| list.item(i).is_some_and(|n| n.is_same_node(Some(&active))))
}

/// Keeps the document's title, description and language in step with the route.
fn head_effect(index: Arc<quire_core::Index>, route: RwSignal<quire_core::Route>) {
    Effect::new(move |_| {
        let resolved = route.with(|r| model::resolve(&index, r));
        let summary = match View::of(&index, &resolved) {
            View::Post(pos) => store::summary_markdown(pos),
            _ => None,
        };
        let meta = page_meta(&index, &resolved, summary.as_deref());
        dom::set_head(&meta.title, &meta.description, &index.site.language);
    });
}
