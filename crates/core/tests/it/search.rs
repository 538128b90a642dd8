//! The search index and query engine, natively: what readers type, what they find, in
//! which order, and that the on-disk format carries it all.

use quire_core::search::{
    self, BuiltIndex, Document, Excerpt, Manifest, Query, Shard, analyze, build_index,
};
use std::collections::HashMap;

#[derive(Clone, Default)]
struct Post {
    title: String,
    tags: Vec<String>,
    summary: String,
    body: String,
}

fn post(title: &str, tags: &[&str], body: &str) -> Post {
    Post {
        title: title.into(),
        tags: tags.iter().map(|s| s.to_string()).collect(),
        summary: String::new(),
        body: body.into(),
    }
}

/// An index written to bytes and read back, as the app would fetch it.
struct Site {
    posts: Vec<Post>,
    manifest: Manifest,
    shards: Vec<Shard>,
    files: HashMap<String, Vec<u8>>,
}

fn build(posts: Vec<Post>, stemming: bool, shard_bytes: usize) -> Site {
    let terms = posts
        .iter()
        .map(|p| {
            analyze(&Document {
                title: &p.title,
                tags: p.tags.iter().map(String::as_str).collect(),
                categories: vec![],
                author: "Ada",
                summary: &p.summary,
                body: &p.body,
                ..Document::default()
            })
        })
        .collect();
    let built: BuiltIndex = build_index(terms, stemming, shard_bytes);
    let (name, bytes) = built.manifest_file();
    assert!(name.starts_with("m-") && name.ends_with(".bin"));
    let mut files: HashMap<String, Vec<u8>> = built.shards.iter().cloned().collect();
    files.insert(name, bytes.clone());
    // Read back only from bytes.
    let manifest = Manifest::decode(&bytes).unwrap();
    let shards = manifest
        .shards
        .iter()
        .map(|s| Shard::decode(files[&s.file].clone()).unwrap())
        .collect();
    Site {
        posts,
        manifest,
        shards,
        files,
    }
}

impl Site {
    fn find(&self, input: &str) -> Vec<u32> {
        let q = Query::parse(input, self.manifest.stem);
        let plan = q.plan(&self.manifest);
        let hits = q
            .search(&self.manifest, |i| {
                plan.contains(&i).then(|| &self.shards[i])
            })
            .unwrap();
        hits.into_iter()
            .filter(|h| {
                let p = &self.posts[h.post as usize];
                q.verify(&[&p.title, &p.summary, &p.body])
            })
            .map(|h| h.post)
            .collect()
    }
}

fn small_blog() -> Site {
    build(
        vec![
            post(
                "Hello",
                &["intro"],
                "We opened a café on the corner of the street.",
            ),
            post(
                "Running notes",
                &["sport"],
                "She runs every morning before work.",
            ),
            post(
                "Static sites",
                &["web"],
                "Quire writes a folder of files; no server needed.",
            ),
            post("東京の旅", &["travel"], "東京都の地下鉄はとても便利です。"),
            post(
                "Rust in the browser",
                &["rust", "wasm"],
                "WebAssembly lets Rust run in the browser.",
            ),
        ],
        true,
        search::SHARD_TARGET_BYTES,
    )
}

#[test]
fn a_word_in_the_body_finds_its_post() {
    let blog = small_blog();
    assert_eq!(blog.find("folder "), [2]);
    assert_eq!(blog.find("morning "), [1]);
    assert!(blog.find("nothinglikethis ").is_empty());
    assert!(blog.find("").is_empty());
}

#[test]
fn case_and_diacritics_are_folded() {
    let blog = small_blog();
    assert_eq!(blog.find("cafe "), [0]);
    assert_eq!(blog.find("CAFÉ "), [0]);
    assert_eq!(blog.find("Cafe\u{301} "), [0]);
}

#[test]
fn the_last_word_is_a_prefix_while_typing() {
    let blog = small_blog();
    assert_eq!(blog.find("fold"), [2]);
    assert_eq!(blog.find("brow"), [4]);
    // A finished word (followed by a space) is whole: "brow " is not "browser".
    assert!(blog.find("brow ").is_empty());
    // Earlier words are whole, only the last one grows.
    assert!(blog.find("fold files").is_empty());
    assert_eq!(blog.find("folder fil"), [2]);
    // While typing an inflected form, its stem already matches.
    // ("Running" in a title ranks above "run" in a body.)
    assert_eq!(blog.find("runni"), [1, 4]);
}

