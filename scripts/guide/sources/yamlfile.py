"""The one way the guide reads YAML (label data, the change list, search synonyms, front matter,
CITATION.cff): safe types only, and stricter than YAML itself where YAML is silent.

- A key written twice in one mapping is an error at its second line (YAML keeps the last one
  silently, so a second `dm_max:` would replace the first without a word).
- Anchors and aliases (`&name`, `*name`) are errors: the guide's files never need them, and
  nested aliases can make a few lines expand to gigabytes.
- Every error carries the line and column it was found at (1-based).
"""

from __future__ import annotations

import yaml


class Invalid(ValueError):
    """YAML the guide will not read, with where and why."""

    def __init__(self, line: int, col: int, message: str):
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


class StrictLoader(yaml.SafeLoader):
    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(None, None, "anchors and aliases (&name, *name) are not "
                                              "allowed; write the value out", event.start_mark)
        return super().compose_node(parent, index)

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, OverflowError) as exc:  # e.g. a date like 2026-13-01
            if isinstance(exc, yaml.YAMLError):
                raise
            raise yaml.constructor.ConstructorError(None, None, f"'{node.value}' is not a valid value: "
                                                    f"{exc}", node.start_mark) from None

    def construct_mapping(self, node, deep=False):
        seen: set = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                repeated = key in seen
            except TypeError:  # an unhashable key: SafeLoader says so itself below
                continue
            if repeated:
                raise yaml.constructor.ConstructorError(None, None, f"key '{key}' is written twice in "
                                                        "one mapping", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                             lambda loader, node: loader.construct_mapping(node, deep=True))


def where(exc: yaml.YAMLError, first_line: int = 1) -> tuple[int, int]:
    """Line and column of a YAML error in a file whose text starts at `first_line`: where the
    construct that went wrong opened (an unclosed '['), else where the fault was noticed."""
    mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
    return (mark.line + first_line, mark.column + 1) if mark else (first_line, 1)


def describe(exc: BaseException) -> str:
    parts = [str(p) for p in (getattr(exc, "context", None), getattr(exc, "problem", None)) if p]
    return " ".join(parts) or str(exc)


def load(text: str, loader: type[StrictLoader] = StrictLoader, first_line: int = 1):
    """The data in `text`; raises Invalid (line, column, message) for anything the guide refuses."""
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        line, col = where(exc, first_line)
        raise Invalid(line, col, describe(exc)) from None
    except (ValueError, TypeError, RecursionError) as exc:  # e.g. a date like 2026-13-01
        raise Invalid(first_line, 1, str(exc)) from None
