//! The resolved site: every page with its references turned into ids, its
//! Markdown rendered, and every reverse edge (backlinks) computed. Render
//! reads only this; it never sees raw front matter or files.

use std::path::PathBuf;
use std::sync::Arc;

use crate::config::Config;
use crate::load::front_matter::NamedLink;
use crate::load::TemplateFile;
use crate::model::{ActorKind, Date, PartialDate, Slug};

pub type ArticleId = usize;
pub type NoteId = usize;
pub type ActorId = usize;
pub type TopicId = usize;
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
    /// Every dated event, oldest first.
    pub events: Vec<Event>,
    /// The site's own templates, overriding the built-in ones.
    pub templates: Vec<TemplateFile>,
    pub root: PathBuf,
    pub drafts_skipped: usize,
}

/// An image with its required description.
#[derive(Debug, Clone)]
pub struct Image {
    /// An absolute URL, or a path under the output root.
    pub src: String,
    pub alt: String,
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
    pub image: Option<Image>,
    pub corrections: Vec<CorrectionHtml>,
    pub draft: bool,
    /// The most recent events of its background explainers, newest first.
    pub latest_events: Vec<EventId>,
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
    /// Its own timeline, oldest first.
    pub timeline: Vec<EventId>,
    /// Those in front matter, then those mentioned.
    pub actors: Vec<ActorId>,
    /// Related notes, both those it names and those that name it.
    pub related: Vec<NoteId>,
    /// Articles that list it as background or wikilink it, newest first.
    pub cited_by: Vec<ArticleId>,
    pub draft: bool,
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
    pub image: Option<Image>,
    pub links: Vec<NamedLink>,
    pub body_html: Arc<str>,
    /// xxh3 of `body_html`, so rebuilds compare bodies without reading them.
    pub body_hash: u64,
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
