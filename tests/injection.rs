//! The injection corpus: `tests/fixtures/injection-site/` puts script
//! payloads (`</script>`, `"><svg onload=...>`, `<!--<script>`,
//! mixed-case and entity-encoded `javascript:`, U+2028/U+2029, `]]>`,
//! template syntax) into every front-matter field, wikilink label, actor
//! name, alias, topic and `site.toml` value. The built output is parsed
//! (HTML with html5ever through `scraper`, XML with `roxmltree`) and must
//! hold no script or event handler but the theme's own, only JSON-LD that
//! parses, and only http(s) or relative links.
//!
//! What the policy refuses instead of escaping (control characters,
//! bidirectional controls, script URLs) is checked on copies of the corpus
//! with those bytes added, one field at a time, at exact positions.

use crate::support;

use std::path::{Path, PathBuf};

use scraper::{Html, Selector};
use support::*;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/injection-site");

/// A copy of the corpus in a temporary folder.
fn corpus_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    for entry in walkdir::WalkDir::new(CORPUS) {
        let entry = entry.unwrap();
        let target = root.join(entry.path().strip_prefix(CORPUS).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    (dir, root)
}

fn run(root: &Path, args: &[&str]) -> std::process::Output {
    bin().current_dir(root).args(args).output().unwrap()
}

fn build_ok(root: &Path) {
    let out = run(root, &["build"]);
    assert!(out.status.success(), "build failed:\n{}", stderr(&out));
}

/// Whether a URL, as a browser reads it (ASCII whitespace and control
/// characters dropped, any case), is http(s) or relative.
fn is_http_or_relative(url: &str) -> bool {
    let url: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let end = url.find([':', '/', '?', '#']);
    let has_scheme = end.is_some_and(|i| {
        url[i..].starts_with(':')
            && url[..i].starts_with(|c: char| c.is_ascii_alphabetic())
            && url[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    !has_scheme || url.starts_with("http://") || url.starts_with("https://")
}

/// What one document held, so the test can show it was not vacuous.
#[derive(Default)]
struct Seen {
    json_ld: usize,
    cards: usize,
    links: usize,
    iframes_allowed: bool,
}

/// The invariants of one HTML document (a page, or the HTML inside a feed
/// entry): no element a payload could have made, no event handler, every
/// `<script>` the theme's (the hover-card script by `src`, or a JSON data
/// block that parses), every URL http(s) or relative.
fn check_html(what: &str, html: &Html, seen: &mut Seen) {
    // Only `raw_html = "sanitize"` lets an embed through, by design.
    let refused: &[&str] = if seen.iframes_allowed {
        &[
            "svg", "math", "object", "embed", "form", "base", "frame", "frameset",
        ]
    } else {
        &[
            "svg", "math", "iframe", "object", "embed", "form", "base", "frame", "frameset",
        ]
    };
    let all = Selector::parse("*").unwrap();
    for element in html.select(&all) {
        let e = element.value();
        // The search page's own form is the theme's.
        let theme_form = e.name() == "form" && what == "search/index.html";
        assert!(
            theme_form || !refused.contains(&e.name()),
            "{what}: <{}> made from content",
            e.name()
        );
        for (name, value) in e.attrs() {
            assert!(
                !name.to_ascii_lowercase().starts_with("on"),
                "{what}: event handler {name}={value:?} on <{}>",
                e.name()
            );
            if [
                "href",
                "src",
                "action",
                "formaction",
                "poster",
                "cite",
                "xml:base",
            ]
            .contains(&name)
            {
                seen.links += 1;
                assert!(
                    is_http_or_relative(value),
                    "{what}: {name}={value:?} is neither http(s) nor relative"
                );
            }
        }
        if e.name() == "meta" {
            assert!(e.attr("http-equiv").is_none(), "{what}: meta http-equiv");
        }
        if e.name() == "script" {
            let text: String = element.text().collect();
            match (e.attr("type"), e.attr("src")) {
                (Some("application/ld+json"), None) => {
                    let value =
                        serde_json::from_str::<serde_json::Value>(&text).unwrap_or_else(|err| {
                            panic!("{what}: JSON-LD does not parse ({err}):\n{text}")
                        });
                    check_json_ld_urls(what, &value);
                    seen.json_ld += 1;
                }
                (Some("application/json"), None) => {
                    assert_eq!(e.attr("id"), Some("xref-cards"), "{what}");
                    serde_json::from_str::<serde_json::Value>(&text).unwrap_or_else(|err| {
                        panic!("{what}: card data does not parse ({err}):\n{text}")
                    });
                    seen.cards += 1;
                }
                (None, Some(src)) => {
                    let file = src.rsplit('/').next().unwrap();
                    let hash = file
                        .strip_prefix("cards.")
                        .or_else(|| file.strip_prefix("search."))
                        .and_then(|f| f.strip_suffix(".js"))
                        .unwrap_or_default();
                    assert!(
                        hash.len() == 8
                            && hash.bytes().all(|b| b.is_ascii_hexdigit())
                            && text.trim().is_empty(),
                        "{what}: script src={src:?} is not the theme's"
                    );
                }
                other => panic!("{what}: a script that is not the theme's: {other:?} {text:?}"),
            }
        }
    }
}

/// Structured data names pages and images by absolute URL: every one is
/// http(s).
fn check_json_ld_urls(what: &str, value: &serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if ["url", "@id", "item", "sameAs", "image", "logo"].contains(&key.as_str()) {
                    let urls: Vec<&Value> = match v {
                        Value::Array(list) => list.iter().collect(),
                        v => vec![v],
                    };
                    for url in urls.into_iter().filter_map(Value::as_str) {
                        assert!(
                            url.starts_with("https://") || url.starts_with("http://"),
                            "{what}: JSON-LD {key} {url:?} is not an http(s) URL"
                        );
                    }
                }
                check_json_ld_urls(what, v);
            }
        }
        Value::Array(list) => list.iter().for_each(|v| check_json_ld_urls(what, v)),
        _ => {}
    }
}

/// Checks every file of a built corpus; returns what was seen.
fn check_output(out: &Path, iframes_allowed: bool) -> Seen {
    let mut seen = Seen {
        iframes_allowed,
        ..Seen::default()
    };
    let mut xml_files = 0;
    for entry in walkdir::WalkDir::new(out).into_iter().flatten() {
        let path = entry.path();
        let what = path.strip_prefix(out).unwrap().display().to_string();
        match path.extension().and_then(|e| e.to_str()) {
            Some("html") => {
                let text = std::fs::read_to_string(path).unwrap();
                let html = Html::parse_document(&text);
                assert!(
                    html.errors.is_empty(),
                    "{what}: HTML parse errors {:?}",
                    html.errors
                );
                check_html(&what, &html, &mut seen);
            }
            Some("xml") => {
                xml_files += 1;
                let text = std::fs::read_to_string(path).unwrap();
                let doc = roxmltree::Document::parse(&text)
                    .unwrap_or_else(|e| panic!("{what} does not parse as XML: {e}"));
                // A feed entry's HTML is rendered by feed readers: the same
                // rules apply inside it.
                for node in doc.descendants().filter(|n| {
                    matches!(n.tag_name().name(), "content" | "summary")
                        && n.attribute("type") == Some("html")
                }) {
                    let fragment = Html::parse_fragment(node.text().unwrap_or(""));
                    check_html(
                        &format!("{what} <{}>", node.tag_name().name()),
                        &fragment,
                        &mut seen,
                    );
                }
                for node in doc.descendants().filter(|n| n.tag_name().name() == "link") {
                    if let Some(href) = node.attribute("href") {
                        assert!(is_http_or_relative(href), "{what}: link {href:?}");
                    }
                }
            }
            _ => {}
        }
    }
    assert!(xml_files >= 2, "feed.xml and sitemap.xml");
    seen
}

#[test]
fn script_urls_are_recognised_as_a_browser_reads_them() {
    for bad in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        " \njavascript:alert(1)",
        "data:text/html,x",
        "vbscript:x",
    ] {
        assert!(!is_http_or_relative(bad), "{bad:?}");
    }
    for good in [
        "https://x.org/a",
        "HTTP://x.org",
        "../../actors/x/index.html",
        "#top",
        "&#106;avascript:alert(1)",
        "a/b:c",
    ] {
        assert!(is_http_or_relative(good), "{good:?}");
    }
}

