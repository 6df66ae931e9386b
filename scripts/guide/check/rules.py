"""The checker's rules. Each is a small function whose docstring is the rule; each yields Problems.

Entry rules take one Entry; store rules take every entry; page rules take one parsed Page.
"""

from __future__ import annotations

import difflib
import datetime as dt
import re
from collections import defaultdict
from typing import Iterable, Iterator

from ..report import Problem, error, warning
from ..sources import studyfacts, vocabulary
from ..sources.bib import Entry, Failure
from ..sources.doi import doi_problem
from ..sources.markdown import Page, front_matter_span, mask_code
from ..sources.weburl import is_web_address
from ..sources.where import Positions, first_line, lines
from . import network

KEY_CHARS = re.compile(r"^[A-Za-z0-9_-]+$")

REQUIRED_FIELDS = {
    "article": ("title", "journal", "year"),
    "book": ("author", "title", "publisher", "year"),
    "inproceedings": ("author", "title", "booktitle", "year"),
    "misc": ("title", "howpublished", "url"),
    "manual": ("title", "organization", "year"),
}


# --- store rules -------------------------------------------------------------------------------

def bib_parses(failure: Failure) -> Iterator[Problem]:
    """Every .bib file is a regular UTF-8 file in the repository that BibTeX reads as written:
    each reading problem is reported at its own line and column."""
    yield error(failure.path, failure.line, failure.col, failure.message, failure.rule)


def keys_unique(entries: Iterable[Entry]) -> Iterator[Problem]:
    """A key must be defined once across all bib/*.bib files; BibTeX ignores case in keys."""
    first: dict[str, Entry] = {}
    for entry in entries:
        seen = first.get(entry.key.lower())
        if seen is None:
            first[entry.key.lower()] = entry
        elif seen.key == entry.key:
            yield error(entry.path, entry.line, 1,
                        f"duplicate key '{entry.key}': already defined at {seen.path}:{seen.line}",
                        "duplicate-key")
        else:
            yield error(entry.path, entry.line, 1,
                        f"key '{entry.key}' must differ from '{seen.key}' ({seen.path}:{seen.line}) in "
                        "more than case: BibTeX ignores case in keys", "duplicate-key")


def dois_unique(entries: Iterable[Entry]) -> Iterator[Problem]:
    """Two entries must not share a DOI (DOIs compare case-insensitively)."""
    first: dict[str, Entry] = {}
    for entry in entries:
        doi = entry.get("doi").strip().lower()
        if not doi:
            continue
        if doi in first:
            seen = first[doi]
            yield error(entry.path, entry.line_of("doi"), 1,
                        f"DOI '{entry.get('doi')}' of '{entry.key}' is already used by "
                        f"'{seen.key}' at {seen.path}:{seen.line}", "duplicate-doi")
        else:
            first[doi] = entry


def numbers_unique(entries: Iterable[Entry]) -> Iterator[Problem]:
    """Each entry has a unique integer number: `reviewref` (1-115, the review's) or `guideref`."""
    first: dict[int, Entry] = {}
    for entry in entries:
        field = "reviewref" if "reviewref" in entry.fields else "guideref"
        raw = entry.get(field).strip()
        if not raw:
            yield error(entry.path, entry.line, 1,
                        f"entry '{entry.key}' must have 'reviewref' (its number in the review) or "
                        "'guideref' (a reference added by this guide)", "number")
            continue
        if not raw.isdigit() or int(raw) < 1:
            yield error(entry.path, entry.line_of(field), 1,
                        f"'{field}' of '{entry.key}' must be a positive integer, not '{raw}'", "number")
            continue
        number = int(raw)
        if number in first:
            seen = first[number]
            yield error(entry.path, entry.line_of(field), 1,
                        f"number {number} of '{entry.key}' is already used by '{seen.key}' at "
                        f"{seen.path}:{seen.line}", "number")
        else:
            first[number] = entry


def entries_cited(entries: Iterable[Entry], cited: set[str], strict: bool) -> Iterator[Problem]:
    """Every entry is cited by at least one page (a warning, an error under --fail-unused)."""
    report = error if strict else warning
    for entry in entries:
        if entry.key not in cited:
            yield report(entry.path, entry.line, 1, f"entry '{entry.key}' is never cited", "unused")


