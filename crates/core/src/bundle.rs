//! The JSON post bundle: what `quire build` writes and the app reads.
//!
//! Layout under `data/` in the output (see docs/BUNDLE.md):
//! - `index.json` — fixed name, revalidated by the browser. An [`Index`]: schema version,
//!   site config, every post's metadata (newest first), term indexes, and the names of the
//!   content-hashed chunk files below. Enough for every list, filter and count.
//! - `s-<hash>.json` — summary chunks: a JSON array of Markdown summaries for
//!   [`Index::summary_chunk`] consecutive posts. A list page needs one or two of them.
//! - `b-<hash>.json` — body chunks: a JSON array of [`Body`] entries (a post's Markdown
//!   and what the build found out about it: highlighted code, image sizes, `toc`) of
//!   consecutive posts, packed up to about [`BODY_CHUNK_BYTES`]. Opening a post needs
//!   exactly one.
//!
//! Chunk names carry a hash of their bytes, so a CDN may cache them forever.

use serde::{Deserialize, Serialize};

/// Writes `Deserialize` for a struct the bundle stores as a JSON object, in place of
/// serde's derive, which also compiles paths no bundle takes (a struct given as a JSON
/// array, fields named by number or by bytes) into the app's Wasm for every struct: about
/// 1 KB raw each. Reads the same: `req` fields must be there (serde's "missing field"),
/// `opt` fields take their `Default` when absent (what `#[serde(default)]` said), a field
/// given twice is serde's "duplicate field", unknown keys are skipped, and anything but an
/// object is "invalid type: …, expected struct `Name`".
macro_rules! from_object {
    ($ty:ident { $($field:ident: $kind:ident),* $(,)? }) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct Fields;
                impl<'de> serde::de::Visitor<'de> for Fields {
                    type Value = $ty;

                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($ty)))
                    }

                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<$ty, A::Error> {
                        const NAMES: &[&str] = &[$(stringify!($field)),*];
                        $(let mut $field = None;)*
                        while let Some(at) = map.next_key_seed(FieldName(NAMES))? {
                            let mut i = 0;
                            $(
                                if at == i {
                                    field_value(&mut map, &mut $field, NAMES[i])?;
                                    continue;
                                }
                                i += 1;
                            )*
                            let _ = i;
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                        Ok($ty {
                            $($field: from_object!(@take $kind, $field, A)),*
                        })
                    }
                }
                d.deserialize_map(Fields)
            }
        }
    };
    (@take req, $field:ident, $a:ident) => {
        $field.ok_or_else(|| <$a::Error as serde::de::Error>::missing_field(stringify!($field)))?
    };
    (@take opt, $field:ident, $a:ident) => {
        $field.unwrap_or_default()
    };
}

/// A key of an object [`from_object!`] reads: its position among the struct's field
/// names, or `usize::MAX` for a key the struct does not have. Compared in place, not
/// copied into a `String`.
struct FieldName(&'static [&'static str]);

impl<'de> serde::de::DeserializeSeed<'de> for FieldName {
    type Value = usize;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl serde::de::Visitor<'_> for FieldName {
    type Value = usize;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<usize, E> {
        Ok(self
            .0
            .iter()
            .position(|name| *name == key)
            .unwrap_or(usize::MAX))
    }
}

/// Reads a field's value into its slot, refusing a second one.
fn field_value<'de, A: serde::de::MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(<A::Error as serde::de::Error>::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Bumped on every incompatible change of [`Index`] or the chunk files.
/// 2: standalone pages ([`Index::pages`]) and the menu ([`Site::menu`]).
/// 3: body chunk entries carry code highlighting runs and image sizes beside the Markdown.
pub const SCHEMA_VERSION: u32 = 3;

/// Where the index lives, relative to the site root.
pub const INDEX_PATH: &str = "data/index.json";

/// Posts per summary chunk.
pub const SUMMARY_CHUNK_POSTS: u32 = 100;

/// Body chunks are filled with consecutive posts up to this many bytes of Markdown
/// (a larger post gets a chunk of its own).
pub const BODY_CHUNK_BYTES: usize = 48 * 1024;

/// Below this many bytes of chunks in all, the app fetches every chunk right after the
/// first page shows, so that nothing afterwards touches the network.
pub const PREFETCH_ALL_BYTES: u64 = 1024 * 1024;

