//! The commands, one file each: thin wrappers that call the library and
//! print for the person at the terminal (everything on stderr except what
//! a command is asked to output).

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod serve;

use std::path::Path;

use crate::diagnostics::{escape_controls, Diagnostics};
use crate::BuildError;

/// Exit status for content problems.
pub const EXIT_CONTENT: i32 = 1;
/// Exit status for usage problems.
pub const EXIT_USAGE: i32 = 2;

/// Prints a failed build or check and returns its exit status.
pub fn report_error(root: &Path, error: BuildError) -> i32 {
    match error {
        BuildError::Content(diagnostics) => {
            print_diagnostics(root, diagnostics);
            EXIT_CONTENT
        }
        // These quote paths, which may hold any character.
        BuildError::Usage(message) => {
            eprintln!("error: {}", escape_controls(&message));
            EXIT_USAGE
        }
        BuildError::Io(message) => {
            eprintln!("error: {}", escape_controls(&message));
            EXIT_CONTENT
        }
    }
}

/// Every diagnostic, with paths as seen from the current folder, then a
/// count.
pub fn print_diagnostics(root: &Path, diagnostics: Diagnostics) {
    let color = crate::diagnostics::use_color();
    let shown = located(root, diagnostics);
    for d in &shown {
        eprintln!("{}\n", d.render(color));
    }
    eprintln!(
        "error: {} found; nothing was written",
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
    format!(
        "{count} {}",
        if count == 1 { "problem" } else { "problems" }
    )
}

/// `1150` as `1,150`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
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
}
