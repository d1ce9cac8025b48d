//! Multilingual sites: `languages` in site.toml, translations as
//! `slug.<lang>.md`, a tree per language under `<lang>/` with its own
//! lists, feed and search index, hreflang alternates, the language
//! switcher, and links to untranslated pages that fall back to the
//! default language with a note.

use crate::support;

use support::{assert_site_integrity, stderr, Site};

const SITE_TOML: &str = "title = \"Sahel\"\nbase_url = \"https://news.example.org/sub/\"\nlanguage = \"en\"\nlanguages = [\"en\", \"fr\"]\n";

fn bilingual() -> Site {
    Site::new(&[
        ("site.toml", SITE_TOML),
        (
            "content/actors/emmanuel-macron.md",
            "+++\nname = \"Emmanuel Macron\"\naliases = [\"Macron\"]\nrole = \"President of France\"\n+++\nProfile.\n",
        ),
        (
            "content/actors/emmanuel-macron.fr.md",
            "+++\nname = \"Emmanuel Macron\"\naliases = [\"Macron\"]\nrole = \"Président de la République\"\n+++\nProfil.\n",
        ),
        (
            "content/actors/mohamed-bazoum.md",
            "+++\nname = \"Mohamed Bazoum\"\naliases = [\"Bazoum\"]\n+++\nProfile of Bazoum.\n",
        ),
        (
            "content/notes/coup.md",
            "+++\ntitle = \"The coup\"\n[[timeline]]\ndate = \"2023-07-26\"\ntext = \"Bazoum detained.\"\n+++\nThe coup body.\n",
        ),
        (
            "content/articles/withdrawal.md",
            "+++\ntitle = \"France withdraws\"\ndate = 2023-10-10\nactors = [\"emmanuel-macron\"]\nbackground = [\"coup\"]\n+++\nMacron said. See [[coup]].\n",
        ),
        (
            "content/articles/withdrawal.fr.md",
            "+++\ntitle = \"La France se retire\"\ndate = 2023-10-10\nactors = [\"emmanuel-macron\", \"mohamed-bazoum\"]\nbackground = [\"coup\"]\n+++\nMacron a parlé de Bazoum. Voir [[coup]].\n",
        ),
        (
            "content/articles/only-english.md",
            "+++\ntitle = \"Only in English\"\ndate = 2023-10-11\n+++\nEnglish only.\n",
        ),
    ])
}

