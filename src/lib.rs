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

// Printing to a closed pipe (`explainer check 2>&1 | head -1`) must not
// panic: std's `eprintln!` and `println!` do on a failed write, and the
// panic message then fails too and aborts the process. Within this crate
// these two stand in for std's (a `macro_rules!` defined before the
// modules shadows the prelude's), write the same text, and let a closed
// pipe end the output quietly while the command goes on to its exit
// status.
macro_rules! eprintln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}
#[allow(unused_macros)]
macro_rules! println {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

pub mod cache;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostics;
#[doc(hidden)]
pub mod fuzzing;
pub mod i18n;
pub mod load;
pub mod media;
pub mod model;
pub mod render;
pub mod resolve;
pub mod search;
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
    /// Build articles dated in the future too (`--future`).
    pub future: bool,
    /// Write into an existing output folder that holds files this tool did
    /// not write (they are kept; see [`write::claim_output`]).
    pub take_over: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            future: false,
            take_over: false,
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
    /// Articles dated in the future left out (without `--future`).
    pub held_back: usize,
    /// Drafts (of every kind) this build published (under `--drafts`).
    pub drafts_published: usize,
    /// Articles dated in the future this build published (under
    /// `--future`).
    pub scheduled_published: usize,
    /// When the first of them falls due.
    pub next_due: Option<model::Date>,
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
    /// The files written and removed (`/`-separated, relative to the
    /// output, sorted), for `--verbose`.
    pub written_files: Vec<String>,
    pub removed_files: Vec<String>,
    pub output: PathBuf,
    pub elapsed: Duration,
    /// Set when `site.toml` gave no `base_url`, so absolute URLs use a
    /// local placeholder.
    pub base_url_defaulted: bool,
    /// The site's `base_url` as the build used it.
    pub base_url: String,
    /// Its path (`/` or `/repo/`).
    pub base_path: String,
    pub timings: Timings,
    /// Images resized (decoded) by this build, and images whose variants
    /// came from the cache in `.explainer-cache/media/`.
    pub images_resized: usize,
    pub images_cached: usize,
    /// Published images that carried a location (site-relative paths).
    pub images_located: Vec<String>,
    /// Set when `[images] keep_metadata` publishes images as they are,
    /// locations included.
    pub images_keep_metadata: bool,
    /// The problems the held-back pages (drafts, articles dated in the
    /// future) will bring once published, sorted: `build` warns of them.
    pub held_back_problems: Vec<diagnostics::Diagnostic>,
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
    /// What the media stage did: images resized or taken from the cache,
    /// images that carried a location.
    pub media: media::MediaReport,
    /// On a multilingual site, the tree of each other language (under
    /// `<language>/`), in the order of `languages`.
    pub translations: Vec<resolve::Site>,
    /// The hash of each content file's bytes as loaded (see
    /// [`load::LoadedSite::source_hashes`]).
    pub source_hashes: std::collections::HashMap<std::path::PathBuf, u64>,
    /// The problems of the pages this run held back (drafts, articles
    /// dated in the future), for `build` to warn of; empty unless asked for.
    pub held_back_problems: Diagnostics,
}

impl RenderedSite {
    /// The articles of every language's tree held back for their future
    /// dates, and when the first falls due.
    pub fn held_back(&self) -> (usize, Option<model::Date>) {
        let trees = || std::iter::once(&self.site).chain(&self.translations);
        (
            trees().map(|t| t.held_back).sum(),
            trees().filter_map(|t| t.next_due).min(),
        )
    }

    /// Whether the site is the same whatever the clock says: no tree holds
    /// back or shows a scheduled article.
    fn timeless(&self) -> bool {
        std::iter::once(&self.site)
            .chain(&self.translations)
            .all(|t| t.held_back == 0 && t.articles.iter().all(|a| !a.scheduled))
    }

    /// The HTML pages of the site (not the feed, sitemap, robots.txt or
    /// static files): the count `build`, `check` and `serve` report.
    pub fn pages(&self) -> usize {
        self.fingerprints
            .iter()
            .filter(|(p, _)| p.ends_with(".html"))
            .count()
    }
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
/// whose input fingerprint is in `previous` are not rendered again. With
/// `index_search` (and `[search] enabled`), the search index goes to the
/// sink too, as the files under `pagefind/`.
pub fn render_site(
    options: &BuildOptions,
    previous: &HashMap<String, u64>,
    index_search: bool,
    sink: &render::Sink,
) -> Result<RenderedSite, BuildError> {
    render_site_reusing(options, previous, &Reuse::default(), index_search, sink)
}

/// `render_site` with what earlier renders left in `reuse`.
fn render_site_reusing(
    options: &BuildOptions,
    previous: &HashMap<String, u64>,
    reuse: &Reuse,
    index_search: bool,
    sink: &render::Sink,
) -> Result<RenderedSite, BuildError> {
    render_site_held_back(
        options,
        previous,
        reuse,
        index_search,
        sink,
        HeldBack::Ignore,
    )
}

/// What a run does with the problems of the pages it holds back (drafts;
/// articles dated in the future): see [`held_back_problems`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HeldBack {
    /// Not looked for (the preview, which shows what it builds).
    Ignore,
    /// Kept in [`RenderedSite::held_back_problems`] (`build`: a half-written
    /// draft must not stop the site being published).
    Warn,
    /// Errors, with the site's own (`check`).
    Fail,
}

