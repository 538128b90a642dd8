//! `content/site.toml`: the blog's own settings.

use crate::diag::{Issue, line_of_offset};
use quire_core::{MenuEntry, RawHtml, Site, SocialLink};

const KNOWN: [&str; 11] = [
    "title",
    "description",
    "author",
    "base_url",
    "posts_per_page",
    "language",
    "social",
    "raw_html",
    "authors",
    "feed_content",
    "menu",
];

/// Parses and checks site.toml. `Ok` holds the settings and warnings; `Err` every problem
/// found (at least one error), each with its line.
pub fn parse_site(text: &str) -> Result<(Site, Vec<Issue>), Vec<Issue>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (table, lines) = super::toml_lines::parse(text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of_offset(text, s.start));
        vec![Issue::error(
            line,
            format!("bad TOML: {}", e.message().trim()),
        )]
    })?;
    let line_of = |k: &str| lines.get(k).copied().unwrap_or(1);
    let mut issues = Vec::new();
    for key in table.keys() {
        if !KNOWN.contains(&key.as_str()) {
            issues.push(Issue::warning(
                line_of(key),
                format!("unknown setting {key:?} is ignored"),
            ));
        }
    }
    let text_of = |key: &str, issues: &mut Vec<Issue>| -> Option<String> {
        match table.get(key) {
            None => None,
            Some(toml::Value::String(s)) => Some(s.trim().to_string()),
            Some(other) => {
                issues.push(Issue::error(
                    line_of(key),
                    format!("{key} must be text, not {}", other.type_str()),
                ));
                None
            }
        }
    };
    let title = text_of("title", &mut issues);
    let title_is_text = !matches!(table.get("title"), Some(v) if !v.is_str());
    if title.as_deref().is_none_or(str::is_empty) && title_is_text {
        issues.push(Issue::error(
            line_of("title"),
            "missing title: site.toml needs title = \"…\"",
        ));
    }
    let description = text_of("description", &mut issues).unwrap_or_default();
    let author = text_of("author", &mut issues).filter(|a| !a.is_empty());
    let language = text_of("language", &mut issues)
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| "en".into());
    if language.contains(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
        issues.push(Issue::error(
            line_of("language"),
            format!("language {language:?} is not a language tag such as \"en\" or \"pt-BR\""),
        ));
    }
    let base_url = text_of("base_url", &mut issues).filter(|u| !u.is_empty());
    if let Some(url) = &base_url {
        let ok = (url.starts_with("https://") || url.starts_with("http://"))
            && url
                .split_once("://")
                .is_some_and(|(_, rest)| !rest.is_empty() && !rest.starts_with('/'))
            && !url.contains(|c: char| {
                c.is_whitespace() || c.is_control() || "\"<>\\^`{|}".contains(c)
            });
        if !ok {
            issues.push(Issue::error(
                line_of("base_url"),
                format!("base_url {url:?} must be an absolute http(s) URL such as \"https://example.org/blog/\""),
            ));
        }
    }
    let posts_per_page = match table.get("posts_per_page") {
        None => 10,
        Some(toml::Value::Integer(n)) if (1..=1000).contains(n) => *n as u32,
        Some(other) => {
            issues.push(Issue::error(
                line_of("posts_per_page"),
                format!(
                    "posts_per_page must be a whole number from 1 to 1000, not {}",
                    match other {
                        toml::Value::Integer(n) => n.to_string(),
                        v => v.type_str().to_string(),
                    }
                ),
            ));
            10
        }
    };
    let raw_html = match text_of("raw_html", &mut issues).as_deref() {
        None => RawHtml::default(),
        Some("escape") => RawHtml::Escape,
        Some("sanitize") => RawHtml::Sanitize,
        Some("trust") => RawHtml::Trust,
        Some(other) => {
            issues.push(Issue::error(
                line_of("raw_html"),
                format!("raw_html must be \"escape\", \"sanitize\" or \"trust\", not {other:?}"),
            ));
            RawHtml::default()
        }
    };
    let mut social = Vec::new();
    match table.get("social") {
        None => {}
        Some(toml::Value::Array(items)) => {
            for item in items {
                if let Some(t) = item.as_table() {
                    for key in t.keys().filter(|k| !matches!(k.as_str(), "name" | "url")) {
                        let hint = if KNOWN.contains(&key.as_str()) {
                            ": top-level settings must come before the first [[social]] table"
                        } else {
                            ""
                        };
                        issues.push(Issue::warning(
                            line_of("social"),
                            format!(
                                "unknown setting {key:?} in a [[social]] link is ignored{hint}"
                            ),
                        ));
                    }
                }
                let link = item.as_table().and_then(|t| {
                    let name = t.get("name")?.as_str()?.trim().to_string();
                    let url = t.get("url")?.as_str()?.trim().to_string();
                    Some(SocialLink { name, url })
                });
                match link {
                    Some(l) if !l.name.is_empty() && quire_core::markdown::safe_url(&l.url, false).is_some() && !l.url.is_empty() => social.push(l),
                    Some(l) if l.name.is_empty() || l.url.is_empty() => issues.push(Issue::error(
                        line_of("social"),
                        "a [[social]] link needs a name and a url",
                    )),
                    Some(l) => issues.push(Issue::error(
                        line_of("social"),
                        format!("social link {:?} has an unsafe url {:?}: use http(s), mailto or a relative URL", l.name, l.url),
                    )),
                    None => issues.push(Issue::error(
                        line_of("social"),
                        "each [[social]] link needs name = \"…\" and url = \"…\"",
                    )),
                }
            }
        }
        Some(other) => issues.push(Issue::error(
            line_of("social"),
            format!("social must be [[social]] tables, not {}", other.type_str()),
        )),
    }
    let menu = parse_menu(text, &table, line_of("menu"), &mut issues);
    if issues.iter().any(Issue::is_error) {
        return Err(issues);
    }
    Ok((
        Site {
            title: title.unwrap_or_default(),
            description,
            author,
            base_url,
            posts_per_page,
            language,
            social,
            raw_html,
            menu,
        },
        issues,
    ))
}

