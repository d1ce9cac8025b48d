//! `explainer serve` from the outside: the real binary on a free port
//! against fixture sites, spoken to in raw HTTP/1.1 over TCP so that every
//! traversal form reaches the server byte for byte. Edits, additions,
//! renames and deletions are made on disk and the tests poll (bounded)
//! until the served page changes.

use crate::support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use support::{free_port, http_exchange, Site};

/// How long a test waits for the server to start or a change to show.
const PATIENCE: Duration = Duration::from_secs(20);

const SITE: &[(&str, &str)] = &[
    (
        "site.toml",
        "title = \"Preview Test\"\nbase_url = \"https://example.org/repo/\"\n",
    ),
    (
        "content/actors/ann.md",
        "+++\nname = \"Ann Example\"\nkind = \"person\"\nrole = \"Envoy\"\n+++\nProfile of Ann.\n",
    ),
    (
        "content/notes/talks.md",
        "+++\ntitle = \"The talks\"\nsummary = \"Background to the talks.\"\n+++\nAnn Example led the talks.\n",
    ),
    ("content/articles/deal.md", DEAL),
];

const DEAL: &str = "+++\ntitle = \"A deal is struck\"\ndate = 2024-01-02\nbackground = [\"talks\"]\n+++\nAnn Example announced the deal.\n";

/// A running `explainer serve`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    log: Arc<Mutex<String>>,
}

impl Server {
    /// Serves the site at `root` with `extra` arguments.
    fn start(root: &Path, extra: &[&str]) -> Server {
        let mut args = vec!["serve", "--root", root.to_str().unwrap()];
        args.extend_from_slice(extra);
        Server::start_in(root, &args)
    }

    /// Runs `explainer ARGS --port P` in `cwd` and waits until it answers;
    /// tries another port if the free one was taken meanwhile.
    fn start_in(cwd: &Path, args: &[&str]) -> Server {
        for _ in 0..3 {
            let port = free_port();
            let mut child = support::bin()
                .args(args)
                .args(["--port", &port.to_string()])
                .current_dir(cwd)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("binary runs");
            let log = Arc::new(Mutex::new(String::new()));
            collect(child.stderr.take().unwrap(), log.clone());
            let mut server = Server { child, port, log };
            if server.wait_until_up() {
                return server;
            }
            if !server.log().contains("already in use") {
                panic!("server did not start:\n{}", server.log());
            }
        }
        panic!("no free port");
    }

