"""The figure cache in `.cache/figures/`: SVG/HTML text by the hash of what it was drawn from.

A figure is drawn from the store's study facts; the same facts give the same figure, so a build
reuses it. Files are plain text named by a SHA-256 of the inputs (drawing version included),
written atomically; anything unreadable is simply drawn again. Only the newest MAX_FILES are kept.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from guide import cachefiles

MAX_FILES = 64
MAX_BYTES = 512 * 1024
CACHE_DIR = ".cache/figures"


def digest(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def read(directory: Path, key: str) -> str | None:
    path = directory / f"{key}.html"
    try:
        if path.is_symlink() or path.stat().st_size > MAX_BYTES:
            return None
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    os.utime(path) if os.access(path, os.W_OK) else None  # recently used: kept by prune()
    return text


def write(directory: Path, key: str, text: str) -> None:
    """Atomically (temporary file, then rename), then prune. Never fails the build."""
    if cachefiles.write_atomically(directory, f"{key}.html", lambda out: out.write(text)):
        prune(directory)


def prune(directory: Path) -> None:
    cachefiles.keep_newest(directory, ".html", MAX_FILES)


def cached(directory: Path | None, key: str, make) -> str:
    """The text cached under `key`, else `make()`, written for next time."""
    if directory is None:
        return make()
    found = read(directory, key)
    if found is None:
        found = make()
        write(directory, key, found)
    return found
