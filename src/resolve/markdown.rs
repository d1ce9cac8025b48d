//! One pass over a Markdown body: the event stream from pulldown-cmark is
//! rewritten on the way to HTML. In that single pass the "What You Should
//! Know" section is lifted out, headings get stable ids, wikilinks are
//! resolved, actor mentions are found and their first mention linked, and
//! script URLs are refused.

use rustc_hash::FxHashSet as HashSet;
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use super::autolink::AutoLinker;
use super::links::{is_script_url, page_dir, relative_href, LinkTargets, Target, WikiError};
use crate::model::{slugify, Section};

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
    /// Plain text of the first paragraph of the body, for default summaries.
    pub first_paragraph: String,
    /// Actors mentioned or wikilinked, in order of first appearance.
    pub mentions: Vec<usize>,
    /// Every page wikilinked, in order of first appearance.
    pub references: Vec<Target>,
    pub anchors: Vec<PendingAnchor>,
    pub errors: Vec<MarkdownError>,
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

/// Ids the theme uses itself; a heading never takes one of them.
const RESERVED_IDS: &[&str] = &["main", "content", "know", "site-nav", "search", "footnotes"];

pub fn render(text: &str, options: &MarkdownOptions) -> Rendered {
    let mut r = Renderer {
        options,
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
        pending_text: None,
    };
    for (event, range) in Parser::new_ext(text, parser_options()).into_offset_iter() {
        r.event(event, range);
    }
    r.flush_text();
    let mut html = String::with_capacity(text.len() + text.len() / 2);
    pulldown_cmark::html::push_html(&mut html, r.body.into_iter());
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
    /// A resolved wikilink; `replace_label` when it had no `|label`.
    Wiki { replace_label: bool },
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

struct Renderer<'o, 'a> {
    options: &'o MarkdownOptions<'o>,
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
    /// Adjacent text events are merged so a name split across them is
    /// still found.
    pending_text: Option<(String, usize)>,
}

impl<'o, 'a> Renderer<'o, 'a> {
    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        if let Event::Text(t) = &event {
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
                if let Some(know_level) = self.in_know {
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
                dest_url,
                title,
                id,
            }) => {
                self.check_url(&dest_url, range);
                self.links.push(LinkKind::Plain);
                self.emit(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Link) => match self.links.pop() {
                Some(LinkKind::Wiki { .. }) => self.emit(Event::InlineHtml("</a>".into())),
                Some(LinkKind::Broken) => {}
                _ => self.emit(Event::End(TagEnd::Link)),
            },
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                self.check_url(&dest_url, range);
                self.image_depth += 1;
                self.emit(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Image) => {
                self.image_depth = self.image_depth.saturating_sub(1);
                self.emit(Event::End(TagEnd::Image));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                self.code_block = true;
                self.emit(Event::Start(Tag::CodeBlock(kind)));
            }
            Event::End(TagEnd::CodeBlock) => {
                self.code_block = false;
                self.emit(Event::End(TagEnd::CodeBlock));
            }
            Event::Start(Tag::Paragraph) => {
                if matches!(self.paragraph, ParagraphCapture::Waiting)
                    && self.in_know.is_none()
                    && self.heading.is_none()
                {
                    self.paragraph = ParagraphCapture::Capturing;
                }
                self.emit(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::Paragraph) => {
                if matches!(self.paragraph, ParagraphCapture::Capturing) {
                    self.paragraph = ParagraphCapture::Done;
                }
                self.emit(Event::End(TagEnd::Paragraph));
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
            Event::InlineHtml(html) => {
                self.track_raw_anchor(&html);
                self.emit(Event::InlineHtml(html));
            }
            // pulldown-cmark's checkbox has no label; a screen reader would
            // announce an unnamed control.
            Event::TaskListMarker(done) => {
                let (checked, label) = if done {
                    (" checked=\"\"", "Done")
                } else {
                    ("", "Not done")
                };
                self.emit(Event::InlineHtml(
                    format!(
                        "<input disabled=\"\" type=\"checkbox\"{checked} aria-label=\"{label}\"> "
                    )
                    .into(),
                ));
            }
            Event::SoftBreak => {
                self.capture_paragraph(" ");
                self.emit(Event::SoftBreak);
            }
            other => self.emit(other),
        }
    }

    fn emit(&mut self, event: Event<'a>) {
        if let Some(h) = &mut self.heading {
            h.events.push(event);
        } else if self.in_know.is_some() {
            self.know.push(event);
        } else {
            self.body.push(event);
        }
    }

    fn capture_paragraph(&mut self, text: &str) {
        if matches!(self.paragraph, ParagraphCapture::Capturing) && self.links.len() < 2 {
            self.out.first_paragraph.push_str(text);
        }
    }

    fn flush_text(&mut self) {
        let Some((text, start)) = self.pending_text.take() else {
            return;
        };
        self.capture_paragraph(&text);
        if matches!(
            self.links.last(),
            Some(LinkKind::Wiki {
                replace_label: true
            })
        ) {
            return;
        }
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
        for m in linker.mentions(&text) {
            self.note_mention(m.actor);
        }
        self.emit(Event::Text(text.into()));
    }

    /// Records every actor mentioned in `text` and links its first mention
    /// on the page.
    fn autolink(&mut self, linker: &AutoLinker, text: String, _start: usize) {
        let mentions = linker.mentions(&text);
        if mentions.is_empty() {
            self.emit(Event::Text(text.into()));
            return;
        }
        let mut last = 0;
        for m in mentions {
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
            self.emit(Event::InlineHtml("</a>".into()));
            last = m.end;
        }
        if last < text.len() {
            self.emit(Event::Text(text[last..].to_string().into()));
        }
    }

    fn note_mention(&mut self, actor: usize) {
        if self.mentioned.insert(actor) {
            self.out.mentions.push(actor);
        }
    }

    /// `<a>` for a link to another page of the site, with the data hover
    /// cards read.
    fn xref_open(&self, target: Target) -> String {
        let slug = self.options.targets.info(target).slug.as_str();
        let href = relative_href(self.options.depth, &page_dir(target.section, slug));
        format!(
            "<a class=\"xref xref-{}\" href=\"{}\" data-xref=\"{}/{}\">",
            target.section.noun(),
            href,
            target.section.output_folder(),
            slug
        )
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
                Some("publish it (remove `draft = true`) or build with --drafts".to_string()),
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
        if let Some(know) = self.options.know_heading {
            if text.eq_ignore_ascii_case(know.trim()) && self.in_know.is_none() {
                if self.out.know_heading_at.is_none() {
                    self.out.know_heading_at = Some(h.range.clone());
                }
                self.in_know = Some(h.level);
                return;
            }
        }
        let id = match &h.explicit_id {
            Some(id) => id.to_string(),
            None => self.unique_id(&text),
        };
        self.used_ids.insert(id.clone());
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

    fn unique_id(&self, text: &str) -> String {
        let base = match slugify(text) {
            s if s.is_empty() => "section".to_string(),
            s => s,
        };
        if !self.used_ids.contains(&base) {
            return base;
        }
        (1..)
            .map(|n| format!("{base}-{n}"))
            .find(|id| !self.used_ids.contains(id))
            .unwrap_or(base)
    }
}

fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).ok();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
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
        };
        let r = render_inline("*ok* <script>alert(1)</script>", &o);
        assert_eq!(
            &*r.html,
            "<em>ok</em> &lt;script&gt;alert(1)&lt;/script&gt;"
        );
        let r = render_inline("<div>x</div>", &o);
        assert_eq!(r.html.trim(), "&lt;div&gt;x&lt;/div&gt;");
    }
}
