//! List pages (home, and each tag, category and author): what a list holds before any tag
//! filter, the filter toggles it offers and how a selection narrows and recounts it, the
//! links that keep or toggle the selection, the texts around the list, and the summary
//! chunks its page needs.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use quire_core::{Index, Route, TermKind, filter};

use super::text::posts_label;

/// The text of an empty list page: why nothing is listed.
pub fn empty_text(nothing_at_all: bool, page: u32, pages: u32, selected: usize) -> String {
    if nothing_at_all {
        "No posts yet.".into()
    } else if page > pages {
        format!("There is no page {page} of this selection.")
    } else if selected > 1 {
        "No post has all of the selected tags.".into()
    } else {
        "No post has the selected tag.".into()
    }
}

/// "3 posts with all 2 tags" under the filter.
pub fn filter_status(matching: usize, selected: usize) -> String {
    let which = match selected {
        1 => "with this tag".to_string(),
        n => format!("with all {n} tags"),
    };
    format!("{} {which}", posts_label(matching))
}

/// The lede under a list page's heading.
pub fn list_lede(index: &Index, route: &Route, listed: usize) -> String {
    match route {
        Route::Home { page: 1 } => index.site.description.clone(),
        Route::Term { .. } => posts_label(listed),
        _ => String::new(),
    }
}

/// The link to a list route with a tag selection: `/tag/x/page/2?tags=a,b`.
pub fn list_href(route: &Route, base: &str, tags: &[String]) -> String {
    format!("{}{}", route.href(base), filter::query_from_tags(tags))
}

/// The link that toggles `slug` in the selection of a list: back to page 1 of the same
/// list, since the filtered list has other pages.
pub fn toggle_href(route: &Route, base: &str, selected: &[String], slug: &str) -> String {
    list_href(&route.with_page(1), base, &filter::toggle(selected, slug))
}

/// A tag offered as a filter toggle on a list page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Toggle {
    pub slug: String,
    pub name: String,
    /// Position in [`Index::tags`]; `None` for a selected slug the index does not know.
    pub tag: Option<u32>,
}

/// What a list route lists before any tag filter, and which tags it offers as toggles.
/// Computed once per list route ([`ListBases`]); the selection only narrows it. The
/// lists are shared (`Arc`): a page of the list and an empty selection copy no post.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ListBase {
    /// Positions in [`Index::posts`], newest first.
    pub list: Arc<[u32]>,
    /// Every tag carried by a post of the list, in the tag cloud's order (most used on the
    /// site first), so toggles keep their places however the list is narrowed.
    pub toggles: Vec<Toggle>,
    /// How many posts of the list carry each tag, by position in [`Index::tags`].
    pub counts: Arc<[u32]>,
}

/// Each list route's [`ListBase`], computed the first time a view asks for it and kept:
/// every page of a list (the build prerenders each one, 1,000 home pages at 10,000 posts)
/// and every return to a list share one, so the work is once per list, not once per page.
/// Keyed by the list's page 1; a linear list, as there are only as many as the site has
/// terms (and a reader visits few of them).
#[derive(Default)]
pub struct ListBases(Mutex<Vec<(Route, Arc<ListBase>)>>);

