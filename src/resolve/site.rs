//! The resolved site: every page with its references turned into ids, its
//! Markdown rendered, and every reverse edge (backlinks) computed. Render
//! reads only this; it never sees raw front matter or files.

use std::path::PathBuf;
use std::sync::Arc;

use crate::config::Config;
use crate::load::front_matter::{MenuPlace, NamedLink};
use crate::load::TemplateFile;
use crate::model::{ActorKind, Date, PartialDate, Slug};

pub type ArticleId = usize;
pub type NoteId = usize;
pub type ActorId = usize;
pub type TopicId = usize;
pub type AuthorId = usize;
pub type EventId = usize;

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    /// Newest first.
    pub articles: Vec<Article>,
    /// By title.
    pub notes: Vec<Note>,
    /// By name.
    pub actors: Vec<Actor>,
    /// By name.
    pub topics: Vec<Topic>,
    /// Standalone pages, by slug.
    pub pages: Vec<StandalonePage>,
    /// Author profiles, by name.
    pub authors: Vec<Author>,
    /// Old URLs (`aliases`) and the pages they lead to, in page order.
    pub redirects: Vec<super::redirects::Redirect>,
    /// Every dated event, oldest first.
    pub events: Vec<Event>,
    /// The site's own templates, overriding the built-in ones.
    pub templates: Vec<TemplateFile>,
    pub root: PathBuf,
    pub drafts_skipped: usize,
    /// This tree's articles dated in the future, left out of this build.
    pub held_back: usize,
    /// The date of the first of them to fall due.
    pub next_due: Option<Date>,
    /// Every raster image shown, each once, with its variants' widths.
    pub images: Vec<crate::media::ImageUse>,
    /// Every page bundle, whose files are published with its page.
    pub bundles: Vec<crate::media::Bundle>,
    /// How many of `articles`, `notes`, `actors` and `pages` are pages of
    /// this site's language: all of them, but in another language's
    /// tree, where the default language's pages that stand in for missing
    /// translations follow (links reach them; they are neither rendered
    /// nor listed).
    pub own: Counts,
    /// The own pages whose slug is not their source name
    /// ([`crate::load::Page::source_name`]), with it: translations pair
    /// by source name, for `hreflang` and the language switcher.
    pub renamed: Vec<(crate::model::Section, Slug, String)>,
}

/// What a link to a page of the default language, standing in for a
/// missing translation, says about it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Fallback {
    /// The page's language tag (`en`), for `hreflang` and `lang`.
    pub language: String,
    /// The note after the link, in the tree's language (`(en anglais)`).
    pub note: String,
}

/// A number of pages per section.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub articles: usize,
    pub notes: usize,
    pub actors: usize,
    pub pages: usize,
    pub authors: usize,
}

impl Site {
    /// How many pages each section holds, stand-ins included.
    pub fn counts(&self) -> Counts {
        Counts {
            articles: self.articles.len(),
            notes: self.notes.len(),
            actors: self.actors.len(),
            pages: self.pages.len(),
            authors: self.authors.len(),
        }
    }

    /// The articles of this language (see [`Site::own`]).
    pub fn own_articles(&self) -> &[Article] {
        &self.articles[..self.own.articles]
    }
    pub fn own_notes(&self) -> &[Note] {
        &self.notes[..self.own.notes]
    }
    pub fn own_actors(&self) -> &[Actor] {
        &self.actors[..self.own.actors]
    }
    pub fn own_pages(&self) -> &[StandalonePage] {
        &self.pages[..self.own.pages]
    }
    pub fn own_authors(&self) -> &[Author] {
        &self.authors[..self.own.authors]
    }

    /// The profile a byline links to: the one it names, when that profile
    /// is public. A draft profile is built only under `--drafts` and is
    /// left out of the feeds and the sitemap, so the byline on a page,
    /// a feed entry's `<uri>` and the JSON-LD `Person` all leave its name
    /// plain, in every build alike (a profile left out of the build
    /// matches no byline at all).
    pub fn byline_author(&self, b: &Byline) -> Option<&Author> {
        b.author.map(|x| &self.authors[x]).filter(|a| !a.draft)
    }

