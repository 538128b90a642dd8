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

use std::cell::{Cell, RefCell};
use std::rc::Rc;
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
use crate::model::{SearchDoc, query_text, search_href};
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

/// What search keeps for the session besides its signals. Each part is borrowed on its
/// own and never across a call that could borrow it again.
struct Cells {
    engine: RefCell<Engine>,
    /// Plain texts of posts, by position: `(summary, body)`.
    plain: RefCell<Vec<Option<PlainText>>>,
    /// Route files asked for an excerpt's text, by position: `Some(true)` while on the
    /// way or read, `Some(false)` if it could not be read.
    pages: RefCell<Vec<Option<bool>>>,
    /// The kit, once its chunk is in.
    kit: Cell<Option<&'static Kit>>,
    /// Why the kit's chunk could not be loaded, if its last load failed.
    kit_error: RefCell<Option<Arc<str>>>,
}

/// Search in the browser: one per app. A handle (`Copy`): its signals and [`Cells`] live
/// as long as the app, and whatever needs them holds a copy (the box's callbacks, the
/// fetches under way, the results view, navigation's hook).
#[derive(Clone, Copy)]
pub struct Search {
    base: &'static str,
    route: RwSignal<Route>,
    tags: RwSignal<Vec<String>>,
    text: RwSignal<String>,
    /// Bumped whenever the manifest or a shard lands.
    landed: RwSignal<u32>,
    /// Bumped whenever a post's route file lands (for its excerpt).
    pages: RwSignal<u32>,
    /// The views' callbacks that hold this handle must be `Send + Sync` (as Leptos'
    /// context values are), and the cells are neither: they sit in the reactive arena's
    /// storage for this thread, and each use takes out the one `Rc`.
    cells: StoredValue<Rc<Cells>, LocalStorage>,
}

impl Search {
    /// Search for the app whose address is in these signals; once, before the app mounts
    /// (navigation's hook is [`Search::follow_location`]).
    pub fn new(base: &'static str, route: RwSignal<Route>, tags: RwSignal<Vec<String>>) -> Search {
        let initial = if route.get_untracked() == Route::Search {
            query_text(&dom::window().location().search().unwrap_or_default())
        } else {
            String::new()
        };
        Search {
            base,
            route,
            tags,
            text: RwSignal::new(initial),
            landed: RwSignal::new(0u32),
            pages: RwSignal::new(0u32),
            cells: StoredValue::new_local(Rc::new(Cells {
                engine: RefCell::new(Engine {
                    manifest: Load::NotAsked,
                    shards: Vec::new(),
                    asked: Vec::new(),
                    typing: false,
                }),
                plain: RefCell::new(Vec::new()),
                pages: RefCell::new(Vec::new()),
                kit: Cell::new(None),
                kit_error: RefCell::new(None),
            })),
        }
    }

    /// The search state for the views; the box's typing moves the address with `nav`.
    pub fn state(self, nav: Nav) -> SearchState {
        SearchState {
            text: self.text,
            wake: Arc::new(move || self.wake()),
            input: Arc::new(move |new| self.input(nav, new)),
            results: Arc::new(move || self.results()),
        }
    }

    fn cells(self) -> Rc<Cells> {
        self.cells.get_value()
    }

    fn bump(self) {
        self.landed.update(|n| *n = n.wrapping_add(1));
    }

    /// The engine's answer for `text`, starting the fetches it needs.
    fn compute(self, text: &str, prev: Option<&Hits>) -> Hits {
        if text.trim().is_empty() {
            return Hits::Idle;
        }
        self.load_manifest();
        let cells = self.cells();
        let e = &mut *cells.engine.borrow_mut();
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
                        self.load_shard(manifest.clone(), i);
                    }
                }
            }
        }
        // A word too short to be a prefix yet: its prefix range's shards start on their
        // way now, so the next letter finds them here or in flight.
        for i in query.ahead(&manifest) {
            if e.shards.get(i).is_some_and(Option::is_none) && !e.asked.contains(&i) {
                e.asked.push(i);
                self.load_shard(manifest.clone(), i);
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
    }
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
    results: fn(Search) -> AnyView,
}

/// The one static search keeps (the split point's loader keeps its own, inside
/// `wasm_split`): the split point takes no arguments and hands back a `'static` table of
/// plain function pointers, which is how the main module reaches the chunk's code; the
/// state those functions work on is passed to them ([`Search`]).
static KIT_TABLE: Kit = Kit {
    manifest: |bytes| Manifest::decode(bytes).map_err(|e| e.to_string()),
    results: engine_results,
};

