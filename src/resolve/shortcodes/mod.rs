//! Shortcodes, in Zola's syntax, and embeds of a provider's URL alone in
//! its paragraph: expanded in a Markdown body before it is parsed.
//!
//! - `{{ name(arg="value", n=3, flag=true) }}` calls
//!   `templates/shortcodes/<name>.html` or `.md`; `{% name(args) %}body{% end %}`
//!   does the same with a body. `{{/* name() */}}` and `{%/* name() */%}`
//!   write the call itself as text, and calls inside code spans and blocks
//!   stay text.
//! - A `.md` shortcode's output is Markdown, spliced into the body before it
//!   is parsed (its images go through the body's image checks). Its body, if
//!   any, is given to it as text.
//! - A `.html` shortcode's output is HTML, put into the rendered body in
//!   place of a token. Its body stays Markdown of the page (wikilinks,
//!   mentions and positions work in it): the template prints `{{ body }}`
//!   once, and the output is split there around the rendered body.
//! - Each template declares its arguments in a header comment (see
//!   [`Declaration`]), so unknown, missing and mistyped arguments are
//!   errors at their place in the page.
//!
//! Every invocation is kept ([`Invocation`]) with its arguments and
//! position, so later passes can use what was called, not only its text.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Serialize;
use tera::Tera;

use super::embeds::{self, Embed};
use super::markdown::{MarkdownError, Rendered};
use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
use crate::load::TemplateFile;

mod call;
mod declaration;
mod html;

use call::{end_tag_at, find_end, has_url_line, in_code, parse_call, scan_markdown, Call};
pub use declaration::{parse_declaration, ArgSpec, ArgType, BodyRule, Declaration, Output};
use html::{block_element, phrasing_context, scan_tags};
pub use html::{img_sources, script_in_html};

/// An argument's value as written: a quoted string, an integer, a number
/// with a fraction, or `true`/`false`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    String(String),
    Integer(i64),
    Float(f64),
    Bool(bool),
}

impl Value {
    /// What the value is, in the words of an author's message
    /// ("a whole number", not "an integer").
    fn described(&self) -> &'static str {
        match self {
            Value::String(_) => "a string",
            Value::Integer(_) => "a whole number",
            Value::Float(_) => "a decimal number",
            Value::Bool(_) => "true or false",
        }
    }

    /// The string, for string arguments.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

/// One shortcode call in a body (or an embed URL alone in its paragraph,
/// kept as a call of `embed` with `url`).
#[derive(Debug, Clone, PartialEq)]
pub struct Invocation {
    pub name: String,
    /// Every declared argument: as written, else its default.
    pub args: BTreeMap<String, Value>,
    /// Where each written argument's value is, in the body.
    pub arg_ranges: BTreeMap<String, Range<usize>>,
    /// The text between the opening tag and `{% end %}`.
    pub body: Option<String>,
    /// The whole call in the body, `{% end %}` included: byte offsets
    /// into the body text.
    pub range: Range<usize>,
}

/// The shortcode templates of a site (the built-in ones with the site's
/// `templates/shortcodes/` laid over them), compiled, with their
/// declarations.
pub struct Shortcodes {
    tera: Tera,
    declared: BTreeMap<String, Declaration>,
    /// Templates that failed to compile or declare: calls to them are not
    /// reported again (the template's own error is).
    broken: Vec<String>,
    /// Of every shortcode template's name and text: a body is rendered
    /// again when it changes.
    pub fingerprint: u64,
}

impl std::fmt::Debug for Shortcodes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shortcodes")
            .field("declared", &self.declared)
            .finish()
    }
}

/// The built-in shortcodes whose template is given an `embed` value
/// (provider, link, frame address) made from their arguments.
const EMBED_SHORTCODES: &[&str] = &["embed", "youtube", "vimeo"];

