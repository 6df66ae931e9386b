"""One bad input and one good input per checker rule, each failing at the right file and line."""

from conftest import CHAPTER, GOOD_ENTRY, messages


def entry(key="good2020trial", doi="10.1000/good.2020.1", number=1, extra="", kind="article"):
    return (f"@{kind}{{{key},\n  author = {{Good, A.}},\n  title = {{A good trial}},\n"
            f"  journal = {{J Good}},\n  year = {{2020}},\n  doi = {{{doi}}},\n"
            f"  design = {{rct}},\n  reviewref = {{{number}}}{extra}\n}}\n\n")


def test_clean_repository_passes(repo):
    repo.bib(GOOD_ENTRY)
    repo.page("Text [@good2020trial].\n")
    result = repo.check()
    assert result.problems == []
    assert result.stats["citations"] == 1


def test_syntax_error_names_file_and_line_of_the_unclosed_brace(repo):
    repo.bib(GOOD_ENTRY + "\n@article{broken2020,\n  title = {Unbalanced {brace},\n  year = {2020}\n}\n"
             + entry("after2021x", "10.1000/after", 2))
    found = messages(repo.check())
    assert any(m.startswith("bib/references.bib:12:11: error: this value's brace must be closed") for m in found), found


def test_duplicate_key_in_one_file(repo):
    repo.bib(entry() + entry(doi="10.1000/other", number=2))
    found = messages(repo.check())
    assert any("bib/references.bib:11:1: error: duplicate key 'good2020trial'" in m for m in found), found


def test_duplicate_key_across_files_names_the_first(repo):
    repo.bib(entry(), "a.bib")
    repo.bib(entry(doi="10.1000/other", number=2), "b.bib")
    found = messages(repo.check())
    assert any(m.startswith("bib/b.bib:1:1: error: duplicate key 'good2020trial': already defined at bib/a.bib:1")
               for m in found), found


def test_duplicate_doi(repo):
    repo.bib(entry() + entry("second2021x", "10.1000/GOOD.2020.1", 2))
    found = messages(repo.check())
    assert any(m.startswith("bib/references.bib:16:1: error: DOI '10.1000/GOOD.2020.1' of 'second2021x' is already used")
               for m in found), found


def test_key_characters(repo):
    repo.bib(entry(key="bad:key2020"))
    repo.page("[@bad:key2020]\n")
    found = messages(repo.check())
    assert any("bib/references.bib:1:1: error: key 'bad:key2020' must use only" in m for m in found), found


def test_required_field_missing(repo):
    repo.bib("@article{nojournal2020,\n  title = {T},\n  year = {2020},\n  design = {rct},\n  reviewref = {1}\n}\n")
    found = messages(repo.check())
    assert "bib/references.bib:1:1: error: entry 'nojournal2020' (@article) must have the field 'journal'" in found


def test_empty_field(repo):
    repo.bib(entry(extra=",\n  volume = {}"))
    found = messages(repo.check())
    assert "bib/references.bib:9:1: error: field 'volume' of 'good2020trial' must not be empty" in found


def test_unknown_entry_type(repo):
    repo.bib(entry(kind="phdthesis"))
    found = messages(repo.check())
    assert any("has type @phdthesis" in m for m in found), found


def test_malformed_doi_is_reported_at_its_line(repo):
    repo.bib(entry(doi="https://doi.org/10.1000/x"))
    found = messages(repo.check())
    assert any(m.startswith("bib/references.bib:6:1: error: DOI 'https://doi.org/10.1000/x' must be bare")
               for m in found), found


def test_glued_doi_from_the_seed_is_caught(repo):
    repo.bib(entry(doi="10.1002/acr.20325Large"))
    found = messages(repo.check())
    assert any("glued" in m and m.startswith("bib/references.bib:6:1") for m in found), found


def test_unknown_design(repo):
    repo.bib(entry().replace("{rct}", "{anecdote}"))
    found = messages(repo.check())
    assert any("design 'anecdote' of 'good2020trial' is unknown" in m for m in found), found


