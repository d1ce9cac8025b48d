//! Redirects from `aliases`: a page at each old URL and `_redirects`,
//! with every bad or colliding alias a located error.

use crate::support;

use support::*;

const NEW: (&str, &str) = (
    "content/articles/new-slug.md",
    "+++\ntitle = \"The story\"\ndate = 2023-10-10\naliases = [\"old-slug\", \"articles/2023/old-path\", \"/2023/10/story.html\"]\n+++\n\nBody.\n",
);
const NOTE: (&str, &str) = (
    "content/notes/coup.md",
    "+++\ntitle = \"The coup\"\naliases = [\"july-coup\"]\n+++\n\nBody.\n",
);
const ACTOR: (&str, &str) = (
    "content/actors/niger.md",
    "+++\nname = \"Niger\"\nkind = \"country\"\naliases = [\"Republic of Niger\"]\nurl_aliases = [\"actors/republic-of-niger\"]\n+++\n\nA country.\n",
);
const PAGE: (&str, &str) = (
    "content/pages/about.md",
    "+++\ntitle = \"About\"\naliases = [\"about-us\", \"pages/about\"]\n+++\n\nUs.\n",
);

#[test]
fn each_alias_gets_a_relative_redirect_page() {
    let site = Site::new(&[
        (
            "site.toml",
            "base_url = \"https://news.example.org/desk/\"\n",
        ),
        NEW,
        NOTE,
        ACTOR,
        PAGE,
    ]);
    site.build_checked();
    let old = site.out("articles/old-slug/index.html");
    assert!(
        old.contains(
            "<meta http-equiv=\"refresh\" content=\"0; url=../../articles/new-slug/index.html\">"
        ),
        "{old}"
    );
    assert!(
        old.contains(
            "<link rel=\"canonical\" href=\"https://news.example.org/desk/articles/new-slug/\">"
        ),
        "{old}"
    );
    assert!(
        old.contains("<meta name=\"robots\" content=\"noindex\">"),
        "{old}"
    );
    assert!(old.contains("<a href=\"../../articles/new-slug/index.html\">The story</a>"));
    let deep = site.out("articles/2023/old-path/index.html");
    assert!(
        deep.contains("url=../../../articles/new-slug/index.html\""),
        "{deep}"
    );
    let file = site.out("2023/10/story.html");
    assert!(
        file.contains("url=../../articles/new-slug/index.html\""),
        "{file}"
    );
    assert!(site
        .out("explainers/july-coup/index.html")
        .contains("url=../../explainers/coup/index.html\""));
    assert!(site
        .out("actors/republic-of-niger/index.html")
        .contains("url=../../actors/niger/index.html\""));
    assert!(site
        .out("about-us/index.html")
        .contains("url=../about/index.html\""));
    assert!(site
        .out("pages/about/index.html")
        .contains("url=../../about/index.html\""));
    // Old URLs are not announced.
    let sitemap = site.out("sitemap.xml");
    assert!(
        !sitemap.contains("old-slug") && !sitemap.contains("about-us"),
        "{sitemap}"
    );
}

#[test]
fn redirects_file_uses_the_base_path_after_the_sites_own_rules() {
    let site = Site::new(&[
        (
            "site.toml",
            "base_url = \"https://news.example.org/desk/\"\n",
        ),
        ("static/_redirects", "/desk/feed /desk/feed.xml 301"),
        NEW,
        PAGE,
    ]);
    site.build_checked();
    assert_eq!(
        site.out("_redirects"),
        "/desk/feed /desk/feed.xml 301\n\
         /desk/articles/old-slug/ /desk/articles/new-slug/ 301\n\
         /desk/articles/2023/old-path/ /desk/articles/new-slug/ 301\n\
         /desk/2023/10/story.html /desk/articles/new-slug/ 301\n\
         /desk/about-us/ /desk/about/ 301\n\
         /desk/pages/about/ /desk/about/ 301\n"
    );
}

