//! Media: files beside a page (page bundles), paths in bodies resolved
//! and checked, responsive variants of raster images, and their
//! metadata removed.
//!
//! Resolve asks [`PageMedia::resolve`] for each image and file link of a
//! body (and a front-matter `image`): a relative path is looked up in the
//! page's bundle (`content/<section>/<slug>/`), a `/` path in `static/`,
//! and either is rewritten to a URL relative to the page. A raster image
//! (JPEG, PNG, WebP) is read only as far as its header, for its size.
//! After render, [`publish`] hands the sink each bundle's files and each
//! image's variants (`process`, cached), with metadata removed (`strip`).

pub mod process;
pub mod strip;

use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};
use rayon::prelude::*;
use serde::Serialize;

use crate::config::ImagesConfig;
use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
use crate::render::OutputFile;

/// A raster format the build resizes and strips.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Format {
    Jpeg,
    Png,
    WebP,
}

impl Format {
    /// By file extension (any case): `jpg`/`jpeg`, `png`, `webp`.
    pub fn from_path(path: &str) -> Option<Format> {
        let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "webp" => Some(Format::WebP),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::WebP => "webp",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::WebP => "image/webp",
        }
    }

    fn image_format(self) -> image::ImageFormat {
        match self {
            Format::Jpeg => image::ImageFormat::Jpeg,
            Format::Png => image::ImageFormat::Png,
            Format::WebP => image::ImageFormat::WebP,
        }
    }
}

/// A raster image a page shows, with the variants it gets.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ImageUse {
    /// The source file, relative to the site folder
    /// (`content/articles/x/photo.jpg`, `static/images/a.png`).
    pub source: PathBuf,
    /// The original's path in the output (`articles/x/photo.jpg`).
    pub published: String,
    pub format: Format,
    /// Its size in pixels, upright (after its EXIF orientation).
    pub width: u32,
    pub height: u32,
    /// The widths (px) of its variants, ascending.
    pub widths: Vec<u32>,
}

/// The width of the Open Graph variant of a lead image (px).
pub const OPEN_GRAPH_WIDTH: u32 = 1200;

impl ImageUse {
    /// The formats its variants are made in: WebP, and the original's
    /// format as the fallback (none for a WebP).
    pub fn formats(&self) -> Vec<Format> {
        if self.format == Format::WebP {
            vec![Format::WebP]
        } else {
            vec![Format::WebP, self.format]
        }
    }

    /// The output path of its variant at `width` in `format`:
    /// `articles/x/photo.jpg.800w.webp`. The original's whole name is
    /// kept, extension included, so `photo.jpg` and `photo.png` in one
    /// folder never share a variant.
    pub fn variant_path(&self, width: u32, format: Format) -> String {
        format!("{}.{width}w.{}", self.published, format.extension())
    }

    /// The height of its variant at `width`, rounded.
    pub fn height_at(&self, width: u32) -> u32 {
        let (w, h) = (u64::from(self.width.max(1)), u64::from(self.height));
        ((h * u64::from(width) + w / 2) / w).max(1) as u32
    }

