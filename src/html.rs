//! The markup of every view, as strings.
//!
//! The Wasm byte budget (≤ 150 KB brotli with the JS glue) leaves little room for view
//! code: each distinct Leptos view type costs its own build, rebuild and teardown code.
//! So the app keeps Leptos for what it is good at (signals, memos, effects, mounting
//! and replacing regions) and renders each region's static markup here, with every
//! text and attribute value escaped by [`esc`]. Markdown reaches the page only through
//! `quire_core::markdown::render`. Buttons carry data attributes that one delegated
//! click handler reads; links are plain `<a href>` the router intercepts.
//!
//! Plain Rust, so the markup is tested natively against the DOM contract.

#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

use std::fmt::Write;

use quire_core::filter::{by_month, neighbours, tags_by_count};
use quire_core::markdown::{render, safe_url};
use quire_core::meta::page_meta;
use quire_core::route::join_base;
use quire_core::text::escape_html as esc;
use quire_core::{Index, PostMeta, Route, Site, TermKind};

use crate::model::{
    self, Filtered, ListBase, cloud_weight, list_href, month_heading, page_label, posts_label,
    reading_label, toggle_href,
};

/// A Markdown text the view may or may not have yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text<'a> {
    Ready(&'a str),
    Loading,
    Failed(&'a str),
}

/// Which nav entry is the current page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Home,
    Tags,
    Archive,
    Other,
}

impl Section {
    pub fn of(route: &Route) -> Section {
        match route {
            Route::Home { .. } => Section::Home,
            Route::Tags
            | Route::Term {
                kind: TermKind::Tag,
                ..
            } => Section::Tags,
            Route::Archive => Section::Archive,
            _ => Section::Other,
        }
    }
}

fn term_route(index: &Index, kind: TermKind, pos: u32) -> Route {
    Route::Term {
        kind,
        slug: index.terms(kind)[pos as usize].slug.clone(),
        page: 1,
    }
}

fn post_href(post: &PostMeta, base: &str) -> String {
    Route::Post {
        slug: post.slug.clone(),
    }
    .href(base)
}

/// `<a href="…" extra>text</a>`, both escaped.
fn link(out: &mut String, href: &str, extra: &str, text: &str) {
    let _ = write!(out, "<a href=\"{}\"{extra}>{}</a>", esc(href), esc(text));
}

/// `<time datetime="2024-03-04">4 March 2024</time>`.
fn time(out: &mut String, date: &str) {
    let _ = write!(
        out,
        "<time datetime=\"{}\">{}</time>",
        esc(quire_core::date::iso_day(date)),
        esc(&quire_core::date::display(date))
    );
}

/// The page: skip link, header, `<main id="main">` holding `main`, footer.
pub fn layout(
    index: Option<&Index>,
    title_hint: &str,
    base: &str,
    current: Section,
    main: &str,
) -> String {
    format!(
        "<a class=\"skip-link\" href=\"#main\">Skip to content</a>\
         <header class=\"site-header\">{}</header>\
         <main id=\"main\" tabindex=\"-1\">{main}</main>\
         <footer class=\"site-footer\">{}</footer>",
        header(index.map(|i| &i.site), title_hint, base, current),
        footer(index, base)
    )
}

