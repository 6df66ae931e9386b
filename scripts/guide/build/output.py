"""Build output written safely: one build at a time per tree, every output made aside and put in
place whole.

- `lock`: an exclusive lock on `.cache/build.lock` for the whole build. A second build waits for
  it (GUIDE_BUILD_WAIT seconds, default 600), then gives up with a message naming the holder.
- `Staging`: a fresh folder under `.cache/build/`, on the same file system as site/ and dist/, so
  that putting output in place is a rename. `publish` swaps each staged output for the old one
  with Ctrl-C and SIGTERM held back, so an interrupt never lands between two renames; the old
  copy is moved aside first and deleted last. A build killed outright (SIGKILL, power loss) is
  repaired by the next one: `recover` puts back any old copy that was moved aside.
- `sigterm_as_interrupt`: SIGTERM raises KeyboardInterrupt, as Ctrl-C does, so both unwind the
  same way and leave the previous output untouched.

Build state is data, never instructions: `.cache` and `.cache/build` must be real folders (a
symlink could make the build delete or write outside the tree), the lock is opened without
following links, and a manifest line is used only if it names one of the build's own outputs
(`site`, or a file or folder directly in `dist/`).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import signal
import tempfile
import time
from pathlib import Path

from ..cachefiles import linked

WORK = Path(".cache") / "build"
LOCK = Path(".cache") / "build.lock"
WAIT_ENV = "GUIDE_BUILD_WAIT"
ASIDE = "aside.txt"  # the outputs a build moved aside, one per line


class Busy(Exception):
    """Another build holds the lock and did not finish in time."""


class Unsafe(Exception):
    """Build state or an output path that is not a real folder or file inside the tree."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}:1:1: error: {message}")
        self.path = path


def is_output(target: str) -> bool:
    """`site`, or one name directly inside `dist/`: the only paths a build writes or restores."""
    parts = Path(target).parts
    if Path(target).is_absolute() or any(p in ("", ".", "..") for p in parts):
        return False
    return parts == ("site",) or (len(parts) == 2 and parts[0] == "dist")


def real_folder(root: Path, relative: Path) -> Path:
    """`root/relative`, created if missing; each part must be a folder, not a symlink."""
    path = root / relative
    bad = linked(path, root)
    if bad is not None:
        raise Unsafe(str(bad.relative_to(root)), "must be a folder inside the tree, not a symlink "
                     "or a file; remove it and build again")
    path.mkdir(parents=True, exist_ok=True)
    bad = linked(path, root)  # made by someone else between the check and mkdir
    if bad is not None:
        raise Unsafe(str(bad.relative_to(root)), "must be a folder inside the tree, not a symlink")
    return path


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def sigterm_as_interrupt() -> None:
    signal.signal(signal.SIGTERM, _interrupt)


@contextlib.contextmanager
def lock(root: Path, say=print):
    """Hold the tree's build lock; `say` is told once if we have to wait."""
    path = real_folder(root, LOCK.parent) / LOCK.name
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise Unsafe(str(LOCK), f"cannot open the build lock without following links: "
                     f"{exc.strerror}") from None
    with open(descriptor, "r+", encoding="utf-8") as handle:
        deadline = time.monotonic() + wait_seconds()
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                handle.seek(0)
                holder = handle.read().strip() or "unknown"
                if time.monotonic() >= deadline:
                    raise Busy(f"another build is running in this tree (pid {holder}, lock {LOCK}); "
                               "run again when it has finished") from None
                if not told:
                    say(f"waiting for the build already running in this tree (pid {holder}) ...")
                    told = True
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def wait_seconds() -> float:
    """GUIDE_BUILD_WAIT: how long a second build waits for the lock (a number of seconds)."""
    raw = os.environ.get(WAIT_ENV, "600")
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 86_400:
        raise Unsafe("scripts/build.py", f"{WAIT_ENV} must be a number of seconds from 0 to 86400 "
                     f"(is {raw!r})")
    return value


def recover(root: Path) -> None:
    """Under the lock: put back output a killed build had moved aside, then clear its leftovers."""
    work = real_folder(root, WORK)
    for stage in sorted(work.iterdir()):
        if stage.is_symlink() or not stage.is_dir():
            stage.unlink()  # removes the link itself, never what it points to
            continue
        manifest = stage / ASIDE
        lines = manifest.read_text(encoding="utf-8").split("\n") if (
            manifest.is_file() and not manifest.is_symlink()) else []
        for target in filter(is_output, lines):
            old, final = stage / "old" / target, root / target
            if linked(old.parent, stage) is None and (old.exists() or old.is_symlink()) \
                    and not final.exists() and linked(final.parent, root) is None:
                os.replace(old, final)
        shutil.rmtree(stage, ignore_errors=True)


class Staging:
    """A private folder for one build's outputs; removed on exit, published or not."""

    def __init__(self, root: Path):
        self.root = root
        self.path = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=real_folder(root, WORK)))

    def __enter__(self) -> "Staging":
        return self

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        for signum, handler in getattr(self, "handlers", {}).items():
            signal.signal(signum, handler)

    def publish(self, outputs: dict[str, Path]) -> None:
        """Put each staged path in place of `root/<target>` (a file or a folder): all of them or,
        if any step fails or is interrupted, none (the old ones are put back)."""
        for target in outputs:
            if not is_output(target):
                raise Unsafe(target, "a build writes only site/ and names directly in dist/")
            if target != "site":
                real_folder(self.root, Path(target).parent)
        aside = self.path / "old"
        blocked = {signal.SIGINT, signal.SIGTERM}
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
        done: list[tuple[str, bool]] = []  # (target, an old copy was moved aside)
        try:
            for target, staged in outputs.items():
                final = self.root / target
                had_old = final.exists() or final.is_symlink()
                if had_old:  # two renames: recover() can undo the first if killed
                    (aside / target).parent.mkdir(parents=True, exist_ok=True)
                    with open(self.path / ASIDE, "a", encoding="utf-8") as manifest:
                        manifest.write(target + "\n")
                    os.replace(final, aside / target)
                done.append((target, had_old))
                os.replace(staged, final)
        except BaseException:
            self._roll_back(outputs, done)
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
            raise
        # The new output is in place and whole: an interrupt from now on has nothing left to
        # protect, so one that came during the swap is dropped, and later ones are ignored
        # until the staging folder is cleared (then the handlers are put back).
        while signal.sigtimedwait(blocked, 0) is not None:
            pass
        self.handlers = {signum: signal.signal(signum, signal.SIG_IGN) for signum in blocked}
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)

    def _roll_back(self, outputs: dict[str, Path], done: list[tuple[str, bool]]) -> None:
        """Undo a publish that failed part-way: new outputs back to staging, old ones back."""
        for target, had_old in reversed(done):
            final, old = self.root / target, self.path / "old" / target
            with contextlib.suppress(OSError):
                if not outputs[target].exists() and (final.exists() or final.is_symlink()):
                    os.replace(final, outputs[target])
                if had_old and (old.exists() or old.is_symlink()):
                    os.replace(old, final)
