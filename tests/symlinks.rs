//! Nothing outside the site folder is read or published: a symlink in
//! `content/`, `static/` or `templates/` that leads out of the site is an
//! error naming the link and its target, and what it points at is never
//! read. Links that stay inside the site keep working.
#![cfg(unix)]

use crate::support;

use std::os::unix::fs::symlink;

use support::*;

const ANN: (&str, &str) = (
    "content/actors/ann.md",
    "+++\nname = \"Ann\"\n+++\nProfile.\n",
);

/// A folder outside the site with a secret file, a Markdown file whose
/// first line is secret, and a folder of notes.
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("passwd"), "root:x:0:0:SECRET-PASSWD\n").unwrap();
    std::fs::write(
        dir.path().join("leak.md"),
        "SECRET-FIRST-LINE not front matter\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("notes")).unwrap();
    std::fs::write(
        dir.path().join("notes/n.md"),
        "+++\ntitle = \"SECRET-NOTE\"\n+++\nBody.\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("base.html"), "SECRET-TEMPLATE {{ nope(").unwrap();
    dir
}

fn assert_refused_link(site: &Site, command: &str, link: &str, target: &std::path::Path) {
    let out = site.run(&[command]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{command}: {err}");
    let target = target.canonicalize().unwrap();
    assert!(
        err.contains(&format!(
            "{link}:1:1: {link} is a symbolic link to {}",
            target.display()
        )),
        "{command}: the link and its target named:\n{err}"
    );
    assert!(err.contains("outside the site folder"), "{err}");
    assert!(
        !err.contains("SECRET"),
        "{command}: read what the link points at:\n{err}"
    );
    assert!(!site.root().join("public").exists(), "nothing written");
}

#[test]
fn a_static_link_out_of_the_site_is_refused_and_never_published() {
    let elsewhere = outside();
    let site = Site::new(&[ANN]);
    std::fs::create_dir_all(site.root().join("static")).unwrap();
    symlink(
        elsewhere.path().join("passwd"),
        site.root().join("static/passwd"),
    )
    .unwrap();
    assert_refused_link(
        &site,
        "build",
        "static/passwd",
        &elsewhere.path().join("passwd"),
    );
    assert_refused_link(
        &site,
        "check",
        "static/passwd",
        &elsewhere.path().join("passwd"),
    );
}

#[test]
fn a_content_link_out_of_the_site_is_refused_and_never_echoed() {
    let elsewhere = outside();
    let site = Site::new(&[ANN]);
    std::fs::create_dir_all(site.root().join("content/articles")).unwrap();
    symlink(
        elsewhere.path().join("leak.md"),
        site.root().join("content/articles/leak.md"),
    )
    .unwrap();
    assert_refused_link(
        &site,
        "build",
        "content/articles/leak.md",
        &elsewhere.path().join("leak.md"),
    );
}

#[test]
fn a_linked_folder_out_of_the_site_is_refused_unread() {
    let elsewhere = outside();
    let site = Site::new(&[ANN]);
    symlink(
        elsewhere.path().join("notes"),
        site.root().join("content/notes"),
    )
    .unwrap();
    assert_refused_link(
        &site,
        "build",
        "content/notes",
        &elsewhere.path().join("notes"),
    );
}

#[test]
fn a_template_link_out_of_the_site_is_refused() {
    let elsewhere = outside();
    let site = Site::new(&[ANN]);
    std::fs::create_dir_all(site.root().join("templates")).unwrap();
    symlink(
        elsewhere.path().join("base.html"),
        site.root().join("templates/base.html"),
    )
    .unwrap();
    assert_refused_link(
        &site,
        "build",
        "templates/base.html",
        &elsewhere.path().join("base.html"),
    );
}

#[test]
fn links_inside_the_site_keep_working_and_loops_are_errors() {
    let site = Site::new(&[
        ANN,
        (
            "shared/article.md",
            "+++\ntitle = \"Shared\"\ndate = 2024-01-02\n+++\nAbout Ann.\n",
        ),
        (
            "more-notes/n.md",
            "+++\ntitle = \"Linked note\"\n+++\nBody.\n",
        ),
        ("assets/logo.txt", "logo"),
    ]);
    let root = site.root();
    std::fs::create_dir_all(root.join("content/articles")).unwrap();
    std::fs::create_dir_all(root.join("static")).unwrap();
    symlink(
        "../../shared/article.md",
        root.join("content/articles/shared.md"),
    )
    .unwrap();
    symlink("../more-notes", root.join("content/notes")).unwrap();
    symlink("../assets/logo.txt", root.join("static/logo.txt")).unwrap();
    // Through the site folder itself, by an absolute path: still inside.
    symlink(root.join("assets"), root.join("static/assets")).unwrap();
    site.build_ok();
    assert!(site.out("articles/shared/index.html").contains("Shared"));
    assert!(site.out("explainers/n/index.html").contains("Linked note"));
    assert_eq!(site.out("logo.txt"), "logo");
    assert_eq!(site.out("assets/logo.txt"), "logo");

    symlink(".", root.join("static/assets/again")).unwrap();
    let out = site.build();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("loop"), "{}", stderr(&out));
}

#[test]
fn a_dangling_link_is_named_with_its_target() {
    for (link, target) in [
        ("static/logo.png", "../gone/logo.png"),
        ("static/gone", "/nonexistent"),
        ("content/actors/n.md", "/nonexistent/n.md"),
        ("content/notes", "elsewhere/notes"),
    ] {
        let site = Site::new(&[ANN]);
        let at = site.root().join(link);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        symlink(target, &at).unwrap();
        for command in ["build", "check"] {
            let out = site.run(&[command]);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{err}");
            assert!(
                err.contains(&format!(
                    "{link}:1:1: {link} is a symbolic link to {target}, which does not exist"
                )),
                "{err}"
            );
            assert!(!err.contains("os error"), "{err}");
        }
    }
}

#[test]
fn a_site_toml_linked_out_of_the_site_is_refused_unread() {
    let elsewhere = outside();
    std::fs::write(
        elsewhere.path().join("site.toml"),
        "title = \"SECRET-TITLE\"\n",
    )
    .unwrap();
    let site = Site::new(&[ANN]);
    symlink(
        elsewhere.path().join("site.toml"),
        site.root().join("site.toml"),
    )
    .unwrap();
    assert_refused_link(
        &site,
        "build",
        "site.toml",
        &elsewhere.path().join("site.toml"),
    );
    assert_refused_link(
        &site,
        "check",
        "site.toml",
        &elsewhere.path().join("site.toml"),
    );
    // A link inside the site is read.
    std::fs::remove_file(site.root().join("site.toml")).unwrap();
    site.write("config/site.toml", "title = \"Linked Title\"\n");
    symlink("config/site.toml", site.root().join("site.toml")).unwrap();
    site.build_ok();
    assert!(site.out("index.html").contains("Linked Title"));
}

#[test]
fn a_link_into_the_site_s_git_folder_is_refused() {
    let site = Site::new(&[ANN, (".git/config", "[core]\n")]);
    std::fs::create_dir_all(site.root().join("static")).unwrap();
    symlink("../.git", site.root().join("static/repo")).unwrap();
    let out = site.build();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("static/repo is a symbolic link to"), "{err}");
    assert!(err.contains("inside a .git folder"), "{err}");
    assert!(!site.root().join("public").exists());
}

#[test]
fn file_names_with_control_or_bidi_characters_are_refused() {
    for name in [
        "e\u{1b}[2Jvil.txt",
        "c\u{1}.txt",
        "dir\u{7}/x.txt",
        "doc\u{202e}fdp.exe",
    ] {
        let site = Site::new(&[ANN]);
        site.write(&format!("static/{name}"), "x");
        let out = site.build();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{name:?}: {err}");
        assert!(
            !err.contains('\u{1b}') && !err.contains('\u{202e}'),
            "raw in {err:?}"
        );
        assert!(err.contains("the file name static/"), "{err}");
        assert!(!site.root().join("public").exists());
    }
}
