//! Media: page bundles, paths in bodies resolved and checked, figures and
//! alt text, responsive images and their cache, metadata removal.

use crate::support;

use std::io::Cursor;
use std::path::Path;

use support::{attribute_values, stderr, Site};

/// A JPEG of `w`×`h` pixels with some texture (so it encodes like a photo).
fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([
            (x * 7 % 256) as u8,
            (y * 5 % 256) as u8,
            ((x ^ y) % 256) as u8,
        ])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg)
        .unwrap();
    out
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(w, h, |x, _| image::Rgba([(x % 256) as u8, 40, 90, 255]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgba8(img)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// An EXIF block (big-endian TIFF) with a camera make and a GPS latitude.
fn gps_exif() -> Vec<u8> {
    gps_exif_then(0)
}

/// `gps_exif` whose GPS IFD names a "next IFD" at `next` (0: none), as
/// piexif writes it; a strict EXIF reader refuses such a block.
fn gps_exif_then(next: u32) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(b"MM\0\x2A\0\0\0\x08");
    // IFD0: Make, GPSInfo pointer.
    b.extend_from_slice(&2u16.to_be_bytes());
    b.extend_from_slice(&[0x01, 0x0F, 0, 2, 0, 0, 0, 4]);
    b.extend_from_slice(b"Cam\0");
    b.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1]);
    b.extend_from_slice(&38u32.to_be_bytes());
    b.extend_from_slice(&0u32.to_be_bytes());
    // GPS IFD at 38: latitude ref and latitude.
    b.extend_from_slice(&2u16.to_be_bytes());
    b.extend_from_slice(&[0, 1, 0, 2, 0, 0, 0, 2]);
    b.extend_from_slice(b"N\0\0\0");
    b.extend_from_slice(&[0, 2, 0, 5, 0, 0, 0, 3]);
    b.extend_from_slice(&68u32.to_be_bytes());
    b.extend_from_slice(&next.to_be_bytes());
    for (n, d) in [(13u32, 1u32), (30, 1), (0, 1)] {
        b.extend_from_slice(&n.to_be_bytes());
        b.extend_from_slice(&d.to_be_bytes());
    }
    b
}

fn jpeg_with_gps(w: u32, h: u32) -> Vec<u8> {
    jpeg_with_exif(w, h, gps_exif())
}

fn jpeg_with_exif(w: u32, h: u32, exif: Vec<u8>) -> Vec<u8> {
    use img_parts::ImageEXIF;
    let mut j = img_parts::jpeg::Jpeg::from_bytes(jpeg(w, h).into()).unwrap();
    j.set_exif(Some(exif.into()));
    j.encoder().bytes().to_vec()
}

fn gps_fields(bytes: &[u8]) -> usize {
    match exif::Reader::new().read_from_container(&mut Cursor::new(bytes)) {
        Ok(e) => e
            .fields()
            .filter(|f| f.tag.context() == exif::Context::Gps || f.tag == exif::Tag::Make)
            .count(),
        Err(_) => 0,
    }
}

const ARTICLE: &str = "+++\ntitle = \"Coup\"\ndate = 2023-07-26\nimage = \"lead.jpg\"\nimage_alt = \"Soldiers\"\n+++\n";

fn bundle_site(body: &str) -> Site {
    let site = Site::new(&[
        (
            "site.toml",
            "title = \"T\"\nbase_url = \"https://example.org/news/\"\n",
        ),
        (
            "content/articles/coup/index.md",
            &format!("{ARTICLE}{body}"),
        ),
        ("content/articles/coup/docs/report.pdf", "%PDF-1.4\n"),
    ]);
    site.write_bytes("content/articles/coup/lead.jpg", &jpeg(1400, 700));
    site.write_bytes("content/articles/coup/street.jpg", &jpeg(1000, 500));
    site.write_bytes("static/images/map.png", &png(600, 300));
    site
}

/// Every URL of every `srcset` on the page resolves to a file beside it.
fn assert_srcsets_resolve(page: &Path) {
    let html = std::fs::read_to_string(page).unwrap();
    let srcsets = attribute_values(&html, "srcset");
    assert!(!srcsets.is_empty());
    for set in srcsets {
        for candidate in set.split(", ") {
            let url = candidate.split(' ').next().unwrap();
            let target = page.parent().unwrap().join(url);
            assert!(target.is_file(), "{url} in {} is missing", page.display());
        }
    }
}

