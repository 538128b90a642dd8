//! The old site's uploads, made local: `--media DIR` copies each file a post references
//! from a copy of `wp-content/uploads`, `--download-media` fetches it from the old host;
//! either way it lands in `static/wp-content/uploads/…` and the links are rewritten to it.

/// The top-level folder of the output the uploads go into (`static/wp-content/uploads/…`);
/// no page may take it as its address.
pub const UPLOADS_TOP: &str = "wp-content";
