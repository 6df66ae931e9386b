"""Finding citations, front matter and evidence tables in chapter Markdown.

Citation syntax (pandoc-like, as mkdocs-bibtex reads it): `[@key]`, `[@a; @b]`, with an optional
prefix and locator per item: `[see @key, p. 5]`. Pandoc's `[-@key]` (suppress the author) is
accepted and, our style being numeric, shows exactly as `[@key]`. Not citations: anything inside
fenced, indented or inline code, HTML comments or front matter; a bracketed e-mail address
(`[a@b.org]`); a link whose text starts with @ (`[@name](https://...)`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import yamlfile
from .where import Positions

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})")
INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# A bracket on one line holding an @ that starts a word; not an image, link or link definition.
BLOCK = re.compile(r"(?<![!\\])\[(?P<body>[^\[\]\n]*?(?:^|(?<=[\s\[;]))-?@[^\[\]\n]*)\](?![(\[])")

ITEM = re.compile(
    r"^\s*(?P<prefix>[^@;]*?)\s*(?<![\w.])(?P<suppress>-)?@(?P<key>[^\s,;\]]+)\s*"
    r"(?:(?P<comma>,)\s*(?P<locator>[^;]*?))?\s*$"
)
TABLE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
# Lines whose content continues indented by four: list items, admonitions and details,
# footnotes, definitions. Inside them, code needs four more spaces (Python-Markdown's rule).
CONTAINER = re.compile(r"^[ \t]*(?:(?:[-*+]|\d+[.)])[ \t]+\S|(?:!!!|\?\?\?\+?)[ \t]*\S|\[\^[^\]]+\]:|:[ \t]+\S)")


@dataclass(frozen=True)
class Cite:
    key: str
    prefix: str
    locator: str
    line: int
    col: int
    suppress_author: bool = False  # Pandoc's [-@key]; a numeric style shows it as [@key]


@dataclass(frozen=True)
class CiteBlock:
    start: int
    end: int
    line: int
    col: int
    items: tuple[Cite, ...]
    error: str = ""

    @property
    def raw_length(self) -> int:
        return self.end - self.start


def _blank(match_text: str) -> str:
    return re.sub(r"[^\n]", " ", match_text)


def front_matter_span(text: str) -> int:
    """Length of the YAML front matter block (0 when there is none)."""
    if not text.startswith("---\n"):
        return 0
    end = text.find("\n---", 4)
    if end == -1:
        return 0
    close = text.find("\n", end + 4)
    return len(text) if close == -1 else close + 1


def read_front_matter(text: str) -> tuple[dict | None, tuple[int, int, str] | None]:
    """The front matter as a mapping, or where and why it is not one (line, col, message)."""
    span = front_matter_span(text)
    if not span:
        return None, None
    try:
        data = yamlfile.load(text[4:span].rsplit("\n---", 1)[0], first_line=2)  # 2: after '---'
    except yamlfile.Invalid as exc:
        return None, (exc.line, exc.col, f"front matter must be valid YAML: {exc.message}")
    if data is not None and not isinstance(data, dict):
        return None, (2, 1, "front matter must be `key: value` lines")
    return data, None


def front_matter(text: str) -> dict | None:
    return read_front_matter(text)[0]


def _indent(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip())


def mask_lines(text: str) -> tuple[str, tuple[int, str] | None]:
    """Blank out front matter, fenced, indented and inline code and HTML comments, keeping every
    offset; also say where a fence opens that never closes (line, fence)."""
    span = front_matter_span(text)
    text = _blank(text[:span]) + text[span:]
    lines = text.split("\n")
    fence: str | None = None
    opened = (0, "")
    containers: list[int] = []  # content indents of the list items, admonitions ... we are in
    blank, indented_code = True, False
    for i, line in enumerate(lines):
        if fence is not None:
            match = FENCE.match(line)
            if match and match.group("fence")[0] == fence[0] and len(match.group("fence")) >= len(fence) \
                    and not line.strip().strip(fence[0]):
                fence = None
            lines[i] = " " * len(line)
            continue
        if not line.strip():
            blank = True
            continue
        indent = _indent(line)
        if blank or CONTAINER.match(line):
            while containers and indent < containers[-1]:
                containers.pop()
        if indent >= (containers[-1] if containers else 0) + 4 and (blank or indented_code):
            lines[i] = " " * len(line)  # an indented code block
            blank, indented_code = False, True
            continue
        blank = indented_code = False
        match = FENCE.match(line)
        if match:
            fence, opened = match.group("fence"), (i + 1, match.group("fence"))
            lines[i] = " " * len(line)
            continue
        if CONTAINER.match(line):
            containers.append(indent + 4)
        lines[i] = INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line)
    masked = HTML_COMMENT.sub(lambda m: _blank(m.group(0)), "\n".join(lines))
    return masked, opened if fence is not None else None


def mask_code(text: str) -> str:
    """Blank out front matter, fenced, indented and inline code and HTML comments, keeping every offset."""
    return mask_lines(text)[0]


def is_link_definition(text: str, start: int, end: int) -> bool:
    """`[label]: url` opening a line (up to 3 spaces in) defines a link; "... [@key]:" mid-line
    is a citation followed by a colon."""
    indent = text[text.rfind("\n", 0, start) + 1:start]
    return text.startswith(":", end) and len(indent) <= 3 and not indent.strip()


def find_citations(text: str, masked: str | None = None) -> list[CiteBlock]:
    """Every citation block outside code, with its position; malformed ones carry an error."""
    masked = mask_code(text) if masked is None else masked
    where = Positions(text)
    blocks = []
    for match in BLOCK.finditer(masked):
        if is_link_definition(masked, match.start(), match.end()):
            continue
        body = match.group("body")
        body_start = match.start("body")
        line, col = where.at(match.start())
        items, problems, offset = [], [], 0
        for part in body.split(";"):
            item = ITEM.match(part)
            if item and item.group("comma") and not item.group("locator"):
                problems.append(part.strip() + " (empty locator after the comma)")
            elif item:
                key_line, key_col = where.at(body_start + offset + item.start("key") - 1)
                items.append(Cite(item.group("key"), item.group("prefix").strip(),
                                  (item.group("locator") or "").strip(), key_line, key_col,
                                  bool(item.group("suppress"))))
            else:
                problems.append(part.strip())
            offset += len(part) + 1
        if not items and not problems:
            continue
        error = ""
        if problems:
            error = (f"cannot read citation item '{problems[0]}' in '[{body}]'; "
                     "write [@key], [@a; @b] or [see @key, p. 5]")
        blocks.append(CiteBlock(match.start(), match.end(), line, col, tuple(items), error))
    return blocks


@dataclass(frozen=True)
class TableRow:
    line: int
    cells: tuple[str, ...]


def tables(text: str, masked: str | None = None) -> list[list[TableRow]]:
    """Pipe tables as lists of rows (header first, the |---| separator dropped)."""
    masked = mask_code(text) if masked is None else masked
    found: list[list[TableRow]] = []
    current: list[TableRow] = []
    for number, (line, shown) in enumerate(zip(masked.split("\n"), text.split("\n")), start=1):
        match = TABLE_ROW.match(line)
        if match:
            cells = tuple(c.strip() for c in TABLE_ROW.match(shown).group(1).split("|"))
            if not all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                current.append(TableRow(number, cells))
            continue
        if current:
            found.append(current)
            current = []
    if current:
        found.append(current)
    return found


@dataclass
class Page:
    """One Markdown file, parsed once for every rule that reads it."""

    path: str
    text: str
    masked: str
    meta: dict | None
    citations: list[CiteBlock]
    meta_error: tuple[int, int, str] | None = None  # front matter that is not valid YAML
    open_fence: tuple[int, str] | None = None  # a code fence that is never closed

    @classmethod
    def from_text(cls, path: str, text: str) -> "Page":
        masked, open_fence = mask_lines(text)
        meta, meta_error = read_front_matter(text)
        return cls(path, text, masked, meta, find_citations(text, masked), meta_error, open_fence)

    def tables(self) -> list[list[TableRow]]:
        return tables(self.text, self.masked)

    def line_of(self, needle: str) -> int:
        offset = self.masked.find(needle)
        return Positions(self.text).at(offset)[0] if offset >= 0 else 1
