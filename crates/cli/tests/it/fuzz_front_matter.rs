//! Fuzzing the CLI's public front matter parser, `quire::parse_front_matter`, on stable Rust
//! (a small seeded generator: the CLI has no property-test dependency).
//!
//! Properties, on arbitrary bytes, on YAML/TOML assembled from a hostile alphabet, and on
//! mutations of real posts (the sample blog and the attack corpus):
//! - it never panics and never hangs (a watchdog fails the test if one input takes more
//!   than a minute, and names the input);
//! - `Ok` is coherent: a non-empty title with no whitespace runs, trimmed non-empty tags and
//!   categories, a body that is the tail of the input, a body line inside the file;
//! - `Err` holds at least one error, and every issue names a line inside the file;
//! - text fields are text: a title, author, tag, category or summary full of markup, quotes,
//!   entities and control-free Unicode comes back exactly as written (whitespace collapsed
//!   where documented), in YAML and in TOML.
//!
//! Bounded by default (fixed seed, a few seconds). Longer:
//!   QUIRE_FUZZ_SECONDS=900 cargo test --release -p quire --test it fuzz_front_matter -- --nocapture
//! QUIRE_FUZZ_CASES sets the cases of each property (default 5,000); QUIRE_FUZZ_SEED the seed.

use quire::{Severity, parse_front_matter};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// SplitMix64: small, fast, good enough to drive a fuzzer.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const YAML_TOKENS: &[&str] = &[
    "title",
    "date",
    "updated",
    "tags",
    "categories",
    "author",
    "slug",
    "summary",
    "draft",
    "other",
    ":",
    ": ",
    "\n",
    "  ",
    "- ",
    "-",
    "[",
    "]",
    "{",
    "}",
    ",",
    "\"",
    "'",
    "\\",
    "#",
    "&a ",
    "*a",
    "!!str ",
    "!!binary ",
    "!!int ",
    "? ",
    "|",
    ">",
    "|-",
    "%YAML 1.2\n",
    "---",
    "...",
    "2024-01-01",
    "2024-13-45",
    "2024-02-29T25:61:00+99:00",
    "1e999",
    "0x1F",
    "~",
    "null",
    "true",
    "yes",
    "<script>alert(1)</script>",
    "</title>",
    "&amp;",
    "é",
    "日本",
    "\u{0}",
    "\u{7}",
    "\u{feff}",
    "\u{2028}",
    "\r\n",
    "\t",
    "<<: *a\n",
    "[*a, *a, *a]",
];

const TOML_TOKENS: &[&str] = &[
    "title",
    "date",
    "updated",
    "tags",
    "categories",
    "author",
    "slug",
    "summary",
    "draft",
    "other",
    " = ",
    "=",
    "\n",
    "[",
    "]",
    "[[x]]\n",
    "[t]\n",
    "{",
    "}",
    ",",
    "\"",
    "'",
    "\"\"\"",
    "'''",
    "\\u0000",
    "\\U0010FFFF",
    "\\",
    "#",
    "2024-01-01",
    "2024-01-01T10:00:00Z",
    "1979-05-27T07:32:00-08:00",
    "07:32:00",
    "1e308",
    "inf",
    "nan",
    "0x1F",
    "true",
    "1_000",
    "a.b",
    "\"a.b\"",
    "<script>alert(1)</script>",
    "é",
    "\u{0}",
    "\u{feff}",
    "\r\n",
    "\t",
];

fn generated(rng: &mut Rng) -> String {
    let (delim, tokens) = if rng.chance(50) {
        ("---", YAML_TOKENS)
    } else {
        ("+++", TOML_TOKENS)
    };
    let mut s = String::new();
    if !rng.chance(5) {
        s.push_str(delim);
        s.push('\n');
    }
    for _ in 0..rng.below(80) {
        s.push_str(rng.pick(tokens));
    }
    if !rng.chance(5) {
        s.push('\n');
        s.push_str(delim);
        s.push('\n');
    }
    for _ in 0..rng.below(4) {
        s.push_str(rng.pick(&["body\n", "\n", "---\n", "+++\n", "<!--more-->\n", "# h\n"]));
    }
    s
}

fn arbitrary_bytes(rng: &mut Rng) -> String {
    let n = rng.below(600);
    let bytes: Vec<u8> = (0..n)
        .map(|_| {
            if rng.chance(30) {
                *b"-+\n:=\"'[]".get(rng.below(10)).unwrap_or(&b'-')
            } else {
                rng.next() as u8
            }
        })
        .collect();
    // Half of them open like front matter, so the parsers behind the split see them too.
    let open = ["", "---\n", "+++\n"][rng.below(3)];
    format!("{open}{}", String::from_utf8_lossy(&bytes))
}

fn seed_posts() -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out = Vec::new();
    for dir in ["content/posts", "tests/fixtures/hostile/posts"] {
        if let Ok(entries) = std::fs::read_dir(root.join(dir)) {
            for e in entries.flatten() {
                if let Ok(t) = std::fs::read_to_string(e.path()) {
                    out.push(t);
                }
            }
        }
    }
    out.sort();
    assert!(!out.is_empty(), "no seed posts found");
    out
}

