//! The output folder is owned, not assumed: a build removes only files an
//! earlier build wrote there (listed in `.explainer-manifest`), refuses a
//! folder holding anything else unless `--take-over` is given, never
//! writes through a symlink inside it, and refuses `.git`, the home
//! folder, the root and the site itself however they are spelt.

mod support;

use std::path::Path;
use std::process::Output;

use support::*;

const ANN: (&str, &str) = (
    "content/actors/ann.md",
    "+++\nname = \"Ann\"\n+++\nProfile.\n",
);
const BOB: (&str, &str) = (
    "content/actors/bob.md",
    "+++\nname = \"Bob\"\n+++\nProfile.\n",
);

/// Runs the binary in `cwd` with `HOME` set to `home`.
fn run_in(cwd: &Path, home: &Path, args: &[&str]) -> Output {
    bin()
        .args(args)
        .current_dir(cwd)
        .env("HOME", home)
        .output()
        .expect("binary runs")
}

/// A folder of someone else's files.
fn unrelated(dir: &Path) {
    std::fs::create_dir_all(dir.join("chapters")).unwrap();
    std::fs::write(dir.join("thesis.pdf"), b"%PDF-1.7 years of work").unwrap();
    std::fs::write(dir.join("chapters/one.tex"), "\\chapter{One}").unwrap();
    std::fs::write(dir.join("index.html"), "<p>my own page</p>").unwrap();
}

fn assert_refused(out: &Output, what: &str, expect: &str) {
    assert_eq!(
        out.status.code(),
        Some(2),
        "{what}: exit status 2 expected:\n{}",
        stderr(out)
    );
    assert!(
        stderr(out).contains(expect),
        "{what}: expected {expect:?} in:\n{}",
        stderr(out)
    );
}

#[test]
fn a_folder_holding_unrelated_files_is_refused_untouched() {
    let site = Site::new(&[ANN]);
    let target = tempfile::tempdir().unwrap();
    let out_dir = target.path().join("thesis");
    unrelated(&out_dir);
    let before = snapshot(target.path());
    let out = site.run(&["build", "--output", out_dir.to_str().unwrap()]);
    assert_refused(&out, "unrelated files", "explainer did not write");
    let message = stderr(&out);
    assert!(message.contains("thesis.pdf"), "{message}");
    assert!(message.contains("--take-over"), "{message}");
    assert!(message.contains("empty folder"), "{message}");
    assert_eq!(before, snapshot(target.path()), "every byte intact");
    // The preview refuses it too, before listening.
    let out = site.run(&[
        "serve",
        "--port",
        "0",
        "--output",
        out_dir.to_str().unwrap(),
    ]);
    assert_refused(&out, "serve", "explainer did not write");
    assert_eq!(before, snapshot(target.path()));
}

