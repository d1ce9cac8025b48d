//! Content errors as values: a [`Diagnostic`] carries the file, line and
//! column of a problem, the offending source line and an optional hint.
//! Stages collect them into [`Diagnostics`] instead of printing, so one run
//! reports every problem at once.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A source file as loaded: its path relative to the site root (for
/// messages) and its text, already stripped of a BOM and with CRLF turned
/// into LF so byte offsets, lines and columns agree everywhere.
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        SourceFile {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let column = self.text[self.line_starts[line]..offset].chars().count() + 1;
        (line + 1, column)
    }

    /// The text of a 1-based line, without its newline.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .map(|&e| e - 1)
            .unwrap_or(self.text.len());
        &self.text[start..end.max(start)]
    }

    /// Byte offset where a 1-based line starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One problem found in the site's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The offending line, shown under the message with a caret.
    pub source_line: Option<String>,
    /// How many characters the caret underlines (at least one).
    pub width: usize,
    pub help: Option<String>,
    /// Why the problem matters here, shown after the hint as `= note:`
    /// (a held-back page's problems say why the page is not on the site).
    /// Boxed: a diagnostic stays small enough to return by value.
    pub note: Option<Box<String>>,
}

impl Diagnostic {
    /// A problem at a byte range of a loaded file.
    pub fn at(file: &SourceFile, span: Range<usize>, message: impl Into<String>) -> Self {
        let (line, column) = file.position(span.start);
        let source_line = file.line_text(line).to_string();
        let end = span.end.min(file.line_start(line + 1)).max(span.start);
        let width = file
            .text
            .get(span.start..end)
            .map(|s| s.trim_end_matches('\n').chars().count())
            .unwrap_or(1)
            .max(1);
        Diagnostic {
            path: file.path.clone(),
            line,
            column,
            message: message.into(),
            source_line: Some(source_line),
            width,
            help: None,
            note: None,
        }
    }

    /// A problem about a whole file (or a file that could not be read as
    /// text), reported at a given position without a source line.
    pub fn in_file(path: &Path, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_path_buf(),
            line,
            column,
            message: message.into(),
            source_line: None,
            width: 1,
            help: None,
            note: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(Box::new(note.into()));
        self
    }

    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }
}

