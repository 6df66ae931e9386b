"""Study facts in the store: `participants`, `studies`, `conditions`, `intervention`.

One place for their vocabulary and for reading them, shared by the checker's rules and the
evidence figures. A value that does not read cleanly is None here; rules.study_facts_valid
reports it at its line.
"""

from __future__ import annotations

import re

from .bib import Entry

CONDITIONS = ("DM", "PM", "IMNM", "IBM", "JDM", "ILD", "dysphagia", "calcinosis", "pregnancy",
              "mixed-IIM", "other")
INTERVENTIONS = ("IVIG", "SCIG", "both", "none")
COUNT_FIELDS = ("participants", "studies")
# Designs that report patients: primary studies and syntheses. Evidence-table Patients (n)
# cells of other designs (reviews, labels, guidance, registrations ...) are not compared.
STUDY_DESIGNS = ("rct", "open-label", "observational", "retrospective", "case-series", "case-report",
                 "letter", "conference-abstract", "meta-analysis", "systematic-review", "laboratory",
                 "economic", "not-verified")
SYNTHESES = ("meta-analysis", "systematic-review")

COUNT = re.compile(r"^[1-9]\d*$")


def count(entry: Entry, name: str) -> int | None:
    raw = entry.get(name).strip()
    return int(raw) if COUNT.match(raw) else None


def conditions(entry: Entry) -> list[str]:
    """The entry's conditions in vocabulary order, unknown words left out."""
    given = {c.strip() for c in entry.get("conditions").split(",")}
    return [c for c in CONDITIONS if c in given]


def split_conditions(raw: str) -> list[str]:
    return [c.strip() for c in raw.split(",")]
