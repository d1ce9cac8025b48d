//! Author profiles: `content/authors/<slug>.md` gives a page at
//! `authors/<slug>/` listing the author's public articles (paginated),
//! bylines naming a profile link to it, JSON-LD names a `Person` with the
//! page's URL, and each author has an Atom feed. Names without a profile
//! stay plain names.

use crate::support;

use support::*;

const BASE: &str = "https://x.example/news/";

/// A site of `n` stories by Ana Diallo (the even ones with the guest
/// writer Guest Writer, the first one naming her by her slug), a draft
/// and a scheduled story by her, one story by the site's default
/// authors, and her profile with a photo and two links.
fn site(n: usize) -> Site {
    let site = Site::new(&[
        (
            "site.toml",
            &format!(
                "title = \"T\"\nbase_url = \"{BASE}\"\npaginate = 2\nauthors = [\"Harbour Desk\"]\n"
            ),
        ),
        (
            "content/authors/ana-diallo.md",
            "+++\nname = \"Ana Diallo\"\nrole = \"Port reporter\"\nimage = \"images/ana.png\"\nlinks = [\"https://www.example.org/ana\", \"https://mastodon.example/@ana\"]\naliases = [\"staff/ana\"]\n+++\nAna Diallo covers the port for the site's staff.\n",
        ),
        (
            "content/articles/draft.md",
            "+++\ntitle = \"Draft story\"\ndate = 2023-01-01\ndraft = true\nauthors = [\"Ana Diallo\"]\n+++\nNot yet.\n",
        ),
        (
            "content/articles/later.md",
            "+++\ntitle = \"Future story\"\ndate = 2999-01-01\nauthors = [\"Ana Diallo\"]\n+++\nLater.\n",
        ),
        (
            "content/articles/desk.md",
            "+++\ntitle = \"Desk story\"\ndate = 2022-12-01\ntopics = [\"Port\"]\n+++\nFrom the desk.\n",
        ),
    ]);
    site.write_bytes("static/images/ana.png", &png(800, 600));
    for i in 1..=n {
        let authors = match i {
            1 => "[\"ana-diallo\"]",
            _ if i % 2 == 0 => "[\"Ana Diallo\", \"Guest Writer\"]",
            _ => "[\"Ana Diallo\"]",
        };
        site.write(
            &format!("content/articles/a{i}.md"),
            &format!(
                "+++\ntitle = \"Story {i}\"\ndate = 2023-02-{i:02}\nauthors = {authors}\ntopics = [\"Port\"]\n+++\nThe port, day {i}.\n\n## What You Should Know\n\n- [[authors/ana-diallo|Ana]] reports.\n"
            ),
        );
    }
    site
}

/// A PNG of the given size.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::RgbImage::from_pixel(width, height, image::Rgb([90, 120, 150]))
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}

/// The titles of the story list of an author's page, in order.
fn stories(html: &str) -> Vec<String> {
    html.split("class=\"story-title\"")
        .skip(1)
        .map(|s| {
            let s = &s[s.find('>').unwrap() + 1..];
            s[..s.find('<').unwrap()].to_string()
        })
        .collect()
}

/// Every JSON-LD block of a page.
fn json_ld(html: &str) -> Vec<serde_json::Value> {
    html.split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|s| serde_json::from_str(&s[..s.find("</script>").unwrap()]).unwrap())
        .collect()
}

