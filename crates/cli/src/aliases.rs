//! Old addresses of a post (`aliases:` in its front matter), kept alive on a static host.
//!
//! `quire build` writes `<alias>/index.html` for each alias: a small page with no script
//! that sends the reader on to `/post/<slug>` (a `<meta http-equiv="refresh">`, a canonical
//! link and a visible link, for readers whose browser does not follow the refresh). A
//! static host serves `/2019/08/13/slug/` from `2019/08/13/slug/index.html`, so no host
//! rules are needed. Query strings (`/?p=123`) cannot be aliases: a static host ignores
//! the query and serves the home page.

use crate::content::{Content, Post};
use crate::diag::{Diagnostic, Issue};
use crate::output::Staging;
use quire_core::route::decode_path;
use quire_core::{Index, Route};
use std::collections::HashMap;
use std::io;

/// The longest name of one path segment most file systems take.
const MAX_SEGMENT_BYTES: usize = 255;

/// Checks one alias as written and returns its output folder (`2019/08/13/slug`:
/// percent-decoded, no leading or trailing slash), or a message.
pub fn normalize(alias: &str) -> Result<String, String> {
    let alias = alias.trim();
    if alias.contains("://") || alias.starts_with("//") {
        return Err(format!(
            "alias {alias:?} is a full URL: write the path alone, such as \"/2019/08/13/hello/\""
        ));
    }
    if !alias.starts_with('/') {
        return Err(format!(
            "alias {alias:?} must be a path from the site's root, starting with /"
        ));
    }
    if alias.contains(['?', '#']) {
        return Err(format!(
            "alias {alias:?} has a query or fragment: a static host ignores them (/?p=123 serves the home page), so only the path can be an alias"
        ));
    }
    let decoded = decode_path(alias);
    let mut segments = Vec::new();
    for seg in decoded.trim_matches('/').split('/') {
        if seg.is_empty() || seg == "." || seg == ".." {
            return Err(format!(
                "alias {alias:?} has an empty, \".\" or \"..\" segment"
            ));
        }
        if seg.contains(|c: char| c.is_control() || c == '\\') {
            return Err(format!(
                "alias {alias:?} has a control character or a backslash"
            ));
        }
        if seg.len() > MAX_SEGMENT_BYTES {
            return Err(format!(
                "alias {alias:?} has a segment longer than {MAX_SEGMENT_BYTES} bytes"
            ));
        }
        segments.push(seg);
    }
    let dir = segments.join("/");
    if dir.is_empty() {
        return Err(format!("alias {alias:?} is the home page"));
    }
    if dir.ends_with("index.html") || segments.last().is_some_and(|s| s.contains('.')) {
        return Err(format!(
            "alias {alias:?} names a file: an alias is a folder address such as \"/2019/08/13/hello/\""
        ));
    }
    Ok(dir)
}

/// Front matter's `aliases` list, checked: each one normalized, problems reported at
/// `line`, repeats within the post dropped.
pub fn check_list(items: Vec<String>, line: usize, issues: &mut Vec<Issue>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        match normalize(&item) {
            Ok(dir) if !out.contains(&dir) => out.push(dir),
            Ok(_) => {}
            Err(message) => issues.push(Issue::error(line, message)),
        }
    }
    out
}

/// One alias to write: its folder and the post it leads to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alias {
    pub dir: String,
    pub slug: String,
}

/// Every alias of the posts being published.
pub fn collect(posts: &[Post]) -> Vec<Alias> {
    posts
        .iter()
        .flat_map(|p| {
            p.aliases.iter().map(|dir| Alias {
                dir: dir.clone(),
                slug: p.slug.clone(),
            })
        })
        .collect()
}

