//! The search index `quire build` writes under `data/` (see docs/SEARCH.md): every post's
//! title, tags, categories, author, summary and body, read back from the bundle so the
//! positions are the bundle's, analysed in parallel by [`quire_core::search`]. Standalone
//! pages follow the posts as documents `posts.len() + i` (title, headings, description as
//! the summary, body; no terms or author).

use super::bundle::Bundle;
use crate::diag::Progress;
use quire_core::bundle::body_chunk_from_json;
use quire_core::markdown::plain_text;
use quire_core::search::{self, Analyzer, BuiltIndex, DocTerms, Document, SHARD_TARGET_BYTES};
use rayon::prelude::*;
use std::collections::HashMap;

/// Builds the search index of a bundle's posts and pages (stemming when the site's language is
/// English).
pub fn build(bundle: &Bundle) -> BuiltIndex {
    build_with(bundle, SHARD_TARGET_BYTES, None)
}

/// [`build`] with another shard size (tests make many small shards), telling `progress`
/// the end of each phase.
pub fn build_with(
    bundle: &Bundle,
    shard_bytes: usize,
    progress: Option<&(dyn Fn(Progress<'_>) + Sync)>,
) -> BuiltIndex {
    let phase = |name: &str, t0: std::time::Instant| {
        if let Some(p) = progress {
            p(Progress::SearchPhase(name, t0.elapsed().as_secs_f64()));
        }
    };
    let t0 = std::time::Instant::now();
    let index = &bundle.index;
    let files: HashMap<&str, &[u8]> = bundle
        .chunks
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    // One body chunk at a time: its documents' text is only alive while they are
    // analysed. Document `i` is post `i`, then page `i - posts.len()`.
    let n_posts = index.posts.len();
    let docs = n_posts + index.pages.len();
    let body_of = |i: usize| match index.posts.get(i) {
        Some(p) => p.body,
        None => index.pages[i - n_posts].body,
    };
    let mut by_chunk: Vec<Vec<usize>> = vec![Vec::new(); index.bodies.len()];
    for i in 0..docs {
        if let Some(v) = by_chunk.get_mut(body_of(i).chunk as usize) {
            v.push(i);
        }
    }
    let stemming = search::stems(&index.site.language);
    let analyzed: Vec<Vec<(usize, DocTerms)>> = by_chunk
        .par_iter()
        .enumerate()
        .map_init(Analyzer::new, |analyzer, (c, posts)| {
            let bodies = files
                .get(index.bodies[c].as_str())
                .and_then(|b| std::str::from_utf8(b).ok())
                .and_then(|t| body_chunk_from_json(t).ok())
                .unwrap_or_default();
            posts
                .iter()
                .map(|&i| {
                    let body_md = bodies
                        .get(body_of(i).slot as usize)
                        .map_or("", |b| b.md.as_str());
                    let body = plain_text(body_md);
                    let headings = search::heading_text(body_md);
                    let Some(p) = index.posts.get(i) else {
                        let page = &index.pages[i - n_posts];
                        let terms = analyzer.analyze(&Document {
                            title: &page.title,
                            headings: &headings,
                            tags: Vec::new(),
                            categories: Vec::new(),
                            author: "",
                            summary: &page.description,
                            body: &body,
                        });
                        return (i, terms);
                    };
                    let summary = plain_text(bundle.summaries.get(i).map_or("", String::as_str));
                    let names = |ids: &[u32], terms: &[quire_core::Term]| -> Vec<String> {
                        ids.iter()
                            .filter_map(|&t| terms.get(t as usize))
                            .map(|t| t.name.clone())
                            .collect()
                    };
                    let tags = names(&p.tags, &index.tags);
                    let categories = names(&p.categories, &index.categories);
                    let author = index
                        .authors
                        .get(p.author as usize)
                        .map_or("", |a| a.name.as_str());
                    let terms = analyzer.analyze(&Document {
                        title: &p.title,
                        headings: &headings,
                        tags: tags.iter().map(String::as_str).collect(),
                        categories: categories.iter().map(String::as_str).collect(),
                        author,
                        summary: &summary,
                        body: &body,
                    });
                    (i, terms)
                })
                .collect()
        })
        .collect();
    let mut terms: Vec<DocTerms> = vec![DocTerms::default(); docs];
    for (i, t) in analyzed.into_iter().flatten() {
        terms[i] = t;
    }
    phase("analyze", t0);
    let parts = (rayon::current_num_threads() as u32).clamp(1, 16);
    let lists = (0..parts)
        .into_par_iter()
        .map(|part| search::collect_postings(&terms, part, parts))
        .collect();
    let built = search::shard_index(lists, terms.len() as u32, stemming, shard_bytes);
    phase("shards", t0);
    built
}

/// Adds the search files to the bundle's chunks (written under `data/` with them) and
/// names the manifest in the index.
pub fn attach(bundle: &mut Bundle, progress: Option<&(dyn Fn(Progress<'_>) + Sync)>) {
    let built = build_with(bundle, SHARD_TARGET_BYTES, progress);
    let (name, bytes) = built.manifest_file();
    bundle.chunks.extend(built.shards);
    bundle.chunks.push((name.clone(), bytes));
    std::sync::Arc::make_mut(&mut bundle.index).search = Some(name);
}