fn html_pages(site: &Site, under: &str) -> Vec<String> {
    let root = site.root().join("public");
    let mut pages: Vec<String> = walk(&root.join(under))
        .into_iter()
        .map(|p| {
            p.strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|p| p.ends_with(".html"))
        .filter(|p| !under.is_empty() || !p.starts_with("fr/"))
        .collect();
    pages.sort();
    pages
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn each_language_has_its_own_tree_of_its_own_pages() {
    let site = bilingual();
    site.build_ok();
    assert_site_integrity(&site.root().join("public"));
    let english = html_pages(&site, "");
    let french = html_pages(&site, "fr");
    // English: front, 404, search, 2 articles + archive, 1 explainer +
    // index, 2 actors + index, topics index, timeline + its year.
    assert_eq!(english.len(), 14, "{english:#?}");
    // French: the translated article and actor only, with every list.
    assert!(french.contains(&"fr/articles/withdrawal/index.html".to_string()));
    assert!(french.contains(&"fr/actors/emmanuel-macron/index.html".to_string()));
    assert!(!site.exists("fr/articles/only-english/index.html"));
    assert!(!site.exists("fr/actors/mohamed-bazoum/index.html"));
    assert!(!site.exists("fr/explainers/coup/index.html"));
    assert_eq!(french.len(), 11, "{french:#?}");
    let fr = site.out("fr/articles/withdrawal/index.html");
    assert!(fr.contains("<html lang=\"fr\" dir=\"ltr\">"));
    assert!(fr.contains("La France se retire"));
    // The theme's assets are shared at the output root.
    assert!(fr.contains("href=\"../../../style."), "{fr}");
    // Its own lists: the French archive has only the French article.
    let archive = site.out("fr/articles/index.html");
    assert!(archive.contains("La France se retire") && !archive.contains("Only in English"));
    // An actor's "Appears in" lists the articles of its language.
    let profile = site.out("fr/actors/emmanuel-macron/index.html");
    assert!(profile.contains("La France se retire") && !profile.contains("France withdraws"));
    // Its own search index.
    assert!(site.exists("fr/pagefind/pagefind.js"));
    assert!(site.exists("pagefind/pagefind.js"));
    assert!(site
        .out("fr/search/index.html")
        .contains("data-bundle=\"../pagefind/pagefind.js\""));
    // One sitemap at the root lists both trees; no robots.txt in fr/.
    let sitemap = site.out("sitemap.xml");
    assert!(sitemap.contains("<loc>https://news.example.org/sub/fr/articles/withdrawal/</loc>"));
    assert!(sitemap.contains("<loc>https://news.example.org/sub/articles/withdrawal/</loc>"));
    assert!(!site.exists("fr/sitemap.xml") && !site.exists("fr/robots.txt"));
}

#[test]
fn translations_name_each_other_with_hreflang_and_x_default() {
    let site = bilingual();
    site.build_ok();
    let alternates = [
        "<link rel=\"alternate\" hreflang=\"en\" href=\"https://news.example.org/sub/articles/withdrawal/\">",
        "<link rel=\"alternate\" hreflang=\"fr\" href=\"https://news.example.org/sub/fr/articles/withdrawal/\">",
        "<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://news.example.org/sub/articles/withdrawal/\">",
    ];
    for page in [
        "articles/withdrawal/index.html",
        "fr/articles/withdrawal/index.html",
    ] {
        let html = site.out(page);
        for a in alternates {
            assert!(html.contains(a), "{page} lacks {a}");
        }
    }
    // A page without a translation has no alternates.
    assert!(!site
        .out("articles/only-english/index.html")
        .contains("hreflang=\"fr\" href=\"https"));
    // Lists exist in both trees, so they are alternates too.
    assert!(site.out("fr/index.html").contains(
        "<link rel=\"alternate\" hreflang=\"en\" href=\"https://news.example.org/sub/\">"
    ));
}

#[test]
fn the_switcher_links_each_page_to_its_translation_or_the_home_page() {
    let site = bilingual();
    site.build_ok();
    let en = site.out("articles/withdrawal/index.html");
    assert!(en.contains("<nav class=\"language-switcher\" aria-label=\"Languages\">"));
    assert!(en.contains("<a href=\"../../articles/withdrawal/index.html\" lang=\"en\" hreflang=\"en\" dir=\"ltr\" aria-current=\"true\">English</a>"), "{en}");
    assert!(en.contains("<a href=\"../../fr/articles/withdrawal/index.html\" lang=\"fr\" hreflang=\"fr\" dir=\"ltr\">Français</a>"));
    let fr = site.out("fr/articles/withdrawal/index.html");
    assert!(fr.contains("aria-label=\"Langues\""));
    assert!(fr.contains("<a href=\"../../../articles/withdrawal/index.html\" lang=\"en\" hreflang=\"en\" dir=\"ltr\">English</a>"));
    assert!(fr.contains("<a href=\"../../../fr/articles/withdrawal/index.html\" lang=\"fr\" hreflang=\"fr\" dir=\"ltr\" aria-current=\"true\">Français</a>"));
    // No French version: the French entry leads to the French front page.
    let only = site.out("articles/only-english/index.html");
    assert!(
        only.contains("<a href=\"../../fr/index.html\" lang=\"fr\""),
        "{only}"
    );
}

#[test]
fn links_to_untranslated_pages_fall_back_to_the_default_language_with_a_note() {
    let site = bilingual();
    site.build_ok();
    let fr = site.out("fr/articles/withdrawal/index.html");
    // A wikilink and an actor autolink to pages without a French version.
    assert!(fr.contains("<a class=\"xref xref-note\" href=\"../../../explainers/coup/index.html\" hreflang=\"en\" lang=\"en\" data-xref=\"explainers/coup\">The coup</a> <span class=\"xref-language\">(en anglais)</span>"), "{fr}");
    assert!(fr.contains("href=\"../../../actors/mohamed-bazoum/index.html\" hreflang=\"en\" lang=\"en\" data-xref=\"actors/mohamed-bazoum\">Bazoum</a> <span class=\"xref-language\">(en anglais)</span>"));
    // A translated actor is linked within the tree, without a note.
    assert!(fr.contains("href=\"../../actors/emmanuel-macron/index.html\" data-xref=\"actors/emmanuel-macron\">Macron</a>"));
    // The sidebar's cards do the same.
    assert!(fr.contains("data-xref=\"actors/mohamed-bazoum\">Mohamed Bazoum</a> <span class=\"xref-language\">(en anglais)</span>"));
    // The English pages never carry the note.
    assert!(!site
        .out("articles/withdrawal/index.html")
        .contains("xref-language"));
}

#[test]
fn a_country_without_a_translation_is_linked_in_the_default_language_with_a_note() {
    let site = bilingual();
    site.write(
        "content/actors/niger.md",
        "+++\nname = \"Niger\"\nkind = \"country\"\n+++\nA country.\n",
    );
    site.write(
        "content/actors/mali.md",
        "+++\nname = \"Mali\"\nkind = \"country\"\n+++\nA country.\n",
    );
    site.write(
        "content/actors/mali.fr.md",
        "+++\nname = \"Mali\"\nkind = \"country\"\n+++\nUn pays.\n",
    );
    site.write(
        "content/actors/mohamed-bazoum.fr.md",
        "+++\nname = \"Mohamed Bazoum\"\ncountry = \"Niger\"\n+++\nProfil.\n",
    );
    site.write(
        "content/actors/emmanuel-macron.fr.md",
        "+++\nname = \"Emmanuel Macron\"\naliases = [\"Macron\"]\ncountry = \"Mali\"\n+++\nProfil.\n",
    );
    site.build_ok();
    // Niger has no French profile: the English one, marked.
    let bazoum = site.out("fr/actors/mohamed-bazoum/index.html");
    assert!(
        bazoum.contains("<a class=\"xref xref-actor\" href=\"../../../actors/niger/index.html\" hreflang=\"en\" lang=\"en\">Niger</a> <span class=\"xref-language\">(en anglais)</span>"),
        "{bazoum}"
    );
    // Mali has one: linked within the tree, with no note.
    let macron = site.out("fr/actors/emmanuel-macron/index.html");
    assert!(
        macron.contains(
            "<a class=\"xref xref-actor\" href=\"../../actors/mali/index.html\">Mali</a></dd>"
        ),
        "{macron}"
    );
    assert_site_integrity(&site.root().join("public"));
}

#[test]
fn an_author_without_a_translation_is_linked_in_the_default_language() {
    let site = bilingual();
    site.write(
        "content/authors/ana-diallo.md",
        "+++\nname = \"Ana Diallo\"\nrole = \"Correspondent\"\n+++\nReports from Niamey.\n",
    );
    site.write(
        "content/articles/withdrawal.fr.md",
        "+++\ntitle = \"La France se retire\"\ndate = 2023-10-10\nauthors = [\"Ana Diallo\"]\n+++\nTexte.\n",
    );
    site.build_ok();
    let fr = site.out("fr/articles/withdrawal/index.html");
    // The byline climbs to the English profile; the French tree has no
    // author pages and no link to an authors index of its own.
    // ... marked as the English page, like every other such link.
    assert!(
        fr.contains("rel=\"author\" href=\"../../../authors/ana-diallo/index.html\" hreflang=\"en\" lang=\"en\">Ana Diallo</a> <span class=\"xref-language\">(en anglais)</span>"),
        "{fr}"
    );
    assert!(
        fr.contains("\"url\":\"https://news.example.org/sub/authors/ana-diallo/\""),
        "{fr}"
    );
    assert!(!site.exists("fr/authors/index.html"));
    assert!(!fr.contains("href=\"../../authors/index.html\""), "{fr}");
    // The French feed's entry names the English profile too.
    let feed = site.out("fr/feed.xml");
    assert!(
        feed.contains("<author><name>Ana Diallo</name><uri>https://news.example.org/sub/authors/ana-diallo/</uri></author>"),
        "{feed}"
    );
    assert!(site.exists("authors/ana-diallo/index.html"));
    assert_site_integrity(&site.root().join("public"));
}

#[test]
fn a_translated_author_page_lists_only_its_languages_articles() {
    let site = bilingual();
    site.write(
        "content/authors/ana-diallo.md",
        "+++\nname = \"Ana Diallo\"\n+++\nReports from Niamey.\n",
    );
    site.write(
        "content/authors/ana-diallo.fr.md",
        "+++\nname = \"Ana Diallo\"\n+++\nCorrespondante à Niamey.\n",
    );
    site.write(
        "content/articles/withdrawal.fr.md",
        "+++\ntitle = \"La France se retire\"\ndate = 2023-10-10\nauthors = [\"Ana Diallo\"]\n+++\nTexte.\n",
    );
    site.write(
        "content/articles/only-english.md",
        "+++\ntitle = \"Only in English\"\ndate = 2023-10-11\nauthors = [\"Ana Diallo\"]\n+++\nEnglish only.\n",
    );
    site.build_ok();
    let fr = site.out("fr/authors/ana-diallo/index.html");
    assert!(fr.contains("La France se retire"), "{fr}");
    // The English-only story is not hers in the French tree: its page
    // there would be a link to nothing.
    assert!(!fr.contains("Only in English"), "{fr}");
    let feed = site.out("fr/authors/ana-diallo/feed.xml");
    assert!(!feed.contains("only-english"), "{feed}");
    let en = site.out("authors/ana-diallo/index.html");
    assert!(en.contains("Only in English"), "{en}");
    assert!(!en.contains("La France se retire"), "{en}");
    assert_site_integrity(&site.root().join("public"));
}

#[test]
fn each_languages_404_page_links_from_the_host() {
    let site = bilingual();
    site.write(
        "static/favicon.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.build_ok();
    let out = site.root().join("public");
    for (page, home) in [
        ("404.html", "/sub/index.html"),
        ("fr/404.html", "/sub/fr/index.html"),
    ] {
        let html = site.out(page);
        // The stylesheet, scripts and icons are at the output root, for
        // both trees, and the language switcher starts at the host: a
        // 404 page is served at any address.
        let sheet = html
            .split("<link rel=\"stylesheet\" href=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap();
        assert!(sheet.starts_with("/sub/style."), "{page}: {sheet}");
        assert!(
            out.join(sheet.trim_start_matches("/sub/")).is_file(),
            "{page}: {sheet}"
        );
        assert!(html.contains("href=\"/sub/favicon.svg\""), "{page}: {html}");
        assert!(html.contains(&format!("href=\"{home}\"")), "{page}: {html}");
        for switch in [
            "href=\"/sub/index.html\" lang=\"en\"",
            "href=\"/sub/fr/index.html\" lang=\"fr\"",
        ] {
            assert!(html.contains(switch), "{page}: {switch} in {html}");
        }
    }
}

#[test]
fn each_language_has_its_own_feed() {
    let site = bilingual();
    site.build_ok();
    let text = site.out("fr/feed.xml");
    let doc = roxmltree::Document::parse(&text).expect("the French feed is XML");
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .filter_map(|e| e.children().find(|c| c.has_tag_name("title")))
        .filter_map(|t| t.text())
        .collect();
    assert_eq!(titles, ["La France se retire"]);
    assert!(text.contains("href=\"https://news.example.org/sub/fr/articles/withdrawal/\""));
    let english = site.out("feed.xml");
    assert!(english.contains("Only in English") && !english.contains("La France se retire"));
    // Each tree's feeds say their language.
    let xml_lang = |text: &str| {
        let doc = roxmltree::Document::parse(text).unwrap();
        let lang = doc
            .root_element()
            .attribute(("http://www.w3.org/XML/1998/namespace", "lang"));
        lang.map(str::to_string)
    };
    assert_eq!(xml_lang(&text).as_deref(), Some("fr"));
    assert_eq!(xml_lang(&english).as_deref(), Some("en"));
    let actor_feed = site.out("fr/actors/emmanuel-macron/feed.xml");
    assert_eq!(xml_lang(&actor_feed).as_deref(), Some("fr"));
}

#[test]
fn a_translation_into_an_unlisted_language_is_a_located_error() {
    let site = bilingual();
    site.write(
        "content/articles/withdrawal.de.md",
        "+++\ntitle = \"Rückzug\"\ndate = 2023-10-10\n+++\nText.\n",
    );
    let out = site.build();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("content/articles/withdrawal.de.md:1:1:"),
        "{err}"
    );
    assert!(err.contains("\"de\""), "{err}");
    assert!(err.contains("add \"de\" to languages"), "{err}");
}

#[test]
fn a_language_suffix_on_a_single_language_site_is_an_error_with_a_hint() {
    let site = Site::new(&[(
        "content/articles/withdrawal.fr.md",
        "+++\ntitle = \"Rückzug\"\ndate = 2023-10-10\n+++\nText.\n",
    )]);
    let out = site.build();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("content/articles/withdrawal.fr.md:1:1:"),
        "{err}"
    );
    assert!(err.contains("languages = [\"en\", \"fr\"]"), "{err}");
    assert!(
        err.contains("rename the file (a slug has no dots): withdrawal-fr.md"),
        "{err}"
    );
}

#[test]
fn languages_without_the_default_language_is_located_in_site_toml() {
    let site = bilingual();
    site.write(
        "site.toml",
        "language = \"de\"\nlanguages = [\"en\", \"fr\"]\n",
    );
    let out = site.build();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("site.toml:2:1:"), "{err}");
    assert!(err.contains("\"de\""), "{err}");
    // The French files are not also reported: fr is listed.
    assert!(!err.contains("is a translation into"), "{err}");
}

#[test]
fn a_single_language_site_has_no_switcher_and_no_alternates() {
    let site = Site::new(&[(
        "content/articles/a.md",
        "+++\ntitle = \"A\"\ndate = 2023-10-10\n+++\nText.\n",
    )]);
    site.build_ok();
    let html = site.out("articles/a/index.html");
    assert!(!html.contains("language-switcher") && !html.contains("hreflang"));
    assert!(!site.exists("fr"));
}

#[test]
fn bundles_may_hold_translations() {
    let site = bilingual();
    site.write(
        "content/notes/standoff/index.md",
        "+++\ntitle = \"Standoff\"\n+++\nText.\n",
    );
    site.write(
        "content/notes/standoff/index.fr.md",
        "+++\ntitle = \"Bras de fer\"\n+++\nTexte [report](report.pdf).\n",
    );
    site.write("content/notes/standoff/report.pdf", "%PDF-1.4\n");
    site.build_ok();
    assert_site_integrity(&site.root().join("public"));
    assert!(site.exists("explainers/standoff/report.pdf"));
    assert!(!site.exists("fr/explainers/standoff/report.pdf"));
    let fr = site.out("fr/explainers/standoff/index.html");
    assert!(
        fr.contains("href=\"../../../explainers/standoff/report.pdf\""),
        "{fr}"
    );
}

#[test]
fn a_right_to_left_tree_and_a_page_without_a_default_version() {
    let site = Site::new(&[
        (
            "site.toml",
            "base_url = \"https://x.example/\"\nlanguages = [\"en\", \"fr\", \"ar\"]\n",
        ),
        (
            "content/articles/one.md",
            "+++\ntitle = \"One\"\ndate = 2023-09-01\n+++\nText.\n",
        ),
        (
            "content/articles/one.ar.md",
            "+++\ntitle = \"واحد\"\ndate = 2023-09-01\n+++\nنص.\n",
        ),
        (
            "content/notes/local.fr.md",
            "+++\ntitle = \"Local\"\n+++\nTexte.\n",
        ),
        (
            "content/notes/local.ar.md",
            "+++\ntitle = \"محلي\"\n+++\nنص.\n",
        ),
    ]);
    site.build_ok();
    assert_site_integrity(&site.root().join("public"));
    let ar = site.out("ar/articles/one/index.html");
    assert!(ar.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(ar.contains("aria-label=\"اللغات\""));
    assert!(
        ar.contains("lang=\"ar\" hreflang=\"ar\" dir=\"rtl\" aria-current=\"true\">العربية</a>")
    );
    // Not translated into French: the switcher leads to the French front page.
    assert!(ar.contains("<a href=\"../../../fr/index.html\" lang=\"fr\""));
    // A note only in French and Arabic: alternates between the two, and
    // no x-default, since the default language has no version of it.
    let fr = site.out("fr/explainers/local/index.html");
    assert!(fr.contains(
        "<link rel=\"alternate\" hreflang=\"ar\" href=\"https://x.example/ar/explainers/local/\">"
    ));
    assert!(fr.contains(
        "<link rel=\"alternate\" hreflang=\"fr\" href=\"https://x.example/fr/explainers/local/\">"
    ));
    assert!(!fr.contains("hreflang=\"x-default\""));
    assert!(!site.exists("explainers/local/index.html"));
    // English switcher entry of that page: the English front page.
    assert!(fr.contains("<a href=\"../../../index.html\" lang=\"en\""));
}

#[test]
fn a_standalone_page_may_not_take_a_language_tree() {
    let site = bilingual();
    site.write(
        "content/pages/fr.md",
        "+++\ntitle = \"Français\"\n+++\nText.\n",
    );
    let out = site.build();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("content/pages/fr.md:1:1:"), "{err}");
    assert!(err.contains("fr/"), "{err}");
}

#[test]
fn a_language_without_words_is_located_at_its_entry_of_languages() {
    let site = bilingual();
    site.write(
        "site.toml",
        "language = \"en\"\nlanguages = [\"en\", \"it\"]\n",
    );
    site.remove("content/articles/withdrawal.fr.md");
    site.remove("content/actors/emmanuel-macron.fr.md");
    let out = site.build();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("site.toml:2:21:"), "{err}");
    assert!(err.contains("i18n/it.toml"), "{err}");
}