impl Shortcodes {
    /// Compiles the shortcode templates. Header errors are reported here
    /// (at the template); syntax errors are left to the theme's compilation,
    /// which reports every template's. `words` is the interface language,
    /// whose strings templates ask for with `t` as the theme's do.
    pub fn load(
        overrides: &[TemplateFile],
        words: &std::sync::Arc<crate::i18n::Interface>,
    ) -> (Shortcodes, Diagnostics) {
        let mut sources: BTreeMap<String, (String, Option<&TemplateFile>)> =
            crate::render::theme::builtin_templates()
                .filter(|(n, _)| n.starts_with("shortcodes/"))
                .map(|(n, t)| (n, (t.to_string(), None)))
                .collect();
        for t in overrides {
            if let Some(rest) = t.name.strip_prefix("shortcodes/") {
                // The site's shortcode replaces the built-in one of its
                // name, whichever output either has.
                let stem = rest.rsplit_once('.').map_or(rest, |(stem, _)| stem);
                for ext in ["html", "md"] {
                    let builtin = format!("shortcodes/{stem}.{ext}");
                    if sources
                        .get(&builtin)
                        .is_some_and(|(_, file)| file.is_none())
                    {
                        sources.remove(&builtin);
                    }
                }
                sources.insert(t.name.clone(), (t.file.text.clone(), Some(t)));
            }
        }
        let fingerprint = crate::render::fingerprint(
            &sources.iter().map(|(n, (t, _))| (n, t)).collect::<Vec<_>>(),
        );
        let mut errors = Diagnostics::new();
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(crate::render::theme::escape_markup);
        tera.register_filter("markdown_escape", markdown_escape);
        tera.register_function("t", words.tera_function());
        let mut declared = BTreeMap::new();
        let mut broken = Vec::new();
        for (file_name, (text, file)) in &sources {
            let Some((name, output)) = file_name.strip_prefix("shortcodes/").and_then(|n| {
                n.strip_suffix(".html")
                    .map(|s| (s, Output::Html))
                    .or_else(|| n.strip_suffix(".md").map(|s| (s, Output::Markdown)))
            }) else {
                continue;
            };
            if name.contains('/') {
                continue;
            }
            if declared.contains_key(name) {
                let place = match file {
                    Some(f) => Diagnostic::at(&f.file, 0..0, ""),
                    None => Diagnostic::in_file(std::path::Path::new(file_name), 1, 1, ""),
                };
                errors.push(
                    Diagnostic {
                        message: format!(
                            "shortcode \"{name}\" has both an .html and a .md template"
                        ),
                        ..place
                    }
                    .with_help("keep one: .html for HTML output, .md for Markdown output"),
                );
                broken.push(name.to_string());
                continue;
            }
            match parse_declaration(text, output) {
                Ok(d) => {
                    declared.insert(name.to_string(), d);
                }
                Err((range, message)) => {
                    errors.push(match file {
                        Some(f) => Diagnostic::at(&f.file, range, message),
                        None => Diagnostic::in_file(
                            &std::path::Path::new("(built-in theme) templates").join(file_name),
                            1,
                            1,
                            message,
                        ),
                    });
                    broken.push(name.to_string());
                    continue;
                }
            }
            if tera.add_raw_template(file_name, text).is_err() {
                broken.push(name.to_string());
                declared.remove(name);
            }
        }
        (
            Shortcodes {
                tera,
                declared,
                broken,
                fingerprint,
            },
            errors,
        )
    }

    /// The declaration of a shortcode, if there is one.
    pub fn declaration(&self, name: &str) -> Option<&Declaration> {
        self.declared.get(name)
    }

    fn template_name(&self, name: &str) -> String {
        match self.declared.get(name).map(|d| d.output) {
            Some(Output::Markdown) => format!("shortcodes/{name}.md"),
            _ => format!("shortcodes/{name}.html"),
        }
    }
}

/// A Tera filter for `.md` templates: backslash-escapes every ASCII
/// punctuation character, so a value cannot end a link, title or emphasis.
fn markdown_escape(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let s = tera::try_get_value!("markdown_escape", "value", String, value);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        if c == '\n' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    Ok(tera::Value::String(out))
}

/// A body with its shortcodes and embeds expanded, ready for the Markdown
/// pass, and what is needed to finish the rendered HTML and to place
/// errors back in the written text.
#[derive(Debug, Default)]
pub struct Expanded {
    /// The text to parse.
    pub text: String,
    pieces: Vec<Piece>,
    /// HTML outputs by token, put in after rendering.
    outputs: Vec<(String, String)>,
    /// What every token starts with; the output's index and `x` follow.
    token_prefix: String,
    /// For each output, the shortcode's name and the written call.
    calls: Vec<(String, Range<usize>)>,
    pub invocations: Vec<Invocation>,
    pub errors: Vec<MarkdownError>,
}

/// A stretch of the expanded text: copied from the written text at
/// `source`, or generated for the call at `source`.
#[derive(Debug)]
struct Piece {
    start: usize,
    end: usize,
    source: Range<usize>,
    generated: bool,
}

impl Expanded {
    /// The written text's byte range for a range of the expanded text: the
    /// same text where it was copied, the whole call where it was generated.
    pub fn source_range(&self, range: &Range<usize>) -> Range<usize> {
        if self.pieces.is_empty() {
            return range.clone();
        }
        let start = self.source_point(range.start, false);
        let end = self.source_point(range.end, true).max(start);
        start..end
    }

    fn source_point(&self, at: usize, is_end: bool) -> usize {
        let i = self
            .pieces
            .partition_point(|p| if is_end { p.end < at } else { p.end <= at });
        let Some(p) = self.pieces.get(i).or(self.pieces.last()) else {
            return at;
        };
        if p.generated {
            if is_end {
                p.source.end
            } else {
                p.source.start
            }
        } else {
            p.source.start + at.clamp(p.start, p.end) - p.start
        }
    }

    /// Gives each HTML output, with its shortcode's name and the written
    /// call, to `f`, which may return the output to put in its place.
    pub fn map_html_outputs(
        &mut self,
        mut f: impl FnMut(&str, &Range<usize>, &str) -> Option<String>,
    ) {
        for ((_, html), (name, call)) in self.outputs.iter_mut().zip(&self.calls) {
            if let Some(new) = f(name, call, html) {
                *html = new;
            }
        }
    }

    /// Whether a range of the expanded text lies in text a template made.
    pub fn is_generated(&self, range: &Range<usize>) -> bool {
        let i = self.pieces.partition_point(|p| p.end <= range.start);
        self.pieces.get(i).is_some_and(|p| p.generated)
    }