#[test]
fn without_aliases_the_sites_own_redirects_are_copied_as_they_are() {
    let site = Site::new(&[
        ("static/_redirects", "/a /b 302\n"),
        (
            "content/articles/a.md",
            "+++\ntitle = \"A\"\ndate = 2023-10-10\n+++\n\nx\n",
        ),
    ]);
    site.build_checked();
    assert_eq!(site.out("_redirects"), "/a /b 302\n");
    let bare = Site::new(&[(
        "content/articles/a.md",
        "+++\ntitle = \"A\"\ndate = 2023-10-10\n+++\n\nx\n",
    )]);
    bare.build_checked();
    assert!(!bare.root().join("public/_redirects").exists());
}

#[test]
fn an_alias_that_takes_a_pages_place_names_both() {
    let site = Site::new(&[
        NEW,
        NOTE,
        (
            "content/articles/other.md",
            "+++\ntitle = \"Other\"\ndate = 2023-10-11\naliases = [\"new-slug\", \"explainers/coup\", \"/topics\"]\n+++\n\nx\n",
        ),
    ]);
    let out = site.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content/articles/other.md:4:13: alias \"new-slug\" is the URL of the article content/articles/new-slug.md"),
        "{err}"
    );
    assert!(
        err.contains("content/articles/other.md:4:25: alias \"explainers/coup\" is the URL of the note content/notes/coup.md"),
        "{err}"
    );
    assert!(
        err.contains("alias \"/topics\" is the URL of the site's own topics/ page"),
        "{err}"
    );
    assert!(!site.root().join("public").exists(), "nothing written");
}

#[test]
fn two_aliases_at_one_url_name_both() {
    let site = Site::new(&[
        NEW,
        (
            "content/notes/n.md",
            "+++\ntitle = \"N\"\naliases = [\"/articles/2023/old-path/\"]\n+++\n\nx\n",
        ),
    ]);
    let out = site.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("keep this alias on one of them"), "{err}");
    assert!(
        err.contains(
            "content/notes/n.md:3:13: alias \"/articles/2023/old-path/\" is the URL of another alias, at content/articles/new-slug.md:4:25"
        ),
        "{err}"
    );
}

#[test]
fn an_alias_cannot_leave_the_output_or_reach_git() {
    for (alias, why) in [
        ("../../outside", "climbs with `.` or `..`"),
        (".git/hooks/pre-commit", "names a hidden folder or file"),
        ("a/.GIT/x", "names a hidden folder or file"),
        ("https://example.org/x", "is a URL"),
        ("old slug", "holds ' '"),
        ("/", "names the site's front page"),
    ] {
        let text = format!(
            "+++\ntitle = \"A\"\ndate = 2023-10-10\naliases = [{}]\n+++\n\nx\n",
            toml_string(alias)
        );
        let site = Site::new(&[("content/articles/a.md", &text)]);
        let out = site.build();
        assert_eq!(out.status.code(), Some(1), "{alias}");
        let err = stderr(&out);
        assert!(
            err.contains("content/articles/a.md:4:13:"),
            "{alias}: {err}"
        );
        assert!(err.contains(why), "{alias}: {err}");
        assert!(!site.root().join("public").exists());
        assert!(!site.root().parent().unwrap().join("outside").exists());
    }
}

#[test]
fn a_static_file_at_an_alias_is_an_error() {
    // Named at the alias in its page's front matter, with the static file.
    let site = Site::new(&[NEW, ("static/articles/old-slug/index.html", "<p>old</p>")]);
    for command in ["build", "check"] {
        let out = site.run(&[command]);
        assert_eq!(out.status.code(), Some(1));
        let err = stderr(&out);
        assert!(
            err.contains(
                "content/articles/new-slug.md:4:13: alias \"old-slug\" is the URL of the static file static/articles/old-slug/index.html"
            ),
            "{command}: {err}"
        );
        assert!(
            err.contains("aliases = [\"old-slug\", ")
                && err.contains("remove the alias or rename the static file"),
            "{command}: the alias's line and a hint: {err}"
        );
        assert!(err.contains("1 problem found"), "{command}: {err}");
    }
}

