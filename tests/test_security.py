"""What a contributor's change cannot do (issue 18): run code through a page's template, read
files through a partial, or carry markup from the store or data to a reader. Each class has a
bad input that must fail at its line and a good input that must pass."""

from __future__ import annotations

import os

import pytest

from conftest import GOOD_ENTRY, ROOT, messages

# Each of these reaches (or tries to reach) Python internals; if one ran, it would create PWNED.
ESCAPES = [
    "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}",
    "{{ lipsum.__globals__['os'].system('touch PWNED') }}",
    "{{ ().__class__.__base__.__subclasses__() }}",
    "{{ labels.octagam.calculator_json.__globals__ }}",
    "{{ joiner.__init__.__globals__.__builtins__.open('PWNED', 'w') }}",
    "{% set x = namespace() %}{{ x.__class__.__init__.__globals__ }}",
    "{{ release.update({'version': 'x'}) }}",
    "{{ 9 ** 99999999 }}",
    "{{ 'x' * 999999999 }}",
]


@pytest.fixture
def templated(repo):
    repo.bib(GOOD_ENTRY)
    (repo.root / "includes").mkdir()
    (repo.root / "data" / "labels").mkdir(parents=True)
    return repo


@pytest.mark.parametrize("escape", ESCAPES)
def test_a_page_template_cannot_reach_python_internals(templated, escape, monkeypatch):
    monkeypatch.chdir(templated.root)
    templated.page(f"Intro [@good2020trial].\n\n{escape}\n", "other.md")
    found = messages(templated.check())
    assert any(m.startswith("docs/other.md:3:1: error: template") for m in found), found
    assert not (templated.root / "PWNED").exists()


def test_a_partial_template_cannot_reach_python_internals(templated, monkeypatch):
    monkeypatch.chdir(templated.root)
    (templated.root / "includes" / "card.md").write_text(
        "Fine.\n{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}\n", encoding="utf-8")
    templated.page('Intro [@good2020trial].\n\n{% include "card.md" %}\n', "other.md")
    found = messages(templated.check())
    assert any(m.startswith("includes/card.md:2:1: error: template not allowed") for m in found), found
    assert not (templated.root / "PWNED").exists()


def test_plain_values_and_filters_still_render(templated):
    (templated.root / "includes" / "card.md").write_text("Card {{ 2 ** 3 }} {{ 'ab' * 2 }}.\n",
                                                          encoding="utf-8")
    templated.page('Intro [@good2020trial] {{ "x" | upper }}.\n\n{% include "card.md" %}\n', "other.md")
    assert messages(templated.check()) == []


@pytest.mark.parametrize("name", ["../secret.md", "sub/../../secret.md", "link.md"])
def test_a_partial_outside_includes_or_through_a_link_is_not_read(templated, name):
    (templated.root / "secret.md").write_text("SECRET\n", encoding="utf-8")
    os.symlink(templated.root / "secret.md", templated.root / "includes" / "link.md")
    templated.page(f'Intro [@good2020trial].\n\n{{% include "{name}" %}}\n', "other.md")
    found = messages(templated.check())
    assert any(m.startswith("docs/other.md:3:1: error: partial") for m in found), found


def test_a_hostile_reference_title_reaches_no_output_as_markup(built):
    """Every file of the site and of the offline zip: the planted title's markup only ever escaped."""
    import zipfile

    from conftest import offline_zip

    files = {str(p): p.read_bytes() for p in (built / "site").rglob("*") if p.is_file()}
    with zipfile.ZipFile(offline_zip(built)) as bundle:
        files.update({f"zip:{n}": bundle.read(n) for n in bundle.namelist()})
    seen = [name for name, data in files.items() if b"Zebracorn" in data]
    assert any(name.endswith("search_index.json") for name in seen), seen
    leaks = [name for name, data in files.items()
             if b'<img src=x onerror' in data or b'<script>window.__xss' in data
             or b'\\u003cimg src=x' in data]
    assert leaks == []


