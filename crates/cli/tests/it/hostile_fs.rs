//! What the loader reads from the file system, tried as a hostile repository would: only
//! regular files inside the content folder are read or published, a symlink may not lead
//! out of its tree, and a post or site.toml over the size limit is refused unread. Every
//! hostile case runs under a memory cap and a time limit, must end with exit 1 and a
//! `path:1: error: …` message, and must leave no output behind.

#![cfg(unix)]

use crate::common::*;
use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

/// Seconds a hostile case may take (a tiny blog; the debug binary needs about one).
const LIMIT_SECONDS: u64 = 30;

/// The limit on a post or site.toml (`MAX_TEXT_BYTES` in `load/files.rs`).
const MAX_TEXT_BYTES: usize = 16 << 20;

fn blog() -> Blog {
    let blog = Blog::new(SITE);
    blog.post("hello.md", &post("Hello", "2024-01-01", "", "hello"));
    fs::create_dir_all(blog.content().join("static")).unwrap();
    blog
}

/// `quire check` and `quire build` under the memory cap and the time limit.
fn run(blog: &Blog, command: &str) -> Limited {
    let content = blog.content();
    let out = blog.out();
    let mut args = vec![command, "--content", content.to_str().unwrap()];
    if command == "build" {
        args.extend(["--out", out.to_str().unwrap()]);
    }
    let run = quire_limited(&args, HOSTILE_MEMORY_CAP, LIMIT_SECONDS);
    let err = stderr(&run.output);
    assert!(
        !run.timed_out,
        "quire {command} still running after {LIMIT_SECONDS} s\n{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        run.output.status.code().is_some(),
        "quire {command} killed by a signal: {:?}\n{err}",
        run.output.status
    );
    run
}

/// Both commands fail with `<content>/<rel>:1: error: …needle…` and write nothing.
fn refused(blog: &Blog, rel: &str, needles: &[&str]) -> String {
    let prefix = format!("{}:1: error: ", blog.content().join(rel).display());
    let mut all = String::new();
    for command in ["check", "build"] {
        let run = run(blog, command);
        let err = stderr(&run.output);
        assert_eq!(run.output.status.code(), Some(1), "quire {command}\n{err}");
        assert!(
            err.lines()
                .any(|l| l.starts_with(&prefix) && needles.iter().all(|n| l.contains(n))),
            "quire {command}: want {prefix}…{needles:?}\n{err}"
        );
        all.push_str(&err);
    }
    assert!(!blog.out().exists(), "a failed build wrote output");
    all
}

/// Both commands succeed; returns build's messages.
fn accepted(blog: &Blog) -> String {
    let check = run(blog, "check");
    assert_eq!(
        check.output.status.code(),
        Some(0),
        "{}",
        stderr(&check.output)
    );
    let build = run(blog, "build");
    let err = stderr(&build.output);
    assert_eq!(build.output.status.code(), Some(0), "{err}");
    err
}

fn published(blog: &Blog) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = snapshot(&blog.out()).into_keys().collect();
    files.retain(|p| !p.starts_with("data"));
    files
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
}

// Class 1: static/ publishes only what is inside static/.

#[cfg(target_os = "linux")]
#[test]
fn a_static_link_to_the_build_environment_is_refused() {
    let blog = blog();
    symlink("/proc/self/environ", blog.content().join("static/env.txt")).unwrap();
    refused(
        &blog,
        "static/env.txt",
        &["symlink leads outside static/ (to /proc/", "environ)"],
    );
}

#[test]
fn a_static_link_to_a_file_outside_is_refused() {
    let blog = blog();
    let outside = blog.root.path().join("secret.txt");
    fs::write(&outside, "SECRET=1").unwrap();
    symlink(&outside, blog.content().join("static/secret.txt")).unwrap();
    let err = refused(
        &blog,
        "static/secret.txt",
        &["symlink leads outside static/", "secret.txt"],
    );
    assert!(!err.contains("SECRET=1"), "{err}");
}

#[test]
fn a_static_link_to_a_folder_outside_is_refused() {
    let blog = blog();
    symlink("/etc", blog.content().join("static/etc")).unwrap();
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("id_rsa"), "key").unwrap();
    symlink(outside.path(), blog.content().join("static/keys")).unwrap();
    let err = refused(
        &blog,
        "static/etc",
        &["symlink leads outside static/ (to /etc)"],
    );
    let keys = format!(
        "{}:1: error: symlink leads outside static/",
        blog.content().join("static/keys").display()
    );
    assert!(err.contains(&keys), "{err}");
    // Not entered: no message about anything under the link.
    assert!(!err.contains("static/etc/"), "{err}");
}

#[test]
fn static_may_not_publish_the_posts_sources() {
    let blog = blog();
    symlink("../posts", blog.content().join("static/src")).unwrap();
    refused(
        &blog,
        "static/src",
        &["symlink leads outside static/", "posts)"],
    );
}

