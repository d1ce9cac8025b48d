//! Small fixture sites, one behaviour each, built with the real binary.

use crate::support;

use support::*;

const MACRON: (&str, &str) = (
    "content/actors/emmanuel-macron.md",
    "+++\nname = \"Emmanuel Macron\"\nkind = \"person\"\nrole = \"President of France\"\naliases = [\"Macron\"]\n+++\n\nPresident since 2017.\n",
);
const NIGER: (&str, &str) = (
    "content/actors/niger.md",
    "+++\nname = \"Niger\"\nkind = \"country\"\nrole = \"Country in West Africa\"\n+++\n\nA country.\n",
);
const COUP: (&str, &str) = (
    "content/notes/coup.md",
    "+++\ntitle = \"The coup\"\nsummary = \"How it happened.\"\n\n[[timeline]]\ndate = \"2023-07-26\"\ntext = \"Soldiers detain the president; Macron condemns it.\"\n+++\n\n## Who leads\n\nThe general.\n",
);

fn article(front: &str, body: &str) -> (String, String) {
    (
        "content/articles/a.md".to_string(),
        format!("+++\ntitle = \"A\"\ndate = 2023-10-10\n{front}+++\n\n{body}"),
    )
}

fn site_with(front: &str, body: &str) -> Site {
    let (p, t) = article(front, body);
    Site::new(&[MACRON, NIGER, COUP, (&p, &t)])
}

fn body_of(html: &str) -> &str {
    let start = html.find("<div class=\"article-body prose\">").unwrap();
    &html[start..start + html[start..].find("</div>").unwrap()]
}

#[test]
fn autolinks_longest_name_first_mention_only() {
    let site = site_with(
        "",
        "Emmanuel Macron spoke. Later Macron spoke again about Niger and Nigeria.\n",
    );
    site.build_ok();
    let html = site.out("articles/a/index.html");
    let body = body_of(&html);
    assert_eq!(
        body.matches("actors/emmanuel-macron/index.html").count(),
        1,
        "{body}"
    );
    assert!(
        body.contains(">Emmanuel Macron</a> spoke. Later Macron spoke"),
        "{body}"
    );
    assert_eq!(
        body.matches("actors/niger/index.html").count(),
        1,
        "Nigeria is not Niger"
    );
    let profile = site.out("actors/emmanuel-macron/index.html");
    assert!(
        profile.contains("../../articles/a/index.html"),
        "a mention counts as appearing"
    );
}

#[test]
fn autolinks_never_inside_headings_code_or_links() {
    let site = site_with(
        "",
        "## Macron in Niger\n\n`Macron` and\n\n```\nNiger\n```\n\n[Macron's site](https://elysee.fr) and <a href=\"https://x.org\">Niger</a>\n\nFinally Macron and Niger.\n",
    );
    site.build_ok();
    let html = site.out("articles/a/index.html");
    let body = body_of(&html);
    assert!(
        body.contains("<h2 id=\"macron-in-niger\">Macron in Niger</h2>"),
        "{body}"
    );
    assert!(body.contains("<code>Macron</code>"));
    assert!(body.contains("<pre><code>Niger\n</code></pre>"));
    assert!(
        body.contains(
            "Finally <a class=\"xref xref-actor\" href=\"../../actors/emmanuel-macron/index.html\""
        ),
        "{body}"
    );
    assert_eq!(
        body.matches("xref-actor").count(),
        2,
        "one link per actor, both in the last line: {body}"
    );
}

#[test]
fn autolink_can_be_turned_off() {
    let (p, t) = article("", "Macron spoke.\n");
    let site = Site::new(&[MACRON, (&p, &t), ("site.toml", "autolink = false\n")]);
    site.build_ok();
    assert!(!body_of(&site.out("articles/a/index.html")).contains("xref"));
}

