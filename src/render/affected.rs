//! Which output pages an edit can have changed, found by comparing two
//! resolved sites. Each page, note, actor and topic gets digests of what
//! other pages show of it (its card, its relations) and of everything
//! about it; a changed digest marks its own page, the pages of its
//! neighbours in the old and the new site, and the list pages of its
//! section. The preview renders only those, so an edit costs the same
//! however large the site is. `build` never uses this: it fingerprints
//! every page.
//!
//! A list split into pages (see [`super::paginate`]) is marked page by
//! page: only the pages whose items, or whose items' cards, differ, and
//! all of them when the number of pages or what every page shows (the
//! list's name, the years of the timeline) changed. A new story at the
//! top moves every story down, so it marks every page; an edit to the
//! newest story's title marks the first page only.

// Fx hashing: these maps hold slugs and paths, never hostile keys, and
// the default SipHash showed up in rebuild profiles.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use super::paginate::{page_count, page_folder, page_range};
use super::{event_years, year_folder, FEED_ENTRIES};
use crate::model::{Date, Section};
use crate::resolve::links::page_dir;
use crate::resolve::{Image, Site};

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

/// Hashes what the digests compare, straight from the resolved site: no
/// serialising, and every body by the hash taken when it was rendered.
struct Hashing<'s> {
    site: &'s Site,
    hasher: Xxh3,
}

impl<'s> Hashing<'s> {
    fn new(site: &'s Site) -> Self {
        Hashing {
            site,
            hasher: Xxh3::new(),
        }
    }

    fn add(&mut self, value: impl Hash) -> &mut Self {
        value.hash(&mut self.hasher);
        self
    }

    fn date(&mut self, date: Option<Date>) -> &mut Self {
        // An instant's offset is shown, so it counts, not only the moment.
        self.add(date.map(|d| {
            (
                d.day,
                d.instant.map(|i| {
                    (
                        i.timestamp(),
                        i.timestamp_subsec_nanos(),
                        i.offset().local_minus_utc(),
                    )
                }),
            )
        }))
    }

    fn image(&mut self, image: Option<&Image>) -> &mut Self {
        self.add(image.map(|i| (&i.src, &i.alt)))
    }

    fn slugs(&mut self, section: Section, ids: &[usize]) -> &mut Self {
        self.add(ids.len());
        for &id in ids {
            let slug = match section {
                Section::Articles => self.site.articles[id].slug.as_str(),
                Section::Notes => self.site.notes[id].slug.as_str(),
                Section::Actors => self.site.actors[id].slug.as_str(),
                Section::Pages => self.site.pages[id].slug.as_str(),
                Section::Authors => self.site.authors[id].slug.as_str(),
            };
            self.add(slug);
        }
        self
    }

    /// The hash so far; starts the next part afresh.
    fn take(&mut self) -> u64 {
        let value = self.hasher.finish();
        self.hasher = Xxh3::new();
        value
    }

    /// Closes a digest whose card and relations were taken: `full` covers
    /// them and whatever was added since.
    fn digest(&mut self, card: u64, relations: u64) -> Digest {
        self.add((card, relations));
        Digest {
            card,
            relations,
            full: self.take(),
        }
    }
}