/// [`render_site_reusing`], looking for the problems of held-back pages
/// as `held_back` says.
fn render_site_held_back(
    options: &BuildOptions,
    previous: &HashMap<String, u64>,
    reuse: &Reuse,
    index_search: bool,
    sink: &render::Sink,
    held_back: HeldBack,
) -> Result<RenderedSite, BuildError> {
    if !options.root.is_dir() {
        return Err(BuildError::Usage(format!(
            "site folder {} does not exist",
            write::shown(&options.root)
        )));
    }
    let clock = Instant::now();
    // One clock for both views of the site, so a page is held back in
    // one exactly when it is in the other.
    let load_options = load::LoadOptions {
        now: Some(chrono::Local::now().fixed_offset()),
        ..load_options(options)
    };
    let mut content = load::ContentFiles::default();
    // The settings (site.toml, interface strings, templates) are read while
    // the content loads: alone, they kept one core idle. Their problems
    // still follow the content's.
    let (mut errors, (settings_errors, (config, templates))) = rayon::join(
        || content.scan(&options.root),
        || {
            let mut errors = Diagnostics::new();
            let settings = load::load_settings(&options.root, &load_options, &mut errors);
            (errors, settings)
        },
    );
    errors.extend(settings_errors);
    let (mut loaded, file_errors) =
        content.assemble(&options.root, config, templates, &load_options);
    errors.extend(file_errors);
    loaded.source_hashes = content.take_source_hashes();
    // Only a site that holds pages back is assembled and resolved twice:
    // one that holds nothing back pays nothing.
    let full = (held_back != HeldBack::Ignore
        && std::iter::once(&loaded)
            .chain(&loaded.translations)
            .any(|t| !t.drafts.is_empty() || !t.held_back.is_empty()))
    .then(|| (loaded.config.clone(), loaded.templates.clone()));
    let load_time = clock.elapsed();
    let (rendered, problems) = rayon::join(
        || {
            finish(
                options,
                loaded,
                errors,
                previous,
                reuse,
                |_| None,
                index_search,
                sink,
            )
        },
        || {
            full.map(|(config, templates)| {
                held_back_problems(options, &content, config, templates, &load_options)
            })
            .unwrap_or_default()
        },
    );
    match (rendered, held_back) {
        (Ok(mut rendered), HeldBack::Warn) => {
            rendered.timings.load = load_time;
            rendered.held_back_problems = problems;
            Ok(rendered)
        }
        (Ok(_), HeldBack::Fail) if !problems.is_empty() => Err(BuildError::Content(problems)),
        (Ok(mut rendered), _) => {
            rendered.timings.load = load_time;
            Ok(rendered)
        }
        // A failed build shows the held-back pages' problems too (as
        // warnings: the notes mark them), so fixing its errors does not
        // lead to a build that warns of what it could have said now.
        (Err(BuildError::Content(mut errors)), HeldBack::Fail | HeldBack::Warn) => {
            // A problem the published site shows too is reported once, as
            // it is without held-back pages.
            let shown: HashSet<(PathBuf, usize, usize, String)> =
                errors.iter().map(problem_key).collect();
            errors.extend(
                problems
                    .into_iter()
                    .filter(|d| !shown.contains(&problem_key(d))),
            );
            Err(BuildError::Content(errors))
        }
        (Err(e), _) => Err(e),
    }
}

/// Where a problem is and what it says (see [`problem_key`]).
type ProblemKey = (PathBuf, usize, usize, String);

/// Where a problem is and what it says: the same problem found in two
/// views of the site has the same key (its note aside).
fn problem_key(d: &diagnostics::Diagnostic) -> ProblemKey {
    (d.path.clone(), d.line, d.column, d.message.clone())
}

/// The problems of the site as `view` assembles it from `content` (every
/// tree resolved, not rendered, and their aliases checked across trees),
/// with the default language's site and the other languages' trees.
fn view_problems(
    options: &BuildOptions,
    content: &load::ContentFiles,
    config: config::Config,
    templates: Vec<load::TemplateFile>,
    view: &load::LoadOptions,
) -> (Diagnostics, load::LoadedSite, Vec<load::LoadedSite>) {
    let (mut loaded, mut all_errors) = content.assemble(&options.root, config, templates, view);
    if let Some(url) = &options.base_url {
        if let Ok(parsed) = config::parse_base_url(url) {
            loaded.config.base_url = parsed.to_string();
            loaded.config.base = parsed;
        }
    }
    let translations = take_translations(&mut loaded);
    // Bodies are rendered against a different set of pages than the
    // published view's, so they are not shared with its cache.
    let bodies = resolve::BodyCache::default();
    let resolved: Vec<_> = std::iter::once(&loaded)
        .chain(&translations)
        .map(|t| resolve::resolve_tree(t, &bodies))
        .collect();
    let paths: Vec<_> = resolved
        .iter()
        .map(|r| match r {
            Ok(site) => resolve::redirects::TreePaths::of(site),
            Err((_, paths)) => paths.clone(),
        })
        .collect();
    if let Some((first, others)) = paths.split_first().filter(|(_, o)| !o.is_empty()) {
        all_errors.extend(resolve::redirects::check_across_trees(first, others));
    }
    for r in resolved {
        if let Err((problems, _)) = r {
            all_errors.extend(problems);
        }
    }
    (all_errors, loaded, translations)
}