def analyses_name_their_trial(entries: Iterable[Entry]) -> Iterator[Problem]:
    """An analysis, extension or sub-study of a trial is never labelled a trial of its own: an
    entry with `parent` has design `trial-analysis`, and a `trial-analysis` names its `parent`."""
    for entry in entries:
        design, parent = entry.get("design").strip(), studyfacts.parent(entry)
        if parent and design != vocabulary.ANALYSIS:
            yield error(entry.path, entry.line_of("design"), 1,
                        f"'{entry.key}' analyses the trial '{parent}' (its 'parent'), so its design must be "
                        f"'{vocabulary.ANALYSIS}', not '{design}': one trial is counted once", "trial-analysis")
        elif design == vocabulary.ANALYSIS and not parent:
            yield error(entry.path, entry.line_of("design"), 1,
                        f"'{entry.key}' is a '{vocabulary.ANALYSIS}': name the trial it analyses with "
                        "parent = {key}", "trial-analysis")


def parents_hold_their_children(entries: Iterable[Entry]) -> Iterator[Problem]:
    """A `parent` is the key of another entry in bib/ that is a study of its own (not itself an
    analysis), and a child never reports more patients than its parent trial."""
    by_key = {e.key: e for e in entries}
    for entry in by_key.values():
        key = studyfacts.parent(entry)
        if not key:
            continue
        found = by_key.get(key)
        if found is None or key == entry.key:
            yield error(entry.path, entry.line_of("parent"), 1,
                        f"parent '{key}' of '{entry.key}' must be the key of another entry in bib/",
                        "trial-analysis")
            continue
        if studyfacts.parent(found):
            yield error(entry.path, entry.line_of("parent"), 1,
                        f"parent '{key}' of '{entry.key}' is itself an analysis of '{studyfacts.parent(found)}'"
                        "; name the trial itself", "trial-analysis")
        mine, theirs = studyfacts.count(entry, "participants"), studyfacts.count(found, "participants")
        if mine is not None and theirs is not None and mine > theirs:
            yield error(entry.path, entry.line_of("participants"), 1,
                        f"'{entry.key}' reports {mine} patients, more than the {theirs} of its parent trial "
                        f"'{key}' ({found.path}:{found.line_of('participants')})", "trial-analysis")


# --- entry rules -------------------------------------------------------------------------------

def key_is_plain(entry: Entry) -> Iterator[Problem]:
    """A key uses only the characters [A-Za-z0-9_-]."""
    if not KEY_CHARS.match(entry.key):
        yield error(entry.path, entry.line, 1,
                    f"key '{entry.key}' must use only the characters [A-Za-z0-9_-]", "key-chars")


def required_fields_present(entry: Entry) -> Iterator[Problem]:
    """An entry has the fields its type needs, none of them empty; its type is one we format."""
    needed = REQUIRED_FIELDS.get(entry.type)
    if needed is None:
        yield error(entry.path, entry.line, 1,
                    f"entry '{entry.key}' has type @{entry.type}; use one of "
                    + ", ".join(f"@{t}" for t in REQUIRED_FIELDS), "entry-type")
        return
    for name in needed if "crossref" not in entry.fields else ():  # crossref_unused reports it
        if name not in entry.fields:
            yield error(entry.path, entry.line, 1,
                        f"entry '{entry.key}' (@{entry.type}) must have the field '{name}'", "fields")
    for name, value in entry.fields.items():
        if not value.strip("{} \t\n"):
            yield error(entry.path, entry.line_of(name), 1,
                        f"field '{name}' of '{entry.key}' must not be empty", "fields")


def doi_well_formed(entry: Entry) -> Iterator[Problem]:
    """A DOI is stored bare and well-formed: 10.<4-9 digits>/<suffix>, nothing glued on."""
    if "doi" in entry.fields:
        problem = doi_problem(entry.fields["doi"])
        if problem:
            yield error(entry.path, entry.line_of("doi"), 1, problem, "doi")


