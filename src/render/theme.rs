//! The built-in theme, embedded in the binary from this repository's own
//! `templates/` and `static/` folders (one source of truth), and the Tera
//! instance that lets a site's `templates/` override it file by file.

use rayon::prelude::*;
use std::sync::{Arc, Mutex};

use include_dir::{include_dir, Dir};
use tera::Tera;

use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::load::TemplateFile;

static TEMPLATES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/templates");
static STATIC: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/static");

/// Every built-in template: name and text.
pub fn builtin_templates() -> impl Iterator<Item = (String, &'static str)> {
    walk(&TEMPLATES).filter_map(|f| Some((path_name(f.path()), f.contents_utf8()?)))
}

/// The theme's assets published under content-hashed names
/// (`style.3f9a1c2b.css`), built-in or replaced by the site's own file of
/// the same name in `static/`: a changed file gets a new URL, so hosts may
/// let browsers and CDNs keep them for a year (see [`HEADERS`]).
pub const HASHED_ASSETS: &[&str] = &["style.css", "cards.js", "embeds.js", "search.js"];

/// The published name of a hashed asset: the 8 hex digits of
/// [`super::short_hash`] of its bytes before the extension
/// (`style.css` -> `style.3f9a1c2b.css`).
pub fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let hash = super::short_hash(bytes);
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
        None => format!("{name}.{hash}"),
    }
}

/// The `_headers` file written at the output root (the syntax of Netlify
/// and Cloudflare Pages; a site's own `static/_headers` replaces it):
/// pages are revalidated on every visit, hashed assets kept for a year.
/// Both hosts join the values of every rule a path matches, so no path is
/// matched by two rules; paths are from the root of the deployed folder,
/// which both hosts serve at the root of the domain.
pub const HEADERS: &str = "\
# Cache rules for Netlify and Cloudflare Pages, written by explainer.
# Pages, the feed and the sitemap: revalidated on every visit.
/
  Cache-Control: public, max-age=0, must-revalidate
