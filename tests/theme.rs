//! The default theme's promises that a machine reads: hover-card data,
//! structured data, the feed and the sitemap. (The browser checks, the
//! HTML validator and axe-core run in `tests/validate.sh`.)

use crate::support;

use serde_json::Value;
use support::*;

const MACRON: (&str, &str) = (
    "content/actors/emmanuel-macron.md",
    "+++\nname = \"Emmanuel Macron\"\nkind = \"person\"\nrole = \"President of France\"\naliases = [\"Macron\"]\nimage = \"img/macron.png\"\nimage_alt = \"Macron in 2023\"\n\n[[links]]\nname = \"Wikipedia\"\nurl = \"https://en.wikipedia.org/wiki/Emmanuel_Macron\"\n+++\n\nPresident since 2017.\n",
);
const NIGER: (&str, &str) = (
    "content/actors/niger.md",
    "+++\nname = \"Niger\"\nkind = \"country\"\n+++\n\nA country.\n",
);
const ECOWAS: (&str, &str) = (
    "content/actors/ecowas.md",
    "+++\nname = \"ECOWAS\"\nkind = \"organization\"\nrole = \"West African bloc\"\n+++\n\nA bloc.\n",
);
const COUP: (&str, &str) = (
    "content/notes/coup.md",
    "+++\ntitle = \"The coup\"\nsummary = \"How it happened.\"\ndate = 2023-07-28\nupdated = 2023-08-02\n\n[[timeline]]\ndate = \"2023-07-26\"\ntext = \"Soldiers detain the president; [[ecowas]] condemns it.\"\n+++\n\nThe general.\n",
);
const ARTICLE: (&str, &str) = (
    "content/articles/a.md",
    "+++\ntitle = \"A\"\ndate = 2023-10-10\nupdated = 2023-10-12\ntopics = [\"Niger\", \"Security\"]\nbackground = [\"coup\"]\nimage = \"img/a.png\"\nimage_alt = \"Soldiers in Niamey\"\n+++\n\nMacron spoke after [[coup|the coup]].\n",
);

fn site() -> Site {
    let site = Site::new(&[
        (
            "site.toml",
            "title = \"T\"\nbase_url = \"https://x.example/news/\"\n\n[publisher]\nname = \"T Media\"\nlogo = \"img/logo.png\"\n",
        ),
        MACRON,
        NIGER,
        ECOWAS,
        COUP,
        ARTICLE,
    ]);
    // Real images (40x30): their headers are read for their size.
    let mut png = Vec::new();
    image::DynamicImage::new_rgb8(40, 30)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    for image in ["a", "macron", "logo"] {
        site.write_bytes(&format!("static/img/{image}.png"), &png);
    }
    site
}

#[test]
fn the_theme_fixture_site_has_unique_ids_and_resolving_fragments() {
    let out = tempfile::tempdir().unwrap();
    let built = bin()
        .arg("build")
        .arg("--root")
        .arg(repo_root().join("tests/fixtures/theme-site"))
        .arg("--output")
        .arg(out.path().join("public"))
        .output()
        .unwrap();
    assert!(built.status.success(), "{}", stderr(&built));
    assert_site_integrity(&out.path().join("public"));
}

#[test]
fn the_theme_test_site_has_unique_ids_and_resolving_fragments() {
    site().build_checked();
}

/// The text of the first `<script>` with this opening tag.
fn script<'a>(html: &'a str, open: &str) -> Option<&'a str> {
    let start = html.find(open)? + open.len();
    Some(&html[start..start + html[start..].find("</script>")?])
}

fn cards(html: &str) -> Option<Value> {
    script(html, "<script type=\"application/json\" id=\"xref-cards\">")
        .map(|s| serde_json::from_str(s).expect("hover cards are JSON"))
}

fn json_ld(html: &str, kind: &str) -> Value {
    let open = "<script type=\"application/ld+json\">";
    html.match_indices(open)
        .map(|(i, _)| {
            let text = &html[i + open.len()..];
            serde_json::from_str::<Value>(&text[..text.find("</script>").unwrap()]).unwrap()
        })
        .find(|v| v["@type"] == kind)
        .unwrap_or_else(|| panic!("no {kind} JSON-LD"))
}

