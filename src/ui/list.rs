//! List pages (home, tag, category, author, and their pages): instant tag filtering over
//! the index, one page of post summaries, pagination.

use std::sync::Arc;

use leptos::prelude::*;
use quire_core::filter::{self, paginate};
use quire_core::markdown::render;
use quire_core::meta::page_meta;
use quire_core::{Index, Route, TermKind};

use super::pages;
use super::parts;
use crate::model::{self, Filtered, ListBase, Toggle, list_href, page_label, toggle_href};
use crate::store::{self, Chunk, store};

/// The list view for `key` (a list route on page 1); the page and the selection come
/// from the location, so paging and filtering update this view in place.
pub fn list_page(index: Arc<Index>, key: Route) -> AnyView {
    let s = store();
    let Some(base) = ListBase::new(&index, &key) else {
        return pages::not_found().into_any();
    };
    let base = Arc::new(base);
    let selected = Memo::new(move |_| s.loc.with(|l| l.tags.clone()));
    let page = Memo::new(move |_| s.loc.with(|l| model::page_of(&l.route)));
    let filtered = Memo::new({
        let (index, base) = (index.clone(), base.clone());
        move |_| selected.with(|sel| Arc::new(Filtered::new(&index, &base, sel)))
    });
    let per_page = index.site.posts_per_page;
    // The posts on this page, and the number of pages of the filtered list.
    let shown = Memo::new(move |_| {
        filtered.with(|f| {
            let (posts, pages) = paginate(&f.list, per_page, page.get());
            (posts.to_vec(), pages)
        })
    });
    let heading = {
        let (index, key) = (index.clone(), key.clone());
        move || page_meta(&index, &key.with_page(page.get()), None).heading
    };
    let intro = matches!(key, Route::Home { .. }).then(|| index.site.description.clone());
    let intro = intro.filter(|d| !d.is_empty());
    let lede = {
        let base = base.clone();
        move || match (&key, page.get()) {
            (Route::Home { .. }, 1) => intro.clone(),
            (Route::Term { .. }, _) => Some(model::posts_label(base.list.len())),
            _ => None,
        }
    };
    view! {
        <div class="list-page">
            <header class="page-header">
                <h1>{heading}</h1>
                {move || lede().map(|text| view! { <p class="lede">{text}</p> })}
            </header>
            {tag_filter(index.clone(), base.clone(), selected, filtered)}
            {posts(index.clone(), selected, page, shown, base.list.is_empty())}
            {pagination(selected, page, shown)}
        </div>
    }
    .into_any()
}

/// The tag toggles with their counts, and the clear-all button.
fn tag_filter(
    index: Arc<Index>,
    base: Arc<ListBase>,
    selected: Memo<Vec<String>>,
    filtered: Memo<Arc<Filtered>>,
) -> impl IntoView {
    let toggles = Memo::new(move |_| selected.with(|sel| base.toggles_for(&index, sel)));
    let button = move |toggle: Toggle| {
        let slug = toggle.slug.clone();
        let pressed = {
            let slug = slug.clone();
            move || selected.with(|sel| sel.contains(&slug))
        };
        let pressed2 = pressed.clone();
        let name = toggle.name.clone();
        let count = move || filtered.with(|f| f.count(&toggle));
        let empty = {
            let count = count.clone();
            move || count() == 0
        };
        view! {
            <button
                type="button"
                class="tag-toggle"
                class:zero=empty
                data-tag=slug.clone()
                aria-pressed=move || if pressed() { "true" } else { "false" }
                on:click=move |_| toggle_tag(&slug)
            >
                <span class="check" aria-hidden="true">
                    {move || if pressed2() { "✓" } else { "#" }}
                </span>
                <span class="name">{name}</span>
                <span class="count">{count}</span>
            </button>
        }
    };
    let status = move || {
        let n = selected.with(Vec::len);
        (n > 0).then(|| {
            let matching = filtered.with(|f| f.list.len());
            let of = if n == 1 {
                "with this tag".to_string()
            } else {
                format!("with all {n} tags")
            };
            view! {
                <p class="filter-status" role="status">
                    <span>{model::posts_label(matching)} " " {of}</span>
                    <button type="button" class="clear-tags" on:click=move |_| set_selection(&[])>
                        "Clear filter"
                    </button>
                </p>
            }
        })
    };
    // Always there (a list without tags hides it), so every list page has the same shape.
    view! {
        <section
            class="tag-filter"
            aria-label="Filter posts by tag"
            hidden=move || toggles.with(Vec::is_empty)
        >
            <div class="tag-toggles">
                <For each=move || toggles.get() key=|t| t.slug.clone() children=button />
            </div>
            {status}
        </section>
    }
}

/// Sets the selection: a new history entry with `?tags=`, back on page 1 of the list.
fn set_selection(tags: &[String]) {
    let route = store::current_route();
    store::navigate(&list_href(&route.with_page(1), store().base, tags));
}

fn toggle_tag(slug: &str) {
    let current = store().loc.with_untracked(|l| l.tags.clone());
    set_selection(&filter::toggle(&current, slug));
}

