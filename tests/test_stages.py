"""The package's folders are the pipeline's stages, and each folder's rule holds (read from the imports).

sources/ reads the repository; check/ decides; html/ turns strings into strings; mkdocs/ is the
only code that knows MkDocs events; build/ runs MkDocs and publishes. A stage imports only the
stages below it, and only mkdocs/ and build/ import MkDocs.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

GUIDE = Path(__file__).resolve().parents[1] / "scripts" / "guide"
STAGES = ("sources", "check", "html", "mkdocs", "build")
# What each stage may import from the package; "" is the shared top (report, cachefiles).
ALLOWED = {
    "": {""},
    "sources": {"", "sources"},
    "check": {"", "sources", "check"},
    "html": {"", "sources", "html"},
    "mkdocs": {"", "sources", "check", "html", "mkdocs"},
    "build": {"", "sources", "check", "html", "mkdocs", "build"},
}
MAY_IMPORT_MKDOCS = {"mkdocs", "build"}


def stage_of(relative: Path) -> str:
    return relative.parts[0] if len(relative.parts) > 1 else ""


def imports(relative: Path, text: str) -> list[tuple[int, str]]:
    """(line, absolute module name) for every import in the file, relative ones resolved."""
    package = ["guide", *relative.parts[:-1]]
    found = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            if node.module is None:  # from . import a, b: each name may be a module
                found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, module))
    return found


def target_stage(module: str) -> str | None:
    """The stage a `guide...` module belongs to, or None for a module outside the package."""
    parts = module.split(".")
    if parts[0] != "guide":
        return None
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else ""


def broken_rules(relative: Path, text: str) -> list[str]:
    stage = stage_of(relative)
    wrong = []
    for line, module in imports(relative, text):
        target = target_stage(module)
        if target is not None and target not in ALLOWED[stage]:
            wrong.append(f"{relative}:{line}: {stage or 'guide'}/ imports {module}")
        if module.split(".")[0] in ("mkdocs", "mkdocs_bibtex", "material") and stage not in MAY_IMPORT_MKDOCS:
            wrong.append(f"{relative}:{line}: only mkdocs/ and build/ may import {module}")
    return wrong


MODULES = sorted(p.relative_to(GUIDE) for p in GUIDE.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_module_sits_in_a_stage_or_is_shared():
    loose = {p.name for p in MODULES if stage_of(p) == ""}
    assert loose == {"__init__.py", "report.py", "cachefiles.py"}
    assert {p.parts[0] for p in MODULES if stage_of(p)} == set(STAGES)


@pytest.mark.parametrize("relative", MODULES, ids=lambda p: p.as_posix())
def test_each_stage_imports_only_what_its_folder_allows(relative: Path):
    assert broken_rules(relative, (GUIDE / relative).read_text(encoding="utf-8")) == []


def test_a_forbidden_import_is_reported_at_its_line():
    text = "import re\nfrom mkdocs.utils import get_relative_url\nfrom ..check import rules\nfrom ..sources import bib\n"
    assert broken_rules(Path("html/x.py"), text) == [
        "html/x.py:2: only mkdocs/ and build/ may import mkdocs.utils",
        "html/x.py:3: html/ imports guide.check",
    ]
    assert broken_rules(Path("sources/x.py"), "from .. import report\nfrom ..html import stash\n") == [
        "sources/x.py:2: sources/ imports guide.html"]


def test_relative_urls_are_the_ones_mkdocs_makes():
    from mkdocs.utils import get_relative_url

    from guide.html.urls import relative_url

    pages = ["", "/", "index.html", "references/", "a/b/", "a/b/c.html", "a/../x/", "about/glossary/",
             "a/", "a/b", "img.png", "a/img.png", "../../up/", "print/"]
    for url in pages:
        for other in pages:
            assert relative_url(url, other) == get_relative_url(url, other), (url, other)


# --- the MkDocs side: one owner, a wiring table, settings in the config --------------------------

HOOKS = GUIDE.parent / "mkdocs_hooks.py"


def test_the_hooks_file_is_a_wiring_table():
    """Each event forwards to the GuideBuild in one line (on_config makes it; on_page_context
    and on_config also hand MkDocs back what it gave)."""
    tree = ast.parse(HOOKS.read_text(encoding="utf-8"))
    events = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    assert {e.name for e in events} == {"on_config", "on_page_markdown", "on_page_content", "on_page_context",
                                        "on_post_page", "on_post_build"}
    for event in events:
        body = [n for n in event.body if not isinstance(n, (ast.Global, ast.Return))
                or (isinstance(n, ast.Return) and not isinstance(n.value, ast.Name))]
        assert len(body) == 1, event.name
    assert len(HOOKS.read_text(encoding="utf-8").splitlines()) < 60


def test_no_environment_variable_carries_settings_to_the_hooks():
    for path in (HOOKS, GUIDE / "mkdocs" / "guide_build.py", GUIDE / "sources" / "release.py"):
        text = path.read_text(encoding="utf-8")
        assert "os.environ" not in text and "getenv" not in text, path


def test_settings_come_from_the_config_whether_set_by_the_build_or_written_in_yaml():
    from types import SimpleNamespace

    from mkdocs.exceptions import PluginError

    from guide.mkdocs.guide_build import Settings
    from guide.sources.release import Download

    config = SimpleNamespace(extra={})
    assert Settings.of(config) == Settings(download=None, citations=True)
    Settings(download=Download("x.zip", 3, "ab")).put(config)
    assert Settings.of(config).download.filename == "x.zip"
    assert Settings.of(SimpleNamespace(extra={"guide_build": {"citations": False}})).citations is False
    with pytest.raises(PluginError, match="guide_build"):
        Settings.of(SimpleNamespace(extra={"guide_build": {"citation": False}}))


# --- one "where" -----------------------------------------------------------------------------

def test_one_home_for_line_and_column():
    """Every reader finds positions with sources/where.py; no module counts lines its own way."""
    from guide.sources.where import Positions, first_line, lines

    text = "a\nbb [@x]\n\nlast_reviewed: 2026\n[@y]"
    assert Positions(text).at(0) == (1, 1) and Positions(text).at(text.index("[@x]")) == (2, 4)
    assert Positions(text).at(len(text)) == (5, 5)
    assert lines(text, "[@") == [2, 5]
    assert first_line(text, lambda line: line.startswith("last_reviewed:")) == 4
    assert first_line(text, "absent") == 1 and first_line(text, "absent", default=7) == 7
    # "the first line that holds X" and "offset -> line" written again (a line-by-line parser is fine)
    counting = re.compile(r"next\(\(\w+ for \w+, \w+ in enumerate\(|for m in re\.finditer\(\"\\n\"|"
                          r"\.count\(\"\\n\", 0, |for \w+, \w+ in enumerate\(\w+\.splitlines\(\)")
    own = [str(p) for p in MODULES if p.name != "where.py" and counting.search((GUIDE / p).read_text(encoding="utf-8"))]
    assert own == []
