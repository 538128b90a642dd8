//! `quire import wordpress` on exports written as a hostile server (or a careless one)
//! would write them: what WordPress kept private stays unpublished, look-alike logins stay
//! apart, and no export makes the importer overflow its stack, grow quadratically or
//! outgrow the memory cap. Every run goes through `quire_limited` (1 GiB of address
//! space, a time limit the old importer exceeded), and a refusal is `export.xml:LINE:
//! error: …`, exit 1, with nothing written.

use crate::common::*;
use std::fs;
use std::path::{Path, PathBuf};

const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<rss version=\"2.0\" xmlns:excerpt=\"http://wordpress.org/export/1.2/excerpt/\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:wp=\"http://wordpress.org/export/1.2/\">\n<channel>\n<title>Hostile</title>\n<link>https://old.example.org</link>\n<wp:wxr_version>1.2</wp:wxr_version>\n";
const TAIL: &str = "</channel>\n</rss>\n";

/// One `<item>`.
#[derive(Clone)]
struct Item {
    id: u32,
    title: String,
    kind: &'static str,
    status: &'static str,
    password: &'static str,
    creator: &'static str,
    content: String,
    excerpt: &'static str,
}

impl Item {
    fn post(id: u32, title: &str, content: &str) -> Item {
        Item {
            id,
            title: title.into(),
            kind: "post",
            status: "publish",
            password: "",
            creator: "ada",
            content: content.into(),
            excerpt: "",
        }
    }

    fn xml(&self) -> String {
        let slug = self.title.to_lowercase().replace(' ', "-");
        format!(
            "<item>\n<title><![CDATA[{title}]]></title>\n<link>https://old.example.org/{slug}/</link>\n<dc:creator><![CDATA[{creator}]]></dc:creator>\n<content:encoded><![CDATA[{content}]]></content:encoded>\n<excerpt:encoded><![CDATA[{excerpt}]]></excerpt:encoded>\n<wp:post_id>{id}</wp:post_id>\n<wp:post_date_gmt>2020-01-{day:02} 10:00:00</wp:post_date_gmt>\n<wp:post_name>{slug}</wp:post_name>\n<wp:status>{status}</wp:status>\n<wp:post_type>{kind}</wp:post_type>\n<wp:post_password><![CDATA[{password}]]></wp:post_password>\n</item>\n",
            title = self.title,
            creator = self.creator,
            content = self.content,
            excerpt = self.excerpt,
            id = self.id,
            day = 1 + self.id % 28,
            status = self.status,
            kind = self.kind,
            password = self.password,
        )
    }
}

fn author(login: &str, name: &str) -> String {
    format!(
        "<wp:author><wp:author_login><![CDATA[{login}]]></wp:author_login><wp:author_display_name><![CDATA[{name}]]></wp:author_display_name></wp:author>\n"
    )
}

fn export(authors: &[String], items: &[Item]) -> String {
    let mut s = String::from(HEAD);
    if authors.is_empty() {
        s.push_str(&author("ada", "Ada"));
    }
    for a in authors {
        s.push_str(a);
    }
    for i in items {
        s.push_str(&i.xml());
    }
    s.push_str(TAIL);
    s
}

/// A scratch folder, in memory where there is one (timings are steadier there).
fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        tempfile::tempdir_in(shm).unwrap()
    } else {
        tempfile::tempdir().unwrap()
    }
}

