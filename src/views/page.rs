//! A standalone page (`content/pages/<name>.md`, at `/<slug>`): its title and body, and
//! none of a post's date, author, terms or neighbours, since a page stands outside the
//! posts' order.

use leptos::prelude::*;
use quire_core::date::iso_day;

use super::parts::{Time, body_view};
use crate::state::use_state;

#[component]
pub fn StandalonePage(pos: usize) -> impl IntoView {
    let s = use_state();
    let page = &s.index.pages[pos];
    let title = page.title.clone();
    let updated = page
        .updated
        .clone()
        .filter(|u| !iso_day(u).is_empty())
        .map(|u| view! { <p class="post-meta">"Updated " <Time date=u/></p> });
    let body = {
        let s = s.clone();
        move || body_view(&s, (s.page_body)(pos), s.page_body_chunk(pos), "page")
    };
    view! {
        <article class="post page">
            <header class="post-header">
                <h1>{title}</h1>
                {updated}
            </header>
            {body}
        </article>
    }
}
