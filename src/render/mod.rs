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
pub mod paginate;
pub mod theme;
pub mod views;

pub use fingerprint::fingerprint;
pub use lists::{SITEMAP_MAX_URLS, SITEMAP_MAX_URLS_VAR};

use rustc_hash::FxHashMap as HashMap;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{ActorKind, Section};
use crate::resolve::links::page_dir;
use crate::resolve::{
    Actor, ActorId, Article, ArticleId, Author, AuthorId, Note, NoteId, Site, StandalonePage,
    Topic, TopicId, CONTENT_DEPTH,
};
use metadata::{absolute, page_url, script_safe_json};
use paginate::{page_count, page_folder, page_range, Pager};
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
/// How many articles the site's Atom feed carries.
pub(crate) const FEED_ENTRIES: usize = 50;
/// How many articles the feed of a topic, an actor or an author carries.
/// Such a feed is for following new stories on one subject; a site has one
/// per subject (a thousand at 10,000 articles), and twenty entries each
/// keep their total a fraction of the pages' size.
pub(crate) const SUBJECT_FEED_ENTRIES: usize = 20;

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
    /// The click-to-load embed script, relative to this page, when the
    /// page's body has an embed (else none, and no script is loaded).
    embeds_script: Option<String>,
    /// The standalone pages linked from the header and the footer.
    menus: MenuView,
    /// The site's icons found in `static/`, as `<link>` attributes.
    icons: Vec<IconLink>,
    /// This page's place in a list split into pages; none on a page that
    /// is not part of one, or when the list fits on one page.
    pager: Option<Pager>,
    /// The search script (the search page, and the Ctrl/Cmd+K and `/`
    /// shortcuts of every page), relative to this page; none when
    /// `[search] enabled = false`.
    search_script: Option<String>,
    /// On a multilingual site, this page in every language that has it
    /// (itself included), then `x-default`: absolute URLs for
    /// `<link rel="alternate" hreflang>`. Absent on other sites.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    alternates: Vec<Alternate>,
    /// On a multilingual site, the language switcher: every language by
    /// its own name, linking to this page's translation, or to that
    /// language's front page when it has none. Absent on other sites.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    languages: Vec<LanguageLink>,
}

/// One `<link rel="alternate" hreflang>` of a page.
#[derive(Serialize)]
struct Alternate {
    /// A language tag, or `x-default`.
    hreflang: String,
    href: String,
}

/// One entry of the language switcher.
#[derive(Serialize)]
struct LanguageLink {
    /// The language tag, for `lang` and `hreflang`.
    tag: String,
    /// The language's name in itself (`Français`).
    name: String,
    /// `ltr` or `rtl`, for the name's `dir`.
    dir: &'static str,
    /// Relative to this page.
    href: String,
    /// The language of this page (`aria-current="true"`).
    current: bool,
}

/// The languages of a multilingual site, shared by the render of each
/// language's tree: which pages each tree has (for the `hreflang`
/// alternates and the language switcher) and the other trees' sitemap
/// entries, which the default language's `sitemap.xml` lists too, and
/// their redirects, which the root's `_redirects` lists too.
pub struct LanguageSet {
    languages: Vec<LanguageEntry>,
    /// Per language, the folders of the HTML pages of its tree
    /// (`articles/x/`, `` for the front page).
    pages: Vec<rustc_hash::FxHashSet<String>>,
    /// Per language, its pages under a slug that is not their source
    /// name: folder -> the folder of that name, which pairs translations
    /// (`articles/retrait/` -> `articles/withdrawal/`), and the reverse.
    renamed: Vec<rustc_hash::FxHashMap<String, String>>,
    renamed_back: Vec<rustc_hash::FxHashMap<String, String>>,
    sitemap: Vec<lists::SitemapUrl>,
    /// The other trees' redirects, their paths from the output root.
    redirects: Vec<crate::resolve::redirects::Redirect>,
}

struct LanguageEntry {
    tag: String,
    /// Its tree under the output root (``, `fr/`).
    tree: String,
    config: crate::config::Config,
}

