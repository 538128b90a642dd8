//! The search index `quire build` writes under `data/` (see docs/SEARCH.md): every post's
//! title, tags, categories, author, summary and body, read back from the bundle so the
//! positions are the bundle's, analysed in parallel by [`quire_core::search`].

use crate::bundle::Bundle;
use quire_core::bundle::chunk_from_json;
use quire_core::search::{self, Analyzer, BuiltIndex, Document, SHARD_TARGET_BYTES};
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
    let timing = std::env::var_os("QUIRE_TIMING").is_some();
    let t0 = std::time::Instant::now();
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
    if timing {
        eprintln!(
            "quire: timing: search: read bodies {:.3} s",
            t0.elapsed().as_secs_f64()
        );
    }
    let texts: Vec<(String, String)> = index
        .posts
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let body_md = bodies
                .get(p.body.chunk as usize)
                .and_then(|c| c.get(p.body.slot as usize))
                .map_or("", String::as_str);
            let summary = bundle.summaries.get(i).map_or("", String::as_str);
            (plain_text(body_md), plain_text(summary))
        })
        .collect();
    if timing {
        eprintln!(
            "quire: timing: search: plain text {:.3} s",
            t0.elapsed().as_secs_f64()
        );
    }
    let stemming = search::stems(&index.site.language);
    let terms = index
        .posts
        .par_iter()
        .enumerate()
        .map_init(
            || Analyzer::new(stemming),
            |analyzer, (i, p)| {
                let (body, summary) = &texts[i];
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
                analyzer.analyze(&Document {
                    title: &p.title,
                    tags: tags.iter().map(String::as_str).collect(),
                    categories: categories.iter().map(String::as_str).collect(),
                    author,
                    summary,
                    body,
                })
            },
        )
        .collect();
    if timing {
        eprintln!(
            "quire: timing: search: analyze {:.3} s",
            t0.elapsed().as_secs_f64()
        );
    }
    let terms: Vec<search::DocTerms> = terms;
    let parts = (rayon::current_num_threads() as u32 * 2).clamp(1, 16);
    let lists = (0..parts)
        .into_par_iter()
        .map(|part| search::collect_postings(&terms, part, parts))
        .collect();
    let built = search::shard_index(lists, terms.len() as u32, stemming, shard_bytes);
    if timing {
        eprintln!(
            "quire: timing: search: shards {:.3} s",
            t0.elapsed().as_secs_f64()
        );
    }
    built
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
