//! `quire import wordpress` on an export with pages and menus
//! (`tests/fixtures/wordpress/pages-menu.xml`): pages written as standalone pages that keep
//! their old addresses, the primary menu as site.toml's `[[menu]]`, and the old uploads
//! made local with `--media DIR` or `--download-media`.

use crate::common::*;
use std::fs;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wordpress")
}

fn import(export: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "import",
        "wordpress",
        export.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    quire(&args, &[])
}

fn read(dir: &Path, rel: &str) -> String {
    fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The front matter lines of a written file.
fn front(text: &str) -> Vec<&str> {
    text.lines().skip(1).take_while(|l| *l != "---").collect()
}

fn imported(extra: &[&str]) -> (tempfile::TempDir, PathBuf, String) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("blog");
    let o = import(&fixtures().join("pages-menu.xml"), &out, extra);
    assert!(o.status.success(), "{}", stderr(&o));
    let report = String::from_utf8_lossy(&o.stdout).into_owned();
    (tmp, out, report)
}

#[test]
fn pages_keep_their_addresses_and_others_become_aliases() {
    let (_tmp, out, report) = imported(&[]);
    // /about/ was its address and stays it: no alias, no date, tags or author.
    assert_eq!(
        front(&read(&out, "pages/about.md")),
        [
            "title: \"About\"",
            "updated: 2021-05-01T12:00:00Z",
            "slug: \"about\""
        ]
    );
    // A page nested under another: /team/ here, its old path an alias.
    assert_eq!(
        front(&read(&out, "pages/team.md")),
        [
            "title: \"Team\"",
            "updated: 2020-02-01T10:00:00Z",
            "slug: \"team\"",
            "aliases: [\"/about/team/\"]"
        ]
    );
    // A page whose address Quire's own /tags takes moves, and the report says so.
    assert!(read(&out, "pages/tags-page.md").contains("slug: \"tags-page\"\n"));
    assert!(
        report.contains("page \"Tag list\" was /tags/ on WordPress; /tags/ is Quire's own here, so the page is /tags-page/"),
        "{report}"
    );
    // A draft page stays a draft.
    assert!(read(&out, "pages/plans.md").contains("draft: true\n"));
    // ?page_id= links cannot be aliases: listed like ?p=.
    for line in [
        "/?page_id=2  →  /about/",
        "/?page_id=3  →  /team/",
        "/?page_id=4  →  /tags-page/",
        "/?p=10  →  /post/hello",
    ] {
        assert!(report.contains(line), "{line:?} not in:\n{report}");
    }
    assert!(!report.contains("page_id=5"), "{report}");
    assert!(!report.contains("the app does not show pages"), "{report}");
    // The posts are as before.
    let hello = read(&out, "posts/2020-01-01-hello.md");
    assert!(hello.contains("date: 2020-01-01T10:00:00Z\n"), "{hello}");
}

