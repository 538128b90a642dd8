//! Which module of a crate uses which, read from its source as text, so that a test can
//! keep every crate free of import circles and `quire-devtools modules DIR` can show the
//! graph to whoever moves code around.
//!
//! A module is a file under `src/` (`lib.rs` is `crate`, `a/mod.rs` and `a.rs` are `a`,
//! `a/b.rs` is `a::b`). Module `m` *uses* module `n` when `m`'s code names a path that
//! resolves into `n`: a `use` tree (`use super::{dom, nav};`, `use crate::load::Post;`,
//! `use child::item;`) or a path in the code (`crate::views::App()`, `super::output::X`).
//! A path resolves to the longest module it starts with; naming an item of a parent
//! module (`super::Item`) uses the parent. `#[cfg(test)] mod … { … }` blocks are left out
//! (tests may reach anywhere), and so are comments and string literals. Paths through
//! other crates are not edges.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The module graph of one crate.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Graph {
    /// Module → the modules it uses (never itself).
    pub uses: BTreeMap<String, BTreeSet<String>>,
}

/// Reads every module of the crate whose sources are in `src` (the folder holding
/// `lib.rs` or `main.rs`). `main.rs` is left out when there is a `lib.rs` (it is a crate
/// of its own that uses the library from outside), and so is `src/bin/`.
pub fn read(src: &Path) -> io::Result<Graph> {
    let has_lib = src.join("lib.rs").is_file();
    let mut files = Vec::new();
    collect_files(src, &mut files)?;
    let mut modules: BTreeMap<String, PathBuf> = BTreeMap::new();
    for f in files {
        let rel = f.strip_prefix(src).unwrap_or(&f);
        if rel.starts_with("bin") || (has_lib && rel == Path::new("main.rs")) {
            continue;
        }
        modules.insert(module_name(rel), f);
    }
    let known: BTreeSet<String> = modules.keys().cloned().collect();
    let mut graph = Graph::default();
    for (name, path) in &modules {
        let text = fs::read_to_string(path)?;
        let used = uses_of(name, &text, &known);
        graph.uses.insert(name.clone(), used);
    }
    Ok(graph)
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        if e.file_type()?.is_dir() {
            collect_files(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    Ok(())
}

/// `lib.rs`/`main.rs` → `crate`; `a/mod.rs`, `a.rs` → `a`; `a/b.rs` → `a::b`.
fn module_name(rel: &Path) -> String {
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.strip_suffix(".rs").unwrap_or(&last).to_string();
    if parts.is_empty() && (stem == "lib" || stem == "main") {
        return "crate".into();
    }
    if stem != "mod" {
        parts.push(stem);
    }
    parts.join("::")
}

fn parent_of(module: &str) -> String {
    match module.rsplit_once("::") {
        Some((p, _)) => p.to_string(),
        None => "crate".into(),
    }
}

fn child_of(module: &str, name: &str) -> String {
    if module == "crate" {
        name.to_string()
    } else {
        format!("{module}::{name}")
    }
}

/// The modules that `module`'s source `text` uses.
fn uses_of(module: &str, text: &str, known: &BTreeSet<String>) -> BTreeSet<String> {
    let code = without_tests(&strip_comments_and_strings(text));
    let tokens = tokenize(&code);
    let mut paths: Vec<Vec<String>> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i] == "use" && (i == 0 || tokens[i - 1] != "::") {
            let mut j = i + 1;
            use_tree(&tokens, &mut j, &[], &mut paths);
            i = j;
            continue;
        }
        if is_ident(&tokens[i]) && (i == 0 || tokens[i - 1] != "::") {
            let mut path = vec![tokens[i].clone()];
            let mut j = i + 1;
            while j + 1 < tokens.len() && tokens[j] == "::" && is_ident(&tokens[j + 1]) {
                path.push(tokens[j + 1].clone());
                j += 2;
            }
            if path.len() > 1 {
                paths.push(path);
            }
            i = j.max(i + 1);
            continue;
        }
        i += 1;
    }
    let mut used = BTreeSet::new();
    for p in paths {
        if let Some(target) = resolve(module, &p, known)
            && target != module
        {
            used.insert(target);
        }
    }
    used
}

