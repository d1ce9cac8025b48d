//! The preview's incremental rebuilds must produce exactly what a fresh
//! full build produces, after every kind of edit.

use crate::support;

use std::path::{Path, PathBuf};

use explainer::session::{Rebuild, Session};
use explainer::BuildOptions;
use support::*;

/// Applies each edit (a file's new text, or `None` to delete it), rebuilds
/// incrementally, and compares the output with a fresh full build;
/// returns the folder built into.
fn check_edits(site: &Site, edits: &[(&str, Option<&str>)]) -> PathBuf {
    let root = site.root().to_path_buf();
    let mut session = Session::new(BuildOptions::new(&root)).unwrap();
    let out = session.output().to_path_buf();
    assert!(matches!(session.rebuild(), Rebuild::Built { .. }));
    // The preview builds the search index after the rebuild is served.
    session.update_search().unwrap();
    assert_eq!(snapshot(&out), full_build(&root));
    for (i, (path, text)) in edits.iter().enumerate() {
        let full = root.join(path);
        match text {
            Some(t) => site.write(path, t),
            None => std::fs::remove_file(&full).unwrap(),
        }
        match session.rebuild_changed(&[full]) {
            Rebuild::Built { .. } => {}
            other => panic!("edit {i}: {other:?}"),
        }
        session.update_search().unwrap();
        let expected = full_build(&root);
        let got = snapshot(&out);
        let differing: Vec<_> = expected
            .keys()
            .chain(got.keys())
            .filter(|k| expected.get(*k) != got.get(*k))
            .collect();
        assert!(
            differing.is_empty(),
            "edit {i} ({path}): incremental output differs in {differing:?}"
        );
        assert_site_integrity(&out);
    }
    out
}

fn full_build(root: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let mut options = BuildOptions::new(root);
    options.output = Some(out.path().join("site"));
    explainer::build(&options)
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    snapshot(&out.path().join("site"))
}

