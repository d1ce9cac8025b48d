//! Front matter: splitting it off the body, parsing TOML (`+++`) or YAML
//! (`---`) into the typed metadata of each section, and finding where a key
//! or value sits in the file so later stages can point at it.

use std::ops::Range;

use serde::de::DeserializeOwned;

pub use super::meta::{
    ActorMeta, ArticleMeta, AuthorMeta, Correction, MenuPlace, NamedLink, NoteMeta, PageMeta,
    TimelineEntry, ACTOR_KEYS, ARTICLE_KEYS, AUTHOR_KEYS, NOTE_KEYS, PAGE_KEYS,
};
use crate::config::{rewrite_serde_message, toml_error, unknown_field_help};
use crate::diagnostics::{closest, did_you_mean, Diagnostic, SourceFile};

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
/// missing keys and wrong types at their place in the file: every problem
/// of the front matter at once, not only the first.
///
/// The text is first read as an untyped tree. A syntax error is reported,
/// the line at fault (with the lines its value continues on) is blanked
/// out and the rest read again, up to [`MAX_SYNTAX_ERRORS`] times; the keys
/// blanked out count as set aside (below). Then `T` is taken from the tree again
/// and again: each time a key fails, its problem is recorded and the key
/// is set aside (an entry of a list of tables as a whole), so the next
/// attempt finds the next problem. A required key that is missing or set
/// aside gets a stand-in value (the file name for `title` and `name`,
/// 1970-01-01 for `date`) so the page can still be checked with the rest
/// of the site. Returns the metadata when one could be made, and the
/// problems; metadata with problems holds stand-ins and must not be
/// published.
pub fn parse<T: DeserializeOwned>(
    file: &SourceFile,
    split: &Split,
    known_keys: &[&str],
) -> (Option<T>, Vec<Diagnostic>) {
    let fm_text = &file.text[split.front_matter.clone()];
    // Most files have no problem: read them straight into `T`, and take the
    // slower path that finds every problem only when that fails.
    let direct = match split.format {
        Format::Toml => toml::from_str::<T>(fm_text).ok(),
        Format::Yaml if !fm_text.trim().is_empty() => serde_yaml_ng::from_str::<T>(fm_text).ok(),
        Format::Yaml => None,
    };
    if let Some(meta) = direct {
        return (Some(meta), Vec::new());
    }
    // A syntax error must not hide the file's other problems: report it,
    // blank out its line (and the lines its value continues on), and read
    // the rest again, a bounded number of times. The keys blanked out are
    // set aside like keys with a bad value: a required one gets a
    // stand-in, and its absence is not reported again.
    let mut text = fm_text.to_string();
    let mut problems = Vec::new();
    let mut blanked: Vec<(String, bool)> = Vec::new();
    for round in 0..=MAX_SYNTAX_ERRORS {
        match tree(file, split, &text, known_keys) {
            Ok(tree) => {
                let mut checker = Checker::new(file, split, known_keys);
                for (key, top_level) in blanked {
                    if top_level {
                        checker.set_aside.push(key.clone());
                    }
                    checker.blanked.push(key);
                }
                let (meta, more) = checker.run(tree);
                problems.extend(more);
                return (meta, problems);
            }
            Err(d) => {
                let line = d.line;
                problems.push(d);
                if round == MAX_SYNTAX_ERRORS {
                    break;
                }
                match blank_entry(file, split, &mut text, line) {
                    Some(Some(key)) => blanked.push(key),
                    Some(None) => {}
                    None => break,
                }
            }
        }
    }
    (None, problems)
}

/// A whole TOML file (`site.toml`, `i18n/<lang>.toml`) made readable: its
/// text with each line a syntax error was found on (and the lines its
/// value continues on) blanked out with spaces, so every byte offset stays
/// put, and those syntax errors at their places (at most
/// [`MAX_SYNTAX_ERRORS`]). The text is `None` when no readable text could
/// be made; the errors then say why.
pub fn toml_without_syntax_errors(
    file: &SourceFile,
    known_keys: &[&str],
) -> (Option<String>, Vec<Diagnostic>) {
    let split = whole_file(file);
    let mut text = file.text.clone();
    let mut problems = Vec::new();
    for round in 0..=MAX_SYNTAX_ERRORS {
        match toml::from_str::<toml::Table>(&text) {
            Ok(_) => return (Some(text), problems),
            Err(e) => {
                let d = toml_error(file, 0, &e, known_keys);
                let line = d.line;
                problems.push(d);
                if round == MAX_SYNTAX_ERRORS
                    || blank_entry(file, &split, &mut text, line).is_none()
                {
                    break;
                }
            }
        }
    }
    (None, problems)
}

/// A whole file read as TOML, as if it were a front matter without fences.
pub fn whole_file(file: &SourceFile) -> Split {
    Split {
        format: Format::Toml,
        front_matter: 0..file.text.len(),
        body: file.text.len()..file.text.len(),
    }
}

/// The most syntax errors reported for one front matter; after that the
/// file is not read further.
pub const MAX_SYNTAX_ERRORS: usize = 10;

/// The untyped tree of a front matter `text` (the file's front matter,
/// possibly with lines blanked out, at the same byte offsets), or its
/// syntax error at its place in the file.
fn tree(
    file: &SourceFile,
    split: &Split,
    text: &str,
    known_keys: &[&str],
) -> Result<serde_json::Value, Diagnostic> {
    let offset = split.front_matter.start;
    match split.format {
        Format::Toml => toml::from_str::<toml::Table>(text)
            .map_err(|e| toml_error(file, offset, &e, known_keys))
            .and_then(|t| {
                serde_json::to_value(t)
                    .map_err(|e| Diagnostic::at(file, offset..offset, e.to_string()))
            }),
        Format::Yaml => {
            // An empty YAML document is null; treat it as an empty mapping so
            // the message is about the missing key, not about null.
            let source = if text.trim().is_empty() { "{}" } else { text };
            serde_yaml_ng::from_str::<serde_yaml_ng::Value>(source)
                .map_err(|e| yaml_error(file, split, &e, known_keys))
                .and_then(|v| {
                    serde_json::to_value(v)
                        .map_err(|e| Diagnostic::at(file, offset..offset, e.to_string()))
                })
        }
    }
}

