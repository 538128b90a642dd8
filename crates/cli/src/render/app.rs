//! The app a site is written with: the files of the browser app (shell, Wasm, JS glue,
//! split chunk, loader, CSS, favicon) that a release `quire` binary carries inside it
//! (build.rs, docs/decisions/one-binary.md), checked against this binary's build id and
//! placed under the site's base path.
//!
//! The app's shell names its assets by absolute paths (`/quire-app-….js`) and sets
//! `<base href="/">`, as Trunk writes them for the domain's root; [`App::shell`] rewrites
//! both for a sub-path at build time, so one binary serves `/` and `/blog/` alike.

use std::borrow::Cow;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/app_files.rs"));
}

/// What comes before the build id in an app's Wasm and in route files (`quire_app::BUILD_MARK`).
const MARK_PREFIX: &[u8] = b"quire-build-";
const ID_LEN: usize = 16;

/// A built app: its files, by path inside the app (`/`-separated).
#[derive(Clone, Debug)]
pub struct App {
    pub files: Vec<(String, Cow<'static, [u8]>)>,
}

impl App {
    /// The app inside this binary, if it was built with one (`QUIRE_APP_DIR`).
    pub fn embedded() -> Option<App> {
        if embedded::FILES.is_empty() {
            return None;
        }
        Some(App {
            files: embedded::FILES
                .iter()
                .map(|(p, b)| ((*p).to_string(), Cow::Borrowed(*b)))
                .collect(),
        })
    }

    fn file(&self, path: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, b)| b.as_ref())
    }

    /// The build ids found in the app's Wasm files (the main module carries one).
    pub fn build_ids(&self) -> Vec<String> {
        self.files
            .iter()
            .filter(|(p, _)| p.ends_with(".wasm"))
            .filter_map(|(_, b)| build_id_in(b))
            .collect()
    }

    /// Refuses an app built from other sources than this binary: its components would
    /// not match the pages this binary prerenders.
    pub fn check(&self) -> Result<(), String> {
        let ours = quire_app::BUILD_ID;
        let ids = self.build_ids();
        if ids.iter().any(|id| id == ours) {
            return Ok(());
        }
        Err(match ids.first() {
            Some(theirs) => format!(
                "the app (build {theirs}) and this quire (build {ours}) come from different sources; rebuild both from one commit (scripts/package)"
            ),
            None => format!(
                "the app carries no build id (this quire is build {ours}); rebuild both from one commit (scripts/package)"
            ),
        })
    }

    /// The shell (`index.html`) for a site served under `base` (`/`, `/blog/`): `<base
    /// href>` and the app's own asset addresses moved under it.
    pub fn shell(&self, base: &str) -> Result<String, String> {
        let text = self.file("index.html").ok_or("the app has no index.html")?;
        let mut text = String::from_utf8(text.to_vec())
            .map_err(|_| "the app's index.html is not UTF-8".to_string())?;
        if base == "/" {
            return Ok(text);
        }
        for (path, _) in &self.files {
            if path == "index.html" {
                continue;
            }
            for q in ['"', '\''] {
                text = text.replace(&format!("{q}/{path}{q}"), &format!("{q}{base}{path}{q}"));
            }
        }
        Ok(text.replace("<base href=\"/\"", &format!("<base href=\"{base}\"")))
    }

    /// Every file but the shell (route files take its place), to write into the site.
    pub fn assets(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files
            .iter()
            .filter(|(p, _)| p != "index.html")
            .map(|(p, b)| (p.as_str(), b.as_ref()))
    }
}

