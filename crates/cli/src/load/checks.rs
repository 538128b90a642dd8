//! Checks across the whole content folder, once every file is read: two posts with one
//! slug, and static files or aliases that would take an address the build writes or
//! another one's. The names the build takes come from core's route table
//! ([`quire_core::route::is_reserved`]), the one rule for what a static file or an alias
//! may not replace.

use super::post::Post;
use crate::diag::Diagnostic;
use quire_core::route::is_reserved;
use std::collections::HashMap;
use std::path::PathBuf;

/// Every problem between the posts and the static files.
pub fn across(posts: &[Post], static_files: &[(PathBuf, PathBuf)]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    duplicate_slugs(posts, &mut out);
    out.extend(static_conflicts(static_files));
    out.extend(alias_conflicts(posts, static_files));
    out
}

/// Two published posts with one slug: an error on each later file, naming the first.
fn duplicate_slugs(posts: &[Post], diags: &mut Vec<Diagnostic>) {
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

/// Static files that would replace something the build writes: one error each.
fn static_conflicts(static_files: &[(PathBuf, PathBuf)]) -> Vec<Diagnostic> {
    static_files
        .iter()
        .filter_map(|(src, rel)| {
            let first = rel
                .components()
                .next()?
                .as_os_str()
                .to_string_lossy()
                .into_owned();
            is_reserved(&first).then(|| {
                Diagnostic::error(
                    src,
                    1,
                    format!(
                        "static file would replace {first:?}, which quire generates; rename it"
                    ),
                )
            })
        })
        .collect()
}

/// Aliases that would replace a page of the app, a static file or another alias: one
/// error each, at the post's `aliases` line.
fn alias_conflicts(posts: &[Post], static_files: &[(PathBuf, PathBuf)]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let statics: Vec<String> = static_files
        .iter()
        .map(|(_, rel)| rel.to_string_lossy().replace('\\', "/"))
        .collect();
    let mut seen: HashMap<&str, &Post> = HashMap::new();
    for post in posts {
        for dir in &post.aliases {
            let shown = format!("/{dir}/");
            let first = dir.split('/').next().unwrap_or_default();
            let reserved = is_reserved(first);
            let message = if reserved {
                Some(format!(
                    "alias {shown} is inside /{first}/, which belongs to the app's own pages; remove it (WordPress's /tag/, /category/ and /author/ addresses already work)"
                ))
            } else if let Some(s) = statics.iter().find(|s| {
                **s == format!("{dir}/index.html")
                    || **s == *dir
                    || dir.starts_with(&format!("{s}/"))
            }) {
                Some(format!(
                    "alias {shown} collides with the static file {s}; remove one"
                ))
            } else {
                match seen.get(dir.as_str()) {
                    Some(other) if std::ptr::eq(*other, post) => None,
                    Some(other) => Some(format!(
                        "alias {shown} is also an alias of {}; an old address can lead to one post only",
                        other.path.display()
                    )),
                    None => {
                        seen.insert(dir, post);
                        None
                    }
                }
            };
            if let Some(m) = message {
                out.push(Diagnostic::error(&post.path, post.aliases_line, m));
            }
        }
    }
    out
}
