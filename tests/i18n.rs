//! The interface language: a site in each shipped language, built with
//! the real binary, shows the theme's words and dates in that language;
//! Arabic is right to left; `[strings]` and `i18n/<lang>.toml` override
//! any string, and an unknown key is an error at its place.

use crate::support;

use support::*;

/// A small site in `language`: an article by two authors with an update,
/// a task list and a footnote, its key points under the language's know
/// heading; two topics (one article, two articles); an actor born in a
/// known month; an explainer with a timeline.
fn site_in(language: &str, know_heading: &str, extra_toml: &str) -> Site {
    let article = format!(
        "+++\ntitle = \"Port deal\"\ndate = 2024-03-25\nupdated = 2024-04-02\nauthors = [\"Ana Duarte\", \"Tom Whitlock\"]\ntopics = [\"Ports\", \"Labour\"]\nactors = [\"ines-varga\"]\nbackground = [\"port-history\"]\n+++\n\nThe strike ended.[^1]\n\n## {know_heading}\n\n- Work resumes.\n\n## Demands\n\n- [x] Pay\n- [ ] Safety\n\n[^1]: A note.\n"
    );
    let second = "+++\ntitle = \"Strike begins\"\ndate = 2024-03-05\ntopics = [\"Ports\"]\n+++\n\nDockers walked out.\n";
    let site_toml = format!("title = \"Desk\"\nbase_url = \"https://news.example.org/\"\nlanguage = \"{language}\"\n{extra_toml}");
    Site::new(&[
        ("site.toml", &site_toml),
        ("content/articles/deal.md", &article),
        ("content/articles/begins.md", second),
        (
            "content/actors/ines-varga.md",
            "+++\nname = \"Ines Varga\"\nkind = \"person\"\nborn = \"1972-08\"\n+++\n\nMayor.\n",
        ),
        (
            "content/notes/port-history.md",
            "+++\ntitle = \"Port history\"\nactors = [\"ines-varga\"]\n\n[[timeline]]\ndate = \"1998-06\"\ntext = \"A strike.\"\n+++\n\nHistory.\n",
        ),
    ])
}

/// What each shipped language must show.
struct Expected {
    language: &'static str,
    know_heading: &'static str,
    dir: &'static str,
    nav_articles: &'static str,
    byline: &'static str,
    date: &'static str,
    updated: &'static str,
    born: &'static str,
    one_article: &'static str,
    two_articles: &'static str,
    group_people: &'static str,
    archive_description: &'static str,
    not_found: &'static str,
    task_done: &'static str,
}