pub fn digests(site: &Site) -> SiteDigests {
    let articles = site.articles.par_iter().map(|a| {
        let mut h = Hashing::new(site);
        h.add((&a.title, &a.summary))
            .date(Some(a.date))
            .date(a.updated);
        h.image(a.image.as_ref());
        // Every list marks a draft or scheduled story with its badge.
        h.add((a.draft, a.scheduled));
        let card = h.take();
        h.slugs(Section::Actors, &a.actors)
            .slugs(Section::Notes, &a.background)
            .add(
                a.topics
                    .iter()
                    .map(|&t| &site.topics[t].slug)
                    .collect::<Vec<_>>(),
            );
        // Bylines name (and link) their profiles, public ones only: a
        // profile published or made a draft changes the link.
        h.add(a.bylines.len());
        for b in &a.bylines {
            h.add((&b.name, site.byline_author(b).map(|x| x.slug.as_str())));
        }
        let relations = h.take();
        h.add((a.body_hash, &a.know_html, &a.authors));
        for s in &a.sources {
            h.add((&s.name, &s.url));
        }
        for c in &a.corrections {
            h.add(&c.html);
        }
        (
            (Section::Articles, a.slug.to_string()),
            h.digest(card, relations),
        )
    });
    let notes = site.notes.par_iter().map(|n| {
        let mut h = Hashing::new(site);
        h.add((&n.title, &n.summary)).date(n.date).date(n.updated);
        // Its timeline's entries carry its badge.
        h.add(n.draft);
        h.add(n.timeline.len());
        for &e in &n.timeline {
            let event = &site.events[e];
            h.add((event.date, &event.html))
                .slugs(Section::Actors, &event.actors);
        }
        let card = h.take();
        h.slugs(Section::Actors, &n.actors)
            .slugs(Section::Notes, &n.related)
            .slugs(Section::Articles, &n.cited_by);
        let relations = h.take();
        h.add(n.body_hash);
        (
            (Section::Notes, n.slug.to_string()),
            h.digest(card, relations),
        )
    });
    let actors = site.actors.par_iter().map(|x| {
        let mut h = Hashing::new(site);
        h.add((&x.name, &x.role, x.kind));
        let card = h.take();
        h.slugs(Section::Actors, &x.related)
            .slugs(Section::Articles, &x.articles)
            .slugs(Section::Notes, &x.notes)
            .add(x.events.len());
        let relations = h.take();
        h.add((x.body_hash, &x.aliases, x.born, &x.country))
            .add(x.country_actor.map(|c| {
                let c = &site.actors[c];
                (c.slug.as_str(), &c.name, &c.aliases)
            }))
            .image(x.image.as_ref());
        for l in &x.links {
            h.add((&l.name, &l.url));
        }
        (
            (Section::Actors, x.slug.to_string()),
            h.digest(card, relations),
        )
    });
    let pages = site.pages.par_iter().map(|p| {
        let mut h = Hashing::new(site);
        h.add((&p.title, &p.summary)).date(p.date).date(p.updated);
        let card = h.take();
        let relations = h.take();
        h.add((p.body_hash, p.draft));
        (
            (Section::Pages, p.slug.to_string()),
            h.digest(card, relations),
        )
    });
    let authors = site.authors.par_iter().map(|x| {
        let mut h = Hashing::new(site);
        h.add((&x.name, &x.role));
        let card = h.take();
        h.slugs(Section::Articles, &x.articles);
        let relations = h.take();
        h.add((x.body_hash, &x.links, x.draft))
            .image(x.image.as_ref());
        (
            (Section::Authors, x.slug.to_string()),
            h.digest(card, relations),
        )
    });
    let mut entities = HashMap::default();
    entities.par_extend(
        articles
            .chain(notes)
            .chain(actors)
            .chain(pages)
            .chain(authors),
    );
    let topics = site
        .topics
        .iter()
        .map(|t| {
            let mut h = Hashing::new(site);
            h.add(&t.name).slugs(Section::Articles, &t.articles);
            (t.slug.clone(), h.take())
        })
        .collect();
    SiteDigests { entities, topics }
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
        "authors/index.html",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    // Redirects are few and tiny, and follow their page's title and
    // slug: always rendered again.
    pages.insert("_redirects".into());
    pages.extend(new.redirects.iter().map(|r| r.from.clone()));
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
            for part in 1..=super::lists::sitemap_parts(new, 0) {
                pages.insert(super::lists::sitemap_file(part));
            }
            pages.insert("timeline/index.html".into());
            if *section == Section::Articles {
                pages.insert("articles/index.html".into());
            }
        }
        if *section == Section::Articles && (in_feed(old, slug) || in_feed(new, slug)) {
            pages.insert("feed.xml".into());
        }
        // The feeds of its topics and actors carry an article whole; an
        // actor's feed carries its name.
        match section {
            Section::Articles => {
                scoped_feeds(old, slug, &mut pages);
                scoped_feeds(new, slug, &mut pages);
            }
            Section::Actors | Section::Authors => {
                pages.insert(format!("{}feed.xml", page_dir(*section, slug)));
            }
            _ => {}
        }
    }
    for slug in old_digests.topics.keys().chain(new_digests.topics.keys()) {
        if old_digests.topics.get(slug) != new_digests.topics.get(slug) {
            pages.insert(format!("topics/{slug}/index.html"));
            pages.insert(format!("topics/{slug}/feed.xml"));
        }
    }
    let old = Lists {
        site: old,
        digests: old_digests,
    };
    let new = Lists {
        site: new,
        digests: new_digests,
    };
    later_pages(&old, &new, &mut pages);
    pages
}

/// Whether the header or footer menu differs between two sites: both are
/// on every page, so every page must be rendered again. The footer links
/// the authors index while the site has author profiles.
pub fn menus_changed(old: &Site, new: &Site) -> bool {
    super::menus(old) != super::menus(new) || old.authors.is_empty() != new.authors.is_empty()
}

