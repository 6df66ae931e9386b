"""Turning entries and citations into HTML for the site.

Each reference is formatted once per build (`Formatter` caches it). A citation shows the
reference's number in the review, the same on every page: `[7]`, `[3, 4]`, `[17–19]`, or with a
prefix and locator `[see 7, p. 5]`. Markers link to the page's own References list, whose entries
carry the full text the hover preview shows.
"""

from __future__ import annotations

import html
from urllib.parse import quote

from ..sources import decode, vocabulary
from ..sources.bib import Entry
from ..sources.markdown import Cite, Page
from ..sources.weburl import is_web_address
from .stash import Stash

# LaTeX to Unicode, braces gone (decode.text); kept under this name for the renderer's callers.
detex = decode.text


def short_name(name: decode.Name) -> str:
    """'Dalakas, M. C.' -> 'Dalakas MC'; 'others' -> 'et al.'; a braced corporate name as is."""
    if name.others:
        return "et al."
    return " ".join(part for part in (name.last, name.initials, name.suffix) if part)


def authors_text(entry: Entry) -> str:
    names = [short_name(n) for n in decode.names(entry.get("author"))]
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
        # sentence(): a venue ending in an abbreviation ("Sci.") gets no second full stop.
        parts.append(sentence(f"{sentence(venue)} {where}" if venue else where))
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
    return vocabulary.DESIGN_LABELS.get(entry.get("design"), "")


# The References page's lists, as one block the hook can swap for the search digest and back.
LISTS_START = '<div class="reference-lists">'
LISTS_END = "</div><!-- /reference-lists -->"


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
        """One bracket of citations: sorted, runs of three or more collapsed into a range.

        In a `span.cite` that never breaks across lines (guide.css): each number is an inline
        block (a 24 px target), and browsers break a line on either side of an inline block,
        word joiners or not, leaving "[" at a line's end."""
        known = [c for c in items if c.key in self.entries]
        if any(c.prefix or c.locator for c in known):
            parts = []
            for c in known:
                bits = [html.escape(c.prefix)] if c.prefix else []
                bits.append(self.link(c.key) + (", " + html.escape(c.locator) if c.locator else ""))
                parts.append(" ".join(bits))
            return f'<span class="cite">[{"; ".join(parts)}]</span>'
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
        return f'<span class="cite">[{", ".join(visible)}]</span>{"".join(hidden)}'

    def page_references(self, keys: list[str], references_url: str) -> str:
        """The References list that ends a page: what it cites, in number order."""
        items = []
        for key in sorted(set(keys), key=self.number):
            n, entry = self.number(key), self.entries[key]
            # Design and year ride along for the citation preview; the DOI is a link on screen
            # and in print.
            meta = (f' data-design="{html.escape(design_label(entry))}"'
                    f' data-year="{html.escape(detex(entry.get("year")))}"')
            doi = entry.get("doi").strip()  # verbatim: "--" in a DOI is two hyphens, not a dash
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
        url = entry.get("url").strip()
        if entry.get("doi"):
            doi = entry.get("doi").strip()  # verbatim, as published: never LaTeX-decoded
            links.append(f'<a href="{html.escape(doi_url(doi))}">doi:{html.escape(doi)}</a>')
        elif is_web_address(url):  # never a javascript: or data: link, even unchecked
            links.append(f'<a href="{html.escape(url)}">{html.escape(url)}</a>')
            if entry.get("urldate"):
                links[-1] += f" (accessed {html.escape(detex(entry.get('urldate')))})"
        if entry.type in ("article", "inproceedings"):
            links.append(f'<a href="{html.escape(pubmed_url(entry))}">PubMed search</a>')
        design = html.escape(design_label(entry))
        parent = self.entries.get(entry.get("parent").strip())
        if parent is not None and parent.number is not None:  # one trial, counted once: name it
            design += f' of <a href="#ref-{parent.number}">[{parent.number}]</a>'
        if entry.get("editorial").strip() == "doubtful":
            design += " · venue of doubtful editorial quality"
        badge = ""
        if entry.get("annote"):
            badge = (f'<span class="key-ref">Key reference</span> '
                     f'<span class="key-reason">{html.escape(detex(entry.get("annote")))}</span>')
        return (
            f'<li id="ref-{n}" value="{n}" class="reference">\n'
            f'<p class="reference-text">{self.text(key)}</p>\n'
            f'<p class="reference-meta"><span class="design">{design}</span> {badge}'
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
        """The review's references in its numbering, then, under their own heading, the ones this
        guide added. One block, so the search digest can stand in for it whole."""
        keys = sorted(self.entries, key=self.number)
        review = [k for k in keys if "reviewref" in self.entries[k].fields]
        added = [k for k in keys if "reviewref" not in self.entries[k].fields]
        parts = [LISTS_START, '<ol class="references">', *(self.full_entry(k) for k in review), "</ol>"]
        if added:
            parts += ['<h2 id="guide-references">References added by this guide</h2>',
                      '<p class="guide-references-note">Label texts, guidance and studies this guide '
                      'cites beyond the review, numbered from 116 on.</p>',
                      '<ol class="references">', *(self.full_entry(k) for k in added), "</ol>"]
        return "\n".join([*parts, LISTS_END])


def stash_citations(formatter: Formatter, markdown: str, path: str) -> tuple[str, Stash, list[str]]:
    """Each citation in `markdown` as a stash token (its markup goes in after Markdown, see
    stash.py), the stash that holds the markup, and the keys cited, in reading order."""
    out, last, cited, stashed = [], 0, [], Stash()
    for block in Page.from_text(path, markdown).citations:
        out.append(markdown[last:block.start])
        out.append(stashed.token(formatter.marker(block.items)))
        cited += [c.key for c in block.items if c.key in formatter.entries]
        last = block.end
    out.append(markdown[last:])
    return "".join(out), stashed, cited
