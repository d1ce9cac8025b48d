//! Micro-benchmarks of the hot stages, on the repository's sample site:
//! front-matter parsing, one Markdown body with wikilinks and actor
//! mentions, resolving the whole site, and rendering every page.
//!
//!     cargo bench --bench stages

use rustc_hash::FxHashMap as HashMap;
use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use explainer::diagnostics::SourceFile;
use explainer::load::front_matter::{self, ArticleMeta, ARTICLE_KEYS};
use explainer::load::{self, LoadOptions};
use explainer::model::Section;
use explainer::render::{self, theme};
use explainer::resolve::autolink::AutoLinker;
use explainer::resolve::links::{LinkTargets, Target, TargetInfo};
use explainer::resolve::markdown::{self, MarkdownOptions};
use explainer::resolve::{self, BodyCache};

fn sample_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn article_text() -> String {
    std::fs::read_to_string(
        sample_root().join("content/articles/france-begins-niger-troop-withdrawal.md"),
    )
    .unwrap()
}

fn front_matter(c: &mut Criterion) {
    let file = SourceFile::new("a.md", article_text());
    c.bench_function("front matter: split and parse an article", |b| {
        b.iter(|| {
            let split = front_matter::split(&file).unwrap();
            let meta: ArticleMeta = front_matter::parse(&file, &split, ARTICLE_KEYS).0.unwrap();
            black_box(meta)
        })
    });
}

fn markdown_body(c: &mut Criterion) {
    let (loaded, errors) = load::load(sample_root(), &LoadOptions::default());
    assert!(errors.is_empty());
    let mut targets = LinkTargets::default();
    let mut names = Vec::new();
    for (i, a) in loaded.actors.iter().enumerate() {
        let info = TargetInfo {
            title: a.meta.name.clone(),
            slug: a.slug.clone(),
        };
        targets.insert(
            Target {
                section: Section::Actors,
                index: i,
            },
            info,
        );
        names.push((i, a.meta.name.clone()));
        names.extend(a.meta.aliases.iter().map(|x| (i, x.clone())));
    }
    for (i, n) in loaded.notes.iter().enumerate() {
        let info = TargetInfo {
            title: n.meta.title.clone(),
            slug: n.slug.clone(),
        };
        targets.insert(
            Target {
                section: Section::Notes,
                index: i,
            },
            info,
        );
    }
    let linker = AutoLinker::new(names.iter().map(|(i, n)| (*i, n.as_str())));
    let text = article_text();
    let body = &text[text.find("\n+++\n").unwrap() + 5..];
    let options = MarkdownOptions {
        targets: &targets,
        autolinker: Some(&linker),
        know_heading: Some("What You Should Know"),
        this_page: None,
        depth: 2,
        raw_html: true,
        words: &explainer::i18n::Interface::default(),
        media: None,
    };
    c.bench_function(
        "markdown: one article body with autolinks and wikilinks",
        |b| b.iter(|| black_box(markdown::render(black_box(body), &options))),
    );
}

fn resolve_and_render(c: &mut Criterion) {
    let (loaded, _) = load::load(sample_root(), &LoadOptions::default());
    c.bench_function("resolve: the whole sample site", |b| {
        b.iter(|| black_box(resolve::resolve_with(&loaded, &BodyCache::default()).unwrap()))
    });
    let site = resolve::resolve(&loaded).unwrap();
    let theme = theme::build_theme(&[]).unwrap_or_else(|_| panic!("theme"));
    let none = HashMap::default();
    c.bench_function("render: every page of the sample site", |b| {
        b.iter(|| black_box(render::render(&site, &theme, &none, None, &|_| Ok(true)).unwrap()))
    });
}

criterion_group!(benches, front_matter, markdown_body, resolve_and_render);
criterion_main!(benches);
