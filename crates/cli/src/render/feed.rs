//! The Atom feeds: `feed.xml` of the newest 20 published posts, and one per tag and per
//! category (`tag/<slug>/feed.xml`, `category/<slug>/feed.xml`) of the newest 20 posts
//! under that term. Each entry has title, link, id, published and updated times, author,
//! tags as categories and the summary as HTML; with `feed_content = "full"` in site.toml
//! also the post's whole text (`<content>`), rendered by the same code and safety policy
//! as its page.
//!
//! One post is in the feed of each of its terms, so a post with thousands of tags would
//! be copied, with all its tags and its whole text, thousands of times (the output
//! growing with the square of its front matter). A post is written in full into
//! [`FULL_TERM_FEEDS`] term feeds at most (its first terms: tags by slug, then
//! categories); in the others it is written as lists show it: its summary and its first
//! [`quire_app::model::CHIPS_SHOWN`] tags.

use super::route_files::{
    FEED_FILE, TERM_FEED_KINDS, absolute_url, term_feed_file, term_feed_href,
};
use super::xml::escape_xml;
use crate::assemble::bundle::Bundle;
use crate::assemble::reuse::{BodyKey, Reuse, policy_key};
use crate::load::site::FeedContent;
use quire_core::route::{TermKind, encode_path};
use quire_core::{Route, Term};
use rayon::prelude::*;
use std::sync::{Arc, OnceLock};

/// Posts in a feed.
pub const FEED_POSTS: usize = 20;

/// Term feeds a post is written into in full (all its tags, its text with
/// `feed_content = "full"`); in the feeds of its further terms it has its summary and
/// the first [`quire_app::model::CHIPS_SHOWN`] tags. Posts have a handful of terms.
pub const FULL_TERM_FEEDS: u32 = 32;

/// What one feed is about: the whole blog or a term.
struct Scope<'a> {
    /// Posts in the feed, newest first (positions in the index), each with whether it is
    /// written in full (else as lists show it: summary, first tags).
    posts: Vec<(usize, bool)>,
    /// `None` for the whole blog.
    term: Option<(TermKind, &'a Term)>,
}

/// Each post's summary (and, with `feed_content = "full"`, its text) as the feeds carry
/// them, escaped HTML: worked out once a build for every feed that carries the post, or
/// taken from what an earlier build in this process worked out (`quire serve`).
pub struct FeedTexts<'a> {
    raw_html: quire_core::RawHtml,
    reuse: Option<&'a Reuse>,
    summaries: Vec<OnceLock<Arc<str>>>,
    bodies: Vec<OnceLock<Arc<str>>>,
}

