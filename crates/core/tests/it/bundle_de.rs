//! The bundle types whose reading is written out by hand instead of derived (to keep the
//! app's Wasm small: [`Body`], [`RawHtml`]) read exactly what the derive read: required and
//! optional fields, unknown keys skipped, repeated keys, wrong types and unknown words
//! refused with serde's messages.

use quire_core::RawHtml;
use quire_core::bundle::{Body, body_chunk_from_json};

fn one(json: &str) -> Result<Body, String> {
    body_chunk_from_json(&format!("[{json}]"))
        .map(|mut v| v.remove(0))
        .map_err(|e| e.to_string())
}

#[test]
fn body_reads_every_field_and_skips_unknown_keys() {
    let b = one(
        r#"{"later":{"x":[1,{"y":null}]},"toc":true,"img":[[2,3,4]],"code":["","k1"],"md":"= a"}"#,
    )
    .unwrap();
    assert_eq!(
        b,
        Body {
            md: "= a".into(),
            code: vec![String::new(), "k1".into()],
            img: vec![[2, 3, 4]],
            toc: true,
        }
    );
    // Escaped keys are keys like any other.
    assert_eq!(one(r#"{"\u006dd":"x"}"#).unwrap().md, "x");
    assert_eq!(
        one(r#"{"md":"x"}"#).unwrap(),
        Body {
            md: "x".into(),
            ..Body::default()
        }
    );
}

#[test]
fn body_refuses_what_the_build_never_writes() {
    let err = one(r#"{"code":[]}"#).unwrap_err();
    assert!(err.contains("missing field `md`"), "{err}");
    let err = one(r#"{"md":"a","md":"b"}"#).unwrap_err();
    assert!(err.contains("duplicate field `md`"), "{err}");
    let err = one(r#"{"md":"a","toc":true,"toc":false}"#).unwrap_err();
    assert!(err.contains("duplicate field `toc`"), "{err}");
    for bad in [
        r#"{"md":1}"#,
        r#"{"md":"a","img":[[1,2]]}"#,
        r#"{"md":"a","code":"k1"}"#,
        r#"{"md":"a","toc":"yes"}"#,
        r#""a""#,
        // An entry as an array of its fields: never written, no longer read either.
        r#"["a",[],[],false]"#,
    ] {
        assert!(one(bad).is_err(), "{bad}");
    }
}

#[test]
fn raw_html_reads_its_three_words_only() {
    let read = |s: &str| serde_json::from_str::<RawHtml>(s).map_err(|e| e.to_string());
    assert_eq!(read(r#""escape""#), Ok(RawHtml::Escape));
    assert_eq!(read(r#""sanitize""#), Ok(RawHtml::Sanitize));
    assert_eq!(read(r#""trust""#), Ok(RawHtml::Trust));
    for word in [r#""Trust""#, r#""""#, r#""trusted""#] {
        let err = read(word).unwrap_err();
        assert!(
            err.contains("unknown variant") && err.contains("`escape`, `sanitize`, `trust`"),
            "{err}"
        );
    }
    assert!(read("1").is_err());
    assert!(read("null").is_err());
    for policy in [RawHtml::Escape, RawHtml::Sanitize, RawHtml::Trust] {
        let json = serde_json::to_string(&policy).unwrap();
        assert_eq!(read(&json), Ok(policy));
    }
}

/// A small valid index as `quire build` writes it, as a JSON value to bend.
fn index_json() -> serde_json::Value {
    serde_json::json!({
        "schema": quire_core::SCHEMA_VERSION,
        "site": {"title": "T", "posts_per_page": 10, "language": "en"},
        "posts": [{
            "slug": "a", "title": "A", "date": "2024-01-01", "author": 0, "words": 5,
            "body": {"chunk": 0, "slot": 0}
        }],
        "pages": [{"slug": "about", "title": "About", "body": {"chunk": 0, "slot": 1}}],
        "tags": [],
        "categories": [],
        "authors": [{"slug": "ada", "name": "Ada", "posts": [0]}],
        "summary_chunk": 100,
        "summaries": ["s-0.json"],
        "bodies": ["b-0.json"],
        "chunk_bytes": 10
    })
}

fn read_index(v: &serde_json::Value) -> Result<quire_core::Index, String> {
    quire_core::Index::from_json(&v.to_string()).map_err(|e| e.to_string())
}

#[test]
fn index_reads_required_and_defaulted_fields() {
    let index = read_index(&index_json()).unwrap();
    // Absent optional fields take their defaults, as `#[serde(default)]` said.
    assert_eq!(index.site.description, "");
    assert_eq!(index.site.author, None);
    assert_eq!(index.site.raw_html, RawHtml::Sanitize);
    assert!(index.site.social.is_empty() && index.site.menu.is_empty());
    assert_eq!(index.posts[0].updated, None);
    assert!(index.posts[0].tags.is_empty());
    assert_eq!(index.pages[0].description, "");
    assert_eq!(index.search, None);
    // Given, they are read; null is None for an Option.
    let mut v = index_json();
    v["site"]["raw_html"] = "trust".into();
    v["site"]["menu"] = serde_json::json!([{"name": "About", "url": "/about/"}]);
    v["site"]["social"] = serde_json::json!([{"name": "M", "url": "https://m.org/"}]);
    v["posts"][0]["updated"] = "2024-02-01".into();
    v["pages"][0]["updated"] = serde_json::Value::Null;
    v["search"] = "m-1.bin".into();
    v["later_field"] = serde_json::json!({"anything": [1, 2.5, null]});
    let index = read_index(&v).unwrap();
    assert_eq!(index.site.raw_html, RawHtml::Trust);
    assert_eq!(index.site.menu[0].url, "/about/");
    assert_eq!(index.site.social[0].name, "M");
    assert_eq!(index.posts[0].updated.as_deref(), Some("2024-02-01"));
    assert_eq!(index.pages[0].updated, None);
    assert_eq!(index.search.as_deref(), Some("m-1.bin"));
    // What it reads, it writes back the same.
    let again = serde_json::to_string(&index).unwrap();
    assert_eq!(quire_core::Index::from_json(&again).unwrap(), index);
}

#[test]
fn index_refuses_with_serdes_messages() {
    let fails = |edit: &dyn Fn(&mut serde_json::Value), want: &str| {
        let mut v = index_json();
        edit(&mut v);
        let err = read_index(&v).unwrap_err();
        assert!(err.contains(want), "{want}: {err}");
    };
    fails(
        &|v| drop(v["posts"][0].as_object_mut().unwrap().remove("words")),
        "missing field `words`",
    );
    fails(
        &|v| drop(v["site"].as_object_mut().unwrap().remove("title")),
        "missing field `title`",
    );
    fails(
        &|v| drop(v["authors"][0].as_object_mut().unwrap().remove("posts")),
        "missing field `posts`",
    );
    fails(
        &|v| {
            drop(
                v["posts"][0]["body"]
                    .as_object_mut()
                    .unwrap()
                    .remove("slot"),
            )
        },
        "missing field `slot`",
    );
    fails(
        &|v| drop(v.as_object_mut().unwrap().remove("chunk_bytes")),
        "missing field `chunk_bytes`",
    );
    fails(&|v| v["site"] = "T".into(), "expected struct Site");
    fails(&|v| v["posts"][0]["words"] = "5".into(), "expected u32");
    fails(
        &|v| v["site"]["description"] = serde_json::Value::Null,
        "expected a string",
    );
    fails(
        &|v| v["site"]["raw_html"] = "all".into(),
        "unknown variant `all`",
    );
    // A struct written as an array of its fields: never written, no longer read either.
    fails(
        &|v| v["posts"][0]["body"] = serde_json::json!([0, 0]),
        "expected struct BodyRef",
    );
    fails(
        &|v| v["authors"][0] = serde_json::json!(["ada", "Ada", [0]]),
        "expected struct Term",
    );
    // A key given twice (serde_json's Value cannot hold that: written as text).
    let text =
        index_json()
            .to_string()
            .replacen("\"title\":\"T\"", "\"title\":\"T\",\"title\":\"U\"", 1);
    let err = quire_core::Index::from_json(&text).unwrap_err().to_string();
    assert!(err.contains("duplicate field `title`"), "{err}");
}
