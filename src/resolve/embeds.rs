//! Embeds of third-party content: which provider a URL belongs to, and
//! the address of the frame that shows it. The page itself carries only a
//! static placeholder (the provider's name, a link and a button); the frame
//! is created by `static/embeds.js` after a click, so nothing is requested
//! from the provider before the reader asks for it. Where a provider has a
//! privacy-enhanced address (youtube-nocookie.com, Vimeo's `dnt=1`, X's
//! `dnt=true`) the frame uses it.

use serde::Serialize;
use url::Url;

/// One embeddable piece of content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Embed {
    /// The provider's key, as `embed(provider=...)` takes it: `youtube`.
    pub provider: &'static str,
    /// The provider's name as readers know it: `YouTube`.
    pub provider_name: &'static str,
    /// What the content is: `video`, `post`, `audio`, `chart`,
    /// `document` or `map` (the theme words its labels and sizes the frame
    /// by it).
    pub kind: &'static str,
    /// The content's own page, linked from the placeholder.
    pub url: String,
    /// The address the frame loads after the click (always https).
    pub frame: String,
    /// The host of `frame`, named in the placeholder's privacy note.
    pub frame_host: String,
}

/// The providers, by key: name and what the `id` of
/// `embed(provider=..., id=...)` is.
pub const PROVIDERS: &[(&str, &str, &str)] = &[
    ("youtube", "YouTube", "the video id (`dQw4w9WgXcQ`)"),
    ("vimeo", "Vimeo", "the video number"),
    ("x", "X", "the post number"),
    ("twitter", "X", "the post number"),
    ("instagram", "Instagram", "the post code (`p/CODE`)"),
    ("tiktok", "TikTok", "`@user/video/NUMBER`"),
    ("bluesky", "Bluesky", "`HANDLE/post/RKEY`"),
    ("mastodon", "Mastodon", "`HOST/@user/NUMBER`"),
    ("soundcloud", "SoundCloud", "`artist/track`"),
    (
        "spotify",
        "Spotify",
        "`track/ID` (or album, playlist, episode, show)",
    ),
    ("datawrapper", "Datawrapper", "the chart id"),
    (
        "flourish",
        "Flourish",
        "`visualisation/NUMBER` or `story/NUMBER`",
    ),
    ("documentcloud", "DocumentCloud", "`NUMBER-slug`"),
    ("scribd", "Scribd", "the document number"),
    (
        "googlemaps",
        "Google Maps",
        "a place or address to search for",
    ),
    (
        "openstreetmap",
        "OpenStreetMap",
        "`ZOOM/LATITUDE/LONGITUDE`",
    ),
];

/// The embed for a provider and an id in the form [`PROVIDERS`] gives.
///
/// Errors: an unknown provider (with the list), or an id that makes no
/// address of that provider (with the expected form).
pub fn from_id(provider: &str, id: &str) -> Result<Embed, String> {
    let id = id.trim().trim_matches('/');
    let address = match provider {
        "youtube" => format!("https://www.youtube.com/watch?v={id}"),
        "vimeo" => format!("https://vimeo.com/{id}"),
        "x" | "twitter" => format!("https://x.com/i/status/{id}"),
        "instagram" if id.contains('/') => format!("https://www.instagram.com/{id}/"),
        "instagram" => format!("https://www.instagram.com/p/{id}/"),
        "tiktok" => format!("https://www.tiktok.com/{id}"),
        "bluesky" => format!("https://bsky.app/profile/{id}"),
        "mastodon" => format!("https://{id}"),
        "soundcloud" => format!("https://soundcloud.com/{id}"),
        "spotify" => format!("https://open.spotify.com/{id}"),
        "datawrapper" => format!("https://datawrapper.dwcdn.net/{id}/"),
        "flourish" => format!("https://public.flourish.studio/{id}/"),
        "documentcloud" => format!("https://www.documentcloud.org/documents/{id}"),
        "scribd" => format!("https://www.scribd.com/document/{id}"),
        "googlemaps" => {
            let query: String = url::form_urlencoded::byte_serialize(id.as_bytes()).collect();
            format!("https://www.google.com/maps/search/?api=1&query={query}")
        }
        "openstreetmap" => format!("https://www.openstreetmap.org/#map={id}"),
        _ => {
            let known: Vec<&str> = PROVIDERS.iter().map(|p| p.0).collect();
            return Err(format!(
                "unknown embed provider \"{provider}\" (known: {})",
                known.join(", ")
            ));
        }
    };
    let form = PROVIDERS
        .iter()
        .find(|p| p.0 == provider)
        .map_or("", |p| p.2);
    match from_url(&address) {
        Some(e) if !id.is_empty() => Ok(e),
        _ => Err(format!("\"{id}\" is not a {provider} id: it takes {form}")),
    }
}

