"""What may become a link on a page: a web address, http:// or https://, and nothing else
(a `javascript:`, `data:` or `file:` URL in the store must never reach a reader as a link)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")


def is_web_address(url: str) -> bool:
    if SPACE_OR_CONTROL.search(url):
        return False
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. an invalid port or IPv6 literal
        return False
