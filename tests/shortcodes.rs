//! Shortcodes and embeds on whole sites: each built-in shortcode, a site's
//! own shortcode with declared arguments, every embed provider's URL alone
//! on its line, the placeholders' privacy (no third-party URL in any `src`
//! before a click), and each bad call reported at `path:line:column`.

use crate::support;

use support::*;

fn article(slug: &str, body: &str) -> (String, String) {
    (
        format!("content/articles/{slug}.md"),
        format!("+++\ntitle = \"{slug}\"\ndate = 2023-10-10\n+++\n\n{body}"),
    )
}

fn site(files: &[(String, String)]) -> Site {
    let all: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    Site::new(&all)
}

fn body_of(html: &str) -> &str {
    let start = html.find("<div class=\"article-body prose\">").unwrap();
    let end = html[start..]
        .find("<aside")
        .map_or(html.len(), |e| start + e);
    &html[start..end]
}

/// One URL of each provider, and the host its frame loads from.
const PROVIDER_URLS: &[(&str, &str, &str)] = &[
    (
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "YouTube",
        "www.youtube-nocookie.com",
    ),
    ("https://vimeo.com/76979871", "Vimeo", "player.vimeo.com"),
    (
        "https://x.com/NASA/status/1234567890123456789",
        "X",
        "platform.twitter.com",
    ),
    (
        "https://twitter.com/NASA/status/1234567890123456789",
        "X",
        "platform.twitter.com",
    ),
    (
        "https://www.instagram.com/p/CxYz123AbC/",
        "Instagram",
        "www.instagram.com",
    ),
    (
        "https://www.tiktok.com/@scout2015/video/6718335390845095173",
        "TikTok",
        "www.tiktok.com",
    ),
    (
        "https://bsky.app/profile/bsky.app/post/3l6oveex3ii2l",
        "Bluesky",
        "embed.bsky.app",
    ),
    (
        "https://mastodon.social/@Gargron/109386414290312134",
        "Mastodon",
        "mastodon.social",
    ),
    (
        "https://soundcloud.com/forss/flickermood",
        "SoundCloud",
        "w.soundcloud.com",
    ),
    (
        "https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk",
        "Spotify",
        "open.spotify.com",
    ),
    (
        "https://datawrapper.dwcdn.net/a1B2c/3/",
        "Datawrapper",
        "datawrapper.dwcdn.net",
    ),
    (
        "https://public.flourish.studio/visualisation/1234567/",
        "Flourish",
        "flo.uri.sh",
    ),
    (
        "https://www.documentcloud.org/documents/20059068-the-mueller-report",
        "DocumentCloud",
        "embed.documentcloud.org",
    ),
    (
        "https://www.scribd.com/document/123456789/Some-Report",
        "Scribd",
        "www.scribd.com",
    ),
    (
        "https://www.google.com/maps/place/Niamey/@13.5127,2.1128,12z",
        "Google Maps",
        "maps.google.com",
    ),
    (
        "https://www.openstreetmap.org/#map=12/13.5116/2.1254",
        "OpenStreetMap",
        "www.openstreetmap.org",
    ),
];