def design_known(entry: Entry) -> Iterator[Problem]:
    """An entry's `design` is one of the study-design vocabulary (see CONTRIBUTING.md)."""
    design = entry.get("design").strip()
    if not design:
        yield error(entry.path, entry.line, 1,
                    f"entry '{entry.key}' must have a 'design' field", "design")
    elif design not in vocabulary.DESIGN_LABELS:
        yield error(entry.path, entry.line_of("design"), 1,
                    f"design '{design}' of '{entry.key}' is unknown; use one of "
                    + ", ".join(vocabulary.DESIGN_LABELS), "design")


def crossref_unused(entry: Entry) -> Iterator[Problem]:
    """An entry stands alone: fields are not inherited through `crossref`, so copy them in."""
    if "crossref" in entry.fields:
        missing = [n for n in REQUIRED_FIELDS.get(entry.type, ()) if n not in entry.fields]
        needed = f" (it lacks {', '.join(repr(n) for n in missing)})" if missing else ""
        yield error(entry.path, entry.line_of("crossref"), 1,
                    f"entry '{entry.key}' must not use crossref: this guide does not inherit fields; "
                    f"copy the fields it needs from '{entry.get('crossref')}'{needed} and remove "
                    "crossref", "crossref")


YEAR = re.compile(r"^\d{4}$")


def year_is_a_year(entry: Entry) -> Iterator[Problem]:
    """A `year` is a four-digit year."""
    year = entry.get("year")
    if year.strip() and not YEAR.match(year):
        yield error(entry.path, entry.line_of("year"), 1,
                    f"'year' of '{entry.key}' must be a four-digit year such as 2021, not '{year}'", "year")


def url_is_web(entry: Entry) -> Iterator[Problem]:
    """A `url` is a web address starting http:// or https://: it becomes a link on the
    References page, and no other scheme (javascript:, data:, file:) may."""
    url = entry.get("url")
    if "url" in entry.fields and not is_web_address(url):
        yield error(entry.path, entry.line_of("url"), 1,
                    f"'url' of '{entry.key}' must be a web address starting http:// or https://, "
                    f"not '{url[:60]}'", "url")


def study_facts_valid(entry: Entry) -> Iterator[Problem]:
    """`participants` and `studies` are positive integers (`studies` only on a meta-analysis or
    systematic review); `conditions` are words from the conditions vocabulary, separated by
    commas; `intervention` is IVIG, SCIG, both or none."""
    for name in studyfacts.COUNT_FIELDS:
        raw = entry.get(name).strip()
        if raw and studyfacts.count(entry, name) is None:  # empty: required_fields_present says so
            yield error(entry.path, entry.line_of(name), 1,
                        f"'{name}' of '{entry.key}' must be a positive integer such as 12, not '{raw}'",
                        "study-facts")
    if "studies" in entry.fields and entry.get("design") not in vocabulary.SYNTHESES:
        yield error(entry.path, entry.line_of("studies"), 1,
                    f"'studies' of '{entry.key}' belongs only to a meta-analysis or systematic review",
                    "study-facts")
    if entry.get("conditions").strip():
        words = studyfacts.split_conditions(entry.get("conditions"))
        for word in words:
            if word not in vocabulary.CONDITION_VALUES:
                yield error(entry.path, entry.line_of("conditions"), 1,
                            f"condition '{word}' of '{entry.key}' is unknown; use one or more of "
                            + ", ".join(vocabulary.CONDITION_VALUES) + ", separated by commas", "study-facts")
        if len(set(words)) != len(words):
            yield error(entry.path, entry.line_of("conditions"), 1,
                        f"'conditions' of '{entry.key}' must name each condition once", "study-facts")
    if "editorial" in entry.fields and entry.get("editorial").strip() not in vocabulary.EDITORIAL:
        yield error(entry.path, entry.line_of("editorial"), 1,
                    f"'editorial' of '{entry.key}' may only be 'doubtful' (a venue of doubtful editorial "
                    "quality)", "study-facts")
    if entry.get("intervention").strip() and entry.get("intervention").strip() not in vocabulary.INTERVENTIONS:
        yield error(entry.path, entry.line_of("intervention"), 1,
                    f"intervention '{entry.get('intervention').strip()}' of '{entry.key}' is unknown; use "
                    "one of " + ", ".join(vocabulary.INTERVENTIONS), "study-facts")


