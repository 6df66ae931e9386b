"""Label facts (`data/labels/*.yml`): read once, checked, and handed to pages and the calculator.

Each file holds one product's label values with their units and sources. Pages see them as a
template variable named after the file (`octagam-10.yml` -> `octagam`); the infusion calculator
gets the same values as JSON written into the dosing page at build time.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup

from ..report import Problem, error, warning
from . import yamlfile

LABEL_DIR = Path("data") / "labels"


# --- reading YAML with line numbers ---------------------------------------------------------------

class Node(dict):
    """A YAML mapping that remembers the line of each key (1-based)."""

    line: int = 1
    lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


class _Loader(yamlfile.StrictLoader):
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> Node:
    yamlfile.StrictLoader.construct_mapping(loader, node, deep=True)  # refuses a repeated key
    result = Node()
    result.line = node.start_mark.line + 1
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


# --- what pages see -------------------------------------------------------------------------------

def _number(value: float, places: int) -> str:
    return f"{value:.{places}f}"


# One rounding rule for every figure a plan shows, the same in infusion-plan.js (floorTo):
# pump rates, amounts and volumes are rounded DOWN (rates to 0.1 mL/h), so no figure shown is
# ever above a ceiling or a dose; times are rounded UP to the whole minute. The small epsilon
# keeps an exact product (70 x 0.03 x 60 = 126) from dropping to 125.9 through binary noise.
def floor_to(value: float, places: int) -> float:
    scale = 10 ** places
    return math.floor(value * scale + 1e-9) / scale


def shown(value: float) -> str:
    """A figure as pages and the calculator print it: no trailing zeros, no float noise."""
    return f"{round(value, 6):g}"


@dataclass(frozen=True)
class Rate:
    """An infusion rate as the label pairs it: mg/kg/min and mL/kg/min."""

    mg_value: float
    ml_value: float
    exception: str = ""  # why the label's own pair disagrees, and which figure is used

    @property
    def mg(self) -> str:
        return f"{_number(self.mg_value, 1)} mg/kg/min"

    @property
    def ml(self) -> str:
        return f"{_number(self.ml_value, 2)} mL/kg/min"

    def ml_per_hour(self, weight_kg: float) -> str:
        """mL/h for a weight by the label's formula (kg x mL/kg/min x 60), rounded down to
        0.1 mL/h exactly as the calculator rounds it (see `floor_to`)."""
        return f"{shown(floor_to(weight_kg * self.ml_value * 60, 1))} mL/h"

    def __str__(self) -> str:
        return f"{self.mg} ({self.ml})"


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str
    text: str = ""

    def __str__(self) -> str:
        return f"{self.value:g} {self.unit}"


class Facts(dict):
    """A label's facts for templates: attribute access, rates and quantities made readable."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def _facts(value: Any) -> Any:
    if isinstance(value, dict):
        if "mg_per_kg_min" in value and "ml_per_kg_min" in value:
            exception = value.get("exception")
            return Rate(float(value["mg_per_kg_min"]), float(value["ml_per_kg_min"]),
                        str(exception.get("text", "")) if isinstance(exception, dict) else "")
        if "value" in value and "unit" in value:
            return Quantity(float(value["value"]), str(value["unit"]), str(value.get("text", "")))
        return Facts({k: _facts(v) for k, v in value.items()})
    if isinstance(value, list):
        return [_facts(v) for v in value]
    return value