    /// The `srcset` of its variants in `format`, relative to a page
    /// `depth` folders deep.
    pub fn srcset(&self, format: Format, depth: usize) -> String {
        let up = "../".repeat(depth);
        self.widths
            .iter()
            .map(|&w| format!("{up}{} {w}w", encode_path(&self.variant_path(w, format))))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The largest variant no wider than `max` in the fallback format
    /// (the Open Graph image): its path.
    pub fn variant_up_to(&self, max: u32) -> String {
        let w = self
            .widths
            .iter()
            .copied()
            .filter(|&w| w <= max)
            .max()
            .unwrap_or(self.widths[0]);
        let fallback = *self.formats().last().unwrap_or(&Format::WebP);
        self.variant_path(w, fallback)
    }
}

/// The widths an image `width` px wide is resized to: each configured
/// width below its own, and its own width when it is narrower than the
/// largest (never upscaled); `extra` (the Open Graph width) is added when
/// the image is at least that wide.
pub fn variant_widths(width: u32, config: &ImagesConfig, extra: Option<u32>) -> Vec<u32> {
    let mut ws: Vec<u32> = config
        .widths
        .iter()
        .copied()
        .chain(extra)
        .filter(|&w| w > 0 && w < width)
        .collect();
    let max = config.widths.iter().copied().max().unwrap_or(0);
    if width <= max || ws.is_empty() {
        ws.push(width);
    }
    ws.sort_unstable();
    ws.dedup();
    ws
}

/// The most pixels an image may have: 120 megapixels, above the largest
/// camera sensors, so that a mistaken scan or a crafted header cannot make
/// the build decode gigabytes.
pub const MAX_PIXELS: u64 = 120_000_000;

/// Reads an image's header: its format (from its bytes) and its size in
/// pixels as shown, upright by its EXIF orientation, without decoding it.
pub fn probe(path: &Path) -> Result<(Format, u32, u32), String> {
    let reader = image::ImageReader::open(path)
        .map_err(|e| e.to_string())?
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let format = match reader.format() {
        Some(image::ImageFormat::Jpeg) => Format::Jpeg,
        Some(image::ImageFormat::Png) => Format::Png,
        Some(image::ImageFormat::WebP) => Format::WebP,
        _ => return Err("its bytes are not a JPEG, PNG or WebP image".into()),
    };
    use image::ImageDecoder;
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 {
        return Err("it has no pixels".into());
    }
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(format!(
            "it is {w} x {h} px, more than the {} megapixels explainer resizes \
             (decoding it would take about {} GB of memory)",
            MAX_PIXELS / 1_000_000,
            u64::from(w) * u64::from(h) * 4 / 1_000_000_000
        ));
    }
    // Variants are made upright (`process::resize` applies the EXIF
    // orientation), so a quarter turn swaps the sides they are sized by.
    use image::metadata::Orientation::{Rotate270, Rotate270FlipH, Rotate90, Rotate90FlipH};
    match decoder.orientation() {
        Ok(Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH) => Ok((format, h, w)),
        _ => Ok((format, w, h)),
    }
}

/// Characters percent-encoded in a path written into `href` or `src`.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'\'')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b',');

/// A `/`-separated output path as it is written in a URL.
pub fn encode_path(path: &str) -> String {
    utf8_percent_encode(path, PATH).to_string()
}

/// A local path in a body resolved: its URL relative to the page, and,
/// for a raster image, what it needs.
#[derive(Debug, Clone)]
pub struct Local {
    pub href: String,
    pub image: Option<ImageUse>,
}

/// Why a path did not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    pub message: String,
    pub help: Option<String>,
}

/// Where one page's paths resolve.
#[derive(Debug, Clone)]
pub struct PageMedia<'a> {
    /// The site folder.
    pub root: &'a Path,
    /// The page's bundle folder relative to the site folder
    /// (`content/articles/x`), when it is one.
    pub bundle: Option<PathBuf>,
    /// Where the bundle's files are published (`articles/x`).
    pub out_dir: String,
    /// The page's file relative to the site folder
    /// (`content/articles/x.md`), for the hint to make it a bundle.
    pub source: PathBuf,
    pub config: &'a ImagesConfig,
    /// Every file (relative to the site folder) a resolve looked at, found
    /// or not: what a cached body rendered from these paths depends on.
    pub consulted: std::sync::Arc<std::sync::Mutex<Vec<PathBuf>>>,
    /// Folders from the page's language tree up to the output root, where
    /// bundle files, `static/` and variants are published (1 in another
    /// language's tree, else 0).
    pub up: usize,
}

