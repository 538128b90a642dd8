//! Full-text search: the index `quire build` writes and the query engine the app runs.
//!
//! - [`fold`]: case and diacritics folding, the tokenizer;
//! - [`stem`]: Porter's English stemmer, used by the query when the site's `language`
//!   starts with `en` (a word also finds the other words of its stem);
//! - [`analyze`] and [`build_index`]: posts → terms (words as written, folded) → sorted,
//!   content-hashed shards plus a [`Manifest`] naming each shard's first term;
//! - [`Query`]: words, quoted phrases, the last word as a prefix while typing; its
//!   [`Query::plan`] says which shards to fetch, [`Query::search`] ranks posts,
//!   [`Query::verify`] checks phrases against a post's text, [`Query::excerpt`] and
//!   [`Query::highlights`] give byte spans to highlight (never HTML).
//!
//! How it fits together, the byte layout and the sizes are in docs/SEARCH.md.

pub mod fold;
pub mod format;
mod headings;
pub mod stem;

pub use headings::heading_text;

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

pub use format::{FormatError, Manifest, Posting, SEARCH_VERSION, Shard, ShardRef};

/// Field bits of a posting's info byte.
pub const FIELD_TITLE: u8 = 1;
pub const FIELD_TAGS: u8 = 2;
/// The post's categories and its author (they weigh the same).
pub const FIELD_CATEGORIES: u8 = 4;
/// The same bit as [`FIELD_CATEGORIES`].
pub const FIELD_AUTHOR: u8 = 4;
/// The body's headings (their words are in the body too).
pub const FIELD_HEADING: u8 = 8;
pub const FIELD_SUMMARY: u8 = 16;
const FIELD_MASK: u8 = 31;

/// Score of a term in each field, before the term's IDF. The body's part is BM25's term
/// frequency part, at most `K1 + 1` = 2.2: a title or tag hit always outweighs a body hit.
const WEIGHTS: [f32; 5] = [3.0, 2.5, 1.5, 1.5, 0.5];
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// Levels of the quantized body weight (3 bits).
const BODY_LEVELS: f32 = 7.0;
/// A word found through its stem only (`developer` for `developing`) counts this much of a
/// hit on the word as typed.
const STEM_FACTOR: f32 = 0.4;
/// A word the typed prefix completes counts `PREFIX_BASE + PREFIX_SPAN × typed / length`
/// of a full hit (characters): the more of it is typed, the more it counts, never more
/// than 0.75 (the word itself counts 1, which the fields' small part in `term_score`,
/// at most ×1.23, cannot make up for).
const PREFIX_BASE: f32 = 0.5;
const PREFIX_SPAN: f32 = 0.25;
/// A stem the typed word may be growing into an inflection of (`runni` → `run`).
const GROWING_FACTOR: f32 = 0.5;
/// A stem family is only looked up through a root of at least this many bytes (shorter
/// roots span too many words).
const MIN_ROOT_BYTES: usize = 3;
/// A prefix searches at most this many shards (a very short prefix can span more; the
/// terms beyond are not searched).
pub const MAX_PREFIX_SHARDS: usize = 3;
/// A last word shorter than this (in characters) is matched whole, not as a prefix.
pub const MIN_PREFIX_CHARS: usize = 2;
/// A term's postings carry positions when it is in at most a sixteenth of the documents…
const POSITIONS_MAX_SHARE: usize = 16;
/// …or in at most this many (a small blog keeps them all).
const POSITIONS_MIN_DF: usize = 64;
/// Shards are cut at about this many bytes (a term with more postings gets its own).
pub const SHARD_TARGET_BYTES: usize = 48 * 1024;

/// Whether a site's `language` turns on the English stemmer.
pub fn stems(language: &str) -> bool {
    language.to_ascii_lowercase().starts_with("en")
}

/// Calls `f` with every unstemmed term of `text` and the index of the token it starts at:
/// folded words; for CJK text, each pair of neighbouring characters and the last character
/// of every run. Returns the token count.
fn raw_terms(text: &str, mut f: impl FnMut(&str, u32)) -> u32 {
    let mut prev = String::new();
    let mut prev_at = 0;
    let mut pair = String::new();
    let mut n = 0;
    fold::tokens(text, |t| {
        let at = n;
        n += 1;
        if t.cjk {
            if !prev.is_empty() {
                if t.joined {
                    pair.clear();
                    pair.push_str(&prev);
                    pair.push_str(t.text);
                    f(&pair, prev_at);
                } else {
                    f(&prev, prev_at);
                }
            }
            prev.clear();
            prev.push_str(t.text);
            prev_at = at;
        } else {
            if !prev.is_empty() {
                f(&prev, prev_at);
                prev.clear();
            }
            f(t.text, at);
        }
    });
    if !prev.is_empty() {
        f(&prev, prev_at);
    }
    n
}

/// Where a term first occurs in a body of `len` tokens, as a posting stores it: token
/// `first` in 256ths of the body (0 = its start, 255 = its end). Exact for bodies of up to
/// 256 tokens.
fn relative_position(first: u32, len: u32) -> u8 {
    (u64::from(first) * 256 / u64::from(len.max(1))).min(255) as u8
}

