//! Link targets: what a wikilink may point at, how a page's URL is spelt
//! relative to another page, and which URLs are refused outright.

use rustc_hash::FxHashMap as HashMap;

use crate::model::{Section, Slug};

/// A page of the site: its section and its index within that section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Target {
    pub section: Section,
    pub index: usize,
}

/// The output folder of a page, relative to the output root
/// (`actors/emmanuel-macron/`, `about/` for a standalone page).
pub fn page_dir(section: Section, slug: &str) -> String {
    match section {
        Section::Pages => format!("{slug}/"),
        _ => format!("{}/{}/", section.output_folder(), slug),
    }
}

/// The `data-xref` of a link to a page (`actors/emmanuel-macron`,
/// `pages/about`), which hover cards and anchor fixes look up.
pub fn xref(section: Section, slug: &str) -> String {
    match section {
        Section::Pages => format!("pages/{slug}"),
        _ => format!("{}/{slug}", section.output_folder()),
    }
}

/// The folders the site itself publishes at the output root (sections,
/// lists, and those of search and author pages), which no standalone page
/// may take as its slug.
pub const ROOT_FOLDERS: &[&str] = &[
    "actors",
    "articles",
    "authors",
    "explainers",
    "pagefind",
    "search",
    "topics",
    "timeline",
];

/// A link from a page `depth` folders below the output root to a folder
/// of the site. Links name `index.html` explicitly so the output works at
/// a domain root, under a sub-path and opened straight from disk.
pub fn relative_href(depth: usize, dir: &str) -> String {
    // Allocated once at its final size: grown piece by piece, the 66,000
    // links of a 1,000-article build each reallocated twice.
    const INDEX: &str = "index.html";
    let index = dir.is_empty() || dir.ends_with('/');
    let mut href =
        String::with_capacity(3 * depth + dir.len() + if index { INDEX.len() } else { 0 });
    for _ in 0..depth {
        href.push_str("../");
    }
    href.push_str(dir);
    if index {
        href.push_str(INDEX);
    }
    href
}

/// What a wikilink needs to know about each page.
#[derive(Debug, Clone)]
pub struct TargetInfo {
    pub title: String,
    pub slug: Slug,
}

/// Every page a wikilink can reach, by slug.
#[derive(Debug, Default)]
pub struct LinkTargets {
    by_slug: HashMap<String, Vec<Target>>,
    info: HashMap<Target, TargetInfo>,
    /// Pages that failed to load: links to them are not reported again.
    unavailable: rustc_hash::FxHashSet<(Section, String)>,
    /// Drafts left out of this build, so a link to one can say so.
    drafts: rustc_hash::FxHashSet<(Section, String)>,
    /// Articles dated in the future, left out of this build.
    held_back: rustc_hash::FxHashSet<String>,
    /// In another language's tree, the default language's pages that
    /// stand in for pages it has no translation of, and that language.
    fallback: rustc_hash::FxHashSet<Target>,
    fallback_language: String,
}

/// How a wikilink destination failed to resolve.
#[derive(Debug, PartialEq, Eq)]
pub enum WikiError {
    Unknown {
        help: Option<String>,
    },
    Ambiguous(Vec<Section>),
    /// The page exists but failed to load; its own error says why.
    Unavailable,
    /// The page is a draft left out of this build.
    Draft(Section),
    /// The article is dated in the future and left out of this build.
    HeldBack,
}

impl LinkTargets {
    pub fn insert(&mut self, target: Target, info: TargetInfo) {
        self.by_slug
            .entry(info.slug.as_str().to_string())
            .or_default()
            .push(target);
        self.info.insert(target, info);
    }

    /// Lets a link reach `target` by `name` too (a translation by its
    /// original's slug), unless a page of its section has that slug: call
    /// it once every page is inserted.
    pub fn insert_other_name(&mut self, target: Target, name: &str) {
        let targets = self.by_slug.entry(name.to_string()).or_default();
        if !targets.iter().any(|t| t.section == target.section) {
            targets.push(target);
        }
    }

