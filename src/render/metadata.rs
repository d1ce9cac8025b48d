//! Page metadata for machines: canonical URLs and JSON-LD structured data.
//! JSON-LD sits inside `<script>`, so it is escaped to stay inert whatever
//! a title or name contains.

use iri_string::types::{IriAbsoluteStr, IriReferenceStr};
use serde_json::{json, Value};

use crate::config::Config;
use crate::model::{excerpt, ActorKind, Section, SUMMARY_CHARS};
use crate::resolve::links::page_dir;
use crate::resolve::{Actor, Article, Note, Site};

/// The absolute URL of an output folder or file (`https://site/articles/x/`):
/// `path`, relative to the site root, joined to `base_url` by the URL rules,
/// so characters a URL cannot hold are percent-encoded.
pub fn absolute(config: &Config, path: &str) -> String {
    let base = config.base.as_str();
    // A path of letters, digits, `-`, `_` and `/` (every page folder of an
    // ASCII slug) joins onto a base that ends in `/` as written: what the
    // URL rules give, without parsing the URL again for every link.
    let plain = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'/');
    if base.ends_with('/') && !path.starts_with('/') && path.bytes().all(plain) {
        return [base, path].concat();
    }
    match config.base.join(path) {
        Ok(url) => url.into(),
        // Joining a relative path to an http(s) base cannot fail.
        Err(_) => format!("{}{}", config.base_url, path),
    }
}

pub fn page_url(config: &Config, section: Section, slug: &str) -> String {
    absolute(config, &page_dir(section, slug))
}

/// The absolute URL of a page another page names: in the default
/// language's tree when it stands in for a missing translation.
pub fn named_page_url(
    config: &Config,
    section: Section,
    slug: &str,
    fallback: Option<&crate::resolve::Fallback>,
) -> String {
    match fallback {
        None => page_url(config, section, slug),
        Some(_) => absolute(
            config,
            &format!("{}{}", config.up_to_root(), page_dir(section, slug)),
        ),
    }
}

/// The path (or URL) of the image Open Graph and JSON-LD name: the
/// 1200-px variant of a raster image of the site (or its largest below
/// that), else the image as written.
pub fn open_graph_image(image: &crate::resolve::Image) -> String {
    match &image.raster {
        Some(r) => crate::media::encode_path(&r.variant_up_to(crate::media::OPEN_GRAPH_WIDTH)),
        None => image.src.clone(),
    }
}

/// An asset path or URL made absolute.
pub fn absolute_asset(config: &Config, src: &str) -> String {
    if src.contains("://") {
        src.to_string()
    } else if let Some(rest) = src.strip_prefix("//") {
        format!("https://{rest}")
    } else {
        // Leading slashes would make the path host-relative and drop the
        // path of base_url (`/repo/`); an image is always under the site.
        // In another language's tree, files are one folder up.
        absolute(
            config,
            &format!("{}{}", config.up_to_root(), src.trim_start_matches('/')),
        )
    }
}

/// Serialises JSON-LD so it can sit inside `<script>`: `<`, `>` and `&`
/// become `\u003c`, `\u003e`, `\u0026`, so neither `</script>` nor `<!--`
/// can end or change the script element, and the JSON stays valid.
pub fn script_safe_json(value: &impl serde::Serialize) -> String {
    let mut out = Vec::with_capacity(1024);
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, ScriptSafe);
    if value.serialize(&mut serializer).is_err() {
        return "{}".into();
    }
    // serde_json writes UTF-8, and the replacements are ASCII.
    String::from_utf8(out).unwrap_or_else(|_| "{}".into())
}

/// serde_json's compact output, with the characters that could end or
/// change a script element escaped as it writes each string: those
/// characters can only be inside strings (keys and values), so nothing
/// else needs looking at, and no second pass over the text is made.
struct ScriptSafe;

