"""Parses the Atom feed of every language's tree of a built multilingual
site with feedparser: each is well-formed Atom 1.0, names its own URL,
and links entries, absolutely, to articles of its own tree.

Usage: check_feeds.py SITE_OUTPUT LANG [LANG ...]   (the default first)
"""

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    site = Path(sys.argv[1])
    languages = sys.argv[2:]
    failed = 0
    for i, lang in enumerate(languages):
        tree = site if i == 0 else site / lang
        index = (tree / "index.html").read_text(encoding="utf-8")
        base = re.search(r'<link rel="canonical" href="([^"]+)"', index).group(1)
        feed = feedparser.parse(str(tree / "feed.xml"))
        problems = []
        if feed.bozo:
            problems.append(f"not well-formed: {feed.get('bozo_exception')}")
        if feed.version != "atom10":
            problems.append(f"not Atom 1.0: {feed.version}")
        if feed.feed.get("id") != base + "feed.xml":
            problems.append(f"id {feed.feed.get('id')} is not {base}feed.xml")
        if not feed.entries:
            problems.append("no entries")
        for e in feed.entries:
            link = e.get("link", "")
            rel = link[len(base):]
            if not link.startswith(base) or not (tree / rel / "index.html").is_file():
                problems.append(f"entry {link} is not an article of this tree")
        atom = "{http://www.w3.org/2005/Atom}"
        for entry in ET.parse(tree / "feed.xml").getroot().iter(atom + "entry"):
            value = entry.findtext(atom + "content", default="")
            relative = [u for u in re.findall(r'\b(?:href|src)="([^"]*)"', value)
                        if not re.match(r"^[a-z][a-z0-9+.-]*:", u)]
            if relative:
                problems.append(f"relative links in content: {relative}")
        print(f"{lang}: {len(feed.entries)} entries" + "".join(f"\n  {p}" for p in problems))
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
