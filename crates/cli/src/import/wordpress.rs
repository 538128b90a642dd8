//! Reading a WordPress export (WXR: RSS 2.0 with `wp:` elements, versions 1.0 to 1.2),
//! with roxmltree. Every problem names the line of the file it comes from.
//!
//! An export comes from a server nobody here controls, so the text is looked over in one
//! linear pass before roxmltree reads it ([`precheck`]): a DTD (`<!DOCTYPE …>`) is
//! refused, since WordPress never writes one and its entities are how a small file
//! expands into gigabytes; elements may nest [`MAX_XML_DEPTH`] deep at most, since
//! roxmltree reads nested elements by recursion and a deep enough file would overflow
//! its stack (a WordPress export nests about 6 levels: `rss` → `channel` → `item` →
//! `wp:comment` → `wp:commentmeta` → `wp:meta_value`); and at most
//! [`MAX_XML_NAMESPACES`] namespaces may be in scope and [`MAX_XML_ATTRIBUTES`]
//! attributes on an element, since roxmltree's work for an element grows with the
//! square of its attributes and of the namespaces in scope. What is left,
//! without a DTD's entities, is at most a node for every three bytes, read in linear
//! time.

use roxmltree::{Document, Node};

/// How deep elements may nest in an export (WordPress writes about 6 levels).
pub const MAX_XML_DEPTH: usize = 100;

/// How many attributes an element may have (WordPress writes 3 at most, and `<rss>`'s
/// namespace declarations): roxmltree compares each with those before it.
pub const MAX_XML_ATTRIBUTES: usize = 100;

/// How many XML namespaces may be declared on an element and the elements around it
/// (WordPress declares about 6, on `<rss>`). roxmltree copies the namespaces in scope
/// into every element that declares one more, comparing each with the others, so 30,000
/// on `<rss>` made each such element take a second.
pub const MAX_XML_NAMESPACES: usize = 50;

/// WXR versions this reader knows.
pub const VERSIONS: [&str; 3] = ["1.0", "1.1", "1.2"];

/// The export's channel: the site and everything in it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Export {
    pub version: String,
    pub title: String,
    pub link: String,
    pub description: String,
    pub language: String,
    pub authors: Vec<WpAuthor>,
    /// The channel's `wp:category` and `wp:tag` entries (menus name terms by id).
    pub terms: Vec<ChannelTerm>,
    pub items: Vec<Item>,
}

/// A category or tag of the channel: `<wp:category><wp:term_id>3</wp:term_id>…`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChannelTerm {
    pub id: u64,
    /// `category` or `post_tag`.
    pub domain: String,
    pub name: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WpAuthor {
    pub login: String,
    pub display_name: String,
}

/// A term on an item: `<category domain="post_tag" nicename="rust">Rust</category>`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ItemTerm {
    pub domain: String,
    pub nicename: String,
    pub name: String,
}

/// One `<item>`, its fields as written (entities of the XML decoded, HTML left alone).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Item {
    /// Line of `<item>` in the export.
    pub line: usize,
    pub id: Option<u64>,
    pub title: String,
    pub link: String,
    pub guid: String,
    pub creator: String,
    pub content: String,
    pub excerpt: String,
    pub post_type: String,
    pub status: String,
    /// `wp:post_password` is not empty (the password itself is not kept).
    pub password_protected: bool,
    pub post_name: String,
    pub date: String,
    pub date_gmt: String,
    pub modified: String,
    pub modified_gmt: String,
    pub terms: Vec<ItemTerm>,
    pub comments: usize,
    pub comments_approved: usize,
    /// `wp:menu_order` (a menu item's place in its menu).
    pub menu_order: i64,
    /// The `wp:postmeta` whose key starts with `_menu_item_` (a menu item's target),
    /// `(key, value)` in the order written; other post meta is not kept.
    pub menu_meta: Vec<(String, String)>,
}

