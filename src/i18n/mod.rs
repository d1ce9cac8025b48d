//! The interface language: the words the theme shows around the content
//! ("Key actors", "Updated", "3 articles") and the way it writes dates
//! ("25 mars 2024"), chosen by `language` in `site.toml`.
//!
//! The built-in translations are data files in this folder (`en.toml`,
//! `fr.toml`, ...), one key a line, embedded in the binary. A language
//! tag (BCP 47) falls back from the most specific table to its language:
//! `en-GB` reads `en-GB.toml` (only what differs: the date order) over
//! `en.toml`; `fr-CA` reads `fr.toml`. A site overrides any key in
//! `i18n/<language>.toml` (and `i18n/<tag>.toml`) of its own folder, then
//! in the `[strings]` table of `site.toml`; an unknown key there is an
//! error at its place, with did-you-mean.
//!
//! Counts take the plural form CLDR's rules give for the language (ICU4X's
//! `icu_plurals`: English has `one` and `other`, Arabic six forms); month
//! names come from the language's locale in glibc's data (chrono's
//! `unstable-locales`), so `ar-LB` writes the Levantine month names.
//!
//! ```
//! use explainer::i18n::Interface;
//! use chrono::NaiveDate;
//!
//! let fr = Interface::builtin("fr-CA").unwrap();
//! assert_eq!(fr.text("key_actors"), "Acteurs clés");
//! assert_eq!(fr.plural("topic_count", 3), "3 articles");
//! assert_eq!(fr.date(NaiveDate::from_ymd_opt(2024, 3, 25).unwrap()), "25 mars 2024");
//! assert_eq!(Interface::builtin("ar").unwrap().direction(), "rtl");
//! ```
//!
//! Templates ask for words with the Tera function `t` (see
//! [`Interface::tera_function`]); views ask with [`Interface::text`],
//! [`Interface::plural`] and [`Interface::date`]. Every call names the
//! language it speaks through the `Interface` it holds, so a page in
//! another language only needs another `Interface`.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use chrono::format::{Item, StrftimeItems};
use chrono::NaiveDate;
use icu_plurals::{PluralCategory, PluralRules};
use serde::Serialize;

use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics, SourceFile};
use crate::model::PartialDate;

/// The built-in tables: (language tag, file text). The first is English,
/// the reference the others follow key for key.
const BUILTIN: &[(&str, &str)] = &[
    ("en", include_str!("en.toml")),
    ("en-GB", include_str!("en-GB.toml")),
    ("fr", include_str!("fr.toml")),
    ("es", include_str!("es.toml")),
    ("de", include_str!("de.toml")),
    ("pt", include_str!("pt.toml")),
    ("ar", include_str!("ar.toml")),
];

/// The languages shipped complete (every key translated).
pub const LANGUAGES: &[&str] = &["en", "fr", "es", "de", "pt", "ar"];

/// Right-to-left languages (by primary language subtag): the page gets
/// `dir="rtl"`.
const RTL: &[&str] = &["ar", "fa", "he", "ur", "ps", "yi", "dv", "ckb", "sd", "ug"];

/// The keys whose values are dates patterns (strftime), checked when a
/// site overrides them.
const DATE_KEYS: [&str; 2] = ["date_format", "month_year_format"];

/// The locale (glibc name) whose month names a language uses when its tag
/// names no region, or a region glibc does not know for it.
const DEFAULT_REGION: &[(&str, &str)] = &[
    ("en", "en_US"),
    ("fr", "fr_FR"),
    ("es", "es_ES"),
    ("de", "de_DE"),
    ("pt", "pt_BR"),
    ("ar", "ar_EG"),
];

/// One interface string: plain text, or one text per CLDR plural
/// category (`zero`, `one`, `two`, `few`, `many`, `other`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Message {
    Text(String),
    Plural(BTreeMap<String, String>),
}

/// The interface in one language: every string, the plural rules and the
/// locale of its dates.
#[derive(Clone)]
pub struct Interface {
    /// The tag as the site wrote it (`fr-CA`), for `<html lang>`.
    tag: String,
    messages: BTreeMap<String, Message>,
    plurals: Arc<PluralRules>,
    locale: chrono::Locale,
    /// `date_format` and `month_year_format`, parsed once: parsing a
    /// pattern cost more than formatting a day with it.
    date_items: DateItems,
    rtl: bool,
}

/// The parsed patterns of [`DATE_KEYS`], in its order.
type DateItems = [Vec<chrono::format::Item<'static>>; 2];

impl std::fmt::Debug for Interface {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Interface")
            .field("tag", &self.tag)
            .field("messages", &self.messages.len())
            .finish()
    }
}

impl Default for Interface {
    fn default() -> Self {
        Interface::builtin("en").expect("the English table parses")
    }
}

/// What goes into a page's fingerprint: everything that changes output.
impl Serialize for Interface {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (&self.tag, &self.messages).serialize(s)
    }
}

/// Each built-in language's key-points heading (`know_heading`), by tag
/// of [`LANGUAGES`], read once: a body heading that is another
/// language's is reported rather than left in the body unnoticed.
pub fn know_headings() -> &'static [(&'static str, String)] {
    static HEADINGS: std::sync::OnceLock<Vec<(&'static str, String)>> = std::sync::OnceLock::new();
    HEADINGS.get_or_init(|| {
        (LANGUAGES.iter())
            .filter_map(|&l| Some((l, Interface::builtin(l)?.text("know_heading").to_string())))
            .collect()
    })
}

/// A language's name in that language, for the language switcher
/// (`Français` for `fr`, `Português` for `pt-BR`); the tag itself for a
/// language without a built-in table.
pub fn endonym(tag: &str) -> String {
    let primary = tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
    match primary.as_str() {
        "en" => "English",
        "fr" => "Français",
        "es" => "Español",
        "de" => "Deutsch",
        "pt" => "Português",
        "ar" => "العربية",
        _ => tag,
    }
    .to_string()
}

/// Whether `tag` is written right to left (`dir="rtl"`).
pub fn is_rtl(tag: &str) -> bool {
    let primary = tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
    RTL.contains(&primary.as_str())
}

/// The keys of the reference (English) table, in file order.
pub fn keys() -> Vec<&'static str> {
    BUILTIN[0]
        .1
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            (!l.starts_with('#') && l.contains('=')).then(|| l.split('=').next().unwrap().trim())
        })
        .collect()
}