def test_search_documents_escape_every_string_we_add():
    from guide.html import search_index

    docs = search_index.reference_docs("references/", [(7, '<b onmouseover="x()">T & S</b>', "<i>")])
    assert docs[0]["title"].startswith("[7] &lt;b onmouseover")
    assert "<" not in docs[0]["text"] and "&amp;" in docs[0]["text"]
    expander = search_index.Expander([["ivig", "<img src=x>"]])
    assert "<img" not in expander.expand({"title": "", "text": "IVIG"})["text"]


def test_a_data_value_with_markup_reaches_the_page_as_text(templated):
    from guide.sources import template

    env = template.environment(templated.root, {})
    env.globals["version"] = '2026.11<img src=x onerror="alert(1)">'
    out = template.render(env, "Version {{ version }} & {{ version | upper }}.\n", "docs/x.md")
    assert "<img" not in out and "<IMG" not in out and "&lt;img src=x" in out and " & " in out


def test_the_calculator_json_cannot_close_its_script_element():
    import json

    from guide.sources import labels

    found, problems = labels.load(ROOT)
    assert problems == []
    label = found["octagam"]
    label.data["product"] = 'Octagam</script><script>alert(1)</script><!--'
    text = str(label.calculator_json())
    assert "<" not in text and ">" not in text
    assert json.loads(text)["product"] == label.data["product"]


@pytest.mark.parametrize("version, ok", [("2026.11", True), ("2026.11.2", True), ("0.1.0", True),
                                         ("../../etc", False), ("2026.11/x", False),
                                         ("2026.11<b>", False), ("", False)])
def test_a_release_version_is_numbers_and_dots_only(tmp_path, version, ok):
    from guide.sources import release

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "changes.yml").write_text(
        f'# releases\n- version: "{version}"\n  date: 2026-11-30\n  changes:\n    - A change.\n',
        encoding="utf-8")
    current, problems = release.load(tmp_path)
    if ok:
        assert problems == [] and current.version == version
    else:
        assert current is None and [str(p)[:22] for p in problems] == ["data/changes.yml:2:1: "]


# --- build state under .cache/ is data: it never names a path outside the tree ------------------

