"""Tools behind the IVIG in IIM guide: the citation store, the checker and the renderer.

One module per job:
    report     Problem records and how they are printed (text or JSON).
    bib        Reading the BibTeX store into Entry records (bibtexparser 2).
    markdown   Finding citations and front matter in chapter Markdown.
    doi        What a well-formed DOI is.
    rules      The checker's rules, one small function each.
    check      Running every rule over the repository.
    render     Turning entries and citations into HTML for the site.
"""
