//! The app shell as a template: the app's `index.html`, cut around the parts each route
//! file fills in (title, meta block, prerendered app), with a Content-Security-Policy that
//! allows exactly the shell's inline scripts.
//!
//! The shell is parsed once, as a browser parses it: html5ever's tree builder, through
//! scraper's tree. The tree is edited (quire's earlier blocks and the shell's own
//! description, canonical link and OpenGraph tags removed, places marked for the policy,
//! the title text, the meta block at the end of `<head>` and the app right after `<body>`)
//! and written back with html5ever's serializer, which is cut at the marked places into
//! literal pieces and holes. Each route file is then only a concatenation.
//!
//! Route files therefore carry the shell in the serializer's form: the same tree the
//! browser builds from the shell, written with explicit `<head>` and `<body>`, quoted
//! attribute values and no whitespace the parser drops. A route file given back as the
//! shell (a rebuild over `dist/index.html`) yields the same template again: quire's own
//! blocks are marked by comments and removed first.

use base64::Engine;
use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use html5ever::serialize::{HtmlSerializer, SerializeOpts, Serializer, TraversalScope};
use html5ever::{Namespace, ns};
use quire_core::text::escape_html;
use scraper::node::{Comment, Doctype, Element};
use scraper::{Html, Node};
use sha2::{Digest, Sha256};

pub const HEAD_START: &str = "<!--quire:head-->";
pub const HEAD_END: &str = "<!--/quire:head-->";
pub const CSP_START: &str = "<!--quire:csp-->";
pub const CSP_END: &str = "<!--/quire:csp-->";
/// Around the prerendered app in `<body>`.
pub const APP_START: &str = "<!--quire:app-->";
pub const APP_END: &str = "<!--/quire:app-->";
/// Around what quire adds to the shell's `<head>` before it is parsed: the theme's
/// stylesheet link and `head.html`, and under `quire serve` the live-reload script (see
/// [`with_head`]).
pub const EXTRA_START: &str = "<!--quire:extra-->";
pub const EXTRA_END: &str = "<!--/quire:extra-->";
/// Marks the plain shell quire writes when there is no app yet.
pub const BUILTIN_MARK: &str = "<!--quire:builtin-shell-->";

/// The plain shell used when no app `index.html` is at hand.
pub fn builtin_shell(language: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<base href=\"/\">\n\
<title>Quire</title>\n</head>\n<body>\n{BUILTIN_MARK}\n</body>\n</html>\n",
        escape_html(language)
    )
}

/// The shell's text with `extra` (HTML for `<head>`) inserted right before `</head>`, marked
/// by [`EXTRA_START`] … [`EXTRA_END`]; an earlier block so marked (a route file given back as
/// the shell) is removed first. The template then parses it with the rest of the shell, so
/// inline scripts in `extra` are hashed into the policy like the shell's own.
pub fn with_head(shell: &str, extra: &str) -> String {
    let mut text = shell.to_string();
    while let Some(start) = text.find(EXTRA_START) {
        let end = text[start..]
            .find(EXTRA_END)
            .map_or(start + EXTRA_START.len(), |e| start + e + EXTRA_END.len());
        text.replace_range(start..end, "");
    }
    if extra.is_empty() {
        return text;
    }
    let block = format!("{EXTRA_START}\n{extra}\n{EXTRA_END}\n");
    let lower = text.to_ascii_lowercase();
    let at = lower
        .find("</head")
        .or_else(|| lower.find("<body"))
        .unwrap_or(0);
    text.insert_str(at, &block);
    text
}