def outside_folder(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("precious", encoding="utf-8")
    return outside


def test_a_planted_manifest_cannot_move_files_outside_the_outputs(tmp_path):
    from guide.build import output

    root, outside = tmp_path / "tree", outside_folder(tmp_path)
    stage = root / output.WORK / "123-planted"
    (stage / "old" / ".venv").mkdir(parents=True)
    (stage / "old" / ".venv" / "evil.pth").write_text("import os", encoding="utf-8")
    (stage / "old" / "site").mkdir()
    (stage / output.ASIDE).write_text(f"../outside/keep.txt\n{outside}/keep.txt\n.venv/evil.pth\n"
                                      "dist/../.venv/evil.pth\nsite\n", encoding="utf-8")
    output.recover(root)
    assert not (root / ".venv").exists()
    assert (outside / "keep.txt").read_text(encoding="utf-8") == "precious"
    assert (root / "site").is_dir()  # the one real output a killed build had moved aside


@pytest.mark.parametrize("planted", [".cache", ".cache/build"])
def test_a_symlinked_build_folder_is_refused_and_nothing_outside_is_deleted(tmp_path, planted):
    from guide.build import output

    root, outside = tmp_path / "tree", outside_folder(tmp_path)
    (outside / "123-stage").mkdir()
    (root / planted).parent.mkdir(parents=True, exist_ok=True)
    (root / planted).symlink_to(outside, target_is_directory=True)
    with pytest.raises(output.Unsafe, match=r"^\.cache.*:1:1: error: must be a folder"):
        output.recover(root)
    with pytest.raises(output.Unsafe):
        output.Staging(root)
    assert sorted(p.name for p in outside.iterdir()) == ["123-stage", "keep.txt"]


def test_the_lock_file_is_not_opened_through_a_symlink(tmp_path):
    from guide.build import output

    root, outside = tmp_path / "tree", outside_folder(tmp_path)
    (root / ".cache").mkdir(parents=True)
    (root / output.LOCK).symlink_to(outside / "keep.txt")
    with pytest.raises(output.Unsafe, match="build.lock"):
        with output.lock(root):
            pass
    assert (outside / "keep.txt").read_text(encoding="utf-8") == "precious"


def test_a_publish_that_fails_part_way_leaves_every_old_output_in_place(tmp_path):
    from guide.build import output

    root = tmp_path / "tree"
    (root / "site").mkdir(parents=True)
    (root / "site" / "index.html").write_text("old site", encoding="utf-8")
    (root / "dist").mkdir()
    (root / "dist" / "guide.zip").write_text("old zip", encoding="utf-8")
    with output.Staging(root) as stage:
        (stage.path / "new.zip").write_text("new zip", encoding="utf-8")
        missing_site = stage.path / "site"  # never built: the second rename fails
        with pytest.raises(OSError):
            stage.publish({"dist/guide.zip": stage.path / "new.zip", "site": missing_site})
    assert (root / "dist" / "guide.zip").read_text(encoding="utf-8") == "old zip"
    assert (root / "site" / "index.html").read_text(encoding="utf-8") == "old site"


@pytest.mark.parametrize("target", ["../x.zip", "/tmp/x.zip", "dist/../../x.zip", ".venv/x.pth",
                                    "dist/sub/x.zip"])
def test_publish_writes_only_the_builds_own_outputs(tmp_path, target):
    from guide.build import output

    root = tmp_path / "tree"
    root.mkdir()
    with output.Staging(root) as stage:
        (stage.path / "x").write_text("x", encoding="utf-8")
        with pytest.raises(output.Unsafe):
            stage.publish({target: stage.path / "x"})


def test_a_symlinked_dist_folder_is_refused(tmp_path):
    from guide.build import output

    root, outside = tmp_path / "tree", outside_folder(tmp_path)
    root.mkdir()
    (root / "dist").symlink_to(outside, target_is_directory=True)
    with output.Staging(root) as stage:
        (stage.path / "x.zip").write_text("x", encoding="utf-8")
        with pytest.raises(output.Unsafe, match=r"^dist:1:1"):
            stage.publish({"dist/x.zip": stage.path / "x.zip"})
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"]


def test_a_symlinked_cache_folder_is_neither_written_nor_pruned(tmp_path):
    from guide.sources import bibcache

    root, outside = tmp_path / "tree", outside_folder(tmp_path)
    (root / ".cache").mkdir(parents=True)
    (root / ".cache" / "bib").symlink_to(outside, target_is_directory=True)
    for n in range(bibcache.MAX_FILES + 3):
        (outside / f"{n:064x}.json").write_text("{}", encoding="utf-8")
    bibcache.write(root / ".cache" / "bib", "a" * 64, {"source": "x", "entries": [], "failures": [],
                                                      "unreadable": []})
    assert len(list(outside.iterdir())) == bibcache.MAX_FILES + 4  # nothing added, nothing pruned
    with pytest.raises(bibcache.Invalid, match="symlink"):
        bibcache.read(root / ".cache" / "bib" / f"{0:064x}.json", "x")


def test_the_build_command_reports_a_linked_cache_at_its_path_and_exits_1(tmp_path):
    import subprocess
    import sys

    from conftest import UNCHECKED_BUILD, copy_repo

    root, outside = copy_repo(tmp_path / "tree"), outside_folder(tmp_path)
    (root / ".cache").mkdir(exist_ok=True)
    (root / ".cache" / "build").symlink_to(outside, target_is_directory=True)
    run = subprocess.run([sys.executable, "-c", UNCHECKED_BUILD, "--no-offline"], cwd=root,
                         capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, GUIDE_NO_VENV="1", SOURCE_DATE_EPOCH="1700000000"))
    assert run.returncode == 1, run.stderr
    assert run.stderr.startswith(".cache/build:1:1: error: must be a folder"), run.stderr
    assert "Traceback" not in run.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"]


