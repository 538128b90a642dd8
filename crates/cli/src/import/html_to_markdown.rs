//! WordPress post HTML → Markdown, through html5ever's parse tree (the `scraper` crate).
//!
//! Two kinds of content come out of WordPress:
//! - *classic* content has no `<p>`: WordPress makes paragraphs of text separated by a
//!   blank line and line breaks of single newlines when it shows the post; here the same
//!   happens on the parsed tree, so a blank line inside `<pre>` stays where it is;
//! - *block-editor* content wraps each block in `<!-- wp:… -->` comments and writes real
//!   HTML; the comments are dropped and whitespace counts as in a browser.
//!
//! `[caption]…[/caption]` becomes an image with its caption; other shortcodes stay as
//! visible text and are counted. Images and links into `wp-content/uploads` are listed.
//!
//! Post HTML comes from an export nobody here controls, so every pass is linear in its
//! length: shortcodes are read in one forward pass; the HTML parser builds its tree
//! through [`Guarded`], which stops it when elements nest deeper than [`MAX_HTML_DEPTH`]
//! (the parser's own work per tag grows with the depth) or when it has built more
//! elements than the text could hold (unclosed `<b>`, `<font>`… tags, which the HTML
//! standard reopens at every later paragraph, can make a few kilobytes build a tree of
//! gigabytes); and the conversion itself recurses at most [`MAX_DEPTH`] levels, reading
//! anything deeper as plain text. Plain text (titles, names) comes from the tokenizer
//! alone, which builds no tree.

use ego_tree::{NodeId, NodeRef};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName, local_name, ns};
use scraper::{Html, HtmlTreeSink, Node};
use std::borrow::Cow;
use std::cell::{Cell, Ref, RefCell};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Stands for a hard line break until a paragraph is finished.
const BREAK: char = '\u{E000}';

/// Shortcodes of WordPress itself: counted even when written bare (`[gallery]`).
const CORE_SHORTCODES: [&str; 7] = [
    "gallery",
    "audio",
    "video",
    "playlist",
    "embed",
    "caption",
    "wp_caption",
];

/// A converted post body and what was found in it.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Converted {
    pub markdown: String,
    /// Shortcode name → times seen (kept as text).
    pub shortcodes: BTreeMap<String, usize>,
    /// URLs into the old site's `wp-content/uploads`, in order of appearance, no repeats.
    pub media: Vec<String>,
}

/// HTML the converter will not read: the parser's work on it would grow faster than its
/// length. The message completes "its content …".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Elements nest deeper than [`MAX_HTML_DEPTH`].
    TooDeep,
    /// The parser built more elements than the budget for this length (unclosed
    /// formatting tags, reopened at every later paragraph).
    TooManyElements { budget: usize, bytes: usize },
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::TooDeep => write!(
                f,
                "nests HTML elements deeper than {MAX_HTML_DEPTH} (a post needs a few dozen at most)"
            ),
            Refused::TooManyElements { budget, bytes } => write!(
                f,
                "makes the HTML parser build more than {budget} elements out of {bytes} bytes (unclosed <b>, <em> or <font> tags, which every later paragraph reopens)"
            ),
        }
    }
}

/// How deep the HTML of a post may nest: deeper, the parser's work per tag (it walks
/// the open elements) makes a long post quadratic. Browsers stop nesting at 512.
pub const MAX_HTML_DEPTH: usize = 256;

/// How many bytes the parser is given at a time; between two, [`Guarded`]'s limits are
/// checked (a step can overshoot them by what one step's tags build).
const PARSE_STEP: usize = 256;

/// The most elements the parser may build for `bytes` bytes of HTML. A tag is three
/// bytes at least and a real paragraph far longer, so real content builds far fewer,
/// even with a tag left open that each later paragraph reopens; the limit keeps the
/// tree's memory (a few hundred bytes an element) linear in the text.
fn element_budget(bytes: usize) -> usize {
    bytes / 2 + 10_000
}

/// Whether the content was written with the block editor.
pub fn is_block_content(html: &str) -> bool {
    html.contains("<!-- wp:")
}

/// Converts a post's content (`content:encoded`) or excerpt.
pub fn convert(html: &str) -> Result<Converted, Refused> {
    let html = html.replace("\r\n", "\n");
    let classic = !is_block_content(&html);
    let html = captions_to_figures(&html);
    let doc = parse_guarded(&html)?;
    let mut c = Conv {
        classic,
        depth: 0,
        out: Converted::default(),
        media_seen: HashSet::new(),
    };
    let root = *doc.root_element();
    let mut blocks = Vec::new();
    c.blocks(root, &mut blocks);
    let mut markdown = blocks.join("\n\n");
    if !markdown.is_empty() {
        markdown.push('\n');
    }
    c.out.markdown = markdown;
    Ok(c.out)
}

/// Parses a fragment of HTML as `scraper::Html::parse_fragment` does, a step at a time
/// through [`Guarded`], and gives up when it goes past a limit.
fn parse_guarded(html: &str) -> Result<Html, Refused> {
    let sink = Guarded {
        inner: HtmlTreeSink::new(Html::new_fragment()),
        depths: RefCell::new(HashMap::new()),
        elements: Cell::new(0),
        too_deep: Cell::new(false),
    };
    let mut parser = html5ever::driver::parse_fragment(
        sink,
        Default::default(),
        QualName::new(None, ns!(html), local_name!("body")),
        Vec::new(),
        false,
    );
    let budget = element_budget(html.len());
    let mut at = 0;
    while at < html.len() {
        let mut end = (at + PARSE_STEP).min(html.len());
        while !html.is_char_boundary(end) {
            end += 1;
        }
        parser.process(StrTendril::from_slice(&html[at..end]));
        at = end;
        let sink = &parser.tokenizer.sink.sink;
        if sink.too_deep.get() {
            return Err(Refused::TooDeep);
        }
        if sink.elements.get() > budget {
            return Err(Refused::TooManyElements {
                budget,
                bytes: html.len(),
            });
        }
    }
    Ok(parser.finish())
}

