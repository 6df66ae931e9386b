"""Study facts in the store: `participants`, `studies`, `conditions`, `intervention`, `parent`,
`editorial`.

A secondary, post hoc, safety or extension analysis of a trial is its own entry (design
`trial-analysis`) whose `parent` names the trial's key: its design, patients and conditions stay
with it, where they were seen, and counting "randomised trials" counts each trial once.
`editorial = {doubtful}` marks a venue of doubtful editorial quality.

One place for reading them, shared by the checker's rules and the evidence figures; their words
are in vocabulary.py. A value that does not read cleanly is None here; rules.study_facts_valid
reports it at its line.
"""

from __future__ import annotations

import re

from . import vocabulary
from .bib import Entry

COUNT_FIELDS = ("participants", "studies")

COUNT = re.compile(r"^[1-9]\d*$")


def count(entry: Entry, name: str) -> int | None:
    raw = entry.get(name).strip()
    return int(raw) if COUNT.match(raw) else None


def conditions(entry: Entry) -> list[str]:
    """The entry's conditions in vocabulary order, unknown words left out."""
    given = {c.strip() for c in entry.get("conditions").split(",")}
    return [c for c in vocabulary.CONDITION_VALUES if c in given]


def split_conditions(raw: str) -> list[str]:
    return [c.strip() for c in raw.split(",")]


def parent(entry: Entry) -> str:
    """The key of the trial this entry analyses ('' for a study of its own)."""
    return entry.get("parent").strip()


def doubtful_venue(entry: Entry) -> bool:
    return entry.get("editorial").strip() == "doubtful"
