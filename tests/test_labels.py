"""Label facts as data: the hand-typed-rate rule, the label file's own checks, and template faults
reported at the page's line -- each with a bad and a good input."""

from __future__ import annotations

import shutil

import pytest

from conftest import GOOD_ENTRY, ROOT, messages

LABEL = ROOT / "data" / "labels" / "octagam-10.yml"
SOURCE_NAMES = ("us", "us_current", "eu", "ch", "maker", "nba", "lifeblood", "ontario")
US_LABEL = """@manual{fda2022octagam,
  title = {Octagam 10\\% label},
  organization = {FDA},
  year = {2022},
  url = {https://example.org/label},
  design = {label},
  reviewref = {2}
}
@manual{octapharma2021smpc,
  title = {Octagam 10\\% SmPC},
  organization = {Octapharma},
  year = {2021},
  url = {https://example.org/smpc},
  design = {label},
  reviewref = {3}
}
"""


def other_sources() -> tuple[str, list[str]]:
    """A store entry for every other source key the real label file names (guidance, makers)."""
    import yaml

    keys = [s["key"] for s in yaml.safe_load(LABEL.read_text(encoding="utf-8"))["sources"].values()
            if s["key"] not in ("fda2022octagam", "octapharma2021smpc")]
    entries = "".join(f"@misc{{{key},\n  title = {{Source {n}}},\n  howpublished = {{Web}},\n"
                      f"  url = {{https://example.org/{key}}},\n  design = {{label}},\n"
                      f"  reviewref = {{{10 + n}}}\n}}\n" for n, key in enumerate(keys))
    return entries, keys


@pytest.fixture
def labelled(repo):
    """A mini repository with the real label file and every source it names in its store."""
    (repo.root / "data" / "labels").mkdir(parents=True)
    shutil.copy(LABEL, repo.root / "data" / "labels" / LABEL.name)
    entries, keys = other_sources()
    repo.bib(GOOD_ENTRY + US_LABEL + entries)
    repo.page("Cites [@good2020trial; @fda2022octagam; @octapharma2021smpc; "
              + "; ".join(f"@{k}" for k in keys) + "].\n", "other.md")
    return repo


def label_text(repo) -> str:
    return (repo.root / "data" / "labels" / LABEL.name).read_text(encoding="utf-8")


def write_label(repo, text: str) -> None:
    (repo.root / "data" / "labels" / LABEL.name).write_text(text, encoding="utf-8")


def test_rates_from_the_data_pass(labelled):
    labelled.page("Start at {{ octagam.rates.initial }}; never above {{ octagam.rates.dm_max.ml }}.\n"
                  "ProDERM gave 2 g/kg every 4 weeks [@good2020trial].\n")
    assert labelled.check().problems == []


@pytest.mark.parametrize("typed", ["0.04 mL/kg/min", "3.3 mg/kg/min", "0,03 ml/kg/min",
                                   "7.2 mL/kg/hour", "12 mg / kg / min", "4 mg/kg/hr",
                                   "0.04 mL per kg per minute", "0.04 mL·kg⁻¹·min⁻¹", "40 µL/kg/min",
                                   ".04 cc/kg/min", "0.04 ml kg-1 min-1", "2.4 mL/kg/h",
                                   "4 mg/kg per min", "0.04 mL/kg/minutes"])
def test_a_hand_typed_rate_fails_at_its_line_and_column(labelled, typed):
    labelled.page(f"Line one.\n\nKeep it under {typed} in DM [@good2020trial].\n")
    found = messages(labelled.check())
    assert any(m.startswith(f"docs/index.md:3:15: error: infusion rate '{typed}' is typed by hand")
               for m in found), found


def test_a_rate_in_front_matter_is_a_typed_rate(labelled):
    labelled.page("---\ntitle: T\ndescription: Never above 0.04 mL/kg/min.\n---\n\nText [@good2020trial].\n")
    found = messages(labelled.check())
    assert any(m.startswith("docs/index.md:3:26: error: infusion rate '0.04 mL/kg/min'") for m in found), found


