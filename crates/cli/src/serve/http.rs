//! A small static file server for `quire serve`: files of the current build's folder by
//! their path (a folder's `index.html`; `404.html` with status 404 for what is missing, as
//! static hosts do), never anything outside it, nothing cached by the browser, and the
//! live-reload endpoint: a request to [`RELOAD_PATH`] waits until the build version
//! differs from the one it names (or 25 s pass) and answers the current version.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// The live-reload endpoint: `?since=VERSION`.
pub const RELOAD_PATH: &str = "/__quire/reload";

/// The site being served: which folder, and its build version (0 before the first good
/// build). Shared between the server's threads and the rebuild loop.
#[derive(Debug, Default)]
pub struct Live {
    state: Mutex<(Option<PathBuf>, u64)>,
    changed: Condvar,
}

impl Live {
    /// A new good build is in `dir`: pages waiting on the endpoint are answered.
    pub fn publish(&self, dir: &Path) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.0 = Some(dir.to_path_buf());
        s.1 += 1;
        self.changed.notify_all();
    }

    fn current(&self) -> (Option<PathBuf>, u64) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The version once it is not `since` (or after `timeout`).
    fn wait(&self, since: &str, timeout: Duration) -> u64 {
        let s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (s, _) = self
            .changed
            .wait_timeout_while(s, timeout, |s| s.1.to_string() == since)
            .unwrap_or_else(|e| e.into_inner());
        s.1
    }
}

/// The server, listening; [`Server::run`] answers requests until the function from
/// [`Server::stopper`] is called.
pub struct Server {
    inner: Arc<tiny_http::Server>,
    pub port: u16,
}

impl Server {
    /// Listens on 127.0.0.1:`port` (0: any free port).
    pub fn bind(port: u16) -> Result<Server, String> {
        let inner = tiny_http::Server::http(("127.0.0.1", port))
            .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
        let port = inner.server_addr().to_ip().map_or(port, |a| a.port());
        Ok(Server {
            inner: Arc::new(inner),
            port,
        })
    }

    /// Answers requests, each on a thread of its own (a page's reload request waits),
    /// until the function from [`Server::stopper`] is called.
    pub fn run(&self, live: Arc<Live>) {
        for request in self.inner.incoming_requests() {
            let live = Arc::clone(&live);
            std::thread::spawn(move || respond(request, &live));
        }
    }

    /// A handle that stops [`Server::run`] from another thread.
    pub fn stopper(&self) -> impl Fn() + Send + 'static {
        let inner = Arc::clone(&self.inner);
        move || inner.unblock()
    }
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("an ASCII header")
}

fn respond(request: tiny_http::Request, live: &Live) {
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let no_store = header("Cache-Control", "no-store");
    if path == RELOAD_PATH {
        let since = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("since="))
            .unwrap_or("");
        let version = live.wait(since, Duration::from_secs(25));
        let _ = request.respond(
            tiny_http::Response::from_string(version.to_string())
                .with_header(header("Content-Type", "text/plain; charset=utf-8"))
                .with_header(no_store),
        );
        return;
    }
    let (dir, _) = live.current();
    let Some(dir) = dir else {
        let _ = request.respond(
            tiny_http::Response::from_string(
                "quire serve: no site yet (the content has errors: see the terminal)",
            )
            .with_status_code(503)
            .with_header(no_store),
        );
        return;
    };
    let (status, file) = match resolve(&dir, path) {
        Some(file) => (200, file),
        None => (404, dir.join("404.html")),
    };
    let response = match std::fs::File::open(&file) {
        Ok(f) => tiny_http::Response::from_file(f)
            .with_status_code(status)
            .with_header(header("Content-Type", content_type(&file)))
            .with_header(no_store)
            .boxed(),
        Err(_) => tiny_http::Response::from_string("not found")
            .with_status_code(404)
            .with_header(no_store)
            .boxed(),
    };
    let _ = request.respond(response);
}

/// The file a URL path names inside `dir`: percent-decoded, segment by segment; `..`,
/// `.`-files, backslashes and NUL never resolve; a folder means its `index.html`.
pub fn resolve(dir: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = quire_core::route::decode_path(url_path);
    let mut file = dir.to_path_buf();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        if segment.starts_with('.') || segment.contains(['\\', '\0', ':']) {
            return None;
        }
        file.push(segment);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

/// The media type by extension (what a static host would send).
pub fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("post/a b")).unwrap();
        std::fs::write(d.join("post/a b/index.html"), "x").unwrap();
        std::fs::write(d.join("index.html"), "x").unwrap();
        std::fs::write(d.join(".secret"), "x").unwrap();
        assert_eq!(resolve(d, "/"), Some(d.join("index.html")));
        assert_eq!(
            resolve(d, "/post/a%20b/"),
            Some(d.join("post/a b/index.html"))
        );
        assert_eq!(
            resolve(d, "/post/a%20b"),
            Some(d.join("post/a b/index.html"))
        );
        assert_eq!(resolve(d, "/.secret"), None);
        assert_eq!(resolve(d, "/post/../../etc/passwd"), None);
        assert_eq!(resolve(d, "/post/%2e%2e/index.html"), None);
        assert_eq!(resolve(d, "/missing"), None);
        assert_eq!(content_type(Path::new("a_bg.wasm")), "application/wasm");
    }

    #[test]
    fn reload_waits_for_a_new_version() {
        let live = Arc::new(Live::default());
        assert_eq!(live.wait("", Duration::from_millis(1)), 0);
        assert_eq!(live.wait("0", Duration::from_millis(20)), 0);
        let l = Arc::clone(&live);
        let waiter = std::thread::spawn(move || l.wait("0", Duration::from_secs(10)));
        std::thread::sleep(Duration::from_millis(50));
        live.publish(Path::new("/x"));
        assert_eq!(waiter.join().unwrap(), 1);
    }
}
