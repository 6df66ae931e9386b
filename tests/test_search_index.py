"""The build-time search index changes: synonyms, one entry per reference, page search terms."""

import json
import re
from pathlib import Path

from hypothesis import given, strategies as st

from guide.html import search_index
from guide.sources import synonyms

GROUPS = synonyms.load(Path(__file__).parents[1])
FRAGMENTS = sorted({w for group in GROUPS for term in group for w in re.split(r"([\s-]+)", term)}
                   | {" ", "-", "x", "<p>", "</p>", ".", "anti", "Lung"})


def test_a_section_with_one_member_of_a_group_gets_the_others():
    expander = search_index.Expander([["necrotizing", "necrotising"], ["scig", "subcutaneous"],
                                       ["ild", "interstitial lung disease"]])
    doc = expander.expand({"location": "a/", "title": "IMNM", "text": "<p>Necrotizing myopathy; ILD.</p>"})
    assert doc["text"].endswith("<p hidden>necrotising interstitial lung disease</p>")
    untouched = {"location": "b/", "title": "x", "text": "nothing here; scigx is not scig-like"}
    assert expander.expand(untouched) == untouched


def test_phrases_match_across_hyphens_and_spaces():
    expander = search_index.Expander([["imnm", "immune-mediated necrotizing myopathy"]])
    assert expander.missing("Immune mediated necrotizing myopathy") == ["imnm"]


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join))
def test_the_substring_shortcut_finds_exactly_what_the_patterns_alone_find(text):
    """Expander tests each term's words as substrings before its pattern; that must change no
    result. The reference is the pattern alone, over the guide's real synonym groups."""
    assert len(GROUPS) >= 10
    plain = re.sub(r"<[^>]+>", " ", text).lower()
    expected = []
    for group in GROUPS:
        present = {t for t in group if search_index._pattern(t).search(plain)}
        if present:
            expected += [t for t in group if t not in present]
    assert search_index.Expander(GROUPS).missing(text) == expected


def test_references_page_becomes_one_entry_per_reference(tmp_path):
    index = tmp_path / "search_index.json"
    index.write_text(json.dumps({"config": {}, "docs": [
        {"location": "references/", "title": "References", "text": "Intro. [1] A. [2] B."},
        {"location": "references/#references", "title": "References", "text": "[1] A. [2] B."},
        {"location": "dosing/", "title": "Dosing", "text": "dose"},
    ]}), encoding="utf-8")
    search_index.transform(index, search_index.Expander([]), "references/",
                           [(1, "Roifman CM. Reversal.", "Case report"), (2, "Dalakas MC. Trial.", "RCT")],
                           {"dosing/": ["dose", "calculator"]})
    docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
    by_location = {d["location"]: d for d in docs}
    assert by_location["references/"]["text"] == "Intro."
    assert "references/#references" not in by_location
    assert by_location["references/#ref-1"]["title"].startswith("[1] Roifman")
    assert "Case report" in by_location["references/#ref-1"]["text"]
    assert by_location["dosing/"]["tags"] == ["dose", "calculator"]


def test_synonyms_of_title_words_go_in_tags_and_of_text_words_in_a_hidden_escaped_block():
    expander = search_index.Expander([["ild", "interstitial lung disease", "<i>"], ["myositis", "<b>a&b</b>"]])
    doc = expander.expand({"location": "a/", "title": "ILD", "text": "<p>Myositis and ILD</p>", "tags": ["t"]})
    assert doc["tags"] == ["t", "interstitial lung disease", "&lt;i&gt;"]
    assert "interstitial" not in doc["text"]  # a title word's synonym is not repeated in the text
    assert doc["text"].endswith("<p hidden>&lt;b&gt;a&amp;b&lt;/b&gt;</p>")


def test_reference_entries_weigh_less_than_chapter_sections(tmp_path):
    index = tmp_path / "search_index.json"
    index.write_text(json.dumps({"config": {}, "docs": [
        {"location": "references/", "title": "References", "text": "Intro. [1] A."},
        {"location": "safety/#iga", "title": "IgA deficiency", "text": "x"}]}), encoding="utf-8")
    search_index.transform(index, search_index.Expander([]), "references/", [(1, "Yazdani R. IgA deficiency.", "Review")])
    docs = {d["location"]: d for d in json.loads(index.read_text(encoding="utf-8"))["docs"]}
    assert docs["references/#ref-1"]["boost"] == search_index.REFERENCE_BOOST < 1
    assert "boost" not in docs["safety/#iga"]
