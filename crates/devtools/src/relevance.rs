//! `relevance`: the search relevance test set Quire owns (issue 23), generated from a
//! site `quire build` wrote, and run natively against that site's index files.
//!
//! Three kinds of cases, each asking "is the post the reader remembers where it should be":
//! - **unique**: a word (with a letter in it, 3 characters at least) that occurs in one
//!   post only, typed whole: that post must come first;
//! - **prefix**: every prefix of such a word from 3 characters on, as it is being typed:
//!   that post must stay in the top 3;
//! - **pair**: the two least common words (each in more than one post) of one paragraph
//!   of a post, in the order they appear: that post must come first;
//! - **near**: two words side by side in one post only, both also in another post (not side
//!   by side there), in their order: that post must come first (the words' closeness
//!   decides);
//! - **order**: two words side by side in one post only, which another post holds side by
//!   side the other way round: that post must come first (the words' order decides).
//!
//! The cases are derived from the site's own files (index.json, body chunks), never
//! from the index under test, so the same cases judge any version of the engine, and
//! bench/relevance.mjs runs them through Pagefind too (`quire-devtools relevance SITE
//! --cases FILE` writes them as JSON).

use quire_core::Index;
use quire_core::bundle::{Body, body_chunk_from_json};
use quire_core::markdown::plain_text;
use quire_core::search::{Manifest, Query, Shard, fold};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// What a case checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Unique,
    Prefix,
    Pair,
    Near,
    Order,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Unique,
        Kind::Prefix,
        Kind::Pair,
        Kind::Near,
        Kind::Order,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Unique => "unique word → its post first",
            Kind::Prefix => "prefix (3+ letters) of a unique word → top 3",
            Kind::Pair => "two words of a paragraph → its post first",
            Kind::Near => "two words side by side here, apart elsewhere → first",
            Kind::Order => "two words in order here, reversed elsewhere → first",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Kind::Unique => "unique",
            Kind::Prefix => "prefix",
            Kind::Pair => "pair",
            Kind::Near => "near",
            Kind::Order => "order",
        }
    }

    /// The rank (1-based) the post must reach for the case to pass.
    pub fn goal(self) -> usize {
        match self {
            Kind::Prefix => 3,
            _ => 1,
        }
    }
}

/// One query and the post it must find.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    pub kind: Kind,
    pub query: String,
    /// Position of the post in the site's index.json.
    pub post: usize,
}

/// A built site's posts (as the index saw them) and its search files, decoded.
pub struct Site {
    pub index: Index,
    /// Per search document (the posts, then the standalone pages): its title (a page's
    /// description next), then each paragraph of its body, as plain text.
    pub texts: Vec<Vec<String>>,
    pub manifest: Manifest,
    pub shards: Vec<Shard>,
}

fn bad(e: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e.to_string())
}

/// Reads the site `quire build` wrote to `out`.
pub fn load(out: &Path) -> io::Result<Site> {
    let data = out.join("data");
    let index = Index::from_json(&fs::read_to_string(data.join("index.json"))?).map_err(bad)?;
    let mut bodies: HashMap<u32, Vec<Body>> = HashMap::new();
    let mut texts = Vec::with_capacity(index.posts.len() + index.pages.len());
    // The search documents: the posts, then the standalone pages (with their description,
    // which the index reads as a page's summary).
    let docs = index.posts.iter().map(|p| (&p.title, None, p.body)).chain(
        index
            .pages
            .iter()
            .map(|p| (&p.title, Some(&p.description), p.body)),
    );
    for (title, description, body) in docs {
        if let std::collections::hash_map::Entry::Vacant(e) = bodies.entry(body.chunk) {
            let name = index
                .bodies
                .get(body.chunk as usize)
                .ok_or_else(|| bad("a post names a missing body chunk"))?;
            e.insert(body_chunk_from_json(&fs::read_to_string(data.join(name))?).map_err(bad)?);
        }
        let md = bodies[&body.chunk]
            .get(body.slot as usize)
            .map_or("", |b| b.md.as_str());
        let mut t = vec![title.clone()];
        t.extend(description.filter(|d| !d.is_empty()).cloned());
        t.extend(md.split("\n\n").map(plain_text).filter(|s| !s.is_empty()));
        texts.push(t);
    }
    let name = index
        .search
        .clone()
        .ok_or_else(|| bad("index.json names no search manifest"))?;
    let manifest = Manifest::decode(&fs::read(data.join(name))?).map_err(bad)?;
    let shards = manifest
        .shards
        .iter()
        .map(|s| Shard::decode(fs::read(data.join(&s.file))?).map_err(bad))
        .collect::<io::Result<Vec<_>>>()?;
    Ok(Site {
        index,
        texts,
        manifest,
        shards,
    })
}

