//! A build session for the preview server: the first build, then rebuilds
//! after edits, keeping between them what makes a rebuild cheap (the
//! fingerprints of every page written). A failed rebuild leaves the last
//! good output in place and reports its errors; the session goes on.

// Fx hashing: these maps hold slugs and paths, never hostile keys, and
// the default SipHash showed up in rebuild profiles.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::cache::BuildCache;
use crate::diagnostics::Diagnostics;
use crate::load::{self, ContentFiles};
use crate::render::affected::{self, SiteDigests};
use crate::resolve::Site;
use crate::{finish, load_options, output_dir, write, BuildError, BuildOptions, Reuse};

/// The result of one (re)build.
#[derive(Debug)]
pub enum Rebuild {
    /// The output is up to date; `changed` lists the output paths written
    /// or removed (`/`-separated), so open pages showing them can reload.
    Built {
        changed: Vec<String>,
        pages: usize,
        elapsed: Duration,
        /// How long each stage took.
        timings: crate::Timings,
        /// The path of the site's `base_url` (`/` or `/repo/`).
        base_path: String,
        /// Articles dated in the future left out, and when the first is due.
        held_back: (usize, Option<crate::model::Date>),
    },
    /// The content has errors; the previous output is untouched.
    Failed(Diagnostics),
    /// Something other than content went wrong (the output could not be
    /// written, the site folder vanished).
    Broken(String),
}

/// Builds a site again and again into the same output folder.
pub struct Session {
    options: BuildOptions,
    output: PathBuf,
    fingerprints: HashMap<String, u64>,
    /// Every content file, loaded; `None` until the first scan.
    content: Option<ContentFiles>,
    /// Problems of the last scan of `content/` itself (misplaced files).
    scan_errors: Diagnostics,
    reuse: Reuse,
    /// The last good site and its digests, to find what an edit affects.
    last: Option<(Site, SiteDigests)>,
    /// Every file of the output that a build wrote (its manifest): the
    /// only files a rebuild may remove.
    owned: HashSet<String>,
    /// The files of the search index in the output (under `pagefind/`):
    /// rebuilds keep them, and [`Session::apply_search`] replaces them.
    search_files: HashSet<String>,
}

impl Session {
    /// Prepares a session; refuses an output folder that overlaps the site,
    /// or that holds files no build wrote (unless `options.take_over`).
    pub fn new(mut options: BuildOptions) -> Result<Session, String> {
        // Watchers report absolute paths; compare them with an absolute root.
        options.root = write::absolutize(&options.root);
        // The preview builds into its own folder in the build cache, never
        // into `output_dir`: what `build` wrote there stays as it was. An
        // explicit `--output` is honoured under `build`'s ownership rules.
        let (output, owned, cache) = match &options.output {
            None => {
                let output = write::preview_dir(&options.root);
                let owned = write::claim_preview(&options.root)?;
                (
                    output.clone(),
                    owned,
                    BuildCache::load(&options.root, &output),
                )
            }
            Some(_) => {
                let output = output_dir(&options, "");
                write::check_output_dir(&options.root, &output)?;
                let cache = BuildCache::load(&options.root, &output);
                let owned = write::claim_output(&options.root, &output, options.take_over, || {
                    cache.paths()
                })?;
                (output, owned, cache)
            }
        };
        let fingerprints = cache.fingerprints();
        let search_files = owned
            .iter()
            .filter(|p| {
                p.strip_prefix(crate::search::BUNDLE_DIR)
                    .is_some_and(|rest| rest.starts_with('/'))
            })
            .cloned()
            .collect();
        Ok(Session {
            options,
            output,
            fingerprints,
            content: None,
            scan_errors: Diagnostics::new(),
            reuse: Reuse::default(),
            last: None,
            owned,
            search_files,
        })
    }

    /// The folder being served.
    pub fn output(&self) -> &Path {
        &self.output
    }

    pub fn root(&self) -> &Path {
        &self.options.root
    }