/// A problem with the export as a whole or with one item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError {
    pub line: usize,
    pub message: String,
}

fn err(line: usize, message: impl Into<String>) -> ReadError {
    ReadError {
        line,
        message: message.into(),
    }
}

fn line_of(doc: &Document<'_>, node: Node<'_, '_>) -> usize {
    doc.text_pos_at(node.range().start).row as usize
}

/// Lines of nodes met in document order, counted as it goes: asking the document for
/// each item's position would read the file from its start every time.
struct Lines<'t> {
    text: &'t str,
    offset: usize,
    line: usize,
}

impl Lines<'_> {
    fn at(&mut self, node: Node<'_, '_>) -> usize {
        let to = node.range().start.min(self.text.len());
        if to < self.offset {
            self.offset = 0;
            self.line = 1;
        }
        self.line += self.text.as_bytes()[self.offset..to]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.offset = to;
        self.line
    }
}

/// Whether a namespace URI is WordPress's export namespace of some version.
fn is_wp(ns: &str) -> bool {
    ns.starts_with("http://wordpress.org/export/") && !ns.contains("/excerpt")
}

fn local<'a>(node: Node<'a, '_>) -> (&'a str, Option<&'a str>) {
    let t = node.tag_name();
    (t.name(), t.namespace())
}

/// The text of a node (CDATA and text joined).
fn text_of(node: Node<'_, '_>) -> String {
    node.children()
        .filter(|c| c.is_text())
        .filter_map(|c| c.text())
        .collect()
}

/// A parse error, at its line, naming the `<item>` it is in (if any).
fn xml_error(text: &str, e: &roxmltree::Error) -> ReadError {
    let lines = crate::diag::line_of_offset(text, text.len());
    let truncated = matches!(
        e,
        roxmltree::Error::UnclosedRootNode | roxmltree::Error::UnexpectedEndOfStream
    ) || e.pos().row as usize >= lines;
    let line = if truncated {
        lines
    } else {
        e.pos().row as usize
    };
    // The byte offset where that line starts.
    let offset = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    let before = &text[..offset.min(text.len())];
    let item = before
        .rfind("<item>")
        .filter(|&i| !before[i..].contains("</item>"))
        .map(|i| crate::diag::line_of_offset(text, i));
    let inside = item.map_or(String::new(), |l| {
        format!(", inside the <item> that starts at line {l}")
    });
    if truncated {
        err(
            line,
            format!("the file ends in the middle (truncated?){inside}"),
        )
    } else {
        err(
            line,
            format!("not a readable XML file (damaged?){inside}: {e}"),
        )
    }
}

/// The refusal of a DTD, at its line.
fn dtd_error(line: usize) -> ReadError {
    err(
        line,
        "the export declares a DTD (<!DOCTYPE …>); WordPress exports have none, so quire does not read it",
    )
}

