//! The export's primary menu → site.toml's `[[menu]]` entries. WordPress keeps each menu
//! entry as an item of type `nav_menu_item`, in a `nav_menu` term (the menu), with its
//! place in `wp:menu_order` and its target in post meta: `_menu_item_type` (`post_type`,
//! `taxonomy` or `custom`), `_menu_item_object` (`page`, `post`, `category`, `post_tag`),
//! `_menu_item_object_id` and `_menu_item_url`.
//!
//! Which menu is the primary one is a theme setting the export does not carry, so the
//! first menu whose name says so (primary, main, header, top, navigation) is taken, else
//! the one with the most entries. A `[[menu]]` is one level: sub-entries are left out,
//! and so is every entry that would lead nowhere here (a draft, a term without posts, an
//! address that is not https:// or inside the site); the report names each.

use super::html_to_markdown::plain_text;
use super::wordpress::{Export, Item};
use quire_core::route::decode_path;
use quire_core::slug::term_slug;
use std::collections::{HashMap, HashSet};

/// A page or post of the export, as a menu entry may lead to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// Its address here, as a `[[menu]]` url (`about/`, `post/hello`).
    pub path: String,
    pub title: String,
    pub draft: bool,
}

/// What the rest of the import knows that menu entries point at.
pub struct Known<'a> {
    /// Post or page id → its address here.
    pub targets: &'a HashMap<u64, Target>,
    /// `tag/<slug>` and `category/<slug>` of terms some published post is under.
    pub live_terms: &'a HashSet<String>,
    /// The old site's path (`/` or `/blog/`), which internal custom links start with.
    pub base_path: &'a str,
}

/// One `[[menu]]` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    /// A path inside the site (`about/`, `/` for the home page) or an `https://` address.
    pub url: String,
}

/// The menu chosen, its entries, and what the report should say.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Menu {
    /// The WordPress menu's name (`None`: the export has no menu).
    pub name: Option<String>,
    pub entries: Vec<Entry>,
    /// Menu items that became no entry (other menus, sub-entries, dead targets).
    pub unused: usize,
    pub notes: Vec<String>,
}

/// Words in a menu's name or slug that mark it as the site's main menu.
const PRIMARY_WORDS: [&str; 5] = ["primary", "main", "header", "top", "nav"];

/// The menu an item belongs to: its `nav_menu` term's (slug, name).
fn menu_of(item: &Item) -> Option<(&str, &str)> {
    item.terms
        .iter()
        .find(|t| t.domain == "nav_menu")
        .map(|t| (t.nicename.as_str(), t.name.as_str()))
}

fn meta<'a>(item: &'a Item, key: &str) -> &'a str {
    item.menu_meta
        .iter()
        .find(|(k, _)| k == key)
        .map_or("", |(_, v)| v.as_str())
}

/// Chooses the primary menu and turns its top-level items into entries, in `menu_order`.
/// Linear in the number of items (one pass to group, one sort of the chosen menu).
pub fn resolve(export: &Export, items: &[&Item], known: &Known<'_>) -> Menu {
    // Menus in export order: slug → (name, items).
    let mut order: Vec<&str> = Vec::new();
    let mut menus: HashMap<&str, (&str, Vec<&Item>)> = HashMap::new();
    let mut loose = 0;
    for &item in items {
        match menu_of(item) {
            Some((slug, name)) => menus
                .entry(slug)
                .or_insert_with(|| {
                    order.push(slug);
                    (name, Vec::new())
                })
                .1
                .push(item),
            None => loose += 1,
        }
    }
    let mut out = Menu {
        unused: loose,
        ..Menu::default()
    };
    // The channel's terms by (domain, id), the first of each (one lookup per entry).
    let mut terms: HashMap<(&str, u64), &str> = HashMap::new();
    for t in &export.terms {
        terms
            .entry((t.domain.as_str(), t.id))
            .or_insert(t.name.as_str());
    }
    let says_primary = |slug: &str| {
        let (name, _) = &menus[slug];
        let words = format!("{slug} {}", name.to_lowercase());
        PRIMARY_WORDS.iter().any(|w| words.contains(w))
    };
    let chosen = order.iter().copied().find(|s| says_primary(s)).or_else(|| {
        // The most entries; the first in the export on a tie.
        order.iter().copied().rev().max_by_key(|s| menus[s].1.len())
    });
    let Some(chosen) = chosen else {
        return out;
    };
    for slug in &order {
        if *slug != chosen {
            let (name, entries) = &menus[slug];
            out.unused += entries.len();
            out.notes.push(format!(
                "menu {:?} ({} entr{}) is not imported: only one menu, {:?}, becomes site.toml's [[menu]]",
                plain_text(name),
                entries.len(),
                if entries.len() == 1 { "y" } else { "ies" },
                plain_text(menus[chosen].0)
            ));
        }
    }
    let (menu_name, entries) = &menus[chosen];
    let menu_name = plain_text(menu_name);
    out.name = Some(menu_name.clone());
    let mut entries = entries.clone();
    entries.sort_by_key(|i| i.menu_order);
    let mut children = 0;
    for item in entries {
        let parent = meta(item, "_menu_item_menu_item_parent");
        if !(parent.is_empty() || parent == "0") {
            children += 1;
            out.unused += 1;
            continue;
        }
        let label = plain_text(&item.title);
        let what = || {
            if label.is_empty() {
                format!("menu entry at line {}", item.line)
            } else {
                format!("menu entry {label:?}")
            }
        };
        match entry(&terms, export, item, known) {
            Ok((url, title)) => {
                let name = if label.is_empty() {
                    title
                } else {
                    label.clone()
                };
                if name.is_empty() {
                    out.unused += 1;
                    out.notes.push(format!("{}: no name; left out", what()));
                } else {
                    out.entries.push(Entry { name, url });
                }
            }
            Err(why) => {
                out.unused += 1;
                out.notes.push(format!("{}: {why}; left out", what()));
            }
        }
    }
    if children > 0 {
        out.notes.push(format!(
            "menu {menu_name:?}: {children} sub-entr{} left out (a [[menu]] has one level)",
            if children == 1 { "y" } else { "ies" }
        ));
    }
    out
}