/// `quire import wordpress <dir>/export.xml --out <dir>/<out>` under the memory cap.
fn import(dir: &Path, text: &str, out: &str, seconds: u64) -> (Limited, PathBuf) {
    let export = dir.join("export.xml");
    fs::write(&export, text).unwrap();
    let out = dir.join(out);
    let l = quire_limited(
        &[
            "import",
            "wordpress",
            export.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        HOSTILE_MEMORY_CAP,
        seconds,
    );
    (l, out)
}

/// Ended by itself, without a signal or a panic.
fn finished(l: &Limited, what: &str) {
    let err = stderr(&l.output);
    assert!(
        !l.timed_out,
        "{what}: still running after {:.1} s\n{err}",
        l.seconds
    );
    assert!(
        l.output.status.code().is_some(),
        "{what}: killed by a signal ({:?}), e.g. a stack overflow or the memory cap\n{err}",
        l.output.status
    );
    assert!(!err.contains("panicked"), "{what}: {err}");
}

fn imported(l: &Limited, what: &str) -> String {
    finished(l, what);
    assert!(l.output.status.success(), "{what}: {}", stderr(&l.output));
    String::from_utf8_lossy(&l.output.stdout).into_owned()
}

/// Refused with exactly `export.xml:<line>: error: <start>…; nothing was written`, and
/// nothing written.
fn refused(l: &Limited, out: &Path, line: usize, start: &str) {
    finished(l, start);
    let err = stderr(&l.output);
    assert_eq!(l.output.status.code(), Some(1), "{err}");
    let export = out.parent().unwrap().join("export.xml");
    let want = format!("{}:{line}: error: {start}", export.display());
    assert!(
        err.lines()
            .any(|e| e.starts_with(&want) && e.ends_with("; nothing was written")),
        "want {want}…\n{err}"
    );
    assert!(!out.exists(), "a refused import wrote {}", out.display());
    let leftovers = fs::read_dir(out.parent().unwrap())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("import-tmp"))
        .count();
    assert_eq!(leftovers, 0);
}

fn quire_ok(args: &[&str]) -> String {
    let l = quire_limited(args, HOSTILE_MEMORY_CAP, 60);
    finished(&l, &args.join(" "));
    let err = stderr(&l.output);
    assert!(l.output.status.success(), "{args:?}: {err}");
    err
}

fn check(content: &Path) -> String {
    quire_ok(&["check", "--content", content.to_str().unwrap()])
}

fn build(content: &Path, out: &Path, extra: &[&str]) -> quire_core::Index {
    let mut args = vec![
        "build",
        "--content",
        content.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    quire_ok(&args);
    let text = fs::read_to_string(out.join("data/index.json")).unwrap();
    quire_core::Index::from_json(&text).unwrap()
}

/// Every file under `dir`, with its text (lossy).
fn all_files(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let text = String::from_utf8_lossy(&fs::read(&p).unwrap()).into_owned();
                out.push((p, text));
            }
        }
    }
    out
}

/// The front matter of a written file, line by line.
fn front(dir: &Path, rel: &str) -> Vec<String> {
    let text = fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    text.lines()
        .skip(1)
        .take_while(|l| *l != "---")
        .map(str::to_string)
        .collect()
}

/// One timed import of `text` (the child's wall time), checked to finish and succeed.
fn timed(dir: &Path, text: &str, seconds: u64) -> f64 {
    let (l, out) = import(dir, text, "timed", seconds);
    imported(&l, "timed run");
    fs::remove_dir_all(out).unwrap();
    l.seconds
}

/// Twice the input takes at most about twice the time: at most 3× (and 0.2 s) more, a
/// margin a busy machine needs; a quadratic pass takes 4×.
fn assert_linear(what: &str, small: &str, large: &str, seconds: u64) {
    assert_at_most(what, small, large, 3.0, seconds);
}

/// `text` takes at most `factor` times (and 0.2 s more than) what `base` takes. The two
/// run in turn and the fastest of each counts, three rounds or, while the check fails
/// (a busy moment), up to six.
fn assert_at_most(what: &str, base: &str, text: &str, factor: f64, seconds: u64) {
    let dir = scratch();
    let (mut t1, mut t2) = (f64::MAX, f64::MAX);
    for round in 1..=6 {
        t1 = t1.min(timed(dir.path(), base, seconds));
        t2 = t2.min(timed(dir.path(), text, seconds));
        if round >= 3 && t2 <= factor * t1 + 0.2 {
            eprintln!(
                "{what}: {t1:.3} s for {} bytes, {t2:.3} s for {} bytes",
                base.len(),
                text.len()
            );
            return;
        }
    }
    panic!(
        "{what}: {t1:.3} s for {} bytes, {t2:.3} s for {} bytes: more than {factor}×",
        base.len(),
        text.len()
    );
}