#[test]
fn every_edit_matches_a_full_build() {
    let site = Site::new(&[
        ("site.toml", "base_url = \"https://x.example/\"\n"),
        ("content/actors/macron.md", "+++\nname = \"Emmanuel Macron\"\nrole = \"President\"\naliases = [\"Macron\"]\n+++\nProfile.\n"),
        ("content/actors/itte.md", "+++\nname = \"Sylvain Itte\"\nrole = \"Ambassador\"\n+++\nDiplomat.\n"),
        ("content/notes/standoff.md", "+++\ntitle = \"The standoff\"\nactors = [\"itte\"]\n[[timeline]]\ndate = \"2023-08-25\"\ntext = \"Ultimatum for Sylvain Itte.\"\n+++\nBody.\n"),
        ("content/notes/coup.md", "+++\ntitle = \"The coup\"\nrelated = [\"standoff\"]\n+++\nBody.\n"),
        ("content/articles/one.md", "+++\ntitle = \"One\"\ndate = 2023-09-01\ntopics = [\"Niger\"]\nbackground = [\"standoff\"]\n+++\nMacron spoke.\n"),
        ("content/articles/two.md", "+++\ntitle = \"Two\"\ndate = 2023-09-02\ntopics = [\"Niger\", \"France\"]\n+++\nNothing.\n"),
    ]);
    let edits: &[(&str, Option<&str>)] = &[
        // A body edit that adds a mention.
        ("content/articles/two.md", Some("+++\ntitle = \"Two\"\ndate = 2023-09-02\ntopics = [\"Niger\", \"France\"]\n+++\nNow Sylvain Itte.\n")),
        // A title and date edit that reorders lists.
        ("content/articles/one.md", Some("+++\ntitle = \"One, renamed\"\ndate = 2023-09-05\ntopics = [\"Niger\"]\nbackground = [\"standoff\"]\n+++\nMacron spoke.\n")),
        // An actor's role, shown on every card of it.
        ("content/actors/itte.md", Some("+++\nname = \"Sylvain Itte\"\nrole = \"Former ambassador\"\n+++\nDiplomat.\n")),
        // A timeline event, shown on the actor, the article sidebar and the timeline.
        ("content/notes/standoff.md", Some("+++\ntitle = \"The standoff\"\nactors = [\"itte\"]\n[[timeline]]\ndate = \"2023-08-25\"\ntext = \"Ultimatum for Sylvain Itte and Macron.\"\n+++\nBody.\n")),
        // A topic dropped.
        ("content/articles/two.md", Some("+++\ntitle = \"Two\"\ndate = 2023-09-02\ntopics = [\"Niger\"]\n+++\nNow Sylvain Itte.\n")),
        // A new page, then a deleted one.
        ("content/articles/three.md", Some("+++\ntitle = \"Three\"\ndate = 2023-09-03\nactors = [\"macron\"]\n+++\nThree.\n")),
        ("content/notes/coup.md", None),
        // A summary-only edit.
        ("content/articles/three.md", Some("+++\ntitle = \"Three\"\ndate = 2023-09-03\nsummary = \"A dek.\"\nactors = [\"macron\"]\n+++\nThree.\n")),
        // The same instant in another offset: the shown time changes.
        ("content/articles/three.md", Some("+++\ntitle = \"Three\"\ndate = 2023-09-03T09:30:00+01:00\nsummary = \"A dek.\"\nactors = [\"macron\"]\n+++\nThree.\n")),
        ("content/articles/three.md", Some("+++\ntitle = \"Three\"\ndate = 2023-09-03T08:30:00+00:00\nsummary = \"A dek.\"\nactors = [\"macron\"]\n+++\nThree.\n")),
        // Sources, a correction and an author: only the article shows them.
        ("content/articles/three.md", Some("+++\ntitle = \"Three\"\ndate = 2023-09-03T08:30:00+00:00\nsummary = \"A dek.\"\nauthors = [\"A. Writer\"]\nactors = [\"macron\"]\n[[sources]]\nname = \"Reuters\"\nurl = \"https://www.reuters.com/\"\n[[corrections]]\ndate = 2023-09-04\ntext = \"An earlier version misspelled a name.\"\n+++\nThree.\n")),
        // A new alias: a body elsewhere now links the actor.
        ("content/actors/itte.md", Some("+++\nname = \"Sylvain Itte\"\nrole = \"Former ambassador\"\naliases = [\"Itte\"]\nlinks = [{ name = \"Wikipedia\", url = \"https://en.wikipedia.org/wiki/Sylvain_Itte\" }]\n+++\nDiplomat.\n")),
        ("content/articles/three.md", Some("+++\ntitle = \"Three\"\ndate = 2023-09-03\nactors = [\"macron\"]\n+++\nThree, with Itte.\n")),
        // A link to a heading by its text: the fragment follows the
        // heading's final id when only the linked page changes.
        ("content/notes/standoff.md", Some("+++\ntitle = \"The standoff\"\nactors = [\"itte\"]\n[[timeline]]\ndate = \"2023-08-25\"\ntext = \"Ultimatum for Sylvain Itte.\"\n+++\n## Xref cards\n\nBody.\n")),
        ("content/articles/three.md", Some("+++\ntitle = \"Three\"\ndate = 2023-09-03\nactors = [\"macron\"]\n+++\nThree, see [[standoff#Xref cards]].\n")),
        ("content/notes/standoff.md", Some("+++\ntitle = \"The standoff\"\nactors = [\"itte\"]\n[[timeline]]\ndate = \"2023-08-25\"\ntext = \"Ultimatum for Sylvain Itte.\"\n+++\n## Xref cards {#cards}\n\nBody.\n")),
        // Standalone pages: new in the header menu (on every page), retitled,
        // moved to the footer, reordered, a body edit, then deleted.
        ("content/pages/about.md", Some("+++\ntitle = \"About\"\nmenu = \"header\"\n+++\nWe cover [[three]].\n")),
        ("content/pages/about.md", Some("+++\ntitle = \"About us\"\nmenu = \"header\"\n+++\nWe cover [[three]].\n")),
        ("content/pages/ethics.md", Some("+++\ntitle = \"Ethics\"\nmenu = \"footer\"\nmenu_order = 2\n+++\nRules.\n")),
        ("content/pages/about.md", Some("+++\ntitle = \"About us\"\nmenu = \"footer\"\nmenu_order = 3\n+++\nWe cover [[three]].\n")),
        ("content/pages/about.md", Some("+++\ntitle = \"About us\"\nmenu = \"footer\"\nmenu_order = 1\n+++\nWe cover [[three]].\n")),
        ("content/pages/ethics.md", Some("+++\ntitle = \"Ethics\"\nmenu = \"footer\"\nmenu_order = 2\n+++\nNew rules.\n")),
        // The article a page links to is renamed: the page's body follows.
        ("content/articles/three.md", Some("+++\ntitle = \"Three, again\"\ndate = 2023-09-03\nactors = [\"macron\"]\n+++\nThree, see [[standoff#Xref cards]].\n")),
        // Aliases: added, the page retitled (its redirect page says the
        // title), one alias renamed, all removed.
        ("content/pages/about.md", Some("+++\ntitle = \"About us\"\nmenu = \"footer\"\naliases = [\"about-us\", \"articles/2020/about\"]\n+++\nWe cover [[three]].\n")),
        ("content/articles/one.md", Some("+++\ntitle = \"One, renamed\"\ndate = 2023-09-05\ntopics = [\"Niger\"]\nbackground = [\"standoff\"]\naliases = [\"one-old\"]\n+++\nMacron spoke.\n")),
        ("content/articles/one.md", Some("+++\ntitle = \"One, again\"\ndate = 2023-09-05\ntopics = [\"Niger\"]\nbackground = [\"standoff\"]\naliases = [\"one-older\"]\n+++\nMacron spoke.\n")),
        ("content/pages/about.md", Some("+++\ntitle = \"About\"\nmenu = \"footer\"\n+++\nWe cover [[three]].\n")),
        ("content/articles/one.md", Some("+++\ntitle = \"One, again\"\ndate = 2023-09-05\ntopics = [\"Niger\"]\nbackground = [\"standoff\"]\n+++\nMacron spoke.\n")),
        ("content/pages/about.md", None),
        // A country: named, then given a profile (the name becomes a
        // link), then renamed away; a sort name.
        ("content/actors/itte.md", Some("+++\nname = \"Sylvain Itte\"\nkind = \"person\"\ncountry = \"France\"\nsort_name = \"Itte\"\n+++\nDiplomat.\n")),
        ("content/actors/france.md", Some("+++\nname = \"France\"\nkind = \"country\"\n+++\nA country.\n")),
        ("content/actors/france.md", Some("+++\nname = \"French Republic\"\nkind = \"country\"\n+++\nA country.\n")),
        ("content/actors/itte.md", Some("+++\nname = \"Sylvain Itte\"\nkind = \"person\"\ncountry = \"French Republic\"\nsort_name = \"Aaa\"\n+++\nDiplomat.\n")),
        ("content/actors/france.md", None),
        // An actor renamed: its feed's title follows.
        ("content/actors/macron.md", Some("+++\nname = \"Emmanuel J. Macron\"\nrole = \"President\"\naliases = [\"Macron\"]\n+++\nProfile.\n")),
    ];
    let out = check_edits(&site, edits);
    assert!(
        String::from_utf8_lossy(&snapshot(&out)[Path::new("actors/macron/feed.xml")])
            .contains("<title>Emmanuel J. Macron"),
        "the actor's feed is renamed"
    );
    assert!(
        String::from_utf8_lossy(&snapshot(&out)[Path::new("articles/three/index.html")])
            .contains("standoff/index.html#cards\""),
        "the fragment follows the heading"
    );
}

