//! Resolve: turns a loaded site into a [`Site`] where every reference is an
//! id. Checks slugs for duplicates, front-matter references and URLs,
//! renders every Markdown body in one pass (wikilinks, actor mentions, the
//! lifted sidebar section), checks wikilink anchors once all headings are
//! known, and computes the reverse edges: every actor knows where it
//! appears, every explainer knows what cites it. Never touches the file
//! system except to check that a local image exists.

pub mod autolink;
pub mod embeds;
mod graph;
pub mod links;
pub mod markdown;
mod page;
pub mod raw_html;
pub mod redirects;
pub mod shortcodes;
pub mod site;

// Fx hashing: these maps hold slugs and paths, never hostile keys, and
// the default SipHash showed up in rebuild profiles.
use rustc_hash::FxHashMap as HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::front_matter::{ActorMeta, ArticleMeta, AuthorMeta, NoteMeta, PageMeta};
use crate::load::{LoadedSite, Page};
use crate::model::{slugify, Section, Slug};
use autolink::AutoLinker;
use graph::{build_events, collect_topics, link_backwards, link_countries};
use links::{LinkTargets, Target, TargetInfo};
use markdown::Rendered;
use page::{
    resolve_actor, resolve_article, resolve_author, resolve_note, resolve_page, Context, SlugIndex,
};
pub use site::*;

/// Every content page is rendered two folders below the output root
/// (`articles/<slug>/index.html`), so links inside bodies climb two levels.
pub const CONTENT_DEPTH: usize = 2;

/// Rendered Markdown bodies from earlier resolves, by source file. An
/// entry is used when the body's text, the page's place in its section and
/// the set of pages and names it can link to are all unchanged.
#[derive(Debug, Default)]
pub struct BodyCache {
    /// By the file's path as bytes: hashing a `Path` splits it into
    /// components first.
    entries: std::sync::Mutex<HashMap<std::ffi::OsString, CachedBody>>,
    linker: std::sync::Mutex<Option<(u64, Arc<AutoLinker>)>>,
}

impl BodyCache {
    /// The matcher for these actor names, built once while they stay the
    /// same.
    fn linker(&self, names: &[(usize, &str)]) -> Arc<AutoLinker> {
        let key = crate::render::fingerprint(&names);
        let cached = match self.linker.lock() {
            Ok(slot) => slot.clone(),
            Err(_) => return Arc::new(AutoLinker::new(names.iter().copied())),
        };
        match cached {
            Some((k, linker)) if k == key => linker,
            _ => {
                // Built without holding the lock: building runs on the
                // thread pool, whose threads, while they wait, may take up
                // another task that asks this cache too.
                let linker = Arc::new(AutoLinker::new(names.iter().copied()));
                if let Ok(mut slot) = self.linker.lock() {
                    *slot = Some((key, linker.clone()));
                }
                linker
            }
        }
    }

    /// The body rendered under `key`, while every file it looked at (under
    /// the site folder `root`) keeps its size and modification time.
    fn get(&self, path: &Path, key: u64, root: &Path) -> Option<std::sync::Arc<Rendered>> {
        let entries = self.entries.lock().ok()?;
        let entry = entries.get(path.as_os_str())?;
        let fresh = entry.key == key
            && entry
                .files
                .iter()
                .all(|(file, state)| file_state(&root.join(file)) == *state);
        fresh.then(|| entry.rendered.clone())
    }

    /// Keeps `rendered` under `key`, with the state now of each file of
    /// `consulted` (relative to the site folder `root`).
    fn put(
        &self,
        path: &Path,
        key: u64,
        rendered: std::sync::Arc<Rendered>,
        root: &Path,
        mut consulted: Vec<std::path::PathBuf>,
    ) {
        consulted.sort();
        consulted.dedup();
        let files = consulted
            .into_iter()
            .map(|f| {
                let state = file_state(&root.join(&f));
                (f, state)
            })
            .collect();
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert(
                path.as_os_str().to_owned(),
                CachedBody {
                    key,
                    rendered,
                    files,
                },
            );
        }
    }
}

/// A rendered body in the [`BodyCache`].
#[derive(Debug)]
struct CachedBody {
    key: u64,
    rendered: std::sync::Arc<Rendered>,
    /// The files its paths named and their [`file_state`] when rendered.
    files: Vec<(std::path::PathBuf, FileState)>,
}

/// A file's size and modification time; `None` when it is not a file.
type FileState = Option<(u64, Option<std::time::SystemTime>)>;

fn file_state(path: &Path) -> FileState {
    let m = std::fs::metadata(path).ok().filter(|m| m.is_file())?;
    Some((m.len(), m.modified().ok()))
}

/// How many of the most recent background events an article's sidebar shows.
pub const SIDEBAR_EVENTS: usize = 5;