impl LanguageSet {
    /// The set of `sites`: the default language's, then the others'.
    pub fn new(sites: &[&Site]) -> LanguageSet {
        let no_previous = HashMap::default();
        let mut pages = Vec::new();
        let mut sitemap = Vec::new();
        let mut redirects = Vec::new();
        let mut renamed = Vec::new();
        let mut renamed_back = Vec::new();
        for (i, site) in sites.iter().enumerate() {
            let pairs: rustc_hash::FxHashMap<String, String> = (site.renamed.iter())
                .map(|(section, slug, name)| {
                    (page_dir(*section, slug.as_str()), page_dir(*section, name))
                })
                .collect();
            renamed_back.push(pairs.iter().map(|(k, v)| (v.clone(), k.clone())).collect());
            renamed.push(pairs);
            let r = Renderer::new(site, 0, &no_previous, None);
            pages.push(
                all_pages(site, 0)
                    .into_iter()
                    .map(|p| r.path_of(p))
                    .filter_map(|p| p.strip_suffix("index.html").map(str::to_string))
                    .collect(),
            );
            if i > 0 {
                sitemap.extend(r.sitemap_urls().iter().cloned());
                let tree = &site.config.tree;
                redirects.extend(site.redirects.iter().map(|x| {
                    crate::resolve::redirects::Redirect {
                        from: format!("{tree}{}", x.from),
                        to: format!("{tree}{}", x.to),
                        ..x.clone()
                    }
                }));
            }
        }
        LanguageSet {
            languages: sites
                .iter()
                .map(|s| LanguageEntry {
                    tag: s.config.language.clone(),
                    tree: s.config.tree.clone(),
                    config: s.config.clone(),
                })
                .collect(),
            pages,
            renamed,
            renamed_back,
            sitemap,
            redirects,
        }
    }

    /// The folder of the page of language `i` that pairs with `key`
    /// (a folder under its source name, see [`Self::key_of`]), if that
    /// language has one.
    fn folder_of(&self, i: usize, key: &str) -> Option<String> {
        let (base, later) = split_pager(key);
        let dir = match self.renamed_back[i].get(base) {
            Some(dir) => format!("{dir}{later}"),
            None if self.renamed[i].contains_key(base) => return None,
            None => key.to_string(),
        };
        self.pages[i].contains(&dir).then_some(dir)
    }

    /// What pairs the folder `dir` of language `i` with its translations:
    /// the folder under its source name, its later pages' too.
    fn key_of(&self, i: usize, dir: &str) -> String {
        let (base, later) = split_pager(dir);
        match self.renamed[i].get(base) {
            Some(key) => format!("{key}{later}"),
            None => dir.to_string(),
        }
    }

    /// The alternates and the switcher of the page at the folder `dir` of
    /// the tree of language `current`, `depth` folders below that tree.
    fn links(
        &self,
        current: usize,
        dir: &str,
        depth: usize,
    ) -> (Vec<Alternate>, Vec<LanguageLink>) {
        let up = depth + usize::from(current > 0);
        let mut alternates = Vec::new();
        let mut switcher = Vec::new();
        // Translations pair by source name, whatever their slugs.
        let key = self.key_of(current, dir);
        let here = self.pages[current].contains(dir);
        for (i, language) in self.languages.iter().enumerate() {
            let found = self.folder_of(i, &key);
            if let (Some(there), true) = (&found, here) {
                alternates.push(Alternate {
                    hreflang: language.tag.clone(),
                    href: absolute(&language.config, there),
                });
            }
            let target = found.as_deref().unwrap_or("");
            switcher.push(LanguageLink {
                tag: language.tag.clone(),
                name: crate::i18n::endonym(&language.tag),
                dir: if crate::i18n::is_rtl(&language.tag) {
                    "rtl"
                } else {
                    "ltr"
                },
                href: crate::resolve::links::relative_href(
                    up,
                    &format!("{}{target}", language.tree),
                ),
                current: i == current,
            });
        }
        // A page alone in its language has no alternates; `x-default`
        // names the default language's version, when there is one.
        if alternates.len() < 2 {
            alternates.clear();
        } else if let Some(there) = self.folder_of(0, &key) {
            alternates.push(Alternate {
                hreflang: "x-default".into(),
                href: absolute(&self.languages[0].config, &there),
            });
        }
        (alternates, switcher)
    }
}

/// A folder split before its pager part: `actors/x/page/2/` is
/// (`actors/x/`, `page/2/`); a folder without one is itself and ``.
fn split_pager(dir: &str) -> (&str, &str) {
    match dir.find("/page/") {
        Some(at) => dir.split_at(at + 1),
        None => (dir, ""),
    }
}

/// The header and footer menus of one page, with links relative to it.
#[derive(Serialize, Default)]
struct MenuView {
    header: Vec<MenuLink>,
    footer: Vec<MenuLink>,
}