impl<'a> FeedTexts<'a> {
    pub fn new(bundle: &Bundle, reuse: Option<&'a Reuse>) -> FeedTexts<'a> {
        let n = bundle.index.posts.len();
        FeedTexts {
            raw_html: bundle.index.site.raw_html,
            reuse,
            summaries: (0..n).map(|_| OnceLock::new()).collect(),
            bodies: (0..n).map(|_| OnceLock::new()).collect(),
        }
    }

    fn summary(&self, bundle: &Bundle, i: usize) -> &str {
        self.summaries[i].get_or_init(|| {
            let policy = self.raw_html;
            let make = |md: &str| -> Arc<str> {
                escape_xml(&quire_core::markdown::render(md, policy)).into()
            };
            let md = &bundle.summaries[i];
            match self.reuse {
                Some(r) => r
                    .feed_summaries
                    .get_or((md.clone(), policy_key(policy)), |(md, _)| make(md)),
                None => make(md),
            }
        })
    }

    fn body(&self, bundle: &Bundle, i: usize) -> &str {
        self.bodies[i].get_or_init(|| {
            let policy = self.raw_html;
            // The page's own rendering of the text (same code, same safety policy).
            let make = |b: &quire_core::bundle::Body| -> Arc<str> {
                escape_xml(&quire_app::model::body_html(b, policy)).into()
            };
            let body = &bundle.bodies[i];
            match self.reuse {
                Some(r) => r
                    .feed_bodies
                    .get_or(BodyKey(body.clone(), policy), |BodyKey(b, _)| make(b)),
                None => make(body),
            }
        })
    }
}

/// The blog's feed (`feed.xml`).
pub fn atom(bundle: &Bundle, content: FeedContent, texts: &FeedTexts<'_>) -> String {
    let posts = (0..bundle.index.posts.len())
        .filter(|&i| !bundle.drafts[i])
        .take(FEED_POSTS)
        .map(|i| (i, true))
        .collect();
    write_feed(bundle, content, texts, Scope { posts, term: None })
}

/// Every term feed: `(file, text)` for each tag and category. Which posts each feed holds
/// in full is decided in term order first; then the feeds are written in parallel.
pub fn term_feeds(
    bundle: &Bundle,
    content: FeedContent,
    texts: &FeedTexts<'_>,
) -> Vec<(String, String)> {
    let index = &bundle.index;
    // Term feeds each post has been written into in full so far.
    let mut full = vec![0u32; index.posts.len()];
    let scopes: Vec<(TermKind, &Term, _)> = TERM_FEED_KINDS
        .into_iter()
        .flat_map(|kind| index.terms(kind).iter().map(move |t| (kind, t)))
        .map(|(kind, term)| {
            let posts = term
                .posts
                .iter()
                .map(|&i| i as usize)
                .filter(|&i| !bundle.drafts[i])
                .take(FEED_POSTS)
                .map(|i| {
                    full[i] += 1;
                    (i, full[i] <= FULL_TERM_FEEDS)
                })
                .collect::<Vec<(usize, bool)>>();
            (kind, term, posts)
        })
        .collect();
    scopes
        .into_par_iter()
        .map(|(kind, term, posts)| {
            let scope = Scope {
                posts,
                term: Some((kind, term)),
            };
            (
                term_feed_file(kind, &term.slug),
                write_feed(bundle, content, texts, scope),
            )
        })
        .collect()
}

fn write_feed(
    bundle: &Bundle,
    content: FeedContent,
    texts: &FeedTexts<'_>,
    scope: Scope<'_>,
) -> String {
    let index = &bundle.index;
    let site = &index.site;
    let base = site.base_url.as_deref();
    let x = escape_xml;
    let entries = &scope.posts;
    let updated_of = |i: usize| {
        bundle.updated[i]
            .as_ref()
            .filter(|u| u.instant >= bundle.dates[i].instant)
            .unwrap_or(&bundle.dates[i])
    };
    let feed_updated = entries
        .iter()
        .map(|&(i, _)| updated_of(i))
        .max_by_key(|d| d.instant)
        .map(|d| d.rfc3339())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    // The page the feed stands for, and the feed's own path from the site root.
    let (page, self_path) = match scope.term {
        None => (Route::Home { page: 1 }, FEED_FILE.to_string()),
        Some((kind, term)) => (
            Route::Term {
                kind,
                slug: term.slug.clone(),
                page: 1,
            },
            term_feed_href(kind, &term.slug)
                .trim_start_matches('/')
                .to_string(),
        ),
    };
    // Relative links in the feed (entries' links, images in summaries and texts) are
    // relative to the site root: `xml:base` says where that is (a term's feed sits two
    // folders below it).
    let xml_base = match (base, scope.term) {
        (Some(b), _) => Some(format!("{}/", b.trim_end_matches('/'))),
        (None, Some(_)) => Some("../../".to_string()),
        (None, None) => None,
    };
    let feed_id = match (base, scope.term) {
        (Some(b), None) => absolute_url(b, &page),
        (Some(b), Some(_)) => format!("{}/{self_path}", b.trim_end_matches('/')),
        (None, term) => {
            let site_id = encode_path(&quire_core::slug::slugify(&site.title));
            match term {
                None => format!("urn:quire:{site_id}"),
                Some((kind, t)) => format!(
                    "urn:quire:{site_id}:{}:{}",
                    kind.segment(),
                    encode_path(&t.slug)
                ),
            }
        }
    };
    let title = match scope.term {
        None => site.title.clone(),
        Some((kind, t)) => format!("{} — {} {}", site.title, kind.segment(), t.name),
    };
    let mut out = String::with_capacity(4096 + entries.len() * 2048);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\"{}>\n",
        x(&site.language),
        xml_base.map_or(String::new(), |b| format!(" xml:base=\"{}\"", x(&b)))
    ));
    out.push_str(&format!("  <title>{}</title>\n", x(&title)));
    if !site.description.is_empty() {
        out.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            x(&site.description)
        ));
    }
    out.push_str(&format!("  <id>{}</id>\n", x(&feed_id)));
    let self_link = match base {
        Some(b) => format!("{}/{self_path}", b.trim_end_matches('/')),
        None => self_path,
    };
    out.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        x(&self_link)
    ));
    out.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        x(&match base {
            Some(b) => absolute_url(b, &page),
            None => match page {
                Route::Home { .. } => "./".into(),
                r => encode_path(r.path().trim_start_matches('/')),
            },
        })
    ));
    out.push_str(&format!("  <updated>{feed_updated}</updated>\n"));
    if let Some(a) = &site.author {
        out.push_str(&format!("  <author><name>{}</name></author>\n", x(a)));
    }
    out.push_str("  <generator>Quire</generator>\n");
    for &(i, in_full) in entries {
        let p = &index.posts[i];
        let route = Route::Post {
            slug: p.slug.clone(),
        };
        let href = match base {
            Some(b) => absolute_url(b, &route),
            None => encode_path(route.path().trim_start_matches('/')),
        };
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
        let tags = if in_full {
            &p.tags[..]
        } else {
            &p.tags[..p.tags.len().min(quire_app::model::CHIPS_SHOWN)]
        };
        for &t in tags {
            let tag = &index.tags[t as usize];
            out.push_str(&format!(
                "    <category term=\"{}\" label=\"{}\"/>\n",
                x(&tag.slug),
                x(&tag.name)
            ));
        }
        out.push_str(&format!(
            "    <summary type=\"html\">{}</summary>\n",
            texts.summary(bundle, i)
        ));
        if content == FeedContent::Full && in_full {
            out.push_str(&format!(
                "    <content type=\"html\">{}</content>\n",
                texts.body(bundle, i)
            ));
        }
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}