@dataclass
class Label:
    name: str  # the template variable: octagam-10.yml -> octagam
    path: str
    data: Node
    facts: Facts = field(default_factory=Facts)

    def calculator_values(self) -> dict:
        """The numbers the infusion calculator needs, from this file only."""
        rates, steps, dose = self.data["rates"], self.data["steps"], self.data["dose"]
        sources, weight, risk = self.data["sources"], self.data["dosing_weight"], self.data["at_risk"]
        return {
            "product": self.data["product"],
            "labels": {k: f"{v['name']}, {v['version']}" for k, v in sources.items()},
            "checked": {k: str(v["checked"]) for k, v in sources.items()},
            "atRiskQuestion": risk["question"],
            "dmAloneAtRisk": risk["dm_alone"]["counts_as_at_risk"],
            "dmAloneRule": risk["dm_alone"]["rule"],
            "atRiskException": rates["at_risk_max"].get("exception", {}).get("text", ""),
            "vialSizesG": list(self.data["vials"]["sizes_g"]),
            "poolingHours": self.data["pooling"]["value"],
            "idealMaleKg": weight["ideal"]["male_kg"],
            "idealFemaleKg": weight["ideal"]["female_kg"],
            "idealKgPerInch": weight["ideal"]["kg_per_inch"],
            "idealFromInches": weight["ideal"]["from_inches"],
            "adjustedFactor": weight["adjusted"]["factor"],
            "minHeightCm": weight["min_height"]["value"],
            "bmiThreshold": weight["bmi_threshold"]["value"],
            "concentrationMgPerMl": self.data["concentration"]["value"],
            "dosePerCycleGPerKg": dose["per_cycle"]["value"],
            "doseUnit": dose["per_cycle"]["unit"],
            "daysMin": dose["days"]["min"],
            "daysMax": dose["days"]["max"],
            "intervalWeeks": dose["interval"]["value"],
            "initialMlPerKgMin": rates["initial"]["ml_per_kg_min"],
            "initialMgPerKgMin": rates["initial"]["mg_per_kg_min"],
            "dmMaxMlPerKgMin": rates["dm_max"]["ml_per_kg_min"],
            "dmMaxMgPerKgMin": rates["dm_max"]["mg_per_kg_min"],
            "atRiskMaxMlPerKgMin": rates["at_risk_max"]["ml_per_kg_min"],
            "atRiskMaxMgPerKgMin": rates["at_risk_max"]["mg_per_kg_min"],
            "initialHoldMin": steps["initial_hold"]["value"],
            "stepIntervalMin": steps["interval"]["value"],
            "stepFactor": steps["pattern"]["factor"],
        }

    def calculator_json(self) -> Markup:
        """The values as JSON safe inside <script type="application/json">: `<`, `>` and `&`
        written as \\u escapes, so no text in the data can close the element or open a comment."""
        text = json.dumps(self.calculator_values(), sort_keys=True)
        return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def variable_name(path: Path) -> str:
    """`octagam-10.yml` -> `octagam`: the product name without its strength."""
    return path.stem.split("-")[0].replace(".", "_")


