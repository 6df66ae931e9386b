"""Hiding `@` from mkdocs-bibtex where it is not a citation, and giving it back in the HTML.

mkdocs-bibtex reads any one-line `[...]` holding an `@` as a citation, also inside code and in
`[@name](url)` links. After our hook has rendered the real citations, every `@` left inside a
bracket is swapped for a private-use character that the plugin ignores and Markdown passes
through unchanged; `restore` swaps it back in the rendered HTML.
"""

from __future__ import annotations

import re

PLACEHOLDER = "\ue040"
BRACKETED = re.compile(r"\[[^\[\]\n]*\]")


def hide(markdown: str) -> str:
    return BRACKETED.sub(lambda m: m.group(0).replace("@", PLACEHOLDER), markdown)


def restore(html: str) -> str:
    return html.replace(PLACEHOLDER, "@")
