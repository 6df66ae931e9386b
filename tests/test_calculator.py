"""The infusion calculator's arithmetic (Node's test runner over tests/js/) and its agreement with
the worked example that the dosing page renders from the same label data."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

PLAN_JS = ROOT / "docs" / "assets" / "javascripts" / "infusion-plan.js"


def node_path() -> str:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        message = "Node.js not found (apt-get install nodejs)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return node


@pytest.fixture(scope="module")
def label_json(tmp_path_factory) -> Path:
    from guide.sources import labels

    found, problems = labels.load(ROOT)
    assert problems == []
    path = tmp_path_factory.mktemp("label") / "octagam.json"
    path.write_text(found["octagam"].calculator_json(), encoding="utf-8")
    return path


def test_node_tests_of_the_arithmetic_pass(label_json):
    run = subprocess.run([node_path(), "--test", str(ROOT / "tests" / "js")], capture_output=True,
                         text=True, timeout=120, env=dict(os.environ, LABEL_JSON=str(label_json)))
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert re.search(r"^# pass (\d+)", run.stdout, re.MULTILINE).group(1) != "0"


BASE = {"height": "175", "sex": "male", "doseBasis": "cycle", "atRisk": "no", "dose": "2"}


def run_plan(label_json: Path, raw: dict) -> dict:
    raw = {**BASE, **raw}
    script = ("const p = require(process.argv[1]); const l = require(process.argv[2]);"
              "console.log(JSON.stringify(p.calculate(JSON.parse(process.argv[3]), l)));")
    out = subprocess.run([node_path(), "-e", script, str(PLAN_JS), str(label_json), json.dumps(raw)],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    return json.loads(out)


def test_worked_example_on_the_page_is_what_the_calculator_gives(built, label_json):
    text = (built / "site" / "practice" / "dosing-administration" / "index.html").read_text(
        encoding="utf-8")
    example = text[text.index('id="worked-example-infusion-rate"'):text.index('id="tapering-and-stopping"')]
    shown = [float(x) for x in re.findall(r"<strong>([\d.]+) mL/h</strong>", example)]
    dm = run_plan(label_json, {"weight": "70", "days": "2"})["plan"]
    risk = run_plan(label_json, {"weight": "70", "days": "2", "atRisk": "yes"})["plan"]
    assert shown == [dm["steps"][0]["mlPerHour"], dm["steps"][-1]["mlPerHour"],
                     risk["steps"][-1]["mlPerHour"]]
    assert shown == [42, 168, 126]  # the worked example: a change in the data shows here
    assert f"<strong>{dm['perDayMl']:g} mL</strong>" in example
    assert f"<strong>{dm['totalG']:g} g</strong>" in example


def test_calculator_page_carries_the_label_values_from_the_data_file(built):
    from guide.sources import labels

    text = (built / "site" / "practice" / "dosing-administration" / "index.html").read_text(
        encoding="utf-8")
    found = re.search(r'<script type="application/json" id="infusion-label">(.*?)</script>', text)
    assert found, "the dosing page must carry the calculator's label values"
    values = json.loads(found.group(1))
    assert values == labels.load(ROOT)[0]["octagam"].calculator_values()


def test_page_text_and_calculator_round_every_whole_weight_the_same_way(label_json):
    """One rounding rule: the Python that writes page text (labels.Rate.ml_per_hour) and the
    calculator's JavaScript give the same mL/h for every rate at every whole weight 30-250 kg,
    both as the bare formula and as the plan's own step table."""
    from guide.sources import labels

    label = labels.load(ROOT)[0]["octagam"]
    rates = {name: label.facts.rates[name] for name in ("initial", "dm_max", "at_risk_max")}
    script = ("const p = require(process.argv[1]); const l = require(process.argv[2]);"
              "const rates = JSON.parse(process.argv[3]); const out = {};"
              "for (let w = 30; w <= 250; w += 1) { out[w] = {};"
              " for (const [n, r] of Object.entries(rates)) out[w][n] = p.mlPerHour(w, r);"
              " const base = {weight: String(w), days: '2', dose: '2', doseBasis: 'cycle',"
              "  height: '175', sex: 'male', basis: 'actual', weightConfirmed: true};"
              " const dm = p.calculate(Object.assign({atRisk: 'no'}, base), l).plan;"
              " const risk = p.calculate(Object.assign({atRisk: 'yes'}, base), l).plan;"
              " out[w].planStart = dm.steps[0].mlPerHour; out[w].planDm = dm.steps.at(-1).mlPerHour;"
              " out[w].planRisk = risk.steps.at(-1).mlPerHour; }"
              "console.log(JSON.stringify(out));")
    ml = {name: rate.ml_value for name, rate in rates.items()}
    out = json.loads(subprocess.run(
        [node_path(), "-e", script, str(PLAN_JS), str(label_json), json.dumps(ml)],
        capture_output=True, text=True, timeout=60, check=True).stdout)
    mismatches = []
    for weight in range(30, 251):
        js = out[str(weight)]
        for name, rate in rates.items():
            if rate.ml_per_hour(weight) != f"{labels.shown(js[name])} mL/h":
                mismatches.append((weight, name, rate.ml_per_hour(weight), js[name]))
        for key, name in (("planStart", "initial"), ("planDm", "dm_max"), ("planRisk", "at_risk_max")):
            if rates[name].ml_per_hour(weight) != f"{labels.shown(js[key])} mL/h":
                mismatches.append((weight, key, rates[name].ml_per_hour(weight), js[key]))
        assert js["at_risk_max"] <= weight * ml["at_risk_max"] * 60 + 1e-9
    assert mismatches == []
    assert out["77"]["at_risk_max"] == 138.6


