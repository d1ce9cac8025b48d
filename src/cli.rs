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
#[command(name = "explainer", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
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
    /// Create a new article, note or actor with its front matter filled in.
    New(NewArgs),
    /// Create a new site folder that builds at once.
    Init(InitArgs),
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site folder (holding content/ and optionally site.toml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site (default: output_dir of site.toml, "public").
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// The absolute URL the site is deployed at, overriding site.toml.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include pages marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Write into an existing output folder that holds files explainer
    /// did not write. They are kept: a build only ever removes files it
    /// wrote itself (listed in .explainer-manifest in the output). Without
    /// this flag such a folder is refused.
    #[arg(long)]
    pub take_over: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The site folder (holding content/ and optionally site.toml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to build the preview (default: .explainer-cache/serve, never
    /// the deploy folder).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// The address to listen on; the default lets only this computer in.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// The port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Open the site in the default browser once it is built.
    #[arg(long)]
    pub open: bool,
    /// Include pages marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Write into an existing output folder that holds files explainer
    /// did not write. They are kept: a build only ever removes files it
    /// wrote itself (listed in .explainer-manifest in the output). Without
    /// this flag such a folder is refused.
    #[arg(long)]
    pub take_over: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The site folder.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Check pages marked `draft = true` too.
    #[arg(long)]
    pub drafts: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NewKind {
    Article,
    Note,
    Actor,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// What to create.
    pub kind: NewKind,
    /// The title (article, note) or name (actor); the slug is made from it.
    pub title: String,
    /// The site folder.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create (must not exist, or be empty).
    pub dir: PathBuf,
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
    match cli.command {
        Command::Build(args) => commands::build::run(args, verbosity),
        Command::Serve(args) => commands::serve::run(args, verbosity),
        Command::Check(args) => commands::check::run(args, verbosity),
        Command::New(args) => commands::new::run(args, verbosity),
        Command::Init(args) => commands::init::run(args, verbosity),
    }
}
