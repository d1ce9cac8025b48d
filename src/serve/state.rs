//! What the rebuild loop and the HTTP side of the preview share: the
//! output folder, the state of the last rebuild (its generation, the error
//! overlay when it failed) and the channel that tells open tabs about it.
//! The builder thread writes it; request handlers only read it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use tokio::sync::{broadcast, watch, Semaphore};

/// Live-reload streams open at once (one per open tab); a further one is
/// answered 503 and its tab tries again later.
pub const MAX_EVENT_STREAMS: usize = 32;

/// What open tabs are told, over the live-reload channel.
#[derive(Debug, Clone)]
pub enum Event {
    /// These output files (`/`-separated, relative to the output) were
    /// written or removed.
    Reload {
        generation: String,
        changed: Arc<[String]>,
    },
    /// The error overlay to show (its HTML), or `None` to remove it.
    Overlay {
        generation: String,
        html: Option<Arc<str>>,
    },
}

/// The state of the last rebuild, as pages are served.
#[derive(Debug, Clone)]
pub struct Status {
    /// Changes whenever the site or its error state changes; a page
    /// carries the generation it was served at, so a tab that missed an
    /// event (it connected late, the server restarted) knows to reload.
    pub generation: String,
    /// The overlay HTML while the last rebuild failed.
    pub overlay: Option<Arc<str>>,
    /// The path of `base_url` (`/` or `/repo/`): `404.html` links start
    /// there, so the preview also answers below it.
    pub base_path: String,
}

/// State shared by the rebuild loop and every request.
pub struct Shared {
    /// The output folder, absolute (it may not exist yet).
    pub output: PathBuf,
    /// The address the server listens on.
    pub bound: SocketAddr,
    status: RwLock<(u64, Status)>,
    events: broadcast::Sender<Event>,
    shutdown: watch::Receiver<bool>,
    /// One permit per open live-reload stream: streams are counted apart
    /// from the connection cap, so open tabs never starve page requests.
    pub streams: Arc<Semaphore>,
    /// Tells generations of different server runs apart.
    epoch: String,
}

impl Shared {
    pub fn new(output: PathBuf, bound: SocketAddr, shutdown: watch::Receiver<bool>) -> Shared {
        let epoch = format!(
            "{:x}{:x}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0)
        );
        let status = Status {
            generation: format!("{epoch}.0"),
            overlay: None,
            base_path: "/".into(),
        };
        Shared {
            output,
            bound,
            status: RwLock::new((0, status)),
            events: broadcast::channel(64).0,
            shutdown,
            streams: Arc::new(Semaphore::new(MAX_EVENT_STREAMS)),
            epoch,
        }
    }

    pub fn status(&self) -> Status {
        self.status
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .1
            .clone()
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    /// Becomes `true` when the server is stopping.
    pub fn shutdown(&self) -> watch::Receiver<bool> {
        self.shutdown.clone()
    }

    /// A rebuild succeeded: removes the overlay and names what changed.
    pub fn built(&self, changed: Vec<String>, base_path: String) {
        let mut guard = self.status.write().unwrap_or_else(|e| e.into_inner());
        let (counter, status) = &mut *guard;
        status.base_path = base_path;
        let had_errors = status.overlay.take().is_some();
        if !had_errors && changed.is_empty() {
            return;
        }
        *counter += 1;
        status.generation = format!("{}.{counter}", self.epoch);
        let generation = status.generation.clone();
        // Nobody listening is not an error.
        if had_errors {
            let _ = self.events.send(Event::Overlay {
                generation: generation.clone(),
                html: None,
            });
        }
        if !changed.is_empty() {
            let _ = self.events.send(Event::Reload {
                generation,
                changed: changed.into(),
            });
        }
    }

    /// A rebuild failed: every page shows `overlay` until one succeeds.
    pub fn failed(&self, overlay: String) {
        let mut guard = self.status.write().unwrap_or_else(|e| e.into_inner());
        let (counter, status) = &mut *guard;
        *counter += 1;
        status.generation = format!("{}.{counter}", self.epoch);
        let html: Arc<str> = overlay.into();
        status.overlay = Some(html.clone());
        let _ = self.events.send(Event::Overlay {
            generation: status.generation.clone(),
            html: Some(html),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared() -> Shared {
        let (_tx, rx) = watch::channel(false);
        Shared::new("out".into(), "127.0.0.1:1111".parse().unwrap(), rx)
    }

    #[test]
    fn events_follow_the_error_state() {
        let s = shared();
        let mut events = s.subscribe();
        let first = s.status().generation;
        s.built(Vec::new(), "/".into());
        assert_eq!(s.status().generation, first, "nothing changed");
        assert!(events.try_recv().is_err());

        s.failed("<div>boom</div>".into());
        assert!(s.status().overlay.is_some());
        assert!(matches!(
            events.try_recv(),
            Ok(Event::Overlay { html: Some(_), .. })
        ));

        s.built(vec!["index.html".into()], "/repo/".into());
        let status = s.status();
        assert!(status.overlay.is_none());
        assert_eq!(status.base_path, "/repo/");
        assert_ne!(status.generation, first);
        assert!(matches!(
            events.try_recv(),
            Ok(Event::Overlay { html: None, .. })
        ));
        match events.try_recv() {
            Ok(Event::Reload {
                changed,
                generation,
            }) => {
                assert_eq!(&changed[..], ["index.html".to_string()]);
                assert_eq!(generation, status.generation);
            }
            other => panic!("{other:?}"),
        }
    }
}