/// scraper's tree sink, counting the elements the parser creates and how deep it
/// appends them (depths are noted when a node is appended; the adoption agency's
/// reparenting moves subtrees without an update, so they are close, not exact).
struct Guarded {
    inner: HtmlTreeSink,
    depths: RefCell<HashMap<NodeId, usize>>,
    elements: Cell<usize>,
    too_deep: Cell<bool>,
}

impl Guarded {
    fn depth(&self, node: &NodeId) -> usize {
        self.depths.borrow().get(node).copied().unwrap_or(0)
    }

    fn note(&self, child: &NodeOrText<NodeId>, depth: usize) {
        if let NodeOrText::AppendNode(id) = child {
            self.depths.borrow_mut().insert(*id, depth);
            if depth > MAX_HTML_DEPTH {
                self.too_deep.set(true);
            }
        }
    }
}

impl TreeSink for Guarded {
    type Handle = NodeId;
    type Output = Html;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Html {
        self.inner.finish()
    }
    fn parse_error(&self, msg: Cow<'static, str>) {
        self.inner.parse_error(msg)
    }
    fn get_document(&self) -> NodeId {
        self.inner.get_document()
    }
    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Ref<'a, QualName> {
        self.inner.elem_name(target)
    }
    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        self.elements.set(self.elements.get() + 1);
        self.inner.create_element(name, attrs, flags)
    }
    fn create_comment(&self, text: StrTendril) -> NodeId {
        self.inner.create_comment(text)
    }
    fn create_pi(&self, target: StrTendril, data: StrTendril) -> NodeId {
        self.inner.create_pi(target, data)
    }
    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        self.note(&child, self.depth(parent) + 1);
        self.inner.append(parent, child)
    }
    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        let depth = self.depth(element).max(self.depth(prev_element) + 1);
        self.note(&child, depth);
        self.inner
            .append_based_on_parent_node(element, prev_element, child)
    }
    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.inner
            .append_doctype_to_document(name, public_id, system_id)
    }
    fn mark_script_already_started(&self, node: &NodeId) {
        self.inner.mark_script_already_started(node)
    }
    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        self.inner.get_template_contents(target)
    }
    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        self.inner.same_node(x, y)
    }
    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode)
    }
    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        self.note(&new_node, self.depth(sibling));
        self.inner.append_before_sibling(sibling, new_node)
    }
    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        self.inner.add_attrs_if_missing(target, attrs)
    }
    fn remove_from_parent(&self, target: &NodeId) {
        self.inner.remove_from_parent(target)
    }
    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        self.inner.reparent_children(node, new_parent)
    }
}

