//! Per-page views: small, borrowed structures built from the resolved site
//! for one page at a time. Templates see only these, never the whole site,
//! so the cost of a page does not grow with the size of the site.

use serde::Serialize;

use crate::i18n::Interface;
use crate::model::{ActorKind, Section};
use crate::resolve::links::{page_dir, relative_href};
use crate::resolve::{Actor, Article, Author, Event, EventSource, Image, Note, Site};

/// Links from one page: everything it needs to spell a relative URL.
#[derive(Clone, Copy)]
pub struct Linker {
    pub depth: usize,
}

impl Linker {
    pub fn root(&self) -> String {
        "../".repeat(self.depth)
    }
    pub fn page(&self, section: Section, slug: &str) -> String {
        relative_href(self.depth, &page_dir(section, slug))
    }
    /// A page of this language's tree, or, for a default-language page
    /// standing in for a missing translation, that page at the output root
    /// one folder further up.
    pub fn translated(
        &self,
        section: Section,
        slug: &str,
        fallback: Option<&crate::resolve::Fallback>,
    ) -> String {
        match fallback {
            None => self.page(section, slug),
            Some(_) => relative_href(self.depth + 1, &page_dir(section, slug)),
        }
    }
    pub fn dir(&self, dir: &str) -> String {
        relative_href(self.depth, dir)
    }
    /// A file under the output root, or an absolute URL as it is.
    pub fn asset(&self, src: &str) -> String {
        if src.contains("://") || src.starts_with("//") {
            src.to_string()
        } else {
            format!("{}{}", self.root(), src)
        }
    }
}

#[derive(Serialize)]
pub struct ArticleCard<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub date_iso: String,
    pub date_human: String,
    pub href: String,
    pub image: Option<ImageView<'a>>,
    /// A draft (built under `--drafts`) or dated in the future (built
    /// under `--future`): every list marks it with the page's badge.
    pub draft: bool,
    pub scheduled: bool,
}

impl<'a> ArticleCard<'a> {
    /// The card of an article, its date written in `words`' language.
    pub fn new(a: &'a Article, l: Linker, words: &Interface) -> Self {
        ArticleCard {
            title: &a.title,
            summary: &a.summary,
            date_iso: a.date.html_datetime(),
            date_human: words.date(a.date.day),
            href: l.page(Section::Articles, a.slug.as_str()),
            image: a.image.as_ref().map(|i| ImageView::new(i, l)),
            draft: a.draft,
            scheduled: a.scheduled,
        }
    }
}

#[derive(Serialize)]
pub struct NoteCard<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub href: String,
    pub slug: &'a str,
    /// For a default-language page standing in for a missing translation:
    /// its language and the note shown after the link.
    pub fallback: Option<&'a crate::resolve::Fallback>,
    /// A draft (built under `--drafts`): the card shows the page's badge.
    pub draft: bool,
}

impl<'a> NoteCard<'a> {
    pub fn new(n: &'a Note, l: Linker) -> Self {
        NoteCard {
            title: &n.title,
            summary: &n.summary,
            href: l.translated(Section::Notes, n.slug.as_str(), n.fallback.as_ref()),
            slug: n.slug.as_str(),
            fallback: n.fallback.as_ref(),
            draft: n.draft,
        }
    }
}

#[derive(Serialize)]
pub struct ActorCard<'a> {
    pub name: &'a str,
    pub role: Option<&'a str>,
    pub kind: Option<&'static str>,
    pub href: String,
    pub slug: &'a str,
    /// As [`NoteCard::fallback`].
    pub fallback: Option<&'a crate::resolve::Fallback>,
    /// A draft profile, shown only under `--drafts`: the card shows the
    /// "Draft" badge, as every list does for a draft.
    pub draft: bool,
}

impl<'a> ActorCard<'a> {
    pub fn new(a: &'a Actor, l: Linker) -> Self {
        ActorCard {
            name: &a.name,
            role: a.role.as_deref(),
            kind: a.kind.map(ActorKind::as_str),
            href: l.translated(Section::Actors, a.slug.as_str(), a.fallback.as_ref()),
            slug: a.slug.as_str(),
            fallback: a.fallback.as_ref(),
            draft: a.draft,
        }
    }
}

/// An author as the authors index shows one.
#[derive(Serialize)]
pub struct AuthorCard<'a> {
    pub name: &'a str,
    pub role: Option<&'a str>,
    pub href: String,
    pub slug: &'a str,
    pub image: Option<ImageView<'a>>,
    /// How many public articles name the author.
    pub count: usize,
    /// A draft profile, listed only under `--drafts`: the card shows the
    /// "Draft" badge, as every list does for a draft.
    pub draft: bool,
}

