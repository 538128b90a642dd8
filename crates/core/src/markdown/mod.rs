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
//! - a fenced block's highlighting arrives as token runs from the build
//!   ([`crate::bundle::Body::code`]); they become `<span class="hl-…">` from a fixed set
//!   of classes only when they fit the block's text exactly ([`highlighted`]), else
//!   the block stays plain: its text is always the source, escaped;
//! - nothing here writes a `style` attribute (table alignment uses `align`), so the
//!   output renders under a CSP without `'unsafe-inline'` styles and reports nothing;
//! - the output is balanced ([`fn@balance`]): raw HTML cannot close the element the app puts
//!   the post into, nor leave one open that swallows the app's markup after it.
//!
//! See docs/SECURITY.md for the policy as owners read it.

use crate::bundle::{Body, RawHtml};
use crate::slug::slugify;
use crate::text::escape_html;
// The escaping is called as pulldown-cmark's writer calls it (`&mut FmtWriter<&mut
// String>`), so the Wasm holds one copy of each function.
use pulldown_cmark::{
    Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, Parser, Tag, TagEnd, html,
};
use pulldown_cmark_escape::FmtWriter;
use std::collections::{HashMap, HashSet};

mod balance;
mod code;
mod depth;
mod plain;
mod sanitize;
mod scope;
mod syntax;
mod toc;
pub use balance::balance;
pub use code::{CODE_CLASSES, PLAIN as PLAIN_RUN, highlighted};
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
    render_with(markdown, policy, scope, &Extras::NONE)
}

/// A post's body as its page shows it: [`render`], plus what the build worked out
/// ([`Body`]): its code blocks highlighted, its images sized, every image but the first
/// loaded lazily, and a table of contents on top if it asked for one.
pub fn render_body(body: &Body, policy: RawHtml) -> String {
    let extras = Extras {
        code: &body.code,
        images: &body.img,
        toc: body.toc,
        lazy_from: 1,
    };
    render_with(&body.md, policy, "", &extras)
}

/// What a rendering adds to the Markdown (see [`render_body`]).
struct Extras<'a> {
    /// Token runs per fenced code block, in document order.
    code: &'a [String],
    /// `[image number, width, height]`.
    images: &'a [[u32; 3]],
    toc: bool,
    /// Written images from this one on (0 = the first) get `loading="lazy"`.
    lazy_from: usize,
}

impl Extras<'_> {
    const NONE: Extras<'static> = Extras {
        code: &[],
        images: &[],
        toc: false,
        lazy_from: usize::MAX,
    };
}

fn render_with(markdown: &str, policy: RawHtml, scope: &str, extras: &Extras<'_>) -> String {
    let scope: String = scope
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
        .collect();
    let events = transform(Parser::new_ext(markdown, options()), policy, &scope, extras);
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
pub fn code_language(info: &str) -> String {
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
    /// Depth of images inside the kept image being written (0: not in one). Inside one,
    /// everything is its alt text; counted, not searched for, so deeply nested images
    /// stay linear.
    kept_images: usize,
    /// How the kept image being written ends: its title and size attributes.
    image_end: String,
    /// Images seen (every start, nested ones too: their numbers in `Body::img`) and
    /// images written.
    images_seen: usize,
    images_written: usize,
    /// Fenced code blocks seen, and the text of the one open.
    code_blocks: usize,
    code: Option<(usize, String)>,
    /// The headings so far, for a table of contents.
    headings: Vec<toc::Entry>,
    /// The scope of every id (see [`render_scoped`]).
    scope: String,
    /// Column alignments of the current table, the cell number in the row, and
    /// whether we are in the head row.
    alignments: Vec<Alignment>,
    cell: usize,
    in_head: bool,
}

fn transform<'a>(
    parser: Parser<'a>,
    policy: RawHtml,
    scope: &str,
    extras: &Extras<'_>,
) -> Vec<Event<'a>> {
    let mut out: Vec<Event<'a>> = Vec::new();
    let mut f = Filter {
        scope: scope.to_string(),
        ..Filter::default()
    };
    let mut heading_start: Option<usize> = None;
    let mut html_block: Option<String> = None;
    for event in parser {
        // Inside an image that is kept, everything up to its end is its alt text, written
        // here as pulldown-cmark's writer would: text escaped for an attribute, structure
        // dropped, breaks as spaces. Nested URLs are never written.
        if f.kept_images > 0 {
            f.alt_text(event, policy, &mut out);
            continue;
        }
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
                f.code = Some((f.code_blocks, String::new()));
                f.code_blocks += 1;
                out.push(Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(
                    language.into(),
                ))));
            }
            Event::Text(t) if f.code.is_some() => {
                f.code.as_mut().expect("in a fenced block").1.push_str(&t)
            }
            Event::End(TagEnd::CodeBlock) if f.code.is_some() => {
                let (n, text) = f.code.take().expect("in a fenced block");
                let runs = extras.code.get(n).map_or("", String::as_str);
                match code::highlighted(&text, runs) {
                    Some(html) => out.push(Event::Html(html.into())),
                    None => out.push(Event::Text(text.into())),
                }
                out.push(Event::End(TagEnd::CodeBlock));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if safe_url(&dest_url, false).is_some() {
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
                dest_url, title, ..
            }) => {
                let number = f.images_seen;
                f.images_seen += 1;
                if safe_url(&dest_url, true).is_some() {
                    f.kept_images = 1;
                    let mut start = String::from("<img src=\"");
                    let _ =
                        pulldown_cmark_escape::escape_href(&mut FmtWriter(&mut start), &dest_url);
                    start.push_str("\" alt=\"");
                    out.push(Event::Html(start.into()));
                    f.image_end = image_end(&title, number, f.images_written, extras);
                    f.images_written += 1;
                } else {
                    // The alt text is shown as text instead; the end closes the span.
                    out.push(Event::Html("<span class=\"blocked-image\">".into()));
                }
            }
            Event::End(TagEnd::Image) => out.push(Event::Html("</span>".into())),
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
                    let (id, text) = f.name_heading(&mut out, start);
                    out.push(Event::Html(anchor(&id, level).into()));
                    if extras.toc {
                        f.headings.push(toc::Entry {
                            level: level as u8,
                            id,
                            text,
                        });
                    }
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
    if extras.toc && !f.headings.is_empty() {
        out.insert(0, Event::Html(toc::html(&f.headings).into()));
    }
    out
}

