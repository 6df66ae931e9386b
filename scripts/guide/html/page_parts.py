"""The blocks under each chapter heading in their own <div class="page-part">.

The stylesheet gives page parts `content-visibility: auto`, so a phone lays out and styles only
the parts near the screen: on a long chapter that takes most of the work off the first load
(Lighthouse's blocking time drops from about 200 ms to under 100 ms).

A part the browser has not laid out yet is a placeholder whose height comes from
`contain-intrinsic-size`. We estimate it from the part's content, on the generous side: if a
placeholder were shorter than its content, the content would spill over the next part, and
tools that measure the page (screen readers' hit tests, axe) would see overlapping elements.
"""

from __future__ import annotations

import html as htmllib
import re

PART_CLASS = "page-part"

# Calibrated so that every part of the guide is estimated at least as tall as Chromium draws it
# at 320, 390 and 1280 px (tests/test_page_parts.py checks every page at 390 px); a table cell in
# a phone's narrow column wraps far more often than body text.
PX_PER_CHARACTER = 0.85
PX_PER_CELL_CHARACTER = 2.2
PX_PER_BLOCK = 40  # margins and padding of each paragraph, list item, heading, table row
BLOCKS = re.compile(r"<(p|li|h[2-6]|summary|dt|dd|figcaption|blockquote|tr)\b")
COLUMN_WIDTH = 360
# An evidence figure is drawn at most 24rem (480 px) wide (guide.css), taller on a wide screen
# than in a phone's column: estimate it at that width.
FIGURE_MAX_WIDTH = 480
SVG_BOX = re.compile(r'<svg\b[^>]*\bviewBox="[\d.]+ [\d.]+ ([\d.]+) ([\d.]+)"')
TABLE = re.compile(r"<table\b.*?</table>", re.S)
ROW = re.compile(r"<tr\b.*?</tr>", re.S)
CELL = re.compile(r"<t[dh]\b.*?</t[dh]>", re.S)
# A closed <details> shows only its summary until opened.
CLOSED_DETAILS = re.compile(r"(<details\b(?![^>]*\bopen)[^>]*>\s*<summary\b.*?</summary>).*?(</details>)",
                            re.S)
SVG = re.compile(r"<svg\b.*?</svg>", re.S)
TAG = re.compile(r"<[^>]+>")
MINIMUM = 200
WORTHWHILE = 400  # px; below this a part saves less than it costs


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
        "wbr"}
HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
# A tag, or a stretch that holds no tags (comments, scripts, styles) to be skipped whole.
TOKEN = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1>|<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>", re.S)


def top_level_headings(content: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the headings not nested in another element. A regular-expression
    scan, not html.parser: this runs on every page of every build, and is ten times faster."""
    spans, depth, start = [], 0, -1
    for token in TOKEN.finditer(content):
        closing, tag, self_closing = token.group(2), (token.group(3) or "").lower(), token.group(4)
        if not tag or tag in VOID or self_closing:
            continue
        if not closing:
            if tag in HEADINGS and depth == 0:
                start = token.start()
            depth += 1
        else:
            depth = max(0, depth - 1)
            if tag in HEADINGS and depth == 0 and start >= 0:
                spans.append((start, token.end()))
                start = -1
    return spans


def characters(fragment: str) -> int:
    return len(" ".join(htmllib.unescape(TAG.sub(" ", fragment)).split()))


def estimated_height(part: str) -> int:
    """A generous height in CSS px for a part at phone width (see module docstring)."""
    part = CLOSED_DETAILS.sub(r"\1\2", part)
    figures = sum(float(h) * max(COLUMN_WIDTH, FIGURE_MAX_WIDTH) / float(w) for w, h in SVG_BOX.findall(part)
                  if float(w) > 100)  # icons are 24 x 24 and sit in a line of text
    part = SVG.sub("", part)
    # A table row is as tall as its longest cell.
    rows = sum(max((characters(cell) for cell in CELL.findall(row)), default=0)
               for table in TABLE.findall(part) for row in ROW.findall(table))
    text = characters(TABLE.sub("", part))
    blocks = len(BLOCKS.findall(part))
    return max(MINIMUM, round(text * PX_PER_CHARACTER + rows * PX_PER_CELL_CHARACTER
                              + blocks * PX_PER_BLOCK + figures))


def wrap(content: str) -> str:
    """The content with the run of blocks after each top-level heading wrapped in a page part.

    Headings stay outside the parts: Material's table of contents reads every heading's
    offsetTop, and a heading inside a part not yet laid out would force that part's layout.
    What precedes the first heading (title, Key points) stays as is; so do short runs.
    """
    spans = top_level_headings(content)
    if not spans:
        return content
    pieces, last = [], 0
    for (_, heading_end), (next_start, _) in zip(spans, spans[1:] + [(len(content), 0)]):
        run = content[heading_end:next_start]
        height = estimated_height(run)
        if height < WORTHWHILE:
            continue
        pieces.append(content[last:heading_end])
        pieces.append(f'\n<div class="{PART_CLASS}" style="contain-intrinsic-size: auto {height}px">'
                      f'{run}</div>\n')
        last = next_start
    pieces.append(content[last:])
    return "".join(pieces)


REFERENCE_ITEM = re.compile(r'<li id="ref-\d+" value="\d+" class="reference">.*?</li>', re.S)
REFERENCE_LIST = re.compile(r'<ol class="references">(.*?)</ol>', re.S)
# Entries per part of the References page. One part per entry made Material's start-up style
# recalculations (its colour palette reads computed styles) cost about three times as much as
# one part per run of entries: Lighthouse's blocking time there fell from about 240 to 80 ms.
ENTRIES_PER_PART = 10


def entry_height(entry: str) -> int:
    """A generous height for one References entry: text in a few paragraphs, so a cheaper
    estimate than estimated_height() will do (the build runs it on every entry of the store)."""
    text = len(TAG.sub("", entry))  # entities and line breaks count extra: generous
    return max(MINIMUM, round(text * PX_PER_CHARACTER + entry.count("<p") * PX_PER_BLOCK + PX_PER_BLOCK))


def group_reference_items(content: str) -> str:
    """The References page is one long list: each run of ENTRIES_PER_PART entries becomes its
    own list and part, with the sum of its entries' estimates as placeholder. Every entry keeps
    its number in its value attribute, so the numbering reads on across the parts."""
    def grouped(match: re.Match) -> str:
        entries = REFERENCE_ITEM.findall(match.group(1))
        if not entries:
            return match.group(0)
        runs = [entries[i:i + ENTRIES_PER_PART] for i in range(0, len(entries), ENTRIES_PER_PART)]
        return "\n".join(
            f'<ol class="references {PART_CLASS}" style="contain-intrinsic-size: auto '
            f'{sum(entry_height(e) for e in run)}px">\n' + "\n".join(run) + "\n</ol>" for run in runs)
    return REFERENCE_LIST.sub(grouped, content)
