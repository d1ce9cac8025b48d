//! Load: reads a site folder into memory. Walks `content/` (the three
//! sections and their sub-folders), decodes each file (UTF-8 with or
//! without BOM, LF or CRLF), splits off and parses its front matter, and
//! reads `site.toml` and the site's own templates. Nothing here knows about
//! other pages: references are checked in `resolve`.

pub mod characters;
pub mod front_matter;
pub mod meta;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::config::Config;
use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics, SourceFile};
use crate::model::{slugify, Section, Slug, MAX_SLUG_BYTES};
use front_matter::{
    ActorMeta, ArticleMeta, AuthorMeta, NoteMeta, PageMeta, ACTOR_KEYS, ARTICLE_KEYS, AUTHOR_KEYS,
    NOTE_KEYS, PAGE_KEYS,
};

/// One content file, parsed: where it came from, its slug, its typed
/// front matter and where its body starts.
#[derive(Debug, Clone)]
pub struct Page<M> {
    pub file: Arc<SourceFile>,
    pub slug: Slug,
    pub meta: M,
    pub front_matter: Range<usize>,
    pub body: Range<usize>,
    /// xxh3 of the body text, hashed once when the file is read: rebuilds
    /// look rendered bodies up by it.
    pub body_hash: u64,
    /// The language suffix of its file name (`fr` of `slug.fr.md` or of a
    /// bundle's `index.fr.md`), as written; `None` for the default
    /// language's file.
    pub language: Option<String>,
    /// In another language's tree, the slug of the default language's
    /// page this one translates, when the two slugs differ (`withdrawal`
    /// for `withdrawal.fr.md` with `slug = "retrait"`): links may name the
    /// translation by it. Set by [`add_stand_ins`].
    pub original: Option<Slug>,
}

impl<M> Page<M> {
    /// The page's bundle folder, relative to the site folder, when the
    /// page is one (`content/articles/<slug>/index.md`): the files beside
    /// it are published with it.
    pub fn bundle(&self) -> Option<&Path> {
        bundle_of(&self.file.path)
    }

    pub fn body_text(&self) -> &str {
        &self.file.text[self.body.clone()]
    }

    /// What pairs a page with its translations, Zola's convention: the
    /// name of its source (`withdrawal` of `withdrawal.md`,
    /// `withdrawal.fr.md`, `withdrawal/index.md` and
    /// `withdrawal/index.fr.md`), whatever slug each declares.
    pub fn source_name(&self) -> String {
        page_stem(&self.file.path)
    }

    /// [`Page::error_at_key`] at the `nth` (from 0) time `value` is written
    /// under `key`, for a value given more than once.
    pub fn error_at_nth_value(
        &self,
        key: &str,
        value: &str,
        nth: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        let span = front_matter::locate_nth_value(
            &self.file.text,
            self.front_matter.clone(),
            key,
            value,
            nth,
        );
        Diagnostic::at(&self.file, span, message)
    }

    /// A diagnostic pointing at a front-matter key (or a value under it).
    pub fn error_at_key(
        &self,
        key: &str,
        value: Option<&str>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let span = match value {
            Some(v) => {
                front_matter::locate_value(&self.file.text, self.front_matter.clone(), key, v)
            }
            None => front_matter::locate_key(&self.file.text, self.front_matter.clone(), key),
        };
        Diagnostic::at(&self.file, span, message)
    }

    /// A diagnostic pointing at the whole value written after a top-level
    /// front-matter key, as spelt (quotes included); at the key when the
    /// value cannot be found.
    pub fn error_at_value(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        let key = front_matter::locate_key(&self.file.text, self.front_matter.clone(), key);
        let span = front_matter::value_after_key(&self.file.text, key);
        Diagnostic::at(&self.file, span, message)
    }
}

/// A template file from the site's own `templates/` folder.
#[derive(Debug, Clone)]
pub struct TemplateFile {
    /// The name it overrides, e.g. `article.html`.
    pub name: String,
    pub file: Arc<SourceFile>,
}

/// Everything read from a site folder.
#[derive(Debug)]
pub struct LoadedSite {
    pub root: PathBuf,
    pub config: Config,
    pub articles: Vec<Arc<Page<ArticleMeta>>>,
    pub notes: Vec<Arc<Page<NoteMeta>>>,
    pub actors: Vec<Arc<Page<ActorMeta>>>,
    /// Standalone pages (`content/pages/`).
    pub pages: Vec<Arc<Page<PageMeta>>>,
    /// Author profiles (`content/authors/`).
    pub authors: Vec<Arc<Page<AuthorMeta>>>,
    pub templates: Vec<TemplateFile>,
    /// Drafts left out of this build, so a reference to one can say so.
    pub drafts: Vec<(Section, Slug)>,
    /// The name of each draft author profile left out, by slug: a byline
    /// naming one by its slug shows the name, unlinked, not the slug.
    pub draft_authors: Vec<(Slug, String)>,
    /// Articles dated after the build's clock, left out of this build
    /// (without `--future`), with their dates.
    pub held_back: Vec<(Slug, crate::model::Date)>,
    /// How many of `held_back`, at its end, are the default language's,
    /// added by [`add_stand_ins`] so links to them say why they fail; the
    /// rest are this tree's own.
    pub inherited_held_back: usize,
    /// The xxh3 hash of the bytes of each content file read, by path (as
    /// [`walk_site_folder`] names it): the build's source manifest takes
    /// them from here rather than reading every file a second time.
    /// Filled by [`load`] only; empty inside a translation.
    pub source_hashes: std::collections::HashMap<PathBuf, u64>,
    /// Articles dated after the build's clock, built because `--future`
    /// was given: they are marked "Scheduled" and stay out of the feed and
    /// the sitemap.
    pub scheduled: Vec<Slug>,
    /// Pages that failed to load (by section and file stem). Their errors
    /// are already reported; references to them are not reported again.
    pub unavailable: Vec<(Section, String)>,
    /// On a multilingual site, the pages of each other language of
    /// `languages`, in its order, each with its own `config` (its
    /// `language`, interface and tree); empty on the others and inside a
    /// translation.
    pub translations: Vec<LoadedSite>,
    /// The files of `static/`, as output paths (`/`-separated, relative
    /// to the output root), so an alias that would stand where one is
    /// published is reported with the other content errors. Problems of
    /// `static/` itself are reported when it is published.
    pub static_files: Arc<[String]>,
}

