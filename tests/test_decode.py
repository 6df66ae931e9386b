"""What a reader sees: LaTeX decoded to Unicode by pylatexenc, names split as BibTeX does
(bibtexparser), nothing raw, no double full stops, no link that is not a web address."""

import pytest
from hypothesis import given, settings, strategies as st

from guide.sources import decode
from guide.sources.bib import Entry
from guide.html.citations import Formatter, reference_text


def article(**fields) -> Entry:
    base = {"author": "Good, A.", "title": "A trial", "journal": "J Good", "year": "2020", "reviewref": "1"}
    return Entry("good2020trial", fields.pop("type", "article"), {**base, **fields}, "bib/x.bib", 1)


TEXT_CASES = [
    ('M\\"uller', "Müller"),
    ("{\\'E}mile", "Émile"),
    ('Bj{\\"o}rk', "Björk"),
    ("\\v{S}ediv\\'{y}", "Šedivý"),
    ("{\\o}stergaard", "østergaard"),
    ("Octagam 10\\% solution", "Octagam 10% solution"),
    ("20 % of patients", "20 % of patients"),  # a bare per cent sign is not a LaTeX comment
    ("275--85", "275–85"),
    ("before---after", "before—after"),
    ("The {IVIG} trial", "The IVIG trial"),
    ("$\\alpha$-synuclein", "α-synuclein"),
    ("\\textit{in vivo}", "in vivo"),
    ("A \\& B", "A & B"),
    ("``quoted''", "“quoted”"),
    ("NUL\x00 and escape\x1b gone", "NUL and escape gone"),
    ("  spaced\n  out  ", "spaced out"),
]


@pytest.mark.parametrize("raw, shown", TEXT_CASES)
def test_field_text_is_unicode(raw, shown):
    assert decode.text(raw) == shown


NAME_CASES = [
    ("Dalakas, M. C.", ["Dalakas MC"]),
    ('M{\\"u}ller, J. and Good, A.', ["Müller J", "Good A"]),
    ("Good, A. AND Other, B.", ["Good A", "Other B"]),  # BibTeX's `and` ignores case
    ("Good, A. And Other, B.", ["Good A", "Other B"]),
    ("Donald E. Knuth", ["Knuth DE"]),  # First Last form
    ("Ludwig van Beethoven", ["van Beethoven L"]),
    ("{National Blood Authority Australia}", ["National Blood Authority Australia"]),
    ("{Simon and Schuster} and Good, A.", ["Simon and Schuster", "Good A"]),
    ("Charles-Schoeman, C. and Martin, Jean-Pierre", ["Charles-Schoeman C", "Martin JP"]),
    ("Smith, Jr, John", ["Smith J Jr"]),
]


@pytest.mark.parametrize("raw, shown", NAME_CASES)
def test_authors_are_split_and_decoded(raw, shown):
    from guide.html.citations import short_name

    assert [short_name(n) for n in decode.names(raw)] == shown


def test_others_ends_the_list_as_et_al():
    text = reference_text(article(author="Good, A. and Other, B. and others"))
    assert text.startswith("Good A, Other B, et al. A trial.")


def test_abbreviations_ending_in_a_full_stop_give_one_full_stop():
    text = reference_text(article(journal="Proc. Natl. Acad. Sci.", title="A trial."))
    assert ".." not in text
    assert "A trial. Proc. Natl. Acad. Sci. 2020." in text


def test_reference_text_shows_no_latex():
    text = reference_text(article(author='M{\\"u}ller, J.', title="{IVIG} in {\\'E}cole 10\\%",
                                  pages="12--15", volume="3"))
    assert text == "Müller J. IVIG in École 10%. J Good. 2020;3:12–15."


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)",
                                 "data:text/html,x", "file:///etc/passwd", "//evil.example/x"])
def test_a_url_that_is_not_a_web_address_never_becomes_a_link(url):
    html = Formatter({"k": article(url=url)}).full_entry("k")
    assert "href=\"" + url.strip() not in html and "javascript:" not in html.lower()


def test_a_web_address_becomes_a_link_and_a_sici_doi_is_escaped():
    sici = "10.1002/(SICI)1097-4598(199709)20:9<1081::AID-MUS1>3.0.CO;2-4"
    entries = {"a": article(url="https://example.org/x?a=1&b=2"), "b": article(doi=sici)}
    assert '<a href="https://example.org/x?a=1&amp;b=2">' in Formatter(entries).full_entry("a")
    html = Formatter(entries).full_entry("b")
    assert "%3C1081::AID-MUS1%3E" in html and "doi:10.1002/(SICI)1097-4598(199709)20:9&lt;1081" in html


# The shortcuts in guide/sources/decode.py must give exactly what the libraries give.
@settings(max_examples=300, deadline=None, database=None)
@given(st.text(alphabet=st.sampled_from("abcXYZ 12{}.,:;-'()éß\n"), max_size=40))
def test_the_text_shortcut_agrees_with_pylatexenc(value):
    if decode.LATEX.search(value):
        return
    slow = " ".join(decode.latex_to_text(value).split())
    assert decode.text(value) == slow.replace("{", "").replace("}", "")


NAME_PIECES = ["Good", "van", "de", "la", "Jr", "A.", "B. C.", "Jean-Pierre", "O'Brien", "Müller",
               ",", ", ", " ", "  ", " and ", " AND ", " And ", "and", "{", "}", "{Corp and Co}", "\\'e",
               "others", "\t", "\n"]


@settings(max_examples=400, deadline=None, database=None)
@given(st.lists(st.sampled_from(NAME_PIECES), max_size=12).map("".join))
def test_the_name_shortcuts_agree_with_bibtexparser(value):
    from bibtexparser.middlewares.names import split_multiple_persons_names

    slow = [decode.parsed_name(raw) for raw in split_multiple_persons_names(value.strip(" \t\r\n"))]
    assert decode.names(value) == [name for name in slow if name]