/// One post's text for the index, Markdown already turned into plain text.
#[derive(Clone, Debug, Default)]
pub struct Document<'a> {
    pub title: &'a str,
    /// The text of the body's headings (also part of `body`).
    pub headings: &'a str,
    pub tags: Vec<&'a str>,
    pub categories: Vec<&'a str>,
    pub author: &'a str,
    pub summary: &'a str,
    pub body: &'a str,
}

/// A term of at most [`fold::MAX_WORD_BYTES`] bytes, stored inline: the build handles
/// millions of them, and a heap allocation each would cost more than the rest.
#[derive(Clone, Copy)]
pub struct Key {
    len: u8,
    bytes: [u8; KEY_BYTES],
}

/// Words are cut at [`fold::MAX_WORD_BYTES`]; a CJK pair is at most 8 bytes.
const KEY_BYTES: usize = fold::MAX_WORD_BYTES;

impl Key {
    /// `None` for a term too long to be a key (never produced by the tokenizer).
    pub fn new(term: &str) -> Option<Key> {
        let len = term.len();
        if len > KEY_BYTES {
            return None;
        }
        let mut bytes = [0u8; KEY_BYTES];
        bytes[..len].copy_from_slice(term.as_bytes());
        Some(Key {
            len: len as u8,
            bytes,
        })
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len as usize]).expect("made from a str")
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        // Bytes past `len` are always zero: comparing whole arrays is the same, and faster.
        self.len == other.len && self.bytes == other.bytes
    }
}

impl Eq for Key {}

impl std::hash::Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write(&self.bytes[..self.len as usize]);
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

/// One post's terms, packed (a 10,000-post blog has millions of them): the terms' bytes
/// end to end, and per term where it ends, its field bits, its occurrences in the body and
/// where in the body it first occurs.
#[derive(Clone, Debug, Default)]
pub struct DocTerms {
    bytes: String,
    /// `(end in bytes, occurrences in the body (saturated), field bits, first occurrence
    /// in the body in 256ths of it)`.
    terms: Vec<(u32, u16, u8, u8)>,
    /// The body's length in tokens.
    pub body_len: u32,
}

impl DocTerms {
    /// `(term, field bits, occurrences in the body, first occurrence in the body in 256ths
    /// of it (0 when not in the body))`, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u8, u32, u8)> {
        let mut start = 0;
        self.terms.iter().map(move |&(end, tf, mask, at)| {
            let t = &self.bytes[start as usize..end as usize];
            start = end;
            (t, mask, tf as u32, at)
        })
    }

    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// A small, fast, non-cryptographic hasher for the build's maps of short words (the
/// standard SipHash costs more than the rest of the analysis; a hostile post can at worst
/// slow its own build down).
#[derive(Default, Clone, Copy)]
pub struct WordHasher(u64);

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes(c.try_into().expect("8 bytes"));
            self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
        let mut last = 0u64;
        for (i, &b) in chunks.remainder().iter().enumerate() {
            last |= (b as u64) << (8 * i);
        }
        self.0 =
            (self.0.rotate_left(5) ^ last ^ bytes.len() as u64).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type KeyMap<V> = HashMap<Key, V, BuildHasherDefault<WordHasher>>;

/// Turns posts into terms, reusing its maps across posts (one per thread). Terms are the
/// folded words as written (and CJK pairs): stems are the query's business, so an exact
/// word can outrank its relatives and every prefix of a word finds it.
#[derive(Default)]
pub struct Analyzer {
    /// `term → (occurrences in the body, token of the first one)`.
    counts: KeyMap<(u32, u32)>,
    /// Reused for every post: `term → (field bits, occurrences in the body, token of the
    /// first one)`.
    fields: KeyMap<(u8, u32, u32)>,
}

impl Analyzer {
    pub fn new() -> Analyzer {
        Analyzer::default()
    }

    /// A post's terms (independent of the other posts: run it in parallel, one
    /// analyzer a thread).
    pub fn analyze(&mut self, doc: &Document<'_>) -> DocTerms {
        let mut counts = std::mem::take(&mut self.counts);
        counts.clear();
        let body_len = raw_terms(doc.body, |t, at| {
            if let Some(k) = Key::new(t) {
                counts.entry(k).or_insert((0, at)).0 += 1;
            }
        });
        let mut map = std::mem::take(&mut self.fields);
        map.clear();
        for (raw, (c, first)) in counts.drain() {
            map.insert(raw, (0, c, first));
        }
        self.counts = counts;
        let fields: [(u8, &[&str]); 6] = [
            (FIELD_TITLE, &[doc.title]),
            (FIELD_TAGS, &doc.tags),
            (FIELD_CATEGORIES, &doc.categories),
            (FIELD_AUTHOR, &[doc.author]),
            (FIELD_HEADING, &[doc.headings]),
            (FIELD_SUMMARY, &[doc.summary]),
        ];
        let mut raws = Vec::new();
        for (bit, texts) in fields {
            for text in texts {
                raws.clear();
                raw_terms(text, |t, _| raws.extend(Key::new(t)));
                for &raw in &raws {
                    map.entry(raw).or_default().0 |= bit;
                }
            }
        }
        let mut out = DocTerms {
            bytes: String::with_capacity(map.len() * 8),
            terms: Vec::with_capacity(map.len()),
            body_len,
        };
        for (t, (m, c, first)) in map.drain() {
            out.bytes.push_str(t.as_str());
            out.terms.push((
                out.bytes.len() as u32,
                c.min(u16::MAX as u32) as u16,
                m,
                relative_position(first, body_len),
            ));
        }
        self.fields = map;
        out
    }
}