/// Class 2: a password-protected item or a private one is a draft whatever its status,
/// is listed in the report, and a build leaves it out; the password is written nowhere.
#[test]
fn private_and_password_protected_items_become_unpublished_drafts() {
    let tmp = scratch();
    let open = Item::post(1, "Open post", "OPEN-BODY");
    let locked = Item {
        password: "hunter2-PASSWORD",
        excerpt: "LOCKED-EXCERPT",
        ..Item::post(2, "Locked post", "LOCKED-BODY")
    };
    let private = Item {
        status: "private",
        ..Item::post(3, "Private post", "PRIVATE-BODY")
    };
    let future = Item {
        status: "future",
        password: "hunter2-PASSWORD",
        ..Item::post(4, "Future locked", "FUTURE-BODY")
    };
    let page = Item {
        kind: "page",
        password: "hunter2-PASSWORD",
        ..Item::post(5, "Team page", "PAGE-BODY")
    };
    let text = export(&[], &[open, locked, private, future, page]);
    let (l, content) = import(tmp.path(), &text, "blog", 30);
    let report = imported(&l, "import");

    for part in [
        "posts: 1 published, 3 drafts; pages: 1; private in WordPress: 4 (imported as drafts, listed below);",
        "Private in WordPress, imported as drafts (quire build leaves drafts out; no password is copied):\n  posts/2020-01-03-locked-post.md (password-protected)\n  posts/2020-01-04-private-post.md (private)\n  posts/2020-01-05-future-locked.md (password-protected)\n  pages/team-page.md (password-protected)\n",
        "/?p=1  →  /post/open-post",
    ] {
        assert!(report.contains(part), "{part:?} not in:\n{report}");
    }
    for id in [2, 3, 4, 5] {
        assert!(!report.contains(&format!("/?p={id} ")), "{report}");
    }
    for rel in [
        "posts/2020-01-03-locked-post.md",
        "posts/2020-01-04-private-post.md",
        "posts/2020-01-05-future-locked.md",
        "pages/team-page.md",
    ] {
        let fm = front(&content, rel);
        assert!(fm.iter().any(|l| l == "draft: true"), "{rel}: {fm:?}");
    }
    assert!(
        !front(&content, "posts/2020-01-02-open-post.md")
            .iter()
            .any(|l| l.starts_with("draft")),
    );
    let stdout_and_files = all_files(&content)
        .into_iter()
        .map(|(_, t)| t)
        .chain([report.clone(), stderr(&l.output)]);
    for t in stdout_and_files {
        assert!(!t.contains("hunter2"), "the password was written:\n{t}");
    }

    let err = check(&content);
    assert!(err.contains("4 post files, 0 errors"), "{err}");
    let dist = tmp.path().join("dist");
    let index = build(&content, &dist, &[]);
    let slugs: Vec<&str> = index.posts.iter().map(|p| p.slug.as_str()).collect();
    assert_eq!(slugs, ["open-post"]);
    let files = all_files(&dist);
    assert!(files.iter().any(|(_, t)| t.contains("OPEN-BODY")));
    for (path, t) in &files {
        for secret in [
            "LOCKED",
            "Locked post",
            "PRIVATE-BODY",
            "Private post",
            "FUTURE-BODY",
            "hunter2",
        ] {
            assert!(
                !t.contains(secret),
                "{secret} published in {}",
                path.display()
            );
        }
    }
    // They are ordinary drafts: `--drafts` shows them.
    let index = build(&content, &tmp.path().join("drafts"), &["--drafts"]);
    assert_eq!(index.posts.len(), 4);
}

