//! No input makes the generator panic: the sample site's own files are
//! mutated in many small ways (truncated, spliced with Markdown and
//! front-matter syntax, invalid UTF-8) and every result must be either a
//! site or a list of located errors.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use explainer::{check, BuildError, BuildOptions};

/// A small deterministic generator, so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SPLICES: &[&[u8]] = &[
    b"[[",
    b"]]",
    b"[[emmanuel-macron#",
    b"[[|]]",
    b"[[notes/]]",
    b"+++\n",
    b"---\n",
    b"\n## What You Should Know\n",
    b"\n# \n",
    b"`",
    b"```\n",
    b"<a href=\"",
    b"](javascript:x)",
    b"\"",
    b"[[[[x|y|z]]]]",
    b"\xff\xfe",
    b"\xe2\x80",
    b"\r",
    b"\t",
    b"\0",
    b"{#}",
    b"date = 9999-99-99\n",
    b"[[timeline]]\n",
    b"\xc3\xa9\xf0\x9f\x98\x80",
    b"Macron",
    b"Emmanuel Macro",
];

fn mutate(rng: &mut Rng, original: &[u8]) -> Vec<u8> {
    let mut bytes = original.to_vec();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(4) {
            0 => bytes.truncate(at),
            1 => {
                let end = (at + rng.below(40)).min(bytes.len());
                bytes.drain(at..end);
            }
            _ => {
                let s = SPLICES[rng.below(SPLICES.len())];
                bytes.splice(at..at, s.iter().copied());
            }
        }
    }
    bytes
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().flatten() {
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn mutated_sample_content_never_panics() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_dir(&repo.join("content"), &root.join("content"));
    std::fs::copy(repo.join("site.toml"), root.join("site.toml")).unwrap();
    let files: Vec<_> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().to_path_buf())
        .chain(std::iter::once(root.join("site.toml")))
        .collect();
    let mut rng = Rng(0x9E3779B97F4A7C15);
    let mut outcomes = (0, 0);
    // Fewer rounds in an unoptimised test build, to keep CI quick.
    let rounds = if cfg!(debug_assertions) { 150 } else { 600 };
    for round in 0..rounds {
        let file = &files[rng.below(files.len())];
        let original = std::fs::read(file).unwrap();
        let mutated = mutate(&mut rng, &original);
        std::fs::write(file, &mutated).unwrap();
        let result = catch_unwind(AssertUnwindSafe(|| check(&BuildOptions::new(root))));
        match result {
            Err(_) => panic!(
                "round {round}: panicked on {} mutated to:\n{}",
                file.display(),
                String::from_utf8_lossy(&mutated)
            ),
            Ok(Ok(_)) => outcomes.0 += 1,
            Ok(Err(BuildError::Content(errors))) => {
                outcomes.1 += 1;
                for e in errors.iter() {
                    assert!(e.line >= 1 && e.column >= 1, "round {round}: {e}");
                }
            }
            Ok(Err(other)) => panic!("round {round}: unexpected {other:?}"),
        }
        std::fs::write(file, &original).unwrap();
    }
    assert!(
        outcomes.1 > rounds / 4,
        "the mutations reach the error paths: {outcomes:?}"
    );
}