#[test]
fn the_multilingual_fixture_builds_with_every_link_resolving() {
    // tests/validate.sh puts this fixture through vnu, axe-core and
    // feedparser (tests/check_feeds.py); here it must build, whole.
    let out = tempfile::tempdir().unwrap();
    let built = support::bin()
        .args(["build", "--quiet", "--root"])
        .arg(support::repo_root().join("tests/fixtures/multilingual-site"))
        .arg("--output")
        .arg(out.path().join("site"))
        .output()
        .unwrap();
    assert!(built.status.success(), "{}", stderr(&built));
    let site = out.path().join("site");
    assert_site_integrity(&site);
    for feed in ["feed.xml", "fr/feed.xml", "ar/feed.xml"] {
        let text = std::fs::read_to_string(site.join(feed)).unwrap();
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{feed}: {e}"));
    }
    let ar = std::fs::read_to_string(site.join("ar/articles/withdrawal/index.html")).unwrap();
    assert!(ar.contains("<html lang=\"ar\" dir=\"rtl\">"));
}

#[test]
fn a_site_toml_that_cannot_be_read_still_names_its_languages() {
    // A bidirectional control makes the file unreadable as settings; its
    // translations and i18n files are not also reported as unlisted.
    let site = bilingual();
    site.write(
        "site.toml",
        &format!("description = \"Niger \u{202e}\"\n{SITE_TOML}"),
    );
    site.write("i18n/fr.toml", "latest = \"Récent\"\n");
    let out = site.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("site.toml:1:"), "{err}");
    assert!(err.contains("1 problem found"), "{err}");
}

