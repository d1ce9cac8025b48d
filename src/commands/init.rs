//! `explainer init DIR`: makes a new site folder with a small example of
//! each kind of page, cross-referenced, that builds at once.

use std::path::Path;

use crate::cli::{InitArgs, Verbosity};
use crate::commands::{EXIT_CONTENT, EXIT_USAGE};
use crate::display_path;

pub fn run(args: InitArgs, verbosity: Verbosity) -> i32 {
    let today = chrono::Local::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    match init(&args.dir, &today) {
        Ok(()) => {
            if verbosity != Verbosity::Quiet {
                let d = display_path(&args.dir);
                eprintln!("created a new site in {d}");
                eprintln!(
                    "next: cd {d}, write with `explainer new article \"Title\"`, preview with `explainer serve`, publish {d}/public after `explainer build`"
                );
            }
            0
        }
        Err((code, message)) => {
            eprintln!("error: {message}");
            code
        }
    }
}

pub fn init(dir: &Path, today: &str) -> Result<(), (i32, String)> {
    if dir.is_file() {
        return Err((EXIT_USAGE, format!("{} is a file", display_path(dir))));
    }
    if dir.is_dir() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| {
            (
                EXIT_CONTENT,
                format!("cannot read {}: {e}", display_path(dir)),
            )
        })?;
        if entries.next().is_some() {
            return Err((
                EXIT_USAGE,
                format!(
                    "{} is not empty; init only creates new sites",
                    display_path(dir)
                ),
            ));
        }
    }
    // The folder's name becomes the site's title: without the control and
    // bidirectional characters that `site.toml` may not hold, so the new
    // site builds.
    let name = dir
        .file_name()
        .map(|n| {
            let n = n.to_string_lossy();
            let kept: String = n
                .chars()
                .map(|c| {
                    if crate::diagnostics::is_escaped(c) {
                        ' '
                    } else {
                        c
                    }
                })
                .collect();
            kept.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .filter(|n| !n.is_empty() && n != "." && n != "..")
        .unwrap_or_else(|| "My explainers".into());
    let title = toml::Value::String(name).to_string();
    let files: [(&str, String); 5] = [
        (
            "site.toml",
            format!(
                "title = {title}\ndescription = \"News and the background behind it.\"\n# The address the site will be published at (feed, sitemap, canonical links).\n# Until it is set, `build` warns and absolute URLs use the local preview address.\n# base_url = \"https://news.example.org/\"\n"
            ),
        ),
        (".gitignore", "/public\n".into()),
        (
            "content/articles/welcome.md",
            format!(
                r#"+++
title = "Welcome to your explainer site"
date = {today}
summary = "How articles, explainers and actor profiles fit together."
authors = ["The Newsroom"]
topics = ["Getting started"]
background = ["how-this-site-works"]
+++

Every article names the people and organisations it is about. Jane Doe,
for instance, is linked to her profile automatically the first time she is
mentioned, and her profile lists this article.

Link any page by its slug: [[how-this-site-works]], or with your own
words: [[how-this-site-works|the explainer]].

## What You Should Know

- This section moves into the sidebar of the article.
- Replace this article with your own, or run `explainer new article "Title"`.
"#
            ),
        ),
        (
            "content/notes/how-this-site-works.md",
            format!(
                r#"+++
title = "How this site works"
summary = "Background notes become explainer pages with a timeline."
date = {today}

[[timeline]]
date = "{today}"
text = "The site was created."
+++

Background notes live in `content/notes/` and become explainer pages.
Articles list them under `background`, and each explainer shows the
articles that cite it.
"#
            ),
        ),
        (
            "content/actors/jane-doe.md",
            r#"+++
name = "Jane Doe"
kind = "person"
role = "An example actor"
aliases = ["Doe"]
+++

Actors are the people, organisations, countries, groups and places in the
coverage. Each one gets a profile listing every story it appears in.
"#
            .to_string(),
        ),
    ];
    for (path, text) in files {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                (
                    EXIT_CONTENT,
                    format!("cannot create {}: {e}", display_path(parent)),
                )
            })?;
        }
        std::fs::write(&target, text).map_err(|e| {
            (
                EXIT_CONTENT,
                format!("cannot write {}: {e}", display_path(&target)),
            )
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_a_non_empty_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x"), "").unwrap();
        assert_eq!(init(dir.path(), "2026-11-28").unwrap_err().0, EXIT_USAGE);
    }

    #[test]
    fn a_new_site_builds() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("news");
        init(&site, "2026-11-28").unwrap();
        let summary = crate::build(&crate::BuildOptions::new(&site)).unwrap();
        assert_eq!(
            (summary.articles, summary.explainers, summary.actors),
            (1, 1, 1)
        );
        let actor =
            std::fs::read_to_string(site.join("public/actors/jane-doe/index.html")).unwrap();
        assert!(
            actor.contains("Welcome to your explainer site"),
            "backlink from the article"
        );
    }
}