/// Aliases that would replace a page of the app, a static file or another alias: one
/// error each, at the post's `aliases` line.
pub fn conflicts(content: &Content) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let statics: Vec<String> = content
        .static_files
        .iter()
        .map(|(_, rel)| rel.to_string_lossy().replace('\\', "/"))
        .collect();
    let mut seen: HashMap<&str, &Post> = HashMap::new();
    for post in &content.posts {
        for dir in &post.aliases {
            let shown = format!("/{dir}/");
            let first = dir.split('/').next().unwrap_or_default();
            let reserved = crate::run::GENERATED.contains(&first)
                || (first.starts_with("sitemap-") && first.ends_with(".xml"))
                || first == crate::output::MANIFEST;
            let message = if reserved {
                Some(format!(
                    "alias {shown} is inside /{first}/, which belongs to the app's own pages; remove it (WordPress's /tag/, /category/ and /author/ addresses already work)"
                ))
            } else if let Some(s) = statics.iter().find(|s| {
                **s == format!("{dir}/index.html")
                    || **s == *dir
                    || dir.starts_with(&format!("{s}/"))
            }) {
                Some(format!(
                    "alias {shown} collides with the static file {s}; remove one"
                ))
            } else {
                match seen.get(dir.as_str()) {
                    Some(other) if std::ptr::eq(*other, post) => None,
                    Some(other) => Some(format!(
                        "alias {shown} is also an alias of {}; an old address can lead to one post only",
                        other.path.display()
                    )),
                    None => {
                        seen.insert(dir, post);
                        None
                    }
                }
            };
            if let Some(m) = message {
                out.push(Diagnostic::error(&post.path, post.aliases_line, m));
            }
        }
    }
    out
}

use quire_core::text::escape_html as escape;

/// The page written at an alias. `base` is the site's path (`/blog/`) when known; the
/// link is then site-absolute, else relative to the alias's folder.
pub fn page(index: &Index, alias: &Alias, base: Option<&str>) -> String {
    let route = Route::Post {
        slug: alias.slug.clone(),
    };
    let target = match base {
        Some(b) => route.href(b),
        None => format!(
            "{}{}",
            "../".repeat(alias.dir.split('/').count()),
            route.href("/").trim_start_matches('/')
        ),
    };
    let canonical = match &index.site.base_url {
        Some(url) => crate::route_files::absolute_url(url, &route),
        None => target.clone(),
    };
    let title = index
        .posts
        .iter()
        .find(|p| p.slug == alias.slug)
        .map_or(alias.slug.as_str(), |p| p.title.as_str());
    let site = &index.site.title;
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; base-uri 'none'\">\n\
<meta name=\"robots\" content=\"noindex\">\n<title>{t} · {s}</title>\n\
<link rel=\"canonical\" href=\"{c}\">\n<meta http-equiv=\"refresh\" content=\"0; url={u}\">\n\
</head>\n<body>\n<p>{s}</p>\n<p>This post has moved: <a href=\"{u}\">{t}</a></p>\n</body>\n</html>\n",
        lang = escape(&index.site.language),
        t = escape(title),
        s = escape(site),
        c = escape(&canonical),
        u = escape(&target),
    )
}

/// Writes every alias page into the staging folder. `base` is the site's path from the
/// app shell's `<base href>` (`Template::base_href`), when it has one.
pub fn write(
    staging: &Staging,
    index: &Index,
    aliases: &[Alias],
    base: Option<&str>,
) -> io::Result<()> {
    for alias in aliases {
        staging.write(
            &format!("{}/index.html", alias.dir),
            page(index, alias, base).as_bytes(),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_and_refuses() {
        assert_eq!(normalize("/2019/08/13/hello/").unwrap(), "2019/08/13/hello");
        assert_eq!(normalize("/archives/12").unwrap(), "archives/12");
        assert_eq!(normalize("/2019/%E6%BC%A2/").unwrap(), "2019/漢");
        for bad in [
            "2019/x/",
            "https://old.example/2019/x/",
            "/?p=12",
            "/a/?x=1",
            "/",
            "/a/../b/",
            "/a//b/",
            "/a/%2e%2e/",
            "/feed.xml",
            "/a/index.html",
        ] {
            assert!(normalize(bad).is_err(), "{bad}");
        }
    }
}
