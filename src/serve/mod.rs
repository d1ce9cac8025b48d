//! `explainer serve`, the live preview: builds the site into its own
//! folder in the build cache (`.explainer-cache/serve/`, never the deploy
//! folder), serves it over HTTP on loopback, watches the sources
//! and rebuilds on every edit, and tells open tabs to reload (or to show
//! the errors of a broken edit over the last good page).
//!
//! - `watch` — notify on `content/`, `templates/`, `static/` and
//!   `site.toml`, debounced into batches of changed paths;
//! - `builder` — the thread that owns the build session and turns each
//!   batch into a rebuild, printing for the terminal;
//! - `state` — what that thread publishes and the requests read;
//! - `http` — routes, the `Host` check, safe file serving;
//! - `reload` — the Server-Sent Events channel and its `Origin` check;
//! - `overlay` — the error overlay's HTML.
//!
//! Threads: the rebuild loop runs on its own thread (a build is CPU work
//! and uses rayon); HTTP runs on a single-threaded tokio runtime, with
//! file reads on its blocking pool.

mod builder;
mod http;
mod overlay;
mod reload;
mod state;
mod watch;

use std::io::ErrorKind;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::cli::Verbosity;
use crate::session::Session;
use crate::{display_path, write, BuildOptions};
use builder::Builder;
use state::Shared;
use watch::{Message, Watcher};

/// What to serve and where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub bind: IpAddr,
    pub port: u16,
    /// Open the site in the default browser once it is built.
    pub open: bool,
    pub verbosity: Verbosity,
}

/// Why the server could not run. Bad content is never one: the server
/// shows it and goes on.
#[derive(Debug)]
pub enum ServeError {
    /// A wrong flag or folder, a busy port.
    Usage(String),
    /// The server failed while running.
    Failed(String),
}

/// How long open connections get to finish after Ctrl-C.
const GRACE: Duration = Duration::from_secs(3);

/// Builds, serves and rebuilds until Ctrl-C.
pub fn serve(options: ServeOptions) -> Result<(), ServeError> {
    let root = &options.build.root;
    if !root.is_dir() {
        return Err(ServeError::Usage(format!(
            "site folder {} does not exist",
            root.display()
        )));
    }
    let session = Session::new(options.build.clone()).map_err(ServeError::Usage)?;
    // Bind before building, so a busy port is said at once.
    let listener = bind(options.bind, options.port)?;
    let bound = listener
        .local_addr()
        .map_err(|e| ServeError::Failed(format!("cannot listen: {e}")))?;
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let output = write::absolutize(session.output());
    let shared = Arc::new(Shared::new(output, bound, stopping));
    let (tx, rx) = std::sync::mpsc::channel();
    let watcher = Watcher::start(session.root(), tx.clone())
        .map_err(|e| eprintln!("warning: {e}; pages will not update by themselves"))
        .ok();
    let mut builder = Builder {
        session: Arc::new(std::sync::Mutex::new(session)),
        watcher,
        shared: shared.clone(),
        shown_root: root.clone(),
        verbosity: options.verbosity,
    };
    builder.first_build();
    let url = url_of(bound);
    if options.verbosity != Verbosity::Quiet {
        print_banner(&options, &shared, &url);
    }
    let rebuilds = std::thread::spawn(move || builder.run(rx));
    let result = run_server(listener, shared, stop, options.open.then_some(url));
    // The rebuild in progress, if any, finishes: the output is never left
    // half-written.
    let _ = tx.send(Message::Stop);
    let _ = rebuilds.join();
    result
}

/// Listens on `ip:port`, or says why not and what to try instead.
fn bind(ip: IpAddr, port: u16) -> Result<TcpListener, ServeError> {
    TcpListener::bind((ip, port)).map_err(|e| {
        ServeError::Usage(match e.kind() {
            ErrorKind::AddrInUse => format!(
                "port {port} on {ip} is already in use (is another explainer serve running?)\n  = help: {}",
                free_port_hint(ip, port)
            ),
            ErrorKind::AddrNotAvailable => format!(
                "cannot listen on {ip}: no network interface of this computer has that address"
            ),
            ErrorKind::PermissionDenied => format!(
                "no permission to listen on port {port} of {ip}\n  = help: ports below 1024 need privileges; try --port 1111"
            ),
            _ => format!("cannot listen on {}: {e}", SocketAddr::new(ip, port)),
        })
    })
}

/// Suggests the next port that is free, or `--port 0`.
fn free_port_hint(ip: IpAddr, port: u16) -> String {
    (port.saturating_add(1)..=port.saturating_add(20))
        .find(|&p| p != port && TcpListener::bind((ip, p)).is_ok())
        .map(|p| format!("try --port {p}"))
        .unwrap_or_else(|| "try --port 0, which picks a free port".into())
}

/// The address to open in a browser.
fn url_of(bound: SocketAddr) -> String {
    let ip = match bound.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, bound.port()))
}

fn print_banner(options: &ServeOptions, shared: &Shared, url: &str) {
    eprintln!(
        "serving {} at {url} (Ctrl-C to stop)",
        display_path(&shared.output)
    );
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: other computers on the network can open the preview",
            options.bind
        );
    }
    eprintln!("watching content/, templates/, static/ and site.toml for changes");
}

