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

WORK = Path(".cache") / "build"
LOCK = Path(".cache") / "build.lock"
WAIT_ENV = "GUIDE_BUILD_WAIT"
ASIDE = "aside.txt"  # the outputs a build moved aside, one per line


class Busy(Exception):
    """Another build holds the lock and did not finish in time."""


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def sigterm_as_interrupt() -> None:
    signal.signal(signal.SIGTERM, _interrupt)


@contextlib.contextmanager
def lock(root: Path, say=print):
    """Hold the tree's build lock; `say` is told once if we have to wait."""
    path = root / LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:
        deadline = time.monotonic() + float(os.environ.get(WAIT_ENV, "600"))
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


def recover(root: Path) -> None:
    """Under the lock: put back output a killed build had moved aside, then clear its leftovers."""
    work = root / WORK
    if not work.is_dir():
        return
    for stage in sorted(work.iterdir()):
        manifest = stage / ASIDE
        for target in manifest.read_text(encoding="utf-8").split("\n") if manifest.is_file() else []:
            old, final = stage / "old" / target, root / target
            if target and old.exists() and not final.exists():
                os.replace(old, final)
        shutil.rmtree(stage, ignore_errors=True)


class Staging:
    """A private folder for one build's outputs; removed on exit, published or not."""

    def __init__(self, root: Path):
        self.root = root
        (root / WORK).mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=root / WORK))

    def __enter__(self) -> "Staging":
        return self

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        for signum, handler in getattr(self, "handlers", {}).items():
            signal.signal(signum, handler)

    def publish(self, outputs: dict[str, Path]) -> None:
        """Put each staged path in place of `root/<target>` (a file or a folder), all or nothing
        as far as an interrupt is concerned."""
        aside = self.path / "old"
        blocked = {signal.SIGINT, signal.SIGTERM}
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
        try:
            for target, staged in outputs.items():
                final = self.root / target
                final.parent.mkdir(parents=True, exist_ok=True)
                if staged.is_dir():
                    if final.exists():  # two renames: recover() can undo the first if killed
                        (aside / target).parent.mkdir(parents=True, exist_ok=True)
                        with open(self.path / ASIDE, "a", encoding="utf-8") as manifest:
                            manifest.write(target + "\n")
                        os.replace(final, aside / target)
                    os.replace(staged, final)
                else:
                    os.replace(staged, final)  # a file: one atomic rename
        except BaseException:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
            raise
        # The new output is in place and whole: an interrupt from now on has nothing left to
        # protect, so one that came during the swap is dropped, and later ones are ignored
        # until the staging folder is cleared (then the handlers are put back).
        while signal.sigtimedwait(blocked, 0) is not None:
            pass
        self.handlers = {signum: signal.signal(signum, signal.SIG_IGN) for signum in blocked}
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
