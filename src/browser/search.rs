//! Search in the browser: the index's manifest and shards, loaded lazily, and the state
//! the search views read ([`SearchState`]).
//!
//! Nothing is fetched for search until the box is focused (the manifest) or there is text
//! to search for (the shards that text needs, from a keystroke or a `?q=` address). Shards
//! are kept for the session, so each further keystroke usually searches without fetching.
//! While a shard the new text needs is on its way, the previous results stay up (marked
//! busy). The address follows the text: the first keystroke after focusing the box adds a
//! history entry (`/search?q=…`), later ones replace it, so back and forward step between
//! searches, not letters.

use std::cell::RefCell;
use std::sync::Arc;

use leptos::prelude::AnyView;
use leptos::prelude::*;
use quire_core::Route;
use quire_core::markdown::plain_text;
use quire_core::route::{encode_path, join_base};
use quire_core::search::{Manifest, Query, Shard};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::spawn_local;
use web_sys::KeyboardEvent;

use super::nav::Nav;
use super::{dom, net, store};
use crate::model::{query_text, search_href};
use crate::state::{Hits, PlainText, SearchEngine, SearchState};
use crate::views::BOX_ID;

enum Load {
    NotAsked,
    Loading,
    Ready(Arc<Manifest>),
    Failed(Arc<str>),
}

struct Engine {
    manifest: Load,
    /// Shards that have landed (or failed), by position in the manifest (plain vectors
    /// indexed by position here and below: each map type would add its own code).
    shards: Vec<Option<Result<Shard, Arc<str>>>>,
    /// Shards asked for.
    asked: Vec<usize>,
    /// Set by the first keystroke after the box got focus (that one adds a history entry).
    typing: bool,
}

#[derive(Clone, Copy)]
struct Signals {
    nav: Nav,
    text: RwSignal<String>,
    /// Bumped whenever the manifest or a shard lands.
    landed: RwSignal<u32>,
    /// Bumped whenever a post's route file lands (for its excerpt).
    pages: RwSignal<u32>,
}

thread_local! {
    static ENGINE: RefCell<Engine> = const {
        RefCell::new(Engine {
            manifest: Load::NotAsked,
            shards: Vec::new(),
            asked: Vec::new(),
            typing: false,
        })
    };
    static SIGNALS: std::cell::Cell<Option<Signals>> = const { std::cell::Cell::new(None) };
    /// Plain texts of posts, by position: `(summary, body)`.
    static PLAIN: RefCell<Vec<Option<PlainText>>> = const { RefCell::new(Vec::new()) };
    /// Route files asked for an excerpt's text, by position: `Some(true)` while on the
    /// way or read, `Some(false)` if it could not be read.
    static PAGES: RefCell<Vec<Option<bool>>> = const { RefCell::new(Vec::new()) };
    static KIT: std::cell::Cell<Option<&'static Kit>> = const { std::cell::Cell::new(None) };
    /// Why the kit's chunk could not be loaded, if its last load failed.
    static KIT_ERROR: RefCell<Option<Arc<str>>> = const { RefCell::new(None) };
}

fn signals() -> Option<Signals> {
    SIGNALS.with(std::cell::Cell::get)
}

fn bump() {
    if let Some(s) = signals() {
        s.landed.update(|n| *n = n.wrapping_add(1));
    }
}

/// The search state for the views; call inside the app's owner, once.
pub fn state(nav: Nav) -> SearchState {
    let initial = if nav.route.get_untracked() == Route::Search {
        query_text(&dom::window().location().search().unwrap_or_default())
    } else {
        String::new()
    };
    let text = RwSignal::new(initial);
    let landed = RwSignal::new(0u32);
    let pages = RwSignal::new(0u32);
    SIGNALS.with(|c| {
        c.set(Some(Signals {
            nav,
            text,
            landed,
            pages,
        }))
    });
    SearchState {
        text,
        wake: Arc::new(wake),
        input: Arc::new(input),
        results: Arc::new(results),
    }
}

