//! Checks across the whole content folder, once every file is read: two posts with one
//! slug, and static files, aliases, posts or terms that would take an address the build
//! writes or another one's. The names the build takes come from core's route table
//! ([`quire_core::route::is_reserved`]), the one rule for what a static file or an alias
//! may not replace.
//!
//! Every name is compared as a case-insensitive file system or host compares it (macOS,
//! Windows, some CDNs' origins): by its [`fold_case`] key, so `/Tag/rust/` takes
//! `/tag/rust/`, `static/Feed.xml` the feed, and `Logo.png` and `logo.png` are one file.
//! A site built on Linux and served from such a host would otherwise lose one of the two.

use super::pages::Page;
use super::post::Post;
use crate::diag::Diagnostic;
use quire_core::route::{TermKind, fold_case, is_reserved};
use quire_core::slug::term_slug;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Said of two names that differ only in case.
const CASE_INSENSITIVE: &str =
    "a case-insensitive host or file system, such as macOS's or Windows'";

/// Every problem between the posts, the standalone pages and the static files.
pub fn across(
    posts: &[Post],
    pages: &[Page],
    static_files: &[(PathBuf, PathBuf)],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    duplicate_slugs(posts, &mut out);
    term_collisions(posts, &mut out);
    out.extend(static_conflicts(static_files));
    let owners: Vec<AliasOwner<'_>> = posts
        .iter()
        .map(|p| AliasOwner {
            path: &p.path,
            aliases: &p.aliases,
            line: p.aliases_line,
        })
        .chain(pages.iter().map(|p| AliasOwner {
            path: &p.path,
            aliases: &p.aliases,
            line: p.aliases_line,
        }))
        .collect();
    let statics = folded_statics(static_files);
    out.extend(alias_conflicts(&owners, &statics));
    out.extend(page_conflicts(pages, &owners, &statics));
    out
}

/// A post or page with old addresses ([`Post::aliases`], [`Page::aliases`]).
struct AliasOwner<'a> {
    path: &'a Path,
    aliases: &'a [String],
    /// Line of its `aliases` field (or 1).
    line: usize,
}

/// Two published posts with one slug, or with slugs that one case-insensitive name takes
/// (`ας` and `ασ`): an error on each later file, naming the first.
fn duplicate_slugs(posts: &[Post], diags: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<String, &Post> = HashMap::with_capacity(posts.len());
    for post in posts {
        match seen.get(&fold_case(&post.slug)) {
            Some(first) if first.slug == post.slug => diags.push(Diagnostic::error(
                &post.path,
                post.slug_line,
                format!(
                    "two posts have the slug {:?}: {} and {} (set a different slug in one of them)",
                    post.slug,
                    first.path.display(),
                    post.path.display()
                ),
            )),
            Some(first) => diags.push(Diagnostic::error(
                &post.path,
                post.slug_line,
                format!(
                    "slug {:?} gives the address /post/{}/, which {CASE_INSENSITIVE}, takes for /post/{}/ of {}; set a different slug in one of them",
                    post.slug,
                    post.slug,
                    first.slug,
                    first.path.display()
                ),
            )),
            None => {
                seen.insert(fold_case(&post.slug), post);
            }
        }
    }
}