/// A built-in table by its tag (`fr`, `en-GB`), parsed.
fn builtin_table(tag: &str) -> Option<BTreeMap<String, Message>> {
    let (_, text) = BUILTIN.iter().find(|(t, _)| t.eq_ignore_ascii_case(tag))?;
    let table: toml::Table = toml::from_str(text).expect("the built-in tables parse");
    Some(
        table
            .into_iter()
            .map(|(k, v)| {
                let m = message_of(&v).expect("the built-in tables hold strings");
                (k, m)
            })
            .collect(),
    )
}

fn message_of(value: &toml::Value) -> Option<Message> {
    match value {
        toml::Value::String(s) => Some(Message::Text(s.clone())),
        toml::Value::Table(t) => t
            .iter()
            .map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
            .collect::<Option<BTreeMap<_, _>>>()
            .map(Message::Plural),
        _ => None,
    }
}

/// The parts of a tag the tables are chosen by: (language, region), both
/// in their usual case (`pt`, `BR`). `None` when it is not a BCP 47 tag.
fn parse_tag(tag: &str) -> Option<(String, Option<String>)> {
    let id = icu_locale_core::LanguageIdentifier::try_from_str(tag).ok()?;
    if id.language.is_unknown() {
        return None;
    }
    Some((
        id.language.as_str().to_string(),
        id.region.map(|r| r.as_str().to_string()),
    ))
}

impl Interface {
    /// The built-in interface for a BCP 47 tag: its region's table over
    /// its language's (`en-GB` over `en`). `None` for a language without a
    /// built-in translation (see [`LANGUAGES`]) or a malformed tag.
    pub fn builtin(tag: &str) -> Option<Interface> {
        let (language, region) = parse_tag(tag)?;
        let mut messages = builtin_table(&language)?;
        if let Some(region) = &region {
            if let Some(regional) = builtin_table(&format!("{language}-{region}")) {
                messages.extend(regional);
            }
        }
        Some(Interface::new(tag, &language, region.as_deref(), messages))
    }

    fn new(
        tag: &str,
        language: &str,
        region: Option<&str>,
        messages: BTreeMap<String, Message>,
    ) -> Interface {
        let locale = region
            .and_then(|r| chrono::Locale::try_from(format!("{language}_{r}").as_str()).ok())
            .or_else(|| {
                DEFAULT_REGION
                    .iter()
                    .find(|(l, _)| *l == language)
                    .and_then(|(_, name)| chrono::Locale::try_from(*name).ok())
            })
            .or_else(|| {
                // The language's own country (`it_IT`, `ja_JP`), else the
                // C locale (English month names).
                let name = format!("{language}_{}", language.to_ascii_uppercase());
                chrono::Locale::try_from(name.as_str()).ok()
            })
            .unwrap_or(chrono::Locale::POSIX);
        let plurals = icu_locale_core::LanguageIdentifier::try_from_str(language)
            .ok()
            .and_then(|id| {
                PluralRules::try_new_cardinal(icu_locale_core::Locale::from(id).into()).ok()
            })
            .or_else(|| PluralRules::try_new_cardinal(Default::default()).ok())
            .expect("the root plural rules are compiled in");
        let parsed = |key: &str| {
            let pattern = match messages.get(key) {
                Some(Message::Text(s)) => s.as_str(),
                _ => "",
            };
            chrono::format::StrftimeItems::new_with_locale(pattern, locale)
                .parse_to_owned()
                // Patterns are checked when they load (`check_date_pattern`).
                .unwrap_or_else(|_| vec![chrono::format::Item::Error])
        };
        let date_items = DATE_KEYS.map(parsed);
        Interface {
            tag: tag.to_string(),
            messages,
            plurals: Arc::new(plurals),
            date_items,
            locale,
            rtl: RTL.contains(&language),
        }
    }

    /// The language tag as written in `site.toml` (`fr-CA`).
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// The note after a link to a page in `language` (a tag such as
    /// `en`), which this language has no translation of: `(in English)`,
    /// `(en anglais)`. A language without a built-in name here is named by
    /// its own name, else its tag.
    pub fn fallback_note(&self, language: &str) -> String {
        let primary = language
            .split('-')
            .next()
            .unwrap_or(language)
            .to_ascii_lowercase();
        let key = format!("language_name_{primary}");
        let name = match self.messages.get(&key) {
            Some(Message::Text(name)) => name.clone(),
            _ => endonym(language),
        };
        let args = HashMap::from([("language", name)]);
        self.format("fallback_note", None, &args)
            .unwrap_or_default()
    }

