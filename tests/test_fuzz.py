"""Property-based fuzzing (Hypothesis) of the checker's bib and page parsing, through the real
entry point: whatever the input, the check exits 0 or 1 with `path:line:col: severity: message`
lines, never a traceback or an internal error (exit 2).

Inputs are valid files with random edits (characters that matter to BibTeX, Markdown, YAML and
Jinja inserted, deleted or repeated), and plain random text. Under CI=true the examples are
derandomized so a run is reproducible; locally each run explores new ones.
"""

import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings, strategies as st

import build
from conftest import CHAPTER

SETTINGS = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "250")), deadline=None,
                    database=None, derandomize=os.environ.get("CI") == "true",
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

VALID_BIB = """% a comment
@string{jg = {J Good}}
@article{good2020trial,
  author = {M{\\"u}ller, J. and Good, A. and others},
  title = {A {good} trial: 10\\% --- faster},
  journal = jg # " Suppl",
  year = 2020,
  month = jan,
  doi = {10.1000/good.2020.1},
  url = {https://example.org/a%20b},
  design = {rct},
  reviewref = {1}
}

@misc{web2021page,
  title = "A page",
  howpublished = {The web},
  url = {https://example.org},
  design = {guideline},
  guideref = {116}
}
"""

# A chapter with a review date and every citation form the parser must leave alone or read.
VALID_PAGE = CHAPTER.replace("description: What it is.\n", "description: What it is.\nlast_reviewed: 2026-11-25\n") + """
Text [see @good2020trial, p. 5; -@web2021page] and `[@code]`.

```
[@in_fence]
```

    [@indented_code]
"""

BIB_PIECES = ["@", "{", "}", '"', ",", "=", "#", "%", "\\", "\n", " ", "\t", "\x00", "\u202e", "é", "~",
              "@string{", "@comment{", "article{", "and", "AND", "others", "jan", "undefined_macro",
              "crossref = {x},", "year = {20x0},", "url = {javascript:x},", "\\\"", "$", "--", "\r\n"]
PAGE_PIECES = ["[", "]", "@", "-@", ";", ",", "\n", "    ", "\t", "`", "```", "~~~", "---", ":", "|",
               "!!! note\n", "- ", "{{", "}}", "{%", "%}", "{##", "[@good2020trial]", "[@nope]",
               "<!--", "-->", "\x00", "é", "title: [", "last_reviewed: 2026-13-01"]


@st.composite
def edited(draw, valid: str, pieces: list[str]) -> str:
    """`valid` with up to 8 random edits: insert a piece, delete a span, or repeat a span."""
    text = valid
    for _ in range(draw(st.integers(0, 8))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "repeat"]))
        if kind == "insert":
            text = text[:at] + draw(st.sampled_from(pieces)) + text[at:]
        else:
            length = draw(st.integers(1, 20))
            span = text[at:at + length]
            text = text[:at] + (span * 2 if kind == "repeat" else "") + text[at + length:]
    return text


def random_text(pieces: list[str]):
    return st.lists(st.one_of(st.sampled_from(pieces), st.text(max_size=5)), max_size=60).map("".join)


BIBS = st.one_of(edited(VALID_BIB, BIB_PIECES), random_text(BIB_PIECES))
PAGES = st.one_of(edited(VALID_PAGE, PAGE_PIECES), random_text(PAGE_PIECES))


def check_once(bib: str, page: str, capsys) -> None:
    root = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        (root / "bib").mkdir()
        (root / "docs" / "diseases").mkdir(parents=True)
        (root / "bib" / "references.bib").write_text(bib, encoding="utf-8", errors="surrogatepass")
        (root / "docs" / "diseases" / "chapter.md").write_text(page, encoding="utf-8",
                                                               errors="surrogatepass")
        capsys.readouterr()
        status = build.main(["--check", "--root", str(root)])
        out = capsys.readouterr()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    said = out.out + out.err
    assert status in (0, 1), said
    assert "Traceback" not in said and "internal error" not in said, said
    lines = out.out.strip().splitlines()
    assert lines and lines[-1].startswith("check "), said
    for line in lines[:-1]:
        path, row, col, rest = line.split(":", 3)
        assert row.isdigit() and col.isdigit() and int(row) >= 1 and int(col) >= 1, line
        assert rest.startswith((" error: ", " warning: ")), line


# Crashes found earlier, tried on every run: a value quoted into a message with its newline (one
# problem must stay one line), and a front-matter date YAML parses but cannot construct.
@SETTINGS
@given(bib=BIBS)
@example(bib=VALID_BIB.replace("{https://example.org}", "{\nhttps://example.org}"))
def test_any_bib_file_gives_located_problems_never_a_crash(bib, capsys, monkeypatch):
    monkeypatch.setenv("GUIDE_NO_VENV", "1")
    check_once(bib, VALID_PAGE, capsys)


@SETTINGS
@given(page=PAGES)
@example(page=VALID_PAGE.replace("2026-11-25", "2026-13-01"))
def test_any_page_gives_located_problems_never_a_crash(page, capsys, monkeypatch):
    monkeypatch.setenv("GUIDE_NO_VENV", "1")
    check_once(VALID_BIB, page, capsys)
