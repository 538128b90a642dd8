//! The index on disk: a small binary manifest and binary shards, each shard holding a
//! sorted range of terms with their postings. See docs/SEARCH.md for the byte layout.
//!
//! Both are read by hand-written decoders over the same varints: the app's Wasm then
//! carries no JSON deserializer of its own for search.

/// Bumped on every incompatible change of the manifest or the shard layout.
pub const SEARCH_VERSION: u32 = 4;

/// First bytes of every shard.
pub const SHARD_MAGIC: &[u8; 4] = b"QSX2";

/// First bytes of the manifest; the version follows as a varint.
pub const MANIFEST_MAGIC: &[u8; 4] = b"QSM1";

/// One shard as the manifest lists it: it holds every term from `first` (inclusive) up to
/// the next shard's `first` (exclusive).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShardRef {
    pub first: String,
    /// File name, relative to `data/`, content-hashed.
    pub file: String,
    pub bytes: u32,
}

/// The search manifest (`data/m-<hash>.bin`, named by `Index::search`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    pub version: u32,
    /// Documents indexed: the bundle's posts, then its standalone pages (positions
    /// `posts.len() + i`).
    pub docs: u32,
    /// Whether English stemming was applied (the query must do the same).
    pub stem: bool,
    /// Sorted by `first`; the first shard's `first` is empty.
    pub shards: Vec<ShardRef>,
}

/// Why search data could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    Manifest(&'static str),
    Shard(&'static str),
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (what, e) = match self {
            FormatError::Manifest(e) => ("manifest", e),
            FormatError::Shard(e) => ("shard", e),
        };
        write!(f, "a search {what} is damaged: {e}")
    }
}

impl std::error::Error for FormatError {}

/// Reads length-prefixed UTF-8 at `*at`, advancing it.
fn get_str<'b>(
    bytes: &'b [u8],
    at: &mut usize,
    e: fn(&'static str) -> FormatError,
) -> Result<&'b [u8], FormatError> {
    let len = get_varint(bytes, at).map_err(|_| e("truncated"))? as usize;
    let out = at
        .checked_add(len)
        .and_then(|end| bytes.get(*at..end))
        .ok_or(e("truncated"))?;
    *at += len;
    Ok(out)
}

