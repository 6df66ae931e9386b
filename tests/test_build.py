"""Integration: the real site builds strictly, and the build script fails usefully when it must not."""

import re
import zipfile

import pytest

from conftest import copy_repo, run_build

def insert_into_disclaimer(root, text: str):
    """Put text in as line 9 of the Disclaimer page of a copied repository; return the page."""
    page = root / "docs" / "about" / "disclaimer.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    lines.insert(8, text)
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return page


def html(root, page):
    return (root / "site" / page / "index.html").read_text(encoding="utf-8")


def test_every_nav_page_is_built(built):
    nav = (built / "mkdocs.yml").read_text(encoding="utf-8")
    for source in re.findall(r":\s+([\w/-]+)\.md", nav):
        target = "index.html" if source == "index" else f"{source}/index.html"
        assert (built / "site" / target).exists(), source


def test_citations_show_the_reviews_numbers_grouped_and_ranged(built):
    page = html(built, "about/how-to-cite")
    text = re.sub(r"<[^>]+>", "", page)
    assert "Grouped [6–8]" in text
    assert "[7, 9] and" in text
    assert "[see 8, p. 5]" in text


def test_code_and_links_keep_their_at_sign(built):
    page = html(built, "about/how-to-cite")
    assert "<code>[@not_a_citation]</code>" in page
    assert '<a href="https://example.org/x">@octapharma</a>' in page


def test_page_ends_with_its_references_in_number_order(built):
    page = html(built, "about/how-to-cite")
    listed = re.findall(r'<li id="ref-(\d+)" value="\1"[ >]', page)
    assert listed[:4] == ["6", "7", "8", "9"] and len(listed) == 5  # and conftest's planted entry
    assert int(listed[4]) > 115


def test_references_page_lists_all_115_in_order_then_the_guides_own(built):
    page = html(built, "references")
    numbers = [int(n) for n in re.findall(r'<li id="ref-(\d+)" value="\d+" class="reference"[ >]', page)]
    assert numbers[:115] == list(range(1, 116))
    added = page[page.index('id="guide-references"'):]
    assert numbers[115:] and numbers[115:] == sorted(numbers[115:]) and min(numbers[115:]) > 115
    assert 'id="ref-116"' in added and 'id="ref-115"' not in added
    assert "Randomised controlled trial" in page
    assert "Key reference" in page
    assert 'href="https://doi.org/10.1056/NEJMoa2117912"' in page
    assert "pubmed.ncbi.nlm.nih.gov/?term=10.1056%2FNEJMoa2117912" in page
    backlinks = re.search(r'id="ref-8".*?<p class="reference-backlinks"[^>]*>(.*?)</p>', page, re.DOTALL).group(1)
    assert "../diseases/dermatomyositis-polymyositis/#" in backlinks


def test_titles_keep_their_capitalisation_and_names_their_accents(built):
    page = html(built, "references")
    assert "Treatment of inclusion-body myositis with IVIg" in page
    assert "Esbjörnsson M" in page
    assert "Octagam 10% [Immune Globulin Intravenous (Human)]" in page


def test_missing_key_fails_the_build_naming_page_and_line(tmp_path):
    root = copy_repo(tmp_path)
    insert_into_disclaimer(root, "A claim [@nosuchkey2099].")
    run = run_build(root, "--no-offline")
    assert run.returncode == 1
    assert "docs/about/disclaimer.md:9:10: error: citation key 'nosuchkey2099' is not in bib/" in run.stderr
    assert "Traceback" not in run.stderr
    assert not (root / "site").exists()


def test_broken_link_fails_strictly_at_its_line(tmp_path):
    root = copy_repo(tmp_path)
    page = root / "docs" / "about" / "disclaimer.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [nowhere](no-such-page.md).\n",
                    encoding="utf-8")
    run = run_build(root, "--no-offline")
    assert run.returncode == 1
    assert re.search(r"docs/about/disclaimer\.md:\d+:\d+: error: .*no-such-page\.md", run.stderr), run.stderr
    assert "Traceback" not in run.stderr


def test_html_in_the_store_is_escaped(built):
    """conftest plants a reference whose title carries a script tag, cited on How to cite."""
    out = html(built, "about/how-to-cite")
    assert "<script>window.__xss" not in out and "<img src=x" not in out
    assert "Zebracorn probe &lt;img src=x onerror=" in out and "&lt;script&gt;window.__xss=2" in out


def test_anything_the_finished_site_loads_from_the_network_fails_the_build_at_its_line(tmp_path):
    """What the page check cannot see (a stylesheet named in mkdocs.yml) is found in the output."""
    root = copy_repo(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "extra_css:\n", "extra_css:\n  - https://example.org/remote.css\n", 1), encoding="utf-8")
    run = run_build(root, "--no-offline")
    assert run.returncode == 1, run.stderr
    assert re.search(r"mkdocs\.yml:\d+:1: error: <link href> loads https://example\.org/remote\.css: the "
                     r"hosted site must not load anything from the network", run.stderr), run.stderr
    assert "Traceback" not in run.stderr and not (root / "site").exists()


def test_citation_markup_that_escapes_the_citation_pass_fails_the_build(tmp_path):
    """A snippet inserted by pymdownx.snippets after our hook ran: its [@key] would reach readers."""
    root = copy_repo(tmp_path)
    (root / "includes" / "note.md").write_text("A note that cites [@fda2022octagam].\n", encoding="utf-8")
    insert_into_disclaimer(root, '--8<-- "includes/note.md"')
    run = run_build(root, "--no-offline")
    assert run.returncode == 1
    assert ("docs/about/disclaimer.md:9:1: error: citation markup '[@fda2022octagam]' reaches readers"
            in run.stderr), run.stderr
    assert "Traceback" not in run.stderr


def test_no_built_page_shows_citation_markup(built):
    from guide.check import guard

    for page in sorted((built / "site").rglob("*.html")):
        assert guard.raw_citations(page.read_text(encoding="utf-8")) == [], page


def test_every_script_file_is_deferred_so_it_never_holds_up_the_first_paint(built):
    for page in ("", "references", "practice/dosing-administration", "print"):
        tags = re.findall(r"<script\b[^>]*\bsrc=[^>]*>", html(built, page))
        assert len(tags) >= 4, page  # the polyfill, Material's bundle and ours
        assert [t for t in tags if not re.search(r"\sdefer\b", t)] == [], page


def test_a_citation_in_a_heading_fails_the_build_at_its_line(tmp_path):
    """Citations reach the HTML after Markdown (guide/html/stash.py); a heading's text is also copied
    to the table of contents, where the citation would stay a placeholder: the build says so."""
    root = copy_repo(tmp_path)
    page = insert_into_disclaimer(root, "\n## A cited heading [@fda2022octagam]\n")
    run = run_build(root, "--no-offline")
    assert run.returncode == 1
    line = page.read_text(encoding="utf-8").splitlines().index("## A cited heading [@fda2022octagam]") + 1
    assert f"docs/about/disclaimer.md:{line}:1: error: a citation in a heading cannot be shown" in run.stderr, \
        run.stderr
    assert "Traceback" not in run.stderr