/// Whether a link destination is a path on this site (not a URL with a
/// scheme, a `//host` URL, a fragment or a query alone).
pub fn is_local(dest: &str) -> bool {
    let d = dest.trim();
    if d.is_empty() || d.starts_with('#') || d.starts_with('?') || d.starts_with("//") {
        return false;
    }
    let scheme_end = d.find(':');
    let has_scheme = scheme_end.is_some_and(|i| {
        let s = &d[..i];
        !s.is_empty()
            && s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    !has_scheme
}

/// Whether a local link names a file (`report.pdf`) rather than a page
/// (`../explainers/x/`, `page.html`): its last segment has an extension
/// other than `.html`, `.htm` and `.md`.
pub fn names_file(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or(path);
    match last.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !ext.is_empty() => {
            !matches!(ext.to_ascii_lowercase().as_str(), "html" | "htm" | "md")
        }
        _ => false,
    }
}

impl PageMedia<'_> {
    /// Records that `path` (relative to the site folder) was looked at.
    fn consult(&self, path: PathBuf) {
        if let Ok(mut seen) = self.consulted.lock() {
            seen.push(path);
        }
    }

    /// Resolves `dest` (as written in Markdown or front matter) for a page
    /// `depth` folders below the output root. `Ok(None)` leaves it as it
    /// is (a URL, a fragment, a link to a page). For a front-matter image,
    /// `static_fallback` also looks in `static/` for a relative path.
    pub fn resolve(
        &self,
        dest: &str,
        is_image: bool,
        depth: usize,
        static_fallback: bool,
        og: bool,
    ) -> Result<Option<Local>, PathError> {
        let dest = dest.trim();
        if !is_local(dest) {
            return Ok(None);
        }
        let split = dest.find(['#', '?']).unwrap_or(dest.len());
        let (path, suffix) = dest.split_at(split);
        if path.is_empty() || !(is_image || names_file(path)) {
            return Ok(None);
        }
        let decoded = percent_decode_str(path).decode_utf8_lossy().into_owned();
        let (mut rooted, mut rel) = match decoded.strip_prefix('/') {
            Some(r) => (true, r.to_string()),
            None => (false, decoded.clone()),
        };
        let what = if is_image { "image" } else { "file" };
        // A path written relative to the page's place in the output
        // (`../../img/map.png` from `articles/x/`) that names a file of
        // static/ is taken as that file, as it always worked.
        if !rooted && rel.starts_with("../") {
            if let Some(inside) = climb(&self.out_dir, &rel) {
                self.consult(Path::new("static").join(&inside));
                if self.root.join("static").join(&inside).is_file() {
                    rooted = true;
                    rel = inside;
                }
            }
        }
        if rel.split(['/', '\\']).any(|p| p == "..") {
            return Err(PathError {
                message: format!(
                    "{what} \"{path}\" leaves its folder: a path may not contain `..`"
                ),
                help: Some(
                    "put the file in the page's folder (a page bundle) and write its name, \
                     or in static/ and write /its/path"
                        .into(),
                ),
            });
        }
        let rel = rel.trim_start_matches("./").to_string();
        // A percent-encoded slash (`/%2Fetc/x`) would otherwise make an
        // absolute path, which `join` takes as it is.
        let inside = Path::new(&rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        if !inside {
            return Err(PathError {
                message: format!("{what} \"{path}\" is not a path inside the site"),
                help: Some(
                    "write the file's name in the page's folder, or /its/path in static/".into(),
                ),
            });
        }
        let (base, out_base, base_name) = match (&self.bundle, rooted) {
            (Some(b), false) => {
                self.consult(b.join(&rel));
                let in_bundle = self.root.join(b).join(&rel);
                if static_fallback && !in_bundle.is_file() {
                    (
                        PathBuf::from("static"),
                        String::new(),
                        "static/".to_string(),
                    )
                } else {
                    (
                        b.clone(),
                        format!("{}/", self.out_dir),
                        format!("{}/", slashed(b)),
                    )
                }
            }
            (None, false) if static_fallback => (
                PathBuf::from("static"),
                String::new(),
                "static/".to_string(),
            ),
            (None, false) => {
                return Err(PathError {
                    message: format!(
                        "{what} \"{path}\" is relative, but this page is not a page bundle"
                    ),
                    help: Some(format!(
                        "make the page a folder, {}/index.md, with the file beside it; \
                         or put the file in static/ and write \"/{rel}\"",
                        slashed(&self.source.with_extension(""))
                    )),
                });
            }
            (_, true) => (
                PathBuf::from("static"),
                String::new(),
                "static/".to_string(),
            ),
        };
        let source = base.join(&rel);
        self.consult(source.clone());
        let on_disk = self.root.join(&source);
        if rel.is_empty() || !on_disk.is_file() {
            let candidates = files_under(self.root, &self.root.join(&base));
            let help = did_you_mean(&rel, candidates.iter().map(String::as_str)).map(|h| {
                if rooted {
                    h.replacen("did you mean \"", "did you mean \"/", 1)
                } else {
                    h
                }
            });
            let help = help.or_else(|| match rel.strip_prefix("static/") {
                Some(rest) if rooted => Some(format!(
                    "paths starting with `/` are inside static/: write \"/{rest}\""
                )),
                _ => Some(format!("put the file at {base_name}{rel}")),
            });
            return Err(PathError {
                message: format!("{what} \"{path}\" not found in {base_name}"),
                help,
            });
        }
        let published = format!("{out_base}{}", rel.replace('\\', "/"));
        let href = format!(
            "{}{}{suffix}",
            "../".repeat(depth + self.up),
            encode_path(&published)
        );
        let image = match Format::from_path(&rel) {
            Some(_) if is_image => {
                let (format, width, height) = probe(&on_disk).map_err(|e| PathError {
                    message: format!("image \"{path}\" cannot be read: {e}"),
                    help: Some(format!(
                        "save it again as a JPEG, PNG or WebP file of at most {} megapixels",
                        MAX_PIXELS / 1_000_000
                    )),
                })?;
                let extra = og.then_some(OPEN_GRAPH_WIDTH);
                Some(ImageUse {
                    widths: variant_widths(width, self.config, extra),
                    source,
                    published,
                    format,
                    width,
                    height,
                })
            }
            _ => None,
        };
        Ok(Some(Local { href, image }))
    }
}

/// `rel` resolved from the folder `dir` (both `/`-separated, under the
/// output root): the path under the root, or None when it climbs above it.
fn climb(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            ".." => {
                parts.pop()?;
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

fn slashed(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Every file other than Markdown under `dir`, a folder of the site at
/// `root`, as `/`-separated paths relative to it: the walk `load` makes
/// (hidden files and editor backups left out, links followed only inside
/// the site), whose problems `load` has reported already.
fn files_under(root: &Path, dir: &Path) -> Vec<String> {
    let (entries, _) = crate::load::walk_site_folder(root, dir, true);
    entries
        .into_iter()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            e.path()
                .strip_prefix(dir)
                .ok()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
        })
        .filter(|p| !p.ends_with(".md"))
        .collect()
}

/// Escapes text for an HTML attribute value.
fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, s);
    out
}