def test_reviewref_must_be_a_unique_integer(repo):
    repo.bib(entry() + entry("second2021x", "10.1000/two", 1) + entry("third2022x", "10.1000/three", "x3"))
    found = messages(repo.check())
    assert any("number 1 of 'second2021x' is already used by 'good2020trial'" in m for m in found), found
    assert any("'reviewref' of 'third2022x' must be a positive integer, not 'x3'" in m for m in found), found


def test_unknown_citation_suggests_the_closest_key(repo):
    repo.bib(GOOD_ENTRY)
    repo.page("Line one.\nSee [@good2020trail] here.\n", "chapter.md")
    found = messages(repo.check())
    assert ("docs/chapter.md:2:6: error: citation key 'good2020trail' is not in bib/; "
            "did you mean 'good2020trial'?") in found


def test_citation_key_case_must_match_exactly(repo):
    repo.bib(GOOD_ENTRY)
    repo.page("[@Good2020Trial]\n")
    found = messages(repo.check())
    assert ("docs/index.md:1:2: error: citation key 'Good2020Trial' is not in bib/; "
            "did you mean 'good2020trial'?") in found


def test_citations_in_code_emails_and_links_are_not_citations(repo):
    repo.bib(GOOD_ENTRY)
    repo.page("Cite [@good2020trial].\n\n`[@missing]` and [write to a@b.org] and [@name](https://x.org)\n\n"
              "```\n[@alsomissing]\n```\n\n    !!! note\n        ~~~\n        [@inside]\n        ~~~\n"
              "<!-- [@commented] -->\n")
    assert repo.check().problems == []


def test_prefix_and_locator_are_accepted_and_a_malformed_item_is_not(repo):
    repo.bib(GOOD_ENTRY)
    repo.page("[see @good2020trial, p. 5]\n[@good2020trial; not a citation]\n[@good2020trial, ]\n")
    found = messages(repo.check())
    assert len(found) == 2, found
    assert found[0].startswith("docs/index.md:2:1: error: cannot read citation item 'not a citation'")
    assert found[1].startswith("docs/index.md:3:1: error: cannot read citation item")


def test_unused_entry_is_a_warning_and_an_error_under_the_flag(repo):
    repo.bib(GOOD_ENTRY)
    repo.page("No citations.\n")
    assert messages(repo.check()) == ["bib/references.bib:1:1: warning: entry 'good2020trial' is never cited"]
    assert messages(repo.check(fail_unused=True)) == [
        "bib/references.bib:1:1: error: entry 'good2020trial' is never cited"]


def test_evidence_table_design_must_match_the_store(repo):
    repo.bib(GOOD_ENTRY)
    table = "| Study | Design | Patients (n) |\n|---|---|---|\n| Good 2020 [@good2020trial] | {} | not stated |\n"
    repo.page(table.format("Randomised controlled trial"))
    assert repo.check().problems == []
    repo.page(table.format("Case report"))
    found = messages(repo.check())
    assert found == ["docs/index.md:3:1: error: Design 'Case report' must read 'Randomised controlled trial', "
                     "the design of 'good2020trial' in bib/"]


def test_complete_chapter_passes(repo):
    repo.bib(GOOD_ENTRY)
    repo.page(CHAPTER, "diseases/a.md")
    assert repo.check().problems == []


def test_chapter_losing_key_points_table_or_citations_fails(repo):
    repo.bib(GOOD_ENTRY)
    repo.page(CHAPTER.replace('"Key points"', '"Summary"'), "diseases/a.md")
    repo.page(CHAPTER.replace("| Study | Design |", "| Trial | Kind |"), "practice/b.md")
    repo.page("---\ntitle: C\n---\n# C\n\n!!! abstract \"Key points\"\n    - x\n\n"
              "| Study | Design |\n|---|---|\n| a | b |\n", "background/c.md")
    found = messages(repo.check())
    assert any(m.startswith("docs/diseases/a.md:1:1: error: chapter must open with") for m in found), found
    assert any(m.startswith("docs/practice/b.md:1:1: error: chapter must have an evidence table") for m in found)
    assert any(m.startswith("docs/background/c.md:1:1: error: chapter front matter must have a 'description'")
               for m in found)
    assert any(m.startswith("docs/background/c.md:1:1: error: chapter must cite its sources") for m in found)


