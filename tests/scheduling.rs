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
    // The safe action comes first; the flag is named as what it is, a
    // preview of every scheduled article, not a way to publish this one.
    assert!(
        err.contains(
            "= help: it is published on its date: take the link out until then; \
             --future is for previews: it publishes every scheduled article"
        ),
        "{err}"
    );
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

/// The `<li>` around the first occurrence of `text` in `html`.
fn item_of<'a>(html: &'a str, text: &str) -> &'a str {
    let at = html
        .find(text)
        .unwrap_or_else(|| panic!("{text} not in {html}"));
    let start = html[..at].rfind("<li").expect("an item around it");
    let end = at + html[at..].find("</li>").expect("the item closes");
    &html[start..end]
}

/// A site whose draft and scheduled stories are in every kind of list: a
/// topic, an actor's "Appears in", an explainer's "Cited by", the
/// timeline; and a draft explainer, on the explainers index and with its
/// timeline entry on the timeline.
fn listed_site() -> Site {
    let story = |title: &str, date: &str, draft: bool| {
        format!(
            "+++\ntitle = \"{title}\"\ndate = {date}\ntopics = [\"Port\"]\nactors = [\"port-authority\"]\nbackground = [\"harbour\"]\n{}+++\n\nText.\n",
            if draft { "draft = true\n" } else { "" }
        )
    };
    Site::new(&[
        ("content/articles/past.md", &story("Past story", "2023-10-10", false)),
        ("content/articles/draft.md", &story("Draft story", "2023-10-09", true)),
        ("content/articles/soon.md", &story("Soon story", "2999-01-02", false)),
        ("content/articles/older.md", &story("Older story", "2023-10-01", false)),
        (
            "content/actors/port-authority.md",
            "+++\nname = \"Port Authority\"\nkind = \"organization\"\n+++\n\nRuns the port.\n",
        ),
        (
            "content/notes/harbour.md",
            "+++\ntitle = \"The harbour\"\n+++\n\nBackground.\n",
        ),
        (
            "content/notes/wip.md",
            "+++\ntitle = \"Work in progress\"\ndraft = true\n\n[[timeline]]\ndate = \"2023-07-26\"\ntext = \"Quay closed.\"\n+++\n\nNot yet.\n",
        ),
    ])
}