#[test]
fn a_page_carries_the_hover_cards_of_the_links_in_its_text_only() {
    let site = site();
    site.build_ok();
    let html = site.out("articles/a/index.html");
    let got = cards(&html).expect("the article links to an actor and an explainer");
    assert_eq!(
        got["actors/emmanuel-macron"],
        serde_json::json!({ "name": "Emmanuel Macron", "role": "President of France" })
    );
    assert_eq!(
        got["explainers/coup"],
        serde_json::json!({ "title": "The coup", "summary": "How it happened." })
    );
    // The latest events in the sidebar link to ECOWAS.
    assert_eq!(got["actors/ecowas"]["role"], "West African bloc");
    assert!(got.get("actors/niger").is_none(), "not linked: no card");
    assert!(
        html.contains(&format!(
            "<script src=\"../../{}\" defer></script>",
            hashed_asset(&site.root().join("public"), "cards.js")
        )),
        "the script is loaded relative to the page, deferred"
    );
    // Without links in the text, neither data nor script.
    let list = site.out("articles/index.html");
    assert!(!list.contains("xref-cards") && !list.contains("cards."));
    // An actor without a role shows its kind.
    site.write(
        "content/articles/b.md",
        "+++\ntitle = \"B\"\ndate = 2023-10-01\n+++\n\nIn Niger.\n",
    );
    site.build_ok();
    let b = cards(&site.out("articles/b/index.html")).unwrap();
    assert_eq!(b["actors/niger"]["role"], "Country");
    // The explainer's timeline and the timeline page carry theirs.
    assert!(cards(&site.out("explainers/coup/index.html")).unwrap()["actors/ecowas"].is_object());
    assert!(cards(&site.out("timeline/index.html")).unwrap()["actors/ecowas"].is_object());
}

#[test]
fn hover_card_data_cannot_close_its_script_element() {
    let site = Site::new(&[
        (
            "content/actors/x.md",
            "+++\nname = \"Evil Corp\"\nrole = \"</script><script>alert(1)</script><!--\"\n+++\n\nBody.\n",
        ),
        (
            "content/articles/a.md",
            "+++\ntitle = \"A\"\ndate = 2023-10-10\n+++\n\nEvil Corp again.\n",
        ),
    ]);
    site.build_ok();
    let html = site.out("articles/a/index.html");
    assert!(!html.contains("<script>alert(1)"));
    let got = cards(&html).unwrap();
    assert_eq!(
        got["actors/x"]["role"],
        "</script><script>alert(1)</script><!--"
    );
}

