//! Render: turns a resolved [`Site`] into output files. Each page gets a
//! small view built from precomputed lists (see `views`, `pages`,
//! `lists`), is rendered with Tera in parallel, and goes to the caller's
//! sink at once; nothing is written here (the build's sink stages files
//! beside the output, so a build that fails to render leaves it untouched).

pub mod affected;
mod fingerprint;
mod lists;
pub mod metadata;
mod pages;
pub mod theme;
pub mod views;

pub use fingerprint::fingerprint;

use rustc_hash::FxHashMap as HashMap;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{ActorKind, Section};
use crate::resolve::links::page_dir;
use crate::resolve::{
    Actor, ActorId, Article, ArticleId, Note, NoteId, Site, Topic, TopicId, CONTENT_DEPTH,
};
use metadata::{absolute, page_url, script_safe_json};
use views::*;

/// One file of the finished site: a path under the output root (always
/// `/`-separated) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// How many articles the front page lists under the lead story.
const FRONT_LATEST: usize = 10;
const FRONT_EXPLAINERS: usize = 6;
const FRONT_ACTORS: usize = 8;
/// How many articles the Atom feed carries.
pub(crate) const FEED_ENTRIES: usize = 50;

/// What every page's template sees besides its own view.
#[derive(Serialize)]
struct Common<'a> {
    site: SiteView<'a>,
    /// Relative path from this page to the output root (`../../`).
    root: String,
    nav: Nav,
    /// Which navigation entry is the current section.
    current: &'static str,
    meta: Meta,
    stylesheet: String,
    /// The hover cards of the actor and explainer links in the page's
    /// text, as script-safe JSON keyed by `data-xref`; none when the page
    /// has no such links (and then needs no script).
    cards: Option<String>,
    /// The hover-card script, relative to this page.
    cards_script: String,
    /// The search script (the search page, and the Ctrl/Cmd+K and `/`
    /// shortcuts of every page), relative to this page; none when
    /// `[search] enabled = false`.
    search_script: Option<String>,
}

#[derive(Serialize, Clone)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    know_heading: &'a str,
    base_url: &'a str,
}

#[derive(Serialize)]
struct Nav {
    home: String,
    articles: String,
    explainers: String,
    actors: String,
    topics: String,
    timeline: String,
    feed: String,
    /// The search page; none when search is off.
    search: Option<String>,
}

#[derive(Serialize, Default)]
struct Meta {
    /// The full `<title>`.
    title: String,
    description: String,
    canonical: String,
    og_type: &'static str,
    /// JSON-LD blocks, already escaped for `<script>`.
    json_ld: Vec<String>,
    image: Option<String>,
    /// The image's `image_alt`, for `og:image:alt`.
    image_alt: Option<String>,
    published: Option<String>,
    modified: Option<String>,
    tags: Vec<String>,
}

/// Every output file the site has.
#[derive(Debug, Clone, Copy)]
enum Page {
    Front,
    Archive,
    Article(ArticleId),
    ExplainersIndex,
    Explainer(NoteId),
    ActorsIndex,
    Actor(ActorId),
    TopicsIndex,
    Topic(TopicId),
    Timeline,
    NotFound,
    Search,
    Feed,
    Sitemap,
    Robots,
}

/// A page with its context, ready for Tera; no context when its
/// fingerprint says the output from the last build is still right.
struct Job {
    path: String,
    template: &'static str,
    context: Option<Context>,
    fingerprint: u64,
}

/// What rendering produced.
#[derive(Debug, Default)]
pub struct RenderOutput {
    /// Files rendered and taken by the sink as new or changed.
    pub written: Vec<String>,
    /// Files rendered whose bytes the sink found already in place.
    pub same: Vec<String>,
    /// Files whose inputs are unchanged since the last build: not rendered,
    /// and their output on disk is kept.
    pub unchanged: Vec<String>,
    /// The fingerprint of every page's inputs, for the next build.
    pub fingerprints: Vec<(String, u64)>,
}

/// Where rendered files go, one at a time, as soon as each is rendered (so
/// a large site is never held in memory). Returns whether the file is new
/// or changed.
pub type Sink<'s> = dyn Fn(&OutputFile) -> std::io::Result<bool> + Sync + 's;

/// Why rendering stopped.
#[derive(Debug)]
pub enum RenderError {
    /// Template problems, each located.
    Templates(Diagnostics),
    /// The sink could not take a file.
    Io(String),
}

