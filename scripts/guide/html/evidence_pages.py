"""Where the evidence figures go, and what each one draws.

A chapter's evidence is its evidence table (the table headed `| Study | Design |`): one row per
study, the finding in our words, the design and patients checked against the store. That table
is the one place a chapter's evidence lives. The chapter's figure and caption are drawn from the
studies its table names (never from every citation on the page: a study cited only through a
shared partial such as the rate card is not the chapter's evidence), and the Evidence at a glance
page from the studies named in every page's evidence table. Nothing is counted by hand.

Figures are drawn by evidence_figure from the store on every build (all of them take about
15 ms), so no figure markup is ever read back from a cache.
"""

from __future__ import annotations

import re

from ..sources.bib import Entry
from ..sources.markdown import Page
from . import evidence_figure
from .page_layout import KEY_POINTS

EVIDENCE_MARKER = "<!-- evidence-figure -->"
FIGURE_SECTIONS = ("diseases/", "special-situations/")
DIV = re.compile(r"<div\b|</div>")


CITED_KEY = re.compile(r"@([A-Za-z0-9_-]+)")


def evidence_keys(page: Page) -> list[str]:
    """The studies of a page's evidence tables, in table order: the first key cited in each
    row's Study cell of every table headed `| Study | Design |`."""
    keys: list[str] = []
    for table in page.tables():
        if not table or [c.lower() for c in table[0].cells[:2]] != ["study", "design"]:
            continue
        for row in table[1:]:
            found = CITED_KEY.findall(row.cells[0]) if row.cells else []
            if found and found[0] not in keys:
                keys.append(found[0])
    return keys


def collect(docs: Path) -> dict[str, list[str]]:
    """Every page's evidence studies, by its path under docs/ (as MkDocs' src_uri)."""
    found = {}
    for path in sorted(docs.rglob("*.md")):
        uri = path.relative_to(docs).as_posix()
        keys = evidence_keys(Page.from_text(uri, path.read_text(encoding="utf-8")))
        if keys:
            found[uri] = keys
    return found


def all_evidence(evidence: dict[str, list[str]]) -> list[str]:
    """The studies named in any page's evidence table, each once."""
    return list(dict.fromkeys(k for keys in evidence.values() for k in keys))


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