/// Plain text of an HTML snippet, entities decoded, whitespace collapsed (titles,
/// names, descriptions). Read by the HTML tokenizer alone, in one pass: no tree is
/// built, so no markup can make it slow.
pub fn plain_text(html: &str) -> String {
    /// Keeps the text of the tokens; switches the tokenizer into raw text after the
    /// tags whose content is text (as the tree builder would tell it to).
    struct Text(RefCell<String>);
    impl TokenSink for Text {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            use html5ever::tokenizer::states::RawKind;
            match token {
                Token::CharacterTokens(t) => self.0.borrow_mut().push_str(&t),
                Token::TagToken(tag) if tag.kind == TagKind::StartTag && !tag.self_closing => {
                    return match &*tag.name {
                        "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
                        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                            TokenSinkResult::RawData(RawKind::Rawtext)
                        }
                        "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                        "plaintext" => TokenSinkResult::Plaintext,
                        _ => TokenSinkResult::Continue,
                    };
                }
                _ => {}
            }
            TokenSinkResult::Continue
        }
    }
    let tokenizer = Tokenizer::new(Text(RefCell::new(String::new())), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    // The sink never asks the tokenizer to pause for a script, so one feed reads it all.
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let text = tokenizer.sink.0.borrow();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Rewrites `[caption …]<img …> Text[/caption]` as `<figure>` (with the `caption="…"`
/// attribute, if any, as `<figcaption>`), by reading the shortcode syntax.
///
/// One forward pass: an opening tag ends at the first `]` and holds no `[` (WordPress's
/// own shortcode syntax), so no bracket is read twice; the search for each name's
/// closing tag resumes where the last one stopped.
fn captions_to_figures(html: &str) -> String {
    const NAMES: [&str; 2] = ["caption", "wp_caption"];
    let mut out = String::with_capacity(html.len());
    // Per name: where its next `[/name]` is (searched from `searched`), `None` if none.
    let mut closes: [(usize, Option<usize>); 2] = [(0, Some(0)); 2];
    let mut copied = 0;
    let mut at = 0;
    while let Some(i) = html[at..].find('[') {
        let start = at + i;
        at = start + 1;
        let Some((k, name)) = NAMES.iter().enumerate().find(|(_, n)| {
            html[start + 1..].starts_with(**n)
                && matches!(html.as_bytes().get(start + 1 + n.len()), Some(b' ' | b']'))
        }) else {
            continue;
        };
        let attrs_at = start + 1 + name.len();
        let Some(tag_end) = html[attrs_at..]
            .find(['[', ']'])
            .map(|e| attrs_at + e)
            .filter(|&e| html.as_bytes()[e] == b']')
        else {
            continue;
        };
        let close = format!("[/{name}]");
        let (searched, next) = &mut closes[k];
        if next.is_some_and(|c| c < tag_end) {
            let from = (*searched).max(tag_end);
            *next = html[from..].find(&close).map(|e| from + e);
            *searched = from;
        }
        let Some(close_at) = *next else {
            continue;
        };
        let inner = &html[tag_end + 1..close_at];
        out.push_str(&html[copied..start]);
        out.push_str("<figure>");
        out.push_str(inner);
        if let Some(caption) = shortcode_attr(&html[attrs_at..tag_end], "caption") {
            out.push_str("<figcaption>");
            out.push_str(&caption);
            out.push_str("</figcaption>");
        }
        out.push_str("</figure>");
        copied = close_at + close.len();
        at = copied;
    }
    out.push_str(&html[copied..]);
    out
}

/// The value of `name="…"` (or `'…'`) in a shortcode's attributes.
fn shortcode_attr(attrs: &str, name: &str) -> Option<String> {
    let mut at = 0;
    while let Some(i) = attrs[at..].find(name) {
        let i = at + i;
        let before_ok = i == 0 || attrs[..i].ends_with(char::is_whitespace);
        let rest = attrs[i + name.len()..].trim_start();
        if before_ok && let Some(rest) = rest.strip_prefix('=') {
            let rest = rest.trim_start();
            let q = rest.chars().next()?;
            if q == '"' || q == '\'' {
                return rest[1..].split(q).next().map(str::to_string);
            }
            return rest.split_whitespace().next().map(str::to_string);
        }
        at = i + name.len();
    }
    None
}

/// Elements nested deeper than this are read as plain text (no stack overflow on
/// hostile input).
const MAX_DEPTH: usize = 100;

struct Conv {
    classic: bool,
    /// Current nesting of `blocks`, `figure` and `inline` calls.
    depth: usize,
    out: Converted,
    /// The URLs in `out.media`, to keep it free of repeats in constant time.
    media_seen: HashSet<String>,
}

fn element_name(node: NodeRef<'_, Node>) -> Option<&str> {
    node.value().as_element().map(|e| e.name())
}

fn attr<'a>(node: NodeRef<'a, Node>, name: &str) -> Option<&'a str> {
    node.value().as_element().and_then(|e| e.attr(name))
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "blockquote"
            | "pre"
            | "table"
            | "figure"
            | "hr"
            | "div"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "aside"
            | "main"
            | "nav"
            | "center"
            | "details"
            | "summary"
            | "dl"
            | "dt"
            | "dd"
            | "address"
            | "iframe"
            | "video"
            | "audio"
            | "object"
            | "embed"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "form"
    )
}

/// All the text under a node, as written (for code).
fn raw_text(node: NodeRef<'_, Node>) -> String {
    let mut s = String::new();
    for d in node.descendants() {
        if let Some(t) = d.value().as_text() {
            s.push_str(t);
        } else if element_name(d) == Some("br") {
            s.push('\n');
        }
    }
    s
}

/// The code language from `class="language-rust"` (or `lang-rust`) on a node.
fn code_language(node: NodeRef<'_, Node>) -> Option<String> {
    let class = attr(node, "class")?;
    class.split_whitespace().find_map(|c| {
        c.strip_prefix("language-")
            .or_else(|| c.strip_prefix("lang-"))
            .filter(|l| {
                !l.is_empty()
                    && l.chars()
                        .all(|ch| ch.is_alphanumeric() || "+-_#.".contains(ch))
            })
            .map(str::to_string)
    })
}

