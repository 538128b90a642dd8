//! A strict, independent checker of what `quire_core::markdown::render` may put into the
//! page, shared by the vector table (hostile.rs) and the property tests (props.rs).
//!
//! It does not reuse the code under test: it has its own tokenizer, its own allowlists and
//! its own URL reading. It insists that the output is well formed (every `<` starts a tag
//! with double-quoted attribute values), that every tag and attribute is one the renderer
//! is meant to write, that no URL has a scheme other than http(s), mailto, tel or (for
//! images) a raster `data:image/…`, and that every `id` carries a content prefix.

use quire_core::RawHtml;

/// Tags pulldown-cmark and the renderer write themselves.
const RENDERER_TAGS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "img",
    "em",
    "strong",
    "del",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "code",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "br",
    "sup",
    "div",
    "input",
    "span",
];

/// Tags the sanitizer may rebuild from a post's raw HTML (docs/SECURITY.md lists them).
const RAW_HTML_TAGS: &[&str] = &[
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

const CLASSES: &[&str] = &[
    "anchor",
    "footnote-reference",
    "footnote-definition",
    "footnote-definition-label",
    "raw-html",
    "blocked-link",
    "blocked-image",
];

fn attr_allowed(tag: &str, attr: &str) -> bool {
    matches!(attr, "title" | "lang" | "dir" | "id" | "class")
        || matches!(
            (tag, attr),
            ("a", "href" | "rel" | "aria-label")
                | ("img", "src" | "alt" | "width" | "height")
                | ("td" | "th", "colspan" | "rowspan" | "align")
                | ("ol", "start" | "reversed")
                | ("li", "value")
                | ("time", "datetime")
                | ("details", "open")
                | ("q" | "blockquote" | "del" | "ins", "cite")
                | ("input", "type" | "disabled" | "checked")
        )
}

/// An element's start or end tag as found in the output.
#[derive(Debug)]
pub struct Tag {
    pub name: String,
    pub closing: bool,
    /// Attribute names and their values with `&amp;`-style escapes undone.
    pub attrs: Vec<(String, String)>,
}

/// Splits rendered HTML into text runs and tags; `Err` when anything is not well formed.
pub fn tokenize(html: &str) -> Result<(Vec<Tag>, String), String> {
    let mut tags = Vec::new();
    let mut text = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        text.push_str(&decode(&rest[..lt], false)?);
        text.push(' ');
        let (tag, len) = parse_tag(&rest[lt..]).ok_or_else(|| {
            format!(
                "`<` that starts no well-formed tag: {:?}",
                snippet(&rest[lt..])
            )
        })?;
        tags.push(tag);
        rest = &rest[lt + len..];
    }
    text.push_str(&decode(rest, false)?);
    Ok((tags, text))
}

fn snippet(s: &str) -> String {
    s.chars().take(80).collect()
}

fn parse_tag(s: &str) -> Option<(Tag, usize)> {
    let b = s.as_bytes();
    let mut i = 1;
    let closing = b.get(1) == Some(&b'/');
    if closing {
        i = 2;
    }
    let start = i;
    while i < b.len() && (b[i].is_ascii_lowercase() || b[i].is_ascii_digit()) {
        i += 1;
    }
    if i == start || !b[start].is_ascii_lowercase() {
        return None;
    }
    let name = s[start..i].to_string();
    let mut attrs = Vec::new();
    loop {
        match b.get(i)? {
            b'>' => {
                return Some((
                    Tag {
                        name,
                        closing,
                        attrs,
                    },
                    i + 1,
                ));
            }
            b'/' if b.get(i + 1) == Some(&b'>') && !closing => {
                return Some((
                    Tag {
                        name,
                        closing,
                        attrs,
                    },
                    i + 2,
                ));
            }
            b' ' if b.get(i + 1) == Some(&b'/') && b.get(i + 2) == Some(&b'>') && !closing => {
                return Some((
                    Tag {
                        name,
                        closing,
                        attrs,
                    },
                    i + 3,
                ));
            }
            b' ' if !closing => {
                i += 1;
                let an = i;
                while i < b.len() && (b[i].is_ascii_lowercase() || b[i] == b'-') {
                    i += 1;
                }
                if i == an || b.get(i) != Some(&b'=') || b.get(i + 1) != Some(&b'"') {
                    return None;
                }
                let attr = s[an..i].to_string();
                let vs = i + 2;
                let ve = vs + s[vs..].find('"')?;
                let raw = &s[vs..ve];
                if raw.contains(['<', '>']) {
                    return None;
                }
                attrs.push((attr, decode(raw, true).ok()?));
                i = ve + 1;
            }
            _ => return None,
        }
    }
}