/// Blanks out (with spaces, so every offset stays put) the 1-based file
/// `line` of the front matter `text` and the lines its value continues on.
/// Returns `None` when there is nothing left to blank on that line (no
/// progress could be made), else the key the line held, if any, and
/// whether it is a top-level key.
fn blank_entry(
    file: &SourceFile,
    split: &Split,
    text: &mut String,
    line: usize,
) -> Option<Option<(String, bool)>> {
    let offset = split.front_matter.start;
    let line_range = |l: usize| -> Option<std::ops::Range<usize>> {
        let start = file.line_start(l);
        if start < offset || start >= split.front_matter.end {
            return None;
        }
        let end = file.text[start..split.front_matter.end]
            .find('\n')
            .map_or(split.front_matter.end, |i| start + i);
        Some(start - offset..end - offset)
    };
    let first = line_range(line)?;
    if text[first.clone()].trim().is_empty() {
        return None;
    }
    let original = &file.text[offset + first.start..offset + first.end];
    let (key, indent) = entry_key(split.format, original);
    let top_level = match split.format {
        // A key below a `[table]` header belongs to that table.
        Format::Toml => !text[..first.start]
            .lines()
            .any(|l| l.trim_start().starts_with('[')),
        // A YAML key is nested when a line above it, indented less,
        // opens a mapping (`key:`); a mis-indented key is not.
        Format::Yaml => {
            !original.trim_start().starts_with('-')
                && file.text[offset..offset + first.start]
                    .lines()
                    .rev()
                    .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
                    .find(|l| l.len() - l.trim_start().len() < indent)
                    .is_none_or(|l| !l.trim_end().ends_with(':'))
        }
    };
    let mut ranges = vec![first];
    // A broken TOML table header (`[images`) leaves the keys below it in
    // no known table: read as keys of the table above, each would be a
    // false "unknown key". They go with it, up to the next header.
    let header = split.format == Format::Toml && original.trim_start().starts_with('[');
    if header {
        let mut next = line + 1;
        while let Some(r) = line_range(next) {
            if file.text[offset + r.start..offset + r.end]
                .trim_start()
                .starts_with('[')
            {
                break;
            }
            ranges.push(r);
            next += 1;
        }
    }
    // The lines the value goes on to (a multi-line array, a YAML list).
    if key.is_some() && !header {
        let mut next = line + 1;
        while let Some(r) = line_range(next) {
            let l = &file.text[offset + r.start..offset + r.end];
            let continues = match split.format {
                Format::Toml => {
                    !l.trim().is_empty()
                        && entry_key(Format::Toml, l).0.is_none()
                        && !l.trim_start().starts_with('[')
                }
                Format::Yaml => {
                    let own = l.len() - l.trim_start().len();
                    !l.trim().is_empty()
                        && (own > indent || own == indent && l.trim_start().starts_with("- "))
                }
            };
            if !continues {
                break;
            }
            ranges.push(r);
            next += 1;
        }
    }
    for r in ranges {
        let blank = " ".repeat(r.len());
        text.replace_range(r, &blank);
    }
    Some(key.map(|k| (k, top_level)))
}

/// The key a front-matter line starts, unquoted (the first part of a
/// dotted TOML key), and the line's indentation.
fn entry_key(format: Format, line: &str) -> (Option<String>, usize) {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    let key = match format {
        Format::Toml => trimmed.split_once('=').map(|(k, _)| k.trim()).filter(|k| {
            !k.is_empty()
                && k.matches('"').count() % 2 == 0
                && k.matches('\'').count() % 2 == 0
                && k.chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ' ' | '"' | '\''))
        }),
        Format::Yaml => trimmed
            .split_once(':')
            .map(|(k, _)| k.trim())
            .filter(|k| !k.is_empty() && !k.starts_with('-') && !k.starts_with('#')),
    };
    let key = key.map(|k| {
        let first = match format {
            Format::Toml => k.split('.').next().unwrap_or(k),
            Format::Yaml => k,
        };
        first.trim().trim_matches(['"', '\'']).to_string()
    });
    (key, indent)
}

/// A YAML syntax error at its place.
fn yaml_error(
    file: &SourceFile,
    split: &Split,
    e: &serde_yaml_ng::Error,
    known_keys: &[&str],
) -> Diagnostic {
    let offset = split.front_matter.start;
    let message = e.to_string();
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .trim()
        .to_string();
    let help = unknown_field_help(&message, known_keys);
    let at = match e.location() {
        Some(l) => (offset + l.index()).min(split.front_matter.end),
        None => offset,
    };
    if let Some(key) = message
        .strip_prefix("duplicate entry with key \"")
        .and_then(|k| k.strip_suffix('"'))
    {
        return duplicate_yaml_key(file, split, at, key);
    }
    let d = Diagnostic::at(file, at..at + 1, rewrite_serde_message(&message)).with_help_opt(help);
    if message.starts_with("mapping values are not allowed")
        || message.starts_with("did not find expected key")
        || message.starts_with("did not find expected '-' indicator")
    {
        misplaced(file, split, at, d)
    } else {
        d
    }
}

/// YAML names the first of two equal keys of a mapping (at `at`); the
/// second one, at the same indentation further down, is the one to point
/// at (and to set aside).
fn duplicate_yaml_key(file: &SourceFile, split: &Split, at: usize, key: &str) -> Diagnostic {
    let (line, _) = file.position(at);
    let first = file.line_text(line);
    let (indent, _) = key_column(first);
    let last = file.position(split.front_matter.end).0;
    let second = (line + 1..last).find(|&l| {
        let text = file.line_text(l);
        let (i, k) = key_column(text);
        i == indent && k == key && text.len() > i
    });
    let (line, column) = match second {
        Some(l) => (l, indent),
        None => (line, indent),
    };
    let start = file.line_start(line) + column;
    Diagnostic::at(
        file,
        start..start + key.len().max(1),
        format!("duplicate key `{key}`"),
    )
    .with_help(format!(
        "`{key}` is already set on line {}: keep one of the two",
        file.position(at).0
    ))
}