/// Renders every page, feed and sitemap of the site into `sink`. A page
/// whose fingerprint (of its template set, its template and its view) is
/// the one in `previous` is not rendered again.
///
/// With `only`, pages outside that set whose previous fingerprint is known
/// are taken as unchanged without even building their views (the preview
/// passes the pages an edit can have affected, see [`affected`]).
pub fn render(
    site: &Site,
    theme: &theme::Theme,
    previous: &HashMap<String, u64>,
    only: Option<&rustc_hash::FxHashSet<String>>,
    sink: &Sink,
) -> Result<RenderOutput, RenderError> {
    let r = Renderer::new(site, theme.fingerprint, previous);
    let pages = all_pages(site);
    // Views are built inside the parallel loop: building them is a large
    // share of the work, and each page's view is independent. Each file
    // goes to the sink as soon as it is rendered.
    let results: Vec<Result<Outcome, Failure>> = pages
        .into_par_iter()
        .map(|page| {
            if let Some(only) = only {
                let path = r.path_of(page);
                if !only.contains(&path) {
                    if let Some(&fingerprint) = previous.get(&path) {
                        return Ok(Outcome::Unchanged(path, fingerprint));
                    }
                }
            }
            match render_job(&theme.tera, site, r.job_for(page)) {
                Ok(Rendered::File(f, fingerprint)) => match sink(&f) {
                    Ok(changed) => Ok(Outcome::Rendered(f.path, fingerprint, changed)),
                    Err(e) => Err(Failure::Io(format!("{}: {e}", f.path))),
                },
                Ok(Rendered::Unchanged(path, fingerprint)) => {
                    Ok(Outcome::Unchanged(path, fingerprint))
                }
                Err(failure) => Err(Failure::Template(failure)),
            }
        })
        .collect();
    let mut out = RenderOutput::default();
    // One template fault fails every page using the template: it is
    // reported once, naming the first page and how many others.
    let mut failed: Vec<(Diagnostic, Vec<String>)> = Vec::new();
    for r in results {
        match r {
            Ok(Outcome::Rendered(path, fingerprint, changed)) => {
                out.fingerprints.push((path.clone(), fingerprint));
                if changed {
                    out.written.push(path);
                } else {
                    out.same.push(path);
                }
            }
            Ok(Outcome::Unchanged(path, fingerprint)) => {
                out.fingerprints.push((path.clone(), fingerprint));
                out.unchanged.push(path);
            }
            Err(Failure::Template(failure)) => {
                let (d, page) = *failure;
                match failed.iter_mut().find(|(f, _)| *f == d) {
                    Some((_, pages)) => pages.push(page),
                    None => failed.push((d, vec![page])),
                }
            }
            Err(Failure::Io(m)) => return Err(RenderError::Io(m)),
        }
    }
    if failed.is_empty() {
        return Ok(out);
    }
    let mut errors = Diagnostics::new();
    for (mut d, mut pages) in failed {
        pages.sort();
        d.message = match pages.len() {
            1 => format!("{} (rendering {})", d.message, pages[0]),
            n => format!(
                "{} (rendering {} and {} other pages)",
                d.message,
                pages[0],
                n - 1
            ),
        };
        errors.push(d);
    }
    Err(RenderError::Templates(errors))
}

/// Every output file of the site, in the order they are rendered.
fn all_pages(site: &Site) -> Vec<Page> {
    // The pages that list the whole site or large parts of it come first:
    // a list of thousands of articles rendered last would leave the other
    // cores idle while it finishes (a topic page at the end of the queue
    // cost a 10,000-article build 120 ms on one core).
    let mut pages = vec![
        Page::Front,
        Page::Archive,
        Page::ExplainersIndex,
        Page::ActorsIndex,
        Page::TopicsIndex,
        Page::Timeline,
        Page::NotFound,
        Page::Feed,
        Page::Sitemap,
        Page::Robots,
    ];
    if site.config.search.enabled {
        pages.push(Page::Search);
    }
    pages.extend((0..site.topics.len()).map(Page::Topic));
    pages.extend((0..site.actors.len()).map(Page::Actor));
    pages.extend((0..site.notes.len()).map(Page::Explainer));
    pages.extend((0..site.articles.len()).map(Page::Article));
    pages
}

/// Every output file's template and the context it receives, as JSON
/// (the output path, the template name, the context): what the template
/// reference (`TEMPLATES.md`) documents, and what its test checks it
/// against. Renders nothing.
pub fn template_contexts(site: &Site) -> Vec<(String, &'static str, serde_json::Value)> {
    let no_previous = HashMap::default();
    let r = Renderer::new(site, 0, &no_previous);
    all_pages(site)
        .into_iter()
        .filter_map(|page| {
            let job = r.job_for(page);
            Some((job.path, job.template, job.context?.into_json()))
        })
        .collect()
}