#[test]
fn an_author_page_lists_public_articles_newest_first_paginated() {
    let site = site(5);
    // Drafts and scheduled stories are built, yet never on her page.
    let out = site.run(&["build", "--drafts", "--future"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let first = site.out("authors/ana-diallo/index.html");
    assert_eq!(stories(&first), ["Story 5", "Story 4"]);
    assert!(first.contains("<h1>Ana Diallo</h1>"), "{first}");
    assert!(first.contains("Port reporter"));
    assert!(first.contains("covers the port for the site"));
    // Her photo through the media pipeline: a responsive picture.
    assert!(first.contains("<picture><source type=\"image/webp\" srcset=\""));
    assert!(
        first.contains("alt=\"Ana Diallo\""),
        "the name is the default alt"
    );
    // Her links, labelled by host.
    assert!(first.contains(">example.org</a>") && first.contains(">mastodon.example</a>"));
    // Paginated like an actor's "Appears in": page/N/, rel prev/next and
    // an accessible nav.
    assert!(
        first.contains("<link rel=\"next\" href=\"../../authors/ana-diallo/page/2/index.html\">")
    );
    assert!(first.contains("<nav class=\"pagination\" aria-label=\"Pagination\">"));
    let second = site.out("authors/ana-diallo/page/2/index.html");
    assert_eq!(stories(&second), ["Story 3", "Story 2"]);
    assert!(second.contains("rel=\"prev\""));
    assert!(
        second.contains("<title>Ana Diallo, page 2 of 3 — T</title>"),
        "{second}"
    );
    assert!(
        !second.contains("covers the port"),
        "the bio is on page 1 only"
    );
    let third = site.out("authors/ana-diallo/page/3/index.html");
    assert_eq!(stories(&third), ["Story 1"]);
    assert!(!site.exists("authors/ana-diallo/page/4/index.html"));
    for page in [&first, &second, &third] {
        assert!(!page.contains("Draft story") && !page.contains("Future story"));
    }
    // The index lists her, with her count of public articles.
    let index = site.out("authors/index.html");
    assert!(index.contains("href=\"../authors/ana-diallo/index.html\">Ana Diallo</a>"));
    assert!(index.contains("5 articles"), "{index}");
    // Her old URL leads to her page.
    assert!(site.exists("staff/ana/index.html"));
    assert_site_integrity(&site.root().join("public"));
}

#[test]
fn bylines_link_profiles_and_leave_other_names_plain() {
    let site = site(2);
    site.build_checked();
    let html = site.out("articles/a2/index.html");
    assert!(
        html.contains("<span class=\"authors\">By <a class=\"author-link\" rel=\"author\" href=\"../../authors/ana-diallo/index.html\">Ana Diallo</a> and Guest Writer</span>"),
        "{html}"
    );
    // Named by her slug: shown by her name, linked.
    let html = site.out("articles/a1/index.html");
    assert!(
        html.contains("By <a class=\"author-link\" rel=\"author\" href=\"../../authors/ana-diallo/index.html\">Ana Diallo</a></span>"),
        "{html}"
    );
    // The site's default authors, without a profile: a plain name.
    let html = site.out("articles/desk/index.html");
    assert!(
        html.contains("<span class=\"authors\">By Harbour Desk</span>"),
        "{html}"
    );
    // The footer links the authors index; the header does not.
    let header = &html[html.find("<header").unwrap()..html.find("</header>").unwrap()];
    assert!(!header.contains("authors/index.html"));
    let footer = &html[html.find("<footer").unwrap()..];
    assert!(footer.contains("<a href=\"../../authors/index.html\">Authors</a>"));
}

#[test]
fn json_ld_names_a_person_with_the_profile_url_or_a_name_alone() {
    let site = site(2);
    site.build_checked();
    let blocks = json_ld(&site.out("articles/a2/index.html"));
    let article = blocks.iter().find(|b| b["@type"] == "NewsArticle").unwrap();
    let url = format!("{BASE}authors/ana-diallo/");
    assert_eq!(
        article["author"],
        serde_json::json!([
            { "@type": "Person", "@id": url, "name": "Ana Diallo", "url": url },
            { "@type": "Person", "name": "Guest Writer" },
        ])
    );
    // Her page's own: the same Person, with her role and links.
    let blocks = json_ld(&site.out("authors/ana-diallo/index.html"));
    let person = blocks.iter().find(|b| b["@type"] == "Person").unwrap();
    assert_eq!(person["@id"], url.as_str());
    assert_eq!(person["url"], url.as_str());
    assert_eq!(person["jobTitle"], "Port reporter");
    assert_eq!(
        person["sameAs"],
        serde_json::json!([
            "https://www.example.org/ana",
            "https://mastodon.example/@ana"
        ])
    );
}

#[test]
fn a_site_without_profiles_keeps_plain_bylines_and_no_author_pages() {
    let site = Site::new(&[
        (
            "site.toml",
            &format!("title = \"T\"\nbase_url = \"{BASE}\"\n"),
        ),
        (
            "content/articles/a.md",
            "+++\ntitle = \"A\"\ndate = 2023-01-01\nauthors = [\"Ana Diallo\"]\n+++\nText.\n",
        ),
    ]);
    site.build_checked();
    let html = site.out("articles/a/index.html");
    assert!(
        html.contains("<span class=\"authors\">By Ana Diallo</span>"),
        "{html}"
    );
    assert!(!html.contains("authors/"), "no link to an authors page");
    assert!(html.contains("\"author\":[{\"@type\":\"Person\",\"name\":\"Ana Diallo\"}]"));
    assert!(!site.root().join("public/authors").exists());
    assert!(!site.out("sitemap.xml").contains("authors/"));
}

#[test]
fn authors_are_in_the_sitemap_and_their_feeds_are_linked() {
    let site = site(3);
    site.build_checked();
    let sitemap = site.out("sitemap.xml");
    for loc in [
        "authors/",
        "authors/ana-diallo/",
        "authors/ana-diallo/page/2/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>{BASE}{loc}</loc>")),
            "{loc}: {sitemap}"
        );
    }
    let page = site.out("authors/ana-diallo/index.html");
    assert!(page.contains(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Ana Diallo · Author · T\" href=\"../../authors/ana-diallo/feed.xml\">"
    ));
    let feed = site.out("authors/ana-diallo/feed.xml");
    assert!(feed.contains(&format!("<id>{BASE}authors/ana-diallo/feed.xml</id>")));
    assert_eq!(feed.matches("<entry>").count(), 3, "{feed}");
    assert!(!feed.contains("Draft story") && !feed.contains("Future story"));
}