pub fn resolve(loaded: &LoadedSite) -> Result<Site, Diagnostics> {
    resolve_with(loaded, &BodyCache::default())
}

/// Resolves with a cache of rendered Markdown bodies, so a rebuild renders
/// only the bodies whose text (or the set of pages they can link to)
/// changed.
pub fn resolve_with(loaded: &LoadedSite, cache: &BodyCache) -> Result<Site, Diagnostics> {
    resolve_tree(loaded, cache).map_err(|(errors, _)| errors)
}

/// [`resolve_with`], keeping on failure what the tree writes that an
/// alias of another tree may collide with, so
/// [`redirects::check_across_trees`] runs in the same run as the other
/// content errors.
pub fn resolve_tree(
    loaded: &LoadedSite,
    cache: &BodyCache,
) -> Result<Site, (Diagnostics, redirects::TreePaths)> {
    let mut errors = Diagnostics::new();
    let LoadedSite {
        root,
        config,
        articles,
        notes,
        actors,
        pages,
        authors,
        templates,
        drafts,
        draft_authors,
        held_back,
        inherited_held_back,
        scheduled,
        unavailable,
        source_hashes: _,
        translations: _,
        static_files,
    } = loaded;
    let mut articles: Vec<&Page<ArticleMeta>> = articles.iter().map(|p| &**p).collect();
    let mut notes: Vec<&Page<NoteMeta>> = notes.iter().map(|p| &**p).collect();
    let mut actors: Vec<&Page<ActorMeta>> = actors.iter().map(|p| &**p).collect();
    let mut pages: Vec<&Page<PageMeta>> = pages.iter().map(|p| &**p).collect();
    let mut authors: Vec<&Page<AuthorMeta>> = authors.iter().map(|p| &**p).collect();

    // In another language's tree, the default language's pages that stand
    // in for missing translations (see `lib.rs`) go after its own, so its
    // own pages are the first `Site::own` of each list.
    let stand_in = |language: &Option<String>| {
        !config.tree.is_empty()
            && !language
                .as_deref()
                .is_some_and(|l| l.eq_ignore_ascii_case(&config.language))
    };
    // Stable order first, so ids are positions in the final lists.
    articles.sort_by(|a, b| {
        stand_in(&a.language)
            .cmp(&stand_in(&b.language))
            .then_with(|| b.meta.date.cmp(&a.meta.date))
            .then_with(|| a.slug.cmp(&b.slug))
    });
    notes.sort_by_cached_key(|p| {
        (
            stand_in(&p.language),
            sort_key(&p.meta.title),
            p.slug.clone(),
        )
    });
    actors.sort_by_cached_key(|p| {
        (
            stand_in(&p.language),
            sort_key(&p.meta.name),
            p.slug.clone(),
        )
    });
    remove_duplicate_slugs(&mut articles, &mut errors);
    remove_duplicate_slugs(&mut notes, &mut errors);
    remove_duplicate_slugs(&mut actors, &mut errors);
    pages.sort_by(|a, b| {
        stand_in(&a.language)
            .cmp(&stand_in(&b.language))
            .then_with(|| a.slug.cmp(&b.slug))
    });
    remove_duplicate_slugs(&mut pages, &mut errors);
    // At the output root, the other languages' trees take their tags.
    let trees: &[String] = match config.tree.is_empty() {
        true => config.languages.get(1..).unwrap_or_default(),
        false => &[],
    };
    remove_reserved_page_slugs(&mut pages, trees, &mut errors);
    authors.sort_by_cached_key(|p| {
        (
            stand_in(&p.language),
            sort_key(&p.meta.name),
            p.slug.clone(),
        )
    });
    remove_duplicate_slugs(&mut authors, &mut errors);
    let own = Counts {
        articles: articles.iter().filter(|p| !stand_in(&p.language)).count(),
        notes: notes.iter().filter(|p| !stand_in(&p.language)).count(),
        actors: actors.iter().filter(|p| !stand_in(&p.language)).count(),
        pages: pages.iter().filter(|p| !stand_in(&p.language)).count(),
        authors: authors.iter().filter(|p| !stand_in(&p.language)).count(),
    };
    let default_language = config.languages.first().unwrap_or(&config.language);

    // The name matcher (the slowest part to build) is made on one core
    // while the link targets and the slug index are made on the other.
    let build_targets = || {
        let mut targets = LinkTargets::default();
        for (i, p) in articles.iter().enumerate() {
            targets.insert(target(Section::Articles, i), info(&p.meta.title, &p.slug));
        }
        for (i, p) in notes.iter().enumerate() {
            targets.insert(target(Section::Notes, i), info(&p.meta.title, &p.slug));
        }
        for (i, p) in actors.iter().enumerate() {
            targets.insert(
                target(Section::Actors, i),
                info(&nfc(&p.meta.name), &p.slug),
            );
        }
        for (i, p) in pages.iter().enumerate() {
            targets.insert(target(Section::Pages, i), info(&p.meta.title, &p.slug));
        }
        for (i, p) in authors.iter().enumerate() {
            targets.insert(
                target(Section::Authors, i),
                info(&nfc(p.meta.name.trim()), &p.slug),
            );
        }
        fn other_names<M>(targets: &mut LinkTargets, section: Section, pages: &[&Page<M>]) {
            for (i, p) in pages.iter().enumerate() {
                if let Some(original) = &p.original {
                    targets.insert_other_name(target(section, i), original.as_str());
                }
            }
        }
        other_names(&mut targets, Section::Articles, &articles);
        other_names(&mut targets, Section::Notes, &notes);
        other_names(&mut targets, Section::Actors, &actors);
        other_names(&mut targets, Section::Pages, &pages);
        other_names(&mut targets, Section::Authors, &authors);
        for (section, slug) in unavailable {
            targets.mark_unavailable(*section, slug);
        }
        for (section, len, from) in [
            (Section::Articles, articles.len(), own.articles),
            (Section::Notes, notes.len(), own.notes),
            (Section::Actors, actors.len(), own.actors),
            (Section::Pages, pages.len(), own.pages),
            (Section::Authors, authors.len(), own.authors),
        ] {
            for i in from..len {
                targets.mark_fallback(target(section, i), default_language);
            }
        }
        for (section, slug) in drafts {
            targets.mark_draft(*section, slug.as_str());
        }
        for (slug, _) in held_back {
            targets.mark_held_back(slug.as_str());
        }
        let mut index = SlugIndex {
            articles: articles
                .iter()
                .enumerate()
                .map(|(i, p)| (p.slug.as_str(), i))
                .collect(),
            notes: notes
                .iter()
                .enumerate()
                .map(|(i, p)| (p.slug.as_str(), i))
                .collect(),
            actors: actors
                .iter()
                .enumerate()
                .map(|(i, p)| (p.slug.as_str(), i))
                .collect(),
            pages: pages
                .iter()
                .enumerate()
                .map(|(i, p)| (p.slug.as_str(), i))
                .collect(),
            authors: authors
                .iter()
                .enumerate()
                .map(|(i, p)| (p.slug.as_str(), i))
                .collect(),
            drafts: drafts.iter().map(|(s, slug)| (*s, slug.as_str())).collect(),
            scheduled: scheduled.iter().map(Slug::as_str).collect(),
            unavailable: unavailable
                .iter()
                .map(|(s, slug)| (*s, slug.as_str()))
                .collect(),
        };
        // A translation under a slug of its own is also reached by its
        // original's slug, unless a page of the tree has that slug.
        fn originals<'p, M>(index: &mut HashMap<&'p str, usize>, pages: &[&'p Page<M>]) {
            for (i, p) in pages.iter().enumerate() {
                if let Some(original) = &p.original {
                    index.entry(original.as_str()).or_insert(i);
                }
            }
        }
        originals(&mut index.articles, &articles);
        originals(&mut index.notes, &notes);
        originals(&mut index.actors, &actors);
        originals(&mut index.pages, &pages);
        originals(&mut index.authors, &authors);
        (targets, index)
    };
    let build_matcher = || {
        // One matcher for every actor name, reused between rebuilds while
        // the names stay the same; autolinking and event mentions share it.
        let names: Vec<(usize, &str)> = actors
            .iter()
            .enumerate()
            .flat_map(|(i, p)| {
                std::iter::once((i, p.meta.name.as_str()))
                    .chain(p.meta.aliases.iter().map(move |a| (i, a.as_str())))
            })
            .collect();
        let link_fingerprint = crate::render::fingerprint(&(
            articles
                .iter()
                .map(|p| (&p.slug, &p.meta.title))
                .collect::<Vec<_>>(),
            notes
                .iter()
                .map(|p| (&p.slug, &p.meta.title))
                .collect::<Vec<_>>(),
            actors
                .iter()
                .map(|p| (&p.slug, &p.meta.name, &p.meta.aliases))
                .collect::<Vec<_>>(),
            pages
                .iter()
                .map(|p| (&p.slug, &p.meta.title))
                .collect::<Vec<_>>(),
            authors
                .iter()
                .map(|p| (&p.slug, &p.meta.name))
                .collect::<Vec<_>>(),
            unavailable
                .iter()
                .map(|(sec, slug)| (sec.folder(), slug))
                .collect::<Vec<_>>(),
            // Which pages stand in for missing translations: a link to
            // one climbs to the default language's tree, with a note.
            (own.articles, own.notes, own.actors, own.pages),
            // The other names of translations under slugs of their own.
            (articles.iter().map(|p| &p.original))
                .chain(notes.iter().map(|p| &p.original))
                .chain(actors.iter().map(|p| &p.original))
                .chain(pages.iter().map(|p| &p.original))
                .chain(authors.iter().map(|p| &p.original))
                .collect::<Vec<_>>(),
        ));
        (cache.linker(&names), link_fingerprint)
    };
    let ((targets, index), (mention_finder, link_fingerprint)) =
        rayon::join(build_targets, build_matcher);
    check_actor_names(&actors, &mut errors);
    check_author_names(&authors, &mut errors);
    let (shortcodes, shortcode_errors) = shortcodes::Shortcodes::load(templates, &config.interface);
    errors.extend(shortcode_errors);
    let registry = crate::media::Registry::default();
    let autolinker = config.autolink.then_some(&*mention_finder);
    let ctx = Context {
        targets: &targets,
        autolinker,
        mention_finder: &mention_finder,
        index: &index,
        know_heading: &config.know_heading,
        root,
        cache,
        link_fingerprint,
        raw_html: config.raw_html,
        shortcodes: &shortcodes,
        words: &config.interface,
        words_fingerprint: crate::render::fingerprint(&*config.interface),
        images: &config.images,
        up: config.up_to_root().len() / 3,
        registry: &registry,
    };

    let mut article_results: Vec<_> = articles
        .par_iter()
        .enumerate()
        .map(|(i, p)| resolve_article(&ctx, i, p))
        .collect();
    let mut note_results: Vec<_> = notes
        .par_iter()
        .enumerate()
        .map(|(i, p)| resolve_note(&ctx, i, p))
        .collect();
    let mut actor_results: Vec<_> = actors
        .par_iter()
        .enumerate()
        .map(|(i, p)| resolve_actor(&ctx, i, p))
        .collect();
    let mut page_results: Vec<_> = pages
        .par_iter()
        .enumerate()
        .map(|(i, p)| resolve_page(&ctx, i, p))
        .collect();
    let mut author_results: Vec<_> = authors
        .par_iter()
        .enumerate()
        .map(|(i, p)| resolve_author(&ctx, i, p))
        .collect();

    // Anchors can be checked only now that every page's headings are known.
    // A wikilink to a stand-in page keeps its anchor as written: that
    // page's body is the default language's, not resolved here.
    for r in article_results.iter_mut() {
        r.anchors
            .retain(|(a, _)| targets.fallback_language(a.target).is_none());
    }
    for r in note_results.iter_mut() {
        r.anchors
            .retain(|(a, _)| targets.fallback_language(a.target).is_none());
    }
    for r in actor_results.iter_mut() {
        r.anchors
            .retain(|(a, _)| targets.fallback_language(a.target).is_none());
    }
    for r in page_results.iter_mut() {
        r.anchors
            .retain(|(a, _)| targets.fallback_language(a.target).is_none());
    }
    let fixes = check_anchors(
        &targets,
        [
            article_results.iter().map(|r| &r.anchors).collect(),
            note_results.iter().map(|r| &r.anchors).collect(),
            actor_results.iter().map(|r| &r.anchors).collect(),
            page_results.iter().map(|r| &r.anchors).collect(),
            author_results.iter().map(|r| &r.anchors).collect(),
        ],
        |t| match t.section {
            Section::Articles => &article_results[t.index].headings,
            Section::Notes => &note_results[t.index].headings,
            Section::Actors => &actor_results[t.index].headings,
            Section::Pages => &page_results[t.index].headings,
            Section::Authors => &author_results[t.index].headings,
        },
        &mut errors,
    );
    for ((section, index), fixes) in fixes {
        match section {
            Section::Articles => {
                let a = &mut article_results[index].value;
                fix_anchors(&mut a.body_html, &mut a.body_hash, &fixes);
                if let Some(know) = &mut a.know_html {
                    fix_anchors(know, &mut 0, &fixes);
                }
                for c in &mut a.corrections {
                    c.html = fixed_anchors(&c.html, &fixes).unwrap_or_else(|| c.html.clone());
                }
            }
            Section::Notes => {
                let r = &mut note_results[index];
                fix_anchors(&mut r.value.body_html, &mut r.value.body_hash, &fixes);
                for e in &mut r.timeline {
                    e.html = fixed_anchors(&e.html, &fixes).unwrap_or_else(|| e.html.clone());
                }
            }
            Section::Actors => {
                let a = &mut actor_results[index].value;
                fix_anchors(&mut a.body_html, &mut a.body_hash, &fixes);
            }
            Section::Pages => {
                let p = &mut page_results[index].value;
                fix_anchors(&mut p.body_html, &mut p.body_hash, &fixes);
            }
            Section::Authors => {
                let a = &mut author_results[index].value;
                fix_anchors(&mut a.body_html, &mut a.body_hash, &fixes);
            }
        }
    }

    let mut site_articles = Vec::with_capacity(articles.len());
    let mut site_notes = Vec::with_capacity(notes.len());
    let mut site_actors = Vec::with_capacity(actors.len());
    for r in article_results {
        errors.extend(r.errors);
        site_articles.push((r.value, r.topics));
    }
    for r in note_results {
        errors.extend(r.errors);
        site_notes.push((r.value, r.timeline));
    }
    for r in actor_results {
        errors.extend(r.errors);
        site_actors.push(r.value);
    }
    let mut site_pages = Vec::with_capacity(pages.len());
    for r in page_results {
        errors.extend(r.errors);
        site_pages.push(r.value);
    }
    let mut site_authors = Vec::with_capacity(authors.len());
    for r in author_results {
        errors.extend(r.errors);
        site_authors.push(r.value);
    }

    let topics = collect_topics(&articles, &mut site_articles, &mut errors);
    let (redirects, alias_errors) = collect_redirects(
        &config.tree,
        static_files,
        &articles,
        &notes,
        &actors,
        &pages,
        &authors,
        &topics,
    );
    errors.extend(alias_errors);
    if !errors.is_empty() {
        fn listed<M>(section: Section, list: &[&Page<M>]) -> Vec<(Section, String, PathBuf)> {
            list.iter()
                .map(|p| (section, p.slug.as_str().to_string(), p.file.path.clone()))
                .collect()
        }
        let mut written = listed(Section::Articles, &articles[..own.articles]);
        written.extend(listed(Section::Notes, &notes[..own.notes]));
        written.extend(listed(Section::Actors, &actors[..own.actors]));
        written.extend(listed(Section::Pages, &pages[..own.pages]));
        written.extend(listed(Section::Authors, &authors[..own.authors]));
        let paths = redirects::TreePaths {
            tree: config.tree.clone(),
            pages: written,
            topics: topics.iter().map(|t| t.slug.as_str().to_string()).collect(),
            redirects,
        };
        return Err((errors, paths));
    }

    fn renamed<'p, M>(
        section: Section,
        list: &'p [&'p Page<M>],
    ) -> impl Iterator<Item = (Section, Slug, String)> + 'p {
        list.iter().filter_map(move |p| {
            let name = p.source_name();
            (name != p.slug.as_str()).then(|| (section, p.slug.clone(), name))
        })
    }
    let mut site = Site {
        config: config.clone(),
        articles: site_articles.into_iter().map(|(a, _)| a).collect(),
        notes: Vec::new(),
        actors: site_actors,
        topics,
        pages: site_pages,
        authors: site_authors,
        redirects,
        events: Vec::new(),
        templates: templates.clone(),
        root: root.clone(),
        drafts_skipped: drafts.len(),
        held_back: held_back.len() - inherited_held_back,
        next_due: (held_back.iter())
            .take(held_back.len() - inherited_held_back)
            .map(|(_, d)| *d)
            .min(),
        images: registry.into_images(),
        bundles: bundles(
            &articles[..own.articles],
            &notes[..own.notes],
            &actors[..own.actors],
            &pages[..own.pages],
            &authors[..own.authors],
        ),
        // Only a multilingual site pairs pages across trees.
        renamed: (config.languages.len() < 2)
            .then(Vec::new)
            .unwrap_or_else(|| {
                renamed(Section::Articles, &articles[..own.articles])
                    .chain(renamed(Section::Notes, &notes[..own.notes]))
                    .chain(renamed(Section::Actors, &actors[..own.actors]))
                    .chain(renamed(Section::Pages, &pages[..own.pages]))
                    .chain(renamed(Section::Authors, &authors[..own.authors]))
                    .collect()
            }),
        own,
    };
    let mut pending_events = Vec::new();
    for (note_id, (note, timeline)) in site_notes.into_iter().enumerate() {
        for e in timeline {
            pending_events.push((e, note_id));
        }
        site.notes.push(note);
    }
    if site.own != site.counts() {
        let fallback = Fallback {
            language: default_language.clone(),
            note: config.interface.fallback_note(default_language),
        };
        let own = site.own;
        for a in &mut site.articles[own.articles..] {
            a.fallback = Some(fallback.clone());
        }
        for n in &mut site.notes[own.notes..] {
            n.fallback = Some(fallback.clone());
        }
        for a in &mut site.actors[own.actors..] {
            a.fallback = Some(fallback.clone());
        }
        for p in &mut site.pages[own.pages..] {
            p.fallback = Some(fallback.clone());
        }
        for a in &mut site.authors[own.authors..] {
            a.fallback = Some(fallback.clone());
        }
    }
    build_events(&mut site, pending_events);
    link_backwards(&mut site);
    link_countries(&mut site);
    link_bylines(&mut site, draft_authors);
    Ok(site)
}