#[test]
fn a_quoted_phrase_matches_exactly() {
    let blog = build(
        vec![
            post("A", &[], "the quick brown fox jumps"),
            post("B", &[], "the brown quick fox jumps"),
            post("C", &[], "a quick, brown dog"),
        ],
        true,
        search::SHARD_TARGET_BYTES,
    );
    let mut both = blog.find("quick brown ");
    both.sort();
    assert_eq!(both, [0, 1, 2]);
    // Punctuation between the words does not break a phrase; order does.
    assert_eq!(blog.find("\"quick brown\""), [0, 2]);
    assert_eq!(blog.find("\"brown quick\""), [1]);
    assert_eq!(blog.find("\"quick brown fox\" jumps"), [0]);
    // An unclosed quote is a phrase up to the end.
    assert_eq!(blog.find("\"brown quick fox"), [1]);
    // Quoted words are not stemmed: "jump" is not "jumps".
    assert!(blog.find("\"fox jump\"").is_empty());
}

#[test]
fn cjk_words_are_found_by_bigrams() {
    let blog = small_blog();
    assert_eq!(blog.find("東京"), [3]);
    assert_eq!(blog.find("地下鉄"), [3]);
    assert_eq!(blog.find("便利"), [3]);
    // A single character finds the words that hold it, wherever it is in a run.
    assert_eq!(blog.find("鉄"), [3]);
    assert!(blog.find("京東").is_empty());
    let q = Query::parse("地下鉄", true);
    let body = &blog.posts[3].body;
    let spans = q.highlights(body);
    assert_eq!(spans.len(), 1);
    assert_eq!(&body[spans[0].clone()], "地下鉄");
}

#[test]
fn english_stemming_joins_inflections_and_is_off_for_other_languages() {
    let posts = vec![
        post("Daily", &[], "She runs every morning."),
        post("Other", &[], "He jumped over the wall."),
    ];
    let blog = build(posts.clone(), true, search::SHARD_TARGET_BYTES);
    assert_eq!(blog.find("running "), [0]);
    assert_eq!(blog.find("run "), [0]);
    assert_eq!(blog.find("jumping "), [1]);
    let plain = build(posts, false, search::SHARD_TARGET_BYTES);
    assert!(plain.find("running ").is_empty());
    assert!(plain.find("jump ").is_empty());
    assert_eq!(plain.find("runs "), [0]);
    assert_eq!(plain.find("jump"), [1]);
    assert!(search::stems("en-GB") && search::stems("EN") && !search::stems("fr"));
}

#[test]
fn title_and_tag_hits_rank_above_body_hits() {
    // Positions are newest first: the body-only hits are the newest posts.
    let blog = build(
        vec![
            post(
                "Cooking",
                &[],
                "garden garden garden garden garden, all about the garden",
            ),
            post("Notes", &[], "a garden"),
            post("Other", &["garden"], "nothing related"),
            post("The garden", &[], "nothing related"),
        ],
        true,
        search::SHARD_TARGET_BYTES,
    );
    assert_eq!(blog.find("garden "), [3, 2, 0, 1]);
}

#[test]
fn recency_breaks_ties() {
    let same = "a post about lighthouses and the sea";
    let blog = build(
        vec![
            post("A", &[], same),
            post("B", &[], same),
            post("C", &[], same),
        ],
        true,
        search::SHARD_TARGET_BYTES,
    );
    assert_eq!(blog.find("lighthouse "), [0, 1, 2]);
}

