"""Run every test inside the pinned environment: `python3 scripts/test.py [pytest args]`.

Creates .venv/ on first use (see bootstrap.py), then runs pytest on tests/. Browser tests use
Debian's Chromium when it is installed; under CI=true a missing browser fails them.
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
    # Named test files or folders run alone; with none, the whole of tests/ runs.
    named = any(not a.startswith("-") and Path(a.split("::")[0]).exists() for a in args)
    sys.exit(pytest.main(["-q", "-rs", "--rootdir", str(ROOT), *([] if named else [str(ROOT / "tests")]), *args]))