/// The results view, with the engine's answers for it.
fn engine_results(search: Search) -> AnyView {
    let (landed, text) = (search.landed, search.text);
    let hits = Memo::new(move |prev: Option<&Hits>| {
        landed.track();
        text.with(|t| search.compute(t, prev))
    });
    provide_context(SearchEngine {
        hits,
        plain: Arc::new(move |pos| search.plain(pos)),
        excerpt: Arc::new(move |pos| search.excerpt_text(pos)),
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

impl Search {
    /// The kit, if its chunk is in.
    fn loaded_kit(self) -> Option<&'static Kit> {
        self.cells().kit.get()
    }

    /// The kit, fetching its chunk on the first call (once; later calls wait for the same).
    async fn load_kit(self) -> Result<&'static Kit, Arc<str>> {
        if let Some(kit) = self.loaded_kit() {
            return Ok(kit);
        }
        match kit().await {
            Ok(kit) => {
                if self.loaded_kit().is_none() {
                    self.cells().kit.set(Some(kit));
                    self.bump();
                }
                Ok(kit)
            }
            // The loader's error says no more than this (and costs formatting code to say it).
            Err(_) => {
                let why: Arc<str> = Arc::from("its code could not be loaded");
                self.cells().kit_error.replace(Some(why.clone()));
                self.bump();
                Err(why)
            }
        }
    }

    /// The `/search` view: the results once the kit is in, its heading and a status until
    /// then.
    fn results(self) -> AnyView {
        let landed = self.landed;
        let ready = Memo::new(move |_| {
            landed.track();
            self.loaded_kit().is_some()
        });
        if !ready.get_untracked() {
            spawn_local(async move {
                let _ = self.load_kit().await;
            });
        }
        let status = move || {
            landed.track();
            self.cells().kit_error.borrow().clone().map_or_else(
                || "Searching…".to_string(),
                |why| format!("Search is not available: {why}."),
            )
        };
        (move || match ready.get() {
            true => self.loaded_kit().map(|kit| (kit.results)(self)),
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

    /// The box got focus: the next keystroke starts a new history entry; the manifest
    /// loads.
    fn wake(self) {
        self.cells().engine.borrow_mut().typing = false;
        self.load_manifest();
    }

    /// Starts fetching the manifest (once).
    fn load_manifest(self) {
        let name = store::index().search.clone();
        let start = {
            let cells = self.cells();
            let e = &mut *cells.engine.borrow_mut();
            if !matches!(e.manifest, Load::NotAsked) {
                false
            } else {
                // Set here, not signalled: the caller may be computing results right now.
                e.manifest = match name {
                    Some(_) => Load::Loading,
                    None => Load::Failed("this site was built without a search index".into()),
                };
                true
            }
        };
        let (true, Some(name)) = (start, name) else {
            return;
        };
        spawn_local(async move {
            // The chunk and the manifest come in parallel.
            let (kit, bytes) = futures::future::join(self.load_kit(), fetch(&name)).await;
            let loaded = match kit.and_then(|kit| {
                bytes.and_then(|bytes| (kit.manifest)(&bytes).map_err(|e| damaged(&name, e)))
            }) {
                Ok(m) => {
                    self.cells().engine.borrow_mut().shards =
                        (0..m.shards.len()).map(|_| None).collect();
                    Load::Ready(Arc::new(m))
                }
                Err(e) => Load::Failed(e),
            };
            self.cells().engine.borrow_mut().manifest = loaded;
            self.bump();
        });
    }

    fn load_shard(self, manifest: Arc<Manifest>, i: usize) {
        spawn_local(async move {
            let name = &manifest.shards[i].file;
            let shard = fetch(name)
                .await
                .and_then(|bytes| Shard::decode(bytes).map_err(|e| damaged(name, e)));
            if let Some(slot) = self.cells().engine.borrow_mut().shards.get_mut(i) {
                *slot = Some(shard);
            }
            self.bump();
        });
    }

    /// A post's plain text already worked out, if it is.
    fn cached(self, pos: usize) -> Option<PlainText> {
        self.cells().plain.borrow().get(pos).cloned().flatten()
    }

    fn keep(self, pos: usize, text: PlainText) {
        let cells = self.cells();
        let mut p = cells.plain.borrow_mut();
        if p.len() <= pos {
            p.resize(pos + 1, None);
        }
        p[pos] = Some(text);
    }

    /// A post's plain text from its summary and body Markdown (`None` while either loads; a
    /// chunk that cannot be read gives empty text: no excerpt, and phrases do not match).
    fn plain_from_markdown(
        self,
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
        self.keep(pos, both.clone());
        Some(both)
    }

    /// A post's plain `(summary, body)` from its chunks, fetching them (tracked: `None` until
    /// both are in). Phrase checks need the whole text as the index saw it.
    fn plain(self, pos: usize) -> Option<PlainText> {
        if let Some(t) = self.cached(pos) {
            return Some(t);
        }
        let (summary, body) = chunk_texts(pos, store::markdown, |d| Ok(Some(d)))?;
        self.plain_from_markdown(pos, summary, body)
    }

    /// A post's text for its excerpt (tracked). From its chunks if something already asked
    /// for them (an open post, a list, a phrase check); else from the post's route file,
    /// which holds the same text rendered and is a small fraction of a chunk of bodies. If
    /// the route file cannot be read, from the chunks after all.
    fn excerpt_text(self, pos: usize) -> Option<PlainText> {
        if let Some(t) = self.cached(pos) {
            return Some(t);
        }
        if let (Some(summary), Some(body)) =
            chunk_texts(pos, store::markdown_if_asked, |d| Some(Ok(Some(d))))?
        {
            return self.plain_from_markdown(pos, summary, body);
        }
        self.pages.track();
        let asked = {
            let cells = self.cells();
            let mut p = cells.pages.borrow_mut();
            if p.len() <= pos {
                p.resize(pos + 1, None);
            }
            let was = p[pos];
            p[pos] = Some(was.unwrap_or(true));
            was
        };
        match asked {
            Some(false) => return self.plain(pos),
            Some(true) => return None,
            None => {}
        }
        let route = SearchDoc::of(&store::index(), pos)?.route(&store::index());
        let url = join_base(self.base, &encode_path(&format!("/{}", route.file())));
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
                Some(text) => self.keep(pos, text),
                None => self.cells().pages.borrow_mut()[pos] = Some(false),
            }
            self.pages.update(|n| *n = n.wrapping_add(1));
        });
        None
    }

    /// The reader typed (or cleared the box with Escape).
    fn input(self, nav: Nav, new: String) {
        let first = !std::mem::replace(&mut self.cells().engine.borrow_mut().typing, true);
        let on_search = self.route.with_untracked(|r| *r == Route::Search);
        if self.text.with_untracked(|t| *t != new) {
            self.text.set(new.clone());
        }
        if !on_search && new.is_empty() {
            return;
        }
        let href = self
            .tags
            .with_untracked(|t| search_href(self.base, &new, t));
        if first || !on_search {
            nav.go(&href, true);
        } else {
            nav.replace(&href);
        }
    }

    /// After any move (a link, back, forward): the box shows the address's `?q=` on the
    /// search page and is empty elsewhere. Navigation's hook ([`Nav::new`]).
    pub fn follow_location(self) {
        let text = if self.route.with_untracked(|r| *r == Route::Search) {
            query_text(&dom::window().location().search().unwrap_or_default())
        } else {
            String::new()
        };
        if self.text.with_untracked(|t| *t != text) {
            self.text.set(text);
        }
    }
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

/// A document's summary and body as `read(chunk, slot)` gives them; a standalone page's
/// summary is its description, as `given` turns it into the same type.
fn chunk_texts<T>(
    pos: usize,
    read: impl Fn(&str, usize) -> T,
    given: impl Fn(String) -> T,
) -> Option<(T, T)> {
    let index = store::index();
    let (summary, b) = match SearchDoc::of(&index, pos)? {
        SearchDoc::Post(i) => {
            let (c, slot) = index.summary_location(i);
            (read(&index.summaries[c], slot), index.posts[i].body)
        }
        SearchDoc::Page(i) => (
            given(index.pages[i].description.clone()),
            index.pages[i].body,
        ),
    };
    Some((
        summary,
        read(&index.bodies[b.chunk as usize], b.slot as usize),
    ))
}

/// A post's or page's summary (its meta description) and body text from its route file, read as an
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
