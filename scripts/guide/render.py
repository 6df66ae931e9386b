"""Turning entries and citations into HTML for the site.

Each reference is formatted once per build (`Formatter` caches it). A citation shows the
reference's number in the review, the same on every page: `[7]`, `[3, 4]`, `[17–19]`, or with a
prefix and locator `[see 7, p. 5]`. Markers link to the page's own References list, whose entries
carry the full text the hover preview shows.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

from .bib import DESIGN_LABELS, Entry
from .markdown import Cite

LATEX_REPLACEMENTS = (("\\%", "%"), ("\\&", "&"), ("\\_", "_"), ("\\$", "$"), ("---", "\u2014"),
                      ("--", "\u2013"), ("~", "\u00a0"))


LATEX_SIGNS = re.compile(r"[\\{}~]|--|\s\s|\n")


def detex(value: str) -> str:
    """Strip the little LaTeX the store uses: escapes, dashes, and grouping braces."""
    if not LATEX_SIGNS.search(value):
        return value.strip()  # most fields: nothing to undo
    for old, new in LATEX_REPLACEMENTS:
        value = value.replace(old, new)
    return " ".join(value.replace("{", "").replace("}", "").split())


def split_authors(value: str) -> list[str]:
    return [a.strip() for a in re.split(r"\s+and\s+", detex(value)) if a.strip()]


def short_name(author: str) -> str:
    """'Dalakas, M. C.' -> 'Dalakas MC'; corporate names pass through."""
    if author == "others":
        return "et al."
    if "," not in author:
        return author
    last, first = (part.strip() for part in author.split(",", 1))
    initials = "".join(ch for ch in first if ch.isupper() or ch == "-").replace("-", "")
    return f"{last} {initials}".strip()


def authors_text(entry: Entry) -> str:
    names = [short_name(a) for a in split_authors(entry.get("author"))]
    if names and names[-1] == "et al.":
        return ", ".join(names[:-1]) + ", et al."
    return ", ".join(names)


def sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".?!" else text + "."


def reference_text(entry: Entry) -> str:
    """Vancouver-style plain text: Authors. Title. Journal. Year;Vol(No):pages."""
    parts = []
    who = authors_text(entry) or detex(entry.get("organization"))
    if who:
        parts.append(sentence(who))
    parts.append(sentence(detex(entry.get("title"))))
    venue = detex(entry.get("journal") or entry.get("booktitle") or entry.get("howpublished"))
    if entry.type == "book":
        edition = detex(entry.get("edition"))
        place = ": ".join(x for x in (detex(entry.get("address")), detex(entry.get("publisher"))) if x)
        parts.append(sentence(" ".join(x for x in (f"{edition}st ed." if edition == "1" else "", place) if x)
                              + f"; {detex(entry.get('year'))}"))
    else:
        where = detex(entry.get("year"))
        if entry.get("volume"):
            where += f";{detex(entry.get('volume'))}"
        if entry.get("number"):
            where += f"({detex(entry.get('number'))})"
        if entry.get("pages"):
            where += f":{detex(entry.get('pages'))}"
        if entry.type == "inproceedings":
            venue = f"{venue} (meeting abstract)" if venue else "Meeting abstract"
        parts.append(sentence(f"{venue}. {where}" if venue else where))
    if entry.get("note"):
        parts.append(sentence(detex(entry.get("note"))))
    return " ".join(p for p in parts if p and p != ".")


def doi_url(doi: str) -> str:
    return "https://doi.org/" + quote(doi, safe="/:;()._-")


def pubmed_url(entry: Entry) -> str:
    """A PubMed search by DOI, else by title: never an unverified PMID."""
    term = entry.get("doi") or detex(entry.get("title"))
    return "https://pubmed.ncbi.nlm.nih.gov/?term=" + quote(term, safe="")


def design_label(entry: Entry) -> str:
    return DESIGN_LABELS.get(entry.get("design"), "")


class Formatter:
    """Formats each entry once per build and renders citation markers and reference lists."""

    def __init__(self, entries: dict[str, Entry]):
        self.entries = entries
        self._text: dict[str, str] = {}

    def text(self, key: str) -> str:
        if key not in self._text:
            self._text[key] = html.escape(reference_text(self.entries[key]), quote=False)
        return self._text[key]

    def number(self, key: str) -> int:
        number = self.entries[key].number
        return number if number is not None else 0

    def link(self, key: str) -> str:
        n = self.number(key)
        return f'<a class="cite-link" href="#ref-{n}" aria-describedby="ref-{n}-text">{n}</a>'

    def marker(self, items: tuple[Cite, ...]) -> str:
        """One bracket of citations: sorted, runs of three or more collapsed into a range."""
        known = [c for c in items if c.key in self.entries]
        if any(c.prefix or c.locator for c in known):
            parts = []
            for c in known:
                bits = [html.escape(c.prefix)] if c.prefix else []
                bits.append(self.link(c.key) + (", " + html.escape(c.locator) if c.locator else ""))
                parts.append(" ".join(bits))
            return f'[{"; ".join(parts)}]'
        keys = sorted({c.key for c in known}, key=self.number)
        # Inside a range the middle references get an empty, hidden anchor, so the References
        # page can still link back here for them.
        visible, hidden, i = [], [], 0
        while i < len(keys):
            j = i
            while j + 1 < len(keys) and self.number(keys[j + 1]) == self.number(keys[j]) + 1:
                j += 1
            if j - i >= 2:
                visible.append(f"{self.link(keys[i])}\u2013{self.link(keys[j])}")
                hidden.extend(f'<a class="cite-hidden" href="#ref-{self.number(k)}" tabindex="-1" '
                              f'aria-hidden="true"></a>' for k in keys[i + 1:j])
            else:
                visible.extend(self.link(k) for k in keys[i:j + 1])
            i = j + 1
        # No wrapper element: every tag here is parsed again by search and the browser.
        return f"[{', '.join(visible)}]{''.join(hidden)}"

    def page_references(self, keys: list[str], references_url: str) -> str:
        """The References list that ends a page: what it cites, in number order."""
        items = []
        for key in sorted(set(keys), key=self.number):
            n, entry = self.number(key), self.entries[key]
            # Design and year ride along for the citation preview; the DOI is a link on screen
            # and in print.
            meta = (f' data-design="{html.escape(design_label(entry))}"'
                    f' data-year="{html.escape(detex(entry.get("year")))}"')
            doi = detex(entry.get("doi"))
            doi_link = (f' <a class="ref-doi" href="{html.escape(doi_url(doi))}">doi:{html.escape(doi)}</a>'
                        if doi else "")
            items.append(
                f'<li id="ref-{n}" value="{n}"{meta}><span id="ref-{n}-text">{self.text(key)}</span>'
                f'{doi_link} <a class="ref-details" href="{references_url}#ref-{n}" '
                f'aria-label="Details of reference {n}">Details</a></li>')
        # Not indexed for search: the References page already holds every reference once.
        return '<ol class="page-references" data-search-exclude>\n' + "\n".join(items) + "\n</ol>"

    def full_entry(self, key: str) -> str:
        """One entry of the References page; `<!--backlinks:N-->` is filled in later."""
        entry, n = self.entries[key], self.number(key)
        links = []
        if entry.get("doi"):
            doi = detex(entry.get("doi"))
            links.append(f'<a href="{html.escape(doi_url(doi))}">doi:{html.escape(doi)}</a>')
        elif entry.get("url"):
            url = detex(entry.get("url"))
            links.append(f'<a href="{html.escape(url)}">{html.escape(url)}</a>')
            if entry.get("urldate"):
                links[-1] += f" (accessed {html.escape(detex(entry.get('urldate')))})"
        if entry.type in ("article", "inproceedings"):
            links.append(f'<a href="{html.escape(pubmed_url(entry))}">PubMed search</a>')
        design = design_label(entry)
        badge = ""
        if entry.get("annote"):
            badge = (f'<span class="key-ref">Key reference</span> '
                     f'<span class="key-reason">{html.escape(detex(entry.get("annote")))}</span>')
        return (
            f'<li id="ref-{n}" value="{n}" class="reference">\n'
            f'<p class="reference-text">{self.text(key)}</p>\n'
            f'<p class="reference-meta"><span class="design">{html.escape(design)}</span> {badge}'
            f'{" · " if links else ""}{" · ".join(links)}</p>\n'
            f"<!--backlinks:{n}-->\n</li>"
        )

    def search_digest(self) -> str:
        """What the search index gets for the References page: the reference texts only, in one
        block, not the links, labels and back-links (cheaper to index, lighter to download)."""
        keys = sorted(self.entries, key=self.number)
        return '<ol class="references">' + " ".join(
            f"[{self.number(k)}] {self.text(k)}" for k in keys) + "</ol>"

    def full_list(self) -> str:
        keys = sorted(self.entries, key=self.number)
        return '<ol class="references">\n' + "\n".join(self.full_entry(k) for k in keys) + "\n</ol>"
