//! Release builds of the app for the browser split search's code into a Wasm chunk of its
//! own, fetched when a reader first searches (see `kit` in src/browser/search.rs and
//! scripts/lib/trunk-post-build, Trunk's post-build hook). Such a build needs
//! `--cfg quire_split` (the split point) and a binary linked with its relocations
//! (`--emit-relocs`, which the split tool reads). Debug builds (`trunk serve`) and native
//! builds (the CLI's prerenderer) are not split. `QUIRE_SPLIT=0` or `1` overrides the
//! profile's choice, e.g. to lint the split code in a debug build.
//!
//! It also stamps the build id (`QUIRE_BUILD_ID`, read as `quire_app::BUILD_ID`): a
//! hash of every source the app's components and the bundle's types come from. The Wasm
//! app and the CLI that prerenders with the same components compile this one script over
//! the same files, so they carry the same id exactly when they come from the same sources;
//! `quire build` refuses an app whose id differs (docs/decisions/one-binary.md).
//!
//! [`BUILD_ID`]: https://docs.rs/quire-app
use std::path::{Path, PathBuf};

/// The sources the id covers: the app, quire-core, the styles, the shell, the lockfile.
const SOURCES: &[&str] = &[
    "src",
    "style",
    "index.html",
    "Cargo.toml",
    "Cargo.lock",
    "crates/core/src",
    "crates/core/Cargo.toml",
];

/// Every file under `path`, in a fixed order.
fn files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        entries.sort();
        for e in entries {
            files(&e, out);
        }
    } else if path.is_file() {
        out.push(path.to_path_buf());
    }
}

/// FNV-1a, 64 bits: stable across compilers and platforms (unlike std's hasher).
fn fnv(hash: &mut u64, bytes: &[u8]) {
    for b in bytes {
        *hash ^= u64::from(*b);
        *hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
}

fn build_id() -> String {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    for source in SOURCES {
        println!("cargo::rerun-if-changed={source}");
        let mut all = Vec::new();
        files(&root.join(source), &mut all);
        for f in all {
            let rel = f
                .strip_prefix(&root)
                .unwrap_or(&f)
                .to_string_lossy()
                .replace('\\', "/");
            // Line endings as committed: a Windows checkout hashes like a Unix one.
            let text: Vec<u8> = std::fs::read(&f)
                .unwrap_or_default()
                .into_iter()
                .filter(|b| *b != b'\r')
                .collect();
            fnv(&mut hash, rel.as_bytes());
            fnv(&mut hash, &[0]);
            fnv(&mut hash, &(text.len() as u64).to_le_bytes());
            fnv(&mut hash, &text);
        }
    }
    format!("{hash:016x}")
}

fn main() {
    println!("cargo::rustc-env=QUIRE_BUILD_ID={}", build_id());
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