#[test]
fn wikilinks_take_labels_sections_and_anchors() {
    let site = site_with(
        "",
        "See [[coup]], [[notes/coup|the takeover]], [[coup#who-leads]] and [[emmanuel-macron]].\n",
    );
    site.build_ok();
    let body_html = site.out("articles/a/index.html");
    let body = body_of(&body_html);
    assert!(
        body.contains(
            "href=\"../../explainers/coup/index.html\" data-xref=\"explainers/coup\">The coup</a>"
        ),
        "{body}"
    );
    assert!(body.contains(">the takeover</a>"));
    assert!(body.contains("href=\"../../explainers/coup/index.html#who-leads\""));
    assert!(body.contains(">Emmanuel Macron</a>"));
    let coup = site.out("explainers/coup/index.html");
    assert!(coup.contains("id=\"who-leads\""));
    assert!(
        coup.contains("../../articles/a/index.html"),
        "a wikilinked note is cited by the article"
    );
}

#[test]
fn explicit_references_make_backlinks_and_related_is_symmetric() {
    let (p, t) = article(
        "actors = [\"niger\"]\nbackground = [\"coup\"]\n",
        "No names here.\n",
    );
    let other = (
        "content/notes/sahel.md",
        "+++\ntitle = \"The Sahel\"\nrelated = [\"coup\"]\n+++\n\nText.\n",
    );
    let site = Site::new(&[MACRON, NIGER, COUP, other, (&p, &t)]);
    site.build_ok();
    assert!(site
        .out("actors/niger/index.html")
        .contains("../../articles/a/index.html"));
    let coup = site.out("explainers/coup/index.html");
    assert!(coup.contains("../../articles/a/index.html"));
    assert!(
        coup.contains("../../explainers/sahel/index.html"),
        "related works both ways"
    );
    let macron = site.out("actors/emmanuel-macron/index.html");
    assert!(
        macron.contains("Soldiers detain the president"),
        "the timeline event mentioning him is among his events"
    );
}

#[test]
fn front_matter_values_are_escaped() {
    let (p, t) = article(
        "summary = \"<script>alert(1)</script> & <b>bold</b>\"\nauthors = [\"<img src=x onerror=alert(1)>\"]\ntopics = [\"A \\\"quoted\\\" topic\"]\n",
        "Body.\n",
    );
    let site = Site::new(&[(&p, &t)]);
    let evil_title =
        "+++\ntitle = \"</title><script>alert(2)</script>\"\ndate = 2023-10-09\n+++\n\nText.\n";
    site.write("content/articles/b.md", evil_title);
    site.build_ok();
    let html = site.out("articles/a/index.html");
    assert!(!html.contains("<script>alert(1)"), "summary escaped");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"));
    assert!(!html.contains("<img src=x"), "author escaped");
    let b = site.out("articles/b/index.html");
    assert!(!b.contains("<script>alert(2)"));
    let start = b.find("\"headline\":").unwrap();
    assert!(
        b[start..].starts_with("\"headline\":\"\\u003c/title\\u003e\\u003cscript\\u003ealert(2)"),
        "JSON-LD stays inert"
    );
    let index = site.out("index.html");
    assert!(!index.contains("<script>alert(2)"));
}

#[test]
fn yaml_crlf_bom_and_sub_folders_all_load() {
    let site = Site::new(&[
        MACRON,
        (
            "content/articles/2023/10/yaml-story.md",
            "---\ntitle: A YAML story\ndate: 2023-10-11\ntopics: [Niger]\n---\n\nMacron again.\n",
        ),
    ]);
    site.write_bytes(
        "content/articles/crlf.md",
        b"\xEF\xBB\xBF+++\r\ntitle = \"Windows story\"\r\ndate = 2023-10-12\r\n+++\r\n\r\nMacron in CRLF.\r\n",
    );
    site.build_ok();
    assert!(site
        .out("articles/yaml-story/index.html")
        .contains("A YAML story"));
    assert!(site
        .out("articles/crlf/index.html")
        .contains("Windows story"));
    assert!(site.exists("topics/niger/index.html"));
}

