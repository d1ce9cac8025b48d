//! The views of the pages that list the site: the archive, the indexes of
//! explainers, actors and topics, each topic, the timeline, the Atom feed,
//! the sitemap and robots.txt.

use super::*;

impl<'a> Renderer<'a> {
    pub(super) fn archive(&self) -> Job {
        let l = Linker { depth: 1 };
        let cards: Vec<ArticleCard> = self
            .site
            .articles
            .iter()
            .map(|a| ArticleCard::new(a, l, self.words))
            .collect();
        let meta = self.list_meta(
            self.words.text("articles"),
            "articles/",
            self.words
                .plural("articles_description", cards.len() as u64),
        );
        self.job(
            "articles/index.html".into(),
            "articles.html",
            self.common(1, "articles", meta),
            "articles",
            &cards,
        )
    }

    pub(super) fn explainers_index(&self) -> Job {
        let l = Linker { depth: 1 };
        let cards: Vec<NoteCard> = self
            .site
            .notes
            .iter()
            .map(|n| NoteCard::new(n, l))
            .collect();
        let meta = self.list_meta(
            self.words.text("explainers"),
            "explainers/",
            self.words.text("explainers_description").into(),
        );
        self.job(
            "explainers/index.html".into(),
            "explainers.html",
            self.common(1, "explainers", meta),
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
            actors: Vec<ActorCard<'a>>,
        }
        let mut groups: Vec<Group> = ActorKind::ALL
            .iter()
            .map(|k| Group {
                label: self.words.text(group_key(*k)),
                id: k.as_str(),
                actors: s
                    .actors
                    .iter()
                    .filter(|a| a.kind == Some(*k))
                    .map(|a| ActorCard::new(a, l))
                    .collect(),
            })
            .collect();
        groups.push(Group {
            label: self.words.text("group_other"),
            id: "other",
            actors: s
                .actors
                .iter()
                .filter(|a| a.kind.is_none())
                .map(|a| ActorCard::new(a, l))
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

    pub(super) fn topic(&self, t: &Topic) -> Job {
        let s = self.site;
        let l = Linker { depth: 2 };
        #[derive(Serialize)]
        struct View<'a> {
            name: &'a str,
            articles: Vec<ArticleCard<'a>>,
        }
        let view = View {
            name: &t.name,
            articles: t
                .articles
                .iter()
                .map(|&a| ArticleCard::new(&s.articles[a], l, self.words))
                .collect(),
        };
        let dir = format!("topics/{}/", t.slug);
        let config = &s.config;
        let description = self
            .words
            .format(
                "topic_description",
                None,
                &std::collections::HashMap::from([("topic", t.name.clone())]),
            )
            .unwrap_or_default();
        let mut meta = self.list_meta(&t.name, &dir, description);
        meta.json_ld = vec![script_safe_json(&metadata::breadcrumbs(&[
            (&config.title, config.base_url.clone()),
            (self.words.text("topics"), absolute(config, "topics/")),
            (&t.name, absolute(config, &dir)),
        ]))];
        self.job(
            format!("{dir}index.html"),
            "topic.html",
            self.common(2, "topics", meta),
            "topic",
            &view,
        )
    }

    pub(super) fn timeline(&self) -> Job {
        let s = self.site;
        let l = Linker { depth: 1 };
        #[derive(Serialize)]
        struct Year<'a> {
            year: i32,
            events: Vec<EventView<'a>>,
        }
        let mut years: Vec<Year> = Vec::new();
        for e in &s.events {
            let view = EventView::new(s, e, l);
            match years.last_mut() {
                Some(y) if y.year == e.date.year => y.events.push(view),
                _ => years.push(Year {
                    year: e.date.year,
                    events: vec![view],
                }),
            }
        }
        let meta = self.list_meta(
            self.words.text("timeline"),
            "timeline/",
            self.words.text("timeline_description").into(),
        );
        let mut common = self.common(1, "timeline", meta);
        common.cards = self.hover_cards(
            years
                .iter()
                .flat_map(|y| y.events.iter().map(|e| e.html.as_str())),
        );
        self.job(
            "timeline/index.html".into(),
            "timeline.html",
            common,
            "years",
            &years,
        )
    }

    pub(super) fn feed(&self) -> Job {
        let s = self.site;
        let config = &s.config;
        #[derive(Serialize)]
        struct Entry<'a> {
            id: String,
            url: String,
            title: &'a str,
            published: String,
            updated: String,
            summary: &'a str,
            content: String,
            authors: &'a [String],
            categories: Vec<&'a str>,
            image: Option<Enclosure>,
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
            entries: Vec<Entry<'a>>,
        }
        let entries: Vec<Entry> = s
            .articles
            .iter()
            .take(FEED_ENTRIES)
            .map(|a| {
                let url = page_url(config, Section::Articles, a.slug.as_str());
                let mut content = String::new();
                let image = a.image.as_ref().map(|i| {
                    let href = metadata::absolute_asset(config, &i.src);
                    // The lead image opens the entry, as it opens the page.
                    content.push_str(&format!(
                        "<figure><img src=\"{}\" alt=\"{}\"></figure>",
                        crate::resolve::html_escape(&href),
                        crate::resolve::html_escape(&i.alt)
                    ));
                    Enclosure {
                        media_type: mime_guess::from_path(&i.src)
                            .first()
                            .filter(|m| m.type_() == mime_guess::mime::IMAGE)
                            .map(|m| m.essence_str().to_string()),
                        href,
                    }
                });
                if let Some(know) = &a.know_html {
                    content.push_str(&format!(
                        "<aside><h2>{}</h2>{}</aside>",
                        crate::resolve::html_escape(&config.know_heading),
                        know
                    ));
                }
                content.push_str(&a.body_html);
                // Many readers ignore `xml:base`: every link is absolute.
                let content = metadata::absolute_links(&content, &url);
                Entry {
                    id: url.clone(),
                    url,
                    title: &a.title,
                    published: a.date.rfc3339(),
                    updated: a.updated.unwrap_or(a.date).rfc3339(),
                    summary: &a.summary,
                    content,
                    authors: metadata::article_authors(s, a),
                    categories: a
                        .topics
                        .iter()
                        .map(|&t| s.topics[t].name.as_str())
                        .collect(),
                    image,
                }
            })
            .collect();
        let updated = s
            .articles
            .iter()
            .map(|a| a.updated.unwrap_or(a.date))
            .max()
            .map(|d| d.rfc3339())
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
        let author = if !config.publisher.name.is_empty() {
            &config.publisher.name
        } else {
            &config.title
        };
        let feed = Feed {
            id: absolute(config, "feed.xml"),
            title: &config.title,
            subtitle: &config.description,
            updated,
            self_url: absolute(config, "feed.xml"),
            home_url: &config.base_url,
            author,
            entries,
        };
        self.make_job("feed.xml".into(), "feed.xml", &feed, || {
            let mut context = Context::new();
            context.insert("feed", &feed);
            context
        })
    }

