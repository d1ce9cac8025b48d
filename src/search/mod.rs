//! Search: the site's Pagefind index, built in the process from the text
//! the resolve stage already holds (never by parsing the rendered HTML).
//!
//! Each article, explainer, actor and standalone page becomes one Pagefind
//! custom record: its main content as plain text (title, dek, the know
//! points once, the body; for an actor its aliases and role too), never
//! the navigation, the sidebar blocks repeated across pages, or the
//! theme's words inside a body (elements marked [`IGNORE`]). The records go to
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
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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
    /// `date` (an ISO 8601 day; `0000-00-00` for an undated page), so
    /// results can be ordered newest first, and `title` (the title as a
    /// slug, the actors list's key), so they can be ordered A to Z.
    pub sort: BTreeMap<String, String>,
}

/// A kind of page the index holds: the values of the `kind` filter and
/// of each result's `kind` metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Article,
    Explainer,
    Actor,
    /// A standalone page (`content/pages/`).
    Page,
    /// An author's profile (`content/authors/`).
    Author,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Article,
        Kind::Explainer,
        Kind::Actor,
        Kind::Page,
        Kind::Author,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Article => "article",
            Kind::Explainer => "explainer",
            Kind::Actor => "actor",
            Kind::Page => "page",
            Kind::Author => "author",
        }
    }
}

/// Where the records come from: one function per kind of page, each
/// adding the records of its pages in the site's order. A new kind of
/// page is indexed by adding its function here (making each page an
/// [`Entry`]).
const SOURCES: &[fn(&Site, &mut Vec<Record>)] = &[articles, explainers, actors, pages, authors];

/// The records of every page the site publishes, in a stable order
/// (articles, explainers, actors, standalone pages). Drafts and
/// scheduled articles, built only for a preview, are never indexed.
pub fn records(site: &Site) -> Vec<Record> {
    let mut out = Vec::with_capacity(site.articles.len() + site.notes.len() + site.actors.len());
    for source in SOURCES {
        source(site, &mut out);
    }
    out
}

/// The `date` sort key of a page without a date: before every ISO 8601
/// day, so last newest first.
const UNDATED: &str = "0000-00-00";

/// What the index holds of one page, whatever its kind.
struct Entry<'a> {
    kind: Kind,
    /// The page's folder under the output root (`articles/slug/`).
    dir: String,
    title: &'a str,
    /// Other names, searched like the title ("CNSP" for the junta) and
    /// shown with the result.
    aliases: &'a [String],
    /// The dek, shown under the title; indexed too unless the body
    /// already holds it (the default dek is the body's first paragraph).
    summary: &'a str,
    /// Short lines between the title and the body (an actor's role and
    /// country), indexed as text.
    lead: Vec<&'a str>,
    body: Text,
    /// An ISO 8601 day: shown, and what results by filters alone are
    /// ordered by. Of every kind of page the publication date (`date`),
    /// like an article's; `updated` only for a page without one.
    date: Option<String>,
    image: Option<&'a crate::resolve::site::Image>,
    /// Filters besides `kind`, each with its values (`topic`, `actor_kind`).
    filters: Vec<(&'static str, Vec<String>)>,
}

