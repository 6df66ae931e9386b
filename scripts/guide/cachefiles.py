"""What the build's cache (.cache/bib) and build state (.cache/build) share: folders that are
really inside the tree, writing a file so that a reader never sees half of it, and keeping only
the newest files. A cache never fails the build."""

from __future__ import annotations

import os
import stat
import tempfile
import time
from pathlib import Path

STALE_TEMP_SECONDS = 600


def linked(path: Path, root: Path | None = None) -> Path | None:
    """The first of `path` and its parents (up to `root`, else up to `.cache`'s parent) that is a
    symlink or not a folder; None when all are real folders or do not exist yet. A linked cache
    folder could make the build write or delete files anywhere."""
    chain = [path, *path.parents]
    stop = root if root is not None else next((p.parent for p in chain if p.name == ".cache"), None)
    for folder in chain:
        if stop is not None and folder == stop:
            break
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            return folder
    return None


def write_atomically(directory: Path, filename: str, write) -> bool:
    """`write(handle)` fills a unique temporary file, which is then renamed into place."""
    if linked(directory) is not None:
        return False
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
    if linked(directory) is not None:
        return
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