@pytest.mark.parametrize("written, ok", [
    ("{{ '%g' % (octagam.rates.dm_max.ml_value * 10) }} mL/kg/min", False),  # 0.4: not in the data
    ("{{ 0.02 * 3 }} mL/kg/min", False),
    ("{{ octagam.rates.dm_max.ml }}", True),
    ("{{ '%g' % octagam.rates.at_risk_max.ml_value }} mL/kg/min", True),
    ("{{ '%.1f' % (octagam.rates.at_risk_max.ml_value * octagam.concentration.value) }} mg/kg/min", True),
])
def test_a_rate_computed_in_a_template_must_be_one_the_label_data_holds(labelled, written, ok):
    labelled.page(f"One [@good2020trial].\n\nNever above {written}.\n")
    found = [m for m in messages(labelled.check()) if "typed-rate" in m or "not in the label data" in m]
    assert found == [] if ok else any(m.startswith("docs/index.md:3:1: error: the page shows the "
                                                   "infusion rate") for m in found), found


def test_a_rate_typed_in_another_data_file_fails_at_its_line(labelled):
    (labelled.root / "data" / "changes.yml").write_text(
        '- version: "2026.11"\n  date: 2026-11-30\n  changes:\n    - Ceiling now 0.03 mL/kg/min.\n',
        encoding="utf-8")
    found = messages(labelled.check())
    assert any(m.startswith("data/changes.yml:4:19: error: infusion rate '0.03 mL/kg/min' is typed in a "
                            "data file") for m in found), found


def test_a_rate_in_code_or_a_comment_is_not_a_typed_rate(labelled):
    labelled.page("Literal `0.04 mL/kg/min`. <!-- was 0.04 mL/kg/min -->\n")
    assert labelled.check().problems == []


def test_undefined_template_value_is_reported_at_the_page_line(labelled):
    labelled.page("One.\n\nTwo {{ octagam.rates.no_such_rate }}.\n")
    found = messages(labelled.check())
    assert any(m.startswith("docs/index.md:3:1: error: template value:") and "no_such_rate" in m
               for m in found), found


def test_template_syntax_error_is_reported_at_its_line(labelled):
    labelled.page("One.\nTwo.\n{% if %}\n")
    found = messages(labelled.check())
    assert any(m.startswith("docs/index.md:3:1: error: template syntax:") for m in found), found


def test_missing_partial_is_reported_at_the_include_line(labelled):
    labelled.page("One.\n\n{% include \"no-such-card.md\" %}\n")
    found = messages(labelled.check())
    assert any(m.startswith("docs/index.md:3:1: error: partial 'no-such-card.md'") for m in found), found


def test_a_partial_citing_an_unknown_key_fails_in_the_partial(labelled):
    (labelled.root / "includes").mkdir()
    (labelled.root / "includes" / "card.md").write_text("Intro.\n\nSee [@nosuchkey2020x].\n",
                                                       encoding="utf-8")
    found = messages(labelled.check())
    assert any(m.startswith("includes/card.md:3:") and "nosuchkey2020x" in m for m in found), found


def test_a_rate_without_its_source_fails_at_the_fact(labelled):
    text = label_text(labelled)
    write_label(labelled, text.replace("    ml_per_kg_min: 0.04\n    source: us\n",
                                       "    ml_per_kg_min: 0.04\n    source: nowhere\n"))
    found = messages(labelled.check())
    lines = text.splitlines()
    line = lines.index("    source: us", lines.index("  dm_max:")) + 1
    assert f"data/labels/octagam-10.yml:{line}:1: error: 'rates.dm_max' must name its source, one of: " + ", ".join(SOURCE_NAMES) \
        in found, found


def test_rates_out_of_order_fail(labelled):
    write_label(labelled, label_text(labelled).replace("ml_per_kg_min: 0.03", "ml_per_kg_min: 0.05"))
    assert any("initial <= at_risk_max <= dm_max" in m for m in messages(labelled.check()))


def test_a_value_without_a_unit_fails(labelled):
    text = label_text(labelled)
    write_label(labelled, text.replace("    value: 2\n    unit: g/kg\n", "    value: 2\n"))
    found = messages(labelled.check())
    assert any("'dose.per_cycle' must have a positive 'value' and a 'unit'" in m for m in found), found


def test_a_source_key_missing_from_the_store_fails(labelled):
    write_label(labelled, label_text(labelled).replace("key: octapharma2021smpc", "key: nosuch2021smpc"))
    found = messages(labelled.check())
    assert any("label source key 'nosuch2021smpc' is not in bib/" in m for m in found), found


