//! The preview's HTTP side: the routes, the `Host` check every request
//! passes (against DNS rebinding; the host of an absolute-form URI too),
//! and serving files from the output folder. A request path is
//! percent-decoded exactly once and refused if any segment is `.`, `..`,
//! or holds a backslash or a NUL; what is left is a literal name (`%2e%2e`
//! after decoding names a file called that, never `..`, so `100%.txt` is
//! served); the file found is canonicalized and served only if
//! it is still inside the canonical output folder, so no symlink leads
//! out. HTML responses get the live-reload script, and the error overlay
//! while the last rebuild failed; the files on disk never do.

use std::io::Read;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::overlay::escape;
use super::reload;
use super::state::{Shared, Status};

/// Where the preview's own files live; no site file can be there, since
/// `__explainer` is no slug.
pub const PREFIX: &str = "/__explainer/";

/// Every route of the preview, behind the `Host` check.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/__explainer/events", get(reload::events))
        .route("/__explainer/reload.js", get(reload::script))
        .fallback(site_file)
        .layer(middleware::from_fn_with_state(shared.clone(), check_host))
        .with_state(shared)
}

/// Refuses a request whose `Host` is not this server's: a web page on
/// another site that points its own host name at 127.0.0.1 (DNS
/// rebinding) must not read the preview.
/// A request in absolute form (`GET http://host/ HTTP/1.1`) names its
/// host in the URI, which takes the place of `Host` (RFC 9112, 3.2.2), so
/// that host is checked the same way. A request with more than one `Host`
/// header is answered 400, as RFC 9112, 3.2 requires: which of them a
/// proxy or the browser acted on cannot be told.
async fn check_host(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    if request
        .headers()
        .get_all(header::HOST)
        .iter()
        .nth(1)
        .is_some()
    {
        return (
            StatusCode::BAD_REQUEST,
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            "400 Bad Request: more than one Host header\n",
        )
            .into_response();
    }
    let uri_host_ok = request
        .uri()
        .authority()
        .is_none_or(|a| host_allowed(a.as_str(), shared.bound));
    match request_host(request.headers()) {
        Some(host) if uri_host_ok && host_allowed(host, shared.bound) => next.run(request).await,
        _ => forbidden("this preview server only answers to localhost"),
    }
}

pub fn request_host(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::HOST)?.to_str().ok()
}

/// A plain-text 403.
pub fn forbidden(message: &str) -> Response {
    (
        StatusCode::FORBIDDEN,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        format!("403 Forbidden: {message}\n"),
    )
        .into_response()
}

/// A `Host` header (`name[:port]`) this server may be reached by: a
/// loopback name (`localhost`, `*.localhost`), a loopback address, or the
/// address it is bound to; when bound to every interface (`0.0.0.0`), any
/// IP address. The port is not checked, so port forwarding works; a
/// rebinding attack needs a host name, never an address.
pub fn host_allowed(host: &str, bound: SocketAddr) -> bool {
    let Some(name) = host_name(host) else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    if lower == "localhost" || lower.ends_with(".localhost") {
        return true;
    }
    let Ok(ip) = name.parse::<IpAddr>() else {
        return false;
    };
    ip.is_loopback() || ip == bound.ip() || bound.ip().is_unspecified()
}

/// The name part of a `Host` header (`name`, `name:1111`, `[::1]:1111`),
/// without the port or the brackets of an IPv6 address.
fn host_name(host: &str) -> Option<&str> {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => {
            let (name, after) = rest.split_once(']')?;
            if !name.contains(':') {
                return None; // only IPv6 addresses go in brackets
            }
            (name, after)
        }
        None => host.split_at(host.find(':').unwrap_or(host.len())),
    };
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    (port_ok && !name.is_empty()).then_some(name)
}

/// What a request path names inside the output folder.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A file inside the output (canonical path).
    File(PathBuf),
    /// A folder asked for without its trailing slash: redirect here.
    Redirect(String),
    /// Nothing there, or a path that is refused.
    NotFound,
}

