//! Live reload: a Server-Sent Events stream at `/__explainer/events` that
//! tells open tabs which output files a rebuild changed and whether the
//! error overlay is up, and `/__explainer/reload.js`, the script the
//! preview puts into every HTML page it serves. The stream refuses a
//! request with a foreign `Origin` (another website's page must not
//! listen in; compare Vite's CVE-2025-24010); `Host` is checked for every
//! route in `http`. At most [`MAX_EVENT_STREAMS`] streams are open at once;
//! a stream gives back its connection's place among the server's
//! connections, so streams never keep a page from being served.

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::{broadcast, watch, OwnedSemaphorePermit};

use super::http::{forbidden, request_host};
use super::state::{Event, Shared, MAX_EVENT_STREAMS};
use super::ConnectionSlot;

/// How long a tab refused a stream waits before it asks again, in seconds.
const RETRY_AFTER: &str = "10";

/// The page script; see the file for what it does.
const SCRIPT: &str = include_str!("reload.js");

pub async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        SCRIPT,
    )
        .into_response()
}

/// The event stream: first `hello` (the current generation) and the
/// current overlay, then every change until the server stops. When
/// [`MAX_EVENT_STREAMS`] are open already: 503 with `Retry-After`.
pub async fn events(
    State(shared): State<Arc<Shared>>,
    axum::Extension(slot): axum::Extension<ConnectionSlot>,
    headers: HeaderMap,
) -> Response {
    let origin = headers
        .get(header::ORIGIN)
        .map(|o| o.to_str().unwrap_or(""));
    if !origin_allowed(origin, request_host(&headers)) {
        return forbidden("the live-reload channel only talks to pages of this server");
    }
    let Ok(permit) = shared.streams.clone().try_acquire_owned() else {
        return busy();
    };
    // The stream holds its own permit from here on, for as long as it is
    // open; its connection's place goes to the next connection.
    slot.release();
    let status = shared.status();
    let first = [
        hello(&status.generation),
        overlay(&status.generation, status.overlay.as_deref()),
    ];
    let rest = changes(
        shared.subscribe(),
        shared.shutdown(),
        shared.clone(),
        permit,
    );
    Sse::new(stream::iter(first.map(Ok)).chain(rest))
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// An `Origin` that may open the stream: none (not a cross-origin
/// browser request), or exactly this server as the browser reached it.
pub fn origin_allowed(origin: Option<&str>, host: Option<&str>) -> bool {
    match (origin, host) {
        (None, _) => true,
        (Some(origin), Some(host)) => origin.eq_ignore_ascii_case(&format!("http://{host}")),
        (Some(_), None) => false,
    }
}

/// A 503 for a stream over the limit; the page script asks again after
/// `Retry-After`.
fn busy() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (header::RETRY_AFTER, RETRY_AFTER),
        ],
        format!(
            "503 Service Unavailable: {MAX_EVENT_STREAMS} live-reload channels are open already\n"
        ),
    )
        .into_response()
}

/// The rebuild events, until shutdown; a tab that fell behind is sent a
/// `hello`, whose generation tells it to reload. `permit` is the stream's
/// place among [`MAX_EVENT_STREAMS`], freed when the stream is dropped.
fn changes(
    events: broadcast::Receiver<Event>,
    shutdown: watch::Receiver<bool>,
    shared: Arc<Shared>,
    permit: OwnedSemaphorePermit,
) -> impl Stream<Item = Result<SseEvent, Infallible>> {
    stream::unfold(
        (events, shutdown, shared, permit),
        |(mut events, mut shutdown, shared, permit)| async move {
            let event = tokio::select! {
                received = events.recv() => match received {
                    Ok(event) => to_sse(&event),
                    Err(RecvError::Lagged(_)) => hello(&shared.status().generation),
                    Err(RecvError::Closed) => return None,
                },
                _ = shutdown.wait_for(|stop| *stop) => return None,
            };
            Some((Ok(event), (events, shutdown, shared, permit)))
        },
    )
}

fn to_sse(event: &Event) -> SseEvent {
    match event {
        Event::Reload {
            generation,
            changed,
        } => SseEvent::default().event("reload").data(
            serde_json::json!({ "generation": generation, "changed": &changed[..] }).to_string(),
        ),
        Event::Overlay { generation, html } => overlay(generation, html.as_deref()),
    }
}

fn hello(generation: &str) -> SseEvent {
    SseEvent::default()
        .event("hello")
        .data(serde_json::json!({ "generation": generation }).to_string())
}

fn overlay(generation: &str, html: Option<&str>) -> SseEvent {
    SseEvent::default()
        .event("overlay")
        .data(serde_json::json!({ "generation": generation, "html": html }).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        let host = Some("127.0.0.1:1111");
        assert!(origin_allowed(None, host));
        assert!(origin_allowed(Some("http://127.0.0.1:1111"), host));
        assert!(origin_allowed(
            Some("http://localhost:1111"),
            Some("localhost:1111")
        ));
        assert!(!origin_allowed(Some("https://evil.example"), host));
        assert!(!origin_allowed(Some("http://127.0.0.1:1112"), host));
        assert!(!origin_allowed(Some("null"), host));
        assert!(!origin_allowed(Some(""), host));
        assert!(!origin_allowed(Some("http://127.0.0.1:1111"), None));
    }
}
