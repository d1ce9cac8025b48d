//! Hostile sizes: each case builds a real site with the binary and must
//! finish within a generous bound. The bounds are far above the time each
//! case takes (they allow a debug build on a loaded machine); they exist to
//! catch costs that grow worse than linearly, not to measure speed. Each
//! case prints its time (`cargo test --test integration limits:: -- --nocapture`).

use crate::support;

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use support::*;

/// Runs `f`, prints how long it took, and fails if it took longer than
/// `limit_secs`.
fn within<T>(what: &str, limit_secs: u64, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let value = f();
    let took = start.elapsed();
    println!("limits: {what}: {took:.2?} (limit {limit_secs} s)");
    assert!(
        took < Duration::from_secs(limit_secs),
        "{what} took {took:.2?}, more than {limit_secs} s"
    );
    value
}

fn article(slug: &str, body: &str) -> (String, String) {
    (
        format!("content/articles/{slug}.md"),
        format!("+++\ntitle = \"{slug}\"\ndate = 2023-10-10\n+++\n\n{body}"),
    )
}

fn site_of(files: Vec<(String, String)>) -> Site {
    let site = Site::new(&[]);
    for (path, text) in &files {
        site.write(path, text);
    }
    site
}

#[test]
fn a_20_mb_article() {
    let mut body = String::with_capacity(21 << 20);
    let mut n = 0;
    while body.len() < 20 << 20 {
        n += 1;
        if n % 50 == 0 {
            writeln!(body, "## Section {n}\n").unwrap();
        }
        writeln!(
            body,
            "Paragraph {n} where Macky Sall met the [[niger|junta]] about the *coup*; see [a link](https://example.org/{n}).\n"
        )
        .unwrap();
    }
    let site = site_of(vec![
        article("huge", &body),
        (
            "content/actors/macky-sall.md".into(),
            "+++\nname = \"Macky Sall\"\n+++\n\nProfile.\n".into(),
        ),
        (
            "content/actors/niger.md".into(),
            "+++\nname = \"Niger\"\n+++\n\nCountry.\n".into(),
        ),
    ]);
    within("20 MB article", 300, || site.build_checked());
    let list = site.out("articles/index.html");
    assert!(list.len() < 100_000, "the list carries an excerpt only");
}

#[test]
fn twenty_thousand_files() {
    let mut files: Vec<(String, String)> = (0..19_000)
        .map(|i| {
            article(
                &format!("a{i}"),
                &format!("Story {i} about Actor {}.\n", i % 1000),
            )
        })
        .collect();
    files.extend((0..1000).map(|i| {
        (
            format!("content/actors/actor-{i}.md"),
            format!("+++\nname = \"Actor {i}\"\n+++\n\nProfile {i}.\n"),
        )
    }));
    let site = site_of(files);
    within("20,000 files", 300, || site.build_ok());
    assert_site_integrity(&site.root().join("public"));
    assert!(site.exists("articles/a18999/index.html"));
}

#[test]
fn five_thousand_actors_with_overlapping_aliases() {
    // Every actor shares words with its neighbours: "Ahmed Diallo 17",
    // "Diallo 17 Junior", "17 Junior".
    let mut files: Vec<(String, String)> = (0..5000)
        .map(|i| {
            (
                format!("content/actors/actor-{i}.md"),
                format!(
                    "+++\nname = \"Ahmed Diallo {i}\"\naliases = [\"Diallo {i} Junior\", \"{i} Junior Ahmed\"]\n+++\n\nProfile.\n"
                ),
            )
        })
        .collect();
    let mut body = String::new();
    for i in 0..5000 {
        write!(body, "Ahmed Diallo {i} Junior Ahmed Diallo {} met. ", i + 1).unwrap();
    }
    files.push(article("crowd", &body));
    let site = site_of(files);
    within("5,000 actors with overlapping aliases", 120, || {
        site.build_checked()
    });
    let html = site.out("articles/crowd/index.html");
    assert!(html.contains("actors/actor-4999/index.html"));
}

#[test]
fn a_1_mb_body_against_400_nested_aliases() {
    let words: Vec<String> = (0..400).map(|i| format!("W{i}")).collect();
    let aliases: Vec<String> = (2..=400)
        .map(|n| format!("\"{}\"", words[..n].join(" ")))
        .collect();
    // One long word made of the shortest name: every position starts a
    // match that is not a whole word (quadratic when each failed match
    // meant a search from the next character).
    let mut body = "W0".repeat(128 << 10);
    body.push_str("\n\n");
    let mut k = 0;
    while body.len() < 1 << 20 {
        k = (k + 37) % 400;
        // A run of the nested names that stops inside a word, then one
        // that stops cleanly.
        body.push_str(&words[..=k].join(" "));
        body.push_str("x ");
        body.push_str(&words[..=k].join(" "));
        body.push_str(".\n\n");
    }
    let site = site_of(vec![
        (
            "content/actors/w.md".into(),
            format!(
                "+++\nname = \"W0\"\naliases = [{}]\n+++\n\nNested.\n",
                aliases.join(", ")
            ),
        ),
        article("nested", &body),
    ]);
    within("1 MB body, 400 nested aliases", 60, || site.build_checked());
    assert!(site
        .out("articles/nested/index.html")
        .contains("actors/w/index.html"));
}

#[test]
fn twenty_thousand_identical_headings() {
    let site = site_of(vec![article("headings", &"## Same\n\n".repeat(20_000))]);
    within("20,000 identical headings", 30, || site.build_checked());
    let html = site.out("articles/headings/index.html");
    assert!(html.contains("<h2 id=\"same-19999\">"));
}

#[test]
fn fifty_thousand_levels_of_quotes_and_brackets() {
    let quotes = format!("{} deep\n", ">".repeat(50_000));
    let brackets = format!(
        "## B\n\n{}x{}\n",
        "[a ".repeat(50_000),
        "](#b) ".repeat(50_000)
    );
    let mixed = "> [".repeat(20_000);
    let site = site_of(vec![
        article("quotes", &quotes),
        article("brackets", &brackets),
        article("mixed", &mixed),
    ]);
    within("50,000 levels of > and [", 60, || site.build_checked());
}

#[test]
fn ten_thousand_shortcode_calls_in_one_body() {
    let mut body = String::new();
    for i in 0..10_000 {
        writeln!(
            body,
            "{{{{ youtube(id=\"dQw4w9WgXc{}\") }}}}\n\nText {i}.\n",
            i % 10
        )
        .unwrap();
    }
    let site = site_of(vec![article("calls", &body)]);
    within("10,000 shortcode calls", 60, || site.build_checked());
    let html = site.out("articles/calls/index.html");
    assert!(html.contains("Text 9999."));
    assert!(!html.contains("xshortcode"), "every call put in");
}