/// A post's terms, with a fresh [`Analyzer`].
pub fn analyze(doc: &Document<'_>) -> DocTerms {
    Analyzer::new().analyze(doc)
}

/// The files of a built index.
#[derive(Clone, Debug)]
pub struct BuiltIndex {
    pub manifest: Manifest,
    /// `(file name, bytes)` of each shard, in the manifest's order.
    pub shards: Vec<(String, Vec<u8>)>,
}

impl BuiltIndex {
    /// The manifest's bytes and its content-hashed file name (`m-<hash>.bin`).
    pub fn manifest_file(&self) -> (String, Vec<u8>) {
        let bytes = self.manifest.encode();
        (
            format!("m-{}.bin", crate::bundle::content_hash(&bytes)),
            bytes,
        )
    }
}

/// Builds the index from every post's terms (in bundle order: position = post).
pub fn build_index(docs: Vec<DocTerms>, stemming: bool, shard_bytes: usize) -> BuiltIndex {
    let terms = collect_postings(&docs, 0, 1);
    shard_index(vec![terms], docs.len() as u32, stemming, shard_bytes)
}

/// Which of `parts` parts a term belongs to (by its first byte, cheap to tell):
/// [`collect_postings`] of every part, run in parallel, cover every term once.
fn part_of(term: &Key, parts: u32) -> u32 {
    let b = if term.len == 0 { 0 } else { term.bytes[0] };
    // Mix the byte so neighbouring letters land in different parts.
    (b as u32).wrapping_mul(0x9e37_79b9).rotate_left(8) % parts.max(1)
}

/// The postings of the terms in part `part` of `parts`, sorted by term. Independent of the
/// other parts: the CLI runs the parts in parallel, then [`shard_index`] joins them.
pub fn collect_postings(docs: &[DocTerms], part: u32, parts: u32) -> Vec<format::TermPostings> {
    let n = docs.len().max(1) as f64;
    let avg = (docs.iter().map(|d| d.body_len as f64).sum::<f64>() / n).max(1.0) as f32;
    let mut postings: KeyMap<Vec<Posting>> = KeyMap::default();
    for (post, doc) in docs.iter().enumerate() {
        let norm = K1 * (1.0 - B + B * doc.body_len as f32 / avg);
        for (term, mask, tf, at) in doc.iter() {
            let Some(term) = Key::new(term) else { continue };
            if parts > 1 && part_of(&term, parts) != part {
                continue;
            }
            let q = if tf == 0 {
                0
            } else {
                let part = tf as f32 * (K1 + 1.0) / (tf as f32 + norm);
                ((part / (K1 + 1.0) * BODY_LEVELS).ceil() as u8).clamp(1, BODY_LEVELS as u8)
            };
            let p = Posting {
                post: post as u32,
                info: (q << 5) | (mask & FIELD_MASK),
                at: (q > 0).then_some(at),
            };
            postings.entry(term).or_default().push(p);
        }
    }
    // Positions only for the terms in at most a sixteenth of the documents (or a few):
    // the common terms hold most postings, a position byte compresses badly (it about
    // doubled the index's brotli bytes on every term), and where a word in a good part of
    // the posts first occurs says little about what a post is about.
    let with_positions = (docs.len() / POSITIONS_MAX_SHARE).max(POSITIONS_MIN_DF);
    let mut terms: Vec<format::TermPostings> = postings
        .into_iter()
        .map(|(k, mut p)| {
            if p.len() > with_positions {
                p.iter_mut().for_each(|p| p.at = None);
            }
            (k.as_str().to_string(), p)
        })
        .collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    terms
}