const LANGUAGES: &[Expected] = &[
    Expected {
        language: "en",
        know_heading: "What You Should Know",
        dir: "ltr",
        nav_articles: "Articles",
        byline: "By Ana Duarte and Tom Whitlock",
        date: "March 25, 2024",
        updated: "Updated",
        born: "August 1972",
        one_article: "(1 article)",
        two_articles: "(2 articles)",
        group_people: "People",
        archive_description: "All 2 articles, newest first.",
        not_found: "Page not found",
        task_done: "Done",
    },
    Expected {
        language: "fr-CA",
        know_heading: "Ce qu'il faut savoir",
        dir: "ltr",
        nav_articles: "Articles",
        byline: "Par Ana Duarte et Tom Whitlock",
        date: "25 mars 2024",
        updated: "Mis à jour le",
        born: "août 1972",
        one_article: "(1 article)",
        two_articles: "(2 articles)",
        group_people: "Personnalités",
        archive_description: "Les 2 articles, du plus récent au plus ancien.",
        not_found: "Page introuvable",
        task_done: "Fait",
    },
    Expected {
        language: "es",
        know_heading: "Lo que hay que saber",
        dir: "ltr",
        nav_articles: "Artículos",
        byline: "Por Ana Duarte y Tom Whitlock",
        date: "25 de marzo de 2024",
        updated: "Actualizado el",
        born: "agosto de 1972",
        one_article: "(1 artículo)",
        two_articles: "(2 artículos)",
        group_people: "Personas",
        archive_description: "Los 2 artículos, del más reciente al más antiguo.",
        not_found: "Página no encontrada",
        task_done: "Hecho",
    },
    Expected {
        language: "de",
        know_heading: "Das Wichtigste in Kürze",
        dir: "ltr",
        nav_articles: "Artikel",
        byline: "Von Ana Duarte und Tom Whitlock",
        date: "25. März 2024",
        updated: "Aktualisiert am",
        born: "August 1972",
        one_article: "(1 Artikel)",
        two_articles: "(2 Artikel)",
        group_people: "Personen",
        archive_description: "Alle 2 Artikel, die neuesten zuerst.",
        not_found: "Seite nicht gefunden",
        task_done: "Erledigt",
    },
    Expected {
        language: "pt-BR",
        know_heading: "O que é preciso saber",
        dir: "ltr",
        nav_articles: "Artigos",
        byline: "Por Ana Duarte e Tom Whitlock",
        date: "25 de março de 2024",
        updated: "Atualizado em",
        born: "agosto de 1972",
        one_article: "(1 artigo)",
        two_articles: "(2 artigos)",
        group_people: "Pessoas",
        archive_description: "Todos os 2 artigos, dos mais recentes aos mais antigos.",
        not_found: "Página não encontrada",
        task_done: "Concluído",
    },
    Expected {
        language: "ar",
        know_heading: "ما يجب أن تعرفه",
        dir: "rtl",
        nav_articles: "المقالات",
        byline: "بقلم Ana Duarte وTom Whitlock",
        date: "25 مارس 2024",
        updated: "آخر تحديث:",
        born: "أغسطس 1972",
        one_article: "(مقال واحد)",
        two_articles: "(مقالان)",
        group_people: "شخصيات",
        archive_description: "المقالان المنشوران حتى الآن، الأحدث أولًا.",
        not_found: "الصفحة غير موجودة",
        task_done: "منجز",
    },
];

#[test]
fn each_shipped_language_translates_the_theme_and_its_dates() {
    for e in LANGUAGES {
        let site = site_in(e.language, e.know_heading, "");
        site.build_checked();
        let lang = e.language;
        let article = site.out("articles/deal/index.html");
        assert!(
            article.contains(&format!("<html lang=\"{lang}\" dir=\"{}\">", e.dir)),
            "{lang}: <html> names the language and direction"
        );
        assert!(
            article.contains(&format!(">{}</a></li>", e.nav_articles)),
            "{lang}: nav"
        );
        assert!(
            article.contains(&format!("<span class=\"authors\">{}</span>", e.byline)),
            "{lang}: byline"
        );
        assert!(
            article.contains(&format!("<time datetime=\"2024-03-25\">{}</time>", e.date)),
            "{lang}: the date in words, machine-readable in datetime"
        );
        assert!(
            article.contains(&format!("{} <time datetime=\"2024-04-02\">", e.updated)),
            "{lang}: updated"
        );
        // The body's heading in the language is lifted into the sidebar.
        let sidebar = &article[article.find("id=\"know-heading\"").expect("know box")..];
        assert!(
            sidebar.contains("Work resumes."),
            "{lang}: key points lifted"
        );
        assert!(
            article.contains(&format!("aria-label=\"{}\"", e.task_done)),
            "{lang}: task list label"
        );
        let topics = site.out("topics/index.html");
        assert!(topics.contains(e.one_article), "{lang}: {}", e.one_article);
        assert!(
            topics.contains(e.two_articles),
            "{lang}: {}",
            e.two_articles
        );
        let actors = site.out("actors/index.html");
        assert!(
            actors.contains(&format!(">{}</h2>", e.group_people)),
            "{lang}: actor group"
        );
        let actor = site.out("actors/ines-varga/index.html");
        assert!(
            actor.contains(&format!("<time datetime=\"1972-08\">{}</time>", e.born)),
            "{lang}: a month and year"
        );
        let archive = site.out("articles/index.html");
        assert!(
            archive.contains(&format!(
                "<meta name=\"description\" content=\"{}\">",
                e.archive_description
            )),
            "{lang}: the archive's description with its count"
        );
        assert!(site.out("404.html").contains(e.not_found), "{lang}: 404");
        // The Atom feed's copy of the key points carries the language's heading.
        // (The interface's own heading has the typographic apostrophe.)
        let shown = e.know_heading.replace('\'', "’");
        assert!(
            article.contains(&format!("<h2 id=\"know-heading\">{shown}</h2>")),
            "{lang}: the sidebar's heading"
        );
        assert!(
            site.out("feed.xml")
                .contains(&format!("&lt;aside&gt;&lt;h2&gt;{shown}&lt;/h2&gt;")),
            "{lang}: the feed's key points"
        );
    }
}

