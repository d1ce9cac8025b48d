//! Page metadata for machines: canonical URLs and JSON-LD structured data.
//! JSON-LD sits inside `<script>`, so it is escaped to stay inert whatever
//! a title or name contains.

use serde_json::{json, Value};

use crate::config::Config;
use crate::model::{excerpt, ActorKind, Section, SUMMARY_CHARS};
use crate::resolve::links::page_dir;
use crate::resolve::{Actor, Article, Note, Site};

/// The absolute URL of an output folder (`https://site/articles/x/`).
pub fn absolute(config: &Config, dir: &str) -> String {
    format!("{}{}", config.base_url, dir)
}

pub fn page_url(config: &Config, section: Section, slug: &str) -> String {
    absolute(config, &page_dir(section, slug))
}

/// An asset path or URL made absolute.
pub fn absolute_asset(config: &Config, src: &str) -> String {
    if src.contains("://") {
        src.to_string()
    } else if let Some(rest) = src.strip_prefix("//") {
        format!("https://{rest}")
    } else {
        absolute(config, src.trim_start_matches('/'))
    }
}

/// Serialises JSON-LD so it can sit inside `<script>`: `<`, `>` and `&`
/// become `\u003c`, `\u003e`, `\u0026`, so neither `</script>` nor `<!--`
/// can end or change the script element, and the JSON stays valid.
pub fn script_safe_json(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    // Copied by runs between the few characters to replace, found byte by
    // byte (U+2028 and U+2029 are E2 80 A8 and E2 80 A9 in UTF-8).
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 64);
    let mut copied = 0;
    for (at, &b) in bytes.iter().enumerate() {
        let (replacement, len) = match b {
            b'<' => ("\\u003c", 1),
            b'>' => ("\\u003e", 1),
            b'&' => ("\\u0026", 1),
            0xE2 if bytes.get(at + 1) == Some(&0x80) => match bytes.get(at + 2) {
                Some(0xA8) => ("\\u2028", 3),
                Some(0xA9) => ("\\u2029", 3),
                _ => continue,
            },
            _ => continue,
        };
        out.push_str(&text[copied..at]);
        out.push_str(replacement);
        copied = at + len;
    }
    out.push_str(&text[copied..]);
    out
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

pub fn news_article(site: &Site, article: &Article) -> Value {
    let config = &site.config;
    let url = page_url(config, Section::Articles, article.slug.as_str());
    let authors: Vec<Value> = article_authors(site, article)
        .iter()
        .map(|a| json!({ "@type": "Person", "name": a }))
        .collect();
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": excerpt(&article.summary, SUMMARY_CHARS),
        "datePublished": article.date.rfc3339(),
        "dateModified": article.updated.unwrap_or(article.date).rfc3339(),
        "mainEntityOfPage": { "@type": "WebPage", "@id": url },
        "url": url,
        "publisher": publisher(config),
        "inLanguage": config.language,
        "about": article.actors.iter().map(|&id| actor_ref(site, id)).collect::<Vec<_>>(),
        "mentions": article.background.iter().map(|&id| note_ref(site, id)).collect::<Vec<_>>(),
        "keywords": article.topics.iter().map(|t| site.topics[*t].name.as_str()).collect::<Vec<_>>(),
    });
    if !authors.is_empty() {
        v["author"] = Value::Array(authors);
    }
    if let Some(image) = &article.image {
        v["image"] = json!([absolute_asset(config, &image.src)]);
    }
    v
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

/// An actor named by another page: its type and profile URL, which is
/// also the `@id` of the profile's own JSON-LD.
fn actor_ref(site: &Site, id: usize) -> Value {
    let a = &site.actors[id];
    let url = page_url(&site.config, Section::Actors, a.slug.as_str());
    json!({ "@type": actor_type(a.kind), "@id": url, "name": a.name, "url": url })
}

fn note_ref(site: &Site, id: usize) -> Value {
    let n = &site.notes[id];
    let url = page_url(&site.config, Section::Notes, n.slug.as_str());
    json!({ "@type": "Article", "@id": url, "headline": n.title, "url": url })
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

/// Bylines: the article's own, else the site's default authors.
pub fn article_authors<'a>(site: &'a Site, article: &'a Article) -> &'a [String] {
    if article.authors.is_empty() {
        &site.config.authors
    } else {
        &article.authors
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
        v["image"] = json!(absolute_asset(config, &image.src));
    }
    v
}

/// `BreadcrumbList` from the home page down to the page itself.
pub fn breadcrumbs(trail: &[(&str, String)]) -> Value {
    let items: Vec<Value> = trail
        .iter()
        .enumerate()
        .map(|(i, (name, url))| json!({ "@type": "ListItem", "position": i + 1, "name": name, "item": url }))
        .collect();
    json!({ "@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_cannot_close_its_script_element() {
        let v = json!({ "headline": "</script><script>alert(1)</script> <!-- & \u{2028}\u{2029} \u{2027}é€" });
        let s = script_safe_json(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        assert!(!s.contains('\u{2028}') && !s.contains('\u{2029}'));
        assert!(s.contains("\\u2028\\u2029 \u{2027}é€"), "{s}");
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v, "still the same JSON");
    }

    #[test]
    fn assets_become_absolute() {
        let c = Config {
            base_url: "https://x.org/news/".into(),
            ..Config::default()
        };
        assert_eq!(
            absolute_asset(&c, "/img/a.png"),
            "https://x.org/news/img/a.png"
        );
        assert_eq!(absolute_asset(&c, "https://cdn/a.png"), "https://cdn/a.png");
    }
}
