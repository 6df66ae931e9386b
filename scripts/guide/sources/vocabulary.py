"""The study vocabulary, in one place: designs, the figure's design groups, conditions, and the
words readers see for each.

Add a design or a condition here and nowhere else: the checker accepts it, the evidence figures
draw and label it, and CONTRIBUTING's tables are made from it (`contributing_design_table`,
`conditions_list`; tests/test_vocabulary.py keeps CONTRIBUTING.md in step and proves the claim).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Group:
    """A design group of the evidence figures: one marker shape, one legend line."""

    id: str  # also the marker's CSS class, ev-<id>
    legend: str
    shape: str  # a shape evidence_figure.shape_path draws


@dataclass(frozen=True)
class Design:
    """A value of an entry's `design` field."""

    value: str
    label: str  # what readers see: the References page and every evidence table
    group: str | None = None  # its figure group; None: not a study (no patients, never drawn)
    note: str = ""  # what CONTRIBUTING adds after the label


@dataclass(frozen=True)
class Condition:
    value: str  # as written in `conditions` and in a chapter's `covers`
    label: str  # the figure's row and table


# Legend order; randomised trials are drawn on top.
GROUPS = (
    Group("rct", "Randomised trial", "diamond"),
    Group("analysis", "Secondary analysis of a trial", "diamond"),
    Group("synthesis", "Meta-analysis or systematic review", "square"),
    Group("open", "Open-label study", "triangle"),
    Group("cohort", "Observational or retrospective", "circle"),
    Group("case", "Case report, letter or abstract", "plus"),
    Group("other", "Laboratory, economic or not verified", "down"),
)

# The order in which the checker lists the accepted values.
DESIGNS = (
    Design("rct", "Randomised controlled trial", "rct"),
    # A post hoc, secondary, safety or extension analysis of a trial: it names the trial in `parent`.
    Design("trial-analysis", "Secondary analysis of a trial", "analysis", "(needs `parent`)"),
    Design("protocol", "Trial protocol"),
    Design("meta-analysis", "Systematic review and meta-analysis", "synthesis"),
    Design("systematic-review", "Systematic review", "synthesis"),
    Design("open-label", "Open-label study", "open"),
    Design("observational", "Observational study", "cohort"),
    Design("retrospective", "Retrospective series", "cohort"),
    Design("case-series", "Case series", "cohort"),
    Design("case-report", "Case report", "case"),
    Design("letter", "Letter", "case"),
    Design("conference-abstract", "Conference abstract", "case"),
    Design("review", "Narrative review"),
    Design("laboratory", "Laboratory study", "other"),
    Design("economic", "Economic analysis", "other"),
    Design("book", "Book"),
    Design("guideline", "Guideline or consensus"),
    Design("label", "Product label"),
    Design("registration", "Trial registration"),
    Design("news", "News report"),
    # No abstract or full text could be read: the design is not asserted.
    Design("not-verified", "Design not verified", "other", "(no abstract or full text could be read)"),
)

# Figure rows, top to bottom; also the order the checker lists them in.
CONDITIONS = (
    Condition("DM", "DM"),
    Condition("PM", "PM"),
    Condition("IMNM", "IMNM"),
    Condition("IBM", "IBM"),
    Condition("JDM", "Juvenile DM"),
    Condition("ILD", "ILD"),
    Condition("dysphagia", "Dysphagia"),
    Condition("calcinosis", "Calcinosis"),
    Condition("pregnancy", "Pregnancy"),
    Condition("mixed-IIM", "Mixed IIM"),
    Condition("other", "Other"),
)

INTERVENTIONS = ("IVIG", "SCIG", "both", "none")
EDITORIAL = ("doubtful",)  # `editorial = {doubtful}`: a venue of doubtful editorial quality
ANALYSIS = "trial-analysis"  # the design of an entry with a `parent`
SYNTHESIS = "synthesis"  # the group whose `studies` count is allowed

# The lookups the rest of the package uses, all made from the tables above.
DESIGN_LABELS = {d.value: d.label for d in DESIGNS}
# Designs that report patients: primary studies and syntheses. Evidence-table Patients (n)
# cells of other designs (reviews, labels, guidance, registrations ...) are not compared.
STUDY_DESIGNS = tuple(d.value for d in DESIGNS if d.group)
SYNTHESES = tuple(d.value for d in DESIGNS if d.group == SYNTHESIS)
GROUP_OF = {d.value: d.group for d in DESIGNS if d.group}
CONDITION_VALUES = tuple(c.value for c in CONDITIONS)
CONDITION_LABELS = {c.value: c.label for c in CONDITIONS}


def contributing_design_table() -> str:
    """CONTRIBUTING.md's "Study design labels" table."""
    rows = [f"| `{d.value}` | {d.label}{' ' + d.note if d.note else ''} |" for d in DESIGNS]
    return "\n".join(["| `design` | Label |", "|---|---|", *rows])


def conditions_list() -> str:
    """The conditions as CONTRIBUTING.md's "Add a reference" lists them."""
    return ", ".join(CONDITION_VALUES)
