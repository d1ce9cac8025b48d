//! Write: puts rendered files on disk. Only called once everything has
//! rendered, so a failed build never touches the output. Files whose bytes
//! did not change are left alone (their modification time too, so deploy
//! syncs move only what changed). The output folder is owned, not assumed:
//! every build records the files it wrote in a manifest at the output
//! root, and only files recorded there (and no longer produced) are ever
//! removed; a folder holding anything else is refused unless taken over.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

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
    /// output, written first), so a preview knows which open pages to
    /// reload.
    pub changed: Vec<String>,
    /// The removed ones alone, sorted.
    pub removed_files: Vec<String>,
    /// The size and modification time (ns since the epoch) of each file
    /// moved into the output, as read from its staged copy before the
    /// move (a rename keeps both), so the build cache need not look every
    /// page up again.
    pub stamps: HashMap<String, (u64, u128)>,
}

/// How to change a file the site generates instead of replacing it with a
/// static file: a file named after the theme template that makes it
/// (`robots.txt`, any `feed.xml`, the front page's `index.html`) through
/// that template; any other page through its page kind's template.
fn generated_file_help(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let from_template = (name != "index.html" || path == name)
        && crate::render::theme::builtin_templates().any(|(template, _)| template == name);
    if from_template {
        format!(
            "rename or remove the static file; to change {path}, edit a copy of its template \
             at templates/{name} (`explainer theme export .` copies the theme's templates)"
        )
    } else {
        "rename or remove the static file; to change this page, edit a copy of its template \
         (`explainer theme export .` copies the theme's templates)"
            .to_string()
    }
}

