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
    // The preview builds the search index after the rebuild is served.
    session.update_search().unwrap();
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
    assert!(
        String::from_utf8_lossy(&snapshot(&out)[Path::new("articles/three/index.html")])
            .contains("standoff/index.html#cards\""),
        "the fragment follows the heading"
    );
}