#[test]
fn a_french_byline_links_the_profile_in_the_sentence() {
    let site = site(2);
    site.write(
        "site.toml",
        &format!("title = \"T\"\nbase_url = \"{BASE}\"\nlanguage = \"fr\"\nknow_heading = \"What You Should Know\"\n"),
    );
    site.build_checked();
    let html = site.out("articles/a2/index.html");
    assert!(
        html.contains("Par <a class=\"author-link\" rel=\"author\" href=\"../../authors/ana-diallo/index.html\">Ana Diallo</a> et Guest Writer"),
        "{html}"
    );
    assert!(site.out("authors/index.html").contains("<h1>Auteurs</h1>"));
}

#[test]
fn a_name_that_needs_escaping_is_escaped_in_the_byline() {
    let site = site(0);
    site.write(
        "content/articles/x.md",
        "+++\ntitle = \"X\"\ndate = 2023-01-01\nauthors = [\"<b>Bo</b> & Co\", \"Ana Diallo\"]\n+++\nText.\n",
    );
    site.build_checked();
    let html = site.out("articles/x/index.html");
    assert!(
        html.contains("By &lt;b&gt;Bo&lt;&#x2F;b&gt; &amp; Co and <a class=\"author-link\"")
            || html.contains("By &lt;b&gt;Bo&lt;/b&gt; &amp; Co and <a class=\"author-link\""),
        "{html}"
    );
}

#[test]
fn a_profile_may_be_a_bundle_with_its_photo_beside_it() {
    let site = site(1);
    site.write(
        "content/authors/ben-sow/index.md",
        "+++\nname = \"Ben Sow\"\nimage = \"portrait.png\"\nimage_alt = \"Ben Sow, smiling\"\n+++\nBen edits the site.\n",
    );
    site.write_bytes("content/authors/ben-sow/portrait.png", &png(600, 600));
    site.write(
        "content/articles/by-ben.md",
        "+++\ntitle = \"Story by Ben\"\ndate = 2023-03-01\nauthors = [\"Ben Sow\"]\n+++\nText.\n",
    );
    site.build_checked();
    let page = site.out("authors/ben-sow/index.html");
    assert!(page.contains("alt=\"Ben Sow, smiling\""), "{page}");
    assert!(page.contains("<picture>"));
    assert_eq!(stories(&page), ["Story by Ben"]);
    assert!(site.exists("authors/ben-sow/portrait.png"));
    // The index shows both, by name.
    let index = site.out("authors/index.html");
    assert!(index.find(">Ana Diallo<").unwrap() < index.find(">Ben Sow<").unwrap());
    assert_site_integrity(&site.root().join("public"));
}

/// Each `<author>` of the entry titled `title` in a feed, as (name, uri).
fn feed_authors(xml: &str, title: &str) -> Vec<(String, Option<String>)> {
    let doc = roxmltree::Document::parse(xml).expect("the feed is well-formed XML");
    let text = |n: roxmltree::Node, name: &str| {
        n.children()
            .find(|c| c.has_tag_name(name))
            .and_then(|c| c.text())
            .map(str::to_string)
    };
    let entry = doc
        .root_element()
        .children()
        .filter(|c| c.has_tag_name("entry"))
        .find(|e| text(*e, "title").as_deref() == Some(title))
        .unwrap_or_else(|| panic!("no entry {title} in {xml}"));
    entry
        .children()
        .filter(|c| c.has_tag_name("author"))
        .map(|a| (text(a, "name").unwrap_or_default(), text(a, "uri")))
        .collect()
}

