//! `quire import wordpress`: reads the export, converts it ([`crate::import`]), writes the
//! new content folder and prints the report.

use super::args::ImportArgs;
use crate::import;
use std::fs;

/// Runs `quire import wordpress`; returns the exit status.
pub fn import(a: &ImportArgs) -> i32 {
    let text = match fs::read(&a.export) {
        Ok(b) => match String::from_utf8(b) {
            Ok(t) => t,
            Err(_) => {
                eprintln!(
                    "{}:1: error: not UTF-8 text; a WordPress export is UTF-8 XML; nothing was written",
                    a.export.display()
                );
                return 1;
            }
        },
        Err(e) => {
            eprintln!("{}: error: cannot read: {e}", a.export.display());
            return 1;
        }
    };
    let mut plan = match import::plan(&text) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{}:{e}; nothing was written", a.export.display());
            return 1;
        }
    };
    if let Some(dir) = &a.media
        && !dir.is_dir()
    {
        eprintln!(
            "{}: error: --media must be a folder (a copy of wp-content/uploads); nothing was written",
            dir.display()
        );
        return 1;
    }
    let source = import::media::Source {
        dir: a.media.clone(),
        download: a.download_media,
    };
    let limits = import::media::Limits::default();
    let media = (source.dir.is_some() || source.download).then_some((&source, &limits));
    if let Err(e) = import::write(&a.out, &mut plan, media) {
        eprintln!("quire import: error: {e}; nothing was written");
        return 1;
    }
    print!("{}", plan.report.render());
    println!(
        "\nWrote {} → check it with: quire check --content {}",
        a.out.display(),
        a.out.display()
    );
    0
}
