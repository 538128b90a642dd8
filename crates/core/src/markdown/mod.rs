//! Markdown → HTML with Quire's safety policy. The app puts the result into the page
//! with `inner_html`, so this is the one gate between a post and the DOM:
//!
//! - raw HTML follows [`RawHtml`]: escaped to text, rebuilt through the allowlist in
//!   [`crate::markdown::sanitize_html`], or (only if the owner opted in) passed through;
//! - every link and image URL goes through [`safe_url`], whatever the policy; a link
//!   that fails keeps its text but loses its target, an image that fails shows its alt
//!   text instead;
//! - Markdown's own attribute syntax cannot smuggle anything in: heading attributes
//!   (`{.class key=value}`) are dropped, only the id survives, as a slug;
//! - every `id` the content creates starts with [`HEADING_ID_PREFIX`] (headings) or
//!   [`FOOTNOTE_ID_PREFIX`] (footnotes), so a post can never collide with an id of the
//!   app's layout, nor clobber a global name (`window.<id>`) that scripts could read:
//!   an id with a `-` in it is not a JavaScript identifier; every id is unique within
//!   one rendering, and [`render_scoped`] keeps several renderings on one page apart;
//! - a fenced code block's info string gives at most one class, `language-<word>`, with
//!   `<word>` its first word (split on HTML's whitespace after entities are decoded) cut
//!   down to `[A-Za-z0-9_+#.-]`;
//! - nothing here writes a `style` attribute (table alignment uses `align`), so the
//!   output renders under a CSP without `'unsafe-inline'` styles and reports nothing;
//! - the output is balanced ([`fn@balance`]): raw HTML cannot close the element the app puts
//!   the post into, nor leave one open that swallows the app's markup after it.
//!
//! See docs/SECURITY.md for the policy as owners read it.

use crate::bundle::RawHtml;
use crate::slug::slugify;
use crate::text::escape_html;
use pulldown_cmark::{
    Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, Parser, Tag, TagEnd, html,
};
use std::collections::{HashMap, HashSet};

mod balance;
mod depth;
mod plain;
mod sanitize;
mod scope;
mod syntax;
pub use balance::balance;
pub use depth::{MAX_NESTING, balanced_nesting};
pub use plain::plain_text;
pub use sanitize::{safe_url, sanitize_html};
pub use scope::{FOOTNOTE_ID_PREFIX, HEADING_ID_PREFIX, SCOPE_SEPARATOR};
use scope::{scoped_fragment, scoped_id};
pub use syntax::options;

/// Renders a post body (or summary) to HTML that is safe to put into the page.
///
/// Under `escape` and `sanitize` the result is a self-contained fragment (see
/// [`fn@balance`]): it may be embedded in any container element's markup, and nothing in it
/// closes or swallows what surrounds it. Put it in a `div` (or set it as an element's
/// `innerHTML`), not in a `p`, `li` or `a`, whose implicit end tags a browser would apply.
pub fn render(markdown: &str, policy: RawHtml) -> String {
    render_scoped(markdown, policy, "")
}

/// [`render`], with every id the content creates, and every `#fragment` link to one of
/// them, carrying `scope`: `## Intro` gets `id="h-<scope>_intro"`, its footnotes
/// `fn-<scope>_1`. A list page renders each summary with its own scope (`s1`, `s2`, …), so
/// no two summaries share an id. `scope` keeps only ASCII letters, digits, `_` and `-`;
/// an empty scope is [`render`]'s output. Links in raw HTML are rewritten under
/// `sanitize` (which rebuilds them), not under `trust`.
pub fn render_scoped(markdown: &str, policy: RawHtml, scope: &str) -> String {
    let scope: String = scope
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
        .collect();
    let events = transform(Parser::new_ext(markdown, options()), policy, &scope);
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    match policy {
        RawHtml::Trust => out,
        RawHtml::Escape | RawHtml::Sanitize => balance(&out),
    }
}

/// The class word of a fenced code block's info string: its first word, split on HTML's
/// whitespace (space, tab, line feed, form feed, carriage return) after pulldown-cmark has
/// decoded its entities (`&#9;`, `&Tab;`…), with only `[A-Za-z0-9_+#.-]` kept. The browser
/// splits `class` on that same whitespace, so the result is always one class.
fn code_language(info: &str) -> String {
    info.split([' ', '\t', '\n', '\x0c', '\r'])
        .find(|w| !w.is_empty())
        .unwrap_or("")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '#' | '.' | '-'))
        .collect()
}

