"""Where the evidence figures go: the Evidence at a glance page, and a small one after the Key
points box of every disease and special-situation chapter (so no chapter file is edited).

Figures are drawn by evidence_figure from the store on every build (all of them take about
15 ms), so no figure markup is ever read back from a cache.
"""

from __future__ import annotations

import re

from . import evidence_figure
from .bib import Entry
from .page_layout import KEY_POINTS

EVIDENCE_MARKER = "<!-- evidence-figure -->"
FIGURE_SECTIONS = ("diseases/", "special-situations/")
DIV = re.compile(r"<div\b|</div>")


def has_chapter_figure(src_uri: str) -> bool:
    """Disease and special-situation chapters (not a section's index page) get a small figure."""
    return src_uri.startswith(FIGURE_SECTIONS) and not src_uri.endswith("index.md")


def block(entries: dict[str, Entry], keys, references_url: str, figure_id: str, title: str,
          compact: bool) -> str:
    found = evidence_figure.studies(entries, keys)
    return evidence_figure.figure(found, references_url, figure_id, title, compact)


def after_key_points(content: str, figure: str) -> str:
    """`figure` right after the Key points box (its closing </div>); unchanged when there is none."""
    found = KEY_POINTS.search(content)
    if not found:
        return content
    depth = 0
    for match in DIV.finditer(content, found.start()):
        depth += 1 if match.group(0) == "<div" else -1
        if depth == 0:
            return content[:match.end()] + "\n" + figure + content[match.end():]
    return content
