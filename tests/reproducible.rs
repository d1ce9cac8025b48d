//! Reproducible output: the same sources give the same bytes on every run,
//! in every folder and at every thread count, and a rebuild of unchanged
//! sources rewrites no file, so `rsync`, `aws s3 sync` and CDN uploads
//! move only what changed.

use crate::support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use support::*;

/// A copy of the repository's sample site at `dir`.
fn copy_sample(dir: &Path) {
    let repo = repo_root();
    for part in ["content", "templates", "static"] {
        for entry in walkdir::WalkDir::new(repo.join(part)).into_iter().flatten() {
            let rel = entry.path().strip_prefix(&repo).unwrap();
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(dir.join(rel)).unwrap();
            } else {
                std::fs::copy(entry.path(), dir.join(rel)).unwrap();
            }
        }
    }
    std::fs::copy(repo.join("site.toml"), dir.join("site.toml")).unwrap();
}

fn build(root: &Path, threads: &str) -> std::process::Output {
    let out = bin()
        .args(["build", "--root"])
        .arg(root)
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .unwrap();
    assert!(out.status.success(), "build failed:\n{}", stderr(&out));
    out
}

fn times(dir: &Path) -> BTreeMap<PathBuf, SystemTime> {
    snapshot(dir)
        .into_keys()
        .map(|p| {
            let t = std::fs::metadata(dir.join(&p)).unwrap().modified().unwrap();
            (p, t)
        })
        .collect()
}

#[test]
fn the_same_sources_give_the_same_bytes_in_any_folder_at_any_thread_count() {
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    let (a, b) = (one.path().join("site"), two.path().join("another-name"));
    copy_sample(&a);
    copy_sample(&b);
    build(&a, "1");
    build(&b, "4");
    let (x, y) = (
        without_site_line(snapshot(&a.join("public"))),
        without_site_line(snapshot(&b.join("public"))),
    );
    assert!(x.len() > 30, "{} files", x.len());
    let differing: Vec<_> = x
        .keys()
        .chain(y.keys())
        .filter(|k| x.get(*k) != y.get(*k))
        .collect();
    assert!(differing.is_empty(), "outputs differ in {differing:?}");
    // A fresh build over the same output (no cache) gives the same bytes too.
    std::fs::remove_dir_all(a.join(".explainer-cache")).unwrap();
    std::fs::remove_dir_all(a.join("public")).unwrap();
    build(&a, "3");
    assert_eq!(x, without_site_line(snapshot(&a.join("public"))));
}

/// The output with the manifest's site line (which names the site folder
/// that built it, and so differs between folders) left out.
fn without_site_line(mut files: BTreeMap<PathBuf, Vec<u8>>) -> BTreeMap<PathBuf, Vec<u8>> {
    if let Some(manifest) = files.get_mut(Path::new(".explainer-manifest")) {
        let text = String::from_utf8(manifest.clone()).unwrap();
        let site_line = text.lines().nth(1).unwrap();
        assert!(site_line.starts_with("# explainer site: "), "{text}");
        *manifest = text.replacen(&format!("{site_line}\n"), "", 1).into_bytes();
    }
    files
}

/// `N files: W written, U unchanged, R removed` from a build's summary.
fn counts(out: &std::process::Output) -> (usize, usize, usize, usize) {
    let log = stderr(out);
    let line = log
        .lines()
        .find(|l| l.starts_with("built "))
        .unwrap_or_else(|| panic!("no summary in:\n{log}"));
    let inner = line
        .rsplit_once(" (")
        .and_then(|(_, r)| r.strip_suffix(')'))
        .unwrap_or_else(|| panic!("no file counts in {line:?}"));
    let numbers: Vec<usize> = inner
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(numbers.len(), 4, "{line:?}");
    assert!(
        inner.contains(" files: ") && inner.contains(" written, ") && inner.ends_with(" removed"),
        "{line:?}"
    );
    (numbers[0], numbers[1], numbers[2], numbers[3])
}

#[test]
fn an_unchanged_rebuild_rewrites_no_file_and_the_summary_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_sample(&root);
    let first = build(&root, "2");
    let (files, written, unchanged, removed) = counts(&first);
    assert_eq!((written, unchanged, removed), (files, 0, 0));
    assert_eq!(stderr(&first).lines().filter(|l| !l.is_empty()).count(), 1);
    let public = root.join("public");
    let before = times(&public);
    let bytes = snapshot(&public);
    std::thread::sleep(std::time::Duration::from_millis(20));

    // With the build cache: nothing to do.
    let again = build(&root, "2");
    assert_eq!(counts(&again), (files, 0, files, 0));
    assert_eq!(before, times(&public));

    // Without it, every page is rendered again, and still none rewritten.
    std::fs::remove_dir_all(root.join(".explainer-cache")).unwrap();
    let cold = build(&root, "2");
    assert_eq!(counts(&cold), (files, 0, files, 0));
    assert_eq!(before, times(&public), "no file rewritten");
    assert_eq!(bytes, snapshot(&public));

    // One article gone: its page is removed, the pages listing it written.
    std::fs::remove_file(root.join("content/articles/niger-coup-bazoum-detained.md")).unwrap();
    let edited = build(&root, "2");
    let (files_now, written, _, removed) = counts(&edited);
    assert!(removed >= 1 && written >= 1, "{}", stderr(&edited));
    let after = times(&public);
    // The search index of the smaller site has new chunk files of its own.
    let added = after.keys().filter(|p| !before.contains_key(*p)).count();
    assert_eq!(files_now, files - removed + added);
    // The manifest is rewritten to list the files now produced.
    let touched = after
        .iter()
        .filter(|(p, t)| before.get(*p) != Some(t) && !p.ends_with(".explainer-manifest"))
        .count();
    assert_eq!(
        touched, written,
        "exactly the files counted as written changed"
    );
}
