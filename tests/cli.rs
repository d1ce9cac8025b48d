//! The command line's conventions through the real binary: the global
//! `--root`, `--version` with its commit, shell completions, the manual
//! page and `theme export`.

use crate::support;

use std::process::Command;

use support::{bin, repo_root, snapshot, stderr, Site};

fn small_site() -> Site {
    Site::new(&[(
        "content/articles/a.md",
        "+++\ntitle = \"A\"\ndate = 2024-01-02\n+++\n\nText.\n",
    )])
}

#[test]
fn root_works_before_and_after_the_command() {
    let site = small_site();
    for (i, args) in [["-r", "build"], ["build", "-r"], ["--root", "build"]]
        .iter()
        .enumerate()
    {
        let out_dir = site.root().join(format!("out{i}"));
        let mut cmd = bin();
        for a in args {
            cmd.arg(a);
            if a.starts_with('-') {
                cmd.arg(site.root());
            }
        }
        let out = cmd.arg("-o").arg(&out_dir).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(out_dir.join("articles/a/index.html").is_file(), "{args:?}");
    }
}

#[test]
fn base_url_short_flag_reaches_the_feed() {
    let site = small_site();
    let out = site.run(&["build", "-u", "https://short.example/news/"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site
        .out("feed.xml")
        .contains("https://short.example/news/articles/a/"));
}

#[test]
fn version_names_the_package_version_and_commit() {
    let out = bin().arg("--version").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(&format!("explainer {}", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    // In a git checkout the version carries the commit it was built from.
    let head = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(repo_root())
        .output();
    if let Some(head) = head.ok().filter(|h| h.status.success()) {
        let head = String::from_utf8(head.stdout).unwrap();
        let hash = text
            .split_once('(')
            .and_then(|(_, rest)| rest.split([' ', ')']).next())
            .unwrap_or_else(|| panic!("no commit in {text:?}"));
        assert!(
            hash.len() >= 7 && head.starts_with(hash),
            "{text:?} vs {head}"
        );
    }
}

#[test]
fn bash_sources_the_completion_script() {
    let script = bin().args(["completions", "bash"]).output().unwrap();
    assert!(script.status.success());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("explainer.bash");
    std::fs::write(&path, &script.stdout).unwrap();
    let Ok(out) = Command::new("bash")
        .arg("-c")
        .arg(r#"set -e; bash -n "$1"; source "$1"; complete -p explainer; declare -F _explainer"#)
        .arg("bash")
        .arg(&path)
        .output()
    else {
        panic!("bash is needed for this test");
    };
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}{}", text, stderr(&out));
    assert!(
        text.contains("-F _explainer") && text.contains("explainer"),
        "{text}"
    );
    let script = String::from_utf8(script.stdout).unwrap();
    for word in [
        "build",
        "serve",
        "completions",
        "--root",
        "--output-dir",
        "--interface",
    ] {
        assert!(script.contains(word), "completion lacks {word}");
    }
}

#[test]
fn every_shell_gets_a_script() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = bin().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains("explainer") && text.contains("serve"),
            "{shell}"
        );
    }
}

#[test]
fn man_page_is_roff_that_man_renders() {
    let out = bin().arg("man").output().unwrap();
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(".TH explainer 1"), "{page}");
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH OPTIONS",
        ".SH SUBCOMMANDS",
        ".SH VERSION",
    ] {
        assert!(page.contains(section), "man page lacks {section}");
    }
    // Rendered for a terminal where a formatter is installed.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("explainer.1");
    std::fs::write(&path, &page).unwrap();
    if let Ok(rendered) = Command::new("man")
        .arg("-l")
        .arg(&path)
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "80")
        .output()
    {
        if rendered.status.success() {
            let text = String::from_utf8_lossy(&rendered.stdout);
            assert!(
                text.contains("NAME") && text.contains("explainer-build"),
                "{text}"
            );
        }
    }
}

#[test]
fn theme_export_builds_the_same_site_as_the_built_in_theme() {
    let site = Site::new(&[]);
    let sample = repo_root();
    // The sample site's content, built with the built-in theme...
    copy_tree(&sample.join("content"), &site.root().join("content"));
    std::fs::copy(sample.join("site.toml"), site.root().join("site.toml")).unwrap();
    let builtin = site.root().join("builtin");
    let out = site.run(&["build", "-o", builtin.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    // ...and with the exported copy as the site's own templates/ and static/.
    let export = site.run(&["theme", "export", site.root().to_str().unwrap()]);
    assert!(export.status.success(), "{}", stderr(&export));
    let said = stderr(&export);
    assert!(
        said.contains("base.html") && said.contains("style.css"),
        "{said}"
    );
    assert!(site.root().join("templates/article.html").is_file());
    assert!(site.root().join("static/cards.js").is_file());
    let exported = site.root().join("exported");
    let out = site.run(&["build", "-o", exported.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (a, b) = (snapshot(&builtin), snapshot(&exported));
    assert!(a.len() > 20);
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(b[path] == *bytes, "{} differs", path.display());
    }
}

#[test]
fn theme_export_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("templates/base.html");
    std::fs::create_dir_all(mine.parent().unwrap()).unwrap();
    std::fs::write(&mine, "my own base").unwrap();
    let out = bin()
        .args(["theme", "export"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("base.html") && stderr(&out).contains("--force"));
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "my own base");
    assert!(
        !dir.path().join("templates/article.html").exists(),
        "wrote some files"
    );

    let out = bin()
        .args(["theme", "export", "--force"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_ne!(std::fs::read_to_string(&mine).unwrap(), "my own base");
    assert!(dir.path().join("templates/article.html").is_file());
}

fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    for (path, bytes) in snapshot(from) {
        let target = to.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
    }
}
