//! What each page kind's front matter holds: the typed metadata of
//! articles, notes, actors, authors and pages, the keys each accepts
//! (unknown keys are errors, so each list is the whole vocabulary), and how
//! dates are read from TOML and YAML. A new front matter key goes here.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use crate::model::{ActorKind, Date, PartialDate};

/// `{ name, url }`, for sources and profile links.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedLink {
    pub name: String,
    pub url: String,
}

/// `{ date, text }`, for corrections.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    pub date: Date,
    pub text: String,
}

/// `{ date, text }`, for timeline events; the date may be a year or month.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimelineEntry {
    pub date: PartialDate,
    pub text: String,
}

/// Front matter of `content/articles/**.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleMeta {
    pub title: String,
    pub date: Date,
    #[serde(default)]
    pub updated: Option<Date>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub sources: Vec<NamedLink>,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub actors: Vec<String>,
    #[serde(default)]
    pub background: Vec<String>,
    #[serde(default)]
    pub know: Option<Vec<String>>,
    #[serde(default)]
    pub image: Option<String>,
    #[serde(default)]
    pub image_alt: Option<String>,
    #[serde(default)]
    pub corrections: Vec<Correction>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub slug: Option<String>,
    /// Old URLs of the page, each redirected to it (see `resolve::redirects`).
    #[serde(default)]
    pub aliases: Vec<String>,
}

pub const ARTICLE_KEYS: &[&str] = &[
    "title",
    "date",
    "updated",
    "summary",
    "authors",
    "sources",
    "topics",
    "actors",
    "background",
    "know",
    "image",
    "image_alt",
    "corrections",
    "draft",
    "slug",
    "aliases",
    "name",
    "url",
    "text",
];

/// Front matter of `content/notes/**.md` (explainer pages).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteMeta {
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub date: Option<Date>,
    #[serde(default)]
    pub updated: Option<Date>,
    #[serde(default)]
    pub actors: Vec<String>,
    #[serde(default)]
    pub related: Vec<String>,
    #[serde(default)]
    pub timeline: Vec<TimelineEntry>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub slug: Option<String>,
    /// Old URLs of the page, each redirected to it.
    #[serde(default)]
    pub aliases: Vec<String>,
}

pub const NOTE_KEYS: &[&str] = &[
    "title", "summary", "date", "updated", "actors", "related", "timeline", "draft", "slug",
    "aliases", "text",
];

/// Front matter of `content/actors/**.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorMeta {
    pub name: String,
    #[serde(default)]
    pub kind: Option<ActorKind>,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub born: Option<PartialDate>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub image: Option<String>,
    #[serde(default)]
    pub image_alt: Option<String>,
    #[serde(default)]
    pub links: Vec<NamedLink>,
    #[serde(default)]
    pub related: Vec<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub slug: Option<String>,
    /// Old URLs of the profile, each redirected to it (`aliases` are the
    /// other names an actor goes by).
    #[serde(default)]
    pub url_aliases: Vec<String>,
    /// What a person is sorted by (`"Gaulle, Charles de"`); by default
    /// the last word of the name.
    #[serde(default)]
    pub sort_name: Option<String>,
}

pub const ACTOR_KEYS: &[&str] = &[
    "name",
    "kind",
    "role",
    "aliases",
    "born",
    "country",
    "image",
    "image_alt",
    "links",
    "related",
    "draft",
    "slug",
    "url_aliases",
    "sort_name",
    "url",
];

/// Front matter of `content/authors/**.md`: the profile of one of the
/// site's writers, which bylines naming it link to. The body is the bio.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorMeta {
    pub name: String,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub image: Option<String>,
    /// The photo's description; by default the author's name.
    #[serde(default)]
    pub image_alt: Option<String>,
    /// Addresses of the author elsewhere (a personal page, social
    /// accounts): absolute http(s) URLs.
    #[serde(default)]
    pub links: Vec<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub slug: Option<String>,
    /// Old URLs of the profile, each redirected to it.
    #[serde(default)]
    pub aliases: Vec<String>,
}

pub const AUTHOR_KEYS: &[&str] = &[
    "name",
    "role",
    "image",
    "image_alt",
    "links",
    "draft",
    "slug",
    "aliases",
];

/// Front matter of `content/pages/**.md` (standalone pages: About,
/// Corrections policy).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub date: Option<Date>,
    #[serde(default)]
    pub updated: Option<Date>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub slug: Option<String>,
    /// Which site menu links to the page; none by default.
    #[serde(default)]
    pub menu: MenuPlace,
    /// Its place in that menu: lower comes first, then by title.
    #[serde(default)]
    pub menu_order: i64,
    /// Old URLs of the page, each redirected to it.
    #[serde(default)]
    pub aliases: Vec<String>,
}

pub const PAGE_KEYS: &[&str] = &[
    "title",
    "summary",
    "date",
    "updated",
    "draft",
    "slug",
    "menu",
    "menu_order",
    "aliases",
];

/// Where a standalone page is linked from on every page: `menu = "header"`
/// (the section navigation), `"footer"` or `"none"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MenuPlace {
    Header,
    Footer,
    #[default]
    None,
}

/// Reads a date from a string, or from TOML's native date value
/// (`date = 2023-07-26` without quotes), which the TOML deserializer hands
/// over as a one-entry map.
struct DateTextVisitor;

impl<'de> Visitor<'de> for DateTextVisitor {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a date (YYYY-MM-DD or RFC 3339)")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<String, A::Error> {
        let Some(_key) = map.next_key::<String>()? else {
            return Err(de::Error::custom("expected a date, found a table"));
        };
        map.next_value::<String>()
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = d.deserialize_any(DateTextVisitor)?;
        Date::parse(&text).ok_or_else(|| {
            de::Error::custom(format!(
                "invalid date \"{text}\": expected YYYY-MM-DD (e.g. 2023-07-26) or RFC 3339 (e.g. 2023-07-26T14:00:00Z)"
            ))
        })
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = d.deserialize_any(DateTextVisitor)?;
        PartialDate::parse(&text).ok_or_else(|| {
            de::Error::custom(format!(
                "invalid date \"{text}\": expected YYYY-MM-DD, YYYY-MM or YYYY"
            ))
        })
    }
}
