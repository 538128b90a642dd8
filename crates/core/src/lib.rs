//! Quire's core: everything the CLI and the browser app must agree on.
//!
//! Pure Rust, no Leptos, compiled both natively (for `quire` and the tests) and to
//! WebAssembly (for the app). Data walks one way: the CLI fills a [`bundle::Index`],
//! the app reads it; both use the same [`route::Route`] table, the same [`slug`] rules,
//! the same [`filter`] logic and the same [`markdown`] safety policy.

pub mod bundle;
pub mod date;
pub mod filter;
pub mod markdown;
pub mod meta;
pub mod route;
pub mod search;
pub mod slug;
pub mod text;

pub use bundle::{
    Index, MenuEntry, PostMeta, RawHtml, SCHEMA_VERSION, Site, SitePage, SocialLink, Term,
};
pub use route::{Route, TermKind};
