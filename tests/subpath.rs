//! Sub-path hosting, proven with a real server: the sample site and the
//! theme fixture (images, a logo) are built with `base_url` at a sub-path
//! of a real nginx (`http://127.0.0.1:PORT/repo/`) and at the root of
//! another, served by it, and crawled over HTTP: every `href`, `src` and
//! `srcset` of every page, every `url()` of the stylesheet, and every
//! absolute URL on the server's own host in any file (canonical links,
//! Open Graph, JSON-LD, the feed, the sitemap, `robots.txt`, `404.html`)
//! must answer 200, and none may lead outside the sub-path. nginx's own
//! access log must agree.
//!
//! nginx (Debian package `nginx`) runs unprivileged with its own temporary
//! prefix, configuration, pid file and logs, started and stopped here. When
//! it is not installed the test is skipped with a message, except under CI
//! (`CI` set and not `false`), where that is a failure.

use crate::support;

use std::collections::{BTreeSet, VecDeque};
use std::io::Read;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::*;
use url::Url;

/// The nginx binary, or `None` (with the reason printed) when the test
/// must be skipped.
fn nginx() -> Option<PathBuf> {
    let found = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file());
    if found.is_none() {
        let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false");
        assert!(
            !ci,
            "nginx is not installed, and CI requires this test (apt-get install nginx)"
        );
        eprintln!("skipped: nginx is not installed (apt-get install nginx); CI runs this test");
    }
    found
}

/// A running nginx serving `output` at `location` (`/repo/` or `/`) on a
/// free loopback port, with the site's `404.html` for missing paths;
/// stopped when dropped.
struct Nginx {
    child: Child,
    prefix: tempfile::TempDir,
}

