"""Tools behind the IVIG in IIM guide, one folder per stage of the pipeline.

    sources/   Read the repository: the BibTeX store, pages and front matter, label and release
               data, the study vocabulary, positions (path:line:col). No HTML, no MkDocs.
    check/     Decide: the checker's rules and their runner; the raw-citation and network-load
               checks the build shares. Only Problems out.
    html/      String in, string out: citations, figures, page parts, print page, search index, CSP.
               No MkDocs import.
    mkdocs/    The only code that knows MkDocs: GuideBuild (state and one method per event, which
               scripts/mkdocs_hooks.py wires up), mkdocs-bibtex's registry, offline fixes.
    build/     Run MkDocs (offline bundle, hosted site), zip, publish whole; the build's date.

Shared by every stage: report (Problem records, text or JSON) and cachefiles (atomic cache writes).
A stage imports only from stages listed above it, and html/ nothing from check/
(tests/test_stages.py).
"""