/// `withdrawal.fr.md` under a slug of its own, a French page linking to
/// it by both slugs, and a bundle note translated under another slug.
fn renamed_translation() -> Site {
    Site::new(&[
        ("site.toml", SITE_TOML),
        (
            "content/articles/withdrawal.md",
            "+++\ntitle = \"France withdraws\"\ndate = 2023-10-10\nbackground = [\"standoff\"]\n+++\nText.\n",
        ),
        (
            "content/articles/withdrawal.fr.md",
            "+++\ntitle = \"La France se retire\"\nslug = \"retrait\"\ndate = 2023-10-10\nbackground = [\"standoff\"]\n+++\nTexte.\n",
        ),
        (
            "content/articles/reaction.md",
            "+++\ntitle = \"Reaction\"\ndate = 2023-10-11\n+++\nAfter [[withdrawal]].\n",
        ),
        (
            "content/articles/reaction.fr.md",
            "+++\ntitle = \"Réaction\"\ndate = 2023-10-11\n+++\nAprès [[withdrawal]], puis [[retrait]].\n",
        ),
        (
            "content/notes/standoff/index.md",
            "+++\ntitle = \"Standoff\"\n+++\nText.\n",
        ),
        (
            "content/notes/standoff/index.fr.md",
            "+++\ntitle = \"Bras de fer\"\nslug = \"bras-de-fer\"\n+++\nTexte.\n",
        ),
    ])
}