    /// `rtl` or `ltr`, for `<html dir>`.
    pub fn direction(&self) -> &'static str {
        if self.rtl {
            "rtl"
        } else {
            "ltr"
        }
    }

    /// A plain string by key; for a plural key, its `other` form. Empty
    /// for an unknown key (keys are checked when templates render and
    /// when the tables load; views use only keys of `en.toml`).
    pub fn text(&self, key: &str) -> &str {
        match self.messages.get(key) {
            Some(Message::Text(s)) => s,
            Some(Message::Plural(forms)) => forms.get("other").map_or("", String::as_str),
            None => {
                debug_assert!(false, "unknown interface string {key}");
                ""
            }
        }
    }

    /// The form of a plural key for `count`, with `{count}` filled in.
    pub fn plural(&self, key: &str, count: u64) -> String {
        self.format(key, Some(count), &HashMap::new())
            .unwrap_or_default()
    }

    /// A string with its `{name}` placeholders filled from `args` (and
    /// `{count}` from `count`, which also picks the plural form).
    ///
    /// Errors: the key is unknown (with did-you-mean), or a placeholder has
    /// no value.
    pub fn format(
        &self,
        key: &str,
        count: Option<u64>,
        args: &HashMap<&str, String>,
    ) -> Result<String, String> {
        let Some(message) = self.messages.get(key) else {
            let mut m = format!("unknown interface string \"{key}\"");
            if let Some(help) = did_you_mean(key, self.messages.keys().map(String::as_str)) {
                m.push_str(&format!(" ({help})"));
            }
            return Err(m);
        };
        let text = match (message, count) {
            (Message::Text(s), _) => s.as_str(),
            (Message::Plural(forms), Some(n)) => {
                let category = category_name(self.plurals.category_for(n));
                forms
                    .get(category)
                    .or_else(|| forms.get("other"))
                    .map_or("", String::as_str)
            }
            (Message::Plural(_), None) => {
                return Err(format!(
                    "interface string \"{key}\" depends on a number, so t() needs a count argument"
                ))
            }
        };
        fill(text, |name| match (name, count) {
            ("count", Some(n)) => Some(n.to_string()),
            _ => args.get(name).cloned(),
        })
        .map_err(|name| format!("interface string \"{key}\" needs a value for {{{name}}}"))
    }

    /// Names joined as the language lists them: "A, B and C".
    pub fn list<S: AsRef<str>>(&self, items: &[S]) -> String {
        let mut out = String::new();
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push_str(if i + 1 == items.len() {
                    self.text("list_last_separator")
                } else {
                    self.text("list_separator")
                });
            }
            out.push_str(item.as_ref());
        }
        out
    }

    /// A day as the language writes it: "March 25, 2024", "25 mars 2024".
    pub fn date(&self, day: NaiveDate) -> String {
        self.strftime(day, &self.date_items[0])
    }

    /// A date as precise as it is known: "2023", "mars 2023" or
    /// "25 mars 2023".
    pub fn partial_date(&self, date: PartialDate) -> String {
        let day = |m: u8, d: u8| NaiveDate::from_ymd_opt(date.year, m.into(), d.into());
        match (date.month, date.day) {
            (Some(m), Some(d)) => day(m, d).map(|x| self.date(x)),
            (Some(m), None) => day(m, 1).map(|x| self.strftime(x, &self.date_items[1])),
            _ => None,
        }
        .unwrap_or_else(|| date.year.to_string())
    }

    fn strftime(&self, day: NaiveDate, items: &[chrono::format::Item<'static>]) -> String {
        let mut out = String::new();
        // Patterns are checked when they load (`check_date_pattern`); one
        // that still cannot format a day (a time field) writes the ISO day.
        let shown = day.format_localized_with_items(items.iter(), self.locale);
        if write!(out, "{shown}").is_err() {
            return day.format("%Y-%m-%d").to_string();
        }
        out
    }

    /// The Tera function `t`: `t(key="updated")`,
    /// `t(key="topic_count", count=3)`, `t(key="byline", authors=["A", "B"])`
    /// (a list argument is joined with [`Interface::list`]). The optional
    /// `lang` argument is reserved for pages in another language; today
    /// it must be the site's.
    pub fn tera_function(self: &Arc<Self>) -> impl tera::Function {
        let interface = Arc::clone(self);
        move |args: &HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
            let key = match args.get("key") {
                Some(tera::Value::String(k)) => k.as_str(),
                _ => return Err("t() needs key=\"...\", the name of an interface string".into()),
            };
            if let Some(lang) = args.get("lang").and_then(tera::Value::as_str) {
                if !lang.eq_ignore_ascii_case(interface.tag()) {
                    return Err(format!(
                        "t(lang=\"{lang}\") is not this site's interface language, \"{}\"",
                        interface.tag()
                    )
                    .into());
                }
            }
            // `forms=true`: the string's plural forms as an object
            // (category to text, placeholders left in), for a script
            // that picks the form itself (`Intl.PluralRules`).
            if args.get("forms").and_then(tera::Value::as_bool) == Some(true) {
                return match interface.messages.get(key) {
                    Some(Message::Plural(forms)) => {
                        tera::to_value(forms).map_err(tera::Error::from)
                    }
                    Some(Message::Text(text)) => Ok(serde_json::json!({ "other": text })),
                    None => interface
                        .format(key, None, &HashMap::new())
                        .map(tera::Value::String)
                        .map_err(tera::Error::msg),
                };
            }
            let count = match args.get("count") {
                None => None,
                Some(v) => Some(v.as_u64().ok_or_else(|| {
                    tera::Error::msg(format!(
                        "count of interface string \"{key}\" must be a whole number, not {v}"
                    ))
                })?),
            };
            let mut values = HashMap::new();
            for (name, value) in args {
                if matches!(name.as_str(), "key" | "count" | "lang" | "forms") {
                    continue;
                }
                let text = match value {
                    tera::Value::String(s) => s.clone(),
                    tera::Value::Array(items) => {
                        let items: Vec<String> = items.iter().map(plain).collect();
                        interface.list(&items)
                    }
                    other => plain(other),
                };
                values.insert(name.as_str(), text);
            }
            interface
                .format(key, count, &values)
                .map(tera::Value::String)
                .map_err(tera::Error::msg)
        }
    }
}