#[test]
fn the_corpus_builds_inert() {
    let (_dir, root) = corpus_copy();
    build_ok(&root);
    let out = root.join("public");
    let seen = check_output(&out, false);
    assert!(
        seen.json_ld >= 10 && seen.cards >= 3 && seen.links > 100,
        "json-ld {} cards {} links {}",
        seen.json_ld,
        seen.cards,
        seen.links
    );

    // The payloads are there, as text: escaped, not dropped.
    let page = Html::parse_document(
        &std::fs::read_to_string(out.join("articles/corpus-article/index.html")).unwrap(),
    );
    let title: String = page
        .select(&Selector::parse("title").unwrap())
        .next()
        .unwrap()
        .text()
        .collect();
    assert!(
        title.starts_with("Article </script><script>alert(1)</script> \"><svg onload=alert(1)> <!--<script> \u{2028}\u{2029} ]]>"),
        "{title:?}"
    );
    let body: String = page
        .select(&Selector::parse("main").unwrap())
        .next()
        .unwrap()
        .text()
        .collect();
    for text in [
        "Ines </script><script>alert(1)</script>",
        "\"><svg onload=alert(1)> Varga",
        "label \"><svg onload=alert(1)> <!--<script> JaVaScRiPt:alert(1)",
        "Correction </script><script>alert(1)</script> <svg onload=alert(1)>",
        "Know </script><script>alert(1)</script> <img src=x onerror=alert(1)>",
    ] {
        assert!(
            body.contains(text),
            "{text:?} not shown as text in:\n{body}"
        );
    }
    let topic = out.join("topics");
    assert_eq!(
        std::fs::read_dir(&topic).unwrap().count(),
        3,
        "two topics and the index"
    );
}

