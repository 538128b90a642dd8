//! `/archive`: every post, by month, newest first.

use leptos::prelude::*;
use quire_core::filter::by_month;

use super::parts::{Time, post_href};
use crate::model::{month_heading, posts_label};
use crate::state::use_state;

#[component]
pub fn Archive() -> impl IntoView {
    let s = use_state();
    let index = &s.index;
    let months: Vec<_> = by_month(index)
        .into_iter()
        .map(|((year, month), posts)| {
            let items: Vec<_> = posts
                .into_iter()
                .map(|p| {
                    let post = &index.posts[p as usize];
                    view! {
                        <li>
                            <Time date=post.date.clone()/>
                            <a href=post_href(post, &s.base)>{post.title.clone()}</a>
                        </li>
                    }
                })
                .collect();
            view! { <section><h2>{month_heading(year, month)}</h2><ul>{items}</ul></section> }
        })
        .collect();
    view! {
        <header class="page-header">
            <h1>"Archive"</h1>
            <p class="lede">{format!("{}, newest first.", posts_label(index.posts.len()))}</p>
        </header>
        <div class="archive">{months}</div>
    }
}
