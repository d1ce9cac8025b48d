//! Search: the site's Pagefind index, built in the process from the text
//! the resolve stage already holds (never by parsing the rendered HTML).
//!
//! Each article, explainer and actor becomes one Pagefind custom record:
//! its main content as plain text (title, dek, the know points once,
//! the body; for an actor its aliases and role too), never the navigation
//! or the sidebar blocks repeated across pages. The records go to
//! `pagefind::api::PagefindIndex`, and the bundle it returns (the chunked
//! index, `pagefind.js` and its WebAssembly) comes back as [`OutputFile`]s
//! under `pagefind/`, for the build's sink to stage like any other file.
//!
//! The browser side is `templates/search.html` with `static/search.js`.

use std::collections::BTreeMap;

use crate::model::Section;
use crate::render::OutputFile;
use crate::resolve::links::page_dir;
use crate::resolve::Site;

/// The folder of the output that holds the bundle.
pub const BUNDLE_DIR: &str = "pagefind";

/// One page as Pagefind indexes it (the arguments of
/// `PagefindIndex::add_custom_record`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The page's path under the output root (`articles/slug/index.html`);
    /// the search page joins it to the site's root at query time, so the
    /// index works under any sub-path.
    pub url: String,
    /// Plain text: what is searched and what excerpts are cut from.
    pub content: String,
    /// `title`, `kind`, and where the page has them `date` (ISO 8601
    /// day), `summary` (an actor's `role` instead), `image` (a path under
    /// the output root, or an absolute URL) with `image_alt`.
    pub meta: BTreeMap<String, String>,
    /// `kind` (`article`, `explainer`, `actor`, `page`), `topic` (topic
    /// names) and `actor_kind` (`person`, `organization`, ...).
    pub filters: BTreeMap<String, Vec<String>>,
    /// `date`, so results can be ordered newest first.
    pub sort: BTreeMap<String, String>,
}

/// The records of every page the site publishes, in a stable order
/// (articles, explainers, actors).
pub fn records(site: &Site) -> Vec<Record> {
    let mut out = Vec::with_capacity(site.articles.len() + site.notes.len() + site.actors.len());
    for a in &site.articles {
        let mut body = Text::default();
        if let Some(know) = &a.know_html {
            body.html(know);
        }
        body.html(&a.body_html);
        for c in &a.corrections {
            body.html(&c.html);
        }
        let mut text = Text::default();
        text.weighted(&a.title, TITLE_WEIGHT);
        text.dek(&a.summary, &body);
        text.0.push_str(&body.0);
        let mut r = Record::new(
            page_dir(Section::Articles, a.slug.as_str()),
            text,
            "article",
        );
        r.meta("title", &a.title);
        r.meta("date", &a.date.iso_day());
        r.meta("summary", &a.summary);
        if let Some(image) = &a.image {
            r.meta("image", &image.src);
            r.meta("image_alt", &image.alt);
        }
        r.sort.insert("date".into(), a.date.iso_day());
        let topics: Vec<String> = a
            .topics
            .iter()
            .map(|&t| site.topics[t].name.clone())
            .collect();
        if !topics.is_empty() {
            r.filters.insert("topic".into(), topics);
        }
        out.push(r);
    }
    for n in &site.notes {
        let mut body = Text::default();
        body.html(&n.body_html);
        for &e in &n.timeline {
            let event = &site.events[e];
            body.line(&event.date.human());
            body.html(&event.html);
        }
        let mut text = Text::default();
        text.weighted(&n.title, TITLE_WEIGHT);
        text.dek(&n.summary, &body);
        text.0.push_str(&body.0);
        let mut r = Record::new(page_dir(Section::Notes, n.slug.as_str()), text, "explainer");
        r.meta("title", &n.title);
        r.meta("summary", &n.summary);
        if let Some(date) = n.updated.or(n.date) {
            r.meta("date", &date.iso_day());
            r.sort.insert("date".into(), date.iso_day());
        }
        out.push(r);
    }
    for a in &site.actors {
        let mut text = Text::default();
        text.weighted(&a.name, TITLE_WEIGHT);
        // Other names are searched like the name: "CNSP" finds the junta's
        // profile, "Tchiani" the general's.
        for alias in &a.aliases {
            text.weighted(alias, TITLE_WEIGHT);
        }
        if let Some(role) = &a.role {
            text.line(role);
        }
        if let Some(country) = &a.country {
            text.line(country);
        }
        text.html(&a.body_html);
        let mut r = Record::new(page_dir(Section::Actors, a.slug.as_str()), text, "actor");
        r.meta("title", &a.name);
        r.meta("summary", a.role.as_deref().unwrap_or(&a.summary));
        if !a.aliases.is_empty() {
            r.meta("aliases", &a.aliases.join(", "));
        }
        if let Some(image) = &a.image {
            r.meta("image", &image.src);
            r.meta("image_alt", &image.alt);
        }
        if let Some(kind) = a.kind {
            r.filters
                .insert("actor_kind".into(), vec![kind.as_str().into()]);
        }
        out.push(r);
    }
    out
}

