//! Write: puts rendered files on disk. Only called once everything has
//! rendered, so a failed build never touches the output. Files whose bytes
//! did not change are left alone (their modification time too, so deploy
//! syncs move only what changed); files the build no longer produces are
//! removed.

use std::collections::HashSet;
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

/// Writes every file, skipping those already identical on disk, keeps the
/// `unchanged` ones as they are, then removes what the build no longer
/// produces. Hidden entries at the top of the output (`.git` of a deploy
/// checkout) are kept.
pub fn write_output(
    output: &Path,
    files: &[OutputFile],
    unchanged: &[String],
    previous: Option<&HashSet<String>>,
) -> io::Result<WriteReport> {
    std::fs::create_dir_all(output)?;
    let results: Vec<io::Result<bool>> = files
        .par_iter()
        .map(|f| write_if_changed(&output.join(&f.path), &f.bytes))
        .collect();
    let mut report = WriteReport {
        unchanged: unchanged.len(),
        ..WriteReport::default()
    };
    for (r, f) in results.into_iter().zip(files) {
        if r? {
            report.written += 1;
            report.changed.push(f.path.clone());
        } else {
            report.unchanged += 1;
        }
    }
    let keep: HashSet<PathBuf> = files
        .iter()
        .map(|f| output.join(&f.path))
        .chain(unchanged.iter().map(|p| output.join(p)))
        .collect();
    let removed = match previous {
        // The last build's list says what may be stale; no need to walk.
        Some(previous) => remove_listed(output, previous, &keep)?,
        None => remove_stale(output, &keep)?,
    };
    report.removed = removed.len();
    report.changed.extend(removed);
    Ok(report)
}

/// Returns whether the file was written.
fn write_if_changed(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    let existing = std::fs::metadata(path).ok();
    match &existing {
        Some(meta)
            if meta.is_file()
                && meta.len() == bytes.len() as u64
                && std::fs::read(path)? == bytes =>
        {
            return Ok(false);
        }
        Some(meta) if meta.is_dir() => std::fs::remove_dir_all(path)?,
        _ => {}
    }
    if let Some(parent) = path.parent() {
        if parent.is_file() {
            std::fs::remove_file(parent)?;
        }
        std::fs::create_dir_all(parent)?;
    }
    if !existing.as_ref().is_some_and(|m| m.is_file()) {
        // A new file: nothing to protect, so no detour through a temporary.
        std::fs::write(path, bytes)?;
        return Ok(true);
    }
    // Replace through a temporary beside the target and a rename, so a
    // reader (a preview, a web server) never sees half a file.
    let tmp = path.with_file_name(format!(
        ".{}.tmp-explainer",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    ));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)?;
    Ok(true)
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

    #[test]
    fn unchanged_files_keep_their_mtime_and_stale_files_go() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let f = |p: &str, b: &str| OutputFile {
            path: p.into(),
            bytes: b.as_bytes().to_vec(),
        };
        let r = write_output(
            &out,
            &[f("a/index.html", "a"), f("b/index.html", "b")],
            &[],
            None,
        )
        .unwrap();
        assert_eq!(
            r,
            WriteReport {
                written: 2,
                unchanged: 0,
                removed: 0,
                changed: vec!["a/index.html".into(), "b/index.html".into()],
            }
        );
        std::fs::create_dir_all(out.join(".git")).unwrap();
        std::fs::write(out.join(".git/HEAD"), "x").unwrap();
        let before = std::fs::metadata(out.join("a/index.html"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let r = write_output(&out, &[f("a/index.html", "a"), f("c.txt", "c")], &[], None).unwrap();
        assert_eq!(
            r,
            WriteReport {
                written: 1,
                unchanged: 1,
                removed: 1,
                changed: vec!["c.txt".into(), "b/index.html".into()],
            }
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
    }
}