    pub fn mark_unavailable(&mut self, section: Section, slug: &str) {
        self.unavailable.insert((section, slug.to_string()));
    }

    pub fn mark_draft(&mut self, section: Section, slug: &str) {
        self.drafts.insert((section, slug.to_string()));
    }

    pub fn mark_held_back(&mut self, slug: &str) {
        self.held_back.insert(slug.to_string());
    }

    /// Marks `target` as a page of the default language `language`,
    /// linked from another language's tree for want of a translation.
    pub fn mark_fallback(&mut self, target: Target, language: &str) {
        self.fallback.insert(target);
        self.fallback_language = language.to_string();
    }

    /// The language of `target` when it is a default-language page
    /// standing in for a missing translation (see [`Self::mark_fallback`]).
    pub fn fallback_language(&self, target: Target) -> Option<&str> {
        self.fallback
            .contains(&target)
            .then_some(self.fallback_language.as_str())
    }

    pub fn info(&self, target: Target) -> &TargetInfo {
        &self.info[&target]
    }

    /// Resolves `slug`, `section/slug` (with `section` one of articles,
    /// notes, actors). The anchor is split off by the caller.
    pub fn resolve(&self, dest: &str) -> Result<Target, WikiError> {
        let dest = dest.trim();
        let (section, slug) = match dest.split_once('/') {
            Some((folder, slug)) => match Section::from_folder(folder) {
                Some(s) => (Some(s), slug),
                None => (None, dest),
            },
            None => (None, dest),
        };
        let candidates: Vec<Target> = self
            .by_slug
            .get(slug)
            .map(|v| {
                v.iter()
                    .copied()
                    .filter(|t| section.is_none_or(|s| t.section == s))
                    .collect()
            })
            .unwrap_or_default();
        let failed = self
            .unavailable
            .iter()
            .any(|(s, failed_slug)| failed_slug == slug && section.is_none_or(|want| want == *s));
        match candidates.as_slice() {
            [one] => Ok(*one),
            [] if failed => Err(WikiError::Unavailable),
            [] if section.is_none_or(|s| s == Section::Articles)
                && self.held_back.contains(slug) =>
            {
                Err(WikiError::HeldBack)
            }
            [] => match Section::ALL.into_iter().find(|s| {
                section.is_none_or(|want| want == *s)
                    && self.drafts.contains(&(*s, slug.to_string()))
            }) {
                Some(s) => Err(WikiError::Draft(s)),
                None => Err(WikiError::Unknown {
                    help: self.suggest(section, slug),
                }),
            },
            many => Err(WikiError::Ambiguous(
                many.iter().map(|t| t.section).collect(),
            )),
        }
    }

    /// A did-you-mean for an unknown slug: the nearest slug, or the page
    /// whose title or name was written instead of its slug.
    fn suggest(&self, section: Option<Section>, wanted: &str) -> Option<String> {
        let in_section = |t: &&Target| section.is_none_or(|s| t.section == s);
        let by_title = self
            .info
            .iter()
            .filter(|(t, _)| in_section(t))
            .find(|(_, i)| {
                i.title.eq_ignore_ascii_case(wanted.trim())
                    || crate::model::slugify(&i.title) == crate::model::slugify(wanted)
            });
        if let Some((_, info)) = by_title {
            return Some(format!("did you mean \"{}\"?", info.slug));
        }
        let slugs = self
            .info
            .iter()
            .filter(|(t, _)| in_section(t))
            .map(|(_, i)| i.slug.as_str());
        crate::diagnostics::did_you_mean(wanted, slugs)
    }

    /// Every slug of a section, for did-you-mean hints on front matter.
    pub fn slugs_of(&self, section: Section) -> impl Iterator<Item = &str> {
        self.info
            .iter()
            .filter(move |(t, _)| t.section == section)
            .map(|(_, i)| i.slug.as_str())
    }
}

