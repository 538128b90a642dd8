//! The old site's uploads, made local: `--media DIR` copies each file a post or page
//! references from a copy of `wp-content/uploads`, `--download-media` fetches it from the
//! old host; either way it lands in `static/wp-content/uploads/<same path>` and the links
//! to it are rewritten to `wp-content/uploads/<same path>`. What cannot be had is left
//! pointing at the old site and listed in the report, with why.
//!
//! The export names the files, so it is treated as hostile here too: a path is only ever
//! the part after `/wp-content/uploads/`, decoded and checked segment by segment (no
//! `..`, no empty or hidden segment, at most [`MAX_DEPTH`] deep), and written under a
//! name made of `[A-Za-z0-9._-]` only, so nothing lands outside `static/` and no two
//! names are one on a case-insensitive disk. A local copy must be a regular file inside
//! DIR (links leading out are refused); a download goes to the export's own host only
//! (its `<link>`), over http or https, with timeouts, at most [`Limits::file_bytes`] a
//! file, [`Limits::files`] files and [`Limits::total_bytes`] in all. Links are rewritten
//! in one pass over each text.

use quire_core::route::{decode_path, fold_case};
use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The top-level folder of the output the uploads go into (`static/wp-content/uploads/…`);
/// no page may take it as its address.
pub const UPLOADS_TOP: &str = "wp-content";

/// Where WordPress keeps uploads, in every media URL.
const MARKER: &str = "/wp-content/uploads/";

/// How deep an upload's path may be (WordPress writes `YYYY/MM/name`).
pub const MAX_DEPTH: usize = 16;

/// The longest name of one path segment most file systems take.
const MAX_SEGMENT_BYTES: usize = 200;

/// Where the files come from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Source {
    /// A local copy of `wp-content/uploads` (`--media DIR`).
    pub dir: Option<PathBuf>,
    /// Fetch what `dir` does not have from the old host (`--download-media`).
    pub download: bool,
}

/// Bounds on what media may cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Files copied or downloaded at most; the rest are listed as missing.
    pub files: usize,
    /// Bytes of one file at most.
    pub file_bytes: u64,
    /// Bytes of all files together at most.
    pub total_bytes: u64,
    /// Time for one download, from connecting to the last byte.
    pub timeout: Duration,
    /// Time for all downloads together; what is left after it is listed as missing.
    pub total_time: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            files: 20_000,
            file_bytes: 100 << 20,
            total_bytes: 4 << 30,
            timeout: Duration::from_secs(60),
            total_time: Duration::from_secs(3600),
        }
    }
}

/// What became of the media.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Files written into `static/`.
    pub files: usize,
    pub bytes: u64,
    /// URL → why it is not local (its links still lead to the old site).
    pub missing: BTreeMap<String, String>,
}

/// The part of a media URL after `/wp-content/uploads/` (query and fragment dropped),
/// percent-decoded, as its segments; `None` for a path that is not a plain file path.
fn upload_segments(url: &str) -> Result<Vec<String>, String> {
    let at = url
        .find(MARKER)
        .ok_or_else(|| "not under wp-content/uploads/".to_string())?;
    let rest = &url[at + MARKER.len()..];
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let decoded = decode_path(rest);
    let segments: Vec<String> = decoded.split('/').map(str::to_string).collect();
    if segments.len() > MAX_DEPTH {
        return Err(format!("its path is more than {MAX_DEPTH} folders deep"));
    }
    for s in &segments {
        if s.is_empty() || s == "." || s == ".." {
            return Err("its path has an empty, \".\" or \"..\" part".into());
        }
        if s.contains(|c: char| c.is_control() || c == '\\' || c == ':') {
            return Err("its path has a control character, a backslash or a colon".into());
        }
        if s.len() > MAX_SEGMENT_BYTES {
            return Err(format!(
                "a name in its path is longer than {MAX_SEGMENT_BYTES} bytes"
            ));
        }
    }
    Ok(segments)
}

/// A name made of `[A-Za-z0-9._-]`: every other character is `-`, and a leading `.`
/// (a hidden file, which the build skips) too.
fn safe_name(segment: &str) -> String {
    let mut out: String = segment
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if out.starts_with('.') {
        out.replace_range(..1, "-");
    }
    out
}