impl Record {
    fn new(dir: String, text: Text, kind: &str) -> Record {
        let mut r = Record {
            url: dir + "index.html",
            content: text.0,
            meta: BTreeMap::new(),
            filters: BTreeMap::new(),
            sort: BTreeMap::new(),
        };
        r.meta("kind", kind);
        r.filters.insert("kind".into(), vec![kind.into()]);
        r
    }

    /// Sets a metadata field, leaving out empty ones (Pagefind would show
    /// them as empty strings).
    fn meta(&mut self, key: &str, value: &str) {
        let value = value.trim();
        if !value.is_empty() {
            self.meta.insert(key.into(), value.into());
        }
    }
}

/// Builds the Pagefind bundle of `records`: every file under `pagefind/`
/// of the output, in Pagefind's own order. `language` is the site's
/// (`site.toml` `language`, an IETF tag; Pagefind stems by its primary
/// subtag and indexes unknown languages without stemming).
///
/// Runs Pagefind's async API on a runtime of its own, so it must not be
/// called from inside a tokio runtime. Errors are Pagefind's, as text.
pub fn bundle(records: Vec<Record>, language: &str) -> Result<Vec<OutputFile>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| format!("search index: cannot start a runtime: {e}"))?;
    bundle_on(runtime, records, language)
}

/// [`bundle`] in the background: every thread it uses (its own, Pagefind's
/// blocking tasks, one rayon thread for Pagefind's parallel steps) runs at
/// the lowest CPU priority where the system allows it (Linux), so that
/// the preview's rebuilds are not slowed down by it.
pub fn bundle_in_background(
    records: Vec<Record>,
    language: &str,
) -> Result<Vec<OutputFile>, String> {
    lower_priority();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .on_thread_start(lower_priority)
        .build()
        .map_err(|e| format!("search index: cannot start a runtime: {e}"))?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .start_handler(|_| lower_priority())
        .build()
        .map_err(|e| format!("search index: cannot start a thread: {e}"))?;
    pool.install(|| bundle_on(runtime, records, language))
}

/// Lowers the calling thread's CPU priority to the lowest (nice 19).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority only reads its integer arguments; on Linux
    // `PRIO_PROCESS` with 0 names the calling thread alone.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 19);
    }
}

fn bundle_on(
    runtime: tokio::runtime::Runtime,
    records: Vec<Record>,
    language: &str,
) -> Result<Vec<OutputFile>, String> {
    let language = primary_language(language);
    runtime.block_on(async move {
        let options = pagefind::options::PagefindServiceConfig::builder()
            // Result URLs are exactly what the site links to: `index.html`
            // named, so they also work from a folder served as files.
            .keep_index_url(true)
            .force_language(language.clone())
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(options))
            .map_err(|e| format!("search index: {e}"))?;
        for r in records {
            index
                .add_custom_record(
                    r.url,
                    r.content,
                    language.clone(),
                    Some(r.meta),
                    Some(r.filters),
                    Some(r.sort),
                )
                .await
                .map_err(|e| format!("search index: {e}"))?;
        }
        let files = index
            .get_files()
            .await
            .map_err(|e| format!("search index: {e}"))?;
        Ok(files
            .into_iter()
            .filter(|f| wanted(&f.filename))
            .map(|f| OutputFile {
                path: format!(
                    "{BUNDLE_DIR}/{}",
                    f.filename.to_string_lossy().replace('\\', "/")
                ),
                bytes: f.contents,
            })
            .collect())
    })
}

