//! The Markdown body pass on whole sites: ids unique on every page,
//! heading ids and anchors in any script, footnotes that stay with the
//! body, names wrapped across lines, derived summaries, and names that
//! differ only in Unicode spelling. Every site built here is also checked
//! with `assert_site_integrity`.

use crate::support;

use support::*;

const MACKY: (&str, &str) = (
    "content/actors/macky-sall.md",
    "+++\nname = \"Macky Sall\"\nkind = \"person\"\nrole = \"President of Senegal\"\n+++\n\nPresident from 2012.\n",
);
const GUIDE: (&str, &str) = (
    "content/notes/guide.md",
    "+++\ntitle = \"Install guide\"\nsummary = \"Steps.\"\n\n[[timeline]]\ndate = \"2023-07-26\"\ntext = \"Released.\"\n+++\n\n## 설치 전 할 일\n\nCheck.\n\n## Sources\n\nList.\n\n## Timeline heading\n\nText.\n\n## Ελλάδα\n\nGreece.\n",
);

fn article(slug: &str, front: &str, body: &str) -> (String, String) {
    (
        format!("content/articles/{slug}.md"),
        format!("+++\ntitle = \"{slug}\"\ndate = 2023-10-10\n{front}+++\n\n{body}"),
    )
}

fn site(files: &[(String, String)]) -> Site {
    let mut all: Vec<(&str, &str)> = vec![MACKY, GUIDE];
    all.extend(files.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    Site::new(&all)
}

/// The body of an article page, without the sidebar and the header.
fn body_of(html: &str) -> &str {
    let start = html.find("<div class=\"article-body prose\">").unwrap();
    let end = html[start..]
        .find("<aside")
        .map_or(html.len(), |e| start + e);
    &html[start..end]
}

fn sidebar_of(html: &str) -> &str {
    let start = html.find("<aside class=\"sidebar know\"").unwrap();
    &html[start..start + html[start..].find("</aside>").unwrap()]
}

// 1. Ids collide on a page.

#[test]
fn footnotes_headings_and_theme_ids_never_collide() {
    let site = site(&[article(
        "a",
        "",
        "Claim by Macky Sall.[^sources]\n\n## Sources\n\nList.\n\n## Xref cards\n\n## Know heading\n\n## Timeline heading\n\n## What You Should Know\n\n- Point.\n\n[^sources]: Where it came from.\n",
    )]);
    site.build_checked();
    let html = site.out("articles/a/index.html");
    assert!(html.contains("<h2 id=\"sources\">Sources</h2>"), "{html}");
    assert!(html.contains("<a href=\"#fn-sources\" id=\"fnref-sources\">1</a>"));
    assert!(html.contains("<h2 id=\"xref-cards-1\">Xref cards</h2>"));
    assert!(html.contains("<h2 id=\"know-heading-1\">Know heading</h2>"));
    assert!(html.contains("<h2 id=\"timeline-heading-1\">"));
    assert_eq!(html.matches("id=\"xref-cards\"").count(), 1);
}

#[test]
fn ids_stay_unique_on_explainer_and_actor_pages_and_links_find_moved_headings() {
    let site = site(&[
        (
            "content/actors/port.md".into(),
            "+++\nname = \"Port authority\"\n[[links]]\nname = \"Site\"\nurl = \"https://port.example/\"\n+++\n\nIntro.\n\n## Links heading\n\n## Related heading\n".into(),
        ),
        article(
            "b",
            "",
            "See [[guide#timeline-heading]], [[guide#sources]] and [[port#links-heading]].\n\n## What You Should Know\n\n### Detail\n\n- Point.\n\n## Lead detail\n\nEnd.\n",
        ),
    ]);
    site.build_checked();
    let html = site.out("articles/b/index.html");
    assert!(
        html.contains("guide/index.html#timeline-heading-1\""),
        "a link follows the heading to its final id"
    );
    assert!(html.contains("guide/index.html#sources\""));
    assert!(html.contains("port/index.html#links-heading-1\""));
    let explainer = site.out("explainers/guide/index.html");
    assert!(
        explainer.contains("id=\"timeline-heading\"")
            && explainer.contains("id=\"timeline-heading-1\"")
    );
}

// 2. Heading ids and anchors outside Latin script.

#[test]
fn heading_ids_keep_their_script_and_anchors_accept_what_a_writer_types() {
    let site = site(&[article(
        "c",
        "",
        "[[guide#설치-전-할-일]], [[guide#설치 전 할 일|again]], [[guide#ΕΛΛΆΔΑ]] and [[guide#seolci-jeon-hal-il]].\n",
    )]);
    site.build_checked();
    let guide = site.out("explainers/guide/index.html");
    assert!(
        guide.contains("<h2 id=\"설치-전-할-일\">설치 전 할 일</h2>"),
        "{guide}"
    );
    assert!(guide.contains("<h2 id=\"ελλάδα\">"));
    let html = site.out("articles/c/index.html");
    assert_eq!(
        html.matches("guide/index.html#설치-전-할-일\"").count(),
        3,
        "{html}"
    );
    assert!(html.contains("guide/index.html#ελλάδα\""));
}

#[test]
fn a_wrong_anchor_is_refused_with_the_closest_heading() {
    let site = site(&[article("d", "", "Read [[guide#설치-전-할]].\n")]);
    let out = site.build();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("content/articles/d.md:6:6:")
            && err.contains("has no heading \"#설치-전-할\""),
        "{err}"
    );
    assert!(err.contains("did you mean \"설치-전-할-일\"?"), "{err}");
}

