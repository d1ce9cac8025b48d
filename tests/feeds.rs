//! Feeds of topics, actors and authors: beside the site feed, each topic,
//! public actor and public author has an Atom feed of its newest public
//! articles, linked from its page, with absolute URLs in entry content.

use crate::support;

use support::*;

const BASE: &str = "https://x.example/news/";

/// A site of `articles` stories on the topic Niger naming Ann Lee (the
/// odd ones also on Mali), a draft and a scheduled story on Niger naming
/// Ann, and a draft actor.
fn site(articles: usize) -> Site {
    let site = Site::new(&[
        (
            "site.toml",
            &format!("title = \"T\"\nbase_url = \"{BASE}\"\npaginate = 3\n"),
        ),
        (
            "content/actors/ann.md",
            "+++\nname = \"Ann Lee\"\nrole = \"Envoy\"\n+++\nAnn's profile.\n",
        ),
        (
            "content/actors/bob.md",
            "+++\nname = \"Bob Ray\"\ndraft = true\n+++\nNot yet.\n",
        ),
        (
            "content/articles/draft.md",
            "+++\ntitle = \"Draft story\"\ndate = 2023-01-01\ndraft = true\ntopics = [\"Niger\"]\n+++\nAnn Lee spoke.\n",
        ),
        (
            "content/articles/later.md",
            "+++\ntitle = \"Future story\"\ndate = 2999-01-01\ntopics = [\"Niger\"]\n+++\nAnn Lee spoke.\n",
        ),
    ]);
    for i in 1..=articles {
        let topics = if i % 2 == 1 {
            "[\"Niger\", \"Mali\"]"
        } else {
            "[\"Niger\"]"
        };
        site.write(
            &format!("content/articles/a{i}.md"),
            &format!(
                "+++\ntitle = \"Story {i}\"\ndate = 2023-02-{:02}T{:02}:00:00Z\ntopics = {topics}\n+++\nAnn Lee spoke at length.\n\n## What You Should Know\n\n- [[actors/ann|Ann Lee]] spoke.\n",
                1 + (i - 1) / 24,
                (i - 1) % 24
            ),
        );
    }
    site
}

/// A parsed Atom feed: its id, self link, title and entries (title and
/// content), in order.
struct Feed {
    id: String,
    self_url: String,
    title: String,
    entries: Vec<(String, String)>,
}

fn parse(xml: &str) -> Feed {
    let doc = roxmltree::Document::parse(xml).expect("the feed is well-formed XML");
    let root = doc.root_element();
    const ATOM: &str = "http://www.w3.org/2005/Atom";
    assert_eq!(root.tag_name().namespace(), Some(ATOM));
    assert_eq!(root.tag_name().name(), "feed");
    let text = |n: roxmltree::Node, name: &str| {
        n.children()
            .find(|c| c.has_tag_name((ATOM, name)))
            .and_then(|c| c.text())
            .unwrap_or_default()
            .to_string()
    };
    let self_url = root
        .children()
        .find(|c| c.has_tag_name((ATOM, "link")) && c.attribute("rel") == Some("self"))
        .and_then(|c| c.attribute("href"))
        .unwrap_or_default()
        .to_string();
    Feed {
        id: text(root, "id"),
        self_url,
        title: text(root, "title"),
        entries: root
            .children()
            .filter(|c| c.has_tag_name((ATOM, "entry")))
            .map(|e| (text(e, "title"), text(e, "content")))
            .collect(),
    }
}

/// The `<link rel="alternate" type="application/atom+xml">` hrefs of a
/// page's head.
fn feed_links(html: &str) -> Vec<String> {
    let head = &html[..html.find("</head>").unwrap()];
    head.split("<link ")
        .skip(1)
        .filter(|l| l.contains("rel=\"alternate\"") && l.contains("application/atom+xml"))
        .map(|l| {
            let l = &l[l.find("href=\"").unwrap() + 6..];
            l[..l.find('"').unwrap()].to_string()
        })
        .collect()
}

