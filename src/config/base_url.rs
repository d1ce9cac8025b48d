//! `base_url`: the root every absolute URL of the site is made from
//! (feeds, sitemap, canonical links), read from `site.toml` or
//! `--base-url` with the WHATWG URL rules and refused, with every problem
//! at its place, when it cannot be a site's root.

use url::Url;

/// Parses `base_url` with the WHATWG URL rules (the `url` crate) and
/// refuses what cannot be the root of a site: anything but http(s), no
/// host, a user name or password, a query string, a fragment, or an empty
/// path segment (`//`). The path gains a trailing slash, so relative paths
/// join under it (`https://x.org/repo` is `https://x.org/repo/`).
///
/// Errors are the message to show, naming every problem (see
/// [`base_url_problems`]).
pub fn parse_base_url(text: &str) -> Result<Url, String> {
    base_url_problems(text).map_err(|problems| {
        (problems.into_iter())
            .map(|p| p.message)
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// The problems of a base URL given on the command line (`label` is the
/// option, `--base-url`) as one message to print after `error: `: each
/// problem, the value under it with the part at fault underlined, and its
/// hint, the way a problem of `site.toml` is framed; the second and later
/// problems start with `error: ` of their own.
pub fn framed_base_url_problems(label: &str, text: &str, problems: &[BaseUrlProblem]) -> String {
    use crate::diagnostics::escape_controls;
    let shown = escape_controls(text);
    (problems.iter())
        .map(|p| {
            // Columns count characters as printed, control characters
            // spelt out.
            let column = escape_controls(&text[..p.at.start]).chars().count();
            let width = escape_controls(&text[p.at.clone()]).chars().count().max(1);
            format!(
                "{label}: {}\n  |\n  | {shown}\n  | {}{}\n  = help: {}",
                p.message,
                " ".repeat(column),
                "^".repeat(width),
                p.help
            )
        })
        .collect::<Vec<_>>()
        .join("\n\nerror: ")
}

/// One problem of a `base_url`: the bytes of the value at fault (a
/// range of the text as given; empty where something is missing), the
/// message and a hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrlProblem {
    pub at: std::ops::Range<usize>,
    pub message: String,
    pub help: String,
}

/// [`parse_base_url`] with every problem of the text at its place, so
/// all of them are reported in one run, each underlined.
pub fn base_url_problems(text: &str) -> Result<Url, Vec<BaseUrlProblem>> {
    const EXAMPLE: &str = "for example base_url = \"https://news.example.org/\"";
    const NO_HOST: &str = "write the site's host name after `//`: https://news.example.org/";
    let mut problems = Vec::new();
    let mut problem = |at: std::ops::Range<usize>, message: String, help: &str| {
        problems.push(BaseUrlProblem {
            at,
            message,
            help: help.to_string(),
        })
    };
    // The URL parser silently drops spaces at the ends and tabs and
    // newlines inside; a base URL has none.
    if let Some((i, c)) = text
        .char_indices()
        .find(|(_, c)| c.is_whitespace() || c.is_control())
    {
        problem(
            i..i + c.len_utf8(),
            format!(
                "base_url must not contain spaces or control characters: \"{}\"",
                text.escape_debug()
            ),
            "remove it; a space inside a path is written %20",
        );
    }
    let mut host_missing = false;
    let mut url = match Url::parse(text) {
        Ok(url) => url,
        Err(url::ParseError::EmptyHost) => {
            // Where the host belongs: after `//` and any `user@`.
            let start = text.find("://").map_or(text.len(), |i| i + 3);
            let rest = &text[start..];
            let end = start + rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
            let at = start + text[start..end].rfind('@').map_or(0, |i| i + 1);
            problem(at..at, format!("base_url \"{text}\" has no host"), NO_HOST);
            host_missing = true;
            // The rest is read with a stand-in host, so its other problems
            // (the scheme, a user name, a query string) come in this run.
            let stand_in = format!("{}host.invalid{}", &text[..at], &text[at..]);
            match Url::parse(&stand_in) {
                Ok(url) => url,
                Err(_) => return Err(problems),
            }
        }
        Err(e) => {
            let message = match e {
                url::ParseError::RelativeUrlWithoutBase => {
                    format!("base_url must be an absolute http(s) URL, not \"{text}\"")
                }
                e => format!("base_url \"{text}\" is not a valid URL: {e}"),
            };
            problem(0..text.len(), message, EXAMPLE);
            return Err(problems);
        }
    };
    let scheme_end = text.find(':').unwrap_or(0);
    let http = matches!(url.scheme(), "http" | "https");
    if !http {
        problem(
            0..scheme_end,
            format!("base_url must use http or https, not \"{}:\"", url.scheme()),
            "a site is served over https:// (or http://)",
        );
    }
    // The WHATWG rules repair `https:ex.org` into `https://ex.org/` and
    // read `https:///path` as the host `path`: a base URL must say what it
    // means, so the text itself must be `scheme://host`.
    let Some(start) = text.find("://").map(|i| i + 3) else {
        // Another scheme's URL (`javascript:...`) has no more to say.
        if http {
            let after = text[scheme_end + 1..].trim_start_matches(['/', '\\']);
            let end = text.len() - after.len();
            // `https:ex.org` and `https:/ex.org` most likely mean
            // `https://ex.org/`: said when that is a good base URL.
            let slash = if after.contains('/') { "" } else { "/" };
            let meant = format!("{}://{after}{slash}", &text[..scheme_end]);
            let help = match base_url_problems(&meant) {
                Ok(_) => format!("did you mean base_url = \"{meant}\"?"),
                Err(_) => EXAMPLE.to_string(),
            };
            problem(
                0..end,
                format!(
                    "base_url \"{text}\" must be written as scheme://host, like \"https://news.example.org/\""
                ),
                &help,
            );
        }
        return Err(problems);
    };
    let rest = &text[start..];
    let authority_end = start + rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
    let authority = &text[start..authority_end];
    let host_start = start + authority.rfind('@').map_or(0, |i| i + 1);
    if !host_missing && (authority.is_empty() || url.host_str().is_none_or(str::is_empty)) {
        let at = if text[host_start..authority_end].is_empty() {
            host_start..host_start
        } else {
            host_start..authority_end
        };
        problem(at, format!("base_url \"{text}\" has no host"), NO_HOST);
    }
    if !url.username().is_empty() || url.password().is_some() {
        problem(
            start..host_start,
            "base_url must not contain a user name or password".into(),
            "remove the part up to `@`: it would be published in every page",
        );
    }
    let query_at = text.find('?');
    let fragment_at = text.find('#');
    if let (Some(query), Some(at)) = (url.query(), query_at) {
        let end = fragment_at.filter(|&f| f > at).unwrap_or(text.len());
        problem(
            at..end,
            format!(
                "base_url must not have a query string (\"?{query}\"): pages would be joined after it"
            ),
            "remove it, from `?` on",
        );
    }
    if let (Some(fragment), Some(at)) = (url.fragment(), fragment_at) {
        problem(
            at..text.len(),
            format!("base_url must not have a fragment (\"#{fragment}\")"),
            "remove it, from `#` on",
        );
    }
    if url.path().contains("//") {
        let path_end = (query_at.into_iter().chain(fragment_at))
            .min()
            .unwrap_or(text.len());
        let at = text
            .get(authority_end..path_end)
            .and_then(|path| path.find("//"))
            .map_or(authority_end..path_end, |i| {
                authority_end + i..authority_end + i + 2
            });
        problem(
            at,
            format!(
                "base_url has an empty path segment (\"//\") in \"{}\"",
                url.path()
            ),
            "write each `/` once",
        );
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_line_base_url_has_each_problem_framed_under_the_value() {
        let text = "ftp://ex.org/a b";
        let problems = base_url_problems(text).unwrap_err();
        assert_eq!(
            framed_base_url_problems("--base-url", text, &problems),
            "--base-url: base_url must not contain spaces or control characters: \"ftp://ex.org/a b\"\n  \
             |\n  | ftp://ex.org/a b\n  |               ^\n  = help: remove it; a space inside a path is written %20\n\n\
             error: --base-url: base_url must use http or https, not \"ftp:\"\n  \
             |\n  | ftp://ex.org/a b\n  | ^^^\n  = help: a site is served over https:// (or http://)"
        );
        // A control character is spelt out, and the caret stays under it.
        let text = "https://x.org/\tb/";
        let problems = base_url_problems(text).unwrap_err();
        let framed = framed_base_url_problems("--base-url", text, &problems);
        assert!(
            framed.contains("  | https://x.org/\\tb/\n  |               ^^\n"),
            "{framed}"
        );
    }

    #[test]
    fn a_base_url_missing_its_slashes_gets_the_url_it_most_likely_means() {
        for (url, help) in [
            (
                "https:ex.org",
                "did you mean base_url = \"https://ex.org/\"?",
            ),
            (
                "https:/ex.org/news/",
                "did you mean base_url = \"https://ex.org/news/\"?",
            ),
            (
                "http:ex.org/a",
                "did you mean base_url = \"http://ex.org/a\"?",
            ),
            // What it would mean is no good base URL either: the example.
            (
                "https:ex.org?x=1",
                "for example base_url = \"https://news.example.org/\"",
            ),
            (
                "https:",
                "for example base_url = \"https://news.example.org/\"",
            ),
        ] {
            let problems = base_url_problems(url).unwrap_err();
            let slashes = problems
                .iter()
                .find(|p| p.message.contains("must be written as scheme://host"))
                .unwrap_or_else(|| panic!("{url}: {problems:?}"));
            assert_eq!(slashes.help, help, "{url}");
        }
    }
}
