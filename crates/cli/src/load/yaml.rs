//! YAML front matter on `saphyr-parser`'s events: the top-level fields as
//! [`Val`]s, each with the line of its key, and every error with its line.
//!
//! Only what front matter needs is built: scalars resolved by YAML 1.2's core schema
//! (kept as text as written), lists, and nested mappings as [`Val::Map`]. Aliases are
//! expanded against a budget and nesting is capped, so a hostile file costs little.

use super::value::{Field, Val};
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span, Tag};
use std::borrow::Cow;
use std::collections::HashMap;

/// Nodes an alias may add in all (a "billion laughs" file stops here).
const ALIAS_BUDGET: usize = 10_000;
/// Deepest nesting of lists and mappings.
const MAX_DEPTH: usize = 64;

/// A problem, with its line.
#[derive(Debug, PartialEq, Eq)]
pub struct YamlError {
    pub line: usize,
    pub message: String,
}

/// Turns the parser's 1-based lines (of the front matter alone) into the file's.
#[derive(Clone, Copy)]
struct Lines(usize);

impl Lines {
    fn of(self, line: usize) -> usize {
        line.max(1) + self.0 - 1
    }

    fn at(self, span: &Span, message: impl Into<String>) -> YamlError {
        YamlError {
            line: self.of(span.start.line()),
            message: message.into(),
        }
    }

    fn scan(self, e: &ScanError) -> YamlError {
        YamlError {
            line: self.of(e.marker().line()),
            message: format!("bad YAML: {}", e.info()),
        }
    }
}

/// A node under construction.
enum Open {
    List {
        items: Vec<Val>,
        anchor: usize,
        nodes: usize,
    },
    Map {
        /// Top level only: the fields so far; `None` for nested mappings (kept as
        /// [`Val::Map`]).
        fields: Option<Vec<Field>>,
        /// The key waiting for its value, with its line.
        key: Option<(String, usize)>,
        /// Whether the next node is a key (else a value).
        expect_key: bool,
        anchor: usize,
        nodes: usize,
    },
}

/// Scalars by the YAML 1.2 core schema: null, booleans and numbers when plain and
/// untagged (or tagged with their core type), text otherwise.
fn scalar(value: Cow<'_, str>, style: ScalarStyle, tag: Option<&Tag>) -> Val {
    let core = |name: &str| tag.is_some_and(|t| t.is_yaml_core_schema() && t.suffix == name);
    if tag.is_some_and(|t| !t.is_yaml_core_schema() || t.suffix == "str") {
        return Val::Str(value.into_owned());
    }
    if style != ScalarStyle::Plain && tag.is_none() {
        return Val::Str(value.into_owned());
    }
    let v = value.as_ref();
    if matches!(v, "" | "~" | "null" | "Null" | "NULL") || core("null") {
        return Val::Null;
    }
    match v {
        "true" | "True" | "TRUE" => return Val::Bool(true),
        "false" | "False" | "FALSE" => return Val::Bool(false),
        _ => {}
    }
    if is_number(v) || core("int") || core("float") {
        return Val::Num(value.into_owned());
    }
    Val::Str(value.into_owned())
}

/// The core schema's integers and floats (decimal, `0o`, `0x`, `.inf`, `.nan`).
fn is_number(v: &str) -> bool {
    let digits = |s: &str, radix: u32| !s.is_empty() && s.chars().all(|c| c.is_digit(radix));
    if let Some(h) = v.strip_prefix("0x") {
        return digits(h, 16);
    }
    if let Some(o) = v.strip_prefix("0o") {
        return digits(o, 8);
    }
    let unsigned = v.strip_prefix(['-', '+']).unwrap_or(v);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(v, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => {
            (digits(int, 10) || int.is_empty())
                && (frac.is_empty() || digits(frac, 10))
                && !(int.is_empty() && frac.is_empty())
        }
        None => digits(mantissa, 10),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e), 10));
    mantissa_ok && exponent_ok
}