/// How a kept image's `<img` ends after its alt text: the title, then `width`/`height`
/// if the build read them, then `loading="lazy" decoding="async"` from the
/// `lazy_from`-th written image on.
fn image_end(title: &str, number: usize, written: usize, extras: &Extras<'_>) -> String {
    let mut end = String::new();
    if !title.is_empty() {
        end.push_str("\" title=\"");
        let _ = pulldown_cmark_escape::escape_html(&mut FmtWriter(&mut end), title);
    }
    end.push('"');
    // Sorted by number as the build writes them (unsorted ones are just not found).
    let found = extras
        .images
        .binary_search_by_key(&number, |i| i[0] as usize)
        .ok()
        .map(|at| extras.images[at]);
    if let Some([_, w, h]) = found
        && w > 0
        && h > 0
    {
        end.push_str(&format!(" width=\"{w}\" height=\"{h}\""));
    }
    if written >= extras.lazy_from {
        end.push_str(" loading=\"lazy\" decoding=\"async\"");
    }
    end.push_str(" />");
    end
}

impl Filter {
    /// One event inside a kept image: its part of the alt text (see [`transform`]).
    fn alt_text<'a>(&mut self, event: Event<'a>, policy: RawHtml, out: &mut Vec<Event<'a>>) {
        let text: CowStr<'a> = match event {
            Event::Start(Tag::Image { .. }) => {
                self.images_seen += 1;
                self.kept_images += 1;
                return;
            }
            Event::End(TagEnd::Image) => {
                self.kept_images -= 1;
                if self.kept_images == 0 {
                    out.push(Event::Html(std::mem::take(&mut self.image_end).into()));
                }
                return;
            }
            Event::Text(t) | Event::Code(t) => t,
            // Raw HTML as the policy has it, then escaped like any text.
            Event::InlineHtml(h) => match inline_html(h, policy, &self.scope) {
                Event::InlineHtml(t) | Event::Text(t) => t,
                _ => return,
            },
            Event::SoftBreak | Event::HardBreak | Event::Rule => " ".into(),
            Event::TaskListMarker(done) => if done { "[x]" } else { "[ ]" }.into(),
            Event::FootnoteReference(name) => {
                // Numbered as where it is written (the alt shows nothing of it).
                self.footnote(&name);
                return;
            }
            _ => return,
        };
        let mut escaped = String::with_capacity(text.len());
        let _ = pulldown_cmark_escape::escape_html(&mut FmtWriter(&mut escaped), &text);
        out.push(Event::Html(escaped.into()));
    }

    /// Gives the heading at `out[start]` an id (its own `{#id}` if it had one, slugified,
    /// else the slug of its text), prefixed and unique within the document, and returns it
    /// with the heading's text.
    fn name_heading(&mut self, out: &mut [Event<'_>], start: usize) -> (String, String) {
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
        (unique, text)
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