#[test]
fn a_bundle_publishes_its_files_and_resolves_its_paths() {
    let site = bundle_site(
        "Read [the report](docs/report.pdf).\n\n\
         ![A street in Niamey](street.jpg \"Niamey in July | Photo: Staff | Agency\")\n\n\
         ![Map of Niger](/images/map.png)\n\nInline ![tiny](/images/map.png) image.\n",
    );
    site.build_checked();
    for f in [
        "articles/coup/docs/report.pdf",
        "articles/coup/street.jpg",
        "articles/coup/lead.jpg",
    ] {
        assert!(site.exists(f), "{f} not published");
    }
    let html = site.out("articles/coup/index.html");
    assert!(
        html.contains("href=\"../../articles/coup/docs/report.pdf\""),
        "{html}"
    );
    // A figure: WebP first, the JPEG fallback, never wider than the
    // original (1000 px), width and height of the largest variant.
    assert!(html.contains(
        "<figure><picture><source type=\"image/webp\" srcset=\"../../articles/coup/street.jpg.480w.webp 480w, ../../articles/coup/street.jpg.800w.webp 800w, ../../articles/coup/street.jpg.1000w.webp 1000w\""
    ), "{html}");
    assert!(html.contains("width=\"1000\" height=\"500\" alt=\"A street in Niamey\" loading=\"lazy\" decoding=\"async\""));
    assert!(!html.contains("street.1200w"));
    // The credit is after the last ` | `.
    assert!(html.contains("<figcaption>Niamey in July | Photo: Staff <span class=\"credit\">Agency</span></figcaption></figure>"), "{html}");
    // A `/` path is in static/, also rewritten relative to the page.
    assert!(html.contains(
        "srcset=\"../../images/map.png.480w.webp 480w, ../../images/map.png.600w.webp 600w\""
    ));
    assert!(html.contains("<img src=\"../../images/map.png.600w.png\""));
    // An image inside text stays inline: one figure only for the map.
    assert_eq!(
        html.matches("<figure><picture><source type=\"image/webp\" srcset=\"../../images/map")
            .count(),
        1
    );
    // The lead image: variants, never lazy; Open Graph names its 1200-px variant.
    let lead = &html[html.find("class=\"article-image\"").unwrap()..];
    let lead = &lead[..lead.find("</figure>").unwrap()];
    assert!(lead.contains("lead.jpg.1200w.webp 1200w"), "{lead}");
    assert!(lead.contains("width=\"1400\" height=\"700\""), "{lead}");
    assert!(!lead.contains("loading=\"lazy\""));
    assert!(html.contains("<meta property=\"og:image\" content=\"https://example.org/news/articles/coup/lead.jpg.1200w.jpg\">"));
    assert!(site.exists("articles/coup/lead.jpg.1200w.jpg"));
    assert_srcsets_resolve(&site.root().join("public/articles/coup/index.html"));
    // Variants decode as the size they claim.
    let v = std::fs::read(
        site.root()
            .join("public/articles/coup/street.jpg.800w.webp"),
    )
    .unwrap();
    let img = image::load_from_memory(&v).unwrap();
    assert_eq!((img.width(), img.height()), (800, 400));
}

#[test]
fn a_missing_file_is_located_with_a_suggestion() {
    let site = bundle_site("Text.\n\n![A street](stret.jpg)\n\n[report](docs/reprot.pdf)\n\n![Map](/images/mapp.png)\n");
    let out = site.build();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("content/articles/coup/index.md:9:13: image \"stret.jpg\" not found in content/articles/coup/"), "{err}");
    assert!(err.contains("did you mean \"street.jpg\"?"), "{err}");
    assert!(
        err.contains("index.md:11:10: file \"docs/reprot.pdf\" not found"),
        "{err}"
    );
    assert!(err.contains("did you mean \"docs/report.pdf\"?"), "{err}");
    assert!(
        err.contains("image \"/images/mapp.png\" not found in static/"),
        "{err}"
    );
    assert!(err.contains("did you mean \"/images/map.png\"?"), "{err}");
    assert!(!site.root().join("public").exists());
}