/// State of the event filter.
#[derive(Default)]
struct Filter {
    /// Heading ids in use, and the next suffix to try for each base.
    ids: HashSet<String>,
    next_suffix: HashMap<String, usize>,
    /// Footnote names (lower case) → their number.
    footnotes: HashMap<String, usize>,
    /// How many definitions each footnote number has had (a label defined twice must
    /// not give two elements the same id).
    definitions: HashMap<usize, usize>,
    /// Open images: whether each was replaced by a `<span>` (its end must close it).
    images: Vec<bool>,
    /// How many of the open images are kept (not replaced by a span); counted, not
    /// searched for, so deeply nested images stay linear.
    kept_images: usize,
    /// The scope of every id (see [`render_scoped`]).
    scope: String,
    /// Column alignments of the current table, the cell number in the row, and
    /// whether we are in the head row.
    alignments: Vec<Alignment>,
    cell: usize,
    in_head: bool,
}

fn transform<'a>(parser: Parser<'a>, policy: RawHtml, scope: &str) -> Vec<Event<'a>> {
    let mut out: Vec<Event<'a>> = Vec::new();
    let mut f = Filter {
        scope: scope.to_string(),
        ..Filter::default()
    };
    let mut heading_start: Option<usize> = None;
    let mut html_block: Option<String> = None;
    for event in parser {
        // Inside an image that is kept, pulldown-cmark writes only the alt text, from the
        // events up to the image's end; structure must stay as parsed there, and nested
        // URLs are never written. (Inside a blocked image, shown as a span, everything is
        // written as usual and checked as usual.)
        let in_alt = f.kept_images > 0;
        match event {
            Event::Start(Tag::HtmlBlock) => html_block = Some(String::new()),
            Event::End(TagEnd::HtmlBlock) => {
                let raw = html_block.take().unwrap_or_default();
                out.push(Event::Html(block_html(&raw, policy, &f.scope).into()));
            }
            Event::Html(h) if html_block.is_some() => {
                html_block.as_mut().expect("inside block").push_str(&h)
            }
            Event::Html(h) | Event::InlineHtml(h) => out.push(inline_html(h, policy, &f.scope)),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let language = code_language(&info);
                out.push(Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(
                    language.into(),
                ))));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if safe_url(&dest_url, false).is_some() || in_alt {
                    out.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: scoped_fragment(dest_url, &f.scope),
                        title,
                        id,
                    }));
                } else {
                    // Its text stays; it goes nowhere. The writer's `</a>` closes it.
                    out.push(Event::Html(blocked_link(&title).into()));
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if in_alt || safe_url(&dest_url, true).is_some() {
                    f.images.push(false);
                    f.kept_images += 1;
                    out.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                } else {
                    // The alt text is shown as text instead.
                    f.images.push(true);
                    out.push(Event::Html("<span class=\"blocked-image\">".into()));
                }
            }
            Event::End(TagEnd::Image) => {
                if f.images.pop() == Some(true) {
                    out.push(Event::Html("</span>".into()));
                } else {
                    f.kept_images = f.kept_images.saturating_sub(1);
                    out.push(Event::End(TagEnd::Image));
                }
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                // Classes and `key=value` attributes are dropped: they would let a post
                // restyle itself as the app's chrome, or add `onclick`.
                heading_start = Some(out.len());
                out.push(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes: Vec::new(),
                    attrs: Vec::new(),
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(start) = heading_start.take() {
                    let id = f.name_heading(&mut out, start);
                    out.push(Event::Html(anchor(&id, level).into()));
                }
                out.push(Event::End(TagEnd::Heading(level)));
            }
            Event::FootnoteReference(name) => {
                let n = f.footnote(&name);
                let id = scoped_id(FOOTNOTE_ID_PREFIX, &f.scope, &n.to_string());
                out.push(Event::Html(
                    format!("<sup class=\"footnote-reference\"><a href=\"#{id}\">{n}</a></sup>")
                        .into(),
                ));
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                let n = f.footnote(&name);
                // A second definition of the same label gets `fn-<n>-2` (`-` never
                // appears in a plain footnote id, so this is unique too); references
                // point at the first.
                let count = f.definitions.entry(n).or_insert(0);
                *count += 1;
                let rest = match *count {
                    1 => n.to_string(),
                    k => format!("{n}-{k}"),
                };
                let id = scoped_id(FOOTNOTE_ID_PREFIX, &f.scope, &rest);
                // The writer's `</div>` closes it.
                out.push(Event::Html(
                    format!(
                        "\n<div class=\"footnote-definition\" id=\"{id}\"><sup class=\"footnote-definition-label\">{n}</sup>"
                    )
                    .into(),
                ));
            }
            Event::Start(Tag::Table(alignments)) => {
                f.alignments = alignments.clone();
                out.push(Event::Start(Tag::Table(alignments)));
            }
            Event::Start(Tag::TableHead) => {
                f.in_head = true;
                f.cell = 0;
                out.push(Event::Start(Tag::TableHead));
            }
            Event::End(TagEnd::TableHead) => {
                f.in_head = false;
                out.push(Event::End(TagEnd::TableHead));
            }
            Event::Start(Tag::TableRow) => {
                f.cell = 0;
                out.push(Event::Start(Tag::TableRow));
            }
            Event::Start(Tag::TableCell) => {
                // pulldown-cmark would write `style="text-align: …"`, which a strict CSP
                // blocks (and reports); the `align` attribute does the same without CSS.
                let cell = if f.in_head { "th" } else { "td" };
                let align = match f.alignments.get(f.cell) {
                    Some(Alignment::Left) => " align=\"left\"",
                    Some(Alignment::Center) => " align=\"center\"",
                    Some(Alignment::Right) => " align=\"right\"",
                    _ => "",
                };
                f.cell += 1;
                out.push(Event::Html(format!("<{cell}{align}>").into()));
            }
            other => out.push(other),
        }
    }
    out
}

