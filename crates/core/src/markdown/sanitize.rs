//! The allowlist sanitizer for raw HTML in posts, and the URL check used for every link.
//!
//! The sanitizer never passes input through: it tokenizes the fragment, and writes back
//! only tags on the allowlist, rebuilt from their parsed name and allowed attributes, with
//! every value re-escaped; everything else becomes escaped text. So whatever a browser
//! would "repair" in broken markup never reaches it as markup.

use crate::text::escape_html;

const ALLOWED_TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

const VOID_TAGS: &[&str] = &["br", "hr", "img", "wbr"];

/// Elements whose content is dropped with them (code, not prose).
const DROP_CONTENT: &[&str] = &[
    "script",
    "style",
    "template",
    "noscript",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "object",
    "plaintext",
    "title",
    "textarea",
    "select",
    "option",
];

fn allowed_attr(tag: &str, attr: &str) -> bool {
    matches!(attr, "title" | "lang" | "dir")
        || matches!(
            (tag, attr),
            ("a", "href")
                | ("img", "src" | "alt" | "width" | "height")
                | ("td" | "th", "colspan" | "rowspan" | "align")
                | ("ol", "start" | "reversed")
                | ("li", "value")
                | ("time", "datetime")
                | ("details", "open")
                | ("q" | "blockquote" | "del" | "ins", "cite")
        )
}

fn url_attr(attr: &str) -> bool {
    matches!(attr, "href" | "src" | "cite")
}

/// Checks a link or image URL as a browser would read it. Returns the URL when it is a
/// relative URL or uses `http`, `https`, `mailto` or `tel` (or, for images only, a raster
/// `data:image/…`); `None` otherwise (`javascript:`, `vbscript:`, `data:text/html`, `file:`,
/// any other scheme), whatever the case, whitespace or control characters inside.
pub fn safe_url(url: &str, image: bool) -> Option<&str> {
    // Browsers drop leading/trailing C0 controls and spaces, and every tab and newline
    // anywhere, before they look for the scheme.
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let scheme_end = cleaned.find([':', '/', '?', '#']);
    let scheme = match scheme_end {
        Some(i) if cleaned[i..].starts_with(':') => cleaned[..i].to_ascii_lowercase(),
        _ => return Some(url), // relative: no scheme
    };
    if scheme
        .chars()
        .any(|c| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    {
        return None;
    }
    let ok = match scheme.as_str() {
        "http" | "https" | "mailto" | "tel" => true,
        "data" if image => {
            let rest = cleaned[5..].to_ascii_lowercase();
            [
                "image/png",
                "image/jpeg",
                "image/gif",
                "image/webp",
                "image/avif",
            ]
            .iter()
            .any(|m| rest.starts_with(m) && rest[m.len()..].starts_with([';', ',']))
        }
        _ => false,
    };
    ok.then_some(url)
}

/// Rebuilds a fragment of raw HTML from the allowlist; see the module docs.
pub fn sanitize_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut rest = input;
    while let Some(lt) = rest.find('<') {
        push_text(&mut out, &rest[..lt]);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            rest = rest.find('>').map_or("", |e| &rest[e + 1..]);
            continue;
        }
        match parse_tag(rest) {
            Some((tag, len)) => {
                rest = &rest[len..];
                if !tag.closing && DROP_CONTENT.contains(&tag.name.as_str()) {
                    rest = skip_past_close(rest, &tag.name);
                } else if ALLOWED_TAGS.contains(&tag.name.as_str()) {
                    write_tag(&mut out, &tag);
                }
            }
            None => {
                out.push_str("&lt;");
                rest = &rest[1..];
            }
        }
    }
    push_text(&mut out, rest);
    out
}

struct ParsedTag {
    name: String,
    closing: bool,
    attrs: Vec<(String, String)>,
}

