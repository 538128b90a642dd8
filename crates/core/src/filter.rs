//! Lists and tag filters: which posts a list page shows, how `?tags=a,b` reads and
//! writes, and per-tag match counts. Positions are indexes into [`Index::posts`]; every
//! list is ascending, so newest first.

use crate::bundle::{Index, TermKind};
use crate::route::Route;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The selected tag slugs from a query string (`?tags=a,b`, `tags=a,b&x=1`, or empty).
/// Unknown slugs are kept (the caller decides), duplicates dropped, order kept.
pub fn tags_from_query(query: &str) -> Vec<String> {
    let query = query.strip_prefix('?').unwrap_or(query);
    let mut out: Vec<String> = Vec::new();
    for pair in query.split('&') {
        let Some(value) = pair.strip_prefix("tags=") else {
            continue;
        };
        let value = crate::route::decode_path(&value.replace('+', " "));
        for slug in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if !out.iter().any(|s| s == slug) {
                out.push(slug.to_string());
            }
        }
    }
    out
}

/// The query string for a selection: `?tags=a,b`, or empty for none.
pub fn query_from_tags(tags: &[String]) -> String {
    if tags.is_empty() {
        return String::new();
    }
    let encoded: Vec<String> = tags.iter().map(|t| crate::route::encode_path(t)).collect();
    format!("?tags={}", encoded.join(","))
}

/// The selection with `slug` added, or removed if it was there.
pub fn toggle(selected: &[String], slug: &str) -> Vec<String> {
    if selected.iter().any(|s| s == slug) {
        selected.iter().filter(|s| *s != slug).cloned().collect()
    } else {
        let mut out = selected.to_vec();
        out.push(slug.to_string());
        out
    }
}

/// Intersection of two ascending position lists.
pub fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(a.len().min(b.len()));
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// What a list route lists before filtering: all posts, or a term's posts.
/// `None` for routes that are not lists, or a term that does not exist.
pub fn base_list(index: &Index, route: &Route) -> Option<Vec<u32>> {
    match route {
        Route::Home { .. } => Some((0..index.posts.len() as u32).collect()),
        Route::Term { kind, slug, .. } => index
            .term_position(*kind, slug)
            .map(|t| index.terms(*kind)[t].posts.clone()),
        _ => None,
    }
}

/// A list narrowed to posts that carry every selected tag. Unknown tag slugs match no post.
pub fn apply(index: &Index, base: &[u32], selected: &[String]) -> Vec<u32> {
    let mut out = base.to_vec();
    for slug in selected {
        match index.term_position(TermKind::Tag, slug) {
            Some(t) => out = intersect(&out, &index.tags[t].posts),
            None => return Vec::new(),
        }
    }
    out
}

/// For each tag (by position in [`Index::tags`]), how many posts of `list` carry it —
/// the number a reader would see after also selecting it.
pub fn tag_counts(index: &Index, list: &[u32]) -> Vec<u32> {
    let mut counts = vec![0u32; index.tags.len()];
    for &p in list {
        for &t in &index.posts[p as usize].tags {
            counts[t as usize] += 1;
        }
    }
    counts
}

/// One page of a list, with the page count. Pages start at 1; a page past the end is
/// empty.
pub fn paginate(list: &[u32], per_page: u32, page: u32) -> (&[u32], u32) {
    let per = per_page.max(1) as usize;
    let pages = list.len().div_ceil(per).max(1) as u32;
    let start = (page.max(1) as usize - 1)
        .saturating_mul(per)
        .min(list.len());
    let end = (start + per).min(list.len());
    (&list[start..end], pages)
}

/// Tag positions sorted for a tag cloud: most posts first, then by name, then by
/// position.
///
/// The position as last key makes the order total, so any sort gives the same order.
/// A heap sort (`BinaryHeap::into_sorted_vec`, O(n log n)) rather than `sort_by`: this is
/// the app's only sort, and the heap's code is a few hundred bytes of Wasm where the
/// slice sorts' is 3.5 KB.
pub fn tags_by_count(index: &Index) -> Vec<usize> {
    let keyed: Vec<(Reverse<usize>, &str, usize)> = index
        .tags
        .iter()
        .enumerate()
        .map(|(i, t)| (Reverse(t.posts.len()), t.name.as_str(), i))
        .collect();
    BinaryHeap::from(keyed)
        .into_sorted_vec()
        .into_iter()
        .map(|(_, _, i)| i)
        .collect()
}

/// Posts grouped by `(year, month)`, newest group first, for the archive.
pub fn by_month(index: &Index) -> Vec<((i32, u32), Vec<u32>)> {
    let mut out: Vec<((i32, u32), Vec<u32>)> = Vec::new();
    for (i, p) in index.posts.iter().enumerate() {
        let key = crate::date::ymd(&p.date).map_or((0, 0), |(y, m, _)| (y, m));
        match out.last_mut() {
            Some((k, list)) if *k == key => list.push(i as u32),
            _ => out.push((key, vec![i as u32])),
        }
    }
    out
}

