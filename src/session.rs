//! A build session for the preview server: the first build, then rebuilds
//! after edits, keeping between them what makes a rebuild cheap (the
//! fingerprints of every page written). A failed rebuild leaves the last
//! good output in place and reports its errors; the session goes on.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::cache::BuildCache;
use crate::diagnostics::Diagnostics;
use crate::{config, output_dir, render_site, write, BuildError, BuildOptions};

/// The result of one (re)build.
#[derive(Debug)]
pub enum Rebuild {
    /// The output is up to date; `changed` lists the output paths written
    /// or removed (`/`-separated), so open pages showing them can reload.
    Built {
        changed: Vec<String>,
        pages: usize,
        elapsed: Duration,
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
}

impl Session {
    /// Prepares a session; refuses an output folder that overlaps the site.
    pub fn new(options: BuildOptions) -> Result<Session, String> {
        let configured = config::Config::load(&options.root)
            .map(|c| c.output_dir)
            .unwrap_or_else(|_| config::Config::default().output_dir);
        let output = output_dir(&options, &configured);
        write::check_output_dir(&options.root, &output)?;
        let fingerprints = BuildCache::load(&options.root, &output).fingerprints();
        Ok(Session {
            options,
            output,
            fingerprints,
        })
    }

    /// The folder being served.
    pub fn output(&self) -> &Path {
        &self.output
    }

    pub fn root(&self) -> &Path {
        &self.options.root
    }

    /// Builds the site, rendering and writing only what changed since the
    /// last successful build of this session.
    pub fn rebuild(&mut self) -> Rebuild {
        let started = Instant::now();
        let rendered = match render_site(&self.options, &self.fingerprints) {
            Ok(r) => r,
            Err(BuildError::Content(d)) => return Rebuild::Failed(d),
            Err(BuildError::Usage(m)) | Err(BuildError::Io(m)) => return Rebuild::Broken(m),
        };
        let report = match write::write_output(&self.output, &rendered.files, &rendered.unchanged) {
            Ok(r) => r,
            Err(e) => {
                self.fingerprints.clear();
                return Rebuild::Broken(format!("cannot write to {}: {e}", self.output.display()));
            }
        };
        self.fingerprints = rendered.fingerprints.iter().cloned().collect();
        BuildCache::save(&self.options.root, &self.output, &rendered.fingerprints);
        Rebuild::Built {
            changed: report.changed,
            pages: rendered.fingerprints.len(),
            elapsed: started.elapsed(),
        }
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
            root.join("public/explainers/n/index.html").is_file(),
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
        assert!(!root.join("public/explainers/n").exists());
    }
}