/// Joins the parts from [`collect_postings`] and cuts them into shards of about
/// `shard_bytes`.
pub fn shard_index(
    parts: Vec<Vec<format::TermPostings>>,
    docs: u32,
    stemming: bool,
    shard_bytes: usize,
) -> BuiltIndex {
    let terms: Vec<format::TermPostings> = if parts.len() == 1 {
        parts.into_iter().next().unwrap_or_default()
    } else {
        let mut all: Vec<format::TermPostings> = parts.into_iter().flatten().collect();
        all.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        all
    };
    let mut shards = Vec::new();
    let mut refs = Vec::new();
    let mut start = 0;
    let mut size = 0;
    let mut cut = |from: usize, to: usize, shards: &mut Vec<(String, Vec<u8>)>| {
        let bytes = format::encode_shard(&terms[from..to]);
        let name = format!("x-{}.bin", crate::bundle::content_hash(&bytes));
        refs.push(ShardRef {
            first: if from == 0 {
                String::new()
            } else {
                terms[from].0.clone()
            },
            file: name.clone(),
            bytes: bytes.len() as u32,
        });
        shards.push((name, bytes));
    };
    for (i, (term, p)) in terms.iter().enumerate() {
        let cost = term.len() + 4 + p.len() * 2;
        if i > start && size + cost > shard_bytes {
            cut(start, i, &mut shards);
            start = i;
            size = 0;
        }
        size += cost;
    }
    if start < terms.len() || terms.is_empty() {
        cut(start, terms.len(), &mut shards);
    }
    BuiltIndex {
        manifest: Manifest {
            version: SEARCH_VERSION,
            docs,
            stem: stemming,
            shards: refs,
        },
        shards,
    }
}

/// How one query word matches terms of the index (folded words as written; CJK pairs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Match {
    /// This term only (a CJK pair; a whole word on a site without stemming).
    Exact(String),
    /// Every term starting with this (the last word as typed, without stemming; a single
    /// CJK character).
    Prefix(String),
    /// A whole word, with English stemming: the word itself, and the other words of its
    /// stem (found among the terms starting with `root`, see [`stem_root`]) for less.
    Word {
        word: String,
        stem: String,
        root: String,
    },
    /// The last word as typed, with English stemming: the word, the words it starts
    /// (weighed by how much of them is typed), the other words of its stem, and words the
    /// typed word may be an inflection of on its way (`runni` finds `run`).
    Typing {
        word: String,
        stem: String,
        root: String,
    },
}

/// Endings a word grows while an inflection of it is typed (`run` → `runni…`).
const ENDINGS: &[&str] = &[
    "ing", "ings", "ed", "es", "er", "ers", "est", "ly", "s", "e", "ment", "ness", "ation",
    "ations", "ies", "ied", "ity", "able", "ful", "ous", "ive", "al",
];

/// Where the words sharing `word`'s stem are found: the longest start `word` and `stem`
/// share, less a last `e`, `i` or `y` (which inflections change: `hope`/`hoping`,
/// `happy`/`happiness`). Empty when that is shorter than 3 bytes: the family is then not
/// looked up (a root like `a` would span a good part of the index).
pub fn stem_root(word: &str, stem: &str) -> String {
    let mut n = word
        .bytes()
        .zip(stem.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !word.is_char_boundary(n) {
        n -= 1;
    }
    if n > MIN_ROOT_BYTES && matches!(word.as_bytes()[n - 1], b'e' | b'i' | b'y') {
        n -= 1;
    }
    if n < MIN_ROOT_BYTES {
        String::new()
    } else {
        word[..n].to_string()
    }
}

/// How much of a hit a term the typed `prefix` completes counts (see `PREFIX_BASE`).
fn completion(prefix: &str, term: &str) -> f32 {
    let typed = prefix.chars().count() as f32;
    let whole = term.chars().count().max(1) as f32;
    PREFIX_BASE + PREFIX_SPAN * (typed / whole).min(1.0)
}

/// Whether `term` is another word of `stem`'s family (it starts with `root`).
fn in_family(term: &str, stem: &str, root: &str) -> bool {
    !root.is_empty() && term.starts_with(root) && stem::stem(term) == stem
}

impl Match {
    /// How much a term counts for this word: 1 for the word as typed, less for a word it
    /// starts or a word of the same stem, `None` when it does not match.
    pub fn weight(&self, term: &str) -> Option<f32> {
        match self {
            Match::Exact(t) => (t == term).then_some(1.0),
            Match::Prefix(p) => {
                if term == p {
                    Some(1.0)
                } else {
                    term.starts_with(p.as_str()).then(|| completion(p, term))
                }
            }
            Match::Word { word, stem, root } => {
                if term == word {
                    Some(1.0)
                } else {
                    in_family(term, stem, root).then_some(STEM_FACTOR)
                }
            }
            Match::Typing { word, stem, root } => {
                if term == word {
                    Some(1.0)
                } else if term.starts_with(word.as_str()) {
                    Some(completion(word, term).max(STEM_FACTOR))
                } else if in_family(term, stem, root) {
                    Some(STEM_FACTOR)
                } else if growing(word, term) {
                    Some(GROWING_FACTOR)
                } else {
                    None
                }
            }
        }
    }

    /// Whether this is the word being typed (scored by rarity first).
    pub fn is_typing(&self) -> bool {
        matches!(self, Match::Prefix(_) | Match::Typing { .. })
    }

    /// `(key, is a prefix)` of every term range this word needs looked up.
    fn keys(&self) -> Vec<(&str, bool)> {
        match self {
            Match::Exact(t) => vec![(t, false)],
            Match::Prefix(p) => vec![(p, true)],
            Match::Word { word, root, .. } => {
                let mut v = vec![(word.as_str(), false)];
                if !root.is_empty() {
                    v.push((root, true));
                }
                v
            }
            Match::Typing { word, root, .. } => {
                let mut v = vec![(word.as_str(), true)];
                if !root.is_empty() && root != word {
                    v.push((root, true));
                }
                for i in 3..word.len() {
                    if word.is_char_boundary(i) {
                        v.push((&word[..i], false));
                    }
                }
                v
            }
        }
    }
}

/// Whether `word` (typed so far) may be `term` plus the start of an ending, allowing a
/// doubled last consonant (`runni` → `run` + `n` + `i…ng`).
fn growing(word: &str, term: &str) -> bool {
    if term.len() < 3 || !word.starts_with(term) || word.len() == term.len() {
        return false;
    }
    let mut rest = &word[term.len()..];
    if let Some(last) = term.chars().last()
        && rest.len() > 1
        && rest.starts_with(last)
    {
        rest = &rest[last.len_utf8()..];
    }
    ENDINGS.iter().any(|e| e.starts_with(rest))
}

/// A parsed query: every clause must match a post (AND); phrases must then be found in
/// the post's text ([`Query::verify`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    pub clauses: Vec<Match>,
    /// Quoted phrases as folded, unstemmed words (CJK text: one character a word).
    pub phrases: Vec<Vec<String>>,
    /// The last word, folded, while it is typed but still too short to be a prefix.
    short: Option<String>,
}

