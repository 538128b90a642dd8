//! A post page: header, body, categories and tags, links to the newer and older post.

use leptos::prelude::*;
use quire_core::TermKind;
use quire_core::date::iso_day;
use quire_core::filter::neighbours;

use super::parts::{Time, body_view, post_href, post_meta_items, term_href};
use crate::state::use_state;

#[component]
pub fn PostPage(pos: usize) -> impl IntoView {
    let s = use_state();
    let index = s.index.clone();
    let base = s.base.clone();
    let post = &index.posts[pos];
    let updated = post
        .updated
        .clone()
        .filter(|u| iso_day(u) != iso_day(&post.date))
        .map(|u| view! { <span class="updated">"Updated " <Time date=u/></span> });
    let body = {
        let s = s.clone();
        move || body_view(&s, (s.body)(pos), s.body_chunk(pos), "post")
    };
    let terms = [
        (
            TermKind::Category,
            &post.categories,
            "post-categories",
            "Filed under",
        ),
        (TermKind::Tag, &post.tags, "post-tags", "Tagged"),
    ]
    .into_iter()
    .filter(|(_, list, _, _)| !list.is_empty())
    .map(|(kind, list, class, label)| {
        let items: Vec<_> = list
            .iter()
            .map(|&t| {
                let name = index.terms(kind)[t as usize].name.clone();
                view! { <li><a href=term_href(&index, kind, t, &base)>{name}</a></li> }
            })
            .collect();
        view! { <div class=class><span class="label">{label}</span><ul>{items}</ul></div> }
    })
    .collect::<Vec<_>>();
    let (newer, older) = neighbours(&index, pos);
    let nav: Vec<_> = [(newer, "prev", "← Newer"), (older, "next", "Older →")]
        .into_iter()
        .filter_map(|(p, rel, dir)| {
            let other = &index.posts[p?];
            Some(view! {
                <a rel=rel href=post_href(other, &base)>
                    <span class="dir">{dir}</span>
                    <span class="title">{other.title.clone()}</span>
                </a>
            })
        })
        .collect();
    view! {
        <article class="post">
            <header class="post-header">
                <h1>{post.title.clone()}</h1>
                <p class="post-meta">{post_meta_items(&index, post, &base, false)}{updated}</p>
            </header>
            {body}
            <footer class="post-footer">{terms}</footer>
        </article>
        <nav class="post-nav" aria-label="More posts">{nav}</nav>
    }
}