/// The page bundles of the site, with the output folder of each.
fn bundles(
    articles: &[&Page<ArticleMeta>],
    notes: &[&Page<NoteMeta>],
    actors: &[&Page<ActorMeta>],
    pages: &[&Page<PageMeta>],
    authors: &[&Page<AuthorMeta>],
) -> Vec<crate::media::Bundle> {
    fn of<M>(pages: &[&Page<M>], section: Section) -> Vec<crate::media::Bundle> {
        pages
            .iter()
            .filter_map(|p| {
                Some(crate::media::Bundle {
                    folder: p.bundle()?.to_path_buf(),
                    out_dir: page::bundle_out_dir(p, section),
                })
            })
            .collect()
    }
    let mut all = of(articles, Section::Articles);
    all.extend(of(notes, Section::Notes));
    all.extend(of(actors, Section::Actors));
    all.extend(of(pages, Section::Pages));
    all.extend(of(authors, Section::Authors));
    all
}

/// A wikilink anchor waiting for the linked page's headings, with the file
/// it is written in.
type FileAnchor = (markdown::PendingAnchor, Arc<crate::diagnostics::SourceFile>);

/// What a wikilink's fragment was written as and the heading id it
/// resolved to, when they differ: `(written, final)` with the link's
/// `data-xref` value, so only that link's fragment is rewritten.
type AnchorFix = (String, String);