/*/
  Cache-Control: public, max-age=0, must-revalidate
/*.html
  Cache-Control: public, max-age=0, must-revalidate
/*.xml
  Cache-Control: public, max-age=0, must-revalidate
# Stylesheet and script: their names change with their content.
/style.*.css
  Cache-Control: public, max-age=31536000, immutable
/cards.*.js
  Cache-Control: public, max-age=31536000, immutable
/embeds.*.js
  Cache-Control: public, max-age=31536000, immutable
/search.*.js
  Cache-Control: public, max-age=31536000, immutable
";

/// Every built-in static file: output path and bytes.
pub fn builtin_static() -> impl Iterator<Item = (String, &'static [u8])> {
    walk(&STATIC).map(|f| (path_name(f.path()), f.contents()))
}

fn walk(dir: &'static Dir<'static>) -> impl Iterator<Item = &'static include_dir::File<'static>> {
    let mut stack = vec![dir];
    let mut files = Vec::new();
    while let Some(d) = stack.pop() {
        files.extend(d.files());
        stack.extend(d.dirs());
    }
    files.sort_by_key(|f| f.path());
    files.into_iter().filter(|f| {
        !f.path()
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
    })
}

fn path_name(p: &std::path::Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Why [`export_theme`] wrote nothing.
#[derive(Debug)]
pub enum ExportError {
    /// These files exist already (and `force` was not given).
    Exists(Vec<std::path::PathBuf>),
    /// The file system failed; the message names the path.
    Io(String),
}

/// Copies the built-in theme into `dir`: every template into
/// `dir/templates/` and every static file into `dir/static/`, exactly the
/// bytes the binary uses, so a site built with the copy is byte-identical
/// to one built with the built-in theme. Returns the files written, in
/// order.
///
/// Errors: `Exists` lists every file already there, and nothing is
/// written, unless `force`, which replaces them (a symlink is replaced by
/// the file, never written through).
pub fn export_theme(
    dir: &std::path::Path,
    force: bool,
) -> Result<Vec<std::path::PathBuf>, ExportError> {
    let files: Vec<(std::path::PathBuf, &[u8])> = builtin_templates()
        .map(|(name, text)| (dir.join("templates").join(name), text.as_bytes()))
        .chain(builtin_static().map(|(name, bytes)| (dir.join("static").join(name), bytes)))
        .collect();
    let existing: Vec<_> = files
        .iter()
        .filter(|(path, _)| path.symlink_metadata().is_ok())
        .map(|(path, _)| path.clone())
        .collect();
    if !existing.is_empty() && !force {
        return Err(ExportError::Exists(existing));
    }
    let io = |path: &std::path::Path, e: std::io::Error| {
        ExportError::Io(format!("cannot write {}: {e}", path.display()))
    };
    for (path, bytes) in &files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        }
        if existing.contains(path) {
            std::fs::remove_file(path).map_err(|e| io(path, e))?;
        }
        std::fs::write(path, bytes).map_err(|e| io(path, e))?;
    }
    Ok(files.into_iter().map(|(path, _)| path).collect())
}

/// The compiled templates, and a fingerprint of their sources so pages are
/// rendered again when any template changes.
pub struct Theme {
    pub tera: Tera,
    pub fingerprint: u64,
}

/// The last theme compiled, reused while its templates stay the same:
/// compiling them takes longer than a preview rebuild of one article.
#[derive(Default)]
pub struct ThemeCache(Mutex<Option<Arc<Theme>>>);

impl ThemeCache {
    /// The theme for these overrides, compiled only if they changed.
    pub fn get(&self, overrides: &[TemplateFile]) -> Result<Arc<Theme>, Diagnostics> {
        let sources = sources(overrides);
        let fingerprint = sources_fingerprint(&sources);
        let cached = self.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
        if let Some(theme) = cached.filter(|t| t.fingerprint == fingerprint) {
            return Ok(theme);
        }
        // Compiled without holding the lock: compiling runs on the thread
        // pool, whose threads, while they wait, may take up another task
        // that asks this cache too.
        let theme = Arc::new(compile(&sources, fingerprint)?);
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(theme.clone());
        Ok(theme)
    }
}

type Source<'t> = (String, String, Option<&'t TemplateFile>);

/// The theme's templates with the site's own laid over them.
pub fn build_theme(overrides: &[TemplateFile]) -> Result<Theme, Diagnostics> {
    let sources = sources(overrides);
    let fingerprint = sources_fingerprint(&sources);
    compile(&sources, fingerprint)
}

fn sources_fingerprint(sources: &[Source]) -> u64 {
    super::fingerprint(&(
        crate::cache::program_identity(),
        sources.iter().map(|(n, t, _)| (n, t)).collect::<Vec<_>>(),
    ))
}

/// Every template by name: the built-in ones, each replaced by the site's
/// file of the same name, then the site's additional ones.
fn sources(overrides: &[TemplateFile]) -> Vec<Source<'_>> {
    let mut sources: Vec<(String, String, Option<&TemplateFile>)> = builtin_templates()
        .map(|(name, text)| (name, text.to_string(), None))
        .collect();
    for t in overrides {
        match sources.iter_mut().find(|(name, _, _)| *name == t.name) {
            Some(slot) => *slot = (t.name.clone(), t.file.text.clone(), Some(t)),
            None => sources.push((t.name.clone(), t.file.text.clone(), Some(t))),
        }
    }
    sources
}

fn compile(sources: &[Source], fingerprint: u64) -> Result<Theme, Diagnostics> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape_markup);
    // Each template is parsed alone so an error names its own file, and
    // once: parsing is a fixed cost of every build and preview.
    // The templates are parsed on all cores (a build waits for them),
    // then taken in their order, so errors come in the same order.
    let parsed: Vec<_> = sources
        .par_iter()
        .map(|(name, text, _)| tera::Template::new(name, None, text))
        .collect();
    let mut errors = Diagnostics::new();
    for ((name, _, file), parsed) in sources.iter().zip(parsed) {
        match parsed {
            Ok(template) => {
                tera.templates.insert(name.clone(), template);
            }
            Err(e) => errors.push(template_error(name, *file, &e)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // What `Tera::add_raw_templates` does after parsing.
    if let Err(e) = tera
        .build_inheritance_chains()
        .and_then(|()| tera.check_macro_files())
    {
        let mut errors = Diagnostics::new();
        errors.push(link_error(sources, &e));
        return Err(errors);
    }
    Ok(Theme { tera, fingerprint })
}

/// An error linking the templates together ("Template 'article.html' is
/// inheriting from 'bse.html', which doesn't exist"): placed where the
/// first template names the missing one, with the nearest existing name.
fn link_error(sources: &[Source], e: &tera::Error) -> Diagnostic {
    let text = error_chain(e);
    let message = format!("template error: {text}");
    let quoted: Vec<&str> = text.split(['\'', '`']).skip(1).step_by(2).collect();
    let (Some(referrer), Some(missing)) = (quoted.first(), quoted.get(1)) else {
        return Diagnostic::in_file(std::path::Path::new("templates"), 1, 1, message);
    };
    let help = crate::diagnostics::did_you_mean(missing, sources.iter().map(|s| s.0.as_str()));
    match sources.iter().find(|s| s.0 == *referrer) {
        Some((_, _, Some(f))) => {
            let at = f
                .file
                .text
                .find(&format!("\"{missing}\""))
                .map_or(0, |i| i + 1);
            Diagnostic::at(&f.file, at..at + missing.len(), message).with_help_opt(help)
        }
        _ => Diagnostic::in_file(
            &std::path::Path::new("(built-in theme) templates").join(referrer),
            1,
            1,
            message,
        )
        .with_help_opt(help),
    }
}

/// A template error with its position: Tera's own for syntax errors
/// (`--> 3:5`), or where the unknown variable is used for render errors.
pub fn template_error(name: &str, file: Option<&TemplateFile>, e: &tera::Error) -> Diagnostic {
    let text = error_chain(e);
    let parsed_position: Option<(usize, usize)> = text.split("--> ").nth(1).and_then(|rest| {
        let mut it = rest
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty());
        Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?))
    });
    // Syntax errors come as a pest excerpt whose last `= ` line is the
    // message; render errors are one sentence per cause.
    let detail = match text.lines().rev().find_map(|l| l.trim().strip_prefix("= ")) {
        Some(m) => m.to_string(),
        None => text
            .rsplit(": ")
            .find(|part| !part.trim().is_empty())
            .unwrap_or(&text)
            .trim()
            .to_string(),
    };
    let message = format!("template error: {detail}");
    let Some(f) = file else {
        let (line, column) = parsed_position.unwrap_or((1, 1));
        return Diagnostic::in_file(
            &std::path::Path::new("(built-in theme) templates").join(name),
            line,
            column,
            message,
        );
    };
    let offset = match parsed_position {
        Some((line, column)) => {
            f.file.line_start(line)
                + f.file
                    .line_text(line)
                    .char_indices()
                    .nth(column.saturating_sub(1))
                    .map(|(i, _)| i)
                    .unwrap_or(0)
        }
        None => variable_in(&text)
            .and_then(|v| f.file.text.find(v))
            .unwrap_or(0),
    };
    let width = variable_in(&text)
        .filter(|_| parsed_position.is_none())
        .map_or(1, str::len);
    Diagnostic::at(&f.file, offset..offset + width, message)
}

/// A render error at the template line that caused it. Tera names the
/// template being rendered (`actor.html`) even when the fault is in a
/// template it extends (`base.html`), includes or imports macros from;
/// its error chain says which one ("error happened in 'base.html'",
/// "error while rendering macro `m::card`"), and the name the error quotes
/// (a variable, filter, test or function) is looked for there first, then
/// in the rest of the templates involved, the site's own before the
/// built-in ones.
pub fn render_error(
    tera: &Tera,
    overrides: &[TemplateFile],
    template: &str,
    e: &tera::Error,
) -> Diagnostic {
    let text = error_chain(e);
    let mut within = between(&text, "(error happened in '", "'")
        .unwrap_or(template)
        .to_string();
    if let Some(namespace) = between(&text, "error while rendering macro `", "::") {
        let importers = [within.as_str(), template];
        let file = importers.iter().find_map(|name| {
            tera.templates.get(*name).and_then(|t| {
                t.imported_macro_files
                    .iter()
                    .find(|(_, ns)| ns == namespace)
                    .map(|(file, _)| file.clone())
            })
        });
        if let Some(file) = file {
            within = file;
        }
    }
    let needle = variable_in(&text)
        .or_else(|| between(&text, "Template '[", "]'").and_then(|names| names.split(", ").next()))
        .or_else(|| between(&text, "Filter '", "'"))
        .or_else(|| between(&text, "Test '", "'"))
        .or_else(|| between(&text, "Function '", "'"))
        .or_else(|| between(&text, "interface string \"", "\""));
    let sources = sources(overrides);
    let mut order: Vec<&str> = vec![within.as_str(), template];
    if let Some(t) = tera.templates.get(template) {
        order.extend(t.parents.iter().map(String::as_str));
        order.extend(t.imported_macro_files.iter().map(|(f, _)| f.as_str()));
    }
    order.extend(
        sources
            .iter()
            .filter(|s| s.2.is_some())
            .map(|s| s.0.as_str()),
    );
    order.extend(
        sources
            .iter()
            .filter(|s| s.2.is_none())
            .map(|s| s.0.as_str()),
    );
    let found = needle.and_then(|needle| {
        order.iter().find_map(|name| {
            let (_, source, file) = sources.iter().find(|s| s.0 == *name)?;
            let at = find_word(source, needle)?;
            Some((*name, source, *file, at..at + needle.len()))
        })
    });
    // "Variable `x` not found in context while rendering 'actor.html'":
    // the template named last is the one rendered, not the one at fault.
    let detail = text
        .rsplit(": ")
        .find(|part| !part.trim().is_empty())
        .unwrap_or(&text)
        .trim();
    let detail = detail
        .split(" while rendering '")
        .next()
        .unwrap_or(detail)
        .trim_end_matches('.');
    let message = format!("template error: {detail}");
    let (name, source, file, span) = match found {
        Some(f) => f,
        None => match sources.iter().find(|s| s.0 == within) {
            Some((name, source, file)) => (name.as_str(), source, *file, 0..0),
            None => return Diagnostic::in_file(std::path::Path::new("templates"), 1, 1, message),
        },
    };
    match file {
        Some(f) => Diagnostic::at(&f.file, span, message),
        None => {
            let builtin = SourceFile::new(
                std::path::Path::new("(built-in theme) templates").join(name),
                source.clone(),
            );
            let mut d = Diagnostic::at(&builtin, span, message);
            // The built-in theme's text is not the user's to read.
            d.source_line = None;
            d
        }
    }
}

/// The text between `start` and the next `end` after it.
fn between<'t>(text: &'t str, start: &str, end: &str) -> Option<&'t str> {
    let rest = &text[text.find(start)? + start.len()..];
    Some(&rest[..rest.find(end)?])
}

/// Where `word` first appears in `text` inside a `{{ }}` or `{% %}` tag,
/// not as part of a longer name.
fn find_word(text: &str, word: &str) -> Option<usize> {
    let is_name = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.');
    let in_tag = |i: usize| {
        let before = &text[..i];
        let open = before.rfind("{{").max(before.rfind("{%"));
        let close = before.rfind("}}").max(before.rfind("%}"));
        open.is_some() && open > close
    };
    text.match_indices(word).map(|(i, _)| i).find(|&i| {
        !is_name(text[..i].chars().next_back())
            && !is_name(text[i + word.len()..].chars().next())
            && in_tag(i)
    })
}

/// The variable a render error names ("Variable `page.byline` not found").
fn variable_in(text: &str) -> Option<&str> {
    let rest = &text[text.find("Variable `")? + "Variable `".len()..];
    Some(&rest[..rest.find('`')?])
}

/// Tera nests the cause of an error; the person at the terminal wants all
/// of it.
pub fn error_chain(e: &tera::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Escapes text for HTML and XML alike. Unlike Tera's default it leaves
/// `/` alone, so URLs in attributes read as written.
pub fn escape_markup(input: &str) -> String {
    let bytes = input.as_bytes();
    // Two vectorised scans, merged in order: most values (titles, slugs,
    // dates) hold none of the five characters, and the feeds' escaped HTML
    // holds few, so the text between them is copied by runs.
    let mut markup = memchr::memchr3_iter(b'&', b'<', b'>', bytes).peekable();
    let mut quotes = memchr::memchr2_iter(b'"', b'\'', bytes).peekable();
    let mut out: Option<String> = None;
    let mut run = 0;
    loop {
        let at = match (markup.peek(), quotes.peek()) {
            (Some(&m), Some(&q)) if m < q => markup.next(),
            (Some(_), Some(_)) | (None, Some(_)) => quotes.next(),
            (Some(_), None) => markup.next(),
            (None, None) => break,
        };
        let Some(at) = at else { break };
        let entity = match bytes[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        };
        let out = out.get_or_insert_with(|| String::with_capacity(input.len() + input.len() / 8));
        out.push_str(&input[run..at]);
        out.push_str(entity);
        run = at + 1;
    }
    match out {
        None => input.to_string(),
        Some(mut out) => {
            out.push_str(&input[run..]);
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::escape_markup;

    /// The embedded theme is the one on disk: build.rs makes Cargo rebuild
    /// when `templates/` or `static/` change, which include_dir alone
    /// cannot on stable Rust.
    #[test]
    fn the_embedded_theme_is_the_one_on_disk() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let on_disk = |folder: &str| -> Vec<(String, Vec<u8>)> {
            let mut files: Vec<_> = walkdir::WalkDir::new(root.join(folder))
                .into_iter()
                .flatten()
                .filter(|e| e.file_type().is_file())
                .map(|e| {
                    let name = e.path().strip_prefix(root.join(folder)).unwrap();
                    (super::path_name(name), std::fs::read(e.path()).unwrap())
                })
                .filter(|(name, _)| !name.split('/').any(|part| part.starts_with('.')))
                .collect();
            files.sort();
            files
        };
        let templates: Vec<_> = super::builtin_templates()
            .map(|(name, text)| (name, text.as_bytes().to_vec()))
            .collect();
        let statics: Vec<_> = super::builtin_static()
            .map(|(name, bytes)| (name, bytes.to_vec()))
            .collect();
        assert!(
            templates == on_disk("templates"),
            "templates/ is stale in the binary"
        );
        assert!(
            statics == on_disk("static"),
            "static/ is stale in the binary"
        );
    }

    #[test]
    fn hashed_names_follow_the_bytes() {
        let a = super::hashed_name("style.css", b"body{}");
        assert_eq!(a, super::hashed_name("style.css", b"body{}"), "stable");
        assert_ne!(a, super::hashed_name("style.css", b"body{ }"));
        let hash = a
            .strip_prefix("style.")
            .unwrap()
            .strip_suffix(".css")
            .unwrap();
        assert!(
            hash.len() == 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
            "{a}"
        );
        // The value is fixed across versions and platforms: a deploy's
        // cached name must not change without its content changing.
        assert_eq!(super::hashed_name("cards.js", b""), "cards.84222325.js");
    }

    #[test]
    fn escapes_markup_and_quotes_and_leaves_the_rest() {
        assert_eq!(escape_markup("plain / text é"), "plain / text é");
        assert_eq!(
            escape_markup("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
    }

    /// The two merged scans agree with a plain character-by-character
    /// escape wherever the special characters fall: first, last, side by
    /// side, one kind only, beside multi-byte text.
    #[test]
    fn escaping_agrees_with_a_character_by_character_escape() {
        let naive = |s: &str| -> String {
            s.chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    c => c.to_string(),
                })
                .collect()
        };
        let alphabet = ['a', '&', '<', '>', '"', '\'', 'é', ' '];
        // Every string of up to five characters over the alphabet.
        let mut cases = vec![String::new()];
        let mut last = cases.clone();
        for _ in 0..5 {
            last = (last.iter())
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            cases.extend(last.iter().cloned());
        }
        for case in &cases {
            assert_eq!(escape_markup(case), naive(case), "{case:?}");
        }
        let long = "x".repeat(100) + "'" + &"y".repeat(100) + "<&>\"";
        assert_eq!(escape_markup(&long), naive(&long));
    }
}
