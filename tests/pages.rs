//! Standalone pages (`content/pages/`), the header and footer menus, and
//! the site icons, built with the real binary.

use crate::support;

use support::*;

const ARTICLE: (&str, &str) = (
    "content/articles/a.md",
    "+++\ntitle = \"A story\"\ndate = 2023-10-10\n+++\n\nThe story. See [[actors/niger]].\n",
);
const NIGER: (&str, &str) = (
    "content/actors/niger.md",
    "+++\nname = \"Niger\"\nkind = \"country\"\n+++\n\nA country.\n",
);
const ABOUT: (&str, &str) = (
    "content/pages/about.md",
    "+++\ntitle = \"About us\"\nsummary = \"Who we are.\"\ndate = 2023-01-05\nupdated = 2023-06-01\nmenu = \"header\"\n+++\n\nWe explain [[actors/niger]] and [[articles/a]]. Read our [[ethics]] and [[pages/press#logos|logos]].\n\n## Contact\n\nWrite to us.\n",
);
const CORRECTIONS: (&str, &str) = (
    "content/pages/policies/corrections.md",
    "+++\ntitle = \"Corrections policy\"\nmenu = \"footer\"\nmenu_order = 2\n+++\n\nWe correct errors.\n",
);
const ETHICS: (&str, &str) = (
    "content/pages/ethics.md",
    "+++\ntitle = \"Ethics\"\nmenu = \"footer\"\nmenu_order = 1\n+++\n\nOur code.\n",
);
const UNLISTED: (&str, &str) = (
    "content/pages/press.md",
    "+++\ntitle = \"Press kit\"\n+++\n\n## Logos\n\nLogos.\n",
);

fn site() -> Site {
    Site::new(&[ARTICLE, NIGER, ABOUT, CORRECTIONS, ETHICS, UNLISTED])
}

#[test]
fn pages_are_published_at_the_root_with_relative_links() {
    let site = site();
    site.build_checked();
    let about = site.out("about/index.html");
    assert!(about.contains("<h1>About us</h1>"), "{about}");
    assert!(
        about.contains("<p class=\"dek\">Who we are.</p>"),
        "{about}"
    );
    // The body is rendered for its own depth: one folder below the root.
    assert!(
        about.contains("href=\"../actors/niger/index.html\""),
        "{about}"
    );
    assert!(
        about.contains("href=\"../articles/a/index.html\""),
        "{about}"
    );
    assert!(about.contains("datetime=\"2023-01-05\""), "{about}");
    assert!(about.contains("datetime=\"2023-06-01\""), "{about}");
    // Sub-folders only organise files.
    assert!(site
        .out("corrections/index.html")
        .contains("We correct errors."));
    assert!(site.out("press/index.html").contains("Logos."));
}

#[test]
fn a_wikilink_to_a_missing_page_heading_is_an_error() {
    let site = Site::new(&[
        ARTICLE,
        NIGER,
        ETHICS,
        (
            "content/articles/b.md",
            "+++\ntitle = \"B\"\ndate = 2023-10-11\n+++\n\nSee [[pages/ethics#nowhere]] and [[pages/nothing]].\n",
        ),
    ]);
    let out = site.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("content/articles/b.md:6:5:"), "{err}");
    assert!(err.contains("nowhere"), "{err}");
    assert!(err.contains("no page \"pages/nothing\""), "{err}");
}

#[test]
fn menus_are_on_every_page_in_order_and_mark_the_current_page() {
    let site = site();
    site.build_checked();
    let front = site.out("index.html");
    let header = &front
        [front.find("<header class=\"site-header\"").unwrap()..front.find("</header>").unwrap()];
    assert!(
        header.contains("<li><a href=\"about/index.html\">About us</a></li>"),
        "{header}"
    );
    assert!(!header.contains("Ethics") && !header.contains("Press kit"));
    let footer = &front[front.find("<footer class=\"site-footer\"").unwrap()..];
    assert!(
        footer.contains("<nav class=\"footer-nav\" aria-label=\"About this site\">"),
        "{footer}"
    );
    let ethics = footer.find(">Ethics<").expect("ethics in footer");
    let corrections = footer
        .find(">Corrections policy<")
        .expect("policy in footer");
    assert!(ethics < corrections, "menu_order 1 before 2: {footer}");
    assert!(!footer.contains("About us") && !footer.contains("Press kit"));
    // Links are relative to each page.
    let article = site.out("articles/a/index.html");
    assert!(article.contains("href=\"../../about/index.html\">About us</a>"));
    assert!(article.contains("href=\"../../ethics/index.html\">Ethics</a>"));
    let about = site.out("about/index.html");
    assert!(
        about.contains("href=\"../about/index.html\" aria-current=\"page\">About us</a>"),
        "{about}"
    );
    assert!(!about.contains("aria-current=\"page\">Ethics"));
    // The 404 page is served from any folder: its links carry the base path.
    let not_found = site.out("404.html");
    assert!(
        not_found.contains("href=\"/about/index.html\">About us</a>"),
        "{not_found}"
    );
}