#[test]
fn articles_carry_complete_news_article_data() {
    let site = site();
    site.build_ok();
    let html = site.out("articles/a/index.html");
    let news = json_ld(&html, "NewsArticle");
    let base = "https://x.example/news/";
    assert_eq!(news["headline"], "A");
    assert_eq!(news["datePublished"], "2023-10-10T00:00:00Z");
    assert_eq!(news["dateModified"], "2023-10-12T00:00:00Z");
    // The Open Graph variant: the image's own 40 px, below 1200.
    assert_eq!(news["image"][0], format!("{base}img/a.png.40w.png"));
    assert_eq!(
        news["mainEntityOfPage"]["@id"],
        format!("{base}articles/a/")
    );
    assert_eq!(news["publisher"]["name"], "T Media");
    assert_eq!(
        news["publisher"]["logo"]["url"],
        format!("{base}img/logo.png")
    );
    assert_eq!(
        news["about"][0]["@id"],
        format!("{base}actors/emmanuel-macron/")
    );
    assert_eq!(news["about"][0]["@type"], "Person");
    assert_eq!(
        news["mentions"][0]["@id"],
        format!("{base}explainers/coup/")
    );
    assert_eq!(
        json_ld(&html, "BreadcrumbList")["itemListElement"][2]["item"],
        format!("{base}articles/a/")
    );
    for tag in [
        "<meta property=\"og:image\" content=\"https://x.example/news/img/a.png.40w.png\">",
        "<meta property=\"og:image:alt\" content=\"Soldiers in Niamey\">",
        "<meta name=\"twitter:card\" content=\"summary_large_image\">",
        "<meta property=\"article:published_time\" content=\"2023-10-10T00:00:00Z\">",
        "<meta property=\"article:modified_time\" content=\"2023-10-12T00:00:00Z\">",
        "<meta property=\"article:tag\" content=\"Security\">",
        "<img src=\"../../img/a.png.40w.png\" srcset=\"../../img/a.png.40w.png 40w\" sizes=\"(min-width: 48rem) 44rem, 100vw\" width=\"40\" height=\"30\" alt=\"Soldiers in Niamey\" decoding=\"async\">",
    ] {
        assert!(html.contains(tag), "missing {tag}");
    }
    let explainer = json_ld(&site.out("explainers/coup/index.html"), "Article");
    assert_eq!(explainer["datePublished"], "2023-07-28T00:00:00Z");
    assert_eq!(explainer["dateModified"], "2023-08-02T00:00:00Z");
    assert_eq!(explainer["publisher"]["name"], "T Media");
}

#[test]
fn actor_pages_carry_person_organization_or_country_data() {
    let site = site();
    site.build_ok();
    let macron = json_ld(&site.out("actors/emmanuel-macron/index.html"), "Person");
    assert_eq!(macron["name"], "Emmanuel Macron");
    assert_eq!(macron["jobTitle"], "President of France");
    assert_eq!(
        macron["sameAs"],
        serde_json::json!(["https://en.wikipedia.org/wiki/Emmanuel_Macron"])
    );
    assert_eq!(
        macron["image"],
        "https://x.example/news/img/macron.png.40w.png"
    );
    let ecowas = json_ld(&site.out("actors/ecowas/index.html"), "Organization");
    assert!(
        ecowas.get("jobTitle").is_none(),
        "a job title is a person's"
    );
    json_ld(&site.out("actors/niger/index.html"), "Country");
    json_ld(&site.out("actors/niger/index.html"), "BreadcrumbList");
}

#[test]
fn the_feed_has_a_category_per_topic_and_the_sitemap_dates_pages() {
    let site = site();
    site.build_ok();
    let feed = site.out("feed.xml");
    for fragment in [
        "<id>https://x.example/news/feed.xml</id>",
        "<author><name>T Media</name></author>",
        "<category term=\"Niger\"/>",
        "<category term=\"Security\"/>",
        "<published>2023-10-10T00:00:00Z</published>",
        "<updated>2023-10-12T00:00:00Z</updated>",
        "<summary>Macron spoke after the coup.</summary>",
        "<content type=\"html\" xml:base=\"https://x.example/news/articles/a/\">",
    ] {
        assert!(feed.contains(fragment), "feed lacks {fragment}:\n{feed}");
    }
    let sitemap = site.out("sitemap.xml");
    for fragment in [
        "<loc>https://x.example/news/articles/a/</loc><lastmod>2023-10-12T00:00:00Z</lastmod>",
        "<loc>https://x.example/news/explainers/coup/</loc><lastmod>2023-08-02T00:00:00Z</lastmod>",
        "<loc>https://x.example/news/topics/niger/</loc><lastmod>2023-10-12T00:00:00Z</lastmod>",
        "<loc>https://x.example/news/explainers/</loc><lastmod>2023-08-02T00:00:00Z</lastmod>",
    ] {
        assert!(
            sitemap.contains(fragment),
            "sitemap lacks {fragment}:\n{sitemap}"
        );
    }
}