/// Looks the export over before it is parsed, in one pass: refuses a DTD and elements
/// nested deeper than [`MAX_XML_DEPTH`]. Markup it cannot make sense of is left for
/// roxmltree to report.
pub fn precheck(text: &str) -> Result<(), ReadError> {
    let b = text.as_bytes();
    // `from` is always just past ASCII markup, so on a character boundary.
    let find = |from: usize, what: &str| text.get(from..)?.find(what).map(|i| from + i);
    // Namespaces each open element declares (its depth is the stack's length).
    let mut declared: Vec<usize> = Vec::new();
    let mut in_scope = 0usize;
    let mut i = 0;
    while let Some(lt) = b[i..].iter().position(|&c| c == b'<').map(|p| i + p) {
        let rest = &b[lt..];
        let skip_past = |end: &str, from: usize| find(from, end).map(|e| e + end.len());
        let next = if rest.starts_with(b"<!--") {
            skip_past("-->", lt + 4)
        } else if rest.starts_with(b"<![CDATA[") {
            skip_past("]]>", lt + 9)
        } else if rest.starts_with(b"<?") {
            skip_past("?>", lt + 2)
        } else if rest.len() >= 9 && rest[..9].eq_ignore_ascii_case(b"<!DOCTYPE") {
            return Err(dtd_error(crate::diag::line_of_offset(text, lt)));
        } else if rest.starts_with(b"</") {
            in_scope -= declared.pop().unwrap_or(0);
            Some(lt + 2)
        } else if rest.starts_with(b"<!") {
            Some(lt + 2)
        } else {
            // A start tag: up to its `>`, past quoted attribute values (which may hold
            // `>` but never `<`).
            let mut j = lt + 1;
            let mut quote = None;
            let mut xmlns = 0;
            let mut attributes = 0;
            while j < b.len() {
                match (quote, b[j]) {
                    (None, b'>') => break,
                    (None, b'=') => attributes += 1,
                    (None, q @ (b'"' | b'\'')) => quote = Some(q),
                    (Some(q), c) if c == q => quote = None,
                    (_, b'<') => break,
                    (None, b'x')
                        if b[j - 1].is_ascii_whitespace()
                            && b[j..].starts_with(b"xmlns")
                            && matches!(b.get(j + 5), Some(b'=' | b':' | b' ')) =>
                    {
                        xmlns += 1;
                    }
                    _ => {}
                }
                j += 1;
            }
            let line = || crate::diag::line_of_offset(text, lt);
            if attributes > MAX_XML_ATTRIBUTES {
                return Err(err(
                    line(),
                    format!(
                        "an element has more than {MAX_XML_ATTRIBUTES} attributes; those of a WordPress export have a few at most"
                    ),
                ));
            }
            if in_scope + xmlns > MAX_XML_NAMESPACES {
                return Err(err(
                    line(),
                    format!(
                        "more than {MAX_XML_NAMESPACES} XML namespaces are declared around this element; a WordPress export declares about 6"
                    ),
                ));
            }
            let empty = j < b.len() && b[j] == b'>' && b[j - 1] == b'/';
            if !empty {
                declared.push(xmlns);
                in_scope += xmlns;
                if declared.len() > MAX_XML_DEPTH {
                    return Err(err(
                        line(),
                        format!(
                            "elements nest deeper than {MAX_XML_DEPTH}; a WordPress export nests about 6 levels"
                        ),
                    ));
                }
            }
            Some(j.max(lt + 1))
        };
        // Markup that does not end is roxmltree's to report.
        let Some(next) = next else { break };
        i = next;
    }
    Ok(())
}

