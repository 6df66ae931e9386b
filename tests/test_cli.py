"""The command line: `path:line:col` output, JSON, exit codes 0/1/2, and never a traceback."""

import json

from conftest import GOOD_ENTRY


def test_clean_check_exits_0_with_a_summary(repo):
    repo.bib(GOOD_ENTRY)
    repo.page("[@good2020trial]\n")
    run = repo.cli("--check")
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.strip().splitlines()[-1].startswith("check clean: 0 error(s)")


def test_problems_exit_1_as_path_line_col(repo):
    repo.bib(GOOD_ENTRY)
    repo.page("ok\n\n[@nope2020x]\n")
    run = repo.cli("--check")
    assert run.returncode == 1
    assert "docs/index.md:3:2: error: citation key 'nope2020x' is not in bib/" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr


def test_json_output(repo):
    repo.bib(GOOD_ENTRY)
    repo.page("[@nope2020x]\n")
    run = repo.cli("--check", "--json")
    data = json.loads(run.stdout)
    assert run.returncode == 1
    assert data["errors"] == 1
    [problem] = [p for p in data["problems"] if p["severity"] == "error"]
    assert (problem["path"], problem["line"], problem["col"]) == ("docs/index.md", 1, 2)


def test_usage_error_exits_2(repo):
    run = repo.cli("--no-such-flag")
    assert run.returncode == 2
    assert "Traceback" not in run.stderr


def test_garbage_inputs_never_give_a_traceback(repo):
    (repo.root / "bib" / "binary.bib").write_bytes(b"\xff\xfe\x00@article{x,\n")
    repo.bib("@article{a, title = {unclosed\n@@@ }}} {{{\n@misc{\n", "broken.bib")
    (repo.root / "docs" / "bad.md").write_bytes(b"\xff\xfe not utf-8 [@x]")
    repo.page("---\ntitle: [unclosed\n---\n[@]\n[@a;;]\n[ @ ]\n")
    run = repo.cli("--check")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert "bib/binary.bib:1:1: error: a .bib file must be UTF-8" in run.stdout
    assert "docs/bad.md:1:1: error: cannot read page" in run.stdout


def test_missing_bib_directory_content_is_an_error(repo):
    repo.page("text\n")
    run = repo.cli("--check")
    assert run.returncode == 1
    assert "bib:1:1: error: no .bib file found under bib/" in run.stdout
