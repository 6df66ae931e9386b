"""mkdocs-bibtex reads the store through our parse: no second (pybtex) parse, same entries."""

from conftest import ROOT
from guide.sources.bib import load_store
from guide.mkdocs.bibtex_plugin import PybtexEntries, attach


def test_pybtex_view_of_our_entries():
    entries = load_store(ROOT / "bib", ROOT).by_key()
    view = PybtexEntries(entries)
    assert len(view) == len(entries) > 115 and "aggarwal2022trial" in view and "nope" not in view
    trial = view["aggarwal2022trial"]
    assert trial.fields["title"] == "Trial of intravenous immune globulin in dermatomyositis"
    assert str(trial.persons["author"][0]) == "Aggarwal, R."


def test_plugin_keeps_our_registry_and_never_parses_with_pybtex(monkeypatch):
    import pybtex.database

    def refuse(*args, **kwargs):
        raise AssertionError("mkdocs-bibtex parsed the store itself")

    monkeypatch.setattr(pybtex.database, "parse_file", refuse)
    monkeypatch.setattr("mkdocs_bibtex.registry.parse_file", refuse)
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    entries = load_store(ROOT / "bib", ROOT).by_key()
    assert attach(config, entries)
    plugin = config.plugins["bibtex"]
    plugin.on_config(config)  # must keep our registry, not build its own
    assert "dalakas1993controlled" in plugin.registry.bib_data.entries
    text = plugin.registry.reference_text(type("C", (), {"key": "dalakas1993controlled"})())
    assert "M. C. Dalakas" in text and "1993–2000" in text