/// A JSON value as text: strings without their quotes.
fn plain(value: &tera::Value) -> String {
    match value {
        tera::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// CLDR's name of a plural category.
fn category_name(c: PluralCategory) -> &'static str {
    match c {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

const CATEGORIES: &[&str] = &["zero", "one", "two", "few", "many", "other"];

/// The `{name}` placeholders of a string, in order.
fn placeholders(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        if let Some(close) = rest.find('}') {
            let name = &rest[..close];
            if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                names.push(name);
                rest = &rest[close + 1..];
            }
        }
    }
    names
}

/// `text` with each `{name}` replaced by `value(name)`; the first name
/// without a value is the error.
fn fill(text: &str, value: impl Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    for name in placeholders(text) {
        let marker = format!("{{{name}}}");
        let at = rest.find(&marker).expect("placeholders come from the text");
        out.push_str(&rest[..at]);
        out.push_str(&value(name).ok_or_else(|| name.to_string())?);
        rest = &rest[at + marker.len()..];
    }
    out.push_str(rest);
    Ok(out)
}

/// A strftime pattern that formats a day without error, or the message
/// saying why not.
fn check_date_pattern(key: &str, pattern: &str) -> Result<(), String> {
    use chrono::format::{Fixed, Numeric};
    let items: Vec<Item> = StrftimeItems::new(pattern).collect();
    if items.iter().any(|i| matches!(i, Item::Error)) {
        return Err(format!("\"{pattern}\" is not a valid date pattern"));
    }
    let sample = NaiveDate::from_ymd_opt(2024, 3, 25).expect("a real day");
    let mut out = String::new();
    write!(out, "{}", sample.format(pattern))
        .map_err(|_| format!("\"{pattern}\" asks for more than a day (a time or an offset)"))?;
    let has = |wanted: &dyn Fn(&Item) -> bool| items.iter().any(wanted);
    let day = has(&|i| matches!(i, Item::Numeric(Numeric::Day, _)));
    let month = has(&|i| {
        matches!(
            i,
            Item::Numeric(Numeric::Month, _)
                | Item::Fixed(Fixed::ShortMonthName | Fixed::LongMonthName)
        )
    });
    let year = has(&|i| matches!(i, Item::Numeric(Numeric::Year, _)));
    // `date_format` writes a whole day; `month_year_format` a month.
    let whole_day = key != "month_year_format";
    if !(month && year && (day || !whole_day)) {
        let what = if whole_day {
            "the day, the month and the year"
        } else {
            "the month and the year"
        };
        return Err(format!("\"{pattern}\" does not write {what} (`{key}`)"));
    }
    Ok(())
}

/// One override: its key and value with their places in a file.
struct Override {
    key: String,
    key_span: Range<usize>,
    value: toml::Value,
    value_span: Range<usize>,
}

/// Reads the `[strings]` table of `site.toml` (or a whole
/// `i18n/<lang>.toml`) with the places of its keys, and the problems of
/// the file: every syntax error of an `i18n/<lang>.toml` (its broken
/// lines are left out, so the keys of the others are still checked).
/// Those of `site.toml` are the configuration's to report
/// ([`crate::config::Config::parse`]), so they are not returned again.
fn overrides_in(file: &SourceFile, table: Option<&str>) -> (Vec<Override>, Vec<Diagnostic>) {
    type Spanned<T> = toml::Spanned<T>;
    type Entries = BTreeMap<Spanned<String>, Spanned<toml::Value>>;
    let (text, mut problems) = crate::load::front_matter::toml_without_syntax_errors(file, &keys());
    let Some(text) = text else {
        if table.is_some() {
            problems.clear();
        }
        return (Vec::new(), problems);
    };
    let entries: Entries = match table {
        None => match toml::from_str(&text) {
            Ok(entries) => entries,
            Err(e) => {
                problems.push(crate::config::toml_error(file, 0, &e, &keys()));
                return (Vec::new(), problems);
            }
        },
        Some(_) => {
            problems.clear();
            // Only `[strings]` is read here; the rest of site.toml is the
            // configuration's, checked there (a `strings` that is not a
            // table too).
            #[derive(serde::Deserialize)]
            struct Only {
                #[serde(default)]
                strings: Entries,
            }
            match toml::from_str::<Only>(&text) {
                Ok(only) => only.strings,
                Err(_) => return (Vec::new(), problems),
            }
        }
    };
    let overrides = entries
        .into_iter()
        .map(|(k, v)| Override {
            key_span: k.span(),
            key: k.into_inner(),
            value_span: v.span(),
            value: v.into_inner(),
        })
        .collect();
    (overrides, problems)
}

/// Lays overrides from one file over `messages`, checking each against the
/// reference table: the key must exist, a plain string stays plain and a
/// plural one plural (with CLDR categories and an `other`), placeholders
/// are those the English string has, and a date pattern formats a day.
fn apply(
    messages: &mut BTreeMap<String, Message>,
    reference: &BTreeMap<String, Message>,
    file: &SourceFile,
    overrides: Vec<Override>,
    errors: &mut Diagnostics,
) {
    for o in overrides {
        let Some(english) = reference.get(&o.key) else {
            let help = if file.path == Path::new("site.toml") && crate::config::is_top_key(&o.key) {
                format!(
                    "`{}` is a top-level key, but here it sits inside the `[strings]` table: \
                     move it above `[strings]` (top-level keys must come before the first table)",
                    o.key
                )
            } else {
                did_you_mean(&o.key, reference.keys().map(String::as_str)).unwrap_or_else(|| {
                    "the keys are listed in TEMPLATES.md, under \"Interface strings\"".into()
                })
            };
            errors.push(
                Diagnostic::at(
                    file,
                    o.key_span.clone(),
                    format!("unknown interface string `{}`", o.key),
                )
                .with_help(help),
            );
            continue;
        };
        let at_value = |m: String| Diagnostic::at(file, o.value_span.clone(), m);
        let Some(message) = message_of(&o.value) else {
            errors.push(at_value(format!(
                "`{}` must be a string{}",
                o.key,
                if matches!(english, Message::Plural(_)) {
                    " or a table of plural forms like { one = \"...\", other = \"...\" }"
                } else {
                    ""
                }
            )));
            continue;
        };
        let mut allowed: Vec<&str> = match english {
            Message::Text(s) => placeholders(s),
            Message::Plural(forms) => forms.values().flat_map(|s| placeholders(s)).collect(),
        };
        // Each once, in the order of first use (plural forms repeat them).
        let mut seen = Vec::with_capacity(allowed.len());
        allowed.retain(|p| {
            !seen.contains(p) && {
                seen.push(*p);
                true
            }
        });
        let texts: Vec<&String> = match &message {
            Message::Text(s) => vec![s],
            Message::Plural(forms) => {
                if let Message::Text(_) = english {
                    errors.push(at_value(format!(
                        "`{}` takes no count: write it as a single string",
                        o.key
                    )));
                    continue;
                }
                if let Some(bad) = forms.keys().find(|c| !CATEGORIES.contains(&c.as_str())) {
                    errors.push(
                        at_value(format!("`{bad}` is not a plural category")).with_help(
                            "the CLDR categories are zero, one, two, few, many and other",
                        ),
                    );
                    continue;
                }
                if !forms.contains_key("other") {
                    errors.push(at_value(format!(
                        "`{}` needs an `other` form, used for every count without its own",
                        o.key
                    )));
                    continue;
                }
                forms.values().collect()
            }
        };
        let unknown = texts
            .iter()
            .flat_map(|t| placeholders(t))
            .find(|p| !allowed.contains(p) && *p != "count");
        if let Some(p) = unknown {
            let help = if allowed.is_empty() {
                "this string takes no placeholders".to_string()
            } else {
                format!(
                    "its placeholders are {}",
                    allowed
                        .iter()
                        .map(|a| format!("{{{a}}}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            errors.push(
                at_value(format!("unknown placeholder {{{p}}} in `{}`", o.key)).with_help(help),
            );
            continue;
        }
        if DATE_KEYS.contains(&o.key.as_str()) {
            if let Err(m) = check_date_pattern(&o.key, texts[0]) {
                // `month_year_format` heads a month of the timeline.
                let help = match o.key.as_str() {
                    "month_year_format" => {
                        "write a chrono strftime pattern of the month and year, like \"%B %Y\""
                    }
                    _ => "write a chrono strftime pattern of the day, month and year, like \"%-d %B %Y\"",
                };
                errors.push(at_value(m).with_help(help));
                continue;
            }
        }
        // A plain string given for a plural key stands for every count.
        let message = match (english, message) {
            (Message::Plural(_), Message::Text(s)) => {
                Message::Plural(BTreeMap::from([("other".to_string(), s)]))
            }
            (_, m) => m,
        };
        messages.insert(o.key, message);
    }
}

/// The names (without `.toml`) of the files of `i18n/` that `language`
/// reads, in order: the bare language, the full tag, the tag as written.
fn file_names(language: &str) -> Vec<String> {
    match parse_tag(language) {
        Some((primary, region)) => {
            let full = match &region {
                Some(r) => format!("{primary}-{r}"),
                None => primary.clone(),
            };
            vec![primary, full, language.to_string()]
        }
        None => vec![language.to_string()],
    }
}

/// Every `i18n/*.toml` of the site that none of its `languages` reads
/// (see [`load`]: `i18n/it.toml` on a site without Italian, a misspelt
/// `i18n/fr_FR.toml`). Its strings would never be shown, so the file is
/// an error naming the languages the site publishes (a file name that is
/// no language tag says which are accepted), and its keys and values are
/// checked as a used file's are: an unknown key, a bad value or a syntax
/// error is an error at its place.
pub fn check_unread_files(root: &Path, languages: &[String]) -> Diagnostics {
    let mut errors = Diagnostics::new();
    let Ok(entries) = std::fs::read_dir(root.join("i18n")) else {
        return errors;
    };
    let read: Vec<String> = languages.iter().flat_map(|l| file_names(l)).collect();
    let mut paths: Vec<std::path::PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let reference = builtin_table("en").expect("English is built in");
    for path in paths {
        let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            continue;
        };
        let stem = name.strip_suffix(".toml").unwrap_or(&name);
        if stem.starts_with('.') || read.iter().any(|r| r == stem) {
            continue;
        }
        if let Ok(site) = root.canonicalize() {
            if let Some(d) = crate::load::link_out_of_site(&site, root, &path) {
                errors.push(d);
                continue;
            }
        }
        if !path.is_file() {
            continue;
        }
        let rel = Path::new("i18n").join(&name);
        errors.push(if crate::config::is_language_tag(stem) {
            Diagnostic::in_file(
                &rel,
                1,
                1,
                format!(
                    "\"{stem}\" in the file name {} is a language the site does not publish: its strings would never be shown",
                    rel.display()
                ),
            )
            .with_help(format!(
                "the site publishes {} (`language` and `languages` in site.toml), each reading \
                 i18n/<language>.toml and i18n/<language>-<REGION>.toml: add \"{stem}\" to languages, \
                 or rename or remove the file",
                languages.join(", ")
            ))
        } else {
            Diagnostic::in_file(
                &rel,
                1,
                1,
                format!(
                    "\"{stem}\" in the file name {} is not a language tag like \"en\" or \"pt-BR\"",
                    rel.display()
                ),
            )
            .with_help(crate::config::language_tag_help(stem))
        });
        match crate::load::read_source(root, &path) {
            Ok(file) => {
                let (o, problems) = overrides_in(&file, None);
                errors.extend(problems);
                apply(&mut BTreeMap::new(), &reference, &file, o, &mut errors);
            }
            Err(d) => errors.push(d),
        }
    }
    errors
}

/// The interface a site asks for: the built-in tables for `language`,
/// then the site's `i18n/<language>.toml` (first the bare language, then
/// the full tag: `i18n/fr.toml`, `i18n/fr-CA.toml`), then `[strings]` of
/// `site.toml`, each over the last.
///
/// A language without built-in tables is accepted only when the site's
/// own files translate every key (the error lists the missing ones); a
/// malformed tag is an error at its value in `site.toml`. Every problem
/// of every file is returned together.
pub fn load(
    root: &Path,
    language: &str,
    site_toml: Option<&SourceFile>,
) -> Result<Interface, Diagnostics> {
    load_language(root, language, site_toml, "language", true)
}

/// The interface of another language of a multilingual site (an entry of
/// `languages`): as [`load`], without `[strings]` (the default
/// language's), its problems located at its entry of `languages`.
pub fn load_translation(
    root: &Path,
    language: &str,
    site_toml: Option<&SourceFile>,
) -> Result<Interface, Diagnostics> {
    load_language(root, language, site_toml, "languages", false)
}

/// [`load`] with the key of `site.toml` that names `language`, and
/// whether `[strings]` applies.
fn load_language(
    root: &Path,
    language: &str,
    site_toml: Option<&SourceFile>,
    key: &str,
    strings: bool,
) -> Result<Interface, Diagnostics> {
    let mut errors = Diagnostics::new();
    let at_language = |message: String| match site_toml {
        Some(file) => {
            let span = crate::load::front_matter::locate_value(
                &file.text,
                0..file.text.len(),
                key,
                language,
            );
            Diagnostic::at(file, span, message)
        }
        None => Diagnostic::in_file(Path::new("site.toml"), 1, 1, message),
    };
    let Some((primary, region)) = parse_tag(language) else {
        errors.push(
            at_language(format!(
                "\"{language}\" in {key} is not a BCP 47 language tag like \"en\" or \"pt-BR\""
            ))
            .with_help(crate::config::language_tag_help(language)),
        );
        return Err(errors);
    };
    let reference = builtin_table("en").expect("English is built in");
    let builtin = Interface::builtin(language);
    let mut messages = builtin
        .as_ref()
        .map(|i| i.messages.clone())
        .unwrap_or_default();
    let mut own_files = Vec::new();
    let full = match &region {
        Some(r) => format!("{primary}-{r}"),
        None => primary.clone(),
    };
    for name in [primary.clone(), full.clone(), language.to_string()] {
        let path = root.join("i18n").join(format!("{name}.toml"));
        if own_files.contains(&path) || !path.is_file() {
            continue;
        }
        own_files.push(path.clone());
        if let Ok(site) = root.canonicalize() {
            if let Some(d) = crate::load::link_out_of_site(&site, root, &path) {
                errors.push(d);
                continue;
            }
        }
        match crate::load::read_source(root, &path) {
            Ok(file) => {
                let (o, problems) = overrides_in(&file, None);
                errors.extend(problems);
                apply(&mut messages, &reference, &file, o, &mut errors);
            }
            Err(d) => errors.push(d),
        }
    }
    if let Some(file) = site_toml.filter(|_| strings) {
        let (o, _) = overrides_in(file, Some("strings"));
        apply(&mut messages, &reference, file, o, &mut errors);
    }
    if builtin.is_none() {
        let missing: Vec<&str> = keys()
            .into_iter()
            .filter(|k| !messages.contains_key(*k))
            .collect();
        if !missing.is_empty() {
            errors.push(
                at_language(format!(
                    "language \"{language}\" has no built-in translation, and i18n/{primary}.toml does not translate {} of the {} interface strings (first: {})",
                    missing.len(),
                    reference.len(),
                    missing[..missing.len().min(5)].join(", ")
                ))
                .with_help(format!(
                    "the built-in languages are {}; for another, copy the keys of TEMPLATES.md's \"Interface strings\" into i18n/{primary}.toml and translate them",
                    LANGUAGES.join(", ")
                )),
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Interface::new(
        language,
        &primary,
        region.as_deref(),
        messages,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn every_language_has_exactly_the_english_keys() {
        let english: Vec<&str> = keys();
        let reference = builtin_table("en").unwrap();
        assert_eq!(english.len(), reference.len(), "one key a line in en.toml");
        for lang in LANGUAGES {
            let table = builtin_table(lang).unwrap();
            let mut theirs: Vec<&str> = table.keys().map(String::as_str).collect();
            let mut ours = english.clone();
            theirs.sort();
            ours.sort();
            assert_eq!(theirs, ours, "{lang}.toml has exactly the keys of en.toml");
            for (key, message) in &table {
                let english = &reference[key];
                assert_eq!(
                    matches!(message, Message::Plural(_)),
                    matches!(english, Message::Plural(_)),
                    "{lang}: {key} is plural exactly when the English one is"
                );
            }
        }
        // Regional tables hold only keys of the reference.
        for (tag, _) in BUILTIN {
            let table = builtin_table(tag).unwrap();
            assert!(table.keys().all(|k| reference.contains_key(k)), "{tag}");
        }
    }

    #[test]
    fn plural_strings_have_exactly_the_forms_of_their_language() {
        for lang in LANGUAGES {
            let interface = Interface::builtin(lang).unwrap();
            let mut wanted: Vec<&str> = interface.plurals.categories().map(category_name).collect();
            wanted.sort();
            for (key, message) in &interface.messages {
                if let Message::Plural(forms) = message {
                    let mut have: Vec<&str> = forms.keys().map(String::as_str).collect();
                    have.sort();
                    assert_eq!(have, wanted, "{lang}: the forms of {key}");
                }
            }
        }
    }

    #[test]
    fn placeholders_match_the_english_ones() {
        let reference = builtin_table("en").unwrap();
        let names = |m: &Message| -> Vec<String> {
            let mut v: Vec<String> = match m {
                Message::Text(s) => placeholders(s).into_iter().map(String::from).collect(),
                Message::Plural(f) => f
                    .values()
                    .flat_map(|s| placeholders(s))
                    .map(String::from)
                    .collect(),
            };
            v.sort();
            v.dedup();
            v.retain(|n| n != "count");
            v
        };
        for lang in LANGUAGES {
            for (key, message) in builtin_table(lang).unwrap() {
                assert_eq!(names(&message), names(&reference[&key]), "{lang}: {key}");
            }
        }
    }

    #[test]
    fn dates_are_written_in_each_language() {
        let d = day(2024, 3, 25);
        let cases = [
            ("en", "March 25, 2024"),
            ("en-GB", "25 March 2024"),
            ("fr", "25 mars 2024"),
            ("fr-CA", "25 mars 2024"),
            ("es", "25 de marzo de 2024"),
            ("de", "25. März 2024"),
            ("de-AT", "25. März 2024"),
            ("pt-BR", "25 de março de 2024"),
            ("ar", "25 مارس 2024"),
            ("ar-LB", "25 آذار 2024"),
        ];
        for (tag, want) in cases {
            assert_eq!(Interface::builtin(tag).unwrap().date(d), want, "{tag}");
        }
        let fr = Interface::builtin("fr").unwrap();
        let month = PartialDate {
            year: 2014,
            month: Some(8),
            day: None,
        };
        assert_eq!(fr.partial_date(month), "août 2014");
        let year = PartialDate {
            year: 2014,
            month: None,
            day: None,
        };
        assert_eq!(fr.partial_date(year), "2014");
        let es = Interface::builtin("es").unwrap();
        assert_eq!(es.partial_date(month), "agosto de 2014");
    }

    #[test]
    fn counts_take_the_languages_plural_forms() {
        let en = Interface::builtin("en").unwrap();
        assert_eq!(en.plural("topic_count", 1), "1 article");
        assert_eq!(en.plural("topic_count", 0), "0 articles");
        assert_eq!(en.plural("topic_count", 3), "3 articles");
        let fr = Interface::builtin("fr").unwrap();
        assert_eq!(
            fr.plural("topic_count", 0),
            "0 article",
            "French 0 is singular"
        );
        assert_eq!(fr.plural("topic_count", 1_000_000), "1000000 d’articles");
        let ar = Interface::builtin("ar").unwrap();
        let forms: Vec<String> = [0, 1, 2, 3, 11, 100]
            .iter()
            .map(|&n| ar.plural("topic_count", n))
            .collect();
        assert_eq!(
            forms,
            [
                "لا مقالات",
                "مقال واحد",
                "مقالان",
                "3 مقالات",
                "11 مقالًا",
                "100 مقال"
            ]
        );
    }

    #[test]
    fn tags_fall_back_to_their_language() {
        assert_eq!(
            Interface::builtin("pt-BR").unwrap().text("articles"),
            "Artigos"
        );
        assert_eq!(
            Interface::builtin("FR-ca").unwrap().text("articles"),
            "Articles"
        );
        assert_eq!(Interface::builtin("ar-EG").unwrap().direction(), "rtl");
        assert_eq!(Interface::builtin("de").unwrap().direction(), "ltr");
        assert!(Interface::builtin("ja").is_none());
        assert!(Interface::builtin("not a tag").is_none());
    }

    #[test]
    fn lists_join_in_the_language() {
        let en = Interface::builtin("en").unwrap();
        assert_eq!(en.list(&["A"]), "A");
        assert_eq!(en.list(&["A", "B"]), "A and B");
        assert_eq!(en.list(&["A", "B", "C"]), "A, B and C");
        let ar = Interface::builtin("ar").unwrap();
        assert_eq!(ar.list(&["أ", "ب", "ج"]), "أ، ب وج");
    }

    #[test]
    fn placeholders_are_filled_and_required() {
        let en = Interface::builtin("en").unwrap();
        let args = HashMap::from([("topic", "Niger".to_string())]);
        assert_eq!(
            en.format("topic_description", None, &args).unwrap(),
            "Articles about Niger."
        );
        let err = en
            .format("topic_description", None, &HashMap::new())
            .unwrap_err();
        assert!(err.contains("{topic}"), "{err}");
        let err = en
            .format("topic_cont", Some(1), &HashMap::new())
            .unwrap_err();
        assert!(err.contains("did you mean \"topic_count\""), "{err}");
        assert!(en.format("topic_count", None, &HashMap::new()).is_err());
    }

    #[test]
    fn date_patterns_are_checked() {
        assert!(check_date_pattern("date_format", "%-d %B %Y").is_ok());
        assert!(check_date_pattern("date_format", "%d/%m/%Y").is_ok());
        assert!(check_date_pattern("date_format", "%Q").is_err());
        assert!(
            check_date_pattern("date_format", "%d %B %Y %H:%M").is_err(),
            "a day has no time"
        );
        assert!(check_date_pattern("date_format", "%Y").is_err(), "no day");
        assert!(
            check_date_pattern("date_format", "%B %Y").is_err(),
            "no day"
        );
        assert!(check_date_pattern("month_year_format", "%B %Y").is_ok());
        assert!(check_date_pattern("month_year_format", "%Y").is_err());
    }

    fn site_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }

    fn load_site(dir: &Path, site_toml: &str, language: &str) -> Result<Interface, Diagnostics> {
        let file = SourceFile::new("site.toml", site_toml.to_string());
        load(dir, language, Some(&file))
    }

    #[test]
    fn overrides_layer_site_files_then_site_toml() {
        let dir = site_with(&[
            (
                "i18n/fr.toml",
                "key_actors = \"Les protagonistes\"\nbackground = \"Pour comprendre\"\n",
            ),
            ("i18n/fr-CA.toml", "background = \"Mise en contexte\"\n"),
        ]);
        let toml = "language = \"fr-CA\"\n[strings]\nlatest = \"En continu\"\ntopic_count = { one = \"{count} texte\", other = \"{count} textes\" }\n";
        let i = load_site(dir.path(), toml, "fr-CA").unwrap();
        assert_eq!(i.text("key_actors"), "Les protagonistes");
        assert_eq!(i.text("background"), "Mise en contexte");
        assert_eq!(i.text("latest"), "En continu");
        assert_eq!(i.plural("topic_count", 4), "4 textes");
        assert_eq!(i.text("sources"), "Sources", "the rest stays built in");
    }

    #[test]
    fn unknown_keys_are_errors_at_their_place() {
        let dir = site_with(&[("i18n/de.toml", "# ours\nkey_actor = \"Beteiligte\"\n")]);
        let toml = "language = \"de\"\n\n[strings]\nlatests = \"Neu\"\n";
        let errors = load_site(dir.path(), toml, "de").unwrap_err();
        let all: Vec<_> = errors.iter().collect();
        assert_eq!(all.len(), 2, "{all:?}");
        assert_eq!(all[0].path, Path::new("i18n/de.toml"));
        assert_eq!((all[0].line, all[0].column), (2, 1));
        assert_eq!(all[0].help.as_deref(), Some("did you mean \"key_actors\"?"));
        assert_eq!(all[1].path, Path::new("site.toml"));
        assert_eq!((all[1].line, all[1].column), (4, 1));
        assert_eq!(all[1].help.as_deref(), Some("did you mean \"latest\"?"));
    }

    #[test]
    fn a_site_key_below_strings_is_told_so() {
        let dir = site_with(&[]);
        let toml = "[strings]\nlatest = \"New\"\nautolink = false\n";
        let errors = load_site(dir.path(), toml, "en").unwrap_err();
        let d = errors.iter().next().unwrap();
        assert_eq!(d.line, 3);
        assert!(
            d.help
                .as_deref()
                .unwrap()
                .contains("move it above `[strings]`"),
            "{d:?}"
        );
    }

    #[test]
    fn bad_override_values_are_errors() {
        let dir = site_with(&[]);
        let cases = [
            ("latest = 3", "must be a string"),
            ("latest = { one = \"a\", other = \"b\" }", "takes no count"),
            ("topic_count = { one = \"a\" }", "needs an `other` form"),
            (
                "topic_count = { single = \"a\", other = \"b\" }",
                "not a plural category",
            ),
            ("byline = \"By {writers}\"", "unknown placeholder {writers}"),
            ("date_format = \"%H:%M\"", "more than a day"),
        ];
        for (line, want) in cases {
            let toml = format!("[strings]\n{line}\n");
            let errors = load_site(dir.path(), &toml, "en").unwrap_err();
            let d = errors.iter().next().unwrap();
            assert!(d.message.contains(want), "{line}: {}", d.message);
            assert_eq!(d.line, 2, "{line}");
        }
        // Each date key's hint gives an example of its own kind.
        for (line, help) in [
            (
                "month_year_format = \"%B\"",
                "write a chrono strftime pattern of the month and year, like \"%B %Y\"",
            ),
            (
                "date_format = \"%B %Y\"",
                "write a chrono strftime pattern of the day, month and year, like \"%-d %B %Y\"",
            ),
        ] {
            let toml = format!("[strings]\n{line}\n");
            let errors = load_site(dir.path(), &toml, "en").unwrap_err();
            let d = errors.iter().next().unwrap();
            assert_eq!(d.help.as_deref(), Some(help), "{line}: {}", d.message);
        }
        // Each placeholder is named once, however many forms use it.
        let toml = "[strings]\ntopic_count = { one = \"{n} article\", other = \"b\" }\n";
        let errors = load_site(dir.path(), toml, "en").unwrap_err();
        let help = errors.iter().next().unwrap().help.clone().unwrap();
        assert_eq!(help, "its placeholders are {count}");
        // A plain string for a plural key is every form.
        let i = load_site(
            dir.path(),
            "[strings]\ntopic_count = \"{count} stories\"\n",
            "en",
        )
        .unwrap();
        assert_eq!(i.plural("topic_count", 1), "1 stories");
    }

    #[test]
    fn languages_without_tables_need_every_key() {
        let dir = site_with(&[("i18n/it.toml", "articles = \"Articoli\"\n")]);
        let toml = "language = \"it\"\n";
        let errors = load_site(dir.path(), toml, "it").unwrap_err();
        let d = errors.iter().next().unwrap();
        assert!(
            d.message.contains("no built-in translation"),
            "{}",
            d.message
        );
        assert_eq!((d.line, d.column), (1, 13));
        assert!(d
            .help
            .as_deref()
            .unwrap()
            .contains("en, fr, es, de, pt, ar"));
        // A complete table makes it a language like the others, with
        // Italian month names and plural rules.
        let english = builtin_table("en").unwrap();
        let mut text = String::new();
        for (k, v) in &english {
            let v = match (k.as_str(), v) {
                ("date_format", _) => "\"%-d %B %Y\"".to_string(),
                (_, Message::Text(s)) => format!("{s:?}"),
                (_, Message::Plural(_)) => {
                    "{ one = \"{count} articolo\", other = \"{count} articoli\" }".into()
                }
            };
            text.push_str(&format!("{k} = {v}\n"));
        }
        let dir = site_with(&[("i18n/it.toml", &text)]);
        let i = load_site(dir.path(), toml, "it").unwrap();
        assert_eq!(i.date(day(2024, 3, 25)), "25 marzo 2024");
        assert_eq!(i.plural("topic_count", 2), "2 articoli");
    }

    #[test]
    fn malformed_tags_are_errors() {
        let dir = site_with(&[]);
        let errors = load_site(dir.path(), "language = \"e\"\n", "e").unwrap_err();
        assert!(errors.iter().next().unwrap().message.contains("BCP 47"));
    }
}
