//! The view of each content page (front page, article, explainer, actor,
//! 404): what its template is given. Each builder reads only precomputed
//! lists of the resolved site, so a page costs the same however large the
//! site grows.

use super::*;
use crate::model::{excerpt, SUMMARY_CHARS};

impl<'a> Renderer<'a> {
    pub(super) fn front_page(&self) -> Job {
        let s = self.site;
        let l = Linker { depth: 0 };
        let mut key_actors: Vec<usize> = (0..s.own.actors).collect();
        key_actors.sort_by_key(|&a| {
            std::cmp::Reverse(s.actors[a].articles.len() + s.actors[a].notes.len())
        });
        key_actors.truncate(FRONT_ACTORS);
        let mut explainers: Vec<usize> = (0..s.own.notes).collect();
        explainers.sort_by_key(|&n| std::cmp::Reverse(s.notes[n].updated.or(s.notes[n].date)));
        explainers.truncate(FRONT_EXPLAINERS);
        #[derive(Serialize)]
        struct Front<'a> {
            lead: Option<ArticleCard<'a>>,
            lead_actors: Vec<ActorCard<'a>>,
            latest: Vec<ArticleCard<'a>>,
            explainers: Vec<NoteCard<'a>>,
            actors: Vec<ActorCard<'a>>,
        }
        let view = Front {
            lead: s
                .own_articles()
                .first()
                .map(|a| ArticleCard::new(a, l, self.words)),
            lead_actors: s
                .own_articles()
                .first()
                .map(|a| {
                    a.actors
                        .iter()
                        .take(4)
                        .map(|&x| ActorCard::new(&s.actors[x], l))
                        .collect()
                })
                .unwrap_or_default(),
            latest: s
                .own_articles()
                .iter()
                .skip(1)
                .take(FRONT_LATEST)
                .map(|a| ArticleCard::new(a, l, self.words))
                .collect(),
            explainers: explainers
                .iter()
                .map(|&n| NoteCard::new(&s.notes[n], l))
                .collect(),
            actors: key_actors
                .iter()
                .map(|&a| ActorCard::new(&s.actors[a], l))
                .collect(),
        };
        let config = &s.config;
        let website = serde_json::json!({
            "@context": "https://schema.org", "@type": "WebSite", "name": config.title,
            "url": config.base_url, "description": config.description, "inLanguage": config.language,
        });
        let meta = Meta {
            title: config.title.clone(),
            description: if config.description.is_empty() {
                config.title.clone()
            } else {
                config.description.clone()
            },
            canonical: config.base_url.clone(),
            og_type: "website",
            json_ld: vec![script_safe_json(&website)],
            ..Meta::default()
        };
        self.job(
            "index.html".into(),
            "index.html",
            self.common(0, "home", meta),
            "front",
            &view,
        )
    }

    pub(super) fn article(&self, a: &Article) -> Job {
        let s = self.site;
        let l = Linker {
            depth: CONTENT_DEPTH,
        };
        #[derive(Serialize)]
        struct View<'a> {
            title: &'a str,
            summary: &'a str,
            /// The summary when it was written, not derived from the body
            /// the page prints right below it.
            dek: Option<&'a str>,
            date_iso: String,
            date_human: String,
            updated_iso: Option<String>,
            updated_human: Option<String>,
            /// The names of the byline, as shown.
            authors: Vec<&'a str>,
            /// Each name with its author page, when it has a profile.
            bylines: Vec<BylineView<'a>>,
            /// The whole byline ("By A and B") as HTML, each name with a
            /// profile linked to its page; none without authors.
            byline_html: Option<String>,
            body: &'a str,
            know: Option<&'a str>,
            /// The same points for the copy shown after the lead on narrow
            /// screens, with its ids made distinct.
            know_inline: Option<String>,
            key_actors: Vec<ActorCard<'a>>,
            background: Vec<NoteCard<'a>>,
            latest_events: Vec<EventView<'a>>,
            sources: Vec<LinkView<'a>>,
            corrections: Vec<CorrectionView<'a>>,
            topics: Vec<TopicLink<'a>>,
            image: Option<ImageView<'a>>,
            draft: bool,
            /// Dated in the future, built under `--future`.
            scheduled: bool,
        }
        #[derive(Serialize)]
        struct CorrectionView<'a> {
            date_iso: String,
            date_human: String,
            html: &'a str,
        }
        let view = View {
            title: &a.title,
            summary: &a.summary,
            dek: (!a.summary_derived).then_some(a.summary.as_str()),
            date_iso: a.date.html_datetime(),
            date_human: self.words.date(a.date.day),
            updated_iso: a.updated.map(|d| d.html_datetime()),
            updated_human: a.updated.map(|d| self.words.date(d.day)),
            authors: a.bylines.iter().map(|b| b.name.as_str()).collect(),
            bylines: a
                .bylines
                .iter()
                .map(|b| BylineView {
                    name: &b.name,
                    href: s.byline_author(b).map(|a| {
                        l.translated(Section::Authors, a.slug.as_str(), a.fallback.as_ref())
                    }),
                })
                .collect(),
            byline_html: self.byline_html(a, l),
            body: &a.body_html,
            know: a.know_html.as_deref(),
            know_inline: a
                .know_html
                .as_deref()
                .map(|k| k.replace(" id=\"", " id=\"lead-")),
            key_actors: a
                .actors
                .iter()
                .map(|&x| ActorCard::new(&s.actors[x], l))
                .collect(),
            background: a
                .background
                .iter()
                .map(|&n| NoteCard::new(&s.notes[n], l))
                .collect(),
            latest_events: a
                .latest_events
                .iter()
                .map(|&e| EventView::new(s, &s.events[e], l))
                .collect(),
            sources: a
                .sources
                .iter()
                .map(|x| LinkView {
                    name: &x.name,
                    url: &x.url,
                })
                .collect(),
            corrections: a
                .corrections
                .iter()
                .map(|c| CorrectionView {
                    date_iso: c.date.html_datetime(),
                    date_human: self.words.date(c.date.day),
                    html: &c.html,
                })
                .collect(),
            topics: a
                .topics
                .iter()
                .map(|&t| TopicLink {
                    name: &s.topics[t].name,
                    href: l.dir(&format!("topics/{}/", s.topics[t].slug)),
                    count: None,
                })
                .collect(),
            image: a.image.as_ref().map(|i| ImageView::new(i, l)),
            draft: a.draft,
            scheduled: a.scheduled,
        };
        let config = &s.config;
        let url = page_url(config, Section::Articles, a.slug.as_str());
        let meta = Meta {
            title: self.title(&a.title),
            description: excerpt(&a.summary, SUMMARY_CHARS),
            canonical: url.clone(),
            og_type: "article",
            json_ld: vec![
                script_safe_json(&metadata::news_article(s, a)),
                script_safe_json(&metadata::breadcrumbs(&[
                    (&config.title, config.base_url.clone()),
                    (self.words.text("articles"), absolute(config, "articles/")),
                    (&a.title, url),
                ])),
            ],
            image: a
                .image
                .as_ref()
                .map(|i| metadata::absolute_asset(config, &metadata::open_graph_image(i))),
            image_alt: a.image.as_ref().map(|i| i.alt.clone()),
            published: Some(a.date.rfc3339()),
            modified: Some(a.updated.unwrap_or(a.date).rfc3339()),
            tags: a.topics.iter().map(|&t| s.topics[t].name.clone()).collect(),
            feed: None,
        };
        let mut common = self.common(CONTENT_DEPTH, "articles", meta);
        common.embeds_script = self.embeds_script(CONTENT_DEPTH, view.body);
        common.cards = self.hover_cards(
            [view.body]
                .into_iter()
                .chain(view.know)
                .chain(view.latest_events.iter().map(|e| e.html.as_str()))
                .chain(view.corrections.iter().map(|c| c.html)),
        );
        self.job(
            page_dir(Section::Articles, a.slug.as_str()) + "index.html",
            "article.html",
            common,
            "article",
            &view,
        )
    }

    pub(super) fn explainer(&self, n: &Note) -> Job {
        let s = self.site;
        let l = Linker {
            depth: CONTENT_DEPTH,
        };
        #[derive(Serialize)]
        struct View<'a> {
            title: &'a str,
            summary: &'a str,
            /// The summary when it was written, not derived from the body
            /// the page prints right below it.
            dek: Option<&'a str>,
            date_iso: Option<String>,
            date_human: Option<String>,
            updated_iso: Option<String>,
            updated_human: Option<String>,
            body: &'a str,
            timeline: Vec<EventView<'a>>,
            actors: Vec<ActorCard<'a>>,
            related: Vec<NoteCard<'a>>,
            cited_by: Vec<ArticleCard<'a>>,
            draft: bool,
        }
        let mut cited: Vec<usize> = n.cited_by.clone();
        cited.sort();
        let view = View {
            title: &n.title,
            summary: &n.summary,
            dek: (!n.summary_derived).then_some(n.summary.as_str()),
            date_iso: n.date.map(|d| d.html_datetime()),
            date_human: n.date.map(|d| self.words.date(d.day)),
            updated_iso: n.updated.map(|d| d.html_datetime()),
            updated_human: n.updated.map(|d| self.words.date(d.day)),
            body: &n.body_html,
            timeline: n
                .timeline
                .iter()
                .map(|&e| EventView::new(s, &s.events[e], l))
                .collect(),
            actors: n
                .actors
                .iter()
                .map(|&a| ActorCard::new(&s.actors[a], l))
                .collect(),
            related: n
                .related
                .iter()
                .map(|&r| NoteCard::new(&s.notes[r], l))
                .collect(),
            cited_by: cited
                .iter()
                .map(|&a| ArticleCard::new(&s.articles[a], l, self.words))
                .collect(),
            draft: n.draft,
        };
        let config = &s.config;
        let url = page_url(config, Section::Notes, n.slug.as_str());
        let meta = Meta {
            title: self.title(&n.title),
            description: excerpt(&n.summary, SUMMARY_CHARS),
            canonical: url.clone(),
            og_type: "article",
            json_ld: vec![
                script_safe_json(&metadata::explainer(s, n)),
                script_safe_json(&metadata::breadcrumbs(&[
                    (&config.title, config.base_url.clone()),
                    (
                        self.words.text("explainers"),
                        absolute(config, "explainers/"),
                    ),
                    (&n.title, url),
                ])),
            ],
            published: n.date.map(|d| d.rfc3339()),
            modified: n.updated.or(n.date).map(|d| d.rfc3339()),
            ..Meta::default()
        };
        let mut common = self.common(CONTENT_DEPTH, "explainers", meta);
        common.embeds_script = self.embeds_script(CONTENT_DEPTH, view.body);
        common.cards = self.hover_cards(
            std::iter::once(view.body).chain(view.timeline.iter().map(|e| e.html.as_str())),
        );
        self.job(
            page_dir(Section::Notes, n.slug.as_str()) + "index.html",
            "explainer.html",
            common,
            "explainer",
            &view,
        )
    }

    /// Page `number` of an actor's profile: the whole profile on page 1,
    /// and on later pages only the header (name, kind, role) and the next
    /// stories of "Appears in", so they change only with those (what
    /// `affected` assumes).
    pub(super) fn actor(&self, a: &Actor, number: usize) -> Job {
        let s = self.site;
        let dir = page_dir(Section::Actors, a.slug.as_str());
        let page = self.list_page(&dir, a.articles.len(), number);
        let l = page.linker;
        let first = number == 1;
        #[derive(Serialize)]
        struct View<'a> {
            name: &'a str,
            kind: Option<&'static str>,
            role: Option<&'a str>,
            aliases: &'a [String],
            born_iso: Option<String>,
            born_human: Option<String>,
            country: Option<&'a str>,
            /// The country's profile, when the site has a country actor
            /// of that name.
            country_href: Option<String>,
            /// Set when that profile is the default language's, standing
            /// in for a missing translation.
            country_fallback: Option<&'a crate::resolve::Fallback>,
            image: Option<ImageView<'a>>,
            links: Vec<LinkView<'a>>,
            body: &'a str,
            related: Vec<ActorCard<'a>>,
            articles: Vec<ArticleCard<'a>>,
            explainers: Vec<NoteCard<'a>>,
            events: Vec<EventView<'a>>,
            draft: bool,
        }
        // Newest first: articles are numbered newest first, and the
        // backlinks are made in that order.
        debug_assert!(a.articles.is_sorted());
        let view = View {
            name: &a.name,
            kind: a.kind.map(ActorKind::as_str),
            role: a.role.as_deref(),
            aliases: if first { &a.aliases } else { &[] },
            born_iso: a.born.filter(|_| first).map(|b| b.iso()),
            born_human: a.born.filter(|_| first).map(|b| self.words.partial_date(b)),
            // Written as the country's name or one of its aliases in
            // other letter case (`niger`), it shows as the profile writes it.
            country: a.country.as_deref().filter(|_| first).map(|written| {
                let wanted = written.trim().to_lowercase();
                (a.country_actor)
                    .map(|c| &s.actors[c])
                    .and_then(|c| {
                        std::iter::once(&c.name)
                            .chain(&c.aliases)
                            .find(|n| n.trim().to_lowercase() == wanted)
                    })
                    .map_or(written, |n| n.as_str())
            }),
            country_href: (a.country_actor).filter(|_| first).map(|c| {
                let c = &s.actors[c];
                l.translated(Section::Actors, c.slug.as_str(), c.fallback.as_ref())
            }),
            country_fallback: (a.country_actor)
                .filter(|_| first)
                .and_then(|c| s.actors[c].fallback.as_ref()),
            image: (a.image.as_ref())
                .filter(|_| first)
                .map(|i| ImageView::new(i, l)),
            links: a
                .links
                .iter()
                .filter(|_| first)
                .map(|x| LinkView {
                    name: &x.name,
                    url: &x.url,
                })
                .collect(),
            body: if first { &a.body_html } else { "" },
            related: a
                .related
                .iter()
                .filter(|_| first)
                .map(|&r| ActorCard::new(&s.actors[r], l))
                .collect(),
            articles: a.articles[page.range.clone()]
                .iter()
                .map(|&x| ArticleCard::new(&s.articles[x], l, self.words))
                .collect(),
            explainers: a
                .notes
                .iter()
                .filter(|_| first)
                .map(|&n| NoteCard::new(&s.notes[n], l))
                .collect(),
            events: a
                .events
                .iter()
                .filter(|_| first)
                .map(|&e| EventView::new(s, &s.events[e], l))
                .collect(),
            draft: a.draft,
        };
        let config = &s.config;
        let url = page_url(config, Section::Actors, a.slug.as_str());
        let description = match (&a.role, a.summary.is_empty()) {
            (_, false) => excerpt(&a.summary, SUMMARY_CHARS),
            (Some(r), true) => format!("{}: {}", a.name, r),
            (None, true) => a.name.clone(),
        };
        let trail = [
            self.home_crumb(),
            (self.words.text("actors"), absolute(config, "actors/")),
            (&a.name, url.clone()),
        ];
        let mut meta = if !first {
            Meta {
                title: self.title(&a.name),
                description: self
                    .words
                    .format(
                        "actor_later_description",
                        None,
                        &std::collections::HashMap::from([("name", a.name.clone())]),
                    )
                    .unwrap_or_default(),
                canonical: url,
                og_type: "website",
                ..Meta::default()
            }
        } else {
            Meta {
                title: self.title(&a.name),
                description,
                canonical: url.clone(),
                og_type: if a.kind == Some(ActorKind::Person) {
                    "profile"
                } else {
                    "website"
                },
                json_ld: vec![script_safe_json(&metadata::actor(s, a))],
                image: a
                    .image
                    .as_ref()
                    .map(|i| metadata::absolute_asset(config, &metadata::open_graph_image(i))),
                image_alt: a.image.as_ref().map(|i| i.alt.clone()),
                ..Meta::default()
            }
        };
        // Only a public profile with a public article has a feed (see
        // `lists::feed_updated`).
        if !a.draft && lists::any_public(s, &a.articles) {
            meta.feed = Some(self.feed_link(&a.name, &dir, l));
        }
        let mut common = self.list_common(&page, "actors", &trail, meta);
        common.embeds_script = self.embeds_script(CONTENT_DEPTH, view.body);
        common.cards = self.hover_cards(
            std::iter::once(view.body).chain(view.events.iter().map(|e| e.html.as_str())),
        );
        self.job(page.path.clone(), "actor.html", common, "actor", &view)
    }

    /// The byline of `a` ("By A and B", in the interface language) as
    /// HTML: every name escaped, each with a profile a link to its page
    /// (`rel="author"`); none when the article has no authors.
    fn byline_html(&self, a: &Article, l: Linker) -> Option<String> {
        if a.bylines.is_empty() {
            return None;
        }
        let escape = crate::resolve::html_escape;
        // Each name is a private-use marker while the sentence is made
        // and escaped, then replaced by its HTML.
        let marker = |i: usize| format!("\u{E000}{i}\u{E001}");
        let markers: Vec<String> = (0..a.bylines.len()).map(marker).collect();
        let args = std::collections::HashMap::from([("authors", self.words.list(&markers))]);
        let mut html = escape(&self.words.format("byline", None, &args).ok()?);
        for (i, b) in a.bylines.iter().enumerate() {
            let name = match self.site.byline_author(b) {
                Some(author) => {
                    let fallback = author.fallback.as_ref();
                    let href = l.translated(Section::Authors, author.slug.as_str(), fallback);
                    // A profile with no translation is the default
                    // language's, marked like every other such link.
                    let (language, note) = match fallback {
                        Some(f) => (
                            format!(" hreflang=\"{0}\" lang=\"{0}\"", escape(&f.language)),
                            format!(" <span class=\"xref-language\">{}</span>", escape(&f.note)),
                        ),
                        None => Default::default(),
                    };
                    format!(
                        "<a class=\"author-link\" rel=\"author\" href=\"{}\"{language}>{}</a>{note}",
                        escape(&href),
                        escape(&b.name)
                    )
                }
                None => escape(&b.name),
            };
            html = html.replacen(&marker(i), &name, 1);
        }
        Some(html)
    }

    /// Page `number` of an author's page: the profile (photo, role,
    /// links, bio) on the first, then the author's public articles,
    /// newest first, paginated like an actor's "Appears in".
    pub(super) fn author(&self, a: &Author, number: usize) -> Job {
        let s = self.site;
        let dir = page_dir(Section::Authors, a.slug.as_str());
        let page = self.list_page(&dir, a.articles.len(), number);
        let l = page.linker;
        let first = number == 1;
        #[derive(Serialize)]
        struct View<'a> {
            name: &'a str,
            role: Option<&'a str>,
            image: Option<ImageView<'a>>,
            links: Vec<LinkView<'a>>,
            body: &'a str,
            articles: Vec<ArticleCard<'a>>,
            draft: bool,
        }
        let view = View {
            name: &a.name,
            role: a.role.as_deref(),
            image: (a.image.as_ref())
                .filter(|_| first)
                .map(|i| ImageView::new(i, l)),
            links: a
                .links
                .iter()
                .filter(|_| first)
                .map(|url| LinkView {
                    name: link_label(url),
                    url,
                })
                .collect(),
            body: if first { &a.body_html } else { "" },
            articles: a.articles[page.range.clone()]
                .iter()
                .map(|&x| ArticleCard::new(&s.articles[x], l, self.words))
                .collect(),
            draft: a.draft,
        };
        let config = &s.config;
        let url = page_url(config, Section::Authors, a.slug.as_str());
        let args = std::collections::HashMap::from([("name", a.name.clone())]);
        let later = self
            .words
            .format("author_description", None, &args)
            .unwrap_or_default();
        let description = match (&a.role, a.summary.is_empty()) {
            _ if !first => later,
            (_, false) => excerpt(&a.summary, SUMMARY_CHARS),
            (Some(r), true) => format!("{}: {}", a.name, r),
            (None, true) => later,
        };
        let trail = [
            self.home_crumb(),
            (self.words.text("authors"), absolute(config, "authors/")),
            (&a.name, url.clone()),
        ];
        let mut meta = Meta {
            title: self.title(&a.name),
            description,
            canonical: url,
            og_type: if first { "profile" } else { "website" },
            ..Meta::default()
        };
        if first {
            meta.json_ld = vec![script_safe_json(&metadata::author(s, a))];
            meta.image = (a.image.as_ref())
                .map(|i| metadata::absolute_asset(config, &metadata::open_graph_image(i)));
            meta.image_alt = a.image.as_ref().map(|i| i.alt.clone());
        }
        // Only a public profile with a public article has a feed (see
        // `lists::feed_updated`).
        if !a.draft && lists::any_public(s, &a.articles) {
            meta.feed = Some(self.feed_link(&a.name, &dir, l));
        }
        let mut common = self.list_common(&page, "authors", &trail, meta);
        common.embeds_script = self.embeds_script(CONTENT_DEPTH, view.body);
        common.cards = self.hover_cards(std::iter::once(view.body));
        self.job(page.path.clone(), "author.html", common, "author", &view)
    }

    /// A host serves `404.html` at any missing URL, so its links cannot be
    /// relative to one folder: they start from the site's base path.
    pub(super) fn not_found(&self) -> Job {
        let mut common = self.common(
            0,
            "",
            Meta {
                title: self.title(self.words.text("not_found_title")),
                description: self.words.text("not_found_description").into(),
                canonical: absolute(&self.site.config, "404.html"),
                og_type: "website",
                ..Meta::default()
            },
        );
        let base = self.site.config.base_path().to_string();
        let prefix = |href: &str| format!("{base}{href}");
        common.root = base.clone();
        common.nav = Nav {
            home: prefix("index.html"),
            articles: prefix("articles/index.html"),
            explainers: prefix("explainers/index.html"),
            actors: prefix("actors/index.html"),
            topics: prefix("topics/index.html"),
            timeline: prefix("timeline/index.html"),
            feed: self.site_feed(&base),
            search: self
                .search_script
                .is_some()
                .then(|| prefix("search/index.html")),
            authors: (!self.site.own_authors().is_empty()).then(|| prefix("authors/index.html")),
        };
        // The theme's assets and icons are at the output root, above
        // another language's tree; the language switcher's links are
        // relative to this tree's root. Both become paths from the host,
        // since a 404 page is served at any address.
        let from_host = |href: &str| match self.site.config.base.join(href) {
            Ok(url) => url.path().to_string(),
            Err(_) => prefix(href),
        };
        let assets = from_host(self.up);
        common.stylesheet = format!("{assets}{}", self.stylesheet);
        common.cards_script = format!("{assets}{}", self.cards_script);
        common.menus = self.menu_view(|dir| prefix(&format!("{dir}index.html")));
        common.icons = self.icon_links(&assets);
        common.search_script = (self.search_script.as_ref()).map(|s| format!("{assets}{s}"));
        for language in &mut common.languages {
            language.href = from_host(&language.href);
        }
        self.job("404.html".into(), "404.html", common, "not_found", &true)
    }

    pub(super) fn standalone(&self, p: &StandalonePage) -> Job {
        /// A standalone page sits one folder below the root.
        const DEPTH: usize = 1;
        #[derive(Serialize)]
        struct View<'a> {
            title: &'a str,
            summary: &'a str,
            /// The summary when it was written, not derived from the body.
            dek: Option<&'a str>,
            date_iso: Option<String>,
            date_human: Option<String>,
            updated_iso: Option<String>,
            updated_human: Option<String>,
            body: String,
            draft: bool,
        }
        let view = View {
            title: &p.title,
            summary: &p.summary,
            dek: (!p.summary_derived).then_some(p.summary.as_str()),
            date_iso: p.date.map(|d| d.html_datetime()),
            date_human: p.date.map(|d| self.words.date(d.day)),
            updated_iso: p.updated.map(|d| d.html_datetime()),
            updated_human: p.updated.map(|d| self.words.date(d.day)),
            body: rebase(&p.body_html, CONTENT_DEPTH, DEPTH),
            draft: p.draft,
        };
        let config = &self.site.config;
        let url = page_url(config, Section::Pages, p.slug.as_str());
        let meta = Meta {
            title: self.title(&p.title),
            description: excerpt(&p.summary, SUMMARY_CHARS),
            canonical: url.clone(),
            og_type: "website",
            json_ld: vec![script_safe_json(&metadata::breadcrumbs(&[
                (&config.title, config.base_url.clone()),
                (&p.title, url),
            ]))],
            published: p.date.map(|d| d.rfc3339()),
            modified: p.updated.or(p.date).map(|d| d.rfc3339()),
            ..Meta::default()
        };
        let mut common = self.common(DEPTH, "", meta);
        let own = Linker { depth: DEPTH }.page(Section::Pages, p.slug.as_str());
        for link in common
            .menus
            .header
            .iter_mut()
            .chain(&mut common.menus.footer)
        {
            link.current = link.href == own;
        }
        common.cards = self.hover_cards(std::iter::once(view.body.as_str()));
        common.embeds_script = self.embeds_script(DEPTH, &view.body);
        self.job(
            page_dir(Section::Pages, p.slug.as_str()) + "index.html",
            "page.html",
            common,
            "page",
            &view,
        )
    }

    /// The search page (only when `[search] enabled`): a form the search
    /// script brings to life; without JavaScript, or opened from disk, it
    /// says what search needs.
    pub(super) fn search_page(&self) -> Job {
        let common = self.common(
            1,
            "search",
            self.list_meta(
                self.words.text("search"),
                "search/",
                (self.words)
                    .format(
                        "search_description",
                        None,
                        &std::collections::HashMap::from([(
                            "site",
                            self.site.config.title.clone(),
                        )]),
                    )
                    .unwrap_or_default(),
            ),
        );
        self.job(
            "search/index.html".into(),
            "search.html",
            common,
            "search",
            &true,
        )
    }
}

/// The label of a link of an author's: its host, without `www.`
/// (`https://www.example.org/me` -> `example.org`), else the URL.
fn link_label(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.strip_prefix("www.").unwrap_or(host);
    if host.is_empty() {
        url
    } else {
        host
    }
}

#[cfg(test)]
mod tests {
    use super::link_label;

    #[test]
    fn an_author_link_is_labelled_by_its_host() {
        assert_eq!(link_label("https://www.example.org/me"), "example.org");
        assert_eq!(
            link_label("https://mastodon.social/@ana"),
            "mastodon.social"
        );
        assert_eq!(link_label("http://ana.example?x=1"), "ana.example");
        assert_eq!(link_label("https://"), "https://");
    }
}