#[test]
fn a_draft_profile_is_linked_from_no_byline_feed_or_json_ld_with_or_without_drafts() {
    let site = site(1);
    site.write(
        "content/authors/rae-vance.md",
        "+++\nname = \"Rae Vance\"\ndraft = true\n+++\nJoins soon.\n",
    );
    site.write(
        "content/articles/by-rae.md",
        "+++\ntitle = \"Rae's story\"\ndate = 2023-03-01\nauthors = [\"Rae Vance\", \"Ana Diallo\"]\ntopics = [\"Port\"]\n+++\nThe port.\n",
    );
    // Named by the profile's slug: the byline shows her name, not the slug.
    site.write(
        "content/articles/by-slug.md",
        "+++\ntitle = \"Named by slug\"\ndate = 2023-03-02\nauthors = [\"rae-vance\"]\n+++\nThe quay.\n",
    );
    let ana = "<a class=\"author-link\" rel=\"author\" href=\"../../authors/ana-diallo/index.html\">Ana Diallo</a>";
    let byline = format!("<span class=\"authors\">By Rae Vance and {ana}</span>");
    let ana_url = format!("{BASE}authors/ana-diallo/");
    let check = |site: &Site| {
        let html = site.out("articles/by-rae/index.html");
        assert!(html.contains(&byline), "{html}");
        assert!(!html.contains("rae-vance"), "{html}");
        let by_slug = site.out("articles/by-slug/index.html");
        assert!(
            by_slug.contains("<span class=\"authors\">By Rae Vance</span>"),
            "{by_slug}"
        );
        assert!(!by_slug.contains("rae-vance"), "{by_slug}");
        assert!(
            !site.out("feed.xml").contains("<name>rae-vance</name>"),
            "the feed names her too"
        );
        let blocks = json_ld(&html);
        let article = blocks.iter().find(|b| b["@type"] == "NewsArticle").unwrap();
        assert_eq!(
            article["author"],
            serde_json::json!([
                { "@type": "Person", "name": "Rae Vance" },
                { "@type": "Person", "@id": ana_url, "name": "Ana Diallo", "url": ana_url },
            ])
        );
        for feed in [
            "feed.xml",
            "topics/port/feed.xml",
            "authors/ana-diallo/feed.xml",
        ] {
            let xml = site.out(feed);
            assert_eq!(
                feed_authors(&xml, "Rae's story"),
                [
                    ("Rae Vance".to_string(), None),
                    ("Ana Diallo".to_string(), Some(ana_url.clone())),
                ],
                "{feed}"
            );
            assert!(!xml.contains("rae-vance"), "{feed}: {xml}");
        }
        assert_site_integrity(&site.root().join("public"));
    };
    // Published: the profile is not built, and nothing points at it.
    site.build_checked();
    assert!(!site.exists("authors/rae-vance/index.html"));
    check(&site);
    // Previewed with --drafts: her page is built, with its badge, yet no
    // byline, feed or JSON-LD announces it.
    let out = site.run(&["build", "--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site
        .out("authors/rae-vance/index.html")
        .contains("<p class=\"status-badge\">Draft</p>"));
    check(&site);
}

#[test]
fn an_author_named_twice_in_one_byline_is_an_error_at_the_repeat() {
    let site = Site::new(&[
        (
            "content/authors/amina-sow.md",
            "+++\nname = \"Amina Sow\"\n+++\nReporter.\n",
        ),
        (
            "content/articles/a.md",
            "+++\ntitle = \"A\"\ndate = 2023-10-10\nauthors = [\"amina-sow\", \"amina sow\", \"AMINA SOW\", \"Amina  Sow\", \"Amina Sow\", \"Amina Sow\", \"Ode Obi\", \"ode  obi\"]\n+++\nText.\n",
        ),
    ]);
    let out = site.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let at = |column: usize, entry: &str, first: &str| {
        format!(
            "content/articles/a.md:4:{column}: author \"{entry}\" is already in this byline, as \"{first}\""
        )
    };
    for expected in [
        at(26, "amina sow", "amina-sow"),
        at(39, "AMINA SOW", "amina-sow"),
        at(52, "Amina  Sow", "amina-sow"),
        at(66, "Amina Sow", "amina-sow"),
        // The same text twice: the second is the one pointed at.
        at(79, "Amina Sow", "amina-sow"),
        // A name without a profile folds the same way.
        at(103, "ode  obi", "Ode Obi"),
    ] {
        assert!(err.contains(&expected), "{expected}\n{err}");
    }
    assert_eq!(err.matches("is already in this byline").count(), 6, "{err}");
    assert!(
        err.contains("= help: name each author once: remove the repeat"),
        "{err}"
    );
}