impl serde_json::ser::Formatter for ScriptSafe {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        // Copied by runs between the few characters to replace, found by
        // vectorised scans (U+2028 and U+2029 are E2 80 A8 and E2 80 A9 in
        // UTF-8, so only an E2 byte can start one).
        let bytes = fragment.as_bytes();
        let mut copied = 0;
        let mut from = 0;
        let mut lead = memchr::memchr(0xE2, bytes);
        while let Some(at) = {
            let markup = memchr::memchr3(b'<', b'>', b'&', &bytes[from..]).map(|n| from + n);
            match (markup, lead) {
                (Some(m), Some(l)) => Some(m.min(l)),
                (m, l) => m.or(l),
            }
        } {
            let replacement = match bytes[at] {
                b'<' => Some(("\\u003c", 1)),
                b'>' => Some(("\\u003e", 1)),
                b'&' => Some(("\\u0026", 1)),
                _ => match bytes.get(at + 1..at + 3) {
                    Some([0x80, 0xA8]) => Some(("\\u2028", 3)),
                    Some([0x80, 0xA9]) => Some(("\\u2029", 3)),
                    _ => None,
                },
            };
            from = at + 1;
            if let Some((replacement, len)) = replacement {
                writer.write_all(&bytes[copied..at])?;
                writer.write_all(replacement.as_bytes())?;
                copied = at + len;
                from = copied;
            }
            if lead.is_some_and(|l| l < from) {
                lead = memchr::memchr(0xE2, &bytes[from..]).map(|n| from + n);
            }
        }
        writer.write_all(&bytes[copied..])
    }
}

fn publisher(config: &Config) -> Value {
    let name = if config.publisher.name.is_empty() {
        &config.title
    } else {
        &config.publisher.name
    };
    let mut p = json!({ "@type": "Organization", "name": name, "url": config.base_url });
    if !config.publisher.logo.is_empty() {
        p["logo"] = json!({ "@type": "ImageObject", "url": absolute_asset(config, &config.publisher.logo) });
    }
    p
}

/// A schema.org reference to another page: an actor (`name`) or a note
/// (`headline`), by `@id` and URL. A typed shape, not a `Value`: an
/// article names several, and 10,000 articles made these a measurable
/// share of a build.
#[derive(serde::Serialize)]
struct PageRef<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "@id")]
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    headline: Option<&'a str>,
    url: String,
}

/// An article's `NewsArticle` (schema.org), for its JSON-LD.
#[derive(serde::Serialize)]
pub struct NewsArticle<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    headline: &'a str,
    description: String,
    #[serde(rename = "datePublished")]
    date_published: String,
    #[serde(rename = "dateModified")]
    date_modified: String,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: WebPage,
    url: String,
    publisher: Value,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    about: Vec<PageRef<'a>>,
    mentions: Vec<PageRef<'a>>,
    keywords: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<[String; 1]>,
}

#[derive(serde::Serialize)]
struct WebPage {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "@id")]
    id: String,
}

pub fn news_article<'a>(site: &'a Site, article: &'a Article) -> NewsArticle<'a> {
    let config = &site.config;
    let url = page_url(config, Section::Articles, article.slug.as_str());
    NewsArticle {
        context: "https://schema.org",
        kind: "NewsArticle",
        headline: &article.title,
        description: excerpt(&article.summary, SUMMARY_CHARS),
        date_published: article.date.rfc3339(),
        date_modified: article.updated.unwrap_or(article.date).rfc3339(),
        main_entity_of_page: WebPage {
            kind: "WebPage",
            id: url.clone(),
        },
        url,
        publisher: publisher(config),
        in_language: &config.language,
        about: (article.actors.iter())
            .map(|&id| actor_ref(site, id))
            .collect(),
        mentions: (article.background.iter())
            .map(|&id| note_ref(site, id))
            .collect(),
        keywords: (article.topics.iter())
            .map(|t| site.topics[*t].name.as_str())
            .collect(),
        author: article.bylines.iter().map(|b| byline(site, b)).collect(),
        image: (article.image.as_ref())
            .map(|image| [absolute_asset(config, &open_graph_image(image))]),
    }
}

/// A background note as an explainer page, for a page's JSON-LD.
pub fn explainer(site: &Site, note: &Note) -> Value {
    let config = &site.config;
    let url = page_url(config, Section::Notes, note.slug.as_str());
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": note.title,
        "description": excerpt(&note.summary, SUMMARY_CHARS),
        "url": url,
        "mainEntityOfPage": { "@type": "WebPage", "@id": url },
        "publisher": publisher(config),
        "inLanguage": config.language,
        "about": note.actors.iter().map(|&id| actor_ref(site, id)).collect::<Vec<_>>(),
        "mentions": note.related.iter().map(|&id| note_ref(site, id)).collect::<Vec<_>>(),
    });
    if let Some(date) = note.date {
        v["datePublished"] = json!(date.rfc3339());
    }
    if let Some(date) = note.updated.or(note.date) {
        v["dateModified"] = json!(date.rfc3339());
    }
    v
}

