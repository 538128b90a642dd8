//! Markdown → HTML with Quire's safety policy. The app puts the result into the page
//! with `inner_html`, so this is the one gate between a post and the DOM:
//!
//! - raw HTML follows [`RawHtml`]: escaped to text, rebuilt through the allowlist in
//!   [`crate::markdown::sanitize_html`], or (only if the owner opted in) passed through;
//! - every link and image URL goes through [`safe_url`], whatever the policy;
//! - headings get `id`s (slugs of their text, made unique) and a self-link.

use crate::RawHtml;
use crate::slug::slugify;
use crate::text::escape_html;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

mod sanitize;
pub use sanitize::{safe_url, sanitize_html};

/// The Markdown extensions Quire turns on.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders a post body (or summary) to HTML that is safe to put into the page.
pub fn render(markdown: &str, policy: RawHtml) -> String {
    let events = transform(Parser::new_ext(markdown, options()), policy);
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    out
}

fn transform<'a>(parser: Parser<'a>, policy: RawHtml) -> Vec<Event<'a>> {
    let mut out: Vec<Event<'a>> = Vec::new();
    let mut used_ids: Vec<String> = Vec::new();
    let mut heading_start: Option<usize> = None;
    let mut html_block: Option<String> = None;
    for event in parser {
        match event {
            Event::Start(Tag::HtmlBlock) => html_block = Some(String::new()),
            Event::End(TagEnd::HtmlBlock) => {
                let raw = html_block.take().unwrap_or_default();
                out.push(Event::Html(block_html(&raw, policy).into()));
            }
            Event::Html(h) if html_block.is_some() => {
                html_block.as_mut().expect("inside block").push_str(&h)
            }
            Event::Html(h) | Event::InlineHtml(h) => out.push(inline_html(h, policy)),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => out.push(Event::Start(Tag::Link {
                link_type,
                dest_url: checked(dest_url, false),
                title,
                id,
            })),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => out.push(Event::Start(Tag::Image {
                link_type,
                dest_url: checked(dest_url, true),
                title,
                id,
            })),
            Event::Start(Tag::Heading { .. }) => {
                heading_start = Some(out.len());
                out.push(event);
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(start) = heading_start.take() {
                    let id = name_heading(&mut out, start, &mut used_ids);
                    out.push(Event::Html(anchor(&id, level).into()));
                }
                out.push(Event::End(TagEnd::Heading(level)));
            }
            other => out.push(other),
        }
    }
    out
}

/// Gives the heading at `out[start]` an id (its own `{#id}` if it had one, slugified),
/// unique within the document, and returns it.
fn name_heading(out: &mut [Event<'_>], start: usize, used: &mut Vec<String>) -> String {
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
    let mut base = wanted.unwrap_or_else(|| slugify(&text));
    if base.is_empty() {
        base = "section".into();
    }
    let mut unique = base.clone();
    let mut n = 1;
    while used.contains(&unique) {
        unique = format!("{base}-{n}");
        n += 1;
    }
    used.push(unique.clone());
    *id = Some(CowStr::from(unique.clone()));
    unique
}

fn anchor(id: &str, _level: HeadingLevel) -> String {
    format!(
        " <a class=\"anchor\" href=\"#{}\" aria-label=\"Link to this section\">#</a>",
        escape_html(id)
    )
}

fn checked(url: CowStr<'_>, image: bool) -> CowStr<'_> {
    match safe_url(&url, image) {
        Some(_) => url,
        None => CowStr::Borrowed("#"),
    }
}

fn inline_html(h: CowStr<'_>, policy: RawHtml) -> Event<'_> {
    match policy {
        RawHtml::Trust => Event::InlineHtml(h),
        RawHtml::Escape => Event::Text(h),
        RawHtml::Sanitize => Event::InlineHtml(sanitize_html(&h).into()),
    }
}

fn block_html(raw: &str, policy: RawHtml) -> String {
    match policy {
        RawHtml::Trust => raw.to_string(),
        RawHtml::Escape => format!(
            "<p class=\"raw-html\">{}</p>\n",
            escape_html(raw.trim_end())
        ),
        RawHtml::Sanitize => sanitize_html(raw),
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
            "<h1 id=\"title\">Title <a class=\"anchor\" href=\"#title\"",
            "<del>old</del>",
            "<em>em</em>",
            "<strong>strong</strong>",
            "type=\"checkbox\"",
            "<table>",
            "<td>1</td>",
            "class=\"footnote-reference\"",
            "class=\"footnote-definition\"",
            "<code class=\"language-rust\">fn main() {}",
            "<blockquote>",
        ] {
            assert!(html.contains(needle), "missing {needle:?} in {html}");
        }
    }

    #[test]
    fn heading_ids_are_unique_and_respect_explicit_ids() {
        let html = r("## Intro\n\n## Intro\n\n## Setup {#my-setup}\n\n## ¿Qué?\n\n## !!!\n");
        assert!(html.contains("id=\"intro\""));
        assert!(html.contains("id=\"intro-1\""));
        assert!(html.contains("id=\"my-setup\""));
        assert!(html.contains("id=\"qué\""));
        assert!(html.contains("id=\"section\""));
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
