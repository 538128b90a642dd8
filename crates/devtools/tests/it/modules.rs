//! No import circles: in every crate of the workspace, the modules use each other one
//! way only (see quire_devtools::modgraph for what counts as a use).
//! `cargo run -p quire-devtools -- modules crates/cli/src` prints a crate's graph.

use quire_devtools::modgraph;
use std::path::PathBuf;

#[test]
fn no_crate_has_an_import_circle() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut found = Vec::new();
    for src in [
        "crates/cli/src",
        "crates/core/src",
        "crates/devtools/src",
        "src",
    ] {
        let graph = modgraph::read(&root.join(src)).expect("the crate's sources read");
        assert!(graph.uses.len() > 3, "{src}: too few modules found");
        for circle in graph.circles() {
            found.push(format!("{src}: {}", circle.join(" → ")));
        }
    }
    assert!(
        found.is_empty(),
        "import circles (make the dependency one way):\n{}",
        found.join("\n")
    );
}
