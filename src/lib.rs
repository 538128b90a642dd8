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
