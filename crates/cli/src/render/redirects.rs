//! Redirect pages: what `quire build` writes at each alias of a post or a standalone page
//! (see [`crate::load::aliases`]), a small page with no script that sends the reader on to
//! `/post/<slug>` (or the page's `/<slug>`) — a `<meta http-equiv="refresh">`, a canonical link and a visible link,
//! for readers whose browser does not follow the refresh.

use super::output::Staging;
use crate::assemble::Alias;
use quire_core::text::escape_html as escape;
use quire_core::{Index, Route};
use std::io;

/// The page written at an alias. `base` is the site's path (`/blog/`) when known; the
/// link is then site-absolute, else relative to the alias's folder.
pub fn page(index: &Index, alias: &Alias, base: Option<&str>) -> String {
    let route = &alias.route;
    let target = match base {
        Some(b) => route.href(b),
        None => format!(
            "{}{}",
            "../".repeat(alias.dir.split('/').count()),
            route.href("/").trim_start_matches('/')
        ),
    };
    let canonical = match &index.site.base_url {
        Some(url) => super::route_files::absolute_url(url, route),
        None => target.clone(),
    };
    let title = quire_core::meta::page_meta(index, route, None).heading;
    let what = match route {
        Route::Page { .. } => "page",
        _ => "post",
    };
    let site = &index.site.title;
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; base-uri 'none'\">\n\
<meta name=\"robots\" content=\"noindex\">\n<title>{t} · {s}</title>\n\
<link rel=\"canonical\" href=\"{c}\">\n<meta http-equiv=\"refresh\" content=\"0; url={u}\">\n\
</head>\n<body>\n<p>{s}</p>\n<p>This {what} has moved: <a href=\"{u}\">{t}</a></p>\n</body>\n</html>\n",
        lang = escape(&index.site.language),
        t = escape(&title),
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
