"""The guide's release: its version and date (from data/changes.yml), and the offline download.

The first entry of data/changes.yml is the current release. Its version names the offline zip
and is shown on every page; CITATION.cff must carry the same version and date. The download
facts (file name, size, SHA-256) are measured from the zip once it is built, and reach the
hosted build in its MkDocs config (guide/mkdocs/guide_build.Settings), so the page shows the
checksum of the very file it links.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..report import Problem, error
from . import yamlfile
from .where import first_line

CHANGES = Path("data") / "changes.yml"
CITATION = Path("CITATION.cff")
BUNDLE_NAME = "ivig-iim-guide"
DOWNLOAD_DIR = "downloads"
# A version names the zip and folders: digits and dots only, so it can never be a path ("../").
VERSION = re.compile(r"[0-9]{1,4}(\.[0-9]{1,4}){1,3}")


@dataclass(frozen=True)
class Release:
    version: str
    date: str  # ISO date
    changes: tuple[dict, ...]

    @property
    def bundle_stem(self) -> str:
        return f"{BUNDLE_NAME}-offline-{self.version}"

    @property
    def pdf_name(self) -> str:
        return f"{BUNDLE_NAME}-{self.version}.pdf"


@dataclass(frozen=True)
class Download:
    filename: str
    size_bytes: int
    sha256: str

    @property
    def size(self) -> str:
        return f"{self.size_bytes / 1_000_000:.1f} MB"

    @property
    def path(self) -> str:
        return f"{DOWNLOAD_DIR}/{self.filename}"


def load(root: Path) -> tuple[Release | None, list[Problem]]:
    """The current release from data/changes.yml, or problems saying what must be true."""
    path, shown = root / CHANGES, str(CHANGES)
    try:
        text = path.read_text(encoding="utf-8")
        entries = yamlfile.load(text)
    except FileNotFoundError:
        return None, []  # a repository without releases (the checker's own test fixtures)
    except (OSError, UnicodeDecodeError) as exc:
        return None, [error(shown, 1, 1, f"cannot read the change list: {exc}", "release")]
    except yamlfile.Invalid as exc:
        return None, [error(shown, exc.line, exc.col, f"change list is not valid YAML: {exc.message}",
                            "release")]
    problems = []
    if not isinstance(entries, list) or not entries:
        return None, [error(shown, 1, 1, "the change list must be a YAML list of releases", "release")]
    for entry in entries:
        where = first_line(text, f'"{entry.get("version")}"') if isinstance(entry, dict) else 1
        if not (isinstance(entry, dict) and isinstance(entry.get("version"), str)
                and isinstance(entry.get("date"), dt.date) and isinstance(entry.get("changes"), list)
                and entry["changes"] and all(isinstance(c, str) and c.strip() for c in entry["changes"])):
            problems.append(error(shown, where, 1, "each release needs a quoted 'version', a 'date' "
                                  "(YYYY-MM-DD) and a non-empty list of 'changes'", "release"))
        elif not VERSION.fullmatch(entry["version"]):
            problems.append(error(shown, where, 1, f"version '{entry['version']}' must be numbers "
                                  "joined by dots (YYYY.MM or YYYY.MM.N)", "release"))
    for entry in entries if not problems else []:
        problems += clinical_problems(entry.get("clinical"), text, shown, root)
    if problems:
        return None, problems
    dates = [e["date"] for e in entries]
    if dates != sorted(dates, reverse=True):
        problems.append(error(shown, 1, 1, "releases must be listed newest first", "release"))
    first = entries[0]
    release = Release(first["version"], first["date"].isoformat(),
                      tuple({"version": e["version"], "date": e["date"].isoformat(),
                             "changes": list(e["changes"]), "clinical": list(e.get("clinical") or [])}
                            for e in entries))
    return release, problems


CLINICAL_FIELDS = ("page", "where", "before", "now")
PAGE_PATH = re.compile(r"^[a-z0-9-]+(/[a-z0-9-]+)*\.md$")


def clinical_problems(items, text: str, shown: str, root: Path) -> list[Problem]:
    """A release's clinical changes, for What's new: each names the page (a file in docs/), the
    place on it, and what it said before and says now, so a reader of an older copy can act."""
    if items is None:
        return []
    if not isinstance(items, list):
        return [error(shown, 1, 1, "'clinical' must be a list of changes", "release")]
    problems = []
    for item in items:
        ok = isinstance(item, dict) and all(isinstance(item.get(f), str) and item[f].strip()
                                            for f in CLINICAL_FIELDS)
        where = first_line(text, str(item.get("where"))) if isinstance(item, dict) else 1
        if not ok:
            problems.append(error(shown, where, 1, "each clinical change needs 'page', 'where', "
                                  "'before' and 'now' (text)", "release"))
        elif not PAGE_PATH.match(item["page"]) or not (root / "docs" / item["page"]).is_file():
            problems.append(error(shown, first_line(text, item["page"]), 1, f"clinical change: no page "
                                  f"docs/{item['page']}", "release"))
    return problems


def citation_matches(root: Path, release: Release):
    """CITATION.cff carries the current release's version and date."""
    path = root / CITATION
    if not path.exists():
        return
    try:
        text = path.read_text(encoding="utf-8")
        data = yamlfile.load(text) or {}
    except (OSError, UnicodeDecodeError) as exc:
        yield error(str(CITATION), 1, 1, f"cannot read CITATION.cff: {exc}", "release")
        return
    except yamlfile.Invalid as exc:
        yield error(str(CITATION), exc.line, exc.col, f"CITATION.cff is not valid YAML: {exc.message}",
                    "release")
        return
    if not isinstance(data, dict):
        yield error(str(CITATION), 1, 1, "CITATION.cff must be a YAML mapping", "release")
        return
    for field, expected in (("version", release.version), ("date-released", release.date)):
        shown = str(data.get(field, ""))
        if shown != expected:
            yield error(str(CITATION), first_line(text, f"{field}:"), 1,
                        f"'{field}' must be '{expected}', as in data/changes.yml (is '{shown}')", "release")


def measure(zip_path: Path) -> Download:
    digest = hashlib.sha256()
    with zip_path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return Download(zip_path.name, zip_path.stat().st_size, digest.hexdigest())


def template_values(release: Release | None, offline: bool, site_url: str,
                    download: Download | None, pdf: Download | None = None) -> dict:
    """What pages and templates see: `release`, `download` and `pdf` (hosted build only),
    `offline` and `site_url` (where the current version lives)."""
    return {"release": release, "download": None if offline else download,
            "pdf": None if offline else pdf, "offline": offline, "site_url": site_url}
