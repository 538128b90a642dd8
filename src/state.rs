//! What the views read: the index, where the reader is, and the post texts, shared as
//! one context value. The browser and the prerenderer fill it differently (fetched
//! chunks and history there, everything known at once here); the views cannot tell.

use std::sync::Arc;

use leptos::prelude::*;
use quire_core::{Index, Route};

use crate::model::ListBases;

/// A post's summary or body as the view shows it: rendered HTML, or why not (yet).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Text {
    Loading,
    /// HTML from `quire_core::markdown`, safe to set as an element's content.
    Ready(Arc<str>),
    Failed(Arc<str>),
}

/// Looks up a post's text by its position in [`Index::posts`]. In the browser this reads
/// a chunk's signal, so a view that calls it is redrawn when the chunk lands.
pub type TextSource = Arc<dyn Fn(usize) -> Text + Send + Sync>;

/// An action on a string (a URL to go to, a chunk to fetch again).
pub type Action = Arc<dyn Fn(String) + Send + Sync>;

/// The app's state, provided once as context (see [`use_state`]).
#[derive(Clone)]
pub struct AppState {
    /// Loaded once, before anything is shown; never changes afterwards.
    pub index: Arc<Index>,
    /// The site's base path (`/`, `/blog/`): every link starts with it.
    pub base: Arc<str>,
    /// The route in the address bar (unresolved: a missing post is still `Post`).
    pub route: RwSignal<Route>,
    /// The tag selection from `?tags=`.
    pub tags: RwSignal<Vec<String>>,
    /// Rendered summaries (ids scoped per post, for list pages) and bodies.
    pub summary: TextSource,
    pub body: TextSource,
    /// Rendered bodies of standalone pages, by position in [`Index::pages`].
    pub page_body: TextSource,
    /// Goes to an in-app URL (a new history entry). Does nothing when prerendering.
    pub navigate: Action,
    /// Fetches a chunk file again (by name) after it failed.
    pub retry: Action,
    /// Set once the prerendered page has been taken over: a view created from then on
    /// comes from in-app navigation, where the reader starts at the top of the page (or
    /// at its `#fragment`), so a post body may lay out only what is on screen. Never set
    /// while prerendering, nor for the takeover's own render, which must lay out exactly
    /// as the route file did at any scroll position.
    pub in_app: StoredValue<bool>,
    /// Each list route's posts and toggles, computed once per list and shared by its pages.
    pub lists: Arc<ListBases>,
}

impl AppState {
    /// The name of the summary chunk holding post `pos`.
    pub fn summary_chunk(&self, pos: usize) -> &str {
        &self.index.summaries[self.index.summary_location(pos).0]
    }

    /// The name of the body chunk holding post `pos`.
    pub fn body_chunk(&self, pos: usize) -> &str {
        &self.index.bodies[self.index.posts[pos].body.chunk as usize]
    }

    /// The name of the body chunk holding standalone page `pos`.
    pub fn page_body_chunk(&self, pos: usize) -> &str {
        &self.index.bodies[self.index.pages[pos].body.chunk as usize]
    }
}

/// The app's state, from context.
pub fn use_state() -> AppState {
    expect_context::<AppState>()
}

/// Ranked search hits for the text in the box, as the engine has them so far.
#[derive(Clone, Debug, PartialEq)]
pub enum Hits {
    /// No text to search for.
    Idle,
    /// The index (or a shard the text needs) is on its way; nothing ranked yet.
    Loading,
    /// Positions in [`Index::posts`], best first, for `query`. `busy`: a newer text is
    /// waiting for a shard, so these are the previous text's results.
    Ready {
        query: Arc<quire_core::search::Query>,
        hits: Arc<Vec<u32>>,
        busy: bool,
    },
    /// The index could not be loaded.
    Failed(Arc<str>),
}

/// A post's summary and body as plain text (for excerpts and phrase checks).
pub type PlainText = (Arc<str>, Arc<str>);

/// Looks up a post's [`PlainText`]: `None` while its chunks load (a chunk that failed gives
/// empty text).
pub type PlainSource = Arc<dyn Fn(usize) -> Option<PlainText> + Send + Sync>;

/// Search in the browser, provided as a second context value next to [`AppState`]: what
/// the box needs, in the app's main Wasm. The prerenderer does not provide it: route files
/// show the box empty and no results.
#[derive(Clone)]
pub struct SearchState {
    /// The text in the box (and in `?q=`).
    pub text: RwSignal<String>,
    /// The box got focus: start loading search (nothing is fetched before).
    pub wake: Arc<dyn Fn() + Send + Sync>,
    /// The reader typed: the new text (updates `text` and the address).
    pub input: Action,
    /// The `/search` view (in the browser its code, with the engine's, is fetched on first
    /// use and provides [`SearchEngine`] to [`crate::views::SearchResults`]).
    pub results: Arc<dyn Fn() -> AnyView + Send + Sync>,
}

/// The engine's answers for the results view, provided by the code that renders it in the
/// browser (absent in route files, which show no results).
#[derive(Clone)]
pub struct SearchEngine {
    /// The engine's answer for the text in the box (tracked).
    pub hits: Memo<Hits>,
    /// Plain texts of posts from their chunks, as phrase checks need them (tracked).
    pub plain: PlainSource,
    /// Texts of posts for their excerpts (tracked): from the chunks if they were asked
    /// for, else from the posts' route files, which are much smaller.
    pub excerpt: PlainSource,
}

/// The engine's answers, if this view renders in the browser.
pub fn use_engine() -> Option<SearchEngine> {
    use_context::<SearchEngine>()
}

/// Search, if this page runs in the browser.
pub fn use_search() -> Option<SearchState> {
    use_context::<SearchState>()
}
