//! The search index `quire build` writes under `data/` (see docs/SEARCH.md): every post's
//! title, tags, categories, author, summary and body, read back from the bundle so the
//! positions are the bundle's, analysed in parallel by [`quire_core::search`].

use super::bundle::Bundle;
use crate::diag::Progress;
use quire_core::bundle::body_chunk_from_json;
use quire_core::markdown::plain_text;
use quire_core::search::{self, Analyzer, BuiltIndex, DocTerms, Document, SHARD_TARGET_BYTES};
use rayon::prelude::*;
use std::collections::HashMap;

/// Builds the search index of a bundle's posts (stemming when the site's language is
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
    // One body chunk at a time: its posts' text is only alive while they are analysed.
    let mut by_chunk: Vec<Vec<usize>> = vec![Vec::new(); index.bodies.len()];
    for (i, p) in index.posts.iter().enumerate() {
        if let Some(v) = by_chunk.get_mut(p.body.chunk as usize) {
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
                    let p = &index.posts[i];
                    let body_md = bodies
                        .get(p.body.slot as usize)
                        .map_or("", |b| b.md.as_str());
                    let body = plain_text(body_md);
                    let headings = search::heading_text(body_md);
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
    let mut terms: Vec<DocTerms> = vec![DocTerms::default(); index.posts.len()];
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