impl LoadedSite {
    /// A site with `config` and `templates` and no pages yet.
    fn empty(root: &Path, config: Config, templates: Vec<TemplateFile>) -> LoadedSite {
        LoadedSite {
            root: root.to_path_buf(),
            config,
            articles: Vec::new(),
            notes: Vec::new(),
            actors: Vec::new(),
            pages: Vec::new(),
            authors: Vec::new(),
            templates,
            drafts: Vec::new(),
            draft_authors: Vec::new(),
            held_back: Vec::new(),
            inherited_held_back: 0,
            source_hashes: Default::default(),
            scheduled: Vec::new(),
            unavailable: Vec::new(),
            translations: Vec::new(),
            static_files: Arc::from([]),
        }
    }
}

/// What to load.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub include_drafts: bool,
    /// Build articles dated after `now` too (`--future`).
    pub include_future: bool,
    /// The build's clock, with the local offset; `None` reads it.
    pub now: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// The output folder was given on the command line, so `output_dir`
    /// of `site.toml` is not used (nor checked against the site folder).
    pub output_given: bool,
}

/// Reads the whole site, collecting every problem instead of stopping at
/// the first. Pages that fail to load are left out of the site and listed
/// in `unavailable`, so later stages can still check the rest.
pub fn load(root: &Path, options: &LoadOptions) -> (LoadedSite, Diagnostics) {
    let mut content = ContentFiles::default();
    let mut errors = content.scan(root);
    let (config, templates) = load_settings(root, options, &mut errors);
    let (mut site, file_errors) = content.assemble(root, config, templates, options);
    errors.extend(file_errors);
    site.source_hashes = content.take_source_hashes();
    (site, errors)
}

/// `site.toml` (defaults when it is broken, with its error reported) and
/// the site's own templates.
pub fn load_settings(
    root: &Path,
    options: &LoadOptions,
    errors: &mut Diagnostics,
) -> (Config, Vec<TemplateFile>) {
    // Every problem of site.toml is reported with the content's; the
    // settings hold defaults in place of the values at fault, so the
    // content is still checked with the rest (its languages too, so
    // translations are not also reported as unlisted).
    let (mut config, site_toml, problems) = Config::load(root);
    // A site.toml that could not be read as text (a character no output
    // may carry) still names its languages, kept for the same reason.
    let unreadable = site_toml.is_none() && !problems.is_empty();
    if unreadable {
        let text = std::fs::read_to_string(root.join("site.toml")).unwrap_or_default();
        if let Some(listed) = text
            .parse::<toml::Table>()
            .ok()
            .and_then(|t| t.get("languages")?.as_array().cloned())
        {
            for tag in listed.iter().filter_map(|v| v.as_str()) {
                if !config.languages.iter().any(|l| l.eq_ignore_ascii_case(tag)) {
                    config.languages.push(tag.to_string());
                }
            }
        }
    }
    errors.extend(problems);
    if let Some(outside) = config
        .output_dir_outside
        .as_ref()
        .filter(|_| !options.output_given)
    {
        errors.push(outside.clone());
    }
    match crate::i18n::load(root, &config.language, site_toml.as_ref()) {
        Ok(interface) => {
            if config.know_heading_defaulted {
                config.know_heading = interface.text("know_heading").to_string();
            }
            config.interface = Arc::new(interface);
        }
        Err(problems) => errors.extend(problems),
    }
    // The other languages take their words from the built-in tables and
    // the site's i18n/<language>.toml; `[strings]` is the default
    // language's.
    for language in config.languages.iter().skip(1) {
        match crate::i18n::load_translation(root, language, site_toml.as_ref()) {
            Ok(interface) => config.language_interfaces.push(Arc::new(interface)),
            Err(problems) => errors.extend(problems),
        }
    }
    // Which files of i18n/ are read is only known from a readable
    // site.toml.
    if !unreadable {
        errors.extend(crate::i18n::check_unread_files(root, &config.languages));
    }
    (config, load_templates(root, errors))
}

/// The outcome of loading one content file.
#[derive(Debug, Clone)]
pub enum Loaded {
    Article(Arc<Page<ArticleMeta>>),
    Note(Arc<Page<NoteMeta>>),
    Actor(Arc<Page<ActorMeta>>),
    Standalone(Arc<Page<PageMeta>>),
    Author(Arc<Page<AuthorMeta>>),
    /// The file could not be read or parsed; the stem stands in for its slug.
    Failed(Section, String, Vec<Diagnostic>),
    /// A page whose front matter has problems, loaded with the bad values
    /// set aside (see [`front_matter::parse`]) so the rest of it is still
    /// checked with the site; the problems are reported with the others.
    Flawed(Box<Loaded>, Vec<Diagnostic>),
}

/// Every content file of a site, loaded, by path. Kept between builds by
/// the preview so an edit reloads only the files it touched.
#[derive(Debug, Default)]
pub struct ContentFiles {
    files: std::collections::BTreeMap<PathBuf, Loaded>,
    /// The xxh3 hash of each file's bytes as read, by path.
    source_hashes: std::collections::HashMap<PathBuf, u64>,
}

impl ContentFiles {
    /// Walks `content/` and loads every file in parallel; returns the
    /// problems of the walk itself (misplaced files).
    pub fn scan(&mut self, root: &Path) -> Diagnostics {
        let mut errors = Diagnostics::new();
        let content_dir = root.join("content");
        let mut files: Vec<(Section, PathBuf)> = Vec::new();
        if content_dir.is_dir() {
            collect_content_files(root, &content_dir, &mut files, &mut errors);
        }
        let loaded: Vec<(PathBuf, Loaded, Option<u64>)> = files
            .par_iter()
            .map(|(section, path)| {
                let (page, hash) = load_page(root, *section, path);
                (path.clone(), page, hash)
            })
            .collect();
        self.source_hashes = loaded
            .iter()
            .filter_map(|(path, _, hash)| Some((path.clone(), (*hash)?)))
            .collect();
        // Built in one pass from the sorted pairs rather than inserted one
        // by one: the walk lists files by name, and inserting 10,000 paths
        // compared each one's components against a dozen others, serially
        // while the other cores waited.
        self.files = into_map(loaded.into_iter().map(|(path, page, _)| (path, page)));
        errors
    }

    /// The xxh3 hash of each file's bytes as read, by path, taken out (see
    /// [`LoadedSite::source_hashes`]).
    pub fn take_source_hashes(&mut self) -> std::collections::HashMap<PathBuf, u64> {
        std::mem::take(&mut self.source_hashes)
    }

    /// Reloads one file after an edit: returns false when the path is not
    /// a content page (a folder, a misplaced file), so the caller scans
    /// again instead.
    pub fn reload(&mut self, root: &Path, path: &Path) -> bool {
        let Some(section) = section_of(root, path) else {
            return false;
        };
        // A link (or a folder on the way) may lead out of the site: only a
        // full scan says so properly.
        let leads_out = root
            .canonicalize()
            .ok()
            .and_then(|site| link_out_of_site(&site, root, path));
        if leads_out.is_some() {
            return false;
        }
        if path.is_file() {
            let (page, hash) = load_page(root, section, path);
            self.files.insert(path.to_path_buf(), page);
            match hash {
                Some(hash) => self.source_hashes.insert(path.to_path_buf(), hash),
                None => self.source_hashes.remove(path),
            };
            true
        } else if !path.exists() {
            self.files.remove(path);
            self.source_hashes.remove(path);
            true
        } else {
            false
        }
    }

