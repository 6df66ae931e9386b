"""What a contributor's change cannot do (issue 18): run code through a page's template, read
files through a partial, or carry markup from the store or data to a reader. Each class has a
bad input that must fail at its line and a good input that must pass."""

from __future__ import annotations

import os

import pytest

from conftest import GOOD_ENTRY, messages

# Each of these reaches (or tries to reach) Python internals; if one ran, it would create PWNED.
ESCAPES = [
    "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}",
    "{{ lipsum.__globals__['os'].system('touch PWNED') }}",
    "{{ ().__class__.__base__.__subclasses__() }}",
    "{{ labels.octagam.calculator_json.__globals__ }}",
    "{{ joiner.__init__.__globals__.__builtins__.open('PWNED', 'w') }}",
    "{% set x = namespace() %}{{ x.__class__.__init__.__globals__ }}",
    "{{ release.update({'version': 'x'}) }}",
    "{{ 9 ** 99999999 }}",
    "{{ 'x' * 999999999 }}",
]


@pytest.fixture
def templated(repo):
    repo.bib(GOOD_ENTRY)
    (repo.root / "includes").mkdir()
    (repo.root / "data" / "labels").mkdir(parents=True)
    return repo


@pytest.mark.parametrize("escape", ESCAPES)
def test_a_page_template_cannot_reach_python_internals(templated, escape, monkeypatch):
    monkeypatch.chdir(templated.root)
    templated.page(f"Intro [@good2020trial].\n\n{escape}\n", "other.md")
    found = messages(templated.check())
    assert any(m.startswith("docs/other.md:3:1: error: template") for m in found), found
    assert not (templated.root / "PWNED").exists()


def test_a_partial_template_cannot_reach_python_internals(templated, monkeypatch):
    monkeypatch.chdir(templated.root)
    (templated.root / "includes" / "card.md").write_text(
        "Fine.\n{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}\n", encoding="utf-8")
    templated.page('Intro [@good2020trial].\n\n{% include "card.md" %}\n', "other.md")
    found = messages(templated.check())
    assert any(m.startswith("includes/card.md:2:1: error: template not allowed") for m in found), found
    assert not (templated.root / "PWNED").exists()


def test_plain_values_and_filters_still_render(templated):
    (templated.root / "includes" / "card.md").write_text("Card {{ 2 ** 3 }} {{ 'ab' * 2 }}.\n",
                                                          encoding="utf-8")
    templated.page('Intro [@good2020trial] {{ "x" | upper }}.\n\n{% include "card.md" %}\n', "other.md")
    assert messages(templated.check()) == []


@pytest.mark.parametrize("name", ["../secret.md", "sub/../../secret.md", "link.md"])
def test_a_partial_outside_includes_or_through_a_link_is_not_read(templated, name):
    (templated.root / "secret.md").write_text("SECRET\n", encoding="utf-8")
    os.symlink(templated.root / "secret.md", templated.root / "includes" / "link.md")
    templated.page(f'Intro [@good2020trial].\n\n{{% include "{name}" %}}\n', "other.md")
    found = messages(templated.check())
    assert any(m.startswith("docs/other.md:3:1: error: partial") for m in found), found


def test_a_hostile_reference_title_reaches_no_output_as_markup(built):
    """Every file of the site and of the offline zip: the planted title's markup only ever escaped."""
    import zipfile

    from conftest import offline_zip

    files = {str(p): p.read_bytes() for p in (built / "site").rglob("*") if p.is_file()}
    with zipfile.ZipFile(offline_zip(built)) as bundle:
        files.update({f"zip:{n}": bundle.read(n) for n in bundle.namelist()})
    seen = [name for name, data in files.items() if b"Zebracorn" in data]
    assert any(name.endswith("search_index.json") for name in seen), seen
    leaks = [name for name, data in files.items()
             if b'<img src=x onerror' in data or b'<script>window.__xss' in data
             or b'\\u003cimg src=x' in data]
    assert leaks == []


def test_search_documents_escape_every_string_we_add():
    from guide import search_index

    docs = search_index.reference_docs("references/", [(7, '<b onmouseover="x()">T & S</b>', "<i>")])
    assert docs[0]["title"].startswith("[7] &lt;b onmouseover")
    assert "<" not in docs[0]["text"] and "&amp;" in docs[0]["text"]
    expander = search_index.Expander([["ivig", "<img src=x>"]])
    assert "<img" not in expander.expand({"title": "", "text": "IVIG"})["text"]
