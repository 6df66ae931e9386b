"""Reading the BibTeX store (`bib/*.bib`) into plain Entry records.

bibtexparser 2 does the parsing; this module only keeps what the rules and the renderer need:
the key, type, fields, and where each entry and field starts (1-based lines), plus the blocks
that failed to parse so the checker can point at them.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
from bibtexparser import model

# bibtexparser logs every failed block itself; the checker reports them as problems instead.
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)


@dataclass(frozen=True)
class Entry:
    key: str
    type: str
    fields: dict[str, str]
    path: str
    line: int
    field_lines: dict[str, int] = field(default_factory=dict)

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)

    def line_of(self, name: str) -> int:
        return self.field_lines.get(name, self.line)

    @property
    def number(self) -> int | None:
        """The reference's number: its number in the review, or the guide's own for additions."""
        raw = self.fields.get("reviewref") or self.fields.get("guideref") or ""
        return int(raw) if raw.strip().isdigit() else None


@dataclass(frozen=True)
class Failure:
    """A block bibtexparser could not read, or a key it saw twice in one file."""

    path: str
    line: int
    message: str


@dataclass
class Store:
    entries: list[Entry] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def by_key(self) -> dict[str, Entry]:
        """First definition wins; duplicates are the checker's business."""
        keys: dict[str, Entry] = {}
        for entry in self.entries:
            keys.setdefault(entry.key, entry)
        return keys


_ABORTED_AT = re.compile(r"aborted on line (\d+)")


def _failure_message(block: model.Block) -> str:
    if isinstance(block, model.DuplicateBlockKeyBlock):
        return f"duplicate key '{block.key}' in the same file"
    text = str(getattr(block, "error", "") or "")
    first = block.raw.strip().splitlines()[0][:60] if block.raw.strip() else ""
    detail = text.split("due to syntactical error in bibtex:")[-1].strip().replace("\n", " ")
    stop = _ABORTED_AT.search(text)
    where = f" (parsing stopped at line {int(stop.group(1)) + 1})" if stop else ""
    return f"BibTeX syntax error in entry starting '{first}'{where}: {detail or 'cannot parse'}"


# Parsed .bib files are kept here (under the repository root), by content hash, for the next
# check or build.
CACHE_DIR = ".cache/bib"

# Bump when Entry, Failure or the parse below change: old cache files are then ignored.
CACHE_VERSION = f"1-{bibtexparser.__version__}"


def load_file(path: Path, display: str | None = None, cache: Path | None = None) -> Store:
    """Parse one .bib file. With `cache`, a parse is stored under the file's content hash and
    reused while the bytes are the same (the checker and the build then parse a store once)."""
    shown = display or str(path)
    store = Store(files=[shown])
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        store.failures.append(Failure(shown, 1, f"cannot read BibTeX file: {exc}"))
        return store
    cached = None
    if cache is not None:
        digest = hashlib.sha256(data + shown.encode() + CACHE_VERSION.encode()).hexdigest()
        cached = cache / f"{digest}.pickle"
        try:
            return pickle.loads(cached.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            pass  # no usable cache: parse
    _parse(text, shown, store)
    if cached is not None:
        try:
            cache.mkdir(parents=True, exist_ok=True)
            temporary = cached.with_suffix(".tmp")
            temporary.write_bytes(pickle.dumps(store, protocol=pickle.HIGHEST_PROTOCOL))
            temporary.replace(cached)
        except OSError:
            pass  # a read-only tree still builds, only slower
    return store


def _parse(text: str, shown: str, store: Store) -> None:
    library = bibtexparser.parse_string(text)
    for entry in library.entries:
        fields = {f.key.lower(): str(f.value) for f in entry.fields}
        lines = {f.key.lower(): f.start_line + 1 for f in entry.fields}
        store.entries.append(
            Entry(entry.key, entry.entry_type.lower(), fields, shown, entry.start_line + 1, lines)
        )
    for block in library.failed_blocks:
        store.failures.append(Failure(shown, block.start_line + 1, _failure_message(block)))


def load_store(bib_dir: Path, root: Path | None = None, cache: Path | None = None) -> Store:
    """Read every `*.bib` under `bib_dir`, in a stable (sorted) order."""
    store = Store()
    for path in sorted(bib_dir.rglob("*.bib")):
        shown = str(path.relative_to(root)) if root else str(path)
        one = load_file(path, shown, cache)
        store.entries += one.entries
        store.failures += one.failures
        store.files += one.files
    return store


# The study-design vocabulary: the `design` field's value -> the label readers see, on the
# References page and in every chapter's evidence table (the checker keeps the two in step).
DESIGN_LABELS = {
    "rct": "Randomised controlled trial",
    "protocol": "Trial protocol",
    "meta-analysis": "Systematic review and meta-analysis",
    "systematic-review": "Systematic review",
    "open-label": "Open-label study",
    "observational": "Observational study",
    "retrospective": "Retrospective series",
    "case-series": "Case series",
    "case-report": "Case report",
    "letter": "Letter",
    "conference-abstract": "Conference abstract",
    "review": "Narrative review",
    "laboratory": "Laboratory study",
    "economic": "Economic analysis",
    "book": "Book",
    "guideline": "Guideline or consensus",
    "label": "Product label",
    "registration": "Trial registration",
    "news": "News report",
    # No abstract or full text could be read: the design is not asserted.
    "not-verified": "Design not verified",
}
