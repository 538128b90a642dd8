//! The views: one component per route kind (`list`, `post`, `page`, `tags`, `archive`,
//! `search`, `not_found`) inside the page's layout (`layout`), with what several of them share in
//! `parts`. Every value is text or an attribute, escaped by Leptos; rendered Markdown goes
//! only through [`Html`], into an element of its own. This file only names what the
//! others define.

mod archive;
mod layout;
mod list;
mod not_found;
mod page;
mod parts;
mod post;
mod search;
mod tags;

pub use archive::Archive;
pub use layout::App;
pub use list::ListPage;
pub use not_found::NotFound;
pub use page::StandalonePage;
pub use parts::{Html, Time};
pub use post::PostPage;
pub use search::{BOX_ID, SearchBox, SearchResults};
pub use tags::TagCloud;
