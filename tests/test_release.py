"""data/changes.yml: the clinical changes What's new shows (page, where, before, now)."""

from __future__ import annotations

from guide.sources import release

RELEASE = """- version: "2026.12"
  date: 2026-12-05
  changes:
    - Something.
  clinical:
{items}
"""
GOOD = """    - page: practice/safety.md
      where: "Safety: corn allergy"
      before: "Old advice."
      now: "New advice."
"""


def write(tmp_path, items: str):
    (tmp_path / "data").mkdir()
    (tmp_path / "docs" / "practice").mkdir(parents=True)
    (tmp_path / "docs" / "practice" / "safety.md").write_text("# Safety\n", encoding="utf-8")
    (tmp_path / "data" / "changes.yml").write_text(RELEASE.format(items=items), encoding="utf-8")


def test_a_clinical_change_reaches_the_release(tmp_path):
    write(tmp_path, GOOD)
    current, problems = release.load(tmp_path)
    assert problems == []
    assert current.changes[0]["clinical"][0]["now"] == "New advice."


def test_a_clinical_change_without_before_or_with_a_missing_page_is_reported_at_its_line(tmp_path):
    write(tmp_path, GOOD.replace('      before: "Old advice."\n', "")
          + GOOD.replace("practice/safety.md", "practice/nowhere.md").replace("corn allergy", "other"))
    current, problems = release.load(tmp_path)
    assert current is None
    shown = [str(p) for p in problems]
    assert any(":7:1:" in p and "'before'" in p for p in shown), shown  # at its "where" line
    assert any("docs/practice/nowhere.md" in p for p in shown), shown


def test_the_real_change_list_names_clinical_changes_with_citations():
    from conftest import ROOT

    current, problems = release.load(ROOT)
    assert problems == []
    clinical = [item for entry in current.changes for item in entry["clinical"]]
    assert clinical and all("[@" in item["now"] for item in clinical)
