"""Which sections cite which reference: read from each rendered page, written into the References page.

A citation belongs to the nearest heading above it (or to the page's Key points box); the
back-link goes to that heading's anchor. Back-links are grouped by page, in reading order.
"""

from __future__ import annotations

import html as htmllib
import re
from collections import defaultdict

from .urls import relative_url

# Headings, the Key points box title, and citation markers, in document order.
EVENTS = re.compile(
    r'<h(?P<level>[1-6])[^>]*\bid="(?P<id>[^"]+)"[^>]*>(?P<title>.*?)</h(?P=level)>'
    r'|<p class="admonition-title">(?P<box>Key points)</p>'
    r'|<a class="cite-(?:link|hidden)" href="#ref-(?P<ref>\d+)"',
    re.DOTALL,
)
TAGS = re.compile(r"<[^>]+>")
PLACEHOLDER = re.compile(r"<!--backlinks:(\d+)-->")


class Backlinks:
    def __init__(self) -> None:
        # reference number -> page url -> (page title, {anchor: section title})
        self.sections: dict[int, dict[str, tuple[str, dict[str, str]]]] = defaultdict(dict)

    def collect(self, page, html: str) -> None:
        title = page.title or ""
        anchor, section = "", title
        for match in EVENTS.finditer(html):
            if match.group("id"):
                anchor = match.group("id")
                section = htmllib.unescape(TAGS.sub("", match.group("title"))).replace("¶", "").strip()
            elif match.group("box"):
                section = "Key points"
            else:
                pages = self.sections[int(match.group("ref"))]
                pages.setdefault(page.url, (title, {}))[1].setdefault(anchor, section)

    def fill(self, content: str, references_page) -> str:
        def links(match: re.Match) -> str:
            found = self.sections.get(int(match.group(1)), {})
            if not found:
                return '<p class="reference-backlinks">Not cited in the chapters.</p>'
            groups = []
            for url, (title, anchors) in found.items():
                base = relative_url(url, references_page.url)
                items = [f'<a href="{htmllib.escape(base + ("#" + a if a else ""))}">'
                         f"{htmllib.escape(label)}</a>" for a, label in anchors.items()]
                groups.append(f"<strong>{htmllib.escape(title)}</strong>: " + ", ".join(items))
            return ('<p class="reference-backlinks" data-search-exclude>Cited in: '
                    + "; ".join(groups) + "</p>")

        return PLACEHOLDER.sub(links, content)
