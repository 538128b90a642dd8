//! The views: the layout every page shares, and one module per kind of page.

mod list;
mod pages;
mod post;

use std::sync::Arc;

use leptos::prelude::*;
use quire_core::markdown::safe_url;
use quire_core::meta::page_meta;
use quire_core::route::join_base;
use quire_core::{Index, Route, TermKind};

use crate::browser;
use crate::model::{self, resolve, view_key};
use crate::store::{self, Chunk, Load, store};

/// The index, compared by identity (it never changes once loaded).
#[derive(Clone)]
pub struct Shared(pub Arc<Index>);

impl PartialEq for Shared {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// What `<main>` shows.
#[derive(Clone, PartialEq)]
enum Screen {
    Loading,
    Failed(String),
    /// A loaded page, by [`view_key`]: paging or filtering a list keeps its view.
    Page(Shared, Route),
}

/// The whole app: header, main, footer.
pub fn app() -> impl IntoView {
    let s = store();
    let screen = Memo::new(move |_| match s.index.get() {
        Load::Loading => Screen::Loading,
        Load::Failed(e) => Screen::Failed(e),
        Load::Ready(index) => {
            let key = s.loc.with(|l| view_key(&index, &l.route));
            Screen::Page(Shared(index), key)
        }
    });
    Effect::new(move |_| update_head());
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        {header()}
        <main id="main" tabindex="-1">
            {move || match screen.get() {
                Screen::Loading => pages::loading().into_any(),
                Screen::Failed(reason) => pages::load_failed(reason).into_any(),
                Screen::Page(Shared(index), key) => page(index, key),
            }}
        </main>
        {footer()}
    }
}

fn page(index: Arc<Index>, key: Route) -> AnyView {
    match key {
        Route::Home { .. } | Route::Term { .. } => list::list_page(index, key),
        Route::Post { slug } => match index.post_position(&slug) {
            Some(pos) => post::post_page(index, pos),
            None => pages::not_found().into_any(),
        },
        Route::Tags => pages::tag_cloud(index).into_any(),
        Route::Archive => pages::archive(index).into_any(),
        Route::NotFound => pages::not_found().into_any(),
    }
}

/// Keeps the document title, meta description and language in step with the page.
fn update_head() {
    let s = store();
    let Load::Ready(index) = s.index.get() else {
        return;
    };
    browser::set_language(&index.site.language);
    let route = s.loc.with(|l| resolve(&index, &l.route));
    let summary = match &route {
        Route::Post { slug } => index.post_position(slug).and_then(|pos| {
            let (chunk, slot) = index.summary_location(pos);
            match store::chunk(&index.summaries[chunk]).get() {
                Chunk::Ready(texts) => texts.get(slot).cloned(),
                _ => None,
            }
        }),
        _ => None,
    };
    let meta = page_meta(&index, &route, summary.as_deref());
    browser::set_head(&meta.title, &meta.description);
}

/// Which top-level section a route belongs to, for `aria-current` in the nav.
fn section(route: &Route) -> &'static str {
    match route {
        Route::Home { .. } => "home",
        Route::Tags
        | Route::Term {
            kind: TermKind::Tag,
            ..
        } => "tags",
        Route::Archive => "archive",
        _ => "",
    }
}

fn header() -> impl IntoView {
    let s = store();
    let base = s.base;
    let hint = model::title_hint(&browser::document_title());
    let title = move || match s.index.get() {
        Load::Ready(index) => index.site.title.clone(),
        _ => hint.clone(),
    };
    let current = Memo::new(move |_| s.loc.with(|l| section(&l.route)));
    let nav_link = move |route: Route, name: &'static str, label: &'static str| {
        view! {
            <a href=route.href(base) aria-current=move || (current.get() == name).then_some("page")>
                {label}
            </a>
        }
    };
    let socials = move || {
        let Load::Ready(index) = s.index.get() else {
            return None;
        };
        let links: Vec<_> = index
            .site
            .social
            .iter()
            .filter_map(|link| {
                let url = safe_url(&link.url, false)?.to_string();
                Some(view! {
                    <li>
                        <a class="social" href=url rel="me noopener">
                            {link.name.clone()}
                        </a>
                    </li>
                })
            })
            .collect();
        (!links.is_empty()).then(|| view! { <ul class="socials">{links}</ul> })
    };
    view! {
        <header class="site-header">
            <div class="wrap">
                <a class="site-title" href=base>
                    {title}
                </a>
                <nav class="site-nav" aria-label="Main">
                    {nav_link(Route::Home { page: 1 }, "home", "Home")}
                    {nav_link(Route::Tags, "tags", "Tags")}
                    {nav_link(Route::Archive, "archive", "Archive")}
                    <a href=join_base(base, "/feed.xml") type="application/atom+xml">
                        "Feed"
                    </a>
                </nav>
                {socials}
            </div>
        </header>
    }
}

fn footer() -> impl IntoView {
    let s = store();
    let text = move || match s.index.get() {
        Load::Ready(index) => {
            let site = &index.site;
            let owner = site.author.clone().unwrap_or_else(|| site.title.clone());
            format!("© {owner} · {}", model::posts_label(index.posts.len()))
        }
        _ => String::new(),
    };
    view! {
        <footer class="site-footer">
            <div class="wrap">
                <p>{text}</p>
                <p>
                    <a href=join_base(s.base, "/feed.xml")>"Atom feed"</a>
                    " · "
                    <a href=Route::Archive.href(s.base)>"All posts"</a>
                </p>
            </div>
        </footer>
    }
}

/// Shared bits of markup.
pub mod parts {
    use super::*;
    use quire_core::PostMeta;

    /// `<time>` with the reader-facing date.
    pub fn date(date: &str) -> impl IntoView + use<> {
        let iso = quire_core::date::iso_day(date).to_string();
        view! { <time datetime=iso>{quire_core::date::display(date)}</time> }
    }

    /// A link to the post's author page.
    pub fn author(index: &Index, post: &PostMeta, base: &'static str) -> impl IntoView + use<> {
        let term = &index.authors[post.author as usize];
        let href = Route::Term {
            kind: TermKind::Author,
            slug: term.slug.clone(),
            page: 1,
        }
        .href(base);
        view! {
            <a class="author" href=href rel="author">
                {term.name.clone()}
            </a>
        }
    }

    /// A link to a term page.
    pub fn term_href(index: &Index, kind: TermKind, pos: u32, base: &str) -> String {
        Route::Term {
            kind,
            slug: index.terms(kind)[pos as usize].slug.clone(),
            page: 1,
        }
        .href(base)
    }
}