#[test]
fn a_static_file_at_an_alias_is_reported_with_the_other_content_errors() {
    // Found while the content resolves, not once the pages are rendered:
    // a broken reference elsewhere is reported in the same run.
    let site = Site::new(&[
        NEW,
        (
            "content/articles/other.md",
            "+++\ntitle = \"Other\"\ndate = 2023-10-11\n+++\n\nSee [[nowhere]].\n",
        ),
        ("static/2023/10/story.html", "<p>old</p>"),
        (
            "static/articles/2023/old-path",
            "a file where a folder goes",
        ),
    ]);
    for command in ["build", "check"] {
        let out = site.run(&[command]);
        assert_eq!(out.status.code(), Some(1));
        let err = stderr(&out);
        for expected in [
            "content/articles/new-slug.md:4:51: alias \"/2023/10/story.html\" is the URL of the static file static/2023/10/story.html",
            "content/articles/new-slug.md:4:25: alias \"articles/2023/old-path\" needs a folder where the static file static/articles/2023/old-path is published",
            "content/articles/other.md:6:",
            "remove the alias or rename the static file",
            "3 problems found",
        ] {
            assert!(err.contains(expected), "{command}: {expected}\n{err}");
        }
    }
}

#[test]
fn a_static_file_in_a_language_tree_is_found_at_its_alias() {
    let site = Site::new(&[
        ("site.toml", "languages = [\"en\", \"fr\"]\n"),
        (
            "content/articles/new-slug.fr.md",
            "+++\ntitle = \"L'histoire\"\ndate = 2023-10-10\naliases = [\"ancien\"]\n+++\n\nTexte.\n",
        ),
        ("static/fr/articles/ancien/index.html", "<p>old</p>"),
        (
            "content/articles/other.md",
            "+++\ntitle = \"Other\"\ndate = 2023-10-11\n+++\n\nSee [[nowhere]].\n",
        ),
    ]);
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(
            "content/articles/new-slug.fr.md:4:13: alias \"ancien\" is the URL of the static file static/fr/articles/ancien/index.html"
        ) && err.contains("content/articles/other.md:6:")
            && err.contains("2 problems found"),
        "{err}"
    );
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

#[test]
fn an_alias_cannot_take_a_later_list_page_a_year_or_the_search_index() {
    let aliases = [
        "articles/page/2",
        "actors/niger/page/2",
        "topics/niger/page/3",
        "timeline/2023",
        "pagefind/pagefind.js",
        "topics/niger/feed.xml",
        "actors/niger/feed.xml",
        "sitemap-1.xml",
    ];
    let list = aliases.map(toml_string).join(", ");
    let story =
        format!("+++\ntitle = \"Story\"\ndate = 2023-10-10\naliases = [{list}]\n+++\n\nBody.\n");
    let site = Site::new(&[("content/articles/story.md", &story), ACTOR]);
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for alias in aliases {
        assert!(
            err.contains(&format!("alias \"{alias}\" is where the site writes")),
            "{alias}: {err}"
        );
    }
}

