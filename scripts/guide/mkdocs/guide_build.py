"""The MkDocs side of the guide: one object owns what a build remembers between events.

scripts/mkdocs_hooks.py is only the wiring table: `on_config` makes a GuideBuild, and every other
event forwards to one of its methods.

- Each page is first rendered as a template: label values (`data/labels/`) and partials
  (`includes/`) go in, so citations inside them are handled like any other.
- Citations `[@key]` become markers numbered as in the review, before mkdocs-bibtex sees them.
- Each page that cites something gets a References section listing what it cites.
- Evidence figures (SVG, drawn from the store's study facts): on the Evidence at a glance page,
  every study named in an evidence table; after the Key points box of each disease and
  special-situation chapter, the studies of that chapter's evidence table (never a study the page
  cites only through a shared partial such as the rate card).
- docs/references.md gets the full list; its back-links to citing sections are filled in once
  every page has been rendered.
- Any other `@` inside brackets or code is hidden from mkdocs-bibtex (which would rewrite
  `[@key]` in code, or a `[@name](url)` link) and given back in the HTML.
"""

from __future__ import annotations

import html as htmllib
import logging
import sys
from dataclasses import dataclass
from pathlib import Path

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

from ..check import guard
from ..html import (backlinks, citations, csp, evidence_pages, glossary, page_layout, page_parts,
                    printable, search_index, stash)
from ..html.citations import Formatter
from ..sources import labels, release, synonyms, template, yamlfile
from ..sources.bib import CACHE_DIR, load_store
from . import bibtex_plugin, offline

# Pages with a role of their own, by their path under docs/.
REFERENCES_PAGE = "references.md"
PRINT_PAGE = "print.md"
GLOSSARY_PAGE = "about/glossary.md"
# Markers a page carries where the build puts something in.
FULL_LIST_MARKER = "<!-- full-reference-list -->"
GLOSSARY_MARKER = "<!-- glossary -->"
PAGE_LIST_MARKER = "<!-- page-reference-list -->"
PRINT_MARKER = "<!-- whole-guide -->"

log = logging.getLogger("mkdocs.hooks.guide")


@dataclass
class Settings:
    """What scripts/build.py tells the hooks, in the loaded config (`config.extra["guide_build"]`),
    set by build/site.py before `build(config)`. A YAML mapping there works too (scripts/bench.py)."""

    download: release.Download | None = None  # the zip the hosted site offers, measured
    pdf: release.Download | None = None  # the PDF of the whole guide it offers, measured
    citations: bool = True  # off only for scripts/bench.py, which compares the two builds

    KEY = "guide_build"

    @classmethod
    def of(cls, config) -> Settings:
        given = config.extra.get(cls.KEY) or {}
        if isinstance(given, Settings):
            return given
        try:
            return cls(**given)
        except TypeError as exc:  # a misspelt key in mkdocs.yml: a located problem, not a traceback
            raise PluginError(f"extra: {cls.KEY}: {exc}") from None

    def put(self, config) -> None:
        config.extra[self.KEY] = self


def offline_enabled(config) -> bool:
    """The offline bundle's build: Material's offline plugin is on (build/site.py sets it)."""
    plugin = config.plugins.get("material/offline")
    return bool(plugin and plugin.config.enabled)


