//! Search: the Pagefind index a build writes under `pagefind/`, what it
//! holds (pages, text, filters, an actor's other names), the search page
//! and its header link, and `[search] enabled = false`.

use crate::support;

use std::io::Read;

use support::*;

const SITE: &str = "title = \"Test\"\nbase_url = \"https://example.org/news/\"\n";

fn fixture(config: &str) -> Site {
    Site::new(&[
        ("site.toml", config),
        (
            "content/articles/coup.md",
            "+++\ntitle = \"Soldiers seize power\"\ndate = 2023-07-26\ntopics = [\"Niger\"]\nactors = [\"general\"]\n+++\n\nThe presidential guard detained the president in Quixotrophe.\n",
        ),
        (
            "content/notes/background.md",
            "+++\ntitle = \"The background\"\nsummary = \"How it came to this.\"\n+++\n\nA long story about Marmalunde.\n",
        ),
        (
            "content/actors/general.md",
            "+++\nname = \"Abdou General\"\nkind = \"person\"\nrole = \"Head of the junta\"\naliases = [\"Zorglubian\"]\n+++\n\nHe leads the council.\n",
        ),
    ])
}

/// The bytes of a Pagefind data file: gzip around `pagefind_dcd` and the
/// payload (JSON for fragments, CBOR for the word and filter indexes).
fn decoded(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("gzip");
    assert!(out.starts_with(b"pagefind_dcd"), "no signature");
    out.split_off(b"pagefind_dcd".len())
}

fn files_in(site: &Site, dir: &str, ext: &str) -> Vec<Vec<u8>> {
    let dir = site.root().join("public/pagefind").join(dir);
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == ext))
        .map(|e| decoded(&std::fs::read(e.path()).unwrap()))
        .collect()
}

fn fragments(site: &Site) -> Vec<serde_json::Value> {
    files_in(site, "fragment", "pf_fragment")
        .iter()
        .map(|b| serde_json::from_slice(b).expect("fragment JSON"))
        .collect()
}

