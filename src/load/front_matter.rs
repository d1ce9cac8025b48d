//! Front matter: splitting it off the body, parsing TOML (`+++`) or YAML
//! (`---`) into the typed metadata of each section, and finding where a key
//! or value sits in the file so later stages can point at it.

use std::fmt;
use std::ops::Range;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use crate::config::{rewrite_serde_message, toml_error, unknown_field_help};
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::model::{ActorKind, Date, PartialDate};

/// Which syntax the front matter is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Yaml,
}

/// Where the front matter and the body lie in a file.
#[derive(Debug, Clone)]
pub struct Split {
    pub format: Format,
    /// The front matter text between the fences.
    pub front_matter: Range<usize>,
    /// Everything after the closing fence.
    pub body: Range<usize>,
}

/// Finds the fenced front matter at the very top of a file.
pub fn split(file: &SourceFile) -> Result<Split, Diagnostic> {
    let text = &file.text;
    let first_line_end = text.find('\n').unwrap_or(text.len());
    let first = text[..first_line_end].trim_end();
    let (format, fence) = match first {
        "+++" => (Format::Toml, "+++"),
        "---" => (Format::Yaml, "---"),
        _ => {
            return Err(Diagnostic::at(
                file,
                0..first_line_end,
                "missing front matter: a page must start with `+++` (TOML) or `---` (YAML)",
            )
            .with_help("did you forget to add `+++` before and after the front matter?"))
        }
    };
    let start = (first_line_end + 1).min(text.len());
    let mut pos = start;
    while pos < text.len() {
        let end = text[pos..]
            .find('\n')
            .map(|i| pos + i)
            .unwrap_or(text.len());
        let line = text[pos..end].trim_end();
        if line == fence || (format == Format::Yaml && line == "...") {
            return Ok(Split {
                format,
                front_matter: start..pos,
                body: (end + 1).min(text.len())..text.len(),
            });
        }
        pos = end + 1;
    }
    Err(Diagnostic::at(
        file,
        0..first_line_end,
        format!("front matter opened with `{fence}` is never closed"),
    )
    .with_help(format!(
        "add a line holding only `{fence}` after the last key"
    )))
}

/// Parses the front matter into `T`, reporting syntax errors, unknown keys,
/// missing keys and wrong types at their place in the file.
pub fn parse<T: DeserializeOwned>(
    file: &SourceFile,
    split: &Split,
    known_keys: &[&str],
) -> Result<T, Diagnostic> {
    let fm_text = &file.text[split.front_matter.clone()];
    let offset = split.front_matter.start;
    match split.format {
        Format::Toml => {
            toml::from_str(fm_text).map_err(|e| toml_error(file, offset, &e, known_keys))
        }
        Format::Yaml => {
            // An empty YAML document is null; treat it as an empty mapping so
            // the message is about the missing key, not about null.
            let source = if fm_text.trim().is_empty() {
                "{}"
            } else {
                fm_text
            };
            serde_yaml_ng::from_str(source).map_err(|e| {
                let message = e.to_string();
                let message = message
                    .split(" at line ")
                    .next()
                    .unwrap_or(&message)
                    .trim()
                    .to_string();
                let help = unknown_field_help(&message, known_keys);
                // Errors raised while converting a value (a bad date) quote
                // the value, and YAML places them at the enclosing mapping:
                // the value itself is the better place.
                let quoted = quoted_value(&message)
                    .map(|v| locate_value(&file.text, split.front_matter.clone(), "", v).start)
                    .filter(|&i| i > split.front_matter.start);
                let at = match (quoted, e.location()) {
                    (Some(i), _) => i,
                    (None, Some(l)) => (offset + l.index()).min(split.front_matter.end),
                    (None, None) => offset,
                };
                let span = if message.starts_with("unknown field `") {
                    let field = message
                        .trim_start_matches("unknown field `")
                        .split('`')
                        .next()
                        .unwrap_or("");
                    let s = locate_key(&file.text, split.front_matter.clone(), field);
                    if s.is_empty() {
                        at..at + 1
                    } else {
                        s
                    }
                } else if message.starts_with("missing field") {
                    split.front_matter.start.saturating_sub(4)
                        ..split.front_matter.start.saturating_sub(1)
                } else {
                    at..at + 1
                };
                Diagnostic::at(file, span, rewrite_serde_message(&message)).with_help_opt(help)
            })
        }
    }
}

