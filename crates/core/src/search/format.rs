//! The index on disk: a small JSON manifest and binary shards, each holding a sorted
//! range of terms with their postings. See docs/SEARCH.md for the byte layout.

use serde::{Deserialize, Serialize};

/// Bumped on every incompatible change of the manifest or the shard layout.
pub const SEARCH_VERSION: u32 = 1;

/// First bytes of every shard.
pub const SHARD_MAGIC: &[u8; 4] = b"QSX1";

/// One shard as the manifest lists it: it holds every term from `first` (inclusive) up to
/// the next shard's `first` (exclusive).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ShardRef {
    pub first: String,
    /// File name, relative to `data/`, content-hashed.
    pub file: String,
    pub bytes: u32,
}

/// The search manifest (`data/m-<hash>.json`, named by `Index::search`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    pub version: u32,
    /// Posts indexed (the bundle's posts, same positions).
    pub docs: u32,
    /// Whether English stemming was applied (the query must do the same).
    pub stem: bool,
    /// Sorted by `first`; the first shard's `first` is empty.
    pub shards: Vec<ShardRef>,
}

/// Why search data could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    Manifest(String),
    Shard(&'static str),
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormatError::Manifest(e) => write!(f, "the search manifest is damaged: {e}"),
            FormatError::Shard(e) => write!(f, "a search shard is damaged: {e}"),
        }
    }
}

impl std::error::Error for FormatError {}

impl Manifest {
    pub fn from_json(text: &str) -> Result<Manifest, FormatError> {
        let m: Manifest =
            serde_json::from_str(text).map_err(|e| FormatError::Manifest(e.to_string()))?;
        if m.version != SEARCH_VERSION {
            return Err(FormatError::Manifest(format!(
                "version {}, this app reads version {SEARCH_VERSION}",
                m.version
            )));
        }
        if m.shards.first().is_none_or(|s| !s.first.is_empty())
            || !m.shards.windows(2).all(|w| w[0].first < w[1].first)
        {
            return Err(FormatError::Manifest("shards out of order".into()));
        }
        Ok(m)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a manifest always serializes")
    }

    /// The shard whose range holds `term`.
    pub fn shard_of(&self, term: &str) -> usize {
        self.shards
            .partition_point(|s| s.first.as_str() <= term)
            .saturating_sub(1)
    }

    /// The shards whose ranges may hold terms starting with `prefix`, at most `max`.
    pub fn shards_of_prefix(&self, prefix: &str, max: usize) -> std::ops::Range<usize> {
        let start = self.shard_of(prefix);
        let mut end = start + 1;
        while end < self.shards.len()
            && self.shards[end].first.starts_with(prefix)
            && end - start < max
        {
            end += 1;
        }
        start..end
    }
}

pub(crate) fn put_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a varint at `*at`, advancing it.
pub(crate) fn get_varint(bytes: &[u8], at: &mut usize) -> Result<u32, FormatError> {
    let mut v: u32 = 0;
    for shift in (0..35).step_by(7) {
        let b = *bytes.get(*at).ok_or(FormatError::Shard("truncated"))?;
        *at += 1;
        v |= ((b & 0x7f) as u32).checked_shl(shift).unwrap_or(0);
        if b < 0x80 {
            return Ok(v);
        }
    }
    Err(FormatError::Shard("varint too long"))
}

/// One posting: a post position and what the term does in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Posting {
    pub post: u32,
    /// Bits 0..5: the term is in the title, tags, categories, author, summary
    /// ([`super::FIELD_TITLE`] …). Bits 5..8: body weight, 0 (absent) to 7 (BM25's term
    /// frequency part, saturated and normalized by the body's length, quantized).
    pub info: u8,
}

/// A term and its postings, in post order, for [`encode_shard`].
pub type TermPostings = (String, Vec<Posting>);

