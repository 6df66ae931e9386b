"""Reading the BibTeX store (`bib/*.bib`) into plain Entry records.

bibtexparser 2 does the parsing; this module keeps what the rules and the renderer need: the key,
type, fields, and where each entry and field starts (1-based lines), plus every reading problem
at its own line (bibsyntax finds what bibtexparser passes on without judging). Parses are cached
as JSON (bibcache); the checker never reads that cache, so no cache file can decide a check.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import bibtexparser
from bibtexparser import model

from ..report import Problem, warning
from . import bibcache, bibsyntax
from .where import Positions

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
    """A reading problem: a block bibtexparser could not read, a key seen twice in one file, a
    value or text BibTeX would misread, a file that cannot be read."""

    path: str
    line: int
    message: str
    col: int = 1
    rule: str = "bib-syntax"


@dataclass
class Store:
    entries: list[Entry] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    # Cache files that were ignored (one warning each); never part of a check's verdict.
    warnings: list[Problem] = field(default_factory=list)
    # Keys of entries too broken to keep (their error is in `failures`): a citation of one is
    # told so, not that the key is missing.
    unreadable: list[str] = field(default_factory=list)

    def by_key(self) -> dict[str, Entry]:
        """First definition wins; duplicates are the checker's business."""
        keys: dict[str, Entry] = {}
        for entry in self.entries:
            keys.setdefault(entry.key, entry)
        return keys


FAILED_KEY = re.compile(r"@\s*\w+\s*[{(]\s*([^\s,{}()]+)\s*,")  # the key of a block that failed
# Never in a .bib file: C0/C1 control characters (not tab, newline, carriage return) and the
# bidirectional overrides that make text read differently from how it is stored.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MAX_CONTROL_REPORTS = 5


def _failure_message(block: model.Block) -> str:
    if isinstance(block, model.DuplicateBlockKeyBlock):
        return f"duplicate key '{block.key}' in the same file"
    error = getattr(block, "error", None)
    text = str(getattr(error, "abort_reason", "") or error or "")
    first = block.raw.strip().splitlines()[0][:60] if block.raw.strip() else ""
    detail = text.split("due to syntactical error in bibtex:")[-1].strip().replace("\n", " ")
    return f"entry starting '{first}' must be valid BibTeX: {detail or 'cannot parse'}"


# bibtexparser's reasons for giving up on a block because a brace or quote never closed.
UNCLOSED = ("Unexpected block start", "Unexpectedly reached end of file")


# Parsed .bib files are kept here (under the repository root), by content hash, for the build.
CACHE_DIR = ".cache/bib"

# Part of every cache file's name: a new parser or cache format never reads an old file.
CACHE_VERSION = f"{bibcache.VERSION}-{bibtexparser.__version__}"


def _read(path: Path, shown: str, store: Store) -> tuple[bytes, str] | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        store.failures.append(Failure(shown, 1, f"cannot read BibTeX file: {exc.strerror or exc}", 1, "bib-file"))
        return None
    try:
        return data, data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        store.failures.append(Failure(shown, line, f"a .bib file must be UTF-8: byte 0x{data[exc.start]:02x} "
                                      "here is not (save the file as UTF-8)", col, "bib-encoding"))
        return None


def load_file(path: Path, display: str | None = None, cache: Path | None = None,
              reuse: bool = True) -> Store:
    """Parse one .bib file. With `cache`, the parse is written there under the file's content
    hash; with `reuse` too, a valid cached parse of the same bytes is used instead of parsing."""
    shown = display or str(path)
    store = Store(files=[shown])
    read = _read(path, shown, store)
    if read is None:
        return store
    data, text = read
    digest = hashlib.sha256(data + shown.encode() + CACHE_VERSION.encode()).hexdigest()
    if cache is not None and reuse:
        cached = cache / bibcache.name(digest)
        try:
            found = bibcache.read(cached, digest)
        except bibcache.Invalid as exc:
            store.warnings.append(warning(str(cached), 1, 1, f"cache file ignored ({exc}); parsed again",
                                          "cache"))
        else:
            if found is not None:
                _from_cache(found, shown, store)
                return store
    _parse(text, shown, store)
    if cache is not None:
        bibcache.write(cache, digest, {"source": digest, **_to_cache(store)})
    return store