/// The first `"..."` quoted in an error message.
fn quoted_value(message: &str) -> Option<&str> {
    let start = message.find('"')? + 1;
    let len = message[start..].find('"')?;
    (len > 0).then(|| &message[start..start + len])
}

/// Where `key` is defined in the front matter: a TOML `key =`, `[key]`,
/// `[[key]]` or a YAML `key:` at the start of a line. Falls back to the
/// opening fence when the key is absent.
pub fn locate_key(text: &str, front_matter: Range<usize>, key: &str) -> Range<usize> {
    let mut pos = front_matter.start;
    while pos < front_matter.end {
        let end = text[pos..front_matter.end]
            .find('\n')
            .map(|i| pos + i)
            .unwrap_or(front_matter.end);
        let line = &text[pos..end];
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let bare = trimmed.trim_start_matches("[[").trim_start_matches('[');
        let bracket = trimmed.len() - bare.len();
        for candidate in [key.to_string(), format!("\"{key}\"")] {
            if let Some(after) = bare.strip_prefix(&candidate) {
                let next = after.trim_start();
                let defines = if bracket > 0 {
                    next.starts_with(']')
                } else {
                    next.starts_with('=') || next.starts_with(':')
                };
                if defines {
                    let start = pos + indent + bracket;
                    return start..start + candidate.len();
                }
            }
        }
        pos = end + 1;
    }
    let start = front_matter.start.saturating_sub(4);
    start..start + 3
}

/// Where `needle` (a slug, a URL) first appears at or after the definition
/// of `key`; falls back to the key itself.
pub fn locate_value(
    text: &str,
    front_matter: Range<usize>,
    key: &str,
    needle: &str,
) -> Range<usize> {
    let key_span = if key.is_empty() {
        front_matter.start..front_matter.start
    } else {
        locate_key(text, front_matter.clone(), key)
    };
    if needle.is_empty() || key_span.start >= front_matter.end {
        return key_span;
    }
    let from = key_span.end.min(front_matter.end);
    let region = &text[from..front_matter.end];
    // Prefer a whole value: "macron" is not the tail of "emmanuel-macron".
    let is_part = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_');
    let whole = region.match_indices(needle).find(|(i, _)| {
        !is_part(region[..*i].chars().next_back())
            && !is_part(region[i + needle.len()..].chars().next())
    });
    match whole.or_else(|| region.match_indices(needle).next()) {
        Some((i, _)) => from + i..from + i + needle.len(),
        None => {
            // A value written with escapes (`"java\tscript:"`) is found by
            // its spelling in a TOML or YAML double-quoted string.
            let escaped = escape_like_a_quoted_string(needle);
            match region.find(&escaped).filter(|_| escaped != needle) {
                Some(i) => from + i..from + i + escaped.len(),
                None => key_span,
            }
        }
    }
}

fn escape_like_a_quoted_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

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
}

