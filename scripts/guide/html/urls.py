"""Relative links between built pages, with no MkDocs import (html/ is string in, string out).

The same answer as `mkdocs.utils.get_relative_url`, which the pages' own links are made with;
tests/test_stages.py holds the two side by side.
"""

from __future__ import annotations

import functools
import posixpath


@functools.lru_cache(maxsize=None)
def _parts(path: str) -> list[str]:
    path = posixpath.normpath("/" + path.removeprefix("/"))[1:]
    return path.split("/") if path else []


def relative_url(url: str, other: str) -> str:
    """`url` as a link from the page at `other` (both site paths; a last part with a dot is a file)."""
    dirname, _, basename = other.rpartition("/")
    if "." in basename:
        other = dirname
    here, there = _parts(other), _parts(url)
    common = 0
    for a, b in zip(here, there):
        if a != b:
            break
        common += 1
    link = "/".join([".."] * (len(here) - common) + there[common:]) or "."
    return link + "/" if url.endswith("/") else link
