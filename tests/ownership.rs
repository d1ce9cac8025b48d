//! The output folder is owned, not assumed: a build removes only files an
//! earlier build wrote there (listed in `.explainer-manifest`), refuses a
//! folder holding anything else unless `--take-over` is given, never
//! writes through a symlink inside it, and refuses `.git`, the home
//! folder, the root and the site itself however they are spelt.

use crate::support;

use std::path::{Path, PathBuf};
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

/// A site someone cloned, `cloned/` with one actor, beside a folder of
/// someone else's files, `elsewhere/`, in a fresh temporary folder.
struct ClonedSite {
    /// Removes the folder when dropped.
    _tmp: tempfile::TempDir,
    /// The temporary folder, canonical (so paths in messages match).
    base: PathBuf,
    /// `base/cloned`.
    root: PathBuf,
    /// A home folder for the run (`base/home`, not made).
    home: PathBuf,
}

fn cloned_site() -> ClonedSite {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().canonicalize().unwrap();
    let root = base.join("cloned");
    unrelated(&base.join("elsewhere"));
    std::fs::create_dir_all(root.join("content/actors")).unwrap();
    std::fs::write(root.join(ANN.0), ANN.1).unwrap();
    ClonedSite {
        _tmp: tmp,
        home: base.join("home"),
        base,
        root,
    }
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
    assert!(
        stderr(&out).contains("inside the output; nothing was touched\n  = help: remove the link"),
        "real line breaks: {:?}",
        stderr(&out)
    );
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
    let home = tmp.path().join("home");
    for (toml, expect) in [
        ("output_dir = \".git\"\n", ".git folder"),
        ("output_dir = \"content/\"\n", "content/"),
        ("output_dir = \"public/../static\"\n", "static/"),
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
}

/// `site.toml` travels with the content: the folder it names must stay
/// inside the site, however it is spelt; anywhere else takes `--output`
/// on the command line.
#[cfg(unix)]
#[test]
fn output_dir_outside_the_site_is_an_error_at_its_line() {
    let ClonedSite {
        _tmp,
        base,
        root,
        home,
    } = cloned_site();
    std::fs::create_dir_all(base.join("empty")).unwrap();
    std::os::unix::fs::symlink(base.join("empty"), root.join("linked")).unwrap();
    for output_dir in [
        "../elsewhere",
        "../empty",
        "../fresh",
        "../.ssh",
        "..",
        "public/../../empty",
        "linked",
        "linked/sub",
        "ABSOLUTE",
    ] {
        let absolute = base.join("absolute");
        let output_dir = output_dir.replace("ABSOLUTE", absolute.to_str().unwrap());
        let output_dir = output_dir.as_str();
        let toml = format!("title = \"T\"\noutput_dir = \"{output_dir}\"\n");
        std::fs::write(root.join("site.toml"), &toml).unwrap();
        let before = snapshot(&base);
        for command in [&["build"][..], &["build", "--take-over"], &["check"]] {
            let mut args = command.to_vec();
            args.extend(["--root", "cloned"]);
            let out = run_in(&base, &home, &args);
            let err = stderr(&out);
            assert_eq!(
                out.status.code(),
                Some(1),
                "{output_dir} {command:?}: {err}"
            );
            assert!(
                err.contains("site.toml:2:15: output_dir")
                    && err.contains("outside the site folder")
                    && err.contains("--output"),
                "{output_dir}: {err}"
            );
        }
        assert_eq!(before, snapshot(&base), "{output_dir}: nothing touched");
    }
    // On the command line, a folder outside the site keeps working.
    let out = run_in(
        &base,
        &home,
        &["build", "--root", "cloned", "--output", "fresh"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(base.join("fresh/actors/ann/index.html").is_file());
    // And a folder inside the site, even through `..`, is fine.
    std::fs::write(root.join("site.toml"), "output_dir = \"public/../www\"\n").unwrap();
    let out = run_in(&base, &home, &["build", "--root", "cloned"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(root.join("www/actors/ann/index.html").is_file());
}

#[test]
fn output_dir_with_a_tilde_is_not_expanded_and_says_so() {
    for output_dir in ["~", "~/www"] {
        let site = Site::new(&[ANN]);
        site.write("site.toml", &format!("output_dir = \"{output_dir}\"\n"));
        for command in ["build", "check"] {
            let out = site.run(&[command]);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{err}");
            assert!(
                err.contains("site.toml:1:15: output_dir starts with `~`, which is not expanded"),
                "{err}"
            );
        }
        assert!(!site.root().join("~").exists());
    }
}

/// One site's output is not another's: the manifest names the site that
/// wrote it.
#[test]
fn another_site_s_output_is_refused_unless_taken_over() {
    let a = Site::new(&[ANN]);
    let b = Site::new(&[BOB]);
    a.build_ok();
    let a_out = a.root().join("public");
    let before = snapshot(&a_out);
    let out = b.run(&["build", "--output", a_out.to_str().unwrap()]);
    assert_refused(&out, "another site's output", "output of another site");
    let err = stderr(&out);
    assert!(
        err.contains("a site in another folder") && err.contains("--take-over"),
        "{err}"
    );
    assert!(
        !std::fs::read_to_string(a_out.join(".explainer-manifest"))
            .unwrap()
            .contains(a.root().file_name().unwrap().to_str().unwrap()),
        "the deployed manifest does not publish the site's path"
    );
    assert_eq!(before, snapshot(&a_out), "site A's output intact");
    // Taken over, A's pages stay: they are not B's to remove.
    let out = b.run(&["build", "--take-over", "--output", a_out.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(a_out.join("actors/ann/index.html").is_file());
    assert!(a_out.join("actors/bob/index.html").is_file());
    // Now it is B's: A must take it back explicitly.
    let out = a.build();
    assert_refused(&out, "taken back", "output of another site");
    assert!(a_out.join("actors/bob/index.html").is_file());
}

#[test]
fn a_manifest_of_the_previous_version_is_ours_and_gains_the_site_line() {
    let site = Site::new(&[ANN, BOB]);
    site.build_ok();
    let manifest = site.root().join("public/.explainer-manifest");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    assert!(lines[1].starts_with("# explainer site: "), "{text}");
    lines.remove(1);
    std::fs::write(&manifest, lines.join("\n") + "\n").unwrap();
    site.remove(BOB.0);
    site.build_ok();
    assert!(!site.exists("actors/bob"), "still ours: stale page removed");
    let text = std::fs::read_to_string(&manifest).unwrap();
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .starts_with("# explainer site: "),
        "{text}"
    );
    // Even when nothing else changed.
    std::fs::write(
        &manifest,
        text.replacen(text.lines().nth(1).unwrap(), "", 1)
            .replace("\n\n", "\n"),
    )
    .unwrap();
    site.build_ok();
    let text = std::fs::read_to_string(&manifest).unwrap();
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .starts_with("# explainer site: "),
        "{text}"
    );
}

/// `.git` under `static/` would be published into an output that is a
/// Git checkout (a deploy branch): its `config` runs commands there.
#[test]
fn git_data_in_static_is_refused_and_never_written_into_the_output_s_git() {
    let site = Site::new(&[
        ANN,
        (
            "static/.git/config",
            "[core]\n\tfsmonitor = \"echo PWNED\"\n",
        ),
        ("static/sub/.git", "gitdir: ../../.git/modules/sub\n"),
        (
            "static/x/.GIT/hooks/post-checkout",
            "#!/bin/sh\necho PWNED\n",
        ),
    ]);
    let target = tempfile::tempdir().unwrap();
    let repo = target.path().join("deploy");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::write(repo.join(".git/config"), "[core]\n\tbare = false\n").unwrap();
    std::fs::write(repo.join("index.html"), "old").unwrap();
    let before = snapshot(target.path());
    for command in [
        &["check"][..],
        &["build", "--take-over", "--output", repo.to_str().unwrap()],
    ] {
        let out = site.run(command);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        for path in ["static/.git:", "static/sub/.git:", "static/x/.GIT:"] {
            assert!(err.contains(path), "{path} named: {err}");
        }
        assert!(err.contains("Git's own data"), "{err}");
    }
    assert_eq!(before, snapshot(target.path()), "nothing touched");
}

#[test]
fn a_file_where_the_site_needs_a_folder_is_named_with_the_output() {
    let site = Site::new(&[ANN]);
    let target = tempfile::tempdir().unwrap();
    let dir = target.path().join("www");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("actors"), "my list of actors").unwrap();
    let before = snapshot(target.path());
    let out = site.run(&["build", "--take-over", "--output", dir.to_str().unwrap()]);
    assert_refused(
        &out,
        "file in the way",
        "is a file where the site needs a folder",
    );
    let err = stderr(&out);
    assert!(
        err.contains(&format!("cannot write the site into {}", dir.display()))
            && err.contains("www/actors is a file"),
        "{err}"
    );
    assert!(!err.contains("os error"), "{err}");
    assert_eq!(before, snapshot(target.path()), "nothing touched");
}

#[test]
fn a_staging_folder_that_is_not_ours_is_never_removed() {
    let site = Site::new(&[ANN]);
    site.write(".public.explainer-staging/draft.txt", "my draft");
    let out = site.build();
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("not made by explainer"), "{err}");
    assert_eq!(
        std::fs::read_to_string(site.root().join(".public.explainer-staging/draft.txt")).unwrap(),
        "my draft"
    );
    assert!(!site.root().join("public").exists());
    // A staging folder a killed build left (with its marker) is cleared.
    std::fs::remove_dir_all(site.root().join(".public.explainer-staging")).unwrap();
    site.write(".public.explainer-staging/explainer-staging", "");
    site.write(".public.explainer-staging/site/half.html", "x");
    site.build_ok();
    assert!(!site.root().join(".public.explainer-staging").exists());
}

#[test]
fn refusals_print_real_line_breaks_and_escape_hostile_paths() {
    let site = Site::new(&[ANN]);
    let target = tempfile::tempdir().unwrap();
    let dir = target.path().join("thesis\u{1b}[31m");
    unrelated(&dir);
    let out = site.run(&["build", "--output", dir.to_str().unwrap()]);
    assert_refused(&out, "unrelated files", "explainer did not write");
    let err = stderr(&out);
    assert!(!err.contains("\\n"), "no escaped line break: {err:?}");
    assert!(err.contains("nothing was touched\n  = help: "), "{err:?}");
    assert!(err.ends_with('\n'), "{err:?}");
    assert!(
        !err.contains('\u{1b}'),
        "escape sequence printed raw: {err:?}"
    );
    assert!(err.contains("thesis\\u{1b}[31m"), "{err:?}");
}

#[cfg(unix)]
#[test]
fn the_account_s_home_is_refused_whatever_home_says() {
    let site = Site::new(&[ANN]);
    let fake = tempfile::tempdir().unwrap();
    for home in explainer::write::account_homes() {
        // Only a home holding files is tried, without --take-over: were
        // the guard missing, it would still be refused (as a folder
        // explainer did not write), with another message, and never
        // written into.
        let holds_files = std::fs::read_dir(&home).is_ok_and(|mut d| d.next().is_some());
        if !holds_files || home.parent().is_none() {
            continue;
        }
        let before = std::fs::read_dir(&home).unwrap().count();
        for output in [home.display().to_string(), format!("{}/", home.display())] {
            let out = run_in(site.root(), fake.path(), &["build", "--output", &output]);
            assert_refused(&out, &output, "it is your home folder");
        }
        assert_eq!(before, std::fs::read_dir(&home).unwrap().count());
    }
}

#[test]
fn verbose_lists_the_files_written_and_removed() {
    let site = Site::new(&[ANN, BOB]);
    let out = site.run(&["build", "--verbose"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("\n  written actors/bob/index.html\n"),
        "{}",
        stderr(&out)
    );
    site.remove(BOB.0);
    let out = site.run(&["build", "--verbose"]);
    let err = stderr(&out);
    assert!(err.contains("\n  removed actors/bob/index.html\n"), "{err}");
    assert!(err.contains("\n  written actors/index.html\n"), "{err}");
    assert!(
        !err.contains("written actors/ann/index.html"),
        "unchanged ones are not listed: {err}"
    );
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
    // The profile (named by no story, it had no feed).
    assert!(stderr(&out).contains("1 removed)"), "{}", stderr(&out));
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

/// A `site.toml` with problems names no folder to trust: every problem
/// of it is reported, with the output folder it names when that is
/// outside the site, and no folder is touched, neither the one it names
/// nor the default.
#[cfg(unix)]
#[test]
fn a_site_toml_with_problems_touches_no_output_folder() {
    let ClonedSite {
        _tmp,
        base,
        root,
        home,
    } = cloned_site();
    for (toml, expected) in [
        (
            "titel = \"T\"\noutput_dir = \"../elsewhere\"\n",
            &[
                "site.toml:1:1: unknown key `titel`",
                "site.toml:2:15: output_dir \"../elsewhere\" is outside the site folder",
                "2 problems found",
            ][..],
        ),
        (
            "output_dir = \"content/\"\npaginate = -1\n",
            &[
                "site.toml:2:12: `paginate` must be a whole number (0 or more), not -1",
                "1 problem found",
            ][..],
        ),
        (
            "output_dir = \"~\"\nbase_url = \"/x/\"\n",
            &[
                "site.toml:1:15: output_dir starts with `~`",
                "site.toml:2:13: base_url must be an absolute http(s) URL",
                "2 problems found",
            ][..],
        ),
    ] {
        std::fs::write(root.join("site.toml"), toml).unwrap();
        let before = snapshot(&base);
        for command in [&["build"][..], &["build", "--take-over"], &["check"]] {
            let mut args = command.to_vec();
            args.extend(["--root", "cloned"]);
            let out = run_in(&base, &home, &args);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{toml} {command:?}: {err}");
            for e in expected {
                assert!(err.contains(e), "{toml} {command:?}: {e}\n{err}");
            }
        }
        assert_eq!(before, snapshot(&base), "{toml}: nothing touched");
    }
}
