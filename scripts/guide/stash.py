"""Citation markup kept out of Markdown's way.

A page's citations are rendered to HTML before Markdown runs (the review's numbers, ranges,
hidden anchors). Written into the Markdown as HTML, every tag would be stashed and restored by
Markdown's raw-HTML handling, and that was most of what citations cost a build. Instead the
Markdown gets a short token per citation (private-use characters, which Markdown passes through
untouched and mkdocs-bibtex ignores) and the HTML goes in after Markdown is done.
"""

from __future__ import annotations

import re

OPEN, CLOSE = "\ue041", "\ue042"  # shield.py uses \ue040
TOKEN = re.compile(f"{OPEN}(\\d+){CLOSE}")


class Stash:
    def __init__(self) -> None:
        self.markup: list[str] = []

    def token(self, markup: str) -> str:
        self.markup.append(markup)
        return f"{OPEN}{len(self.markup) - 1}{CLOSE}"

    def restore(self, html: str) -> str:
        return TOKEN.sub(lambda m: self.markup[int(m.group(1))], html)


def leftover(html: str) -> list[str]:
    """Tokens still in a page: a stash that was not restored (reported by the build)."""
    return TOKEN.findall(html)