#[test]
fn every_list_writes_an_article_item_as_the_macro_does() {
    // The paginated lists write `article_item`'s markup inline (a macro
    // call per item costs more than the item); the explainer's "Cited by"
    // calls the macro. Each article's item must read the same in all,
    // its relative href aside, with and without the draft badge.
    let article = |title: &str, draft: bool| {
        format!(
            "+++\ntitle = \"{title}\"\ndate = 2024-03-05\nsummary = \"What <em>changed</em> & why.\"\ntopics = [\"Ports\"]\nactors = [\"ines\"]\nauthors = [\"Ana Diallo\"]\nbackground = [\"port\"]\ndraft = {draft}\n+++\n\nBody.\n"
        )
    };
    let site = Site::new(&[
        (
            "site.toml",
            "title = \"T\"\nbase_url = \"https://x.org/\"\n",
        ),
        ("content/articles/strike.md", &article("Strike", false)),
        ("content/articles/deal.md", &article("Deal", true)),
        (
            "content/articles/lead.md",
            "+++\ntitle = \"Lead\"\ndate = 2024-03-09\n+++\n\nLead.\n",
        ),
        (
            "content/actors/ines.md",
            "+++\nname = \"Ines\"\n+++\n\nMayor.\n",
        ),
        (
            "content/authors/ana-diallo.md",
            "+++\nname = \"Ana Diallo\"\n+++\n\nBio.\n",
        ),
        (
            "content/notes/port.md",
            "+++\ntitle = \"Port\"\n+++\n\nHistory.\n",
        ),
    ]);
    let out = site.run(&["build", "--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The `<li class="story">` items of a page, hrefs taken out.
    let items = |path: &str| -> Vec<String> {
        let html = site.out(path);
        let mut found = Vec::new();
        let mut rest = html.as_str();
        while let Some(at) = rest.find("<li class=\"story\">") {
            let end = at + rest[at..].find("</li>").unwrap() + 5;
            let item = &rest[at..end];
            let href = item.find("href=\"").unwrap() + 6;
            let close = href + item[href..].find('"').unwrap();
            found.push(format!("{}{}", &item[..href], &item[close..]));
            rest = &rest[end..];
        }
        found
    };
    let cited = items("explainers/port/index.html");
    assert_eq!(cited.len(), 2, "{cited:?}");
    assert!(
        cited.iter().any(|i| i.contains("status-badge")),
        "{cited:?}"
    );
    assert!(
        cited.iter().any(
            |i| i.contains("What &lt;em&gt;changed&lt;&#x2F;em&gt; &amp; why.")
                || i.contains("What &lt;em&gt;changed&lt;/em&gt; &amp; why.")
        ),
        "{cited:?}"
    );
    for list in ["topics/ports/index.html", "actors/ines/index.html"] {
        assert_eq!(items(list), cited, "{list}");
    }
    // An author page lists only the author's public articles.
    let public: Vec<String> = cited
        .iter()
        .filter(|i| !i.contains("status-badge"))
        .cloned()
        .collect();
    assert_eq!(items("authors/ana-diallo/index.html"), public);
    let archive = items("articles/index.html");
    assert_eq!(archive.len(), 3);
    for item in &cited {
        assert!(archive.contains(item), "{item} not in {archive:?}");
    }
}

#[test]
fn an_article_with_nothing_beside_it_has_no_empty_sidebar() {
    let site = Site::new(&[
        (
            "content/articles/bare.md",
            "+++\ntitle = \"Bare\"\ndate = 2024-03-05\n+++\n\nBody only.\n",
        ),
        (
            "content/articles/full.md",
            "+++\ntitle = \"Full\"\ndate = 2024-03-06\n+++\n\nBody.\n\n## What You Should Know\n\n- A point.\n",
        ),
    ]);
    site.build_checked();
    let bare = site.out("articles/bare/index.html");
    assert!(!bare.contains("<aside"), "{bare}");
    // Its body takes the single, centred column.
    assert!(!bare.contains("with-sidebar"), "{bare}");
    let full = site.out("articles/full/index.html");
    assert!(
        full.contains("<aside class=\"sidebar know\" aria-labelledby=\"know-heading\">")
            && full.contains("with-sidebar"),
        "{full}"
    );
}
