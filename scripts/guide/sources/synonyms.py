"""The search synonyms (`data/search-synonyms.yml`): groups of words readers type for the same thing."""

from __future__ import annotations

from pathlib import Path

from . import yamlfile

SYNONYMS = Path("data") / "search-synonyms.yml"


def load(root: Path) -> list[list[str]]:
    """The synonym groups: a YAML list of lists of words. Raises yamlfile.Invalid with the line."""
    path = root / SYNONYMS
    if not path.exists():
        return []
    try:
        groups = yamlfile.load(path.read_text(encoding="utf-8")) or []
    except (OSError, UnicodeDecodeError) as exc:
        raise yamlfile.Invalid(1, 1, f"cannot read it: {exc}") from None
    if not isinstance(groups, list) or not all(
            isinstance(g, list) and all(isinstance(t, (str, int, float)) for t in g) for g in groups):
        raise yamlfile.Invalid(1, 1, "must be a list of groups, each a list of words")
    return [[str(term).lower() for term in group] for group in groups]
