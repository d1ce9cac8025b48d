//! # explainer
//!
//! A static site generator for news explainers. A folder of Markdown
//! articles, background notes and actor profiles becomes a site where every
//! article has a "What You Should Know" sidebar, every note is an explainer
//! page, and every person, organisation or country has a profile linking
//! back to every story it appears in.
//!
//! The pipeline runs in four stages, each its own module:
//!
//! 1. [`load`] reads `site.toml`, `content/` and `templates/`;
//! 2. [`resolve`] checks every reference and renders Markdown into a
//!    [`resolve::Site`] with backlinks;
//! 3. [`render`] turns that into output files in memory;
//! 4. [`write`] puts them on disk, touching only what changed.
//!
//! ```no_run
//! use explainer::{build, BuildOptions};
//! let summary = build(&BuildOptions::new("my-site")).expect("site builds");
//! println!("{} pages", summary.pages);
//! ```

pub mod cache;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostics;
#[doc(hidden)]
pub mod fuzzing;
pub mod load;
pub mod model;
pub mod render;
pub mod resolve;
pub mod serve;
pub mod session;
pub mod write;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use diagnostics::Diagnostics;

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `output_dir` of `site.toml`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of `site.toml`.
    pub base_url: Option<String>,
    pub drafts: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
        }
    }
}

/// Why a build did not happen.
#[derive(Debug)]
pub enum BuildError {
    /// Problems in the site's files; nothing was written.
    Content(Diagnostics),
    /// The command was asked for something it cannot do.
    Usage(String),
    /// The file system failed while writing.
    Io(String),
}

/// What a build or check produced.
#[derive(Debug, Clone)]
pub struct BuildSummary {
    pub pages: usize,
    pub articles: usize,
    pub explainers: usize,
    pub actors: usize,
    pub files: usize,
    pub drafts_skipped: usize,
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub output: PathBuf,
    pub elapsed: Duration,
    /// Set when `site.toml` gave no `base_url`, so absolute URLs use a
    /// local placeholder.
    pub base_url_defaulted: bool,
    pub timings: Timings,
}

/// A site rendered in memory, not yet written.
pub struct RenderedSite {
    /// Files rendered (pages and static files) and taken by the sink as
    /// new or changed.
    pub written: Vec<String>,
    /// Files rendered whose bytes were already in the output.
    pub same: Vec<String>,
    /// Pages whose inputs did not change since the last build.
    pub unchanged: Vec<String>,
    /// Every page's input fingerprint, for the build cache.
    pub fingerprints: Vec<(String, u64)>,
    pub site: resolve::Site,
    pub timings: Timings,
}

/// How long each stage took, for `--verbose` and benchmarks.
#[derive(Debug, Default, Clone, Copy)]
pub struct Timings {
    pub load: Duration,
    pub resolve: Duration,
    pub render: Duration,
    pub write: Duration,
}

/// What a preview session keeps between rebuilds, so each redoes only
/// what changed: rendered Markdown bodies and the compiled templates.
#[derive(Default)]
struct Reuse {
    bodies: resolve::BodyCache,
    themes: render::theme::ThemeCache,
}

/// Loads, resolves and renders a site, handing each file to `sink`. Pages
/// whose input fingerprint is in `previous` are not rendered again.
pub fn render_site(
    options: &BuildOptions,
    previous: &HashMap<String, u64>,
    sink: &render::Sink,
) -> Result<RenderedSite, BuildError> {
    render_site_reusing(options, previous, &Reuse::default(), sink)
}

/// `render_site` with what earlier renders left in `reuse`.
fn render_site_reusing(
    options: &BuildOptions,
    previous: &HashMap<String, u64>,
    reuse: &Reuse,
    sink: &render::Sink,
) -> Result<RenderedSite, BuildError> {
    if !options.root.is_dir() {
        return Err(BuildError::Usage(format!(
            "site folder {} does not exist",
            options.root.display()
        )));
    }
    let clock = Instant::now();
    let (loaded, errors) = load::load(&options.root, &load_options(options));
    let load_time = clock.elapsed();
    let mut rendered = finish(options, loaded, errors, previous, reuse, |_| None, sink)?;
    rendered.timings.load = load_time;
    Ok(rendered)
}

