//! `gen-corpus`: a synthetic blog in Quire's content format, the same bytes for the same
//! post count and seed on every machine.
//!
//! What it writes under the output folder:
//! - `site.toml` (title, description, default author, posts per page);
//! - `posts/YYYY-MM-DD-<slug>.md`, one per post: front matter (YAML between `---` lines,
//!   one post in twelve TOML between `+++` lines) with title, date (one in four with a
//!   time and an offset), tags, categories, author (one post in ten leaves it to
//!   site.toml), sometimes `updated` or `summary`; then about 2.5 KB of Markdown:
//!   paragraphs with emphasis, strong text, inline code and links, `##`/`###` headings,
//!   bulleted, numbered and task lists, fenced code (Rust, JavaScript, shell, Python, Go,
//!   YAML, TOML), tables, block quotes, footnotes and
//!   now and then a `<!--more-->` line;
//! - `corpus.stamp`, written last: the generator's format version, N and the seed, so a
//!   caller can reuse a folder that is complete ([`ensure`]).
//!
//! Tags, categories and authors are drawn with Zipf-like weights (rank r weighs 1/r), so
//! a few tags sit on many posts and most on few, as on real blogs: about three tags a
//! post from a pool of [`TAGS`], nearly all of them in use at 10,000 posts. Dates spread
//! evenly over twenty years from 2005.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// Changes whenever the output for a given N and seed changes; part of the stamp.
pub const FORMAT: &str = "quire-corpus 2";

/// Size of the tag pool.
pub const TAGS: usize = 300;

/// The categories, most used first.
pub const CATEGORIES: [&str; 8] = [
    "notes", "guides", "releases", "talks", "reviews", "work", "travel", "personal",
];

/// The authors, most prolific first; the first is site.toml's default author.
pub const AUTHORS: [&str; 5] = [
    "Maren Holt",
    "Tobias Quill",
    "Ines Varga",
    "Kwame Osei",
    "Lena Brightwater",
];

/// Name of the stamp file written last into a complete corpus.
pub const STAMP: &str = "corpus.stamp";

const WORDS: [&str; 96] = [
    "archive",
    "author",
    "browser",
    "bundle",
    "cache",
    "category",
    "chunk",
    "compile",
    "config",
    "content",
    "crate",
    "cursor",
    "deploy",
    "draft",
    "edge",
    "editor",
    "engine",
    "feed",
    "filter",
    "folder",
    "font",
    "footnote",
    "garden",
    "graph",
    "hash",
    "header",
    "heading",
    "history",
    "host",
    "image",
    "index",
    "inline",
    "journal",
    "kernel",
    "layout",
    "letter",
    "link",
    "list",
    "loader",
    "margin",
    "markdown",
    "memory",
    "menu",
    "module",
    "network",
    "notebook",
    "offline",
    "outline",
    "package",
    "page",
    "paper",
    "parser",
    "patch",
    "pixel",
    "plugin",
    "post",
    "preview",
    "query",
    "reader",
    "release",
    "render",
    "request",
    "route",
    "runtime",
    "sample",
    "schema",
    "script",
    "search",
    "server",
    "shell",
    "signal",
    "sitemap",
    "sketch",
    "slug",
    "source",
    "static",
    "storage",
    "stream",
    "style",
    "summary",
    "syntax",
    "table",
    "tag",
    "template",
    "terminal",
    "theme",
    "thread",
    "token",
    "toolchain",
    "typeface",
    "update",
    "version",
    "widget",
    "window",
    "workflow",
    "writer",
];

const VERBS: [&str; 24] = [
    "builds", "keeps", "moves", "reads", "writes", "checks", "splits", "joins", "caches", "loads",
    "sorts", "serves", "renders", "parses", "walks", "trims", "names", "hides", "shows", "tracks",
    "groups", "links", "counts", "drops",
];

const GLUE: [&str; 16] = [
    "the",
    "a",
    "every",
    "each",
    "one",
    "its",
    "our",
    "that",
    "this",
    "some",
    "no",
    "any",
    "their",
    "the first",
    "the last",
    "another",
];

const LINKS: [&str; 6] = [
    "https://example.org/",
    "https://example.com/notes/",
    "https://docs.example.net/",
    "https://blog.example.org/posts/",
    "/post/",
    "/tag/",
];

/// SplitMix64: small, fast and fixed forever, so a seed always gives the same corpus.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5851_f42d_4c95_7f2d)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        ((self.next() >> 11) % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `num / den`.
    fn chance(&mut self, num: usize, den: usize) -> bool {
        self.below(den) < num
    }

    fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }

    /// An index drawn with the given cumulative integer weights.
    fn weighted(&mut self, cumulative: &[u64]) -> usize {
        let total = *cumulative.last().expect("weights");
        let x = self.next() % total;
        cumulative.partition_point(|&c| c <= x)
    }
}

