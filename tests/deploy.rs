//! Deploying: hashed asset names, the generated `_headers`, and the files
//! hosts read (`_headers`, `_redirects`, `CNAME`, `.nojekyll`) published
//! from `static/` untouched.

use crate::support;

use support::*;

const ANN: (&str, &str) = (
    "content/actors/ann.md",
    "+++\nname = \"Ann Example\"\nrole = \"Envoy\"\n+++\nProfile.\n",
);
const DEAL: (&str, &str) = (
    "content/articles/deal.md",
    "+++\ntitle = \"A deal\"\ndate = 2024-01-02\n+++\nAnn Example signed.\n",
);

/// The rules of a `_headers` file: each path pattern with its headers.
fn rules(text: &str) -> Vec<(String, Vec<String>)> {
    let mut rules: Vec<(String, Vec<String>)> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if line.starts_with('/') {
            rules.push((line.trim().to_string(), Vec::new()));
        } else {
            let (_, headers) = rules.last_mut().expect("a header under a path");
            assert!(line.starts_with("  ") && line.contains(": "), "{line:?}");
            headers.push(line.trim().to_string());
        }
    }
    rules
}

/// Whether a `_headers` pattern matches a request path: `*` is a greedy
/// match of any characters, `/` included (Netlify's and Cloudflare's rule).
fn matches(pattern: &str, path: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == path,
        Some((head, tail)) => {
            path.len() >= head.len() + tail.len() && path.starts_with(head) && path.ends_with(tail)
        }
    }
}

/// The URLs a host answers for the files of `dir`: each file, and each
/// folder's `index.html` at the folder's URL too.
fn urls(dir: &std::path::Path) -> Vec<String> {
    let mut urls = Vec::new();
    for path in snapshot(dir).into_keys() {
        let url = format!("/{}", path.to_string_lossy());
        if let Some(folder) = url.strip_suffix("index.html") {
            urls.push(folder.to_string());
        }
        urls.push(url);
    }
    urls
}

#[test]
fn headers_cache_pages_briefly_and_hashed_assets_for_a_year() {
    let site = Site::new(&[ANN, DEAL]);
    site.build_ok();
    let public = site.root().join("public");
    let rules = rules(&site.out("_headers"));
    let cache = |url: &str| -> Vec<String> {
        rules
            .iter()
            .filter(|(p, _)| matches(p, url))
            .flat_map(|(_, h)| h.iter().filter(|h| h.starts_with("Cache-Control:")))
            .cloned()
            .collect()
    };
    let short = "Cache-Control: public, max-age=0, must-revalidate";
    let long = "Cache-Control: public, max-age=31536000, immutable";
    let css = hashed_asset(&public, "style.css");
    let js = hashed_asset(&public, "cards.js");
    let embeds = hashed_asset(&public, "embeds.js");
    let search = hashed_asset(&public, "search.js");
    assert_eq!(cache(&format!("/{css}")), [long]);
    assert_eq!(cache(&format!("/{js}")), [long]);
    assert_eq!(cache(&format!("/{embeds}")), [long]);
    assert_eq!(cache(&format!("/{search}")), [long]);
    for url in urls(&public) {
        let found = cache(&url);
        // Hosts join the values of every rule a path matches.
        assert!(found.len() <= 1, "{url} matches {found:?}");
        let page = url.ends_with('/') || url.ends_with(".html") || url.ends_with(".xml");
        if page {
            assert_eq!(found, [short], "{url}");
        }
        if found.first().is_some_and(|f| f == long) {
            assert!(
                [&css, &js, &embeds, &search]
                    .iter()
                    .any(|a| url == format!("/{a}")),
                "{url}"
            );
        }
    }
    // Every page links the hashed names, relative to itself.
    assert!(site.out("index.html").contains(&format!("href=\"{css}\"")));
    assert!(site
        .out("articles/deal/index.html")
        .contains(&format!("href=\"../../{css}\"")));
    // The names follow the content: another stylesheet, another name, and
    // the old file is removed.
    site.write("static/style.css", "body { color: teal }\n");
    site.build_ok();
    let newer = hashed_asset(&public, "style.css");
    assert_ne!(newer, css);
    assert!(!public.join(&css).exists());
    assert_eq!(site.out(&newer), "body { color: teal }\n");
    assert!(site.out("articles/deal/index.html").contains(&newer));
}

#[test]
fn host_files_in_static_are_published_untouched() {
    let own_headers = "/*\n  X-Frame-Options: DENY\n";
    let redirects = "/old-story /articles/deal/ 301\n";
    let site = Site::new(&[
        ANN,
        DEAL,
        ("static/_headers", own_headers),
        ("static/_redirects", redirects),
        ("static/CNAME", "news.example.org\n"),
        ("static/.nojekyll", ""),
    ]);
    site.build_ok();
    assert_eq!(
        site.out("_headers"),
        own_headers,
        "replaces the generated one"
    );
    assert_eq!(site.out("_redirects"), redirects);
    assert_eq!(site.out("CNAME"), "news.example.org\n");
    assert!(site.root().join("public/.nojekyll").is_file());
    assert_eq!(site.out(".nojekyll"), "");
}
