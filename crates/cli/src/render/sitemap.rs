//! `sitemap.xml`: every route of the site (draft posts and pages, and the search page left out),
//! with `lastmod` for posts, and for standalone pages that say when they were `updated`. URLs are absolute under base_url; without one they are site-relative paths
//! (a warning says so: search engines want absolute URLs). Past 50,000 URLs it becomes a
//! sitemap index over `sitemap-N.xml` files, as the protocol asks.

use super::route_files::absolute_url;
use super::xml::escape_xml;
use crate::assemble::bundle::Bundle;
use quire_core::Route;

/// URLs per sitemap file (the protocol's limit).
pub const MAX_URLS: usize = 50_000;

fn loc(base_url: Option<&str>, route: &Route) -> String {
    match base_url {
        Some(b) => absolute_url(b, route),
        None => route.href("/"),
    }
}

/// The sitemap files: `(name, text)`; one `sitemap.xml` unless there are more than
/// [`MAX_URLS`] routes.
pub fn sitemaps(bundle: &Bundle, routes: &[Route]) -> Vec<(String, String)> {
    let index = &bundle.index;
    let base = index.site.base_url.as_deref();
    let positions: std::collections::HashMap<&str, usize> = index
        .posts
        .iter()
        .enumerate()
        .map(|(i, p)| (p.slug.as_str(), i))
        .collect();
    let mut urls: Vec<String> = Vec::with_capacity(routes.len());
    for route in routes {
        let lastmod = match route {
            // A search page with no query is a box and a heading, not content.
            Route::Search => continue,
            Route::Post { slug } => match positions.get(slug.as_str()).copied() {
                Some(i) if bundle.drafts[i] => continue,
                Some(i) => {
                    let d = bundle.updated[i].as_ref().unwrap_or(&bundle.dates[i]);
                    Some(d.day().to_string())
                }
                None => None,
            },
            Route::Page { slug } => match index.page_position(slug) {
                Some(i) if bundle.page_drafts[i] => continue,
                Some(i) => bundle.page_updated[i].as_ref().map(|d| d.day().to_string()),
                None => None,
            },
            _ => None,
        };
        let mut u = format!("  <url><loc>{}</loc>", escape_xml(&loc(base, route)));
        if let Some(m) = lastmod {
            u.push_str(&format!("<lastmod>{}</lastmod>", escape_xml(&m)));
        }
        u.push_str("</url>\n");
        urls.push(u);
    }
    let urlset = |urls: &[String]| {
        let mut out = String::with_capacity(urls.iter().map(String::len).sum::<usize>() + 200);
        out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for u in urls {
            out.push_str(u);
        }
        out.push_str("</urlset>\n");
        out
    };
    if urls.len() <= MAX_URLS {
        return vec![("sitemap.xml".into(), urlset(&urls))];
    }
    let mut files = Vec::new();
    let mut index_xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (n, part) in urls.chunks(MAX_URLS).enumerate() {
        let name = format!("sitemap-{}.xml", n + 1);
        let href = match base {
            Some(b) => format!("{}/{name}", b.trim_end_matches('/')),
            None => format!("/{name}"),
        };
        index_xml.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            escape_xml(&href)
        ));
        files.push((name, urlset(part)));
    }
    index_xml.push_str("</sitemapindex>\n");
    files.insert(0, ("sitemap.xml".into(), index_xml));
    files
}
