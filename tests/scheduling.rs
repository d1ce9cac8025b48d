//! Scheduled publishing and drafts: articles dated in the future are held
//! back unless `--future`; drafts and scheduled pages built on request
//! carry a badge and stay out of the feed and the sitemap.

use crate::support;

use support::*;

const PAST: (&str, &str) = (
    "content/articles/past.md",
    "+++\ntitle = \"Past story\"\ndate = 2023-10-10\n+++\n\nAlready out.\n",
);
const SOON: (&str, &str) = (
    "content/articles/soon.md",
    "+++\ntitle = \"Soon story\"\ndate = 2999-01-02T08:00:00+01:00\n+++\n\nEmbargoed.\n",
);
const LATER: (&str, &str) = (
    "content/articles/later.md",
    "+++\ntitle = \"Later story\"\ndate = 3000-05-01\n+++\n\nEmbargoed too.\n",
);
const DRAFT_NOTE: (&str, &str) = (
    "content/notes/wip.md",
    "+++\ntitle = \"Work in progress\"\ndraft = true\n+++\n\nNot yet.\n",
);
const DRAFT_ACTOR: (&str, &str) = (
    "content/actors/wip.md",
    "+++\nname = \"Unnamed Person\"\ndraft = true\n+++\n\nNot yet.\n",
);
const DRAFT_ARTICLE: (&str, &str) = (
    "content/articles/draft.md",
    "+++\ntitle = \"Draft story\"\ndate = 2023-10-09\ndraft = true\n+++\n\nNot yet.\n",
);

fn site() -> Site {
    Site::new(&[PAST, SOON, LATER, DRAFT_NOTE, DRAFT_ACTOR, DRAFT_ARTICLE])
}

#[test]
fn future_articles_are_held_back_and_the_build_says_until_when() {
    let site = site();
    let out = site.build_checked();
    let err = stderr(&out);
    assert!(
        err.contains(
            "2 articles dated in the future held back; the next is due 2999-01-02T08:00:00+01:00 \
             (build with --future to include them)"
        ),
        "{err}"
    );
    assert!(err.contains("(1 article, 0 explainers, 0 actors)"), "{err}");
    assert!(!site.root().join("public/articles/soon").exists());
    assert!(!site.root().join("public/articles/later").exists());
    let front = site.out("index.html");
    assert!(front.contains("Past story") && !front.contains("Soon story"));
    assert!(!site.out("feed.xml").contains("Soon story"));
    assert!(!site.out("sitemap.xml").contains("/soon/"));
}

#[test]
fn an_unchanged_site_with_scheduled_articles_is_still_rebuilt() {
    // The clock, not the sources, publishes a scheduled article: the
    // build must not skip its work because no file changed.
    let site = site();
    site.build_ok();
    let out = site.build_ok();
    assert!(stderr(&out).contains("held back"), "{}", stderr(&out));
}