/// The engine's answer for `text`, starting the fetches it needs.
fn compute(text: &str, prev: Option<&Hits>) -> Hits {
    if text.trim().is_empty() {
        return Hits::Idle;
    }
    load_manifest();
    ENGINE.with(|e| {
        let e = &mut *e.borrow_mut();
        let manifest = match &e.manifest {
            Load::Ready(m) => m.clone(),
            Load::Failed(why) => return Hits::Failed(why.clone()),
            Load::NotAsked | Load::Loading => return Hits::Loading,
        };
        let query = Query::parse(text, manifest.stem);
        let mut missing = false;
        for i in query.plan(&manifest) {
            match e.shards.get(i).and_then(Option::as_ref) {
                Some(Ok(_)) => {}
                Some(Err(why)) => return Hits::Failed(why.clone()),
                None => {
                    missing = true;
                    if !e.asked.contains(&i) {
                        e.asked.push(i);
                        load_shard(manifest.clone(), i);
                    }
                }
            }
        }
        // A word too short to be a prefix yet: its prefix range's shards start on their
        // way now, so the next letter finds them here or in flight.
        for i in query.ahead(&manifest) {
            if e.shards.get(i).is_some_and(Option::is_none) && !e.asked.contains(&i) {
                e.asked.push(i);
                load_shard(manifest.clone(), i);
            }
        }
        if missing {
            return match prev {
                Some(Hits::Ready { query, hits, .. }) => Hits::Ready {
                    query: query.clone(),
                    hits: hits.clone(),
                    busy: true,
                },
                _ => Hits::Loading,
            };
        }
        let shards = &e.shards;
        match query.search(&manifest, |i| {
            shards.get(i).and_then(|s| s.as_ref()?.as_ref().ok())
        }) {
            Ok(hits) => Hits::Ready {
                query: Arc::new(query),
                hits: Arc::new(hits.into_iter().map(|h| h.post).collect()),
                busy: false,
            },
            Err(why) => Hits::Failed(format!("the search index is damaged ({why})").into()),
        }
    })
}

/// Search's code that only runs once a reader searches: the engine (query parsing, shard
/// planning, ranking), the index decoders, the results view and the posts' texts for its
/// excerpts. Everything here and below that only these two functions reach is reached
/// only through this table, which `kit` returns. In a release build for the browser
/// (`--cfg quire_split`, set by build.rs) `kit` is a split point: Trunk's post-build hook
/// (scripts/lib/trunk-post-build) moves that code into a Wasm chunk of its own, fetched on
/// the first call. Otherwise `kit` is a plain `async fn` returning the table at once: a
/// split point imports its loader from a module that only the split step provides, so an
/// unsplit build with one would not start.
pub struct Kit {
    manifest: fn(&[u8]) -> Result<Manifest, String>,
    results: fn() -> AnyView,
}

static KIT_TABLE: Kit = Kit {
    manifest: |bytes| Manifest::decode(bytes).map_err(|e| e.to_string()),
    results: engine_results,
};

/// The results view, with the engine's answers for it.
fn engine_results() -> AnyView {
    let Some(s) = signals() else {
        return ().into_any();
    };
    let (landed, text) = (s.landed, s.text);
    let hits = Memo::new(move |prev: Option<&Hits>| {
        landed.track();
        text.with(|t| compute(t, prev))
    });
    provide_context(SearchEngine {
        hits,
        plain: Arc::new(plain),
        excerpt: Arc::new(excerpt_text),
    });
    crate::views::SearchResults().into_any()
}

// `#[lazy]` itself (leptos' wrapper) expects the chunk to load and panics otherwise, which
// aborts the whole app; `fallible` hands the failure back instead.
#[cfg(quire_split)]
#[leptos::wasm_split::wasm_split(search, wasm_split_path = ::leptos::wasm_split, fallible)]
fn kit() -> Result<&'static Kit, leptos::wasm_split::SplitLoaderError> {
    Ok(&KIT_TABLE)
}

#[cfg(not(quire_split))]
async fn kit() -> Result<&'static Kit, std::convert::Infallible> {
    Ok(&KIT_TABLE)
}

/// The kit, if its chunk is in.
fn loaded_kit() -> Option<&'static Kit> {
    KIT.with(std::cell::Cell::get)
}

/// The kit, fetching its chunk on the first call (once; later calls wait for the same).
async fn load_kit() -> Result<&'static Kit, Arc<str>> {
    if let Some(kit) = loaded_kit() {
        return Ok(kit);
    }
    match kit().await {
        Ok(kit) => {
            if loaded_kit().is_none() {
                KIT.with(|k| k.set(Some(kit)));
                bump();
            }
            Ok(kit)
        }
        // The loader's error says no more than this (and costs formatting code to say it).
        Err(_) => {
            let why: Arc<str> = Arc::from("its code could not be loaded");
            KIT_ERROR.with(|k| k.replace(Some(why.clone())));
            bump();
            Err(why)
        }
    }
}

