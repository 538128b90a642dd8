//! Loading a content folder: site.toml, every post under `posts/` (in parallel), and the
//! static files under `static/`.

use crate::dates::{PostDate, now_instant};
use crate::diag::{Diagnostic, Issue};
use crate::front_matter::parse_front_matter;
use crate::site::parse_site;
use pulldown_cmark::{Event, Parser, Tag};
use quire_core::Site;
use quire_core::slug::slugify;
use rayon::prelude::*;
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Slugs longer than this (in bytes) are cut, so every route fits in a file name.
pub const MAX_SLUG_BYTES: usize = 120;

/// Author of posts that name none when site.toml names none either.
pub const ANONYMOUS: &str = "Anonymous";

#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Keep posts marked `draft: true`.
    pub drafts: bool,
    /// Print progress on stderr for big folders.
    pub progress: bool,
}

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
    /// `None` until [`load`] fills in the site's default.
    pub author: Option<String>,
    /// Markdown.
    pub summary: String,
    /// Markdown, without the `<!--more-->` line.
    pub body: String,
    pub draft: bool,
    /// Old addresses that lead to the post (output directories, see [`crate::aliases`]).
    pub aliases: Vec<String>,
    /// Line of the `aliases` field (or 1).
    pub aliases_line: usize,
}

/// Everything read from a content folder, with every problem found.
#[derive(Debug, Default)]
pub struct Content {
    pub site: Option<Site>,
    /// Posts that will be published (drafts only with [`LoadOptions::drafts`]), in file order.
    pub posts: Vec<Post>,
    pub diagnostics: Vec<Diagnostic>,
    /// Post files found.
    pub files: usize,
    pub drafts_skipped: usize,
    /// `(source, path relative to the output root)` of files under `static/`.
    pub static_files: Vec<(PathBuf, PathBuf)>,
    /// site.toml's `[authors]` table (empty without one).
    pub authors: Vec<crate::site::Author>,
}

impl Content {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// A term's URL slug: [`slugify`], or, when the name has no letter or digit at all
/// (`"🚀"`, `"!!!"`), its code points (`u1f680`), so no term is lost; at most
/// [`MAX_SLUG_BYTES`]. Empty only for an empty or all-whitespace name.
pub fn term_slug(name: &str) -> String {
    let mut slug = slugify(name);
    if slug.is_empty() {
        slug = name
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| format!("u{:x}", c as u32))
            .collect::<Vec<_>>()
            .join("-");
    }
    cut_slug(slug)
}

fn cut_slug(mut slug: String) -> String {
    if slug.len() > MAX_SLUG_BYTES {
        let mut end = MAX_SLUG_BYTES;
        while !slug.is_char_boundary(end) {
            end -= 1;
        }
        slug.truncate(end);
        while slug.ends_with('-') {
            slug.pop();
        }
    }
    slug
}