#[derive(Serialize)]
struct MenuLink {
    title: String,
    href: String,
    /// The link leads to the page being shown (`aria-current="page"`).
    current: bool,
}

/// A site icon: `<link rel="{{ rel }}" href="{{ href }}" type=...>`.
#[derive(Serialize)]
struct IconLink {
    rel: &'static str,
    href: String,
    media_type: &'static str,
}

/// The icons a site may put in `static/`, linked from every page when
/// present: `(file name, rel, media type)`.
pub const SITE_ICONS: [(&str, &str, &str); 3] = [
    ("favicon.ico", "icon", "image/x-icon"),
    ("favicon.svg", "icon", "image/svg+xml"),
    ("apple-touch-icon.png", "apple-touch-icon", "image/png"),
];

/// One standalone page in a menu, by slug and title, in menu order.
#[derive(Debug, PartialEq, Eq, Clone)]
pub(crate) struct MenuEntry {
    pub slug: String,
    pub title: String,
}

/// The header and the footer menus of a site: its standalone pages with
/// `menu = "header"` or `"footer"`, by `menu_order`, then title, then slug.
pub(crate) fn menus(site: &Site) -> (Vec<MenuEntry>, Vec<MenuEntry>) {
    use crate::load::front_matter::MenuPlace;
    let of = |place: MenuPlace| {
        let mut pages: Vec<_> = site
            .own_pages()
            .iter()
            .filter(|p| p.menu == place)
            .collect();
        pages.sort_by(|a, b| {
            (a.menu_order, &a.title, &a.slug).cmp(&(b.menu_order, &b.title, &b.slug))
        });
        pages
            .into_iter()
            .map(|p| MenuEntry {
                slug: p.slug.to_string(),
                title: p.title.clone(),
            })
            .collect()
    };
    (of(MenuPlace::Header), of(MenuPlace::Footer))
}

#[derive(Serialize, Clone)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    /// `ltr` or `rtl`: the writing direction of `language`.
    dir: &'static str,
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
    /// The index of author profiles; none when the site has none.
    authors: Option<String>,
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
    /// The page's own Atom feed (a topic's, an actor's), besides the
    /// site's: `<link rel="alternate">`.
    feed: Option<FeedLink>,
}

/// A feed, by title and href relative to the page.
#[derive(Serialize)]
struct FeedLink {
    title: String,
    href: String,
}

/// Every output file the site has. The `usize` after a list is its page
/// number, from 1.
#[derive(Debug, Clone, Copy)]
enum Page {
    Front,
    Archive(usize),
    Article(ArticleId),
    ExplainersIndex(usize),
    Explainer(NoteId),
    ActorsIndex,
    Actor(ActorId, usize),
    TopicsIndex,
    Topic(TopicId, usize),
    Timeline(usize),
    /// One year of the timeline: its index in [`event_years`], and the page.
    TimelineYear(usize, usize),
    NotFound,
    Search,
    Feed,
    /// The feed of a topic.
    TopicFeed(TopicId),
    /// The feed of a public actor.
    ActorFeed(ActorId),
    /// `authors/index.html`, when the site has author profiles.
    AuthorsIndex,
    /// A page of an author's profile and articles.
    Author(AuthorId, usize),
    /// The feed of a public author.
    AuthorFeed(AuthorId),
    /// `sitemap.xml` (0), or its part `sitemap-N.xml` when it is an index.
    Sitemap(usize),
    Robots,
    Standalone(usize),
    /// The page at an old URL that leads to its page now.
    Redirect(usize),
    /// `_redirects`, when the site has redirects.
    Redirects,
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
    render_language(site, theme, previous, only, sink, None)
}

