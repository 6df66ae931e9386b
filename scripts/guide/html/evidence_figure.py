"""The "evidence at a glance" figure: every study with participants and conditions, drawn as SVG.

Conditions are rows, the year runs along x, a marker's size grows with the number of patients
and its shape and colour both say the design (never colour alone; randomised trials are large
outlined diamonds drawn on top). Each marker links to its reference on the References page. The
SVG is assembled from a Jinja2 template (no plotting library: see CONTRIBUTING.md, "Evidence
figures"); text and axes use currentColor and the marker colours are CSS variables, so it reads
in light and dark mode and in print. Each figure comes with its text alternative: a one-sentence
summary and the data as a table in a <details>.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import jinja2
import jinja2.sandbox

from ..sources import studyfacts, vocabulary
from ..sources.bib import Entry
from ..sources.decode import names, text as detex

@dataclass(frozen=True)
class Study:
    key: str
    number: int
    label: str  # "Dalakas 1993"
    year: int
    design: str
    participants: int
    conditions: tuple[str, ...]
    intervention: str
    parent: str = ""  # the key of the trial this study analyses
    doubtful: bool = False  # a venue of doubtful editorial quality


def first_author(entry: Entry) -> str:
    authors = names(entry.get("author"))
    return authors[0].last if authors and not authors[0].others else detex(entry.get("organization"))


def study(entry: Entry, entries: dict[str, Entry] | None = None) -> Study | None:
    """The entry as a plotted study, or None when it lacks participants, conditions or a year.
    With no author shown, a study is named by its `shorttitle`, or an analysis by its parent
    trial's `trialname` ("ProDERM analysis 2023")."""
    participants = studyfacts.count(entry, "participants")
    conditions = tuple(studyfacts.conditions(entry))
    year = entry.get("year").strip()
    if participants is None or not conditions or not year.isdigit() or entry.number is None:
        return None
    first, parent = first_author(entry) or detex(entry.get("shorttitle")), studyfacts.parent(entry)
    if not first and parent and entries and parent in entries:
        trial = entries[parent]
        first = (detex(trial.get("trialname")) or f"{first_author(trial)} {trial.get('year')}") + " analysis"
    return Study(entry.key, entry.number, f"{first} {year}".strip(), int(year), entry.get("design"),
                 participants, conditions, entry.get("intervention").strip(), parent,
                 studyfacts.doubtful_venue(entry))


def studies(entries: dict[str, Entry], keys=None) -> list[Study]:
    """The plottable studies among `keys` (all entries when None), in reference-number order."""
    chosen = entries if keys is None else {k: entries[k] for k in keys if k in entries}
    found = [s for s in (study(e, entries) for e in chosen.values()) if s is not None]
    return sorted(found, key=lambda s: (s.number, s.key))


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@dataclass(frozen=True)
class Counts:
    """What a set of studies amounts to, each trial counted once."""
    publications: int
    trials: int  # distinct randomised trials: a trial's analyses name it as parent
    analyses: int  # secondary analyses of trials (of those above or not)
    syntheses: int  # meta-analyses and systematic reviews, counted apart
    largest: Study | None  # the largest primary study (neither an analysis nor a synthesis)


def counts(found: list[Study]) -> Counts:
    trials = {s.key for s in found if s.design == "rct" and not s.parent}
    analyses = [s for s in found if s.parent]
    syntheses = [s for s in found if s.design in vocabulary.SYNTHESES]
    primary = [s for s in found if not s.parent and s.design not in vocabulary.SYNTHESES]
    largest = max(primary, key=lambda s: (s.participants, -s.number), default=None)
    return Counts(len(found), len(trials), len(analyses), len(syntheses), largest)


def radius(participants: int) -> float:
    """Marker radius in px: grows with log10 of the patients, 3 px for one patient."""
    return round(3 + 2.6 * math.log10(max(participants, 1)), 1)