    /// Puts the HTML shortcodes' output in place of their tokens in a body
    /// just rendered from [`Expanded::text`], and maps its positions back
    /// to the written text.
    pub fn finish(&self, rendered: &mut Rendered) {
        let mut misplaced = Vec::new();
        if !self.outputs.is_empty() {
            misplaced = self.misplaced(&rendered.html);
            if let Some(know) = &rendered.know_html {
                misplaced.extend(self.misplaced(know));
            }
            let html = self.substitute(&rendered.html);
            rendered.html_hash = xxhash_rust::xxh3::xxh3_64(html.as_bytes());
            rendered.html = html.into();
            if let Some(know) = &rendered.know_html {
                rendered.know_html = Some(self.substitute(know).into());
            }
            rendered.first_paragraph = self.strip(&rendered.first_paragraph);
            for h in &mut rendered.headings {
                h.text = self.strip(&h.text);
            }
        }
        if self.pieces.is_empty() {
            return;
        }
        for e in &mut rendered.errors {
            e.range = self.source_range(&e.range);
        }
        for a in &mut rendered.anchors {
            a.range = self.source_range(&a.range);
        }
        if let Some(at) = &mut rendered.know_heading_at {
            *at = self.source_range(at);
        }
        // Already at the written call.
        rendered.errors.extend(misplaced);
    }

    /// Each token of `html` at its place: its byte range and its index in
    /// `outputs`, left to right, in one pass.
    fn tokens<'h>(&'h self, html: &'h str) -> impl Iterator<Item = (Range<usize>, usize)> + 'h {
        let prefix = self.token_prefix.as_bytes();
        memchr::memmem::find_iter(html.as_bytes(), prefix).filter_map(move |at| {
            let rest = &html[at + prefix.len()..];
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            let index: usize = rest[..digits].parse().ok()?;
            (rest.as_bytes().get(digits) == Some(&b'x') && index < self.outputs.len())
                .then(|| (at..at + prefix.len() + digits + 1, index))
        })
    }

    /// The shortcodes whose HTML lands where it makes invalid HTML: a
    /// block (a `<figure>`, a `<div>`) inside a link, a heading, emphasis
    /// or a paragraph's running text, which may only hold phrasing content
    /// (HTML, "Content models"); or any output inside a tag (a link's
    /// title, an image's alt text). Each is an error at the written call.
    fn misplaced(&self, html: &str) -> Vec<MarkdownError> {
        // One error a call, by its output's index: a token in running text
        // says more than the same token in an attribute made from that
        // text (a heading's id).
        let mut errors: std::collections::BTreeMap<usize, (bool, MarkdownError)> =
            std::collections::BTreeMap::new();
        // The open elements before the current place.
        let mut open: Vec<String> = Vec::new();
        let mut scanned = 0;
        for (range, index) in self.tokens(html) {
            // A tag the token is inside is read whole on the next turn.
            let unfinished = scan_tags(&html[scanned..range.start], &mut open);
            let inside_tag = unfinished.is_some();
            scanned = unfinished.map_or(range.start, |at| scanned + at);
            let (name, call) = &self.calls[index];
            if inside_tag {
                errors.entry(index).or_insert((
                    true,
                    MarkdownError {
                        range: call.clone(),
                        message: format!(
                            "shortcode \"{name}\" is inside an HTML attribute (a link's title, an image's alt text), where HTML cannot go"
                        ),
                        help: Some("move the call out of the link or image".into()),
                    },
                ));
                continue;
            }
            let Some(block) = block_element(&self.outputs[index].1) else {
                continue;
            };
            // Alone in its paragraph, the token takes the paragraph's place.
            let alone =
                html[..range.start].ends_with("<p>") && html[range.end..].starts_with("</p>");
            let context = open
                .iter()
                .rev()
                .skip(usize::from(alone && open.last().is_some_and(|t| t == "p")))
                .find_map(|t| phrasing_context(t));
            if let Some(context) = context {
                let error = MarkdownError {
                    range: call.clone(),
                    message: format!(
                        "shortcode \"{name}\" makes a block (<{block}>), which cannot stand inside {context}"
                    ),
                    help: Some(
                        "put the call in a paragraph of its own, with a blank line before and after it".into(),
                    ),
                };
                match errors.get(&index) {
                    Some((false, _)) => {}
                    _ => {
                        errors.insert(index, (false, error));
                    }
                }
            }
        }
        errors.into_values().map(|(_, e)| e).collect()
    }

    /// `html` with each token replaced by its output, in one pass from
    /// left to right (a `replace` per call would make a body with many
    /// calls quadratic). A token alone in its paragraph takes the
    /// paragraph's place, with the line break after it.
    fn substitute(&self, html: &str) -> String {
        let mut out = String::with_capacity(html.len());
        let mut copied = 0;
        for (range, index) in self.tokens(html) {
            let (mut start, mut end) = (range.start, range.end);
            if html[..start].ends_with("<p>")
                && start - 3 >= copied
                && html[end..].starts_with("</p>")
            {
                start -= 3;
                end += 4;
                if html[end..].starts_with('\n') {
                    end += 1;
                }
            }
            out.push_str(&html[copied..start]);
            out.push_str(&self.outputs[index].1);
            copied = end;
        }
        out.push_str(&html[copied..]);
        out
    }

    /// `text` without its tokens, trimmed, in one pass.
    fn strip(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        for (range, _) in self.tokens(text) {
            out.push_str(&text[copied..range.start]);
            copied = range.end;
        }
        out.push_str(&text[copied..]);
        out.trim().to_string()
    }
}

/// The body-shortcode open, waiting for its `{% end %}`.
struct Open {
    invocation: usize,
    close_html: String,
    body_start: usize,
}

/// Whether `text` holds `{{` or `{%`: one pass over the text for its `{`
/// (rare in prose) instead of one search per pair.
fn opens_a_tag(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'{', bytes).any(|i| matches!(bytes.get(i + 1), Some(b'{' | b'%')))
}

