//! Helpers shared by the integration tests: fixture sites written into
//! temporary folders, the real binary run on them, and a small checker for
//! the relative links of a built site.

#![allow(dead_code)]

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_explainer"))
}

/// A site in a temporary folder, made from `(path, text)` pairs.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    pub fn new(files: &[(&str, &str)]) -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        let site = Site { dir };
        for (path, text) in files {
            site.write(path, text);
        }
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, text: &str) {
        self.write_bytes(path, text.as_bytes());
    }

    pub fn write_bytes(&self, path: &str, bytes: &[u8]) {
        let p = self.root().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    pub fn remove(&self, path: &str) {
        std::fs::remove_file(self.root().join(path)).unwrap();
    }

    /// Runs the binary with `args` and `--root` pointing at the site.
    pub fn run(&self, args: &[&str]) -> Output {
        bin()
            .args(args)
            .arg("--root")
            .arg(self.root())
            .output()
            .expect("binary runs")
    }

    pub fn build(&self) -> Output {
        self.run(&["build"])
    }

    /// Builds and fails the test with the error output if the build fails.
    pub fn build_ok(&self) -> Output {
        let out = self.build();
        assert!(out.status.success(), "build failed:\n{}", stderr(&out));
        out
    }

    /// Builds, fails the test if the build fails, and checks the output
    /// with [`assert_site_integrity`].
    pub fn build_checked(&self) -> Output {
        let out = self.build_ok();
        assert_site_integrity(&self.root().join("public"));
        out
    }

    pub fn out(&self, path: &str) -> String {
        let p = self.root().join("public").join(path);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.root().join("public").join(path).exists()
    }
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every file under `dir` with its bytes, for before/after comparisons.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The repository's own sample site.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Values of an attribute (`href`, `src`) in an HTML text. The output is
/// ours and always double-quotes attributes, so a scan is enough.
pub fn attribute_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    let mut values = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        if let Some(end) = rest.find('"') {
            values.push(&rest[..end]);
            rest = &rest[end..];
        }
    }
    values
}

pub fn ids(html: &str) -> HashSet<String> {
    attribute_values(html, "id")
        .into_iter()
        .map(|s| s.to_string())
        .collect()
}

/// Checks every relative `href` and `src` of every HTML page under `out`:
/// the file it names exists, and a `#fragment` names an element id there.
/// `404.html` is skipped: its links start at the site's base path. Returns
/// the broken links, and the number of links checked.
pub fn broken_links(out: &Path) -> (Vec<String>, usize) {
    let mut broken = Vec::new();
    let mut checked = 0;
    // Ids per page, read once however many links point at it.
    let mut ids_of: std::collections::HashMap<PathBuf, HashSet<String>> = Default::default();
    // Most pages link to the same list pages and assets.
    let mut files: std::collections::HashMap<PathBuf, bool> = Default::default();
    for entry in walkdir::WalkDir::new(out).into_iter().flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "html") || path.file_name().unwrap() == "404.html" {
            continue;
        }
        let html = std::fs::read_to_string(path).unwrap();
        let mut links = attribute_values(&html, "href");
        links.extend(attribute_values(&html, "src"));
        for link in links {
            let link = link.replace("&amp;", "&");
            if link.contains("://") || link.starts_with("mailto:") || link.starts_with("//") {
                continue;
            }
            checked += 1;
            let (file_part, fragment) = match link.split_once('#') {
                Some((f, frag)) => (f.to_string(), Some(frag.to_string())),
                None => (link.clone(), None),
            };
            let file_part = file_part.split('?').next().unwrap().to_string();
            if file_part.starts_with('/') {
                broken.push(format!("{}: absolute link {link}", path.display()));
                continue;
            }
            let target = if file_part.is_empty() {
                path.to_path_buf()
            } else {
                path.parent().unwrap().join(&file_part)
            };
            let target = normalize(&target);
            let is_file = *files
                .entry(target.clone())
                .or_insert_with(|| target.is_file());
            if !target.starts_with(out) || !is_file {
                broken.push(format!(
                    "{}: {link} -> missing {}",
                    path.display(),
                    target.display()
                ));
                continue;
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                if target.extension().is_some_and(|e| e == "html") {
                    let known = ids_of
                        .entry(target.clone())
                        .or_insert_with(|| ids(&std::fs::read_to_string(&target).unwrap()));
                    if !known.contains(&fragment) {
                        broken.push(format!("{}: {link} -> no id #{fragment}", path.display()));
                    }
                }
            }
        }
    }
    (broken, checked)
}

/// Checks what every built site must hold, on every HTML page under `out`:
/// each `id` occurs once on its page, and every relative link resolves,
/// fragments included (same-page `#x` and `page/index.html#x` name an id
/// of the page they point at). Panics listing every problem found.
pub fn assert_site_integrity(out: &Path) {
    let mut problems = Vec::new();
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(out).into_iter().flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        pages += 1;
        let html = std::fs::read_to_string(path).unwrap();
        let mut seen = HashSet::new();
        for id in attribute_values(&html, "id") {
            if !seen.insert(id) {
                problems.push(format!("{}: duplicate id \"{id}\"", path.display()));
            }
        }
    }
    assert!(pages > 0, "no HTML page under {}", out.display());
    problems.extend(broken_links(out).0);
    assert!(
        problems.is_empty(),
        "{} problems in {}:\n{}",
        problems.len(),
        out.display(),
        problems.join("\n")
    );
}

fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// The published name of a hashed theme asset in the output `dir`
/// (`style.css` -> `style.3f9a1c2b.css`): exactly one must exist, and the
/// plain name must not.
pub fn hashed_asset(dir: &Path, name: &str) -> String {
    let (stem, ext) = name.rsplit_once('.').unwrap();
    let found: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.strip_prefix(&format!("{stem}."))
                .and_then(|r| r.strip_suffix(&format!(".{ext}")))
                .is_some_and(|h| h.len() == 8 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        })
        .collect();
    assert_eq!(found.len(), 1, "{name} in {}: {found:?}", dir.display());
    assert!(!dir.join(name).exists(), "{name} published unhashed");
    found.into_iter().next().unwrap()
}

/// Sends `request` as it is over a fresh connection to `port` on loopback
/// and returns every byte of the reply (read until the server closes; a
/// read that waits 10 s ends it).
pub fn http_exchange(port: u16, request: &[u8]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    bytes
}

/// One HTTP/1.1 `GET path` with the `Host` header `host`, the connection
/// closed after it: the whole reply, head and body.
pub fn http_get(port: u16, path: &str, host: &str) -> Vec<u8> {
    let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    http_exchange(port, request.as_bytes())
}

/// A port free on loopback now (the listener is dropped at once, so a
/// server started right after can bind it).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
