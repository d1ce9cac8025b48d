//! `explainer theme export DIR`: copies the built-in theme out for editing.

use crate::cli::{ThemeExportArgs, Verbosity};
use crate::commands::{counted, EXIT_CONTENT, EXIT_USAGE};
use crate::diagnostics::escape_controls;
use crate::display_path;
use crate::render::theme::{export_theme, ExportError};

pub fn export(args: ThemeExportArgs, verbosity: Verbosity) -> i32 {
    match export_theme(&args.dir, args.force) {
        Ok(written) => {
            if verbosity != Verbosity::Quiet {
                for path in &written {
                    eprintln!("  {}", escape_controls(&display_path(path)));
                }
                eprintln!(
                    "exported the built-in theme ({}) -> {}",
                    counted(written.len(), "file", "files"),
                    escape_controls(&display_path(&args.dir))
                );
            }
            0
        }
        Err(ExportError::Exists(paths)) => {
            for path in &paths {
                eprintln!(
                    "error: {} already exists",
                    escape_controls(&display_path(path))
                );
            }
            eprintln!("help: pass --force to replace them; nothing was written");
            EXIT_USAGE
        }
        Err(ExportError::Io(message)) => {
            eprintln!("error: {}", escape_controls(&message));
            EXIT_CONTENT
        }
    }
}