/// `'sha256-…'` of a script text, as CSP wants it.
pub fn script_hash(script: &str) -> String {
    let digest = Sha256::digest(script.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The policy for a page whose inline scripts are `scripts`.
pub fn csp(scripts: &[&str]) -> String {
    let mut hashes: Vec<String> = scripts.iter().map(|s| script_hash(s)).collect();
    hashes.dedup();
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    for h in hashes {
        script_src.push(' ');
        script_src.push_str(&h);
    }
    format!(
        "default-src 'self'; script-src {script_src}; style-src 'self'; img-src 'self' https: data:; object-src 'none'; base-uri 'self'"
    )
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Lit(String),
    Title,
    Block,
    App,
}

/// An app shell cut around the parts that change per route.
#[derive(Clone, Debug)]
pub struct Template {
    pieces: Vec<Piece>,
    /// The shell had no `<title>`: the meta block carries one.
    title_in_block: bool,
    /// The Content-Security-Policy written into every route file.
    pub csp: String,
    /// The site's base path from the shell's `<base href>` (`/` without one): the
    /// prerendered pages' links start with it, as the app's do.
    pub base: String,
    /// The shell's `<base href>` when it is a path (`/blog/`): Trunk writes the
    /// `--public-url` there. `None` when the shell has none.
    pub base_href: Option<String>,
}

/// The text of a marker comment (`<!--quire:head-->` → `quire:head`).
fn comment_text(mark: &str) -> &str {
    &mark["<!--".len()..mark.len() - "-->".len()]
}

fn is_html(e: &Element, name: &str) -> bool {
    e.name.ns == ns!(html) && &*e.name.local == name
}

/// The first child element of `parent` that is the HTML element `name`.
fn child_element(doc: &Html, parent: NodeId, name: &str) -> Option<NodeId> {
    doc.tree
        .get(parent)?
        .children()
        .find(|c| c.value().as_element().is_some_and(|e| is_html(e, name)))
        .map(|c| c.id())
}

/// Where quire marks the tree: nodes that are never written, only cut at.
fn placeholder() -> Node {
    Node::Comment(Comment { comment: "".into() })
}

/// The newline quire writes beside one of its blocks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Newline {
    Before,
    After,
    None,
}

/// Removes every block that quire marked with the comments `start` … `end` (siblings, the
/// way quire writes them), with the newline quire put beside it. With `keep`, a
/// placeholder stands where the first block was, and is returned.
fn remove_blocks(
    doc: &mut Html,
    start: &str,
    end: &str,
    newline: Newline,
    keep: bool,
) -> Option<NodeId> {
    let (start, end) = (comment_text(start), comment_text(end));
    let is = |n: &NodeRef<Node>, text: &str| n.value().as_comment().is_some_and(|c| &**c == text);
    let mut kept = None;
    while let Some(first) = doc.tree.root().descendants().find(|n| is(n, start)) {
        // The block runs to the end marker among the following siblings; an unclosed
        // start marker goes alone.
        let mut block = vec![first.id()];
        let closed = match first.next_siblings().position(|n| is(&n, end)) {
            Some(k) => {
                block.extend(first.next_siblings().take(k + 1).map(|n| n.id()));
                true
            }
            None => false,
        };
        let last = doc
            .tree
            .get(*block.last().expect("not empty"))
            .expect("a node");
        let neighbour = match newline {
            _ if !closed => None,
            Newline::Before => first.prev_sibling().map(|n| n.id()),
            Newline::After => last.next_sibling().map(|n| n.id()),
            Newline::None => None,
        };
        if keep && kept.is_none() {
            kept = Some(
                doc.tree
                    .get_mut(block[0])
                    .expect("a node")
                    .insert_before(placeholder())
                    .id(),
            );
        }
        for id in block {
            doc.tree.get_mut(id).expect("a node").detach();
        }
        if let Some(id) = neighbour {
            trim_newline(doc, id, newline == Newline::Before);
        }
    }
    kept
}

/// Removes one `\n` from the end (`at_end`) or the start of a text node, and the node
/// itself when that empties it.
fn trim_newline(doc: &mut Html, id: NodeId, at_end: bool) {
    let mut node = doc.tree.get_mut(id).expect("a sibling");
    let Node::Text(t) = node.value() else { return };
    let text: &str = &t.text;
    let rest = if at_end {
        text.strip_suffix('\n')
    } else {
        text.strip_prefix('\n')
    };
    match rest {
        Some("") => {
            node.detach();
        }
        Some(rest) => t.text = rest.into(),
        None => {}
    }
}

/// Removes the shell's own description, canonical link and OpenGraph tags from `<head>`
/// (with the indentation before each), so each route file carries exactly one of each:
/// quire's.
fn remove_page_meta(doc: &mut Html, head: NodeId) {
    let lower = |v: Option<&str>| v.map(|v| v.trim().to_ascii_lowercase());
    let mut cuts = Vec::new();
    for child in doc.tree.get(head).expect("head").children() {
        let Some(e) = child.value().as_element() else {
            continue;
        };
        let remove = if is_html(e, "meta") {
            lower(e.attr("name")).as_deref() == Some("description")
                || lower(e.attr("property")).is_some_and(|p| p.starts_with("og:"))
        } else {
            is_html(e, "link") && lower(e.attr("rel")).as_deref() == Some("canonical")
        };
        if remove {
            if let Some(prev) = child.prev_sibling()
                && prev.value().as_text().is_some_and(|t| t.trim().is_empty())
            {
                cuts.push(prev.id());
            }
            cuts.push(child.id());
        }
    }
    for id in cuts {
        doc.tree.get_mut(id).expect("a child").detach();
    }
}

/// Asks the browser to fetch the app after the page: `fetchpriority="low"` on the shell's
/// preload links (Trunk's Wasm, its JS glue and the split loader) and module scripts in
/// `<head>`, unless the shell set a priority. At high priority (the default for preloads)
/// the app's 200 KB share the link with the route file and its stylesheet, and on a slow
/// network the page paints later than a plain HTML page; at low priority Chromium holds
/// them back until what the first paint needs is in.
fn lower_app_priority(doc: &mut Html, head: NodeId) {
    let app: Vec<NodeId> = doc
        .tree
        .get(head)
        .expect("head")
        .children()
        .filter(|c| {
            c.value().as_element().is_some_and(|e| {
                let rel = e.attr("rel").map(|r| r.trim().to_ascii_lowercase());
                let preload = is_html(e, "link")
                    && matches!(rel.as_deref(), Some("preload" | "modulepreload"));
                let module = is_html(e, "script")
                    && e.attr("type")
                        .is_some_and(|t| t.trim().eq_ignore_ascii_case("module"));
                (preload || module) && e.attr("fetchpriority").is_none()
            })
        })
        .map(|c| c.id())
        .collect();
    for id in app {
        if let Node::Element(e) = doc.tree.get_mut(id).expect("a child").value() {
            e.attrs.insert(
                html5ever::QualName::new(None, ns!(), "fetchpriority".into()),
                "low".into(),
            );
        }
    }
}

/// The text of every inline `<script>` (one without a `src`, or in SVG an `href`), in
/// document order: what the browser hashes for the policy.
fn inline_scripts(doc: &Html) -> Vec<String> {
    let svg: Namespace = ns!(svg);
    doc.tree
        .root()
        .descendants()
        .filter(|n| {
            n.value().as_element().is_some_and(|e| {
                &*e.name.local == "script"
                    && !e.attrs.iter().any(|(k, _)| {
                        &*k.local == "src" || (e.name.ns == svg && &*k.local == "href")
                    })
            })
        })
        .map(|n| {
            n.children()
                .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                .collect()
        })
        .collect()
}

/// The doctype as the shell wrote it (the serializer writes only the name, which would
/// turn a legacy doctype's limited-quirks page into a standards one).
fn doctype_text(d: &Doctype) -> String {
    let mut out = d.name().to_string();
    match (d.public_id(), d.system_id()) {
        ("", "") => {}
        ("", system) => out.push_str(&format!(" SYSTEM \"{system}\"")),
        (public, "") => out.push_str(&format!(" PUBLIC \"{public}\"")),
        (public, system) => out.push_str(&format!(" PUBLIC \"{public}\" \"{system}\"")),
    }
    out
}

impl Template {
    /// Prepares a shell: earlier quire blocks removed, a CSP block inserted right after
    /// `<head>` (after the charset declaration if it comes first, so it precedes every
    /// script), and the places of the title text, of the meta block (at the end of
    /// `<head>`, or where an earlier block was) and of the app (right after `<body>`)
    /// marked. A shell without `<head>` or `<body>` gets them, as in a browser; one without
    /// a `<body>` at all (a frameset page) is refused.
    pub fn new(shell: &str) -> Result<Template, String> {
        Template::with_csp(shell, true)
    }

    /// As [`Template::new`]; with `csp` false no policy is written (an earlier one is
    /// still removed). For development builds: `trunk serve` rewrites its live-reload
    /// script on every request, so no hash could match it.
    pub fn with_csp(shell: &str, write_csp: bool) -> Result<Template, String> {
        let mut doc = Html::parse_document(shell);
        let root = doc.tree.root().id();
        let html = child_element(&doc, root, "html").ok_or("the app shell has no <html>")?;
        let head = child_element(&doc, html, "head").ok_or("the app shell has no <head>")?;
        let body = child_element(&doc, html, "body")
            .ok_or("the app shell has no <body> (a <frameset> page cannot hold the app)")?;

        remove_blocks(&mut doc, CSP_START, CSP_END, Newline::Before, false);
        remove_blocks(&mut doc, APP_START, APP_END, Newline::None, false);
        let old_block = remove_blocks(&mut doc, HEAD_START, HEAD_END, Newline::After, true);
        remove_page_meta(&mut doc, head);
        lower_app_priority(&mut doc, head);

        let scripts = inline_scripts(&doc);
        let scripts: Vec<&str> = scripts.iter().map(String::as_str).collect();
        let csp = if write_csp {
            csp(&scripts)
        } else {
            String::new()
        };
        // The policy holds only quotes, base64 and ASCII punctuation: no `"`, `&` or `<`.
        debug_assert!(!csp.contains(['"', '&', '<']));

        let base_href = doc
            .tree
            .root()
            .descendants()
            .filter_map(|n| n.value().as_element())
            .find(|e| is_html(e, "base") && e.attr("href").is_some())
            .and_then(|e| e.attr("href"))
            .filter(|h| h.starts_with('/') && !h.starts_with("//"))
            .map(str::to_string);
        let base = base_href
            .as_deref()
            .map_or_else(|| "/".to_string(), quire_app::model::base_path);

        // The charset declaration, when it is the head's first meta and no script precedes it.
        let charset = doc
            .tree
            .get(head)
            .expect("head")
            .children()
            .filter(|c| c.value().is_element())
            .take_while(|c| !c.value().as_element().is_some_and(|e| is_html(e, "script")))
            .find(|c| c.value().as_element().is_some_and(|e| is_html(e, "meta")))
            .filter(|c| {
                let e = c.value().as_element().expect("an element");
                e.attr("charset").is_some()
                    || e.attr("http-equiv")
                        .is_some_and(|v| v.trim().eq_ignore_ascii_case("content-type"))
            })
            .map(|c| c.id());
        let csp_at = write_csp.then(|| match charset {
            Some(meta) => doc
                .tree
                .get_mut(meta)
                .expect("meta")
                .insert_after(placeholder())
                .id(),
            None => doc
                .tree
                .get_mut(head)
                .expect("head")
                .prepend(placeholder())
                .id(),
        });
        let title = doc
            .tree
            .get(head)
            .expect("head")
            .children()
            .find(|c| c.value().as_element().is_some_and(|e| is_html(e, "title")))
            .map(|c| c.id());
        let title_at = title.map(|t| {
            let children: Vec<NodeId> = doc
                .tree
                .get(t)
                .expect("title")
                .children()
                .map(|c| c.id())
                .collect();
            for c in children {
                doc.tree.get_mut(c).expect("a child").detach();
            }
            doc.tree
                .get_mut(t)
                .expect("title")
                .append(placeholder())
                .id()
        });
        let block_at = old_block.unwrap_or_else(|| {
            doc.tree
                .get_mut(head)
                .expect("head")
                .append(placeholder())
                .id()
        });
        let app_at = doc
            .tree
            .get_mut(body)
            .expect("body")
            .prepend(placeholder())
            .id();

        let csp_block = format!(
            "\n{CSP_START}<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">{CSP_END}"
        );
        let mut ser = HtmlSerializer::new(
            Vec::new(),
            SerializeOpts {
                // As in a browser: `<noscript>` holds raw text.
                scripting_enabled: true,
                traversal_scope: TraversalScope::ChildrenOnly(None),
                create_missing_parent: false,
            },
        );
        let mut pieces = Vec::new();
        let mut cut = |ser: &mut HtmlSerializer<Vec<u8>>, hole: Piece| {
            let text = String::from_utf8(std::mem::take(&mut ser.writer))
                .expect("the serializer writes the tree's UTF-8 text");
            pieces.push(Piece::Lit(text));
            pieces.push(hole);
        };
        let written: std::io::Result<()> = (|| {
            for edge in doc.tree.root().traverse() {
                match edge {
                    Edge::Open(n) if Some(n.id()) == csp_at => {
                        ser.writer.extend_from_slice(csp_block.as_bytes());
                    }
                    Edge::Open(n) if Some(n.id()) == title_at => cut(&mut ser, Piece::Title),
                    Edge::Open(n) if n.id() == block_at => {
                        cut(&mut ser, Piece::Block);
                        ser.writer.push(b'\n');
                    }
                    Edge::Open(n) if n.id() == app_at => cut(&mut ser, Piece::App),
                    Edge::Open(n) => match n.value() {
                        Node::Doctype(d) => ser.write_doctype(&doctype_text(d))?,
                        Node::Comment(c) => ser.write_comment(&c.comment)?,
                        Node::Text(t) => ser.write_text(&t.text)?,
                        Node::Element(e) => ser
                            .start_elem(e.name.clone(), e.attrs.iter().map(|(k, v)| (k, &v[..])))?,
                        // The document, a template's contents, processing instructions (which
                        // the HTML parser never makes).
                        _ => {}
                    },
                    Edge::Close(n) => {
                        if let Some(e) = n.value().as_element() {
                            ser.end_elem(e.name.clone())?;
                        }
                    }
                }
            }
            Ok(())
        })();
        written.expect("writing to memory cannot fail");
        let rest = String::from_utf8(ser.writer).expect("the serializer writes UTF-8");
        pieces.push(Piece::Lit(rest));
        Ok(Template {
            pieces,
            title_in_block: title.is_none(),
            csp,
            base,
            base_href,
        })
    }

    /// The shell with this title (plain text), meta block (HTML, without markers) and the
    /// app's prerendered page (HTML: the content of its root element).
    pub fn render(&self, title: &str, block: &str, app: &str) -> String {
        let title = escape_html(title);
        let mut out = String::with_capacity(
            self.pieces
                .iter()
                .map(|p| match p {
                    Piece::Lit(s) => s.len(),
                    _ => 0,
                })
                .sum::<usize>()
                + block.len()
                + title.len()
                + app.len()
                + 128,
        );
        for p in &self.pieces {
            match p {
                Piece::Lit(s) => out.push_str(s),
                Piece::Title => out.push_str(&title),
                Piece::Block => {
                    out.push_str(HEAD_START);
                    out.push('\n');
                    // The app compares it with its own before taking the page over.
                    out.push_str("<meta name=\"quire-build\" content=\"");
                    out.push_str(quire_app::BUILD_MARK);
                    out.push_str("\">\n");
                    if self.title_in_block {
                        out.push_str(&format!("<title>{title}</title>\n"));
                    }
                    out.push_str(block);
                    out.push_str(HEAD_END);
                }
                Piece::App => {
                    out.push_str(APP_START);
                    out.push_str("<div id=\"app\" class=\"app\">");
                    out.push_str(app);
                    out.push_str("</div>");
                    out.push_str(APP_END);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNKISH: &str = "<!DOCTYPE html><html><head>\n<meta charset=\"utf-8\"/>\n<title>App</title>\n<link rel=\"modulepreload\" href=\"/app.js\">\n<script type=\"module\">import init from '/app.js';\ninit();</script>\n<script src=\"/x.js\"></script>\n</head><body></body></html>";

    fn policy_of(shell: &str) -> String {
        Template::new(shell).unwrap().csp
    }

    #[test]
    fn the_app_is_fetched_after_the_page() {
        let shell = TRUNKISH.replace(
            "</head>",
            "<link rel=\"preload\" href=\"/app_bg.wasm\" as=\"fetch\" type=\"application/wasm\"><link rel=\"preload\" href=\"/font.woff2\" as=\"font\" fetchpriority=\"high\"><link rel=\"stylesheet\" href=\"/s.css\"></head>",
        );
        let page = Template::new(&shell).unwrap().render("t", "", "<p>x</p>");
        for link in [
            "<link rel=\"modulepreload\" href=\"/app.js\" fetchpriority=\"low\">",
            "<link rel=\"preload\" href=\"/app_bg.wasm\" as=\"fetch\" type=\"application/wasm\" fetchpriority=\"low\">",
            "<script type=\"module\" fetchpriority=\"low\">import init",
            // A priority the shell chose, and what is not the app's, stay as they are.
            "<link rel=\"preload\" href=\"/font.woff2\" as=\"font\" fetchpriority=\"high\">",
            "<link rel=\"stylesheet\" href=\"/s.css\">",
            "<script src=\"/x.js\"></script>",
        ] {
            assert!(page.contains(link), "{link} in {page}");
        }
        // The policy still hashes the module script's text.
        assert_eq!(
            policy_of(&shell),
            csp(&["import init from '/app.js';\ninit();"])
        );
    }

    #[test]
    fn the_policy_hashes_inline_scripts_only() {
        assert_eq!(
            policy_of(TRUNKISH),
            csp(&["import init from '/app.js';\ninit();"])
        );
        // Commented out, upper case, not a script element.
        assert_eq!(
            policy_of("<!-- <script>x</script> --><SCRIPT>y</SCRIPT><scripts>"),
            csp(&["y"])
        );
        // A `>` in a quoted value, an attribute that only ends in `src`.
        assert_eq!(
            policy_of("<script data-src=\"a\" type='x>'>z</script>"),
            csp(&["z"])
        );
        assert_eq!(policy_of("<script\nsrc=a>z</script>"), csp(&[]));
        // In the body too, and a `</script` inside a string ends nothing but the element.
        assert_eq!(
            policy_of(
                "<head></head><body><script>a()</script><svg><script>b()</script><script href=x>c()</script></svg>"
            ),
            csp(&["a()", "b()"])
        );
        // The hash is of the text the browser reads: CRLF is LF there.
        assert_eq!(policy_of("<script>a\r\nb</script>"), csp(&["a\nb"]));
        assert_eq!(
            policy_of("<script>x</script><script>x</script>"),
            csp(&["x"])
        );
    }

    #[test]
    fn extra_head_is_hashed_and_replaced_not_doubled() {
        let extra = "<link rel=\"stylesheet\" href=\"t.css\">\n<script>track()</script>";
        let shell = with_head(TRUNKISH, extra);
        let t = Template::new(&shell).unwrap();
        assert!(t.csp.contains(&script_hash("track()")), "{}", t.csp);
        let once = t.render("X", "", "");
        assert_eq!(once.matches("track()").count(), 1, "{once}");
        let link = once.find("t.css").unwrap();
        assert!(link > once.find("<meta charset").unwrap() && link < once.find("</head>").unwrap());
        // A route file given back as the shell: the old block goes, the new one comes.
        let again = Template::new(&with_head(&once, "<script>other()</script>"))
            .unwrap()
            .render("X", "", "");
        assert!(
            !again.contains("track()") && again.contains("other()"),
            "{again}"
        );
        assert!(!with_head(&once, "").contains("track()"));
        assert!(once.contains(&format!("content=\"{}\"", quire_app::BUILD_MARK)));
    }

    #[test]
    fn hashes_like_browsers() {
        // echo -n "alert(1)" | openssl dgst -sha256 -binary | base64
        assert_eq!(
            script_hash("alert(1)"),
            "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
        );
    }

    #[test]
    fn development_builds_carry_no_policy() {
        let release = Template::new(TRUNKISH).unwrap().render("X", "", "");
        let dev = Template::with_csp(&release, false)
            .unwrap()
            .render("X", "", "");
        assert!(release.contains("Content-Security-Policy"));
        assert!(!dev.contains("Content-Security-Policy"), "{dev}");
        assert!(!dev.contains(CSP_START));
    }

    #[test]
    fn template_is_idempotent_and_csp_comes_first() {
        let t = Template::new(TRUNKISH).unwrap();
        let once = t.render("Post <1>", "<meta name=\"x\">\n", "<p>page</p>");
        assert!(once.contains("<title>Post &lt;1&gt;</title>"));
        let csp_at = once.find("Content-Security-Policy").unwrap();
        assert!(csp_at < once.find("<script").unwrap());
        assert!(csp_at < once.find("<link").unwrap());
        assert!(csp_at > once.find("<meta charset").unwrap());
        assert!(once.contains(&script_hash("import init from '/app.js';\ninit();")));
        // The app comes right after `<body>`, the meta block last in `<head>`.
        assert!(once.contains(&format!(
            "<body>{APP_START}<div id=\"app\" class=\"app\"><p>page</p></div>{APP_END}"
        )));
        assert!(once.contains(&format!("<meta name=\"x\">\n{HEAD_END}\n</head>")));
        for shell in [TRUNKISH, &builtin_shell("en"), "<p>just a paragraph"] {
            let once = Template::new(shell).unwrap().render(
                "Post <1>",
                "<meta name=\"x\">\n",
                "<p>page</p>",
            );
            let again = Template::new(&once).unwrap().render(
                "Post <1>",
                "<meta name=\"x\">\n",
                "<p>page</p>",
            );
            assert_eq!(once, again);
            assert_eq!(once.matches(HEAD_START).count(), 1);
            assert_eq!(once.matches(CSP_START).count(), 1);
            assert_eq!(once.matches(APP_START).count(), 1);
        }
    }

    #[test]
    fn an_earlier_block_keeps_its_place() {
        let shell = format!(
            "<html><head><title>t</title>{HEAD_START}<meta name=\"old\">{HEAD_END}\n<link rel=\"icon\" href=\"f.svg\"></head><body></body></html>"
        );
        let html = Template::new(&shell)
            .unwrap()
            .render("T", "<meta name=\"new\">\n", "");
        assert!(!html.contains("old"), "{html}");
        assert!(
            html.contains(&format!(
                "{HEAD_START}\n<meta name=\"quire-build\" content=\"{}\">\n<meta name=\"new\">\n{HEAD_END}\n<link rel=\"icon\"",
                quire_app::BUILD_MARK
            )),
            "{html}"
        );
    }

    #[test]
    fn shells_without_title_head_or_body() {
        let t = Template::new("<html><head></head><body></body></html>").unwrap();
        let html = t.render("T", "", "");
        assert!(html.contains("<title>T</title>"), "{html}");
        // The parser supplies `<head>` and `<body>`, as a browser does.
        let html = Template::new("<html><body><p>x</p></body></html>")
            .unwrap()
            .render("T", "", "app");
        assert!(
            html.contains("<head>") && html.contains("<title>T</title>"),
            "{html}"
        );
        assert!(html.contains(&format!("<body>{APP_START}")), "{html}");
        // A frameset page has no body to hold the app.
        let err = Template::new("<html><head></head><frameset><frame src=a></frameset></html>")
            .unwrap_err();
        assert!(err.contains("no <body>"), "{err}");
        let builtin = Template::new(&builtin_shell("en"))
            .unwrap()
            .render("X", "", "");
        assert!(builtin.contains("<title>X</title>") && builtin.contains(BUILTIN_MARK));
        assert!(builtin.contains("<html lang=\"en\">"));
    }

    #[test]
    fn the_shell_is_kept_as_the_browser_reads_it() {
        let shell = "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n<html lang=en><head><meta charset=utf-8><link data-trunk rel=\"icon\" href=\"a&amp;b.svg\" crossorigin><noscript><style>p{}</style></noscript><style>a > b {}</style></head><body class=\"x\"><template><p>t</p></template><pre>1 &lt; 2</pre></body></html>";
        let html = Template::new(shell).unwrap().render("T", "", "");
        assert!(html.starts_with("<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\"><html lang=\"en\">"), "{html}");
        // Attributes in their order, values quoted and escaped; raw text stays raw.
        for part in [
            "<link data-trunk=\"\" rel=\"icon\" href=\"a&amp;b.svg\" crossorigin=\"\">",
            "<noscript><style>p{}</style></noscript>",
            "<style>a > b {}</style>",
            "<body class=\"x\">",
            "<template><p>t</p></template>",
            "<pre>1 &lt; 2</pre>",
        ] {
            assert!(html.contains(part), "{part}: {html}");
        }
        // No comment quire used as a placeholder is left behind.
        assert!(!html.contains("<!---->"), "{html}");
    }

    #[test]
    fn base_path_from_the_shell() {
        let base = |s: &str| Template::new(s).unwrap().base;
        assert_eq!(base("<head><base href=\"/blog/\"></head>"), "/blog/");
        assert_eq!(
            base("<head><BASE HREF='/blog/index.html'></head>"),
            "/blog/"
        );
        assert_eq!(
            base("<head><base target=_top><base href=\"/b/\"></head>"),
            "/b/"
        );
        assert_eq!(base("<head><base href=\"https://x.org/\"></head>"), "/");
        assert_eq!(base("<head></head>"), "/");
    }

    #[test]
    fn shell_meta_is_replaced_not_doubled() {
        let shell = "<html><head>\n    <meta charset=\"utf-8\" />\n    <meta name=\"description\" content=\"\" />\n    <META property='og:title' content=x>\n<link rel=\"canonical\" href=\"/\"><link rel=\"icon\" href=\"f.svg\">\n<meta name=\"color-scheme\" content=\"light dark\" />\n</head><body><meta name=\"description\" content=\"in body, kept\"></body></html>";
        let html = Template::new(shell).unwrap().render(
            "T",
            "<meta name=\"description\" content=\"ours\">\n",
            "",
        );
        assert_eq!(html.matches("name=\"description\"").count(), 2, "{html}");
        assert!(html.contains("content=\"ours\"") && html.contains("in body, kept"));
        assert!(
            !html.contains("og:title") && !html.contains("canonical"),
            "{html}"
        );
        assert!(html.contains("rel=\"icon\"") && html.contains("color-scheme"));
        // The removed tags' lines go with them.
        assert!(!html.contains("\n    \n"), "{html}");
    }
}