pub const NOTE_KEYS: &[&str] = &[
    "title", "summary", "date", "updated", "actors", "related", "timeline", "draft", "slug", "text",
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
    "url",
];

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

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("content/articles/a.md", text.to_string())
    }

    #[test]
    fn splits_toml_and_yaml() {
        let f = file("+++\ntitle = \"x\"\n+++\nbody\n");
        let s = split(&f).unwrap();
        assert_eq!(s.format, Format::Toml);
        assert_eq!(&f.text[s.front_matter.clone()], "title = \"x\"\n");
        assert_eq!(&f.text[s.body.clone()], "body\n");
        let f = file("---\ntitle: x\n---\n");
        let s = split(&f).unwrap();
        assert_eq!(s.format, Format::Yaml);
        assert_eq!(&f.text[s.body.clone()], "");
    }

    #[test]
    fn missing_and_unclosed_front_matter_are_errors() {
        let e = split(&file("# Title\n")).unwrap_err();
        assert_eq!((e.line, e.column), (1, 1));
        assert!(e.help.unwrap().contains("+++"));
        let e = split(&file("+++\ntitle = \"x\"\n")).unwrap_err();
        assert!(e.message.contains("never closed"));
    }

    #[test]
    fn toml_native_and_quoted_dates_both_parse() {
        let f = file(
            "+++\ntitle = \"x\"\ndate = 2023-07-26\nupdated = \"2023-07-27T10:00:00Z\"\n+++\n",
        );
        let s = split(&f).unwrap();
        let m: ArticleMeta = parse(&f, &s, ARTICLE_KEYS).unwrap();
        assert_eq!(m.date.iso_day(), "2023-07-26");
        assert_eq!(m.updated.unwrap().iso_day(), "2023-07-27");
    }

    #[test]
    fn invalid_date_points_at_the_value() {
        let f = file("+++\ntitle = \"x\"\ndate = \"2023-13-45\"\n+++\n");
        let s = split(&f).unwrap();
        let e = parse::<ArticleMeta>(&f, &s, ARTICLE_KEYS).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("invalid date"), "{}", e.message);
    }

    #[test]
    fn yaml_unknown_key_points_at_the_key_with_a_hint() {
        let f = file("---\ntitle: x\ndate: 2023-07-26\ntopcs: [a]\n---\n");
        let s = split(&f).unwrap();
        let e = parse::<ArticleMeta>(&f, &s, ARTICLE_KEYS).unwrap_err();
        assert_eq!((e.line, e.column), (4, 1));
        assert!(e.message.contains("unknown key `topcs`"), "{}", e.message);
        assert_eq!(e.help.as_deref(), Some("did you mean \"topics\"?"));
    }

    #[test]
    fn missing_required_key_is_named() {
        let f = file("+++\ntitle = \"x\"\n+++\n");
        let s = split(&f).unwrap();
        let e = parse::<ArticleMeta>(&f, &s, ARTICLE_KEYS).unwrap_err();
        assert!(
            e.message.contains("missing required key `date`"),
            "{}",
            e.message
        );
        let f = file("---\ntitle: x\n---\n");
        let s = split(&f).unwrap();
        let e = parse::<ArticleMeta>(&f, &s, ARTICLE_KEYS).unwrap_err();
        assert!(
            e.message.contains("missing required key `date`"),
            "{}",
            e.message
        );
    }

    #[test]
    fn locates_keys_and_values_in_both_syntaxes() {
        let text =
            "+++\ntitle = \"x\"\nactors = [\"a\", \"b-c\"]\n[[sources]]\nname = \"R\"\n+++\n";
        let fm = 4..text.len() - 4;
        let k = locate_key(text, fm.clone(), "actors");
        assert_eq!(&text[k], "actors");
        let v = locate_value(text, fm.clone(), "actors", "b-c");
        assert_eq!(&text[v], "b-c");
        let s = locate_key(text, fm, "sources");
        assert_eq!(&text[s], "sources");
        let both = "+++\nactors = [\"emmanuel-macron\", \"macron\"]\n+++\n";
        let v = locate_value(both, 4..both.len() - 4, "actors", "macron");
        assert_eq!(
            v.start,
            both.rfind("macron").unwrap(),
            "the whole value, not a tail"
        );
        let yaml = "---\nactors:\n  - macron\n---\n";
        let v = locate_value(yaml, 4..yaml.len() - 4, "actors", "macron");
        assert_eq!(&yaml[v], "macron");
    }
}
