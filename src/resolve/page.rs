//! Resolving one page on its own: its front-matter references, URLs and
//! image, its Markdown body (through the body cache) and the Markdown
//! strings of its front matter. The site-wide passes come after, in
//! `graph`.

// Fx hashing: these maps hold slugs and paths, never hostile keys, and
// the default SipHash showed up in rebuild profiles.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use super::autolink::AutoLinker;
use super::links::{is_script_url, LinkTargets, Target};
use super::markdown::{self, MarkdownOptions, PendingAnchor, Rendered};
use super::{
    target, Actor, Article, Author, BodyCache, CorrectionHtml, Image, Note, StandalonePage,
    CONTENT_DEPTH,
};
use crate::diagnostics::{did_you_mean, Diagnostic, SourceFile};
use crate::load::front_matter::{
    ActorMeta, ArticleMeta, AuthorMeta, NamedLink, NoteMeta, PageMeta,
};
use crate::load::{characters, Page};
use crate::media::PageMedia;
use crate::model::{excerpt, Date, Section, SUMMARY_CHARS};

pub(super) struct SlugIndex<'a> {
    pub(super) articles: HashMap<&'a str, usize>,
    pub(super) notes: HashMap<&'a str, usize>,
    pub(super) actors: HashMap<&'a str, usize>,
    pub(super) pages: HashMap<&'a str, usize>,
    pub(super) authors: HashMap<&'a str, usize>,
    pub(super) drafts: HashSet<(Section, &'a str)>,
    /// Articles dated in the future built under `--future`.
    pub(super) scheduled: HashSet<&'a str>,
    pub(super) unavailable: HashSet<(Section, &'a str)>,
}

impl SlugIndex<'_> {
    pub(super) fn of(&self, section: Section) -> &HashMap<&str, usize> {
        match section {
            Section::Articles => &self.articles,
            Section::Notes => &self.notes,
            Section::Actors => &self.actors,
            Section::Pages => &self.pages,
            Section::Authors => &self.authors,
        }
    }
}

pub(super) struct Context<'a> {
    pub(super) targets: &'a LinkTargets,
    pub(super) autolinker: Option<&'a AutoLinker>,
    pub(super) mention_finder: &'a AutoLinker,
    pub(super) index: &'a SlugIndex<'a>,
    pub(super) know_heading: &'a str,
    pub(super) root: &'a Path,
    pub(super) cache: &'a BodyCache,
    /// Everything a body's rendering depends on besides its own text: every
    /// page a wikilink can reach with its title, every actor name, and the
    /// pages that failed to load.
    pub(super) link_fingerprint: u64,
    /// The `raw_html` policy of `site.toml` for bodies.
    pub(super) raw_html: crate::config::RawHtml,
    /// The shortcode templates bodies may call.
    pub(super) shortcodes: &'a super::shortcodes::Shortcodes,
    /// The interface language (labels the body renderer adds).
    pub(super) words: &'a crate::i18n::Interface,
    /// Its fingerprint, part of each body's cache key.
    pub(super) words_fingerprint: u64,
    pub(super) images: &'a crate::config::ImagesConfig,
    /// Folders from this language's tree up to the output root, where
    /// bundle files, `static/` and image variants are published (1 in
    /// another language's tree, else 0).
    pub(super) up: usize,
    /// Every raster image a page shows, for the media stage.
    pub(super) registry: &'a crate::media::Registry,
}

/// One page resolved on its own, before the site-wide passes.
pub(super) struct Resolved<T, X = ()> {
    pub(super) value: T,
    pub(super) headings: Vec<markdown::Heading>,
    pub(super) anchors: Vec<(
        PendingAnchor,
        std::sync::Arc<crate::diagnostics::SourceFile>,
    )>,
    pub(super) errors: Vec<Diagnostic>,
    /// Section-specific leftovers (topic names, timeline entries).
    pub(super) topics: X,
    pub(super) timeline: X,
}