    /// Builds the site from a fresh scan of its files, rendering and writing
    /// only what changed since the last successful build of this session.
    pub fn rebuild(&mut self) -> Rebuild {
        self.content = None;
        self.last = None;
        self.rebuild_changed(&[])
    }

    /// Builds the site after the files at `changed` were created, edited or
    /// deleted: only those content files are read again, only bodies whose
    /// text changed are rendered again, and only pages whose inputs changed
    /// are rendered and written. Anything that is not a content page (a
    /// folder, a misplaced file) makes it scan `content/` again.
    pub fn rebuild_changed(&mut self, changed: &[PathBuf]) -> Rebuild {
        let started = Instant::now();
        let root = self.options.root.clone();
        if !root.is_dir() {
            return Rebuild::Broken(format!("site folder {} does not exist", root.display()));
        }
        let content_dir = root.join("content");
        // Only content edits can be narrowed down to the pages they affect;
        // a template, stylesheet or site.toml edit fingerprints every page.
        let content_only =
            !changed.is_empty() && changed.iter().all(|p| p.starts_with(&content_dir));
        if !content_only {
            self.last = None;
        }
        let reloaded = match &mut self.content {
            Some(content) => changed
                .iter()
                .filter(|p| p.starts_with(&content_dir))
                .all(|p| content.reload(&root, p)),
            None => false,
        };
        if !reloaded {
            let mut fresh = ContentFiles::default();
            self.scan_errors = fresh.scan(&root);
            self.content = Some(fresh);
        }
        let Some(content) = &self.content else {
            return Rebuild::Broken("content could not be scanned".into());
        };
        let mut errors = self.scan_errors.clone();
        let load_started = Instant::now();
        let (config, templates) =
            load::load_settings(&root, &load_options(&self.options), &mut errors);
        let (loaded, file_errors) =
            content.assemble(&root, config, templates, &load_options(&self.options));
        errors.extend(file_errors);
        let load_time = load_started.elapsed();
        // A multilingual site is rebuilt whole on every change, its search
        // indexes (one per language) with it: `finish` renders it without
        // asking `choose`, and no last site is kept to compare with.
        let multilingual = loaded.config.is_multilingual();
        let last = self.last.take();
        let mut new_digests = None;
        let choose = |site: &Site| {
            let digests = affected::digests(site);
            let pages = last
                .as_ref()
                .filter(|(old, _)| !affected::menus_changed(old, site))
                .map(|(old, old_digests)| {
                    affected::affected_pages(old, old_digests, site, &digests)
                });
            new_digests = Some(digests);
            pages
        };
        let staging = match write::Staging::new(&self.output, &root) {
            Ok(s) => s,
            Err(e) => {
                return Rebuild::Broken(format!(
                    "cannot write beside {}: {e}",
                    write::shown(&self.output)
                ))
            }
        };
        let result = finish(
            &self.options,
            loaded,
            errors,
            &self.fingerprints,
            &self.reuse,
            choose,
            multilingual,
            &|f| staging.put(f),
        );
        let mut rendered = match result {
            Ok(r) => r,
            Err(BuildError::Content(d)) => {
                self.last = last;
                return Rebuild::Failed(d);
            }
            Err(BuildError::Usage(m)) | Err(BuildError::Io(m)) => return Rebuild::Broken(m),
        };
        // The preview indexes after the page is served (see
        // `apply_search`); until then the last index stays, unless search
        // was turned off, or the index came with this build.
        if !rendered.site.config.search.enabled || multilingual {
            self.search_files.clear();
        }
        let keep: Vec<&String> = rendered
            .same
            .iter()
            .chain(&rendered.unchanged)
            .chain(&self.search_files)
            .collect();
        let produced = rendered
            .written
            .iter()
            .chain(&rendered.same)
            .chain(&rendered.unchanged)
            .chain(&self.search_files)
            .cloned();
        let report = match staging.commit(&rendered.written, &keep, &self.owned) {
            Ok(r) => r,
            Err(write::CommitError::Refused(m)) => return Rebuild::Broken(m),
            Err(write::CommitError::Io(e)) => {
                self.fingerprints.clear();
                // Whatever got written is ours; the manifest on disk says
                // so too.
                self.owned.extend(produced);
                return Rebuild::Broken(format!("cannot write to {}: {e}", self.output.display()));
            }
        };
        rendered.timings.load = load_time;
        self.fingerprints = rendered.fingerprints.iter().cloned().collect();
        self.owned = produced.collect();
        if !content_only {
            // Saving reads back every file's time: worth it after a full
            // build, not after each keystroke's rebuild.
            BuildCache::save(
                &self.options.root,
                &self.output,
                &rendered.fingerprints,
                None,
            );
        }
        let pages = rendered.pages();
        let timings = rendered.timings;
        let base_path = rendered.site.config.base_path().to_string();
        let held_back = rendered.held_back();
        self.last = new_digests.map(|d| (rendered.site, d));
        // Freeing a large site takes milliseconds the served page need not wait for.
        if let Some(old) = last {
            std::thread::spawn(move || drop(old));
        }
        Rebuild::Built {
            changed: report.changed,
            pages,
            elapsed: started.elapsed(),
            timings,
            base_path,
            held_back,
        }
    }

