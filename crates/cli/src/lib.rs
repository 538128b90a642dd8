//! `quire`: turns a content folder of Markdown posts into Quire's post bundle, one HTML
//! entry file per route, an Atom feed and a sitemap.
//!
//! - [`content`] reads the folder ([`front_matter`], [`site`], [`dates`]) and collects
//!   every problem as a [`diag::Diagnostic`];
//! - [`bundle`] turns posts into a [`quire_core::Index`] plus content-hashed chunks;
//! - [`shell`] makes the app's page a template, [`route_files`] fills it per route;
//!   [`feed`] and [`sitemap`] write the files around it;
//! - [`output`] swaps the result into place atomically;
//! - [`cli`] is the command line: [`args`] its shape, [`run`] what each subcommand does,
//!   [`timing`] the phase times of `QUIRE_TIMING`.

pub mod aliases;
pub mod args;
pub mod bundle;
pub mod cli;
pub mod content;
pub mod dates;
pub mod diag;
pub mod feed;
pub mod fragment;
pub mod front_matter;
pub mod import;
pub mod output;
pub mod route_files;
pub mod run;
pub mod search_index;
pub mod shell;
pub mod site;
pub mod sitemap;
pub mod timing;
mod toml_lines;
pub mod xml;
mod yaml;

pub use content::{LoadOptions, Post, load};
pub use diag::{Diagnostic, Issue, Severity};
pub use front_matter::{Document, FrontMatter, Syntax, parse_front_matter};
