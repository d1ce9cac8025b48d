//! `explainer check`: finds every problem a build would, writing nothing.

use crate::cli::{CheckArgs, Verbosity};
use crate::commands::{report_error, site_counts};
use crate::{check, BuildOptions};

pub fn run(args: CheckArgs, verbosity: Verbosity) -> i32 {
    let mut options = BuildOptions::new(args.root.clone());
    options.drafts = args.drafts;
    options.future = args.future;
    match check(&options) {
        Ok(s) => {
            // Quiet prints errors only.
            if !s.images_located.is_empty() && verbosity != Verbosity::Quiet {
                // A photo's GPS position can reveal a source: say which
                // images had one, even though publishing removes it.
                eprintln!(
                    "note: {} carried a location (GPS), removed from the published copies unless images.keep_metadata is set:",
                    if s.images_located.len() == 1 { "1 image".to_string() } else { format!("{} images", s.images_located.len()) }
                );
                for path in &s.images_located {
                    eprintln!("  {}", crate::diagnostics::escape_controls(path));
                }
            }
            if verbosity != Verbosity::Quiet {
                eprintln!(
                    "ok: {} checked in {:.2} s, no problems",
                    site_counts(&s),
                    s.elapsed.as_secs_f64()
                );
            }
            0
        }
        Err(e) => report_error(&args.root, e),
    }
}