#[test]
fn an_image_needs_alt_text_unless_decorative() {
    let site = bundle_site("Text.\n\n![](street.jpg)\n\n![](street.jpg \"decorative\")\n");
    let err = stderr(&site.build());
    assert!(err.contains("index.md:9:1: image has no alt text"), "{err}");
    assert!(err.contains("![](street.jpg \"decorative\")"), "{err}");
    assert_eq!(err.matches("no alt text").count(), 1, "{err}");
    site.write(
        "content/articles/coup/index.md",
        &format!("{ARTICLE}Text.\n\n![](street.jpg \"decorative\")\n"),
    );
    site.build_checked();
    let html = site.out("articles/coup/index.html");
    assert!(html.contains("alt=\"\" loading=\"lazy\""));
    assert!(!html.contains("<figcaption>decorative"));
    // Through the figure shortcode, the hint names the file as written.
    site.write(
        "content/articles/coup/index.md",
        &format!("{ARTICLE}Text.\n\n{{{{ figure(src=\"street.jpg\") }}}}\n"),
    );
    let err = stderr(&site.build());
    assert!(err.contains("image has no alt text"), "{err}");
    assert!(err.contains("![What it shows](street.jpg)"), "{err}");
    assert!(err.contains("alt=\"...\" or decorative=true"), "{err}");
}

#[test]
fn bad_image_data_is_an_error() {
    let site = bundle_site("Text.\n\n![Broken](broken.jpg)\n");
    site.write("content/articles/coup/broken.jpg", "not a picture");
    let err = stderr(&site.build());
    assert!(
        err.contains("index.md:9:11: image \"broken.jpg\" cannot be read"),
        "{err}"
    );
}

/// A small JPEG whose frame header (SOF0) claims `w`×`h` pixels.
fn jpeg_claiming(w: u16, h: u16) -> Vec<u8> {
    let mut bytes = jpeg(16, 16);
    let sof = bytes
        .windows(2)
        .position(|m| m == [0xFF, 0xC0])
        .expect("a baseline JPEG has an SOF0 marker");
    // FF C0, length (2), precision (1), height (2), width (2).
    bytes[sof + 5..sof + 7].copy_from_slice(&h.to_be_bytes());
    bytes[sof + 7..sof + 9].copy_from_slice(&w.to_be_bytes());
    bytes
}

#[test]
fn an_image_too_large_to_decode_is_refused_before_decoding() {
    let site = bundle_site("Text.\n\n![A scan](scan.jpg)\n");
    site.write_bytes(
        "content/articles/coup/scan.jpg",
        &jpeg_claiming(30_000, 30_000),
    );
    let out = site.build();
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(
        err.contains("index.md:9:11: image \"scan.jpg\" cannot be read: it is 30000 x 30000 px, more than the 120 megapixels"),
        "{err}"
    );
    assert!(err.contains("at most 120 megapixels"), "{err}");
    assert!(!site.root().join("public").exists());
}

#[test]
fn a_relative_path_on_a_flat_page_says_to_make_a_bundle() {
    let site = Site::new(&[(
        "content/articles/flat.md",
        "+++\ntitle = \"Flat\"\ndate = 2024-01-01\n+++\n![A map](map.png)\n",
    )]);
    let err = stderr(&site.build());
    assert!(
        err.contains("image \"map.png\" is relative, but this page is not a page bundle"),
        "{err}"
    );
    assert!(err.contains("content/articles/flat/index.md"), "{err}");
}

#[test]
fn bundle_conflicts_are_errors() {
    let site = bundle_site("Text.\n");
    site.write(
        "content/articles/coup.md",
        "+++\ntitle = \"Other\"\ndate = 2024-01-01\n+++\nx\n",
    );
    site.write(
        "content/articles/coup/extra.md",
        "+++\ntitle = \"Extra\"\ndate = 2024-01-01\n+++\nx\n",
    );
    site.write("content/articles/loose.png", "x");
    let err = stderr(&site.build());
    assert!(err.contains("duplicate slug \"coup\""), "{err}");
    assert!(
        err.contains(
            "content/articles/coup/extra.md is inside the page bundle content/articles/coup"
        ),
        "{err}"
    );
    assert!(
        err.contains("content/articles/loose.png is in no page bundle"),
        "{err}"
    );
}

