//! Resolve: turns a loaded site into a [`Site`] where every reference is an
//! id. Checks slugs for duplicates, front-matter references and URLs,
//! renders every Markdown body in one pass (wikilinks, actor mentions, the
//! lifted sidebar section), checks wikilink anchors once all headings are
//! known, and computes the reverse edges: every actor knows where it
//! appears, every explainer knows what cites it. Never touches the file
//! system except to check that a local image exists.

pub mod autolink;
pub mod links;
pub mod markdown;
pub mod site;

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::SourceFile;

use rayon::prelude::*;

use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
use crate::load::front_matter::{ActorMeta, ArticleMeta, NamedLink, NoteMeta};
use crate::load::{LoadedSite, Page};
use crate::model::{slugify, Section, Slug};
use autolink::AutoLinker;
use links::{is_script_url, LinkTargets, Target, TargetInfo};
use markdown::{MarkdownOptions, PendingAnchor, Rendered};
pub use site::*;

/// Every content page is rendered two folders below the output root
/// (`articles/<slug>/index.html`), so links inside bodies climb two levels.
pub const CONTENT_DEPTH: usize = 2;

/// Rendered Markdown bodies from earlier resolves, by source file. An
/// entry is used when the body's text, the page's place in its section and
/// the set of pages and names it can link to are all unchanged.
#[derive(Debug, Default)]
pub struct BodyCache {
    entries: std::sync::Mutex<HashMap<std::path::PathBuf, (u64, std::sync::Arc<Rendered>)>>,
    linker: std::sync::Mutex<Option<(u64, Arc<AutoLinker>)>>,
}

impl BodyCache {
    /// The matcher for these actor names, built once while they stay the
    /// same.
    fn linker(&self, names: &[(usize, &str)]) -> Arc<AutoLinker> {
        let key = crate::render::fingerprint(&names);
        let mut slot = match self.linker.lock() {
            Ok(slot) => slot,
            Err(_) => return Arc::new(AutoLinker::new(names.iter().copied())),
        };
        match &*slot {
            Some((k, linker)) if *k == key => linker.clone(),
            _ => {
                let linker = Arc::new(AutoLinker::new(names.iter().copied()));
                *slot = Some((key, linker.clone()));
                linker
            }
        }
    }