/// Expands the shortcodes and embeds of a body. `errors` of the result are
/// at byte ranges of `text`.
pub fn expand(text: &str, shortcodes: &Shortcodes) -> Expanded {
    let mut out = Expanded::default();
    if !opens_a_tag(text) && !has_url_line(text) {
        out.text = text.to_string();
        return out;
    }
    let (code, urls) = scan_markdown(text);
    let token_prefix = {
        let mut seed = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
        loop {
            let p = format!("xshortcode{seed:016x}n");
            if !text.contains(&p) {
                break p;
            }
            seed = seed.wrapping_add(1);
        }
    };
    out.token_prefix = token_prefix.clone();
    let mut e = Expander {
        text,
        shortcodes,
        out: &mut out,
        cursor: 0,
        token_prefix,
        open: Vec::new(),
    };
    let mut urls = urls.into_iter().peekable();
    let mut at = 0;
    loop {
        let next_brace = memchr::memchr_iter(b'{', &text.as_bytes()[at..])
            .map(|n| at + n)
            .find(|&n| {
                matches!(text.as_bytes().get(n + 1), Some(b'{' | b'%')) && !in_code(&code, n)
            });
        let next_url = urls.peek().map(|r| r.start);
        match (next_brace, next_url) {
            (_, Some(u)) if next_brace.is_none_or(|b| u < b) => {
                let range = urls.next().unwrap_or(u..u);
                if range.start >= e.cursor {
                    e.embed_paragraph(range.clone());
                }
                at = range.end.max(at);
            }
            (Some(b), _) => at = e.call_at(b, &code),
            (None, _) => break,
        }
    }
    for open in std::mem::take(&mut e.open) {
        let inv = &e.out.invocations[open.invocation];
        let r = inv.range.clone();
        let name = inv.name.clone();
        e.out.errors.push(MarkdownError {
            range: r,
            message: format!("unclosed shortcode body: `{name}` has no `{{% end %}}`"),
            help: Some("end its body with {% end %} on a line of its own".into()),
        });
    }
    let rest = e.cursor..text.len();
    e.copy(rest);
    out
}

struct Expander<'a> {
    text: &'a str,
    shortcodes: &'a Shortcodes,
    out: &'a mut Expanded,
    /// How far the written text has been copied or replaced.
    cursor: usize,
    token_prefix: String,
    open: Vec<Open>,
}