/// Resolves every `[[page#anchor]]` against the headings of its page;
/// reports those that name no heading, with the closest id. Returns, per
/// linking page (by section and index), the fragments to rewrite to the
/// heading's final id.
fn check_anchors<'r>(
    targets: &LinkTargets,
    anchors_by_section: [Vec<&'r Vec<FileAnchor>>; 5],
    headings_of: impl Fn(Target) -> &'r Vec<markdown::Heading>,
    errors: &mut Diagnostics,
) -> Vec<((Section, usize), Vec<AnchorFix>)> {
    let mut indexes: HashMap<Target, markdown::AnchorIndex> = HashMap::default();
    let mut fixes = Vec::new();
    for (section, pages) in Section::ALL.into_iter().zip(anchors_by_section) {
        for (index, anchors) in pages.into_iter().enumerate() {
            let mut page_fixes = Vec::new();
            for (anchor, file) in anchors {
                let known = indexes
                    .entry(anchor.target)
                    .or_insert_with(|| markdown::AnchorIndex::new(headings_of(anchor.target)));
                let info = targets.info(anchor.target);
                match known.find(&anchor.anchor) {
                    Some(id) if id == anchor.anchor => {}
                    Some(id) => {
                        let xref = format!(
                            "\" data-xref=\"{}\"",
                            links::xref(anchor.target.section, info.slug.as_str())
                        );
                        page_fixes.push((
                            format!("#{}{xref}", html_escape(&anchor.anchor)),
                            format!("#{}{xref}", html_escape(id)),
                        ));
                    }
                    None => errors.push(
                        Diagnostic::at(
                            file,
                            anchor.range.clone(),
                            format!(
                                "broken wikilink: \"{}\" has no heading \"#{}\"",
                                info.slug, anchor.anchor
                            ),
                        )
                        .with_help_opt(known.suggest(&anchor.anchor)),
                    ),
                }
            }
            if !page_fixes.is_empty() {
                fixes.push(((section, index), page_fixes));
            }
        }
    }
    fixes
}