#[test]
fn a_translations_held_back_articles_are_counted_and_keep_the_site_rebuilding() {
    let site = Site::new(&[
        ("site.toml", "title = \"T\"\nlanguages = [\"en\", \"fr\"]\n"),
        PAST,
        (
            "content/articles/past.fr.md",
            "+++\ntitle = \"Déjà paru\"\ndate = 2023-10-10\n+++\n\nDéjà.\n",
        ),
        SOON,
        LATER,
        (
            "content/articles/later.fr.md",
            "+++\ntitle = \"Plus tard\"\ndate = 2999-01-01\n+++\n\nSous embargo.\n",
        ),
    ]);
    // English holds back two; French its own one (not again the English
    // one it has no translation of), and that one is due first.
    let expected = "3 articles dated in the future held back; the next is due 2999-01-01";
    let out = site.build_checked();
    assert!(stderr(&out).contains(expected), "{}", stderr(&out));
    assert!(!site.exists("fr/articles/later/index.html"));
    assert!(site.exists("fr/articles/past/index.html"));
    // Only the French tree holds one back in this site: an unchanged
    // rebuild still runs, so the clock can publish it.
    site.remove("content/articles/soon.md");
    site.remove("content/articles/later.md");
    site.write(
        "content/articles/later.md",
        "+++\ntitle = \"Later story\"\ndate = 2023-10-11\n+++\n\nOut.\n",
    );
    site.build_ok();
    let out = site.build_ok();
    assert!(
        stderr(&out)
            .contains("1 article dated in the future held back; the next is due 2999-01-01"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn under_future_and_drafts_pages_are_badged_and_kept_out_of_feed_and_sitemap() {
    let site = site();
    let out = site.run(&["build", "--future", "--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("held back"), "{}", stderr(&out));
    assert_site_integrity(&site.root().join("public"));
    let soon = site.out("articles/soon/index.html");
    assert!(
        soon.contains("<p class=\"status-badge\">Scheduled</p>"),
        "{soon}"
    );
    let draft = site.out("articles/draft/index.html");
    assert!(
        draft.contains("<p class=\"status-badge\">Draft</p>"),
        "{draft}"
    );
    let past = site.out("articles/past/index.html");
    assert!(!past.contains("status-badge"), "{past}");
    assert!(site
        .out("explainers/wip/index.html")
        .contains("<p class=\"status-badge\">Draft</p>"));
    assert!(site
        .out("actors/wip/index.html")
        .contains("<p class=\"status-badge\">Draft</p>"));
    let feed = site.out("feed.xml");
    assert!(feed.contains("Past story"), "{feed}");
    // The feed's and the sitemap's dates are those of the public articles.
    assert!(
        feed.contains("<updated>2023-10-10T00:00:00Z</updated>"),
        "{feed}"
    );
    assert!(!feed.contains("2999") && !feed.contains("3000-"), "{feed}");
    for hidden in ["Soon story", "Later story", "Draft story"] {
        assert!(!feed.contains(hidden), "{hidden} in the feed");
    }
    let sitemap = site.out("sitemap.xml");
    assert!(sitemap.contains("/articles/past/"), "{sitemap}");
    assert!(
        !sitemap.contains("2999") && !sitemap.contains("3000-"),
        "{sitemap}"
    );
    for hidden in [
        "/articles/soon/",
        "/articles/later/",
        "/articles/draft/",
        "/explainers/wip/",
        "/actors/wip/",
    ] {
        assert!(!sitemap.contains(hidden), "{hidden} in the sitemap");
    }
}

#[test]
fn referring_to_a_held_back_article_says_so() {
    let site = Site::new(&[
        PAST,
        SOON,
        (
            "content/notes/n.md",
            "+++\ntitle = \"N\"\n+++\n\nSee [[soon]].\n",
        ),
    ]);
    let out = site.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(
            "content/notes/n.md:5:5: broken wikilink: article \"soon\" is dated in the future"
        ),
        "{err}"
    );
    assert!(err.contains("--future"), "{err}");
    // With --future the link resolves.
    let out = site.run(&["build", "--future"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn check_says_what_is_held_back_as_build_does() {
    let site = site();
    let out = site.run(&["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("ok: "), "{err}");
    assert!(
        err.contains(
            "2 articles dated in the future held back; the next is due 2999-01-02T08:00:00+01:00 \
             (build with --future to include them)"
        ),
        "{err}"
    );
    // With --future nothing is held back, and nothing is said.
    let out = site.run(&["check", "--future"]);
    assert!(!stderr(&out).contains("held back"), "{}", stderr(&out));
    // Quiet prints errors only.
    let out = site.run(&["-q", "check"]);
    assert_eq!(stderr(&out), "");
    assert!(!site.exists("index.html"), "check writes nothing");
}

#[test]
fn check_and_serve_accept_future() {
    let site = site();
    let out = site.run(&["check", "--future"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = bin().args(["serve", "--help"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("--future"));
}