def _to_cache(store: Store) -> dict:
    return {
        "entries": [{"key": e.key, "type": e.type, "line": e.line, "fields": e.fields,
                     "lines": e.field_lines} for e in store.entries],
        "failures": [{k: v for k, v in asdict(f).items() if k != "path"} for f in store.failures],
        "unreadable": store.unreadable,
    }


def _from_cache(data: dict, shown: str, store: Store) -> None:
    store.entries += [Entry(e["key"], e["type"], e["fields"], shown, e["line"], e["lines"])
                      for e in data["entries"]]
    store.failures += [Failure(shown, f["line"], f["message"], f["col"], f["rule"]) for f in data["failures"]]
    store.unreadable += data["unreadable"]


def _parse(text: str, shown: str, store: Store) -> None:
    # No middleware: bibtexparser's string and enclosing middlewares cannot expand `#` or tell
    # an undefined macro from a missing comma, so values are read in one pass here instead.
    library = bibtexparser.parse_string(text, parse_stack=[])
    where = Positions(text)
    failures = store.failures
    for match in list(CONTROL.finditer(text))[:MAX_CONTROL_REPORTS]:
        line, col = where.at(match.start())
        failures.append(Failure(shown, line, f"control character U+{ord(match.group(0)):04X} must not "
                                "appear in a .bib file; delete it", col, "bib-control"))
    macros = _macros(library, where, shown, failures)
    previous: Entry | None = None
    failed = False  # the block before failed: text after it is its remains, already reported
    for block in library.blocks:
        if isinstance(block, model.Entry):
            previous = _entry(block, shown, where, macros, store)
        elif isinstance(block, model.ImplicitComment) and not failed:
            _stray(block, previous, shown, where, store)
        elif isinstance(block, model.ParsingFailedBlock):
            failures.append(_failed(block, shown, where))
            head = FAILED_KEY.match(block.raw)
            if head and not isinstance(block, model.DuplicateBlockKeyBlock):
                store.unreadable.append(head.group(1))
        if not isinstance(block, model.Entry):
            previous = None
        failed = isinstance(block, model.ParsingFailedBlock)


def _offset(block: model.Block, where: Positions) -> int:
    """Where a block's raw text (stripped by bibtexparser) starts in the file."""
    line_start = where.starts[min(block.start_line, len(where.starts) - 1)]
    found = where.text.find(block.raw, line_start) if block.raw else -1
    return found if found >= 0 else line_start


def _located(block: model.Block, inner: int, slip: bibsyntax.Slip, where: Positions, shown: str,
             rule: str, prefix: str = "") -> Failure:
    """A Slip found `inner` characters into a block's raw text, located in the file."""
    line, col = where.at(_offset(block, where) + max(inner, 0) + slip.offset)
    return Failure(shown, line, prefix + slip.message, col, rule)


def _value_at(raw: str, name: str, value: str) -> int:
    """Where a field's value starts in its block's raw text (after `name =`)."""
    head = re.search(rf"(?<![\w-]){re.escape(name)}\s*=\s*", raw, re.IGNORECASE)
    start = head.end() if head else 0
    found = raw.find(value, start)
    return found if found >= 0 else start


def _value(value: str, macros: dict[str, str]) -> tuple[str, bibsyntax.Slip | None]:
    """A raw value as text: the common `{...}` and numbers directly, the rest by bibsyntax."""
    if value[:1] == "{" and value[-1:] == "}" and value.find("{", 1, -1) < 0 and value.find("}", 1, -1) < 0:
        return value[1:-1], None
    if value.isascii() and value.isdigit():
        return value, None
    return bibsyntax.expand(value, macros)


def _macros(library, where: Positions, shown: str, failures: list[Failure]) -> dict[str, str]:
    """@string macros in definition order, each expanded with those defined before it."""
    macros: dict[str, str] = {}
    for block in library.strings:
        raw = block.value.strip() if isinstance(block.value, str) else str(block.value)
        value, slip = _value(raw, macros)
        if slip:
            failures.append(_located(block, _value_at(block.raw, block.key, raw), slip, where, shown,
                                     "bib-macro" if "macro" in slip.message else "bib-syntax",
                                     f"@string '{block.key}': "))
        macros[block.key.lower()] = value
    return macros