/// The inside of `<header class="site-header">`: site title, nav, social links.
/// `site` is `None` while the index loads; `title_hint` stands in for its title.
pub fn header(site: Option<&Site>, title_hint: &str, base: &str, current: Section) -> String {
    let mut out = String::from("<div class=\"wrap\">");
    let title = site.map_or(title_hint, |s| s.title.as_str());
    link(&mut out, base, " class=\"site-title\"", title);
    out.push_str("<nav class=\"site-nav\" aria-label=\"Main\">");
    for (route, section, label) in [
        (Route::Home { page: 1 }, Section::Home, "Home"),
        (Route::Tags, Section::Tags, "Tags"),
        (Route::Archive, Section::Archive, "Archive"),
    ] {
        let extra = if section == current {
            " aria-current=\"page\""
        } else {
            ""
        };
        link(&mut out, &route.href(base), extra, label);
    }
    link(
        &mut out,
        &join_base(base, "/feed.xml"),
        " type=\"application/atom+xml\"",
        "Feed",
    );
    out.push_str("</nav>");
    let socials: Vec<(&str, &str)> = site
        .map(|s| {
            s.social
                .iter()
                .filter_map(|l| Some((l.name.as_str(), safe_url(&l.url, false)?)))
                .collect()
        })
        .unwrap_or_default();
    if !socials.is_empty() {
        out.push_str("<ul class=\"socials\">");
        for (name, url) in socials {
            out.push_str("<li>");
            link(&mut out, url, " class=\"social\" rel=\"me noopener\"", name);
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    out.push_str("</div>");
    out
}

/// The inside of `<footer class="site-footer">`.
pub fn footer(index: Option<&Index>, base: &str) -> String {
    let mut out = String::from("<div class=\"wrap\"><p>");
    if let Some(index) = index {
        let site = &index.site;
        let owner = site.author.as_deref().unwrap_or(&site.title);
        let _ = write!(out, "© {} · {}", esc(owner), posts_label(index.posts.len()));
    }
    out.push_str("</p><p>");
    link(&mut out, &join_base(base, "/feed.xml"), "", "Atom feed");
    out.push_str(" · ");
    link(&mut out, &Route::Archive.href(base), "", "All posts");
    out.push_str("</p></div>");
    out
}

pub fn loading() -> String {
    "<div class=\"loading\" role=\"status\" aria-live=\"polite\">\
     <span class=\"spinner\" aria-hidden=\"true\"></span><p>Loading posts…</p></div>"
        .into()
}

/// The index could not be fetched or read. The retry button reloads it in place.
pub fn load_failed(reason: &str) -> String {
    format!(
        "<div class=\"load-error\" role=\"alert\"><h1>The posts could not be loaded</h1>\
         <p class=\"reason\">The post index (data/index.json) could not be read: {}.</p>\
         <p>This may be a passing problem with the connection or the server.</p>\
         <button type=\"button\" class=\"retry\" data-retry=\"index\">Try again</button></div>",
        esc(reason)
    )
}

pub fn not_found(base: &str) -> String {
    let mut out = String::from(
        "<div class=\"not-found\"><h1>Page not found</h1><p>There is nothing at this address. \
         The post may have moved, or the link may be mistyped.</p><p>",
    );
    link(
        &mut out,
        &Route::Home { page: 1 }.href(base),
        "",
        "Read the latest posts",
    );
    out.push_str(", browse the ");
    link(&mut out, &Route::Archive.href(base), "", "archive");
    out.push_str(" or pick a ");
    link(&mut out, &Route::Tags.href(base), "", "tag");
    out.push_str(".</p></div>");
    out
}

/// `<h1>` and lede of a list page (`route` with its page).
pub fn list_header(index: &Index, route: &Route, listed: usize) -> String {
    let heading = page_meta(index, route, None).heading;
    let mut out = format!("<h1>{}</h1>", esc(&heading));
    let lede = match route {
        Route::Home { page: 1 } => index.site.description.clone(),
        Route::Term { .. } => posts_label(listed),
        _ => String::new(),
    };
    if !lede.is_empty() {
        let _ = write!(out, "<p class=\"lede\">{}</p>", esc(&lede));
    }
    out
}

/// The inside of `<section class="tag-filter">`: a toggle per tag with its count in the
/// filtered list, and, with a selection, how many posts match and a clear button.
pub fn tag_filter(
    index: &Index,
    base: &ListBase,
    filtered: &Filtered,
    selected: &[String],
) -> String {
    let mut out = String::from("<div class=\"tag-toggles\">");
    for toggle in base.toggles_for(index, selected) {
        let on = selected.contains(&toggle.slug);
        let count = filtered.count(&toggle);
        let _ = write!(
            out,
            "<button type=\"button\" class=\"tag-toggle{}\" data-tag=\"{}\" aria-pressed=\"{on}\">\
             <span class=\"check\" aria-hidden=\"true\">{}</span><span class=\"name\">{}</span>\
             <span class=\"count\">{count}</span></button>",
            if count == 0 { " zero" } else { "" },
            esc(&toggle.slug),
            if on { "✓" } else { "#" },
            esc(&toggle.name),
        );
    }
    out.push_str("</div>");
    if !selected.is_empty() {
        let which = match selected.len() {
            1 => "with this tag".to_string(),
            n => format!("with all {n} tags"),
        };
        let _ = write!(
            out,
            "<p class=\"filter-status\" role=\"status\"><span>{} {which}</span>\
             <button type=\"button\" class=\"clear-tags\">Clear filter</button></p>",
            posts_label(filtered.list.len())
        );
    }
    out
}

/// What a list page needs to draw one page.
pub struct ListPage<'a> {
    pub index: &'a Index,
    /// The list before filtering, and after.
    pub list: &'a ListBase,
    pub filtered: &'a Filtered,
    pub base: &'a str,
    /// The list route, on its current page.
    pub route: &'a Route,
    pub selected: &'a [String],
    /// Posts on this page, with their summaries.
    pub posts: &'a [(u32, Text<'a>)],
    /// Pages of the filtered list.
    pub pages: u32,
    /// Whether the unfiltered list is empty.
    pub nothing_at_all: bool,
    /// Summary chunks that failed, with one reason.
    pub failed_chunks: &'a [String],
    pub failure: Option<&'a str>,
}

