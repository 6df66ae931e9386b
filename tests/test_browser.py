"""Real-browser tests: Debian's Chromium driven by Playwright, against the site served on
127.0.0.1 and against the unzipped offline bundle opened from file://.

Skipped with a reason when no Chromium is installed, except under CI=true, where that fails.
"""

from __future__ import annotations

import functools
import re
import http.server
import os
import shutil
import threading
import zipfile
from pathlib import Path

import pytest

from conftest import offline_zip

pytestmark = pytest.mark.browser

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), shutil.which("chromium"),
                      shutil.which("chromium-browser"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        message = "Chromium not found (apt-get install chromium, or set CHROMIUM_PATH)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def served(built):
    handler = functools.partial(QuietHandler, directory=str(built / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def unzipped(built, tmp_path_factory):
    target = tmp_path_factory.mktemp("bundle")
    archive = offline_zip(built)
    with zipfile.ZipFile(archive) as bundle:
        bundle.extractall(target)
    return target / archive.stem


def page_urls(built, mode, served, unzipped) -> list[str]:
    if mode == "served":
        site = built / "site"
        folders = sorted(p.parent.relative_to(site) for p in site.rglob("index.html"))
        return [served + ("" if f == Path(".") else f.as_posix() + "/") for f in folders]
    return [p.as_uri() for p in sorted(unzipped.rglob("*.html")) if p.name != "404.html"]


@pytest.fixture(params=["served", "file"])
def mode(request):
    return request.param


@pytest.fixture
def urls(built, mode, served, unzipped):
    found = page_urls(built, mode, served, unzipped)
    assert len(found) >= 20
    return found


def home(mode, served, unzipped) -> str:
    return served if mode == "served" else (unzipped / "index.html").as_uri()


def dm_page(mode, served, unzipped) -> str:
    if mode == "served":
        return served + "diseases/dermatomyositis-polymyositis/"
    return (unzipped / "diseases" / "dermatomyositis-polymyositis.html").as_uri()


def wait_for(page, expression: str, arg=None, timeout: float = 30000) -> None:
    """page.wait_for_function, without eval: Playwright compiles a waited-for expression with
    eval() in the page, which the site's Content-Security-Policy (rightly) refuses, while
    page.evaluate goes through the DevTools protocol. Polls every 50 ms until truthy."""
    import time

    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression, arg):
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout / 1000:g} s for: {expression}")
        page.wait_for_timeout(50)


def is_local(url: str) -> bool:
    return url.startswith(("file://", "http://127.0.0.1", "data:", "blob:", "about:"))


def test_every_page_loads_with_no_console_error_and_no_remote_request(browser, urls):
    page = browser.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("load")
    page.close()
    assert errors == []
    assert [u for u in requests if not is_local(u)] == []


def test_every_offline_page_has_zero_axe_violations(browser, built, served, unzipped):
    """file:// only: the served pages are swept by the next test, its 1280-light case being
    this default page."""
    from axe_playwright_python.sync_playwright import Axe

    axe, page, found = Axe(), browser.new_page(), {}
    for url in page_urls(built, "file", served, unzipped):
        page.goto(url)
        result = axe.run(page)
        if result.violations_count:
            found[url] = [(v["id"], v["nodes"][0]["target"]) for v in result.response["violations"]]
    page.close()
    assert found == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_every_served_page_has_zero_axe_violations_light_dark_phone_desktop(browser, built, served, scheme,
                                                                           width):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": width, "height": 844}, color_scheme=scheme,
                                  is_mobile=width < 600, has_touch=width < 600)
    axe, page, found = Axe(), context.new_page(), {}
    for url in page_urls(built, "served", served, None):
        page.goto(url)
        expected = "slate" if scheme == "dark" else "default"
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
        result = axe.run(page)
        if result.violations_count:
            found[url] = [(v["id"], v["nodes"][0]["target"]) for v in result.response["violations"]]
    context.close()
    assert found == {}


