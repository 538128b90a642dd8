//! Code highlighting at build time: every fenced block with a language syntect knows is
//! cut into token runs (a class letter and a byte length each, see
//! [`quire_core::markdown::CODE_CLASSES`]) that travel beside the Markdown in the body
//! chunk ([`quire_core::bundle::Body::code`]). The renderer, shared by the route files and
//! the app, turns them into spans; no grammar ever reaches the browser.
//!
//! Why syntect: docs/decisions/highlighting.md. Its grammars (Sublime Text's default
//! set, matched with Oniguruma: about a third of `fancy-regex`'s time for the same runs)
//! are loaded once, lazily, the first time a block asks for one, so a blog without code
//! pays nothing.

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use quire_core::markdown::{PLAIN_RUN, code_language, options};
use std::sync::OnceLock;
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// A block larger than this stays plain (highlighting is per line and fast, but a
/// grammar's regular expressions may backtrack on long lines; this bounds the work).
pub const MAX_BLOCK_BYTES: usize = 64 * 1024;
/// A block with a line longer than this stays plain.
pub const MAX_LINE_BYTES: usize = 4 * 1024;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Scope prefixes and the run letter they give, tried in order on the innermost scope
/// first, then outwards. `x` (plain) stops the search: an operator inside a keyword-ish
/// scope stays plain.
const RULES: [(&str, u8); 25] = [
    ("comment", b'c'),
    ("string", b's'),
    ("constant.numeric", b'n'),
    ("constant.character.escape", b'b'),
    ("constant.language", b'b'),
    ("constant.other", b'b'),
    ("support.constant", b'b'),
    ("variable.language", b'b'),
    ("keyword.operator.word", b'k'),
    ("keyword.operator", PLAIN_RUN),
    ("keyword", b'k'),
    ("storage.modifier", b'k'),
    // Sublime's Rust and Go grammars scope `let`, `func` and `u32`, `int` all alike.
    ("storage.type", b'k'),
    ("entity.name.function", b'f'),
    ("support.function", b'f'),
    ("variable.function", b'f'),
    ("entity.name.type", b't'),
    ("entity.name.class", b't'),
    ("entity.name.struct", b't'),
    ("entity.name.enum", b't'),
    ("entity.other.inherited-class", b't'),
    ("support.type", b't'),
    ("support.class", b't'),
    ("entity.name.tag", b'p'),
    ("entity.other.attribute-name", b'p'),
];

fn rules() -> &'static [(Scope, u8)] {
    static R: OnceLock<Vec<(Scope, u8)>> = OnceLock::new();
    R.get_or_init(|| {
        RULES
            .iter()
            .filter_map(|&(s, l)| Scope::new(s).ok().map(|s| (s, l)))
            .collect()
    })
}

/// The run letter of text under `stack`.
fn letter(stack: &ScopeStack) -> u8 {
    for scope in stack.as_slice().iter().rev() {
        if let Some((_, l)) = rules().iter().find(|(p, _)| p.is_prefix_of(*scope)) {
            return *l;
        }
    }
    PLAIN_RUN
}

/// The grammar for a code block's class word, if there is one. Names and file
/// extensions are both accepted (`rust`, `rs`, `Python`, `py`, `yml`…), plus a few
/// common aliases.
pub fn syntax_for(language: &str) -> Option<&'static SyntaxReference> {
    if language.is_empty() {
        return None;
    }
    let lower = language.to_ascii_lowercase();
    let token = match lower.as_str() {
        "shell" | "console" | "shellscript" | "zsh" => "sh",
        "golang" => "go",
        "py3" | "python3" => "py",
        "javascript" | "node" => "js",
        other => other,
    };
    let set = syntaxes();
    set.find_syntax_by_token(token)
        .or_else(|| set.find_syntax_by_extension(token))
        // The plain-text grammar highlights nothing: not worth runs.
        .filter(|s| s.name != "Plain Text")
}