ENTRY_RULES = (key_is_plain, required_fields_present, crossref_unused, doi_well_formed, design_known,
               year_is_a_year, url_is_web, study_facts_valid)


# --- page rules --------------------------------------------------------------------------------

def citation_syntax(page: Page) -> Iterator[Problem]:
    """A citation block is `[@key]`, `[@a; @b]` or `[prefix @key, locator]`, every item well-formed."""
    for block in page.citations:
        if block.error:
            yield error(page.path, block.line, block.col, block.error, "citation-syntax")


OPEN_TAG = re.compile(r"<[A-Za-z][^<>]*$")  # a tag opened and not yet closed


def _in_link_text(masked: str, start: int, end: int) -> bool:
    """The citation sits inside `[...](...)` or `[...][ref]`: the text of a link."""
    depth, i = 0, start - 1
    floor = masked.rfind("\n\n", 0, start)
    while i > floor:
        char = masked[i]
        if char == "]":
            depth += 1
        elif char == "[":
            if depth == 0:
                break
            depth -= 1
        i -= 1
    else:
        return False
    depth, j = 0, end
    stop = masked.find("\n\n", end)
    stop = len(masked) if stop == -1 else stop
    while j < stop:
        if masked[j] == "[":
            depth += 1
        elif masked[j] == "]":
            if depth == 0:
                return masked[j + 1:j + 2] in ("(", "[")
            depth -= 1
        j += 1
    return False


def nothing_loaded_from_the_network(page: Page) -> Iterator[Problem]:
    """A page loads nothing from another host (an image, script, stylesheet, frame, or a diagram
    that makes Material fetch its library): the offline copy has no network. The build checks the
    finished HTML the same way; this finds it at the source line first."""
    for line, what in network.loads_in(page.masked):
        yield error(page.path, line, 1, f"{what}: a page must not load anything from the network; ship "
                    "the file in docs/ and link it relatively", "offline")


def citations_placed(page: Page) -> Iterator[Problem]:
    """A citation stands in running text: not inside an HTML tag (an attribute cannot hold its
    link) and not inside a link's text (a link cannot hold another link)."""
    for block in page.citations:
        line_start = page.masked.rfind("\n", 0, block.start) + 1
        if OPEN_TAG.search(page.masked[max(0, line_start - 2000):block.start]):
            yield error(page.path, block.line, block.col, "a citation cannot stand inside an HTML tag or "
                        "attribute; cite in the text after the element", "citation-place")
        elif _in_link_text(page.masked, block.start, block.end):
            yield error(page.path, block.line, block.col, "a citation cannot stand inside a link's text; "
                        "cite after the link", "citation-place")


class KeyIndex:
    """The store's keys, with a case-insensitive index for near-miss suggestions."""

    def __init__(self, keys: Iterable[str], unreadable: Iterable[str] = ()):
        self.keys = set(keys)
        self.unreadable = set(unreadable)  # in bib/, but too broken to read
        self.lower: dict[str, list[str]] = defaultdict(list)
        for key in self.keys:
            self.lower[key.lower()].append(key)

    def suggest(self, key: str) -> str | None:
        same_case = self.lower.get(key.lower())
        if same_case:
            return same_case[0]
        close = difflib.get_close_matches(key.lower(), list(self.lower), n=1, cutoff=0.75)
        return self.lower[close[0]][0] if close else None


def citations_resolve(page: Page, index: KeyIndex) -> Iterator[Problem]:
    """Every cited key is an entry in bib/, with exactly the same case."""
    for block in page.citations:
        for cite in block.items:
            if cite.key in index.keys:
                continue
            if cite.key in index.unreadable:
                yield error(page.path, cite.line, cite.col, f"citation key '{cite.key}' names an entry in "
                            "bib/ that cannot be read; the entry must be fixed first (see its error)",
                            "unknown-key")
                continue
            hint = index.suggest(cite.key)
            message = f"citation key '{cite.key}' is not in bib/"
            if hint:
                message += f"; did you mean '{hint}'?"
            yield error(page.path, cite.line, cite.col, message, "unknown-key")