#[test]
fn static_itself_may_not_lead_outside_or_onto_posts() {
    let blog = blog();
    fs::remove_dir(blog.content().join("static")).unwrap();
    symlink("/etc", blog.content().join("static")).unwrap();
    refused(
        &blog,
        "static",
        &["symlink leads outside the content folder (to /etc)"],
    );
    fs::remove_file(blog.content().join("static")).unwrap();
    symlink("posts", blog.content().join("static")).unwrap();
    refused(&blog, "static", &["static/ and posts/ overlap"]);
}

// Class 7: posts are regular files inside the content folder, of a bounded size.

#[test]
fn a_post_linked_to_dev_zero_is_refused_unread() {
    let blog = blog();
    symlink("/dev/zero", blog.content().join("posts/z.md")).unwrap();
    refused(
        &blog,
        "posts/z.md",
        &["symlink leads outside the content folder (to /dev/zero)"],
    );
}

#[test]
fn a_posts_link_to_the_root_is_not_walked() {
    let blog = blog();
    symlink("/", blog.content().join("posts/root")).unwrap();
    let err = refused(
        &blog,
        "posts/root",
        &["symlink leads outside the content folder (to /)"],
    );
    assert!(!err.contains("posts/root/"), "{err}");
}

#[test]
fn posts_itself_may_not_lead_outside() {
    let blog = blog();
    fs::remove_dir_all(blog.content().join("posts")).unwrap();
    symlink("/", blog.content().join("posts")).unwrap();
    refused(
        &blog,
        "posts",
        &["symlink leads outside the content folder (to /)"],
    );
}

#[test]
fn a_fifo_post_is_refused_unopened() {
    let blog = blog();
    mkfifo(&blog.content().join("posts/f.md"));
    refused(
        &blog,
        "posts/f.md",
        &["not a regular file (a FIFO); quire reads only files"],
    );
}

#[test]
fn a_fifo_in_static_or_behind_a_link_is_refused_unopened() {
    let blog = blog();
    mkfifo(&blog.content().join("static/pipe"));
    mkfifo(&blog.content().join("fifo.md"));
    symlink("../fifo.md", blog.content().join("posts/linked.md")).unwrap();
    let err = refused(
        &blog,
        "static/pipe",
        &["not a regular file (a FIFO); quire reads only files"],
    );
    let linked = format!(
        "{}:1: error: symlink leads to a FIFO, not a regular file",
        blog.content().join("posts/linked.md").display()
    );
    assert!(err.contains(&linked), "{err}");
}

#[test]
fn a_post_over_the_size_limit_is_refused() {
    let blog = blog();
    let mut text = post("Big", "2024-01-02", "", "");
    text.push_str(&"a".repeat(MAX_TEXT_BYTES + 1 - text.len()));
    text.push('\n');
    assert!(text.len() > MAX_TEXT_BYTES);
    blog.post("big.md", &text);
    refused(
        &blog,
        "posts/big.md",
        &[
            &format!("too large ({} bytes)", group(text.len())),
            "16 MiB",
        ],
    );
}

#[test]
fn site_toml_over_the_size_limit_is_refused() {
    let blog = blog();
    let mut text = SITE.to_string();
    text.push_str(&"# padding\n".repeat(MAX_TEXT_BYTES / 10 + 1));
    fs::write(blog.content().join("site.toml"), &text).unwrap();
    refused(&blog, "site.toml", &["too large", "16 MiB"]);
}

#[test]
fn site_toml_may_not_lead_outside() {
    let blog = blog();
    let outside = blog.root.path().join("elsewhere.toml");
    fs::write(&outside, SITE).unwrap();
    fs::remove_file(blog.content().join("site.toml")).unwrap();
    symlink(&outside, blog.content().join("site.toml")).unwrap();
    refused(
        &blog,
        "site.toml",
        &["symlink leads outside the content folder", "elsewhere.toml"],
    );
}

#[test]
fn links_into_hidden_files_are_refused() {
    let blog = blog();
    fs::create_dir_all(blog.content().join(".git")).unwrap();
    fs::write(
        blog.content().join(".git/config"),
        "[http]\nextraheader = AUTHORIZATION: basic c2VjcmV0\n",
    )
    .unwrap();
    symlink("../.git/config", blog.content().join("posts/config.md")).unwrap();
    let err = refused(
        &blog,
        "posts/config.md",
        &["symlink leads to a hidden file or folder (.git/config)"],
    );
    assert!(!err.contains("c2VjcmV0"), "{err}");
}