/// Parses `<name attr=value ...>` or `</name>` at the start of `s`. Returns the tag and
/// its length in bytes, or `None` when `s` does not start a well-formed tag.
fn parse_tag(s: &str) -> Option<(ParsedTag, usize)> {
    let b = s.as_bytes();
    let mut i = 1;
    let closing = b.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_start = i;
    if !b.get(i)?.is_ascii_alphabetic() {
        return None;
    }
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-') {
        i += 1;
    }
    let name = s[name_start..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        match b.get(i)? {
            b'>' => {
                return Some((
                    ParsedTag {
                        name,
                        closing,
                        attrs,
                    },
                    i + 1,
                ));
            }
            b'<' => return None,
            _ => {}
        }
        let an_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let attr = s[an_start..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if b.get(i) == Some(&b'=') {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            match b.get(i)? {
                q @ (b'"' | b'\'') => {
                    let end = s[i + 1..].find(*q as char)? + i + 1;
                    value = decode_entities(&s[i + 1..end]);
                    i = end + 1;
                }
                _ => {
                    let start = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = decode_entities(&s[start..i]);
                }
            }
        }
        attrs.push((attr, value));
    }
}

fn skip_past_close<'a>(rest: &'a str, name: &str) -> &'a str {
    let lower = rest.to_ascii_lowercase();
    match lower.find(&format!("</{name}")) {
        Some(at) => rest[at..].find('>').map_or("", |e| &rest[at + e + 1..]),
        None => "",
    }
}

fn write_tag(out: &mut String, tag: &ParsedTag) {
    if tag.closing {
        if !VOID_TAGS.contains(&tag.name.as_str()) {
            out.push_str(&format!("</{}>", tag.name));
        }
        return;
    }
    out.push('<');
    out.push_str(&tag.name);
    let mut seen: Vec<&str> = Vec::new();
    for (attr, value) in &tag.attrs {
        if !allowed_attr(&tag.name, attr) || seen.contains(&attr.as_str()) {
            continue;
        }
        if url_attr(attr) && safe_url(value, tag.name == "img").is_none() {
            continue;
        }
        if attr == "dir" && !matches!(value.as_str(), "ltr" | "rtl" | "auto") {
            continue;
        }
        seen.push(attr);
        out.push_str(&format!(" {attr}=\"{}\"", escape_html(value)));
    }
    if tag.name == "a" {
        out.push_str(" rel=\"nofollow noopener noreferrer\"");
    }
    out.push('>');
}

/// Text between tags: escaped, except well-formed character references, which are kept
/// (they can only ever stand for text).
fn push_text(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&escape_html(&rest[..amp]));
        let after = &rest[amp + 1..];
        let ref_len = after.find(';').filter(|&e| {
            let body = &after[..e];
            e > 0
                && e < 32
                && (body.chars().all(|c| c.is_ascii_alphanumeric())
                    || body.strip_prefix('#').is_some_and(|n| {
                        n.strip_prefix(['x', 'X']).map_or_else(
                            || !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()),
                            |h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()),
                        )
                    }))
        });
        match ref_len {
            Some(e) => {
                out.push('&');
                out.push_str(&after[..=e]);
                rest = &after[e + 1..];
            }
            None => {
                out.push_str("&amp;");
                rest = after;
            }
        }
    }
    out.push_str(&escape_html(rest));
}

