//! A code fence's info string gives at most one class, `language-<word>`, under every
//! `raw_html` policy: whitespace that the browser's class list splits on (space, tab, line
//! feed, form feed, carriage return), written as itself or as a character reference, ends
//! the word; everything outside `[A-Za-z0-9_+#.-]` is dropped from it.

use quire_core::RawHtml;
use quire_core::markdown::render;

const POLICIES: [RawHtml; 3] = [RawHtml::Escape, RawHtml::Sanitize, RawHtml::Trust];

/// The `class` values of every `<code` in `html`.
fn code_classes(html: &str) -> Vec<String> {
    html.split("<code")
        .skip(1)
        .filter_map(|rest| {
            let tag = &rest[..rest.find('>').expect("tag ends")];
            let at = tag.find("class=\"")? + 7;
            Some(tag[at..at + tag[at..].find('"').expect("quoted")].to_string())
        })
        .collect()
}

/// What a browser's `classList` makes of a class attribute value (after the entities of
/// the value are decoded; the renderer writes only `&amp;`-style escapes).
fn class_list(value: &str) -> Vec<String> {
    let decoded = value
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    decoded
        .split(['\t', '\n', '\x0c', '\r', ' '])
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn only_class(info: &str, policy: RawHtml) -> Vec<String> {
    let html = render(&format!("```{info}\ncode\n```\n"), policy);
    let classes: Vec<String> = code_classes(&html)
        .iter()
        .flat_map(|v| class_list(v))
        .collect();
    for class in &classes {
        let word = class
            .strip_prefix("language-")
            .unwrap_or_else(|| panic!("{info:?} ({policy:?}) gave class {class:?}: {html}"));
        assert!(
            !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_+#.-".contains(c)),
            "{info:?} ({policy:?}) gave class {class:?}"
        );
    }
    classes
}

#[test]
fn every_whitespace_character_and_reference_ends_the_word() {
    let separators = [
        " ",
        "\t",
        "\x0c",
        "&#9;",
        "&#x9;",
        "&#09;",
        "&Tab;",
        "&#10;",
        "&#xA;",
        "&NewLine;",
        "&#12;",
        "&#xC;",
        "&#x0c;",
        "&#13;",
        "&#xD;",
        "&#32;",
        "&#x20;",
        "\t&#9;\x0c",
    ];
    for policy in POLICIES {
        for sep in separators {
            for info in [
                format!("rust{sep}load-error"),
                format!("rust{sep}spinner{sep}x"),
                format!("{sep}rust{sep}load-error"),
            ] {
                assert_eq!(
                    only_class(&info, policy),
                    ["language-rust"],
                    "{info:?} under {policy:?}"
                );
            }
        }
    }
}

#[test]
fn only_safe_characters_stay_in_the_word() {
    for policy in POLICIES {
        assert_eq!(only_class("c++", policy), ["language-c++"]);
        assert_eq!(only_class("c#", policy), ["language-c#"]);
        assert_eq!(only_class("objective-c", policy), ["language-objective-c"]);
        assert_eq!(only_class("py_3.12", policy), ["language-py_3.12"]);
        assert_eq!(only_class("rust,ignore", policy), ["language-rustignore"]);
        assert_eq!(only_class("a\"b<c>d&amp;e", policy), ["language-abcde"]);
        // A no-break space or another Unicode space is not the browser's whitespace:
        // dropped from the word, which stays one class.
        assert_eq!(
            only_class("rust\u{a0}spinner", policy),
            ["language-rustspinner"]
        );
        assert_eq!(
            only_class("rust&nbsp;spinner", policy),
            ["language-rustspinner"]
        );
        assert_eq!(only_class("rust\u{2003}x", policy), ["language-rustx"]);
        // Nothing left: no class at all.
        for info in ["", "\"\"", "&#9;", "{}", "€"] {
            assert!(only_class(info, policy).is_empty(), "{info:?}");
        }
        // A tilde fence reads the same.
        let html = render("~~~rust&#9;load-error\nx\n~~~\n", policy);
        assert_eq!(code_classes(&html), ["language-rust"], "{html}");
    }
}

#[test]
fn inline_code_and_indented_blocks_carry_no_class() {
    for policy in POLICIES {
        let html = render("`x`\n\n    indented\n", policy);
        assert!(code_classes(&html).is_empty(), "{html}");
    }
}