#[test]
fn no_english_is_left_in_the_other_languages() {
    // Words of the English interface that a page in another language must
    // not show (names of sections that are the same word in French, such
    // as "Articles" or "Sources", are left out).
    let english = [
        "Key actors",
        "Latest events",
        "Skip to content",
        "Updated",
        "By Ana",
        "Atom feed",
        "Appears in",
        "Timeline",
    ];
    for e in LANGUAGES.iter().filter(|e| e.language != "en") {
        let site = site_in(e.language, e.know_heading, "");
        site.build_ok();
        for page in [
            "articles/deal/index.html",
            "index.html",
            "actors/ines-varga/index.html",
            "explainers/port-history/index.html",
        ] {
            let html = site.out(page);
            for word in english {
                assert!(
                    !html.contains(word),
                    "{}: {page} still says {word:?}",
                    e.language
                );
            }
        }
    }
}

#[test]
fn arabic_reads_right_to_left_with_its_own_plural_forms() {
    let site = Site::new(&[]);
    let fixture = repo_root().join("tests/fixtures/arabic-site");
    let out = site.root().join("out");
    let status = bin()
        .args(["build", "--quiet", "--root"])
        .arg(&fixture)
        .arg("--output")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    assert_site_integrity(&out);
    let read = |p: &str| std::fs::read_to_string(out.join(p)).unwrap();
    for page in [
        "index.html",
        "articles/port-strike-ends/index.html",
        "404.html",
        "timeline/index.html",
    ] {
        assert!(
            read(page).contains("<html lang=\"ar\" dir=\"rtl\">"),
            "{page}"
        );
    }
    let article = read("articles/port-strike-ends/index.html");
    assert!(
        article.contains("بقلم سلمى حداد، يوسف العلي وAna Duarte"),
        "a list joined with و"
    );
    assert!(article.contains("<time datetime=\"2024-03-14\">14 مارس 2024</time>"));
    let timeline = read("timeline/index.html");
    assert!(timeline.contains("<time class=\"event-date\" datetime=\"1998-06\">يونيو 1998</time>"));
    // The topic with two articles takes the dual.
    assert!(read("topics/index.html").contains("(مقالان)"));
}

#[test]
fn the_stylesheet_mirrors_with_logical_properties() {
    // A physical side in the theme's stylesheet would not mirror in a
    // right-to-left page.
    let css = std::fs::read_to_string(repo_root().join("static/style.css")).unwrap();
    let physical = regex_free_words(&css, &["left", "right"]);
    assert!(
        physical.is_empty(),
        "physical sides in style.css: {physical:?}"
    );
}

/// The declarations of `css` (comments removed) naming one of `words` as a
/// property part or value (`padding-left`, `text-align: right`).
fn regex_free_words(css: &str, words: &[&str]) -> Vec<String> {
    let mut text = String::new();
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    text.push_str(rest);
    text.split([';', '{', '}'])
        .map(str::trim)
        .filter(|decl| {
            decl.split(|c: char| !c.is_ascii_alphanumeric())
                .any(|w| words.contains(&w))
        })
        .map(String::from)
        .collect()
}

