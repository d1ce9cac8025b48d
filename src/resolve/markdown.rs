//! One pass over a Markdown body: the event stream from pulldown-cmark is
//! rewritten on the way to HTML. In that single pass the "What You Should
//! Know" section is lifted out, headings and footnotes get ids unique on
//! the page, wikilinks are resolved, actor mentions are found and their
//! first mention linked, and script URLs are refused. Every step is linear
//! in the text, whatever the headings and names.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use super::autolink::{AutoLinker, Mention, Scratch};
use super::links::{is_script_url, page_dir, relative_href, LinkTargets, Target, WikiError};
use crate::model::Section;

/// What the renderer needs besides the text.
pub struct MarkdownOptions<'a> {
    pub targets: &'a LinkTargets,
    /// Link the first mention of each actor (none for front-matter text).
    pub autolinker: Option<&'a AutoLinker>,
    /// Lift the section under this heading into the sidebar (articles).
    pub know_heading: Option<&'a str>,
    /// The page being rendered: an actor's own name is not linked to itself.
    pub this_page: Option<Target>,
    /// How many folders below the output root the page lives.
    pub depth: usize,
    /// Pass raw HTML through (bodies) or show it as text (front matter).
    pub raw_html: bool,
    /// The interface language, for the labels the renderer adds (task
    /// list checkboxes, the footnotes section).
    pub words: &'a crate::i18n::Interface,
    /// Where the page's relative and `/` paths resolve; without it,
    /// image and link paths are left as written (and images are not
    /// checked for alt text).
    pub media: Option<&'a crate::media::PageMedia<'a>>,
}

/// A problem at a byte range of the rendered text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkdownError {
    pub range: Range<usize>,
    pub message: String,
    pub help: Option<String>,
}

/// A `[[page#anchor]]` whose anchor can only be checked once every page's
/// headings are known.
#[derive(Debug, Clone)]
pub struct PendingAnchor {
    pub target: Target,
    pub anchor: String,
    pub range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub id: String,
    pub text: String,
    pub level: u8,
}

/// The outcome of rendering one Markdown text.
#[derive(Debug, Default)]
pub struct Rendered {
    /// Shared, so the resolved site and the body cache hold one copy.
    pub html: Arc<str>,
    /// xxh3 of `html`, hashed once here so rebuilds compare bodies by it.
    pub html_hash: u64,
    /// The lifted "What You Should Know" section, without its heading.
    pub know_html: Option<Arc<str>>,
    /// Where that heading is, to report it when front matter has `know` too.
    pub know_heading_at: Option<Range<usize>>,
    pub headings: Vec<Heading>,
    /// Plain text of the first paragraph of the body, for default
    /// summaries: at most [`FIRST_PARAGRAPH_BYTES`] of it.
    pub first_paragraph: String,
    /// Actors mentioned or wikilinked, in order of first appearance.
    pub mentions: Vec<usize>,
    /// Every page wikilinked, in order of first appearance.
    pub references: Vec<Target>,
    pub anchors: Vec<PendingAnchor>,
    pub errors: Vec<MarkdownError>,
    /// The shortcode calls and embeds of the body, in order.
    pub shortcodes: Vec<super::shortcodes::Invocation>,
    /// The raster images shown, with the variants they need.
    pub images: Vec<crate::media::ImageUse>,
}

/// The Markdown dialect: CommonMark plus GFM tables, footnotes,
/// strikethrough and task lists, `{#id}` heading attributes and wikilinks.
pub fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
}

/// How much of the first paragraph is kept for a derived summary: enough
/// for [`crate::model::excerpt`] to cut a few hundred characters from.
pub const FIRST_PARAGRAPH_BYTES: usize = 4096;

/// Ids the theme's templates (and `static/cards.js`, which adds the
/// `xref-card` element) use on pages that show a body; a heading or
/// footnote never takes one of them (a test checks the list against
/// `templates/`).
pub const RESERVED_IDS: &[&str] = &[
    "actors-heading",
    "appears-explainers-heading",
    "appears-heading",
    "background-heading",
    "cited-heading",
    "content",
    "corrections-heading",
    "events-heading",
    "explainer-aside-heading",
    "explainers-heading",
    "footnotes",
    "infobox-heading",
    "key-actors-heading",
    "know",
    "know-heading",
    "know-inline-heading",
    "latest-heading",
    "lead-title",
    "links-heading",
    "main",
    "related-heading",
    "search",
    "search-filters",
    "search-filters-active",
    "search-filters-box",
    "search-hint",
    "search-input",
    "search-links",
    "search-message",
    "search-results",
    "search-status",
    "site-nav",
    "sources-heading",
    "timeline-heading",
    "xref-card",
    "xref-cards",
];

/// The ids of the lifted section appear a second time on the page, with
/// this prefix, in the copy shown after the lead on narrow screens.
pub const KNOW_INLINE_PREFIX: &str = "lead-";

/// The id a heading's text gets, as GitHub and Hugo spell it: Unicode
/// letters, digits, marks and `_` kept and lower-cased (in NFC), other
/// punctuation dropped, each run of spaces and hyphens one hyphen.
/// `## 설치 전 할 일` gets `설치-전-할-일`, `## Macron's plan` gets
/// `macrons-plan`. Empty when the text has no letter or digit.
pub fn heading_id(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut id = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.nfc() {
        if c.is_alphanumeric() || c == '_' || unicode_normalization::char::is_combining_mark(c) {
            if gap && !id.is_empty() {
                id.push('-');
            }
            gap = false;
            id.extend(c.to_lowercase());
        } else if c.is_whitespace() || c == '-' {
            gap = true;
        }
    }
    id
}

pub fn render(text: &str, options: &MarkdownOptions) -> Rendered {
    let mut r = Renderer {
        options,
        source: text,
        image: None,
        paragraph_at: None,
        last_image: None,
        out: Rendered::default(),
        body: Vec::new(),
        know: Vec::new(),
        in_know: None,
        heading: None,
        links: Vec::new(),
        raw_anchor_depth: 0,
        code_block: false,
        image_depth: 0,
        paragraph: ParagraphCapture::Waiting,
        linked: HashSet::default(),
        mentioned: HashSet::default(),
        referenced: HashSet::default(),
        used_ids: RESERVED_IDS.iter().map(|s| s.to_string()).collect(),
        next_suffix: HashMap::default(),
        pending_text: None,
        scratch: Scratch::default(),
        found: Vec::new(),
        footnotes: Vec::new(),
        footnote_of_label: HashMap::default(),
        in_footnote: None,
        footnotes_numbered: 0,
    };
    for (event, range) in Parser::new_ext(text, parser_options()).into_offset_iter() {
        r.event(event, range);
    }
    r.flush_text();
    let mut html = String::with_capacity(text.len() + text.len() / 2);
    let footnotes = std::mem::take(&mut r.footnotes);
    pulldown_cmark::html::push_html(&mut html, r.body.into_iter());
    push_footnotes(&mut html, footnotes, options.words.text("footnotes_label"));
    r.out.html_hash = xxhash_rust::xxh3::xxh3_64(html.as_bytes());
    r.out.html = html.into();
    if r.out.know_heading_at.is_some() {
        let mut know = String::new();
        pulldown_cmark::html::push_html(&mut know, r.know.into_iter());
        r.out.know_html = Some(know.into());
    }
    r.out.first_paragraph = r.out.first_paragraph.trim().to_string();
    r.out
}