/// What the feeds carry of each post: site.toml's `feed_content`. Build-time only (the
/// app never reads it), so it is not part of the bundle's [`Site`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FeedContent {
    /// The summary, and a link to the post (`"summary"`, the default).
    #[default]
    Summary,
    /// The summary and the whole text (`"full"`).
    Full,
}

/// Reads site.toml's optional `feed_content = "summary" | "full"`. Text that is not TOML
/// gives the default (parse_site reports it).
pub fn parse_feed_content(text: &str) -> (FeedContent, Vec<Issue>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Ok((table, lines)) = super::toml_lines::parse(text) else {
        return (FeedContent::default(), Vec::new());
    };
    let line = lines.get("feed_content").copied().unwrap_or(1);
    match table.get("feed_content") {
        None => (FeedContent::default(), Vec::new()),
        Some(toml::Value::String(s)) if s.trim() == "summary" => (FeedContent::Summary, Vec::new()),
        Some(toml::Value::String(s)) if s.trim() == "full" => (FeedContent::Full, Vec::new()),
        Some(other) => (
            FeedContent::default(),
            vec![Issue::error(
                line,
                format!(
                    "feed_content must be \"summary\" or \"full\", not {}",
                    match other {
                        toml::Value::String(s) => format!("{s:?}"),
                        v => v.type_str().to_string(),
                    }
                ),
            )],
        ),
    }
}

