//! Redirects from old URLs: every `aliases` entry of a page's front matter
//! (`url_aliases` for actors, whose `aliases` are names) becomes an output
//! file at the old URL that sends readers on to the page. Checked here:
//! an alias is a plain path inside the output (no `..`, no hidden or
//! `.git` folder, no URL), and it may take neither a page's place nor
//! another alias's. On a multilingual site each language's tree checks
//! its own aliases (another language's are paths in its tree, `fr/...`),
//! and [`check_across_trees`] the default language's aliases that lead
//! into another tree.

use rustc_hash::FxHashMap as HashMap;

use super::links::{page_dir, ROOT_FOLDERS};
use crate::diagnostics::Diagnostic;
use crate::load::Page;
use crate::model::{Section, MAX_SLUG_BYTES};

/// One old URL and the page it now leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The file written at the old URL, relative to the root of its
    /// language's tree (`articles/old-slug/index.html`, or
    /// `2023/story.html` as given).
    pub from: String,
    /// The page's folder, relative to that root (`articles/new/`).
    pub to: String,
    /// The page's title, for the link on the redirect page.
    pub title: String,
    /// The alias as written, and where (a diagnostic without a message),
    /// for the problems found once every language's tree is resolved.
    pub alias: String,
    pub at: Box<Diagnostic>,
}

/// The files of the output root that are not pages of a section.
const ROOT_FILES: &[&str] = &[
    "index.html",
    "404.html",
    "feed.xml",
    "sitemap.xml",
    "robots.txt",
    "_headers",
    "_redirects",
];

/// One page's aliases, as read from its front matter: where they point
/// and the page to point the errors at.
pub(super) struct Aliases<'a, M> {
    pub(super) page: &'a Page<M>,
    pub(super) section: Section,
    /// The front-matter key they are under.
    pub(super) key: &'static str,
    pub(super) aliases: &'a [String],
    pub(super) title: &'a str,
}

/// Who owns an output path already: a sentence for messages, and
/// whether it is another alias.
struct Owner {
    what: String,
    alias: bool,
    /// For an alias, the page folder it leads to.
    to: Option<String>,
    /// Whether it is a file of `static/`.
    static_file: bool,
}

/// The hint for an alias where a file of `static/` is published.
const STATIC_HELP: &str =
    "an alias may not take the place of a static file: remove the alias or rename the static file";

/// Collects the redirects of every page, reporting each bad or colliding
/// alias at its place in the front matter. `pages` lists every published
/// page's output folder with its source (for messages), `topics` the
/// topic slugs, `statics` the files of `static/` (output paths from the
/// output root, whichever tree this is).
pub(super) struct Collector {
    taken: HashMap<String, Owner>,
    /// Every path of `taken` by its lowercase form: a host or file system
    /// that ignores case (macOS, Windows, many CDNs) takes paths that
    /// differ only by case as the same file.
    folded: HashMap<String, String>,
    pub(super) redirects: Vec<Redirect>,
    pub(super) errors: Vec<Diagnostic>,
    /// The language tree (``, `fr/`), for messages.
    tree: String,
    /// The files of `static/` published in this tree, by their path in
    /// it, each as shown in messages (`static/fr/x.html`): an alias may
    /// neither be one nor need a folder where one is (`favicon.svg/`).
    statics: HashMap<String, String>,
}