fn floor_char(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn mutated(rng: &mut Rng, seeds: &[String]) -> String {
    let mut s = seeds[rng.below(seeds.len())].clone();
    // Mostly the front matter matters: keep mutations near the top.
    for _ in 0..1 + rng.below(6) {
        let span = s.len().min(1200);
        let at = floor_char(&s, rng.below(span + 1));
        match rng.below(6) {
            0 => {
                let tokens = if rng.chance(50) {
                    YAML_TOKENS
                } else {
                    TOML_TOKENS
                };
                let t = rng.pick(tokens);
                s.insert_str(at, t);
            }
            1 => {
                let end = floor_char(&s, at + rng.below(40));
                s.replace_range(at..end, "");
            }
            2 => {
                // Duplicate a line.
                let line_start = s[..at].rfind('\n').map_or(0, |i| i + 1);
                let line_end = s[at..].find('\n').map_or(s.len(), |i| at + i + 1);
                let line = s[line_start..line_end].to_string();
                s.insert_str(line_start, &line);
            }
            3 => s.truncate(at),
            4 => {
                let end = floor_char(&s, at + 1);
                let c = char::from_u32(rng.next() as u32 % 0x3000).unwrap_or('\u{fffd}');
                s.replace_range(at..end, &c.to_string());
            }
            _ => s.insert(at, '\n'),
        }
    }
    s
}

/// Text made of markup, quotes, references and Unicode (no control characters: YAML and
/// TOML refuse most of them, and the property is about what is accepted).
fn hostile_text(rng: &mut Rng) -> String {
    const PARTS: &[&str] = &[
        "<script>window.__pwned=1</script>",
        "</title>",
        "<img src=x onerror=alert(1)>",
        "\"",
        "'",
        "\\",
        "&amp;",
        "&lt;",
        "&#x3c;",
        "{{x}}",
        "${x}",
        "<!--",
        "-->",
        "]]>",
        "#",
        ":",
        ": ",
        " - ",
        "[",
        "]",
        "{",
        "}",
        ",",
        "|",
        ">",
        "*",
        "&",
        "!",
        "%",
        "@",
        "`",
        "=",
        "é",
        "日本語",
        "🚀",
        "\u{202e}",
        "\u{a0}",
        "Plain",
        "words",
        " ",
        "  ",
        "javascript:",
    ];
    let mut s = String::new();
    for _ in 0..1 + rng.below(12) {
        s.push_str(rng.pick(PARTS));
    }
    s
}

fn yaml_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn toml_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Checks the invariants of one parse; `Err` describes a broken one.
fn check(text: &str) -> Result<(), String> {
    let lines = text.lines().count() + 1;
    match parse_front_matter(text) {
        Ok(doc) => {
            let f = &doc.front;
            if f.title.is_empty() || f.title != collapse(&f.title) {
                return Err(format!("title {:?}", f.title));
            }
            for t in f.tags.iter().chain(&f.categories) {
                if t.is_empty() || t != &collapse(t) {
                    return Err(format!("term {t:?}"));
                }
            }
            if !text.ends_with(doc.body) {
                return Err("body is not the tail of the input".into());
            }
            if doc.body_line < 2 || doc.body_line > lines + 1 {
                return Err(format!("body line {} of {lines}", doc.body_line));
            }
            if let Some(i) = doc.warnings.iter().find(|i| i.line == 0 || i.line > lines) {
                return Err(format!(
                    "warning on line {} of {lines}: {}",
                    i.line, i.message
                ));
            }
            Ok(())
        }
        Err(issues) => {
            if !issues.iter().any(|i| i.severity == Severity::Error) {
                return Err(format!("Err without an error: {issues:?}"));
            }
            if let Some(i) = issues.iter().find(|i| i.line == 0 || i.line > lines) {
                return Err(format!(
                    "issue on line {} of {lines}: {}",
                    i.line, i.message
                ));
            }
            Ok(())
        }
    }
}

/// A post whose text fields are hostile text; they must come back exactly.
fn round_trip(rng: &mut Rng) -> Result<(), String> {
    // A letter first, so no value collapses to nothing.
    let title = format!("T{}", hostile_text(rng));
    let author = format!("A{}", hostile_text(rng));
    let tag = format!("t{}", hostile_text(rng));
    let category = format!("c{}", hostile_text(rng));
    let summary = format!("S{}", hostile_text(rng));
    let yaml = rng.chance(50);
    let text = if yaml {
        let q = yaml_quoted;
        format!(
            "---\ntitle: {}\ndate: 2024-01-01\nauthor: {}\ntags: [{}, plain]\ncategories:\n  - {}\nsummary: {}\n---\nBody.\n",
            q(&title),
            q(&author),
            q(&tag),
            q(&category),
            q(&summary)
        )
    } else {
        let q = toml_quoted;
        format!(
            "+++\ntitle = {}\ndate = 2024-01-01\nauthor = {}\ntags = [{}, \"plain\"]\ncategories = [{}]\nsummary = {}\n+++\nBody.\n",
            q(&title),
            q(&author),
            q(&tag),
            q(&category),
            q(&summary)
        )
    };
    let doc = parse_front_matter(&text).map_err(|e| format!("refused: {e:?}\n{text}"))?;
    let f = doc.front;
    let want = [
        ("title", Some(collapse(&title)), Some(f.title.clone())),
        ("author", Some(collapse(&author)), f.author.clone()),
        ("tag", Some(collapse(&tag)), f.tags.first().cloned()),
        (
            "category",
            Some(collapse(&category)),
            f.categories.first().cloned(),
        ),
        ("summary", Some(summary.clone()), f.summary.clone()),
    ];
    for (field, expected, got) in want {
        if expected != got {
            return Err(format!("{field} changed: {expected:?} → {got:?}\n{text}"));
        }
    }
    Ok(())
}

fn env_num(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// Runs `case` for the configured number of cases (or seconds) on a worker thread, with a
/// watchdog: an input that takes longer than a minute fails the test, named.
/// One case: the input it tried and whether the properties held.
type Case = fn(&mut Rng, &[String]) -> (String, Result<(), String>);

fn fuzz(name: &str, case: Case) {
    let cases = env_num("QUIRE_FUZZ_CASES").unwrap_or(5000);
    let budget = env_num("QUIRE_FUZZ_SECONDS").map(Duration::from_secs);
    let seed = env_num("QUIRE_FUZZ_SEED").unwrap_or(match budget {
        None => 0x5eed,
        Some(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64),
    });
    let seeds = seed_posts();
    let (tx, rx) = mpsc::channel::<Option<String>>();
    let started = Instant::now();
    let worker = std::thread::spawn(move || {
        let mut rng = Rng(seed);
        let mut n = 0u64;
        loop {
            let done = match budget {
                Some(b) => started.elapsed() >= b,
                None => n >= cases,
            };
            if done {
                break;
            }
            let mut case_rng = Rng(rng.next());
            let (input, result) = case(&mut case_rng, &seeds);
            if let Err(e) = result {
                panic!("case {n} (seed {seed}): {e}\ninput: {input:?}");
            }
            // Tell the watchdog the previous case finished (and which input is next).
            let _ = tx.send(Some(input));
            n += 1;
        }
        let _ = tx.send(None);
        n
    });
    let mut last = String::new();
    loop {
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(Some(input)) => last = input,
            Ok(None) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                panic!("{name}: one input ran for over a minute; the one after {last:?}")
            }
        }
    }
    match worker.join() {
        Ok(n) => println!(
            "{name}: {n} cases without a failure in {:.1} s (seed {seed})",
            started.elapsed().as_secs_f64()
        ),
        Err(e) => std::panic::resume_unwind(e),
    }
}

