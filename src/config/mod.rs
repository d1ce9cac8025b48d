//! `site.toml`: the site's settings. Every key is optional and defaulted;
//! an unknown key is an error that names it, so typos never pass silently.

use std::path::Path;

use serde::Deserialize;
use url::Url;

use crate::diagnostics::{did_you_mean, Diagnostic, SourceFile};

mod base_url;
mod toml_errors;
mod translations;

pub use base_url::{base_url_problems, framed_base_url_problems, parse_base_url, BaseUrlProblem};
pub(crate) use toml_errors::{rewrite_serde_message, toml_error, unknown_field_help};
pub use translations::LanguageSettings;

/// The settings of one site, after defaults are applied.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute URL of the deployed site; used only where a URL must be
    /// absolute (feed, sitemap, canonical links, structured data).
    pub base_url: String,
    pub language: String,
    /// Every language the site publishes, the default (`language`) first
    /// after parsing; one entry for a single-language site. Each language
    /// but the default gets its own tree under `<language>/`.
    pub languages: Vec<String>,
    pub output_dir: String,
    pub know_heading: String,
    pub autolink: bool,
    /// Default bylines for articles that name no `authors`.
    pub authors: Vec<String>,
    pub search: SearchConfig,
    pub images: ImagesConfig,
    pub publisher: Publisher,
    /// Set when `base_url` was not given, so the build can say so.
    #[serde(skip)]
    pub base_url_defaulted: bool,
    /// `base_url` parsed, to join absolute URLs with.
    #[serde(skip)]
    pub base: Url,
    /// What happens to raw HTML in Markdown bodies.
    pub raw_html: RawHtml,
    /// Items per page of every paginated list (the archive, topics, an
    /// actor's "Appears in", the explainers, the timeline); 0 puts each
    /// list on one page.
    pub paginate: usize,
    /// The site's own values for its templates (`[extra]`, any TOML),
    /// which every template sees as `extra`.
    pub extra: toml::Table,
    /// Overrides of interface strings (`[strings]`), checked and applied
    /// by [`crate::i18n::load`].
    pub strings: toml::Table,
    /// Each other language's own `title` and `description`
    /// (`[translations.fr]`), by tag; see [`Config::translation`].
    pub translations: std::collections::BTreeMap<String, LanguageSettings>,
    /// Whether `know_heading` was left out, so the interface language's
    /// heading is used.
    #[serde(skip)]
    pub know_heading_defaulted: bool,
    /// The interface in `language`, with the site's overrides (set by
    /// `load::load_settings`; English until then).
    #[serde(skip)]
    pub interface: std::sync::Arc<crate::i18n::Interface>,
    /// The interfaces of the other `languages`, in their order (set by
    /// `load::load_settings`; see [`Config::translation`]).
    #[serde(skip)]
    pub language_interfaces: Vec<std::sync::Arc<crate::i18n::Interface>>,
    /// The folder of this language's tree under the output root: empty
    /// for the default language, `fr/` for another (see
    /// [`Config::translation`]).
    #[serde(skip)]
    pub tree: String,
    /// The error for an `output_dir` that resolves outside the site
    /// folder, reported unless `--output` overrides it (see
    /// [`Config::load`]).
    #[serde(skip)]
    pub output_dir_outside: Option<Diagnostic>,
}

/// The policy for raw HTML in Markdown bodies (`raw_html` in `site.toml`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Passed through as written: the newsroom's own embeds.
    #[default]
    Trusted,
    /// Cleaned with an allow-list of embed tags and attributes: no
    /// scripts, event handlers or script URLs.
    Sanitize,
    /// Every raw HTML block or inline tag is an error.
    Deny,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    pub enabled: bool,
}

/// Responsive images (`[images]` in `site.toml`): the widths, in CSS
/// pixels, each raster image of a body, a lead image or an actor photo is
/// resized to (never above its own width), the encoders' quality (1-100),
/// the `sizes` attribute, and whether published images keep their
/// location and device metadata (off: removed, see `media::strip`).
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields, default)]
pub struct ImagesConfig {
    pub widths: Vec<u32>,
    /// Read wider than the encoders' `u8`, so a value above 255 gets the
    /// range's message, not the type's.
    pub quality: u32,
    pub sizes: String,
    pub keep_metadata: bool,
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig {
            widths: vec![480, 800, 1200, 1600],
            quality: 80,
            sizes: "(min-width: 48rem) 44rem, 100vw".into(),
            keep_metadata: false,
        }
    }
}

impl ImagesConfig {
    /// The widths an image may be resized to: WebP's largest side is
    /// 16,383 px (libwebp's `WEBP_MAX_DIMENSION`).
    pub const WIDTHS: std::ops::RangeInclusive<u32> = 1..=16_383;
    /// The encoders' quality scale.
    pub const QUALITY: std::ops::RangeInclusive<u32> = 1..=100;

    /// The first value out of its range: its key, the value as written
    /// (to point at it) and the message naming the allowed range.
    pub fn out_of_range(&self) -> Option<(&'static str, String, String)> {
        if self.widths.is_empty() {
            return Some((
                "widths",
                String::new(),
                "[images] widths must list at least one width".into(),
            ));
        }
        let (lo, hi) = (Self::WIDTHS.start(), Self::WIDTHS.end());
        if let Some(w) = self.widths.iter().find(|w| !Self::WIDTHS.contains(w)) {
            return Some((
                "widths",
                w.to_string(),
                format!("[images] widths: {w} is out of range; each width must be from {lo} to {hi} pixels"),
            ));
        }
        if !Self::QUALITY.contains(&self.quality) {
            return Some((
                "quality",
                self.quality.to_string(),
                format!(
                    "[images] quality {} is out of range; it must be from {} to {}",
                    self.quality,
                    Self::QUALITY.start(),
                    Self::QUALITY.end()
                ),
            ));
        }
        if self.sizes.trim().is_empty() {
            return Some((
                "sizes",
                String::new(),
                "[images] sizes must not be empty: it is the `sizes` attribute of every responsive image".into(),
            ));
        }
        None
    }
}

