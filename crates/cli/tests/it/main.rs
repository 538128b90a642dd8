//! The CLI's integration tests, one binary (so the test suite links Leptos, html5ever and
//! the rest once): one module a concern, helpers in [`common`].

#[allow(dead_code)]
mod common;

mod build;
mod cli;
mod containment;
mod corpus;
mod front_matter;
mod future;
mod fuzz_front_matter;
mod highlight;
mod hostile;
mod hostile_fs;
mod hostile_import;
mod hostile_names;
mod hostile_output;
mod images;
mod import_pages;
mod import_wordpress;
mod menu;
mod one_binary;
mod page_search;
mod pages;
mod rebuild_speed;
mod relevance;
mod search;
mod search_bench;
mod shell;
mod term_feeds;
