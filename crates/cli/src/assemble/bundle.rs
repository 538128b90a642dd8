//! Posts and standalone pages → [`Index`] plus content-hashed summary and body chunks (see
//! docs/BUNDLE.md). Pages' bodies go into body chunks after the posts' bodies.

use super::reuse::Memo;
use super::{highlight, images};
use crate::diag::Diagnostic;
use crate::load::dates::PostDate;
use crate::load::site::Author;
use crate::load::{ANONYMOUS, Page, Post};
use quire_core::bundle::{
    BODY_CHUNK_BYTES, Body, BodyRef, INDEX_PATH, SCHEMA_VERSION, SUMMARY_CHUNK_POSTS, content_hash,
};
use quire_core::slug::term_slug;
use quire_core::{Index, PostMeta, Site, SitePage, Term};
use rayon::prelude::*;
use std::collections::HashMap;

/// What `quire build` writes under `data/`, and what the route files, feed and sitemap
/// need besides the index.
#[derive(Debug)]
pub struct Bundle {
    /// Shared with the prerenderer's threads as it is, never copied.
    pub index: std::sync::Arc<Index>,
    /// `(file name relative to data/, bytes)` of every chunk.
    pub chunks: Vec<(String, Vec<u8>)>,
    /// Summary Markdown by post position.
    pub summaries: Vec<String>,
    /// Body entries (Markdown, highlighted code, image sizes) by post position (for the
    /// prerendered post pages).
    pub bodies: Vec<Body>,
    /// Whether each post (by position) is a draft (only with `--drafts`).
    pub drafts: Vec<bool>,
    pub dates: Vec<PostDate>,
    pub updated: Vec<Option<PostDate>>,
    /// Body entry of each standalone page, by position in [`Index::pages`].
    pub page_bodies: Vec<Body>,
    /// The `updated` date of each standalone page, by position.
    pub page_updated: Vec<Option<PostDate>>,
    /// Whether each standalone page (by position) is a draft (only with `--drafts`).
    pub page_drafts: Vec<bool>,
}

impl Bundle {
    /// The index as JSON, for `data/index.json` ([`INDEX_PATH`]).
    pub fn index_json(&self) -> Vec<u8> {
        serde_json::to_vec(&self.index).expect("an index always serializes")
    }

    pub fn index_path() -> &'static str {
        INDEX_PATH
    }
}

/// Newest first; ties by slug ascending.
pub fn sort_posts(posts: &mut [Post]) {
    posts.sort_by(|a, b| {
        b.date
            .instant
            .cmp(&a.date.instant)
            .then_with(|| a.slug.cmp(&b.slug))
    });
}

struct TermAcc {
    posts: Vec<u32>,
    /// `(spelling, posts using it, first post position)`.
    spellings: Vec<(String, u32, u32)>,
}

/// Builds one kind's terms from each post's names: merged by slug, named by the spelling
/// most posts use (ties: the one on the newest post), sorted by slug. Returns the terms
/// and, per post, its term positions in the order written, without repeats.
pub fn build_terms<'a>(per_post: impl Iterator<Item = &'a [String]>) -> (Vec<Term>, Vec<Vec<u32>>) {
    let mut accs: HashMap<String, TermAcc> = HashMap::new();
    let mut post_slugs: Vec<Vec<String>> = Vec::new();
    for (pos, names) in per_post.enumerate() {
        let pos = pos as u32;
        let mut slugs: Vec<String> = Vec::with_capacity(names.len());
        for name in names {
            let slug = term_slug(name);
            if slug.is_empty() || slugs.contains(&slug) {
                continue;
            }
            let acc = accs.entry(slug.clone()).or_insert_with(|| TermAcc {
                posts: Vec::new(),
                spellings: Vec::new(),
            });
            acc.posts.push(pos);
            match acc.spellings.iter_mut().find(|(s, _, _)| s == name) {
                Some(sp) => sp.1 += 1,
                None => acc.spellings.push((name.clone(), 1, pos)),
            }
            slugs.push(slug);
        }
        post_slugs.push(slugs);
    }
    let mut terms: Vec<Term> = accs
        .into_iter()
        .map(|(slug, acc)| {
            let name = acc
                .spellings
                .iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)))
                .map(|s| s.0.clone())
                .unwrap_or_else(|| slug.clone());
            Term {
                slug,
                name,
                posts: acc.posts,
            }
        })
        .collect();
    terms.sort_by(|a, b| a.slug.cmp(&b.slug));
    let position: HashMap<&str, u32> = terms
        .iter()
        .enumerate()
        .map(|(i, t)| (t.slug.as_str(), i as u32))
        .collect();
    let ids = post_slugs
        .iter()
        .map(|slugs| slugs.iter().map(|s| position[s.as_str()]).collect())
        .collect();
    (terms, ids)
}