/// The summaries of the posts on this page, or why there are none.
fn posts(
    index: Arc<Index>,
    selected: Memo<Vec<String>>,
    page: Memo<u32>,
    shown: Memo<(Vec<u32>, u32)>,
    no_posts_at_all: bool,
) -> impl IntoView {
    let article = {
        let index = index.clone();
        move |pos: u32| summary(index.clone(), pos, selected)
    };
    let notice = {
        let index = index.clone();
        move || chunk_notice(&index, &shown.with(|(posts, _)| posts.clone()))
    };
    let is_empty = Memo::new(move |_| shown.with(|(posts, _)| posts.is_empty()));
    move || {
        if !is_empty.get() {
            let article = article.clone();
            return view! {
                {notice.clone()}
                <div class="post-list">
                    <For each=move || shown.get().0 key=|p| *p children=article.clone() />
                </div>
            }
            .into_any();
        }
        let base = store().base;
        let pages = shown.with(|(_, pages)| *pages);
        let text = if no_posts_at_all {
            "No posts yet.".to_string()
        } else if page.get() > pages {
            format!("There is no page {} of this selection.", page.get())
        } else if selected.with(|s| s.len()) > 1 {
            "No post has all of the selected tags.".to_string()
        } else {
            "No post has the selected tag.".to_string()
        };
        let first = (page.get() > pages && pages >= 1).then(|| {
            let href = list_href(
                &store::current_route().with_page(1),
                base,
                &selected.get_untracked(),
            );
            view! { <a href=href>"Back to the first page"</a> }
        });
        view! { <p class="empty">{text} " " {first}</p> }.into_any()
    }
}

/// A notice with a retry button when summaries of this page could not be fetched.
fn chunk_notice(index: &Index, posts: &[u32]) -> Option<impl IntoView + use<>> {
    let failed: Vec<(String, String)> = model::summary_chunks(index, posts)
        .into_iter()
        .filter_map(|c| {
            let name = index.summaries[c].clone();
            match store::chunk(&name).get() {
                Chunk::Failed(reason) => Some((name, reason)),
                _ => None,
            }
        })
        .collect();
    let reason = failed.first()?.1.clone();
    let names: Vec<String> = failed.into_iter().map(|(name, _)| name).collect();
    Some(view! {
        <div class="load-error notice" role="alert">
            <p>"Some post summaries could not be loaded: " {reason} "."</p>
            <button
                type="button"
                class="retry"
                on:click=move |_| names.iter().for_each(|n| store::retry_chunk(n))
            >
                "Try again"
            </button>
        </div>
    })
}

/// One post in a list.
fn summary(index: Arc<Index>, pos: u32, selected: Memo<Vec<String>>) -> impl IntoView {
    let base = store().base;
    let post = &index.posts[pos as usize];
    let href = Route::Post {
        slug: post.slug.clone(),
    }
    .href(base);
    let (chunk_no, slot) = index.summary_location(pos as usize);
    let chunk = store::chunk(&index.summaries[chunk_no]);
    let policy = index.site.raw_html;
    let text = move || match chunk.get() {
        Chunk::Ready(texts) => {
            let html = texts
                .get(slot)
                .map(|md| render(md, policy))
                .unwrap_or_default();
            view! { <div class="summary" inner_html=html></div> }.into_any()
        }
        Chunk::Loading => view! {
            <div class="summary pending" aria-hidden="true">
                <span class="line"></span>
                <span class="line short"></span>
            </div>
        }
        .into_any(),
        Chunk::Failed(_) => view! { <div class="summary missing"></div> }.into_any(),
    };
    let chips: Vec<_> = post
        .tags
        .iter()
        .map(|&t| {
            let term = &index.tags[t as usize];
            let slug = term.slug.clone();
            let on = {
                let slug = slug.clone();
                move || selected.with(|sel| sel.contains(&slug))
            };
            let href = {
                let slug = slug.clone();
                move || {
                    let route = store().loc.with(|l| l.route.clone());
                    selected.with(|sel| toggle_href(&route, base, sel, &slug))
                }
            };
            view! {
                <li>
                    <a class="tag" class:selected=on data-tag=slug href=href>
                        {term.name.clone()}
                    </a>
                </li>
            }
        })
        .collect();
    let categories: Vec<_> = post
        .categories
        .iter()
        .map(|&c| {
            let href = parts::term_href(&index, TermKind::Category, c, base);
            view! {
                <a class="category" href=href>
                    {index.categories[c as usize].name.clone()}
                </a>
            }
        })
        .collect();
    view! {
        <article class="post-summary">
            <h2>
                <a href=href>{post.title.clone()}</a>
            </h2>
            <p class="post-meta">
                {parts::date(&post.date)}
                <span class="by">" by "</span>
                {parts::author(&index, post, base)}
                {(!categories.is_empty()).then(|| view! { <span class="in">" in "</span> })}
                {categories}
                <span class="reading-time">{model::reading_label(post.words)}</span>
            </p>
            {text}
            {(!chips.is_empty()).then(|| view! { <ul class="tags" aria-label="Tags">{chips}</ul> })}
        </article>
    }
}

/// Newer / older links and "Page N of M"; they keep the selection.
fn pagination(
    selected: Memo<Vec<String>>,
    page: Memo<u32>,
    shown: Memo<(Vec<u32>, u32)>,
) -> impl IntoView {
    move || {
        let pages = shown.with(|(_, pages)| *pages);
        let page = page.get();
        if pages <= 1 || page > pages {
            return None;
        }
        let base = store().base;
        let route = store::current_route();
        let sel = selected.get();
        let link = |n: u32| list_href(&route.with_page(n), base, &sel);
        let newer = (page > 1).then(|| {
            view! {
                <a rel="prev" href=link(page - 1)>
                    "← Newer posts"
                </a>
            }
        });
        let older = (page < pages).then(|| {
            view! {
                <a rel="next" href=link(page + 1)>
                    "Older posts →"
                </a>
            }
        });
        Some(view! {
            <nav class="pagination" aria-label="Pages">
                <span class="newer">{newer}</span>
                <span class="page-of">{page_label(page, pages)}</span>
                <span class="older">{older}</span>
            </nav>
        })
    }
}
