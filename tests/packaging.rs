//! What `cargo install` and `cargo binstall` rely on: the crate package
//! holds the embedded theme and the build script, and the release
//! workflow's archives have the names the binstall metadata expects.

use crate::support;

use std::process::Command;

use support::repo_root;

fn cargo_toml() -> toml::Table {
    std::fs::read_to_string(repo_root().join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn the_package_holds_the_theme_and_the_build_script() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "package",
            "--list",
            "--allow-dirty",
            "--locked",
            "--offline",
        ])
        .current_dir(repo_root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = String::from_utf8(out.stdout).unwrap();
    let listed: Vec<&str> = listed.lines().collect();
    let mut needed = vec![
        "build.rs".to_string(),
        "Cargo.lock".into(),
        "README.md".into(),
        "TEMPLATES.md".into(),
        "src/main.rs".into(),
        "src/serve/reload.js".into(),
    ];
    // Every file of the theme, those in sub-folders (shortcodes/) too.
    for folder in ["templates", "static"] {
        for entry in walkdir::WalkDir::new(repo_root().join(folder)) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let name = entry.path().strip_prefix(repo_root()).unwrap();
                needed.push(name.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    for file in &needed {
        assert!(listed.contains(&file.as_str()), "the package lacks {file}");
    }
    for left_out in ["content/", "tests/", "bench/", ".github/"] {
        assert!(
            !listed.iter().any(|f| f.starts_with(left_out)),
            "the package holds {left_out}"
        );
    }
}

#[test]
fn the_manifest_is_ready_to_publish() {
    let toml = cargo_toml();
    let package = toml["package"].as_table().unwrap();
    for key in [
        "description",
        "license",
        "repository",
        "readme",
        "keywords",
        "categories",
        "rust-version",
        "include",
    ] {
        assert!(package.contains_key(key), "Cargo.toml lacks package.{key}");
    }
    let keywords = package["keywords"].as_array().unwrap();
    assert!(keywords.len() <= 5);
    assert!(keywords
        .iter()
        .all(|k| k.as_str().is_some_and(|k| k.len() <= 20)));
    let bins = toml["bin"].as_array().unwrap();
    assert_eq!(bins[0]["name"].as_str(), Some("explainer"));
}

#[test]
fn release_archives_are_the_ones_binstall_looks_for() {
    let text = std::fs::read_to_string(repo_root().join(".github/workflows/release.yml")).unwrap();
    let workflow: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
    let tags = &workflow["on"]["push"]["tags"];
    assert_eq!(tags[0].as_str(), Some("v*"), "runs on version tags");
    let matrix = workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .unwrap();
    let targets: Vec<&str> = matrix
        .iter()
        .map(|m| m["target"].as_str().unwrap())
        .collect();
    for target in [
        "x86_64-unknown-linux-gnu",
        "x86_64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(targets.contains(&target), "no release build for {target}");
    }
    assert!(workflow["jobs"]["release"]["needs"].as_str() == Some("build"));

    // The workflow names each archive from the target and the tag
    // (`v` and the version); binstall's templates must name the same.
    let as_workflow = |template: &str| {
        template
            .replace("{ repo }/releases/download/v{ version }/", "")
            .replace("{ target }", "${{ matrix.target }}")
            .replace("v{ version }", "${GITHUB_REF_NAME}")
    };
    let binstall = &cargo_toml()["package"]["metadata"]["binstall"];
    let unix = as_workflow(binstall["pkg-url"].as_str().unwrap());
    let windows = as_workflow(
        binstall["overrides"]["x86_64-pc-windows-msvc"]["pkg-url"]
            .as_str()
            .unwrap(),
    );
    let folder = as_workflow(binstall["bin-dir"].as_str().unwrap());
    let name = "explainer-${{ matrix.target }}-${GITHUB_REF_NAME}";
    assert!(text.contains(&format!("name=\"{name}\"")), "{text}");
    assert_eq!(unix, format!("{name}.tar.gz"));
    assert_eq!(windows, format!("{name}.zip"));
    assert_eq!(folder, format!("{name}/{{ bin }}{{ binary-ext }}"));
    assert!(text.contains("tar -czf \"$name.tar.gz\" \"$name\""));
    assert!(text.contains("7z a \"$name.zip\" \"$name\""));
}
