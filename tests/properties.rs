//! Properties of whole builds over generated sites (proptest), run in
//! process through the library for speed:
//!
//! - any input, hostile bytes included, either builds or yields errors
//!   whose `path:line:column` lies inside the file;
//! - every HTML page of a site that builds parses without errors and has
//!   one `<h1>` of its own, and every XML file parses;
//! - building twice gives byte-identical output.
//!
//! A failing case is shrunk and printed; proptest saves its seed in
//! `tests/properties.proptest-regressions` so the next run tries it first.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use explainer::fuzzing::check_position;
use explainer::{build, check, BuildError, BuildOptions};
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, FileFailurePersistence};

/// File stems shared by several sections, so wikilinks can be ambiguous,
/// and a few that are not slugs.
const STEMS: &[&str] = &["niger", "macron", "coup", "a", "b-2", "Bad Name", "x_y"];
const SECTIONS: &[&str] = &["articles", "notes", "actors"];
const TOPICS: &[&str] = &["Niger", "Coup", "West Africa", "Élysée"];
const DATES: &[&str] = &["2023-07-26", "2023-08-01T09:30:00+01:00", "2024-01-02"];
const KINDS: &[&str] = &["person", "organization", "country"];

/// Fragments that stress the parsers: fences, unbalanced brackets and
/// quotes, wikilink syntax, front-matter syntax, line-ending and
/// encoding oddities.
const HOSTILE: &[&str] = &[
    "+++",
    "---",
    "...",
    "[[",
    "]]",
    "[[|]]",
    "[[#]]",
    "[[notes/",
    "[[a#",
    "|",
    "\"",
    "'",
    "\\",
    "=",
    ":",
    "[",
    "]",
    "{",
    "}",
    "[[timeline]]",
    "```",
    "`",
    "<a href=\"",
    "</div>",
    "<!--",
    "](javascript:alert(1))",
    "\r",
    "\r\n",
    "\n",
    "\t",
    "\u{0}",
    "\u{feff}",
    "\u{202e}",
    "\u{2028}",
    "\u{1b}[31m",
    "# ",
    "## What You Should Know",
    "{#id}",
    "> ",
    "- ",
    "1. ",
    "date = 2023-07-26",
    "title = \"x\"",
    "title: x",
    "Macron",
    "Emmanuel Macron",
    "é",
    "😀",
];

fn hostile_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(HOSTILE).prop_map(str::to_string),
            2 => any::<String>().prop_map(|s| s.chars().take(12).collect()),
            2 => "[a-zA-Z ]{0,12}",
        ],
        0..12,
    )
    .prop_map(|parts| parts.concat())
}

/// The bytes of one file: mostly a page with fenced front matter, some
/// keys and a body, sometimes with a raw byte spliced in.
fn hostile_file() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::select(&["+++", "---", "", "+++ ", "---\r"][..]),
        prop::collection::vec(
            (
                prop::sample::select(
                    &[
                        "title", "name", "date", "topics", "actors", "aliases", "know", "slug",
                        "timeline", "related", "kind", "bogus",
                    ][..],
                ),
                hostile_text(),
                any::<bool>(),
            ),
            0..5,
        ),
        prop::sample::select(&["+++", "---", "", "..."][..]),
        hostile_text(),
        prop::option::of((any::<prop::sample::Index>(), any::<u8>())),
    )
        .prop_map(|(open, keys, close, body, splice)| {
            let mut text = format!("{open}\n");
            for (key, value, quoted) in keys {
                let sep = if open.starts_with('-') { ":" } else { " =" };
                if quoted {
                    text.push_str(&format!("{key}{sep} {}\n", quote(&value)));
                } else {
                    text.push_str(&format!("{key}{sep} {value}\n"));
                }
            }
            text.push_str(&format!("{close}\n{body}"));
            let mut bytes = text.into_bytes();
            if let Some((at, byte)) = splice {
                let at = at.index(bytes.len() + 1);
                bytes.insert(at, byte);
            }
            bytes
        })
}

