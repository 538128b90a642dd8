//! The command line's shape (clap derive): subcommands, flags, help text. Parsing only;
//! [`super`] runs them.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
In short:
  quire new DIR
  quire serve [--content DIR] [--port N] [--open]
  quire build [--content DIR] [--out DIR] [--shell FILE] [--base-path PATH] [--drafts] [--future]
  quire theme --export DIR
  quire check [--content DIR] [--drafts] [--future]
  quire import wordpress EXPORT.xml --out DIR [--media UPLOADS] [--download-media]

Defaults:
  --content  $QUIRE_CONTENT, else content/
  --out      $TRUNK_STAGING_DIR when quire runs as a Trunk post_build hook, else dist/
  now        $QUIRE_NOW (YYYY-MM-DD or RFC 3339), else the clock: posts dated later wait

Exit status:
  0  done (warnings may have been printed)
  1  the content has errors, or the output could not be written (it is unchanged)
  2  the command line is wrong

Examples:
  quire check
  quire build --content ~/blog --out public/
  quire import wordpress export.xml --out ~/blog
  quire build --help";

/// `quire`: turns a folder of Markdown posts into a Quire blog.
#[derive(Clone, Debug, Parser)]
#[command(
    name = "quire",
    version,
    about = "Turns a folder of Markdown posts into a Quire blog",
    long_about = None,
    after_help = AFTER_HELP,
    arg_required_else_help = true,
    disable_help_subcommand = false
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// One subcommand. New ones (an importer, a search index) are new variants here, a
/// `*Args` struct beside them and an arm in [`super::main_with`].
#[derive(Clone, Debug, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Check the content, then write the site into the output folder
    ///
    /// Writes the post bundle (data/), one index.html per route, 404.html, feed.xml,
    /// sitemap.xml and the files of static/. The output changes only if everything
    /// succeeded: quire builds beside it, then swaps the result into place.
    Build(BuildArgs),
    /// Report every problem in every file, writing nothing
    ///
    /// Each problem is one line: path:line: error|warning: message.
    Check(CheckArgs),
    /// Turn another blog's export into a new content folder
    ///
    /// Writes into --out DIR (new or empty) the posts, pages, site.toml and a report;
    /// nothing is written if the export has an error. See docs/WORDPRESS.md.
    Import {
        #[command(subcommand)]
        source: ImportSource,
    },
    /// Make a new blog in DIR (new or empty): site.toml, a first post, an About page
    New(NewArgs),
    /// Build the blog and serve it on 127.0.0.1, rebuilding and reloading on every change
    Serve(ServeArgs),
    /// Work with the built-in look: `quire theme --export DIR` writes its stylesheet
    Theme(ThemeArgs),
    /// Deletes DIR if it is a previous output quire moved aside (run in the background
    /// by `quire build`).
    #[command(name = "__remove-old", hide = true)]
    RemoveOld { dir: PathBuf },
}

/// What `quire import` reads.
#[derive(Clone, Debug, PartialEq, Eq, Subcommand)]
pub enum ImportSource {
    /// Turn a WordPress export (WXR) into a content folder, with a report
    ///
    /// Everything is read and converted first; only an export without errors is written,
    /// into a folder that did not exist or was empty. See docs/WORDPRESS.md.
    Wordpress(ImportArgs),
}

/// `quire import wordpress EXPORT.xml --out DIR`.
#[derive(Clone, Debug, PartialEq, Eq, Args)]
pub struct ImportArgs {
    /// The WordPress export (Tools → Export → All content), a WXR file
    #[arg(value_name = "EXPORT", value_parser = non_empty_path)]
    pub export: PathBuf,
    /// The content folder to create (it must not exist, or be empty)
    #[arg(long, value_name = "DIR", required = true, value_parser = non_empty_path)]
    pub out: PathBuf,
    /// A copy of the old site's wp-content/uploads: every file the posts and pages use
    /// is copied into static/wp-content/uploads/ and the links rewritten
    #[arg(long, value_name = "DIR", value_parser = non_empty_path)]
    pub media: Option<PathBuf>,
    /// Fetch the files the posts and pages use from the old site's host (what --media
    /// DIR does not have) into static/wp-content/uploads/ and rewrite the links
    #[arg(long)]
    pub download_media: bool,
}

/// Where the content comes from; shared by every subcommand that reads it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Args)]
pub struct ContentArgs {
    /// The content folder (site.toml, posts/, static/). Default: $QUIRE_CONTENT, else
    /// content/
    #[arg(long, value_name = "DIR", value_parser = non_empty_path)]
    pub content: Option<PathBuf>,
    /// Include posts marked draft: true (never in feed.xml or sitemap.xml)
    #[arg(long)]
    pub drafts: bool,
    /// Include posts dated in the future (by default each is left out, with a note, until
    /// its date; $QUIRE_NOW sets the build's "now")
    #[arg(long)]
    pub future: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub source: ContentArgs,
    /// The output folder. Default: $TRUNK_STAGING_DIR when quire runs as a Trunk
    /// post_build hook, else dist/
    #[arg(long, value_name = "DIR", value_parser = non_empty_path)]
    pub out: Option<PathBuf>,
    /// The app's index.html to copy for every route. Default: index.html in the output
    /// folder, else a plain built-in page (with a warning)
    #[arg(long, value_name = "FILE", value_parser = non_empty_path)]
    pub shell: Option<PathBuf>,
    /// The path the site is served under (`/blog/`). Default: the path of base_url in
    /// site.toml, else `/`. Applies to the app inside quire (not to --shell or Trunk's)
    #[arg(long, value_name = "PATH")]
    pub base_path: Option<String>,
}