/// Class 3: logins whose slugs are equal (`john.doe`, `john_doe`) stay two authors with
/// their own names; the later one gets the next free number, never another login's slug.
#[test]
fn look_alike_logins_stay_two_authors() {
    let tmp = scratch();
    let by = |id, title: &str, creator| Item {
        creator,
        ..Item::post(id, title, "text")
    };
    let text = export(
        &[
            author("john.doe", "John Dot"),
            author("john_doe", "John Under"),
            author("john-doe-2", "Real Two"),
        ],
        &[
            by(1, "By dot", "john.doe"),
            by(2, "By underscore", "john_doe"),
            by(3, "By real two", "john-doe-2"),
            by(4, "By nobody listed", "John..Doe"),
        ],
    );
    let (l, content) = import(tmp.path(), &text, "blog", 30);
    let report = imported(&l, "import");
    let site = fs::read_to_string(content.join("site.toml")).unwrap();
    for part in [
        "[authors.\"john-doe\"]\nname = \"John Dot\"",
        "[authors.\"john-doe-2\"]\nname = \"Real Two\"",
        "[authors.\"john-doe-3\"]\nname = \"John Under\"",
        "[authors.\"john-doe-4\"]\nname = \"John..Doe\"",
    ] {
        assert!(site.contains(part), "{part:?} not in:\n{site}");
    }
    for part in [
        "author login \"john_doe\" (John Under) is /author/john-doe-3 here, since /author/john-doe is another author's (login \"john.doe\"); its old address /author/john_doe/ no longer leads to its posts",
        "author login \"John..Doe\" (John..Doe) is /author/john-doe-4 here",
        "author login \"john.doe\" (John Dot) has the address /author/john-doe",
    ] {
        assert!(report.contains(part), "{part:?} not in:\n{report}");
    }
    assert!(
        front(&content, "posts/2020-01-03-by-underscore.md")
            .contains(&"author: \"john-doe-3\"".to_string())
    );

    let err = check(&content);
    assert!(err.contains("0 errors, 0 warnings"), "{err}");
    let dist = tmp.path().join("dist");
    let index = build(&content, &dist, &[]);
    let mut by_post: Vec<(&str, &str, &str)> = index
        .posts
        .iter()
        .map(|p| {
            let a = &index.authors[p.author as usize];
            (p.slug.as_str(), a.slug.as_str(), a.name.as_str())
        })
        .collect();
    by_post.sort();
    assert_eq!(
        by_post,
        [
            ("by-dot", "john-doe", "John Dot"),
            ("by-nobody-listed", "john-doe-4", "John..Doe"),
            ("by-real-two", "john-doe-2", "Real Two"),
            ("by-underscore", "john-doe-3", "John Under"),
        ]
    );
    for slug in ["john-doe", "john-doe-2", "john-doe-3", "john-doe-4"] {
        assert!(
            dist.join(format!("author/{slug}/index.html")).is_file(),
            "{slug}"
        );
    }
}

/// Class 5: an export nested 30,000 elements deep overflowed the XML parser's stack.
#[test]
fn an_export_nested_30000_deep_is_refused_at_its_line() {
    let tmp = scratch();
    let n = 30_000;
    let text = format!(
        "{HEAD}{}<item>\n<title>Deep</title>\n<content:encoded>{}x{}</content:encoded>\n</item>\n{TAIL}",
        author("ada", "Ada"),
        "<div>".repeat(n),
        "</div>".repeat(n)
    );
    let (l, out) = import(tmp.path(), &text, "blog", 20);
    // rss, channel, item, content:encoded, then 96 divs: the 97th is one too many.
    let line = HEAD.lines().count() + 4;
    refused(
        &l,
        &out,
        line,
        "elements nest deeper than 100; a WordPress export nests about 6 levels",
    );
}

/// Class 6: an internal DTD entity of 50 KB used 2,000 times took 25 s and 400 MB.
/// WordPress never writes a DTD, so one is refused before anything expands.
#[test]
fn a_dtd_is_refused_before_its_entities_expand() {
    let tmp = scratch();
    let text = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<!DOCTYPE rss [\n<!ENTITY big \"{}\">\n]>\n{}{}<item><title>Bomb</title><content:encoded>{}</content:encoded><wp:post_id>1</wp:post_id><wp:post_date_gmt>2020-01-01 10:00:00</wp:post_date_gmt><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>\n{TAIL}",
        "A".repeat(50_000),
        &HEAD[HEAD.find('\n').unwrap() + 1..],
        author("ada", "Ada"),
        "&big;".repeat(2_000)
    );
    let (l, out) = import(tmp.path(), &text, "blog", 10);
    refused(
        &l,
        &out,
        2,
        "the export declares a DTD (<!DOCTYPE …>); WordPress exports have none, so quire does not read it",
    );
    // An empty one too: there is nothing a WordPress export needs from it.
    let text = text
        .replacen("<!DOCTYPE rss [", "<!DOCTYPE rss>\n<!--", 1)
        .replacen("]>", "-->", 1);
    let (l, out) = import(tmp.path(), &text, "blog", 10);
    refused(&l, &out, 2, "the export declares a DTD");
}

