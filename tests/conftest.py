"""Shared fixtures: a throw-away repository (bib/ + docs/) for the checker, and paths."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

GOOD_ENTRY = """@article{good2020trial,
  author = {Good, A. and Other, B.},
  title = {A good trial},
  journal = {J Good},
  year = {2020},
  doi = {10.1000/good.2020.1},
  design = {rct},
  reviewref = {1}
}
"""

# The smallest page the checker accepts as a chapter (front matter, Key points, evidence table).
CHAPTER = """---
title: A chapter
description: What it is.
covers: [DM]
---

# A chapter

!!! abstract "Key points"
    - A point [@good2020trial].

| Study | Design | Patients (n) | Regimen | Main result |
|---|---|---|---|---|
| Good 2020 [@good2020trial] | Randomised controlled trial | not stated | x | y |
"""


class MiniRepo:
    """A minimal repository layout the checker can run on."""

    def __init__(self, root: Path):
        self.root = root
        (root / "bib").mkdir()
        (root / "docs").mkdir()

    def bib(self, text: str, name: str = "references.bib") -> Path:
        path = self.root / "bib" / name
        path.write_text(text, encoding="utf-8")
        return path

    def page(self, text: str, name: str = "index.md") -> Path:
        path = self.root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def check(self, fail_unused: bool = False):
        from guide.check import runner as check

        return check.run(self.root, fail_unused=fail_unused)

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "build.py"), "--root", str(self.root), *args],
            capture_output=True, text=True, timeout=120,
        )


@pytest.fixture
def repo(tmp_path: Path) -> MiniRepo:
    return MiniRepo(tmp_path)


def messages(result) -> list[str]:
    return [str(p) for p in result.problems]


def copy_repo(target: Path, origin: Path = ROOT) -> Path:
    """A copy of the repository's sources to build in, leaving the work tree alone."""
    from guide.build.site import copy_sources

    return copy_sources(origin, target)


def run_build(root: Path, *args: str, epoch: str = "1700000000") -> subprocess.CompletedProcess:
    import os

    env = dict(os.environ, GUIDE_NO_VENV="1", SOURCE_DATE_EPOCH=epoch)
    return subprocess.run([sys.executable, str(root / "scripts" / "build.py"), *args],
                          capture_output=True, text=True, timeout=600, cwd=root, env=env)


# scripts/build.py as it runs (signal handling, messages, exit codes) with the checker left out:
# for tests of the build's output, which must not wait for the content to pass the checker.
UNCHECKED_BUILD = ("import sys; sys.path.insert(0, 'scripts'); import build; build.check = lambda args: 0; "
                   "sys.exit(build.main(sys.argv[1:]))")


def offline_zip(root: Path) -> Path:
    """The offline bundle a build of `root` writes: dist/<name>-offline-<version>.zip."""
    from guide.sources import release

    current, problems = release.load(root)
    assert current is not None and problems == [], problems
    return root / "dist" / f"{current.bundle_stem}.zip"


SAMPLE = """

## Rendering samples

Grouped [@roifman1987reversal; @dalakas1993controlled; @aggarwal2022trial] and
[@aggarwal2021proderm; @dalakas1993controlled] and [see @aggarwal2022trial, p. 5].
Literal `[@not_a_citation]` and a link [@octapharma](https://example.org/x).
A reference whose title carries markup [@zebracorn2024probe].
"""

# A store entry whose title would run script if any output let its markup through (issue 18);
# the word "zebracorn" appears nowhere else, so a search for it finds only this entry.
HOSTILE_TITLE = ('Zebracorn probe <img src=x onerror="window.__xss=1"> '
                 '<script>window.__xss=2</script> & "quotes"')
HOSTILE_ENTRY = """
@misc{{zebracorn2024probe,
  author = {{Probe, A.}},
  title = {{{title}}},
  howpublished = {{Test fixture}},
  url = {{https://example.org/probe}},
  year = {{2024}},
  design = {{guideline}},
  guideref = {{{number}}}
}}
"""


def plant_hostile_entry(root: Path) -> None:
    import re

    store = root / "bib" / "guide-additions.bib"
    text = store.read_text(encoding="utf-8")
    number = max(int(n) for n in re.findall(r"guideref = \{(\d+)\}", text)) + 1
    store.write_text(text + HOSTILE_ENTRY.format(title=HOSTILE_TITLE, number=number), encoding="utf-8")


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """One full build (site/ and the offline zip) of a copy of the repository, with sample citations."""
    root = copy_repo(tmp_path_factory.mktemp("repo"))
    page = root / "docs" / "about" / "how-to-cite.md"
    page.write_text(page.read_text(encoding="utf-8") + SAMPLE, encoding="utf-8")
    plant_hostile_entry(root)
    run = run_build(root)
    assert run.returncode == 0, run.stdout + run.stderr
    return root
