//! `explainer build`: builds the site, all or nothing, and prints a
//! one-line summary.

use crate::cli::{BuildArgs, Verbosity};
use crate::commands::{
    counted, held_back_line, print_held_back_warnings, report_error, site_counts, thousands,
    Outcome,
};
use crate::config::DEFAULT_BASE_URL;
use crate::diagnostics::escape_controls;
use crate::BuildSummary;
use crate::{build_then_exit, display_path, BuildOptions};

pub fn run(args: BuildArgs, verbosity: Verbosity) -> i32 {
    let options = BuildOptions {
        root: args.root.clone(),
        output: args.output.clone(),
        base_url: args.base_url,
        drafts: args.drafts,
        future: args.future,
        take_over: args.take_over,
    };
    match build_then_exit(&options) {
        Ok(s) => {
            if verbosity != Verbosity::Quiet {
                if s.base_url_defaulted {
                    eprintln!(
                        "warning: site.toml sets no base_url; the feed, sitemap and canonical links use {DEFAULT_BASE_URL}"
                    );
                }
                eprintln!(
                    "built {} in {:.2} s -> {} ({})",
                    site_counts(&s),
                    s.elapsed.as_secs_f64(),
                    display_path(&s.output),
                    file_counts(&s),
                );
                if let Some(line) = held_back_line(&s) {
                    eprintln!("{line}");
                }
                // Said as the scheduled articles are: a writer whose draft
                // is missing from the site sees why.
                if s.drafts_skipped > 0 {
                    eprintln!(
                        "{} left out (build with --drafts to include them)",
                        counted(s.drafts_skipped, "draft", "drafts")
                    );
                }
                // Whatever folder it went to: `-o public` is the site's
                // own output folder as much as no `-o` is.
                if let Some(warning) = previews_warning(&s) {
                    eprintln!("{warning}");
                }
                if let Some(warning) = robots_warning(&s) {
                    eprintln!("{warning}");
                }
                print_held_back_warnings(&args.root, &s.held_back_problems);
            }
            if verbosity == Verbosity::Verbose {
                let t = s.timings;
                eprintln!(
                    "  load {:.0} ms, resolve {:.0} ms, render {:.0} ms, write {:.0} ms",
                    t.load.as_secs_f64() * 1e3,
                    t.resolve.as_secs_f64() * 1e3,
                    t.render.as_secs_f64() * 1e3,
                    t.write.as_secs_f64() * 1e3
                );
                // Every file the build wrote or removed, so a deploy
                // knows exactly what changed.
                for (what, files) in [("written", &s.written_files), ("removed", &s.removed_files)]
                {
                    for file in files.iter() {
                        eprintln!("  {what} {}", escape_controls(file));
                    }
                }
                if s.images_resized + s.images_cached > 0 {
                    eprintln!(
                        "  images: {} resized, {} from the cache",
                        s.images_resized, s.images_cached
                    );
                }
            }
            0
        }
        Err(e) => report_error(&args.root, e, Outcome::Build),
    }
}

/// `40 files: 3 written, 37 unchanged, 0 removed`: what the build did to
/// the output folder, so a deploy knows what a sync will move.
fn file_counts(s: &BuildSummary) -> String {
    format!(
        "{}: {} written, {} unchanged, {} removed",
        counted(s.files, "file", "files"),
        thousands(s.written),
        thousands(s.unchanged),
        thousands(s.removed)
    )
}

/// Crawlers read `robots.txt` only at the root of a host, so the one a
/// site under a sub-path publishes is never read there.
fn robots_warning(s: &BuildSummary) -> Option<String> {
    let path = s.base_path.as_str();
    (path != "/").then(|| {
        format!(
            "warning: base_url has the path {path}; crawlers read robots.txt only at the root of the host, \
             so {path}robots.txt is ignored (its Sitemap line too)\n  \
             = help: add \"Sitemap: {}sitemap.xml\" to the robots.txt at the root of the host, or submit the sitemap to search engines",
            s.base_url
        )
    })
}

/// `--drafts` and `--future` are for previews: written into a folder a
/// deploy publishes, they put every draft or scheduled article on the
/// site, so the summary says what went into the output.
fn previews_warning(s: &BuildSummary) -> Option<String> {
    let published: Vec<String> = [
        (s.drafts_published, "draft", "drafts"),
        (
            s.scheduled_published,
            "article dated in the future",
            "articles dated in the future",
        ),
    ]
    .into_iter()
    .filter(|(n, ..)| *n > 0)
    .map(|(n, one, many)| counted(n, one, many))
    .collect();
    (!published.is_empty()).then(|| {
        format!(
            "warning: this build published {} into {}; a production build leaves out \
             --drafts and --future",
            published.join(" and "),
            display_path(&s.output)
        )
    })
}