#[test]
fn every_list_badges_the_draft_and_scheduled_stories_it_links() {
    let site = listed_site();
    let out = site.run(&["build", "--future", "--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_site_integrity(&site.root().join("public"));
    let draft = "<span class=\"status-badge\">Draft</span>";
    let scheduled = "<span class=\"status-badge\">Scheduled</span>";
    // The front page: the lead (the scheduled story, the newest) and the
    // latest stories.
    let front = site.out("index.html");
    let lead = &front[front.find("<section class=\"lead\"").unwrap()..];
    let lead = &lead[..lead.find("</section>").unwrap()];
    assert!(
        lead.contains("Soon story") && lead.contains(scheduled),
        "{lead}"
    );
    assert!(item_of(&front, ">Draft story<").contains(draft), "{front}");
    assert!(!item_of(&front, ">Past story<").contains("status-badge"));
    // The archive, a topic, an actor's "Appears in" and an explainer's
    // "Cited by".
    for page in [
        "articles/index.html",
        "topics/port/index.html",
        "actors/port-authority/index.html",
        "explainers/harbour/index.html",
    ] {
        let html = site.out(page);
        let item = item_of(&html, ">Draft story<");
        assert!(
            item.contains(draft) && !item.contains(scheduled),
            "{page}: {item}"
        );
        let item = item_of(&html, ">Soon story<");
        assert!(
            item.contains(scheduled) && !item.contains(draft),
            "{page}: {item}"
        );
        for public in [">Past story<", ">Older story<"] {
            let item = item_of(&html, public);
            assert!(!item.contains("status-badge"), "{page}: {item}");
        }
        // The badge is text inside the item, before the link: read aloud
        // and shown without colour.
        let item = item_of(&html, ">Draft story<");
        assert!(
            item.find(draft) < item.find("class=\"story-title\""),
            "{item}"
        );
    }
    // The timeline: the entries of the stories, and of the draft
    // explainer.
    let years: Vec<String> = [
        "timeline/index.html",
        "timeline/2023/index.html",
        "timeline/2999/index.html",
    ]
    .iter()
    .filter(|p| site.exists(p))
    .map(|p| site.out(p))
    .collect();
    let find = |text: &str| -> String {
        let page = years
            .iter()
            .find(|h| h.contains(text))
            .unwrap_or_else(|| panic!("{text} on no timeline page"));
        item_of(page, text).to_string()
    };
    assert!(
        find(">Draft story<").contains(draft),
        "{}",
        find(">Draft story<")
    );
    assert!(find(">Soon story<").contains(scheduled));
    assert!(
        find("Quay closed.").contains(draft),
        "{}",
        find("Quay closed.")
    );
    assert!(!find(">Past story<").contains("status-badge"));
    // A draft explainer's card, on the explainers index and the front
    // page.
    for page in ["explainers/index.html", "index.html"] {
        let html = site.out(page);
        let item = item_of(&html, ">Work in progress<");
        assert!(item.contains(draft), "{page}: {item}");
        assert!(
            !item_of(&html, ">The harbour<").contains("status-badge"),
            "{page}"
        );
    }
    // The same site built for the public shows no badge at all.
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for page in [
        "index.html",
        "articles/index.html",
        "topics/port/index.html",
        "actors/port-authority/index.html",
        "explainers/harbour/index.html",
        "explainers/index.html",
        "timeline/index.html",
    ] {
        assert!(!site.out(page).contains("status-badge"), "{page}");
    }
}

#[test]
fn a_day_alone_is_due_at_midnight_of_the_build_machine_s_calendar() {
    // A date without a time is held back until its day begins where the
    // build runs: the time given is that midnight, with the offset of the
    // machine's time zone then, not midnight UTC (already past in the
    // Americas when the day begins there).
    let site = Site::new(&[PAST, LATER]);
    // POSIX zone rules, which need no time zone database on the machine.
    for (zone, due) in [
        ("EST5", "3000-05-01T00:00:00-05:00"),
        ("JST-9", "3000-05-01T00:00:00+09:00"),
        ("UTC0", "3000-05-01T00:00:00+00:00"),
    ] {
        let out = support::bin()
            .env("TZ", zone)
            .args(["build", "--root"])
            .arg(site.root())
            .output()
            .unwrap();
        let err = stderr(&out);
        assert!(out.status.success(), "{zone}: {err}");
        assert!(
            err.contains(&format!(
                "1 article dated in the future held back; the next is due {due} "
            )),
            "{zone}: {err}"
        );
    }
}

#[test]
fn a_build_that_publishes_drafts_or_scheduled_articles_into_the_site_output_warns() {
    let site = site();
    // Three drafts (article, note, actor) and two scheduled articles.
    let out = site.run(&["build", "--drafts", "--future"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let warning = "warning: this build published 3 drafts and 2 articles dated in the future \
                   into ";
    let production = "; a production build leaves out --drafts and --future";
    let err = stderr(&out);
    assert!(err.contains(warning) && err.contains(production), "{err}");
    assert!(
        err.contains(&format!("public{production}")),
        "names the folder: {err}"
    );
    // A second build with nothing changed still says so.
    let out = site.run(&["build", "--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("warning: this build published 3 drafts into"),
        "{}",
        stderr(&out)
    );
    let out = site.run(&["build", "--drafts"]);
    assert!(
        stderr(&out).contains("warning: this build published 3 drafts into"),
        "{}",
        stderr(&out)
    );
    // A production build publishes none, and says how many it left out.
    let out = site.build_ok();
    assert!(!stderr(&out).contains("published"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("\n3 drafts left out (build with --drafts to include them)\n"),
        "{}",
        stderr(&out)
    );
    // Naming the site's own output folder with -o is no way around it,
    // and a folder elsewhere is named, for the writer to judge.
    let public = site.root().join("public");
    let out = site.run(&["build", "--drafts", "-o", public.to_str().unwrap()]);
    assert!(
        stderr(&out).contains("warning: this build published 3 drafts into"),
        "{}",
        stderr(&out)
    );
    let preview = site.root().join("preview");
    let out = site.run(&["build", "--drafts", "--output", preview.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("preview; a production build"),
        "{}",
        stderr(&out)
    );
}
