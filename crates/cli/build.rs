//! Puts the built app (index.html, Wasm, JS glue, split chunk, loader, CSS, favicon) inside
//! the `quire` binary, so that a blogger needs nothing else: `quire build` writes it into
//! every site (src/render/app.rs).
//!
//! The app is built by Trunk (`scripts/build`), whose post-build hook keeps a copy of it in
//! target/app/; `QUIRE_APP_DIR` names that folder (`scripts/package` sets it). This script
//! writes `app_files.rs` into OUT_DIR: one `include_bytes!` per file of that folder. Without
//! `QUIRE_APP_DIR` (a plain `cargo build` or `cargo install`, and every development build)
//! the list is empty and the binary still works; `quire build` then uses an app already in
//! the output folder (Trunk's flow) or `--shell`, and otherwise says how to get a full
//! binary. Why this way and not another: docs/decisions/one-binary.md.
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("QUIRE_APP_DIR: cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for e in entries {
        if e.is_dir() {
            files(&e, out);
        } else if e.is_file() {
            out.push(e);
        }
    }
}

fn main() {
    println!("cargo::rerun-if-env-changed=QUIRE_APP_DIR");
    let mut code = String::from(
        "/// The embedded app's files: path inside the app (`/`-separated), contents.\n\
         pub static FILES: &[(&str, &[u8])] = &[\n",
    );
    if let Some(dir) = std::env::var_os("QUIRE_APP_DIR").filter(|d| !d.is_empty()) {
        let dir = std::fs::canonicalize(&dir).unwrap_or_else(|e| {
            panic!(
                "QUIRE_APP_DIR={}: {e}; build the app first (scripts/build writes target/app/)",
                Path::new(&dir).display()
            )
        });
        assert!(
            dir.join("index.html").is_file(),
            "QUIRE_APP_DIR={}: no index.html there; build the app first (scripts/build writes target/app/)",
            dir.display()
        );
        println!("cargo::rerun-if-changed={}", dir.display());
        let mut all = Vec::new();
        files(&dir, &mut all);
        for f in all {
            println!("cargo::rerun-if-changed={}", f.display());
            let rel = f
                .strip_prefix(&dir)
                .expect("under the folder")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            writeln!(
                code,
                "    ({rel:?}, include_bytes!({:?})),",
                f.display().to_string()
            )
            .expect("a String");
        }
    }
    code.push_str("];\n");
    let out =
        PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo")).join("app_files.rs");
    std::fs::write(&out, code).expect("OUT_DIR is writable");
}
