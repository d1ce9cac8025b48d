//! Which output pages an edit can have changed, found by comparing two
//! resolved sites. Each page, note, actor and topic gets digests of what
//! other pages show of it (its card, its relations) and of everything
//! about it; a changed digest marks its own page, the pages of its
//! neighbours in the old and the new site, and the list pages of its
//! section. The preview renders only those, so an edit costs the same
//! however large the site is. `build` never uses this: it fingerprints
//! every page.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::{fingerprint, FEED_ENTRIES};
use crate::model::Section;
use crate::resolve::links::page_dir;
use crate::resolve::Site;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Digest {
    /// What lists and cards show: title, summary, dates, role.
    card: u64,
    /// Whom it is linked with.
    relations: u64,
    /// Everything, the body included.
    full: u64,
}

/// Digests of every entity of a site, by section and slug.
#[derive(Debug, Default)]
pub struct SiteDigests {
    entities: HashMap<(Section, String), Digest>,
    topics: HashMap<String, u64>,
}

fn digest(card: &impl Serialize, relations: &impl Serialize, rest: &impl Serialize) -> Digest {
    let card = fingerprint(card);
    let relations = fingerprint(relations);
    Digest {
        card,
        relations,
        full: fingerprint(&(card, relations, rest)),
    }
}

/// Large texts are hashed directly: serialising them would scan them for
/// characters to escape first.
fn raw(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

pub fn digests(site: &Site) -> SiteDigests {
    let slug_a = |i: &usize| site.articles[*i].slug.as_str();
    let slug_n = |i: &usize| site.notes[*i].slug.as_str();
    let slug_x = |i: &usize| site.actors[*i].slug.as_str();
    let mut d = SiteDigests::default();
    for a in &site.articles {
        let card = (
            &a.title,
            &a.summary,
            a.date.rfc3339(),
            a.updated.map(|u| u.rfc3339()),
            a.image.as_ref().map(|i| (&i.src, &i.alt)),
        );
        let relations = (
            a.actors.iter().map(slug_x).collect::<Vec<_>>(),
            a.background.iter().map(slug_n).collect::<Vec<_>>(),
            a.topics
                .iter()
                .map(|t| &site.topics[*t].slug)
                .collect::<Vec<_>>(),
        );
        let rest = (
            raw(&a.body_html),
            a.know_html.as_deref().map(raw),
            &a.authors,
            a.sources
                .iter()
                .map(|s| (&s.name, &s.url))
                .collect::<Vec<_>>(),
            a.corrections.iter().map(|c| &c.html).collect::<Vec<_>>(),
        );
        d.entities.insert(
            (Section::Articles, a.slug.to_string()),
            digest(&card, &relations, &rest),
        );
    }
    for n in &site.notes {
        let timeline: Vec<_> = n
            .timeline
            .iter()
            .map(|e| {
                (
                    site.events[*e].date.iso(),
                    &site.events[*e].html,
                    site.events[*e]
                        .actors
                        .iter()
                        .map(slug_x)
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        let card = (
            &n.title,
            &n.summary,
            n.date.map(|d| d.rfc3339()),
            n.updated.map(|d| d.rfc3339()),
            timeline,
        );
        let relations = (
            n.actors.iter().map(slug_x).collect::<Vec<_>>(),
            n.related.iter().map(slug_n).collect::<Vec<_>>(),
            n.cited_by.iter().map(slug_a).collect::<Vec<_>>(),
        );
        d.entities.insert(
            (Section::Notes, n.slug.to_string()),
            digest(&card, &relations, &raw(&n.body_html)),
        );
    }
    for x in &site.actors {
        let card = (&x.name, &x.role, x.kind.map(|k| k.as_str()));
        let relations = (
            x.related.iter().map(slug_x).collect::<Vec<_>>(),
            x.articles.iter().map(slug_a).collect::<Vec<_>>(),
            x.notes.iter().map(slug_n).collect::<Vec<_>>(),
            x.events.len(),
        );
        let rest = (
            raw(&x.body_html),
            &x.aliases,
            x.born.map(|b| b.iso()),
            &x.country,
            x.image.as_ref().map(|i| (&i.src, &i.alt)),
            x.links
                .iter()
                .map(|l| (&l.name, &l.url))
                .collect::<Vec<_>>(),
        );
        d.entities.insert(
            (Section::Actors, x.slug.to_string()),
            digest(&card, &relations, &rest),
        );
    }
    for t in &site.topics {
        d.topics.insert(
            t.slug.clone(),
            fingerprint(&(&t.name, t.articles.iter().map(slug_a).collect::<Vec<_>>())),
        );
    }
    d
}

/// The output paths of the pages that may differ between `old` and `new`.
pub fn affected_pages(
    old: &Site,
    old_digests: &SiteDigests,
    new: &Site,
    new_digests: &SiteDigests,
) -> HashSet<String> {
    // Small pages that summarise the whole site are always rendered again.
    let mut pages: HashSet<String> = [
        "index.html",
        "404.html",
        "robots.txt",
        "explainers/index.html",
        "actors/index.html",
        "topics/index.html",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    let keys: HashSet<&(Section, String)> = old_digests
        .entities
        .keys()
        .chain(new_digests.entities.keys())
        .collect();
    for key in keys {
        let (before, after) = (old_digests.entities.get(key), new_digests.entities.get(key));
        if before == after {
            continue;
        }
        let (section, slug) = key;
        pages.insert(format!("{}index.html", page_dir(*section, slug)));
        let card_changed = before.map(|d| d.card) != after.map(|d| d.card);
        let relations_changed = before.map(|d| d.relations) != after.map(|d| d.relations);
        if card_changed || relations_changed {
            neighbours(old, *section, slug, &mut pages);
            neighbours(new, *section, slug, &mut pages);
        }
        if card_changed || relations_changed {
            pages.insert("sitemap.xml".into());
            pages.insert("timeline/index.html".into());
            if *section == Section::Articles {
                pages.insert("articles/index.html".into());
            }
        }
        if *section == Section::Articles && (in_feed(old, slug) || in_feed(new, slug)) {
            pages.insert("feed.xml".into());
        }
    }
    for slug in old_digests.topics.keys().chain(new_digests.topics.keys()) {
        if old_digests.topics.get(slug) != new_digests.topics.get(slug) {
            pages.insert(format!("topics/{slug}/index.html"));
        }
    }
    pages
}

fn in_feed(site: &Site, slug: &str) -> bool {
    site.articles
        .iter()
        .take(FEED_ENTRIES)
        .any(|a| a.slug.as_str() == slug)
}

/// The pages that show a card of, or a link to, the page `slug`.
fn neighbours(site: &Site, section: Section, slug: &str, pages: &mut HashSet<String>) {
    let mut add = |section: Section, slug: &str| {
        pages.insert(format!("{}index.html", page_dir(section, slug)));
    };
    match section {
        Section::Articles => {
            let Some(a) = site.articles.iter().find(|a| a.slug.as_str() == slug) else {
                return;
            };
            a.actors
                .iter()
                .for_each(|&x| add(Section::Actors, site.actors[x].slug.as_str()));
            a.background
                .iter()
                .for_each(|&n| add(Section::Notes, site.notes[n].slug.as_str()));
            for &t in &a.topics {
                pages.insert(format!("topics/{}/index.html", site.topics[t].slug));
            }
        }
        Section::Notes => {
            let Some(n) = site.notes.iter().find(|n| n.slug.as_str() == slug) else {
                return;
            };
            n.actors
                .iter()
                .for_each(|&x| add(Section::Actors, site.actors[x].slug.as_str()));
            n.related
                .iter()
                .for_each(|&r| add(Section::Notes, site.notes[r].slug.as_str()));
            n.cited_by
                .iter()
                .for_each(|&a| add(Section::Articles, site.articles[a].slug.as_str()));
            for &e in &n.timeline {
                site.events[e]
                    .actors
                    .iter()
                    .for_each(|&x| add(Section::Actors, site.actors[x].slug.as_str()));
            }
        }
        Section::Actors => {
            let Some(x) = site.actors.iter().find(|x| x.slug.as_str() == slug) else {
                return;
            };
            x.articles
                .iter()
                .for_each(|&a| add(Section::Articles, site.articles[a].slug.as_str()));
            x.notes
                .iter()
                .for_each(|&n| add(Section::Notes, site.notes[n].slug.as_str()));
            x.related
                .iter()
                .for_each(|&r| add(Section::Actors, site.actors[r].slug.as_str()));
            // Its hover card is on every page that shows an event naming
            // it: the profiles of the event's actors, and the sidebars of
            // the articles citing the event's explainer.
            for &e in &x.events {
                let event = &site.events[e];
                event
                    .actors
                    .iter()
                    .for_each(|&y| add(Section::Actors, site.actors[y].slug.as_str()));
                if let crate::resolve::EventSource::Note(n) = event.source {
                    site.notes[n]
                        .cited_by
                        .iter()
                        .for_each(|&a| add(Section::Articles, site.articles[a].slug.as_str()));
                }
            }
        }
    }
}
