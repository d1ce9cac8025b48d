//! Bad input: one small fixture site per kind of content error, under
//! `tests/fixtures/invalid/<case>/`. Every case first builds a good
//! version of its site (the broken file fixed or removed), then puts the
//! broken file back and checks that `build` and `check` both fail with
//! exit status 1, report the problem at its exact `path:line:column:` with
//! the source line, a caret under the right column and the expected hint,
//! and that the failed build left the previous output byte for byte (and
//! modification time for modification time) as it was.
//!
//! Line and column numbers below were counted by hand from the fixture
//! files; columns count characters, starting at 1, on the line of the
//! whole file (front matter included).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/invalid");

/// Bytes that are awkward to commit as fixture files, written into the
/// copied fixture by the test: `(case, path, bytes)`.
const WRITTEN_BY_TEST: &[(&str, &str, &[u8])] = &[
    (
        "invalid-utf8",
        "content/notes/france-in-the-sahel.md",
        // "présence française" saved as Latin-1.
        b"+++\ntitle = \"La pr\xe9sence fran\xe7aise au Sahel\"\n+++\n\nFrance has deployed troops in the Sahel since 2013.\n",
    ),
    (
        "crlf-bom",
        "content/articles/withdrawal.md",
        b"\xef\xbb\xbf+++\r\ntitle = \"France begins withdrawing its troops from Niger\"\r\ndate = 2023-10-10\r\n+++\r\n\r\nThe first convoy left Niamey on Tuesday.\r\nIt follows [[july-2023-cop]].\r\n",
    ),
];

// ---------------------------------------------------------------------------
// The shared helper.

fn explainer(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_explainer"))
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("the explainer binary runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn assert_no_panic(out: &Output, what: &str) {
    let err = stderr(out);
    assert!(
        !err.contains("panicked") && !err.contains("internal error"),
        "{what}: the binary panicked:\n{err}"
    );
    assert!(
        matches!(out.status.code(), Some(0..=2)),
        "{what}: killed or unexpected exit status {:?}:\n{err}",
        out.status
    );
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of a fixture site in a temporary folder: `<tmp>/site`, with the
/// bytes of `WRITTEN_BY_TEST` for that case added.
fn fixture_copy(name: &str) -> (tempfile::TempDir, PathBuf) {
    let from = Path::new(FIXTURES).join(name);
    assert!(from.is_dir(), "no fixture {}", from.display());
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&from, &site);
    for (case, path, bytes) in WRITTEN_BY_TEST {
        if *case == name {
            let p = site.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        }
    }
    (tmp, site)
}

type Snapshot = BTreeMap<PathBuf, (Vec<u8>, SystemTime)>;

/// Every file under `dir`, with its bytes and modification time; folders
/// are listed too (with no bytes) so a created or removed folder shows.
fn snapshot(dir: &Path) -> Snapshot {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let meta = e.metadata().unwrap();
            let bytes = if meta.is_file() {
                std::fs::read(e.path()).unwrap()
            } else {
                Vec::new()
            };
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                (bytes, meta.modified().unwrap()),
            )
        })
        .filter(|(p, _)| !p.as_os_str().is_empty())
        .collect()
}

fn assert_unchanged(before: &Snapshot, after: &Snapshot, what: &str) {
    let added: Vec<_> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    let removed: Vec<_> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    let changed: Vec<_> = before
        .iter()
        .filter(|(k, v)| after.get(*k).is_some_and(|a| a.0 != v.0))
        .map(|(k, _)| k)
        .collect();
    let touched: Vec<_> = before
        .iter()
        .filter(|(k, v)| after.get(*k).is_some_and(|a| a.0 == v.0 && a.1 != v.1))
        .map(|(k, _)| k)
        .collect();
    assert!(
        added.is_empty() && removed.is_empty() && changed.is_empty() && touched.is_empty(),
        "{what} changed the previous output:\n  added {added:?}\n  removed {removed:?}\n  \
         changed bytes {changed:?}\n  same bytes, new mtime {touched:?}"
    );
}

/// Removes `path` and the folders it leaves empty, up to the site root.
fn remove_file_and_empty_parents(site: &Path, path: &Path) {
    std::fs::remove_file(path).unwrap();
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == site || std::fs::read_dir(d).unwrap().next().is_some() {
            break;
        }
        std::fs::remove_dir(d).unwrap();
        dir = d.parent();
    }
}

enum Fix {
    Remove(&'static str),
    Write(&'static str, &'static str),
    Replace {
        path: &'static str,
        from: &'static str,
        to: &'static str,
    },
}

impl Fix {
    fn path(&self) -> &'static str {
        match self {
            Fix::Remove(p) | Fix::Write(p, _) | Fix::Replace { path: p, .. } => p,
        }
    }
}

enum SourceLine {
    /// The line of the broken file at the reported line number.
    FromFile,
    /// A given text (for a file that is not valid UTF-8).
    Text(&'static str),
    /// No source line (a folder, a file as a whole).
    None,
}

struct Expected {
    path: &'static str,
    line: usize,
    column: usize,
    message: &'static str,
    help: Option<&'static str>,
    also: Vec<&'static str>,
    source: SourceLine,
}

/// One bad-input case: a fixture, how to make a good site of it, and the
/// errors the broken site must produce.
struct Case {
    name: &'static str,
    fixes: Vec<Fix>,
    expected: Vec<Expected>,
}

fn case(name: &'static str) -> Case {
    Case {
        name,
        fixes: Vec::new(),
        expected: Vec::new(),
    }
}

impl Case {
    /// For the good build: replace `from` by `to` in `path`.
    fn fix(mut self, path: &'static str, from: &'static str, to: &'static str) -> Self {
        self.fixes.push(Fix::Replace { path, from, to });
        self
    }