/// How an image is shown.
#[derive(Debug, Clone, Copy)]
pub struct Presentation<'a> {
    pub alt: &'a str,
    /// Lazy loading is for images below the fold: not the lead image.
    pub lazy: bool,
    pub class: Option<&'a str>,
    pub sizes: &'a str,
}

/// The `<picture>` of a raster image for a page `depth` folders deep:
/// a WebP `<source>` with its `srcset`, then the `<img>` with the
/// fallback's `srcset`, `sizes`, `width`/`height` of the largest variant
/// (so the page does not shift as it loads), `loading` and `decoding`.
pub fn picture_html(image: &ImageUse, depth: usize, p: Presentation) -> String {
    let up = "../".repeat(depth);
    let largest = *image.widths.last().unwrap_or(&image.width);
    let fallback = *image.formats().last().unwrap_or(&Format::WebP);
    let class = p
        .class
        .map(|c| format!(" class=\"{}\"", attr(c)))
        .unwrap_or_default();
    let mut html = String::from("<picture>");
    if fallback != Format::WebP {
        html.push_str(&format!(
            "<source type=\"image/webp\" srcset=\"{}\" sizes=\"{}\">",
            image.srcset(Format::WebP, depth),
            attr(p.sizes)
        ));
    }
    html.push_str(&format!(
        "<img{class} src=\"{up}{}\" srcset=\"{}\" sizes=\"{}\" width=\"{largest}\" height=\"{}\" alt=\"{}\"{} decoding=\"async\"></picture>",
        encode_path(&image.variant_path(largest, fallback)),
        image.srcset(fallback, depth),
        attr(p.sizes),
        image.height_at(largest),
        attr(p.alt),
        if p.lazy { " loading=\"lazy\"" } else { "" },
    ));
    html
}

/// The images and bundle files a build publishes, gathered in resolve.
#[derive(Debug, Default)]
pub struct Registry {
    images: Mutex<Vec<ImageUse>>,
}

impl Registry {
    pub fn add(&self, image: ImageUse) {
        if let Ok(mut images) = self.images.lock() {
            images.push(image);
        }
    }

    /// Every image used, each source once (the union of the widths any
    /// use asked for).
    pub fn into_images(self) -> Vec<ImageUse> {
        let mut images = self.images.into_inner().unwrap_or_default();
        images.sort();
        let mut out: Vec<ImageUse> = Vec::with_capacity(images.len());
        for i in images {
            match out.last_mut() {
                Some(last) if last.source == i.source => {
                    last.widths.extend(i.widths);
                    last.widths.sort_unstable();
                    last.widths.dedup();
                }
                _ => out.push(i),
            }
        }
        out
    }
}

