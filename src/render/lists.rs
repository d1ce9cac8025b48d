//! The views of the pages that list the site: the archive, the indexes of
//! explainers, actors and topics, each topic, the timeline and its years
//! (each page of each, see [`super::paginate`]), the Atom feed, the
//! sitemap (an index of parts beyond [`SITEMAP_MAX_URLS`]) and robots.txt.

use super::*;
use crate::model::Date;

impl<'a> Renderer<'a> {
    pub(super) fn archive(&self, number: usize) -> Job {
        let s = self.site;
        let page = self.list_page("articles/", s.own.articles, number);
        let cards: Vec<ArticleCard> = s.articles[page.range.clone()]
            .iter()
            .map(|a| ArticleCard::new(a, page.linker, self.words))
            .collect();
        let meta = self.list_head(
            self.words.text("articles"),
            "articles/",
            self.words
                .plural("articles_description", s.own.articles as u64),
        );
        let trail = [
            self.home_crumb(),
            (self.words.text("articles"), meta.canonical.clone()),
        ];
        self.job(
            page.path.clone(),
            "articles.html",
            self.list_common(&page, "articles", &trail, meta),
            "articles",
            &cards,
        )
    }

    pub(super) fn explainers_index(&self, number: usize) -> Job {
        let s = self.site;
        let page = self.list_page("explainers/", s.own.notes, number);
        let cards: Vec<NoteCard> = s.notes[page.range.clone()]
            .iter()
            .map(|n| NoteCard::new(n, page.linker))
            .collect();
        let meta = self.list_head(
            self.words.text("explainers"),
            "explainers/",
            self.words.text("explainers_description").into(),
        );
        let trail = [
            self.home_crumb(),
            (self.words.text("explainers"), meta.canonical.clone()),
        ];
        self.job(
            page.path.clone(),
            "explainers.html",
            self.list_common(&page, "explainers", &trail, meta),
            "explainers",
            &cards,
        )
    }

