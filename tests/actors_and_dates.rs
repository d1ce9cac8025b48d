//! Smaller things readers noticed: an explainer's published date beside
//! "Updated", an actor's country linked to its profile, people in the
//! actor index by family name, and the index's images.

use crate::support;

use support::*;

#[test]
fn explainers_show_their_published_date_as_well_as_updated() {
    let site = Site::new(&[
        (
            "content/notes/both.md",
            "+++\ntitle = \"Both\"\ndate = 2023-07-26\nupdated = 2023-12-22\n+++\n\nx\n",
        ),
        (
            "content/notes/one.md",
            "+++\ntitle = \"One\"\ndate = 2023-07-26\n+++\n\nx\n",
        ),
    ]);
    site.build_checked();
    let both = site.out("explainers/both/index.html");
    assert!(
        both.contains(
            "Published <time datetime=\"2023-07-26\">July 26, 2023</time> · Updated <time datetime=\"2023-12-22\">December 22, 2023</time>"
        ),
        "{both}"
    );
    let one = site.out("explainers/one/index.html");
    assert!(one.contains("<time datetime=\"2023-07-26\">July 26, 2023</time>"));
    assert!(!one.contains("Updated"));
}

#[test]
fn an_actors_country_links_to_the_country_actor() {
    let site = Site::new(&[
        (
            "content/actors/france.md",
            "+++\nname = \"France\"\nkind = \"country\"\naliases = [\"French Republic\"]\n+++\n\nA country.\n",
        ),
        (
            "content/actors/macron.md",
            "+++\nname = \"Emmanuel Macron\"\nkind = \"person\"\ncountry = \"france\"\n+++\n\nx\n",
        ),
        (
            "content/actors/itte.md",
            "+++\nname = \"Sylvain Itte\"\nkind = \"person\"\ncountry = \"French Republic\"\n+++\n\nx\n",
        ),
        (
            "content/actors/tchiani.md",
            "+++\nname = \"Abdourahamane Tchiani\"\nkind = \"person\"\ncountry = \"Niger\"\n+++\n\nx\n",
        ),
    ]);
    site.build_checked();
    // Written in lower case, the country shows as its profile names it;
    // written as an alias, as written.
    let macron = site.out("actors/macron/index.html");
    assert!(
        macron.contains("<dt>Country</dt><dd><a class=\"xref xref-actor\" href=\"../../actors/france/index.html\">France</a></dd>"),
        "{macron}"
    );
    assert!(site
        .out("actors/itte/index.html")
        .contains("href=\"../../actors/france/index.html\">French Republic</a>"));
    // No country actor named Niger: plain text.
    assert!(site
        .out("actors/tchiani/index.html")
        .contains("<dt>Country</dt><dd>Niger</dd>"));
    // An alias written in other letter case shows as the profile writes it.
    site.write(
        "content/actors/itte.md",
        "+++\nname = \"Sylvain Itte\"\nkind = \"person\"\ncountry = \"french republic\"\n+++\n\nx\n",
    );
    site.build_checked();
    assert!(site
        .out("actors/itte/index.html")
        .contains("href=\"../../actors/france/index.html\">French Republic</a>"));
}

#[test]
fn people_sort_by_family_name_and_the_index_shows_images() {
    let site = Site::new(&[
        (
            "content/actors/a.md",
            "+++\nname = \"Zoe Adams\"\nkind = \"person\"\nimage = \"images/zoe.png\"\nimage_alt = \"Zoe Adams speaking\"\n+++\n\nx\n",
        ),
        ("content/actors/b.md", "+++\nname = \"Anna Young\"\nkind = \"person\"\n+++\n\nx\n"),
        (
            "content/actors/c.md",
            "+++\nname = \"Charles de Gaulle\"\nkind = \"person\"\nsort_name = \"Gaulle\"\n+++\n\nx\n",
        ),
        ("content/actors/d.md", "+++\nname = \"Zambia\"\nkind = \"country\"\n+++\n\nx\n"),
        ("content/actors/e.md", "+++\nname = \"Angola\"\nkind = \"country\"\n+++\n\nx\n"),
    ]);
    site.write_bytes("static/images/zoe.png", &png(600, 600));
    site.build_checked();
    let index = site.out("actors/index.html");
    let pos = |name: &str| {
        index
            .find(&format!(">{name}</a>"))
            .unwrap_or_else(|| panic!("{name}"))
    };
    // Adams, Gaulle, Young: by family name, not first name.
    assert!(pos("Zoe Adams") < pos("Charles de Gaulle"), "{index}");
    assert!(pos("Charles de Gaulle") < pos("Anna Young"), "{index}");
    // Countries stay by name.
    assert!(pos("Angola") < pos("Zambia"));
    assert!(
        index.contains(
            "<img class=\"card-image\" src=\"../images/zoe.png.600w.png\" srcset=\"../images/zoe.png.480w.png 480w, ../images/zoe.png.600w.png 600w\" sizes=\"3.5rem\" width=\"600\" height=\"600\" alt=\"Zoe Adams speaking\""
        ),
        "{index}"
    );
    assert_eq!(index.matches("<img").count(), 1);
}

/// A `w` by `h` PNG.
fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(w, h, |x, _| image::Rgba([(x % 256) as u8, 40, 90, 255]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgba8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}