    /// Puts the loaded pages together into a site, leaving drafts out
    /// unless asked for; on a multilingual site, each other language's
    /// pages into a site of their own in `translations` (a file whose
    /// language the site does not publish is an error).
    pub fn assemble(
        &self,
        root: &Path,
        config: Config,
        templates: Vec<TemplateFile>,
        options: &LoadOptions,
    ) -> (LoadedSite, Diagnostics) {
        let mut errors = Diagnostics::new();
        let static_files = static_files(root);
        // One site per language, the default first.
        let mut sites: Vec<LoadedSite> = (0..config.languages.len())
            .map(|i| {
                let config = match i {
                    0 => config.clone(),
                    _ => config.translation(i),
                };
                LoadedSite {
                    static_files: static_files.clone(),
                    ..LoadedSite::empty(root, config, templates.clone())
                }
            })
            .collect();
        let now = options
            .now
            .unwrap_or_else(|| chrono::Local::now().fixed_offset());
        for (path, loaded) in &self.files {
            let Some(site) = language_of(root, path, &sites[0].config, &mut errors)
                .and_then(|i| sites.get_mut(i))
            else {
                continue;
            };
            let loaded = match loaded {
                Loaded::Flawed(page, problems) => {
                    errors.extend(problems.iter().cloned());
                    page
                }
                loaded => loaded,
            };
            let (draft, section, slug) = match loaded {
                Loaded::Article(p) => (p.meta.draft, Section::Articles, &p.slug),
                Loaded::Note(p) => (p.meta.draft, Section::Notes, &p.slug),
                Loaded::Actor(p) => (p.meta.draft, Section::Actors, &p.slug),
                Loaded::Standalone(p) => (p.meta.draft, Section::Pages, &p.slug),
                Loaded::Author(p) => (p.meta.draft, Section::Authors, &p.slug),
                Loaded::Failed(section, stem, e) => {
                    errors.extend(e.iter().cloned());
                    site.unavailable.push((*section, stem.clone()));
                    continue;
                }
                Loaded::Flawed(..) => continue,
            };
            if draft && !options.include_drafts {
                if let Loaded::Author(p) = loaded {
                    site.draft_authors.push((slug.clone(), p.meta.name.clone()));
                }
                site.drafts.push((section, slug.clone()));
                continue;
            }
            if let Loaded::Article(p) = loaded {
                if p.meta.date.is_after(now) {
                    if !options.include_future {
                        site.held_back.push((slug.clone(), p.meta.date));
                        continue;
                    }
                    site.scheduled.push(slug.clone());
                }
            }
            // A published page's `updated` after the build's clock would
            // show a change that has not happened (and give the sitemap a
            // `<lastmod>` in the future). A scheduled article's would be
            // in the future on the day it goes out if it follows the
            // article's own date: the build of that day would fail, so it
            // is an error now (of `check`, as the article's problems are).
            let future = |updated: Option<crate::model::Date>| {
                updated
                    .filter(|u| u.is_after(now))
                    .map(|u| future_update_message(u, now))
            };
            let error = match loaded {
                Loaded::Article(p) if p.meta.date.is_after(now) => {
                    let due = p.meta.date.due_at();
                    (p.meta.updated.filter(|u| u.is_after(due))).map(|u| {
                        p.error_at_value(
                            "updated",
                            format!(
                                "`updated` ({}) is after the article's own date ({}): on the day \
                                 it is published, it would be in the future",
                                u.html_datetime(),
                                p.meta.date.html_datetime()
                            ),
                        )
                    })
                }
                Loaded::Article(p) => {
                    future(p.meta.updated).map(|m| p.error_at_value("updated", m))
                }
                Loaded::Note(p) => future(p.meta.updated).map(|m| p.error_at_value("updated", m)),
                Loaded::Standalone(p) => {
                    future(p.meta.updated).map(|m| p.error_at_value("updated", m))
                }
                _ => None,
            };
            if let Some(error) = error {
                errors.push(error.with_help(
                    "`updated` says when the page last changed: give that date, or leave \
                     `updated` out until the change is made (an article to be published \
                     later takes a future `date`)",
                ));
            }
            match loaded {
                Loaded::Article(p) => site.articles.push(p.clone()),
                Loaded::Note(p) => site.notes.push(p.clone()),
                Loaded::Actor(p) => site.actors.push(p.clone()),
                Loaded::Standalone(p) => site.pages.push(p.clone()),
                Loaded::Author(p) => site.authors.push(p.clone()),
                Loaded::Failed(..) | Loaded::Flawed(..) => {}
            }
        }
        let mut sites = sites.into_iter();
        let mut site = sites.next().expect("the default language has a site");
        site.translations = sites.collect();
        (site, errors)
    }
}