CITED_KEY = re.compile(r"@([A-Za-z0-9_-]+)")


NOT_STATED = re.compile(r"^(?:not stated\b|[—–-]$)", re.IGNORECASE)
STUDY_COUNT = re.compile(r"^(\d+)\s+studies\b")
LEADING_COUNT = re.compile(r"^(\d+)(?!\d)")


def patients_cell_problem(cell: str, entry: Entry) -> str | None:
    """What is wrong with a Patients (n) cell for this entry, if anything."""
    participants = studyfacts.count(entry, "participants")
    if NOT_STATED.match(cell):
        if participants is not None:
            return f"Patients (n) '{cell}' must start with {participants}, the participants of '{entry.key}' in bib/"
        return None
    studies = STUDY_COUNT.match(cell)
    if studies:
        if int(studies.group(1)) != studyfacts.count(entry, "studies"):
            return (f"Patients (n) '{cell}' must match the 'studies' of '{entry.key}' in bib/ "
                    f"({entry.get('studies') or 'none given'})")
        return None
    shown = LEADING_COUNT.match(cell)
    if shown is None:
        return (f"Patients (n) '{cell}' must start with the number of patients, or read 'not stated'")
    if participants is None:
        return (f"Patients (n) '{cell}' gives a count, but '{entry.key}' has no 'participants' in bib/: "
                "add it there if a source shows it, or write 'not stated'")
    if int(shown.group(1)) != participants:
        return f"Patients (n) '{cell}' must start with {participants}, the participants of '{entry.key}' in bib/"
    return None


def evidence_design_matches(page: Page, entries: dict[str, Entry]) -> Iterator[Problem]:
    """In a table headed `| Study | Design |`, each row's Design reads its cited entry's design
    label, and for a primary study or synthesis its Patients (n) cell starts with the entry's
    `participants` (or with its `studies` as "N studies"), or reads "not stated" or "—" when the
    entry has no `participants`."""
    for table in page.tables():
        header = [c.lower() for c in table[0].cells]
        if len(header) < 2 or header[0] != "study" or header[1] != "design":
            continue
        patients = header.index("patients (n)") if "patients (n)" in header else None
        for row in table[1:]:
            keys = CITED_KEY.findall(row.cells[0]) if row.cells else []
            if not keys:
                yield error(page.path, row.line, 1,
                            "evidence table row must cite its study in the Study cell", "evidence")
                continue
            entry = entries.get(keys[0])
            shown = row.cells[1] if len(row.cells) > 1 else ""
            if entry is None:
                continue  # citations_resolve reports it
            expected = vocabulary.DESIGN_LABELS.get(entry.get("design"), "")
            if expected and shown != expected:
                yield error(page.path, row.line, 1,
                            f"Design '{shown}' must read '{expected}', the design of '{entry.key}' "
                            "in bib/", "evidence")
            if patients is not None and entry.get("design") in vocabulary.STUDY_DESIGNS \
                    and patients < len(row.cells):
                problem = patients_cell_problem(row.cells[patients].strip(), entry)
                if problem:
                    yield error(page.path, row.line, 1, problem, "evidence")


KEY_POINTS = re.compile(r'^!!! +\w+ +"Key points"', re.MULTILINE)


# The front matter keys the build reads, and what each must be.
META_TYPES = {
    "title": (str, "text"), "description": (str, "text"),
    "last_reviewed": (dt.date, "a date (YYYY-MM-DD)"),
    "search_terms": (list, "a list of words"), "covers": (list, "a list of conditions"),
}