/// The default of a key of `[images]`, as written in `site.toml`.
fn default_images(key: &str) -> String {
    let d = ImagesConfig::default();
    match key {
        "widths" => format!("widths = {:?}", d.widths),
        "quality" => format!("quality = {}", d.quality),
        _ => format!("sizes = \"{}\"", d.sizes),
    }
}

/// The organisation that publishes the site, for structured data.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Publisher {
    pub name: String,
    /// Path under `static/` or an absolute URL.
    pub logo: String,
}

pub const DEFAULT_BASE_URL: &str = "http://127.0.0.1:1111/";

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Explainer".into(),
            description: String::new(),
            base_url: DEFAULT_BASE_URL.into(),
            language: "en".into(),
            languages: vec!["en".into()],
            output_dir: "public".into(),
            know_heading: "What You Should Know".into(),
            autolink: true,
            authors: Vec::new(),
            search: SearchConfig::default(),
            images: ImagesConfig::default(),
            publisher: Publisher::default(),
            base_url_defaulted: true,
            base: Url::parse(DEFAULT_BASE_URL).expect("the default base URL parses"),
            raw_html: RawHtml::Trusted,
            paginate: 30,
            extra: toml::Table::new(),
            strings: toml::Table::new(),
            translations: Default::default(),
            know_heading_defaulted: true,
            interface: Default::default(),
            language_interfaces: Vec::new(),
            tree: String::new(),
            output_dir_outside: None,
        }
    }
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

/// Whether `tag` is a BCP 47 language tag as this site reads them: a
/// language of two or three letters, then subtags of one to eight
/// letters or digits (`en`, `pt-BR`, `zh-Hant-TW`), joined by `-`.
pub fn is_language_tag(tag: &str) -> bool {
    tag.split('-').all(|part| {
        !part.is_empty() && part.len() <= 8 && part.chars().all(|c| c.is_ascii_alphanumeric())
    }) && tag
        .split('-')
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()))
}

/// The hint on the bad language code `tag`: the tag it was meant to be
/// when it is one written with `_` (`en_US`, the POSIX locale spelling,
/// for `en-US`), else which codes are accepted.
pub fn language_tag_help(tag: &str) -> String {
    let dashed = tag.replace('_', "-");
    if dashed != tag && is_language_tag(&dashed) {
        return format!(
            "did you mean \"{dashed}\"? A language tag joins its parts with `-`, not `_`"
        );
    }
    accepted_tags()
}

/// The hint on a bad language code: which codes are accepted.
pub fn accepted_tags() -> String {
    format!(
        "a language is a BCP 47 tag: two or three letters, then an optional region or script \
         (\"fr\", \"pt-BR\"); the built-in interface languages are {}, and any other needs its \
         own i18n/<language>.toml",
        crate::i18n::LANGUAGES.join(", ")
    )
}

/// `languages` checked: language tags, each once, holding `language`.
/// Returns them with the default language first (the others in the
/// order written), or `[language]` when the key is absent, and the
/// problems, each at its entry: a bad or repeated entry is left out.
/// `language_given` says whether `language` was written (and is a tag),
/// so a list without it is an error.
fn check_languages(
    file: &SourceFile,
    config: &Config,
    given: bool,
    language_given: bool,
) -> (Vec<String>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    if !given {
        return (vec![config.language.clone()], problems);
    }
    let text = 0..file.text.len();
    let at_value = |value: &str, message: String| {
        let span =
            crate::load::front_matter::locate_value(&file.text, text.clone(), "languages", value);
        Diagnostic::at(file, span, message)
    };
    if config.languages.is_empty() {
        let span = crate::load::front_matter::locate_key(&file.text, text.clone(), "languages");
        problems.push(
            Diagnostic::at(file, span, "languages must list at least one language").with_help(
                format!("for example languages = [\"{}\", \"fr\"]", config.language),
            ),
        );
    }
    let mut seen: Vec<&str> = Vec::new();
    for tag in &config.languages {
        if !is_language_tag(tag) {
            problems.push(
                at_value(
                    tag,
                    format!(
                        "\"{tag}\" in languages is not a language tag like \"en\" or \"pt-BR\""
                    ),
                )
                .with_help(language_tag_help(tag)),
            );
            continue;
        }
        if seen.iter().any(|s| s.eq_ignore_ascii_case(tag)) {
            problems.push(at_value(
                tag,
                format!("\"{tag}\" is listed twice in languages"),
            ));
            continue;
        }
        seen.push(tag);
    }
    if language_given && !seen.is_empty() && !seen.contains(&config.language.as_str()) {
        let span = crate::load::front_matter::locate_key(&file.text, text, "languages");
        problems.push(
            Diagnostic::at(
                file,
                span,
                format!(
                    "languages does not list the default language \"{}\" (`language`)",
                    config.language
                ),
            )
            .with_help(format!(
                "add \"{}\" to languages, or set language to one of them",
                config.language
            )),
        );
    }
    let mut ordered = vec![config.language.clone()];
    ordered.extend(
        seen.into_iter()
            .filter(|t| *t != config.language)
            .map(String::from),
    );
    (ordered, problems)
}

/// The top-level keys of `site.toml`.
const TOP_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "languages",
    "output_dir",
    "know_heading",
    "autolink",
    "authors",
    "search",
    "images",
    "publisher",
    "raw_html",
    "paginate",
    "extra",
    "strings",
    "translations",
];

/// Whether `key` is a top-level key of `site.toml` (for the hint on one
/// written below a table header).
pub(crate) fn is_top_key(key: &str) -> bool {
    TOP_KEYS.contains(&key)
}

/// The keys of each table of `site.toml`.
const TABLE_KEYS: &[(&str, &[&str])] = &[
    ("search", &["enabled"]),
    ("images", &["widths", "quality", "sizes", "keep_metadata"]),
    ("publisher", &["name", "logo"]),
    ("translations", translations::KEYS),
];

