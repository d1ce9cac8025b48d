//! Characters no source may carry into the output.
//!
//! - **XML-illegal characters**: XML 1.0 allows only tab, LF and CR below
//!   U+0020, and never U+FFFE or U+FFFF (the `Char` production of the XML
//!   1.0 specification, section 2.2). One of them anywhere in a page ends
//!   up in `feed.xml` (which then does not parse) or in HTML (where it is a
//!   parse error), so every source file is refused at the first one.
//! - **Bidirectional overrides and isolates** (U+202A–U+202E, U+2066–U+2069,
//!   Unicode Standard Annex #9): invisible, and they reverse how the text
//!   after them reads, in a browser tab, a list of titles or a meta tag.
//!   Content files and `site.toml` are refused at the first one; Unicode's
//!   implicit ordering and the marks U+200E/U+200F are enough for
//!   right-to-left names, and a body can use `<bdi>` or `dir="rtl"`.
//!
//! Refusing (instead of silently deleting) tells the writer where the
//! invisible character is: `path:line:column`.

use crate::diagnostics::{Diagnostic, SourceFile};

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

/// The first XML-illegal character of a text file, as an error at its
/// line and column; the help counts any others in the file.
pub fn check_xml_characters(file: &SourceFile) -> Result<(), Diagnostic> {
    check(file, is_xml_illegal, |c| {
        (
            format!(
                "control character {} is not allowed: XML forbids it, so the feed and sitemap could not be read",
                code_point(c)
            ),
            "delete it (most editors do not show it)".to_string(),
        )
    })
}

/// The first bidirectional control of a content file or `site.toml`, as
/// an error at its line and column.
pub fn check_bidi_controls(file: &SourceFile) -> Result<(), Diagnostic> {
    check(file, is_bidi_control, |c| {
        (
            format!(
                "bidirectional control {} ({}) is not allowed: it reverses how the text after it reads",
                code_point(c),
                bidi_name(c)
            ),
            "delete it; right-to-left text needs no control characters (in a body, <bdi> or dir=\"rtl\" isolates a passage)".to_string(),
        )
    })
}

fn check(
    file: &SourceFile,
    refused: impl Fn(char) -> bool,
    describe: impl Fn(char) -> (String, String),
) -> Result<(), Diagnostic> {
    let mut found = file.text.char_indices().filter(|&(_, c)| refused(c));
    let Some((at, c)) = found.next() else {
        return Ok(());
    };
    let more = found.count();
    let (message, mut help) = describe(c);
    if more > 0 {
        let s = if more == 1 { "" } else { "s" };
        help.push_str(&format!("; {more} more such character{s} in this file"));
    }
    Err(Diagnostic::at(file, at..at + c.len_utf8(), message).with_help(help))
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
}