/// Terms of one kind whose pages one case-insensitive name takes: a tag `ΑΣ` (slug `ασ`)
/// and a tag `ας` (slug `ας`: a final sigma is a letter of its own) are two pages,
/// `/tag/ασ/` and `/tag/ας/`, and one folder there. One error for each later spelling, at
/// the field of the first post that uses it.
fn term_collisions(posts: &[Post], diags: &mut Vec<Diagnostic>) {
    for kind in TermKind::ALL {
        // Folded slug → the first slug, its name as written and its post.
        let mut first: HashMap<String, (String, &str, &Post)> = HashMap::new();
        let mut reported: HashSet<String> = HashSet::new();
        for post in posts {
            let (names, line): (&[String], usize) = match kind {
                TermKind::Tag => (&post.tags, post.tags_line),
                TermKind::Category => (&post.categories, post.categories_line),
                TermKind::Author => (post.author.as_slice(), post.author_line),
            };
            for name in names {
                let slug = term_slug(name);
                if slug.is_empty() {
                    continue;
                }
                let key = fold_case(&slug);
                match first.get(&key) {
                    Some((other, other_name, other_post)) if *other != slug => {
                        if reported.insert(slug.clone()) {
                            let what = kind_name(kind);
                            let segment = kind.segment();
                            diags.push(Diagnostic::error(
                                &post.path,
                                line,
                                format!(
                                    "{what} {name:?} gets the address /{segment}/{slug}/, which {CASE_INSENSITIVE}, takes for /{segment}/{other}/ of {what} {other_name:?} in {}; write the {what} the same way in both posts",
                                    other_post.path.display()
                                ),
                            ));
                        }
                    }
                    Some(_) => {}
                    None => {
                        first.insert(key, (slug, name, post));
                    }
                }
            }
        }
    }
}

fn kind_name(kind: TermKind) -> &'static str {
    match kind {
        TermKind::Tag => "tag",
        TermKind::Category => "category",
        TermKind::Author => "author",
    }
}

/// A static file's path relative to `static/`, with `/` between its parts.
fn rel_name(rel: &Path) -> String {
    rel.to_string_lossy().replace('\\', "/")
}

/// ` as "x" (…)` when `name` is reserved only in another case, else "".
fn case_note(name: &str) -> String {
    let folded = fold_case(name);
    if folded == name {
        String::new()
    } else {
        format!(" as {folded:?} (the same name on {CASE_INSENSITIVE})")
    }
}

/// Static files that would replace something the build writes, and static files that one
/// case-insensitive name takes with another file or a folder: one error each.
fn static_conflicts(static_files: &[(PathBuf, PathBuf)]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Folded folder path → the folder as written.
    let mut folders: HashMap<String, String> = HashMap::new();
    for (_, rel) in static_files {
        let name = rel_name(rel);
        let mut end = 0;
        while let Some(slash) = name[end..].find('/') {
            end += slash;
            folders
                .entry(fold_case(&name[..end]))
                .or_insert_with(|| name[..end].to_string());
            end += 1;
        }
    }
    let mut files: HashMap<String, String> = HashMap::with_capacity(static_files.len());
    for (src, rel) in static_files {
        let name = rel_name(rel);
        let first = name.split('/').next().unwrap_or_default();
        if is_reserved(first) {
            out.push(Diagnostic::error(
                src,
                1,
                format!(
                    "static file would replace {first:?}, which quire generates{}; rename it",
                    case_note(first)
                ),
            ));
            continue;
        }
        let key = fold_case(&name);
        let other = files
            .get(&key)
            .map(|f| format!("the static file {f}"))
            .or_else(|| folders.get(&key).map(|d| format!("the folder {d}")));
        match other {
            Some(other) => out.push(Diagnostic::error(
                src,
                1,
                format!(
                    "static file {name} and {other} differ only in case: {CASE_INSENSITIVE}, keeps one of them; rename one"
                ),
            )),
            None => {
                files.insert(key, name);
            }
        }
    }
    out
}

/// Every static file's path by its [`fold_case`] key → the path as written: built once for
/// the alias and the page checks.
fn folded_statics(static_files: &[(PathBuf, PathBuf)]) -> HashMap<String, String> {
    static_files
        .iter()
        .map(|(_, rel)| {
            let name = rel_name(rel);
            (fold_case(&name), name)
        })
        .collect()
}

