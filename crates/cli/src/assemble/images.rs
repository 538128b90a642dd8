//! Image sizes at build time, so the browser reserves each image's box before it loads
//! and the text does not jump. An image whose address leads to a file under `static/`
//! (`img/a.png`, relative to the site's root as the page's `<base>` makes it, or
//! `/img/a.png`) gets its width and height read
//! from the file's header; they travel beside the Markdown in the body chunk
//! ([`quire_core::bundle::Body::img`]) and the shared renderer writes them.
//!
//! Only the static files the load stage accepted are read (it already applied the content
//! folder's rules: links stay inside, regular files only), so nothing outside the content
//! folder is ever opened. A local image that is not among them is a warning with its line;
//! remote images are left alone.

use crate::diag::Diagnostic;
use pulldown_cmark::{Event, Parser, Tag};
use quire_core::markdown::options;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The static files by their address (`img/a.png`, without the leading `/`).
pub struct StaticFiles<'a> {
    by_address: HashMap<String, &'a Path>,
}

impl<'a> StaticFiles<'a> {
    /// From `(source, path relative to the output root)` pairs.
    pub fn new(files: &'a [(PathBuf, PathBuf)]) -> StaticFiles<'a> {
        let by_address = files
            .iter()
            .filter_map(|(source, rel)| {
                let parts: Vec<&str> = rel
                    .components()
                    .map(|c| c.as_os_str().to_str())
                    .collect::<Option<_>>()?;
                Some((parts.join("/"), source.as_path()))
            })
            .collect();
        StaticFiles { by_address }
    }
}

/// Decodes `%XX` escapes; `None` if the result is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The site address (no leading `/`) an image URL in a post leads to: relative ones from
/// the site's root (every page's `<base>`, see docs/CONTENT.md); `None` for a remote or
/// `data:` image, or one that climbs above the root.
pub fn local_address(url: &str) -> Option<String> {
    let url = url.trim();
    if url.is_empty() || url.starts_with("//") || url.starts_with('#') {
        return None;
    }
    // A scheme (`https:`, `data:`…) before any `/`, `?` or `#` makes it remote.
    let first = url.find(['/', '?', '#', ':']);
    if first.is_some_and(|i| url.as_bytes()[i] == b':') {
        return None;
    }
    let path = &url[..url.find(['?', '#']).unwrap_or(url.len())];
    let path = percent_decode(path)?;
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// What the images of one body (of a post or a page, in the file `path`, whose byte
/// offsets `line` turns into the file's lines) came to: `[image number, width, height]`
/// for each one read, and a warning for each local image that is missing.
pub fn sizes(
    path: &Path,
    body: &str,
    line: impl Fn(usize) -> usize,
    files: &StaticFiles<'_>,
) -> (Vec<[u32; 3]>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let mut warnings = Vec::new();
    // Every image starts with `![`: a post without one is not parsed again.
    if !body.contains("![") {
        return (found, warnings);
    }
    let mut number = 0u32;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let Event::Start(Tag::Image { dest_url, .. }) = event else {
            continue;
        };
        let n = number;
        number += 1;
        let Some(address) = local_address(&dest_url) else {
            continue;
        };
        let line = || line(range.start);
        match files.by_address.get(&address) {
            None => warnings.push(Diagnostic::warning(
                path,
                line(),
                format!(
                    "image {dest_url} is not a file under static/ (looked for static/{address})"
                ),
            )),
            // A format without a size header quire reads (SVG, or not an image at all):
            // no size, no noise; the browser lays it out when it loads.
            Some(source) => {
                if let Ok(size) = imagesize::size(source) {
                    found.push([
                        n,
                        u32::try_from(size.width).unwrap_or(0),
                        u32::try_from(size.height).unwrap_or(0),
                    ]);
                }
            }
        }
    }
    (found, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(local_address("/img/a.png").as_deref(), Some("img/a.png"));
        assert_eq!(
            local_address("/img/a%20b.png?x#y").as_deref(),
            Some("img/a b.png")
        );
        assert_eq!(local_address("img/a.png").as_deref(), Some("img/a.png"));
        assert_eq!(local_address("./img/../a.png").as_deref(), Some("a.png"));
        assert_eq!(local_address("../a.png"), None);
        for remote in [
            "https://x.org/a.png",
            "//x.org/a.png",
            "data:image/png;base64,AA",
            "#x",
        ] {
            assert_eq!(local_address(remote), None, "{remote}");
        }
    }
}