enum Outcome {
    Rendered(String, u64, bool),
    Unchanged(String, u64),
}

enum Failure {
    Template(Box<(Diagnostic, String)>),
    Io(String),
}

enum Rendered {
    File(OutputFile, u64),
    Unchanged(String, u64),
}

/// Renders one page; a template error comes with the path of the page.
fn render_job(tera: &Tera, site: &Site, job: Job) -> Result<Rendered, Box<(Diagnostic, String)>> {
    let Some(context) = job.context else {
        return Ok(Rendered::Unchanged(job.path, job.fingerprint));
    };
    match tera.render(job.template, &context) {
        Ok(text) => Ok(Rendered::File(
            OutputFile {
                path: job.path,
                bytes: text.into_bytes(),
            },
            job.fingerprint,
        )),
        Err(e) => Err(Box::new((
            theme::render_error(tera, &site.templates, job.template, &e),
            job.path,
        ))),
    }
}

/// Builds each page's context from precomputed lists on the resolved site.
struct Renderer<'a> {
    site: &'a Site,
    theme_fingerprint: u64,
    previous: &'a HashMap<String, u64>,
    site_view: SiteView<'a>,
    stylesheet: String,
    cards_script: String,
    search_script: Option<String>,
    /// `[extra]` of site.toml, given to every template as `extra`.
    extra: serde_json::Value,
    /// Actors and notes by slug, for the hover cards of links in text.
    actor_slugs: HashMap<&'a str, ActorId>,
    note_slugs: HashMap<&'a str, NoteId>,
}

impl<'a> Renderer<'a> {
    fn new(site: &'a Site, theme_fingerprint: u64, previous: &'a HashMap<String, u64>) -> Self {
        let c = &site.config;
        Renderer {
            site,
            theme_fingerprint,
            previous,
            site_view: SiteView {
                title: &c.title,
                description: &c.description,
                language: &c.language,
                know_heading: &c.know_heading,
                base_url: &c.base_url,
            },
            stylesheet: versioned(site, "style.css"),
            cards_script: versioned(site, "cards.js"),
            search_script: site
                .config
                .search
                .enabled
                .then(|| versioned(site, "search.js")),
            extra: c.extra_for_templates(),
            actor_slugs: site
                .actors
                .iter()
                .enumerate()
                .map(|(i, a)| (a.slug.as_str(), i))
                .collect(),
            note_slugs: site
                .notes
                .iter()
                .enumerate()
                .map(|(i, n)| (n.slug.as_str(), i))
                .collect(),
        }
    }

    /// The output path of a page, without building it.
    fn path_of(&self, page: Page) -> String {
        let s = self.site;
        match page {
            Page::Front => "index.html".into(),
            Page::Archive => "articles/index.html".into(),
            Page::Article(i) => {
                page_dir(Section::Articles, s.articles[i].slug.as_str()) + "index.html"
            }
            Page::ExplainersIndex => "explainers/index.html".into(),
            Page::Explainer(i) => page_dir(Section::Notes, s.notes[i].slug.as_str()) + "index.html",
            Page::ActorsIndex => "actors/index.html".into(),
            Page::Actor(i) => page_dir(Section::Actors, s.actors[i].slug.as_str()) + "index.html",
            Page::TopicsIndex => "topics/index.html".into(),
            Page::Topic(i) => format!("topics/{}/index.html", s.topics[i].slug),
            Page::Timeline => "timeline/index.html".into(),
            Page::NotFound => "404.html".into(),
            Page::Search => "search/index.html".into(),
            Page::Feed => "feed.xml".into(),
            Page::Sitemap => "sitemap.xml".into(),
            Page::Robots => "robots.txt".into(),
        }
    }

    fn job_for(&self, page: Page) -> Job {
        let s = self.site;
        match page {
            Page::Front => self.front_page(),
            Page::Archive => self.archive(),
            Page::Article(i) => self.article(&s.articles[i]),
            Page::ExplainersIndex => self.explainers_index(),
            Page::Explainer(i) => self.explainer(&s.notes[i]),
            Page::ActorsIndex => self.actors_index(),
            Page::Actor(i) => self.actor(&s.actors[i]),
            Page::TopicsIndex => self.topics_index(),
            Page::Topic(i) => self.topic(&s.topics[i]),
            Page::Timeline => self.timeline(),
            Page::NotFound => self.not_found(),
            Page::Search => self.search_page(),
            Page::Feed => self.feed(),
            Page::Sitemap => self.sitemap(),
            Page::Robots => self.robots(),
        }
    }