#[test]
fn the_corpus_with_raw_payloads_builds_inert_under_sanitize() {
    let (_dir, root) = corpus_copy();
    let toml = std::fs::read_to_string(root.join("site.toml")).unwrap();
    std::fs::write(
        root.join("site.toml"),
        format!("raw_html = \"sanitize\"\n{toml}"),
    )
    .unwrap();
    add_raw_payloads(&root);
    build_ok(&root);
    let out = root.join("public");
    check_output(&out, true);
    let html = std::fs::read_to_string(out.join("articles/raw-payloads/index.html")).unwrap();
    assert!(
        html.contains("<iframe src=\"https://www.youtube-nocookie.com/embed/x\""),
        "the embed stays: {html}"
    );
}

#[test]
fn the_checks_catch_raw_payloads_when_html_is_trusted() {
    // The same article under the default policy passes its raw HTML
    // through: the checks above must see it, or they prove nothing.
    let (_dir, root) = corpus_copy();
    add_raw_payloads(&root);
    build_ok(&root);
    let out = root.join("public");
    let caught = std::panic::catch_unwind(|| check_output(&out, true));
    assert!(caught.is_err(), "raw <script> and onerror went unnoticed");
}

/// An article whose body holds raw HTML payloads (and one real embed).
fn add_raw_payloads(root: &Path) {
    std::fs::write(
        root.join("content/articles/raw-payloads.md"),
        concat!(
            "+++\ntitle = \"Raw payloads\"\ndate = 2023-10-12\n+++\n\n",
            "Raw <script>alert(1)</script> and <img src=x onerror=alert(1)> and ",
            "[[script-actor|\"><svg onload=alert(1)>]] and <!--<script>--> end.\n\n",
            "<a href=\"JaVaScRiPt:alert(1)\">a</a> <a href=\"&#106;avascript:alert(1)\">b</a> ",
            "<a href=\"java&#9;script:alert(1)\">c</a> <a href=\" javascript:alert(1)\">d</a>\n\n",
            "<iframe src=\"javascript:alert(1)\"></iframe><iframe srcdoc=\"<script>alert(1)</script>\"></iframe>\n\n",
            "<svg><script>alert(1)</script></svg><math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>\n\n",
            "<div style=\"background:url(javascript:alert(1))\" onmouseover=\"alert(1)\">hover</div>\n\n",
            "<figure><iframe src=\"https://www.youtube-nocookie.com/embed/x\" title=\"Speech\" allowfullscreen></iframe></figure>\n",
        ),
    )
    .unwrap();
}

