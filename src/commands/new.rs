//! `explainer new article|note|actor "Title"`: writes a new content file
//! with its front matter filled in and today's date, ready to build.

use std::path::{Path, PathBuf};

use crate::cli::{NewArgs, NewKind, Verbosity};
use crate::commands::{EXIT_CONTENT, EXIT_USAGE};
use crate::display_path;
use crate::model::slugify;

pub fn run(args: NewArgs, verbosity: Verbosity) -> i32 {
    let today = chrono::Local::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    match create(&args.root, args.kind, &args.title, &today) {
        Ok(path) => {
            if verbosity != Verbosity::Quiet {
                eprintln!("created {}", display_path(&path));
            }
            0
        }
        Err(NewError::Usage(m)) => {
            eprintln!("error: {m}");
            EXIT_USAGE
        }
        Err(NewError::Failed(m)) => {
            eprintln!("error: {m}");
            EXIT_CONTENT
        }
    }
}

#[derive(Debug)]
pub enum NewError {
    Usage(String),
    Failed(String),
}

/// Creates the file and returns its path; never overwrites.
pub fn create(root: &Path, kind: NewKind, title: &str, today: &str) -> Result<PathBuf, NewError> {
    let title = title.trim();
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(NewError::Usage(format!(
            "cannot make a slug from \"{title}\": give a title with letters or digits"
        )));
    }
    if !root.is_dir() {
        return Err(NewError::Usage(format!(
            "site folder {} does not exist",
            root.display()
        )));
    }
    let section = match kind {
        NewKind::Article => "articles",
        NewKind::Note => "notes",
        NewKind::Actor => "actors",
    };
    let dir = root.join("content").join(section);
    let path = dir.join(format!("{slug}.md"));
    if path.exists() {
        return Err(NewError::Failed(format!(
            "{} already exists; pick another title or edit that file",
            path.display()
        )));
    }
    std::fs::create_dir_all(&dir)
        .map_err(|e| NewError::Failed(format!("cannot create {}: {e}", dir.display())))?;
    let text = template(kind, title, today);
    std::fs::write(&path, text)
        .map_err(|e| NewError::Failed(format!("cannot write {}: {e}", path.display())))?;
    Ok(path)
}

/// A TOML string literal, quoted and escaped.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn template(kind: NewKind, title: &str, today: &str) -> String {
    let t = quoted(title);
    match kind {
        NewKind::Article => format!(
            r#"+++
title = {t}
date = {today}
# summary = "One sentence for lists, feeds and search results."
authors = []
topics = []
# Actor and note slugs, e.g. ["emmanuel-macron"]; actors named in the
# text are linked and listed automatically.
actors = []
background = []
# [[sources]]
# name = "Reuters"
# url = "https://www.reuters.com/"
+++

Write the lead paragraph here.

## What You Should Know

- The first thing a reader needs to know.
"#
        ),
        NewKind::Note => format!(
            r#"+++
title = {t}
date = {today}
# summary = "One sentence on what this explainer covers."
actors = []
related = []
# [[timeline]]
# date = "{today}"
# text = "What happened that day."
+++

Explain the background here.
"#
        ),
        NewKind::Actor => format!(
            r#"+++
name = {t}
# person, organization, country, group or place
kind = "person"
# role = "One line, e.g. President of France"
# Other names the text may use; each is linked to this profile.
aliases = []
related = []
# [[links]]
# name = "Wikipedia"
# url = "https://en.wikipedia.org/wiki/..."
+++

Write the profile here.
"#
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_quoted_safely() {
        let text = template(NewKind::Article, "Macron says \"no\"", "2026-11-28");
        assert!(
            text.contains(r#"title = 'Macron says "no"'"#)
                || text.contains(r#"title = "Macron says \"no\"""#),
            "{text}"
        );
    }

    #[test]
    fn refuses_to_overwrite_and_needs_a_slug() {
        let dir = tempfile::tempdir().unwrap();
        let p = create(dir.path(), NewKind::Actor, "Sylvain Itte", "2026-11-28").unwrap();
        assert!(p.ends_with("content/actors/sylvain-itte.md"));
        assert!(matches!(
            create(dir.path(), NewKind::Actor, "Sylvain Itte", "2026-11-28"),
            Err(NewError::Failed(_))
        ));
        assert!(matches!(
            create(dir.path(), NewKind::Note, "!!!", "2026-11-28"),
            Err(NewError::Usage(_))
        ));
    }
}
