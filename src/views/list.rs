//! A list page (home, a tag, a category, an author; any page of it): heading, the tag
//! filter, the posts, the pagination.
//!
//! Everything that changes is derived once per change, then split into small signals, so
//! a click updates only the nodes whose content changes: posts are keyed by position and
//! toggles by slug (a post or toggle that stays is not touched), and each toggle's pressed
//! state and count are signals of its own, set by one effect of the list only when they
//! change (its button is touched only then, and no toggle subscribes to the selection or
//! the filtered list: hundreds of subscribers there made every click re-run hundreds of
//! computations and re-link them in the reactive graph).

use std::collections::HashMap;

use leptos::prelude::*;
use quire_core::Route;
use quire_core::filter::paginate;
use quire_core::meta::page_meta;

use super::parts::{Html, post_href, post_meta_items};
use crate::model::{
    FOLDED_TOGGLES, Filtered, Toggle, chips_shown, empty_text, filter_status, list_href, list_lede,
    more_chips_label, more_tags_label, page_label, page_of, toggle_href,
};
use crate::state::{AppState, Text, use_state};

/// Sets the tag selection: a new history entry with `?tags=`, on page 1 of the list.
fn select(s: &AppState, tags: &[String]) {
    let href = list_href(&s.route.get_untracked().with_page(1), &s.base, tags);
    (s.navigate)(href);
}

#[component]
pub fn ListPage() -> impl IntoView {
    let s = use_state();
    let (route, tags) = (s.route, s.tags);
    let index = s.index.clone();
    let list_route = Memo::new(move |_| route.with(|r| r.with_page(1)));
    let base = {
        let (index, lists) = (index.clone(), s.lists.clone());
        Memo::new(move |_| list_route.with(|r| lists.get(&index, r)))
    };
    let filtered = {
        let index = index.clone();
        Memo::new(move |_| base.with(|b| tags.with(|t| Filtered::new(&index, b, t))))
    };
    let page = Memo::new(move |_| route.with(page_of));
    let per_page = index.site.posts_per_page;
    let pages = Memo::new(move |_| filtered.with(|f| paginate(&f.list, per_page, 1).1));
    let shown =
        Memo::new(move |_| filtered.with(|f| paginate(&f.list, per_page, page.get()).0.to_vec()));
    let heading = {
        let index = index.clone();
        Memo::new(move |_| route.with(|r| page_meta(&index, r, None).heading))
    };
    let lede = {
        let index = index.clone();
        Memo::new(move |_| route.with(|r| list_lede(&index, r, base.with(|b| b.list.len()))))
    };
    // The long tail of toggles is rendered only when the reader asks for it.
    let expanded = RwSignal::new(false);
    let toggles = {
        let index = index.clone();
        Memo::new(move |_| base.with(|b| tags.with(|t| b.toggles_shown(&index, t, expanded.get()))))
    };
    let total_toggles = Memo::new(move |_| base.with(|b| tags.with(|t| b.toggle_count(t))));
    let no_filter =
        Memo::new(move |_| base.with(|b| b.toggles.is_empty()) && tags.with(Vec::is_empty));
    let selecting = Memo::new(move |_| !tags.with(Vec::is_empty));
    let empty = Memo::new(move |_| shown.with(Vec::is_empty));
    let status =
        Memo::new(move |_| filter_status(filtered.with(|f| f.list.len()), tags.with(Vec::len)));
    let clear = {
        let s = s.clone();
        move |_| select(&s, &[])
    };
    // Each shown toggle's own signals, by slug; one effect brings them up to date.
    let registry: Registry = StoredValue::new(HashMap::new());
    Effect::new(move |_| {
        filtered.with(|f| {
            tags.with(|selected| {
                registry.with_value(|r| {
                    for (slug, t) in r {
                        t.sync(selected.contains(slug), f.count(&t.toggle));
                    }
                })
            })
        })
    });

    view! {
        <div class="list-page">
            <header class="page-header">
                <h1>{heading}</h1>
                {move || {
                    let lede = lede.get();
                    (!lede.is_empty()).then(|| view! { <p class="lede">{lede}</p> })
                }}
            </header>
            <section class="tag-filter" aria-label="Filter posts by tag" hidden=no_filter>
                <div class="tag-toggles">
                    <For
                        each=move || toggles.get()
                        key=|t| t.slug.clone()
                        children=move |t| view! { <ToggleButton toggle=t filtered=filtered registry=registry/> }
                    />
                </div>
                {move || (total_toggles.get() > FOLDED_TOGGLES).then(|| view! {
                    <button
                        type="button"
                        class="more-tags"
                        aria-expanded=move || if expanded.get() { "true" } else { "false" }
                        on:click=move |_| expanded.update(|e| *e = !*e)
                    >
                        {move || more_tags_label(total_toggles.get(), expanded.get())}
                    </button>
                })}
                {move || selecting.get().then(|| view! {
                    <p class="filter-status" role="status">
                        <span>{status}</span>
                        <button type="button" class="clear-tags" on:click=clear.clone()>
                            "Clear filter"
                        </button>
                    </p>
                })}
            </section>
            <div class="posts">
                <FailedSummaries shown=shown/>
                {move || if empty.get() {
                    view! { <EmptyList page=page pages=pages/> }.into_any()
                } else {
                    view! {
                        <div class="post-list">
                            <For
                                each=move || shown.get()
                                key=|pos| *pos
                                children=|pos| view! { <Summary pos=pos as usize/> }
                            />
                        </div>
                        <Pagination page=page pages=pages/>
                    }.into_any()
                }}
            </div>
        </div>
    }
}

