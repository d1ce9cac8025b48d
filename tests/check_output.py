#!/usr/bin/env python3
"""Checks a built site's machine-readable output against its standards:
the Atom feed through a real feed parser (feedparser), the sitemap, and the
metadata of every page (title, description, canonical URL, Open Graph,
Twitter, JSON-LD). Prints one line per finding and `N passed, N failed`.

    python check_output.py SITE_DIR [--logo]

`--logo` says the site sets a publisher logo, which NewsArticle must carry.
"""

import json
import posixpath
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ET
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import feedparser

FEED_ENTRIES = 50
# A later page of a paginated list (articles/page/2/index.html).
LIST_PAGE = re.compile(r"(^|/)page/\d+/index\.html$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
W3C_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T.*)?$")


def instant(text):
    """An RFC 3339 string as an aware datetime, for comparing instants."""
    return datetime.fromisoformat((text or "1970-01-01T00:00:00Z").replace("Z", "+00:00"))


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {name}" + (f": {detail}" if detail else ""))
        return ok


class Page(HTMLParser):
    """What the checks need of one HTML page."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.lang = None
        self.titles = []
        self.meta = {}  # name or property -> [content]
        self.links = {}  # rel -> [href]
        self.json_ld = []  # raw text of each block
        self.h1 = 0
        self.imgs = []  # alt of each <img>, None when missing
        self.infobox_links = []
        self._in = None
        self._buf = []
        self._infobox = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "title":
            self._in, self._buf = "title", []
        elif tag == "meta":
            key = a.get("property") or a.get("name") or a.get("http-equiv")
            if key:
                self.meta.setdefault(key, []).append(a.get("content", ""))
        elif tag == "link":
            for rel in (a.get("rel") or "").split():
                self.links.setdefault(rel, []).append(a.get("href", ""))
        elif tag == "script" and a.get("type") == "application/ld+json":
            self._in, self._buf = "ld", []
        elif tag == "h1":
            self.h1 += 1
        elif tag == "img":
            self.imgs.append(a.get("alt"))
        elif tag == "aside" and "infobox" in (a.get("class") or ""):
            self._infobox = True
        elif tag == "a" and self._infobox and (a.get("href") or "").startswith("http"):
            self.infobox_links.append(a["href"])

    def handle_endtag(self, tag):
        if tag == "title" and self._in == "title":
            self.titles.append("".join(self._buf))
            self._in = None
        elif tag == "script" and self._in == "ld":
            self.json_ld.append("".join(self._buf))
            self._in = None
        elif tag == "aside":
            self._infobox = False

    def handle_data(self, data):
        if self._in:
            self._buf.append(data)

    def one(self, key):
        values = self.meta.get(key, [])
        return values[0] if len(values) == 1 else None


def in_tree(rel):
    """A page's path within its language's tree: `fr/404.html` is
    `404.html` (another language of a multilingual site has its tree under
    its tag)."""
    first, _, rest = rel.partition("/")
    if rest and re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,4})*", first):
        return rest
    return rel


def is_redirect(page):
    return page.one("robots") == "noindex" and page.one("refresh") is not None


def check_redirect(t, rel, page, base):
    """A page at an old URL (`aliases`): a relative refresh, the target's
    absolute canonical URL and noindex."""
    where = rel
    t.check(f"{where}: lang", bool(page.lang))
    t.check(f"{where}: one non-empty <title>", len(page.titles) == 1 and page.titles[0].strip())
    target = (page.one("refresh") or "").partition("url=")[2]
    t.check(f"{where}: refresh to a relative URL", target and "://" not in target, target)
    canonical = (page.links.get("canonical") or [""])[0]
    t.check(f"{where}: absolute canonical URL", canonical.startswith(base), canonical)


def check_page(t, site, rel, page, base, logo):
    where = rel
    t.check(f"{where}: lang", bool(page.lang))
    t.check(f"{where}: one non-empty <title>", len(page.titles) == 1 and page.titles[0].strip())
    t.check(f"{where}: one h1", page.h1 == 1, f"{page.h1} h1 elements")
    t.check(f"{where}: meta description", bool(page.one("description")))
    canonical = (page.links.get("canonical") or [""])[0]
    t.check(f"{where}: absolute canonical URL", canonical.startswith(base), canonical)
    for key in ["og:title", "og:type", "og:url", "og:description", "og:site_name", "twitter:card", "twitter:title", "twitter:description"]:
        t.check(f"{where}: {key}", bool(page.one(key)))
    t.check(f"{where}: og:url is the canonical URL", page.one("og:url") == canonical)
    for alt in page.imgs:
        t.check(f"{where}: every image has alt text", alt is not None and alt.strip())
    blocks = []
    for raw in page.json_ld:
        t.check(f"{where}: JSON-LD has no raw < > &", not re.search(r"[<>&]", raw), raw[:80])
        try:
            blocks.append(json.loads(raw))
        except ValueError as e:
            t.check(f"{where}: JSON-LD parses", False, str(e))
    types = {b.get("@type") for b in blocks}
    inner = in_tree(rel) not in ("index.html", "404.html")
    if inner:
        crumbs = [b for b in blocks if b.get("@type") == "BreadcrumbList"]
        t.check(f"{where}: BreadcrumbList", len(crumbs) == 1)
        if crumbs:
            items = crumbs[0].get("itemListElement", [])
            t.check(f"{where}: breadcrumbs end at the page", items and items[-1].get("item") == canonical)
    section = rel.split("/")[0]
    if LIST_PAGE.search(rel):
        # A list's later page: a list, whatever its section.
        section = "list"
    if section == "articles" and rel != "articles/index.html":
        for key in ["article:published_time", "article:modified_time"]:
            t.check(f"{where}: {key}", RFC3339.match(page.one(key) or ""), page.one(key))
        t.check(f"{where}: og:type article", page.one("og:type") == "article")
        news = [b for b in blocks if b.get("@type") == "NewsArticle"]
        if t.check(f"{where}: NewsArticle", len(news) == 1):
            n = news[0]
            for key in ["headline", "description", "datePublished", "dateModified", "author", "publisher", "mainEntityOfPage", "about", "mentions"]:
                t.check(f"{where}: NewsArticle.{key}", key in n and n[key] not in ("", None))
            t.check(f"{where}: NewsArticle.publisher.name", bool(n.get("publisher", {}).get("name")))
            if logo:
                t.check(f"{where}: NewsArticle.publisher.logo", n.get("publisher", {}).get("logo", {}).get("url", "").startswith("http"))
            t.check(f"{where}: NewsArticle.mainEntityOfPage is the page", n.get("mainEntityOfPage", {}).get("@id") == canonical)
            for about in n.get("about", []):
                t.check(f"{where}: about points at a profile", about.get("@id", "").startswith(base + "actors/"), about)
            if page.one("og:image"):
                t.check(f"{where}: NewsArticle.image", n.get("image") == [page.one("og:image")])
                t.check(f"{where}: og:image:alt", bool(page.one("og:image:alt")))
        tags = page.meta.get("article:tag", [])
        t.check(f"{where}: article:tag", len(tags) > 0)
    if section == "actors" and rel != "actors/index.html":
        entity = [b for b in blocks if b.get("@type") in ("Person", "Organization", "Country", "Place", "Thing")]
        if t.check(f"{where}: Person/Organization/Country JSON-LD", len(entity) == 1, types):
            e = entity[0]
            t.check(f"{where}: actor name", bool(e.get("name")))
            t.check(f"{where}: actor @id is the page", e.get("@id") == canonical)
            t.check(f"{where}: sameAs from links", sorted(e.get("sameAs", [])) == sorted(page.infobox_links), (e.get("sameAs"), page.infobox_links))
    if section == "explainers" and rel != "explainers/index.html":
        t.check(f"{where}: explainer Article JSON-LD", "Article" in types, types)


def check_feed(t, site, base, article_pages):
    feed = feedparser.parse(str(site / "feed.xml"))
    t.check("feed: well-formed (bozo == 0)", feed.bozo == 0, getattr(feed, "bozo_exception", ""))
    t.check("feed: Atom 1.0", feed.version == "atom10", feed.version)
    f = feed.feed
    t.check("feed: id", f.get("id") == base + "feed.xml", f.get("id"))
    t.check("feed: title", bool(f.get("title")))
    t.check("feed: updated", RFC3339.match(f.get("updated", "")), f.get("updated"))
    t.check("feed: author", bool(f.get("author")))
    selfs = [l for l in f.get("links", []) if l.get("rel") == "self"]
    t.check("feed: link rel=self", len(selfs) == 1 and selfs[0].get("href") == base + "feed.xml", selfs)
    expected = min(FEED_ENTRIES, len(article_pages))
    t.check("feed: entry count", len(feed.entries) == expected, f"{len(feed.entries)} entries, {expected} articles")
    for e in feed.entries:
        name = f"feed entry {e.get('id')}"
        for key in ["id", "title", "updated", "published", "summary"]:
            t.check(f"{name}: {key}", bool(e.get(key)))
        for key in ["updated", "published"]:
            t.check(f"{name}: {key} is RFC 3339", RFC3339.match(e.get(key, "")), e.get(key))
        content = e.get("content", [])
        t.check(f"{name}: full content", len(content) == 1 and content[0].get("type") == "text/html" and len(content[0].get("value", "")) > 200)
        t.check(f"{name}: author", bool(e.get("author")))
        t.check(f"{name}: published <= updated", instant(e.get("published")) <= instant(e.get("updated")), (e.get("published"), e.get("updated")))
    # Read as written: feedparser itself resolves links against xml:base,
    # which many readers do not.
    atom = "{http://www.w3.org/2005/Atom}"
    for entry in ET.parse(site / "feed.xml").getroot().iter(atom + "entry"):
        value = entry.findtext(atom + "content", default="")
        relative = [u for u in re.findall(r'\b(?:href|src)="([^"]*)"', value) if not re.match(r"^[a-z][a-z0-9+.-]*:", u)]
        t.check(f"feed entry {entry.findtext(atom + 'id')}: links in content are absolute", not relative, relative)
    if feed.entries:
        newest = max(instant(e.get("updated")) for e in feed.entries)
        t.check("feed: updated is its newest entry's", instant(f.get("updated")) >= newest, (f.get("updated"), newest))
        rel = e.get("link", "")[len(base):] + "index.html"
        page = article_pages.get(rel)
        if t.check(f"{name}: links to a built article", page is not None, e.get("link")):
            terms = sorted(tag.term for tag in e.get("tags", []))
            t.check(f"{name}: a category per topic", terms == sorted(page.meta.get("article:tag", [])), terms)
            t.check(f"{name}: title is the article's", e.get("title") + " — " in page.titles[0])


def check_scoped_feeds(t, site, base, pages):
    """The feed of each topic, actor and author: parses, sits beside its
    page, is linked from it, and has absolute links in its entries."""
    atom = "{http://www.w3.org/2005/Atom}"
    feeds = [f for d in ("topics", "actors", "authors") for f in sorted(site.glob(d + "/*/feed.xml"))]
    for path in feeds:
        rel = path.relative_to(site).as_posix()
        feed = feedparser.parse(str(path))
        t.check(f"{rel}: well-formed (bozo == 0)", feed.bozo == 0, getattr(feed, "bozo_exception", ""))
        t.check(f"{rel}: Atom 1.0", feed.version == "atom10", feed.version)
        t.check(f"{rel}: id", feed.feed.get("id") == base + rel, feed.feed.get("id"))
        selfs = [l for l in feed.feed.get("links", []) if l.get("rel") == "self"]
        t.check(f"{rel}: link rel=self", len(selfs) == 1 and selfs[0].get("href") == base + rel, selfs)
        t.check(f"{rel}: at most {FEED_ENTRIES} entries", len(feed.entries) <= FEED_ENTRIES, len(feed.entries))
        for e in feed.entries:
            t.check(f"{rel} entry {e.get('id')}: links to a built article", (e.get("link", "")[len(base):] + "index.html") in pages, e.get("link"))
        for entry in ET.parse(path).getroot().iter(atom + "entry"):
            value = entry.findtext(atom + "content", default="")
            relative = [u for u in re.findall(r'\b(?:href|src)="([^"]*)"', value) if not re.match(r"^[a-z][a-z0-9+.-]*:", u)]
            t.check(f"{rel} entry {entry.findtext(atom + 'id')}: links in content are absolute", not relative, relative)
        page_rel = rel[: -len("feed.xml")] + "index.html"
        page = pages.get(page_rel)
        if t.check(f"{rel}: beside its page", page is not None, rel):
            linked = [posixpath.normpath(posixpath.join(posixpath.dirname(page_rel), h)) for h in page.links.get("alternate", [])]
            t.check(f"{rel}: linked from its page", rel in linked, linked)


def check_sitemap(t, site, base, pages):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    try:
        root = ET.parse(site / "sitemap.xml").getroot()
    except ET.ParseError as e:
        t.check("sitemap: well-formed", False, str(e))
        return
    t.check("sitemap: urlset", root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset")
    urls = root.findall("s:url", ns)
    locs = []
    for u in urls:
        loc = u.findtext("s:loc", default="", namespaces=ns)
        locs.append(loc)
        # A topic in another script is percent-encoded in the URL and
        # written as it is on disk.
        rel = urllib.parse.unquote(loc[len(base):]) + "index.html"
        t.check(f"sitemap: {loc} is a built page", loc.startswith(base) and rel in pages, loc)
        lastmod = u.findtext("s:lastmod", default=None, namespaces=ns)
        if lastmod is not None:
            t.check(f"sitemap: {loc} lastmod is a W3C date", W3C_DATE.match(lastmod), lastmod)
        if rel.startswith("articles/") and rel != "articles/index.html" and not LIST_PAGE.search(rel):
            page = pages[rel]
            modified = page.one("article:modified_time") or ""
            t.check(f"sitemap: {loc} lastmod from updated or date", lastmod == modified, (lastmod, modified))
    # The search page has no content of its own to list (a results page is
    # not one search engines index).
    expected = sorted(p for p in pages if in_tree(p) not in ("404.html", "search/index.html"))
    got = sorted(urllib.parse.unquote(l[len(base):]) + "index.html" for l in locs)
    t.check("sitemap: every page once", got == expected, set(expected) ^ set(got))


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    site = Path(sys.argv[1])
    logo = "--logo" in sys.argv
    t = Tally()
    pages = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        pages[rel] = Page(path.read_text(encoding="utf-8"))
    base = (pages["index.html"].links.get("canonical") or [""])[0]
    t.check("front page canonical is the base URL", base.startswith("http") and base.endswith("/"), base)
    for rel, page in list(pages.items()):
        if is_redirect(page):
            check_redirect(t, rel, page, base)
            del pages[rel]
        else:
            check_page(t, site, rel, page, base, logo)
    articles = {r: p for r, p in pages.items()
                if r.startswith("articles/") and r != "articles/index.html" and not LIST_PAGE.search(r)}
    check_feed(t, site, base, articles)
    check_scoped_feeds(t, site, base, pages)
    check_sitemap(t, site, base, pages)
    print(f"{site}: {len(pages)} pages")
    print(f"{t.passed} passed, {t.failed} failed")
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
