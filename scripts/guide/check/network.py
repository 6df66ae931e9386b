"""The offline promise: nothing in the output loads from the network.

Read from built HTML and CSS (the build fails at the source line that asked for a load) and from
a page's own Markdown and HTML (the checker, before anything is built).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

from ..sources.where import Positions

# <link rel=...> values that make the browser fetch (canonical, alternate and the like only name).
LOADING_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "manifest", "preload",
                "modulepreload", "prefetch", "preconnect", "dns-prefetch", "mask-icon"}
LOADING_ATTRS = {"src", "poster", "data", "srcset", "background"}  # on any element
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)
# Material fetches its diagram library from a CDN when a page holds a `.mermaid` element.
NEEDS_CDN_CLASSES = {"mermaid"}


def is_remote(url: str) -> bool:
    scheme = urlparse(url.strip()).scheme.lower()
    return url.strip().startswith("//") or scheme not in ("", "data", "blob", "file", "about",
                                                          "javascript", "mailto", "tel")


class _Loads(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []  # (line, what)
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        values = dict(attrs)
        rels = set((values.get("rel") or "").lower().split())
        for name, value in attrs:
            if value is None:
                continue
            urls = []
            if name in LOADING_ATTRS:
                urls = [part.split()[0] for part in value.split(",") if part.strip()] if name == "srcset" \
                    else [value]
            elif name == "href" and tag == "link" and rels & LOADING_RELS:
                urls = [value]
            elif name == "style":
                urls = [a or b for a, b in CSS_URL.findall(value)]
            self.found += [(line, f"<{tag} {name}> loads {url}") for url in urls if is_remote(url)]
        classes = set((values.get("class") or "").split())
        if classes & NEEDS_CDN_CLASSES:
            self.found.append((line, f"<{tag} class=\"{' '.join(sorted(classes & NEEDS_CDN_CLASSES))}\"> "
                                     "makes Material fetch its diagram library from a CDN"))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            line = self.getpos()[0]
            self.found += [(line, f"<style> loads {a or b}") for a, b in CSS_URL.findall(data)
                           if is_remote(a or b)]


def remote_loads(site_dir: Path) -> list[tuple[str, int, str]]:
    """(file relative to site_dir, line, what) for everything a page or stylesheet would fetch
    from the network. Links a reader clicks (`<a href>`) are not loads."""
    found = []
    for path in sorted(site_dir.rglob("*")):
        if path.suffix not in (".html", ".css") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        shown = path.relative_to(site_dir).as_posix()
        if path.suffix == ".css":
            where = Positions(text)
            for match in CSS_URL.finditer(text):
                url = match.group(1) or match.group(2)
                if is_remote(url):
                    found.append((shown, where.at(match.start())[0], f"stylesheet loads {url}"))
            continue
        found += [(shown, line, what) for line, what in loads_in(text)]
    return found


MARKDOWN_IMAGE = re.compile(r"!\[[^\]\n]*\]\(\s*<?([^)\s>]+)")


def loads_in(text: str) -> list[tuple[int, str]]:
    """(line, what) for each fetch the HTML in `text` would make; Markdown images count as <img>."""
    parser = _Loads()
    parser.feed(MARKDOWN_IMAGE.sub(lambda m: f'<img src="{m.group(1)}">', text))
    parser.close()
    return parser.found