/// `name.ext` → `name-N.ext`.
fn numbered(rel: &str, n: usize) -> String {
    let (dir, file) = match rel.rsplit_once('/') {
        Some((d, f)) => (format!("{d}/"), f),
        None => (String::new(), rel),
    };
    match file.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{dir}{stem}-{n}.{ext}"),
        _ => format!("{dir}{file}-{n}"),
    }
}

/// The host (and port) of an http(s) URL, lower-case.
fn http_host(url: &str) -> Option<String> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return None;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    (!host.is_empty() && !host.contains('@')).then(|| host.to_ascii_lowercase())
}

/// The texts of an import and the media they reference: what [`localize`] works on.
pub struct Texts<'a> {
    /// `(file, text)` of the new content folder.
    pub files: &'a mut [(String, String)],
    /// Uploads URL → the files that reference it; left holding the URLs still on the
    /// old site.
    pub media: &'a mut BTreeMap<String, Vec<String>>,
}

/// Makes the media local: writes the files into `static_dir`
/// (`…/static/wp-content/uploads/…`), rewrites the links to them in the texts, and
/// leaves in `texts.media` only what could not be had (the outcome says why).
/// `site_link` is the export's `<link>` (downloads go to its host only).
pub fn localize(
    texts: Texts<'_>,
    source: &Source,
    limits: &Limits,
    site_link: &str,
    static_dir: &Path,
) -> Outcome {
    let mut outcome = Outcome::default();
    let own_host = http_host(site_link);
    let agent: Option<ureq::Agent> = source.download.then(|| {
        ureq::Agent::config_builder()
            .timeout_global(Some(limits.timeout))
            .timeout_connect(Some(Duration::from_secs(10).min(limits.timeout)))
            .max_redirects(0)
            .user_agent("quire-import")
            .build()
            .into()
    });
    let dir = source
        .dir
        .as_ref()
        .and_then(|d| std::fs::canonicalize(d).ok());
    // Written name (case-folded) → the upload path it holds; next number per name.
    let mut taken: HashMap<String, Vec<String>> = HashMap::new();
    let mut next: HashMap<String, usize> = HashMap::new();
    let started = std::time::Instant::now();
    // Markdown destination of each URL → its new link.
    let mut links: HashMap<String, String> = HashMap::new();
    let urls: Vec<String> = texts.media.keys().cloned().collect();
    for url in urls {
        let segments = match upload_segments(&url) {
            Ok(s) => s,
            Err(why) => {
                outcome.missing.insert(url, why);
                continue;
            }
        };
        if outcome.files >= limits.files {
            outcome.missing.insert(
                url,
                format!("more than {} media files (the limit)", limits.files),
            );
            continue;
        }
        // The name it is written under, told apart from any other on a case-insensitive
        // disk; one upload referenced by several URLs (`x.jpg`, `x.jpg?w=300`) is one file.
        let base: String = segments
            .iter()
            .map(|s| safe_name(s))
            .collect::<Vec<_>>()
            .join("/");
        let mut rel = base.clone();
        let mut fresh = true;
        loop {
            match taken.get(&fold_case(&rel)) {
                None => break,
                Some(held) if *held == segments => {
                    fresh = false;
                    break;
                }
                Some(_) => {
                    let n = next.entry(fold_case(&base)).or_insert(2);
                    rel = numbered(&base, *n);
                    *n += 1;
                }
            }
        }
        let link = format!("{UPLOADS_TOP}/uploads/{rel}");
        if !fresh {
            links.insert(super::html_to_markdown::destination(&url), link);
            continue;
        }
        // Past the time for all downloads, only the local copy is read.
        let agent = agent
            .as_ref()
            .filter(|_| started.elapsed() < limits.total_time);
        let bytes = fetch(
            &url,
            &segments,
            dir.as_deref(),
            agent,
            own_host.as_deref(),
            limits,
        );
        let bytes = match bytes {
            Ok(b) if outcome.bytes + b.len() as u64 > limits.total_bytes => Err(format!(
                "the media would pass {} in all (the limit)",
                size(limits.total_bytes)
            )),
            other => other,
        };
        match bytes {
            Ok(b) => {
                let path = static_dir.join("wp-content/uploads").join(&rel);
                let written = path
                    .parent()
                    .map_or(Ok(()), std::fs::create_dir_all)
                    .and_then(|()| std::fs::write(&path, &b));
                if let Err(e) = written {
                    outcome
                        .missing
                        .insert(url, format!("cannot write {}: {e}", path.display()));
                    continue;
                }
                outcome.files += 1;
                outcome.bytes += b.len() as u64;
                taken.insert(fold_case(&rel), segments);
                links.insert(super::html_to_markdown::destination(&url), link);
            }
            Err(why) => {
                outcome.missing.insert(url, why);
            }
        }
    }
    // Rewrite the links in the files that reference a local copy now.
    let files_to_rewrite: std::collections::HashSet<&String> = texts
        .media
        .iter()
        .filter(|(url, _)| !outcome.missing.contains_key(*url))
        .flat_map(|(_, files)| files)
        .collect();
    for (name, text) in texts.files.iter_mut() {
        if files_to_rewrite.contains(name) {
            *text = rewrite_links(text, &links);
        }
    }
    texts
        .media
        .retain(|url, _| outcome.missing.contains_key(url));
    outcome
}