/// The theme's static files and the generated `_headers`, with the site's
/// own `static/` laid over them (so `static/_headers`, `_redirects`,
/// `CNAME`, `.nojekyll` are published untouched); then the theme's
/// stylesheet and script get their hashed names
/// ([`theme::HASHED_ASSETS`]). A static file may not take the place of a
/// generated page; when that page is an alias's redirect (`aliases`, by
/// output path), the error is at the alias in its page's front matter
/// and names the static file.
///
/// A raster image (JPEG, PNG, WebP) has its metadata removed as it is
/// published, unless `images.keep_metadata` is set (see `media::strip`).
pub fn collect_static(
    root: &Path,
    generated: &[&str],
    aliases: &HashMap<String, &crate::resolve::redirects::Redirect>,
    images: &crate::config::ImagesConfig,
    report: &std::sync::Mutex<crate::media::MediaReport>,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let mut files: Vec<OutputFile> = theme::builtin_static()
        .map(|(path, bytes)| OutputFile {
            path,
            bytes: bytes.to_vec(),
        })
        .collect();
    files.push(OutputFile {
        path: "_headers".into(),
        bytes: theme::HEADERS.as_bytes().to_vec(),
    });
    let mut errors = Diagnostics::new();
    let dir = root.join("static");
    if dir.is_dir() {
        let generated: HashSet<&str> = generated.iter().copied().collect();
        // The folders the build writes into, each with one file it puts
        // there (the first by name, so the message is the same every
        // run): a static file of that name would stand where a folder
        // must go (`favicon.svg` against an alias's `favicon.svg/`).
        let mut folders: HashMap<&str, &str> = HashMap::default();
        for &path in &generated {
            for (at, _) in path.match_indices('/') {
                let first = folders.entry(&path[..at]).or_insert(path);
                *first = (*first).min(path);
            }
        }
        // Hidden files are copied too (`.well-known/`, `.nojekyll`).
        let (entries, walk_errors) = crate::load::walk_site_folder(root, &dir, false);
        errors.extend(walk_errors);
        for entry in entries {
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let path = rel.to_string_lossy().replace('\\', "/");
            if path == MANIFEST {
                errors.push(
                    Diagnostic::in_file(
                        &Path::new("static").join(rel),
                        1,
                        1,
                        format!("static file would replace the output's {MANIFEST}, the list of files explainer wrote"),
                    )
                    .with_help("rename or remove the static file"),
                );
                continue;
            }
            // The generated `_redirects` (of `aliases`) already starts
            // with the site's own rules.
            if path == "_redirects" && generated.contains(path.as_str()) {
                continue;
            }
            let shown = Path::new("static").join(rel);
            let at_alias = |to: &str, message: String| {
                aliases.get(to).map(|r| {
                    let mut d = (*r.at).clone();
                    d.message = message;
                    d.with_help("an alias may not take the place of a static file: remove the alias or rename the static file")
                })
            };
            if let Some(inside) = folders.get(path.as_str()) {
                let message = |alias: &str| {
                    format!(
                        "alias \"{alias}\" needs a folder where the static file {} is published",
                        shown.display()
                    )
                };
                if let Some(d) = aliases
                    .get(*inside)
                    .and_then(|r| at_alias(inside, message(&r.alias)))
                {
                    errors.push(d);
                    continue;
                }
                errors.push(
                    Diagnostic::in_file(
                        &Path::new("static").join(rel),
                        1,
                        1,
                        format!("static file stands where the site needs a folder (for {inside})"),
                    )
                    .with_help(
                        "rename or remove the static file, or the alias or page that writes there",
                    ),
                );
                continue;
            }
            if generated.contains(path.as_str()) {
                if let Some(d) = aliases.get(path.as_str()).and_then(|r| {
                    at_alias(
                        &path,
                        format!(
                            "alias \"{}\" is the URL of the static file {}",
                            r.alias,
                            shown.display()
                        ),
                    )
                }) {
                    errors.push(d);
                    continue;
                }
                errors.push(
                    Diagnostic::in_file(
                        &Path::new("static").join(rel),
                        1,
                        1,
                        format!("static file would replace the {path} the site generates"),
                    )
                    .with_help(generated_file_help(&path)),
                );
                continue;
            }
            match std::fs::read(entry.path()) {
                Ok(bytes) => {
                    let bytes = match crate::media::Format::from_path(&path) {
                        Some(format) => crate::media::clean(
                            &bytes,
                            format,
                            images,
                            &Path::new("static").join(rel),
                            report,
                        ),
                        None => match crate::media::publish_as_is(
                            bytes,
                            images,
                            &Path::new("static").join(rel),
                            report,
                        ) {
                            Ok(bytes) => bytes,
                            Err(d) => {
                                errors.push(d);
                                continue;
                            }
                        },
                    };
                    match files.iter_mut().find(|f| f.path == path) {
                        Some(f) => f.bytes = bytes,
                        None => files.push(OutputFile { path, bytes }),
                    }
                }
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
        // Renamed once the site's own copies are laid over the theme's,
        // so the hash is of the bytes published.
        for f in &mut files {
            if theme::HASHED_ASSETS.contains(&f.path.as_str()) {
                f.path = theme::hashed_name(&f.path, &f.bytes);
            }
        }
        Ok(files)
    } else {
        Err(errors)
    }
}

/// Whether a file name is Git's own folder however a file system may
/// spell it: `.git` in any case, with the trailing dots or spaces Windows
/// drops, or its 8.3 short name `git~1` (the spellings Git itself
/// refuses in a tree). Nothing is ever read into or written inside one.
pub fn is_git_name(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.trim_end_matches(['.', ' '])
        .eq_ignore_ascii_case(".git")
        || name.eq_ignore_ascii_case("git~1")
}

/// A path as quoted in a message: control characters (a file name may
/// hold a newline or an escape sequence) spelt out.
pub fn shown(path: &Path) -> String {
    crate::diagnostics::escape_controls(&path.display().to_string()).into_owned()
}

/// The file at the output root that lists every file the builds of this
/// tool wrote there: the only files a later build may remove. It is
/// deployed with the site, harmlessly: it names only files that are
/// published beside it.
pub const MANIFEST: &str = ".explainer-manifest";
const MANIFEST_HEADER: &str = "explainer-manifest 1";
/// The manifest's second line names the site that wrote the output by
/// [`site_id`], so one site never takes another's output for its own.
/// Manifests of versions before it have no such line and are taken as
/// the building site's (the line is added then).
const MANIFEST_SITE: &str = "# explainer site: ";

/// The identity of the site whose canonical root is `site`, as its
/// manifests record it: a digest of the path (xxh3, 128 bits, hex), not
/// the path itself, since the manifest is deployed with the site and a
/// path names the people and folders of the machine that built it. A
/// site folder that moves is another site until taken over once.
pub fn site_id(site: &Path) -> String {
    format!(
        "{:032x}",
        xxhash_rust::xxh3::xxh3_128(site.as_os_str().as_encoded_bytes())
    )
}

/// Refuses an output folder that a build must never write into or remove
/// files from, whatever it holds and however it is spelt (relative,
/// through a symlink, with a trailing slash): one inside a `.git` folder,
/// the file-system root, the home folder or a folder holding it, and one
/// that is, contains or lies inside the site's own sources or cache.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), String> {
    let root = absolutize(root);
    let out = absolutize(output);
    let refuse = |why: &str| {
        Err(format!(
            "refusing to use {} as the output folder: {why}",
            shown(output)
        ))
    };
    if out.is_file() {
        return Err(format!("output {} is a file, not a folder", shown(output)));
    }
    if std::fs::symlink_metadata(&out).is_ok_and(|m| m.file_type().is_symlink()) {
        return refuse("it is a symbolic link to a folder that does not exist");
    }
    if out.components().any(|c| is_git_name(c.as_os_str())) {
        return refuse("it is a Git repository's own .git folder, or inside one");
    }
    if out.parent().is_none() {
        return refuse("it is the root of the file system");
    }
    for home in home_dirs() {
        if out == home {
            return refuse("it is your home folder");
        }
        if home.starts_with(&out) {
            return refuse("it contains your home folder");
        }
    }
    if out == root || root.starts_with(&out) {
        return refuse("it contains the site itself");
    }
    for source in ["content", "templates", "static", ".explainer-cache"] {
        let dir = root.join(source);
        if out.starts_with(&dir) || dir.starts_with(&out) {
            return refuse(&format!("it overlaps the site's {source}/ folder"));
        }
    }
    if root.join("site.toml").starts_with(&out) {
        return refuse("it holds site.toml");
    }
    Ok(())
}

/// Where `explainer serve` builds unless `--output` names a folder: inside
/// the build cache, so a preview (drafts included) never touches the
/// deploy folder and is never deployed.
pub const PREVIEW_DIR: &str = ".explainer-cache/serve";

/// The preview's own folder of the site at `root`.
pub fn preview_dir(root: &Path) -> PathBuf {
    root.join(PREVIEW_DIR)
}

/// Claims the preview folder, which is ours by construction: no one else
/// writes inside `.explainer-cache/`. Returns the files earlier previews
/// wrote there (its manifest). A folder without a manifest (a preview
/// killed before its first commit, a cache edited by hand) is emptied.
/// Refused only when the cache or the folder is a symlink, which a build
/// never writes through.
pub fn claim_preview(root: &Path) -> Result<HashSet<String>, String> {
    let dir = preview_dir(root);
    for path in [root.join(".explainer-cache"), dir.clone()] {
        if std::fs::symlink_metadata(&path).is_ok_and(|m| !m.is_dir()) {
            return Err(format!(
                "{} is not a folder (a symbolic link?); explainer never writes through one\n  = help: remove it; it is rebuilt on the next run",
                path.display()
            ));
        }
    }
    if !dir.exists() {
        return Ok(HashSet::default());
    }
    if let Some(manifest) = read_manifest(&dir) {
        return Ok(manifest.files);
    }
    std::fs::remove_dir_all(&dir)
        .map_err(|e| format!("cannot empty the preview folder {}: {e}", dir.display()))?;
    Ok(HashSet::default())
}

/// The user's home folders, canonical: `$HOME`, and the home of the
/// current user's entry in the user database, which an unset or wrong
/// `$HOME` does not change.
fn home_dirs() -> Vec<PathBuf> {
    let mut homes: Vec<PathBuf> = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .into_iter()
        .chain(account_homes())
        .chain({
            #[allow(deprecated)] // fine on every platform since Rust 1.85
            std::env::home_dir()
        })
        .filter(|h| h.is_absolute())
        .map(|h| absolutize(&h))
        .collect();
    homes.sort();
    homes.dedup();
    homes
}

/// The home folders of the real and effective user in the user database
/// (`getpwuid_r`), which an attacker-set `$HOME` does not change.
#[cfg(unix)]
pub fn account_homes() -> Vec<PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    // SAFETY: getuid and geteuid cannot fail and touch no memory.
    let (uid, euid) = unsafe { (libc::getuid(), libc::geteuid()) };
    let mut homes = Vec::new();
    for id in [uid, euid] {
        let mut buf = vec![0 as libc::c_char; 4096];
        loop {
            // SAFETY: an all-zero `passwd` is a valid value (null pointers
            // and zero ids); getpwuid_r writes only into it and `buf`,
            // whose true length it is given, and sets `result` to null or
            // to `pwd`.
            let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
            let mut result: *mut libc::passwd = std::ptr::null_mut();
            let rc =
                unsafe { libc::getpwuid_r(id, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result) };
            if rc == libc::ERANGE && buf.len() < 1 << 20 {
                buf.resize(buf.len() * 2, 0);
                continue;
            }
            if rc == 0 && !result.is_null() && !pwd.pw_dir.is_null() {
                // SAFETY: on success `pw_dir` points to a NUL-terminated
                // string inside `buf`, which is still alive.
                let dir = unsafe { std::ffi::CStr::from_ptr(pwd.pw_dir) };
                if !dir.to_bytes().is_empty() {
                    homes.push(PathBuf::from(std::ffi::OsStr::from_bytes(dir.to_bytes())));
                }
            }
            break;
        }
    }
    homes
}