/// How posts' raw HTML reaches the page. Set by `raw_html` in site.toml.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Raw HTML is shown as text.
    Escape,
    /// A small allowlist of tags and attributes is kept, rebuilt from scratch; the rest
    /// is shown as text.
    #[default]
    Sanitize,
    /// Raw HTML goes into the page as written. Only for owners who trust every author.
    Trust,
}

// Written out rather than derived: the derive's enum machinery (variants named by
// number, by bytes, or as a map) cost the app's Wasm 1.2 KB raw for three words.
impl<'de> Deserialize<'de> for RawHtml {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        const VARIANTS: &[&str] = &["escape", "sanitize", "trust"];
        match String::deserialize(d)?.as_str() {
            "escape" => Ok(RawHtml::Escape),
            "sanitize" => Ok(RawHtml::Sanitize),
            "trust" => Ok(RawHtml::Trust),
            other => Err(serde::de::Error::unknown_variant(other, VARIANTS)),
        }
    }
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct SocialLink {
    pub name: String,
    pub url: String,
}

from_object!(SocialLink {
    name: req,
    url: req
});

/// One `[[menu]]` entry of site.toml: a link of the header's navigation.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct MenuEntry {
    pub name: String,
    /// A site path starting with `/` (`/`, `/about/`; unencoded, joined to the site's base
    /// path), or an absolute `https://` URL, which leaves the site.
    pub url: String,
}

from_object!(MenuEntry {
    name: req,
    url: req
});

impl MenuEntry {
    /// Whether the entry leaves the site.
    pub fn is_external(&self) -> bool {
        self.url.starts_with("https://")
    }
}

/// Site configuration, from `content/site.toml`.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Site {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Default author of posts.
    #[serde(default)]
    pub author: Option<String>,
    /// Absolute URL the site is served from (feed, sitemap, canonical links).
    #[serde(default)]
    pub base_url: Option<String>,
    pub posts_per_page: u32,
    pub language: String,
    #[serde(default)]
    pub social: Vec<SocialLink>,
    #[serde(default)]
    pub raw_html: RawHtml,
    /// The header's links, in order (`[[menu]]`); empty: Home, Tags, Archive.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub menu: Vec<MenuEntry>,
}

from_object!(Site {
    title: req,
    description: opt,
    author: opt,
    base_url: opt,
    posts_per_page: req,
    language: req,
    social: opt,
    raw_html: opt,
    menu: opt,
});

/// Where a post's body is: chunk number in [`Index::bodies`] and slot within it.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct BodyRef {
    pub chunk: u32,
    pub slot: u32,
}

from_object!(BodyRef {
    chunk: req,
    slot: req
});

/// One post's metadata. Terms are positions in [`Index::tags`], [`Index::categories`]
/// and [`Index::authors`].
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PostMeta {
    pub slug: String,
    pub title: String,
    /// `YYYY-MM-DD` or RFC 3339, as written.
    pub date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    pub author: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<u32>,
    pub words: u32,
    pub body: BodyRef,
}

from_object!(PostMeta {
    slug: req,
    title: req,
    date: req,
    updated: opt,
    author: req,
    tags: opt,
    categories: opt,
    words: req,
    body: req,
});

/// A standalone page (`content/pages/<name>.md`), shown at `/<slug>` and nowhere among
/// the posts: not in lists, the archive, the feed or term counts. Its body is in a body
/// chunk like a post's.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct SitePage {
    pub slug: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    /// The meta description: the summary as plain text (at most
    /// [`crate::meta::DESCRIPTION_CHARS`] characters).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub body: BodyRef,
}

from_object!(SitePage {
    slug: req,
    title: req,
    updated: opt,
    description: opt,
    body: req
});

/// A tag, category or author: its slug, the spelling most posts use, and the positions
/// of its posts in [`Index::posts`], ascending (so newest first). The count is
/// `posts.len()`.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Term {
    pub slug: String,
    pub name: String,
    pub posts: Vec<u32>,
}

from_object!(Term {
    slug: req,
    name: req,
    posts: req
});

/// The three kinds of terms a post can be listed under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TermKind {
    Tag,
    Category,
    Author,
}

impl TermKind {
    pub const ALL: [TermKind; 3] = [TermKind::Tag, TermKind::Category, TermKind::Author];
}