/// One file's bytes: from the local copy, else downloaded, else why not.
fn fetch(
    url: &str,
    segments: &[String],
    dir: Option<&Path>,
    agent: Option<&ureq::Agent>,
    own_host: Option<&str>,
    limits: &Limits,
) -> Result<Vec<u8>, String> {
    let mut why = Vec::new();
    if let Some(dir) = dir {
        match read_local(dir, segments, limits.file_bytes) {
            Ok(b) => return Ok(b),
            Err(e) => why.push(e),
        }
    }
    if let Some(agent) = agent {
        match download(agent, url, own_host, limits.file_bytes) {
            Ok(b) => return Ok(b),
            Err(e) => why.push(e),
        }
    }
    if why.is_empty() {
        why.push("no --media DIR, and the time for downloads (the limit) has passed".into());
    }
    Err(why.join("; "))
}

/// A file of the local uploads copy: a regular file inside `dir` (which is canonical),
/// not bigger than `max`.
fn read_local(dir: &Path, segments: &[String], max: u64) -> Result<Vec<u8>, String> {
    let path = segments.iter().fold(dir.to_path_buf(), |p, s| p.join(s));
    let shown = segments.join("/");
    let real =
        std::fs::canonicalize(&path).map_err(|_| format!("not in the media folder ({shown})"))?;
    if !real.starts_with(dir) {
        return Err(format!("{shown} leads outside the media folder"));
    }
    let file = std::fs::File::open(&real).map_err(|e| format!("{shown}: {e}"))?;
    let meta = file.metadata().map_err(|e| format!("{shown}: {e}"))?;
    if !meta.is_file() {
        return Err(format!("{shown} is not a regular file"));
    }
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{shown}: {e}"))?;
    if bytes.len() as u64 > max {
        return Err(format!("{shown} is bigger than {} (the limit)", size(max)));
    }
    Ok(bytes)
}

/// Downloads a file from the export's own host, `max` bytes at most.
fn download(
    agent: &ureq::Agent,
    url: &str,
    own_host: Option<&str>,
    max: u64,
) -> Result<Vec<u8>, String> {
    let host = http_host(url).ok_or_else(|| "not an http(s) address".to_string())?;
    if Some(host.as_str()) != own_host {
        return Err(format!(
            "on another host ({host}) than the site's; not downloaded"
        ));
    }
    // Redirects are followed here, not by the client, so that none leads to another
    // host (an export must not make the importer ask machines of its choosing).
    let mut at = url.to_string();
    for _ in 0..=MAX_REDIRECTS {
        let mut res = agent.get(&at).call().map_err(|e| match e {
            ureq::Error::StatusCode(code) => format!("the old host answered {code}"),
            e => format!("download failed: {e}"),
        })?;
        if res.status().is_redirection() {
            let location = res
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .ok_or_else(|| "redirected without a Location".to_string())?;
            at = if location.starts_with('/') && !location.starts_with("//") {
                format!("{}{location}", origin_of(&at))
            } else {
                location.to_string()
            };
            if http_host(&at).as_deref() != own_host {
                return Err("redirected to another host; not downloaded".into());
            }
            continue;
        }
        return res
            .body_mut()
            .with_config()
            .limit(max)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => {
                    format!("bigger than {} (the limit)", size(max))
                }
                e => format!("download failed: {e}"),
            });
    }
    Err(format!("more than {MAX_REDIRECTS} redirects"))
}