#[test]
fn pages_are_in_the_sitemap_but_not_in_the_feed_or_lists() {
    let site = site();
    site.build_checked();
    let sitemap = site.out("sitemap.xml");
    assert!(
        sitemap.contains("<loc>http://127.0.0.1:1111/about/</loc>"),
        "{sitemap}"
    );
    assert!(sitemap.contains("/press/</loc>"), "{sitemap}");
    let feed = site.out("feed.xml");
    assert!(
        !feed.contains("About us") && !feed.contains("/about/"),
        "{feed}"
    );
    let archive = site.out("articles/index.html");
    let main = &archive[archive.find("<main").unwrap()..archive.find("</main>").unwrap()];
    assert!(!main.contains("About us"), "{main}");
    assert!(!site
        .out("timeline/index.html")
        .contains("about/index.html\">About us</a></h"));
}

#[test]
fn draft_pages_are_left_out_unless_asked_for() {
    let site = site();
    site.write(
        "content/pages/policies/corrections.md",
        "+++\ntitle = \"Corrections policy\"\nmenu = \"footer\"\ndraft = true\n+++\n\nWe correct errors.\n",
    );
    site.build_checked();
    assert!(!site.root().join("public/corrections").exists());
    assert!(!site.out("index.html").contains(">Corrections policy<"));
    let drafts = site.root().join("drafts");
    let out = site.run(&["build", "--drafts", "--output", drafts.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = std::fs::read_to_string(site.root().join("drafts/corrections/index.html")).unwrap();
    assert!(
        page.contains("<p class=\"status-badge\">Draft</p>"),
        "{page}"
    );
    let sitemap = std::fs::read_to_string(site.root().join("drafts/sitemap.xml")).unwrap();
    assert!(
        !sitemap.contains("/corrections/"),
        "drafts stay out of the sitemap: {sitemap}"
    );
}

#[test]
fn a_page_slug_that_names_a_site_folder_is_an_error() {
    for (file, text, at) in [
        (
            "content/pages/articles.md",
            "+++\ntitle = \"Articles\"\n+++\n\nx\n",
            "content/pages/articles.md:1:1",
        ),
        (
            "content/pages/find.md",
            "+++\ntitle = \"Find\"\nslug = \"search\"\n+++\n\nx\n",
            "content/pages/find.md:3:9",
        ),
        (
            "content/pages/timeline.md",
            "+++\ntitle = \"T\"\n+++\n\nx\n",
            "content/pages/timeline.md:1:1",
        ),
    ] {
        let site = Site::new(&[ARTICLE, NIGER, (file, text)]);
        let out = site.build();
        assert_eq!(out.status.code(), Some(1), "{file}");
        let err = stderr(&out);
        assert!(err.contains(at), "{err}");
        assert!(
            err.contains("is taken: the site publishes its own"),
            "{err}"
        );
        assert!(!site.root().join("public").exists());
    }
}

#[test]
fn two_pages_with_one_slug_are_an_error() {
    let site = Site::new(&[
        ARTICLE,
        NIGER,
        ABOUT,
        (
            "content/pages/team/about.md",
            "+++\ntitle = \"Team\"\n+++\n\nx\n",
        ),
    ]);
    let out = site.build();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("duplicate slug \"about\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bad_menu_values_are_located_errors() {
    let site = Site::new(&[
        ARTICLE,
        (
            "content/pages/about.md",
            "+++\ntitle = \"About\"\nmenu = \"sidebar\"\nmenu_order = \"first\"\n+++\n\nx\n",
        ),
    ]);
    let out = site.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("content/pages/about.md:3:"), "{err}");
    assert!(
        err.contains("header"),
        "the message names the places: {err}"
    );
    assert!(err.contains("content/pages/about.md:4:"), "{err}");
}

#[test]
fn site_icons_are_linked_from_every_page_when_present() {
    let site = site();
    site.build_checked();
    assert!(!site.out("index.html").contains("rel=\"icon\""));
    site.write(
        "static/favicon.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.write_bytes("static/apple-touch-icon.png", b"\x89PNG\r\n\x1a\n");
    site.build_checked();
    let front = site.out("index.html");
    assert!(
        front.contains("<link rel=\"icon\" href=\"favicon.svg\" type=\"image/svg+xml\">"),
        "{front}"
    );
    assert!(front.contains("<link rel=\"apple-touch-icon\" href=\"apple-touch-icon.png\""));
    assert!(!front.contains("favicon.ico"));
    let about = site.out("about/index.html");
    assert!(
        about.contains("<link rel=\"icon\" href=\"../favicon.svg\""),
        "{about}"
    );
    assert!(site
        .out("articles/a/index.html")
        .contains("<link rel=\"icon\" href=\"../../favicon.svg\""));
    assert!(site
        .out("404.html")
        .contains("<link rel=\"icon\" href=\"/favicon.svg\""));
    assert!(site.root().join("public/favicon.svg").is_file());
}

#[test]
fn init_ships_a_default_icon() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .arg("init")
        .arg(dir.path().join("s"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let icon = std::fs::read_to_string(dir.path().join("s/static/favicon.svg")).unwrap();
    assert!(icon.starts_with("<svg"), "{icon}");
    let out = bin()
        .args(["build", "--root"])
        .arg(dir.path().join("s"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let front = std::fs::read_to_string(dir.path().join("s/public/index.html")).unwrap();
    assert!(front.contains("href=\"favicon.svg\""), "{front}");
}