fn words(text: &str) -> Vec<String> {
    let mut v = Vec::new();
    fold::tokens(text, |t| {
        if !t.cjk {
            v.push(t.text.to_string());
        }
    });
    v
}

fn is_word(w: &str) -> bool {
    w.chars().count() >= 3 && w.chars().any(char::is_alphabetic)
}

/// The test set of `site`, at most `max` cases of each kind (spread evenly over the
/// candidates, the same cases for the same site).
pub fn cases(site: &Site, max: usize) -> Vec<Case> {
    // Document frequency of every folded word over all that the index sees of a post
    // (title, tags, categories, author, body) or a page (title, description, body). Cases
    // are made for posts only, but a page's words make a post's word no longer unique.
    let mut df: HashMap<String, u32> = HashMap::new();
    let mut post_words: Vec<Vec<String>> = Vec::with_capacity(site.texts.len());
    for (i, texts) in site.texts.iter().enumerate() {
        let mut all: HashSet<String> = HashSet::new();
        for t in texts {
            all.extend(words(t));
        }
        if let Some(p) = site.index.posts.get(i) {
            let names = p
                .tags
                .iter()
                .filter_map(|&t| site.index.tags.get(t as usize))
                .chain(
                    p.categories
                        .iter()
                        .filter_map(|&t| site.index.categories.get(t as usize)),
                )
                .chain(site.index.authors.get(p.author as usize));
            for n in names {
                all.extend(words(&n.name));
            }
        }
        for w in &all {
            *df.entry(w.clone()).or_default() += 1;
        }
        let mut sorted: Vec<String> = all.into_iter().collect();
        sorted.sort();
        post_words.push(sorted);
    }
    let mut unique: Vec<Case> = Vec::new();
    let mut prefix: Vec<Case> = Vec::new();
    let mut pair: Vec<Case> = Vec::new();
    for (post, ws) in post_words.iter().enumerate() {
        for w in ws {
            if df[w] == 1 && is_word(w) {
                unique.push(Case {
                    kind: Kind::Unique,
                    query: w.clone(),
                    post,
                });
            }
        }
        // Pages' unique words count below (as owners of prefixes); their cases do not.
        if post >= site.index.posts.len() {
            continue;
        }
        // The paragraph: one chosen by the post's position, among those with two words
        // that each occur in more than one post.
        let paragraphs: Vec<Vec<String>> = site.texts[post][1..]
            .iter()
            .map(|t| {
                let mut seen = HashSet::new();
                words(t)
                    .into_iter()
                    .filter(|w| is_word(w) && df[w] > 1 && seen.insert(w.clone()))
                    .collect::<Vec<_>>()
            })
            .filter(|w| w.len() >= 2)
            .collect();
        if !paragraphs.is_empty() {
            let para = &paragraphs[post % paragraphs.len()];
            // The two rarest, kept in their order in the paragraph.
            let mut by_df: Vec<(u32, usize)> =
                para.iter().enumerate().map(|(i, w)| (df[w], i)).collect();
            by_df.sort();
            let (mut a, mut b) = (by_df[0].1, by_df[1].1);
            if b < a {
                std::mem::swap(&mut a, &mut b);
            }
            pair.push(Case {
                kind: Kind::Pair,
                query: format!("{} {}", para[a], para[b]),
                post,
            });
        }
    }
    // Two words that another post also holds in one paragraph (the same line of code in
    // fifty generated posts) cannot bring *its* post first: any of those posts is as right
    // an answer, and no order can put each first. As with prefixes below, that is no case.
    let shared = paragraphs_holding(site, &pair);
    pair.retain(|c| shared.get(&c.query).is_none_or(|&n| n <= 1));
    // Which posts hold a unique word starting with a prefix: a prefix that more than 3
    // posts' unique words start with cannot keep them all in the top 3 (no order can), so
    // it is no case.
    let mut owners: HashMap<&str, HashSet<usize>> = HashMap::new();
    for c in &unique {
        for (at, _) in c.query.char_indices().skip(3) {
            owners.entry(&c.query[..at]).or_default().insert(c.post);
        }
    }
    let posts = site.index.posts.len();
    for c in unique.iter().filter(|c| c.post < posts) {
        for (at, _) in c.query.char_indices().skip(3) {
            let p = &c.query[..at];
            if owners[p].len() <= 3 {
                prefix.push(Case {
                    kind: Kind::Prefix,
                    query: p.to_string(),
                    post: c.post,
                });
            }
        }
    }
    unique.retain(|c| c.post < posts);
    let (near, order) = neighbours(site, &df);
    let unique = spread(unique, max);
    let mut out = unique;
    out.extend(spread(prefix, max));
    out.extend(spread(pair, max));
    out.extend(spread(near, max));
    out.extend(spread(order, max));
    out
}

