//! `quire theme --export DIR`: writes the built-in stylesheet, for a blogger who wants to
//! replace the look entirely rather than override parts of it in `theme/style.css`.

use super::args::ThemeArgs;

/// The stylesheet the app is built with (the one Trunk puts in every build).
pub const BUILTIN_CSS: &str = include_str!("../../../../style/main.css");

/// `quire theme`: returns the exit status.
pub fn theme(a: &ThemeArgs) -> i32 {
    let path = a.export.join("style.css");
    let written = std::fs::create_dir_all(&a.export).and_then(|()| {
        use std::io::Write;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?
            .write_all(BUILTIN_CSS.as_bytes())
    });
    match written {
        Ok(()) => {
            println!(
                "Wrote the built-in stylesheet to {}. As content/theme/style.css it is added after the built-in one: keep what you change, or all of it to replace the look.",
                path.display()
            );
            0
        }
        Err(e) => {
            eprintln!("quire: error: cannot write {}: {e}", path.display());
            1
        }
    }
}
