//! Pagination: the archive, topics, an actor's "Appears in", the
//! explainers and the timeline (whole and by year) split into pages of
//! `paginate` items, with relative links, rel prev/next, a canonical URL
//! per page and an accessible navigation.

use crate::support;

use support::*;

/// A site of `articles` articles (dated 2023-01-01 onwards, all on the
/// topic Niger and naming Ann Lee), and a note with an event in 2021.
fn site(paginate: usize, articles: usize) -> Site {
    let site = Site::new(&[
        (
            "site.toml",
            &format!("title = \"T\"\nbase_url = \"https://x.example/news/\"\npaginate = {paginate}\n"),
        ),
        ("content/actors/ann.md", "+++\nname = \"Ann Lee\"\nrole = \"Envoy\"\n+++\nAnn's profile body.\n"),
        (
            "content/notes/n.md",
            "+++\ntitle = \"Note\"\n[[timeline]]\ndate = \"2021-05\"\ntext = \"An event\"\n+++\nN.\n",
        ),
    ]);
    for i in 1..=articles {
        site.write(
            &format!("content/articles/a{i}.md"),
            &format!(
                "+++\ntitle = \"Story {i}\"\ndate = 2023-01-{:02}T{:02}:00:00Z\ntopics = [\"Niger\"]\n+++\nAnn Lee spoke.\n",
                1 + (i - 1) / 24,
                (i - 1) % 24
            ),
        );
    }
    site
}

/// The titles of the stories listed in a page's `<main>`, in order.
fn stories(html: &str) -> Vec<String> {
    let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
    main.split("class=\"story-title\"")
        .skip(1)
        .map(|s| {
            let s = &s[s.find('>').unwrap() + 1..];
            s[..s.find('<').unwrap()].to_string()
        })
        .collect()
}

fn head(html: &str) -> &str {
    &html[..html.find("</head>").unwrap()]
}

