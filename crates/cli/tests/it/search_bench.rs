//! Figures for the search index on a generated 10,000-post blog (an ignored test that
//! prints; it asserts nothing about time):
//!
//! ```sh
//! cargo test -p quire --profile cli --test it search_bench -- --ignored --nocapture
//! ```
//!
//! `QUIRE_SEARCH_POSTS=1000` changes the size; `TMPDIR=/dev/shm` keeps the files in memory.
//! The posts are written by the test itself: English-like text over a 40,000-word
//! vocabulary drawn with Zipf's law, titles, tags, categories, authors, a few accented
//! and CJK words, about 2.6 KB of Markdown a post.

use quire::LoadOptions;
use quire::assemble;
use quire_core::search::{Manifest, Query, Shard};
use std::collections::HashMap;
use std::io::Write;
use std::time::Instant;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const COMMON: &str = "the of and to a in is it you that he was for on are with as his they be at one have this from or had by hot word but what some we can out other were all there when up use your how said an each she which do their time if will way about many then them write would like so these her long make thing see him two has look more day could go come did number sound no most people my over know water than call first who may down side been now find any new work part take get place made live where after back little only round man year came show every good me give our under name very through just form sentence great think say help low line differ turn cause much mean before move right boy old too same tell does set three want air well also play small end put home read hand port large spell add even land here must big high such follow act why ask men change went light kind off need house picture try us again animal point mother world near build self earth father running runs runner café résumé naïve";

const CJK: &[&str] = &[
    "東京",
    "地下鉄",
    "日本語",
    "検索",
    "静的サイト",
    "中文",
    "博客",
];

fn vocabulary(rng: &mut Rng) -> Vec<String> {
    let mut words: Vec<String> = COMMON.split(' ').map(String::from).collect();
    const SYL: &[&str] = &[
        "ka", "to", "ri", "men", "sa", "lo", "vin", "der", "qui", "ra", "tes", "on", "al", "bu",
        "ne", "ph", "gra", "mo", "zu", "el", "ti", "cor", "dan", "fi", "ly", "ex", "pro", "ber",
    ];
    let mut seen: std::collections::HashSet<String> = words.iter().cloned().collect();
    while words.len() < 40_000 {
        let n = 2 + rng.below(3);
        let w: String = (0..n).map(|_| SYL[rng.below(SYL.len())]).collect();
        if seen.insert(w.clone()) {
            words.push(w);
        }
    }
    words
}

struct Zipf(Vec<f64>);

impl Zipf {
    fn new(n: usize) -> Zipf {
        let mut acc = 0.0;
        Zipf(
            (1..=n)
                .map(|r| {
                    acc += 1.0 / r as f64;
                    acc
                })
                .collect(),
        )
    }
    fn sample(&self, rng: &mut Rng) -> usize {
        let u = rng.unit() * self.0.last().unwrap();
        self.0.partition_point(|&c| c < u).min(self.0.len() - 1)
    }
}

