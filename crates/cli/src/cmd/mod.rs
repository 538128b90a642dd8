//! The commands: the only layer that prints. [`main_with`] parses the arguments
//! ([`args`]) and hands each subcommand to its module: [`build`] (the pipeline: load →
//! assemble → render → commit), [`check`] (load alone), [`mod@import`], [`new`] (a
//! starter blog), [`serve`] (build, serve, watch, rebuild) and [`theme`]; [`mod@print`]
//! shows what the stages report.

pub mod args;
pub mod build;
pub mod check;
pub mod import;
pub mod new;
pub mod print;
pub mod serve;
pub mod theme;

use args::{Cli, Command, ImportSource};
use clap::Parser;
use std::ffi::OsString;
use std::path::Path;

/// Runs the command line (`args` without the program name); returns the exit status:
/// 0 done, 1 content or output errors, 2 usage errors (clap's message on stderr).
/// `--help` and `--version` print on stdout and return 0.
pub fn main_with<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let argv = std::iter::once(OsString::from("quire")).chain(args.into_iter().map(Into::into));
    let cli = match Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return e.exit_code();
        }
    };
    match cli.command {
        Command::Build(a) => build::build(&a),
        Command::Check(a) => check::check(&a),
        Command::Import {
            source: ImportSource::Wordpress(a),
        } => import::import(&a),
        Command::New(a) => new::new(&a),
        Command::Serve(a) => serve::serve(&a),
        Command::Theme(a) => theme::theme(&a),
        Command::RemoveOld { dir } => {
            i32::from(!crate::render::output::remove_old_output(Path::new(&dir)))
        }
    }
}
