//! The app shell as a template: the app's `index.html`, cut around the parts each route
//! file fills in (title, meta block, prerendered app), with a Content-Security-Policy that
//! allows exactly the shell's inline scripts.

use base64::Engine;
use quire_core::text::escape_html;
use sha2::{Digest, Sha256};

pub const HEAD_START: &str = "<!--quire:head-->";
pub const HEAD_END: &str = "<!--/quire:head-->";
pub const CSP_START: &str = "<!--quire:csp-->";
pub const CSP_END: &str = "<!--/quire:csp-->";
/// Around the prerendered app in `<body>`.
pub const APP_START: &str = "<!--quire:app-->";
pub const APP_END: &str = "<!--/quire:app-->";
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

/// ASCII case-insensitive search from `from`.
fn find_ci(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    if from > h.len() || n.len() > h.len() - from {
        return None;
    }
    (from..=h.len() - n.len()).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// End (exclusive) of the tag starting at `at` (`<`), honouring quoted attribute values.
fn tag_end(html: &str, at: usize) -> Option<usize> {
    let b = html.as_bytes();
    let mut quote: Option<u8> = None;
    for (i, &c) in b.iter().enumerate().skip(at + 1) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return Some(i + 1),
            None => {}
        }
    }
    None
}

/// Start of the next element named `name` (`<name` followed by space, `/` or `>`).
fn find_tag(html: &str, name: &str, from: usize) -> Option<usize> {
    let open = format!("<{name}");
    let mut i = from;
    while let Some(at) = find_ci(html, &open, i) {
        match html.as_bytes().get(at + open.len()) {
            Some(c) if c.is_ascii_whitespace() || *c == b'>' || *c == b'/' => return Some(at),
            _ => i = at + 1,
        }
    }
    None
}

/// The attributes of a start tag (`<name a="1" b>`): lower-case names and raw values.
fn attributes(tag: &str) -> Vec<(String, Option<&str>)> {
    let b = tag.as_bytes();
    let mut out = Vec::new();
    // Skip `<name`.
    let mut i = 1;
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
        i += 1;
    }
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() || b[i] == b'>' {
            break;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = tag[start..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = None;
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let vs = i + 1;
                i = vs;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                value = Some(&tag[vs..i.min(b.len())]);
                i += 1;
            } else {
                let vs = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                value = Some(&tag[vs..i]);
            }
        }
        if name.is_empty() {
            i += 1;
            continue;
        }
        out.push((name, value));
    }
    out
}

fn has_attribute(tag: &str, wanted: &str) -> bool {
    attributes(tag).iter().any(|(n, _)| n == wanted)
}

fn attribute<'a>(tag: &'a str, wanted: &str) -> Option<&'a str> {
    attributes(tag)
        .into_iter()
        .find(|(n, _)| n == wanted)
        .and_then(|(_, v)| v)
}

/// Removes the shell's own description, canonical link and OpenGraph tags from `<head>`
/// (outside quire's block), so each route file carries exactly one of each: ours.
fn remove_page_meta(html: &mut String) {
    let head_end = find_ci(html, "</head>", 0).unwrap_or(html.len());
    let mut i = 0;
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    while i < head_end {
        let next = [find_tag(html, "meta", i), find_tag(html, "link", i)]
            .into_iter()
            .flatten()
            .min();
        let Some(at) = next.filter(|&a| a < head_end) else {
            break;
        };
        let Some(end) = tag_end(html, at) else { break };
        let tag = &html[at..end];
        let lower = |v: Option<&str>| v.map(|v| v.trim().to_ascii_lowercase());
        let remove = if tag[..5].eq_ignore_ascii_case("<meta") {
            lower(attribute(tag, "name")).as_deref() == Some("description")
                || lower(attribute(tag, "property")).is_some_and(|p| p.starts_with("og:"))
        } else {
            lower(attribute(tag, "rel")).as_deref() == Some("canonical")
        };
        if remove {
            let mut stop = end;
            while html
                .as_bytes()
                .get(stop)
                .is_some_and(|c| *c == b' ' || *c == b'\t')
            {
                stop += 1;
            }
            if html.as_bytes().get(stop) == Some(&b'\n') {
                stop += 1;
            }
            let mut begin = at;
            while begin > 0 && matches!(html.as_bytes()[begin - 1], b' ' | b'\t') {
                begin -= 1;
            }
            cuts.push((begin, stop));
        }
        i = end;
    }
    for (a, b) in cuts.into_iter().rev() {
        html.replace_range(a..b, "");
    }
}

