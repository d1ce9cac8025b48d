//! TOML errors (of `site.toml`, front matter, `i18n/<lang>.toml`) said
//! in terms of the line as written: the parser's and serde's wording
//! turned into a message about keys and values, with a hint.

use crate::diagnostics::{did_you_mean, Diagnostic, SourceFile};

/// Turns a TOML syntax or type error into a diagnostic pointing into the
/// file; `offset` is where the parsed TOML text starts in the file.
pub(crate) fn toml_error(
    file: &SourceFile,
    offset: usize,
    error: &toml::de::Error,
    known_keys: &[&str],
) -> Diagnostic {
    let mut message = error.message().trim().to_string();
    if message.starts_with("unknown field") {
        // The list of every key drowns the one suggestion that matters.
        message.truncate(message.find(", expected").unwrap_or(message.len()));
    }
    let span = if message.starts_with("missing field") && offset >= 4 {
        // A missing key has no place of its own: point at the opening fence.
        offset - 4..offset - 1
    } else {
        error
            .span()
            .map(|s| s.start + offset..s.end + offset)
            .unwrap_or(offset..offset)
    };
    let quote = quote_help(file, span.start);
    if quote.is_none() {
        if let Some((span, message, help)) = syntax_problem(file, span.clone(), &message) {
            return Diagnostic::at(file, span, message).with_help(help);
        }
    }
    let help = unknown_field_help(&message, known_keys).or(quote);
    Diagnostic::at(file, span, rewrite_serde_message(&message)).with_help_opt(help)
}

/// A TOML syntax error the parser words for its own grammar ("unclosed
/// table, expected `]`"), said in terms of the line as written: the
/// place to underline, the message and a hint. `span` is the parser's
/// place in the file. `None` for errors better left in the parser's words.
fn syntax_problem(
    file: &SourceFile,
    span: std::ops::Range<usize>,
    message: &str,
) -> Option<(std::ops::Range<usize>, String, String)> {
    let (line, _) = file.position(span.start);
    let start = file.line_start(line);
    let text = file.line_text(line);
    let end = start + text.len();
    let trimmed = text.trim();
    let indent = text.len() - text.trim_start().len();
    // The line without its trailing comment or spaces, from its first
    // character: what a header or entry is.
    let written = start + indent..end - (text.len() - text.trim_end().len());
    let key = trimmed
        .split_once(['=', ' ', '\t'])
        .map_or(trimmed, |(k, _)| k)
        .trim();
    let kind = message.split(", expected").next().unwrap_or(message);
    // A key the messages can name: a bare key (a quoted or odd one is
    // left to the parser's words).
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
    Some(match kind {
        "unquoted keys cannot be empty" | "invalid table header" if trimmed.starts_with('[') => (
            written,
            match trimmed.trim_matches(['[', ']', ' ']) {
                "" => format!("table header `{trimmed}` has no name"),
                _ => format!("table header `{trimmed}` is not complete"),
            },
            "a table header is a name between brackets: `[images]`, `[search]`".into(),
        ),
        "unclosed table" | "unclosed array table" => {
            let (open, close) = match kind {
                "unclosed table" => ("[", "]"),
                _ => ("[[", "]]"),
            };
            let name = trimmed.trim_start_matches('[').trim_end_matches(']').trim();
            let name = name.split_whitespace().next().unwrap_or(name);
            (
                written,
                format!("table header `{trimmed}` is not closed"),
                format!("a table header ends with `{close}`: write `{open}{name}{close}`"),
            )
        }
        "invalid basic string" | "invalid literal string"
            if file.text[span.start..].starts_with(['\n', '\r']) || span.start >= file.text.len() =>
        {
            let quote = if kind == "invalid basic string" { '"' } else { '\'' };
            let opened = text[..span.start.min(end) - start]
                .rfind(quote)
                .map_or(span.start, |i| start + i);
            (
                opened..span.start.min(end),
                "string is not closed".into(),
                format!(
                    "a {quote}...{quote} string ends with `{quote}` on the same line; \
                     text over several lines goes between {quote}{quote}{quote} and {quote}{quote}{quote}"
                ),
            )
        }
        "unclosed array" => (
            span.clone(),
            "list is not closed".into(),
            "a list ends with `]`: `[\"a\", \"b\"]`; a list over several lines has `,` between its items".into(),
        ),
        "duplicate key" => {
            let is_header = trimmed.starts_with('[');
            // Where it was first written: the same header anywhere above,
            // or the same key below the same header.
            let above = &file.text[..start];
            let first = (above.lines().enumerate())
                .filter(|(_, l)| {
                    let l = l.trim();
                    if is_header {
                        l == trimmed
                    } else {
                        l.split_once('=').is_some_and(|(k, _)| k.trim() == key)
                    }
                })
                .map(|(i, _)| i + 1)
                .last()
                .filter(|&i| {
                    is_header
                        || !file.text[file.line_start(i)..start]
                            .lines()
                            .skip(1)
                            .any(|l| l.trim_start().starts_with('['))
                });
            // Worded as a duplicate key of YAML front matter is.
            let (message, help) = if is_header {
                (
                    format!("duplicate table `{trimmed}`"),
                    "write each table once, with all its keys under it",
                )
            } else {
                (format!("duplicate key `{key}`"), "keep one of the two")
            };
            let help = match first {
                Some(l) => format!("`{}` is already set on line {l}: {help}", if is_header { trimmed } else { key }),
                None => help.to_string(),
            };
            (span, message, help)
        }
        "key with no value" if bare => (
            span.clone(),
            format!("key `{key}` has no `=`"),
            format!("write the key, `=`, then the value: {key} = \"...\""),
        ),
        "string values must be quoted" if bare => {
            let value = trimmed.split_once('=').map_or("", |(_, v)| v.trim());
            if value.is_empty() || value.starts_with('#') {
                (
                    span.clone(),
                    format!("key `{key}` has no value"),
                    format!("write its value after `=`: {key} = \"...\""),
                )
            } else {
                (
                    span.start..written.end.max(span.start),
                    "text must be quoted".into(),
                    format!("write {key} = \"{value}\" (true, false, numbers, dates and lists are written as they are)"),
                )
            }
        }
        "unquoted keys cannot be empty" => (
            span.clone(),
            "the line has no key before its `=`".into(),
            "write the key, `=`, then the value: name = \"...\"".into(),
        ),
        "unexpected key or value" => (
            span.start..written.end.max(span.start),
            "unexpected text after the value".into(),
            "write one key = value per line; a `#` starts a comment".into(),
        ),
        _ => return None,
    })
}