#[test]
fn site_strings_override_the_built_in_ones() {
    let site = site_in(
        "fr",
        "Ce qu'il faut savoir",
        "\n[strings]\nkey_actors = \"Les protagonistes\"\ntopic_count = { one = \"{count} papier\", other = \"{count} papiers\" }\n",
    );
    site.write("i18n/fr.toml", "background = \"Pour comprendre\"\nkey_actors = \"Remplacé par site.toml\"\ndate_format = \"%A %-d %B %Y\"\n");
    site.build_checked();
    let article = site.out("articles/deal/index.html");
    assert!(
        article.contains(">Les protagonistes</h3>"),
        "[strings] wins over i18n/fr.toml"
    );
    assert!(
        article.contains(">Pour comprendre</h3>"),
        "i18n/fr.toml over the built-in"
    );
    assert!(
        article.contains(">lundi 25 mars 2024</time>"),
        "a date pattern of the site's own"
    );
    assert!(article.contains(">Sources<") || !article.contains("sources-heading"));
    let topics = site.out("topics/index.html");
    assert!(topics.contains("(1 papier)") && topics.contains("(2 papiers)"));
}

#[test]
fn know_heading_in_site_toml_still_wins() {
    let site = site_in(
        "fr",
        "Les points clés",
        "know_heading = \"Les points clés\"\n",
    );
    site.build_ok();
    let article = site.out("articles/deal/index.html");
    assert!(article.contains("<h2 id=\"know-heading\">Les points clés</h2>"));
}

#[test]
fn an_unknown_string_key_is_an_error_at_its_place() {
    let site = site_in(
        "de",
        "Das Wichtigste in Kürze",
        "\n[strings]\nlatests = \"Neu\"\n",
    );
    site.write("i18n/de.toml", "# unsere\nkey_actor = \"Beteiligte\"\n");
    let out = site.build();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("site.toml:6:1: unknown interface string `latests`"),
        "{err}"
    );
    assert!(err.contains("did you mean \"latest\"?"), "{err}");
    assert!(
        err.contains(&format!(
            "i18n{}de.toml:2:1: unknown interface string `key_actor`",
            std::path::MAIN_SEPARATOR
        )),
        "{err}"
    );
    assert!(err.contains("did you mean \"key_actors\"?"), "{err}");
    assert!(!site.exists("index.html"), "nothing was written");
}

#[test]
fn an_unsupported_language_needs_its_own_translation() {
    let site = site_in("it", "Da sapere", "");
    let out = site.build();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("site.toml:3:13: language \"it\" has no built-in translation"),
        "{err}"
    );
    assert!(err.contains("en, fr, es, de, pt, ar"), "{err}");
}

#[test]
fn templates_hold_no_english_of_their_own() {
    // Every word a reader sees comes from the interface strings: with the
    // Tera tags and HTML tags removed, no letters are left in a template
    // (the command in <code> on an empty front page is not translated).
    let allowed = ["explainer new article \"Title\""];
    for entry in std::fs::read_dir(repo_root().join("templates")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let mut text = std::fs::read_to_string(&path).unwrap();
        for a in allowed {
            text = text.replace(a, "");
        }
        // The blocks that hold class names, not words.
        for block in ["body_class", "layout_class"] {
            let open = format!("{{% block {block} %}}");
            while let Some(start) = text.find(&open) {
                let end = text[start..]
                    .find("{% endblock")
                    .map_or(text.len(), |e| start + e);
                text.replace_range(start..end, "");
            }
        }
        let words = visible_words(&text);
        assert!(words.is_empty(), "{}: {words:?}", path.display());
    }
}