/// The `/search` view: the results once the kit is in, its heading and a status until then.
fn results() -> AnyView {
    let Some(s) = signals() else {
        return ().into_any();
    };
    let landed = s.landed;
    let ready = Memo::new(move |_| {
        landed.track();
        loaded_kit().is_some()
    });
    if !ready.get_untracked() {
        spawn_local(async {
            let _ = load_kit().await;
        });
    }
    let status = move || {
        landed.track();
        KIT_ERROR.with(|k| k.borrow().clone()).map_or_else(
            || "Searching…".to_string(),
            |why| format!("Search is not available: {why}."),
        )
    };
    (move || match ready.get() {
        true => loaded_kit().map(|kit| (kit.results)()),
        false => Some(
            view! {
                <div class="search-page">
                    <header class="page-header">
                        <h1>"Search"</h1>
                        <p class="search-status" role="status" aria-live="polite" aria-atomic="true">
                            {status}
                        </p>
                    </header>
                </div>
            }
            .into_any(),
        ),
    })
    .into_any()
}

/// The box got focus: the next keystroke starts a new history entry; the manifest loads.
fn wake() {
    ENGINE.with(|e| e.borrow_mut().typing = false);
    load_manifest();
}

/// Starts fetching the manifest (once).
fn load_manifest() {
    let name = store::index().search.clone();
    let start = ENGINE.with(|e| {
        let e = &mut *e.borrow_mut();
        if !matches!(e.manifest, Load::NotAsked) {
            return false;
        }
        // Set here, not signalled: the caller may be computing results right now.
        e.manifest = match name {
            Some(_) => Load::Loading,
            None => Load::Failed("this site was built without a search index".into()),
        };
        true
    });
    let (true, Some(name)) = (start, name) else {
        return;
    };
    spawn_local(async move {
        // The chunk and the manifest come in parallel.
        let (kit, bytes) = futures::future::join(load_kit(), fetch(&name)).await;
        let loaded = match kit.and_then(|kit| {
            bytes.and_then(|bytes| (kit.manifest)(&bytes).map_err(|e| damaged(&name, e)))
        }) {
            Ok(m) => {
                ENGINE
                    .with(|e| e.borrow_mut().shards = (0..m.shards.len()).map(|_| None).collect());
                Load::Ready(Arc::new(m))
            }
            Err(e) => Load::Failed(e),
        };
        ENGINE.with(|e| e.borrow_mut().manifest = loaded);
        bump();
    });
}

/// A search file under `data/`, as bytes.
async fn fetch(name: &str) -> Result<Vec<u8>, Arc<str>> {
    net::fetch_bytes(
        &store::data_url(&format!("data/{name}")),
        net::Fetch::default(),
    )
    .await
    .map_err(Arc::from)
}

fn damaged(name: &str, e: impl std::fmt::Display) -> Arc<str> {
    format!("the file {name} is damaged: {e}").into()
}

fn load_shard(manifest: Arc<Manifest>, i: usize) {
    spawn_local(async move {
        let name = &manifest.shards[i].file;
        let shard = fetch(name)
            .await
            .and_then(|bytes| Shard::decode(bytes).map_err(|e| damaged(name, e)));
        ENGINE.with(|e| {
            if let Some(slot) = e.borrow_mut().shards.get_mut(i) {
                *slot = Some(shard);
            }
        });
        bump();
    });
}

/// A post's plain text already worked out, if it is.
fn cached(pos: usize) -> Option<PlainText> {
    PLAIN.with(|p| p.borrow().get(pos).cloned().flatten())
}

fn keep(pos: usize, text: PlainText) {
    PLAIN.with(|p| {
        let mut p = p.borrow_mut();
        if p.len() <= pos {
            p.resize(pos + 1, None);
        }
        p[pos] = Some(text);
    });
}

/// A post's plain text from its summary and body Markdown (`None` while either loads; a
/// chunk that cannot be read gives empty text: no excerpt, and phrases do not match).
fn from_markdown(
    pos: usize,
    summary: Result<Option<String>, String>,
    body: Result<Option<String>, String>,
) -> Option<PlainText> {
    let text = |found: Result<Option<String>, String>| match found {
        Ok(Some(md)) => Some(Arc::<str>::from(plain_text(&md))),
        Ok(None) => None,
        Err(_) => Some(Arc::from("")),
    };
    let both = (text(summary)?, text(body)?);
    keep(pos, both.clone());
    Some(both)
}

/// A post's summary and body as `read(chunk, slot)` gives them.
fn chunk_texts<T>(pos: usize, read: impl Fn(&str, usize) -> T) -> Option<(T, T)> {
    let index = store::index();
    let (c, slot) = index.summary_location(pos);
    let b = index.posts.get(pos)?.body;
    Some((
        read(&index.summaries[c], slot),
        read(&index.bodies[b.chunk as usize], b.slot as usize),
    ))
}