def test_broken_yaml_is_reported_at_its_line(labelled):
    write_label(labelled, "product: x\nsources: [unclosed\n")
    found = messages(labelled.check())
    assert any(m.startswith("data/labels/octagam-10.yml:2:10:") and "not valid YAML" in m
               for m in found), found


# --- rates agree through the concentration; the dose unit; source check dates; the at-risk rule --

def test_a_mismatched_mg_ml_pair_fails_at_its_line(labelled):
    text = label_text(labelled)
    write_label(labelled, text.replace("    mg_per_kg_min: 4.0\n", "    mg_per_kg_min: 4.4\n"))
    found = messages(labelled.check())
    lines = text.splitlines()
    line = lines.index("    mg_per_kg_min: 4.0") + 1
    assert (f"data/labels/octagam-10.yml:{line}:1: error: 'rates.dm_max': 4.4 mg/kg/min is not "
            "0.04 mL/kg/min at 100 mg/mL") in "\n".join(found), found


def test_the_at_risk_pair_passes_only_as_a_documented_exception(labelled):
    text = label_text(labelled)
    start = text.index("    exception:\n")
    end = text.index("  itp_max:")
    write_label(labelled, text[:start] + text[end:])
    found = messages(labelled.check())
    assert any("'rates.at_risk_max': 3.3 mg/kg/min is not 0.03 mL/kg/min" in m for m in found), found


# One bad edit of the real label file each, and the message the checker must give.
LABEL_EDITS = [
    ("an exception on a pair that agrees", "    mg_per_kg_min: 3.3\n", "    mg_per_kg_min: 3.0\n",
     "'rates.at_risk_max' agrees through the concentration: remove its 'exception'"),
    ("a dose unit the calculator does not compute", "    value: 2\n    unit: g/kg\n",
     "    value: 2\n    unit: mg/kg\n", "'dose.per_cycle' must be in g/kg, the unit the calculator computes"),
    ("a source without a check date", "    checked: 2026-12-05\n", "",
     "source 'us' must have 'checked'"),
    ("an incomplete at-risk rule", "    counts_as_at_risk: false\n", "",
     "'at_risk.dm_alone' must have 'counts_as_at_risk'"),
]


@pytest.mark.parametrize("edit, old, new, message", LABEL_EDITS, ids=[e[0] for e in LABEL_EDITS])
def test_a_bad_label_edit_fails_with_its_message(labelled, edit, old, new, message):
    text = label_text(labelled)
    assert old in text
    write_label(labelled, text.replace(old, new, 1))
    found = messages(labelled.check())
    assert any(message in m for m in found), found


def test_a_source_unchecked_for_twelve_months_warns_and_the_build_goes_on():
    import datetime as dt

    from guide.sources import labels

    found, problems = labels.load(ROOT, on=dt.date(2027, 12, 6))
    assert "octagam" in found  # a warning does not stop the pages rendering
    stale = [p for p in problems if p.severity == "warning"]
    assert stale and all("more than 12 months ago" in p.message for p in stale)
    assert {p.message.split("'")[1] for p in stale} >= {"us", "us_current", "eu"}
    assert labels.load(ROOT, on=dt.date(2027, 11, 30))[1] == []


def test_page_rate_text_and_calculator_round_the_same_way():
    """77 kg at the at-risk ceiling is 138.6 mL/h exactly: rounding to a whole number would show
    139, above the ceiling; both the page text and the calculator floor to 0.1 mL/h."""
    from guide.sources import labels

    rate = labels.load(ROOT)[0]["octagam"].facts.rates.at_risk_max
    assert rate.ml_per_hour(77) == "138.6 mL/h"
    assert rate.ml_per_hour(70) == "126 mL/h"


def test_the_checker_warns_at_the_source_line_and_still_passes(labelled, monkeypatch):
    """A source last checked more than 12 months before the build date: a warning at its line,
    exit status 0 (the build goes on), nothing silently skipped."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1830000000")  # 2027-12-28
    run = labelled.cli("--check")
    lines = label_text(labelled).splitlines()
    line = lines.index("    key: fda2022octagam            # the citation key in bib/ (reference 115 of the review)")
    checked = next(i for i in range(line, len(lines)) if lines[i].startswith("    checked:")) + 1
    assert run.returncode == 0, run.stdout + run.stderr
    assert (f"data/labels/octagam-10.yml:{checked}:1: warning: source 'us' was last checked on "
            "2026-12-05, more than 12 months ago") in run.stdout + run.stderr
