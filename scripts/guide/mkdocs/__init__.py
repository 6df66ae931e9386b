"""The only code that knows MkDocs events and config: the hooks' owner, mkdocs-bibtex's registry, offline fixes."""