/// A shown toggle's pressed state and count.
#[derive(Clone)]
struct ToggleSignals {
    toggle: Toggle,
    pressed: RwSignal<bool>,
    count: RwSignal<u32>,
}

impl ToggleSignals {
    /// Sets what changed (a disposed toggle is left alone).
    fn sync(&self, pressed: bool, count: u32) {
        if self
            .pressed
            .try_get_untracked()
            .is_some_and(|p| p != pressed)
        {
            self.pressed.try_set(pressed);
        }
        if self.count.try_get_untracked().is_some_and(|c| c != count) {
            self.count.try_set(count);
        }
    }
}

type Registry = StoredValue<HashMap<String, ToggleSignals>>;

/// A tag's filter toggle. Reads only its own two signals (registered with the list, which
/// sets them), so a click elsewhere touches this button only if its state changed.
#[component]
fn ToggleButton(toggle: Toggle, filtered: Memo<Filtered>, registry: Registry) -> impl IntoView {
    let s = use_state();
    let tags = s.tags;
    let pressed = RwSignal::new(tags.with_untracked(|t| t.contains(&toggle.slug)));
    let count = RwSignal::new(filtered.with_untracked(|f| f.count(&toggle)));
    let slug = toggle.slug.clone();
    registry.update_value(|r| {
        r.insert(
            slug.clone(),
            ToggleSignals {
                toggle: toggle.clone(),
                pressed,
                count,
            },
        );
    });
    on_cleanup(move || {
        // Only this toggle's entry: a newer toggle with the same slug may have replaced it.
        registry.try_update_value(|r| {
            if r.get(&slug).is_some_and(|t| t.pressed == pressed) {
                r.remove(&slug);
            }
        });
    });
    let slug = toggle.slug.clone();
    let on_click = move |_| {
        let next = tags.with_untracked(|t| quire_core::filter::toggle(t, &slug));
        select(&s, &next);
    };
    view! {
        <button
            type="button"
            class=move || if count.get() == 0 { "tag-toggle zero" } else { "tag-toggle" }
            data-tag=toggle.slug
            aria-pressed=move || if pressed.get() { "true" } else { "false" }
            on:click=on_click
        >
            <span class="check" aria-hidden="true">{move || if pressed.get() { "✓" } else { "#" }}</span>
            <span class="name">{toggle.name}</span>
            <span class="count">{count}</span>
        </button>
    }
}

/// A notice with a retry button when summary chunks of the shown posts failed.
#[component]
fn FailedSummaries(shown: Memo<Vec<u32>>) -> impl IntoView {
    let s = use_state();
    let failed = {
        let s = s.clone();
        Memo::new(move |_| {
            let mut names: Vec<String> = Vec::new();
            let mut reason = None;
            for &pos in &shown.get() {
                if let Text::Failed(why) = (s.summary)(pos as usize) {
                    let name = s.summary_chunk(pos as usize).to_string();
                    if !names.contains(&name) {
                        names.push(name);
                    }
                    reason.get_or_insert(why);
                }
            }
            reason.map(|r| (r, names))
        })
    };
    move || {
        failed.get().map(|(reason, names)| {
            let retry = s.retry.clone();
            let retry_names = names.clone();
            view! {
                <div class="load-error notice" role="alert">
                    <p>{format!("Some post summaries could not be loaded: {reason}.")}</p>
                    <button
                        type="button"
                        class="retry"
                        data-retry=names.join(" ")
                        on:click=move |_| retry_names.iter().for_each(|n| retry(n.clone()))
                    >
                        "Try again"
                    </button>
                </div>
            }
        })
    }
}