#[cfg(not(unix))]
pub fn account_homes() -> Vec<PathBuf> {
    Vec::new()
}

/// Decides whether a build may use `output`, before anything is touched,
/// and returns the files there that earlier builds wrote (relative,
/// `/`-separated): the only ones it may remove.
///
/// The folder is ours when it does not exist or is empty, when it holds a
/// [`MANIFEST`] (written by every build), or when the build cache of the
/// site records pages still in it exactly as written (an output of a
/// version that kept no manifest; `recorded` lists them). Anything else is
/// someone else's folder: refused unless `take_over` says to write there
/// anyway, and even then only files a build wrote are ever removed.
/// [`check_output_dir`] is applied first, and `take_over` never overrides it.
pub fn claim_output(
    root: &Path,
    output: &Path,
    take_over: bool,
    recorded: impl FnOnce() -> Vec<String>,
) -> Result<HashSet<String>, String> {
    check_output_dir(root, output)?;
    let out = absolutize(output);
    if !out.exists() {
        return Ok(HashSet::default());
    }
    let site = absolutize(root);
    if let Some(manifest) = read_manifest(&out) {
        match manifest.site {
            Some(other) if other != site_id(&site) => {
                if take_over {
                    // Its files are the other site's: kept, never removed.
                    return Ok(HashSet::default());
                }
                return Err(format!(
                    "refusing to build into {}: it is the output of another site (its manifest names site {other}, \
                     a site in another folder; this one is {}); nothing was touched\n  \
                     = help: build into a new or empty folder, or pass --take-over to write this site there \
                     (the other site's files are kept; a site folder that was moved needs it once too)",
                    shown(output),
                    site_id(&site)
                ));
            }
            _ => return Ok(manifest.files),
        }
    }
    let owned: HashSet<String> = recorded().into_iter().filter(|p| valid_entry(p)).collect();
    if !owned.is_empty() {
        return Ok(owned);
    }
    let mut entries: Vec<String> = std::fs::read_dir(&out)
        .map_err(|e| format!("cannot read the output folder {}: {e}", shown(output)))?
        .filter_map(|e| e.ok())
        .map(|e| shown(Path::new(&e.file_name())))
        .collect();
    if entries.is_empty() || take_over {
        return Ok(HashSet::default());
    }
    entries.sort();
    let more = entries.len().saturating_sub(3);
    let mut named = entries[..entries.len().min(3)].join(", ");
    if more > 0 {
        named.push_str(&format!(" and {more} more"));
    }
    Err(format!(
        "refusing to build into {}: it holds files that explainer did not write ({named}); nothing was touched\n  \
         = help: build into a new or empty folder, or pass --take-over to write the site into this folder \
         (explainer then only ever removes files it wrote itself)",
        shown(output)
    ))
}

/// A manifest as read from an output folder.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// The files a build wrote there.
    pub files: HashSet<String>,
    /// The [`site_id`] of the site that wrote them; `None` in a manifest
    /// written before the site was recorded.
    pub site: Option<String>,
}

/// The manifest of `output`, or `None` when it has none (or not one of
/// ours). Entries that a build could not have written (absolute, `..`,
/// inside `.git`) are dropped, so no manifest can make a build remove
/// anything outside its own files.
pub fn read_manifest(output: &Path) -> Option<Manifest> {
    let path = output.join(MANIFEST);
    if !std::fs::symlink_metadata(&path).ok()?.is_file() {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let mut lines = text.lines().peekable();
    if lines.next() != Some(MANIFEST_HEADER) {
        return None;
    }
    let decode = |l: &str| {
        percent_encoding::percent_decode_str(l)
            .decode_utf8()
            .ok()
            .map(|p| p.into_owned())
    };
    let site = lines
        .next_if(|l| l.starts_with(MANIFEST_SITE))
        .map(|l| l[MANIFEST_SITE.len()..].to_string());
    let files = lines
        .filter_map(decode)
        .filter(|p| valid_entry(p))
        .collect();
    Some(Manifest { files, site })
}

/// Whether the manifest of `output` names `site` (canonical) as the site
/// that wrote it; false for a manifest of an earlier version, which is
/// then rewritten.
pub fn manifest_names(output: &Path, site: &Path) -> bool {
    // Read like `read_manifest`: never through a symlink, which could
    // lead out of the output folder.
    let Some(bytes) = read_manifest_bytes(output) else {
        return false;
    };
    let text = String::from_utf8_lossy(&bytes);
    let mut lines = text.lines();
    lines.next() == Some(MANIFEST_HEADER)
        && lines
            .next()
            .is_some_and(|l| l == site_line(site).trim_end_matches('\n'))
}

fn site_line(site: &Path) -> String {
    format!("{MANIFEST_SITE}{}\n", site_id(site))
}

/// Whether a manifest entry names a file a build could have written.
fn valid_entry(path: &str) -> bool {
    !path.is_empty()
        && path != MANIFEST
        && !path.starts_with('/')
        && !path.contains(['\\', '\0'])
        && path
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != ".." && !is_git_name(s.as_ref()))
}

/// Characters escaped in manifest lines: controls (a file name may hold a
/// newline), `%` itself, and `#`, so no entry reads as the site line.
const MANIFEST_ESCAPES: &percent_encoding::AsciiSet =
    &percent_encoding::CONTROLS.add(b'%').add(b'#');

/// The manifest of `files`, written by the site at `site` (canonical).
/// Only entries a build may write are recorded (never one inside `.git`).
fn manifest_text(site: &Path, files: &HashSet<String>) -> String {
    let mut sorted: Vec<&String> = files.iter().filter(|p| valid_entry(p)).collect();
    sorted.sort();
    let mut text = String::with_capacity(sorted.len() * 40 + 256);
    text.push_str(MANIFEST_HEADER);
    text.push('\n');
    text.push_str(&site_line(site));
    for p in sorted {
        text.extend(percent_encoding::utf8_percent_encode(p, MANIFEST_ESCAPES));
        text.push('\n');
    }
    text
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
/// and no build holds the whole site in memory. Nothing is ever read,
/// written or removed through a symlink found inside the output.
pub struct Staging {
    output: PathBuf,
    /// The output folder did not exist when the build began.
    output_missing: bool,
    /// The canonical root of the site, recorded in the manifest.
    site: PathBuf,
    /// The staging folder beside the output, holding [`STAGING_MARKER`].
    holder: PathBuf,
    /// The staged files, in `holder`: for a first build this folder
    /// becomes the output.
    dir: PathBuf,
    /// Whether `holder` was made (with its marker).
    made: std::sync::OnceLock<()>,
    committed: bool,
    /// Folders of the output already seen to be real folders (no symlink
    /// on the way from the output root).
    real_dirs: Mutex<HashSet<PathBuf>>,
}

/// The file inside a staging folder that says explainer made it: a
/// folder of that name without it (someone else's) is never removed.
pub const STAGING_MARKER: &str = "explainer-staging";
const STAGING_MARKER_TEXT: &str =
    "A build of explainer stages its files here; removed when it ends.\n";

/// Why a commit did not happen or did not finish.
#[derive(Debug)]
pub enum CommitError {
    /// The output holds something the build must not write through or
    /// replace (a symlink, a file or folder that is not the build's own);
    /// nothing was touched.
    Refused(String),
    /// The file system failed part-way.
    Io(io::Error),
}

impl std::fmt::Display for CommitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CommitError::Refused(m) => f.write_str(m),
            CommitError::Io(e) => e.fmt(f),
        }
    }
}