fn write_corpus(dir: &std::path::Path, n: usize) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let vocab = vocabulary(&mut rng);
    let zipf = Zipf::new(vocab.len());
    let tags: Vec<String> = (0..200)
        .map(|i| format!("{} {i}", vocab[300 + i * 7]))
        .collect();
    let posts = dir.join("posts");
    std::fs::create_dir_all(&posts).unwrap();
    std::fs::write(
        dir.join("site.toml"),
        "title = \"Bench\"\nlanguage = \"en\"\nbase_url = \"https://example.org/\"\n",
    )
    .unwrap();
    for i in 0..n {
        let mut text = String::with_capacity(3000);
        let title: Vec<&str> = (0..3 + rng.below(5))
            .map(|_| vocab[zipf.sample(&mut rng)].as_str())
            .collect();
        let post_tags: Vec<&str> = (0..1 + rng.below(4))
            .map(|_| tags[rng.below(tags.len())].as_str())
            .collect();
        let day = i % 28 + 1;
        let month = (i / 28) % 12 + 1;
        let year = 2000 + (i / 336) % 26;
        text.push_str(&format!(
            "---\ntitle: {:?}\ndate: {year}-{month:02}-{day:02}\ntags: {:?}\ncategories: [c{}]\nauthor: Author {}\n---\n",
            title.join(" "),
            post_tags,
            rng.below(10),
            rng.below(20)
        ));
        let paragraphs = 3 + rng.below(5);
        for p in 0..paragraphs {
            if p == 2 {
                text.push_str("## A heading here\n\n");
            }
            for _ in 0..3 + rng.below(4) {
                let len = 8 + rng.below(13);
                for k in 0..len {
                    let w = &vocab[zipf.sample(&mut rng)];
                    if k == 0 {
                        let mut c = w.chars();
                        let first = c.next().unwrap();
                        text.extend(first.to_uppercase());
                        text.push_str(c.as_str());
                    } else if rng.below(60) == 0 {
                        text.push_str(&format!("*{w}*"));
                    } else {
                        text.push_str(w);
                    }
                    if k + 1 < len {
                        text.push(' ');
                    }
                }
                if rng.below(40) == 0 {
                    text.push_str(CJK[rng.below(CJK.len())]);
                }
                text.push_str(". ");
            }
            text.push_str("\n\n");
        }
        let mut f = std::fs::File::create(posts.join(format!("post-{i:05}.md"))).unwrap();
        f.write_all(text.as_bytes()).unwrap();
    }
}

fn brotli_len(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).unwrap();
    out.len()
}

/// CPU seconds this process has used (user + system), from /proc (Linux), else 0: the
/// machine is shared, so wall time alone says little.
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = &s[s.rfind(')')? + 2..];
            let f: Vec<&str> = rest.split(' ').collect();
            let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
            Some(ticks / 100.0)
        })
        .unwrap_or(0.0)
}

fn kb(n: usize) -> String {
    format!("{:.1} KB", n as f64 / 1024.0)
}