/// The bundle's index file.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Index {
    pub schema: u32,
    pub site: Site,
    /// Newest first.
    pub posts: Vec<PostMeta>,
    /// Standalone pages, sorted by slug.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<SitePage>,
    /// Sorted by slug.
    pub tags: Vec<Term>,
    pub categories: Vec<Term>,
    pub authors: Vec<Term>,
    /// Posts per summary chunk.
    pub summary_chunk: u32,
    /// Summary chunk file names, relative to `data/`.
    pub summaries: Vec<String>,
    /// Body chunk file names, relative to `data/`.
    pub bodies: Vec<String>,
    /// Bytes of all chunk files together.
    pub chunk_bytes: u64,
    /// The search manifest's file name, relative to `data/` (see docs/SEARCH.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
}

from_object!(Index {
    schema: req,
    site: req,
    posts: req,
    pages: opt,
    tags: req,
    categories: req,
    authors: req,
    summary_chunk: req,
    summaries: req,
    bodies: req,
    chunk_bytes: req,
    search: opt,
});

/// Why an index could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexError {
    /// Not JSON, or not the shape this version expects.
    Malformed(String),
    /// Well-formed, but written for another schema version.
    Schema { found: u32, expected: u32 },
    /// Internally inconsistent (a position out of range and the like).
    Inconsistent(String),
}

impl std::fmt::Display for IndexError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IndexError::Malformed(e) => write!(f, "the post index is damaged: {e}"),
            IndexError::Schema { found, expected } => write!(
                f,
                "the post index has schema version {found}, this app reads version {expected}; \
                 rebuild the site with the same version of quire"
            ),
            IndexError::Inconsistent(e) => write!(f, "the post index is inconsistent: {e}"),
        }
    }
}

impl std::error::Error for IndexError {}

struct SchemaProbe {
    schema: u32,
}

from_object!(SchemaProbe { schema: req });

impl Index {
    /// Parses and checks an index file's text.
    pub fn from_json(text: &str) -> Result<Index, IndexError> {
        let schema_error = |found| IndexError::Schema {
            found,
            expected: SCHEMA_VERSION,
        };
        // One pass on the app's start-up: the index is read whole first, and only an index
        // that does not read is scanned again for its schema, so that a bundle from another
        // version of Quire says so rather than "malformed".
        let index: Index = match serde_json::from_str(text) {
            Ok(index) => index,
            Err(e) => {
                return Err(match serde_json::from_str::<SchemaProbe>(text) {
                    Ok(p) if p.schema != SCHEMA_VERSION => schema_error(p.schema),
                    _ => IndexError::Malformed(e.to_string()),
                });
            }
        };
        if index.schema != SCHEMA_VERSION {
            return Err(schema_error(index.schema));
        }
        index.validate()?;
        Ok(index)
    }

    /// Checks every cross reference, so the app can index without bounds surprises.
    pub fn validate(&self) -> Result<(), IndexError> {
        let bad = |m: String| Err(IndexError::Inconsistent(m));
        if self.site.posts_per_page == 0 {
            return bad("posts_per_page is 0".into());
        }
        if self.summary_chunk == 0 {
            return bad("summary_chunk is 0".into());
        }
        let n = self.posts.len() as u32;
        let needed = n.div_ceil(self.summary_chunk) as usize;
        if self.summaries.len() != needed {
            return bad(format!(
                "{} summary chunks for {n} posts",
                self.summaries.len()
            ));
        }
        for (kind, terms) in [
            ("tag", &self.tags),
            ("category", &self.categories),
            ("author", &self.authors),
        ] {
            for t in terms.iter() {
                if t.posts.iter().any(|&p| p >= n) || !t.posts.is_sorted() {
                    return bad(format!(
                        "{kind} {:?} lists posts out of range or order",
                        t.slug
                    ));
                }
            }
        }
        for p in &self.posts {
            let tag_ok = p.tags.iter().all(|&t| (t as usize) < self.tags.len());
            let cat_ok = p
                .categories
                .iter()
                .all(|&t| (t as usize) < self.categories.len());
            if !tag_ok || !cat_ok || p.author as usize >= self.authors.len() {
                return bad(format!(
                    "post {:?} names a term that does not exist",
                    p.slug
                ));
            }
            if p.body.chunk as usize >= self.bodies.len() {
                return bad(format!(
                    "post {:?} names a body chunk that does not exist",
                    p.slug
                ));
            }
        }
        for page in &self.pages {
            if page.body.chunk as usize >= self.bodies.len() {
                return bad(format!(
                    "page {:?} names a body chunk that does not exist",
                    page.slug
                ));
            }
        }
        if !self.pages.is_sorted_by(|a, b| a.slug < b.slug) {
            return bad("pages are not sorted by slug".into());
        }
        for entry in &self.site.menu {
            let url = &entry.url;
            let internal = url.starts_with('/') && !url.starts_with("//");
            if !(internal || entry.is_external()) || url.contains(['\\', '"', '<', '>']) {
                return bad(format!("menu entry {:?} has a bad url", entry.name));
            }
        }
        Ok(())
    }