/// The footnote section at the end of a body: every defined note, in the
/// order of its first reference (notes never referenced last), numbered as
/// their references are.
fn push_footnotes(html: &mut String, mut footnotes: Vec<Footnote>, label: &str) {
    footnotes.retain(|f| f.defined);
    if footnotes.is_empty() {
        return;
    }
    footnotes.sort_by_key(|f| f.number.unwrap_or(usize::MAX));
    let mut next = footnotes.iter().filter_map(|f| f.number).max().unwrap_or(0);
    html.push_str(&format!(
        "<section class=\"footnotes\" aria-label=\"{}\">\n",
        escape_attr(label)
    ));
    for f in footnotes {
        let number = f.number.unwrap_or_else(|| {
            next += 1;
            next
        });
        let label = match &f.first_ref {
            Some(r) if f.first_ref_in_know => format!(
                "<a class=\"fn-back-wide\" href=\"#{r}\">{number}</a><a class=\"fn-back-narrow\" href=\"#{KNOW_INLINE_PREFIX}{r}\">{number}</a>",
                r = escape_attr(r)
            ),
            Some(r) => format!("<a href=\"#{}\">{number}</a>", escape_attr(r)),
            None => number.to_string(),
        };
        html.push_str(&format!(
            "<div class=\"footnote-definition\" id=\"{}\"><sup class=\"footnote-definition-label\">{label}</sup>\n",
            escape_attr(&f.id)
        ));
        pulldown_cmark::html::push_html(html, f.events.into_iter());
        html.push_str("</div>\n");
    }
    html.push_str("</section>\n");
}

/// Whether a heading's text is the know heading: any case, and a
/// typographic apostrophe the same as a typed one ("Ce qu'il faut savoir"
/// is "Ce qu’il faut savoir").
fn same_heading(text: &str, know: &str) -> bool {
    let plain = |s: &str| {
        s.trim()
            .replace(['\u{2019}', '\u{2018}', '\u{02BC}'], "'")
            .to_lowercase()
    };
    plain(text) == plain(know)
}

/// The headings of one page, to resolve `[[page#anchor]]` in the forms a
/// writer types: the id itself, the heading's text (any case, spaces or
/// hyphens, percent-encoded as copied from an address bar), or the
/// ASCII-transliterated id older versions gave (`seolci-jeon-hal-il`).
/// Built once per linked page; each lookup is a few hash probes.
pub struct AnchorIndex<'h> {
    headings: &'h [Heading],
    ids: HashSet<&'h str>,
    /// `heading_id` of each heading's text, to its final id (the first
    /// heading wins, as it keeps the unsuffixed id).
    by_text: HashMap<String, &'h str>,
    by_legacy: HashMap<String, &'h str>,
}

impl<'h> AnchorIndex<'h> {
    pub fn new(headings: &'h [Heading]) -> AnchorIndex<'h> {
        let mut index = AnchorIndex {
            headings,
            ids: headings.iter().map(|h| h.id.as_str()).collect(),
            by_text: HashMap::default(),
            by_legacy: HashMap::default(),
        };
        for h in headings {
            index.by_text.entry(heading_id(&h.text)).or_insert(&h.id);
            index
                .by_legacy
                .entry(crate::model::slugify(&h.text))
                .or_insert(&h.id);
        }
        index
    }

    /// The final id of the heading `written` names, if any.
    pub fn find(&self, written: &str) -> Option<&'h str> {
        if let Some(id) = self.ids.get(written) {
            return Some(id);
        }
        let decoded = percent_encoding::percent_decode_str(written).decode_utf8_lossy();
        let wanted = heading_id(&decoded);
        if wanted.is_empty() {
            return None;
        }
        self.ids
            .get(wanted.as_str())
            .copied()
            .or_else(|| self.by_text.get(&wanted).copied())
            .or_else(|| {
                self.by_legacy
                    .get(&crate::model::slugify(&decoded))
                    .copied()
            })
    }

    /// A did-you-mean naming the closest heading id, for an anchor that
    /// [`AnchorIndex::find`] did not resolve.
    pub fn suggest(&self, written: &str) -> Option<String> {
        let decoded = percent_encoding::percent_decode_str(written).decode_utf8_lossy();
        let wanted = match heading_id(&decoded) {
            w if w.is_empty() => decoded.to_string(),
            w => w,
        };
        crate::diagnostics::did_you_mean(&wanted, self.headings.iter().map(|h| h.id.as_str()))
    }
}

/// Renders a short Markdown string from front matter (a `know` item, a
/// timeline event): raw HTML is shown as text, and a lone paragraph loses
/// its `<p>` so the text sits inline in a list item.
pub fn render_inline(text: &str, options: &MarkdownOptions) -> Rendered {
    let mut r = render(text, options);
    let trimmed = r.html.trim_end();
    if let Some(inner) = trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        if !inner.contains("<p>") {
            r.html_hash = xxhash_rust::xxh3::xxh3_64(inner.as_bytes());
            r.html = inner.into();
        }
    }
    r
}

enum ParagraphCapture {
    Waiting,
    Capturing,
    Done,
}

enum LinkKind {
    /// An ordinary Markdown link or autolink.
    Plain,
    /// A resolved wikilink; `replace_label` when it had no `|label`;
    /// `close` is what ends it (`</a>`, and the note of a link to another
    /// language's page).
    Wiki { replace_label: bool, close: String },
    /// A wikilink that failed to resolve: its text is kept, unlinked.
    Broken,
}

struct OpenHeading<'a> {
    level: HeadingLevel,
    explicit_id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    events: Vec<Event<'a>>,
    text: String,
    range: Range<usize>,
}

/// A footnote of the page, from its first reference or definition on.
struct Footnote<'a> {
    id: String,
    /// The id of its first reference, which the note links back to.
    first_ref: Option<String>,
    /// Whether that reference sits in the lifted "What You Should Know"
    /// section, which the page shows twice: in the sidebar on wide
    /// screens and, with ids prefixed by [`KNOW_INLINE_PREFIX`], after the
    /// lead on narrow ones. The note then links back to both, each shown
    /// only at the widths where its target is.
    first_ref_in_know: bool,
    /// Given at the first reference, so notes are numbered in reading
    /// order once per page.
    number: Option<usize>,
    defined: bool,
    events: Vec<Event<'a>>,
}

/// An image being read: its alt text is collected from the events
/// inside it.
struct OpenImage {
    src: String,
    title: String,
    alt: String,
    range: Range<usize>,
    raster: Option<crate::media::ImageUse>,
}

/// The caption and credit of an image's title, `"Caption | Photo: Agency"`:
/// the text after the last ` | ` is the credit; `"| Photo: Agency"` is a
/// credit alone.
pub fn caption_and_credit(title: &str) -> (&str, &str) {
    let title = title.trim();
    if let Some(credit) = title.strip_prefix('|') {
        return ("", credit.trim());
    }
    match title.rsplit_once(" | ") {
        Some((caption, credit)) => (caption.trim(), credit.trim()),
        None => (title.trim(), ""),
    }
}

/// The title that marks an image as decorative, so its empty alt is
/// meant: `![](border.png "decorative")`.
pub const DECORATIVE: &str = "decorative";