/// `` `updated` (2027-01-01) is in the future: the build's clock says 2026-12-01 ``.
fn future_update_message(
    updated: crate::model::Date,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> String {
    format!(
        "`updated` ({}) is in the future: the build's clock says {}",
        updated.html_datetime(),
        now.format("%Y-%m-%d")
    )
}

/// Adds to `tree`, the pages of another language, the default language's
/// pages it has no translation of, so that its links to them resolve (to
/// the default language's tree, with a note; see `resolve`). They stand
/// in as names only: without body, references, image or aliases, so they
/// add nothing to the tree's lists, backlinks or timeline. Drafts and
/// held-back articles of the default language count as such here too.
/// Each of the tree's pages that translates one under another slug gets
/// that slug as its `original`.
pub fn add_stand_ins(tree: &mut LoadedSite, default: &LoadedSite) {
    use rustc_hash::{FxHashMap, FxHashSet};
    // Translations pair by source name; a page is missing from the tree
    // when neither its source name nor its slug is there (a page of the
    // tree's own under that slug wins).
    fn pair<M: Clone>(own: &mut [Arc<Page<M>>], default: &[Arc<Page<M>>]) -> FxHashSet<Slug> {
        let originals: FxHashMap<String, &Slug> = (default.iter())
            .map(|p| (p.source_name(), &p.slug))
            .collect();
        let mut present = FxHashSet::default();
        for page in own {
            if let Some(&original) = originals.get(&page.source_name()) {
                present.insert(original.clone());
                if *original != page.slug {
                    Arc::make_mut(page).original = Some(original.clone());
                }
            }
            present.insert(page.slug.clone());
        }
        present
    }
    fn missing<M>(present: &FxHashSet<Slug>, page: &Page<M>) -> bool {
        !present.contains(&page.slug)
    }
    fn bare<M: Clone>(page: &Page<M>, clear: impl FnOnce(&mut M)) -> Arc<Page<M>> {
        let mut page = page.clone();
        clear(&mut page.meta);
        page.body = page.body.end..page.body.end;
        page.body_hash = xxhash_rust::xxh3::xxh3_64(b"");
        page.language = None;
        page.original = None;
        Arc::new(page)
    }
    let present = pair(&mut tree.articles, &default.articles);
    let articles: Vec<_> = (default.articles.iter())
        .filter(|p| missing(&present, p))
        .map(|p| {
            bare(p, |m| {
                m.topics.clear();
                m.actors.clear();
                m.background.clear();
                m.know = None;
                m.image = None;
                m.image_alt = None;
                m.corrections.clear();
                m.aliases.clear();
            })
        })
        .collect();
    let present = pair(&mut tree.notes, &default.notes);
    let notes: Vec<_> = (default.notes.iter())
        .filter(|p| missing(&present, p))
        .map(|p| {
            bare(p, |m| {
                m.actors.clear();
                m.related.clear();
                m.timeline.clear();
                m.aliases.clear();
            })
        })
        .collect();
    let present = pair(&mut tree.actors, &default.actors);
    let actors: Vec<_> = (default.actors.iter())
        .filter(|p| missing(&present, p))
        .map(|p| {
            bare(p, |m| {
                m.related.clear();
                m.country = None;
                m.image = None;
                m.image_alt = None;
                m.links.clear();
                m.url_aliases.clear();
            })
        })
        .collect();
    let present = pair(&mut tree.pages, &default.pages);
    let pages: Vec<_> = (default.pages.iter())
        .filter(|p| missing(&present, p))
        .map(|p| {
            bare(p, |m| {
                m.menu = front_matter::MenuPlace::default();
                m.aliases.clear();
            })
        })
        .collect();
    let present = pair(&mut tree.authors, &default.authors);
    let authors: Vec<_> = (default.authors.iter())
        .filter(|p| missing(&present, p))
        .map(|p| {
            bare(p, |m| {
                m.image = None;
                m.image_alt = None;
                m.links.clear();
                m.aliases.clear();
            })
        })
        .collect();
    tree.articles.extend(articles);
    tree.notes.extend(notes);
    tree.actors.extend(actors);
    tree.pages.extend(pages);
    tree.authors.extend(authors);
    let has = |section: Section, slug: &str| match section {
        Section::Articles => tree.articles.iter().any(|p| p.slug.as_str() == slug),
        Section::Notes => tree.notes.iter().any(|p| p.slug.as_str() == slug),
        Section::Actors => tree.actors.iter().any(|p| p.slug.as_str() == slug),
        Section::Pages => tree.pages.iter().any(|p| p.slug.as_str() == slug),
        Section::Authors => tree.authors.iter().any(|p| p.slug.as_str() == slug),
    };
    let drafts: Vec<_> = (default.drafts.iter())
        .filter(|(section, slug)| !has(*section, slug.as_str()))
        .cloned()
        .collect();
    let held_back: Vec<_> = (default.held_back.iter())
        .filter(|(slug, _)| !has(Section::Articles, slug.as_str()))
        .cloned()
        .collect();
    let unavailable: Vec<_> = (default.unavailable.iter())
        .filter(|(section, slug)| !has(*section, slug))
        .cloned()
        .collect();
    tree.drafts.extend(drafts);
    let draft_authors: Vec<_> = (default.draft_authors.iter())
        .filter(|(slug, _)| !has(Section::Authors, slug.as_str()))
        .cloned()
        .collect();
    tree.draft_authors.extend(draft_authors);
    tree.inherited_held_back = held_back.len();
    tree.held_back.extend(held_back);
    tree.unavailable.extend(unavailable);
}

/// Which of `config.languages` the page at `path` is in (its index), from
/// the language suffix of its file name; `None`, with the error reported,
/// for a suffix the site does not publish.
fn language_of(
    root: &Path,
    path: &Path,
    config: &Config,
    errors: &mut Diagnostics,
) -> Option<usize> {
    let Some((stem, tag)) = file_language(path) else {
        // On a multilingual site, `slug.xx.md` whose `xx` is no language
        // tag is a translation with a bad code rather than a slug with a
        // dot: said so, with the codes accepted.
        let name = path.file_name()?.to_string_lossy();
        let code = (name
            .strip_suffix(".md")
            .or_else(|| name.strip_suffix(".MD")))
        .and_then(|stem| stem.rsplit_once('.'))
        .filter(|(stem, code)| !stem.is_empty() && !code.is_empty());
        if let Some((stem, code)) = code.filter(|_| config.is_multilingual()) {
            errors.push(
                Diagnostic::in_file(
                    &relative(root, path),
                    1,
                    1,
                    format!(
                        "\"{code}\" in the file name {name} is not a language tag like \"en\" or \"pt-BR\""
                    ),
                )
                .with_help({
                    let dashed = code.replace('_', "-");
                    // `en_US` for `en-US`, when the site publishes it.
                    match config.languages.iter().find(|l| l.eq_ignore_ascii_case(&dashed)) {
                        Some(l) if dashed != code => format!(
                            "did you mean \"{l}\"? A language tag joins its parts with `-`: {stem}.{l}.md"
                        ),
                        _ => format!(
                            "the site publishes {}: name a translation {stem}.<language>.md with one of \
                             them, as {stem}.{}.md, or the page itself {stem}.md",
                            config.languages.join(", "),
                            config.languages[config.languages.len() - 1]
                        ),
                    }
                }),
            );
            return None;
        }
        return Some(0);
    };
    if let Some(i) = config
        .languages
        .iter()
        .position(|l| l.eq_ignore_ascii_case(tag))
    {
        return Some(i);
    }
    let rel = relative(root, path);
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let d = Diagnostic::in_file(
        &rel,
        1,
        1,
        format!(
            "\"{tag}\" in the file name {name} is a language that languages in site.toml does not list: the file is a translation into it"
        ),
    );
    // Renaming it to the page it translates would overwrite that page.
    let page_exists = path.with_file_name(format!("{stem}.md")).exists();
    errors.push(if config.is_multilingual() && page_exists {
        d.with_help(format!(
            "the site publishes {}, and {stem}.md is beside it: add \"{tag}\" to languages \
             in site.toml, or remove the file",
            config.languages.join(", ")
        ))
    } else if config.is_multilingual() {
        d.with_help(format!(
            "the site publishes {}: add \"{tag}\" to languages, or rename the file to {stem}.md",
            config.languages.join(", ")
        ))
    } else {
        d.with_help(format!(
            "for a site in more than one language, add languages = [\"{}\", \"{tag}\"] to site.toml; otherwise rename the file (a slug has no dots): {}",
            config.language,
            name.replacen(&format!(".{tag}.md"), &format!("-{tag}.md"), 1)
        ))
    });
    None
}

/// The section of a content page at `path`, if it is one: a visible `.md`
/// file under `content/articles`, `content/notes` or `content/actors`.
pub fn section_of(root: &Path, path: &Path) -> Option<Section> {
    let rel = path.strip_prefix(root.join("content")).ok()?;
    if rel.components().any(|c| is_hidden(c.as_os_str())) {
        return None;
    }
    let is_md = path
        .extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("md"))
        && !path
            .file_name()
            .is_some_and(|n| n.eq_ignore_ascii_case("_index.md"));
    let section = Section::from_folder(&rel.components().next()?.as_os_str().to_string_lossy())?;
    (is_md && rel.components().count() > 1).then_some(section)
}