#[test]
fn a_folder_with_a_nested_git_is_refused_and_git_folders_always() {
    let site = Site::new(&[ANN]);
    let target = tempfile::tempdir().unwrap();
    let repo = target.path().join("deploy");
    std::fs::create_dir_all(repo.join(".git/objects")).unwrap();
    std::fs::write(repo.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
    std::fs::write(repo.join(".git/objects/ab"), [0u8, 1, 2]).unwrap();
    let before = snapshot(target.path());
    let out = site.run(&["build", "--output", repo.to_str().unwrap()]);
    assert_refused(&out, "nested .git", "explainer did not write");
    assert_eq!(before, snapshot(target.path()));
    for git in [".git", ".git/", ".git/objects", ".git/x/y"] {
        let dir = repo.join(git);
        for flags in [&[][..], &["--take-over"][..]] {
            let mut args = vec!["build", "--output", dir.to_str().unwrap()];
            args.extend(flags);
            let out = site.run(&args);
            assert_refused(&out, git, ".git folder");
        }
    }
    assert_eq!(before, snapshot(target.path()));
    // Taken over, the deploy checkout keeps its history.
    let out = site.run(&["build", "--take-over", "--output", repo.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(repo.join(".git/objects/ab")).unwrap(),
        [0u8, 1, 2]
    );
    assert!(repo.join("actors/ann/index.html").is_file());
}

#[cfg(unix)]
#[test]
fn a_symlinked_subfolder_inside_the_output_is_never_written_through() {
    let site = Site::new(&[ANN, BOB]);
    site.build_ok();
    let elsewhere = tempfile::tempdir().unwrap();
    unrelated(elsewhere.path());
    std::fs::create_dir_all(elsewhere.path().join("bob")).unwrap();
    std::fs::write(elsewhere.path().join("bob/index.html"), "not yours").unwrap();
    let public = site.root().join("public");
    std::fs::remove_dir_all(public.join("actors")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), public.join("actors")).unwrap();
    let outside = snapshot(elsewhere.path());
    let inside = snapshot(&public);
    let out = site.build();
    assert_refused(&out, "symlinked subfolder", "symbolic link");
    assert!(stderr(&out).contains("public/actors"), "{}", stderr(&out));
    assert_eq!(outside, snapshot(elsewhere.path()), "nothing written out");
    assert_eq!(inside, snapshot(&public), "nothing touched at all");
    // Removing a page does not remove through the link either.
    site.remove(BOB.0);
    let out = site.build();
    assert_refused(&out, "symlinked subfolder, page removed", "symbolic link");
    assert_eq!(outside, snapshot(elsewhere.path()));
}

#[test]
fn a_folder_given_through_site_toml_is_checked_the_same() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("cloned");
    let elsewhere = tmp.path().join("elsewhere");
    unrelated(&elsewhere);
    let write = |toml: &str| {
        std::fs::create_dir_all(root.join("content/actors")).unwrap();
        std::fs::write(root.join(ANN.0), ANN.1).unwrap();
        std::fs::write(root.join("site.toml"), toml).unwrap();
    };
    write("output_dir = \"../elsewhere\"\n");
    let before = snapshot(tmp.path());
    let home = tmp.path().join("home");
    let out = run_in(tmp.path(), &home, &["build", "--root", "cloned"]);
    assert_refused(&out, "output_dir", "explainer did not write");
    assert_eq!(before, snapshot(tmp.path()));
    for (toml, expect) in [
        ("output_dir = \"..\"\n", "it contains"),
        ("output_dir = \"../..\"\n", "it contains"),
        ("output_dir = \".git\"\n", ".git folder"),
        ("output_dir = \"content/\"\n", "content/"),
        ("output_dir = \"../home\"\n", "home folder"),
    ] {
        write(toml);
        let before = snapshot(tmp.path());
        let out = run_in(
            tmp.path(),
            &home,
            &["build", "--root", "cloned", "--take-over"],
        );
        assert_refused(&out, toml, expect);
        assert_eq!(before, snapshot(tmp.path()), "{toml}");
    }
    // An empty folder outside the site is fine.
    write("output_dir = \"../fresh\"\n");
    let out = run_in(tmp.path(), &home, &["build", "--root", "cloned"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(tmp.path().join("fresh/actors/ann/index.html").is_file());
}

#[test]
fn a_taken_over_folder_keeps_unrelated_files_and_loses_only_our_stale_ones() {
    // Without search, so that the one stale file is the removed page (the
    // search index would replace some of its own files too).
    let site = Site::new(&[ANN, BOB, ("site.toml", "[search]\nenabled = false\n")]);
    let target = tempfile::tempdir().unwrap();
    let dir = target.path().join("www");
    unrelated(&dir);
    let dir_arg = dir.to_str().unwrap();
    let theirs = |s: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>| {
        s.iter()
            .filter(|(p, _)| p.starts_with("chapters") || p.ends_with("thesis.pdf"))
            .map(|(p, b)| (p.clone(), b.clone()))
            .collect::<Vec<_>>()
    };
    let before = theirs(&snapshot(&dir));
    let out = site.run(&["build", "--take-over", "--output", dir_arg]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.join("actors/bob/index.html").is_file());
    assert!(dir.join(".explainer-manifest").is_file());
    assert!(
        std::fs::read_to_string(dir.join("index.html"))
            .unwrap()
            .contains("Ann"),
        "a file of the same name is the site's"
    );
    // Later builds need no flag, keep what is not theirs, and remove their
    // own stale files.
    std::fs::write(dir.join("actors/notes.txt"), "mine").unwrap();
    site.remove(BOB.0);
    let out = site.run(&["build", "--verbose", "--output", dir_arg]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!dir.join("actors/bob").exists(), "our stale page removed");
    assert!(stderr(&out).contains("1 stale removed"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(dir.join("actors/notes.txt")).unwrap(),
        "mine"
    );
    assert_eq!(before, theirs(&snapshot(&dir)), "unrelated bytes intact");
    // And a build with nothing changed stays a no-op beside them.
    let out = site.run(&["build", "--verbose", "--output", dir_arg]);
    assert!(stderr(&out).contains(" 0 written"), "{}", stderr(&out));
}

#[test]
fn files_added_to_our_output_by_hand_are_kept() {
    let site = Site::new(&[ANN, BOB]);
    site.build_ok();
    std::fs::write(site.root().join("public/CNAME"), "news.example.org").unwrap();
    site.remove(BOB.0);
    site.build_ok();
    assert!(!site.exists("actors/bob"));
    assert_eq!(site.out("CNAME"), "news.example.org");
}

#[test]
fn an_output_recorded_only_in_the_build_cache_is_recognised_as_ours() {
    // Outputs of versions that kept no manifest are listed in the site's
    // build cache; such a folder is accepted without a flag, and its
    // stale pages still go.
    let site = Site::new(&[ANN, BOB]);
    site.build_ok();
    std::fs::remove_file(site.root().join("public/.explainer-manifest")).unwrap();
    site.remove(BOB.0);
    let out = site.build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !site.exists("actors/bob"),
        "stale page of the cache removed"
    );
    assert!(site.exists(".explainer-manifest"), "recorded from now on");
    // Without cache and manifest, the folder is no longer known.
    std::fs::remove_file(site.root().join("public/.explainer-manifest")).unwrap();
    std::fs::remove_dir_all(site.root().join(".explainer-cache")).unwrap();
    let out = site.build();
    assert_refused(&out, "forgotten output", "explainer did not write");
}

#[cfg(unix)]
#[test]
fn home_root_git_and_the_site_are_refused_in_every_spelling() {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().canonicalize().unwrap();
    let home = base.join("home");
    std::fs::create_dir_all(home.join("Documents")).unwrap();
    std::fs::write(home.join("Documents/letter.txt"), "dear").unwrap();
    let site = base.join("site");
    std::fs::create_dir_all(site.join("content/actors")).unwrap();
    std::fs::write(site.join(ANN.0), ANN.1).unwrap();
    std::fs::create_dir_all(site.join(".git")).unwrap();
    std::fs::write(site.join(".git/HEAD"), "ref").unwrap();
    std::os::unix::fs::symlink(&home, base.join("home-link")).unwrap();
    std::os::unix::fs::symlink(site.join(".git"), base.join("git-link")).unwrap();
    std::os::unix::fs::symlink(&site, base.join("site-link")).unwrap();
    let before = snapshot(&base);
    let home_s = home.to_str().unwrap().to_string();
    for (output, expect) in [
        (home_s.clone(), "home folder"),
        (format!("{home_s}/"), "home folder"),
        ("home".into(), "home folder"),
        ("home/".into(), "home folder"),
        ("./home/../home".into(), "home folder"),
        ("home-link".into(), "home folder"),
        ("home-link/".into(), "home folder"),
        (base.to_str().unwrap().into(), "contains your home folder"),
        ("/".into(), "root of the file system"),
        ("//".into(), "root of the file system"),
        ("site/.git".into(), ".git folder"),
        ("site/.git/".into(), ".git folder"),
        ("git-link".into(), ".git folder"),
        ("git-link/hooks".into(), ".git folder"),
        ("site/sub/.git/y".into(), ".git folder"),
        ("site".into(), "contains the site"),
        ("site/".into(), "contains the site"),
        ("site-link".into(), "contains the site"),
        ("site/content/../.".into(), "contains the site"),
    ] {
        for take_over in [false, true] {
            let mut args = vec!["build", "--root", "site", "--output", &output];
            if take_over {
                args.push("--take-over");
            }
            let out = run_in(&base, &home, &args);
            assert_refused(&out, &output, expect);
        }
    }
    assert_eq!(before, snapshot(&base), "nothing anywhere was touched");
}

#[test]
fn no_static_file_may_take_the_manifest_s_place() {
    let site = Site::new(&[
        ANN,
        ("static/.explainer-manifest", "explainer-manifest 1\n"),
    ]);
    let out = site.build();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("static/.explainer-manifest:1:1: static file would replace"),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn an_output_that_is_a_dangling_link_is_refused() {
    let site = Site::new(&[ANN]);
    let gone = tempfile::tempdir().unwrap().path().join("gone");
    std::os::unix::fs::symlink(&gone, site.root().join("public")).unwrap();
    let out = site.build();
    assert_refused(&out, "dangling link", "does not exist");
    assert!(!gone.exists());
}
