"""Run MkDocs twice (offline bundle, hosted site), zip, publish whole; the build's date."""