fn run(input: String) -> (String, Result<(), String>) {
    let r = check(&input);
    (input, r)
}

#[test]
fn arbitrary_bytes_never_panic() {
    fuzz("arbitrary bytes", |rng, _| run(arbitrary_bytes(rng)));
}

#[test]
fn assembled_yaml_and_toml_never_panic() {
    fuzz("assembled front matter", |rng, _| run(generated(rng)));
}

#[test]
fn mutated_posts_never_panic() {
    fuzz("mutated posts", |rng, seeds| run(mutated(rng, seeds)));
}

#[test]
fn text_fields_come_back_as_written() {
    fuzz("hostile text round trip", |rng, _| {
        (String::new(), round_trip(rng))
    });
}

#[test]
fn the_attack_corpus_parses_and_keeps_its_markup() {
    // The fixture's front matter is full of markup: the parser must take it as text.
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/hostile/posts");
    let read = |f: &str| std::fs::read_to_string(root.join(f)).unwrap();
    let text = read("08-front-matter-title.md");
    let doc = parse_front_matter(&text).expect("hostile post 08 parses");
    let f = doc.front;
    assert!(
        f.title
            .starts_with("</title><script>window.__pwned=1</script>"),
        "{}",
        f.title
    );
    assert!(f.title.ends_with("' onmouseover='alert(1)"), "{}", f.title);
    assert_eq!(f.tags[1], "</script><script>alert(1)</script>");
    assert_eq!(f.tags[2], "\" onfocus=\"window.__pwned=1\" autofocus=\"");
    assert_eq!(
        f.author.as_deref(),
        Some("<b onmouseover=window.__pwned=1>Mallory</b> </script><!--")
    );
    assert!(f.summary.unwrap().contains("summary-97"));
    let text = read("09-front-matter-entities.md");
    let f = parse_front_matter(&text)
        .expect("hostile post 09 parses")
        .front;
    assert_eq!(
        f.title,
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; <!-- ]]> --> &#60;img src=x onerror=alert(1)&#62;"
    );
    assert_eq!(
        f.slug.as_deref(),
        Some("../../<img src=x onerror=window.__pwned=1>")
    );
}
