"""The last check on a built page: no citation markup may reach a reader.

Anything the citation pass did not turn into a marker (a construct it does not parse, text a
Markdown extension inserted after it ran) would show as raw `[@key]`; the build fails instead.
So does a citation in a heading: Markdown copies the heading's text to the table of contents,
where the citation would stay a placeholder (guide/html/stash.py).
"""

from __future__ import annotations

import html
import re

from ..sources.markdown import mask_code
from ..sources.where import Positions, first_line

HIDDEN = re.compile(r"<(script|style|code|pre|textarea)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
TAG = re.compile(r"<[^>]+>")
RAW = re.compile(r"\[-?@[^\]\s]*\]?:?")
HEADING_CITATION = re.compile(r"#{1,6}\s.*\[[^\]]*@")


def raw_citations(page_html: str) -> list[str]:
    """Citation markup in a page's visible text (code and scripts excepted)."""
    text = html.unescape(TAG.sub(" ", HIDDEN.sub(" ", page_html)))
    return [m.group(0) for m in RAW.finditer(text)]


def locate(source: str, found: str) -> tuple[int, int]:
    """Where in the Markdown source the leftover came from: its text, else an include line."""
    masked = mask_code(source)
    for needle in (found.rstrip(":"), "--8<--"):
        offset = masked.find(needle)
        if offset >= 0:
            return Positions(source).at(offset)
    return 1, 1


def heading_citation_line(source: str) -> int:
    """The line of the first heading in the Markdown source that holds a citation (else 1)."""
    return first_line(source, HEADING_CITATION.match)