/// A set of files for `content/<section>/<stem>.md`.
fn hostile_site() -> impl Strategy<Value = BTreeMap<PathBuf, Vec<u8>>> {
    prop::collection::vec(
        (
            prop::sample::select(SECTIONS),
            prop::sample::select(STEMS),
            hostile_file(),
        ),
        1..6,
    )
    .prop_map(|files| {
        files
            .into_iter()
            .map(|(section, stem, bytes)| {
                let path = Path::new("content")
                    .join(section)
                    .join(format!("{stem}.md"));
                (path, bytes)
            })
            .collect()
    })
}

/// A string literal valid in both TOML (basic string) and YAML (double
/// quoted): everything YAML cannot hold raw is escaped as `\uXXXX`.
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{0}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{feff}'
            | '\u{fffe}'
            | '\u{ffff}' => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn write_site(root: &Path, files: &BTreeMap<PathBuf, Vec<u8>>) {
    for (path, bytes) in files {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

/// Text a valid page may hold in front matter: no `[`/`]` (links and
/// images come from the body's own parts, and front matter has none).
///
/// Only characters a valid site may hold: the control characters XML
/// forbids and the bidirectional controls are refused at their position
/// (as raw characters or as `&#…;` references), which
/// `every_error_points_inside_its_file` covers with hostile text.
fn safe_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => "[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x{202A}-\\x{202E}\\x{2066}-\\x{2069}\\x{FFFE}\\x{FFFF}<\\[\\]]{1,12}",
            1 => prop::sample::select(
                &[
                    "< ", "&", "&amp;", "\"", "'", "*", "_", "`", "\\", "#", ">", "|",
                    "Macron", "Emmanuel Macron", "é", "😀", "\u{2028}", "\u{200f}",
                    "</script>", "\"><svg onload=x>", "<!--",
                ][..]
            )
            .prop_map(str::to_string),
        ],
        0..6,
    )
    .prop_map(|parts| parts.concat().replace("&#", "& #"))
}

/// Text for bodies: as `safe_text`, but `<` is always followed by a space
/// (raw HTML is trusted and passed through as is).
fn body_text() -> impl Strategy<Value = String> {
    // `{` is never followed by `{` or `%`: those open a shortcode call,
    // which a valid body writes whole (the shortcode tests cover them).
    safe_text().prop_map(|s| s.replace('<', "< ").replace('{', "{ "))
}

