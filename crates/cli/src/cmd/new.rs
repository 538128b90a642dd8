//! `quire new DIR`: a starter blog for someone who has only the `quire` binary — site.toml
//! with its fields explained, a first post, an About page, an empty `static/` — then the
//! next two commands. It never writes into a folder that holds anything.

use super::args::NewArgs;
use std::io;
use std::path::Path;

/// The starter files: path inside the new folder, text.
fn starter(today: &str) -> Vec<(&'static str, String)> {
    vec![
        ("site.toml", include_str!("starter/site.toml").to_string()),
        (
            "posts/hello-world.md",
            include_str!("starter/first-post.md").replace("{DATE}", today),
        ),
        (
            "pages/about.md",
            include_str!("starter/about.md").to_string(),
        ),
        ("static/.gitkeep", String::new()),
    ]
}

/// Whether `dir` may be written: it does not exist, or is an empty folder.
fn usable(dir: &Path) -> Result<(), String> {
    match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("{}: {e}", dir.display())),
        Ok(m) if !m.is_dir() => Err(format!("{} exists and is not a folder", dir.display())),
        Ok(_) => match std::fs::read_dir(dir).map(|mut d| d.next().is_none()) {
            Ok(true) => Ok(()),
            Ok(false) => Err(format!(
                "{} is not empty; quire new writes only into a new or empty folder",
                dir.display()
            )),
            Err(e) => Err(format!("{}: {e}", dir.display())),
        },
    }
}

fn write(dir: &Path, today: &str) -> io::Result<()> {
    for (rel, text) in starter(today) {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        // create_new: a file that appeared meanwhile is never overwritten.
        use io::Write;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?
            .write_all(text.as_bytes())?;
    }
    Ok(())
}

/// `quire new`: returns the exit status.
pub fn new(a: &NewArgs) -> i32 {
    if let Err(e) = usable(&a.dir) {
        eprintln!("quire: error: {e}");
        return 1;
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let today = chrono::DateTime::from_timestamp(i64::try_from(now).unwrap_or(0), 0)
        .unwrap_or_default()
        .format("%Y-%m-%d")
        .to_string();
    if let Err(e) = write(&a.dir, &today) {
        eprintln!("quire: error: cannot write {}: {e}", a.dir.display());
        return 1;
    }
    let shown = a.dir.display().to_string();
    let cd = if shown.contains([' ', '\'', '"']) {
        format!("cd \"{shown}\"")
    } else {
        format!("cd {shown}")
    };
    println!(
        "Created a new blog in {shown}: site.toml, posts/hello-world.md, pages/about.md, static/"
    );
    println!();
    println!("Next:");
    println!("  {cd}");
    println!("  quire serve --open");
    0
}