def today() -> dt.date:
    """The date source checks are measured against: the build's date (SOURCE_DATE_EPOCH) if set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def load(root: Path, on: dt.date | None = None) -> tuple[dict[str, Label], list[Problem]]:
    labels: dict[str, Label] = {}
    named: dict[str, str] = {}  # variable name -> the file that took it
    problems: list[Problem] = []
    for path in sorted((root / LABEL_DIR).glob("*.y*ml")):
        shown = str(path.relative_to(root))
        if path.is_symlink() or not path.is_file():
            problems.append(error(shown, 1, 1, "label data must be a regular file, not a symlink",
                                  "label"))
            continue
        try:
            data = yamlfile.load(path.read_text(encoding="utf-8"), _Loader)
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(error(shown, 1, 1, f"cannot read label data: {exc}", "label"))
            continue
        except yamlfile.Invalid as exc:
            problems.append(error(shown, exc.line, exc.col, f"label data is not valid YAML: "
                                  f"{exc.message}", "label"))
            continue
        name = variable_name(path)
        if name in labels or name in named:
            first = labels[name].path if name in labels else named[name]
            problems.append(error(shown, 1, 1, f"a second label file for '{name}' (first: {first}); "
                                  "one file per product, each with its own name", "label"))
            continue
        named[name] = shown
        if not isinstance(data, Node):
            problems.append(error(shown, 1, 1, "label data must be a YAML mapping", "label"))
            continue
        found = list(check(shown, data, on or today()))
        problems += found
        if not any(p.severity == "error" for p in found):
            labels[variable_name(path)] = Label(variable_name(path), shown, data, _facts(data))
    return labels, problems


# --- what a label file must hold ----------------------------------------------------------------

RATE_NAMES = ("initial", "dm_max", "at_risk_max")
REQUIRED = {
    "product": str, "sources": dict, "concentration": dict, "dose": dict, "rates": dict,
    "steps": dict, "boxed_warning": dict, "contraindications": dict, "warnings": dict,
    "at_risk": dict, "dosing_weight": dict, "vials": dict, "pooling": dict,
}
# The unit of the dose the calculator computes (grams per kg of body weight, per cycle).
DOSE_UNIT = "g/kg"
# A source not checked for this many days makes the build warn.
STALE_AFTER_DAYS = 365


def _positive(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


def check(path: str, data: Node, on: dt.date | None = None):
    """A label file has every section, each fact a unit and a known source, and sane rates."""
    for name, kind in REQUIRED.items():
        if not isinstance(data.get(name), kind):
            yield error(path, data.line_of(name), 1,
                        f"label data must have '{name}' ({kind.__name__})", "label")
    if any(not isinstance(data.get(n), k) for n, k in REQUIRED.items()):
        return
    sources = data["sources"]
    for name, source in sources.items():
        if not isinstance(source, dict) or not all(
                isinstance(source.get(f), str) and source.get(f) for f in ("key", "name", "version")):
            yield error(path, sources.line_of(name), 1,
                        f"source '{name}' must have 'key' (a bib key), 'name' and 'version'", "label")
            continue
        yield from _source_checked(path, name, source, on or today())
    yield from _facts_cited(path, data, sources)
    yield from _rates_sane(path, data)
    yield from _rates_agree(path, data)
    yield from _rules_sane(path, data)
    unit = data["dose"].get("per_cycle", {}).get("unit") if isinstance(
        data["dose"].get("per_cycle"), dict) else None
    if unit != DOSE_UNIT:
        yield error(path, data["dose"].line_of("per_cycle"), 1,
                    f"'dose.per_cycle' must be in {DOSE_UNIT}, the unit the calculator computes "
                    f"(found {unit!r})", "label")
    for section, field_name, what in (("concentration", "value", "a positive number"),
                                      ("dose", "per_cycle", "a mapping")):
        if field_name not in data[section]:
            yield error(path, data[section].line, 1, f"'{section}' must have '{field_name}' "
                        f"({what})", "label")
    days = data["dose"].get("days")
    if not (isinstance(days, dict) and isinstance(days.get("min"), int)
            and isinstance(days.get("max"), int) and 1 <= days["min"] <= days["max"]):
        yield error(path, data["dose"].line_of("days"), 1,
                    "'dose.days' must have integer 'min' <= 'max'", "label")
    for name in ("initial_hold", "interval"):
        step = data["steps"].get(name)
        if not (isinstance(step, dict) and _positive(step.get("value")) and step.get("unit") == "min"):
            yield error(path, data["steps"].line_of(name), 1,
                        f"'steps.{name}' must have a positive 'value' and unit 'min'", "label")
    factor = data["steps"].get("pattern", {}).get("factor") if isinstance(
        data["steps"].get("pattern"), dict) else None
    if not (_positive(factor) and factor > 1):
        yield error(path, data["steps"].line_of("pattern"), 1,
                    "'steps.pattern.factor' must be a number above 1", "label")


def _source_checked(path: str, name: str, source: Node, on: dt.date):
    """Each source says when an editor last read it against this file; a year is the limit."""
    checked = source.get("checked")
    if isinstance(checked, str):  # a YAML reader that keeps dates as text
        try:
            checked = dt.date.fromisoformat(checked)
        except ValueError:
            checked = None
    line = source.line_of("checked") if "checked" in source else source.line
    if not isinstance(checked, dt.date):
        yield error(path, line, 1, f"source '{name}' must have 'checked' (the date an editor last "
                    "read it against this file, YYYY-MM-DD)", "label")
    elif (on - checked).days > STALE_AFTER_DAYS:
        yield warning(path, line, 1, f"source '{name}' was last checked on {checked}, more than "
                      "12 months ago: read it again and update the data and 'checked'", "label")


def _rates_agree(path: str, data: Node):
    """mg/kg/min = mL/kg/min x concentration for every pair, unless the pair is a documented
    exception (the label itself prints it inconsistently) that names the figure used."""
    concentration = data["concentration"].get("value")
    if not _positive(concentration):
        return
    for name, rate in data["rates"].items():
        if not (isinstance(rate, Node) and _positive(rate.get("mg_per_kg_min"))
                and _positive(rate.get("ml_per_kg_min"))):
            continue
        agrees = math.isclose(rate["ml_per_kg_min"] * concentration, rate["mg_per_kg_min"],
                              rel_tol=1e-9, abs_tol=1e-9)
        exception = rate.get("exception")
        if agrees and exception is not None:
            yield error(path, rate.line_of("exception"), 1, f"'rates.{name}' agrees through the "
                        "concentration: remove its 'exception'", "label")
        elif not agrees and exception is None:
            yield error(path, rate.line_of("mg_per_kg_min"), 1,
                        f"'rates.{name}': {rate['mg_per_kg_min']:g} mg/kg/min is not "
                        f"{rate['ml_per_kg_min']:g} mL/kg/min at {concentration:g} mg/mL; fix the "
                        "pair, or document the label's own inconsistency under 'exception'", "label")
        elif not agrees and not (isinstance(exception, Node)
                                 and exception.get("uses") in ("ml_per_kg_min", "mg_per_kg_min")
                                 and str(exception.get("text", "")).strip()):
            yield error(path, rate.line_of("exception"), 1, f"'rates.{name}.exception' must have "
                        "'uses' (ml_per_kg_min or mg_per_kg_min) and 'text' (why)", "label")


def _rules_sane(path: str, data: Node):
    """The at-risk rule, the dosing-weight rules and the vial sizes have what pages need."""
    risk = data["at_risk"]
    dm_alone = risk.get("dm_alone")
    if not (isinstance(dm_alone, Node) and isinstance(dm_alone.get("counts_as_at_risk"), bool)
            and str(dm_alone.get("rule", "")).strip() and str(dm_alone.get("editors_view", "")).strip()
            and isinstance(dm_alone.get("sources_differ"), Node)):
        yield error(path, risk.line_of("dm_alone"), 1, "'at_risk.dm_alone' must have "
                    "'counts_as_at_risk' (true/false), 'rule', 'sources_differ' and 'editors_view'",
                    "label")
    if not str(risk.get("question", "")).strip():
        yield error(path, risk.line, 1, "'at_risk' must have 'question'", "label")
    sizes = data["vials"].get("sizes_g")
    if not (isinstance(sizes, list) and sizes and all(_positive(s) for s in sizes)):
        yield error(path, data["vials"].line_of("sizes_g"), 1,
                    "'vials.sizes_g' must be a list of positive numbers (grams)", "label")
    weight = data["dosing_weight"]
    for name, fields in (("ideal", ("male_kg", "female_kg", "kg_per_inch", "from_inches")),
                         ("adjusted", ("factor",)), ("min_height", ("value",)),
                         ("bmi_threshold", ("value",))):
        node = weight.get(name)
        if not (isinstance(node, Node) and all(_positive(node.get(f)) for f in fields)):
            yield error(path, weight.line_of(name), 1, f"'dosing_weight.{name}' must have positive "
                        + ", ".join(f"'{f}'" for f in fields), "label")


def _facts_cited(path: str, node: Any, sources: dict, trail: str = "", line: int = 1):
    """Every mapping that carries a value says where it comes from (`source` and `where`)."""
    if not isinstance(node, Node) or node is sources:
        return
    carries = any(k in node for k in ("value", "mg_per_kg_min", "text", "entries", "min", "factor",
                                      "sizes_g", "rule"))
    if carries and trail:
        if node.get("source") not in sources:
            yield error(path, node.line_of("source") if "source" in node else line, 1,
                        f"'{trail}' must name its source, one of: " + ", ".join(sources), "label")
        if not str(node.get("where", "")).strip():
            yield error(path, line, 1, f"'{trail}' must say 'where' in the label it comes from",
                        "label")
        if "value" in node and not (_positive(node["value"]) and str(node.get("unit", "")).strip()):
            yield error(path, node.line_of("value"), 1,
                        f"'{trail}' must have a positive 'value' and a 'unit'", "label")
    for key, value in node.items():
        if isinstance(value, Node) and key not in ("sources", "exception"):
            yield from _facts_cited(path, value, sources, f"{trail}.{key}" if trail else key,
                                    node.line_of(key))


def _rates_sane(path: str, data: Node):
    """Both numbers of each rate are positive, and start <= at-risk ceiling <= DM ceiling."""
    rates = data["rates"]
    values = {}
    for name in RATE_NAMES:
        rate = rates.get(name)
        if not (isinstance(rate, dict) and _positive(rate.get("mg_per_kg_min"))
                and _positive(rate.get("ml_per_kg_min"))):
            yield error(path, rates.line_of(name), 1, f"'rates.{name}' must have positive "
                        "'mg_per_kg_min' and 'ml_per_kg_min'", "label")
            continue
        values[name] = rate["ml_per_kg_min"]
    if len(values) == len(RATE_NAMES) and not (
            values["initial"] <= values["at_risk_max"] <= values["dm_max"]):
        yield error(path, rates.line, 1, "rates must satisfy initial <= at_risk_max <= dm_max "
                    "(mL/kg/min)", "label")


def known_rates(labels: dict[str, Label]) -> dict[str, list[float]]:
    """Every rate the label data holds, per kg per minute: {'mg': [...], 'ml': [...]}, with each
    mL figure's mg equivalent through the concentration (a page may show that conversion)."""
    known: dict[str, list[float]] = {"mg": [], "ml": []}
    for label in labels.values():
        concentration = label.data["concentration"].get("value")
        for rate in label.data["rates"].values():
            if not isinstance(rate, dict):
                continue
            mg, ml = rate.get("mg_per_kg_min"), rate.get("ml_per_kg_min")
            known["mg"] += [float(mg)] if _positive(mg) else []
            known["ml"] += [float(ml)] if _positive(ml) else []
            if _positive(ml) and _positive(concentration):
                known["mg"].append(round(float(ml) * float(concentration), 9))
    return known


def source_keys(labels: dict[str, Label]) -> list[tuple[str, int, str]]:
    """(path, line, key) of every bib key a label file names, for the citation check."""
    return [(label.path, source.line_of("key"), source["key"])
            for label in labels.values() for source in label.data["sources"].values()]
