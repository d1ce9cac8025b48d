//! The preview's rebuild loop: one thread owns the build session and the
//! watcher, turns each debounced batch of changed sources into a rebuild,
//! prints a line (or the errors) for the terminal, and publishes the
//! result to the shared state, from where open tabs hear of it. A failed
//! rebuild leaves the last good output in place; the loop goes on.
//!
//! The search index is not part of a rebuild: a thread of its own builds
//! it once the edits have paused (`SEARCH_QUIET`), at the lowest CPU
//! priority, and puts it in the output, so an edit is served as fast with
//! search as without.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// How long the sources must stay unchanged before the preview indexes
/// the site for search: while a writer is saving edit after edit, the
/// index (seconds of work at 10,000 articles) waits.
const SEARCH_QUIET: Duration = Duration::from_secs(1);

use super::overlay;
use super::state::Shared;
use super::watch::{self, Batch, Message, Watcher};
use crate::cli::Verbosity;
use crate::commands::{counted, problems, shown_diagnostics};
use crate::display_path;
use crate::session::{Rebuild, Session};

pub struct Builder {
    /// Shared with the search indexer, which holds it only to write.
    pub session: Arc<Mutex<Session>>,
    /// `None` when the sources could not be watched.
    pub watcher: Option<Watcher>,
    pub shared: Arc<Shared>,
    /// The site folder as the user gave it, to print paths the way
    /// `explainer build` does.
    pub shown_root: PathBuf,
    pub verbosity: Verbosity,
}

/// A session lock that survives a panic of the other holder (the session
/// stays usable: every write it does is staged and committed whole).
fn lock(session: &Mutex<Session>) -> MutexGuard<'_, Session> {
    session.lock().unwrap_or_else(|e| e.into_inner())
}

/// The thread that builds the search index after rebuilds were served.
struct Indexer {
    /// One message per successful rebuild: the index is out of date.
    stale: Sender<()>,
    stopping: Arc<AtomicBool>,
}

impl Indexer {
    fn start(session: Arc<Mutex<Session>>) -> Indexer {
        let (stale, rx) = std::sync::mpsc::channel::<()>();
        let stopping = Arc::new(AtomicBool::new(false));
        let stop = stopping.clone();
        std::thread::spawn(move || {
            let mut shards = crate::search::ShardCache::default();
            while rx.recv().is_ok() {
                // Wait for the edits to pause.
                loop {
                    match rx.recv_timeout(SEARCH_QUIET) {
                        Ok(()) => continue,
                        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => break,
                        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
                    }
                }
                let Some((records, language)) = lock(&session).search_records() else {
                    continue;
                };
                let files = crate::search::bundle_in_background(records, &language, &mut shards);
                let mut session = lock(&session);
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                if let Err(e) = files.and_then(|files| session.apply_search(files)) {
                    eprintln!("error: {}", crate::diagnostics::escape_controls(&e));
                }
            }
        });
        Indexer { stale, stopping }
    }

    /// Makes sure no index is being written, and none will be.
    fn stop(self, session: &Mutex<Session>) {
        self.stopping.store(true, Ordering::SeqCst);
        drop(lock(session));
    }
}

impl Builder {
    /// The first build, reading everything.
    pub fn first_build(&mut self) {
        let result = lock(&self.session).rebuild();
        if let Rebuild::Built {
            pages,
            elapsed,
            held_back,
            ..
        } = &result
        {
            if self.verbosity != Verbosity::Quiet {
                eprintln!(
                    "built {} in {:.2} s -> {}",
                    counted(*pages, "page", "pages"),
                    elapsed.as_secs_f64(),
                    display_path(lock(&self.session).output())
                );
                if let (n @ 1.., Some(next)) = *held_back {
                    eprintln!(
                        "{} held back; the next is due {} (serve with --future to preview them)",
                        counted(
                            n,
                            "article dated in the future",
                            "articles dated in the future"
                        ),
                        next.rfc3339()
                    );
                }
            }
        }
        self.publish(result, None);
    }

    /// Rebuilds after every batch of changes until the server stops, and
    /// after each, indexes the site for search on another thread.
    pub fn run(mut self, rx: Receiver<Message>) {
        let root = lock(&self.session).root().to_path_buf();
        let indexer = Indexer::start(self.session.clone());
        self.index(&indexer);
        while let Some(batch) = watch::next_batch(&rx, &root) {
            if let Some(watcher) = &mut self.watcher {
                watcher.rewatch(&batch);
            }
            let result = if batch.rescan {
                lock(&self.session).rebuild()
            } else {
                let paths: Vec<PathBuf> = batch.paths.iter().cloned().collect();
                lock(&self.session).rebuild_changed(&paths)
            };
            let built = matches!(result, Rebuild::Built { .. });
            self.publish(result, Some(&batch));
            if built {
                self.index(&indexer);
            }
        }
        indexer.stop(&self.session);
    }

    /// Tells the indexer the last good build is newer than its index.
    fn index(&self, indexer: &Indexer) {
        let _ = indexer.stale.send(());
    }

    /// Prints a rebuild's outcome and tells the open tabs.
    fn publish(&self, result: Rebuild, batch: Option<&Batch>) {
        match result {
            Rebuild::Built {
                changed,
                elapsed,
                base_path,
                ..
            } => {
                if let Some(batch) = batch {
                    self.print_rebuilt(batch, &changed, elapsed);
                }
                self.shared.built(changed, base_path);
            }
            Rebuild::Failed(diagnostics) => {
                let shown = shown_diagnostics(&self.shown_root, diagnostics);
                for d in &shown {
                    eprintln!("{d}\n");
                }
                eprintln!(
                    "error: {} found; still serving the last good build",
                    problems(shown.len())
                );
                self.shared.failed(overlay::render(&shown));
            }
            Rebuild::Broken(message) => {
                eprintln!("error: {}", crate::diagnostics::escape_controls(&message));
                self.shared.failed(overlay::render(&[message]));
            }
        }
    }

    /// One line per rebuild: what triggered it, what changed, how long.
    fn print_rebuilt(&self, batch: &Batch, changed: &[String], elapsed: Duration) {
        if self.verbosity == Verbosity::Quiet {
            return;
        }
        let what = match changed.len() {
            0 => "nothing changed".to_string(),
            n => format!("{} changed", counted(n, "file", "files")),
        };
        eprintln!(
            "rebuilt in {:.0} ms: {what} ({})",
            elapsed.as_secs_f64() * 1e3,
            crate::diagnostics::escape_controls(&trigger(lock(&self.session).root(), batch))
        );
        if self.verbosity == Verbosity::Verbose {
            for path in changed {
                eprintln!("  {}", crate::diagnostics::escape_controls(path));
            }
        }
    }
}

/// The changed sources of a batch, for the terminal: the first, and how
/// many more.
fn trigger(root: &Path, batch: &Batch) -> String {
    if batch.rescan {
        return "rescanned the site".into();
    }
    let mut paths = batch
        .paths
        .iter()
        .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string());
    let first = paths.next().unwrap_or_default();
    match paths.count() {
        0 => first,
        n => format!("{first} and {n} more"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triggers_name_the_first_path() {
        let root = Path::new("/site");
        let mut batch = Batch::default();
        batch.paths.insert(root.join("content/articles/a.md"));
        assert_eq!(trigger(root, &batch), "content/articles/a.md");
        batch.paths.insert(root.join("site.toml"));
        batch.paths.insert(root.join("static/x.css"));
        assert_eq!(trigger(root, &batch), "content/articles/a.md and 2 more");
        batch.rescan = true;
        assert_eq!(trigger(root, &batch), "rescanned the site");
    }
}