/// For each pair case's query (`"a b"`), how many documents hold both words in one
/// paragraph. Each paragraph's pairs of distinct words are looked up among the cases'
/// pairs; a document counts once however many of its paragraphs hold them.
fn paragraphs_holding(site: &Site, cases: &[Case]) -> HashMap<String, u32> {
    let mut wanted: HashMap<(&str, &str), &str> = HashMap::new();
    for c in cases {
        if let Some((a, b)) = c.query.split_once(' ') {
            wanted.insert((a, b), &c.query);
            wanted.insert((b, a), &c.query);
        }
    }
    let mut count: HashMap<String, u32> = HashMap::new();
    for texts in &site.texts {
        let mut mine: HashSet<&str> = HashSet::new();
        for t in texts.iter().skip(1) {
            let mut ws = words(t);
            ws.sort();
            ws.dedup();
            for (i, a) in ws.iter().enumerate() {
                for b in &ws[i + 1..] {
                    if let Some(q) = wanted.get(&(a.as_str(), b.as_str())) {
                        mine.insert(q);
                    }
                }
            }
        }
        for q in mine {
            *count.entry(q.to_string()).or_default() += 1;
        }
    }
    count
}

/// The near and order cases: per post, the first two words (3+ characters, each in more
/// than one document and at most half of them) side by side in a paragraph that no other document has side by side,
/// and that another document holds apart (near), or side by side the other way round
/// (order).
fn neighbours(site: &Site, df: &HashMap<String, u32>) -> (Vec<Case>, Vec<Case>) {
    // Each document's neighbouring word pairs, and how many documents hold each.
    let mut per_doc: Vec<Vec<(String, String)>> = Vec::with_capacity(site.texts.len());
    let mut docs_of: HashMap<(String, String), u32> = HashMap::new();
    for texts in &site.texts {
        let mut seen: HashSet<(String, String)> = HashSet::new();
        let mut mine = Vec::new();
        for t in &texts[1..] {
            let w = words(t);
            for ab in w.windows(2) {
                let pair = (ab[0].clone(), ab[1].clone());
                if seen.insert(pair.clone()) {
                    *docs_of.entry(pair.clone()).or_default() += 1;
                    mine.push(pair);
                }
            }
        }
        per_doc.push(mine);
    }
    // Which documents hold a word (anywhere in their text), for "held apart elsewhere".
    let mut holders: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, texts) in site.texts.iter().enumerate() {
        let mut all: HashSet<String> = HashSet::new();
        for t in texts {
            all.extend(words(t));
        }
        for w in all {
            if let Some((k, _)) = df.get_key_value(&w) {
                holders.entry(k.as_str()).or_default().push(i);
            }
        }
    }
    // Words in more than half the documents ("the", "this") say little of a post: no
    // reader remembers a post by them.
    let half = (site.texts.len() / 2) as u32;
    let (mut near, mut order) = (Vec::new(), Vec::new());
    for (post, pairs) in per_doc.iter().enumerate().take(site.index.posts.len()) {
        let usable = |(a, b): &&(String, String)| {
            a != b
                && is_word(a)
                && is_word(b)
                && df.get(a).is_some_and(|&n| n > 1 && n <= half)
                && df.get(b).is_some_and(|&n| n > 1 && n <= half)
                && docs_of[&(a.clone(), b.clone())] == 1
        };
        // Held the other way round by another document.
        let reversed = |(a, b): &&(String, String)| {
            let back = (b.clone(), a.clone());
            let own = u32::from(pairs.contains(&back));
            docs_of.get(&back).is_some_and(|&n| n > own)
        };
        if let Some((a, b)) = pairs.iter().filter(usable).find(|p| !reversed(p)) {
            // Another document must hold both words (apart): AND alone would decide.
            let hb: HashSet<usize> = holders[b.as_str()].iter().copied().collect();
            if holders[a.as_str()]
                .iter()
                .any(|d| *d != post && hb.contains(d))
            {
                near.push(Case {
                    kind: Kind::Near,
                    query: format!("{a} {b}"),
                    post,
                });
            }
        }
        if let Some((a, b)) = pairs.iter().filter(usable).find(reversed) {
            order.push(Case {
                kind: Kind::Order,
                query: format!("{a} {b}"),
                post,
            });
        }
    }
    (near, order)
}