/// How long a client has to send a request's headers, counted from when
/// the connection is accepted or ready for its next request: a client that
/// connects and sends nothing, or sends its headers a byte at a time
/// (slowloris), is cut off after this, and so is a kept-alive connection
/// left idle between requests (hyper restarts this timer for every
/// request head it waits for).
const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a write to a client may make no progress before the
/// connection is dropped: a client that asks for a large file and never
/// reads it would otherwise hold its connection for good.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections served at once. Further ones wait in the listen queue until
/// one closes; with [`HEADER_TIMEOUT`] and [`WRITE_TIMEOUT`] that is never
/// long. A live-reload stream gives its connection's place back and holds
/// one of [`state::MAX_EVENT_STREAMS`] instead, so open tabs (or clients
/// posing as them) never take the places of page requests.
const MAX_CONNECTIONS: usize = 128;

/// A connection's place among the [`MAX_CONNECTIONS`], handed to every
/// request of the connection so that a live-reload stream can give it back.
#[derive(Clone)]
pub struct ConnectionSlot(Arc<std::sync::Mutex<Option<OwnedSemaphorePermit>>>);

impl ConnectionSlot {
    fn new(permit: OwnedSemaphorePermit) -> ConnectionSlot {
        ConnectionSlot(Arc::new(std::sync::Mutex::new(Some(permit))))
    }

    /// Frees the place for another connection.
    pub fn release(&self) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take();
    }
}

/// Runs the HTTP server until Ctrl-C (or SIGTERM), then stops it.
fn run_server(
    listener: TcpListener,
    shared: Arc<Shared>,
    stop: tokio::sync::watch::Sender<bool>,
    open: Option<String>,
) -> Result<(), ServeError> {
    let failed = |e: std::io::Error| ServeError::Failed(format!("the server failed: {e}"));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(failed)?;
    runtime.block_on(async move {
        listener.set_nonblocking(true).map_err(failed)?;
        let listener = tokio::net::TcpListener::from_std(listener).map_err(failed)?;
        let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
        let mut server = tokio::spawn(accept(
            listener,
            http::router(shared),
            slots.clone(),
            stop.subscribe(),
        ));
        if let Some(url) = open {
            open_browser(url);
        }
        tokio::select! {
            result = &mut server => return finished(result).map_err(failed),
            () = stop_signal() => {}
        }
        eprintln!("stopping");
        let _ = stop.send(true);
        // A second Ctrl-C does not wait for the grace period.
        tokio::spawn(async {
            stop_signal().await;
            std::process::exit(130);
        });
        // Open connections finish their response (reload channels end on
        // `stop`); each holds a slot until it closes (a reload channel gave
        // its slot back, and ends at once).
        let all = MAX_CONNECTIONS as u32;
        let _ = tokio::time::timeout(GRACE, slots.acquire_many(all)).await;
        Ok(())
    })
}

/// Accepts connections while a slot is free and serves each on its own
/// task with hyper's HTTP/1 (header read and write timeouts on) until
/// `stopping`.
async fn accept(
    listener: tokio::net::TcpListener,
    router: axum::Router,
    slots: Arc<Semaphore>,
    mut stopping: tokio::sync::watch::Receiver<bool>,
) -> std::io::Result<()> {
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.map_err(std::io::Error::other)?,
            () = stopped(&mut stopping) => return Ok(()),
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // A connection that failed before it was accepted is
                    // not the server's problem; running out of file
                    // descriptors passes once others close.
                    if !is_connection_error(&e) {
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                    continue;
                }
            },
            () = stopped(&mut stopping) => return Ok(()),
        };
        let slot = ConnectionSlot::new(slot);
        let service = hyper_util::service::TowerToHyperService::new(
            router.clone().layer(axum::Extension(slot.clone())),
        );
        let mut stream = tokio_io_timeout::TimeoutStream::new(stream);
        stream.set_write_timeout(Some(WRITE_TIMEOUT));
        let stream = Box::pin(stream);
        let mut stopping = stopping.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT);
            let connection =
                builder.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            tokio::pin!(connection);
            let mut closing = false;
            loop {
                tokio::select! {
                    _ = connection.as_mut() => break,
                    () = stopped(&mut stopping), if !closing => {
                        connection.as_mut().graceful_shutdown();
                        closing = true;
                    }
                }
            }
        });
    }
}

/// Resolves once the server is stopping.
async fn stopped(stopping: &mut tokio::sync::watch::Receiver<bool>) {
    let _ = stopping.wait_for(|s| *s).await;
}

fn is_connection_error(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset
    )
}

fn finished(result: Result<std::io::Result<()>, tokio::task::JoinError>) -> std::io::Result<()> {
    result.map_err(std::io::Error::other)?
}

fn open_browser(url: String) {
    std::thread::spawn(move || {
        if let Err(e) = open::that_detached(&url) {
            eprintln!("warning: cannot open a browser ({e}); open {url} yourself");
        }
    });
}

/// Resolves on Ctrl-C, or SIGTERM on Unix; never if no handler can be
/// installed (the default handling then stops the process).
async fn stop_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let terminate = async {
            match signal(SignalKind::terminate()) {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            () = ctrl_c => {}
            () = terminate => {}
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_port_is_named_with_a_free_one() {
        let taken = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        let Err(ServeError::Usage(message)) = bind(IpAddr::V4(Ipv4Addr::LOCALHOST), port) else {
            panic!("bound a busy port")
        };
        assert!(
            message.starts_with(&format!("port {port} on 127.0.0.1 is already in use")),
            "{message}"
        );
        assert!(message.contains("help: try --port "), "{message}");
    }

    #[test]
    fn urls_to_open() {
        assert_eq!(
            url_of("0.0.0.0:1111".parse().unwrap()),
            "http://127.0.0.1:1111/"
        );
        assert_eq!(url_of("[::1]:8080".parse().unwrap()), "http://[::1]:8080/");
    }
}
