//! The bundle in the browser: the index (fetched once, before the app mounts) and the
//! chunk files (summaries, bodies), each fetched on first use into a signal of its own,
//! so a chunk landing redraws only what shows it. Rendered Markdown is cached per post.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use quire_core::bundle::{
    Body, INDEX_PATH, PREFETCH_ALL_BYTES, body_chunk_from_json, chunk_from_json,
};
use quire_core::{Index, Route};
// Fetches start before anything is mounted (Leptos' executor starts with the mount).
use wasm_bindgen_futures::spawn_local;

use super::net;
use crate::model::{body_html, summary_html};
use crate::state::Text;

/// A chunk file: its entries (a summary chunk's Markdown texts are bodies without
/// extras).
#[derive(Clone)]
pub enum Chunk {
    Loading,
    Ready(Arc<Vec<Body>>),
    Failed(String),
}

thread_local! {
    static BASE: RefCell<String> = const { RefCell::new(String::new()) };
    static INDEX: RefCell<Option<Arc<Index>>> = const { RefCell::new(None) };
    /// Every chunk asked for, by file name.
    static CHUNKS: RefCell<HashMap<String, ArcRwSignal<Chunk>>> = RefCell::new(HashMap::new());
    /// Rendered summaries and bodies, by (is body, post position).
    static RENDERED: RefCell<HashMap<(bool, usize), Arc<str>>> = RefCell::new(HashMap::new());
}

pub fn set_base(base: &str) {
    BASE.with(|b| *b.borrow_mut() = base.to_string());
}

/// A file of the bundle, by its path relative to the site root.
pub fn data_url(path: &str) -> String {
    BASE.with(|b| format!("{}{path}", b.borrow()))
}

/// Fetches and checks the index; keeps it for the session.
pub async fn load_index() -> Result<Arc<Index>, String> {
    let how = net::Fetch {
        revalidate: true,
        ..net::Fetch::default()
    };
    let text = net::fetch_text(&data_url(INDEX_PATH), how).await?;
    let index = Arc::new(Index::from_json(&text).map_err(|e| e.to_string())?);
    INDEX.with(|i| *i.borrow_mut() = Some(index.clone()));
    Ok(index)
}

pub fn index() -> Arc<Index> {
    INDEX
        .with(|i| i.borrow().clone())
        .expect("the index is loaded before the app mounts")
}

/// The signal of a chunk file, fetching it the first time it is asked for.
pub fn chunk(name: &str) -> ArcRwSignal<Chunk> {
    let (sig, fetch) = chunk_entry(name);
    if let Some(fetch) = fetch {
        spawn_local(fetch);
    }
    sig
}

/// A chunk's signal and, the first time it is asked for, the fetch that fills it (for
/// the caller to run).
fn chunk_entry(
    name: &str,
) -> (
    ArcRwSignal<Chunk>,
    Option<impl Future<Output = ()> + 'static>,
) {
    if let Some(sig) = CHUNKS.with(|c| c.borrow().get(name).cloned()) {
        return (sig, None);
    }
    let sig = ArcRwSignal::new(Chunk::Loading);
    CHUNKS.with(|c| c.borrow_mut().insert(name.to_string(), sig.clone()));
    let (name, target) = (name.to_string(), sig.clone());
    (
        sig,
        Some(async move { fetch_chunk(&name, &target, false).await }),
    )
}

/// Fetches these chunks side by side (each on its own task, as [`chunk`] does) and waits
/// until each has landed or failed. Meant for the start, before anything else asked for a
/// chunk: a chunk already asked for is not fetched again and not waited for.
pub async fn settle(names: Vec<String>) {
    let mut landed = Vec::new();
    for fetch in names.iter().filter_map(|n| chunk_entry(n).1) {
        let (tx, rx) = futures::channel::oneshot::channel::<()>();
        spawn_local(async move {
            fetch.await;
            let _ = tx.send(());
        });
        landed.push(rx);
    }
    for rx in landed {
        let _ = rx.await;
    }
}

/// Fetches a chunk again, past the browser's cache (after a failure).
pub fn retry_chunk(name: String) {
    let sig = chunk(&name);
    if !matches!(sig.get_untracked(), Chunk::Loading) {
        sig.set(Chunk::Loading);
        spawn_local(async move { fetch_chunk(&name, &sig, true).await });
    }
}

async fn fetch_chunk(name: &str, sig: &ArcRwSignal<Chunk>, retry: bool) {
    let url = data_url(&format!("data/{name}"));
    let how = net::Fetch {
        revalidate: retry,
        ..net::Fetch::default()
    };
    // Body chunks are `b-<hash>.json` (docs/BUNDLE.md).
    let parsed = |text: &str| match name.starts_with("b-") {
        true => body_chunk_from_json(text),
        false => chunk_from_json(text).map(|texts| {
            texts
                .into_iter()
                .map(|md| Body {
                    md,
                    ..Body::default()
                })
                .collect()
        }),
    };
    let state = match net::fetch_text(&url, how).await {
        Ok(text) => match parsed(&text) {
            Ok(entries) => Chunk::Ready(Arc::new(entries)),
            Err(e) => Chunk::Failed(format!("the file {name} is damaged: {e}")),
        },
        Err(e) => Chunk::Failed(e),
    };
    // A retry may have started meanwhile; the later answer wins either way.
    sig.set(state);
}