fn load_options(options: &BuildOptions) -> load::LoadOptions {
    load::LoadOptions {
        include_drafts: options.drafts,
    }
}

/// Resolves and renders a loaded site: the part of a build after loading,
/// shared by `build`, `check` and the preview's rebuilds.
fn finish(
    options: &BuildOptions,
    mut loaded: load::LoadedSite,
    mut errors: Diagnostics,
    previous: &HashMap<String, u64>,
    reuse: &Reuse,
    choose_pages: impl FnOnce(&resolve::Site) -> Option<HashSet<String>>,
    sink: &render::Sink,
) -> Result<RenderedSite, BuildError> {
    let mut timings = Timings::default();
    if let Some(url) = &options.base_url {
        let text = format!("base_url = {}", toml::Value::String(url.clone()));
        let file = diagnostics::SourceFile::new("--base-url", text);
        let parsed = config::Config::parse(&file).map_err(|d| BuildError::Usage(d.message))?;
        loaded.config.base_url = parsed.base_url;
        loaded.config.base_url_defaulted = false;
    }
    // Templates, then content: every problem of both is reported in one run,
    // and the pages that loaded are still checked when others did not.
    let clock = Instant::now();
    // The templates compile on one core while the content resolves.
    let (tera, resolved) = rayon::join(
        || reuse.themes.get(&loaded.templates),
        || resolve::resolve_with(&loaded, &reuse.bodies),
    );
    timings.resolve = clock.elapsed();
    if let Err(template_errors) = &tera {
        errors.extend(template_errors.iter().cloned());
    }
    let site = match resolved {
        Ok(site) => site,
        Err(resolve_errors) => {
            errors.extend(resolve_errors);
            return Err(BuildError::Content(errors));
        }
    };
    let theme = match tera {
        Ok(theme) if errors.is_empty() => theme,
        _ => return Err(BuildError::Content(errors)),
    };
    let clock = Instant::now();
    let only = choose_pages(&site);
    let mut rendered =
        render::render(&site, &theme, previous, only.as_ref(), sink).map_err(|e| match e {
            render::RenderError::Templates(d) => BuildError::Content(d),
            render::RenderError::Io(m) => BuildError::Io(m),
        })?;
    let pages: Vec<&str> = rendered
        .fingerprints
        .iter()
        .map(|(p, _)| p.as_str())
        .collect();
    let statics = write::collect_static(&options.root, &pages).map_err(BuildError::Content)?;
    for file in &statics {
        match sink(file) {
            Ok(true) => rendered.written.push(file.path.clone()),
            Ok(false) => rendered.same.push(file.path.clone()),
            Err(e) => return Err(BuildError::Io(format!("{}: {e}", file.path))),
        }
    }
    timings.render = clock.elapsed();
    Ok(RenderedSite {
        written: rendered.written,
        same: rendered.same,
        unchanged: rendered.unchanged,
        fingerprints: rendered.fingerprints,
        site,
        timings,
    })
}

/// The output folder a build writes to.
pub fn output_dir(options: &BuildOptions, config_output: &str) -> PathBuf {
    match &options.output {
        Some(o) => o.clone(),
        None => options.root.join(config_output),
    }
}

