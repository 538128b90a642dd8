//! `quire`: turns a content folder of Markdown posts into Quire's post bundle, one HTML
//! entry file per route, an Atom feed and a sitemap.
//!
//! The build is a pipeline, one module a stage, each depending only on the ones before:
//!
//! 1. [`load`](crate::load()): the content folder → checked posts, settings and static
//!    files, with every problem as a [`Diagnostic`] (`path:line`);
//! 2. `assemble`: posts → the bundle (index, content-hashed chunks, search index);
//! 3. `render`: the bundle → every file of the site in a [`Staging`] folder (the app's
//!    page as a [`Template`], route files, feed, sitemap, alias pages);
//! 4. commit: [`Staging::commit`] swaps the new files into place.
//!
//! `import` converts another blog's export into a content folder; `serve` is the HTTP
//! server and file watcher behind `quire serve`. Only the commands
//! (`cmd`, entered through [`main_with`]) print; the stages return values and
//! diagnostics. Dependencies run one way: cmd → import, render → assemble → load → diag.
//!
//! This file is the crate's whole public surface: the command line, and the pieces of
//! the stages that the tests and benchmarks drive directly.

mod assemble;
mod cmd;
mod diag;
mod import;
mod load;
mod render;
mod serve;

pub use assemble::bundle::{Bundle, assemble};
pub use assemble::search_index::build as build_search_index;
pub use cmd::main_with;
pub use diag::{Diagnostic, Issue, Progress, Severity};
pub use load::dates::{PostDate, parse_date};
pub use load::front_matter::{Document, FrontMatter, Syntax, parse_front_matter};
pub use load::{Content, LoadOptions, Post, load};
pub use render::containment::contain;
pub use render::output::{MANIFEST, Staging};
pub use render::shell::{APP_END, APP_START, CSP_START, Template, script_hash};
