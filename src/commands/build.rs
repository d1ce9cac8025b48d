//! `explainer build`: builds the site, all or nothing, and prints a
//! one-line summary.

use crate::cli::{BuildArgs, Verbosity};
use crate::commands::{report_error, thousands};
use crate::config::DEFAULT_BASE_URL;
use crate::{build, display_path, BuildOptions};

pub fn run(args: BuildArgs, verbosity: Verbosity) -> i32 {
    let options = BuildOptions {
        root: args.root.clone(),
        output: args.output,
        base_url: args.base_url,
        drafts: args.drafts,
        take_over: args.take_over,
    };
    match build(&options) {
        Ok(s) => {
            if verbosity != Verbosity::Quiet {
                if s.base_url_defaulted {
                    eprintln!(
                        "warning: site.toml sets no base_url; the feed, sitemap and canonical links use {DEFAULT_BASE_URL}"
                    );
                }
                eprintln!(
                    "built {} pages ({} articles, {} explainers, {} actors) in {:.2} s -> {}",
                    thousands(s.pages),
                    thousands(s.articles),
                    thousands(s.explainers),
                    thousands(s.actors),
                    s.elapsed.as_secs_f64(),
                    display_path(&s.output),
                );
            }
            if verbosity == Verbosity::Verbose {
                eprintln!(
                    "  {} files: {} written, {} unchanged, {} stale removed",
                    thousands(s.files),
                    thousands(s.written),
                    thousands(s.unchanged),
                    thousands(s.removed)
                );
                let t = s.timings;
                eprintln!(
                    "  load {:.0} ms, resolve {:.0} ms, render {:.0} ms, write {:.0} ms",
                    t.load.as_secs_f64() * 1e3,
                    t.resolve.as_secs_f64() * 1e3,
                    t.render.as_secs_f64() * 1e3,
                    t.write.as_secs_f64() * 1e3
                );
                if s.drafts_skipped > 0 {
                    eprintln!(
                        "  {} drafts left out (build with --drafts to include them)",
                        s.drafts_skipped
                    );
                }
            }
            0
        }
        Err(e) => report_error(&args.root, e),
    }
}