#[test]
fn hits_are_ranked_by_score_then_position() {
    // Scores spread over many values, with ties: body frequency and length vary per post,
    // some posts carry the word in the title or a tag.
    let posts: Vec<Post> = (0..3000)
        .map(|i| {
            let body = format!("{} filler{}", "harbour ".repeat(1 + i % 9), i % 5);
            let title = if i % 11 == 0 { "Harbour" } else { "Post" };
            let tags: &[&str] = if i % 17 == 0 { &["harbour"] } else { &[] };
            post(title, tags, &body)
        })
        .collect();
    let blog = build(posts, true, search::SHARD_TARGET_BYTES);
    let q = Query::parse("harbour ", true);
    let hits = q.search(&blog.manifest, |i| blog.shards.get(i)).unwrap();
    assert_eq!(hits.len(), 3000);
    let mut expected = hits.clone();
    expected.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.post.cmp(&b.post)));
    assert_eq!(hits, expected);
    assert!(hits.iter().all(|h| h.score > 0.0));
    assert!(hits.windows(2).any(|w| w[0].score == w[1].score), "ties");
    assert!(hits.windows(2).any(|w| w[0].score > w[1].score), "spread");
    let mut posts: Vec<u32> = hits.iter().map(|h| h.post).collect();
    posts.sort();
    assert_eq!(posts, (0..3000).collect::<Vec<u32>>());
    // Title and tag hits first.
    assert!(
        hits[..10]
            .iter()
            .all(|h| h.post % 11 == 0 || h.post % 17 == 0)
    );
}

fn many_posts(n: usize) -> Vec<Post> {
    (0..n)
        .map(|i| {
            post(
                &format!("Post {i}"),
                &[],
                &format!("word{i} shared{} common text alpha{}", i % 7, i % 13),
            )
        })
        .collect()
}

#[test]
fn shards_split_by_term_range_and_a_query_plans_only_its_shards() {
    let blog = build(many_posts(400), true, 512);
    let m = &blog.manifest;
    assert!(m.shards.len() > 10, "{} shards", m.shards.len());
    assert_eq!(m.shards[0].first, "");
    for w in m.shards.windows(2) {
        assert!(w[0].first < w[1].first);
    }
    // Every term sits in the shard the manifest names for it.
    for (i, shard) in blog.shards.iter().enumerate() {
        for (term, _) in shard.terms() {
            assert_eq!(m.shard_of(term), i, "{term}");
        }
    }
    let q = Query::parse("word123 ", true);
    let plan = q.plan(m);
    assert_eq!(plan, [m.shard_of("word123")]);
    assert_eq!(blog.find("word123 "), [123]);
    // Two words: the shards of their words' stem families (a finished word finds the
    // other words of its stem among the words starting with its root: `word5` also looks
    // at `word50`…), at most MAX_PREFIX_SHARDS a word.
    assert!(Query::parse("word5 common ", true).plan(m).len() <= 2 * search::MAX_PREFIX_SHARDS);
    assert_eq!(Query::parse("common ", true).plan(m).len(), 1);
    // A prefix spans the shards of its range, at most MAX_PREFIX_SHARDS of them.
    let wide = Query::parse("word", true).plan(m);
    assert!(wide.len() > 1 && wide.len() <= search::MAX_PREFIX_SHARDS);
    // The plan is enough: searching with only the planned shards gives every match.
    let mut hits = blog.find("word12");
    hits.sort();
    assert_eq!(hits, [12, 120, 121, 122, 123, 124, 125, 126, 127, 128, 129]);
    // A small blog ships a single shard.
    assert_eq!(small_blog().manifest.shards.len(), 1);
}

#[test]
fn a_word_too_short_for_a_prefix_fetches_its_range_ahead() {
    let blog = build(many_posts(400), true, 512);
    let m = &blog.manifest;
    // "w" is an exact word for now, but the next letter makes it a prefix: the shards of
    // that range are worth fetching ahead, and the exact word's shard is the first of them.
    let q = Query::parse("common w", true);
    let ahead = q.ahead(m);
    assert_eq!(ahead, m.shards_of_prefix("w", search::MAX_PREFIX_SHARDS));
    assert!(ahead.len() > 1, "{ahead:?}");
    assert!(ahead.contains(&m.shard_of("w")));
    let next = Query::parse("common wo", true).plan(m);
    assert!(next.iter().any(|i| ahead.contains(i)), "{next:?} {ahead:?}");
    // Nothing ahead once the word is a prefix, after a space, or inside quotes.
    for done in ["common wo", "common w ", "\"common w\"", ""] {
        assert_eq!(Query::parse(done, true).ahead(m), 0..0, "{done:?}");
    }
}