fn fence_for(code: &str, ch: char) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in code.chars() {
        if c == ch {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    ch.to_string().repeat((longest + 1).max(3))
}

fn code_span(code: &str) -> String {
    let code = code.replace('\n', " ");
    let mut longest = 0;
    let mut run = 0;
    for c in code.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let ticks = "`".repeat(longest + 1);
    let pad = if code.starts_with('`') || code.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{code}{pad}{ticks}")
}

/// A link or image destination: spaces, parentheses and angle brackets percent-encoded.
pub(crate) fn destination(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.trim().chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn title_attr(title: &str) -> String {
    let t = title.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() {
        String::new()
    } else {
        format!(" \"{}\"", t.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// Escapes Markdown's inline syntax in text.
fn escape_text(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let needs = match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '~' | '|' => true,
            '_' => {
                !(prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric))
            }
            '&' => next.is_some_and(|n| n.is_alphanumeric() || n == '#'),
            _ => false,
        };
        if needs {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escapes what would start a block at the beginning of a paragraph's line.
fn escape_line_start(line: &str) -> String {
    let t = line.trim_start();
    let first = t.chars().next();
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    let after_digits = t[digits..].chars().next();
    let block_start = matches!(first, Some('#' | '>' | '-' | '+' | '='))
        || (digits > 0 && matches!(after_digits, Some('.' | ')')));
    if !block_start {
        return t.to_string();
    }
    if digits > 0 {
        format!("{}\\{}", &t[..digits], &t[digits..])
    } else {
        format!("\\{t}")
    }
}

/// Wraps inline Markdown in a delimiter, keeping outer spaces outside it.
fn wrap(inner: &str, delim: &str) -> String {
    let trimmed = inner.trim_matches(|c: char| c == ' ' || c == BREAK);
    if trimmed.is_empty() {
        return inner.to_string();
    }
    let start = inner.len() - inner.trim_start_matches([' ', BREAK]).len();
    let end = inner.trim_end_matches([' ', BREAK]).len();
    format!(
        "{}{delim}{trimmed}{delim}{}",
        &inner[..start],
        &inner[end..]
    )
}

/// Turns a paragraph's collected inline Markdown into its final text.
fn finish_paragraph(inline: &str) -> String {
    let t = inline.trim_matches(|c: char| c.is_whitespace() || c == BREAK);
    let lines: Vec<String> = t
        .split(BREAK)
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .map(|l| escape_line_start(&l))
        .collect();
    lines.join("\\\n")
}

fn indent(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 || l.is_empty() {
                l.to_string()
            } else {
                format!("{pad}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

impl Conv {
    /// Counts the shortcodes in a text: `[name]`, `[name attrs]` or `[name /]` whose name
    /// is WordPress's own, or which has an `=` in its attributes, or whose `[/name]`
    /// closes it in the same text. One pass: the attributes end at the first `]` and hold
    /// no `[` (WordPress's syntax), and the closing names are collected once.
    fn note_shortcodes(&mut self, text: &str) {
        let name_len = |s: &str| {
            s.bytes()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
                .count()
        };
        let mut closed: Option<HashSet<&str>> = None;
        let mut at = 0;
        while let Some(i) = text[at..].find('[') {
            let start = at + i + 1;
            at = start;
            let name = &text[start..start + name_len(&text[start..])];
            if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
                continue;
            }
            let after = &text[start + name.len()..];
            let Some(end) = after
                .find(['[', ']'])
                .filter(|&e| after.as_bytes()[e] == b']')
            else {
                continue;
            };
            let attrs = &after[..end];
            if !(attrs.is_empty() || attrs.starts_with(' ') || attrs == " /" || attrs == "/") {
                continue;
            }
            let known = CORE_SHORTCODES.contains(&name)
                || attrs.contains('=')
                || closed
                    .get_or_insert_with(|| {
                        text.match_indices("[/")
                            .map(|(j, _)| &text[j + 2..])
                            .filter_map(|r| {
                                let n = name_len(r);
                                (r.as_bytes().get(n) == Some(&b']')).then(|| &r[..n])
                            })
                            .collect()
                    })
                    .contains(name);
            if known {
                *self.out.shortcodes.entry(name.to_string()).or_default() += 1;
            }
        }
    }

    fn note_media(&mut self, url: &str) {
        if url.contains("/wp-content/uploads/") && self.media_seen.insert(url.to_string()) {
            self.out.media.push(url.to_string());
        }
    }

    /// Text as inline Markdown: whitespace collapsed; with `breaks`, a newline is a hard
    /// line break (classic content).
    fn text(&mut self, text: &str, breaks: bool) -> String {
        self.note_shortcodes(text);
        let mut out = String::with_capacity(text.len());
        let mut space: Option<bool> = None; // Some(has newline)
        let mut word = String::new();
        let flush_word = |word: &mut String, out: &mut String| {
            out.push_str(&escape_text(word));
            word.clear();
        };
        for c in text.chars() {
            if c.is_whitespace() && c != '\u{a0}' {
                flush_word(&mut word, &mut out);
                let nl = c == '\n';
                space = Some(space.unwrap_or(false) || nl);
            } else {
                if let Some(nl) = space.take() {
                    out.push(if nl && breaks { BREAK } else { ' ' });
                }
                word.push(c);
            }
        }
        flush_word(&mut word, &mut out);
        if let Some(nl) = space {
            out.push(if nl && breaks { BREAK } else { ' ' });
        }
        out
    }

    /// The blocks of a container's children, appended to `out`.
    fn blocks(&mut self, node: NodeRef<'_, Node>, out: &mut Vec<String>) {
        if self.depth >= MAX_DEPTH {
            let text = finish_paragraph(&escape_text(&raw_text(node)));
            if !text.is_empty() {
                out.push(text);
            }
            return;
        }
        self.depth += 1;
        self.blocks_inner(node, out);
        self.depth -= 1;
    }

    fn blocks_inner(&mut self, node: NodeRef<'_, Node>, out: &mut Vec<String>) {
        let mut inline = String::new();
        let flush = |inline: &mut String, out: &mut Vec<String>| {
            let p = finish_paragraph(inline);
            if !p.is_empty() {
                out.push(p);
            }
            inline.clear();
        };
        for child in node.children() {
            match child.value() {
                Node::Comment(c) if c.trim().eq_ignore_ascii_case("more") => {
                    flush(&mut inline, out);
                    out.push("<!--more-->".into());
                }
                Node::Text(t) => {
                    if self.classic {
                        // A blank line ends a paragraph.
                        let parts: Vec<&str> = split_blank_lines(t);
                        for (i, part) in parts.iter().enumerate() {
                            if i > 0 {
                                flush(&mut inline, out);
                            }
                            let s = self.text(part, true);
                            inline.push_str(&s);
                        }
                    } else {
                        let s = self.text(t, false);
                        inline.push_str(&s);
                    }
                }
                Node::Element(e) if is_block(e.name()) => {
                    flush(&mut inline, out);
                    self.block(child, e.name(), out);
                }
                Node::Element(_) => {
                    let s = self.inline(child);
                    inline.push_str(&s);
                }
                _ => {}
            }
        }
        flush(&mut inline, out);
    }

    fn block(&mut self, node: NodeRef<'_, Node>, name: &str, out: &mut Vec<String>) {
        match name {
            "p" | "dt" | "dd" | "summary" | "address" => {
                let mut inner = Vec::new();
                self.blocks(node, &mut inner);
                out.extend(inner);
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = name[1..].parse::<usize>().unwrap_or(2);
                let text = self.inline_children(node);
                let text = text
                    .replace(BREAK, " ")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                if !text.is_empty() {
                    out.push(format!("{} {text}", "#".repeat(level)));
                }
            }
            "ul" | "ol" => {
                let list = self.list(node, name == "ol");
                if !list.is_empty() {
                    out.push(list);
                }
            }
            "blockquote" => {
                let mut inner = Vec::new();
                self.blocks(node, &mut inner);
                if !inner.is_empty() {
                    let text = inner.join("\n\n");
                    out.push(
                        text.lines()
                            .map(|l| {
                                if l.is_empty() {
                                    ">".to_string()
                                } else {
                                    format!("> {l}")
                                }
                            })
                            .collect::<Vec<_>>()
                            .join("\n"),
                    );
                }
            }
            "pre" => {
                let code_el = node.children().find(|c| element_name(*c) == Some("code"));
                let lang = code_language(node)
                    .or_else(|| code_el.and_then(code_language))
                    .unwrap_or_default();
                let code = raw_text(node);
                let code = code.strip_prefix('\n').unwrap_or(&code).trim_end();
                let fence = fence_for(code, '`');
                out.push(format!("{fence}{lang}\n{code}\n{fence}"));
            }
            "table" => {
                if let Some(t) = self.table(node) {
                    out.push(t);
                }
            }
            "figure" => self.figure(node, out),
            "hr" => out.push("---".into()),
            "iframe" | "video" | "audio" | "embed" | "object" => {
                let src = attr(node, "src")
                    .or_else(|| attr(node, "data"))
                    .or_else(|| {
                        node.descendants()
                            .find(|d| element_name(*d) == Some("source"))
                            .and_then(|d| attr(d, "src"))
                    });
                if let Some(src) = src.filter(|s| !s.trim().is_empty()) {
                    self.note_media(src);
                    out.push(format!("<{}>", destination(src)));
                }
            }
            "script" | "style" | "noscript" | "template" | "form" => {}
            _ => {
                // Containers: div, section, details, dl…
                let mut inner = Vec::new();
                self.blocks(node, &mut inner);
                out.extend(inner);
            }
        }
    }

    /// A figure: its image and caption, or its blocks. Figures hold blocks, so this
    /// counts as a level of nesting as `blocks` does.
    fn figure(&mut self, node: NodeRef<'_, Node>, out: &mut Vec<String>) {
        if self.depth >= MAX_DEPTH {
            let text = finish_paragraph(&escape_text(&raw_text(node)));
            if !text.is_empty() {
                out.push(text);
            }
            return;
        }
        self.depth += 1;
        self.figure_inner(node, out);
        self.depth -= 1;
    }

    fn figure_inner(&mut self, node: NodeRef<'_, Node>, out: &mut Vec<String>) {
        let img = node.descendants().find(|d| element_name(*d) == Some("img"));
        let caption_el = node
            .descendants()
            .find(|d| element_name(*d) == Some("figcaption"));
        let Some(img) = img else {
            // Tables, quotes, embeds: their content, then the caption.
            for child in node.children() {
                if element_name(child) == Some("figcaption") {
                    continue;
                }
                match child.value() {
                    Node::Element(e) if is_block(e.name()) => self.block(child, e.name(), out),
                    _ => {
                        let s = match child.value() {
                            Node::Text(t) => self.text(t, false),
                            Node::Element(_) => self.inline(child),
                            _ => String::new(),
                        };
                        let s = s.trim();
                        if s.starts_with("http://") || s.starts_with("https://") {
                            out.push(format!("<{}>", destination(s)));
                        } else if !s.is_empty() {
                            out.push(finish_paragraph(s));
                        }
                    }
                }
            }
            if let Some(c) = caption_el {
                let text = finish_paragraph(&self.inline_children(c));
                if !text.is_empty() {
                    out.push(wrap(&text, "_"));
                }
            }
            return;
        };
        // The caption: the figcaption, else the text around the image ([caption]).
        let caption = match caption_el {
            Some(c) => self.inline_children(c),
            None => {
                let mut s = String::new();
                for d in node.children() {
                    if d.descendants().any(|x| x.id() == img.id()) {
                        continue;
                    }
                    s.push_str(&match d.value() {
                        Node::Text(t) => self.text(t, false),
                        Node::Element(_) => self.inline(d),
                        _ => String::new(),
                    });
                }
                s
            }
        };
        let caption = caption
            .replace(BREAK, " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let caption_plain: String = match caption_el {
            Some(c) => raw_text(c),
            None => node
                .children()
                .filter(|d| !d.descendants().any(|x| x.id() == img.id()))
                .map(raw_text)
                .collect(),
        };
        let caption_plain = caption_plain
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let image = self.image(img, Some(&caption_plain));
        let link = img
            .ancestors()
            .take_while(|a| a.id() != node.id())
            .find(|a| element_name(*a) == Some("a"))
            .and_then(|a| attr(a, "href"))
            .filter(|h| !h.trim().is_empty());
        let image = match link {
            Some(href) => {
                self.note_media(href);
                format!("[{image}]({})", destination(href))
            }
            None => image,
        };
        if caption.is_empty() {
            out.push(image);
        } else {
            out.push(format!("{image}\\\n{}", wrap(&caption, "_")));
        }
    }

    fn image(&mut self, img: NodeRef<'_, Node>, title: Option<&str>) -> String {
        let src = attr(img, "src").unwrap_or_default();
        self.note_media(src);
        let alt = attr(img, "alt").unwrap_or_default();
        let alt = escape_text(&alt.split_whitespace().collect::<Vec<_>>().join(" "));
        let title = title
            .filter(|t| !t.is_empty())
            .or_else(|| attr(img, "title"))
            .map(title_attr)
            .unwrap_or_default();
        format!("![{alt}]({}{title})", destination(src))
    }

    fn list(&mut self, node: NodeRef<'_, Node>, ordered: bool) -> String {
        let lis: Vec<NodeRef<'_, Node>> = node
            .children()
            .filter(|c| element_name(*c) == Some("li"))
            .collect();
        // Markdown reads a list number of nine digits at most: the last item's fits.
        const LAST: u64 = 999_999_999;
        let start: u64 = attr(node, "start")
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(1)
            .min(LAST.saturating_sub(lis.len().saturating_sub(1) as u64));
        let mut items = Vec::new();
        for (n, li) in (start..).zip(lis) {
            let marker = if ordered {
                format!("{n}. ")
            } else {
                "- ".to_string()
            };
            let mut blocks = Vec::new();
            self.blocks(li, &mut blocks);
            let mut body = String::new();
            for (i, b) in blocks.iter().enumerate() {
                if i > 0 {
                    let nested = b.starts_with("- ")
                        || b.split_once(". ").is_some_and(|(d, _)| {
                            !d.is_empty() && d.chars().all(|c| c.is_ascii_digit())
                        });
                    body.push_str(if nested { "\n" } else { "\n\n" });
                }
                body.push_str(b);
            }
            items.push(format!("{marker}{}", indent(&body, marker.len())));
        }
        items.join("\n")
    }

    fn table(&mut self, node: NodeRef<'_, Node>) -> Option<String> {
        let rows: Vec<NodeRef<'_, Node>> = node
            .descendants()
            .filter(|d| {
                element_name(*d) == Some("tr")
                    && d.ancestors()
                        .find(|a| element_name(*a) == Some("table"))
                        .is_some_and(|t| t.id() == node.id())
            })
            .collect();
        let mut cells: Vec<Vec<String>> = Vec::new();
        for row in rows {
            let mut r = Vec::new();
            for cell in row
                .children()
                .filter(|c| matches!(element_name(*c), Some("td" | "th")))
            {
                let text = self.inline_children(cell).replace(BREAK, " ");
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                r.push(text);
            }
            cells.push(r);
        }
        let cols = cells.iter().map(Vec::len).max().unwrap_or(0);
        if cols == 0 {
            return None;
        }
        let line = |r: &[String]| {
            let mut s = String::from("|");
            for i in 0..cols {
                s.push(' ');
                s.push_str(r.get(i).map_or("", String::as_str));
                s.push_str(" |");
            }
            s
        };
        let mut out = vec![line(&cells[0]), format!("|{}", " --- |".repeat(cols))];
        out.extend(cells[1..].iter().map(|r| line(r)));
        Some(out.join("\n"))
    }

    fn inline_children(&mut self, node: NodeRef<'_, Node>) -> String {
        let mut s = String::new();
        for child in node.children() {
            match child.value() {
                Node::Text(t) => {
                    let breaks = self.classic;
                    s.push_str(&self.text(t, breaks));
                }
                Node::Element(_) => s.push_str(&self.inline(child)),
                _ => {}
            }
        }
        s
    }

    fn inline(&mut self, node: NodeRef<'_, Node>) -> String {
        if self.depth >= MAX_DEPTH {
            return escape_text(
                &raw_text(node)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        }
        self.depth += 1;
        let s = self.inline_inner(node);
        self.depth -= 1;
        s
    }

    fn inline_inner(&mut self, node: NodeRef<'_, Node>) -> String {
        let Some(name) = element_name(node) else {
            return String::new();
        };
        match name {
            "br" => BREAK.to_string(),
            "em" | "i" | "cite" | "var" | "dfn" => wrap(&self.inline_children(node), "*"),
            "strong" | "b" => wrap(&self.inline_children(node), "**"),
            "del" | "s" | "strike" => wrap(&self.inline_children(node), "~~"),
            "code" | "kbd" | "tt" | "samp" => {
                let code = raw_text(node);
                if code.is_empty() {
                    String::new()
                } else {
                    code_span(&code)
                }
            }
            "img" => {
                let title = attr(node, "title").map(str::to_string);
                self.image(node, title.as_deref())
            }
            "a" => {
                let text = self.inline_children(node);
                let href = attr(node, "href").map(str::trim).unwrap_or_default();
                if href.is_empty() {
                    return text;
                }
                self.note_media(href);
                let text = if text.trim_matches([' ', BREAK]).is_empty() {
                    escape_text(href)
                } else {
                    text.replace(BREAK, " ")
                };
                let title = attr(node, "title").map(title_attr).unwrap_or_default();
                {
                    let lead = if text.starts_with(' ') { " " } else { "" };
                    let trail = if text.ends_with(' ') { " " } else { "" };
                    format!(
                        "{lead}[{}]({}{title}){trail}",
                        text.trim(),
                        destination(href)
                    )
                }
            }
            "q" => format!("“{}”", self.inline_children(node)),
            "script" | "style" | "noscript" | "template" | "input" | "button" | "select"
            | "textarea" => String::new(),
            _ => self.inline_children(node),
        }
    }
}

/// Splits text at blank lines (a newline, optional spaces, a newline).
fn split_blank_lines(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\n' {
            let mut j = i + 1;
            while j < bytes.len() && matches!(bytes[j], b' ' | b'\t') {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'\n' {
                parts.push(&text[start..i]);
                while j < bytes.len() && matches!(bytes[j], b' ' | b'\t' | b'\n') {
                    j += 1;
                }
                start = j;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    parts.push(&text[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(html: &str) -> String {
        convert(html).unwrap().markdown
    }

    #[test]
    fn classic_paragraphs_and_breaks() {
        assert_eq!(
            md("First line\nsecond line\n\nNext <em>para</em>.\n\n\n<strong>Bold</strong> end"),
            "First line\\\nsecond line\n\nNext *para*.\n\n**Bold** end\n"
        );
        // A blank line inside <pre> is kept; the code is not escaped.
        assert_eq!(
            md("Intro\n\n<pre class=\"language-rust\">fn a() {}\n\nfn b_c() {}</pre>\n\nAfter"),
            "Intro\n\n```rust\nfn a() {}\n\nfn b_c() {}\n```\n\nAfter\n"
        );
    }

    #[test]
    fn block_editor_content() {
        let html = "<!-- wp:heading -->\n<h2 class=\"wp-block-heading\">A &amp; B</h2>\n<!-- /wp:heading -->\n\n<!-- wp:paragraph -->\n<p>Some\ntext with a<a href=\"https://x.org/a b\"> link</a>.</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:list -->\n<ul><li>one</li><li>two<ul><li>deep</li></ul></li></ul>\n<!-- /wp:list -->\n\n<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->\n\n<!-- wp:quote -->\n<blockquote class=\"wp-block-quote\"><p>Quoted</p><cite>Someone</cite></blockquote>\n<!-- /wp:quote -->";
        assert_eq!(
            md(html),
            "## A & B\n\nSome text with a [link](https://x.org/a%20b).\n\n- one\n- two\n  - deep\n\n<!--more-->\n\n> Quoted\n>\n> *Someone*\n"
        );
    }

    #[test]
    fn tables_ordered_lists_code() {
        let html = "<!-- wp:table --><figure class=\"wp-block-table\"><table><thead><tr><th>Name</th><th>a|b</th></tr></thead><tbody><tr><td><code>x_y</code></td><td>2</td></tr></tbody></table><figcaption>Numbers</figcaption></figure><!-- /wp:table --><!-- wp:list --><ol start=\"3\"><li>three</li><li>four</li></ol><!-- /wp:list -->";
        assert_eq!(
            md(html),
            "| Name | a\\|b |\n| --- | --- |\n| `x_y` | 2 |\n\n_Numbers_\n\n3. three\n4. four\n"
        );
    }

    #[test]
    fn captions_and_images() {
        let html = "Before\n\n[caption id=\"attachment_7\" align=\"aligncenter\" width=\"300\"]<a href=\"https://old.example/wp-content/uploads/2019/08/cat.jpg\"><img src=\"https://old.example/wp-content/uploads/2019/08/cat-300x200.jpg\" alt=\"A cat\" /></a> The <em>cat</em>, asleep[/caption]\n\nAfter";
        let c = convert(html).unwrap();
        assert_eq!(
            c.markdown,
            "Before\n\n[![A cat](https://old.example/wp-content/uploads/2019/08/cat-300x200.jpg \"The cat, asleep\")](https://old.example/wp-content/uploads/2019/08/cat.jpg)\\\n_The *cat*, asleep_\n\nAfter\n"
        );
        assert_eq!(c.media.len(), 2);
        assert!(c.shortcodes.is_empty(), "{:?}", c.shortcodes);
    }

    #[test]
    fn shortcodes_stay_visible_and_are_counted() {
        let c = convert("See [gallery ids=\"1,2\"] and [sic] and [footnote]x[/footnote].").unwrap();
        assert_eq!(
            c.markdown,
            "See \\[gallery ids=\"1,2\"\\] and \\[sic\\] and \\[footnote\\]x\\[/footnote\\].\n"
        );
        let names: Vec<&str> = c.shortcodes.keys().map(String::as_str).collect();
        assert_eq!(names, ["footnote", "gallery"]);
    }

    /// Random soups of tags, shortcodes and entities: converted or refused, never a panic.
    #[test]
    fn random_soup_never_panics() {
        const PARTS: [&str; 32] = [
            "<div>",
            "</div>",
            "<p>",
            "</p>",
            "<b>",
            "</b>",
            "<i>",
            "<figure>",
            "</figure>",
            "<figcaption>",
            "<img src=\"/wp-content/uploads/a.png\">",
            "<a href=\"x\">",
            "</a>",
            "<ul>",
            "<li>",
            "</ul>",
            "<ol start=\"99999999999\">",
            "<table>",
            "<tr>",
            "<td>",
            "<pre>",
            "<code>",
            "[caption]",
            "[/caption]",
            "[wp_caption caption=\"c\"]",
            "[a ",
            "]",
            "[/a]",
            "&amp;",
            "&#x1F600;",
            "\n\n",
            "text é ",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..500 {
            let mut html = String::new();
            for _ in 0..(seed % 200) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                html.push_str(PARTS[(seed % PARTS.len() as u64) as usize]);
            }
            let _ = convert(&html);
            let _ = plain_text(&html);
        }
    }

    #[test]
    fn list_numbers_stay_numbers() {
        assert_eq!(
            md("<ol start=\"18446744073709551615\"><li>a</li><li>b</li></ol>"),
            "999999998. a\n999999999. b\n"
        );
        assert_eq!(md("<ol start=\"-3\"><li>a</li></ol>"), "1. a\n");
    }

    #[test]
    fn text_that_looks_like_markdown_is_escaped() {
        assert_eq!(
            md("# not a heading\n\n1. not a list *really* a_b _c_ &amp;copy;"),
            "\\# not a heading\n\n1\\. not a list \\*really\\* a_b \\_c\\_ \\&copy;\n"
        );
    }

    #[test]
    fn deep_nesting_and_broken_html_do_not_fail() {
        // Up to the limit, converted (past MAX_DEPTH as plain text).
        let deep = format!(
            "{}x{}",
            "<div><blockquote><ul><li>".repeat(60),
            "</li></ul></blockquote></div>".repeat(60)
        );
        assert!(convert(&deep).unwrap().markdown.contains('x'));
        let deep_inline = format!(
            "{}y{}",
            "<em><span>".repeat(120),
            "</span></em>".repeat(120)
        );
        assert!(convert(&deep_inline).unwrap().markdown.contains('y'));
        let figures = format!("{}z{}", "<figure>".repeat(250), "</figure>".repeat(250));
        assert!(convert(&figures).unwrap().markdown.contains('z'));
        // Past it, refused, unclosed too.
        for html in [
            "<div><blockquote><ul><li>".repeat(500),
            "<em><span>".repeat(1000),
            "<figure>".repeat(MAX_HTML_DEPTH + 1),
            "<b>".repeat(5000),
        ] {
            assert_eq!(convert(&html), Err(Refused::TooDeep), "{}", &html[..30]);
        }
        for broken in [
            "<table><tr><td>a",
            "<ul><li>a<li>b",
            "<pre>",
            "[caption]",
            "[caption]<img>[/caption",
            "<a href=>x</a>",
            "<img>",
            "\u{0}<p>\r\n</p>",
        ] {
            let _ = convert(broken);
        }
    }

    /// Fed a step at a time, the parser builds the tree it builds from the whole text.
    #[test]
    fn the_guarded_parse_builds_the_same_tree() {
        let mut html = String::new();
        for i in 0..40 {
            html.push_str(&format!(
                "<p>Caf\u{e9} {i} &amp; &notin &#x1F600; <b>bold<i>both</b> it</i>\r\n<table><td>c{i}<tr><td>d</table><ul><li>a<li>b</ul><!-- c --><script>if (a < b) {{}}</script></p>"
            ));
        }
        assert!(html.len() > 10 * PARSE_STEP);
        for cut in [0, 1, 2, 3, 5, 8, 11] {
            let h = &html[cut..];
            assert_eq!(
                parse_guarded(h).unwrap().html(),
                Html::parse_fragment(h).html()
            );
        }
    }

    /// Formatting tags left open are reopened in every later paragraph (the HTML
    /// standard's "reconstruct the active formatting elements"): `n` of them and `m`
    /// paragraphs build n × m elements unless the budget stops the parser.
    #[test]
    fn reopened_formatting_tags_are_refused_not_built() {
        let n = MAX_HTML_DEPTH - 10;
        let html = format!(
            "<div>{}</div>{}",
            (0..n)
                .map(|i| format!("<b id=\"{i}\">"))
                .collect::<String>(),
            "<div>x</div>".repeat(20_000)
        );
        assert!(matches!(
            convert(&html),
            Err(Refused::TooManyElements { .. })
        ));
        // A few unclosed tags in a long post are fine.
        let html = format!("<b>a<i>b{}", "<p>x</p>".repeat(5000));
        assert!(convert(&html).is_ok());
    }

    #[test]
    fn shortcodes_and_captions_are_read_in_one_pass() {
        // Brackets that never close, and openers without a closer, are text.
        let c = convert(&"[a [caption x".repeat(3)).unwrap();
        assert!(c.shortcodes.is_empty(), "{:?}", c.shortcodes);
        // A closer anywhere in the text makes a name a shortcode.
        let c = convert("[note] one [note] two [/note]").unwrap();
        assert_eq!(c.shortcodes.get("note"), Some(&2));
        // Captions after one that is never closed, and of the other name, still convert.
        let html = "[caption]<img src=\"a.png\"> A[/caption] [caption] open [wp_caption]<img src=\"b.png\"> B[/wp_caption]";
        assert_eq!(
            captions_to_figures(html),
            "<figure><img src=\"a.png\"> A</figure> [caption] open <figure><img src=\"b.png\"> B</figure>"
        );
        let html = "[caption caption=\"Cap\"]<img src=\"c.png\">[/caption][caption]<img src=\"d.png\">D[/caption]";
        assert_eq!(
            captions_to_figures(html),
            "<figure><img src=\"c.png\"><figcaption>Cap</figcaption></figure><figure><img src=\"d.png\">D</figure>"
        );
        // Repeated media is listed once.
        let c = convert(&"<img src=\"https://x.org/wp-content/uploads/a.png\">".repeat(3)).unwrap();
        assert_eq!(c.media, ["https://x.org/wp-content/uploads/a.png"]);
    }

    #[test]
    fn plain_text_decodes_entities() {
        assert_eq!(
            plain_text("Don&#8217;t &amp; <b>won’t</b>"),
            "Don’t & won’t"
        );
        // As the text of the tree the HTML parser builds, without building it.
        for html in [
            "a<!-- no --> <script>if (a < b) x()</script> <textarea><b>t</b></textarea>\u{0}&lt;",
            "<p>One<p>two</p> <br>three&nbsp;&amp;&#x41;&notin &copy</p>",
            "<style>p { x: \"<b>\" }</style>s<title>&lt;t&gt;</title>",
            "<table><tr><td>c</td></tr></table>after <b>bold <i>it</b> x</i>",
            "x<y",
            "\r\nline\rtwo",
        ] {
            let tree: String = Html::parse_fragment(html).root_element().text().collect();
            let tree = tree.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(plain_text(html), tree, "{html}");
        }
        // Deep markup costs nothing: no tree is built.
        let deep = format!(
            "{}deep{}",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        );
        assert_eq!(plain_text(&deep), "deep");
    }
}