/// The default slug of a post file: its name without `.md` and without a leading
/// `YYYY-MM-DD-`, as a [`term_slug`].
pub fn slug_from_file_name(file_name: &str) -> String {
    let stem = file_name
        .strip_suffix(".md")
        .or_else(|| file_name.strip_suffix(".MD"))
        .unwrap_or(file_name);
    let dated = stem.len() > 11
        && stem.as_bytes()[10] == b'-'
        && quire_core::date::day_shape(stem).is_some();
    let rest = if dated { &stem[11..] } else { stem };
    term_slug(rest)
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

/// Reads a file as UTF-8 text, with a `path:line` error for unreadable or non-UTF-8 files.
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let bytes =
        fs::read(path).map_err(|e| Diagnostic::error(path, 1, format!("cannot read: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = good.len() - good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) + 1;
        Diagnostic::error(
            path,
            line,
            format!("not UTF-8 text (bad byte at column {column}); save the file as UTF-8"),
        )
    })
}

/// Files under `dir`, recursively, in file-name order, for [`load`].
///
/// Symlink policy: links are followed, to files and to folders alike (a content folder
/// may link in posts kept elsewhere); a link that leads back to a folder containing it
/// is a loop, reported as a warning and not entered; a link to nothing is a warning and
/// skipped. Entries whose name starts with `.` (`.git`, editor swap files) are skipped
/// without a word. Files `keep` refuses go to `other`.
fn walk(
    dir: &Path,
    keep: &dyn Fn(&Path) -> bool,
    files: &mut Vec<PathBuf>,
    diags: &mut Vec<Diagnostic>,
    other: &mut dyn FnMut(&Path, &mut Vec<Diagnostic>),
) {
    let hidden =
        |e: &walkdir::DirEntry| e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
    let entries = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !hidden(e));
    for entry in entries {
        match entry {
            Ok(e) if e.file_type().is_dir() => {}
            Ok(e) if keep(e.path()) => files.push(e.into_path()),
            Ok(e) => other(e.path(), diags),
            Err(err) => {
                let path = err.path().unwrap_or(dir).to_path_buf();
                let diag = if err.loop_ancestor().is_some() {
                    Diagnostic::warning(
                        &path,
                        1,
                        "symlink loop: this folder leads back to one that contains it; skipped",
                    )
                } else if err.depth() == 0 {
                    Diagnostic::error(&path, 1, format!("cannot read folder: {}", io_text(&err)))
                } else if path.symlink_metadata().is_ok() && path.metadata().is_err() {
                    Diagnostic::warning(
                        &path,
                        1,
                        format!(
                            "cannot read (a broken symlink?): {}; skipped",
                            io_text(&err)
                        ),
                    )
                } else {
                    Diagnostic::warning(
                        &path,
                        1,
                        format!("cannot read: {}; skipped", io_text(&err)),
                    )
                };
                diags.push(diag);
            }
        }
    }
}

/// The I/O error under a walkdir error, without walkdir's own wording around it.
fn io_text(err: &walkdir::Error) -> String {
    err.io_error()
        .map_or_else(|| err.to_string(), ToString::to_string)
}

fn is_markdown(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
}