fn chunk_file<T: serde::Serialize>(prefix: &str, items: &[T]) -> (String, Vec<u8>) {
    let bytes = serde_json::to_vec(items).expect("strings always serialize");
    (format!("{prefix}-{}.json", content_hash(&bytes)), bytes)
}

/// A body of a post or a page on its way into a [`Body`] entry: its file (for warnings),
/// its Markdown (taken), `toc`, and where the body sits in the file (`body_line`,
/// `more_line`, see [`crate::load::post::body_file_line`]).
struct BodySource<'a> {
    path: &'a std::path::Path,
    md: &'a mut String,
    toc: bool,
    lines: (usize, Option<usize>),
}

/// Sorts the posts and builds the index and chunks.
pub fn assemble(site: Site, posts: Vec<Post>) -> Bundle {
    assemble_with_authors(site, posts, &[])
}

/// As [`assemble`], with site.toml's `[authors]` table: a post whose author is a key of
/// the table (see [`crate::load::load`]) is listed under that slug and shown by the
/// table's name.
pub fn assemble_with_authors(site: Site, posts: Vec<Post>, table: &[Author]) -> Bundle {
    assemble_all(site, posts, Vec::new(), table, &[]).0
}

/// As [`assemble_with_authors`], with the standalone pages (sorted by slug into
/// [`Index::pages`]; their bodies packed into body chunks after the posts') and the static
/// files whose images get their sizes read (see [`images`]); also returns the warnings
/// about missing images.
pub fn assemble_all(
    site: Site,
    posts: Vec<Post>,
    pages: Vec<Page>,
    table: &[Author],
    static_files: &[(std::path::PathBuf, std::path::PathBuf)],
) -> (Bundle, Vec<Diagnostic>) {
    assemble_reusing(site, posts, pages, table, static_files, None)
}

