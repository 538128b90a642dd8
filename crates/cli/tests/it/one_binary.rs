//! Issue 22, one binary for bloggers, from the outside: `quire new`, `quire theme`, the
//! theme files in every route file, the build id check against an app from other
//! sources, and `quire serve` (rebuild on change, live reload, the last good site kept
//! while a post is broken, Ctrl-C). The packaged binary with the app inside is tested in
//! the browser (tests/e2e/one-binary.test.mjs).

use crate::common::{Blog, SITE, collect_stderr, post, quire, stderr};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[test]
fn new_makes_a_blog_that_builds_and_refuses_a_non_empty_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("my blog");
    let o = quire(&["new", dir.to_str().unwrap()], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains(&format!("cd \"{}\"", dir.display())), "{out}");
    assert!(out.contains("quire serve"), "{out}");
    for f in [
        "site.toml",
        "posts/hello-world.md",
        "pages/about.md",
        "static",
    ] {
        assert!(dir.join(f).exists(), "{f}");
    }
    let about = std::fs::read_to_string(dir.join("pages/about.md")).unwrap();
    assert!(about.starts_with("---\ntitle: About\n"), "{about}");

    // Again: refused, nothing changed.
    let before = std::fs::read_to_string(dir.join("site.toml")).unwrap();
    std::fs::write(dir.join("site.toml"), "changed").unwrap();
    let o = quire(&["new", dir.to_str().unwrap()], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not empty"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(dir.join("site.toml")).unwrap(),
        "changed"
    );
    std::fs::write(dir.join("site.toml"), before).unwrap();
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    assert_eq!(
        quire(&["new", file.to_str().unwrap()], &[]).status.code(),
        Some(1)
    );

    // It builds as it is, from inside the folder (no --content: site.toml is here).
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_quire"))
        .arg("build")
        .current_dir(&dir)
        .env_remove("QUIRE_CONTENT")
        .env_remove("TRUNK_STAGING_DIR")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.join("dist/post/hello-world/index.html").is_file());
    assert!(!stderr(&o).contains("error"), "{}", stderr(&o));
}

#[test]
fn theme_export_writes_the_builtin_stylesheet() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("theme");
    let o = quire(&["theme", "--export", dir.to_str().unwrap()], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let css = std::fs::read_to_string(dir.join("style.css")).unwrap();
    let builtin = include_str!("../../../../style/main.css");
    assert_eq!(css, builtin);
    // Never over an existing file.
    let o = quire(&["theme", "--export", dir.to_str().unwrap()], &[]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn theme_files_go_into_every_route_file_and_the_policy() {
    let blog = Blog::new(SITE);
    blog.post("a.md", &post("A", "2024-01-01", "", "Hello"));
    let theme = blog.content().join("theme");
    std::fs::create_dir_all(&theme).unwrap();
    std::fs::write(theme.join("style.css"), "body { color: rebeccapurple; }").unwrap();
    std::fs::write(
        theme.join("head.html"),
        "<link rel=\"preconnect\" href=\"https://fonts.example\">\n<script>window.analytics = 1;</script>",
    )
    .unwrap();
    let o = blog.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let css_name = std::fs::read_dir(blog.out())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("quire-theme-") && n.ends_with(".css"))
        .expect("the theme's stylesheet is written");
    assert_eq!(blog.read(&css_name), "body { color: rebeccapurple; }");
    let hash = quire::script_hash("window.analytics = 1;");
    for route in [
        "index.html",
        "post/a/index.html",
        "404.html",
        "tags/index.html",
    ] {
        let html = blog.read(route);
        let head = &html[..html.find("</head>").unwrap()];
        assert!(
            head.contains(&format!("href=\"{css_name}\"")),
            "{route}: {html}"
        );
        assert!(
            head.contains("<script>window.analytics = 1;</script>"),
            "{route}"
        );
        assert!(head.contains("fonts.example"), "{route}");
        let csp_at = html.find("Content-Security-Policy").unwrap();
        assert!(
            html[csp_at..].contains(&hash),
            "{route}: the head script's hash is in the policy"
        );
        assert_eq!(html.matches("window.analytics").count(), 1, "{route}");
    }
    // Rebuilt over its own output (the route file as the shell): not doubled.
    let o = blog.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        blog.read("index.html").matches("window.analytics").count(),
        1
    );
}