/// Every key of `site.toml`, at the top level or in a table, for
/// did-you-mean on a parse error.
fn every_key() -> Vec<&'static str> {
    let tables = TABLE_KEYS.iter().flat_map(|(_, keys)| keys.iter());
    TOP_KEYS.iter().chain(tables).copied().collect()
}

impl Config {
    /// Reads `site.toml` from the site root; a missing file means all
    /// defaults.
    ///
    /// Returns the settings, the file as read (`None` when it is absent
    /// or could not be read as text) and every problem of the file, in
    /// one run: with problems, the settings hold the defaults in place of
    /// the values at fault and must not be used to write anything.
    ///
    /// `site.toml` travels with the content, so it is not trusted with
    /// paths: a `site.toml` that is a symbolic link out of the site is
    /// refused unread, and an `output_dir` that resolves (after `..` and
    /// symbolic links) outside the site folder is recorded in
    /// `output_dir_outside`: a folder outside needs `--output` on the
    /// command line.
    pub fn load(root: &Path) -> (Config, Option<SourceFile>, Vec<Diagnostic>) {
        let path = root.join("site.toml");
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            let site = crate::write::absolutize(root);
            if let Some(d) = crate::load::link_out_of_site(&site, root, &path) {
                return (Config::default(), None, vec![d]);
            }
        }
        let (mut config, file, problems) = match Config::read(&path) {
            Ok(None) => (Config::default(), None, Vec::new()),
            Ok(Some(file)) => {
                let (config, problems) = Config::parse(&file);
                (config, Some(file), problems)
            }
            Err(d) => (Config::default(), None, vec![d]),
        };
        let out = crate::write::absolutize(&root.join(&config.output_dir));
        if !out.starts_with(crate::write::absolutize(root)) {
            config.output_dir_outside = Some(outside_site(root, &config.output_dir, &out));
        }
        (config, file, problems)
    }

    /// The text of `site.toml`, checked for characters no output may
    /// carry; `None` when there is no such file.
    fn read(path: &Path) -> Result<Option<SourceFile>, Diagnostic> {
        match std::fs::read(path) {
            Ok(bytes) => {
                let text = match String::from_utf8(bytes) {
                    Ok(t) => t,
                    Err(e) => {
                        return Err(crate::load::invalid_utf8(
                            Path::new("site.toml"),
                            e.as_bytes(),
                            e.utf8_error(),
                        ))
                    }
                };
                let file = SourceFile::new("site.toml", crate::load::normalize_text(text));
                crate::load::characters::check_xml_characters(&file)?;
                crate::load::characters::check_bidi_controls(&file)?;
                crate::load::characters::check_escapes(
                    &file,
                    0..file.text.len(),
                    crate::load::front_matter::Format::Toml,
                )?;
                Ok(Some(file))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Diagnostic::in_file(
                Path::new("site.toml"),
                1,
                1,
                format!("cannot read site.toml: {e}"),
            )),
        }
    }

    /// Parses and checks the text of a `site.toml`: the settings, and
    /// every problem of the file (syntax errors, unknown keys, values of
    /// the wrong type or out of range), each at its place. A value at
    /// fault is replaced by its default, so the rest is still checked.
    pub fn parse(file: &SourceFile) -> (Config, Vec<Diagnostic>) {
        use crate::load::front_matter;
        let split = front_matter::whole_file(file);
        let (config, problems) = front_matter::parse::<Config>(file, &split, &every_key());
        let mut problems: Vec<Diagnostic> = problems
            .into_iter()
            .map(|d| in_its_table(file, d))
            .collect();
        let mut config = config.unwrap_or_default();
        // The keys written, read from the text without its broken lines.
        let given = front_matter::toml_without_syntax_errors(file, &[])
            .0
            .and_then(|text| text.parse::<toml::Table>().ok())
            .unwrap_or_default();
        config.base_url_defaulted = !given.contains_key("base_url");
        config.know_heading_defaulted = !given.contains_key("know_heading");
        let all = 0..file.text.len();
        let at_key = |key: &str, message: String| {
            let span = front_matter::locate_key(&file.text, all.clone(), key);
            Diagnostic::at(file, span, message)
        };
        let at_value = |key: &str, value: &str, message: String| {
            let span = front_matter::locate_value(&file.text, all.clone(), key, value);
            Diagnostic::at(file, span, message)
        };
        let defaults = Config::default();
        match base_url_problems(&config.base_url) {
            Ok(url) => {
                config.base_url = url.to_string();
                config.base = url;
            }
            Err(found) => {
                let value = front_matter::locate_value(
                    &file.text,
                    all.clone(),
                    "base_url",
                    &config.base_url,
                );
                // The part at fault, where the value is written as it
                // reads (no escapes); else the whole value.
                let as_written = file.text.get(value.clone()) == Some(config.base_url.as_str());
                for p in found {
                    let span = match as_written {
                        true => value.start + p.at.start..value.start + p.at.end,
                        false => value.clone(),
                    };
                    problems.push(Diagnostic::at(file, span, p.message).with_help(p.help));
                }
                config.base_url = defaults.base_url.clone();
                config.base = defaults.base.clone();
            }
        }
        let out = config.output_dir.trim();
        if out.is_empty() {
            problems.push(at_key("output_dir", "output_dir must not be empty".into()));
            config.output_dir = defaults.output_dir.clone();
        } else if out == "~" || out.starts_with("~/") || out.starts_with("~\\") {
            problems.push(at_value(
                "output_dir",
                &config.output_dir,
                "output_dir starts with `~`, which is not expanded: it would be a folder named `~` inside the site".into(),
            )
            .with_help("write a path inside the site, such as output_dir = \"public\"; for a folder elsewhere pass --output on the command line"));
            config.output_dir = defaults.output_dir.clone();
        }
        // Each value out of range, then its default in its place, so the
        // next one is found (a bounded loop: there are four keys).
        // Widths written but all set aside after their own problems (`[30.5]`)
        // leave an empty list that was not written empty.
        let widths_written = (given.get("images"))
            .and_then(|t| t.get("widths"))
            .and_then(|w| w.as_array())
            .is_some_and(|w| !w.is_empty());
        for _ in 0..4 {
            let Some((key, value, message)) = config.images.out_of_range() else {
                break;
            };
            if key == "widths" && value.is_empty() && widths_written {
                config.images.widths = ImagesConfig::default().widths;
                continue;
            }
            // Inside the `[images]` table when there is one.
            let table = front_matter::locate_key(&file.text, all.clone(), "images");
            let from = if file.text.get(table.clone()) == Some("images") {
                table.start
            } else {
                0
            };
            let span = front_matter::locate_value(&file.text, from..all.end, key, &value);
            problems.push(
                Diagnostic::at(file, span, message)
                    .with_help(format!("the default is {}", default_images(key))),
            );
            let d = ImagesConfig::default();
            match key {
                "widths" => config.images.widths = d.widths,
                "quality" => config.images.quality = d.quality,
                _ => config.images.sizes = d.sizes,
            }
        }
        if config.know_heading.trim().is_empty() {
            problems.push(at_key(
                "know_heading",
                "know_heading must not be empty".into(),
            ));
            config.know_heading = defaults.know_heading.clone();
            config.know_heading_defaulted = true;
        }
        if !given.contains_key("language") {
            if let Some(first) = config.languages.first() {
                config.language = first.clone();
            }
        }
        let language_ok = is_language_tag(&config.language);
        // Without `language`, the default is the first of `languages`,
        // whose entries are checked (and reported) below.
        if !language_ok {
            if given.contains_key("language") {
                problems.push(
                    at_value(
                        "language",
                        &config.language,
                        format!(
                            "language \"{}\" is not a language tag like \"en\" or \"pt-BR\"",
                            config.language
                        ),
                    )
                    .with_help(language_tag_help(&config.language)),
                );
            }
            config.language = defaults.language.clone();
        }
        let (languages, more) = check_languages(
            file,
            &config,
            given.contains_key("languages"),
            language_ok && given.contains_key("language"),
        );
        config.languages = languages;
        problems.extend(more);
        problems.extend(translations::check(
            file,
            &config.translations,
            &config.language,
            &config.languages,
        ));
        (config, problems)
    }

    /// Whether the site publishes more than one language.
    pub fn is_multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// The settings of the tree of `languages[index]` (not the default):
    /// its language and interface, its folder `<language>/` as `tree`,
    /// and `base_url` that folder's URL, so every absolute URL of its
    /// pages (canonical, feed, structured data) is under it.
    pub fn translation(&self, index: usize) -> Config {
        let mut c = self.clone();
        c.language = self.languages[index].clone();
        c.tree = format!("{}/", c.language);
        let own = (self.translations.iter())
            .find(|(tag, _)| tag.eq_ignore_ascii_case(&c.language))
            .map(|(_, settings)| settings);
        if let Some(words) = self.language_interfaces.get(index - 1) {
            c.interface = words.clone();
            // The top-level `know_heading` is the default language's
            // words: another language's pages use its own heading.
            let own_heading = own.and_then(|o| o.know_heading.clone());
            c.know_heading_defaulted = own_heading.is_none();
            c.know_heading = own_heading.unwrap_or_else(|| words.text("know_heading").to_string());
        }
        if let Some(title) = own.and_then(|o| o.title.clone()) {
            c.title = title;
        }
        if let Some(description) = own.and_then(|o| o.description.clone()) {
            c.description = description;
        }
        if let Ok(base) = self.base.join(&c.tree) {
            c.base_url = base.to_string();
            c.base = base;
        }
        c.language_interfaces = Vec::new();
        c
    }

    /// The way from this language's tree up to the output root, where the
    /// theme's assets, `static/` and page bundles' files are published:
    /// `../` in another language's tree, else nothing.
    pub fn up_to_root(&self) -> &'static str {
        if self.tree.is_empty() {
            ""
        } else {
            "../"
        }
    }

    /// `[extra]` as templates see it: TOML dates and times become their
    /// RFC 3339 text (`2024-05-01`, `2024-05-01T09:30:00+02:00`) instead
    /// of the TOML crate's private wrapper object.
    pub fn extra_for_templates(&self) -> serde_json::Value {
        fn convert(value: &toml::Value) -> serde_json::Value {
            match value {
                toml::Value::String(s) => s.clone().into(),
                toml::Value::Integer(i) => (*i).into(),
                toml::Value::Float(f) => (*f).into(),
                toml::Value::Boolean(b) => (*b).into(),
                toml::Value::Datetime(d) => d.to_string().into(),
                toml::Value::Array(items) => items.iter().map(convert).collect(),
                toml::Value::Table(table) => table_to_json(table),
            }
        }
        fn table_to_json(table: &toml::Table) -> serde_json::Value {
            table
                .iter()
                .map(|(k, v)| (k.clone(), convert(v)))
                .collect::<serde_json::Map<_, _>>()
                .into()
        }
        table_to_json(&self.extra)
    }

    /// The path part of `base_url` (`/` or `/repo/`), for pages such as
    /// `404.html` that a host serves at arbitrary URLs.
    pub fn base_path(&self) -> &str {
        self.base.path()
    }
}

