"""Run the calling script inside the project's pinned environment in `.venv/`, creating it on first use.

Uses only the standard library, so `python3 scripts/build.py` works on a fresh clone with nothing
but Python 3.11+ and pip. The environment is rebuilt when requirements.txt changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
REQUIREMENTS = ROOT / "requirements.txt"
STAMP = VENV / ".requirements.sha256"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _digest() -> str:
    return hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()


def _in_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def ensure_venv() -> None:
    """Create or refresh .venv, then re-run this process inside it (no-op when already there)."""
    if os.environ.get("GUIDE_NO_VENV") == "1":
        return  # an environment managed by someone else (e.g. a distribution package build)
    fresh = STAMP.exists() and STAMP.read_text().strip() == _digest()
    if _in_venv() and fresh:
        return
    if not fresh:
        if not venv_python().exists():
            print("setting up .venv (first run) ...", file=sys.stderr, flush=True)
            venv.EnvBuilder(with_pip=True).create(VENV)
        pip = [str(venv_python()), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        if subprocess.run(pip + ["-r", str(REQUIREMENTS)]).returncode != 0:
            sys.exit("requirements.txt:1:1: error: installing the pinned requirements into .venv failed")
        STAMP.write_text(_digest() + "\n")
    if not _in_venv():
        os.execv(str(venv_python()), [str(venv_python()), *sys.argv])