/// Cumulative Zipf weights (rank r weighs 1/r) for `n` ranks, in fixed-point integers so
/// every platform draws the same.
fn zipf(n: usize) -> Vec<u64> {
    let mut acc = 0;
    (1..=n as u64)
        .map(|r| {
            acc += 1_000_000_000 / r;
            acc
        })
        .collect()
}

fn cumulative(weights: &[u64]) -> Vec<u64> {
    let mut acc = 0;
    weights
        .iter()
        .map(|w| {
            acc += w;
            acc
        })
        .collect()
}

/// `(year, month, day)` of a day count since 1970-01-01 (proleptic Gregorian).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days from 1970-01-01 to 2005-01-01.
const START_DAY: i64 = 12_784;
/// Twenty years of days.
const SPAN_DAYS: i64 = 7_305;

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

struct Writer {
    rng: Rng,
    tag_names: Vec<String>,
    tag_weights: Vec<u64>,
    category_weights: Vec<u64>,
    author_weights: Vec<u64>,
    tags_per_post: Vec<u64>,
}

impl Writer {
    fn new(seed: u64) -> Writer {
        let mut rng = Rng::new(seed);
        let mut tag_names = Vec::with_capacity(TAGS);
        let mut seen = std::collections::HashSet::new();
        while tag_names.len() < TAGS {
            let name = if rng.chance(1, 3) {
                rng.pick(&WORDS).to_string()
            } else {
                format!("{}-{}", rng.pick(&WORDS), rng.pick(&WORDS))
            };
            if seen.insert(name.clone()) {
                tag_names.push(name);
            }
        }
        Writer {
            rng,
            tag_names,
            tag_weights: zipf(TAGS),
            category_weights: zipf(CATEGORIES.len()),
            author_weights: zipf(AUTHORS.len()),
            // 1 to 6 tags, mean about 3.
            tags_per_post: cumulative(&[2, 4, 4, 3, 1, 1]),
        }
    }

