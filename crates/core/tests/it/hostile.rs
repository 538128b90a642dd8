//! The attack corpus, natively: every vector of tests/fixtures/hostile rendered under the
//! `escape` and `sanitize` policies must come out with no executable construct (see
//! common::check_safe) and with the text around it still there. The browser test
//! (tests/e2e/security.test.mjs) runs the same folder in Chromium.
//!
//! Each post body holds vectors under `#### vector NN: name` headings; each vector carries
//! a canary `seen-NN` that must stay visible, and each post ends with an `end-of-…` line.

use crate::common::{check_safe, visible_text};
use quire_core::RawHtml;
use quire_core::markdown::render;
use std::path::PathBuf;

const POLICIES: [RawHtml; 2] = [RawHtml::Escape, RawHtml::Sanitize];

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/hostile")
}

struct Post {
    file: String,
    front: String,
    body: String,
}

fn posts() -> Vec<Post> {
    let mut files: Vec<_> = std::fs::read_dir(fixture().join("posts"))
        .expect("tests/fixtures/hostile/posts")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let rest = text.strip_prefix("---\n").expect("YAML front matter");
            let end = rest.find("\n---\n").expect("closing ---");
            Post {
                file: path.file_name().unwrap().to_string_lossy().into_owned(),
                front: rest[..end].to_string(),
                body: rest[end + 5..].to_string(),
            }
        })
        .collect()
}

/// `(number, name, markdown)` of every vector in a body.
fn vectors(body: &str) -> Vec<(u32, String, String)> {
    let mut out: Vec<(u32, String, String)> = Vec::new();
    for line in body.split_inclusive('\n') {
        if let Some(head) = line.strip_prefix("#### vector ") {
            let (num, name) = head.split_once(':').expect("#### vector NN: name");
            out.push((num.parse().unwrap(), name.trim().to_string(), String::new()));
        } else if let Some(last) = out.last_mut() {
            last.2.push_str(line);
        }
    }
    out
}

/// Text besides the canary that must survive the default policy for some vectors (the
/// allowlisted tags that carried a handler keep their content).
const SANITIZE_KEEPS: &[(u32, &str)] = &[
    (18, "hover text 18"),
    (19, "summary text 19"),
    (19, "details text 19"),
    (22, "para 22"),
    (28, "link 28"),
    (30, "bold 30"),
    (30, "cell 30"),
    (53, "inline link 53"),
    (62, "reference 62"),
    (64, "image 64"),
    (68, "raw 68a"),
    (69, "raw 69a"),
    (70, "quote 70"),
    (78, "title 78"),
    (78, "para 78"),
    (82, "cell 82"),
    (85, "footnote 85 one"),
    (86, "heading 86"),
    (88, "fake error 88"),
    (106, "still-shown-106"),
];

