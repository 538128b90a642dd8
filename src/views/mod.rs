//! The views: one component per route kind (`list`, `post`, `tags`, `archive`,
//! `not_found`) inside the layout here. Every value is text or an attribute, escaped by
//! Leptos; rendered Markdown goes only through [`Html`], into an element of its own.

mod archive;
mod list;
mod not_found;
mod post;
mod search;
mod tags;

use leptos::prelude::*;
use quire_core::route::join_base;
use quire_core::{Index, PostMeta, Route, TermKind};

use crate::model::{Section, View, posts_label, reading_label};
use crate::state::use_state;

pub use archive::Archive;
pub use list::ListPage;
pub use not_found::NotFound;
pub use post::PostPage;
pub use search::{BOX_ID, SearchBox, SearchResults};
pub use tags::TagCloud;

/// The whole page: skip link, header, `<main>` with the current route's view, footer.
/// Moving between two lists keeps the list view and updates it; other moves replace it.
#[component]
pub fn App() -> impl IntoView {
    let s = use_state();
    let index = s.index.clone();
    let route = s.route;
    let view = Memo::new(move |_| route.with(|r| View::of(&index, r)));
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <SiteHeader/>
        <main id="main" tabindex="-1">
            {move || match view.get() {
                View::List => view! { <ListPage/> }.into_any(),
                View::Post(pos) => view! { <PostPage pos=pos/> }.into_any(),
                View::Tags => view! { <TagCloud/> }.into_any(),
                View::Archive => view! { <Archive/> }.into_any(),
                View::Search => search_results(),
                View::NotFound => view! { <NotFound/> }.into_any(),
            }}
        </main>
        <SiteFooter/>
    }
}

/// `/search`. In the browser the search state supplies the view, whose code (with the
/// engine's) is fetched on first use; natively (route files) it is rendered directly.
fn search_results() -> AnyView {
    #[cfg(target_arch = "wasm32")]
    if let Some(search) = crate::state::use_search() {
        return (search.results)();
    }
    #[cfg(target_arch = "wasm32")]
    return ().into_any();
    #[cfg(not(target_arch = "wasm32"))]
    view! { <SearchResults/> }.into_any()
}

/// Site title, main navigation (the current section marked), social links.
#[component]
fn SiteHeader() -> impl IntoView {
    let s = use_state();
    let route = s.route;
    let section = Memo::new(move |_| route.with(Section::of));
    let base = s.base.clone();
    let nav = [
        (Route::Home { page: 1 }, Section::Home, "Home"),
        (Route::Tags, Section::Tags, "Tags"),
        (Route::Archive, Section::Archive, "Archive"),
    ]
    .map(|(r, which, label)| {
        let current = move || (section.get() == which).then_some("page");
        view! { <a href=r.href(&base) aria-current=current>{label}</a> }
    });
    let socials: Vec<_> = s
        .index
        .site
        .social
        .iter()
        .filter_map(|l| {
            let url = quire_core::markdown::safe_url(&l.url, false)?.to_string();
            Some(view! { <li><a href=url class="social" rel="me noopener">{l.name.clone()}</a></li> })
        })
        .collect();
    let has_socials = !socials.is_empty();
    view! {
        <header class="site-header">
            <div class="wrap">
                <a href=s.base.to_string() class="site-title">{s.index.site.title.clone()}</a>
                <nav class="site-nav" aria-label="Main">
                    {nav}
                    <a href=join_base(&s.base, "/feed.xml") type="application/atom+xml">"Feed"</a>
                </nav>
                <SearchBox/>
                {has_socials.then(|| view! { <ul class="socials">{socials}</ul> })}
            </div>
        </header>
    }
}

#[component]
fn SiteFooter() -> impl IntoView {
    let s = use_state();
    let site = &s.index.site;
    let owner = site.author.clone().unwrap_or_else(|| site.title.clone());
    view! {
        <footer class="site-footer">
            <div class="wrap">
                <p>{format!("© {owner} · {}", posts_label(s.index.posts.len()))}</p>
                <p>
                    <a href=join_base(&s.base, "/feed.xml")>"Atom feed"</a>
                    " · "
                    <a href=Route::Archive.href(&s.base)>"All posts"</a>
                </p>
            </div>
        </footer>
    }
}

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