/// The exact text of every inline `<script>` (one without a `src` attribute), outside
/// comments, in document order.
pub fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(rel) = html[i..].find('<') {
        let at = i + rel;
        if html[at..].starts_with("<!--") {
            i = html[at + 4..]
                .find("-->")
                .map_or(html.len(), |e| at + 4 + e + 3);
            continue;
        }
        if find_tag(html, "script", at) == Some(at) {
            let Some(end) = tag_end(html, at) else { break };
            let close = find_ci(html, "</script", end).unwrap_or(html.len());
            if !has_attribute(&html[at..end], "src") {
                out.push(&html[end..close]);
            }
            i = close;
            continue;
        }
        i = at + 1;
    }
    out
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
}

/// Removes every `start…end` block, with the newline quire put before (`newline_before`)
/// or after it.
fn remove_blocks(html: &str, start: &str, end: &str, newline_before: bool) -> String {
    let mut out = html.to_string();
    while let Some(mut s) = out.find(start) {
        match out[s..].find(end) {
            Some(e) => {
                let mut stop = s + e + end.len();
                if newline_before {
                    if out[..s].ends_with('\n') {
                        s -= 1;
                    }
                } else if out[stop..].starts_with('\n') {
                    stop += 1;
                }
                out.replace_range(s..stop, "");
            }
            None => break,
        }
    }
    out
}

impl Template {
    /// Prepares a shell: earlier quire blocks removed, a CSP block inserted right after
    /// `<head>` (after the charset meta if there is one, so it precedes every script),
    /// and the places of the title text and of the meta block (before `</head>`, or where
    /// an earlier block was) remembered.
    pub fn new(shell: &str) -> Result<Template, String> {
        Template::with_csp(shell, true)
    }