/// A whole list page: heading, tag filter (hidden when the list has no tags), the posts.
pub fn list_page(p: &ListPage<'_>) -> String {
    let hidden = p.list.toggles.is_empty() && p.selected.is_empty();
    format!(
        "<div class=\"list-page\"><header class=\"page-header\">{}</header>\
         <section class=\"tag-filter\" aria-label=\"Filter posts by tag\"{}>{}</section>\
         <div class=\"posts\">{}</div></div>",
        list_header(p.index, p.route, p.list.list.len()),
        if hidden { " hidden" } else { "" },
        tag_filter(p.index, p.list, p.filtered, p.selected),
        list_posts(p)
    )
}

/// The posts of a list page, an empty message, and the pagination.
pub fn list_posts(p: &ListPage<'_>) -> String {
    let mut out = String::new();
    if let Some(reason) = p.failure {
        let _ = write!(
            out,
            "<div class=\"load-error notice\" role=\"alert\"><p>Some post summaries could not be \
             loaded: {}.</p><button type=\"button\" class=\"retry\" data-retry=\"{}\">Try again\
             </button></div>",
            esc(reason),
            esc(&p.failed_chunks.join(" "))
        );
    }
    let page = model::page_of(p.route);
    if p.posts.is_empty() {
        let text = if p.nothing_at_all {
            "No posts yet.".to_string()
        } else if page > p.pages {
            format!("There is no page {page} of this selection.")
        } else if p.selected.len() > 1 {
            "No post has all of the selected tags.".to_string()
        } else {
            "No post has the selected tag.".to_string()
        };
        let _ = write!(out, "<p class=\"empty\">{text}");
        if page > p.pages {
            out.push(' ');
            let first = list_href(&p.route.with_page(1), p.base, p.selected);
            link(&mut out, &first, "", "Back to the first page");
        }
        out.push_str("</p>");
        return out;
    }
    out.push_str("<div class=\"post-list\">");
    for &(pos, text) in p.posts {
        summary(&mut out, p, pos, text);
    }
    out.push_str("</div>");
    if p.pages > 1 && page <= p.pages {
        out.push_str("<nav class=\"pagination\" aria-label=\"Pages\"><span class=\"newer\">");
        if page > 1 {
            let href = list_href(&p.route.with_page(page - 1), p.base, p.selected);
            link(&mut out, &href, " rel=\"prev\"", "← Newer posts");
        }
        let _ = write!(
            out,
            "</span><span class=\"page-of\">{}</span><span class=\"older\">",
            page_label(page, p.pages)
        );
        if page < p.pages {
            let href = list_href(&p.route.with_page(page + 1), p.base, p.selected);
            link(&mut out, &href, " rel=\"next\"", "Older posts →");
        }
        out.push_str("</span></nav>");
    }
    out
}