/// YAML's "mapping values are not allowed in this context", "did not find
/// expected key" and "did not find expected '-' indicator" have two usual
/// causes: a `: ` inside an unquoted value (`title: Macron: the exit`), and
/// a key or list item indented differently from the ones beside it.
fn misplaced(file: &SourceFile, split: &Split, at: usize, d: Diagnostic) -> Diagnostic {
    let (line, column) = file.position(at);
    let text = file.line_text(line);
    let (indent, key) = key_column(text);
    let before: String = text.chars().take(column.saturating_sub(1)).collect();
    let value_start = before.find(": ").filter(|&i| i >= indent);
    if let (Some(i), true) = (value_start, d.message.starts_with("mapping values")) {
        let key = &text[indent..i];
        let value = text[i + 2..].trim();
        return d.with_help(format!(
            "a value holding \": \" must be quoted: {key}: \"{}\"",
            value.replace('"', "\\\"")
        ));
    }
    // The nearest line above holding a key or an item, to line up with.
    let first = file.position(split.front_matter.start).0;
    let Some(above) = (first..line)
        .rev()
        .map(|l| file.line_text(l))
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
    else {
        return d;
    };
    let mut d = d;
    if d.message.contains("'-' indicator") {
        let dash = text.len() - text.trim_start().len();
        let item_above = (first..line)
            .rev()
            .map(|l| file.line_text(l))
            .find(|l| l.trim_start().starts_with("- "))
            .unwrap_or(above);
        let above_dash = item_above.len() - item_above.trim_start().len();
        let how = if dash > above_dash { "more" } else { "less" };
        d.message =
            "mis-indented list item: the items of one list must start in the same column".into();
        return d.with_help(format!(
            "this `-` is indented {how} than the `-` of the item above it: line the two up"
        ));
    }
    let (above_indent, above_key) = key_column(above);
    // YAML stops at the colon; the key is what must move.
    d.column = text[..indent].chars().count() + 1;
    d.width = key.chars().count().max(1);
    let how = if indent > above_indent {
        "more"
    } else {
        "less"
    };
    d.message =
        format!("mis-indented key `{key}`: YAML keys of one mapping must start in the same column");
    d.with_help(format!(
        "`{key}` is indented {how} than `{above_key}` on the line above: line the two up, \
         or indent `{key}` under a key that ends with `:`"
    ))
}

/// Where the key of a YAML line starts (after its indentation and any
/// `- ` list markers), and the key.
fn key_column(line: &str) -> (usize, &str) {
    let mut rest = line.trim_start_matches(' ');
    while let Some(r) = rest.strip_prefix("- ") {
        rest = r.trim_start_matches(' ');
    }
    let column = line.len() - rest.len();
    (column, rest.split(':').next().unwrap_or(rest).trim())
}

/// The most problems reported for one front matter.
pub const MAX_PROBLEMS: usize = 100;

/// One step of a path into the front matter: a key or a list position.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// Takes `T` from the tree of a front matter, setting aside each key that
/// fails (see [`parse`]).
struct Checker<'a> {
    file: &'a SourceFile,
    split: &'a Split,
    known_keys: &'a [&'a str],
    problems: Vec<Diagnostic>,
    /// Top-level keys whose value was set aside after its problem was
    /// reported: their absence is not reported again.
    set_aside: Vec<String>,
    /// Top-level keys given a stand-in value.
    stand_ins: Vec<String>,
    /// Keys of nested tables blanked out after a syntax error: their
    /// absence from a table is not reported.
    blanked: Vec<String>,
    /// Keys suggested for an unknown key (by the path of their table, as
    /// in the file): `titel` already says that `title` is missing.
    suggested: Vec<(Vec<Step>, String)>,
    /// For each list (by path), the original positions of the entries set
    /// aside, so later problems in the same list still point at the right
    /// entry.
    removed: Vec<(Vec<Step>, Vec<usize>)>,
}