/// A paginated site: two stories a page, so every list has several pages.
fn paginated_site() -> Site {
    let site = Site::new(&[
        ("site.toml", "base_url = \"https://x.example/\"\npaginate = 2\n"),
        ("content/actors/ann.md", "+++\nname = \"Ann Lee\"\nrole = \"Envoy\"\n+++\nProfile.\n"),
        ("content/notes/n.md", "+++\ntitle = \"Note\"\n[[timeline]]\ndate = \"2021-05\"\ntext = \"Talks with Ann Lee\"\n[[timeline]]\ndate = \"2022\"\ntext = \"A treaty\"\n+++\nN.\n"),
        ("content/notes/m.md", "+++\ntitle = \"Other note\"\n+++\nM.\n"),
        ("content/notes/o.md", "+++\ntitle = \"Third note\"\n+++\nO.\n"),
    ]);
    for i in 1..=9 {
        site.write(
            &format!("content/articles/a{i}.md"),
            &story(i, &format!("Story {i}"), i),
        );
    }
    site
}

fn story(i: usize, title: &str, day: usize) -> String {
    format!("+++\ntitle = \"{title}\"\ndate = 2023-01-{day:02}\ntopics = [\"Niger\"]\n+++\nAnn Lee spoke ({i}).\n")
}