    pub(super) fn actors_index(&self) -> Job {
        let s = self.site;
        let l = Linker { depth: 1 };
        #[derive(Serialize)]
        struct Group<'a> {
            label: &'a str,
            id: &'static str,
            actors: Vec<IndexCard<'a>>,
        }
        /// An actor card with the profile's image.
        #[derive(Serialize)]
        struct IndexCard<'a> {
            #[serde(flatten)]
            card: ActorCard<'a>,
            image: Option<ImageView<'a>>,
        }
        let card = |a: &'a Actor| IndexCard {
            card: ActorCard::new(a, l),
            image: a.image.as_ref().map(|i| ImageView::new(i, l)),
        };
        let mut groups: Vec<Group> = ActorKind::ALL
            .iter()
            .map(|k| {
                let mut actors: Vec<&Actor> = s
                    .own_actors()
                    .iter()
                    .filter(|a| a.kind == Some(*k))
                    .collect();
                // People by family name (`sort_name`); the rest by name,
                // the order of `site.actors`.
                if *k == ActorKind::Person {
                    actors.sort_by_cached_key(|a| {
                        (
                            crate::model::slugify(&a.sort_name),
                            crate::model::slugify(&a.name),
                        )
                    });
                }
                Group {
                    label: self.words.text(group_key(*k)),
                    id: k.as_str(),
                    actors: actors.into_iter().map(card).collect(),
                }
            })
            .collect();
        groups.push(Group {
            label: self.words.text("group_other"),
            id: "other",
            actors: s
                .own_actors()
                .iter()
                .filter(|a| a.kind.is_none())
                .map(card)
                .collect(),
        });
        groups.retain(|g| !g.actors.is_empty());
        let meta = self.list_meta(
            self.words.text("actors"),
            "actors/",
            self.words.text("actors_description").into(),
        );
        self.job(
            "actors/index.html".into(),
            "actors.html",
            self.common(1, "actors", meta),
            "groups",
            &groups,
        )
    }

    /// `authors/index.html`: every author profile, by name, with its
    /// photo, role and count of articles.
    pub(super) fn authors_index(&self) -> Job {
        let s = self.site;
        let l = Linker { depth: 1 };
        let authors: Vec<AuthorCard> = (s.own_authors().iter())
            .map(|a| AuthorCard::new(a, l))
            .collect();
        let meta = self.list_meta(
            self.words.text("authors"),
            "authors/",
            self.words.text("authors_description").into(),
        );
        self.job(
            "authors/index.html".into(),
            "authors.html",
            self.common(1, "authors", meta),
            "authors",
            &authors,
        )
    }

    pub(super) fn topics_index(&self) -> Job {
        let l = Linker { depth: 1 };
        let topics: Vec<TopicLink> = self
            .site
            .topics
            .iter()
            .map(|t| TopicLink {
                name: &t.name,
                href: l.dir(&format!("topics/{}/", t.slug)),
                count: Some(t.articles.len()),
            })
            .collect();
        let meta = self.list_meta(
            self.words.text("topics"),
            "topics/",
            self.words.text("topics_description").into(),
        );
        self.job(
            "topics/index.html".into(),
            "topics.html",
            self.common(1, "topics", meta),
            "topics",
            &topics,
        )
    }

    pub(super) fn topic(&self, t: &Topic, number: usize) -> Job {
        let s = self.site;
        let dir = format!("topics/{}/", t.slug);
        let page = self.list_page(&dir, t.articles.len(), number);
        #[derive(Serialize)]
        struct View<'a> {
            name: &'a str,
            articles: Vec<ArticleCard<'a>>,
        }
        let view = View {
            name: &t.name,
            articles: t.articles[page.range.clone()]
                .iter()
                .map(|&a| ArticleCard::new(&s.articles[a], page.linker, self.words))
                .collect(),
        };
        let description = self
            .words
            .format(
                "topic_description",
                None,
                &std::collections::HashMap::from([("topic", t.name.clone())]),
            )
            .unwrap_or_default();
        let mut meta = self.list_head(&t.name, &dir, description);
        // A topic whose articles are all drafts or scheduled has no feed.
        meta.feed = topic_newest(s, t).map(|_| self.feed_link(&t.name, &dir, page.linker));
        let trail = [
            self.home_crumb(),
            (self.words.text("topics"), absolute(&s.config, "topics/")),
            (&t.name, meta.canonical.clone()),
        ];
        self.job(
            page.path.clone(),
            "topic.html",
            self.list_common(&page, "topics", &trail, meta),
            "topic",
            &view,
        )
    }

    /// A page of the timeline: of every event (`year` none), or of the
    /// events of one year (an index in `self.years`). Every page of both
    /// links to every year.
    pub(super) fn timeline(&self, year: Option<usize>, number: usize) -> Job {
        let s = self.site;
        let (dir, events) = match year {
            Some(y) => (year_folder(self.years[y].0), self.years[y].1.clone()),
            None => ("timeline/".to_string(), 0..s.events.len()),
        };
        let page = self.list_page(&dir, events.len(), number);
        let l = page.linker;
        #[derive(Serialize)]
        struct Year<'a> {
            year: i32,
            events: Vec<EventView<'a>>,
        }
        #[derive(Serialize)]
        struct YearLink {
            year: i32,
            href: String,
            /// The year of this page, as `aria-current`: `page` on its
            /// first page, where the link leads; `true` on later pages.
            current: Option<&'static str>,
        }
        let mut years: Vec<Year> = Vec::new();
        let first = events.start + page.range.start;
        for e in &s.events[first..first + page.range.len()] {
            let view = EventView::new(s, e, l);
            match years.last_mut() {
                Some(y) if y.year == e.date.year => y.events.push(view),
                _ => years.push(Year {
                    year: e.date.year,
                    events: vec![view],
                }),
            }
        }
        let year_index: Vec<YearLink> = self
            .years
            .iter()
            .enumerate()
            .map(|(i, (y, _))| YearLink {
                year: *y,
                href: l.dir(&year_folder(*y)),
                current: (Some(i) == year).then_some(if number == 1 { "page" } else { "true" }),
            })
            .collect();
        // "Timeline 2023": the year alone says little in a tab or a
        // search result.
        let name = year.map(|y| format!("{} {:04}", self.words.text("timeline"), self.years[y].0));
        let meta = match &name {
            None => self.list_head(
                self.words.text("timeline"),
                "timeline/",
                self.words.text("timeline_description").into(),
            ),
            Some(name) => self.list_head(
                name,
                &dir,
                self.words
                    .format(
                        "timeline_year_description",
                        None,
                        &std::collections::HashMap::from([(
                            "year",
                            year.map_or_else(String::new, |y| format!("{:04}", self.years[y].0)),
                        )]),
                    )
                    .unwrap_or_default(),
            ),
        };
        let mut trail = vec![
            self.home_crumb(),
            (
                self.words.text("timeline"),
                absolute(&s.config, "timeline/"),
            ),
        ];
        if let Some(name) = &name {
            trail.push((name, meta.canonical.clone()));
        }
        let mut common = self.list_common(&page, "timeline", &trail, meta);
        common.cards = self.hover_cards(
            years
                .iter()
                .flat_map(|y| y.events.iter().map(|e| e.html.as_str())),
        );
        let year_shown = year.map(|y| self.years[y].0);
        self.make_job(
            page.path.clone(),
            "timeline.html",
            &(&common, &years, &year_index, year_shown),
            || {
                let mut context = Context::from_serialize(&common).unwrap_or_default();
                context.insert("years", &years);
                context.insert("year_index", &year_index);
                context.insert("year", &year_shown);
                context
            },
        )
    }

    /// The Atom feed of `scope`: the newest public articles of the site
    /// ([`FEED_ENTRIES`]), a topic, an actor or an author
    /// ([`SUBJECT_FEED_ENTRIES`]), at [`feed_path`]. An entry's content is
    /// the lead image and the "What You Should Know" points, then, in the
    /// site's feed only, the body.
    pub(super) fn feed(&self, scope: FeedScope) -> Job {
        let s = self.site;
        let config = &s.config;
        // Drafts and scheduled articles are never in a feed; an author's
        // articles are public ones only. Each comes with its index in
        // `s.articles`.
        let subject = |list: &[usize]| -> Vec<(usize, &Article)> {
            (list.iter())
                .map(|&a| (a, &s.articles[a]))
                .filter(|(_, a)| a.is_public())
                .collect()
        };
        let (articles, limit) = match scope {
            FeedScope::Site => (
                (s.own_articles().iter().enumerate())
                    .filter(|(_, a)| a.is_public())
                    .collect(),
                FEED_ENTRIES,
            ),
            FeedScope::Topic(t) => (subject(&s.topics[t].articles), SUBJECT_FEED_ENTRIES),
            FeedScope::Actor(i) => (subject(&s.actors[i].articles), SUBJECT_FEED_ENTRIES),
            FeedScope::Author(i) => (subject(&s.authors[i].articles), SUBJECT_FEED_ENTRIES),
        };
        #[derive(Serialize)]
        struct Entry<'a> {
            id: String,
            url: String,
            title: &'a str,
            published: String,
            updated: String,
            summary: &'a str,
            content: String,
            authors: Vec<&'a str>,
            bylines: Vec<FeedByline<'a>>,
            categories: Vec<&'a str>,
            image: Option<Enclosure>,
        }
        /// An entry's `<author>`: a byline, with the absolute URL of its
        /// profile (`<uri>`) when it names one.
        #[derive(Serialize)]
        struct FeedByline<'a> {
            name: &'a str,
            uri: Option<String>,
        }
        /// The lead image, as `<link rel="enclosure">` (feedparser's
        /// `enclosures`).
        #[derive(Serialize)]
        struct Enclosure {
            href: String,
            media_type: Option<String>,
        }
        #[derive(Serialize)]
        struct Feed<'a> {
            id: String,
            title: &'a str,
            subtitle: &'a str,
            updated: String,
            self_url: String,
            home_url: &'a str,
            author: &'a str,
            /// The tree's language, for `xml:lang`.
            language: &'a str,
            entries: Vec<Entry<'a>>,
        }
        let entries: Vec<Entry> = articles
            .iter()
            .take(limit)
            .map(|&(index, a)| {
                let url = page_url(config, Section::Articles, a.slug.as_str());
                let image = a.image.as_ref().map(|i| Enclosure {
                    href: metadata::absolute_asset(config, &i.src),
                    media_type: mime_guess::from_path(&i.src)
                        .first()
                        .filter(|m| m.type_() == mime_guess::mime::IMAGE)
                        .map(|m| m.essence_str().to_string()),
                });
                // The site feed carries each story whole. A topic's or an
                // actor's carries its image and its points, not its body:
                // a story is in the feed of each of its topics and actors,
                // and whole bodies there made the feeds of a site many
                // times the size of its pages (Hugo's section feeds carry
                // summaries too). That content is the same in each such
                // feed, so it is made once.
                let content = match scope {
                    FeedScope::Site => entry_content(config, a, &url, true),
                    _ => self.subject_entries[index]
                        .get_or_init(|| entry_content(config, a, &url, false))
                        .clone(),
                };
                Entry {
                    id: url.clone(),
                    url,
                    title: &a.title,
                    published: a.date.rfc3339(),
                    updated: a.updated.unwrap_or(a.date).rfc3339(),
                    summary: &a.summary,
                    content,
                    authors: a.bylines.iter().map(|b| b.name.as_str()).collect(),
                    bylines: (a.bylines.iter())
                        .map(|b| FeedByline {
                            name: &b.name,
                            uri: s.byline_author(b).map(|p| {
                                metadata::named_page_url(
                                    config,
                                    Section::Authors,
                                    p.slug.as_str(),
                                    p.fallback.as_ref(),
                                )
                            }),
                        })
                        .collect(),
                    categories: a
                        .topics
                        .iter()
                        .map(|&t| s.topics[t].name.as_str())
                        .collect(),
                    image,
                }
            })
            .collect();
        // Only a feed with a date is written (see `feed_updated`); the
        // placeholder never reaches a reader.
        let updated = feed_updated(s, scope).map_or_else(String::new, |d| d.rfc3339());
        let author = if !config.publisher.name.is_empty() {
            &config.publisher.name
        } else {
            &config.title
        };
        let path = feed_path(s, scope);
        let (title, home_url) = match scope {
            FeedScope::Site => (config.title.clone(), config.base_url.clone()),
            FeedScope::Topic(t) => (
                feed_title(
                    &s.topics[t].name,
                    self.words.text("topic_kicker"),
                    &config.title,
                ),
                absolute(config, &format!("topics/{}/", s.topics[t].slug)),
            ),
            FeedScope::Actor(i) => (
                feed_title(
                    &s.actors[i].name,
                    self.words.text("actor_kicker"),
                    &config.title,
                ),
                page_url(config, Section::Actors, s.actors[i].slug.as_str()),
            ),
            FeedScope::Author(i) => (
                feed_title(
                    &s.authors[i].name,
                    self.words.text("author_kicker"),
                    &config.title,
                ),
                page_url(config, Section::Authors, s.authors[i].slug.as_str()),
            ),
        };
        let feed = Feed {
            id: absolute(config, &path),
            title: &title,
            subtitle: match scope {
                FeedScope::Site => &config.description,
                _ => "",
            },
            updated,
            self_url: absolute(config, &path),
            home_url: &home_url,
            author,
            language: &config.language,
            entries,
        };
        self.make_job(path.clone(), "feed.xml", &feed, || {
            let mut context = Context::new();
            context.insert("feed", &feed);
            context
        })
    }

    /// The sitemap's entries: every page a search engine should know,
    /// each page of a list included (they are the crawl path to older
    /// stories, and each is its own canonical URL).
    pub(super) fn sitemap_urls(&self) -> &[SitemapUrl] {
        self.sitemap.get_or_init(|| {
            let s = self.site;
            let config = &s.config;
            let mut urls = Vec::with_capacity(sitemap_count(s));
            // A list page changes when the newest of its pages does.
            let newest = (s.own_articles().iter())
                .filter(|a| a.is_public())
                .map(|a| a.updated.unwrap_or(a.date))
                .max();
            let newest_note = s
                .own_notes()
                .iter()
                .filter_map(|n| n.updated.or(n.date))
                .max();
            // Every page of a list, with the list's lastmod.
            let list = |urls: &mut Vec<SitemapUrl>, dir: &str, len: usize, last: Option<Date>| {
                for n in 1..=page_count(len, config.paginate) {
                    urls.push(SitemapUrl {
                        loc: absolute(config, &page_folder(dir, n)),
                        lastmod: last.map(|d| d.rfc3339()),
                        date: last,
                    });
                }
            };
            let url = |loc: String, date: Option<Date>| SitemapUrl {
                loc,
                lastmod: date.map(|d| d.rfc3339()),
                date,
            };
            urls.push(url(config.base_url.clone(), newest.max(newest_note)));
            list(&mut urls, "articles/", s.own.articles, newest);
            list(&mut urls, "explainers/", s.own.notes, newest_note);
            list(&mut urls, "actors/", 0, None);
            list(&mut urls, "topics/", 0, newest);
            list(
                &mut urls,
                "timeline/",
                s.events.len(),
                newest.max(newest_note),
            );
            for (year, events) in self.years.iter().filter(|(_, e)| public_year(s, e)) {
                list(
                    &mut urls,
                    &year_folder(*year),
                    events.len(),
                    year_newest(s, events),
                );
            }
            // Drafts and scheduled articles, built only on request for a
            // preview, are never announced to search engines.
            urls.extend(s.own_articles().iter().filter(|a| a.is_public()).map(|a| {
                url(
                    page_url(config, Section::Articles, a.slug.as_str()),
                    Some(a.updated.unwrap_or(a.date)),
                )
            }));
            urls.extend(s.own_notes().iter().filter(|n| !n.draft).map(|n| {
                url(
                    page_url(config, Section::Notes, n.slug.as_str()),
                    n.updated.or(n.date),
                )
            }));
            urls.extend(s.own_pages().iter().filter(|p| p.is_public()).map(|p| {
                url(
                    page_url(config, Section::Pages, p.slug.as_str()),
                    p.updated.or(p.date),
                )
            }));
            for a in s.own_actors().iter().filter(|a| !a.draft) {
                list(
                    &mut urls,
                    &page_dir(Section::Actors, a.slug.as_str()),
                    a.articles.len(),
                    None,
                );
            }
            if !s.own_authors().is_empty() {
                list(&mut urls, "authors/", 0, None);
            }
            for a in s.own_authors().iter().filter(|a| !a.draft) {
                let newest = (a.articles.iter())
                    .map(|&x| s.articles[x].updated.unwrap_or(s.articles[x].date))
                    .max();
                list(
                    &mut urls,
                    &page_dir(Section::Authors, a.slug.as_str()),
                    a.articles.len(),
                    newest,
                );
            }
            for t in &s.topics {
                if let Some(newest) = topic_newest(s, t) {
                    let dir = format!("topics/{}/", t.slug);
                    list(&mut urls, &dir, t.articles.len(), Some(newest));
                }
            }
            debug_assert_eq!(urls.len(), sitemap_count(s));
            // The default language's sitemap lists every tree's pages.
            if let Some((set, 0)) = self.languages {
                urls.extend(set.sitemap.iter().cloned());
            }
            urls
        })
    }

    /// `sitemap.xml` (`part` 0): every URL, or, when they are more than
    /// one file may hold, the index of the parts `sitemap-1.xml`, ...
    /// (the sitemaps.org protocol).
    pub(super) fn sitemap(&self, part: usize) -> Job {
        let config = &self.site.config;
        let urls = self.sitemap_urls();
        let chunk = sitemap_chunk(config);
        if part == 0 && urls.len() > chunk {
            #[derive(Serialize)]
            struct Part {
                loc: String,
                lastmod: Option<String>,
            }
            let parts: Vec<Part> = urls
                .chunks(chunk)
                .enumerate()
                .map(|(i, urls)| Part {
                    loc: absolute(config, &sitemap_file(i + 1)),
                    lastmod: urls
                        .iter()
                        .filter_map(|u| u.date)
                        .max()
                        .map(|d| d.rfc3339()),
                })
                .collect();
            return self.make_job("sitemap.xml".into(), "sitemap_index.xml", &parts, || {
                let mut context = Context::new();
                context.insert("sitemaps", &parts);
                context
            });
        }
        let urls = if part == 0 {
            urls
        } else {
            &urls[(part - 1) * chunk..(part * chunk).min(urls.len())]
        };
        self.make_job(sitemap_file(part), "sitemap.xml", &urls, || {
            let mut context = Context::new();
            context.insert("urls", &urls);
            context
        })
    }

    pub(super) fn robots(&self) -> Job {
        let url = absolute(&self.site.config, "sitemap.xml");
        self.make_job("robots.txt".into(), "robots.txt", &url, || {
            let mut context = Context::new();
            context.insert("sitemap_url", &url);
            context
        })
    }

    /// The page written at an old URL: a meta refresh to the page, its
    /// canonical URL and `noindex`, with a link for readers whose browser
    /// does not follow the refresh. Relative, so it works under any path.
    pub(super) fn redirect(&self, r: &crate::resolve::redirects::Redirect) -> Job {
        #[derive(Serialize)]
        struct View<'a> {
            title: &'a str,
            href: String,
            canonical: String,
        }
        let depth = r.from.matches('/').count();
        let view = View {
            title: &r.title,
            href: Linker { depth }.dir(&r.to),
            canonical: absolute(&self.site.config, &r.to),
        };
        let site = &self.site_view;
        self.make_job(r.from.clone(), "redirect.html", &(site, &view), || {
            let mut context = Context::new();
            context.insert("site", site);
            context.insert("redirect", &view);
            context
        })
    }

    /// `_redirects` for Netlify and Cloudflare Pages: the site's own
    /// `static/_redirects` first, then a rule per alias, the other
    /// language trees' after the default language's.
    pub(super) fn redirects_file(&self) -> Job {
        let s = self.site;
        let own = static_text(s, "_redirects");
        let others = self.languages.map_or(&[][..], |(set, _)| &set.redirects);
        let text = crate::resolve::redirects::netlify_redirects(
            s.redirects.iter().chain(others),
            s.config.base_path(),
            &own,
        );
        self.make_job("_redirects".into(), "_redirects", &text, || {
            let mut context = Context::new();
            context.insert("rules", &text);
            context
        })
    }
}