/// Every value of an attribute named exactly `attr` (not `data-...-attr`).
fn exact_attribute_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let pattern = format!(" {attr}=\"");
    html.match_indices(&pattern)
        .map(|(i, _)| {
            let rest = &html[i + pattern.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

#[test]
fn every_provider_url_alone_on_its_line_becomes_a_placeholder() {
    let body: String = PROVIDER_URLS
        .iter()
        .map(|(url, _, _)| format!("{url}\n\n"))
        .collect::<String>()
        + "https://example.com/report\n\nSee https://www.youtube.com/watch?v=dQw4w9WgXcQ in a sentence.\n";
    let site = site(&[article("a", &body)]);
    site.build_checked();
    let html = site.out("articles/a/index.html");
    let body = body_of(&html);
    let placeholders: Vec<&str> = body.split("<div class=\"embed ").skip(1).collect();
    assert_eq!(placeholders.len(), PROVIDER_URLS.len(), "{body}");
    for ((url, name, host), p) in PROVIDER_URLS.iter().zip(&placeholders) {
        let link = url::Url::parse(url).unwrap().to_string();
        assert!(p.contains(&format!("<a href=\"{link}\">")), "{url}: {p}");
        assert!(
            p.contains(&format!("data-embed-frame=\"https://{host}/")),
            "{url}: {p}"
        );
        assert!(
            p.contains(&format!(
                "<p class=\"embed-provider\" data-pagefind-ignore>{name} "
            )),
            "{url}: {p}"
        );
        assert!(
            p.contains(&format!(
                "<button type=\"button\" class=\"embed-load\">Load the {name} "
            )),
            "{url}: {p}"
        );
        assert!(
            p.contains(&format!("Loading it connects to {host}.")),
            "{url}: {p}"
        );
    }
    // Privacy before the click: no frame, no script, no image, and no
    // third-party address in any src or srcset of the whole page.
    for tag in ["<iframe", "<img", "<script src=\"http", "<video", "<audio"] {
        assert!(!html.contains(tag), "{tag} before a click");
    }
    for attr in ["src", "srcset", "poster", "data"] {
        for value in exact_attribute_values(&html, attr) {
            assert!(!value.contains("://"), "{attr}=\"{value}\" before a click");
        }
    }
    assert!(html.contains("youtube-nocookie.com"));
    assert!(!html.contains("www.youtube.com/embed"));
    // Other URLs on their own line are plain links.
    assert!(
        body.contains(
            "<p><a href=\"https://example.com/report\">https://example.com/report</a></p>"
        ),
        "{body}"
    );
    assert!(body.contains("See https://www.youtube.com/watch?v=dQw4w9WgXcQ in a sentence."));
    // The embed script is a hashed asset, loaded only on pages with embeds.
    let script = hashed_asset(&site.root().join("public"), "embeds.js");
    assert!(
        html.contains(&format!("<script src=\"../../{script}\" defer></script>")),
        "{html}"
    );
    assert!(!site.out("index.html").contains("embeds."));
    let js = std::fs::read_to_string(site.root().join("public").join(&script)).unwrap();
    assert!(js.contains("data-embed-frame") && js.contains("createElement(\"iframe\")"));
}

#[test]
fn builtin_shortcodes_render() {
    let site = site(&[
        article(
            "a",
            "Intro.\n\n{{ youtube(id=\"dQw4w9WgXcQ\", title=\"Rally in Niamey\") }}\n\n\
             {{ vimeo(id=\"76979871\") }}\n\n\
             {{ embed(provider=\"openstreetmap\", id=\"12/13.5116/2.1254\") }}\n\n\
             {{ embed(url=\"https://vimeo.com/1234\") }}\n\n\
             {% callout(kind=\"warning\") %}\nFigures are **provisional**.\n{% end %}\n\n\
             {% callout(title=\"Background\") %}\nA note.\n{% end %}\n\n\
             {% pullquote(source=\"A resident\") %}\nWe waited all night.\n{% end %}\n\n\
             {{ figure(src=\"https://example.org/p.jpg\", alt=\"A crowd\", caption=\"The rally\", credit=\"Photo: Agency\") }}\n\n\
             After.\n",
        ),
    ]);
    site.build_checked();
    let html = site.out("articles/a/index.html");
    let body = body_of(&html);
    assert!(
        body.contains("data-embed-frame=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\"")
    );
    assert!(
        body.contains("data-embed-title=\"YouTube video: Rally in Niamey\""),
        "{body}"
    );
    assert!(body.contains("Load the YouTube video: Rally in Niamey</button>"));
    assert!(body
        .contains("<a href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\">Rally in Niamey</a>"));
    assert!(body.contains("data-embed-frame=\"https://player.vimeo.com/video/76979871?dnt=1\""));
    assert!(body.contains("data-embed-frame=\"https://player.vimeo.com/video/1234?dnt=1\""));
    assert!(body.contains("https://www.openstreetmap.org/export/embed.html?bbox="));
    assert!(body.contains(
        "<div class=\"callout callout-warning\" role=\"note\">\n<p class=\"callout-title\" data-pagefind-ignore>Warning</p>\n<p>Figures are <strong>provisional</strong>.</p>\n</div>"
    ), "{body}");
    assert!(body.contains("<p class=\"callout-title\">Background</p>\n<p>A note.</p>"));
    assert!(body.contains(
        "<figure class=\"pullquote\">\n<blockquote>\n<p>We waited all night.</p>\n</blockquote>\n<figcaption>A resident</figcaption>\n</figure>"
    ), "{body}");
    // `figure` writes the image syntax, which the body pass renders.
    assert!(body.contains("src=\"https://example.org/p.jpg\""), "{body}");
    assert!(body.contains("alt=\"A crowd\""));
    assert!(body.contains("The rally"));
    assert!(!body.contains("xshortcode") && !body.contains('\u{1}'));
    assert!(body.contains("<p>Intro.</p>") && body.contains("<p>After.</p>"));
}

#[test]
fn a_site_shortcode_with_declared_arguments() {
    let site = site(&[
        (
            "templates/shortcodes/stat.html".into(),
            "{#- shortcode\n[args]\nvalue = { type = \"integer\", required = true }\nlabel = { type = \"string\", default = \"people\" }\nbig = { type = \"bool\", default = false }\n-#}\n<span class=\"stat{% if big %} big{% endif %}\">{{ value }} {{ label }}</span>".into(),
        ),
        (
            // Replaces the built-in callout.html.
            "templates/shortcodes/callout.md".into(),
            "{#- shortcode\nbody = \"required\"\n-#}\n**Site callout:** {{ body | trim }}".into(),
        ),
        (
            "templates/shortcodes/aside.md".into(),
            "{#- shortcode\nbody = \"optional\"\n-#}\n*{{ body | trim }}* [[b]]".into(),
        ),
        article("a", "At least {{ stat(value=120, big=true) }} fled, and {{ stat(value=3, label=\"<towns>\") }}.\n\n{% aside() %}\nBy the way\n{% end %}\n\n{% callout() %}\nmine\n{% end %}\n\nCode: `{{ stat(value=1) }}` and {{/* stat(value=2) */}}.\n"),
        article("b", "B.\n"),
    ]);
    site.build_checked();
    let body = site.out("articles/a/index.html");
    let body = body_of(&body);
    assert!(body.contains("At least <span class=\"stat big\">120 people</span> fled, and <span class=\"stat\">3 &lt;towns&gt;</span>."), "{body}");
    // A `.md` shortcode's output is Markdown of the page: its wikilink resolves.
    assert!(body.contains("<em>By the way</em> <a class=\"xref xref-article\" href=\"../../articles/b/index.html\""), "{body}");
    assert!(
        body.contains("<p><strong>Site callout:</strong> mine</p>"),
        "{body}"
    );
    assert!(body.contains("<code>{{ stat(value=1) }}</code>"), "{body}");
    assert!(body.contains("and {{ stat(value=2) }}."), "{body}");
}

/// Builds a site with one article body and returns stderr of the failed
/// build.
fn failure(body: &str) -> String {
    let s = site(&[article("bad", body)]);
    let out = s.build();
    assert!(!out.status.success(), "build succeeded for {body:?}");
    assert!(!s.exists("index.html"), "a failed build wrote output");
    stderr(&out)
}

#[test]
fn bad_calls_are_errors_at_their_line_and_column() {
    // The body starts on line 6 of the file.
    let cases: &[(&str, &str, &str)] = &[
        (
            "Text.\n\n{{ youtub(id=\"dQw4w9WgXcQ\") }}\n",
            "bad.md:8:4: unknown shortcode \"youtub\"",
            "did you mean \"youtube\"",
        ),
        (
            "{{ youtube(idd=\"dQw4w9WgXcQ\") }}\n",
            "bad.md:6:12: unknown argument `idd` of shortcode \"youtube\"",
            "did you mean \"id\"",
        ),
        (
            "{{ figure(alt=\"x\") }}\n",
            "bad.md:6:4: shortcode \"figure\" is missing its argument `src`",
            "add src=",
        ),
        (
            "{{ figure(src=\"a.jpg\", alt=\"x\", decorative=\"yes\") }}\n",
            "bad.md:6:44: argument `decorative` of \"figure\" must be true or false, not a string",
            "true or false",
        ),
        (
            "{% callout(kind=\"tip\") %}\nx\n{% end %}\n",
            "bad.md:6:17: `kind` of \"callout\" cannot be \"tip\"",
            "note, warning",
        ),
        (
            "Intro.\n\n{% callout() %}\nNever ended.\n",
            "bad.md:8:1: unclosed shortcode body: `callout` has no `{% end %}`",
            "{% end %}",
        ),
        (
            "{{ callout() }}\n",
            "bad.md:6:4: shortcode \"callout\" needs a body",
            "{% callout",
        ),
        (
            "{{ embed(url=\"https://example.com/x\") }}\n",
            "bad.md:6:14: \"https://example.com/x\" is not a URL of a known embed provider",
            "known provider",
        ),
        (
            "{{ youtube(id=\"not valid!\") }}\n",
            "bad.md:6:15: \"not valid!\" is not a youtube id",
            "",
        ),
        (
            "{{ youtube(id=\"dQw4w9WgXcQ\" }}\n",
            "bad.md:6:29: expected `,` or `)` after an argument",
            "",
        ),
    ];
    for (body, message, help) in cases {
        let err = failure(body);
        assert!(err.contains(message), "{body:?}:\n{err}");
        assert!(err.contains(help), "{body:?}: no help {help:?}:\n{err}");
        // The source line is shown under the message.
        let line = body
            .lines()
            .find(|l| l.contains("{{") || l.contains("{%"))
            .unwrap();
        assert!(
            err.contains(line),
            "{body:?}: source line not shown:\n{err}"
        );
    }
}

#[test]
fn every_error_of_a_body_is_reported_in_one_run() {
    let err = failure("{{ nope() }}\n\n{{ youtube() }}\n\n[[missing-page]]\n");
    assert!(
        err.contains("bad.md:6:4: unknown shortcode \"nope\""),
        "{err}"
    );
    assert!(
        err.contains("bad.md:8:4: shortcode \"youtube\" is missing its argument `id`"),
        "{err}"
    );
    assert!(err.contains("bad.md:10:1: broken wikilink"), "{err}");
}

#[test]
fn shortcode_output_goes_through_the_script_checks() {
    let s = site(&[
        (
            "templates/shortcodes/link.html".into(),
            "{#- shortcode\n[args]\nhref = { type = \"string\", required = true }\n-#}\n<a href=\"{{ href }}\">link</a>".into(),
        ),
        article("bad", "{{ link(href=\"javascript:alert(1)\") }}\n\n{{ link(href=\"https://example.org/\") }}\n"),
    ]);
    let out = s.build();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains(
            "bad.md:6:1: shortcode \"link\" writes a script URL in href=\"javascript:alert(1)\""
        ),
        "{err}"
    );
    assert_eq!(err.matches("script URL").count(), 1, "{err}");
}

#[test]
fn raw_html_deny_refuses_the_writers_html_not_the_templates() {
    let s = site(&[
        ("site.toml".into(), "title = \"T\"\nbase_url = \"https://example.org/\"\nraw_html = \"deny\"\n".into()),
        (
            "templates/shortcodes/box.md".into(),
            "{#- shortcode\n-#}\n<div class=\"box\">boxed</div>".into(),
        ),
        article("a", "{{ youtube(id=\"dQw4w9WgXcQ\") }}\n\n{% callout() %}\nNote.\n{% end %}\n\n{{ box() }}\n"),
    ]);
    s.build_checked();
    let html = s.out("articles/a/index.html");
    assert!(html.contains("data-embed-frame=") && html.contains("callout-note"));
    assert!(html.contains("<div class=\"box\">boxed</div>"));
    s.write("content/articles/a.md", "+++\ntitle = \"a\"\ndate = 2023-10-10\n+++\n\n{{ youtube(id=\"dQw4w9WgXcQ\") }}\n\n<div>typed</div>\n");
    let out = s.build();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("a.md:8:1: raw HTML is not allowed"), "{err}");
    assert_eq!(err.matches("raw HTML is not allowed").count(), 1, "{err}");
}

#[test]
fn a_bad_shortcode_header_is_an_error_at_the_template() {
    let s = site(&[
        (
            "templates/shortcodes/odd.html".into(),
            "{#- shortcode\n[args]\nn = { type = \"number\" }\n-#}\nx".into(),
        ),
        article("a", "A.\n"),
    ]);
    let out = s.build();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("odd.html:1:1: shortcode header: argument `n` has type \"number\""),
        "{err}"
    );
}

