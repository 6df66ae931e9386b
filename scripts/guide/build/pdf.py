"""The whole guide as one PDF, made by the build from the same pages (WeasyPrint).

The source is the offline bundle's print page (`print.html`: every page in reading order, ids
made unique, links between pages turned into links inside the document; printable.py). Its
article is put in a small document of its own with the PDF's stylesheet (`pdf.css` beside this
file), not Material's screen styles:

- a cover (title, version, date, disclaimer) and a contents list whose entries carry their
  page numbers (CSS `target-counter`), then one chapter per page run;
- bookmarks from the chapter titles and their sections (h1, h2);
- a running header with the guide's name and version, a footer with the page number;
- the rate card once, after the contents; every chapter that had it links there instead;
- nothing a reader cannot use on paper (the disclaimer line's link, the jump links, closed
  data tables and abbreviation lists, search, scripts).

Why WeasyPrint and not mkdocs-print-site-plugin: that plugin makes a combined HTML page, as our
own print page already does, and leaves the PDF to the browser's print dialog, which cannot put
page numbers in a contents list or write PDF bookmarks. WeasyPrint renders CSS paged media
(page counters, margin boxes, bookmarks) in-process, from the pinned Python package.
"""

from __future__ import annotations

import html as htmllib
import re
import time
from dataclasses import dataclass
from pathlib import Path

STYLESHEET = Path(__file__).with_name("pdf.css")
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*)</article>', re.S)
RATE_CARD = '<div class="admonition warning rate-card">'
RATE_CARD_ID = "rate-card"
DIV = re.compile(r"<div\b|</div>")
TOC_END = "</nav>"
LOCAL_HREF = re.compile(r'href="(?![#]|[a-z][a-z0-9+.-]*:)([^"#]*)(#[^"]*)?"')


@dataclass(frozen=True)
class Result:
    pages: int
    seconds: float


def _block_end(body: str, start: int) -> int:
    """The index just past the </div> that closes the <div> at `start`."""
    depth = 0
    for match in DIV.finditer(body, start):
        depth += 1 if match.group(0) == "<div" else -1
        if depth == 0:
            return match.end()
    return len(body)


RATE_CARD_LINK = ('<p class="rate-card-ref"><a href="#' + RATE_CARD_ID + '">Infusion rates: see the rate '
                  'card</a> (both ceilings, who is at risk).</p>')


def single_rate_card(body: str) -> str:
    """The first rate card moves to just after the contents, with an id; each chapter's copy
    becomes a link to it (with its page number on paper)."""
    first = body.find(RATE_CARD)
    if first < 0:
        return body
    card = body[first:_block_end(body, first)]
    parts, at = [], 0
    while (start := body.find(RATE_CARD, at)) >= 0:
        parts += [body[at:start], RATE_CARD_LINK]
        at = _block_end(body, start)
    body = "".join(parts) + body[at:]
    card = card.replace(RATE_CARD, f'<div class="admonition warning rate-card" id="{RATE_CARD_ID}">', 1)
    toc = body.find('<nav class="print-toc"')
    if toc < 0:
        return card + body
    end = body.index(TOC_END, toc) + len(TOC_END)
    return body[:end] + f'<section class="pdf-rate-card">{card}</section>' + body[end:]


def hosted_links(body: str, site_url: str) -> str:
    """Links to pages outside the document (the References page) go to the hosted site: a file
    path would name the folder the PDF was built in, and differ from build to build."""
    def hosted(match: re.Match) -> str:
        path = re.sub(r"(^|/)index\.html$", r"\1", match.group(1)).removesuffix(".html")
        path = path + "/" if path and not path.endswith("/") else path
        return f'href="{htmllib.escape(site_url.rstrip("/") + "/" + path.lstrip("./"))}{match.group(2) or ""}"'
    return LOCAL_HREF.sub(hosted, body)


def css_string(text: str) -> str:
    """A CSS string literal for text from the data files (never trusted)."""
    return '"' + re.sub(r'[\\"\n\r\f]', lambda m: "\\" + format(ord(m.group(0)), "x") + " ", text) + '"'


def document(print_html: str, version: str, date: str, site_url: str = "") -> str:
    found = ARTICLE.search(print_html)
    if not found:
        raise ValueError("print page: no article found")
    body = hosted_links(single_rate_card(found.group(1)), site_url)
    return ('<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<title>IVIG in Idiopathic Inflammatory Myopathies, version {htmllib.escape(version)}</title>'
            '<meta name="author" content="The IVIG in IIM guide editors">'
            f'</head><body>{body}</body></html>')


def running_header(version: str, date: str) -> str:
    """The header's text, as CSS given after pdf.css (both are WeasyPrint user stylesheets, which
    a style element in the document would override, :first page included)."""
    running = css_string(f"IVIG in IIM: a practical guide · version {version} of {date}")
    return f"@page {{ @top-left {{ content: {running}; }} }} @page :first {{ @top-left {{ content: none; }} }}"


def fetcher_inside(folder: Path):
    """WeasyPrint's URL fetcher, limited to `data:` URLs and regular files inside `folder` (the
    offline bundle): a page cannot make the PDF read the network, a symlink, or any other file
    on the build machine. Anything else is refused, and WeasyPrint leaves it out."""
    from urllib.parse import unquote, urlparse

    from weasyprint.urls import URLFetcher

    inside = folder.resolve()

    class BundleFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            path = Path(unquote(parsed.path))
            if parsed.scheme != "data" and not (
                    parsed.scheme == "file" and not path.is_symlink() and path.is_file()
                    and path.resolve().is_relative_to(inside)):
                raise ValueError(f"the PDF loads only files inside the offline bundle, not {url}")
            return super().fetch(url, headers)

    return BundleFetcher(allowed_protocols={"file", "data"})


def build(print_page: Path, target: Path, version: str, date: str, site_url: str = "") -> Result:
    """Render the bundle's print page to `target`; the number of pages and the seconds taken."""
    import logging

    from weasyprint import CSS, HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # unsupported screen CSS is not news
    started = time.perf_counter()
    source = document(print_page.read_text(encoding="utf-8"), version, date, site_url)
    rendered = HTML(string=source, base_url=str(print_page),
                    url_fetcher=fetcher_inside(print_page.parent)).render(
        stylesheets=[CSS(filename=str(STYLESHEET)), CSS(string=running_header(version, date))])
    rendered.metadata.title = f"IVIG in Idiopathic Inflammatory Myopathies, version {version}"
    target.parent.mkdir(parents=True, exist_ok=True)
    rendered.write_pdf(target)
    return Result(len(rendered.pages), time.perf_counter() - started)