impl<'a> Context<'a> {
    pub(super) fn options<'m>(
        &'m self,
        this_page: Target,
        body: bool,
        know: bool,
        media: &'m PageMedia<'m>,
    ) -> MarkdownOptions<'m> {
        MarkdownOptions {
            targets: self.targets,
            autolinker: if body { self.autolinker } else { None },
            know_heading: know.then_some(self.know_heading),
            this_page: Some(this_page),
            depth: CONTENT_DEPTH,
            raw_html: body,
            words: self.words,
            media: Some(media),
        }
    }

    /// Where a page's paths resolve: its bundle, published at its own
    /// output folder, and `static/`.
    pub(super) fn page_media<M>(&self, page: &Page<M>, section: Section) -> PageMedia<'a> {
        PageMedia {
            root: self.root,
            bundle: page.bundle().map(Path::to_path_buf),
            out_dir: bundle_out_dir(page, section),
            source: page.file.path.clone(),
            config: self.images,
            consulted: Default::default(),
            up: self.up,
        }
    }

    /// Checks a list of slugs in front matter against a section; returns
    /// the ids of those that exist, without repeats.
    pub(super) fn references<M>(
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
                    .with_help(
                        "publish it (remove `draft = true`) or take it out of this list until \
                         it is; --drafts is for previews: it publishes every draft",
                    ),
                ),
                None => errors.push(
                    page.error_at_key(
                        key,
                        Some(slug),
                        format!("unknown {} \"{slug}\"", section.noun()),
                    )
                    .with_help_opt(if slug.contains(" - ") {
                        // YAML folds an item indented deeper than the one
                        // above into it: `a - b`.
                        Some(
                            "this is two list items run together: a `-` indented more \
                             than the item above continues that item; line them up"
                                .to_string(),
                        )
                    } else {
                        did_you_mean(slug, self.targets.slugs_of(section)).or_else(|| {
                            Some(format!(
                                "no file content/{}/{slug}.md (or page with slug = \"{slug}\")",
                                section.folder()
                            ))
                        })
                    }),
                ),
            }
        }
        ids
    }

    /// Renders a page's Markdown body (or takes it from the cache), mapping
    /// its errors into the file.
    pub(super) fn body<M>(
        &self,
        page: &Page<M>,
        options: &MarkdownOptions,
        errors: &mut Vec<Diagnostic>,
    ) -> (Arc<Rendered>, Vec<(PendingAnchor, Arc<SourceFile>)>) {
        let text = page.body_text();
        let key = crate::render::fingerprint(&(
            self.link_fingerprint,
            page.body_hash,
            options.this_page.map(|t| (t.section.folder(), t.index)),
            options.know_heading,
            options.autolinker.is_some(),
            self.raw_html as u8,
            self.shortcodes.fingerprint,
            self.words_fingerprint,
            options.media.map(|m| (&m.bundle, &m.out_dir, m.config)),
            // A bundle's files decide its body's checks and image sizes:
            // an edit to one renders the body again.
            page.bundle().map(|b| bundle_state(&self.root.join(b))),
        ));
        let rendered = match self.cache.get(&page.file.path, key, self.root) {
            Some(r) => r,
            None => {
                let r = Arc::new(render_body(text, options, self.raw_html, self.shortcodes));
                // The files of static/ (and the bundle) the body's paths
                // named decide its image sizes and errors: the entry holds
                // while each is as it was.
                let consulted = options
                    .media
                    .and_then(|m| m.consulted.lock().ok().map(|mut c| std::mem::take(&mut *c)))
                    .unwrap_or_default();
                self.cache
                    .put(&page.file.path, key, r.clone(), self.root, consulted);
                r
            }
        };
        for i in &rendered.images {
            self.registry.add(i.clone());
        }
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
    pub(super) fn front_matter_markdown<M>(
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
        refused_references(text, &mut rendered);
        for i in rendered.images.drain(..) {
            self.registry.add(i);
        }
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

    pub(super) fn check_url<M>(
        &self,
        page: &Page<M>,
        key: &str,
        url: &str,
        errors: &mut Vec<Diagnostic>,
    ) {
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

    pub(super) fn image<M>(
        &self,
        page: &Page<M>,
        media: &PageMedia,
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
        // A bundle's own file first (a relative path), then static/.
        let in_bundle = !src.starts_with('/')
            && !local.split(['/', '\\']).any(|part| part == "..")
            && page
                .bundle()
                .is_some_and(|b| self.root.join(b).join(local).is_file());
        if !is_remote && !is_script_url(src) && !in_bundle {
            let on_disk = self.root.join("static").join(local);
            let file_name = local.rsplit(['/', '\\']).next().unwrap_or(local);
            if local.split(['/', '\\']).any(|part| part == "..") {
                // A path out of static/ is never published, wherever it
                // leads: say so, not "put the file at static/../x".
                errors.push(
                    page.error_at_key(
                        "image",
                        Some(src),
                        format!("image \"{src}\" leaves static/: an image path may not contain `..`"),
                    )
                    .with_help(format!(
                        "copy the file into static/ (e.g. static/images/{file_name}) and write \"images/{file_name}\", \
                         or use an absolute https:// URL"
                    )),
                );
            } else if let (Some(bundle), false, false) =
                (page.bundle(), src.starts_with('/'), on_disk.is_file())
            {
                // A bundle's page looks in its own folder first: name it.
                let bundle = bundle.to_string_lossy().replace('\\', "/");
                errors.push(
                    page.error_at_key(
                        "image",
                        Some(src),
                        format!(
                            "image \"{src}\" is neither in the page's folder {bundle}/ nor in static/"
                        ),
                    )
                    .with_help(format!(
                        "put the file at {bundle}/{local}, or use an absolute https:// URL"
                    )),
                );
            } else if !on_disk.is_file() {
                errors.push(
                    page.error_at_key(
                        "image",
                        Some(src),
                        format!("image \"{src}\" not found in static/"),
                    )
                    .with_help(match local.strip_prefix("static/") {
                        // Paths are already under static/: a written
                        // `static/` looks for static/static/.
                        Some(rest) => format!(
                            "image paths start inside static/: drop `static/` and write \"{rest}\""
                        ),
                        // `/home/me/x.png`: a path on this computer, not
                        // in the site.
                        None if src.starts_with('/') && Path::new(src).is_file() => format!(
                            "a leading `/` means static/, not this computer's root: copy the file \
                             into static/ (e.g. static/images/{file_name}) and write \"images/{file_name}\""
                        ),
                        None => format!(
                            "put the file at static/{local} or use an absolute https:// URL"
                        ),
                    }),
                );
            }
        }
        let resolved = if is_remote || is_script_url(src) {
            None
        } else {
            // Relative to the output root (depth 0): the original's path.
            let written = if in_bundle {
                local.to_string()
            } else {
                format!("/{local}")
            };
            match media.resolve(&written, true, 0, false, true) {
                Ok(local) => local,
                Err(e) => {
                    // A missing file is reported above; a bad image here.
                    if e.message.contains("cannot be read") {
                        errors.push(
                            page.error_at_key("image", Some(src), e.message)
                                .with_help_opt(e.help),
                        );
                    }
                    None
                }
            }
        };
        let raster = resolved.as_ref().and_then(|l| l.image.clone());
        if let Some(r) = &raster {
            self.registry.add(r.clone());
        }
        Some(Image {
            src: match (&resolved, is_remote) {
                (_, true) => src.to_string(),
                (Some(l), _) => l
                    .image
                    .as_ref()
                    .map_or_else(|| local.to_string(), |i| i.published.clone()),
                (None, false) => local.to_string(),
            },
            alt,
            raster,
            sizes: self.images.sizes.clone(),
            up: self.up,
        })
    }

    pub(super) fn named_links<M>(
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

/// The names, sizes and modification times of the files of a bundle
/// folder, for the body cache's key.
fn bundle_state(folder: &Path) -> Vec<(std::path::PathBuf, u64, Option<std::time::SystemTime>)> {
    walkdir::WalkDir::new(folder)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| {
            let m = e.metadata().ok()?;
            Some((e.path().to_path_buf(), m.len(), m.modified().ok()))
        })
        .collect()
}

/// A numeric character reference (`&#x202E;`, `&#7;`) is decoded by the
/// Markdown parser into a character no source may hold as such: an error
/// at each such reference (up to [`characters::MAX_REPORTED`]). Markdown
/// without `&#` cannot write one.
fn refused_references(text: &str, rendered: &mut Rendered) {
    if !text.contains("&#") {
        return;
    }
    // The characters the rendered page really holds: a reference inside a
    // code span stays text and writes nothing.
    let mut found: Vec<char> = characters::each_refused_in(&rendered.html);
    if let Some(know) = rendered.know_html.as_deref() {
        found.extend(characters::each_refused_in(know));
    }
    if found.is_empty() {
        return;
    }
    let references = characters::references(text)
        .filter(|(_, c)| found.contains(c))
        .take(characters::MAX_REPORTED);
    for (range, c) in references {
        let (message, help) = characters::describe(c);
        rendered.errors.push(markdown::MarkdownError {
            range,
            message: format!("{message} (written as a character reference)"),
            help: Some(help),
        });
    }
}

/// Renders a body: shortcodes and embeds expanded, the Markdown pass, the
/// `raw_html` policy, then the shortcodes' HTML put in place. Errors and
/// anchors are at byte ranges of `text`.
fn render_body(
    text: &str,
    options: &MarkdownOptions,
    raw_html: crate::config::RawHtml,
    shortcodes: &super::shortcodes::Shortcodes,
) -> Rendered {
    let expanded = super::shortcodes::expand(text, shortcodes);
    let mut r = markdown::render(&expanded.text, options);
    let before = r.errors.len();
    super::raw_html::apply(raw_html, &expanded.text, &mut r);
    // What a `.md` shortcode's template writes is the theme's or the site's
    // template output, not raw HTML the writer typed: `deny` is about the
    // latter.
    let written: Vec<_> = r
        .errors
        .drain(before..)
        .filter(|e| !expanded.is_generated(&e.range))
        .collect();
    r.errors.extend(written);
    refused_references(&expanded.text, &mut r);
    // An HTML shortcode's images are checked like the body's: a local
    // file it names must exist (in the bundle, or `/` in static/), and its
    // `src` is rewritten relative to the page, like a body's.
    let mut expanded = expanded;
    if let Some(media) = options.media {
        expanded.map_html_outputs(|name, call, html| {
            let mut out: Option<String> = None;
            for src in super::shortcodes::img_sources(html) {
                let path = src.split(['?', '#']).next().unwrap_or("");
                let relative = !src.trim_start().starts_with('/');
                if !crate::media::names_file(path) || (relative && media.bundle.is_none()) {
                    continue;
                }
                // Existence only: the template's markup is its own, not
                // resized (the file's header is not read).
                match media.resolve(src, false, options.depth, false, false) {
                    Ok(Some(local)) => {
                        let text = out.take().unwrap_or_else(|| html.to_string());
                        let href = crate::resolve::html_escape(&local.href);
                        out = Some(
                            text.replace(&format!("src=\"{src}\""), &format!("src=\"{href}\""))
                                .replace(&format!("src='{src}'"), &format!("src='{href}'")),
                        );
                    }
                    Ok(None) => {}
                    Err(e) => r.errors.push(markdown::MarkdownError {
                        range: call.clone(),
                        message: format!("shortcode \"{name}\": {}", e.message),
                        help: e.help,
                    }),
                }
            }
            out
        });
    }
    expanded.finish(&mut r);
    r.errors.extend(expanded.errors);
    r.shortcodes = expanded.invocations;
    r
}

pub(super) fn shift(range: &Range<usize>, offset: usize) -> Range<usize> {
    range.start + offset..range.end + offset
}

pub(super) fn resolve_article(
    ctx: &Context,
    id: usize,
    page: &Page<ArticleMeta>,
) -> Resolved<Article, Vec<String>> {
    let m = &page.meta;
    let mut errors = Vec::new();
    let this = target(Section::Articles, id);
    let media = ctx.page_media(page, Section::Articles);
    let mut actors = ctx.references(page, "actors", &m.actors, Section::Actors, &mut errors);
    let mut background = ctx.references(
        page,
        "background",
        &m.background,
        Section::Notes,
        &mut errors,
    );
    ctx.named_links(page, "sources", &m.sources, &mut errors);
    let image = ctx.image(page, &media, &m.image, &m.image_alt, &mut errors);

    let (body, mut anchors) = ctx.body(page, &ctx.options(this, true, true, &media), &mut errors);
    let fm_options = ctx.options(this, false, false, &media);
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
    let (summary, summary_derived) = summary(m.summary.as_deref(), &body);
    let updated = checked_update(page, m.updated, Some(m.date), &mut errors);
    for (key, list) in [("authors", &m.authors), ("topics", &m.topics)] {
        if list.iter().any(|s| s.trim().is_empty()) {
            errors.push(page.error_at_key(key, None, format!("`{key}` has an empty entry")));
        }
    }
    repeated_authors(page, &m.authors, &mut errors);
    Resolved {
        value: Article {
            slug: page.slug.clone(),
            source: page.file.path.clone(),
            title: m.title.clone(),
            date: m.date,
            updated,
            summary,
            summary_derived,
            authors: m.authors.clone(),
            // Matched with the profiles once every one is resolved.
            bylines: Vec::new(),
            sources: m.sources.clone(),
            topics: Vec::new(),
            actors,
            background,
            know_html,
            body_html: body.html.clone(),
            body_hash: body.html_hash,
            shortcodes: body.shortcodes.clone(),
            image,
            corrections,
            draft: m.draft,
            fallback: None,
            scheduled: ctx.index.scheduled.contains(page.slug.as_str()),
            latest_events: Vec::new(),
        },
        headings: body.headings.clone(),
        anchors,
        errors,
        topics: m.topics.clone(),
        timeline: Vec::new(),
    }
}

/// `updated` as it follows `date` (see [`Date::as_update_of`]), or an
/// error at `updated` when it is earlier.
fn checked_update<M>(
    page: &Page<M>,
    updated: Option<Date>,
    date: Option<Date>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Date> {
    let (updated, date) = match (updated, date) {
        (Some(u), Some(d)) => (u, d),
        (u, _) => return u,
    };
    let checked = updated.as_update_of(date);
    if checked.is_none() {
        errors.push(page.error_at_value(
            "updated",
            format!(
                "`updated` ({}) is earlier than `date` ({})",
                updated.html_datetime(),
                date.html_datetime()
            ),
        ));
    }
    checked
}

/// An error at each entry of `authors` that names an author an earlier
/// entry names: the same slug, so the same profile (see
/// [`super::match_author`]) or, without one, the same name once case,
/// spaces and punctuation are folded ("amina-sow", "AMINA  SOW" and
/// "Amina Sow" are one author). The byline would show the name twice.
fn repeated_authors<M>(page: &Page<M>, authors: &[String], errors: &mut Vec<Diagnostic>) {
    let mut seen: Vec<(String, &str)> = Vec::with_capacity(authors.len());
    for (i, entry) in authors.iter().enumerate() {
        let slug = crate::model::slugify(&super::nfc(entry.trim()));
        if slug.is_empty() {
            continue;
        }
        match seen.iter().find(|(s, _)| *s == slug) {
            Some((_, first)) => {
                // The same text written twice: point at this one.
                let nth = authors[..i].iter().filter(|e| *e == entry).count();
                errors.push(
                    page.error_at_nth_value(
                        "authors",
                        entry,
                        nth,
                        format!(
                            "author \"{}\" is already in this byline, as \"{}\"",
                            entry.trim(),
                            first.trim()
                        ),
                    )
                    .with_help("name each author once: remove the repeat"),
                );
            }
            None => seen.push((slug, entry)),
        }
    }
}

/// The summary a page shows in lists and metadata, and whether it was
/// derived from the body rather than written.
fn summary(written: Option<&str>, body: &Rendered) -> (String, bool) {
    match written.map(str::trim) {
        Some(s) if !s.is_empty() => (s.to_string(), false),
        _ => (excerpt(&body.first_paragraph, SUMMARY_CHARS), true),
    }
}

pub(super) fn add_mentions_and_notes(
    r: &Rendered,
    actors: &mut Vec<usize>,
    notes: &mut Vec<usize>,
) {
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
pub(super) struct PendingEvent {
    pub(super) date: crate::model::PartialDate,
    pub(super) html: String,
    pub(super) actors: Vec<usize>,
}

pub(super) fn resolve_note(
    ctx: &Context,
    id: usize,
    page: &Page<NoteMeta>,
) -> Resolved<Note, Vec<PendingEvent>> {
    let m = &page.meta;
    let mut errors = Vec::new();
    let this = target(Section::Notes, id);
    let media = ctx.page_media(page, Section::Notes);
    let mut actors = ctx.references(page, "actors", &m.actors, Section::Actors, &mut errors);
    let mut related = ctx.references(page, "related", &m.related, Section::Notes, &mut errors);
    related.retain(|&n| n != id);
    let (body, mut anchors) = ctx.body(page, &ctx.options(this, true, false, &media), &mut errors);
    let fm_options = ctx.options(this, false, false, &media);
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
        let mut seen = HashSet::default();
        event_actors.retain(|a| seen.insert(*a));
        timeline.push(PendingEvent {
            date: entry.date,
            html: r.html.to_string(),
            actors: event_actors,
        });
    }
    let updated = checked_update(page, m.updated, m.date, &mut errors);
    let mut no_notes = Vec::new();
    add_mentions_and_notes(&body, &mut actors, &mut no_notes);
    let (summary, summary_derived) = summary(m.summary.as_deref(), &body);
    Resolved {
        value: Note {
            slug: page.slug.clone(),
            source: page.file.path.clone(),
            title: m.title.clone(),
            summary,
            summary_derived,
            date: m.date,
            updated,
            body_html: body.html.clone(),
            body_hash: body.html_hash,
            shortcodes: body.shortcodes.clone(),
            timeline: Vec::new(),
            actors,
            related,
            cited_by: Vec::new(),
            draft: m.draft,
            fallback: None,
        },
        headings: body.headings.clone(),
        anchors,
        errors,
        topics: Vec::new(),
        timeline,
    }
}

pub(super) fn resolve_actor(ctx: &Context, id: usize, page: &Page<ActorMeta>) -> Resolved<Actor> {
    let m = &page.meta;
    let mut errors = Vec::new();
    let this = target(Section::Actors, id);
    let media = ctx.page_media(page, Section::Actors);
    let mut related = ctx.references(page, "related", &m.related, Section::Actors, &mut errors);
    related.retain(|&a| a != id);
    ctx.named_links(page, "links", &m.links, &mut errors);
    let image = ctx.image(page, &media, &m.image, &m.image_alt, &mut errors);
    let (body, anchors) = ctx.body(page, &ctx.options(this, true, false, &media), &mut errors);
    Resolved {
        value: Actor {
            slug: page.slug.clone(),
            source: page.file.path.clone(),
            name: super::nfc(m.name.trim()).into_owned(),
            kind: m.kind,
            role: m.role.clone().filter(|r| !r.trim().is_empty()),
            aliases: m
                .aliases
                .iter()
                .map(|a| super::nfc(a).into_owned())
                .collect(),
            born: m.born,
            country: m.country.clone().filter(|c| !c.trim().is_empty()),
            country_actor: None,
            sort_name: sort_name(m),
            image,
            links: m.links.clone(),
            summary: excerpt(&body.first_paragraph, SUMMARY_CHARS),
            body_html: body.html.clone(),
            body_hash: body.html_hash,
            shortcodes: body.shortcodes.clone(),
            related,
            articles: Vec::new(),
            notes: Vec::new(),
            events: Vec::new(),
            draft: m.draft,
            fallback: None,
        },
        headings: body.headings.clone(),
        anchors,
        errors,
        topics: (),
        timeline: (),
    }
}

pub(super) fn resolve_page(
    ctx: &Context,
    id: usize,
    page: &Page<PageMeta>,
) -> Resolved<StandalonePage> {
    let m = &page.meta;
    let mut errors = Vec::new();
    let this = target(Section::Pages, id);
    let media = ctx.page_media(page, Section::Pages);
    let (body, anchors) = ctx.body(page, &ctx.options(this, true, false, &media), &mut errors);
    let updated = checked_update(page, m.updated, m.date, &mut errors);
    let (summary, summary_derived) = summary(m.summary.as_deref(), &body);
    Resolved {
        value: StandalonePage {
            slug: page.slug.clone(),
            source: page.file.path.clone(),
            title: m.title.clone(),
            summary,
            summary_derived,
            date: m.date,
            updated,
            body_html: body.html.clone(),
            body_hash: body.html_hash,
            menu: m.menu,
            menu_order: m.menu_order,
            draft: m.draft,
            fallback: None,
            shortcodes: body.shortcodes.clone(),
        },
        headings: body.headings.clone(),
        anchors,
        errors,
        topics: (),
        timeline: (),
    }
}

/// An author profile: its photo (its alt text the name unless
/// `image_alt` is given), links (absolute http(s) URLs) and bio.
pub(super) fn resolve_author(
    ctx: &Context,
    id: usize,
    page: &Page<AuthorMeta>,
) -> Resolved<Author> {
    let m = &page.meta;
    let mut errors = Vec::new();
    let this = target(Section::Authors, id);
    let media = ctx.page_media(page, Section::Authors);
    let name = super::nfc(m.name.trim()).into_owned();
    if name.is_empty() {
        errors.push(page.error_at_key("name", None, "an author's name may not be empty"));
    }
    for url in &m.links {
        ctx.check_url(page, "links", url, &mut errors);
        let u = url.trim();
        let absolute = ["https://", "http://"].iter().any(|p| {
            u.get(..p.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(p))
                && u.len() > p.len()
        });
        if !absolute && !u.is_empty() && !is_script_url(u) {
            errors.push(
                page.error_at_key(
                    "links",
                    Some(url),
                    format!("link \"{u}\" is not an absolute http(s) URL"),
                )
                .with_help("write the whole address, e.g. \"https://example.org/me\""),
            );
        }
    }
    let alt = m.image_alt.clone().or_else(|| Some(name.clone()));
    let image = ctx.image(page, &media, &m.image, &alt, &mut errors);
    let (body, anchors) = ctx.body(page, &ctx.options(this, true, false, &media), &mut errors);
    Resolved {
        value: Author {
            slug: page.slug.clone(),
            source: page.file.path.clone(),
            name,
            role: m.role.clone().filter(|r| !r.trim().is_empty()),
            image,
            links: m.links.iter().map(|l| l.trim().to_string()).collect(),
            summary: excerpt(&body.first_paragraph, SUMMARY_CHARS),
            body_html: body.html.clone(),
            body_hash: body.html_hash,
            shortcodes: body.shortcodes.clone(),
            articles: Vec::new(),
            draft: m.draft,
            fallback: None,
        },
        headings: body.headings.clone(),
        anchors,
        errors,
        topics: (),
        timeline: (),
    }
}

/// `sort_name`, else the last word of the name (`Emmanuel Macron` ->
/// `Macron`), the usual order of an index of people.
fn sort_name(m: &ActorMeta) -> String {
    match m.sort_name.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => super::nfc(s).into_owned(),
        _ => super::nfc(m.name.split_whitespace().last().unwrap_or(&m.name)).into_owned(),
    }
}

/// Where a page's bundle files are published: its own output folder, or,
/// for a translation under a slug of its own, its original's (a bundle's
/// files are shared by every language and published once, at the output
/// root; `fr/articles/paquet/` shows `articles/bund/p.png`).
pub(super) fn bundle_out_dir<M>(page: &Page<M>, section: Section) -> String {
    section.page_folder(page.original.as_ref().unwrap_or(&page.slug).as_str())
}
