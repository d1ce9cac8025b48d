//! Held-back pages (drafts; articles dated in the future) are left out of
//! the site, but not out of the checks: `check` fails on their problems,
//! found as the site will be once they are published, and `build` warns of
//! them. Built for preview, they carry `noindex` and their badges.
//!
//! The bad sites are under `tests/fixtures/held-back/<case>/`; line and
//! column numbers were counted by hand from those files.

use crate::support;

use std::path::Path;
use std::process::Output;
use support::*;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/held-back");

/// A copy of a fixture site in a temporary folder.
fn fixture(name: &str) -> Site {
    let from = Path::new(FIXTURES).join(name);
    let site = Site::new(&[]);
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(&from).unwrap();
            site.write_bytes(
                relative.to_str().unwrap(),
                &std::fs::read(entry.path()).unwrap(),
            );
        }
    }
    site
}

/// Runs the binary in the site's folder with `--root .`, so the paths of
/// its messages are relative to the site, on a UTC calendar, so a day
/// alone is due at `T00:00:00+00:00`.
fn run_in(site: &Site, args: &[&str]) -> Output {
    bin()
        .current_dir(site.root())
        .env("TZ", "UTC0")
        .args(args)
        .args(["--root", "."])
        .output()
        .expect("binary runs")
}

/// The report in `err` that starts with `start` at the beginning of a
/// line, up to the blank line that ends it.
fn block<'a>(err: &'a str, start: &str) -> &'a str {
    let at = err
        .match_indices(start)
        .map(|(i, _)| i)
        .find(|&i| i == 0 || err[..i].ends_with('\n'))
        .unwrap_or_else(|| panic!("no report starting with {start:?} in:\n{err}"));
    let rest = &err[at..];
    &rest[..rest.find("\n\n").unwrap_or(rest.len())]
}

#[test]
fn check_fails_on_a_scheduled_articles_problem_and_build_warns_of_it() {
    let site = fixture("scheduled-unknown-actor");
    let check = run_in(&site, &["check"]);
    let err = stderr(&check);
    assert_eq!(check.status.code(), Some(1), "{err}");
    let report = block(
        &err,
        "content/articles/last-convoy.md:4:12: unknown actor \"emanuel-macron\"",
    );
    assert!(
        report.contains("4 | actors = [\"emanuel-macron\"]")
            && report.contains("  |            ^^^^^^^^^^^^^^"),
        "{report}"
    );
    assert!(
        report.contains("= help: did you mean \"emmanuel-macron\"?"),
        "{report}"
    );
    assert!(
        report.contains(
            "= note: this article is scheduled for 2999-12-22T09:00:00+01:00, left out of the site until it is published"
        ),
        "{report}"
    );
    assert!(
        err.contains("error: 1 problem found in held-back pages; the site builds without them"),
        "{err}"
    );

    // Built with --future, the article is part of the site: the same
    // error, as an error of the site, without the note.
    let future = run_in(&site, &["check", "--future"]);
    let err = stderr(&future);
    assert_eq!(future.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/articles/last-convoy.md:4:12: unknown actor")
            && !err.contains("= note:"),
        "{err}"
    );

    // The build publishes the site without the article, and says why the
    // scheduled build of its day would fail.
    let build = run_in(&site, &["build"]);
    let err = stderr(&build);
    assert_eq!(build.status.code(), Some(0), "{err}");
    let warning = block(
        &err,
        "warning: content/articles/last-convoy.md:4:12: unknown actor \"emanuel-macron\"",
    );
    assert!(warning.contains("scheduled for 2999-12-22"), "{warning}");
    assert!(
        err.contains("warning: 1 problem in held-back pages (drafts, scheduled articles)"),
        "{err}"
    );
    assert!(site.exists("articles/withdrawal/index.html"));
    assert!(!site.exists("articles/last-convoy/index.html"));
}