    /// The search records of the last good build, for an index built
    /// after the page is served; `None` when search is off or no build
    /// succeeded yet. With the site's language.
    pub fn search_records(&self) -> Option<(Vec<crate::search::Record>, String)> {
        let (site, _) = self.last.as_ref()?;
        site.config
            .search
            .enabled
            .then(|| (crate::search::records(site), site.config.language.clone()))
    }

    /// Builds the search index of the last good build and puts it in the
    /// output, all at once (the preview does the same in two steps, the
    /// index on a thread of its own). Returns the paths written or removed.
    pub fn update_search(&mut self) -> Result<Vec<String>, String> {
        match self.search_records() {
            Some((records, language)) => {
                let files = crate::search::bundle(records, &language)?;
                self.apply_search(files)
            }
            None => Ok(Vec::new()),
        }
    }

    /// Puts a search index (from [`crate::search::bundle`]) into the
    /// output in place of the last one: changed files written, files of
    /// the old index no longer produced removed, everything else kept.
    /// Returns the paths written or removed; nothing is done when the
    /// last good build has search off.
    pub fn apply_search(
        &mut self,
        files: Vec<crate::render::OutputFile>,
    ) -> Result<Vec<String>, String> {
        // An index built from an older build must not come back once
        // search was turned off since.
        let enabled = self
            .last
            .as_ref()
            .is_some_and(|(site, _)| site.config.search.enabled);
        if !enabled {
            return Ok(Vec::new());
        }
        let staging = write::Staging::new(&self.output, &self.options.root)
            .map_err(|e| format!("cannot write beside {}: {e}", write::shown(&self.output)))?;
        let mut written = Vec::new();
        let mut same = Vec::new();
        for file in &files {
            // Pagefind names most of its files by their content: one the
            // last index wrote is already right, and is not read again
            // (an index has thousands of them).
            if crate::search::content_named(&file.path) && self.search_files.contains(&file.path) {
                same.push(file.path.clone());
                continue;
            }
            match staging.put(file) {
                Ok(true) => written.push(file.path.clone()),
                Ok(false) => same.push(file.path.clone()),
                Err(e) => return Err(format!("{}: {e}", file.path)),
            }
        }
        let new: HashSet<String> = files.into_iter().map(|f| f.path).collect();
        let keep: Vec<&String> = self
            .owned
            .iter()
            .filter(|p| !self.search_files.contains(*p))
            .chain(&same)
            .collect();
        let report = match staging.commit(&written, &keep, &self.owned) {
            Ok(r) => r,
            Err(write::CommitError::Refused(m)) => return Err(m),
            Err(write::CommitError::Io(e)) => {
                self.owned.extend(new);
                return Err(format!(
                    "cannot write to {}: {e}",
                    write::shown(&self.output)
                ));
            }
        };
        self.owned.retain(|p| !self.search_files.contains(p));
        self.owned.extend(new.iter().cloned());
        self.search_files = new;
        Ok(report.changed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, path: &str, text: &str) {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    #[test]
    fn a_preview_removes_only_its_own_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "content/actors/a.md", "+++\nname = \"Ann\"\n+++\n");
        write(root, "content/actors/b.md", "+++\nname = \"Bob\"\n+++\n");
        write(root, "public/thesis.pdf", "mine");
        let mut options = BuildOptions::new(root);
        options.output = Some(root.join("public"));
        assert!(Session::new(options.clone()).is_err(), "not ours");
        options.take_over = true;
        let mut s = Session::new(options.clone()).unwrap();
        assert!(matches!(s.rebuild(), Rebuild::Built { .. }));
        write(root, "public/actors/notes.txt", "mine too");
        std::fs::remove_file(root.join("content/actors/b.md")).unwrap();
        let Rebuild::Built { changed, .. } = s.rebuild() else {
            panic!("rebuild failed")
        };
        assert!(changed.contains(&"actors/b/index.html".to_string()));
        assert!(!root.join("public/actors/b").exists());
        assert_eq!(
            std::fs::read_to_string(root.join("public/thesis.pdf")).unwrap(),
            "mine"
        );
        assert!(root.join("public/actors/notes.txt").is_file());
        // A new session finds the folder recorded as ours.
        options.take_over = false;
        assert!(Session::new(options).is_ok());
    }

