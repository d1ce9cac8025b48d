//! The sitemap: one `sitemap.xml` up to the protocol's 50,000 URLs, and
//! beyond them an index of `sitemap-N.xml` parts (sitemaps.org), each
//! valid against the protocol's schema (`tests/schemas/`, checked with
//! xmllint). `EXPLAINER_SITEMAP_MAX_URLS` lowers the limit so a small
//! site shows the split.
//!
//! xmllint comes from Debian's `libxml2-utils`; without it the schema
//! checks are skipped with a message, except under CI (`CI` set and not
//! `false`), where that is a failure.

use crate::support;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use support::*;

fn xmllint_available() -> bool {
    if Command::new("xmllint").arg("--version").output().is_ok() {
        return true;
    }
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false");
    assert!(
        !ci,
        "xmllint is not installed, and CI requires this test (apt-get install libxml2-utils)"
    );
    eprintln!(
        "skipped: xmllint is not installed (apt-get install libxml2-utils); CI runs this check"
    );
    false
}

/// Validates `file` against the protocol's schema `xsd` (in tests/schemas).
fn assert_valid(file: &Path, xsd: &str) {
    if !xmllint_available() {
        return;
    }
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(repo_root().join("tests/schemas").join(xsd))
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{} is not valid against {xsd}:\n{}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A site of `n` articles, two a page, naming one actor.
fn site(n: usize) -> Site {
    let site = Site::new(&[
        (
            "site.toml",
            "base_url = \"https://x.example/news/\"\npaginate = 2\n",
        ),
        (
            "content/actors/ann.md",
            "+++\nname = \"Ann Lee\"\n+++\nAnn.\n",
        ),
    ]);
    for i in 1..=n {
        site.write(
            &format!("content/articles/a{i}.md"),
            &format!(
                "+++\ntitle = \"Story {i}\"\ndate = 2023-02-{i:02}T10:00:00+01:00\n+++\nAnn Lee spoke.\n"
            ),
        );
    }
    site
}

fn build(site: &Site, max_urls: Option<usize>, out: &Path) {
    let mut cmd = bin();
    cmd.args(["build", "--quiet", "--root"])
        .arg(site.root())
        .arg("--output")
        .arg(out);
    match max_urls {
        Some(n) => cmd.env("EXPLAINER_SITEMAP_MAX_URLS", n.to_string()),
        None => cmd.env_remove("EXPLAINER_SITEMAP_MAX_URLS"),
    };
    let result = cmd.output().unwrap();
    assert!(result.status.success(), "{}", stderr(&result));
}

/// The text of every `<tag>` in an XML file.
fn values(xml: &str, tag: &str) -> Vec<String> {
    let open = format!("<{tag}>");
    xml.split(&open)
        .skip(1)
        .map(|s| s[..s.find('<').unwrap()].to_string())
        .collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_site_within_the_limit_has_one_valid_sitemap() {
    let site = site(9);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(&site, None, &out);
    let sitemap = read(&out.join("sitemap.xml"));
    assert!(sitemap.contains("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    assert!(!out.join("sitemap-1.xml").exists());
    assert_valid(&out.join("sitemap.xml"), "sitemap.xsd");
    assert!(read(&out.join("robots.txt")).contains("Sitemap: https://x.example/news/sitemap.xml\n"));
}

#[test]
fn beyond_the_limit_the_sitemap_is_an_index_of_valid_parts() {
    let site = site(9);
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    build(&site, None, &whole);
    let every: Vec<String> = values(&read(&whole.join("sitemap.xml")), "loc");
    // Home, 5 archive pages, explainers, actors, topics, 5 timeline pages,
    // 5 pages of 2023, 9 articles, 5 pages of the actor.
    assert_eq!(every.len(), 33, "{every:?}");

    let split = dir.path().join("split");
    build(&site, Some(10), &split);
    let index = read(&split.join("sitemap.xml"));
    assert!(
        index.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"),
        "{index}"
    );
    assert_valid(&split.join("sitemap.xml"), "siteindex.xsd");
    let parts = values(&index, "loc");
    assert_eq!(
        parts,
        [1, 2, 3, 4].map(|n| format!("https://x.example/news/sitemap-{n}.xml"))
    );
    // Each part's lastmod is the newest of its URLs; the last part (the
    // actor's pages) has none to give.
    let lastmods = values(&index, "lastmod");
    assert_eq!(lastmods.len(), 3, "{index}");
    assert!(
        index.ends_with(
            "<sitemap><loc>https://x.example/news/sitemap-4.xml</loc></sitemap>\n</sitemapindex>\n"
        ),
        "{index}"
    );
    assert_eq!(lastmods[0], "2023-02-09T10:00:00+01:00");
    let mut listed = Vec::new();
    for n in 1..=4 {
        let part = split.join(format!("sitemap-{n}.xml"));
        assert_valid(&part, "sitemap.xsd");
        let locs = values(&read(&part), "loc");
        assert!(!locs.is_empty() && locs.len() <= 10, "part {n}: {locs:?}");
        listed.extend(locs);
    }
    assert!(!split.join("sitemap-5.xml").exists());
    // The parts list every URL once, in the same order.
    assert_eq!(listed, every);
    assert_eq!(listed.iter().collect::<BTreeSet<_>>().len(), listed.len());
    // robots.txt names the index.
    assert!(
        read(&split.join("robots.txt")).contains("Sitemap: https://x.example/news/sitemap.xml\n")
    );

    // The site shrinks: fewer parts, and the stale one is removed.
    for i in 5..=9 {
        site.remove(&format!("content/articles/a{i}.md"));
    }
    build(&site, Some(10), &split);
    assert_eq!(values(&read(&split.join("sitemap.xml")), "loc").len(), 2);
    assert!(split.join("sitemap-2.xml").exists() && !split.join("sitemap-3.xml").exists());
    // Back under the limit: one sitemap again, and no parts left.
    build(&site, None, &split);
    assert!(read(&split.join("sitemap.xml")).contains("<urlset"));
    assert!(!split.join("sitemap-1.xml").exists());
}

#[test]
fn every_timeline_year_page_carries_the_newest_date_of_its_sources() {
    let site = Site::new(&[
        (
            "content/notes/coup.md",
            "+++\ntitle = \"The coup\"\ndate = 2023-08-01\nupdated = 2023-11-02\n[[timeline]]\ndate = \"2023-07-26\"\ntext = \"Bazoum detained.\"\n[[timeline]]\ndate = \"2022-02-17\"\ntext = \"Barkhane moves.\"\n+++\nBody.\n",
        ),
        (
            "content/notes/older.md",
            "+++\ntitle = \"Earlier\"\ndate = 2022-03-01\n[[timeline]]\ndate = \"2021-01-10\"\ntext = \"Talks.\"\n+++\nBody.\n",
        ),
    ]);
    site.build_ok();
    let sitemap = site.out("sitemap.xml");
    let lastmod = |loc: &str| {
        let entry = sitemap
            .split("<url>")
            .find(|u| u.contains(&format!("<loc>{loc}</loc>")))
            .unwrap_or_else(|| panic!("{loc} in {sitemap}"));
        values(entry, "lastmod")
    };
    // Each year's page changes when a note with one of its events does.
    assert_eq!(
        lastmod("http://127.0.0.1:1111/timeline/2021/"),
        ["2022-03-01T00:00:00Z"]
    );
    assert_eq!(
        lastmod("http://127.0.0.1:1111/timeline/2023/"),
        ["2023-11-02T00:00:00Z"]
    );
    assert_eq!(
        lastmod("http://127.0.0.1:1111/timeline/2022/"),
        ["2023-11-02T00:00:00Z"]
    );
    assert_valid(&site.root().join("public/sitemap.xml"), "sitemap.xsd");
}