/// Shard layout: magic, varint term count, then per term: varint bytes shared with the
/// previous term, varint length of the rest, the rest, varint document frequency,
/// varint byte length of the postings, postings (per posting: varint gap to the previous
/// post position (the first: the position), one info byte).
pub fn encode_shard(terms: &[TermPostings]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(SHARD_MAGIC);
    put_varint(&mut out, terms.len() as u32);
    let mut prev: &str = "";
    let mut buf = Vec::new();
    for (term, postings) in terms {
        let shared = prev
            .bytes()
            .zip(term.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        put_varint(&mut out, shared as u32);
        put_varint(&mut out, (term.len() - shared) as u32);
        out.extend_from_slice(&term.as_bytes()[shared..]);
        put_varint(&mut out, postings.len() as u32);
        buf.clear();
        let mut last = 0;
        for (i, p) in postings.iter().enumerate() {
            put_varint(&mut buf, if i == 0 { p.post } else { p.post - last });
            buf.push(p.info);
            last = p.post;
        }
        put_varint(&mut out, buf.len() as u32);
        out.extend_from_slice(&buf);
        prev = term;
    }
    out
}

/// A decoded shard: its terms, sorted, each with its document frequency and where its
/// postings are. Postings are decoded on demand.
#[derive(Debug, Clone)]
pub struct Shard {
    bytes: Vec<u8>,
    terms: Vec<(String, u32, std::ops::Range<usize>)>,
}

impl Shard {
    /// Reads a shard, checking every length against the bytes (never panics on bad input).
    pub fn decode(bytes: Vec<u8>) -> Result<Shard, FormatError> {
        if bytes.get(..4) != Some(SHARD_MAGIC.as_slice()) {
            return Err(FormatError::Shard("not a search shard"));
        }
        let mut at = 4;
        let n = get_varint(&bytes, &mut at)? as usize;
        let mut terms = Vec::with_capacity(n.min(bytes.len()));
        let mut prev = String::new();
        for _ in 0..n {
            let shared = get_varint(&bytes, &mut at)? as usize;
            let len = get_varint(&bytes, &mut at)? as usize;
            let rest = bytes
                .get(at..at.checked_add(len).ok_or(FormatError::Shard("length"))?)
                .ok_or(FormatError::Shard("truncated"))?;
            at += len;
            let head = prev
                .as_bytes()
                .get(..shared)
                .ok_or(FormatError::Shard("prefix"))?;
            let mut t = head.to_vec();
            t.extend_from_slice(rest);
            let term = String::from_utf8(t).map_err(|_| FormatError::Shard("term not UTF-8"))?;
            if !terms.is_empty() && term <= prev {
                return Err(FormatError::Shard("terms out of order"));
            }
            let df = get_varint(&bytes, &mut at)?;
            let plen = get_varint(&bytes, &mut at)? as usize;
            let end = at.checked_add(plen).ok_or(FormatError::Shard("length"))?;
            if end > bytes.len() {
                return Err(FormatError::Shard("truncated"));
            }
            terms.push((term.clone(), df, at..end));
            at = end;
            prev = term;
        }
        Ok(Shard { bytes, terms })
    }

    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Terms and their document frequencies, in order.
    pub fn terms(&self) -> impl Iterator<Item = (&str, u32)> {
        self.terms.iter().map(|(t, df, _)| (t.as_str(), *df))
    }

    /// Position of `term` in this shard.
    pub fn find(&self, term: &str) -> Option<usize> {
        self.terms
            .binary_search_by(|(t, _, _)| t.as_str().cmp(term))
            .ok()
    }

    /// Positions of the terms starting with `prefix`.
    pub fn find_prefix(&self, prefix: &str) -> std::ops::Range<usize> {
        let start = self.terms.partition_point(|(t, _, _)| t.as_str() < prefix);
        let len = self.terms[start..]
            .iter()
            .take_while(|(t, _, _)| t.starts_with(prefix))
            .count();
        start..start + len
    }

    pub fn term(&self, i: usize) -> (&str, u32) {
        let (t, df, _) = &self.terms[i];
        (t, *df)
    }

    /// The postings of term `i`, in post order.
    pub fn postings(&self, i: usize) -> Result<Vec<Posting>, FormatError> {
        let range = self.terms[i].2.clone();
        let bytes = &self.bytes[range.clone()];
        let mut out = Vec::with_capacity(self.terms[i].1 as usize);
        let mut at = 0;
        let mut post: u32 = 0;
        while at < bytes.len() {
            let gap = get_varint(bytes, &mut at)?;
            post = if out.is_empty() {
                gap
            } else {
                post.checked_add(gap).ok_or(FormatError::Shard("posting"))?
            };
            let info = *bytes.get(at).ok_or(FormatError::Shard("truncated"))?;
            at += 1;
            out.push(Posting { post, info });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        for v in [0, 1, 127, 128, 300, 16_383, 16_384, u32::MAX] {
            let mut b = Vec::new();
            put_varint(&mut b, v);
            let mut at = 0;
            assert_eq!(get_varint(&b, &mut at), Ok(v));
            assert_eq!(at, b.len());
        }
        assert!(get_varint(&[0x80], &mut 0).is_err());
    }

    #[test]
    fn damaged_shards_are_errors_not_panics() {
        let terms = vec![
            (
                "apple".to_string(),
                vec![
                    Posting { post: 3, info: 1 },
                    Posting {
                        post: 900,
                        info: 33,
                    },
                ],
            ),
            ("apply".to_string(), vec![Posting { post: 5, info: 64 }]),
        ];
        let bytes = encode_shard(&terms);
        let shard = Shard::decode(bytes.clone()).unwrap();
        assert_eq!(shard.term(1), ("apply", 1));
        assert_eq!(shard.postings(0).unwrap(), terms[0].1);
        for cut in 0..bytes.len() {
            let _ = Shard::decode(bytes[..cut].to_vec()).map(|s| {
                for i in 0..s.len() {
                    let _ = s.postings(i);
                }
            });
        }
        let mut bad = bytes.clone();
        bad[0] = b'X';
        assert!(Shard::decode(bad).is_err());
    }
}
