"""MkDocs hooks: thin glue between MkDocs events and the `guide` package.

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
- Any other `@` inside brackets or code is shielded from mkdocs-bibtex (which would rewrite
  `[@key]` in code, or a `[@name](url)` link) and restored in the HTML.
"""

from __future__ import annotations

import html
import logging
import os
import sys
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

sys.path.insert(0, str(Path(__file__).resolve().parent))

from guide.sources.bib import CACHE_DIR, load_store  # noqa: E402
from guide.sources.markdown import Page  # noqa: E402
from guide.html import citations as render  # noqa: E402
from guide.html.citations import Formatter  # noqa: E402
from guide.html import (backlinks, csp, evidence_pages, glossary, page_layout, page_parts,  # noqa: E402
                        printable, search_index, stash)
from guide.mkdocs import bibtex_plugin, offline  # noqa: E402
from guide.check import guard  # noqa: E402
from guide.sources import labels, release, synonyms, template, yamlfile  # noqa: E402

REFERENCES_PAGE = "references.md"
FULL_LIST_MARKER = "<!-- full-reference-list -->"
GLOSSARY_MARKER = "<!-- glossary -->"
PAGE_LIST_MARKER = "<!-- page-reference-list -->"
PRINT_PAGE = "print.md"
PRINT_MARKER = "<!-- whole-guide -->"

state: dict = {}
log = logging.getLogger("mkdocs.hooks.guide")

# GUIDE_CITATIONS=off builds the site with no citation processing at all (only for
# scripts/bench.py, which compares the two builds); the shipped site always has it on.
ENABLED = os.environ.get("GUIDE_CITATIONS", "on") != "off"


@event_priority(100)  # before mkdocs-bibtex's own on_config, which then keeps our registry
def on_config(config):
    state.clear()
    root = Path(config.config_file_path).parent
    # Version, date and download facts for the footer template and for pages (data/changes.yml).
    offline = os.environ.get("OFFLINE", "false") == "true"
    state["release"] = release.template_values(root, offline)
    config.extra["release"] = state["release"]
    if not ENABLED:
        return config
    store = load_store(root / "bib", root, root / CACHE_DIR)
    for problem in store.warnings:  # an ignored cache file: one line, not a failed strict build
        print(problem, file=sys.stderr)
    entries = store.by_key()
    bibtex_plugin.attach(config, entries)
    state["formatter"] = Formatter(entries)
    state["backlinks"] = backlinks.Backlinks()
    state["cited"] = {}
    state["stashes"] = {}
    state["contents"] = {}
    state["evidence"] = evidence_pages.collect(Path(config.docs_dir))
    state["glossary"] = glossary.table(glossary.read(root / "includes" / "abbreviations.md"))
    return config


def render_template(markdown, page, config):
    """Label values and partials into the page; a fault is logged (strict: the build fails)."""
    if "template" not in state:
        root = Path(config.config_file_path).parent
        found, problems = labels.load(root)
        for problem in problems:
            if problem.severity == "error":  # warnings (a stale source) come from the checker
                log.error(str(problem))
        state["template"] = template.environment(root, found)
        state["template"].globals.update(state["release"])
        state["label_note"] = "; ".join(
            f"{label.data['product']} " + " and ".join(
                f"{s['name']} ({s['version']})" for s in label.data["sources"].values()
                if s.get("kind") == "label")
            for label in found.values())
        state["label_pages"] = set()
    try:
        rendered = template.render(state["template"], markdown, f"docs/{page.file.src_uri}")
        if "octagam." in markdown or "rate-card.md" in markdown or page.file.src_uri == PRINT_PAGE:
            state["label_pages"].add(page.file.src_uri)  # shows label values: name the versions
        return rendered
    except template.TemplateError as exc:
        log.error(f"{exc.path}:{exc.line}:1: {exc.message}")
        return markdown


@event_priority(100)  # before mkdocs-bibtex
def on_page_markdown(markdown, page, config, files):
    markdown = render_template(markdown, page, config)
    if not ENABLED:
        return markdown
    formatter: Formatter = state["formatter"]
    parsed = Page.from_text(page.file.src_uri, markdown)
    out, last, cited, citations = [], 0, [], stash.Stash()
    for block in parsed.citations:
        out.append(markdown[last:block.start])
        out.append(citations.token(formatter.marker(block.items)))
        cited += [c.key for c in block.items if c.key in formatter.entries]
        last = block.end
    out.append(markdown[last:])
    markdown = stash.hide("".join(out))
    markdown = markdown.replace(GLOSSARY_MARKER, "\n" + state["glossary"] + "\n")
    state["cited"][page.file.src_uri] = cited
    state["stashes"][page.file.src_uri] = citations
    if cited and page.file.src_uri != REFERENCES_PAGE:
        # The heading goes through Markdown (for the table of contents); the list is added to
        # the HTML afterwards, so Markdown never has to wade through it.
        markdown += f"\n\n## References\n\n{PAGE_LIST_MARKER}\n"
    return markdown


