//! Render: turns a resolved [`Site`] into output files in memory. Each page
//! gets a small view built from precomputed lists (see `views`), is
//! rendered with Tera in parallel, and nothing is written here: a build
//! that fails to render leaves the output untouched.

pub mod affected;
mod fingerprint;
pub mod metadata;
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
    pages.extend((0..site.topics.len()).map(Page::Topic));
    pages.extend((0..site.actors.len()).map(Page::Actor));
    pages.extend((0..site.notes.len()).map(Page::Explainer));
    pages.extend((0..site.articles.len()).map(Page::Article));
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
                Err(d) => Err(Failure::Template(d)),
            }
        })
        .collect();
    let mut out = RenderOutput::default();
    let mut errors = Diagnostics::new();
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
            Err(Failure::Template(e)) => errors.push(e),
            Err(Failure::Io(m)) => return Err(RenderError::Io(m)),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(RenderError::Templates(errors))
    }
}

enum Outcome {
    Rendered(String, u64, bool),
    Unchanged(String, u64),
}

enum Failure {
    Template(Diagnostic),
    Io(String),
}

enum Rendered {
    File(OutputFile, u64),
    Unchanged(String, u64),
}

fn render_job(tera: &Tera, site: &Site, job: Job) -> Result<Rendered, Diagnostic> {
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
        Err(e) => {
            let file = site.templates.iter().find(|t| t.name == job.template);
            let mut d = theme::template_error(job.template, file, &e);
            d.message = format!("{} (rendering {})", d.message, job.path);
            Err(d)
        }
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
    /// Actors and notes by slug, for the hover cards of links in text.
    actor_slugs: HashMap<&'a str, ActorId>,
    note_slugs: HashMap<&'a str, NoteId>,
}

