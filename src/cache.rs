//! The build cache: for every page written, the fingerprint of the inputs
//! it was rendered from, and the size and modification time of the file
//! on disk. A later build skips rendering and writing a page whose inputs
//! have the same fingerprint, as long as its file is still the one written.
//!
//! The cache lives in `.explainer-cache/` in the site folder (one file per
//! output folder), never in the output, so it is not deployed. A missing,
//! unreadable or outdated cache only means a full build.

use rustc_hash::FxHashMap as HashMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;

/// Format version: a cache written by another layout is ignored.
const HEADER: &str = "explainer-cache 2";

/// What the last build was made from: a hash of every source file's path
/// and bytes (and of the build's options and the program itself), with the
/// counts its summary printed. When nothing changed, a build has nothing to
/// do at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceRecord {
    pub manifest: u64,
    pub articles: usize,
    pub explainers: usize,
    pub actors: usize,
    pub pages: usize,
    pub files: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    fingerprint: u64,
    len: u64,
    mtime_ns: u128,
}

/// Fingerprints of the pages of one output folder.
#[derive(Debug, Default)]
pub struct BuildCache {
    entries: HashMap<String, Entry>,
    /// The sources of the build that wrote the cache.
    pub sources: Option<SourceRecord>,
    /// Whether every file the cache lists is still as written.
    pub intact: bool,
}

impl BuildCache {
    /// Where the cache for `output` is kept.
    pub fn location(root: &Path, output: &Path) -> PathBuf {
        let key = crate::render::fingerprint(&crate::write::absolutize(output));
        root.join(".explainer-cache")
            .join(format!("{key:016x}.txt"))
    }

    /// Reads the cache, keeping only entries whose file in `output` is
    /// still exactly as written (same size and modification time).
    pub fn load(root: &Path, output: &Path) -> BuildCache {
        let Ok(text) = std::fs::read_to_string(Self::location(root, output)) else {
            return BuildCache::default();
        };
        let mut lines = text.lines();
        if lines.next() != Some(HEADER) {
            return BuildCache::default();
        }
        let sources = lines.next().and_then(parse_sources);
        let parsed: Vec<(String, Entry)> = lines.filter_map(parse_line).collect();
        let listed = parsed.len();
        // Into an output folder that is gone (a cold build), no entry can
        // be as written: that is known without looking each one up.
        let entries: HashMap<String, Entry> = if std::fs::symlink_metadata(output).is_err() {
            HashMap::default()
        } else {
            parsed
                .into_par_iter()
                .filter(|(path, entry)| {
                    stat(&output.join(path)) == Some((entry.len, entry.mtime_ns))
                })
                .collect()
        };
        BuildCache {
            intact: entries.len() == listed,
            entries,
            sources,
        }
    }

    /// The output paths recorded and still exactly as written: files an
    /// earlier build wrote (the upgrade path for outputs of versions that
    /// kept no manifest in the output).
    pub fn paths(&self) -> Vec<String> {
        self.entries.keys().cloned().collect()
    }

    /// Fingerprints by output path, for the renderer.
    pub fn fingerprints(&self) -> HashMap<String, u64> {
        self.entries
            .iter()
            .map(|(p, e)| (p.clone(), e.fingerprint))
            .collect()
    }

    /// Records the pages of a finished build (reading their size and time
    /// back from disk) and saves the cache. Failing to save is not an
    /// error: the next build is merely a full one.
    pub fn save(
        root: &Path,
        output: &Path,
        fingerprints: &[(String, u64)],
        sources: Option<SourceRecord>,
    ) {
        Self::save_stamped(root, output, fingerprints, sources, &HashMap::default());
    }

    /// [`BuildCache::save`], taking the size and modification time of the
    /// files in `stamps` (by output path, as the commit read them:
    /// [`crate::write::WriteReport::stamps`]) instead of reading them back
    /// from disk.
    pub fn save_stamped(
        root: &Path,
        output: &Path,
        fingerprints: &[(String, u64)],
        sources: Option<SourceRecord>,
        stamps: &HashMap<String, (u64, u128)>,
    ) {
        let lines: Vec<String> = fingerprints
            .par_iter()
            .filter_map(|(path, fingerprint)| {
                let (len, mtime_ns) = match stamps.get(path) {
                    Some(&stamp) => stamp,
                    None => stat(&output.join(path))?,
                };
                Some(format!("{fingerprint:016x} {len} {mtime_ns} {path}"))
            })
            .collect();
        let mut text = String::with_capacity(lines.len() * 80);
        text.push_str(HEADER);
        text.push('\n');
        match sources {
            Some(r) => text.push_str(&format!(
                "sources {:016x} {} {} {} {} {}\n",
                r.manifest, r.articles, r.explainers, r.actors, r.pages, r.files
            )),
            None => text.push_str("sources -\n"),
        }
        for l in lines {
            text.push_str(&l);
            text.push('\n');
        }
        let location = Self::location(root, output);
        if let Some(dir) = location.parent() {
            let _ = std::fs::create_dir_all(dir);
            let _ = std::fs::write(dir.join(".gitignore"), "*\n");
        }
        let tmp = location.with_extension("tmp");
        if std::fs::write(&tmp, text).is_ok() {
            let _ = std::fs::rename(&tmp, &location);
        }
    }