    fn word(&mut self) -> &'static str {
        self.rng.pick(&WORDS)
    }

    /// One inline-marked-up phrase: plain, **strong**, *emphasis*, `code`, a link.
    fn phrase(&mut self, out: &mut String) {
        let w = self.word();
        match self.rng.below(60) {
            0..=2 => write!(out, "**{w}**"),
            3..=5 => write!(out, "*{w}*"),
            6..=7 => write!(out, "`{w}()`"),
            8..=9 => {
                let base = self.rng.pick(&LINKS);
                write!(out, "[{w}]({base}{w})")
            }
            10 => write!(out, "~~{w}~~"),
            _ => write!(out, "{w}"),
        }
        .expect("write to String");
    }

    fn sentence(&mut self, out: &mut String) {
        let start = out.len();
        let words = self.rng.range(7, 16);
        let verb_at = self.rng.range(1, 3);
        for i in 0..words {
            if i > 0 {
                out.push(' ');
            }
            if i == verb_at {
                out.push_str(self.rng.pick(&VERBS));
                out.push(' ');
                out.push_str(self.rng.pick(&GLUE));
            } else {
                self.phrase(out);
            }
            if i + 1 < words && self.rng.chance(1, 14) {
                out.push(',');
            }
        }
        // Capitalise the first letter if the sentence opens with a plain word.
        if out[start..].starts_with(|c: char| c.is_ascii_lowercase()) {
            let first = out[start..start + 1].to_ascii_uppercase();
            out.replace_range(start..start + 1, &first);
        }
        out.push(if self.rng.chance(1, 12) { '?' } else { '.' });
    }

    fn paragraph(&mut self, out: &mut String) {
        for i in 0..self.rng.range(2, 5) {
            if i > 0 {
                out.push(' ');
            }
            self.sentence(out);
        }
        out.push_str("\n\n");
    }

    fn heading_text(&mut self) -> String {
        let n = self.rng.range(2, 6);
        let words: Vec<&str> = (0..n).map(|_| self.word()).collect();
        capitalize(&words.join(" "))
    }

    fn block(&mut self, out: &mut String, footnote: &mut usize) {
        match self.rng.below(20) {
            0..=3 => {
                for _ in 0..self.rng.range(2, 5) {
                    out.push_str("- ");
                    self.sentence(out);
                    out.push('\n');
                }
                out.push('\n');
            }
            4..=5 => {
                for i in 1..=self.rng.range(2, 5) {
                    write!(out, "{i}. ").expect("write to String");
                    self.sentence(out);
                    out.push('\n');
                }
                out.push('\n');
            }
            6 => {
                for _ in 0..self.rng.range(2, 4) {
                    let mark = if self.rng.chance(1, 2) { 'x' } else { ' ' };
                    let w = self.heading_text();
                    writeln!(out, "- [{mark}] {w}").expect("write to String");
                }
                out.push('\n');
            }
            7..=9 => self.code(out),
            10..=11 => {
                let (a, b) = (self.word(), self.word());
                writeln!(out, "| {a} | {b} | count |\n| --- | :---: | ---: |")
                    .expect("write to String");
                for _ in 0..self.rng.range(2, 5) {
                    let (x, y, n) = (self.word(), self.word(), self.rng.range(1, 9999));
                    writeln!(out, "| {x} | `{y}` | {n} |").expect("write to String");
                }
                out.push('\n');
            }
            12..=13 => {
                for _ in 0..self.rng.range(1, 2) {
                    out.push_str("> ");
                    self.sentence(out);
                    out.push('\n');
                }
                out.push('\n');
            }
            14 => {
                *footnote += 1;
                let n = *footnote;
                self.sentence(out);
                out.pop();
                write!(out, ".[^{n}]\n\n[^{n}]: ").expect("write to String");
                self.sentence(out);
                out.push_str("\n\n");
            }
            15..=16 => {
                let h = self.heading_text();
                writeln!(out, "### {h}\n").expect("write to String");
                self.paragraph(out);
            }
            _ => {}
        }
    }

    fn code(&mut self, out: &mut String) {
        let (a, b, c) = (self.word(), self.word(), self.word());
        let n = self.rng.range(1, 99);
        match self.rng.below(7) {
            0 => write!(
                out,
                "```rust\nfn {a}_{b}(items: &[&str]) -> usize {{\n    items.iter().filter(|s| s.contains(\"{c}\")).count() + {n}\n}}\n```\n\n"
            ),
            1 => write!(
                out,
                "```js\nconst {a} = await fetch('/data/{b}.json');\nconsole.log({a}.status, '{c}', {n});\n```\n\n"
            ),
            2 => write!(
                out,
                "```sh\nquire build --content {a}/ --out {b}/\nls {b}/{c} | wc -l   # {n}\n```\n\n"
            ),
            3 => write!(
                out,
                "```python\ndef {a}_{b}(items):\n    # keep the {c} ones\n    return [i for i in items if \"{c}\" in i][:{n}]\n```\n\n"
            ),
            4 => write!(
                out,
                "```go\nfunc {a}(items []string) int {{\n\treturn len(items) + {n} // {b}\n}}\n```\n\n"
            ),
            5 => write!(
                out,
                "```yaml\n{a}:\n  {b}: \"{c}\"\n  limit: {n}\n  enabled: true\n```\n\n"
            ),
            _ => write!(
                out,
                "```toml\n[{a}]\n{b} = \"{c}\"\nlimit = {n}\n```\n\n"
            ),
        }
        .expect("write to String");
    }

    /// One post's file name and text.
    fn post(&mut self, i: usize, n: usize) -> (String, String) {
        let day = START_DAY + (i as i64 * SPAN_DAYS) / n.max(1) as i64;
        let (y, m, d) = civil(day);
        let day_text = format!("{y:04}-{m:02}-{d:02}");
        let date = if self.rng.chance(1, 4) {
            let offset = self
                .rng
                .pick(&["Z", "+01:00", "-05:00", "+09:00", "+05:30"]);
            format!(
                "{day_text}T{:02}:{:02}:00{offset}",
                self.rng.range(6, 22),
                self.rng.below(60)
            )
        } else {
            day_text.clone()
        };
        let title_words: Vec<&str> = (0..self.rng.range(3, 7)).map(|_| self.word()).collect();
        let title = format!("{} {}", capitalize(&title_words.join(" ")), i + 1);
        let slug = format!("{}-{}", title_words.join("-"), i + 1);

        let k = self.rng.weighted(&self.tags_per_post) + 1;
        let mut tags: Vec<&str> = (0..k)
            .map(|_| self.tag_names[self.rng.weighted(&self.tag_weights)].as_str())
            .collect();
        tags.sort_unstable();
        tags.dedup();
        let tags: Vec<String> = tags.into_iter().map(str::to_string).collect();
        let category = CATEGORIES[self.rng.weighted(&self.category_weights)];
        let author =
            (!self.rng.chance(1, 10)).then(|| AUTHORS[self.rng.weighted(&self.author_weights)]);
        let updated = self.rng.chance(1, 10).then(|| {
            let (y, m, d) = civil(day + self.rng.range(1, 400) as i64);
            format!("{y:04}-{m:02}-{d:02}")
        });
        let summary = self.rng.chance(1, 20).then(|| {
            let mut s = String::new();
            self.sentence(&mut s);
            s.replace(['*', '`', '[', ']', '~'], "")
        });

        let mut body = String::with_capacity(4096);
        self.paragraph(&mut body);
        if self.rng.chance(3, 20) {
            body.push_str("<!--more-->\n\n");
        }
        let mut footnote = 0;
        for _ in 0..self.rng.range(2, 4) {
            let h = self.heading_text();
            writeln!(body, "## {h}\n").expect("write to String");
            self.paragraph(&mut body);
            self.block(&mut body, &mut footnote);
            if self.rng.chance(1, 3) {
                self.paragraph(&mut body);
            }
        }

        let quote = |s: &str| format!("\"{s}\"");
        let mut text = String::with_capacity(body.len() + 300);
        if self.rng.chance(1, 12) {
            let list = |v: &[String]| v.iter().map(|s| quote(s)).collect::<Vec<_>>().join(", ");
            text.push_str("+++\n");
            writeln!(text, "title = {}", quote(&title)).expect("write to String");
            writeln!(text, "date = {date}").expect("write to String");
            if let Some(u) = &updated {
                writeln!(text, "updated = {u}").expect("write to String");
            }
            writeln!(text, "tags = [{}]", list(&tags)).expect("write to String");
            writeln!(text, "categories = [{}]", quote(category)).expect("write to String");
            if let Some(a) = author {
                writeln!(text, "author = {}", quote(a)).expect("write to String");
            }
            if let Some(s) = &summary {
                writeln!(text, "summary = {}", quote(s)).expect("write to String");
            }
            text.push_str("+++\n\n");
        } else {
            text.push_str("---\n");
            writeln!(text, "title: {}", quote(&title)).expect("write to String");
            writeln!(text, "date: {date}").expect("write to String");
            if let Some(u) = &updated {
                writeln!(text, "updated: {u}").expect("write to String");
            }
            if self.rng.chance(1, 3) {
                text.push_str("tags:\n");
                for t in &tags {
                    writeln!(text, "  - {t}").expect("write to String");
                }
            } else {
                writeln!(text, "tags: [{}]", tags.join(", ")).expect("write to String");
            }
            writeln!(text, "categories: [{category}]").expect("write to String");
            if let Some(a) = author {
                writeln!(text, "author: {a}").expect("write to String");
            }
            if let Some(s) = &summary {
                writeln!(text, "summary: {}", quote(s)).expect("write to String");
            }
            text.push_str("---\n\n");
        }
        text.push_str(&body);
        (format!("{day_text}-{slug}.md"), text)
    }
}