/// Parses front matter text whose first line is line `first_line` of the file (lines in
/// results are the file's). `Ok` holds the top-level fields in file order (empty for an
/// empty or comment-only front matter); `Err` the first problem.
pub fn fields(front: &str, first_line: usize) -> Result<Vec<Field>, YamlError> {
    let lines = Lines(first_line.max(1));
    let mut parser = Parser::new_from_str(front);
    let mut stack: Vec<Open> = Vec::new();
    let mut anchors: HashMap<usize, (Val, usize)> = HashMap::new();
    let mut alias_nodes = 0usize;
    let mut documents = 0usize;
    let mut top: Option<Result<Vec<Field>, YamlError>> = None;

    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| lines.scan(&e))?;
        // A finished node (value, its node count, its anchor) to hand to the parent.
        let done: Option<(Val, usize, usize)> = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentEnd => None,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(lines.at(
                        &span,
                        "bad YAML: a second document; front matter is one set of fields",
                    ));
                }
                None
            }
            Event::Scalar(value, style, anchor, tag) => {
                Some((scalar(value, style, tag.as_deref()), 1, anchor))
            }
            Event::Alias(id) => {
                let Some((val, nodes)) = anchors.get(&id) else {
                    return Err(lines.at(&span, "bad YAML: an alias to an unknown anchor"));
                };
                alias_nodes += nodes;
                if alias_nodes > ALIAS_BUDGET {
                    return Err(lines.at(
                        &span,
                        "bad YAML: aliases expand too many times (an alias bomb?)",
                    ));
                }
                Some((val.clone(), *nodes, 0))
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(lines.at(&span, "bad YAML: nested too deeply"));
                }
                let open = if matches!(event, Event::SequenceStart(..)) {
                    Open::List {
                        items: Vec::new(),
                        anchor,
                        nodes: 1,
                    }
                } else {
                    Open::Map {
                        fields: stack.is_empty().then(Vec::new),
                        key: None,
                        expect_key: true,
                        anchor,
                        nodes: 1,
                    }
                };
                stack.push(open);
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Open::List {
                    items,
                    anchor,
                    nodes,
                }) => Some((Val::List(items), nodes, anchor)),
                Some(Open::Map {
                    fields: Some(fields),
                    ..
                }) if stack.is_empty() => {
                    top = Some(Ok(fields));
                    None
                }
                Some(Open::Map { anchor, nodes, .. }) => Some((Val::Map, nodes, anchor)),
                None => None,
            },
        };
        let Some((val, nodes, anchor)) = done else {
            continue;
        };
        if anchor != 0 {
            anchors.insert(anchor, (val.clone(), nodes));
        }
        match stack.last_mut() {
            None => {
                // A document whose root is not a mapping.
                if top.is_none() {
                    top = Some(match val {
                        Val::Null => Ok(Vec::new()),
                        _ => Err(YamlError {
                            line: lines.of(1),
                            message: "front matter must be fields, one `name: value` a line".into(),
                        }),
                    });
                }
            }
            Some(Open::List {
                items, nodes: n, ..
            }) => {
                items.push(val);
                *n += nodes;
            }
            Some(Open::Map {
                fields,
                key,
                expect_key,
                nodes: n,
                ..
            }) => {
                *n += nodes;
                if *expect_key {
                    let name = match &val {
                        Val::Str(s) | Val::Num(s) | Val::Date(s) => s.clone(),
                        Val::Bool(b) => b.to_string(),
                        Val::Null => String::new(),
                        Val::List(_) | Val::Map => "?".into(),
                    };
                    *key = Some((name, lines.of(span.start.line())));
                } else if let (Some(fields), Some((name, line))) = (fields.as_mut(), key.take()) {
                    if let Some((_, _, first)) = fields.iter().find(|(k, _, _)| *k == name) {
                        return Err(YamlError {
                            line,
                            message: format!(
                                "bad YAML: {name} is given twice (first on line {first})"
                            ),
                        });
                    }
                    fields.push((name, val, line));
                }
                *expect_key = !*expect_key;
            }
        }
    }
    top.unwrap_or(Ok(Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(front: &str) -> Vec<(String, usize)> {
        fields(front, 1)
            .unwrap()
            .into_iter()
            .map(|(k, _, l)| (k, l))
            .collect()
    }

    #[test]
    fn keys_carry_their_lines() {
        assert_eq!(
            names("title: a\ntags:\n  - x\n# c\ndate: b\n"),
            [("title".into(), 1), ("tags".into(), 2), ("date".into(), 5)]
        );
        assert_eq!(names("\"quoted key\": 1\n"), [("quoted key".into(), 1)]);
        assert_eq!(names("# only a comment\n"), []);
        assert_eq!(names(""), []);
    }

    #[test]
    fn core_schema_scalars() {
        let f = fields(
            "a: ~\nb: true\nc: 'true'\nd: 12\ne: 1.5e3\nf: 0x1F\ng: 12abc\nh: !!str 12\ni: [1, x]\nj: {k: v}\n",
            1,
        )
        .unwrap();
        let v: Vec<Val> = f.into_iter().map(|(_, v, _)| v).collect();
        assert_eq!(
            v,
            [
                Val::Null,
                Val::Bool(true),
                Val::Str("true".into()),
                Val::Num("12".into()),
                Val::Num("1.5e3".into()),
                Val::Num("0x1F".into()),
                Val::Str("12abc".into()),
                Val::Str("12".into()),
                Val::List(vec![Val::Num("1".into()), Val::Str("x".into())]),
                Val::Map,
            ]
        );
        for n in ["0", "-3", "+4", ".5", "5.", "1e9", ".inf", "-.Inf", ".nan"] {
            assert!(is_number(n), "{n}");
        }
        for s in ["", ".", "e5", "1e", "0x", "1-2", "2024-01-01", "1.2.3"] {
            assert!(!is_number(s), "{s}");
        }
    }

    #[test]
    fn anchors_expand_within_budget() {
        let f = fields("a: &x [1, 2]\nb: *x\n", 1).unwrap();
        assert_eq!(f[1].1, f[0].1);
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = format!("*a{}", i - 1);
            bomb.push_str(&format!("a{i}: &a{i} [{}]\n", vec![prev; 10].join(", ")));
        }
        let e = fields(&bomb, 1).unwrap_err();
        assert!(e.message.contains("alias bomb"), "{e:?}");
        assert_eq!(e.line, 4);
    }

    #[test]
    fn errors_carry_lines() {
        let e = fields("title: T\n  bad: indent: here\n", 2).unwrap_err();
        assert_eq!(e.line, 3, "{e:?}");
        assert!(e.message.starts_with("bad YAML: "), "{e:?}");
        let e = fields("- a\n- b\n", 2).unwrap_err();
        assert!(e.message.contains("must be fields"), "{e:?}");
        assert_eq!(e.line, 2, "{e:?}");
        let e = fields("a: 1\nb: 2\na: 3\n", 2).unwrap_err();
        assert_eq!(e.line, 4);
        assert!(
            e.message.contains("a is given twice (first on line 2)"),
            "{e:?}"
        );
        let deep = format!("x: {}{}\n", "[".repeat(5000), "]".repeat(5000));
        let e = fields(&deep, 1).unwrap_err();
        // The parser stops first (its own recursion limit); the builder caps depth too.
        assert!(
            e.message.contains("recursion limit") || e.message.contains("nested too deeply"),
            "{e:?}"
        );
        let e = fields(&format!("x: {}1{}\n", "[".repeat(70), "]".repeat(70)), 1).unwrap_err();
        assert!(e.message.contains("nested too deeply"), "{e:?}");
        let e = fields("a: 1\n...\n---\nb: 2\n", 1).unwrap_err();
        assert!(e.message.contains("second document"), "{e:?}");
    }
}