/// The index of a whole site (see [`records`] and [`bundle`]).
pub fn index(site: &Site) -> Result<Vec<OutputFile>, String> {
    bundle(records(site), &site.config.language)
}

/// Whether `file` is the theme's own `search.js` (not a site's file of
/// that name), which a site without search does not get.
pub fn is_builtin_script(file: &OutputFile) -> bool {
    use crate::render::theme;
    theme::builtin_static().any(|(path, bytes)| {
        path == "search.js"
            && bytes == file.bytes.as_slice()
            && file.path == theme::hashed_name("search.js", bytes)
    })
}

/// Whether a file of the bundle is named by a hash of its content
/// (Pagefind's fragments, word and filter chunks and page list), so that
/// one of the same name already written holds the same bytes.
pub fn content_named(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    [".pf_fragment", ".pf_index", ".pf_filter", ".pf_meta"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Whether a file of Pagefind's bundle is one the site serves: its default
/// UI (`pagefind-ui.*`, `pagefind-component-ui.*`, `pagefind-modular-ui.*`)
/// and the playground are left out, since the search page has its own.
fn wanted(name: &std::path::Path) -> bool {
    let name = name.to_string_lossy();
    !(name.starts_with("pagefind-ui")
        || name.starts_with("pagefind-component-ui")
        || name.starts_with("pagefind-modular-ui")
        || name.starts_with("playground"))
}

/// `en` of `en-GB`: Pagefind's stemmers and its per-language index files
/// are keyed by the primary subtag.
fn primary_language(tag: &str) -> String {
    let primary = tag.split(['-', '_']).next().unwrap_or("").trim();
    if primary.is_empty() {
        "en".into()
    } else {
        primary.to_ascii_lowercase()
    }
}

/// Plain text gathered from text and HTML fragments, one block per line.
#[derive(Default)]
struct Text(String);

/// The weight Pagefind gives an `<h1>`: a page's title and an actor's
/// other names count as much as its title would in the HTML.
const TITLE_WEIGHT: u8 = 7;

impl Text {
    /// A line whose words count `weight` times as much as body text, in
    /// Pagefind's digest markup (what its HTML parser emits for headings).
    fn weighted(&mut self, s: &str, weight: u8) {
        let s = s.trim();
        if !s.is_empty() {
            self.0.push_str(&format!(
                "___PAGEFIND_WEIGHT___{weight} {s} ___END_PAGEFIND_WEIGHT___\n"
            ));
        }
    }

    /// A page's dek, unless it is the body's own first paragraph (the
    /// default summary), which would then be indexed twice.
    fn dek(&mut self, summary: &str, body: &Text) {
        let summary = summary.trim();
        if !body.0.contains(summary) {
            self.line(summary);
        }
    }

    fn line(&mut self, s: &str) {
        let s = s.trim();
        if !s.is_empty() {
            self.0.push_str(s);
            self.0.push('\n');
        }
    }

    /// Appends the text of an HTML fragment (as the resolve stage renders
    /// it): tags dropped, a break at each block element so words of
    /// adjacent blocks stay apart, character references decoded, and the
    /// content of `script`, `style` and `template` left out.
    fn html(&mut self, html: &str) {
        let mut rest = html;
        let mut skip_until: Option<&'static str> = None;
        while let Some(lt) = rest.find('<') {
            if skip_until.is_none() {
                self.push_text(&rest[..lt]);
            }
            let tag_end = match rest[lt..].find('>') {
                Some(i) => lt + i + 1,
                None => {
                    rest = "";
                    break;
                }
            };
            let tag = &rest[lt + 1..tag_end - 1];
            let closing = tag.starts_with('/');
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            rest = &rest[tag_end..];
            if let Some(end) = skip_until {
                if closing && name == end {
                    skip_until = None;
                }
                continue;
            }
            match name.as_str() {
                "script" if !closing => skip_until = Some("script"),
                "style" if !closing => skip_until = Some("style"),
                "template" if !closing => skip_until = Some("template"),
                "p" | "div" | "li" | "ul" | "ol" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
                | "blockquote" | "pre" | "table" | "tr" | "td" | "th" | "br" | "hr" | "figure"
                | "figcaption" | "section" | "aside" | "dt" | "dd"
                    if !self.0.ends_with('\n') && !self.0.is_empty() =>
                {
                    self.0.push('\n')
                }
                _ => {}
            }
        }
        if skip_until.is_none() {
            self.push_text(rest);
        }
        if !self.0.ends_with('\n') && !self.0.is_empty() {
            self.0.push('\n');
        }
    }

    fn push_text(&mut self, text: &str) {
        if !text.is_empty() {
            html_escape::decode_html_entities_to_string(text, &mut self.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(html: &str) -> String {
        let mut t = Text::default();
        t.html(html);
        t.0
    }

    #[test]
    fn html_becomes_text_with_blocks_apart() {
        assert_eq!(
            text_of("<h2 id=\"a\">Coup</h2><p>Mohamed&nbsp;Bazoum &amp; <a href=\"x\">CNSP</a></p><ul><li>one</li><li>two</li></ul>"),
            "Coup\nMohamed\u{a0}Bazoum & CNSP\none\ntwo\n"
        );
    }

    #[test]
    fn scripts_and_styles_are_not_text() {
        assert_eq!(
            text_of("<p>a</p><script>var x = '<p>';</script><style>p{}</style><p>b</p>"),
            "a\nb\n"
        );
    }

    #[test]
    fn an_unclosed_tag_ends_the_text() {
        assert_eq!(text_of("a <b"), "a \n");
    }

    #[test]
    fn languages_are_keyed_by_primary_subtag() {
        assert_eq!(primary_language("en-GB"), "en");
        assert_eq!(primary_language("FR"), "fr");
        assert_eq!(primary_language(""), "en");
    }

    #[test]
    fn the_default_ui_is_not_part_of_the_bundle() {
        use std::path::Path;
        assert!(wanted(Path::new("pagefind.js")));
        assert!(wanted(Path::new("pagefind-entry.json")));
        assert!(wanted(Path::new("fragment/en_1234.pf_fragment")));
        assert!(!wanted(Path::new("pagefind-ui.js")));
        assert!(!wanted(Path::new("pagefind-component-ui.css")));
    }

    #[test]
    fn a_bundle_holds_the_entry_and_the_index() {
        let mut meta = BTreeMap::new();
        meta.insert("title".to_string(), "Niger".to_string());
        let record = Record {
            url: "actors/niger/index.html".into(),
            content: "Niger is a country in the Sahel".into(),
            meta,
            filters: BTreeMap::from([("kind".into(), vec!["actor".into()])]),
            sort: BTreeMap::new(),
        };
        let files = bundle(vec![record], "en-GB").unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert!(names.contains(&"pagefind/pagefind.js"), "{names:?}");
        assert!(names.contains(&"pagefind/pagefind-entry.json"), "{names:?}");
        assert!(
            names.iter().any(|n| n.ends_with(".pf_fragment")),
            "{names:?}"
        );
        assert!(names.iter().any(|n| n.ends_with(".pf_filter")), "{names:?}");
        assert!(
            !names.iter().any(|n| n.contains("pagefind-ui")),
            "{names:?}"
        );
        let entry = files
            .iter()
            .find(|f| f.path == "pagefind/pagefind-entry.json")
            .unwrap();
        let entry: serde_json::Value = serde_json::from_slice(&entry.bytes).unwrap();
        assert_eq!(entry["languages"]["en"]["page_count"], 1, "{entry}");
    }
}
