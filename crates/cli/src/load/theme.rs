//! The content folder's `theme/`: a blogger's own look without forking Quire.
//! `theme/style.css` is added after the built-in stylesheet; `theme/head.html` goes into
//! every route file's `<head>` (render/shell.rs hashes its inline scripts into the policy).
//! Both are read under the content folder's rules (files.rs): regular files only, links
//! that stay inside, the text size limit, UTF-8.

use super::files::{entry, read_text};
use crate::diag::Diagnostic;
use std::path::Path;

/// What `theme/` holds; both are optional.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Theme {
    pub style_css: Option<String>,
    pub head_html: Option<String>,
}

/// Reads `dir/theme/` (the content folder `dir`); a missing folder or file is no theme.
pub fn load(dir: &Path) -> (Theme, Vec<Diagnostic>) {
    let mut theme = Theme::default();
    let mut diags = Vec::new();
    let Ok(root) = std::fs::canonicalize(dir) else {
        return (theme, diags);
    };
    let shown = dir.join("theme");
    let folder = match entry(dir, &root, "theme") {
        Ok(Some((real, meta))) if meta.is_dir() => real,
        Ok(Some(_)) => {
            diags.push(Diagnostic::error(
                &shown,
                1,
                "theme must be a folder (holding style.css and/or head.html)",
            ));
            return (theme, diags);
        }
        Ok(None) => return (theme, diags),
        Err(d) => {
            diags.push(d);
            return (theme, diags);
        }
    };
    for (name, slot) in [
        ("style.css", &mut theme.style_css),
        ("head.html", &mut theme.head_html),
    ] {
        let path = shown.join(name);
        match entry(&shown, &folder, name) {
            Ok(Some((real, meta))) if meta.is_file() => match read_text(&path, &real) {
                Ok(text) => *slot = Some(text),
                Err(d) => diags.push(d),
            },
            Ok(Some(_)) => diags.push(Diagnostic::error(&path, 1, "not a regular file")),
            Ok(None) => {}
            Err(d) => diags.push(d),
        }
    }
    (theme, diags)
}
