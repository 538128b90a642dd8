//! Pieces several route kinds' views share: the one element that takes rendered Markdown
//! ([`Html`]), a post's or page's body as it loads ([`body_view`]), dates, links to posts
//! and terms, and a post's meta line. Kept apart from
//! the layout so that the route kinds' files and the layout both use them without
//! referring to each other.

use leptos::prelude::*;
use quire_core::{Index, PostMeta, Route, TermKind};

use crate::model::reading_label;
use crate::state::{AppState, Text};

/// Rendered Markdown (from `quire_core::markdown`) as the content of its own element:
/// the one place the views use `inner_html`.
#[component]
pub fn Html(class: &'static str, html: std::sync::Arc<str>) -> impl IntoView {
    view! { <div class=class inner_html=html.to_string()></div> }
}

/// `<time datetime="2024-03-04">4 March 2024</time>`.
#[component]
pub fn Time(date: String) -> impl IntoView {
    view! {
        <time datetime=quire_core::date::iso_day(&date).to_string()>
            {quire_core::date::display(&date)}
        </time>
    }
}

pub(crate) fn term_href(index: &Index, kind: TermKind, pos: u32, base: &str) -> String {
    Route::Term {
        kind,
        slug: index.terms(kind)[pos as usize].slug.clone(),
        page: 1,
    }
    .href(base)
}

pub(crate) fn post_href(post: &PostMeta, base: &str) -> String {
    Route::Post {
        slug: post.slug.clone(),
    }
    .href(base)
}

/// Date, author, categories (on list pages) and reading time: the inside of
/// `<p class="post-meta">`, which the caller may extend.
pub(crate) fn post_meta_items(
    index: &Index,
    post: &PostMeta,
    base: &str,
    categories: bool,
) -> impl IntoView + use<> {
    let author = &index.authors[post.author as usize];
    let cats: Vec<_> = if categories {
        post.categories
            .iter()
            .enumerate()
            .map(|(i, &c)| {
                let href = term_href(index, TermKind::Category, c, base);
                let name = index.categories[c as usize].name.clone();
                view! { {(i > 0).then_some(", ")}<a href=href class="category">{name}</a> }
            })
            .collect()
    } else {
        Vec::new()
    };
    let in_ = (!cats.is_empty()).then(|| view! { <span class="in">" in "</span> });
    view! {
        <Time date=post.date.clone()/>
        <span class="by">" by "</span>
        <a href=term_href(index, TermKind::Author, post.author, base) class="author" rel="author">
            {author.name.clone()}
        </a>
        {in_}
        {cats}
        <span class="reading-time">{reading_label(post.words)}</span>
    }
}

/// A post's or a page's body (`what`: "post", "page"): the rendered Markdown once its
/// chunk (named `chunk`) is in, a spinner until then, or why it failed with a button that
/// fetches the chunk again.
pub(crate) fn body_view(s: &AppState, text: Text, chunk: &str, what: &'static str) -> AnyView {
    match text {
        Text::Ready(html) => {
            let class = if s.in_app.get_value() {
                "post-body lazy-layout"
            } else {
                "post-body"
            };
            view! { <Html class=class html=html/> }.into_any()
        }
        Text::Loading => view! {
            <div class="post-body">
                <p class="loading" role="status">
                    <span class="spinner" aria-hidden="true"></span>
                    {format!("Loading the {what}…")}
                </p>
            </div>
        }
        .into_any(),
        Text::Failed(reason) => {
            let chunk = chunk.to_string();
            let retry = s.retry.clone();
            let name = chunk.clone();
            view! {
                <div class="post-body">
                    <div class="load-error" role="alert">
                        <p>{format!("This {what} could not be loaded: {reason}.")}</p>
                        <button
                            type="button"
                            class="retry"
                            data-retry=chunk
                            on:click=move |_| retry(name.clone())
                        >
                            "Try again"
                        </button>
                    </div>
                </div>
            }
            .into_any()
        }
    }
}
