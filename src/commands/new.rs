//! `explainer new article|note|actor|page|author "Title"`: writes a new content
//! file with its front matter filled in and today's date, as a draft
//! (`draft = true`), so nothing half-written is published by accident.

use std::path::{Path, PathBuf};

use crate::cli::{NewArgs, NewKind, Verbosity};
use crate::commands::{EXIT_CONTENT, EXIT_USAGE};
use crate::display_path;
use crate::load::characters;
use crate::model::slugify;

pub fn run(args: NewArgs, verbosity: Verbosity) -> i32 {
    let today = chrono::Local::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    match create(&args.root, args.kind, &args.title, &today) {
        Ok(path) => {
            if verbosity != Verbosity::Quiet {
                eprintln!(
                    "created {} as a draft: preview it with `explainer serve --drafts`, publish it by removing `draft = true`",
                    display_path(&path)
                );
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
///
/// Errors: `Usage` when `root` is not a site folder (neither `content/`
/// nor `site.toml`), or the title has no letters or digits or holds a
/// control character; `Failed` when the file exists or cannot be written.
pub fn create(root: &Path, kind: NewKind, title: &str, today: &str) -> Result<PathBuf, NewError> {
    let title = one_line(title)?;
    let title = title.as_str();
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(NewError::Usage(format!(
            "cannot make a slug from \"{title}\": give a title with letters or digits"
        )));
    }
    if !root.is_dir() {
        return Err(NewError::Usage(format!(
            "site folder {} does not exist",
            display_path(root)
        )));
    }
    if !root.join("content").is_dir() && !root.join("site.toml").is_file() {
        let folder = if root == Path::new(".") || root.as_os_str().is_empty() {
            "the current folder".to_string()
        } else {
            display_path(root)
        };
        return Err(NewError::Usage(format!(
            "{folder} is not a site folder: it has no content/ folder and no site.toml\n  \
             = help: create a site with `explainer init DIR`, or name one with `--root DIR`"
        )));
    }
    let section = match kind {
        NewKind::Article => "articles",
        NewKind::Note => "notes",
        NewKind::Actor => "actors",
        NewKind::Page => "pages",
        NewKind::Author => "authors",
    };
    let dir = root.join("content").join(section);
    let path = dir.join(format!("{slug}.md"));
    if path.exists() {
        return Err(NewError::Failed(format!(
            "{} already exists; pick another title or edit that file",
            display_path(&path)
        )));
    }
    std::fs::create_dir_all(&dir)
        .map_err(|e| NewError::Failed(format!("cannot create {}: {e}", display_path(&dir))))?;
    // The know section's heading is the one this site's build recognises
    // (its `know_heading`, or its language's); a broken site.toml gives
    // the defaults, and `build` will report it.
    let (config, _) = crate::load::load_settings(
        root,
        &crate::load::LoadOptions::default(),
        &mut crate::diagnostics::Diagnostics::new(),
    );
    let text = template(kind, title, today, &config.know_heading);
    std::fs::write(&path, text)
        .map_err(|e| NewError::Failed(format!("cannot write {}: {e}", display_path(&path))))?;
    Ok(path)
}

/// The title as one line: line breaks, tabs and runs of spaces become
/// one space (a title is shown on one line everywhere). Other control
/// characters and the bidirectional controls (which `check` refuses in
/// content, see [`crate::load::characters`]) are refused rather than
/// hidden in the file.
fn one_line(title: &str) -> Result<String, NewError> {
    let folded = title.split_whitespace().collect::<Vec<_>>().join(" ");
    match folded
        .chars()
        .find(|&c| c.is_control() || characters::is_refused(c))
    {
        Some(c) => {
            let what = if characters::is_bidi_control(c) {
                "bidirectional control"
            } else {
                "control character"
            };
            Err(NewError::Usage(format!(
                "the title contains the {what} U+{:04X}; type the title without it",
                c as u32
            )))
        }
        None => Ok(folded),
    }
}

/// A TOML string literal, quoted and escaped (one line: the title has no
/// line break, so no multi-line string can hold a `+++` line).
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn template(kind: NewKind, title: &str, today: &str, know_heading: &str) -> String {
    let t = quoted(title);
    match kind {
        NewKind::Article => format!(
            r#"+++
title = {t}
date = {today}
{DRAFT}# summary = "One sentence for lists, feeds and search results."
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

## {know_heading}

- The first thing a reader needs to know.
"#
        ),
        NewKind::Note => format!(
            r#"+++
title = {t}
date = {today}
{DRAFT}# summary = "One sentence on what this explainer covers."
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
{DRAFT}# person, organization, country, group or place
kind = "person"
# role = "One line, e.g. President of France"
# Other names the text may use; each is linked to this profile.
aliases = []
related = []
# born = "1977-12-21"
# The country's name: links its profile when the site has one.
# country = "France"
# People are listed by the last word of their name unless this is set.
# sort_name = "Macron"
# image = "images/portrait.jpg"
# image_alt = "Who is in the picture, doing what"
# [[links]]
# name = "Wikipedia"
# url = "https://en.wikipedia.org/wiki/..."
+++

Write the profile here.
"#
        ),
        NewKind::Page => format!(
            r#"+++
title = {t}
{DRAFT}# summary = "One sentence for search results and link previews."
# Linked from every page: "header", "footer" or "none".
menu = "none"
+++

Write the page here.
"#
        ),
        NewKind::Author => format!(
            r#"+++
name = {t}
{DRAFT}# role = "One line, e.g. Sahel correspondent"
# image = "images/portrait.jpg"
# Addresses elsewhere: absolute http(s) URLs.
links = []
+++

Write the bio here. Bylines naming this author link to its page.
"#
        ),
    }
}

/// The first lines of every new file: it is built only with `--drafts`
/// until the writer removes them.
const DRAFT: &str =
    "# A draft: built only with --drafts. Remove this line to publish.\ndraft = true\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_new_file_is_a_draft_that_parses() {
        for kind in [
            NewKind::Article,
            NewKind::Note,
            NewKind::Actor,
            NewKind::Page,
            NewKind::Author,
        ] {
            let text = template(kind, "A title", "2026-11-28", "What You Should Know");
            let front = text.split("+++").nth(1).unwrap();
            let table: toml::Table = toml::from_str(front).unwrap();
            assert_eq!(table["draft"], toml::Value::Boolean(true), "{kind:?}");
        }
    }

    #[test]
    fn every_key_a_new_file_suggests_is_a_key_of_its_kind() {
        use crate::load::front_matter::{
            ACTOR_KEYS, ARTICLE_KEYS, AUTHOR_KEYS, NOTE_KEYS, PAGE_KEYS,
        };
        for (kind, keys) in [
            (NewKind::Article, ARTICLE_KEYS),
            (NewKind::Note, NOTE_KEYS),
            (NewKind::Actor, ACTOR_KEYS),
            (NewKind::Page, PAGE_KEYS),
            (NewKind::Author, AUTHOR_KEYS),
        ] {
            let text = template(kind, "A title", "2026-11-28", "What You Should Know");
            let front = text.split("+++").nth(1).unwrap();
            let mut suggested = 0;
            for line in front.lines() {
                // Set (`kind = ...`) or offered in a comment (`# role = ...`);
                // lines of a commented-out table (`# name = ` under
                // `# [[sources]]`) belong to that table.
                let line = line.trim_start_matches("# ");
                if line.starts_with("[[") {
                    break;
                }
                if let Some((key, _)) = line.split_once(" = ") {
                    if key.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                        assert!(keys.contains(&key), "{kind:?}: {key}");
                        suggested += 1;
                    }
                }
            }
            assert!(suggested >= 3, "{kind:?}");
        }
        let actor = template(NewKind::Actor, "A", "2026-11-28", "K");
        for key in ["born", "country", "sort_name", "image", "image_alt"] {
            assert!(actor.contains(&format!("# {key} = ")), "{key}");
        }
    }

    #[test]
    fn titles_are_quoted_safely() {
        let text = template(
            NewKind::Article,
            "Macron says \"no\"",
            "2026-11-28",
            "What You Should Know",
        );
        assert!(
            text.contains(r#"title = 'Macron says "no"'"#)
                || text.contains(r#"title = "Macron says \"no\"""#),
            "{text}"
        );
    }

    #[test]
    fn titles_become_one_line_and_control_characters_are_refused() {
        assert_eq!(
            one_line("  France\r\nleaves\tNiger ").unwrap(),
            "France leaves Niger"
        );
        assert!(matches!(one_line("Bell\u{7}"), Err(NewError::Usage(_))));
        for bidi in ['\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}'] {
            let e = one_line(&format!("{bidi}evil"));
            assert!(
                matches!(&e, Err(NewError::Usage(m)) if m.contains("bidirectional control")),
                "{e:?}"
            );
        }
        let text = template(
            NewKind::Note,
            &one_line("A\n+++\nB").unwrap(),
            "2026-11-28",
            "What You Should Know",
        );
        assert!(text.contains("title = \"A +++ B\"\n"), "{text}");
    }

    #[test]
    fn refuses_a_folder_that_is_not_a_site() {
        let dir = tempfile::tempdir().unwrap();
        let err = create(dir.path(), NewKind::Article, "A story", "2026-11-28");
        assert!(
            matches!(&err, Err(NewError::Usage(m)) if m.contains("explainer init")),
            "{err:?}"
        );
        assert!(!dir.path().join("content").exists(), "nothing created");
        std::fs::write(dir.path().join("site.toml"), "").unwrap();
        assert!(create(dir.path(), NewKind::Article, "A story", "2026-11-28").is_ok());
    }

    #[test]
    fn refuses_to_overwrite_and_needs_a_slug() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
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