/// Reads one use tree starting at `tokens[*j]` (`a::b`, `a::{b, c::d}`, `a::*`,
/// `a as b`) under `prefix`, pushing every full path; leaves `*j` on what follows it.
fn use_tree(tokens: &[String], j: &mut usize, prefix: &[String], out: &mut Vec<Vec<String>>) {
    let mut path = prefix.to_vec();
    while *j < tokens.len() {
        match tokens[*j].as_str() {
            "::" => *j += 1,
            "{" => {
                *j += 1;
                while *j < tokens.len() && tokens[*j] != "}" {
                    use_tree(tokens, j, &path, out);
                    if *j < tokens.len() && tokens[*j] == "," {
                        *j += 1;
                    }
                }
                *j += 1;
                return;
            }
            "*" => {
                *j += 1;
                out.push(path);
                return;
            }
            t if is_ident(t) => {
                path.push(t.to_string());
                *j += 1;
                if tokens.get(*j).is_some_and(|n| n == "as") {
                    *j += 2;
                }
                if tokens.get(*j).is_none_or(|n| n != "::") {
                    out.push(path);
                    return;
                }
            }
            _ => return,
        }
    }
}

/// The module a path leads into, seen from `module`: the longest known module it starts
/// with, or `None` for paths through other crates.
fn resolve(module: &str, path: &[String], known: &BTreeSet<String>) -> Option<String> {
    let mut base = module.to_string();
    let mut rest = path;
    match path.first().map(String::as_str) {
        Some("crate") => {
            base = "crate".into();
            rest = &path[1..];
        }
        Some("self") => rest = &path[1..],
        Some("super") => {
            while rest.first().is_some_and(|s| s == "super") {
                base = parent_of(&base);
                rest = &rest[1..];
            }
        }
        Some(first) => {
            // A relative path counts only when it starts with a child module.
            if !known.contains(&child_of(module, first)) {
                return None;
            }
        }
        None => return None,
    }
    let mut found = base.clone();
    let mut current = base;
    for seg in rest {
        let next = child_of(&current, seg);
        if known.contains(&next) {
            found = next.clone();
            current = next;
        } else {
            break;
        }
    }
    Some(found)
}

fn is_ident(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && t.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// Identifiers, `::`, and every other character as a token of its own.
fn tokenize(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push("::".into());
            i += 2;
        } else {
            if !c.is_whitespace() {
                out.push(c.to_string());
            }
            i += 1;
        }
    }
    out
}