/// The embed for a URL of a known provider, or `None` for any other URL
/// (which stays a plain link).
pub fn from_url(address: &str) -> Option<Embed> {
    let url = Url::parse(address.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    let segments: Vec<&str> = url
        .path_segments()
        .map(|s| s.filter(|p| !p.is_empty()).collect())
        .unwrap_or_default();
    let query = |key: &str| {
        url.query_pairs()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
    };
    let link = url.to_string();
    let make = |provider: &'static str, kind: &'static str, frame: String| {
        let frame_host = Url::parse(&frame)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default();
        let provider_name = PROVIDERS
            .iter()
            .find(|p| p.0 == provider)
            .map_or(provider, |p| p.1);
        Some(Embed {
            provider,
            provider_name,
            kind,
            url: link.clone(),
            frame,
            frame_host,
        })
    };
    match (host.as_str(), segments.as_slice()) {
        ("youtube.com" | "m.youtube.com" | "youtube-nocookie.com", _) => {
            let id = match segments.as_slice() {
                ["watch"] => query("v")?,
                ["shorts" | "embed" | "live", id, ..] => id.to_string(),
                _ => return None,
            };
            youtube(&id, query("t").or_else(|| query("start")), make)
        }
        ("youtu.be", [id]) => youtube(id, query("t"), make),
        // An unlisted video's address carries its privacy hash after the
        // number; the player needs it as `h`.
        ("vimeo.com", [id, hash]) if is_number(id) && is_vimeo_hash(hash) => make(
            "vimeo",
            "video",
            format!("https://player.vimeo.com/video/{id}?h={hash}&dnt=1"),
        ),
        ("vimeo.com", [.., id]) | ("player.vimeo.com", ["video", id]) if is_number(id) => make(
            "vimeo",
            "video",
            format!("https://player.vimeo.com/video/{id}?dnt=1"),
        ),
        (
            "twitter.com" | "mobile.twitter.com" | "x.com" | "mobile.x.com",
            [_, "status", id, ..],
        ) if is_number(id) => make(
            "x",
            "post",
            format!("https://platform.twitter.com/embed/Tweet.html?id={id}&dnt=true"),
        ),
        ("instagram.com", [kind @ ("p" | "reel" | "tv"), code, ..]) if is_token(code) => make(
            "instagram",
            "post",
            format!("https://www.instagram.com/{kind}/{code}/embed/"),
        ),
        ("tiktok.com", [user, "video", id, ..]) if user.starts_with('@') && is_number(id) => make(
            "tiktok",
            "video",
            format!("https://www.tiktok.com/embed/v2/{id}"),
        ),
        ("bsky.app", ["profile", who, "post", rkey]) if is_token(rkey) => make(
            "bluesky",
            "post",
            format!("https://embed.bsky.app/embed/{who}/app.bsky.feed.post/{rkey}"),
        ),
        ("soundcloud.com", [artist, track, ..])
            if is_token(artist) && is_token(track) && !RESERVED_SOUNDCLOUD.contains(artist) =>
        {
            let target: String = url::form_urlencoded::byte_serialize(
                format!("https://soundcloud.com/{artist}/{track}").as_bytes(),
            )
            .collect();
            make(
                "soundcloud",
                "audio",
                format!("https://w.soundcloud.com/player/?url={target}&auto_play=false"),
            )
        }
        ("open.spotify.com", rest) => {
            let rest = match rest {
                [locale, rest @ ..] if locale.starts_with("intl-") => rest,
                rest => rest,
            };
            match rest {
                [kind @ ("track" | "album" | "playlist" | "episode" | "show" | "artist"), id]
                    if is_token(id) =>
                {
                    make(
                        "spotify",
                        "audio",
                        format!("https://open.spotify.com/embed/{kind}/{id}"),
                    )
                }
                _ => None,
            }
        }
        ("datawrapper.dwcdn.net", [id, ..]) | ("datawrapper.de", ["_", id, ..]) if is_token(id) => {
            make(
                "datawrapper",
                "chart",
                format!("https://datawrapper.dwcdn.net/{id}/"),
            )
        }
        ("public.flourish.studio" | "flo.uri.sh", [kind @ ("visualisation" | "story"), id, ..])
            if is_number(id) =>
        {
            make(
                "flourish",
                "chart",
                format!("https://flo.uri.sh/{kind}/{id}/embed"),
            )
        }
        ("documentcloud.org" | "embed.documentcloud.org", ["documents", id, ..]) => {
            let id = id.strip_suffix(".html").unwrap_or(id);
            let number = id.split('-').next().unwrap_or("");
            if !is_number(number) || !is_token(id) {
                return None;
            }
            make(
                "documentcloud",
                "document",
                format!("https://embed.documentcloud.org/documents/{id}/?embed=1"),
            )
        }
        ("scribd.com", ["document" | "doc", id, ..]) if is_number(id) => make(
            "scribd",
            "document",
            format!("https://www.scribd.com/embeds/{id}/content"),
        ),
        ("google.com" | "maps.google.com", _) => google_maps(&url, &segments, make),
        ("openstreetmap.org", _) => openstreetmap(&url, make),
        // Mastodon is federated: any server, recognised by the path of
        // a post (`/@user/109...`, or `/users/user/statuses/109...`).
        (_, [user, id]) if user.starts_with('@') && user.len() > 1 && is_number(id) => make(
            "mastodon",
            "post",
            format!("https://{host}/{user}/{id}/embed"),
        ),
        (_, ["users", user, "statuses", id]) if is_token(user) && is_number(id) => make(
            "mastodon",
            "post",
            format!("https://{host}/@{user}/{id}/embed"),
        ),
        _ => None,
    }
}

/// SoundCloud paths that are site pages, not an artist's track.
const RESERVED_SOUNDCLOUD: &[&str] = &["discover", "search", "you", "upload", "pages", "stream"];

fn youtube(
    id: &str,
    start: Option<String>,
    make: impl Fn(&'static str, &'static str, String) -> Option<Embed>,
) -> Option<Embed> {
    let valid = id.len() == 11
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !valid {
        return None;
    }
    // `t=90`, `t=90s` or `t=1m30s`.
    let seconds = start.and_then(|t| {
        let mut total = 0u64;
        let mut number = 0u64;
        for c in t.chars() {
            match c {
                '0'..='9' => number = number.checked_mul(10)?.checked_add(c as u64 - 48)?,
                'h' | 'm' | 's' => {
                    let unit = match c {
                        'h' => 3600,
                        'm' => 60,
                        _ => 1,
                    };
                    total = total.checked_add(number.checked_mul(unit)?)?;
                    number = 0;
                }
                _ => return None,
            }
        }
        total.checked_add(number).filter(|s| *s > 0)
    });
    let start = seconds.map_or(String::new(), |s| format!("?start={s}"));
    make(
        "youtube",
        "video",
        format!("https://www.youtube-nocookie.com/embed/{id}{start}"),
    )
}

/// `google.com/maps/place/NAME/@LAT,LON,ZOOMz`, `google.com/maps/@LAT,LON,ZOOMz`,
/// `google.com/maps?q=...` and `google.com/maps/search/?api=1&query=...`,
/// shown with the embed address that needs no API key.
fn google_maps(
    url: &Url,
    segments: &[&str],
    make: impl Fn(&'static str, &'static str, String) -> Option<Embed>,
) -> Option<Embed> {
    let on_maps_host = url.host_str() == Some("maps.google.com");
    let rest = match segments {
        ["maps", rest @ ..] => rest,
        rest if on_maps_host => rest,
        _ => return None,
    };
    let query = |key: &str| {
        url.query_pairs()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
    };
    let at = rest.iter().find_map(|s| s.strip_prefix('@'));
    let (center, zoom) = match at {
        Some(at) => {
            let parts: Vec<&str> = at.split(',').collect();
            let zoom = parts
                .get(2)
                .and_then(|z| z.strip_suffix('z'))
                .and_then(|z| z.parse::<f64>().ok())
                .map(|z| z.round() as u32);
            (Some(format!("{},{}", parts.first()?, parts.get(1)?)), zoom)
        }
        None => (None, None),
    };
    let place = match rest {
        ["place", name, ..] | ["search", name, ..] if !name.starts_with('@') => {
            Some(name.replace('+', " "))
        }
        _ => None,
    };
    let q = query("q")
        .or_else(|| query("query"))
        .or(place.map(|p| {
            percent_encoding::percent_decode_str(&p)
                .decode_utf8_lossy()
                .into_owned()
        }))
        .or(center)?;
    let q: String = url::form_urlencoded::byte_serialize(q.as_bytes()).collect();
    let zoom = zoom.map_or(String::new(), |z| format!("&z={z}"));
    make(
        "googlemaps",
        "map",
        format!("https://maps.google.com/maps?q={q}{zoom}&output=embed"),
    )
}

/// `openstreetmap.org/#map=ZOOM/LAT/LON`, with a marker when the URL has
/// `mlat` and `mlon`: OpenStreetMap's own embed page for that view.
fn openstreetmap(
    url: &Url,
    make: impl Fn(&'static str, &'static str, String) -> Option<Embed>,
) -> Option<Embed> {
    let query = |key: &str| {
        url.query_pairs()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.parse::<f64>().ok())
    };
    let marker = query("mlat").zip(query("mlon"));
    let view = url
        .fragment()
        .and_then(|f| f.split('&').find_map(|p| p.strip_prefix("map=")))
        .and_then(|m| {
            let mut it = m.split('/').map(|p| p.parse::<f64>().ok());
            Some((it.next()??, it.next()??, it.next()??))
        });
    let (zoom, lat, lon) = match (view, marker) {
        (Some(v), _) => v,
        (None, Some((lat, lon))) => (15.0, lat, lon),
        (None, None) => return None,
    };
    if !(0.0..=20.0).contains(&zoom) || lat.abs() > 85.0 || lon.abs() > 180.0 {
        return None;
    }
    // The span of a frame about 640 px wide at this zoom (256 px tiles).
    let width = 360.0 / 2f64.powf(zoom) * 2.5;
    let height = width * 0.6 * lat.to_radians().cos();
    let bbox = format!(
        "{:.5},{:.5},{:.5},{:.5}",
        lon - width / 2.0,
        lat - height / 2.0,
        lon + width / 2.0,
        lat + height / 2.0
    );
    let marker = marker.map_or(String::new(), |(a, o)| format!("&marker={a:.5},{o:.5}"));
    let bbox: String = url::form_urlencoded::byte_serialize(bbox.as_bytes()).collect();
    make(
        "openstreetmap",
        "map",
        format!("https://www.openstreetmap.org/export/embed.html?bbox={bbox}&layer=mapnik{marker}"),
    )
}