    #[test]
    fn rebuilds_report_what_changed_and_survive_errors() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "content/actors/a.md",
            "+++\nname = \"Ann\"\n+++\nProfile.\n",
        );
        write(
            root,
            "content/notes/n.md",
            "+++\ntitle = \"Note\"\n+++\nAbout Ann.\n",
        );
        let mut s = Session::new(BuildOptions::new(root)).unwrap();
        assert!(matches!(s.rebuild(), Rebuild::Built { .. }));

        write(
            root,
            "content/actors/a.md",
            "+++\nname = \"Ann\"\nrole = \"Envoy\"\n+++\nProfile.\n",
        );
        let Rebuild::Built { changed, .. } = s.rebuild() else {
            panic!("rebuild failed")
        };
        assert!(
            changed.contains(&"actors/a/index.html".to_string()),
            "{changed:?}"
        );
        assert!(!changed.contains(&"404.html".to_string()), "{changed:?}");

        write(
            root,
            "content/notes/n.md",
            "+++\ntitle = \"Note\"\nactors = [\"b\"]\n+++\n",
        );
        let Rebuild::Failed(errors) = s.rebuild() else {
            panic!("should fail")
        };
        assert_eq!(errors.len(), 1);
        assert!(
            s.output().join("explainers/n/index.html").is_file(),
            "last good output kept"
        );

        std::fs::remove_file(root.join("content/notes/n.md")).unwrap();
        let Rebuild::Built { changed, .. } = s.rebuild() else {
            panic!("rebuild failed")
        };
        assert!(
            changed.contains(&"explainers/n/index.html".to_string()),
            "removed pages count as changed"
        );
        assert!(!s.output().join("explainers/n").exists());
    }

    #[test]
    fn the_preview_builds_in_the_cache_and_never_in_the_deploy_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "content/actors/a.md", "+++\nname = \"Ann\"\n+++\n");
        write(root, "public/thesis.pdf", "someone else's");
        let mut s = Session::new(BuildOptions::new(root)).unwrap();
        assert_eq!(s.output(), write::preview_dir(&write::absolutize(root)));
        assert!(matches!(s.rebuild(), Rebuild::Built { .. }));
        assert!(s.output().join("actors/a/index.html").is_file());
        let public: Vec<_> = std::fs::read_dir(root.join("public")).unwrap().collect();
        assert_eq!(public.len(), 1, "public/ untouched");
        // A preview folder left without its manifest is still ours.
        std::fs::remove_file(s.output().join(write::MANIFEST)).unwrap();
        write(root, ".explainer-cache/serve/leftover.html", "x");
        let mut s = Session::new(BuildOptions::new(root)).unwrap();
        assert!(matches!(s.rebuild(), Rebuild::Built { .. }));
        assert!(!s.output().join("leftover.html").exists());
    }
}
