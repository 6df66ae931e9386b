"""Which sections cite which reference: read from each rendered page, written into the References page.

A citation belongs to the nearest heading above it; the back-link goes to that heading's anchor.
"""

from __future__ import annotations

import html as htmllib
import re
from collections import defaultdict

from mkdocs.utils import get_relative_url

# Headings and citation markers, in document order.
EVENTS = re.compile(
    r'<h(?P<level>[1-6])[^>]*\bid="(?P<id>[^"]+)"[^>]*>(?P<title>.*?)</h(?P=level)>'
    r'|<a class="cite-(?:link|hidden)" href="#ref-(?P<ref>\d+)"',
    re.DOTALL,
)
TAGS = re.compile(r"<[^>]+>")
PLACEHOLDER = re.compile(r"<!--backlinks:(\d+)-->")


class Backlinks:
    def __init__(self) -> None:
        # reference number -> ordered {(page url, anchor): (page title, section title)}
        self.sections: dict[int, dict[tuple[str, str], tuple[str, str]]] = defaultdict(dict)

    def collect(self, page, html: str) -> None:
        anchor, section = "", page.title or ""
        for match in EVENTS.finditer(html):
            if match.group("id"):
                anchor = match.group("id")
                section = htmllib.unescape(TAGS.sub("", match.group("title"))).replace("¶", "").strip()
            else:
                key = (page.url, anchor)
                self.sections[int(match.group("ref"))].setdefault(key, (page.title or "", section))

    def fill(self, content: str, references_page) -> str:
        def links(match: re.Match) -> str:
            found = self.sections.get(int(match.group(1)), {})
            if not found:
                return '<p class="reference-backlinks">Not cited in the chapters.</p>'
            items = []
            for (url, anchor), (page_title, section) in found.items():
                href = get_relative_url(url, references_page.url) + (f"#{anchor}" if anchor else "")
                label = page_title if section == page_title else f"{page_title} › {section}"
                items.append(f'<a href="{htmllib.escape(href)}">{htmllib.escape(label)}</a>')
            return '<p class="reference-backlinks">Cited in: ' + "; ".join(items) + "</p>"

        return PLACEHOLDER.sub(links, content)