/// Finds every Markdown file of the three sections. Anything else under
/// `content/` that looks like content (a stray `.md`, a misspelt section
/// folder) is an error, so a page never silently goes missing.
/// The pairs as a map, the last of equal paths kept (as inserting them one
/// by one would). `BTreeMap`'s `FromIterator` sorts the pairs (stably; a
/// single pass over pairs already in order) and builds the tree in bulk.
fn into_map<V>(
    pairs: impl Iterator<Item = (PathBuf, V)>,
) -> std::collections::BTreeMap<PathBuf, V> {
    pairs.collect()
}

fn collect_content_files(
    root: &Path,
    content_dir: &Path,
    files: &mut Vec<(Section, PathBuf)>,
    errors: &mut Diagnostics,
) {
    let (entries, walk_errors) = walk_site_folder(root, content_dir, true);
    errors.extend(walk_errors);
    // Page bundles: folders holding an `index.md`, by their path in the
    // site. A bundle holds one page; its other files are published with it.
    let bundles: std::collections::BTreeSet<PathBuf> = entries
        .iter()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| bundle_of(&relative(root, e.path())).map(Path::to_path_buf))
        .collect();
    let in_bundle = |rel: &Path, own: Option<&Path>| {
        rel.ancestors()
            .skip(1)
            .find(|a| Some(*a) != own && bundles.contains(*a))
            .map(Path::to_path_buf)
    };
    for entry in entries {
        if entry.file_type().is_file() && entry.depth() > 1 {
            let rel = relative(root, entry.path());
            let is_page = rel
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("md"));
            let own = bundle_of(&rel);
            match in_bundle(&rel, own) {
                Some(bundle) if is_page => {
                    errors.push(
                        Diagnostic::in_file(
                            &rel,
                            1,
                            1,
                            format!(
                                "{} is inside the page bundle {}: a bundle holds one page, its index.md",
                                rel.display(),
                                bundle.display()
                            ),
                        )
                        .with_help(
                            "move this page out of the bundle's folder, or make it the bundle's index.md",
                        ),
                    );
                    continue;
                }
                None if !is_page
                    && foreign_habit(root, entry.path()).is_none()
                    && Section::from_folder(&rel_to_first(content_dir, entry.path())).is_some() =>
                {
                    errors.push(
                        Diagnostic::in_file(
                            &rel,
                            1,
                            1,
                            format!(
                                "{} is in no page bundle, so it is not published",
                                rel.display()
                            ),
                        )
                        .with_help(
                            "put it in the folder of the page that uses it, beside that page's \
                             index.md (content/<section>/<slug>/index.md), or in static/",
                        ),
                    );
                    continue;
                }
                _ => {}
            }
        }
        let rel_to_content = entry
            .path()
            .strip_prefix(content_dir)
            .unwrap_or(entry.path());
        let mut parts = rel_to_content.components();
        let Some(first) = parts.next() else { continue };
        let first = first.as_os_str().to_string_lossy();
        let is_md = entry.file_type().is_file()
            && entry
                .path()
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("md"));
        if entry.file_type().is_file() {
            if let Some(d) = foreign_habit(root, entry.path()) {
                errors.push(d);
                continue;
            }
        }
        match Section::from_folder(&first) {
            Some(section) if is_md => files.push((section, entry.path().to_path_buf())),
            Some(_) => {}
            None if entry.depth() == 1 && (entry.file_type().is_dir() || is_md) => {
                let folders = Section::ALL.map(|s| s.folder());
                let help = did_you_mean(&first, folders).unwrap_or_else(|| {
                    "pages live in content/articles, content/notes, content/actors, content/pages or content/authors".into()
                });
                errors.push(
                    Diagnostic::in_file(
                        &relative(root, entry.path()),
                        1,
                        1,
                        format!("\"{first}\" is not a content section"),
                    )
                    .with_help(help),
                );
            }
            None => {}
        }
    }
}

/// The stem a page's slug comes from: a bundle's folder name, else the
/// file name without `.md` and without a language suffix
/// (`coup.fr.md` -> `coup`).
fn page_stem(path: &Path) -> String {
    if let Some(folder) = bundle_of(path).and_then(Path::file_name) {
        return folder.to_string_lossy().into_owned();
    }
    match file_language(path) {
        Some((stem, _)) => stem.to_string(),
        None => path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    }
}