/// A page bundle: its folder (relative to the site folder) and where its
/// files go in the output.
#[derive(Debug, Clone)]
pub struct Bundle {
    pub folder: PathBuf,
    pub out_dir: String,
}

/// What [`publish`] did, for `--verbose` and `check`.
#[derive(Debug, Default, Clone)]
pub struct MediaReport {
    /// Images resized in this build (decoded).
    pub processed: usize,
    /// Images whose variants came from the cache.
    pub cached: usize,
    /// Published images that carried a location (site-relative paths),
    /// removed unless `keep_metadata` is set.
    pub located: Vec<String>,
    /// Output files the sink took as new or changed, and as unchanged.
    pub written: Vec<String>,
    pub same: Vec<String>,
}

/// Publishes the bundles' files (each raster one with its metadata
/// removed) and every image's variants, in parallel, handing each file to
/// `sink`. `cache` is the folder of processed images.
pub fn publish(
    root: &Path,
    cache: &Path,
    config: &ImagesConfig,
    bundles: &[Bundle],
    images: &[ImageUse],
    generated: &rustc_hash::FxHashSet<&str>,
    sink: &crate::render::Sink,
) -> Result<MediaReport, Diagnostics> {
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let mut taken = Diagnostics::new();
    for b in bundles {
        for rel in files_under(root, &root.join(&b.folder)) {
            let path = format!("{}/{rel}", b.out_dir);
            let source = b.folder.join(&rel);
            // A bundle file may not take the place of a page, nor of an
            // image variant the build makes.
            let variant = rel
                .rsplit_once('.')
                .and_then(|(stem, _)| stem.rsplit_once('.'))
                .is_some_and(|(_, w)| w.ends_with('w') && w[..w.len() - 1].parse::<u32>().is_ok());
            if generated.contains(path.as_str()) || variant {
                taken.push(
                    Diagnostic::in_file(
                        &source,
                        1,
                        1,
                        format!(
                            "{} would replace a file the build makes ({path})",
                            slashed(&source)
                        ),
                    )
                    .with_help(
                        "rename the file: names like index.html and photo.jpg.800w.webp are the build's",
                    ),
                );
                continue;
            }
            files.push((source, path));
        }
    }
    if !taken.is_empty() {
        return Err(taken);
    }
    let report = Mutex::new(MediaReport::default());
    let errors = Mutex::new(Diagnostics::new());
    let fail = |source: &Path, message: String| {
        if let Ok(mut e) = errors.lock() {
            e.push(Diagnostic::in_file(source, 1, 1, message));
        }
    };
    let give = |source: &Path, file: OutputFile| match sink(&file) {
        Ok(changed) => {
            if let Ok(mut r) = report.lock() {
                if changed {
                    r.written.push(file.path);
                } else {
                    r.same.push(file.path);
                }
            }
        }
        Err(e) => fail(source, format!("cannot write {}: {e}", file.path)),
    };
    files
        .par_iter()
        .for_each(|(source, path)| match std::fs::read(root.join(source)) {
            Ok(bytes) => {
                let bytes = match Format::from_path(path) {
                    Some(f) => clean(&bytes, f, config, source, &report),
                    None => match publish_as_is(bytes, config, source, &report) {
                        Ok(bytes) => bytes,
                        Err(d) => {
                            if let Ok(mut e) = errors.lock() {
                                e.push(d);
                            }
                            return;
                        }
                    },
                };
                give(
                    source,
                    OutputFile {
                        path: path.clone(),
                        bytes,
                    },
                );
            }
            Err(e) => fail(source, format!("cannot read: {e}")),
        });
    // In range (1 to 100): `Config::parse` refuses any other quality.
    let quality = u8::try_from(config.quality).unwrap_or(80);
    images.par_iter().for_each(|image| {
        let bytes = match std::fs::read(root.join(&image.source)) {
            Ok(b) => b,
            Err(e) => return fail(&image.source, format!("cannot read: {e}")),
        };
        let formats = image.formats();
        match process::variants(cache, &bytes, &image.widths, &formats, quality) {
            Ok((variants, from_cache)) => {
                if let Ok(mut r) = report.lock() {
                    if from_cache {
                        r.cached += 1;
                    } else {
                        r.processed += 1;
                    }
                }
                for v in variants {
                    give(
                        &image.source,
                        OutputFile {
                            path: image.variant_path(v.width, v.format),
                            bytes: v.bytes,
                        },
                    );
                }
            }
            Err(e) => fail(&image.source, format!("image cannot be decoded: {e}")),
        }
    });
    let errors = errors.into_inner().unwrap_or_default();
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut report = report.into_inner().unwrap_or_default();
    report.located.sort();
    Ok(report)
}