impl<'a> Checker<'a> {
    fn new(file: &'a SourceFile, split: &'a Split, known_keys: &'a [&'a str]) -> Self {
        Checker {
            file,
            split,
            known_keys,
            problems: Vec::new(),
            set_aside: Vec::new(),
            stand_ins: Vec::new(),
            blanked: Vec::new(),
            suggested: Vec::new(),
            removed: Vec::new(),
        }
    }

    fn run<T: DeserializeOwned>(
        mut self,
        mut tree: serde_json::Value,
    ) -> (Option<T>, Vec<Diagnostic>) {
        // Each round removes a key or list entry or adds a stand-in, so the
        // loop ends. Each round reads the whole tree again: the bound keeps
        // a file with thousands of bad keys linear, reporting the first
        // MAX_PROBLEMS of them.
        for _ in 0..MAX_PROBLEMS {
            let error = match serde_path_to_error::deserialize::<_, T>(&tree) {
                Ok(meta) => return (Some(meta), self.problems),
                Err(e) => e,
            };
            let path = self.original_path(error.path());
            let message = error.inner().to_string();
            let fixed = if let Some(key) = backticked(&message, "unknown field `") {
                // The path names the unknown key itself.
                let mut path = path;
                if path.last() == Some(&Step::Key(key.to_string())) {
                    path.pop();
                }
                self.unknown_key(&path, key, &message);
                remove(
                    &mut tree,
                    &path_with(&self.current_path(&path), Step::Key(key.to_string())),
                )
            } else if let Some(key) = backticked(&message, "missing field `") {
                self.missing_key(&mut tree, &path, key, &message)
            } else {
                self.bad_value(&mut tree, &path, &message)
            };
            if !fixed {
                return (None, self.problems);
            }
        }
        (None, self.problems)
    }

    /// An unknown key, at the top level or inside a table (`[[links]]`),
    /// with the nearest key of that same table as its suggestion. A key
    /// of the page written below a table header is told so: TOML puts
    /// every key below `[[links]]` into the last link, which is easy to
    /// miss when the key is `image`.
    fn unknown_key(&mut self, parent: &[Step], key: &str, message: &str) {
        let at = self.locate(&path_with(parent, Step::Key(key.to_string())));
        let (message, expected) = message.split_once(", expected").unwrap_or((message, ""));
        // The table holding the key: the last key of its path.
        let table = parent.iter().rev().find_map(|step| match step {
            Step::Key(k) => Some(k.as_str()),
            Step::Index(_) => None,
        });
        let Some(table) = table else {
            let help = unknown_field_help(message, self.known_keys);
            if let Some(near) = closest(key, self.known_keys.iter().copied()) {
                self.suggested.push((parent.to_vec(), near.to_string()));
            }
            self.problems.push(
                Diagnostic::at(self.file, at, rewrite_serde_message(message)).with_help_opt(help),
            );
            return;
        };
        // Serde lists the table's keys: "expected one of `name`, `url`".
        let keys: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        // The table's header as written: `[[links]]`, `[translations.fr]`.
        let dotted = (parent.iter())
            .filter_map(|step| match step {
                Step::Key(k) => Some(k.as_str()),
                Step::Index(_) => None,
            })
            .collect::<Vec<_>>()
            .join(".");
        let header = match parent.last() {
            Some(Step::Index(_)) => format!("[[{dotted}]]"),
            _ => format!("[{dotted}]"),
        };
        // A page key below the page's own table (`[[links]]`, or a
        // `[menu]`-like table), not in a nested settings table.
        // Only a key on a line of its own was written below the table's
        // header; one inside an inline table (`links = [{ ... }]`) is not.
        let on_its_line = self.file.text.get(at.clone()) == Some(key);
        let of_the_page = on_its_line
            && matches!(parent, [Step::Key(_)] | [Step::Key(_), Step::Index(_)])
            && self.known_keys.contains(&key);
        // The same key set above the table already: moving this one up
        // would set it twice.
        let set_above = of_the_page && {
            let fm = self.split.front_matter.clone();
            let first = locate_key(&self.file.text, fm.clone(), key);
            let table = locate_key(&self.file.text, fm, table);
            self.file.text.get(first.clone()) == Some(key)
                && first.start < at.start
                && first.start < table.start
        };
        let table_as_written = match self.split.format {
            Format::Toml => format!("`{header}`"),
            Format::Yaml => format!("`{table}`"),
        };
        let help = if set_above {
            Some(format!(
                "`{key}` is set above already, and {table_as_written} has no `{key}`: remove this one"
            ))
        } else if of_the_page {
            Some(match self.split.format {
                Format::Toml => format!(
                    "`{key}` is a key of the page, but it is written below `{header}`, so it \
                     belongs to that table: move it above the first `{header}` (the page's \
                     keys come before its tables)"
                ),
                Format::Yaml => format!(
                    "`{key}` is a key of the page, but it is indented under `{table}`: \
                     start it in the first column, like the page's other keys"
                ),
            })
        } else {
            if let Some(near) = closest(key, keys.iter().copied()) {
                self.suggested.push((parent.to_vec(), near.to_string()));
            }
            did_you_mean(key, keys.iter().copied()).or_else(|| {
                (!keys.is_empty()).then(|| {
                    let listed: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
                    format!("the keys of `{header}` are {}", listed.join(", "))
                })
            })
        };
        // A table written as a dotted header of its own
        // (`[translations.fr.strings]`) is found by that header.
        let at = match self.split.format {
            Format::Toml if !matches!(parent.last(), Some(Step::Index(_))) => {
                let wanted = format!("[{dotted}.{key}]");
                match self.file.text[self.split.front_matter.clone()].find(&wanted) {
                    Some(i) => {
                        let start = self.split.front_matter.start + i + 1;
                        start..start + wanted.len() - 2
                    }
                    None => at,
                }
            }
            _ => at,
        };
        let message = match self.split.format {
            Format::Toml => format!("unknown key `{key}` in the `{header}` table"),
            Format::Yaml => format!("unknown key `{key}` in `{table}`"),
        };
        self.problems
            .push(Diagnostic::at(self.file, at, message).with_help_opt(help));
    }

    /// A required key is absent: reported unless its value was set aside
    /// after a problem of its own, then given a stand-in (at the top
    /// level) or its list entry set aside.
    fn missing_key(
        &mut self,
        tree: &mut serde_json::Value,
        parent: &[Step],
        key: &str,
        message: &str,
    ) -> bool {
        let suggested = self
            .suggested
            .iter()
            .any(|(p, k)| p.as_slice() == parent && k == key);
        if parent.is_empty() {
            if self.stand_ins.iter().any(|k| k == key) {
                return false;
            }
            if !suggested && !self.set_aside.iter().any(|k| k == key) {
                // A missing key has no place of its own: point at the
                // opening fence.
                let fence = self.split.front_matter.start.saturating_sub(4);
                self.problems.push(Diagnostic::at(
                    self.file,
                    fence..fence + 3,
                    rewrite_serde_message(message),
                ));
            }
            self.stand_ins.push(key.to_string());
            let stem = self
                .file
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let value = if key.contains("date") {
                "1970-01-01".to_string()
            } else {
                stem
            };
            match tree {
                serde_json::Value::Object(map) => {
                    map.insert(key.to_string(), serde_json::Value::String(value));
                    true
                }
                _ => false,
            }
        } else {
            let at = self.locate(parent);
            let within = parent
                .iter()
                .rev()
                .find_map(|s| match s {
                    Step::Key(k) => Some(k.as_str()),
                    Step::Index(_) => None,
                })
                .unwrap_or("");
            if !suggested && !self.blanked.iter().any(|k| k == key) {
                self.problems.push(Diagnostic::at(
                    self.file,
                    at,
                    format!(
                        "{} in an entry of `{within}`",
                        rewrite_serde_message(message)
                    ),
                ));
            }
            self.set_aside(tree, parent)
        }
    }

    /// A value of the wrong type or form: reported at the value, then set
    /// aside.
    fn bad_value(&mut self, tree: &mut serde_json::Value, path: &[Step], message: &str) -> bool {
        if path.is_empty() {
            let start = self.split.front_matter.start;
            self.problems.push(Diagnostic::at(
                self.file,
                start..start + 1,
                format!(
                    "front matter must be a table of keys: {}",
                    rewrite_serde_message(message)
                ),
            ));
            return false;
        }
        let key_at = self.locate(path);
        let at = match quoted_value(message) {
            Some(v) => {
                let v = locate_value(
                    &self.file.text,
                    key_at.start..self.split.front_matter.end,
                    "",
                    v,
                );
                with_quotes(&self.file.text, v)
            }
            None => value_after_key(&self.file.text, key_at),
        };
        let mut plain = rewrite_serde_message(message);
        // "must be a whole number" says of what: the key, or its list's
        // items.
        if plain.starts_with("must be ") {
            let key = path.iter().rev().find_map(|s| match s {
                Step::Key(k) => Some(k.as_str()),
                Step::Index(_) => None,
            });
            if let Some(key) = key {
                plain = match path.last() {
                    Some(Step::Index(_)) => format!("each item of `{key}` {plain}"),
                    _ => format!("`{key}` {plain}"),
                };
            }
        }
        let mut d = Diagnostic::at(self.file, at, plain.clone());
        if message.contains("expected a boolean") {
            d = d.with_help("write true or false, without quotes");
        } else if let (Some(text), Some(Step::Key(key))) = (
            (message.strip_prefix("invalid type: string "))
                .and_then(|m| m.strip_suffix(", expected a sequence")),
            path.last(),
        ) {
            let is = match self.split.format {
                Format::Toml => " =",
                Format::Yaml => ":",
            };
            d = d.with_help(format!(
                "a list is written in brackets, even with one item: {key}{is} [{text}]"
            ));
        } else if message.starts_with("invalid type: string")
            && plain.contains("must be a whole number")
        {
            d = d.with_help("write the number without quotes");
        }
        // In YAML, `- Niger: coup` is a one-key table, not the text.
        let line = self.file.line_text(d.line).trim();
        if self.split.format == Format::Yaml
            && message.starts_with("invalid type: map, expected a string")
            && line.contains(": ")
        {
            let (prefix, text) = match line.strip_prefix("- ") {
                Some(text) => ("- ", text),
                None => ("", line),
            };
            d = d.with_help(format!(
                "a value holding \": \" must be quoted: {prefix}\"{}\"",
                text.replace('"', "\\\"")
            ));
        }
        self.problems.push(d);
        self.set_aside(tree, path)
    }

    /// Removes the value at `path`: a top-level key, or the whole list
    /// entry a nested value sits in (a table of a list may have required
    /// keys of its own, which no stand-in could fill sensibly).
    fn set_aside(&mut self, tree: &mut serde_json::Value, path: &[Step]) -> bool {
        let target: Vec<Step> = match path.iter().rposition(|s| matches!(s, Step::Index(_))) {
            Some(i) if path.len() > 1 => path[..=i].to_vec(),
            _ => path.to_vec(),
        };
        if let [Step::Key(k)] = target.as_slice() {
            self.set_aside.push(k.clone());
        }
        let current = self.current_path(&target);
        if let Some(Step::Index(original)) = target.last() {
            let list = target[..target.len() - 1].to_vec();
            match self.removed.iter_mut().find(|(p, _)| *p == list) {
                Some((_, r)) => r.push(*original),
                None => self.removed.push((list, vec![*original])),
            }
        }
        remove(tree, &current)
    }

    /// A path as serde reports it (positions in the lists as they are
    /// now) turned into positions in the file's own lists.
    fn original_path(&self, path: &serde_path_to_error::Path) -> Vec<Step> {
        let mut out: Vec<Step> = Vec::new();
        for segment in path.iter() {
            match segment {
                serde_path_to_error::Segment::Map { key } => out.push(Step::Key(key.clone())),
                serde_path_to_error::Segment::Seq { index } => {
                    let mut original = *index;
                    if let Some((_, removed)) = self.removed.iter().find(|(p, _)| *p == out) {
                        let mut sorted = removed.clone();
                        sorted.sort_unstable();
                        for r in sorted {
                            if r <= original {
                                original += 1;
                            }
                        }
                    }
                    out.push(Step::Index(original));
                }
                _ => {}
            }
        }
        out
    }

    /// The inverse of [`Self::original_path`].
    fn current_path(&self, path: &[Step]) -> Vec<Step> {
        let mut out = Vec::new();
        for (i, step) in path.iter().enumerate() {
            match step {
                Step::Index(original) => {
                    let before = self
                        .removed
                        .iter()
                        .find(|(p, _)| p.as_slice() == &path[..i])
                        .map_or(0, |(_, r)| r.iter().filter(|&&r| r < *original).count());
                    out.push(Step::Index(original - before));
                }
                step => out.push(step.clone()),
            }
        }
        out
    }

    /// Where a path points in the file: a key, found after the keys and
    /// list entries that lead to it.
    fn locate(&self, path: &[Step]) -> Range<usize> {
        let text = &self.file.text;
        let fm = self.split.front_matter.clone();
        let mut from = fm.start;
        let fence = fm.start.saturating_sub(4);
        let mut span = fence..fence + 3;
        let mut last_key = "";
        for step in path {
            match step {
                Step::Key(k) => {
                    let found = locate_key(text, from..fm.end, k);
                    if found.start >= from {
                        from = found.start;
                        span = found;
                    }
                    last_key = k;
                }
                Step::Index(i) => {
                    if let Some(entry) = list_entry(text, from..fm.end, last_key, *i) {
                        span = entry.clone();
                        from = entry.start;
                    }
                }
            }
        }
        span
    }
}

