//! The smaller views: loading, load failure, not found, the tag cloud and the archive.

use std::sync::Arc;

use leptos::prelude::*;
use quire_core::filter::{by_month, tags_by_count};
use quire_core::{Index, Route, TermKind};

use super::parts;
use crate::model;
use crate::store::{self, store};

pub fn loading() -> impl IntoView {
    view! {
        <div class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            <p>"Loading posts…"</p>
        </div>
    }
}

pub fn load_failed(reason: String) -> impl IntoView {
    view! {
        <div class="load-error" role="alert">
            <h1>"The posts could not be loaded"</h1>
            <p class="reason">"The post index (data/index.json) could not be read: " {reason} "."</p>
            <p>"This may be a passing problem with the connection or the server."</p>
            <button type="button" class="retry" on:click=move |_| store::load_index(true)>
                "Try again"
            </button>
        </div>
    }
}

pub fn not_found() -> impl IntoView {
    let base = store().base;
    view! {
        <div class="not-found">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address. The post may have moved, or the link may be mistyped."</p>
            <p>
                <a href=Route::Home { page: 1 }.href(base)>"Read the latest posts"</a>
                ", browse the "
                <a href=Route::Archive.href(base)>"archive"</a>
                " or pick a "
                <a href=Route::Tags.href(base)>"tag"</a>
                "."
            </p>
        </div>
    }
}

pub fn tag_cloud(index: Arc<Index>) -> impl IntoView {
    let base = store().base;
    let order = tags_by_count(&index);
    let max = order.first().map_or(0, |&t| index.tags[t].posts.len());
    let items: Vec<_> = order
        .into_iter()
        .map(|t| {
            let tag = &index.tags[t];
            let n = tag.posts.len();
            let href = parts::term_href(&index, TermKind::Tag, t as u32, base);
            let class = format!("w{}", model::cloud_weight(n, max));
            view! {
                <li>
                    <a href=href class=class>
                        <span class="name">{tag.name.clone()}</span>
                        <span class="count">{n}</span>
                    </a>
                </li>
            }
        })
        .collect();
    let empty = items.is_empty();
    view! {
        <header class="page-header">
            <h1>"Tags"</h1>
            <p class="lede">
                {format!("{} tags, most used first.", index.tags.len())}
            </p>
        </header>
        {empty.then(|| view! { <p class="empty">"No tags yet."</p> })}
        <ul class="tag-cloud">{items}</ul>
    }
}

pub fn archive(index: Arc<Index>) -> impl IntoView {
    let base = store().base;
    let groups: Vec<_> = by_month(&index)
        .into_iter()
        .map(|((year, month), posts)| {
            let items: Vec<_> = posts
                .into_iter()
                .map(|p| {
                    let post = &index.posts[p as usize];
                    let href = Route::Post {
                        slug: post.slug.clone(),
                    }
                    .href(base);
                    view! {
                        <li>
                            {parts::date(&post.date)}
                            <a href=href>{post.title.clone()}</a>
                        </li>
                    }
                })
                .collect();
            view! {
                <section>
                    <h2>{model::month_heading(year, month)}</h2>
                    <ul>{items}</ul>
                </section>
            }
        })
        .collect();
    view! {
        <header class="page-header">
            <h1>"Archive"</h1>
            <p class="lede">{format!("{}, newest first.", model::posts_label(index.posts.len()))}</p>
        </header>
        <div class="archive">{groups}</div>
    }
}