impl<'a> Entry<'a> {
    fn new(kind: Kind, section: Section, slug: &str, title: &'a str) -> Entry<'a> {
        Entry {
            kind,
            dir: page_dir(section, slug),
            title,
            aliases: &[],
            summary: "",
            lead: Vec::new(),
            body: Text::default(),
            date: None,
            image: None,
            filters: Vec::new(),
        }
    }

    fn record(self) -> Record {
        let mut text = Text::default();
        text.weighted(self.title, TITLE_WEIGHT);
        // Other names are searched like the name: "CNSP" finds the junta's
        // profile, "Tchiani" the general's.
        for alias in self.aliases {
            text.weighted(alias, TITLE_WEIGHT);
        }
        text.dek(self.summary, &self.body);
        for line in &self.lead {
            text.line(line);
        }
        text.0.push_str(&self.body.0);
        let mut r = Record {
            url: self.dir + "index.html",
            content: text.0,
            meta: BTreeMap::new(),
            filters: BTreeMap::new(),
            sort: BTreeMap::new(),
        };
        let kind = self.kind.as_str();
        r.meta("kind", kind);
        r.filters.insert("kind".into(), vec![kind.into()]);
        r.meta("title", self.title);
        r.meta("summary", self.summary);
        if !self.aliases.is_empty() {
            r.meta("aliases", &self.aliases.join(", "));
        }
        // Every page has a `date` sort key, since Pagefind leaves pages
        // without one out of sorted results: an undated page (an actor)
        // sorts after every dated one.
        match self.date {
            Some(date) => {
                r.meta("date", &date);
                r.sort.insert("date".into(), date);
            }
            None => {
                r.sort.insert("date".into(), UNDATED.into());
            }
        }
        // Results by filters alone that are all undated (actors) are
        // listed A to Z, by the key the actors list is ordered by.
        r.sort
            .insert("title".into(), crate::model::slugify(self.title));
        if let Some(image) = self.image {
            r.meta("image", &image.src);
            r.meta("image_alt", &image.alt);
        }
        for (name, values) in self.filters {
            if !values.is_empty() {
                r.filters.insert(name.into(), values);
            }
        }
        r
    }
}

fn articles(site: &Site, out: &mut Vec<Record>) {
    for a in site.own_articles().iter().filter(|a| a.is_public()) {
        let mut e = Entry::new(Kind::Article, Section::Articles, a.slug.as_str(), &a.title);
        if let Some(know) = &a.know_html {
            e.body.html(know);
        }
        e.body.html(&a.body_html);
        for c in &a.corrections {
            e.body.html(&c.html);
        }
        e.summary = &a.summary;
        e.date = Some(a.date.iso_day());
        e.image = a.image.as_ref();
        let topics = a.topics.iter().map(|&t| site.topics[t].name.clone());
        e.filters.push(("topic", topics.collect()));
        out.push(e.record());
    }
}

fn explainers(site: &Site, out: &mut Vec<Record>) {
    for n in site.own_notes().iter().filter(|n| !n.draft) {
        let mut e = Entry::new(Kind::Explainer, Section::Notes, n.slug.as_str(), &n.title);
        e.body.html(&n.body_html);
        for &id in &n.timeline {
            let event = &site.events[id];
            e.body.line(&site.config.interface.partial_date(event.date));
            e.body.html(&event.html);
        }
        e.summary = &n.summary;
        e.date = n.date.or(n.updated).map(|d| d.iso_day());
        out.push(e.record());
    }
}

fn actors(site: &Site, out: &mut Vec<Record>) {
    for a in site.own_actors().iter().filter(|a| !a.draft) {
        let mut e = Entry::new(Kind::Actor, Section::Actors, a.slug.as_str(), &a.name);
        e.aliases = &a.aliases;
        // A result shows the actor's role; the summary (the body's first
        // paragraph by default) only without one.
        e.summary = a.role.as_deref().unwrap_or(&a.summary);
        e.lead.extend(a.country.as_deref());
        e.body.html(&a.body_html);
        e.image = a.image.as_ref();
        if let Some(kind) = a.kind {
            e.filters.push(("actor_kind", vec![kind.as_str().into()]));
        }
        out.push(e.record());
    }
}

fn authors(site: &Site, out: &mut Vec<Record>) {
    for a in site.own_authors().iter().filter(|a| !a.draft) {
        let mut e = Entry::new(Kind::Author, Section::Authors, a.slug.as_str(), &a.name);
        // A result shows the author's role, like an actor's.
        e.summary = a.role.as_deref().unwrap_or(&a.summary);
        e.body.html(&a.body_html);
        e.image = a.image.as_ref();
        out.push(e.record());
    }
}

fn pages(site: &Site, out: &mut Vec<Record>) {
    for p in site.own_pages().iter().filter(|p| p.is_public()) {
        let mut e = Entry::new(Kind::Page, Section::Pages, p.slug.as_str(), &p.title);
        e.body.html(&p.body_html);
        e.summary = &p.summary;
        e.date = p.date.or(p.updated).map(|d| d.iso_day());
        out.push(e.record());
    }
}

impl Record {
    /// Sets a metadata field, leaving out empty ones (Pagefind would show
    /// them as empty strings).
    fn meta(&mut self, key: &str, value: &str) {
        let value = value.trim();
        if !value.is_empty() {
            self.meta.insert(key.into(), value.into());
        }
    }
}

/// How many pages one shard of the index holds at most. The index is cut
/// into shards that Pagefind builds separately (in parallel, and never all
/// at once, which bounds the memory they take) and the browser merges
/// (`mergeIndex`). Fewer, larger shards cost the browser fewer requests
/// per query; smaller ones cost the build less memory: a shard of 1,000
/// articles of 750 words takes about 200 MB of Pagefind's working memory
/// (BENCHMARKS.md, Search: 2,000 put a 10k build at 0.57x the peak memory
/// of Hugo + Pagefind, 1,000 at 0.45x).
pub const SHARD_PAGES: usize = 1000;

/// The file under [`BUNDLE_DIR`] that lists the shards beyond the first
/// (`{"shards":["shard-1/"]}`, paths relative to the bundle), which the
/// search page merges into the first.
pub const SHARDS_FILE: &str = "shards.json";

/// The shard a page's record goes to: by a hash of its URL, so that every
/// shard holds the same mix of kinds, topics and years (Pagefind ranks by
/// each shard's own word statistics, which then agree), and a page stays
/// in its shard while others come and go.
fn shard_of(url: &str, shards: usize) -> usize {
    (xxhash_rust::xxh3::xxh3_64(url.as_bytes()) % shards as u64) as usize
}

/// The folder of shard `i` under the output root: the first shard is the
/// bundle itself (with `pagefind.js` and the WebAssembly), the others
/// hold only their index files.
fn shard_dir(i: usize) -> String {
    if i == 0 {
        BUNDLE_DIR.to_string()
    } else {
        format!("{BUNDLE_DIR}/shard-{i}")
    }
}

/// Builds the Pagefind bundle of `records`: every file under `pagefind/`
/// of the output (shards and [`SHARDS_FILE`] included), in a stable
/// order. `language` is the site's (`site.toml` `language`, an IETF tag;
/// Pagefind stems by its primary subtag and indexes unknown languages
/// without stemming). Shards are built as many at a time as there are
/// cores.
///
/// Runs Pagefind's async API on runtimes of its own, so it must not be
/// called from inside a tokio runtime. Errors are Pagefind's, as text.
pub fn bundle(records: Vec<Record>, language: &str) -> Result<Vec<OutputFile>, String> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let pool = search_pool(workers, |_| ())?;
    bundle_shards(&pool, records, language, shard_pages(), workers, None)
}