impl Collector {
    /// The collector of the language tree at `tree` (``, `fr/`), whose
    /// paths are relative to that tree; `tree` names them in messages.
    pub(super) fn new<'p>(
        tree: &str,
        pages: impl IntoIterator<Item = (Section, &'p str, &'p std::path::Path)>,
        topics: impl IntoIterator<Item = &'p str>,
        statics: &[String],
    ) -> Self {
        let mut taken = HashMap::default();
        for file in ROOT_FILES {
            taken.insert(
                file.to_string(),
                Owner {
                    what: format!("the site's own {tree}{file}"),
                    alias: false,
                    to: None,
                    static_file: false,
                },
            );
        }
        for folder in ROOT_FOLDERS {
            taken.insert(
                format!("{folder}/index.html"),
                Owner {
                    what: format!("the site's own {tree}{folder}/ page"),
                    alias: false,
                    to: None,
                    static_file: false,
                },
            );
        }
        for (section, slug, source) in pages {
            taken.insert(
                format!("{}index.html", page_dir(section, slug)),
                Owner {
                    what: format!("the {} {}", section.noun(), source.display()),
                    alias: false,
                    to: None,
                    static_file: false,
                },
            );
        }
        for topic in topics {
            taken.insert(
                format!("topics/{topic}/index.html"),
                Owner {
                    what: format!("the topic page {tree}topics/{topic}/"),
                    alias: false,
                    to: None,
                    static_file: false,
                },
            );
        }
        let statics: HashMap<String, String> = statics
            .iter()
            .filter_map(|path| {
                let inside = path.strip_prefix(tree)?;
                Some((inside.to_string(), format!("static/{path}")))
            })
            .collect();
        for (inside, shown) in &statics {
            // The site's own files are named as such: a static file
            // there is reported where it is published.
            taken.entry(inside.clone()).or_insert_with(|| Owner {
                what: format!("the static file {shown}"),
                alias: false,
                to: None,
                static_file: true,
            });
        }
        let folded = taken
            .keys()
            .map(|k| (k.to_lowercase(), k.clone()))
            .collect();
        Collector {
            taken,
            folded,
            redirects: Vec::new(),
            errors: Vec::new(),
            tree: tree.to_string(),
            statics,
        }
    }

    pub(super) fn add<M>(&mut self, a: Aliases<M>) {
        let slug = a.page.slug.as_str();
        let to = page_dir(a.section, slug);
        for (i, alias) in a.aliases.iter().enumerate() {
            let repeat = a.aliases[..i]
                .iter()
                .filter(|&earlier| earlier == alias)
                .count();
            let at = |message: String| a.page.error_at_nth_value(a.key, alias, repeat, message);
            let written = self.in_tree(alias);
            let from = match alias_path(&written, a.section) {
                Ok(from) => from,
                Err((message, help)) => {
                    // Quoted as the page writes it.
                    let message =
                        message.replacen(&format!("\"{written}\""), &format!("\"{alias}\""), 1);
                    self.errors.push(at(message).with_help(help));
                    continue;
                }
            };
            if let Some((message, help)) = self.conflict(alias, &from, Some(&to)) {
                self.errors.push(at(message).with_help(help));
                continue;
            }
            let here = at(String::new());
            self.claim(&from, &to, &here);
            self.redirects.push(Redirect {
                from,
                to: to.clone(),
                title: a.title.to_string(),
                alias: alias.clone(),
                at: Box::new(here),
            });
        }
    }

    /// `alias` as a path of this tree: in another language's tree a path
    /// written from the output root through the tree's own folder
    /// (`/fr/articles/old`, as the old URL reads) is the same as one from
    /// the tree's root (`/articles/old`).
    fn in_tree(&self, alias: &str) -> String {
        let trimmed = alias.trim();
        let path = trimmed.strip_prefix('/').unwrap_or(trimmed);
        if self.tree.is_empty() {
            return alias.to_string();
        }
        // `/fr` alone is the tree's front page, as `/fr/` is.
        if path == self.tree.trim_end_matches('/') {
            return "/".to_string();
        }
        match path.strip_prefix(self.tree.as_str()) {
            Some(inside) => format!("/{inside}"),
            None => alias.to_string(),
        }
    }

    /// Records the alias written at `here` as the owner of `from`,
    /// leading to the page folder `to`.
    fn claim(&mut self, from: &str, to: &str, here: &Diagnostic) {
        self.folded.insert(from.to_lowercase(), from.to_string());
        self.taken.insert(
            from.to_string(),
            Owner {
                what: format!(
                    "another alias, at {}:{}:{}",
                    here.path.display(),
                    here.line,
                    here.column
                ),
                alias: true,
                to: Some(to.to_string()),
                static_file: false,
            },
        );
    }

    /// Why `alias`, at the output path `from` of this tree, may not be
    /// written there: what already is (a message naming it, and a hint).
    /// `to` is the folder of the alias's page when it is in this tree.
    fn conflict(&self, alias: &str, from: &str, to: Option<&str>) -> Option<(String, String)> {
        if let Some(list) = list_page_of(from) {
            return Some((
                format!("alias \"{alias}\" is where the site writes {list}"),
                "an alias may not take the place of a page: write another old URL".into(),
            ));
        }
        if let Some(owner) = self.taken.get(from) {
            if to.is_some() && owner.to.as_deref() == to {
                return Some((
                    format!(
                        "alias \"{alias}\" is given twice for this page (first at {})",
                        owner.what.trim_start_matches("another alias, at ")
                    ),
                    "one is enough: remove the repeat".into(),
                ));
            }
            let help = if owner.static_file {
                STATIC_HELP
            } else if owner.alias {
                "one old URL can lead to one page only: keep this alias on one of them"
            } else if to.is_some_and(|to| from == format!("{to}index.html")) {
                "an alias is an old URL of the page; this is its URL now: remove it"
            } else {
                "an alias may not take the place of a page: remove it or write another old URL"
            };
            return Some((
                format!("alias \"{alias}\" is the URL of {}", owner.what),
                help.into(),
            ));
        }
        // The redirect page is a file in a folder: a static file may
        // not stand where one of its folders is.
        if let Some(shown) =
            (from.match_indices('/')).find_map(|(at, _)| self.statics.get(&from[..at]))
        {
            return Some((
                format!(
                    "alias \"{alias}\" needs a folder where the static file {shown} is published"
                ),
                STATIC_HELP.into(),
            ));
        }
        self.case_conflict(alias, from)
    }

    /// The path of this tree that `from` differs from only by letter case,
    /// as [`Collector::conflict`] reports it.
    fn case_conflict(&self, alias: &str, from: &str) -> Option<(String, String)> {
        let other = self.folded.get(&from.to_lowercase())?;
        let owner = &self.taken[other];
        Some((
            format!(
                "alias \"{alias}\" differs only by letter case from the URL {}{} of {}",
                self.tree,
                other.strip_suffix("index.html").unwrap_or(other),
                owner.what
            ),
            "hosts and file systems that ignore case (macOS, Windows, many CDNs) take them as the same file: \
             write the alias in another spelling, or remove it"
                .into(),
        ))
    }
}

