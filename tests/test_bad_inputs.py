"""Every bad input is one clear error at its real line; valid BibTeX and Markdown are accepted.

Table-driven, one table per class: (case, input, expected rule id, expected line). Each bad
input must give exactly that one error (no second, misleading one such as a false "missing
field"), and its message must say what must be true.
"""

import os

import pytest

from conftest import CHAPTER, messages

BASE = """@article{good2020trial,
  author = {Good, A.},
  title = {A good trial},
  journal = {J Good},
  year = {2020},
  design = {rct},
  reviewref = {1}
}
"""
SECOND = BASE.replace("good2020trial", "next2021study").replace("reviewref = {1}", "reviewref = {2}")


def bib_with(old: str, new: str, base: str = BASE) -> str:
    assert old in base, old
    return base.replace(old, new)


# --- the .bib file: reading, values, fields -------------------------------------------------------

BIB_CASES = [
    ("entry without @", BASE + "\narticle{next2021study,\n  title = {T},\n  year = {2021}\n}\n",
     "bib-syntax", 10),
    ("missing comma between fields", bib_with("{A good trial},", "{A good trial}"), "bib-syntax", 3),
    ("missing comma after the key", bib_with("@article{good2020trial,", "@article{good2020trial"),
     "bib-syntax", 2),
    ("missing = after a field name", bib_with("title = {A", "title {A"), "bib-syntax", 3),
    ("undefined @string macro", bib_with("{J Good}", "jgood"), "bib-macro", 4),
    ("undefined macro in a concatenation", bib_with("{J Good}", '{J} # nosuch # " Suppl"'), "bib-macro", 4),
    ("dangling #", bib_with("{J Good}", "{J Good} #"), "bib-syntax", 4),
    ("unbalanced brace in the first entry", bib_with("{A good trial}", "{A {good trial}") + SECOND,
     "bib-syntax", 3),
    ("unbalanced brace in the last entry", BASE + "\n" + bib_with("{A good trial}", "{A {good trial}", SECOND),
     "bib-syntax", 12),
    ("unclosed quote", bib_with("{A good trial}", '"A good trial'), "bib-syntax", 3),
    ("extra closing brace", bib_with("{A good trial}", "{A good trial}}"), "bib-syntax", 4),
    ("entry never closed", BASE[:-2] + "\n", "bib-syntax", 1),
    ("a field twice, in another case", bib_with("  year = {2020},\n", "  year = {2020},\n  YEAR = {2021},\n"),
     "bib-syntax", 6),
    ("keys differing only in case", BASE + bib_with("next2021study", "Good2020Trial", SECOND),
     "duplicate-key", 9),
    ("NUL in a field", bib_with("A good trial", "A good\x00 trial"), "bib-control", 3),
    ("escape character in a field", bib_with("J Good", "J\x1b[31mGood"), "bib-control", 4),
    ("bidi override in a field", bib_with("Good, A.", "Good, A.\u202e"), "bib-control", 2),
    ("year that is not a year", bib_with("{2020}", "{in press}"), "year", 5),
    ("year with a letter", bib_with("{2020}", "{2020a}"), "year", 5),
    ("javascript: url", bib_with("  design", "  url = {javascript:alert(document.cookie)},\n  design"),
     "url", 6),
    ("data: url", bib_with("  design", "  url = {data:text/html,<script>alert(1)</script>},\n  design"),
     "url", 6),
    ("url with spaces", bib_with("  design", "  url = {https://example.org/a b},\n  design"), "url", 6),
    ("crossref instead of fields", bib_with("  journal = {J Good},\n", "  crossref = {proc2020},\n"),
     "crossref", 4),
]


@pytest.mark.parametrize("case, text, rule, line", BIB_CASES, ids=[c[0] for c in BIB_CASES])
def test_bad_bib_is_one_error_at_its_line(repo, case, text, rule, line):
    repo.bib(text)
    repo.page("No citations.\n")
    errors = [p for p in repo.check().problems if p.severity == "error"]
    assert [(p.rule, p.path, p.line) for p in errors] == [(rule, "bib/references.bib", line)], errors
    assert "must" in errors[0].message, errors[0].message


def test_bad_encoding_is_reported_at_the_byte_not_at_1_1(repo):
    data = (BASE + "\n% Müller\n").encode("utf-8").replace("ü".encode(), b"\xfc")
    (repo.root / "bib" / "references.bib").write_bytes(data)
    repo.page("No citations.\n")
    errors = [p for p in repo.check().problems if p.severity == "error"]
    assert [(p.rule, p.line, p.col) for p in errors] == [("bib-encoding", 10, 4)], errors
    assert "must be UTF-8" in errors[0].message


def _symlink_outside(root):
    os.symlink("/etc/passwd", root / "bib" / "references.bib")


def _directory(root):
    (root / "bib" / "references.bib").mkdir()


def _fifo(root):
    os.mkfifo(root / "bib" / "references.bib")  # reading it would hang the checker


def _symlink_inside(root):
    (root / "other.txt").write_text(BASE, encoding="utf-8")
    os.symlink(root / "other.txt", root / "bib" / "references.bib")


FILE_CASES = [("symlink to /etc/passwd", _symlink_outside), ("a directory", _directory),
              ("a named pipe", _fifo), ("symlink inside the repository", _symlink_inside)]


@pytest.mark.parametrize("case, make", FILE_CASES, ids=[c[0] for c in FILE_CASES])
def test_a_bib_file_must_be_a_regular_file_in_the_repository(repo, case, make):
    make(repo.root)
    repo.page("No citations.\n")
    errors = [p for p in repo.check().problems if p.severity == "error"]
    assert [(p.rule, p.path, p.line) for p in errors] == [("bib-file", "bib/references.bib", 1)], errors
    assert "root:" not in errors[0].message  # nothing of the target is read