#[cfg(unix)]
#[test]
fn theme_files_follow_the_content_folder_rules() {
    let blog = Blog::new(SITE);
    blog.post("a.md", &post("A", "2024-01-01", "", "Hello"));
    let theme = blog.content().join("theme");
    std::fs::create_dir_all(&theme).unwrap();
    let outside = blog.root.path().join("secret.txt");
    std::fs::write(&outside, "TOKEN").unwrap();
    std::os::unix::fs::symlink(&outside, theme.join("head.html")).unwrap();
    let o = blog.build(&[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("theme/head.html:1: error"),
        "{}",
        stderr(&o)
    );
    assert!(!blog.out().join("index.html").exists());
    // Too big: refused with its size, like a post.
    std::fs::remove_file(theme.join("head.html")).unwrap();
    let big = std::fs::File::create(theme.join("style.css")).unwrap();
    big.set_len((16 << 20) + 1).unwrap();
    let o = blog.build(&[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("theme/style.css:1: error"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn an_app_from_other_sources_is_refused() {
    let blog = Blog::new(SITE);
    blog.post("a.md", &post("A", "2024-01-01", "", "Hello"));
    std::fs::create_dir_all(blog.out()).unwrap();
    let shell = "<!doctype html><html><head><base href=\"/\"></head><body></body></html>";
    std::fs::write(blog.out().join("index.html"), shell).unwrap();
    std::fs::write(
        blog.out().join("quire-app-1_bg.wasm"),
        b"\0asm....quire-build-0123456789abcdef....",
    )
    .unwrap();
    let o = quire(
        &[
            "build",
            "--content",
            blog.content().to_str().unwrap(),
            "--out",
            blog.out().to_str().unwrap(),
        ],
        &[("TRUNK_STAGING_DIR", &blog.out())],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("different sources") && err.contains("0123456789abcdef"),
        "{err}"
    );
    assert!(!blog.out().join("post").exists(), "nothing written");
    // The app of this quire's own sources passes.
    std::fs::write(
        blog.out().join("quire-app-1_bg.wasm"),
        format!("\0asm....{}....", quire_app::BUILD_MARK),
    )
    .unwrap();
    let o = quire(
        &[
            "build",
            "--content",
            blog.content().to_str().unwrap(),
            "--out",
            blog.out().to_str().unwrap(),
        ],
        &[("TRUNK_STAGING_DIR", &blog.out())],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(blog.read("index.html").contains(quire_app::BUILD_MARK));
}

/// A running `quire serve`, its output collected.
struct Serving {
    child: Child,
    output: Arc<Mutex<String>>,
    port: u16,
}

impl Serving {
    fn start(content: &Path) -> Serving {
        let mut child = Command::new(env!("CARGO_BIN_EXE_quire"))
            .args([
                "serve",
                "--port",
                "0",
                "--content",
                content.to_str().unwrap(),
            ])
            .env_remove("QUIRE_CONTENT")
            .env_remove("TRUNK_STAGING_DIR")
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let output = collect_stderr(&mut child);
        let mut s = Serving {
            child,
            output,
            port: 0,
        };
        let line = s.wait_for("at http://127.0.0.1:", Duration::from_secs(60));
        let port = line
            .split("at http://127.0.0.1:")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .and_then(|p| p.parse().ok())
            .expect("a port");
        s.port = port;
        s
    }

    fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// The first output line (from now or before) containing `text`.
    fn wait_for(&mut self, text: &str, timeout: Duration) -> String {
        let start = Instant::now();
        loop {
            if let Some(l) = self.output().lines().find(|l| l.contains(text)) {
                return l.to_string();
            }
            assert!(
                self.child.try_wait().unwrap().is_none(),
                "quire serve exited:\n{}",
                self.output()
            );
            assert!(
                start.elapsed() < timeout,
                "no {text:?} in:\n{}",
                self.output()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn get(&self, path: &str) -> (u16, String) {
        get(self.port, path)
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A plain HTTP/1.0 GET: status and body.
fn get(port: u16, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let status = text[9..12].parse().unwrap();
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (status, body)
}

#[test]
fn serve_rebuilds_reloads_keeps_the_last_good_site_and_stops_on_ctrl_c() {
    let blog = Blog::new(SITE);
    let file = blog.post("a.md", &post("First title", "2024-01-01", "", "Hello"));
    let mut serving = Serving::start(&blog.content());

    let (status, home) = serving.get("/");
    assert_eq!(status, 200);
    assert!(home.contains("First title"), "{home}");
    // The reload script is in the page, its hash in the page's policy.
    let script = home
        .split("<script>")
        .find(|s| s.contains("__quire/reload"))
        .and_then(|s| s.split("</script>").next())
        .expect("the reload script");
    assert!(home.contains(&quire::script_hash(script)), "{home}");
    let (status, missing) = serving.get("/no/such/page");
    assert_eq!(status, 404);
    assert!(missing.contains("__quire/reload"), "404.html is the site's");
    assert_eq!(serving.get("/../../etc/passwd").0, 404);
    assert_eq!(serving.get("/__quire/reload?since=").1, "1");

    // An edit: a page waiting on the endpoint hears of the new build.
    let port = serving.port;
    let waiting = std::thread::spawn(move || {
        let r = get(port, "/__quire/reload?since=1");
        (r, Instant::now())
    });
    std::thread::sleep(Duration::from_millis(200));
    let edited = Instant::now();
    std::fs::write(&file, post("Second title", "2024-01-01", "", "Hello")).unwrap();
    let ((_, version), answered) = waiting.join().unwrap();
    assert_eq!(version, "2");
    let took = answered - edited;
    eprintln!("edit → reload answered: {} ms", took.as_millis());
    assert!(took < Duration::from_secs(5), "{took:?}");
    assert!(serving.get("/post/a/").1.contains("Second title"));

    // Broken: path:line printed, the last good site still served, no reload sent.
    std::fs::write(&file, "---\ntitle: [unclosed\ndate: 2024-01-01\n---\nx\n").unwrap();
    serving.wait_for("a.md:", Duration::from_secs(10));
    serving.wait_for("still serving the last good build", Duration::from_secs(10));
    assert!(serving.output().contains("error"), "{}", serving.output());
    assert!(serving.get("/post/a/").1.contains("Second title"));
    assert_eq!(serving.get("/__quire/reload?since=").1, "2");

    // Fixed: it recovers.
    std::fs::write(&file, post("Third title", "2024-01-01", "", "Hello")).unwrap();
    let start = Instant::now();
    while !serving.get("/post/a/").1.contains("Third title") {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{}",
            serving.output()
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    // Ctrl-C: exit status 0, the temporary build removed.
    let line = serving.wait_for("built in ", Duration::from_secs(1));
    let tmp = line
        .split("built in ")
        .nth(1)
        .and_then(|r| r.split(';').next())
        .unwrap()
        .to_string();
    assert!(Path::new(&tmp).exists(), "{tmp}");
    #[cfg(unix)]
    {
        let pid = i32::try_from(serving.child.id()).unwrap();
        // SAFETY: sends a signal to the child this test started.
        unsafe { libc::kill(pid, libc::SIGINT) };
        let start = Instant::now();
        let status = loop {
            if let Some(s) = serving.child.try_wait().unwrap() {
                break s;
            }
            assert!(start.elapsed() < Duration::from_secs(5), "not stopped");
            std::thread::sleep(Duration::from_millis(20));
        };
        assert!(status.success(), "{status:?}");
        std::thread::sleep(Duration::from_millis(100));
        assert!(serving.output().contains("quire: stopped"));
        assert!(!Path::new(&tmp).exists(), "{tmp} left behind");
    }
}