/// `html` with each fragment of `fixes` rewritten, or `None` when none
/// occurs in it.
fn fixed_anchors(html: &str, fixes: &[AnchorFix]) -> Option<String> {
    let mut out: Option<String> = None;
    for (from, to) in fixes {
        let current = out.as_deref().unwrap_or(html);
        if current.contains(from.as_str()) {
            out = Some(current.replace(from.as_str(), to));
        }
    }
    out
}

/// Rewrites the fragments of `fixes` in a shared body, updating its hash.
fn fix_anchors(html: &mut Arc<str>, hash: &mut u64, fixes: &[AnchorFix]) {
    if let Some(fixed) = fixed_anchors(html, fixes) {
        *hash = xxhash_rust::xxh3::xxh3_64(fixed.as_bytes());
        *html = fixed.into();
    }
}

fn sort_key(s: &str) -> String {
    slugify(s)
}

fn target(section: Section, index: usize) -> Target {
    Target { section, index }
}

fn info(title: &str, slug: &Slug) -> TargetInfo {
    TargetInfo {
        title: title.to_string(),
        slug: slug.clone(),
    }
}

/// Every page's aliases as redirects, each checked (see [`redirects`]),
/// and the problems of those that are not: the paths are those of the
/// language tree `tree` (``, `fr/`); `statics` are the files of
/// `static/` (output paths from the output root).
// Each list is one section's pages.
#[allow(clippy::too_many_arguments)]
fn collect_redirects(
    tree: &str,
    statics: &[String],
    articles: &[&Page<ArticleMeta>],
    notes: &[&Page<NoteMeta>],
    actors: &[&Page<ActorMeta>],
    pages: &[&Page<PageMeta>],
    authors: &[&Page<AuthorMeta>],
    topics: &[Topic],
) -> (
    Vec<redirects::Redirect>,
    Vec<crate::diagnostics::Diagnostic>,
) {
    use redirects::{Aliases, Collector};
    fn entries<'p, M>(
        section: Section,
        list: &'p [&'p Page<M>],
    ) -> impl Iterator<Item = (Section, &'p str, &'p Path)> + 'p {
        list.iter()
            .map(move |p| (section, p.slug.as_str(), p.file.path.as_path()))
    }
    let mut collector = Collector::new(
        tree,
        entries(Section::Articles, articles)
            .chain(entries(Section::Notes, notes))
            .chain(entries(Section::Actors, actors))
            .chain(entries(Section::Pages, pages))
            .chain(entries(Section::Authors, authors)),
        topics.iter().map(|t| t.slug.as_str()),
        statics,
    );
    // Actors keep `aliases` for other names, so their old URLs are
    // `url_aliases`.
    fn add<'p, M>(
        collector: &mut Collector,
        section: Section,
        key: &'static str,
        pages: &[&'p Page<M>],
        of: impl Fn(&'p M) -> (&'p [String], &'p str),
    ) {
        for &page in pages {
            let (aliases, title) = of(&page.meta);
            collector.add(Aliases {
                page,
                section,
                key,
                aliases,
                title,
            });
        }
    }
    add(
        &mut collector,
        Section::Articles,
        "aliases",
        articles,
        |m| (&m.aliases, &m.title),
    );
    add(&mut collector, Section::Notes, "aliases", notes, |m| {
        (&m.aliases, &m.title)
    });
    add(
        &mut collector,
        Section::Actors,
        "url_aliases",
        actors,
        |m| (&m.url_aliases, &m.name),
    );
    add(&mut collector, Section::Pages, "aliases", pages, |m| {
        (&m.aliases, &m.title)
    });
    add(&mut collector, Section::Authors, "aliases", authors, |m| {
        (&m.aliases, &m.name)
    });
    (collector.redirects, collector.errors)
}

