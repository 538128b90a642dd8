//! Release builds of the app for the browser split search's code into a Wasm chunk of its
//! own, fetched when a reader first searches (see `kit` in src/browser/search.rs and
//! scripts/lib/trunk-post-build, Trunk's post-build hook). Such a build needs
//! `--cfg quire_split` (the split point) and a binary linked with its relocations
//! (`--emit-relocs`, which the split tool reads). Debug builds (`trunk serve`) and native
//! builds (the CLI's prerenderer) are not split. `QUIRE_SPLIT=0` or `1` overrides the
//! profile's choice, e.g. to lint the split code in a debug build.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(quire_split)");
    println!("cargo::rerun-if-env-changed=QUIRE_SPLIT");
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32");
    let release = std::env::var("PROFILE").as_deref() == Ok("release");
    let split = match std::env::var("QUIRE_SPLIT").as_deref() {
        Ok("0") => false,
        Ok("1") => true,
        _ => release,
    };
    if wasm && split {
        println!("cargo::rustc-cfg=quire_split");
        println!("cargo::rustc-link-arg-bins=--emit-relocs");
    }
}
