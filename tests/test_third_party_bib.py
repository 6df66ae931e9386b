"""BibTeX this project did not write (tests/fixtures/third-party/, see its README) goes through the
checker without crashing, with only real problems reported, each at a line of the entry it
names, and renders as Unicode text with no LaTeX left."""

import re
import shutil
from pathlib import Path

import pytest

from guide.html.citations import Formatter

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "third-party"
FILES = sorted(p.name for p in FIXTURES.glob("*.bib"))
# What our store asks beyond BibTeX (CONTRIBUTING.md, "Rules for a .bib file"): real problems
# for a file written elsewhere. A reading problem (bib-*) would be a false one: the files are valid.
STORE_RULES = {"design", "number", "entry-type", "key-chars", "fields", "crossref"}


@pytest.fixture(params=FILES)
def checked(request, repo):
    shutil.copy(FIXTURES / request.param, repo.root / "bib" / request.param)
    repo.page("No citations.\n")
    return request.param, (FIXTURES / request.param).read_text(encoding="utf-8"), repo.check()


def entry_spans(text: str) -> dict[str, range]:
    """Each entry's key -> the lines it spans (to its last line before the next '@')."""
    heads = [(n, m.group(1)) for n, line in enumerate(text.split("\n"), 1)
             if (m := re.match(r"@\w+\{([^,]+),", line)) and not line.lower().startswith("@string")]
    ends = [n for n, _ in heads[1:]] + [text.count("\n") + 2]
    return {key: range(start, end) for (start, key), end in zip(heads, ends)}


def test_only_real_problems_are_reported(checked):
    name, _, result = checked
    errors = [p for p in result.problems if p.severity == "error"]
    assert errors, "these files do not follow this guide's store rules: some errors are expected"
    assert {p.rule for p in errors} <= STORE_RULES, [str(p) for p in errors if p.rule not in STORE_RULES]
    assert all(p.path == f"bib/{name}" for p in errors)


def test_every_problem_points_into_the_entry_it_names(checked):
    _, text, result = checked
    spans = entry_spans(text)
    for problem in result.problems:
        key = re.search(r"(?:entry|key) '([^']+)'", problem.message).group(1)
        assert problem.line in spans[key], str(problem)


def test_crossref_gives_one_clear_error_and_no_false_missing_field(checked):
    _, _, result = checked
    for entry in result.store.entries:
        if "crossref" in entry.fields:
            mine = [p for p in result.problems if f"'{entry.key}'" in p.message]
            assert [p.rule for p in mine if p.rule in ("crossref", "fields")] == ["crossref"], mine


def test_every_entry_renders_as_unicode_text(checked):
    _, text, result = checked
    formatter = Formatter(result.store.by_key())
    assert len(formatter.entries) == len(entry_spans(text))
    for key in formatter.entries:
        shown = formatter.text(key)
        assert not re.search(r"[\\{}$~]", shown), shown
        assert ".." not in shown, shown


@pytest.mark.parametrize("name, key, expected", [
    ("mne-python-style.bib", "GramfortEtAl2013a", "Hämäläinen MS. MEG and EEG Data Analysis with MNE-Python."),
    ("mne-python-style.bib", "HamalainenIlmoniemi1994", "Medical &amp; Biological Engineering &amp; Computing. 1994;32(1):35–42."),
    ("mne-python-style.bib", "VanVeenEtAl1997", "Van Veen BD, van Drongelen W, Yuchtman M, Suzuki A."),
    ("mne-python-style.bib", "Francois2018", "François C, López J, Møller S. Cross-frequency coupling &amp; the brain."),
    ("turing-way-style.bib", "Wilkinson2016fair", "Wilkinson MD, Dumontier M, Aalbersberg IJ, et al."),
    ("turing-way-style.bib", "TuringWay2022handbook", "The Turing Way Community. The Turing Way: A handbook"),
    ("biblatex-examples-style.bib", "herrmann", "Herrmann WA, Öfele K, Schneider SK"),
    ("biblatex-examples-style.bib", "cicero", "Über das Wesen der Götter. Reclam;. Lateinisch und deutsch, "
                                              "mit einem Nachwort von Klaus Thraede."),
])
def test_names_and_titles_read_as_written(repo, name, key, expected):
    shutil.copy(FIXTURES / name, repo.root / "bib" / name)
    repo.page("No citations.\n")
    assert expected in Formatter(repo.check().store.by_key()).text(key)