/// Builds the site: all or nothing. Every page is rendered and checked
/// before the first byte is written.
pub fn build(options: &BuildOptions) -> Result<BuildSummary, BuildError> {
    let started = Instant::now();
    if !options.root.is_dir() {
        return Err(BuildError::Usage(format!(
            "site folder {} does not exist",
            options.root.display()
        )));
    }
    // The output folder is checked before anything else: a wrong
    // `--output` must never be touched, even on a site with errors.
    let config = config::Config::load(&options.root).unwrap_or_default();
    let output = output_dir(options, &config.output_dir);
    write::check_output_dir(&options.root, &output).map_err(BuildError::Usage)?;
    let cache = cache::BuildCache::load(&options.root, &output);
    let manifest_now = || {
        cache::source_manifest(
            &options.root,
            &(
                options.drafts,
                &options.base_url,
                write::absolutize(&output),
            ),
        )
    };
    // Nothing to do when every source is byte-for-byte what the last build
    // read and its output is exactly as it left it. The cheap checks of the
    // output come first: when they fail (no record, output removed or
    // touched) the manifest is only saved for the next build, so it is
    // hashed alongside this one instead of before it.
    let output_as_left = cache.intact
        && cache
            .sources
            .as_ref()
            .is_some_and(|last| write::count_files(&output) == Some(last.files));
    let early_manifest = output_as_left.then(manifest_now);
    if let (Some(Some(now)), Some(last)) = (early_manifest, &cache.sources) {
        if now == last.manifest {
            return Ok(BuildSummary {
                pages: last.pages,
                articles: last.articles,
                explainers: last.explainers,
                actors: last.actors,
                files: last.files,
                drafts_skipped: 0,
                written: 0,
                unchanged: last.files,
                removed: 0,
                output,
                elapsed: started.elapsed(),
                base_url_defaulted: config.base_url_defaulted && options.base_url.is_none(),
                timings: Timings::default(),
            });
        }
    }
    let staging = write::Staging::new(&output)
        .map_err(|e| BuildError::Io(format!("cannot write beside {}: {e}", output.display())))?;
    let previous = cache.fingerprints();
    let render = || render_site(options, &previous, &|f| staging.put(f));
    let (manifest, rendered) = match early_manifest {
        Some(manifest) => (manifest, render()),
        None => rayon::join(manifest_now, render),
    };
    let mut rendered = rendered?;
    let clock = Instant::now();
    let keep: Vec<&String> = rendered.same.iter().chain(&rendered.unchanged).collect();
    let report = match staging.commit(&rendered.written, &keep, None) {
        Ok(r) => r,
        Err(e) => {
            cache::BuildCache::clear(&options.root, &output);
            return Err(BuildError::Io(format!(
                "cannot write to {}: {e}",
                output.display()
            )));
        }
    };
    rendered.timings.write = clock.elapsed();
    let summary = summary(&rendered, output, report, started.elapsed());
    let record = manifest.map(|manifest| cache::SourceRecord {
        manifest,
        articles: summary.articles,
        explainers: summary.explainers,
        actors: summary.actors,
        pages: summary.pages,
        files: summary.files,
    });
    cache::BuildCache::save(
        &options.root,
        &summary.output,
        &rendered.fingerprints,
        record,
    );
    Ok(summary)
}

/// Checks everything a build would, writing nothing.
pub fn check(options: &BuildOptions) -> Result<BuildSummary, BuildError> {
    let started = Instant::now();
    let rendered = render_site(options, &HashMap::default(), &|_| Ok(true))?;
    let output = output_dir(options, &rendered.site.config.output_dir);
    Ok(summary(
        &rendered,
        output,
        write::WriteReport::default(),
        started.elapsed(),
    ))
}

fn summary(
    rendered: &RenderedSite,
    output: PathBuf,
    report: write::WriteReport,
    elapsed: Duration,
) -> BuildSummary {
    let s = &rendered.site;
    BuildSummary {
        pages: rendered
            .fingerprints
            .iter()
            .filter(|(p, _)| p.ends_with(".html"))
            .count(),
        articles: s.articles.len(),
        explainers: s.notes.len(),
        actors: s.actors.len(),
        files: rendered.written.len() + rendered.same.len() + rendered.unchanged.len(),
        drafts_skipped: s.drafts_skipped,
        written: report.written,
        unchanged: report.unchanged,
        removed: report.removed,
        output,
        elapsed,
        base_url_defaulted: s.config.base_url_defaulted,
        timings: rendered.timings,
    }
}

/// A path for messages: relative to the current folder where possible.
pub fn display_path(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd)
        .unwrap_or(path)
        .display()
        .to_string()
}
