//! How problems are reported: every problem of a file and of a run in one
//! go, each at its place, with the hint that helps; frames that stay
//! aligned and escaped whatever the file holds; and output that survives a
//! closed pipe. Each test runs the real binary on a small site.

use crate::support;

use std::process::{Command, Stdio};

use support::{bin, stderr, Site};

/// Every `path:line:column:` line that starts a diagnostic, in order.
fn locations(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.starts_with(' ') && !l.starts_with("error:") && !l.is_empty())
        .filter(|l| !l.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .filter_map(|l| {
            let mut parts = l.splitn(4, ':');
            let (path, line, column) = (parts.next()?, parts.next()?, parts.next()?);
            line.parse::<usize>().ok()?;
            column.parse::<usize>().ok()?;
            Some(format!("{path}:{line}:{column}"))
        })
        .collect()
}

/// Runs `check` and asserts it fails with exactly these locations, in
/// order; returns what it printed.
fn check_reports(site: &Site, expected: &[&str]) -> String {
    let out = site.run(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let root = site.root().display().to_string();
    let found: Vec<String> = locations(&err)
        .into_iter()
        .map(|l| l.trim_start_matches(&format!("{root}/")).to_string())
        .collect();
    assert_eq!(found, expected, "{err}");
    assert!(
        err.contains(&format!("error: {} problem", expected.len())),
        "{err}"
    );
    err
}

/// The binary with stdout or stderr connected to a pipe whose reading end
/// is already closed, so every write fails with a broken pipe.
fn run_into_closed_pipe(site: Option<&Site>, args: &[&str], closed_stdout: bool) -> i32 {
    // The reading end belongs to a process that has already exited.
    let mut reader = Command::new("true").stdin(Stdio::piped()).spawn().unwrap();
    let writer = Stdio::from(reader.stdin.take().unwrap());
    reader.wait().unwrap();
    let mut cmd: Command = bin();
    cmd.args(args);
    if let Some(site) = site {
        cmd.arg("--root").arg(site.root());
    }
    if closed_stdout {
        cmd.stdout(writer).stderr(Stdio::piped());
    } else {
        cmd.stderr(writer).stdout(Stdio::piped());
    }
    let out = cmd.output().unwrap();
    let other = if closed_stdout {
        &out.stderr
    } else {
        &out.stdout
    };
    let other = String::from_utf8_lossy(other);
    assert!(
        !other.contains("panicked") && !other.contains("internal error"),
        "{args:?}: {other}"
    );
    out.status
        .code()
        .unwrap_or_else(|| panic!("{args:?} was killed: {:?}", out.status))
}

const ARTICLE_OK: &str = "+++\ntitle = \"A\"\ndate = 2023-10-10\n+++\n\nBody.\n";

#[test]
fn a_closed_pipe_ends_the_output_quietly_with_the_commands_status() {
    let good = Site::new(&[("content/articles/a.md", ARTICLE_OK)]);
    let broken = Site::new(&[(
        "content/articles/a.md",
        "+++\ntitle = \"A\"\ndate = \"2023-02-30\"\n+++\n\nSee [[nowhere]].\n",
    )]);
    assert_eq!(run_into_closed_pipe(None, &["--help"], true), 0);
    assert_eq!(run_into_closed_pipe(None, &["build", "--help"], true), 0);
    assert_eq!(run_into_closed_pipe(Some(&good), &["check"], false), 0);
    assert_eq!(run_into_closed_pipe(Some(&good), &["build"], false), 0);
    assert!(good.exists("index.html"), "the build still ran");
    assert_eq!(run_into_closed_pipe(Some(&broken), &["check"], false), 1);
    assert_eq!(run_into_closed_pipe(Some(&broken), &["build"], false), 1);
    assert_eq!(run_into_closed_pipe(None, &["bogus-command"], false), 2);
}

#[test]
fn control_characters_and_escape_sequences_are_printed_escaped() {
    // A title holding a screen-clearing escape, a window-title sequence, a
    // right-to-left override and a C1 control, in a file whose name holds
    // an escape too; the wikilink target quotes one in the message.
    let site = Site::new(&[
        (
            "content/articles/a\u{1b}[2Jb.md",
            "+++\ntitle = \"\u{1b}[2J\u{1b}]0;pwned\u{7}T\u{202e}txt\u{9b}\"\ndate = 2023-10-10\n+++\n",
        ),
        (
            "content/articles/c.md",
            // C1 controls are legal XML, so this one reaches the resolve
            // stage and is quoted in its message.
            "+++\ntitle = \"C\"\ndate = 2023-10-10\n+++\n\nSee [[no\u{9b}[31mwhere]].\n",
        ),
    ]);
    let out = site.run(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let raw: Vec<char> = err
        .chars()
        .filter(|&c| (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c))
        .collect();
    assert!(raw.is_empty(), "raw control characters {raw:?} in:\n{err}");
    assert!(
        err.contains("a\\u{1b}[2Jb.md:2:10: "),
        "the path is escaped:\n{err}"
    );
    assert!(
        err.contains("2 | title = \"\\u{1b}[2J\\u{1b}]0;pwned\\u{7}T\\u{202e}txt\\u{9b}\""),
        "the source line is escaped:\n{err}"
    );
    assert!(
        err.contains("c.md:6:5: broken wikilink: no page \"no\\u{9b}[31mwhere\""),
        "the message quoting the body is escaped:\n{err}"
    );
    assert!(err.contains("6 | See [[no\\u{9b}[31mwhere]]."), "{err}");
}

const ACTOR: &str = "+++\nname = \"Emmanuel Macron\"\n+++\n\nPresident.\n";

#[test]
fn every_problem_of_one_file_is_reported_in_one_run() {
    // A bad date, an unknown key and an unknown actor slug: three runs to
    // find before, one now. The body's broken wikilink is found too.
    let site = Site::new(&[
        ("content/actors/emmanuel-macron.md", ACTOR),
        (
            "content/articles/a.md",
            concat!(
                "+++\n",
                "title = \"A\"\n",
                "date = \"2023-02-30\"\n",
                "topcs = [\"Niger\"]\n",
                "actors = [\"emanuel-macron\"]\n",
                "+++\n",
                "\n",
                "See [[nowhere]].\n",
            ),
        ),
    ]);
    let err = check_reports(
        &site,
        &[
            "content/articles/a.md:3:8",
            "content/articles/a.md:4:1",
            "content/articles/a.md:5:12",
            "content/articles/a.md:8:5",
        ],
    );
    assert!(err.contains("invalid date \"2023-02-30\""), "{err}");
    assert!(err.contains("did you mean \"topics\"?"), "{err}");
    assert!(err.contains("did you mean \"emmanuel-macron\"?"), "{err}");
}

#[test]
fn a_syntax_error_in_front_matter_does_not_hide_the_files_other_problems() {
    // An unquoted impossible date is a TOML syntax error; a duplicate key
    // another. The unknown key, the unknown actor slug, the multi-line
    // list after the duplicate and the body's wikilink are still checked.
    let site = Site::new(&[
        ("content/actors/emmanuel-macron.md", ACTOR),
        (
            "content/articles/a.md",
            concat!(
                "+++\n",
                "title = \"A\"\n",
                "date = 2023-99-10\n",
                "topcs = [\"Niger\"]\n",
                "title = \"B\"\n",
                "actors = [\n",
                "  \"emanuel-macron\",\n",
                "]\n",
                "+++\n",
                "\n",
                "See [[nowhere]].\n",
            ),
        ),
        (
            "content/notes/n.md",
            "---\ntitle: N\nsumary: x\ntitle: again\n---\n\nSee [[elsewhere]].\n",
        ),
    ]);
    let err = check_reports(
        &site,
        &[
            "content/articles/a.md:3:8",
            "content/articles/a.md:4:1",
            "content/articles/a.md:5:1",
            "content/articles/a.md:7:4",
            "content/articles/a.md:11:5",
            "content/notes/n.md:3:1",
            "content/notes/n.md:4:1",
            "content/notes/n.md:7:5",
        ],
    );
    assert!(err.contains("did you mean \"topics\"?"), "{err}");
    assert!(err.contains("did you mean \"emmanuel-macron\"?"), "{err}");
    // The blanked-out date is not reported again as missing.
    assert!(!err.contains("missing"), "{err}");
}

#[test]
fn each_refused_character_and_each_name_too_long_is_reported() {
    // Raw control and bidi characters: each one, and a raw one does not
    // hide a character reference writing another further down.
    let mut many = String::from("+++\ntitle = \"M\"\ndate = 2023-10-10\n+++\n\n");
    many.push_str(&"\u{1}".repeat(25));
    many.push('\n');
    let long_slug = "a".repeat(250);
    let long_topic = "word ".repeat(50);
    let site = Site::new(&[
        (
            "content/articles/a.md",
            "+++\ntitle = \"A\u{7}\"\ndate = 2023-10-10\n+++\n\nOne \u{202E}two.\n\nThree &#x1; four.\n",
        ),
        ("content/articles/m.md", &many),
        (
            "content/articles/l.md",
            &format!(
                "+++\ntitle = \"L\"\ndate = 2023-10-10\nslug = \"{long_slug}\"\ntopics = [\"{}\"]\n+++\n",
                long_topic.trim()
            ),
        ),
    ]);
    // A link out of the site in static/ is reported beside content errors.
    std::fs::create_dir_all(site.root().join("static")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", site.root().join("static/passwd")).unwrap();
    let mut expected = vec![
        "content/articles/a.md:2:11".to_string(),
        "content/articles/a.md:6:5".to_string(),
        "content/articles/a.md:8:7".to_string(),
        "content/articles/l.md:4:9".to_string(),
        "content/articles/l.md:5:12".to_string(),
    ];
    expected.extend((1..=20).map(|c| format!("content/articles/m.md:6:{c}")));
    expected.push("static/passwd:1:1".to_string());
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    let err = check_reports(&site, &expected);
    assert!(err.contains("5 more such characters in this file"), "{err}");
    assert!(err.contains("(written as a character reference)"), "{err}");
    assert!(err.contains("topic is too long"), "{err}");
}

#[test]
fn an_image_path_out_of_static_or_on_this_computer_is_told_so() {
    let site = Site::new(&[
        ("pic.png", "png"),
        (
            "content/articles/a.md",
            "+++\ntitle = \"A\"\ndate = 2023-10-10\nimage = \"../../outside/x.png\"\nimage_alt = \"x\"\n+++\n",
        ),
    ]);
    let absolute = site.root().join("pic.png").display().to_string();
    site.write(
        "content/articles/b.md",
        &format!(
            "+++\ntitle = \"B\"\ndate = 2023-10-10\nimage = \"{absolute}\"\nimage_alt = \"x\"\n+++\n"
        ),
    );
    let err = check_reports(
        &site,
        &["content/articles/a.md:4:10", "content/articles/b.md:4:10"],
    );
    assert!(
        err.contains(
            "image \"../../outside/x.png\" leaves static/: an image path may not contain `..`"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "copy the file into static/ (e.g. static/images/x.png) and write \"images/x.png\""
        ),
        "{err}"
    );
    assert!(!err.contains("static/../"), "{err}");
    assert!(
        err.contains("a leading `/` means static/, not this computer's root"),
        "{err}"
    );
    assert!(err.contains("write \"images/pic.png\""), "{err}");
}

#[test]
fn every_problem_of_a_yaml_file_and_of_its_neighbours_in_one_run() {
    // A missing title, a mistyped key and a number where a slug belongs in
    // one YAML file; the page still counts as existing for the article that
    // links to it (no "no page"), and the linking article's own problem is
    // reported beside them.
    let site = Site::new(&[
        ("content/actors/emmanuel-macron.md", ACTOR),
        (
            "content/notes/coup.md",
            "---\nsumary: x\nrelated:\n  - 7\nactors: [emmanuel-macron, nobody]\n---\n\nBody.\n",
        ),
        (
            "content/articles/a.md",
            "+++\ntitle = \"A\"\ndate = 2023-10-10\nbackground = [\"coup\"]\nactors = [\"emmanuel-macron\", \"x\"]\n+++\n\nSee [[coup]].\n",
        ),
    ]);
    check_reports(
        &site,
        &[
            "content/articles/a.md:5:31",
            "content/notes/coup.md:1:1",
            "content/notes/coup.md:2:1",
            "content/notes/coup.md:4:5",
            "content/notes/coup.md:5:27",
        ],
    );
}

#[test]
fn a_wikilink_to_a_draft_says_it_is_a_draft() {
    let site = Site::new(&[
        (
            "content/notes/coup.md",
            "+++\ntitle = \"Coup\"\ndraft = true\n+++\n\nBody.\n",
        ),
        (
            "content/actors/junta.md",
            "+++\nname = \"The Junta\"\ndraft = true\n+++\n\nBody.\n",
        ),
        (
            "content/articles/a.md",
            "+++\ntitle = \"A\"\ndate = 2023-10-10\n+++\n\nSee [[coup]] and [[actors/junta|them]] and [[notes/junta]].\n",
        ),
    ]);
    let err = check_reports(
        &site,
        &[
            "content/articles/a.md:6:5",
            "content/articles/a.md:6:18",
            "content/articles/a.md:6:44",
        ],
    );
    assert!(
        err.contains("broken wikilink: note \"coup\" is a draft"),
        "{err}"
    );
    assert!(
        err.contains("broken wikilink: actor \"actors/junta\" is a draft"),
        "{err}"
    );
    assert!(
        err.contains(
            "= help: publish it (remove `draft = true`) or take the link out until it is; \
             --drafts is for previews: it publishes every draft"
        ),
        "{err}"
    );
    // The note section holds no draft "junta": that one is no page.
    assert!(err.contains("no page \"notes/junta\""), "{err}");
    let out = site.run(&["check", "--drafts"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(
        locations(&err)
            .iter()
            .map(|l| l.rsplit("content/").next().unwrap().to_string())
            .collect::<Vec<_>>(),
        ["articles/a.md:6:44"],
        "with --drafts only the real broken link is left:\n{err}"
    );
}

#[test]
fn a_top_level_key_inside_a_table_of_site_toml_is_told_so() {
    let site = Site::new(&[
        (
            "site.toml",
            "title = \"T\"\n\n[publisher]\nname = \"P\"\nautolink = false\nlogo_url = \"x\"\n",
        ),
        ("content/articles/a.md", ARTICLE_OK),
    ]);
    let out = site.run(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("site.toml:5:1: unknown key `autolink` in the `[publisher]` table"),
        "{err}"
    );
    assert!(
        err.contains(
            "move it above `[publisher]` (top-level keys must come before the first table)"
        ),
        "{err}"
    );
    assert!(!err.contains("did you mean \"autolink\""), "{err}");
}

/// A site with two articles, a note and an actor, and the built-in
/// `base.html` copied into its own `templates/` with `edit` applied to it.
fn site_with_own_base(edit: impl Fn(&str) -> String) -> Site {
    let base = std::fs::read_to_string(support::repo_root().join("templates/base.html")).unwrap();
    let site = Site::new(&[
        ("content/articles/a.md", ARTICLE_OK),
        (
            "content/articles/b.md",
            "+++\ntitle = \"B\"\ndate = 2023-10-11\n+++\n\nBody.\n",
        ),
        ("content/notes/n.md", "+++\ntitle = \"N\"\n+++\n\nBody.\n"),
        ("content/actors/emmanuel-macron.md", ACTOR),
    ]);
    site.write("templates/base.html", &edit(&base));
    site
}

#[test]
fn a_render_error_in_the_sites_own_base_template_is_reported_once_at_its_line() {
    // The line of the footer's feed link: every page extends base.html,
    // and each used to report the error as
    // `(built-in theme) templates/<page template>:1:1`.
    let theme = std::fs::read_to_string(support::repo_root().join("templates/base.html")).unwrap();
    let line = 1 + theme
        .lines()
        .position(|l| l.contains("footer_feed"))
        .expect("base.html links the feed in its footer");
    let site = site_with_own_base(|base| {
        base.lines()
            .enumerate()
            .map(|(i, l)| {
                if i + 1 == line {
                    format!("{l} {{{{ site.titel }}}}\n")
                } else {
                    format!("{l}\n")
                }
            })
            .collect()
    });
    let written = std::fs::read_to_string(site.root().join("templates/base.html"))
        .unwrap()
        .lines()
        .nth(line - 1)
        .unwrap()
        .to_string();
    // Columns count characters: the line may hold a non-ASCII one (—).
    let column = written[..written.find("site.titel").unwrap()]
        .chars()
        .count()
        + 1;
    for command in ["check", "build"] {
        let out = site.run(&[command]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        let found = locations(&err);
        assert_eq!(found.len(), 1, "{command}: reported once:\n{err}");
        assert!(
            found[0].ends_with(&format!("templates/base.html:{line}:{column}")),
            "{command}:\n{err}"
        );
        assert!(!err.contains("built-in theme"), "{err}");
        assert!(
            err.contains("template error: Variable `site.titel` not found in context (rendering "),
            "{err}"
        );
        assert!(err.contains("other pages)"), "{err}");
    }
}

#[test]
fn template_errors_point_into_the_template_at_fault() {
    // A macro file of the site's own with a bad variable, imported by the
    // site's own article.html; and an `extends` of a misspelt name.
    let site = site_with_own_base(|b| b.to_string());
    site.write(
        "templates/cards.html",
        "{% macro card(x) %}\n<p>{{ x.nme }}</p>\n{% endmacro card %}\n",
    );
    let article =
        std::fs::read_to_string(support::repo_root().join("templates/article.html")).unwrap();
    let article = article
        .replacen(
            "{% extends \"base.html\" %}",
            "{% extends \"base.html\" %}{% import \"cards.html\" as cards %}",
            1,
        )
        .replacen(
            "{% block main %}",
            "{% block main %}{{ cards::card(x=site) }}",
            1,
        );
    site.write("templates/article.html", &article);
    let out = site.run(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let found = locations(&err);
    assert_eq!(found.len(), 1, "{err}");
    assert!(found[0].ends_with("templates/cards.html:2:7"), "{err}");
    assert!(err.contains("(rendering articles/"), "{err}");
    assert!(err.contains("and 1 other pages)"), "{err}");

    site.write("templates/article.html", "{% extends \"bse.html\" %}\n");
    let out = site.run(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let found = locations(&err);
    assert_eq!(found.len(), 1, "{err}");
    assert!(found[0].ends_with("templates/article.html:1:13"), "{err}");
    assert!(err.contains("= help: did you mean \"base.html\"?"), "{err}");
}

#[test]
fn the_hints_a_newcomer_needs_all_in_one_run() {
    let site = Site::new(&[
        ("static/images/x.png", "png"),
        ("content/articles/a.md", ARTICLE_OK),
        // A duplicate slug set by `slug =` is pointed at there.
        (
            "content/articles/b.md",
            "+++\ntitle = \"B\"\ndate = 2023-10-10\nslug = \"a\"\n+++\n",
        ),
        // An image path written from the site root.
        (
            "content/articles/c.md",
            "+++\ntitle = \"C\"\ndate = 2023-10-10\nimage = \"static/images/x.png\"\nimage_alt = \"x\"\n+++\n",
        ),
        (
            "content/actors/d.md",
            "+++\nname = \"D\"\nimage = \"/static/images/y.png\"\nimage_alt = \"y\"\n+++\n",
        ),
        // A quote inside a TOML string.
        (
            "content/articles/e.md",
            "+++\ntitle = \"He said \"no\"\"\ndate = 2023-10-10\n+++\n",
        ),
        // A colon in an unquoted YAML value, and a mis-indented key.
        (
            "content/articles/f.md",
            "---\ntitle: Macron: the exit\ndate: 2023-10-10\n---\n",
        ),
        (
            "content/articles/g.md",
            "---\ntitle: G\n  date: 2023-10-10\n---\n",
        ),
        // A list item indented deeper than the one above.
        (
            "content/articles/i.md",
            "---\ntitle: I\ndate: 2023-10-10\ntopics:\n  - a\nactors:\n  - emmanuel-macron\n   - nobody\n---\n",
        ),
        ("content/actors/emmanuel-macron.md", ACTOR),
        // Hugo's and Zola's habits.
        ("content/articles/_index.md", "+++\ntitle = \"Articles\"\n+++\n"),
        ("content/notes/h.markdown", "+++\ntitle = \"H\"\n+++\n"),
    ]);
    let err = check_reports(
        &site,
        &[
            "content/actors/d.md:3:10",
            "content/articles/_index.md:1:1",
            "content/articles/b.md:4:9",
            "content/articles/c.md:4:10",
            "content/articles/e.md:2:19",
            "content/articles/f.md:2:14",
            "content/articles/g.md:3:3",
            "content/articles/i.md:6:1",
            "content/notes/h.markdown:1:1",
        ],
    );
    for hint in [
        "duplicate slug \"a\": also used by content/articles/a.md",
        "change this `slug` or the other page's",
        "drop `static/` and write \"images/x.png\"",
        "drop `static/` and write \"images/y.png\"",
        "write it as \\\" (\"He said \\\"no\\\"\"), or put the text in single quotes",
        "a value holding \": \" must be quoted: title: \"Macron: the exit\"",
        "mis-indented key `date`",
        "`date` is indented more than `title` on the line above",
        "`_index.md` section pages are not used here",
        "`.markdown` files are not read: pages are `.md` files",
        "rename it to h.md",
        "unknown actor \"emmanuel-macron - nobody\"",
        "this is two list items run together",
    ] {
        assert!(err.contains(hint), "missing {hint:?} in:\n{err}");
    }
}

/// Runs `check` on a site inside a pseudo-terminal (util-linux `script`,
/// part of every Debian system), so stderr is a terminal.
fn check_in_a_terminal(site: &Site, no_color: Option<&str>) -> String {
    let command = format!(
        "'{}' check --root '{}'",
        env!("CARGO_BIN_EXE_explainer"),
        site.root().display()
    );
    let mut script = Command::new("script");
    script.args(["-qec", &command, "/dev/null"]);
    script.env_remove("NO_COLOR");
    if let Some(v) = no_color {
        script.env("NO_COLOR", v);
    }
    let out = script.output().expect("util-linux `script` runs");
    String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n")
}

#[test]
fn colour_only_on_a_terminal_and_never_with_no_color() {
    let site = Site::new(&[(
        "content/articles/a.md",
        "+++\ntitle = \"設置前にすること\"\ndate = 2023-10-10\nactors = [\"x\"]\n+++\n",
    )]);
    let plain = stderr(&site.run(&["check"]));
    assert!(
        !plain.contains('\u{1b}'),
        "not a terminal: no styles\n{plain}"
    );
    let styled = check_in_a_terminal(&site, None);
    assert!(
        styled.contains("\u{1b}["),
        "a terminal gets styles:\n{styled}"
    );
    assert!(
        styled.contains("content/articles/a.md:4:12: unknown actor \"x\""),
        "{styled}"
    );
    for value in ["1", "true"] {
        let out = check_in_a_terminal(&site, Some(value));
        assert!(!out.contains('\u{1b}'), "NO_COLOR={value}:\n{out}");
        assert!(out.contains("4 | actors = [\"x\"]"), "{out}");
    }
}

#[test]
fn carets_line_up_after_wide_characters_and_tabs() {
    use unicode_width::UnicodeWidthStr;
    let lines = [
        "## 설치 전 할 일은 [[없는-쪽]] 입니다",
        "設置前にすること [[nowhere]]",
        "📰🎉 [[nowhere-two]]",
        "A\ttab, then [[nowhere-three]]",
    ];
    let body = lines.join("\n\n");
    let site = Site::new(&[(
        "content/articles/a.md",
        &format!("+++\ntitle = \"A\"\ndate = 2023-10-10\n+++\n\n{body}\n"),
    )]);
    let err = check_reports(
        &site,
        &[
            "content/articles/a.md:6:14",
            "content/articles/a.md:8:10",
            "content/articles/a.md:10:4",
            "content/articles/a.md:12:13",
        ],
    );
    let shown: Vec<&str> = err.lines().collect();
    for line in lines {
        let link = line.find("[[").unwrap();
        // Tabs are shown as spaces to the next multiple of four columns.
        let mut expanded = String::new();
        for c in line[..link].chars() {
            if c == '\t' {
                expanded.push(' ');
                while !expanded.width().is_multiple_of(4) {
                    expanded.push(' ');
                }
            } else {
                expanded.push(c);
            }
        }
        let expected = expanded.width();
        let source = shown
            .iter()
            .position(|l| l.contains(&line[link..]) && l.contains(" | "))
            .unwrap_or_else(|| panic!("{line:?} not shown:\n{err}"));
        let bar = shown[source].find(" | ").unwrap() + 3;
        let caret = shown[source + 1].find('^').unwrap() - bar;
        assert_eq!(caret, expected, "{line:?}:\n{err}");
    }
}

/// Runs `check` on a site with `file` holding `text` (and one good
/// article), and asserts exactly one problem: at `at`, with `message`
/// and `help`, and the caret under `underlined` of the shown line.
fn one_syntax_error(file: &str, text: &str, at: &str, message: &str, help: &str, underlined: &str) {
    let mut files = vec![(file, text), ("content/articles/a.md", ARTICLE_OK)];
    if file.starts_with("i18n/") {
        files.push(("site.toml", "title = \"T\"\nlanguage = \"fr\"\n"));
    }
    let site = Site::new(&files);
    let err = check_reports(&site, &[at]);
    assert!(err.contains(&format!("{at}: {message}\n")), "{err}");
    assert!(err.contains(&format!("= help: {help}")), "{err}");
    assert!(!err.contains("did you mean"), "{err}");
    // The caret line: as many `^` as the underlined text, under it.
    let lines: Vec<&str> = err.lines().collect();
    let shown = lines
        .iter()
        .position(|l| l.contains(" | ") && l.contains(underlined))
        .expect(&err);
    let source = lines[shown];
    let carets = lines[shown + 1];
    let column = source.find(underlined).unwrap();
    assert_eq!(
        carets.find('^'),
        Some(column),
        "{underlined:?} underlined:\n{err}"
    );
    assert_eq!(
        carets.trim_end().len() - column,
        underlined.chars().count(),
        "{underlined:?} underlined:\n{err}"
    );
}

#[test]
fn an_unclosed_table_header_is_a_syntax_error_not_unknown_keys() {
    // The keys below the broken header are not "unknown keys" of the
    // table above, nor suggested as themselves.
    one_syntax_error(
        "site.toml",
        "title = \"T\"\n[images\nquality = 80\nwidths = [400]\n",
        "site.toml:2:1",
        "table header `[images` is not closed",
        "a table header ends with `]`: write `[images]`",
        "[images",
    );
}

#[test]
fn toml_syntax_errors_of_site_toml_are_worded_for_the_line() {
    one_syntax_error(
        "site.toml",
        "title = \"The desk\nlanguage = \"en\"\n",
        "site.toml:1:9",
        "string is not closed",
        "a \"...\" string ends with `\"` on the same line",
        "\"The desk",
    );
    one_syntax_error(
        "site.toml",
        "title = \"T\"\nlanguage = \"en\"\ntitle = \"U\"\n",
        "site.toml:3:1",
        "duplicate key `title`",
        "`title` is already set on line 1: keep one of the two",
        "title",
    );
    one_syntax_error(
        "site.toml",
        "title \"T\"\n",
        "site.toml:1:7",
        "key `title` has no `=`",
        "write the key, `=`, then the value: title = \"...\"",
        "\"",
    );
    one_syntax_error(
        "site.toml",
        "[search]\nenabled = true\n[search]\n",
        "site.toml:3:2",
        "duplicate table `[search]`",
        "`[search]` is already set on line 1: write each table once",
        "search",
    );
}

#[test]
fn toml_syntax_errors_of_an_i18n_file_are_worded_for_the_line() {
    one_syntax_error(
        "i18n/fr.toml",
        "background = \"Pour comprendre\n",
        "i18n/fr.toml:1:14",
        "string is not closed",
        "a \"...\" string ends with `\"` on the same line",
        "\"Pour comprendre",
    );
    one_syntax_error(
        "i18n/fr.toml",
        "background = \"A\"\nbackground = \"B\"\n",
        "i18n/fr.toml:2:1",
        "duplicate key `background`",
        "`background` is already set on line 1: keep one of the two",
        "background",
    );
    one_syntax_error(
        "i18n/fr.toml",
        "background \"A\"\n",
        "i18n/fr.toml:1:12",
        "key `background` has no `=`",
        "write the key, `=`, then the value",
        "\"",
    );
}

#[test]
fn a_language_code_with_an_underscore_is_told_the_tag_with_a_dash() {
    // site.toml, an i18n file name and a translation's file name.
    let site = Site::new(&[
        (
            "site.toml",
            "title = \"T\"\nlanguages = [\"en\", \"pt-BR\", \"de_AT\"]\n",
        ),
        ("i18n/fr_CA.toml", "latest = \"Récent\"\n"),
        ("content/articles/a.md", ARTICLE_OK),
        ("content/articles/a.pt_BR.md", ARTICLE_OK),
    ]);
    let out = site.run(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for expected in [
        "site.toml:2:30: \"de_AT\" in languages is not a language tag",
        "did you mean \"de-AT\"? A language tag joins its parts with `-`, not `_`",
        "i18n/fr_CA.toml:1:1: \"fr_CA\" in the file name",
        "did you mean \"fr-CA\"? A language tag joins its parts with `-`, not `_`",
        "content/articles/a.pt_BR.md:1:1: \"pt_BR\" in the file name",
        "did you mean \"pt-BR\"? A language tag joins its parts with `-`: a.pt-BR.md",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
}