    /// The default language when the page `index` of `section` is one of
    /// its pages standing in for a missing translation.
    pub fn fallback_language(&self, section: crate::model::Section, index: usize) -> Option<&str> {
        use crate::model::Section;
        let own = match section {
            Section::Articles => self.own.articles,
            Section::Notes => self.own.notes,
            Section::Actors => self.own.actors,
            Section::Pages => self.own.pages,
            Section::Authors => self.own.authors,
        };
        (index >= own).then(|| {
            self.config
                .languages
                .first()
                .map_or(self.config.language.as_str(), String::as_str)
        })
    }
}

/// An image with its required description.
#[derive(Debug, Clone)]
pub struct Image {
    /// An absolute URL, or a path under the output root.
    pub src: String,
    pub alt: String,
    /// A raster image of the site, with its variants.
    pub raster: Option<crate::media::ImageUse>,
    /// The `sizes` attribute of its `<img>` (`images.sizes`).
    pub sizes: String,
    /// Folders from its page's language tree up to the output root, where
    /// `src` is (1 in another language's tree, else 0).
    pub up: usize,
}

#[derive(Debug)]
pub struct Article {
    pub slug: Slug,
    pub source: PathBuf,
    pub title: String,
    pub date: Date,
    pub updated: Option<Date>,
    /// Front matter `summary`, else an excerpt of the first paragraph.
    pub summary: String,
    /// The summary was derived from the body: lists and metadata show it,
    /// the page itself does not print it above the same words.
    pub summary_derived: bool,
    pub authors: Vec<String>,
    /// The bylines shown: `authors`, else the site's default authors,
    /// each with the profile it names (see [`super::match_author`]).
    pub bylines: Vec<Byline>,
    pub sources: Vec<NamedLink>,
    pub topics: Vec<TopicId>,
    /// Key actors: those in front matter, then those mentioned.
    pub actors: Vec<ActorId>,
    /// Background explainers: those in front matter, then those wikilinked.
    pub background: Vec<NoteId>,
    /// The lifted section or the `know` list, as HTML.
    pub know_html: Option<Arc<str>>,
    pub body_html: Arc<str>,
    /// xxh3 of `body_html`, so rebuilds compare bodies without reading them.
    pub body_hash: u64,
    /// The body's shortcode calls and embeds, with their arguments and
    /// places (byte offsets into the body: the file after the line that
    /// closes its front matter).
    pub shortcodes: Vec<crate::resolve::shortcodes::Invocation>,
    pub image: Option<Image>,
    pub corrections: Vec<CorrectionHtml>,
    pub draft: bool,
    /// Set on a default-language page standing in for a missing
    /// translation in another language's tree (see [`Site::own`]).
    pub fallback: Option<Fallback>,
    /// Dated in the future, built only because `--future` was given.
    pub scheduled: bool,
    /// The most recent events of its background explainers, newest first.
    pub latest_events: Vec<EventId>,
}

impl Article {
    /// Neither a draft nor scheduled: it may go in the feed, the sitemap
    /// and the search index.
    pub fn is_public(&self) -> bool {
        !self.draft && !self.scheduled
    }
}

#[derive(Debug)]
pub struct CorrectionHtml {
    pub date: Date,
    pub html: String,
}

#[derive(Debug)]
pub struct Note {
    pub slug: Slug,
    pub source: PathBuf,
    pub title: String,
    /// Front matter `summary`, else an excerpt of the first paragraph.
    pub summary: String,
    /// See [`Article::summary_derived`].
    pub summary_derived: bool,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub body_html: Arc<str>,
    /// xxh3 of `body_html`, so rebuilds compare bodies without reading them.
    pub body_hash: u64,
    /// The body's shortcode calls and embeds, with their arguments and
    /// places (byte offsets into the body: the file after the line that
    /// closes its front matter).
    pub shortcodes: Vec<crate::resolve::shortcodes::Invocation>,
    /// Its own timeline, oldest first.
    pub timeline: Vec<EventId>,
    /// Those in front matter, then those mentioned.
    pub actors: Vec<ActorId>,
    /// Related notes, both those it names and those that name it.
    pub related: Vec<NoteId>,
    /// Articles that list it as background or wikilink it, newest first.
    pub cited_by: Vec<ArticleId>,
    pub draft: bool,
    /// Set on a default-language page standing in for a missing
    /// translation in another language's tree (see [`Site::own`]).
    pub fallback: Option<Fallback>,
}