#[test]
fn the_resolved_page_keeps_each_call_with_its_arguments_and_place() {
    let body = "Intro.\n\n{% callout(kind=\"warning\") %}\nCareful.\n{% end %}\n\nhttps://vimeo.com/76979871\n\n{{ youtube(id=\"dQw4w9WgXcQ\") }}\n";
    let s = site(&[article("a", body)]);
    let rendered = explainer::render_site(
        &explainer::BuildOptions::new(s.root()),
        &Default::default(),
        false,
        &|_| Ok(true),
    )
    .unwrap_or_else(|_| panic!("the site renders"));
    let calls = &rendered.site.articles[0].shortcodes;
    // Ranges are in the body: the file after its front matter's last line.
    let body = format!("\n{body}");
    let names: Vec<&str> = calls.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["callout", "embed", "youtube"]);
    use explainer::resolve::shortcodes::Value;
    assert_eq!(calls[0].args["kind"], Value::String("warning".into()));
    assert_eq!(
        calls[0].args["title"],
        Value::String(String::new()),
        "defaults filled in"
    );
    assert_eq!(calls[0].body.as_deref(), Some("\nCareful.\n"));
    assert_eq!(
        &body[calls[0].range.clone()],
        "{% callout(kind=\"warning\") %}\nCareful.\n{% end %}"
    );
    assert_eq!(
        calls[1].args["url"],
        Value::String("https://vimeo.com/76979871".into())
    );
    assert_eq!(&body[calls[1].range.clone()], "https://vimeo.com/76979871");
    assert_eq!(&body[calls[2].arg_ranges["id"].clone()], "\"dQw4w9WgXcQ\"");
}

