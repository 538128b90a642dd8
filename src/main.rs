//! Quire's browser app: a Leptos single-page app over the JSON post bundle that
//! `quire build` writes. Built to Wasm by Trunk; everything that touches the browser is
//! behind `cfg(target_arch = "wasm32")`, so native builds (tests, clippy) compile only the
//! view models in [`model`].

mod html;
mod model;

#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
mod net;
#[cfg(target_arch = "wasm32")]
mod store;
#[cfg(target_arch = "wasm32")]
mod ui;

fn main() {
    #[cfg(target_arch = "wasm32")]
    {
        browser::install_panic_hook();
        store::init();
        browser::install_listeners();
        leptos::mount::mount_to_body(ui::app);
        store::load_index(false);
    }
}