/// The `[[menu]]` entries, in order, each checked at its own header's line (`at` for a
/// `menu = […]` array): `name` and `url` text, the url a path inside the site (`about/`,
/// `/tags`, `/` for home) or an absolute `https://` address. Internal paths are kept with
/// one leading `/`.
fn parse_menu(
    text: &str,
    table: &toml::Table,
    at: usize,
    issues: &mut Vec<Issue>,
) -> Vec<MenuEntry> {
    let items = match table.get("menu") {
        None => return Vec::new(),
        Some(toml::Value::Array(items)) => items,
        Some(other) => {
            issues.push(Issue::error(
                at,
                format!(
                    "menu must be [[menu]] tables with name and url, not {}",
                    other.type_str()
                ),
            ));
            return Vec::new();
        }
    };
    let headers: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| {
            let t: String = l.chars().filter(|c| !c.is_whitespace()).collect();
            t.starts_with("[[menu]]")
        })
        .map(|(i, _)| i + 1)
        .collect();
    let mut menu = Vec::with_capacity(items.len());
    for (n, item) in items.iter().enumerate() {
        let line = if headers.len() == items.len() {
            headers[n]
        } else {
            at
        };
        let Some(t) = item.as_table() else {
            issues.push(Issue::error(
                line,
                "each [[menu]] entry needs name = \"…\" and url = \"…\"",
            ));
            continue;
        };
        for key in t.keys().filter(|k| !matches!(k.as_str(), "name" | "url")) {
            let hint = if KNOWN.contains(&key.as_str()) {
                ": top-level settings must come before the first [[menu]] table"
            } else {
                ""
            };
            issues.push(Issue::warning(
                line,
                format!("unknown setting {key:?} in a [[menu]] entry is ignored{hint}"),
            ));
        }
        let field = |k: &str| t.get(k).and_then(|v| v.as_str()).map(str::trim);
        let (Some(name), Some(url)) = (field("name"), field("url")) else {
            issues.push(Issue::error(
                line,
                "a [[menu]] entry needs name = \"…\" and url = \"…\", both text",
            ));
            continue;
        };
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            issues.push(Issue::error(line, "a [[menu]] entry's name is empty"));
            continue;
        }
        match menu_url(url) {
            Some(url) => menu.push(MenuEntry { name, url }),
            None => issues.push(Issue::error(
                line,
                format!(
                    "menu entry {name:?} has url {url:?}: write a path inside the site such as \"about/\" (\"/\" for home) or an absolute https:// address"
                ),
            )),
        }
    }
    menu
}

/// A `[[menu]]` url as the index keeps it: an `https://` address with a host, as written;
/// or a path inside the site with one leading `/` (no `..`, `.`, empty segments, scheme,
/// query, fragment, backslash, space or control characters). `None` for anything else.
pub fn menu_url(url: &str) -> Option<String> {
    let bad_char = |c: char| c.is_whitespace() || c.is_control() || "\"<>\\^`{|}".contains(c);
    if url.contains(bad_char) {
        return None;
    }
    if let Some(rest) = url.strip_prefix("https://") {
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        return (!host.is_empty() && !host.contains('@')).then(|| url.to_string());
    }
    let path = url.strip_prefix('/').unwrap_or(url);
    if path.starts_with('/') || path.contains([':', '?', '#', '%']) {
        return None;
    }
    let segments: Vec<&str> = path.strip_suffix('/').unwrap_or(path).split('/').collect();
    let empty_path = segments == [""];
    if !empty_path
        && segments
            .iter()
            .any(|s| s.is_empty() || *s == "." || *s == "..")
    {
        return None;
    }
    Some(format!("/{path}"))
}

/// One entry of site.toml's `[authors.<slug>]` table: the author's page is
/// `/author/<slug>`, and `name` is what pages show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Author {
    pub slug: String,
    pub name: String,
}