/// Maps a raw (still percent-encoded) request path to a file inside
/// `root`, which must be canonical.
pub fn resolve(root: &Path, raw_path: &str) -> Resolved {
    let Some(segments) = segments(raw_path) else {
        return Resolved::NotFound;
    };
    let joined = segments.iter().fold(root.to_path_buf(), |p, s| p.join(s));
    let Some(found) = inside(root, &joined) else {
        return Resolved::NotFound;
    };
    if found.is_file() {
        return Resolved::File(found);
    }
    if !raw_path.ends_with('/') {
        // Built from the raw segments, so never `//host`.
        let raw: Vec<&str> = raw_path.split('/').filter(|s| !s.is_empty()).collect();
        return Resolved::Redirect(format!("/{}/", raw.join("/")));
    }
    match inside(root, &found.join("index.html")) {
        Some(index) if index.is_file() => Resolved::File(index),
        _ => Resolved::NotFound,
    }
}

/// The decoded segments of a request path, or `None` if any is refused.
fn segments(raw_path: &str) -> Option<Vec<String>> {
    if !raw_path.starts_with('/') {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(raw_path)
        .decode_utf8()
        .ok()?;
    let mut out = Vec::new();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        let refused = segment == "."
            || segment == ".."
            || segment.contains(['\\', '\0'])
            || (cfg!(windows) && segment.contains(':'));
        if refused {
            return None;
        }
        out.push(segment.to_string());
    }
    Some(out)
}

/// `path` canonicalized, if it exists and is inside `root`.
fn inside(root: &Path, path: &Path) -> Option<PathBuf> {
    let canonical = path.canonicalize().ok()?;
    canonical.starts_with(root).then_some(canonical)
}

/// Serves a file of the site, or its `404.html`.
async fn site_file(
    State(shared): State<Arc<Shared>>,
    method: Method,
    request: Request,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "405 Method Not Allowed\n",
        )
            .into_response();
    }
    let path = request.uri().path().to_string();
    let query = request.uri().query().map(str::to_string);
    tokio::task::spawn_blocking(move || respond(&shared, &path, query.as_deref()))
        .await
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// The response for a GET of `path` (blocking: reads the file).
fn respond(shared: &Shared, path: &str, query: Option<&str>) -> Response {
    let status = shared.status();
    let Ok(root) = shared.output.canonicalize() else {
        return not_found(None, &status, path);
    };
    let mut resolved = resolve(&root, path);
    if resolved == Resolved::NotFound && status.base_path != "/" {
        // 404.html links start at the path of base_url (`/repo/`).
        if let Some(rest) = path.strip_prefix(status.base_path.trim_end_matches('/')) {
            resolved = resolve(&root, rest);
        }
    }
    match resolved {
        Resolved::File(file) if !content_type(&file).starts_with("text/html") => {
            match std::fs::File::open(&file) {
                Ok(opened) => streamed(&file, opened),
                Err(_) => not_found(Some(&root), &status, path),
            }
        }
        Resolved::File(file) => match std::fs::read(&file) {
            Ok(bytes) => file_response(StatusCode::OK, &root, &file, bytes, &status),
            Err(_) => not_found(Some(&root), &status, path),
        },
        Resolved::Redirect(to) => {
            let location = match query {
                Some(q) => format!("{to}?{q}"),
                None => to,
            };
            (
                StatusCode::MOVED_PERMANENTLY,
                [
                    (header::LOCATION, location),
                    (header::CACHE_CONTROL, "no-store".into()),
                ],
            )
                .into_response()
        }
        Resolved::NotFound => not_found(Some(&root), &status, path),
    }
}

/// The site's `404.html` with status 404, or a plain page if it has none.
fn not_found(root: Option<&Path>, status: &Status, path: &str) -> Response {
    if let Some(root) = root {
        if let Resolved::File(file) = resolve(root, "/404.html") {
            if let Ok(bytes) = std::fs::read(&file) {
                return file_response(StatusCode::NOT_FOUND, root, &file, bytes, status);
            }
        }
    }
    let page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head>\n<body><h1>Not found</h1><p>Nothing is built at {}.</p></body></html>\n",
        escape(path)
    );
    let bytes = inject(page.into_bytes(), &snippet(status, "404.html"));
    with_headers(StatusCode::NOT_FOUND, "text/html; charset=utf-8", bytes)
}

