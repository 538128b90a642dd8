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
