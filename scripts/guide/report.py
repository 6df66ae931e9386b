"""Problem records and how they are reported: `path:line:col: severity: message`, or JSON."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    col: int
    severity: str
    message: str
    rule: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"


# One problem, one line: a newline or control character quoted from the input is shown escaped.
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _one_line(message: str) -> str:
    return UNPRINTABLE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), message)


def error(path: str, line: int, col: int, message: str, rule: str = "") -> Problem:
    return Problem(str(path), line, col, ERROR, _one_line(message), rule)


def warning(path: str, line: int, col: int, message: str, rule: str = "") -> Problem:
    return Problem(str(path), line, col, WARNING, _one_line(message), rule)


def count(problems: list[Problem], severity: str) -> int:
    return sum(1 for p in problems if p.severity == severity)


def summary(problems: list[Problem], stats: dict[str, int]) -> str:
    errors, warnings = count(problems, ERROR), count(problems, WARNING)
    checked = ", ".join(f"{n} {what}" for what, n in stats.items())
    verdict = "clean" if not errors else "FAILED"
    return f"check {verdict}: {errors} error(s), {warnings} warning(s); checked {checked}"


def as_text(problems: list[Problem], stats: dict[str, int]) -> str:
    lines = [str(p) for p in sorted(problems)]
    lines.append(summary(problems, stats))
    return "\n".join(lines)


def as_json(problems: list[Problem], stats: dict[str, int]) -> str:
    return json.dumps(
        {
            "errors": count(problems, ERROR),
            "warnings": count(problems, WARNING),
            "stats": stats,
            "problems": [asdict(p) for p in sorted(problems)],
        },
        indent=2,
        ensure_ascii=False,
    )
