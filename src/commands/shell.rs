//! `explainer completions SHELL` and `explainer man`: the shell completion
//! script and the manual page, both made from the clap definitions so they
//! never drift from the real flags.

use std::io::Write as _;

use clap::CommandFactory;

use crate::cli::Cli;

/// Prints the completion script for `shell` (bash, zsh, fish, elvish,
/// powershell) to standard output.
pub fn completions(shell: clap_complete::Shell) -> i32 {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "explainer", &mut script);
    print_bytes(&script)
}

/// Prints the manual page, in roff, to standard output
/// (`explainer man > explainer.1`, or `man -l <(explainer man)`).
pub fn man() -> i32 {
    let mut page = Vec::new();
    // Writing into memory cannot fail.
    let _ = clap_mangen::Man::new(Cli::command()).render(&mut page);
    print_bytes(&page)
}

/// Writes to standard output; a closed pipe (`explainer man | head`) ends
/// the output quietly, as everywhere else.
fn print_bytes(bytes: &[u8]) -> i32 {
    let _ = std::io::stdout().lock().write_all(bytes);
    0
}
