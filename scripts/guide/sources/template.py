"""Pages as Jinja2 templates: label values and shared partials go into a page before anything else.

A page writes `{{ octagam.rates.dm_max }}` for a label value and `{% include "rate-card.md" %}`
for a shared partial from `includes/`. The MkDocs hook renders each page here first, then
turns citations into markers; the checker renders the same way, so both see the same text.
Jinja2 is MkDocs' own templating engine; undefined names fail loudly instead of printing blanks.

A page is written by any contributor, so its template runs in Jinja's immutable sandbox: no
attribute starting with `_`, no method that changes a value, no huge powers or repeated strings,
and partials only from regular files inside `includes/` (no symlinks). Reaching past that is a
build error at the template's line, never code that runs.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.sandbox
from markupsafe import Markup

from .labels import Label

INCLUDES = Path("includes")


@dataclass(frozen=True)
class TemplateError(Exception):
    """A page or partial that cannot be rendered, with the line of the fault."""

    path: str
    line: int
    message: str


# The largest number or string a template may compute; far above anything a page needs.
MAX_POWER = 64
MAX_REPEAT = 10_000


class _Sandbox(jinja2.sandbox.ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with `**` and string repetition bounded (no denial of service)."""

    intercepted_binops = frozenset({"**", "*"})

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_POWER:
            raise jinja2.sandbox.SecurityError(f"power above {MAX_POWER} is not allowed in a page")
        if operator == "*" and any(isinstance(v, (str, list, tuple)) for v in (left, right)):
            count = right if isinstance(left, (str, list, tuple)) else left
            if isinstance(count, int) and count > MAX_REPEAT:
                raise jinja2.sandbox.SecurityError(f"repeating more than {MAX_REPEAT} times is not "
                                                   "allowed in a page")
        return super().call_binop(context, operator, left, right)


class _IncludesLoader(jinja2.FileSystemLoader):
    """Partials are regular files directly under includes/: a symlink, a subfolder or anything
    else is not found (a link could otherwise read any file on the machine into a page)."""

    def get_source(self, environment, template):
        path = Path(self.searchpath[0]) / template
        if "/" in template or "\\" in template or path.is_symlink() or not path.is_file():
            raise jinja2.TemplateNotFound(template)
        return super().get_source(environment, template)


def escape_value(value) -> Markup:
    """Every value a page prints is text: `<`, `>` and `&` escaped, so a label text, version or
    title with markup is shown as written. (Quotes stay: the output is Markdown, and Markdown
    escapes the attributes it makes.) A value that is already Markup, such as the calculator's
    JSON, was made safe for its place by the code that made it."""
    if isinstance(value, Markup):
        return value
    text = str(value)
    return Markup(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def environment(root: Path, labels: dict[str, Label]) -> jinja2.Environment:
    env = _Sandbox(
        loader=_IncludesLoader(str(root / INCLUDES)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is Markdown: escape_value does what Markdown needs
        finalize=escape_value,
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
    except jinja2.sandbox.SecurityError as exc:
        where, line = _deepest(env, exc, path)
        raise TemplateError(where, line, f"template not allowed: {exc}") from None
    except (jinja2.TemplateError, AttributeError, TypeError, ValueError, ArithmeticError,
            LookupError, RecursionError) as exc:
        where, line = _deepest(env, exc, path)
        raise TemplateError(where, line, f"template value: {exc}") from None


def _deepest(env: jinja2.Environment, exc: BaseException, path: str) -> tuple[str, int]:
    """Jinja rewrites tracebacks so template lines appear as frames; the deepest one is the fault."""
    where, line = path, 1
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == "<template>":
            where, line = path, frame.lineno
        elif frame.filename.startswith(str(Path(env.loader.searchpath[0]))):
            where = str(INCLUDES / Path(frame.filename).name)
            line = frame.lineno
    return where, line or 1


def _line_in(exc: BaseException, filename: str) -> int:
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
    return lines[-1] if lines and lines[-1] else 1
