"""A Content-Security-Policy for every page, hosted and offline, as a <meta> element.

The policy lets a page run only the site's own script files and the inline scripts the build
itself wrote (Material's start-up scripts and ours, each allowed by its SHA-256), so an inline
event handler (`onerror=...`) or a `javascript:` link that slipped into a page does not run, and
nothing is fetched from another host. Styles stay 'unsafe-inline': Material sets style attributes
from script, and a style cannot run code. `frame-ancestors` cannot be set from <meta>; a host may
add it as a header.
"""

from __future__ import annotations

import base64
import hashlib
import re

INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s+[^>]*)?)>(?P<body>.*?)</script>", re.DOTALL)
# Scripts with these types are data, not code: a policy does not govern them.
DATA_TYPES = re.compile(r'\btype="(?:application/(?:ld\+)?json|text/template)"')
HEAD = re.compile(r"<head>")


def inline_hashes(html: str) -> list[str]:
    hashes = []
    for match in INLINE_SCRIPT.finditer(html):
        attrs = match.group("attrs") or ""
        if "src=" in attrs or DATA_TYPES.search(attrs):
            continue
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        hashes.append(f"'sha256-{base64.b64encode(digest).decode()}'")
    return list(dict.fromkeys(hashes))


def policy(html: str, offline: bool) -> str:
    # From file:// a page's own folder is not 'self' in every browser: name the scheme.
    own = "'self' file:" if offline else "'self'"
    return "; ".join([
        f"default-src {own}",
        f"script-src {own} {' '.join(inline_hashes(html))}".rstrip(),
        f"style-src {own} 'unsafe-inline'",
        f"img-src {own} data:",
        f"font-src {own} data:",
        f"connect-src {own}",
        f"worker-src {own} blob:",
        f"frame-src {own} blob: data:",
        "object-src 'none'",
        f"base-uri {own}",
        f"form-action {own}",
    ])


def add_policy(html: str, offline: bool) -> str:
    """The page with its policy as the first element of <head> (before anything it governs)."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(html, offline)}">'
    return HEAD.sub(lambda m: m.group(0) + meta, html, count=1)