impl From<io::Error> for CommitError {
    fn from(e: io::Error) -> Self {
        CommitError::Io(e)
    }
}

/// What stands at a path of the output.
enum Found {
    Nothing,
    File,
    Dir,
    Link,
}

fn found(path: &Path) -> io::Result<Found> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Ok(Found::Link),
        Ok(m) if m.is_dir() => Ok(Found::Dir),
        Ok(_) => Ok(Found::File),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Found::Nothing),
        Err(e) => Err(e),
    }
}

impl Staging {
    /// Prepares the staging of a build of the site at `root` into
    /// `output`. A staging folder left beside the output by a build that
    /// was killed is removed, but only when it is ours (it holds
    /// [`STAGING_MARKER`], or nothing); anything else of that name is
    /// refused, untouched.
    pub fn new(output: &Path, root: &Path) -> io::Result<Staging> {
        let output = absolutize(output);
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".into());
        let parent = output.parent().unwrap_or(&output).to_path_buf();
        let holder = parent.join(format!(".{name}.explainer-staging"));
        // The folder itself is made only when the first file is staged, so
        // a build that fails before rendering touches nothing at all.
        match found(&holder)? {
            Found::Nothing => {}
            Found::Dir if std::fs::remove_dir(&holder).is_ok() => {}
            Found::Dir if matches!(found(&holder.join(STAGING_MARKER))?, Found::File) => {
                std::fs::remove_dir_all(&holder)?
            }
            _ => {
                return Err(io::Error::other(format!(
                    "{} is in the way of the build's staging folder and was not made by explainer; nothing was touched\n  \
                     = help: move it away, or build into another folder",
                    shown(&holder)
                )))
            }
        }
        let output_missing = matches!(found(&output)?, Found::Nothing);
        Ok(Staging {
            output_missing,
            output,
            site: absolutize(root),
            dir: holder.join("site"),
            holder,
            made: std::sync::OnceLock::new(),
            committed: false,
            real_dirs: Mutex::new(HashSet::default()),
        })
    }

    /// Makes the staging folder and its marker, once.
    fn make_holder(&self) -> io::Result<()> {
        if self.made.get().is_some() {
            return Ok(());
        }
        std::fs::create_dir_all(&self.holder)?;
        std::fs::write(self.holder.join(STAGING_MARKER), STAGING_MARKER_TEXT)?;
        std::fs::create_dir_all(&self.dir)?;
        let _ = self.made.set(());
        Ok(())
    }

    /// Stages a file unless the output already holds exactly these bytes;
    /// returns whether it was staged.
    /// A path that could lead out of the output or into a `.git` folder
    /// is refused: nothing is ever written inside one.
    pub fn put(&self, file: &OutputFile) -> io::Result<bool> {
        if !valid_entry(&file.path) {
            return Err(io::Error::other(refused_path(&file.path)));
        }
        let target = self.output.join(&file.path);
        // Compared only when it is a plain file reached without a symlink:
        // anything else (a file where a folder must go, say) is staged, and
        // the commit says what is wrong. Into an output folder that did not
        // exist, every file is new: nothing to look up.
        let plain = !self.output_missing
            && matches!(found(&target), Ok(Found::File))
            && target.parent().is_some_and(|p| self.is_real_dir(p));
        if plain {
            let meta = std::fs::symlink_metadata(&target)?;
            if meta.len() == file.bytes.len() as u64 && std::fs::read(&target)? == file.bytes {
                return Ok(false);
            }
        }
        self.make_holder()?;
        let staged = self.dir.join(&file.path);
        if let Some(parent) = staged.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(staged, &file.bytes)?;
        Ok(true)
    }

    /// Whether `dir` (inside the output, or the output itself) is a real
    /// folder and no folder between it and the output root is a symlink.
    fn is_real_dir(&self, dir: &Path) -> bool {
        if dir == self.output {
            return true;
        }
        if let Ok(known) = self.real_dirs.lock() {
            if known.contains(dir) {
                return true;
            }
        }
        let real = dir.starts_with(&self.output)
            && matches!(found(dir), Ok(Found::Dir))
            && dir.parent().is_some_and(|p| self.is_real_dir(p));
        if real {
            if let Ok(mut known) = self.real_dirs.lock() {
                known.insert(dir.to_path_buf());
            }
        }
        real
    }