/// A byline's author: a `Person` with the absolute URL of the author's
/// page when the byline names a profile, else with a name only.
fn byline(site: &Site, b: &crate::resolve::Byline) -> Value {
    match site.byline_author(b) {
        Some(a) => {
            let url = named_page_url(
                &site.config,
                Section::Authors,
                a.slug.as_str(),
                a.fallback.as_ref(),
            );
            json!({ "@type": "Person", "@id": url, "name": b.name, "url": url })
        }
        None => json!({ "@type": "Person", "name": b.name }),
    }
}

/// An author's page: the `Person` (with the `@id` bylines name), its
/// role, photo and links elsewhere.
pub fn author(site: &Site, author: &crate::resolve::Author) -> Value {
    let config = &site.config;
    let url = page_url(config, Section::Authors, author.slug.as_str());
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "Person",
        "@id": url,
        "name": author.name,
        "url": url,
        "worksFor": publisher(config),
    });
    if !author.summary.is_empty() {
        v["description"] = json!(excerpt(&author.summary, SUMMARY_CHARS));
    }
    if let Some(role) = &author.role {
        v["jobTitle"] = json!(role);
    }
    if let Some(image) = &author.image {
        v["image"] = json!(absolute_asset(config, &open_graph_image(image)));
    }
    if !author.links.is_empty() {
        v["sameAs"] = json!(author.links);
    }
    v
}

/// An actor named by another page: its type and profile URL, which is
/// also the `@id` of the profile's own JSON-LD.
fn actor_ref(site: &Site, id: usize) -> PageRef<'_> {
    let a = &site.actors[id];
    let url = named_page_url(
        &site.config,
        Section::Actors,
        a.slug.as_str(),
        a.fallback.as_ref(),
    );
    PageRef {
        kind: actor_type(a.kind),
        id: url.clone(),
        name: Some(&a.name),
        headline: None,
        url,
    }
}

fn note_ref(site: &Site, id: usize) -> PageRef<'_> {
    let n = &site.notes[id];
    let url = named_page_url(
        &site.config,
        Section::Notes,
        n.slug.as_str(),
        n.fallback.as_ref(),
    );
    PageRef {
        kind: "Article",
        id: url.clone(),
        name: None,
        headline: Some(&n.title),
        url,
    }
}

fn actor_type(kind: Option<ActorKind>) -> &'static str {
    match kind {
        Some(ActorKind::Person) => "Person",
        Some(ActorKind::Organization) | Some(ActorKind::Group) => "Organization",
        Some(ActorKind::Country) => "Country",
        Some(ActorKind::Place) => "Place",
        None => "Thing",
    }
}

pub fn actor(site: &Site, actor: &Actor) -> Value {
    let config = &site.config;
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": actor_type(actor.kind),
        "@id": page_url(config, Section::Actors, actor.slug.as_str()),
        "name": actor.name,
        "url": page_url(config, Section::Actors, actor.slug.as_str()),
    });
    if !actor.summary.is_empty() {
        v["description"] = json!(excerpt(&actor.summary, SUMMARY_CHARS));
    }
    if !actor.aliases.is_empty() {
        v["alternateName"] = json!(actor.aliases);
    }
    if let Some(role) = &actor.role {
        if actor.kind == Some(ActorKind::Person) {
            v["jobTitle"] = json!(role);
        }
    }
    if let (Some(born), Some(ActorKind::Person)) = (actor.born, actor.kind) {
        v["birthDate"] = json!(born.iso());
    }
    if !actor.links.is_empty() {
        v["sameAs"] = json!(actor
            .links
            .iter()
            .map(|l| l.url.as_str())
            .collect::<Vec<_>>());
    }
    if let Some(image) = &actor.image {
        v["image"] = json!(absolute_asset(config, &open_graph_image(image)));
    }
    v
}

/// `html` with every URL in an `href`, `src`, `poster` or `srcset`
/// attribute resolved against `base` (an absolute URL), as a browser
/// showing the page at `base` would resolve it (RFC 3986, section 5). For
/// feed content: many readers ignore `xml:base`. Values that are not URI
/// references (a space, say) are left as written; the text of `<script>`
/// and `<style>` and comments are copied unchanged.
pub fn absolute_links(html: &str, base: &str) -> String {
    let Ok(base) = IriAbsoluteStr::new(base) else {
        return html.to_string();
    };
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            let end = after.find("-->").map_or(rest.len(), |e| 4 + e + 3);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let name_len = rest[1..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len() - 1);
        if name_len == 0 {
            out.push('<');
            rest = &rest[1..];
            continue;
        }
        let name = rest[1..1 + name_len].to_ascii_lowercase();
        let end = rewrite_tag(rest, 1 + name_len, base, &mut out);
        rest = &rest[end..];
        if name == "script" || name == "style" {
            // Raw text: copied up to its end tag, never read as tags.
            let close = format!("</{name}");
            let stop = rest.to_ascii_lowercase().find(&close).unwrap_or(rest.len());
            out.push_str(&rest[..stop]);
            rest = &rest[stop..];
        }
    }
    out.push_str(rest);
    out
}