/// A post's plain `(summary, body)` from its chunks, fetching them (tracked: `None` until
/// both are in). Phrase checks need the whole text as the index saw it.
fn plain(pos: usize) -> Option<PlainText> {
    if let Some(t) = cached(pos) {
        return Some(t);
    }
    let (summary, body) = chunk_texts(pos, store::markdown)?;
    from_markdown(pos, summary, body)
}

/// A post's text for its excerpt (tracked). From its chunks if something already asked
/// for them (an open post, a list, a phrase check); else from the post's route file, which
/// holds the same text rendered and is a small fraction of a chunk of bodies. If the route
/// file cannot be read, from the chunks after all.
fn excerpt_text(pos: usize) -> Option<PlainText> {
    if let Some(t) = cached(pos) {
        return Some(t);
    }
    if let (Some(summary), Some(body)) = chunk_texts(pos, store::markdown_if_asked)? {
        return from_markdown(pos, summary, body);
    }
    let s = signals()?;
    s.pages.track();
    let asked = PAGES.with(|p| {
        let mut p = p.borrow_mut();
        if p.len() <= pos {
            p.resize(pos + 1, None);
        }
        let was = p[pos];
        p[pos] = Some(was.unwrap_or(true));
        was
    });
    match asked {
        Some(false) => return plain(pos),
        Some(true) => return None,
        None => {}
    }
    let route = Route::Post {
        slug: store::index().posts[pos].slug.clone(),
    };
    let url = join_base(s.nav.base, &encode_path(&format!("/{}", route.file())));
    spawn_local(async move {
        let how = net::Fetch {
            background: true,
            ..net::Fetch::default()
        };
        match net::fetch_text(&url, how)
            .await
            .ok()
            .and_then(|html| page_text(&html))
        {
            Some(text) => keep(pos, text),
            None => PAGES.with(|p| p.borrow_mut()[pos] = Some(false)),
        }
        s.pages.update(|n| *n = n.wrapping_add(1));
    });
    None
}

/// The post's summary (its page description) and body text from a route file, read as an
/// inert document (nothing in it runs or loads).
fn page_text(html: &str) -> Option<PlainText> {
    let doc = web_sys::DomParser::new()
        .ok()?
        .parse_from_string(html, web_sys::SupportedType::TextHtml)
        .ok()?;
    let body = doc
        .query_selector("main .post-body")
        .ok()??
        .text_content()?;
    let summary = doc
        .query_selector("meta[name=description]")
        .ok()
        .flatten()
        .and_then(|m| m.get_attribute("content"))
        .unwrap_or_default();
    Some((summary.into(), body.into()))
}

/// The reader typed (or cleared the box with Escape).
fn input(new: String) {
    let Some(s) = signals() else { return };
    let first = ENGINE.with(|e| !std::mem::replace(&mut e.borrow_mut().typing, true));
    let on_search = s.nav.route.with_untracked(|r| *r == Route::Search);
    if s.text.with_untracked(|t| *t != new) {
        s.text.set(new.clone());
    }
    if !on_search && new.is_empty() {
        return;
    }
    let href = s
        .nav
        .tags
        .with_untracked(|t| search_href(s.nav.base, &new, t));
    if first || !on_search {
        s.nav.go(&href, true);
    } else {
        s.nav.replace(&href);
    }
}

/// After any move (a link, back, forward): the box shows the address's `?q=` on the search
/// page and is empty elsewhere. Navigation's hook ([`Nav::new`]).
pub fn follow_location() {
    let Some(s) = signals() else { return };
    let text = if s.nav.route.with_untracked(|r| *r == Route::Search) {
        query_text(&dom::window().location().search().unwrap_or_default())
    } else {
        String::new()
    };
    if s.text.with_untracked(|t| *t != text) {
        s.text.set(text);
    }
}

/// `/` anywhere but in a text field focuses the search box.
pub fn install() {
    let key = Closure::<dyn FnMut(KeyboardEvent)>::new(|ev: KeyboardEvent| {
        if ev.key() != "/"
            || ev.ctrl_key()
            || ev.meta_key()
            || ev.alt_key()
            || ev.default_prevented()
        {
            return;
        }
        let editing = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| {
                matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                    || el
                        .closest("[contenteditable]:not([contenteditable=false])")
                        .ok()
                        .flatten()
                        .is_some()
            });
        if editing {
            return;
        }
        if let Some(el) = dom::document().get_element_by_id(BOX_ID) {
            ev.prevent_default();
            dom::focus(Some(el));
        }
    });
    let _ =
        dom::document().add_event_listener_with_callback("keydown", key.as_ref().unchecked_ref());
    key.forget();
}
