"""Pages as Jinja2 templates: label values and shared partials go into a page before anything else.

A page writes `{{ octagam.rates.dm_max }}` for a label value and `{% include "rate-card.md" %}`
for a shared partial from `includes/`. The MkDocs hook renders each page here first, then
turns citations into markers; the checker renders the same way, so both see the same text.
Jinja2 is MkDocs' own templating engine; undefined names fail loudly instead of printing blanks.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .labels import Label

INCLUDES = Path("includes")


@dataclass(frozen=True)
class TemplateError(Exception):
    """A page or partial that cannot be rendered, with the line of the fault."""

    path: str
    line: int
    message: str


def environment(root: Path, labels: dict[str, Label]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root / INCLUDES)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is Markdown, escaped later by Markdown itself
        keep_trailing_newline=True,
        # `{#id}` is Markdown attribute syntax, not a template comment.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    env.globals.update({name: label.facts for name, label in labels.items()})
    env.globals["labels"] = labels
    return env


def render(env: jinja2.Environment, text: str, path: str) -> str:
    """Render one page; raise TemplateError pointing at the page's (or partial's) line."""
    if "{{" not in text and "{%" not in text:
        return text  # most of a page's text needs no template at all
    try:
        return env.from_string(text).render()
    except jinja2.TemplateSyntaxError as exc:
        where = f"{INCLUDES}/{exc.name}" if exc.name else path
        raise TemplateError(where, exc.lineno or 1, f"template syntax: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(path, _line_in(exc, "<template>"), f"partial '{exc.name}' is not in "
                            f"{INCLUDES}/") from None
    except (jinja2.UndefinedError, AttributeError, TypeError, ValueError) as exc:
        # Jinja rewrites tracebacks so template lines appear as frames; find the deepest one.
        where, line = path, 1
        for frame in traceback.extract_tb(exc.__traceback__):
            if frame.filename == "<template>":
                where, line = path, frame.lineno
            elif frame.filename.startswith(str(Path(env.loader.searchpath[0]))):
                where = str(INCLUDES / Path(frame.filename).name)
                line = frame.lineno
        raise TemplateError(where, line or 1, f"template value: {exc}") from None


def _line_in(exc: BaseException, filename: str) -> int:
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
    return lines[-1] if lines and lines[-1] else 1