    /// Moves the staged files into the output, records every file of this
    /// build (`written` and `keep`) in the output's manifest, and removes
    /// the files of `owned` (what earlier builds wrote, from
    /// [`claim_output`]) that this build no longer produces. No other file
    /// is ever removed.
    ///
    /// First every target is checked: a symlink on the way to it, or a
    /// file or folder in its place that no build wrote, refuses the whole
    /// commit before anything is touched.
    pub fn commit(
        mut self,
        written: &[String],
        keep: &[&String],
        owned: &HashSet<String>,
    ) -> Result<WriteReport, CommitError> {
        self.committed = true;
        let produced: HashSet<String> = written
            .iter()
            .chain(keep.iter().copied())
            .cloned()
            .collect();
        let stale: Vec<&String> = owned.iter().filter(|p| !produced.contains(*p)).collect();
        let stale_set: HashSet<&str> = stale.iter().map(|s| s.as_str()).collect();
        let mut report = WriteReport {
            written: written.len(),
            unchanged: keep.len(),
            ..WriteReport::default()
        };
        if let Some(bad) = produced.iter().find(|p| !valid_entry(p)) {
            return Err(CommitError::Refused(refused_path(bad)));
        }
        // A path listed twice (two files spelled alike, say, on a file
        // system that ignores case) is moved once.
        let mut once: HashSet<&str> = HashSet::default();
        let written: Vec<String> = written
            .iter()
            .filter(|p| once.insert(p.as_str()))
            .cloned()
            .collect();
        report.written = written.len();
        report.changed.extend(written.iter().cloned());
        // Every file about to move must be staged, as a plain file, before
        // anything in the output changes: a move that failed half-way
        // would leave the output neither the old site nor the new one.
        report.stamps = self.check_staged(&written)?;
        let output_exists = std::fs::symlink_metadata(&self.output).is_ok();
        if output_exists {
            self.check_targets(&written, &stale_set)?;
            let manifest = self.output.join(MANIFEST);
            if !matches!(found(&manifest)?, Found::Nothing | Found::File) {
                return Err(CommitError::Refused(format!(
                    "cannot write {}: it is not a plain file; nothing was touched\n  \
                     = help: move it away, or build into another folder",
                    shown(&manifest)
                )));
            }
        }
        if !output_exists {
            // A first build: the staging folder, manifest included,
            // becomes the output.
            self.make_holder()?;
            std::fs::write(
                self.dir.join(MANIFEST),
                manifest_text(&self.site, &produced),
            )?;
            std::fs::rename(&self.dir, &self.output)?;
            return Ok(report);
        }
        // While files move, the manifest lists both the old and the new
        // ones, so a commit cut short leaves nothing of ours unrecorded.
        // A manifest that does not yet name this site is rewritten.
        let all: HashSet<String> = owned.union(&produced).cloned().collect();
        // The manifest as it was, put back if the commit fails before any
        // file of the output was removed or replaced.
        let previous = read_manifest_bytes(&self.output);
        if all != *owned || !manifest_names(&self.output, &self.site) {
            self.write_manifest(&all)?;
        }
        let mut removed = Vec::new();
        if let Err(e) = self.remove_stale(&stale, &mut removed) {
            if removed.is_empty() {
                self.restore_manifest(previous);
            }
            return Err(e.into());
        }
        removed.sort();
        written
            .par_iter()
            .map(|path| move_into_place(&self.dir.join(path), &self.output.join(path)))
            .collect::<io::Result<()>>()?;
        if all != produced {
            self.write_manifest(&produced)?;
        }
        report.removed = removed.len();
        report.changed.extend(removed.iter().cloned());
        report.removed_files = removed;
        Ok(report)
    }

    /// Refuses a commit that would write through a symlink inside the
    /// output, or replace a file or folder no build wrote (other than by a
    /// file of the same name).
    fn check_targets(&self, written: &[String], stale: &HashSet<&str>) -> Result<(), CommitError> {
        let mut real: HashSet<PathBuf> = HashSet::default();
        let refuse = |path: &Path, why: &str, help: &str| {
            Err(CommitError::Refused(format!(
                "cannot write {}: {why}; nothing was touched\n  = help: {help}",
                shown(path)
            )))
        };
        for rel in written {
            let mut at = self.output.clone();
            let parts: Vec<&str> = rel.split('/').collect();
            for (i, part) in parts.iter().enumerate() {
                at.push(part);
                let last = i + 1 == parts.len();
                if !last && real.contains(&at) {
                    continue;
                }
                let here = parts[..=i].join("/");
                match found(&at)? {
                    Found::Nothing => break,
                    Found::Link => {
                        let target = std::fs::read_link(&at)
                            .map(|t| format!(" (to {})", shown(&t)))
                            .unwrap_or_default();
                        return refuse(
                            &at,
                            &format!(
                                "{} is a symbolic link{target}, and explainer never writes through links inside the output",
                                shown(&at)
                            ),
                            "remove the link, or build into another folder",
                        );
                    }
                    Found::Dir if !last => {
                        real.insert(at.clone());
                    }
                    Found::File if last => {}
                    Found::File if stale.contains(here.as_str()) => break,
                    Found::Dir if self.only_stale_files(&at, &here, stale) => break,
                    Found::File if !last => {
                        return Err(CommitError::Refused(format!(
                            "cannot write the site into {}: {} is a file where the site needs a folder (for {rel}), \
                             and explainer did not write it; nothing was touched\n  \
                             = help: move the file away, or build into another folder",
                            shown(&self.output),
                            shown(&at)
                        )));
                    }
                    Found::File | Found::Dir => {
                        return refuse(
                            &at,
                            &format!(
                                "{} stands in its way and was not written by explainer",
                                shown(&at)
                            ),
                            "move it away, or build into another folder",
                        );
                    }
                }
            }
        }
        Ok(())
    }

    /// Whether the folder `dir` (`rel` in the output) holds nothing but
    /// files a build wrote and this one removes.
    fn only_stale_files(&self, dir: &Path, rel: &str, stale: &HashSet<&str>) -> bool {
        walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .all(|e| match e {
                Ok(e) if e.file_type().is_dir() => true,
                Ok(e) if e.file_type().is_file() => e
                    .path()
                    .strip_prefix(dir)
                    .map(|p| {
                        let p = p.to_string_lossy().replace('\\', "/");
                        stale.contains(format!("{rel}/{p}").as_str())
                    })
                    .unwrap_or(false),
                _ => false,
            })
    }

    /// Writes the manifest: staged beside the output, then renamed in.
    fn write_manifest(&self, files: &HashSet<String>) -> io::Result<()> {
        self.make_holder()?;
        let tmp = self.dir.join(MANIFEST);
        std::fs::write(&tmp, manifest_text(&self.site, files))?;
        let target = self.output.join(MANIFEST);
        if matches!(found(&target)?, Found::Dir) {
            return Err(io::Error::other(format!(
                "{} is a folder",
                target.display()
            )));
        }
        std::fs::rename(tmp, target)
    }