/// 1-based line and column (in characters) of a byte offset.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    (line, column)
}

#[test]
fn refused_characters_are_reported_in_every_field() {
    // (file, the text right before the inserted character)
    let fields: &[(&str, &str)] = &[
        ("site.toml", "title = \"Corpus"),
        ("site.toml", "description = \""),
        ("site.toml", "authors = [\"Desk"),
        ("site.toml", "name = \"Publisher"),
        ("content/articles/corpus-article.md", "title = \"Article"),
        ("content/articles/corpus-article.md", "summary = \"Summary"),
        ("content/articles/corpus-article.md", "authors = [\"Author"),
        ("content/articles/corpus-article.md", "topics = [\"Topic"),
        ("content/articles/corpus-article.md", "image_alt = \"Alt"),
        ("content/articles/corpus-article.md", "\"Know </script>"),
        ("content/articles/corpus-article.md", "[[svg-actor|label"),
        ("content/articles/corpus-article.md", "name = \"Source"),
        ("content/articles/corpus-article.md", "text = \"Correction"),
        ("content/articles/corpus-article.md", "\nInes"),
        ("content/articles/corpus-article.md", "[[corpus-note|label"),
        ("content/notes/corpus-note.md", "title: \"Note"),
        ("content/notes/corpus-note.md", "summary: \"Note summary"),
        ("content/notes/corpus-note.md", "text: \"Event"),
        ("content/notes/corpus-note.md", "The note body"),
        ("content/actors/script-actor.md", "name = \"Ines"),
        ("content/actors/script-actor.md", "role = \"Role"),
        (
            "content/actors/script-actor.md",
            "aliases = [\"<!--<script> Ines",
        ),
        ("content/actors/script-actor.md", "country = \"Country"),
        ("content/actors/script-actor.md", "image_alt = \"Portrait"),
        ("content/actors/script-actor.md", "name = \"Link"),
        ("content/actors/svg-actor.md", "name = \""),
        ("content/actors/svg-actor.md", "\"Varga"),
    ];
    let refused = [
        ('\u{7}', "control character U+0007 is not allowed"),
        ('\u{1b}', "control character U+001B is not allowed"),
        ('\u{0}', "control character U+0000 is not allowed"),
        ('\u{FFFE}', "noncharacter U+FFFE is not allowed"),
        (
            '\u{202E}',
            "bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed",
        ),
        (
            '\u{2066}',
            "bidirectional control U+2066 (LEFT-TO-RIGHT ISOLATE) is not allowed",
        ),
    ];
    let (_dir, root) = corpus_copy();
    for (i, (file, after)) in fields.iter().enumerate() {
        let (c, message) = refused[i % refused.len()];
        let path = root.join(file);
        let original = std::fs::read_to_string(&path).unwrap();
        let at = original
            .find(after)
            .unwrap_or_else(|| panic!("{after:?} in {file}"))
            + after.len();
        let mut text = original.clone();
        text.insert(at, c);
        std::fs::write(&path, &text).unwrap();
        let (line, column) = position(&text, at);
        let expected = format!("{file}:{line}:{column}: {message}");
        let commands: &[&str] = if i == 0 {
            &["check", "build"]
        } else {
            &["check"]
        };
        for command in commands {
            let out = run(&root, &[command]);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{expected}:\n{err}");
            assert!(
                err.lines().any(|l| l.starts_with(&expected)),
                "{command}: no {expected:?} in:\n{err}"
            );
            assert!(err.contains("1 problem found"), "{command}: {err}");
        }
        std::fs::write(&path, &original).unwrap();

        // The same character spelt as an escape in a quoted front-matter
        // or site.toml string, or as a character reference in Markdown.
        let in_body = file.ends_with(".md") && {
            let fence = &original[..3];
            let close = original[3..].find(&format!("\n{fence}\n")).unwrap() + 3;
            at > close
        };
        let (spelling, message) = match (i % 2 == 0, in_body) {
            (true, false) => ("\\u202E", refused[4].1),
            (false, false) => ("\\u0007", refused[0].1),
            (true, true) => ("&#x202E;", refused[4].1),
            (false, true) => ("&#7;", refused[0].1),
        };
        let mut text = original.clone();
        text.insert_str(at, spelling);
        std::fs::write(&path, &text).unwrap();
        let (line, column) = position(&text, at);
        let expected = format!("{file}:{line}:{column}: {message}");
        let out = run(&root, &["check"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{expected}:\n{err}");
        assert!(
            err.lines().any(|l| l.starts_with(&expected)),
            "spelt {spelling}: no {expected:?} in:\n{err}"
        );
        assert!(err.contains("1 problem found"), "{err}");
        std::fs::write(&path, original).unwrap();
    }
    assert!(!root.join("public").exists(), "nothing written");
}

#[test]
fn script_urls_are_refused_however_spelt() {
    let (_dir, root) = corpus_copy();
    let article = root.join("content/articles/corpus-article.md");
    let mut text = std::fs::read_to_string(&article).unwrap();
    text.push_str(concat!(
        "\n[a](JaVaScRiPt:alert(1)) [b](&#106;avascript:alert(1)) <javascript:alert(1)>\n",
        "\n![c](DATA:text/html;base64,PHNjcmlwdD4=) [d](vbscript:x)\n",
    ));
    text = text.replace(
        "url = \"https://example.org/?q=\\\"><svg onload=alert(1)>&r=</script><script>alert(1)</script>\"",
        "url = \"JaVaScRiPt:alert(1)\"",
    );
    std::fs::write(&article, &text).unwrap();
    let actor = root.join("content/actors/script-actor.md");
    let actor_text = std::fs::read_to_string(&actor).unwrap().replace(
        "url = \"https://example.org/p?x=\\\"><svg onload=alert(1)>\"",
        "url = \"java\\tscript:alert(1)\"",
    );
    assert!(actor_text.contains("java\\tscript"));
    std::fs::write(&actor, &actor_text).unwrap();

    let mut expected = Vec::new();
    for needle in [
        "[a](JaVaScRiPt",
        "[b](&#106;",
        "<javascript:",
        "![c](DATA",
        "[d](vbscript",
    ] {
        let (line, column) = position(&text, text.find(needle).unwrap());
        expected.push(format!(
            "content/articles/corpus-article.md:{line}:{column}: refused link to a script URL"
        ));
    }
    let at = text.find("JaVaScRiPt:alert(1)\"\n").unwrap();
    let (line, column) = position(&text, at);
    expected.push(format!(
        "content/articles/corpus-article.md:{line}:{column}: refused script URL \"JaVaScRiPt:alert(1)\""
    ));
    let (line, column) = position(&actor_text, actor_text.find("java\\tscript").unwrap());
    expected.push(format!(
        "content/actors/script-actor.md:{line}:{column}: refused script URL"
    ));
    for command in ["check", "build"] {
        let out = run(&root, &[command]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        for e in &expected {
            assert!(
                err.lines().any(|l| l.starts_with(e.as_str())),
                "{command}: no {e:?} in:\n{err}"
            );
        }
        assert!(
            err.contains(&format!("{} problems found", expected.len())),
            "{command}: {err}"
        );
    }
    assert!(!root.join("public").exists());
}