def test_page_parts_are_never_drawn_taller_than_their_placeholder_at_390px(browser, built, served):
    """A part not yet laid out is as tall as its estimate (page_parts.py); a taller part would
    spill over the next one until scrolled to. Headings stay outside chapter parts (the table of
    contents reads their positions); the print guide's parts are whole chapters."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page, short, parts = context.new_page(), [], 0
    for url in page_urls(built, "served", served, None):
        page.goto(url)
        measured = page.evaluate("""() => [...document.querySelectorAll(
                '.page-part, .print-part')].map(part => {
            part.style.contentVisibility = 'visible';
            const nested = part.querySelectorAll('.admonition h2, .admonition h3, details h2, details h3');
            return [part.id || part.previousElementSibling?.id || part.querySelector('[id]')?.id, part.getBoundingClientRect().height,
                    parseFloat(part.style.containIntrinsicSize.split(' ').pop()),
                    part.classList.contains('page-part') ?
                        part.querySelectorAll('h2, h3').length - nested.length : 0];
        })""")
        parts += len(measured)
        for heading, drawn, estimate, headings in measured:
            assert headings == 0, (url, heading)
            if drawn > estimate:
                short.append((url, heading, round(drawn), estimate))
    context.close()
    assert parts >= 50
    assert short == []


def test_search_finds_a_known_term_and_a_click_opens_the_page(browser, mode, served, unzipped):
    page = browser.new_page()
    page.goto(home(mode, served, unzipped))
    search(page, "calcinosis")
    first = page.locator(".md-search-result__item a").first
    first.wait_for(state="visible", timeout=10000)
    first.click()
    page.wait_for_load_state("load")
    assert "calcinosis" in page.url
    assert "Calcinosis" in page.locator("h1").first.inner_text()
    page.close()


def test_hover_and_keyboard_focus_show_the_full_reference(browser, mode, served, unzipped):
    page = browser.new_page()
    page.goto(dm_page(mode, served, unzipped))
    link = page.locator("a.cite-link").first
    number = link.inner_text()
    expected = page.locator(f"#ref-{number}-text").inner_text()
    link.hover()
    preview = page.locator("#cite-preview")
    assert preview.is_visible()
    assert expected in preview.inner_text()
    page.mouse.move(0, 0)
    assert not preview.is_visible()
    link.focus()
    assert preview.is_visible() and expected in preview.inner_text()
    page.keyboard.press("Escape")
    assert not preview.is_visible()
    page.close()


def test_first_tap_previews_and_second_tap_follows(browser, mode, served, unzipped):
    context = browser.new_context(has_touch=True, is_mobile=True, viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(dm_page(mode, served, unzipped))
    link = page.locator("a.cite-link").first
    number = link.inner_text()
    before = page.url
    link.tap()
    assert page.locator("#cite-preview").is_visible()
    assert page.url == before
    link.tap()
    wait_for(page, f"location.hash === '#ref-{number}'")
    context.close()


def test_back_link_on_the_references_page_opens_the_citing_section(browser, mode, served, unzipped):
    page = browser.new_page()
    url = served + "references/" if mode == "served" else (unzipped / "references.html").as_uri()
    page.goto(url)
    link = page.locator("#ref-8 .reference-backlinks a[href*='dermatomyositis-polymyositis']").nth(1)
    link.click()
    page.wait_for_load_state("load")
    anchor = page.url.split("#", 1)[1]
    assert page.locator(f"[id='{anchor}']").count() == 1
    assert "dermatomyositis" in page.url
    page.close()


def dosing_page(mode, served, unzipped) -> str:
    if mode == "served":
        return served + "practice/dosing-administration/"
    return (unzipped / "practice" / "dosing-administration.html").as_uri()


def fill_plan(page, weight: str = "70", days: str = "2", height: str = "175", sex: str = "male",
              dose_basis: str = "cycle", at_risk: str | None = "no", submit: bool = True) -> str:
    """Fill the calculator as a reader would (no answer is preselected) and return the result."""
    page.locator("#calc-weight").fill(weight)
    page.locator("#calc-height").fill(height)
    if sex:
        page.locator(f"input[name=sex][value={sex}]").check()
    if dose_basis:
        page.locator(f"input[name=doseBasis][value={dose_basis}]").check()
    if at_risk:
        page.locator(f"input[name=atRisk][value={at_risk}]").check()
    page.locator("#calc-days").fill(days)
    if submit:
        page.locator("#calc-days").press("Enter")
    return page.locator("#calc-result").inner_text()


def submit(page, weight: str, days: str) -> str:
    return fill_plan(page, weight, days)


def pdf_text(pdf: bytes) -> str:
    """The text of a Chromium PDF, enough to find words in it: each font's ToUnicode map applied
    to the glyph strings of the content streams (no PDF library is pinned for this)."""
    import zlib

    objects = {int(m.group(1)): m.group(2) for m in
               re.finditer(rb"(\d+) 0 obj(.*?)endobj", pdf, re.DOTALL)}

    def stream(body: bytes) -> bytes:
        found = re.search(rb"stream\r?\n(.*?)\r?\nendstream", body, re.DOTALL)
        if not found:
            return b""
        data = found.group(1)
        return zlib.decompress(data) if b"FlateDecode" in body[:found.start()] else data

    def cmap(number: int) -> dict[int, str]:
        text, mapping = stream(objects[number]), {}
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.DOTALL):
            for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be", "replace")
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.DOTALL):
            for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                start = int(dst, 16)
                for n, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                    mapping[code] = chr(start + n)
        return mapping

    fonts = {}
    for number, body in objects.items():
        uni = re.search(rb"/ToUnicode (\d+) 0 R", body)
        if uni:
            fonts[number] = cmap(int(uni.group(1)))
    out = []
    for body in objects.values():
        if b"/Type /Page" not in body and b"/Type/Page" not in body:
            continue
        resources = dict((name, int(num)) for name, num in
                         re.findall(rb"/(F\d+|f\d+) (\d+) 0 R", body))
        contents = re.search(rb"/Contents (\d+) 0 R", body)
        if not contents:
            continue
        text = stream(objects[int(contents.group(1))])
        current: dict[int, str] = {}
        for token in re.finditer(rb"/(\w+) [\d.]+ Tf|<([0-9A-Fa-f]*)>|(T\*|ET)", text):
            if token.group(1):
                current = fonts.get(resources.get(token.group(1), -1), {})
            elif token.group(2) is not None:
                hexed = token.group(2).decode()
                out.append("".join(current.get(int(hexed[i:i + 4], 16), "")
                                   for i in range(0, len(hexed), 4)))
            else:
                out.append(" ")
    return re.sub(r"\s+", " ", "".join(out))


def test_calculator_bad_input_shows_messages_and_no_numbers(browser, mode, served, unzipped):
    page = browser.new_page()
    page.goto(dosing_page(mode, served, unzipped))
    for weight, days, field in [("", "2", "weight"), ("0", "2", "weight"), ("-5", "2", "weight"),
                                ("abc", "2", "weight"), ("400", "2", "weight"), ("70", "7", "days"),
                                ("70", "1", "days"), ("70", "", "days")]:
        text = submit(page, weight, days)
        assert "mL/h" not in text and "NaN" not in text and "Infinity" not in text, text
        assert "No plan yet" in text
        message = page.locator(f"#calc-{field}-error").inner_text()
        assert len(message) > 10
        assert page.locator(f"#calc-{field}").get_attribute("aria-invalid") == "true"
        assert page.evaluate("document.activeElement.id") == f"calc-{field}"
    page.close()


def test_calculator_by_keyboard_at_390px_gives_the_worked_example(browser, mode, served, unzipped):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(dosing_page(mode, served, unzipped))
    # nothing is preselected: no answer to the at-risk question, the dose basis or the sex
    for name in ("atRisk", "doseBasis", "sex", "basis"):
        assert page.locator(f"input[name={name}]:checked").count() == 0, name
    text = fill_plan(page, "70", "2", at_risk=None)
    assert "No plan yet" in text and "mL/h" not in text
    assert "at-risk question" in page.locator("#calc-atRisk-error").inner_text()
    page.locator("input[name=atRisk][value=no]").check()  # the plan follows without a new submit
    text = page.locator("#calc-result").inner_text()
    for expected in ("140 g", "700 mL", "42 mL/h", "84 mL/h", "168 mL/h", "4 h 48 min",
                     "2 × 30 g + 1 × 10 g", "actual weight 70 kg"):
        assert expected in text, (expected, text)
    page.locator("input[name=atRisk][value=yes]").check()
    text = page.locator("#calc-result").inner_text()
    assert "126 mL/h" in text and "168 mL/h" not in text
    assert "3.3 mg/kg/min beside 0.03 mL/kg/min" in text  # which figure is used, and why
    width = page.evaluate("document.querySelector('.calc-form').scrollWidth")
    assert width <= 390
    # every cell of the step table, the "Then" (hold) text included, lies inside the screen
    cells = page.evaluate("""[...document.querySelectorAll('.calc-table td, .calc-table tbody th')]
        .map(c => { const r = c.getBoundingClientRect(); return [r.left, r.right, c.innerText]; })""")
    assert cells and all(0 <= left and right <= 390 for left, right, _ in cells), cells
    assert any("if tolerated" in text for _, _, text in cells)
    page.locator("#calc-days").press("Enter")
    assert page.evaluate("document.activeElement.id") == "infusion-plan"
    # the header's title fades in after the scroll, and axe would read it mid-fade
    wait_for(page, "document.getAnimations().every(a => a.playState !== 'running')")
    assert Axe().run(page).violations_count == 0
    assert [u for u in requests if not is_local(u)] == []
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_calculator_plan_with_warnings_passes_axe_in_both_schemes_hovered_and_focused(
        browser, served, scheme):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme)
    page = context.new_page()
    page.goto(served + "practice/dosing-administration/")
    fill_plan(page, "300", "2", at_risk="yes")  # warnings, confirmation box and errors shown
    found = [Axe().run(page, context=".infusion-calculator").violations_count]
    page.locator("input[name=weightConfirmed]").check()
    page.locator("input[name=basis][value=actual]").check()
    assert "large volume" in page.locator("#calc-result").inner_text()
    found.append(Axe().run(page, context=".infusion-calculator").violations_count)
    page.locator(".calc-print").hover()
    page.wait_for_timeout(400)  # Material's button colours fade over 0.25 s
    found.append(Axe().run(page, context=".infusion-calculator").violations_count)
    page.locator(".calc-buttons button").focus()
    page.locator(".calc-buttons button").hover()
    page.wait_for_timeout(400)
    found.append(Axe().run(page, context=".infusion-calculator").violations_count)
    context.close()
    assert found == [0, 0, 0, 0]


def test_calculator_keyboard_focus_is_visible_on_every_control(browser, mode, served, unzipped):
    page = browser.new_page()
    page.goto(dosing_page(mode, served, unzipped))
    page.locator("#calc-weight").focus()
    seen = set()
    for _ in range(14):
        style = page.evaluate("""(() => { const e = document.activeElement;
            const s = getComputedStyle(e);
            return [e.name || e.id, e.type || e.tagName, s.outlineStyle, parseFloat(s.outlineWidth)]; })()""")
        name, kind, outline, width = style
        if kind in ("text", "radio", "checkbox", "submit"):
            assert outline != "none" and width >= 2, style
            seen.add(kind)
        page.keyboard.press("Tab")
    assert {"text", "radio", "submit"} <= seen, seen
    page.close()


def test_calculator_asks_for_the_dosing_weight_and_guards_the_weight(browser, mode, served, unzipped):
    page = browser.new_page()
    page.goto(dosing_page(mode, served, unzipped))
    # 150 kg, 175 cm: looks like pounds for the height, and BMI over 30: no plan yet
    text = fill_plan(page, "150", "2")
    assert "No plan yet" in text
    assert "looks like pounds" in page.locator("#calc-weight-warning").inner_text()
    assert page.locator(".calc-confirm").is_visible()
    assert "BMI 48.9 is over 30" in page.locator("#calc-basis-error").inner_text()
    assert "adjusted 102.2 kg" in page.locator("#calc-weights").inner_text()
    page.locator("input[name=weightConfirmed]").check()
    assert "No plan yet" in page.locator("#calc-result").inner_text()
    page.locator("input[name=basis][value=adjusted]").check()
    text = page.locator("#calc-result").inner_text()
    assert "adjusted weight 102.2 kg" in text and "204.4 g" in text and "1020 mL" in text
    assert "large volume" in text
    # 300 kg: a new weight clears the earlier confirmation; the range warning is visible
    fill_plan(page, "300", "2", submit=True)
    assert not page.locator("input[name=weightConfirmed]").is_checked()
    assert "outside 40–160 kg" in page.locator("#calc-weight-warning").inner_text()
    assert "No plan yet" in page.locator("#calc-result").inner_text()
    # a per-day dose: the plan states both figures
    page.reload()
    text = fill_plan(page, "70", "5", dose_basis="day", submit=False)
    page.locator("#calc-dose").fill("0.4")
    page.locator("#calc-days").press("Enter")
    text = page.locator("#calc-result").inner_text()
    assert "2 g/kg per cycle = 0.4 g/kg per day over 5 days (entered per day)" in text, text
    assert "28 g = 280 mL" in text
    page.close()


def test_calculator_unreached_steps_are_marked_with_no_bold_rate(browser, mode, served, unzipped):
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.goto(dosing_page(mode, served, unzipped))
    fill_plan(page, "70", "5", submit=False)
    page.locator("#calc-dose").fill("0.4")
    page.locator("#calc-days").press("Enter")
    rows = page.locator(".calc-not-reached")
    assert rows.count() == 1
    assert rows.locator("strong").count() == 0
    assert "Not reached" in rows.inner_text()
    assert "999" not in page.locator("#calc-result").inner_text()  # no float noise
    assert page.locator(".calc-table tbody tr:not(.calc-not-reached) strong").count() == 2
    page.close()


def test_calculator_prints_one_page_order_with_lines_label_and_local_date(browser, mode, served, unzipped):
    context = browser.new_context(timezone_id="Australia/Sydney")
    page = context.new_page()
    page.goto(dosing_page(mode, served, unzipped))
    fill_plan(page, "70", "2")
    page.evaluate("window.print = () => { window.printed = true; }")
    page.locator(".calc-print").click()
    assert page.evaluate("window.printed") is True
    page.emulate_media(media="print")
    assert page.locator("#calc-result").is_visible()
    for hidden in (".md-sidebar--primary", ".rate-card", ".calc-form", "h1", ".calc-print"):
        assert not page.locator(hidden).first.is_visible(), hidden
    text = page.locator("#calc-result").inner_text()
    for expected in ("Patient name", "Patient ID", "Date of birth", "Prescriber (name, signature)",
                     "Second checker (name, signature)", "actual weight 70 kg", "2 × 30 g + 1 × 10 g",
                     "US prescribing information, revised March 2022", "updated 26 January 2024",
                     "Guide version", "does not replace clinical judgement"):
        assert expected in text, (expected, text)
    local = page.evaluate("(() => { const d = new Date(); return d.getFullYear() + '-' +"
                          " String(d.getMonth() + 1).padStart(2, '0') + '-' +"
                          " String(d.getDate()).padStart(2, '0'); })()")
    assert f"Plan made {local} (local date)" in text
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1
    words = pdf_text(pdf)
    for expected in ("Patient name", "Second checker", "Dosing weight", "Plan made " + local):
        assert expected in words, (expected, words[:2000])
    context.close()


def test_offline_copy_shows_its_version_and_makes_no_request(browser, unzipped, built):
    from guide.sources import release

    current, _ = release.load(built)
    page = browser.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((unzipped / "about" / "offline.html").as_uri())
    footer = page.locator(".guide-version").inner_text()
    assert f"Offline copy, version {current.version} of {current.date}" in footer
    assert "You are reading an offline copy" in page.locator("article").inner_text()
    assert [u for u in requests if not is_local(u)] == []
    page.close()


SEARCH_QUERIES = Path(__file__).with_name("search_queries.yml")


def search(page, query: str) -> None:
    """Run one query and wait for its own results, not those of a half-typed query.

    Material reads the box on keyup and answers each query from its worker in turn, so typing
    character by character can leave an earlier prefix's results on screen (seen in CI for
    "anti-MDA5"). Here the box is first emptied and its placeholder awaited, then the whole query
    goes in with a single keyup: the first counted result after that belongs to this query."""
    box = page.locator("input.md-search__input")
    meta = ".md-search-result__meta"
    box.focus()
    box.fill("")
    page.keyboard.press("End")
    wait_for(page, f"() => !/\\d|No /.test(document.querySelector('{meta}')?.textContent ?? '')")
    box.fill(query)
    page.keyboard.press("End")
    wait_for(page, f"() => /\\d|No /.test(document.querySelector('{meta}')?.textContent ?? '')")


def result_groups(page, base: str) -> list[tuple[str, list[str]]]:
    """Each result page in order, with its sections as Material lists them (by score; those
    folded under "more on this page" included), as (path, [section ids])."""
    groups = page.eval_on_selector_all(".md-search-result__item", """items => items.map(item =>
        [...item.querySelectorAll(':scope > a, :scope > details > a')].map(a => a.href))""")
    found = []
    for hrefs in groups:
        paths = [re.sub(r"\?[^#]*", "", href)[len(base):] for href in hrefs]
        page_path = re.sub(r"(/index)?\.html$|/$", "", paths[0].split("#")[0])
        found.append((page_path, [p.split("#", 1)[1] for p in paths[1:] if "#" in p]))
    return found


def test_clinical_queries_land_on_their_page_and_section(browser, mode, served, unzipped):
    """tests/search_queries.yml: each query's page among the first three result pages, and its
    section, where given, among the first three sections listed under that page."""
    import yaml

    queries = yaml.safe_load(SEARCH_QUERIES.read_text(encoding="utf-8"))
    assert len(queries) >= 50
    assert sum(str(q).endswith("?") for q in queries) * 2 >= len(queries)
    page = browser.new_page()
    start = home(mode, served, unzipped)
    base = served if mode == "served" else unzipped.as_uri() + "/"
    page.goto(start)
    missed = {}
    for query, expected in queries.items():
        search(page, str(query))
        top = result_groups(page, base)[:3]
        want_page, _, want_section = str(expected).partition("#")
        sections = dict(top).get(want_page)
        if sections is None or (want_section and want_section not in sections[:3]):
            missed[query] = [(p, s[:3]) for p, s in top]
    page.close()
    assert missed == {}


def test_a_word_in_brackets_is_found_and_synonyms_never_show(browser, mode, served, unzipped):
    """"(Hizentra)" is found by "Hizentra" (the separator in mkdocs.yml splits at brackets), and
    the synonyms added to the index (scripts/guide/html/search_index.py) are in no visible snippet."""
    page = browser.new_page()
    page.goto(home(mode, served, unzipped))
    search(page, "Hizentra")
    assert page.locator(".md-search-result__link[href*='formulations-scig']").count() >= 1
    search(page, "pregnant")
    shown = page.locator(".md-search-result").inner_text()
    assert "foetal" not in shown and "immune globulin pm" not in shown, shown
    assert page.evaluate("""() => [...document.querySelectorAll('.md-search-result p[hidden], .md-search-result .md-tags')]
        .every(e => getComputedStyle(e).display === 'none')""")
    assert page.evaluate("window.guideSearchQuery('is IVIG approved for polymyositis?')") == "IVIG approved polymyositis?"
    assert page.evaluate("window.guideSearchQuery('in')") == "in"
    page.close()


def test_the_search_index_is_fetched_on_first_use_of_search_not_with_each_page(browser, served):
    """search-query.js holds Material's request for the index until the search box is used: a
    cold chapter load no longer carries it (bench.py --only weight)."""
    page = browser.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(served + "practice/safety/", wait_until="networkidle")
    page.wait_for_timeout(500)
    assert not [u for u in requests if "search_index" in u]
    search(page, "thrombosis")
    assert [u for u in requests if u.endswith("search/search_index.json")]
    assert page.locator(".md-search-result__link[href*='safety']").count() >= 1
    page.close()


def test_a_references_hit_shows_the_matching_reference(browser, mode, served, unzipped):
    page = browser.new_page()
    page.goto(home(mode, served, unzipped))
    search(page, "Roifman")
    hit = page.locator(".md-search-result__link[href*='#ref-6']").first
    hit.wait_for(state="visible", timeout=10000)
    assert "Roifman" in hit.inner_text()
    page.close()


def test_a_reference_title_with_markup_is_shown_as_text_in_search_and_runs_nothing(
        browser, mode, served, unzipped):
    """The planted entry (conftest.HOSTILE_TITLE) carries an onerror image and a script tag."""
    from conftest import HOSTILE_TITLE

    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(home(mode, served, unzipped))
    search(page, "zebracorn")
    hit = page.locator(".md-search-result__item").first
    hit.wait_for(state="visible", timeout=10000)
    page.wait_for_timeout(300)  # an injected image's error event would fire by now
    shown = hit.inner_text()
    assert "<img src=x" in shown and "<script>" in shown
    assert hit.locator("img, script").count() == 0
    assert page.evaluate("window.__xss") is None and dialogs == []
    page.close()


def test_the_content_security_policy_stops_an_inline_handler_and_lets_the_site_work(
        browser, mode, served, unzipped):
    """Markup that reached a page anyway (an onerror image, a javascript: link) does not run;
    the site's own scripts and inline start-up scripts do (search works, no console error)."""
    page = browser.new_page()
    errors, violations = [], []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    page.goto(dm_page(mode, served, unzipped))
    page.evaluate("""() => {
        document.body.insertAdjacentHTML('beforeend', '<img src="x:y" onerror="window.__xss=1">');
        const a = document.createElement('a'); a.href = 'javascript:window.__xss=2';
        document.body.appendChild(a); a.click(); }""")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") is None
    assert any("inline event handler" in v for v in violations), violations
    violations.clear()
    search(page, "calcinosis")
    assert page.locator(".md-search-result__item").count() > 0
    assert errors == [] and violations == []
    page.close()


