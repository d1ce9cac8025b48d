//! `explainer check`: finds every problem a build would, writing nothing.

use crate::cli::{CheckArgs, Verbosity};
use crate::commands::{report_error, thousands};
use crate::{check, BuildOptions};

pub fn run(args: CheckArgs, verbosity: Verbosity) -> i32 {
    let mut options = BuildOptions::new(args.root.clone());
    options.drafts = args.drafts;
    match check(&options) {
        Ok(s) => {
            if verbosity != Verbosity::Quiet {
                eprintln!(
                    "ok: {} pages ({} articles, {} explainers, {} actors) checked in {:.2} s, no problems",
                    thousands(s.pages),
                    thousands(s.articles),
                    thousands(s.explainers),
                    thousands(s.actors),
                    s.elapsed.as_secs_f64()
                );
            }
            0
        }
        Err(e) => report_error(&args.root, e),
    }
}
