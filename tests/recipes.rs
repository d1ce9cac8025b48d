//! The deploy recipes in the repository are real files that work: each
//! parses in its own format and holds what the README says it does. The
//! nginx server block is checked by `nginx -t` and then serves a built site
//! with the promised cache headers; the Caddyfile by `caddy validate`.
//! Without nginx or caddy installed those parts are skipped with a message,
//! except under CI (`CI` set and not `false`), where they fail. `.ci/run`
//! also runs `actionlint` on the workflows.

use crate::support;

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_yaml_ng::Value;
use support::*;

fn read(path: &str) -> String {
    std::fs::read_to_string(repo_root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn yaml(path: &str) -> Value {
    serde_yaml_ng::from_str(&read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A tool's path, or `None` (with the reason printed) when its checks
/// must be skipped; under CI a missing tool is a failure.
fn tool(name: &str, package: &str) -> Option<PathBuf> {
    let found = ["/usr/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/sbin"]
        .iter()
        .map(|d| Path::new(d).join(name))
        .find(|p| p.is_file());
    if found.is_none() {
        let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false");
        assert!(
            !ci,
            "{name} is not installed, and CI requires it (apt-get install {package})"
        );
        eprintln!(
            "skipped: {name} is not installed (apt-get install {package}); CI runs this check"
        );
    }
    found
}

/// The `uses:` of every step of a job.
fn uses(job: &Value) -> Vec<String> {
    job["steps"]
        .as_sequence()
        .expect("steps")
        .iter()
        .filter_map(|s| s["uses"].as_str())
        .map(|u| u.split('@').next().unwrap().to_string())
        .collect()
}

#[test]
fn the_github_pages_workflow_uses_the_official_actions_and_the_pages_url() {
    let wf = yaml(".github/workflows/pages.yml");
    let perms = &wf["permissions"];
    assert_eq!(perms["pages"].as_str(), Some("write"));
    assert_eq!(perms["id-token"].as_str(), Some("write"));
    let build = &wf["jobs"]["build"];
    assert_eq!(
        uses(build),
        [
            "actions/checkout",
            "actions/configure-pages",
            "actions/upload-pages-artifact"
        ]
    );
    let steps = build["steps"].as_sequence().unwrap();
    let configure = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.contains("configure-pages"))
        })
        .unwrap();
    let id = configure["id"].as_str().expect("configure-pages has an id");
    let run: Vec<&Value> = steps.iter().filter(|s| s["run"].is_string()).collect();
    assert!(run.iter().any(|s| s["run"]
        .as_str()
        .unwrap()
        .contains("cargo install --locked")));
    let build_step = run
        .iter()
        .find(|s| s["run"].as_str().unwrap().contains("explainer build"))
        .expect("a build step");
    assert!(build_step["run"]
        .as_str()
        .unwrap()
        .contains("--base-url \"$BASE_URL\""));
    assert_eq!(
        build_step["env"]["BASE_URL"].as_str(),
        Some(format!("${{{{ steps.{id}.outputs.base_url }}}}").as_str())
    );
    let upload = steps.last().unwrap();
    assert_eq!(upload["with"]["path"].as_str(), Some("public"));
    let deploy = &wf["jobs"]["deploy"];
    assert_eq!(uses(deploy), ["actions/deploy-pages"]);
    assert_eq!(deploy["needs"].as_str(), Some("build"));
    assert_eq!(deploy["environment"]["name"].as_str(), Some("github-pages"));
}

#[test]
fn netlify_toml_builds_with_the_site_url_and_publishes_public() {
    let config: toml::Table = toml::from_str(&read("netlify.toml")).expect("netlify.toml is TOML");
    let build = config["build"].as_table().expect("[build]");
    assert_eq!(build["publish"].as_str(), Some("public"));
    let command = build["command"].as_str().unwrap();
    assert!(command.contains("cargo install --locked"), "{command}");
    assert!(
        command.contains("explainer build --base-url \"$URL\""),
        "{command}"
    );
    for context in ["deploy-preview", "branch-deploy"] {
        let command = config["context"][context]["command"].as_str().unwrap();
        assert!(
            command.contains("--base-url \"$DEPLOY_PRIME_URL\""),
            "{command}"
        );
    }
}

#[test]
fn the_gitlab_pages_job_publishes_public_with_the_pages_url() {
    let ci = yaml(".gitlab-ci.yml");
    let pages = &ci["pages"];
    let script: Vec<&str> = pages["script"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(script
        .iter()
        .any(|s| s.starts_with("cargo install --locked")));
    assert!(script.contains(&"explainer build --base-url \"$CI_PAGES_URL\""));
    let paths = pages["artifacts"]["paths"].as_sequence().unwrap();
    assert_eq!(paths, &[Value::from("public")]);
    assert!(pages["image"].as_str().unwrap().starts_with("rust"));
}

#[test]
fn the_s3_script_syncs_twice_with_cache_headers_and_invalidates() {
    let script = read("deploy/s3-sync.sh");
    let status = Command::new("sh")
        .args(["-n", "deploy/s3-sync.sh"])
        .current_dir(repo_root())
        .status()
        .unwrap();
    assert!(status.success(), "sh -n deploy/s3-sync.sh");
    // The commands, with their continuation lines joined.
    let joined = script.replace("\\\n", " ");
    let syncs: Vec<&str> = joined
        .lines()
        .filter(|l| l.trim_start().starts_with("aws s3 sync public/"))
        .collect();
    assert_eq!(syncs.len(), 2, "{syncs:?}");
    let (assets, pages) = (syncs[0], syncs[1]);
    assert!(assets.contains("--include 'style.*.css' --include 'cards.*.js'"));
    assert!(assets.contains("max-age=31536000, immutable") && !assets.contains("--delete"));
    assert!(pages.contains("--delete") && pages.contains("max-age=0, must-revalidate"));
    assert!(pages.contains("--exclude 'style.*.css' --exclude 'cards.*.js'"));
    assert!(joined.contains("aws cloudfront create-invalidation"));
}

#[test]
fn the_caddyfile_is_valid() {
    let text = read("deploy/Caddyfile");
    assert!(text.contains("file_server") && text.contains("rewrite * /404.html"));
    assert_eq!(text.matches('{').count(), text.matches('}').count());
    let Some(caddy) = tool("caddy", "caddy") else {
        return;
    };
    let out = Command::new(caddy)
        .args(["validate", "--adapter", "caddyfile", "--config"])
        .arg(repo_root().join("deploy/Caddyfile"))
        .output()
        .unwrap();
    assert!(out.status.success(), "caddy validate:\n{}", stderr(&out));
}

/// The status line and headers of a GET, and the body.
fn get(port: u16, path: &str) -> (String, String) {
    let text = String::from_utf8(http_get(port, path, "news.example.org")).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    (head.to_string(), body.to_string())
}

#[test]
fn the_nginx_server_block_passes_nginx_t_and_serves_the_promised_headers() {
    let Some(nginx) = tool("nginx", "nginx") else {
        return;
    };
    let site = Site::new(&[
        (
            "content/actors/ann.md",
            "+++\nname = \"Ann Example\"\n+++\nProfile.\n",
        ),
        (
            "content/articles/deal.md",
            "+++\ntitle = \"A deal\"\ndate = 2024-01-02\n+++\nAnn Example signed.\n",
        ),
    ]);
    site.build_ok();
    let public = site.root().join("public").canonicalize().unwrap();
    let prefix = tempfile::tempdir().unwrap();
    let p = prefix.path();
    // The block as shipped, then with a test port and this site's folder.
    let block = read("deploy/nginx.conf");
    let wrapper = |server: &Path| {
        format!(
            "pid {p}/nginx.pid;\nerror_log {p}/error.log;\ndaemon off;\nmaster_process off;\n\
             events {{ worker_connections 64; }}\n\
             http {{\n  types {{ text/html html; text/css css; text/javascript js; application/xml xml; }}\n  \
             access_log {p}/access.log;\n  client_body_temp_path {p}/body;\n  proxy_temp_path {p}/proxy;\n  \
             fastcgi_temp_path {p}/fastcgi;\n  uwsgi_temp_path {p}/uwsgi;\n  scgi_temp_path {p}/scgi;\n  \
             include {};\n}}\n",
            server.display(),
            p = p.display()
        )
    };
    std::fs::write(
        p.join("shipped.conf"),
        wrapper(&repo_root().join("deploy/nginx.conf")),
    )
    .unwrap();
    let test = Command::new(&nginx)
        .arg("-t")
        .arg("-p")
        .arg(p)
        .arg("-c")
        .arg(p.join("shipped.conf"))
        .arg("-e")
        .arg(p.join("error.log"))
        .output()
        .unwrap();
    assert!(test.status.success(), "nginx -t:\n{}", stderr(&test));

    let port = free_port();
    assert!(block.contains("listen 80;") && block.contains("root /var/www/explainer/public;"));
    let local = block
        .replace("listen 80;", &format!("listen 127.0.0.1:{port};"))
        .replace("listen [::]:80;", "")
        .replace(
            "root /var/www/explainer/public;",
            &format!("root {};", public.display()),
        );
    std::fs::write(p.join("server.conf"), local).unwrap();
    std::fs::write(p.join("local.conf"), wrapper(&p.join("server.conf"))).unwrap();
    let mut child = Command::new(&nginx)
        .arg("-p")
        .arg(p)
        .arg("-c")
        .arg(p.join("local.conf"))
        .arg("-e")
        .arg(p.join("error.log"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "nginx exited: {}",
            std::fs::read_to_string(p.join("error.log")).unwrap_or_default()
        );
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "nginx did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let result = std::panic::catch_unwind(|| {
        let short = "Cache-Control: public, max-age=0, must-revalidate";
        let long = "Cache-Control: public, max-age=31536000, immutable";
        let (head, body) = get(port, "/articles/deal/");
        assert!(
            head.starts_with("HTTP/1.1 200") && head.contains(short),
            "{head}"
        );
        assert!(body.contains("A deal"));
        let css = hashed_asset(&public, "style.css");
        let (head, _) = get(port, &format!("/{css}"));
        assert!(
            head.starts_with("HTTP/1.1 200") && head.contains(long),
            "{head}"
        );
        assert!(!head.contains(short), "{head}");
        let js = hashed_asset(&public, "cards.js");
        assert!(get(port, &format!("/{js}")).0.contains(long));
        let (head, body) = get(port, "/no/such/page/");
        assert!(head.starts_with("HTTP/1.1 404"), "{head}");
        assert_eq!(body, site.out("404.html"), "the site's own 404 page");
        assert!(get(port, "/_headers").0.starts_with("HTTP/1.1 404"));
    });
    let _ = child.kill();
    let _ = child.wait();
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}
