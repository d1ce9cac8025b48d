//! Characters no source may carry into the output.
//!
//! - **XML-illegal characters**: XML 1.0 allows only tab, LF and CR below
//!   U+0020, and never U+FFFE or U+FFFF (the `Char` production of the XML
//!   1.0 specification, section 2.2). One of them anywhere in a page ends
//!   up in `feed.xml` (which then does not parse) or in HTML (where it is a
//!   parse error), so each one is an error: every one of a content file
//!   (up to [`MAX_REPORTED`]), the first one of `site.toml` or a template.
//! - **Bidirectional overrides and isolates** (U+202A–U+202E, U+2066–U+2069,
//!   Unicode Standard Annex #9): invisible, and they reverse how the text
//!   after them reads, in a browser tab, a list of titles or a meta tag.
//!   Content files and `site.toml` are refused the same way; Unicode's
//!   implicit ordering and the marks U+200E/U+200F are enough for
//!   right-to-left names, and a body can use `<bdi>` or `dir="rtl"`.
//!
//! Refusing (instead of silently deleting) tells the writer where the
//! invisible character is: `path:line:column`. A character written as an
//! escape in a quoted string (`check_escapes`) or as a numeric character
//! reference in Markdown (`find_reference`, checked on the rendered HTML
//! in `resolve`) is refused at that spelling.

use std::ops::Range;

use crate::diagnostics::{Diagnostic, SourceFile};
use crate::load::front_matter::Format;

/// Whether XML 1.0 forbids `c` in a document. CR is included in the
/// allowed set, though loaded text has none left (see `normalize_text`).
pub fn is_xml_illegal(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}'
    )
}

/// Whether `c` is a bidirectional embedding, override or isolate control.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` is refused in a content file or `site.toml`: XML-illegal
/// or a bidirectional control.
pub fn is_refused(c: char) -> bool {
    is_xml_illegal(c) || is_bidi_control(c)
}

/// The characters of `text` that `refused` (one of the predicates above)
/// holds for, with their byte offsets.
///
/// Every character those predicates refuse starts, in UTF-8, with a byte
/// below 0x20 (the C0 controls), 0xE2 (U+2000–U+2FFF, the bidirectional
/// controls) or 0xEF (U+F000–U+FFFF, U+FFFE and U+FFFF). The scan reads
/// bytes and decodes a character only at such a byte: every content file
/// and rendered body passes through here, and decoding every character
/// was a tenth of a build's loading. Blocks of [`SCAN_BLOCK`] bytes with no
/// such byte, nearly all of them, are passed over by a test the compiler
/// turns into vector instructions; a byte-by-byte filter was 4% of a build.
fn refused_chars<'t>(
    text: &'t str,
    refused: impl Fn(char) -> bool + 't,
) -> impl Iterator<Item = (usize, char)> + 't {
    let bytes = text.as_bytes();
    bytes
        .chunks(SCAN_BLOCK)
        .enumerate()
        // No early exit, so the fold is vectorised.
        .filter(|(_, block)| {
            block
                .iter()
                .fold(false, |any, &b| any | may_start_refused(b))
        })
        .flat_map(|(i, block)| {
            let start = i * SCAN_BLOCK;
            start..start + block.len()
        })
        .filter(move |&at| may_start_refused(bytes[at]))
        // A candidate byte below 0x80 or a lead byte (0xE2, 0xEF) always
        // starts a character.
        .filter_map(move |at| text[at..].chars().next().map(|c| (at, c)))
        .filter(move |&(_, c)| refused(c))
}

/// Bytes per block of [`refused_chars`]' scan.
const SCAN_BLOCK: usize = 64;

/// Whether a character starting with byte `b` may be refused (see
/// [`refused_chars`]). Branch-free, so a block's test vectorises.
#[inline(always)]
fn may_start_refused(b: u8) -> bool {
    ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r')) | (b == 0xE2) | (b == 0xEF)
}

/// The first XML-illegal character of a text file, as an error at its
/// line and column; the help counts any others in the file.
pub fn check_xml_characters(file: &SourceFile) -> Result<(), Diagnostic> {
    check(file, is_xml_illegal)
}

/// The first bidirectional control of a content file or `site.toml`, as
/// an error at its line and column.
pub fn check_bidi_controls(file: &SourceFile) -> Result<(), Diagnostic> {
    check(file, is_bidi_control)
}

/// The error for a refused character `c` at `span` of `file`.
pub fn refused_character(file: &SourceFile, span: Range<usize>, c: char) -> Diagnostic {
    let (message, help) = describe(c);
    Diagnostic::at(file, span, message).with_help(help)
}