/// Parses the export's text.
pub fn read(text: &str) -> Result<Export, ReadError> {
    precheck(text)?;
    let doc = Document::parse_with_options(
        text,
        roxmltree::ParsingOptions {
            // Refused by `precheck` already; roxmltree refuses it too.
            allow_dtd: false,
            ..Default::default()
        },
    )
    .map_err(|e| match e {
        roxmltree::Error::DtdDetected => dtd_error(1),
        e => xml_error(text, &e),
    })?;
    let root = doc.root_element();
    if root.tag_name().name() != "rss" {
        return Err(err(
            line_of(&doc, root),
            format!(
                "not a WordPress export: the file is <{}>, a WXR file is <rss> (Tools → Export in WordPress)",
                root.tag_name().name()
            ),
        ));
    }
    let Some(channel) = root
        .children()
        .find(|c| c.is_element() && c.tag_name().name() == "channel")
    else {
        return Err(err(
            line_of(&doc, root),
            "not a WordPress export: <rss> has no <channel>",
        ));
    };
    let version_node = channel.children().find(|c| {
        let (name, ns) = local(*c);
        c.is_element() && name == "wxr_version" && ns.is_some_and(is_wp)
    });
    let Some(version_node) = version_node else {
        return Err(err(
            line_of(&doc, channel),
            "not a WordPress export: the feed has no <wp:wxr_version> (is this an RSS feed rather than a WXR export from Tools → Export?)",
        ));
    };
    let version = text_of(version_node).trim().to_string();
    if !VERSIONS.contains(&version.as_str()) {
        return Err(err(
            line_of(&doc, version_node),
            format!(
                "unknown WXR version {version:?}: this importer reads versions {}",
                VERSIONS.join(", ")
            ),
        ));
    }
    let mut export = Export {
        version,
        ..Export::default()
    };
    let mut lines = Lines {
        text,
        offset: 0,
        line: 1,
    };
    for c in channel.children().filter(Node::is_element) {
        let (name, ns) = local(c);
        match (name, ns) {
            ("title", None) => export.title = text_of(c),
            ("link", None) => export.link = text_of(c).trim().to_string(),
            ("description", None) => export.description = text_of(c),
            ("language", None) => export.language = text_of(c).trim().to_string(),
            ("author", Some(ns)) if is_wp(ns) => {
                let mut a = WpAuthor::default();
                for f in c.children().filter(Node::is_element) {
                    match f.tag_name().name() {
                        "author_login" => a.login = text_of(f).trim().to_string(),
                        "author_display_name" => a.display_name = text_of(f).trim().to_string(),
                        _ => {}
                    }
                }
                if !a.login.is_empty() {
                    export.authors.push(a);
                }
            }
            ("item", None) => export.items.push(read_item(&doc, c, lines.at(c))?),
            ("category" | "tag", Some(ns)) if is_wp(ns) => {
                let mut t = ChannelTerm {
                    domain: if name == "tag" {
                        "post_tag"
                    } else {
                        "category"
                    }
                    .to_string(),
                    ..ChannelTerm::default()
                };
                for f in c.children().filter(Node::is_element) {
                    match f.tag_name().name() {
                        "term_id" => t.id = text_of(f).trim().parse().unwrap_or(0),
                        "cat_name" | "tag_name" => t.name = text_of(f).trim().to_string(),
                        _ => {}
                    }
                }
                if t.id != 0 && !t.name.is_empty() {
                    export.terms.push(t);
                }
            }
            _ => {}
        }
    }
    Ok(export)
}