/// One ranked result.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hit {
    /// Position in the bundle's posts.
    pub post: u32,
    pub score: f32,
}

/// A short text around the best match, with the matched words' byte ranges in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Excerpt {
    pub text: String,
    pub spans: Vec<Range<usize>>,
    /// Text was left out before (show "…").
    pub cut_start: bool,
    /// Text was left out after.
    pub cut_end: bool,
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„' | '«' | '»' | '「' | '」')
}

impl Query {
    /// Parses what the reader typed. `stemming`: [`Manifest::stem`].
    pub fn parse(input: &str, stemming: bool) -> Query {
        let mut q = Query {
            clauses: Vec::new(),
            phrases: Vec::new(),
            short: None,
        };
        // Split into (text, quoted) segments; an unclosed quote runs to the end.
        let mut segments: Vec<(usize, &str, bool)> = Vec::new();
        let mut quoted = false;
        let mut start = 0;
        for (i, c) in input.char_indices() {
            if is_quote(c) {
                segments.push((start, &input[start..i], quoted));
                quoted = !quoted;
                start = i + c.len_utf8();
            }
        }
        segments.push((start, &input[start..], quoted));
        for (offset, text, quoted) in segments {
            let mut words: Vec<String> = Vec::new();
            let mut run: Vec<String> = Vec::new();
            let mut items: Vec<(String, bool, usize)> = Vec::new(); // (text, cjk run, end)
            let flush_run =
                |run: &mut Vec<String>, items: &mut Vec<(String, bool, usize)>, end: usize| {
                    if !run.is_empty() {
                        items.push((run.concat(), true, end));
                        run.clear();
                    }
                };
            let mut run_end = 0;
            fold::tokens(text, |t| {
                words.push(t.text.to_string());
                if t.cjk {
                    if !t.joined {
                        flush_run(&mut run, &mut items, run_end);
                    }
                    run.push(t.text.to_string());
                    run_end = offset + t.end;
                } else {
                    flush_run(&mut run, &mut items, run_end);
                    items.push((t.text.to_string(), false, offset + t.end));
                }
            });
            flush_run(&mut run, &mut items, run_end);
            for (item, cjk, end) in items {
                let clauses: Vec<Match> = if cjk {
                    let chars: Vec<char> = item.chars().collect();
                    if chars.len() == 1 {
                        vec![Match::Prefix(item)]
                    } else {
                        chars
                            .windows(2)
                            .map(|w| Match::Exact(w.iter().collect()))
                            .collect()
                    }
                } else {
                    let last = !quoted && end == input.len();
                    let typing = last && item.chars().count() >= MIN_PREFIX_CHARS;
                    if last && !typing {
                        q.short = Some(item.clone());
                    }
                    if !stemming {
                        vec![if typing {
                            Match::Prefix(item)
                        } else {
                            Match::Exact(item)
                        }]
                    } else {
                        let stem = stem::stem(&item);
                        let root = stem_root(&item, &stem);
                        vec![if typing {
                            Match::Typing {
                                word: item,
                                stem,
                                root,
                            }
                        } else {
                            Match::Word {
                                word: item,
                                stem,
                                root,
                            }
                        }]
                    }
                };
                for c in clauses {
                    if !q.clauses.contains(&c) {
                        q.clauses.push(c);
                    }
                }
            }
            if quoted && words.len() > 1 && !q.phrases.contains(&words) {
                q.phrases.push(words);
            }
        }
        q
    }

    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }

    /// Indices of the shards (in [`Manifest::shards`]) this query needs, ascending.
    pub fn plan(&self, manifest: &Manifest) -> Vec<usize> {
        // Kept sorted as it grows (a handful of shards: no sort routine in the Wasm).
        let mut out: Vec<usize> = Vec::new();
        for c in &self.clauses {
            for (_, _, shards) in key_ranges(c, manifest) {
                for i in shards {
                    if let Err(at) = out.binary_search(&i) {
                        out.insert(at, i);
                    }
                }
            }
        }
        out
    }

    /// Shards to fetch ahead, not needed yet: while the last word is too short to be a
    /// prefix, the shards its prefix range starts with, which the next letter will most
    /// likely need (at most [`MAX_PREFIX_SHARDS`]; the first one holds the word itself).
    pub fn ahead(&self, manifest: &Manifest) -> Range<usize> {
        match &self.short {
            Some(word) if !manifest.shards.is_empty() => {
                manifest.shards_of_prefix(word, MAX_PREFIX_SHARDS)
            }
            _ => 0..0,
        }
    }

    /// Ranks the posts that match every clause: score descending, then newest first
    /// (lower position). `shard(i)` gives shard `i` of the [`Query::plan`] (a shard that is
    /// missing counts as holding no terms). Phrases are not checked here: see
    /// [`Query::verify`].
    pub fn search<'s>(
        &self,
        manifest: &Manifest,
        shard: impl Fn(usize) -> Option<&'s Shard>,
    ) -> Result<Vec<Hit>, FormatError> {
        if self.clauses.is_empty() || manifest.shards.is_empty() {
            return Ok(Vec::new());
        }
        let n = manifest.docs as usize;
        let mut total = vec![0f32; n];
        let mut matched = vec![0u16; n];
        let mut best = vec![0f32; n];
        // Whether the post holds the clause's word as typed (this clause; all clauses).
        let mut exact = vec![false; n];
        let mut tier = vec![0u16; n];
        // Where the best-scoring term of this clause and of the previous one first occur
        // in each post's body (`NO_POSITION`: not in the body), and the closeness of the
        // neighbouring query words so far.
        let mut at = vec![NO_POSITION; n];
        let mut prev_at = vec![NO_POSITION; n];
        let mut near = vec![0f32; n];
        let mut touched: Vec<u32> = Vec::new();
        for (ci, c) in self.clauses.iter().enumerate() {
            let typing = c.is_typing();
            // The term ranges this clause covers, per shard. A typed word's ranges overlap,
            // but two prefix ranges of one shard are nested or apart (and an exact term is
            // a range of one): a range inside another one, or equal to an earlier one, is
            // left out, so each term is scored once.
            let mut found: Vec<(usize, Range<usize>)> = Vec::new();
            for (key, prefix, shards) in key_ranges(c, manifest) {
                for si in shards {
                    let Some(sh) = shard(si) else { continue };
                    let r = if prefix {
                        sh.find_prefix(key)
                    } else {
                        sh.find(key).map_or(0..0, |i| i..i + 1)
                    };
                    if !r.is_empty() {
                        found.push((si, r));
                    }
                }
            }
            for (i, (si, r)) in found.iter().enumerate() {
                let covered = found.iter().enumerate().any(|(j, (sj, o))| {
                    sj == si && o.start <= r.start && r.end <= o.end && (o.len() > r.len() || j < i)
                });
                if covered {
                    continue;
                }
                let Some(sh) = shard(*si) else { continue };
                for ti in r.clone() {
                    let (term, df) = sh.term(ti);
                    let Some(factor) = c.weight(term) else {
                        continue;
                    };
                    let idf = (1.0 + (n as f32 - df as f32 + 0.5) / (df as f32 + 0.5)).ln();
                    for p in sh.postings(ti)? {
                        let Some(b) = best.get_mut(p.post as usize) else {
                            return Err(FormatError::Shard("post out of range"));
                        };
                        let s = term_score(idf, factor, p.info, typing);
                        if factor >= 1.0 && !typing {
                            exact[p.post as usize] = true;
                        }
                        if s > *b {
                            if *b == 0.0 {
                                touched.push(p.post);
                            }
                            *b = s;
                            at[p.post as usize] = p.at.map_or(NO_POSITION, u16::from);
                        }
                    }
                }
            }
            for &p in &touched {
                let p = p as usize;
                total[p] += best[p];
                matched[p] += 1;
                best[p] = 0.0;
                if exact[p] {
                    tier[p] += 1;
                    exact[p] = false;
                }
                if ci > 0 {
                    near[p] += closeness(prev_at[p], at[p]);
                }
                prev_at[p] = at[p];
                at[p] = NO_POSITION;
            }
            touched.clear();
        }
        // The mean closeness of the neighbouring query words, 0 to 1.
        let pairs = self.clauses.len().saturating_sub(1).max(1) as f32;
        let need = self.clauses.len() as u16;
        // Ranked by one integer key: the posts holding more of the words as typed first,
        // then the score (positive, so its bits order like it) descending, then the post
        // ascending (newest first).
        let mut keys: Vec<u64> = (0..n)
            .filter(|&p| matched[p] == need)
            .map(|p| {
                let score = total[p] * (1.0 + PROXIMITY * near[p] / pairs);
                let ranked = tier[p] as f32 * TIER + score.min(TIER * 0.999);
                (u64::from(!ranked.to_bits()) << 32) | p as u64
            })
            .collect();
        radix_sort(&mut keys);
        Ok(keys
            .into_iter()
            .map(|k| Hit {
                post: k as u32,
                score: f32::from_bits(!((k >> 32) as u32)),
            })
            .collect())
    }

    /// Whether every quoted phrase occurs, word for word (folded, not stemmed), in one of
    /// `texts` (a post's title, summary, body…, as plain text). True without phrases.
    pub fn verify(&self, texts: &[&str]) -> bool {
        if self.phrases.is_empty() {
            return true;
        }
        let words: Vec<Vec<String>> = texts
            .iter()
            .map(|t| {
                let mut v = Vec::new();
                fold::tokens(t, |tok| v.push(tok.text.to_string()));
                v
            })
            .collect();
        self.phrases.iter().all(|ph| {
            words
                .iter()
                .any(|w| w.windows(ph.len()).any(|win| win == ph.as_slice()))
        })
    }

    fn matches_term(&self, term: &str) -> bool {
        self.clauses.iter().any(|c| c.weight(term).is_some())
    }

    /// Byte ranges of the words of `text` this query matches, ascending, not overlapping
    /// (neighbouring CJK characters merge into one range).
    pub fn highlights(&self, text: &str) -> Vec<Range<usize>> {
        let mut spans: Vec<Range<usize>> = Vec::new();
        let push = |r: Range<usize>, spans: &mut Vec<Range<usize>>| match spans.last_mut() {
            Some(last) if last.end >= r.start => last.end = last.end.max(r.end),
            _ => spans.push(r),
        };
        let mut prev: Option<(String, Range<usize>)> = None;
        let mut pair = String::new();
        // Every term a clause matches starts with the first letter of one of its keys: a
        // word whose first letter starts no key is not looked at further (stemming it
        // is the costly part).
        let firsts: Vec<char> = self
            .clauses
            .iter()
            .flat_map(|c| c.keys())
            .filter_map(|(key, _)| key.chars().next())
            .collect();
        fold::tokens(text, |t| {
            if t.cjk {
                if let Some((p, r)) = &prev
                    && t.joined
                {
                    pair.clear();
                    pair.push_str(p);
                    pair.push_str(t.text);
                    if self.matches_term(&pair) {
                        push(r.start..t.end, &mut spans);
                    }
                }
                if self.matches_term(t.text) {
                    push(t.start..t.end, &mut spans);
                }
                prev = Some((t.text.to_string(), t.start..t.end));
            } else {
                prev = None;
                if t.text.chars().next().is_some_and(|c| firsts.contains(&c))
                    && self.matches_term(t.text)
                {
                    push(t.start..t.end, &mut spans);
                }
            }
        });
        spans
    }

    /// About `max_chars` characters of `text` around its best match (the window holding
    /// the most matches, the earliest of equals), cut at spaces, with the matches' byte
    /// ranges in the excerpt. Without a match, the start of the text.
    pub fn excerpt(&self, text: &str, max_chars: usize) -> Excerpt {
        let spans = self.highlights(text);
        let max_bytes_guess = |from: usize| -> usize {
            text[from..]
                .char_indices()
                .nth(max_chars)
                .map_or(text.len(), |(i, _)| from + i)
        };
        let mut anchor = 0;
        let mut best = 0;
        for (i, s) in spans.iter().enumerate() {
            let end = max_bytes_guess(s.start);
            let count = spans[i..].iter().take_while(|r| r.end <= end).count();
            if count > best {
                best = count;
                anchor = s.start;
            }
        }
        // Start a little before the anchor, at a word boundary.
        let lead = max_chars / 5;
        let mut start = text[..anchor]
            .char_indices()
            .rev()
            .nth(lead.saturating_sub(1))
            .map_or(0, |(i, _)| i);
        if anchor == 0 || lead == 0 {
            start = anchor;
        }
        if start > 0 {
            match text[start..anchor].find(char::is_whitespace) {
                Some(ws) => start += ws,
                None => start = anchor,
            }
            while let Some(c) = text[start..].chars().next()
                && c.is_whitespace()
            {
                start += c.len_utf8();
            }
        }
        let mut end = max_bytes_guess(start);
        if end < text.len()
            && let Some(ws) = text[start..end].rfind(char::is_whitespace)
            && start + ws > anchor
        {
            end = start + ws;
        }
        let slice = &text[start..end];
        let trimmed = slice.trim_end();
        Excerpt {
            text: trimmed.to_string(),
            spans: spans
                .iter()
                .filter(|s| s.start >= start && s.end <= start + trimmed.len())
                .map(|s| s.start - start..s.end - start)
                .collect(),
            cut_start: start > 0,
            cut_end: end < text.len(),
        }
    }
}