/// Standalone pages share the output root with the site's own folders:
/// a page slug that names one would overwrite it (or be overwritten), so
/// it is an error and the page is left out.
fn remove_reserved_page_slugs(
    pages: &mut Vec<&Page<PageMeta>>,
    trees: &[String],
    errors: &mut Diagnostics,
) {
    pages.retain(|p| {
        let tree = trees.iter().find(|t| t.eq_ignore_ascii_case(p.slug.as_str()));
        if !links::ROOT_FOLDERS.contains(&p.slug.as_str()) && tree.is_none() {
            return true;
        }
        let message = match tree {
            Some(tree) => format!(
                "page slug \"{}\" is taken: the site's pages in \"{tree}\" are published under {tree}/",
                p.slug
            ),
            None => format!(
                "page slug \"{}\" is taken: the site publishes its own {}/ there",
                p.slug, p.slug
            ),
        };
        let key =
            crate::load::front_matter::locate_key(&p.file.text, p.front_matter.clone(), "slug");
        let d = if p.file.text.get(key) == Some("slug") {
            p.error_at_key("slug", Some(p.slug.as_str()), message)
        } else {
            Diagnostic::at(&p.file, 0..0, message)
        };
        errors.push(d.with_help(format!(
            "standalone pages are published at the site root; choose another slug, \
             e.g. `slug = \"{}-page\"` (reserved: {})",
            p.slug,
            links::ROOT_FOLDERS
                .iter()
                .copied()
                .chain(trees.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join(", ")
        )));
        false
    });
}

/// Keeps the first page of each slug and reports the others, naming both
/// files.
fn remove_duplicate_slugs<M>(pages: &mut Vec<&Page<M>>, errors: &mut Diagnostics) {
    let mut seen: HashMap<Slug, std::path::PathBuf> = HashMap::default();
    pages.retain(|p| match seen.get(&p.slug) {
        Some(first) => {
            let message = format!(
                "duplicate slug \"{}\": also used by {}",
                p.slug,
                first.display()
            );
            // A slug set by `slug =` is pointed at there; one taken from
            // the file name at the top of the file.
            let key = crate::load::front_matter::locate_key(
                &p.file.text,
                p.front_matter.clone(),
                "slug",
            );
            let d = if p.file.text.get(key) == Some("slug") {
                p.error_at_key("slug", Some(p.slug.as_str()), message).with_help(
                    "slugs must be unique within a section: change this `slug` or the other page's",
                )
            } else {
                Diagnostic::at(&p.file, 0..0, message)
                    .with_help("slugs must be unique within a section: rename one file or set `slug` in its front matter")
            };
            errors.push(d);
            false
        }
        None => {
            seen.insert(p.slug.clone(), p.file.path.clone());
            true
        }
    });
}

/// Two actors answering to the same name would make mentions ambiguous.
/// Names are compared in Unicode normal form C, so a composed `José` and a
/// decomposed `José`, which look the same and match the same mentions,
/// are one name.
fn check_actor_names(actors: &[&Page<ActorMeta>], errors: &mut Diagnostics) {
    let mut owner: HashMap<std::borrow::Cow<str>, (usize, &str)> = HashMap::default();
    for (i, p) in actors.iter().enumerate() {
        for (key, name) in std::iter::once(("name", &p.meta.name))
            .chain(p.meta.aliases.iter().map(|a| ("aliases", a)))
        {
            let name = name.trim();
            if name.is_empty() {
                errors.push(p.error_at_key(key, None, "an actor's name or alias may not be empty"));
                continue;
            }
            match owner.get(&nfc(name)) {
                Some(&(j, first)) if j != i => {
                    let spelling = if first == name {
                        String::new()
                    } else {
                        format!(" (spelt \"{first}\" there, with other Unicode code points)")
                    };
                    errors.push(
                        p.error_at_key(
                            key,
                            Some(name),
                            format!(
                                "\"{name}\" is also a name or alias of actor \"{}\" ({}){spelling}",
                                actors[j].slug,
                                actors[j].file.path.display()
                            ),
                        )
                        .with_help(
                            "each name and alias must point at one actor, so mentions can be linked",
                        ),
                    )
                }
                Some(_) => {}
                None => {
                    owner.insert(nfc(name), (i, name));
                }
            }
        }
    }
}

/// Two author profiles of one name would leave a byline naming it
/// ambiguous: an error at the second's `name`.
fn check_author_names(authors: &[&Page<AuthorMeta>], errors: &mut Diagnostics) {
    let mut owner: HashMap<String, usize> = HashMap::default();
    for (i, p) in authors.iter().enumerate() {
        let name = nfc(p.meta.name.trim()).into_owned();
        if name.is_empty() {
            continue;
        }
        match owner.get(&name) {
            Some(&j) => errors.push(
                p.error_at_key(
                    "name",
                    Some(p.meta.name.trim()),
                    format!(
                        "\"{name}\" is also the name of author \"{}\" ({})",
                        authors[j].slug,
                        authors[j].file.path.display()
                    ),
                )
                .with_help("a byline names one profile: give each author a distinct name"),
            ),
            None => {
                owner.insert(name, i);
            }
        }
    }
}

/// The author profile a byline entry names: the profile whose slug is
/// the entry's slug (`"Ana Diallo"` and `"ana-diallo"` both name
/// `content/authors/ana-diallo.md`), else the profile whose name is the
/// entry (both trimmed, in Unicode NFC; for a profile whose `slug` is
/// set). `None` leaves the entry a plain name.
pub fn match_author(authors: &[Author], entry: &str) -> Option<AuthorId> {
    let entry = nfc(entry.trim());
    let slug = slugify(&entry);
    authors
        .iter()
        .position(|a| a.slug.as_str() == slug)
        .or_else(|| authors.iter().position(|a| a.name == *entry))
}

/// Each article's bylines (its `authors`, else the site's default ones)
/// matched with the profiles, and each profile's public articles.
/// A byline naming a draft profile left out of the build (`draft_authors`)
/// by its slug shows the profile's name, unlinked.
fn link_bylines(site: &mut Site, draft_authors: &[(Slug, String)]) {
    for id in 0..site.articles.len() {
        let a = &site.articles[id];
        let names = if a.authors.is_empty() {
            &site.config.authors
        } else {
            &a.authors
        };
        // A stand-in for an untranslated article is no story of this
        // language's tree: it links, it is not listed.
        let public = a.is_public() && id < site.own.articles;
        let mut bylines: Vec<Byline> = Vec::with_capacity(names.len());
        for entry in names {
            let author = match_author(&site.authors, entry);
            let name = match author {
                Some(x) => site.authors[x].name.clone(),
                None => {
                    let slug = slugify(&nfc(entry.trim()));
                    (draft_authors.iter())
                        .find(|(s, _)| s.as_str() == slug)
                        .map_or_else(|| entry.trim().to_string(), |(_, name)| name.clone())
                }
            };
            if public {
                if let Some(x) = author {
                    // An article naming an author twice is listed once.
                    if site.authors[x].articles.last() != Some(&id) {
                        site.authors[x].articles.push(id);
                    }
                }
            }
            bylines.push(Byline { name, author });
        }
        site.articles[id].bylines = bylines;
    }
}

/// `text` in Unicode normal form C, borrowed when it already is.
pub(crate) fn nfc(text: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.nfc().collect())
    }
}

pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).ok();
    out
}