/// A raster image as it is published: its metadata removed unless the
/// site keeps it; a location it carried is reported.
pub fn clean(
    bytes: &[u8],
    format: Format,
    config: &ImagesConfig,
    source: &Path,
    report: &Mutex<MediaReport>,
) -> Vec<u8> {
    // The bytes decide the format, whatever the extension says.
    let format = image::guess_format(bytes)
        .ok()
        .and_then(|f| {
            [Format::Jpeg, Format::Png, Format::WebP]
                .into_iter()
                .find(|x| x.image_format() == f)
        })
        .unwrap_or(format);
    let stripped = strip::strip(bytes, format);
    if stripped.had_location {
        if let Ok(mut r) = report.lock() {
            r.located.push(slashed(source));
        }
    }
    if config.keep_metadata {
        bytes.to_vec()
    } else {
        stripped.bytes
    }
}

/// A file published as it is (anything but a JPEG, PNG or WebP, whose
/// metadata [`clean`] removes). One that carries a GPS position
/// kamadak-exif can read (TIFF and the camera raw formats built on it,
/// HEIF: HEIC, AVIF) is refused, since nothing would remove the position,
/// unless the site keeps metadata; then it is published and reported in
/// `located` like any image that carried one.
///
/// # Errors
///
/// The error at `source` (site-relative) when the file carries a location
/// and `keep_metadata` is off.
pub fn publish_as_is(
    bytes: Vec<u8>,
    config: &ImagesConfig,
    source: &Path,
    report: &Mutex<MediaReport>,
) -> Result<Vec<u8>, Diagnostic> {
    let Some(format) = unstrippable_location(&bytes) else {
        return Ok(bytes);
    };
    if config.keep_metadata {
        if let Ok(mut r) = report.lock() {
            r.located.push(slashed(source));
        }
        return Ok(bytes);
    }
    Err(Diagnostic::in_file(
        source,
        1,
        1,
        format!(
            "this {format} image carries a location (GPS), which explainer cannot remove from a {format} file; it would be published with it"
        ),
    )
    .with_help(
        "convert it to JPEG, PNG or WebP (their location is removed as they are published), \
         or set `keep_metadata = true` under [images] in site.toml to publish it as it is",
    ))
}

/// The container's name when `bytes` are a TIFF or HEIF file whose EXIF
/// holds a GPS field.
fn unstrippable_location(bytes: &[u8]) -> Option<&'static str> {
    let format = if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        "TIFF"
    } else if bytes.get(4..8) == Some(b"ftyp") {
        "HEIF"
    } else {
        return None;
    };
    let exif = exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(bytes))
        .ok()?;
    let located = exif.fields().any(|f| f.tag.context() == exif::Context::Gps);
    located.then_some(format)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_never_upscale() {
        let c = ImagesConfig::default();
        assert_eq!(variant_widths(4000, &c, None), vec![480, 800, 1200, 1600]);
        assert_eq!(variant_widths(1000, &c, None), vec![480, 800, 1000]);
        assert_eq!(variant_widths(300, &c, None), vec![300]);
        assert_eq!(
            variant_widths(
                4000,
                &ImagesConfig {
                    widths: vec![640],
                    ..c.clone()
                },
                Some(1200)
            ),
            vec![640, 1200]
        );
    }

    #[test]
    fn locality_and_files() {
        assert!(is_local("photo.jpg"));
        assert!(is_local("/images/a.png"));
        assert!(!is_local("https://example.org/a.png"));
        assert!(!is_local("mailto:a@b.c"));
        assert!(!is_local("//cdn.example/a.png"));
        assert!(!is_local("#top"));
        assert!(names_file("docs/report.pdf"));
        assert!(!names_file("../explainers/x/"));
        assert!(!names_file("../explainers/x/index.html"));
        assert!(!names_file(".hidden"));
    }
}
