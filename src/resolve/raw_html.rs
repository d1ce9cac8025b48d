//! The `raw_html` policy of `site.toml` for raw HTML in Markdown bodies:
//! passed through (`trusted`, the default: a newsroom embeds media),
//! cleaned with an allow-list (`sanitize`), or refused at its line and
//! column (`deny`). Front-matter Markdown never passes raw HTML, whatever
//! the policy: it is shown as text.

use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{Event, Parser, Tag};

use super::markdown::{parser_options, MarkdownError, Rendered};
use crate::config::RawHtml;

/// Applies the policy to a body just rendered from `text`: under
/// `sanitize` its HTML (and lifted know section) is cleaned, under `deny`
/// every raw HTML block and inline tag becomes an error.
pub fn apply(policy: RawHtml, text: &str, rendered: &mut Rendered) {
    match policy {
        RawHtml::Trusted => {}
        RawHtml::Sanitize => {
            let html = sanitize(&rendered.html);
            rendered.html_hash = xxhash_rust::xxh3::xxh3_64(html.as_bytes());
            rendered.html = html.into();
            if let Some(know) = &rendered.know_html {
                rendered.know_html = Some(sanitize(know).into());
            }
        }
        RawHtml::Deny => {
            rendered
                .errors
                .extend(raw_html_ranges(text).into_iter().map(|range| MarkdownError {
                    range,
                    message: "raw HTML is not allowed: site.toml sets raw_html = \"deny\""
                        .into(),
                    help: Some(
                        "write it in Markdown, or remove it (text meant literally can be escaped as \\<)"
                            .into(),
                    ),
                }));
        }
    }
}

/// Where the raw HTML of a Markdown text is: each HTML block (from its
/// first line) and each inline tag that opens an element, by byte range.
/// A closing tag belongs to the element already reported at its opening
/// tag, and a comment renders nothing, so neither is reported. The same
/// parser options as the body pass, so it sees exactly what the body pass
/// would have passed through.
pub fn raw_html_ranges(text: &str) -> Vec<Range<usize>> {
    Parser::new_ext(text, parser_options())
        .into_offset_iter()
        .filter(|(event, range)| match event {
            Event::Start(Tag::HtmlBlock) | Event::InlineHtml(_) => {
                opens_markup(&text[range.clone()])
            }
            _ => false,
        })
        .map(|(_, range)| range)
        .collect()
}

/// Whether raw HTML holds anything but comments and closing tags: an
/// opening tag, a declaration or a processing instruction. An unclosed
/// comment runs to the end, as in a browser.
fn opens_markup(html: &str) -> bool {
    let mut rest = html;
    loop {
        let (before, after) = match rest.find("<!--") {
            Some(i) => (
                &rest[..i],
                rest[i + 4..].find("-->").map(|j| &rest[i + 4 + j + 3..]),
            ),
            None => (rest, None),
        };
        let opens = before.match_indices('<').any(|(i, _)| {
            before[i + 1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '!' || c == '?')
        });
        if opens {
            return true;
        }
        match after {
            Some(a) if rest.contains("<!--") => rest = a,
            _ => return false,
        }
    }
}

