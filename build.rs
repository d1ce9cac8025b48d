//! Build script: keeps the embedded theme fresh and stamps the version
//! string with the commit the binary was built from.
//!
//! `include_dir!` embeds `templates/` and `static/` but, on stable Rust,
//! cannot tell Cargo it read them; without the `rerun-if-changed` lines
//! below an edited stylesheet could leave a stale theme in the binary.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by Cargo"));
    // A directory is scanned recursively for changes (Cargo's rule).
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=static");
    // A path that does not exist would make Cargo run this script on
    // every build, so only existing files are named.
    rerun_if_changed(&manifest_dir.join(".cargo_vcs_info.json"));

    let version = std::env::var("CARGO_PKG_VERSION").expect("set by Cargo");
    let long = match commit(&manifest_dir) {
        Some((hash, Some(date))) => format!("{version} ({hash} {date})"),
        Some((hash, None)) => format!("{version} ({hash})"),
        None => version,
    };
    println!("cargo:rustc-env=EXPLAINER_VERSION={long}");
}

/// The short hash and commit date (`YYYY-MM-DD`) of the checkout being
/// built, or, in a crate package (which has no `.git`), the hash Cargo
/// recorded in `.cargo_vcs_info.json` when it was packaged. `None` when
/// neither is known: the version is then the bare package version.
fn commit(manifest_dir: &Path) -> Option<(String, Option<String>)> {
    from_git(manifest_dir).or_else(|| from_vcs_info(manifest_dir))
}

fn from_git(manifest_dir: &Path) -> Option<(String, Option<String>)> {
    // Only this crate's own repository counts: a crate unpacked inside
    // some other repository (a home folder kept in git) must not report
    // that repository's commit.
    let top = git(manifest_dir, &["rev-parse", "--show-toplevel"])?;
    if std::fs::canonicalize(&top).ok()? != std::fs::canonicalize(manifest_dir).ok()? {
        return None;
    }
    let hash = git(manifest_dir, &["rev-parse", "--short=7", "HEAD"])?;
    let date = git(manifest_dir, &["log", "-1", "--format=%cs", "HEAD"]);
    // Rebuild when HEAD moves: a checkout (HEAD itself) or a commit on the
    // branch (its ref, loose or packed).
    for path in ["HEAD", "packed-refs"] {
        if let Some(p) = git(manifest_dir, &["rev-parse", "--git-path", path]) {
            rerun_if_changed(&manifest_dir.join(p));
        }
    }
    if let Some(branch) = git(manifest_dir, &["symbolic-ref", "-q", "HEAD"]) {
        if let Some(p) = git(manifest_dir, &["rev-parse", "--git-path", &branch]) {
            rerun_if_changed(&manifest_dir.join(p));
        }
    }
    Some((hash, date))
}

fn from_vcs_info(manifest_dir: &Path) -> Option<(String, Option<String>)> {
    let text = std::fs::read_to_string(manifest_dir.join(".cargo_vcs_info.json")).ok()?;
    // `"sha1": "<40 hex digits>"`; a JSON parser is not worth a build
    // dependency for one field.
    let rest = &text[text.find("\"sha1\"")? + "\"sha1\"".len()..];
    let start = rest.find('"')? + 1;
    let hash: String = rest[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    (hash.len() >= 7).then(|| (hash[..7].to_string(), None))
}

fn rerun_if_changed(path: &Path) {
    if path.exists() {
        println!("cargo:rerun-if-changed={}", path.display());
    }
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (out.status.success() && !text.is_empty()).then(|| text.to_string())
}