/// The language suffix of a page's file name, Zola's convention for
/// translations: `coup.fr.md` is `("coup", "fr")`, a bundle's
/// `index.pt-BR.md` is `("index", "pt-BR")`. The suffix must look like a
/// BCP 47 tag (two or three letters, an optional region or script);
/// whether the site publishes that language is checked by `assemble`.
pub fn file_language(path: &Path) -> Option<(&str, &str)> {
    let name = path.file_name()?.to_str()?;
    let stem = name
        .strip_suffix(".md")
        .or_else(|| name.strip_suffix(".MD"))?;
    let (stem, tag) = stem.rsplit_once('.')?;
    let mut parts = tag.split('-');
    let primary = parts.next()?;
    let primary_ok =
        (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic());
    let rest_ok =
        parts.all(|p| (2..=4).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    (primary_ok && rest_ok && !stem.is_empty()).then_some((stem, tag))
}

/// The bundle folder of a page file, when it is a bundle's `index.md`
/// or a translation of it (`index.fr.md`), at least one folder below its
/// section's.
pub fn bundle_of(path: &Path) -> Option<&Path> {
    let name = path.file_name()?;
    let is_index =
        name == "index.md" || file_language(path).is_some_and(|(stem, _)| stem == "index");
    if !is_index {
        return None;
    }
    let folder = path.parent()?;
    let under_content = folder
        .components()
        .skip_while(|c| c.as_os_str() != "content")
        .count();
    // content/<section>/<slug>: three components at least.
    (under_content >= 3).then_some(folder)
}

/// The first folder name of `path` under `content_dir` (its section).
fn rel_to_first(content_dir: &Path, path: &Path) -> String {
    path.strip_prefix(content_dir)
        .ok()
        .and_then(|p| p.components().next())
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Markdown extensions other than `.md`, which other generators read.
const OTHER_MARKDOWN: &[&str] = &["markdown", "mdown", "mkd", "mkdn", "mdwn"];

/// A file that another generator would read as content but this one would
/// not (Hugo's and Zola's `_index.md` section pages, `.markdown` files):
/// an error saying what to do instead, so no page silently goes missing.
fn foreign_habit(root: &Path, path: &Path) -> Option<Diagnostic> {
    let name = path.file_name()?.to_string_lossy();
    let rel = relative(root, path);
    if name.eq_ignore_ascii_case("_index.md") {
        return Some(
            Diagnostic::in_file(&rel, 1, 1, "`_index.md` section pages are not used here")
                .with_help(
                    "the lists of each section are made by the theme: remove this file, and \
                     to change a list page override templates/articles.html, explainers.html or \
                     actors.html; text for the front page goes in site.toml's `description`",
                ),
        );
    }
    let extension = path.extension()?.to_string_lossy().to_ascii_lowercase();
    if OTHER_MARKDOWN.contains(&extension.as_str()) {
        let stem = path.file_stem()?.to_string_lossy();
        return Some(
            Diagnostic::in_file(
                &rel,
                1,
                1,
                format!("`.{extension}` files are not read: pages are `.md` files"),
            )
            .with_help(format!("rename it to {stem}.md")),
        );
    }
    None
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    (name.starts_with('.') && name != "." && name != "..") || name.ends_with('~')
}

/// The files of the site's `static/` as output paths, sorted. Its
/// problems (links out of the site, refused names) are left to
/// `write::collect_static`, which publishes it.
fn static_files(root: &Path) -> Arc<[String]> {
    let dir = root.join("static");
    if !dir.is_dir() {
        return Arc::from([]);
    }
    let (entries, _) = walk_site_folder(root, &dir, false);
    entries
        .iter()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.path().strip_prefix(&dir).ok())
        .map(|rel| rel.to_string_lossy().replace('\\', "/"))
        .collect()
}

/// Walks `dir`, a folder of the site at `root`, sorted by name, following
/// symlinks only while they stay inside the site: a link whose target
/// resolves outside it is an error naming the link and its target, and
/// nothing behind it is read (a folder behind it is not listed either).
/// Loops are errors too (walkdir detects them), and so are dangling
/// links, named with their target. With `skip_hidden`, hidden files and
/// editor backups are left out; without it (`static/`, published as it
/// is), Git's own data and names with control or bidirectional
/// characters are errors (see [`refused_name`]).
pub fn walk_site_folder(
    root: &Path,
    dir: &Path,
    skip_hidden: bool,
) -> (Vec<walkdir::DirEntry>, Diagnostics) {
    let mut entries = Vec::new();
    let mut errors = Diagnostics::new();
    let Ok(site) = root.canonicalize() else {
        return (entries, errors);
    };
    if let Some(d) = link_out_of_site(&site, root, dir) {
        errors.push(d);
        return (entries, errors);
    }
    let outside = std::cell::RefCell::new(Vec::new());
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if skip_hidden && e.depth() > 0 && is_hidden(e.file_name()) {
                return false;
            }
            // Hidden files are read only from `static/`, whose names are
            // published as they are; content and template names are
            // checked as slugs and template names.
            if !skip_hidden && e.depth() > 0 {
                if let Some(d) = refused_name(root, e.path()) {
                    outside.borrow_mut().push(d);
                    return false;
                }
            }
            match e
                .path_is_symlink()
                .then(|| link_out_of_site(&site, root, e.path()))
            {
                Some(Some(d)) => {
                    outside.borrow_mut().push(d);
                    false
                }
                _ => true,
            }
        });
    for entry in walker {
        match entry {
            Ok(e) => entries.push(e),
            Err(e) => {
                let path = e.path().unwrap_or(dir);
                // A dangling link is named with its target.
                errors.push(link_out_of_site(&site, root, path).unwrap_or_else(|| {
                    Diagnostic::in_file(&relative(root, path), 1, 1, format!("cannot read: {e}"))
                }));
            }
        }
    }
    errors.extend(outside.into_inner());
    (entries, errors)
}

/// The error for a name found in a walk of the site that is never read
/// nor published: Git's own folder or file (`.git`, a submodule's `.git`
/// file: publishing one into an output that is a Git checkout would
/// write its configuration, hooks included), and a name holding control
/// or bidirectional characters, or not UTF-8, which would be published
/// under another name or garble a terminal.
fn refused_name(root: &Path, path: &Path) -> Option<Diagnostic> {
    let name = path.file_name()?;
    let rel = relative(root, path);
    let shown = crate::write::shown(&rel);
    let (message, help) = if crate::write::is_git_name(name) {
        (
            format!("{shown} is Git's own data (a .git folder or file); it is never published"),
            "move the site's Git data out of static/: Git's files are never copied into an output",
        )
    } else if let Some(c) = name.to_str().and_then(|n| {
        n.chars()
            .find(|&c| c.is_control() || characters::is_bidi_control(c))
    }) {
        (
            format!(
                "the file name {shown} holds the {} {}; it is not published",
                if c.is_control() {
                    "control character"
                } else {
                    "bidirectional control"
                },
                format_args!("U+{:04X}", c as u32)
            ),
            "rename the file",
        )
    } else if name.to_str().is_none() {
        (
            format!("the file name {shown} is not valid UTF-8; it is not published"),
            "rename the file",
        )
    } else {
        return None;
    };
    Some(Diagnostic::in_file(&rel, 1, 1, message).with_help(help))
}

/// The error for `path` when it is a symlink (or lies behind one) whose
/// target resolves outside the site, whose canonical root is `site`, or
/// into a `.git` folder; and for a dangling link, named with its target.
/// This is not a setting: `site.toml` travels with the content it would
/// open.
pub fn link_out_of_site(site: &Path, root: &Path, path: &Path) -> Option<Diagnostic> {
    let rel = relative(root, path);
    let Ok(target) = path.canonicalize() else {
        let to = std::fs::read_link(path).ok()?;
        return Some(
            Diagnostic::in_file(
                &rel,
                1,
                1,
                format!(
                    "{} is a symbolic link to {}, which does not exist",
                    rel.display(),
                    to.display()
                ),
            )
            .with_help("remove the link, or point it at a file inside the site"),
        );
    };
    if let Ok(inside) = target.strip_prefix(site) {
        if !inside
            .components()
            .any(|c| crate::write::is_git_name(c.as_os_str()))
        {
            return None;
        }
        return Some(
            Diagnostic::in_file(
                &rel,
                1,
                1,
                format!(
                    "{} is a symbolic link to {}, inside a .git folder; it is not read",
                    rel.display(),
                    target.display()
                ),
            )
            .with_help("Git's own files are never published: remove the link"),
        );
    }
    Some(
        Diagnostic::in_file(
            &rel,
            1,
            1,
            format!(
                "{} is a symbolic link to {}, outside the site folder; it is not read",
                rel.display(),
                target.display()
            ),
        )
        .with_help("explainer reads nothing outside the site folder: copy the file into the site, or link to a place inside it"),
    )
}

