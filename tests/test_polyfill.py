"""No third-party request under any browser: where ResizeObserver is missing, Material would
fetch a polyfill from unpkg.com; our local fallback (overrides/partials/resize-observer.html)
is defined first, so it never does. Checked in the HTML and in Chromium with ResizeObserver
removed, for the served site and the offline bundle."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import UNCHECKED_BUILD, copy_repo, offline_zip

FALLBACK = "window.ResizeObserver || (window.ResizeObserver = function"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, Path]:
    """The hosted site and the unzipped offline bundle of one build of a copy of the repository."""
    root = copy_repo(tmp_path_factory.mktemp("polyfill"))
    env = dict(os.environ, GUIDE_NO_VENV="1", SOURCE_DATE_EPOCH="1700000000")
    run = subprocess.run([sys.executable, "-c", UNCHECKED_BUILD, "--no-pdf"], cwd=root, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    unzipped = tmp_path_factory.mktemp("bundle")
    with zipfile.ZipFile(offline_zip(root)) as archive:
        archive.extractall(unzipped)
    return root / "site", unzipped / offline_zip(root).stem


def test_every_page_defines_the_fallback_before_materials_bundle(site):
    hosted, bundle = site
    pages = [*sorted(hosted.rglob("*.html")), *sorted(bundle.rglob("*.html"))]
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert FALLBACK in html, page
        assert html.index(FALLBACK) < html.index("assets/javascripts/bundle."), page


def chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


# Run in a child process: Playwright's sync API refuses to start inside another session's loop
# (tests/test_browser.py keeps one open for the whole test session).
PROBE = r"""
import functools, http.server, json, sys, threading
from playwright.sync_api import sync_playwright

chromium, site, bundle = sys.argv[1:4]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def only_from(base, elsewhere):  # requests under `base` go through; others are noted, refused
    def handle(route):  # one parameter: Playwright passes the route alone
        if route.request.url.startswith((base, "data:")):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()
    return handle


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=site))
threading.Thread(target=server.serve_forever, daemon=True).start()
served = "http://127.0.0.1:%d/" % server.server_address[1]
found = {}
with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
    for base, path in ((served, "practice/dosing-administration/"), (bundle, "index.html")):
        context = browser.new_context()
        context.add_init_script("delete window.ResizeObserver")  # as in a browser without one
        elsewhere, errors = [], []
        context.route("**/*", only_from(base, elsewhere))
        page = context.new_page()
        page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
        page.goto(base + path)
        page.wait_for_load_state("load")
        page.wait_for_timeout(500)
        found[base] = {"elsewhere": elsewhere, "errors": errors,
                       "observer": page.evaluate("typeof ResizeObserver")}
        context.close()
    browser.close()
server.shutdown()
print(json.dumps(found))
"""


@pytest.mark.browser
def test_a_browser_without_resizeobserver_makes_no_third_party_request(site):
    path = chromium()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium not found (apt-get install chromium)")
        pytest.skip("Chromium not found (apt-get install chromium, or set CHROMIUM_PATH)")
    hosted, bundle = site
    run = subprocess.run([sys.executable, "-c", PROBE, path, str(hosted), bundle.as_uri() + "/"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert len(found) == 2
    for base, seen in found.items():
        assert seen == {"elsewhere": [], "errors": [], "observer": "function"}, (base, seen)
