//! `quire import wordpress EXPORT.xml --out DIR`: a WordPress export (WXR) → a content
//! folder that `quire build` accepts as it is. See docs/WORDPRESS.md.
//!
//! Everything is read and converted in memory first; only an export without errors is
//! written, into a folder that did not exist or was empty.
//!
//! The export is treated as untrusted: every pass over it is linear (slugs and authors
//! are made unique with counters, not by probing from the start), items WordPress kept
//! private (a password, or status `private`) become drafts and are listed in the report,
//! and look-alike logins (`john.doe`, `john_doe`) keep authors of their own.

pub mod html_to_markdown;
pub mod media;
pub mod menu;
pub mod wordpress;

use chrono::NaiveDateTime;
use html_to_markdown::{convert, plain_text};
use quire_core::route::decode_path;
use quire_core::slug::term_slug;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use wordpress::Export;

/// What an import found, for the report.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    pub posts: usize,
    pub drafts: usize,
    pub pages: usize,
    /// Items WordPress kept private, imported as drafts: (file, why).
    pub private: Vec<(String, &'static str)>,
    /// Item type (or `post (status)`) → count, for items not imported.
    pub skipped: BTreeMap<String, usize>,
    pub comments: usize,
    pub comments_approved: usize,
    /// Shortcode → (times, files).
    pub shortcodes: BTreeMap<String, (usize, Vec<String>)>,
    /// Uploads URL → files that reference it (after `--media`/`--download-media`, only
    /// those still on the old site).
    pub media: BTreeMap<String, Vec<String>>,
    /// With `--media` or `--download-media`: files and bytes written into static/, and
    /// why each URL of [`Report::media`] is not among them.
    pub media_local: Option<(usize, u64, BTreeMap<String, String>)>,
    /// `(post id, new path)`: what `/?p=<id>` used to show.
    pub ids: Vec<(u64, String)>,
    /// `(page id, new path)`: what `/?page_id=<id>` used to show.
    pub page_ids: Vec<(u64, String)>,
    /// The menu that became site.toml's `[[menu]]`: its name and entries written.
    pub menu: Option<(String, usize)>,
    /// Things an owner should know (term slugs that changed, links without an alias…).
    pub notes: Vec<String>,
}