/// `path` relative to the site root, for messages.
pub fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// A content file, loaded, and the xxh3 hash of its bytes (`None` when it
/// could not be read).
fn load_page(root: &Path, section: Section, path: &Path) -> (Loaded, Option<u64>) {
    let (read, hash) = read_text_hashed(root, path);
    let loaded = read
        .map_err(|e| vec![e])
        .and_then(|file| parse_section_page(section, file));
    let loaded = loaded.unwrap_or_else(|problems| {
        // A bundle's slug is its folder's name.
        let stem = page_stem(&relative(root, path));
        Loaded::Failed(section, stem, problems)
    });
    (loaded, hash)
}

/// Parses a file already read as a page of `section`: the page (a
/// `Loaded::Flawed` when its front matter has problems that left a page to
/// check), or every problem when no page could be made.
///
/// Each XML-illegal character and bidirectional control (up to
/// [`characters::MAX_REPORTED`]) is reported; the page is then read with a
/// stand-in of the same length in place of each (see
/// [`characters::replace_refused`]) so that the rest of it is still
/// checked, never published, with its problems.
pub(crate) fn parse_section_page(
    section: Section,
    file: SourceFile,
) -> Result<Loaded, Vec<Diagnostic>> {
    let refused = characters::each_refused(&file, characters::is_refused);
    let file = if refused.is_empty() {
        file
    } else {
        let text = characters::replace_refused(&file.text);
        SourceFile::new(file.path, text)
    };
    let file = Arc::new(file);
    let (loaded, mut problems) = match section {
        Section::Articles => {
            let (page, problems) = parse_page(file, ARTICLE_KEYS, |m: &ArticleMeta| m.slug.clone());
            (page.map(|p| Loaded::Article(Arc::new(p))), problems)
        }
        Section::Notes => {
            let (page, problems) = parse_page(file, NOTE_KEYS, |m: &NoteMeta| m.slug.clone());
            (page.map(|p| Loaded::Note(Arc::new(p))), problems)
        }
        Section::Actors => {
            let (page, problems) = parse_page(file, ACTOR_KEYS, |m: &ActorMeta| m.slug.clone());
            (page.map(|p| Loaded::Actor(Arc::new(p))), problems)
        }
        Section::Pages => {
            let (page, problems) = parse_page(file, PAGE_KEYS, |m: &PageMeta| m.slug.clone());
            (page.map(|p| Loaded::Standalone(Arc::new(p))), problems)
        }
        Section::Authors => {
            let (page, problems) = parse_page(file, AUTHOR_KEYS, |m: &AuthorMeta| m.slug.clone());
            (page.map(|p| Loaded::Author(Arc::new(p))), problems)
        }
    };
    if !refused.is_empty() {
        problems.splice(0..0, refused);
    }
    match loaded {
        Some(page) if problems.is_empty() => Ok(page),
        Some(page) => Ok(Loaded::Flawed(Box::new(page), problems)),
        None => Err(problems),
    }
}

/// A page from its file: the page when one could be made (with stand-ins
/// for bad values when there are problems), and the problems.
fn parse_page<M: DeserializeOwned>(
    file: Arc<SourceFile>,
    keys: &[&str],
    slug_override: impl Fn(&M) -> Option<String>,
) -> (Option<Page<M>>, Vec<Diagnostic>) {
    let split = match front_matter::split(&file).and_then(|split| {
        characters::check_escapes(&file, split.front_matter.clone(), split.format)?;
        Ok(split)
    }) {
        Ok(s) => s,
        Err(e) => return (None, vec![e]),
    };
    let (meta, mut problems) = front_matter::parse::<M>(&file, &split, keys);
    let Some(meta) = meta else {
        return (None, problems);
    };
    match page_from(file, split, meta, slug_override) {
        Ok((page, slug_problem)) => {
            problems.extend(slug_problem);
            (Some(page), problems)
        }
        Err(e) => {
            problems.push(e);
            (None, problems)
        }
    }
}

/// The page of a file; a problem with its slug that the page could still
/// be made despite (under a stand-in slug) comes with it.
fn page_from<M>(
    file: Arc<SourceFile>,
    split: front_matter::Split,
    meta: M,
    slug_override: impl Fn(&M) -> Option<String>,
) -> Result<(Page<M>, Option<Diagnostic>), Diagnostic> {
    let (slug_text, from_key) = match slug_override(&meta) {
        Some(s) => (s, true),
        None => (page_stem(&file.path), false),
    };
    let bundle = bundle_of(&file.path).is_some();
    let Some(slug) = Slug::parse(&slug_text) else {
        let suggestion = slugify(&slug_text);
        let span = if from_key {
            front_matter::locate_value(&file.text, split.front_matter.clone(), "slug", &slug_text)
        } else {
            0..0
        };
        let what = match (from_key, bundle) {
            (true, _) => "slug",
            (false, true) => "folder name",
            (false, false) => "file name",
        };
        let mut d = Diagnostic::at(
            &file,
            span,
            format!("{what} \"{slug_text}\" is not a valid slug: use lowercase letters a-z, digits and hyphens"),
        );
        if !suggestion.is_empty() {
            d = d.with_help(if from_key {
                format!("write slug = \"{suggestion}\"")
            } else if bundle {
                format!("rename the folder to {suggestion}, or set slug = \"{suggestion}\"")
            } else {
                format!("rename the file to {suggestion}.md, or set slug = \"{suggestion}\"")
            });
        }
        return Err(d);
    };
    // A slug too long for a folder name is reported, and the page checked
    // further under the shorter slug the help suggests, so the file's other
    // problems (a topic too long as well) are found in the same run.
    let (slug, too_long) = if slug.as_str().len() > MAX_SLUG_BYTES {
        let d = slug_too_long(&file, &split, &slug, from_key);
        match Slug::parse(crate::model::shorten_slug(slug.as_str())) {
            Some(shorter) => (shorter, Some(d)),
            None => return Err(d),
        }
    } else {
        (slug, None)
    };
    let page = Page {
        slug,
        language: file_language(&file.path).map(|(_, l)| l.to_string()),
        original: None,
        meta,
        front_matter: split.front_matter,
        body_hash: xxhash_rust::xxh3::xxh3_64(file.text[split.body.clone()].as_bytes()),
        body: split.body,
        file,
    };
    Ok((page, too_long))
}

