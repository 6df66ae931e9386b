"""BibTeX syntax that bibtexparser passes on without judging, read here so every mistake gets
its own line: `#` concatenation, `@string` and month macros, a missing comma between fields,
unbalanced braces or quotes, an entry without its `@`, fields left outside any entry.

Every function is pure: text in, a value or a located Slip out (lines are 1-based).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Slip:
    """A syntax mistake: `offset` is where it is, counted in the text the caller passed."""

    offset: int
    message: str


# BibTeX predefines the month macros jan ... dec.
MONTHS = {name[:3].lower(): name for name in calendar.month_name if name}
# A macro name as BibTeX reads it: not starting with a digit, none of these characters.
MACRO = re.compile(r'[^\d\s"#%\'(),={}][^\s"#%\'(),={}]*')
NUMBER = re.compile(r"\d+")


BRACES = re.compile(r"\\.|[{}]", re.DOTALL)
BRACES_OR_QUOTE = re.compile(r'\\.|[{}"]', re.DOTALL)


def _group_end(text: str, start: int) -> int:
    """Index just past the brace group opening at `start`, or -1 if it never closes."""
    depth = 0
    for match in BRACES.finditer(text, start):
        char = match.group()
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return match.end()
    return -1


def _quote_end(text: str, start: int) -> int:
    """Index just past the quoted string opening at `start` (quotes inside braces do not count)."""
    depth = 0
    for match in BRACES_OR_QUOTE.finditer(text, start + 1):
        char = match.group()
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char == '"' and depth == 0:
            return match.end()
    return -1


def expand(value: str, macros: dict[str, str]) -> tuple[str, Slip | None]:
    """An unbraced value (`jan`, `jbiol`, `{A} # jbiol # "x"`) as text, or the first Slip in it.

    `macros` maps lower-case @string names to their text; BibTeX's month macros are built in.
    """
    out, i = [], 0
    while True:
        while i < len(value) and value[i].isspace():
            i += 1
        if i >= len(value):
            return "".join(out), Slip(len(value), "a value must follow '#'")
        char = value[i]
        if char == "{":
            end = _group_end(value, i)
            part = value[i + 1:end - 1] if end > 0 else None
        elif char == '"':
            end = _quote_end(value, i)
            part = value[i + 1:end - 1] if end > 0 else None
        else:
            match = NUMBER.match(value, i) or MACRO.match(value, i)
            if match is None:
                return "", Slip(i, f"a value must be {{text}}, \"text\", a number or an @string macro, "
                                   f"not '{value[i:i + 10]}'")
            end, name = match.end(), match.group(0)
            if name[0].isdigit():
                part = name
            else:
                part = macros.get(name.lower(), MONTHS.get(name.lower()))
                if part is None:
                    return "", Slip(i, f"macro '{name}' must be defined by an @string before it is "
                                       "used; or write the text in braces: {...}")
        if part is None:
            return "", Slip(i, "this brace or quote must be closed")
        out.append(part)
        rest = value[end:]
        after = len(rest) - len(rest.lstrip())
        if not rest.strip():
            return "".join(out), None
        if rest.lstrip()[0] != "#":
            word = re.match(r"[\w-]+", rest.lstrip())
            hint = f" ('{word.group(0)}' follows)" if word else ""
            return "", Slip(end, f"a comma must end this field{hint}: fields are separated by commas")
        i = end + after + 1


FIELD_START = re.compile(r"^[ \t]*(?P<name>[A-Za-z][\w:.+-]*)[ \t]*=", re.MULTILINE)
ENTRY_HEAD = re.compile(r"^[ \t]*(?P<type>[A-Za-z]+)[ \t]*[{(][ \t]*(?P<key>[^\s,={}()]+)[ \t]*,",
                        re.MULTILINE)


def stray_text(comment: str) -> Slip | None:
    """Text between entries that BibTeX would silently skip but that was meant as an entry."""
    head = ENTRY_HEAD.search(comment)
    field = FIELD_START.search(comment)
    if head and (field is None or head.start() <= field.start()):
        return Slip(head.start("type"), f"entry '{head.group('key')}' must start with '@': "
                                        f"write @{head.group('type')}{{{head.group('key')}, ...")
    if field:
        return Slip(field.start("name"), f"field '{field.group('name')}' must be inside an entry")
    return None


def unbalanced(raw: str) -> Slip | None:
    """Where a failed entry's braces or quotes go wrong: the value opened and still open when
    the next field starts, an extra closing brace, or an entry never closed."""
    depth, quoted, opened, i = 0, False, -1, 0
    while i < len(raw):
        char = raw[i]
        if char == "\\":
            i += 2
            continue
        if char == "\n" and (depth > 1 or quoted) and FIELD_START.match(raw, i + 1):
            name = FIELD_START.match(raw, i + 1).group("name")
            what, closer = ("quote", '"') if quoted else ("brace", "}")
            return Slip(opened, f"this value's {what} must be closed with {closer} before the "
                                f"field '{name}' starts")
        if char == '"' and depth == 1:
            quoted = not quoted
            opened = i if quoted else opened
        elif char == "{":
            depth += 1
            if depth == 2 and not quoted:
                opened = i
        elif char == "}":
            depth -= 1
            if depth < 0:
                return Slip(i, "this '}' closes nothing: braces must balance")
        i += 1
    if depth > 1:
        return Slip(opened, "this brace is never closed: braces must balance within an entry")
    if depth == 1 or quoted:
        return Slip(raw.find("{") if depth == 1 else opened,
                    "this entry must be closed with '}' after its last field")
    return None
