//! `explainer check`: finds every problem a build would, writing nothing.

use crate::cli::{CheckArgs, Verbosity};
use crate::commands::{held_back_line, report_error, site_counts, Outcome};
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
                // images had one, and whether publishing removes it.
                let count = if s.images_located.len() == 1 {
                    "1 image".to_string()
                } else {
                    format!("{} images", s.images_located.len())
                };
                if s.images_keep_metadata {
                    eprintln!(
                        "warning: {count} carried a location (GPS), published with it because images.keep_metadata is set:"
                    );
                } else {
                    eprintln!(
                        "note: {count} carried a location (GPS), removed from the published copies:"
                    );
                }
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
                if let Some(line) = held_back_line(&s) {
                    eprintln!("{line}");
                }
            }
            0
        }
        Err(e) => report_error(&args.root, e, Outcome::Check),
    }
}
