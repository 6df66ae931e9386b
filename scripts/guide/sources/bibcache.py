"""The parse cache in `.cache/bib/`: plain JSON, versioned, validated on read, bounded in size.

A cache file is data, never code: it is read with `json`, checked field by field, and used only
when it names the very bytes being read. Anything else (unreadable, not JSON, another version,
the wrong shape, a symlink, too large) is ignored with one warning naming the file, and the
parse is written again. Only the newest MAX_FILES files are kept.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from .. import cachefiles

FORMAT = "ivig-guide-bib-cache"
# Bump when Entry, Failure or the parse change: files of another version are then ignored.
VERSION = 2
MAX_FILES = 32
MAX_BYTES = 64 * 1024 * 1024


class Invalid(ValueError):
    """A cache file that must not be used, with the reason."""


def name(digest: str) -> str:
    return f"{digest}.json"


def _expect(condition: bool, reason: str) -> None:
    if not condition:
        raise Invalid(reason)


def _str_map(value, what: str) -> dict:
    _expect(isinstance(value, dict) and all(isinstance(k, str) for k in value), f"{what} must be a map")
    return value


def read(path: Path, source_digest: str) -> dict | None:
    """The cached parse at `path` (validated), or None when there is none. Raises Invalid."""
    if cachefiles.linked(path.parent) is not None:
        raise Invalid("its folder is a symlink")
    try:
        info = path.lstat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise Invalid(f"cannot read it: {exc.strerror}") from None
    _expect(stat.S_ISREG(info.st_mode), "not a regular file")
    _expect(info.st_size <= MAX_BYTES, "larger than any parse")
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise Invalid(f"cannot read it: {exc.strerror}") from None
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Invalid("not valid JSON") from None
    _expect(isinstance(data, dict) and data.get("format") == FORMAT, "not a cache file of this project")
    _expect(data.get("version") == VERSION, f"cache version {data.get('version')!r}, expected {VERSION}")
    _expect(data.get("source") == source_digest, "it does not describe this file's bytes")
    entries, failures = data.get("entries"), data.get("failures")
    _expect(isinstance(entries, list) and isinstance(failures, list), "entries and failures must be lists")
    for entry in entries:
        _str_map(entry, "an entry")
        _expect(isinstance(entry.get("key"), str) and isinstance(entry.get("type"), str)
                and type(entry.get("line")) is int, "an entry needs key, type and line")
        fields, lines = _str_map(entry.get("fields"), "fields"), _str_map(entry.get("lines"), "lines")
        _expect(all(isinstance(v, str) for v in fields.values()), "field values must be text")
        _expect(all(type(v) is int for v in lines.values()), "field lines must be numbers")
    unreadable = data.get("unreadable")
    _expect(isinstance(unreadable, list) and all(isinstance(k, str) for k in unreadable),
            "unreadable must be a list of keys")
    for failure in failures:
        _str_map(failure, "a failure")
        _expect(type(failure.get("line")) is int and type(failure.get("col")) is int
                and isinstance(failure.get("message"), str) and isinstance(failure.get("rule"), str),
                "a failure needs line, col, message and rule")
    try:
        os.utime(path)  # recently used: kept by prune()
    except OSError:
        pass
    return data


def write(directory: Path, digest: str, data: dict) -> None:
    """Write atomically (a unique temporary file, then a rename), then prune. Never fails."""
    if cachefiles.write_atomically(directory, name(digest), lambda out: json.dump(
            {"format": FORMAT, "version": VERSION, **data}, out, ensure_ascii=False, separators=(",", ":"))):
        prune(directory)


def prune(directory: Path) -> None:
    """Keep the newest MAX_FILES cache files; remove anything else this cache left behind."""
    cachefiles.keep_newest(directory, ".json", MAX_FILES, obsolete=(".pickle",))