/// The problems the site will have once the pages it holds back are
/// published: the site is assembled again with every draft and every
/// article dated in the future in place, and resolved (not rendered), so
/// a held-back page's references resolve against the site it will join
/// (a draft linking another draft is fine), and a published page's alias
/// on a held-back page's URL is found before the day they collide. Of
/// those, each problem the published site does not have (so not a link
/// from a published page to a draft, which only the published site has)
/// is returned with a note saying which page is held back and why.
fn held_back_problems(
    options: &BuildOptions,
    content: &load::ContentFiles,
    config: config::Config,
    templates: Vec<load::TemplateFile>,
    published: &load::LoadOptions,
) -> Diagnostics {
    let now = published
        .now
        .unwrap_or_else(|| chrono::Local::now().fixed_offset());
    let all = load::LoadOptions {
        include_drafts: true,
        include_future: true,
        ..published.clone()
    };
    let (mut all_errors, loaded, translations) =
        view_problems(options, content, config.clone(), templates.clone(), &all);
    // A scheduled article is published on its date whether or not the
    // drafts and the articles scheduled after it are: it is also checked
    // as the site will be at that moment.
    let trees = || std::iter::once(&loaded).chain(&translations);
    let scheduled: HashMap<PathBuf, chrono::DateTime<chrono::FixedOffset>> = trees()
        .flat_map(|t| &t.articles)
        .filter(|a| !a.meta.draft && !options.future && a.meta.date.is_after(now))
        .map(|a| (a.file.path.clone(), a.meta.date.due_at()))
        .collect();
    let mut later_views: HashMap<ProblemKey, chrono::DateTime<chrono::FixedOffset>> =
        HashMap::default();
    let mut known: HashSet<_> = all_errors.iter().map(problem_key).collect();
    for moment in scheduled_moments_to_check(trees(), options, now) {
        let view = load::LoadOptions {
            include_drafts: options.drafts,
            include_future: false,
            now: Some(moment),
            ..published.clone()
        };
        let (errors, _, _) =
            view_problems(options, content, config.clone(), templates.clone(), &view);
        for d in errors {
            let published_by_then = scheduled.get(&d.path).is_some_and(|due| *due <= moment);
            if published_by_then && known.insert(problem_key(&d)) {
                later_views.insert(problem_key(&d), moment);
                all_errors.push(d);
            }
        }
    }
    // Why each held-back page is held back (`draft`, `scheduled for
    // <date>`), by its file.
    let mut why: HashMap<PathBuf, String> = HashMap::default();
    for tree in std::iter::once(&loaded).chain(&translations) {
        let mut note = |file: &diagnostics::SourceFile, draft: bool, due: Option<model::Date>| {
            let reason = match due {
                _ if draft && !options.drafts => "draft".to_string(),
                Some(date) if !options.future && date.is_after(now) => {
                    format!("scheduled for {}", date.due())
                }
                _ => return,
            };
            why.insert(file.path.clone(), reason);
        };
        for p in &tree.articles {
            note(&p.file, p.meta.draft, Some(p.meta.date));
        }
        for p in &tree.notes {
            note(&p.file, p.meta.draft, None);
        }
        for p in &tree.actors {
            note(&p.file, p.meta.draft, None);
        }
        for p in &tree.pages {
            note(&p.file, p.meta.draft, None);
        }
        for p in &tree.authors {
            note(&p.file, p.meta.draft, None);
        }
    }
    let mut shown = Diagnostics::new();
    let has_drafts = trees().any(|t| draft_slugs(t).next().is_some());
    for d in all_errors.into_sorted() {
        let key = problem_key(&d);
        let d = match later_views.get(&key) {
            Some(_) if d.message.ends_with("is a draft") => {
                d.with_help("publish it before this article's date, or take the reference out")
            }
            Some(_) if d.message.ends_with("is dated in the future") => {
                d.with_help("date that article before this one, or link to it once it is published")
            }
            _ => d,
        };
        // A problem of a published page that only a held-back page brings
        // (an alias on its URL) names that page when the message does.
        let named = || {
            why.iter()
                .filter(|(path, _)| d.message.contains(&*path.to_string_lossy()))
                .min_by_key(|(path, _)| *path)
        };
        let note = match (why.get(&d.path), named()) {
            (Some(reason), _) if later_views.contains_key(&key) => {
                let moment = later_views[&key];
                let held = if options.drafts || !has_drafts {
                    "the articles scheduled after it"
                } else {
                    "the drafts and the articles scheduled after it"
                };
                if scheduled.get(&d.path) == Some(&moment) {
                    format!("this article is {reason}, and is published then without {held}")
                } else {
                    format!(
                        "this article is {reason}; from {} the site has this problem",
                        moment.to_rfc3339()
                    )
                }
            }
            (Some(reason), _) => format!(
                "{}, left out of the site until it is published; checked as it will be then",
                match reason.as_str() {
                    "draft" => "this page is a draft".to_string(),
                    scheduled => format!("this article is {scheduled}"),
                }
            ),
            (None, Some((path, reason))) => format!(
                "{} is held back ({reason}): the site has this problem once it is published",
                path.display(),
            ),
            (None, None) => {
                "found with the held-back pages (drafts, scheduled articles) in place: \
                     the site has this problem once they are published"
                    .to_string()
            }
        };
        shown.push(d.with_note(note));
    }
    shown
}