/// Reads the optional `[authors.<slug>]` tables of site.toml (`name = "…"` each). An
/// author's key must already be a URL slug. Unknown fields are warnings; a table that
/// is not one is an error. Text that is not TOML gives nothing (parse_site reports it).
pub fn parse_authors(text: &str) -> (Vec<Author>, Vec<Issue>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Ok((table, lines)) = super::toml_lines::parse(text) else {
        return (Vec::new(), Vec::new());
    };
    let header_line = |key: Option<&str>| -> usize {
        for (i, line) in text.lines().enumerate() {
            let t = line.trim();
            let Some(rest) = t.strip_prefix("[authors") else {
                continue;
            };
            match key {
                None => return i + 1,
                Some(k)
                    if rest
                        .trim_start_matches('.')
                        .trim_matches(['"', '\'', ']', ' '])
                        == k =>
                {
                    return i + 1;
                }
                Some(_) => {}
            }
        }
        lines.get("authors").copied().unwrap_or(1)
    };
    let mut issues = Vec::new();
    let mut authors = Vec::new();
    match table.get("authors") {
        None => {}
        Some(toml::Value::Table(t)) => {
            for (key, entry) in t {
                let line = header_line(Some(key));
                let slug = quire_core::slug::term_slug(key);
                if slug != *key {
                    issues.push(Issue::error(
                        line,
                        format!("author key {key:?} is not a URL slug: write it as {slug:?} (lowercase, no spaces); `name` is what pages show"),
                    ));
                    continue;
                }
                let Some(fields) = entry.as_table() else {
                    issues.push(Issue::error(
                        line,
                        format!("authors.{key} must be a table: [authors.{key}] then name = \"…\""),
                    ));
                    continue;
                };
                for k in fields.keys().filter(|k| *k != "name") {
                    issues.push(Issue::warning(
                        line,
                        format!("unknown setting {k:?} for author {key:?} is ignored (an author has a name)"),
                    ));
                }
                let name = match fields.get("name") {
                    Some(toml::Value::String(n)) if !n.trim().is_empty() => {
                        n.split_whitespace().collect::<Vec<_>>().join(" ")
                    }
                    Some(toml::Value::String(_)) | None => {
                        issues.push(Issue::warning(
                            line,
                            format!("author {key:?} has no name; pages show {key:?}"),
                        ));
                        key.clone()
                    }
                    Some(other) => {
                        issues.push(Issue::error(
                            line,
                            format!(
                                "the name of author {key:?} must be text, not {}",
                                other.type_str()
                            ),
                        ));
                        continue;
                    }
                };
                authors.push(Author { slug, name });
            }
        }
        Some(other) => issues.push(Issue::error(
            header_line(None),
            format!(
                "authors must be tables such as [authors.ada] with name = \"Ada Lovelace\", not {}",
                other.type_str()
            ),
        )),
    }
    (authors, issues)
}

