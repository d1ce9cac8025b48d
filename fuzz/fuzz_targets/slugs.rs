//! Slug and anchor generation: `slugify` (topics, suggested slugs) always
//! yields a valid slug or nothing and is stable when applied again; heading
//! ids made from any heading text are non-empty, unique within a body when
//! none is given explicitly, and the same text always gets the same id.
#![no_main]

use explainer::model::{slugify, Slug};
use explainer::resolve::links::LinkTargets;
use explainer::resolve::markdown::{render, MarkdownOptions};
use libfuzzer_sys::fuzz_target;

/// The English interface, built once (its labels appear in bodies).
static WORDS: std::sync::LazyLock<explainer::i18n::Interface> =
    std::sync::LazyLock::new(explainer::i18n::Interface::default);

fuzz_target!(|text: &str| {
    let slug = slugify(text);
    if !slug.is_empty() {
        assert!(
            Slug::parse(&slug).is_some(),
            "slugify({text:?}) = {slug:?} is not a slug"
        );
        assert_eq!(slugify(&slug), slug, "slugify is not stable on {text:?}");
    }

    // One line of heading text: `{` starts an explicit id, which is the
    // author's to choose, and a line break would end the heading.
    let line: String = text
        .chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '{') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let targets = LinkTargets::default();
    let options = MarkdownOptions {
        targets: &targets,
        autolinker: None,
        know_heading: None,
        this_page: None,
        depth: 2,
        raw_html: false,
        words: &WORDS,
        media: None,
    };
    let body = format!("# {line}\n\n## {line}\n\n### {line}-1\n");
    let out = render(&body, &options);
    let ids: Vec<&str> = out.headings.iter().map(|h| h.id.as_str()).collect();
    for (i, id) in ids.iter().enumerate() {
        assert!(!id.is_empty(), "empty heading id for {line:?}");
        assert!(
            !ids[..i].contains(id),
            "heading id {id:?} repeated: {ids:?}"
        );
    }
    let again = render(&body, &options);
    assert_eq!(
        ids,
        again
            .headings
            .iter()
            .map(|h| h.id.as_str())
            .collect::<Vec<_>>()
    );
});