    /// Forgets everything (after a failed write, say).
    pub fn clear(root: &Path, output: &Path) {
        let _ = std::fs::remove_file(Self::location(root, output));
    }
}

fn parse_sources(line: &str) -> Option<SourceRecord> {
    let mut parts = line.strip_prefix("sources ")?.split(' ');
    let manifest = u64::from_str_radix(parts.next()?, 16).ok()?;
    let mut next = || parts.next()?.parse().ok();
    Some(SourceRecord {
        manifest,
        articles: next()?,
        explainers: next()?,
        actors: next()?,
        pages: next()?,
        files: next()?,
    })
}

/// A hash of everything a build reads: the bytes of every file under
/// `content/`, `templates/`, `static/` and `i18n/` and of `site.toml`, by path, plus
/// `extra` (the build's options) and the identity of this program. Read in
/// parallel; `None` when a file cannot be read (the build will say why).
/// A file in `known` (by the path [`crate::load::walk_site_folder`] gives
/// it; the hash is xxh3 of its bytes) is not read again.
pub fn source_manifest(
    root: &Path,
    known: &std::collections::HashMap<PathBuf, u64>,
    extra: &impl serde::Serialize,
) -> Option<u64> {
    manifest_of(root, &source_files(root)?, known, extra)
}

/// Every file [`source_manifest`] covers, sorted: the walk, done apart so
/// that a build can run it beside its render. `None` when a folder holds
/// a link out of the site or a loop (the build reports it).
pub fn source_files(root: &Path) -> Option<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in ["content", "templates", "static", "i18n"] {
        let dir = root.join(dir);
        if !dir.exists() {
            continue;
        }
        // A link out of the site or a loop is never read; the build
        // reports it, so there is no record to match.
        let (entries, errors) = crate::load::walk_site_folder(root, &dir, false);
        if !errors.is_empty() {
            return None;
        }
        files.extend(
            entries
                .into_iter()
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path()),
        );
    }
    files.push(root.join("site.toml"));
    files.sort();
    Some(files)
}

/// [`source_manifest`] of `files`, as [`source_files`] lists them.
pub fn manifest_of(
    root: &Path,
    files: &[PathBuf],
    known: &std::collections::HashMap<PathBuf, u64>,
    extra: &impl serde::Serialize,
) -> Option<u64> {
    let hashes: Vec<Option<(String, u64)>> = files
        .par_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(root)
                .unwrap_or(p)
                .to_string_lossy()
                .into_owned();
            if let Some(&hash) = known.get(p) {
                return Some((rel, hash));
            }
            match std::fs::read(p) {
                Ok(bytes) => Some((rel, xxhash_rust::xxh3::xxh3_64(&bytes))),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some((rel, 0)),
                Err(_) => None,
            }
        })
        .collect();
    let hashes: Option<Vec<(String, u64)>> = hashes.into_iter().collect();
    Some(crate::render::fingerprint(&(
        hashes?,
        extra,
        program_identity(),
    )))
}

/// This program's version and executable, so a rebuilt or upgraded
/// `explainer` never trusts pages rendered by another.
pub fn program_identity() -> (String, u64, u128) {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok());
    let len = exe.as_ref().map_or(0, |m| m.len());
    let mtime = exe
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    (env!("CARGO_PKG_VERSION").to_string(), len, mtime)
}

fn parse_line(line: &str) -> Option<(String, Entry)> {
    let mut parts = line.splitn(4, ' ');
    let fingerprint = u64::from_str_radix(parts.next()?, 16).ok()?;
    let len = parts.next()?.parse().ok()?;
    let mtime_ns = parts.next()?.parse().ok()?;
    let path = parts.next()?.to_string();
    Some((
        path,
        Entry {
            fingerprint,
            len,
            mtime_ns,
        },
    ))
}