#[test]
fn check_fails_on_a_drafts_broken_wikilink_while_held_back_pages_may_link_each_other() {
    // Two draft notes link each other: both resolve on the site as it
    // will be. A link to no page at all is a problem; so is a scheduled
    // article's link to a draft, since the article is published on its
    // date whether or not the draft is.
    let site = fixture("draft-broken-wikilink");
    let check = run_in(&site, &["check"]);
    let err = stderr(&check);
    assert_eq!(check.status.code(), Some(1), "{err}");
    let report = block(
        &err,
        "content/notes/sahel.md:6:20: broken wikilink: no page \"july-2023-cop\"",
    );
    assert!(
        report.contains("= note: this page is a draft, left out of the site until it is published"),
        "{report}"
    );
    let scheduled = block(
        &err,
        "content/articles/last-convoy.md:6:13: broken wikilink: note \"sahel\" is a draft",
    );
    assert!(
        scheduled.contains(
            "= note: this article is scheduled for 2999-12-22T00:00:00+00:00, and is published then without the drafts and the articles scheduled after it"
        ),
        "{scheduled}"
    );
    // Building with --drafts would publish every draft: the hint is to
    // publish this one in time.
    assert!(
        scheduled
            .contains("= help: publish it before this article's date, or take the reference out")
            && !scheduled.contains("--drafts"),
        "{scheduled}"
    );
    assert!(
        err.contains("error: 2 problems found in held-back pages; the site builds without them"),
        "{err}"
    );
    // Built with the drafts, the article's link is fine.
    let drafts = run_in(&site, &["check", "--drafts"]);
    assert!(
        !stderr(&drafts).contains("last-convoy.md"),
        "{}",
        stderr(&drafts)
    );

    let build = run_in(&site, &["build"]);
    let err = stderr(&build);
    assert_eq!(build.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning: content/notes/sahel.md:6:20: broken wikilink"),
        "{err}"
    );
    // Built again with no source changed, it still says so.
    let again = run_in(&site, &["build"]);
    assert!(
        stderr(&again).contains("warning: content/notes/sahel.md:6:20: broken wikilink"),
        "{}",
        stderr(&again)
    );

    // Fixed, nothing held back is a problem: no error, no warning.
    site.write(
        "content/notes/sahel.md",
        "+++\ntitle = \"France in the Sahel\"\ndraft = true\n+++\n\nSee [[ecowas]].\n",
    );
    site.write(
        "content/articles/last-convoy.md",
        "+++\ntitle = \"The last convoy leaves Niger\"\ndate = 2999-12-22\n+++\n\nBackground to come.\n",
    );
    let check = run_in(&site, &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    let build = run_in(&site, &["build"]);
    assert_eq!(build.status.code(), Some(0), "{}", stderr(&build));
    assert!(!stderr(&build).contains("warning: "), "{}", stderr(&build));
}

#[test]
fn a_scheduled_articles_link_to_an_article_scheduled_later_is_an_error_of_check() {
    // first-step goes live on 1 December and links last-convoy, which
    // goes live on the 22nd: the build of the 1st would fail. Articles
    // published on the same day, or linking back to an earlier one, are
    // fine.
    let site = fixture("scheduled-links-later");
    let check = run_in(&site, &["check"]);
    let err = stderr(&check);
    assert_eq!(check.status.code(), Some(1), "{err}");
    let report = block(
        &err,
        "content/articles/first-step.md:6:43: broken wikilink: article \"last-convoy\" is dated in the future",
    );
    assert!(
        report.contains(
            "= note: this article is scheduled for 2999-12-01T00:00:00+00:00, and is published then without the articles scheduled after it"
        ),
        "{report}"
    );
    assert!(
        report.contains(
            "= help: date that article before this one, or link to it once it is published"
        ),
        "{report}"
    );
    assert!(
        err.contains("error: 1 problem found in held-back pages; the site builds without them"),
        "{err}"
    );

    // The build of today warns of the day it would fail.
    let build = run_in(&site, &["build"]);
    let err = stderr(&build);
    assert_eq!(build.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning: content/articles/first-step.md:6:43: broken wikilink"),
        "{err}"
    );

    // Dated at noon on the convoy's day, the announcement is fine, but
    // the convoy's article, live from midnight, now links ahead.
    site.write(
        "content/articles/first-step.md",
        "+++\ntitle = \"France names the date of the last convoy\"\ndate = 2999-12-22T12:00:00Z\n+++\n\nThe last troops leave today: see [[last-convoy]].\n",
    );
    let err = stderr(&run_in(&site, &["check"]));
    block(
        &err,
        "content/articles/last-convoy.md:6:19: broken wikilink: article \"first-step\" is dated in the future",
    );
    assert!(!err.contains("first-step.md:"), "{err}");

    // Both on the same day, every build from now on succeeds.
    site.write(
        "content/articles/first-step.md",
        "+++\ntitle = \"France names the date of the last convoy\"\ndate = 2999-12-22\n+++\n\nThe last troops leave today: see [[last-convoy]].\n",
    );
    let check = run_in(&site, &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));

    // Dated by an instant an hour before the convoy's day begins (on
    // this UTC calendar), it fails again, and the note gives that instant.
    site.write(
        "content/articles/first-step.md",
        "+++\ntitle = \"France names the date of the last convoy\"\ndate = 2999-12-21T22:30:00-01:00\n+++\n\nSee [[last-convoy]].\n",
    );
    let err = stderr(&run_in(&site, &["check"]));
    let report = block(
        &err,
        "content/articles/first-step.md:6:5: broken wikilink: article \"last-convoy\"",
    );
    assert!(
        report.contains(
            "= note: this article is scheduled for 2999-12-21T22:30:00-01:00, and is published then"
        ),
        "{report}"
    );

    // Checked with --future, every scheduled article is in: no problem.
    let future = run_in(&site, &["check", "--future"]);
    assert_eq!(future.status.code(), Some(0), "{}", stderr(&future));
}