struct Renderer<'o, 'a> {
    options: &'o MarkdownOptions<'o>,
    source: &'a str,
    image: Option<OpenImage>,
    /// Where the open paragraph's content starts in the event list it
    /// goes to.
    paragraph_at: Option<usize>,
    /// The last image's place in its event list and its `<figure>`, for
    /// an image that turns out to be alone in its paragraph.
    last_image: Option<(usize, String)>,
    out: Rendered,
    body: Vec<Event<'a>>,
    know: Vec<Event<'a>>,
    /// The level of the know heading while inside its section.
    in_know: Option<HeadingLevel>,
    heading: Option<OpenHeading<'a>>,
    links: Vec<LinkKind>,
    raw_anchor_depth: usize,
    code_block: bool,
    image_depth: usize,
    paragraph: ParagraphCapture,
    linked: HashSet<usize>,
    mentioned: HashSet<usize>,
    referenced: HashSet<Target>,
    used_ids: HashSet<String>,
    /// Per id base already taken, the next numeric suffix to try, so
    /// de-duplicating n equal headings costs O(n).
    next_suffix: HashMap<String, usize>,
    /// Adjacent text events and the soft breaks between them are merged so
    /// a name split across them is still found.
    pending_text: Option<(String, usize)>,
    scratch: Scratch,
    found: Vec<Mention>,
    footnotes: Vec<Footnote<'a>>,
    /// By label, lower-cased as pulldown-cmark matches them.
    footnote_of_label: HashMap<String, usize>,
    /// The footnote whose definition is being read: its content stays
    /// with the body, wherever it was written.
    in_footnote: Option<usize>,
    footnotes_numbered: usize,
}

