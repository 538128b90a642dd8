//! The command line: exit codes, the `path:line: severity: message` format, `quire check`
//! on a folder of broken posts, environment variables, and atomic output.

use crate::common::*;
use std::fs;

fn line_ok(line: &str) -> bool {
    // path:line: error|warning: message
    let mut parts = line.rsplitn(2, ": ");
    let _ = parts.next();
    let mut it = line.splitn(4, ':');
    let (Some(path), Some(num), Some(sev)) = (it.next(), it.next(), it.next()) else {
        return false;
    };
    !path.is_empty()
        && num.parse::<usize>().is_ok_and(|n| n >= 1)
        && (sev == " error" || sev == " warning")
        && it.next().is_some_and(|m| m.len() > 1)
}

#[test]
fn check_reports_every_problem_in_every_file_and_exits_1() {
    let blog = Blog::new(SITE);
    blog.post("ok.md", &post("Fine", "2024-01-01", "", "Body."));
    blog.post("no-close.md", "---\ntitle: x\ndate: 2024-01-01\nbody\n");
    blog.post(
        "bad-yaml.md",
        "---\ntitle: x\ndate: 2024-01-01\ntags: [a\n---\nb\n",
    );
    blog.post("bad-toml.md", "+++\ntitle = x\n+++\nb\n");
    blog.post("missing.md", "---\nauthor: x\n---\nb\n");
    blog.post("bad-date.md", "---\ntitle: x\ndate: 2024-02-30\n---\nb\n");
    blog.post(
        "bad-tags.md",
        "---\ntitle: x\ndate: 2024-01-01\ntags: {a: 1}\n---\nb\n",
    );
    blog.post("dup1.md", &post("D1", "2024-01-01", "slug: same\n", "b"));
    blog.post(
        "sub/dup2.md",
        &post("D2", "2024-01-01", "slug: same\n", "b"),
    );
    blog.post("empty.md", &post("E", "2024-01-01", "", ""));
    blog.post("unknown.md", &post("U", "2024-01-01", "layout: x\n", "b"));
    blog.post_bytes(
        "latin1.md",
        b"---\ntitle: caf\xe9\ndate: 2024-01-01\n---\nb\n",
    );
    let o = blog.check();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    let posts = blog.content().join("posts");
    let p = |n: &str| posts.join(n).display().to_string();
    for (file, line, needle) in [
        (
            "no-close.md",
            1,
            "error: front matter opened with --- on line 1 is never closed",
        ),
        ("bad-yaml.md", 5, "error: bad YAML"),
        ("bad-toml.md", 2, "error: bad TOML"),
        ("missing.md", 1, "error: missing title"),
        ("missing.md", 1, "error: missing date"),
        ("bad-date.md", 3, "error: unparsable date \"2024-02-30\""),
        ("bad-tags.md", 4, "error: tags must be a list"),
        ("sub/dup2.md", 4, "error: two posts have the slug \"same\""),
        ("empty.md", 4, "warning: empty body"),
        ("unknown.md", 4, "warning: unknown field \"layout\""),
        ("latin1.md", 2, "error: not UTF-8 text"),
    ] {
        let prefix = format!("{}:{line}: {needle}", p(file));
        assert!(
            err.lines().any(|l| l.starts_with(&prefix)),
            "missing {prefix}\n{err}"
        );
    }
    let dup = err
        .lines()
        .find(|l| l.contains("two posts have the slug"))
        .unwrap();
    assert!(
        dup.contains(&p("dup1.md")) && dup.contains(&p("sub/dup2.md")),
        "{dup}"
    );
    // Every line but the summary has the format; nothing on stdout.
    let lines: Vec<&str> = err.lines().collect();
    for l in &lines[..lines.len() - 1] {
        assert!(line_ok(l), "bad line {l:?}");
    }
    assert!(
        lines
            .last()
            .unwrap()
            .starts_with("quire check: 12 post files, 9 errors, 2 warnings"),
        "{err}"
    );
    assert!(o.stdout.is_empty());
    // build runs the same checks and writes nothing.
    let b = blog.build(&[]);
    assert_eq!(b.status.code(), Some(1));
    assert!(stderr(&b).contains("bad YAML"));
    assert!(!blog.out().exists());
}

#[test]
fn check_exits_0_with_only_warnings() {
    let blog = Blog::new(SITE);
    blog.post("a.md", &post("A", "2024-01-01", "colour: red\n", "b"));
    let o = blog.check();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("warning: unknown field"));
}