/// The words outside `{{ }}`, `{% %}`, `{# #}` and `< >`.
fn visible_words(template: &str) -> Vec<String> {
    let mut out = String::new();
    let mut rest = template;
    loop {
        let next = ["{{", "{%", "{#", "<"]
            .iter()
            .filter_map(|open| rest.find(open).map(|at| (at, *open)))
            .min();
        let Some((at, open)) = next else {
            out.push_str(rest);
            break;
        };
        out.push_str(&rest[..at]);
        out.push(' ');
        let close = match open {
            "{{" => "}}",
            "{%" => "%}",
            "{#" => "#}",
            _ => ">",
        };
        rest = &rest[at..];
        rest = rest
            .find(close)
            .map_or("", |end| &rest[end + close.len()..]);
    }
    out.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .map(String::from)
        .collect()
}

#[test]
fn templates_md_lists_every_interface_string() {
    // The reference lists each key of en.toml with its English text, and
    // nothing else, in the "Interface strings" table.
    let doc = std::fs::read_to_string(repo_root().join("TEMPLATES.md")).unwrap();
    let section = &doc[doc.find("## Interface strings").expect("the section")..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |e| e + 3)];
    let documented: Vec<(String, String)> = section
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| key |") && !l.starts_with("| ---"))
        .map(|l| {
            let cells: Vec<&str> = l.split(" | ").collect();
            (
                cells[0].trim_start_matches("| ").to_string(),
                cells[1].trim_matches('`').to_string(),
            )
        })
        .collect();
    let english = std::fs::read_to_string(repo_root().join("src/i18n/en.toml")).unwrap();
    let keys: Vec<(String, String)> = english
        .lines()
        .filter(|l| !l.starts_with('#') && l.contains(" = "))
        .map(|l| {
            let (k, v) = l.split_once(" = ").unwrap();
            (k.to_string(), v.to_string())
        })
        .collect();
    assert_eq!(
        documented, keys,
        "TEMPLATES.md's table follows en.toml, in its order"
    );
}

#[test]
fn an_unknown_key_in_a_template_is_an_error_at_the_call() {
    let site = site_in("en", "What You Should Know", "");
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ t(key=\"not_fund_title\") }}</h1>\n{% endblock main %}\n",
    );
    let out = site.build();
    assert!(!out.status.success());
    let err = stderr(&out);
    let at = format!("templates{}404.html:3:15:", std::path::MAIN_SEPARATOR);
    assert!(err.contains(&at), "{err}");
    assert!(
        err.contains(
            "unknown interface string \"not_fund_title\" (did you mean \"not_found_title\"?)"
        ),
        "{err}"
    );
}

#[test]
fn a_standalone_page_writes_its_dates_in_the_language() {
    let site = site_in("fr", "Ce qu’il faut savoir", "");
    site.write(
        "content/pages/about.md",
        "+++\ntitle = \"À propos\"\ndate = 2024-03-25\nupdated = 2024-05-02\n+++\nLa rédaction.\n",
    );
    site.build_ok();
    let html = site.out("about/index.html");
    assert!(html.contains(">25 mars 2024</time>"), "{html}");
    assert!(html.contains(">2 mai 2024</time>"), "{html}");
    assert!(!html.contains("March"), "{html}");
}

#[test]
fn topics_in_other_scripts_keep_their_letters_in_their_urls() {
    // Transliterated, "سد" (dam) and "صد" (repel) would both be
    // topics/sd/, one page for two topics.
    let site = Site::new(&[
        (
            "site.toml",
            "title = \"Desk\"\nbase_url = \"https://news.example.org/\"\nlanguage = \"ar\"\n",
        ),
        (
            "content/articles/dam.md",
            "+++\ntitle = \"Dam\"\ndate = 2024-03-25\ntopics = [\"النيجر\", \"سد\", \"Côte d'Ivoire\"]\n+++\n\nText.\n",
        ),
        (
            "content/articles/repel.md",
            "+++\ntitle = \"Repel\"\ndate = 2024-03-26\ntopics = [\"صد\", \"Россия\"]\n+++\n\nText.\n",
        ),
    ]);
    site.build_checked();
    for topic in ["النيجر", "سد", "صد", "россия", "cote-d-ivoire"] {
        assert!(
            site.exists(&format!("topics/{topic}/index.html")),
            "{topic}"
        );
    }
    let dam = site.out("topics/سد/index.html");
    assert!(dam.contains("Dam") && !dam.contains("Repel"), "{dam}");
    // Pages link each other with the name as it is; the integrity check
    // above found every link's file.
    let article = site.out("articles/dam/index.html");
    assert!(
        article.contains("href=\"../../topics/النيجر/index.html\""),
        "{article}"
    );
    // Absolute URLs carry it percent-encoded, as the URL rules write it.
    let sitemap = site.out("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://news.example.org/topics/%D8%B3%D8%AF/</loc>"),
        "{sitemap}"
    );
    let feed = site.out("topics/صد/feed.xml");
    assert!(
        feed.contains("https://news.example.org/topics/%D8%B5%D8%AF/"),
        "{feed}"
    );
}