def shape_path(shape: str, x: float, y: float, r: float) -> str:
    """An SVG path of the given shape centred on (x, y), about 2r across."""
    f = lambda v: f"{v:.1f}".rstrip("0").rstrip(".")  # noqa: E731 - short numbers, small files
    if shape == "diamond":
        r *= 1.3
        return f"M{f(x)} {f(y - r)}L{f(x + r)} {f(y)}L{f(x)} {f(y + r)}L{f(x - r)} {f(y)}Z"
    if shape == "square":
        r *= 0.9
        return f"M{f(x - r)} {f(y - r)}h{f(2 * r)}v{f(2 * r)}h{f(-2 * r)}Z"
    if shape == "triangle":
        return f"M{f(x)} {f(y - r * 1.15)}L{f(x + r)} {f(y + r * 0.7)}L{f(x - r)} {f(y + r * 0.7)}Z"
    if shape == "down":
        return f"M{f(x)} {f(y + r * 1.15)}L{f(x + r)} {f(y - r * 0.7)}L{f(x - r)} {f(y - r * 0.7)}Z"
    if shape == "plus":
        w = r / 2.6
        return (f"M{f(x - w)} {f(y - r)}h{f(2 * w)}v{f(r - w)}h{f(r - w)}v{f(2 * w)}h{f(w - r)}"
                f"v{f(r - w)}h{f(-2 * w)}v{f(w - r)}h{f(w - r)}v{f(-2 * w)}h{f(r - w)}Z")
    return (f"M{f(x - r)} {f(y)}a{f(r)} {f(r)} 0 1 0 {f(2 * r)} 0a{f(r)} {f(r)} 0 1 0 {f(-2 * r)} 0Z")


SVG = jinja2.sandbox.ImmutableSandboxedEnvironment(autoescape=True, trim_blocks=True, lstrip_blocks=True).from_string("""\
<svg class="ev-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{ width }} {{ height }}" \
role="group" aria-labelledby="{{ id }}-caption" font-size="{{ font }}" fill="currentColor">
{% for row in rows %}
<text x="{{ left - 8 }}" y="{{ row.y + 5 }}" text-anchor="end">{{ row.label }}</text>
<line x1="{{ left }}" x2="{{ right }}" y1="{{ row.y }}" y2="{{ row.y }}" stroke="currentColor" \
stroke-opacity=".15"/>
{% endfor %}
<path d="M{{ x0 }} {{ axis }}H{{ x1 }}" stroke="currentColor" fill="none"/>
{% for tick in ticks %}
<path d="M{{ tick.x }} {{ axis }}v5" stroke="currentColor"/><text x="{{ tick.x }}" y="{{ axis + 6 + font }}" \
text-anchor="middle">{{ tick.year }}</text>
{% endfor %}
<text x="{{ (x0 + x1) / 2 }}" y="{{ axis + 10 + 2 * font }}" text-anchor="middle">Year published</text>
{% for m in markers %}
<a href="{{ m.href }}" tabindex="-1" aria-hidden="true"><circle class="ev-target" cx="{{ m.x }}" \
cy="{{ m.y }}" r="{{ target }}" fill-opacity="0"/></a>
{% endfor %}
{% for m in markers %}
<a href="{{ m.href }}" aria-label="{{ m.name }}"><title>{{ m.name }}</title><path class="ev-{{ m.group }}" \
d="{{ m.d }}" stroke="currentColor" stroke-width="{{ m.stroke }}"/></a>
{% endfor %}
{% for item in legend %}
<path class="ev-{{ item.group }}" d="{{ item.d }}" stroke="currentColor" stroke-width="{{ item.stroke }}"/>\
<text x="{{ item.x + 14 }}" y="{{ item.y + 5 }}">{{ item.label }}</text>
{% endfor %}
{% for item in sizes %}
<path d="{{ item.d }}" fill="none" stroke="currentColor"/><text x="{{ (item.x + item.r + 4) | round(1) }}" \
y="{{ size_y + 5 }}">{{ item.n }}</text>
{% endfor %}
<text x="{{ left - 8 }}" y="{{ size_y + 5 }}" text-anchor="end">Patients</text>
</svg>""")


