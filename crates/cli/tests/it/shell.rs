//! The app shell as a template (`quire::Template`, crates/cli/src/render/shell.rs), end to end: a shell shaped like Trunk's
//! release `index.html` (sub-path base, integrity attributes, an inline module script, a
//! comment in `<body>`), built into a blog; every route file read back with html5ever, as
//! the browser reads it. And the cost of filling a route against parsing the shell.

use crate::common::*;
use quire::{APP_END, APP_START, CSP_START, Template, script_hash};
use scraper::{Html, Node, Selector};
use std::fs;
use std::time::Instant;

const SHELL: &str = r#"<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <base href="/blog/" />
    <title>Quire</title>
    <meta name="description" content="" />
    <meta name="color-scheme" content="light dark" />
    <link rel="icon" href="/blog/favicon-1.svg" integrity="sha384-abc"/>
    <!-- a comment the shell keeps -->
<script type="module">
import init from '/blog/app-1.js';
const wasm = await init({ module_or_path: '/blog/app-1_bg.wasm' });
</script>
  <link rel="modulepreload" href="/blog/app-1.js" crossorigin="anonymous" integrity="sha384-def"></head>
  <body>
    <!-- quire build puts each route's prerendered page here -->
  </body>
</html>
"#;

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

#[test]
fn every_route_file_is_the_shell_with_its_parts_filled() {
    let blog = Blog::new(SITE);
    for i in 0..3 {
        blog.post(
            &format!("p{i}.md"),
            &post(
                &format!("Post {i}"),
                &format!("2024-02-0{}", i + 1),
                "tags: [one]\n",
                "Body.",
            ),
        );
    }
    let shell = blog.root.path().join("shell.html");
    fs::write(&shell, SHELL).unwrap();
    let o = blog.build(&["--shell", shell.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let index = blog.index();
    let routes: Vec<_> = quire_core::Route::all(&index)
        .into_iter()
        .chain([quire_core::Route::NotFound])
        .collect();
    for route in &routes {
        let rel = route.file();
        let text = blog.read(&rel);
        let doc = Html::parse_document(&text);
        // One policy, right after the charset declaration, hashing exactly the page's
        // inline scripts (as the browser reads them).
        let head = select(&doc, "head")[0];
        let first: Vec<_> = head.child_elements().take(2).collect();
        assert_eq!(first[0].attr("charset"), Some("utf-8"), "{rel}");
        assert_eq!(
            first[1].attr("http-equiv"),
            Some("Content-Security-Policy"),
            "{rel}"
        );
        assert_eq!(select(&doc, "meta[http-equiv]").len(), 1, "{rel}");
        let policy = first[1].attr("content").unwrap();
        let scripts: Vec<String> = select(&doc, "script:not([src])")
            .iter()
            .map(|s| s.text().collect())
            .collect();
        assert_eq!(scripts.len(), 1, "{rel}");
        let script_src = policy
            .split(';')
            .find_map(|d| d.trim().strip_prefix("script-src "))
            .unwrap();
        let hashes: Vec<&str> = script_src.split(' ').skip(2).collect();
        assert_eq!(hashes, [script_hash(&scripts[0])], "{rel}");
        // The shell's own parts are all there, the description replaced by the route's.
        for css in [
            "link[rel=icon][integrity='sha384-abc']",
            "link[rel=modulepreload][crossorigin=anonymous][integrity='sha384-def']",
            "meta[name=color-scheme]",
            "meta[name=viewport]",
            "base[href='/blog/']",
            "head title",
            "meta[name=description]",
        ] {
            assert_eq!(select(&doc, css).len(), 1, "{rel}: {css}");
        }
        let description = select(&doc, "meta[name=description]")[0];
        assert!(!description.attr("content").unwrap().is_empty(), "{rel}");
        let comments: Vec<String> = doc
            .tree
            .nodes()
            .filter_map(|n| n.value().as_comment().map(|c| c.trim().to_string()))
            .collect();
        assert!(
            comments.iter().any(|c| c == "a comment the shell keeps"),
            "{rel}"
        );
        // The app's page is the first thing in <body>, inside quire's markers, and its
        // links start with the shell's base path.
        assert!(
            text.contains(&format!("<body>{APP_START}<div id=\"app\" class=\"app\">")),
            "{rel}"
        );
        let body = select(&doc, "body")[0];
        let kids: Vec<_> = body.children().take(3).collect();
        assert!(matches!(kids[0].value(), Node::Comment(c) if &**c == "quire:app"));
        assert_eq!(
            kids[1].value().as_element().and_then(|e| e.attr("id")),
            Some("app")
        );
        assert!(matches!(kids[2].value(), Node::Comment(c) if &**c == "/quire:app"));
        let home = select(&doc, "a.site-title")[0];
        assert_eq!(home.attr("href"), Some("/blog/"), "{rel}");
        assert_eq!(text.matches(APP_END).count(), 1, "{rel}");
    }

    // A rebuild over the output, its index.html as the shell, writes the same files.
    let before = snapshot(&blog.out());
    let o = blog.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(before, snapshot(&blog.out()));
    assert_eq!(blog.read("index.html").matches(CSP_START).count(), 1);
}

#[test]
fn a_shell_without_a_body_is_refused_clearly() {
    let blog = Blog::new(SITE);
    blog.post("a.md", &post("A", "2024-01-01", "", "b"));
    let shell = blog.root.path().join("frames.html");
    fs::write(
        &shell,
        "<html><head><title>x</title></head><frameset><frame src=a.html></frameset></html>",
    )
    .unwrap();
    let o = blog.build(&["--shell", shell.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "{}:1: error: the app shell has no <body>",
            shell.display()
        )),
        "{err}"
    );
    assert!(!blog.out().join("index.html").exists());
}

/// Filling a route file is a concatenation; parsing the shell happens once a build. This
/// prints both and checks, with a wide margin, that filling costs far less than a parse
/// (it would not if the template re-read the shell per route).
#[test]
fn filling_a_route_costs_far_less_than_parsing_the_shell() {
    let shell = SHELL.replace(
        "</head>",
        &format!(
            "{}</head>",
            "<link rel=\"preload\" href=\"/x.css\">\n".repeat(40)
        ),
    );
    let app = "<main><p>page</p></main>".repeat(40);
    let block = "<meta name=\"description\" content=\"d\">\n".repeat(6);
    let best = |runs: usize, f: &dyn Fn()| {
        (0..5)
            .map(|_| {
                let t = Instant::now();
                for _ in 0..runs {
                    f();
                }
                t.elapsed().as_secs_f64() / runs as f64
            })
            .fold(f64::INFINITY, f64::min)
    };
    let parse = best(50, &|| {
        std::hint::black_box(Template::new(std::hint::black_box(&shell)).unwrap());
    });
    let template = Template::new(&shell).unwrap();
    let fill = best(2000, &|| {
        std::hint::black_box(template.render("A title", &block, &app));
    });
    println!(
        "shell of {} bytes: parse {:.1} µs once a build; fill {:.2} µs a route file ({:.0}× less)",
        shell.len(),
        parse * 1e6,
        fill * 1e6,
        parse / fill
    );
    assert!(fill * 5.0 < parse, "fill {fill} s, parse {parse} s");
}