#[test]
fn slug_in_front_matter_overrides_the_file_name() {
    let site = Site::new(&[(
        "content/articles/draft-name.md",
        "+++\ntitle = \"T\"\ndate = 2023-01-01\nslug = \"final-name\"\n+++\n",
    )]);
    site.build_ok();
    assert!(site.exists("articles/final-name/index.html"));
    assert!(!site.exists("articles/draft-name/index.html"));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = Site::new(&[(
        "content/articles/d.md",
        "+++\ntitle = \"Draft\"\ndate = 2023-01-01\ndraft = true\n+++\n",
    )]);
    site.build_ok();
    assert!(!site.exists("articles/d/index.html"));
    let out = site.run(&["build", "--drafts"]);
    assert!(out.status.success());
    assert!(site.exists("articles/d/index.html"));
}

#[test]
fn a_folder_with_only_content_builds_a_complete_site() {
    let site = Site::new(&[MACRON, COUP]);
    let out = site.build_ok();
    assert!(stderr(&out).contains("warning: site.toml sets no base_url"));
    assert!(stderr(&out).contains("built "));
    for p in [
        "index.html",
        "404.html",
        "actors/emmanuel-macron/index.html",
        "explainers/coup/index.html",
        "timeline/index.html",
    ] {
        assert!(site.exists(p), "{p}");
    }
    // No page has a date (timeline entries are no page's): no feed.
    assert!(!site.exists("feed.xml"));
    let (broken, _) = broken_links(&site.root().join("public"));
    assert!(broken.is_empty(), "{broken:?}");
    let public = site.root().join("public");
    let css = hashed_asset(&public, "style.css");
    assert!(site.out("index.html").contains(&format!("href=\"{css}\"")));
    assert!(site
        .out("actors/emmanuel-macron/index.html")
        .contains(&format!("href=\"../../{css}\"")));
}