    /// For the good build: write `text` to `path`.
    fn good_version(mut self, path: &'static str, text: &'static str) -> Self {
        self.fixes.push(Fix::Write(path, text));
        self
    }

    /// For the good build: remove `path` (and folders it leaves empty).
    fn without(mut self, path: &'static str) -> Self {
        self.fixes.push(Fix::Remove(path));
        self
    }

    /// An error the broken site must report at `path:line:column:`, with
    /// `message` in its first line.
    fn error(
        mut self,
        path: &'static str,
        line: usize,
        column: usize,
        message: &'static str,
    ) -> Self {
        self.expected.push(Expected {
            path,
            line,
            column,
            message,
            help: None,
            also: Vec::new(),
            source: SourceLine::FromFile,
        });
        self
    }

    fn last(&mut self) -> &mut Expected {
        self.expected.last_mut().expect("call .error() first")
    }

    /// The `= help:` line of the last error.
    fn help(mut self, help: &'static str) -> Self {
        self.last().help = Some(help);
        self
    }

    /// More text the last error's report must contain.
    fn mentioning(mut self, text: &'static str) -> Self {
        self.last().also.push(text);
        self
    }

    fn source_line(mut self, text: &'static str) -> Self {
        self.last().source = SourceLine::Text(text);
        self
    }

    fn no_source_line(mut self) -> Self {
        self.last().source = SourceLine::None;
        self
    }

    /// Builds the good site, breaks it, and checks `build` and `check`.
    /// Returns the stderr of the failed build.
    fn run(self) -> String {
        assert!(
            !self.expected.is_empty(),
            "{}: no expected error",
            self.name
        );
        let (_tmp, site) = fixture_copy(self.name);

        // The broken files, as they are, to restore after the good build.
        let mut originals: BTreeMap<&str, Vec<u8>> = BTreeMap::new();
        for fix in &self.fixes {
            let path = fix.path();
            originals
                .entry(path)
                .or_insert_with(|| std::fs::read(site.join(path)).expect(path));
        }
        for fix in &self.fixes {
            match fix {
                Fix::Remove(path) => remove_file_and_empty_parents(&site, &site.join(path)),
                Fix::Write(path, text) => std::fs::write(site.join(path), text).unwrap(),
                Fix::Replace { path, from, to } => {
                    let p = site.join(path);
                    let text = std::fs::read_to_string(&p).unwrap();
                    assert!(text.contains(from), "{}: {path} has no {from:?}", self.name);
                    std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
                }
            }
        }

        let good = explainer(&site, &["build", "--root", "."]);
        assert_no_panic(&good, self.name);
        assert!(
            good.status.success(),
            "{}: the good version does not build:\n{}",
            self.name,
            stderr(&good)
        );
        let output = site.join("public");
        let before = snapshot(&output);
        assert!(
            before.keys().any(|p| p.ends_with("index.html")),
            "{}: the good build wrote no pages",
            self.name
        );

        for (path, bytes) in &originals {
            let p = site.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        }

        let broken = explainer(&site, &["build", "--root", "."]);
        let err = stderr(&broken);
        assert_no_panic(&broken, self.name);
        assert_eq!(
            broken.status.code(),
            Some(1),
            "{}: build of the broken site must exit 1:\n{err}",
            self.name
        );
        self.check_report(&site, &err, "build");
        assert_unchanged(&before, &snapshot(&output), self.name);

        let check = explainer(&site, &["check", "--root", "."]);
        let check_err = stderr(&check);
        assert_no_panic(&check, self.name);
        assert_eq!(
            check.status.code(),
            Some(1),
            "{}: check of the broken site must exit 1:\n{check_err}",
            self.name
        );
        self.check_report(&site, &check_err, "check");
        assert_unchanged(&before, &snapshot(&output), self.name);
        err
    }