/// The build id stamped into an app's Wasm (`quire-build-` and 16 hex digits), if any.
pub fn build_id_in(wasm: &[u8]) -> Option<String> {
    let mut from = 0;
    while let Some(at) = find(&wasm[from..], MARK_PREFIX) {
        let start = from + at + MARK_PREFIX.len();
        let id = wasm.get(start..start + ID_LEN)?;
        if id
            .iter()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        {
            return Some(String::from_utf8_lossy(id).into_owned());
        }
        from = start;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The site's base path from `--base-path` or the path of `base_url` (`https://x.org/blog`
/// → `/blog/`): starts and ends with `/`. Only letters, digits and `-._~/` are taken: it
/// is written into the shell's attributes and scripts.
pub fn base_path(flag: Option<&str>, base_url: Option<&str>) -> Result<String, String> {
    let raw = match (flag, base_url) {
        (Some(f), _) => f.to_string(),
        (None, Some(url)) => quire_app::model::url_path(url).to_string(),
        (None, None) => "/".to_string(),
    };
    if let Some(c) = raw
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "-._~/".contains(*c)))
    {
        return Err(format!(
            "the base path {raw:?} holds {c:?}: only letters, digits, '-', '.', '_', '~' and '/' can be used"
        ));
    }
    let trimmed = raw.trim_matches('/');
    if trimmed
        .split('/')
        .any(|s| s.is_empty() || s == "." || s == "..")
        && !trimmed.is_empty()
    {
        return Err(format!(
            "the base path {raw:?} has an empty, '.' or '..' part"
        ));
    }
    Ok(if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(wasm: &[u8]) -> App {
        App {
            files: vec![
                (
                    "index.html".into(),
                    Cow::Borrowed(b"<html><head><base href=\"/\"><link rel=\"modulepreload\" href=\"/quire-app-1.js\"><script type=\"module\">import init from '/quire-app-1.js';init({module_or_path: '/quire-app-1_bg.wasm'});</script></head><body></body></html>".as_slice()),
                ),
                ("quire-app-1.js".into(), Cow::Borrowed(b"js".as_slice())),
                ("quire-app-1_bg.wasm".into(), Cow::Owned(wasm.to_vec())),
            ],
        }
    }

    #[test]
    fn the_build_id_is_found_and_checked() {
        let ours = format!("\0asm..{}..", quire_app::BUILD_MARK);
        assert_eq!(
            build_id_in(ours.as_bytes()).as_deref(),
            Some(quire_app::BUILD_ID)
        );
        assert!(app(ours.as_bytes()).check().is_ok());
        let other = app(b"quire-build-x quire-build-0123456789abcdef");
        assert_eq!(other.build_ids(), ["0123456789abcdef"]);
        let err = other.check().unwrap_err();
        assert!(
            err.contains("different sources") && err.contains("0123456789abcdef"),
            "{err}"
        );
        let err = app(b"no id").check().unwrap_err();
        assert!(err.contains("no build id"), "{err}");
        assert_eq!(build_id_in(b"quire-build-0123"), None);
    }

    #[test]
    fn the_shell_moves_under_the_base_path() {
        let a = app(b"");
        assert_eq!(
            a.shell("/").unwrap(),
            String::from_utf8_lossy(a.file("index.html").unwrap())
        );
        let s = a.shell("/blog/").unwrap();
        assert!(s.contains("<base href=\"/blog/\">"), "{s}");
        assert!(s.contains("href=\"/blog/quire-app-1.js\""), "{s}");
        assert!(s.contains("from '/blog/quire-app-1.js'"), "{s}");
        assert!(s.contains("'/blog/quire-app-1_bg.wasm'"), "{s}");
        assert_eq!(a.assets().count(), 2);
    }

    #[test]
    fn base_paths() {
        let ok = |f, u| base_path(f, u).unwrap();
        assert_eq!(ok(None, None), "/");
        assert_eq!(ok(None, Some("https://x.org")), "/");
        assert_eq!(ok(None, Some("https://x.org/blog")), "/blog/");
        assert_eq!(ok(None, Some("https://x.github.io/my/blog/")), "/my/blog/");
        assert_eq!(ok(Some("blog"), Some("https://x.org/other/")), "/blog/");
        assert_eq!(ok(Some("/"), Some("https://x.org/other/")), "/");
        assert!(base_path(Some("/a\"b/"), None).is_err());
        assert!(base_path(Some("/a/../b/"), None).is_err());
        assert!(base_path(Some("/a//b/"), None).is_err());
    }
}