/// The slugs of a tree's drafts, of every page kind.
fn draft_slugs(tree: &load::LoadedSite) -> impl Iterator<Item = &model::Slug> {
    fn of<M>(
        pages: &[std::sync::Arc<load::Page<M>>],
        draft: fn(&M) -> bool,
    ) -> impl Iterator<Item = &model::Slug> {
        pages
            .iter()
            .filter(move |p| draft(&p.meta))
            .map(|p| &p.slug)
    }
    of(&tree.articles, |m| m.draft)
        .chain(of(&tree.notes, |m| m.draft))
        .chain(of(&tree.actors, |m| m.draft))
        .chain(of(&tree.pages, |m| m.draft))
        .chain(of(&tree.authors, |m| m.draft))
}

/// The moments, in order, at which a scheduled article goes live on a
/// site that may still lack a page it names: the due instant of each
/// scheduled article whose text holds the slug of a page held back past
/// it (a draft, unless `--drafts`; an article scheduled later). Every
/// reference names its target's slug (wikilinks, front matter lists,
/// shortcode arguments), so an article that holds none cannot break for
/// want of a held-back page, and the site is checked again only at the
/// moments that can. Slugs are matched ignoring ASCII case, anywhere in
/// the text: a slug inside a longer word costs a check, never a miss.
fn scheduled_moments_to_check<'a>(
    trees: impl Iterator<Item = &'a load::LoadedSite> + Clone,
    options: &BuildOptions,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> Vec<chrono::DateTime<chrono::FixedOffset>> {
    if options.future {
        return Vec::new();
    }
    // Each held-back slug, with the moment it is published (`None`: a
    // draft, held back until someone publishes it).
    let mut held: Vec<(&str, Option<chrono::DateTime<chrono::FixedOffset>>)> = Vec::new();
    let mut scheduled = Vec::new();
    for tree in trees {
        if !options.drafts {
            held.extend(draft_slugs(tree).map(|slug| (slug.as_str(), None)));
        }
        for article in &tree.articles {
            if article.meta.draft {
                continue;
            } else if article.meta.date.is_after(now) {
                let due = article.meta.date.due_at();
                held.push((article.slug.as_str(), Some(due)));
                scheduled.push((&article.file.text, due));
            }
        }
    }
    if held.is_empty() || scheduled.is_empty() {
        return Vec::new();
    }
    let finder = aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(held.iter().map(|(slug, _)| slug));
    let mut moments: Vec<_> = scheduled
        .into_iter()
        .filter(|(text, due)| match &finder {
            Ok(finder) => finder
                .find_overlapping_iter(text.as_str())
                .any(|m| held[m.pattern().as_usize()].1.is_none_or(|at| at > *due)),
            // Too many slugs for one automaton: every moment is checked.
            Err(_) => true,
        })
        .map(|(_, due)| due)
        .collect();
    moments.sort();
    moments.dedup();
    moments
}

/// The other languages' trees of `loaded`, taken out of it, each with its
/// settings and the default language's pages standing in for the
/// translations it lacks.
fn take_translations(loaded: &mut load::LoadedSite) -> Vec<load::LoadedSite> {
    std::mem::take(&mut loaded.translations)
        .into_iter()
        .enumerate()
        .map(|(i, mut t)| {
            t.config = loaded.config.translation(i + 1);
            load::add_stand_ins(&mut t, loaded);
            t
        })
        .collect()
}

fn load_options(options: &BuildOptions) -> load::LoadOptions {
    load::LoadOptions {
        include_drafts: options.drafts,
        include_future: options.future,
        now: None,
        output_given: options.output.is_some(),
    }
}

