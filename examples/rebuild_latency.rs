//! Measures how long the preview takes to rebuild after a one-article edit.
//!
//!     cargo run --release --example rebuild_latency -- SITE_DIR [EDITS]
//!
//! Builds SITE_DIR once into a temporary folder, then appends a sentence to
//! one article EDITS times (default 7), rebuilding after each, and prints
//! the full build time and the median rebuild time. The article is restored
//! at the end.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use explainer::session::{Rebuild, Session};
use explainer::BuildOptions;

// The allocator of the binary, so the times are the preview's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(
        args.next()
            .expect("usage: rebuild_latency SITE_DIR [EDITS]"),
    );
    let edits: usize = args
        .next()
        .map(|n| n.parse().expect("EDITS is a number"))
        .unwrap_or(7);
    let out = std::env::temp_dir().join(format!("explainer-latency-{}", std::process::id()));
    let mut options = BuildOptions::new(&root);
    options.output = Some(out.clone());
    let mut session = Session::new(options).expect("session");
    let started = Instant::now();
    let Rebuild::Built { pages, .. } = session.rebuild() else {
        panic!("first build failed")
    };
    let full = started.elapsed();

    let article = std::fs::read_dir(root.join("content/articles"))
        .expect("content/articles")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "md"))
        .expect("an article");
    let original = std::fs::read_to_string(&article).unwrap();
    let mut times: Vec<Duration> = Vec::new();
    for i in 0..edits {
        std::fs::write(
            &article,
            format!("{original}\nEdit number {i} adds this sentence.\n"),
        )
        .unwrap();
        let t = Instant::now();
        match session.rebuild_changed(&[article.canonicalize().unwrap()]) {
            Rebuild::Built {
                changed, timings, ..
            } => {
                times.push(t.elapsed());
                eprintln!(
                    "edit {i}: {:.1} ms, {} files changed ({timings:?})",
                    t.elapsed().as_secs_f64() * 1e3,
                    changed.len()
                );
            }
            other => panic!("rebuild failed: {other:?}"),
        }
    }
    std::fs::write(&article, original).unwrap();
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "{pages} pages: full build {:.0} ms; one-article edit rebuilt in {:.1} ms (median of {edits})",
        full.as_secs_f64() * 1e3,
        median.as_secs_f64() * 1e3
    );
    let _ = std::fs::remove_dir_all(out);
}