def on_page_content(html, page, config, files):
    note = state.get("label_note") if page.file.src_uri in state.get("label_pages", ()) else None
    html = page_layout.add_page_head(html, str(page.meta.get("last_reviewed") or "") or None, note)
    html = page_layout.add_practice_jump(html)
    if page.file.src_uri not in (PRINT_PAGE, "about/glossary.md"):
        html = page_layout.add_abbreviation_list(html)
    if ENABLED:
        html = add_citation_content(html, page, files)
    if page.file.src_uri not in (PRINT_PAGE, REFERENCES_PAGE):
        html = page_parts.wrap(html)  # the print page has its own parts; see page_parts.py
    return html


def add_citation_content(html, page, files):
    """Reference lists, figures drawn from the store, back-links; the page kept for the print guide."""
    formatter: Formatter = state["formatter"]
    html = state["stashes"].pop(page.file.src_uri, stash.Stash()).restore(stash.unhide(html))
    references = files.get_file_from_path(REFERENCES_PAGE)
    url = get_relative_url(references.url, page.url) if references else REFERENCES_PAGE
    html = add_figures(html, page, url)
    if page.file.src_uri == REFERENCES_PAGE:
        html = html.replace(FULL_LIST_MARKER, formatter.full_list())
    elif PAGE_LIST_MARKER in html:
        html = html.replace(PAGE_LIST_MARKER,
                            formatter.page_references(state["cited"][page.file.src_uri], url))
    state["backlinks"].collect(page, html)
    state["contents"][page.file.src_uri] = html
    return html


def add_figures(html, page, references_url):
    """The evidence figure on the Evidence page, a small one on disease and special-situation chapters."""
    entries = state["formatter"].entries
    if evidence_pages.EVIDENCE_MARKER in html:
        figure = evidence_pages.block(entries, evidence_pages.all_evidence(state["evidence"]), references_url,
                                      "evidence-figure", "Every study in the guide's evidence tables",
                                      False)
        html = html.replace(evidence_pages.EVIDENCE_MARKER, figure)
    if evidence_pages.has_chapter_figure(page.file.src_uri):
        figure = evidence_pages.block(entries, state["evidence"].get(page.file.src_uri, []), references_url,
                                      "chapter-evidence", "Studies in this chapter's evidence table", True)
        html = evidence_pages.after_key_points(html, figure)
    return html


@event_priority(100)  # before the search plugin indexes the page
def on_page_context(context, page, config, nav):
    if page.meta.get("search_terms"):
        state.setdefault("search_terms", {})[page.url] = [str(t) for t in page.meta["search_terms"]]
    if ENABLED and page.file.src_uri == REFERENCES_PAGE:
        # Search indexes a digest (reference texts only); the full list with its links and
        # back-links replaces the digest in the finished page (on_post_page).
        formatter: Formatter = state["formatter"]
        full = page_parts.group_reference_items(state["backlinks"].fill(page.content, page))
        start = full.index(render.LISTS_START)
        end = full.index(render.LISTS_END, start) + len(render.LISTS_END)
        digest = full[:start] + formatter.search_digest() + full[end:]
        state["references_page"] = (digest, full)
        page.content = digest
        state["references_location"] = page.url
    elif ENABLED and page.file.src_uri == PRINT_PAGE:
        parts = [(p.url, p.title or "", state["contents"][p.file.src_uri]) for p in nav.pages
                 if p.file.src_uri not in (PRINT_PAGE, REFERENCES_PAGE)]
        page.content = page.content.replace(PRINT_MARKER, printable.combine(parts, page.url))
    return context


@event_priority(-100)  # last: the policy hashes the page's inline scripts as they will be shipped
def on_post_page(output, page, config):
    output = add_page_output(output, page, config)
    return csp.add_policy(output, state.get("release", {}).get("offline", False))


def add_page_output(output, page, config):
    if ENABLED:
        report_leftover_citations(output, page)
    if ENABLED and page.file.src_uri == REFERENCES_PAGE:
        digest, full = state["references_page"]
        if digest not in output:
            log.error("references.md: the search digest was not found in the page; "
                      "the full reference list could not be put in place")
        output = output.replace(digest, full, 1)
    return output


def report_leftover_citations(output, page):
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


@event_priority(-50)  # after the search plugin writes its index, before the offline plugin inlines it
def on_post_build(config):
    if state.get("release", {}).get("offline"):
        offline.relative_404(Path(config.site_dir), config.site_url)
    index = Path(config.site_dir) / "search" / "search_index.json"
    if not index.exists():
        return
    root = Path(config.config_file_path).parent
    references = []
    if ENABLED and "references_location" in state:
        formatter: Formatter = state["formatter"]
        references = [(formatter.number(k), html.unescape(formatter.text(k)),
                       render.design_label(formatter.entries[k]))
                      for k in sorted(formatter.entries, key=formatter.number)]
    try:
        groups = synonyms.load(root)
    except yamlfile.Invalid as exc:
        log.error(f"{synonyms.SYNONYMS}:{exc.line}:{exc.col}: search synonyms: {exc.message}")
        return
    search_index.transform(index, search_index.Expander(groups),
                           state.get("references_location"), references, state.get("search_terms"))