/// One `<url>` of the sitemap.
#[derive(Serialize, Clone)]
pub(super) struct SitemapUrl {
    loc: String,
    lastmod: Option<String>,
    /// `lastmod` as an instant, to find the newest of a part.
    #[serde(skip)]
    date: Option<crate::model::Date>,
}

/// The sitemaps.org limits of one sitemap file: 50,000 URLs and 50 MB
/// (52,428,800 bytes) uncompressed.
pub const SITEMAP_MAX_URLS: usize = 50_000;
/// The environment variable that lowers [`SITEMAP_MAX_URLS`] for tests.
pub const SITEMAP_MAX_URLS_VAR: &str = "EXPLAINER_SITEMAP_MAX_URLS";
const SITEMAP_MAX_BYTES: usize = 52_428_800;

/// How many URLs each sitemap file holds: the protocol's 50,000, fewer
/// when URLs are so long that 50,000 could pass 50 MB. A URL's entry is
/// at most its escaped `base_url` (an XML escape is at most 6 bytes a
/// character) plus a path of two 200-byte names and a page number, a
/// `lastmod` and the tags: 6 x `base_url` + 600 bytes bounds it.
///
/// `EXPLAINER_SITEMAP_MAX_URLS` lowers the count, so that tests can see
/// the split without building 50,000 pages; it is not a setting.
pub(super) fn sitemap_chunk(config: &crate::config::Config) -> usize {
    let by_count = std::env::var(SITEMAP_MAX_URLS_VAR)
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|&n| n > 0)
        .map_or(SITEMAP_MAX_URLS, |n| n.min(SITEMAP_MAX_URLS));
    let entry_bound = 6 * config.base_url.len() + 600;
    // Room for the XML declaration and the `<urlset>` element.
    let by_size = (SITEMAP_MAX_BYTES - 1024) / entry_bound;
    by_count.min(by_size).max(1)
}