# --- one at-risk rule everywhere ---------------------------------------------------------------

DM_ALONE = re.compile(r"\b(?:DM|dermatomyositis)\s+(?:itself|alone|on its own)\b", re.IGNORECASE)
# Uses of the words that are not about risk (the trials' populations).
NOT_ABOUT_RISK = ("trials were in DM alone",)


def page_text(html: str) -> str:
    """A built page's reading text: scripts and tags out, entities decoded, spaces collapsed."""
    import html as html_lib

    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", "", html)))


def rule_spans(label) -> list[str]:
    """The only texts allowed to speak of DM on its own: the rule, its sources, the editors'
    view and the rule's own headings, all rendered from the label data."""
    dm = label.facts.at_risk.dm_alone
    return [dm.rule, dm.sources_differ.us.text, dm.sources_differ.ch.text, dm.editors_view,
            "rule for DM on its own", "DM on its own: the guide's rule"]


def test_every_page_and_the_calculator_state_the_same_at_risk_rule(built):
    """No built page lists DM as an at-risk factor in words of its own: each mention of DM on its
    own sits inside the rule rendered from the label data, and the checklist, the rate card on
    every page that carries it, the calculator's question and its JSON all state that rule."""
    from guide.sources import labels

    label = labels.load(ROOT)[0]["octagam"]
    rule = label.facts.at_risk.dm_alone.rule
    allowed = rule_spans(label)
    strays, with_card = [], []
    for path in sorted((built / "site").rglob("*.html")):
        text = page_text(path.read_text(encoding="utf-8"))
        covered = [(m.start(), m.end()) for span in allowed for m in re.finditer(re.escape(span), text)]
        for match in DM_ALONE.finditer(text):
            context = text[max(0, match.start() - 30):match.end() + 30]
            if any(phrase in context for phrase in NOT_ABOUT_RISK):
                continue
            if not any(start <= match.start() and match.end() <= end for start, end in covered):
                strays.append(f"{path.relative_to(built)}: ...{context}...")
        if "Infusion rates: Octagam 10% in adult DM" in text:
            with_card.append(path)
            assert rule in text, f"{path.relative_to(built)}: the rate card must state the rule"
    assert strays == [], "\n".join(strays)
    assert len(with_card) >= 8  # Dosing, Safety, the disease and special-situation pages

    dosing = (built / "site" / "practice" / "dosing-administration" / "index.html").read_text(
        encoding="utf-8")
    checklist = page_text(dosing[dosing.index('id="pre-infusion-checklist"'):dosing.index('id="monitoring"')])
    assert rule in checklist
    calculator = page_text(dosing[dosing.index('class="infusion-calculator"'):dosing.index('class="calc-result"')])
    assert rule in calculator and label.facts.at_risk.question in calculator
    values = json.loads(re.search(r'id="infusion-label">(.*?)</script>', dosing).group(1))
    assert values["dmAloneRule"] == rule
    assert values["dmAloneAtRisk"] is label.data["at_risk"]["dm_alone"]["counts_as_at_risk"] is False


def test_the_rule_check_catches_a_page_that_lists_dm_as_a_risk_factor(built):
    """The check above can fail: the old checklist row, which listed DM itself among the
    thrombosis risk factors, is caught."""
    from guide.sources import labels

    label = labels.load(ROOT)[0]["octagam"]
    text = page_text("<td>Thrombosis risk factors: older age, estrogen use; and DM itself "
                     "(see the rate card)</td><td>any of these sets the at-risk ceiling</td>")
    covered = [(m.start(), m.end()) for span in rule_spans(label)
               for m in re.finditer(re.escape(span), text)]
    found = [m for m in DM_ALONE.finditer(text)
             if not any(s <= m.start() and m.end() <= e for s, e in covered)]
    assert len(found) == 1
