"""The shared glossary (`includes/abbreviations.md`, `*[ABBR]: meaning` lines) as a table."""

from __future__ import annotations

import html
import re
from pathlib import Path

ABBREVIATION = re.compile(r"^\*\[(?P<abbr>[^\]]+)\]:\s*(?P<meaning>.+?)\s*$", re.MULTILINE)


def read(path: Path) -> list[tuple[str, str]]:
    text = path.read_text(encoding="utf-8")
    return [(m.group("abbr"), m.group("meaning")) for m in ABBREVIATION.finditer(text)]


def table(terms: list[tuple[str, str]]) -> str:
    rows = "\n".join(f"<tr><td><strong>{html.escape(a)}</strong></td><td>{html.escape(m)}</td></tr>"
                     for a, m in sorted(terms, key=lambda t: t[0].lower()))
    return ('<table class="glossary">\n<thead><tr><th>Abbreviation</th><th>Meaning</th></tr></thead>\n'
            f"<tbody>\n{rows}\n</tbody>\n</table>")