impl Diagnostic {
    /// The diagnostic as printed: `path:line:column: message`, then the
    /// source line framed by annotate-snippets with a caret under the
    /// problem (placed by display width, so CJK text, emoji and tabs keep
    /// it aligned), then the hint. Control characters, bidirectional
    /// controls and line separators from the file are shown escaped
    /// (`\u{1b}`), so a file can neither restyle the terminal nor hide or
    /// fake a line. `color` adds terminal styles (see [`use_color`]).
    pub fn render(&self, color: bool) -> String {
        let first = format!(
            "{}:{}:{}: {}",
            escape_controls(&self.path.display().to_string()),
            self.line,
            self.column,
            escape_controls(&self.message)
        );
        let mut out = if color {
            format!("\x1b[1m{first}\x1b[0m")
        } else {
            first
        };
        let help = self.help.as_deref().map(escape_controls);
        let note = self.note.as_deref().map(|n| escape_controls(n));
        let gutter = self.line.to_string().len();
        match &self.source_line {
            // annotate-snippets leaves out a blank line, caret and all.
            Some(source) if source.trim().is_empty() => {
                out.push_str(&format!(
                    "\n{:gutter$} |\n{} |\n{:gutter$} | {}^",
                    "",
                    self.line,
                    "",
                    " ".repeat(self.column.saturating_sub(1))
                ));
                if let Some(help) = &help {
                    out.push_str(&format!("\n{:gutter$} = help: {help}", ""));
                }
                if let Some(note) = &note {
                    out.push_str(&format!("\n{:gutter$} = note: {note}", ""));
                }
            }
            Some(source) => {
                let (shown, span) = shown_source(source, self.column, self.width);
                let mut message = annotate_snippets::Level::Error.title("").snippet(
                    annotate_snippets::Snippet::source(&shown)
                        .line_start(self.line)
                        .annotation(annotate_snippets::Level::Error.span(span)),
                );
                if let Some(help) = &help {
                    message = message.footer(annotate_snippets::Level::Help.title(help));
                }
                if let Some(note) = &note {
                    message = message.footer(annotate_snippets::Level::Note.title(note));
                }
                let renderer = if color {
                    annotate_snippets::Renderer::styled()
                } else {
                    annotate_snippets::Renderer::plain()
                };
                let framed = renderer.render(message).to_string();
                // The renderer's title line is replaced by ours, and the
                // empty gutter lines it adds after the caret are dropped:
                // the frame keeps the shape of rustc's short form.
                let mut lines: Vec<&str> = framed.lines().skip(1).collect();
                let caret = lines
                    .iter()
                    .rposition(|l| strip_styles(l).contains('^'))
                    .unwrap_or(0);
                let mut i = caret + 1;
                while i < lines.len() {
                    if strip_styles(lines[i]).trim() == "|" {
                        lines.remove(i);
                    } else {
                        i += 1;
                    }
                }
                for line in lines {
                    out.push('\n');
                    out.push_str(line.trim_end());
                }
            }
            None => {
                if let Some(help) = &help {
                    out.push_str(&format!("\n{:gutter$} = help: {help}", ""));
                }
                if let Some(note) = &note {
                    out.push_str(&format!("\n{:gutter$} = note: {note}", ""));
                }
            }
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    /// [`Diagnostic::render`] without colour.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// Whether diagnostics printed on stderr get terminal styles: only when
/// stderr is a terminal and `NO_COLOR` is unset or empty
/// (<https://no-color.org>).
pub fn use_color() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// Whether a character is escaped when a diagnostic prints it: C0 and C1
/// controls and DEL (which terminals act on), the bidirectional controls
/// of Unicode's UAX #9 (which reorder what is shown), and the line and
/// paragraph separators (which some terminals break lines at).
pub(crate) fn is_escaped(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// `text` with every character of [`is_escaped`] written as `\u{..}`
/// (`\t`, `\n` and `\r` as themselves).
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_escaped) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    std::borrow::Cow::Owned(out)
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\t' => out.push_str("\\t"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        c if is_escaped(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        c => out.push(c),
    }
}

/// A source line as framed: tabs expanded to the next multiple of four
/// columns, escaped characters spelt out, and the byte span that covers
/// the `width` characters from 1-based character `column` of the original.
fn shown_source(source: &str, column: usize, width: usize) -> (String, Range<usize>) {
    let mut shown = String::with_capacity(source.len());
    let first = column.saturating_sub(1);
    let last = first + width.max(1);
    let (mut start, mut end) = (None, None);
    let mut display_column = 0;
    for (i, c) in source.chars().enumerate() {
        if i == first {
            start = Some(shown.len());
        }
        if i == last {
            end = Some(shown.len());
        }
        if c == '\t' {
            let to = (display_column / 4 + 1) * 4;
            shown.push_str(&" ".repeat(to - display_column));
            display_column = to;
        } else {
            let before = shown.len();
            if is_escaped(c) {
                push_escaped(&mut shown, c);
            } else {
                shown.push(c);
            }
            // Only tab stops need the column; wide characters count one
            // here, which can move a later tab stop by a column at most.
            display_column += shown[before..].chars().count();
        }
    }
    // A caret just past the end of the line (a missing value) gets a
    // space to sit under; an empty line would not be shown at all.
    let start = start.unwrap_or_else(|| {
        shown.push(' ');
        shown.len() - 1
    });
    let end = end.unwrap_or(shown.len()).max(start + 1);
    if shown.len() < end {
        shown.push(' ');
    }
    (shown, start..end)
}

/// `text` without the terminal styles annotate-snippets adds.
fn strip_styles(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Every problem of a run, in a stable order (by file, then position).
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }
    /// Sorted and without exact repeats, ready to print.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort_by(|a, b| {
            (&a.path, a.line, a.column, &a.message).cmp(&(&b.path, b.line, b.column, &b.message))
        });
        self.0.dedup();
        self.0
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// The closest of `candidates` to `wanted`, if one is close enough to be a
/// plausible typo, formatted as a hint.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    // The same word again is no suggestion (a key that is right but in
    // the wrong place is told so by its caller).
    closest(wanted, candidates.into_iter().filter(|c| *c != wanted))
        .map(|c| format!("did you mean \"{c}\"?"))
}