/// Reads a content folder. Never fails as a whole: every problem becomes a diagnostic.
pub fn load(dir: &Path, opts: &LoadOptions) -> Content {
    let mut content = Content::default();
    let diags = &mut content.diagnostics;
    if !dir.is_dir() {
        diags.push(Diagnostic::error(
            dir,
            1,
            "content folder not found (set --content DIR or QUIRE_CONTENT)",
        ));
        return content;
    }
    let site_path = dir.join("site.toml");
    if site_path.is_file() {
        match read_text(&site_path) {
            Ok(text) => match parse_site(&text) {
                Ok((site, warnings)) => {
                    diags.extend(warnings.into_iter().map(|w| w.at(&site_path)));
                    content.site = Some(site);
                    let (authors, issues) = crate::site::parse_authors(&text);
                    diags.extend(issues.into_iter().map(|i| i.at(&site_path)));
                    content.authors = authors;
                }
                Err(issues) => diags.extend(issues.into_iter().map(|i| i.at(&site_path))),
            },
            Err(d) => diags.push(d),
        }
    } else {
        diags.push(Diagnostic::error(
            &site_path,
            1,
            "site.toml not found: create it with at least title = \"My blog\"",
        ));
    }

    let posts_dir = dir.join("posts");
    let mut files = Vec::new();
    if posts_dir.is_dir() {
        walk(&posts_dir, &is_markdown, &mut files, diags, &mut |p, d| {
            d.push(Diagnostic::warning(
                    p,
                    1,
                    "not a .md file; skipped (posts are .md files; put images and other files in static/)",
                ))
        });
    } else {
        diags.push(Diagnostic::warning(
            &posts_dir,
            1,
            "no posts folder: the blog has no posts",
        ));
    }
    let static_dir = dir.join("static");
    if static_dir.is_dir() {
        let mut found = Vec::new();
        walk(&static_dir, &|_| true, &mut found, diags, &mut |_, _| {});
        content.static_files = found
            .into_iter()
            .filter_map(|p| {
                let rel = p.strip_prefix(&static_dir).ok()?.to_path_buf();
                Some((p, rel))
            })
            .collect();
    }

    content.files = files.len();
    if opts.progress && files.len() >= 1000 {
        eprintln!("quire: reading {} posts…", files.len());
    }
    type Loaded = Result<(Post, Vec<Diagnostic>), Vec<Diagnostic>>;
    let results: Vec<Loaded> = files
        .par_iter()
        .map(|path| {
            let text = read_text(path).map_err(|d| vec![d])?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            match post_from_text(path, &name, &text) {
                Ok((post, warnings)) => {
                    Ok((post, warnings.into_iter().map(|w| w.at(path)).collect()))
                }
                Err(issues) => Err(issues.into_iter().map(|i| i.at(path)).collect()),
            }
        })
        .collect();
    let site_author = content.site.as_ref().and_then(|s| s.author.clone());
    for r in results {
        match r {
            Ok((mut post, warnings)) => {
                diags.extend(warnings);
                if post.draft && !opts.drafts {
                    content.drafts_skipped += 1;
                    continue;
                }
                if post.author.is_none() {
                    match &site_author {
                        Some(a) => post.author = Some(a.clone()),
                        None => {
                            diags.push(Diagnostic::warning(
                                &post.path,
                                1,
                                format!("no author here or in site.toml; listed as {ANONYMOUS:?}"),
                            ));
                            post.author = Some(ANONYMOUS.into());
                        }
                    }
                }
                // An author of site.toml's table is known by its key (its page's slug);
                // the bundle shows the table's name.
                if let Some(a) = post
                    .author
                    .as_deref()
                    .and_then(|name| crate::site::find_author(name, &content.authors))
                {
                    post.author = Some(a.slug.clone());
                }
                content.posts.push(post);
            }
            Err(d) => diags.extend(d),
        }
    }
    check_duplicates(&content.posts, diags);
    crate::diag::sort(diags);
    content
}

/// Two published posts with one slug: an error on each later file, naming the first.
fn check_duplicates(posts: &[Post], diags: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, &Post> = HashMap::with_capacity(posts.len());
    for post in posts {
        match seen.get(post.slug.as_str()) {
            Some(first) => diags.push(Diagnostic::error(
                &post.path,
                post.slug_line,
                format!(
                    "two posts have the slug {:?}: {} and {} (set a different slug in one of them)",
                    post.slug,
                    first.path.display(),
                    post.path.display()
                ),
            )),
            None => {
                seen.insert(&post.slug, post);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_from_file_names() {
        assert_eq!(
            slug_from_file_name("2024-03-01-hello-world.md"),
            "hello-world"
        );
        assert_eq!(slug_from_file_name("Hello World.md"), "hello-world");
        assert_eq!(slug_from_file_name("2024-03-01.md"), "2024-03-01");
        assert_eq!(slug_from_file_name("2024-03-01-🚀.md"), "u1f680");
        assert_eq!(slug_from_file_name("2024-03-01-Café.md"), "café");
    }

    #[test]
    fn term_slugs_never_lose_a_term() {
        assert_eq!(term_slug("Static Sites"), "static-sites");
        assert_eq!(term_slug("🚀"), "u1f680");
        assert_eq!(term_slug("!!"), "u21-u21");
        assert_eq!(term_slug("  "), "");
        let long = "a".repeat(400);
        assert_eq!(term_slug(&long).len(), MAX_SLUG_BYTES);
        let cjk = "漢".repeat(100);
        let s = term_slug(&cjk);
        assert!(s.len() <= MAX_SLUG_BYTES && s.chars().all(|c| c == '漢'));
    }

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