VALID_BIB = [
    ("SICI DOI with < and >", bib_with("  design", "  doi = {10.1002/(SICI)1097-4598(199709)20:9"
                                                   "<1081::AID-MUS1>3.0.CO;2-4},\n  design")),
    ("month macro", bib_with("  design", "  month = jan,\n  design")),
    ("@string and # concatenation", "@string{jg = {J Good}}\n" + bib_with("{J Good}", 'jg # " Suppl"')),
    ("@string names ignore case", "@STRING{JG = {J Good}}\n" + bib_with("{J Good}", "jg")),
    ("quoted value with braces inside", bib_with("{A good trial}", '"A {good} trial"')),
    ("unbraced number", bib_with("{2020}", "2020")),
    ("upper-case AND between authors", bib_with("{Good, A.}", "{Good, A. AND Other, B.}")),
    ("LaTeX accents", bib_with("{Good, A.}", '{M{\\"u}ller, J. and Good, A.}')),
    ("comments, @comment and @preamble", "% a comment line\n@comment{anything}\n@preamble{\"x\"}\n" + BASE),
    ("a URL with per cent escapes", bib_with("  design", "  url = {https://example.org/a%20b?q=1#x},\n  design")),
    ("Windows line ends", BASE.replace("\n", "\r\n")),
    ("a byte-order mark", "\ufeff" + BASE),
]


@pytest.mark.parametrize("case, text", VALID_BIB, ids=[c[0] for c in VALID_BIB])
def test_valid_bibtex_is_accepted(repo, case, text):
    repo.bib(text)
    repo.page("[@good2020trial]\n")
    assert messages(repo.check()) == []


def test_concatenation_and_macros_are_expanded(repo):
    repo.bib('@string{jg = {J Good}}\n' + bib_with("{J Good}", 'jg # " Suppl"') .replace(
        "  design", "  month = feb,\n  design"))
    repo.page("[@good2020trial]\n")
    entry = repo.check().store.entries[0]
    assert entry.get("journal") == "J Good Suppl" and entry.get("month") == "February"


# --- pages ----------------------------------------------------------------------------------------

PAGE_CASES = [
    ("citation after an unclosed fence", "Text [@good2020trial].\n\n```\ncode\n\nMore [@nope2020x].\n",
     "code-fence", 3),
    ("invalid YAML front matter", CHAPTER.replace("title: A chapter", "title: [unclosed"), "front-matter", 2),
    ("front matter that is not a mapping", CHAPTER.replace("title: A chapter\ndescription: What it is.",
                                                          "- a list"), "front-matter", 2),
    ("an impossible date in front matter", CHAPTER.replace("description: What it is.",
                                                           "description: What it is.\nlast_reviewed: 2026-13-01"),
     "front-matter", 4),
    ("suppress-author citation of a missing key", "Text [-@nope2020x].\n", "unknown-key", 1),
    ("suppress-author with a broken item", "Text [-@good2020trial; not one].\n", "citation-syntax", 1),
]


@pytest.mark.parametrize("case, text, rule, line", PAGE_CASES, ids=[c[0] for c in PAGE_CASES])
def test_bad_page_is_one_error_at_its_line(repo, case, text, rule, line):
    repo.bib(BASE)
    # A chapter when it has front matter: its title must then not be reported missing as well.
    name = "diseases/a.md" if text.startswith("---") else "index.md"
    repo.page(text, name)
    errors = [p for p in repo.check().problems if p.severity == "error"]
    assert [(p.rule, p.path, p.line) for p in errors] == [(rule, f"docs/{name}", line)], errors


VALID_PAGES = [
    ("suppress-author citation, as Pandoc", "Text [-@good2020trial] and [see -@good2020trial, p. 2].\n"),
    ("citation in a 4-space indented code block", "Text [@good2020trial].\n\n    [@not_a_key] code\n"),
    ("citation in a list item's indented paragraph", "- item\n\n    Cited [@good2020trial].\n"),
    ("citation in an admonition, code inside it", '!!! note\n    Cited [@good2020trial].\n\n'
                                                   '        [@code_only]\n'),
    ("fence inside an admonition", '!!! note\n    ```\n    [@code_only]\n    ```\n\nCited [@good2020trial].\n'),
]


@pytest.mark.parametrize("case, text", VALID_PAGES, ids=[c[0] for c in VALID_PAGES])
def test_valid_pages_are_accepted(repo, case, text):
    repo.bib(BASE)
    repo.page(text)
    result = repo.check()
    assert messages(result) == []
    assert result.stats["citations"] >= 1


def test_suppress_author_renders_as_the_number():
    from guide.sources.bib import Entry
    from guide.sources.markdown import find_citations
    from guide.html.citations import Formatter

    entries = {"good2020trial": Entry("good2020trial", "article", {"reviewref": "7"}, "x.bib", 1)}
    [block] = find_citations("See [-@good2020trial].")
    assert block.items[0].suppress_author
    assert ">7</a>]</span>" in Formatter(entries).marker(block.items)


def test_citing_an_unreadable_entry_says_so_not_that_the_key_is_missing(repo):
    repo.bib(bib_with("{A good trial},", "{A good trial}") + "\n@article{broken2021x,\n  title = {A {b},\n"
             "  year = {2021}\n}\n")
    repo.page("[@good2020trial] and [@broken2021x]\n")
    found = messages(repo.check())
    assert "docs/index.md:1:2: error: citation key 'good2020trial' names an entry in bib/ that cannot be " \
           "read; the entry must be fixed first (see its error)" in found, found
    assert any(m.startswith("docs/index.md:1:23: error: citation key 'broken2021x' names an entry") for m in found)