    /// Removes the files of earlier builds that this one no longer
    /// produces, then the folders they leave empty. A path that now leads
    /// through a symlink, or is no longer a plain file, is left alone.
    /// Each removed file is pushed to `removed` as it goes, so a caller
    /// knows what a failure part-way left.
    fn remove_stale(&self, stale: &[&String], removed: &mut Vec<String>) -> io::Result<()> {
        for path in stale {
            let full = self.output.join(path);
            let reachable = full.parent().is_some_and(|p| self.is_real_dir(p));
            if !reachable || !matches!(found(&full)?, Found::File) {
                continue;
            }
            match std::fs::remove_file(&full) {
                Ok(()) => removed.push((*path).clone()),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
            // Folders left empty go too, up to the output root.
            let mut dir = full.parent();
            while let Some(d) = dir.filter(|d| *d != self.output) {
                if std::fs::remove_dir(d).is_err() {
                    break;
                }
                if let Ok(mut known) = self.real_dirs.lock() {
                    known.remove(d);
                }
                dir = d.parent();
            }
        }
        Ok(())
    }

    /// Refuses a commit when a file it is about to move is not staged (as
    /// a plain file): nothing in the output has been touched yet.
    /// Checks every staged file is there as a plain file, looking them up
    /// on all cores; returns the size and modification time of each (see
    /// [`WriteReport::stamps`]). The first missing one in `written`'s order
    /// is the one reported.
    fn check_staged(
        &self,
        written: &[String],
    ) -> Result<HashMap<String, (u64, u128)>, CommitError> {
        let looked_up: Vec<Option<Option<(u64, u128)>>> = written
            .par_iter()
            .map(|rel| staged_stamp(&self.dir.join(rel)))
            .collect();
        if let Some(i) = looked_up.iter().position(Option::is_none) {
            let rel = &written[i];
            return Err(CommitError::Refused(format!(
                "cannot write {}: its staged copy {} is missing; nothing was touched\n  \
                 = help: make sure no other build of this site runs at the same time, then build again",
                shown(&self.output.join(rel)),
                shown(&self.dir.join(rel))
            )));
        }
        Ok(written
            .iter()
            .zip(looked_up)
            .filter_map(|(rel, stamp)| Some((rel.clone(), stamp??)))
            .collect())
    }

    /// Puts back the manifest read before the commit began (`None`: there
    /// was none, so the one written is removed). Best effort: the commit
    /// already failed, and this error is the one reported.
    fn restore_manifest(&self, previous: Option<Vec<u8>>) {
        let target = self.output.join(MANIFEST);
        match previous {
            Some(bytes) => {
                let tmp = self.dir.join(MANIFEST);
                if std::fs::write(&tmp, bytes).is_ok() {
                    let _ = std::fs::rename(tmp, target);
                }
            }
            None => {
                if matches!(found(&target), Ok(Found::File)) {
                    let _ = std::fs::remove_file(target);
                }
            }
        }
    }
}

/// The bytes of the manifest of `output` when it is a plain file (never
/// read through a symlink).
fn read_manifest_bytes(output: &Path) -> Option<Vec<u8>> {
    let path = output.join(MANIFEST);
    if !std::fs::symlink_metadata(&path).ok()?.is_file() {
        return None;
    }
    std::fs::read(path).ok()
}

impl Drop for Staging {
    fn drop(&mut self) {
        // After a failed build the staged files go; after a commit, what is
        // left of the staging folder (its emptied sub-folders) goes too.
        if self.made.get().is_some() {
            let _ = std::fs::remove_dir_all(&self.holder);
        }
    }
}

/// The error for an output path a build may not write: one inside a
/// `.git` folder (or leading out of the output).
fn refused_path(path: &str) -> String {
    format!(
        "refusing to write {} into the output: explainer never writes inside a .git folder or outside the output",
        shown(Path::new(path))
    )
}

/// `None` unless `staged` is a plain file (as [`found`] says: no folder, no
/// symlink); then its size and modification time, if the clock can say.
fn staged_stamp(staged: &Path) -> Option<Option<(u64, u128)>> {
    let meta = std::fs::symlink_metadata(staged).ok()?;
    let kind = meta.file_type();
    if kind.is_symlink() || kind.is_dir() {
        return None;
    }
    let mtime_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos());
    Some(mtime_ns.map(|m| (meta.len(), m)))
}

/// Moves `staged` to `target` in one rename (the commit has checked that
/// nothing but a file of the same name, or a stale file or folder of an
/// earlier build, already removed, stands there).
fn move_into_place(staged: &Path, target: &Path) -> io::Result<()> {
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::rename(staged, target)
}