/// The Markdown text in slot `slot` of a chunk, tracked.
pub fn markdown(name: &str, slot: usize) -> Result<Option<String>, String> {
    entry(name, slot).map(|e| e.map(|e| e.md))
}

/// The entry in slot `slot` of a chunk, tracked.
fn entry(name: &str, slot: usize) -> Result<Option<Body>, String> {
    slot_entry(chunk(name).get(), slot)
}

/// Like [`markdown`], for a chunk something already asked for; `None` (and nothing
/// fetched) if nothing did.
pub fn markdown_if_asked(name: &str, slot: usize) -> Option<Result<Option<String>, String>> {
    let sig = CHUNKS.with(|c| c.borrow().get(name).cloned())?;
    Some(slot_entry(sig.get(), slot).map(|e| e.map(|e| e.md)))
}

fn slot_entry(chunk: Chunk, slot: usize) -> Result<Option<Body>, String> {
    match chunk {
        Chunk::Loading => Ok(None),
        Chunk::Failed(e) => Err(e),
        Chunk::Ready(texts) => texts
            .get(slot)
            .cloned()
            .map(Some)
            .ok_or_else(|| "the text is missing from its file; rebuild the site".to_string()),
    }
}

fn rendered<T>(
    key: (bool, usize),
    found: Result<Option<T>, String>,
    render: impl FnOnce(&T) -> String,
) -> Text {
    match found {
        Ok(None) => Text::Loading,
        Err(e) => Text::Failed(e.into()),
        Ok(Some(md)) => Text::Ready(RENDERED.with(|r| {
            r.borrow_mut()
                .entry(key)
                .or_insert_with(|| render(&md).into())
                .clone()
        })),
    }
}

/// A post's summary as a list shows it (tracked: redrawn when its chunk lands).
pub fn summary(pos: usize) -> Text {
    let index = index();
    let (c, slot) = index.summary_location(pos);
    let policy = index.site.raw_html;
    rendered((false, pos), markdown(&index.summaries[c], slot), |md| {
        summary_html(md, policy, pos)
    })
}

/// A post's body (tracked).
pub fn body(pos: usize) -> Text {
    let index = index();
    let b = index.posts[pos].body;
    let policy = index.site.raw_html;
    rendered(
        (true, pos),
        entry(&index.bodies[b.chunk as usize], b.slot as usize),
        |body| body_html(body, policy),
    )
}

/// A standalone page's body (tracked). Cached beside the posts' bodies, after them.
pub fn page_body(pos: usize) -> Text {
    let index = index();
    let b = index.pages[pos].body;
    let policy = index.site.raw_html;
    rendered(
        (true, index.posts.len() + pos),
        entry(&index.bodies[b.chunk as usize], b.slot as usize),
        |body| body_html(body, policy),
    )
}

/// A post's summary Markdown, if its chunk is in (tracked): for the page description.
pub fn summary_markdown(pos: usize) -> Option<String> {
    let index = index();
    let (c, slot) = index.summary_location(pos);
    markdown(&index.summaries[c], slot).ok().flatten()
}

/// The chunks a route's first view shows: the summaries of a list page's posts, a post's
/// body and summary, a standalone page's body.
pub fn chunks_for(index: &Index, route: &Route, tags: &[String]) -> Vec<String> {
    use crate::model::{Filtered, ListBase, View, page_of, summary_chunks};
    match View::of(index, route) {
        View::List => {
            let base = ListBase::new(index, &route.with_page(1)).unwrap_or_default();
            let filtered = Filtered::new(index, &base, tags);
            let (shown, _) = quire_core::filter::paginate(
                &filtered.list,
                index.site.posts_per_page,
                page_of(route),
            );
            summary_chunks(index, shown)
                .into_iter()
                .map(|c| index.summaries[c].clone())
                .collect()
        }
        View::Post(pos) => vec![
            index.bodies[index.posts[pos].body.chunk as usize].clone(),
            index.summaries[index.summary_location(pos).0].clone(),
        ],
        View::Page(pos) => vec![index.bodies[index.pages[pos].body.chunk as usize].clone()],
        _ => Vec::new(),
    }
}

/// Starts fetching what a post page needs, e.g. when a link to it is hovered.
pub fn prefetch_post(slug: &str) {
    let index = index();
    if let Some(pos) = index.post_position(slug) {
        chunk(&index.bodies[index.posts[pos].body.chunk as usize]);
        chunk(&index.summaries[index.summary_location(pos).0]);
    }
}

/// On a small blog, fetches every chunk, so nothing afterwards touches the network.
pub fn prefetch_all_if_small() {
    let index = index();
    if index.chunk_bytes <= PREFETCH_ALL_BYTES {
        for name in index.summaries.iter().chain(&index.bodies) {
            chunk(name);
        }
    }
}