/// One side of the comparison of lists: a site and its digests.
struct Lists<'s> {
    site: &'s Site,
    digests: &'s SiteDigests,
}

/// What a list shows of each item, as one hash per item.
impl Lists<'_> {
    /// An article as a card shows it (and which article it is).
    fn articles(&self, ids: impl Iterator<Item = usize>) -> Vec<u64> {
        ids.map(|id| self.entity(Section::Articles, self.site.articles[id].slug.as_str()))
            .collect()
    }

    fn entity(&self, section: Section, slug: &str) -> u64 {
        let card = self
            .digests
            .entities
            .get(&(section, slug.to_string()))
            .map(|d| d.card);
        hash_of((slug, card))
    }

    /// An event as the timeline shows it: its date and text, and the title
    /// and address of the page it comes from.
    fn events(&self, range: std::ops::Range<usize>) -> Vec<u64> {
        let s = self.site;
        s.events[range]
            .iter()
            .map(|e| {
                let source = match e.source {
                    crate::resolve::EventSource::Note(n) => {
                        let n = &s.notes[n];
                        (Section::Notes, n.slug.as_str(), &n.title, (n.draft, false))
                    }
                    crate::resolve::EventSource::Article(a) => {
                        let a = &s.articles[a];
                        (
                            Section::Articles,
                            a.slug.as_str(),
                            &a.title,
                            (a.draft, a.scheduled),
                        )
                    }
                };
                hash_of((e.date, &e.html, source))
            })
            .collect()
    }
}

fn hash_of(value: impl Hash) -> u64 {
    let mut h = Xxh3::new();
    value.hash(&mut h);
    h.finish()
}

/// Adds the pages after the first of each list whose first page is in
/// `pages` (the first page stands for the list: it is marked whenever an
/// item of the list changed, came or went), when their content differs.
fn later_pages(old: &Lists, new: &Lists, pages: &mut HashSet<String>) {
    let per_page = new.site.config.paginate;
    let marked = |dir: &str| pages.contains(&format!("{dir}index.html"));
    // Each list to compare: its folder, what every page shows besides the
    // items (before, after), and the items (before, after).
    type Compared = (String, (u64, u64), (Vec<u64>, Vec<u64>));
    let mut lists: Vec<Compared> = Vec::new();
    if marked("articles/") {
        // Its description counts the articles.
        let header = |l: &Lists| hash_of(l.site.articles.len());
        let items = |l: &Lists| l.articles(0..l.site.articles.len());
        lists.push((
            "articles/".into(),
            (header(old), header(new)),
            (items(old), items(new)),
        ));
    }
    if marked("explainers/") {
        let items = |l: &Lists| {
            (l.site.notes.iter())
                .map(|n| l.entity(Section::Notes, n.slug.as_str()))
                .collect()
        };
        lists.push(("explainers/".into(), (0, 0), (items(old), items(new))));
    }
    if marked("timeline/") {
        // Every page of the timeline links to every year.
        let (old_years, new_years) = (event_years(old.site), event_years(new.site));
        let header = |years: &[(i32, std::ops::Range<usize>)]| {
            hash_of(years.iter().map(|(y, _)| *y).collect::<Vec<_>>())
        };
        let header = (header(&old_years), header(&new_years));
        // A year's events are a stretch of the whole timeline's.
        let before = old.events(0..old.site.events.len());
        let after = new.events(0..new.site.events.len());
        for &(year, ref range) in &new_years {
            let old_range = old_years.iter().find(|(y, _)| *y == year).map(|(_, r)| r);
            lists.push((
                year_folder(year),
                header,
                (
                    old_range.map_or_else(Vec::new, |r| before[r.clone()].to_vec()),
                    after[range.clone()].to_vec(),
                ),
            ));
        }
        lists.push(("timeline/".into(), header, (before, after)));
    }
    for t in &new.site.topics {
        let dir = format!("topics/{}/", t.slug);
        if !marked(&dir) {
            continue;
        }
        let before = old.site.topics.iter().find(|o| o.slug == t.slug);
        lists.push((
            dir,
            (hash_of(before.map(|o| &o.name)), hash_of(Some(&t.name))),
            (
                before
                    .map(|o| old.articles(o.articles.iter().copied()))
                    .unwrap_or_default(),
                new.articles(t.articles.iter().copied()),
            ),
        ));
    }
    // An actor's or an author's "Appears in": later pages show its card
    // (name, kind, role) above the list.
    let mut profile = |section: Section, slug: &str, before: Option<&[usize]>, after: &[usize]| {
        let dir = page_dir(section, slug);
        if !marked(&dir) {
            return;
        }
        let header = |l: &Lists| l.entity(section, slug);
        lists.push((
            dir,
            (header(old), header(new)),
            (
                before
                    .map(|b| old.articles(b.iter().copied()))
                    .unwrap_or_default(),
                new.articles(after.iter().copied()),
            ),
        ));
    };
    for a in &new.site.actors {
        let before = old.site.actors.iter().find(|o| o.slug == a.slug);
        profile(
            Section::Actors,
            a.slug.as_str(),
            before.map(|o| &o.articles[..]),
            &a.articles,
        );
    }
    for a in &new.site.authors {
        let before = old.site.authors.iter().find(|o| o.slug == a.slug);
        profile(
            Section::Authors,
            a.slug.as_str(),
            before.map(|o| &o.articles[..]),
            &a.articles,
        );
    }
    for (dir, header, (before, after)) in lists {
        changed_pages(&dir, header, &before, &after, per_page, pages);
    }
}