def test_offline_404_page_is_styled_and_its_links_work(browser, unzipped):
    page = browser.new_page()
    failed = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto((unzipped / "404.html").as_uri())
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in ("sticky", "fixed")
    page.locator(".md-nav__link[href$='practice/dosing-administration.html']").first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("practice/dosing-administration.html")
    assert "Dosing" in page.locator("h1").first.inner_text()
    assert failed == []
    page.close()


CHAPTERS = ("background/introduction", "background/mechanisms", "diseases/dermatomyositis-polymyositis",
            "diseases/cutaneous-dermatomyositis", "diseases/immune-mediated-necrotizing-myopathy",
            "diseases/inclusion-body-myositis", "special-situations/dysphagia",
            "special-situations/interstitial-lung-disease", "special-situations/calcinosis",
            "special-situations/pregnancy", "practice/dosing-administration", "practice/safety",
            "practice/formulations-scig", "practice/cost-access", "practice/around-the-world")


def chapter_url(mode, served, unzipped, name: str) -> str:
    return served + name + "/" if mode == "served" else (unzipped / f"{name}.html").as_uri()


def test_phone_first_on_every_chapter(browser, mode, served, unzipped):
    """At 390 px: In practice is one tap from the first screen and the Key points box starts in
    its upper half, wide tables say so and keep their first column, citation markers are 24 x 24
    px targets and a citation group never breaks across lines, abbreviations are listed."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    for name in CHAPTERS:
        page.goto(chapter_url(mode, served, unzipped, name))
        jump = page.locator(".practice-jump a")
        assert jump.bounding_box()["y"] + jump.bounding_box()["height"] <= 844, name
        assert page.locator(".admonition.abstract").first.bounding_box()["y"] < 844 / 2, name
        broken = page.evaluate("""() => [...document.querySelectorAll('.md-content .cite')]
            .filter(c => c.closest('.page-part') === null || c.getBoundingClientRect().height > 0)
            .filter(c => new Set([...c.getClientRects()].map(r => Math.round(r.top))).size > 1)
            .map(c => c.textContent)""")
        assert broken == [], (name, broken)
        page.evaluate("window.scrollTo(0, 0)")
        for wrap in page.locator(".md-typeset__scrollwrap").all():
            if not wrap.is_visible():
                continue  # e.g. inside a closed <details>: measured when opened
            wrap.scroll_into_view_if_needed()  # tables are measured as they near the screen
            if wrap.evaluate("w => w.scrollWidth > w.clientWidth + 1"):
                wait_for(page, "w => w.classList.contains('is-wide')", arg=wrap.element_handle(),
                                       timeout=5000)
                assert wrap.evaluate("w => w.previousElementSibling.classList.contains('table-hint')"), name
                assert wrap.evaluate("w => getComputedStyle(w.querySelector('td')).position") == "sticky", name
        for link in page.locator("a.cite-link").all()[:20]:
            box = link.bounding_box()
            assert box["width"] >= 24 and box["height"] >= 24, (name, box)
        assert page.locator("details.page-abbreviations dt").count() >= 1, name
        jump.tap()
        wait_for(page, "location.hash === '#in-practice'")
        assert page.locator("#in-practice").is_visible()
    context.close()


def test_an_abbreviation_reads_by_tap_and_by_keyboard(browser, mode, served, unzipped):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(dm_page(mode, served, unzipped))
    abbr = page.locator("article abbr[title]").first
    abbr.tap()
    preview = page.locator("#cite-preview")
    assert preview.is_visible()
    assert abbr.get_attribute("title") in preview.inner_text()
    summary = page.locator("details.page-abbreviations summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("details.page-abbreviations dd").first.is_visible()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_evidence_figures_render_with_their_text_alternative_in_both_colour_schemes(browser, mode, served,
                                                                                   unzipped, scheme):
    """The figure is drawn, its text, axes and outlines follow the page's text colour, markers
    link to the References page, the data table opens, and axe finds nothing, light and dark."""
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    found = {}
    for name in ("about/evidence-at-a-glance", "special-situations/interstitial-lung-disease"):
        page.goto(chapter_url(mode, served, unzipped, name))
        expected = "slate" if scheme == "dark" else "default"
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
        figure = page.locator("figure.ev-figure")
        svg = figure.locator("svg.ev-svg")
        box = svg.bounding_box()
        assert box["width"] > 300 and box["height"] > 150, name
        assert svg.evaluate("s => getComputedStyle(s).color") == page.evaluate(
            "getComputedStyle(document.querySelector('.md-typeset')).color"), name
        assert figure.locator("figcaption").inner_text().strip(), name
        assert svg.get_attribute("aria-labelledby") == figure.locator("figcaption").get_attribute("id")
        marker = svg.locator("a[aria-label] path").first
        assert marker.evaluate("p => getComputedStyle(p).fill") not in ("rgb(0, 0, 0)", "none"), name
        assert marker.evaluate("p => getComputedStyle(p).stroke") == svg.evaluate(
            "s => getComputedStyle(s).color"), name  # outlines in the text colour, not the link colour
        assert "references" in svg.locator("a[aria-label]").first.get_attribute("href")
        # Opened without scrolling: a scroll starts the header's title fade, which axe would catch
        # half-way; the open table is then checked by axe like the rest of the page.
        figure.locator("details.ev-data").evaluate("d => { d.open = true; }")
        assert figure.locator("details.ev-data table tbody tr").first.is_visible(), name
        result = Axe().run(page)
        if result.violations_count:
            found[name] = [(v["id"], v["nodes"][0]["target"]) for v in result.response["violations"]]
    context.close()
    assert found == {}


def test_a_figure_marker_opens_its_reference(browser, mode, served, unzipped):
    page = browser.new_page()
    page.goto(chapter_url(mode, served, unzipped, "about/evidence-at-a-glance"))
    link = page.locator("figure.ev-figure svg a[aria-label]").last  # drawn last: on top of the others
    number = link.get_attribute("href").rsplit("#ref-", 1)[1]
    link.click()
    wait_for(page, f"location.hash === '#ref-{number}'")
    # The new page may still be laying out its reference list when the hash is set.
    page.locator(f"#ref-{number}").wait_for(state="visible", timeout=10000)
    page.close()


PHONE_FIGURE = """() => {
  const svg = document.querySelector('figure.ev-figure svg.ev-svg');
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const text = [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
  const targets = [...svg.querySelectorAll('a .ev-target')].map(a => a.getBoundingClientRect())
    .map(r => Math.min(r.width, r.height));
  const small = ['figure.ev-figure figcaption', 'figure.ev-figure details.ev-data table']
    .map(s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize));
  const years = [...document.querySelectorAll('figure.ev-figure details.ev-data tbody tr td:nth-child(2)')]
    .map(td => +td.textContent);
  const ticks = [...svg.querySelectorAll('text')].map(t => t.textContent).filter(t => /^\\d{4}$/.test(t)).map(Number);
  return {minText: Math.min(...text), smallPrint: Math.min(...small), minTarget: Math.min(...targets),
          first: Math.min(...years), last: Math.max(...years), ticks,
          overflow: document.documentElement.scrollWidth > innerWidth};
}"""


def test_evidence_figures_read_on_a_phone_at_390px(browser, built, served):
    """At 390 px a figure's text is never smaller than the page's small print (its caption and data
    table), every study mark is a 24 px touch target, the page does not scroll sideways, and the
    axis runs from the first study's year to the last."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page = context.new_page()
    for name in ("about/evidence-at-a-glance", "special-situations/pregnancy",
                 "diseases/dermatomyositis-polymyositis", "diseases/inclusion-body-myositis"):
        page.goto(served + name + "/")
        found = page.evaluate(PHONE_FIGURE)
        assert found["minText"] >= found["smallPrint"] - 0.05, (name, found)
        assert found["minTarget"] >= 24, (name, found)
        assert not found["overflow"], name
        assert found["ticks"][0] == found["first"] and found["ticks"][-1] == found["last"], (name, found)
    context.close()