#[test]
fn site_toml_problems_are_reported_with_lines() {
    let blog = Blog::new("title = \"T\"\nposts_per_page = \"ten\"\n");
    let o = blog.check();
    assert_eq!(o.status.code(), Some(1));
    let site = blog.content().join("site.toml").display().to_string();
    assert!(
        stderr(&o).contains(&format!("{site}:2: error: posts_per_page")),
        "{}",
        stderr(&o)
    );
    fs::remove_file(blog.content().join("site.toml")).unwrap();
    let o = blog.check();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("site.toml:1: error: site.toml not found"));
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    assert_eq!(quire(&[], &[]).status.code(), Some(2));
    assert_eq!(quire(&["publish"], &[]).status.code(), Some(2));
    assert_eq!(quire(&["build", "--bogus"], &[]).status.code(), Some(2));
    assert_eq!(quire(&["build", "--out"], &[]).status.code(), Some(2));
    assert_eq!(quire(&["check", "--out", "x"], &[]).status.code(), Some(2));
    let h = quire(&["--help"], &[]);
    assert_eq!(h.status.code(), Some(0));
    let text = String::from_utf8_lossy(&h.stdout);
    for needle in [
        "quire build",
        "quire check",
        "--content",
        "--out",
        "--shell",
        "--drafts",
        "QUIRE_CONTENT",
        "TRUNK_STAGING_DIR",
    ] {
        assert!(text.contains(needle), "{needle}");
    }
    assert_eq!(quire(&["build", "--help"], &[]).status.code(), Some(0));
    // Usage errors in clap's format, naming the command's usage.
    let bogus = quire(&["build", "--bogus"], &[]);
    let err = stderr(&bogus);
    assert!(
        err.contains("error: unexpected argument '--bogus'"),
        "{err}"
    );
    assert!(err.contains("Usage: quire build"), "{err}");
    let typo = stderr(&quire(&["chekc"], &[]));
    assert!(
        typo.contains("similar subcommand exists: 'check'"),
        "{typo}"
    );
    let sub = quire(&["help", "check"], &[]);
    assert_eq!(sub.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&sub.stdout).contains("--drafts"));
    assert!(
        !text.contains("remove-old"),
        "the internal subcommand stays hidden"
    );
    assert!(String::from_utf8_lossy(&quire(&["--version"], &[]).stdout).starts_with("quire "));
    let missing = quire(&["check", "--content", "/nonexistent/quire-test"], &[]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).contains("/nonexistent/quire-test:1: error: content folder not found")
    );
}