/// `(key, is a prefix, the shards it needs)` of each term range a clause looks up.
fn key_ranges<'c>(
    c: &'c Match,
    manifest: &Manifest,
) -> impl Iterator<Item = (&'c str, bool, Range<usize>)> {
    c.keys().into_iter().map(move |(key, prefix)| {
        let shards = if prefix {
            manifest.shards_of_prefix(key, MAX_PREFIX_SHARDS)
        } else {
            let s = manifest.shard_of(key);
            s..s + 1
        };
        (key, prefix, shards)
    })
}

/// Sorts in place, ascending: least significant byte first, one counting pass a byte,
/// skipping bytes that are equal in every key. A few dozen instructions of Wasm where the
/// standard library's sorts cost kilobytes, and linear in the keys.
fn radix_sort(keys: &mut Vec<u64>) {
    let mut other = vec![0u64; keys.len()];
    for shift in (0..64).step_by(8) {
        let mut counts = [0usize; 257];
        for &k in keys.iter() {
            counts[((k >> shift) & 0xff) as usize + 1] += 1;
        }
        if counts.contains(&keys.len()) {
            continue;
        }
        for i in 1..257 {
            counts[i] += counts[i - 1];
        }
        for &k in keys.iter() {
            let d = ((k >> shift) & 0xff) as usize;
            other[counts[d]] = k;
            counts[d] += 1;
        }
        std::mem::swap(keys, &mut other);
    }
}