impl Nginx {
    fn start(binary: &Path, output: &Path, location: &str, port: u16) -> Nginx {
        let prefix = tempfile::tempdir().unwrap();
        let p = prefix.path();
        let output = output.canonicalize().unwrap();
        // `alias` maps the location onto the folder; its value ends in a
        // slash exactly when the location does.
        let site = format!("{}/", output.display());
        let conf = format!(
            "daemon off;\n\
             master_process off;\n\
             worker_processes 1;\n\
             pid {p}/nginx.pid;\n\
             error_log {p}/error.log warn;\n\
             events {{ worker_connections 64; }}\n\
             http {{\n\
               types {{ text/html html; text/css css; text/javascript js; application/xml xml; \
                        application/atom+xml atom; text/plain txt; image/svg+xml svg; \
                        image/png png; image/jpeg jpg jpeg; image/webp webp; }}\n\
               default_type application/octet-stream;\n\
               access_log {p}/access.log;\n\
               client_body_temp_path {p}/body;\n\
               proxy_temp_path {p}/proxy;\n\
               fastcgi_temp_path {p}/fastcgi;\n\
               uwsgi_temp_path {p}/uwsgi;\n\
               scgi_temp_path {p}/scgi;\n\
               server {{\n\
                 listen 127.0.0.1:{port};\n\
                 location {location} {{\n\
                   alias {site};\n\
                   error_page 404 {location}404.html;\n\
                 }}\n\
               }}\n\
             }}\n",
            p = p.display()
        );
        std::fs::write(p.join("nginx.conf"), conf).unwrap();
        let child = Command::new(binary)
            .arg("-p")
            .arg(p)
            .arg("-c")
            .arg(p.join("nginx.conf"))
            .arg("-e")
            .arg(p.join("error.log"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("nginx runs");
        let mut server = Nginx { child, prefix };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = server.child.try_wait() {
                let mut err = String::new();
                let _ = server.child.stderr.take().unwrap().read_to_string(&mut err);
                panic!(
                    "nginx exited ({status}):\n{err}\n{}",
                    std::fs::read_to_string(server.prefix.path().join("error.log"))
                        .unwrap_or_default()
                );
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "nginx did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        server
    }

    /// Every request path nginx logged.
    fn requests(&self) -> Vec<String> {
        std::fs::read_to_string(self.prefix.path().join("access.log"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.split('"').nth(1))
            .filter_map(|r| r.split(' ').nth(1))
            .map(str::to_string)
            .collect()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Reply {
    status: u16,
    content_type: String,
    body: Vec<u8>,
}

/// One HTTP/1.1 GET over a fresh connection.
fn get(port: u16, path: &str) -> Reply {
    let bytes = http_get(port, path, &format!("127.0.0.1:{port}"));
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let header = |name: &str| {
        head.lines()
            .skip(1)
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
            })
            .unwrap_or_default()
    };
    assert!(
        !header("transfer-encoding").contains("chunked"),
        "{path}: a static file is sent whole"
    );
    Reply {
        status,
        content_type: header("content-type"),
        body: bytes[end + 4..].to_vec(),
    }
}

/// The references a file makes: `href`, `src` and each `srcset` candidate
/// of HTML, `url()` of CSS, and in every text file each absolute http(s)
/// URL (feed, sitemap, robots.txt, JSON-LD, meta tags).
fn references(text: &str, content_type: &str) -> Vec<String> {
    let mut refs = Vec::new();
    if content_type.starts_with("text/html") {
        for attr in ["href", "src"] {
            refs.extend(attribute_values(text, attr).into_iter().map(unescape));
        }
        for set in attribute_values(text, "srcset") {
            refs.extend(
                set.split(',')
                    .filter_map(|c| c.split_whitespace().next())
                    .map(unescape),
            );
        }
    }
    if content_type.starts_with("text/css") {
        let mut rest = text;
        while let Some(i) = rest.find("url(") {
            rest = &rest[i + 4..];
            let end = rest.find(')').unwrap_or(rest.len());
            refs.push(rest[..end].trim_matches(['"', '\'', ' ']).to_string());
        }
    }
    // Absolute URLs also sit in escaped HTML (a feed entry's content) and
    // in JSON with escaped slashes.
    let text = text
        .replace("&quot;", "\"")
        .replace("&#x2F;", "/")
        .replace("\\/", "/");
    for scheme in ["http://", "https://"] {
        let mut rest = text.as_str();
        while let Some(i) = rest.find(scheme) {
            rest = &rest[i..];
            let end = rest
                .find(|c: char| c.is_whitespace() || "\"'<>)\\]".contains(c))
                .unwrap_or(rest.len());
            refs.push(unescape(&rest[..end]));
            rest = &rest[end..];
        }
    }
    refs
}

fn unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&#x2F;", "/")
        .replace("\\/", "/")
}

/// Crawls from `start` (and the missing page `missing`), following every
/// reference on the server's own host. Returns the broken references and
/// those outside `prefix`, and how many URLs were fetched.
fn crawl(port: u16, prefix: &str, starts: &[&str]) -> (Vec<String>, Vec<String>, BTreeSet<String>) {
    let origin = Url::parse(&format!("http://127.0.0.1:{port}/")).unwrap();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue: VecDeque<(String, String)> = VecDeque::new();
    for s in starts {
        queue.push_back((s.to_string(), "(start)".into()));
    }
    let (mut broken, mut outside) = (Vec::new(), Vec::new());
    while let Some((path, from)) = queue.pop_front() {
        if !seen.insert(path.clone()) {
            continue;
        }
        if !path.starts_with(prefix) {
            outside.push(format!("{from} -> {path}"));
            continue;
        }
        let reply = get(port, &path);
        let expected = if path.contains("no-such-page") {
            404
        } else {
            200
        };
        if reply.status != expected {
            broken.push(format!("{from} -> {path}: {}", reply.status));
            continue;
        }
        let binary = !(reply.content_type.starts_with("text/")
            || reply.content_type.contains("xml")
            || reply.content_type.contains("javascript"));
        if binary {
            continue;
        }
        let text = String::from_utf8_lossy(&reply.body);
        let page = origin.join(&path).unwrap();
        for reference in references(&text, &reply.content_type) {
            if reference.starts_with('#')
                || reference.starts_with("mailto:")
                || reference.starts_with("data:")
            {
                continue;
            }
            let Ok(mut url) = page.join(&reference) else {
                broken.push(format!("{path} -> unparsable {reference:?}"));
                continue;
            };
            if url.host_str() != Some("127.0.0.1") || url.port() != Some(port) {
                continue; // another site: sources, Wikipedia, schema.org
            }
            url.set_fragment(None);
            queue.push_back((url.path().to_string(), path.clone()));
        }
    }
    (broken, outside, seen)
}

/// Builds the site at `root` into `output` for `base_url`.
fn build(root: &Path, output: &Path, base_url: &str) -> String {
    let out = bin()
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(output)
        .args(["--base-url", base_url])
        .output()
        .unwrap();
    assert!(out.status.success(), "build failed:\n{}", stderr(&out));
    stderr(&out)
}

/// Checks the site at `root` under `/repo/` and at a root; returns the
/// URLs requested under `/repo/`.
fn check_site(nginx_bin: &Path, root: &Path, name: &str) -> BTreeSet<String> {
    let dir = tempfile::tempdir().unwrap();
    let mut under_repo = BTreeSet::new();
    for (location, prefix) in [("/repo/", "/repo/"), ("/", "/")] {
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}{prefix}");
        let output = dir.path().join(format!("{name}-{}", prefix.len()));
        let log = build(root, &output, &base);
        let warned = log.contains("crawlers read robots.txt only at the root of the host");
        assert_eq!(warned, prefix != "/", "{log}");
        // Opened from disk: every relative link resolves to a file.
        let (broken, checked) = broken_links(&output);
        assert!(broken.is_empty() && checked > 20, "{broken:?}");

        let server = Nginx::start(nginx_bin, &output, location, port);
        let missing = format!("{prefix}no-such-page/");
        let robots = format!("{prefix}robots.txt");
        let (broken, outside, seen) = crawl(port, prefix, &[prefix, &missing, &robots]);
        let fetched = seen.len();
        assert!(
            broken.is_empty(),
            "{name} at {prefix}: broken references:\n{}",
            broken.join("\n")
        );
        assert!(
            outside.is_empty(),
            "{name} at {prefix}: references outside {prefix}:\n{}",
            outside.join("\n")
        );
        // Reached through absolute URLs only: robots.txt's Sitemap line,
        // the feed link, canonical folder URLs (from pages and sitemap).
        for must in ["sitemap.xml", "feed.xml", "articles/", "actors/"] {
            assert!(
                seen.contains(&format!("{prefix}{must}")),
                "{name}: {prefix}{must} never requested"
            );
        }
        let files = snapshot(&output).len();
        // Pages, the feed, the sitemap, the stylesheet, the script, images.
        assert!(
            fetched + 3 >= files,
            "{name}: {fetched} URLs for {files} files"
        );
        let requests = server.requests();
        assert!(requests.len() >= fetched, "{} logged", requests.len());
        let strays: Vec<_> = requests.iter().filter(|r| !r.starts_with(prefix)).collect();
        assert!(strays.is_empty(), "nginx saw {strays:?}");
        if prefix == "/repo/" {
            under_repo = seen;
        }
    }
    under_repo
}

#[test]
fn the_sample_site_works_under_a_sub_path_and_at_the_root_of_a_real_server() {
    let Some(nginx) = nginx() else { return };
    check_site(&nginx, &repo_root(), "sample");
}

#[test]
fn the_theme_fixture_with_images_and_a_logo_works_under_a_sub_path() {
    let Some(nginx) = nginx() else { return };
    let seen = check_site(
        &nginx,
        &repo_root().join("tests/fixtures/theme-site"),
        "theme-site",
    );
    // Images: lead images, the publisher's logo (JSON-LD), og:image.
    let images = seen
        .iter()
        .filter(|u| u.ends_with(".svg") || u.ends_with(".jpg"))
        .count();
    assert!(images >= 2, "{seen:?}");
}

#[test]
fn references_are_found_in_every_kind_of_file() {
    let html = "<a href=\"../a/index.html#x\"></a><img src=\"i.png\" srcset=\"i-1.png 1x, i-2.png 2x\">\
                <script type=\"application/ld+json\">{\"url\":\"https:\\/\\/h\\/repo\\/\"}</script>";
    let refs = references(html, "text/html");
    for r in [
        "../a/index.html#x",
        "i.png",
        "i-1.png",
        "i-2.png",
        "https://h/repo/",
    ] {
        assert!(refs.contains(&r.to_string()), "{r} in {refs:?}");
    }
    let css = references("a { background: url(\"img/x.svg\") }", "text/css");
    assert_eq!(css, ["img/x.svg"]);
    let xml = references(
        "<loc>http://h:1/repo/a/</loc><link href=\"http://h:1/repo/\"/>",
        "application/xml",
    );
    assert_eq!(xml, ["http://h:1/repo/a/", "http://h:1/repo/"]);
}
