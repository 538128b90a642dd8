//! A search index built from a few documents made for a test, written to bytes and read
//! back as the app reads it, and queried the way the app queries it: shared by the
//! relevance rules (relevance.rs) and the closeness bonus (proximity.rs).

use quire_core::search::{Document, Manifest, Query, Shard, analyze, build_index};

pub struct SearchSite {
    manifest: Manifest,
    shards: Vec<Shard>,
}

impl SearchSite {
    /// An index of `docs`, in order (a document's position is its post number).
    pub fn new(docs: &[Document<'_>], stemming: bool) -> SearchSite {
        let built = build_index(docs.iter().map(analyze).collect(), stemming, 256);
        let (_, bytes) = built.manifest_file();
        SearchSite {
            manifest: Manifest::decode(&bytes).unwrap(),
            shards: built
                .shards
                .into_iter()
                .map(|(_, b)| Shard::decode(b).unwrap())
                .collect(),
        }
    }

    /// The posts `input` finds, best first.
    pub fn find(&self, input: &str) -> Vec<u32> {
        let q = Query::parse(input, self.manifest.stem);
        let plan = q.plan(&self.manifest);
        q.search(&self.manifest, |i| {
            plan.contains(&i).then(|| &self.shards[i])
        })
        .unwrap()
        .into_iter()
        .map(|h| h.post)
        .collect()
    }
}

/// `n` words that are none of the tested ones.
pub fn filler(n: usize) -> String {
    (0..n).map(|i| format!("plain{} ", i % 40)).collect()
}