    /// Position of a standalone page by slug (pages are sorted by slug).
    pub fn page_position(&self, slug: &str) -> Option<usize> {
        self.pages
            .binary_search_by(|p| p.slug.as_str().cmp(slug))
            .ok()
    }

    /// The terms of one kind.
    pub fn terms(&self, kind: TermKind) -> &[Term] {
        match kind {
            TermKind::Tag => &self.tags,
            TermKind::Category => &self.categories,
            TermKind::Author => &self.authors,
        }
    }

    /// Position of a term by slug (terms are sorted by slug).
    pub fn term_position(&self, kind: TermKind, slug: &str) -> Option<usize> {
        self.terms(kind)
            .binary_search_by(|t| t.slug.as_str().cmp(slug))
            .ok()
    }

    /// Position of a post by slug.
    pub fn post_position(&self, slug: &str) -> Option<usize> {
        self.posts.iter().position(|p| p.slug == slug)
    }

    /// Which summary chunk holds post `pos`, and where in it.
    pub fn summary_location(&self, pos: usize) -> (usize, usize) {
        let per = self.summary_chunk as usize;
        (pos / per, pos % per)
    }

    /// Number of list pages for `count` posts (at least 1: an empty list still has a page).
    pub fn page_count(&self, count: usize) -> u32 {
        (count as u32).div_ceil(self.site.posts_per_page).max(1)
    }
}

/// Parses a summary chunk file: a JSON array of strings.
pub fn chunk_from_json(text: &str) -> Result<Vec<String>, IndexError> {
    serde_json::from_str(text).map_err(|e| IndexError::Malformed(e.to_string()))
}

/// One post's entry in a body chunk: its Markdown and what `quire build` worked out from
/// it natively, so that the app shows the same page without a grammar or a file system.
/// Every field but `md` is left out of the JSON when empty. The renderer trusts none of
/// it: runs that do not fit their block leave the block plain (see
/// [`crate::markdown::render_body`]).
#[derive(Serialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct Body {
    /// The Markdown, without the `<!--more-->` line.
    pub md: String,
    /// Token runs of each fenced code block, in document order: `""` for a block that
    /// stays plain, else a class letter and a byte length a run (`k2x1f4`; see
    /// [`crate::markdown::CODE_CLASSES`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub code: Vec<String>,
    /// `[image number, width, height]` of the images whose size the build read (images
    /// are numbered in document order from 0, nested ones included).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub img: Vec<[u32; 3]>,
    /// `toc: true` in the front matter: a table of contents of the headings on top.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub toc: bool,
}

from_object!(Body {
    md: req,
    code: opt,
    img: opt,
    toc: opt
});

/// Parses a body chunk file: a JSON array of [`Body`] entries.
pub fn body_chunk_from_json(text: &str) -> Result<Vec<Body>, IndexError> {
    serde_json::from_str(text).map_err(|e| IndexError::Malformed(e.to_string()))
}

