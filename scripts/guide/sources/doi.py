"""What a well-formed DOI is.

We store DOIs bare (`10.1056/NEJMoa2117912`). The final test is the DOI syntax itself: `10.`,
a 4-9 digit registrant, `/`, then a suffix of any printable characters. Crossref's narrower pattern
for modern DOIs (`[-._;()/:A-Z0-9]`) would reject real older DOIs, such as Wiley's SICI-style
`10.1002/(SICI)1097-4598(199709)20:9<1081::AID-MUS1>3.0.CO;2-4`. Before it, specific tests give
a message that says how to fix the common mistakes.
"""

from __future__ import annotations

import re

DOI_PATTERN = re.compile(r"^10\.\d{4,9}/[^\s\x00-\x1f\x7f-\x9f]+$")

# Text glued onto the end of a DOI, as in the review's seed list where a note runs straight on
# ("10.1002/acr.20325Large retrospective ..."): a digit followed by a capitalised word, or by a
# run of four or more lower-case letters, at the very end. Real DOI suffixes in this field end in
# digits, a single letter (".x", "-m") or short codes ("s13", "keab928"), not in words.
GLUED_TEXT = re.compile(r"\d(?P<word>[A-Z][a-z]{2,}|[a-z]{4,})$")


def doi_problem(doi: str) -> str | None:
    """Return why `doi` is not a well-formed bare DOI, or None when it is."""
    if doi != doi.strip() or re.search(r"\s", doi):
        return f"DOI '{doi}' contains white space; store the bare DOI only"
    lowered = doi.lower()
    if lowered.startswith(("http://", "https://", "doi.org/", "dx.doi.org/", "www.doi.org/")):
        return f"DOI '{doi}' must be bare (10.xxxx/...), not a URL"
    if lowered.startswith("doi:"):
        return f"DOI '{doi}' must be bare (10.xxxx/...), without the 'doi:' prefix"
    if doi.endswith((".", ",", ";", ":")):
        return f"DOI '{doi}' ends with punctuation '{doi[-1]}'; remove it"
    glued = GLUED_TEXT.search(doi)
    if glued:
        return (f"DOI '{doi}' seems to have text glued onto its end ('{glued.group('word')}'); "
                "store the DOI exactly as published")
    if not DOI_PATTERN.match(doi):
        return f"DOI '{doi}' is not well-formed: expected 10.<4-9 digits>/<suffix>"
    return None