def front_matter_valid(page: Page) -> Iterator[Problem]:
    """Front matter, when a page has it, is valid YAML holding `key: value` lines, and each key the
    build reads has the type it needs (a list of search terms, a date, text)."""
    if page.meta_error:
        line, col, message = page.meta_error
        yield error(page.path, line, col, message, "front-matter")
        return
    for key, (kind, what) in META_TYPES.items():
        value = (page.meta or {}).get(key)
        if value is None:
            continue
        if not isinstance(value, kind) or (kind is list and not all(isinstance(v, (str, int, float))
                                                                      for v in value)):
            line = first_line(page.text, lambda text: text.startswith(f"{key}:"))
            yield error(page.path, line, 1, f"front matter '{key}' must be {what}", "front-matter")


def fences_closed(page: Page) -> Iterator[Problem]:
    """Every code fence is closed: after an unclosed fence nothing is checked, and the reader
    sees the rest of the page as code."""
    if page.open_fence:
        line, fence = page.open_fence
        yield error(page.path, line, 1, f"this code fence must be closed: add a line {fence} after the "
                    "code", "code-fence")


def chapter_complete(page: Page) -> Iterator[Problem]:
    """A chapter has a title and description, a Key points box, an evidence table and citations."""
    meta = page.meta or {}
    for name in ("title", "description") if not page.meta_error else ():  # reported already
        if not str(meta.get(name, "")).strip():
            yield error(page.path, 1, 1, f"chapter front matter must have a '{name}'", "chapter")
    if not KEY_POINTS.search(page.masked):
        yield error(page.path, 1, 1, 'chapter must open with a `!!! abstract "Key points"` box',
                    "chapter")
    if not any(t[0].cells[:2] == ("Study", "Design") for t in page.tables() if t):
        yield error(page.path, 1, 1, "chapter must have an evidence table headed "
                    "'| Study | Design | Patients (n) | Regimen | Main result |'", "chapter")
    if not page.citations:
        yield error(page.path, 1, 1, "chapter must cite its sources", "chapter")


# A number followed by an infusion-rate unit, however it is written: 0.04 mL/kg/min, 3.3 mg/kg/min,
# 7.2 mL/kg/hour, 0,04 ml per kg per minute, 0.04 mL·kg⁻¹·min⁻¹, 40 µL/kg/min, .04 cc/kg/min ...
_PER = r"(?:\s*/\s*|\s+per\s+|\s*[·⋅∙]\s*|\s+)"
_INVERSE = r"(?:\s*(?:-1|⁻¹|\^-1))?"
TYPED_RATE = re.compile(
    r"(?<![\w.,])(?P<number>\d+(?:[.,]\d+)?|[.,]\d+)\s*(?P<unit>mg|ml|µl|μl|ul|cc)" + _PER
    + r"kg" + _INVERSE + _PER + r"(?P<time>min(?:ute)?s?|h(?:(?:ou)?rs?)?)" + _INVERSE + r"(?![\w])",
    re.IGNORECASE)


def rates_from_data(page: Page) -> Iterator[Problem]:
    """An infusion rate (mg/kg/min, mL/kg/min, per hour) is never typed: it comes from data/labels/.
    Front matter counts (its description reaches readers); code and comments do not."""
    where = Positions(page.text)
    span = front_matter_span(page.text)
    for text in (page.masked, page.text[:span] if span else ""):
        for match in TYPED_RATE.finditer(text):
            line, col = where.at(match.start())
            yield error(page.path, line, col,
                        f"infusion rate '{match.group(0)}' is typed by hand; take it from the label data, "
                        "e.g. {{ octagam.rates.dm_max }} (see CONTRIBUTING.md, 'Change a label value')",
                        "typed-rate")


def rate_per_minute(match: re.Match) -> tuple[str, float]:
    """('mg' or 'ml', the value per kg per minute) of a TYPED_RATE match."""
    value = float(match.group("number").replace(",", "."))
    unit = match.group("unit").lower()
    if unit in ("µl", "μl", "ul"):
        value, unit = value / 1000, "ml"
    if match.group("time").lower().startswith("h"):
        value /= 60
    return ("mg" if unit == "mg" else "ml"), value