impl<'o, 'a> Renderer<'o, 'a> {
    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        // A soft break is kept as the newline it renders to, inside the
        // text, so a name wrapped across lines is found in one piece.
        let merged = match &event {
            Event::Text(t) => Some(&**t),
            Event::SoftBreak => Some("\n"),
            _ => None,
        };
        if let Some(t) = merged {
            match &mut self.pending_text {
                Some((buf, _)) => buf.push_str(t),
                None => self.pending_text = Some((t.to_string(), range.start)),
            }
            return;
        }
        self.flush_text();
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs: _,
            }) => {
                if let Some(know_level) = self.in_know.filter(|_| self.in_footnote.is_none()) {
                    if level <= know_level {
                        self.in_know = None;
                    }
                }
                self.heading = Some(OpenHeading {
                    level,
                    explicit_id: id,
                    classes,
                    events: Vec::new(),
                    text: String::new(),
                    range,
                });
            }
            Event::End(TagEnd::Heading(_)) => self.close_heading(),
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                ..
            }) => self.open_wikilink(&dest_url, has_pothole, range),
            Event::Start(Tag::Link {
                link_type,
                mut dest_url,
                title,
                id,
            }) => {
                self.check_url(&dest_url, range.clone());
                if let Some(local) = self.resolve_path(&dest_url, false, &range) {
                    dest_url = local.href.into();
                }
                self.links.push(LinkKind::Plain);
                self.emit(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Link) => match self.links.pop() {
                Some(LinkKind::Wiki { close, .. }) => self.emit(Event::InlineHtml(close.into())),
                Some(LinkKind::Broken) => {}
                _ => self.emit(Event::End(TagEnd::Link)),
            },
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                self.image_depth += 1;
                if self.image_depth > 1 {
                    // An image inside another's alt text: only its text
                    // counts, as part of that alt.
                    return;
                }
                self.check_url(&dest_url, range.clone());
                let (src, raster) = match self.resolve_path(&dest_url, true, &range) {
                    Some(local) => (local.href, local.image),
                    None => (dest_url.to_string(), None),
                };
                self.image = Some(OpenImage {
                    src,
                    title: title.to_string(),
                    alt: String::new(),
                    range,
                    raster,
                });
            }
            Event::End(TagEnd::Image) => {
                self.image_depth = self.image_depth.saturating_sub(1);
                if self.image_depth == 0 {
                    self.close_image();
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                self.code_block = true;
                self.emit(Event::Start(Tag::CodeBlock(kind)));
            }
            Event::End(TagEnd::CodeBlock) => {
                self.code_block = false;
                self.emit(Event::End(TagEnd::CodeBlock));
            }
            Event::FootnoteReference(label) => self.footnote_reference(&label),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let i = self.footnote(&label);
                self.footnotes[i].defined = true;
                self.in_footnote = Some(i);
            }
            Event::End(TagEnd::FootnoteDefinition) => self.in_footnote = None,
            Event::Start(Tag::Paragraph) => {
                if matches!(self.paragraph, ParagraphCapture::Waiting)
                    && self.in_know.is_none()
                    && self.in_footnote.is_none()
                    && self.heading.is_none()
                {
                    self.paragraph = ParagraphCapture::Capturing;
                }
                self.emit(Event::Start(Tag::Paragraph));
                self.paragraph_at = Some(self.target().len());
            }
            Event::End(TagEnd::Paragraph) => {
                if matches!(self.paragraph, ParagraphCapture::Capturing) {
                    self.paragraph = ParagraphCapture::Done;
                }
                let at = self.paragraph_at.take();
                let len = self.target().len();
                let figure = match (&self.last_image, at) {
                    (Some((i, _)), Some(at)) if *i == at && len == at + 1 => {
                        self.last_image.take().map(|(_, f)| f)
                    }
                    _ => None,
                };
                match figure {
                    // An image alone in its paragraph is a figure, in
                    // place of the paragraph.
                    Some(figure) => {
                        let target = self.target();
                        target.truncate(at.unwrap_or(1) - 1);
                        target.push(Event::Html(figure.into()));
                    }
                    None => self.emit(Event::End(TagEnd::Paragraph)),
                }
            }
            Event::Code(code) if self.image.is_some() => {
                if let Some(i) = &mut self.image {
                    i.alt.push_str(&code);
                }
            }
            Event::Code(code) => {
                self.capture_paragraph(&code);
                if let Some(h) = &mut self.heading {
                    h.text.push_str(&code);
                }
                self.emit(Event::Code(code));
            }
            Event::Html(html) | Event::InlineHtml(html) if !self.options.raw_html => {
                self.emit(Event::Text(html));
            }
            Event::Html(html) => {
                let html = self.raw_images(html, &range);
                self.emit(Event::Html(html));
            }
            Event::InlineHtml(html) => {
                self.track_raw_anchor(&html);
                let html = self.raw_images(html, &range);
                self.emit(Event::InlineHtml(html));
            }
            // pulldown-cmark's checkbox has no label; a screen reader would
            // announce an unnamed control.
            Event::TaskListMarker(done) => {
                let (checked, key) = if done {
                    (" checked=\"\"", "task_done")
                } else {
                    ("", "task_not_done")
                };
                let label = escape_attr(self.options.words.text(key));
                self.emit(Event::InlineHtml(
                    format!(
                        "<input disabled=\"\" type=\"checkbox\"{checked} aria-label=\"{label}\"> "
                    )
                    .into(),
                ));
            }
            other => self.emit(other),
        }
    }

    /// The event list the next event goes to.
    fn target(&mut self) -> &mut Vec<Event<'a>> {
        if let Some(h) = &mut self.heading {
            &mut h.events
        } else if let Some(i) = self.in_footnote {
            &mut self.footnotes[i].events
        } else if self.in_know.is_some() {
            &mut self.know
        } else {
            &mut self.body
        }
    }

    /// Resolves a path of the page (an image, or a link to a file)
    /// through its media context, reporting a path that does not resolve
    /// at the destination as written.
    fn resolve_path(
        &mut self,
        dest: &str,
        is_image: bool,
        range: &Range<usize>,
    ) -> Option<crate::media::Local> {
        let media = self.options.media?;
        match media.resolve(dest, is_image, self.options.depth, false, false) {
            Ok(local) => local,
            Err(e) => {
                let written = &self.source[range.clone()];
                let at = written
                    .rfind(dest.trim())
                    .filter(|_| !dest.trim().is_empty())
                    .map(|i| range.start + i..range.start + i + dest.trim().len())
                    .unwrap_or_else(|| range.clone());
                self.out.errors.push(MarkdownError {
                    range: at,
                    message: e.message,
                    help: e.help,
                });
                None
            }
        }
    }

    /// Raw HTML with the `src` of each `<img>` resolved like a Markdown
    /// image's path (checked, rewritten relative to the page).
    fn raw_images(&mut self, html: CowStr<'a>, range: &Range<usize>) -> CowStr<'a> {
        if self.options.media.is_none() || !html.to_ascii_lowercase().contains("<img") {
            return html;
        }
        let lower = html.to_ascii_lowercase();
        let mut out = String::with_capacity(html.len());
        let mut copied = 0;
        let mut from = 0;
        while let Some(at) = lower[from..].find("<img").map(|i| i + from) {
            let end = lower[at..].find('>').map_or(lower.len(), |i| i + at);
            from = end;
            let tag = &lower[at..end];
            let Some(src_at) = [" src=", "\tsrc=", "\nsrc="]
                .iter()
                .filter_map(|p| tag.find(p).map(|i| i + p.len()))
                .min()
            else {
                continue;
            };
            let value_at = at + src_at;
            let quote = html.as_bytes().get(value_at).copied();
            let (start, stop) = match quote {
                Some(q @ (b'"' | b'\'')) => {
                    let start = value_at + 1;
                    match html[start..end].find(q as char) {
                        Some(len) => (start, start + len),
                        None => continue,
                    }
                }
                _ => {
                    let len = html[value_at..end]
                        .find(|c: char| c.is_ascii_whitespace() || c == '/')
                        .unwrap_or(end - value_at);
                    (value_at, value_at + len)
                }
            };
            let dest = html[start..stop].to_string();
            // Only what names a file (`photo.jpg`): raw HTML is also where
            // embeds and odd markup live.
            if !crate::media::names_file(dest.split(['?', '#']).next().unwrap_or("")) {
                continue;
            }
            // On a page that is not a bundle a relative src was never
            // the site's to check: it stays as written.
            let bundled = self.options.media.is_some_and(|m| m.bundle.is_some());
            if !bundled && !dest.trim_start().starts_with('/') {
                continue;
            }
            // The value's place in the source, for an error.
            let written = &self.source[range.clone()];
            let at_source = written.find(&dest).map_or(range.clone(), |i| {
                range.start + i..range.start + i + dest.len()
            });
            if let Some(local) = self.resolve_path(&dest, true, &at_source) {
                out.push_str(&html[copied..start]);
                out.push_str(&escape_attr(&local.href));
                copied = stop;
            }
        }
        if copied == 0 {
            return html;
        }
        out.push_str(&html[copied..]);
        out.into()
    }

    /// Emits the image just read: a `<picture>` with its variants for a
    /// raster image of the site, else an `<img>`; remembers its
    /// `<figure>` in case it is alone in its paragraph.
    fn close_image(&mut self) {
        let Some(image) = self.image.take() else {
            return;
        };
        let alt = image.alt.trim();
        let title = image.title.trim();
        // The title `decorative` is never a caption, even on an image
        // that has alt text after all.
        let decorative_title = title.eq_ignore_ascii_case(DECORATIVE);
        let decorative = alt.is_empty() && decorative_title;
        if alt.is_empty() && !decorative && self.options.media.is_some() {
            self.out.errors.push(MarkdownError {
                range: image.range.clone(),
                message: "image has no alt text".into(),
                help: Some(format!(
                    "describe it for readers who cannot see it: ![What it shows]({src}); \
                     an image that only decorates is written ![]({src} \"decorative\") \
                     (in the figure shortcode: alt=\"...\" or decorative=true)",
                    src = written_destination(&self.source[image.range.clone()])
                )),
            });
        }
        let (caption, credit) = if decorative_title {
            ("", "")
        } else {
            caption_and_credit(title)
        };
        let html = match &image.raster {
            Some(raster) => {
                let sizes = self
                    .options
                    .media
                    .map_or("100vw", |m| m.config.sizes.as_str());
                crate::media::picture_html(
                    raster,
                    self.options.depth + self.options.media.map_or(0, |m| m.up),
                    crate::media::Presentation {
                        alt,
                        lazy: true,
                        class: None,
                        sizes,
                    },
                )
            }
            None => format!(
                "<img src=\"{}\" alt=\"{}\"{} loading=\"lazy\" decoding=\"async\">",
                escape_attr(&image.src),
                escape_attr(alt),
                if title.is_empty() || decorative_title {
                    String::new()
                } else {
                    format!(" title=\"{}\"", escape_attr(title))
                }
            ),
        };
        if let Some(raster) = image.raster {
            self.out.images.push(raster);
        }
        let mut figure = format!("<figure>{html}");
        if !caption.is_empty() || !credit.is_empty() {
            figure.push_str("<figcaption>");
            figure.push_str(&escape_text(caption));
            if !credit.is_empty() {
                if !caption.is_empty() {
                    figure.push(' ');
                }
                figure.push_str(&format!(
                    "<span class=\"credit\">{}</span>",
                    escape_text(credit)
                ));
            }
            figure.push_str("</figcaption>");
        }
        figure.push_str("</figure>\n");
        let at = self.target().len();
        self.last_image = Some((at, figure));
        self.emit(Event::InlineHtml(html.into()));
    }

    fn emit(&mut self, event: Event<'a>) {
        if self.image.is_some() {
            // Inside an image only its alt text counts (see flush_text).
            return;
        }
        if let Some(h) = &mut self.heading {
            h.events.push(event);
        } else if let Some(i) = self.in_footnote {
            self.footnotes[i].events.push(event);
        } else if self.in_know.is_some() {
            self.know.push(event);
        } else {
            self.body.push(event);
        }
    }

    fn capture_paragraph(&mut self, text: &str) {
        if matches!(self.paragraph, ParagraphCapture::Capturing) && self.links.len() < 2 {
            let room = FIRST_PARAGRAPH_BYTES.saturating_sub(self.out.first_paragraph.len());
            let mut end = room.min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            self.out.first_paragraph.push_str(&text[..end]);
        }
    }

    /// The footnote with this label, made on first sight.
    fn footnote(&mut self, label: &str) -> usize {
        let key = label.to_lowercase();
        if let Some(&i) = self.footnote_of_label.get(&key) {
            return i;
        }
        let base = match heading_id(label) {
            l if l.is_empty() => "fn".to_string(),
            l => format!("fn-{l}"),
        };
        let id = self.claim_id(base);
        self.footnotes.push(Footnote {
            id,
            first_ref: None,
            first_ref_in_know: false,
            number: None,
            defined: false,
            events: Vec::new(),
        });
        self.footnote_of_label.insert(key, self.footnotes.len() - 1);
        self.footnotes.len() - 1
    }

    fn footnote_reference(&mut self, label: &str) {
        let i = self.footnote(label);
        let number = match self.footnotes[i].number {
            Some(n) => n,
            None => {
                self.footnotes_numbered += 1;
                self.footnotes[i].number = Some(self.footnotes_numbered);
                self.footnotes_numbered
            }
        };
        let ref_id = self.claim_id(self.footnotes[i].id.replacen("fn", "fnref", 1));
        let html = format!(
            "<sup class=\"footnote-reference\"><a href=\"#{}\" id=\"{}\">{number}</a></sup>",
            escape_attr(&self.footnotes[i].id),
            escape_attr(&ref_id)
        );
        if self.footnotes[i].first_ref.is_none() {
            self.footnotes[i].first_ref = Some(ref_id);
            self.footnotes[i].first_ref_in_know =
                self.in_know.is_some() && self.in_footnote.is_none();
        }
        self.capture_paragraph(&number.to_string());
        self.emit(Event::InlineHtml(html.into()));
    }

    fn flush_text(&mut self) {
        let Some((text, start)) = self.pending_text.take() else {
            return;
        };
        if let Some(image) = &mut self.image {
            image.alt.push_str(&text);
            return;
        }
        // A wikilink without a label shows its page's title (captured when
        // the link opened), not the slug it was written with.
        if matches!(
            self.links.last(),
            Some(LinkKind::Wiki {
                replace_label: true,
                ..
            })
        ) {
            return;
        }
        self.capture_paragraph(&text);
        if let Some(h) = &mut self.heading {
            h.text.push_str(&text);
        }
        let Some(linker) = self
            .options
            .autolinker
            .filter(|_| !self.code_block && self.image_depth == 0)
        else {
            self.emit(Event::Text(text.into()));
            return;
        };
        let linkable =
            self.heading.is_none() && self.links.is_empty() && self.raw_anchor_depth == 0;
        if linkable {
            self.autolink(linker, text, start);
            return;
        }
        // A name in a heading or in a link's text is a mention, but is
        // never turned into a link there.
        let mut found = std::mem::take(&mut self.found);
        linker.find(&text, &mut self.scratch, &mut found);
        for m in &found {
            self.note_mention(m.actor);
        }
        self.found = found;
        self.emit(Event::Text(text.into()));
    }

    /// Records every actor mentioned in `text` and links its first mention
    /// on the page.
    fn autolink(&mut self, linker: &AutoLinker, text: String, _start: usize) {
        let mut mentions = std::mem::take(&mut self.found);
        linker.find(&text, &mut self.scratch, &mut mentions);
        if mentions.is_empty() {
            self.found = mentions;
            self.emit(Event::Text(text.into()));
            return;
        }
        let mut last = 0;
        for m in mentions.drain(..) {
            self.note_mention(m.actor);
            let target = Target {
                section: Section::Actors,
                index: m.actor,
            };
            if Some(target) == self.options.this_page || self.linked.contains(&m.actor) {
                continue;
            }
            self.linked.insert(m.actor);
            if m.start > last {
                self.emit(Event::Text(text[last..m.start].to_string().into()));
            }
            self.emit(Event::InlineHtml(self.xref_open(target).into()));
            self.emit(Event::Text(text[m.start..m.end].to_string().into()));
            self.emit(Event::InlineHtml(self.xref_close(target).into()));
            last = m.end;
        }
        if last < text.len() {
            self.emit(Event::Text(text[last..].to_string().into()));
        }
        self.found = mentions;
    }

    fn note_mention(&mut self, actor: usize) {
        if self.mentioned.insert(actor) {
            self.out.mentions.push(actor);
        }
    }

    /// `<a>` for a link to another page of the site, with the data hover
    /// cards read.
    ///
    /// A page of another language's tree (the default language's, when
    /// this language has no translation of it) is one folder further up,
    /// and its link names its language (`hreflang`, `lang`).
    fn xref_open(&self, target: Target) -> String {
        let targets = self.options.targets;
        let slug = targets.info(target).slug.as_str();
        let dir = page_dir(target.section, slug);
        match targets.fallback_language(target) {
            None => format!(
                "<a class=\"xref xref-{}\" href=\"{}\" data-xref=\"{}\">",
                target.section.noun(),
                relative_href(self.options.depth, &dir),
                super::links::xref(target.section, slug)
            ),
            Some(language) => format!(
                "<a class=\"xref xref-{}\" href=\"{}\" hreflang=\"{language}\" lang=\"{language}\" data-xref=\"{}\">",
                target.section.noun(),
                relative_href(self.options.depth + 1, &dir),
                super::links::xref(target.section, slug)
            ),
        }
    }

    /// What ends a link opened by [`Self::xref_open`]: `</a>`, and after a
    /// link to another language's page the note that says so
    /// (`(in English)`, in this page's language).
    fn xref_close(&self, target: Target) -> String {
        match self.options.targets.fallback_language(target) {
            None => "</a>".to_string(),
            Some(language) => format!(
                "</a> <span class=\"xref-language\">{}</span>",
                escape_attr(&self.options.words.fallback_note(language))
            ),
        }
    }

    fn open_wikilink(&mut self, dest: &str, has_label: bool, range: Range<usize>) {
        let (page, anchor) = match dest.split_once('#') {
            Some((p, a)) => (p.trim(), Some(a.trim())),
            None => (dest.trim(), None),
        };
        let resolved = if page.is_empty() {
            Err(WikiError::Unknown { help: None })
        } else {
            self.options.targets.resolve(page)
        };
        let problem = match resolved {
            Ok(target) => {
                self.open_resolved_wikilink(target, anchor, has_label, range);
                return;
            }
            Err(WikiError::Unavailable) => None,
            Err(WikiError::Unknown { help }) => {
                Some((format!("broken wikilink: no page \"{page}\""), help))
            }
            Err(WikiError::Draft(section)) => Some((
                format!("broken wikilink: {} \"{page}\" is a draft", section.noun()),
                Some(
                    "publish it (remove `draft = true`) or take the link out until it is; \
                     --drafts is for previews: it publishes every draft"
                        .to_string(),
                ),
            )),
            Err(WikiError::HeldBack) => Some((
                format!("broken wikilink: article \"{page}\" is dated in the future"),
                Some(
                    "it is published on its date: take the link out until then; \
                     --future is for previews: it publishes every scheduled article"
                        .to_string(),
                ),
            )),
            Err(WikiError::Ambiguous(sections)) => Some((
                format!("ambiguous wikilink: \"{page}\" is the slug of more than one page"),
                Some(format!(
                    "write {}",
                    sections
                        .iter()
                        .map(|s| format!("[[{}/{page}]]", s.folder()))
                        .collect::<Vec<_>>()
                        .join(" or ")
                )),
            )),
        };
        if let Some((message, help)) = problem {
            self.out.errors.push(MarkdownError {
                range,
                message,
                help,
            });
        }
        // The link's text is kept, unlinked.
        self.links.push(LinkKind::Broken);
    }

    fn open_resolved_wikilink(
        &mut self,
        target: Target,
        anchor: Option<&str>,
        has_label: bool,
        range: Range<usize>,
    ) {
        if self.referenced.insert(target) {
            self.out.references.push(target);
        }
        if target.section == Section::Actors {
            self.note_mention(target.index);
            self.linked.insert(target.index);
        }
        let mut open = self.xref_open(target);
        if let Some(anchor) = anchor.filter(|a| !a.is_empty()) {
            self.out.anchors.push(PendingAnchor {
                target,
                anchor: anchor.to_string(),
                range: range.clone(),
            });
            // The anchor goes before the closing quote of href.
            let at = open.find("\" data-xref").unwrap_or(open.len());
            open.insert_str(at, &format!("#{}", escape_attr(anchor)));
        }
        self.emit(Event::InlineHtml(open.into()));
        if !has_label {
            let title = self.options.targets.info(target).title.clone();
            self.capture_paragraph(&title);
            if let Some(h) = &mut self.heading {
                h.text.push_str(&title);
            }
            self.emit(Event::Text(title.into()));
        }
        self.links.push(LinkKind::Wiki {
            replace_label: !has_label,
            close: self.xref_close(target),
        });
    }

    fn check_url(&mut self, url: &str, range: Range<usize>) {
        if is_script_url(url) {
            self.out.errors.push(MarkdownError {
                range,
                message: format!("refused link to a script URL \"{}\"", url.trim()),
                help: Some("links may not use javascript:, vbscript: or data: URLs".into()),
            });
        }
    }

    fn track_raw_anchor(&mut self, html: &str) {
        let lower = html.trim_start().to_ascii_lowercase();
        if lower.starts_with("<a ") || lower.starts_with("<a>") {
            self.raw_anchor_depth += 1;
        } else if lower.starts_with("</a") {
            self.raw_anchor_depth = self.raw_anchor_depth.saturating_sub(1);
        }
    }

    fn close_heading(&mut self) {
        let Some(h) = self.heading.take() else { return };
        let text = h.text.trim().to_string();
        if let Some(know) = self
            .options
            .know_heading
            .filter(|_| self.in_footnote.is_none())
        {
            if same_heading(&text, know) && self.in_know.is_none() {
                if self.out.know_heading_at.is_none() {
                    self.out.know_heading_at = Some(h.range.clone());
                }
                self.in_know = Some(h.level);
                return;
            }
            // Another language's heading (a site switched to `fr` whose
            // articles say "What You Should Know") would leave the points
            // in the body and the box empty, silently.
            let other = (crate::i18n::know_headings().iter())
                .find(|(_, heading)| same_heading(&text, heading));
            if let (Some((language, _)), None) = (other, self.in_know) {
                let primary = |tag: &str| {
                    let p = tag.split('-').next().unwrap_or(tag);
                    p.to_ascii_lowercase()
                };
                // The page's own language's built-in heading, replaced by
                // the site's `know_heading`.
                let own = primary(language) == primary(self.options.words.tag());
                self.out.errors.push(MarkdownError {
                    range: h.range.clone(),
                    message: if own {
                        format!(
                            "\"{text}\" is the built-in key-points heading, but this site's is \
                             \"{know}\" (`know_heading`): its points stay in the body"
                        )
                    } else {
                        format!(
                            "\"{text}\" is the key-points heading of {} ({language}), not of this \
                         page's: its points stay in the body",
                            crate::i18n::endonym(language)
                        )
                    },
                    help: Some(format!(
                        "this page's key-points heading is \"{know}\": write that (or set \
                         `know_heading` in site.toml, or in `[translations.<language>]` for \
                         another language's pages)"
                    )),
                });
            }
        }
        let base = match &h.explicit_id {
            Some(id) => id.to_string(),
            None => match heading_id(&text) {
                id if id.is_empty() => "section".to_string(),
                id => id,
            },
        };
        let id = self.claim_id(base);
        let level = h.level as u8;
        self.out.headings.push(Heading {
            id: id.clone(),
            text,
            level,
        });
        let mut inner = String::new();
        pulldown_cmark::html::push_html(&mut inner, h.events.into_iter());
        let class = if h.classes.is_empty() {
            String::new()
        } else {
            format!(
                " class=\"{}\"",
                escape_attr(
                    &h.classes
                        .iter()
                        .map(|c| c.as_ref())
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            )
        };
        let html = format!(
            "<h{level} id=\"{}\"{class}>{inner}</h{level}>\n",
            escape_attr(&id)
        );
        self.emit(Event::Html(html.into()));
    }

    /// `base`, or `base-1`, `base-2`, ... when it is taken: an id no
    /// heading, footnote or template of the page has. Inside the lifted
    /// section the id is shown twice (see [`KNOW_INLINE_PREFIX`]), so both
    /// spellings must be free.
    fn claim_id(&mut self, base: String) -> String {
        let twin = self.in_know.is_some() && self.in_footnote.is_none();
        let used = &self.used_ids;
        let free = |id: &str| {
            let taken_twice = twin && used.contains(&format!("{KNOW_INLINE_PREFIX}{id}"));
            !used.contains(id) && !taken_twice
        };
        let id = if free(&base) {
            base
        } else {
            let n = self.next_suffix.entry(base.clone()).or_insert(1);
            loop {
                let candidate = format!("{base}-{n}");
                *n += 1;
                if free(&candidate) {
                    break candidate;
                }
            }
        };
        if twin {
            self.used_ids.insert(format!("{KNOW_INLINE_PREFIX}{id}"));
        }
        self.used_ids.insert(id.clone());
        id
    }
}

fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).ok();
    out
}

fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html_body_text(&mut out, s).ok();
    out
}

/// The destination of an image as a writer would type it, from its
/// Markdown source `![alt](dest "title")`: without the angle brackets and
/// backslash escapes the figure shortcode adds (`<a\.png>` is `a.png`).
fn written_destination(source: &str) -> String {
    let Some((_, rest)) = source.rsplit_once("](") else {
        return "photo.jpg".into();
    };
    let rest = rest.trim_end_matches(')').trim_start();
    let dest = match rest.strip_prefix('<') {
        Some(bracketed) => bracketed.split('>').next().unwrap_or(bracketed),
        None => rest.split(' ').next().unwrap_or(rest),
    };
    let mut out = String::with_capacity(dest.len());
    let mut chars = dest.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_destination_is_shown_as_written() {
        use super::written_destination as w;
        assert_eq!(w("![](photo.jpg)"), "photo.jpg");
        assert_eq!(w("![](<chart\\.png>)"), "chart.png");
        assert_eq!(w("![](<my photo\\(1\\).jpg> \"t\")"), "my photo(1).jpg");
        assert_eq!(w("![](a.png \"Caption\")"), "a.png");
    }

    use super::*;

    #[test]
    fn a_title_splits_into_caption_and_credit() {
        assert_eq!(
            caption_and_credit("Protesters | Photo: Agency"),
            ("Protesters", "Photo: Agency")
        );
        assert_eq!(
            caption_and_credit("A | B | Photo: X"),
            ("A | B", "Photo: X")
        );
        assert_eq!(caption_and_credit(" | Photo: X"), ("", "Photo: X"));
        assert_eq!(caption_and_credit("Just a caption"), ("Just a caption", ""));
    }
    use crate::model::Slug;
    use crate::resolve::links::TargetInfo;

    fn targets() -> LinkTargets {
        let mut t = LinkTargets::default();
        let mut add = |section, index, title: &str, slug: &str| {
            t.insert(
                Target { section, index },
                TargetInfo {
                    title: title.into(),
                    slug: Slug::parse(slug).unwrap(),
                },
            )
        };
        add(Section::Actors, 0, "Emmanuel Macron", "emmanuel-macron");
        add(Section::Actors, 1, "Niger", "niger");
        add(Section::Notes, 0, "The July 2023 coup", "july-2023-coup");
        t
    }

    fn linker() -> AutoLinker {
        AutoLinker::new([(0, "Emmanuel Macron"), (0, "Macron"), (1, "Niger")])
    }

    fn run(text: &str, know: bool) -> Rendered {
        let t = targets();
        let l = linker();
        let o = MarkdownOptions {
            targets: &t,
            autolinker: Some(&l),
            know_heading: know.then_some("What You Should Know"),
            this_page: None,
            depth: 2,
            raw_html: true,
            words: &crate::i18n::Interface::default(),
            media: None,
        };
        render(text, &o)
    }

    #[test]
    fn lifts_the_know_section_until_a_heading_of_the_same_level() {
        let r = run(
            "Intro.\n\n## What you should know\n\n- one\n\n### Detail\n\nmore\n\n## After\n\nend\n",
            true,
        );
        let know = r.know_html.unwrap();
        assert!(
            know.contains("<li>one</li>") && know.contains("more"),
            "{know}"
        );
        assert!(!know.contains("What you should know"));
        assert!(!r.html.contains("one") && !r.html.contains("more"));
        assert!(r.html.contains("<h2 id=\"after\">After</h2>") && r.html.contains("end"));
    }

    #[test]
    fn first_mention_is_linked_once_and_longest_name_wins() {
        let r = run("Emmanuel Macron met Macron. Niger and Niger.\n", false);
        assert_eq!(
            r.html
                .matches("href=\"../../actors/emmanuel-macron/index.html\"")
                .count(),
            1
        );
        assert!(
            r.html.contains(">Emmanuel Macron</a> met Macron."),
            "{}",
            r.html
        );
        assert_eq!(r.html.matches("actors/niger/").count(), 1);
        assert_eq!(r.mentions, vec![0, 1]);
    }

    #[test]
    fn never_links_inside_headings_code_or_links() {
        let r = run(
            "# Macron\n\n`Macron` and\n\n```\nMacron\n```\n\n[Macron](https://x.org) <a href=\"#\">Macron</a>\n",
            false,
        );
        assert!(!r.html.contains("actors/emmanuel-macron"), "{}", r.html);
        assert_eq!(
            r.mentions,
            vec![0],
            "a name in a heading or link text still counts as a mention"
        );
        let r = run("`Macron`\n\n```\nMacron\n```\n", false);
        assert!(r.mentions.is_empty(), "code is not prose");
        let r = run("# Macron\n\nThen Macron spoke.\n", false);
        assert!(
            r.html.contains("Then <a class=\"xref xref-actor\""),
            "{}",
            r.html
        );
    }

    #[test]
    fn wikilinks_take_title_label_and_anchor() {
        let r = run("See [[july-2023-coup]], [[notes/july-2023-coup|the coup]] and [[emmanuel-macron#early-life]].\n", false);
        assert!(
            r.html
                .contains("data-xref=\"explainers/july-2023-coup\">The July 2023 coup</a>"),
            "{}",
            r.html
        );
        assert!(r.html.contains(">the coup</a>"));
        assert!(
            r.html
                .contains("href=\"../../actors/emmanuel-macron/index.html#early-life\""),
            "{}",
            r.html
        );
        assert_eq!(r.anchors.len(), 1);
        assert_eq!(r.anchors[0].anchor, "early-life");
        assert_eq!(r.mentions, vec![0]);
    }

    #[test]
    fn broken_wikilink_reports_its_range_and_a_hint() {
        let text = "Intro\n\nSee [[emanuel-macron]] now.\n";
        let r = run(text, false);
        assert_eq!(r.errors.len(), 1);
        let e = &r.errors[0];
        assert_eq!(&text[e.range.clone()], "[[emanuel-macron]]");
        assert_eq!(e.help.as_deref(), Some("did you mean \"emmanuel-macron\"?"));
        assert!(r.html.contains("emanuel-macron") && !r.html.contains("<a"));
    }

    #[test]
    fn script_urls_are_refused_even_entity_encoded() {
        let r = run("[a](javascript:alert(1)) [b](jav&#x61;script:alert(1)) ![c](data:image/png;base64,xx)\n", false);
        assert_eq!(r.errors.len(), 3, "{:?}", r.errors);
    }

    #[test]
    fn heading_ids_are_unique_and_explicit_ids_kept() {
        let r = run(
            "## Talks\n\n## Talks\n\n## Custom {#my-id}\n\n## Main\n",
            false,
        );
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["talks", "talks-1", "my-id", "main-1"]);
    }

    #[test]
    fn headings_keep_their_text_without_autolinks() {
        let t = targets();
        let o = MarkdownOptions {
            targets: &t,
            autolinker: None,
            know_heading: Some("What You Should Know"),
            this_page: None,
            depth: 2,
            raw_html: true,
            words: &crate::i18n::Interface::default(),
            media: None,
        };
        let r = render("## Who leads\n\nx\n\n## What You Should Know\n\n- k\n", &o);
        assert_eq!(r.headings[0].id, "who-leads");
        assert!(r.know_html.unwrap().contains("<li>k</li>"));
    }

    #[test]
    fn task_list_checkboxes_are_labelled() {
        let r = run("- [x] sent\n- [ ] answered\n", false);
        assert!(
            r.html
                .contains("type=\"checkbox\" checked=\"\" aria-label=\"Done\">"),
            "{}",
            r.html
        );
        assert!(r.html.contains("aria-label=\"Not done\">"));
    }

    #[test]
    fn first_paragraph_is_plain_text() {
        let r = run(
            "## Head\n\nThe *junta* in Niger said `x`.\n\nSecond.\n",
            false,
        );
        assert_eq!(r.first_paragraph, "The junta in Niger said x.");
    }

    #[test]
    fn front_matter_markdown_escapes_raw_html() {
        let t = targets();
        let o = MarkdownOptions {
            targets: &t,
            autolinker: None,
            know_heading: None,
            this_page: None,
            depth: 2,
            raw_html: false,
            words: &crate::i18n::Interface::default(),
            media: None,
        };
        let r = render_inline("*ok* <script>alert(1)</script>", &o);
        assert_eq!(
            &*r.html,
            "<em>ok</em> &lt;script&gt;alert(1)&lt;/script&gt;"
        );
        let r = render_inline("<div>x</div>", &o);
        assert_eq!(r.html.trim(), "&lt;div&gt;x&lt;/div&gt;");
    }

    fn ids_of(html: &str) -> Vec<&str> {
        html.split(" id=\"")
            .skip(1)
            .map(|rest| &rest[..rest.find('"').unwrap()])
            .collect()
    }

    #[test]
    fn footnotes_and_headings_never_share_an_id() {
        let r = run(
            "Claim.[^sources] More.[^fn-x]\n\n## Sources\n\n## Fn sources\n\n[^sources]: The list.\n[^fn-x]: Other.\n",
            false,
        );
        let ids = ids_of(&r.html);
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(ids.len(), unique.len(), "{ids:?}");
        assert!(
            r.html
                .contains("<a href=\"#fn-sources\" id=\"fnref-sources\">1</a>"),
            "{}",
            r.html
        );
        assert!(r
            .html
            .contains("<div class=\"footnote-definition\" id=\"fn-sources\">"));
        assert!(r.html.contains("<h2 id=\"sources\">Sources</h2>"));
        assert!(r.html.contains("<h2 id=\"fn-sources-1\">"), "{}", r.html);
    }

    #[test]
    fn headings_never_take_an_id_of_the_theme() {
        let r = run(
            "## Xref cards\n\n## Know heading\n\n## Timeline heading\n\n## Main\n\n## Xref card\n",
            false,
        );
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "xref-cards-1",
                "know-heading-1",
                "timeline-heading-1",
                "main-1",
                "xref-card-1"
            ]
        );
    }

    /// Every literal id in the theme's templates, and every id its
    /// scripts give an element, is reserved.
    #[test]
    fn reserved_ids_cover_the_templates() {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut checked = 0;
        for (folder, marker) in [("templates", " id=\""), ("static", ".id = \"")] {
            for entry in std::fs::read_dir(format!("{root}/{folder}")).unwrap() {
                let path = entry.unwrap().path();
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                for rest in text.split(marker).skip(1) {
                    let id = &rest[..rest.find('"').unwrap()];
                    if !id.contains("{{") {
                        checked += 1;
                        assert!(RESERVED_IDS.contains(&id), "{id} in {}", path.display());
                    }
                }
            }
        }
        assert!(checked > 20, "only {checked} ids found");
    }

    #[test]
    fn heading_ids_keep_unicode_letters() {
        assert_eq!(heading_id("설치 전 할 일"), "설치-전-할-일");
        assert_eq!(
            heading_id("Macron's plan — U.S. view"),
            "macrons-plan-us-view"
        );
        assert_eq!(heading_id("Élysée  Palace"), "élysée-palace");
        // NFD text gets the same id as NFC text.
        assert_eq!(heading_id("E\u{301}lyse\u{301}e"), "élysée");
        assert_eq!(heading_id("हिन्दी भाषा"), "हिन्दी-भाषा");
        assert_eq!(heading_id("???"), "");
        let r = run("## 설치 전 할 일\n\n## 설치 전 할 일\n", false);
        assert_eq!(r.headings[1].id, "설치-전-할-일-1");
    }

    #[test]
    fn de_duplicating_ids_steps_over_taken_suffixes() {
        let r = run("## Talks\n\n## Talks 1\n\n## Talks\n\n## Talks\n", false);
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["talks", "talks-1", "talks-2", "talks-3"]);
        let many = "## Same\n\n".repeat(3000);
        let r = run(&many, false);
        assert_eq!(r.headings.last().unwrap().id, "same-2999");
    }

    #[test]
    fn know_section_ids_stay_unique_when_shown_twice() {
        let r = run(
            "## Lead detail\n\nx\n\n## What You Should Know\n\n### Detail\n\n- k\n",
            true,
        );
        let know = r.know_html.unwrap();
        assert!(know.contains("<h3 id=\"detail-1\">"), "{know}");
    }

    #[test]
    fn footnotes_below_the_know_section_stay_with_the_body() {
        let r = run(
            "Body claim.[^a]\n\n## What You Should Know\n\n- Key point.[^b]\n\n[^a]: First note.\n\n[^b]: Second note.\n",
            true,
        );
        let know = r.know_html.unwrap();
        assert!(
            !know.contains("First note") && !know.contains("Second note"),
            "{know}"
        );
        assert!(
            know.contains("<a href=\"#fn-b\" id=\"fnref-b\">2</a>"),
            "{know}"
        );
        assert!(r.html.contains("First note") && r.html.contains("Second note"));
        assert!(r.html.contains("<a href=\"#fn-a\" id=\"fnref-a\">1</a>"));
        // The key points are shown twice (the sidebar on wide screens, a
        // `lead-` copy after the lead on narrow ones): the note links back
        // to each, and the stylesheet shows the one whose target is shown.
        assert!(
            r.html.contains(
                "id=\"fn-b\"><sup class=\"footnote-definition-label\"><a class=\"fn-back-wide\" href=\"#fnref-b\">2</a><a class=\"fn-back-narrow\" href=\"#lead-fnref-b\">2</a>"
            ),
            "{}",
            r.html
        );
        assert_eq!(r.html.matches(">1</a>").count(), 2, "{}", r.html);
    }

    #[test]
    fn repeated_footnote_references_share_a_number() {
        let r = run(
            "A.[^x] B.[^X] C.[^y]\n\n[^y]: Why.\n[^x]: Ex.\n\n[^z]: Unused.\n",
            false,
        );
        assert!(r.html.contains("id=\"fnref-x\">1</a>"), "{}", r.html);
        assert!(r.html.contains("id=\"fnref-x-1\">1</a>"), "{}", r.html);
        assert!(r.html.contains("id=\"fnref-y\">2</a>"));
        let ex = r.html.find("Ex.").unwrap();
        let why = r.html.find("Why.").unwrap();
        let unused = r.html.find("Unused.").unwrap();
        assert!(ex < why && why < unused, "notes in reference order");
        assert_eq!(r.first_paragraph, "A.1 B.1 C.2");
    }

    #[test]
    fn names_wrapped_across_a_line_are_linked_but_not_across_paragraphs() {
        let r = run("President Emmanuel\nMacron spoke.\n", false);
        assert!(
            r.html
                .contains("data-xref=\"actors/emmanuel-macron\">Emmanuel\nMacron</a>"),
            "{}",
            r.html
        );
        let r = run("Emmanuel\n\nMacron? No: *Emmanuel* Niger.\n", false);
        assert!(!r.html.contains("Emmanuel</a>"), "{}", r.html);
        assert!(r.html.contains(">Macron</a>?"), "{}", r.html);
        assert_eq!(r.mentions, vec![0, 1], "Macron alone is a mention");
        let r = run("> Emmanuel\n\nMacron\n", false);
        assert!(!r.html.contains("Emmanuel</a>"), "{}", r.html);
    }

    #[test]
    fn a_bare_wikilink_gives_the_first_paragraph_its_title_not_its_slug() {
        let r = run(
            "Text on [[july-2023-coup]] and [[july-2023-coup|the putsch]].\n",
            false,
        );
        assert_eq!(
            r.first_paragraph,
            "Text on The July 2023 coup and the putsch."
        );
    }

    #[test]
    fn first_paragraph_is_capped() {
        let r = run(&"word ".repeat(10_000), false);
        assert!(r.first_paragraph.len() <= FIRST_PARAGRAPH_BYTES);
    }

    #[test]
    fn anchors_resolve_in_the_forms_a_writer_types() {
        let r = run(
            "## 설치 전 할 일\n\n## Xref cards\n\n## Macron's plan\n\n## Custom {#My_Id}\n",
            false,
        );
        let index = AnchorIndex::new(&r.headings);
        for (written, id) in [
            ("설치-전-할-일", "설치-전-할-일"),
            ("설치 전 할 일", "설치-전-할-일"),
            (
                "%EC%84%A4%EC%B9%98-%EC%A0%84-%ED%95%A0-%EC%9D%BC",
                "설치-전-할-일",
            ),
            ("seolci-jeon-hal-il", "설치-전-할-일"),
            ("xref-cards", "xref-cards-1"),
            ("Xref Cards", "xref-cards-1"),
            ("macron-s-plan", "macrons-plan"),
            ("My_Id", "My_Id"),
        ] {
            assert_eq!(index.find(written), Some(id), "{written}");
        }
        assert_eq!(index.find("설치-후"), None);
        assert_eq!(
            index.suggest("설치-전-할").as_deref(),
            Some("did you mean \"설치-전-할-일\"?")
        );
    }
}
