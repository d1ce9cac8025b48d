//! Watching the site's sources for the preview: `content/`, `templates/`
//! and `static/` (recursively) and `site.toml`, with notify. File-system
//! events are debounced into batches: a batch closes once the files have
//! been quiet for a moment, so an editor's save-by-rename, or a `git
//! checkout` touching fifty files, becomes one rebuild. A batch names the
//! changed paths, so the session can reload only those files.
//!
//! A symlinked file inside the sources is edited where its target lives,
//! which the watch on the link's folder never sees: the folder of each
//! such target (inside the site) is watched too, and an event on a target
//! is reported as an event on every link to it.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, CreateKind, EventKind, MetadataKind, ModifyKind};
use notify::{RecursiveMode, Watcher as _};

/// How long the files must be quiet before a batch closes, while a file
/// of it may still be being written: one written to (or created) and not
/// yet closed. Platforms that do not report closing (macOS) always wait
/// this long.
const QUIET: Duration = Duration::from_millis(60);
/// How long the files must be quiet when every file written was also
/// closed: enough for the rename that follows an editor's write of a
/// temporary file, short next to a rebuild.
const SETTLED: Duration = Duration::from_millis(8);
/// A batch closes after this long even if events keep coming.
const LONGEST: Duration = Duration::from_millis(800);

/// The folders watched recursively.
const FOLDERS: [&str; 4] = ["content", "templates", "static", "i18n"];

/// What the rebuild loop receives.
#[derive(Debug)]
pub enum Message {
    Fs(notify::Result<notify::Event>),
    /// The server is stopping.
    Stop,
}

/// Changed source paths, debounced.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Batch {
    /// Absolute paths under the site root.
    pub paths: BTreeSet<PathBuf>,
    /// Events were lost (or the watcher failed): read everything again.
    pub rescan: bool,
    /// Files written to or created and not closed yet.
    writing: BTreeSet<PathBuf>,
}

/// Symlinked source files by the canonical path of their target.
type Links = Arc<Mutex<HashMap<PathBuf, Vec<PathBuf>>>>;

/// The notify watcher on one site's sources.
pub struct Watcher {
    root: PathBuf,
    inner: notify::RecommendedWatcher,
    links: Links,
    /// Folders watched only because a link's target is there.
    link_dirs: BTreeSet<PathBuf>,
}

impl Watcher {
    /// Starts watching the site at `root` (absolute), sending every event
    /// to `tx`.
    pub fn start(root: &Path, tx: Sender<Message>) -> Result<Watcher, String> {
        let links = Links::default();
        let targets = links.clone();
        let inner = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            let event = event.map(|mut e| {
                add_link_paths(&targets, &mut e);
                e
            });
            let _ = tx.send(Message::Fs(event));
        })
        .map_err(|e| format!("cannot watch the site for changes: {e}"))?;
        let mut watcher = Watcher {
            root: root.to_path_buf(),
            inner,
            links,
            link_dirs: BTreeSet::new(),
        };
        // The root itself, not recursively: site.toml, and source folders
        // that are created or removed later.
        watcher
            .inner
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| watch_error(root, e))?;
        for folder in FOLDERS {
            watcher.watch_folder(folder)?;
        }
        watcher.watch_links();
        Ok(watcher)
    }

    /// Watches the source folders that a batch created (again): a folder
    /// removed and made anew loses its watch.
    pub fn rewatch(&mut self, batch: &Batch) {
        for folder in FOLDERS {
            if batch.paths.contains(&self.root.join(folder)) {
                let _ = self.inner.unwatch(&self.root.join(folder));
                if let Err(e) = self.watch_folder(folder) {
                    eprintln!("warning: {e}");
                }
            }
        }
        // Links come and go with files that are links, folders, or gone;
        // a plain file's edit (the common case) needs no new scan.
        let structural = batch.rescan
            || batch
                .paths
                .iter()
                .any(|p| match std::fs::symlink_metadata(p) {
                    Ok(m) => !m.is_file(),
                    Err(_) => true,
                });
        if structural {
            self.watch_links();
        }
    }

    /// Finds the symlinked files of the sources whose target is inside the
    /// site, and watches the folder of each target that no other watch
    /// covers (links out of the site are build errors, never watched).
    fn watch_links(&mut self) {
        let Ok(site) = self.root.canonicalize() else {
            return;
        };
        let mut links: HashMap<PathBuf, Vec<PathBuf>> = HashMap::new();
        // Folders the recursive watches already see (linked ones included).
        let mut covered: BTreeSet<PathBuf> = BTreeSet::new();
        for folder in FOLDERS {
            let dir = self.root.join(folder);
            if !dir.is_dir() {
                continue;
            }
            let (entries, _) = crate::load::walk_site_folder(&self.root, &dir, false);
            for e in entries {
                if e.file_type().is_dir() {
                    covered.extend(e.path().canonicalize().ok());
                    continue;
                }
                if !(e.path_is_symlink() && e.file_type().is_file()) {
                    continue;
                }
                if let Ok(target) = e.path().canonicalize() {
                    if target.starts_with(&site) {
                        links.entry(target).or_default().push(e.into_path());
                    }
                }
            }
        }
        let dirs: BTreeSet<PathBuf> = links
            .keys()
            .filter_map(|t| t.parent())
            .filter(|d| *d != site && !covered.contains(*d))
            .map(Path::to_path_buf)
            .collect();
        for d in self.link_dirs.difference(&dirs) {
            let _ = self.inner.unwatch(d);
        }
        for d in dirs.difference(&self.link_dirs) {
            if let Err(e) = self.inner.watch(d, RecursiveMode::NonRecursive) {
                eprintln!("warning: {}", watch_error(d, e));
            }
        }
        self.link_dirs = dirs;
        if let Ok(mut map) = self.links.lock() {
            *map = links;
        }
    }

    fn watch_folder(&mut self, folder: &str) -> Result<(), String> {
        let dir = self.root.join(folder);
        if !dir.is_dir() {
            return Ok(());
        }
        self.inner
            .watch(&dir, RecursiveMode::Recursive)
            .map_err(|e| watch_error(&dir, e))
    }
}