#[test]
fn another_languages_key_points_heading_is_an_error_and_no_box_is_left_empty() {
    let site = Site::new(&[
        ("site.toml", "title = \"Sahel\"\nlanguage = \"fr\"\n"),
        (
            "content/articles/a.md",
            "+++\ntitle = \"A\"\ndate = 2023-10-10\n+++\nCorps.\n\n## What You Should Know\n\n- Un point.\n",
        ),
    ]);
    let out = site.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(
            "content/articles/a.md:7:1: \"What You Should Know\" is the key-points heading of \
             English (en), not of this page's: its points stay in the body"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "= help: this page's key-points heading is \"Ce qu’il faut savoir\": write that \
             (or set `know_heading` in site.toml"
        ),
        "{err}"
    );
    // The French heading is lifted into the box; `check` agrees.
    site.write(
        "content/articles/a.md",
        "+++\ntitle = \"A\"\ndate = 2023-10-10\n+++\nCorps.\n\n## Ce qu'il faut savoir\n\n- Un point.\n",
    );
    site.build_ok();
    let html = site.out("articles/a/index.html");
    assert!(
        html.contains("<h2 id=\"know-heading\">Ce qu’il faut savoir</h2>"),
        "{html}"
    );
    // An article without key points shows no empty box heading.
    site.write(
        "content/articles/a.md",
        "+++\ntitle = \"A\"\ndate = 2023-10-10\n+++\nCorps.\n",
    );
    site.build_ok();
    let html = site.out("articles/a/index.html");
    assert!(!html.contains("know-heading"), "{html}");
    assert!(!html.contains("Ce qu’il faut savoir"), "{html}");
}

#[test]
fn a_topic_is_one_topic_however_its_accents_are_encoded() {
    // "Côte" typed with a precomposed ô (NFC) and with o + U+0302 (NFD).
    let site = Site::new(&[
        (
            "content/articles/a.md",
            "+++\ntitle = \"A\"\ndate = 2024-03-25\ntopics = [\"C\u{f4}te\"]\n+++\n\nText.\n",
        ),
        (
            "content/articles/b.md",
            "+++\ntitle = \"B\"\ndate = 2024-03-26\ntopics = [\"Co\u{302}te\"]\n+++\n\nText.\n",
        ),
    ]);
    site.build_checked();
    let topic = site.out("topics/cote/index.html");
    assert!(
        topic.contains(">A</a>") && topic.contains(">B</a>"),
        "{topic}"
    );
}

#[test]
fn the_built_in_key_points_heading_replaced_by_the_sites_own_is_told_so() {
    let site = Site::new(&[
        ("site.toml", "title = \"T\"\nknow_heading = \"Key points\"\n"),
        (
            "content/articles/a.md",
            "+++\ntitle = \"A\"\ndate = 2023-10-10\n+++\nBody.\n\n## What You Should Know\n\n- A point.\n",
        ),
    ]);
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(
            "\"What You Should Know\" is the built-in key-points heading, but this site's is \"Key points\" (`know_heading`)"
        ),
        "{err}"
    );
    assert!(!err.contains("not of this page's"), "{err}");
}
