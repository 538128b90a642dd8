//! Images that don't move the page (issue 21): images under `static/` get `width` and
//! `height` from their file at build time; every image but the first of a page loads
//! lazily; a missing local image is a warning with its line; remote images are left as
//! they are; nothing outside the content folder is read.

use crate::common::*;
use std::fs;

/// The first bytes of a PNG file of this size (all an image header reader needs).
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    b.extend_from_slice(&width.to_be_bytes());
    b.extend_from_slice(&height.to_be_bytes());
    b.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    b
}

/// The `<img …>` tags of a page, in order.
fn images(html: &str) -> Vec<String> {
    html.split("<img ")
        .skip(1)
        .map(|s| s[..s.find('>').unwrap()].to_string())
        .collect()
}

#[test]
fn local_images_get_their_size_and_all_but_the_first_load_lazily() {
    let blog = Blog::new(SITE);
    let stat = blog.content().join("static");
    fs::create_dir_all(stat.join("img")).unwrap();
    fs::write(stat.join("img/wide.png"), png(1200, 630)).unwrap();
    fs::write(stat.join("img/a b.png"), png(40, 30)).unwrap();
    fs::write(stat.join("img/near.png"), png(64, 48)).unwrap();
    fs::write(stat.join("img/not-an-image.png"), "hello").unwrap();
    let body = "![wide](/img/wide.png \"Wide\")\n\nText ![spaced](/img/a%20b.png?v=2) and ![near](img/near.png).\n\n![remote](https://cdn.example/x.png)\n\n![gone](/img/missing.png)\n\n![broken](/img/not-an-image.png)\n";
    blog.post("pics.md", &post("Pics", "2024-01-01", "", body));
    let o = blog.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    // Lines in the file: front matter takes 4, the body starts on line 5.
    assert!(
        err.contains("pics.md:11: warning: image /img/missing.png is not a file under static/"),
        "{err}"
    );
    // A file whose size cannot be read (SVG, or not an image) just gets none.
    assert!(!err.contains("not-an-image"), "{err}");
    let page = blog.read("post/pics/index.html");
    let imgs = images(&page);
    assert_eq!(imgs.len(), 6, "{imgs:#?}");
    assert_eq!(
        imgs[0],
        "src=\"/img/wide.png\" alt=\"wide\" title=\"Wide\" width=\"1200\" height=\"630\""
    );
    assert!(
        imgs[1].ends_with("width=\"40\" height=\"30\" loading=\"lazy\" decoding=\"async\""),
        "{}",
        imgs[1]
    );
    assert!(
        imgs[2].contains("width=\"64\" height=\"48\" loading=\"lazy\""),
        "{}",
        imgs[2]
    );
    for (i, img) in imgs.iter().enumerate().skip(3) {
        assert!(!img.contains("width="), "{img}");
        assert!(
            img.contains("loading=\"lazy\" decoding=\"async\""),
            "{i}: {img}"
        );
    }
    assert!(imgs[3].starts_with("src=\"https://cdn.example/x.png\""));
    assert!(!page.contains("style="));
}

#[cfg(unix)]
#[test]
fn an_image_that_leads_outside_the_content_folder_is_never_read() {
    let blog = Blog::new(SITE);
    let outside = blog.root.path().join("secret.png");
    fs::write(&outside, png(7, 7)).unwrap();
    let stat = blog.content().join("static");
    fs::create_dir_all(&stat).unwrap();
    std::os::unix::fs::symlink(&outside, stat.join("leak.png")).unwrap();
    blog.post(
        "p.md",
        &post(
            "P",
            "2024-01-01",
            "",
            "![a](/leak.png) ![b](leak.png) ![c](../secret.png)\n",
        ),
    );
    let o = blog.build(&[]);
    // The link itself is the load stage's business (an error or a warning); if the
    // build goes on, the image gets no size.
    if o.status.success() {
        let page = blog.read("post/p/index.html");
        assert!(!page.contains("width=\"7\""), "{page}");
    } else {
        assert!(!blog.out().join("post/p/index.html").exists());
    }
}