fn read_item(doc: &Document<'_>, node: Node<'_, '_>, line: usize) -> Result<Item, ReadError> {
    let mut item = Item {
        line,
        ..Item::default()
    };
    for c in node.children().filter(Node::is_element) {
        let (name, ns) = local(c);
        let wp = ns.is_some_and(is_wp);
        match (name, ns) {
            ("title", None) => item.title = text_of(c),
            ("link", None) => item.link = text_of(c).trim().to_string(),
            ("guid", None) => item.guid = text_of(c).trim().to_string(),
            ("creator", Some(_)) => item.creator = text_of(c).trim().to_string(),
            ("encoded", Some(ns)) if ns.contains("excerpt") => item.excerpt = text_of(c),
            ("encoded", Some(_)) => item.content = text_of(c),
            ("category", None) => item.terms.push(ItemTerm {
                domain: c.attribute("domain").unwrap_or_default().to_string(),
                nicename: c.attribute("nicename").unwrap_or_default().to_string(),
                name: text_of(c),
            }),
            ("post_id", _) if wp => {
                let t = text_of(c);
                item.id = Some(t.trim().parse().map_err(|_| {
                    err(
                        line_of(doc, c),
                        format!("wp:post_id {:?} is not a number", t.trim()),
                    )
                })?);
            }
            ("post_type", _) if wp => item.post_type = text_of(c).trim().to_string(),
            ("status", _) if wp => item.status = text_of(c).trim().to_string(),
            // WordPress protects a post whose password is any non-empty text.
            ("post_password", _) if wp => item.password_protected = !text_of(c).is_empty(),
            ("post_name", _) if wp => item.post_name = text_of(c).trim().to_string(),
            ("post_date", _) if wp => item.date = text_of(c).trim().to_string(),
            ("post_date_gmt", _) if wp => item.date_gmt = text_of(c).trim().to_string(),
            ("post_modified", _) if wp => item.modified = text_of(c).trim().to_string(),
            ("post_modified_gmt", _) if wp => item.modified_gmt = text_of(c).trim().to_string(),
            ("menu_order", _) if wp => item.menu_order = text_of(c).trim().parse().unwrap_or(0),
            ("postmeta", _) if wp => {
                let field = |n: &str| {
                    c.children()
                        .find(|f| f.is_element() && f.tag_name().name() == n)
                        .map(text_of)
                        .unwrap_or_default()
                };
                let key = field("meta_key");
                if key.trim().starts_with("_menu_item_") {
                    item.menu_meta.push((
                        key.trim().to_string(),
                        field("meta_value").trim().to_string(),
                    ));
                }
            }
            ("comment", _) if wp => {
                item.comments += 1;
                let approved = c
                    .children()
                    .any(|f| f.tag_name().name() == "comment_approved" && text_of(f).trim() == "1");
                if approved {
                    item.comments_approved += 1;
                }
            }
            _ => {}
        }
    }
    Ok(item)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:excerpt=\"http://wordpress.org/export/1.2/excerpt/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:wp=\"http://wordpress.org/export/1.2/\">\n<channel>\n";

    #[test]
    fn reads_a_small_export() {
        let text = format!(
            "{HEAD}<title>Blog &amp; co</title>\n<link>https://x.org</link>\n<wp:wxr_version>1.2</wp:wxr_version>\n<wp:author><wp:author_login><![CDATA[ada]]></wp:author_login><wp:author_display_name><![CDATA[Ada L]]></wp:author_display_name></wp:author>\n<item>\n<title>Hi</title>\n<dc:creator>ada</dc:creator>\n<content:encoded><![CDATA[<p>x</p>]]></content:encoded>\n<excerpt:encoded><![CDATA[ex]]></excerpt:encoded>\n<wp:post_id>7</wp:post_id>\n<category domain=\"post_tag\" nicename=\"r\"><![CDATA[R]]></category>\n<wp:comment><wp:comment_approved>1</wp:comment_approved></wp:comment>\n</item>\n</channel>\n</rss>\n"
        );
        let e = read(&text).unwrap();
        assert_eq!(e.title, "Blog & co");
        assert_eq!(e.authors[0].display_name, "Ada L");
        let item = &e.items[0];
        assert_eq!(item.line, 8);
        assert_eq!(item.id, Some(7));
        assert_eq!(item.content, "<p>x</p>");
        assert_eq!(item.excerpt, "ex");
        assert_eq!(item.terms[0].nicename, "r");
        assert_eq!((item.comments, item.comments_approved), (1, 1));
    }

    #[test]
    fn bad_input_names_its_line() {
        let e = read("<html><body/></html>").unwrap_err();
        assert!(e.message.contains("not a WordPress export"), "{e:?}");
        let e = read(&format!("{HEAD}<title>x</title>\n<item>\n<title>cut")).unwrap_err();
        assert!(e.message.contains("item> that starts at line 5"), "{e:?}");
        assert_eq!(e.line, 6);
        let e = read(&format!("{HEAD}<title>x</b>\n</channel></rss>")).unwrap_err();
        assert!(e.message.contains("not a readable XML file"), "{e:?}");
        assert_eq!(e.line, 4);
        let e = read(&format!(
            "{HEAD}<wp:wxr_version>9.9</wp:wxr_version>\n</channel></rss>"
        ))
        .unwrap_err();
        assert_eq!(e.line, 4);
        assert!(e.message.contains("unknown WXR version \"9.9\""), "{e:?}");
        let e = read("<rss><channel><title>feed</title></channel></rss>").unwrap_err();
        assert!(e.message.contains("wxr_version"), "{e:?}");
    }

    #[test]
    fn precheck_refuses_a_dtd_and_deep_nesting_and_nothing_else() {
        // The fixture's kinds of markup pass.
        let ok = format!(
            "{HEAD}<!-- c <x> --><title a=\"x>y\" b='<'/>\n<item><content:encoded><![CDATA[<div><div></div>]]></content:encoded><?pi <z> ?></item>\n</channel>\n</rss>\n"
        );
        assert_eq!(precheck(&ok), Ok(()));
        // Deep, at the line of the first element past the limit.
        let deep = format!(
            "{HEAD}<item>\n{}{}</item></channel></rss>",
            "<x>".repeat(MAX_XML_DEPTH),
            "</x>".repeat(MAX_XML_DEPTH)
        );
        let e = precheck(&deep).unwrap_err();
        assert_eq!(e.line, 5, "{e:?}");
        assert!(
            e.message
                .starts_with(&format!("elements nest deeper than {MAX_XML_DEPTH};")),
            "{e:?}"
        );
        // Exactly at the limit, and empty elements, pass.
        let at_limit = format!(
            "<a>{}{}</a>",
            "<x>".repeat(MAX_XML_DEPTH - 1),
            "</x><y/>".repeat(MAX_XML_DEPTH - 1)
        );
        assert_eq!(precheck(&at_limit), Ok(()));
        let e = read(&format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY a \"b\">]>\n{}",
            &HEAD[HEAD.find('\n').unwrap() + 1..]
        ))
        .unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.starts_with("the export declares a DTD"), "{e:?}");
        // Namespaces: the fixture's kind pass; too many in scope, on one element or
        // across several, are refused where they pass the limit.
        let decl = |from: usize, n: usize| -> String {
            (from..from + n)
                .map(|i| format!(" xmlns:n{i}=\"u{i}\""))
                .collect()
        };
        let ns = format!(
            "<rss{}>\n<a{} xmlns = \"d\">\n<b{}/>\n</a></rss>",
            decl(0, 20),
            decl(20, 20),
            decl(40, 9)
        );
        assert_eq!(precheck(&ns), Ok(()));
        let ns = ns.replace("<b", &format!("<b{}", decl(50, 1)));
        let e = precheck(&ns).unwrap_err();
        assert_eq!(e.line, 3, "{e:?}");
        assert!(
            e.message
                .starts_with("more than 50 XML namespaces are declared around this element"),
            "{e:?}"
        );
        let many = format!("<r><a{}/></r>", " b=\"=\"".repeat(MAX_XML_ATTRIBUTES + 1));
        let e = precheck(&many).unwrap_err();
        assert!(
            e.message
                .starts_with("an element has more than 100 attributes"),
            "{e:?}"
        );
        let enough = many.replacen(" b=\"=\"", "", 1);
        assert_eq!(precheck(&enough), Ok(()));
        // Those of a closed element are out of scope again.
        let ns = format!(
            "<r><a{}/><a{}></a><a{}/></r>",
            decl(0, 50),
            decl(0, 50),
            decl(0, 50)
        );
        assert_eq!(precheck(&ns), Ok(()));
        // Unterminated markup is left to the parser, which names it.
        for cut in [
            "<!-- never ends",
            "<![CDATA[ never",
            "<? never",
            "<a b=\"never",
        ] {
            assert_eq!(precheck(cut), Ok(()), "{cut}");
            assert!(read(cut).is_err(), "{cut}");
        }
    }

    #[test]
    fn a_password_is_noted_never_kept() {
        let text = format!(
            "{HEAD}<wp:wxr_version>1.2</wp:wxr_version>\n<item><wp:post_password><![CDATA[hunter2]]></wp:post_password></item>\n<item><wp:post_password><![CDATA[]]></wp:post_password></item>\n</channel>\n</rss>\n"
        );
        let e = read(&text).unwrap();
        assert!(e.items[0].password_protected);
        assert!(!e.items[1].password_protected);
        assert!(!format!("{e:?}").contains("hunter2"));
    }
}
