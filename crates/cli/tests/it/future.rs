//! Scheduled posts: a post dated after the build's "now" (`QUIRE_NOW`, else the clock) is
//! left out of `quire build` and `quire check` with a note, unless `--future` is given.

use crate::common::{Blog, SITE, post, quire, stderr};
use std::path::Path;

/// `quire <cmd> --content … [--out …] extra…` with `QUIRE_NOW` set to `now`.
fn run(blog: &Blog, cmd: &str, now: &str, extra: &[&str]) -> std::process::Output {
    let content = blog.content();
    let out = blog.out();
    let mut args = vec![cmd, "--content", content.to_str().unwrap()];
    if cmd == "build" {
        args.extend(["--out", out.to_str().unwrap()]);
    }
    args.extend_from_slice(extra);
    quire(&args, &[("QUIRE_NOW", Path::new(now))])
}

fn blog() -> Blog {
    let blog = Blog::new(SITE);
    blog.post(
        "past.md",
        &post("Past", "2030-01-01", "tags: [news]\n", "x"),
    );
    blog.post(
        "scheduled.md",
        &post("Scheduled", "2030-01-02T09:00:00Z", "tags: [news]\n", "y"),
    );
    blog
}

fn slugs(blog: &Blog) -> Vec<String> {
    blog.index().posts.into_iter().map(|p| p.slug).collect()
}

const NOTE: &str = "scheduled.md:1: note: date 2030-01-02T09:00:00Z is in the future: the post is left out until then (--future publishes it now)";

#[test]
fn a_post_dated_after_now_is_left_out_with_a_note() {
    let blog = blog();
    let o = run(&blog, "build", "2030-01-02T08:59:59Z", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains(NOTE), "{}", stderr(&o));
    assert!(
        !stderr(&o).contains("scheduled.md:1: warning"),
        "{}",
        stderr(&o)
    );
    assert_eq!(slugs(&blog), ["past"]);
    assert!(!blog.out().join("post/scheduled").exists());
    assert!(!blog.read("feed.xml").contains("Scheduled"));
    assert!(!blog.read("sitemap.xml").contains("scheduled"));
    assert_eq!(blog.index().tags[0].posts.len(), 1);
}

#[test]
fn future_publishes_it_now() {
    let blog = blog();
    let o = run(&blog, "build", "2030-01-01", &["--future"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("note:"), "{}", stderr(&o));
    assert_eq!(slugs(&blog), ["scheduled", "past"]);
}

#[test]
fn once_its_date_has_come_it_is_published_without_a_note() {
    let blog = blog();
    let o = run(&blog, "build", "2030-01-02T09:00:00Z", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("note:"), "{}", stderr(&o));
    assert_eq!(slugs(&blog), ["scheduled", "past"]);
}

#[test]
fn check_says_the_same() {
    let blog = blog();
    let o = run(&blog, "check", "2030-01-01", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains(NOTE), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("0 errors, 0 warnings"),
        "{}",
        stderr(&o)
    );
    let o = run(&blog, "check", "2030-01-01", &["--future"]);
    assert!(!stderr(&o).contains("note:"), "{}", stderr(&o));
}

#[test]
fn a_now_that_is_not_a_date_is_an_error_and_nothing_is_written() {
    let blog = blog();
    let o = run(&blog, "build", "tomorrow", &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("QUIRE_NOW=\"tomorrow\" is not a date"),
        "{}",
        stderr(&o)
    );
    assert!(!blog.out().exists());
    let o = run(&blog, "check", "2030-13-01", &[]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn without_quire_now_the_clock_decides() {
    let blog = Blog::new(SITE);
    blog.post("far.md", &post("Far", "2999-01-01", "", "x"));
    blog.post("now.md", &post("Now", "2024-01-01", "", "x"));
    let o = blog.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("far.md:1: note: date 2999-01-01 is in the future"),
        "{}",
        stderr(&o)
    );
    assert_eq!(slugs(&blog), ["now"]);
}