/// The error for an `output_dir` that resolves to `out`, outside the site
/// at `root`: at its value in `site.toml`.
fn outside_site(root: &Path, output_dir: &str, out: &Path) -> Diagnostic {
    let text = std::fs::read_to_string(root.join("site.toml"))
        .map(crate::load::normalize_text)
        .unwrap_or_default();
    let file = SourceFile::new("site.toml", text);
    let span = crate::load::front_matter::locate_value(
        &file.text,
        0..file.text.len(),
        "output_dir",
        output_dir,
    );
    Diagnostic::at(
        &file,
        span,
        format!(
            "output_dir \"{output_dir}\" is outside the site folder (it is {}): site.toml travels with the content, so it may only name a folder inside the site",
            out.display()
        ),
    )
    .with_help(format!(
        "to build into a folder outside the site, pass it on the command line: explainer build --output {}",
        out.display()
    ))
}

/// An unknown key of `site.toml` that sits inside a table is named with
/// its table, and a top-level key written after a table header is told
/// so: TOML puts every key below `[publisher]` into that table, which is
/// easy to miss when the key is `autolink`.
fn in_its_table(file: &SourceFile, mut d: Diagnostic) -> Diagnostic {
    // A key of a nested table (`[translations.fr]`) is named with it
    // already, with that table's keys as the hint (see `front_matter`).
    if d.message.contains("` in the `[") && d.message.contains('.') {
        return d;
    }
    let Some(key) = d
        .message
        .strip_prefix("unknown key `")
        .and_then(|r| r.split('`').next())
        .map(str::to_string)
    else {
        return d;
    };
    let before = &file.text[..file.line_start(d.line)];
    let Some(table) = before.lines().rev().find_map(|l| {
        let l = l.trim();
        let name = l.strip_prefix('[')?.trim_start_matches('[');
        Some(name[..name.find(']')?].trim().to_string())
    }) else {
        return d;
    };
    d.message = format!("unknown key `{key}` in the `[{table}]` table");
    // `[translations.fr]` takes the keys of `translations`.
    let kind = table.split('.').next().unwrap_or(&table);
    let table_keys = TABLE_KEYS
        .iter()
        .find(|(t, _)| *t == kind)
        .map_or(&[][..], |(_, k)| *k);
    d.help = if TOP_KEYS.contains(&key.as_str()) {
        Some(format!(
            "`{key}` is a top-level key, but here it sits inside the `[{table}]` table: \
             move it above `[{table}]` (top-level keys must come before the first table)"
        ))
    } else {
        did_you_mean(&key, table_keys.iter().copied())
    };
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The settings, or the first problem of the file.
    fn parse(text: &str) -> Result<Config, Diagnostic> {
        match problems(text) {
            (config, p) if p.is_empty() => Ok(config),
            (_, p) => Err(p.into_iter().next().expect("a problem")),
        }
    }

    fn problems(text: &str) -> (Config, Vec<Diagnostic>) {
        Config::parse(&SourceFile::new("site.toml", text.to_string()))
    }

    fn places(problems: &[Diagnostic]) -> Vec<(usize, usize, &str)> {
        problems
            .iter()
            .map(|d| (d.line, d.column, d.message.as_str()))
            .collect()
    }

    #[test]
    fn type_errors_say_what_a_value_must_be_in_plain_words() {
        for (serde, plain) in [
            (
                "invalid type: string \"ten\", expected usize",
                "must be a whole number (0 or more), not the string \"ten\"",
            ),
            (
                "invalid value: integer `-1`, expected u8",
                "must be a whole number from 0 to 255, not -1",
            ),
            (
                "invalid type: integer `3`, expected a string",
                "must be a string, not 3",
            ),
            (
                "invalid type: string \"yes\", expected a boolean",
                "must be true or false, not the string \"yes\"",
            ),
            (
                "invalid type: string \"en\", expected a sequence",
                "must be a list, not the string \"en\"",
            ),
            (
                "invalid type: floating point `1.5`, expected i64",
                "must be a whole number, not 1.5",
            ),
            (
                "invalid type: sequence, expected struct Publisher",
                "must be a table, not a list",
            ),
            (
                "invalid type: map, expected f64",
                "must be a number, not a table",
            ),
        ] {
            assert_eq!(rewrite_serde_message(serde), plain);
        }
        // A number too large for TOML says so, with no Rust type name.
        let (_, large) = problems("paginate = 99999999999999999999\n");
        assert_eq!(large.len(), 1, "{large:?}");
        assert_eq!(
            large[0].message,
            "the number 99999999999999999999 is too large: TOML's whole numbers go to \
             9223372036854775807"
        );
        assert_eq!(
            rewrite_serde_message(
                "invalid type: integer `-99999999999999999999` as i128, expected any valid TOML value"
            ),
            "the number -99999999999999999999 is too small: TOML's whole numbers go to \
             -9223372036854775808"
        );
        // No Rust type name reaches a reader.
        let (_, problems) =
            problems("paginate = \"ten\"\n[images]\nquality = 1.5\nwidths = [\"a\"]\n");
        for d in &problems {
            for rust in [
                "usize",
                "u8",
                "u32",
                "i64",
                "sequence",
                "boolean",
                "invalid type",
            ] {
                assert!(!d.message.contains(rust), "{}", d.message);
            }
        }
    }

    #[test]
    fn a_language_written_with_an_underscore_is_given_the_dashed_tag() {
        assert_eq!(
            language_tag_help("en_US"),
            "did you mean \"en-US\"? A language tag joins its parts with `-`, not `_`"
        );
        assert_eq!(
            language_tag_help("e_s"),
            accepted_tags(),
            "no tag with a dash either"
        );
        assert_eq!(language_tag_help("f r"), accepted_tags());
        let (_, problems) = problems("language = \"en_US\"\nlanguages = [\"en-US\", \"pt_BR\"]\n");
        let helps: Vec<_> = problems.iter().map(|d| d.help.as_deref()).collect();
        assert_eq!(
            helps,
            [
                Some("did you mean \"en-US\"? A language tag joins its parts with `-`, not `_`"),
                Some("did you mean \"pt-BR\"? A language tag joins its parts with `-`, not `_`"),
            ],
            "{problems:#?}"
        );
    }

    #[test]
    fn every_problem_of_the_file_in_one_run() {
        let text = "title = \"T\"\n\
                    titel = \"x\"\n\
                    base_url = \"/news\"\n\
                    paginate = \"ten\"\n\
                    language = \"f r\"\n\
                    languages = [\"en\", \"e_s\", \"en\"]\n\
                    know_heading = \" \"\n\
                    title = \"again\"\n\
                    [images]\n\
                    quality = 0\n\
                    sizes = \"\"\n\
                    [search]\n\
                    enabld = true\n";
        let (config, problems) = problems(text);
        let places = places(&problems);
        let at = |line: usize| {
            places
                .iter()
                .find(|p| p.0 == line)
                .unwrap_or_else(|| panic!("no problem on line {line}: {places:#?}"))
        };
        assert!(at(2).2.contains("unknown key `titel`"), "{places:#?}");
        assert_eq!(at(3).1, 13, "at the value of base_url");
        assert_eq!(
            at(4).2,
            "`paginate` must be a whole number (0 or more), not the string \"ten\""
        );
        assert_eq!(
            (at(5).1, at(5).2),
            (
                13,
                "language \"f r\" is not a language tag like \"en\" or \"pt-BR\""
            )
        );
        let languages: Vec<_> = places.iter().filter(|p| p.0 == 6).collect();
        assert_eq!(languages.len(), 2, "{places:#?}");
        assert_eq!(languages[0].1, 21, "at the bad entry: {places:#?}");
        assert!(languages[0]
            .2
            .contains("\"e_s\" in languages is not a language tag"));
        assert!(languages[1].2.contains("listed twice"), "{places:#?}");
        assert!(at(7).2.contains("know_heading must not be empty"));
        assert!(at(8).2.contains("duplicate key"), "{places:#?}");
        assert!(at(10).2.contains("quality 0 is out of range"));
        assert!(at(11).2.contains("sizes must not be empty"));
        assert_eq!(
            at(13).2,
            "unknown key `enabld` in the `[search]` table",
            "{places:#?}"
        );
        assert_eq!(problems.len(), 11, "{places:#?}");
        let language = problems.iter().find(|d| d.line == 5).expect("language");
        let help = language.help.as_deref().unwrap_or_default();
        assert!(help.contains("en, fr, es, de, pt, ar"), "{help}");
        // The values at fault are replaced by their defaults.
        assert_eq!(
            (config.base_url.as_str(), config.language.as_str()),
            (DEFAULT_BASE_URL, "en")
        );
        assert_eq!(config.languages, ["en"]);
        assert_eq!((config.images.quality, config.paginate), (80, 30));
    }

    #[test]
    fn a_bad_first_language_is_reported_once_at_its_entry() {
        let (_, problems) = problems("languages = [\"e s\", \"fr\"]\n");
        assert_eq!(
            places(&problems),
            [(
                1,
                15,
                "\"e s\" in languages is not a language tag like \"en\" or \"pt-BR\""
            )]
        );
    }

    #[test]
    fn every_key_has_a_default() {
        let c = parse("").unwrap();
        assert_eq!(c.output_dir, "public");
        assert_eq!(c.know_heading, "What You Should Know");
        assert!(c.autolink && c.search.enabled && c.base_url_defaulted);
        assert_eq!(c.language, "en");
        assert_eq!(c.paginate, 30);
        assert_eq!(parse("paginate = 0\n").unwrap().paginate, 0);
        assert!(parse("paginate = -1\n").is_err());
    }

    #[test]
    fn languages_list_the_default_first() {
        let c = parse("").unwrap();
        assert_eq!(c.languages, ["en"]);
        assert!(!c.is_multilingual());
        let c = parse("language = \"fr\"\nlanguages = [\"en\", \"fr\", \"pt-BR\"]\n").unwrap();
        assert_eq!(
            (c.language.as_str(), c.languages.clone()),
            ("fr", vec!["fr".to_string(), "en".into(), "pt-BR".into()])
        );
        assert!(c.is_multilingual());
        // Without `language`, the first of `languages` is the default.
        let c = parse("languages = [\"es\", \"en\"]\n").unwrap();
        assert_eq!(c.language, "es");
    }

    #[test]
    fn languages_without_the_default_or_with_a_bad_tag_are_located() {
        let e = parse("language = \"de\"\nlanguages = [\"en\", \"fr\"]\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 1), "{e:?}");
        assert!(e.message.contains("\"de\""), "{}", e.message);
        let e = parse("languages = [\"en\", \"f r\"]\n").unwrap_err();
        assert!(e.line == 1 && e.message.contains("\"f r\""), "{e:?}");
        let e = parse("languages = [\"en\", \"en\"]\n").unwrap_err();
        assert!(e.message.contains("twice"), "{}", e.message);
        assert!(parse("languages = []\n").is_err());
    }

    #[test]
    fn unknown_key_is_named_with_a_suggestion() {
        let e = parse("title = \"x\"\ntitel = \"y\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 1));
        assert!(e.message.contains("unknown key `titel`"), "{}", e.message);
        assert_eq!(e.help.as_deref(), Some("did you mean \"title\"?"));
    }

    #[test]
    fn toml_syntax_errors_are_worded_for_the_line_with_a_hint() {
        // (text, line, column, message, help)
        for (text, line, column, message, help) in [
            (
                "[images\nquality = 80\n",
                1,
                1,
                "table header `[images` is not closed",
                "a table header ends with `]`: write `[images]`",
            ),
            (
                "[]\n",
                1,
                1,
                "table header `[]` has no name",
                "a table header is a name between brackets: `[images]`, `[search]`",
            ),
            (
                "[[images]\n",
                1,
                1,
                "table header `[[images]` is not closed",
                "a table header ends with `]]`: write `[[images]]`",
            ),
            (
                "title = \"x\nlanguage = \"en\"\n",
                1,
                9,
                "string is not closed",
                "a \"...\" string ends with `\"` on the same line; text over several lines goes between \"\"\" and \"\"\"",
            ),
            (
                "title = 'x\n",
                1,
                9,
                "string is not closed",
                "a '...' string ends with `'` on the same line; text over several lines goes between ''' and '''",
            ),
            (
                "title = \"a\"\ntitle = \"b\"\n",
                2,
                1,
                "duplicate key `title`",
                "`title` is already set on line 1: keep one of the two",
            ),
            (
                "title \"a\"\n",
                1,
                7,
                "key `title` has no `=`",
                "write the key, `=`, then the value: title = \"...\"",
            ),
            (
                "title =\n",
                1,
                8,
                "key `title` has no value",
                "write its value after `=`: title = \"...\"",
            ),
            (
                "title = The desk\n",
                1,
                9,
                "text must be quoted",
                "write title = \"The desk\" (true, false, numbers, dates and lists are written as they are)",
            ),
        ] {
            let (_, problems) = problems(text);
            assert_eq!(problems.len(), 1, "{text:?}: {problems:#?}");
            let e = &problems[0];
            assert_eq!(
                (e.line, e.column, e.message.as_str(), e.help.as_deref()),
                (line, column, message, Some(help)),
                "{text:?}"
            );
        }
    }

    #[test]
    fn the_keys_below_a_broken_table_header_are_not_unknown_keys() {
        let (_, problems) = problems(
            "title = \"T\"\n[images\nquality = 80\nwidths = [400]\n[search]\nenabld = true\n",
        );
        let messages: Vec<&str> = problems.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "table header `[images` is not closed",
                "unknown key `enabld` in the `[search]` table"
            ]
        );
    }

    #[test]
    fn a_quote_inside_a_string_gets_a_hint() {
        let e = parse("title = \"He said \"no\"\"\n").unwrap_err();
        assert_eq!(e.line, 1);
        let help = e.help.unwrap();
        assert!(
            help.contains(r#"\""#) && help.contains("single quotes"),
            "{help}"
        );
        let e = parse("title = 'It's'\n").unwrap_err();
        assert!(e.help.unwrap().contains("double quotes"));
        let e = parse("title = \"x\" y\n").unwrap_err();
        assert_eq!(
            e.help.as_deref(),
            Some("write one key = value per line; a `#` starts a comment"),
            "a stray word after a whole string is another mistake"
        );
    }

    #[test]
    fn base_url_must_be_absolute_and_gets_a_slash() {
        let e = parse("base_url = \"/news\"\n").unwrap_err();
        assert_eq!(e.line, 1);
        let c = parse("base_url = \"https://x.org/repo\"\n").unwrap();
        assert_eq!(c.base_url, "https://x.org/repo/");
        assert_eq!(c.base_path(), "/repo/");
        assert!(!c.base_url_defaulted);
    }

    #[test]
    fn base_url_is_a_real_url_normalised_by_the_url_rules() {
        let c = parse("base_url = \"HTTPS://News.Example.ORG:443/Repo\"\n").unwrap();
        assert_eq!(c.base_url, "https://news.example.org/Repo/");
        assert_eq!(c.base.as_str(), c.base_url);
        assert_eq!(c.base_path(), "/Repo/");
        let c = parse("base_url = \"http://127.0.0.1:8080\"\n").unwrap();
        assert_eq!(
            (c.base_url.as_str(), c.base_path()),
            ("http://127.0.0.1:8080/", "/")
        );
    }

    #[test]
    fn base_url_refusals_name_the_problem_at_the_value() {
        // (value, message, the part of it underlined)
        for (url, expected, underlined) in [
            (
                "https://x.org/news/?ref=feed",
                "must not have a query string (\"?ref=feed\")",
                "?ref=feed",
            ),
            ("https://x.org/?", "must not have a query string", "?"),
            (
                "https://x.org/news/#top",
                "must not have a fragment (\"#top\")",
                "#top",
            ),
            ("https://", "has no host", ""),
            ("http://:80/", "has no host", ""),
            // The URL rules would take `path` as the host, and repair the
            // missing slashes: the text must say `scheme://host` itself.
            ("https:///path", "has no host", ""),
            ("https:ex.org", "must be written as scheme://host", "https:"),
            (
                "https:/ex.org/",
                "must be written as scheme://host",
                "https:/",
            ),
            // Written with TOML escapes, the value is underlined whole.
            (
                "https:\\\\ex.org/",
                "must be written as scheme://host",
                "https:\\\\ex.org/",
            ),
            (
                "ftp://x.org/",
                "must use http or https, not \"ftp:\"",
                "ftp",
            ),
            (
                "javascript:alert(1)//",
                "must use http or https",
                "javascript",
            ),
            ("/news/", "must be an absolute http(s) URL", "/news/"),
            ("https://x.org//news/", "empty path segment (\"//\")", "//"),
            ("https://x.org/a//b/", "empty path segment", "//"),
            (
                "https://user:secret@x.org/",
                "user name or password",
                "user:secret@",
            ),
            ("https://x.org/a b/", "spaces or control characters", " "),
            (
                "https://x.org/\\tb/",
                "spaces or control characters",
                "https://x.org/\\tb/",
            ),
        ] {
            let e = parse(&format!("title = \"T\"\nbase_url = \"{url}\"\n")).unwrap_err();
            assert!(e.message.contains(expected), "{url}: {}", e.message);
            // A missing host is pointed at where it goes.
            let from = match underlined {
                "" => url.find("://").unwrap() + 3,
                // Past the scheme's `//`.
                "//" => url.rfind("//").unwrap(),
                part => url.find(part).unwrap(),
            };
            assert_eq!(
                (e.line, e.column, e.width),
                (2, 13 + from, underlined.len().max(1)),
                "{url}: at {underlined:?}"
            );
        }
        // `--base-url` goes through the same rule.
        assert!(parse_base_url("https:///path").is_err());
        assert!(parse_base_url("https:ex.org").is_err());
        assert!(parse_base_url("https://ex.org").is_ok());
    }

    #[test]
    fn every_problem_of_a_base_url_in_one_run() {
        let (config, problems) = problems("base_url = \"ftp://me@x.org//news/?ref=feed#top\"\n");
        let found: Vec<(usize, usize, &str)> = problems
            .iter()
            .map(|d| (d.column, d.width, d.message.as_str()))
            .collect();
        let at = |part: &str| 13 + "ftp://me@x.org//news/?ref=feed#top".find(part).unwrap();
        assert_eq!(found.len(), 5, "{found:#?}");
        for (i, (part, words)) in [
            ("ftp", "must use http or https"),
            ("me@", "user name or password"),
            ("?ref=feed", "query string"),
            ("#top", "fragment"),
            ("//news", "empty path segment"),
        ]
        .into_iter()
        .enumerate()
        {
            let width = if part == "//news" { 2 } else { part.len() };
            assert_eq!((found[i].0, found[i].1), (at(part), width), "{part}");
            assert!(found[i].2.contains(words), "{part}: {}", found[i].2);
        }
        // The default stands in, so the rest of the site is still checked.
        assert_eq!(config.base_url, Config::default().base_url);
        // `--base-url` names them all too.
        let message = parse_base_url("ftp://me@x.org/?a").unwrap_err();
        assert!(
            message.contains("http or https")
                && message.contains("user name")
                && message.contains("query"),
            "{message}"
        );
    }

    #[test]
    fn a_base_url_without_a_host_has_its_other_problems_reported_too() {
        let value = "ftp://user@?x";
        let (_, problems) = problems(&format!("base_url = \"{value}\"\n"));
        let found: Vec<(usize, usize, &str)> = problems
            .iter()
            .map(|d| (d.column, d.width, d.message.as_str()))
            .collect();
        let at = |part: &str| 13 + value.find(part).unwrap();
        assert_eq!(found.len(), 4, "{found:#?}");
        // The missing host is pointed at where it belongs, after `user@`.
        assert_eq!(
            (found[0].0, found[0].2),
            (at("?"), "base_url \"ftp://user@?x\" has no host")
        );
        for (i, (part, words)) in [
            ("ftp", "must use http or https"),
            ("user@", "user name or password"),
            ("?x", "query string"),
        ]
        .into_iter()
        .enumerate()
        {
            assert_eq!(
                (found[i + 1].0, found[i + 1].1),
                (at(part), part.len()),
                "{part}"
            );
            assert!(found[i + 1].2.contains(words), "{part}: {}", found[i + 1].2);
        }
        let (_, bare) = super::tests::problems("base_url = \"https://\"\n");
        assert_eq!(bare.len(), 1, "{bare:?}");
    }

    #[test]
    fn images_values_out_of_range_are_refused_at_their_place() {
        let at = |text: &str| {
            let e = parse(text).unwrap_err();
            (e.line, e.column, e.message, e.help.unwrap_or_default())
        };
        let (line, column, message, help) =
            at("title = \"T\"\n[extra]\nwidths = 5\n[images]\nwidths = [480, 0, 800]\n");
        assert_eq!((line, column), (5, 16), "at the 0 of [images]");
        assert!(message.contains("from 1 to 16383 pixels"), "{message}");
        assert!(help.contains("480, 800, 1200, 1600"), "{help}");
        let (line, column, message, _) = at("[images]\nwidths = [20000]\n");
        assert_eq!((line, column), (2, 11));
        assert!(message.contains("20000 is out of range"), "{message}");
        let (line, _, message, _) = at("[images]\nwidths = []\n");
        assert_eq!(line, 2);
        assert!(message.contains("at least one width"), "{message}");
        for q in ["0", "101", "255", "300", "70000"] {
            let (line, column, message, _) = at(&format!("[images]\nquality = {q}\n"));
            assert_eq!((line, column), (2, 11), "{q}");
            assert!(message.contains("from 1 to 100"), "{q}: {message}");
        }
        let (line, _, message, _) = at("[images]\nsizes = \" \"\n");
        assert_eq!(line, 2);
        assert!(message.contains("sizes must not be empty"), "{message}");
        let c = parse("[images]\nwidths = [1, 16383]\nquality = 100\n").unwrap();
        assert_eq!((c.images.widths, c.images.quality), (vec![1, 16383], 100));
        // Widths set aside after their own problem do not make the list
        // "empty" as well.
        let (_, problems) = problems("[images]\nwidths = [30.5]\n");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("whole number"), "{problems:?}");
    }

    #[test]
    fn raw_html_policy_is_one_of_three() {
        assert_eq!(parse("").unwrap().raw_html, RawHtml::Trusted);
        assert_eq!(
            parse("raw_html = \"sanitize\"\n").unwrap().raw_html,
            RawHtml::Sanitize
        );
        assert_eq!(
            parse("raw_html = \"deny\"\n").unwrap().raw_html,
            RawHtml::Deny
        );
        let e = parse("raw_html = \"strip\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (1, 12));
        assert!(
            e.message.contains("trusted")
                && e.message.contains("sanitize")
                && e.message.contains("deny"),
            "{}",
            e.message
        );
    }

    #[test]
    fn nested_tables_refuse_unknown_keys() {
        let e = parse("[search]\nenabld = false\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert_eq!(e.message, "unknown key `enabld` in the `[search]` table");
        assert_eq!(e.help.as_deref(), Some("did you mean \"enabled\"?"));
    }

    #[test]
    fn a_top_level_key_below_a_table_is_told_where_it_sits() {
        for (text, line, table) in [
            (
                "[publisher]\nname = \"P\"\nautolink = false\n",
                3,
                "publisher",
            ),
            (
                "title = \"x\"\n[search]\nenabled = true\n\nbase_url = \"https://x.org/\"\n",
                5,
                "search",
            ),
        ] {
            let e = parse(text).unwrap_err();
            assert_eq!((e.line, e.column), (line, 1), "{text}");
            assert!(
                e.message.ends_with(&format!("in the `[{table}]` table")),
                "{}",
                e.message
            );
            let help = e.help.unwrap();
            assert!(
                help.contains(&format!("inside the `[{table}]` table")),
                "{help}"
            );
            assert!(
                help.contains("top-level keys must come before the first table"),
                "{help}"
            );
            assert!(!help.contains("did you mean"), "{help}");
        }
    }
}
