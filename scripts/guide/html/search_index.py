"""Making Material's search index know the field, at build time (no second search engine).

- Synonyms (`data/search-synonyms.yml`): a section that contains one member of a group also gets
  the others, so "necrotising" finds "necrotizing" and "SCIG" finds "subcutaneous", weighed as
  the word they stand for and never shown in a result (Expander.expand).
- The References page becomes one search entry per reference, so a hit shows the matching
  reference and links to it, not the first five entries of the page. Those entries weigh less
  than a chapter's sections (REFERENCE_BOOST): a clinical word finds the chapter that answers it
  first, while an author's name or a title word, found nowhere else, still finds its reference.

Material shows a result's title, text and tags as HTML. Every string this module adds (reference
texts, synonyms, a page's search terms) arrives as plain text and is escaped here, in `_html`, the
one place our strings enter the index: a title with markup is shown as text, never run.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path


TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"\w+")
SYNONYM_BLOCK = "<p hidden>{}</p>"
# A reference's title holds its authors and title, and titles weigh a thousand times the text
# (Material's default): at full weight a reference title with "IgA deficiency" outranked the
# chapter section of that name ("IgA deficiency and anaphylaxis"). At a tenth, every query of
# tests/search_queries.yml finds its chapter first, and a name found only in references still
# finds them.
REFERENCE_BOOST = 0.1


def _html(text: str) -> str:
    """Plain text as Material's index holds it (HTML text, as its own parser escapes it)."""
    return html.escape(text, quote=False)


def _words(term: str) -> list[str]:
    return [w for w in re.split(r"[\s-]+", term) if w]


def _pattern(term: str) -> re.Pattern:
    words = [re.escape(w) for w in _words(term)]
    return re.compile(r"(?<![\w-])" + r"[\s-]+".join(words) + r"(?![\w-])")


class Expander:
    """Adds the missing members of every synonym group a text touches."""

    def __init__(self, groups: list[list[str]]):
        self.groups = [[(term, {w for w in _words(term) if WORD.fullmatch(w)},
                         [w for w in _words(term) if not WORD.fullmatch(w)], _pattern(term))
                        for term in group] for group in groups]

    def missing(self, text: str) -> list[str]:
        plain = TAG.sub(" ", text).lower()
        # A term can match only where each of its words occurs whole: a word made of letters and
        # digits is then one of the text's tokens, any other word at least a substring. Testing
        # that first spares most pattern searches (10,000 references: 3.1 s to 0.3 s).
        tokens = set(WORD.findall(plain))
        extra: list[str] = []
        for group in self.groups:
            present = {term for term, whole, other, pattern in group
                       if whole <= tokens and all(word in plain for word in other) and pattern.search(plain)}
            if present:
                extra += [term for term, *_ in group if term not in present]
        return extra

    def expand(self, doc: dict) -> dict:
        """A synonym weighs what the word it stands for weighs: one of a title word goes in the
        tags (weighed as titles are, mkdocs.yml; never shown: guide.css), one of a text word in a
        hidden block after the text (Material shows a result's matching blocks; not this one)."""
        in_title = self.missing(doc.get("title", ""))
        extra = [t for t in self.missing(doc.get("title", "") + " " + doc.get("text", "")) if t not in in_title]
        if in_title:
            # Material puts tags into the result as HTML, as it does the text: escaped.
            doc = dict(doc, tags=list(dict.fromkeys([*doc.get("tags", []),
                                                     *(html.escape(t, quote=False) for t in in_title)])))
        if extra:
            words = _html(" ".join(dict.fromkeys(extra)))
            doc = dict(doc, text=doc.get("text", "") + SYNONYM_BLOCK.format(words))
        return doc


def reference_docs(location: str, references: list[tuple[int, str, str]]) -> list[dict]:
    """One search entry per reference: `[7] Authors. Title...`, linking to its entry. The
    reference texts and designs are plain text; they are cut, then escaped."""
    return [{"location": f"{location}#ref-{number}", "title": _html(f"[{number}] {text[:80]}"),
             "text": _html(f"{text} {design}".strip())} for number, text, design in references]


def transform(index_path: Path, expander: Expander, references_location: str | None,
              references: list[tuple[int, str, str]], terms: dict[str, list[str]] | None = None) -> None:
    """Rewrite the index: synonyms added, one entry per reference, and each page's own search
    terms (front matter `search_terms`) as tags, weighed as a title word (mkdocs.yml)."""
    data = json.loads(index_path.read_text(encoding="utf-8"))
    terms = terms or {}
    docs = []
    for doc in data["docs"]:
        if doc["location"] in terms:
            doc = dict(doc, tags=list(dict.fromkeys([*doc.get("tags", []),
                                                     *map(_html, terms[doc["location"]])])))
        if references_location is not None and doc["location"].split("#")[0] == references_location:
            if doc["location"] != references_location:
                continue  # the page's sections: replaced below, one entry per reference
            # The page itself stays (search groups sections under it), without the long list.
            doc = dict(doc, text=doc.get("text", "").split("[1]")[0].strip())
        docs.append(expander.expand(doc))
    if references_location is not None:
        docs += [dict(expander.expand(d), boost=REFERENCE_BOOST)
                 for d in reference_docs(references_location, references)]
    data["docs"] = docs
    index_path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