/// A post's score is multiplied by up to `1 + PROXIMITY` when its query words stand next
/// to each other in the query's order (see [`closeness`]). Half the score at most: it
/// orders posts that hold the same words about as well; it does not lift a post over one
/// with the words in its title.
const PROXIMITY: f32 = 0.5;

/// Two words this many 256ths of the body apart (a sixteenth of it) count half as close as
/// two words side by side.
const NEAR: f32 = 16.0;

/// The closeness of two neighbouring query words counts this much when the second stands
/// before the first in the body (reversed), and this much when their order cannot be told
/// (the same 256th of a long body).
const REVERSED: f32 = 0.5;
const SAME_PLACE: f32 = 0.75;

/// A term that is not in the body has no position.
const NO_POSITION: u16 = u16::MAX;

/// How close two neighbouring query words stand in a post's body, from 0 (one of them not
/// in the body) to 1 (side by side, in the query's order): `NEAR / (NEAR + distance)`,
/// the distance in 256ths of the body less the one step of neighbours, times [`REVERSED`]
/// when the second word comes first. Closer always counts more; far apart, almost nothing.
/// `a` and `b` are their first occurrences ([`format::Posting::at`]).
fn closeness(a: u16, b: u16) -> f32 {
    if a == NO_POSITION || b == NO_POSITION {
        return 0.0;
    }
    let d = f32::from(b) - f32::from(a);
    let near = NEAR / (NEAR + (d.abs() - 1.0).max(0.0));
    let order = if d > 0.0 {
        1.0
    } else if d < 0.0 {
        REVERSED
    } else {
        SAME_PLACE
    };
    near * order
}