    fn check_report(&self, site: &Path, err: &str, command: &str) {
        let name = self.name;
        let blocks: Vec<&str> = err.split("\n\n").map(|b| b.trim_matches('\n')).collect();
        for e in &self.expected {
            let prefix = format!("{}:{}:{}: ", e.path, e.line, e.column);
            let Some(block) = blocks.iter().find(|b| b.starts_with(&prefix)) else {
                panic!("{name} ({command}): no error at `{prefix}` in:\n{err}");
            };
            let first_line = block.lines().next().unwrap();
            assert!(
                first_line.contains(e.message),
                "{name} ({command}): `{prefix}` should say {:?}:\n{block}",
                e.message
            );
            if let Some(help) = e.help {
                assert!(
                    block.contains(&format!("= help: {help}")),
                    "{name} ({command}): `{prefix}` should help with {help:?}:\n{block}"
                );
            }
            for text in &e.also {
                assert!(
                    block.contains(text),
                    "{name} ({command}): `{prefix}` should mention {text:?}:\n{block}"
                );
            }
            let source = match &e.source {
                SourceLine::None => None,
                SourceLine::Text(t) => Some(t.to_string()),
                SourceLine::FromFile => {
                    let bytes = std::fs::read(site.join(e.path)).unwrap();
                    let text = String::from_utf8_lossy(&bytes);
                    let text = text.trim_start_matches('\u{feff}');
                    let line = text
                        .lines()
                        .nth(e.line - 1)
                        .unwrap_or_else(|| panic!("{name}: {} has no line {}", e.path, e.line));
                    Some(line.replace('\t', " "))
                }
            };
            let Some(source) = source else { continue };
            let gutter = e.line.to_string().len();
            let shown = format!("{} | {}", e.line, source);
            let lines: Vec<&str> = block.lines().collect();
            let Some(at) = lines.iter().position(|l| *l == shown) else {
                panic!("{name} ({command}): `{prefix}` should show the line {shown:?}:\n{block}");
            };
            let caret_line = lines.get(at + 1).copied().unwrap_or("");
            let caret = caret_line.chars().position(|c| c == '^');
            assert_eq!(
                caret,
                Some(gutter + 3 + e.column - 1),
                "{name} ({command}): the caret should sit under column {}:\n{block}",
                e.column
            );
        }
        let n = self.expected.len();
        let count = format!(
            "error: {n} {} found",
            if n == 1 { "problem" } else { "problems" }
        );
        assert!(
            err.contains(&count),
            "{name} ({command}): expected exactly `{count}`:\n{err}"
        );
    }
}

// ---------------------------------------------------------------------------
// References in front matter.

#[test]
fn unknown_actor_in_article_actors() {
    case("unknown-actor")
        .fix(
            "content/articles/withdrawal.md",
            "\"emanuel-macron\"",
            "\"emmanuel-macron\"",
        )
        .error(
            "content/articles/withdrawal.md",
            4,
            31,
            "unknown actor \"emanuel-macron\"",
        )
        .help("did you mean \"emmanuel-macron\"?")
        .run();
}

#[test]
fn unknown_actor_that_is_part_of_a_known_slug() {
    // `actors = ["emmanuel-macron", "macron"]`: "macron" is column 31,
    // not column 21 inside "emmanuel-macron".
    case("unknown-actor-substring")
        .fix("content/articles/withdrawal.md", ", \"macron\"", "")
        .error(
            "content/articles/withdrawal.md",
            4,
            31,
            "unknown actor \"macron\"",
        )
        .run();
}

#[test]
fn unknown_note_in_article_background() {
    case("unknown-note-background")
        .fix(
            "content/articles/withdrawal.md",
            "july-2023-coop",
            "july-2023-coup",
        )
        .error(
            "content/articles/withdrawal.md",
            4,
            16,
            "unknown note \"july-2023-coop\"",
        )
        .help("did you mean \"july-2023-coup\"?")
        .run();
}

#[test]
fn unknown_note_in_note_related_yaml() {
    case("unknown-related-note")
        .fix(
            "content/notes/france-in-the-sahel.md",
            "july-2023-cop",
            "july-2023-coup",
        )
        .error(
            "content/notes/france-in-the-sahel.md",
            5,
            5,
            "unknown note \"july-2023-cop\"",
        )
        .help("did you mean \"july-2023-coup\"?")
        .run();
}

#[test]
fn unknown_actor_in_actor_related() {
    case("unknown-related-actor")
        .fix("content/actors/france.md", ", \"emmanuel-macorn\"", "")
        .error(
            "content/actors/france.md",
            4,
            32,
            "unknown actor \"emmanuel-macorn\"",
        )
        .help("did you mean \"emmanuel-macron\"?")
        .run();
}

#[test]
fn reference_to_a_draft_says_it_is_a_draft() {
    case("reference-to-draft")
        .fix("content/actors/sylvain-itte.md", "draft = true\n", "")
        .error(
            "content/articles/withdrawal.md",
            4,
            12,
            "actor \"sylvain-itte\" is a draft",
        )
        .help(
            "publish it (remove `draft = true`) or take it out of this list until it is; \
             --drafts is for previews: it publishes every draft",
        )
        .run();
}

// ---------------------------------------------------------------------------
// Wikilinks.

#[test]
fn broken_wikilink_is_located_in_the_file_not_the_body() {
    // Line 11 of the file (line 6 of the body); the `[[` is the 28th
    // character of the line, after non-ASCII text ("L’Élysée —").
    case("broken-wikilink")
        .fix(
            "content/articles/withdrawal.md",
            "[[july-2023-cop]]",
            "[[july-2023-coup]]",
        )
        .error(
            "content/articles/withdrawal.md",
            11,
            28,
            "broken wikilink: no page \"july-2023-cop\"",
        )
        .help("did you mean \"july-2023-coup\"?")
        .run();
}

#[test]
fn broken_wikilink_in_a_crlf_file_with_bom() {
    // The BOM is not a column and CRLF ends a line like LF.
    case("crlf-bom")
        .without("content/articles/withdrawal.md")
        .error(
            "content/articles/withdrawal.md",
            7,
            12,
            "broken wikilink: no page \"july-2023-cop\"",
        )
        .help("did you mean \"july-2023-coup\"?")
        .run();
}

#[test]
fn ambiguous_bare_wikilink_suggests_qualified_forms() {
    let err = case("ambiguous-wikilink")
        .fix(
            "content/articles/withdrawal.md",
            "[[niger]]",
            "[[actors/niger]]",
        )
        .error(
            "content/articles/withdrawal.md",
            7,
            26,
            "ambiguous wikilink: \"niger\"",
        )
        .mentioning("[[actors/niger]]")
        .mentioning("[[notes/niger]]")
        .run();
    let help = err.lines().find(|l| l.contains("= help:")).unwrap();
    assert!(
        help.contains("[[actors/niger]]") && help.contains("[[notes/niger]]"),
        "{help}"
    );
}

#[test]
fn wikilink_anchor_to_a_missing_heading() {
    case("missing-anchor")
        .fix(
            "content/articles/withdrawal.md",
            "#backgroud",
            "#background",
        )
        .error(
            "content/articles/withdrawal.md",
            8,
            7,
            "broken wikilink: \"july-2023-coup\" has no heading \"#backgroud\"",
        )
        .help("did you mean \"background\"?")
        .run();
}

#[test]
fn wikilink_anchor_with_autolink_off() {
    // The same as wikilink_anchor_to_a_missing_heading with autolink
    // off: the good version, linking to `#background`, must build.
    case("missing-anchor-autolink-off")
        .fix(
            "content/articles/withdrawal.md",
            "#backgroud",
            "#background",
        )
        .error(
            "content/articles/withdrawal.md",
            8,
            7,
            "broken wikilink: \"july-2023-coup\" has no heading \"#backgroud\"",
        )
        .help("did you mean \"background\"?")
        .run();
}

#[test]
fn broken_wikilink_in_front_matter_know_list() {
    case("broken-wikilink-in-know")
        .fix(
            "content/articles/withdrawal.md",
            "[[july-2023-cuop]]",
            "[[july-2023-coup]]",
        )
        .error(
            "content/articles/withdrawal.md",
            6,
            19,
            "broken wikilink: no page \"july-2023-cuop\"",
        )
        .help("did you mean \"july-2023-coup\"?")
        .run();
}

#[test]
fn wikilink_to_a_page_that_failed_to_load_is_not_reported_twice() {
    // Only the note's own error: its bad date. The article's link to it
    // is not a second problem.
    case("link-to-failed-page")
        .fix(
            "content/notes/france-in-the-sahel.md",
            "2023-02-30",
            "2023-02-28",
        )
        .error(
            "content/notes/france-in-the-sahel.md",
            3,
            8,
            "invalid date \"2023-02-30\"",
        )
        .run();
}

// ---------------------------------------------------------------------------
// Slugs, topics, names.

#[test]
fn duplicate_slug_in_one_section_names_both_files() {
    // Same name, so the files keep their walk order: leaders/ first,
    // and the second one, people/, is the duplicate.
    case("duplicate-slug")
        .without("content/actors/leaders/emmanuel-macron.md")
        .error(
            "content/actors/people/emmanuel-macron.md",
            1,
            1,
            "duplicate slug \"emmanuel-macron\"",
        )
        .mentioning("content/actors/leaders/emmanuel-macron.md")
        .run();
}

#[test]
fn file_name_that_is_not_a_slug() {
    case("invalid-file-name")
        .without("content/actors/Sylvain-Itte.md")
        .error(
            "content/actors/Sylvain-Itte.md",
            1,
            1,
            "file name \"Sylvain-Itte\" is not a valid slug",
        )
        .help("rename the file to sylvain-itte.md, or set slug = \"sylvain-itte\"")
        .run();
}

#[test]
fn slug_key_that_is_not_a_slug() {
    case("invalid-slug-key")
        .fix(
            "content/actors/sylvain-itte.md",
            "slug = \"Sylvain Itté\"",
            "slug = \"sylvain-itte\"",
        )
        .error(
            "content/actors/sylvain-itte.md",
            4,
            9,
            "slug \"Sylvain Itté\" is not a valid slug",
        )
        .help("write slug = \"sylvain-itte\"")
        .run();
}

#[test]
fn topics_that_differ_only_in_case() {
    // Articles are taken newest first: withdrawal.md (October) sets the
    // spelling "niger", so the older coup.md's "Niger" is the clash.
    case("topic-case-clash")
        .fix("content/articles/withdrawal.md", "\"niger\"", "\"Niger\"")
        .error(
            "content/articles/coup.md",
            4,
            12,
            "topic \"Niger\" clashes with \"niger\"",
        )
        .mentioning("content/articles/withdrawal.md")
        .help("write \"niger\"")
        .run();
}

#[test]
fn two_actors_sharing_an_alias() {
    // Brigitte sorts first by name, so Emmanuel's alias is the clash.
    case("shared-alias")
        .fix(
            "content/actors/brigitte-macron.md",
            "[\"Macron\"]",
            "[\"Brigitte Trogneux\"]",
        )
        .error(
            "content/actors/emmanuel-macron.md",
            4,
            13,
            "\"Macron\" is also a name or alias of actor \"brigitte-macron\"",
        )
        .mentioning("content/actors/brigitte-macron.md")
        .run();
}

#[test]
fn empty_alias() {
    case("empty-alias")
        .fix("content/actors/france.md", ", \" \"", "")
        .error(
            "content/actors/france.md",
            4,
            1,
            "an actor's name or alias may not be empty",
        )
        .run();
}

// ---------------------------------------------------------------------------
// Front matter.

#[test]
fn invalid_date_in_toml() {
    case("invalid-date-toml")
        .fix(
            "content/articles/withdrawal.md",
            "\"2023-13-45\"",
            "\"2023-10-10\"",
        )
        .error(
            "content/articles/withdrawal.md",
            3,
            8,
            "invalid date \"2023-13-45\"",
        )
        .run();
}

#[test]
fn invalid_date_in_yaml() {
    case("invalid-date-yaml")
        .fix("content/articles/withdrawal.md", "2023-13-45", "2023-10-10")
        .error(
            "content/articles/withdrawal.md",
            3,
            7,
            "invalid date \"2023-13-45\"",
        )
        .run();
}

#[test]
fn unknown_key_in_toml_front_matter() {
    case("unknown-key-toml")
        .fix("content/articles/withdrawal.md", "titel", "title")
        .error(
            "content/articles/withdrawal.md",
            3,
            1,
            "unknown key `titel`",
        )
        .help("did you mean \"title\"?")
        .run();
}

#[test]
fn unknown_key_in_yaml_front_matter() {
    case("unknown-key-yaml")
        .fix("content/notes/france-in-the-sahel.md", "sumary", "summary")
        .error(
            "content/notes/france-in-the-sahel.md",
            3,
            1,
            "unknown key `sumary`",
        )
        .help("did you mean \"summary\"?")
        .run();
}

#[test]
fn unknown_key_in_site_toml() {
    case("unknown-key-site-toml")
        .fix("site.toml", "base_ulr", "base_url")
        .error("site.toml", 2, 1, "unknown key `base_ulr`")
        .help("did you mean \"base_url\"?")
        .run();
}

#[test]
fn relative_base_url_in_site_toml() {
    case("relative-base-url")
        .fix(
            "site.toml",
            "\"/niger/\"",
            "\"https://news.example.org/niger/\"",
        )
        .error(
            "site.toml",
            2,
            13,
            "base_url must be an absolute http(s) URL, not \"/niger/\"",
        )
        .run();
}

#[test]
fn unknown_actor_kind() {
    case("unknown-actor-kind")
        .fix("content/actors/wagner-group.md", "militia", "group")
        .error(
            "content/actors/wagner-group.md",
            3,
            8,
            "unknown variant `militia`",
        )
        .mentioning("group")
        .run();
}

#[test]
fn missing_title_of_an_article() {
    // A missing key has no place of its own: the opening fence, as for
    // YAML front matter (see missing_name_of_an_actor).
    case("missing-title")
        .fix(
            "content/articles/withdrawal.md",
            "+++\ndate",
            "+++\ntitle = \"France begins withdrawing\"\ndate",
        )
        .error(
            "content/articles/withdrawal.md",
            1,
            1,
            "missing required key `title`",
        )
        .run();
}

#[test]
fn missing_name_of_an_actor() {
    case("missing-name")
        .fix(
            "content/actors/france.md",
            "---\nkind",
            "---\nname: France\nkind",
        )
        .error(
            "content/actors/france.md",
            1,
            1,
            "missing required key `name`",
        )
        .run();
}

#[test]
fn missing_front_matter() {
    case("missing-front-matter")
        .fix(
            "content/notes/france-in-the-sahel.md",
            "# France in the Sahel\n",
            "+++\ntitle = \"France in the Sahel\"\n+++\n",
        )
        .error(
            "content/notes/france-in-the-sahel.md",
            1,
            1,
            "missing front matter",
        )
        .help("did you forget to add `+++` before and after the front matter?")
        .run();
}

#[test]
fn unclosed_front_matter() {
    case("unclosed-front-matter")
        .fix(
            "content/notes/france-in-the-sahel.md",
            "region.\"\n",
            "region.\"\n+++\n",
        )
        .error(
            "content/notes/france-in-the-sahel.md",
            1,
            1,
            "front matter opened with `+++` is never closed",
        )
        .run();
}

#[test]
fn invalid_utf8() {
    // `title = "La pr` is 14 characters; the Latin-1 é is byte 18.
    case("invalid-utf8")
        .good_version(
            "content/notes/france-in-the-sahel.md",
            "+++\ntitle = \"La présence française au Sahel\"\n+++\n\nFrance has deployed troops in the Sahel since 2013.\n",
        )
        .error(
            "content/notes/france-in-the-sahel.md",
            2,
            15,
            "file is not valid UTF-8 (byte 0xE9 at offset 18)",
        )
        .source_line("title = \"La pr")
        .help("save the file as UTF-8 in your editor")
        .run();
}

#[test]
fn toml_syntax_error() {
    // The missing comma: the second string starts at column 19.
    case("toml-syntax-error")
        .fix(
            "content/articles/withdrawal.md",
            "\"Niger\" \"Sahel\"",
            "\"Niger\", \"Sahel\"",
        )
        .error(
            "content/articles/withdrawal.md",
            4,
            19,
            "missing comma between array elements",
        )
        .run();
}

// ---------------------------------------------------------------------------
// URLs and images.

#[test]
fn javascript_link_in_body() {
    case("javascript-link")
        .fix(
            "content/articles/withdrawal.md",
            "javascript:alert(document.cookie)",
            "https://www.elysee.fr/",
        )
        .error(
            "content/articles/withdrawal.md",
            8,
            6,
            "refused link to a script URL \"javascript:alert(document.cookie)\"",
        )
        .help("links may not use javascript:, vbscript: or data: URLs")
        .run();
}

#[test]
fn entity_encoded_javascript_link_in_body() {
    case("javascript-link-entity")
        .fix(
            "content/articles/withdrawal.md",
            "jav&#x61;script:alert(1)",
            "https://www.elysee.fr/",
        )
        .error(
            "content/articles/withdrawal.md",
            7,
            6,
            "refused link to a script URL \"javascript:alert(1)\"",
        )
        .run();
}

#[test]
fn data_url_image_in_body() {
    case("data-image")
        .fix(
            "content/articles/withdrawal.md",
            "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
            "https://example.org/map.png",
        )
        .error(
            "content/articles/withdrawal.md",
            8,
            1,
            "refused link to a script URL \"data:text/html;base64,",
        )
        .run();
}

#[test]
fn javascript_url_in_sources() {
    case("javascript-source")
        .fix(
            "content/articles/withdrawal.md",
            "javascript:alert(1)",
            "https://www.afp.com/",
        )
        .error(
            "content/articles/withdrawal.md",
            11,
            8,
            "refused script URL \"javascript:alert(1)\"",
        )
        .run();
}

#[test]
fn image_without_alt() {
    case("image-without-alt")
        .fix(
            "content/articles/withdrawal.md",
            "image = \"images/convoy.gif\"\n",
            "image = \"images/convoy.gif\"\nimage_alt = \"A convoy\"\n",
        )
        .error(
            "content/articles/withdrawal.md",
            4,
            1,
            "`image` needs an `image_alt` describing it",
        )
        .run();
}

#[test]
fn image_missing_from_static() {
    case("image-missing")
        .fix("content/articles/withdrawal.md", "convoi.gif", "convoy.gif")
        .error(
            "content/articles/withdrawal.md",
            5,
            10,
            "image \"images/convoi.gif\" not found in static/",
        )
        .run();
}

#[test]
fn static_file_that_would_replace_a_page() {
    case("static-replaces-page")
        .without("static/index.html")
        .error(
            "static/index.html",
            1,
            1,
            "static file would replace the index.html the site generates",
        )
        .no_source_line()
        .run();
}

// ---------------------------------------------------------------------------
// Structure: sidebar, sections, templates.

#[test]
fn know_section_and_know_list_together() {
    case("know-twice")
        .fix(
            "content/articles/withdrawal.md",
            "know = [\"The first convoy left on October 10.\"]\n",
            "",
        )
        .error(
            "content/articles/withdrawal.md",
            9,
            1,
            "\"What You Should Know\" appears both in the body and as `know` in front matter",
        )
        .run();
}

#[test]
fn know_section_and_know_list_together_with_autolink_off() {
    case("know-twice-autolink-off")
        .fix(
            "content/articles/withdrawal.md",
            "know = [\"The first convoy left on October 10.\"]\n",
            "",
        )
        .error(
            "content/articles/withdrawal.md",
            9,
            1,
            "\"What You Should Know\" appears both in the body and as `know` in front matter",
        )
        .run();
}

#[test]
fn content_folder_that_is_not_a_section() {
    case("not-a-section")
        .without("content/article/withdrawal.md")
        .error(
            "content/article",
            1,
            1,
            "\"article\" is not a content section",
        )
        .help("did you mean \"articles\"?")
        .no_source_line()
        .run();
}

#[test]
fn template_override_with_a_syntax_error() {
    // `{{ page.title }</h1>`: the lone `}` is column 19 of line 3.
    case("template-syntax-error")
        .without("templates/article.html")
        .error("templates/article.html", 3, 19, "template error")
        .mentioning("a variable end (`}}`)")
        .run();
}

#[test]
fn template_override_with_an_unknown_variable() {
    // `<p>{{ page.byline }}</p>`: the variable starts at column 7 of line 4.
    case("template-unknown-variable")
        .without("templates/article.html")
        .error(
            "templates/article.html",
            4,
            7,
            "Variable `page.byline` not found",
        )
        .run();
}

#[test]
fn template_error_message_is_one_clean_line() {
    let err = case("template-syntax-error")
        .without("templates/article.html")
        .error(
            "templates/article.html",
            3,
            19,
            "template error: expected `or`",
        )
        .run();
    assert_eq!(
        err.matches("<h1>{{ page.title }</h1>").count(),
        1,
        "the source line is shown once:\n{err}"
    );
    assert!(!err.contains("-->"), "no second excerpt:\n{err}");
}

// ---------------------------------------------------------------------------
// Many errors in one run.

#[test]
fn every_error_of_a_site_is_reported_in_one_run() {
    let err = case("many-errors")
        .fix("site.toml", "langauge", "language")
        .fix(
            "content/articles/withdrawal.md",
            "sylvain-ite\"",
            "sylvain-itte\"",
        )
        .fix(
            "content/articles/withdrawal.md",
            "[[niger-junta]]",
            "[[july-2023-coup]]",
        )
        .fix(
            "content/articles/withdrawal.md",
            "javascript:void(0)",
            "https://example.org/",
        )
        .fix("content/articles/ambassador.md", "2023-09-31", "2023-09-27")
        .fix("content/articles/ambassador.md", "topcs", "topics")
        .fix(
            "content/articles/ambassador.md",
            "[\"sylvain-ite\"]",
            "[\"sylvain-itte\"]",
        )
        .fix("content/actors/sylvain-itte.md", ", \"niger\"", "")
        .fix(
            "content/actors/sylvain-itte.md",
            "#aftermath",
            "#background",
        )
        .fix("content/notes/france-in-the-sahel.md", "sumary", "summary")
        .without("templates/actor.html")
        .error("site.toml", 2, 1, "unknown key `langauge`")
        .help("did you mean \"language\"?")
        .error(
            "content/articles/withdrawal.md",
            4,
            31,
            "unknown actor \"sylvain-ite\"",
        )
        .help("did you mean \"sylvain-itte\"?")
        .error(
            "content/articles/withdrawal.md",
            8,
            46,
            "broken wikilink: no page \"niger-junta\"",
        )
        .error(
            "content/articles/withdrawal.md",
            10,
            1,
            "refused link to a script URL \"javascript:void(0)\"",
        )
        .error(
            "content/articles/ambassador.md",
            3,
            8,
            "invalid date \"2023-09-31\"",
        )
        // The same file's other problems, found in the same run.
        .error(
            "content/articles/ambassador.md",
            4,
            1,
            "unknown key `topcs`",
        )
        .help("did you mean \"topics\"?")
        .error(
            "content/articles/ambassador.md",
            5,
            12,
            "unknown actor \"sylvain-ite\"",
        )
        .help("did you mean \"sylvain-itte\"?")
        .error(
            "content/actors/sylvain-itte.md",
            5,
            32,
            "unknown actor \"niger\"",
        )
        .error(
            "content/actors/sylvain-itte.md",
            8,
            36,
            "broken wikilink: \"july-2023-coup\" has no heading \"#aftermath\"",
        )
        .error(
            "content/notes/france-in-the-sahel.md",
            6,
            1,
            "unknown key `sumary`",
        )
        .error("templates/actor.html", 5, 1, "template error")
        .run();
    assert!(
        err.contains("error: 11 problems found; nothing was written"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------
// Usage errors.

#[test]
fn output_folder_that_overlaps_the_site_is_a_usage_error() {
    let (tmp, site) = fixture_copy("usage");
    let good = explainer(&site, &["build", "--root", "."]);
    assert!(good.status.success(), "{}", stderr(&good));
    let before = snapshot(tmp.path());
    let site_abs = site.display().to_string();
    let inside_public = format!("{site_abs}/public/..");
    for output in [
        ".",
        "./",
        site_abs.as_str(),
        inside_public.as_str(),
        "content",
        "content/articles",
        "content/articles/new",
        "templates",
        "static",
        "..",
    ] {
        let out = explainer(&site, &["build", "--root", ".", "--output", output]);
        assert_no_panic(&out, output);
        assert_eq!(
            out.status.code(),
            Some(2),
            "--output {output}: usage error expected:\n{}",
            stderr(&out)
        );
        assert!(
            stderr(&out).contains("error: refusing to use"),
            "--output {output}: {}",
            stderr(&out)
        );
        assert_unchanged(
            &before,
            &snapshot(tmp.path()),
            &format!("build --output {output}"),
        );
    }
    // The same from outside the site, with --root pointing at it.
    let out = explainer(
        tmp.path(),
        &["build", "--root", "site", "--output", "site/content"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_unchanged(&before, &snapshot(tmp.path()), "--output site/content");
}

#[test]
fn bad_output_folder_is_a_usage_error_even_when_the_content_is_broken() {
    let (tmp, site) = fixture_copy("unknown-actor");
    let before = snapshot(tmp.path());
    let out = explainer(&site, &["build", "--root", ".", "--output", "content"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_unchanged(&before, &snapshot(tmp.path()), "--output content");
}

#[test]
fn command_line_mistakes_exit_2() {
    let (tmp, site) = fixture_copy("usage");
    let before = snapshot(tmp.path());
    let cases: &[(&[&str], &str)] = &[
        (&["publish", "--root", "."], "publish"),
        (&[], "Usage"),
        (&["build", "--root", ".", "--outptu", "x"], "--outptu"),
        (&["build", "--root", "does-not-exist"], "does-not-exist"),
        (&["check", "--root", "does-not-exist"], "does-not-exist"),
        (
            &["build", "--root", ".", "--base-url", "/relative/"],
            "base_url",
        ),
    ];
    for (args, mention) in cases {
        let out = explainer(&site, args);
        assert_no_panic(&out, &format!("{args:?}"));
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?} should be a usage error:\n{}",
            stderr(&out)
        );
        assert!(
            stderr(&out).contains(mention),
            "{args:?} should mention {mention:?}:\n{}",
            stderr(&out)
        );
        assert_unchanged(&before, &snapshot(tmp.path()), &format!("{args:?}"));
    }
}

// ---------------------------------------------------------------------------
// No fixture makes the binary panic.

#[test]
fn no_fixture_makes_the_binary_panic() {
    let mut seen = 0;
    for entry in std::fs::read_dir(FIXTURES).unwrap() {
        let entry = entry.unwrap();
        if !entry.file_type().unwrap().is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let (_tmp, site) = fixture_copy(&name);
        for args in [
            &["build", "--root", "."][..],
            &["check", "--root", "."],
            &["build", "--root", ".", "--drafts"],
            &["build", "--root", ".", "--output", "content"],
        ] {
            let out = explainer(&site, args);
            assert_no_panic(&out, &format!("{name} {args:?}"));
        }
        seen += 1;
    }
    assert!(seen >= 40, "only {seen} fixtures found");
}

// ---------------------------------------------------------------------------
// Author profiles: their front matter is checked like every section's.

const AUTHOR: &str = "content/authors/ana-diallo.md";

#[test]
fn missing_name_of_an_author() {
    case("author-missing-name")
        .fix(AUTHOR, "+++\nrole", "+++\nname = \"Ana Diallo\"\nrole")
        .error(AUTHOR, 1, 1, "missing required key `name`")
        .run();
}

#[test]
fn unknown_key_in_an_author_profile() {
    case("author-unknown-key")
        .fix(AUTHOR, "rol =", "role =")
        .error(AUTHOR, 3, 1, "unknown key `rol`")
        .help("did you mean \"role\"?")
        .run();
}

#[test]
fn an_author_link_that_is_not_an_absolute_url() {
    case("author-bad-link")
        .fix(AUTHOR, "\"example.org", "\"https://example.org")
        .error(
            AUTHOR,
            4,
            38,
            "link \"example.org/ana-diallo\" is not an absolute http(s) URL",
        )
        .help("write the whole address, e.g. \"https://example.org/me\"")
        .run();
}

#[test]
fn author_links_that_are_not_a_list() {
    case("author-bad-value")
        .fix(AUTHOR, "links: https", "links:\n  - https")
        .error(
            AUTHOR,
            3,
            8,
            "`links` must be a list, not the string \"https",
        )
        .help("a list is written in brackets, even with one item: links: [")
        .run();
}

#[test]
fn an_author_photo_that_is_missing() {
    case("author-image-missing")
        .good_version(
            AUTHOR,
            "+++\nname = \"Ana Diallo\"\n+++\n\nAna Diallo covers the port.\n",
        )
        .error(
            AUTHOR,
            3,
            10,
            "image \"images/ana.jpg\" not found in static/",
        )
        .run();
}

#[test]
fn two_authors_of_one_name() {
    case("author-duplicate-name")
        .fix(
            "content/authors/ana-diallo-desk.md",
            "\"Ana Diallo\"",
            "\"Ana Diallo Mensah\"",
        )
        .error(
            "content/authors/ana-diallo-desk.md",
            2,
            9,
            "\"Ana Diallo\" is also the name of author \"ana-diallo\"",
        )
        .help("a byline names one profile: give each author a distinct name")
        .run();
}

// ---------------------------------------------------------------------------
// Settings and interface strings: every problem of each file in one run,
// with the content's.

#[test]
fn every_problem_of_site_toml_with_the_content_errors() {
    case("site-toml-many-problems")
        .good_version(
            "site.toml",
            "title = \"Niger Explained\"\nbase_url = \"https://news.example.org/\"\n",
        )
        .fix(
            "content/notes/july-2023-coup.md",
            "[[President Bazoum]]",
            "President Bazoum",
        )
        .error("site.toml", 2, 1, "unknown key `base_ulr`")
        .help("did you mean \"base_url\"?")
        .error(
            "site.toml",
            3,
            13,
            "base_url must be an absolute http(s) URL, not \"/niger/\"",
        )
        .error(
            "site.toml",
            4,
            12,
            "`paginate` must be a whole number (0 or more), not the string \"ten\"",
        )
        .help("write the number without quotes")
        .mentioning("paginate = \"ten\"")
        .error(
            "site.toml",
            5,
            21,
            "\"f_r\" in languages is not a language tag like \"en\" or \"pt-BR\"",
        )
        .mentioning("the built-in interface languages are en, fr, es, de, pt, ar")
        .error(
            "site.toml",
            8,
            11,
            "[images] quality 0 is out of range; it must be from 1 to 100",
        )
        .error(
            "site.toml",
            11,
            1,
            "unknown key `enabld` in the `[search]` table",
        )
        .help("did you mean \"enabled\"?")
        .error(
            "content/notes/july-2023-coup.md",
            8,
            45,
            "broken wikilink: no page \"President Bazoum\"",
        )
        .run();
}

#[test]
fn every_problem_of_an_i18n_file_in_one_run() {
    case("i18n-many-problems")
        .without("i18n/fr.toml")
        .error("i18n/fr.toml", 3, 1, "unknown interface string `key_actor`")
        .help("did you mean \"key_actors\"?")
        .error("i18n/fr.toml", 4, 11, "string is not closed")
        .help("a \"...\" string ends with `\"` on the same line")
        .error("i18n/fr.toml", 6, 1, "unknown interface string `lastest`")
        .help("did you mean \"latest\"?")
        .error("i18n/fr.toml", 8, 1, "duplicate key `latest`")
        .help("`latest` is already set on line 2: keep one of the two")
        .run();
}

#[test]
fn an_i18n_file_of_a_language_the_site_does_not_publish_is_checked() {
    case("i18n-unused-language")
        .without("i18n/it.toml")
        .error(
            "i18n/it.toml",
            1,
            1,
            "\"it\" in the file name i18n/it.toml is a language the site does not publish",
        )
        .help("the site publishes en (`language` and `languages` in site.toml), each reading i18n/<language>.toml and i18n/<language>-<REGION>.toml: add \"it\" to languages, or rename or remove the file")
        .no_source_line()
        .error("i18n/it.toml", 3, 1, "unknown interface string `key_actor`")
        .help("did you mean \"key_actors\"?")
        .run();
}

#[test]
fn an_i18n_file_name_that_is_not_a_language_tag() {
    case("i18n-bad-file-name")
        .without("i18n/en_GB.toml")
        .error(
            "i18n/en_GB.toml",
            1,
            1,
            "\"en_GB\" in the file name i18n/en_GB.toml is not a language tag like \"en\" or \"pt-BR\"",
        )
        .help("did you mean \"en-GB\"? A language tag joins its parts with `-`, not `_`")
        .no_source_line()
        .run();
}

#[test]
fn bad_language_codes_point_at_the_value() {
    case("bad-language-code")
        .fix("site.toml", ", \"french\"", "")
        .without("content/notes/july-2023-coup.de.md")
        .error(
            "site.toml",
            4,
            27,
            "\"french\" in languages is not a language tag like \"en\" or \"pt-BR\"",
        )
        .mentioning("two or three letters, then an optional region or script")
        .error(
            "content/notes/july-2023-coup.de.md",
            1,
            1,
            "\"de\" in the file name july-2023-coup.de.md is a language that languages in site.toml does not list",
        )
        // july-2023-coup.md is there: renaming the file to it is no way out.
        .help("the site publishes en, fr, and july-2023-coup.md is beside it: add \"de\" to languages in site.toml, or remove the file")
        .no_source_line()
        .run();
}

#[test]
fn a_bad_language_code_in_a_file_name_names_the_code() {
    case("bad-language-code-file-name")
        .without("content/notes/july-2023-coup.f_r.md")
        .error(
            "content/notes/july-2023-coup.f_r.md",
            1,
            1,
            "\"f_r\" in the file name july-2023-coup.f_r.md is not a language tag like \"en\" or \"pt-BR\"",
        )
        .help("the site publishes en, fr: name a translation july-2023-coup.<language>.md with one of them, as july-2023-coup.fr.md, or the page itself july-2023-coup.md")
        .no_source_line()
        .run();
}