impl Report {
    pub fn render(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "WordPress import");
        let private = if self.private.is_empty() {
            String::new()
        } else {
            format!(
                "; private in WordPress: {} (imported as drafts, listed below)",
                self.private.len()
            )
        };
        let _ = writeln!(
            s,
            "  posts: {} published, {} drafts; pages: {}{private}; comments: {} ({} approved, not imported)",
            self.posts, self.drafts, self.pages, self.comments, self.comments_approved
        );
        if self.skipped.is_empty() {
            let _ = writeln!(s, "  skipped: none");
        } else {
            let list: Vec<String> = self
                .skipped
                .iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect();
            let _ = writeln!(s, "  skipped: {}", list.join(", "));
        }
        match &self.menu {
            Some((name, n)) => {
                let _ = writeln!(
                    s,
                    "  menu: {name:?} → {n} [[menu]] entr{} in site.toml",
                    if *n == 1 { "y" } else { "ies" }
                );
            }
            None => {
                let _ = writeln!(
                    s,
                    "  menu: none in the export (the header shows Home, Tags, Archive)"
                );
            }
        }
        if !self.private.is_empty() {
            let _ = writeln!(
                s,
                "\nPrivate in WordPress, imported as drafts (quire build leaves drafts out; no password is copied):"
            );
            for (file, why) in &self.private {
                let _ = writeln!(s, "  {file} ({why})");
            }
        }
        if !self.shortcodes.is_empty() {
            let _ = writeln!(s, "\nShortcodes kept as text (edit these posts by hand):");
            for (name, (n, files)) in &self.shortcodes {
                let _ = writeln!(s, "  [{name}] ×{n}: {}", files.join(", "));
            }
        }
        if let Some((files, bytes, _)) = &self.media_local {
            let _ = writeln!(
                s,
                "\nMedia made local: {files} file{} ({} KB) in static/wp-content/uploads/, links rewritten",
                if *files == 1 { "" } else { "s" },
                bytes.div_ceil(1024)
            );
        }
        if !self.media.is_empty() {
            let why = self.media_local.as_ref().map(|(_, _, why)| why);
            let _ = writeln!(
                s,
                "\n{}",
                if why.is_some() {
                    "Media missing, still linked on the old site (copy them into static/ and update the links, or keep the old site's uploads online):"
                } else {
                    "Media on the old site (copy them into static/ and update the links, or keep the old site's uploads online; --media DIR or --download-media does it):"
                }
            );
            for (url, files) in &self.media {
                let _ = writeln!(s, "  {url}  ← {}", files.join(", "));
                if let Some(reason) = why.and_then(|w| w.get(url)) {
                    let _ = writeln!(s, "      {reason}");
                }
            }
        }
        if !self.ids.is_empty() || !self.page_ids.is_empty() {
            let _ = writeln!(
                s,
                "\nOld ?p=<id> links (a static host ignores the query and shows the home page; add these as host redirects if you need them):"
            );
            for (id, path) in &self.ids {
                let _ = writeln!(s, "  /?p={id}  →  {path}");
            }
            for (id, path) in &self.page_ids {
                let _ = writeln!(s, "  /?page_id={id}  →  {path}");
            }
        }
        if !self.notes.is_empty() {
            let _ = writeln!(s, "\nNotes:");
            for n in &self.notes {
                let _ = writeln!(s, "  - {n}");
            }
        }
        s
    }
}

/// A bad export: the message names the item and line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError(pub String);

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The converted site: relative path → text, and the report.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    pub files: Vec<(String, String)>,
    pub report: Report,
    /// The export's `<link>`: the old site, whose host `--download-media` fetches from.
    pub site_link: String,
}