/// A rayon pool of `threads` threads of its own for Pagefind's parallel
/// steps. The index is built while the pages render on rayon's global
/// pool, whose workers may wait for the index (`render_site` joins it):
/// were Pagefind's steps queued on that same pool, a build whose workers
/// all waited would never finish (one core, or builds side by side).
fn search_pool(
    threads: usize,
    start: impl Fn(usize) + Send + Sync + 'static,
) -> Result<rayon::ThreadPool, String> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("search-index-{i}"))
        .start_handler(start)
        .build()
        .map_err(|e| format!("search index: cannot start a thread: {e}"))
}

/// [`SHARD_PAGES`], unless the environment variable
/// `EXPLAINER_SEARCH_SHARD_PAGES` gives another positive number (for
/// tests of the merged index on a small site, and for measuring).
fn shard_pages() -> usize {
    std::env::var("EXPLAINER_SEARCH_SHARD_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(SHARD_PAGES)
}

/// The shards of the last index built in the background, each with a
/// digest of its records and language, so that the next one rebuilds
/// only the shards whose records changed (a page stays in its shard, see
/// [`shard_of`]; an edit to one page rebuilds one shard).
#[derive(Default)]
pub struct ShardCache {
    shards: Vec<(u64, Vec<OutputFile>)>,
}

/// [`bundle`] in the background: one shard at a time, only those whose
/// records changed since the index in `cache`, and every thread it uses
/// (its own, Pagefind's blocking tasks, one rayon thread for Pagefind's
/// parallel steps) runs at the lowest CPU priority where the system
/// allows it (Linux), so that the preview's rebuilds are not slowed down
/// by it.
pub fn bundle_in_background(
    records: Vec<Record>,
    language: &str,
    cache: &mut ShardCache,
) -> Result<Vec<OutputFile>, String> {
    lower_priority();
    let pool = search_pool(1, |_| lower_priority())?;
    bundle_shards(&pool, records, language, shard_pages(), 1, Some(cache))
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

/// Cuts `records` into shards and builds them on `workers` threads, each
/// taking the next shard when done with one: at most `workers` of
/// Pagefind's indexes are alive at once. With one worker, the calling
/// thread builds them. Each builder runs in `pool`, so Pagefind's parallel
/// steps never touch rayon's global pool (see [`search_pool`]).
fn bundle_shards(
    pool: &rayon::ThreadPool,
    records: Vec<Record>,
    language: &str,
    shard_pages: usize,
    workers: usize,
    cache: Option<&mut ShardCache>,
) -> Result<Vec<OutputFile>, String> {
    let background = cache.is_some();
    let count = records.len().div_ceil(shard_pages).max(1);
    let mut shards: Vec<Vec<Record>> = (0..count).map(|_| Vec::new()).collect();
    for r in records {
        let at = shard_of(&r.url, count);
        shards[at].push(r);
    }
    // A shard without pages would have no index for the browser to merge.
    // (The first always has one, even on a site without pages, so the
    // script and the WebAssembly are there.)
    shards.retain(|s| !s.is_empty());
    if shards.is_empty() {
        shards.push(Vec::new());
    }
    let count = shards.len();
    let digests: Vec<u64> = shards
        .iter()
        .map(|records| {
            use std::hash::{Hash, Hasher};
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            (count, language, records).hash(&mut h);
            h.finish()
        })
        .collect();
    let mut kept: Vec<(usize, Vec<OutputFile>)> = Vec::new();
    let mut todo: Vec<(usize, Vec<Record>)> = Vec::new();
    for (i, records) in shards.into_iter().enumerate() {
        match cache.as_deref().and_then(|c| c.shards.get(i)) {
            Some((digest, files)) if *digest == digests[i] => {
                kept.push((i, files.clone()));
            }
            _ => todo.push((i, records)),
        }
    }
    let queue = std::sync::Mutex::new(todo);
    let next = || queue.lock().unwrap_or_else(|e| e.into_inner()).pop();
    let work = || -> Result<Vec<(usize, Vec<OutputFile>)>, String> {
        let mut runtime = tokio::runtime::Builder::new_current_thread();
        if background {
            runtime.on_thread_start(lower_priority);
        }
        let runtime = runtime
            .build()
            .map_err(|e| format!("search index: cannot start a runtime: {e}"))?;
        let mut done = Vec::new();
        while let Some((i, records)) = next() {
            done.push((i, bundle_one(&runtime, i, records, language)?));
        }
        Ok(done)
    };
    let workers = workers.clamp(1, count);
    let mut built = if workers == 1 {
        pool.install(work)?
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|_| scope.spawn(|| pool.install(work)))
                .collect();
            let mut built = Vec::new();
            for h in handles {
                built.extend(
                    h.join()
                        .unwrap_or_else(|_| Err("search index: the indexer panicked".into()))?,
                );
            }
            Ok::<_, String>(built)
        })?
    };
    built.extend(kept);
    built.sort_by_key(|(i, _)| *i);
    if let Some(cache) = cache {
        cache.shards = built
            .iter()
            .map(|(i, files)| (digests[*i], files.clone()))
            .collect();
    }
    let mut files: Vec<OutputFile> = built.into_iter().flat_map(|(_, f)| f).collect();
    let others: Vec<String> = (1..count).map(|i| format!("shard-{i}/")).collect();
    files.push(OutputFile {
        path: format!("{BUNDLE_DIR}/{SHARDS_FILE}"),
        bytes: serde_json::to_vec(&serde_json::json!({ "shards": others }))
            .expect("a list of strings serialises"),
    });
    Ok(files)
}

