//! The workspace's checks that read the repository itself, one binary: the docs name only
//! paths that exist, and no crate has an import circle.

mod docs_paths;
mod modules;