/// An item's url here and its target's title, or why it has none.
fn entry(
    terms: &HashMap<(&str, u64), &str>,
    export: &Export,
    item: &Item,
    known: &Known<'_>,
) -> Result<(String, String), String> {
    let kind = meta(item, "_menu_item_type");
    let object = meta(item, "_menu_item_object");
    let id = meta(item, "_menu_item_object_id").parse::<u64>().ok();
    match kind {
        "post_type" => {
            let Some(t) = id.and_then(|id| known.targets.get(&id)) else {
                return Err(format!(
                    "its {object} (id {}) is not in the export",
                    meta(item, "_menu_item_object_id")
                ));
            };
            if t.draft {
                return Err(format!(
                    "it leads to {:?}, a draft here (its page is not published)",
                    t.title
                ));
            }
            Ok((t.path.clone(), t.title.clone()))
        }
        "taxonomy" => {
            let (domain, segment) = match object {
                "category" => ("category", "category"),
                "post_tag" => ("post_tag", "tag"),
                other => return Err(format!("terms of {other:?} have no page here")),
            };
            let Some(term) = id.and_then(|id| terms.get(&(domain, id))) else {
                return Err(format!(
                    "its {segment} (id {}) is not in the export",
                    meta(item, "_menu_item_object_id")
                ));
            };
            let name = plain_text(term);
            let path = format!("{segment}/{}", term_slug(&name));
            if !known.live_terms.contains(&path) {
                return Err(format!(
                    "{segment} {name:?} has no published post, so no page here"
                ));
            }
            Ok((path, name))
        }
        "custom" => custom(export, meta(item, "_menu_item_url"), known.base_path)
            .map(|url| (url, String::new())),
        other => Err(format!("unknown _menu_item_type {other:?}")),
    }
}

/// A custom link: one into the old site becomes a path here (`about/`; `/` for its home
/// page); an `https://` link elsewhere stays; anything else (`http://` elsewhere,
/// `mailto:`, `#`, a query) is refused.
fn custom(export: &Export, url: &str, base_path: &str) -> Result<String, String> {
    let url = url.trim();
    let host_of = |u: &str| {
        u.split_once("://").map(|(_, r)| {
            r.split(['/', '?', '#'])
                .next()
                .unwrap_or_default()
                .to_string()
        })
    };
    let own = host_of(&export.link);
    let is_own =
        url.starts_with('/') && !url.starts_with("//") || (own.is_some() && host_of(url) == own);
    if !is_own {
        let ok = url.strip_prefix("https://").is_some_and(|rest| {
            let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
            !host.is_empty()
                && !host.contains('@')
                && !url.contains(|c: char| {
                    c.is_whitespace() || c.is_control() || "\"<>\\^`{|}".contains(c)
                })
        });
        return if ok {
            Ok(url.to_string())
        } else {
            Err(format!(
                "its link {url:?} is neither inside the site nor an https:// address"
            ))
        };
    }
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => url,
    };
    if path.contains(['?', '#']) {
        return Err(format!(
            "its link {url:?} has a query or fragment, which a static site cannot follow"
        ));
    }
    let Some(rel) = path.strip_prefix(base_path.trim_end_matches('/')) else {
        return Err(format!("its link {url:?} is outside the site's path"));
    };
    let rel = decode_path(rel.trim_start_matches('/'));
    if rel.is_empty() {
        return Ok("/".into());
    }
    let trimmed = rel.strip_suffix('/').unwrap_or(&rel);
    let bad = trimmed.split('/').any(|s| {
        s.is_empty()
            || s == "."
            || s == ".."
            || s.contains(|c: char| {
                c.is_whitespace() || c.is_control() || ":?#%\"<>\\^`{|}".contains(c)
            })
    });
    if bad {
        return Err(format!("its link {url:?} is not a path a site can have"));
    }
    Ok(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_links() {
        let export = Export {
            link: "https://old.example.org/blog".into(),
            ..Export::default()
        };
        let c = |u: &str| custom(&export, u, "/blog");
        assert_eq!(c("https://old.example.org/blog/"), Ok("/".into()));
        assert_eq!(
            c("https://old.example.org/blog/about/"),
            Ok("about/".into())
        );
        assert_eq!(c("/blog/%C3%A0-propos/"), Ok("à-propos/".into()));
        assert_eq!(
            c("https://github.com/ada"),
            Ok("https://github.com/ada".into())
        );
        for bad in [
            "http://elsewhere.example/",
            "mailto:a@b.c",
            "#",
            "javascript:alert(1)",
            "https://old.example.org/blog/?page_id=2",
            "https://old.example.org/other/",
            "/blog/a/../../etc/",
            "https://user@evil.example/",
            "//evil.example/x",
        ] {
            assert!(c(bad).is_err(), "{bad}");
        }
    }
}