/// [`render`] for one language's tree of a multilingual site: `languages`
/// is the set of languages with the index of this one. Paths are those
/// under the tree (the caller puts them under `<language>/`).
pub fn render_language(
    site: &Site,
    theme: &theme::Theme,
    previous: &HashMap<String, u64>,
    only: Option<&rustc_hash::FxHashSet<String>>,
    sink: &Sink,
    languages: Option<(&LanguageSet, usize)>,
) -> Result<RenderOutput, RenderError> {
    let r = Renderer::new(site, theme.fingerprint, previous, languages);
    let tera = with_interface(&theme.tera, &site.config.interface);
    let extra_sitemap = languages.map_or(0, |(set, i)| if i == 0 { set.sitemap.len() } else { 0 });
    let mut pages = all_pages(site, extra_sitemap);
    // The root's `_redirects` also holds the other trees' redirects.
    if site.redirects.is_empty()
        && languages.is_some_and(|(set, i)| i == 0 && !set.redirects.is_empty())
    {
        pages.push(Page::Redirects);
    }
    // Views are built inside the parallel loop: building them is a large
    // share of the work, and each page's view is independent. Each file
    // goes to the sink as soon as it is rendered.
    // Every page is a task of its own that an idle core can take: by
    // default the pool splits the list only a few times and walks each
    // part in turn on one core, so the last part (a run of articles
    // behind a list page, say) kept one core busy for a few hundred
    // milliseconds while the other had nothing left to take.
    let results: Vec<Result<Outcome, Failure>> = pages
        .into_par_iter()
        .with_max_len(1)
        .map(|page| {
            if let Some(only) = only {
                let path = r.path_of(page);
                if !only.contains(&path) {
                    if let Some(&fingerprint) = previous.get(&path) {
                        return Ok(Outcome::Unchanged(path, fingerprint));
                    }
                }
            }
            match render_job(&tera, site, r.job_for(page)) {
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

/// Every output file of the site, in the order they are rendered;
/// `extra_sitemap` URLs of other languages join its sitemap.
fn all_pages(site: &Site, extra_sitemap: usize) -> Vec<Page> {
    // The pages that list the whole site or large parts of it come first:
    // a list of thousands of articles rendered last would leave the other
    // cores idle while it finishes (a topic page at the end of the queue
    // cost a 10,000-article build 120 ms on one core).
    let per_page = site.config.paginate;
    let pages_of = |len: usize| 1..=page_count(len, per_page);
    let mut pages = vec![
        Page::Front,
        Page::ActorsIndex,
        Page::TopicsIndex,
        Page::NotFound,
        Page::Feed,
        Page::Robots,
    ];
    // Another language's tree has no sitemap, robots.txt or _redirects of
    // its own: those of the output root cover every tree.
    let root_tree = site.config.tree.is_empty();
    if !root_tree {
        pages.retain(|p| !matches!(p, Page::Robots));
    } else {
        pages.extend((0..=lists::sitemap_parts(site, extra_sitemap)).map(Page::Sitemap));
    }
    if site.config.search.enabled {
        pages.push(Page::Search);
    }
    pages.extend(pages_of(site.own.articles).map(Page::Archive));
    pages.extend(pages_of(site.own.notes).map(Page::ExplainersIndex));
    pages.extend(pages_of(site.events.len()).map(Page::Timeline));
    for (y, (_, events)) in event_years(site).iter().enumerate() {
        pages.extend(pages_of(events.len()).map(|n| Page::TimelineYear(y, n)));
    }
    // A feed with no date (no entries) is not written; see
    // `lists::feed_updated`.
    let has_feed = |scope| lists::feed_updated(site, scope).is_some();
    if !has_feed(lists::FeedScope::Site) {
        pages.retain(|p| !matches!(p, Page::Feed));
    }
    for (i, t) in site.topics.iter().enumerate() {
        pages.extend(pages_of(t.articles.len()).map(|n| Page::Topic(i, n)));
        if has_feed(lists::FeedScope::Topic(i)) {
            pages.push(Page::TopicFeed(i));
        }
    }
    for (i, a) in site.own_actors().iter().enumerate() {
        pages.extend(pages_of(a.articles.len()).map(|n| Page::Actor(i, n)));
        if has_feed(lists::FeedScope::Actor(i)) {
            pages.push(Page::ActorFeed(i));
        }
    }
    if !site.own_authors().is_empty() {
        pages.push(Page::AuthorsIndex);
    }
    for (i, a) in site.own_authors().iter().enumerate() {
        pages.extend(pages_of(a.articles.len()).map(|n| Page::Author(i, n)));
        if has_feed(lists::FeedScope::Author(i)) {
            pages.push(Page::AuthorFeed(i));
        }
    }
    pages.extend((0..site.own.notes).map(Page::Explainer));
    pages.extend((0..site.own.articles).map(Page::Article));
    pages.extend((0..site.own.pages).map(Page::Standalone));
    pages.extend((0..site.redirects.len()).map(Page::Redirect));
    if !site.redirects.is_empty() && root_tree {
        pages.push(Page::Redirects);
    }
    pages
}

/// The years of the timeline, oldest first, each with the range of its
/// events in `site.events` (which is in date order).
pub(crate) fn event_years(site: &Site) -> Vec<(i32, std::ops::Range<usize>)> {
    let mut years: Vec<(i32, std::ops::Range<usize>)> = Vec::new();
    for (i, e) in site.events.iter().enumerate() {
        match years.last_mut() {
            Some((year, range)) if *year == e.date.year => range.end = i + 1,
            _ => years.push((e.date.year, i..i + 1)),
        }
    }
    years
}

/// The folder of a year of the timeline (`timeline/2023/`).
pub(crate) fn year_folder(year: i32) -> String {
    format!("timeline/{year:04}/")
}

/// Every output file's template and the context it receives, as JSON
/// (the output path, the template name, the context): what the template
/// reference (`TEMPLATES.md`) documents, and what its test checks it
/// against. Renders nothing.
pub fn template_contexts(site: &Site) -> Vec<(String, &'static str, serde_json::Value)> {
    let no_previous = HashMap::default();
    let r = Renderer::new(site, 0, &no_previous, None);
    all_pages(site, 0)
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

/// The theme with the interface function `t` of the site's language (see
/// [`crate::i18n::Interface::tera_function`]). The compiled theme is
/// shared between builds of any language, so the function is added to a
/// copy for this render.
fn with_interface(tera: &Tera, words: &std::sync::Arc<crate::i18n::Interface>) -> Tera {
    let mut tera = tera.clone();
    tera.register_function("t", words.tera_function());
    tera
}

/// The capacity a page's buffer starts with, in bytes: an article page of
/// the theme is 15 to 20 KB.
const PAGE_BUFFER_BYTES: usize = 24 * 1024;

/// Renders one page; a template error comes with the path of the page.
fn render_job(tera: &Tera, site: &Site, job: Job) -> Result<Rendered, Box<(Diagnostic, String)>> {
    let Some(context) = job.context else {
        return Ok(Rendered::Unchanged(job.path, job.fingerprint));
    };
    // Rendered straight into the file's bytes: no `String` to check for
    // UTF-8 again, and a buffer the size of a typical page, so the page
    // is not copied through a dozen doublings.
    let mut bytes = Vec::with_capacity(PAGE_BUFFER_BYTES);
    match tera.render_to(job.template, &context, &mut bytes) {
        Ok(()) => Ok(Rendered::File(
            OutputFile {
                path: job.path,
                bytes,
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
    embeds_script: String,
    search_script: Option<String>,
    /// Whether the site feed is written (see [`lists::feed_updated`]).
    has_site_feed: bool,
    /// `[extra]` of site.toml, given to every template as `extra`.
    extra: serde_json::Value,
    /// The header and footer menus.
    menus: (Vec<MenuEntry>, Vec<MenuEntry>),
    /// The icons present in `static/`, as in [`SITE_ICONS`].
    icons: Vec<(&'static str, &'static str, &'static str)>,
    /// The interface language's words and dates.
    words: &'a crate::i18n::Interface,
    /// The fingerprint of `words`, part of every page's.
    words_fingerprint: u64,
    /// Actors and notes by slug, for the hover cards of links in text.
    actor_slugs: HashMap<&'a str, ActorId>,
    note_slugs: HashMap<&'a str, NoteId>,
    /// The timeline's years (see [`event_years`]).
    years: Vec<(i32, std::ops::Range<usize>)>,
    /// The sitemap's entries, made once for all its parts.
    sitemap: std::sync::OnceLock<Vec<lists::SitemapUrl>>,
    /// Each article's entry content in the feeds of its topics, actors and
    /// authors (the same in each), made once, by index in `site.articles`.
    subject_entries: Vec<std::sync::OnceLock<String>>,
    /// On a multilingual site, its languages and the index of this one.
    languages: Option<(&'a LanguageSet, usize)>,
    /// The way from this tree to the output root, where the theme's
    /// assets are (`../` in another language's tree).
    up: &'static str,
}

/// One page of a paginated list: what its builder needs to know.
struct ListPage {
    /// The page's folder (`articles/page/2/`) and output path.
    folder: String,
    path: String,
    /// The items of the list on this page.
    range: std::ops::Range<usize>,
    linker: Linker,
    pager: Option<Pager>,
}

impl<'a> Renderer<'a> {
    fn new(
        site: &'a Site,
        theme_fingerprint: u64,
        previous: &'a HashMap<String, u64>,
        languages: Option<(&'a LanguageSet, usize)>,
    ) -> Self {
        let c = &site.config;
        Renderer {
            site,
            theme_fingerprint,
            previous,
            site_view: SiteView {
                title: &c.title,
                description: &c.description,
                language: &c.language,
                dir: c.interface.direction(),
                know_heading: &c.know_heading,
                base_url: &c.base_url,
            },
            stylesheet: versioned(site, "style.css"),
            cards_script: versioned(site, "cards.js"),
            embeds_script: versioned(site, "embeds.js"),
            search_script: site
                .config
                .search
                .enabled
                .then(|| versioned(site, "search.js")),
            has_site_feed: lists::feed_updated(site, lists::FeedScope::Site).is_some(),
            extra: c.extra_for_templates(),
            menus: menus(site),
            icons: site_icons(site),
            words: &c.interface,
            words_fingerprint: fingerprint(&*c.interface),
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
            years: event_years(site),
            sitemap: std::sync::OnceLock::new(),
            subject_entries: (0..site.articles.len())
                .map(|_| Default::default())
                .collect(),
            languages,
            up: site.config.up_to_root(),
        }
    }

    /// Page `number` of the list of `len` items at the folder `dir`
    /// (`articles/`, `topics/niger/`): its folder, its items and its pager.
    /// Every paginated list goes through here, so each gets the same URLs
    /// and navigation.
    fn list_page(&self, dir: &str, len: usize, number: usize) -> ListPage {
        let per_page = self.site.config.paginate;
        let total = page_count(len, per_page);
        let folder = page_folder(dir, number);
        let linker = Linker {
            depth: folder.matches('/').count(),
        };
        ListPage {
            path: format!("{folder}index.html"),
            range: page_range(len, per_page, number),
            pager: Pager::new(dir, number, total, linker),
            folder,
            linker,
        }
    }

    /// The common context of a page of a list: the pager, the breadcrumbs
    /// of `trail` (the site, ..., the list, by name and absolute URL) as
    /// the last JSON-LD block of `meta`, and after page 1 the page's own
    /// canonical URL, title (`Articles, page 2 of 7`) and last crumb.
    fn list_common(
        &self,
        page: &ListPage,
        current: &'static str,
        trail: &[(&str, String)],
        mut meta: Meta,
    ) -> Common<'a> {
        let mut trail = trail.to_vec();
        let label;
        if let Some(pager) = page.pager.as_ref().filter(|p| p.number > 1) {
            let name = trail.last().map_or("", |(name, _)| *name);
            meta.canonical = absolute(&self.site.config, &page.folder);
            let args = std::collections::HashMap::from([
                ("list", name.to_string()),
                ("page", pager.number.to_string()),
                ("total", pager.total.to_string()),
            ]);
            let title = (self.words)
                .format("list_page_title", None, &args)
                .unwrap_or_default();
            meta.title = self.title(&title);
            label = (self.words)
                .format("pager_page", None, &args)
                .unwrap_or_default();
            trail.push((&label, meta.canonical.clone()));
        }
        meta.json_ld
            .push(script_safe_json(&metadata::breadcrumbs(&trail)));
        let mut common = self.common(page.linker.depth, current, meta);
        common.pager = page.pager.clone();
        common
    }

    /// The output path of a page, without building it.
    fn path_of(&self, page: Page) -> String {
        let s = self.site;
        let paged = |dir: &str, n: usize| page_folder(dir, n) + "index.html";
        match page {
            Page::Front => "index.html".into(),
            Page::Archive(n) => paged("articles/", n),
            Page::Article(i) => {
                page_dir(Section::Articles, s.articles[i].slug.as_str()) + "index.html"
            }
            Page::ExplainersIndex(n) => paged("explainers/", n),
            Page::Explainer(i) => page_dir(Section::Notes, s.notes[i].slug.as_str()) + "index.html",
            Page::ActorsIndex => "actors/index.html".into(),
            Page::Actor(i, n) => paged(&page_dir(Section::Actors, s.actors[i].slug.as_str()), n),
            Page::TopicsIndex => "topics/index.html".into(),
            Page::Topic(i, n) => paged(&format!("topics/{}/", s.topics[i].slug), n),
            Page::Timeline(n) => paged("timeline/", n),
            Page::TimelineYear(y, n) => paged(&year_folder(self.years[y].0), n),
            Page::NotFound => "404.html".into(),
            Page::Search => "search/index.html".into(),
            Page::Feed => "feed.xml".into(),
            Page::TopicFeed(t) => lists::feed_path(s, lists::FeedScope::Topic(t)),
            Page::ActorFeed(i) => lists::feed_path(s, lists::FeedScope::Actor(i)),
            Page::AuthorsIndex => "authors/index.html".into(),
            Page::Author(i, n) => paged(&page_dir(Section::Authors, s.authors[i].slug.as_str()), n),
            Page::AuthorFeed(i) => lists::feed_path(s, lists::FeedScope::Author(i)),
            Page::Sitemap(part) => lists::sitemap_file(part),
            Page::Robots => "robots.txt".into(),
            Page::Standalone(i) => {
                page_dir(Section::Pages, s.pages[i].slug.as_str()) + "index.html"
            }
            Page::Redirect(i) => s.redirects[i].from.clone(),
            Page::Redirects => "_redirects".into(),
        }
    }

    fn job_for(&self, page: Page) -> Job {
        let s = self.site;
        match page {
            Page::Front => self.front_page(),
            Page::Archive(n) => self.archive(n),
            Page::Article(i) => self.article(&s.articles[i]),
            Page::ExplainersIndex(n) => self.explainers_index(n),
            Page::Explainer(i) => self.explainer(&s.notes[i]),
            Page::ActorsIndex => self.actors_index(),
            Page::Actor(i, n) => self.actor(&s.actors[i], n),
            Page::TopicsIndex => self.topics_index(),
            Page::Topic(i, n) => self.topic(&s.topics[i], n),
            Page::Timeline(n) => self.timeline(None, n),
            Page::TimelineYear(y, n) => self.timeline(Some(y), n),
            Page::NotFound => self.not_found(),
            Page::Search => self.search_page(),
            Page::Feed => self.feed(lists::FeedScope::Site),
            Page::TopicFeed(t) => self.feed(lists::FeedScope::Topic(t)),
            Page::ActorFeed(i) => self.feed(lists::FeedScope::Actor(i)),
            Page::AuthorsIndex => self.authors_index(),
            Page::Author(i, n) => self.author(&s.authors[i], n),
            Page::AuthorFeed(i) => self.feed(lists::FeedScope::Author(i)),
            Page::Sitemap(part) => self.sitemap(part),
            Page::Robots => self.robots(),
            Page::Standalone(i) => self.standalone(&s.pages[i]),
            Page::Redirect(i) => self.redirect(&s.redirects[i]),
            Page::Redirects => self.redirects_file(),
        }
    }

    fn common(&self, depth: usize, current: &'static str, meta: Meta) -> Common<'a> {
        let l = Linker { depth };
        // The theme's assets and the site's icons are at the output root.
        let assets = format!("{}{}", l.root(), self.up);
        let (alternates, languages) = match self.languages {
            Some((set, index)) => {
                let dir = meta
                    .canonical
                    .strip_prefix(&self.site.config.base_url)
                    .unwrap_or("404.html");
                set.links(index, dir, depth)
            }
            None => (Vec::new(), Vec::new()),
        };
        Common {
            alternates,
            languages,
            site: self.site_view.clone(),
            root: l.root(),
            nav: Nav {
                home: l.dir(""),
                articles: l.dir("articles/"),
                explainers: l.dir("explainers/"),
                actors: l.dir("actors/"),
                topics: l.dir("topics/"),
                timeline: l.dir("timeline/"),
                feed: self.site_feed(&l.root()),
                search: self.search_script.is_some().then(|| l.dir("search/")),
                authors: (!self.site.own_authors().is_empty()).then(|| l.dir("authors/")),
            },
            current,
            meta,
            stylesheet: format!("{assets}{}", self.stylesheet),
            cards: None,
            cards_script: format!("{assets}{}", self.cards_script),
            embeds_script: None,
            menus: self.menu_view(|dir| l.dir(dir)),
            icons: self.icon_links(&assets),
            pager: None,
            search_script: self.search_script.as_ref().map(|s| format!("{assets}{s}")),
        }
    }

    /// The link to the feed of the topic or actor `name` whose page is
    /// the folder `dir`, from a page `linker` deep.
    /// The site feed's path from `root` (the path to the tree's root),
    /// or an empty string when the site has no feed.
    fn site_feed(&self, root: &str) -> String {
        if self.has_site_feed {
            format!("{root}feed.xml")
        } else {
            String::new()
        }
    }

    /// The `<link rel="alternate">` of the feed in `dir` (`topics/niger/`,
    /// `actors/...`, `authors/...`), titled as the feed is.
    fn feed_link(&self, name: &str, dir: &str, linker: Linker) -> FeedLink {
        let kind = match dir.split('/').next() {
            Some("topics") => "topic_kicker",
            Some("authors") => "author_kicker",
            _ => "actor_kicker",
        };
        FeedLink {
            title: lists::feed_title(name, self.words.text(kind), &self.site.config.title),
            href: format!("{}{dir}feed.xml", linker.root()),
        }
    }

    /// The embed script for a page whose body is `html`, when the body has
    /// a click-to-load embed.
    fn embeds_script(&self, depth: usize, html: &str) -> Option<String> {
        html.contains("data-embed-frame=").then(|| {
            format!(
                "{}{}{}",
                Linker { depth }.root(),
                self.up,
                self.embeds_script
            )
        })
    }

    /// The menus with each link spelt by `href` (from an output folder).
    fn menu_view(&self, href: impl Fn(&str) -> String) -> MenuView {
        let links = |entries: &[MenuEntry]| {
            entries
                .iter()
                .map(|e| MenuLink {
                    title: e.title.clone(),
                    href: href(&page_dir(Section::Pages, &e.slug)),
                    current: false,
                })
                .collect()
        };
        MenuView {
            header: links(&self.menus.0),
            footer: links(&self.menus.1),
        }
    }

    /// The icon links, each path after `prefix` (the way to the root).
    fn icon_links(&self, prefix: &str) -> Vec<IconLink> {
        self.icons
            .iter()
            .map(|&(name, rel, media_type)| IconLink {
                rel,
                href: format!("{prefix}{name}"),
                media_type,
            })
            .collect()
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
                    .map(|&i| HoverCard::actor(&s.actors[i], self.words)),
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
        let fingerprint = fingerprint(&(
            self.theme_fingerprint,
            template,
            &self.extra,
            self.words_fingerprint,
            inputs,
        ));
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
        let mut meta = self.list_head(name, dir, description);
        meta.json_ld = vec![script_safe_json(&metadata::breadcrumbs(&[
            (&config.title, config.base_url.clone()),
            (name, meta.canonical.clone()),
        ]))];
        meta
    }

    /// The head of a list's first page, without JSON-LD (which
    /// `list_common` adds).
    fn list_head(&self, name: &str, dir: &str, description: String) -> Meta {
        Meta {
            title: self.title(name),
            description,
            canonical: absolute(&self.site.config, dir),
            og_type: "website",
            ..Meta::default()
        }
    }

    /// The first crumbs of every trail: the site's name and home.
    fn home_crumb(&self) -> (&str, String) {
        let config = &self.site.config;
        (&config.title, config.base_url.clone())
    }
}

/// The published name of a theme asset (`style.3f9a1c2b.css`, see
/// [`theme::hashed_name`]), hashing the site's own copy in `static/` if it
/// has one, else the built-in file: the same bytes `write::collect_static`
/// publishes under that name.
fn versioned(site: &Site, name: &str) -> String {
    let own = static_bytes(site, name);
    let builtin = theme::builtin_static()
        .find(|(p, _)| p == name)
        .map(|(_, b)| b)
        .unwrap_or_default();
    theme::hashed_name(name, own.as_deref().unwrap_or(builtin))
}

/// The icons of [`SITE_ICONS`] present in the site's `static/` folder
/// (never through a link out of the site, which the build refuses).
fn site_icons(site: &Site) -> Vec<(&'static str, &'static str, &'static str)> {
    let Ok(root) = site.root.canonicalize() else {
        return Vec::new();
    };
    SITE_ICONS
        .into_iter()
        .filter(|(name, _, _)| {
            let path = site.root.join("static").join(name);
            path.is_file() && crate::load::link_out_of_site(&root, &site.root, &path).is_none()
        })
        .collect()
}

/// The site's own `static/<name>`, if it has one (never read through a
/// link out of the site, which the build refuses).
fn static_bytes(site: &Site, name: &str) -> Option<Vec<u8>> {
    let path = site.root.join("static").join(name);
    let inside = site
        .root
        .canonicalize()
        .ok()
        .is_some_and(|root| crate::load::link_out_of_site(&root, &site.root, &path).is_none());
    inside.then(|| std::fs::read(&path).ok()).flatten()
}

/// [`static_bytes`] as text (empty when absent; invalid UTF-8 replaced).
fn static_text(site: &Site, name: &str) -> String {
    static_bytes(site, name)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
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