#[test]
fn a_static_file_where_an_alias_needs_a_folder_is_found_by_check() {
    let story =
        "+++\ntitle = \"Story\"\ndate = 2023-10-10\naliases = [\"/favicon.svg\"]\n+++\n\nBody.\n";
    let site = Site::new(&[
        ("content/articles/story.md", story),
        (
            "static/favicon.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
    ]);
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "content/articles/story.md:4:13: alias \"/favicon.svg\" needs a folder where the static file static/favicon.svg is published"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn aliases_that_differ_only_by_case_name_both() {
    let site = Site::new(&[
        NEW,
        (
            "content/notes/n.md",
            "+++\ntitle = \"N\"\naliases = [\"Articles/2023/Old-Path\"]\n+++\n\nx\n",
        ),
        (
            "content/notes/m.md",
            "+++\ntitle = \"M\"\naliases = [\"Explainers/N\"]\n+++\n\nx\n",
        ),
    ]);
    let out = site.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(
            "content/notes/n.md:3:13: alias \"Articles/2023/Old-Path\" differs only by letter case from the URL articles/2023/old-path/ of another alias, at content/articles/new-slug.md:4:25"
        ),
        "{err}"
    );
    assert!(
        err.contains("alias \"Explainers/N\" differs only by letter case from the URL explainers/n/ of the note"),
        "{err}"
    );
    assert!(err.contains("ignore case"), "{err}");
}

#[test]
fn an_alias_given_twice_for_one_page_says_so() {
    let site = Site::new(&[(
        "content/articles/new-slug.md",
        "+++\ntitle = \"The story\"\ndate = 2023-10-10\naliases = [\"old-slug\", \"/articles/old-slug/\"]\n+++\n\nBody.\n",
    )]);
    let out = site.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(
            "content/articles/new-slug.md:4:25: alias \"/articles/old-slug/\" is given twice for this page (first at content/articles/new-slug.md:4:13)"
        ),
        "{err}"
    );
    assert!(err.contains("remove the repeat"), "{err}");
}

