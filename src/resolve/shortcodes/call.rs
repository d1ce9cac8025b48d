//! Finding and reading calls in a Markdown body: the code spans and blocks
//! where calls stay text, the provider URLs alone on a line, a call's name
//! and arguments, and the `{% end %}` of a body.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::super::markdown::parser_options;
use super::Value;

/// The written text's code spans and code blocks, where calls stay text,
/// and the paragraphs that are one URL alone, which may be embeds.
pub(super) fn scan_markdown(text: &str) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let mut code = Vec::new();
    let mut urls = Vec::new();
    // A paragraph's start, and whether it holds only text and links so far.
    let mut paragraph: Option<(usize, bool)> = None;
    for (event, range) in Parser::new_ext(text, parser_options()).into_offset_iter() {
        match event {
            Event::Code(_) => code.push(range),
            Event::Start(Tag::CodeBlock(_)) => code.push(range),
            Event::Start(Tag::Paragraph) => paragraph = Some((range.start, true)),
            Event::End(TagEnd::Paragraph) => {
                if let Some((start, true)) = paragraph.take() {
                    let written = text[start..range.end].trim();
                    let url = written
                        .strip_prefix('<')
                        .and_then(|u| u.strip_suffix('>'))
                        .unwrap_or(written);
                    if (url.starts_with("https://") || url.starts_with("http://"))
                        && !url.contains(char::is_whitespace)
                    {
                        let at = start + text[start..range.end].find(written).unwrap_or(0);
                        urls.push(at..at + written.len());
                    }
                }
            }
            Event::Text(_) | Event::Start(Tag::Link { .. }) | Event::End(TagEnd::Link) => {}
            _ => {
                if let Some((_, only_text)) = &mut paragraph {
                    *only_text = false;
                }
            }
        }
    }
    (code, urls)
}

/// Whether a line may be a URL alone in its paragraph: after indentation
/// and list or quote markers it starts with a URL. Most bodies have none,
/// and are then not parsed a second time.
pub(super) fn has_url_line(text: &str) -> bool {
    text.lines().any(|line| {
        let rest = line.trim_start_matches(|c: char| {
            c.is_whitespace()
                || c.is_ascii_digit()
                || matches!(c, '>' | '-' | '*' | '+' | '.' | ')')
        });
        rest.starts_with("http://") || rest.starts_with("https://") || rest.starts_with("<http")
    })
}

/// A call as parsed, before it is checked against its declaration.
pub(super) struct Call {
    pub name: String,
    pub name_range: Range<usize>,
    pub args: Vec<(String, Range<usize>, Value, Range<usize>)>,
    /// Just after the closing `}}` or `%}`.
    pub end: usize,
}

/// Why a call could not be parsed: a message at a range.
pub(super) type ParseError = (Range<usize>, String, Option<String>);

