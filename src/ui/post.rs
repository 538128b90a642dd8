//! The post page: metadata from the index at once, the body when its chunk is in.

use std::sync::Arc;

use leptos::prelude::*;
use quire_core::filter::neighbours;
use quire_core::markdown::render;
use quire_core::{Index, Route, TermKind};

use super::parts;
use crate::browser;
use crate::model;
use crate::store::{self, Chunk, store};

pub fn post_page(index: Arc<Index>, pos: usize) -> AnyView {
    let base = store().base;
    let post = &index.posts[pos];
    let chunk_name = index.bodies[post.body.chunk as usize].clone();
    let chunk = store::chunk(&chunk_name);
    let slot = post.body.slot as usize;
    let policy = index.site.raw_html;
    let body = {
        let chunk = chunk.clone();
        move || match chunk.get() {
            Chunk::Ready(texts) => match texts.get(slot) {
                Some(md) => {
                    view! { <div class="post-body" inner_html=render(md, policy)></div> }.into_any()
                }
                None => failed(
                    chunk_name.clone(),
                    "the post is missing from its file; rebuild the site".into(),
                ),
            },
            Chunk::Loading => view! {
                <div class="post-body">
                    <p class="loading" role="status">
                        <span class="spinner" aria-hidden="true"></span>
                        "Loading the post…"
                    </p>
                </div>
            }
            .into_any(),
            Chunk::Failed(reason) => failed(chunk_name.clone(), reason),
        }
    };
    // A link to a heading (`/post/x#setup`) can only land once the body is in.
    Effect::new(move |_| {
        if matches!(chunk.get(), Chunk::Ready(_)) {
            browser::after_render(browser::scroll_to_hash);
        }
    });
    let terms = |kind: TermKind, list: &[u32], class: &'static str, label: &'static str| {
        (!list.is_empty()).then(|| {
            let links: Vec<_> = list
                .iter()
                .map(|&t| {
                    let href = parts::term_href(&index, kind, t, base);
                    view! {
                        <li>
                            <a href=href>{index.terms(kind)[t as usize].name.clone()}</a>
                        </li>
                    }
                })
                .collect();
            view! {
                <div class=class>
                    <span class="label">{label}</span>
                    <ul>{links}</ul>
                </div>
            }
        })
    };
    let updated = post
        .updated
        .as_deref()
        .filter(|u| quire_core::date::iso_day(u) != quire_core::date::iso_day(&post.date))
        .map(|u| view! { <span class="updated">"Updated " {parts::date(u)}</span> });
    let (newer, older) = neighbours(&index, pos);
    let neighbour = |p: Option<usize>, rel: &'static str, dir: &'static str| {
        p.map(|p| {
            let other = &index.posts[p];
            let href = Route::Post {
                slug: other.slug.clone(),
            }
            .href(base);
            view! {
                <a rel=rel href=href>
                    <span class="dir">{dir}</span>
                    <span class="title">{other.title.clone()}</span>
                </a>
            }
        })
    };
    view! {
        <article class="post">
            <header class="post-header">
                <h1>{post.title.clone()}</h1>
                <p class="post-meta">
                    {parts::date(&post.date)}
                    <span class="by">" by "</span>
                    {parts::author(&index, post, base)}
                    <span class="reading-time">{model::reading_label(post.words)}</span>
                    {updated}
                </p>
            </header>
            {body}
            <footer class="post-footer">
                {terms(TermKind::Category, &post.categories, "post-categories", "Filed under")}
                {terms(TermKind::Tag, &post.tags, "post-tags", "Tagged")}
            </footer>
        </article>
        <nav class="post-nav" aria-label="More posts">
            {neighbour(newer, "prev", "← Newer")}
            {neighbour(older, "next", "Older →")}
        </nav>
    }
    .into_any()
}

fn failed(chunk_name: String, reason: String) -> AnyView {
    view! {
        <div class="post-body">
            <div class="load-error" role="alert">
                <p>"This post could not be loaded: " {reason} "."</p>
                <button type="button" class="retry" on:click=move |_| store::retry_chunk(&chunk_name)>
                    "Try again"
                </button>
            </div>
        </div>
    }
    .into_any()
}