#[test]
fn bundles_work_for_notes_and_actors() {
    let site = Site::new(&[
        ("content/notes/sahel/index.md", "+++\ntitle = \"Sahel\"\n+++\n![Dunes](dunes.png \"The Sahel\")\n"),
        ("content/actors/tiani/index.md", "+++\nname = \"Abdourahamane Tiani\"\nkind = \"person\"\nimage = \"portrait.jpg\"\nimage_alt = \"Tiani\"\n+++\nGeneral.\n"),
    ]);
    site.write_bytes("content/notes/sahel/dunes.png", &png(300, 200));
    site.write_bytes("content/actors/tiani/portrait.jpg", &jpeg(500, 600));
    site.build_checked();
    let note = site.out("explainers/sahel/index.html");
    assert!(
        note.contains("srcset=\"../../explainers/sahel/dunes.png.300w.webp 300w\""),
        "{note}"
    );
    assert!(note.contains("<figcaption>The Sahel</figcaption>"));
    let actor = site.out("actors/tiani/index.html");
    assert!(actor.contains("srcset=\"../../actors/tiani/portrait.jpg.480w.jpg 480w, ../../actors/tiani/portrait.jpg.500w.jpg 500w\""), "{actor}");
    // The photo sits in the sidebar column (20rem from 960px), not the body.
    assert!(
        actor.contains("sizes=\"(min-width: 960px) 18.5rem, 100vw\""),
        "{actor}"
    );
    assert_srcsets_resolve(&site.root().join("public/actors/tiani/index.html"));
}

