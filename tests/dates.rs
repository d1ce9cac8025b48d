//! Dates with offsets: lists, feed, sitemap, JSON-LD and timeline order and
//! compare them as instants, and show readers the writer's own day.

use crate::support;

use support::*;

/// Earliest to latest as instants: Tokyo (16:00 UTC on the 10th), London
/// (20:00 UTC), Lima (04:30 UTC on the 11th). As local clock times Tokyo
/// looks newest and Lima older than London.
const TOKYO: &str = "2023-10-11T01:00:00+09:00";
const LONDON: &str = "2023-10-10T20:00:00Z";
const LIMA: &str = "2023-10-10T23:30:00-05:00";

fn story(slug: &str, title: &str, front: &str) -> (String, String) {
    (
        format!("content/articles/{slug}.md"),
        format!("+++\ntitle = \"{title}\"\n{front}\n+++\n\n{title} body.\n"),
    )
}

fn three_cities() -> Site {
    let files = [
        story("tokyo", "Tokyo story", &format!("date = {TOKYO}")),
        // A date-only update on the day of a timed publication.
        story(
            "london",
            "London story",
            &format!("date = {LONDON}\nupdated = 2023-10-10"),
        ),
        story("lima", "Lima story", &format!("date = {LIMA}")),
        // A day alone is 00:00 UTC: after Tokyo, before Lima.
        story("day", "Day story", "date = 2023-10-11"),
    ];
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    Site::new(&files)
}

/// Positions of `needles` in `text`, failing when one is missing.
fn order(text: &str, needles: &[&str]) -> Vec<usize> {
    needles
        .iter()
        .map(|n| {
            text.find(n)
                .unwrap_or_else(|| panic!("{n} missing in:\n{text}"))
        })
        .collect()
}

fn assert_in_order(text: &str, needles: &[&str]) {
    let positions = order(text, needles);
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "expected {needles:?} in this order:\n{text}"
    );
}

const NEWEST_FIRST: [&str; 4] = ["Lima story", "Day story", "London story", "Tokyo story"];

#[test]
fn lists_and_feed_order_stories_as_instants() {
    let site = three_cities();
    site.build_ok();
    assert_in_order(&site.out("articles/index.html"), &NEWEST_FIRST);
    let front = site.out("index.html");
    let lead = &front[front.find("<h2 id=\"lead-title\"").unwrap()..];
    assert!(
        lead.contains("<a href=\"articles/lima/index.html\">Lima story</a></h2>"),
        "{lead}"
    );
    assert_in_order(&front, &NEWEST_FIRST);
    let feed = site.out("feed.xml");
    assert_in_order(&feed, &NEWEST_FIRST);
    // The feed is as recent as its newest entry, with the writer's offset.
    let feed_updated = &feed[feed.find("<updated>").unwrap()..];
    assert!(
        feed_updated.starts_with(&format!("<updated>{LIMA}</updated>")),
        "{feed}"
    );
    assert!(
        feed.contains(&format!("<published>{TOKYO}</published>")),
        "{feed}"
    );
}

#[test]
fn readers_see_the_writers_own_day() {
    let site = three_cities();
    site.build_ok();
    let tokyo = site.out("articles/tokyo/index.html");
    assert!(
        tokyo.contains(&format!(
            "<time datetime=\"{TOKYO}\">October 11, 2023</time>"
        )),
        "{tokyo}"
    );
    let lima = site.out("articles/lima/index.html");
    assert!(lima.contains(">October 10, 2023</time>"), "{lima}");
}

#[test]
fn a_date_only_update_on_the_publication_day_is_not_earlier() {
    let site = three_cities();
    site.build_ok();
    let page = site.out("articles/london/index.html");
    assert!(page.contains("Updated <time"), "{page}");
    assert!(page.contains(">October 10, 2023</time>"), "{page}");
    // Both are the publication instant: the update was that same day.
    assert!(
        page.contains("\"datePublished\":\"2023-10-10T20:00:00+00:00\""),
        "{page}"
    );
    assert!(
        page.contains("\"dateModified\":\"2023-10-10T20:00:00+00:00\""),
        "{page}"
    );
    let feed = site.out("feed.xml");
    let entry = &feed[feed.find("London story").unwrap()..];
    assert!(
        entry.contains("<updated>2023-10-10T20:00:00+00:00</updated>"),
        "{entry}"
    );
}

#[test]
fn sitemap_dates_are_rfc3339_instants() {
    let site = three_cities();
    site.build_ok();
    let sitemap = site.out("sitemap.xml");
    // The archive changed when its newest story did.
    assert!(
        sitemap.contains(&format!("articles/</loc><lastmod>{LIMA}</lastmod>")),
        "{sitemap}"
    );
    assert!(
        sitemap.contains(&format!("articles/tokyo/</loc><lastmod>{TOKYO}</lastmod>")),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("articles/day/</loc><lastmod>2023-10-11T00:00:00Z</lastmod>"),
        "{sitemap}"
    );
}