/// How much of a file is read at a time when it is sent as it is.
const CHUNK: usize = 64 * 1024;

/// A file sent as it is (every one but HTML), read a [`CHUNK`] at a time
/// as the client takes it rather than whole into memory: a client that
/// asks for a large file many times over and never reads costs the server
/// little (and is cut off by the write timeout). `Content-Length` is the
/// size when it was opened; a file a rebuild shortens meanwhile ends the
/// connection early rather than sending wrong bytes.
fn streamed(path: &Path, file: std::fs::File) -> Response {
    let Ok(length) = file.metadata().map(|m| m.len()) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let chunks = futures_util::stream::try_unfold(file.take(length), |mut file| async move {
        tokio::task::spawn_blocking(move || {
            let mut buffer = vec![0; CHUNK];
            let read = file.read(&mut buffer)?;
            buffer.truncate(read);
            Ok::<_, std::io::Error>((read > 0).then(|| (Bytes::from(buffer), file)))
        })
        .await
        .map_err(std::io::Error::other)?
    });
    let mut response = with_headers(StatusCode::OK, &content_type(path), Vec::new());
    *response.body_mut() = Body::from_stream(chunks);
    response
        .headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    response
}

fn file_response(
    code: StatusCode,
    root: &Path,
    file: &Path,
    bytes: Vec<u8>,
    status: &Status,
) -> Response {
    let content_type = content_type(file);
    let bytes = if content_type.starts_with("text/html") {
        let served = file
            .strip_prefix(root)
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/");
        inject(bytes, &snippet(status, &served))
    } else {
        bytes
    };
    with_headers(code, &content_type, bytes)
}

fn with_headers(code: StatusCode, content_type: &str, bytes: Vec<u8>) -> Response {
    let mut response = (code, bytes).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// The Content-Type of a file, by its extension; text types say UTF-8.
pub fn content_type(path: &Path) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let essence = mime.essence_str();
    let textual = mime.type_() == mime_guess::mime::TEXT
        || mime.suffix() == Some(mime_guess::mime::XML)
        || mime.suffix() == Some(mime_guess::mime::JSON)
        || matches!(
            essence,
            "application/javascript" | "application/json" | "application/xml"
        );
    if textual {
        format!("{essence}; charset=utf-8")
    } else {
        essence.to_string()
    }
}

/// What goes into an HTML page served by the preview: the overlay while
/// the last rebuild failed, and the live-reload script, which knows the
/// generation and the file served.
fn snippet(status: &Status, served: &str) -> String {
    let overlay = status.overlay.as_deref().unwrap_or("");
    format!(
        "{overlay}<script src=\"{PREFIX}reload.js\" data-generation=\"{}\" data-file=\"{}\"></script>\n",
        escape(&status.generation),
        escape(served)
    )
}