#[test]
fn every_vector_renders_safely_and_keeps_its_text() {
    let mut count = 0;
    let mut failures = Vec::new();
    for post in posts() {
        for (n, name, md) in vectors(&post.body) {
            count += 1;
            let canary = format!("seen-{n:02}");
            assert!(
                md.contains(&canary),
                "vector {n} in {} lacks {canary}",
                post.file
            );
            for policy in POLICIES {
                let html = render(&md, policy);
                if let Err(e) = check_safe(&html, policy) {
                    failures.push(format!("vector {n} ({name}), {policy:?}: {e}\n{html}"));
                    continue;
                }
                let text = visible_text(&html);
                let mut wanted = vec![canary.clone()];
                if policy == RawHtml::Sanitize {
                    wanted.extend(
                        SANITIZE_KEEPS
                            .iter()
                            .filter(|(v, _)| *v == n)
                            .map(|(_, t)| t.to_string()),
                    );
                }
                for w in wanted {
                    if !text.contains(&w) {
                        failures.push(format!(
                            "vector {n} ({name}), {policy:?}: {w:?} not shown\n{html}"
                        ));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(count >= 60, "only {count} vectors in the corpus");
    println!("{count} Markdown vectors checked under escape and sanitize");
}

#[test]
fn whole_posts_render_safely_to_their_last_line() {
    // Vectors in context: an unclosed construct must not swallow what follows.
    for post in posts() {
        let end = post
            .body
            .lines()
            .find_map(|l| l.split_whitespace().find(|w| w.starts_with("end-of-")))
            .unwrap_or_else(|| panic!("{} has no end-of- line", post.file))
            .to_string();
        for policy in POLICIES {
            let html = render(&post.body, policy);
            check_safe(&html, policy).unwrap_or_else(|e| panic!("{} {policy:?}: {e}", post.file));
            let text = visible_text(&html);
            assert!(
                text.contains(&end),
                "{} {policy:?}: {end} not shown",
                post.file
            );
            for (n, _, _) in vectors(&post.body) {
                let canary = format!("seen-{n:02}");
                assert!(
                    text.contains(&canary),
                    "{} {policy:?}: {canary} lost",
                    post.file
                );
            }
        }
    }
}

#[test]
fn markdown_front_matter_renders_safely() {
    // The summary field is Markdown and lands on every list page.
    let mut seen = 0;
    for post in posts() {
        for line in post.front.lines() {
            if let Some(v) = line.strip_prefix("summary: '") {
                let summary = v.trim_end_matches('\'').replace("''", "'");
                for policy in POLICIES {
                    let html = render(&summary, policy);
                    check_safe(&html, policy).unwrap_or_else(|e| panic!("{e}\n{html}"));
                    assert!(visible_text(&html).contains("summary-97"));
                }
                seen += 1;
            }
        }
    }
    assert_eq!(seen, 1);
}

#[test]
fn the_checker_catches_what_it_must() {
    // The checker is the test's eyes: make sure it is not blind.
    for bad in [
        "<script>x</script>",
        "<img src=\"x\" onerror=\"y\">",
        "<a href=\"javascript:x\">a</a>",
        "<a href=\" JAVA\tSCRIPT:x\">a</a>",
        "<a href=\"&colon;x\">a</a>",
        "<img src=\"data:image/svg+xml,x\" />",
        "<a href=\"data:text/html,x\">a</a>",
        "<p style=\"x\">a</p>",
        "<h2 id=\"main\">a</h2>",
        "<div class=\"load-error\">a</div>",
        "<svg></svg>",
        "<iframe srcdoc=\"x\"></iframe>",
        "<b>x</b>",
        "a <b",
        "<p title='x'>a</p>",
        "<input type=\"text\"/>",
        "<a href=\"x\" rel=\"opener\">a</a>",
        "<p>a</div>",
        "<div>a",
        "a</div>",
        "<li>x</li>",
        "<p><em>a</p></em>",
    ] {
        assert!(check_safe(bad, RawHtml::Escape).is_err(), "{bad}");
    }
    for bad in [
        "<details open=\"\" ontoggle=\"x\">",
        "<math></math>",
        "<a target=\"_blank\">",
    ] {
        assert!(check_safe(bad, RawHtml::Sanitize).is_err(), "{bad}");
    }
    for good in [
        "<p>a &amp; b &lt;script&gt;</p>\n",
        "<h2 id=\"h-a\">a <a class=\"anchor\" href=\"#h-a\" aria-label=\"L\">#</a></h2>",
        "<img src=\"data:image/png;base64,AA\" alt=\"a\" />",
        "<a href=\"/post/x?a=1&amp;b=2\">x</a><br /><input disabled=\"\" type=\"checkbox\"/>",
    ] {
        assert_eq!(check_safe(good, RawHtml::Escape), Ok(()), "{good}");
    }
    assert_eq!(
        check_safe(
            "<details open=\"\"><summary>s</summary></details>",
            RawHtml::Sanitize
        ),
        Ok(())
    );
}

#[test]
fn trust_passes_raw_html_through() {
    // The owner's opt-in does what it says (and is the only policy that does).
    let html = render(
        "<b onclick=\"x()\">b</b>\n\n<script>s()</script>\n",
        RawHtml::Trust,
    );
    assert!(html.contains("<b onclick=\"x()\">") && html.contains("<script>s()</script>"));
    assert!(check_safe(&html, RawHtml::Sanitize).is_err());
    // URLs are checked whatever the policy.
    let html = render("[x](javascript:alert(1))", RawHtml::Trust);
    assert!(!html.contains("javascript"), "{html}");
}
