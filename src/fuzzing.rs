//! Thin entry points for the fuzz targets in `fuzz/` and the property tests
//! in `tests/properties.rs`: the loader's per-file parsing without a file
//! system, a check that keeps the compiled theme between calls, and the
//! rule that every diagnostic points inside its file. Not a stable API,
//! so hidden from the documentation.

use std::cell::RefCell;
use std::path::Path;

use crate::diagnostics::{Diagnostic, SourceFile};
use crate::load;
use crate::model::Section;
use crate::render::theme::ThemeCache;
use crate::{BuildError, BuildOptions, Reuse};

thread_local! {
    /// The compiled default theme, kept between calls of `check_site`.
    static THEMES: RefCell<ThemeCache> = RefCell::new(ThemeCache::default());
}

/// Checks a site as [`crate::check`] does (load, resolve, render in
/// memory, write nothing), but keeps the compiled theme between calls on
/// the same thread: compiling the templates costs far more than checking
/// a small site, and they are not what a fuzzer varies. Every other stage
/// starts afresh each call.
///
/// Errors: as `check`.
pub fn check_site(options: &BuildOptions) -> Result<(), BuildError> {
    let reuse = Reuse {
        bodies: Default::default(),
        themes: THEMES.with(|t| t.take()),
    };
    let previous = Default::default();
    let result = crate::render_site_reusing(options, &previous, &reuse, false, &|_| Ok(true));
    THEMES.with(|t| t.replace(reuse.themes));
    result.map(|_| ())
}

/// Parses one content file of `section` held in memory exactly as the
/// loader parses a file read from `path` (relative to the site root, e.g.
/// `content/articles/a.md`): BOM and CRLF normalised, front matter split
/// off, parsed into the section's typed metadata, slug checked.
///
/// Errors: every problem the loader finds in the file (a page whose front
/// matter has problems but could still be made counts as an error too).
pub fn parse_page(section: Section, path: &Path, text: &str) -> Result<(), Vec<Diagnostic>> {
    let file = SourceFile::new(path, load::normalize_text(text.to_string()));
    match load::parse_section_page(section, file) {
        Ok(load::Loaded::Flawed(_, problems)) | Err(problems) => Err(problems),
        Ok(_) => Ok(()),
    }
}

/// Checks that `d` points inside the file whose bytes on disk are `bytes`:
/// `1 <= line <= L` where `L` is the number of lines (a text with `n` line
/// breaks has `n + 1` lines, the last one possibly empty: the end of the
/// file), and `1 <= column <= C + 1` where `C` is that line's length in
/// characters. Lines and columns are those of the text as the loader sees
/// it: invalid UTF-8 decoded lossily, BOM removed, CRLF and CR turned
/// into LF.
///
/// Errors: a sentence saying which bound `d` breaks.
pub fn check_position(d: &Diagnostic, bytes: &[u8]) -> Result<(), String> {
    let text = load::normalize_text(String::from_utf8_lossy(bytes).into_owned());
    let lines: Vec<&str> = text.split('\n').collect();
    let at = format!("{}:{}:{}", d.path.display(), d.line, d.column);
    if d.line == 0 || d.line > lines.len() {
        return Err(format!(
            "{at}: line {} outside the file's {} lines ({})",
            d.line,
            lines.len(),
            d.message
        ));
    }
    let length = lines[d.line - 1].chars().count();
    if d.column == 0 || d.column > length + 1 {
        return Err(format!(
            "{at}: column {} outside line {} of {length} characters ({})",
            d.column, d.line, d.message
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize, column: usize) -> Diagnostic {
        Diagnostic::in_file(Path::new("a.md"), line, column, "x")
    }

    #[test]
    fn positions_inside_the_file_pass_and_others_fail() {
        let bytes = b"\xef\xbb\xbfab\r\ncde\rf\n";
        // "ab", "cde", "f" and the empty line at the end of the file.
        for (line, column) in [(1, 1), (1, 3), (2, 4), (3, 2), (4, 1)] {
            assert_eq!(check_position(&at(line, column), bytes), Ok(()));
        }
        for (line, column) in [(0, 1), (1, 0), (1, 4), (2, 5), (3, 3), (5, 1)] {
            assert!(check_position(&at(line, column), bytes).is_err());
        }
    }

    #[test]
    fn pages_parse_from_memory_with_the_loaders_errors() {
        let path = Path::new("content/articles/a.md");
        let page = "+++\ntitle = \"T\"\ndate = \"2023-07-26\"\n+++\nBody\n";
        assert!(parse_page(Section::Articles, path, page).is_ok());
        let errors = parse_page(Section::Actors, path, page).unwrap_err();
        // An actor has neither `title` nor `date`: both keys are reported,
        // and so is the missing `name`.
        let e = errors
            .iter()
            .find(|e| e.message.contains("unknown key `date`"))
            .unwrap_or_else(|| panic!("{errors:?}"));
        assert_eq!((e.line, e.column), (3, 1));
        for e in &errors {
            assert_eq!(check_position(e, page.as_bytes()), Ok(()));
        }
    }
}