fn stat(path: &Path) -> Option<(u64, u128)> {
    let meta = std::fs::metadata(path).ok()?;
    let mtime = meta
        .modified()
        .ok()?
        .duration_since(UNIX_EPOCH)
        .ok()?
        .as_nanos();
    Some((meta.len(), mtime))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_from_loaded_hashes_is_the_manifest_read_from_disk() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("site.toml"), "title = \"T\"\n").unwrap();
        for (path, text) in [
            (
                "content/articles/a.md",
                "+++\ntitle = \"A\"\ndate = 2024-01-02\n+++\nBody.\n",
            ),
            (
                "content/articles/b/index.md",
                "+++\ntitle = \"B\"\ndate = 2024-01-03\n+++\nB.\n",
            ),
            ("content/articles/b/photo.txt", "not a page"),
            ("content/notes/n.md", "+++\ntitle = \"N\"\n+++\nNote.\n"),
            ("static/s.css", "p {}"),
        ] {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let (loaded, _) = crate::load::load(root, &crate::load::LoadOptions::default());
        let known = &loaded.source_hashes;
        assert_eq!(known.len(), 3, "each page read is hashed: {known:?}");
        let read = source_manifest(root, &std::collections::HashMap::new(), &1);
        assert!(read.is_some());
        assert_eq!(source_manifest(root, known, &1), read);
        // The loaded hashes are what the manifest uses, not a second read.
        let mut wrong = known.clone();
        wrong.values_mut().for_each(|h| *h ^= 1);
        assert_ne!(source_manifest(root, &wrong, &1), read);
    }

    #[test]
    fn entries_survive_only_while_their_file_is_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let (root, out) = (dir.path().join("site"), dir.path().join("site/public"));
        std::fs::create_dir_all(out.join("a")).unwrap();
        std::fs::write(out.join("a/index.html"), "one").unwrap();
        std::fs::write(out.join("b.html"), "two").unwrap();
        let record = SourceRecord {
            manifest: 5,
            articles: 1,
            explainers: 2,
            actors: 3,
            pages: 4,
            files: 5,
        };
        let pages = [("a/index.html".into(), 7), ("b.html".into(), 9)];
        BuildCache::save(&root, &out, &pages, Some(record));
        let loaded = BuildCache::load(&root, &out);
        assert!(loaded.intact);
        assert_eq!(loaded.sources, Some(record));
        let f = loaded.fingerprints();
        assert_eq!(f.get("a/index.html"), Some(&7));
        assert_eq!(f.get("b.html"), Some(&9));
        std::fs::write(out.join("b.html"), "changed by hand").unwrap();
        std::fs::remove_file(out.join("a/index.html")).unwrap();
        let loaded = BuildCache::load(&root, &out);
        assert!(loaded.fingerprints().is_empty());
        assert!(!loaded.intact, "a missing or edited file breaks the record");
    }

    #[test]
    fn a_cache_of_a_removed_output_keeps_nothing() {
        // Without the output folder no entry is looked up: the result must
        // be what looking each one up gives (nothing kept, not intact).
        let dir = tempfile::tempdir().unwrap();
        let (root, out) = (dir.path().join("site"), dir.path().join("out"));
        std::fs::create_dir_all(out.join("a")).unwrap();
        std::fs::write(out.join("a/index.html"), "one").unwrap();
        let pages = [("a/index.html".into(), 7)];
        BuildCache::save(&root, &out, &pages, None);
        assert!(BuildCache::load(&root, &out).intact);
        std::fs::remove_dir_all(&out).unwrap();
        let loaded = BuildCache::load(&root, &out);
        assert!(loaded.fingerprints().is_empty());
        assert!(loaded.paths().is_empty());
        assert!(!loaded.intact);
        // A cache that lists nothing stays intact, as before.
        BuildCache::save(&root, &out, &[], None);
        assert!(BuildCache::load(&root, &out).intact);
    }

    #[test]
    fn stamps_given_make_the_cache_a_lookup_makes() {
        let dir = tempfile::tempdir().unwrap();
        let (root, out) = (dir.path().join("site"), dir.path().join("site/public"));
        std::fs::create_dir_all(out.join("a")).unwrap();
        std::fs::write(out.join("a/index.html"), "one").unwrap();
        std::fs::write(out.join("b.html"), "two").unwrap();
        let pages = [("a/index.html".into(), 7), ("b.html".into(), 9)];
        BuildCache::save(&root, &out, &pages, None);
        let looked_up = std::fs::read(BuildCache::location(&root, &out)).unwrap();
        // One page stamped, the other looked up.
        let mut stamps = HashMap::default();
        stamps.insert(
            "a/index.html".to_string(),
            stat(&out.join("a/index.html")).unwrap(),
        );
        BuildCache::save_stamped(&root, &out, &pages, None, &stamps);
        let stamped = std::fs::read(BuildCache::location(&root, &out)).unwrap();
        assert_eq!(stamped, looked_up);
        // The stamp is what is recorded, not a second lookup.
        stamps.insert("b.html".to_string(), (3, 1));
        BuildCache::save_stamped(&root, &out, &pages, None, &stamps);
        let text = std::fs::read_to_string(BuildCache::location(&root, &out)).unwrap();
        assert!(text.contains(" 3 1 b.html\n"), "{text}");
        assert!(!BuildCache::load(&root, &out).intact);
    }

    #[test]
    fn a_foreign_or_broken_cache_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let (root, out) = (dir.path(), dir.path().join("public"));
        let loc = BuildCache::location(root, &out);
        std::fs::create_dir_all(loc.parent().unwrap()).unwrap();
        std::fs::write(&loc, "something else\nzz 1 2 x\n").unwrap();
        assert!(BuildCache::load(root, &out).fingerprints().is_empty());
    }
}