/// Where the `index`th entry (from 0) of a list starting at `from` is: a
/// TOML `[[key]]` header, or a YAML `- ` item.
fn list_entry(text: &str, region: Range<usize>, key: &str, index: usize) -> Option<Range<usize>> {
    let header = format!("[[{key}]]");
    let mut starts = Vec::new();
    let mut yaml_items = Vec::new();
    let mut pos = text[..region.start].rfind('\n').map_or(0, |i| i + 1);
    while pos < region.end {
        let end = text[pos..region.end]
            .find('\n')
            .map_or(region.end, |i| pos + i);
        let line = &text[pos..end];
        let trimmed = line.trim_start();
        let at = pos + line.len() - trimmed.len();
        if trimmed.trim_end() == header {
            starts.push(at..at + header.len());
        } else if trimmed.starts_with("- ") || trimmed == "-" {
            yaml_items.push(at..at + 1);
        }
        pos = end + 1;
    }
    if starts.is_empty() {
        yaml_items.get(index).cloned()
    } else {
        starts.get(index).cloned()
    }
}

/// The value written after a key (`key = value` or `key: value`), up to the
/// end of its line; the key itself when the value is on later lines.
pub(crate) fn value_after_key(text: &str, key: Range<usize>) -> Range<usize> {
    let line_end = text[key.end..]
        .find('\n')
        .map_or(text.len(), |i| key.end + i);
    let rest = &text[key.end..line_end];
    let value = rest
        .trim_start()
        .trim_start_matches(['=', ':'])
        .trim_start();
    let value = value.trim_end();
    if value.is_empty() || key.start == key.end {
        return key;
    }
    let start = line_end - rest.trim_end().len() + (rest.trim_end().len() - value.len());
    start..start + value.len()
}