/// Whether a year of the timeline (its stretch of `site.events`) shows an
/// event of a public page: a year made only of drafts' and scheduled
/// articles' events is built for a preview but never announced.
fn public_year(s: &Site, events: &std::ops::Range<usize>) -> bool {
    s.events[events.clone()].iter().any(|e| match e.source {
        crate::resolve::EventSource::Note(n) => !s.notes[n].draft,
        crate::resolve::EventSource::Article(a) => s.articles[a].is_public(),
    })
}

/// A timeline year's page changes when a source of one of its events
/// does: the newest publication or update among them.
fn year_newest(s: &Site, events: &std::ops::Range<usize>) -> Option<Date> {
    (s.events[events.clone()].iter())
        .filter_map(|e| match e.source {
            crate::resolve::EventSource::Note(n) => {
                let n = &s.notes[n];
                (!n.draft).then_some(n.updated.or(n.date)).flatten()
            }
            crate::resolve::EventSource::Article(a) => {
                let a = &s.articles[a];
                a.is_public().then(|| a.updated.unwrap_or(a.date))
            }
        })
        .max()
}

/// The newest publication or update among a topic's public articles;
/// none when every one of them is a draft or scheduled (the topic's page
/// is then built for a preview only and never announced).
fn topic_newest(s: &Site, t: &crate::resolve::site::Topic) -> Option<Date> {
    (t.articles.iter())
        .map(|&a| &s.articles[a])
        .filter(|a| a.is_public())
        .map(|a| a.updated.unwrap_or(a.date))
        .max()
}

