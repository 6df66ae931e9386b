"""Tools behind the IVIG in IIM guide: the citation store, the checker and the renderer.

One module per job:
    report     Problem records and how they are printed (text or JSON).
    bib        Reading the BibTeX store into Entry records (bibtexparser 2).
    bibsyntax  BibTeX value syntax (macros, #) and where a broken entry goes wrong.
    bibcache   The parse cache: versioned JSON, validated on read, bounded.
    decode     Field values as Unicode text and names (pylatexenc, bibtexparser's names).
    markdown   Finding citations and front matter in chapter Markdown.
    doi        What a well-formed DOI is.
    weburl     What may become a link: http(s) addresses only.
    rules      The checker's rules, one small function each.
    check      Running every rule over the repository.
    render     Turning entries and citations into HTML for the site.
    output     Build output: one build at a time, staged aside, put in place whole.
    builddate  The build's date (SOURCE_DATE_EPOCH), never 1970.
"""