/// The closest candidate by Jaro-Winkler similarity, or one that contains
/// the wanted text, when the match is close enough to suggest.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&wanted_lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_word_is_never_its_own_suggestion() {
        assert_eq!(did_you_mean("quality", ["quality", "widths"]), None);
        assert_eq!(
            did_you_mean("Quality", ["quality"]).as_deref(),
            Some("did you mean \"quality\"?")
        );
    }

    #[test]
    fn a_note_follows_the_help_with_or_without_a_source_line() {
        let f = SourceFile::new("a.md", "x = 1\n".to_string());
        let framed = Diagnostic::at(&f, 0..1, "bad")
            .with_help("fix it")
            .with_note("this page is a draft")
            .to_string();
        let help = framed.find("= help: fix it").expect(&framed);
        let note = framed.find("= note: this page is a draft").expect(&framed);
        assert!(help < note, "{framed}");
        let bare = Diagnostic::in_file(Path::new("a.md"), 1, 1, "bad")
            .with_note("this page is a draft")
            .to_string();
        assert!(bare.ends_with("= note: this page is a draft"), "{bare}");
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        let f = SourceFile::new("a.md", "ab\nçé x\n".to_string());
        assert_eq!(f.position(0), (1, 1));
        assert_eq!(f.position(3), (2, 1));
        let x = f.text.find('x').unwrap();
        assert_eq!(f.position(x), (2, 4));
        assert_eq!(f.line_text(2), "çé x");
        assert_eq!(f.line_text(3), "");
        assert_eq!(f.line_text(9), "");
    }

    #[test]
    fn renders_path_line_column_source_and_caret() {
        let f = SourceFile::new(
            "content/a.md",
            "+++\nactors = [\"emanuel\"]\n+++\n".to_string(),
        );
        let start = f.text.find("emanuel").unwrap();
        let d = Diagnostic::at(&f, start..start + 7, "unknown actor \"emanuel\"")
            .with_help("did you mean \"emmanuel-macron\"?");
        let shown = d.to_string();
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines[0], "content/a.md:2:12: unknown actor \"emanuel\"");
        assert_eq!(lines[2], "2 | actors = [\"emanuel\"]");
        assert_eq!(lines[3], "  |            ^^^^^^^");
        assert_eq!(lines[4], "  = help: did you mean \"emmanuel-macron\"?");
    }

    /// The display column (0-based) of the first caret of a rendering,
    /// and the display width of the source line up to the column wanted.
    fn caret_under(shown: &str, wanted: &str) -> (usize, usize) {
        use unicode_width::UnicodeWidthStr;
        let lines: Vec<&str> = shown.lines().collect();
        let source = lines[2];
        let bar = source.find(" | ").unwrap() + 3;
        let before = &source[bar..source[bar..].find(wanted).unwrap() + bar];
        let caret_line = lines[3];
        let caret = caret_line.find('^').unwrap() - bar;
        (caret, before.width())
    }

    #[test]
    fn carets_stay_under_the_problem_after_wide_characters_and_tabs() {
        for text in [
            "title = \"설치 전 할 일\" x = \"emanuel\"",
            "title = \"設置前にすること\" emanuel",
            "emoji = \"📰🎉\" emanuel",
            "\tkey =\t\"emanuel\"",
            "α\t日本\temanuel",
        ] {
            let f = SourceFile::new("a.md", format!("{text}\n"));
            let start = f.text.find("emanuel").unwrap();
            let shown = Diagnostic::at(&f, start..start + 7, "unknown").to_string();
            let (caret, width) = caret_under(&shown, "emanuel");
            assert_eq!(caret, width, "{text:?}:\n{shown}");
            assert!(
                shown.lines().nth(3).unwrap().ends_with("^^^^^^^"),
                "{shown}"
            );
        }
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        let f = SourceFile::new(
            "content/\u{1b}[2Ja.md",
            "x = \"\u{1b}]0;owned\u{7}\u{202e}txt\u{85}\" y\n".to_string(),
        );
        let start = f.text.find('y').unwrap();
        let d = Diagnostic::at(&f, start..start + 1, "bad \"\u{1b}[31m\u{0}\nred\"")
            .with_help("not \u{9b}this\u{2066}");
        let shown = d.to_string();
        assert!(
            !shown.chars().any(|c| c != '\n' && is_escaped(c)),
            "{shown:?}"
        );
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(
            lines[0],
            "content/\\u{1b}[2Ja.md:1:23: bad \"\\u{1b}[31m\\u{0}\\nred\""
        );
        assert_eq!(
            lines[2],
            "1 | x = \"\\u{1b}]0;owned\\u{7}\\u{202e}txt\\u{85}\" y"
        );
        assert_eq!(lines[3].find('^'), lines[2].find(" y").map(|i| i + 1));
        assert_eq!(lines[4], "  = help: not \\u{9b}this\\u{2066}");
    }

    #[test]
    fn caret_past_the_end_of_a_line_and_on_an_empty_line() {
        let f = SourceFile::new("a.md", "key =\n\nz\n".to_string());
        let d = Diagnostic::at(&f, 5..5, "missing value");
        let lines: Vec<String> = d.to_string().lines().map(str::to_string).collect();
        assert_eq!(lines[2], "1 | key =");
        assert_eq!(lines[3], "  |      ^");
        let d = Diagnostic::at(&f, 6..6, "empty");
        let lines: Vec<String> = d.to_string().lines().map(str::to_string).collect();
        assert_eq!(lines[0], "a.md:2:1: empty");
        assert_eq!(lines[2], "2 |");
        assert_eq!(lines[3], "  | ^");
    }

    #[test]
    fn colour_only_adds_styles() {
        let f = SourceFile::new("a.md", "actors = [\"x\"]\n".to_string());
        let d = Diagnostic::at(&f, 11..12, "unknown actor").with_help("hint");
        let styled = d.render(true);
        assert!(styled.contains('\x1b'));
        let plain: Vec<String> = styled.lines().map(strip_styles).collect();
        let expected: Vec<String> = d.render(false).lines().map(str::to_string).collect();
        assert_eq!(plain, expected);
    }

    #[test]
    fn suggests_only_near_names() {
        let names = ["emmanuel-macron", "sylvain-itte"];
        assert_eq!(closest("emanuel-macron", names), Some("emmanuel-macron"));
        assert_eq!(closest("zzz", names), None);
    }

    #[test]
    fn sorted_output_is_stable_and_deduplicated() {
        let mut ds = Diagnostics::new();
        let d1 = Diagnostic::in_file(Path::new("b.md"), 1, 1, "x");
        let d2 = Diagnostic::in_file(Path::new("a.md"), 3, 1, "y");
        ds.push(d1.clone());
        ds.push(d2.clone());
        ds.push(d1.clone());
        assert_eq!(ds.into_sorted(), vec![d2, d1]);
    }
}
