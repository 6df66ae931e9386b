"""Run the tests inside the pinned environment: `python3 scripts/test.py [pytest args]`.

Creates .venv/ on first use (see bootstrap.py), then runs pytest: on tests/ when no file or
folder is named, else only on what is named (`python3 scripts/test.py tests/test_rules.py`).
Skip reasons are always printed (`-rs`), and the ten slowest tests at the end. The fast subset
without a browser: `python3 scripts/test.py -m "not browser"`. Browser tests use Debian's
Chromium when it is installed; under CI=true a missing browser fails them.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bootstrap import ROOT, ensure_venv  # noqa: E402

if __name__ == "__main__":
    ensure_venv()
    import pytest

    args = sys.argv[1:]
    # Named test files or folders run alone; with none, the whole of tests/ runs, on two worker
    # processes (pytest-xdist): the browser sweeps wait on Chromium, so two share 2 cores well
    # (whole suite 6.1 -> 4.4 min on this machine). Each worker builds the site once.
    named = any(not a.startswith("-") and Path(a.split("::")[0]).exists() for a in args)
    workers = [] if named or any(a.startswith(("-n", "-p")) for a in args) else ["-n", "2"]
    sys.exit(pytest.main(["-q", "-rs", "--durations=10", "--rootdir", str(ROOT), *workers,
                          *([] if named else [str(ROOT / "tests")]), *args]))