/// The message and help for a refused character `c`.
pub fn describe(c: char) -> (String, String) {
    if is_bidi_control(c) {
        (
            format!(
                "bidirectional control {} ({}) is not allowed: it reverses how the text after it reads",
                code_point(c),
                bidi_name(c)
            ),
            "delete it; right-to-left text needs no control characters (in a body, <bdi> or dir=\"rtl\" isolates a passage)".to_string(),
        )
    } else {
        let what = if c.is_control() {
            "control character"
        } else {
            "noncharacter"
        };
        (
            format!(
                "{what} {} is not allowed: XML forbids it, so the feed and sitemap could not be read",
                code_point(c)
            ),
            "delete it (most editors do not show it)".to_string(),
        )
    }
}

/// The most refused characters reported for one file; the help of the
/// last one counts the rest.
pub const MAX_REPORTED: usize = 20;

/// Every character of `file` for which `refused` holds, each as an error
/// at its place, up to [`MAX_REPORTED`].
pub fn each_refused(file: &SourceFile, refused: impl Fn(char) -> bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut more = 0;
    for (at, c) in refused_chars(&file.text, refused) {
        if out.len() == MAX_REPORTED {
            more += 1;
        } else {
            out.push(refused_character(file, at..at + c.len_utf8(), c));
        }
    }
    if let (Some(last), true) = (out.last_mut(), more > 0) {
        let s = if more == 1 { "" } else { "s" };
        last.help = last
            .help
            .take()
            .map(|h| format!("{h}; {more} more such character{s} in this file"));
    }
    out
}

/// `text` with each refused character replaced by a harmless one of the
/// same length in UTF-8 (a space, or U+FFFD for the three-byte ones), so
/// that every byte offset into the text stays valid.
pub fn replace_refused(text: &str) -> String {
    text.chars()
        .map(|c| match (is_refused(c), c.len_utf8()) {
            (false, _) => c,
            (true, 1) => ' ',
            (true, _) => '\u{FFFD}',
        })
        .collect()
}

fn check(file: &SourceFile, refused: impl Fn(char) -> bool) -> Result<(), Diagnostic> {
    let mut found = refused_chars(&file.text, refused);
    let Some((at, c)) = found.next() else {
        return Ok(());
    };
    let more = found.count();
    let mut d = refused_character(file, at..at + c.len_utf8(), c);
    if more > 0 {
        let s = if more == 1 { "" } else { "s" };
        d.help = d
            .help
            .map(|h| format!("{h}; {more} more such character{s} in this file"));
    }
    Err(d)
}

/// Escapes in quoted strings write characters the file does not hold as
/// such: TOML `"\u202E"`, YAML `"\a"` or `"\x1b"`. The first escape in
/// `range` (front matter, or all of `site.toml`) that decodes to a refused
/// character is an error at the escape. The scan is lexical, so an escape
/// spelt inside a literal string or a comment is confirmed by parsing
/// `range` as `format` and looking for the character in its strings.
pub fn check_escapes(
    file: &SourceFile,
    range: Range<usize>,
    format: Format,
) -> Result<(), Diagnostic> {
    let text = &file.text[range.clone()];
    if !text.contains('\\') {
        return Ok(());
    }
    let mut decoded: Option<Vec<String>> = None;
    for (at, len, c) in escapes(text).filter(|&(_, _, c)| is_refused(c)) {
        let strings = decoded.get_or_insert_with(|| strings_of(text, format));
        if strings.iter().any(|s| s.contains(c)) {
            let start = range.start + at;
            return Err(refused_character(file, start..start + len, c));
        }
    }
    Ok(())
}

/// Every backslash escape of `text` that names a character: its offset,
/// length and the character. Covers TOML (`\b \f \e \uXXXX \UXXXXXXXX`)
/// and YAML double-quoted strings (also `\0 \a \v \xXX`).
fn escapes(text: &str) -> impl Iterator<Item = (usize, usize, char)> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            if bytes[i] != b'\\' {
                i += 1;
                continue;
            }
            let at = i;
            let kind = bytes.get(i + 1).copied();
            let hex = |n: usize| {
                text.get(at + 2..at + 2 + n)
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .and_then(char::from_u32)
                    .map(|c| (n + 2, c))
            };
            let found = match kind {
                Some(b'u') => hex(4),
                Some(b'U') => hex(8),
                Some(b'x') => hex(2),
                Some(b'0') => Some((2, '\u{0}')),
                Some(b'a') => Some((2, '\u{7}')),
                Some(b'b') => Some((2, '\u{8}')),
                Some(b'v') => Some((2, '\u{B}')),
                Some(b'f') => Some((2, '\u{C}')),
                Some(b'e') => Some((2, '\u{1B}')),
                _ => None,
            };
            // `\\` is one escaped backslash: the next one starts nothing.
            i += if kind == Some(b'\\') { 2 } else { 1 };
            if let Some((len, c)) = found {
                return Some((at, len, c));
            }
        }
        None
    })
}