/// Marks the pages of the list at `dir` whose content differs between
/// `old` and `new` (one hash per item): every page when the header (what
/// each page shows besides its items) or the number of pages changed,
/// else each page whose items differ.
fn changed_pages(
    dir: &str,
    (old_header, new_header): (u64, u64),
    old: &[u64],
    new: &[u64],
    per_page: usize,
    pages: &mut HashSet<String>,
) {
    let total = page_count(new.len(), per_page);
    let every = old_header != new_header || page_count(old.len(), per_page) != total;
    for n in 1..=total {
        let before = old.get(page_range(old.len(), per_page, n));
        if every || before != Some(&new[page_range(new.len(), per_page, n)]) {
            pages.insert(format!("{}index.html", page_folder(dir, n)));
        }
    }
}

fn in_feed(site: &Site, slug: &str) -> bool {
    site.articles
        .iter()
        .filter(|a| a.is_public())
        .take(FEED_ENTRIES)
        .any(|a| a.slug.as_str() == slug)
}

/// The feeds of the topics and actors of the article `slug`, if `site`
/// has it. (Every one, not only those it is among the newest of: a
/// handful of small files, and no need to rank it in each.)
fn scoped_feeds(site: &Site, slug: &str, pages: &mut HashSet<String>) {
    let Some(a) = site.articles.iter().find(|a| a.slug.as_str() == slug) else {
        return;
    };
    for &t in &a.topics {
        pages.insert(format!("topics/{}/feed.xml", site.topics[t].slug));
    }
    for &x in &a.actors {
        let dir = page_dir(Section::Actors, site.actors[x].slug.as_str());
        pages.insert(format!("{dir}feed.xml"));
    }
    for x in a.bylines.iter().filter_map(|b| b.author) {
        let dir = page_dir(Section::Authors, site.authors[x].slug.as_str());
        pages.insert(format!("{dir}feed.xml"));
    }
}

/// The pages that show a card of, or a link to, the page `slug`.
fn neighbours(site: &Site, section: Section, slug: &str, pages: &mut HashSet<String>) {
    // An author's bio may link an actor or an explainer, with its hover
    // card: authors are few, so their bodies are searched.
    if matches!(section, Section::Actors | Section::Notes) {
        let xref = format!(
            "data-xref=\"{}\"",
            crate::resolve::links::xref(section, slug)
        );
        for a in site.authors.iter().filter(|a| a.body_html.contains(&xref)) {
            pages.insert(format!(
                "{}index.html",
                page_dir(Section::Authors, a.slug.as_str())
            ));
        }
    }
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
            a.bylines
                .iter()
                .filter_map(|b| b.author)
                .for_each(|x| add(Section::Authors, site.authors[x].slug.as_str()));
            for &t in &a.topics {
                pages.insert(format!("topics/{}/index.html", site.topics[t].slug));
            }
        }
        // Every byline naming the profile links it.
        Section::Authors => {
            let Some(x) = site.authors.iter().find(|x| x.slug.as_str() == slug) else {
                return;
            };
            x.articles
                .iter()
                .for_each(|&a| add(Section::Articles, site.articles[a].slug.as_str()));
            // Drafts and scheduled articles name it too, without being
            // on its page.
            let names = |a: &&crate::resolve::Article| {
                (a.bylines.iter()).any(|b| b.author.is_some_and(|i| site.authors[i].slug == x.slug))
            };
            for a in site
                .articles
                .iter()
                .filter(|a| !a.is_public())
                .filter(names)
            {
                add(Section::Articles, a.slug.as_str());
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
        // A standalone page is linked only from the menus, which are on
        // every page: a change to them is `menus_changed`.
        Section::Pages => {}
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