#[test]
fn timeline_orders_a_day_by_instant_and_keeps_written_days() {
    let site = three_cities();
    site.build_ok();
    let timeline = site.out("timeline/index.html");
    // London and Lima were both written on October 10: London first, the
    // earlier instant. Tokyo and the date-only story are on the 11th, as
    // their writers dated them; Tokyo (16:00 UTC on the 10th) comes before
    // the day's 00:00 UTC.
    assert_in_order(
        &timeline,
        &["London story", "Lima story", "Tokyo story", "Day story"],
    );
}

#[test]
fn an_update_really_earlier_than_publication_is_an_error() {
    let site = Site::new(&[
        (
            "content/articles/a.md",
            "+++\ntitle = \"A\"\ndate = 2023-10-10T10:00:00+02:00\nupdated = 2023-10-10T09:00:00+02:00\n+++\n\nA.\n",
        ),
        (
            "content/articles/b.md",
            "+++\ntitle = \"B\"\ndate = 2023-10-10\nupdated = 2023-10-09\n+++\n\nB.\n",
        ),
    ]);
    let out = site.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("a.md:4:11: `updated` (2023-10-10T09:00:00+02:00) is earlier than `date` (2023-10-10T10:00:00+02:00)"),
        "{err}"
    );
    assert!(
        err.contains("b.md:4:11: `updated` (2023-10-09) is earlier than `date` (2023-10-10)"),
        "{err}"
    );
    // The caret spans the value as written.
    assert!(
        err.contains("4 | updated = 2023-10-09\n  |           ^^^^^^^^^^\n"),
        "{err}"
    );
}

#[test]
fn a_day_only_update_after_a_late_publication_is_marked_up_as_its_day() {
    // 23:30 in Chicago is 04:30 UTC on the 11th: the update "2023-10-11"
    // (00:00 UTC) is ordered at the publication instant, but the page
    // shows and marks up the day written.
    let site = Site::new(&[(
        "content/articles/late.md",
        "+++\ntitle = \"Late\"\ndate = 2023-10-10T23:30:00-05:00\nupdated = 2023-10-11\n+++\n\nLate.\n",
    )]);
    site.build_ok();
    let html = site.out("articles/late/index.html");
    assert!(
        html.contains("<time datetime=\"2023-10-11\">October 11, 2023</time>"),
        "{html}"
    );
    assert!(
        html.contains("<time datetime=\"2023-10-10T23:30:00-05:00\">October 10, 2023</time>"),
        "{html}"
    );
}

#[test]
fn explainers_on_the_front_page_order_by_instant() {
    let note = |slug: &str, title: &str, date: &str| {
        (
            format!("content/notes/{slug}.md"),
            format!("+++\ntitle = \"{title}\"\ndate = {date}\n+++\n\nText.\n"),
        )
    };
    let files = [
        note("tokyo", "Tokyo note", TOKYO),
        note("lima", "Lima note", LIMA),
        note("london", "London note", LONDON),
    ];
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let site = Site::new(&files);
    site.build_ok();
    let front = site.out("index.html");
    let explainers = &front[front.find("explainers-heading").unwrap()..];
    assert_in_order(explainers, &["Lima note", "London note", "Tokyo note"]);
}

#[test]
fn an_update_after_the_builds_clock_or_a_scheduled_articles_own_date_is_an_error() {
    let site = Site::new(&[
        (
            "content/articles/a.md",
            "+++\ntitle = \"A\"\ndate = 2023-01-01\nupdated = 2999-01-01\n+++\n\nA.\n",
        ),
        (
            "content/notes/n.md",
            "+++\ntitle = \"N\"\nupdated = 2999-01-01T08:00:00Z\n+++\n\nN.\n",
        ),
        // Scheduled: its update would be in the future on the day it is
        // published, and the build of that day would fail.
        (
            "content/articles/later.md",
            "+++\ntitle = \"Later\"\ndate = 2998-01-01\nupdated = 2999-01-01\n+++\n\nL.\n",
        ),
    ]);
    let out = site.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(
            "content/articles/a.md:4:11: `updated` (2999-01-01) is in the future: the build's clock says "
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "content/notes/n.md:3:11: `updated` (2999-01-01T08:00:00+00:00) is in the future"
        ),
        "{err}"
    );
    assert!(
        err.contains("= help: `updated` says when the page last changed"),
        "{err}"
    );
    assert_eq!(err.matches("is in the future:").count(), 2, "{err}");
    let later = "later.md:4:11: `updated` (2999-01-01) is after the article's own date (2998-01-01): on the day it is published, it would be in the future";
    // The failed build still warns of the scheduled article.
    let warned = |err: &str| {
        err.lines()
            .any(|l| l.starts_with("warning: ") && l.ends_with(later))
    };
    assert!(warned(&err), "{err}");
    // Under --future the scheduled article is built: an error of the site.
    let out = site.run(&["check", "--future"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains(later), "{}", stderr(&out));
    site.remove("content/articles/a.md");
    site.remove("content/notes/n.md");
    // Held back, it is an error of `check` and a warning of `build`.
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains(later), "{}", stderr(&out));
    let out = site.build_ok();
    assert!(warned(&stderr(&out)), "{}", stderr(&out));
    // Updated on its own day, it is fine.
    site.write(
        "content/articles/later.md",
        "+++\ntitle = \"Later\"\ndate = 2998-01-01\nupdated = 2998-01-01\n+++\n\nL.\n",
    );
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