#[test]
fn a_translation_under_its_own_slug_pairs_with_its_original() {
    let site = renamed_translation();
    site.build_ok();
    assert_site_integrity(&site.root().join("public"));
    assert!(site.exists("fr/articles/retrait/index.html"));
    assert!(!site.exists("fr/articles/withdrawal/index.html"));
    let alternates = [
        "<link rel=\"alternate\" hreflang=\"en\" href=\"https://news.example.org/sub/articles/withdrawal/\">",
        "<link rel=\"alternate\" hreflang=\"fr\" href=\"https://news.example.org/sub/fr/articles/retrait/\">",
        "<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://news.example.org/sub/articles/withdrawal/\">",
    ];
    for page in [
        "articles/withdrawal/index.html",
        "fr/articles/retrait/index.html",
    ] {
        let html = site.out(page);
        for a in alternates {
            assert!(html.contains(a), "{page} lacks {a}");
        }
    }
    // The switcher leads each to the other, not to a front page.
    let en = site.out("articles/withdrawal/index.html");
    assert!(
        en.contains("<a href=\"../../fr/articles/retrait/index.html\" lang=\"fr\""),
        "{en}"
    );
    let fr = site.out("fr/articles/retrait/index.html");
    assert!(
        fr.contains("<a href=\"../../../articles/withdrawal/index.html\" lang=\"en\""),
        "{fr}"
    );
    // A bundle's translation too.
    let note = site.out("fr/explainers/bras-de-fer/index.html");
    assert!(note.contains(
        "<link rel=\"alternate\" hreflang=\"en\" href=\"https://news.example.org/sub/explainers/standoff/\">"
    ));
    assert!(site.out("explainers/standoff/index.html").contains(
        "<link rel=\"alternate\" hreflang=\"fr\" href=\"https://news.example.org/sub/fr/explainers/bras-de-fer/\">"
    ));
    // Feeds and the sitemap use the translation's own URL.
    let feed = site.out("fr/feed.xml");
    assert!(feed.contains("href=\"https://news.example.org/sub/fr/articles/retrait/\""));
    assert!(!feed.contains("fr/articles/withdrawal/"));
    let sitemap = site.out("sitemap.xml");
    assert!(sitemap.contains("<loc>https://news.example.org/sub/fr/articles/retrait/</loc>"));
    assert!(sitemap.contains("<loc>https://news.example.org/sub/fr/explainers/bras-de-fer/</loc>"));
    assert!(!sitemap.contains("fr/articles/withdrawal/"));
    assert!(!sitemap.contains("fr/explainers/standoff/"));
}