/// Every string value (and key) of a TOML or YAML text, decoded.
fn strings_of(text: &str, format: Format) -> Vec<String> {
    fn toml_strings(v: &toml::Value, out: &mut Vec<String>) {
        match v {
            toml::Value::String(s) => out.push(s.clone()),
            toml::Value::Array(list) => list.iter().for_each(|v| toml_strings(v, out)),
            toml::Value::Table(t) => t.iter().for_each(|(k, v)| {
                out.push(k.clone());
                toml_strings(v, out)
            }),
            _ => {}
        }
    }
    fn yaml_strings(v: &serde_yaml_ng::Value, out: &mut Vec<String>) {
        match v {
            serde_yaml_ng::Value::String(s) => out.push(s.clone()),
            serde_yaml_ng::Value::Sequence(list) => list.iter().for_each(|v| yaml_strings(v, out)),
            serde_yaml_ng::Value::Mapping(m) => m.iter().for_each(|(k, v)| {
                yaml_strings(k, out);
                yaml_strings(v, out)
            }),
            serde_yaml_ng::Value::Tagged(t) => yaml_strings(&t.value, out),
            _ => {}
        }
    }
    let mut out = Vec::new();
    match format {
        Format::Toml => {
            if let Ok(t) = text.parse::<toml::Table>() {
                toml_strings(&toml::Value::Table(t), &mut out);
            }
        }
        Format::Yaml => {
            if let Ok(v) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text) {
                yaml_strings(&v, &mut out);
            }
        }
    }
    out
}

/// Where Markdown text writes `c` as a numeric character reference
/// (`&#x202E;`, `&#7;`), which the Markdown parser decodes: the first
/// such reference, by byte range.
pub fn find_reference(text: &str, c: char) -> Option<Range<usize>> {
    references(text).find_map(|(r, found)| (found == c).then_some(r))
}

/// Every numeric character reference of Markdown text that names a
/// refused character: its byte range and the character.
pub fn references(text: &str) -> impl Iterator<Item = (Range<usize>, char)> + '_ {
    text.match_indices("&#").filter_map(|(at, _)| {
        let rest = &text[at + 2..];
        let (digits, radix, skip) = match rest.as_bytes().first() {
            Some(b'x' | b'X') => (&rest[1..], 16, 3),
            _ => (rest, 10, 2),
        };
        let end = digits.find(';')?;
        let value = u32::from_str_radix(&digits[..end], radix).ok()?;
        let c = char::from_u32(value).filter(|&c| is_refused(c))?;
        (end > 0 && end <= 8).then(|| (at..at + skip + end + 1, c))
    })
}

/// The first refused character of rendered HTML: one that a character
/// reference or an escape in the source wrote, since the source itself
/// holds none.
pub fn first_refused(html: &str) -> Option<char> {
    html.chars().find(|&c| is_refused(c))
}

