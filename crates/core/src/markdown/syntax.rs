//! The Markdown dialect: which of pulldown-cmark's extensions Quire turns on, for every
//! reader of a post's Markdown (rendering, plain text, the CLI's summary finder).

use pulldown_cmark::Options;

/// The Markdown extensions Quire turns on.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}