#[test]
fn links_reach_a_translation_under_its_own_slug_by_either_slug() {
    let site = renamed_translation();
    site.build_ok();
    let fr = site.out("fr/articles/reaction/index.html");
    // `[[withdrawal]]` and `[[retrait]]`: the French page, without a note.
    let link = "<a class=\"xref xref-article\" href=\"../../articles/retrait/index.html\" data-xref=\"articles/retrait\">La France se retire</a>";
    assert_eq!(fr.matches(link).count(), 2, "{fr}");
    assert!(!fr.contains("xref-language"), "{fr}");
    assert!(!fr.contains("articles/withdrawal/"), "{fr}");
    // `background = ["standoff"]` in French: the French explainer.
    let retrait = site.out("fr/articles/retrait/index.html");
    assert!(
        retrait.contains("href=\"../../explainers/bras-de-fer/index.html\""),
        "{retrait}"
    );
    assert!(!retrait.contains("xref-language"));
    // The English page links the English one.
    let en = site.out("articles/reaction/index.html");
    assert!(en.contains(
        "<a class=\"xref xref-article\" href=\"../../articles/withdrawal/index.html\" data-xref=\"articles/withdrawal\">France withdraws</a>"
    ));
}

#[test]
fn a_default_language_page_may_not_link_to_a_translations_slug() {
    let site = renamed_translation();
    site.write(
        "content/articles/reaction.md",
        "+++\ntitle = \"Reaction\"\ndate = 2023-10-11\n+++\nAfter [[retrait]].\n",
    );
    let out = site.build();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("content/articles/reaction.md:5:"), "{err}");
    assert!(err.contains("retrait"), "{err}");
}

#[test]
fn the_later_pages_of_a_translation_under_its_own_slug_pair_too() {
    let article = |title: &str, day: u32| {
        format!("+++\ntitle = \"{title}\"\ndate = 2023-10-{day:02}\nactors = [\"france\"]\n+++\nText.\n")
    };
    let site = Site::new(&[
        ("site.toml", &format!("{SITE_TOML}paginate = 1\n")),
        (
            "content/actors/france.md",
            "+++\nname = \"France\"\n+++\nProfile.\n",
        ),
        (
            "content/actors/france.fr.md",
            "+++\nname = \"La France\"\nslug = \"la-france\"\n+++\nProfil.\n",
        ),
        ("content/articles/a.md", &article("A", 1)),
        ("content/articles/b.md", &article("B", 2)),
        ("content/articles/a.fr.md", &article("A fr", 1)),
        ("content/articles/b.fr.md", &article("B fr", 2)),
    ]);
    site.build_ok();
    let fr = site.out("fr/actors/la-france/page/2/index.html");
    assert!(fr.contains(
        "<link rel=\"alternate\" hreflang=\"en\" href=\"https://news.example.org/sub/actors/france/page/2/\">"
    ), "{fr}");
    assert!(fr.contains("<a href=\"../../../../../actors/france/page/2/index.html\" lang=\"en\""));
    let en = site.out("actors/france/page/2/index.html");
    assert!(en.contains(
        "<link rel=\"alternate\" hreflang=\"fr\" href=\"https://news.example.org/sub/fr/actors/la-france/page/2/\">"
    ), "{en}");
}

