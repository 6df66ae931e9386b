"""Read the repository: the citation store, pages, label and release data, the vocabulary. No HTML, no MkDocs."""