/// Previous (newer) and next (older) post around position `pos`.
pub fn neighbours(index: &Index, pos: usize) -> (Option<usize>, Option<usize>) {
    let newer = pos.checked_sub(1);
    let older = (pos + 1 < index.posts.len()).then_some(pos + 1);
    (newer, older)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::tests::sample;

    #[test]
    fn query_round_trip() {
        assert_eq!(tags_from_query("?tags=rust,wasm"), vec!["rust", "wasm"]);
        assert_eq!(tags_from_query("x=1&tags=rust,,rust"), vec!["rust"]);
        assert_eq!(tags_from_query(""), Vec::<String>::new());
        assert_eq!(tags_from_query("?tags="), Vec::<String>::new());
        let sel = vec!["café".to_string(), "open-source".to_string()];
        assert_eq!(query_from_tags(&sel), "?tags=caf%C3%A9,open-source");
        assert_eq!(tags_from_query(&query_from_tags(&sel)), sel);
        assert_eq!(query_from_tags(&[]), "");
    }

    #[test]
    fn toggling() {
        let s = toggle(&[], "a");
        assert_eq!(s, vec!["a"]);
        let s = toggle(&s, "b");
        assert_eq!(s, vec!["a", "b"]);
        assert_eq!(toggle(&s, "a"), vec!["b"]);
    }

    #[test]
    fn intersection() {
        assert_eq!(intersect(&[0, 2, 4, 6], &[1, 2, 3, 6, 9]), vec![2, 6]);
        assert_eq!(intersect(&[], &[1]), Vec::<u32>::new());
    }

    #[test]
    fn filters_need_every_tag() {
        let index = sample();
        let all = base_list(&index, &Route::Home { page: 1 }).unwrap();
        assert_eq!(all, vec![0, 1, 2]);
        assert_eq!(apply(&index, &all, &["rust".into()]), vec![0, 1]);
        assert_eq!(
            apply(&index, &all, &["rust".into(), "wasm".into()]),
            vec![0]
        );
        assert_eq!(apply(&index, &all, &["nope".into()]), Vec::<u32>::new());
        assert_eq!(apply(&index, &all, &[]), all);
        let wasm = Route::Term {
            kind: TermKind::Tag,
            slug: "wasm".into(),
            page: 1,
        };
        let base = base_list(&index, &wasm).unwrap();
        assert_eq!(base, vec![0, 2]);
        assert_eq!(apply(&index, &base, &["rust".into()]), vec![0]);
        assert_eq!(base_list(&index, &Route::Tags), None);
        let missing = Route::Term {
            kind: TermKind::Tag,
            slug: "zzz".into(),
            page: 1,
        };
        assert_eq!(base_list(&index, &missing), None);
    }

    #[test]
    fn counts_follow_the_list() {
        let index = sample();
        assert_eq!(tag_counts(&index, &[0, 1, 2]), vec![2, 2]);
        assert_eq!(tag_counts(&index, &[0, 1]), vec![2, 1]);
        assert_eq!(tag_counts(&index, &[]), vec![0, 0]);
    }

    #[test]
    fn pagination() {
        let list = [0, 1, 2, 3, 4];
        assert_eq!(paginate(&list, 2, 1), (&list[0..2], 3));
        assert_eq!(paginate(&list, 2, 3), (&list[4..5], 3));
        assert_eq!(paginate(&list, 2, 9), (&list[5..5], 3));
        assert_eq!(paginate(&[], 10, 1), (&[][..], 1));
    }

    #[test]
    fn cloud_archive_and_neighbours() {
        let index = sample();
        assert_eq!(tags_by_count(&index), vec![0, 1]);
        let months = by_month(&index);
        assert_eq!(months[0], ((2024, 3), vec![0]));
        assert_eq!(months.len(), 3);
        assert_eq!(neighbours(&index, 0), (None, Some(1)));
        assert_eq!(neighbours(&index, 2), (Some(1), None));
    }

    /// The tag cloud's order: most posts first, then by name, then by position; the
    /// same order as a stable sort by count and name, which is what the cloud showed
    /// before the heap sort.
    #[test]
    fn cloud_order_breaks_ties_by_name_then_position() {
        let mut index = sample();
        let template = index.tags[0].clone();
        let tag = |name: &str, count: u32| {
            let mut t = template.clone();
            t.name = name.into();
            t.posts = (0..count).collect();
            t
        };
        index.tags = vec![
            tag("b", 1),
            tag("a", 1),
            tag("c", 3),
            tag("a", 1),
            tag("z", 2),
        ];
        assert_eq!(tags_by_count(&index), vec![2, 4, 1, 3, 0]);

        index.tags = (0..300u32)
            .map(|i| tag(["x", "b", "a", "é", "B"][(i * 7 % 5) as usize], i * 13 % 4))
            .collect();
        let mut stable: Vec<usize> = (0..index.tags.len()).collect();
        stable.sort_by(|&a, &b| {
            let (ta, tb) = (&index.tags[a], &index.tags[b]);
            (tb.posts.len().cmp(&ta.posts.len())).then_with(|| ta.name.cmp(&tb.name))
        });
        assert_eq!(tags_by_count(&index), stable);
    }
}
