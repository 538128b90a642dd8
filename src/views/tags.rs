//! `/tags`: every tag, most used first, sized by use.

use leptos::prelude::*;
use quire_core::TermKind;
use quire_core::filter::tags_by_count;

use super::parts::term_href;
use crate::model::cloud_weight;
use crate::state::use_state;

#[component]
pub fn TagCloud() -> impl IntoView {
    let s = use_state();
    let index = &s.index;
    let order = tags_by_count(index);
    let max = order.first().map_or(0, |&t| index.tags[t].posts.len());
    let empty = order.is_empty();
    let items: Vec<_> = order
        .into_iter()
        .map(|t| {
            let tag = &index.tags[t];
            let n = tag.posts.len();
            view! {
                <li>
                    <a href=term_href(index, TermKind::Tag, t as u32, &s.base) class=format!("w{}", cloud_weight(n, max))>
                        <span class="name">{tag.name.clone()}</span>
                        <span class="count">{n}</span>
                    </a>
                </li>
            }
        })
        .collect();
    view! {
        <header class="page-header">
            <h1>"Tags"</h1>
            <p class="lede">{format!("{} tags, most used first.", index.tags.len())}</p>
        </header>
        {empty.then(|| view! { <p class="empty">"No tags yet."</p> })}
        <ul class="tag-cloud">{items}</ul>
    }
}
