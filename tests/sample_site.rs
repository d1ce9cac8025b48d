//! Builds the repository's own sample site (the Niger story) and checks the
//! output a reader and a deploy would see.

use crate::support;

use std::path::PathBuf;
use std::sync::OnceLock;

use support::*;

/// The sample site is built once, into a temporary output folder, for all
/// tests here.
fn built() -> &'static PathBuf {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let out = dir.join("public");
        let status = bin()
            .args(["build", "--quiet", "--root"])
            .arg(repo_root())
            .arg("--output")
            .arg(&out)
            .output()
            .unwrap();
        assert!(status.status.success(), "{}", stderr(&status));
        out
    })
}

fn page(path: &str) -> String {
    std::fs::read_to_string(built().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

const ARTICLE: &str = "articles/france-begins-niger-troop-withdrawal/index.html";

#[test]
fn every_page_type_is_built() {
    for path in [
        "index.html",
        ARTICLE,
        "articles/index.html",
        "explainers/index.html",
        "explainers/july-2023-coup/index.html",
        "explainers/france-in-the-sahel/index.html",
        "explainers/ambassador-standoff/index.html",
        "actors/index.html",
        "actors/emmanuel-macron/index.html",
        "actors/sylvain-itte/index.html",
        "topics/index.html",
        "topics/niger/index.html",
        "timeline/index.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "_headers",
    ] {
        assert!(built().join(path).is_file(), "{path} missing");
    }
    hashed_asset(built(), "style.css");
    hashed_asset(built(), "cards.js");
}

#[test]
fn the_sample_has_the_promised_depth() {
    let count = |dir: &str| {
        std::fs::read_dir(repo_root().join("content").join(dir))
            .unwrap()
            .count()
    };
    assert!(
        count("notes") >= 3 && count("actors") >= 8,
        "at least three notes and eight actors"
    );
    let actors = page("actors/index.html");
    for name in [
        "Emmanuel Macron",
        "Sylvain Itte",
        "Mohamed Bazoum",
        "Mahamadou Issoufou",
        "Russia",
        "European Union",
    ] {
        assert!(actors.contains(name), "{name} has a profile");
    }
}

/// The sidebar is the `<aside>` after `</main>`; the body is inside `<main>`.
fn split_article(html: &str) -> (&str, &str) {
    let main_end = html.find("</main>").expect("main");
    let aside = &html[main_end..];
    let aside =
        &aside[aside.find("<aside").expect("aside")..aside.find("</aside>").expect("aside end")];
    (&html[..main_end], aside)
}

#[test]
fn the_know_section_moves_from_the_body_into_the_sidebar() {
    let html = page(ARTICLE);
    let (main, aside) = split_article(&html);
    let bullet = "expects the exit to be complete by the end of 2023";
    assert!(aside.contains("What You Should Know"));
    assert!(aside.contains(bullet), "lifted bullet in the sidebar");
    let body_start = main
        .find("<div class=\"article-body prose\">")
        .expect("body");
    let body = &main[body_start..];
    assert!(!body.contains(bullet), "and not left in the body");
    assert!(!body.contains(">What You Should Know<"));
    // The copy shown after the lead on narrow screens comes before the body.
    let inline = main
        .find("class=\"know-inline\"")
        .expect("inline copy after the lead");
    assert!(inline < body_start && main[inline..body_start].contains(bullet));
    assert!(aside.contains("Key actors") && aside.contains("President of France"));
    assert!(aside.contains("Background") && aside.contains("The July 2023 coup in Niger"));
    assert!(aside.contains("Latest events") && aside.contains("datetime=\"2023-12-22\""));
}

#[test]
fn the_know_list_from_front_matter_fills_the_sidebar() {
    let html = page("articles/niger-coup-bazoum-detained/index.html");
    let (_, aside) = split_article(&html);
    assert!(
        aside.contains("know-points"),
        "front-matter know list rendered in the sidebar"
    );
}

#[test]
fn sources_and_corrections_are_shown() {
    let html = page(ARTICLE);
    assert!(html.contains("<h2 id=\"sources-heading\">Sources</h2>"));
    assert!(html.contains("href=\"https://www.reuters.com/world/africa/\""));
    let corrected = page("articles/french-ambassador-leaves-niamey/index.html");
    assert!(corrected.contains("Corrections") && corrected.contains("48-hour ultimatum"));
}

#[test]
fn backlinks_go_both_ways() {
    let macron = page("actors/emmanuel-macron/index.html");
    assert!(
        macron.contains("href=\"../../articles/france-begins-niger-troop-withdrawal/index.html\""),
        "actor lists the article"
    );
    assert!(
        macron.contains("href=\"../../explainers/ambassador-standoff/index.html\""),
        "actor lists the explainer"
    );
    let article = page(ARTICLE);
    assert!(
        article.contains("href=\"../../actors/emmanuel-macron/index.html\""),
        "article links the actor"
    );
    let coup = page("explainers/july-2023-coup/index.html");
    assert!(coup.contains("Articles that cite this explainer"));
    assert!(
        coup.contains("href=\"../../articles/france-begins-niger-troop-withdrawal/index.html\""),
        "explainer lists the citing article"
    );
}

#[test]
fn every_relative_link_resolves() {
    let (broken, checked) = broken_links(built());
    assert!(checked > 500, "only {checked} links checked");
    assert!(
        broken.is_empty(),
        "{} broken links:\n{}",
        broken.len(),
        broken.join("\n")
    );
}

#[test]
fn every_page_has_unique_ids_and_resolving_fragments() {
    assert_site_integrity(built());
}

#[test]
fn absolute_urls_use_base_url() {
    let base = "https://sahel-explained.example.org/";
    let feed = page("feed.xml");
    assert!(feed.contains(&format!(
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{base}feed.xml\"/>"
    )));
    assert!(feed.contains(&format!(
        "<id>{base}articles/france-begins-niger-troop-withdrawal/</id>"
    )));
    let sitemap = page("sitemap.xml");
    assert!(sitemap.contains(&format!("<loc>{base}actors/emmanuel-macron/</loc>")));
    assert!(page("robots.txt").contains(&format!("Sitemap: {base}sitemap.xml")));
    assert!(page(ARTICLE).contains(&format!(
        "<link rel=\"canonical\" href=\"{base}articles/france-begins-niger-troop-withdrawal/\">"
    )));
}

#[test]
fn the_article_carries_valid_news_article_json_ld() {
    let html = page(ARTICLE);
    let start = html.find("<script type=\"application/ld+json\">").unwrap()
        + "<script type=\"application/ld+json\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    let json: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
    assert_eq!(json["@type"], "NewsArticle");
    assert_eq!(
        json["headline"],
        "France begins withdrawing its troops from Niger"
    );
    assert_eq!(json["datePublished"], "2023-10-10T00:00:00Z");
}

#[test]
fn the_timeline_is_in_order() {
    let html = page("timeline/index.html");
    let dates: Vec<&str> = attribute_values(&html, "datetime");
    assert!(dates.len() > 20);
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "events oldest first");
    assert!(html.contains("2023-07-26"));
}

#[test]
fn a_second_build_rewrites_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let build = || {
        bin()
            .args(["build", "--verbose", "--root"])
            .arg(repo_root())
            .arg("--output")
            .arg(&out)
            .output()
            .unwrap()
    };
    assert!(build().status.success());
    let before = snapshot(&out);
    let second = build();
    assert!(second.status.success());
    assert!(
        stderr(&second).contains(" 0 written"),
        "{}",
        stderr(&second)
    );
    assert_eq!(before, snapshot(&out));
}
