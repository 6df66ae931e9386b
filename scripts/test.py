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
    # A named test file or folder replaces the default of every test (an option's value, as in
    # `-k name` or `-m "not browser"`, is not a path).
    named = [a for i, a in enumerate(args)
             if not a.startswith("-") and (i == 0 or args[i - 1] not in ("-k", "-m", "-p", "-c", "-o"))]
    targets = [] if named else [str(ROOT / "tests")]
    sys.exit(pytest.main(["-q", "-rs", "--durations=10", "--rootdir", str(ROOT), *targets, *args]))
