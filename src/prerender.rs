//! Route files' pages: the app's own components rendered to HTML natively (Leptos'
//! `ssr`), with everything they show known up front. The CLI calls [`prerender`] once per
//! route; the browser later mounts the same components over the same data, so the page a
//! reader (or a crawler, or a reader without JavaScript) gets first is the app's page.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use leptos::prelude::*;
use quire_core::{Index, Route};

use crate::state::{AppState, Text};
use crate::views::App;

/// What one route's page shows beyond the index.
pub struct Page<'a> {
    pub route: &'a Route,
    /// Every post's rendered summary (ids scoped per post), by position; contained
    /// fragments (the CLI re-serializes them so the pasted markup parses as it is).
    pub summaries: &'a Arc<Vec<Arc<str>>>,
    /// The rendered body of the route's post, on a post page.
    pub body: Option<Arc<str>>,
}

/// Tells the list view to leave its tag toggles out: [`Prerenderer`] pastes in the ones it
/// rendered for the list's first page instead. Provided only while prerendering.
#[derive(Clone, Copy)]
pub(crate) struct ReuseToggles;

/// Renders route pages over one index. Every page of a list offers the same tag toggles
/// (with no tag selected they depend on the list alone, not on the page), and on a blog
/// with hundreds of tags they are most of a list page's markup and rendering time, so
/// each list's toggles are rendered once, by the same component, and reused for its
/// other pages. Shareable between threads.
pub struct Prerenderer {
    index: Arc<Index>,
    base: Arc<str>,
    toggles: Mutex<HashMap<Route, Arc<str>>>,
}

/// The toggles' container as the list view writes it; its content holds no `div`.
const TOGGLES_OPEN: &str = "<div class=\"tag-toggles\">";

impl Prerenderer {
    /// `base` is the site's base path (`/`, `/blog/`).
    pub fn new(index: Arc<Index>, base: &str) -> Prerenderer {
        Prerenderer {
            index,
            base: base.into(),
            toggles: Mutex::new(HashMap::new()),
        }
    }

    /// The HTML of the app's root element's content for one route, as the app shows it
    /// with no tag selected.
    pub fn page(&self, page: Page<'_>) -> String {
        if !matches!(page.route, Route::Home { .. } | Route::Term { .. }) {
            return self.render(page, false);
        }
        let list = page.route.with_page(1);
        let known = self.toggles.lock().unwrap().get(&list).cloned();
        match known {
            Some(toggles) => paste_toggles(self.render(page, true), &toggles),
            None => {
                let html = self.render(page, false);
                if let Some(toggles) = toggles_of(&html) {
                    let toggles: Arc<str> = toggles.into();
                    self.toggles.lock().unwrap().insert(list, toggles);
                }
                html
            }
        }
    }

    fn render(&self, page: Page<'_>, reuse_toggles: bool) -> String {
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
                body: Arc::new(move |_| body.clone().map_or(Text::Loading, Text::Ready)),
                navigate: Arc::new(|_| {}),
                retry: Arc::new(|_| {}),
            });
            if reuse_toggles {
                provide_context(ReuseToggles);
            }
            view! { <App/> }.to_html()
        })
    }
}

/// The content of the toggles' container in a rendered list page.
fn toggles_of(html: &str) -> Option<&str> {
    let start = html.find(TOGGLES_OPEN)? + TOGGLES_OPEN.len();
    let len = html[start..].find("</div>")?;
    Some(&html[start..start + len])
}

/// A page rendered without toggles, with `toggles` pasted into their empty container.
fn paste_toggles(html: String, toggles: &str) -> String {
    let Some(at) = html.find(TOGGLES_OPEN) else {
        return html;
    };
    let at = at + TOGGLES_OPEN.len();
    // The empty `<For>` may have left a marker comment: it is replaced with the rest.
    let end = at + html[at..].find("</div>").unwrap_or(0);
    let mut out = String::with_capacity(html.len() + toggles.len());
    out.push_str(&html[..at]);
    out.push_str(toggles);
    out.push_str(&html[end..]);
    out
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
            },
            posts,
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

    /// A list page whose toggles were pasted from its list's first page is the page a
    /// renderer with nothing cached writes, for every page of every kind of list.
    #[test]
    fn reused_toggles_are_the_rendered_ones() {
        let index = Arc::new(index(95, 30));
        let summaries: Arc<Vec<Arc<str>>> =
            Arc::new((0..95).map(|i| Arc::from(format!("<p>s{i}</p>"))).collect());
        let shared = crate::Prerenderer::new(index.clone(), "/blog/");
        let mut reused = 0;
        for route in Route::all(&index) {
            let page = || crate::Page {
                route: &route,
                summaries: &summaries,
                body: None,
            };
            let fresh = crate::Prerenderer::new(index.clone(), "/blog/").page(page());
            assert_eq!(shared.page(page()), fresh, "{route:?}");
            if matches!(
                route,
                Route::Home { page: 2.. } | Route::Term { page: 2.., .. }
            ) {
                assert!(fresh.contains("data-tag=\"tag-0"), "{route:?} has toggles");
                reused += 1;
            }
        }
        assert!(reused >= 9, "only {reused} pages reused toggles");
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
                    len += crate::Prerenderer::new(index.clone(), "/")
                        .page(crate::Page {
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