impl Filter {
    /// Gives the heading at `out[start]` an id (its own `{#id}` if it had one, slugified,
    /// else the slug of its text), prefixed and unique within the document, and returns it.
    fn name_heading(&mut self, out: &mut [Event<'_>], start: usize) -> String {
        let text: String = out[start + 1..]
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let Event::Start(Tag::Heading { id, .. }) = &mut out[start] else {
            unreachable!("heading_start points at a heading")
        };
        let wanted = id.as_deref().map(slugify).filter(|s| !s.is_empty());
        let mut slug = wanted.unwrap_or_else(|| slugify(&text));
        if slug.is_empty() {
            slug = "section".into();
        }
        let base = scoped_id(HEADING_ID_PREFIX, &self.scope, &slug);
        let mut unique = base.clone();
        if self.ids.contains(&unique) {
            // Each base remembers where its counter stopped, so a thousand headings of
            // the same name cost a thousand steps, not half a million.
            let next = self.next_suffix.entry(base.clone()).or_insert(1);
            loop {
                unique = format!("{base}-{next}");
                *next += 1;
                if !self.ids.contains(&unique) {
                    break;
                }
            }
        }
        self.ids.insert(unique.clone());
        *id = Some(CowStr::from(unique.clone()));
        unique
    }

    /// The number of a footnote, by name (case-insensitive, as Markdown matches them),
    /// in order of first use.
    fn footnote(&mut self, name: &str) -> usize {
        let next = self.footnotes.len() + 1;
        *self.footnotes.entry(name.to_lowercase()).or_insert(next)
    }
}

fn anchor(id: &str, _level: HeadingLevel) -> String {
    format!(
        " <a class=\"anchor\" href=\"#{}\" aria-label=\"Link to this section\">#</a>",
        escape_html(id)
    )
}

/// The start of a link whose URL failed [`safe_url`]: an `<a>` without `href`.
fn blocked_link(title: &str) -> String {
    if title.is_empty() {
        "<a class=\"blocked-link\">".into()
    } else {
        format!(
            "<a class=\"blocked-link\" title=\"{}\">",
            escape_html(title)
        )
    }
}

fn inline_html<'a>(h: CowStr<'a>, policy: RawHtml, scope: &str) -> Event<'a> {
    match policy {
        RawHtml::Trust => Event::InlineHtml(h),
        RawHtml::Escape => Event::Text(h),
        RawHtml::Sanitize => Event::InlineHtml(sanitize::sanitize_scoped(&h, scope).into()),
    }
}