#[test]
fn every_edit_of_a_paginated_site_matches_a_full_build() {
    let site = paginated_site();
    let edits: Vec<(String, Option<String>)> = vec![
        // The newest story's title: page 1 of each list.
        ("content/articles/a9.md".into(), Some(story(9, "Story nine", 9))),
        // A story on the last page of each list.
        ("content/articles/a1.md".into(), Some(story(1, "Story one", 1))),
        // A date that moves a story from the last pages to the first.
        ("content/articles/a2.md".into(), Some(story(2, "Story 2", 20))),
        // A new story at the top, and a new oldest one: one more page.
        ("content/articles/a10.md".into(), Some(story(10, "Story 10", 25))),
        ("content/articles/a0.md".into(), Some("+++\ntitle = \"Old\"\ndate = 2020-06-01\ntopics = [\"Niger\"]\n+++\nAnn Lee, long ago.\n".into())),
        // A story leaves the topic and the actor's list.
        ("content/articles/a5.md".into(), Some("+++\ntitle = \"Story 5\"\ndate = 2023-01-05\n+++\nNobody.\n".into())),
        // The actor's role, shown on every page of its profile.
        ("content/actors/ann.md".into(), Some("+++\nname = \"Ann Lee\"\nrole = \"Former envoy\"\n+++\nProfile.\n".into())),
        // The actor's body: its first page only.
        ("content/actors/ann.md".into(), Some("+++\nname = \"Ann Lee\"\nrole = \"Former envoy\"\n+++\nA longer profile.\n".into())),
        // A timeline event's text, and a year that goes away.
        ("content/notes/n.md".into(), Some("+++\ntitle = \"Note\"\n[[timeline]]\ndate = \"2021-05\"\ntext = \"Talks\"\n+++\nN.\n".into())),
        // An explainer's title, on the explainers' pages.
        ("content/notes/o.md".into(), Some("+++\ntitle = \"A first note\"\n+++\nO.\n".into())),
        // Stories deleted: pages go away.
        ("content/articles/a10.md".into(), None),
        ("content/articles/a0.md".into(), None),
        ("content/articles/a3.md".into(), None),
    ];
    let edits: Vec<(&str, Option<&str>)> = edits
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_deref()))
        .collect();
    check_edits(&site, &edits);
}

#[test]
fn an_edit_on_page_one_leaves_the_later_pages_alone() {
    let site = paginated_site();
    let options = BuildOptions::new(site.root());
    let render = || {
        explainer::render_site(&options, &Default::default(), false, &|_| Ok(true))
            .unwrap_or_else(|_| panic!("renders"))
            .site
    };
    let old = render();
    let old_digests = explainer::render::affected::digests(&old);
    let affected_by = |path: &str, text: &str| {
        site.write(path, text);
        let new = render();
        let new_digests = explainer::render::affected::digests(&new);
        explainer::render::affected::affected_pages(&old, &old_digests, &new, &new_digests)
    };
    // The newest story's title: the first page of every list shows it,
    // no later page does.
    let pages = affected_by("content/articles/a9.md", &story(9, "Story nine", 9));
    for first in ["articles/", "topics/niger/", "actors/ann/"] {
        assert!(
            pages.contains(&format!("{first}index.html")),
            "{first}: {pages:?}"
        );
        assert!(
            !pages.contains(&format!("{first}page/2/index.html")),
            "{first}: {pages:?}"
        );
    }
    // The timeline runs oldest first: the story is on its last pages.
    assert!(pages.contains("timeline/page/6/index.html"), "{pages:?}");
    assert!(
        pages.contains("timeline/2023/page/5/index.html"),
        "{pages:?}"
    );
    for page in [
        "timeline/page/2/",
        "timeline/2023/",
        "timeline/2023/page/4/",
    ] {
        assert!(
            !pages.contains(&format!("{page}index.html")),
            "{page}: {pages:?}"
        );
    }
    assert!(!pages.contains("timeline/2021/index.html"), "{pages:?}");
    // The oldest story: the last page of each list, not the first ones.
    let pages = affected_by("content/articles/a1.md", &story(1, "Story one", 1));
    assert!(pages.contains("articles/page/5/index.html"), "{pages:?}");
    assert!(pages.contains("actors/ann/page/5/index.html"), "{pages:?}");
    assert!(!pages.contains("articles/page/2/index.html"), "{pages:?}");
    assert!(!pages.contains("actors/ann/page/2/index.html"), "{pages:?}");
    // A new story at the top moves every story: every page.
    let pages = affected_by("content/articles/a10.md", &story(10, "Story 10", 25));
    for n in 2..=5 {
        assert!(
            pages.contains(&format!("articles/page/{n}/index.html")),
            "{pages:?}"
        );
    }
}