#[test]
#[ignore = "prints figures; run with --ignored --nocapture"]
fn search_index_figures() {
    let n: usize = std::env::var("QUIRE_SEARCH_POSTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().unwrap();
    // QUIRE_SEARCH_CORPUS=DIR keeps the generated posts there (to time `quire build` on them).
    let content = std::env::var_os("QUIRE_SEARCH_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().join("content"));
    write_corpus(&content, n);

    let (t, c) = (Instant::now(), cpu_seconds());
    let loaded = quire::load(&content, &LoadOptions::default());
    assert!(!loaded.has_errors(), "{:?}", &loaded.diagnostics[..1]);
    let mut bundle = assemble(loaded.site.unwrap(), loaded.posts);
    let bundle_time = t.elapsed();
    let bundle_cpu = cpu_seconds() - c;
    let markdown: usize = bundle
        .chunks
        .iter()
        .filter(|(n, _)| n.starts_with("b-"))
        .map(|(_, b)| b.len())
        .sum();

    let (t, c) = (Instant::now(), cpu_seconds());
    let built = quire::build_search_index(&bundle);
    let search_time = t.elapsed();
    let search_cpu = cpu_seconds() - c;
    let (manifest_name, manifest_bytes) = built.manifest_file();

    let shard_raw: usize = built.shards.iter().map(|(_, b)| b.len()).sum();
    let shard_br: Vec<usize> = built.shards.iter().map(|(_, b)| brotli_len(b)).collect();
    let manifest_br = brotli_len(&manifest_bytes);
    let total_br: usize = shard_br.iter().sum::<usize>() + manifest_br;

    println!(
        "posts: {n}, body Markdown {}; {} threads",
        kb(markdown),
        rayon::current_num_threads()
    );
    println!(
        "build: read + bundle {:.3} s wall, {:.2} s CPU; search index added {:.3} s wall, {:.2} s CPU",
        bundle_time.as_secs_f64(),
        bundle_cpu,
        search_time.as_secs_f64(),
        search_cpu,
    );
    println!(
        "index on disk: {} shards + manifest {manifest_name}: raw {}, brotli {} (manifest {} raw, {} brotli; largest shard {} brotli)",
        built.shards.len(),
        kb(shard_raw + manifest_bytes.len()),
        kb(total_br),
        kb(manifest_bytes.len()),
        kb(manifest_br),
        kb(*shard_br.iter().max().unwrap_or(&0)),
    );

    // Read back, as the app would.
    let manifest = Manifest::decode(&manifest_bytes).unwrap();
    let decoded: Vec<Shard> = built
        .shards
        .iter()
        .map(|(_, b)| Shard::decode(b.clone()).unwrap())
        .collect();
    // Words by document frequency, to pick common, middling and rare ones.
    let mut by_df: Vec<(String, u32)> = decoded
        .iter()
        .flat_map(|s| s.terms().map(|(t, df)| (t.to_string(), df)))
        .collect();
    by_df.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let pick = |rank: usize| by_df[rank.min(by_df.len() - 1)].0.clone();
    let bodies = |post: u32| -> String {
        let p = &bundle.index.posts[post as usize];
        bundle.index.bodies[p.body.chunk as usize].clone()
    };
    let chunk_br: HashMap<String, usize> = HashMap::new();
    let mut chunk_br = chunk_br;
    println!("one-word queries (bytes to fetch: manifest + planned shards, brotli):");
    let mut worst = 0;
    for (label, query) in [
        ("most common word", format!("{} ", pick(0))),
        ("100th word", format!("{} ", pick(100))),
        ("1,000th word", format!("{} ", pick(1000))),
        ("rare word", format!("{} ", pick(by_df.len() / 2))),
        ("typing 3 letters", pick(100).chars().take(3).collect()),
        ("cafe (folded)", "cafe ".to_string()),
        ("東京", "東京".to_string()),
    ] {
        let q = Query::parse(&query, manifest.stem);
        let plan = q.plan(&manifest);
        let fetched = manifest_br + plan.iter().map(|&i| shard_br[i]).sum::<usize>();
        // Cold: decode the fetched shards, then search. Warm: search only.
        let t = Instant::now();
        let mine: Vec<Option<Shard>> = (0..decoded.len())
            .map(|i| {
                plan.contains(&i)
                    .then(|| Shard::decode(built.shards[i].1.clone()).unwrap())
            })
            .collect();
        let hits = q.search(&manifest, |i| mine[i].as_ref()).unwrap();
        let cold = t.elapsed();
        let runs = 20;
        let t = Instant::now();
        for _ in 0..runs {
            std::hint::black_box(q.search(&manifest, |i| mine[i].as_ref()).unwrap());
        }
        let warm = t.elapsed() / runs;
        // Excerpts for the first five results come from their body chunks.
        let mut chunks: Vec<String> = hits.iter().take(5).map(|h| bodies(h.post)).collect();
        chunks.sort();
        chunks.dedup();
        let excerpt_bytes: usize = chunks
            .iter()
            .map(|c| {
                *chunk_br.entry(c.clone()).or_insert_with(|| {
                    let bytes = &bundle.chunks.iter().find(|(n, _)| n == c).unwrap().1;
                    brotli_len(bytes)
                })
            })
            .sum();
        if query.ends_with(' ') {
            worst = worst.max(fetched);
        }
        println!(
            "  {label:<18} {query:<14} {:>6} hits, {} shard(s), fetched {:>9}; search cold {:>7.2} ms, warm {:>7.2} ms; excerpts for top 5: {} body chunk(s), {}",
            hits.len(),
            plan.len(),
            kb(fetched),
            cold.as_secs_f64() * 1e3,
            warm.as_secs_f64() * 1e3,
            chunks.len(),
            kb(excerpt_bytes)
        );
    }
    println!(
        "goals: one-word query fetch ≤ 120 KB brotli (worst above: {}); build time added ≤ 1 s ({:.3} s)",
        kb(worst),
        search_time.as_secs_f64()
    );
    std::sync::Arc::make_mut(&mut bundle.index).search = Some(manifest_name);
}
