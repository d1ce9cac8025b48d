//! Checks of the HTML a `.html` shortcode renders: where it may stand in
//! the body (block or phrasing content), the images it shows, and script
//! it must not carry.

use super::super::links::is_script_url;

/// Elements of HTML that are not phrasing content: none may stand where
/// only phrasing content may (HTML, "Content models").
pub(super) const BLOCK_ELEMENTS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "dialog",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
];

/// The elements HTML never closes.
pub(super) const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// The first block element `html` opens, if any.
pub(super) fn block_element(html: &str) -> Option<&'static str> {
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let name = tag_name(rest);
        if let Some(b) = BLOCK_ELEMENTS.iter().find(|b| b.eq_ignore_ascii_case(name)) {
            return Some(b);
        }
    }
    None
}

/// The name of the tag whose text (after `<`) starts `rest`.
pub(super) fn tag_name(rest: &str) -> &str {
    let len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    &rest[..len]
}

/// How an open element that may hold only phrasing content is named in a
/// message; `None` for one that may hold blocks.
pub(super) fn phrasing_context(tag: &str) -> Option<&'static str> {
    Some(match tag {
        "a" => "a link",
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => "a heading",
        "p" => "a paragraph's running text",
        "em" | "strong" | "i" | "b" | "s" | "del" | "u" | "mark" | "small" => "emphasis",
        "code" | "span" | "sup" | "sub" | "abbr" | "cite" | "q" | "label" | "button" | "dt" => {
            "inline text"
        }
        _ => return None,
    })
}

/// Follows the tags of `html` (the next stretch of a rendered body),
/// keeping `open`, the elements open after it, up to date; when the
/// stretch ends inside a tag, returns where that tag starts (its `<`),
/// which is left for the next stretch.
pub(super) fn scan_tags(html: &str, open: &mut Vec<String>) -> Option<usize> {
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        let tag_start = html.len() - rest.len() + at;
        rest = &rest[at + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            match comment.find("-->") {
                Some(end) => rest = &comment[end + 3..],
                None => return None,
            }
            continue;
        }
        let Some(end) = rest.find('>') else {
            return Some(tag_start);
        };
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if let Some(closing) = tag.strip_prefix('/') {
            let name = tag_name(closing).to_ascii_lowercase();
            if let Some(i) = open.iter().rposition(|t| *t == name) {
                open.truncate(i);
            }
            continue;
        }
        let name = tag_name(tag).to_ascii_lowercase();
        if !name.is_empty() && !tag.ends_with('/') && !VOID_ELEMENTS.contains(&name.as_str()) {
            open.push(name);
        }
    }
    None
}

/// The `src` of every `<img>` in `html` (quoted or bare), as written.
pub fn img_sources(html: &str) -> Vec<&str> {
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find("<img").map(|i| i + from) {
        let end = lower[at..].find('>').map_or(lower.len(), |i| i + at);
        from = end.max(at + 4);
        let tag = &lower[at..end];
        let Some(value_at) = [" src=", "\tsrc=", "\nsrc="]
            .iter()
            .filter_map(|p| tag.find(p).map(|i| at + i + p.len()))
            .min()
        else {
            continue;
        };
        let value = match html.as_bytes().get(value_at) {
            Some(&q @ (b'"' | b'\'')) => html[value_at + 1..end].split(q as char).next(),
            _ => html[value_at..end]
                .split(|c: char| c.is_ascii_whitespace() || c == '/')
                .next(),
        };
        found.extend(value.filter(|v| !v.is_empty()));
    }
    found
}

/// What in a shortcode's HTML output could run a script: a `<script>`
/// element, an event-handler attribute, `srcdoc`, or an attribute whose
/// value is a `javascript:`, `vbscript:` or `data:` URL. `None` when
/// there is none. Attribute values are read with their character
/// references decoded, as a browser reads them.
pub fn script_in_html(html: &str) -> Option<String> {
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(n) = memchr::memchr(b'<', &bytes[i..]) {
        i += n + 1;
        if html[i..].starts_with("!--") {
            i = html[i..].find("-->").map_or(bytes.len(), |e| i + e + 3);
            continue;
        }
        let name_start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let tag = html[name_start..i].to_ascii_lowercase();
        if tag.is_empty() {
            continue;
        }
        if tag == "script" {
            return Some("a <script> element".into());
        }
        // Attributes until `>`.
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' {
                break;
            }
            let attr_start = i;
            while i < bytes.len()
                && !bytes[i].is_ascii_whitespace()
                && !matches!(bytes[i], b'=' | b'>' | b'/')
            {
                i += 1;
            }
            let attr = html[attr_start..i].to_ascii_lowercase();
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut value = "";
            if bytes.get(i) == Some(&b'=') {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                match bytes.get(i) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let end =
                            memchr::memchr(q, &bytes[i + 1..]).map_or(bytes.len(), |e| i + 1 + e);
                        value = &html[i + 1..end];
                        i = (end + 1).min(bytes.len());
                    }
                    _ => {
                        let start = i;
                        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>'
                        {
                            i += 1;
                        }
                        value = &html[start..i];
                    }
                }
            }
            if attr.starts_with("on") {
                return Some(format!("an event handler ({attr})"));
            }
            if attr == "srcdoc" {
                return Some("an iframe srcdoc".into());
            }
            if attr.is_empty() {
                i += 1;
                continue;
            }
            let decoded = decode_references(value);
            if is_script_url(&decoded) {
                return Some(format!("a script URL in {attr}=\"{}\"", decoded.trim()));
            }
        }
    }
    None
}

/// Character references decoded enough to read a URL's scheme: numeric
/// ones and the named ones that spell `:`, tab and newline.
pub(super) fn decode_references(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(n) = rest.find('&') {
        out.push_str(&rest[..n]);
        rest = &rest[n..];
        let end = rest[1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
            .map_or(rest.len(), |e| e + 1);
        let name = &rest[1..end];
        let decoded = if let Some(num) = name.strip_prefix('#') {
            let n = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse().ok(),
            };
            n.and_then(char::from_u32)
        } else {
            match name {
                "colon" => Some(':'),
                "Tab" => Some('\t'),
                "NewLine" => Some('\n'),
                _ => None,
            }
        };
        match decoded {
            Some(c) if end > 1 => {
                out.push(c);
                rest = rest[end..].strip_prefix(';').unwrap_or(&rest[end..]);
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
