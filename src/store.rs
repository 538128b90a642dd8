//! The app's state: where the reader is, the index, and the chunk cache.
//!
//! The index is fetched once. Chunks (summaries, bodies) are fetched on first use, kept
//! in memory for the session, and each has its own signal, so a chunk landing re-renders
//! only what shows it. On a small blog every chunk is fetched right after the first view,
//! so that nothing afterwards touches the network.

use std::cell::{Cell, RefCell};
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use quire_core::bundle::{INDEX_PATH, PREFETCH_ALL_BYTES, chunk_from_json};
use quire_core::{Index, Route};

use crate::model::Location;
use crate::{browser, net};

/// The index, loading or loaded.
#[derive(Clone)]
pub enum Load {
    Loading,
    Ready(Arc<Index>),
    Failed(String),
}

/// A chunk file: a JSON array of Markdown texts.
#[derive(Clone)]
pub enum Chunk {
    Loading,
    Ready(Arc<Vec<String>>),
    Failed(String),
}

/// Where the reader is and what is loaded: one signal for both (each signal type costs
/// Wasm bytes, and every view reads both anyway).
pub struct App {
    pub loc: Location,
    pub index: Load,
}

/// Handles to the global state. Copy: pass it anywhere.
#[derive(Clone, Copy)]
pub struct Store {
    /// The base path, `/` or `/blog/`.
    pub base: &'static str,
    pub app: RwSignal<App>,
}

thread_local! {
    static STORE: Cell<Option<Store>> = const { Cell::new(None) };
    /// Every chunk asked for, by file name. A list, not a map: a blog has at most a few
    /// hundred chunks, and a hash map's code would cost more bytes than the scan costs time.
    static CHUNKS: RefCell<Vec<(String, ArcRwSignal<Chunk>)>> = const { RefCell::new(Vec::new()) };
}

/// Creates the global signals. Call once, before mounting.
pub fn init() {
    let base: &'static str = Box::leak(browser::base_path().into_boxed_str());
    let store = Store {
        base,
        app: RwSignal::new(App {
            loc: browser::current_location(base),
            index: Load::Loading,
        }),
    };
    STORE.with(|s| s.set(Some(store)));
}

pub fn store() -> Store {
    STORE
        .with(Cell::get)
        .expect("store::init runs before anything else")
}

/// The loaded index, if it is.
pub fn ready_index() -> Option<Arc<Index>> {
    store().app.with_untracked(|a| match &a.index {
        Load::Ready(index) => Some(index.clone()),
        _ => None,
    })
}

/// A file of the bundle, by its path relative to the site root.
fn data_url(path: &str) -> String {
    format!("{}{path}", store().base)
}

/// Fetches the index (again, when `retry`): the loading view shows meanwhile, then the
/// page or an error with a retry button.
pub fn load_index(retry: bool) {
    if retry {
        set_index(Load::Loading);
    }
    spawn_local(async move {
        let result = match net::fetch_text(&data_url(INDEX_PATH), true).await {
            Ok(text) => Index::from_json(&text).map_err(|e| e.to_string()),
            Err(e) => Err(e),
        };
        match result {
            Ok(index) => {
                let small = index.chunk_bytes <= PREFETCH_ALL_BYTES;
                set_index(Load::Ready(Arc::new(index)));
                if small {
                    // After the first view has rendered (render effects run as microtasks).
                    browser::after_render(prefetch_all);
                }
            }
            Err(e) => set_index(Load::Failed(e)),
        }
    });
}

fn set_index(load: Load) {
    store().app.update(|a| a.index = load);
}

/// The state of a chunk file, fetching it the first time it is asked for; in a reactive
/// context, what reads it is redrawn when it changes.
pub fn chunk_state(name: &str) -> Chunk {
    chunk(name).get()
}

/// The signal of a chunk file (a name from [`Index::summaries`] or [`Index::bodies`]),
/// fetching it the first time it is asked for.
pub fn chunk(name: &str) -> ArcRwSignal<Chunk> {
    let known = CHUNKS.with(|c| {
        c.borrow()
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, sig)| sig.clone())
    });
    if let Some(sig) = known {
        return sig;
    }
    let sig = ArcRwSignal::new(Chunk::Loading);
    CHUNKS.with(|c| c.borrow_mut().push((name.to_string(), sig.clone())));
    fetch_chunk(name.to_string(), sig.clone(), false);
    sig
}

/// Fetches a chunk again, past the browser's cache: one that failed, or one that loaded
/// but lacks a text the page needs (a stale copy).
pub fn retry_chunk(name: &str) {
    let sig = chunk(name);
    if !matches!(sig.get_untracked(), Chunk::Loading) {
        fetch_chunk(name.to_string(), sig, true);
    }
}

fn fetch_chunk(name: String, sig: ArcRwSignal<Chunk>, retry: bool) {
    if retry {
        sig.set(Chunk::Loading);
    }
    spawn_local(async move {
        let url = data_url(&format!("data/{name}"));
        let state = match net::fetch_text(&url, retry).await {
            Ok(text) => match chunk_from_json(&text) {
                Ok(texts) => Chunk::Ready(Arc::new(texts)),
                Err(e) => Chunk::Failed(format!("the file {name} is damaged: {e}")),
            },
            Err(e) => Chunk::Failed(e),
        };
        sig.set(state);
    });
}

/// Starts fetching what a post page needs (its body and summary), e.g. when a link to
/// it is hovered or focused.
pub fn prefetch_post(slug: &str) {
    let Some(index) = ready_index() else { return };
    if let Some(pos) = index.post_position(slug) {
        chunk(&index.bodies[index.posts[pos].body.chunk as usize]);
        chunk(&index.summaries[index.summary_location(pos).0]);
    }
}

/// Fetches every chunk (a small blog's whole bundle).
fn prefetch_all() {
    let Some(index) = ready_index() else { return };
    for name in index.summaries.iter().chain(&index.bodies) {
        chunk(name);
    }
}

/// Moves to an in-app URL: a new history entry, then the views follow.
pub fn navigate(href: &str) {
    browser::push_url(href);
    sync_location();
}

/// Reads the browser's location into the store (after pushState or on popstate).
pub fn sync_location() {
    let s = store();
    let next = browser::current_location(s.base);
    let route_changed = s.app.with_untracked(|a| a.loc.route != next.route);
    s.app.update(|a| a.loc = next);
    if route_changed {
        browser::after_route_change();
    }
}

/// The current route, untracked.
pub fn current_route() -> Route {
    store().app.with_untracked(|a| a.loc.route.clone())
}