#[test]
fn a_block_shortcode_in_running_text_is_an_error_at_the_call() {
    // The body starts on line 6 of the file.
    for (body, expected) in [
        (
            "[see {{ youtube(id=\"dQw4w9WgXcQ\") }}](https://example.org/)\n",
            "bad.md:6:6: shortcode \"youtube\" makes a block (<",
        ),
        (
            "Text.\n\nWatch {{ youtube(id=\"dQw4w9WgXcQ\") }} now.\n",
            "bad.md:8:7: shortcode \"youtube\" makes a block (<",
        ),
        (
            "## A {{ youtube(id=\"dQw4w9WgXcQ\") }}\n",
            "bad.md:6:6: shortcode \"youtube\" makes a block (<",
        ),
        (
            "*so {{ youtube(id=\"dQw4w9WgXcQ\") }}*\n",
            "bad.md:6:5: shortcode \"youtube\" makes a block (<",
        ),
        (
            "[x](https://example.org/ '{{ youtube(id=\"dQw4w9WgXcQ\") }}')\n",
            "bad.md:6:27: shortcode \"youtube\" is inside an HTML attribute",
        ),
    ] {
        let err = failure(body);
        assert!(err.contains(expected), "{body:?}: {err}");
    }
    let err = failure("[see {{ youtube(id=\"dQw4w9WgXcQ\") }}](https://example.org/)\n");
    assert!(err.contains("cannot stand inside a link"), "{err}");
    assert!(
        err.contains("1 problem found"),
        "one error for the call: {err}"
    );
    let err = failure("## A {{ youtube(id=\"dQw4w9WgXcQ\") }}\n");
    assert!(err.contains("cannot stand inside a heading"), "{err}");
    assert!(
        err.contains("1 problem found"),
        "one error for the call: {err}"
    );
    assert!(err.contains("a paragraph of its own"), "{err}");
    // Alone in its paragraph, or in a list item, it is a block in a
    // block's place.
    let s = site(&[article(
        "good",
        "Text.\n\n{{ youtube(id=\"dQw4w9WgXcQ\") }}\n\n- {{ youtube(id=\"dQw4w9WgXcQ\") }}\n",
    )]);
    s.build_checked();
}

