//! Bytes and names no output may carry, `base_url` as a real URL, and the
//! `raw_html` policy: small fixture sites built with the real binary. Each
//! refusal is checked in `build` and `check` alike, at its exact
//! `path:line:column` (counted by hand; columns count characters).

use crate::support;

use std::process::Output;

use support::*;

const ARTICLE: (&str, &str) = (
    "content/articles/withdrawal.md",
    "+++\ntitle = \"France withdraws\"\ndate = 2023-10-10\ntopics = [\"Niger\"]\n+++\n\nEmmanuel Macron spoke.\n",
);
const ACTOR: (&str, &str) = (
    "content/actors/emmanuel-macron.md",
    "+++\nname = \"Emmanuel Macron\"\naliases = [\"Macron\"]\n+++\n\nPresident of France.\n",
);
const NOTE: (&str, &str) = (
    "content/notes/coup.md",
    "+++\ntitle = \"The coup\"\n\n[[timeline]]\ndate = \"2023-07-26\"\ntext = \"Coup.\"\n+++\n\nThe general.\n",
);
const SITE_TOML: (&str, &str) = (
    "site.toml",
    "title = \"Sahel\"\nbase_url = \"https://news.example.org/\"\n",
);

/// The good site, with `files` added or replacing files of the same path.
fn site(files: &[(&str, &str)]) -> Site {
    let mut all: Vec<(&str, &str)> = [ARTICLE, ACTOR, NOTE, SITE_TOML]
        .into_iter()
        .filter(|(p, _)| !files.iter().any(|(q, _)| q == p))
        .collect();
    all.extend_from_slice(files);
    Site::new(&all)
}

/// Runs the binary inside the site folder, so paths print as the writer
/// sees them (`content/...`).
fn run_in(site: &Site, args: &[&str]) -> Output {
    bin()
        .current_dir(site.root())
        .args(args)
        .output()
        .expect("binary runs")
}