/// Date, author, categories and reading time of a post.
fn post_meta(out: &mut String, index: &Index, post: &PostMeta, base: &str, categories: bool) {
    out.push_str("<p class=\"post-meta\">");
    time(out, &post.date);
    out.push_str("<span class=\"by\"> by </span>");
    let author = &index.authors[post.author as usize];
    let href = term_route(index, TermKind::Author, post.author).href(base);
    link(out, &href, " class=\"author\" rel=\"author\"", &author.name);
    if categories && !post.categories.is_empty() {
        out.push_str("<span class=\"in\"> in </span>");
        for (i, &c) in post.categories.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let href = term_route(index, TermKind::Category, c).href(base);
            link(
                out,
                &href,
                " class=\"category\"",
                &index.categories[c as usize].name,
            );
        }
    }
    let _ = write!(
        out,
        "<span class=\"reading-time\">{}</span>",
        reading_label(post.words)
    );
}

/// `<article class="post-summary">` for a post in a list.
fn summary(out: &mut String, p: &ListPage<'_>, pos: u32, text: Text<'_>) {
    let index = p.index;
    let post = &index.posts[pos as usize];
    out.push_str("<article class=\"post-summary\"><h2>");
    link(out, &post_href(post, p.base), "", &post.title);
    out.push_str("</h2>");
    post_meta(out, index, post, p.base, true);
    out.push_str("</p>");
    match text {
        Text::Ready(md) => {
            let _ = write!(
                out,
                "<div class=\"summary\">{}</div>",
                render(md, index.site.raw_html)
            );
        }
        Text::Loading => out.push_str(
            "<div class=\"summary pending\" aria-hidden=\"true\"><span class=\"line\"></span>\
             <span class=\"line short\"></span></div>",
        ),
        Text::Failed(_) => out.push_str("<div class=\"summary missing\"></div>"),
    }
    if !post.tags.is_empty() {
        out.push_str("<ul class=\"tags\" aria-label=\"Tags\">");
        for &t in &post.tags {
            let tag = &index.tags[t as usize];
            let on = p.selected.contains(&tag.slug);
            let href = toggle_href(p.route, p.base, p.selected, &tag.slug);
            let extra = format!(
                " class=\"tag{}\" data-tag=\"{}\"",
                if on { " selected" } else { "" },
                esc(&tag.slug)
            );
            out.push_str("<li>");
            link(out, &href, &extra, &tag.name);
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    out.push_str("</article>");
}

/// The inside of `<article class="post">`: header, body (or its loading or failed
/// state, with a retry button naming the chunk), categories and tags.
pub fn post(index: &Index, pos: usize, base: &str, body: Text<'_>) -> String {
    let post = &index.posts[pos];
    let mut out = format!(
        "<header class=\"post-header\"><h1>{}</h1>",
        esc(&post.title)
    );
    post_meta(&mut out, index, post, base, false);
    if let Some(updated) = &post.updated
        && quire_core::date::iso_day(updated) != quire_core::date::iso_day(&post.date)
    {
        out.push_str("<span class=\"updated\">Updated ");
        time(&mut out, updated);
        out.push_str("</span>");
    }
    out.push_str("</p></header><div class=\"post-body\">");
    match body {
        Text::Ready(md) => out.push_str(&render(md, index.site.raw_html)),
        Text::Loading => out.push_str(
            "<p class=\"loading\" role=\"status\"><span class=\"spinner\" aria-hidden=\"true\">\
             </span>Loading the post…</p>",
        ),
        Text::Failed(reason) => {
            let _ = write!(
                out,
                "<div class=\"load-error\" role=\"alert\"><p>This post could not be loaded: {}.</p>\
                 <button type=\"button\" class=\"retry\" data-retry=\"{}\">Try again</button></div>",
                esc(reason),
                esc(&index.bodies[post.body.chunk as usize])
            );
        }
    }
    out.push_str("</div><footer class=\"post-footer\">");
    for (kind, list, class, label) in [
        (
            TermKind::Category,
            &post.categories,
            "post-categories",
            "Filed under",
        ),
        (TermKind::Tag, &post.tags, "post-tags", "Tagged"),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            "<div class=\"{class}\"><span class=\"label\">{label}</span><ul>"
        );
        for &t in list {
            out.push_str("<li>");
            let href = term_route(index, kind, t).href(base);
            link(&mut out, &href, "", &index.terms(kind)[t as usize].name);
            out.push_str("</li>");
        }
        out.push_str("</ul></div>");
    }
    out.push_str("</footer>");
    out
}

/// A whole post page: the article, then links to its neighbours.
pub fn post_page(index: &Index, pos: usize, base: &str, body: Text<'_>) -> String {
    format!(
        "<article class=\"post\">{}</article>\
         <nav class=\"post-nav\" aria-label=\"More posts\">{}</nav>",
        post(index, pos, base, body),
        post_nav(index, pos, base)
    )
}

/// The inside of `<nav class="post-nav">`: the newer and the older post.
pub fn post_nav(index: &Index, pos: usize, base: &str) -> String {
    let (newer, older) = neighbours(index, pos);
    let mut out = String::new();
    for (p, rel, dir) in [(newer, "prev", "← Newer"), (older, "next", "Older →")] {
        if let Some(p) = p {
            let other = &index.posts[p];
            let _ = write!(
                out,
                "<a rel=\"{rel}\" href=\"{}\"><span class=\"dir\">{dir}</span>\
                 <span class=\"title\">{}</span></a>",
                esc(&post_href(other, base)),
                esc(&other.title)
            );
        }
    }
    out
}

/// Every tag, most used first, sized by use.
pub fn tag_cloud(index: &Index, base: &str) -> String {
    let order = tags_by_count(index);
    let max = order.first().map_or(0, |&t| index.tags[t].posts.len());
    let mut out = format!(
        "<header class=\"page-header\"><h1>Tags</h1><p class=\"lede\">{} tags, most used first.\
         </p></header>",
        index.tags.len()
    );
    if order.is_empty() {
        out.push_str("<p class=\"empty\">No tags yet.</p>");
    }
    out.push_str("<ul class=\"tag-cloud\">");
    for t in order {
        let tag = &index.tags[t];
        let n = tag.posts.len();
        let _ = write!(
            out,
            "<li><a href=\"{}\" class=\"w{}\"><span class=\"name\">{}</span>\
             <span class=\"count\">{n}</span></a></li>",
            esc(&term_route(index, TermKind::Tag, t as u32).href(base)),
            cloud_weight(n, max),
            esc(&tag.name)
        );
    }
    out.push_str("</ul>");
    out
}

/// Every post, by month.
pub fn archive(index: &Index, base: &str) -> String {
    let mut out = format!(
        "<header class=\"page-header\"><h1>Archive</h1><p class=\"lede\">{}, newest first.</p>\
         </header><div class=\"archive\">",
        posts_label(index.posts.len())
    );
    for ((year, month), posts) in by_month(index) {
        let _ = write!(out, "<section><h2>{}</h2><ul>", month_heading(year, month));
        for p in posts {
            let post = &index.posts[p as usize];
            out.push_str("<li>");
            time(&mut out, &post.date);
            link(&mut out, &post_href(post, base), "", &post.title);
            out.push_str("</li>");
        }
        out.push_str("</ul></section>");
    }
    out.push_str("</div>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use quire_core::bundle::BodyRef;
    use quire_core::{RawHtml, SCHEMA_VERSION, SocialLink, Term};

    fn index() -> Index {
        let post = |slug: &str, title: &str, date: &str, tags: Vec<u32>| PostMeta {
            slug: slug.into(),
            title: title.into(),
            date: date.into(),
            updated: None,
            author: 0,
            tags,
            categories: vec![0],
            words: 700,
            body: BodyRef { chunk: 0, slot: 0 },
        };
        let term = |slug: &str, name: &str, posts: Vec<u32>| Term {
            slug: slug.into(),
            name: name.into(),
            posts,
        };
        Index {
            schema: SCHEMA_VERSION,
            site: Site {
                title: "Tom & <Jerry>".into(),
                description: "A \"blog\"".into(),
                author: None,
                base_url: None,
                posts_per_page: 2,
                language: "en".into(),
                social: vec![
                    SocialLink {
                        name: "Mastodon".into(),
                        url: "https://example.social/@me".into(),
                    },
                    SocialLink {
                        name: "Evil".into(),
                        url: "javascript:alert(1)".into(),
                    },
                ],
                raw_html: RawHtml::Sanitize,
            },
            posts: vec![
                post("café", "Café <script>", "2024-03-04", vec![0, 1]),
                post("b", "B", "2024-03-01", vec![0]),
                post("a", "A", "2023-12-31", vec![]),
            ],
            tags: vec![
                term("rust", "Rust", vec![0, 1]),
                term("x\"y", "X\"Y", vec![0]),
            ],
            categories: vec![term("work", "Work", vec![0, 1, 2])],
            authors: vec![term("ada", "Ada", vec![0, 1, 2])],
            summary_chunk: 100,
            summaries: vec!["s-0.json".into()],
            bodies: vec!["b-0.json".into()],
            chunk_bytes: 10,
            search: None,
        }
    }

    fn sel(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    struct Opts<'a> {
        base: &'a str,
        pages: u32,
        nothing: bool,
        failed: &'a [String],
        failure: Option<&'a str>,
    }

    /// A whole list page, drawn the way the app draws it.
    fn draw(
        index: &Index,
        route: &Route,
        selected: &[String],
        texts: &[(u32, Text<'_>)],
        o: Opts<'_>,
    ) -> String {
        let list = ListBase::new(index, &route.with_page(1)).unwrap();
        let filtered = Filtered::new(index, &list, selected);
        let html = list_page(&ListPage {
            index,
            list: &list,
            filtered: &filtered,
            base: o.base,
            route,
            selected,
            posts: texts,
            pages: o.pages,
            nothing_at_all: o.nothing,
            failed_chunks: o.failed,
            failure: o.failure,
        });
        assert!(html.starts_with("<div class=\"list-page\"><header class=\"page-header\"><h1>"));
        assert!(html.contains("<section class=\"tag-filter\" aria-label=\"Filter posts by tag\">"));
        html
    }

    #[test]
    fn header_escapes_and_drops_unsafe_social_links() {
        let index = index();
        let h = header(Some(&index.site), "", "/blog/", Section::Tags);
        assert!(h.contains("<a href=\"/blog/\" class=\"site-title\">Tom &amp; &lt;Jerry&gt;</a>"));
        assert!(h.contains("<a href=\"/blog/tags\" aria-current=\"page\">Tags</a>"));
        assert!(h.contains("href=\"/blog/feed.xml\""));
        assert!(h.contains("class=\"social\" rel=\"me noopener\">Mastodon</a>"));
        assert!(!h.contains("javascript"), "{h}");
        let loading = header(None, "Guess", "/", Section::Home);
        assert!(loading.contains(">Guess</a>") && !loading.contains("socials"));
    }

    #[test]
    fn list_page_follows_the_contract() {
        let index = index();
        let route = Route::Home { page: 1 };
        let texts = [(0, Text::Ready("Hello *there*")), (1, Text::Loading)];
        let selected = sel(&[]);
        let html = draw(
            &index,
            &route,
            &selected,
            &texts,
            Opts {
                base: "/",
                pages: 2,
                nothing: false,
                failed: &[],
                failure: None,
            },
        );
        assert!(html.contains(
            "<article class=\"post-summary\"><h2><a href=\"/post/caf%C3%A9\">Café &lt;script&gt;</a></h2>"
        ));
        assert!(html.contains("<time datetime=\"2024-03-04\">4 March 2024</time>"));
        assert!(html.contains("<a href=\"/author/ada\" class=\"author\" rel=\"author\">Ada</a>"));
        assert!(html.contains("<span class=\"reading-time\">4 min read</span>"));
        assert!(html.contains("<div class=\"summary\"><p>Hello <em>there</em></p>"));
        assert!(html.contains("summary pending"));
        assert!(html.contains("<a href=\"/?tags=rust\" class=\"tag\" data-tag=\"rust\">Rust</a>"));
        assert!(html.contains("data-tag=\"x&quot;y\""), "{html}");
        assert!(html.contains("<span class=\"page-of\">Page 1 of 2</span>"));
        assert!(html.contains("<a href=\"/page/2\" rel=\"next\">"));
        assert!(!html.contains("rel=\"prev\""));
        assert!(!html.contains("<script"));
    }

    #[test]
    fn selection_shows_in_chips_and_pagination_links() {
        let index = index();
        let route = Route::Home { page: 2 };
        let selected = sel(&["rust"]);
        let texts = [(1, Text::Ready("b"))];
        let html = draw(
            &index,
            &route,
            &selected,
            &texts,
            Opts {
                base: "/blog/",
                pages: 2,
                nothing: false,
                failed: &[],
                failure: None,
            },
        );
        assert!(html.contains("<a href=\"/blog/\" class=\"tag selected\" data-tag=\"rust\">"));
        assert!(html.contains("<a href=\"/blog/?tags=rust\" rel=\"prev\">"));
        assert!(!html.contains("rel=\"next\""));
    }

    #[test]
    fn empty_lists_say_why() {
        let index = index();
        let route = Route::Home { page: 1 };
        let selected = sel(&["rust", "nope"]);
        let page = |route: &Route, nothing: bool| {
            draw(
                &index,
                route,
                &selected,
                &[],
                Opts {
                    base: "/",
                    pages: 1,
                    nothing,
                    failed: &[],
                    failure: None,
                },
            )
        };
        assert!(page(&route, false).contains("<p class=\"empty\">No post has all"));
        assert!(page(&route, true).contains("<p class=\"empty\">No posts yet."));
        let far = page(&Route::Home { page: 3 }, false);
        assert!(far.contains("There is no page 3"));
        assert!(far.contains("href=\"/?tags=rust,nope\""));
    }

    #[test]
    fn failed_summaries_offer_a_retry() {
        let index = index();
        let route = Route::Home { page: 1 };
        let texts = [(0, Text::Failed("boom <b>"))];
        let failed = sel(&["s-0.json"]);
        let html = draw(
            &index,
            &route,
            &[],
            &texts,
            Opts {
                base: "/",
                pages: 1,
                nothing: false,
                failed: &failed,
                failure: Some("boom <b>"),
            },
        );
        assert!(html.contains("boom &lt;b&gt;"));
        assert!(html.contains("class=\"retry\" data-retry=\"s-0.json\""));
        assert!(html.contains("summary missing"));
    }

    #[test]
    fn tag_filter_counts_and_states() {
        let index = index();
        let base = ListBase::new(&index, &Route::Home { page: 1 }).unwrap();
        let selected = sel(&["rust"]);
        let filtered = Filtered::new(&index, &base, &selected);
        let html = tag_filter(&index, &base, &filtered, &selected);
        assert!(html.contains("class=\"tag-toggle\" data-tag=\"rust\" aria-pressed=\"true\">"));
        assert!(html.contains("<span class=\"name\">Rust</span><span class=\"count\">2</span>"));
        assert!(html.contains("data-tag=\"x&quot;y\" aria-pressed=\"false\""));
        assert!(html.contains("<button type=\"button\" class=\"clear-tags\">"));
        assert!(html.contains("2 posts with this tag"));
        let none = Filtered::new(&index, &base, &[]);
        assert!(!tag_filter(&index, &base, &none, &[]).contains("clear-tags"));
    }

    #[test]
    fn post_page_states() {
        let index = index();
        let html = post(
            &index,
            0,
            "/",
            Text::Ready("# Hi\n\nText[^1]\n\n[^1]: Note"),
        );
        assert!(html.contains("<h1>Café &lt;script&gt;</h1>"));
        assert!(html.contains("<span class=\"reading-time\">4 min read</span>"));
        assert!(html.contains("<div class=\"post-body\"><h1 id=\""));
        assert!(html.contains("footnote-definition"));
        assert!(html.contains("<div class=\"post-categories\"><span class=\"label\">Filed under</span><ul><li><a href=\"/category/work\">Work</a>"));
        assert!(html.contains("<div class=\"post-tags\">"));
        assert!(html.contains("<a href=\"/tag/x%22y\">X&quot;Y</a>"));
        let loading = post(&index, 0, "/", Text::Loading);
        assert!(loading.contains("<div class=\"post-body\"><p class=\"loading\""));
        let failed = post(&index, 2, "/", Text::Failed("gone"));
        assert!(failed.contains("could not be loaded: gone."));
        assert!(failed.contains("data-retry=\"b-0.json\""));
        assert!(!failed.contains("post-tags"), "post a has no tags");
    }

    #[test]
    fn post_nav_links_newer_and_older() {
        let index = index();
        let mid = post_nav(&index, 1, "/");
        assert!(mid.contains("<a rel=\"prev\" href=\"/post/caf%C3%A9\">"));
        assert!(mid.contains("<a rel=\"next\" href=\"/post/a\">"));
        assert!(!post_nav(&index, 0, "/").contains("rel=\"prev\""));
        assert!(!post_nav(&index, 2, "/").contains("rel=\"next\""));
    }

    #[test]
    fn cloud_and_archive() {
        let index = index();
        let cloud = tag_cloud(&index, "/");
        let rust = cloud.find("/tag/rust").unwrap();
        let xy = cloud.find("/tag/x%22y").unwrap();
        assert!(rust < xy, "most used first");
        assert!(cloud.contains(
            "class=\"w5\"><span class=\"name\">Rust</span><span class=\"count\">2</span>"
        ));
        let archive = archive(&index, "/");
        assert!(archive.contains("<section><h2>March 2024</h2><ul><li><time"));
        assert!(archive.contains("<section><h2>December 2023</h2>"));
        assert_eq!(archive.matches("<section>").count(), 2);
    }

    #[test]
    fn layout_has_the_landmarks() {
        let index = index();
        let page = layout(Some(&index), "", "/", Section::Home, "<p>x</p>");
        assert!(page.starts_with("<a class=\"skip-link\" href=\"#main\">"));
        assert!(page.contains(
            "<header class=\"site-header\"><div class=\"wrap\"><a href=\"/\" class=\"site-title\">"
        ));
        assert!(page.contains("<main id=\"main\" tabindex=\"-1\"><p>x</p></main>"));
        assert!(page.contains("<footer class=\"site-footer\"><div class=\"wrap\">"));
    }

    #[test]
    fn fixed_views() {
        assert!(loading().contains("class=\"loading\""));
        let failed = load_failed("the server answered <500>");
        assert!(failed.contains("&lt;500&gt;"));
        assert!(failed.contains("<button type=\"button\" class=\"retry\" data-retry=\"index\">"));
        let nf = not_found("/blog/");
        assert!(nf.contains("<div class=\"not-found\"><h1>Page not found</h1>"));
        assert!(nf.contains("href=\"/blog/archive\""));
        let index = index();
        assert!(footer(Some(&index), "/").contains("© Tom &amp; &lt;Jerry&gt; · 3 posts"));
        let head = list_header(&index, &Route::Home { page: 1 }, 3);
        assert_eq!(
            head,
            "<h1>Tom &amp; &lt;Jerry&gt;</h1><p class=\"lede\">A &quot;blog&quot;</p>"
        );
    }
}