impl<'a> AuthorCard<'a> {
    pub fn new(a: &'a Author, l: Linker) -> Self {
        AuthorCard {
            name: &a.name,
            role: a.role.as_deref(),
            href: l.page(Section::Authors, a.slug.as_str()),
            slug: a.slug.as_str(),
            image: a.image.as_ref().map(|i| ImageView::new(i, l)),
            count: a.articles.len(),
            draft: a.draft,
        }
    }
}

/// One name of an article's byline: a link to the author's page when a
/// profile matches it.
#[derive(Serialize)]
pub struct BylineView<'a> {
    pub name: &'a str,
    pub href: Option<String>,
}

#[derive(Serialize)]
pub struct ImageView<'a> {
    pub src: String,
    pub alt: &'a str,
    /// For a raster image of the site: its variants in its own format and
    /// in WebP (null for a WebP original), the `sizes` attribute, and the
    /// size of the largest variant; all null for an image elsewhere.
    pub srcset: Option<String>,
    pub webp_srcset: Option<String>,
    pub sizes: Option<&'a str>,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

impl<'a> ImageView<'a> {
    pub fn new(i: &'a Image, l: Linker) -> Self {
        let l = Linker {
            depth: l.depth + i.up,
        };
        match &i.raster {
            Some(r) => {
                let largest = *r.widths.last().unwrap_or(&r.width);
                let formats = r.formats();
                let fallback = *formats.last().unwrap_or(&crate::media::Format::WebP);
                ImageView {
                    src: l.asset(&crate::media::encode_path(
                        &r.variant_path(largest, fallback),
                    )),
                    alt: &i.alt,
                    srcset: Some(r.srcset(fallback, l.depth)),
                    webp_srcset: (fallback != crate::media::Format::WebP)
                        .then(|| r.srcset(crate::media::Format::WebP, l.depth)),
                    sizes: Some(&i.sizes),
                    width: Some(largest),
                    height: Some(r.height_at(largest)),
                }
            }
            None => ImageView {
                src: l.asset(&i.src),
                alt: &i.alt,
                srcset: None,
                webp_srcset: None,
                sizes: None,
                width: None,
                height: None,
            },
        }
    }
}

/// A dated event with a link to the page it comes from.
#[derive(Serialize)]
pub struct EventView<'a> {
    pub date_iso: String,
    pub date_human: String,
    pub year: i32,
    /// Inline HTML (already safe).
    pub html: String,
    pub href: String,
    pub source_title: &'a str,
    /// `explainer` or `article`.
    pub source_kind: &'static str,
    /// The page it comes from is a draft, or an article dated in the
    /// future: the entry carries that page's badge.
    pub draft: bool,
    pub scheduled: bool,
}

impl<'a> EventView<'a> {
    pub fn new(site: &'a Site, e: &'a Event, l: Linker) -> Self {
        let (href, source_title, source_kind, draft, scheduled) = match e.source {
            EventSource::Note(n) => {
                let note = &site.notes[n];
                (
                    l.page(Section::Notes, note.slug.as_str()),
                    note.title.as_str(),
                    "explainer",
                    note.draft,
                    false,
                )
            }
            EventSource::Article(a) => {
                let article = &site.articles[a];
                (
                    l.page(Section::Articles, article.slug.as_str()),
                    article.title.as_str(),
                    "article",
                    article.draft,
                    article.scheduled,
                )
            }
        };
        EventView {
            date_iso: e.date.iso(),
            date_human: site.config.interface.partial_date(e.date),
            year: e.date.year,
            html: rebase(&e.html, crate::resolve::CONTENT_DEPTH, l.depth),
            href,
            source_title,
            source_kind,
            draft,
            scheduled,
        }
    }
}

/// Event text is rendered for a page two folders deep; on a page at
/// another depth its relative links climb a different number of folders.
pub fn rebase(html: &str, from_depth: usize, to_depth: usize) -> String {
    if from_depth == to_depth || !html.contains("=\"../") {
        return html.to_string();
    }
    let (from, to) = ("../".repeat(from_depth), "../".repeat(to_depth));
    let mut out = html.to_string();
    // Links, images and each candidate of a `srcset` (after `, `).
    for before in ["href=\"", "src=\"", "srcset=\"", ", "] {
        out = out.replace(&format!("{before}{from}"), &format!("{before}{to}"));
    }
    out
}

/// What a hover card shows: an actor's name and role, or an explainer's
/// title and summary. Keyed by the `data-xref` value of the links.
#[derive(Serialize, Debug, PartialEq)]
#[serde(untagged)]
pub enum HoverCard<'a> {
    Actor { name: &'a str, role: &'a str },
    Explainer { title: &'a str, summary: &'a str },
}