# --- data files are read like the store: a repeated key or an alias is an error at its line -----

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" \
       "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"


def _label_repo(repo, text):
    (repo.root / "data" / "labels").mkdir(parents=True)
    (repo.root / "data" / "labels" / "octagam-10.yml").write_text(text, encoding="utf-8")


def _changes(repo, text):
    (repo.root / "data").mkdir(exist_ok=True)
    (repo.root / "data" / "changes.yml").write_text(text, encoding="utf-8")


def _synonyms(repo, text):
    (repo.root / "data").mkdir(exist_ok=True)
    (repo.root / "data" / "search-synonyms.yml").write_text(text, encoding="utf-8")


def _front_matter(repo, text):
    repo.page(f"---\n{text}---\n\nText [@good2020trial].\n", "other.md")


def _citation(repo, text):
    _changes(repo, '- version: "2026.11"\n  date: 2026-11-30\n  changes:\n    - A change.\n')
    (repo.root / "CITATION.cff").write_text(text, encoding="utf-8")


YAML_FILES = [  # (what, writer, file the error names, lines before the YAML text starts)
    ("label data", _label_repo, "data/labels/octagam-10.yml", 0),
    ("change list", _changes, "data/changes.yml", 0),
    ("search synonyms", _synonyms, "data/search-synonyms.yml", 0),
    ("front matter", _front_matter, "docs/other.md", 1),
    ("CITATION.cff", _citation, "CITATION.cff", 0),
]
YAML_FAULTS = [  # (fault, text, line of the fault within the text)
    ("repeated key", 'title: "A"\nversion: "2026.11"\ntitle: "B"\n', 3),
    ("alias", 'title: &t "A"\ndescription: *t\n', 1),
    ("alias bomb", BOMB, 1),
]


@pytest.mark.parametrize("fault, text, line", YAML_FAULTS, ids=[f[0] for f in YAML_FAULTS])
@pytest.mark.parametrize("what, write, path, offset", YAML_FILES, ids=[f[0] for f in YAML_FILES])
def test_every_yaml_file_refuses_repeated_keys_and_aliases_at_their_line(repo, what, write, path, offset,
                                                                         fault, text, line):
    repo.bib(GOOD_ENTRY)
    repo.page("Text [@good2020trial].\n")
    write(repo, text)
    found = [m for m in messages(repo.check()) if ": error: " in m]
    assert any(m.startswith(f"{path}:{line + offset}:") for m in found), found


def test_a_second_label_file_for_the_same_product_is_refused(repo):
    from conftest import ROOT as REPO

    repo.bib(GOOD_ENTRY)
    (repo.root / "data" / "labels").mkdir(parents=True)
    real = (REPO / "data" / "labels" / "octagam-10.yml").read_text(encoding="utf-8")
    (repo.root / "data" / "labels" / "octagam-10.yml").write_text(real, encoding="utf-8")
    (repo.root / "data" / "labels" / "octagam-5.yml").write_text(real, encoding="utf-8")
    from guide.sources import labels

    found, problems = labels.load(repo.root)
    assert [str(p)[:39] for p in problems] == ["data/labels/octagam-5.yml:1:1: error: a"]
    assert "second label file for 'octagam'" in str(problems[0])


from hypothesis import given, settings, strategies as st  # noqa: E402

