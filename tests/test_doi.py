import re
from pathlib import Path

import pytest

from guide.sources.doi import doi_problem

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_62e9e625ff36b8f3.txt"


@pytest.mark.parametrize("doi", [
    "10.1056/NEJMoa2117912",
    "10.1016/0002-9343(91)90009-m",
    "10.1212/wnl.59.12_suppl_6.s13",
    "10.1385/CRIAI:29:3:173",
    "10.3109/s10165-003-0250-9",
    "10.1093/rap/rkz030.001",
    # Older Wiley SICI-style DOIs carry < and >; they are valid and must pass.
    "10.1002/(SICI)1097-4598(199709)20:9<1081::AID-MUS1>3.0.CO;2-4",
    "10.1002/(SICI)1097-0045(19990801)40:3<142::AID-PROS4>3.0.CO;2-Y",
])
def test_good_dois_pass(doi):
    assert doi_problem(doi) is None


@pytest.mark.parametrize("doi, why", [
    ("https://doi.org/10.1056/NEJMoa2117912", "not a URL"),
    ("doi:10.1056/NEJMoa2117912", "'doi:' prefix"),
    ("10.1056/NEJMoa 2117912", "white space"),
    (" 10.1056/NEJMoa2117912", "white space"),
    ("10.1056/NEJMoa2117912.", "punctuation"),
    ("10.1056/NEJMoa2117912;", "punctuation"),
    ("10.1002/acr.20325Large", "glued"),
    ("10.1002/acr.20325retrospective", "glued"),
    ("10.105/short.registrant", "not well-formed"),
    ("11.1056/NEJMoa2117912", "not well-formed"),
    ("10.1056/", "not well-formed"),
    ("10.1056/NEJM\x00oa", "not well-formed"),
])
def test_bad_dois_fail_with_a_reason(doi, why):
    problem = doi_problem(doi)
    assert problem is not None and why in problem


@pytest.mark.skipif(not SEED.exists(), reason="the review's seed list (../shared/seed) is not beside this clone")
def test_heuristic_flags_exactly_the_seed_dois_with_text_glued_on():
    text = SEED.read_text(encoding="utf-8")
    dois = re.findall(r"https://doi\.org/(\S+?)\.?(?:\s|$)", text)
    assert len(dois) > 90
    flagged = [d for d in dois if doi_problem(d)]
    assert flagged == ["10.1002/acr.20325Large"]