#[test]
fn messages_say_an_integer_and_an_id_shortcode_asks_for_its_id() {
    let err = failure("{{ youtube(id=12) }}\n");
    assert!(
        err.contains("argument `id` of \"youtube\" must be a string, not a whole number"),
        "{err}"
    );
    let err = failure("{{ vimeo(id=\"not-a-number\") }}\n");
    assert!(err.contains("vimeo.com/NUMBER"), "{err}");
    assert!(!err.contains("give url="), "vimeo takes no url: {err}");
}

#[test]
fn an_html_shortcodes_images_are_checked_like_the_bodys() {
    let site = site(&[
        (
            "templates/shortcodes/mugshot.html".into(),
            "{#- shortcode\n[args]\nsrc = { type = \"string\", required = true }\n-#}\n<img class=\"mug\" src=\"{{ src }}\" alt=\"\">".into(),
        ),
        (
            "content/articles/a/index.md".into(),
            "+++\ntitle = \"A\"\ndate = 2023-10-10\n+++\n\nText.\n\n{{ mugshot(src=\"face.png\") }}\n\n{{ mugshot(src=\"/img/logo.png\") }}\n\n{{ mugshot(src=\"https://example.org/x.png\") }}\n".into(),
        ),
        ("content/articles/a/face.png".into(), "not checked here".into()),
    ]);
    site.write("static/img/logo.png", "png");
    site.build_checked();
    // Their paths are rewritten relative to the page, like a body's.
    let html = site.out("articles/a/index.html");
    assert!(
        html.contains("<img class=\"mug\" src=\"../../articles/a/face.png\""),
        "{html}"
    );
    assert!(
        html.contains("<img class=\"mug\" src=\"../../img/logo.png\""),
        "{html}"
    );
    assert!(html.contains("src=\"https://example.org/x.png\""), "{html}");
    // A missing file is an error at the call, with the body's hint.
    site.remove("content/articles/a/face.png");
    site.write("content/articles/a/fase.png", "x");
    let out = site.run(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("index.md:8:1: shortcode \"mugshot\": file \"face.png\" not found"),
        "{err}"
    );
    assert!(err.contains("did you mean \"fase.png\"?"), "{err}");
    assert_eq!(err.matches("shortcode \"mugshot\":").count(), 1, "{err}");
}