/// Copies the start tag at the beginning of `tag` (its name ends at
/// `from`) into `out` with its URL attributes resolved; returns the byte
/// length of the tag.
fn rewrite_tag(tag: &str, from: usize, base: &IriAbsoluteStr, out: &mut String) -> usize {
    let bytes = tag.as_bytes();
    let mut i = from;
    out.push_str(&tag[..from]);
    while i < bytes.len() && bytes[i] != b'>' {
        if !bytes[i].is_ascii_alphabetic() {
            let c = tag[i..].chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
            continue;
        }
        let name_start = i;
        while i < bytes.len() && !b" \t\n\r\x0c/>=".contains(&bytes[i]) {
            i += 1;
        }
        let attr = tag[name_start..i].to_ascii_lowercase();
        out.push_str(&tag[name_start..i]);
        let mut j = i;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        if j >= bytes.len() || bytes[j] != b'=' {
            continue;
        }
        j += 1;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        out.push_str(&tag[i..j]);
        let (open, value_start) = match bytes.get(j) {
            Some(&q @ (b'"' | b'\'')) => (Some(q as char), j + 1),
            _ => (None, j),
        };
        let value_end = match open {
            Some(q) => tag[value_start..]
                .find(q)
                .map_or(tag.len(), |e| value_start + e),
            None => tag[value_start..]
                .find(|c: char| c.is_ascii_whitespace() || c == '>')
                .map_or(tag.len(), |e| value_start + e),
        };
        let value = &tag[value_start..value_end];
        if let Some(q) = open {
            out.push(q);
        }
        match attr.as_str() {
            "href" | "src" | "poster" => out.push_str(&resolve_reference(value, base)),
            "srcset" => {
                let candidates: Vec<String> = value
                    .split(',')
                    .map(|c| {
                        let c = c.trim();
                        let (url, size) = c.split_once(char::is_whitespace).unwrap_or((c, ""));
                        let url = resolve_reference(url, base);
                        if size.is_empty() {
                            url
                        } else {
                            format!("{url} {}", size.trim())
                        }
                    })
                    .collect();
                out.push_str(&candidates.join(", "));
            }
            _ => out.push_str(value),
        }
        i = value_end;
        if open.is_some() && i < bytes.len() {
            out.push(bytes[i] as char);
            i += 1;
        }
    }
    if i < bytes.len() {
        out.push('>');
        i += 1;
    }
    i
}

/// One URL reference resolved against `base`, or as written when it is
/// not one. HTML escapes (`&amp;`) are valid URI characters and stay.
fn resolve_reference(value: &str, base: &IriAbsoluteStr) -> String {
    let Ok(reference) = IriReferenceStr::new(value.trim()) else {
        return value.to_string();
    };
    let resolved = reference.resolve_against(base);
    match resolved.ensure_rfc3986_normalizable() {
        Ok(()) => resolved.to_string(),
        Err(_) => value.to_string(),
    }
}

/// `BreadcrumbList` from the home page down to the page itself.
pub fn breadcrumbs<'a>(trail: &'a [(&'a str, String)]) -> BreadcrumbList<'a> {
    BreadcrumbList {
        context: "https://schema.org",
        kind: "BreadcrumbList",
        items: (trail.iter().enumerate())
            .map(|(i, (name, url))| ListItem {
                kind: "ListItem",
                position: i + 1,
                name,
                item: url,
            })
            .collect(),
    }
}

/// A page's place in the site (schema.org `BreadcrumbList`).
#[derive(serde::Serialize)]
pub struct BreadcrumbList<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "itemListElement")]
    items: Vec<ListItem<'a>>,
}