def _entry(block: model.Entry, shown: str, where: Positions, macros: dict[str, str], store: Store) -> Entry | None:
    fields, lines = {}, {}
    garbled = False
    for f in block.fields:
        name, raw = f.key.lower(), f.value
        if name in fields:  # field names ignore case: bibtexparser only catches exact repeats
            store.failures.append(Failure(shown, f.start_line + 1, f"entry '{block.key}' must not repeat "
                                          f"the field '{name}'", 1, "bib-syntax"))
            continue
        if raw[:1] == "{" and raw[-1:] == "}" and raw.find("{", 1, -1) < 0 and raw.find("}", 1, -1) < 0:
            value, slip = raw[1:-1], None  # most values: _value's first case, without the call
        else:
            value, slip = _value(raw, macros)
        if slip:  # a macro no @string defines, a missing comma, an unclosed quote ...
            value = raw  # reported here: no second, "empty field" error
            macro = "macro" in slip.message
            garbled = garbled or not macro  # the fields after a missing comma were swallowed
            store.failures.append(_located(block, _value_at(block.raw, f.key, raw), slip, where, shown,
                                           "bib-macro" if macro else "bib-syntax",
                                           f"field '{name}' of '{block.key}': "))
        fields[name] = value
        lines[name] = f.start_line + 1
    entry = Entry(block.key, block.entry_type.lower(), fields, shown, block.start_line + 1, lines)
    if garbled:  # its fields cannot be trusted: rules on them would report false problems
        store.unreadable.append(entry.key)
        return None
    store.entries.append(entry)
    return entry


def _stray(block: model.ImplicitComment, previous: Entry | None, shown: str, where: Positions, store: Store) -> None:
    """Text between entries that was meant as part of one."""
    slip = bibsyntax.stray_text(block.raw)
    if slip is None:
        return
    failure = _located(block, 0, slip, where, shown, "bib-syntax")
    if previous is not None and slip.message.startswith("field") \
            and not block.raw[:slip.offset].strip(" \t\r\n,"):
        # Fields straight after an entry's end: an extra '}' closed it early, and its own
        # "missing field" errors would be false.
        store.entries.remove(previous)
        store.unreadable.append(previous.key)
        failure = Failure(shown, failure.line, f"{slip.message}: an extra '}}' closed entry "
                          f"'{previous.key}' before it", failure.col, "bib-syntax")
    store.failures.append(failure)


def _failed(block: model.ParsingFailedBlock, shown: str, where: Positions) -> Failure:
    if isinstance(block, model.DuplicateFieldKeyBlock):
        entry = block.ignore_error_block
        seen: set[str] = set()
        for f in entry.fields:
            if f.key.lower() in seen:
                return Failure(shown, f.start_line + 1, f"entry '{entry.key}' must not repeat the field "
                               f"'{f.key}'", 1, "bib-syntax")
            seen.add(f.key.lower())
    if isinstance(block, model.DuplicateBlockKeyBlock):
        return Failure(shown, block.start_line + 1, _failure_message(block))
    reason = str(getattr(block.error, "abort_reason", "") or "")
    slip = bibsyntax.unbalanced(block.raw) if reason.startswith(UNCLOSED) else None
    # Else the parse stopped where the block's text ends (a missing comma after the key ...).
    return _located(block, 0, slip or bibsyntax.Slip(len(block.raw.rstrip()), _failure_message(block)),
                    where, shown, "bib-syntax")


def _relative(path: str, root: Path | None) -> str:
    try:
        return str(Path(path).relative_to(root)) if root else path
    except ValueError:
        return path


def load_store(bib_dir: Path, root: Path | None = None, cache: Path | None = None,
               reuse: bool = True) -> Store:
    """Read every `*.bib` under `bib_dir`, in a stable (sorted) order; each must be a regular file
    inside the repository (a symlink could make the build read any file on the machine)."""
    store = Store()
    inside = (root or bib_dir).resolve()
    for path in sorted(bib_dir.rglob("*.bib")):
        shown = str(path.relative_to(root)) if root else str(path)
        if path.is_symlink() or not path.is_file() or not path.resolve().is_relative_to(inside):
            store.files.append(shown)
            store.failures.append(Failure(shown, 1, "a .bib file must be a regular file inside the "
                                          "repository, not a symlink or special file", 1, "bib-file"))
            continue
        one = load_file(path, shown, cache, reuse)
        store.entries += one.entries
        store.failures += one.failures
        store.files += one.files
        store.warnings += [replace(w, path=_relative(w.path, root)) for w in one.warnings]
        store.unreadable += one.unreadable
    return store