#[test]
fn no_published_image_carries_a_location() {
    let site = bundle_site("Text.\n\n![A street](street.jpg)\n");
    let located = jpeg_with_gps(1000, 500);
    assert!(gps_fields(&located) > 0, "the test image carries GPS");
    site.write_bytes("content/articles/coup/street.jpg", &located);
    site.write_bytes("static/images/spot.jpg", &located);
    site.build_checked();
    let mut images = 0;
    for entry in walkdir::WalkDir::new(site.root().join("public")) {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().to_lowercase();
        if [".jpg", ".png", ".webp"].iter().any(|x| name.ends_with(x)) {
            images += 1;
            let bytes = std::fs::read(entry.path()).unwrap();
            assert_eq!(
                gps_fields(&bytes),
                0,
                "{} carries GPS or device data",
                entry.path().display()
            );
        }
    }
    assert!(images >= 8, "{images} images checked");
    // The original is still the same JPEG, not re-encoded: its pixels
    // (entropy-coded data) are byte for byte those of the source.
    let published = std::fs::read(site.root().join("public/articles/coup/street.jpg")).unwrap();
    let tail = &located[located.len() - 4000..];
    assert!(published.ends_with(tail));
    let out = site.run(&["check"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("2 images carried a location"), "{err}");
    assert!(err.contains("content/articles/coup/street.jpg"), "{err}");
    assert!(err.contains("static/images/spot.jpg"), "{err}");
    // Quiet means errors only.
    let out = site.run(&["check", "-q"]);
    assert!(out.status.success());
    assert_eq!(stderr(&out), "", "check -q prints nothing without errors");
}

#[test]
fn a_rebuild_decodes_no_image_again() {
    let site = bundle_site("Text.\n\n![A street](street.jpg)\n");
    let first = stderr(&site.run(&["build", "--verbose"]));
    assert!(
        first.contains("images: 2 resized, 0 from the cache"),
        "{first}"
    );
    // An edit to the text: the page is rendered again, its images come
    // from the cache.
    site.write(
        "content/articles/coup/index.md",
        &format!("{ARTICLE}Other text.\n\n![A street](street.jpg)\n"),
    );
    let second = stderr(&site.run(&["build", "--verbose"]));
    assert!(
        second.contains("images: 0 resized, 2 from the cache"),
        "{second}"
    );
    // A new image is the only one resized.
    site.write_bytes("content/articles/coup/street.jpg", &jpeg(900, 500));
    let third = stderr(&site.run(&["build", "--verbose"]));
    assert!(
        third.contains("images: 1 resized, 1 from the cache"),
        "{third}"
    );
    let html = site.out("articles/coup/index.html");
    assert!(html.contains("street.jpg.900w.webp 900w"));
}

#[test]
fn widths_come_from_site_toml() {
    let site = bundle_site("Text.\n\n![A street](street.jpg)\n");
    site.write(
        "site.toml",
        "title = \"T\"\n[images]\nwidths = [320, 640]\nsizes = \"50vw\"\nquality = 70\n",
    );
    site.build_checked();
    let html = site.out("articles/coup/index.html");
    assert!(html.contains("srcset=\"../../articles/coup/street.jpg.320w.jpg 320w, ../../articles/coup/street.jpg.640w.jpg 640w\" sizes=\"50vw\" width=\"640\" height=\"320\""), "{html}");
}

#[test]
fn raw_html_images_are_resolved_and_checked() {
    let site = bundle_site("Text.\n\n<p><img src=\"street.jpg\" alt=\"A street\"></p>\n\nInline <img alt=\"map\" src='/images/map.png'> here.\n");
    site.build_checked();
    let html = site.out("articles/coup/index.html");
    assert!(
        html.contains("<img src=\"../../articles/coup/street.jpg\" alt=\"A street\">"),
        "{html}"
    );
    assert!(
        html.contains("<img alt=\"map\" src='../../images/map.png'>"),
        "{html}"
    );
    site.write(
        "content/articles/coup/index.md",
        &format!("{ARTICLE}Text.\n\n<img src=\"strete.jpg\" alt=\"A street\">\n"),
    );
    let err = stderr(&site.build());
    assert!(
        err.contains("index.md:9:11: image \"strete.jpg\" not found"),
        "{err}"
    );
    assert!(err.contains("did you mean \"street.jpg\"?"), "{err}");
}

#[test]
fn a_bundle_file_may_not_replace_what_the_build_makes() {
    let site = bundle_site("Text.\n\n![A street](street.jpg)\n");
    site.write("content/articles/coup/index.html", "<p>old</p>");
    site.write_bytes("content/articles/coup/street.800w.jpg", &jpeg(10, 10));
    let err = stderr(&site.build());
    assert!(err.contains("content/articles/coup/index.html would replace a file the build makes (articles/coup/index.html)"), "{err}");
    assert!(
        err.contains("content/articles/coup/street.800w.jpg would replace a file the build makes"),
        "{err}"
    );
}

#[test]
fn links_to_pages_and_urls_are_left_as_written() {
    let site = bundle_site("See [the list](../) and [a site](https://example.org/a.pdf) and [top](#x) and [mail](mailto:a@b.org).\n");
    site.build_ok();
    let html = site.out("articles/coup/index.html");
    assert!(html.contains("href=\"../\""));
    assert!(html.contains("href=\"https://example.org/a.pdf\""));
    assert!(html.contains("href=\"mailto:a@b.org\""));
}

#[test]
fn a_broken_bundle_is_known_by_its_folder_name() {
    let site = Site::new(&[
        ("content/notes/sahel/index.md", "+++\ntitle = \n+++\nx\n"),
        ("content/articles/a.md", "+++\ntitle = \"A\"\ndate = 2024-01-01\nbackground = [\"sahel\"]\n+++\nSee [[notes/sahel]].\n"),
    ]);
    let err = stderr(&site.build());
    assert!(err.contains("content/notes/sahel/index.md:2"), "{err}");
    assert!(!err.contains("unknown note"), "{err}");
}

#[test]
fn a_relative_path_on_a_flat_standalone_page_names_its_own_bundle() {
    let site = Site::new(&[(
        "content/pages/legal/terms.md",
        "+++\ntitle = \"Terms\"\n+++\n![A map](map.png)\n",
    )]);
    let err = stderr(&site.build());
    assert!(err.contains("content/pages/legal/terms/index.md"), "{err}");
}

#[test]
fn an_encoded_slash_cannot_lead_out_of_the_site() {
    let site = bundle_site("![Passwords](/%2Fetc/passwd.png)\n\n[keys](/%2Fetc/hosts.pdf)\n");
    let err = stderr(&site.build());
    assert!(
        err.contains("image \"/%2Fetc/passwd.png\" is not a path inside the site"),
        "{err}"
    );
    assert!(
        err.contains("file \"/%2Fetc/hosts.pdf\" is not a path inside the site"),
        "{err}"
    );
}

#[test]
fn hidden_files_of_a_bundle_are_not_published() {
    let site = bundle_site("Text.\n");
    site.write("content/articles/coup/.env", "SECRET=1");
    site.write("content/articles/coup/notes.txt~", "backup");
    site.build_ok();
    assert!(!site.exists("articles/coup/.env"));
    assert!(!site.exists("articles/coup/notes.txt~"));
}

/// A JPEG stored `w` by `h` whose EXIF orientation is 6 (shown turned a
/// quarter clockwise: `h` wide, `w` high).
fn jpeg_turned(w: u32, h: u32) -> Vec<u8> {
    use img_parts::ImageEXIF;
    let mut b = Vec::new();
    b.extend_from_slice(b"MM\0\x2A\0\0\0\x08");
    b.extend_from_slice(&1u16.to_be_bytes());
    // Orientation (0x0112), SHORT, one value: 6.
    b.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
    b.extend_from_slice(&0u32.to_be_bytes());
    let mut j = img_parts::jpeg::Jpeg::from_bytes(jpeg(w, h).into()).unwrap();
    j.set_exif(Some(b.into()));
    j.encoder().bytes().to_vec()
}

#[test]
fn a_turned_photo_is_sized_and_listed_upright() {
    let site = bundle_site("![A portrait](portrait.jpg)\n");
    site.write_bytes(
        "content/articles/coup/portrait.jpg",
        &jpeg_turned(1000, 600),
    );
    site.build_ok();
    let html = site.out("articles/coup/index.html");
    let img = &html[html.find("alt=\"A portrait\"").unwrap().saturating_sub(600)..];
    assert!(img.contains("width=\"600\" height=\"1000\""), "{img}");
    assert!(
        !img.contains("800w"),
        "no variant wider than the upright photo: {img}"
    );
    assert_srcsets_resolve(&site.root().join("public/articles/coup/index.html"));
}

#[test]
fn a_decorative_title_is_never_a_caption() {
    let site = bundle_site("Text.\n\n![A rule](street.jpg \"decorative\")\n\n![Street](street.jpg \" | Photo: Desk\")\n");
    site.build_ok();
    let html = site.out("articles/coup/index.html");
    assert!(!html.contains(">decorative"), "{html}");
    assert!(
        html.contains("<figcaption><span class=\"credit\">Photo: Desk</span></figcaption>"),
        "{html}"
    );
}

#[test]
fn images_sharing_a_name_but_not_a_format_keep_their_own_variants() {
    let site = bundle_site("![One](a.jpg)\n\n![Two](a.png)\n\n![Three](a.jpeg)\n");
    site.write_bytes("content/articles/coup/a.jpg", &jpeg(600, 300));
    site.write_bytes("content/articles/coup/a.png", &png(500, 250));
    site.write_bytes("content/articles/coup/a.jpeg", &jpeg(700, 350));
    site.build_ok();
    let html = site.out("articles/coup/index.html");
    for (name, width) in [("a.jpg", 480), ("a.png", 480), ("a.jpeg", 480)] {
        assert!(
            html.contains(&format!("articles/coup/{name}.{width}w.webp {width}w")),
            "{name}: {html}"
        );
    }
    // Each variant is its own picture: the PNG's is not the JPEG's.
    let from_jpg = std::fs::read(site.root().join("public/articles/coup/a.jpg.480w.webp")).unwrap();
    let from_png = std::fs::read(site.root().join("public/articles/coup/a.png.480w.webp")).unwrap();
    assert_ne!(from_jpg, from_png);
    let size = |p: &str| {
        image::load_from_memory(&std::fs::read(site.root().join(p)).unwrap())
            .unwrap()
            .height()
    };
    assert_eq!(size("public/articles/coup/a.jpg.480w.webp"), 240);
    assert_eq!(size("public/articles/coup/a.png.480w.webp"), 240);
    assert_eq!(size("public/articles/coup/a.jpeg.700w.jpg"), 350);
}

#[test]
fn sanitized_bodies_keep_their_responsive_images() {
    let site = bundle_site("![A street](street.jpg)\n");
    site.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://example.org/news/\"\nraw_html = \"sanitize\"\n",
    );
    site.build_ok();
    let html = site.out("articles/coup/index.html");
    assert!(
        html.contains(
            "<source type=\"image/webp\" srcset=\"../../articles/coup/street.jpg.480w.webp 480w"
        ),
        "{html}"
    );
    assert!(html.contains("sizes=\""), "{html}");
    assert!(html.contains("decoding=\"async\""), "{html}");
}