#[test]
fn site_templates_and_static_files_override_the_theme() {
    let site = Site::new(&[
        MACRON,
        (
            "templates/actor.html",
            "<!doctype html><title>{{ actor.name }}</title><p class=\"mine\">{{ actor.role }}</p>",
        ),
        ("static/style.css", "body { color: rebeccapurple }"),
        (
            "static/images/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
    ]);
    site.build_ok();
    assert!(site
        .out("actors/emmanuel-macron/index.html")
        .contains("<p class=\"mine\">President of France</p>"));
    // The site's own stylesheet is published under the hash of its bytes.
    let css = hashed_asset(&site.root().join("public"), "style.css");
    assert_eq!(site.out(&css), "body { color: rebeccapurple }");
    assert!(site.out("index.html").contains(&css));
    assert!(site.exists("images/logo.svg"));
    assert!(
        site.out("index.html").contains("class=\"site-title\""),
        "other templates stay built-in"
    );
}

#[test]
fn base_url_flag_overrides_site_toml() {
    let site = Site::new(&[MACRON, ("site.toml", "base_url = \"https://a.example/\"\n")]);
    let out = site.run(&["build", "--base-url", "https://user.github.io/repo"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site
        .out("sitemap.xml")
        .contains("<loc>https://user.github.io/repo/actors/emmanuel-macron/</loc>"));
    let not_found = site.out("404.html");
    assert!(
        not_found.contains("href=\"/repo/index.html\""),
        "404 links start at the base path"
    );
    let bad = site.run(&["build", "--base-url", "not a url"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn stale_files_are_removed_and_unchanged_files_keep_their_time() {
    let site = Site::new(&[MACRON, NIGER]);
    site.build_ok();
    let kept = site.root().join("public/actors/emmanuel-macron/index.html");
    let mtime = std::fs::metadata(&kept).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(30));
    site.remove(NIGER.0);
    site.build_ok();
    assert!(!site.exists("actors/niger/index.html") && !site.exists("actors/niger"));
    assert_eq!(std::fs::metadata(&kept).unwrap().modified().unwrap(), mtime);
}

#[test]
fn output_flag_writes_elsewhere() {
    let site = Site::new(&[MACRON]);
    let target = tempfile::tempdir().unwrap();
    let out_dir = target.path().join("deploy");
    let out = site.run(&["build", "--output", out_dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out_dir.join("actors/emmanuel-macron/index.html").is_file());
    assert!(!site.root().join("public").exists());
}

#[test]
fn check_ends_with_what_it_found_in_its_own_words() {
    // `check` never writes, so "nothing was written" would be news to no
    // one: it says the site would not build; `build` says it wrote nothing.
    let site = Site::new(&[(
        "content/articles/a.md",
        "+++\ntitle = \"A\"\ndate = 2023-10-10\n+++\n\nSee [[nowhere]].\n",
    )]);
    let check = stderr(&site.run(&["check"]));
    assert!(
        check.ends_with("error: 1 problem found; the site would not build\n"),
        "{check}"
    );
    assert!(!check.contains("written"), "{check}");
    let build = stderr(&site.build());
    assert!(
        build.ends_with("error: 1 problem found; nothing was written\n"),
        "{build}"
    );
    // A good site: what was checked, and that nothing is wrong.
    site.write(
        "content/articles/a.md",
        "+++\ntitle = \"A\"\ndate = 2023-10-10\n+++\n\nText.\n",
    );
    let ok = stderr(&site.run(&["check"]));
    assert!(
        ok.starts_with("ok: ")
            && ok.contains(" pages (1 article, 0 explainers, 0 actors) checked in ")
            && ok.contains("no problems")
            && !ok.contains("written"),
        "{ok}"
    );
}

#[test]
fn check_writes_nothing() {
    let site = Site::new(&[MACRON]);
    let out = site.run(&["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("no problems"));
    assert!(!site.root().join("public").exists());
}

#[test]
fn new_creates_files_that_build() {
    let site = Site::new(&[("site.toml", "")]);
    for (kind, title, path) in [
        (
            "article",
            "France begins withdrawal",
            "content/articles/france-begins-withdrawal.md",
        ),
        (
            "note",
            "The ambassador standoff",
            "content/notes/the-ambassador-standoff.md",
        ),
        ("actor", "Sylvain Itte", "content/actors/sylvain-itte.md"),
        ("author", "Amina Sow", "content/authors/amina-sow.md"),
    ] {
        let out = site.run(&["new", kind, title]);
        assert!(out.status.success(), "{}", stderr(&out));
        let text = std::fs::read_to_string(site.root().join(path)).unwrap();
        assert!(text.contains(title));
    }
    let today = chrono::Local::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    let article = std::fs::read_to_string(
        site.root()
            .join("content/articles/france-begins-withdrawal.md"),
    )
    .unwrap();
    assert!(article.contains(&format!("date = {today}")));
    assert!(article.contains("\ndraft = true\n"), "new files are drafts");
    site.build_ok();
    assert!(
        !site
            .root()
            .join("public/articles/france-begins-withdrawal")
            .exists(),
        "a draft is not published"
    );
    let out = site.run(&["build", "--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = site.out("articles/france-begins-withdrawal/index.html");
    assert!(
        html.contains("The first thing a reader needs to know."),
        "skeleton know list in the sidebar"
    );
    assert!(site.exists("authors/amina-sow/index.html"));
    let again = site.run(&["new", "actor", "Sylvain Itte"]);
    assert_eq!(again.status.code(), Some(1), "never overwrites");
}

#[test]
fn new_writes_the_know_heading_the_site_recognises() {
    let site = Site::new(&[("site.toml", "language = \"fr\"\n")]);
    let out = site.run(&["new", "article", "Retrait des troupes"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(site.root().join("content/articles/retrait-des-troupes.md"))
        .unwrap();
    assert!(text.contains("\n## Ce qu’il faut savoir\n"), "{text}");
    let out = site.run(&["build", "--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = site.out("articles/retrait-des-troupes/index.html");
    let sidebar = &html[html.find("<aside").expect("a sidebar")..];
    assert!(
        sidebar.contains("The first thing a reader needs to know."),
        "{html}"
    );
    // A site's own heading wins over its language's.
    site.write(
        "site.toml",
        "language = \"fr\"\nknow_heading = \"L’essentiel\"\n",
    );
    assert!(site.run(&["new", "article", "Autre"]).status.success());
    let text = std::fs::read_to_string(site.root().join("content/articles/autre.md")).unwrap();
    assert!(text.contains("\n## L’essentiel\n"), "{text}");
}

#[test]
fn init_makes_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("newsroom");
    let out = bin().arg("init").arg(&site).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = bin().args(["build", "--root"]).arg(&site).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.join("public/actors/jane-doe/index.html").is_file());
    // No placeholder address passes for a real one: until the writer sets
    // base_url, the build says so.
    assert!(
        stderr(&out).contains("site.toml sets no base_url"),
        "{}",
        stderr(&out)
    );
    let again = bin().arg("init").arg(&site).output().unwrap();
    assert_eq!(again.status.code(), Some(2), "refuses a non-empty folder");
}

#[test]
fn a_rebuild_renders_only_what_changed_and_repairs_the_output() {
    let (p, t) = article("actors = [\"niger\"]\n", "First version.\n");
    let site = Site::new(&[MACRON, NIGER, COUP, (&p, &t)]);
    site.build_ok();
    let untouched = site.root().join("public/explainers/coup/index.html");
    let mtime = std::fs::metadata(&untouched).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(30));

    let (_, edited) = article("actors = [\"niger\"]\n", "Second version.\n");
    site.write(&p, &edited);
    let out = site.run(&["build", "--verbose"]);
    assert!(out.status.success());
    assert!(site
        .out("articles/a/index.html")
        .contains("Second version."));
    assert_eq!(
        std::fs::metadata(&untouched).unwrap().modified().unwrap(),
        mtime,
        "an unrelated page is not rewritten"
    );
    assert!(!stderr(&out).contains(" 0 written"), "{}", stderr(&out));

    // A page deleted or edited by hand in the output is written again,
    // whatever the cache says.
    std::fs::remove_file(site.root().join("public/actors/niger/index.html")).unwrap();
    std::fs::write(site.root().join("public/articles/a/index.html"), "tampered").unwrap();
    site.build_ok();
    assert!(site.out("actors/niger/index.html").contains("Niger"));
    assert!(site
        .out("articles/a/index.html")
        .contains("Second version."));
}

#[test]
fn a_build_with_nothing_changed_does_nothing_but_notices_any_change() {
    let site = Site::new(&[MACRON, NIGER, ("static/extra.txt", "one")]);
    site.build_ok();
    let verbose = site.run(&["build", "--verbose"]);
    assert!(
        stderr(&verbose).contains(" 0 written"),
        "{}",
        stderr(&verbose)
    );
    // A changed static file, a file of the build deleted from the output,
    // or a different base URL each mean real work again; a file added to
    // the output by hand is not the build's, and stays.
    site.write("static/extra.txt", "two");
    site.build_ok();
    assert_eq!(site.out("extra.txt"), "two");
    std::fs::remove_file(site.root().join("public/extra.txt")).unwrap();
    std::fs::write(site.root().join("public/stray.html"), "x").unwrap();
    site.build_ok();
    assert_eq!(site.out("extra.txt"), "two", "deleted files come back");
    assert_eq!(site.out("stray.html"), "x", "files of others are kept");
    let out = site.run(&["build", "--base-url", "https://elsewhere.example/"]);
    assert!(out.status.success());
    assert!(site
        .out("sitemap.xml")
        .contains("https://elsewhere.example/"));
}
