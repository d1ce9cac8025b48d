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
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
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
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }
}

impl fmt::Display for Diagnostic {
    /// `path:line:column: message`, then the source line with a caret
    /// under the problem, then the hint.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.column,
            self.message
        )?;
        let gutter = self.line.to_string().len();
        if let Some(source) = &self.source_line {
            let shown: String = source.replace('\t', " ");
            let pad: String = shown
                .chars()
                .take(self.column.saturating_sub(1))
                .map(|c| if c.is_whitespace() { c } else { ' ' })
                .collect();
            write!(
                f,
                "\n{:gutter$} |\n{} | {}\n{:gutter$} | {}{}",
                "",
                self.line,
                shown,
                "",
                pad,
                "^".repeat(self.width)
            )?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n{:gutter$} = help: {}", "", help)?;
        }
        Ok(())
    }
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
    closest(wanted, candidates).map(|c| format!("did you mean \"{c}\"?"))
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