def rendered_rates_known(path: str, source: str, rendered: str, known: dict[str, list[float]]) -> Iterator[Problem]:
    """Every rate a rendered page shows is one the label data holds: a rate computed in a
    template, or typed in a way the source check cannot see, fails at the template's line."""
    masked = mask_code(rendered)
    source_lines, shown = source.split("\n"), Positions(rendered)
    for match in TYPED_RATE.finditer(masked):
        kind, value = rate_per_minute(match)
        if any(abs(value - k) < 1e-9 for k in known.get(kind, [])):
            continue
        line = shown.at(match.start())[0]
        if not (line <= len(source_lines) and "{" in source_lines[line - 1]):
            line = first_line(source, lambda text: "{{" in text or "{%" in text)
        yield error(path, line, 1, f"the page shows the infusion rate '{match.group(0)}', which is not in "
                    "the label data; show rates only from data/labels/", "typed-rate")


def data_rates_from_labels(path: str, text: str) -> Iterator[Problem]:
    """A data file other than a label file (the change list, synonyms) types no infusion rate."""
    where = Positions(text)
    for match in TYPED_RATE.finditer(text):
        line, col = where.at(match.start())
        yield error(path, line, col, f"infusion rate '{match.group(0)}' is typed in a data file; only "
                    "data/labels/ holds rates", "typed-rate")


SINCE_HEADING = re.compile(r"^##\s+Since the review\b", re.IGNORECASE)
NEWER_FROM = 2023  # the review appeared in 2023: a study from then on is "since the review"
COVERS_REQUIRED = ("diseases", "special-situations")


def since_section(page: Page) -> tuple[int, int] | None:
    """The first and last line of the page's "Since the review" section (its heading included)."""
    start = first_line(page.masked, SINCE_HEADING.match, default=0)
    if not start:
        return None
    headings = lines(page.masked, lambda line: re.match(r"^#{1,2}\s", line))
    end = next((n for n in headings if n > start), page.masked.count("\n") + 2)
    return start, end - 1


def covers_line(page: Page) -> int:
    return first_line(page.text, lambda line: line.startswith("covers:"))


def since_the_review_is_complete(page: Page, entries: Iterable[Entry]) -> Iterator[Problem]:
    """A disease or special-situation chapter's front matter names the conditions it `covers`
    (any other chapter may); every newer study (published
    2023 or later) in bib/ tagged with one of them is cited in the chapter's "Since the review"
    section: discussed there, or listed there as reviewed and set aside with the reason. A chapter
    cannot say "nothing new" while the store holds such a study."""
    covers = (page.meta or {}).get("covers")
    if covers is None:
        if any(f"/{folder}/" in f"/{page.path}" for folder in COVERS_REQUIRED) and not page.meta_error:
            yield error(page.path, 1, 1, "a disease or special-situation chapter must name the conditions it "
                        "covers in its front matter, e.g. covers: [DM, PM]", "since-review")
        return
    if not isinstance(covers, list) or not covers or any(c not in vocabulary.CONDITION_VALUES for c in covers):
        yield error(page.path, covers_line(page), 1, "'covers' must list conditions from "
                    + ", ".join(vocabulary.CONDITION_VALUES) + ", e.g. covers: [DM, PM]", "since-review")
        return
    newer = [e for e in entries if e.get("design") in vocabulary.STUDY_DESIGNS
             and e.get("year").strip().isdigit() and int(e.get("year")) >= NEWER_FROM
             and set(studyfacts.conditions(e)) & set(covers)]
    if not newer:
        return
    section = since_section(page)
    if section is None:
        yield error(page.path, covers_line(page), 1, "this chapter covers " + ", ".join(covers) + " and the "
                    "store holds newer studies of it (" + ", ".join(e.key for e in newer) + "): add a "
                    "'## Since the review' section that cites each", "since-review")
        return
    start, end = section
    cited = {c.key for b in page.citations if start <= b.line <= end for c in b.items}
    for entry in newer:
        if entry.key not in cited:
            tagged = ", ".join(c for c in studyfacts.conditions(entry) if c in covers)
            yield error(page.path, start, 1,
                        f"'{entry.key}' ({entry.get('year').strip()}, tagged {tagged} in {entry.path}) is newer "
                        "than the review and covered by this chapter: cite it in 'Since the review', or list it "
                        "there as reviewed and set aside with the reason", "since-review")