/// Decodes the character references a browser would decode in an attribute value:
/// numeric ones (with or without `;`) and the named ones that matter for URLs. Anything
/// else stays as written — and is re-escaped on output, so the browser sees it literally.
fn decode_entities(s: &str) -> String {
    const NAMED: &[(&str, char)] = &[
        ("amp", '&'),
        ("lt", '<'),
        ("gt", '>'),
        ("quot", '"'),
        ("apos", '\''),
        ("colon", ':'),
        ("tab", '\t'),
        ("newline", '\n'),
        ("sol", '/'),
        ("lpar", '('),
        ("rpar", ')'),
        ("nbsp", '\u{a0}'),
        ("semi", ';'),
        ("comma", ','),
        ("period", '.'),
        ("excl", '!'),
    ];
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        if let Some(num) = after.strip_prefix('#') {
            let (hex, digits) = match num.strip_prefix(['x', 'X']) {
                Some(h) => (true, h),
                None => (false, num),
            };
            let len = digits
                .find(|c: char| {
                    !(if hex {
                        c.is_ascii_hexdigit()
                    } else {
                        c.is_ascii_digit()
                    })
                })
                .unwrap_or(digits.len());
            if len > 0 {
                let value = u32::from_str_radix(&digits[..len.min(8)], if hex { 16 } else { 10 })
                    .ok()
                    .and_then(char::from_u32)
                    .unwrap_or('\u{fffd}');
                out.push(value);
                let consumed = 1 + usize::from(hex) + len;
                rest = &after[consumed..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
                continue;
            }
        } else if let Some((name, c)) = NAMED.iter().find(|(n, _)| {
            after.len() > n.len()
                && after[..n.len()].eq_ignore_ascii_case(n)
                && after[n.len()..].starts_with(';')
        }) {
            out.push(*c);
            rest = &after[name.len() + 1..];
            continue;
        }
        out.push('&');
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        for bad in [
            "javascript:alert(1)",
            " JAVASCRIPT:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:x",
            "\u{1}javascript:x",
            "vbscript:x",
            "data:text/html,<script>",
            "file:///etc/passwd",
        ] {
            assert_eq!(safe_url(bad, false), None, "{bad:?}");
        }
        assert_eq!(safe_url("data:image/png;base64,AAA", false), None);
        assert!(safe_url("data:image/png;base64,AAA", true).is_some());
        assert_eq!(safe_url("data:image/svg+xml,<svg onload=x>", true), None);
        for good in [
            "https://a.b/c",
            "http://x",
            "/post/a",
            "post/a",
            "#top",
            "?q=1",
            "mailto:a@b",
            "./a:b",
        ] {
            assert!(safe_url(good, false).is_some(), "{good:?}");
        }
    }

    #[test]
    fn rebuilds_allowed_tags_only() {
        assert_eq!(sanitize_html("<B CLASS=x onclick=y>hi</B>"), "<b>hi</b>");
        assert_eq!(sanitize_html("<script>alert(1)</script>after"), "after");
        assert_eq!(sanitize_html("<SCRIPT src=x></SCRIPT >z"), "z");
        assert_eq!(
            sanitize_html("<img src=x onerror=alert(1)>"),
            "<img src=\"x\">"
        );
        assert_eq!(
            sanitize_html("<img/src=\"a.png\"/alt='A \"q\"'>"),
            "<img src=\"a.png\" alt=\"A &quot;q&quot;\">"
        );
        assert_eq!(
            sanitize_html("<a href=\"&#106;avascript:alert(1)\">x</a>"),
            "<a rel=\"nofollow noopener noreferrer\">x</a>"
        );
        assert_eq!(
            sanitize_html("<a href=\"java&Tab;script:x\">x</a>"),
            "<a rel=\"nofollow noopener noreferrer\">x</a>"
        );
        assert_eq!(
            sanitize_html("<a href='https://q.r'>x</a>"),
            "<a href=\"https://q.r\" rel=\"nofollow noopener noreferrer\">x</a>"
        );
        assert_eq!(
            sanitize_html("<svg onload=alert(1)><circle/></svg>text"),
            "text"
        );
        assert_eq!(
            sanitize_html("<iframe srcdoc=\"<script>x</script>\"></iframe>ok"),
            "ok"
        );
        assert_eq!(
            sanitize_html("<img src=x onerror=alert(1)//"),
            "&lt;img src=x onerror=alert(1)//"
        );
        assert_eq!(sanitize_html("a < b && c"), "a &lt; b &amp;&amp; c");
        assert_eq!(
            sanitize_html("&copy; &#169; &#xA9; &bogus"),
            "&copy; &#169; &#xA9; &amp;bogus"
        );
        assert_eq!(sanitize_html("<!-- <script>x</script> -->kept"), "kept");
        assert_eq!(
            sanitize_html("<details open><summary>S</summary>D</details>"),
            "<details open=\"\"><summary>S</summary>D</details>"
        );
        assert_eq!(
            sanitize_html("<p dir=rtl style=\"x\">ש</p>"),
            "<p dir=\"rtl\">ש</p>"
        );
        assert_eq!(
            sanitize_html("<math><mi xlink:href=\"javascript:x\">m</mi></math>"),
            "m"
        );
    }
}