#[test]
fn quire_content_and_trunk_staging_dir_are_honoured() {
    let blog = Blog::new(SITE);
    blog.post("a.md", &post("A", "2024-01-01", "", "b"));
    let staging = blog.root.path().join("stage");
    fs::create_dir_all(&staging).unwrap();
    fs::write(staging.join("index.html"), "<html><head><title>App</title><script type=\"module\">go()</script></head><body></body></html>").unwrap();
    fs::write(staging.join("app-123.wasm"), b"\0asm").unwrap();
    let o = quire(
        &["build"],
        &[
            ("QUIRE_CONTENT", &blog.content()),
            ("TRUNK_STAGING_DIR", &staging),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let home = fs::read_to_string(staging.join("index.html")).unwrap();
    assert!(
        home.contains("<title>Test Blog</title>") && home.contains("go()"),
        "{home}"
    );
    assert!(staging.join("post/a/index.html").is_file());
    assert!(staging.join("data/index.json").is_file());
    assert_eq!(fs::read(staging.join("app-123.wasm")).unwrap(), b"\0asm");
    // Running again on the processed index.html changes nothing.
    let before = snapshot(&staging);
    let o = quire(
        &["build"],
        &[
            ("QUIRE_CONTENT", &blog.content()),
            ("TRUNK_STAGING_DIR", &staging),
        ],
    );
    assert!(o.status.success());
    assert_eq!(before, snapshot(&staging));
    // --content wins over QUIRE_CONTENT.
    let o = quire(
        &["check", "--content", "/nonexistent/x"],
        &[("QUIRE_CONTENT", &blog.content())],
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn a_failed_build_leaves_the_previous_output_as_it_was() {
    let blog = Blog::new(SITE);
    blog.post("a.md", &post("A", "2024-01-01", "tags: [one]\n", "b"));
    assert!(blog.build(&[]).status.success());
    fs::write(blog.out().join("app.wasm"), b"trunk's").unwrap();
    let before = snapshot(&blog.out());
    // A content error: nothing is touched.
    blog.post("b.md", "---\ntitle: broken\n");
    let o = blog.build(&[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("nothing was written"));
    assert_eq!(before, snapshot(&blog.out()));
    // An unreadable shell: nothing is touched.
    fs::remove_file(blog.content().join("posts/b.md")).unwrap();
    blog.post("c.md", &post("C", "2024-02-01", "tags: [two]\n", "c"));
    let o = blog.build(&["--shell", "/nonexistent/shell.html"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(before, snapshot(&blog.out()));
    // A file in the way that quire did not write: refused before anything moves.
    fs::create_dir_all(blog.content().join("static")).unwrap();
    fs::write(blog.content().join("static/robots.txt"), "x").unwrap();
    fs::write(blog.out().join("robots.txt"), "mine").unwrap();
    let before = snapshot(&blog.out());
    let o = blog.build(&[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("not written by quire"),
        "{}",
        stderr(&o)
    );
    assert_eq!(before, snapshot(&blog.out()));
    fs::remove_file(blog.out().join("robots.txt")).unwrap();
    // No temporary folders are left beside the output.
    let leftovers: Vec<_> = fs::read_dir(blog.root.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("quire-tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn a_swap_that_fails_midway_is_rolled_back() {
    let blog = Blog::new(SITE);
    blog.post("a.md", &post("A", "2024-01-01", "tags: [one]\n", "b"));
    assert!(blog.build(&[]).status.success());
    fs::write(blog.out().join("app.wasm"), b"trunk's").unwrap();
    let before = snapshot(&blog.out());
    for fail_after in [0, 1, 2, 5, 9, 14] {
        let staging = quire::Staging::new(&blog.out()).unwrap();
        staging.write("index.html", b"new").unwrap();
        staging.write("post/new/index.html", b"new").unwrap();
        staging.write("extra.txt", b"new").unwrap();
        assert!(staging.commit_failing_after(fail_after).is_err());
        assert_eq!(before, snapshot(&blog.out()), "after {fail_after} moves");
    }
}

#[test]
fn stale_generated_entries_go_and_foreign_files_stay() {
    let blog = Blog::new(SITE);
    blog.post("a.md", &post("A", "2024-01-01", "tags: [one]\n", "b"));
    fs::create_dir_all(blog.content().join("static/img")).unwrap();
    fs::write(blog.content().join("static/img/x.svg"), "<svg/>").unwrap();
    assert!(blog.build(&[]).status.success());
    assert!(blog.out().join("img/x.svg").is_file());
    fs::write(blog.out().join("app.wasm"), b"trunk's").unwrap();
    fs::remove_dir_all(blog.content().join("static")).unwrap();
    blog.post("a.md", &post("A", "2024-01-01", "", "b"));
    assert!(blog.build(&[]).status.success());
    assert!(!blog.out().join("tag").exists());
    assert!(!blog.out().join("img").exists());
    assert!(blog.out().join("app.wasm").is_file());
    let manifest = fs::read_to_string(blog.out().join(quire::MANIFEST)).unwrap();
    assert!(manifest.contains(" post\n") && !manifest.contains(" tag\n"));
}

#[test]
fn build_prints_a_summary_line() {
    let blog = Blog::new(SITE);
    blog.post("a.md", &post("A", "2024-01-01", "tags: [x, y]\n", "b"));
    blog.post("d.md", &post("D", "2024-01-01", "draft: true\n", "b"));
    let o = blog.build(&[]);
    let err = stderr(&o);
    let last = err.lines().last().unwrap();
    assert!(
        last.starts_with("quire: 1 post (1 draft left out), 2 tags, 0 categories, 1 authors;"),
        "{last}"
    );
    assert!(
        last.contains(" s") && last.contains("route files"),
        "{last}"
    );
}

#[test]
fn the_previous_output_is_deleted_after_a_rebuild_and_nothing_else() {
    let blog = Blog::new(SITE);
    blog.post("a.md", &post("A", "2024-01-01", "tags: [one]\n", "b"));
    assert!(blog.build(&[]).status.success());
    assert!(blog.build(&[]).status.success());
    let leftovers = || {
        fs::read_dir(blog.root.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains("quire-tmp"))
            .count()
    };
    let started = std::time::Instant::now();
    while leftovers() > 0 && started.elapsed().as_secs() < 60 {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(leftovers(), 0);
    // The remover only deletes folders named like quire's own.
    let keep = blog.root.path().join("precious");
    fs::create_dir_all(keep.join("sub")).unwrap();
    for name in ["precious", "x.quire-tmp-.old", "x.quire-tmp-12a.old"] {
        let dir = blog.root.path().join(name);
        fs::create_dir_all(&dir).unwrap();
        let o = quire(&["__remove-old", dir.to_str().unwrap()], &[]);
        assert_eq!(o.status.code(), Some(1), "{name}");
        assert!(dir.is_dir(), "{name}");
    }
}

#[test]
fn static_files_may_not_take_generated_names() {
    let blog = Blog::new(SITE);
    blog.post("a.md", &post("A", "2024-01-01", "", "b"));
    fs::create_dir_all(blog.content().join("static/post")).unwrap();
    fs::write(blog.content().join("static/feed.xml"), "x").unwrap();
    fs::write(blog.content().join("static/post/x.html"), "x").unwrap();
    fs::write(blog.content().join("static/robots.txt"), "x").unwrap();
    let o = blog.check();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("static/feed.xml:1: error: static file would replace \"feed.xml\""),
        "{err}"
    );
    assert!(err.contains("static/post/x.html:1: error"), "{err}");
    assert!(!err.contains("robots.txt"), "{err}");
    assert_eq!(blog.build(&[]).status.code(), Some(1));
}