def test_a_citation_before_a_colon_is_a_citation_but_a_link_definition_is_not(repo):
    repo.bib(GOOD_ENTRY)
    repo.page("Results [@good2020trial]:\n\n- one\n\n[@nosuch2020x]: https://example.org\n")
    result = repo.check()
    assert result.problems == []
    assert result.stats["citations"] == 1


def test_raw_citation_markup_in_visible_text_is_found_and_code_is_not():
    from guide.check import guard

    found = guard.raw_citations('<p>Listed [@fda2022octagam]: <code>[@literal]</code></p>'
                                '<script>var x = "[@js]";</script><a title="[@attr]">x</a>')
    assert found == ["[@fda2022octagam]:"]
    assert guard.locate("One\n\nTwo [@fda2022octagam]:\n", found[0]) == (3, 5)


def test_study_facts_must_use_the_vocabulary_and_positive_integers(repo):
    repo.bib(entry(extra=",\n  participants = {12},\n  conditions = {DM, ILD},\n  intervention = {IVIG}"))
    repo.page("[@good2020trial]\n")
    assert repo.check().problems == []
    repo.bib(entry(extra=",\n  participants = {about 12},\n  studies = {3},\n  conditions = {DM, lupus},\n"
                   "  intervention = {plasma}"))
    found = messages(repo.check())
    assert found == [
        "bib/references.bib:9:1: error: 'participants' of 'good2020trial' must be a positive integer such as 12, "
        "not 'about 12'",
        "bib/references.bib:10:1: error: 'studies' of 'good2020trial' belongs only to a meta-analysis or "
        "systematic review",
        "bib/references.bib:11:1: error: condition 'lupus' of 'good2020trial' is unknown; use one or more of "
        "DM, PM, IMNM, IBM, JDM, ILD, dysphagia, calcinosis, pregnancy, mixed-IIM, other, separated by commas",
        "bib/references.bib:12:1: error: intervention 'plasma' of 'good2020trial' is unknown; use one of "
        "IVIG, SCIG, both, none"], found


def test_zero_participants_is_not_a_count(repo):
    repo.bib(entry(extra=",\n  participants = {0}"))
    repo.page("[@good2020trial]\n")
    assert any(m.startswith("bib/references.bib:9:1: error: 'participants' of 'good2020trial' must be a positive")
               for m in messages(repo.check()))


def test_evidence_table_patients_must_match_the_store(repo):
    repo.bib(entry(extra=",\n  participants = {12}"))
    table = "| Study | Design | Patients (n) |\n|---|---|---|\n| Good 2020 [@good2020trial] | Randomised controlled trial | {} |\n"
    for good in ("12", "12 (7 IVIG, 5 placebo)", "12 treated, 8 analysed"):
        repo.page(table.format(good))
        assert repo.check().problems == [], good
    repo.page(table.format("13"))
    assert messages(repo.check()) == [
        "docs/index.md:3:1: error: Patients (n) '13' must start with 12, the participants of 'good2020trial' in bib/"]
    repo.page(table.format("not stated"))
    assert messages(repo.check())[0].startswith("docs/index.md:3:1: error: Patients (n) 'not stated' must start with 12")


def test_evidence_table_patients_not_stated_when_the_store_has_none(repo):
    repo.bib(entry())
    table = "| Study | Design | Patients (n) |\n|---|---|---|\n| Good 2020 [@good2020trial] | Randomised controlled trial | {} |\n"
    for good in ("not stated", "—", "Not stated (17 studies)"):
        repo.page(table.format(good))
        assert repo.check().problems == [], good
    repo.page(table.format("40"))
    assert messages(repo.check()) == [
        "docs/index.md:3:1: error: Patients (n) '40' gives a count, but 'good2020trial' has no 'participants' in "
        "bib/: add it there if a source shows it, or write 'not stated'"]
    repo.page(table.format("many"))
    assert messages(repo.check()) == [
        "docs/index.md:3:1: error: Patients (n) 'many' must start with the number of patients, or read 'not stated'"]