#[test]
fn each_language_may_have_its_own_title_and_description() {
    let site = Site::new(&[
        (
            "site.toml",
            "title = \"Sahel\"\ndescription = \"The Sahel, explained.\"\nbase_url = \"https://x.example/\"\nlanguages = [\"en\", \"fr\", \"ar\"]\n\n[translations.fr]\ntitle = \"Le Sahel\"\ndescription = \"Le Sahel, expliqué.\"\n\n[translations.ar]\ndescription = \"الساحل مشروحا\"\n",
        ),
        (
            "content/articles/one.md",
            "+++\ntitle = \"One\"\ndate = 2023-09-01\n+++\nText.\n",
        ),
        (
            "content/articles/one.fr.md",
            "+++\ntitle = \"Un\"\ndate = 2023-09-01\n+++\nTexte.\n",
        ),
        // A tree without articles of its own has no feed.
        (
            "content/articles/one.ar.md",
            "+++\ntitle = \"واحد\"\ndate = 2023-09-01\n+++\nنص.\n",
        ),
    ]);
    site.build_ok();
    // French: both its own, in the feed, the front page and its JSON-LD.
    let feed = site.out("fr/feed.xml");
    let doc = roxmltree::Document::parse(&feed).expect("the French feed is XML");
    let child = |name: &str| {
        (doc.root_element().children())
            .find(|c| c.has_tag_name(name))
            .and_then(|c| c.text())
            .map(str::to_string)
    };
    assert_eq!(child("title").as_deref(), Some("Le Sahel"));
    assert_eq!(child("subtitle").as_deref(), Some("Le Sahel, expliqué."));
    let front = site.out("fr/index.html");
    assert!(front.contains("<title>Le Sahel</title>"), "{front}");
    assert!(front.contains("<meta name=\"description\" content=\"Le Sahel, expliqué.\">"));
    assert!(front.contains(
        "\"@type\":\"WebSite\",\"description\":\"Le Sahel, expliqué.\",\"inLanguage\":\"fr\",\"name\":\"Le Sahel\""
    ), "{front}");
    assert!(site
        .out("fr/articles/one/index.html")
        .contains("<title>Un — Le Sahel</title>"));
    // Arabic: its own description, the default title.
    let ar = site.out("ar/index.html");
    assert!(ar.contains("<title>Sahel</title>"), "{ar}");
    assert!(ar.contains("<meta name=\"description\" content=\"الساحل مشروحا\">"));
    assert!(site
        .out("ar/feed.xml")
        .contains("<subtitle>الساحل مشروحا</subtitle>"));
    // English keeps the top-level ones.
    let en = site.out("index.html");
    assert!(en.contains("<title>Sahel</title>"));
    assert!(en.contains("<meta name=\"description\" content=\"The Sahel, explained.\">"));
    assert!(site
        .out("feed.xml")
        .contains("<subtitle>The Sahel, explained.</subtitle>"));
}

#[test]
fn a_language_without_its_own_title_and_description_takes_the_default() {
    let site = bilingual();
    site.write(
        "site.toml",
        &format!("{SITE_TOML}description = \"The Sahel, explained.\"\n"),
    );
    site.build_ok();
    let front = site.out("fr/index.html");
    assert!(front.contains("<title>Sahel</title>"), "{front}");
    assert!(front.contains("<meta name=\"description\" content=\"The Sahel, explained.\">"));
    assert!(site
        .out("fr/feed.xml")
        .contains("<subtitle>The Sahel, explained.</subtitle>"));
}

#[test]
fn translations_tables_are_checked_together() {
    let site = bilingual();
    site.write(
        "site.toml",
        &format!("{SITE_TOML}\n[translations.fr]\ntitel = \"Le Sahel\"\n\n[translations.de]\ntitle = \"Sahel\"\n\n[translations.en]\ntitle = \"S\"\n"),
    );
    let out = site.build();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("site.toml:7:1: unknown key `titel` in the `[translations.fr]` table"),
        "{err}"
    );
    assert!(err.contains("did you mean \"title\"?"), "{err}");
    assert!(err
        .contains("site.toml:9:1: [translations.de] names \"de\", which languages does not list"));
    assert!(
        err.contains("name one of them, or add \"de\" to languages"),
        "{err}"
    );
    assert!(err.contains("site.toml:12:1: [translations.en] is for the default language"));
    assert!(err.contains("3 problems found"), "{err}");
    assert!(!site.exists("index.html"));
}

#[test]
fn a_default_language_page_under_its_own_slug_pairs_with_its_translation() {
    let site = bilingual();
    site.write(
        "content/articles/withdrawal.md",
        "+++\ntitle = \"France withdraws\"\nslug = \"pull-out\"\ndate = 2023-10-10\n+++\nText.\n",
    );
    site.write(
        "content/articles/reaction.fr.md",
        "+++\ntitle = \"Réaction\"\ndate = 2023-10-11\n+++\nAprès [[pull-out]].\n",
    );
    site.build_ok();
    let en = site.out("articles/pull-out/index.html");
    assert!(en.contains(
        "<link rel=\"alternate\" hreflang=\"fr\" href=\"https://news.example.org/sub/fr/articles/withdrawal/\">"
    ), "{en}");
    let fr = site.out("fr/articles/withdrawal/index.html");
    assert!(fr.contains("<a href=\"../../../articles/pull-out/index.html\" lang=\"en\""));
    // The default language's slug reaches the French page.
    let reaction = site.out("fr/articles/reaction/index.html");
    assert!(
        reaction.contains("href=\"../../articles/withdrawal/index.html\" data-xref=\"articles/withdrawal\">La France se retire</a>"),
        "{reaction}"
    );
}