/// Added to a post's score for each finished query word it holds as written (not only
/// through its stem): such a post outranks every post that holds fewer. Scores stay far
/// below it.
const TIER: f32 = 4096.0;

/// One term's score in one post.
///
/// A finished word (followed by a space or another word): IDF × the posting's weight
/// (fields and body), times the factor for another word of its stem.
///
/// The word being typed: what the reader is after is not known yet, and the rarer a word
/// it may become, the more it tells the posts apart: rarity decides (IDF squared), then
/// the factor (the word itself 1, a completion less, the less of it is typed), and the
/// fields only a little (at most ×1.23), so a rare word whose first letters are typed is
/// not buried under the many posts that hold a common word with the same start.
fn term_score(idf: f32, factor: f32, info: u8, typing: bool) -> f32 {
    if typing {
        idf * idf * factor * (1.0 + FIELD_DAMP * posting_weight(info))
    } else {
        idf * factor * posting_weight(info)
    }
}

/// How much the fields count for the word being typed.
const FIELD_DAMP: f32 = 0.02;

/// A posting's score before IDF: its fields' weights plus its body weight.
fn posting_weight(info: u8) -> f32 {
    let mut w = (info >> 5) as f32 / BODY_LEVELS * (K1 + 1.0);
    for (bit, weight) in WEIGHTS.iter().enumerate() {
        if info & (1 << bit) != 0 {
            w += weight;
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::radix_sort;

    #[test]
    fn radix_sort_sorts() {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut keys: Vec<u64> = (0..5000)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Some keys share high bytes, some low ones, some are equal.
                match i % 4 {
                    0 => x,
                    1 => x & 0xffff,
                    2 => x & 0xffff_0000_0000_0000,
                    _ => 42,
                }
            })
            .collect();
        let mut expected = keys.clone();
        expected.sort_unstable();
        radix_sort(&mut keys);
        assert_eq!(keys, expected);
        for mut small in [vec![], vec![7], vec![3, 1, 2], vec![u64::MAX, 0, u64::MAX]] {
            let mut expected = small.clone();
            expected.sort_unstable();
            radix_sort(&mut small);
            assert_eq!(small, expected);
        }
    }
}
