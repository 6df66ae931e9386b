"""The whole guide as one printable page: every page's content in navigation order.

Each page's ids get a prefix so they stay unique, and links between pages become links inside
the document, so the printed or saved guide works on its own.
"""

from __future__ import annotations

import html as htmllib
import re
from urllib.parse import urljoin, urlparse

from . import page_parts
from .urls import relative_url

ID_ATTRIBUTE = re.compile(r'\b(id|for|aria-describedby|aria-labelledby)="([^"]+)"')
CALCULATOR = '<div class="infusion-calculator">'
CALCULATOR_NOTE = ('<p class="print-note"><em>The interactive infusion calculator is on the Dosing '
                   'and administration page of the site and of the offline copy; it prints its own '
                   'one-page plan.</em></p>')
HREF = re.compile(r'\bhref="([^"]*)"')
BASE = "http://guide.invalid/"


def slug(url: str) -> str:
    return url.strip("/").replace("/", "-").replace(".html", "") or "home"


def without_calculator(body: str) -> str:
    """The calculator's form cannot work on paper: a note takes its place."""
    start = body.find(CALCULATOR)
    if start < 0:
        return body
    depth = 0
    for match in re.finditer(r"<div\b|</div>", body[start:]):
        depth += 1 if match.group(0) == "<div" else -1
        if depth == 0:
            return body[:start] + CALCULATOR_NOTE + body[start + match.end():]
    return body


def combine(parts: list[tuple[str, str, str]], print_url: str) -> str:
    """`parts` are (page url, page title, page html); returns the document's HTML."""
    included = {slug(url) for url, _, _ in parts}
    sections = []
    for url, title, body in parts:
        prefix = slug(url)
        body = without_calculator(body)
        body = ID_ATTRIBUTE.sub(lambda m: m.group(1) + '="' + " ".join(
            f"{prefix}-{token}" for token in m.group(2).split()) + '"', body)

        def relink(match: re.Match, url: str = url, prefix: str = prefix) -> str:
            href = htmllib.unescape(match.group(1))
            if href.startswith("#"):
                return f'href="#{prefix}-{href[1:]}"'
            if re.match(r"^[a-z]+:", href):
                return match.group(0)  # http:, https:, mailto:
            target = urlparse(urljoin(BASE + url, href))
            path = target.path[len(urlparse(BASE).path):]
            if slug(path) in included:
                anchor = f"{slug(path)}-{target.fragment}" if target.fragment else slug(path)
                return f'href="#{htmllib.escape(anchor)}"'
            return f'href="{htmllib.escape(relative_url(path, print_url))}"'

        body = HREF.sub(relink, body)
        # The placeholder height while off screen (guide.css): see page_parts.py for why generous.
        sections.append(f'<section class="print-part" id="{prefix}" '
                        f'style="contain-intrinsic-size: auto {page_parts.estimated_height(body)}px" '
                        f'aria-label="{htmllib.escape(title)}">\n{body}\n</section>')
    contents = "".join(f'<li><a href="#{slug(url)}">{htmllib.escape(title)}</a></li>'
                       for url, title, _ in parts)
    toc = (f'<nav class="print-toc" aria-labelledby="print-toc-title"><h2 id="print-toc-title">Contents</h2>'
           f'<ol>{contents}</ol></nav>')
    return toc + "\n" + "\n".join(sections)