#[test]
fn check_sees_a_location_in_exif_a_strict_reader_refuses() {
    let site = bundle_site("Text.\n\n![A street](street.jpg)\n");
    let exif = gps_exif_then(8);
    assert!(
        exif::Reader::new().read_raw(exif.clone()).is_err(),
        "the block is one a strict read refuses"
    );
    site.write_bytes(
        "content/articles/coup/street.jpg",
        &jpeg_with_exif(900, 450, exif),
    );
    let out = site.run(&["check"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("1 image carried a location"), "{err}");
    assert!(err.contains("content/articles/coup/street.jpg"), "{err}");
}

#[test]
fn check_says_a_kept_location_is_published_and_is_silent_when_quiet() {
    let site = bundle_site("Text.\n\n![A street](street.jpg)\n");
    site.write_bytes("content/articles/coup/street.jpg", &jpeg_with_gps(900, 450));
    let quiet = site.run(&["check", "--quiet"]);
    assert!(quiet.status.success());
    assert_eq!(stderr(&quiet), "");
    site.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://example.org/news/\"\n[images]\nkeep_metadata = true\n",
    );
    let err = stderr(&site.run(&["check"]));
    assert!(
        err.contains("warning: 1 image carried a location (GPS), published with it because images.keep_metadata is set"),
        "{err}"
    );
    assert!(!err.contains("removed from the published copies"), "{err}");
}