/// Why the list is empty, with a way back when the page is past the end.
#[component]
fn EmptyList(page: Memo<u32>, pages: Memo<u32>) -> impl IntoView {
    let s = use_state();
    let (route, tags) = (s.route, s.tags);
    let nothing_at_all = s.index.posts.is_empty()
        || route.with_untracked(|r| match r {
            Route::Term { kind, slug, .. } => s
                .index
                .term_position(*kind, slug)
                .is_none_or(|t| s.index.terms(*kind)[t].posts.is_empty()),
            _ => false,
        });
    let text = move || empty_text(nothing_at_all, page.get(), pages.get(), tags.with(Vec::len));
    let base = s.base.clone();
    let back = move || {
        (page.get() > pages.get()).then(|| {
            let href = route.with(|r| tags.with(|t| list_href(&r.with_page(1), &base, t)));
            view! { " " <a href=href>"Back to the first page"</a> }
        })
    };
    view! { <p class="empty">{text}{back}</p> }
}

#[component]
fn Pagination(page: Memo<u32>, pages: Memo<u32>) -> impl IntoView {
    let s = use_state();
    let (route, tags) = (s.route, s.tags);
    let base = s.base.clone();
    let href_of = move |p: u32| route.with(|r| tags.with(|t| list_href(&r.with_page(p), &base, t)));
    let newer = {
        let href_of = href_of.clone();
        move || {
            (page.get() > 1).then(|| {
                view! {
                    <a href=href_of(page.get() - 1) rel="prev">"← Newer posts"</a>
                }
            })
        }
    };
    let older = move || {
        (page.get() < pages.get()).then(|| {
            view! {
                <a href=href_of(page.get() + 1) rel="next">"Older posts →"</a>
            }
        })
    };
    move || {
        (pages.get() > 1 && page.get() <= pages.get()).then(|| {
            view! {
                <nav class="pagination" aria-label="Pages">
                    <span class="newer">{newer.clone()}</span>
                    <span class="page-of">{move || page_label(page.get(), pages.get())}</span>
                    <span class="older">{older.clone()}</span>
                </nav>
            }
        })
    }
}

/// A post in a list: title, meta, rendered summary (when its chunk is in), tag chips
/// that narrow the list (at most `CHIPS_SHOWN`, then a link to the post for the rest).
/// Only the chips' links and the summary can change.
#[component]
fn Summary(pos: usize) -> impl IntoView {
    let s = use_state();
    let index = s.index.clone();
    let post = &index.posts[pos];
    let base = s.base.clone();
    let summary = s.summary.clone();
    let text = move || match summary(pos) {
        Text::Ready(html) => view! { <Html class="summary" html=html/> }.into_any(),
        Text::Loading => view! {
            <div class="summary pending" aria-hidden="true">
                <span class="line"></span>
                <span class="line short"></span>
            </div>
        }
        .into_any(),
        Text::Failed(_) => view! { <div class="summary missing"></div> }.into_any(),
    };
    let (shown, rest) = chips_shown(&post.tags);
    let mut chips: Vec<AnyView> = shown
        .iter()
        .map(|&t| {
            let tag = &index.tags[t as usize];
            let (route, tags) = (s.route, s.tags);
            let slug = tag.slug.clone();
            let selected = {
                let slug = slug.clone();
                Memo::new(move |_| tags.with(|t| t.contains(&slug)))
            };
            let base = base.clone();
            let href = {
                let slug = slug.clone();
                move || route.with(|r| tags.with(|t| toggle_href(r, &base, t, &slug)))
            };
            view! {
                <li>
                    <a
                        href=href
                        class=move || if selected.get() { "tag selected" } else { "tag" }
                        data-tag=slug
                    >
                        {tag.name.clone()}
                    </a>
                </li>
            }
            .into_any()
        })
        .collect();
    let has_chips = !chips.is_empty();
    // One list of one view type, so a post without more tags renders no placeholder.
    if rest > 0 {
        chips.push(
            view! {
                <li>
                    <a href=post_href(post, &base) class="tag more">{more_chips_label(rest)}</a>
                </li>
            }
            .into_any(),
        );
    }
    view! {
        <article class="post-summary">
            <h2><a href=post_href(post, &base)>{post.title.clone()}</a></h2>
            <p class="post-meta">{post_meta_items(&index, post, &base, true)}</p>
            {text}
            {has_chips.then(|| view! { <ul class="tags" aria-label="Tags">{chips}</ul> })}
        </article>
    }
}