#[derive(Debug, Clone)]
enum Chunk {
    Text(String),
    /// A wikilink to the n-th page of a section, with an optional label.
    Wikilink(usize, usize, Option<String>),
    /// The name of the n-th actor.
    Mention(usize),
    Heading(u8, String),
    Markup(&'static str),
}

fn chunk() -> impl Strategy<Value = Chunk> {
    prop_oneof![
        4 => body_text().prop_map(Chunk::Text),
        2 => (0..3usize, 0..3usize, prop::option::of(body_text()))
            .prop_map(|(s, i, l)| Chunk::Wikilink(s, i, l)),
        2 => (0..3usize).prop_map(Chunk::Mention),
        1 => (1..7u8, body_text()).prop_map(|(l, t)| Chunk::Heading(l, t)),
        1 => prop::sample::select(
            &[
                "\n\n", "\n\n> ", "\n\n- ", "\n\n1. ", "\n\n```\ncode\n```\n\n", "**", "*",
                "~~", "\n\n| a | b |\n|---|---|\n| c | d |\n\n", "\n\n---\n\n",
                "\n\n- [ ] task\n\n", "[^n]\n\n[^n]: A footnote.\n\n",
                "[a link](https://example.org/?a=1&b=2)", "<https://example.org>",
            ][..]
        )
        .prop_map(Chunk::Markup),
    ]
}

#[derive(Debug, Clone)]
struct PageSpec {
    yaml: bool,
    title: String,
    summary: Option<String>,
    date: &'static str,
    /// Indices into TOPICS, actors, notes (taken modulo what exists).
    topics: Vec<usize>,
    actors: Vec<usize>,
    notes: Vec<usize>,
    know: Option<Vec<String>>,
    /// Lift a body section into the sidebar (articles without `know`).
    know_in_body: bool,
    timeline: Vec<(&'static str, String)>,
    aliases: Vec<String>,
    kind: &'static str,
    body: Vec<Chunk>,
}

fn page_spec() -> impl Strategy<Value = PageSpec> {
    (
        (
            any::<bool>(),
            safe_text(),
            prop::option::of(safe_text()),
            prop::sample::select(DATES),
            prop::collection::vec(0..TOPICS.len(), 0..3),
            prop::collection::vec(0..3usize, 0..3),
            prop::collection::vec(0..3usize, 0..3),
        ),
        (
            prop::option::of(prop::collection::vec(safe_text(), 1..3)),
            any::<bool>(),
            prop::collection::vec((prop::sample::select(DATES), safe_text()), 0..3),
            prop::collection::vec(safe_text(), 0..3),
            prop::sample::select(KINDS),
            prop::collection::vec(chunk(), 0..16),
        ),
    )
        .prop_map(
            |(
                (yaml, title, summary, date, topics, actors, notes),
                (know, know_in_body, timeline, aliases, kind, body),
            )| PageSpec {
                yaml,
                title,
                summary,
                date,
                topics,
                actors,
                notes,
                know,
                know_in_body,
                timeline,
                aliases,
                kind,
                body,
            },
        )
}

/// A site that should build: 1–3 articles, 0–3 notes and 1–3 actors whose
/// references, topics and names are all consistent, with generated text
/// everywhere text goes.
#[derive(Debug, Clone)]
struct ValidSite {
    articles: Vec<PageSpec>,
    notes: Vec<PageSpec>,
    actors: Vec<PageSpec>,
    base_path: &'static str,
}

fn valid_site() -> impl Strategy<Value = ValidSite> {
    (
        prop::collection::vec(page_spec(), 1..4),
        prop::collection::vec(page_spec(), 0..4),
        prop::collection::vec(page_spec(), 1..4),
        prop::sample::select(&["", "news/", "a%20b/"][..]),
    )
        .prop_map(|(articles, notes, actors, base_path)| ValidSite {
            articles,
            notes,
            actors,
            base_path,
        })
}

fn slug(section: usize, i: usize) -> String {
    format!("{}-{i}", ["article", "note", "actor"][section])
}

/// Actor names and aliases carry the actor's number, so no two actors
/// share one, and start with a letter, so none is empty. A name is also
/// written into bodies as a mention, so it holds no raw HTML.
fn actor_name(i: usize, title: &str) -> String {
    format!("Actor{i} {}", title.replace('<', "< "))
}

impl ValidSite {
    fn count(&self, section: usize) -> usize {
        [&self.articles, &self.notes, &self.actors][section].len()
    }

    fn files(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut files = BTreeMap::new();
        files.insert(
            PathBuf::from("site.toml"),
            format!(
                "title = \"Properties\"\nbase_url = \"https://example.org/{}\"\n",
                self.base_path
            )
            .into_bytes(),
        );
        for (section, pages) in [&self.articles, &self.notes, &self.actors]
            .into_iter()
            .enumerate()
        {
            for (i, page) in pages.iter().enumerate() {
                let path = Path::new("content")
                    .join(SECTIONS[section])
                    .join(format!("{}.md", slug(section, i)));
                files.insert(path, self.page(section, i, page).into_bytes());
            }
        }
        files
    }

