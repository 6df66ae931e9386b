"""Chapter sections as page parts (scripts/guide/html/page_parts.py): the wrapping changes no content,
keeps headings outside, and estimates heights on the generous side. The browser check that the
estimates hold for the real guide at 390 px is in test_browser.py."""

from __future__ import annotations

import re

from hypothesis import given, strategies as st

from guide.html import page_parts

OPEN_PART = re.compile(r'\n<div class="page-part" style="contain-intrinsic-size: auto \d+px">')
LONG = "<p>" + "Long enough to be worth a part of its own. " * 30 + "</p>\n"


def unwrap(html: str) -> str:
    """Undo wrap(): each part's opening tag and its closing '</div>\\n'."""
    out, last = [], 0
    for match in OPEN_PART.finditer(html):
        out.append(html[last:match.start()])
        depth, position = 1, match.end()
        for tag in re.finditer(r"<div\b|</div>", html[match.end():]):
            depth += 1 if tag.group(0) == "<div" else -1
            if depth == 0:
                position = match.end() + tag.start()
                break
        out.append(html[match.end():position])
        last = position + len("</div>\n")
    return "".join(out) + html[last:]


def test_runs_after_headings_are_wrapped_and_headings_stay_outside():
    html = ('<h1 id="t">Title</h1>\n<p>Intro</p>\n<h2 id="a">A</h2>\n' + LONG
            + '<h3 id="b">B</h3>\n' + LONG + '<h2 id="c">C</h2>\n' + LONG)
    wrapped = page_parts.wrap(html)
    assert len(OPEN_PART.findall(wrapped)) == 3
    for part in re.findall(r'<div class="page-part".*?</div>', wrapped, re.S):
        assert "<h2" not in part and "<h3" not in part
    assert wrapped.index('<h2 id="a">A</h2>') < wrapped.index('class="page-part"')
    assert unwrap(wrapped) == html


def test_text_before_the_first_heading_and_short_runs_are_left_alone():
    html = '<div class="admonition abstract"><p>Key points</p></div>\n<h2 id="a">A</h2>\n<p>Short.</p>\n'
    assert page_parts.wrap(html) == html
    assert page_parts.wrap(LONG) == LONG


def test_a_heading_inside_a_box_does_not_split_the_box():
    html = '<h2 id="a">A</h2>\n<div class="admonition"><h3 id="in">In</h3>' + LONG + "</div>\n"
    wrapped = page_parts.wrap(html)
    assert len(OPEN_PART.findall(wrapped)) == 1
    assert wrapped.index('class="page-part"') < wrapped.index('<h3 id="in">')
    assert unwrap(wrapped) == html


def test_estimates_grow_with_text_table_rows_and_figures_and_ignore_closed_details():
    base = page_parts.estimated_height(LONG)
    row = "<tr><td>" + "cell text " * 20 + "</td><td>x</td></tr>"
    assert page_parts.estimated_height(LONG + "<table>" + row * 4 + "</table>") > \
        page_parts.estimated_height(LONG + "<table>" + row + "</table>") > base
    figure = '<svg viewBox="0 0 640 320" class="ev-svg"><text>label</text></svg>'
    assert page_parts.estimated_height(LONG + figure) >= base + 320 * page_parts.COLUMN_WIDTH / 640
    icon = '<svg viewBox="0 0 24 24"><path d="M0 0"/></svg>'
    assert page_parts.estimated_height(LONG + icon) == base
    closed = "<details><summary>Abbreviations</summary>" + LONG * 5 + "</details>"
    opened = "<details open><summary>Abbreviations</summary>" + LONG * 5 + "</details>"
    assert page_parts.estimated_height(LONG + closed) < base + 100
    assert page_parts.estimated_height(LONG + opened) > base * 5


BLOCK = st.sampled_from([
    '<h2 id="x">Heading</h2>\n', '<h3 id="y">Sub</h3>\n', "<p>A line of text.</p>\n", LONG,
    '<div class="admonition"><h2 id="z">Boxed</h2>' + LONG + "</div>\n",
    "<table><tr><td>" + "cell " * 80 + "</td></tr></table>\n", "<ul><li>item</li></ul>\n",
    "<p>a<br>b &amp; c</p>\n",
])


@given(st.lists(BLOCK, max_size=12))
def test_wrapping_any_page_changes_no_content(blocks):
    html = "".join(blocks)
    wrapped = page_parts.wrap(html)
    assert unwrap(wrapped) == html
    for part in OPEN_PART.finditer(wrapped):
        assert re.search(r"</h[23]>$", wrapped[:part.start()])  # every part follows its heading


def entry(number: int, words: int) -> str:
    return (f'<li id="ref-{number}" value="{number}" class="reference">\n'
            f'<p class="reference-text">{"Author A. Title. " * words}</p>\n</li>')


@given(st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=45))
def test_reference_entries_come_in_parts_of_ten_with_the_sum_of_their_heights(sizes):
    entries = [entry(n, words) for n, words in enumerate(sizes, start=1)]
    html = '<div class="reference-lists">\n<ol class="references">' + "\n".join(entries) + "</ol>\n</div>"
    grouped = page_parts.group_reference_items(html)
    parts = re.findall(r'<ol class="references page-part" style="contain-intrinsic-size: auto (\d+)px">'
                       r'(.*?)</ol>', grouped, re.S)
    assert len(parts) == -(-len(entries) // page_parts.ENTRIES_PER_PART)
    assert [e for _, body in parts for e in page_parts.REFERENCE_ITEM.findall(body)] == entries
    for height, body in parts:
        run = page_parts.REFERENCE_ITEM.findall(body)
        assert 0 < len(run) <= page_parts.ENTRIES_PER_PART
        assert int(height) == sum(page_parts.entry_height(e) for e in run) >= page_parts.MINIMUM * len(run)


def test_a_list_without_entries_is_left_as_it_is():
    html = '<ol class="references">[1] A digest for search</ol>'
    assert page_parts.group_reference_items(html) == html