# Drawn for a phone: the SVG is no wider than a 390 px screen's content column (about 358 px),
# so its 14-unit text is never drawn smaller than 14 px there (the figure's own small print, the
# data table, is 0.7rem = 14 px); CSS caps the width on wider screens. Under the markers lies a
# layer of invisible 24-unit discs, each a link to its study (a 24 px touch target at phone
# width) kept out of the tab order and the accessibility tree, which have the visible markers; a
# visible marker is always above every disc. Where markers crowd, the data table lists the same
# links.
WIDTH = 340
FONT = 14
TARGET = 12  # radius of a marker's touch target


def year_ticks(first: int, last: int, x_of, min_gap: float) -> list[dict]:
    """The axis runs from the first study's year to the last: both ends are labelled, with
    decades between them where they do not crowd an end label."""
    ends = sorted({first, last})
    inner = [y for y in range(-(-first // 10) * 10, last, 10)
             if all(abs(x_of(y) - x_of(e)) >= min_gap for e in ends)]
    return [{"x": round(x_of(y), 1), "year": y} for y in sorted(ends + inner)]


def draw(found: list[Study], references_url: str, figure_id: str, compact: bool = False) -> str:
    """The SVG of `found` (conditions as rows, year on x); markers link to `references_url#ref-N`."""
    conditions = [c for c in vocabulary.CONDITION_VALUES if any(c in s.conditions for s in found)]
    width = WIDTH
    left, right, top, step = 92, width - 14, 24, 34
    rows = [{"label": vocabulary.CONDITION_LABELS[c], "y": top + i * step} for i, c in enumerate(conditions)]
    axis = top + max(len(rows) - 1, 0) * step + 22
    first = min((s.year for s in found), default=2000)
    last = max((s.year for s in found), default=2000)
    lo, hi = (first - 1, last + 1) if first == last else (first, last)
    x0, x1 = left + 14, right - 14  # room for the end labels and the largest marker
    x_of = lambda year: x0 + (year - lo) / (hi - lo) * (x1 - x0)  # noqa: E731
    ticks = year_ticks(first, last, x_of, 2.6 * FONT)
    # One marker per study and condition row; studies sharing a row and year step apart vertically.
    placed: dict[tuple[str, int], int] = {}
    markers = []
    shapes = {g.id: g.shape for g in vocabulary.GROUPS}
    order = sorted(found, key=lambda s: (vocabulary.GROUP_OF.get(s.design, "other") == "rct", -s.participants))
    for s in order:
        group = vocabulary.GROUP_OF.get(s.design, "other")
        for c in s.conditions:
            slot = placed.get((c, s.year), 0)
            placed[(c, s.year)] = slot + 1
            y = rows[conditions.index(c)]["y"] + (0 if slot == 0 else (-1) ** slot * 5 * ((slot + 1) // 2))
            x = x_of(s.year) + (2.5 * slot if slot else 0)
            name = (f"{s.label} [{s.number}]: {vocabulary.DESIGN_LABELS.get(s.design, s.design)}, "
                    f"{s.participants} patient{'s' if s.participants != 1 else ''}"
                    + (f", {s.intervention}" if s.intervention else "")
                    + (", venue of doubtful editorial quality" if s.doubtful else ""))
            markers.append({"href": f"{references_url}#ref-{s.number}", "name": name, "group": group,
                            "d": shape_path(shapes[group], x, y, radius(s.participants)),
                            "x": round(x, 1), "y": round(y, 1),
                            "stroke": 1.6 if group in ("rct", "analysis") else 0.6})
    drawn = {vocabulary.GROUP_OF.get(s.design, "other") for s in found}
    present = [g for g in vocabulary.GROUPS if g.id in drawn]
    legend_top = axis + 30 + 2 * FONT
    legend = []
    for i, group in enumerate(present):
        x, y = 22, legend_top + i * (FONT + 8)
        legend.append({"group": group.id, "label": group.legend, "x": x, "y": y,
                       "d": shape_path(group.shape, x, y, 6),
                       "stroke": 1.6 if group.id in ("rct", "analysis") else 0.6})
    size_y = legend_top + len(present) * (FONT + 8) + 10
    sizes, x = [], left + 4
    for n in (1, 10, 100, 500):
        r = radius(n)
        sizes.append({"n": n, "x": round(x + r, 1), "r": r, "d": shape_path("circle", x + r, size_y, r)})
        x = round(x + 2 * r + 6 + 0.62 * FONT * len(str(n)) + 10, 1)
    height = size_y + 20
    return SVG.render(width=width, height=round(height), rows=rows, left=left, right=right, axis=axis,
                      x0=round(x0 - 8, 1), x1=round(x1 + 8, 1), ticks=ticks, markers=markers, legend=legend,
                      sizes=sizes, size_y=size_y, id=figure_id, font=FONT, target=TARGET)


def summary(found: list[Study]) -> str:
    """One sentence a reader without the picture can use, from the same counts as every caption:
    each randomised trial once, its secondary analyses and the meta-analyses counted apart, and
    the largest *primary* study named as such."""
    if not found:
        return "No study cited here records its number of patients and conditions."
    c = counts(found)
    first, last = min(s.year for s in found), max(s.year for s in found)
    parts = [plural(c.trials, "randomised trial", "randomised trials") if c.trials else "no randomised trial"]
    if c.analyses:
        parts.append(plural(c.analyses, "secondary analysis of a trial", "secondary analyses of trials"))
    if c.syntheses:
        parts.append(plural(c.syntheses, "meta-analysis or systematic review",
                            "meta-analyses or systematic reviews"))
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    span = str(first) if first == last else f"{first} to {last}"
    largest = (f"; the largest primary study is {c.largest.label} with "
               f"{plural(c.largest.participants, 'patient', 'patients')}" if c.largest else "")
    return (f"{plural(c.publications, 'publication', 'publications')} from {span}: {listed}{largest}. "
            "Marker size shows patients, shape and colour the design.")


def table(found: list[Study], references_url: str) -> str:
    rows = "".join(
        f'<tr><td><a href="{html.escape(references_url)}#ref-{s.number}">{html.escape(s.label)} '
        f'[{s.number}]</a></td><td>{s.year}</td><td>{html.escape(vocabulary.DESIGN_LABELS.get(s.design, s.design))}'
        f'{" (venue of doubtful editorial quality)" if s.doubtful else ""}'
        f'</td><td>{s.participants}</td><td>{html.escape(", ".join(vocabulary.CONDITION_LABELS[c] for c in s.conditions))}'
        f'</td><td>{html.escape(s.intervention or "not stated")}</td></tr>' for s in found)
    return ('<table><thead><tr><th>Study</th><th>Year</th><th>Design</th><th>Patients</th>'
            f'<th>Conditions</th><th>Immunoglobulin</th></tr></thead><tbody>{rows}</tbody></table>')


def figure(found: list[Study], references_url: str, figure_id: str, title: str, compact: bool = False) -> str:
    """The whole block: caption with title and summary, the SVG, and the data in a <details>."""
    # Out of search: the References page already holds every study, and condition words in the
    # data table would pull this page above the chapters for a clinical query.
    return (f'<figure class="ev-figure{" ev-compact" if compact else ""}" id="{figure_id}" data-search-exclude>'
            f'<figcaption id="{figure_id}-caption"><strong>{html.escape(title)}.</strong> '
            f'{html.escape(summary(found))}</figcaption>\n'
            + (draw(found, references_url, figure_id, compact) if found else "")
            + f'\n<details class="ev-data"><summary>The data in this figure '
            f'({plural(len(found), "publication", "publications")})</summary>{table(found, references_url)}</details>'
            '</figure>')