/// `build` and `check` both fail with exit status 1 and report every
/// `expected` line (`path:line:column: message start`); the build writes
/// nothing.
fn assert_refused(site: &Site, expected: &[&str]) {
    for command in ["check", "build"] {
        let out = run_in(site, &[command]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{command}:\n{err}");
        for line in expected {
            assert!(
                err.lines().any(|l| l.starts_with(line)),
                "{command}: no line starting with {line:?} in:\n{err}"
            );
        }
        assert!(
            err.contains(&format!("{} problem", expected.len())),
            "{command}: every problem, nothing more:\n{err}"
        );
        assert!(!err.contains("os error"), "{command}:\n{err}");
    }
    assert!(!site.exists(""), "a refused build writes nothing");
}

#[test]
fn xml_illegal_characters_are_errors_wherever_they_are() {
    let s = site(&[
        // Front matter value: line 2, after `title = "France`.
        (
            "content/articles/withdrawal.md",
            "+++\ntitle = \"France\u{7} withdraws\"\ndate = 2023-10-10\n+++\n\nEmmanuel Macron spoke.\n",
        ),
        // A terminal escape in the body: line 6, after 21 characters.
        (
            "content/articles/second.md",
            "+++\ntitle = \"Second\"\ndate = 2023-10-11\n+++\n\nEmmanuel Macron spoke\u{1b}[31m today.\n",
        ),
        // A noncharacter in front-matter Markdown (timeline text).
        (
            "content/notes/coup.md",
            "+++\ntitle = \"The coup\"\n\n[[timeline]]\ndate = \"2023-07-26\"\ntext = \"Coup\u{FFFF}.\"\n+++\n\nThe general.\n",
        ),
        // NUL in an actor's name and in an alias: each is reported.
        (
            "content/actors/emmanuel-macron.md",
            "+++\nname = \"Emmanuel\u{0} Macron\"\naliases = [\"Macron\u{0}\"]\n+++\n\nPresident.\n",
        ),
        ("site.toml", "title = \"Sahel\u{8}\"\n"),
        ("templates/404.html", "<p>gone\u{c}</p>\n"),
    ]);
    assert_refused(
        &s,
        &[
            "content/articles/withdrawal.md:2:16: control character U+0007 is not allowed",
            "content/articles/second.md:6:22: control character U+001B is not allowed",
            "content/notes/coup.md:6:13: noncharacter U+FFFF is not allowed",
            "content/actors/emmanuel-macron.md:2:17: control character U+0000 is not allowed",
            "content/actors/emmanuel-macron.md:3:19: control character U+0000 is not allowed",
            "site.toml:1:15: control character U+0008 is not allowed",
            "templates/404.html:1:8: control character U+000C is not allowed",
        ],
    );
}

#[test]
fn a_control_character_in_a_file_name_never_reaches_a_url() {
    let s = site(&[(
        "content/actors/bad\u{7}name.md",
        "+++\nname = \"Bad\"\n+++\n",
    )]);
    let out = run_in(&s, &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is not a valid slug"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bidirectional_controls_are_refused_in_content_and_site_toml() {
    let s = site(&[
        (
            "content/articles/withdrawal.md",
            "+++\ntitle = \"Report\u{202E}gnp.exe\"\ndate = 2023-10-10\n+++\n\nText.\n",
        ),
        (
            "content/actors/emmanuel-macron.md",
            "+++\nname = \"Emmanuel Macron\"\naliases = [\"Macron\u{2066}\"]\n+++\n\nPresident.\n",
        ),
        (
            "content/notes/coup.md",
            "+++\ntitle = \"The coup\"\n+++\n\nSee \u{2067}it\u{2069}.\n",
        ),
        (
            "site.toml",
            "title = \"Sahel\"\ndescription = \"\u{202B}News\u{202C}\"\n",
        ),
    ]);
    assert_refused(
        &s,
        &[
            "content/articles/withdrawal.md:2:16: bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed",
            "content/actors/emmanuel-macron.md:3:19: bidirectional control U+2066 (LEFT-TO-RIGHT ISOLATE) is not allowed",
            "content/notes/coup.md:5:5: bidirectional control U+2067 (RIGHT-TO-LEFT ISOLATE) is not allowed",
            "content/notes/coup.md:5:8: bidirectional control U+2069 (POP DIRECTIONAL ISOLATE) is not allowed",
            "site.toml:2:16: bidirectional control U+202B (RIGHT-TO-LEFT EMBEDDING) is not allowed",
        ],
    );
}

#[test]
fn right_to_left_text_without_controls_builds() {
    let s = site(&[(
        "content/actors/emmanuel-macron.md",
        "+++\nname = \"محمد بازوم\u{200F}\"\naliases = [\"Bazoum\"]\n+++\n\nPresident.\n",
    )]);
    s.build_ok();
    assert!(s
        .out("actors/emmanuel-macron/index.html")
        .contains("محمد بازوم"));
}

#[test]
fn names_too_long_for_a_folder_are_errors_not_os_errors() {
    let long_slug = "a".repeat(201);
    let long_stem = "n".repeat(210);
    let long_topic = "word ".repeat(50);
    let slug_article = format!(
        "+++\ntitle = \"Long slug\"\ndate = 2023-10-10\nslug = \"{long_slug}\"\n+++\n\nText.\n"
    );
    let topic_article = format!(
        "+++\ntitle = \"Long topic\"\ndate = 2023-10-12\ntopics = [\"{}\"]\n+++\n\nText.\n",
        long_topic.trim()
    );
    let note_path = format!("content/notes/{long_stem}.md");
    let s = site(&[
        ("content/articles/long-slug.md", &slug_article),
        ("content/articles/long-topic.md", &topic_article),
        (&note_path, "+++\ntitle = \"Long name\"\n+++\n\nText.\n"),
    ]);
    let note_line = format!(
        "{note_path}:1:1: the slug from the file name is 210 bytes long; a slug becomes a folder name and may have at most 200"
    );
    assert_refused(
        &s,
        &[
            "content/articles/long-slug.md:4:9: slug is 201 bytes long; a slug becomes a folder name and may have at most 200",
            "content/articles/long-topic.md:4:12: topic is too long: its URL name would be 249 bytes",
            &note_line,
        ],
    );
    let err = stderr(&run_in(&s, &["check"]));
    assert!(
        err.contains(&format!("write slug = \"{}\"", "a".repeat(200))),
        "{err}"
    );
}

#[test]
fn a_slug_at_the_limit_builds() {
    let slug = "b".repeat(200);
    let text = format!(
        "+++\ntitle = \"At the limit\"\ndate = 2023-10-10\nslug = \"{slug}\"\n+++\n\nText.\n"
    );
    let s = site(&[("content/articles/limit.md", &text)]);
    s.build_ok();
    assert!(s.exists(&format!("articles/{slug}/index.html")));
}

#[test]
fn base_url_in_site_toml_is_refused_at_its_value() {
    // Each problem at the part of the value at fault (column 13 is the
    // value's first character).
    for (url, column, message) in [
        (
            "https://news.example.org/?utm=1",
            38,
            "base_url must not have a query string (\"?utm=1\")",
        ),
        (
            "https://news.example.org/#top",
            38,
            "base_url must not have a fragment (\"#top\")",
        ),
        ("https://", 21, "base_url \"https://\" has no host"),
        (
            "https://news.example.org//repo/",
            37,
            "base_url has an empty path segment (\"//\")",
        ),
        (
            "ftp://news.example.org/",
            13,
            "base_url must use http or https, not \"ftp:\"",
        ),
    ] {
        let toml = format!("title = \"Sahel\"\nbase_url = \"{url}\"\n");
        let s = site(&[("site.toml", &toml)]);
        assert_refused(&s, &[&format!("site.toml:2:{column}: {message}")]);
    }
}

#[test]
fn every_problem_of_base_url_is_reported_in_one_run() {
    let s = site(&[(
        "site.toml",
        "title = \"Sahel\"\nbase_url = \"http://news.example.org/?utm=1#top\"\n",
    )]);
    let out = run_in(&s, &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    // Each underlined under the value's line.
    let carets = |column: usize, width: usize| {
        format!("  | {}{}\n", " ".repeat(column - 1), "^".repeat(width))
    };
    for expected in [
        "site.toml:2:37: base_url must not have a query string (\"?utm=1\")".to_string(),
        carets(37, 6),
        "site.toml:2:43: base_url must not have a fragment (\"#top\")\n".to_string(),
        carets(43, 4),
        "2 problems found".to_string(),
    ] {
        assert!(err.contains(&expected), "{expected}\n{err}");
    }
}

#[test]
fn base_url_flag_errors_are_usage_errors() {
    let s = site(&[]);
    for (url, message) in [
        ("https://x.org/news/?a=1", "must not have a query string"),
        ("https://x.org/news/#a", "must not have a fragment"),
        ("https://x.org/a//b/", "empty path segment"),
        ("x.org", "must be an absolute http(s) URL"),
        ("javascript:alert(1)", "must use http or https"),
        ("https:///path", "has no host"),
        ("https:ex.org", "must be written as scheme://host"),
    ] {
        let out = run_in(&s, &["build", "--base-url", url]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{url}: {err}");
        assert!(
            err.starts_with("error: --base-url: base_url") && err.contains(message),
            "{url}: {err}"
        );
    }
    // The value is framed like a line of site.toml, the fault underlined.
    let err = stderr(&run_in(&s, &["build", "--base-url", "https:ex.org"]));
    assert!(
        err.contains(
            "  | https:ex.org\n  | ^^^^^^\n  = help: did you mean base_url = \"https://ex.org/\"?"
        ),
        "{err}"
    );
    assert!(!s.exists(""), "nothing written");
}

#[test]
fn absolute_urls_are_joined_to_the_normalised_base_url() {
    let s = site(&[]);
    let out = run_in(
        &s,
        &["build", "--base-url", "HTTPS://News.Example.ORG:443/Repo"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let feed = s.out("feed.xml");
    assert!(
        feed.contains("https://news.example.org/Repo/articles/withdrawal/"),
        "{feed}"
    );
    let sitemap = s.out("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://news.example.org/Repo/topics/niger/</loc>"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("Example.ORG") && !sitemap.contains(":443"));
}

const EMBEDS: &str = "+++\ntitle = \"Embeds\"\ndate = 2023-10-12\n+++\n\nThe <b>speech</b>:\n\n<figure><iframe src=\"https://www.youtube-nocookie.com/embed/x\" width=\"560\" height=\"315\" title=\"Speech\" allowfullscreen></iframe><figcaption>Niamey</figcaption></figure>\n\n<script>alert('pwned')</script>\n\n<img src=\"x.png\" alt=\"x\" onerror=\"alert('pwned')\"> <a href=\"JaVaScRiPt:alert('pwned')\">link</a>\n\nEmmanuel Macron spoke.\n";

#[test]
fn raw_html_is_trusted_by_default() {
    let s = site(&[("content/articles/embeds.md", EMBEDS)]);
    s.build_ok();
    let html = s.out("articles/embeds/index.html");
    assert!(
        html.contains("<script>alert('pwned')</script>"),
        "passed as written"
    );
    assert!(html.contains("<iframe src=\"https://www.youtube-nocookie.com/embed/x\""));
}

#[test]
fn raw_html_sanitize_keeps_embeds_and_drops_scripts() {
    let s = site(&[
        ("content/articles/embeds.md", EMBEDS),
        (
            "site.toml",
            "title = \"Sahel\"\nbase_url = \"https://news.example.org/\"\nraw_html = \"sanitize\"\n",
        ),
    ]);
    s.build_ok();
    let html = s.out("articles/embeds/index.html");
    assert!(!html.contains("pwned"), "{html}");
    assert!(!html.to_ascii_lowercase().contains("javascript:"), "{html}");
    assert!(
        html.contains("<iframe src=\"https://www.youtube-nocookie.com/embed/x\" width=\"560\" height=\"315\" title=\"Speech\" allowfullscreen=\"\"></iframe><figcaption>Niamey</figcaption>"),
        "{html}"
    );
    assert!(html.contains("The <b>speech</b>:"));
    assert!(
        html.contains("<a class=\"xref xref-actor\" href=\"../../actors/emmanuel-macron/index.html\" data-xref=\"actors/emmanuel-macron\">"),
        "the site's own links survive: {html}"
    );
    let feed = s.out("feed.xml");
    assert!(!feed.contains("pwned"), "the feed carries the cleaned body");
}

#[test]
fn raw_html_deny_reports_each_element_and_block_but_no_comment() {
    let s = site(&[
        ("content/articles/embeds.md", EMBEDS),
        // Comments render nothing: no error.
        (
            "content/articles/remarks.md",
            "+++\ntitle = \"Remarks\"\ndate = 2023-10-13\n+++\n\n<!-- editor: check the figures -->\n\nText <!-- inline remark --> here.\n",
        ),
        (
            "site.toml",
            "title = \"Sahel\"\nbase_url = \"https://news.example.org/\"\nraw_html = \"deny\"\n",
        ),
    ]);
    let m = "raw HTML is not allowed: site.toml sets raw_html = \"deny\"";
    assert_refused(
        &s,
        &[
            &format!("content/articles/embeds.md:6:5: {m}"),
            &format!("content/articles/embeds.md:8:1: {m}"),
            &format!("content/articles/embeds.md:10:1: {m}"),
            &format!("content/articles/embeds.md:12:1: {m}"),
            &format!("content/articles/embeds.md:12:52: {m}"),
        ],
    );
}

#[test]
fn escapes_and_character_references_cannot_smuggle_refused_characters() {
    let s = site(&[
        // A TOML escape in front matter: at the escape.
        (
            "content/articles/withdrawal.md",
            "+++\ntitle = \"Report\\u202Egnp.exe\"\ndate = 2023-10-10\n+++\n\nText.\n",
        ),
        // A YAML escape.
        (
            "content/notes/coup.md",
            "---\ntitle: \"The coup \\a\"\n---\n\nThe general.\n",
        ),
        // Character references in a body and in front-matter Markdown.
        (
            "content/articles/second.md",
            "+++\ntitle = \"Second\"\ndate = 2023-10-11\n+++\n\nIt reads &#x202E;backwards.\n",
        ),
        (
            "content/articles/third.md",
            "+++\ntitle = \"Third\"\ndate = 2023-10-12\nknow = [\"A bell &#7; rings\"]\n+++\n\nText.\n",
        ),
        ("site.toml", "title = \"Sahel\"\ndescription = \"x\\u001b[31m\"\n"),
    ]);
    assert_refused(
        &s,
        &[
            "content/articles/withdrawal.md:2:16: bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed",
            "content/notes/coup.md:2:18: control character U+0007 is not allowed",
            "content/articles/second.md:6:10: bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed",
            "content/articles/third.md:4:17: control character U+0007 is not allowed",
            "site.toml:2:17: control character U+001B is not allowed",
        ],
    );
}

#[test]
fn escapes_spelt_as_text_are_not_refused() {
    // A literal TOML string, an escaped backslash and a code span keep
    // the spelling as text: nothing refused reaches the output.
    let s = site(&[(
        "content/articles/withdrawal.md",
        "+++\ntitle = 'About \\u202E'\nsummary = \"Path C:\\\\u0007\"\ndate = 2023-10-10\n+++\n\nThe reference `&#x202E;` reverses text.\n",
    )]);
    s.build_ok();
    let html = s.out("articles/withdrawal/index.html");
    assert!(html.contains("About \\u202E"), "{html}");
    assert!(html.contains("<code>&amp;#x202E;</code>"), "{html}");
    assert!(!html.contains('\u{202E}') && !html.contains('\u{7}'));
}

#[test]
fn new_and_init_refuse_or_drop_control_and_bidi_characters_and_print_them_escaped() {
    let dir = tempfile::tempdir().unwrap();
    // `new` refuses a bidirectional control in a title like other
    // control characters, and writes nothing.
    let site = dir.path().join("s");
    std::fs::create_dir_all(site.join("content")).unwrap();
    let out = bin()
        .args(["new", "note", "\u{202E}evil", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("bidirectional control U+202E"),
        "{}",
        stderr(&out)
    );
    assert!(!site.join("content/notes").exists());
    // A path holding an escape sequence is printed escaped.
    let out = bin()
        .args(["new", "article", "x", "--root", "/nonexistent\u{1b}[31m"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        !err.contains('\u{1b}') && err.contains("\\u{1b}[31m"),
        "{err}"
    );
    // `init` into a folder whose name holds an OSC sequence: printed
    // escaped, and the site's title has no such character, so it builds.
    let odd = dir.path().join("x\u{1b}]0;TITLE\u{7}y\u{202E}z");
    let out = bin().arg("init").arg(&odd).output().unwrap();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err}");
    assert!(err.contains("\\u{1b}]0;TITLE\\u{7}y\\u{202e}z"), "{err}");
    let toml = std::fs::read_to_string(odd.join("site.toml")).unwrap();
    assert!(toml.starts_with("title = \"x ]0;TITLE y z\"\n"), "{toml}");
    let out = bin().arg("build").arg("--root").arg(&odd).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}