/// As [`assemble_all`], taking each body's highlighted code from `code` when an earlier
/// build worked it out for the same Markdown (`quire serve`'s rebuilds).
pub fn assemble_reusing(
    site: Site,
    mut posts: Vec<Post>,
    mut pages: Vec<Page>,
    table: &[Author],
    static_files: &[(std::path::PathBuf, std::path::PathBuf)],
    code: Option<&Memo<String, Vec<String>>>,
) -> (Bundle, Vec<Diagnostic>) {
    sort_posts(&mut posts);
    pages.sort_by(|a, b| a.slug.cmp(&b.slug));
    let (tags, tag_ids) = build_terms(posts.iter().map(|p| p.tags.as_slice()));
    let (categories, cat_ids) = build_terms(posts.iter().map(|p| p.categories.as_slice()));
    let author_names: Vec<Vec<String>> = posts
        .iter()
        .map(|p| vec![p.author.clone().unwrap_or_else(|| ANONYMOUS.into())])
        .collect();
    let (mut authors, author_ids) = build_terms(author_names.iter().map(Vec::as_slice));
    for term in &mut authors {
        if let Some(a) = table.iter().find(|a| a.slug == term.slug) {
            term.name = a.name.clone();
        }
    }

    // What the build works out beside each body (highlighted code, image sizes), for the
    // posts and then the pages; the entries take the bodies over (moved, not copied).
    let files = images::StaticFiles::new(static_files);
    let mut sources: Vec<BodySource<'_>> = posts
        .iter_mut()
        .map(|p| BodySource {
            path: &p.path,
            md: &mut p.body,
            toc: p.toc,
            lines: (p.body_line, p.more_line),
        })
        .chain(pages.iter_mut().map(|p| BodySource {
            path: &p.path,
            md: &mut p.body,
            toc: p.toc,
            lines: (p.body_line, p.more_line),
        }))
        .collect();
    let (mut entries, warnings): (Vec<Body>, Vec<Vec<Diagnostic>>) = sources
        .par_iter_mut()
        .map(|s| {
            let body = std::mem::take(&mut *s.md);
            let (body_line, more_line) = s.lines;
            let line = |at| crate::load::post::body_file_line(&body, body_line, more_line, at);
            let (img, warnings) = images::sizes(s.path, &body, line, &files);
            let code = match code {
                Some(memo) => memo.get_or(body.clone(), |md| highlight::runs(md)),
                None => highlight::runs(&body),
            };
            let toc = s.toc;
            (
                Body {
                    md: body,
                    code,
                    img,
                    toc,
                },
                warnings,
            )
        })
        .unzip();
    drop(sources);
    let warnings: Vec<Diagnostic> = warnings.into_iter().flatten().collect();
    let posts_n = posts.len();

    // Body chunks: consecutive posts up to BODY_CHUNK_BYTES, a bigger post alone; then
    // the pages' bodies the same way (a body's number is its post's position, or the
    // number of posts plus its page's position).
    let mut groups: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = 0;
    let mut bytes = 0;
    for (i, body) in entries.iter().enumerate() {
        if i > start && bytes + body.md.len() > BODY_CHUNK_BYTES {
            groups.push(start..i);
            start = i;
            bytes = 0;
        }
        bytes += body.md.len();
    }
    if start < entries.len() {
        groups.push(start..entries.len());
    }
    let body_files: Vec<(String, Vec<u8>)> = groups
        .par_iter()
        .map(|g| chunk_file("b", &entries[g.clone()]))
        .collect();
    let page_bodies = entries.split_off(posts_n);
    let mut body_refs = vec![BodyRef { chunk: 0, slot: 0 }; posts.len() + pages.len()];
    for (c, g) in groups.iter().enumerate() {
        for (slot, i) in g.clone().enumerate() {
            body_refs[i] = BodyRef {
                chunk: c as u32,
                slot: slot as u32,
            };
        }
    }
    let summary_files: Vec<(String, Vec<u8>)> = posts
        .par_chunks(SUMMARY_CHUNK_POSTS as usize)
        .map(|chunk| {
            let items: Vec<&str> = chunk.iter().map(|p| p.summary.as_str()).collect();
            chunk_file("s", &items)
        })
        .collect();

    let words: Vec<u32> = entries
        .par_iter()
        .map(|b| quire_core::text::word_count(&b.md))
        .collect();
    let mut metas = Vec::with_capacity(posts.len());
    let mut summaries = Vec::with_capacity(posts.len());
    let bodies = entries;
    let mut drafts = Vec::with_capacity(posts.len());
    let mut dates = Vec::with_capacity(posts.len());
    let mut updated = Vec::with_capacity(posts.len());
    for (i, p) in posts.into_iter().enumerate() {
        metas.push(PostMeta {
            slug: p.slug,
            title: p.title,
            date: p.date.text.clone(),
            updated: p.updated.as_ref().map(|u| u.text.clone()),
            author: author_ids[i][0],
            tags: tag_ids[i].clone(),
            categories: cat_ids[i].clone(),
            words: words[i],
            body: body_refs[i],
        });
        summaries.push(p.summary);
        drafts.push(p.draft);
        dates.push(p.date);
        updated.push(p.updated);
    }
    let chunk_bytes = summary_files
        .iter()
        .chain(&body_files)
        .map(|(_, b)| b.len() as u64)
        .sum();
    let mut site_pages = Vec::with_capacity(pages.len());
    let mut page_updated = Vec::with_capacity(pages.len());
    let mut page_drafts = Vec::with_capacity(pages.len());
    for (i, p) in pages.into_iter().enumerate() {
        site_pages.push(SitePage {
            slug: p.slug,
            title: p.title,
            updated: p.updated.as_ref().map(|u| u.text.clone()),
            description: quire_core::text::truncate(
                &quire_core::markdown::plain_text(&p.summary),
                quire_core::meta::DESCRIPTION_CHARS,
            ),
            body: body_refs[metas.len() + i],
        });
        page_updated.push(p.updated);
        page_drafts.push(p.draft);
    }
    let index = Index {
        schema: SCHEMA_VERSION,
        site,
        posts: metas,
        pages: site_pages,
        tags,
        categories,
        authors,
        summary_chunk: SUMMARY_CHUNK_POSTS,
        summaries: summary_files.iter().map(|(n, _)| n.clone()).collect(),
        bodies: body_files.iter().map(|(n, _)| n.clone()).collect(),
        chunk_bytes,
        search: None,
    };
    debug_assert!(index.validate().is_ok());
    let mut chunks = summary_files;
    chunks.extend(body_files);
    let bundle = Bundle {
        index: index.into(),
        chunks,
        summaries,
        bodies,
        drafts,
        dates,
        updated,
        page_bodies,
        page_updated,
        page_drafts,
    };
    (bundle, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&[&str]]) -> Vec<Vec<String>> {
        v.iter()
            .map(|p| p.iter().map(|s| s.to_string()).collect())
            .collect()
    }

    #[test]
    fn merges_spellings_and_orders_by_slug() {
        let per_post = names(&[
            &["Static Sites", "rust"],
            &["static-sites", "Rust", "RUST"],
            &["Static Sites"],
            &["Zebra", "café"],
        ]);
        let (terms, ids) = build_terms(per_post.iter().map(Vec::as_slice));
        let slugs: Vec<&str> = terms.iter().map(|t| t.slug.as_str()).collect();
        assert_eq!(slugs, ["café", "rust", "static-sites", "zebra"]);
        assert_eq!(terms[2].name, "Static Sites");
        assert_eq!(terms[2].posts, [0, 1, 2]);
        // "rust" and "Rust" each on one post: the newest post's spelling wins.
        assert_eq!(terms[1].name, "rust");
        assert_eq!(terms[1].posts, [0, 1]);
        assert_eq!(ids[1], [2, 1]);
        assert_eq!(ids[3], [3, 0]);
    }
}