    fn wait_until_up(&mut self) -> bool {
        let started = Instant::now();
        while started.elapsed() < PATIENCE {
            if let Ok(Some(_)) = self.child.try_wait() {
                return false;
            }
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                // Accepting connections only starts after the first build.
                let reply = self.get("/__explainer/reload.js");
                if reply.status == 200 {
                    return true;
                }
            }
            thread::sleep(Duration::from_millis(50));
        }
        panic!("server did not answer in time:\n{}", self.log());
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    fn get(&self, path: &str) -> Reply {
        self.send(&format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.host()
        ))
    }

    fn send(&self, raw: &str) -> Reply {
        self.send_bytes(raw.as_bytes())
    }

    fn send_bytes(&self, raw: &[u8]) -> Reply {
        Reply::parse(&http_exchange(self.port, raw))
    }

    /// Polls `path` until `ok` holds, failing the test after a while.
    fn wait_for(&self, path: &str, what: &str, ok: impl Fn(&Reply) -> bool) -> Reply {
        let started = Instant::now();
        loop {
            let reply = self.get(path);
            if ok(&reply) {
                return reply;
            }
            if started.elapsed() > PATIENCE {
                panic!(
                    "{path} never showed {what}; last reply:\n{}\n{}\nserver log:\n{}",
                    reply.head,
                    reply.body,
                    self.log()
                );
            }
            thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn collect(mut from: impl Read + Send + 'static, into: Arc<Mutex<String>>) {
    thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = from.read(&mut buf) {
            if n == 0 {
                break;
            }
            into.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
}

#[derive(Debug)]
struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    fn parse(bytes: &[u8]) -> Reply {
        let text = String::from_utf8_lossy(bytes).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        Reply {
            status,
            head: head.to_string(),
            body: body.to_string(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    fn has(&self, text: &str) -> bool {
        self.status == 200 && self.body.contains(text)
    }
}

fn overlay_shown(reply: &Reply) -> bool {
    reply.body.contains("id=\"__explainer-overlay\"")
}

/// Removes what the preview puts into a page, to compare it with the file.
fn without_injection(body: &str) -> String {
    let start = body.find("<script src=\"/__explainer/reload.js\"").unwrap();
    let end = start + body[start..].find("</script>\n").unwrap() + "</script>\n".len();
    format!("{}{}", &body[..start], &body[end..])
}

/// The preview's own folder: `serve` builds there, never into `public/`.
const PREVIEW: &str = ".explainer-cache/serve";

/// A file the preview built.
fn preview(site: &Site, path: &str) -> String {
    let p = site.root().join(PREVIEW).join(path);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn preview_exists(site: &Site, path: &str) -> bool {
    site.root().join(PREVIEW).join(path).exists()
}

#[test]
fn serves_the_site_as_built() {
    let site = Site::new(SITE);
    let server = Server::start(site.root(), &[]);

    let home = server.get("/");
    assert_eq!(home.status, 200, "{home:?}");
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("cache-control"), Some("no-store"));
    assert!(home.body.contains("A deal is struck"));
    // What is previewed is what is deployed: the file, plus only the script.
    assert_eq!(without_injection(&home.body), preview(&site, "index.html"));
    assert!(home.body.contains("data-file=\"index.html\""));
    assert!(!preview(&site, "index.html").contains("__explainer"));
    assert!(preview(&site, "articles/deal/index.html").contains("../../actors/ann/index.html"));

    let article = server.get("/articles/deal/");
    assert!(article.has("Ann Example announced the deal"), "{article:?}");
    assert_eq!(
        without_injection(&article.body),
        preview(&site, "articles/deal/index.html")
    );
    assert!(server
        .get("/articles/deal/index.html")
        .has("A deal is struck"));

    let folder = server.get("/articles/deal");
    assert_eq!(folder.status, 301, "{folder:?}");
    assert_eq!(folder.header("location"), Some("/articles/deal/"));

    let preview_dir = site.root().join(PREVIEW);
    let stylesheet = support::hashed_asset(&preview_dir, "style.css");
    let css = server.get(&format!("/{stylesheet}"));
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(server
        .get(&format!(
            "/{}",
            support::hashed_asset(&preview_dir, "cards.js")
        ))
        .header("content-type")
        .is_some_and(|t| t.ends_with("javascript; charset=utf-8")));
    assert!(server
        .get("/feed.xml")
        .header("content-type")
        .is_some_and(|t| t.ends_with("xml; charset=utf-8")));

    let missing = server.get("/articles/nope/");
    assert_eq!(missing.status, 404);
    assert_eq!(
        without_injection(&missing.body),
        preview(&site, "404.html"),
        "the site's own 404 page"
    );
    // 404.html links start at the path of base_url; the preview answers there.
    assert!(preview(&site, "404.html").contains(&format!("/repo/{stylesheet}")));
    assert_eq!(server.get(&format!("/repo/{stylesheet}")).status, 200);

    let head = server.send(&format!(
        "HEAD / HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.host()
    ));
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let post = server.send(&format!(
        "POST / HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        server.host()
    ));
    assert_eq!(post.status, 405);

    // DNS rebinding: a foreign host name pointed at 127.0.0.1.
    for host in [
        "evil.example",
        "evil.example:1111",
        "localhost.evil.example",
    ] {
        let reply = server.send(&format!(
            "GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ));
        assert_eq!(reply.status, 403, "{host}");
        assert!(!reply.body.contains("A deal is struck"));
    }
    let localhost = server.send(&format!(
        "GET / HTTP/1.1\r\nHost: localhost:{}\r\nConnection: close\r\n\r\n",
        server.port
    ));
    assert_eq!(localhost.status, 200);
}

#[test]
fn serves_a_percent_in_a_file_name_and_counts_pages_as_build_does() {
    let site = Site::new(SITE);
    site.write("static/100%.txt", "one hundred percent");
    let server = Server::start(site.root(), &[]);
    for path in ["/100%25.txt", "/100%.txt"] {
        let reply = server.get(path);
        assert_eq!(reply.status, 200, "{path}: {reply:?}");
        assert_eq!(reply.body, "one hundred percent");
    }
    let other = site.root().join("elsewhere");
    let built = site.run(&["build", "--output", other.to_str().unwrap()]);
    let built = support::stderr(&built);
    let pages = |log: &str| {
        let start = log.find("built ").expect("a summary line") + "built ".len();
        log[start..]
            .split(" in ")
            .next()
            .unwrap()
            .split(" (")
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        pages(&server.log()),
        pages(&built),
        "{}\n{built}",
        server.log()
    );
    // Ten pages, timeline/<year>/ and the search page.
    assert_eq!(pages(&built), "12 pages", "{built}");
}

const SECRET: &str = "TOP-SECRET-CONTENTS";

/// Every way of naming `target` (a path outside the output, relative to
/// the output root) that a traversal might try.
fn traversal_forms(target: &str) -> Vec<String> {
    let encoded = target.replace('/', "%2f");
    let backslashed = target.replace('/', "\\");
    vec![
        format!("/../{target}"),
        format!("/articles/../../{target}"),
        format!("/%2e%2e/{target}"),
        format!("/%2E%2E/{target}"),
        format!("/%252e%252e/{target}"),
        format!("/..%2f{encoded}"),
        format!("/..%2F{target}"),
        format!("/%2e%2e%2f{encoded}"),
        format!("/..\\{backslashed}"),
        format!("/%5c..%5c{}", target.replace('/', "%5c")),
        format!("/..%5c{target}"),
        format!("/..%255c{target}"),
        format!("/.%2e/{target}"),
        format!("/articles/%2e%2e/%2e%2e/{target}"),
        format!("//../{target}"),
    ]
}

fn assert_refused(server: &Server, path: &str) {
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.host()
    );
    let reply = server.send_bytes(request.as_bytes());
    assert!(
        reply.status != 200 && !reply.body.contains(SECRET),
        "{path} was served:\n{reply:?}"
    );
}

#[test]
fn never_serves_a_file_outside_the_output() {
    let site = Site::new(SITE);
    site.write("secret.txt", SECRET);
    site.write("public-leak/secret.txt", SECRET);
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("secret.txt"), SECRET).unwrap();
    let server = Server::start(site.root(), &[]);

    for target in ["secret.txt", "public-leak/secret.txt", "site.toml"] {
        for path in traversal_forms(target) {
            assert_refused(&server, &path);
        }
    }
    // The absolute form of the request target, and a NUL.
    assert_refused(&server, &format!("http://{}/../secret.txt", server.host()));
    assert_refused(&server, "/index.html%00/../../secret.txt");
    assert_eq!(server.get("/index.html%00").status, 404);
    assert_eq!(server.get("/../public/index.html").status, 404);

    #[cfg(unix)]
    {
        let out = site.root().join(".explainer-cache/serve");
        std::os::unix::fs::symlink(elsewhere.path().join("secret.txt"), out.join("leak.txt"))
            .unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), out.join("leak")).unwrap();
        std::os::unix::fs::symlink(site.root().join("public-leak"), out.join("sibling")).unwrap();
        std::os::unix::fs::symlink(out.join("index.html"), out.join("inside.html")).unwrap();
        assert_refused(&server, "/leak.txt");
        assert_refused(&server, "/leak/secret.txt");
        assert_refused(&server, "/sibling/secret.txt");
        assert_eq!(
            server.get("/inside.html").status,
            200,
            "a link within the output is served"
        );
    }
    // Still serving normally afterwards.
    assert!(server.get("/articles/deal/").has("A deal is struck"));
}

#[test]
fn a_relative_output_folder_is_served_and_guarded() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    for (path, text) in SITE {
        let p = site.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    std::fs::write(dir.path().join("secret.txt"), SECRET).unwrap();
    std::fs::create_dir_all(dir.path().join("out-leak")).unwrap();
    std::fs::write(dir.path().join("out-leak/secret.txt"), SECRET).unwrap();
    let server = Server::start_in(dir.path(), &["serve", "--root", "site", "--output", "out"]);
    assert!(dir.path().join("out/index.html").is_file());
    assert!(server.get("/").has("A deal is struck"));
    assert!(server.get("/articles/deal/").has("Ann Example"));
    assert_eq!(server.get("/articles/nope/").status, 404);
    for target in ["secret.txt", "out-leak/secret.txt", "site/site.toml"] {
        for path in traversal_forms(target) {
            assert_refused(&server, &path);
        }
    }
    // The preview's edits land in the relative output too.
    std::fs::write(
        site.join("content/articles/deal.md"),
        DEAL.replace("announced the deal", "announced the relative deal"),
    )
    .unwrap();
    server.wait_for("/articles/deal/", "the edit", |r| {
        r.has("announced the relative deal")
    });
}

#[test]
fn edits_additions_renames_and_deletions_show_up() {
    let site = Site::new(SITE);
    let server = Server::start(site.root(), &[]);

    // An edit.
    site.write(
        "content/articles/deal.md",
        &DEAL.replace("announced the deal", "announced the deal on Tuesday"),
    );
    server.wait_for("/articles/deal/", "the edit", |r| {
        r.has("announced the deal on Tuesday")
    });

    // A new actor, mentioned by the article: a new page and a new backlink.
    site.write(
        "content/actors/bob.md",
        "+++\nname = \"Bob Builder\"\nkind = \"person\"\n+++\nProfile of Bob.\n",
    );
    server.wait_for("/actors/bob/", "the new actor", |r| r.has("Profile of Bob"));
    site.write(
        "content/articles/deal.md",
        &DEAL.replace("announced the deal", "and Bob Builder announced the deal"),
    );
    server.wait_for("/actors/bob/", "the backlink", |r| {
        r.has("A deal is struck")
    });

    // An editor that saves by writing a temporary file and renaming it.
    site.write(
        "content/articles/.deal.md.swp",
        &DEAL.replace("announced the deal", "announced the deal, saved by rename"),
    );
    std::fs::rename(
        site.root().join("content/articles/.deal.md.swp"),
        site.root().join("content/articles/deal.md"),
    )
    .unwrap();
    server.wait_for("/articles/deal/", "the renamed-over file", |r| {
        r.has("saved by rename")
    });
    assert_eq!(
        server.get("/actors/bob/").status,
        200,
        "the actor itself is still there"
    );

    // A renamed file: the old page goes, the new one comes.
    std::fs::rename(
        site.root().join("content/actors/bob.md"),
        site.root().join("content/actors/robert.md"),
    )
    .unwrap();
    server.wait_for("/actors/robert/", "the renamed page", |r| {
        r.has("Profile of Bob")
    });
    server.wait_for("/actors/bob/", "the old page gone", |r| r.status == 404);

    // A deleted article: its page and its backlinks vanish.
    assert!(server.get("/actors/ann/").has("A deal is struck"));
    assert!(server.get("/explainers/talks/").has("A deal is struck"));
    site.remove("content/articles/deal.md");
    server.wait_for("/articles/deal/", "the deleted page gone", |r| {
        r.status == 404
    });
    server.wait_for("/actors/ann/", "the backlink gone", |r| {
        r.status == 200 && !r.body.contains("A deal is struck")
    });
    // Files are written as they are rendered: the note may follow the
    // actor by a moment.
    server.wait_for("/explainers/talks/", "the backlink gone", |r| {
        r.has("The talks") && !r.body.contains("A deal is struck")
    });
    assert!(!preview_exists(&site, "articles/deal/index.html"));

    // site.toml: the new title on every page.
    site.write(
        "site.toml",
        "title = \"Preview Renamed\"\nbase_url = \"https://example.org/repo/\"\n",
    );
    server.wait_for("/actors/ann/", "the new site title", |r| {
        r.has("Preview Renamed")
    });
    // A static file added, then deleted.
    site.write("static/files/brief.txt", "A brief.\n");
    server.wait_for("/files/brief.txt", "the new static file", |r| {
        r.has("A brief.")
    });
    site.remove("static/files/brief.txt");
    server.wait_for("/files/brief.txt", "the static file gone", |r| {
        r.status == 404
    });

    // A template edit reaches every page.
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Lost at sea</h1>{% endblock main %}",
    );
    server.wait_for("/nowhere/", "the new 404 template", |r| {
        r.status == 404 && r.body.contains("Lost at sea")
    });
}

#[test]
fn a_broken_edit_shows_the_overlay_until_fixed() {
    let site = Site::new(SITE);
    let server = Server::start(site.root(), &[]);
    assert!(!overlay_shown(&server.get("/")));

    site.write(
        "content/articles/deal.md",
        &DEAL.replace("[\"talks\"]", "[\"tlaks\"]"),
    );
    let home = server.wait_for("/", "the overlay", overlay_shown);
    assert_eq!(home.status, 200, "the last good page, under the overlay");
    assert!(home.body.contains("A deal is struck"));
    assert!(home.body.contains("role=\"alert\""));
    assert!(home
        .body
        .contains("content/articles/deal.md:4:16: unknown note &quot;tlaks&quot;"));
    assert!(
        home.body.contains("4 | background = [&quot;tlaks&quot;]"),
        "the source line"
    );
    assert!(home.body.contains("did you mean &quot;talks&quot;?"));
    // Every HTML page carries it, the 404 page too; other files do not.
    assert!(overlay_shown(&server.get("/actors/ann/")));
    assert!(overlay_shown(&server.get("/nowhere/")));
    let stylesheet = support::hashed_asset(&site.root().join(PREVIEW), "style.css");
    assert!(!server
        .get(&format!("/{stylesheet}"))
        .body
        .contains("__explainer"));
    // The last good output is untouched, and never gets the overlay.
    assert!(preview(&site, "articles/deal/index.html").contains("The talks"));
    assert!(!preview(&site, "index.html").contains("__explainer"));
    // The terminal shows the same error.
    let log = server.log();
    assert!(
        log.contains("content/articles/deal.md:4:16: unknown note \"tlaks\""),
        "{log}"
    );
    assert!(log.contains("still serving the last good build"), "{log}");

    // A second error in another file is listed too.
    site.write(
        "content/actors/ann.md",
        "+++\nname = \"Ann Example\"\nkind = \"wizard\"\n+++\n",
    );
    server.wait_for("/", "both errors", |r| {
        r.body.contains("content/actors/ann.md:") && r.body.contains("problems in the site")
    });

    site.write("content/actors/ann.md", SITE[1].1);
    site.write(
        "content/articles/deal.md",
        &DEAL.replace("announced", "finally announced"),
    );
    let fixed = server.wait_for("/articles/deal/", "the fix", |r| {
        r.has("finally announced") && !overlay_shown(r)
    });
    assert!(!fixed.body.contains("tlaks"));
    assert!(!overlay_shown(&server.get("/")));
}

#[test]
fn a_site_broken_from_the_start_is_served_once_fixed() {
    let site = Site::new(SITE);
    site.write(
        "content/articles/deal.md",
        &DEAL.replace("title = \"A deal is struck\"\n", ""),
    );
    let server = Server::start(site.root(), &[]);
    let nothing = server.get("/");
    assert_eq!(nothing.status, 404, "nothing was ever built");
    assert!(overlay_shown(&nothing));
    assert!(nothing.body.contains("content/articles/deal.md:"));

    site.write("content/articles/deal.md", DEAL);
    server.wait_for("/", "the site", |r| {
        r.has("A deal is struck") && !overlay_shown(r)
    });
}

/// An open `/__explainer/events` stream.
struct Events {
    stream: TcpStream,
    seen: String,
}

impl Events {
    fn open(server: &Server, origin: Option<&str>) -> (u16, Events) {
        let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        let origin = origin
            .map(|o| format!("Origin: {o}\r\n"))
            .unwrap_or_default();
        write!(
            stream,
            "GET /__explainer/events HTTP/1.1\r\nHost: {}\r\n{origin}Accept: text/event-stream\r\n\r\n",
            server.host()
        )
        .unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let mut events = Events {
            stream,
            seen: String::new(),
        };
        events.read_until("\r\n\r\n");
        let status = Reply::parse(events.seen.as_bytes()).status;
        (status, events)
    }

    /// Reads until `text` has been seen, and returns everything read.
    fn read_until(&mut self, text: &str) -> String {
        let started = Instant::now();
        let mut buf = [0u8; 8192];
        while !self.seen.contains(text) {
            assert!(
                started.elapsed() < PATIENCE,
                "never saw {text:?} in:\n{}",
                self.seen
            );
            match self.stream.read(&mut buf) {
                Ok(0) => panic!("stream closed before {text:?}:\n{}", self.seen),
                Ok(n) => self.seen.push_str(&String::from_utf8_lossy(&buf[..n])),
                Err(_) => {} // timeout: read again
            }
        }
        self.seen.clone()
    }
}

#[test]
fn the_reload_channel_refuses_other_origins_and_reports_changes() {
    let site = Site::new(SITE);
    let server = Server::start(site.root(), &[]);

    for origin in [
        "https://evil.example",
        "http://evil.example",
        "null",
        &format!("http://127.0.0.1:{}", server.port + 1),
        &format!("https://127.0.0.1:{}", server.port),
    ] {
        let (status, _) = Events::open(&server, Some(origin));
        assert_eq!(status, 403, "{origin}");
    }
    let rebinding = server.send(
        "GET /__explainer/events HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(rebinding.status, 403);

    let own = format!("http://{}", server.host());
    let (status, mut events) = Events::open(&server, Some(&own));
    assert_eq!(status, 200, "{}", events.seen);
    let head = events.read_until("event: hello");
    assert!(head
        .to_ascii_lowercase()
        .contains("content-type: text/event-stream"));
    let (status, mut quiet) = Events::open(&server, None);
    assert_eq!(
        status, 200,
        "no Origin: a same-origin or non-browser client"
    );
    quiet.read_until("event: hello");

    // An edit names the pages it changed.
    site.write(
        "content/articles/deal.md",
        &DEAL.replace("announced the deal", "announced the new deal"),
    );
    events.read_until("\"articles/deal/index.html\"");
    assert!(events.seen.contains("event: reload"));

    // A stylesheet-only edit names only the stylesheet.
    site.write("static/extra.css", "body { color: #111; }\n");
    let seen = events.read_until("\"extra.css\"");
    let last = &seen[seen.rfind("event: reload").unwrap()..];
    assert!(last.contains("\"changed\":[\"extra.css\"]"), "{last}");

    // A broken edit pushes the overlay; the fix takes it away.
    site.write(
        "content/articles/deal.md",
        &DEAL.replace("2024-01-02", "2024-13-02"),
    );
    events.read_until("__explainer-overlay");
    site.write("content/articles/deal.md", DEAL);
    events.read_until("\"html\":null");
    quiet.read_until("\"html\":null");
}

#[test]
fn a_busy_port_is_a_clear_error() {
    let site = Site::new(SITE);
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let mut child = support::bin()
        .args([
            "serve",
            "--root",
            site.root().to_str().unwrap(),
            "--port",
            &port,
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = wait_bounded(&mut child);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status, Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "error: port {port} on 127.0.0.1 is already in use"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("help: try --port "), "{stderr}");
    assert!(!preview_exists(&site, "index.html"), "nothing built");
}

#[test]
fn usage_errors_exit_2() {
    let missing = support::bin()
        .args(["serve", "--root", "/no/such/site/anywhere"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(support::stderr(&missing).contains("does not exist"));
    let site = Site::new(SITE);
    let overlapping = site.run(&[
        "serve",
        "--output",
        site.root().join("content").to_str().unwrap(),
    ]);
    assert_eq!(
        overlapping.status.code(),
        Some(2),
        "{}",
        support::stderr(&overlapping)
    );
    let bad_bind = support::bin()
        .args(["serve", "--bind", "nowhere"])
        .output()
        .unwrap();
    assert_eq!(bad_bind.status.code(), Some(2));
}

/// Waits up to `PATIENCE` for the process to exit; its exit code.
fn wait_bounded(child: &mut Child) -> Option<i32> {
    let started = Instant::now();
    while started.elapsed() < PATIENCE {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    panic!("the process did not exit");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly_even_with_open_tabs() {
    let site = Site::new(SITE);
    let mut server = Server::start(site.root(), &[]);
    let (status, mut events) = Events::open(&server, None);
    assert_eq!(status, 200);
    events.read_until("event: hello");
    let signalled = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(signalled.success());
    assert_eq!(wait_bounded(&mut server.child), Some(0), "{}", server.log());
    thread::sleep(Duration::from_millis(50));
    assert!(server.log().contains("stopping"), "{}", server.log());
    assert!(!server.log().contains("internal error"));
}

#[cfg(unix)]
#[test]
fn an_edit_through_a_symlinked_file_shows_up() {
    const LINKED: &str = "+++\ntitle = \"Linked story\"\ndate = 2024-01-03\n+++\nFirst text.\n";
    let site = Site::new(SITE);
    site.write("shared/linked.md", LINKED);
    std::os::unix::fs::symlink(
        "../../shared/linked.md",
        site.root().join("content/articles/linked.md"),
    )
    .unwrap();
    // A link to a file the recursive watch sees already.
    std::os::unix::fs::symlink("talks.md", site.root().join("content/notes/talks-copy.md"))
        .unwrap();
    let server = Server::start(site.root(), &[]);
    server.wait_for("/articles/linked/", "the linked article", |r| {
        r.has("First text.")
    });
    site.write(
        "content/notes/talks.md",
        "+++\ntitle = \"The talks\"\n+++\nThe talks went on.\n",
    );
    server.wait_for("/explainers/talks-copy/", "the edit behind a link", |r| {
        r.has("The talks went on.")
    });

    // Written in place through the link's target.
    site.write("shared/linked.md", &LINKED.replace("First", "Second"));
    server.wait_for("/articles/linked/", "the edit of the target", |r| {
        r.has("Second text.")
    });

    // Saved by rename next to the target.
    site.write("shared/.linked.md.tmp", &LINKED.replace("First", "Third"));
    std::fs::rename(
        site.root().join("shared/.linked.md.tmp"),
        site.root().join("shared/linked.md"),
    )
    .unwrap();
    server.wait_for("/articles/linked/", "the target saved by rename", |r| {
        r.has("Third text.")
    });

    // A link made while serving is watched as well.
    site.write(
        "shared/later.md",
        "+++\ntitle = \"Later story\"\ndate = 2024-01-04\n+++\nLater text.\n",
    );
    std::os::unix::fs::symlink(
        "../../shared/later.md",
        site.root().join("content/articles/later.md"),
    )
    .unwrap();
    server.wait_for("/articles/later/", "the new link", |r| r.has("Later text."));
    site.write(
        "shared/later.md",
        "+++\ntitle = \"Later story\"\ndate = 2024-01-04\n+++\nLater text, edited.\n",
    );
    server.wait_for("/articles/later/", "the edit behind the new link", |r| {
        r.has("Later text, edited.")
    });
}

#[test]
fn an_absolute_form_request_uri_is_checked_like_host() {
    let site = Site::new(SITE);
    let server = Server::start(site.root(), &[]);
    let local = server.host();
    for uri in [
        "http://evil.example/".to_string(),
        format!("http://evil.example:{}/", server.port),
        "http://localhost.evil.example/index.html".to_string(),
        format!("http://user@{local}/"),
    ] {
        let reply = server.send(&format!(
            "GET {uri} HTTP/1.1\r\nHost: {local}\r\nConnection: close\r\n\r\n"
        ));
        assert_eq!(reply.status, 403, "{uri}: {}", reply.head);
    }
    let reply = server.send(&format!(
        "GET http://{local}/articles/deal/ HTTP/1.1\r\nHost: {local}\r\nConnection: close\r\n\r\n"
    ));
    assert!(reply.has("A deal is struck"), "{}", reply.head);
    let reply = server.send(&format!(
        "GET http://localhost:{}/ HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
        server.port
    ));
    assert_eq!(reply.status, 403, "the Host header is still checked");
}

#[test]
fn idle_and_slow_clients_do_not_hold_the_server() {
    let site = Site::new(SITE);
    let server = Server::start(site.root(), &[]);
    // More idle connections than the server serves at once (128)...
    let idle: Vec<TcpStream> = (0..140)
        .map(|_| TcpStream::connect(("127.0.0.1", server.port)).expect("connect"))
        .collect();
    // ...and clients that send their headers a byte at a time.
    let port = server.port;
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let slow: Vec<_> = (0..4)
        .map(|_| {
            let stop = stop.clone();
            thread::spawn(move || {
                let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
                    return;
                };
                for b in b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
                    .iter()
                    .cycle()
                {
                    if stop.load(std::sync::atomic::Ordering::Relaxed)
                        || s.write_all(&[*b]).is_err()
                    {
                        return;
                    }
                    thread::sleep(Duration::from_millis(300));
                }
            })
        })
        .collect();
    thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "GET /articles/deal/ HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.host()
    )
    .unwrap();
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let elapsed = started.elapsed();
    let reply = Reply::parse(&bytes);
    println!("a request behind 140 idle and 4 slow clients took {elapsed:?}");
    assert!(
        reply.has("A deal is struck"),
        "{}\n{}",
        reply.head,
        server.log()
    );
    // The header timeout is 5 s: the idle connections held every slot for
    // at most that long.
    assert!(elapsed < Duration::from_secs(12), "took {elapsed:?}");
    // The idle connections were closed by the server.
    let mut first = &idle[0];
    first
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut buf = [0u8; 512];
    assert!(
        first.read(&mut buf).is_ok(),
        "an idle connection is closed (or answered 408), not left open"
    );
    // So were the slow ones, however steadily they kept sending (those
    // queued behind the idle ones get their own 5 s once accepted).
    let waiting = Instant::now();
    while !slow.iter().all(|t| t.is_finished()) && waiting.elapsed() < Duration::from_secs(20) {
        thread::sleep(Duration::from_millis(50));
    }
    let cut_off = slow.iter().all(|t| t.is_finished());
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for t in slow {
        let _ = t.join();
    }
    assert!(cut_off, "a client sending headers slowly is cut off");
}

#[test]
fn the_search_index_follows_edits_after_the_page_is_served() {
    let site = Site::new(SITE);
    let server = Server::start(site.root(), &[]);
    let count =
        |n: usize| move |r: &Reply| r.status == 200 && r.has(&format!("\"page_count\":{n}"));
    server.wait_for("/pagefind/pagefind-entry.json", "the first index", count(3));
    assert!(server.get("/search/").has("id=\"search-input\""));

    site.write(
        "content/articles/second.md",
        "+++\ntitle = \"A second deal\"\ndate = 2024-01-03\n+++\nMore.\n",
    );
    server.wait_for("/articles/second/", "the new article", |r| r.has("More."));
    server.wait_for(
        "/pagefind/pagefind-entry.json",
        "the new page indexed",
        count(4),
    );

    // Search turned off: the index, the page and the link go.
    site.write(
        "site.toml",
        &format!("{}[search]\nenabled = false\n", SITE[0].1),
    );
    server.wait_for("/articles/deal/", "the link removed", |r| {
        r.status == 200 && !r.body.contains("search-link")
    });
    server.wait_for("/pagefind/pagefind-entry.json", "the index removed", |r| {
        r.status == 404
    });
    assert_eq!(server.get("/search/").status, 404);
    // And it stays away: no index built before is put back.
    thread::sleep(Duration::from_millis(500));
    assert_eq!(server.get("/pagefind/pagefind-entry.json").status, 404);
}

/// Every file of a folder with its bytes and modification time.
fn snapshot_with_times(
    dir: &Path,
) -> std::collections::BTreeMap<std::path::PathBuf, (Vec<u8>, std::time::SystemTime)> {
    support::snapshot(dir)
        .into_iter()
        .map(|(path, bytes)| {
            let time = std::fs::metadata(dir.join(&path))
                .unwrap()
                .modified()
                .unwrap();
            (path, (bytes, time))
        })
        .collect()
}

#[test]
fn a_preview_with_drafts_leaves_the_deploy_folder_as_built() {
    let site = Site::new(SITE);
    site.write(
        "content/articles/secret-plan.md",
        "+++\ntitle = \"An unpublished scoop\"\ndate = 2024-01-03\ndraft = true\n+++\nNot yet.\n",
    );
    site.build_ok();
    let public = site.root().join("public");
    let before = snapshot_with_times(&public);
    assert!(!before.is_empty());
    let server = Server::start(site.root(), &["--drafts"]);
    assert!(server
        .get("/articles/secret-plan/")
        .has("An unpublished scoop"));
    assert!(
        server.log().contains(".explainer-cache/serve"),
        "{}",
        server.log()
    );
    // An edit rebuilds the preview, never the deploy folder.
    site.write(
        "content/articles/deal.md",
        &DEAL.replace("announced the deal", "announced the previewed deal"),
    );
    server.wait_for("/articles/deal/", "the edit", |r| {
        r.has("announced the previewed deal")
    });
    drop(server);
    assert_eq!(
        before,
        snapshot_with_times(&public),
        "public/ byte-identical, times too"
    );
    assert!(!site.out("index.html").contains("unpublished scoop"));
}

/// A request (`raw`, sent on a new connection) and the reply's head;
/// the connection stays open.
fn send_keeping_open(server: &Server, raw: &str) -> (TcpStream, Reply) {
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    stream.write_all(raw.as_bytes()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
    }
    (stream, Reply::parse(&seen))
}

/// Reads until the server closes `stream` (or `limit` passes); returns the
/// bytes read and whether it was closed.
fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (usize, bool) {
    stream
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let started = Instant::now();
    let mut total = 0;
    let mut buf = vec![0u8; 1 << 16];
    while started.elapsed() < limit {
        match stream.read(&mut buf) {
            Ok(0) => return (total, true),
            Ok(n) => total += n,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return (total, true), // reset
        }
    }
    (total, false)
}

/// A page request on a new connection, timed.
fn timed_get(server: &Server, path: &str) -> (Reply, Duration) {
    let started = Instant::now();
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.host()
    )
    .unwrap();
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    (Reply::parse(&bytes), started.elapsed())
}

#[test]
fn open_reload_streams_never_starve_page_requests() {
    let site = Site::new(SITE);
    let server = Server::start(site.root(), &[]);
    // More streams than the server serves connections at once (128): each
    // a full, valid request for the live-reload channel, kept open.
    let streams: Vec<(TcpStream, Reply)> = (0..140)
        .map(|_| {
            send_keeping_open(
                &server,
                &format!(
                    "GET /__explainer/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
                    server.host()
                ),
            )
        })
        .collect();
    let open = streams.iter().filter(|(_, r)| r.status == 200).count();
    let refused: Vec<&Reply> = streams
        .iter()
        .map(|(_, r)| r)
        .filter(|r| r.status == 503)
        .collect();
    println!(
        "140 reload streams asked for: {open} open, {} refused",
        refused.len()
    );
    assert_eq!(open, 32, "at most 32 streams are open at once");
    assert_eq!(refused.len(), 140 - 32, "the rest get 503");
    assert_eq!(refused[0].header("Retry-After"), Some("10"));

    // Pages are served at once while every stream stays open.
    let (reply, elapsed) = timed_get(&server, "/articles/deal/");
    println!("a page request beside 32 open streams took {elapsed:?}");
    assert!(
        reply.has("A deal is struck"),
        "{}\n{}",
        reply.head,
        server.log()
    );
    assert!(elapsed < Duration::from_secs(3), "took {elapsed:?}");

    // A stream that closes frees its place for the next tab.
    drop(streams);
    let started = Instant::now();
    loop {
        let (status, mut events) = Events::open(&server, None);
        if status == 200 {
            events.read_until("event: hello");
            break;
        }
        assert!(
            started.elapsed() < PATIENCE,
            "closed streams never freed their places"
        );
        thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn unread_downloads_are_cut_off() {
    // 20 MB, as large as a video a site might carry.
    const SIZE: usize = 20 << 20;
    let site = Site::new(SITE);
    site.write_bytes("static/big.bin", &vec![7u8; SIZE]);
    let server = Server::start(site.root(), &[]);
    let request = format!("GET /big.bin HTTP/1.1\r\nHost: {}\r\n\r\n", server.host());
    let attack = Instant::now();
    // More downloads than the server serves connections at once (128),
    // none ever read. A small receive buffer, set before connecting, keeps
    // the kernel from taking in the whole file on the client's behalf.
    let mut downloads: Vec<TcpStream> = (0..140)
        .map(|_| {
            let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None)
                .expect("socket");
            socket.set_recv_buffer_size(4096).unwrap();
            let to = std::net::SocketAddr::from(([127, 0, 0, 1], server.port));
            socket.connect(&to.into()).expect("connect");
            let mut s = TcpStream::from(socket);
            s.write_all(request.as_bytes()).unwrap();
            s
        })
        .collect();
    thread::sleep(Duration::from_millis(500));
    // The write timeout is 10 s: the stalled downloads held every place
    // for about that long, then the page was served.
    let (reply, elapsed) = timed_get(&server, "/articles/deal/");
    println!("a page request behind 140 unread 20 MB downloads took {elapsed:?}");
    assert!(
        reply.has("A deal is struck"),
        "{}\n{}",
        reply.head,
        server.log()
    );
    assert!(elapsed < Duration::from_secs(30), "took {elapsed:?}");
    // The first download was cut off 10 s after its writes stalled:
    // reading it then gets what the socket buffers held, then the end,
    // never the whole file.
    thread::sleep(Duration::from_secs(14).saturating_sub(attack.elapsed()));
    let (read, closed) = read_until_closed(&mut downloads[0], Duration::from_secs(20));
    println!("an unread download got {read} of {SIZE} bytes before it was cut off");
    assert!(closed, "a stalled download is closed by the server");
    assert!(read < SIZE, "the stalled download was not sent whole");
    // A client that reads gets the whole file.
    let (reply, elapsed) = timed_get(&server, "/big.bin");
    println!("a 20 MB download that was read took {elapsed:?}");
    assert_eq!(reply.status, 200, "{}", reply.head);
    assert_eq!(reply.header("Content-Length"), Some(&*SIZE.to_string()));
    drop(downloads);
}

#[test]
fn a_kept_alive_connection_left_idle_is_closed() {
    let site = Site::new(SITE);
    let server = Server::start(site.root(), &[]);
    let (mut stream, reply) = send_keeping_open(
        &server,
        &format!(
            "GET /__explainer/reload.js HTTP/1.1\r\nHost: {}\r\n\r\n",
            server.host()
        ),
    );
    assert_eq!(reply.status, 200);
    let started = Instant::now();
    let (_, closed) = read_until_closed(&mut stream, Duration::from_secs(20));
    let elapsed = started.elapsed();
    println!("an idle kept-alive connection was closed after {elapsed:?}");
    assert!(closed, "an idle kept-alive connection is closed");
    assert!(elapsed < Duration::from_secs(12), "took {elapsed:?}");
}

#[test]
fn more_than_one_host_header_is_refused() {
    let site = Site::new(SITE);
    let server = Server::start(site.root(), &[]);
    let local = server.host();
    for hosts in [
        format!("Host: {local}\r\nHost: evil.example"),
        format!("Host: evil.example\r\nHost: {local}"),
        format!("Host: {local}\r\nHost: {local}"),
    ] {
        let reply = server.send(&format!(
            "GET /articles/deal/ HTTP/1.1\r\n{hosts}\r\nConnection: close\r\n\r\n"
        ));
        assert_eq!(reply.status, 400, "{hosts:?}: {}", reply.head);
        assert!(!reply.body.contains("A deal is struck"));
    }
    assert!(server.get("/articles/deal/").has("A deal is struck"));
}

#[test]
fn the_preview_holds_back_future_articles_unless_asked() {
    let site = Site::new(SITE);
    site.write(
        "content/articles/embargo.md",
        "+++\ntitle = \"An embargoed story\"\ndate = 2999-03-04\n+++\nNot yet.\n",
    );
    let server = Server::start(site.root(), &[]);
    assert_eq!(server.get("/articles/embargo/").status, 404);
    server.wait_for("/", "the log", |_| server.log().contains("held back"));
    assert!(
        server
            .log()
            .contains("1 article dated in the future held back; the next is due 2999-03-04"),
        "{}",
        server.log()
    );
    drop(server);
    let server = Server::start(site.root(), &["--future"]);
    let page = server.get("/articles/embargo/");
    assert!(page.has("<p class=\"status-badge\">Scheduled</p>"));
}
