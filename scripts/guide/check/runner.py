"""Running every rule over the repository: the store in bib/, the pages in docs/."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..report import Problem, error
from ..sources import labels as label_data
from ..sources import release, synonyms, template, where, yamlfile
from ..sources.bib import CACHE_DIR, Store, load_store
from ..sources.markdown import Page
from . import rules

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
    """A page in a chapter folder, except the folder's index.md (a section overview)."""
    parts = Path(page.path).parts
    return len(parts) >= 3 and parts[-2] in CHAPTER_DIRS and parts[-1] != "index.md"


def run(root: Path, fail_unused: bool = False, cache: bool = True) -> Result:
    # The checker always parses (reuse=False): no file under .cache/ can decide a check. It
    # writes the cache for the build that follows, which then parses nothing again.
    result = Result(store=load_store(root / "bib", root, root / CACHE_DIR if cache else None, reuse=False))
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
    result.problems += rules.analyses_name_their_trial(entries)
    result.problems += rules.parents_hold_their_children(entries)

    by_key = result.store.by_key()
    index = rules.KeyIndex(by_key, result.store.unreadable)
    cited: set[str] = set()
    for page in result.pages:
        result.problems += rules.front_matter_valid(page)
        result.problems += rules.fences_closed(page)
        result.problems += rules.citation_syntax(page)
        result.problems += rules.citations_placed(page)
        result.problems += rules.nothing_loaded_from_the_network(page)
        result.problems += rules.citations_resolve(page, index)
        result.problems += rules.evidence_design_matches(page, by_key)
        if is_chapter(page):
            result.problems += rules.chapter_complete(page)
            result.problems += rules.since_the_review_is_complete(page, entries)
        cited.update(c.key for b in page.citations for c in b.items)
    current, release_problems = release.load(root)
    result.problems += release_problems
    if current:
        result.problems += release.citation_matches(root, current)
    try:
        synonyms.load(root)
    except yamlfile.Invalid as exc:
        result.problems.append(error(str(synonyms.SYNONYMS), exc.line, exc.col,
                                     f"search synonyms: {exc.message}", "synonyms"))
    problems, partial_cites = check_templates(root, result.pages, index, current)
    result.problems += problems
    cited.update(partial_cites)
    result.problems += rules.entries_cited(entries, cited, fail_unused)
    return result


# Pages are checked, not shipped: any absolute address renders `{{ site_url }}` the same way (the
# build uses MkDocs' own config.site_url).
CHECKED_SITE_URL = "https://example.invalid/"
# The glossary is a pymdownx.snippets file, appended to every page as is: not a template.
NOT_PARTIALS = ("abbreviations.md",)


def check_templates(root: Path, pages: list[Page], index: rules.KeyIndex,
                    current: release.Release | None) -> tuple[list[Problem], set[str]]:
    """Label data and partials are valid, every page renders, and the partials' citations resolve."""
    labels, problems = label_data.load(root)
    for path, line, key in label_data.source_keys(labels):
        if key not in index.keys:
            problems.append(error(path, line, 1, f"label source key '{key}' is not in bib/", "label"))
    if any(p.severity == "error" for p in problems):
        return problems, set()  # pages cannot render until the label data is right
    for page in pages:
        problems += rules.rates_from_data(page)
    env = template.environment(root, labels)
    env.globals.update(release.template_values(current, offline=False, site_url=CHECKED_SITE_URL,
                                               download=None))
    known = label_data.known_rates(labels)
    for page in pages:
        try:
            rendered = template.render(env, page.text, page.path)
        except template.TemplateError as exc:
            problems.append(error(exc.path, exc.line, 1, exc.message, "template"))
            continue
        problems += rules.rendered_rates_known(page.path, page.text, rendered, known)
    for path in sorted((root / "data").glob("*.y*ml")) if (root / "data").is_dir() else []:
        problems += rules.data_rates_from_labels(str(path.relative_to(root)),
                                                 path.read_text(encoding="utf-8", errors="replace"))
    cited: set[str] = set()
    includes = root / template.INCLUDES
    for path in sorted(includes.glob("*")) if includes.is_dir() else []:
        if path.name in NOT_PARTIALS or path.suffix not in (".md", ".html"):
            continue
        shown = str(path.relative_to(root))
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(error(shown, 1, 1, f"cannot read partial (UTF-8 text expected): {exc}",
                                  "template"))
            continue
        problems += rules.rates_from_data(Page.from_text(shown, source))
        try:
            rendered = template.render(env, source, shown)
        except template.TemplateError as exc:
            problems.append(error(exc.path, exc.line, 1, exc.message, "template"))
            continue
        partial = Page.from_text(shown, rendered)
        for problem in [*rules.citation_syntax(partial), *rules.citations_resolve(partial, index)]:
            # Rendering can drop comment lines: point at the source line holding the citation.
            found = where.lines(source, "[@")
            line = problem.line if problem.line in found or not found else found[0]
            problems.append(error(shown, line, problem.col, problem.message, problem.rule))
        cited.update(c.key for b in partial.citations for c in b.items)
    return problems, cited