/// How many URLs the sitemap lists (see `Renderer::sitemap_urls`),
/// counted without making them.
fn sitemap_count(s: &Site) -> usize {
    let per_page = s.config.paginate;
    let pages = |len: usize| page_count(len, per_page);
    let years: usize = event_years(s)
        .iter()
        .filter(|(_, events)| public_year(s, events))
        .map(|(_, events)| pages(events.len()))
        .sum();
    1 + pages(s.own.articles)
        + pages(s.own.notes)
        + 2
        + pages(s.events.len())
        + years
        + s.own_articles().iter().filter(|a| a.is_public()).count()
        + s.own_notes().iter().filter(|n| !n.draft).count()
        + s.own_pages().iter().filter(|p| p.is_public()).count()
        + (s.own_actors().iter())
            .filter(|a| !a.draft)
            .map(|a| pages(a.articles.len()))
            .sum::<usize>()
        + (s.topics.iter())
            .filter(|t| topic_newest(s, t).is_some())
            .map(|t| pages(t.articles.len()))
            .sum::<usize>()
        + usize::from(!s.own_authors().is_empty())
        + (s.own_authors().iter())
            .filter(|a| !a.draft)
            .map(|a| pages(a.articles.len()))
            .sum::<usize>()
}

/// How many parts `sitemap.xml` indexes: 0 when it is a sitemap itself.
pub(super) fn sitemap_parts(s: &Site, extra: usize) -> usize {
    let count = sitemap_count(s) + extra;
    let chunk = sitemap_chunk(&s.config);
    if count > chunk {
        count.div_ceil(chunk)
    } else {
        0
    }
}

