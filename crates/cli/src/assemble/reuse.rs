//! What one build can hand to the next in the same process (`quire serve`'s rebuilds):
//! results of pure steps, kept by their whole input. A rebuild after one edited post
//! finds every other post's highlighted code, rendered summary and rendered body here and
//! computes only what changed, so its output is byte for byte a fresh build's.
//!
//! Each memo keeps the entries the last build used and drops the rest
//! ([`Reuse::next_build`]), so memory stays one build's worth however long `quire serve`
//! runs. `quire build` makes none: it computes everything once anyway.

use quire_core::RawHtml;
use quire_core::bundle::Body;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

/// The memos one build fills and the next one reads (shareable between rayon's threads).
#[derive(Default)]
pub struct Reuse {
    /// A body's Markdown → its code blocks' token runs (`highlight::runs`).
    pub code: Memo<String, Vec<String>>,
    /// A summary (Markdown, raw HTML policy as [`policy_key`], post position) → its
    /// contained HTML.
    pub summaries: Memo<(String, u8, usize), Arc<str>>,
    /// A body entry and the raw HTML policy → its contained HTML.
    pub bodies: Memo<BodyKey, Arc<str>>,
    /// A summary and the policy → its HTML as feeds carry it (escaped).
    pub feed_summaries: Memo<(String, u8), Arc<str>>,
    /// A body entry and the policy → its HTML as `feed_content = "full"` feeds carry it.
    pub feed_bodies: Memo<BodyKey, Arc<str>>,
}

impl Reuse {
    /// Starts a build: what the build before used stays reachable, what it did not use
    /// is dropped.
    pub fn next_build(&self) {
        self.code.next_build();
        self.summaries.next_build();
        self.bodies.next_build();
        self.feed_summaries.next_build();
        self.feed_bodies.next_build();
    }

    /// What the current build took from earlier ones and what it computed, for
    /// `QUIRE_TIMING`: `code 2/998, summaries 1/999, bodies 1/999` (computed/kept).
    pub fn counts(&self) -> String {
        let c = |m: &dyn Counted| {
            let (made, kept) = m.counted();
            format!("{made}/{kept}")
        };
        format!(
            "code {}, summaries {}, bodies {} (computed/kept)",
            c(&self.code),
            c(&self.summaries),
            c(&self.bodies)
        )
    }
}

/// A memo's counts of this build: results computed, results kept from before.
trait Counted {
    fn counted(&self) -> (usize, usize);
}

impl<K, V> Counted for Memo<K, V> {
    fn counted(&self) -> (usize, usize) {
        let s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        (s.made, s.kept)
    }
}

impl std::fmt::Debug for Reuse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Reuse")
    }
}

/// A body entry with the policy it is rendered under, compared whole.
#[derive(Clone, PartialEq, Eq)]
pub struct BodyKey(pub Body, pub RawHtml);

impl Hash for BodyKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let BodyKey(b, policy) = self;
        b.md.hash(state);
        b.code.hash(state);
        b.img.hash(state);
        b.toc.hash(state);
        policy_key(*policy).hash(state);
    }
}

/// The raw HTML policy as a number, for keys (the policy itself has no hash).
pub fn policy_key(policy: RawHtml) -> u8 {
    policy as u8
}

/// Results by their whole input, over two builds: the entries the current build has used
/// and those of the build before it.
pub struct Memo<K, V> {
    state: Mutex<Generations<K, V>>,
}

struct Generations<K, V> {
    current: HashMap<K, V>,
    previous: HashMap<K, V>,
    /// This build's results computed and kept (found in `previous`).
    made: usize,
    kept: usize,
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Memo {
            state: Mutex::new(Generations {
                current: HashMap::new(),
                previous: HashMap::new(),
                made: 0,
                kept: 0,
            }),
        }
    }
}

impl<K: Hash + Eq, V: Clone> Memo<K, V> {
    /// The value for `key`: kept from this build or the one before, else `make(&key)`
    /// (computed without holding the lock, so threads compute side by side).
    pub fn get_or(&self, key: K, make: impl FnOnce(&K) -> V) -> V {
        {
            let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(v) = s.current.get(&key) {
                return v.clone();
            }
            if let Some((k, v)) = s.previous.remove_entry(&key) {
                s.kept += 1;
                s.current.insert(k, v.clone());
                return v;
            }
        }
        let v = make(&key);
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.made += 1;
        s.current.insert(key, v.clone());
        v
    }

    fn next_build(&self) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.previous = std::mem::take(&mut s.current);
        s.made = 0;
        s.kept = 0;
    }

    /// How many results are kept (this build's and the one before's).
    #[cfg(test)]
    fn len(&self) -> usize {
        let s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.current.len() + s.previous.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_the_last_build_used() {
        let m: Memo<String, usize> = Memo::default();
        let calls = std::cell::Cell::new(0);
        let make = |k: &String| {
            calls.set(calls.get() + 1);
            k.len()
        };
        assert_eq!(m.get_or("ab".into(), make), 2);
        assert_eq!(m.get_or("ab".into(), make), 2);
        assert_eq!(m.get_or("xyz".into(), make), 3);
        assert_eq!(calls.get(), 2);
        assert_eq!(m.counted(), (2, 0));
        // The next build uses "ab" only; the one after no longer has "xyz".
        m.next_build();
        assert_eq!(m.get_or("ab".into(), make), 2);
        assert_eq!(calls.get(), 2);
        assert_eq!(m.counted(), (0, 1));
        m.next_build();
        assert_eq!(m.len(), 1);
        assert_eq!(m.get_or("xyz".into(), make), 3);
        assert_eq!(calls.get(), 3);
    }
}