/// Cleans rendered body HTML with ammonia: the tags and attributes
/// Markdown itself produces, plus common embeds (iframe, figure, video,
/// audio, a post's blockquote). Scripts, styles, event handlers, forms
/// and URLs with a scheme other than http, https, mailto and tel are
/// removed; relative URLs stay.
pub fn sanitize(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_tags([
        "iframe",
        "video",
        "audio",
        "source",
        "track",
        "picture",
        "figure",
        "figcaption",
        "section",
        "input",
    ])
    // What the Markdown renderer writes: heading ids, classes of code
    // blocks and cross-references, hover-card data, labelled checkboxes.
    .add_generic_attributes(["id", "class", "dir", "role"])
    .add_generic_attribute_prefixes(["aria-", "data-"])
    .add_tag_attributes(
        "iframe",
        [
            "src",
            "width",
            "height",
            "allow",
            "allowfullscreen",
            "title",
            "loading",
            "frameborder",
            "referrerpolicy",
        ],
    )
    .add_tag_attributes(
        "video",
        [
            "src",
            "width",
            "height",
            "controls",
            "poster",
            "preload",
            "muted",
            "loop",
            "playsinline",
        ],
    )
    .add_tag_attributes("audio", ["src", "controls", "preload", "muted", "loop"])
    // Responsive images: the `<picture>` markup the media pipeline writes
    // (srcset URLs are image requests; a browser never runs a script URL
    // from them).
    .add_tag_attributes("source", ["src", "type", "media", "srcset", "sizes"])
    .add_tag_attributes("track", ["src", "kind", "srclang", "label", "default"])
    .add_tag_attributes("img", ["loading", "srcset", "sizes", "decoding"])
    .add_tag_attributes("blockquote", ["cite"])
    .add_tag_attributes("input", ["type", "checked", "disabled"])
    // A task list's checkbox is the only input Markdown makes.
    .set_tag_attribute_value("input", "type", "checkbox")
    .set_tag_attribute_value("input", "disabled", "")
    // Table alignment from Markdown, and nothing else of CSS.
    .add_tag_attributes("th", ["style"])
    .add_tag_attributes("td", ["style"])
    .filter_style_properties(["text-align"].into_iter().collect())
    // Links keep their own attributes; Markdown links are not changed.
    .link_rel(None)
    // Of ammonia's default schemes (ftp, irc, magnet, sms, ...), only
    // those a news page links to.
    .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect());
    b
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_keeps_embeds_and_markdown_output() {
        let embed = r#"<figure><iframe src="https://www.youtube-nocookie.com/embed/x" width="560" height="315" title="Video" allow="encrypted-media" allowfullscreen="" loading="lazy"></iframe><figcaption>Niamey</figcaption></figure>"#;
        assert_eq!(sanitize(embed), embed);
        let picture = r#"<figure><picture><source type="image/webp" srcset="../../a/p.jpg.480w.webp 480w, ../../a/p.jpg.800w.webp 800w" sizes="100vw"><img src="../../a/p.jpg.800w.jpg" srcset="../../a/p.jpg.480w.jpg 480w, ../../a/p.jpg.800w.jpg 800w" sizes="100vw" width="800" height="400" alt="A street" loading="lazy" decoding="async"></picture><figcaption>Niamey</figcaption></figure>"#;
        assert_eq!(sanitize(picture), picture);
        let tweet = r#"<blockquote class="twitter-tweet" cite="https://x.com/a/status/1"><p>Text</p></blockquote>"#;
        assert_eq!(sanitize(tweet), tweet);
        let media = r#"<video src="a.mp4" controls="" poster="a.jpg"><source src="a.webm" type="video/webm"></video><audio src="a.mp3" controls=""></audio>"#;
        assert_eq!(sanitize(media), media);
        let markdown = "<h2 id=\"who\">Who</h2>\n<p><a class=\"xref xref-actor\" href=\"../../actors/x/index.html\" data-xref=\"actors/x\">X</a> <code>y</code></p>\n<ul>\n<li><input disabled=\"\" type=\"checkbox\" checked=\"\" aria-label=\"Done\"> sent</li>\n</ul>\n<table><thead><tr><th style=\"text-align: center\">a</th></tr></thead></table>\n";
        let clean = sanitize(markdown);
        for kept in [
            "<h2 id=\"who\">",
            "class=\"xref xref-actor\"",
            "data-xref=\"actors/x\"",
            "href=\"../../actors/x/index.html\"",
            "aria-label=\"Done\"",
            "checked=\"\"",
            "type=\"checkbox\"",
            "<code>y</code>",
            "style=\"text-align:center\"",
        ] {
            assert!(clean.contains(kept), "{kept} lost: {clean}");
        }
    }

    #[test]
    fn sanitize_removes_scripts_handlers_and_script_urls() {
        let hostile = concat!(
            "<script>alert(1)</script><p onclick=\"alert(1)\">a</p>",
            "<img src=x onerror=alert(1)><svg onload=alert(1)></svg>",
            "<a href=\"JaVaScRiPt:alert(1)\">b</a><a href=\"&#106;avascript:alert(1)\">c</a>",
            "<a href=\"java\tscript:alert(1)\">d</a><iframe src=\"javascript:alert(1)\"></iframe>",
            "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>",
            "<object data=\"x.swf\"></object><form action=\"https://x\"><input type=\"text\" name=\"q\"></form>",
            "<style>body{}</style><td style=\"background:url(javascript:alert(1))\">e</td>",
            "<!--<script>alert(1)</script>-->",
            "<a href=\"ftp://x.org/\">f</a><a href=\"mailto:desk@x.org\">m</a><a href=\"../x/\">r</a>",
        );
        let clean = sanitize(hostile).to_ascii_lowercase();
        for gone in [
            "<script",
            "onclick",
            "onerror",
            "onload",
            "javascript",
            "srcdoc",
            "<object",
            "<form",
            "<style",
            "background",
            "<svg",
            "type=\"text\"",
        ] {
            assert!(!clean.contains(gone), "{gone} kept: {clean}");
        }
        assert!(
            clean.contains("<p>a</p>") && clean.contains(">b</a>"),
            "{clean}"
        );
        assert!(!clean.contains("ftp:"), "{clean}");
        assert!(
            clean.contains("<a href=\"mailto:desk@x.org\">m</a><a href=\"../x/\">r</a>"),
            "{clean}"
        );
    }

    #[test]
    fn deny_finds_every_block_and_inline_tag() {
        let text = "Intro <b>bold</b> text.\n\n<div>\nblock\n</div>\n\n`<code>` and\n\n    <indented code>\n\n<!-- note -->\n\nA <!-- remark --> here, <i>one</i> <!-- x --><u>two</u>.\n\n<!-- a --> <script>x</script>\n\n<section>\n\nText.\n\n</section>\n";
        let found: Vec<&str> = raw_html_ranges(text)
            .into_iter()
            .map(|r| text[r].lines().next().unwrap_or(""))
            .collect();
        // One per element, at its opening tag; comments and closing tags
        // are not reported, but markup after a comment is.
        assert_eq!(
            found,
            [
                "<b>",
                "<div>",
                "<i>",
                "<u>",
                "<!-- a --> <script>x</script>",
                "<section>"
            ]
        );
        assert!(!opens_markup("<!-- unclosed <b>"));
        assert!(opens_markup("<!DOCTYPE html>"));
    }
}