/// Links that stay inside keep working: a static file linked from elsewhere in static/,
/// and posts kept in a folder of the content folder, linked into posts/.
#[test]
fn links_that_stay_inside_work() {
    let blog = blog();
    let content = blog.content();
    fs::create_dir_all(content.join("static/img")).unwrap();
    fs::write(content.join("static/img/logo.png"), "png").unwrap();
    symlink("img/logo.png", content.join("static/logo.png")).unwrap();
    fs::create_dir_all(content.join("guest/2024")).unwrap();
    fs::write(
        content.join("guest/2024/visit.md"),
        post("A visit", "2024-03-01", "", "x"),
    )
    .unwrap();
    symlink("../guest", content.join("posts/guest")).unwrap();
    symlink("../guest/2024/visit.md", content.join("posts/again.md")).unwrap();
    // The content folder itself may be reached through a link.
    let via = blog.root.path().join("via");
    symlink(&content, &via).unwrap();
    let out = blog.out();
    let args = [
        "build",
        "--content",
        via.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    let run = quire_limited(&args, HOSTILE_MEMORY_CAP, LIMIT_SECONDS);
    let err = stderr(&run.output);
    assert!(run.output.status.success(), "{err}");
    let mut titles: Vec<String> = blog.index().posts.iter().map(|p| p.title.clone()).collect();
    titles.sort();
    assert_eq!(titles, ["A visit", "A visit", "Hello"], "{err}");
    let files = published(&blog);
    assert!(files.contains(&PathBuf::from("logo.png")), "{files:?}");
    assert!(files.contains(&PathBuf::from("img/logo.png")), "{files:?}");
    assert_eq!(blog.read("logo.png"), "png");
}

/// Each folder is read once: a folder that two links (or a link and its own place) lead
/// to is read at its own place, the other ways to it skipped with a warning. Before, a
/// chain of folders each linking twice to the next was walked 2^n times.
#[test]
fn a_folder_is_read_once() {
    let blog = blog();
    let posts = blog.content().join("posts");
    let levels = 40;
    for i in 0..levels {
        let dir = posts.join(format!("d{i:02}"));
        fs::create_dir_all(&dir).unwrap();
        fs::write(
            dir.join(format!("p{i:02}.md")),
            post(&format!("P{i}"), "2024-01-01", "", "x"),
        )
        .unwrap();
        if i + 1 < levels {
            let next = format!("../d{:02}", i + 1);
            symlink(&next, dir.join("a")).unwrap();
            symlink(&next, dir.join("b")).unwrap();
        }
    }
    fs::create_dir_all(blog.content().join("static/v2")).unwrap();
    fs::write(blog.content().join("static/v2/app.js"), "js").unwrap();
    symlink("v2", blog.content().join("static/latest")).unwrap();
    let err = accepted(&blog);
    assert_eq!(blog.index().posts.len(), levels + 1, "{err}");
    let again = format!(
        "{}:1: warning: folder link to {}, which quire reads already",
        posts.join("d00/a").display(),
        posts.join("d01").display()
    );
    assert!(err.contains(&again), "{err}");
    let files = published(&blog);
    assert!(files.contains(&PathBuf::from("v2/app.js")), "{files:?}");
    assert!(!files.iter().any(|f| f.starts_with("latest")), "{files:?}");
}

/// A loop inside the content folder stays a warning (also one that only shows through a
/// linked folder), as does a link to nothing.
#[test]
fn loops_and_broken_links_are_warnings() {
    let blog = blog();
    let posts = blog.content().join("posts");
    fs::create_dir_all(posts.join("a/b")).unwrap();
    symlink("../..", posts.join("a/b/up")).unwrap();
    symlink("nowhere.md", posts.join("gone.md")).unwrap();
    symlink("self.md", posts.join("self.md")).unwrap();
    let guest = blog.content().join("guest");
    fs::create_dir_all(&guest).unwrap();
    fs::write(guest.join("g.md"), post("Guest", "2024-02-01", "", "x")).unwrap();
    symlink(&guest, guest.join("again")).unwrap();
    symlink("../guest", posts.join("guest")).unwrap();
    let err = accepted(&blog);
    assert_eq!(blog.index().posts.len(), 2, "{err}");
    assert!(
        err.contains(&format!(
            "{}:1: warning: symlink loop",
            posts.join("guest/again").display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{}:1: warning: symlink loop",
            posts.join("a/b/up").display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{}:1: warning: cannot read (a broken symlink?)",
            posts.join("gone.md").display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("{}:1: warning: ", posts.join("self.md").display())),
        "{err}"
    );
}

/// 1234567 → "1,234,567".
fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Copying a static file checks again what it opens: a file swapped for a FIFO or a
/// link after the walk is refused at once (before, `fs::copy` waited for a writer).
#[test]
fn staging_copy_refuses_what_is_no_longer_a_regular_file() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    let secret = dir.path().join("secret");
    fs::write(&secret, "secret").unwrap();
    let link = dir.path().join("link");
    symlink(&secret, &link).unwrap();
    let out = dir.path().join("out");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let staging = quire::Staging::new(&out).unwrap();
        let fifo = staging
            .copy(&fifo, Path::new("pipe"))
            .map_err(|e| e.to_string());
        let link = staging
            .copy(&link, Path::new("link"))
            .map_err(|e| e.to_string());
        tx.send((fifo, link)).unwrap();
    });
    let (fifo, link) = rx
        .recv_timeout(std::time::Duration::from_secs(LIMIT_SECONDS))
        .expect("Staging::copy returns");
    let fifo = fifo.expect_err("a FIFO is not copied");
    assert!(fifo.contains("not a regular file (a FIFO)"), "{fifo}");
    link.expect_err("a link is not followed");
}
