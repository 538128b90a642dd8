//! What the views read: the index, where the reader is, and the post texts, shared as
//! one context value. The browser and the prerenderer fill it differently (fetched
//! chunks and history there, everything known at once here); the views cannot tell.

use std::sync::Arc;

use leptos::prelude::*;
use quire_core::{Index, Route};

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
}

/// The app's state, from context.
pub fn use_state() -> AppState {
    expect_context::<AppState>()
}
