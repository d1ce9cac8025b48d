//! The preview's incremental rebuilds must produce exactly what a fresh
//! full build produces, after every kind of edit.

mod support;

use std::path::{Path, PathBuf};

use explainer::session::{Rebuild, Session};
use explainer::BuildOptions;
use support::*;

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
    let root = site.root().to_path_buf();
    let mut session = Session::new(BuildOptions::new(&root)).unwrap();
    let out = session.output().to_path_buf();
    assert!(matches!(session.rebuild(), Rebuild::Built { .. }));
    assert_eq!(snapshot(&out), full_build(&root));

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
    ];
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
    assert!(
        String::from_utf8_lossy(&snapshot(&out)[Path::new("articles/three/index.html")])
            .contains("standoff/index.html#cards\""),
        "the fragment follows the heading"
    );
}