impl Expander<'_> {
    fn copy(&mut self, range: Range<usize>) {
        if range.is_empty() {
            return;
        }
        let start = self.out.text.len();
        self.out.text.push_str(&self.text[range.clone()]);
        self.out.pieces.push(Piece {
            start,
            end: self.out.text.len(),
            source: range,
            generated: false,
        });
    }

    /// Replaces the written `range` (from the cursor on) with `generated`.
    fn replace(&mut self, range: Range<usize>, generated: &str) {
        self.copy(self.cursor..range.start);
        let start = self.out.text.len();
        self.out.text.push_str(generated);
        self.out.pieces.push(Piece {
            start,
            end: self.out.text.len(),
            source: range.clone(),
            generated: true,
        });
        self.cursor = range.end;
    }

    /// The token for `html`, the output of shortcode `name` called at
    /// `call` of the written text.
    fn token(&mut self, html: String, name: &str, call: Range<usize>) -> String {
        let token = format!("{}{}x", self.token_prefix, self.out.outputs.len());
        self.out.outputs.push((token.clone(), html));
        self.out.calls.push((name.to_string(), call));
        token
    }

    fn error(&mut self, range: Range<usize>, message: String, help: Option<String>) {
        self.out.errors.push(MarkdownError {
            range,
            message,
            help,
        });
    }

    /// Handles the `{{` or `{%` at `at`; returns where to look next.
    fn call_at(&mut self, at: usize, code: &[Range<usize>]) -> usize {
        let text = self.text;
        let block = text.as_bytes()[at + 1] == b'%';
        let close = if block { "%}" } else { "}}" };
        // `{{/* name() */}}`: the call itself, as text.
        if text[at + 2..].starts_with("/*") {
            let end_mark = if block { "*/%}" } else { "*/}}" };
            if let Some(n) = text[at + 4..].find(end_mark) {
                let inner = &text[at + 4..at + 4 + n];
                let open = &text[at..at + 2];
                let literal = format!("{open}{inner}{close}");
                let end = at + 4 + n + end_mark.len();
                self.replace(at..end, &literal);
                return end;
            }
            return at + 2;
        }
        if block {
            if let Some(end) = end_tag_at(text, at) {
                self.close_body(end.clone());
                return end.end;
            }
        }
        let call = match parse_call(text, at, close) {
            Ok(Some(call)) => call,
            Ok(None) => return at + 2,
            Err((range, message, help)) => {
                self.error(range.clone(), message, help);
                // Skip to the end of the call as far as it can be told.
                let end = text[at..]
                    .find(close)
                    .map_or(range.end.max(at + 2), |n| at + n + close.len());
                if end > self.cursor {
                    self.replace(at..end, "");
                }
                return end;
            }
        };
        let Some(decl) = self.shortcodes.declaration(&call.name).cloned() else {
            let end = if block {
                find_end(text, call.end, code).map_or(call.end, |r| r.end)
            } else {
                call.end
            };
            if !self.shortcodes.broken.contains(&call.name) {
                let help = did_you_mean(
                    &call.name,
                    self.shortcodes.declared.keys().map(String::as_str),
                )
                .unwrap_or_else(|| {
                    format!(
                        "no templates/shortcodes/{}.html or .md (built-in: {})",
                        call.name,
                        self.shortcodes
                            .declared
                            .keys()
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                });
                self.error(
                    call.name_range.clone(),
                    format!("unknown shortcode \"{}\"", call.name),
                    Some(help),
                );
            }
            self.replace(at..end, "");
            return end;
        };
        let mut invocation = Invocation {
            name: call.name.clone(),
            args: BTreeMap::new(),
            arg_ranges: BTreeMap::new(),
            body: None,
            range: at..call.end,
        };
        let ok = self.check_args(&call, &decl, &mut invocation);
        match (block, decl.body) {
            (false, BodyRule::Required) => {
                self.error(
                    call.name_range.clone(),
                    format!("shortcode \"{}\" needs a body", call.name),
                    Some(format!(
                        "write it as {{% {}(...) %}}body{{% end %}}",
                        call.name
                    )),
                );
                self.replace(at..call.end, "");
                return call.end;
            }
            (true, BodyRule::None) => {
                self.error(
                    call.name_range.clone(),
                    format!("shortcode \"{}\" takes no body", call.name),
                    Some(format!("write it as {{{{ {}(...) }}}}", call.name)),
                );
                let end = find_end(text, call.end, code).map_or(call.end, |r| r.end);
                self.replace(at..end, "");
                return end;
            }
            _ => {}
        }
        if block && decl.output == Output::Markdown {
            // A `.md` shortcode's body is text for its template.
            let Some(end) = find_end(text, call.end, code) else {
                self.error(
                    at..call.end,
                    format!(
                        "unclosed shortcode body: `{}` has no `{{% end %}}`",
                        call.name
                    ),
                    Some("end its body with {% end %} on a line of its own".into()),
                );
                self.replace(at..call.end, "");
                return call.end;
            };
            invocation.body = Some(text[call.end..end.start].to_string());
            invocation.range = at..end.end;
            if ok {
                if let Some(md) = self.render(&invocation) {
                    self.replace(at..end.end, &md);
                } else {
                    self.replace(at..end.end, "");
                }
            } else {
                self.replace(at..end.end, "");
            }
            self.out.invocations.push(invocation);
            return end.end;
        }
        if block {
            // A `.html` shortcode's body stays Markdown of the page, between
            // the two halves of the template's output.
            const MARK: &str = "\u{1}body\u{1}";
            let mut rendering = invocation.clone();
            rendering.body = Some(MARK.to_string());
            let output = if ok { self.render(&rendering) } else { None };
            let (open_html, close_html) = match output
                .as_deref()
                .map(|o| o.split(MARK).collect::<Vec<_>>())
            {
                Some(parts) if parts.len() == 2 => (
                    format!("{}\n", parts[0].trim_end()),
                    format!("{}\n", parts[1].trim_start()),
                ),
                Some(parts) => {
                    self.error(
                        call.name_range.clone(),
                        format!(
                            "the template of shortcode \"{}\" prints `body` {} times; it must print it once",
                            call.name,
                            parts.len() - 1
                        ),
                        Some("write {{ body | safe }} once in the template".into()),
                    );
                    (String::new(), String::new())
                }
                None => (String::new(), String::new()),
            };
            let token = self.token(open_html, &call.name, at..call.end);
            self.replace(at..call.end, &format!("\n\n{token}\n\n"));
            self.out.invocations.push(invocation);
            self.open.push(Open {
                invocation: self.out.invocations.len() - 1,
                close_html,
                body_start: call.end,
            });
            return call.end;
        }
        let output = if ok { self.render(&invocation) } else { None };
        match (output, decl.output) {
            (Some(md), Output::Markdown) => self.replace(at..call.end, &md),
            (Some(html), Output::Html) => {
                let token = self.token(html, &call.name, at..call.end);
                self.replace(at..call.end, &token);
            }
            (None, _) => self.replace(at..call.end, ""),
        }
        self.out.invocations.push(invocation);
        call.end
    }

    fn close_body(&mut self, end: Range<usize>) {
        let Some(open) = self.open.pop() else {
            self.error(
                end.clone(),
                "`{% end %}` without a shortcode to end".into(),
                Some("remove it, or open a body with {% name(...) %}".into()),
            );
            self.replace(end, "");
            return;
        };
        let inv = &mut self.out.invocations[open.invocation];
        inv.body = Some(self.text[open.body_start..end.start].to_string());
        inv.range.end = end.end;
        let name = inv.name.clone();
        let call = inv.range.clone();
        let token = self.token(open.close_html, &name, call);
        self.replace(end, &format!("\n\n{token}\n\n"));
    }

    /// A provider's URL alone in its paragraph: a call of `embed`.
    fn embed_paragraph(&mut self, range: Range<usize>) {
        let written = &self.text[range.clone()];
        let url = written
            .strip_prefix('<')
            .and_then(|u| u.strip_suffix('>'))
            .unwrap_or(written);
        if embeds::from_url(url).is_none() || self.shortcodes.declaration("embed").is_none() {
            // Any other URL alone in its paragraph is a plain link, as a
            // reader expects of a pasted address (CommonMark links only
            // `<url>`).
            if !written.starts_with('<') {
                let link = format!("<{written}>");
                self.replace(range, &link);
            }
            return;
        }
        let mut args = BTreeMap::new();
        if let Some(decl) = self.shortcodes.declaration("embed") {
            for (name, spec) in &decl.args {
                if let Some(d) = &spec.default {
                    args.insert(name.clone(), d.clone());
                }
            }
        }
        args.insert("url".to_string(), Value::String(url.to_string()));
        let invocation = Invocation {
            name: "embed".into(),
            args,
            arg_ranges: BTreeMap::from([("url".to_string(), range.clone())]),
            body: None,
            range: range.clone(),
        };
        if let Some(html) = self.render(&invocation) {
            let token = self.token(html, "embed", range.clone());
            self.replace(range, &token);
        }
        self.out.invocations.push(invocation);
    }

    /// Checks the written arguments against the declaration and fills in
    /// the defaults; false when any is wrong (each reported).
    fn check_args(&mut self, call: &Call, decl: &Declaration, inv: &mut Invocation) -> bool {
        let mut ok = true;
        for (name, name_range, value, value_range) in &call.args {
            let Some(spec) = decl.args.get(name) else {
                let declared: Vec<&str> = decl.args.keys().map(String::as_str).collect();
                let help = did_you_mean(name, declared.iter().copied()).unwrap_or_else(|| {
                    if declared.is_empty() {
                        format!("\"{}\" takes no arguments", call.name)
                    } else {
                        format!("\"{}\" takes: {}", call.name, declared.join(", "))
                    }
                });
                self.error(
                    name_range.clone(),
                    format!("unknown argument `{name}` of shortcode \"{}\"", call.name),
                    Some(help),
                );
                ok = false;
                continue;
            };
            if inv.args.contains_key(name) {
                self.error(
                    name_range.clone(),
                    format!("argument `{name}` given twice"),
                    None,
                );
                ok = false;
                continue;
            }
            if !spec.kind.accepts(value) {
                self.error(
                    value_range.clone(),
                    format!(
                        "argument `{name}` of \"{}\" must be {}, not {}",
                        call.name,
                        spec.kind.described(),
                        value.described()
                    ),
                    Some(match spec.kind {
                        ArgType::String => "quote it: name=\"value\"".into(),
                        ArgType::Bool => "write true or false, without quotes".into(),
                        _ => "write a number, without quotes".into(),
                    }),
                );
                ok = false;
                continue;
            }
            if let (Some(allowed), Value::String(s)) = (&spec.values, value) {
                if !allowed.contains(s) {
                    self.error(
                        value_range.clone(),
                        format!("`{name}` of \"{}\" cannot be \"{s}\"", call.name),
                        Some(format!("it is one of: {}", allowed.join(", "))),
                    );
                    ok = false;
                    continue;
                }
            }
            // A float argument written as an integer is a float to the
            // template.
            let value = match (spec.kind, value) {
                (ArgType::Float, Value::Integer(i)) => Value::Float(*i as f64),
                _ => value.clone(),
            };
            inv.args.insert(name.clone(), value);
            inv.arg_ranges.insert(name.clone(), value_range.clone());
        }
        for (name, spec) in &decl.args {
            if inv.args.contains_key(name) {
                continue;
            }
            match &spec.default {
                Some(d) => {
                    inv.args.insert(name.clone(), d.clone());
                }
                None if spec.required => {
                    if !call.args.iter().any(|a| &a.0 == name) {
                        self.error(
                            call.name_range.clone(),
                            format!(
                                "shortcode \"{}\" is missing its argument `{name}`",
                                call.name
                            ),
                            Some(format!("add {name}=... to the call")),
                        );
                    }
                    ok = false;
                }
                None => {}
            }
        }
        ok
    }

    /// Renders a checked call with its template; `None` after reporting
    /// why not.
    fn render(&mut self, inv: &Invocation) -> Option<String> {
        let mut context = tera::Context::new();
        for (k, v) in &inv.args {
            context.insert(k.as_str(), v);
        }
        if let Some(body) = &inv.body {
            context.insert("body", body);
        }
        let at = inv.range.start..inv.range.start + inv.name.len().max(1) + 3;
        let at = at.start..at.end.min(inv.range.end);
        if EMBED_SHORTCODES.contains(&inv.name.as_str()) {
            match embed_of(inv) {
                Ok(embed) => context.insert("embed", &embed),
                Err(message) => {
                    self.error(
                        ["url", "id", "provider"]
                            .iter()
                            .find_map(|k| inv.arg_ranges.get(*k))
                            .cloned()
                            .unwrap_or(at),
                        message,
                        Some(match inv.name.as_str() {
                            // Each takes an id alone, never a URL.
                            "youtube" => {
                                "give the video's id, id=\"ID\" of youtube.com/watch?v=ID; \
                                          for a URL write {{ embed(url=\"https://...\") }}"
                                    .into()
                            }
                            "vimeo" => {
                                "give the video's number, id=\"NUMBER\" of vimeo.com/NUMBER; \
                                        for a URL write {{ embed(url=\"https://...\") }}"
                                    .into()
                            }
                            _ => "give url=\"https://...\" of a known provider, or provider and id"
                                .into(),
                        }),
                    );
                    return None;
                }
            }
        }
        let name = self.shortcodes.template_name(&inv.name);
        match self.shortcodes.tera.render(&name, &context) {
            Ok(output) => {
                // Tera keeps the line break after the header comment.
                let output = output.trim_matches('\n').to_string();
                let output_kind = self.shortcodes.declaration(&inv.name).map(|d| d.output);
                if output_kind == Some(Output::Markdown) {
                    // Spliced where the call was: its own line breaks at the
                    // ends would split the paragraph around it.
                    return Some(output);
                }
                if output_kind == Some(Output::Html) {
                    if let Some(problem) = script_in_html(&output) {
                        self.error(
                            inv.range.clone(),
                            format!("shortcode \"{}\" writes {problem}", inv.name),
                            Some("shortcode output may not run scripts: check its arguments and template".into()),
                        );
                        return None;
                    }
                }
                Some(output)
            }
            Err(e) => {
                let mut text = e.to_string();
                let mut source = std::error::Error::source(&e);
                while let Some(s) = source {
                    text = format!("{text}: {s}");
                    source = s.source();
                }
                self.error(
                    inv.range.clone(),
                    format!("shortcode \"{}\" failed: {text}", inv.name),
                    Some(format!("see templates/{name}")),
                );
                None
            }
        }
    }
}