    /// As [`Template::new`]; with `csp` false no policy is written (an earlier one is
    /// still removed). For development builds: `trunk serve` rewrites its live-reload
    /// script on every request, so no hash could match it.
    pub fn with_csp(shell: &str, write_csp: bool) -> Result<Template, String> {
        let mut html = remove_blocks(shell, CSP_START, CSP_END, true);
        html = remove_blocks(&html, APP_START, APP_END, false);
        html = remove_blocks(&html, HEAD_START, HEAD_END, false);
        remove_page_meta(&mut html);
        // Keep the position of an earlier head block, emptied.
        if let Some(s) = html.find(HEAD_START) {
            if let Some(e) = html[s..].find(HEAD_END) {
                html.replace_range(
                    s..s + e + HEAD_END.len(),
                    &format!("{HEAD_START}{HEAD_END}"),
                );
            }
        } else {
            let Some(close) = find_ci(&html, "</head>", 0) else {
                return Err("the app shell has no </head>".into());
            };
            html.insert_str(close, &format!("{HEAD_START}{HEAD_END}\n"));
        }
        let scripts = inline_scripts(&html);
        let csp = if write_csp {
            csp(&scripts)
        } else {
            String::new()
        };
        // The policy holds only quotes, base64 and ASCII punctuation: no `"`, `&` or `<`.
        debug_assert!(!csp.contains(['"', '&', '<']));
        let csp_block = format!(
            "{CSP_START}<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">{CSP_END}"
        );
        let head_open = find_tag(&html, "head", 0);
        let charset = head_open.and_then(|h| {
            let m = find_tag(&html, "meta", h)?;
            let end = tag_end(&html, m)?;
            let first_script = find_tag(&html, "script", h).unwrap_or(usize::MAX);
            let is_charset = find_ci(&html[m..end], "charset", 0).is_some();
            (is_charset && end <= first_script).then_some(end)
        });
        let csp_at = match (charset, head_open) {
            (Some(end), _) => end,
            (None, Some(h)) => tag_end(&html, h).unwrap_or(0),
            (None, None) => 0,
        };
        if write_csp {
            html.insert_str(csp_at, &format!("\n{csp_block}"));
        }

        let block_at = html.find(HEAD_START).expect("inserted above");
        let block_end = block_at + HEAD_START.len() + HEAD_END.len();
        let title = find_tag(&html, "title", 0)
            .filter(|&t| t < block_at)
            .and_then(|t| {
                let open_end = tag_end(&html, t)?;
                let close = find_ci(&html, "</title", open_end)?;
                Some((open_end, close))
            });
        let mut pieces = Vec::new();
        match title {
            Some((s, e)) => {
                pieces.push(Piece::Lit(html[..s].to_string()));
                pieces.push(Piece::Title);
                pieces.push(Piece::Lit(html[e..block_at].to_string()));
            }
            None => pieces.push(Piece::Lit(html[..block_at].to_string())),
        }
        pieces.push(Piece::Block);
        // The app goes right after `<body …>`.
        match find_tag(&html, "body", block_end).and_then(|b| tag_end(&html, b)) {
            Some(body) => {
                pieces.push(Piece::Lit(html[block_end..body].to_string()));
                pieces.push(Piece::App);
                pieces.push(Piece::Lit(html[body..].to_string()));
            }
            None => pieces.push(Piece::Lit(html[block_end..].to_string())),
        }
        let base = find_tag(&html, "base", 0)
            .filter(|&b| b < block_at)
            .and_then(|b| Some(attribute(&html[b..tag_end(&html, b)?], "href")?.to_string()))
            .filter(|h| h.starts_with('/'))
            .map_or_else(|| "/".to_string(), |h| quire_app::model::base_path(&h));
        Ok(Template {
            pieces,
            title_in_block: title.is_none(),
            csp,
            base,
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

    #[test]
    fn finds_inline_scripts_only() {
        let s = inline_scripts(TRUNKISH);
        assert_eq!(s, ["import init from '/app.js';\ninit();"]);
        assert!(
            inline_scripts("<!-- <script>x</script> --><SCRIPT>y</SCRIPT><scripts>").eq(&["y"])
        );
        assert!(inline_scripts("<script data-src=\"a\" type='x>'>z</script>") == ["z"]);
        assert!(inline_scripts("<script\nsrc=a>z</script>").is_empty());
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
        let once = t.render("Post <1>", "<meta name=\"x\">\n", "");
        assert!(once.contains("<title>Post &lt;1&gt;</title>"));
        let csp_at = once.find("Content-Security-Policy").unwrap();
        assert!(csp_at < once.find("<script").unwrap());
        assert!(csp_at > once.find("<meta charset").unwrap());
        assert!(once.contains(&script_hash("import init from '/app.js';\ninit();")));
        let again = Template::new(&once)
            .unwrap()
            .render("Post <1>", "<meta name=\"x\">\n", "");
        assert_eq!(once, again);
        assert_eq!(once.matches(HEAD_START).count(), 1);
        assert_eq!(once.matches(CSP_START).count(), 1);
    }

    #[test]
    fn shells_without_title_or_head_end() {
        let t = Template::new("<html><head></head><body></body></html>").unwrap();
        let html = t.render("T", "", "");
        assert!(html.contains("<title>T</title>"), "{html}");
        assert!(Template::new("<html><body></body></html>").is_err());
        let builtin = Template::new(&builtin_shell("en"))
            .unwrap()
            .render("X", "", "");
        assert!(builtin.contains("<title>X</title>") && builtin.contains(BUILTIN_MARK));
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
        assert_eq!(attribute("<a x='1' y=2 z>", "y"), Some("2"));
        assert_eq!(attribute("<a x='1' y=2 z>", "x"), Some("1"));
        assert_eq!(attribute("<a x='1' y=2 z>", "z"), None);
        assert!(has_attribute("<a x='1' y=2 z>", "z"));
    }
}
