"""One home for the study vocabulary (scripts/guide/sources/vocabulary.py): every term has its
label and group, CONTRIBUTING.md shows it as it is, and adding a design or condition there alone
is enough for the checker, the figures and the contributor table."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

from guide.html import evidence_figure
from guide.sources import vocabulary


def test_every_design_and_condition_has_its_label_and_group():
    groups = {g.id for g in vocabulary.GROUPS}
    values = [d.value for d in vocabulary.DESIGNS]
    assert len(values) == len(set(values))
    for design in vocabulary.DESIGNS:
        assert design.label.strip(), design
        assert design.group is None or design.group in groups, design
    assert vocabulary.ANALYSIS in values and set(vocabulary.SYNTHESES) <= set(values)
    assert groups == set(vocabulary.GROUP_OF.values())  # no group without a design
    conditions = [c.value for c in vocabulary.CONDITIONS]
    assert len(conditions) == len(set(conditions))
    assert all(c.label.strip() for c in vocabulary.CONDITIONS)


def test_every_group_can_be_drawn_and_coloured():
    css = (ROOT / "docs" / "assets" / "stylesheets" / "guide.css").read_text(encoding="utf-8")
    for group in vocabulary.GROUPS:
        assert evidence_figure.shape_path(group.shape, 10, 10, 5).startswith("M"), group
        assert f".ev-{group.id}" in css or group.id == "analysis", group  # analyses share the trials' colour


def test_contributing_shows_the_vocabulary_as_it_is():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    table = vocabulary.contributing_design_table()
    assert table in text, f"CONTRIBUTING.md, 'Study design labels', should read:\n{table}"
    flat = " ".join(text.split())
    listed = f"(from {vocabulary.conditions_list()})"
    assert listed in flat, f"CONTRIBUTING.md, 'Add a reference', should list the conditions as {listed}"
    assert f"({', '.join(vocabulary.INTERVENTIONS)})" in flat


NEW_TERMS = """
import sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from guide.check import runner
from guide.html import evidence_figure
from guide.sources import vocabulary
from guide.sources.bib import load_store

root = Path(sys.argv[2])
problems = [str(p) for p in runner.run(root).problems]
entries = load_store(root / "bib", root).by_key()
svg = evidence_figure.figure(evidence_figure.studies(entries), "../references/", "f", "Title")
print(problems)
print("Myositis X" in svg, "Registry study" in svg)
print("| `registry` | Registry study |" in vocabulary.contributing_design_table(),
      "myositis-x" in vocabulary.conditions_list())
"""

ENTRY = """@article{reg2024cohort,
  author = {Reg, A.},
  title = {A registry},
  journal = {J Reg},
  year = {2024},
  doi = {10.1000/reg.2024.1},
  design = {registry},
  participants = {40},
  conditions = {DM, myositis-x},
  intervention = {IVIG},
  guideref = {116}
}
"""


def test_a_design_or_condition_added_to_the_vocabulary_alone_is_enough(repo, tmp_path: Path):
    repo.bib(ENTRY)
    repo.page("# Page\n\nA registry [@reg2024cohort].\n\n"
              "| Study | Design | Patients (n) | Regimen | Main result |\n|---|---|---|---|---|\n"
              "| Reg 2024 [@reg2024cohort] | Registry study | 40 | x | y |\n")
    # Today's vocabulary refuses both words: the test below can fail.
    refused = [str(p) for p in repo.check().problems]
    assert any("'registry'" in m for m in refused) and any("myositis-x" in m for m in refused), refused

    scripts = tmp_path / "scripts"
    shutil.copytree(ROOT / "scripts" / "guide", scripts / "guide", ignore=shutil.ignore_patterns("__pycache__"))
    module = scripts / "guide" / "sources" / "vocabulary.py"
    text = module.read_text(encoding="utf-8")
    text, designs = re.subn(r'(\n    Design\("news", "News report"\),\n)',
                            r'\1    Design("registry", "Registry study", "cohort"),\n', text)
    text, conditions = re.subn(r'(\n    Condition\("other", "Other"\),\n)',
                               r'\1    Condition("myositis-x", "Myositis X"),\n', text)
    assert designs == conditions == 1
    module.write_text(text, encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", NEW_TERMS, str(scripts), str(repo.root)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["[]", "True True", "True True"]