/// A slug becomes a folder name in the output: one over the file
/// system's limit would pass every other check and then fail the write.
fn slug_too_long(
    file: &SourceFile,
    split: &front_matter::Split,
    slug: &Slug,
    from_key: bool,
) -> Diagnostic {
    let len = slug.as_str().len();
    let shorter = crate::model::shorten_slug(slug.as_str());
    let (span, what, help) = if from_key {
        (
            front_matter::locate_value(
                &file.text,
                split.front_matter.clone(),
                "slug",
                slug.as_str(),
            ),
            "slug",
            format!("write slug = \"{shorter}\""),
        )
    } else {
        (
            0..0,
            "the slug from the file name",
            format!("rename the file to {shorter}.md, or set slug = \"{shorter}\""),
        )
    };
    Diagnostic::at(
        file,
        span,
        format!("{what} is {len} bytes long; a slug becomes a folder name and may have at most {MAX_SLUG_BYTES}"),
    )
    .with_help(help)
}

/// Reads a file as text: UTF-8 only, BOM removed, CRLF and lone CR turned
/// into LF, and no character that XML forbids (see [`characters`]).
pub fn read_source(root: &Path, path: &Path) -> Result<SourceFile, Diagnostic> {
    let file = read_text(root, path)?;
    characters::check_xml_characters(&file)?;
    Ok(file)
}

/// A file's text as every stage sees it (UTF-8, BOM removed, CRLF and CR
/// turned into LF), with its path relative to the site root; characters
/// are not checked yet.
fn read_text(root: &Path, path: &Path) -> Result<SourceFile, Diagnostic> {
    read_text_hashed(root, path).0
}

/// [`read_text`], and the xxh3 hash of the bytes read (`None` when the
/// file could not be read), as [`crate::cache::source_manifest`] takes it.
fn read_text_hashed(root: &Path, path: &Path) -> (Result<SourceFile, Diagnostic>, Option<u64>) {
    let rel = relative(root, path);
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            let problem = Diagnostic::in_file(&rel, 1, 1, format!("cannot read file: {e}"));
            return (Err(problem), None);
        }
    };
    let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            return (
                Err(invalid_utf8(&rel, e.as_bytes(), e.utf8_error())),
                Some(hash),
            )
        }
    };
    (Ok(SourceFile::new(rel, normalize_text(text))), Some(hash))
}

/// The error for a file that is not UTF-8, at the first bad byte.
pub fn invalid_utf8(rel: &Path, bytes: &[u8], error: std::str::Utf8Error) -> Diagnostic {
    let valid = &bytes[..error.valid_up_to()];
    // Counted in the text as every other diagnostic sees it: a lone CR is
    // a line break and a BOM is not a column.
    let valid = normalize_text(std::str::from_utf8(valid).unwrap_or("").to_string());
    let valid = valid.as_str();
    let line = valid.matches('\n').count() + 1;
    let line_start = valid.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = valid[line_start..].chars().count() + 1;
    Diagnostic {
        source_line: Some(valid[line_start..].to_string()),
        width: 1,
        ..Diagnostic::in_file(
            rel,
            line,
            column,
            format!(
                "file is not valid UTF-8 (byte 0x{:02X} at offset {})",
                bytes[error.valid_up_to()],
                error.valid_up_to()
            ),
        )
    }
    .with_help("save the file as UTF-8 in your editor")
}

/// Strips a BOM and normalises line endings so offsets and columns are the
/// same however the file was saved.
pub fn normalize_text(text: String) -> String {
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

/// Reads `templates/*.html` of the site, each overriding the built-in
/// template of the same name.
fn load_templates(root: &Path, errors: &mut Diagnostics) -> Vec<TemplateFile> {
    let dir = root.join("templates");
    let mut templates = Vec::new();
    if !dir.is_dir() {
        return templates;
    }
    let (entries, walk_errors) = walk_site_folder(root, &dir, true);
    errors.extend(walk_errors);
    for entry in entries {
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry
            .path()
            .strip_prefix(&dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        match read_source(root, entry.path()) {
            Ok(file) => templates.push(TemplateFile {
                name,
                file: Arc::new(file),
            }),
            Err(e) => errors.push(e),
        }
    }
    templates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn into_map_keeps_what_inserting_one_by_one_keeps() {
        let pairs: Vec<(PathBuf, usize)> = [
            "content/articles/b.md",
            "content/articles/a/index.md",
            "content/articles/a.b.md",
            "content/articles/a-b.md",
            "content/articles/a/b/index.md",
            "content/actors/z.md",
            "content/articles/b.md",
            "content/notes/n.fr.md",
            "content/notes/n.md",
        ]
        .iter()
        .enumerate()
        .map(|(i, p)| (PathBuf::from(p), i))
        .collect();
        let mut inserted = std::collections::BTreeMap::new();
        for (p, v) in pairs.clone() {
            inserted.insert(p, v);
        }
        let built = into_map(pairs.into_iter());
        assert_eq!(built, inserted);
        assert_eq!(
            built[Path::new("content/articles/b.md")],
            6,
            "the last kept"
        );
    }

    #[test]
    fn normalizes_bom_and_line_endings() {
        assert_eq!(normalize_text("\u{feff}a\r\nb\rc\n".into()), "a\nb\nc\n");
    }

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let bytes = b"+++\nti\xfftle".to_vec();
        let err = String::from_utf8(bytes.clone()).unwrap_err();
        let d = invalid_utf8(Path::new("x.md"), &bytes, err.utf8_error());
        assert_eq!((d.line, d.column), (2, 3));
        assert!(d.message.contains("0xFF"));
    }

    /// Found by the property tests: a lone CR before the bad byte is a
    /// line break for every other diagnostic, and a BOM is no column, so
    /// the position must count them the same way.
    #[test]
    fn invalid_utf8_counts_lines_as_the_loader_does() {
        let bytes = b"\xef\xbb\xbf+++\r\n+++\n\r\x80".to_vec();
        let err = String::from_utf8(bytes.clone()).unwrap_err();
        let d = invalid_utf8(Path::new("x.md"), &bytes, err.utf8_error());
        assert_eq!((d.line, d.column), (4, 1));
        assert_eq!(d.source_line.as_deref(), Some(""));
        let bytes = b"\xef\xbb\xbfab\xff".to_vec();
        let err = String::from_utf8(bytes.clone()).unwrap_err();
        let d = invalid_utf8(Path::new("x.md"), &bytes, err.utf8_error());
        assert_eq!((d.line, d.column), (1, 3));
    }
}