#[test]
fn a_published_alias_on_a_held_back_pages_url_is_an_error_of_check() {
    let site = fixture("alias-on-scheduled");
    let check = run_in(&site, &["check"]);
    let err = stderr(&check);
    assert_eq!(check.status.code(), Some(1), "{err}");
    let scheduled = block(
        &err,
        "content/articles/withdrawal.md:4:13: alias \"articles/last-convoy\" is the URL of the article content/articles/last-convoy.md",
    );
    assert!(
        scheduled.contains(
            "= note: content/articles/last-convoy.md is held back (scheduled for 2999-12-22T00:00:00+00:00)"
        ),
        "{scheduled}"
    );
    let draft = block(
        &err,
        "content/pages/about.md:3:13: alias \"corrections\" is the URL of the page content/pages/corrections.md",
    );
    assert!(
        draft.contains("= note: content/pages/corrections.md is held back (draft)"),
        "{draft}"
    );
    assert!(
        err.contains("error: 2 problems found in held-back pages; the site builds without them"),
        "{err}"
    );

    // With a problem of the published site too, the site would not build.
    site.write(
        "content/articles/other.md",
        "+++\ntitle = \"Other\"\ndate = 2023-10-11\n+++\n\nSee [[nowhere]].\n",
    );
    let err = stderr(&run_in(&site, &["check"]));
    assert!(
        err.contains("error: 3 problems found (2 in held-back pages); the site would not build"),
        "{err}"
    );
    // The build fails on the published page's error, and still warns of
    // the held-back pages' problems, after its errors.
    let build = run_in(&site, &["build"]);
    let err = stderr(&build);
    assert_eq!(build.status.code(), Some(1), "{err}");
    let error = err
        .find("content/articles/other.md:6:5: broken wikilink")
        .unwrap_or_else(|| panic!("{err}"));
    let warning = err
        .find("warning: content/articles/withdrawal.md:4:13: alias \"articles/last-convoy\"")
        .unwrap_or_else(|| panic!("{err}"));
    assert!(error < warning, "{err}");
    assert!(
        err.contains("warning: 2 problems in held-back pages")
            && err
                .trim_end()
                .ends_with("error: 1 problem found; nothing was written"),
        "{err}"
    );
    site.remove("content/articles/other.md");

    // The build warns and publishes; the redirects are written for now.
    let build = run_in(&site, &["build"]);
    let err = stderr(&build);
    assert_eq!(build.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning: 2 problems in held-back pages"),
        "{err}"
    );
}

#[test]
fn the_published_sites_problems_are_reported_as_before_and_once() {
    // A link from a published article to a draft is an error only
    // without the draft; an unknown actor of a published article is an
    // error in both views, reported once, without a note.
    let site = fixture("published-problems");
    let check = run_in(&site, &["check"]);
    let err = stderr(&check);
    assert_eq!(check.status.code(), Some(1), "{err}");
    block(
        &err,
        "content/articles/withdrawal.md:4:12: unknown actor \"emanuel-macron\"",
    );
    block(
        &err,
        "content/articles/withdrawal.md:7:5: broken wikilink: note \"sahel\" is a draft",
    );
    assert!(err.contains("error: 2 problems found"), "{err}");
    assert!(!err.contains("= note:"), "{err}");
}