/// The `[authors]` entry a post's `author` names: by key, by display name (case and
/// spacing aside), or by the name's slug. `None` for an author not in the table.
pub fn find_author<'a>(name: &str, authors: &'a [Author]) -> Option<&'a Author> {
    let folded = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let slug = quire_core::slug::term_slug(name);
    authors
        .iter()
        .find(|a| a.slug == name)
        .or_else(|| authors.iter().find(|a| folded(&a.name) == folded(name)))
        .or_else(|| authors.iter().find(|a| a.slug == slug))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_every_field() {
        let (site, warnings) = parse_site("title = \"T\"\n").unwrap();
        assert!(warnings.is_empty());
        assert_eq!(site.posts_per_page, 10);
        assert_eq!(site.language, "en");
        assert_eq!(site.raw_html, RawHtml::Sanitize);
        let (site, _) = parse_site(
            "title = \"T\"\ndescription = \"D\"\nauthor = \"A\"\nbase_url = \"https://x.org/b/\"\nposts_per_page = 5\nlanguage = \"fr\"\nraw_html = \"escape\"\n[[social]]\nname = \"M\"\nurl = \"https://m.org/@a\"\n",
        )
        .unwrap();
        assert_eq!(site.author.as_deref(), Some("A"));
        assert_eq!(site.base_url.as_deref(), Some("https://x.org/b/"));
        assert_eq!(site.posts_per_page, 5);
        assert_eq!(site.social.len(), 1);
        assert_eq!(site.raw_html, RawHtml::Escape);
    }

    #[test]
    fn menu_entries_in_order_and_their_urls() {
        let (site, warnings) = parse_site(
            "title = \"T\"\n[[menu]]\nname = \"Home\"\nurl = \"/\"\n[[menu]]\nname = \"About\"\nurl = \"about/\"\n[[ menu ]]\nname = \"Code\"\nurl = \"https://example.org/x\"\n",
        )
        .unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let urls: Vec<(&str, &str)> = site
            .menu
            .iter()
            .map(|e| (e.name.as_str(), e.url.as_str()))
            .collect();
        assert_eq!(
            urls,
            [
                ("Home", "/"),
                ("About", "/about/"),
                ("Code", "https://example.org/x")
            ]
        );
        for (url, ok) in [
            ("", Some("/")),
            ("tags", Some("/tags")),
            ("/files/cv.pdf", Some("/files/cv.pdf")),
            ("à-propos/", Some("/à-propos/")),
            ("https://", None),
            ("http://example.org/", None),
            ("javascript:alert(1)", None),
            ("//evil.example/", None),
            ("../up/", None),
            ("a//b", None),
            ("about?x=1", None),
            ("mailto:a@b.c", None),
            ("a b", None),
            ("https://user@evil.example/", None),
        ] {
            assert_eq!(menu_url(url).as_deref(), ok, "{url:?}");
        }
    }

    #[test]
    fn bad_menu_entries_are_errors_at_their_line() {
        let err = parse_site(
            "title = \"T\"\n[[menu]]\nname = \"Ok\"\nurl = \"/\"\n\n[[menu]]\nname = \"Bad\"\nurl = \"javascript:alert(1)\"\n[[menu]]\nurl = \"about/\"\n",
        )
        .unwrap_err();
        let got: Vec<(usize, &str)> = err.iter().map(|i| (i.line, i.message.as_str())).collect();
        assert!(
            got.iter()
                .any(|(l, m)| *l == 6 && m.contains("\"Bad\"") && m.contains("https://")),
            "{got:?}"
        );
        assert!(
            got.iter().any(|(l, m)| *l == 9 && m.contains("needs name")),
            "{got:?}"
        );
        let err = parse_site("title = \"T\"\nmenu = \"home\"\n").unwrap_err();
        assert_eq!(err[0].line, 2);
    }

    #[test]
    fn settings_swallowed_by_a_social_table_are_reported() {
        let (site, warnings) = parse_site(
            "title = \"T\"\n[[social]]\nname = \"M\"\nurl = \"https://m.org\"\nraw_html = \"escape\"\nicon = \"m\"\n",
        )
        .unwrap();
        assert_eq!(site.raw_html, RawHtml::Sanitize);
        let messages: Vec<&str> = warnings.iter().map(|w| w.message.as_str()).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains("\"raw_html\"") && m.contains("before the first [[social]]")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("\"icon\"")),
            "{messages:?}"
        );
        assert!(warnings.iter().all(|w| w.line == 2), "{warnings:?}");
    }

    #[test]
    fn every_problem_with_its_line() {
        let err = parse_site(
            "description = 3\nbase_url = \"/relative\"\nposts_per_page = 0\nfoo = 1\n[[social]]\nname = \"x\"\nurl = \"javascript:alert(1)\"\n",
        )
        .unwrap_err();
        let got: Vec<(usize, String)> = err.iter().map(|i| (i.line, i.message.clone())).collect();
        assert!(
            got.iter()
                .any(|(l, m)| *l == 1 && m.contains("description must be text")),
            "{got:?}"
        );
        assert!(
            got.iter().any(|(l, m)| *l == 2 && m.contains("base_url")),
            "{got:?}"
        );
        assert!(
            got.iter()
                .any(|(l, m)| *l == 3 && m.contains("posts_per_page")),
            "{got:?}"
        );
        assert!(
            got.iter()
                .any(|(l, m)| *l == 4 && m.contains("unknown setting")),
            "{got:?}"
        );
        assert!(
            got.iter().any(|(l, m)| *l == 5 && m.contains("unsafe url")),
            "{got:?}"
        );
        let bad = parse_site("title = \"T\"\ntitle = \"again\"\n").unwrap_err();
        assert_eq!(bad[0].line, 2);
        assert!(bad[0].message.starts_with("bad TOML"));
    }
}