/// `http://host:port` of an URL (what a `Location: /path` is relative to).
fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let end = url[after_scheme..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| after_scheme + i);
    &url[..end]
}

/// Redirects followed for one file at most.
const MAX_REDIRECTS: usize = 3;

/// `n` bytes for people: `100 MB`, or `64 bytes` below a megabyte.
fn size(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{} MB", n >> 20)
    } else {
        format!("{n} bytes")
    }
}

/// Replaces every link of `links` (by its exact text) in `text`, in one pass: each
/// occurrence of `/wp-content/uploads/` is widened to the link around it (up to the
/// characters that end a Markdown destination) and looked up.
pub fn rewrite_links(text: &str, links: &HashMap<String, String>) -> String {
    let ends = |c: char| c.is_whitespace() || matches!(c, '(' | ')' | '<' | '>' | '"' | '[' | ']');
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    // Nothing before `scanned` is looked at again: every byte is read at most twice.
    let mut scanned = 0;
    while let Some(at) = text[scanned..].find(MARKER).map(|i| scanned + i) {
        let start = text[scanned..at].rfind(ends).map_or(scanned, |i| {
            let c = text[scanned + i..].chars().next().map_or(1, char::len_utf8);
            scanned + i + c
        });
        let end = text[at..].find(ends).map_or(text.len(), |i| at + i);
        if let Some(new) = links.get(&text[start..end]) {
            out.push_str(&text[copied..start]);
            out.push_str(new);
            copied = end;
        }
        scanned = end.max(at + MARKER.len());
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_paths_are_checked_and_names_made_safe() {
        assert_eq!(
            upload_segments("https://x.org/wp-content/uploads/2020/01/a%20b.jpg?w=300"),
            Ok(vec!["2020".into(), "01".into(), "a b.jpg".into()])
        );
        for bad in [
            "https://x.org/wp-content/uploads/../../etc/passwd",
            "https://x.org/wp-content/uploads/2020/%2e%2e/x",
            "https://x.org/wp-content/uploads/2020//x.jpg",
            "https://x.org/wp-content/uploads/2020/",
            "https://x.org/wp-content/uploads/a%5Cb.jpg",
            "https://x.org/elsewhere/x.jpg",
        ] {
            assert!(upload_segments(bad).is_err(), "{bad}");
        }
        assert_eq!(safe_name("Café photo (1).JPG"), "Caf--photo--1-.JPG");
        assert_eq!(safe_name(".htaccess"), "-htaccess");
        assert_eq!(numbered("2020/01/a.jpg", 2), "2020/01/a-2.jpg");
        assert_eq!(numbered("noext", 3), "noext-3");
        assert_eq!(
            http_host("HTTP://Old.Example:8080/x"),
            Some("old.example:8080".into())
        );
        assert_eq!(http_host("ftp://x/"), None);
        assert_eq!(origin_of("http://h:1/a/b?c"), "http://h:1");
        assert_eq!(origin_of("https://h"), "https://h");
        assert_eq!(http_host("https://u@evil/"), None);
    }

    #[test]
    fn links_are_rewritten_where_they_stand_and_nowhere_else() {
        let links = HashMap::from([(
            "https://x.org/wp-content/uploads/a.jpg".to_string(),
            "wp-content/uploads/a.jpg".to_string(),
        )]);
        let text = "![a](https://x.org/wp-content/uploads/a.jpg \"t\") [b](https://x.org/wp-content/uploads/a.jpg)\n<https://x.org/wp-content/uploads/a.jpg> https://x.org/wp-content/uploads/a.jpgx /wp-content/uploads/";
        assert_eq!(
            rewrite_links(text, &links),
            "![a](wp-content/uploads/a.jpg \"t\") [b](wp-content/uploads/a.jpg)\n<wp-content/uploads/a.jpg> https://x.org/wp-content/uploads/a.jpgx /wp-content/uploads/"
        );
        // A long text of markers without a break is read in linear time.
        let hostile = "é/wp-content/uploads/".repeat(200_000);
        let started = std::time::Instant::now();
        assert_eq!(rewrite_links(&hostile, &links), hostile);
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    /// An old site on 127.0.0.1: path → (status line, extra headers, body); a path
    /// starting with `/stall` never answers.
    fn server(routes: Vec<(&'static str, &'static str, String, Vec<u8>)>) -> String {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let routes = routes.clone();
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut request = String::new();
                    let _ = reader.read_line(&mut request);
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                            break;
                        }
                    }
                    let path = request.split(' ').nth(1).unwrap_or_default().to_string();
                    if path.starts_with("/stall") {
                        std::thread::sleep(Duration::from_secs(10));
                        return;
                    }
                    let (status, headers, body) = routes
                        .iter()
                        .find(|r| r.0 == path)
                        .map(|r| (r.1, r.2.clone(), r.3.clone()))
                        .unwrap_or(("404 Not Found", String::new(), Vec::new()));
                    let head = format!(
                        "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = stream.write_all(head.as_bytes());
                    let _ = stream.write_all(&body);
                });
            }
        });
        format!("http://{addr}")
    }

    /// One file that references each of `urls`, and the media list.
    struct Plan {
        files: Vec<(String, String)>,
        media: BTreeMap<String, Vec<String>>,
    }

    impl Plan {
        fn texts(&mut self) -> Texts<'_> {
            Texts {
                files: &mut self.files,
                media: &mut self.media,
            }
        }
    }

    fn plan_with(urls: &[String]) -> Plan {
        let text: String = urls.iter().map(|u| format!("![x]({u})\n")).collect();
        Plan {
            files: vec![("posts/a.md".into(), text)],
            media: urls
                .iter()
                .map(|u| (u.clone(), vec!["posts/a.md".into()]))
                .collect(),
        }
    }

    #[test]
    fn downloads_keep_to_their_limits_and_to_the_old_host() {
        let origin = server(vec![
            (
                "/wp-content/uploads/ok.jpg",
                "200 OK",
                String::new(),
                b"12345".to_vec(),
            ),
            (
                "/wp-content/uploads/big.jpg",
                "200 OK",
                String::new(),
                vec![b'x'; 64],
            ),
            (
                "/wp-content/uploads/b.jpg",
                "200 OK",
                String::new(),
                b"6789".to_vec(),
            ),
            (
                "/wp-content/uploads/moved.jpg",
                "301 Moved Permanently",
                "Location: /wp-content/uploads/b.jpg\r\n".into(),
                Vec::new(),
            ),
            (
                "/wp-content/uploads/away.jpg",
                "302 Found",
                "Location: http://localhost:9/wp-content/uploads/x.jpg\r\n".into(),
                Vec::new(),
            ),
        ]);
        let up = |name: &str| format!("{origin}/wp-content/uploads/{name}");
        let urls = vec![
            up("ok.jpg"),
            up("moved.jpg"),
            up("big.jpg"),
            up("away.jpg"),
            up("stall.jpg").replace("/wp-content", "/stall/wp-content"),
            "https://cdn.example/wp-content/uploads/c.jpg".to_string(),
            "ftp://x/wp-content/uploads/f.jpg".to_string(),
        ];
        let mut plan = plan_with(&urls);
        let limits = Limits {
            files: 10,
            file_bytes: 32,
            total_bytes: 1000,
            timeout: Duration::from_secs(1),
            total_time: Duration::from_secs(60),
        };
        let dir = tempfile::tempdir().unwrap();
        let source = Source {
            dir: None,
            download: true,
        };
        let started = std::time::Instant::now();
        let done = localize(plan.texts(), &source, &limits, &origin, dir.path());
        assert!(
            started.elapsed() < Duration::from_secs(8),
            "the timeout holds"
        );
        assert_eq!((done.files, done.bytes), (2, 9));
        let why = |u: &str| done.missing.get(u).map(String::as_str).unwrap_or("");
        assert!(why(&up("big.jpg")).contains("bigger than"), "{done:?}");
        assert!(why(&up("away.jpg")).contains("another host"), "{done:?}");
        assert!(why(&urls[4]).starts_with("download failed"), "{done:?}");
        assert!(
            why(&urls[5]).contains("on another host (cdn.example)"),
            "{done:?}"
        );
        assert!(why(&urls[6]).contains("not an http(s) address"), "{done:?}");
        // A redirect on the old host is followed.
        assert_eq!(
            std::fs::read(dir.path().join("wp-content/uploads/moved.jpg")).unwrap(),
            b"6789"
        );
        assert_eq!(
            std::fs::read(dir.path().join("wp-content/uploads/ok.jpg")).unwrap(),
            b"12345"
        );
        assert!(
            plan.files[0]
                .1
                .starts_with("![x](wp-content/uploads/ok.jpg)\n")
        );
        assert_eq!(plan.media.len(), 5);

        // Count and total limits: what passes them is listed, not fetched.
        let mut plan = plan_with(&[up("ok.jpg"), up("b.jpg")]);
        let one = Limits { files: 1, ..limits };
        let done = localize(plan.texts(), &source, &one, &origin, dir.path());
        assert_eq!(done.files, 1);
        assert!(
            done.missing[&up("ok.jpg")].contains("more than 1 media files"),
            "{done:?}"
        );
        let mut plan = plan_with(&[up("ok.jpg"), up("b.jpg")]);
        let small = Limits {
            total_bytes: 8,
            ..limits
        };
        let done = localize(plan.texts(), &source, &small, &origin, dir.path());
        assert_eq!(done.files, 1);
        assert!(
            done.missing
                .values()
                .any(|w| w.contains("in all (the limit)")),
            "{done:?}"
        );
        // Past the time for all downloads, nothing more is asked for.
        let mut plan = plan_with(&[up("ok.jpg")]);
        let no_time = Limits {
            total_time: Duration::ZERO,
            ..limits
        };
        let done = localize(plan.texts(), &source, &no_time, &origin, dir.path());
        assert_eq!(done.files, 0);
        assert!(
            done.missing[&up("ok.jpg")].contains("time for downloads"),
            "{done:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_local_copy_stays_inside_its_folder_and_names_stay_apart() {
        let root = tempfile::tempdir().unwrap();
        let uploads = root.path().join("uploads");
        std::fs::create_dir_all(uploads.join("2020")).unwrap();
        std::fs::write(root.path().join("secret.txt"), "secret").unwrap();
        std::os::unix::fs::symlink(
            root.path().join("secret.txt"),
            uploads.join("2020/link.jpg"),
        )
        .unwrap();
        std::fs::write(uploads.join("2020/A.jpg"), "upper").unwrap();
        std::fs::write(uploads.join("2020/a.jpg"), "lower").unwrap();
        std::fs::write(uploads.join("2020/é.jpg"), "accent").unwrap();
        let up = |name: &str| format!("https://x.org/wp-content/uploads/2020/{name}");
        let urls = [
            up("link.jpg"),
            up("A.jpg"),
            up("a.jpg"),
            up("%C3%A9.jpg"),
            up("A.jpg?w=1"),
        ];
        let mut plan = plan_with(&urls);
        let out = root.path().join("static");
        let source = Source {
            dir: Some(uploads.clone()),
            download: false,
        };
        let done = localize(
            plan.texts(),
            &source,
            &Limits::default(),
            "https://x.org",
            &out,
        );
        assert!(done.missing[&up("link.jpg")].contains("leads outside the media folder"));
        assert_eq!(done.files, 3);
        let text = &plan.files[0].1;
        // Two names one on a case-insensitive disk are kept apart; one file, one copy.
        assert!(text.contains("(wp-content/uploads/2020/A.jpg)"), "{text}");
        assert!(text.contains("(wp-content/uploads/2020/a-2.jpg)"), "{text}");
        assert!(text.contains("(wp-content/uploads/2020/-.jpg)"), "{text}");
        assert_eq!(
            text.matches("(wp-content/uploads/2020/A.jpg)").count(),
            2,
            "{text}"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("wp-content/uploads/2020/a-2.jpg")).unwrap(),
            "lower"
        );
        assert!(!out.join("wp-content/uploads/2020/link.jpg").exists());
    }
}
