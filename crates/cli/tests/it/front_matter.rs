//! Front matter in both syntaxes: every field, and every error with its line.

use quire::{Severity, Syntax, parse_front_matter};

fn errors(text: &str) -> Vec<(usize, String)> {
    let issues = parse_front_matter(text).expect_err("should fail");
    assert!(issues.iter().any(|i| i.severity == Severity::Error));
    issues
        .into_iter()
        .filter(|i| i.severity == Severity::Error)
        .map(|i| (i.line, i.message))
        .collect()
}

fn has(list: &[(usize, String)], line: usize, needle: &str) -> bool {
    list.iter().any(|(l, m)| *l == line && m.contains(needle))
}

#[test]
fn yaml_with_every_field() {
    let text = "---\ntitle: \"Hello:  world\"\ndate: 2024-03-01T09:30:00+01:00\nupdated: 2024-04-01\ntags: [Rust, Static Sites]\ncategories: Notes\nauthor: Ada Lovelace\nslug: hello-world\nsummary: Short *one*.\ndraft: true\n---\nBody line.\n";
    let doc = parse_front_matter(text).unwrap();
    let f = &doc.front;
    assert_eq!(f.syntax, Syntax::Yaml);
    assert_eq!(f.title, "Hello: world");
    assert_eq!(f.date.text, "2024-03-01T09:30:00+01:00");
    assert_eq!(f.updated.as_ref().unwrap().text, "2024-04-01");
    assert_eq!(f.tags, ["Rust", "Static Sites"]);
    assert_eq!(f.categories, ["Notes"]);
    assert_eq!(f.author.as_deref(), Some("Ada Lovelace"));
    assert_eq!(f.slug.as_deref(), Some("hello-world"));
    assert_eq!(f.slug_line, 8);
    assert_eq!(f.summary.as_deref(), Some("Short *one*."));
    assert!(f.draft);
    assert_eq!(doc.body, "Body line.\n");
    assert_eq!(doc.body_line, 12);
    assert!(doc.warnings.is_empty());
}

#[test]
fn toml_with_every_field() {
    let text = "+++\ntitle = \"Hello\"\ndate = 2024-03-01\nupdated = 2024-03-02T10:00:00Z\ntags = [\"a\", \"B\"]\ncategories = \"One\"\nauthor = \"Bo\"\nslug = \"hi\"\nsummary = \"S\"\ndraft = false\n+++\n\nBody.\n";
    let doc = parse_front_matter(text).unwrap();
    let f = &doc.front;
    assert_eq!(f.syntax, Syntax::Toml);
    assert_eq!(f.title, "Hello");
    assert_eq!(f.date.text, "2024-03-01");
    assert_eq!(f.updated.as_ref().unwrap().text, "2024-03-02T10:00:00Z");
    assert_eq!(f.tags, ["a", "B"]);
    assert_eq!(f.categories, ["One"]);
    assert_eq!(f.author.as_deref(), Some("Bo"));
    assert_eq!(f.slug.as_deref(), Some("hi"));
    assert_eq!(f.summary.as_deref(), Some("S"));
    assert!(!f.draft);
    assert_eq!(doc.body, "\nBody.\n");
    // A quoted TOML date string is accepted too.
    assert!(parse_front_matter("+++\ntitle = \"x\"\ndate = \"2024-03-01\"\n+++\nb\n").is_ok());
}

#[test]
fn crlf_bom_and_trailing_spaces_are_fine() {
    let text = "\u{feff}---  \r\ntitle: T\r\ndate: 2024-01-01\r\n---\r\nBody\r\n";
    let doc = parse_front_matter(text).unwrap();
    assert_eq!(doc.front.title, "T");
    assert_eq!(doc.body, "Body\r\n");
}

#[test]
fn missing_title_and_date_together() {
    let e = errors("---\ntags: [a]\n---\nBody\n");
    assert!(has(&e, 1, "missing title"), "{e:?}");
    assert!(has(&e, 1, "missing date"), "{e:?}");
    let e = errors("+++\ntitle = \"\"\n+++\nBody\n");
    assert!(has(&e, 2, "title is empty"), "{e:?}");
    assert!(has(&e, 1, "missing date"), "{e:?}");
}

#[test]
fn unparsable_dates_name_their_line() {
    let e = errors("---\ntitle: T\ndate: 03/01/2024\nupdated: someday\n---\nB\n");
    assert!(has(&e, 3, "unparsable date \"03/01/2024\""), "{e:?}");
    assert!(has(&e, 4, "unparsable updated"), "{e:?}");
    let e = errors("+++\ntitle = \"T\"\ndate = 2024-03-01T10:00:00\n+++\nB\n");
    assert!(has(&e, 3, "unparsable date"), "{e:?}");
    let e = errors("---\ntitle: T\ndate: 2023-02-29\n---\nB\n");
    assert!(has(&e, 3, "unparsable date"), "{e:?}");
}

