"""The parse cache (.cache/bib/) is plain JSON: no file there can run code, make a broken store
pass the checker, or break a later run; it stays bounded."""

import hashlib
import json
import os
import pickle

import pytest

from conftest import GOOD_ENTRY
from guide.sources import bibcache
from guide.sources.bib import CACHE_DIR, CACHE_VERSION, load_store

BROKEN = GOOD_ENTRY.replace("{A good trial}", "{A good trial")  # an unclosed brace


def cache_dir(repo):
    return repo.root / CACHE_DIR


def cache_name(repo, text: str, version: str = CACHE_VERSION, suffix: str = ".json"):
    """The file name the cache uses for bib/references.bib holding `text`."""
    digest = hashlib.sha256(text.encode() + b"bib/references.bib" + version.encode()).hexdigest()
    return cache_dir(repo) / f"{digest}{suffix}"


class RunsCode:
    """Unpickling this runs a command: what a crafted pickle cache file could do."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_the_cache_holds_only_versioned_json(repo):
    repo.bib(GOOD_ENTRY)
    repo.page("[@good2020trial]\n")
    assert repo.check().problems == []
    [path] = list(cache_dir(repo).iterdir())
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == bibcache.FORMAT and data["version"] == bibcache.VERSION
    assert data["entries"][0]["key"] == "good2020trial"


def test_a_crafted_pickle_in_the_cache_runs_nothing(repo, tmp_path):
    marker = tmp_path / "ran"
    repo.bib(GOOD_ENTRY)
    repo.page("[@good2020trial]\n")
    cache_dir(repo).mkdir(parents=True)
    payload = pickle.dumps(RunsCode(marker))
    # Under the old cache's own name for this file, and under the new one.
    cache_name(repo, GOOD_ENTRY, "1-2.1.0", ".pickle").write_bytes(payload)
    cache_name(repo, GOOD_ENTRY).write_bytes(payload)
    run = repo.cli("--check")
    assert run.returncode == 0, run.stdout + run.stderr
    store = load_store(repo.root / "bib", repo.root, cache_dir(repo))  # the build's reading path
    assert [e.key for e in store.entries] == ["good2020trial"]
    assert not marker.exists()


def test_a_planted_cache_cannot_make_a_broken_store_pass(repo):
    repo.bib(BROKEN)
    repo.page("[@good2020trial]\n")
    clean = {"source": None, "entries": [{"key": "good2020trial", "type": "article", "line": 1,
             "fields": {"title": "A good trial", "journal": "J", "year": "2020", "design": "rct",
                        "reviewref": "1"}, "lines": {}}], "failures": [], "unreadable": []}
    path = cache_name(repo, BROKEN)
    clean["source"] = path.stem  # a well-formed file that claims to describe these very bytes
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"format": bibcache.FORMAT, "version": bibcache.VERSION, **clean}))
    run = repo.cli("--check")
    assert run.returncode == 1, run.stdout
    assert "bib/references.bib:3:11: error: this value's brace must be closed" in run.stdout


CORRUPT = {
    "truncated JSON": b'{"format": "ivig-guide-bib-cache", "version": 2, "entr',
    "binary garbage": bytes(range(256)),
    "not a cache": b'{"hello": "world"}',
    "another version": json.dumps({"format": bibcache.FORMAT, "version": 1}).encode(),
    "wrong shape": None,  # filled in below: the right header, a field value that is a number
    "deeply nested": b"[" * 100_000 + b"]" * 100_000,
    "for other bytes": None,
}


@pytest.mark.parametrize("case", list(CORRUPT) + ["a directory", "a symlink to /dev/zero", "a named pipe"])
def test_an_unusable_cache_file_is_ignored_with_one_warning_and_rebuilt(repo, case):
    repo.bib(GOOD_ENTRY)
    fresh = load_store(repo.root / "bib", repo.root)
    path = cache_name(repo, GOOD_ENTRY)
    path.parent.mkdir(parents=True)
    header = {"format": bibcache.FORMAT, "version": bibcache.VERSION, "source": path.stem,
              "failures": [], "unreadable": []}
    if case == "wrong shape":
        path.write_text(json.dumps({**header, "entries": [{"key": "k", "type": "article", "line": 1,
                                                           "fields": {"title": 5}, "lines": {}}]}))
    elif case == "for other bytes":
        path.write_text(json.dumps({**header, "source": "0" * 64, "entries": []}))
    elif case == "a directory":
        path.mkdir()
    elif case == "a symlink to /dev/zero":
        path.symlink_to("/dev/zero")
    elif case == "a named pipe":
        os.mkfifo(path)  # reading it would block for ever
    else:
        path.write_bytes(CORRUPT[case])
    first = load_store(repo.root / "bib", repo.root, cache_dir(repo))
    assert (first.entries, first.failures) == (fresh.entries, fresh.failures)
    [warned] = first.warnings
    assert warned.severity == "warning" and warned.path == f"{CACHE_DIR}/{path.name}"
    assert str(warned).startswith(f"{CACHE_DIR}/{path.name}:1:1: warning: cache file ignored (")
    second = load_store(repo.root / "bib", repo.root, cache_dir(repo))
    assert (second.entries, second.failures) == (fresh.entries, fresh.failures)
    if case != "a directory":  # nothing can be written over a directory; it is ignored each time
        assert second.warnings == [] and path.is_file() and not path.is_symlink()


def test_the_cache_stays_bounded_and_drops_old_formats(repo):
    cache = cache_dir(repo)
    cache.mkdir(parents=True)
    for n in range(bibcache.MAX_FILES + 10):
        old = cache / f"{n:064x}.json"
        old.write_text("{}")
        os.utime(old, (1_000_000 + n, 1_000_000 + n))
    (cache / "0123.pickle").write_bytes(b"old format")
    (cache / ".stale.tmp").write_bytes(b"an interrupted write")
    os.utime(cache / ".stale.tmp", (1_000_000, 1_000_000))
    repo.bib(GOOD_ENTRY)
    load_store(repo.root / "bib", repo.root, cache, reuse=False)
    left = sorted(p.name for p in cache.iterdir())
    assert len(left) == bibcache.MAX_FILES
    assert cache_name(repo, GOOD_ENTRY).name in left
    assert not any(name.endswith((".pickle", ".tmp")) for name in left)
