"""Private-use characters that carry text past Markdown and mkdocs-bibtex, put back in the HTML.

Two swaps, one idea: Markdown passes private-use characters through untouched and mkdocs-bibtex
ignores them.
- Citation markup (`Stash`). A page's citations are rendered to HTML before Markdown runs (the
  review's numbers, ranges, hidden anchors). Written into the Markdown as HTML, every tag would be
  stashed and restored by Markdown's raw-HTML handling, and that was most of what citations cost a
  build. Instead the Markdown gets a short token per citation and the HTML goes in after Markdown
  is done.
- `@` that is not a citation (`hide`/`unhide`). mkdocs-bibtex reads any one-line `[...]` holding an
  `@` as a citation, also inside code and in `[@name](url)` links. After our hook has rendered the
  real citations, every `@` left inside a bracket is swapped for a private-use character;
  `unhide` swaps it back in the rendered HTML.
"""

from __future__ import annotations

import re

AT = "\ue040"  # an `@` hidden from mkdocs-bibtex
OPEN, CLOSE = "\ue041", "\ue042"  # around a stashed citation's number
TOKEN = re.compile(f"{OPEN}(\\d+){CLOSE}")
BRACKETED = re.compile(r"\[[^\[\]\n]*\]")


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


def hide(markdown: str) -> str:
    """Every `@` inside a one-line bracket, out of mkdocs-bibtex's sight."""
    return BRACKETED.sub(lambda m: m.group(0).replace("@", AT), markdown)


def unhide(html: str) -> str:
    return html.replace(AT, "@")
