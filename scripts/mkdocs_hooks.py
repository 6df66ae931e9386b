"""MkDocs hooks: the wiring table. Each event forwards to the build's GuideBuild
(scripts/guide/mkdocs/guide_build.py), made anew in on_config; the event priorities are chosen here."""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parent))

from guide.mkdocs.guide_build import GuideBuild  # noqa: E402

guide: GuideBuild


@event_priority(100)  # before mkdocs-bibtex's own on_config, which then keeps our registry
def on_config(config):
    global guide
    guide = GuideBuild(config)
    return config


@event_priority(100)  # before mkdocs-bibtex, which would read [@key] itself
def on_page_markdown(markdown, page, config, files):
    return guide.page_markdown(markdown, page)


def on_page_content(html, page, config, files):
    return guide.page_content(html, page, files)


@event_priority(100)  # before the search plugin indexes the page
def on_page_context(context, page, config, nav):
    guide.page_context(page, nav)
    return context


@event_priority(-100)  # last: the policy hashes the page's inline scripts as they will be shipped
def on_post_page(output, page, config):
    return guide.post_page(output, page)


@event_priority(-50)  # after the search plugin writes its index, before the offline plugin inlines it
def on_post_build(config):
    guide.post_build(config)