KEYS = st.text(alphabet="abcdefghij_", min_size=1, max_size=6)
# Text without line breaks (YAML counts NEL, LS and PS as breaks too), so a key's line is one line.
ONE_LINE = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=20)
SCALARS = st.one_of(st.integers(-10**6, 10**6), ONE_LINE, st.booleans(), st.none())


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.one_of(SCALARS, st.text(max_size=20)), lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)), max_leaves=20))
def test_the_strict_reader_reads_what_plain_yaml_writes(data):
    import yaml

    from guide.sources import yamlfile

    assert yamlfile.load(yaml.safe_dump(data)) == data


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(KEYS, SCALARS, min_size=1, max_size=6), st.data())
def test_any_repeated_key_is_found_at_the_line_that_repeats_it(mapping, draw):
    import yaml

    from guide.sources import yamlfile

    lines = yaml.safe_dump(mapping, width=10**6).splitlines()
    top = [n for n, text in enumerate(lines) if not text.startswith((" ", "-"))]
    copied = draw.draw(st.sampled_from(top))
    end = next((n for n in top if n > copied), len(lines))
    text = "\n".join(lines + lines[copied:end]) + "\n"
    with pytest.raises(yamlfile.Invalid) as caught:
        yamlfile.load(text)
    assert caught.value.line == len(lines) + 1 and "twice" in caught.value.message


def test_the_deploy_workflow_has_least_permissions_pinned_actions_and_no_persisted_token():
    import re

    import yaml

    text = (ROOT / ".github" / "workflows" / "deploy.yml").read_text(encoding="utf-8")
    flow = yaml.safe_load(text)
    assert flow["permissions"] == {}
    writes = {name: {k for k, v in job.get("permissions", {}).items() if v == "write"}
              for name, job in flow["jobs"].items()}
    assert writes == {"build": set(), "deploy": {"pages", "id-token"}, "release": {"contents"}}
    for name, job in flow["jobs"].items():
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), (name, step["uses"])
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
            if "run" in step and "scripts/build.py" in step["run"]:
                assert "GH_TOKEN" not in step.get("env", {})


@pytest.mark.parametrize("value", ["soon", "-5", "1e9", "nan"])
def test_a_bad_wait_setting_is_named_not_a_traceback(tmp_path, value, monkeypatch):
    from guide.build import output

    monkeypatch.setenv(output.WAIT_ENV, value)
    with pytest.raises(output.Unsafe, match=f"GUIDE_BUILD_WAIT must be a number of seconds"):
        with output.lock(tmp_path):
            pass


# --- a citation's markup cannot land inside a link or an attribute -------------------------------

@pytest.mark.parametrize("text, col", [
    ("A [link with [@good2020trial]](https://example.org) here.", 14),
    ("A [link [@good2020trial]][ref] here.\n\n[ref]: https://example.org", 9),
    ('A <span title="see [@good2020trial]">hover</span>.', 20),
    ('A <abbr\n  title="x [@good2020trial]">X</abbr>.', 12),
])
def test_a_citation_inside_a_link_or_an_html_attribute_fails_at_its_place(repo, text, col):
    repo.bib(GOOD_ENTRY)
    repo.page(text + "\n")
    found = [p for p in repo.check().problems if p.rule == "citation-place"]
    assert [(p.line, p.col) for p in found] == [(text[:text.index("[@")].count("\n") + 1, col)], found


@pytest.mark.parametrize("text", [
    "A [link](https://example.org) [@good2020trial].",
    "<span>Inside an element's text [@good2020trial]</span>.",
    "| A | B |\n|---|---|\n| x [@good2020trial] | y |",
    "*Emphasis [@good2020trial]* and [see @good2020trial, p. 2].",
    "Less than: 3 < 4 [@good2020trial].",
])
def test_a_citation_in_running_text_is_placed_well(repo, text):
    repo.bib(GOOD_ENTRY)
    repo.page(text + "\n")
    assert [p for p in repo.check().problems if p.rule == "citation-place"] == []


# --- inputs that once ended as "internal error" at scripts/build.py:1:1 --------------------------