#[test]
fn round_trip_through_the_files() {
    let blog = build(many_posts(300), true, 1024);
    let m = &blog.manifest;
    assert_eq!(m.docs, 300);
    assert!(m.stem);
    // File names carry their content's hash; manifest and shards are all there.
    for s in &m.shards {
        let bytes = &blog.files[&s.file];
        assert_eq!(bytes.len() as u32, s.bytes);
        assert_eq!(
            s.file,
            format!("x-{}.bin", quire_core::bundle::content_hash(bytes))
        );
    }
    // Every posting of every term comes back as written: each post's own word.
    for i in [0usize, 1, 150, 299] {
        assert_eq!(blog.find(&format!("word{i} ")), [i as u32]);
    }
    let mut shared3: Vec<u32> = blog.find("shared3 ");
    shared3.sort();
    assert_eq!(
        shared3,
        (0..300).filter(|i| i % 7 == 3).collect::<Vec<u32>>()
    );
    // Damaged files are errors.
    assert!(Manifest::decode(b"{}").is_err());
    let mut bad = m.clone();
    bad.shards.reverse();
    assert!(m.shards.len() > 1);
    assert!(Manifest::decode(&bad.encode()).is_err());
    let first = &blog.files[&m.shards[0].file];
    assert!(Shard::decode(first[..first.len() / 2].to_vec()).is_err());
}

#[test]
fn excerpts_centre_the_best_match_and_mark_it_with_spans() {
    let body = format!(
        "{} The lighthouse keeper kept the light burning. {}",
        "Filler words that say nothing much at all. ".repeat(6),
        "More filler to close the post with. ".repeat(6)
    );
    let q = Query::parse("lighthouse keeper", true);
    let Excerpt {
        text,
        spans,
        cut_start,
        cut_end,
    } = q.excerpt(&body, 80);
    assert!(cut_start && cut_end);
    assert!(text.chars().count() <= 80, "{text}");
    let marked: Vec<&str> = spans.iter().map(|s| &text[s.clone()]).collect();
    assert_eq!(marked, ["lighthouse", "keeper"]);
    // Markup in the text stays text: spans are byte ranges, never HTML.
    let q = Query::parse("<b>bold</b>", true);
    let e = q.excerpt("an <b>bold</b> claim", 40);
    assert_eq!(e.text, "an <b>bold</b> claim");
    let marked: Vec<&str> = e.spans.iter().map(|s| &e.text[s.clone()]).collect();
    assert_eq!(marked, ["b", "bold", "b"]);
    // No match: the text's start.
    let e = Query::parse("zebra", true).excerpt(&body, 30);
    assert!(!e.cut_start && e.cut_end && e.spans.is_empty());
    assert!(body.starts_with(&e.text));
}

#[test]
fn postings_collected_in_parts_make_the_same_index() {
    let docs: Vec<_> = many_posts(200)
        .iter()
        .map(|p| {
            analyze(&Document {
                title: &p.title,
                body: &p.body,
                ..Document::default()
            })
        })
        .collect();
    let whole = build_index(docs.clone(), true, 700);
    let parts = (0..3)
        .map(|i| search::collect_postings(&docs, i, 3))
        .collect();
    let joined = search::shard_index(parts, docs.len() as u32, true, 700);
    assert_eq!(joined.manifest, whole.manifest);
    assert_eq!(joined.shards, whole.shards);
    assert!(whole.shards.len() > 3);
}

#[test]
fn one_analyzer_for_many_posts_gives_what_fresh_ones_give() {
    let posts = many_posts(50);
    fn doc(p: &Post) -> Document<'_> {
        Document {
            title: &p.title,
            body: &p.body,
            ..Document::default()
        }
    }
    let fresh: Vec<_> = posts.iter().map(|p| analyze(&doc(p))).collect();
    let mut one = search::Analyzer::new();
    let reused: Vec<_> = posts.iter().map(|p| one.analyze(&doc(p))).collect();
    let a = build_index(fresh, true, 600);
    let b = build_index(reused, true, 600);
    assert_eq!(a.shards, b.shards);
}