/// The embed a call of `embed`, `youtube` or `vimeo` names.
fn embed_of(inv: &Invocation) -> Result<Embed, String> {
    let arg = |k: &str| inv.args.get(k).and_then(Value::as_str).unwrap_or("");
    match inv.name.as_str() {
        "youtube" | "vimeo" => embeds::from_id(&inv.name, arg("id")),
        _ if !arg("url").is_empty() => embeds::from_url(arg("url"))
            .ok_or_else(|| format!("\"{}\" is not a URL of a known embed provider", arg("url"))),
        _ if !arg("provider").is_empty() => embeds::from_id(arg("provider"), arg("id")),
        _ => Err("`embed` needs url, or provider and id".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_a_tag_is_what_the_two_searches_said() {
        for text in [
            "",
            "{",
            "{{",
            "{%",
            "{ {",
            "a { b } c",
            "text {{ x }}",
            "text {% x %}",
            "{{{",
            "{é{%",
            "ends with {",
            "{}{}{",
            "é{%}",
            "{ % and { {",
        ] {
            assert_eq!(
                opens_a_tag(text),
                text.contains("{{") || text.contains("{%"),
                "{text:?}"
            );
        }
    }

    fn shortcodes() -> Shortcodes {
        let (s, errors) = Shortcodes::load(&[], &Default::default());
        assert!(errors.is_empty(), "{errors:?}");
        s
    }

    #[test]
    fn builtin_shortcodes_declare_their_arguments() {
        let s = shortcodes();
        let names: Vec<&str> = s.declared.keys().map(String::as_str).collect();
        for name in [
            "callout",
            "embed",
            "figure",
            "pullquote",
            "vimeo",
            "youtube",
        ] {
            assert!(names.contains(&name), "{names:?}");
        }
        assert!(s.broken.is_empty(), "{:?}", s.broken);
        assert_eq!(s.declared["figure"].output, Output::Markdown);
        assert!(s.declared["figure"].args["src"].required);
        assert_eq!(s.declared["callout"].body, BodyRule::Required);
    }

    #[test]
    fn header_is_read_and_checked() {
        let d = parse_declaration(
            "{#- shortcode\nbody = \"optional\"\n[args]\nn = { type = \"integer\", default = 3 }\n-#}\nx",
            Output::Html,
        )
        .unwrap();
        assert_eq!(d.body, BodyRule::Optional);
        assert_eq!(d.args["n"].default, Some(Value::Integer(3)));
        assert_eq!(
            parse_declaration("<p>no header</p>", Output::Html).unwrap(),
            Declaration::default()
        );
        let e = parse_declaration(
            "{# shortcode\n[args]\nn = { type = \"number\" }\n#}",
            Output::Html,
        )
        .unwrap_err();
        assert!(e.1.contains("\"number\""), "{e:?}");
        let e = parse_declaration(
            "{# shortcode\n[args]\nn = { type = \"bool\", default = \"x\" }\n#}",
            Output::Html,
        )
        .unwrap_err();
        assert!(
            e.1.contains("(type = \"bool\") takes true or false, but its default is a string"),
            "{e:?}"
        );
    }

    #[test]
    fn calls_parse_every_value_type() {
        let text = "{{ x(a=\"s\", b=3, c=-1.5, d=true, e='q') }}";
        let call = parse_call(text, 0, "}}").unwrap().unwrap();
        let values: Vec<&Value> = call.args.iter().map(|a| &a.2).collect();
        assert_eq!(
            values,
            [
                &Value::String("s".into()),
                &Value::Integer(3),
                &Value::Float(-1.5),
                &Value::Bool(true),
                &Value::String("q".into())
            ]
        );
        assert_eq!(call.end, text.len());
        assert!(parse_call("{{ not a call }}", 0, "}}").unwrap().is_none());
        assert!(parse_call("{{ x(a=) }}", 0, "}}").is_err());
        assert!(parse_call("{{ x(a=\"open) }}", 0, "}}").is_err());
    }

    fn messages(text: &str) -> Vec<(String, String)> {
        let e = expand(text, &shortcodes());
        e.errors
            .iter()
            .map(|e| (text[e.range.clone()].to_string(), e.message.clone()))
            .collect()
    }

    #[test]
    fn bad_calls_are_errors_at_their_place() {
        let m = messages("a {{ calout(kind=\"note\") }}");
        assert_eq!(m[0].0, "calout");
        assert!(m[0].1.contains("unknown shortcode"), "{m:?}");
        let m = messages("{% callout(knd=\"note\") %}\nx\n{% end %}");
        assert_eq!(m[0].0, "knd");
        let m = messages("{{ figure(alt=\"a\") }}");
        assert!(m[0].1.contains("missing its argument `src`"), "{m:?}");
        let m = messages("{{ figure(src=\"a.jpg\", alt=\"a\", decorative=\"yes\") }}");
        assert_eq!(m[0].0, "\"yes\"");
        let m = messages("{% callout(kind=\"tip\") %}\nx\n{% end %}");
        assert!(m[0].1.contains("cannot be \"tip\""), "{m:?}");
        let m = messages("text\n\n{% callout() %}\nbody never ended\n");
        assert!(m[0].1.contains("unclosed shortcode body"), "{m:?}");
        assert_eq!(m[0].0, "{% callout() %}");
        let m = messages("{% end %}");
        assert!(m[0].1.contains("without a shortcode"), "{m:?}");
    }

    #[test]
    fn calls_in_code_and_escaped_calls_stay_text() {
        let e = expand(
            "`{{ youtube(id=\"x\") }}`\n\n```\n{{ nope() }}\n```\n\n{{/* youtube(id=\"a\") */}}",
            &shortcodes(),
        );
        assert!(e.errors.is_empty(), "{:?}", e.errors);
        assert!(e.invocations.is_empty());
        assert!(e.text.contains("{{ youtube(id=\"a\") }}"), "{}", e.text);
    }

    #[test]
    fn many_calls_are_substituted_in_one_pass_as_one_by_one() {
        let calls = 3000;
        let mut text = String::new();
        for i in 0..calls {
            text.push_str(&format!(
                "{{{{ youtube(id=\"dQw4w9WgXc{}\") }}}}\n\nParagraph {i}.\n\n",
                i % 10
            ));
        }
        let e = expand(&text, &shortcodes());
        assert!(e.errors.is_empty(), "{:?}", e.errors.first());
        assert_eq!(e.outputs.len(), calls);
        // The body as the Markdown pass writes it: a paragraph a block,
        // and two tokens in running text.
        let mut html: String = e
            .text
            .split("\n\n")
            .filter(|p| !p.trim().is_empty())
            .map(|p| format!("<p>{}</p>\n", p.trim()))
            .collect();
        let (first, last) = (&e.outputs[0].0, &e.outputs[calls - 1].0);
        html.push_str(&format!("<p>see {first} and {last}</p>"));
        // What replacing each token in turn over the whole body gave.
        let mut expected = html.clone();
        for (token, output) in &e.outputs {
            let block = format!("<p>{token}</p>");
            expected = expected
                .replace(&format!("{block}\n"), output)
                .replace(&block, output)
                .replace(token.as_str(), output);
        }
        let got = e.substitute(&html);
        assert_eq!(got, expected);
        assert!(!got.contains(&e.token_prefix));
        let per_call = e.outputs[0].1.matches("data-embed-frame=").count();
        assert!(per_call > 0);
        assert_eq!(
            got.matches("data-embed-frame=").count(),
            (calls + 2) * per_call
        );
        assert_eq!(e.strip(&format!(" A {first}heading{last} ")), "A heading");
    }

    #[test]
    fn positions_map_back_through_expansions() {
        let text = "{{ figure(src=\"a.jpg\", alt=\"A\") }} and [[missing]]";
        let e = expand(text, &shortcodes());
        let at = e.text.find("[[missing]]").unwrap();
        let back = e.source_range(&(at..at + 11));
        assert_eq!(&text[back], "[[missing]]");
        let inside = e.text.find("a\\.jpg").unwrap();
        assert_eq!(
            e.source_range(&(inside..inside + 5)),
            0..text.find(" and").unwrap()
        );
        assert!(e.is_generated(&(inside..inside + 5)));
    }

    #[test]
    fn invocations_are_kept_with_their_arguments() {
        let text = "x\n\n{% callout(kind=\"warning\") %}\nBe **careful**.\n{% end %}\n";
        let e = expand(text, &shortcodes());
        assert!(e.errors.is_empty(), "{:?}", e.errors);
        let inv = &e.invocations[0];
        assert_eq!(inv.name, "callout");
        assert_eq!(inv.args["kind"], Value::String("warning".into()));
        assert_eq!(inv.body.as_deref(), Some("\nBe **careful**.\n"));
        assert_eq!(&text[inv.range.clone()], &text[3..text.len() - 1]);
        assert!(e.text.contains("Be **careful**."));
    }

    #[test]
    fn only_bodies_with_a_url_line_are_parsed_for_embeds() {
        assert!(has_url_line("a\n\nhttps://vimeo.com/1\n"));
        assert!(has_url_line("> - <https://vimeo.com/1>\n"));
        assert!(has_url_line("1. http://vimeo.com/1"));
        assert!(!has_url_line(
            "See [a link](https://vimeo.com/1) and https://x.com/a.\n"
        ));
    }

    #[test]
    fn script_in_output_is_found() {
        assert!(script_in_html("<a href=\"javascript:x\">a</a>").is_some());
        assert!(script_in_html("<a href=\"java&#x73;cript&colon;x\">a</a>").is_some());
        assert!(script_in_html("<img src=x onerror=alert(1)>").is_some());
        assert!(script_in_html("<SCRIPT>x</SCRIPT>").is_some());
        assert!(script_in_html("<iframe srcdoc=\"x\"></iframe>").is_some());
        assert_eq!(
            script_in_html("<div class=\"embed\" data-embed-frame=\"https://x/\"><a href=\"https://a/?q=1&amp;b\">x</a></div><!-- <script> -->"),
            None
        );
    }
}
