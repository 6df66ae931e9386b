"""The PDF of the whole guide that the build makes (scripts/guide/build/pdf.py), read back with pypdf."""

from __future__ import annotations

import hashlib
import os
import re

import pytest

from guide.sources import release

pypdf = pytest.importorskip("pypdf")


@pytest.fixture(scope="module")
def pdf(built):
    current, _ = release.load(built)
    path = built / "dist" / current.pdf_name
    if not path.exists():
        message = "the build made no PDF (WeasyPrint needs pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def outline(reader) -> list[tuple[str, int]]:
    """Top-level bookmarks as (title, page number from 1)."""
    return [(item.title, reader.get_destination_page_number(item) + 1)
            for item in reader.outline if not isinstance(item, list)]


def test_pdf_has_a_cover_bookmarks_and_a_contents_list_with_the_right_page_numbers(pdf):
    reader = pypdf.PdfReader(pdf)
    pages = len(reader.pages)
    assert 20 < pages < 120  # the budget: under 120 A4 pages
    marks = dict(outline(reader))
    for chapter in ("Dosing and administration", "Safety", "Inclusion body myositis", "Pregnancy"):
        assert chapter in marks, marks
    assert any(isinstance(item, list) for item in reader.outline)  # sections under chapters
    cover = reader.pages[0].extract_text()
    assert "Version" in cover and "does not replace clinical judgement" in cover
    contents = reader.pages[1].extract_text()
    assert "Contents" in contents
    listed = {title.strip(" ."): int(number)
              for title, number in re.findall(r"^(.+?)[ .]+(\d+)$", contents, re.MULTILINE)}
    assert len(listed) >= 20, contents
    assert listed["Safety"] == marks["Safety"]
    assert listed["Dosing and administration"] == marks["Dosing and administration"]
    assert all(1 < n <= pages for n in listed.values())


def test_pdf_has_the_rate_card_once_and_chapters_point_to_it(pdf):
    reader = pypdf.PdfReader(pdf)
    text = [page.extract_text() for page in reader.pages]
    whole = "\n".join(text)
    assert whole.count("Infusion rates: Octagam") == 1
    card_page = next(i for i, t in enumerate(text) if "Infusion rates: Octagam" in t) + 1
    pointers = re.findall(r"see the rate card, page (\d+) \(both ceilings", whole.replace("\n", " "))
    assert len(pointers) >= 5
    assert set(pointers) == {str(card_page)}


def test_pdf_header_and_footer_carry_version_and_page_numbers(pdf, built):
    current, _ = release.load(built)
    reader = pypdf.PdfReader(pdf)
    pages = len(reader.pages)
    page = reader.pages[9].extract_text()
    assert f"version {current.version}" in page
    assert f"Page 10 of {pages}" in page
    assert f"version {current.version}" not in reader.pages[0].extract_text().split("Version")[0]


def test_pdf_links_no_file_on_the_machine_that_built_it(pdf):
    reader = pypdf.PdfReader(pdf)
    uris = {str(a.get_object()["/A"]["/URI"]) for page in reader.pages for a in page.get("/Annots") or []
            if "/URI" in (a.get_object().get("/A") or {})}
    assert uris and not [u for u in uris if not u.startswith(("https://", "http://", "mailto:"))]


def test_pdf_is_offered_beside_the_zip_with_its_checksum_and_from_every_footer(pdf, built):
    digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
    site = built / "site"
    assert (site / "downloads" / pdf.name).read_bytes() == pdf.read_bytes()
    offline = (site / "about" / "offline" / "index.html").read_text(encoding="utf-8")
    assert digest in offline and f"downloads/{pdf.name}" in offline
    for page in site.rglob("index.html"):
        assert f"downloads/{pdf.name}\">PDF" in page.read_text(encoding="utf-8"), page


def test_no_page_ends_with_a_heading(pdf, built):
    """Headings stay with what follows them (pdf.css: break-after: avoid)."""
    import html

    current, _ = release.load(built)
    source = (built / "dist" / current.bundle_stem / "print.html").read_text(encoding="utf-8")
    headings = {html.unescape(re.sub(r"<[^>]+>", "", h)).replace("¶", "").strip()
                for h in re.findall(r"<h[234][^>]*>(.*?)</h[234]>", source, re.S)}
    assert len(headings) > 50
    running = ("IVIG in IIM: a practical guide", "Educational resource; it does not", "Page ")
    orphaned = []
    for number, page in enumerate(pypdf.PdfReader(pdf).pages, start=1):
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        body = [line for line in lines if not line.startswith(running)]
        if body and body[-1] in headings:
            orphaned.append((number, body[-1]))
    assert orphaned == []