/// Parses `{{ name(args) }}` (or `{% ... %}`) starting at `at`, where the
/// opening delimiter is. `Ok(None)`: this is no call (`{{ x }}` in prose).
pub(super) fn parse_call(text: &str, at: usize, close: &str) -> Result<Option<Call>, ParseError> {
    let bytes = text.as_bytes();
    let mut i = at + 2;
    let skip_ws = |i: &mut usize| {
        while *i < bytes.len() && matches!(bytes[*i], b' ' | b'\t' | b'\n') {
            *i += 1;
        }
    };
    skip_ws(&mut i);
    let name_start = i;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
        i += 1;
    }
    let name_range = name_start..i;
    if name_range.is_empty() {
        return Ok(None);
    }
    let mut j = i;
    skip_ws(&mut j);
    if bytes.get(j) != Some(&b'(') {
        return Ok(None);
    }
    i = j + 1;
    let line_end = |from: usize| text[from..].find('\n').map_or(text.len(), |n| from + n);
    let mut args = Vec::new();
    loop {
        skip_ws(&mut i);
        match bytes.get(i) {
            Some(b')') => {
                i += 1;
                break;
            }
            None => {
                return Err((
                    at..line_end(at),
                    "unclosed shortcode call: no `)`".into(),
                    None,
                ))
            }
            _ => {}
        }
        let arg_start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        let arg_range = arg_start..i;
        if arg_range.is_empty() {
            let c = text[i..].chars().next().map_or(1, char::len_utf8);
            return Err((
                i..i + c,
                "expected an argument name".into(),
                Some("arguments are written name=value, separated by commas".into()),
            ));
        }
        skip_ws(&mut i);
        if bytes.get(i) != Some(&b'=') {
            return Err((
                arg_range.clone(),
                format!("argument `{}` has no value", &text[arg_range]),
                Some("arguments are written name=value, e.g. kind=\"note\"".into()),
            ));
        }
        i += 1;
        skip_ws(&mut i);
        let value_start = i;
        let value = match bytes.get(i) {
            Some(&q @ (b'"' | b'\'' | b'`')) => {
                let close_at = text[i + 1..].find(q as char).map(|n| i + 1 + n);
                let Some(close_at) = close_at else {
                    return Err((
                        i..line_end(i),
                        "unclosed string".into(),
                        Some(format!("end it with {}", q as char)),
                    ));
                };
                let s = text[i + 1..close_at].to_string();
                i = close_at + 1;
                Value::String(s)
            }
            _ => {
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'.' | b'-' | b'+'))
                {
                    i += 1;
                }
                let word = &text[value_start..i];
                match word {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    _ => {
                        if let Ok(n) = word.parse::<i64>() {
                            Value::Integer(n)
                        } else if let Ok(f) = word.parse::<f64>().map_err(|_| ()).and_then(|f| {
                            if f.is_finite() && !word.is_empty() {
                                Ok(f)
                            } else {
                                Err(())
                            }
                        }) {
                            Value::Float(f)
                        } else {
                            let end = if word.is_empty() {
                                value_start
                                    + text[value_start..].chars().next().map_or(0, char::len_utf8)
                            } else {
                                i
                            };
                            return Err((
                                value_start..end,
                                format!(
                                    "argument `{}` has no valid value",
                                    &text[arg_range.clone()]
                                ),
                                Some("a value is a quoted string, a number, true or false".into()),
                            ));
                        }
                    }
                }
            }
        };
        args.push((
            text[arg_range.clone()].to_string(),
            arg_range,
            value,
            value_start..i,
        ));
        skip_ws(&mut i);
        match bytes.get(i) {
            Some(b',') => i += 1,
            Some(b')') => {}
            _ => {
                let c = text[i.min(text.len())..]
                    .chars()
                    .next()
                    .map_or(0, char::len_utf8);
                return Err((
                    i..i + c,
                    "expected `,` or `)` after an argument".into(),
                    None,
                ));
            }
        }
    }
    skip_ws(&mut i);
    if !text[i..].starts_with(close) {
        return Err((
            at..i,
            format!("shortcode call not closed with `{close}`"),
            Some(format!(
                "write it as {}{} name(...) {close}",
                &text[at..at + 2],
                ""
            )),
        ));
    }
    Ok(Some(Call {
        name: text[name_range.clone()].to_string(),
        name_range,
        args,
        end: i + close.len(),
    }))
}

/// Where the next `{% end %}` after `from` starts and ends.
pub(super) fn find_end(text: &str, from: usize, code: &[Range<usize>]) -> Option<Range<usize>> {
    let mut at = from;
    while let Some(n) = text[at..].find("{%") {
        let start = at + n;
        if let Some(r) = end_tag_at(text, start) {
            if !in_code(code, start) {
                return Some(r);
            }
        }
        at = start + 2;
    }
    None
}

pub(super) fn end_tag_at(text: &str, start: usize) -> Option<Range<usize>> {
    let rest = text.get(start + 2..)?;
    let inner = rest.trim_start_matches([' ', '\t']);
    let inner = inner.strip_prefix("end")?;
    let after = inner.trim_start_matches([' ', '\t']);
    after
        .starts_with("%}")
        .then(|| start..start + 2 + (rest.len() - after.len()) + 2)
}

pub(super) fn in_code(code: &[Range<usize>], at: usize) -> bool {
    let i = code.partition_point(|r| r.end <= at);
    code.get(i).is_some_and(|r| r.start <= at)
}