/// What one language tree writes that an alias may collide with: its
/// own pages (section, slug, source file), its topics and its aliases.
/// Taken from a resolved [`super::Site`] ([`TreePaths::of`]), or kept by
/// [`super::resolve_tree`] from a tree that failed to resolve, so the
/// collisions across trees are reported with its other errors.
#[derive(Debug, Clone, Default)]
pub struct TreePaths {
    /// The tree's folder (``, `fr/`).
    pub tree: String,
    pub pages: Vec<(Section, String, std::path::PathBuf)>,
    pub topics: Vec<String>,
    pub redirects: Vec<Redirect>,
}

impl TreePaths {
    /// The files this tree's render is sure to write, from the output
    /// root, known before it renders: the site's own files, the lists'
    /// first pages, each page and each topic page. A build stopped by
    /// content errors checks `static/` against these, so a static file
    /// in the place of one is reported with the other errors.
    pub fn generated_files(&self, search: bool) -> Vec<String> {
        let tree = &self.tree;
        let root = tree.is_empty();
        let own = ["index.html", "404.html", "feed.xml"]
            .into_iter()
            .chain(
                root.then_some(["sitemap.xml", "robots.txt"])
                    .into_iter()
                    .flatten(),
            )
            .map(str::to_string);
        let lists = ["actors", "articles", "explainers", "timeline", "topics"]
            .into_iter()
            .chain(search.then_some("search"))
            .chain(
                self.pages
                    .iter()
                    .any(|(s, _, _)| *s == Section::Authors)
                    .then_some("authors"),
            )
            .map(|folder| format!("{folder}/index.html"));
        let pages = self
            .pages
            .iter()
            .map(|(section, slug, _)| format!("{}index.html", page_dir(*section, slug)));
        let topics = self.topics.iter().flat_map(|t| {
            [
                format!("topics/{t}/index.html"),
                format!("topics/{t}/feed.xml"),
            ]
        });
        own.chain(lists)
            .chain(pages)
            .chain(topics)
            .map(|path| format!("{tree}{path}"))
            .collect()
    }