/// The files of shard `i` (see [`shard_dir`]).
fn bundle_one(
    runtime: &tokio::runtime::Runtime,
    i: usize,
    records: Vec<Record>,
    language: &str,
) -> Result<Vec<OutputFile>, String> {
    let language = primary_language(language);
    let dir = shard_dir(i);
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
            .filter(|f| wanted(&f.filename, i == 0))
            .map(|f| OutputFile {
                path: format!("{dir}/{}", f.filename.to_string_lossy().replace('\\', "/")),
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
/// Of a shard beyond the first (`first` false), only the index itself:
/// its entry file, page list, word and filter chunks and fragments (the
/// first shard's script and WebAssembly search them all).
fn wanted(name: &std::path::Path, first: bool) -> bool {
    let name = name.to_string_lossy();
    if !first {
        return name == "pagefind-entry.json" || content_named(&name);
    }
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
    /// content of `script`, `style` and `template` left out, as is every
    /// element marked `data-pagefind-ignore` (Pagefind's own attribute):
    /// the theme's words inside a body, such as an embed placeholder's
    /// provider, button and privacy notice, are not the page's text.
    fn html(&mut self, html: &str) {
        let mut rest = html;
        let mut skip_until: Option<&'static str> = None;
        // An ignored element: its name and how many elements of that name
        // are open inside it.
        let mut ignored: Option<(String, usize)> = None;
        while let Some(lt) = rest.find('<') {
            if skip_until.is_none() && ignored.is_none() {
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
            if let Some((element, depth)) = &mut ignored {
                if *element == name && !tag.ends_with('/') {
                    if closing {
                        *depth -= 1;
                    } else {
                        *depth += 1;
                    }
                    if *depth == 0 {
                        ignored = None;
                    }
                }
                continue;
            }
            if !closing && !VOID_ELEMENTS.contains(&name.as_str()) && has_attribute(tag, IGNORE) {
                ignored = Some((name, 1));
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
        if skip_until.is_none() && ignored.is_none() {
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

/// The attribute that keeps an element's content out of the index, as in
/// Pagefind's HTML indexing (`data-pagefind-ignore`, with or without a
/// value).
pub const IGNORE: &str = "data-pagefind-ignore";

/// Elements without content, whose start tag opens nothing to skip.
const VOID_ELEMENTS: [&str; 13] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Whether a start tag (its text between `<` and `>`) has the attribute
/// `name` (case-insensitive), reading the attributes as HTML does, so that
/// the name inside another attribute's value does not count.
fn has_attribute(tag: &str, name: &str) -> bool {
    let bytes = tag.as_bytes();
    // Past the element's name.
    let mut i = bytes
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/')
        .unwrap_or(bytes.len());
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < bytes.len()
            && !(bytes[i].is_ascii_whitespace() || bytes[i] == b'=' || bytes[i] == b'/')
        {
            i += 1;
        }
        if tag[start..i].eq_ignore_ascii_case(name) {
            return true;
        }
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            match bytes.get(i) {
                Some(&quote @ (b'"' | b'\'')) => {
                    i += 1;
                    while i < bytes.len() && bytes[i] != quote {
                        i += 1;
                    }
                    i += 1;
                }
                _ => {
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                        i += 1;
                    }
                }
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test_pool() -> rayon::ThreadPool {
        search_pool(2, |_| ()).unwrap()
    }

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
    fn elements_marked_ignore_are_not_text() {
        assert_eq!(
            text_of("<p>a</p><div class=\"embed\"><p data-pagefind-ignore>Map</p><div data-pagefind-ignore=\"all\" hidden><div><button>Load</button></div><p>connects</p></div><p>b</p></div><p>c</p>"),
            "a\nb\nc\n"
        );
        // The attribute's name inside another attribute's value, or on an
        // element without content, hides nothing.
        assert_eq!(
            text_of("<p title=\"x data-pagefind-ignore\">a</p><br data-pagefind-ignore><p>b</p>"),
            "a\nb\n"
        );
        assert!(has_attribute("p class='x' DATA-PAGEFIND-IGNORE", IGNORE));
        assert!(!has_attribute("p data-pagefind-ignored", IGNORE));
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
        assert!(wanted(Path::new("pagefind.js"), true));
        assert!(wanted(Path::new("pagefind-entry.json"), true));
        assert!(wanted(Path::new("fragment/en_1234.pf_fragment"), true));
        assert!(!wanted(Path::new("pagefind-ui.js"), true));
        assert!(!wanted(Path::new("pagefind-component-ui.css"), true));
        // A later shard: its index, not another copy of the script.
        assert!(wanted(Path::new("pagefind-entry.json"), false));
        assert!(wanted(Path::new("index/en_99.pf_index"), false));
        assert!(wanted(Path::new("pagefind.en_1.pf_meta"), false));
        assert!(!wanted(Path::new("pagefind.js"), false));
        assert!(!wanted(Path::new("wasm.en.pagefind"), false));
    }

    fn record(url: &str, text: &str, kind: &str) -> Record {
        Record {
            url: url.into(),
            content: text.into(),
            meta: BTreeMap::from([("title".into(), url.into())]),
            filters: BTreeMap::from([("kind".into(), vec![kind.into()])]),
            sort: BTreeMap::new(),
        }
    }

    #[test]
    fn a_large_index_is_cut_into_shards_that_hold_every_page_once() {
        let records: Vec<Record> = (0..9)
            .map(|i| {
                record(
                    &format!("articles/a{i}/index.html"),
                    "Niger uranium",
                    "article",
                )
            })
            .collect();
        let files = bundle_shards(&test_pool(), records, "en", 3, 2, None).unwrap();
        let count = |dir: &str| -> u64 {
            let entry = files
                .iter()
                .find(|f| f.path == format!("{dir}/pagefind-entry.json"))
                .unwrap_or_else(|| panic!("no entry in {dir}"));
            let entry: serde_json::Value = serde_json::from_slice(&entry.bytes).unwrap();
            entry["languages"]["en"]["page_count"].as_u64().unwrap()
        };
        let shards = files
            .iter()
            .find(|f| f.path == "pagefind/shards.json")
            .unwrap();
        assert_eq!(
            std::str::from_utf8(&shards.bytes).unwrap(),
            r#"{"shards":["shard-1/","shard-2/"]}"#
        );
        let total = count("pagefind") + count("pagefind/shard-1") + count("pagefind/shard-2");
        assert_eq!(total, 9);
        // Each shard has pages (the hash spreads them), and only the
        // first carries the script and the WebAssembly.
        for dir in ["pagefind", "pagefind/shard-1", "pagefind/shard-2"] {
            assert!(count(dir) > 0, "{dir} is empty");
        }
        let scripts: Vec<&str> = files
            .iter()
            .map(|f| f.path.as_str())
            .filter(|p| p.ends_with(".js") || p.ends_with(".pagefind"))
            .collect();
        assert!(scripts.iter().all(|p| !p.contains("shard-")), "{scripts:?}");
        assert!(scripts.contains(&"pagefind/pagefind.js"), "{scripts:?}");
        // The same records give the same files.
        let again = bundle_shards(
            &test_pool(),
            (0..9)
                .map(|i| {
                    record(
                        &format!("articles/a{i}/index.html"),
                        "Niger uranium",
                        "article",
                    )
                })
                .collect(),
            "en",
            3,
            1,
            None,
        )
        .unwrap();
        let paths = |f: &[OutputFile]| f.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
        assert_eq!(paths(&files), paths(&again));
    }

    #[test]
    fn every_page_can_be_ordered_newest_first_or_by_title() {
        let mut e = Entry::new(Kind::Actor, Section::Actors, "emile", "Émile Zola");
        let undated = e.record();
        assert_eq!(undated.sort["date"], UNDATED);
        assert_eq!(undated.sort["title"], "emile-zola");
        e = Entry::new(Kind::Article, Section::Articles, "a", "Coup in Niger");
        e.date = Some("2023-07-26".into());
        let dated = e.record();
        assert_eq!(dated.sort["date"], "2023-07-26");
        assert_eq!(dated.meta["date"], "2023-07-26");
        // By title, as the actors list orders them: "Émile" before "Zinder".
        let zinder = Entry::new(Kind::Actor, Section::Actors, "z", "Zinder").record();
        assert!(undated.sort["title"] < zinder.sort["title"]);
    }

    #[test]
    fn every_kind_is_a_filter_value_the_search_page_names() {
        let e = Entry::new(Kind::Page, Section::Articles, "about", "About us");
        let r = e.record();
        assert_eq!(r.filters["kind"], vec!["page".to_string()]);
        assert_eq!(r.meta["kind"], "page");
        assert!(r.content.contains("About us"));
        // The script pairs each kind with a label the search page gives
        // in the site's language (`data-t-kinds`, `data-t-kind-names`).
        let script = include_str!("../../static/search.js");
        let kinds: Vec<String> = Kind::ALL
            .iter()
            .map(|k| format!("\"{}\"", k.as_str()))
            .collect();
        let pairs = format!("pairs([{}], \"kinds\")", kinds.join(", "));
        assert!(script.contains(&pairs), "static/search.js lacks {pairs}");
        let page = include_str!("../../templates/search.html");
        for attribute in ["data-t-kinds=\"", "data-t-kind-names=\""] {
            let at = page.find(attribute).expect(attribute) + attribute.len();
            let labels = &page[at..at + page[at..].find('"').unwrap()];
            assert_eq!(labels.split('|').count(), Kind::ALL.len(), "{attribute}");
        }
    }

    #[test]
    fn an_index_built_again_after_an_edit_is_the_index_of_the_edited_site() {
        let site = |edited: &str| -> Vec<Record> {
            (0..6)
                .map(|i| {
                    let text = if i == 4 { edited } else { "Niger uranium" };
                    record(&format!("articles/a{i}/index.html"), text, "article")
                })
                .collect()
        };
        let mut cache = ShardCache::default();
        let first = bundle_shards(
            &test_pool(),
            site("Niger uranium"),
            "en",
            2,
            1,
            Some(&mut cache),
        )
        .unwrap();
        assert!(cache.shards.len() > 1);
        let kept = cache.shards.clone();
        let again = bundle_shards(
            &test_pool(),
            site("Zinder gold"),
            "en",
            2,
            1,
            Some(&mut cache),
        )
        .unwrap();
        let fresh = bundle_shards(&test_pool(), site("Zinder gold"), "en", 2, 1, None).unwrap();
        let bytes = |f: &[OutputFile]| -> Vec<(String, Vec<u8>)> {
            f.iter()
                .map(|f| (f.path.clone(), f.bytes.clone()))
                .collect()
        };
        assert_eq!(bytes(&again), bytes(&fresh));
        assert_ne!(bytes(&again), bytes(&first));
        // One shard changed, the others are as they were.
        let changed = kept
            .iter()
            .zip(&cache.shards)
            .filter(|(a, b)| a.0 != b.0)
            .count();
        assert_eq!(changed, 1);
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
