//! The page around every view: the skip link, the site header (the menu, search box,
//! social links), `<main>` with the current route's view, and the footer. It picks the
//! view for the route, so it sits above the route kinds' files, which never refer to it.

use leptos::prelude::*;
use quire_core::Route;
use quire_core::route::join_base;

use super::archive::Archive;
use super::list::ListPage;
use super::not_found::NotFound;
use super::page::StandalonePage;
use super::post::PostPage;
use super::search::SearchBox;
#[cfg(not(target_arch = "wasm32"))]
use super::search::SearchResults;
use super::tags::TagCloud;
use crate::model::{View, menu_current, menu_links, posts_label};
use crate::state::use_state;

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
                View::Page(pos) => view! { <StandalonePage pos=pos/> }.into_any(),
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

/// Site title, the menu (site.toml's `[[menu]]`, else Home, Tags, Archive; the current
/// entry marked by an attribute that follows the route, the links themselves built once),
/// social links.
#[component]
fn SiteHeader() -> impl IntoView {
    let s = use_state();
    let route = s.route;
    let nav: Vec<_> = menu_links(&s.index, &s.base)
        .into_iter()
        .map(|link| {
            // One element type for both kinds of entry (an internal one has a target and
            // no rel, an external one the reverse): one view to compile, not two.
            let rel = link.target.is_none().then_some("noopener");
            let target = link.target;
            let current = move || {
                let here = target
                    .as_ref()
                    .is_some_and(|t| route.with(|r| menu_current(t, r)));
                here.then_some("page")
            };
            view! { <a href=link.href rel=rel aria-current=current>{link.label}</a> }
        })
        .collect();
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
