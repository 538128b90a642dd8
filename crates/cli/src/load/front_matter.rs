//! Front matter: YAML between `---` lines or TOML between `+++` lines at the top of a post.
//!
//! [`parse_front_matter`] checks every field and reports every problem it finds in one
//! go, each with the line in the file it comes from.

use super::dates::{PostDate, parse_date};
use super::value::{Field, Val};
use crate::diag::{Issue, line_of_offset};
use std::collections::HashMap;

/// A field's name, value and line in the file.
type Fields = Vec<Field>;

/// Front matter larger than this is refused before any parser sees it.
pub const MAX_FRONT_MATTER_BYTES: usize = 256 * 1024;

/// The fields a post may carry; anything else is left out with a warning.
pub const KNOWN_FIELDS: [&str; 11] = [
    "title",
    "date",
    "updated",
    "tags",
    "categories",
    "author",
    "slug",
    "summary",
    "draft",
    "aliases",
    "toc",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Yaml,
    Toml,
}

impl Syntax {
    pub fn delimiter(self) -> &'static str {
        match self {
            Syntax::Yaml => "---",
            Syntax::Toml => "+++",
        }
    }
}

/// The checked fields of one post.
#[derive(Clone, Debug, PartialEq)]
pub struct FrontMatter {
    pub syntax: Syntax,
    /// Whitespace runs collapsed to one space; never empty.
    pub title: String,
    pub date: PostDate,
    pub updated: Option<PostDate>,
    /// As written (trimmed), empty entries dropped; a single string is a list of one.
    pub tags: Vec<String>,
    pub categories: Vec<String>,
    pub author: Option<String>,
    /// As written; the caller turns it into a URL slug.
    pub slug: Option<String>,
    pub summary: Option<String>,
    pub draft: bool,
    /// `toc: true`: a table of contents of the headings on top of the post.
    pub toc: bool,
    /// Line of the `slug` field, or of the opening delimiter when there is none.
    pub slug_line: usize,
    /// Old addresses of the post, as output directories (see `load/aliases.rs`).
    pub aliases: Vec<String>,
    /// Line of the `aliases` field (or 1).
    pub aliases_line: usize,
}

/// A post split into checked front matter and its Markdown body.
#[derive(Clone, Debug, PartialEq)]
pub struct Document<'a> {
    pub front: FrontMatter,
    /// Everything after the closing delimiter line.
    pub body: &'a str,
    /// 1-based line of the body's first line.
    pub body_line: usize,
    /// Problems that do not stop the post (unknown fields and the like).
    pub warnings: Vec<Issue>,
}

/// Parses and checks a post's text. `Ok` holds the post and its warnings; `Err` holds
/// every problem found (at least one error, plus any warnings), each with its 1-based line
/// in `text`. Never panics, whatever the input.
pub fn parse_front_matter(text: &str) -> Result<Document<'_>, Vec<Issue>> {
    parse_front_matter_of(text, true)
}

/// As [`parse_front_matter`]; without `date_required` (a standalone page) a missing
/// date is no error and [`FrontMatter::date`] is then empty (`""`, instant 0).
pub fn parse_front_matter_of(text: &str, date_required: bool) -> Result<Document<'_>, Vec<Issue>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let split = split(text).map_err(|e| vec![e])?;
    let fields = match split.syntax {
        Syntax::Yaml => yaml_fields(split.front, split.front_line),
        Syntax::Toml => toml_fields(split.front, split.front_line),
    }
    .map_err(|e| vec![e])?;
    let mut issues = Vec::new();
    let front = check_fields(fields, split.syntax, date_required, &mut issues);
    if split.body.trim().is_empty() {
        issues.push(Issue::warning(
            split.body_line.saturating_sub(1).max(1),
            "empty body: the post has front matter and no text",
        ));
    }
    match front {
        Some(front) if !issues.iter().any(Issue::is_error) => Ok(Document {
            front,
            body: split.body,
            body_line: split.body_line,
            warnings: issues,
        }),
        _ => Err(issues),
    }
}

struct Split<'a> {
    syntax: Syntax,
    front: &'a str,
    /// Line of the front matter's first line (the one after the opening delimiter).
    front_line: usize,
    body: &'a str,
    body_line: usize,
}