fn fragment<'a>(all: &'a [serde_json::Value], url: &str) -> &'a serde_json::Value {
    all.iter()
        .find(|f| f["url"] == url)
        .unwrap_or_else(|| panic!("no fragment for {url}: {all:?}"))
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn a_build_writes_the_index_with_every_page() {
    let site = fixture(SITE);
    site.build_ok();
    assert!(site.exists("pagefind/pagefind.js"));
    // A small site's index is one shard: no others to merge.
    assert_eq!(site.out("pagefind/shards.json"), r#"{"shards":[]}"#);
    let entry: serde_json::Value =
        serde_json::from_str(&site.out("pagefind/pagefind-entry.json")).unwrap();
    assert_eq!(entry["languages"]["en"]["page_count"], 3, "{entry}");
    let wasm = entry["languages"]["en"]["wasm"].as_str().unwrap();
    assert!(
        site.exists(&format!("pagefind/wasm.{wasm}.pagefind")),
        "{wasm}"
    );
    // Pagefind's own UI is not shipped: the search page has its own.
    assert!(!site.exists("pagefind/pagefind-ui.js"));
    // The index is part of the output the build owns.
    let manifest = std::fs::read_to_string(site.root().join("public/.explainer-manifest")).unwrap();
    assert!(
        manifest.contains("pagefind/pagefind-entry.json"),
        "{manifest}"
    );
}

#[test]
fn pages_are_indexed_with_their_text_metadata_and_filters() {
    let site = fixture(SITE);
    site.build_ok();
    let all = fragments(&site);
    assert_eq!(all.len(), 3);

    let article = fragment(&all, "articles/coup/index.html");
    let content = article["content"].as_str().unwrap();
    assert!(content.contains("Soldiers seize power"), "{content}");
    assert!(
        content.contains("detained the president in Quixotrophe"),
        "{content}"
    );
    // The navigation and the sidebar blocks are not the page's text.
    assert!(!content.contains("Explainers"), "{content}");
    assert!(!content.contains("Key actors"), "{content}");
    assert_eq!(article["meta"]["title"], "Soldiers seize power");
    assert_eq!(article["meta"]["kind"], "article");
    assert_eq!(article["meta"]["date"], "2023-07-26");
    assert!(article["meta"]["summary"]
        .as_str()
        .unwrap()
        .contains("Quixotrophe"));
    assert_eq!(article["filters"]["kind"][0], "article");
    assert_eq!(article["filters"]["topic"][0], "Niger");

    let note = fragment(&all, "explainers/background/index.html");
    assert_eq!(note["meta"]["kind"], "explainer");
    assert_eq!(note["meta"]["summary"], "How it came to this.");
    assert_eq!(note["filters"]["kind"][0], "explainer");

    let actor = fragment(&all, "actors/general/index.html");
    assert_eq!(actor["meta"]["title"], "Abdou General");
    assert_eq!(actor["meta"]["summary"], "Head of the junta");
    assert_eq!(actor["filters"]["kind"][0], "actor");
    assert_eq!(actor["filters"]["actor_kind"][0], "person");
    assert!(actor["content"].as_str().unwrap().contains("Zorglubian"));

    // The word index holds the alias, the body's words and the filter
    // values, so a search for each finds its page.
    let words = files_in(&site, "index", "pf_index").concat();
    for word in ["zorglubian", "quixotroph", "marmalund"] {
        assert!(contains(&words, word), "{word} not in the word index");
    }
    let filters = files_in(&site, "filter", "pf_filter").concat();
    for value in ["article", "explainer", "actor", "person", "Niger"] {
        assert!(contains(&filters, value), "{value} not in the filter index");
    }
}

#[test]
fn a_site_indexed_in_shards_holds_every_page_once() {
    // One page per shard: the fixture's three pages in up to three shards
    // (a shard the hash leaves empty is not written).
    let site = fixture(SITE);
    let out = bin()
        .env("EXPLAINER_SEARCH_SHARD_PAGES", "1")
        .args(["build", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let listed: serde_json::Value =
        serde_json::from_str(&site.out("pagefind/shards.json")).unwrap();
    let mut dirs = vec![String::new()];
    for shard in listed["shards"].as_array().unwrap() {
        let shard = shard.as_str().unwrap();
        assert!(site.exists(&format!("pagefind/{shard}pagefind-entry.json")));
        // Only the first shard carries the script and the WebAssembly.
        assert!(!site.exists(&format!("pagefind/{shard}pagefind.js")));
        dirs.push(shard.to_string());
    }
    assert!(dirs.len() > 1, "{listed}");
    let mut pages = 0;
    let mut urls = Vec::new();
    let mut filters = Vec::new();
    for dir in &dirs {
        let entry: serde_json::Value =
            serde_json::from_str(&site.out(&format!("pagefind/{dir}pagefind-entry.json"))).unwrap();
        pages += entry["languages"]["en"]["page_count"].as_u64().unwrap();
        for f in files_in(&site, &format!("{dir}fragment"), "pf_fragment") {
            let f: serde_json::Value = serde_json::from_slice(&f).unwrap();
            urls.push(f["url"].as_str().unwrap().to_string());
        }
        filters.extend(files_in(&site, &format!("{dir}filter"), "pf_filter").concat());
    }
    assert_eq!(pages, 3);
    urls.sort();
    assert_eq!(
        urls,
        [
            "actors/general/index.html",
            "articles/coup/index.html",
            "explainers/background/index.html"
        ]
    );
    for value in ["article", "explainer", "actor", "person", "Niger"] {
        assert!(contains(&filters, value), "{value} in no shard's filters");
    }
    // The search page fetches the list from the bundle.
    assert!(site
        .out("search/index.html")
        .contains("data-bundle=\"../pagefind/pagefind.js\""));
}

#[test]
fn word_chunks_are_small_so_a_query_fetches_little_from_each_shard() {
    // 4,000 locations: two chunks at the 3,000 the binary sets (Pagefind's
    // default, 20,000, would make one).
    let words: Vec<String> = (0..4000).map(|i| format!("w{i}x")).collect();
    let site = fixture(SITE);
    site.write(
        "content/articles/long.md",
        &format!(
            "+++\ntitle = \"Long\"\ndate = 2024-01-01\n+++\n\n{}\n",
            words.join(" ")
        ),
    );
    site.build_ok();
    let chunks = files_in(&site, "index", "pf_index");
    assert!(chunks.len() >= 2, "{} word chunks", chunks.len());
}

#[test]
fn the_search_page_and_its_link() {
    let site = fixture(SITE);
    site.build_ok();
    let page = site.out("search/index.html");
    assert!(
        page.contains("data-bundle=\"../pagefind/pagefind.js\""),
        "{page}"
    );
    assert!(page.contains("id=\"search-input\""));
    // Without JavaScript the page says what search needs.
    assert!(page.contains("needs JavaScript"));
    // The box says what it searches: standalone pages too.
    assert!(
        page.contains(">Search articles, explainers, actors, pages and authors</label>"),
        "{page}"
    );
    let article = site.out("articles/coup/index.html");
    assert!(
        article.contains("class=\"search-link\" href=\"../../search/index.html\""),
        "{article}"
    );
    let script = hashed_asset(&site.root().join("public"), "search.js");
    assert!(
        article.contains(&format!("src=\"../../{script}\"")),
        "{article}"
    );
    support::assert_site_integrity(&site.root().join("public"));
    let missing = site.out("404.html");
    assert!(
        missing.contains("href=\"/news/search/index.html\""),
        "{missing}"
    );
}

#[test]
fn search_off_writes_no_index_and_no_link() {
    let site = fixture(&format!("{SITE}[search]\nenabled = false\n"));
    site.build_ok();
    assert!(!site.exists("pagefind"));
    assert!(!site.exists("search/index.html"));
    let scripts: Vec<String> = std::fs::read_dir(site.root().join("public"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("search"))
        .collect();
    assert!(scripts.is_empty(), "{scripts:?}");
    let article = site.out("articles/coup/index.html");
    assert!(!article.contains("search"), "{article}");
    // Turned off after a build with search, the index goes away with the
    // rest of the files no longer produced.
    let site = fixture(SITE);
    site.build_ok();
    assert!(site.exists("pagefind/pagefind-entry.json"));
    site.write("site.toml", &format!("{SITE}[search]\nenabled = false\n"));
    site.build_ok();
    assert!(!site.exists("pagefind/pagefind-entry.json"));
    assert!(!site.exists("search/index.html"));
}

#[test]
fn an_unchanged_index_is_not_rewritten() {
    let site = fixture(SITE);
    site.build_ok();
    let entry = site.root().join("public/pagefind/pagefind-entry.json");
    let before = std::fs::metadata(&entry).unwrap().modified().unwrap();
    // A change that does not touch the search records (a template) leaves
    // the index's bytes, so its files, as they were.
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Gone</h1>{% endblock main %}",
    );
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.build_ok();
    assert_eq!(
        std::fs::metadata(&entry).unwrap().modified().unwrap(),
        before
    );
    assert!(site.out("404.html").contains("Gone"));
}

#[test]
fn the_sample_site_finds_actors_by_their_other_names() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let status = bin()
        .args(["build", "--quiet", "--root"])
        .arg(repo_root())
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", stderr(&status));
    let entry: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("pagefind/pagefind-entry.json")).unwrap())
            .unwrap();
    // 4 articles, 4 explainers, 13 actors, 2 standalone pages and 2
    // authors.
    assert_eq!(entry["languages"]["en"]["page_count"], 25, "{entry}");
    let fragments: Vec<serde_json::Value> = std::fs::read_dir(out.join("pagefind/fragment"))
        .unwrap()
        .flatten()
        .map(|e| serde_json::from_slice(&decoded(&std::fs::read(e.path()).unwrap())).unwrap())
        .collect();
    let junta = fragments
        .iter()
        .find(|f| f["url"] == "actors/niger-junta/index.html")
        .expect("junta indexed");
    assert!(junta["content"].as_str().unwrap().contains("CNSP"));
    assert_eq!(junta["filters"]["actor_kind"][0], "group");
    // The know points are in an article's text once, though the page
    // shows them twice (sidebar and narrow-screen copy).
    let article = fragments
        .iter()
        .find(|f| f["url"] == "articles/france-begins-niger-troop-withdrawal/index.html")
        .expect("article indexed");
    let content = article["content"].as_str().unwrap();
    let html = std::fs::read_to_string(
        out.join("articles/france-begins-niger-troop-withdrawal/index.html"),
    )
    .unwrap();
    let point = first_know_point(&html);
    assert_eq!(html.matches(point.as_str()).count(), 2, "{point}");
    assert_eq!(
        content.matches(point.as_str()).count(),
        1,
        "{point}\n{content}"
    );
}

