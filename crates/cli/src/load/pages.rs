//! One standalone page's file (`content/pages/<name>.md`) → a checked [`Page`]. A page is
//! read by the posts' rules (`load/post.rs`: front matter, slug, summary, depth), so the
//! two cannot drift apart; it only needs no date. Its `aliases` (old addresses) lead to it
//! as a post's do. `date` and `author` are accepted and not shown (an export carries
//! them); `tags` and `categories`, which would list a post, are a warning that they are
//! ignored.

use super::post::{Post, read};
use crate::diag::Issue;
use quire_core::RawHtml;
use std::path::{Path, PathBuf};

/// One standalone page, checked and complete.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    /// The file, as found under the content folder (for messages).
    pub path: PathBuf,
    /// Its address is `/<slug>/`.
    pub slug: String,
    /// Line of the `slug` field (or 1), for collision messages.
    pub slug_line: usize,
    pub title: String,
    /// `YYYY-MM-DD` or RFC 3339, as written.
    pub updated: Option<super::dates::PostDate>,
    /// Markdown: the `summary` field, else the text before `<!--more-->`, else the first
    /// paragraph (the page's description).
    pub summary: String,
    /// Markdown, without the `<!--more-->` line.
    pub body: String,
    pub draft: bool,
    /// `toc: true` in the front matter.
    pub toc: bool,
    /// Where the body sits in the file (see [`Page::file_line`]).
    pub body_line: usize,
    pub more_line: Option<usize>,
    /// Old addresses that lead to the page (output directories, see `load/aliases.rs`).
    pub aliases: Vec<String>,
    /// Line of the `aliases` field (or 1).
    pub aliases_line: usize,
}

impl Page {
    /// The file's line (1-based) of byte `offset` in [`Page::body`].
    pub fn file_line(&self, offset: usize) -> usize {
        super::post::body_file_line(&self.body, self.body_line, self.more_line, offset)
    }
}

/// Turns one page file's text into a [`Page`]. Errors and warnings carry lines in `text`.
pub fn page_from_text(
    path: &Path,
    file_name: &str,
    text: &str,
    policy: RawHtml,
) -> Result<(Page, Vec<Issue>), Vec<Issue>> {
    let (post, mut warnings) = read(path, file_name, text, policy, false)?;
    let Post {
        path,
        slug,
        slug_line,
        title,
        updated,
        tags,
        categories,
        summary,
        body,
        draft,
        toc,
        body_line,
        more_line,
        aliases,
        aliases_line,
        tags_line,
        categories_line,
        ..
    } = post;
    let ignored = [
        ("tags", !tags.is_empty(), tags_line),
        ("categories", !categories.is_empty(), categories_line),
    ];
    for (field, present, line) in ignored {
        if present {
            warnings.push(Issue::warning(
                line,
                format!("{field} is ignored on a page (pages are not listed among the posts)"),
            ));
        }
    }
    // An export may give a page its own address as an old one (`/about/` for `about`).
    let aliases = aliases.into_iter().filter(|a| *a != slug).collect();
    Ok((
        Page {
            path,
            slug,
            slug_line,
            title,
            updated,
            summary,
            body,
            draft,
            toc,
            body_line,
            more_line,
            aliases,
            aliases_line,
        },
        warnings,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_needs_a_title_and_no_date() {
        let (page, warnings) = page_from_text(
            Path::new("pages/about.md"),
            "about.md",
            "---\ntitle: About me\nupdated: 2024-05-01\n---\nHello *there*.\n",
            RawHtml::default(),
        )
        .unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(page.slug, "about");
        assert_eq!(page.title, "About me");
        assert_eq!(page.summary, "Hello *there*.");
        assert_eq!(page.updated.unwrap().text, "2024-05-01");
        let err = page_from_text(
            Path::new("pages/x.md"),
            "x.md",
            "---\nslug: y\n---\nText.\n",
            RawHtml::default(),
        )
        .unwrap_err();
        assert!(
            err.iter()
                .any(|i| i.line == 1 && i.message.contains("missing title"))
        );
        assert!(!err.iter().any(|i| i.message.contains("date")), "{err:?}");
    }

    #[test]
    fn post_only_fields_are_ignored_with_a_warning() {
        let (page, warnings) = page_from_text(
            Path::new("pages/cv.md"),
            "cv.md",
            "---\ntitle: CV\nslug: resume\ndate: 2024-01-01\ntags: [a]\ndraft: true\naliases: [/cv/, /resume/]\n---\nText.\n",
            RawHtml::default(),
        )
        .unwrap();
        assert_eq!(page.slug, "resume");
        assert_eq!(page.slug_line, 3);
        assert!(page.draft);
        let got: Vec<(usize, &str)> = warnings
            .iter()
            .map(|w| (w.line, w.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [(
                5,
                "tags is ignored on a page (pages are not listed among the posts)"
            )]
        );
        // An old address that is the page's own is no alias.
        assert_eq!(page.aliases, ["cv"]);
        assert_eq!(page.aliases_line, 7);
    }
}