#[test]
fn a_draft_author_profile_has_the_draft_badge_in_the_authors_index() {
    let site = Site::new(&[
        (
            "content/authors/ann-writer.md",
            "+++\nname = \"Ann Writer\"\ndraft = true\n+++\n\nBio.\n",
        ),
        (
            "content/authors/bob-reporter.md",
            "+++\nname = \"Bob Reporter\"\n+++\n\nBio.\n",
        ),
        (
            "content/articles/story.md",
            "+++\ntitle = \"Story\"\ndate = 2023-10-10\nauthors = [\"bob-reporter\"]\n+++\n\nText.\n",
        ),
    ]);
    let out = site.run(&["build", "--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let index = site.out("authors/index.html");
    let card = |name: &str| {
        index
            .split("<li ")
            .find(|item| item.contains(&format!(">{name}</a>")))
            .unwrap_or_else(|| panic!("no card for {name}:\n{index}"))
            .to_string()
    };
    assert!(
        card("Ann Writer").contains("<span class=\"status-badge\">Draft</span>"),
        "{}",
        card("Ann Writer")
    );
    assert!(!card("Bob Reporter").contains("status-badge"));

    // In the site's language, like every other badge.
    site.write("site.toml", "title = \"T\"\nlanguage = \"fr\"\n");
    let out = site.run(&["build", "--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site
        .out("authors/index.html")
        .contains("<span class=\"status-badge\">Brouillon</span>"));
}

#[test]
fn a_draft_actor_profile_has_the_draft_badge_in_the_actors_index_and_on_its_cards() {
    let site = Site::new(&[
        (
            "content/actors/ann-envoy.md",
            "+++\nname = \"Ann Envoy\"\nkind = \"person\"\ndraft = true\n+++\n\nBio.\n",
        ),
        (
            "content/actors/niger.md",
            "+++\nname = \"Niger\"\nkind = \"country\"\n+++\n\nA country.\n",
        ),
        (
            "content/articles/story.md",
            "+++\ntitle = \"Story\"\ndate = 2023-10-10\nactors = [\"niger\", \"ann-envoy\"]\ndraft = true\n+++\n\nText.\n",
        ),
    ]);
    let out = site.run(&["build", "--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let card = |page: &str, name: &str| {
        let html = site.out(page);
        html.split("<li ")
            .find(|item| item.contains(&format!(">{name}</a>")))
            .unwrap_or_else(|| panic!("no card for {name} in {page}:\n{html}"))
            .to_string()
    };
    for page in ["actors/index.html", "articles/story/index.html"] {
        let draft = card(page, "Ann Envoy");
        assert!(
            draft.contains("<span class=\"status-badge\">Draft</span>"),
            "{page}: {draft}"
        );
        assert!(!card(page, "Niger").contains("status-badge"), "{page}");
    }
}

#[test]
fn draft_and_scheduled_pages_carry_noindex_and_published_pages_do_not() {
    const NOINDEX: &str = "<meta name=\"robots\" content=\"noindex\">";
    let site = Site::new(&[
        (
            "content/articles/out.md",
            "+++\ntitle = \"Out\"\ndate = 2023-10-10\n+++\n\nText.\n",
        ),
        (
            "content/articles/draft.md",
            "+++\ntitle = \"Draft\"\ndate = 2023-10-09\ndraft = true\n+++\n\nText.\n",
        ),
        (
            "content/articles/soon.md",
            "+++\ntitle = \"Soon\"\ndate = 2999-01-02\n+++\n\nText.\n",
        ),
        (
            "content/notes/wip.md",
            "+++\ntitle = \"Wip\"\ndraft = true\n+++\n\nText.\n",
        ),
        (
            "content/notes/done.md",
            "+++\ntitle = \"Done\"\n+++\n\nText.\n",
        ),
        (
            "content/actors/someone.md",
            "+++\nname = \"Some One\"\ndraft = true\n+++\n\nText.\n",
        ),
        (
            "content/actors/known.md",
            "+++\nname = \"Known Person\"\n+++\n\nText.\n",
        ),
        (
            "content/authors/ann.md",
            "+++\nname = \"Ann Writer\"\ndraft = true\n+++\n\nBio.\n",
        ),
        (
            "content/authors/bob.md",
            "+++\nname = \"Bob Reporter\"\n+++\n\nBio.\n",
        ),
        (
            "content/pages/policy.md",
            "+++\ntitle = \"Policy\"\ndraft = true\n+++\n\nText.\n",
        ),
        (
            "content/pages/about.md",
            "+++\ntitle = \"About\"\n+++\n\nText.\n",
        ),
    ]);
    let out = site.run(&["build", "--drafts", "--future"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for held_back in [
        "articles/draft/index.html",
        "articles/soon/index.html",
        "explainers/wip/index.html",
        "actors/someone/index.html",
        "authors/ann/index.html",
        "policy/index.html",
    ] {
        let html = site.out(held_back);
        let head = &html[..html.find("</head>").unwrap()];
        assert!(head.contains(NOINDEX), "{held_back} has no noindex");
    }
    for published in [
        "articles/out/index.html",
        "explainers/done/index.html",
        "actors/known/index.html",
        "authors/bob/index.html",
        "about/index.html",
        "index.html",
        "articles/index.html",
    ] {
        assert!(
            !site.out(published).contains("noindex"),
            "{published} says noindex"
        );
    }

    // Published, the same pages are indexed.
    for (path, text) in [
        (
            "content/articles/draft.md",
            "+++\ntitle = \"Draft\"\ndate = 2023-10-09\n+++\n\nText.\n",
        ),
        (
            "content/notes/wip.md",
            "+++\ntitle = \"Wip\"\n+++\n\nText.\n",
        ),
    ] {
        site.write(path, text);
    }
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!site.out("articles/draft/index.html").contains("noindex"));
    assert!(!site.out("explainers/wip/index.html").contains("noindex"));
}
