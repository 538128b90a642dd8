//! Quire's app: the blog's views as Leptos components, over the post bundle that
//! `quire build` writes.
//!
//! The same components run in two places:
//! - natively, with Leptos' `ssr` feature: the `quire` CLI renders every route to HTML
//!   with [`Prerenderer`], so each route file carries its page (readable without JavaScript);
//! - in the browser (Wasm, `csr`): `browser` (compiled for wasm32 only) loads the bundle, mounts the same
//!   components, and swaps them in for the prerendered page in one frame.
//!
//! Layering, one way: `model` (view models, plain Rust) → `state` (what the views read,
//! provided as context) → `views` (components). In the browser: `browser::dom` (web-sys)
//! → `browser::store` (bundle fetching) → `browser::nav` (history, links) →
//! `browser::search` (the box's state, the engine) → mounting.

pub mod model;
pub mod state;
pub mod views;

#[cfg(target_arch = "wasm32")]
pub mod browser;

#[cfg(not(target_arch = "wasm32"))]
mod prerender;
#[cfg(not(target_arch = "wasm32"))]
pub use prerender::{Page, Prerenderer};

/// This build's id: a hash of the sources the app and its prerenderer come from
/// (build.rs). The Wasm app and the `quire` CLI carry the same id exactly when they were
/// built from the same sources.
pub const BUILD_ID: &str = env!("QUIRE_BUILD_ID");

/// How the build id appears in a route file (`<meta name="quire-build" content="…">`) and,
/// verbatim, in the app's Wasm: the app compares the two before it takes a page over, and
/// `quire build` finds it in an app's Wasm to refuse an app from other sources.
pub const BUILD_MARK: &str = concat!("quire-build-", env!("QUIRE_BUILD_ID"));