/// Aliases that would replace a page of the app, a static file or another alias (names
/// compared by their [`fold_case`] keys): one error each, at the post's or page's
/// `aliases` line.
fn alias_conflicts(
    owners: &[AliasOwner<'_>],
    statics: &HashMap<String, String>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Folded alias folder → its owner (position) and the alias as written.
    let mut seen: HashMap<String, (usize, &str)> = HashMap::new();
    for (at, post) in owners.iter().enumerate() {
        for dir in post.aliases {
            let shown = format!("/{dir}/");
            let first = dir.split('/').next().unwrap_or_default();
            let key = fold_case(dir);
            // The static file where the alias writes its page, or where it needs a folder.
            let static_file = || {
                let page = fold_case(&format!("{dir}/index.html"));
                let folders = key.match_indices('/').map(|(i, _)| &key[..i]);
                std::iter::once(page.as_str())
                    .chain(std::iter::once(key.as_str()))
                    .chain(folders)
                    .find_map(|k| statics.get(k))
            };
            let message = if is_reserved(first) {
                let folded = fold_case(first);
                Some(if folded == first {
                    format!(
                        "alias {shown} is inside /{first}/, which belongs to the app's own pages; remove it (WordPress's /tag/, /category/ and /author/ addresses already work)"
                    )
                } else {
                    format!(
                        "alias {shown} is inside /{first}/, which {CASE_INSENSITIVE}, takes for /{folded}/, one of the app's own pages; remove it"
                    )
                })
            } else if let Some(s) = static_file() {
                Some(format!(
                    "alias {shown} collides with the static file {s}; remove one"
                ))
            } else {
                match seen.get(&key) {
                    Some((other, _)) if *other == at => None,
                    Some((other, other_dir)) => Some(format!(
                        "alias {shown} is also an alias of {}{}; an old address can lead to one post only",
                        owners[*other].path.display(),
                        if *other_dir == dir.as_str() {
                            String::new()
                        } else {
                            format!(", as /{other_dir}/, the same address on {CASE_INSENSITIVE}")
                        }
                    )),
                    None => {
                        seen.insert(key, (at, dir));
                        None
                    }
                }
            };
            if let Some(m) = message {
                out.push(Diagnostic::error(post.path, post.line, m));
            }
        }
    }
    out
}

/// Standalone pages whose address (`/<slug>/`) something else takes: a name the build
/// writes ([`is_reserved`]: `tag`, `post`, `search`, `data`, `feed.xml`, …), another page,
/// a static file at that name or at `<slug>/index.html`, or an alias of a post or page.
/// One error each, at the page's `slug` line (or line 1), names compared by their
/// [`fold_case`] keys.
fn page_conflicts(
    pages: &[Page],
    owners: &[AliasOwner<'_>],
    statics: &HashMap<String, String>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let aliases: HashMap<String, (&Path, &str)> = owners
        .iter()
        .flat_map(|o| {
            o.aliases
                .iter()
                .map(move |a| (fold_case(a), (o.path, a.as_str())))
        })
        .collect();
    let mut seen: HashMap<String, &Page> = HashMap::with_capacity(pages.len());
    for page in pages {
        let slug = &page.slug;
        let key = fold_case(slug);
        let message = if is_reserved(slug) {
            Some(format!(
                "page slug {slug:?} would take /{slug}/, which quire generates{}; set another slug",
                case_note(slug)
            ))
        } else if let Some(first) = seen.get(&key) {
            Some(if first.slug == *slug {
                format!(
                    "two pages have the slug {slug:?}: {} and {} (set a different slug in one of them)",
                    first.path.display(),
                    page.path.display()
                )
            } else {
                format!(
                    "page slug {slug:?} gives the address /{slug}/, which {CASE_INSENSITIVE}, takes for /{}/ of {}; set a different slug in one of them",
                    first.slug,
                    first.path.display()
                )
            })
        } else if let Some(file) = statics
            .get(&key)
            .or_else(|| statics.get(&format!("{key}/index.html")))
        {
            Some(format!(
                "page slug {slug:?} collides with the static file {file}; rename one"
            ))
        } else if let Some((owner, alias)) = aliases.get(&key) {
            Some(format!(
                "page slug {slug:?} is also the alias /{alias}/ of {}; remove one",
                owner.display()
            ))
        } else {
            seen.insert(key, page);
            None
        };
        if let Some(m) = message {
            out.push(Diagnostic::error(&page.path, page.slug_line, m));
        }
    }
    out
}
