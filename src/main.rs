//! The browser app's entry point (built to Wasm by Trunk); the app itself is the library.

fn main() {
    #[cfg(target_arch = "wasm32")]
    quire_app::browser::start();
}