/// Puts `snippet` before the last `</body>` of a page (or at its end).
pub fn inject(mut html: Vec<u8>, snippet: &str) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    html.splice(at..at, snippet.bytes());
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(out.join("articles/a")).unwrap();
        std::fs::write(out.join("index.html"), "home").unwrap();
        std::fs::write(out.join("articles/a/index.html"), "a").unwrap();
        std::fs::write(out.join("a b.txt"), "space").unwrap();
        std::fs::write(out.join("100%.txt"), "percent").unwrap();
        std::fs::create_dir_all(dir.path().join("public-leak")).unwrap();
        std::fs::write(dir.path().join("public-leak/secret.txt"), "x").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "x").unwrap();
        let out = out.canonicalize().unwrap();
        (dir, out)
    }

    #[test]
    fn resolves_files_folders_and_redirects() {
        let (_dir, out) = site();
        assert_eq!(resolve(&out, "/"), Resolved::File(out.join("index.html")));
        assert_eq!(
            resolve(&out, "/articles/a/"),
            Resolved::File(out.join("articles/a/index.html"))
        );
        assert_eq!(
            resolve(&out, "/articles/a"),
            Resolved::Redirect("/articles/a/".into())
        );
        assert_eq!(
            resolve(&out, "//articles//a"),
            Resolved::Redirect("/articles/a/".into()),
            "never a protocol-relative //host"
        );
        assert_eq!(
            resolve(&out, "/a%20b.txt"),
            Resolved::File(out.join("a b.txt"))
        );
        // A `%` in a file's own name, encoded or sent bare.
        let percent = Resolved::File(out.join("100%.txt"));
        assert_eq!(resolve(&out, "/100%25.txt"), percent);
        assert_eq!(resolve(&out, "/100%.txt"), percent);
        assert_eq!(
            resolve(&out, "/100%2525.txt"),
            Resolved::NotFound,
            "decoded once"
        );
        assert_eq!(resolve(&out, "/articles/"), Resolved::NotFound, "no index");
        assert_eq!(resolve(&out, "/nope"), Resolved::NotFound);
    }

    #[test]
    fn refuses_every_traversal_form() {
        let (_dir, out) = site();
        for path in [
            "/../secret.txt",
            "/articles/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E/secret.txt",
            "/%252e%252e/secret.txt",
            "/..%2fsecret.txt",
            "/..%2Fsecret.txt",
            "/..\\secret.txt",
            "/%5c..%5csecret.txt",
            "/..%5csecret.txt",
            "/../public-leak/secret.txt",
            "/%2e%2e%2fpublic-leak%2fsecret.txt",
            "/./index.html",
            "/index.html%00",
            "/%ff",
            "relative",
        ] {
            assert_eq!(resolve(&out, path), Resolved::NotFound, "{path}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn refuses_symlinks_that_lead_out() {
        let (dir, out) = site();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), out.join("leak.txt")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("public-leak"), out.join("dir")).unwrap();
        std::os::unix::fs::symlink(out.join("index.html"), out.join("home.html")).unwrap();
        assert_eq!(resolve(&out, "/leak.txt"), Resolved::NotFound);
        assert_eq!(resolve(&out, "/dir/secret.txt"), Resolved::NotFound);
        assert_eq!(
            resolve(&out, "/home.html"),
            Resolved::File(out.join("index.html")),
            "a link inside the output is fine"
        );
    }

    #[test]
    fn hosts() {
        let local: SocketAddr = "127.0.0.1:1111".parse().unwrap();
        for host in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST",
            "app.localhost:8080",
            "[::1]:1111",
            "127.0.0.2:1111",
        ] {
            assert!(host_allowed(host, local), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "192.168.1.5:1111",
            "",
            "[::1",
            "127.0.0.1:x",
            "127.0.0.1:1111:1",
            "[127.0.0.1]:1111",
        ] {
            assert!(!host_allowed(host, local), "{host}");
        }
        let lan: SocketAddr = "0.0.0.0:1111".parse().unwrap();
        assert!(host_allowed("192.168.1.5:1111", lan));
        assert!(!host_allowed("evil.example:1111", lan));
    }

    #[test]
    fn content_types() {
        let t = |p: &str| content_type(Path::new(p));
        assert_eq!(t("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(t("style.css"), "text/css; charset=utf-8");
        assert!(t("cards.js").ends_with("javascript; charset=utf-8"));
        assert_eq!(t("feed.xml"), "text/xml; charset=utf-8");
        assert_eq!(t("logo.svg"), "image/svg+xml; charset=utf-8");
        assert_eq!(t("a.png"), "image/png");
        assert_eq!(t("noext"), "application/octet-stream");
    }

    #[test]
    fn injects_before_the_last_body_end() {
        let html = b"<body><p>&lt;/body&gt;</p></BODY>\n</html>".to_vec();
        let out = String::from_utf8(inject(html, "<x>")).unwrap();
        assert_eq!(out, "<body><p>&lt;/body&gt;</p><x></BODY>\n</html>");
        let out = String::from_utf8(inject(b"<p>".to_vec(), "<x>")).unwrap();
        assert_eq!(out, "<p><x>");
    }
}