/// Class 6: roxmltree copies the namespaces in scope into each element that declares
/// one more, comparing each with the others (30,000 declared on `<rss>` and 20 such
/// elements, 640 KB, took 27 s), and compares each attribute of an element with those
/// before it (one element with 100,000 attributes, 1 MB, took 22 s). More than 50
/// namespaces in scope (WordPress declares 6) or 100 attributes on an element are
/// refused where they pass the limit.
#[test]
fn thousands_of_namespaces_or_attributes_are_refused_at_their_element() {
    let tmp = scratch();
    // 90 levels of 99 declarations each (an element may have 100 attributes), then 200
    // elements that declare one more.
    let level = |k: usize| -> String {
        (0..99)
            .map(|i| format!(" xmlns:l{k}n{i}=\"urn:{k}:{i}\""))
            .collect()
    };
    let text = format!(
        "{HEAD}{}<item><title>N</title>{}{}{}</item>\n{TAIL}",
        author("ada", "Ada"),
        (0..90)
            .map(|k| format!("<x{}>\n", level(k)))
            .collect::<String>(),
        "<b xmlns:z=\"urn:z\"/>".repeat(200),
        "</x>".repeat(90)
    );
    let (l, out) = import(tmp.path(), &text, "blog", 10);
    refused(
        &l,
        &out,
        HEAD.lines().count() + 2,
        "more than 50 XML namespaces are declared around this element; a WordPress export declares about 6",
    );
    let attributes: String = (0..100_000).map(|i| format!(" a{i}=\"\"")).collect();
    let text = export(&[], &[Item::post(1, "Attributes", "x")]).replacen(
        "<title><![CDATA[Attributes",
        &format!("<title{attributes}><![CDATA[Attributes"),
        1,
    );
    let (l, out) = import(tmp.path(), &text, "blog", 10);
    refused(
        &l,
        &out,
        HEAD.lines().count() + 3,
        "an element has more than 100 attributes; those of a WordPress export have a few at most",
    );
}

/// Class 6: `[a ]`×100,000 took ~20 s (each bracket searched the rest of the text for
/// its closing shortcode); brackets that never close, and captions, are one pass too.
#[test]
fn shortcode_brackets_are_read_in_linear_time() {
    let tmp = scratch();
    let one = |content: String| export(&[], &[Item::post(1, "Brackets", &content)]);
    let text = one("[a ]".repeat(100_000));
    let (l, content) = import(tmp.path(), &text, "blog", 15);
    imported(&l, "[a ]×100,000");
    let body = fs::read_to_string(content.join("posts/2020-01-02-brackets.md")).unwrap();
    assert!(
        body.contains(&"\\[a \\]".repeat(100)),
        "the brackets stay as text"
    );
    let err = check(&content);
    assert!(err.contains("1 post file, 0 errors"), "{err}");

    assert_linear(
        "[a ]",
        &one("[a ]".repeat(100_000)),
        &one("[a ]".repeat(200_000)),
        15,
    );
    assert_linear(
        "[a without ]",
        &one("[a ".repeat(100_000)),
        &one("[a ".repeat(200_000)),
        15,
    );
    assert_linear(
        "[caption]",
        &one("[caption]x[/caption]".repeat(10_000)),
        &one("[caption]x[/caption]".repeat(20_000)),
        30,
    );
}

