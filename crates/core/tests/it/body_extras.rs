//! What the build ships beside a body ([`Body`]: token runs, image sizes, `toc`) and how
//! the shared renderer uses it: runs become class-only spans when they fit their block
//! exactly and leave it plain otherwise, with the block's text always its source; sizes
//! and lazy loading go on the right images; the table of contents links to the ids the
//! headings get.

use quire_core::RawHtml;
use quire_core::bundle::{Body, body_chunk_from_json};
use quire_core::markdown::{render, render_body};

const MD: &str = "```rust\nfn a() {} // <x>\n```\n\n```nonesuch\nplain & <b>\n```\n";

fn body(code: &[&str]) -> Body {
    Body {
        md: MD.into(),
        code: code.iter().map(|s| s.to_string()).collect(),
        ..Body::default()
    }
}

#[test]
fn fitting_runs_become_spans() {
    // "fn a() {} // <x>\n" is 17 bytes: fn, space, a, "() {} ", comment.
    let html = render_body(&body(&["k2x1f1x6c7"]), RawHtml::Sanitize);
    assert!(
        html.contains("<pre><code class=\"language-rust\"><span class=\"hl-keyword\">fn</span> <span class=\"hl-function\">a</span>() {} <span class=\"hl-comment\">// &lt;x&gt;\n</span></code></pre>"),
        "{html}"
    );
    // The second block has no runs: plain, exactly as without any.
    assert!(html.contains("<code class=\"language-nonesuch\">plain &amp; &lt;b&gt;\n</code>"));
}

#[test]
fn runs_that_do_not_fit_leave_the_block_plain() {
    let plain = render(MD, RawHtml::Sanitize);
    for runs in [
        "k2x1f1x6c6",            // one byte short
        "k2x1f1x6c8",            // one byte long
        "k2x1f1x6z7",            // unknown class
        "k2x1f1x6c7k0",          // empty run
        "k2 x1f1x6c7",           // stray character
        "k2x1f1x6c7\"><script>", // markup
        "k99999999999999999999999999",
    ] {
        let html = render_body(&body(&[runs]), RawHtml::Sanitize);
        assert_eq!(html, plain, "{runs}");
    }
    // More runs lists than blocks, or runs for a block without a language: harmless.
    let html = render_body(&body(&["", "x12", "k1"]), RawHtml::Sanitize);
    assert!(
        html.contains("<code class=\"language-nonesuch\">plain &amp; &lt;b&gt;\n</code>"),
        "{html}"
    );
}

#[test]
fn every_split_of_a_block_keeps_its_text() {
    let source = "let s = \"é <&> '\\\"\";\n";
    let md = format!("```rust\n{source}```\n");
    // Every cut into two runs, valid or not: the text the browser shows is the source.
    for cut in 0..=source.len() + 1 {
        let runs = format!("s{cut}k{}", source.len().saturating_sub(cut));
        let html = render_body(
            &Body {
                md: md.clone(),
                code: vec![runs],
                ..Body::default()
            },
            RawHtml::Sanitize,
        );
        let inner = &html[html.find("\">").unwrap() + 2..html.find("</code>").unwrap()];
        let text = inner
            .replace("<span class=\"hl-string\">", "")
            .replace("<span class=\"hl-keyword\">", "")
            .replace("</span>", "")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        assert_eq!(text, source, "cut {cut}: {html}");
        assert!(!html.contains("style="));
    }
}

#[test]
fn images_get_sizes_and_all_but_the_first_load_lazily() {
    let b = Body {
        md: "![a](/a.png) ![b *x*](/b.png \"T\") ![c](javascript:x) ![d](/d.png)\n".into(),
        img: vec![[0, 10, 20], [1, 30, 40], [3, 0, 5]],
        ..Body::default()
    };
    let html = render_body(&b, RawHtml::Sanitize);
    assert!(
        html.contains("<img src=\"/a.png\" alt=\"a\" width=\"10\" height=\"20\" />"),
        "{html}"
    );
    assert!(html.contains("<img src=\"/b.png\" alt=\"b x\" title=\"T\" width=\"30\" height=\"40\" loading=\"lazy\" decoding=\"async\" />"), "{html}");
    assert!(
        html.contains("<span class=\"blocked-image\">c</span>"),
        "{html}"
    );
    // A size of 0 is not written.
    assert!(
        html.contains("<img src=\"/d.png\" alt=\"d\" loading=\"lazy\" decoding=\"async\" />"),
        "{html}"
    );
    // Without a body's extras (summaries, feeds), images are as before.
    assert!(render(&b.md, RawHtml::Sanitize).contains("<img src=\"/a.png\" alt=\"a\" />"));
}

#[test]
fn toc_links_to_the_heading_ids() {
    let b = Body {
        md: "Intro.\n\n## One\n\n### One\n\n## Two <i>x</i> & `y`\n".into(),
        toc: true,
        ..Body::default()
    };
    let html = render_body(&b, RawHtml::Sanitize);
    assert!(html.starts_with("<nav class=\"toc\" aria-label=\"Contents\"><ul><li><a href=\"#h-one\">One</a><ul><li><a href=\"#h-one-1\">One</a></li></ul></li><li><a href=\"#h-two-x-y\">Two x &amp; y</a></li></ul></nav>\n"), "{html}");
    for id in ["h-one", "h-one-1", "h-two-x-y"] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }
    // No headings, no toc.
    let none = Body {
        md: "Just text.\n".into(),
        toc: true,
        ..Body::default()
    };
    assert!(!render_body(&none, RawHtml::Sanitize).contains("toc"));
}

#[test]
fn body_entries_round_trip_and_leave_empty_fields_out() {
    let entries = vec![
        Body {
            md: "a".into(),
            ..Body::default()
        },
        Body {
            md: "b".into(),
            code: vec!["k1".into()],
            img: vec![[0, 1, 2]],
            toc: true,
        },
    ];
    let json = serde_json::to_string(&entries).unwrap();
    assert_eq!(
        json,
        r#"[{"md":"a"},{"md":"b","code":["k1"],"img":[[0,1,2]],"toc":true}]"#
    );
    assert_eq!(body_chunk_from_json(&json).unwrap(), entries);
    assert!(body_chunk_from_json(r#"["a"]"#).is_err());
}