    pub(super) fn sitemap(&self) -> Job {
        let s = self.site;
        let config = &s.config;
        #[derive(Serialize)]
        struct Url {
            loc: String,
            lastmod: Option<String>,
        }
        // A list page changes when the newest of its pages does.
        let newest = s.articles.iter().map(|a| a.updated.unwrap_or(a.date)).max();
        let newest_note = s.notes.iter().filter_map(|n| n.updated.or(n.date)).max();
        let mut urls = vec![Url {
            loc: config.base_url.clone(),
            lastmod: newest.max(newest_note).map(|d| d.rfc3339()),
        }];
        for (dir, lastmod) in [
            ("articles/", newest),
            ("explainers/", newest_note),
            ("actors/", None),
            ("topics/", newest),
            ("timeline/", newest.max(newest_note)),
        ] {
            urls.push(Url {
                loc: absolute(config, dir),
                lastmod: lastmod.map(|d| d.rfc3339()),
            });
        }
        urls.extend(s.articles.iter().map(|a| Url {
            loc: page_url(config, Section::Articles, a.slug.as_str()),
            lastmod: Some(a.updated.unwrap_or(a.date).rfc3339()),
        }));
        urls.extend(s.notes.iter().map(|n| Url {
            loc: page_url(config, Section::Notes, n.slug.as_str()),
            lastmod: n.updated.or(n.date).map(|d| d.rfc3339()),
        }));
        urls.extend(s.actors.iter().map(|a| Url {
            loc: page_url(config, Section::Actors, a.slug.as_str()),
            lastmod: None,
        }));
        urls.extend(s.topics.iter().map(|t| {
            Url {
                loc: absolute(config, &format!("topics/{}/", t.slug)),
                lastmod: t
                    .articles
                    .iter()
                    .map(|&a| s.articles[a].updated.unwrap_or(s.articles[a].date))
                    .max()
                    .map(|d| d.rfc3339()),
            }
        }));
        self.make_job("sitemap.xml".into(), "sitemap.xml", &urls, || {
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
}