/// Writes the plan into `out`, which must not exist or be empty: first into a folder
/// beside it, then renamed into place. With `media`, the old uploads are made local
/// first ([`media::localize`]) into that same folder, so a failed import leaves nothing;
/// the plan's texts and report are updated (links rewritten, what is missing listed).
pub fn write(
    out: &Path,
    plan: &mut Plan,
    media: Option<(&media::Source, &media::Limits)>,
) -> Result<(), String> {
    if out.exists() {
        let empty = fs::read_dir(out)
            .map_err(|e| format!("{}: {e}", out.display()))?
            .next()
            .is_none();
        if !empty {
            return Err(format!(
                "{} exists and is not empty: import into a new folder",
                out.display()
            ));
        }
    }
    let name = out
        .file_name()
        .ok_or_else(|| format!("{}: not a folder name", out.display()))?
        .to_string_lossy()
        .into_owned();
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    let tmp = parent.join(format!(".{name}.import-tmp-{}", std::process::id()));
    let result = (|| -> Result<(), String> {
        if let Some((source, limits)) = media {
            fs::create_dir_all(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
            let texts = media::Texts {
                files: &mut plan.files,
                media: &mut plan.report.media,
            };
            let done = media::localize(texts, source, limits, &plan.site_link, &tmp.join("static"));
            plan.report.media_local = Some((done.files, done.bytes, done.missing));
            let rendered = plan.report.render();
            if let Some(entry) = plan.files.iter_mut().find(|(n, _)| n == REPORT_FILE) {
                entry.1 = rendered;
            }
        }
        for (rel, text) in &plan.files {
            let path = tmp.join(rel);
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        if out.exists() {
            fs::remove_dir(out).map_err(|e| format!("{}: {e}", out.display()))?;
        }
        fs::rename(&tmp, out).map_err(|e| format!("{}: {e}", out.display()))
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result
}

/// The report's copy in the new content folder.
pub const REPORT_FILE: &str = "import-report.txt";

/// A YAML double-quoted string.
fn yq(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML basic string.
fn tq(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn yaml_list(items: &[String]) -> String {
    format!(
        "[{}]",
        items.iter().map(|s| yq(s)).collect::<Vec<_>>().join(", ")
    )
}

/// `2019-08-13 10:00:00` → `2019-08-13T10:00:00Z`; `None` for an empty or zero date.
fn wp_date(text: &str) -> Option<String> {
    let t = text.trim();
    if t.is_empty() || t.starts_with("0000-00-00") {
        return None;
    }
    let dt = NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S").ok()?;
    Some(dt.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// The path part of a URL (`https://x.org/blog/a/?q` → `/blog/a/`), with its query.
fn url_path(url: &str) -> Option<(String, Option<String>)> {
    let rest = url.split_once("://")?.1;
    let path_at = rest.find('/').unwrap_or(rest.len());
    let (host, path) = rest.split_at(path_at);
    if host.is_empty() {
        return None;
    }
    let path = path.split('#').next().unwrap_or_default();
    let (path, query) = match path.split_once('?') {
        Some((p, q)) => (p, Some(q.to_string())),
        None => (path, None),
    };
    let path = if path.is_empty() { "/" } else { path };
    Some((path.to_string(), query))
}

fn host_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    Some(rest.split(['/', '?', '#']).next().unwrap_or(rest))
}

/// The authors of site.toml: each login's slug (its `/author/<slug>` page) and name.
///
/// Logins whose slugs are equal (`john.doe` and `john_doe` are both `john-doe`) stay
/// apart: the first in the export keeps the slug, the next gets `john-doe-2` and so on,
/// never the slug of another login of the export.
struct Authors {
    /// Login → slug.
    slug_of: HashMap<String, String>,
    /// Slug → login.
    login_of: HashMap<String, String>,
    /// Slug → display name (site.toml's `[authors]`).
    names: BTreeMap<String, String>,
    /// Slugs of every login of the export, which no renamed author may take.
    reserved: HashSet<String>,
    /// Next number to try after a slug (amortised: each candidate is tried once).
    next: HashMap<String, usize>,
    notes: Vec<String>,
}

/// The slug a login would have on its own.
fn login_slug(login: &str) -> String {
    let s = term_slug(login);
    if s.is_empty() {
        "author".to_string()
    } else {
        s
    }
}

impl Authors {
    fn new(export: &Export) -> Authors {
        let reserved = export
            .authors
            .iter()
            .map(|a| a.login.as_str())
            .chain(export.items.iter().map(|i| i.creator.as_str()))
            .filter(|l| !l.is_empty())
            .map(login_slug)
            .collect();
        let mut authors = Authors {
            slug_of: HashMap::new(),
            login_of: HashMap::new(),
            names: BTreeMap::new(),
            reserved,
            next: HashMap::new(),
            notes: Vec::new(),
        };
        for a in &export.authors {
            let name = plain_text(&a.display_name);
            authors.slug(&a.login, if name.is_empty() { &a.login } else { &name });
        }
        authors
    }

    /// The slug of a login, given one (with `name` for site.toml) if it has none yet.
    fn slug(&mut self, login: &str, name: &str) -> String {
        if let Some(s) = self.slug_of.get(login) {
            return s.clone();
        }
        let base = login_slug(login);
        let slug = if self.names.contains_key(&base) {
            let n = self.next.entry(base.clone()).or_insert(2);
            loop {
                let suffix = format!("-{n}");
                *n += 1;
                let mut cut = base
                    .len()
                    .min(quire_core::slug::MAX_SLUG_BYTES - suffix.len());
                while !base.is_char_boundary(cut) {
                    cut -= 1;
                }
                let candidate = format!("{}{suffix}", base[..cut].trim_end_matches('-'));
                if !self.reserved.contains(&candidate) && !self.names.contains_key(&candidate) {
                    break candidate;
                }
            }
        } else {
            base.clone()
        };
        if slug != base {
            let holder = self
                .login_of
                .get(&base)
                .map_or(String::new(), |l| format!(" (login {l:?})"));
            self.notes.push(format!(
                "author login {login:?} ({name}) is /author/{slug} here, since /author/{base} is another author's{holder}; its old address /author/{login}/ no longer leads to its posts"
            ));
        } else if login != slug {
            self.notes.push(format!(
                "author login {login:?} ({name}) has the address /author/{slug}"
            ));
        }
        self.slug_of.insert(login.to_string(), slug.clone());
        self.login_of.insert(slug.clone(), login.to_string());
        self.names.insert(slug.clone(), name.to_string());
        slug
    }
}

struct Site<'a> {
    export: &'a Export,
    base_path: String,
}

impl Site<'_> {
    /// The alias for an item's permalink, or why there is none.
    fn alias(&self, link: &str) -> Result<String, String> {
        if link.is_empty() {
            return Err("no permalink".into());
        }
        if host_of(link) != host_of(&self.export.link) {
            return Err(format!("permalink {link} is on another host"));
        }
        let Some((path, query)) = url_path(link) else {
            return Err(format!("permalink {link:?} is not a URL"));
        };
        if query.is_some() {
            return Err(format!(
                "permalink {link} has a query, which a static host ignores"
            ));
        }
        let Some(rel) = path.strip_prefix(self.base_path.trim_end_matches('/')) else {
            return Err(format!("permalink {link} is outside the site's path"));
        };
        let alias = if rel.starts_with('/') {
            rel.to_string()
        } else {
            format!("/{rel}")
        };
        let alias =
            if alias.ends_with('/') || alias.rsplit('/').next().is_some_and(|l| l.contains('.')) {
                alias
            } else {
                format!("{alias}/")
            };
        let dir = crate::load::aliases::normalize(&alias)?;
        let first = dir.split('/').next().unwrap_or_default();
        if quire_core::route::is_reserved(first) {
            return Err(format!(
                "permalink {link} is inside /{first}/, which Quire's own pages use"
            ));
        }
        Ok(alias)
    }
}

/// Converts an export's text into the files of a content folder and a report.
pub fn plan(text: &str) -> Result<Plan, ImportError> {
    let export = wordpress::read(text)
        .map_err(|e| ImportError(format!("{}: error: {}", e.line, e.message)))?;
    let base_path = url_path(&export.link)
        .map(|(p, _)| p)
        .unwrap_or_else(|| "/".into());
    let site = Site {
        export: &export,
        base_path,
    };
    let mut report = Report::default();
    let mut files = Vec::new();
    let mut used: HashSet<(bool, String)> = HashSet::new();
    // Per slug, the next number to try after it (`slug-2`, `slug-3`…).
    let mut next_n: HashMap<(bool, String), usize> = HashMap::new();
    // Alias folder (lower case, as case-insensitive hosts see it) → the file it leads to.
    let mut aliases: HashMap<String, String> = HashMap::new();
    let mut authors = Authors::new(&export);
    let mut term_notes: BTreeMap<String, String> = BTreeMap::new();

    // Menu items are read once every page and post has its address (menu.rs).
    let mut menu_items = Vec::new();
    // Post or page id → what a menu entry needs of it.
    let mut targets: HashMap<u64, menu::Target> = HashMap::new();
    // Terms some published post is listed under (`tag/rust`): those have a page here.
    let mut live_terms: HashSet<String> = HashSet::new();
    for item in &export.items {
        let is_page = match item.post_type.as_str() {
            "post" => false,
            "page" => true,
            "nav_menu_item" => {
                menu_items.push(item);
                continue;
            }
            other => {
                let kind = if other.is_empty() {
                    "unknown type"
                } else {
                    other
                };
                *report.skipped.entry(kind.to_string()).or_default() += 1;
                continue;
            }
        };
        // Whatever its status, an item WordPress kept from the public is a draft here.
        let private = if item.password_protected {
            Some("password-protected")
        } else if item.status == "private" {
            Some("private")
        } else {
            None
        };
        let draft = match item.status.as_str() {
            "publish" | "future" | "" => private.is_some(),
            "draft" | "pending" | "private" => true,
            other => {
                *report
                    .skipped
                    .entry(format!("{} ({other})", item.post_type))
                    .or_default() += 1;
                continue;
            }
        };
        let what = |msg: &str| {
            ImportError(format!(
                "{}: error: {} {}: {msg}",
                item.line,
                item.post_type,
                item.id
                    .map_or_else(|| "without wp:post_id".into(), |id| format!("{id}"))
            ))
        };
        let title = plain_text(&item.title);
        if title.is_empty() {
            return Err(what(
                "no title (give it one in WordPress, or delete it, and export again)",
            ));
        }
        let Some(date) = wp_date(&item.date_gmt).or_else(|| wp_date(&item.date)) else {
            return Err(what(&format!(
                "{title:?} has no date (wp:post_date_gmt {:?}, wp:post_date {:?})",
                item.date_gmt, item.date
            )));
        };
        let updated = wp_date(&item.modified_gmt)
            .or_else(|| wp_date(&item.modified))
            .filter(|u| *u > date);
        let mut slug = term_slug(&decode_path(&item.post_name));
        if slug.is_empty() {
            slug = term_slug(&title);
        }
        if slug.is_empty() {
            slug = format!("post-{}", item.id.unwrap_or(item.line as u64));
        }
        // A page's address is /<slug>/ at the site's root, beside Quire's own pages.
        if is_page && page_slug_taken(&slug) {
            let renamed = format!("{slug}-page");
            report.notes.push(format!(
                "page {title:?} was /{slug}/ on WordPress; /{slug}/ is Quire's own here, so the page is /{renamed}/"
            ));
            slug = renamed;
        }
        let mut unique = slug.clone();
        if !used.insert((is_page, unique.clone())) {
            let n = next_n.entry((is_page, slug.clone())).or_insert(2);
            loop {
                unique = format!("{slug}-{n}");
                *n += 1;
                if used.insert((is_page, unique.clone())) {
                    break;
                }
            }
        }
        let slug = unique;
        let file = if is_page {
            format!("pages/{slug}.md")
        } else {
            format!("posts/{}-{slug}.md", &date[..10])
        };

        let mut tags = Vec::new();
        let mut categories = Vec::new();
        let mut seen: HashSet<(&str, String)> = HashSet::new();
        for t in &item.terms {
            let name = plain_text(&t.name);
            if name.is_empty() {
                continue;
            }
            let (list, segment) = match t.domain.as_str() {
                "post_tag" => (&mut tags, "tag"),
                "category" => (&mut categories, "category"),
                _ => continue,
            };
            if seen.insert((segment, name.clone())) {
                list.push(name.clone());
                if !draft && !is_page {
                    live_terms.insert(format!("{segment}/{}", term_slug(&name)));
                }
            }
            let nice = decode_path(&t.nicename);
            let ours = term_slug(&name);
            if !nice.is_empty() && nice != ours {
                term_notes.insert(
                    format!("{segment}/{nice}"),
                    format!("{segment} {name:?} was /{segment}/{nice}/ on WordPress and is /{segment}/{ours} here"),
                );
            }
        }
        let author = if item.creator.is_empty() {
            None
        } else {
            Some(authors.slug(&item.creator, &item.creator))
        };

        let refused = |part: &str, e: html_to_markdown::Refused| {
            what(&format!(
                "{title:?}: its {part} {e}; fix the post's HTML in WordPress, or delete the post, and export again"
            ))
        };
        let body = convert(&item.content).map_err(|e| refused("content", e))?;
        let summary = convert(&item.excerpt)
            .map_err(|e| refused("excerpt", e))?
            .markdown
            .trim()
            .to_string();
        for (name, count) in &body.shortcodes {
            let e = report.shortcodes.entry(name.clone()).or_default();
            e.0 += count;
            if e.1.last() != Some(&file) {
                e.1.push(file.clone());
            }
        }
        for url in &body.media {
            let e = report.media.entry(url.clone()).or_default();
            if e.last() != Some(&file) {
                e.push(file.clone());
            }
        }
        report.comments += item.comments;
        report.comments_approved += item.comments_approved;

        // Two items can have one permalink (an export is not checked by WordPress on the
        // way out); an old address leads to one post only, the first in the export.
        // A page's own address is taken as an old address would be: no post's alias may
        // lead there, and a page whose permalink is its address needs no alias.
        if is_page {
            aliases.entry(slug.clone()).or_insert_with(|| file.clone());
        }
        let alias = match site.alias(&item.link).and_then(|a| {
            let dir = crate::load::aliases::normalize(&a)?.to_lowercase();
            if is_page && dir == slug {
                return Err(String::new());
            }
            match aliases.get(&dir) {
                Some(first) => Err(format!("permalink {} is also {first}'s", item.link)),
                None => {
                    aliases.insert(dir, file.clone());
                    Ok(a)
                }
            }
        }) {
            Ok(a) => Some(a),
            // The page's permalink is its address here.
            Err(why) if why.is_empty() => None,
            Err(why) => {
                if !draft {
                    report.notes.push(format!("{file}: no alias: {why}"));
                }
                None
            }
        };

        let mut fm = String::from("---\n");
        let _ = writeln!(fm, "title: {}", yq(&title));
        if is_page {
            // A page has no date, tags, categories or author (pages are not listed among
            // the posts); its last change is `updated` (the sitemap's lastmod).
            let _ = writeln!(fm, "updated: {}", updated.as_deref().unwrap_or(&date));
            let _ = writeln!(fm, "slug: {}", yq(&slug));
        } else {
            let _ = writeln!(fm, "date: {date}");
            if let Some(u) = &updated {
                let _ = writeln!(fm, "updated: {u}");
            }
            let _ = writeln!(fm, "slug: {}", yq(&slug));
            if !tags.is_empty() {
                let _ = writeln!(fm, "tags: {}", yaml_list(&tags));
            }
            if !categories.is_empty() {
                let _ = writeln!(fm, "categories: {}", yaml_list(&categories));
            }
            if let Some(a) = &author {
                let _ = writeln!(fm, "author: {}", yq(a));
            }
        }
        if !summary.is_empty() {
            let _ = writeln!(fm, "summary: {}", yq(&summary));
        }
        if draft {
            let _ = writeln!(fm, "draft: true");
        }
        if let Some(a) = &alias {
            let _ = writeln!(fm, "aliases: {}", yaml_list(std::slice::from_ref(a)));
        }
        fm.push_str("---\n");
        fm.push_str(&body.markdown);
        if let Some(why) = private {
            report.private.push((file.clone(), why));
        }
        files.push((file, fm));

        if let Some(id) = item.id {
            targets.insert(
                id,
                menu::Target {
                    path: if is_page {
                        format!("{slug}/")
                    } else {
                        format!("post/{slug}")
                    },
                    title: title.clone(),
                    draft,
                },
            );
        }
        if is_page {
            report.pages += 1;
            if let (Some(id), false) = (item.id, draft) {
                report.page_ids.push((id, format!("/{slug}/")));
            }
        } else if draft {
            report.drafts += 1;
        } else {
            report.posts += 1;
            if let Some(id) = item.id {
                report.ids.push((id, format!("/post/{slug}")));
            }
        }
    }
    let menu = menu::resolve(
        &export,
        &menu_items,
        &menu::Known {
            targets: &targets,
            live_terms: &live_terms,
            base_path: &site.base_path,
        },
    );
    if menu.unused > 0 {
        *report.skipped.entry("nav_menu_item".into()).or_default() += menu.unused;
    }
    report.menu = menu.name.clone().map(|n| (n, menu.entries.len()));
    report.notes.extend(term_notes.into_values());
    report.notes.append(&mut authors.notes);
    report.notes.extend(menu.notes.iter().cloned());
    files.insert(
        0,
        (
            "site.toml".into(),
            site_toml(&export, &authors.names, &menu.entries),
        ),
    );
    let rendered = report.render();
    files.push((REPORT_FILE.into(), rendered));
    Ok(Plan {
        files,
        report,
        site_link: export.link.clone(),
    })
}

/// Whether a page may not have `/<slug>/`: Quire's own top-level names (`tags`, `post`,
/// `feed.xml`…), and `wp-content`, where `--media` puts the old uploads.
fn page_slug_taken(slug: &str) -> bool {
    quire_core::route::is_reserved(slug) || slug == media::UPLOADS_TOP
}

fn site_toml(export: &Export, authors: &BTreeMap<String, String>, menu: &[menu::Entry]) -> String {
    let mut s = String::from("# Written by quire import wordpress from the WordPress export.\n");
    let title = plain_text(&export.title);
    let _ = writeln!(
        s,
        "title = {}",
        tq(if title.is_empty() { "My blog" } else { &title })
    );
    let description = plain_text(&export.description);
    if !description.is_empty() {
        let _ = writeln!(s, "description = {}", tq(&description));
    }
    let link = export.link.trim();
    if (link.starts_with("https://") || link.starts_with("http://"))
        && !link.contains(char::is_whitespace)
    {
        let base = if link.ends_with('/') {
            link.to_string()
        } else {
            format!("{link}/")
        };
        let _ = writeln!(s, "base_url = {}", tq(&base));
    }
    let lang = export.language.trim();
    if !lang.is_empty() && lang.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        let _ = writeln!(s, "language = {}", tq(lang));
    }
    s.push_str("posts_per_page = 10\n");
    for e in menu {
        let _ = writeln!(
            s,
            "\n[[menu]]\nname = {}\nurl = {}",
            tq(&e.name),
            tq(&e.url)
        );
    }
    for (key, name) in authors {
        let _ = writeln!(s, "\n[authors.{}]\nname = {}", tq(key), tq(name));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The importer's quoting must be read back, value for value, by the front-matter
    /// parser `quire check` and `quire build` use (YAML) and by site.toml's (TOML).
    #[test]
    fn quoted_values_read_back_through_the_parsers() {
        let hostile = [
            "plain",
            "say \"hi\" \\ back\\slash",
            "colon: hash # and - dash",
            "[not a list], {not a map}",
            "tab\there",
            "'single' & *star &anchor !tag %pct @at `tick`",
            "yes",
            "null",
            "123",
            "Café — “curly” ✓ 日本",
            "C:\\path\\n",
        ];
        for text in hostile {
            let post = format!(
                "---\ntitle: {}\ndate: {}\nslug: {}\ntags: {}\nauthor: {}\nsummary: {}\naliases: {}\n---\nbody\n",
                yq(text),
                wp_date("2019-08-13 09:30:00").unwrap(),
                yq("a-slug"),
                yaml_list(&[text.to_string(), "second, with comma".to_string()]),
                yq(text),
                yq(&format!("{text}\nline two")),
                yaml_list(&["/2019/08/old-post/".to_string()]),
            );
            let doc = crate::load::front_matter::parse_front_matter(&post)
                .unwrap_or_else(|e| panic!("{text:?}: {e:?}\n{post}"));
            let fm = doc.front;
            let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(fm.title, collapsed, "{post}");
            assert_eq!(fm.author.as_deref(), Some(collapsed.as_str()), "{post}");
            assert_eq!(fm.slug.as_deref(), Some("a-slug"));
            assert_eq!(
                fm.tags,
                [collapsed.as_str(), "second, with comma"],
                "{post}"
            );
            assert_eq!(
                fm.summary
                    .as_deref()
                    .map(|s| s.split_whitespace().collect::<Vec<_>>()),
                Some(format!("{text} line two").split_whitespace().collect()),
                "{post}"
            );
            assert_eq!(fm.aliases, ["2019/08/old-post"], "{post}");
            assert_eq!(fm.date.text, "2019-08-13T09:30:00Z", "{post}");

            let toml_text = format!("title = {}\n", tq(text));
            let table: toml::Table = toml::from_str(&toml_text).unwrap();
            assert_eq!(table["title"].as_str(), Some(text), "{toml_text}");
        }
        // Control characters other than newline and tab are dropped, not written raw.
        assert_eq!(yq("a\u{7}b\rc"), "\"abc\"");
        assert_eq!(tq("a\u{0}b"), "\"ab\"");
    }

    #[test]
    fn look_alike_logins_get_numbered_slugs_in_export_order() {
        let author = |login: &str, name: &str| wordpress::WpAuthor {
            login: login.into(),
            display_name: name.into(),
        };
        let long = "x".repeat(200);
        let mut export = Export {
            authors: vec![
                author("john.doe", "John Dot"),
                author("john_doe", "John Under"),
                author("john-doe-2", "Real Two"),
                author(&long, "Long"),
                author(&format!("{long}."), "Long too"),
            ],
            ..Export::default()
        };
        // Logins that only write posts are reserved too, and named after their login.
        export.items.push(wordpress::Item {
            creator: "john-doe-4".into(),
            ..Default::default()
        });
        let mut a = Authors::new(&export);
        let slug = |a: &Authors, l: &str| a.slug_of[l].clone();
        assert_eq!(slug(&a, "john.doe"), "john-doe");
        assert_eq!(slug(&a, "john_doe"), "john-doe-3");
        assert_eq!(slug(&a, "john-doe-2"), "john-doe-2");
        assert_eq!(a.slug("John Doe", "John Doe"), "john-doe-5");
        assert_eq!(a.slug("john-doe-4", "john-doe-4"), "john-doe-4");
        let cut = slug(&a, &format!("{long}."));
        assert_eq!(
            cut,
            format!("{}-2", "x".repeat(quire_core::slug::MAX_SLUG_BYTES - 2))
        );
        assert_eq!(a.names["john-doe-3"], "John Under");
        assert!(
            a.notes.iter().any(|n| n.contains("/author/john_doe/")),
            "{:?}",
            a.notes
        );
        // Many logins with one slug: numbered by a counter, each number tried once.
        let login = |mut i: usize| {
            let mut l = String::from("a");
            loop {
                l.push(['.', '_', '-'][i % 3]);
                i /= 3;
                if i == 0 {
                    break l;
                }
            }
        };
        let many = Export {
            authors: (0..20_000).map(|i| author(&login(i), "A")).collect(),
            ..Export::default()
        };
        let a = Authors::new(&many);
        assert_eq!(a.names.len(), 20_000);
        assert_eq!(a.slug_of[&login(19_999)], "a-20000");
    }

    #[test]
    fn dates_and_urls() {
        assert_eq!(
            wp_date("2019-08-13 10:05:00").as_deref(),
            Some("2019-08-13T10:05:00Z")
        );
        assert_eq!(wp_date("0000-00-00 00:00:00"), None);
        assert_eq!(wp_date("yesterday"), None);
        assert_eq!(
            url_path("https://x.org/blog/a/?p=1"),
            Some(("/blog/a/".into(), Some("p=1".into())))
        );
        assert_eq!(url_path("https://x.org"), Some(("/".into(), None)));
        assert_eq!(yq("a \"b\" \\ c\nd"), "\"a \\\"b\\\" \\\\ c\\nd\"");
    }
}
