"""String in, string out: citations, figures, page parts, search index. No MkDocs import."""
