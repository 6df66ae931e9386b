"""Where something is in a file, the one way every reader finds it: 1-based line and column.

Lines are split at "\n" only, as Markdown and the offsets below count them. Where a YAML parser
found a fault is yamlfile.where's job (it reads the parser's marks).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from functools import cached_property


class Positions:
    """A file's text with offset -> (line, col), both 1-based; lines indexed on first use."""

    def __init__(self, text: str):
        self.text = text

    @cached_property
    def starts(self) -> list[int]:
        return [0] + [m.end() for m in re.finditer("\n", self.text)]

    def at(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1


def lines(text: str, wanted: str | Callable[[str], object]) -> list[int]:
    """The numbers of the lines that contain `wanted` (a string) or for which it is true."""
    test = wanted if callable(wanted) else (lambda line: wanted in line)
    return [number for number, line in enumerate(text.split("\n"), start=1) if test(line)]


def first_line(text: str, wanted: str | Callable[[str], object], default: int = 1) -> int:
    """The number of the first line that contains `wanted` (or for which it is true), else `default`."""
    found = lines(text, wanted)
    return found[0] if found else default
