//! `[translations.<language>]` in `site.toml`: the site's own words in
//! each other language of a multilingual site, its `title`,
//! `description` and `know_heading` (Zola's `[languages.fr] title = ...`;
//! here `languages` is the list of tags, so the table has a name of its
//! own). A title or description left out is the default language's; a
//! key-points heading left out is the language's own built-in one.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, SourceFile};

/// The keys of a `[translations.<language>]` table.
pub(super) const KEYS: &[&str] = &["title", "description", "know_heading"];

/// The settings one language overrides; `None` keeps the default
/// language's.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LanguageSettings {
    pub title: Option<String>,
    pub description: Option<String>,
    pub know_heading: Option<String>,
}

/// Every problem of `[translations]`: a table for a language `languages`
/// does not list, or for the default language (whose words are the
/// top-level `title` and `description`), or an empty title.
pub(super) fn check(
    file: &SourceFile,
    translations: &BTreeMap<String, LanguageSettings>,
    language: &str,
    languages: &[String],
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (tag, settings) in translations {
        let at = |message: String| Diagnostic::at(file, header(&file.text, tag), message);
        let listed = languages.iter().any(|l| l.eq_ignore_ascii_case(tag));
        if tag.eq_ignore_ascii_case(language) {
            problems.push(
                at(format!(
                    "[translations.{tag}] is for the default language, \"{language}\", whose words are the top-level ones"
                ))
                .with_help("write its title and description at the top of site.toml, as `title` and `description`"),
            );
        } else if !listed {
            let others: Vec<&str> = (languages.iter())
                .filter(|l| !l.eq_ignore_ascii_case(language))
                .map(String::as_str)
                .collect();
            let message =
                format!("[translations.{tag}] names \"{tag}\", which languages does not list");
            problems.push(at(message).with_help(match others.as_slice() {
                [] => format!(
                    "the site publishes only \"{language}\"; to publish \"{tag}\" too, write languages = [\"{language}\", \"{tag}\"]"
                ),
                _ => format!(
                    "the site's other languages are {}: name one of them, or add \"{tag}\" to languages",
                    others.join(", ")
                ),
            }));
        }
        if settings
            .title
            .as_deref()
            .is_some_and(|t| t.trim().is_empty())
        {
            problems.push(
                at(format!("[translations.{tag}] title must not be empty"))
                    .with_help("leave `title` out to use the default language's"),
            );
        }
        if (settings.know_heading.as_deref()).is_some_and(|t| t.trim().is_empty()) {
            problems.push(
                at(format!(
                    "[translations.{tag}] know_heading must not be empty"
                ))
                .with_help("leave `know_heading` out to use the language's own"),
            );
        }
    }
    problems
}

/// Where the table of `tag` starts: its `[translations.<tag>]` header,
/// else the `translations` key.
fn header(text: &str, tag: &str) -> std::ops::Range<usize> {
    let wanted = format!("translations.{tag}");
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if let Some(name) = trimmed.strip_prefix('[').and_then(|n| n.split(']').next()) {
            let name: String = name
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '"')
                .collect();
            if name == wanted {
                let start = at + line.find('[').unwrap_or(0);
                return start..start + trimmed.find(']').map_or(1, |e| e + 1);
            }
        }
        at += line.len();
    }
    crate::load::front_matter::locate_key(text, 0..text.len(), "translations")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_of_a_table_is_found_with_quotes_and_spaces() {
        let text = "title = \"x\"\n\n[ translations.\"fr\" ]\ntitle = \"y\"\n";
        let span = header(text, "fr");
        assert_eq!(&text[span], "[ translations.\"fr\" ]");
    }
}