impl<'a> Renderer<'a> {
    fn new(site: &'a Site, theme_fingerprint: u64, previous: &'a HashMap<String, u64>) -> Self {
        let c = &site.config;
        let css = theme::builtin_static()
            .find(|(p, _)| p == "style.css")
            .map(|(_, b)| b)
            .unwrap_or_default();
        let site_css = std::fs::read(site.root.join("static/style.css")).ok();
        let version = short_hash(site_css.as_deref().unwrap_or(css));
        let js = theme::builtin_static()
            .find(|(p, _)| p == "cards.js")
            .map(|(_, b)| b)
            .unwrap_or_default();
        let site_js = std::fs::read(site.root.join("static/cards.js")).ok();
        let js_version = short_hash(site_js.as_deref().unwrap_or(js));
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
            stylesheet: format!("style.css?v={version}"),
            cards_script: format!("cards.js?v={js_version}"),
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
            },
            current,
            meta,
            stylesheet: format!("{}{}", l.root(), self.stylesheet),
            cards: None,
            cards_script: format!("{}{}", l.root(), self.cards_script),
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
    fn make_job(
        &self,
        path: String,
        template: &'static str,
        inputs: &impl Serialize,
        context: impl FnOnce() -> Context,
    ) -> Job {
        let fingerprint = fingerprint(&(self.theme_fingerprint, template, inputs));
        let unchanged = self.previous.get(&path) == Some(&fingerprint);
        Job {
            path,
            template,
            context: (!unchanged).then(context),
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

    fn front_page(&self) -> Job {
        let s = self.site;
        let l = Linker { depth: 0 };
        let mut key_actors: Vec<usize> = (0..s.actors.len()).collect();
        key_actors.sort_by_key(|&a| {
            std::cmp::Reverse(s.actors[a].articles.len() + s.actors[a].notes.len())
        });
        key_actors.truncate(FRONT_ACTORS);
        let mut explainers: Vec<usize> = (0..s.notes.len()).collect();
        explainers.sort_by_key(|&n| std::cmp::Reverse(s.notes[n].updated.or(s.notes[n].date)));
        explainers.truncate(FRONT_EXPLAINERS);
        #[derive(Serialize)]
        struct Front<'a> {
            lead: Option<ArticleCard<'a>>,
            lead_actors: Vec<ActorCard<'a>>,
            latest: Vec<ArticleCard<'a>>,
            explainers: Vec<NoteCard<'a>>,
            actors: Vec<ActorCard<'a>>,
        }
        let view = Front {
            lead: s.articles.first().map(|a| ArticleCard::new(a, l)),
            lead_actors: s
                .articles
                .first()
                .map(|a| {
                    a.actors
                        .iter()
                        .take(4)
                        .map(|&x| ActorCard::new(&s.actors[x], l))
                        .collect()
                })
                .unwrap_or_default(),
            latest: s
                .articles
                .iter()
                .skip(1)
                .take(FRONT_LATEST)
                .map(|a| ArticleCard::new(a, l))
                .collect(),
            explainers: explainers
                .iter()
                .map(|&n| NoteCard::new(&s.notes[n], l))
                .collect(),
            actors: key_actors
                .iter()
                .map(|&a| ActorCard::new(&s.actors[a], l))
                .collect(),
        };
        let config = &s.config;
        let website = serde_json::json!({
            "@context": "https://schema.org", "@type": "WebSite", "name": config.title,
            "url": config.base_url, "description": config.description, "inLanguage": config.language,
        });
        let meta = Meta {
            title: config.title.clone(),
            description: if config.description.is_empty() {
                config.title.clone()
            } else {
                config.description.clone()
            },
            canonical: config.base_url.clone(),
            og_type: "website",
            json_ld: vec![script_safe_json(&website)],
            ..Meta::default()
        };
        self.job(
            "index.html".into(),
            "index.html",
            self.common(0, "home", meta),
            "front",
            &view,
        )
    }

    fn archive(&self) -> Job {
        let l = Linker { depth: 1 };
        let cards: Vec<ArticleCard> = self
            .site
            .articles
            .iter()
            .map(|a| ArticleCard::new(a, l))
            .collect();
        let meta = self.list_meta(
            "Articles",
            "articles/",
            format!("All {} articles, newest first.", cards.len()),
        );
        self.job(
            "articles/index.html".into(),
            "articles.html",
            self.common(1, "articles", meta),
            "articles",
            &cards,
        )
    }

    fn article(&self, a: &Article) -> Job {
        let s = self.site;
        let l = Linker {
            depth: CONTENT_DEPTH,
        };
        #[derive(Serialize)]
        struct View<'a> {
            title: &'a str,
            summary: &'a str,
            date_iso: String,
            date_human: String,
            updated_iso: Option<String>,
            updated_human: Option<String>,
            authors: &'a [String],
            body: &'a str,
            know: Option<&'a str>,
            /// The same points for the copy shown after the lead on narrow
            /// screens, with its ids made distinct.
            know_inline: Option<String>,
            key_actors: Vec<ActorCard<'a>>,
            background: Vec<NoteCard<'a>>,
            latest_events: Vec<EventView<'a>>,
            sources: Vec<LinkView<'a>>,
            corrections: Vec<CorrectionView<'a>>,
            topics: Vec<TopicLink<'a>>,
            image: Option<ImageView<'a>>,
            draft: bool,
        }
        #[derive(Serialize)]
        struct CorrectionView<'a> {
            date_iso: String,
            date_human: String,
            html: &'a str,
        }
        let view = View {
            title: &a.title,
            summary: &a.summary,
            date_iso: a.date.iso_day(),
            date_human: a.date.human(),
            updated_iso: a.updated.map(|d| d.iso_day()),
            updated_human: a.updated.map(|d| d.human()),
            authors: metadata::article_authors(s, a),
            body: &a.body_html,
            know: a.know_html.as_deref(),
            know_inline: a
                .know_html
                .as_deref()
                .map(|k| k.replace(" id=\"", " id=\"lead-")),
            key_actors: a
                .actors
                .iter()
                .map(|&x| ActorCard::new(&s.actors[x], l))
                .collect(),
            background: a
                .background
                .iter()
                .map(|&n| NoteCard::new(&s.notes[n], l))
                .collect(),
            latest_events: a
                .latest_events
                .iter()
                .map(|&e| EventView::new(s, &s.events[e], l))
                .collect(),
            sources: a
                .sources
                .iter()
                .map(|x| LinkView {
                    name: &x.name,
                    url: &x.url,
                })
                .collect(),
            corrections: a
                .corrections
                .iter()
                .map(|c| CorrectionView {
                    date_iso: c.date.iso_day(),
                    date_human: c.date.human(),
                    html: &c.html,
                })
                .collect(),
            topics: a
                .topics
                .iter()
                .map(|&t| TopicLink {
                    name: &s.topics[t].name,
                    href: l.dir(&format!("topics/{}/", s.topics[t].slug)),
                    count: None,
                })
                .collect(),
            image: a.image.as_ref().map(|i| ImageView::new(i, l)),
            draft: a.draft,
        };
        let config = &s.config;
        let url = page_url(config, Section::Articles, a.slug.as_str());
        let meta = Meta {
            title: self.title(&a.title),
            description: a.summary.clone(),
            canonical: url.clone(),
            og_type: "article",
            json_ld: vec![
                script_safe_json(&metadata::news_article(s, a)),
                script_safe_json(&metadata::breadcrumbs(&[
                    (&config.title, config.base_url.clone()),
                    ("Articles", absolute(config, "articles/")),
                    (&a.title, url),
                ])),
            ],
            image: a
                .image
                .as_ref()
                .map(|i| metadata::absolute_asset(config, &i.src)),
            image_alt: a.image.as_ref().map(|i| i.alt.clone()),
            published: Some(a.date.rfc3339()),
            modified: Some(a.updated.unwrap_or(a.date).rfc3339()),
            tags: a.topics.iter().map(|&t| s.topics[t].name.clone()).collect(),
        };
        let mut common = self.common(CONTENT_DEPTH, "articles", meta);
        common.cards = self.hover_cards(
            [view.body]
                .into_iter()
                .chain(view.know)
                .chain(view.latest_events.iter().map(|e| e.html.as_str()))
                .chain(view.corrections.iter().map(|c| c.html)),
        );
        self.job(
            page_dir(Section::Articles, a.slug.as_str()) + "index.html",
            "article.html",
            common,
            "article",
            &view,
        )
    }

    fn explainers_index(&self) -> Job {
        let l = Linker { depth: 1 };
        let cards: Vec<NoteCard> = self
            .site
            .notes
            .iter()
            .map(|n| NoteCard::new(n, l))
            .collect();
        let meta = self.list_meta(
            "Explainers",
            "explainers/",
            "Background explainers behind the news.".into(),
        );
        self.job(
            "explainers/index.html".into(),
            "explainers.html",
            self.common(1, "explainers", meta),
            "explainers",
            &cards,
        )
    }

    fn explainer(&self, n: &Note) -> Job {
        let s = self.site;
        let l = Linker {
            depth: CONTENT_DEPTH,
        };
        #[derive(Serialize)]
        struct View<'a> {
            title: &'a str,
            summary: &'a str,
            date_iso: Option<String>,
            date_human: Option<String>,
            updated_iso: Option<String>,
            updated_human: Option<String>,
            body: &'a str,
            timeline: Vec<EventView<'a>>,
            actors: Vec<ActorCard<'a>>,
            related: Vec<NoteCard<'a>>,
            cited_by: Vec<ArticleCard<'a>>,
        }
        let mut cited: Vec<usize> = n.cited_by.clone();
        cited.sort();
        let view = View {
            title: &n.title,
            summary: &n.summary,
            date_iso: n.date.map(|d| d.iso_day()),
            date_human: n.date.map(|d| d.human()),
            updated_iso: n.updated.map(|d| d.iso_day()),
            updated_human: n.updated.map(|d| d.human()),
            body: &n.body_html,
            timeline: n
                .timeline
                .iter()
                .map(|&e| EventView::new(s, &s.events[e], l))
                .collect(),
            actors: n
                .actors
                .iter()
                .map(|&a| ActorCard::new(&s.actors[a], l))
                .collect(),
            related: n
                .related
                .iter()
                .map(|&r| NoteCard::new(&s.notes[r], l))
                .collect(),
            cited_by: cited
                .iter()
                .map(|&a| ArticleCard::new(&s.articles[a], l))
                .collect(),
        };
        let config = &s.config;
        let url = page_url(config, Section::Notes, n.slug.as_str());
        let meta = Meta {
            title: self.title(&n.title),
            description: n.summary.clone(),
            canonical: url.clone(),
            og_type: "article",
            json_ld: vec![
                script_safe_json(&metadata::explainer(s, n)),
                script_safe_json(&metadata::breadcrumbs(&[
                    (&config.title, config.base_url.clone()),
                    ("Explainers", absolute(config, "explainers/")),
                    (&n.title, url),
                ])),
            ],
            published: n.date.map(|d| d.rfc3339()),
            modified: n.updated.or(n.date).map(|d| d.rfc3339()),
            ..Meta::default()
        };
        let mut common = self.common(CONTENT_DEPTH, "explainers", meta);
        common.cards = self.hover_cards(
            std::iter::once(view.body).chain(view.timeline.iter().map(|e| e.html.as_str())),
        );
        self.job(
            page_dir(Section::Notes, n.slug.as_str()) + "index.html",
            "explainer.html",
            common,
            "explainer",
            &view,
        )
    }

    fn actors_index(&self) -> Job {
        let s = self.site;
        let l = Linker { depth: 1 };
        #[derive(Serialize)]
        struct Group<'a> {
            label: &'static str,
            id: &'static str,
            actors: Vec<ActorCard<'a>>,
        }
        let mut groups: Vec<Group> = ActorKind::ALL
            .iter()
            .map(|k| Group {
                label: k.plural_label(),
                id: k.as_str(),
                actors: s
                    .actors
                    .iter()
                    .filter(|a| a.kind == Some(*k))
                    .map(|a| ActorCard::new(a, l))
                    .collect(),
            })
            .collect();
        groups.push(Group {
            label: "Others",
            id: "other",
            actors: s
                .actors
                .iter()
                .filter(|a| a.kind.is_none())
                .map(|a| ActorCard::new(a, l))
                .collect(),
        });
        groups.retain(|g| !g.actors.is_empty());
        let meta = self.list_meta(
            "Actors",
            "actors/",
            "People, organizations and countries in the coverage.".into(),
        );
        self.job(
            "actors/index.html".into(),
            "actors.html",
            self.common(1, "actors", meta),
            "groups",
            &groups,
        )
    }

    fn actor(&self, a: &Actor) -> Job {
        let s = self.site;
        let l = Linker {
            depth: CONTENT_DEPTH,
        };
        #[derive(Serialize)]
        struct View<'a> {
            name: &'a str,
            kind: Option<&'static str>,
            role: Option<&'a str>,
            aliases: &'a [String],
            born_iso: Option<String>,
            born_human: Option<String>,
            country: Option<&'a str>,
            image: Option<ImageView<'a>>,
            links: Vec<LinkView<'a>>,
            body: &'a str,
            related: Vec<ActorCard<'a>>,
            articles: Vec<ArticleCard<'a>>,
            explainers: Vec<NoteCard<'a>>,
            events: Vec<EventView<'a>>,
        }
        let mut articles = a.articles.clone();
        articles.sort();
        let view = View {
            name: &a.name,
            kind: a.kind.map(ActorKind::as_str),
            role: a.role.as_deref(),
            aliases: &a.aliases,
            born_iso: a.born.map(|b| b.iso()),
            born_human: a.born.map(|b| b.human()),
            country: a.country.as_deref(),
            image: a.image.as_ref().map(|i| ImageView::new(i, l)),
            links: a
                .links
                .iter()
                .map(|x| LinkView {
                    name: &x.name,
                    url: &x.url,
                })
                .collect(),
            body: &a.body_html,
            related: a
                .related
                .iter()
                .map(|&r| ActorCard::new(&s.actors[r], l))
                .collect(),
            articles: articles
                .iter()
                .map(|&x| ArticleCard::new(&s.articles[x], l))
                .collect(),
            explainers: a
                .notes
                .iter()
                .map(|&n| NoteCard::new(&s.notes[n], l))
                .collect(),
            events: a
                .events
                .iter()
                .map(|&e| EventView::new(s, &s.events[e], l))
                .collect(),
        };
        let config = &s.config;
        let url = page_url(config, Section::Actors, a.slug.as_str());
        let description = match (&a.role, a.summary.is_empty()) {
            (_, false) => a.summary.clone(),
            (Some(r), true) => format!("{}: {}", a.name, r),
            (None, true) => a.name.clone(),
        };
        let meta = Meta {
            title: self.title(&a.name),
            description,
            canonical: url.clone(),
            og_type: if a.kind == Some(ActorKind::Person) {
                "profile"
            } else {
                "website"
            },
            json_ld: vec![
                script_safe_json(&metadata::actor(s, a)),
                script_safe_json(&metadata::breadcrumbs(&[
                    (&config.title, config.base_url.clone()),
                    ("Actors", absolute(config, "actors/")),
                    (&a.name, url),
                ])),
            ],
            image: a
                .image
                .as_ref()
                .map(|i| metadata::absolute_asset(config, &i.src)),
            image_alt: a.image.as_ref().map(|i| i.alt.clone()),
            ..Meta::default()
        };
        let mut common = self.common(CONTENT_DEPTH, "actors", meta);
        common.cards = self.hover_cards(
            std::iter::once(view.body).chain(view.events.iter().map(|e| e.html.as_str())),
        );
        self.job(
            page_dir(Section::Actors, a.slug.as_str()) + "index.html",
            "actor.html",
            common,
            "actor",
            &view,
        )
    }

    fn topics_index(&self) -> Job {
        let l = Linker { depth: 1 };
        let topics: Vec<TopicLink> = self
            .site
            .topics
            .iter()
            .map(|t| TopicLink {
                name: &t.name,
                href: l.dir(&format!("topics/{}/", t.slug)),
                count: Some(t.articles.len()),
            })
            .collect();
        let meta = self.list_meta("Topics", "topics/", "Articles by topic.".into());
        self.job(
            "topics/index.html".into(),
            "topics.html",
            self.common(1, "topics", meta),
            "topics",
            &topics,
        )
    }

    fn topic(&self, t: &Topic) -> Job {
        let s = self.site;
        let l = Linker { depth: 2 };
        #[derive(Serialize)]
        struct View<'a> {
            name: &'a str,
            articles: Vec<ArticleCard<'a>>,
        }
        let view = View {
            name: &t.name,
            articles: t
                .articles
                .iter()
                .map(|&a| ArticleCard::new(&s.articles[a], l))
                .collect(),
        };
        let dir = format!("topics/{}/", t.slug);
        let config = &s.config;
        let mut meta = self.list_meta(&t.name, &dir, format!("Articles about {}.", t.name));
        meta.json_ld = vec![script_safe_json(&metadata::breadcrumbs(&[
            (&config.title, config.base_url.clone()),
            ("Topics", absolute(config, "topics/")),
            (&t.name, absolute(config, &dir)),
        ]))];
        self.job(
            format!("{dir}index.html"),
            "topic.html",
            self.common(2, "topics", meta),
            "topic",
            &view,
        )
    }

    fn timeline(&self) -> Job {
        let s = self.site;
        let l = Linker { depth: 1 };
        #[derive(Serialize)]
        struct Year<'a> {
            year: i32,
            events: Vec<EventView<'a>>,
        }
        let mut years: Vec<Year> = Vec::new();
        for e in &s.events {
            let view = EventView::new(s, e, l);
            match years.last_mut() {
                Some(y) if y.year == e.date.year => y.events.push(view),
                _ => years.push(Year {
                    year: e.date.year,
                    events: vec![view],
                }),
            }
        }
        let meta = self.list_meta(
            "Timeline",
            "timeline/",
            "Every dated event in the coverage, in order.".into(),
        );
        let mut common = self.common(1, "timeline", meta);
        common.cards = self.hover_cards(
            years
                .iter()
                .flat_map(|y| y.events.iter().map(|e| e.html.as_str())),
        );
        self.job(
            "timeline/index.html".into(),
            "timeline.html",
            common,
            "years",
            &years,
        )
    }

    /// A host serves `404.html` at any missing URL, so its links cannot be
    /// relative to one folder: they start from the site's base path.
    fn not_found(&self) -> Job {
        let mut common = self.common(
            0,
            "",
            Meta {
                title: self.title("Page not found"),
                description: "The page you asked for does not exist.".into(),
                canonical: absolute(&self.site.config, "404.html"),
                og_type: "website",
                ..Meta::default()
            },
        );
        let base = self.site.config.base_path().to_string();
        let prefix = |href: &str| format!("{base}{href}");
        common.root = base.clone();
        common.nav = Nav {
            home: prefix("index.html"),
            articles: prefix("articles/index.html"),
            explainers: prefix("explainers/index.html"),
            actors: prefix("actors/index.html"),
            topics: prefix("topics/index.html"),
            timeline: prefix("timeline/index.html"),
            feed: prefix("feed.xml"),
        };
        common.stylesheet = prefix(&self.stylesheet);
        common.cards_script = prefix(&self.cards_script);
        self.job("404.html".into(), "404.html", common, "not_found", &true)
    }

    fn feed(&self) -> Job {
        let s = self.site;
        let config = &s.config;
        #[derive(Serialize)]
        struct Entry<'a> {
            id: String,
            url: String,
            title: &'a str,
            published: String,
            updated: String,
            summary: &'a str,
            content: String,
            authors: &'a [String],
            categories: Vec<&'a str>,
        }
        #[derive(Serialize)]
        struct Feed<'a> {
            id: String,
            title: &'a str,
            subtitle: &'a str,
            updated: String,
            self_url: String,
            home_url: &'a str,
            author: &'a str,
            entries: Vec<Entry<'a>>,
        }
        let entries: Vec<Entry> = s
            .articles
            .iter()
            .take(FEED_ENTRIES)
            .map(|a| {
                let url = page_url(config, Section::Articles, a.slug.as_str());
                let mut content = String::new();
                if let Some(know) = &a.know_html {
                    content.push_str(&format!(
                        "<aside><h2>{}</h2>{}</aside>",
                        crate::resolve::html_escape(&config.know_heading),
                        know
                    ));
                }
                content.push_str(&a.body_html);
                Entry {
                    id: url.clone(),
                    url,
                    title: &a.title,
                    published: a.date.rfc3339(),
                    updated: a.updated.unwrap_or(a.date).rfc3339(),
                    summary: &a.summary,
                    content,
                    authors: metadata::article_authors(s, a),
                    categories: a
                        .topics
                        .iter()
                        .map(|&t| s.topics[t].name.as_str())
                        .collect(),
                }
            })
            .collect();
        let updated = s
            .articles
            .iter()
            .map(|a| a.updated.unwrap_or(a.date))
            .max()
            .map(|d| d.rfc3339())
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
        let author = if !config.publisher.name.is_empty() {
            &config.publisher.name
        } else {
            &config.title
        };
        let feed = Feed {
            id: absolute(config, "feed.xml"),
            title: &config.title,
            subtitle: &config.description,
            updated,
            self_url: absolute(config, "feed.xml"),
            home_url: &config.base_url,
            author,
            entries,
        };
        self.make_job("feed.xml".into(), "feed.xml", &feed, || {
            let mut context = Context::new();
            context.insert("feed", &feed);
            context
        })
    }

    fn sitemap(&self) -> Job {
        let s = self.site;
        let config = &s.config;
        #[derive(Serialize)]
        struct Url {
            loc: String,
            lastmod: Option<String>,
        }
        // A list page changes when the newest of its pages does.
        let newest = s.articles.iter().map(|a| a.updated.unwrap_or(a.date)).max();
        let newest_note = s.notes.iter().filter_map(|n| n.updated.or(n.date)).max();
        let mut urls = vec![Url {
            loc: config.base_url.clone(),
            lastmod: newest.max(newest_note).map(|d| d.iso_day()),
        }];
        for (dir, lastmod) in [
            ("articles/", newest),
            ("explainers/", newest_note),
            ("actors/", None),
            ("topics/", newest),
            ("timeline/", newest.max(newest_note)),
        ] {
            urls.push(Url {
                loc: absolute(config, dir),
                lastmod: lastmod.map(|d| d.iso_day()),
            });
        }
        urls.extend(s.articles.iter().map(|a| Url {
            loc: page_url(config, Section::Articles, a.slug.as_str()),
            lastmod: Some(a.updated.unwrap_or(a.date).iso_day()),
        }));
        urls.extend(s.notes.iter().map(|n| Url {
            loc: page_url(config, Section::Notes, n.slug.as_str()),
            lastmod: n.updated.or(n.date).map(|d| d.iso_day()),
        }));
        urls.extend(s.actors.iter().map(|a| Url {
            loc: page_url(config, Section::Actors, a.slug.as_str()),
            lastmod: None,
        }));
        urls.extend(s.topics.iter().map(|t| {
            Url {
                loc: absolute(config, &format!("topics/{}/", t.slug)),
                lastmod: t
                    .articles
                    .iter()
                    .map(|&a| s.articles[a].updated.unwrap_or(s.articles[a].date))
                    .max()
                    .map(|d| d.iso_day()),
            }
        }));
        self.make_job("sitemap.xml".into(), "sitemap.xml", &urls, || {
            let mut context = Context::new();
            context.insert("urls", &urls);
            context
        })
    }

    fn robots(&self) -> Job {
        let url = absolute(&self.site.config, "sitemap.xml");
        self.make_job("robots.txt".into(), "robots.txt", &url, || {
            let mut context = Context::new();
            context.insert("sitemap_url", &url);
            context
        })
    }
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