def test_evidence_table_study_count_of_a_synthesis_matches_the_store(repo):
    repo.bib(entry(extra=",\n  studies = {21}").replace("{rct}", "{systematic-review}"))
    table = ("| Study | Design | Patients (n) |\n|---|---|---|\n"
             "| Good 2020 [@good2020trial] | Systematic review | {} |\n")
    repo.page(table.format("21 studies"))
    assert repo.check().problems == []
    repo.page(table.format("20 studies"))
    assert messages(repo.check()) == ["docs/index.md:3:1: error: Patients (n) '20 studies' must match the 'studies' "
                                      "of 'good2020trial' in bib/ (21)"]


def trial_and_child(design="trial-analysis", child_n=95, parent="good2020trial", parent_line=True):
    trial = entry(extra=",\n  participants = {95}")
    child = entry("post2023hoc", "10.1000/post.2023", 2,
                  (f",\n  parent = {{{parent}}}" if parent_line else "") + f",\n  participants = {{{child_n}}}")
    return trial + child.replace("design = {rct}", f"design = {{{design}}}")


def test_an_analysis_of_a_trial_names_its_parent_and_is_not_a_trial_of_its_own(repo):
    repo.page("[@good2020trial] [@post2023hoc]\n")
    repo.bib(trial_and_child())
    assert repo.check().problems == []
    repo.bib(trial_and_child(design="rct"))
    assert messages(repo.check()) == [
        "bib/references.bib:18:1: error: 'post2023hoc' analyses the trial 'good2020trial' (its 'parent'), so its "
        "design must be 'trial-analysis', not 'rct': one trial is counted once"]
    repo.bib(trial_and_child(parent_line=False))
    assert messages(repo.check()) == [
        "bib/references.bib:18:1: error: 'post2023hoc' is a 'trial-analysis': name the trial it analyses with "
        "parent = {key}"]


def test_a_child_never_has_more_patients_than_its_parent_trial(repo):
    repo.page("[@good2020trial] [@post2023hoc]\n")
    repo.bib(trial_and_child(child_n=40))
    assert repo.check().problems == []
    repo.bib(trial_and_child(child_n=96))
    assert messages(repo.check()) == [
        "bib/references.bib:21:1: error: 'post2023hoc' reports 96 patients, more than the 95 of its parent trial "
        "'good2020trial' (bib/references.bib:9)"]
    repo.bib(trial_and_child(parent="nosuch2020trial"))
    assert messages(repo.check()) == [
        "bib/references.bib:20:1: error: parent 'nosuch2020trial' of 'post2023hoc' must be the key of another "
        "entry in bib/"]


def test_a_newer_study_tagged_for_a_chapter_must_be_in_its_since_the_review(repo):
    newer = entry("new2024series", "10.1000/new.2024", 2, ",\n  conditions = {dysphagia}").replace(
        "{2020}", "{2024}").replace("{rct}", "{retrospective}")
    older = entry(extra=",\n  conditions = {dysphagia}")
    repo.bib(older + newer)
    chapter = CHAPTER.replace("covers: [DM]", "covers: [dysphagia]")
    since = "\n## Since the review\n\nNothing new since 2023 [@good2020trial].\n\n## In practice\n\nText [@new2024series].\n"
    repo.page(chapter + since, "special-situations/a.md")
    assert messages(repo.check()) == [
        "docs/special-situations/a.md:16:1: error: 'new2024series' (2024, tagged dysphagia in bib/references.bib) "
        "is newer than the review and covered by this chapter: cite it in 'Since the review', or list it there as "
        "reviewed and set aside with the reason"]
    set_aside = since.replace("Nothing new since 2023", "Reviewed and set aside: a series of another disease "
                              "[@new2024series]; older work")
    repo.page(chapter + set_aside, "special-situations/a.md")
    assert repo.check().problems == []
    repo.page(chapter.replace("[dysphagia]", "[ILD]") + since, "special-situations/a.md")
    assert repo.check().problems == []  # not a condition this chapter covers
    repo.page(chapter.replace("[dysphagia]", "[swallowing]") + since, "special-situations/a.md")
    assert messages(repo.check())[0].startswith("docs/special-situations/a.md:4:1: error: 'covers' must list")
    repo.page(chapter.replace("covers: [dysphagia]\n", "") + since, "special-situations/a.md")
    assert messages(repo.check()) == ["docs/special-situations/a.md:1:1: error: a disease or special-situation "
                                      "chapter must name the conditions it covers in its front matter, e.g. "
                                      "covers: [DM, PM]"]