impl<'a> HoverCard<'a> {
    /// An actor's card; one without a role shows its kind in `words`'
    /// language.
    pub fn actor(a: &'a Actor, words: &'a Interface) -> Self {
        HoverCard::Actor {
            name: &a.name,
            role: a
                .role
                .as_deref()
                .or_else(|| a.kind.map(|k| words.text(kind_key(k))))
                .unwrap_or(""),
        }
    }

    pub fn explainer(n: &'a Note) -> Self {
        HoverCard::Explainer {
            title: &n.title,
            summary: &n.summary,
        }
    }
}

/// The interface string of an actor's kind as a one-word role
/// (`kind_person`: "Person"), for a card of an actor without one.
pub fn kind_key(kind: ActorKind) -> &'static str {
    match kind {
        ActorKind::Person => "kind_person",
        ActorKind::Organization => "kind_organization",
        ActorKind::Country => "kind_country",
        ActorKind::Group => "kind_group",
        ActorKind::Place => "kind_place",
    }
}

/// The interface string of the heading that groups actors of a kind on
/// the actors index (`group_person`: "People").
pub fn group_key(kind: ActorKind) -> &'static str {
    match kind {
        ActorKind::Person => "group_person",
        ActorKind::Organization => "group_organization",
        ActorKind::Country => "group_country",
        ActorKind::Group => "group_group",
        ActorKind::Place => "group_place",
    }
}

/// The `data-xref` values (`actors/emmanuel-macron`) of the links in
/// rendered HTML. Our own Markdown stage writes them, always
/// double-quoted, so a scan is enough.
pub fn xref_targets(html: &str) -> impl Iterator<Item = &str> {
    const NEEDLE: &str = " data-xref=\"";
    // A vectorised search built once: every article page looks through its
    // whole body for these.
    static FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(NEEDLE));
    FINDER.find_iter(html.as_bytes()).filter_map(move |i| {
        let rest = &html[i + NEEDLE.len()..];
        memchr::memchr(b'"', rest.as_bytes()).map(|end| &rest[..end])
    })
}

#[derive(Serialize)]
pub struct LinkView<'a> {
    pub name: &'a str,
    pub url: &'a str,
}

#[derive(Serialize)]
pub struct TopicLink<'a> {
    pub name: &'a str,
    pub href: String,
    /// Shown on the topics index only; left out elsewhere so an article's
    /// page does not depend on how many other articles share its topics.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rebase_moves_relative_links_only() {
        let html = "<a href=\"../../actors/x/index.html\">x</a> <a href=\"https://a.org\">a</a>";
        assert_eq!(
            rebase(html, 2, 1),
            "<a href=\"../actors/x/index.html\">x</a> <a href=\"https://a.org\">a</a>"
        );
        assert_eq!(rebase(html, 2, 2), html);
    }

    #[test]
    fn rebase_moves_images_and_their_variants() {
        let html = "<source srcset=\"../../a/p.jpg.480w.webp 480w, ../../a/p.jpg.800w.webp 800w\"><img src=\"../../a/p.jpg.800w.jpg\" srcset=\"../../a/p.jpg.480w.jpg 480w\">";
        assert_eq!(
            rebase(html, 2, 0),
            "<source srcset=\"a/p.jpg.480w.webp 480w, a/p.jpg.800w.webp 800w\"><img src=\"a/p.jpg.800w.jpg\" srcset=\"a/p.jpg.480w.jpg 480w\">"
        );
    }

    #[test]
    fn xref_targets_are_read_from_links() {
        let html = "<p><a class=\"xref xref-actor\" href=\"../../actors/x/index.html\" data-xref=\"actors/x\">X</a> \
            and <a class=\"xref xref-note\" href=\"../../explainers/y/index.html#h\" data-xref=\"explainers/y\">Y</a> \
            data-xref=\"not-an-attribute</p>";
        let found: Vec<&str> = xref_targets(html).collect();
        assert_eq!(found, ["actors/x", "explainers/y"]);
        assert_eq!(xref_targets("no links").count(), 0);
    }

    #[test]
    fn hover_cards_serialise_as_plain_objects() {
        let actor = HoverCard::Actor {
            name: "Niger",
            role: "Country",
        };
        let note = HoverCard::Explainer {
            title: "The coup",
            summary: "How it happened.",
        };
        assert_eq!(
            serde_json::to_string(&[actor, note]).unwrap(),
            r#"[{"name":"Niger","role":"Country"},{"title":"The coup","summary":"How it happened."}]"#
        );
    }

    #[test]
    fn assets_are_relative_unless_absolute() {
        let l = Linker { depth: 2 };
        assert_eq!(l.asset("images/a.jpg"), "../../images/a.jpg");
        assert_eq!(l.asset("https://cdn.org/a.jpg"), "https://cdn.org/a.jpg");
        assert_eq!(Linker { depth: 0 }.dir(""), "index.html");
    }
}