/// What [`generate`] wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub posts: usize,
    pub bytes: u64,
    /// Distinct tags used.
    pub tags: usize,
    /// Tag uses over all posts.
    pub tag_uses: usize,
}

fn stamp_text(n: usize, seed: u64) -> String {
    format!("{FORMAT}\nposts {n}\nseed {seed}\n")
}

/// Writes a corpus of `n` posts from `seed` into `dir`, which must be missing or empty.
pub fn generate(n: usize, seed: u64, dir: &Path) -> io::Result<Summary> {
    if dir.exists() && fs::read_dir(dir)?.next().is_some() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} is not empty", dir.display()),
        ));
    }
    let posts = dir.join("posts");
    fs::create_dir_all(&posts)?;
    fs::write(
        dir.join("site.toml"),
        format!(
            "title = \"Synthetic Blog\"\ndescription = \"{n} generated posts (seed {seed}) for Quire's tests and benchmarks\"\nauthor = \"{}\"\nposts_per_page = 10\n",
            AUTHORS[0]
        ),
    )?;
    let mut w = Writer::new(seed);
    let mut summary = Summary::default();
    let mut used = std::collections::HashSet::new();
    for i in 0..n {
        let (name, text) = w.post(i, n);
        for line in text.lines().skip(1) {
            if let Some(t) = line.strip_prefix("  - ") {
                used.insert(t.to_string());
                summary.tag_uses += 1;
            } else if let Some(list) = line
                .strip_prefix("tags: [")
                .or_else(|| line.strip_prefix("tags = ["))
            {
                for t in list.trim_end_matches(']').split(", ") {
                    used.insert(t.trim_matches('"').to_string());
                    summary.tag_uses += 1;
                }
            } else if line == "---" || line == "+++" {
                break;
            }
        }
        summary.bytes += text.len() as u64;
        fs::write(posts.join(name), text)?;
    }
    summary.posts = n;
    summary.tags = used.len();
    fs::write(dir.join(STAMP), stamp_text(n, seed))?;
    Ok(summary)
}

