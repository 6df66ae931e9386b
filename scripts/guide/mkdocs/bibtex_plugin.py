"""Let mkdocs-bibtex read the citation store through our parse instead of parsing it again.

The plugin (kept as the stack's citation fallback) would otherwise parse every .bib file with
pybtex on each build: a second parser, with different rules, over the same store, and the
largest single cost of a build with a big store. We hand it a registry backed by our entries;
pybtex records are made only for an entry the plugin actually formats.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from functools import cached_property
from types import SimpleNamespace

from ..sources import decode
from ..sources.bib import Entry


class PybtexEntries(Mapping):
    """Our entries, seen as pybtex `Entry` objects, built on first access."""

    def __init__(self, entries: dict[str, Entry]):
        self._entries = entries
        self._made: dict = {}

    def __getitem__(self, key: str):
        if key not in self._made:
            from pybtex.database import Entry as PybtexEntry, Person

            entry = self._entries[key]
            fields = {k: v if k in ("doi", "url") else decode.text(v)
                      for k, v in entry.fields.items() if k != "author"}
            people = {"author": [Person(last=n.last, first=n.first, lineage=n.suffix)
                                 for n in decode.names(entry.get("author"))]}
            self._made[key] = PybtexEntry(entry.type, fields=fields, persons=people)
        return self._made[key]

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __iter__(self):
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


def store_registry(entries: dict[str, Entry], footnote_format: str):
    """A mkdocs-bibtex SimpleRegistry over our entries; its pybtex style is made on first use."""
    from mkdocs_bibtex.registry import SimpleRegistry

    class StoreRegistry(SimpleRegistry):
        def __init__(self) -> None:  # SimpleRegistry's __init__ is the pybtex parse we skip
            self.bib_data = SimpleNamespace(entries=PybtexEntries(entries))
            self.footnote_format = footnote_format

        @cached_property
        def style(self):
            from pybtex.style.formatting.plain import Style

            return Style()

        @cached_property
        def backend(self):
            from pybtex.backends.markdown import Backend

            return Backend()

    return StoreRegistry()


def attach(config, entries: dict[str, Entry]) -> bool:
    """Give the configured bibtex plugin a registry over `entries`. Returns False if absent."""
    plugin = config.plugins.get("bibtex")
    if plugin is None or plugin.config.csl_file:
        return False
    plugin.registry = store_registry(entries, plugin.config.footnote_format)
    # The plugin's on_config keeps its registry when no bib file is newer than this time.
    plugin.last_configured = time.time() + 365 * 24 * 3600
    return True