    /// The paths of a resolved tree.
    pub fn of(site: &super::Site) -> TreePaths {
        fn listed<T>(
            section: Section,
            list: &[T],
            of: impl Fn(&T) -> (&str, &std::path::Path),
        ) -> Vec<(Section, String, std::path::PathBuf)> {
            list.iter()
                .map(|p| {
                    let (slug, source) = of(p);
                    (section, slug.to_string(), source.to_path_buf())
                })
                .collect()
        }
        TreePaths {
            tree: site.config.tree.clone(),
            pages: [
                listed(Section::Articles, site.own_articles(), |p| {
                    (p.slug.as_str(), &p.source)
                }),
                listed(Section::Notes, site.own_notes(), |p| {
                    (p.slug.as_str(), &p.source)
                }),
                listed(Section::Actors, site.own_actors(), |p| {
                    (p.slug.as_str(), &p.source)
                }),
                listed(Section::Pages, site.own_pages(), |p| {
                    (p.slug.as_str(), &p.source)
                }),
                listed(Section::Authors, site.own_authors(), |p| {
                    (p.slug.as_str(), &p.source)
                }),
            ]
            .concat(),
            topics: site
                .topics
                .iter()
                .map(|t| t.slug.as_str().to_string())
                .collect(),
            redirects: site.redirects.clone(),
        }
    }
}

/// The default language's aliases that lead into another language's tree
/// (`fr/articles/x`), checked against that tree's pages, lists and
/// aliases as its own are: an error naming both for each that collides.
/// `default` is the default language's tree, `trees` the others'; each
/// may come from a tree that failed to resolve (see [`TreePaths`]).
pub fn check_across_trees(default: &TreePaths, trees: &[TreePaths]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for tree in trees {
        let prefix = tree.tree.as_str();
        let entering: Vec<&Redirect> = (default.redirects.iter())
            .filter(|r| starts_with_folded(&r.from, prefix))
            .collect();
        if entering.is_empty() {
            continue;
        }
        let mut collector = Collector::new(
            prefix,
            (tree.pages.iter())
                .map(|(section, slug, source)| (*section, slug.as_str(), source.as_path())),
            tree.topics.iter().map(String::as_str),
            &[],
        );
        for r in &tree.redirects {
            collector.claim(&r.from, &r.to, &r.at);
        }
        for r in entering {
            let inside = &r.from[prefix.len()..];
            let problem = if r.from.starts_with(prefix) {
                collector.conflict(&r.alias, inside, None)
            } else {
                collector.case_conflict(&r.alias, inside)
            };
            if let Some((message, help)) = problem {
                let mut d = (*r.at).clone();
                d.message = message;
                errors.push(d.with_help(help));
            }
        }
    }
    errors
}

/// Whether `path` starts with `prefix`, ignoring letter case.
fn starts_with_folded(path: &str, prefix: &str) -> bool {
    !prefix.is_empty()
        && path
            .get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

/// What the build may write at `from` (an output file) besides the pages
/// and topics a collector knows by name: the later pages of a list
/// (`articles/page/2/`, `actors/x/page/3/`), the timeline's year pages
/// (and any page under `timeline/`), and the search index (`pagefind/`).
fn list_page_of(from: &str) -> Option<&'static str> {
    let parts: Vec<&str> = from.split('/').collect();
    let later_page = parts
        .windows(2)
        .any(|w| w[0] == "page" && w[1].parse::<u32>().is_ok());
    // A feed (the site's, a topic's, an actor's, an author's) or a part
    // of the sitemap is a file: an alias through it would need a folder.
    let through_a_file = parts[..parts.len().saturating_sub(1)]
        .iter()
        .any(|p| *p == "feed.xml" || (p.starts_with("sitemap") && p.ends_with(".xml")));
    if through_a_file {
        return Some("its feeds and sitemap");
    }
    match parts.as_slice() {
        ["pagefind", ..] => Some("its search index"),
        ["timeline", _, _, ..] => Some("the timeline's pages"),
        [first, ..] if later_page && ROOT_FOLDERS.contains(first) => {
            Some("the later pages of its lists")
        }
        _ => None,
    }
}