#[test]
fn the_archive_splits_into_pages_at_their_own_urls() {
    let site = site(3, 10);
    site.build_checked();
    // 10 articles, 3 a page: 4 pages; page 1 at the section's URL.
    assert_eq!(
        stories(&site.out("articles/index.html")),
        ["Story 10", "Story 9", "Story 8"]
    );
    assert_eq!(
        stories(&site.out("articles/page/2/index.html")),
        ["Story 7", "Story 6", "Story 5"]
    );
    assert_eq!(
        stories(&site.out("articles/page/4/index.html")),
        ["Story 1"]
    );
    assert!(!site.exists("articles/page/1"), "page 1 has one URL");
    assert!(!site.exists("articles/page/5"));

    let p2 = site.out("articles/page/2/index.html");
    let h = head(&p2);
    assert!(
        h.contains("<title>Articles, page 2 of 4 — T</title>"),
        "{h}"
    );
    assert!(h.contains("<link rel=\"canonical\" href=\"https://x.example/news/articles/page/2/\">"));
    assert!(h.contains(
        "<meta property=\"og:url\" content=\"https://x.example/news/articles/page/2/\">"
    ));
    assert!(h.contains("<link rel=\"prev\" href=\"../../../articles/index.html\">"));
    assert!(h.contains("<link rel=\"next\" href=\"../../../articles/page/3/index.html\">"));
    // The breadcrumbs end at the page itself.
    assert!(
        h.contains(r#"{"@type":"ListItem","position":2,"name":"Articles","item":"https://x.example/news/articles/"},{"@type":"ListItem","position":3,"name":"Page 2","item":"https://x.example/news/articles/page/2/"}]"#),
        "{h}"
    );
    // Story links are relative to the page's own depth.
    assert!(p2.contains("href=\"../../../articles/a7/index.html\""));

    let p1 = site.out("articles/index.html");
    assert!(
        head(&p1).contains("<link rel=\"canonical\" href=\"https://x.example/news/articles/\">")
    );
    assert!(!head(&p1).contains("rel=\"prev\""));
    assert!(head(&p1).contains("<link rel=\"next\" href=\"../articles/page/2/index.html\">"));
    assert!(head(&p1).contains("<title>Articles — T</title>"));
    let last = site.out("articles/page/4/index.html");
    assert!(!head(&last).contains("rel=\"next\""));
    assert!(
        head(&last).contains("<link rel=\"prev\" href=\"../../../articles/page/3/index.html\">")
    );
}

#[test]
fn the_navigation_is_a_labelled_nav_with_the_current_page_marked() {
    let site = site(3, 10);
    site.build_ok();
    let p2 = site.out("articles/page/2/index.html");
    let nav = &p2[p2
        .find("<nav class=\"pagination\"")
        .expect("a pagination nav")..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    assert!(nav.contains("aria-label=\"Pagination\""), "{nav}");
    assert!(nav.contains("Page 2 of 4"), "{nav}");
    assert!(nav.contains("<a href=\"../../../articles/index.html\" rel=\"prev\">Previous</a>"));
    assert!(nav.contains("<a href=\"../../../articles/page/3/index.html\" rel=\"next\">Next</a>"));
    assert!(nav.contains(
        "<a href=\"../../../articles/page/2/index.html\" aria-label=\"Page 2\" aria-current=\"page\">2</a>"
    ));
    assert_eq!(nav.matches("aria-current").count(), 1);
    assert!(!nav.contains('…'), "four pages need no gap");
    // The first page has no Previous, the last no Next.
    let p1 = site.out("articles/index.html");
    assert!(!p1.contains(">Previous<") && p1.contains(">Next<"));
    let p4 = site.out("articles/page/4/index.html");
    assert!(p4.contains(">Previous<") && !p4.contains(">Next<"));
}

#[test]
fn many_pages_show_the_ends_and_a_window_with_gaps() {
    let site = site(2, 40);
    site.build_checked();
    let p10 = site.out("articles/page/10/index.html");
    let nav = &p10[p10.find("<nav class=\"pagination\"").unwrap()..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    let numbers: Vec<&str> = nav
        .split("<li")
        .skip(1)
        .filter_map(|li| {
            if li.contains("pagination-gap") {
                Some("…")
            } else if li.contains("aria-label=\"Page ") {
                let n = &li[li.find("\">").unwrap() + 2..];
                Some(&n[..n.find('<').unwrap()])
            } else {
                None
            }
        })
        .collect();
    assert_eq!(numbers, ["1", "…", "8", "9", "10", "11", "12", "…", "20"]);
    assert!(nav.contains("class=\"pagination-gap\" aria-hidden=\"true\""));
}

#[test]
fn topics_actors_and_the_timeline_are_paginated_too() {
    let site = site(3, 10);
    site.build_checked();
    // A topic: its own folder, then page/n/.
    assert_eq!(
        stories(&site.out("topics/niger/page/2/index.html")),
        ["Story 7", "Story 6", "Story 5"]
    );
    assert!(head(&site.out("topics/niger/page/2/index.html"))
        .contains("<title>Niger, page 2 of 4 — T</title>"));
    // An actor: the profile on page 1, then only "Appears in".
    let a1 = site.out("actors/ann/index.html");
    assert!(a1.contains("Ann's profile body.") && a1.contains("class=\"sidebar infobox\""));
    assert_eq!(stories(&a1), ["Story 10", "Story 9", "Story 8"]);
    let a2 = site.out("actors/ann/page/2/index.html");
    assert_eq!(stories(&a2), ["Story 7", "Story 6", "Story 5"]);
    assert!(a2.contains("<h1>Ann Lee</h1>") && a2.contains("Appears in"));
    assert!(!a2.contains("Ann's profile body.") && !a2.contains("infobox"));
    assert!(head(&a2)
        .contains("<link rel=\"canonical\" href=\"https://x.example/news/actors/ann/page/2/\">"));
    assert!(site.exists("actors/ann/page/4/index.html") && !site.exists("actors/ann/page/5"));
    // The timeline: 11 events (10 articles and the note's).
    assert!(site.exists("timeline/page/4/index.html") && !site.exists("timeline/page/5"));
    // Lists that fit on one page have no navigation.
    let explainers = site.out("explainers/index.html");
    assert!(!explainers.contains("class=\"pagination\"") && !explainers.contains("rel=\"next\""));
    assert!(!site.exists("explainers/page"));
}

#[test]
fn paginate_zero_keeps_every_list_on_one_page() {
    let site = site(0, 40);
    site.build_checked();
    assert_eq!(stories(&site.out("articles/index.html")).len(), 40);
    assert_eq!(stories(&site.out("actors/ann/index.html")).len(), 40);
    for dir in [
        "articles/page",
        "topics/niger/page",
        "actors/ann/page",
        "timeline/page",
    ] {
        assert!(!site.exists(dir), "{dir}");
    }
    let archive = site.out("articles/index.html");
    assert!(!archive.contains("class=\"pagination\"") && !archive.contains("rel=\"prev\""));
    // The default is 30 a page.
    let site = site_default(31);
    site.build_checked();
    assert_eq!(stories(&site.out("articles/index.html")).len(), 30);
    assert_eq!(
        stories(&site.out("articles/page/2/index.html")),
        ["Story 1"]
    );
}

fn site_default(articles: usize) -> Site {
    let site = site(0, articles);
    site.write("site.toml", "base_url = \"https://x.example/\"\n");
    site
}

#[test]
fn the_timeline_is_also_split_by_year_with_a_year_index() {
    let site = site(3, 10);
    site.build_checked();
    let t = site.out("timeline/index.html");
    let years = &t[t
        .find("<nav class=\"year-index\" aria-label=\"Years\">")
        .expect("year index")..];
    let years = &years[..years.find("</nav>").unwrap()];
    assert!(
        years.contains("<a href=\"../timeline/2021/index.html\">2021</a>"),
        "{years}"
    );
    assert!(
        years.contains("<a href=\"../timeline/2023/index.html\">2023</a>"),
        "{years}"
    );
    // One event in 2021, ten in 2023 (four pages of three).
    let y2021 = site.out("timeline/2021/index.html");
    assert!(y2021.contains("<h1>2021</h1>") && y2021.contains("An event"));
    assert!(!y2021.contains("Story 1<") && !y2021.contains("class=\"pagination\""));
    assert!(
        y2021.contains("<a href=\"../../timeline/2021/index.html\" aria-current=\"page\">2021</a>")
    );
    let y2023 = site.out("timeline/2023/page/2/index.html");
    assert!(!y2023.contains("An event"));
    assert!(head(&y2023).contains("<title>Timeline 2023, page 2 of 4 — T</title>"));
    // The year is the page's heading, not again each section's; on a
    // later page the year's link is the current item, not this page.
    assert!(!y2023.contains("<h2 id=\"year-2023\">"), "{y2023}");
    assert!(y2023.contains(
        "<a href=\"../../../../timeline/2023/index.html\" aria-current=\"true\">2023</a>"
    ));
    assert!(
        y2021.contains("<title>Timeline 2021 — T</title>"),
        "{y2021}"
    );
    assert!(head(&y2023).contains(
        "<link rel=\"canonical\" href=\"https://x.example/news/timeline/2023/page/2/\">"
    ));
    assert!(
        head(&y2023).contains("<link rel=\"prev\" href=\"../../../../timeline/2023/index.html\">")
    );
    assert!(site.exists("timeline/2023/page/4/index.html") && !site.exists("timeline/2023/page/5"));
    assert!(!site.exists("timeline/2021/page"));
}

#[test]
fn the_sitemap_lists_every_page_of_every_list_but_no_page_one() {
    let site = site(3, 10);
    site.build_ok();
    let sitemap = site.out("sitemap.xml");
    for loc in [
        "https://x.example/news/articles/",
        "https://x.example/news/articles/page/4/",
        "https://x.example/news/topics/niger/page/2/",
        "https://x.example/news/actors/ann/page/3/",
        "https://x.example/news/timeline/page/4/",
        "https://x.example/news/timeline/2021/",
        "https://x.example/news/timeline/2023/page/4/",
    ] {
        assert!(sitemap.contains(&format!("<loc>{loc}</loc>")), "{loc}");
    }
    assert!(!sitemap.contains("/page/1/"));
    assert!(!sitemap.contains("articles/page/5/"));
}
