"""Running every rule over the repository: the store in bib/, the pages in docs/."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import rules
from .bib import CACHE_DIR, Store, load_store
from .markdown import Page
from .report import Problem, error

# Pages in these folders are chapters and must have the full chapter structure.
CHAPTER_DIRS = ("background", "diseases", "special-situations", "practice")


@dataclass
class Result:
    problems: list[Problem] = field(default_factory=list)
    store: Store = field(default_factory=Store)
    pages: list[Page] = field(default_factory=list)

    @property
    def stats(self) -> dict[str, int]:
        return {
            "bib files": len(self.store.files),
            "entries": len(self.store.entries),
            "pages": len(self.pages),
            "citations": sum(len(b.items) for p in self.pages for b in p.citations),
        }


def load_pages(docs: Path, root: Path) -> tuple[list[Page], list[Problem]]:
    pages, problems = [], []
    for path in sorted(docs.rglob("*.md")):
        shown = str(path.relative_to(root))
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(error(shown, 1, 1, f"cannot read page: {exc}", "page"))
            continue
        pages.append(Page.from_text(shown, text))
    return pages, problems


def is_chapter(page: Page) -> bool:
    parts = Path(page.path).parts
    return len(parts) >= 3 and parts[-2] in CHAPTER_DIRS


def run(root: Path, fail_unused: bool = False, cache: bool = True) -> Result:
    result = Result(store=load_store(root / "bib", root, root / CACHE_DIR if cache else None))
    if not result.store.files:
        result.problems.append(error("bib", 1, 1, "no .bib file found under bib/", "bib-syntax"))
    result.pages, page_problems = load_pages(root / "docs", root)
    result.problems += page_problems

    entries = result.store.entries
    for failure in result.store.failures:
        result.problems += rules.bib_parses(failure)
    for entry in entries:
        for rule in rules.ENTRY_RULES:
            result.problems += rule(entry)
    result.problems += rules.keys_unique(entries)
    result.problems += rules.dois_unique(entries)
    result.problems += rules.numbers_unique(entries)

    by_key = result.store.by_key()
    index = rules.KeyIndex(by_key)
    cited: set[str] = set()
    for page in result.pages:
        result.problems += rules.citation_syntax(page)
        result.problems += rules.citations_resolve(page, index)
        result.problems += rules.evidence_design_matches(page, by_key)
        if is_chapter(page):
            result.problems += rules.chapter_complete(page)
        cited.update(c.key for b in page.citations for c in b.items)
    result.problems += rules.entries_cited(entries, cited, fail_unused)
    return result