#[test]
fn a_translation_into_an_unlisted_language_is_not_told_to_take_a_taken_name() {
    let article = "+++\ntitle = \"Withdrawal\"\ndate = 2023-10-10\n+++\nText.\n";
    let site = Site::new(&[
        ("site.toml", SITE_TOML),
        ("content/articles/withdrawal.md", article),
        ("content/articles/withdrawal.de.md", article),
        ("content/articles/alone.de.md", article),
    ]);
    let out = site.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(
            "= help: the site publishes en, fr, and withdrawal.md is beside it: add \"de\" to \
             languages in site.toml, or remove the file"
        ),
        "{err}"
    );
    assert!(!err.contains("rename the file to withdrawal.md"), "{err}");
    // With no page of that name, renaming is still the way.
    assert!(
        err.contains(
            "= help: the site publishes en, fr: add \"de\" to languages, or rename the file to alone.md"
        ),
        "{err}"
    );
}

#[test]
fn each_language_has_its_own_key_points_heading() {
    // The top-level `know_heading` is the default language's; French
    // pages use the French heading, or their own table's.
    let article = |title: &str, heading: &str| {
        format!("+++\ntitle = \"{title}\"\ndate = 2023-09-01\n+++\nText.\n\n## {heading}\n\n- A point.\n")
    };
    let site = Site::new(&[
        (
            "site.toml",
            &format!("{SITE_TOML}know_heading = \"Key points\"\n"),
        ),
        ("content/articles/one.md", &article("One", "Key points")),
        (
            "content/articles/one.fr.md",
            &article("Un", "Ce qu’il faut savoir"),
        ),
    ]);
    site.build_ok();
    for (page, heading) in [
        ("articles/one/index.html", "Key points"),
        ("fr/articles/one/index.html", "Ce qu’il faut savoir"),
    ] {
        let html = site.out(page);
        let aside = &html[html.find("<aside class=\"sidebar know\"").unwrap()..];
        assert!(
            aside.contains(heading) && aside.contains("A point."),
            "{page}: {aside}"
        );
    }
    site.write(
        "site.toml",
        &format!("{SITE_TOML}know_heading = \"Key points\"\n\n[translations.fr]\nknow_heading = \"L’essentiel\"\n"),
    );
    site.write("content/articles/one.fr.md", &article("Un", "L’essentiel"));
    site.build_ok();
    let html = site.out("fr/articles/one/index.html");
    let aside = &html[html.find("<aside class=\"sidebar know\"").unwrap()..];
    assert!(
        aside.contains("L’essentiel") && aside.contains("A point."),
        "{aside}"
    );
}

#[test]
fn a_table_inside_a_translations_table_is_named_with_the_keys_it_may_hold() {
    let site = bilingual();
    site.write(
        "site.toml",
        &format!("{SITE_TOML}\n[translations.fr]\ntitle = \"Le Sahel\"\n\n[translations.fr.strings]\nlatest = \"Récent\"\n"),
    );
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("site.toml:9:2: unknown key `strings` in the `[translations.fr]` table"),
        "{err}"
    );
    assert!(
        err.contains(
            "= help: the keys of `[translations.fr]` are `title`, `description`, `know_heading`"
        ),
        "{err}"
    );
    assert!(!err.contains("move it above"), "{err}");
}

#[test]
fn a_translated_bundle_under_its_own_slug_shows_the_bundles_files() {
    use std::io::Cursor;
    // A bundle's files are published once, at its original's folder; the
    // French page under its own slug links them there, and so does its
    // feed entry.
    let img = image::RgbaImage::from_fn(64, 40, |x, _| image::Rgba([x as u8, 40, 90, 255]));
    let mut png = Vec::new();
    image::DynamicImage::ImageRgba8(img)
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let site = Site::new(&[
        ("site.toml", SITE_TOML),
        (
            "content/articles/bund/index.md",
            "+++\ntitle = \"Bundle\"\ndate = 2023-09-01\nimage = \"p.png\"\nimage_alt = \"A port\"\n+++\nText.\n",
        ),
        (
            "content/articles/bund/index.fr.md",
            "+++\ntitle = \"Paquet\"\nslug = \"paquet\"\ndate = 2023-09-01\nimage = \"p.png\"\nimage_alt = \"Un port\"\n+++\nTexte.\n",
        ),
    ]);
    site.write_bytes("content/articles/bund/p.png", &png);
    site.build_checked();
    assert!(site.exists("articles/bund/p.png"));
    assert!(
        !site.exists("articles/paquet"),
        "the files are published once"
    );
    let feed = site.out("fr/feed.xml");
    assert!(
        feed.contains("https://news.example.org/sub/articles/bund/p.png"),
        "{feed}"
    );
    assert!(!feed.contains("articles/paquet/p.png"), "{feed}");
    let page = site.out("fr/articles/paquet/index.html");
    assert!(page.contains("../../../articles/bund/p.png"), "{page}");
}
