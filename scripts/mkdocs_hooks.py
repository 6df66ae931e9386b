"""MkDocs hooks: thin glue between MkDocs events and the `guide` package.

- Citations `[@key]` become markers numbered as in the review, before mkdocs-bibtex sees them.
- Each page that cites something gets a References section listing what it cites.
- docs/references.md gets the full list; its back-links to citing sections are filled in once
  every page has been rendered.
- Any other `@` inside brackets or code is shielded from mkdocs-bibtex (which would rewrite
  `[@key]` in code, or a `[@name](url)` link) and restored in the HTML.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

sys.path.insert(0, str(Path(__file__).resolve().parent))

from guide.bib import load_store  # noqa: E402
from guide.markdown import Page  # noqa: E402
from guide.render import Formatter  # noqa: E402
from guide import backlinks, glossary, shield  # noqa: E402

REFERENCES_PAGE = "references.md"
FULL_LIST_MARKER = "<!-- full-reference-list -->"
GLOSSARY_MARKER = "<!-- glossary -->"

state: dict = {}

# GUIDE_CITATIONS=off builds the site with no citation processing at all (only for
# scripts/bench.py, which compares the two builds); the shipped site always has it on.
ENABLED = os.environ.get("GUIDE_CITATIONS", "on") != "off"


def on_config(config):
    if not ENABLED:
        return config
    root = Path(config.config_file_path).parent
    state["formatter"] = Formatter(load_store(root / "bib", root).by_key())
    state["backlinks"] = backlinks.Backlinks()
    state["glossary"] = glossary.table(glossary.read(root / "includes" / "abbreviations.md"))
    return config


@event_priority(100)  # before mkdocs-bibtex
def on_page_markdown(markdown, page, config, files):
    if not ENABLED:
        return markdown
    formatter: Formatter = state["formatter"]
    parsed = Page.from_text(page.file.src_uri, markdown)
    out, last, cited = [], 0, []
    for block in parsed.citations:
        out.append(markdown[last:block.start])
        out.append(formatter.marker(block.items))
        cited += [c.key for c in block.items if c.key in formatter.entries]
        last = block.end
    out.append(markdown[last:])
    markdown = shield.hide("".join(out))
    references = files.get_file_from_path(REFERENCES_PAGE)
    markdown = markdown.replace(GLOSSARY_MARKER, "\n" + state["glossary"] + "\n")
    if page.file.src_uri == REFERENCES_PAGE:
        markdown = markdown.replace(FULL_LIST_MARKER, "\n" + formatter.full_list() + "\n")
    elif cited:
        url = get_relative_url(references.url, page.url) if references else REFERENCES_PAGE
        markdown += ("\n\n## References\n\n" + formatter.page_references(cited, url) + "\n")
    return markdown


def on_page_content(html, page, config, files):
    if not ENABLED:
        return html
    html = shield.restore(html)
    state["backlinks"].collect(page, html)
    return html


@event_priority(100)  # before the search plugin indexes the page
def on_page_context(context, page, config, nav):
    if ENABLED and page.file.src_uri == REFERENCES_PAGE:
        page.content = state["backlinks"].fill(page.content, page)
    return context