/// Undoes the escapes the renderer writes. In attribute values (`strict`) only the
/// renderer's own escapes may appear: any other reference could be read by a browser as
/// something this checker did not see (`&colon;` is `:`). Element text may also carry
/// references the post wrote (the sanitizer keeps well-formed ones); those are decoded
/// loosely, since in text they are only ever text.
fn decode(s: &str, strict: bool) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after
            .find(';')
            .filter(|&e| e > 0 && e < 32)
            .ok_or_else(|| format!("bare `&` in output: {:?}", snippet(&rest[amp..])))?;
        let name = &after[..end];
        let c = match name {
            "amp" => "&".to_string(),
            "lt" => "<".to_string(),
            "gt" => ">".to_string(),
            "quot" => "\"".to_string(),
            "#39" | "#x27" => "'".to_string(),
            _ if strict => return Err(format!("reference &{name}; in an attribute")),
            n if n.starts_with('#') => {
                let v = match n[1..].strip_prefix(['x', 'X']) {
                    Some(h) => u32::from_str_radix(h, 16).ok(),
                    None => n[1..].parse().ok(),
                };
                v.and_then(char::from_u32).unwrap_or('\u{fffd}').to_string()
            }
            n => format!("&{n};"),
        };
        out.push_str(&c);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Reads a URL as the WHATWG URL parser finds its scheme: leading and trailing C0 controls
/// and spaces dropped, tabs and newlines removed anywhere; a scheme is an ASCII letter
/// followed by letters, digits, `+`, `-`, `.`, ending at the first `:`.
pub fn url_scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let colon = cleaned.find(':')?;
    let scheme = &cleaned[..colon];
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then(|| scheme.to_ascii_lowercase())
}

pub fn url_is_safe(url: &str, image: bool) -> bool {
    match url_scheme(url).as_deref() {
        None | Some("http" | "https" | "mailto" | "tel") => true,
        Some("data") if image => {
            let lower = url
                .trim_start_matches(|c: char| c <= ' ')
                .to_ascii_lowercase();
            ["png", "jpeg", "gif", "webp", "avif"].iter().any(|t| {
                lower.starts_with(&format!("data:image/{t};"))
                    || lower.starts_with(&format!("data:image/{t},"))
            })
        }
        _ => false,
    }
}

const VOID: &[&str] = &["br", "hr", "img", "input", "wbr"];

/// The output must be a self-contained fragment: strictly nested, nothing left open, and
/// list items, definition terms and table parts directly inside their parents (a browser's
/// implicit end tags for those reach outside the fragment otherwise).
fn check_nesting(tags: &[Tag]) -> Result<(), String> {
    let mut stack: Vec<&str> = Vec::new();
    for tag in tags {
        let name = tag.name.as_str();
        if VOID.contains(&name) {
            if tag.closing {
                return Err(format!("end tag of void <{name}>"));
            }
            continue;
        }
        if tag.closing {
            match stack.pop() {
                Some(top) if top == name => {}
                top => return Err(format!("</{name}> closes {top:?}")),
            }
            continue;
        }
        let parents: &[&str] = match name {
            "li" => &["ul", "ol"],
            "dd" | "dt" => &["dl"],
            "tr" => &["table", "thead", "tbody", "tfoot"],
            "td" | "th" => &["tr"],
            "thead" | "tbody" | "tfoot" | "caption" => &["table"],
            _ => &[],
        };
        if !parents.is_empty() && !stack.last().is_some_and(|t| parents.contains(t)) {
            return Err(format!("<{name}> inside {:?}", stack.last()));
        }
        stack.push(name);
    }
    match stack.last() {
        None => Ok(()),
        Some(open) => Err(format!("<{open}> left open")),
    }
}

/// Checks rendered HTML against the policy. `Trust` is not checked: it is unsafe by design.
pub fn check_safe(html: &str, policy: RawHtml) -> Result<(), String> {
    let (tags, _) = tokenize(html)?;
    check_nesting(&tags)?;
    check_tags(&tags, policy)
}

/// Every tag, attribute and value is one the renderer may write (nesting not checked: a
/// piece of raw HTML alone, as the sanitizer sees it, need not be balanced).
pub fn check_tags_only(html: &str, policy: RawHtml) -> Result<(), String> {
    check_tags(&tokenize(html)?.0, policy)
}

fn check_tags(tags: &[Tag], policy: RawHtml) -> Result<(), String> {
    for tag in tags {
        let allowed = RENDERER_TAGS.contains(&tag.name.as_str())
            || (policy == RawHtml::Sanitize && RAW_HTML_TAGS.contains(&tag.name.as_str()));
        if !allowed {
            return Err(format!("tag <{}> under {policy:?}", tag.name));
        }
        for (attr, value) in &tag.attrs {
            if !attr_allowed(&tag.name, attr) {
                return Err(format!("attribute {attr} on <{}>", tag.name));
            }
            match attr.as_str() {
                "href" | "cite" if !url_is_safe(value, false) => {
                    return Err(format!("unsafe {attr}={value:?}"));
                }
                "src" if !url_is_safe(value, true) => return Err(format!("unsafe src={value:?}")),
                "id" if !(value.starts_with("h-") || value.starts_with("fn-")) => {
                    return Err(format!("id {value:?} without a content prefix"));
                }
                "class"
                    if !value
                        .split(' ')
                        .all(|c| CLASSES.contains(&c) || c.starts_with("language-")) =>
                {
                    return Err(format!("class {value:?}"));
                }
                "type" if value != "checkbox" => return Err(format!("input type {value:?}")),
                "rel" if value != "nofollow noopener noreferrer" => {
                    return Err(format!("rel {value:?}"));
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// The text a reader sees (tags dropped, escapes undone, whitespace collapsed).
pub fn visible_text(html: &str) -> String {
    let (_, text) = tokenize(html).unwrap_or_else(|e| panic!("{e}\n{html}"));
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
