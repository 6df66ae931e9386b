"""BibTeX field values as the Unicode text a reader sees: LaTeX decoded, names split.

pylatexenc (the decoder bibtexparser's own LatexDecodingMiddleware wraps) turns accents,
commands, dashes and math into Unicode; bibtexparser's BibTeX-compatible name functions split
author lists and names. Decoding happens here, once per formatted reference, not in the parse:
running the middleware over every field of a large store would cost the checker seconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names

# Anything pylatexenc must see; a value with none of these needs at most its braces removed
# and its dashes set (tests/test_decode.py checks both shortcuts give what pylatexenc gives).
LATEX = re.compile(r"[\\$~%]|``|''")
DASHES = (("---", "\u2014"), ("--", "\u2013"))
# Characters a page must never show: C0/C1 controls (not tab or newline) and bidi overrides.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@lru_cache(maxsize=1)
def _decoder():
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    context = get_default_latex_context_db()
    context.add_context_category("guide", prepend=True, macros=[
        MacroTextSpec("url", simplify_repl="%s"),  # not wrapped in <...>
        MacroTextSpec("LaTeX", simplify_repl="LaTeX"),
        MacroTextSpec("TeX", simplify_repl="TeX"),
    ])
    # keep_comments: a bare % in a field is a per cent sign to a reader, not a LaTeX comment.
    return LatexNodes2Text(latex_context=context, math_mode="text", keep_comments=True)


@lru_cache(maxsize=1)
def _parser_context():
    # Built once: LatexNodes2Text.latex_to_text would build it again for every value.
    from pylatexenc.latexwalker import get_default_latex_context_db

    return get_default_latex_context_db()


def latex_to_text(value: str) -> str:
    from pylatexenc.latexwalker import LatexWalker

    walker = LatexWalker(value, latex_context=_parser_context(), tolerant_parsing=True)
    return _decoder().nodelist_to_text(walker.get_latex_nodes()[0])


def text(value: str) -> str:
    """A field value as plain Unicode text, white space collapsed."""
    if LATEX.search(value):
        try:
            value = latex_to_text(value)
        except Exception:  # noqa: BLE001 - pylatexenc on malformed LaTeX: show it undecoded
            pass
    elif "--" in value:
        for dashes, dash in DASHES:
            value = value.replace(dashes, dash)
    # Braces only protect case in BibTeX: a reader never sees them.
    value = CONTROL.sub("", value.replace("{", "").replace("}", ""))
    return " ".join(value.split())


@dataclass(frozen=True)
class Name:
    """One person (or a braced corporate name), decoded: `last` includes any von part."""

    last: str
    first: str = ""
    suffix: str = ""

    @property
    def others(self) -> bool:
        return self.last == "others" and not self.first

    @property
    def initials(self) -> str:
        """'Marinos C.' -> 'MC', 'Jean-Pierre' -> 'JP'."""
        return "".join(part[0] for word in self.first.split() for part in word.split("-")
                       if part and part[0].isalpha())

    @property
    def full(self) -> str:
        """'von Last, Jr, First', as pybtex and BibTeX write it."""
        return ", ".join(p for p in (self.last, self.suffix, self.first) if p)


# A name list or a name with none of these splits the same with a plain split (BibTeX's `and`
# in any case; "Last, First" or "Last, Jr, First"): the common case, without the character-by-
# character parse. tests/test_decode.py checks the shortcut against bibtexparser's functions.
PLAIN = re.compile(r"^[^{}\\]*$")
AND = re.compile(r"[ \t\r\n]+and[ \t\r\n]+", re.IGNORECASE)


def names(value: str) -> list[Name]:
    """Split an author list on `and` (any case, not inside braces), as BibTeX does."""
    value = value.strip(" \t\r\n")
    if not PLAIN.match(value):
        found = [_name(raw) for raw in split_multiple_persons_names(value)]
    else:
        found = [_name(raw) for raw in AND.split(value) if raw.strip(" \t\r\n")]
    return [name for name in found if name]


@lru_cache(maxsize=4096)  # the same authors recur across a store
def _name(raw: str) -> Name | None:
    parts = raw.split(",")
    if PLAIN.match(raw) and 2 <= len(parts) <= 3 and all(p.strip() for p in parts):
        last, *rest = (text(p) for p in parts)
        return Name(last, rest[-1], rest[0] if len(rest) == 2 else "")
    return parsed_name(raw)


def parsed_name(raw: str) -> Name | None:
    """One name through bibtexparser's BibTeX name parser (First von Last, von Last, Jr, First)."""
    parts = parse_single_name_into_parts(raw, strict=False)
    last, first = text(" ".join(parts.von + parts.last)), text(" ".join(parts.first))
    if not last and not first:
        return None
    return Name(last or first, first if last else "", text(" ".join(parts.jr)))