#[test]
fn tags_of_the_wrong_type() {
    let e = errors("---\ntitle: T\ndate: 2024-01-01\ntags:\n  a: 1\n---\nB\n");
    assert!(has(&e, 4, "tags must be a list"), "{e:?}");
    let e = errors("---\ntitle: T\ndate: 2024-01-01\ntags: true\ncategories: [[x]]\n---\nB\n");
    assert!(has(&e, 4, "tags must be a list"), "{e:?}");
    assert!(has(&e, 5, "categories must be a list of text"), "{e:?}");
    let e = errors("+++\ntitle = \"T\"\ndate = 2024-01-01\ntags = 3\n+++\nB\n");
    assert!(has(&e, 4, "tags must be"), "{e:?}");
    // Numbers are fine as tags; empty entries are dropped with a warning.
    let doc =
        parse_front_matter("---\ntitle: T\ndate: 2024-01-01\ntags: [2024, \"\", x]\n---\nB\n")
            .unwrap();
    assert_eq!(doc.front.tags, ["2024", "x"]);
    assert!(
        doc.warnings
            .iter()
            .any(|w| w.line == 4 && w.message.contains("empty entry"))
    );
}

#[test]
fn other_field_types() {
    let e = errors("---\ntitle: [a, b]\ndate: 2024-01-01\ndraft: maybe\nauthor: {x: 1}\n---\nB\n");
    assert!(has(&e, 2, "title must be text"), "{e:?}");
    assert!(has(&e, 4, "draft must be true or false"), "{e:?}");
    assert!(has(&e, 5, "author must be text"), "{e:?}");
}

#[test]
fn unknown_fields_warn_with_their_line() {
    let doc =
        parse_front_matter("---\ntitle: T\ndate: 2024-01-01\nlayout: wide\nweight: 3\n---\nB\n")
            .unwrap();
    let w: Vec<(usize, &str)> = doc
        .warnings
        .iter()
        .map(|w| (w.line, w.message.as_str()))
        .collect();
    assert_eq!(w.len(), 2, "{w:?}");
    assert_eq!(w[0].0, 4);
    assert!(w[0].1.contains("unknown field \"layout\""));
    assert_eq!(w[1].0, 5);
}

#[test]
fn empty_body_is_a_warning() {
    let doc = parse_front_matter("---\ntitle: T\ndate: 2024-01-01\n---\n\n  \n").unwrap();
    assert!(doc.warnings.iter().any(|w| w.severity == Severity::Warning
        && w.message.contains("empty body")
        && w.line == 4));
    let doc = parse_front_matter("---\ntitle: T\ndate: 2024-01-01\n---").unwrap();
    assert!(
        doc.warnings
            .iter()
            .any(|w| w.message.contains("empty body"))
    );
}

#[test]
fn front_matter_not_closed_or_absent() {
    let e = errors("---\ntitle: T\ndate: 2024-01-01\nBody without a closing line\n");
    assert!(has(&e, 1, "never closed"), "{e:?}");
    let e = errors("+++\ntitle = \"T\"\n---\n");
    assert!(has(&e, 1, "never closed"), "{e:?}");
    let e = errors("# Just Markdown\n\ntext\n");
    assert!(has(&e, 1, "no front matter"), "{e:?}");
    let e = errors("");
    assert!(has(&e, 1, "empty file"), "{e:?}");
}

#[test]
fn bad_yaml_reports_the_parsers_line_in_the_file() {
    let e = errors("---\ntitle: T\ndate: 2024-01-01\ntags: [a, b\nauthor: x\n---\nB\n");
    assert!(e[0].1.starts_with("bad YAML"), "{e:?}");
    assert!((4..=6).contains(&e[0].0), "{e:?}");
    let e = errors("---\ntitle: T\n  bad: indent: here\n---\nB\n");
    assert_eq!(e[0].0, 3, "{e:?}");
    assert!(!e[0].1.contains("at line"), "{e:?}");
    let e = errors("---\n- a\n- b\n---\nB\n");
    assert!(has(&e, 2, "must be fields"), "{e:?}");
}

#[test]
fn bad_toml_reports_the_parsers_line_in_the_file() {
    let e =
        errors("+++\ntitle = \"T\"\ndate = 2024-01-01\ntags = [\"a\",\n\nauthor = \"x\"\n+++\nB\n");
    assert!(e[0].1.starts_with("bad TOML"), "{e:?}");
    assert!((4..=7).contains(&e[0].0), "{e:?}");
    let e = errors("+++\ntitle = \"T\"\ntitle = \"U\"\n+++\nB\n");
    assert!(has(&e, 3, "bad TOML"), "{e:?}");
}

#[test]
fn yaml_alias_bomb_is_refused() {
    let mut text =
        String::from("---\ntitle: T\ndate: 2024-01-01\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let prev = format!("*a{}", i - 1);
        text.push_str(&format!("a{i}: &a{i} [{}]\n", vec![prev; 10].join(", ")));
    }
    text.push_str("---\nBody\n");
    let started = std::time::Instant::now();
    let e = errors(&text);
    assert!(e[0].1.contains("alias"), "{e:?}");
    // Generous bound: a bomb must not expand (10^10 nodes would take minutes).
    assert!(started.elapsed().as_secs() < 5);
}

#[test]
fn huge_front_matter_is_refused_quickly() {
    let mut text = String::from("---\ntitle: T\ndate: 2024-01-01\n");
    let filler = "x: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n";
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(filler);
    }
    text.push_str("---\nBody\n");
    let e = errors(&text);
    assert!(has(&e, 1, "front matter is"), "{e:?}");
    assert!(e[0].1.contains("limit"));
}

#[test]
fn deeply_nested_yaml_is_refused() {
    let text = format!(
        "---\ntitle: T\ndate: 2024-01-01\nx: {}{}\n---\nB\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let e = errors(&text);
    assert!(e[0].1.starts_with("bad YAML"), "{e:?}");
}