#[derive(serde::Serialize)]
struct ListItem<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    position: usize,
    name: &'a str,
    item: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_strings_replace_exactly_the_five_characters() {
        let pieces = [
            "a", "<", ">", "&", "\u{2028}", "\u{2029}", "\u{2027}", "€", "é", "\"", "\n", " ",
        ];
        // Every string of three pieces, and one long one.
        let mut texts: Vec<String> = Vec::new();
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    texts.push(format!("{a}{b}{c}"));
                }
            }
        }
        texts.push(pieces.concat().repeat(50));
        for text in texts {
            let mut out = Vec::new();
            serde_json::ser::Formatter::write_string_fragment(&mut ScriptSafe, &mut out, &text)
                .unwrap();
            let expected = text
                .replace('<', "\\u003c")
                .replace('>', "\\u003e")
                .replace('&', "\\u0026")
                .replace('\u{2028}', "\\u2028")
                .replace('\u{2029}', "\\u2029");
            assert_eq!(String::from_utf8(out).unwrap(), expected, "{text:?}");
        }
    }

    #[test]
    fn absolute_urls_are_what_the_url_rules_join() {
        for base in [
            "https://news.example.org/",
            "https://example.org/repo/",
            "http://127.0.0.1:1111/",
        ] {
            let config = Config {
                base: url::Url::parse(base).unwrap(),
                base_url: base.to_string(),
                ..Default::default()
            };
            for path in [
                "",
                "articles/",
                "articles/niger-coup/",
                "actors/ecowas/feed.xml",
                "topics/x_y/page/2/",
                "/rooted/",
                "../up/",
                "a b/",
                "côte/",
                "a?b#c",
                "./here/",
            ] {
                let joined: String = config.base.join(path).unwrap().into();
                assert_eq!(absolute(&config, path), joined, "{base} + {path}");
            }
        }
    }

    #[test]
    fn json_ld_cannot_close_its_script_element() {
        let v = json!({
            "headline": "</script><script>alert(1)</script> <!-- & \u{2028}\u{2029} \u{2027}é€",
            "</script>": ["a\n<b>\"&\"", { "x<": "\u{2028}\u{2029}\u{2028}" }],
        });
        let s = script_safe_json(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        assert!(!s.contains('\u{2028}') && !s.contains('\u{2029}'));
        assert!(s.contains("\\u2028\\u2029 \u{2027}é€"), "{s}");
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v, "still the same JSON");
    }

    #[test]
    fn assets_become_absolute() {
        let base = crate::config::parse_base_url("https://x.org/news").unwrap();
        let c = Config {
            base_url: base.to_string(),
            base,
            ..Config::default()
        };
        assert_eq!(
            absolute_asset(&c, "/img/a.png"),
            "https://x.org/news/img/a.png"
        );
        assert_eq!(absolute_asset(&c, "https://cdn/a.png"), "https://cdn/a.png");
        assert_eq!(
            absolute_asset(&c, "img/niamey at night.jpg"),
            "https://x.org/news/img/niamey%20at%20night.jpg",
            "joined by the URL rules"
        );
        assert_eq!(
            absolute(&c, "articles/x/"),
            "https://x.org/news/articles/x/"
        );
    }

    #[test]
    fn feed_links_become_absolute() {
        let base = "https://x.org/news/articles/a/";
        let html = concat!(
            "<p><a href=\"../../actors/m/index.html\" data-xref=\"actors/m\">M</a> ",
            "<a href=\"#fn-1\">1</a> <a href='https://other.org/x'>o</a> ",
            "<img alt=\"a > b\" src=../../img/a.png> <a href=\"/top\">t</a> ",
            "<img srcset=\"s.png 1x, ../l.png 2x\"> <a href=\"a b\">x</a> ",
            "<A HREF=\"?q=1&amp;r=2\">q</A> 3 < 4 <!-- <a href=\"c\"> --></p>",
            "<script>if (a<b) x = '<img src=\"s\">';</script><br/><p é>"
        );
        assert_eq!(
            absolute_links(html, base),
            concat!(
                "<p><a href=\"https://x.org/news/actors/m/index.html\" data-xref=\"actors/m\">M</a> ",
                "<a href=\"https://x.org/news/articles/a/#fn-1\">1</a> <a href='https://other.org/x'>o</a> ",
                "<img alt=\"a > b\" src=https://x.org/news/img/a.png> <a href=\"https://x.org/top\">t</a> ",
                "<img srcset=\"https://x.org/news/articles/a/s.png 1x, https://x.org/news/articles/l.png 2x\"> <a href=\"a b\">x</a> ",
                "<A HREF=\"https://x.org/news/articles/a/?q=1&amp;r=2\">q</A> 3 < 4 <!-- <a href=\"c\"> --></p>",
                "<script>if (a<b) x = '<img src=\"s\">';</script><br/><p é>"
            )
        );
        assert_eq!(
            absolute_links("<p>no tags</p>", "not a url"),
            "<p>no tags</p>"
        );
    }
}