/// Adds to `event` every link whose target it names.
fn add_link_paths(links: &Links, event: &mut notify::Event) {
    let Ok(links) = links.lock() else { return };
    if links.is_empty() {
        return;
    }
    let mut extra = Vec::new();
    for path in &event.paths {
        // The target itself may be gone (a save by rename): its folder
        // is canonical all the same.
        let canonical = path
            .canonicalize()
            .ok()
            .or_else(|| Some(path.parent()?.canonicalize().ok()?.join(path.file_name()?)));
        if let Some(found) = canonical.and_then(|c| links.get(&c)) {
            extra.extend(found.iter().cloned());
        }
    }
    event.paths.extend(extra);
}

fn watch_error(path: &Path, e: notify::Error) -> String {
    let hint = match &e.kind {
        notify::ErrorKind::MaxFilesWatch => {
            " (raise the limit: sysctl fs.inotify.max_user_watches=524288)"
        }
        _ => "",
    };
    format!("cannot watch {} for changes: {e}{hint}", path.display())
}

/// Waits for the next batch of relevant changes under `root`; `None` when
/// the server stops.
pub fn next_batch(rx: &Receiver<Message>, root: &Path) -> Option<Batch> {
    let mut batch = Batch::default();
    // Block until something relevant happens.
    while batch.paths.is_empty() && !batch.rescan {
        add(&mut batch, rx.recv().ok()?, root)?;
    }
    let started = Instant::now();
    while started.elapsed() < LONGEST {
        let quiet = if batch.writing.is_empty() {
            SETTLED
        } else {
            QUIET
        };
        match rx.recv_timeout(quiet) {
            Ok(message) => add(&mut batch, message, root)?,
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => return None,
        }
    }
    Some(batch)
}

/// Adds one message to a batch; `None` for `Stop`.
fn add(batch: &mut Batch, message: Message, root: &Path) -> Option<()> {
    match message {
        Message::Stop => return None,
        Message::Fs(Err(_)) => batch.rescan = true,
        Message::Fs(Ok(event)) => {
            if event.need_rescan() {
                batch.rescan = true;
            }
            if !ignored_kind(&event.kind) {
                for path in event.paths.iter().filter_map(|p| relevant(root, p)) {
                    match event.kind {
                        EventKind::Create(CreateKind::File)
                        | EventKind::Modify(ModifyKind::Data(_)) => {
                            batch.writing.insert(path.clone());
                        }
                        EventKind::Access(AccessKind::Close(AccessMode::Write))
                        | EventKind::Remove(_) => {
                            batch.writing.remove(&path);
                        }
                        _ => {}
                    }
                    batch.paths.insert(path);
                }
            }
        }
    }
    Some(())
}

/// Events that change nothing: reads (the build itself reads every
/// source, and must not trigger another build) and access times.
fn ignored_kind(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Access(
            AccessKind::Any
                | AccessKind::Read
                | AccessKind::Open(_)
                | AccessKind::Close(AccessMode::Read)
                | AccessKind::Close(AccessMode::Execute)
                | AccessKind::Other
        ) | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))
    )
}