#[derive(Debug)]
pub struct Actor {
    pub slug: Slug,
    pub source: PathBuf,
    pub name: String,
    pub kind: Option<ActorKind>,
    pub role: Option<String>,
    pub aliases: Vec<String>,
    pub born: Option<PartialDate>,
    pub country: Option<String>,
    /// The country actor whose name (or one of whose aliases) `country`
    /// is, when the site has one.
    pub country_actor: Option<ActorId>,
    /// What a person is sorted by: `sort_name`, else the last word of the
    /// name.
    pub sort_name: String,
    pub image: Option<Image>,
    pub links: Vec<NamedLink>,
    pub body_html: Arc<str>,
    /// xxh3 of `body_html`, so rebuilds compare bodies without reading them.
    pub body_hash: u64,
    /// The body's shortcode calls and embeds, with their arguments and
    /// places (byte offsets into the body: the file after the line that
    /// closes its front matter).
    pub shortcodes: Vec<crate::resolve::shortcodes::Invocation>,
    /// An excerpt of the profile's first paragraph.
    pub summary: String,
    /// Related actors, both those it names and those that name it.
    pub related: Vec<ActorId>,
    /// Articles it appears in, newest first.
    pub articles: Vec<ArticleId>,
    /// Explainers it appears in.
    pub notes: Vec<NoteId>,
    /// Timeline events that mention it, oldest first.
    pub events: Vec<EventId>,
    pub draft: bool,
    /// Set on a default-language page standing in for a missing
    /// translation in another language's tree (see [`Site::own`]).
    pub fallback: Option<Fallback>,
}

/// A standalone page (`content/pages/`), published at `<slug>/`.
#[derive(Debug)]
pub struct StandalonePage {
    pub slug: Slug,
    pub source: PathBuf,
    pub title: String,
    /// Front matter `summary`, else an excerpt of the first paragraph.
    pub summary: String,
    /// See [`Article::summary_derived`].
    pub summary_derived: bool,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    /// Rendered for a page [`super::CONTENT_DEPTH`] folders deep, like
    /// every body; the page itself sits one folder deep, so render rebases
    /// it.
    pub body_html: Arc<str>,
    /// xxh3 of `body_html`, so rebuilds compare bodies without reading them.
    pub body_hash: u64,
    pub menu: MenuPlace,
    pub menu_order: i64,
    pub draft: bool,
    /// Set on a default-language page standing in for a missing
    /// translation in another language's tree (see [`Site::own`]).
    pub fallback: Option<Fallback>,
    /// The shortcode calls of the body, in order.
    pub shortcodes: Vec<crate::resolve::shortcodes::Invocation>,
}

impl StandalonePage {
    /// Not a draft: it may go in the sitemap and the search index.
    pub fn is_public(&self) -> bool {
        !self.draft
    }
}

/// One name of a byline and the author profile it names, if any.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Byline {
    /// The name shown: the profile's name when there is one, else the
    /// string as written.
    pub name: String,
    pub author: Option<AuthorId>,
}

/// An author profile (`content/authors/`), published at
/// `authors/<slug>/` with the author's articles.
#[derive(Debug)]
pub struct Author {
    pub slug: Slug,
    pub source: PathBuf,
    pub name: String,
    pub role: Option<String>,
    pub image: Option<Image>,
    /// Absolute http(s) URLs of the author elsewhere.
    pub links: Vec<String>,
    /// The bio.
    pub body_html: Arc<str>,
    /// xxh3 of `body_html`, so rebuilds compare bodies without reading them.
    pub body_hash: u64,
    /// The body's shortcode calls, in order.
    pub shortcodes: Vec<crate::resolve::shortcodes::Invocation>,
    /// An excerpt of the bio's first paragraph.
    pub summary: String,
    /// Public articles whose bylines name it, newest first: drafts and
    /// scheduled articles never appear on an author's page or feed.
    pub articles: Vec<ArticleId>,
    pub draft: bool,
    /// Set when the profile stands in for a missing translation.
    pub fallback: Option<Fallback>,
}

#[derive(Debug)]
pub struct Topic {
    pub slug: String,
    pub name: String,
    /// Newest first.
    pub articles: Vec<ArticleId>,
}

/// Where a dated event comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventSource {
    /// An entry of a note's timeline.
    Note(NoteId),
    /// An article's publication.
    Article(ArticleId),
}

#[derive(Debug)]
pub struct Event {
    pub date: PartialDate,
    /// Inline HTML, with links relative to a page two folders deep.
    pub html: String,
    pub source: EventSource,
    pub actors: Vec<ActorId>,
}
