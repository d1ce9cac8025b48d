//! The Markdown pass over a body: wikilinks, actor autolinks and lifting
//! the "What You Should Know" section, against a small fixed site whose
//! actors have nested aliases. The input is the body. Any outcome but a
//! panic is fine; every error range must lie inside the body.
#![no_main]

use std::sync::OnceLock;

use explainer::model::{Section, Slug};
use explainer::resolve::autolink::AutoLinker;
use explainer::resolve::links::{LinkTargets, Target, TargetInfo};
use explainer::resolve::markdown::{render, MarkdownOptions};
use libfuzzer_sys::fuzz_target;

/// The English interface, built once (its labels appear in bodies).
static WORDS: std::sync::LazyLock<explainer::i18n::Interface> =
    std::sync::LazyLock::new(explainer::i18n::Interface::default);

/// Pages a wikilink can reach: (section, slug, title).
const PAGES: &[(Section, &str, &str)] = &[
    (Section::Actors, "macron", "Emmanuel Macron"),
    (Section::Actors, "france", "France"),
    (Section::Actors, "niger", "Niger"),
    (Section::Notes, "coup", "The coup"),
    (Section::Notes, "niger", "Niger, explained"),
    (Section::Articles, "withdrawal", "Troops leave"),
];

/// Names and nested aliases per actor index (indices into the actors of
/// `PAGES`): one name is a prefix or a part of another.
const NAMES: &[(usize, &str)] = &[
    (0, "Emmanuel Macron"),
    (0, "Macron"),
    (0, "Emmanuel"),
    (0, "President Emmanuel Macron"),
    (1, "France"),
    (1, "French Republic"),
    (1, "Republic"),
    (2, "Niger"),
    (2, "Republic of Niger"),
    (2, "Niger Republic"),
];

struct Fixture {
    targets: LinkTargets,
    linker: AutoLinker,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let mut targets = LinkTargets::default();
        let mut index = [0usize; 3];
        for &(section, slug, title) in PAGES {
            let i = Section::ALL.iter().position(|s| *s == section).unwrap();
            targets.insert(
                Target {
                    section,
                    index: index[i],
                },
                TargetInfo {
                    title: title.to_string(),
                    slug: Slug::parse(slug).unwrap(),
                },
            );
            index[i] += 1;
        }
        targets.mark_unavailable(Section::Notes, "broken");
        Fixture {
            targets,
            linker: AutoLinker::new(NAMES.iter().copied()),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Ok(body) = std::str::from_utf8(rest) else {
        return;
    };
    let f = fixture();
    let options = MarkdownOptions {
        targets: &f.targets,
        autolinker: (flags & 1 == 0).then_some(&f.linker),
        know_heading: (flags & 2 == 0).then_some("What You Should Know"),
        this_page: (flags & 4 != 0).then_some(Target {
            section: Section::Actors,
            index: 0,
        }),
        depth: 2,
        raw_html: flags & 8 == 0,
        words: &WORDS,
        media: None,
    };
    let out = render(body, &options);
    for e in &out.errors {
        assert!(
            e.range.start <= e.range.end && e.range.end <= body.len(),
            "error range {:?} outside the body of {} bytes: {}",
            e.range,
            body.len(),
            e.message
        );
    }
    for a in &out.anchors {
        assert!(a.range.end <= body.len());
    }
    if let Some(r) = &out.know_heading_at {
        assert!(r.end <= body.len());
    }
    for &m in &out.mentions {
        assert!(m < 3, "mention of an actor that does not exist: {m}");
    }
});
