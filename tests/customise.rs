//! Customising the theme: `[extra]` of site.toml reaches every template,
//! Tera's builtin filters and functions work, and TEMPLATES.md documents
//! every variable the templates receive.

use crate::support;

use std::collections::BTreeSet;

use support::{repo_root, stderr, Site};

const ARTICLE: &str = "+++\ntitle = \"A\"\ndate = 2024-01-02\n+++\n\nText.\n";

/// The built-in template `name` with `addition` put after `marker`.
fn builtin_with(name: &str, marker: &str, addition: &str) -> String {
    let text = std::fs::read_to_string(repo_root().join("templates").join(name)).unwrap();
    let at = text
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} not in {name}"))
        + marker.len();
    format!("{}{}{}", &text[..at], addition, &text[at..])
}

fn site_showing_extra(motto: &str) -> Site {
    let site = Site::new(&[
        (
            "content/articles/a.md",
            "+++\ntitle = \"A\"\ndate = 2024-01-02\ntopics = [\"Niger\"]\n+++\n\nText.\n",
        ),
        ("content/notes/n.md", "+++\ntitle = \"N\"\n+++\n\nA note.\n"),
        (
            "content/actors/p.md",
            "+++\nname = \"Pat Doe\"\n+++\n\nA person.\n",
        ),
    ]);
    site.write("site.toml", &site_toml(motto));
    site.write(
        "templates/base.html",
        &builtin_with(
            "base.html",
            "<body class=\"{% block body_class %}page{% endblock %}\">",
            "<p class=\"motto\">{{ extra.motto }} {{ extra.desk.lead }} {{ extra.launched }} {{ extra.beats | join(sep=\"/\") }}</p>",
        ),
    );
    let xml = "<!-- {{ extra.motto }} {{ extra.desk.lead }} {{ extra.launched }} {{ extra.beats | join(sep=\"/\") }} -->";
    site.write(
        "templates/feed.xml",
        &builtin_with(
            "feed.xml",
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{{ feed.language }}\">",
            xml,
        ),
    );
    site.write(
        "templates/sitemap.xml",
        &builtin_with(
            "sitemap.xml",
            "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">",
            xml,
        ),
    );
    site.write(
        "templates/robots.txt",
        &builtin_with(
            "robots.txt",
            "Allow: /\n",
            "# {{ extra.motto }} {{ extra.desk.lead }} {{ extra.launched }} {{ extra.beats | join(sep=\"/\") }}\n",
        ),
    );
    site
}

fn site_toml(motto: &str) -> String {
    format!(
        "title = \"T\"\nbase_url = \"https://example.org/\"\n\n[extra]\nmotto = \"{motto}\"\nlaunched = 2024-05-01\nbeats = [\"sahel\", \"energy\"]\n\n[extra.desk]\nlead = \"Ana\"\n"
    )
}

fn every_output(site: &Site) -> Vec<(String, String)> {
    support::snapshot(&site.root().join("public"))
        .into_iter()
        .filter(|(p, _)| {
            let p = p.to_string_lossy();
            p.ends_with(".html") || p.ends_with(".xml") || p.ends_with(".txt")
        })
        .map(|(p, b)| {
            (
                p.to_string_lossy().into_owned(),
                String::from_utf8(b).unwrap(),
            )
        })
        .collect()
}

#[test]
fn extra_reaches_every_template_and_a_change_renders_again() {
    let site = site_showing_extra("Facts first");
    site.build_ok();
    let outputs = every_output(&site);
    let paths: Vec<&str> = outputs.iter().map(|(p, _)| p.as_str()).collect();
    // Every page, the feed, the sitemap and robots.txt, the search page,
    // timeline/2024/ and the topic's feed included (the actor, named by no
    // story, has none).
    assert_eq!(outputs.len(), 17, "{paths:?}");
    for (path, text) in &outputs {
        assert!(
            text.contains("Facts first Ana 2024-05-01 sahel/energy"),
            "{path} lacks extra:\n{text}"
        );
    }
    // Only site.toml's [extra] changes: every page must be rendered again,
    // not kept from the build cache.
    site.write("site.toml", &site_toml("Context always"));
    let out = site.build_ok();
    for (path, text) in every_output(&site) {
        assert!(
            text.contains("Context always Ana") && !text.contains("Facts first"),
            "{path} kept the old extra ({})",
            stderr(&out)
        );
    }
}

#[test]
fn extra_is_empty_when_site_toml_has_none() {
    let site = Site::new(&[("content/articles/a.md", ARTICLE)]);
    site.write(
        "templates/robots.txt",
        "{% if extra | length == 0 %}no extra{% endif %}\n",
    );
    site.build_ok();
    assert_eq!(site.out("robots.txt"), "no extra\n");
}

#[test]
fn extra_holds_any_keys_but_site_toml_still_refuses_unknown_ones() {
    let site = Site::new(&[("content/articles/a.md", ARTICLE)]);
    site.write("site.toml", "titel = \"T\"\n[extra]\nanything_at_all = 1\n");
    let out = site.build();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("titel") && !err.contains("anything_at_all"),
        "{err}"
    );
}

