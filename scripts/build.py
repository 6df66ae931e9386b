"""Check the citation store and the chapters, then build the hosted site and the offline bundle.

    python3 scripts/build.py            check, build site/, dist/<name>-offline.zip and the PDF
    python3 scripts/build.py --check    check only (add --json for machines)

Every problem is printed as `path:line:col: severity: message`. Exit status: 0 clean, 1 problems
found, 2 usage or internal error. Never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bootstrap import ROOT, ensure_venv  # noqa: E402

# Once every reference is cited by a chapter, an uncited entry fails the build (not --check).
FAIL_UNUSED_IN_BUILD = True


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scripts/build.py", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="run the checker only")
    parser.add_argument("--json", action="store_true", help="print the check result as JSON")
    parser.add_argument("--fail-unused", action="store_true",
                        help="an entry that no page cites is an error, not a warning")
    parser.add_argument("--no-offline", action="store_true", help="skip the offline bundle (and the PDF)")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF of the whole guide")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def check(args: argparse.Namespace) -> int:
    from guide.check import runner as checker
    from guide import report

    result = checker.run(args.root, fail_unused=args.fail_unused or (
        not args.check and FAIL_UNUSED_IN_BUILD))
    if args.json:
        print(report.as_json(result.problems, result.stats))
    else:
        print(report.as_text(result.problems, result.stats), file=sys.stderr if not args.check
              else sys.stdout)
    return 1 if report.count(result.problems, report.ERROR) else 0


def main(argv: list[str]) -> int:
    try:
        args = parse_args(argv)
    except SystemExit as exc:  # argparse already printed the usage
        return 2 if exc.code else 0
    ensure_venv()
    try:
        from guide.build import output

        output.sigterm_as_interrupt()  # SIGTERM unwinds like Ctrl-C: outputs stay as they were
        status = check(args)
        if status or args.check:
            return status
        from guide.build import site

        return site.build_all(args.root, offline=not args.no_offline, pdf=not args.no_pdf)
    except KeyboardInterrupt:
        print("scripts/build.py:1:1: error: interrupted; site/ and dist/ are as the last complete "
              "build left them", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - the contract is "never a traceback"
        print(f"scripts/build.py:1:1: error: internal error: {type(exc).__name__}: {exc}",
              file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