/// Token runs for `text` in `language`; `""` when it stays plain (unknown language, too
/// large, or a grammar error).
pub fn block_runs(language: &str, text: &str) -> String {
    if text.is_empty() || text.len() > MAX_BLOCK_BYTES {
        return String::new();
    }
    let Some(syntax) = syntax_for(language) else {
        return String::new();
    };
    let set = syntaxes();
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut runs = Runs::default();
    for line in LinesWithEndings::from(text) {
        if line.len() > MAX_LINE_BYTES {
            return String::new();
        }
        let Ok(ops) = state.parse_line(line, set) else {
            return String::new();
        };
        let mut at = 0;
        for (i, op) in ops {
            let i = i.min(line.len());
            if i > at {
                runs.push(letter(&stack), i - at);
                at = i;
            }
            if stack.apply(&op).is_err() {
                return String::new();
            }
        }
        if line.len() > at {
            runs.push(letter(&stack), line.len() - at);
        }
    }
    // Nothing but plain text: no runs needed.
    if runs.all_plain {
        return String::new();
    }
    runs.finish()
}

/// Runs being written, neighbours of one class merged.
struct Runs {
    out: String,
    current: Option<(u8, usize)>,
    all_plain: bool,
}

impl Default for Runs {
    fn default() -> Runs {
        Runs {
            out: String::new(),
            current: None,
            all_plain: true,
        }
    }
}

impl Runs {
    fn push(&mut self, letter: u8, len: usize) {
        self.all_plain &= letter == PLAIN_RUN;
        match &mut self.current {
            Some((l, n)) if *l == letter => *n += len,
            _ => {
                self.flush();
                self.current = Some((letter, len));
            }
        }
    }

    fn flush(&mut self) {
        if let Some((l, n)) = self.current.take() {
            self.out.push(l as char);
            self.out.push_str(&n.to_string());
        }
    }

    fn finish(mut self) -> String {
        self.flush();
        self.out
    }
}

/// The runs of every fenced code block of a body, in document order (the order the
/// renderer meets them in); empty when no block is highlighted.
pub fn runs(markdown: &str) -> Vec<String> {
    // Most posts have no fenced block: no grammar is loaded for them.
    if !markdown.contains("```") && !markdown.contains("~~~") {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut open: Option<(String, String)> = None;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                open = Some((code_language(&info), String::new()));
            }
            Event::Text(t) => {
                if let Some((_, text)) = &mut open {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((language, text)) = open.take() {
                    out.push(block_runs(&language, &text));
                }
            }
            _ => {}
        }
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use quire_core::markdown::highlighted;

    #[test]
    fn known_languages_get_runs_that_cover_the_text() {
        let md = "```rust\nfn main() { let x = 1; // hi\n}\n```\n\n```nonesuch\nplain\n```\n\n```\nnone\n```\n\n```python\ndef f(): return \"s\"\n```\n";
        let runs = runs(md);
        assert_eq!(runs.len(), 4, "{runs:?}");
        assert!(runs[1].is_empty() && runs[2].is_empty());
        let html = highlighted("fn main() { let x = 1; // hi\n}\n", &runs[0]).unwrap();
        assert!(
            html.contains("<span class=\"hl-keyword\">fn</span>"),
            "{html}"
        );
        assert!(html.contains("<span class=\"hl-comment\">// hi"), "{html}");
        assert!(
            html.contains("<span class=\"hl-number\">1</span>"),
            "{html}"
        );
        assert!(highlighted("def f(): return \"s\"\n", &runs[3]).is_some());
    }

    #[test]
    fn blocks_over_the_limits_stay_plain() {
        assert_eq!(block_runs("rust", &"a".repeat(MAX_LINE_BYTES + 1)), "");
        assert_eq!(block_runs("rust", &"a;\n".repeat(MAX_BLOCK_BYTES)), "");
        assert_eq!(block_runs("", "fn x() {}"), "");
    }
}