@pytest.mark.parametrize("meta, line, message", [
    ("search_terms: 5", 3, "front matter 'search_terms' must be a list of words"),
    ("search_terms: [a, {b: c}]", 3, "front matter 'search_terms' must be a list of words"),
    ("last_reviewed: soon", 3, "front matter 'last_reviewed' must be a date"),
    ("title: [A, B]", 3, "front matter 'title' must be text"),
])
def test_front_matter_the_build_reads_is_checked_at_its_line(repo, meta, line, message):
    repo.bib(GOOD_ENTRY)
    repo.page(f"---\ndescription: d\n{meta}\n---\n\nText [@good2020trial].\n")
    found = messages(repo.check())
    assert any(m.startswith(f"docs/index.md:{line}:1: error: {message}") for m in found), found


def test_a_partial_that_is_not_text_is_an_error_at_its_path(templated):
    (templated.root / "includes" / "bad.md").write_bytes(b"\xff\xfe not text")
    templated.page('Text [@good2020trial].\n\n{% include "bad.md" %}\n', "other.md")
    found = messages(templated.check())
    assert any(m.startswith("includes/bad.md:1:1: error: cannot read partial") for m in found), found
    assert any(m.startswith("docs/other.md:3:1: error: template") for m in found), found


@pytest.mark.parametrize("text, line", [
    ("![A chart](https://example.org/chart.png)", 1),
    ('<img alt="x" srcset="a.png 1x, //cdn.example.org/b.png 2x">', 1),
    ('Text.\n\n<div class="mermaid">graph TD; A-->B</div>', 3),
    ('<script src="https://cdn.example.org/x.js"></script>', 1),
    ('<link rel="stylesheet" href="http://example.org/x.css">', 1),
])
def test_a_page_that_loads_from_the_network_fails_the_check_at_its_line(repo, text, line):
    repo.bib(GOOD_ENTRY)
    repo.page(f"{text}\n\nText [@good2020trial].\n")
    found = [m for m in messages(repo.check()) if "must not load anything from the network" in m]
    assert len(found) == 1 and found[0].startswith(f"docs/index.md:{line}:1: error:"), found


def test_links_a_reader_clicks_and_local_files_are_not_loads(repo):
    repo.bib(GOOD_ENTRY)
    repo.page("[A site](https://example.org) ![Local](img/x.png) <a href='https://x.org'>x</a> "
              "`![code](https://example.org/c.png)`\n\nText [@good2020trial].\n")
    assert [m for m in messages(repo.check()) if "network" in m] == []


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_text_a_page_prints_from_data_comes_out_as_text(value):
    """Whatever a data value holds, the rendered page carries no tag it did not write itself and
    reads back (HTML-unescaped) as the value."""
    import html as htmlmod

    from guide.sources import template

    env = template.environment(ROOT, {})
    env.globals["value"] = value
    out = template.render(env, "<b>{{ value }}</b>", "docs/x.md")
    inner = out[len("<b>"):-len("</b>")]
    assert "<" not in inner and ">" not in inner
    assert htmlmod.unescape(inner) == value


def test_the_pdf_fetches_only_files_inside_the_bundle(tmp_path):
    pytest.importorskip("weasyprint")
    from guide.build import pdf

    bundle, outside = tmp_path / "bundle", tmp_path / "secret.css"
    bundle.mkdir()
    (bundle / "ok.css").write_text("p{}", encoding="utf-8")
    outside.write_text("p{}", encoding="utf-8")
    (bundle / "link.css").symlink_to(outside)
    fetch = pdf.fetcher_inside(bundle)
    assert fetch.fetch((bundle / "ok.css").as_uri())
    assert fetch.fetch("data:text/css,p%7B%7D")
    for url in (outside.as_uri(), (bundle / "link.css").as_uri(), "https://example.org/x.css",
                (bundle / ".." / "secret.css").as_uri()):
        with pytest.raises(ValueError, match="only files inside the offline bundle"):
            fetch.fetch(url)