/// A link destination that would run script when clicked, or smuggle a
/// document in: `javascript:`, `vbscript:` and `data:` URLs. Browsers
/// ignore ASCII whitespace and control characters inside the scheme and
/// compare it case-insensitively, so the check does too. Entities are
/// already decoded by the Markdown parser (and front matter has none).
pub fn is_script_url(url: &str) -> bool {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control() && *c != '\u{0}')
        .take_while(|c| *c != ':' && *c != '/' && *c != '?' && *c != '#')
        .collect::<String>()
        .to_ascii_lowercase();
    let has_colon = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .nth(scheme.chars().count())
        == Some(':');
    has_colon && matches!(scheme.as_str(), "javascript" | "vbscript" | "data")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_href_is_what_it_was_when_grown_piece_by_piece() {
        let grown = |depth: usize, dir: &str| {
            let mut href = "../".repeat(depth);
            href.push_str(dir);
            if dir.is_empty() || dir.ends_with('/') {
                href.push_str("index.html");
            }
            href
        };
        for depth in 0..6 {
            for dir in [
                "",
                "articles/",
                "articles/a/",
                "feed.xml",
                "é/",
                "a/b/c.html",
            ] {
                let href = relative_href(depth, dir);
                assert_eq!(href, grown(depth, dir));
                assert_eq!(href.capacity(), href.len(), "{href}");
            }
        }
    }

    #[test]
    fn relative_hrefs_climb_to_the_root() {
        assert_eq!(relative_href(0, ""), "index.html");
        assert_eq!(relative_href(2, "actors/x/"), "../../actors/x/index.html");
        assert_eq!(relative_href(1, "feed.xml"), "../feed.xml");
    }

    #[test]
    fn script_urls_are_recognised_in_disguise() {
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " java\tscript:alert(1)",
            "vbscript:msgbox",
            "data:text/html;base64,xx",
            "\u{1}javascript:x",
        ] {
            assert!(is_script_url(bad), "{bad:?}");
        }
        for good in [
            "https://reuters.com",
            "../x/",
            "#javascript:",
            "mailto:a@b",
            "/data:x",
            "notes-javascript",
        ] {
            assert!(!is_script_url(good), "{good:?}");
        }
    }

    fn targets() -> LinkTargets {
        let mut t = LinkTargets::default();
        let info = |title: &str, slug: &str| TargetInfo {
            title: title.into(),
            slug: Slug::parse(slug).unwrap(),
        };
        t.insert(
            Target {
                section: Section::Actors,
                index: 0,
            },
            info("Niger", "niger"),
        );
        t.insert(
            Target {
                section: Section::Notes,
                index: 0,
            },
            info("Niger explained", "niger"),
        );
        t.insert(
            Target {
                section: Section::Actors,
                index: 1,
            },
            info("Emmanuel Macron", "emmanuel-macron"),
        );
        t
    }

    #[test]
    fn resolves_bare_and_qualified_slugs() {
        let t = targets();
        assert_eq!(t.resolve("emmanuel-macron").unwrap().index, 1);
        assert_eq!(t.resolve("notes/niger").unwrap().section, Section::Notes);
        assert_eq!(
            t.resolve("niger"),
            Err(WikiError::Ambiguous(vec![Section::Actors, Section::Notes]))
        );
    }

    #[test]
    fn unknown_slugs_get_a_suggestion_by_slug_or_title() {
        let t = targets();
        let help = |d| match t.resolve(d) {
            Err(WikiError::Unknown { help }) => help,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            help("emanuel-macron").as_deref(),
            Some("did you mean \"emmanuel-macron\"?")
        );
        assert_eq!(
            help("Emmanuel Macron").as_deref(),
            Some("did you mean \"emmanuel-macron\"?")
        );
    }
}