/// A `w` by `h` PNG.
fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(w, h, |x, _| image::Rgba([(x % 256) as u8, 40, 90, 255]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgba8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

#[test]
fn a_replaced_image_gives_the_preview_its_new_size() {
    let site = Site::new(&[
        ("site.toml", "base_url = \"https://x.example/\"\n"),
        (
            "content/articles/one.md",
            "+++\ntitle = \"One\"\ndate = 2023-09-01\n+++\n![A map](/img/map.png)\n\n![A chart](chart.png)\n",
        ),
    ]);
    site.write_bytes("static/img/map.png", &png(900, 600));
    let root = site.root().to_path_buf();
    let mut session = Session::new(BuildOptions::new(&root)).unwrap();
    let out = session.output().to_path_buf();
    // The relative image is missing at first: an error the preview keeps
    // only until the file appears.
    assert!(!matches!(session.rebuild(), Rebuild::Built { .. }));
    let edits: [(&str, Vec<u8>); 3] = [
        ("static/img/chart.png", png(500, 400)),
        ("static/img/map.png", png(700, 300)),
        ("static/img/chart.png", png(640, 480)),
    ];
    // The article is not a bundle: its relative image resolves nowhere,
    // so it points at static/ through /img/.
    site.write(
        "content/articles/one.md",
        "+++\ntitle = \"One\"\ndate = 2023-09-01\n+++\n![A map](/img/map.png)\n\n![A chart](/img/chart.png)\n",
    );
    assert!(!matches!(
        session.rebuild_changed(&[root.join("content/articles/one.md")]),
        Rebuild::Built { .. }
    ));
    for (i, (path, bytes)) in edits.iter().enumerate() {
        site.write_bytes(path, bytes);
        match session.rebuild_changed(&[root.join(path)]) {
            Rebuild::Built { .. } => {}
            other => panic!("edit {i}: {other:?}"),
        }
        session.update_search().unwrap();
        let expected = full_build(&root);
        let got = snapshot(&out);
        let differing: Vec<_> = expected
            .keys()
            .chain(got.keys())
            .filter(|k| expected.get(*k) != got.get(*k))
            .collect();
        assert!(
            differing.is_empty(),
            "edit {i} ({path}): incremental output differs in {differing:?}"
        );
    }
    let page =
        String::from_utf8_lossy(&snapshot(&out)[Path::new("articles/one/index.html")]).into_owned();
    assert!(page.contains("width=\"700\" height=\"300\""), "{page}");
    assert!(page.contains("width=\"640\" height=\"480\""), "{page}");
}

#[test]
fn author_edits_match_a_full_build() {
    let article = |slug: &str, date: &str, authors: &str, extra: &str| {
        (
            format!("content/articles/{slug}.md"),
            format!("+++\ntitle = \"Story {slug}\"\ndate = {date}\nauthors = {authors}\n{extra}+++\nText.\n"),
        )
    };
    let one = article("one", "2023-09-01", "[\"Ana Diallo\"]", "");
    let two = article("two", "2023-09-02", "[\"Ana Diallo\", \"A Guest\"]", "");
    let three = article("three", "2023-09-03", "[\"A Guest\"]", "");
    let site = Site::new(&[
        (
            "site.toml",
            "base_url = \"https://x.example/\"\npaginate = 1\nauthors = [\"Desk\"]\n",
        ),
        (&one.0, &one.1),
        (&two.0, &two.1),
        (&three.0, &three.1),
        (
            "content/articles/four.md",
            "+++\ntitle = \"Story four\"\ndate = 2023-09-04\n+++\nText.\n",
        ),
        (
            "content/actors/macron.md",
            "+++\nname = \"Emmanuel Macron\"\nrole = \"President\"\n+++\nProfile.\n",
        ),
    ]);
    let profile = "content/authors/ana-diallo.md";
    let three_by_ana = article("three", "2023-09-03", "[\"A Guest\", \"ana-diallo\"]", "");
    let two_draft = article(
        "two",
        "2023-09-02",
        "[\"Ana Diallo\", \"A Guest\"]",
        "draft = true\n",
    );
    let edits: &[(&str, Option<&str>)] = &[
        // The first profile: bylines naming it become links, its pages
        // and feed appear, and every footer links the authors index.
        (profile, Some("+++\nname = \"Ana Diallo\"\nrole = \"Reporter\"\n+++\nOne of the site's staff.\n")),
        // Only the profile's page shows the bio.
        (profile, Some("+++\nname = \"Ana Diallo\"\nrole = \"Reporter\"\n+++\nStaff reporter since 2020; she interviewed Emmanuel Macron.\n")),
        // The bio links an actor, with its hover card: the card follows.
        ("content/actors/macron.md", Some("+++\nname = \"Emmanuel Macron\"\nrole = \"President of France\"\n+++\nProfile.\n")),
        // A second profile, for the site's default byline.
        ("content/authors/desk.md", Some("+++\nname = \"Desk\"\n+++\nThe desk.\n")),
        // An article's authors: a new story on her pages (all of them
        // move), then one leaves them as a draft.
        (&three_by_ana.0, Some(&three_by_ana.1)),
        (&two_draft.0, Some(&two_draft.1)),
        // Renamed: every byline and the feed follow.
        (profile, Some("+++\nname = \"Ana M. Diallo\"\nslug = \"ana-diallo\"\nrole = \"Reporter\"\n+++\nStaff reporter since 2020; she interviewed Emmanuel Macron.\n")),
        // Gone: bylines are plain names again.
        (profile, None),
        ("content/authors/desk.md", None),
    ];
    let out = check_edits(&site, edits);
    assert!(!out.join("authors").exists());
}

#[test]
fn every_edit_of_a_multilingual_site_matches_a_full_build() {
    // A multilingual site is rebuilt whole on every change, search indexes
    // included (see ARCHITECTURE.md): the preview serves what build writes.
    let site = Site::new(&[
        (
            "site.toml",
            "base_url = \"https://x.example/\"\nlanguages = [\"en\", \"fr\"]\n",
        ),
        (
            "content/actors/macron.md",
            "+++\nname = \"Emmanuel Macron\"\naliases = [\"Macron\"]\n+++\nProfile.\n",
        ),
        (
            "content/notes/coup.md",
            "+++\ntitle = \"The coup\"\n+++\nBody.\n",
        ),
        (
            "content/articles/one.md",
            "+++\ntitle = \"One\"\ndate = 2023-09-01\n+++\nMacron spoke of [[coup]].\n",
        ),
        (
            "content/articles/one.fr.md",
            "+++\ntitle = \"Un\"\ndate = 2023-09-01\n+++\nMacron a parlé.\n",
        ),
    ]);
    let edits: &[(&str, Option<&str>)] = &[
        // A translation edited, now linking a page it has no version of.
        ("content/articles/one.fr.md", Some("+++\ntitle = \"Un, renommé\"\ndate = 2023-09-01\n+++\nMacron a parlé du [[coup]].\n")),
        // A translation added: links to it move into the French tree.
        ("content/notes/coup.fr.md", Some("+++\ntitle = \"Le coup d'État\"\n+++\nCorps.\n")),
        // A translation with the same name as the default's: the French
        // mention of it now stays in the French tree.
        ("content/actors/macron.fr.md", Some("+++\nname = \"Emmanuel Macron\"\naliases = [\"Macron\"]\n+++\nProfil.\n")),
        // A default-language page edited, shown as the French fallback.
        ("content/notes/coup.md", Some("+++\ntitle = \"The coup\"\nsummary = \"How it happened.\"\n+++\nBody.\n")),
        // A translation removed.
        ("content/notes/coup.fr.md", None),
    ];
    let out = check_edits(&site, edits);
    assert!(out.join("fr/articles/one/index.html").is_file());
    assert!(out.join("fr/pagefind/pagefind.js").is_file());
}
