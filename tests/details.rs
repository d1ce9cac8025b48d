//! Small things a user notices: counts in the right number, `new` outside a
//! site or with an awkward title, absolute links and the lead image in the
//! feed, and the narrow-screen sidebar.

use crate::support;

use support::*;

const ONE_OF_EACH: &[(&str, &str)] = &[
    (
        "content/actors/ann.md",
        "+++\nname = \"Ann Example\"\nkind = \"person\"\n+++\nProfile.\n",
    ),
    (
        "content/notes/talks.md",
        "+++\ntitle = \"The talks\"\n+++\n\n## Who leads\n\nAnn Example.\n",
    ),
    (
        "content/articles/deal.md",
        "+++\ntitle = \"A deal\"\ndate = 2024-01-02\n+++\nAnn Example announced it.\n",
    ),
];

#[test]
fn counts_of_one_are_singular() {
    let site = Site::new(ONE_OF_EACH);
    let built = stderr(&site.build_ok());
    assert!(
        built.contains("(1 article, 1 explainer, 1 actor)"),
        "{built}"
    );
    let checked = site.run(&["check"]);
    assert!(
        stderr(&checked).contains("(1 article, 1 explainer, 1 actor) checked"),
        "{}",
        stderr(&checked)
    );
    // The archive's description too.
    let archive = site.out("articles/index.html");
    assert!(!archive.contains("1 articles"), "{archive}");
    assert!(archive.contains("The one article so far."), "{archive}");
    let empty = Site::new(&[("site.toml", "")]);
    let built = stderr(&empty.build_ok());
    assert!(
        built.contains("(0 articles, 0 explainers, 0 actors)"),
        "{built}"
    );
}

#[test]
fn new_outside_a_site_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .args(["new", "article", "A story"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("error: the current folder is not a site folder"),
        "{err}"
    );
    assert!(
        err.contains("explainer init") && err.contains("--root"),
        "{err}"
    );
    assert!(!dir.path().join("content").exists(), "nothing created");
    // `--root` naming a folder that is not a site is refused the same way.
    let out = bin()
        .args(["new", "note", "A note", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // A site with only site.toml (no content yet) is a site.
    std::fs::write(dir.path().join("site.toml"), "").unwrap();
    let out = bin()
        .args(["new", "actor", "Ann Example", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn new_with_awkward_titles_writes_files_that_build() {
    let site = Site::new(&[("site.toml", "")]);
    let titles = [
        (
            "article",
            "Line one\nline two",
            "line-one-line-two",
            "Line one line two",
        ),
        (
            "note",
            "It's \"quoted\", a \\ backslash and '''three'''",
            "it-s-quoted-a-backslash-and-three",
            "It&#39;s &quot;quoted&quot;, a \\ backslash and &#39;&#39;&#39;three&#39;&#39;&#39;",
        ),
        (
            "article",
            "Before\n+++\nafter",
            "before-after",
            "Before +++ after",
        ),
        ("actor", "Tab\there\r\n", "tab-here", "Tab here"),
    ];
    for (kind, title, _, _) in titles {
        let out = site.run(&["new", kind, title]);
        assert!(out.status.success(), "{title:?}: {}", stderr(&out));
    }
    // New files are drafts.
    let out = site.run(&["build", "--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for (kind, _, slug, shown) in titles {
        let folder = match kind {
            "article" => "articles",
            "note" => "explainers",
            _ => "actors",
        };
        let html = site.out(&format!("{folder}/{slug}/index.html"));
        assert!(
            html.contains(&format!("<h1>{shown}</h1>")),
            "{shown}:\n{html}"
        );
    }
    // Other control characters are refused, and nothing is written.
    let out = site.run(&["new", "article", "Bell\u{7}"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("U+0007"), "{}", stderr(&out));
    assert!(!site.root().join("content/articles/bell.md").exists());
}

/// The `<content>` of the feed's first entry, unescaped once (it is HTML
/// carried as text).
fn entry_content(feed: &str) -> String {
    let start = feed.find("<content").unwrap();
    let start = start + feed[start..].find('>').unwrap() + 1;
    let end = start + feed[start..].find("</content>").unwrap();
    feed[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

#[test]
fn feed_content_links_are_absolute_and_the_lead_image_comes_first() {
    let site = Site::new(&[
        ("site.toml", "base_url = \"https://news.example/sub/\"\n"),
        ONE_OF_EACH[0],
        ONE_OF_EACH[1],
        (
            "content/articles/deal.md",
            "+++\ntitle = \"A deal\"\ndate = 2024-01-02\nimage = \"img/lead.jpg\"\nimage_alt = \"The signing\"\n+++\n\
             Ann Example announced it, after [[talks#who-leads|the talks]].[^1]\n\n\
             ![Map](../../img/map.png) <a href=\"/elsewhere/\">raw</a>\n\n\
             ## What You Should Know\n\n- See [[talks]].\n\n[^1]: A note.\n",
        ),
    ]);
    // Real images: their headers are read for their size.
    for (path, format) in [
        ("static/img/lead.jpg", image::ImageFormat::Jpeg),
        ("static/img/map.png", image::ImageFormat::Png),
    ] {
        let mut bytes = Vec::new();
        image::DynamicImage::new_rgb8(40, 30)
            .write_to(&mut std::io::Cursor::new(&mut bytes), format)
            .unwrap();
        site.write_bytes(path, &bytes);
    }
    site.build_ok();
    let feed = site.out("feed.xml");
    let content = entry_content(&feed);
    assert!(
        content.starts_with(
            "<figure><img src=\"https://news.example/sub/img/lead.jpg\" alt=\"The signing\"></figure>"
        ),
        "{content}"
    );
    let mut urls = attribute_values(&content, "href");
    urls.extend(attribute_values(&content, "src"));
    assert!(urls.len() >= 6, "{urls:?}");
    for url in &urls {
        assert!(
            url.starts_with("https://news.example/"),
            "{url} in {content}"
        );
    }
    for expected in [
        "https://news.example/sub/actors/ann/index.html",
        "https://news.example/sub/explainers/talks/index.html#who-leads",
        // The body's image: its largest variant (40 px wide).
        "https://news.example/sub/img/map.png.40w.png",
        "https://news.example/elsewhere/",
    ] {
        assert!(urls.contains(&expected), "{expected} not in {urls:?}");
    }
    // Footnote references point into the entry's own page.
    assert!(
        urls.iter()
            .any(|u| u.starts_with("https://news.example/sub/articles/deal/#")),
        "{urls:?}"
    );
    assert!(
        feed.contains(
            "<link rel=\"enclosure\" type=\"image/jpeg\" href=\"https://news.example/sub/img/lead.jpg\"/>"
        ),
        "{feed}"
    );
}

#[test]
fn an_entry_without_an_image_has_no_enclosure() {
    let site = Site::new(ONE_OF_EACH);
    site.build_ok();
    let feed = site.out("feed.xml");
    assert!(!feed.contains("enclosure"), "{feed}");
    assert!(!entry_content(&feed).contains("<figure>"), "{feed}");
}
