//! Nothing outside the site folder is read or published: a symlink in
//! `content/`, `static/` or `templates/` that leads out of the site is an
//! error naming the link and its target, and what it points at is never
//! read. Links that stay inside the site keep working.
#![cfg(unix)]

mod support;

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
