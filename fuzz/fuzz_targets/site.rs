//! A whole site from a generated file set: a few articles, notes and
//! actors with fuzzed front matter (TOML or YAML) and bodies built from
//! wikilinks, mentions, headings and raw text, written to a temporary
//! folder and checked, then built, in process. Each either succeeds or
//! returns diagnostics; a panic is a crash, and every diagnostic about a
//! content file must point inside that file.
#![no_main]

use std::collections::BTreeMap;
use std::path::PathBuf;

use arbitrary::Arbitrary;
use explainer::fuzzing::{check_position, check_site};
use explainer::{build, BuildError, BuildOptions};
use libfuzzer_sys::fuzz_target;

/// File stems: valid slugs shared by several sections (so wikilinks can be
/// ambiguous), and names that are not slugs.
const STEMS: &[&str] = &["niger", "macron", "coup", "a", "b-2", "Bad Name", "x_y"];
const ACTOR_NAMES: &[&str] = &["Emmanuel Macron", "Macron", "Niger", "Republic of Niger"];
const KEYS: &[&str] = &[
    "title",
    "date",
    "updated",
    "summary",
    "authors",
    "sources",
    "topics",
    "actors",
    "background",
    "know",
    "image",
    "image_alt",
    "corrections",
    "draft",
    "slug",
    "name",
    "kind",
    "role",
    "aliases",
    "born",
    "country",
    "links",
    "related",
    "timeline",
    "url",
    "text",
    "unknown",
];
const DATES: &[&str] = &[
    "2023-07-26",
    "2023-07",
    "2023",
    "2023-07-26T14:00:00+01:00",
    "2023-02-30",
];

#[derive(Arbitrary, Debug)]
struct Input {
    files: Vec<File>,
    know_heading: Option<String>,
    base_path: Option<String>,
    drafts: bool,
    build: bool,
}

#[derive(Arbitrary, Debug)]
struct File {
    section: u8,
    stem: u8,
    yaml: bool,
    /// The section's required keys (`title` and `date`, or `name`) come
    /// first, so most pages load and the later stages are reached.
    required: Option<(String, u8)>,
    /// A key and its value; when `typed`, the key is one of the section's
    /// that takes a value of this type, otherwise any key at all.
    fields: Vec<(u8, Value, bool)>,
    /// Appended to the front matter as is.
    extra: Option<String>,
    body: Vec<Chunk>,
    /// Replaces the whole file when set.
    raw: Option<Vec<u8>>,
}

#[derive(Arbitrary, Debug)]
enum Value {
    Text(String),
    Date(u8),
    Stems(Vec<u8>),
    List(Vec<String>),
    Bool(bool),
    Number(i64),
    /// An array of tables: `[[key]]` with the given keys.
    Tables(Vec<Vec<(u8, String)>>),
}

#[derive(Arbitrary, Debug)]
enum Chunk {
    Text(String),
    Wikilink {
        section: Option<u8>,
        stem: u8,
        anchor: Option<String>,
        label: Option<String>,
    },
    Mention(u8),
    Heading(u8, String),
    Know,
    Link(String),
    Fence,
}

fn pick<'a>(list: &[&'a str], i: u8) -> &'a str {
    list[usize::from(i) % list.len()]
}

/// A JSON string literal: also a valid TOML basic string and YAML
/// double-quoted scalar for almost every text.
fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Text(s) => quote(s),
        Value::Date(i) => quote(pick(DATES, *i)),
        Value::Stems(list) => {
            let items: Vec<String> = list.iter().map(|&i| quote(pick(STEMS, i))).collect();
            format!("[{}]", items.join(", "))
        }
        Value::List(list) => {
            let items: Vec<String> = list.iter().map(|s| quote(s)).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Tables(_) => String::new(),
    }
}