class GuideBuild:
    """One MkDocs build of the guide: made in on_config, one method per event after it."""

    def __init__(self, config) -> None:
        self.root = Path(config.config_file_path).parent
        settings = Settings.of(config)
        self.citations_enabled: bool = settings.citations
        self.offline: bool = offline_enabled(config)
        current, _ = release.load(self.root)
        # Version, date and download facts for the footer template and for pages (data/changes.yml).
        self.release: dict = release.template_values(current, self.offline, config.site_url or "",
                                                     settings.download, settings.pdf)
        config.extra["release"] = self.release
        # Label data and page templates: read when the first page is rendered.
        self.template: jinja2.Environment | None = None
        self.label_note: str = ""
        self.label_pages: set[str] = set()  # pages showing label values: their versions are named
        # Citations, by page (docs/ path), kept from the page's Markdown to its HTML.
        self.formatter: Formatter | None = None
        self.backlinks = backlinks.Backlinks()
        self.cited: dict[str, list[str]] = {}
        self.stashes: dict[str, stash.Stash] = {}
        self.contents: dict[str, str] = {}  # each page's finished content, for the print page
        self.evidence: dict[str, list] = {}
        self.glossary: str = ""
        # Search: each page's own terms; the References page's digest and full list.
        self.search_terms: dict[str, list[str]] = {}
        self.references_page: tuple[str, str] | None = None
        self.references_location: str | None = None
        if self.citations_enabled:
            self.read_citations(config)

    def read_citations(self, config) -> None:
        store = load_store(self.root / "bib", self.root, self.root / CACHE_DIR)
        for problem in store.warnings:  # an ignored cache file: one line, not a failed strict build
            print(problem, file=sys.stderr)
        entries = store.by_key()
        bibtex_plugin.attach(config, entries)
        self.formatter = Formatter(entries)
        self.evidence = evidence_pages.collect(Path(config.docs_dir))
        self.glossary = glossary.table(glossary.read(self.root / "includes" / "abbreviations.md"))

    # --- on_page_markdown ----------------------------------------------------------------------

    def page_markdown(self, markdown: str, page) -> str:
        markdown = self.render_template(markdown, page)
        if not self.citations_enabled:
            return markdown
        path = page.file.src_uri
        markdown, self.stashes[path], self.cited[path] = citations.stash_citations(self.formatter, markdown, path)
        markdown = stash.hide(markdown)
        markdown = markdown.replace(GLOSSARY_MARKER, "\n" + self.glossary + "\n")
        if self.cited[path] and path != REFERENCES_PAGE:
            # The heading goes through Markdown (for the table of contents); the list is added to
            # the HTML afterwards, so Markdown never has to wade through it.
            markdown += f"\n\n## References\n\n{PAGE_LIST_MARKER}\n"
        return markdown

    def render_template(self, markdown: str, page) -> str:
        """Label values and partials into the page; a fault is logged (strict: the build fails)."""
        if self.template is None:
            self.read_labels()
        try:
            rendered = template.render(self.template, markdown, f"docs/{page.file.src_uri}")
            if "octagam." in markdown or "rate-card.md" in markdown or page.file.src_uri == PRINT_PAGE:
                self.label_pages.add(page.file.src_uri)  # shows label values: name the versions
            return rendered
        except template.TemplateError as exc:
            log.error(f"{exc.path}:{exc.line}:1: {exc.message}")
            return markdown

    def read_labels(self) -> None:
        found, problems = labels.load(self.root)
        for problem in problems:
            if problem.severity == "error":  # warnings (a stale source) come from the checker
                log.error(str(problem))
        self.template = template.environment(self.root, found)
        self.template.globals.update(self.release)
        self.label_note = "; ".join(
            f"{label.data['product']} " + " and ".join(
                f"{s['name']} ({s['version']})" for s in label.data["sources"].values()
                if s.get("kind") == "label")
            for label in found.values())

    # --- on_page_content -----------------------------------------------------------------------

    def page_content(self, html: str, page, files) -> str:
        path = page.file.src_uri
        note = self.label_note if path in self.label_pages else None
        html = page_layout.add_page_head(html, str(page.meta.get("last_reviewed") or "") or None, note)
        html = page_layout.add_practice_jump(html)
        if path not in (PRINT_PAGE, GLOSSARY_PAGE):
            html = page_layout.add_abbreviation_list(html)
        if self.citations_enabled:
            html = self.add_citation_content(html, page, files)
        if path not in (PRINT_PAGE, REFERENCES_PAGE):
            html = page_parts.wrap(html)  # the print page has its own parts; see page_parts.py
        return html

    def add_citation_content(self, html: str, page, files) -> str:
        """Reference lists, figures drawn from the store, back-links; the page kept for the print guide."""
        path = page.file.src_uri
        html = self.stashes.pop(path, stash.Stash()).restore(stash.unhide(html))
        references = files.get_file_from_path(REFERENCES_PAGE)
        url = get_relative_url(references.url, page.url) if references else REFERENCES_PAGE
        html = self.add_figures(html, path, url)
        if path == REFERENCES_PAGE:
            html = html.replace(FULL_LIST_MARKER, self.formatter.full_list())
        elif PAGE_LIST_MARKER in html:
            html = html.replace(PAGE_LIST_MARKER, self.formatter.page_references(self.cited[path], url))
        self.backlinks.collect(page, html)
        self.contents[path] = html
        return html

    def add_figures(self, html: str, path: str, references_url: str) -> str:
        """The evidence figure on the Evidence page, a small one on disease and special-situation chapters."""
        entries = self.formatter.entries
        if evidence_pages.EVIDENCE_MARKER in html:
            figure = evidence_pages.block(entries, evidence_pages.all_evidence(self.evidence), references_url,
                                          "evidence-figure", "Every study in the guide's evidence tables",
                                          compact=False)
            html = html.replace(evidence_pages.EVIDENCE_MARKER, figure)
        if evidence_pages.has_chapter_figure(path):
            figure = evidence_pages.block(entries, self.evidence.get(path, []), references_url,
                                          "chapter-evidence", "Studies in this chapter's evidence table",
                                          compact=True)
            html = evidence_pages.after_key_points(html, figure)
        return html

    # --- on_page_context -----------------------------------------------------------------------

    def page_context(self, page, nav) -> None:
        if page.meta.get("search_terms"):
            self.search_terms[page.url] = [str(t) for t in page.meta["search_terms"]]
        if self.citations_enabled and page.file.src_uri == REFERENCES_PAGE:
            self.swap_in_references_digest(page)
        elif self.citations_enabled and page.file.src_uri == PRINT_PAGE:
            parts = [(p.url, p.title or "", self.contents[p.file.src_uri]) for p in nav.pages
                     if p.file.src_uri not in (PRINT_PAGE, REFERENCES_PAGE)]
            page.content = page.content.replace(PRINT_MARKER, printable.combine(parts, page.url))

    def swap_in_references_digest(self, page) -> None:
        """Search indexes a digest (reference texts only); the full list with its links and
        back-links replaces the digest in the finished page (post_page)."""
        full = page_parts.group_reference_items(self.backlinks.fill(page.content, page))
        start = full.index(citations.LISTS_START)
        end = full.index(citations.LISTS_END, start) + len(citations.LISTS_END)
        digest = full[:start] + self.formatter.search_digest() + full[end:]
        self.references_page = (digest, full)
        page.content = digest
        self.references_location = page.url

    # --- on_post_page --------------------------------------------------------------------------

    def post_page(self, output: str, page) -> str:
        if self.citations_enabled:
            self.report_leftover_citations(output, page)
        if self.citations_enabled and page.file.src_uri == REFERENCES_PAGE:
            digest, full = self.references_page
            if digest not in output:
                log.error("references.md: the search digest was not found in the page; "
                          "the full reference list could not be put in place")
            output = output.replace(digest, full, 1)
        return csp.add_policy(output, self.offline)

    def report_leftover_citations(self, output: str, page) -> None:
        """Fail the build, at the source line, for citation markup or placeholders a reader would see."""
        raw, placeholders = guard.raw_citations(output), stash.leftover(output)
        if not (raw or placeholders):
            return
        source = Path(page.file.abs_src_path).read_text(encoding="utf-8") if page.file.abs_src_path else ""
        for found in raw:
            line, col = guard.locate(source, found)
            log.error(f"docs/{page.file.src_uri}:{line}:{col}: citation markup '{found}' reaches readers "
                      "unconverted; write citations as [@key] in the page itself, not in an included snippet")
        if placeholders:
            log.error(f"docs/{page.file.src_uri}:{guard.heading_citation_line(source)}:1: a citation in a "
                      "heading cannot be shown (its text is copied to the table of contents); cite in the "
                      "text under the heading")

    # --- on_post_build -------------------------------------------------------------------------

    def post_build(self, config) -> None:
        if self.offline:
            offline.relative_404(Path(config.site_dir), config.site_url)
        index = Path(config.site_dir) / "search" / "search_index.json"
        if not index.exists():
            return
        references = []
        if self.citations_enabled and self.references_location is not None:
            formatter = self.formatter
            references = [(formatter.number(k), htmllib.unescape(formatter.text(k)),
                           citations.design_label(formatter.entries[k]))
                          for k in sorted(formatter.entries, key=formatter.number)]
        try:
            groups = synonyms.load(self.root)
        except yamlfile.Invalid as exc:
            log.error(f"{synonyms.SYNONYMS}:{exc.line}:{exc.col}: search synonyms: {exc.message}")
            return
        search_index.transform(index, search_index.Expander(groups), self.references_location, references,
                               self.search_terms)