/// The file of a part of the sitemap: `sitemap.xml` for 0 (the sitemap or
/// its index), `sitemap-1.xml`, ... after.
pub(super) fn sitemap_file(part: usize) -> String {
    match part {
        0 => "sitemap.xml".into(),
        n => format!("sitemap-{n}.xml"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sitemap_file_holds_50000_urls_and_never_50_mb() {
        let mut config = crate::config::Config {
            base_url: "https://news.example.org/".into(),
            ..Default::default()
        };
        if std::env::var(SITEMAP_MAX_URLS_VAR).is_err() {
            assert_eq!(sitemap_chunk(&config), 50_000);
        }
        // A base URL so long that 50,000 entries could pass 50 MB.
        config.base_url = format!("https://news.example.org/{}/", "a".repeat(2000));
        let chunk = sitemap_chunk(&config);
        assert!(chunk < 50_000);
        assert!(chunk * (6 * config.base_url.len() + 600) <= SITEMAP_MAX_BYTES);
        assert_eq!(sitemap_file(0), "sitemap.xml");
        assert_eq!(sitemap_file(3), "sitemap-3.xml");
    }
}

/// Whose articles a feed carries.
#[derive(Debug, Clone, Copy)]
pub(crate) enum FeedScope {
    Site,
    Topic(TopicId),
    Actor(ActorId),
    Author(AuthorId),
}

/// An entry's HTML content for `a`, whose page is at the absolute `url`:
/// the lead image, the "What You Should Know" points and, with `body`, the
/// story itself, every link made absolute (many feed readers ignore
/// `xml:base`).
fn entry_content(config: &crate::config::Config, a: &Article, url: &str, body: bool) -> String {
    let mut content = String::new();
    if let Some(i) = &a.image {
        // The lead image opens the entry, as it opens the page.
        content.push_str(&format!(
            "<figure><img src=\"{}\" alt=\"{}\"></figure>",
            crate::resolve::html_escape(&metadata::absolute_asset(config, &i.src)),
            crate::resolve::html_escape(&i.alt)
        ));
    }
    if let Some(know) = &a.know_html {
        content.push_str(&format!(
            "<aside><h2>{}</h2>{}</aside>",
            crate::resolve::html_escape(&config.know_heading),
            know
        ));
    }
    if body {
        content.push_str(&a.body_html);
    }
    metadata::absolute_links(&content, url)
}

/// The `<updated>` of the feed of `scope`: the newest publication or
/// update among its public articles. A site with none takes the newest
/// date of its published explainers and standalone pages. None when there
/// is no date at all: then the feed is not written, nor linked (an Atom
/// feed must carry a real `<updated>`, and a topic's, actor's or author's
/// feed with no entries announces nothing).
pub(crate) fn feed_updated(site: &Site, scope: FeedScope) -> Option<Date> {
    let newest = |list: &[usize]| {
        (list.iter())
            .map(|&a| &site.articles[a])
            .filter(|a| a.is_public())
            .map(|a| a.updated.unwrap_or(a.date))
            .max()
    };
    match scope {
        FeedScope::Site => (site.own_articles().iter())
            .filter(|a| a.is_public())
            .map(|a| a.updated.unwrap_or(a.date))
            .max()
            .or_else(|| {
                let notes = (site.own_notes().iter())
                    .filter(|n| !n.draft)
                    .filter_map(|n| n.updated.or(n.date));
                let pages = (site.own_pages().iter())
                    .filter(|p| p.is_public())
                    .filter_map(|p| p.updated.or(p.date));
                notes.chain(pages).max()
            }),
        FeedScope::Topic(t) => topic_newest(site, &site.topics[t]),
        FeedScope::Actor(i) if !site.actors[i].draft => newest(&site.actors[i].articles),
        FeedScope::Author(i) if !site.authors[i].draft => newest(&site.authors[i].articles),
        // A draft profile's feed would list only articles that name a
        // draft; it has none.
        FeedScope::Actor(_) | FeedScope::Author(_) => None,
    }
}

/// Whether any of the articles `list` (indexes into `site.articles`) is
/// public: a topic's, actor's or author's feed has entries.
pub(crate) fn any_public(site: &Site, list: &[usize]) -> bool {
    list.iter().any(|&a| site.articles[a].is_public())
}

/// The output path of a feed: `feed.xml`, `topics/<slug>/feed.xml` or
/// `actors/<slug>/feed.xml`, beside the page it belongs to.
pub(crate) fn feed_path(site: &Site, scope: FeedScope) -> String {
    match scope {
        FeedScope::Site => "feed.xml".into(),
        FeedScope::Topic(t) => format!("topics/{}/feed.xml", site.topics[t].slug),
        FeedScope::Actor(i) => page_dir(Section::Actors, site.actors[i].slug.as_str()) + "feed.xml",
        FeedScope::Author(i) => {
            page_dir(Section::Authors, site.authors[i].slug.as_str()) + "feed.xml"
        }
    }
}

/// The title of the feed of a topic, an actor or an author called
/// `name`: the name, what it is (`kind`, the interface's word: "Topic",
/// "Actor", "Author"), then the site's title: how readers list a feed
/// among many, and a topic and an actor of one name ("Niger") apart.
pub(super) fn feed_title(name: &str, kind: &str, site_title: &str) -> String {
    format!("{name} \u{b7} {kind} \u{b7} {site_title}")
}