/// Each distinct refused character of rendered HTML.
pub fn each_refused_in(html: &str) -> Vec<char> {
    let mut out: Vec<char> = Vec::new();
    for (_, c) in refused_chars(html, is_refused) {
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

fn bidi_name(c: char) -> &'static str {
    match c {
        '\u{202A}' => "LEFT-TO-RIGHT EMBEDDING",
        '\u{202B}' => "RIGHT-TO-LEFT EMBEDDING",
        '\u{202C}' => "POP DIRECTIONAL FORMATTING",
        '\u{202D}' => "LEFT-TO-RIGHT OVERRIDE",
        '\u{202E}' => "RIGHT-TO-LEFT OVERRIDE",
        '\u{2066}' => "LEFT-TO-RIGHT ISOLATE",
        '\u{2067}' => "RIGHT-TO-LEFT ISOLATE",
        '\u{2068}' => "FIRST STRONG ISOLATE",
        _ => "POP DIRECTIONAL ISOLATE",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("content/notes/x.md", text.to_string())
    }

    #[test]
    fn xml_illegal_set_is_exactly_the_xml_1_0_exclusions() {
        let illegal: Vec<u32> = (0..0x20)
            .chain([0x7F, 0x85, 0xFFFD, 0xFFFE, 0xFFFF, 0x1FFFE])
            .filter(|&u| char::from_u32(u).is_some_and(is_xml_illegal))
            .collect();
        let mut expected: Vec<u32> = (0..0x20).filter(|u| ![9, 10, 13].contains(u)).collect();
        expected.extend([0xFFFE, 0xFFFF]);
        assert_eq!(illegal, expected);
    }

    #[test]
    fn first_control_character_is_reported_where_it_is() {
        let e = check_xml_characters(&file("+++\ntitle = \"a\u{7}b\u{0}\"\n+++\n\nx\u{1b}[31m\n"))
            .unwrap_err();
        assert_eq!((e.line, e.column, e.width), (2, 11, 1));
        assert!(e.message.contains("U+0007"), "{}", e.message);
        assert!(
            e.help
                .as_deref()
                .unwrap()
                .ends_with("2 more such characters in this file"),
            "{:?}",
            e.help
        );
        assert!(check_xml_characters(&file("tab\there\nnewline é €\n")).is_ok());
    }

    #[test]
    fn escapes_that_write_refused_characters_are_found_where_spelt() {
        let toml = "title = \"a\\u202Eb\"\nliteral = 'c:\\u0007'\nok = \"\\\\u0007 \\u00e9\"\n";
        let f = file(&format!("+++\n{toml}+++\n"));
        let e = check_escapes(&f, 4..4 + toml.len(), Format::Toml).unwrap_err();
        assert_eq!((e.line, e.column, e.width), (2, 11, 6));
        assert!(e.message.contains("U+202E"), "{}", e.message);
        // Only in a literal string, or after an escaped backslash: text.
        let toml = "literal = 'c:\\u0007'\nok = \"\\\\u0007 \\u00e9\"\n";
        let f = file(toml);
        assert!(check_escapes(&f, 0..toml.len(), Format::Toml).is_ok());
        let yaml = "title: \"bell \\a and \\x1b\"\n";
        let f = file(yaml);
        let e = check_escapes(&f, 0..yaml.len(), Format::Yaml).unwrap_err();
        assert_eq!((e.line, e.column), (1, 14));
        assert!(e.message.contains("U+0007"), "{}", e.message);
    }

    #[test]
    fn character_references_are_found() {
        let text = "a &#x202e; b &#7; c &#x41;";
        assert_eq!(find_reference(text, '\u{202E}'), Some(2..10));
        assert_eq!(find_reference(text, '\u{7}'), Some(13..17));
        assert_eq!(find_reference(text, '\u{8}'), None);
        assert_eq!(first_refused("<p>x\u{7}</p>"), Some('\u{7}'));
        assert_eq!(first_refused("<p>\u{2028}é</p>"), None);
    }

    #[test]
    fn bidi_controls_are_named() {
        let e = check_bidi_controls(&file("name = \"é\u{202E}gnp.exe\"\n")).unwrap_err();
        assert_eq!((e.line, e.column), (1, 10));
        assert!(
            e.message.contains("U+202E (RIGHT-TO-LEFT OVERRIDE)"),
            "{}",
            e.message
        );
        assert!(e.help.as_deref().unwrap().ends_with("isolates a passage)"));
        // Marks and right-to-left letters are not controls.
        assert!(check_bidi_controls(&file("\u{200F}محمد بازوم\u{200E}")).is_ok());
    }

    /// The byte scan finds exactly what decoding every character finds,
    /// for every character of the Basic Multilingual Plane and some
    /// beyond it, alone and between others.
    #[test]
    fn the_byte_scan_agrees_with_decoding_every_character() {
        let chars = (0..=0xFFFFu32)
            .chain([0x1_0000, 0x1_F600, 0x10_FFFF])
            .filter_map(char::from_u32);
        let mut text = String::new();
        for c in chars {
            text.push('a');
            text.push(c);
            text.push('\u{2019}');
        }
        for refused in [is_refused, is_xml_illegal, is_bidi_control] {
            let slow: Vec<(usize, char)> =
                text.char_indices().filter(|&(_, c)| refused(c)).collect();
            let fast: Vec<(usize, char)> = refused_chars(&text, refused).collect();
            assert_eq!(fast, slow);
        }
        assert_eq!(
            refused_chars("\u{202E}x\u{FFFF}\u{7}", is_refused).collect::<Vec<_>>(),
            [(0, '\u{202E}'), (4, '\u{FFFF}'), (7, '\u{7}')]
        );
        // Sparse text: refused characters at the last byte of a scan
        // block, at the first of the next, straddling two, and after
        // blocks with nothing to find.
        let mut sparse = "a".repeat(SCAN_BLOCK - 1);
        sparse.push('\u{7}');
        sparse.push('\u{8}');
        sparse.push_str(&"b".repeat(SCAN_BLOCK * 3 - 2));
        sparse.push('\u{202E}');
        sparse.push_str(&"c".repeat(SCAN_BLOCK * 2));
        sparse.push('\u{FFFF}');
        let at = |n: usize| n * SCAN_BLOCK;
        assert_eq!(
            refused_chars(&sparse, is_refused).collect::<Vec<_>>(),
            [
                (at(1) - 1, '\u{7}'),
                (at(1), '\u{8}'),
                (at(4) - 1, '\u{202E}'),
                (at(6) + 2, '\u{FFFF}'),
            ]
        );
    }
}