    fn get(&self, path: &Path, key: u64) -> Option<std::sync::Arc<Rendered>> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(path)
            .filter(|(k, _)| *k == key)
            .map(|(_, r)| r.clone())
    }

    fn put(&self, path: &Path, key: u64, rendered: std::sync::Arc<Rendered>) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert(path.to_path_buf(), (key, rendered));
        }
    }
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
    let mut errors = Diagnostics::new();
    let LoadedSite {
        root,
        config,
        articles,
        notes,
        actors,
        templates,
        drafts,
        unavailable,
    } = loaded;
    let mut articles: Vec<&Page<ArticleMeta>> = articles.iter().map(|p| &**p).collect();
    let mut notes: Vec<&Page<NoteMeta>> = notes.iter().map(|p| &**p).collect();
    let mut actors: Vec<&Page<ActorMeta>> = actors.iter().map(|p| &**p).collect();

    // Stable order first, so ids are positions in the final lists.
    articles.sort_by(|a, b| {
        b.meta
            .date
            .cmp(&a.meta.date)
            .then_with(|| a.slug.cmp(&b.slug))
    });
    notes.sort_by(|a, b| {
        sort_key(&a.meta.title)
            .cmp(&sort_key(&b.meta.title))
            .then_with(|| a.slug.cmp(&b.slug))
    });
    actors.sort_by(|a, b| {
        sort_key(&a.meta.name)
            .cmp(&sort_key(&b.meta.name))
            .then_with(|| a.slug.cmp(&b.slug))
    });
    remove_duplicate_slugs(&mut articles, &mut errors);
    remove_duplicate_slugs(&mut notes, &mut errors);
    remove_duplicate_slugs(&mut actors, &mut errors);

    let mut targets = LinkTargets::default();
    for (i, p) in articles.iter().enumerate() {
        targets.insert(target(Section::Articles, i), info(&p.meta.title, &p.slug));
    }
    for (i, p) in notes.iter().enumerate() {
        targets.insert(target(Section::Notes, i), info(&p.meta.title, &p.slug));
    }
    for (i, p) in actors.iter().enumerate() {
        targets.insert(target(Section::Actors, i), info(&p.meta.name, &p.slug));
    }
    for (section, slug) in unavailable {
        targets.mark_unavailable(*section, slug);
    }
    let draft_set: HashSet<(Section, &str)> =
        drafts.iter().map(|(s, slug)| (*s, slug.as_str())).collect();
    let index = SlugIndex {
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
        drafts: draft_set,
        unavailable: unavailable
            .iter()
            .map(|(s, slug)| (*s, slug.as_str()))
            .collect(),
    };

    check_actor_names(&actors, &mut errors);
    // One matcher for every actor name, reused between rebuilds while the
    // names stay the same; autolinking and event mentions share it.
    let names: Vec<(usize, &str)> = actors
        .iter()
        .enumerate()
        .flat_map(|(i, p)| {
            std::iter::once((i, p.meta.name.as_str()))
                .chain(p.meta.aliases.iter().map(move |a| (i, a.as_str())))
        })
        .collect();
    let mention_finder = cache.linker(&names);
    let autolinker = config.autolink.then_some(&*mention_finder);
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
        unavailable
            .iter()
            .map(|(sec, slug)| (sec.folder(), slug))
            .collect::<Vec<_>>(),
    ));
    let ctx = Context {
        targets: &targets,
        autolinker,
        mention_finder: &mention_finder,
        index: &index,
        know_heading: &config.know_heading,
        root,
        cache,
        link_fingerprint,
    };

    let article_results: Vec<_> = articles
        .par_iter()
        .enumerate()
        .map(|(i, p)| resolve_article(&ctx, i, p))
        .collect();
    let note_results: Vec<_> = notes
        .par_iter()
        .enumerate()
        .map(|(i, p)| resolve_note(&ctx, i, p))
        .collect();
    let actor_results: Vec<_> = actors
        .par_iter()
        .enumerate()
        .map(|(i, p)| resolve_actor(&ctx, i, p))
        .collect();

    // Anchors can be checked only now that every page's headings are known.
    let mut headings: HashMap<Target, HashSet<&str>> = HashMap::new();
    for (i, r) in article_results.iter().enumerate() {
        headings.insert(
            target(Section::Articles, i),
            r.headings.iter().map(String::as_str).collect(),
        );
    }
    for (i, r) in note_results.iter().enumerate() {
        headings.insert(
            target(Section::Notes, i),
            r.headings.iter().map(String::as_str).collect(),
        );
    }
    for (i, r) in actor_results.iter().enumerate() {
        headings.insert(
            target(Section::Actors, i),
            r.headings.iter().map(String::as_str).collect(),
        );
    }
    let all_anchors = article_results
        .iter()
        .map(|r| &r.anchors)
        .chain(note_results.iter().map(|r| &r.anchors))
        .chain(actor_results.iter().map(|r| &r.anchors));
    for anchors in all_anchors {
        for (file_anchor, span_file) in anchors {
            let known = &headings[&file_anchor.target];
            if !known.contains(file_anchor.anchor.as_str()) {
                let name = &targets.info(file_anchor.target).slug;
                errors.push(
                    Diagnostic::at(
                        span_file,
                        file_anchor.range.clone(),
                        format!(
                            "broken wikilink: \"{name}\" has no heading \"#{}\"",
                            file_anchor.anchor
                        ),
                    )
                    .with_help_opt(did_you_mean(&file_anchor.anchor, known.iter().copied())),
                );
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

    let topics = collect_topics(&articles, &mut site_articles, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut site = Site {
        config: config.clone(),
        articles: site_articles.into_iter().map(|(a, _)| a).collect(),
        notes: Vec::new(),
        actors: site_actors,
        topics,
        events: Vec::new(),
        templates: templates.clone(),
        root: root.clone(),
        drafts_skipped: drafts.len(),
    };
    let mut pending_events = Vec::new();
    for (note_id, (note, timeline)) in site_notes.into_iter().enumerate() {
        for e in timeline {
            pending_events.push((e, note_id));
        }
        site.notes.push(note);
    }
    build_events(&mut site, pending_events);
    link_backwards(&mut site);
    Ok(site)
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

/// Keeps the first page of each slug and reports the others, naming both
/// files.
fn remove_duplicate_slugs<M>(pages: &mut Vec<&Page<M>>, errors: &mut Diagnostics) {
    let mut seen: HashMap<Slug, std::path::PathBuf> = HashMap::new();
    pages.retain(|p| match seen.get(&p.slug) {
        Some(first) => {
            errors.push(
                Diagnostic::at(&p.file, 0..0, format!("duplicate slug \"{}\": also used by {}", p.slug, first.display()))
                    .with_help("slugs must be unique within a section: rename one file or set `slug` in its front matter"),
            );
            false
        }
        None => {
            seen.insert(p.slug.clone(), p.file.path.clone());
            true
        }
    });
}

/// Two actors answering to the same name would make mentions ambiguous.
fn check_actor_names(actors: &[&Page<ActorMeta>], errors: &mut Diagnostics) {
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (i, p) in actors.iter().enumerate() {
        for (key, name) in std::iter::once(("name", &p.meta.name))
            .chain(p.meta.aliases.iter().map(|a| ("aliases", a)))
        {
            let name = name.trim();
            if name.is_empty() {
                errors.push(p.error_at_key(key, None, "an actor's name or alias may not be empty"));
                continue;
            }
            match owner.get(name) {
                Some(&j) if j != i => errors.push(
                    p.error_at_key(
                        key,
                        Some(name),
                        format!(
                            "\"{name}\" is also a name or alias of actor \"{}\" ({})",
                            actors[j].slug,
                            actors[j].file.path.display()
                        ),
                    )
                    .with_help(
                        "each name and alias must point at one actor, so mentions can be linked",
                    ),
                ),
                Some(_) => {}
                None => {
                    owner.insert(name, i);
                }
            }
        }
    }
}

struct SlugIndex<'a> {
    articles: HashMap<&'a str, usize>,
    notes: HashMap<&'a str, usize>,
    actors: HashMap<&'a str, usize>,
    drafts: HashSet<(Section, &'a str)>,
    unavailable: HashSet<(Section, &'a str)>,
}

impl SlugIndex<'_> {
    fn of(&self, section: Section) -> &HashMap<&str, usize> {
        match section {
            Section::Articles => &self.articles,
            Section::Notes => &self.notes,
            Section::Actors => &self.actors,
        }
    }
}

struct Context<'a> {
    targets: &'a LinkTargets,
    autolinker: Option<&'a AutoLinker>,
    mention_finder: &'a AutoLinker,
    index: &'a SlugIndex<'a>,
    know_heading: &'a str,
    root: &'a Path,
    cache: &'a BodyCache,
    /// Everything a body's rendering depends on besides its own text: every
    /// page a wikilink can reach with its title, every actor name, and the
    /// pages that failed to load.
    link_fingerprint: u64,
}

/// One page resolved on its own, before the site-wide passes.
struct Resolved<T, X = ()> {
    value: T,
    headings: Vec<String>,
    anchors: Vec<(
        PendingAnchor,
        std::sync::Arc<crate::diagnostics::SourceFile>,
    )>,
    errors: Vec<Diagnostic>,
    /// Section-specific leftovers (topic names, timeline entries).
    topics: X,
    timeline: X,
}

impl<'a> Context<'a> {
    fn options(&self, this_page: Target, body: bool, know: bool) -> MarkdownOptions<'a> {
        MarkdownOptions {
            targets: self.targets,
            autolinker: if body { self.autolinker } else { None },
            know_heading: know.then_some(self.know_heading),
            this_page: Some(this_page),
            depth: CONTENT_DEPTH,
            raw_html: body,
        }
    }

    /// Checks a list of slugs in front matter against a section; returns
    /// the ids of those that exist, without repeats.
    fn references<M>(
        &self,
        page: &Page<M>,
        key: &str,
        slugs: &[String],
        section: Section,
        errors: &mut Vec<Diagnostic>,
    ) -> Vec<usize> {
        let mut ids = Vec::new();
        for slug in slugs {
            match self.index.of(section).get(slug.as_str()) {
                Some(&id) => {
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                // Its own load error is already reported.
                None if self.index.unavailable.contains(&(section, slug.as_str())) => {}
                None if self.index.drafts.contains(&(section, slug.as_str())) => errors.push(
                    page.error_at_key(
                        key,
                        Some(slug),
                        format!("{} \"{slug}\" is a draft", section.noun()),
                    )
                    .with_help("publish it (remove `draft = true`) or build with --drafts"),
                ),
                None => errors.push(
                    page.error_at_key(
                        key,
                        Some(slug),
                        format!("unknown {} \"{slug}\"", section.noun()),
                    )
                    .with_help_opt(
                        did_you_mean(slug, self.targets.slugs_of(section)).or_else(|| {
                            Some(format!(
                                "no file content/{}/{slug}.md (or page with slug = \"{slug}\")",
                                section.folder()
                            ))
                        }),
                    ),
                ),
            }
        }
        ids
    }

    /// Renders a page's Markdown body (or takes it from the cache), mapping
    /// its errors into the file.
    fn body<M>(
        &self,
        page: &Page<M>,
        options: &MarkdownOptions,
        errors: &mut Vec<Diagnostic>,
    ) -> (Arc<Rendered>, Vec<(PendingAnchor, Arc<SourceFile>)>) {
        let text = page.body_text();
        let key = crate::render::fingerprint(&(
            self.link_fingerprint,
            // Hashed directly: serialising the text would scan it for
            // characters to escape first.
            xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
            options.this_page.map(|t| (t.section.folder(), t.index)),
            options.know_heading,
            options.autolinker.is_some(),
        ));
        let rendered = match self.cache.get(&page.file.path, key) {
            Some(r) => r,
            None => {
                let r = Arc::new(markdown::render(text, options));
                self.cache.put(&page.file.path, key, r.clone());
                r
            }
        };
        let offset = page.body.start;
        for e in &rendered.errors {
            errors.push(
                Diagnostic::at(&page.file, shift(&e.range, offset), e.message.clone())
                    .with_help_opt(e.help.clone()),
            );
        }
        let anchors = rendered
            .anchors
            .iter()
            .map(|a| {
                let mut a = a.clone();
                a.range = shift(&a.range, offset);
                (a, page.file.clone())
            })
            .collect();
        (rendered, anchors)
    }

    /// Renders a Markdown string from front matter, pointing its errors at
    /// the string under `key`.
    fn front_matter_markdown<M>(
        &self,
        page: &Page<M>,
        key: &str,
        text: &str,
        options: &MarkdownOptions,
        errors: &mut Vec<Diagnostic>,
        anchors: &mut Vec<(
            PendingAnchor,
            std::sync::Arc<crate::diagnostics::SourceFile>,
        )>,
    ) -> Rendered {
        let mut rendered = markdown::render_inline(text, options);
        for e in rendered.errors.drain(..) {
            let snippet = &text[e.range.clone()];
            errors.push(
                page.error_at_key(key, Some(snippet), e.message)
                    .with_help_opt(e.help),
            );
        }
        for mut a in rendered.anchors.drain(..) {
            let snippet = &text[a.range.clone()];
            a.range = crate::load::front_matter::locate_value(
                &page.file.text,
                page.front_matter.clone(),
                key,
                snippet,
            );
            anchors.push((a, page.file.clone()));
        }
        rendered
    }

    fn check_url<M>(&self, page: &Page<M>, key: &str, url: &str, errors: &mut Vec<Diagnostic>) {
        if is_script_url(url) {
            errors.push(
                page.error_at_key(
                    key,
                    Some(url),
                    format!("refused script URL \"{}\"", url.trim()),
                )
                .with_help("links may not use javascript:, vbscript: or data: URLs"),
            );
        } else if url.trim().is_empty() {
            errors.push(page.error_at_key(key, None, "empty URL"));
        }
    }

    fn image<M>(
        &self,
        page: &Page<M>,
        image: &Option<String>,
        alt: &Option<String>,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<Image> {
        let src = image.as_deref()?.trim();
        self.check_url(page, "image", src, errors);
        let alt = match alt.as_deref().map(str::trim) {
            Some(a) if !a.is_empty() => a.to_string(),
            _ => {
                errors.push(
                    page.error_at_key("image", None, "`image` needs an `image_alt` describing it")
                        .with_help("add image_alt = \"...\" for readers who cannot see the image"),
                );
                String::new()
            }
        };
        let is_remote =
            src.starts_with("https://") || src.starts_with("http://") || src.starts_with("//");
        let local = src.trim_start_matches('/');
        if !is_remote && !is_script_url(src) {
            let on_disk = self.root.join("static").join(local);
            if local.split('/').any(|part| part == "..") || !on_disk.is_file() {
                errors.push(
                    page.error_at_key(
                        "image",
                        Some(src),
                        format!("image \"{src}\" not found in static/"),
                    )
                    .with_help(format!(
                        "put the file at static/{local} or use an absolute https:// URL"
                    )),
                );
            }
        }
        Some(Image {
            src: if is_remote {
                src.to_string()
            } else {
                local.to_string()
            },
            alt,
        })
    }

    fn named_links<M>(
        &self,
        page: &Page<M>,
        key: &str,
        links: &[NamedLink],
        errors: &mut Vec<Diagnostic>,
    ) {
        for l in links {
            self.check_url(page, key, &l.url, errors);
        }
    }
}

fn shift(range: &Range<usize>, offset: usize) -> Range<usize> {
    range.start + offset..range.end + offset
}

fn resolve_article(
    ctx: &Context,
    id: usize,
    page: &Page<ArticleMeta>,
) -> Resolved<Article, Vec<String>> {
    let m = &page.meta;
    let mut errors = Vec::new();
    let this = target(Section::Articles, id);
    let mut actors = ctx.references(page, "actors", &m.actors, Section::Actors, &mut errors);
    let mut background = ctx.references(
        page,
        "background",
        &m.background,
        Section::Notes,
        &mut errors,
    );
    ctx.named_links(page, "sources", &m.sources, &mut errors);
    let image = ctx.image(page, &m.image, &m.image_alt, &mut errors);

    let (body, mut anchors) = ctx.body(page, &ctx.options(this, true, true), &mut errors);
    let fm_options = ctx.options(this, false, false);
    let know_html = match (&m.know, &body.know_heading_at) {
        (Some(_), Some(at)) => {
            errors.push(
                Diagnostic::at(
                    &page.file,
                    shift(at, page.body.start),
                    format!(
                        "\"{}\" appears both in the body and as `know` in front matter",
                        ctx.know_heading
                    ),
                )
                .with_help("keep one: the section in the body or the `know` list"),
            );
            None
        }
        (Some(items), None) => {
            let mut html = String::from("<ul>\n");
            for item in items {
                let r = ctx.front_matter_markdown(
                    page,
                    "know",
                    item,
                    &fm_options,
                    &mut errors,
                    &mut anchors,
                );
                html.push_str("<li>");
                html.push_str(&r.html);
                html.push_str("</li>\n");
                add_mentions_and_notes(&r, &mut actors, &mut background);
            }
            html.push_str("</ul>\n");
            Some(Arc::from(html))
        }
        (None, _) => body.know_html.clone(),
    };
    let corrections = m
        .corrections
        .iter()
        .map(|c| CorrectionHtml {
            date: c.date,
            html: ctx
                .front_matter_markdown(
                    page,
                    "corrections",
                    &c.text,
                    &fm_options,
                    &mut errors,
                    &mut anchors,
                )
                .html
                .to_string(),
        })
        .collect();
    add_mentions_and_notes(&body, &mut actors, &mut background);
    let summary = match m.summary.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => s.to_string(),
        _ => body.first_paragraph.clone(),
    };
    for (key, list) in [("authors", &m.authors), ("topics", &m.topics)] {
        if list.iter().any(|s| s.trim().is_empty()) {
            errors.push(page.error_at_key(key, None, format!("`{key}` has an empty entry")));
        }
    }
    Resolved {
        value: Article {
            slug: page.slug.clone(),
            source: page.file.path.clone(),
            title: m.title.clone(),
            date: m.date,
            updated: m.updated,
            summary,
            authors: m.authors.clone(),
            sources: m.sources.clone(),
            topics: Vec::new(),
            actors,
            background,
            know_html,
            body_html: body.html.clone(),
            image,
            corrections,
            draft: m.draft,
            latest_events: Vec::new(),
        },
        headings: body.headings.iter().map(|h| h.id.clone()).collect(),
        anchors,
        errors,
        topics: m.topics.clone(),
        timeline: Vec::new(),
    }
}

fn add_mentions_and_notes(r: &Rendered, actors: &mut Vec<usize>, notes: &mut Vec<usize>) {
    for &a in &r.mentions {
        if !actors.contains(&a) {
            actors.push(a);
        }
    }
    for t in &r.references {
        if t.section == Section::Notes && !notes.contains(&t.index) {
            notes.push(t.index);
        }
    }
}

/// A timeline entry of a note, rendered, waiting for the site-wide event
/// list.
struct PendingEvent {
    date: crate::model::PartialDate,
    html: String,
    actors: Vec<usize>,
}

fn resolve_note(
    ctx: &Context,
    id: usize,
    page: &Page<NoteMeta>,
) -> Resolved<Note, Vec<PendingEvent>> {
    let m = &page.meta;
    let mut errors = Vec::new();
    let this = target(Section::Notes, id);
    let mut actors = ctx.references(page, "actors", &m.actors, Section::Actors, &mut errors);
    let mut related = ctx.references(page, "related", &m.related, Section::Notes, &mut errors);
    related.retain(|&n| n != id);
    let (body, mut anchors) = ctx.body(page, &ctx.options(this, true, false), &mut errors);
    let fm_options = ctx.options(this, false, false);
    let mut timeline = Vec::new();
    for entry in &m.timeline {
        let r = ctx.front_matter_markdown(
            page,
            "timeline",
            &entry.text,
            &fm_options,
            &mut errors,
            &mut anchors,
        );
        let mut event_actors: Vec<usize> = ctx
            .mention_finder
            .mentions(&entry.text)
            .into_iter()
            .map(|m| m.actor)
            .collect();
        event_actors.extend(r.mentions.iter().copied());
        let mut seen = HashSet::new();
        event_actors.retain(|a| seen.insert(*a));
        timeline.push(PendingEvent {
            date: entry.date,
            html: r.html.to_string(),
            actors: event_actors,
        });
    }
    let mut no_notes = Vec::new();
    add_mentions_and_notes(&body, &mut actors, &mut no_notes);
    let summary = match m.summary.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => s.to_string(),
        _ => body.first_paragraph.clone(),
    };
    Resolved {
        value: Note {
            slug: page.slug.clone(),
            source: page.file.path.clone(),
            title: m.title.clone(),
            summary,
            date: m.date,
            updated: m.updated,
            body_html: body.html.clone(),
            timeline: Vec::new(),
            actors,
            related,
            cited_by: Vec::new(),
            draft: m.draft,
        },
        headings: body.headings.iter().map(|h| h.id.clone()).collect(),
        anchors,
        errors,
        topics: Vec::new(),
        timeline,
    }
}

fn resolve_actor(ctx: &Context, id: usize, page: &Page<ActorMeta>) -> Resolved<Actor> {
    let m = &page.meta;
    let mut errors = Vec::new();
    let this = target(Section::Actors, id);
    let mut related = ctx.references(page, "related", &m.related, Section::Actors, &mut errors);
    related.retain(|&a| a != id);
    ctx.named_links(page, "links", &m.links, &mut errors);
    let image = ctx.image(page, &m.image, &m.image_alt, &mut errors);
    let (body, anchors) = ctx.body(page, &ctx.options(this, true, false), &mut errors);
    Resolved {
        value: Actor {
            slug: page.slug.clone(),
            source: page.file.path.clone(),
            name: m.name.trim().to_string(),
            kind: m.kind,
            role: m.role.clone().filter(|r| !r.trim().is_empty()),
            aliases: m.aliases.clone(),
            born: m.born,
            country: m.country.clone().filter(|c| !c.trim().is_empty()),
            image,
            links: m.links.clone(),
            summary: body.first_paragraph.clone(),
            body_html: body.html.clone(),
            related,
            articles: Vec::new(),
            notes: Vec::new(),
            events: Vec::new(),
            draft: m.draft,
        },
        headings: body.headings.iter().map(|h| h.id.clone()).collect(),
        anchors,
        errors,
        topics: (),
        timeline: (),
    }
}

/// Groups articles by topic. Topics that differ only in case or accents
/// ("Niger" and "niger") would share one URL, so that is an error naming
/// the other spelling.
fn collect_topics(
    pages: &[&Page<ArticleMeta>],
    articles: &mut [(Article, Vec<String>)],
    errors: &mut Diagnostics,
) -> Vec<Topic> {
    let mut by_slug: HashMap<String, (String, Vec<usize>, String)> = HashMap::new();
    // Thousands of articles share a handful of topic names.
    let mut slugs: HashMap<String, String> = HashMap::new();
    for (id, (article, names)) in articles.iter_mut().enumerate() {
        for name in names.iter() {
            let name = name.trim();
            let slug = slugs
                .entry(name.to_string())
                .or_insert_with(|| slugify(name))
                .clone();
            if slug.is_empty() {
                if !name.is_empty() {
                    errors.push(pages[id].error_at_key(
                        "topics",
                        Some(name),
                        format!("topic \"{name}\" has no letters or digits to make a URL from"),
                    ));
                }
                continue;
            }
            match by_slug.get_mut(&slug) {
                Some((first, list, where_)) => {
                    if first != name {
                        errors.push(
                            pages[id]
                                .error_at_key("topics", Some(name), format!("topic \"{name}\" clashes with \"{first}\" (used in {where_}): both would be topics/{slug}/"))
                                .with_help(format!("write \"{first}\"")),
                        );
                    } else if list.last() != Some(&id) {
                        list.push(id);
                    }
                }
                None => {
                    by_slug.insert(
                        slug.clone(),
                        (
                            name.to_string(),
                            vec![id],
                            pages[id].file.path.display().to_string(),
                        ),
                    );
                }
            }
        }
        article.topics.clear();
    }
    let mut topics: Vec<Topic> = by_slug
        .into_iter()
        .map(|(slug, (name, articles, _))| Topic {
            slug,
            name,
            articles,
        })
        .collect();
    topics.sort_by(|a, b| a.slug.cmp(&b.slug));
    for (tid, topic) in topics.iter_mut().enumerate() {
        topic.articles.sort();
        for &a in &topic.articles {
            articles[a].0.topics.push(tid);
        }
    }
    topics
}

/// Gathers every dated event: note timelines and article publications,
/// oldest first, and gives each note and actor its own events.
fn build_events(site: &mut Site, pending: Vec<(PendingEvent, NoteId)>) {
    let mut events: Vec<Event> = pending
        .into_iter()
        .map(|(e, note)| Event {
            date: e.date,
            html: e.html,
            source: EventSource::Note(note),
            actors: e.actors,
        })
        .collect();
    for (id, a) in site.articles.iter().enumerate() {
        events.push(Event {
            date: a.date.as_partial(),
            html: html_escape(&a.title),
            source: EventSource::Article(id),
            actors: Vec::new(),
        });
    }
    // Stable: within a day, timeline entries keep their written order.
    events.sort_by_key(|e| e.date);
    for (eid, e) in events.iter().enumerate() {
        if let EventSource::Note(n) = e.source {
            site.notes[n].timeline.push(eid);
        }
        for &a in &e.actors {
            site.actors[a].events.push(eid);
        }
    }
    site.events = events;
    for article in &mut site.articles {
        let mut latest: Vec<EventId> = article
            .background
            .iter()
            .flat_map(|&n| site.notes[n].timeline.iter().copied())
            .collect();
        latest.sort_by(|a, b| {
            site.events[*b]
                .date
                .cmp(&site.events[*a].date)
                .then(b.cmp(a))
        });
        // Two explainers often record the same event in the same words.
        let mut seen = HashSet::new();
        latest.retain(|&e| seen.insert((site.events[e].date, site.events[e].html.as_str())));
        latest.truncate(SIDEBAR_EVENTS);
        article.latest_events = latest;
    }
}

/// The reverse edges: where each actor appears, what cites each note, and
/// relations made symmetric.
fn link_backwards(site: &mut Site) {
    for (aid, article) in site.articles.iter().enumerate() {
        for &actor in &article.actors {
            site.actors[actor].articles.push(aid);
        }
        for &note in &article.background {
            site.notes[note].cited_by.push(aid);
        }
    }
    for (nid, note) in site.notes.iter().enumerate() {
        for &actor in &note.actors {
            site.actors[actor].notes.push(nid);
        }
    }
    let note_pairs: Vec<(NoteId, NoteId)> = site
        .notes
        .iter()
        .enumerate()
        .flat_map(|(a, n)| n.related.iter().map(move |&b| (a, b)))
        .collect();
    for (a, b) in note_pairs {
        if !site.notes[b].related.contains(&a) {
            site.notes[b].related.push(a);
        }
    }
    let actor_pairs: Vec<(ActorId, ActorId)> = site
        .actors
        .iter()
        .enumerate()
        .flat_map(|(a, x)| x.related.iter().map(move |&b| (a, b)))
        .collect();
    for (a, b) in actor_pairs {
        if !site.actors[b].related.contains(&a) {
            site.actors[b].related.push(a);
        }
    }
}

pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).ok();
    out
}
