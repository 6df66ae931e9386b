"""What the offline bundle needs beyond Material's offline plugin.

MkDocs writes 404.html with absolute paths from the site's root (/guide/...), because a web
server shows it at any depth. Opened from the file system those paths lead nowhere, so in the
offline bundle, where 404.html sits at the root, they become relative.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

# Links, sources, and the paths in Material's inline configuration (the search worker, the base).
ABSOLUTE = re.compile(r'(?P<attr>\b(?:href|src)=|"(?:base|search)": )"(?P<path>/[^"]*)"')


def relative_404(site_dir: Path, site_url: str) -> None:
    page = site_dir / "404.html"
    if not page.exists():
        return
    base = urlparse(site_url or "/").path or "/"
    base = base if base.endswith("/") else base + "/"

    def relink(match: re.Match) -> str:
        path = match.group("path")
        if not path.startswith(base):
            return match.group(0)
        rest = path[len(base):]
        if match.group("attr").startswith('"base"'):
            return f'{match.group("attr")}"."'
        return f'{match.group("attr")}"./{rest or "index.html"}"'

    text = ABSOLUTE.sub(relink, page.read_text(encoding="utf-8"))
    text = text.replace(f'new URL("{base}",location)', 'new URL(".",location)')  # storage scope
    page.write_text(text, encoding="utf-8")