/// A span widened to take in the quotes around it, if it has them.
fn with_quotes(text: &str, span: Range<usize>) -> Range<usize> {
    let before = text[..span.start].chars().next_back();
    let after = text[span.end..].chars().next();
    match (before, after) {
        (Some(q @ ('"' | '\'')), Some(q2)) if q == q2 => span.start - 1..span.end + 1,
        _ => span,
    }
}

/// The text between `prefix` and the next backtick in `message`.
fn backticked<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    let rest = &message[message.find(prefix)? + prefix.len()..];
    Some(&rest[..rest.find('`')?])
}

fn path_with(path: &[Step], step: Step) -> Vec<Step> {
    let mut p = path.to_vec();
    p.push(step);
    p
}

/// Removes the value at `path` from the tree; false when there is none.
fn remove(tree: &mut serde_json::Value, path: &[Step]) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut node = tree;
    for step in parents {
        node = match (step, node) {
            (Step::Key(k), serde_json::Value::Object(m)) => match m.get_mut(k) {
                Some(n) => n,
                None => return false,
            },
            (Step::Index(i), serde_json::Value::Array(a)) => match a.get_mut(*i) {
                Some(n) => n,
                None => return false,
            },
            _ => return false,
        };
    }
    match (last, node) {
        (Step::Key(k), serde_json::Value::Object(m)) => m.remove(k).is_some(),
        (Step::Index(i), serde_json::Value::Array(a)) if *i < a.len() => {
            a.remove(*i);
            true
        }
        _ => false,
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
    locate_nth_value(text, front_matter, key, needle, 0)
}