#[test]
fn each_topic_and_actor_has_a_feed_of_its_public_articles() {
    let site = site(4);
    site.build_checked();
    let niger = parse(&site.out("topics/niger/feed.xml"));
    assert_eq!(niger.id, format!("{BASE}topics/niger/feed.xml"));
    assert_eq!(niger.self_url, niger.id);
    assert_eq!(niger.title, "Niger \u{b7} Topic \u{b7} T");
    let titles = |f: &Feed| f.entries.iter().map(|e| e.0.clone()).collect::<Vec<_>>();
    // Newest first; the draft and the future story left out.
    assert_eq!(titles(&niger), ["Story 4", "Story 3", "Story 2", "Story 1"]);
    let mali = parse(&site.out("topics/mali/feed.xml"));
    assert_eq!(titles(&mali), ["Story 3", "Story 1"]);
    let ann = parse(&site.out("actors/ann/feed.xml"));
    assert_eq!(ann.id, format!("{BASE}actors/ann/feed.xml"));
    assert_eq!(ann.title, "Ann Lee \u{b7} Actor \u{b7} T");
    assert_eq!(titles(&ann), ["Story 4", "Story 3", "Story 2", "Story 1"]);
    // Links in entry content are absolute.
    let content = &ann.entries[0].1;
    assert!(
        content.contains(&format!("href=\"{BASE}actors/ann/index.html\"")),
        "{content}"
    );
    assert!(!content.contains("href=\"../"), "{content}");
    // The points, not the body: that is in the site feed only.
    assert!(content.contains("<aside>"), "{content}");
    assert!(!content.contains("at length"), "{content}");
    assert!(!niger.entries[0].1.contains("at length"));
    let whole = &parse(&site.out("feed.xml")).entries[0].1;
    assert!(whole.contains("at length"), "{whole}");
}

