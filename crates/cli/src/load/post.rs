//! One post file's text → a checked [`Post`]: its front matter, slug, summary (the text
//! before `<!--more-->`, else the first paragraph) and body.

use super::dates::{PostDate, now_instant};
use super::front_matter::parse_front_matter;
use crate::diag::Issue;
use pulldown_cmark::{Event, Parser, Tag};
use quire_core::slug::{slug_from_file_name, term_slug};
use std::path::{Path, PathBuf};

/// One post, checked and complete.
#[derive(Clone, Debug, PartialEq)]
pub struct Post {
    /// The file, as found under the content folder (for messages).
    pub path: PathBuf,
    pub slug: String,
    /// Line of the `slug` field (or 1), for duplicate-slug messages.
    pub slug_line: usize,
    pub title: String,
    pub date: PostDate,
    pub updated: Option<PostDate>,
    pub tags: Vec<String>,
    pub categories: Vec<String>,
    /// `None` until [`super::load`] fills in the site's default.
    pub author: Option<String>,
    /// Markdown.
    pub summary: String,
    /// Markdown, without the `<!--more-->` line.
    pub body: String,
    pub draft: bool,
    /// Old addresses that lead to the post (output directories, see `load/aliases.rs`).
    pub aliases: Vec<String>,
    /// Line of the `aliases` field (or 1).
    pub aliases_line: usize,
}

fn is_more_line(line: &str) -> bool {
    let t = line.trim();
    t.strip_prefix("<!--")
        .and_then(|r| r.strip_suffix("-->"))
        .is_some_and(|inner| inner.trim().eq_ignore_ascii_case("more"))
}

/// Splits a body at its first `<!--more-->` line (outside code fences): the Markdown
/// before it, and the body without that line. `None` when there is no such line.
pub fn split_more(body: &str) -> Option<(String, String)> {
    let mut fence: Option<(u8, usize)> = None;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let t = line.trim_start();
        let run = |ch: u8| t.bytes().take_while(|&b| b == ch).count();
        for ch in [b'`', b'~'] {
            let n = run(ch);
            if n >= 3 {
                match fence {
                    None => fence = Some((ch, n)),
                    Some((c, m)) if c == ch && n >= m && t.trim_end().len() == n => fence = None,
                    _ => {}
                }
            }
        }
        if fence.is_none() && is_more_line(line) {
            let before = body[..offset].trim().to_string();
            let without = format!("{}{}", &body[..offset], &body[offset + line.len()..]);
            return Some((before, without));
        }
        offset += line.len();
    }
    None
}

/// The Markdown of the body's first paragraph ("" when it has none).
pub fn first_paragraph(body: &str) -> String {
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(body, quire_core::markdown::options()).into_offset_iter()
    {
        match event {
            Event::Start(Tag::Paragraph) if depth == 0 => {
                return body[range].trim().to_string();
            }
            Event::Start(Tag::Paragraph) => {}
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    String::new()
}

/// Turns one post file's text into a [`Post`] (author not yet defaulted). `file_name`
/// gives the default slug. Errors and warnings carry lines in `text`.
pub fn post_from_text(
    path: &Path,
    file_name: &str,
    text: &str,
) -> Result<(Post, Vec<Issue>), Vec<Issue>> {
    let doc = parse_front_matter(text)?;
    let mut warnings = doc.warnings;
    let fm = doc.front;
    let slug = match &fm.slug {
        Some(given) => {
            let slug = term_slug(given);
            if slug.is_empty() {
                let mut all = warnings;
                all.push(Issue::error(
                    fm.slug_line,
                    format!("slug {given:?} is empty"),
                ));
                return Err(all);
            }
            if slug != *given {
                warnings.push(Issue::warning(
                    fm.slug_line,
                    format!("slug {given:?} is used as {slug:?}"),
                ));
            }
            slug
        }
        None => slug_from_file_name(file_name),
    };
    let (summary, body) = match split_more(doc.body) {
        Some((before, without)) => (fm.summary.clone().unwrap_or(before), without),
        None => (
            fm.summary
                .clone()
                .unwrap_or_else(|| first_paragraph(doc.body)),
            doc.body.to_string(),
        ),
    };
    if fm.date.instant > now_instant() {
        warnings.push(Issue::warning(
            1,
            format!(
                "date {} is in the future; the post is published anyway",
                fm.date.text
            ),
        ));
    }
    Ok((
        Post {
            path: path.to_path_buf(),
            slug,
            slug_line: fm.slug_line,
            title: fm.title,
            date: fm.date,
            updated: fm.updated,
            tags: fm.tags,
            categories: fm.categories,
            author: fm.author,
            summary,
            body,
            draft: fm.draft,
            aliases: fm.aliases,
            aliases_line: fm.aliases_line,
        },
        warnings,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_marker_splits_summary() {
        let (summary, body) = split_more("Intro *here*.\n\n<!--more-->\n\nRest.\n").unwrap();
        assert_eq!(summary, "Intro *here*.");
        assert_eq!(body, "Intro *here*.\n\n\nRest.\n");
        assert!(split_more("```\n<!--more-->\n```\n").is_none());
        assert!(split_more("no marker\n").is_none());
        assert!(split_more("a\n<!-- more -->\nb").is_some());
    }

    #[test]
    fn first_paragraph_skips_headings_and_lists() {
        assert_eq!(
            first_paragraph("# Title\n\nFirst *para*.\n\nSecond.\n"),
            "First *para*."
        );
        assert_eq!(first_paragraph("- item\n\nAfter list.\n"), "After list.");
        assert_eq!(first_paragraph("> quoted\n\nReal.\n"), "Real.");
        assert_eq!(first_paragraph("```\ncode\n```\n"), "");
    }
}