/// `path` as the session names it (under `root`), if it is a source the
/// build reads: anything under `static/`, and under `content/` and
/// `templates/` what the loader does not skip (hidden files and editor
/// backups such as `.a.md.swp` or `a.md~`), `i18n/*.toml` (the site's
/// interface strings) and `site.toml`. Watchers may
/// report canonical paths (macOS), so those are mapped back under `root`.
pub fn relevant(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = match path.strip_prefix(root) {
        Ok(rel) => rel.to_path_buf(),
        Err(_) => path
            .strip_prefix(root.canonicalize().ok()?)
            .ok()?
            .to_path_buf(),
    };
    let mut parts = rel.components();
    let first = parts.next()?.as_os_str().to_str()?;
    let keep = match first {
        "site.toml" => parts.next().is_none(),
        "static" => true,
        "i18n" => rel.extension().is_some_and(|e| e == "toml") || parts.next().is_none(),
        "content" | "templates" => !rel.components().skip(1).any(|c| {
            let name = c.as_os_str().to_string_lossy();
            name.starts_with('.') || name.ends_with('~')
        }),
        _ => false,
    };
    keep.then(|| root.join(rel))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn only_sources_are_relevant() {
        let root = Path::new("/site");
        let yes = |p: &str| relevant(root, Path::new(p));
        assert_eq!(
            yes("/site/content/articles/a.md"),
            Some(PathBuf::from("/site/content/articles/a.md"))
        );
        assert!(yes("/site/content").is_some(), "the folder itself");
        assert!(yes("/site/templates/base.html").is_some());
        assert!(
            yes("/site/static/.well-known/x").is_some(),
            "static copies hidden files"
        );
        assert!(yes("/site/site.toml").is_some());
        assert!(yes("/site/i18n/fr.toml").is_some(), "interface strings");
        assert!(yes("/site/i18n/.fr.toml.swp").is_none());
        assert!(yes("/site/public/index.html").is_none());
        assert!(yes("/site/public.staging-1/index.html").is_none());
        assert!(yes("/site/.explainer-cache/x").is_none());
        assert!(yes("/site/content/articles/.a.md.swp").is_none());
        assert!(yes("/site/content/articles/a.md~").is_none());
        assert!(yes("/site/content/.git/x").is_none());
        assert!(yes("/elsewhere/content/a.md").is_none());
    }

    fn event(kind: EventKind, path: &str) -> Message {
        Message::Fs(Ok(notify::Event::new(kind).add_path(PathBuf::from(path))))
    }

    #[test]
    fn batches_collect_paths_and_skip_reads() {
        let (tx, rx) = mpsc::channel();
        let root = Path::new("/site");
        let modify = EventKind::Modify(ModifyKind::Any);
        tx.send(event(
            EventKind::Access(AccessKind::Open(notify::event::AccessMode::Any)),
            "/site/content/articles/read.md",
        ))
        .unwrap();
        tx.send(event(modify, "/site/public/index.html")).unwrap();
        tx.send(event(modify, "/site/content/articles/a.md"))
            .unwrap();
        tx.send(event(modify, "/site/content/articles/a.md"))
            .unwrap();
        tx.send(event(modify, "/site/site.toml")).unwrap();
        let batch = next_batch(&rx, root).unwrap();
        let paths: Vec<_> = batch.paths.iter().map(|p| p.to_str().unwrap()).collect();
        assert_eq!(paths, ["/site/content/articles/a.md", "/site/site.toml"]);
        assert!(!batch.rescan);

        // A write closes the batch quickly only once the file is closed.
        let data = EventKind::Modify(ModifyKind::Data(notify::event::DataChange::Any));
        let closed = EventKind::Access(AccessKind::Close(AccessMode::Write));
        tx.send(event(data, "/site/content/articles/a.md")).unwrap();
        let open = next_batch(&rx, root).unwrap();
        assert_eq!(open.writing.len(), 1, "still being written");
        tx.send(event(data, "/site/content/articles/a.md")).unwrap();
        tx.send(event(closed, "/site/content/articles/a.md"))
            .unwrap();
        let done = next_batch(&rx, root).unwrap();
        assert!(done.writing.is_empty());
        assert_eq!(done.paths.len(), 1);

        tx.send(Message::Fs(Err(notify::Error::generic("lost"))))
            .unwrap();
        assert!(next_batch(&rx, root).unwrap().rescan);

        tx.send(Message::Stop).unwrap();
        assert_eq!(next_batch(&rx, root), None);
    }
}