#[test]
fn the_primary_menu_becomes_menu_entries_in_order() {
    let (_tmp, out, report) = imported(&[]);
    let site = read(&out, "site.toml");
    let menu = &site[site.find("[[menu]]").expect(&site)..site.find("[authors").unwrap()];
    assert_eq!(
        menu,
        "[[menu]]\nname = \"Home\"\nurl = \"/\"\n\n\
         [[menu]]\nname = \"About\"\nurl = \"about/\"\n\n\
         [[menu]]\nname = \"Notes\"\nurl = \"category/notes\"\n\n\
         [[menu]]\nname = \"First post\"\nurl = \"post/hello\"\n\n\
         [[menu]]\nname = \"Code\"\nurl = \"https://github.com/ada\"\n\n"
    );
    for line in [
        "menu: \"Primary Menu\" → 5 [[menu]] entries in site.toml",
        "skipped: nav_menu_item 5",
        "menu \"Footer\" (1 entry) is not imported: only one menu, \"Primary Menu\", becomes site.toml's [[menu]]",
        "menu entry \"Insecure\": its link \"http://elsewhere.example/\" is neither inside the site nor an https:// address; left out",
        "menu entry \"Plans\": it leads to \"Old plans\", a draft here (its page is not published); left out",
        "menu entry \"Nothing here\": category \"Empty\" has no published post, so no page here; left out",
        "menu \"Primary Menu\": 1 sub-entry left out (a [[menu]] has one level)",
    ] {
        assert!(report.contains(line), "{line:?} not in:\n{report}");
    }
    // site.toml is still TOML the build reads (the menu is an array of tables).
    let o = quire(&["check", "--content", out.to_str().unwrap()], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_menu_item_without_a_target_is_skipped_and_named() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("blog");
    let o = import(&fixtures().join("export.xml"), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let site = read(&out, "site.toml");
    assert!(!site.contains("[[menu]]"), "{site}");
    // The fixture's one menu item has no target: counted as skipped, and named.
    let report = String::from_utf8_lossy(&o.stdout);
    assert!(
        report.contains("skipped: attachment 1, nav_menu_item 1, revision 1"),
        "{report}"
    );
    assert!(
        report.contains("menu: \"Main\" → 0 [[menu]] entries"),
        "{report}"
    );
    assert!(
        report.contains("unknown _menu_item_type \"\"; left out"),
        "{report}"
    );
}

/// The end-to-end check: an export with a page and a menu imports into a blog
/// whose page and menu work.
#[test]
fn imports_into_a_blog_whose_pages_and_menu_work() {
    let (tmp, content, _) = imported(&[]);
    let dist = tmp.path().join("dist");
    let o = quire(
        &[
            "build",
            "--content",
            content.to_str().unwrap(),
            "--out",
            dist.to_str().unwrap(),
        ],
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let page = |rel: &str| read(&dist, rel);
    // Each page at its address, its old address an alias page leading to it.
    assert!(page("about/index.html").contains("Who we are."));
    assert!(page("team/index.html").contains("The team."));
    assert!(page("tags-page/index.html").contains("Our tags."));
    let alias = page("about/team/index.html");
    assert!(alias.contains("url=/team"), "{alias}");
    assert!(!dist.join("plans").exists(), "a draft page is left out");
    // The menu, in order, on every route kind.
    for rel in [
        "index.html",
        "post/hello/index.html",
        "about/index.html",
        "tag/rust/index.html",
        "category/notes/index.html",
        "tags/index.html",
        "archive/index.html",
        "search/index.html",
        "404.html",
    ] {
        let html = page(rel);
        let at = |needle: &str| {
            html.find(needle)
                .unwrap_or_else(|| panic!("{rel}: {needle:?} not in:\n{html}"))
        };
        let order = [
            at(">Home</a>"),
            at(">About</a>"),
            at(">Notes</a>"),
            at(">First post</a>"),
            at(">Code</a>"),
        ];
        assert!(order.is_sorted(), "{rel}: {order:?}");
        assert!(html.contains("href=\"https://github.com/ada\""), "{rel}");
        assert!(html.contains("rel=\"noopener\""), "{rel}");
    }
    assert!(page("about/index.html").contains("aria-current=\"page\""));
}

/// A small HTTP server on 127.0.0.1 for the old site: answers each GET with the body
/// `files` has for its path, else 404; counts the requests.
fn old_site(
    files: Vec<(&'static str, Vec<u8>)>,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let hits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
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
            let (status, body) = match files.iter().find(|(p, _)| *p == path) {
                Some((_, b)) => ("200 OK", b.clone()),
                None => ("404 Not Found", b"no".to_vec()),
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    (format!("http://{addr}"), hits)
}

#[test]
fn media_from_a_local_copy_of_the_uploads() {
    let (_tmp, out, report) = imported(&["--media", fixtures().join("uploads").to_str().unwrap()]);
    assert_eq!(
        fs::read(out.join("static/wp-content/uploads/2020/01/team.jpg")).unwrap(),
        b"JPEGDATA-team"
    );
    assert!(
        out.join("static/wp-content/uploads/2020/01/notes.pdf")
            .is_file()
    );
    let about = read(&out, "pages/about.md");
    assert!(
        about.contains("![The team](wp-content/uploads/2020/01/team.jpg)"),
        "{about}"
    );
    let hello = read(&out, "posts/2020-01-01-hello.md");
    assert!(
        hello.contains("[notes](wp-content/uploads/2020/01/notes.pdf)"),
        "{hello}"
    );
    // What the copy does not have stays linked on the old site and is listed, with why.
    assert!(
        hello.contains("![gone](https://old.example.org/wp-content/uploads/2020/01/missing.png)"),
        "{hello}"
    );
    for part in [
        "Media made local: 2 files (1 KB) in static/wp-content/uploads/, links rewritten",
        "Media missing, still linked on the old site",
        "  https://old.example.org/wp-content/uploads/2020/01/missing.png  ← posts/2020-01-01-hello.md\n      not in the media folder (2020/01/missing.png)",
    ] {
        assert!(report.contains(part), "{part:?} not in:\n{report}");
    }
    assert!(!report.contains("team.jpg"), "{report}");
    assert_eq!(
        read(&out, "import-report.txt"),
        report[..report.find("\nWrote ").unwrap()]
    );
    // The new folder checks clean: the static files are where the links say.
    let o = quire(&["check", "--content", out.to_str().unwrap()], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn media_downloaded_from_the_old_host() {
    let (origin, hits) = old_site(vec![
        (
            "/wp-content/uploads/2020/01/team.jpg",
            b"from the host".to_vec(),
        ),
        ("/wp-content/uploads/2020/01/notes.pdf", b"%PDF".to_vec()),
    ]);
    let text = fs::read_to_string(fixtures().join("pages-menu.xml"))
        .unwrap()
        .replace("https://old.example.org", &origin);
    let tmp = tempfile::tempdir().unwrap();
    let export = tmp.path().join("export.xml");
    fs::write(&export, text).unwrap();
    let out = tmp.path().join("blog");
    let o = import(&export, &out, &["--download-media"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        fs::read(out.join("static/wp-content/uploads/2020/01/team.jpg")).unwrap(),
        b"from the host"
    );
    assert!(read(&out, "pages/about.md").contains("](wp-content/uploads/2020/01/team.jpg)"));
    assert!(
        report.contains(&format!(
            "  {origin}/wp-content/uploads/2020/01/missing.png  ← posts/2020-01-01-hello.md\n      the old host answered 404"
        )),
        "{report}"
    );
    assert_eq!(hits.load(std::sync::atomic::Ordering::SeqCst), 3);
    // Nothing is written outside static/ and the new folder.
    let mut all = Vec::new();
    for e in walk_files(tmp.path()) {
        all.push(e);
    }
    assert!(
        all.iter().all(|p| p.starts_with(&out) || *p == export),
        "{all:?}"
    );
}

#[test]
fn a_bad_export_downloads_nothing_and_media_must_be_a_folder() {
    let (origin, hits) = old_site(vec![]);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("blog");
    // An export with an error: refused before any request is made.
    let text = fs::read_to_string(fixtures().join("pages-menu.xml"))
        .unwrap()
        .replace("https://old.example.org", &origin)
        .replace("<title><![CDATA[Team]]></title>", "<title></title>");
    let export = tmp.path().join("export.xml");
    fs::write(&export, text).unwrap();
    let o = import(&export, &out, &["--download-media"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("no title"), "{}", stderr(&o));
    assert_eq!(hits.load(std::sync::atomic::Ordering::SeqCst), 0);
    assert!(!out.exists());
    let not_dir = fixtures().join("pages-menu.xml");
    let o = import(
        &fixtures().join("pages-menu.xml"),
        &out,
        &["--media", not_dir.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("--media must be a folder"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());
}

fn walk_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk_files(&p));
        } else {
            out.push(p);
        }
    }
    out
}