// 4. Lifting the "What You Should Know" section takes only its own.

#[test]
fn footnotes_below_the_know_section_stay_with_the_body_numbered_once() {
    let site = site(&[article(
        "e",
        "",
        "Lead claim.[^one]\n\n## What You Should Know\n\n- A key point.[^two]\n\n### Detail\n\nStill the section's own.\n\n[^one]: The first note.\n\n[^two]: The second note.\n",
    )]);
    site.build_checked();
    let html = site.out("articles/e/index.html");
    let sidebar = sidebar_of(&html);
    assert!(
        sidebar.contains("A key point") && sidebar.contains("Still the section"),
        "{sidebar}"
    );
    assert!(
        !sidebar.contains("The first note") && !sidebar.contains("The second note"),
        "{sidebar}"
    );
    let body = body_of(&html);
    assert!(
        body.contains("The first note") && body.contains("The second note"),
        "{body}"
    );
    assert!(
        sidebar.contains("href=\"#fn-two\" id=\"fnref-two\">2</a>"),
        "{sidebar}"
    );
    assert!(body.contains("href=\"#fn-one\" id=\"fnref-one\">1</a>"));
    // The note of a key point links back to both copies of the points (the
    // sidebar's, shown on wide screens, and the one after the lead, shown
    // on narrow ones); `build_checked` has checked that both resolve.
    assert!(
        body.contains("class=\"fn-back-wide\" href=\"#fnref-two\"")
            && body.contains("class=\"fn-back-narrow\" href=\"#lead-fnref-two\""),
        "{body}"
    );
    assert!(html.contains("id=\"lead-fnref-two\""), "{html}");
}

// 6. Names split across a line break.

#[test]
fn a_name_wrapped_across_lines_is_linked_and_counted() {
    let site = site(&[
        article("f", "", "The outgoing president, Macky\nSall, left.\n"),
        article(
            "g",
            "",
            "Macky\n\nSall are two words here.\n\n- Macky\n- Sall\n\n> Macky\nSall in a quote.\n",
        ),
    ]);
    site.build_checked();
    let html = site.out("articles/f/index.html");
    assert!(
        body_of(&html).contains("data-xref=\"actors/macky-sall\">Macky\nSall</a>, left."),
        "{}",
        body_of(&html)
    );
    let other = site.out("articles/g/index.html");
    let body = body_of(&other);
    assert!(
        !body.contains("Macky</a>") && !body.contains(">Macky\n<"),
        "{body}"
    );
    assert_eq!(
        body.matches("actors/macky-sall/").count(),
        1,
        "only the quote links: {body}"
    );
    let profile = site.out("actors/macky-sall/index.html");
    assert!(profile.contains("articles/f/index.html") && profile.contains("articles/g/index.html"));
}

// 7. Text shown twice.

#[test]
fn a_derived_summary_is_not_printed_above_the_same_words() {
    let long = "word ".repeat(400);
    let site = site(&[
        article(
            "h",
            "",
            &format!("The first paragraph, said once.\n\n{long}\n"),
        ),
        article("i", "summary = \"A written dek.\"\n", "Body text.\n"),
        article("j", "", &format!("{long}\n")),
    ]);
    site.build_checked();
    let html = site.out("articles/h/index.html");
    let page = &html[html.find("<body").unwrap()..];
    assert_eq!(
        page.matches("The first paragraph, said once.").count(),
        1,
        "{page}"
    );
    assert!(!html.contains("class=\"dek\""), "{html}");
    assert!(site
        .out("articles/index.html")
        .contains("The first paragraph, said once."));
    assert!(site
        .out("articles/i/index.html")
        .contains("<p class=\"dek\">A written dek.</p>"));
    let capped = site.out("articles/j/index.html");
    let description = capped
        .split("<meta name=\"description\" content=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(
        description.chars().count() <= 300 && description.ends_with("word…"),
        "{description}"
    );
    let list = site.out("articles/index.html");
    assert!(
        list.len() < 20_000,
        "lists carry the excerpt, not the paragraph"
    );
}

// 8. Unicode-equivalent names.

#[test]
fn names_equal_in_nfc_are_one_name() {
    let site = site(&[
        (
            "content/actors/jose.md".into(),
            "+++\nname = \"Jos\u{e9} Ramos\"\n+++\n\nOne.\n".into(),
        ),
        (
            "content/actors/jose-2.md".into(),
            "+++\nname = \"Jose\u{301} Ramos\"\n+++\n\nTwo.\n".into(),
        ),
    ]);
    let out = site.build();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("is also a name or alias of actor \"jose\""),
        "{err}"
    );
    assert!(err.contains("with other Unicode code points"), "{err}");
}

#[test]
fn a_decomposed_spelling_in_a_body_links_the_actor() {
    let site = site(&[
        (
            "content/actors/jose.md".into(),
            "+++\nname = \"Jose\u{301} Ramos\"\naliases = [\"Ramos\"]\n+++\n\nOne.\n".into(),
        ),
        article(
            "k",
            "",
            "Jos\u{e9}\nRamos spoke; Jose\u{301} Ramos again.\n",
        ),
    ]);
    site.build_checked();
    let html = site.out("articles/k/index.html");
    assert!(
        body_of(&html).contains("data-xref=\"actors/jose\">Jos\u{e9}\nRamos</a>"),
        "{}",
        body_of(&html)
    );
    let profile = site.out("actors/jose/index.html");
    assert!(
        profile.contains("Jos\u{e9} Ramos"),
        "the name is shown in NFC"
    );
}