/// Resolves and renders a loaded site: the part of a build after loading,
/// shared by `build`, `check` and the preview's rebuilds.
// Each argument is one of the ways the three callers differ.
#[allow(clippy::too_many_arguments)]
fn finish(
    options: &BuildOptions,
    mut loaded: load::LoadedSite,
    mut errors: Diagnostics,
    previous: &HashMap<String, u64>,
    reuse: &Reuse,
    choose_pages: impl FnOnce(&resolve::Site) -> Option<HashSet<String>>,
    index_search: bool,
    sink: &render::Sink,
) -> Result<RenderedSite, BuildError> {
    let mut timings = Timings::default();
    let source_hashes = std::mem::take(&mut loaded.source_hashes);
    if let Some(url) = &options.base_url {
        let parsed = config::base_url_problems(url).map_err(|problems| {
            BuildError::Usage(config::framed_base_url_problems(
                "--base-url",
                url,
                &problems,
            ))
        })?;
        loaded.config.base_url = parsed.to_string();
        loaded.config.base = parsed;
        loaded.config.base_url_defaulted = false;
    }
    // The other languages' trees, each with the default language's pages
    // standing in for the translations it lacks.
    let translations = take_translations(&mut loaded);
    // Templates, then content: every problem of both is reported in one run,
    // and the pages that loaded are still checked when others did not.
    let clock = Instant::now();
    // The templates compile on one core while the content resolves.
    let (tera, resolved) = rayon::join(
        || reuse.themes.get(&loaded.templates),
        || resolve::resolve_tree(&loaded, &reuse.bodies),
    );
    let translated: Vec<_> = translations
        .iter()
        .map(|t| resolve::resolve_tree(t, &reuse.bodies))
        .collect();
    timings.resolve = clock.elapsed();
    if let Err(template_errors) = &tera {
        errors.extend(template_errors.iter().cloned());
    }
    // An alias of the default language may lead into another language's
    // tree, which only that tree's resolve knows: checked with what each
    // tree writes, resolved or not, so its collisions are reported in the
    // same run as the other content errors.
    if !translated.is_empty() {
        let paths =
            |r: &Result<resolve::Site, (Diagnostics, resolve::redirects::TreePaths)>| match r {
                Ok(site) => resolve::redirects::TreePaths::of(site),
                Err((_, paths)) => paths.clone(),
            };
        let others: Vec<_> = translated.iter().map(paths).collect();
        errors.extend(resolve::redirects::check_across_trees(
            &paths(&resolved),
            &others,
        ));
    }
    // When the build stops before rendering, `static/` is still checked
    // against the files the render is sure to write.
    let failed = !errors.is_empty()
        || tera.is_err()
        || resolved.is_err()
        || translated.iter().any(Result::is_err);
    let generated: Vec<String> = if failed {
        let search = loaded.config.search.enabled;
        std::iter::once(&resolved)
            .chain(&translated)
            .flat_map(|r| match r {
                Ok(site) => resolve::redirects::TreePaths::of(site).generated_files(search),
                Err((_, paths)) => paths.generated_files(search),
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut trees = Vec::with_capacity(translated.len());
    for t in translated {
        match t {
            Ok(site) => trees.push(site),
            Err((problems, _)) => errors.extend(problems),
        }
    }
    let site = match resolved {
        Ok(site) if trees.len() == translations.len() => site,
        Ok(_) => {
            static_problems(options, &generated, &mut errors);
            return Err(BuildError::Content(errors));
        }
        Err((resolve_errors, _)) => {
            errors.extend(resolve_errors);
            static_problems(options, &generated, &mut errors);
            return Err(BuildError::Content(errors));
        }
    };
    let theme = match tera {
        Ok(theme) if errors.is_empty() => theme,
        _ => {
            static_problems(options, &generated, &mut errors);
            return Err(BuildError::Content(errors));
        }
    };
    let clock = Instant::now();
    // A multilingual site is rendered whole: fingerprints still spare the
    // pages whose inputs did not change.
    let only = match trees.is_empty() {
        true => choose_pages(&site),
        false => None,
    };
    let languages = (!trees.is_empty()).then(|| {
        let all: Vec<&resolve::Site> = std::iter::once(&site).chain(&trees).collect();
        render::LanguageSet::new(&all)
    });
    // The index is built on a thread of its own while the pages render:
    // Pagefind's own parallel steps share rayon's pool with the render.
    let (rendered, search_files) = std::thread::scope(|scope| {
        let search = (index_search && site.config.search.enabled).then(|| {
            scope.spawn(|| {
                let mut files = search::index(&site)?;
                // Each language has an index of its own, in its tree.
                for tree in &trees {
                    for mut f in search::index(tree)? {
                        f.path = format!("{}{}", tree.config.tree, f.path);
                        files.push(f);
                    }
                }
                Ok(files)
            })
        });
        let mut rendered = render::render_language(
            &site,
            &theme,
            previous,
            only.as_ref(),
            sink,
            languages.as_ref().map(|set| (set, 0)),
        );
        for (i, tree) in trees.iter().enumerate() {
            let Ok(out) = &mut rendered else { break };
            if let Err(e) = render_tree(
                tree,
                &theme,
                previous,
                sink,
                languages.as_ref().map(|set| (set, i + 1)),
                out,
            ) {
                rendered = Err(e);
            }
        }
        let search_files = search.map(|h| {
            h.join()
                .unwrap_or_else(|_| Err("search index: the indexer panicked".into()))
        });
        (rendered, search_files)
    });
    let mut rendered = rendered.map_err(|e| match e {
        render::RenderError::Templates(d) => BuildError::Content(d),
        render::RenderError::Io(m) => BuildError::Io(m),
    })?;
    let search_files = search_files
        .transpose()
        .map_err(BuildError::Io)?
        .unwrap_or_default();
    let cache_dir = options.root.join(".explainer-cache").join("media");
    // Bundle files and images are published once, at the output root,
    // whichever languages show them.
    let (bundles, images) = shared_media(&site, &trees);
    let media = media::publish(
        &options.root,
        &cache_dir,
        &site.config.images,
        &bundles,
        &images,
        &rendered
            .fingerprints
            .iter()
            .map(|(p, _)| p.as_str())
            .collect(),
        sink,
    )
    .map_err(BuildError::Content)?;
    let media = std::sync::Mutex::new(media);
    let published: Vec<String> = {
        let m = media
            .lock()
            .map_err(|_| BuildError::Io("media report".into()))?;
        m.written.iter().chain(&m.same).cloned().collect()
    };
    // A static file may not take the place of the index's files either.
    let pages: Vec<&str> = rendered
        .fingerprints
        .iter()
        .map(|(p, _)| p.as_str())
        .chain(published.iter().map(String::as_str))
        .chain(search_files.iter().map(|f| f.path.as_str()))
        .collect();
    // Every alias by the output path of its redirect page, so a static
    // file in its place is reported at the alias.
    let aliases: HashMap<String, &resolve::redirects::Redirect> = std::iter::once(&site)
        .chain(&trees)
        .flat_map(|s| {
            (s.redirects.iter()).map(move |r| (format!("{}{}", s.config.tree, r.from), r))
        })
        .collect();
    let mut statics =
        write::collect_static(&options.root, &pages, &aliases, &site.config.images, &media)
            .map_err(BuildError::Content)?;
    if !site.config.search.enabled {
        // The theme's search script serves only a site with search.
        statics.retain(|f| !search::is_builtin_script(f));
    }
    let mut media = media.into_inner().unwrap_or_default();
    media.located.sort();
    rendered.written.append(&mut media.written);
    rendered.same.append(&mut media.same);
    for file in statics.iter().chain(&search_files) {
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
        media,
        translations: trees,
        source_hashes,
        held_back_problems: Diagnostics::new(),
    })
}

/// The page bundles and images of every language's tree, each once (the
/// first tree to show one keeps it): they are published at the output
/// root, whichever trees link to them.
fn shared_media<'s>(
    site: &'s resolve::Site,
    trees: &'s [resolve::Site],
) -> (
    std::borrow::Cow<'s, [media::Bundle]>,
    std::borrow::Cow<'s, [media::ImageUse]>,
) {
    use std::borrow::Cow;
    if trees.is_empty() {
        return (Cow::Borrowed(&site.bundles), Cow::Borrowed(&site.images));
    }
    let mut bundles = site.bundles.clone();
    let mut images = site.images.clone();
    let mut folders: HashSet<PathBuf> = bundles.iter().map(|b| b.folder.clone()).collect();
    let mut published: HashSet<String> = images.iter().map(|i| i.published.clone()).collect();
    for tree in trees {
        for b in &tree.bundles {
            if folders.insert(b.folder.clone()) {
                bundles.push(b.clone());
            }
        }
        for image in &tree.images {
            if published.insert(image.published.clone()) {
                images.push(image.clone());
            }
        }
    }
    (Cow::Owned(bundles), Cow::Owned(images))
}

/// Renders another language's tree into `out`, its files under its
/// folder (`fr/`): its fingerprints from the last build are those under
/// that folder.
fn render_tree(
    tree: &resolve::Site,
    theme: &render::theme::Theme,
    previous: &HashMap<String, u64>,
    sink: &render::Sink,
    languages: Option<(&render::LanguageSet, usize)>,
    out: &mut render::RenderOutput,
) -> Result<(), render::RenderError> {
    let prefix = tree.config.tree.as_str();
    let previous: HashMap<String, u64> = previous
        .iter()
        .filter_map(|(path, f)| Some((path.strip_prefix(prefix)?.to_string(), *f)))
        .collect();
    let in_tree = |f: &render::OutputFile| {
        sink(&render::OutputFile {
            path: format!("{prefix}{}", f.path),
            bytes: f.bytes.clone(),
        })
    };
    let rendered = render::render_language(tree, theme, &previous, None, &in_tree, languages)?;
    let moved = |paths: Vec<String>| paths.into_iter().map(|p| format!("{prefix}{p}"));
    out.written.extend(moved(rendered.written));
    out.same.extend(moved(rendered.same));
    out.unchanged.extend(moved(rendered.unchanged));
    out.fingerprints.extend(
        rendered
            .fingerprints
            .into_iter()
            .map(|(p, f)| (format!("{prefix}{p}"), f)),
    );
    Ok(())
}

/// On a run that already failed, the problems of `static/` (a link out of
/// the site, an unreadable file) are reported with the others, so that a
/// content error does not hide them. Whether a static file takes a page's
/// place is only known once the pages are rendered, so is not checked
/// here.
fn static_problems(options: &BuildOptions, generated: &[String], errors: &mut Diagnostics) {
    let generated: Vec<&str> = generated.iter().map(String::as_str).collect();
    if let Err(problems) = write::collect_static(
        &options.root,
        &generated,
        &HashMap::default(),
        &Default::default(),
        &Default::default(),
    ) {
        errors.extend(problems.iter().cloned());
    }
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
    build_keeping(options).map(|(summary, _)| summary)
}

/// [`build`], for a process that exits as soon as it returns (the `build`
/// command): the rendered site is never freed. Freeing it is one core
/// walking every page, card and string of the site (at 10,000 articles,
/// hundreds of megabytes in millions of allocations) while the other
/// waits, only for the system to take the whole memory back at exit
/// anyway. Nothing in the site owns a file, a thread or a lock, so
/// leaking it skips no side effect.
pub fn build_then_exit(options: &BuildOptions) -> Result<BuildSummary, BuildError> {
    build_keeping(options).map(|(summary, site)| {
        std::mem::forget(site);
        summary
    })
}

/// [`build`], handing back the rendered site too (`None` when nothing was
/// rendered: the sources had not changed) for the caller to drop or not.
fn build_keeping(
    options: &BuildOptions,
) -> Result<(BuildSummary, Option<RenderedSite>), BuildError> {
    let started = Instant::now();
    if !options.root.is_dir() {
        return Err(BuildError::Usage(format!(
            "site folder {} does not exist",
            write::shown(&options.root)
        )));
    }
    // The output folder is checked before anything else: a wrong
    // `--output` (or `output_dir`) must never be touched, even on a site
    // with errors.
    let (config, _, problems) = config::Config::load(&options.root);
    let outside = config
        .output_dir_outside
        .clone()
        .filter(|_| options.output.is_none());
    if outside.is_some() || !problems.is_empty() {
        // A folder outside the site named by site.toml, or any folder
        // named by a site.toml with problems (whose `output_dir` may be
        // the value at fault), is never claimed nor staged beside: the
        // errors are reported with every other problem of the site.
        return Err(
            match render_site(options, &HashMap::default(), false, &|_| Ok(true)) {
                Err(e) => e,
                Ok(_) => {
                    let mut errors = Diagnostics::new();
                    errors.extend(problems);
                    errors.extend(outside);
                    BuildError::Content(errors)
                }
            },
        );
    }
    let output = output_dir(options, &config.output_dir);
    write::check_output_dir(&options.root, &output).map_err(BuildError::Usage)?;
    let cache = cache::BuildCache::load(&options.root, &output);
    let owned = write::claim_output(&options.root, &output, options.take_over, || cache.paths())
        .map_err(BuildError::Usage)?;
    let manifest_extra = (
        options.drafts,
        options.future,
        &options.base_url,
        write::absolutize(&output),
        // The test knob changes the sitemap's files.
        std::env::var(render::SITEMAP_MAX_URLS_VAR).ok(),
    );
    // Nothing to do when every source is byte-for-byte what the last build
    // read and its output is exactly as it left it. The cheap checks of the
    // output come first: when they fail (no record, output removed or
    // touched) the manifest is only saved for the next build, so it is
    // hashed alongside this one instead of before it.
    let output_as_left = cache.intact
        && write::manifest_names(&output, &write::absolutize(&options.root))
        && cache
            .sources
            .as_ref()
            .is_some_and(|last| owned.len() == last.files && write::all_present(&output, &owned));
    let early_manifest = output_as_left
        .then(|| cache::source_manifest(&options.root, &Default::default(), &manifest_extra));
    if let (Some(Some(now)), Some(last)) = (early_manifest, &cache.sources) {
        if now == last.manifest {
            // The manifest covers `--base-url`, so it parsed last time.
            let base = options
                .base_url
                .as_deref()
                .and_then(|u| config::parse_base_url(u).ok())
                .unwrap_or_else(|| config.base.clone());
            return Ok((
                BuildSummary {
                    pages: last.pages,
                    articles: last.articles,
                    explainers: last.explainers,
                    actors: last.actors,
                    files: last.files,
                    drafts_skipped: 0,
                    held_back: 0,
                    // A build that publishes drafts keeps no record (see
                    // below), so it never takes this shortcut.
                    drafts_published: 0,
                    scheduled_published: 0,
                    next_due: None,
                    written: 0,
                    unchanged: last.files,
                    removed: 0,
                    written_files: Vec::new(),
                    removed_files: Vec::new(),
                    output,
                    elapsed: started.elapsed(),
                    base_url_defaulted: config.base_url_defaulted && options.base_url.is_none(),
                    base_url: base.to_string(),
                    base_path: base.path().to_string(),
                    timings: Timings::default(),
                    images_resized: 0,
                    images_cached: 0,
                    images_located: Vec::new(),
                    images_keep_metadata: config.images.keep_metadata,
                    held_back_problems: Vec::new(),
                },
                None,
            ));
        }
    }
    let staging = write::Staging::new(&output, &options.root).map_err(|e| {
        BuildError::Io(format!(
            "cannot write beside {}: {e}",
            write::shown(&output)
        ))
    })?;
    let previous = cache.fingerprints();
    let render = || {
        render_site_held_back(
            options,
            &previous,
            &Reuse::default(),
            true,
            &|f| staging.put(f),
            HeldBack::Warn,
        )
    };
    // Otherwise the sources are listed beside the render and hashed after
    // it, from the bytes the build read: a content file is not read a
    // second time, and an edit made while the build ran is not mistaken
    // for what it built.
    let (files, rendered) = rayon::join(
        || {
            early_manifest
                .is_none()
                .then(|| cache::source_files(&options.root))
        },
        render,
    );
    let mut rendered = rendered?;
    let manifest = match (early_manifest, files) {
        (Some(manifest), _) => manifest,
        (None, Some(Some(files))) => cache::manifest_of(
            &options.root,
            &files,
            &rendered.source_hashes,
            &manifest_extra,
        ),
        (None, _) => None,
    };
    let clock = Instant::now();
    let keep: Vec<&String> = rendered.same.iter().chain(&rendered.unchanged).collect();
    let mut report = match staging.commit(&rendered.written, &keep, &owned) {
        Ok(r) => r,
        Err(write::CommitError::Refused(message)) => return Err(BuildError::Usage(message)),
        Err(write::CommitError::Io(e)) => {
            cache::BuildCache::clear(&options.root, &output);
            return Err(BuildError::Io(format!(
                "cannot write to {}: {e}",
                write::shown(&output)
            )));
        }
    };
    rendered.timings.write = clock.elapsed();
    let stamps = std::mem::take(&mut report.stamps);
    let summary = summary(&rendered, output, report, started.elapsed());
    // A site with articles dated in the future changes with the clock, not
    // only with its sources: without a record, the next build never
    // takes the unchanged-sources shortcut (page fingerprints still spare
    // the unchanged pages).
    // Nor does a site whose held-back pages have problems, so every build
    // warns of them until they are fixed, nor a build that published
    // drafts, so every such build says so.
    let record = manifest
        .filter(|_| {
            rendered.timeless()
                && rendered.held_back_problems.is_empty()
                && summary.drafts_published == 0
        })
        .map(|manifest| cache::SourceRecord {
            manifest,
            articles: summary.articles,
            explainers: summary.explainers,
            actors: summary.actors,
            pages: summary.pages,
            files: summary.files,
        });
    cache::BuildCache::save_stamped(
        &options.root,
        &summary.output,
        &rendered.fingerprints,
        record,
        &stamps,
    );
    Ok((summary, Some(rendered)))
}

/// Checks everything a build would, writing nothing.
pub fn check(options: &BuildOptions) -> Result<BuildSummary, BuildError> {
    let started = Instant::now();
    // The index is not checked: it cannot fail on content, and costs time.
    // The pages the site holds back are checked too, as they will be once
    // published: a scheduled article must not fail the build of its day.
    let rendered = render_site_held_back(
        options,
        &HashMap::default(),
        &Reuse::default(),
        false,
        &|_| Ok(true),
        HeldBack::Fail,
    )?;
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
    let trees = || std::iter::once(s).chain(&rendered.translations);
    BuildSummary {
        pages: rendered.pages(),
        articles: trees().map(|t| t.own.articles).sum(),
        explainers: trees().map(|t| t.own.notes).sum(),
        actors: trees().map(|t| t.own.actors).sum(),
        files: rendered.written.len() + rendered.same.len() + rendered.unchanged.len(),
        drafts_skipped: s.drafts_skipped,
        held_back: rendered.held_back().0,
        drafts_published: trees()
            .map(|t| {
                t.own_articles().iter().filter(|p| p.draft).count()
                    + t.own_notes().iter().filter(|p| p.draft).count()
                    + t.own_actors().iter().filter(|p| p.draft).count()
                    + t.own_pages().iter().filter(|p| p.draft).count()
                    + t.own_authors().iter().filter(|p| p.draft).count()
            })
            .sum(),
        scheduled_published: trees()
            .map(|t| t.own_articles().iter().filter(|p| p.scheduled).count())
            .sum(),
        next_due: rendered.held_back().1,
        written: report.written,
        unchanged: report.unchanged,
        removed: report.removed,
        written_files: {
            let mut written = report.changed[..report.written.min(report.changed.len())].to_vec();
            written.sort();
            written
        },
        removed_files: report.removed_files,
        output,
        elapsed,
        base_url_defaulted: s.config.base_url_defaulted,
        base_url: s.config.base_url.clone(),
        base_path: s.config.base_path().to_string(),
        timings: rendered.timings,
        images_resized: rendered.media.processed,
        images_cached: rendered.media.cached,
        images_located: rendered.media.located.clone(),
        images_keep_metadata: s.config.images.keep_metadata,
        held_back_problems: rendered.held_back_problems.clone().into_sorted(),
    }
}

/// A path for messages: relative to the current folder where possible,
/// with control and bidirectional characters escaped (a folder name can
/// hold a terminal escape sequence).
pub fn display_path(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let shown = path
        .strip_prefix(&cwd)
        .unwrap_or(path)
        .display()
        .to_string();
    diagnostics::escape_controls(&shown).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The moments `scheduled_moments_to_check` picks for a site of
    /// `files` (path, text) checked at the start of 2100, on the UTC
    /// calendar of the test's clock.
    fn moments(files: &[(&str, &str)], drafts: bool) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.toml"), "title = \"T\"\n").unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let now = chrono::DateTime::parse_from_rfc3339("2100-01-01T00:00:00+00:00").unwrap();
        let all = load::LoadOptions {
            include_drafts: true,
            include_future: true,
            now: Some(now),
            output_given: true,
        };
        let (loaded, _) = load::load(dir.path(), &all);
        let options = BuildOptions {
            root: dir.path().to_path_buf(),
            output: None,
            base_url: None,
            drafts,
            future: false,
            take_over: false,
        };
        scheduled_moments_to_check(std::iter::once(&loaded), &options, now)
            .into_iter()
            .map(|m| m.to_utc().to_rfc3339())
            .collect()
    }

    fn article(date: &str, body: &str) -> String {
        format!("+++\ntitle = \"A\"\ndate = {date}\n+++\n\n{body}\n")
    }

    #[test]
    fn only_the_moments_of_articles_naming_a_page_held_back_past_them_are_checked() {
        let early = article("2200-01-01T00:00:00Z", "See [[Later]] and [[sahel]].");
        let later = article("2300-01-01T00:00:00Z", "See [[early]].");
        let quiet = article("2250-01-01T00:00:00Z", "Nothing held back is named.");
        let draft = "+++\ntitle = \"Sahel\"\ndraft = true\n+++\n\nDraft.\n";
        let site = [
            ("content/articles/early.md", early.as_str()),
            ("content/articles/later.md", later.as_str()),
            ("content/articles/quiet.md", quiet.as_str()),
            ("content/notes/sahel.md", draft),
        ];
        // `early` names `later` (in another case) and a draft; `later`
        // names only an article published before it; `quiet` nothing.
        assert_eq!(moments(&site, false), ["2200-01-01T00:00:00+00:00"]);
        // With the drafts in, `early` still names an article after it.
        assert_eq!(moments(&site, true), ["2200-01-01T00:00:00+00:00"]);
        let early = article("2200-01-01T00:00:00Z", "See [[sahel]].");
        let site = [
            ("content/articles/early.md", early.as_str()),
            ("content/articles/quiet.md", quiet.as_str()),
            ("content/notes/sahel.md", draft),
        ];
        assert_eq!(moments(&site, false), ["2200-01-01T00:00:00+00:00"]);
        assert!(moments(&site, true).is_empty());
        // Nothing scheduled names anything held back: no second look.
        let site = [
            ("content/articles/quiet.md", quiet.as_str()),
            ("content/notes/sahel.md", draft),
        ];
        assert!(moments(&site, false).is_empty());
    }
}