impl ListBases {
    /// The base of `route`'s list (empty for a route that is not a list, or a term that
    /// does not exist).
    pub fn get(&self, index: &Index, route: &Route) -> Arc<ListBase> {
        let key = route.with_page(1);
        if let Some((_, base)) = self.lock().iter().find(|(r, _)| *r == key) {
            return base.clone();
        }
        // Computed outside the lock: two threads may both compute one list, never wait
        // on each other's.
        let base = Arc::new(ListBase::new(index, &key).unwrap_or_default());
        let mut bases = self.lock();
        match bases.iter().find(|(r, _)| *r == key) {
            Some((_, first)) => first.clone(),
            None => {
                bases.push((key, base.clone()));
                base
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, Vec<(Route, Arc<ListBase>)>> {
        // A panic elsewhere cannot leave the list half-written: pushes are whole.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl ListBase {
    /// `None` for routes that are not lists, or terms that do not exist.
    pub fn new(index: &Index, route: &Route) -> Option<ListBase> {
        let list = filter::base_list(index, route)?;
        let counts = filter::tag_counts(index, &list);
        let toggles = filter::tags_by_count(index)
            .into_iter()
            .filter(|&t| counts[t] > 0)
            .map(|t| Toggle {
                slug: index.tags[t].slug.clone(),
                name: index.tags[t].name.clone(),
                tag: Some(t as u32),
            })
            .collect();
        Some(ListBase {
            list: list.into(),
            toggles,
            counts: counts.into(),
        })
    }

    /// The selected slugs the list's own toggles lack: a tag no post of this list carries,
    /// or one the index does not know. They are shown too, so that every selected tag can be
    /// switched off again.
    fn extra_selected<'a>(&'a self, selected: &'a [String]) -> impl Iterator<Item = &'a String> {
        selected
            .iter()
            .filter(|s| !self.toggles.iter().any(|t| &t.slug == *s))
    }

    /// How many toggles the list has for a selection, folded or not: its own tags and the
    /// selected slugs they lack.
    pub fn toggle_count(&self, selected: &[String]) -> usize {
        self.toggles.len() + self.extra_selected(selected).count()
    }

    /// The toggles to show for a selection: the list's own tags, then the selected slugs
    /// they lack. Unless `expanded`, a long tail is folded: only the first
    /// [`FOLDED_TOGGLES`] and every selected one beyond them are shown (so any selection
    /// can be switched off where it is seen). Only shown toggles are cloned: a click on a
    /// list with hundreds of tags copies a few dozen.
    pub fn toggles_shown(&self, index: &Index, selected: &[String], expanded: bool) -> Vec<Toggle> {
        let fold = !expanded && self.toggle_count(selected) > FOLDED_TOGGLES;
        let own = self
            .toggles
            .iter()
            .enumerate()
            .filter(|(i, t)| !fold || *i < FOLDED_TOGGLES || selected.contains(&t.slug))
            .map(|(_, t)| t.clone());
        let extra = self.extra_selected(selected).map(|slug| {
            let tag = index.term_position(TermKind::Tag, slug);
            Toggle {
                slug: slug.clone(),
                name: tag.map_or_else(|| slug.clone(), |t| index.tags[t].name.clone()),
                tag: tag.map(|t| t as u32),
            }
        });
        own.chain(extra).collect()
    }
}

/// How many toggles a list shows before the reader asks for all of them: its most used
/// tags. Hundreds of toggles are more than a reader scans, and each costs layout on every
/// click; the rest are one button away.
pub const FOLDED_TOGGLES: usize = 24;

/// How many of a post's tags its summary in a list shows as chips; the rest are behind
/// a "+N more" link to the post, whose page shows them all. Without a cap, a post with
/// thousands of tags would repeat every chip on each of its thousands of tag pages: the
/// output would grow with the square of its front matter.
pub const CHIPS_SHOWN: usize = 8;

/// The chips a summary shows of a post's `tags` (the first [`CHIPS_SHOWN`]) and how many
/// are left for the "+N more" link.
pub fn chips_shown(tags: &[u32]) -> (&[u32], usize) {
    let shown = &tags[..tags.len().min(CHIPS_SHOWN)];
    (shown, tags.len() - shown.len())
}

/// "+3 more" after a summary's chips.
pub fn more_chips_label(rest: usize) -> String {
    format!("+{rest} more")
}

/// The label of the button that shows or folds a list's long tail of toggles.
pub fn more_tags_label(total: usize, expanded: bool) -> String {
    if expanded {
        "Fewer tags".into()
    } else {
        format!("All {total} tags")
    }
}

/// A list narrowed by a selection, with each tag's count in it (computed once per
/// selection, for every toggle at once).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Filtered {
    pub list: Arc<[u32]>,
    /// By position in [`Index::tags`].
    pub counts: Arc<[u32]>,
}

impl Filtered {
    pub fn new(index: &Index, base: &ListBase, selected: &[String]) -> Filtered {
        if selected.is_empty() {
            return Filtered {
                list: base.list.clone(),
                counts: base.counts.clone(),
            };
        }
        let list = filter::apply(index, &base.list, selected);
        let counts = filter::tag_counts(index, &list);
        Filtered {
            list: list.into(),
            counts: counts.into(),
        }
    }

    /// How many posts of the filtered list carry a toggle's tag.
    pub fn count(&self, toggle: &Toggle) -> u32 {
        toggle.tag.map_or(0, |t| self.counts[t as usize])
    }
}

/// The summary chunks (positions in [`Index::summaries`]) holding these posts, each once.
pub fn summary_chunks(index: &Index, posts: &[u32]) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for &p in posts {
        let (chunk, _) = index.summary_location(p as usize);
        if !out.contains(&chunk) {
            out.push(chunk);
        }
    }
    out
}

#[cfg(test)]
mod chip_tests {
    use super::*;

    #[test]
    fn summaries_show_a_bounded_number_of_chips() {
        let few: Vec<u32> = (0..3).collect();
        assert_eq!(chips_shown(&few), (&few[..], 0));
        let many: Vec<u32> = (0..2000).collect();
        let (shown, rest) = chips_shown(&many);
        assert_eq!(shown, &many[..CHIPS_SHOWN]);
        assert_eq!(rest, 2000 - CHIPS_SHOWN);
        assert_eq!(more_chips_label(rest), "+1992 more");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixture::{index, tag_route, tags};

    #[test]
    fn hrefs_keep_or_toggle_the_selection() {
        let r = Route::Home { page: 2 };
        assert_eq!(list_href(&r, "/", &tags(&["rust"])), "/page/2?tags=rust");
        assert_eq!(list_href(&r, "/blog/", &[]), "/blog/page/2");
        assert_eq!(
            toggle_href(&r, "/", &tags(&["rust"]), "wasm"),
            "/?tags=rust,wasm"
        );
        assert_eq!(
            toggle_href(&r, "/blog/", &tags(&["rust"]), "rust"),
            "/blog/"
        );
        assert_eq!(
            toggle_href(&tag_route("rust", 2), "/", &[], "web"),
            "/tag/rust?tags=web"
        );
    }

    #[test]
    fn toggles_follow_the_list() {
        let index = index();
        let home = ListBase::new(&index, &Route::Home { page: 1 }).unwrap();
        assert_eq!(home.list[..], [0, 1, 2, 3, 4]);
        let slugs: Vec<&str> = home.toggles.iter().map(|t| t.slug.as_str()).collect();
        assert_eq!(slugs, ["rust", "wasm", "web"]);
        let wasm = ListBase::new(&index, &tag_route("wasm", 1)).unwrap();
        assert_eq!(wasm.list[..], [0, 2]);
        let slugs: Vec<&str> = wasm.toggles.iter().map(|t| t.slug.as_str()).collect();
        assert_eq!(slugs, ["rust", "wasm"], "web is on no wasm post");
        let with = wasm.toggles_shown(&index, &tags(&["web", "ghost"]), true);
        assert_eq!(with.len(), 4);
        assert_eq!(with[2].name, "Web");
        assert_eq!(with[3].tag, None);
        assert_eq!(with[3].name, "ghost");
        assert!(ListBase::new(&index, &Route::Tags).is_none());
        assert!(ListBase::new(&index, &tag_route("nope", 1)).is_none());
    }

    #[test]
    fn every_page_of_a_list_shares_one_base() {
        let index = index();
        let lists = ListBases::default();
        let first = lists.get(&index, &tag_route("wasm", 1));
        let third = lists.get(&index, &tag_route("wasm", 3));
        assert!(
            Arc::ptr_eq(&first, &third),
            "computed once per list, not per page"
        );
        assert_eq!(
            *first,
            ListBase::new(&index, &tag_route("wasm", 1)).unwrap()
        );
        let home = lists.get(&index, &Route::Home { page: 2 });
        assert_eq!(home.list[..], [0, 1, 2, 3, 4]);
        assert!(!Arc::ptr_eq(&first, &home));
        // Not a list, or no such term: empty, like the view shows it.
        assert!(lists.get(&index, &tag_route("nope", 1)).list.is_empty());
        assert!(lists.get(&index, &Route::Tags).list.is_empty());
    }

    #[test]
    fn filtering_narrows_and_recounts() {
        let index = index();
        let home = ListBase::new(&index, &Route::Home { page: 1 }).unwrap();
        let none = Filtered::new(&index, &home, &[]);
        assert_eq!(none.list, home.list);
        assert_eq!(none.counts[..], [3, 2, 1]);
        let rust = Filtered::new(&index, &home, &tags(&["rust"]));
        assert_eq!(rust.list[..], [0, 1, 3]);
        assert_eq!(rust.counts[..], [3, 1, 0]);
        let both = Filtered::new(&index, &home, &tags(&["rust", "wasm"]));
        assert_eq!(both.list[..], [0]);
        let ghost = Filtered::new(&index, &home, &tags(&["ghost"]));
        assert!(ghost.list.is_empty());
        let toggles = home.toggles_shown(&index, &tags(&["ghost"]), true);
        assert_eq!(ghost.count(&toggles[0]), 0);
        assert_eq!(ghost.count(&toggles[3]), 0);
        assert_eq!(rust.count(&toggles[1]), 1);
    }

    #[test]
    fn long_tails_of_toggles_fold() {
        let index = index();
        let long = ListBase {
            toggles: (0..40)
                .map(|i| Toggle {
                    slug: format!("t{i}"),
                    name: format!("T{i}"),
                    tag: Some(i),
                })
                .collect(),
            ..ListBase::default()
        };
        let shown = |base: &ListBase, selected: &[&str], expanded: bool| {
            let v = base.toggles_shown(&index, &tags(selected), expanded);
            v.into_iter().map(|t| t.slug).collect::<Vec<_>>()
        };
        assert_eq!(shown(&long, &[], false).len(), FOLDED_TOGGLES);
        assert_eq!(shown(&long, &[], true).len(), 40);
        let short = ListBase {
            toggles: long.toggles[..FOLDED_TOGGLES].to_vec(),
            ..ListBase::default()
        };
        assert_eq!(shown(&short, &[], false).len(), FOLDED_TOGGLES);
        // A selection beyond the fold is shown; so is one the list lacks, after the rest.
        let folded = shown(&long, &["t30", "t2"], false);
        assert_eq!(folded.len(), FOLDED_TOGGLES + 1);
        assert_eq!(folded.last().map(String::as_str), Some("t30"));
        assert_eq!(folded[..3], ["t0", "t1", "t2"]);
        let folded = shown(&long, &["ghost", "t39"], false);
        assert_eq!(folded.len(), FOLDED_TOGGLES + 2);
        assert_eq!(folded[FOLDED_TOGGLES..], ["t39", "ghost"]);
        // One extra selected slug tips a list of exactly FOLDED_TOGGLES over the fold.
        assert_eq!(short.toggle_count(&tags(&["ghost"])), FOLDED_TOGGLES + 1);
        assert_eq!(shown(&short, &["ghost"], false).len(), FOLDED_TOGGLES + 1);
        let home = ListBase::new(&index, &Route::Home { page: 1 }).unwrap();
        for selected in [tags(&[]), tags(&["rust"]), tags(&["ghost", "rust"])] {
            assert_eq!(
                home.toggle_count(&selected),
                home.toggles_shown(&index, &selected, true).len()
            );
        }
        assert_eq!(more_tags_label(40, false), "All 40 tags");
        assert_eq!(more_tags_label(40, true), "Fewer tags");
    }

    #[test]
    fn chunks_cover_a_page() {
        let index = index();
        assert_eq!(summary_chunks(&index, &[0, 1]), vec![0]);
        assert_eq!(summary_chunks(&index, &[1, 2, 3, 4]), vec![0, 1, 2]);
        assert_eq!(summary_chunks(&index, &[]), Vec::<usize>::new());
    }
}