/// `quire new DIR`.
#[derive(Clone, Debug, PartialEq, Eq, Args)]
pub struct NewArgs {
    /// The folder to create (it must not exist, or be empty)
    #[arg(value_name = "DIR", value_parser = non_empty_path)]
    pub dir: PathBuf,
}

/// `quire serve`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub source: ContentArgs,
    /// The port on 127.0.0.1 (0: any free port; the address is printed)
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Open the blog in the default browser
    #[arg(long)]
    pub open: bool,
    /// The app's index.html to use instead of the one inside quire
    #[arg(long, value_name = "FILE", value_parser = non_empty_path)]
    pub shell: Option<PathBuf>,
}

/// `quire theme --export DIR`.
#[derive(Clone, Debug, PartialEq, Eq, Args)]
pub struct ThemeArgs {
    /// Write the built-in stylesheet as DIR/style.css (DIR is created if missing; an
    /// existing style.css is not overwritten)
    #[arg(long, value_name = "DIR", required = true, value_parser = non_empty_path)]
    pub export: PathBuf,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub source: ContentArgs,
}

fn non_empty_path(s: &str) -> Result<PathBuf, String> {
    if s.is_empty() {
        Err("an empty path is not a folder or file".into())
    } else {
        Ok(PathBuf::from(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;
    use clap::error::ErrorKind;

    fn parse(args: &[&str]) -> Result<Command, ErrorKind> {
        Cli::try_parse_from(std::iter::once("quire").chain(args.iter().copied()))
            .map(|c| c.command)
            .map_err(|e| e.kind())
    }

    #[test]
    fn the_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn build_takes_every_flag_both_ways() {
        let c = parse(&[
            "build",
            "--content=c",
            "--out",
            "o",
            "--shell",
            "s.html",
            "--drafts",
            "--future",
        ])
        .unwrap();
        assert_eq!(
            c,
            Command::Build(BuildArgs {
                source: ContentArgs {
                    content: Some("c".into()),
                    drafts: true,
                    future: true,
                },
                out: Some("o".into()),
                shell: Some("s.html".into()),
                base_path: None,
            })
        );
        assert_eq!(
            parse(&["build"]).unwrap(),
            Command::Build(BuildArgs::default())
        );
    }

    #[test]
    fn usage_errors() {
        assert_eq!(
            parse(&["check", "--out", "x"]),
            Err(ErrorKind::UnknownArgument)
        );
        assert_eq!(parse(&["build", "--out"]), Err(ErrorKind::InvalidValue));
        assert_eq!(
            parse(&["build", "--content="]),
            Err(ErrorKind::ValueValidation)
        );
        assert_eq!(
            parse(&["build", "--drafts=yes"]),
            Err(ErrorKind::TooManyValues)
        );
        assert_eq!(parse(&["publish"]), Err(ErrorKind::InvalidSubcommand));
        assert_eq!(
            parse(&[]),
            Err(ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand)
        );
    }

    #[test]
    fn import_wordpress_takes_an_export_and_out() {
        let want = Command::Import {
            source: ImportSource::Wordpress(ImportArgs {
                export: "x.xml".into(),
                out: "d".into(),
                media: None,
                download_media: false,
            }),
        };
        assert_eq!(
            parse(&["import", "wordpress", "x.xml", "--out", "d"]).unwrap(),
            want
        );
        assert_eq!(
            parse(&["import", "wordpress", "--out=d", "x.xml"]).unwrap(),
            want
        );
        assert_eq!(
            parse(&["import", "wordpress", "x.xml"]),
            Err(ErrorKind::MissingRequiredArgument)
        );
        assert_eq!(
            parse(&["import", "wordpress", "--out", "d"]),
            Err(ErrorKind::MissingRequiredArgument)
        );
        assert_eq!(
            parse(&["import", "wordpress", "x.xml", "--out="]),
            Err(ErrorKind::ValueValidation)
        );
        assert_eq!(
            parse(&["import", "blogger", "x.xml", "--out", "d"]),
            Err(ErrorKind::InvalidSubcommand)
        );
        assert!(parse(&["import"]).is_err());
    }

    #[test]
    fn new_serve_and_theme_parse() {
        assert_eq!(
            parse(&["new", "blog"]).unwrap(),
            Command::New(NewArgs { dir: "blog".into() })
        );
        assert_eq!(parse(&["new"]), Err(ErrorKind::MissingRequiredArgument));
        assert_eq!(
            parse(&["serve", "--port", "0", "--open", "--drafts"]).unwrap(),
            Command::Serve(ServeArgs {
                source: ContentArgs {
                    content: None,
                    drafts: true,
                    future: false,
                },
                port: 0,
                open: true,
                shell: None,
            })
        );
        assert_eq!(
            parse(&["serve", "--port", "70000"]),
            Err(ErrorKind::ValueValidation)
        );
        assert_eq!(
            parse(&["theme", "--export", "t"]).unwrap(),
            Command::Theme(ThemeArgs { export: "t".into() })
        );
        assert_eq!(parse(&["theme"]), Err(ErrorKind::MissingRequiredArgument));
    }

    #[test]
    fn remove_old_is_hidden_but_parses() {
        assert_eq!(
            parse(&["__remove-old", "/x/dist.old"]).unwrap(),
            Command::RemoveOld {
                dir: "/x/dist.old".into()
            }
        );
        let help = Cli::command().render_help().to_string();
        assert!(!help.contains("remove-old"), "{help}");
        assert!(
            help.contains("build") && help.contains("check") && help.contains("import"),
            "{help}"
        );
    }
}