#[test]
fn a_located_image_that_cannot_be_stripped_is_refused_unless_metadata_is_kept() {
    let site = bundle_site("Text.\n");
    // An EXIF block is a TIFF file: this one carries a GPS latitude.
    let tiff = gps_exif();
    assert!(gps_fields(&tiff) > 0, "the test file carries GPS");
    // In a bundle, then in static/.
    for path in ["content/articles/coup/scan.tif", "static/images/scan.tiff"] {
        site.write_bytes(path, &tiff);
        for command in ["build", "check"] {
            let out = site.run(&[command]);
            let err = stderr(&out);
            assert!(!out.status.success(), "{command}: {err}");
            assert!(
                err.contains(&format!(
                    "{path}:1:1: this TIFF image carries a location (GPS)"
                )),
                "{command}: {err}"
            );
            assert!(err.contains("convert it to JPEG, PNG or WebP"), "{err}");
            assert!(err.contains("keep_metadata = true"), "{err}");
        }
        site.remove(path);
    }
    site.write_bytes("content/articles/coup/scan.tif", &tiff);
    site.write_bytes("static/images/scan.tiff", &tiff);
    assert!(!site.exists("articles/coup/scan.tif"), "nothing published");
    // Kept metadata: published as they are, and `check` lists them with
    // the JPEG that carried one (which is not stripped either).
    site.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://example.org/news/\"\n[images]\nkeep_metadata = true\n",
    );
    let located = jpeg_with_gps(1000, 500);
    site.write_bytes("content/articles/coup/street.jpg", &located);
    site.build_checked();
    let public = site.root().join("public");
    assert_eq!(
        std::fs::read(public.join("articles/coup/scan.tif")).unwrap(),
        tiff
    );
    assert_eq!(
        std::fs::read(public.join("images/scan.tiff")).unwrap(),
        tiff
    );
    assert_eq!(
        std::fs::read(public.join("articles/coup/street.jpg")).unwrap(),
        located,
        "keep_metadata publishes the original untouched"
    );
    let out = site.run(&["check"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("3 images carried a location"), "{err}");
    assert!(err.contains("content/articles/coup/scan.tif"), "{err}");
    assert!(err.contains("static/images/scan.tiff"), "{err}");
}

#[test]
fn a_missing_lead_image_of_a_bundle_names_the_bundle_folder() {
    let site = bundle_site("Text.\n");
    site.remove("content/articles/coup/lead.jpg");
    let err = stderr(&site.build());
    assert!(
        err.contains(
            "image \"lead.jpg\" is neither in the page's folder content/articles/coup/ nor in static/"
        ),
        "{err}"
    );
    assert!(
        err.contains("put the file at content/articles/coup/lead.jpg"),
        "{err}"
    );
}

#[test]
fn a_standalone_page_may_be_a_bundle() {
    let site = Site::new(&[
        (
            "site.toml",
            "title = \"T\"\nbase_url = \"https://example.org/news/\"\n",
        ),
        (
            "content/pages/about/index.md",
            "+++\ntitle = \"About\"\n+++\n\n![The team](team.png)\n\n[Our charter](charter.pdf)\n",
        ),
        ("content/pages/about/charter.pdf", "%PDF-1.4\n"),
    ]);
    site.write_bytes("content/pages/about/team.png", &png(600, 300));
    site.build_checked();
    let html = site.out("about/index.html");
    assert!(
        html.contains("src=\"../about/team.png.600w.png\""),
        "{html}"
    );
    assert!(html.contains("width=\"600\" height=\"300\""), "{html}");
    assert!(site.exists("about/team.png") && site.exists("about/charter.pdf"));
}
