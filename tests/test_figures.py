"""The evidence figures: drawn from the store's study facts, linked, accessible, small, cached."""

import re
from dataclasses import replace
from pathlib import Path

from conftest import ROOT

from guide.html import evidence_figure, evidence_pages
from guide.sources.bib import Entry, load_store
from guide.sources.markdown import Page


def study(key="good2020trial", participants="12", design="rct", conditions="DM, ILD", number=1, year="2020"):
    fields = {"author": "Good, A.", "title": "T", "journal": "J", "year": year, "design": design,
              "reviewref": str(number), "participants": participants, "conditions": conditions,
              "intervention": "IVIG"}
    return Entry(key, "article", fields, "bib/references.bib", 1)


def test_changing_an_entrys_participants_changes_the_figure():
    before = evidence_figure.studies({"good2020trial": study()})
    after = evidence_figure.studies({"good2020trial": study(participants="300")})
    drawn = [evidence_figure.figure(found, "../references/", "f", "Title") for found in (before, after)]
    assert drawn[0] != drawn[1]
    assert "<td>12</td>" in drawn[0] and "<td>300</td>" in drawn[1]
    assert "12 patients" in drawn[0] and "300 patients" in drawn[1]


def test_every_study_in_every_condition_row_links_to_its_reference():
    found = evidence_figure.studies({"good2020trial": study(), "other2010x": study(
        "other2010x", "1", "case-report", "IBM", 2, "2010")})
    svg = evidence_figure.draw(found, "../references/", "f")
    links = re.findall(r'<a href="([^"]+)" aria-label', svg)
    assert links == ["../references/#ref-2", "../references/#ref-1", "../references/#ref-1"]  # trials on top
    targets = re.findall(r'<a href="([^"]+)" tabindex="-1" aria-hidden="true"><circle class="ev-target"[^>]* r="12"', svg)
    assert targets == links  # each marker has its 24-unit touch target, under every visible marker
    assert svg.index("ev-target") < svg.index("<title>")
    assert "1 patients" not in svg and "1 patient," in svg and "Case report, letter or abstract" in svg  # legend names the shape
    assert re.search(r'class="ev-rct"[^>]*stroke-width="1.6"', svg)  # trials stand out


def test_entries_without_participants_or_conditions_are_left_out():
    entries = {"a": study("a", participants=""), "b": study("b", conditions=""), "c": study("c", number=3)}
    assert [s.key for s in evidence_figure.studies(entries)] == ["c"]
    assert "No study" in evidence_figure.figure([], "r/", "f", "Title")


def test_no_hard_coded_colour_and_the_real_figure_is_small():
    entries = load_store(ROOT / "bib", ROOT).by_key()
    found = evidence_figure.studies(entries)
    svg = evidence_figure.draw(found, "../../references/", "evidence-figure")
    assert len(found) > 30
    assert len(svg.encode()) < 42_000  # 57 studies, each with a 24-unit touch target
    assert not re.search(r"#[0-9a-fA-F]{3,6}\b|black|white|rgb\(", svg)
    assert 'fill="currentColor"' in svg


def test_a_figure_is_drawn_from_its_data_and_nothing_is_cached(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    entries = {"good2020trial": study()}
    first = evidence_pages.block(entries, None, "r/", "f", "T", False)
    assert "<svg" in first and evidence_pages.block(entries, None, "r/", "f", "T", False) == first
    assert list(tmp_path.rglob("*")) == []

def test_figure_goes_right_after_the_key_points_box():
    html = ('<h1>T</h1><div class="admonition abstract">\n<p class="admonition-title">Key points</p>'
            '<div class="x">nested</div></div><h2>Next</h2>')
    out = evidence_pages.after_key_points(html, "<figure>F</figure>")
    assert out.index("nested") < out.index("<figure>F</figure>") < out.index("<h2>")
    assert evidence_pages.after_key_points("<p>none</p>", "<figure/>") == "<p>none</p>"


def test_one_trial_is_counted_once_and_the_largest_primary_study_is_named():
    trial = study("trial2022x", "95", "rct", "DM", 8, "2022")
    trial = replace(trial, fields={**trial.fields, "trialname": "ProDERM"})
    analyses = {}
    for n, key in ((117, "safety2024x"), (180, "skin2023x")):
        child = study(key, "95", "trial-analysis", "DM", n, key[-5:-1])
        analyses[key] = replace(child, fields={**{k: v for k, v in child.fields.items() if k != "author"},
                                               "parent": "trial2022x"})
    meta = study("meta2022x", "576", "meta-analysis", "mixed-IIM", 37, "2022")
    found = evidence_figure.studies({"trial2022x": trial, **analyses, "meta2022x": meta})
    text = evidence_figure.summary(found)
    assert "1 randomised trial," in text and "2 secondary analyses of trials" in text, text
    assert "1 meta-analysis or systematic review" in text and "largest primary study is Good 2022 with 95" in text
    assert "ProDERM analysis 2023" in evidence_figure.table(found, "r/")  # no author: named by its trial
    only_children = evidence_figure.studies(analyses | {"trial2022x": trial}, ["safety2024x"])
    assert evidence_figure.summary(only_children).startswith("1 publication from 2024: no randomised trial and 1 ")


NO_TRIAL = re.compile(r"\bno (?:randomi[sz]ed )?trial\b", re.IGNORECASE)
# Chapters whose text says no trial has tested IVIG there.
NO_TRIAL_PAGES = ("special-situations/pregnancy.md", "special-situations/calcinosis.md",
                  "diseases/immune-mediated-necrotizing-myopathy.md", "special-situations/interstitial-lung-disease.md")


def test_a_chapter_figure_draws_its_evidence_table_not_the_rate_card():
    page = Page.from_text("docs/x.md", "Text [@aggarwal2024safety].\n\n| Study | Design |\n|---|---|\n"
                                       "| A [@marie2010esophageal] | Retrospective series |\n"
                                       "| B [@dobloug2012ibm; @marie2010esophageal] | Retrospective series |\n")
    assert evidence_pages.evidence_keys(page) == ["marie2010esophageal", "dobloug2012ibm"]


def test_no_chapter_that_says_no_trial_exists_has_a_caption_claiming_one():
    entries = load_store(ROOT / "bib", ROOT).by_key()
    evidence = evidence_pages.collect(ROOT / "docs")
    for uri, keys in evidence.items():
        found = evidence_figure.studies(entries, keys)
        if not found:
            continue
        caption = evidence_figure.summary(found)
        trials = {s.key for s in found if s.design == "rct"}  # each trial once: analyses are not rct
        expected = f"{len(trials)} randomised trial" if trials else "no randomised trial"
        assert expected in caption, (uri, caption)
    for uri in NO_TRIAL_PAGES:
        assert NO_TRIAL.search((ROOT / "docs" / uri).read_text(encoding="utf-8")), uri
        caption = evidence_figure.summary(evidence_figure.studies(entries, evidence[uri]))
        assert "no randomised trial" in caption, (uri, caption)
