//! The search index `quire build` writes under `data/` (see docs/SEARCH.md): every post's
//! title, tags, categories, author, summary and body, read back from the bundle so the
//! positions are the bundle's, analysed in parallel by [`quire_core::search`].

use crate::bundle::Bundle;
use quire_core::bundle::chunk_from_json;
use quire_core::search::{self, BuiltIndex, Document, SHARD_TARGET_BYTES};
use quire_core::text::plain_text;
use rayon::prelude::*;
use std::collections::HashMap;

/// Builds the search index of a bundle's posts (stemming when the site's language is
/// English).
pub fn build(bundle: &Bundle) -> BuiltIndex {
    build_with(bundle, SHARD_TARGET_BYTES)
}

/// [`build`] with another shard size (tests make many small shards).
pub fn build_with(bundle: &Bundle, shard_bytes: usize) -> BuiltIndex {
    let index = &bundle.index;
    let files: HashMap<&str, &[u8]> = bundle
        .chunks
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let bodies: Vec<Vec<String>> = index
        .bodies
        .par_iter()
        .map(|name| {
            files
                .get(name.as_str())
                .and_then(|b| std::str::from_utf8(b).ok())
                .and_then(|t| chunk_from_json(t).ok())
                .unwrap_or_default()
        })
        .collect();
    let stemming = search::stems(&index.site.language);
    let terms = index
        .posts
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let body_md = bodies
                .get(p.body.chunk as usize)
                .and_then(|c| c.get(p.body.slot as usize))
                .map_or("", String::as_str);
            let body = plain_text(body_md);
            let summary = bundle
                .summaries
                .get(i)
                .map(|s| plain_text(s))
                .unwrap_or_default();
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
            search::analyze(
                &Document {
                    title: &p.title,
                    tags: tags.iter().map(String::as_str).collect(),
                    categories: categories.iter().map(String::as_str).collect(),
                    author,
                    summary: &summary,
                    body: &body,
                },
                stemming,
            )
        })
        .collect();
    search::build_index(terms, stemming, shard_bytes)
}

/// Adds the search files to the bundle's chunks (written under `data/` with them) and
/// names the manifest in the index.
pub fn attach(bundle: &mut Bundle) {
    let built = build(bundle);
    let (name, bytes) = built.manifest_file();
    bundle.chunks.extend(built.shards);
    bundle.chunks.push((name.clone(), bytes));
    bundle.index.search = Some(name);
}
