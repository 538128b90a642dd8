//! `feed.xml`: an Atom feed of the newest 20 published posts, each with title, link, id,
//! published and updated times, author, tags as categories and the summary as HTML.

use super::route_files::absolute_url;
use super::xml::escape_xml;
use crate::assemble::bundle::Bundle;
use quire_core::Route;
use quire_core::route::encode_path;

/// Posts in the feed.
pub const FEED_POSTS: usize = 20;

/// A route's link in the feed: absolute under base_url, else relative to the feed
/// (which sits at the site root).
fn link(base_url: Option<&str>, route: &Route) -> String {
    match base_url {
        Some(base) => absolute_url(base, route),
        None => encode_path(route.path().trim_start_matches('/')),
    }
}

/// The feed's text.
pub fn atom(bundle: &Bundle) -> String {
    let index = &bundle.index;
    let site = &index.site;
    let base = site.base_url.as_deref();
    let x = escape_xml;
    let entries: Vec<usize> = (0..index.posts.len())
        .filter(|&i| !bundle.drafts[i])
        .take(FEED_POSTS)
        .collect();
    let updated_of = |i: usize| {
        bundle.updated[i]
            .as_ref()
            .filter(|u| u.instant >= bundle.dates[i].instant)
            .unwrap_or(&bundle.dates[i])
    };
    let feed_updated = entries
        .iter()
        .map(|&i| updated_of(i))
        .max_by_key(|d| d.instant)
        .map(|d| d.rfc3339())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let home = Route::Home { page: 1 };
    let feed_id = match base {
        Some(b) => absolute_url(b, &home),
        None => format!(
            "urn:quire:{}",
            encode_path(&quire_core::slug::slugify(&site.title))
        ),
    };
    let mut out = String::with_capacity(4096 + entries.len() * 2048);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        x(&site.language)
    ));
    out.push_str(&format!("  <title>{}</title>\n", x(&site.title)));
    if !site.description.is_empty() {
        out.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            x(&site.description)
        ));
    }
    out.push_str(&format!("  <id>{}</id>\n", x(&feed_id)));
    let self_link = match base {
        Some(b) => format!("{}/feed.xml", b.trim_end_matches('/')),
        None => "feed.xml".into(),
    };
    out.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        x(&self_link)
    ));
    out.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        x(&match base {
            Some(b) => absolute_url(b, &home),
            None => "./".into(),
        })
    ));
    out.push_str(&format!("  <updated>{feed_updated}</updated>\n"));
    if let Some(a) = &site.author {
        out.push_str(&format!("  <author><name>{}</name></author>\n", x(a)));
    }
    out.push_str("  <generator>Quire</generator>\n");
    for &i in &entries {
        let p = &index.posts[i];
        let route = Route::Post {
            slug: p.slug.clone(),
        };
        let href = link(base, &route);
        let id = match base {
            Some(_) => href.clone(),
            None => format!("urn:quire:post:{}", encode_path(&p.slug)),
        };
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}</title>\n", x(&p.title)));
        out.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            x(&href)
        ));
        out.push_str(&format!("    <id>{}</id>\n", x(&id)));
        out.push_str(&format!(
            "    <published>{}</published>\n",
            bundle.dates[i].rfc3339()
        ));
        out.push_str(&format!(
            "    <updated>{}</updated>\n",
            updated_of(i).rfc3339()
        ));
        out.push_str(&format!(
            "    <author><name>{}</name></author>\n",
            x(&index.authors[p.author as usize].name)
        ));
        for &t in &p.tags {
            let tag = &index.tags[t as usize];
            out.push_str(&format!(
                "    <category term=\"{}\" label=\"{}\"/>\n",
                x(&tag.slug),
                x(&tag.name)
            ));
        }
        let html = quire_core::markdown::render(&bundle.summaries[i], site.raw_html);
        out.push_str(&format!(
            "    <summary type=\"html\">{}</summary>\n",
            x(&html)
        ));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}
