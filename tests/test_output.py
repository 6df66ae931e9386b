"""Builds are atomic and serial: an interrupt at any moment leaves the previous site/ and zip
intact, a second build waits or exits 2, and without git the build is dated from the pages."""

import datetime as dt
import hashlib
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import UNCHECKED_BUILD, copy_repo, offline_zip
from guide.build import builddate


def start(root: Path, **env) -> subprocess.Popen:
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    environment.update(GUIDE_NO_VENV="1", **env)
    return subprocess.Popen([sys.executable, "-c", UNCHECKED_BUILD, "--no-pdf"], cwd=root, env=environment, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(run: subprocess.Popen) -> tuple[int, str]:
    out, err = run.communicate(timeout=600)
    return run.returncode, out + err


def outputs(root: Path) -> dict[str, str]:
    """Every output file's digest: site/, the zip and the unzipped bundle beside it."""
    files = [p for top in ("site", "dist") for p in sorted((root / top).rglob("*")) if p.is_file()]
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def complete(root: Path) -> bool:
    with zipfile.ZipFile(offline_zip(root)) as bundle:
        whole = bundle.testzip() is None and any(n.endswith("/index.html") for n in bundle.namelist())
    return whole and (root / "site" / "index.html").exists() and (root / "site" / "sitemap.xml").exists()


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> tuple[Path, float, str]:
    """A copy of the repository (no git metadata), built once without SOURCE_DATE_EPOCH."""
    root = copy_repo(tmp_path_factory.mktemp("atomic"))
    began = time.monotonic()
    status, said = finish(start(root))
    assert status == 0, said
    return root, time.monotonic() - began, said


def test_without_git_the_build_is_dated_from_the_newest_review_never_1970(tree):
    root, _, said = tree
    newest = max(dt.date.fromisoformat(d) for d in re.findall(
        r"^last_reviewed:\s*(\d{4}-\d\d-\d\d)", "\n".join(
            p.read_text(encoding="utf-8") for p in (root / "docs").rglob("*.md")), re.MULTILINE))
    assert re.search(r"^docs/\S+\.md:\d+:1: warning: no git history: the build is dated "
                     + newest.isoformat(), said, re.MULTILINE), said
    sitemap = (root / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "1970" not in sitemap and f"<lastmod>{newest.isoformat()}</lastmod>" in sitemap


# Fractions of the first (cold, slower) build's duration, from start-up to the moment the outputs
# are put in place; warm builds are faster, so the moments lean early.
MOMENTS = [(0.05, signal.SIGINT), (0.15, signal.SIGTERM), (0.25, signal.SIGINT), (0.4, signal.SIGTERM),
           (0.55, signal.SIGINT), (0.75, signal.SIGTERM), (1.05, signal.SIGTERM)]


def test_an_interrupt_at_any_moment_leaves_the_previous_output_intact(tree):
    root, duration, _ = tree
    page = root / "docs" / "about" / "disclaimer.md"
    interrupted = 0
    for fraction, signum in MOMENTS:
        before = outputs(root)
        page.write_text(page.read_text(encoding="utf-8") + f"\nEdited {fraction}.\n", encoding="utf-8")
        run = start(root, SOURCE_DATE_EPOCH="1700000000")
        time.sleep(duration * fraction)
        run.send_signal(signum)
        status, said = finish(run)
        assert "Traceback" not in said, said
        if status == 0:  # it had finished: the new output must then be whole
            assert complete(root), said
        else:
            interrupted += 1
            assert status == 2 and "error: interrupted" in said, said
            assert outputs(root) == before, (fraction, said)
        assert complete(root)
        assert not list((root / ".cache" / "build").iterdir()), "a build left staging behind"
    assert interrupted >= 3  # the rest finished first, and were then checked whole


def test_a_build_killed_outright_is_repaired_by_the_next(tree):
    """SIGKILL cannot be caught: if it lands between the two renames that swap site/, the next
    build puts the old site/ back before doing anything else."""
    root, _, _ = tree
    from guide.build import output

    stage = root / output.WORK / "12345-killed"
    (stage / "old").mkdir(parents=True)
    os.replace(root / "site", stage / "old" / "site")
    (stage / output.ASIDE).write_text("site\n", encoding="utf-8")
    output.recover(root)
    assert (root / "site" / "index.html").exists() and not stage.exists()


def wait_for_lock(root: Path, run: subprocess.Popen) -> None:
    lock, work = root / ".cache" / "build.lock", root / ".cache" / "build"
    for _ in range(600):
        if lock.exists() and lock.read_text().strip() == str(run.pid) and any(work.iterdir()):
            return
        time.sleep(0.05)
    raise AssertionError("the first build never took the lock")


def test_a_second_build_exits_2_with_a_clear_message_when_told_not_to_wait(tree):
    root, _, _ = tree
    first = start(root, SOURCE_DATE_EPOCH="1700000000")
    wait_for_lock(root, first)
    second = start(root, SOURCE_DATE_EPOCH="1700000000", GUIDE_BUILD_WAIT="0")
    status, said = finish(second)
    assert status == 2, said
    assert f"error: another build is running in this tree (pid {first.pid}" in said
    assert finish(first)[0] == 0
    assert complete(root)


def test_two_builds_at_once_both_succeed_one_after_the_other(tree):
    root, _, _ = tree
    runs = [start(root, SOURCE_DATE_EPOCH="1700000000") for _ in range(2)]
    results = [finish(run) for run in runs]
    assert [status for status, _ in results] == [0, 0], results
    assert not any("FileNotFoundError" in said for _, said in results)
    assert any("waiting for the build already running" in said for _, said in results)
    assert complete(root)


# --- the build's date, without a build -----------------------------------------------------------

def test_the_date_is_source_date_epoch_when_set(repo, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert builddate.epoch(repo.root) == ("1700000000", [])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    epoch, [problem] = builddate.epoch(repo.root)
    assert epoch is None and problem.severity == "error" and "SOURCE_DATE_EPOCH must be" in problem.message


def test_without_git_or_dates_the_build_must_be_told_its_date(repo, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    repo.page("---\ntitle: T\n---\nNo date.\n")
    epoch, [problem] = builddate.epoch(repo.root)
    assert epoch is None and problem.severity == "error" and "set SOURCE_DATE_EPOCH" in problem.message


def test_without_git_the_newest_last_reviewed_dates_the_build(repo, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    repo.page("---\ntitle: A\nlast_reviewed: 2026-01-02\n---\n", "a.md")
    repo.page("---\ntitle: B\nlast_reviewed: 2026-11-25\n---\n", "b/b.md")
    epoch, [problem] = builddate.epoch(repo.root)
    assert dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date() == dt.date(2026, 11, 25)
    assert str(problem).startswith("docs/b/b.md:3:1: warning: no git history: the build is dated 2026-11-25")
