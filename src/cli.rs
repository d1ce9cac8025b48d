//! The command line: parses arguments with clap and hands each command to
//! its module under `commands`. Exit status: 0 on success, 1 when the
//! site's content has problems (or a file could not be written), 2 on a
//! usage error.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::commands;

/// Build news-explainer sites: articles with a "What You Should Know"
/// sidebar, explainer pages, and actor profiles with backlinks.
#[derive(Debug, Parser)]
#[command(name = "explainer", version = env!("EXPLAINER_VERSION"), about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// The site folder (holding content/ and optionally site.toml).
    #[arg(short, long, global = true, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more detail about what was done.
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (all or nothing).
    Build(BuildArgs),
    /// Build, then serve the site with live reload, rebuilding on every edit.
    Serve(ServeArgs),
    /// Check the site for every error a build would find, writing nothing.
    Check(CheckArgs),
    /// Create a new article, note, actor, author profile or standalone page, as a draft with its front matter filled in.
    New(NewArgs),
    /// Create a new site folder that builds at once.
    Init(InitArgs),
    /// Work with the built-in theme.
    #[command(subcommand)]
    Theme(ThemeCommand),
    /// Print a shell completion script to standard output.
    Completions(CompletionsArgs),
    /// Print the manual page (roff) to standard output.
    Man,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site folder: the global `--root`.
    #[arg(skip)]
    pub root: PathBuf,
    /// Where to write the site (default: output_dir of site.toml, "public").
    #[arg(
        short = 'o',
        long = "output-dir",
        visible_alias = "output",
        value_name = "DIR"
    )]
    pub output: Option<PathBuf>,
    /// The absolute URL the site is deployed at, overriding site.toml.
    #[arg(short = 'u', long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Include pages marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Include articles dated in the future (marked "Scheduled", and
    /// left out of the feed and the sitemap).
    #[arg(short = 'F', long, visible_alias = "buildFuture")]
    pub future: bool,
    /// Write into an existing output folder that holds files explainer
    /// did not write. They are kept: a build only ever removes files it
    /// wrote itself (listed in .explainer-manifest in the output). Without
    /// this flag such a folder is refused.
    #[arg(long)]
    pub take_over: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The site folder: the global `--root`.
    #[arg(skip)]
    pub root: PathBuf,
    /// Where to build the preview (default: .explainer-cache/serve, never
    /// the deploy folder).
    #[arg(
        short = 'o',
        long = "output-dir",
        visible_alias = "output",
        value_name = "DIR"
    )]
    pub output: Option<PathBuf>,
    /// The address to listen on; the default lets only this computer in.
    #[arg(
        short = 'i',
        long,
        visible_alias = "interface",
        default_value = "127.0.0.1"
    )]
    pub bind: IpAddr,
    /// The port to listen on (0 picks a free one).
    #[arg(short, long, default_value_t = 1111)]
    pub port: u16,
    /// Open the site in the default browser once it is built.
    #[arg(short = 'O', long)]
    pub open: bool,
    /// Include pages marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Include articles dated in the future (marked "Scheduled", and
    /// left out of the feed and the sitemap).
    #[arg(short = 'F', long, visible_alias = "buildFuture")]
    pub future: bool,
    /// Write into an existing output folder that holds files explainer
    /// did not write. They are kept: a build only ever removes files it
    /// wrote itself (listed in .explainer-manifest in the output). Without
    /// this flag such a folder is refused.
    #[arg(long)]
    pub take_over: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The site folder: the global `--root`.
    #[arg(skip)]
    pub root: PathBuf,
    /// Check pages marked `draft = true` too.
    #[arg(long)]
    pub drafts: bool,
    /// Check articles dated in the future too.
    #[arg(short = 'F', long)]
    pub future: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NewKind {
    Article,
    Note,
    Actor,
    /// A standalone page (About, Corrections policy).
    Page,
    /// An author profile, which bylines naming it link to.
    Author,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// What to create.
    pub kind: NewKind,
    /// The title (article, note, page) or name (actor, author); the slug is made from it.
    pub title: String,
    /// The site folder: the global `--root`.
    #[arg(skip)]
    pub root: PathBuf,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create (must not exist, or be empty), from the current
    /// folder: `--root` does not apply.
    pub dir: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum ThemeCommand {
    /// Copy the built-in templates and static files into DIR/templates and
    /// DIR/static, to edit them. Keep only the files you change: the rest
    /// then follow the built-in theme as it improves.
    Export(ThemeExportArgs),
}

#[derive(Debug, Args)]
pub struct ThemeExportArgs {
    /// The folder to copy into: usually the site folder.
    pub dir: PathBuf,
    /// Replace files that already exist.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    pub shell: clap_complete::Shell,
}

/// How much to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// Runs the command line and returns the process exit status.
pub fn main() -> i32 {
    // No input should ever reach this; if a bug does, say so plainly
    // instead of printing a stack trace at a journalist.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("error: internal error in explainer (this is a bug, please report it): {info}");
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let verbosity = if cli.quiet {
        Verbosity::Quiet
    } else if cli.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    };
    let root = cli.root;
    match cli.command {
        Command::Build(args) => commands::build::run(BuildArgs { root, ..args }, verbosity),
        Command::Serve(args) => commands::serve::run(ServeArgs { root, ..args }, verbosity),
        Command::Check(args) => commands::check::run(CheckArgs { root, ..args }, verbosity),
        Command::New(args) => commands::new::run(NewArgs { root, ..args }, verbosity),
        Command::Init(args) => commands::init::run(args, verbosity),
        Command::Theme(ThemeCommand::Export(args)) => commands::theme::export(args, verbosity),
        Command::Completions(args) => commands::shell::completions(args.shell),
        Command::Man => commands::shell::man(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use clap::{CommandFactory, Parser};

    use super::{Cli, Command};

    fn parse(args: &[&str]) -> Cli {
        Cli::try_parse_from(std::iter::once("explainer").chain(args.iter().copied()))
            .unwrap_or_else(|e| panic!("{args:?}: {e}"))
    }

    #[test]
    fn the_definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn root_is_global_before_or_after_the_command() {
        for args in [
            &["-r", "site", "build"][..],
            &["--root", "site", "build"],
            &["build", "-r", "site"],
            &["build", "--root=site"],
            &["check", "-r", "site"],
            &["-r", "site", "serve"],
            &["new", "note", "A note", "-r", "site"],
        ] {
            assert_eq!(parse(args).root, Path::new("site"), "{args:?}");
        }
        assert_eq!(parse(&["build"]).root, Path::new("."));
    }

    #[test]
    fn build_takes_zola_and_hugo_spellings() {
        for args in [
            &["build", "-o", "out"][..],
            &["build", "--output-dir", "out"],
            &["build", "--output", "out"],
        ] {
            let Command::Build(b) = parse(args).command else {
                panic!("{args:?} is not build")
            };
            assert_eq!(b.output.as_deref(), Some(Path::new("out")), "{args:?}");
        }
        for args in [
            &["build", "-u", "https://example.org/"][..],
            &["build", "--base-url", "https://example.org/"],
        ] {
            let Command::Build(b) = parse(args).command else {
                panic!("{args:?} is not build")
            };
            assert_eq!(b.base_url.as_deref(), Some("https://example.org/"));
        }
    }

    #[test]
    fn serve_takes_zola_and_hugo_spellings() {
        let serve = |args: &[&str]| match parse(args).command {
            Command::Serve(s) => s,
            _ => panic!("{args:?} is not serve"),
        };
        let short = serve(&["serve", "-p", "8080", "-i", "0.0.0.0", "-O", "-o", "out"]);
        assert_eq!(short.port, 8080);
        assert_eq!(short.bind.to_string(), "0.0.0.0");
        assert!(short.open);
        assert_eq!(short.output.as_deref(), Some(Path::new("out")));
        let long = serve(&[
            "serve",
            "--port",
            "8080",
            "--interface",
            "::1",
            "--open",
            "--output-dir",
            "out",
        ]);
        assert_eq!(
            (long.port, long.bind.to_string(), long.open),
            (8080, "::1".into(), true)
        );
        assert_eq!(serve(&["serve", "--bind", "::1"]).bind.to_string(), "::1");
        assert_eq!(
            serve(&["serve", "--output", "o"]).output.as_deref(),
            Some(Path::new("o"))
        );
        let default = serve(&["serve"]);
        assert_eq!(
            (default.port, default.bind.to_string(), default.open),
            (1111, "127.0.0.1".into(), false)
        );
    }

    #[test]
    fn verbose_and_quiet_keep_their_short_flags() {
        let cli = parse(&["build", "-v"]);
        assert!(cli.verbose && !cli.quiet);
        let cli = parse(&["-q", "build"]);
        assert!(cli.quiet && !cli.verbose);
        assert!(Cli::try_parse_from(["explainer", "build", "-q", "-v"]).is_err());
    }

    #[test]
    fn completions_and_man_are_commands() {
        for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
            assert!(matches!(
                parse(&["completions", shell]).command,
                Command::Completions(_)
            ));
        }
        assert!(Cli::try_parse_from(["explainer", "completions", "tcsh"]).is_err());
        assert!(matches!(parse(&["man"]).command, Command::Man));
    }
}