fn block_html(raw: &str, policy: RawHtml, scope: &str) -> String {
    match policy {
        RawHtml::Trust => raw.to_string(),
        RawHtml::Escape => format!(
            "<p class=\"raw-html\">{}</p>\n",
            escape_html(raw.trim_end())
        ),
        RawHtml::Sanitize => sanitize::sanitize_scoped(raw, scope),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(md: &str) -> String {
        render(md, RawHtml::Sanitize)
    }

    #[test]
    fn renders_every_extension() {
        let html = r(
            "# Title\n\n~~old~~ *em* **strong**\n\n- [x] done\n- [ ] todo\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nNote[^1].\n\n[^1]: The note.\n\n```rust\nfn main() {}\n```\n\n> quoted\n",
        );
        for needle in [
            "<h1 id=\"h-title\">Title <a class=\"anchor\" href=\"#h-title\"",
            "<del>old</del>",
            "<em>em</em>",
            "<strong>strong</strong>",
            "type=\"checkbox\"",
            "<table>",
            "<td>1</td>",
            "<sup class=\"footnote-reference\"><a href=\"#fn-1\">1</a></sup>",
            "<div class=\"footnote-definition\" id=\"fn-1\"><sup class=\"footnote-definition-label\">1</sup>",
            "<code class=\"language-rust\">fn main() {}",
            "<blockquote>",
        ] {
            assert!(html.contains(needle), "missing {needle:?} in {html}");
        }
    }

    #[test]
    fn heading_ids_are_unique_and_respect_explicit_ids() {
        let html = r("## Intro\n\n## Intro\n\n## Setup {#my-setup}\n\n## ¿Qué?\n\n## !!!\n");
        assert!(html.contains("id=\"h-intro\""));
        assert!(html.contains("id=\"h-intro-1\""));
        assert!(html.contains("id=\"h-my-setup\""));
        assert!(html.contains("id=\"h-qué\""));
        assert!(html.contains("id=\"h-section\""));
        // An explicit id that collides with a generated one still ends up unique.
        let html = r("## A\n\n## A\n\n## X {#a-1}\n\n## A\n");
        for id in ["h-a", "h-a-1", "h-a-1-1", "h-a-2"] {
            assert_eq!(
                html.matches(&format!("id=\"{id}\"")).count(),
                1,
                "{id} in {html}"
            );
        }
    }

    #[test]
    fn heading_attributes_cannot_add_handlers_or_classes() {
        let html = r("# Hi {#main .load-error onclick=alert(1) style=color:red}\n");
        assert!(html.starts_with("<h1 id=\"h-main\">Hi "), "{html}");
        for bad in ["onclick", "class=\"load-error", "style="] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
    }

    #[test]
    fn content_ids_cannot_clobber_globals_or_layout_ids() {
        // `window.__pwned` would be this element if the id were the footnote's name.
        let html = r("x[^__pwned] y[^main]\n\n[^__pwned]: one\n\n[^main]: two\n");
        assert!(!html.contains("id=\"__pwned\"") && !html.contains("id=\"main\""));
        assert!(html.contains("href=\"#fn-1\"") && html.contains("id=\"fn-1\""));
        assert!(html.contains("href=\"#fn-2\"") && html.contains("id=\"fn-2\""));
        let html = r("# main\n\n## __proto__ {#location}\n");
        assert!(html.contains("id=\"h-main\"") && html.contains("id=\"h-location\""));
        // Every id in the output carries one of the two prefixes.
        for part in html.split(" id=\"").skip(1) {
            assert!(part.starts_with(HEADING_ID_PREFIX) || part.starts_with(FOOTNOTE_ID_PREFIX));
        }
    }

    #[test]
    fn many_equal_headings_stay_linear() {
        let md = "# a\n\n".repeat(20_000);
        let html = r(&md);
        assert!(html.contains("id=\"h-a-19999\""));
    }

    #[test]
    fn tables_align_without_inline_styles() {
        let html = r("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n");
        assert!(!html.contains("style="), "{html}");
        for cell in [
            "<th align=\"left\">a</th>",
            "<th align=\"center\">b</th>",
            "<th align=\"right\">c</th>",
            "<td align=\"left\">1</td>",
            "<td align=\"right\">3</td>",
        ] {
            assert!(html.contains(cell), "{cell} not in {html}");
        }
    }

    #[test]
    fn blocked_urls_keep_their_text() {
        let html = r("[click me](javascript:alert(1) \"t\") and ![a cat](javascript:x)");
        assert!(
            html.contains("<a class=\"blocked-link\" title=\"t\">click me</a>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"blocked-image\">a cat</span>"),
            "{html}"
        );
        assert!(!html.contains("javascript"), "{html}");
        // Nested images inside an alt text keep the alt well formed.
        let html = r("![outer ![inner](javascript:x)](https://a.b/i.png)");
        assert!(
            html.contains("<img src=\"https://a.b/i.png\" alt=\"outer inner\""),
            "{html}"
        );
        assert!(!html.contains("javascript"), "{html}");
        // A kept image inside a blocked one is still an image, and still checked.
        let html = r("![outer ![inner](javascript:x) ![ok](https://a.b/j.png)](javascript:y)");
        assert!(html.contains("<span class=\"blocked-image\">outer <span class=\"blocked-image\">inner</span> <img src=\"https://a.b/j.png\" alt=\"ok\" /></span>"), "{html}");
        assert!(!html.contains("javascript"), "{html}");
        let html = r("![outer ![inner](javascript:x)](https://a.b/i.png)");
        assert!(
            html.contains("<img src=\"https://a.b/i.png\" alt=\"outer inner\""),
            "{html}"
        );
        assert!(!html.contains("javascript"), "{html}");
    }

    #[test]
    fn dangerous_links_are_neutralized() {
        for md in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](&#106;avascript:alert(1))",
            "[x](vbscript:msgbox)",
            "[x](data:text/html;base64,PHNjcmlwdD4=)",
            "<javascript:alert(1)>",
            "[x][r]\n\n[r]: javascript:alert(1)",
            "![i](javascript:alert(1))",
            "![i](data:image/svg+xml;base64,PHN2Zz4=)",
        ] {
            let html = r(md);
            let lower = html.to_lowercase();
            assert!(
                !lower.contains("href=\"javascript") && !lower.contains("src=\"javascript"),
                "{md} → {html}"
            );
            assert!(!html.contains("=\"vbscript:"), "{md} → {html}");
            assert!(
                !html.contains("=\"data:text") && !html.contains("=\"data:image/svg"),
                "{md} → {html}"
            );
        }
        assert!(r("![i](data:image/png;base64,iVBORw0KGgo=)").contains("src=\"data:image/png;"));
        assert!(
            r("[ok](https://example.org/a?b=c)").contains("href=\"https://example.org/a?b=c\"")
        );
        assert!(r("[rel](/post/x)").contains("href=\"/post/x\""));
        assert!(r("[mail](mailto:a@b.c)").contains("href=\"mailto:a@b.c\""));
    }

    #[test]
    fn raw_html_follows_the_policy() {
        let md = "Hi <b onclick=\"x()\">bold</b> <script>alert(1)</script>\n\n<div onmouseover=\"x()\">block</div>\n";
        let esc = render(md, RawHtml::Escape);
        assert!(esc.contains("&lt;b onclick="), "{esc}");
        assert!(esc.contains("&lt;div onmouseover"), "{esc}");
        assert!(!esc.contains("<script") && !esc.contains("<b "));
        let san = render(md, RawHtml::Sanitize);
        assert!(san.contains("<b>bold</b>"), "{san}");
        assert!(san.contains("<div>block</div>"), "{san}");
        assert!(
            !san.contains("onclick") && !san.contains("<script") && !san.contains("onmouseover"),
            "{san}"
        );
        let trust = render(md, RawHtml::Trust);
        assert!(trust.contains("<b onclick=\"x()\">") && trust.contains("<script>"));
    }

    #[test]
    fn text_is_escaped() {
        let html = r("a < b & c > d \"q\"");
        assert!(html.contains("a &lt; b &amp; c &gt; d"), "{html}");
    }
}