/// Makes `dir` hold the corpus of `n` posts from `seed`: kept as it is when its stamp says
/// so, else generated afresh (into a sibling folder first, then renamed into place, so a
/// run cut short never leaves a half corpus that looks complete). Returns whether it
/// generated.
pub fn ensure(n: usize, seed: u64, dir: &Path) -> io::Result<bool> {
    if fs::read_to_string(dir.join(STAMP)).is_ok_and(|s| s == stamp_text(n, seed)) {
        return Ok(false);
    }
    let parent = dir.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    let name = dir
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "corpus".into());
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let _ = fs::remove_dir_all(&tmp);
    generate(n, seed, &tmp)?;
    if dir.exists() {
        fs::remove_dir_all(dir)?;
    }
    match fs::rename(&tmp, dir) {
        Ok(()) => Ok(true),
        // Another process put a complete corpus there first: keep theirs.
        Err(_) if fs::read_to_string(dir.join(STAMP)).is_ok_and(|s| s == stamp_text(n, seed)) => {
            let _ = fs::remove_dir_all(&tmp);
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(START_DAY), (2005, 1, 1));
        assert_eq!(civil(START_DAY + SPAN_DAYS), (2025, 1, 1));
        assert_eq!(civil(19_782), (2024, 2, 29));
        assert_eq!(civil(-1), (1969, 12, 31));
    }

    #[test]
    fn zipf_favours_low_ranks() {
        let w = zipf(TAGS);
        let mut rng = Rng::new(1);
        let mut counts = vec![0usize; TAGS];
        for _ in 0..30_000 {
            counts[rng.weighted(&w)] += 1;
        }
        // Rank 1 weighs twice rank 2 and ten times rank 10, give or take sampling noise.
        let ratio = |a: usize, b: usize| counts[a] as f64 / counts[b] as f64;
        assert!((1.6..2.5).contains(&ratio(0, 1)), "{counts:?}");
        assert!((6.0..15.0).contains(&ratio(0, 9)), "{counts:?}");
        assert!(counts.iter().filter(|&&c| c > 0).count() > TAGS * 9 / 10);
    }

    #[test]
    fn same_seed_same_posts_other_seed_other_posts() {
        let run = |seed| {
            let mut w = Writer::new(seed);
            (0..50).map(|i| w.post(i, 50)).collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
    }

    #[test]
    fn posts_carry_every_markdown_kind() {
        let mut w = Writer::new(3);
        let all: String = (0..300).map(|i| w.post(i, 300).1).collect();
        for needle in [
            "\n## ",
            "\n### ",
            "\n- ",
            "\n1. ",
            "- [x] ",
            "```rust",
            "| --- |",
            "\n> ",
            "[^1]: ",
            "**",
            "*",
            "`",
            "](https://",
            "<!--more-->",
            "\n+++\n",
            "\n---\n",
            "updated:",
            "summary:",
            "T",
            "+01:00",
        ] {
            assert!(all.contains(needle), "no {needle:?} in 300 posts");
        }
    }

    #[test]
    fn file_names_are_dated_and_unique() {
        let mut w = Writer::new(7);
        let names: Vec<String> = (0..2000).map(|i| w.post(i, 2000).0).collect();
        let set: std::collections::HashSet<_> = names.iter().collect();
        assert_eq!(set.len(), names.len());
        assert!(names[0].starts_with("2005-01-01-"), "{}", names[0]);
        assert!(names[1999].starts_with("2024-12-"), "{}", names[1999]);
    }

    #[test]
    fn generate_then_ensure_reuses() {
        let tmp = std::env::temp_dir().join(format!("quire-devtools-{}", std::process::id()));
        let _ = fs::remove_dir_all(&tmp);
        let dir = tmp.join("c");
        assert!(ensure(40, 5, &dir).unwrap());
        assert_eq!(fs::read_dir(dir.join("posts")).unwrap().count(), 40);
        assert!(dir.join("site.toml").is_file());
        assert!(
            !ensure(40, 5, &dir).unwrap(),
            "an up-to-date corpus is kept"
        );
        assert!(ensure(41, 5, &dir).unwrap(), "another size regenerates");
        assert_eq!(fs::read_dir(dir.join("posts")).unwrap().count(), 41);
        assert!(
            generate(3, 1, &dir).is_err(),
            "generate never writes over files"
        );
        fs::remove_dir_all(&tmp).unwrap();
    }
}