    fn page(&self, section: usize, i: usize, p: &PageSpec) -> String {
        let mut keys: Vec<(&str, String)> = Vec::new();
        // Arrays of tables: a key and its rows, each row its keys.
        type Row<'a> = Vec<(&'a str, String)>;
        let mut tables: Vec<(&str, Vec<Row>)> = Vec::new();
        let list = |items: Vec<String>| {
            let mut items = items;
            items.sort();
            items.dedup();
            format!(
                "[{}]",
                items
                    .iter()
                    .map(|s| quote(s))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let refs = |indices: &[usize], section: usize| {
            let n = self.count(section);
            list(
                indices
                    .iter()
                    .filter(|_| n > 0)
                    .map(|&j| slug(section, j % n.max(1)))
                    .collect(),
            )
        };
        match section {
            0 => {
                keys.push(("title", quote(&format!("Article {i} {}", p.title))));
                keys.push(("date", quote(p.date)));
                if let Some(s) = &p.summary {
                    keys.push(("summary", quote(s)));
                }
                keys.push((
                    "topics",
                    list(p.topics.iter().map(|&t| TOPICS[t].to_string()).collect()),
                ));
                keys.push(("actors", refs(&p.actors, 2)));
                keys.push(("background", refs(&p.notes, 1)));
                if let Some(know) = &p.know {
                    keys.push(("know", list(know.iter().map(|k| one_line(k)).collect())));
                }
            }
            1 => {
                keys.push(("title", quote(&format!("Note {i} {}", p.title))));
                if let Some(s) = &p.summary {
                    keys.push(("summary", quote(s)));
                }
                keys.push(("actors", refs(&p.actors, 2)));
                keys.push(("related", refs(&p.notes, 1)));
                let rows = p
                    .timeline
                    .iter()
                    .map(|(date, text)| {
                        vec![("date", quote(date)), ("text", quote(&one_line(text)))]
                    })
                    .collect();
                tables.push(("timeline", rows));
            }
            _ => {
                keys.push(("name", quote(&actor_name(i, &p.title))));
                keys.push(("kind", quote(p.kind)));
                let aliases = p
                    .aliases
                    .iter()
                    .enumerate()
                    .map(|(j, a)| format!("Alias{i}x{j} {a}"))
                    .collect();
                keys.push(("aliases", list(aliases)));
                keys.push(("related", refs(&p.actors, 2)));
            }
        }
        let mut text = String::new();
        let fence = if p.yaml { "---" } else { "+++" };
        text.push_str(fence);
        text.push('\n');
        for (key, value) in &keys {
            let sep = if p.yaml { ":" } else { " =" };
            text.push_str(&format!("{key}{sep} {value}\n"));
        }
        for (key, rows) in tables.iter().filter(|(_, rows)| !rows.is_empty()) {
            if p.yaml {
                text.push_str(&format!("{key}:\n"));
            }
            for row in rows {
                if !p.yaml {
                    text.push_str(&format!("[[{key}]]\n"));
                }
                for (j, (k, v)) in row.iter().enumerate() {
                    if p.yaml {
                        let lead = if j == 0 { "  - " } else { "    " };
                        text.push_str(&format!("{lead}{k}: {v}\n"));
                    } else {
                        text.push_str(&format!("{k} = {v}\n"));
                    }
                }
            }
        }
        text.push_str(fence);
        text.push('\n');
        text.push_str(&self.body(section, p));
        text
    }

    fn body(&self, section: usize, p: &PageSpec) -> String {
        let mut out = String::new();
        for (n, chunk) in p.body.iter().enumerate() {
            match chunk {
                Chunk::Text(t) => out.push_str(t),
                Chunk::Wikilink(s, j, label) => {
                    let count = self.count(*s);
                    if count == 0 {
                        continue;
                    }
                    // `!` just before it would make an image (`![[x]]`),
                    // whose path is checked as a file, not a link.
                    if out.ends_with('!') {
                        out.push(' ');
                    }
                    // The section is spelt out: slugs are unique per
                    // section only.
                    out.push_str(&format!("[[{}/{}", SECTIONS[*s], slug(*s, j % count)));
                    if let Some(l) = label.as_ref().filter(|l| !l.trim().is_empty()) {
                        // `|` and a line break would end the label.
                        out.push('|');
                        out.push_str(&l.replace(['|', '\n', '\r'], " "));
                    }
                    out.push_str("]]");
                }
                Chunk::Mention(j) => {
                    let count = self.actors.len();
                    let j = j % count;
                    out.push_str(&format!(" {} ", actor_name(j, &self.actors[j].title)));
                }
                Chunk::Heading(level, t) => {
                    let t = t.replace(['\n', '\r', '\u{2028}', '\u{2029}'], " ");
                    out.push_str(&format!("\n\n{} H{n} {t}\n\n", "#".repeat(*level as usize)));
                }
                Chunk::Markup(m) => out.push_str(m),
            }
        }
        if section == 0 && p.know.is_none() && p.know_in_body {
            out.push_str("\n\n## What You Should Know\n\n- One point.\n- Another.\n");
        }
        out
    }
}

/// `cases` runs per property (kept small: each builds a site), failures
/// saved beside this file.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

/// Front-matter Markdown (`know` items, timeline text) as one line that
/// starts with a word. That Markdown is rendered whole, so a line
/// underlined with `=` or starting with `#` becomes an `<h1>` inside the
/// sidebar or the timeline; until front-matter text is restricted to
/// inline Markdown, the generated text avoids that.
fn one_line(text: &str) -> String {
    format!(
        "t {}",
        text.replace(['\n', '\r', '\u{2028}', '\u{2029}'], " ")
    )
}

fn options(root: &Path, output: &Path) -> BuildOptions {
    let mut options = BuildOptions::new(root);
    options.output = Some(output.to_path_buf());
    options
}

/// Every file under `dir`, by path relative to it.
fn read_tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().to_path_buf();
                files.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

fn describe(result: &Result<explainer::BuildSummary, BuildError>) -> String {
    match result {
        Ok(s) => format!("built {} pages", s.pages),
        Err(BuildError::Content(d)) => d
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
        Err(e) => format!("{e:?}"),
    }
}

proptest! {
    #![proptest_config(config(64))]

    /// Any input either builds or yields errors that each point inside
    /// their file.
    #[test]
    fn every_error_points_inside_its_file(files in hostile_site()) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        write_site(&root, &files);
        let result = check(&BuildOptions::new(&root));
        match &result {
            Ok(_) => {}
            Err(BuildError::Content(diagnostics)) => {
                prop_assert!(!diagnostics.is_empty());
                for d in diagnostics.iter() {
                    // Every diagnostic names a file of the site.
                    let bytes = files.get(&d.path);
                    prop_assert!(bytes.is_some(), "error about an unknown file: {d}");
                    if let Err(e) = check_position(d, bytes.unwrap()) {
                        prop_assert!(false, "{e}\n{d}");
                    }
                }
            }
            Err(e) => prop_assert!(false, "not a content error: {e:?}"),
        }
    }
}

proptest! {
    #![proptest_config(config(24))]

    /// A consistent site with arbitrary text builds; every page parses as
    /// HTML without a single parse error and has one `<h1>` of its own;
    /// every XML file parses.
    #[test]
    fn every_page_is_well_formed(site in valid_site()) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        write_site(&root, &site.files());
        let output = dir.path().join("public");
        let result = build(&options(&root, &output));
        prop_assert!(result.is_ok(), "{}", describe(&result));
        // The page's own heading; a body (in `.prose`) may hold more: a `#`
    // heading there is the author's choice.
    let h1 = scraper::Selector::parse("h1").unwrap();
    let body_h1 = scraper::Selector::parse(".prose h1").unwrap();
        let mut xml_files = 0;
        for (path, bytes) in read_tree(&output) {
            let name = path.display().to_string();
            let Some(ext) = path.extension().and_then(|e| e.to_str()) else { continue };
            match ext {
                "html" => {
                    let text = std::str::from_utf8(&bytes);
                    prop_assert!(text.is_ok(), "{name} is not UTF-8");
                    let html = scraper::Html::parse_document(text.unwrap());
                    prop_assert!(html.errors.is_empty(), "{name}: {:?}", html.errors);
                    let count = html.select(&h1).count() - html.select(&body_h1).count();
                    prop_assert_eq!(count, 1, "{} has {} <h1>", name, count);
                }
                "xml" => {
                    xml_files += 1;
                    let text = std::str::from_utf8(&bytes);
                    prop_assert!(text.is_ok(), "{name} is not UTF-8");
                    let parsed = roxmltree::Document::parse(text.unwrap());
                    prop_assert!(parsed.is_ok(), "{name}: {:?}", parsed.err());
                }
                _ => {}
            }
        }
        prop_assert!(xml_files >= 2, "feed.xml and sitemap.xml are missing");
    }

    /// Two builds of the same site into two fresh folders write the same
    /// files, byte for byte (or fail with the same errors).
    #[test]
    fn building_twice_gives_identical_output(site in valid_site()) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        write_site(&root, &site.files());
        let first = dir.path().join("first");
        let second = dir.path().join("second");
        let a = build(&options(&root, &first));
        let b = build(&options(&root, &second));
        prop_assert_eq!(describe(&a), describe(&b));
        if a.is_ok() {
            let (a, b) = (read_tree(&first), read_tree(&second));
            prop_assert_eq!(
                a.keys().collect::<Vec<_>>(),
                b.keys().collect::<Vec<_>>()
            );
            for (path, bytes) in &a {
                prop_assert!(&b[path] == bytes, "{} differs", path.display());
            }
        }
    }
}
