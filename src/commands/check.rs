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
