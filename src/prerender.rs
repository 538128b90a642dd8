//! Route files' pages: the app's own components rendered to HTML natively (Leptos'
//! `ssr`), with everything they show known up front. The CLI calls [`Prerenderer::page`] once per
//! route; the browser later mounts the same components over the same data, so the page a
//! reader (or a crawler, or a reader without JavaScript) gets first is the app's page.

use std::sync::Arc;

use leptos::prelude::*;
use quire_core::{Index, Route};

use crate::model::ListBases;
use crate::state::{AppState, Text};
use crate::views::App;

/// What one route's page shows beyond the index.
pub struct Page<'a> {
    pub route: &'a Route,
    /// Every post's rendered summary (ids scoped per post), by position; contained
    /// fragments (the CLI re-serializes them so the pasted markup parses as it is).
    pub summaries: &'a Arc<Vec<Arc<str>>>,
    /// The rendered body of the route's post, on a post page, or of the route's standalone
    /// page, on one.
    pub body: Option<Arc<str>>,
}

/// Renders route pages over one index. Shareable between threads.
pub struct Prerenderer {
    index: Arc<Index>,
    base: Arc<str>,
    /// Shared by every route's page: a list's base is computed once, not once per page.
    lists: Arc<ListBases>,
}

impl Prerenderer {
    /// `base` is the site's base path (`/`, `/blog/`).
    pub fn new(index: Arc<Index>, base: &str) -> Prerenderer {
        Prerenderer {
            index,
            base: base.into(),
            lists: Arc::default(),
        }
    }

    /// The HTML of the app's root element's content for one route, as the app shows it
    /// with no tag selected.
    pub fn page(&self, page: Page<'_>) -> String {
        let owner = Owner::new();
        owner.with(|| {
            let summaries = page.summaries.clone();
            let body = page.body;
            provide_context(AppState {
                index: self.index.clone(),
                base: self.base.clone(),
                route: RwSignal::new(page.route.clone()),
                tags: RwSignal::new(Vec::new()),
                summary: Arc::new(move |pos| {
                    summaries
                        .get(pos)
                        .map_or(Text::Loading, |h| Text::Ready(h.clone()))
                }),
                body: Arc::new({
                    let body = body.clone();
                    move |_| body.clone().map_or(Text::Loading, Text::Ready)
                }),
                page_body: Arc::new(move |_| body.clone().map_or(Text::Loading, Text::Ready)),
                navigate: Arc::new(|_| {}),
                retry: Arc::new(|_| {}),
                in_app: StoredValue::new(false),
                lists: self.lists.clone(),
            });
            view! { <App/> }.to_html()
        })
    }
}

/// `cargo test --profile cli -p quire-app --lib prerender_speed -- --ignored --nocapture`:
/// milliseconds to prerender a list page, the tag cloud and a post of a synthetic index.
#[cfg(test)]
mod bench {
    use quire_core::bundle::BodyRef;
    use quire_core::*;
    use std::sync::Arc;

    fn index(n: usize, tags: usize) -> Index {
        let posts = (0..n)
            .map(|i| PostMeta {
                slug: format!("post-{i}"),
                title: format!("Post number {i}"),
                date: "2024-01-01".into(),
                updated: None,
                author: 0,
                tags: vec![
                    (i % tags) as u32,
                    ((i * 7) % tags) as u32,
                    ((i * 13) % tags) as u32,
                ],
                categories: vec![0],
                words: 500,
                body: BodyRef { chunk: 0, slot: 0 },
            })
            .collect::<Vec<_>>();
        let mut tl = vec![Vec::new(); tags];
        for (i, p) in posts.iter().enumerate() {
            for &t in &p.tags {
                if !tl[t as usize].contains(&(i as u32)) {
                    tl[t as usize].push(i as u32)
                }
            }
        }
        let mut tagv: Vec<Term> = tl
            .into_iter()
            .enumerate()
            .map(|(t, posts)| Term {
                slug: format!("tag-{t:03}"),
                name: format!("Tag {t}"),
                posts,
            })
            .collect();
        tagv.sort_by(|a, b| a.slug.cmp(&b.slug));
        Index {
            schema: SCHEMA_VERSION,
            site: Site {
                title: "S".into(),
                description: "d".into(),
                author: None,
                base_url: None,
                posts_per_page: 10,
                language: "en".into(),
                social: vec![],
                raw_html: RawHtml::default(),
                menu: vec![],
            },
            posts,
            pages: vec![],
            tags: tagv,
            categories: vec![Term {
                slug: "c".into(),
                name: "C".into(),
                posts: (0..n as u32).collect(),
            }],
            authors: vec![Term {
                slug: "a".into(),
                name: "A".into(),
                posts: (0..n as u32).collect(),
            }],
            summary_chunk: 100,
            summaries: (0..n.div_ceil(100))
                .map(|i| format!("s-{i}.json"))
                .collect(),
            bodies: vec!["b".into()],
            chunk_bytes: 0,
            search: None,
        }
    }

    #[test]
    #[ignore]
    fn prerender_speed() {
        for (n, tags) in [(10000, 200), (10000, 20), (1000, 200)] {
            let index = Arc::new(index(n, tags));
            eprintln!("{n} posts, {tags} tags");
            let summaries: Arc<Vec<Arc<str>>> =
                Arc::new((0..n).map(|_| Arc::from("<p>hello</p>")).collect());
            for route in [
                Route::Home { page: 3 },
                Route::Tags,
                Route::Post {
                    slug: "post-5".into(),
                },
            ] {
                let t = std::time::Instant::now();
                let mut len = 0;
                for _ in 0..50 {
                    len += super::Prerenderer::new(index.clone(), "/")
                        .page(super::Page {
                            route: &route,
                            summaries: &summaries,
                            body: Some(Arc::from("<p>x</p>")),
                        })
                        .len();
                }
                eprintln!(
                    "{route:?}: {:.2} ms/page ({} bytes)",
                    t.elapsed().as_secs_f64() * 1000.0 / 50.0,
                    len / 50
                );
            }
        }
    }
}
