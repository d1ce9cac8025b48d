//! The site-wide passes after every page is resolved: topics, the dated
//! events of every timeline, and the reverse edges (where each actor
//! appears, what cites each note, relations made symmetric).

// Fx hashing: these maps hold slugs and paths, never hostile keys, and
// the default SipHash showed up in rebuild profiles.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::page::PendingEvent;
use super::{
    html_escape, ActorId, Article, Event, EventId, EventSource, NoteId, Site, Topic, SIDEBAR_EVENTS,
};
use crate::diagnostics::Diagnostics;
use crate::load::front_matter::ArticleMeta;
use crate::load::Page;
use crate::model::{topic_slug, MAX_SLUG_BYTES};

/// Groups articles by topic. Topics that differ only in case or accents
/// ("Niger" and "niger") would share one URL, so that is an error naming
/// the other spelling.
pub(super) fn collect_topics(
    pages: &[&Page<ArticleMeta>],
    articles: &mut [(Article, Vec<String>)],
    errors: &mut Diagnostics,
) -> Vec<Topic> {
    let mut by_slug: HashMap<String, (String, Vec<usize>, String)> = HashMap::default();
    // Thousands of articles share a handful of topic names.
    let mut slugs: HashMap<String, String> = HashMap::default();
    for (id, (article, names)) in articles.iter_mut().enumerate() {
        for name in names.iter() {
            // One topic however its accents are encoded (NFC or NFD).
            let name = super::nfc(name.trim());
            let name = name.as_ref();
            let slug = slugs
                .entry(name.to_string())
                .or_insert_with(|| topic_slug(name))
                .clone();
            if slug.is_empty() {
                if !name.is_empty() {
                    errors.push(pages[id].error_at_key(
                        "topics",
                        Some(name),
                        format!("topic \"{name}\" has no letters or digits to make a URL from"),
                    ));
                }
                continue;
            }
            if slug.len() > MAX_SLUG_BYTES {
                // The slug is a folder name under topics/.
                errors.push(
                    pages[id]
                        .error_at_key(
                            "topics",
                            Some(name),
                            format!(
                                "topic is too long: its URL name would be {} bytes, and a folder name may have at most {MAX_SLUG_BYTES}",
                                slug.len()
                            ),
                        )
                        .with_help("use a shorter topic"),
                );
                continue;
            }
            match by_slug.get_mut(&slug) {
                Some((first, list, where_)) => {
                    if first != name {
                        errors.push(
                            pages[id]
                                .error_at_key("topics", Some(name), format!("topic \"{name}\" clashes with \"{first}\" (used in {where_}): both would be topics/{slug}/"))
                                .with_help(format!("write \"{first}\"")),
                        );
                    } else if list.last() != Some(&id) {
                        list.push(id);
                    }
                }
                None => {
                    by_slug.insert(
                        slug.clone(),
                        (
                            name.to_string(),
                            vec![id],
                            pages[id].file.path.display().to_string(),
                        ),
                    );
                }
            }
        }
        article.topics.clear();
    }
    let mut topics: Vec<Topic> = by_slug
        .into_iter()
        .map(|(slug, (name, articles, _))| Topic {
            slug,
            name,
            articles,
        })
        .collect();
    topics.sort_by(|a, b| a.slug.cmp(&b.slug));
    for (tid, topic) in topics.iter_mut().enumerate() {
        topic.articles.sort();
        for &a in &topic.articles {
            articles[a].0.topics.push(tid);
        }
    }
    topics
}

/// Gathers every dated event: note timelines and article publications,
/// oldest first, and gives each note and actor its own events.
pub(super) fn build_events(site: &mut Site, pending: Vec<(PendingEvent, NoteId)>) {
    let mut events: Vec<Event> = pending
        .into_iter()
        .map(|(e, note)| Event {
            date: e.date,
            html: e.html,
            source: EventSource::Note(note),
            actors: e.actors,
        })
        .collect();
    for (id, a) in site.articles[..site.own.articles].iter().enumerate() {
        events.push(Event {
            date: a.date.as_partial(),
            html: html_escape(&a.title),
            source: EventSource::Article(id),
            actors: Vec::new(),
        });
    }
    // The timeline is a calendar of the days writers gave, so it orders by
    // that day; within a day, articles follow their instants (after the
    // day's timeline entries, which have no time). Stable: timeline entries
    // of one day keep their written order.
    let articles = &site.articles;
    events.sort_by_key(|e| {
        let instant = match e.source {
            EventSource::Article(a) => Some(articles[a].date.utc()),
            EventSource::Note(_) => None,
        };
        (e.date, instant)
    });
    for (eid, e) in events.iter().enumerate() {
        if let EventSource::Note(n) = e.source {
            site.notes[n].timeline.push(eid);
        }
        for &a in &e.actors {
            site.actors[a].events.push(eid);
        }
    }
    site.events = events;
    for article in &mut site.articles {
        let mut latest: Vec<EventId> = article
            .background
            .iter()
            .flat_map(|&n| site.notes[n].timeline.iter().copied())
            .collect();
        latest.sort_by(|a, b| {
            site.events[*b]
                .date
                .cmp(&site.events[*a].date)
                .then(b.cmp(a))
        });
        // Two explainers often record the same event in the same words.
        let mut seen = HashSet::default();
        latest.retain(|&e| seen.insert((site.events[e].date, site.events[e].html.as_str())));
        latest.truncate(SIDEBAR_EVENTS);
        article.latest_events = latest;
    }
}

/// The reverse edges: where each actor appears, what cites each note, and
/// relations made symmetric.
pub(super) fn link_backwards(site: &mut Site) {
    for (aid, article) in site.articles.iter().enumerate() {
        for &actor in &article.actors {
            site.actors[actor].articles.push(aid);
        }
        for &note in &article.background {
            site.notes[note].cited_by.push(aid);
        }
    }
    for (nid, note) in site.notes.iter().enumerate() {
        for &actor in &note.actors {
            site.actors[actor].notes.push(nid);
        }
    }
    let note_pairs: Vec<(NoteId, NoteId)> = site
        .notes
        .iter()
        .enumerate()
        .flat_map(|(a, n)| n.related.iter().map(move |&b| (a, b)))
        .collect();
    for (a, b) in note_pairs {
        if !site.notes[b].related.contains(&a) {
            site.notes[b].related.push(a);
        }
    }
    let actor_pairs: Vec<(ActorId, ActorId)> = site
        .actors
        .iter()
        .enumerate()
        .flat_map(|(a, x)| x.related.iter().map(move |&b| (a, b)))
        .collect();
    for (a, b) in actor_pairs {
        if !site.actors[b].related.contains(&a) {
            site.actors[b].related.push(a);
        }
    }
}

/// Links each actor's `country` to the country actor of that name (or
/// alias), compared without regard to case, when the site has one.
pub(super) fn link_countries(site: &mut Site) {
    let mut countries: HashMap<String, usize> = HashMap::default();
    for (i, a) in site.actors.iter().enumerate() {
        if a.kind == Some(crate::model::ActorKind::Country) {
            for name in std::iter::once(&a.name).chain(&a.aliases) {
                countries.entry(name.trim().to_lowercase()).or_insert(i);
            }
        }
    }
    for (i, a) in site.actors.iter_mut().enumerate() {
        a.country_actor = a
            .country
            .as_ref()
            .and_then(|c| countries.get(&super::nfc(c.trim()).to_lowercase()))
            .copied()
            .filter(|&c| c != i);
    }
}