/// The text of the first know point of an article page (up to its first
/// tag), for counting.
fn first_know_point(html: &str) -> String {
    let list = html.find("know-points").expect("know points");
    let li = list + html[list..].find("<li>").unwrap() + 4;
    let end = li + html[li..].find('<').unwrap();
    html[li..end].trim().to_string()
}

#[test]
fn a_build_on_one_thread_finishes_with_its_index() {
    // The pages render on rayon's pool while the index is built beside
    // them; with a pool of one thread (a one-core machine), a render that
    // waited for an index needing that same pool would never finish. The
    // child is killed after a minute instead of hanging the test run.
    let site = fixture(SITE);
    let mut child = bin()
        .env("RAYON_NUM_THREADS", "1")
        .env("EXPLAINER_SEARCH_SHARD_PAGES", "1")
        .args(["build", "--root"])
        .arg(site.root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > std::time::Duration::from_secs(60) {
            child.kill().unwrap();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(
        status.is_some_and(|s| s.success()),
        "the build hung or failed"
    );
    assert!(site.exists("pagefind/pagefind-entry.json"));
}

#[test]
fn author_profiles_are_indexed_as_authors_and_drafts_are_not() {
    let site = fixture(SITE);
    site.write(
        "content/authors/ana.md",
        "+++\nname = \"Ana Diallo\"\nrole = \"Port reporter\"\n+++\n\nShe covers Wobbleport for the site.\n",
    );
    site.write(
        "content/authors/ben.md",
        "+++\nname = \"Ben Sow\"\ndraft = true\n+++\n\nNot yet.\n",
    );
    let out = site.run(&["build", "--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let all = fragments(&site);
    let ana = fragment(&all, "authors/ana/index.html");
    assert_eq!(ana["meta"]["kind"], "author");
    assert_eq!(ana["filters"]["kind"][0], "author");
    assert_eq!(ana["meta"]["summary"], "Port reporter");
    assert!(ana["content"].as_str().unwrap().contains("Wobbleport"));
    assert!(!all.iter().any(|f| f["url"] == "authors/ben/index.html"));
    // The search page names the kind and its filter in the site's
    // language.
    let page = site.out("search/index.html");
    assert!(page.contains("|Authors\""), "the filter label");
    assert!(page.contains("|Author\""), "the kind of a result");
}

#[test]
fn the_theme_words_inside_a_body_are_not_indexed() {
    let site = fixture(SITE);
    site.write(
        "content/articles/map.md",
        "+++\ntitle = \"Where it happened\"\ndate = 2023-07-27\n+++\n\nThe palace stands in Plateau.\n\n{{ embed(url=\"https://www.openstreetmap.org/?mlat=13.5&mlon=2.1#map=13/13.5/2.1\", title=\"Niamey's Plateau district\") }}\n\n{{ youtube(id=\"dQw4w9WgXcQ\") }}\n\n{% callout() %}\nA note written by the desk.\n{% end %}\n\n{% callout(title=\"Who rules\") %}\nThe junta.\n{% end %}\n",
    );
    site.build_ok();
    let html = site.out("articles/map/index.html");
    // The page shows the placeholders' words...
    for shown in [
        "connects to",
        "Load the",
        "OpenStreetMap map",
        "YouTube video",
        "Note",
    ] {
        assert!(html.contains(shown), "{shown} not on the page:\n{html}");
    }
    // ...which are not the page's text: "connects" would find every page
    // with an embed.
    let all = fragments(&site);
    let content = fragment(&all, "articles/map/index.html")["content"]
        .as_str()
        .unwrap()
        .to_string();
    for chrome in [
        "connects",
        "Load the",
        "OpenStreetMap",
        "YouTube",
        "youtube.com",
        "Note",
    ] {
        assert!(!content.contains(chrome), "{chrome} indexed:\n{content}");
    }
    // The author's words stay: the embed's title, a callout's own title
    // and every callout's body.
    for text in [
        "The palace stands in Plateau.",
        "Niamey's Plateau district",
        "Who rules",
        "A note written by the desk.",
        "The junta.",
    ] {
        assert!(content.contains(text), "{text} not indexed:\n{content}");
    }
    let words = files_in(&site, "index", "pf_index").concat();
    assert!(!contains(&words, "connect"), "connects in the word index");
}

#[test]
fn every_kind_of_page_shows_its_publication_date() {
    let site = fixture(SITE);
    site.write(
        "content/pages/about.md",
        "+++\ntitle = \"About us\"\ndate = 2021-03-01\nupdated = 2024-05-06\n+++\n\nWho we are.\n",
    );
    site.write(
        "content/notes/dated.md",
        "+++\ntitle = \"Dated\"\ndate = 2022-01-02\nupdated = 2024-05-07\n+++\n\nA dated story.\n",
    );
    site.write(
        "content/pages/revised.md",
        "+++\ntitle = \"Revised\"\nupdated = 2024-05-08\n+++\n\nOnly revised.\n",
    );
    site.write(
        "content/articles/coup.md",
        "+++\ntitle = \"Soldiers seize power\"\ndate = 2023-07-26\nupdated = 2023-07-28\n+++\n\nThe guard.\n",
    );
    site.build_ok();
    let all = fragments(&site);
    // `date` is when the page was published, whatever its kind, as for
    // an article; a page with only `updated` shows that.
    for (url, date) in [
        ("articles/coup/index.html", "2023-07-26"),
        ("about/index.html", "2021-03-01"),
        ("explainers/dated/index.html", "2022-01-02"),
        ("revised/index.html", "2024-05-08"),
    ] {
        assert_eq!(fragment(&all, url)["meta"]["date"], date, "{url}");
    }
}