/// At most `max` of `items`, evenly spaced.
fn spread<T>(items: Vec<T>, max: usize) -> Vec<T> {
    let n = items.len();
    if n <= max {
        return items;
    }
    items
        .into_iter()
        .enumerate()
        .filter(|(i, _)| (i * max) / n != ((i + 1) * max) / n)
        .map(|(_, c)| c)
        .collect()
}

/// The posts `query` finds on `site`, best first, as the app ranks them (phrases
/// checked on the post's text).
pub fn search(site: &Site, query: &str) -> Vec<usize> {
    let q = Query::parse(query, site.manifest.stem);
    let hits = q
        .search(&site.manifest, |i| site.shards.get(i))
        .unwrap_or_default();
    hits.into_iter()
        .map(|h| h.post as usize)
        .filter(|&p| {
            q.phrases.is_empty() || {
                let t: Vec<&str> = site.texts[p].iter().map(String::as_str).collect();
                q.verify(&[&t.join(" ")])
            }
        })
        .collect()
}

/// One row of results: cases run, found first, found in the top 3, and the failures
/// (query, post, rank found or none).
#[derive(Clone, Debug, Default)]
pub struct Score {
    pub cases: usize,
    pub top1: usize,
    pub top3: usize,
    pub failures: Vec<(String, usize, Option<usize>)>,
}

impl Score {
    pub fn pct(n: usize, of: usize) -> String {
        if of == 0 {
            "n/a".into()
        } else {
            format!("{:.1} %", 100.0 * n as f64 / of as f64)
        }
    }
}

/// Runs every case natively against the site's index.
pub fn evaluate(site: &Site, cases: &[Case]) -> BTreeMap<Kind, Score> {
    let mut out: BTreeMap<Kind, Score> = BTreeMap::new();
    for c in cases {
        let found = search(site, &c.query);
        let rank = found.iter().position(|&p| p == c.post);
        let s = out.entry(c.kind).or_default();
        s.cases += 1;
        if rank == Some(0) {
            s.top1 += 1;
        }
        if rank.is_some_and(|r| r < 3) {
            s.top3 += 1;
        }
        if rank.is_none_or(|r| r >= c.kind.goal()) {
            s.failures
                .push((c.query.clone(), c.post, rank.map(|r| r + 1)));
        }
    }
    out
}

/// The cases as JSON lines' worth of an array: `[{"kind","query","route"}]`, the route
/// being the post's page (`post/<slug>/`), for tools that search the built pages.
pub fn cases_json(site: &Site, cases: &[Case]) -> String {
    let mut s = String::from("[\n");
    for (i, c) in cases.iter().enumerate() {
        let slug = &site.index.posts[c.post].slug;
        let _ = writeln!(
            s,
            "{{\"kind\":{:?},\"query\":{},\"post\":{},\"route\":{}}}{}",
            c.kind.id(),
            json_str(&c.query),
            c.post,
            json_str(&format!("post/{slug}/")),
            if i + 1 < cases.len() { "," } else { "" }
        );
    }
    s.push(']');
    s
}

fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The scores as a table.
pub fn table(scores: &BTreeMap<Kind, Score>) -> String {
    let mut s = String::from("| row | cases | top-1 | top-3 |\n|---|---|---|---|\n");
    for k in Kind::ALL {
        let sc = scores.get(&k).cloned().unwrap_or_default();
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            k.name(),
            sc.cases,
            Score::pct(sc.top1, sc.cases),
            Score::pct(sc.top3, sc.cases)
        );
    }
    s
}