/// [`locate_value`] for the `nth` time (from 0) the same value is written
/// under `key` (a repeated alias). A whole quoted value (`"fr/articles"`)
/// is preferred to the same text inside another (`"/fr/articles/zz/"`),
/// and a whole word to a part of one (`macron` in `emmanuel-macron`).
pub fn locate_nth_value(
    text: &str,
    front_matter: Range<usize>,
    key: &str,
    needle: &str,
    nth: usize,
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
    let found: Vec<usize> = region.match_indices(needle).map(|(i, _)| i).collect();
    let before = |i: usize| region[..i].chars().next_back();
    let after = |i: usize| region[i + needle.len()..].chars().next();
    let quoted = |i: usize| matches!(before(i), Some(q @ ('"' | '\'')) if after(i) == Some(q));
    let is_part = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_');
    let whole = |i: usize| !is_part(before(i)) && !is_part(after(i));
    let pick = |tier: Vec<usize>| tier.get(nth).or(tier.last()).copied();
    let best = pick(found.iter().copied().filter(|&i| quoted(i)).collect())
        .or_else(|| pick(found.iter().copied().filter(|&i| whole(i)).collect()))
        .or_else(|| pick(found.clone()));
    match best {
        Some(i) => from + i..from + i + needle.len(),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("content/articles/a.md", text.to_string())
    }

    /// The metadata of a front matter without problems.
    fn ok<T: DeserializeOwned>(f: &SourceFile, keys: &[&str]) -> T {
        let s = split(f).unwrap();
        let (meta, problems) = parse::<T>(f, &s, keys);
        assert!(problems.is_empty(), "{problems:?}");
        meta.unwrap()
    }

    /// The problems of a front matter.
    fn problems<T: DeserializeOwned>(f: &SourceFile, keys: &[&str]) -> Vec<Diagnostic> {
        let s = split(f).unwrap();
        let (_, problems) = parse::<T>(f, &s, keys);
        assert!(!problems.is_empty());
        problems
    }

    /// The only problem of a front matter.
    fn problem<T: DeserializeOwned>(f: &SourceFile, keys: &[&str]) -> Diagnostic {
        let mut p = problems::<T>(f, keys);
        assert_eq!(p.len(), 1, "{p:?}");
        p.remove(0)
    }

    #[test]
    fn a_whole_toml_file_is_read_past_each_syntax_error_with_its_offsets_kept() {
        let f = SourceFile::new(
            "i18n/fr.toml",
            "a = \"x\"\nb = \"open\nc = [1, 2]\nd = 1 1\na = 2\ne = \"y\"\n".to_string(),
        );
        let (text, problems) = toml_without_syntax_errors(&f, &[]);
        let text = text.expect("readable");
        assert_eq!(text.len(), f.text.len(), "offsets kept");
        let lines: Vec<usize> = problems.iter().map(|d| d.line).collect();
        let shown: Vec<_> = problems
            .iter()
            .map(|d| (d.line, d.column, d.message.clone()))
            .collect();
        assert_eq!(lines, [2, 4, 5], "{shown:#?}");
        let table: toml::Table = text.parse().unwrap();
        assert_eq!(
            table.keys().map(String::as_str).collect::<Vec<_>>(),
            ["a", "c", "e"]
        );
        assert_eq!(&text[text.find("e =").unwrap()..], "e = \"y\"\n");
        let clean = SourceFile::new("site.toml", "a = 1\n".to_string());
        assert_eq!(
            toml_without_syntax_errors(&clean, &[]),
            (Some(clean.text.clone()), vec![])
        );
    }

    #[test]
    fn each_syntax_error_is_reported_up_to_a_bound() {
        let mut text = String::from("+++\ntitle = \"x\"\ndate = 2023-10-10\n");
        for i in 0..30 {
            text.push_str(&format!("k{i} = = 1\n"));
        }
        text.push_str("+++\n");
        let p = problems::<ArticleMeta>(&file(&text), ARTICLE_KEYS);
        assert_eq!(p.len(), MAX_SYNTAX_ERRORS + 1, "{p:?}");
        let lines: Vec<usize> = p.iter().map(|d| d.line).collect();
        assert_eq!(lines, (4..4 + MAX_SYNTAX_ERRORS + 1).collect::<Vec<_>>());
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
        let m: ArticleMeta = ok(&f, ARTICLE_KEYS);
        assert_eq!(m.date.iso_day(), "2023-07-26");
        assert_eq!(m.updated.unwrap().iso_day(), "2023-07-27");
    }

    #[test]
    fn invalid_date_points_at_the_value() {
        let f = file("+++\ntitle = \"x\"\ndate = \"2023-13-45\"\n+++\n");
        let e = problem::<ArticleMeta>(&f, ARTICLE_KEYS);
        assert_eq!(e.line, 3);
        assert!(e.message.contains("invalid date"), "{}", e.message);
    }

    #[test]
    fn yaml_unknown_key_points_at_the_key_with_a_hint() {
        let f = file("---\ntitle: x\ndate: 2023-07-26\ntopcs: [a]\n---\n");
        let e = problem::<ArticleMeta>(&f, ARTICLE_KEYS);
        assert_eq!((e.line, e.column), (4, 1));
        assert!(e.message.contains("unknown key `topcs`"), "{}", e.message);
        assert_eq!(e.help.as_deref(), Some("did you mean \"topics\"?"));
    }

    #[test]
    fn missing_required_key_is_named() {
        let f = file("+++\ntitle = \"x\"\n+++\n");
        let e = problem::<ArticleMeta>(&f, ARTICLE_KEYS);
        assert!(
            e.message.contains("missing required key `date`"),
            "{}",
            e.message
        );
        let f = file("---\ntitle: x\n---\n");
        let e = problem::<ArticleMeta>(&f, ARTICLE_KEYS);
        assert!(
            e.message.contains("missing required key `date`"),
            "{}",
            e.message
        );
    }

    fn places(problems: &[Diagnostic]) -> Vec<(usize, usize, String)> {
        let mut p: Vec<_> = problems
            .iter()
            .map(|d| (d.line, d.column, d.message.clone()))
            .collect();
        p.sort();
        p
    }

    #[test]
    fn every_problem_of_a_toml_front_matter_in_one_run() {
        let f = file(concat!(
            "+++\n",
            "title = \"x\"\n",
            "date = \"2023-02-30\"\n",
            "topcs = [\"a\"]\n",
            "updated = 5\n",
            "draft = \"yes\"\n",
            "actors = [\"macron\"]\n",
            "[[sources]]\n",
            "name = \"A\"\n",
            "url = \"https://a.example\"\n",
            "[[sources]]\n",
            "nme = \"B\"\n",
            "url = \"https://b.example\"\n",
            "[[corrections]]\n",
            "date = \"2023-13-01\"\n",
            "text = \"t\"\n",
            "+++\n",
        ));
        let s = split(&f).unwrap();
        let (meta, problems) = parse::<ArticleMeta>(&f, &s, ARTICLE_KEYS);
        let found = places(&problems);
        let at: Vec<(usize, usize)> = found.iter().map(|(l, c, _)| (*l, *c)).collect();
        assert_eq!(
            at,
            [(3, 8), (4, 1), (5, 11), (6, 9), (12, 1), (15, 8)],
            "{found:#?}"
        );
        assert!(
            found[0].2.starts_with("invalid date \"2023-02-30\""),
            "{found:?}"
        );
        assert_eq!(found[1].2, "unknown key `topcs`");
        assert_eq!(
            problems
                .iter()
                .find(|d| d.line == 4)
                .unwrap()
                .help
                .as_deref(),
            Some("did you mean \"topics\"?")
        );
        assert!(found[2].2.starts_with("invalid date \"5\""), "{found:?}");
        assert_eq!(found[4].2, "unknown key `nme` in the `[[sources]]` table");
        // The suggestion comes from the table's own keys.
        assert_eq!(
            problems
                .iter()
                .find(|d| d.line == 12)
                .unwrap()
                .help
                .as_deref(),
            Some("did you mean \"name\"?"),
            "{found:?}"
        );
        let draft = problems.iter().find(|d| d.line == 6).unwrap();
        assert_eq!(
            draft.help.as_deref(),
            Some("write true or false, without quotes")
        );
        // The page is still made, with the good values, so the rest of
        // the site can check its references.
        let meta = meta.expect("stand-ins fill the bad required keys");
        assert_eq!(meta.actors, ["macron"]);
        assert_eq!(meta.sources.len(), 1);
        assert_eq!(meta.date.iso_day(), "1970-01-01");
    }

    #[test]
    fn a_key_of_the_page_below_a_table_is_told_where_it_sits() {
        let toml = file(concat!(
            "+++\n",
            "name = \"Niger\"\n",
            "kind = \"country\"\n",
            "[[links]]\n",
            "name = \"Gov\"\n",
            "url = \"https://gov.ne/\"\n",
            "image_alt = \"Flag\"\n",
            "+++\n",
        ));
        let yaml = file(concat!(
            "---\n",
            "name: Niger\n",
            "kind: country\n",
            "links:\n",
            "  - name: Gov\n",
            "    url: https://gov.ne/\n",
            "    image_alt: Flag\n",
            "---\n",
        ));
        for (f, message, help) in [
            (
                &toml,
                "unknown key `image_alt` in the `[[links]]` table",
                "`image_alt` is a key of the page, but it is written below `[[links]]`, so it belongs to that table: move it above the first `[[links]]` (the page's keys come before its tables)",
            ),
            (
                &yaml,
                "unknown key `image_alt` in `links`",
                "`image_alt` is a key of the page, but it is indented under `links`: start it in the first column, like the page's other keys",
            ),
        ] {
            let s = split(f).unwrap();
            let (_, problems) = parse::<ActorMeta>(f, &s, ACTOR_KEYS);
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert_eq!(problems[0].line, 7);
            assert_eq!(problems[0].message, message);
            assert_eq!(problems[0].help.as_deref(), Some(help));
        }
    }

    #[test]
    fn a_key_of_the_page_set_above_its_table_already_is_told_to_go() {
        let f = file(concat!(
            "+++\n",
            "name = \"Niger\"\n",
            "image = \"flag.png\"\n",
            "image_alt = \"Flag\"\n",
            "[[links]]\n",
            "name = \"Gov\"\n",
            "url = \"https://gov.ne/\"\n",
            "image = \"other.png\"\n",
            "+++\n",
        ));
        let s = split(&f).unwrap();
        let (_, problems) = parse::<ActorMeta>(&f, &s, ACTOR_KEYS);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, 8);
        assert_eq!(
            problems[0].help.as_deref(),
            Some("`image` is set above already, and `[[links]]` has no `image`: remove this one")
        );
    }

    #[test]
    fn a_key_inside_an_inline_table_gets_the_tables_keys_as_its_hint() {
        let f = file(concat!(
            "+++\n",
            "name = \"X\"\n",
            "links = [{ name = \"W\", url = \"https://w.example/\", image = \"b.jpg\" }]\n",
            "+++\n",
        ));
        let s = split(&f).unwrap();
        let (_, problems) = parse::<ActorMeta>(&f, &s, ACTOR_KEYS);
        assert_eq!(problems.len(), 1, "{problems:?}");
        let help = problems[0].help.as_deref().unwrap_or_default();
        assert!(
            !help.contains("set above") && !help.contains("move it"),
            "{help}"
        );
        assert_eq!(help, "the keys of `[[links]]` are `name`, `url`");
    }

    #[test]
    fn every_problem_of_a_yaml_front_matter_in_one_run() {
        let f = file(concat!(
            "---\n",
            "date: 2023-02-30\n",
            "sumary: s\n",
            "timeline: []\n",
            "actors:\n",
            "  - macron\n",
            "  - 7\n",
            "---\n",
        ));
        let problems = problems::<ArticleMeta>(&f, ARTICLE_KEYS);
        let found = places(&problems);
        let at: Vec<(usize, usize)> = found.iter().map(|(l, c, _)| (*l, *c)).collect();
        // The missing title at the fence; the bad date, two unknown keys
        // and the number in a list of names each at its own place.
        assert_eq!(at, [(1, 1), (2, 7), (3, 1), (4, 1), (7, 5)], "{found:#?}");
        assert_eq!(found[0].2, "missing required key `title`");
    }

    #[test]
    fn thousands_of_bad_keys_are_reported_up_to_a_bound() {
        let mut text = String::from("+++\ntitle = \"x\"\ndate = 2023-10-10\n");
        for i in 0..5_000 {
            text.push_str(&format!("bad{i} = {i}\n"));
        }
        text.push_str("+++\n");
        let problems = problems::<ArticleMeta>(&file(&text), ARTICLE_KEYS);
        assert_eq!(problems.len(), MAX_PROBLEMS);
    }

    #[test]
    fn a_bad_required_value_is_not_also_reported_missing() {
        let f = file("+++\ntitle = 5\ndate = \"nope\"\n+++\n");
        let problems = problems::<ArticleMeta>(&f, ARTICLE_KEYS);
        assert_eq!(places(&problems).len(), 2, "{problems:#?}");
        assert!(problems.iter().all(|d| !d.message.contains("missing")));
    }

    #[test]
    fn a_later_problem_in_a_list_points_at_its_own_entry() {
        let f = file(concat!(
            "+++\ntitle = \"x\"\n",
            "[[timeline]]\ndate = \"2023-99\"\ntext = \"a\"\n",
            "[[timeline]]\ndate = \"2023\"\ntext = \"b\"\n",
            "[[timeline]]\ndate = \"2023\"\ntxt = \"c\"\n",
            "+++\n",
        ));
        let problems = problems::<NoteMeta>(&f, NOTE_KEYS);
        let at: Vec<(usize, usize)> = places(&problems).iter().map(|(l, c, _)| (*l, *c)).collect();
        assert_eq!(at, [(4, 8), (11, 1)], "{problems:#?}");
    }

    #[test]
    fn a_colon_in_an_unquoted_yaml_value_gets_a_quote_hint() {
        for (text, help) in [
            (
                "---\ntitle: Macron: the exit\ndate: 2023-10-10\n---\n",
                "title: \"Macron: the exit\"",
            ),
            (
                "---\ntitle: x\ndate: 2023-10-10\ntopics:\n  - Niger: coup\n---\n",
                "- \"Niger: coup\"",
            ),
        ] {
            let e = problem::<ArticleMeta>(&file(text), ARTICLE_KEYS);
            let got = e.help.unwrap_or_default();
            assert!(
                got.contains("must be quoted") && got.contains(help),
                "{text:?}: {got}"
            );
        }
    }

    #[test]
    fn a_mis_indented_yaml_key_is_called_so() {
        for (text, line, key, above) in [
            (
                "---\ntitle: x\n date: 2023-10-10\n---\n",
                3,
                "date",
                "title",
            ),
            (
                "---\ntitle: x\ndate: 2023-10-10\nsources:\n  - name: a\n     url: b\n---\n",
                6,
                "url",
                "name",
            ),
        ] {
            let e = problem::<ArticleMeta>(&file(text), ARTICLE_KEYS);
            assert_eq!(e.line, line, "{text:?}");
            assert!(
                e.message.starts_with(&format!("mis-indented key `{key}`")),
                "{}",
                e.message
            );
            let help = e.help.unwrap();
            assert!(
                help.contains(&format!("indented more than `{above}`")),
                "{help}"
            );
        }
    }

    #[test]
    fn less_indented_keys_and_list_items_are_called_mis_indented() {
        let f = file("---\ntitle: x\ndate: 2023-10-10\nsources:\n  - name: a\n url: b\n---\n");
        let e = problem::<ArticleMeta>(&f, ARTICLE_KEYS);
        assert_eq!(
            (e.line, e.column, e.width),
            (6, 2, 3),
            "the caret is on the key"
        );
        assert!(
            e.message.starts_with("mis-indented key `url`"),
            "{}",
            e.message
        );
        assert!(e.help.unwrap().contains("indented less than `name`"));
        let f = file(
            "---\ntitle: x\ndate: 2023-10-10\nsources:\n  - name: a\n    url: b\n   - name: c\n---\n",
        );
        let e = problem::<ArticleMeta>(&f, ARTICLE_KEYS);
        assert_eq!(e.line, 7);
        assert!(
            e.message.starts_with("mis-indented list item"),
            "{}",
            e.message
        );
        assert!(e
            .help
            .unwrap()
            .contains("indented more than the `-` of the item above"));
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

    #[test]
    fn a_whole_quoted_value_and_each_repeat_are_found_where_written() {
        let text = "+++\naliases = [\"/fr/articles/zz/\", \"fr/articles\", 'x', \"x\"]\n+++\n";
        let fm = 4..text.len() - 4;
        let v = locate_value(text, fm.clone(), "aliases", "fr/articles");
        assert_eq!(
            v.start,
            text.find("\"fr/articles\"").unwrap() + 1,
            "not inside the first"
        );
        let first = locate_nth_value(text, fm.clone(), "aliases", "x", 0);
        let second = locate_nth_value(text, fm.clone(), "aliases", "x", 1);
        assert_eq!(first.start, text.find("'x'").unwrap() + 1);
        assert_eq!(second.start, text.find("\"x\"").unwrap() + 1);
        // More repeats than written: the last one.
        assert_eq!(locate_nth_value(text, fm, "aliases", "x", 5), second);
    }
}
