//! One post file's text → a checked [`Post`]: its front matter, slug, summary (the text
//! before `<!--more-->`, else the first paragraph) and body, each no deeper than the limit
//! (`load/depth.rs`).

use super::dates::PostDate;
use super::depth;
use super::front_matter::parse_front_matter_of;
use crate::diag::Issue;
use pulldown_cmark::{Event, Parser, Tag};
use quire_core::RawHtml;
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
    /// `toc: true` in the front matter.
    pub toc: bool,
    /// The file's line of the body's first line, and the body line the `<!--more-->`
    /// line was taken out at (for [`Post::file_line`]).
    pub body_line: usize,
    pub more_line: Option<usize>,
    /// Old addresses that lead to the post (output directories, see `load/aliases.rs`).
    pub aliases: Vec<String>,
    /// Line of the `aliases` field (or 1).
    pub aliases_line: usize,
    /// Lines of the `tags`, `categories` and `author` fields (or 1), for messages about
    /// their terms.
    pub tags_line: usize,
    pub categories_line: usize,
    pub author_line: usize,
}

impl Post {
    /// The file's line (1-based) of byte `offset` in [`Post::body`].
    pub fn file_line(&self, offset: usize) -> usize {
        body_file_line(&self.body, self.body_line, self.more_line, offset)
    }
}

/// The file's line (1-based) of byte `offset` in a body that starts at the file's line
/// `body_line` and lost its `<!--more-->` line at body line `more_line` (posts and pages).
pub fn body_file_line(
    body: &str,
    body_line: usize,
    more_line: Option<usize>,
    offset: usize,
) -> usize {
    let line = line_at(body, offset);
    let past_more = more_line.is_some_and(|m| line >= m);
    body_line + line - 1 + usize::from(past_more)
}

fn is_more_line(line: &str) -> bool {
    let t = line.trim();
    t.strip_prefix("<!--")
        .and_then(|r| r.strip_suffix("-->"))
        .is_some_and(|inner| inner.trim().eq_ignore_ascii_case("more"))
}

/// Splits a body at its first `<!--more-->` line (outside code fences): the Markdown
/// before it, the body without that line, and the line's byte offset in `body`. `None`
/// when there is no such line.
pub fn split_more(body: &str) -> Option<(String, String, usize)> {
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
            return Some((before, without, offset));
        }
        offset += line.len();
    }
    None
}

/// The Markdown of the body's first paragraph ("" when it has none), and its byte offset
/// in `body`.
pub fn first_paragraph(body: &str) -> (String, usize) {
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(body, quire_core::markdown::options()).into_offset_iter()
    {
        match event {
            Event::Start(Tag::Paragraph) if depth == 0 => {
                let text = &body[range.clone()];
                let lead = text.len() - text.trim_start().len();
                return (text.trim().to_string(), range.start + lead);
            }
            Event::Start(Tag::Paragraph) => {}
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    (String::new(), 0)
}

/// The line (1-based) of the top-level front matter field `key` (`key:` in YAML, `key =`
/// in TOML) among the lines before `body_line`; 1 when there is none.
fn field_line(text: &str, body_line: usize, key: &str) -> usize {
    text.lines()
        .take(body_line.saturating_sub(1))
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with([':', '=']))
        })
        .map_or(1, |i| i + 1)
}

/// The line (1-based) of byte `offset` in `text`.
fn line_at(text: &str, offset: usize) -> usize {
    1 + text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// Where a summary came from, for the lines of messages about it.
enum SummaryFrom {
    /// The `summary` field, at this line.
    Field(usize),
    /// A part of the body from this (1-based) line of the body on.
    Body(usize),
}

/// Turns one post file's text into a [`Post`] (author not yet defaulted). `file_name`
/// gives the default slug; `policy`, the site's, says what its raw HTML becomes, which
/// counts towards how deep it nests. Errors and warnings carry lines in `text`.
pub fn post_from_text(
    path: &Path,
    file_name: &str,
    text: &str,
    policy: RawHtml,
) -> Result<(Post, Vec<Issue>), Vec<Issue>> {
    read(path, file_name, text, policy, true)
}

/// [`post_from_text`], with the date optional unless `date_required` (a standalone page,
/// `load/pages.rs`, is read by the same rules and needs none).
pub(super) fn read(
    path: &Path,
    file_name: &str,
    text: &str,
    policy: RawHtml,
    date_required: bool,
) -> Result<(Post, Vec<Issue>), Vec<Issue>> {
    let doc = parse_front_matter_of(text, date_required)?;
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
    let summary_field = field_line(text, doc.body_line, "summary");
    // The body line the `<!--more-->` line took out, if any.
    let mut more_line = None;
    let (summary, summary_from, body) = match split_more(doc.body) {
        Some((before, without, offset)) => {
            more_line = Some(line_at(doc.body, offset));
            let lead = doc.body[..offset].len() - doc.body[..offset].trim_start().len();
            match fm.summary.clone() {
                Some(s) => (s, SummaryFrom::Field(summary_field), without),
                None => (before, SummaryFrom::Body(line_at(doc.body, lead)), without),
            }
        }
        None => match fm.summary.clone() {
            Some(s) => (s, SummaryFrom::Field(summary_field), doc.body.to_string()),
            None => {
                let (first, offset) = first_paragraph(doc.body);
                let from = SummaryFrom::Body(line_at(doc.body, offset));
                (first, from, doc.body.to_string())
            }
        },
    };
    // Body lines are the file's from `body_line` on, less the `<!--more-->` line.
    let file_line = |body_line: usize| {
        let past_more = more_line.is_some_and(|m| body_line >= m);
        doc.body_line + body_line - 1 + usize::from(past_more)
    };
    if let Some(deep) = depth::too_deep(&body, policy) {
        let mut all = warnings;
        all.push(Issue::error(
            file_line(deep.line),
            depth::message("the post", &deep),
        ));
        return Err(all);
    }
    if let Some(deep) = depth::too_deep(&summary, policy) {
        let line = match summary_from {
            SummaryFrom::Field(line) => line,
            SummaryFrom::Body(first) => doc.body_line + first + deep.line - 2,
        };
        let mut all = warnings;
        all.push(Issue::error(line, depth::message("the summary", &deep)));
        return Err(all);
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
            toc: fm.toc,
            body_line: doc.body_line,
            more_line,
            aliases: fm.aliases,
            aliases_line: fm.aliases_line,
            tags_line: field_line(text, doc.body_line, "tags"),
            categories_line: field_line(text, doc.body_line, "categories"),
            author_line: field_line(text, doc.body_line, "author"),
        },
        warnings,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_marker_splits_summary() {
        let (summary, body, at) = split_more("Intro *here*.\n\n<!--more-->\n\nRest.\n").unwrap();
        assert_eq!(summary, "Intro *here*.");
        assert_eq!(body, "Intro *here*.\n\n\nRest.\n");
        assert_eq!(at, 15);
        assert!(split_more("```\n<!--more-->\n```\n").is_none());
        assert!(split_more("no marker\n").is_none());
        assert!(split_more("a\n<!-- more -->\nb").is_some());
    }

    #[test]
    fn first_paragraph_skips_headings_and_lists() {
        assert_eq!(
            first_paragraph("# Title\n\nFirst *para*.\n\nSecond.\n"),
            ("First *para*.".to_string(), 9)
        );
        assert_eq!(first_paragraph("- item\n\nAfter list.\n").0, "After list.");
        assert_eq!(first_paragraph("> quoted\n\nReal.\n").0, "Real.");
        assert_eq!(first_paragraph("```\ncode\n```\n").0, "");
    }
}