/// Class 5 and 6: nested `<div>`s made the HTML parser quadratic (it walks the open
/// elements at every tag) and nested `<figure>`s overflowed the converter's stack; past
/// 256 levels the post is refused by name, and nesting up to there converts in linear
/// time.
#[test]
fn deeply_nested_html_is_refused_naming_the_post() {
    let tmp = scratch();
    for (open, close, n) in [
        ("<div>", "</div>", 20_000),
        ("<figure>", "</figure>", 40_000),
        ("<blockquote><b>", "</b></blockquote>", 10_000),
    ] {
        let content = format!("{}x{}", open.repeat(n), close.repeat(n));
        let text = export(&[], &[Item::post(7, "Nested", &content)]);
        let (l, out) = import(tmp.path(), &text, "blog", 20);
        refused(
            &l,
            &out,
            HEAD.lines().count() + 2,
            "post 7: \"Nested\": its content nests HTML elements deeper than 256 (a post needs a few dozen at most); fix the post's HTML in WordPress, or delete the post, and export again",
        );
    }
    let nested = |k: usize| {
        let block = format!("{}x{}", "<div>".repeat(250), "</div>".repeat(250));
        export(&[], &[Item::post(1, "Nested", &block.repeat(k))])
    };
    let (l, content) = import(tmp.path(), &nested(10), "blog", 20);
    imported(&l, "250 levels");
    check(&content);
    assert_linear("250 nested divs, repeated", &nested(60), &nested(120), 30);
}

/// Formatting tags left open are reopened in every later paragraph (the HTML standard's
/// "reconstruct the active formatting elements"): 250 open `<b>`s and 20,000 small
/// paragraphs built 5 million elements, 2.2 GB. The parser's element budget refuses it.
#[test]
fn formatting_tags_reopened_without_end_are_refused_under_the_memory_cap() {
    let tmp = scratch();
    let content = format!(
        "<div>{}</div>{}",
        (0..250)
            .map(|i| format!("<b id=\"{i}\">"))
            .collect::<String>(),
        "<div>x</div>".repeat(20_000)
    );
    let text = export(&[], &[Item::post(3, "Reopened", &content)]);
    let (l, out) = import(tmp.path(), &text, "blog", 20);
    refused(
        &l,
        &out,
        HEAD.lines().count() + 2,
        "post 3: \"Reopened\": its content makes the HTML parser build more than",
    );
}

/// Many items with one slug: each took the next free `slug-N` by counting from 2, so
/// n items took n²/2 probes (20,000 items: 56 s). 5,000 items with one slug now take
/// about as long as 5,000 with a slug each (an export of the same size: the comparison
/// is not swayed by memory and caches as twice the items would be). Their one permalink
/// is the first's alias only (it made `quire check` fail).
#[test]
fn many_items_with_one_slug_are_numbered_in_linear_time() {
    let items = |n: u32| {
        let list: Vec<Item> = (1..=n).map(|i| Item::post(i, "Same0", "x")).collect();
        export(&[], &list)
    };
    // Titles of the same length, each its own slug.
    let distinct = |n: u32| {
        let list: Vec<Item> = (1..=n)
            .map(|i| Item::post(i, &format!("S{i:04}"), "x"))
            .collect();
        export(&[], &list)
    };
    let tmp = scratch();
    let (l, content) = import(tmp.path(), &items(3), "blog", 20);
    let report = imported(&l, "three");
    // One permalink can lead to one post only: the first.
    assert!(
        report.contains("posts/2020-01-03-same0-2.md: no alias: permalink https://old.example.org/same0/ is also posts/2020-01-02-same0.md's"),
        "{report}"
    );
    let names: Vec<String> = (2..=4)
        .map(|d| {
            let slug = ["same0", "same0-2", "same0-3"][d - 2];
            format!("posts/2020-01-{d:02}-{slug}.md")
        })
        .collect();
    for n in &names {
        assert!(content.join(n).is_file(), "{n}");
    }
    let err = check(&content);
    assert!(err.contains("3 post files, 0 errors"), "{err}");
    assert_eq!(items(5_000).len(), distinct(5_000).len());
    assert_at_most("one slug", &distinct(5_000), &items(5_000), 2.0, 30);
}