#[test]
fn drafts_and_scheduled_stories_stay_out_of_every_feed_even_when_built() {
    let site = site(2);
    let out = site.run(&["build", "--drafts", "--future"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Both are on the topic's page...
    let page = site.out("topics/niger/index.html");
    assert!(page.contains("Future story"), "{page}");
    for feed in ["feed.xml", "topics/niger/feed.xml", "actors/ann/feed.xml"] {
        let xml = site.out(feed);
        parse(&xml);
        assert!(!xml.contains("Draft story"), "{feed}: {xml}");
        assert!(!xml.contains("Future story"), "{feed}: {xml}");
    }
    // A draft actor's profile is built but has no feed, nor a link to one.
    assert!(site.exists("actors/bob/index.html"));
    assert!(!site.exists("actors/bob/feed.xml"));
    assert_eq!(
        feed_links(&site.out("actors/bob/index.html")),
        ["../../feed.xml"]
    );
}

#[test]
fn each_page_links_its_own_feed_and_the_site_feed() {
    let site = site(7);
    site.build_checked();
    assert_eq!(
        feed_links(&site.out("topics/niger/index.html")),
        ["../../feed.xml", "../../topics/niger/feed.xml"]
    );
    // Later pages of the list link the same feed.
    assert_eq!(
        feed_links(&site.out("topics/niger/page/2/index.html")),
        ["../../../../feed.xml", "../../../../topics/niger/feed.xml"]
    );
    assert_eq!(
        feed_links(&site.out("actors/ann/index.html")),
        ["../../feed.xml", "../../actors/ann/feed.xml"]
    );
    assert_eq!(
        feed_links(&site.out("actors/ann/page/2/index.html")),
        ["../../../../feed.xml", "../../../../actors/ann/feed.xml"]
    );
    // Other pages link only the site's.
    assert_eq!(
        feed_links(&site.out("articles/a1/index.html")),
        ["../../feed.xml"]
    );
    // Every link resolves to a file.
    assert_site_integrity(&site.root().join("public"));
}

#[test]
fn a_feed_holds_the_newest_entries() {
    // The site feed's cap is 50 entries; a topic's or an actor's is 20.
    let site = site(52);
    site.build_checked();
    let site_feed = parse(&site.out("feed.xml"));
    assert_eq!(site_feed.entries.len(), 50);
    assert_eq!(site_feed.entries[0].0, "Story 52");
    assert_eq!(site_feed.entries[49].0, "Story 3");
    let niger = parse(&site.out("topics/niger/feed.xml"));
    assert_eq!(niger.entries.len(), 20);
    assert_eq!(niger.entries[0].0, "Story 52");
    assert_eq!(niger.entries[19].0, "Story 33");
    assert_eq!(parse(&site.out("actors/ann/feed.xml")).entries.len(), 20);
    // Mali has the 26 odd stories: the newest 20 of them.
    let mali = parse(&site.out("topics/mali/feed.xml"));
    assert_eq!(mali.entries.len(), 20);
    assert_eq!(mali.entries[0].0, "Story 51");
    assert_eq!(mali.entries[19].0, "Story 13");
}

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// `xml:lang` of a feed's `<feed>`.
fn feed_language(xml: &str) -> Option<String> {
    let doc = roxmltree::Document::parse(xml).expect("the feed is well-formed XML");
    let lang = doc.root_element().attribute((XML_NS, "lang"));
    lang.map(str::to_string)
}

/// Each entry's `<author>`s as (name, uri).
fn entry_authors(xml: &str) -> Vec<Vec<(String, Option<String>)>> {
    let doc = roxmltree::Document::parse(xml).expect("the feed is well-formed XML");
    let child_text = |n: roxmltree::Node, name: &str| {
        n.children()
            .find(|c| c.has_tag_name(name))
            .and_then(|c| c.text())
            .map(str::to_string)
    };
    doc.root_element()
        .children()
        .filter(|c| c.has_tag_name("entry"))
        .map(|e| {
            e.children()
                .filter(|c| c.has_tag_name("author"))
                .map(|a| {
                    (
                        child_text(a, "name").unwrap_or_default(),
                        child_text(a, "uri"),
                    )
                })
                .collect()
        })
        .collect()
}

#[test]
fn a_byline_with_a_profile_carries_its_absolute_url_in_every_feed() {
    let site = site(1);
    site.write(
        "content/authors/ann-writer.md",
        "+++\nname = \"Ann Writer\"\n+++\nOne of the site's staff.\n",
    );
    site.write(
        "content/articles/by-ann.md",
        "+++\ntitle = \"Ann's story\"\ndate = 2023-03-01\nauthors = [\"Ann Writer\", \"A Guest\"]\ntopics = [\"Niger\"]\n+++\nAnn Lee spoke.\n",
    );
    site.build_checked();
    let expected = vec![
        (
            "Ann Writer".to_string(),
            Some(format!("{BASE}authors/ann-writer/")),
        ),
        ("A Guest".to_string(), None),
    ];
    for feed in [
        "feed.xml",
        "topics/niger/feed.xml",
        "authors/ann-writer/feed.xml",
    ] {
        let authors = entry_authors(&site.out(feed));
        assert_eq!(authors[0], expected, "{feed}");
    }
}

#[test]
fn every_feed_says_its_language() {
    let site = site(1);
    site.build_checked();
    for feed in ["feed.xml", "topics/niger/feed.xml", "actors/ann/feed.xml"] {
        assert_eq!(
            feed_language(&site.out(feed)).as_deref(),
            Some("en"),
            "{feed}"
        );
    }
    // A single-language site in another language says so too.
    site.write(
        "site.toml",
        &format!("title = \"T\"\nbase_url = \"{BASE}\"\nlanguage = \"fr\"\nknow_heading = \"What You Should Know\"\n"),
    );
    site.build_checked();
    for feed in ["feed.xml", "topics/niger/feed.xml", "actors/ann/feed.xml"] {
        assert_eq!(
            feed_language(&site.out(feed)).as_deref(),
            Some("fr"),
            "{feed}"
        );
    }
}

/// A Python with feedparser: `target/validate-venv`, the environment
/// `tests/validate.sh` makes, made here the same way (the same pinned
/// feedparser) when it is missing. `None` (the test skipped, saying so)
/// when that cannot be done outside CI: a machine with only the Rust
/// toolchain still runs `cargo test`; CI (`.ci/run`) installs it first.
fn feedparser_python() -> Option<std::path::PathBuf> {
    let venv = repo_root().join("target/validate-venv");
    let python = venv.join("bin/python");
    let has_feedparser = |python: &std::path::Path| {
        std::process::Command::new(python)
            .args(["-c", "import feedparser"])
            .status()
            .is_ok_and(|s| s.success())
    };
    if !has_feedparser(&python) {
        let made = std::process::Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .is_ok_and(|s| s.success());
        let pip = venv.join("bin/pip");
        let installed = made
            && std::process::Command::new(pip)
                .args([
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    "feedparser==6.0.14",
                ])
                .status()
                .is_ok_and(|s| s.success());
        if !(installed && has_feedparser(&python)) {
            let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false");
            assert!(
                !ci,
                "feedparser could not be installed into {}, and CI requires this test",
                venv.display()
            );
            eprintln!(
                "skipped: feedparser could not be installed into {} (needs python3 with venv and PyPI); CI runs this check",
                venv.display()
            );
            return None;
        }
    }
    Some(python)
}

#[test]
fn every_feed_of_a_site_parses_in_feedparser() {
    let site = site(7);
    site.write(
        "content/authors/ann-writer.md",
        "+++\nname = \"Ann Writer\"\n+++\nOne of the site's staff.\n",
    );
    site.write(
        "content/articles/by-ann.md",
        "+++\ntitle = \"Ann's story\"\ndate = 2023-03-01\nauthors = [\"Ann Writer\", \"A Guest\"]\ntopics = [\"Niger\"]\n+++\nAnn Lee spoke & left.\n\n## What You Should Know\n\n- [[actors/ann|Ann Lee]] <left>.\n",
    );
    site.build_checked();
    let out = site.root().join("public");
    let feeds: Vec<String> = walkdir::WalkDir::new(&out)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_name() == "feed.xml")
        .map(|e| {
            let rel = e.path().strip_prefix(&out).unwrap();
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect();
    // The site's, two topics', an actor's and an author's.
    assert_eq!(
        feeds,
        [
            "actors/ann/feed.xml",
            "authors/ann-writer/feed.xml",
            "feed.xml",
            "topics/mali/feed.xml",
            "topics/niger/feed.xml",
        ]
    );
    let script = "import feedparser, json, sys\n\
                  for p in sys.argv[1:]:\n    \
                  f = feedparser.parse(p)\n    \
                  print(json.dumps({'path': p, 'bozo': bool(f.bozo), 'version': f.version, \
                  'id': f.feed.get('id'), 'entries': [e.get('link') for e in f.entries], \
                  'language': f.feed.get('language'), \
                  'authors': [[a.get('name') for a in e.get('authors', [])] for e in f.entries], \
                  'author_urls': [[a.get('href') for a in e.get('authors', [])] for e in f.entries]}))\n";
    let Some(python) = feedparser_python() else {
        return;
    };
    let run = std::process::Command::new(python)
        .current_dir(&out)
        .arg("-c")
        .arg(script)
        .args(&feeds)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    let parsed: Vec<serde_json::Value> = String::from_utf8(run.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(parsed.len(), feeds.len());
    for f in &parsed {
        assert_eq!(f["bozo"], false, "{f}");
        assert_eq!(f["version"], "atom10", "{f}");
        assert_eq!(f["language"], "en", "{f}");
        assert_eq!(
            f["id"],
            format!("{BASE}{}", f["path"].as_str().unwrap()),
            "{f}"
        );
        for link in f["entries"].as_array().unwrap() {
            assert!(link.as_str().unwrap().starts_with(BASE), "{f}");
        }
    }
    let ann = parsed
        .iter()
        .find(|f| f["path"] == "authors/ann-writer/feed.xml")
        .unwrap();
    assert_eq!(
        ann["entries"],
        serde_json::json!([format!("{BASE}articles/by-ann/")])
    );
    assert_eq!(
        ann["authors"],
        serde_json::json!([["Ann Writer", "A Guest"]])
    );
    assert_eq!(
        ann["author_urls"],
        serde_json::json!([[format!("{BASE}authors/ann-writer/"), null]])
    );
}

/// The text of the `<updated>` element right under `<feed>`.
fn feed_updated(xml: &str) -> String {
    let doc = roxmltree::Document::parse(xml).expect("the feed is well-formed XML");
    doc.root_element()
        .children()
        .find(|c| c.has_tag_name(("http://www.w3.org/2005/Atom", "updated")))
        .and_then(|c| c.text())
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_list_with_no_public_article_has_no_feed_nor_a_link_to_one() {
    let site = site(1);
    // An actor no story names, and a topic whose only story is a draft.
    site.write(
        "content/actors/cy.md",
        "+++\nname = \"Cy Obi\"\n+++\nNobody names Cy.\n",
    );
    site.write(
        "content/articles/draft2.md",
        "+++\ntitle = \"Draft two\"\ndate = 2023-01-01\ndraft = true\ntopics = [\"Chad\"]\n+++\nx\n",
    );
    let out = site.run(&["build", "--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.exists("actors/cy/index.html"));
    assert!(!site.exists("actors/cy/feed.xml"));
    assert_eq!(
        feed_links(&site.out("actors/cy/index.html")),
        ["../../feed.xml"]
    );
    assert!(site.exists("topics/chad/index.html"));
    assert!(!site.exists("topics/chad/feed.xml"));
    assert_eq!(
        feed_links(&site.out("topics/chad/index.html")),
        ["../../feed.xml"]
    );
    // Ann, with public stories, keeps hers; no feed says 1970.
    assert!(site.exists("actors/ann/feed.xml"));
    for feed in ["feed.xml", "actors/ann/feed.xml", "topics/niger/feed.xml"] {
        assert!(!site.out(feed).contains("1970"), "{feed}");
    }
}

#[test]
fn a_site_without_articles_dates_its_feed_by_its_newest_page_or_has_none() {
    let site = Site::new(&[
        ("site.toml", "title = \"T\"\nbase_url = \"https://x.example/\"\n"),
        (
            "content/notes/coup.md",
            "+++\ntitle = \"The coup\"\ndate = 2023-07-26\nupdated = 2023-08-02\n+++\nBackground.\n",
        ),
    ]);
    site.build_checked();
    let xml = site.out("feed.xml");
    parse(&xml);
    assert_eq!(feed_updated(&xml), "2023-08-02T00:00:00Z");
    assert_eq!(feed_links(&site.out("index.html")), ["feed.xml"]);
    // No date anywhere: no feed, and no page links one.
    site.write(
        "content/notes/coup.md",
        "+++\ntitle = \"The coup\"\n+++\nBackground.\n",
    );
    site.build_checked();
    assert!(!site.exists("feed.xml"));
    for page in ["index.html", "explainers/coup/index.html", "404.html"] {
        let html = site.out(page);
        assert!(!html.contains("feed.xml"), "{page}: {html}");
    }
}

#[test]
fn a_topic_and_an_actor_of_one_name_have_feeds_told_apart() {
    let site = Site::new(&[
        ("site.toml", "title = \"Desk\"\nbase_url = \"https://x.org/\"\n"),
        (
            "content/articles/a.md",
            "+++\ntitle = \"A\"\ndate = 2024-03-25\ntopics = [\"Niger\"]\nactors = [\"niger\"]\n+++\n\nText.\n",
        ),
        ("content/actors/niger.md", "+++\nname = \"Niger\"\nkind = \"country\"\n+++\n\nA country.\n"),
    ]);
    site.build_checked();
    for (feed, page, title) in [
        (
            "topics/niger/feed.xml",
            "topics/niger/index.html",
            "Niger · Topic · Desk",
        ),
        (
            "actors/niger/feed.xml",
            "actors/niger/index.html",
            "Niger · Actor · Desk",
        ),
    ] {
        assert!(
            site.out(feed).contains(&format!("<title>{title}</title>")),
            "{feed}"
        );
        // The page's alternate link names the feed as the feed does.
        assert!(
            site.out(page).contains(&format!("title=\"{title}\"")),
            "{page}"
        );
    }
}
