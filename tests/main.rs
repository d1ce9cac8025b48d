//! The integration tests, one module per file beside this one, compiled
//! into a single test binary. Each file used to be its own binary linking
//! the whole crate (about 80 MB apiece, 3 GB in all, and a link step
//! each); one binary keeps `cargo test` within a small machine's disk.
//!
//! Run one file's tests with `cargo test --test integration limits::`.

mod support;

mod actors_and_dates;
mod authors;
mod body;
mod cli;
mod customise;
mod dates;
mod deploy;
mod details;
mod diagnostics;
mod features;
mod feeds;
mod held_back;
mod i18n;
mod incremental;
mod injection;
mod invalid_input;
mod languages;
mod limits;
mod media;
mod ownership;
mod packaging;
mod pages;
mod pagination;
mod properties;
mod recipes;
mod redirects;
mod reproducible;
mod robustness;
mod sample_site;
mod scheduling;
mod search;
mod security;
mod serve;
mod shortcodes;
mod sitemap;
mod subpath;
mod symlinks;
mod theme;

/// A test file that is not declared above would silently never run:
/// `autotests = false` stops Cargo from finding it on its own.
#[test]
fn every_test_file_is_a_module() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let main = std::fs::read_to_string(dir.join("main.rs")).unwrap();
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.extension().is_some_and(|e| e == "rs")
            && stem != "main"
            && !main.lines().any(|l| l == format!("mod {stem};"))
        {
            missing.push(stem.to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "add `mod NAME;` to tests/main.rs for: {missing:?}"
    );
}
