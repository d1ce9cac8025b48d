//! `explainer new article|note|actor "Title"`: writes a new content file
//! with its front matter filled in and today's date, ready to build.

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
    let text = template(kind, title, today);
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
        let text = template(NewKind::Note, &one_line("A\n+++\nB").unwrap(), "2026-11-28");
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