    fn common(&self, depth: usize, current: &'static str, meta: Meta) -> Common<'a> {
        let l = Linker { depth };
        Common {
            site: self.site_view.clone(),
            root: l.root(),
            nav: Nav {
                home: l.dir(""),
                articles: l.dir("articles/"),
                explainers: l.dir("explainers/"),
                actors: l.dir("actors/"),
                topics: l.dir("topics/"),
                timeline: l.dir("timeline/"),
                feed: format!("{}feed.xml", l.root()),
                search: self.search_script.is_some().then(|| l.dir("search/")),
            },
            current,
            meta,
            stylesheet: format!("{}{}", l.root(), self.stylesheet),
            cards: None,
            cards_script: format!("{}{}", l.root(), self.cards_script),
            search_script: self
                .search_script
                .as_ref()
                .map(|s| format!("{}{s}", l.root())),
        }
    }

    /// The hover cards for the actor and explainer links in a page's HTML
    /// fragments (bodies, event texts), as JSON safe inside `<script>`.
    /// Only the cards the page links to, so a page's size does not grow
    /// with the site; none when it links to none.
    fn hover_cards<'h>(&self, html: impl IntoIterator<Item = &'h str>) -> Option<String> {
        let s = self.site;
        let mut cards = std::collections::BTreeMap::new();
        for target in html.into_iter().flat_map(xref_targets) {
            if cards.contains_key(target) {
                continue;
            }
            let card = match target.split_once('/') {
                Some(("actors", slug)) => self
                    .actor_slugs
                    .get(slug)
                    .map(|&i| HoverCard::actor(&s.actors[i])),
                Some(("explainers", slug)) => self
                    .note_slugs
                    .get(slug)
                    .map(|&i| HoverCard::explainer(&s.notes[i])),
                _ => None,
            };
            if let Some(card) = card {
                cards.insert(target, card);
            }
        }
        if cards.is_empty() {
            return None;
        }
        serde_json::to_value(&cards)
            .ok()
            .map(|v| script_safe_json(&v))
    }

    fn job(
        &self,
        path: String,
        template: &'static str,
        common: Common,
        key: &str,
        view: &impl Serialize,
    ) -> Job {
        self.make_job(path, template, &(&common, key, view), || {
            let mut context = Context::from_serialize(&common).unwrap_or_default();
            context.insert(key, view);
            context
        })
    }

    /// A job, unless the fingerprint of its inputs matches the last build's.
    /// Every template also sees `extra`, which is part of the fingerprint.
    fn make_job(
        &self,
        path: String,
        template: &'static str,
        inputs: &impl Serialize,
        context: impl FnOnce() -> Context,
    ) -> Job {
        let fingerprint = fingerprint(&(self.theme_fingerprint, template, &self.extra, inputs));
        let unchanged = self.previous.get(&path) == Some(&fingerprint);
        Job {
            path,
            template,
            context: (!unchanged).then(|| {
                let mut context = context();
                context.insert("extra", &self.extra);
                context
            }),
            fingerprint,
        }
    }

    fn title(&self, page_title: &str) -> String {
        format!("{} — {}", page_title, self.site.config.title)
    }

    fn list_meta(&self, name: &str, dir: &str, description: String) -> Meta {
        let config = &self.site.config;
        let url = absolute(config, dir);
        Meta {
            title: self.title(name),
            description,
            canonical: url.clone(),
            og_type: "website",
            json_ld: vec![script_safe_json(&metadata::breadcrumbs(&[
                (&config.title, config.base_url.clone()),
                (name, url),
            ]))],
            ..Meta::default()
        }
    }
}

/// The published name of a theme asset (`style.3f9a1c2b.css`, see
/// [`theme::hashed_name`]), hashing the site's own copy in `static/` if it
/// has one, else the built-in file: the same bytes `write::collect_static`
/// publishes under that name.
fn versioned(site: &Site, name: &str) -> String {
    let path = site.root.join("static").join(name);
    // Never read through a link out of the site (the build refuses it).
    let inside = site
        .root
        .canonicalize()
        .ok()
        .is_some_and(|root| crate::load::link_out_of_site(&root, &site.root, &path).is_none());
    let own = inside.then(|| std::fs::read(&path).ok()).flatten();
    let builtin = theme::builtin_static()
        .find(|(p, _)| p == name)
        .map(|(_, b)| b)
        .unwrap_or_default();
    theme::hashed_name(name, own.as_deref().unwrap_or(builtin))
}

/// A short, stable fingerprint of a file, so a changed stylesheet gets a
/// new URL and browsers and CDNs fetch it again.
pub fn short_hash(bytes: &[u8]) -> String {
    // FNV-1a: tiny, deterministic across runs and platforms.
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{:08x}", h as u32)
}