fn is_delimiter(line: &str, delim: &str) -> bool {
    line.trim_end_matches(['\n', '\r', ' ', '\t']) == delim
}

fn split(text: &str) -> Result<Split<'_>, Issue> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let first = &text[..first_end];
    let syntax = if is_delimiter(first, "---") {
        Syntax::Yaml
    } else if is_delimiter(first, "+++") {
        Syntax::Toml
    } else if text.trim().is_empty() {
        return Err(Issue::error(
            1,
            "empty file: a post starts with front matter between --- lines (YAML) or +++ lines (TOML)",
        ));
    } else {
        return Err(Issue::error(
            1,
            "no front matter: a post starts with a line of --- (YAML) or +++ (TOML), then its fields, then the same line again",
        ));
    };
    let delim = syntax.delimiter();
    let mut offset = first_end;
    for (line, l) in (2..).zip(text[first_end..].split_inclusive('\n')) {
        if is_delimiter(l, delim) {
            let front = &text[first_end..offset];
            if front.len() > MAX_FRONT_MATTER_BYTES {
                return Err(Issue::error(
                    1,
                    format!(
                        "front matter is {} bytes; the limit is {} KiB (is the closing {delim} line in the wrong place?)",
                        front.len(),
                        MAX_FRONT_MATTER_BYTES / 1024
                    ),
                ));
            }
            return Ok(Split {
                syntax,
                front,
                front_line: 2,
                body: &text[offset + l.len()..],
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err(Issue::error(
        1,
        format!(
            "front matter opened with {delim} on line 1 is never closed: add a line of {delim} after the last field"
        ),
    ))
}

fn yaml_fields(front: &str, front_line: usize) -> Result<Fields, Issue> {
    super::yaml::fields(front, front_line).map_err(|e| Issue::error(e.line, e.message))
}

fn toml_fields(front: &str, front_line: usize) -> Result<Fields, Issue> {
    let (table, lines) = match super::toml_lines::parse(front) {
        Ok(t) => t,
        Err(e) => {
            let line = e.span().map_or(front_line - 1, |s| {
                line_of_offset(front, s.start) + front_line - 1
            });
            return Err(Issue::error(
                line,
                format!("bad TOML: {}", e.message().trim()),
            ));
        }
    };
    fn conv(v: toml::Value) -> Val {
        use toml::Value as T;
        match v {
            T::String(s) => Val::Str(s),
            T::Integer(i) => Val::Num(i.to_string()),
            T::Float(f) => Val::Num(f.to_string()),
            T::Boolean(b) => Val::Bool(b),
            T::Datetime(d) => Val::Date(d.to_string()),
            T::Array(a) => Val::List(a.into_iter().map(conv).collect()),
            T::Table(_) => Val::Map,
        }
    }
    Ok(table
        .into_iter()
        .map(|(k, v)| {
            let line = lines.get(&k).map_or(front_line - 1, |l| l + front_line - 1);
            (k, conv(v), line)
        })
        .collect())
}

fn check_fields(
    map: Fields,
    syntax: Syntax,
    date_required: bool,
    issues: &mut Vec<Issue>,
) -> Option<FrontMatter> {
    // Fields that are missing point at the opening delimiter.
    let lines: HashMap<String, usize> = map.iter().map(|(k, _, l)| (k.clone(), *l)).collect();
    let line_of = |k: &str| lines.get(k).copied().unwrap_or(1);
    let mut fields: HashMap<&str, Val> = HashMap::new();
    let mut unknown = Vec::new();
    for (k, v, _) in map {
        match KNOWN_FIELDS.iter().find(|f| **f == k) {
            Some(f) => {
                fields.insert(f, v);
            }
            None => unknown.push(k),
        }
    }
    unknown.sort_by_key(|k| line_of(k));
    for k in unknown {
        issues.push(Issue::warning(
            line_of(&k),
            format!("unknown field {k:?} is left out of the bundle"),
        ));
    }

    let text_field = |name: &str, issues: &mut Vec<Issue>| -> Option<String> {
        match fields.get(name) {
            None | Some(Val::Null) => None,
            Some(v) => match v.text() {
                Some(s) => Some(s),
                None => {
                    issues.push(Issue::error(
                        line_of(name),
                        format!("{name} must be text, not {}", v.kind()),
                    ));
                    None
                }
            },
        }
    };

    let title = match text_field("title", issues) {
        Some(t) => {
            let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
            if t.is_empty() {
                issues.push(Issue::error(line_of("title"), "title is empty"));
                None
            } else {
                Some(t)
            }
        }
        None => {
            if !fields.contains_key("title") || fields.get("title") == Some(&Val::Null) {
                issues.push(Issue::error(
                    line_of("title"),
                    "missing title: every post needs a title field",
                ));
            }
            None
        }
    };

    let date_field = |name: &str, required: bool, issues: &mut Vec<Issue>| match text_field(
        name, issues,
    ) {
        Some(raw) => match parse_date(&raw) {
            Some(d) => Some(d),
            None => {
                issues.push(Issue::error(
                        line_of(name),
                        format!(
                            "unparsable {name} {raw:?}: write YYYY-MM-DD or RFC 3339 (2024-03-01T09:30:00+01:00)"
                        ),
                    ));
                None
            }
        },
        None => {
            if required && matches!(fields.get(name), None | Some(Val::Null)) {
                issues.push(Issue::error(
                    line_of(name),
                    format!("missing {name}: every post needs a date (YYYY-MM-DD or RFC 3339)"),
                ));
            }
            None
        }
    };
    let date = date_field("date", date_required, issues);
    let date = match date {
        None if !date_required && matches!(fields.get("date"), None | Some(Val::Null)) => {
            Some(PostDate {
                text: String::new(),
                instant: 0,
            })
        }
        d => d,
    };
    let updated = date_field("updated", false, issues);

    let list_field = |name: &str, issues: &mut Vec<Issue>| -> Vec<String> {
        let bad = |v: &Val| {
            Issue::error(
                line_of(name),
                format!(
                    "{name} must be a list of text or a single text, not {}",
                    v.kind()
                ),
            )
        };
        let items: Vec<String> = match fields.get(name) {
            None | Some(Val::Null) => Vec::new(),
            Some(Val::Str(s)) => vec![s.clone()],
            Some(Val::List(items)) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Val::Str(s) | Val::Num(s) => out.push(s.clone()),
                        Val::Null => {}
                        other => {
                            issues.push(Issue::error(
                                line_of(name),
                                format!(
                                    "{name} must be a list of text, but one entry is {}",
                                    other.kind()
                                ),
                            ));
                            return Vec::new();
                        }
                    }
                }
                out
            }
            Some(other) => {
                issues.push(bad(other));
                return Vec::new();
            }
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let t = item.split_whitespace().collect::<Vec<_>>().join(" ");
            if t.is_empty() {
                issues.push(Issue::warning(
                    line_of(name),
                    format!("an empty entry in {name} is ignored"),
                ));
            } else {
                out.push(t);
            }
        }
        out
    };
    let tags = list_field("tags", issues);
    let categories = list_field("categories", issues);
    let aliases =
        super::aliases::check_list(list_field("aliases", issues), line_of("aliases"), issues);

    let author = text_field("author", issues)
        .map(|a| a.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|a| !a.is_empty());
    let slug = text_field("slug", issues).filter(|s| !s.trim().is_empty());
    let summary = text_field("summary", issues).filter(|s| !s.trim().is_empty());
    let mut flag = |name: &str| match fields.get(name) {
        None | Some(Val::Null) => false,
        Some(Val::Bool(b)) => *b,
        Some(Val::Str(s)) if s == "true" || s == "false" => s == "true",
        Some(other) => {
            issues.push(Issue::error(
                line_of(name),
                format!("{name} must be true or false, not {}", other.kind()),
            ));
            false
        }
    };
    let draft = flag("draft");
    let toc = flag("toc");
    Some(FrontMatter {
        syntax,
        title: title?,
        date: date?,
        updated,
        tags,
        categories,
        author,
        slug,
        summary,
        draft,
        toc,
        slug_line: line_of("slug"),
        aliases,
        aliases_line: line_of("aliases"),
    })
}