#[test]
fn teras_builtin_filters_and_functions_are_available() {
    let site = Site::new(&[("content/articles/a.md", ARTICLE)]);
    site.write(
        "templates/robots.txt",
        "{{ \"Hello World: Niger!\" | slugify }}\n\
         {{ \"a b&c/d\" | urlencode }}\n\
         {{ 1048576 | filesizeformat }}\n\
         {{ \"2023-07-26\" | date(format=\"%d %B %Y\") }}\n\
         {{ now() | date(format=\"%Y\") | length }}\n\
         {{ get_random(start=1, end=2) }}\n",
    );
    site.build_ok();
    let lines: Vec<String> = site.out("robots.txt").lines().map(String::from).collect();
    assert_eq!(
        lines,
        [
            "hello-world-niger",
            "a%20b%26c/d",
            "1 MB",
            "26 July 2023",
            "4",
            "1"
        ]
    );
}

// ---------------------------------------------------------------------------
// TEMPLATES.md

/// Every key path of a context: `article.key_actors[].name`.
fn key_paths(value: &serde_json::Value, prefix: &str, out: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                out.insert(path.clone());
                // `extra` is the site's own.
                if path != "extra" {
                    key_paths(v, &path, out);
                }
            }
        }
        serde_json::Value::Array(items) => {
            for v in items {
                key_paths(v, &format!("{prefix}[]"), out);
            }
        }
        _ => {}
    }
}

/// Each template with the key paths of every context it receives, from
/// the sample site and the theme fixture (which between them fill every
/// optional field).
fn documented_views() -> Vec<(&'static str, BTreeSet<String>)> {
    let mut views: Vec<(&'static str, BTreeSet<String>)> = Vec::new();
    for root in [repo_root(), repo_root().join("tests/fixtures/theme-site")] {
        let rendered = explainer::render_site(
            &explainer::BuildOptions::new(&root),
            &Default::default(),
            false,
            &|_| Ok(true),
        )
        .unwrap_or_else(|_| panic!("{} renders", root.display()));
        for (_, template, context) in explainer::render::template_contexts(&rendered.site) {
            let mut paths = BTreeSet::new();
            key_paths(&context, "", &mut paths);
            match views.iter_mut().find(|(t, _)| *t == template) {
                Some((_, all)) => all.extend(paths),
                None => views.push((template, paths)),
            }
        }
    }
    views
}

#[test]
fn templates_md_documents_every_template_and_variable() {
    let doc = std::fs::read_to_string(repo_root().join("TEMPLATES.md")).unwrap();
    let views = documented_views();
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(repo_root().join("templates")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !doc.contains(&format!("`{name}`")) {
            missing.push(format!("template {name}"));
        }
    }
    for (template, paths) in &views {
        for path in paths {
            if !doc.contains(&format!("`{path}`")) {
                missing.push(format!("{path} (in {template})"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "TEMPLATES.md does not document:\n  {}",
        missing.join("\n  ")
    );
    for words in [
        "`date`",
        "`slugify`",
        "`urlencode`",
        "`filesizeformat`",
        "`now()`",
        "`get_random`",
        "`extra`",
    ] {
        assert!(doc.contains(words), "TEMPLATES.md does not mention {words}");
    }
}

#[test]
fn templates_md_names_no_variable_that_is_gone() {
    // A documented path under one of the page variables that no context
    // has is a field renamed or removed without the reference following.
    // The fixtures leave some optional objects null everywhere (an
    // article card's image on the front page): their fields count when
    // the object is there and documented as "or null".
    let doc = std::fs::read_to_string(repo_root().join("TEMPLATES.md")).unwrap();
    let rows: Vec<(&str, &str)> = doc
        .lines()
        .filter(|l| l.starts_with("| `"))
        .filter_map(|l| {
            let mut cells = l.split('|').skip(1);
            let path = cells.next()?.trim().trim_matches('`');
            Some((path, cells.next()?.trim()))
        })
        .collect();
    let nullable = |path: &str| {
        rows.iter()
            .any(|(p, t)| *p == path && t.contains("or null"))
    };
    let all: BTreeSet<String> = documented_views()
        .into_iter()
        .flat_map(|(_, paths)| paths)
        .collect();
    let roots: BTreeSet<&str> = all
        .iter()
        .map(|p| p.split(['.', '[']).next().unwrap())
        .collect();
    let templates: BTreeSet<String> = std::fs::read_dir(repo_root().join("templates"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let stale: Vec<&str> = rows
        .iter()
        .map(|(p, _)| *p)
        .filter(|p| !templates.contains(*p))
        .filter(|p| roots.contains(p.split(['.', '[']).next().unwrap()))
        .filter(|p| !all.contains(*p))
        .filter(|p| {
            !p.rsplit_once('.')
                .is_some_and(|(parent, _)| all.contains(parent) && nullable(parent))
        })
        .collect();
    assert!(
        stale.is_empty(),
        "TEMPLATES.md documents what no template gets: {stale:?}"
    );
}
