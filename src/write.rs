//! Write: puts rendered files on disk. Only called once everything has
//! rendered, so a failed build never touches the output. Files whose bytes
//! did not change are left alone (their modification time too, so deploy
//! syncs move only what changed); files the build no longer produces are
//! removed.

use rustc_hash::FxHashSet as HashSet;
use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::render::{theme, OutputFile};

/// What a write did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteReport {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
    /// Output paths written or removed (`/`-separated, relative to the
    /// output), so a preview knows which open pages to reload.
    pub changed: Vec<String>,
}

/// The theme's static files with the site's own `static/` laid over them.
/// A static file may not take the place of a generated page.
pub fn collect_static(root: &Path, generated: &[&str]) -> Result<Vec<OutputFile>, Diagnostics> {
    let mut files: Vec<OutputFile> = theme::builtin_static()
        .map(|(path, bytes)| OutputFile {
            path,
            bytes: bytes.to_vec(),
        })
        .collect();
    let mut errors = Diagnostics::new();
    let dir = root.join("static");
    if dir.is_dir() {
        let generated: HashSet<&str> = generated.iter().copied().collect();
        for entry in walkdir::WalkDir::new(&dir)
            .follow_links(true)
            .sort_by_file_name()
        {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    errors.push(Diagnostic::in_file(
                        Path::new("static"),
                        1,
                        1,
                        format!("cannot read static files: {e}"),
                    ));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let path = rel.to_string_lossy().replace('\\', "/");
            if generated.contains(path.as_str()) {
                errors.push(
                    Diagnostic::in_file(
                        &Path::new("static").join(rel),
                        1,
                        1,
                        format!("static file would replace the generated page {path}"),
                    )
                    .with_help(
                        "rename or remove the static file, or override the page's template instead",
                    ),
                );
                continue;
            }
            match std::fs::read(entry.path()) {
                Ok(bytes) => match files.iter_mut().find(|f| f.path == path) {
                    Some(f) => f.bytes = bytes,
                    None => files.push(OutputFile { path, bytes }),
                },
                Err(e) => errors.push(Diagnostic::in_file(
                    &Path::new("static").join(rel),
                    1,
                    1,
                    format!("cannot read: {e}"),
                )),
            }
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

/// Refuses an output folder that is, contains or lies inside the site's
/// own sources: writing there (and removing stale files) would destroy
/// them.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), String> {
    let root = absolutize(root);
    let out = absolutize(output);
    if out.is_file() {
        return Err(format!(
            "output {} is a file, not a folder",
            output.display()
        ));
    }
    if out == root || root.starts_with(&out) {
        return Err(format!(
            "refusing to use {} as the output folder: it contains the site itself (every file there not produced by the build would be removed)",
            output.display()
        ));
    }
    for source in ["content", "templates", "static"] {
        let dir = root.join(source);
        if out.starts_with(&dir) || dir.starts_with(&out) {
            return Err(format!(
                "refusing to use {} as the output folder: it overlaps the site's {source}/ folder",
                output.display()
            ));
        }
    }
    if root.join("site.toml").starts_with(&out) {
        return Err(format!(
            "refusing to use {} as the output folder: it holds site.toml",
            output.display()
        ));
    }
    Ok(())
}

/// An absolute, normalised path without touching the parts that do not
/// exist yet; symlinks in the existing part are resolved.
pub fn absolutize(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut existing = abs.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut result = existing.canonicalize().unwrap_or(existing);
    for part in rest.into_iter().rev() {
        result.push(part);
    }
    let mut normal = PathBuf::new();
    for c in result.components() {
        match c {
            Component::ParentDir => {
                normal.pop();
            }
            Component::CurDir => {}
            c => normal.push(c),
        }
    }
    normal
}

/// A build's files on their way to the output: each changed file is
/// written, as soon as it is rendered, into a staging folder beside the
/// output; only when the whole build succeeded are they moved into place
/// (one rename each, or one rename of the whole folder for a first build).
/// A failed build drops the staging folder and never touches the output,
/// and no build holds the whole site in memory.
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    committed: bool,
}

impl Staging {
    pub fn new(output: &Path) -> io::Result<Staging> {
        let output = absolutize(output);
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".into());
        let parent = output.parent().unwrap_or(&output).to_path_buf();
        let dir = parent.join(format!(".{name}.explainer-staging"));
        // Left over from a build that was killed; the folder itself is made
        // only when the first file is staged, so a build that fails before
        // rendering touches nothing at all.
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        Ok(Staging {
            output,
            dir,
            committed: false,
        })
    }

    /// Stages a file unless the output already holds exactly these bytes;
    /// returns whether it was staged.
    pub fn put(&self, file: &OutputFile) -> io::Result<bool> {
        let target = self.output.join(&file.path);
        if let Ok(meta) = std::fs::metadata(&target) {
            if meta.is_file()
                && meta.len() == file.bytes.len() as u64
                && std::fs::read(&target)? == file.bytes
            {
                return Ok(false);
            }
        }
        let staged = self.dir.join(&file.path);
        if let Some(parent) = staged.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(staged, &file.bytes)?;
        Ok(true)
    }

    /// Moves the staged files into the output and removes every file that
    /// is neither `written` nor in `keep`. With `previous` (the last
    /// build's list), only those files are considered stale; otherwise the
    /// output is walked. Hidden entries at the top of the output (`.git`
    /// of a deploy checkout) are kept.
    pub fn commit(
        mut self,
        written: &[String],
        keep: &[&String],
        previous: Option<&HashSet<String>>,
    ) -> io::Result<WriteReport> {
        self.committed = true;
        let mut report = WriteReport {
            written: written.len(),
            unchanged: keep.len(),
            ..WriteReport::default()
        };
        report.changed.extend(written.iter().cloned());
        if !self.output.exists() && self.dir.exists() {
            // A first build: the staging folder becomes the output.
            std::fs::rename(&self.dir, &self.output)?;
            return Ok(report);
        }
        std::fs::create_dir_all(&self.output)?;
        written
            .par_iter()
            .map(|path| move_into_place(&self.dir.join(path), &self.output.join(path)))
            .collect::<io::Result<()>>()?;
        let keep: HashSet<PathBuf> = written
            .iter()
            .chain(keep.iter().copied())
            .map(|p| self.output.join(p))
            .collect();
        let removed = match previous {
            Some(previous) => remove_listed(&self.output, previous, &keep)?,
            None => remove_stale(&self.output, &keep)?,
        };
        report.removed = removed.len();
        report.changed.extend(removed);
        Ok(report)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // After a failed build the staged files go; after a commit, what is
        // left of the staging folder (its emptied sub-folders) goes too.
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Replaces `target` with `staged` in one rename, clearing a folder or
/// file that stands in the way.
fn move_into_place(staged: &Path, target: &Path) -> io::Result<()> {
    if target.is_dir() {
        std::fs::remove_dir_all(target)?;
    }
    if let Some(parent) = target.parent() {
        let mut ancestor = Some(parent);
        while let Some(a) = ancestor {
            if a.is_file() {
                std::fs::remove_file(a)?;
                break;
            }
            ancestor = a.parent();
        }
        std::fs::create_dir_all(parent)?;
    }
    std::fs::rename(staged, target)
}

/// How many files the output holds (hidden top-level entries aside), to
/// tell whether anything was added to it since the last build.
pub fn count_files(output: &Path) -> Option<usize> {
    let mut count = 0;
    let walker = walkdir::WalkDir::new(output)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| !(e.depth() == 1 && e.file_name().to_string_lossy().starts_with('.')));
    for entry in walker {
        if entry.ok()?.file_type().is_file() {
            count += 1;
        }
    }
    Some(count)
}

fn remove_listed(
    output: &Path,
    previous: &HashSet<String>,
    keep: &HashSet<PathBuf>,
) -> io::Result<Vec<String>> {
    let mut removed = Vec::new();
    for path in previous {
        let full = output.join(path);
        if keep.contains(&full) {
            continue;
        }
        match std::fs::remove_file(&full) {
            Ok(()) => removed.push(path.clone()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        // Folders left empty go too, up to the output root.
        let mut dir = full.parent();
        while let Some(d) = dir.filter(|d| *d != output) {
            if std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    Ok(removed)
}

fn remove_stale(output: &Path, keep: &HashSet<PathBuf>) -> io::Result<Vec<String>> {
    let mut removed = Vec::new();
    let mut dirs = Vec::new();
    let walker = walkdir::WalkDir::new(output)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| !(e.depth() == 1 && e.file_name().to_string_lossy().starts_with('.')));
    for entry in walker {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_dir() {
            dirs.push(entry.path().to_path_buf());
        } else if !keep.contains(entry.path()) {
            std::fs::remove_file(entry.path())?;
            let rel = entry.path().strip_prefix(output).unwrap_or(entry.path());
            removed.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    // Deepest first, so a folder emptied of stale folders goes too.
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for d in dirs {
        if std::fs::read_dir(&d)?.next().is_none() {
            std::fs::remove_dir(&d)?;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_outputs_that_overlap_the_sources() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("content/articles")).unwrap();
        for bad in [".", "content", "content/x", "templates", "static", ".."] {
            assert!(check_output_dir(root, &root.join(bad)).is_err(), "{bad}");
        }
        assert!(check_output_dir(root, &root.join("public")).is_ok());
        assert!(check_output_dir(root, &root.join("public/../out")).is_ok());
        assert!(check_output_dir(root, &root.join("public/../content")).is_err());
    }

    fn write(out: &Path, files: &[(&str, &str)]) -> WriteReport {
        let staging = Staging::new(out).unwrap();
        let mut written = Vec::new();
        let mut same = Vec::new();
        for (p, b) in files {
            let f = OutputFile {
                path: p.to_string(),
                bytes: b.as_bytes().to_vec(),
            };
            if staging.put(&f).unwrap() {
                written.push(f.path);
            } else {
                same.push(f.path);
            }
        }
        let keep: Vec<&String> = same.iter().collect();
        staging.commit(&written, &keep, None).unwrap()
    }

    #[test]
    fn unchanged_files_keep_their_mtime_and_stale_files_go() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let r = write(&out, &[("a/index.html", "a"), ("b/index.html", "b")]);
        assert_eq!((r.written, r.unchanged, r.removed), (2, 0, 0));
        std::fs::create_dir_all(out.join(".git")).unwrap();
        std::fs::write(out.join(".git/HEAD"), "x").unwrap();
        let before = std::fs::metadata(out.join("a/index.html"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let r = write(&out, &[("a/index.html", "a"), ("c.txt", "c")]);
        assert_eq!((r.written, r.unchanged, r.removed), (1, 1, 1));
        assert_eq!(
            r.changed,
            vec!["c.txt".to_string(), "b/index.html".to_string()]
        );
        let after = std::fs::metadata(out.join("a/index.html"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after);
        assert!(!out.join("b").exists(), "empty stale folder removed");
        assert!(
            out.join(".git/HEAD").exists(),
            "hidden top-level entries kept"
        );
        let staging_left = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(staging_left, 1, "only the output remains beside it");
    }

    #[test]
    fn an_abandoned_staging_leaves_the_output_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&out, &[("a/index.html", "old")]);
        let staging = Staging::new(&out).unwrap();
        let f = OutputFile {
            path: "a/index.html".into(),
            bytes: b"new".to_vec(),
        };
        assert!(staging.put(&f).unwrap());
        drop(staging);
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "old"
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "staging removed"
        );
    }
}