/// Whether the output still holds every file `owned` lists, as plain
/// files: a file of the last build deleted by hand means a real build.
pub fn all_present(output: &Path, owned: &HashSet<String>) -> bool {
    owned
        .par_iter()
        .all(|p| matches!(found(&output.join(p)), Ok(Found::File)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_outputs_that_overlap_the_sources() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("content/articles")).unwrap();
        for bad in [
            ".",
            "content",
            "content/x",
            "templates",
            "static",
            "..",
            ".explainer-cache",
            ".git",
            ".git/",
            "x/.git/y",
            "x/.GIT",
        ] {
            assert!(check_output_dir(root, &root.join(bad)).is_err(), "{bad}");
        }
        assert!(check_output_dir(root, &root.join("public")).is_ok());
        assert!(check_output_dir(root, &root.join("public/../out")).is_ok());
        assert!(check_output_dir(root, &root.join("public/../content")).is_err());
        assert!(check_output_dir(root, Path::new("/")).is_err());
    }

    fn write_owned(out: &Path, files: &[(&str, &str)]) -> WriteReport {
        let owned = read_manifest(&absolutize(out)).unwrap_or_default().files;
        let staging = Staging::new(out, out.parent().unwrap()).unwrap();
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
        staging.commit(&written, &keep, &owned).unwrap()
    }

    #[test]
    fn unchanged_files_keep_their_mtime_and_only_our_stale_files_go() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let r = write_owned(&out, &[("a/index.html", "a"), ("b/index.html", "b")]);
        assert_eq!((r.written, r.unchanged, r.removed), (2, 0, 0));
        assert!(out.join(MANIFEST).is_file());
        std::fs::create_dir_all(out.join(".git")).unwrap();
        std::fs::write(out.join(".git/HEAD"), "x").unwrap();
        std::fs::write(out.join("b/notes.txt"), "mine").unwrap();
        std::fs::write(out.join("mine.txt"), "mine").unwrap();
        let before = std::fs::metadata(out.join("a/index.html"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let r = write_owned(&out, &[("a/index.html", "a"), ("c.txt", "c")]);
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
        assert!(!out.join("b/index.html").exists(), "our stale file removed");
        assert_eq!(
            std::fs::read_to_string(out.join("b/notes.txt")).unwrap(),
            "mine"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("mine.txt")).unwrap(),
            "mine"
        );
        assert!(out.join(".git/HEAD").exists());
        let listed = read_manifest(&out).unwrap().files;
        let mut listed: Vec<_> = listed.into_iter().collect();
        listed.sort();
        assert_eq!(listed, ["a/index.html", "c.txt"]);
        // An emptied folder of ours goes.
        write_owned(&out, &[("a/index.html", "a")]);
        assert!(!out.join("c.txt").exists());
        let staging_left = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(staging_left, 1, "only the output remains beside it");
    }

    /// Every file and link under `dir` with its bytes (or link target).
    fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut all: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.unwrap())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
                let bytes = if e.path_is_symlink() {
                    std::fs::read_link(e.path())
                        .unwrap()
                        .display()
                        .to_string()
                        .into_bytes()
                } else if e.file_type().is_file() {
                    std::fs::read(e.path()).unwrap()
                } else {
                    b"folder".to_vec()
                };
                (rel, bytes)
            })
            .collect();
        all.sort();
        all
    }

    #[test]
    fn a_file_missing_from_the_staging_leaves_the_output_byte_identical() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_owned(&out, &[("a/index.html", "a"), ("b/index.html", "b")]);
        let before = snapshot(&out);
        let owned = read_manifest(&out).unwrap().files;
        let staging = Staging::new(&out, dir.path()).unwrap();
        let f = OutputFile {
            path: "a/index.html".into(),
            bytes: b"new".to_vec(),
        };
        assert!(staging.put(&f).unwrap());
        // b/index.html is stale (this build does not make it), and
        // c.html is listed but was never staged.
        let written = vec!["a/index.html".to_string(), "c.html".to_string()];
        let Err(CommitError::Refused(message)) = staging.commit(&written, &[], &owned) else {
            panic!("a commit with a file missing from its staging must fail")
        };
        assert!(message.contains("c.html"), "{message}");
        assert!(message.contains("nothing was touched"), "{message}");
        assert_eq!(snapshot(&out), before, "the output is byte-identical");
    }

    #[test]
    fn the_first_missing_staged_copy_in_order_is_the_one_reported() {
        // The staged copies are looked up on all cores; the message must
        // still name the first missing file, as the loop it replaces did.
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_owned(&out, &[("a/index.html", "a")]);
        let owned = read_manifest(&out).unwrap().files;
        let staging = Staging::new(&out, dir.path()).unwrap();
        for path in ["a/index.html", "z.html"] {
            let f = OutputFile {
                path: path.into(),
                bytes: b"new".to_vec(),
            };
            assert!(staging.put(&f).unwrap());
        }
        let mut written: Vec<String> = (0..200).map(|i| format!("m{i:03}.html")).collect();
        written.insert(0, "a/index.html".into());
        written.insert(1, "z.html".into());
        let Err(CommitError::Refused(message)) = staging.commit(&written, &[], &owned) else {
            panic!("a commit with files missing from its staging must fail")
        };
        assert!(message.contains("m000.html"), "{message}");
        assert!(!message.contains("m001.html"), "{message}");
    }

    #[test]
    fn the_stamps_of_a_commit_are_what_the_output_files_say() {
        // The build cache takes these instead of reading each page's size
        // and time back from disk: they must be exactly what a lookup of
        // the moved file returns, on a first build (the staging folder
        // becomes the output) and on a later one (files moved one by one).
        let stat = |p: &Path| {
            let m = std::fs::metadata(p).unwrap();
            let t = m.modified().unwrap().duration_since(std::time::UNIX_EPOCH);
            (m.len(), t.unwrap().as_nanos())
        };
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        for (files, paths) in [
            (
                [("a/index.html", "a"), ("b/c/index.html", "bb")],
                vec!["a/index.html", "b/c/index.html"],
            ),
            (
                [("a/index.html", "a"), ("b/c/index.html", "new")],
                vec!["b/c/index.html"],
            ),
        ] {
            let report = write_owned(&out, &files);
            let mut stamped: Vec<&str> = report.stamps.keys().map(String::as_str).collect();
            stamped.sort();
            assert_eq!(stamped, paths);
            for p in paths {
                assert_eq!(report.stamps[p], stat(&out.join(p)), "{p}");
            }
        }
    }

    #[test]
    fn a_path_listed_twice_is_moved_once() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_owned(&out, &[("a/index.html", "a")]);
        let owned = read_manifest(&out).unwrap().files;
        let staging = Staging::new(&out, dir.path()).unwrap();
        let f = OutputFile {
            path: "a/index.html".into(),
            bytes: b"new".to_vec(),
        };
        assert!(staging.put(&f).unwrap());
        let written = vec!["a/index.html".to_string(), "a/index.html".to_string()];
        let report = staging.commit(&written, &[], &owned).unwrap();
        assert_eq!(report.written, 1);
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"new");
    }

    #[cfg(unix)]
    #[test]
    fn a_manifest_is_never_read_through_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_owned(&out, &[("a/index.html", "a")]);
        let site = absolutize(out.parent().unwrap());
        assert!(manifest_names(&out, &site));
        // The manifest replaced by a link to a copy of itself outside the
        // output: no longer read.
        let outside = dir.path().join("elsewhere");
        std::fs::rename(out.join(MANIFEST), &outside).unwrap();
        std::os::unix::fs::symlink(&outside, out.join(MANIFEST)).unwrap();
        assert!(!manifest_names(&out, &site));
        assert!(read_manifest(&out).is_none());
    }

    #[test]
    fn manifest_entries_are_escaped_and_never_lead_out() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let files: HashSet<String> = ["a\nb.txt", "50%.txt", "x/y.html"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        std::fs::write(out.join(MANIFEST), manifest_text(out, &files)).unwrap();
        let read = read_manifest(out).unwrap();
        assert_eq!(read.files, files);
        assert_eq!(read.site, Some(site_id(out)));
        let hostile = format!(
            "{MANIFEST_HEADER}\n../thesis.pdf\n/etc/passwd\n.git/config\na/../../b\na//b\nok.html\n"
        );
        std::fs::write(out.join(MANIFEST), hostile).unwrap();
        let read: Vec<String> = read_manifest(out).unwrap().files.into_iter().collect();
        assert_eq!(read, ["ok.html"]);
        std::fs::write(out.join(MANIFEST), "something else\nok.html\n").unwrap();
        assert!(read_manifest(out).is_none());
    }

    #[test]
    fn claims_only_new_empty_recorded_or_taken_over_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        let out = dir.path().join("out");
        let none = Vec::new;
        assert!(claim_output(&root, &out, false, none).unwrap().is_empty());
        std::fs::create_dir_all(&out).unwrap();
        assert!(claim_output(&root, &out, false, none).unwrap().is_empty());
        std::fs::write(out.join("thesis.pdf"), "x").unwrap();
        let err = claim_output(&root, &out, false, none).unwrap_err();
        assert!(
            err.contains("thesis.pdf") && err.contains("--take-over"),
            "{err}"
        );
        assert!(claim_output(&root, &out, true, none).unwrap().is_empty());
        let recorded = || vec!["index.html".to_string(), "../x".to_string()];
        let owned = claim_output(&root, &out, false, recorded).unwrap();
        assert_eq!(owned.into_iter().collect::<Vec<_>>(), ["index.html"]);
        assert!(claim_output(&root, &out.join(".git"), true, none).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn never_writes_or_removes_through_a_symlink_in_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("index.html"), "theirs").unwrap();
        write_owned(&out, &[("a/index.html", "a"), ("b/index.html", "b")]);
        std::fs::remove_dir_all(out.join("a")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("a")).unwrap();
        let owned = read_manifest(&out).unwrap().files;
        let staging = Staging::new(&out, dir.path()).unwrap();
        let f = OutputFile {
            path: "a/index.html".into(),
            bytes: b"theirs".to_vec(),
        };
        assert!(staging.put(&f).unwrap(), "not compared through the link");
        let written = vec![f.path.clone()];
        let Err(CommitError::Refused(message)) = staging.commit(&written, &[], &owned) else {
            panic!("wrote through a symlink")
        };
        assert!(message.contains("symbolic link"), "{message}");
        assert_eq!(
            std::fs::read_to_string(elsewhere.join("index.html")).unwrap(),
            "theirs"
        );
        assert!(out.join("b/index.html").exists(), "nothing touched");
        // Stale removal does not follow it either.
        let staging = Staging::new(&out, dir.path()).unwrap();
        staging.commit(&[], &[], &owned).unwrap();
        assert_eq!(
            std::fs::read_to_string(elsewhere.join("index.html")).unwrap(),
            "theirs"
        );
    }

    #[test]
    fn an_abandoned_staging_leaves_the_output_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_owned(&out, &[("a/index.html", "old")]);
        let staging = Staging::new(&out, dir.path()).unwrap();
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

    #[test]
    fn nothing_is_ever_written_or_recorded_inside_a_git_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_owned(&out, &[("index.html", "a")]);
        for bad in [
            ".git/config",
            "sub/.git",
            "a/.GIT/hooks/x",
            ".git./x",
            "GIT~1/config",
            "../x",
        ] {
            let staging = Staging::new(&out, dir.path()).unwrap();
            let f = OutputFile {
                path: bad.into(),
                bytes: b"x".to_vec(),
            };
            let err = staging.put(&f).unwrap_err();
            assert!(err.to_string().contains(".git folder"), "{bad}: {err}");
            // Nor can a commit be asked to move or record one.
            let staging = Staging::new(&out, dir.path()).unwrap();
            let written = vec![bad.to_string()];
            assert!(matches!(
                staging.commit(&written, &[], &HashSet::default()),
                Err(CommitError::Refused(_))
            ));
        }
        assert!(!out.join(".git").exists() && !out.join("sub").exists());
        let files: HashSet<String> = [".git/config", "ok.html"]
            .map(String::from)
            .into_iter()
            .collect();
        assert!(!manifest_text(dir.path(), &files).contains(".git"));
    }

    #[test]
    fn a_manifest_names_its_site_and_another_site_s_output_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        let out = a.join("public");
        let staging = Staging::new(&out, &a).unwrap();
        let f = OutputFile {
            path: "index.html".into(),
            bytes: b"a".to_vec(),
        };
        staging.put(&f).unwrap();
        staging
            .commit(std::slice::from_ref(&f.path), &[], &HashSet::default())
            .unwrap();
        let manifest = read_manifest(&out).unwrap();
        assert_eq!(manifest.site, Some(site_id(&absolutize(&a))));
        assert!(manifest_names(&out, &absolutize(&a)));
        let none = Vec::new;
        assert_eq!(claim_output(&a, &out, false, none).unwrap().len(), 1);
        let err = claim_output(&b, &out, false, none).unwrap_err();
        assert!(
            err.contains("another site") && err.contains("--take-over"),
            "{err}"
        );
        // Taken over, the other site's files are not this one's to remove.
        assert!(claim_output(&b, &out, true, none).unwrap().is_empty());
        // A manifest of an earlier version (no site line) is ours, and
        // gets the line at the next commit.
        std::fs::write(
            out.join(MANIFEST),
            format!("{MANIFEST_HEADER}\nindex.html\n"),
        )
        .unwrap();
        let owned = claim_output(&b, &out, false, none).unwrap();
        assert_eq!(owned.len(), 1);
        let staging = Staging::new(&out, &b).unwrap();
        assert!(!staging.put(&f).unwrap(), "unchanged");
        let keep = vec![&f.path];
        staging.commit(&[], &keep, &owned).unwrap();
        assert!(manifest_names(&out, &absolutize(&b)));
        // A file named like the site line is escaped, never taken for it.
        let odd: HashSet<String> = ["# explainer site: /x".to_string()].into_iter().collect();
        let text = manifest_text(&a, &odd);
        std::fs::write(out.join(MANIFEST), text).unwrap();
        assert_eq!(read_manifest(&out).unwrap().files, odd);
    }

    #[test]
    fn only_our_own_leftover_staging_folder_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let holder = dir.path().join(".public.explainer-staging");
        std::fs::create_dir_all(holder.join("work")).unwrap();
        std::fs::write(holder.join("work/draft.txt"), "mine").unwrap();
        let err = Staging::new(&out, dir.path()).err().unwrap();
        assert!(err.to_string().contains("not made by explainer"), "{err}");
        assert!(holder.join("work/draft.txt").is_file());
        std::fs::remove_dir_all(&holder).unwrap();
        // A staging folder of a build that was killed holds the marker.
        let staging = Staging::new(&out, dir.path()).unwrap();
        let f = OutputFile {
            path: "a.html".into(),
            bytes: b"a".to_vec(),
        };
        staging.put(&f).unwrap();
        assert!(holder.join(STAGING_MARKER).is_file());
        std::mem::forget(staging);
        assert!(Staging::new(&out, dir.path()).is_ok());
        assert!(!holder.exists());
        // An empty folder of that name is harmless to remove.
        std::fs::create_dir_all(&holder).unwrap();
        assert!(Staging::new(&out, dir.path()).is_ok());
    }

    #[test]
    fn a_file_where_a_folder_must_go_is_named_before_anything_is_touched() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("articles"), "my notes").unwrap();
        let staging = Staging::new(&out, dir.path()).unwrap();
        let files = [("index.html", "i"), ("articles/index.html", "a")];
        let mut written = Vec::new();
        for (p, b) in files {
            let f = OutputFile {
                path: p.into(),
                bytes: b.as_bytes().to_vec(),
            };
            assert!(staging.put(&f).unwrap());
            written.push(f.path);
        }
        let Err(CommitError::Refused(message)) = staging.commit(&written, &[], &HashSet::default())
        else {
            panic!("committed over a file")
        };
        assert!(
            message.contains("public: ") && message.contains("public/articles is a file"),
            "{message}"
        );
        assert!(!out.join("index.html").exists(), "nothing touched");
        assert_eq!(
            std::fs::read_to_string(out.join("articles")).unwrap(),
            "my notes"
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_account_s_home_is_known_without_home() {
        // The user database always has an entry for the user running the
        // tests; its home is refused whatever $HOME says.
        let homes = account_homes();
        assert!(!homes.is_empty());
        let site = tempfile::tempdir().unwrap();
        for home in homes.into_iter().filter(|h| h.parent().is_some()) {
            let err = check_output_dir(site.path(), &home).unwrap_err();
            assert!(err.contains("home folder"), "{err}");
        }
    }
}