impl Manifest {
    /// Layout: [`MANIFEST_MAGIC`], then varints: version, docs, stem (0 or 1), shard count;
    /// per shard: bytes of `first` shared with the previous shard's, length and bytes of
    /// the rest, length and bytes of the file name, the shard's size in bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = MANIFEST_MAGIC.to_vec();
        for v in [
            self.version,
            self.docs,
            self.stem as u32,
            self.shards.len() as u32,
        ] {
            put_varint(&mut out, v);
        }
        let mut prev = "";
        for s in &self.shards {
            let shared = shared_prefix(prev, &s.first);
            put_varint(&mut out, shared as u32);
            put_bytes(&mut out, &s.first.as_bytes()[shared..]);
            put_bytes(&mut out, s.file.as_bytes());
            put_varint(&mut out, s.bytes);
            prev = &s.first;
        }
        out
    }

    /// Reads a manifest, checking every length, the version and the shards' order (never
    /// panics on bad input).
    pub fn decode(bytes: &[u8]) -> Result<Manifest, FormatError> {
        let e = FormatError::Manifest;
        if bytes.get(..4) != Some(MANIFEST_MAGIC.as_slice()) {
            return Err(e("not a search manifest"));
        }
        let mut at = 4;
        let mut next = || get_varint(bytes, &mut at).map_err(|_| e("truncated"));
        let version = next()?;
        if version != SEARCH_VERSION {
            return Err(e("written by another version of quire"));
        }
        let (docs, stem, count) = (next()?, next()?, next()?);
        let mut shards: Vec<ShardRef> = Vec::with_capacity((count as usize).min(bytes.len()));
        for _ in 0..count {
            let shared = get_varint(bytes, &mut at).map_err(|_| e("truncated"))? as usize;
            let mut first = shards
                .last()
                .map_or(&[][..], |s| s.first.as_bytes())
                .get(..shared)
                .ok_or(e("prefix"))?
                .to_vec();
            first.extend_from_slice(get_str(bytes, &mut at, e)?);
            let file = get_str(bytes, &mut at, e)?.to_vec();
            let size = get_varint(bytes, &mut at).map_err(|_| e("truncated"))?;
            let (Ok(first), Ok(file)) = (String::from_utf8(first), String::from_utf8(file)) else {
                return Err(e("not UTF-8"));
            };
            // Shards in strictly increasing order, the first from the empty term.
            if shards
                .last()
                .map_or(!first.is_empty(), |s| s.first >= first)
            {
                return Err(e("shards out of order"));
            }
            shards.push(ShardRef {
                first,
                file,
                bytes: size,
            });
        }
        Ok(Manifest {
            version,
            docs,
            stem: stem != 0,
            shards,
        })
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

fn shared_prefix(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_varint(out, bytes.len() as u32);
    out.extend_from_slice(bytes);
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
    /// Bits 0..5: the term is in the title, tags, categories or author, headings, summary
    /// ([`super::FIELD_TITLE`] …). Bits 5..8: body weight, 0 (absent) to 7 (BM25's term
    /// frequency part, saturated and normalized by the body's length, quantized).
    pub info: u8,
    /// Where in the body the term first occurs, in 256ths of the body (token index × 256 /
    /// the body's tokens): what the query's bonus for words close together and in order
    /// reads. Present when the body weight is not 0 and the term carries positions (terms
    /// in more than a sixteenth of the posts do not, see `POSITIONS_MAX_SHARE`).
    pub at: Option<u8>,
}

/// A term and its postings, in post order, for [`encode_shard`].
pub type TermPostings = (String, Vec<Posting>);

/// Shard layout: magic, varint term count, then per term: varint bytes shared with the
/// previous term, varint length of the rest, the rest, varint document frequency × 2 +
/// whether its postings carry positions (1 or 0), varint byte length of the postings,
/// postings (per posting: varint gap to the previous post position (the first: the
/// position), one info byte, and with positions, when the info byte's body weight is not
/// 0, one byte of position, [`Posting::at`]). A term carries positions when any of its
/// postings has one.
pub fn encode_shard(terms: &[TermPostings]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(SHARD_MAGIC);
    put_varint(&mut out, terms.len() as u32);
    let mut prev: &str = "";
    let mut buf = Vec::new();
    for (term, postings) in terms {
        let shared = shared_prefix(prev, term);
        put_varint(&mut out, shared as u32);
        put_bytes(&mut out, &term.as_bytes()[shared..]);
        let positions = postings.iter().any(|p| p.at.is_some());
        put_varint(&mut out, (postings.len() as u32) << 1 | positions as u32);
        buf.clear();
        let mut last = 0;
        for (i, p) in postings.iter().enumerate() {
            put_varint(&mut buf, if i == 0 { p.post } else { p.post - last });
            buf.push(p.info);
            if positions && p.info >> 5 != 0 {
                buf.push(p.at.unwrap_or(0));
            }
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
    /// `(term, document frequency, postings carry positions, postings' bytes)`.
    terms: Vec<(String, u32, bool, std::ops::Range<usize>)>,
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
            let df_flag = get_varint(&bytes, &mut at)?;
            let (df, positions) = (df_flag >> 1, df_flag & 1 == 1);
            let plen = get_varint(&bytes, &mut at)? as usize;
            let end = at.checked_add(plen).ok_or(FormatError::Shard("length"))?;
            if end > bytes.len() {
                return Err(FormatError::Shard("truncated"));
            }
            terms.push((term.clone(), df, positions, at..end));
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
        self.terms.iter().map(|(t, df, _, _)| (t.as_str(), *df))
    }

    /// Position of `term` in this shard.
    pub fn find(&self, term: &str) -> Option<usize> {
        self.terms
            .binary_search_by(|(t, _, _, _)| t.as_str().cmp(term))
            .ok()
    }

    /// Positions of the terms starting with `prefix`.
    pub fn find_prefix(&self, prefix: &str) -> std::ops::Range<usize> {
        let start = self
            .terms
            .partition_point(|(t, _, _, _)| t.as_str() < prefix);
        let len = self.terms[start..]
            .iter()
            .take_while(|(t, _, _, _)| t.starts_with(prefix))
            .count();
        start..start + len
    }

    pub fn term(&self, i: usize) -> (&str, u32) {
        let (t, df, _, _) = &self.terms[i];
        (t, *df)
    }

    /// The postings of term `i`, in post order.
    pub fn postings(&self, i: usize) -> Result<Vec<Posting>, FormatError> {
        let positions = self.terms[i].2;
        let range = self.terms[i].3.clone();
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
            let pos = if positions && info >> 5 != 0 {
                let b = *bytes.get(at).ok_or(FormatError::Shard("truncated"))?;
                at += 1;
                Some(b)
            } else {
                None
            };
            out.push(Posting {
                post,
                info,
                at: pos,
            });
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

    fn manifest() -> Manifest {
        let shard = |first: &str, file: &str, bytes| ShardRef {
            first: first.to_string(),
            file: file.to_string(),
            bytes,
        };
        Manifest {
            version: SEARCH_VERSION,
            docs: 10_000,
            stem: true,
            shards: vec![
                shard("", "x-aa.bin", 48_012),
                shard("bordo", "x-bb.bin", 300),
                shard("bore", "x-cc.bin", 1),
                shard("東京", "x-dd.bin", 70_000),
            ],
        }
    }

    #[test]
    fn manifests_round_trip() {
        let m = manifest();
        let bytes = m.encode();
        assert_eq!(Manifest::decode(&bytes), Ok(m.clone()));
        assert_eq!(&bytes[..4], MANIFEST_MAGIC);
        let empty = Manifest {
            shards: vec![],
            stem: false,
            ..m
        };
        assert_eq!(Manifest::decode(&empty.encode()), Ok(empty));
    }

    #[test]
    fn damaged_manifests_are_errors_not_panics() {
        let bytes = manifest().encode();
        for cut in 0..bytes.len() {
            assert!(Manifest::decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut other = manifest();
        other.version = SEARCH_VERSION + 1;
        assert_eq!(
            Manifest::decode(&other.encode()),
            Err(FormatError::Manifest("written by another version of quire"))
        );
        let mut unordered = manifest();
        unordered.shards.swap(1, 2);
        assert!(Manifest::decode(&unordered.encode()).is_err());
        let mut no_empty_first = manifest();
        no_empty_first.shards.remove(0);
        assert!(Manifest::decode(&no_empty_first.encode()).is_err());
        // Every single-byte change is an error or some manifest, never a panic.
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0xff;
            let _ = Manifest::decode(&b);
        }
    }

    #[test]
    fn damaged_shards_are_errors_not_panics() {
        let terms = vec![
            (
                "apple".to_string(),
                vec![
                    Posting {
                        post: 3,
                        info: 1,
                        at: None,
                    },
                    Posting {
                        post: 900,
                        info: 33,
                        at: Some(200),
                    },
                ],
            ),
            (
                "apply".to_string(),
                vec![Posting {
                    post: 5,
                    info: 64,
                    at: Some(0),
                }],
            ),
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