/// The code with comments removed and string and character literals emptied (lifetimes
/// kept).
fn strip_comments_and_strings(text: &str) -> String {
    let b: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && (i == 0 || !(b[i - 1].is_alphanumeric() || b[i - 1] == '_'))
        {
            // A raw string: r"…", r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            'raw: while j < b.len() {
                if b[j] == '"' && (0..hashes).all(|k| b.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break 'raw;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' {
            // A char literal ('a', '\n', '\u{1F600}') or a lifetime ('a).
            if next == Some('\\') {
                let mut j = i + 2;
                while j < b.len() && b[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
                out.push_str("' '");
            } else if b.get(i + 2) == Some(&'\'') {
                i += 3;
                out.push_str("' '");
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The code without `#[cfg(test)] mod name { … }` blocks.
fn without_tests(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "#[cfg(test)]".len()..];
        let trimmed = after.trim_start();
        let unscoped = trimmed
            .strip_prefix("pub")
            .map(|r| {
                let r = r.trim_start();
                match r.strip_prefix('(') {
                    Some(inner) => inner.split_once(')').map_or(r, |(_, after)| after),
                    None => r,
                }
            })
            .unwrap_or(trimmed)
            .trim_start();
        let is_mod = unscoped.starts_with("mod ");
        match (is_mod, trimmed.find(['{', ';'])) {
            (true, Some(open)) if trimmed.as_bytes()[open] == b'{' => {
                let mut depth = 0usize;
                let mut end = trimmed.len();
                for (k, ch) in trimmed[open..].char_indices() {
                    match ch {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = open + k + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                rest = &trimmed[end..];
            }
            _ => rest = after,
        }
    }
    out.push_str(rest);
    out
}

impl Graph {
    /// Every import circle: each strongly connected set of two or more modules, sorted,
    /// with one path around it (`a → b → a`).
    pub fn circles(&self) -> Vec<Vec<String>> {
        let names: Vec<&String> = self.uses.keys().collect();
        let index: BTreeMap<&str, usize> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i))
            .collect();
        let adj: Vec<Vec<usize>> = names
            .iter()
            .map(|n| {
                self.uses[*n]
                    .iter()
                    .filter_map(|m| index.get(m.as_str()).copied())
                    .collect()
            })
            .collect();
        let mut out = Vec::new();
        for comp in strongly_connected(&adj) {
            if comp.len() < 2 {
                continue;
            }
            out.push(cycle_through(&adj, &comp, &names));
        }
        out.sort();
        out
    }

    /// The graph as text: one line a module, `module → used, used`.
    pub fn render(&self) -> String {
        let mut s = String::new();
        for (m, used) in &self.uses {
            let list: Vec<&str> = used.iter().map(String::as_str).collect();
            s.push_str(&format!("{m} → {}\n", list.join(", ")));
        }
        s
    }
}

/// Tarjan's algorithm, iteratively: the strongly connected components of a graph.
fn strongly_connected(adj: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = adj.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut comps = Vec::new();
    let mut next = 0;
    for start in 0..n {
        if index[start] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(start, 0)];
        index[start] = next;
        low[start] = next;
        next += 1;
        stack.push(start);
        on_stack[start] = true;
        while let Some(&mut (v, ref mut k)) = work.last_mut() {
            if *k < adj[v].len() {
                let w = adj[v][*k];
                *k += 1;
                if index[w] == usize::MAX {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                work.pop();
                if let Some(&(u, _)) = work.last() {
                    low[u] = low[u].min(low[v]);
                }
                if low[v] == index[v] {
                    let mut comp = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp.push(w);
                        if w == v {
                            break;
                        }
                    }
                    comps.push(comp);
                }
            }
        }
    }
    comps
}

/// A shortest path from the component's first module (by name) back to itself.
fn cycle_through(adj: &[Vec<usize>], comp: &[usize], names: &[&String]) -> Vec<String> {
    let inside: BTreeSet<usize> = comp.iter().copied().collect();
    let start = *comp.iter().min_by_key(|&&i| names[i]).expect("non-empty");
    let mut prev = vec![usize::MAX; adj.len()];
    let mut queue = std::collections::VecDeque::from([start]);
    let mut seen = BTreeSet::from([start]);
    let mut last = start;
    'bfs: while let Some(v) = queue.pop_front() {
        for &w in &adj[v] {
            if !inside.contains(&w) {
                continue;
            }
            if w == start {
                last = v;
                break 'bfs;
            }
            if seen.insert(w) {
                prev[w] = v;
                queue.push_back(w);
            }
        }
    }
    let mut path = vec![last];
    while path[path.len() - 1] != start {
        path.push(prev[path[path.len() - 1]]);
    }
    path.reverse();
    path.push(start);
    path.into_iter().map(|i| names[i].clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn use_trees_and_inline_paths_resolve_to_modules() {
        let k = known(&["crate", "a", "a::b", "a::c", "d"]);
        let src = "use super::{b, c::X};\nuse crate::d::Thing as T;\n// crate::nothing\nfn f() { let s = \"crate::d\"; crate::a::b::g(); }\nuse std::fmt;\n";
        let used = uses_of("a::b", src, &k);
        assert_eq!(used, known(&["a::c", "d"]));
        // A parent's item (super::Item) uses the parent; a child path from mod.rs the child.
        assert_eq!(uses_of("a::b", "use super::Item;", &k), known(&["a"]));
        assert_eq!(
            uses_of("a", "use b::f;\nfn g() { c::h(); }", &k),
            known(&["a::b", "a::c"])
        );
        assert_eq!(
            uses_of("a", "#[cfg(test)]\nmod tests {\n use crate::d::x;\n}\n", &k),
            known(&[])
        );
        assert_eq!(
            uses_of(
                "a",
                "#[cfg(test)]\npub(crate) mod tests { use crate::d::x; }",
                &k
            ),
            known(&[])
        );
    }

    #[test]
    fn finds_circles() {
        let mut g = Graph::default();
        let edge = |g: &mut Graph, a: &str, b: &str| {
            g.uses.entry(a.into()).or_default().insert(b.into());
            g.uses.entry(b.into()).or_default();
        };
        edge(&mut g, "a", "b");
        edge(&mut g, "b", "c");
        edge(&mut g, "c", "a");
        edge(&mut g, "c", "d");
        assert_eq!(g.circles(), vec![vec!["a", "b", "c", "a"]]);
        let mut one_way = Graph::default();
        edge(&mut one_way, "a", "b");
        edge(&mut one_way, "b", "c");
        assert!(one_way.circles().is_empty());
    }

    #[test]
    fn module_names_follow_files() {
        assert_eq!(module_name(Path::new("lib.rs")), "crate");
        assert_eq!(module_name(Path::new("load/mod.rs")), "load");
        assert_eq!(module_name(Path::new("load/post.rs")), "load::post");
        assert_eq!(module_name(Path::new("diag.rs")), "diag");
    }
}