/// Whether a path segment is an unlisted Vimeo video's hash: hexadecimal.
fn is_vimeo_hash(s: &str) -> bool {
    (6..=20).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// A path segment of letters, digits, `-`, `_` and `.` only: nothing that
/// could change the frame's address when put into it.
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One URL of each provider, with the provider it must give and the
    /// frame address.
    pub const SAMPLES: &[(&str, &str, &str)] = &[
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1m30s",
            "youtube",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=90",
        ),
        (
            "https://youtu.be/dQw4w9WgXcQ",
            "youtube",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://vimeo.com/76979871",
            "vimeo",
            "https://player.vimeo.com/video/76979871?dnt=1",
        ),
        (
            "https://vimeo.com/76979871/8272103f6e",
            "vimeo",
            "https://player.vimeo.com/video/76979871?h=8272103f6e&dnt=1",
        ),
        (
            "https://twitter.com/NASA/status/1234567890123456789",
            "x",
            "https://platform.twitter.com/embed/Tweet.html?id=1234567890123456789&dnt=true",
        ),
        (
            "https://x.com/NASA/status/1234567890123456789",
            "x",
            "https://platform.twitter.com/embed/Tweet.html?id=1234567890123456789&dnt=true",
        ),
        (
            "https://www.instagram.com/p/CxYz123AbC/",
            "instagram",
            "https://www.instagram.com/p/CxYz123AbC/embed/",
        ),
        (
            "https://www.tiktok.com/@scout2015/video/6718335390845095173",
            "tiktok",
            "https://www.tiktok.com/embed/v2/6718335390845095173",
        ),
        (
            "https://bsky.app/profile/bsky.app/post/3l6oveex3ii2l",
            "bluesky",
            "https://embed.bsky.app/embed/bsky.app/app.bsky.feed.post/3l6oveex3ii2l",
        ),
        (
            "https://mastodon.social/@Gargron/109386414290312134",
            "mastodon",
            "https://mastodon.social/@Gargron/109386414290312134/embed",
        ),
        (
            "https://soundcloud.com/forss/flickermood",
            "soundcloud",
            "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fforss%2Fflickermood&auto_play=false",
        ),
        (
            "https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk",
            "spotify",
            "https://open.spotify.com/embed/episode/4rOoJ6Egrf8K2IrywzwOMk",
        ),
        (
            "https://datawrapper.dwcdn.net/a1B2c/3/",
            "datawrapper",
            "https://datawrapper.dwcdn.net/a1B2c/",
        ),
        (
            "https://public.flourish.studio/visualisation/1234567/",
            "flourish",
            "https://flo.uri.sh/visualisation/1234567/embed",
        ),
        (
            "https://www.documentcloud.org/documents/20059068-the-mueller-report",
            "documentcloud",
            "https://embed.documentcloud.org/documents/20059068-the-mueller-report/?embed=1",
        ),
        (
            "https://www.scribd.com/document/123456789/Some-Report",
            "scribd",
            "https://www.scribd.com/embeds/123456789/content",
        ),
        (
            "https://www.google.com/maps/place/Niamey/@13.5127,2.1128,12z",
            "googlemaps",
            "https://maps.google.com/maps?q=Niamey&z=12&output=embed",
        ),
        (
            "https://www.openstreetmap.org/#map=12/13.5116/2.1254",
            "openstreetmap",
            "https://www.openstreetmap.org/export/embed.html?bbox=2.01554%2C13.44751%2C2.23526%2C13.57569&layer=mapnik",
        ),
    ];

    #[test]
    fn every_provider_url_gives_its_frame() {
        for (url, provider, frame) in SAMPLES {
            let e = from_url(url).unwrap_or_else(|| panic!("{url} is no embed"));
            assert_eq!((e.provider, e.frame.as_str()), (*provider, *frame), "{url}");
            assert!(e.frame.starts_with("https://"));
            assert_eq!(
                Url::parse(&e.frame).unwrap().host_str(),
                Some(&*e.frame_host)
            );
        }
        let providers: std::collections::BTreeSet<&str> = SAMPLES.iter().map(|s| s.1).collect();
        let known: std::collections::BTreeSet<&str> = PROVIDERS
            .iter()
            .map(|p| p.0)
            .filter(|p| *p != "twitter")
            .collect();
        assert_eq!(providers, known, "a sample per provider");
    }

    #[test]
    fn other_urls_are_no_embeds() {
        for url in [
            "https://example.com/",
            "https://www.youtube.com/",
            "https://www.youtube.com/watch?v=short",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ\"><script>",
            "https://vimeo.com/about",
            "https://x.com/NASA",
            "https://www.instagram.com/nasa/",
            "https://soundcloud.com/discover/sets",
            "https://www.google.com/search?q=niamey",
            "https://www.openstreetmap.org/about",
            "https://reuters.com/world/africa/",
            "javascript:alert(1)",
            "ftp://vimeo.com/123",
            "not a url",
        ] {
            assert_eq!(from_url(url), None, "{url}");
        }
    }

    #[test]
    fn a_start_time_too_large_to_count_starts_at_the_beginning() {
        let e = from_url("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=99999999999999999h")
            .expect("still a video");
        assert_eq!(
            e.frame,
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
        );
    }

    #[test]
    fn ids_make_the_same_embeds_as_urls() {
        assert_eq!(
            from_id("youtube", "dQw4w9WgXcQ").unwrap().frame,
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
        );
        assert_eq!(
            from_id("vimeo", "76979871").unwrap().url,
            "https://vimeo.com/76979871"
        );
        assert_eq!(from_id("twitter", "123").unwrap().provider, "x");
        assert_eq!(
            from_id("openstreetmap", "12/13.5116/2.1254")
                .unwrap()
                .provider,
            "openstreetmap"
        );
        assert_eq!(
            from_id("googlemaps", "Niamey, Niger").unwrap().frame,
            "https://maps.google.com/maps?q=Niamey%2C+Niger&output=embed"
        );
        assert!(from_id("youtube", "x y")
            .unwrap_err()
            .contains("not a youtube id"));
        assert!(from_id("myspace", "1")
            .unwrap_err()
            .contains("unknown embed provider"));
    }
}
