"""What the build's caches (.cache/bib, .cache/figures) share: writing a file so that a reader
never sees half of it, and keeping only the newest files. Neither ever fails the build."""

from __future__ import annotations

import os
import stat
import tempfile
import time
from pathlib import Path

STALE_TEMP_SECONDS = 600


def write_atomically(directory: Path, filename: str, write) -> bool:
    """`write(handle)` fills a unique temporary file, which is then renamed into place."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                write(out)
            os.replace(temporary, directory / filename)
        except BaseException:
            remove(Path(temporary))
            raise
        return True
    except OSError:
        return False  # a read-only tree still builds, only slower


def keep_newest(directory: Path, suffix: str, max_files: int, obsolete: tuple[str, ...] = ()) -> None:
    """Keep the newest `max_files` regular files ending in `suffix`; remove files with an
    `obsolete` suffix (an older cache format) and temporary files left by interrupted writes."""
    kept, now = [], time.time()
    try:
        paths = list(directory.iterdir())
    except OSError:
        return
    for path in paths:
        try:
            info = path.lstat()
        except OSError:
            continue
        if path.suffix == suffix and stat.S_ISREG(info.st_mode):
            kept.append((info.st_mtime, path))
        elif path.suffix in obsolete or (path.suffix == ".tmp" and now - info.st_mtime > STALE_TEMP_SECONDS):
            remove(path)
    kept.sort(reverse=True)
    for _, path in kept[max_files:]:
        remove(path)


def remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
