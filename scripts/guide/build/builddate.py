"""The build's date (SOURCE_DATE_EPOCH): what the sitemap and every dated file say.

Two builds of one commit must give the same bytes, so the date is never "now": it is
SOURCE_DATE_EPOCH when set, else the last commit's time, else (no git metadata, e.g. a source
tarball) the newest `last_reviewed` of any page, with a warning. Never 1970.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

from ..report import Problem, error, warning
from ..sources.markdown import read_front_matter
from ..sources.where import first_line


def _git_time(root: Path) -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"],
                             capture_output=True, text=True, check=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return out if out.isdigit() and int(out) > 0 else None  # a repository with no commit: none


def _newest_review(root: Path) -> tuple[dt.date, str, int] | None:
    """The newest `last_reviewed` date of a page: (date, page, line)."""
    newest = None
    for path in sorted((root / "docs").rglob("*.md")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        meta, _ = read_front_matter(text)
        value = (meta or {}).get("last_reviewed")
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                continue
        if isinstance(value, dt.date) and (newest is None or value > newest[0]):
            line = first_line(text, lambda t: t.startswith("last_reviewed:"))
            newest = (value, str(path.relative_to(root)), line)
    return newest


def epoch(root: Path) -> tuple[str | None, list[Problem]]:
    """SOURCE_DATE_EPOCH for the build, and any warning or error about how it was found."""
    given = os.environ.get("SOURCE_DATE_EPOCH")
    if given is not None:
        if not given.isdigit():
            return None, [error("scripts/build.py", 1, 1, "SOURCE_DATE_EPOCH must be a whole number "
                                f"of seconds since 1970, not '{given}'", "build-date")]
        return given, []
    found = _git_time(root)
    if found:
        return found, []
    newest = _newest_review(root)
    if newest is None:
        return None, [error("scripts/build.py", 1, 1, "no git history and no page with a "
                            "'last_reviewed' date: set SOURCE_DATE_EPOCH to date the build", "build-date")]
    day, page, line = newest
    seconds = int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())
    return str(seconds), [warning(page, line, 1, f"no git history: the build is dated {day.isoformat()}, "
                                  "this page's last_reviewed (the newest); set SOURCE_DATE_EPOCH to "
                                  "choose the date", "build-date")]