/// A short, stable content hash for chunk file names (FNV-1a 64, hex).
pub fn content_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn sample() -> Index {
        let post = |slug: &str, date: &str, tags: Vec<u32>| PostMeta {
            slug: slug.into(),
            title: slug.to_uppercase(),
            date: date.into(),
            updated: None,
            author: 0,
            tags,
            categories: vec![],
            words: 100,
            body: BodyRef { chunk: 0, slot: 0 },
        };
        Index {
            schema: SCHEMA_VERSION,
            site: Site {
                title: "T".into(),
                description: String::new(),
                author: None,
                base_url: None,
                posts_per_page: 2,
                language: "en".into(),
                social: vec![],
                raw_html: RawHtml::default(),
                menu: vec![],
            },
            pages: vec![SitePage {
                slug: "about".into(),
                title: "About".into(),
                updated: None,
                description: String::new(),
                body: BodyRef { chunk: 0, slot: 3 },
            }],
            posts: vec![
                post("c", "2024-03-01", vec![0, 1]),
                post("b", "2023-01-01", vec![0]),
                post("a", "2022-01-01", vec![1]),
            ],
            tags: vec![
                Term {
                    slug: "rust".into(),
                    name: "Rust".into(),
                    posts: vec![0, 1],
                },
                Term {
                    slug: "wasm".into(),
                    name: "Wasm".into(),
                    posts: vec![0, 2],
                },
            ],
            categories: vec![],
            authors: vec![Term {
                slug: "ada".into(),
                name: "Ada".into(),
                posts: vec![0, 1, 2],
            }],
            summary_chunk: SUMMARY_CHUNK_POSTS,
            summaries: vec!["s-0.json".into()],
            bodies: vec!["b-0.json".into()],
            chunk_bytes: 10,
            search: None,
        }
    }

    #[test]
    fn round_trips_through_json() {
        let index = sample();
        let text = serde_json::to_string(&index).unwrap();
        assert_eq!(Index::from_json(&text).unwrap(), index);
    }

    #[test]
    fn rejects_other_schema_versions() {
        let mut index = sample();
        index.schema = 99;
        let text = serde_json::to_string(&index).unwrap();
        assert_eq!(
            Index::from_json(&text),
            Err(IndexError::Schema {
                found: 99,
                expected: SCHEMA_VERSION
            })
        );
        let err = Index::from_json(r#"{"schema": 1, "whatever": true}"#).unwrap_err();
        assert!(matches!(err, IndexError::Schema { found: 1, .. }));
    }

    #[test]
    fn rejects_malformed_and_truncated() {
        let text = serde_json::to_string(&sample()).unwrap();
        assert!(matches!(
            Index::from_json(&text[..text.len() / 2]),
            Err(IndexError::Malformed(_))
        ));
        assert!(matches!(
            Index::from_json("<html>404</html>"),
            Err(IndexError::Malformed(_))
        ));
        assert!(matches!(
            Index::from_json(""),
            Err(IndexError::Malformed(_))
        ));
    }

    #[test]
    fn rejects_dangling_references() {
        let mut index = sample();
        index.posts[0].tags.push(7);
        assert!(matches!(index.validate(), Err(IndexError::Inconsistent(_))));
        let mut index = sample();
        index.tags[0].posts = vec![1, 0];
        assert!(matches!(index.validate(), Err(IndexError::Inconsistent(_))));
        let mut index = sample();
        index.posts[2].body.chunk = 3;
        assert!(matches!(index.validate(), Err(IndexError::Inconsistent(_))));
        let mut index = sample();
        index.pages[0].body.chunk = 1;
        assert!(matches!(index.validate(), Err(IndexError::Inconsistent(_))));
        for url in [
            "javascript:alert(1)",
            "//evil.example/",
            "http://x.org/",
            "about/",
        ] {
            let mut index = sample();
            index.site.menu.push(MenuEntry {
                name: "x".into(),
                url: url.into(),
            });
            assert!(
                matches!(index.validate(), Err(IndexError::Inconsistent(_))),
                "{url}"
            );
        }
    }

    #[test]
    fn lookups() {
        let index = sample();
        assert_eq!(index.term_position(TermKind::Tag, "wasm"), Some(1));
        assert_eq!(index.term_position(TermKind::Tag, "nope"), None);
        assert_eq!(index.post_position("b"), Some(1));
        assert_eq!(index.page_position("about"), Some(0));
        assert_eq!(index.page_position("b"), None);
        assert_eq!(index.page_count(3), 2);
        assert_eq!(index.page_count(0), 1);
        assert_eq!(index.summary_location(250), (2, 50));
    }

    #[test]
    fn hash_is_stable_and_sensitive() {
        assert_eq!(content_hash(b"abc"), content_hash(b"abc"));
        assert_ne!(content_hash(b"abc"), content_hash(b"abd"));
        assert_eq!(content_hash(b"").len(), 16);
        assert_eq!(chunk_from_json(r#"["a","b"]"#).unwrap(), vec!["a", "b"]);
        assert!(chunk_from_json(r#"{"a":1}"#).is_err());
    }
}