/// The output file an alias names: a single segment (`old-slug`) is an
/// old slug of the page's own section (`articles/old-slug/index.html`;
/// at the root for standalone pages); a path with a `/` starts at the
/// root (of the site, or of the page's language tree) (`articles/2023/old-path` or `/2023/old-path/`). A path
/// ending in `.html` is that file; any other is a folder, served by its
/// `index.html`. Errors: the message and a hint.
pub fn alias_path(alias: &str, section: Section) -> Result<String, (String, String)> {
    let bad = |why: &str, help: &str| Err((format!("alias \"{alias}\" {why}"), help.to_string()));
    let trimmed = alias.trim();
    if trimmed.contains("://") || trimmed.starts_with("//") {
        return bad(
            "is a URL",
            "an alias is a path on this site, such as \"articles/2023/old-slug\"",
        );
    }
    let path = trimmed.trim_matches('/');
    if path.is_empty() {
        return bad(
            "names the site's front page",
            "write the old path of this page, such as \"articles/2023/old-slug\"",
        );
    }
    for segment in path.split('/') {
        if segment.is_empty() {
            return bad(
                "has an empty folder (`//`)",
                "write each folder once: \"a/b\"",
            );
        }
        if segment == "." || segment == ".." {
            return bad(
                "climbs with `.` or `..`",
                "an alias is a path from the site's root, inside the site",
            );
        }
        if segment.starts_with('.') || crate::write::is_git_name(segment.as_ref()) {
            return bad(
                "names a hidden folder or file",
                "aliases cannot start a folder or file with `.` (`.git` included)",
            );
        }
        if segment.len() > MAX_SLUG_BYTES {
            return bad(
                &format!("has a folder name over {MAX_SLUG_BYTES} bytes"),
                "shorten it",
            );
        }
        if let Some(c) = segment
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~')))
        {
            return bad(
                &format!("holds {c:?}"),
                "an alias is made of letters, digits, `-`, `_`, `.` and `~`, with `/` between folders",
            );
        }
    }
    if let Some(first) = ROOT_FILES.iter().find(|f| {
        path.split('/').next() == Some(**f) && (path.contains('/') || !path.ends_with(".html"))
    }) {
        return bad(
            &format!("goes through the file {first}"),
            "write the old path of this page, such as \"articles/2023/old-slug\"",
        );
    }
    let rooted = trimmed.starts_with('/') || path.contains('/');
    let mut from = if rooted || section == Section::Pages {
        path.to_string()
    } else {
        format!("{}/{path}", section.output_folder())
    };
    if !from.to_ascii_lowercase().ends_with(".html") {
        from.push_str("/index.html");
    }
    Ok(from)
}

/// The `_redirects` file of Netlify and Cloudflare Pages: one
/// `from to 301` line per redirect, both paths under `base_path` (the
/// path of `base_url`, `/` or `/repo/`), after the site's own rules
/// (`own`, from `static/_redirects`), since the first rule that matches
/// wins.
pub fn netlify_redirects<'a>(
    redirects: impl IntoIterator<Item = &'a Redirect>,
    base_path: &str,
    own: &str,
) -> String {
    let mut out = String::from(own);
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    for r in redirects {
        let from = r.from.strip_suffix("index.html").unwrap_or(&r.from);
        out.push_str(&format!("{base_path}{from} {base_path}{} 301\n", r.to));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_become_output_files() {
        let ok = |a, s| alias_path(a, s).unwrap();
        assert_eq!(
            ok("old-slug", Section::Articles),
            "articles/old-slug/index.html"
        );
        assert_eq!(
            ok("old-slug", Section::Notes),
            "explainers/old-slug/index.html"
        );
        assert_eq!(ok("old-slug", Section::Pages), "old-slug/index.html");
        assert_eq!(ok("/old-slug/", Section::Articles), "old-slug/index.html");
        assert_eq!(
            ok("articles/2023/old-path", Section::Notes),
            "articles/2023/old-path/index.html"
        );
        assert_eq!(
            ok("/2023/10/story.html", Section::Articles),
            "2023/10/story.html"
        );
    }

    #[test]
    fn aliases_stay_inside_the_output() {
        for bad in [
            "",
            "/",
            "../outside",
            "a/../../b",
            "./x",
            ".git/hooks",
            "a/.GIT/config",
            "a/git~1/x",
            ".well-known",
            "https://example.org/x",
            "//example.org/x",
            "a//b",
            "a b",
            "a\\b",
            "a?b",
            "a%2e",
            "feed.xml",
            "_headers/x",
            "ünïcode",
        ] {
            assert!(
                alias_path(bad, Section::Articles).is_err(),
                "{bad:?} accepted"
            );
        }
    }

    #[test]
    fn netlify_rules_respect_the_base_path() {
        let r = [Redirect {
            from: "articles/old/index.html".into(),
            to: "articles/new/".into(),
            title: "New".into(),
            alias: "old".into(),
            at: Box::new(Diagnostic::in_file(
                "content/articles/new.md".as_ref(),
                4,
                13,
                "",
            )),
        }];
        assert_eq!(
            netlify_redirects(&r, "/repo/", "/x /y 302"),
            "/x /y 302\n/repo/articles/old/ /repo/articles/new/ 301\n"
        );
    }
}
