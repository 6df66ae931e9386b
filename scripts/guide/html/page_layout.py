"""Small changes to a chapter's HTML so that a reader on a phone finds the answer first.

- Under the title: when the page was last reviewed and, where it gives infusion advice, which
  label versions its numbers come from.
- Right above the Key points box, on the first phone screen: a link to the page's In practice
  box, which otherwise sits many screens down.
- Before the References: the abbreviations the page uses, as a plain list that keyboard,
  touch and screen-reader users can open (hover tooltips alone serve only a mouse).
"""

from __future__ import annotations

# Material's search leaves out a block with this attribute (and strips it from the page): the
# page head, the jump link and the abbreviation list are not answers, and showed as a result's
# snippet ("Abbreviations on this page (4)DMDermatomyositis...").
NOT_SEARCHED = 'data-search-exclude="true"'

import html
import re

H1_END = "</h1>"
KEY_POINTS = re.compile(r'<div class="admonition abstract">\s*<p class="admonition-title">Key points</p>')
IN_PRACTICE = re.compile(r'<div class="admonition tip">(\s*<p class="admonition-title">In practice</p>)')
PRACTICE_ID = "in-practice"


def page_head(last_reviewed: str | None, label_note: str | None) -> str:
    parts = []
    if last_reviewed:
        parts.append(f'Last reviewed: <time datetime="{html.escape(last_reviewed)}">'
                     f'{html.escape(last_reviewed)}</time>')
    if label_note:
        parts.append(f"Label values: {html.escape(label_note)}")
    return f'<p class="page-head" {NOT_SEARCHED}>{" · ".join(parts)}</p>' if parts else ""


def add_page_head(content: str, last_reviewed: str | None, label_note: str | None) -> str:
    head = page_head(last_reviewed, label_note)
    if not head or H1_END not in content:
        return content
    return content.replace(H1_END, H1_END + "\n" + head, 1)


def add_practice_jump(content: str) -> str:
    """An id on the In practice box, and a link to it just before the Key points box."""
    practice = IN_PRACTICE.search(content)
    key_points = KEY_POINTS.search(content)
    if not practice or not key_points or practice.start() < key_points.start():
        return content
    content = (content[:practice.start()] + f'<div class="admonition tip" id="{PRACTICE_ID}">'
               + practice.group(1) + content[practice.end():])
    jump = (f'<p class="practice-jump" {NOT_SEARCHED}><a href="#{PRACTICE_ID}">Jump to In practice: what to do '
            f'<span aria-hidden="true">↓</span></a></p>')
    return content[:key_points.start()] + jump + "\n" + content[key_points.start():]


ABBR = re.compile(r'<abbr title="([^"]+)">([^<]+)</abbr>')
REFERENCES_HEADING = re.compile(r'<h2 id="references">')


def add_abbreviation_list(content: str) -> str:
    """A closed <details> list of the page's abbreviations, before its References heading."""
    used: dict[str, str] = {}
    for title, short in ABBR.findall(content):
        used.setdefault(short, title)
    if not used:
        return content
    rows = "".join(f"<dt>{short}</dt><dd>{title}</dd>"
                   for short, title in sorted(used.items(), key=lambda kv: kv[0].lower()))
    block = (f'<details class="page-abbreviations" {NOT_SEARCHED}><summary>Abbreviations on this page '
             f'({len(used)})</summary><dl>{rows}</dl></details>\n')
    heading = REFERENCES_HEADING.search(content)
    if heading:
        return content[:heading.start()] + block + content[heading.start():]
    return content + "\n" + block