/// A key of `section` taking values like `value`, with the keys of its
/// rows for an array of tables.
fn typed_key(
    section: &str,
    value: &Value,
    k: u8,
) -> Option<(&'static str, &'static [&'static str])> {
    let keys: &[&str] = match (section, value) {
        ("articles", Value::Text(_)) => &["title", "summary", "image_alt", "slug"],
        ("notes", Value::Text(_)) => &["title", "summary", "slug"],
        ("actors", Value::Text(_)) => &["name", "role", "country", "kind", "slug"],
        ("actors", Value::Date(_)) => &["born"],
        (_, Value::Date(_)) => &["date", "updated"],
        ("articles", Value::Stems(_)) => &["actors", "background"],
        ("notes", Value::Stems(_)) => &["actors", "related"],
        ("actors", Value::Stems(_)) => &["related"],
        ("articles", Value::List(_)) => &["authors", "topics", "know"],
        ("actors", Value::List(_)) => &["aliases"],
        (_, Value::Bool(_)) => &["draft"],
        ("articles", Value::Tables(_)) => &["sources", "corrections"],
        ("notes", Value::Tables(_)) => &["timeline"],
        ("actors", Value::Tables(_)) => &["links"],
        _ => return None,
    };
    let key = pick(keys, k);
    let row: &[&str] = match key {
        "sources" | "links" => &["name", "url"],
        "corrections" | "timeline" => &["date", "text"],
        _ => &[],
    };
    Some((key, row))
}

fn front_matter(file: &File, section: &str) -> String {
    let mut out = String::new();
    let mut tables = String::new();
    if let Some((name, date)) = &file.required {
        let sep = if file.yaml { ":" } else { " =" };
        if section == "actors" {
            out.push_str(&format!("name{sep} {}\n", quote(name)));
        } else {
            out.push_str(&format!("title{sep} {}\n", quote(name)));
        }
        if section == "articles" {
            out.push_str(&format!("date{sep} {}\n", quote(pick(DATES, *date))));
        }
    }
    for (k, value, typed) in &file.fields {
        let (key, row_keys) = typed_key(section, value, *k)
            .filter(|_| *typed)
            .unwrap_or((pick(KEYS, *k), &[]));
        // A row's key and value: typed rows take the keys they need, and
        // a date where a date goes.
        let cell = |i: usize, k: u8, v: &str| match row_keys.get(i % row_keys.len().max(1)) {
            Some(&"date") => ("date", quote(pick(DATES, k))),
            Some(&key) => (key, quote(v)),
            None => (pick(KEYS, k), quote(v)),
        };
        match value {
            Value::Tables(rows) if file.yaml => {
                out.push_str(&format!("{key}:\n"));
                for row in rows {
                    let mut first = true;
                    for (i, (k, v)) in row.iter().enumerate() {
                        let lead = if first { "  - " } else { "    " };
                        first = false;
                        let (k, v) = cell(i, *k, v);
                        out.push_str(&format!("{lead}{k}: {v}\n"));
                    }
                    if first {
                        out.push_str("  - {}\n");
                    }
                }
            }
            Value::Tables(rows) => {
                for row in rows {
                    tables.push_str(&format!("\n[[{key}]]\n"));
                    for (i, (k, v)) in row.iter().enumerate() {
                        let (k, v) = cell(i, *k, v);
                        tables.push_str(&format!("{k} = {v}\n"));
                    }
                }
            }
            _ if file.yaml => out.push_str(&format!("{key}: {}\n", value_text(value))),
            _ => out.push_str(&format!("{key} = {}\n", value_text(value))),
        }
    }
    out.push_str(&tables);
    if let Some(extra) = &file.extra {
        out.push_str(extra);
        out.push('\n');
    }
    out
}

fn body(file: &File) -> String {
    let mut out = String::new();
    for chunk in &file.body {
        match chunk {
            Chunk::Text(s) => out.push_str(s),
            Chunk::Wikilink {
                section,
                stem,
                anchor,
                label,
            } => {
                out.push_str("[[");
                if let Some(s) = section {
                    out.push_str(pick(&["articles/", "notes/", "actors/", "other/"], *s));
                }
                out.push_str(pick(STEMS, *stem));
                if let Some(a) = anchor {
                    out.push('#');
                    out.push_str(a);
                }
                if let Some(l) = label {
                    out.push('|');
                    out.push_str(l);
                }
                out.push_str("]]");
            }
            Chunk::Mention(i) => {
                out.push(' ');
                out.push_str(pick(ACTOR_NAMES, *i));
                out.push(' ');
            }
            Chunk::Heading(level, text) => {
                out.push_str(&format!(
                    "\n\n{} {text}\n\n",
                    "#".repeat(usize::from(level % 6) + 1)
                ));
            }
            Chunk::Know => out.push_str("\n\n## What You Should Know\n\n- "),
            Chunk::Link(url) => out.push_str(&format!("[link]({url})")),
            Chunk::Fence => out.push_str("\n```\n"),
        }
    }
    out
}

fn file_bytes(file: &File, section: &str) -> Vec<u8> {
    if let Some(raw) = &file.raw {
        return raw.clone();
    }
    let fence = if file.yaml { "---" } else { "+++" };
    format!(
        "{fence}\n{}{fence}\n{}",
        front_matter(file, section),
        body(file)
    )
    .into_bytes()
}

fn site_toml(input: &Input) -> String {
    let mut out = String::from("title = \"Fuzz\"\n");
    if let Some(path) = &input.base_path {
        out.push_str(&format!(
            "base_url = {}\n",
            quote(&format!("https://example.org/{path}"))
        ));
    }
    if let Some(k) = &input.know_heading {
        out.push_str(&format!("know_heading = {}\n", quote(k)));
    }
    out
}

fn check_diagnostics<T>(result: &Result<T, BuildError>, files: &BTreeMap<PathBuf, Vec<u8>>) {
    if let Err(BuildError::Content(diagnostics)) = result {
        for d in diagnostics.iter() {
            if let Some(bytes) = files.get(&d.path) {
                if let Err(e) = check_position(d, bytes) {
                    panic!("{e}");
                }
            }
        }
    }
}

fuzz_target!(|input: Input| {
    if input.files.len() > 8 {
        return;
    }
    let Ok(dir) = tempfile::tempdir() else { return };
    let root = dir.path().join("site");
    let mut files = BTreeMap::new();
    files.insert(PathBuf::from("site.toml"), site_toml(&input).into_bytes());
    for file in &input.files {
        let section = pick(&["articles", "notes", "actors"], file.section);
        let path = PathBuf::from("content")
            .join(section)
            .join(format!("{}.md", pick(STEMS, file.stem)));
        files.insert(path, file_bytes(file, section));
    }
    for (path, bytes) in &files {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    let mut options = BuildOptions::new(&root);
    options.drafts = input.drafts;
    let checked = check_site(&options);
    check_diagnostics(&checked, &files);
    // A build compiles the theme again, which is slow: only for sites
    // that passed the check.
    if input.build && checked.is_ok() {
        options.output = Some(dir.path().join("public"));
        // A build may still fail where check passed (a name too long for
        // the file system): issue 9 makes check catch that; until then
        // only a panic or a misplaced diagnostic is a failure here.
        let built = build(&options);
        check_diagnostics(&built, &files);
    }
});