/// A syntax error just after a string closed early by a quote inside it
/// (`title = "He said "no""`, `title = 'It's'`): how to write that quote.
fn quote_help(file: &SourceFile, at: usize) -> Option<String> {
    let (line, column) = file.position(at);
    let text = file.line_text(line);
    let before: String = text.chars().take(column.saturating_sub(1)).collect();
    let value = before.split_once('=')?.1.trim_start();
    let quote = value.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    // The string closed, and the error comes right after it.
    if value.len() < 2 || !value.ends_with(quote) && !text[before.len()..].starts_with(quote) {
        return None;
    }
    Some(if quote == '"' {
        "a `\"` inside a \"...\" string ends it: write it as \\\" (\"He said \\\"no\\\"\"), \
         or put the text in single quotes ('He said \"no\"')"
            .to_string()
    } else {
        "a `'` inside a '...' string ends it: put the text in double quotes (\"It's\")".to_string()
    })
}

/// Serde says "unknown field `titel`, expected one of ..."; the journalist
/// wants the nearest real key.
pub(crate) fn unknown_field_help(message: &str, known_keys: &[&str]) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let field = &rest[..rest.find('`')?];
    did_you_mean(field, known_keys.iter().copied())
}

/// Serde's wording speaks of fields; front matter and site.toml have keys.
/// Its type errors name Rust types ("invalid type: string \"ten\",
/// expected usize"): they say what the value must be in plain words
/// ("must be a whole number, not the string \"ten\"").
pub(crate) fn rewrite_serde_message(message: &str) -> String {
    if let Some(plain) = plain_type_error(message) {
        return plain;
    }
    let message = message.replace("unknown field", "unknown key");
    message.replace("missing field", "missing required key")
}

/// Serde's "invalid type: U, expected E" (or "invalid value: ...") as
/// "must be E', not U'", in the words of [`plain_expected`] and
/// [`plain_unexpected`]; `None` for any other message.
fn plain_type_error(message: &str) -> Option<String> {
    let rest = (message.strip_prefix("invalid type: "))
        .or_else(|| message.strip_prefix("invalid value: "))?;
    let (found, expected) = rest.split_once(", expected ")?;
    // A whole number beyond 64 bits is read as an i128 and refused in
    // Rust's words ("integer `99999999999999999999` as i128").
    if let Some((number, _)) = (found.strip_prefix("integer `")).and_then(|f| f.split_once("` as "))
    {
        let (size, limit) = match number.starts_with('-') {
            true => ("small", i64::MIN),
            false => ("large", i64::MAX),
        };
        return Some(format!(
            "the number {number} is too {size}: TOML's whole numbers go to {limit}"
        ));
    }
    Some(format!(
        "must be {}, not {}",
        plain_expected(expected),
        plain_unexpected(found)
    ))
}

/// What serde says a value should be (a Rust type, or serde's own
/// description), said for someone who writes TOML or YAML.
pub(crate) fn plain_expected(expected: &str) -> String {
    let (head, tail) = match expected.split_once(' ') {
        Some((h, t)) if !h.starts_with('a') && !h.starts_with("struct") => (h, format!(" {t}")),
        _ => (expected, String::new()),
    };
    let plain = match head {
        "u8" => "a whole number from 0 to 255",
        "usize" | "u16" | "u32" | "u64" | "u128" => "a whole number (0 or more)",
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "a whole number",
        "f32" | "f64" => "a number",
        "a boolean" => "true or false",
        "a string" | "a borrowed string" => "a string",
        "a sequence" => "a list",
        "a map" => "a table",
        "a character" | "a char" => "a single character",
        s if s.starts_with("struct ") => "a table",
        _ => return expected.to_string(),
    };
    format!("{plain}{tail}")
}

/// How serde names the value it found ("string \"ten\"", "integer
/// `3`", "sequence"), said for someone who writes TOML or YAML.
fn plain_unexpected(found: &str) -> String {
    let quoted = |prefix: &str| {
        found
            .strip_prefix(prefix)
            .map(|v| v.trim_matches('`').to_string())
    };
    if let Some(text) = found.strip_prefix("string ") {
        return format!("the string {text}");
    }
    if let Some(v) = quoted("integer ")
        .or_else(|| quoted("floating point "))
        .or_else(|| quoted("boolean "))
    {
        return v;
    }
    if let Some(c) = quoted("character ") {
        return format!("'{c}'");
    }
    match found {
        "sequence" => "a list".into(),
        "map" => "a table".into(),
        "unit value" | "null" | "option" => "nothing".into(),
        other => other.to_string(),
    }
}
