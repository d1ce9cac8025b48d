//! The commands, one file each: thin wrappers that call the library and
//! print for the person at the terminal (everything on stderr except what
//! a command is asked to output).

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod serve;
pub mod shell;
pub mod theme;

use std::path::Path;

use crate::diagnostics::{escape_controls, Diagnostics};
use crate::BuildError;

/// Exit status for content problems.
pub const EXIT_CONTENT: i32 = 1;
/// Exit status for usage problems.
pub const EXIT_USAGE: i32 = 2;

/// Prints a failed build or check and returns its exit status.
/// What a failed run's last line says after the count of problems:
/// `build` wrote nothing, `check` (which never writes) found a site that
/// would not build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Build,
    Check,
}

pub fn report_error(root: &Path, error: BuildError, outcome: Outcome) -> i32 {
    match error {
        BuildError::Content(diagnostics) => {
            print_diagnostics(root, diagnostics, outcome);
            EXIT_CONTENT
        }
        BuildError::Usage(message) => {
            eprintln!("error: {}", shown_message(&message));
            EXIT_USAGE
        }
        BuildError::Io(message) => {
            eprintln!("error: {}", shown_message(&message));
            EXIT_CONTENT
        }
    }
}

/// A message of several lines (the error, then `= help:` lines) as
/// printed: its line breaks kept, any other control character spelt out.
/// Paths quoted in it have their own line breaks spelt out already (see
/// [`crate::write::shown`]).
fn shown_message(message: &str) -> String {
    message
        .split('\n')
        .map(escape_controls)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every diagnostic, with paths as seen from the current folder, then a
/// count and what it means for the command (see [`Outcome`]).
/// A build that fails shows the problems of its held-back pages as
/// warnings after its errors, as a build that succeeds does.
pub fn print_diagnostics(root: &Path, diagnostics: Diagnostics, outcome: Outcome) {
    let color = crate::diagnostics::use_color();
    let shown = located(root, diagnostics);
    // Only the problems of held-back pages carry a note (see
    // `Diagnostic::note`).
    let held_back = shown.iter().filter(|d| d.note.is_some()).count();
    let count = match outcome {
        Outcome::Build => {
            let (warnings, errors): (Vec<_>, Vec<_>) =
                shown.into_iter().partition(|d| d.note.is_some());
            for d in &errors {
                eprintln!("{}\n", d.render(color));
            }
            print_warnings(&warnings, color);
            errors.len()
        }
        Outcome::Check => {
            for d in &shown {
                eprintln!("{}\n", d.render(color));
            }
            shown.len()
        }
    };
    eprintln!("{}", failure_line(count, held_back, outcome));
}

/// The last line of a run that found `count` problems, `held_back` of
/// them in pages the build leaves out (drafts, scheduled articles).
fn failure_line(count: usize, held_back: usize, outcome: Outcome) -> String {
    let meaning = match outcome {
        Outcome::Build => "nothing was written",
        Outcome::Check if held_back == count => {
            return format!(
                "error: {} found in held-back pages; the site builds without them, \
                 but each will fail the build once it is published",
                problems(count)
            );
        }
        Outcome::Check if held_back > 0 => {
            return format!(
                "error: {} found ({held_back} in held-back pages); the site would not build",
                problems(count)
            );
        }
        Outcome::Check => "the site would not build",
    };
    format!("error: {} found; {meaning}", problems(count))
}

/// The problems of the pages a build held back, as warnings framed like
/// errors (`warning: path:line:column: message`, the source line, the
/// note saying why the page is held back), then a count: the site was
/// built without those pages, and `check` fails until they are fixed.
pub fn print_held_back_warnings(root: &Path, found: &[crate::diagnostics::Diagnostic]) {
    if found.is_empty() {
        return;
    }
    let mut diagnostics = crate::diagnostics::Diagnostics::new();
    diagnostics.extend(found.iter().cloned());
    print_warnings(&located(root, diagnostics), crate::diagnostics::use_color());
}

fn print_warnings(shown: &[crate::diagnostics::Diagnostic], color: bool) {
    if shown.is_empty() {
        return;
    }
    for d in shown {
        eprintln!("warning: {}\n", d.render(color));
    }
    eprintln!(
        "warning: {} in held-back pages (drafts, scheduled articles), left out of this build; `explainer check` reports them as errors",
        problems(shown.len())
    );
}

/// Each diagnostic as printed (`path:line:column: message`, the source
/// line, the hint), sorted, with paths as seen from the current folder.
/// `serve` shows the same text in the terminal and in the browser.
pub fn shown_diagnostics(root: &Path, diagnostics: Diagnostics) -> Vec<String> {
    located(root, diagnostics)
        .iter()
        .map(|d| d.to_string())
        .collect()
}

/// The diagnostics sorted, with paths as seen from the current folder.
fn located(root: &Path, diagnostics: Diagnostics) -> Vec<crate::diagnostics::Diagnostic> {
    diagnostics
        .into_sorted()
        .into_iter()
        .map(|mut d| {
            if root != Path::new(".") && root != Path::new("") {
                d.path = root.join(&d.path);
            }
            d
        })
        .collect()
}

/// `1 problem`, `3 problems`.
pub fn problems(count: usize) -> String {
    counted(count, "problem", "problems")
}

/// A count with its noun in the right number: `1 article`,
/// `1,150 articles`, `0 articles`.
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// `35 pages (4 articles, 4 explainers, 13 actors)`: what a build or
/// check covered, as both print it.
pub fn site_counts(s: &crate::BuildSummary) -> String {
    format!(
        "{} ({}, {}, {})",
        counted(s.pages, "page", "pages"),
        counted(s.articles, "article", "articles"),
        counted(s.explainers, "explainer", "explainers"),
        counted(s.actors, "actor", "actors"),
    )
}

/// `2 articles dated in the future held back; the next is due …`: the
/// line `build` and `check` print when the clock keeps articles out, so a
/// check tells as much as the build it stands for; none when none is.
pub fn held_back_line(s: &crate::BuildSummary) -> Option<String> {
    match (s.held_back, s.next_due) {
        (n @ 1.., Some(next)) => Some(format!(
            "{} held back; the next is due {} (build with --future to include them)",
            counted(
                n,
                "article dated in the future",
                "articles dated in the future"
            ),
            next.due()
        )),
        _ => None,
    }
}

/// `1150` as `1,150`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_separators() {
        assert_eq!(super::thousands(7), "7");
        assert_eq!(super::thousands(1150), "1,150");
        assert_eq!(super::thousands(1234567), "1,234,567");
    }

    #[test]
    fn counts_agree_with_their_nouns() {
        assert_eq!(super::counted(1, "article", "articles"), "1 article");
        assert_eq!(super::counted(0, "article", "articles"), "0 articles");
        assert_eq!(super::counted(1150, "page", "pages"), "1,150 pages");
        assert_eq!(super::problems(1), "1 problem");
    }
}