#[test]
fn a_repeated_alias_is_pointed_at_where_each_is_written() {
    let site = Site::new(&[(
        "content/articles/new-slug.md",
        "+++\ntitle = \"The story\"\ndate = 2023-10-10\naliases = [\"old\", \"old\", \"/articles/gone/\", \"articles/gone\"]\n+++\n\nBody.\n",
    )]);
    let out = site.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    // The repeat, at the second "old"; "articles/gone" at its own string,
    // not inside "/articles/gone/".
    for expected in [
        "new-slug.md:4:20: alias \"old\" is given twice for this page (first at content/articles/new-slug.md:4:13)",
        "new-slug.md:4:46: alias \"articles/gone\" is given twice for this page (first at content/articles/new-slug.md:4:27)",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
}

const BILINGUAL: (&str, &str) = (
    "site.toml",
    "base_url = \"https://news.example.org/desk/\"\nlanguage = \"en\"\nlanguages = [\"en\", \"fr\"]\n",
);
const STORY: (&str, &str) = (
    "content/articles/story.md",
    "+++\ntitle = \"The story\"\ndate = 2023-10-10\ntopics = [\"Niger\"]\n+++\n\nBody.\n",
);
const HISTOIRE: (&str, &str) = (
    "content/articles/story.fr.md",
    "+++\ntitle = \"L'histoire\"\ndate = 2023-10-10\ntopics = [\"Niger\"]\naliases = [\"ancien\", \"articles/2023/vieux\", \"/2023/10/vieux.html\", \"/fr/articles/2022/tres-vieux/\"]\n+++\n\nTexte.\n",
);

#[test]
fn a_translations_aliases_redirect_within_its_tree_and_from_the_root_redirects_file() {
    let site = Site::new(&[BILINGUAL, STORY, HISTOIRE]);
    site.build_checked();
    // Its paths are those of its tree, as its page's are.
    let old = site.out("fr/articles/ancien/index.html");
    assert!(old.contains("<html lang=\"fr\""), "{old}");
    assert!(
        old.contains(
            "<meta http-equiv=\"refresh\" content=\"0; url=../../articles/story/index.html\">"
        ),
        "{old}"
    );
    assert!(
        old.contains(
            "<link rel=\"canonical\" href=\"https://news.example.org/desk/fr/articles/story/\">"
        ),
        "{old}"
    );
    assert!(site
        .out("fr/articles/2023/vieux/index.html")
        .contains("url=../../../articles/story/index.html\""));
    assert!(site
        .out("fr/2023/10/vieux.html")
        .contains("url=../../articles/story/index.html\""));
    // An old URL written whole, through the tree's folder, is the same.
    assert!(site
        .out("fr/articles/2022/tres-vieux/index.html")
        .contains("url=../../../articles/story/index.html\""));
    assert!(!site.exists("fr/fr"));
    assert!(!site.exists("articles/ancien/index.html"));
    // The default language has no aliases: the root's `_redirects` holds
    // the French ones, under the tree.
    assert_eq!(
        site.out("_redirects"),
        "/desk/fr/articles/ancien/ /desk/fr/articles/story/ 301\n\
         /desk/fr/articles/2023/vieux/ /desk/fr/articles/story/ 301\n\
         /desk/fr/2023/10/vieux.html /desk/fr/articles/story/ 301\n\
         /desk/fr/articles/2022/tres-vieux/ /desk/fr/articles/story/ 301\n"
    );
    assert!(!site.exists("fr/_redirects"));
    // Both languages' rules, the default language's first.
    site.write(
        "content/articles/story.md",
        "+++\ntitle = \"The story\"\ndate = 2023-10-10\naliases = [\"old\", \"fr/articles/gone\"]\n+++\n\nBody.\n",
    );
    site.build_checked();
    let rules = site.out("_redirects");
    assert!(
        rules.starts_with(
            "/desk/articles/old/ /desk/articles/story/ 301\n\
             /desk/fr/articles/gone/ /desk/articles/story/ 301\n\
             /desk/fr/articles/ancien/ /desk/fr/articles/story/ 301\n"
        ),
        "{rules}"
    );
    // An old French URL that no French page or alias takes may lead to
    // the English page (a translation withdrawn).
    assert!(site
        .out("fr/articles/gone/index.html")
        .contains("url=../../../articles/story/index.html\""));
    assert_site_integrity(&site.root().join("public"));
}

#[test]
fn a_translations_alias_of_its_trees_folder_alone_is_its_front_page() {
    // `/fr` reads as the French front page, as `/fr/` does: refused as
    // the front page, never written as fr/fr/.
    for alias in ["/fr", "/fr/"] {
        let text = format!(
            "+++\ntitle = \"L'histoire\"\ndate = 2023-10-10\naliases = [\"{alias}\"]\n+++\n\nTexte.\n"
        );
        let site = Site::new(&[BILINGUAL, STORY, ("content/articles/story.fr.md", &text)]);
        let out = site.build();
        assert_eq!(out.status.code(), Some(1), "{alias}");
        let err = stderr(&out);
        assert!(
            err.contains("names the site's front page"),
            "{alias}: {err}"
        );
        assert!(!site.root().join("public").exists(), "{alias}");
    }
}

#[test]
fn an_alias_into_another_languages_tree_names_what_is_there() {
    let site = Site::new(&[
        BILINGUAL,
        HISTOIRE,
        (
            "content/articles/story.md",
            "+++\ntitle = \"The story\"\ndate = 2023-10-10\naliases = [\"fr/articles/story\", \"fr/articles/ancien\", \"/fr\", \"FR/Topics/Niger\", \"fr/articles/page/2\", \"fr/articles/gone\"]\n+++\n\nBody.\n",
        ),
    ]);
    let out = site.build();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    for expected in [
        "content/articles/story.md:4:13: alias \"fr/articles/story\" is the URL of the article content/articles/story.fr.md",
        "content/articles/story.md:4:34: alias \"fr/articles/ancien\" is the URL of another alias, at content/articles/story.fr.md:5:13",
        "alias \"/fr\" is the URL of the site's own fr/index.html",
        "alias \"FR/Topics/Niger\" differs only by letter case from the URL fr/topics/niger/ of the topic page fr/topics/niger/",
        "alias \"fr/articles/page/2\" is where the site writes the later pages of its lists",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
    // An old French URL that nothing else takes may lead to the English page.
    assert!(!err.contains("alias \"fr/articles/gone\""), "{err}");
    assert!(err.contains("5 problems found"), "{err}");
    assert!(!site.root().join("public").exists());
}

#[test]
fn two_aliases_of_one_translated_tree_name_both() {
    let site = Site::new(&[
        BILINGUAL,
        STORY,
        HISTOIRE,
        (
            "content/articles/other.fr.md",
            "+++\ntitle = \"Autre\"\ndate = 2023-10-11\naliases = [\"articles/ancien\", \"story\"]\n+++\n\nx\n",
        ),
    ]);
    let out = site.build();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("content/articles/story.fr.md:5:13: alias \"ancien\" is the URL of another alias, at content/articles/other.fr.md:4:13"),
        "{err}"
    );
    assert!(
        err.contains("content/articles/other.fr.md:4:32: alias \"story\" is the URL of the article content/articles/story.fr.md"),
        "{err}"
    );
}

#[test]
fn an_alias_into_another_languages_tree_is_reported_with_the_other_content_errors() {
    let site = Site::new(&[
        BILINGUAL,
        (
            "content/articles/story.fr.md",
            "+++\ntitle = \"L'histoire\"\ndate = 2023-10-10\n+++\n\nVoir [[Nulle part]].\n",
        ),
        (
            "content/articles/story.md",
            "+++\ntitle = \"The story\"\ndate = 2023-10-10\naliases = [\"fr/articles/story\"]\n+++\n\nSee [[Nowhere]].\n",
        ),
    ]);
    for command in ["build", "check"] {
        let out = site.run(&[command]);
        assert_eq!(out.status.code(), Some(1), "{command}");
        let err = stderr(&out);
        for expected in [
            "content/articles/story.md:4:13: alias \"fr/articles/story\" is the URL of the article content/articles/story.fr.md",
            "broken wikilink: no page \"Nowhere\"",
            "broken wikilink: no page \"Nulle part\"",
            "3 problems found",
        ] {
            assert!(err.contains(expected), "{command}: {expected}\n{err}");
        }
    }
    assert!(!site.root().join("public").exists());
}

#[test]
fn a_static_file_in_the_place_of_a_generated_file_is_reported_with_the_content_errors() {
    // Static files are published after the pages render; a content error
    // stops the build before that, so they are checked then against the
    // files the render is sure to write.
    let site = Site::new(&[
        ("site.toml", "languages = [\"en\", \"fr\"]\n"),
        (
            "content/articles/other.md",
            "+++\ntitle = \"Other\"\ndate = 2023-10-11\ntopics = [\"Niger\"]\n+++\n\nSee [[nowhere]].\n",
        ),
        (
            "content/articles/other.fr.md",
            "+++\ntitle = \"Autre\"\ndate = 2023-10-11\n+++\n\nTexte.\n",
        ),
        ("static/robots.txt", "User-agent: *\n"),
        ("static/articles/other/index.html", "<p>old</p>"),
        ("static/topics/niger/feed.xml", "<feed/>"),
        ("static/fr/articles/index.html", "<p>old</p>"),
        // Not written by any build: published as it is.
        ("static/articles/other/notes.txt", "kept"),
    ]);
    for command in ["build", "check"] {
        let out = site.run(&[command]);
        assert_eq!(out.status.code(), Some(1));
        let err = stderr(&out);
        for expected in [
            "content/articles/other.md:7:",
            "static/robots.txt:1:1: static file would replace the robots.txt the site generates",
            "static/articles/other/index.html:1:1: static file would replace the articles/other/index.html the site generates",
            "static/topics/niger/feed.xml:1:1: static file would replace the topics/niger/feed.xml the site generates",
            "static/fr/articles/index.html:1:1: static file would replace the fr/articles/index.html the site generates",
            "5 problems found",
        ] {
            assert!(err.contains(expected), "{command}: {expected}\n{err}");
        }
        // The hint says where the generated file is changed instead.
        assert!(
            err.contains(
                "= help: rename or remove the static file; to change robots.txt, edit a copy of its template at templates/robots.txt"
            ),
            "{command}: {err}"
        );
        assert!(
            err.contains(
                "= help: rename or remove the static file; to change topics/niger/feed.xml, edit a copy of its template at templates/feed.xml"
            ),
            "{command}: {err}"
        );
        assert_eq!(
            err.matches(
                "= help: rename or remove the static file; to change this page, edit a copy of its template"
            )
            .count(),
            2,
            "articles/other/index.html and fr/articles/index.html: {command}: {err}"
        );
    }
}
