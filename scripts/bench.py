"""Benchmarks, side by side, each as figures and ratios (never pass/fail in the test suite).

    python3 scripts/bench.py            everything
    python3 scripts/bench.py --only checker,build,large,weight,lighthouse,pdf

1. build      the real site with citation processing vs the same site with it turned off
2. large      the real chapters + References page over a synthetic 10,000-entry store: our build
              vs stock mkdocs-bibtex's own full-bibliography page (time and peak memory)
3. checker    the checker on a synthetic 10,000-entry store with 1,000 citing pages vs a bare
              bibtexparser parse of the same store
4. weight     bytes transferred per page on a cold load (Chromium), the heaviest chapter against
              its own budget, and the offline zip's size
5. lighthouse mobile scores per page (npm lighthouse@12.2.3 + Debian Chromium), when Node is there;
              median of 3 runs a page; the print page has its own budget (90)
6. pdf        the PDF of the whole guide (scripts/guide/build/pdf.py) from the built offline bundle:
              its A4 pages and the median time to make it, each against its budget

Each figure is the median of several runs; budgets from the performance issue are printed beside.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bootstrap import ROOT, ensure_venv  # noqa: E402

BUDGETS = {
    "build": 1.3, "large_seconds": 3.0, "checker": 1.5, "page_kb": 300, "zip_mb": 1.5,
    "performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100,
    "print_performance": 90,  # the whole guide on one page (about 9,000 elements)
    "chapter_kb": 120,  # a chapter (background/, diseases/, special-situations/, practice/), cold
    "pdf_pages": 120, "pdf_seconds": 30,
}
CHAPTER_FOLDERS = ("background/", "diseases/", "special-situations/", "practice/")
PRINT_PAGE = "print/"
CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


# --- measuring -----------------------------------------------------------------------------------

def run_child(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {child.stderr.read().decode()[-2000:]}")
    return wall, usage.ru_maxrss / 1024


def paired(a: callable, b: callable, runs: int) -> tuple[list, list]:
    """Run A and B in turn (A B A B ...) after one warm-up each, so drift hits both alike."""
    a(), b()
    first, second = [], []
    for _ in range(runs):
        first.append(a())
        second.append(b())
    return first, second


def median(values) -> float:
    return statistics.median(values)


def line(label: str, value: str, budget: str = "", ok: bool | None = None) -> None:
    verdict = "" if ok is None else ("  within budget" if ok else "  OVER BUDGET")
    print(f"  {label:<58} {value:>14}  {budget}{verdict}")


def copy_sources(target: Path) -> Path:
    from guide.build.site import copy_sources as copy

    return copy(ROOT, target)


def mkdocs_cmd(config: str = "mkdocs.yml") -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "-q", "-f", config, "-d", "out"]


def without_bibtex(config: str) -> str:
    """mkdocs.yml with the bibtex plugin block removed and our hooks' citation processing off
    (guide/mkdocs/guide_build.Settings, read from `extra`)."""
    out, skipping = [], False
    for text in config.splitlines():
        if text.startswith("  - bibtex:"):
            skipping = True
            continue
        if skipping and text.startswith("      "):
            continue
        skipping = False
        out.append(text)
        if text == "extra:":
            out.append("  guide_build: {citations: false}")
    return "\n".join(out) + "\n"


# --- 1. citation processing on vs off ------------------------------------------------------------

def bench_build(runs: int) -> None:
    print("1. Real site: build with citation processing vs without")
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_sources(Path(tmp))
        (root / "mkdocs-off.yml").write_text(without_bibtex((root / "mkdocs.yml").read_text()))
        env = dict(os.environ, SOURCE_DATE_EPOCH="0")
        on, off = paired(lambda: run_child(mkdocs_cmd(), root, env),
                         lambda: run_child(mkdocs_cmd("mkdocs-off.yml"), root, env), runs)
    ratio = median(a[0] / b[0] for a, b in zip(on, off))
    line("with citations (s, median)", f"{median(t for t, _ in on):.2f}")
    line("without citations (s, median)", f"{median(t for t, _ in off):.2f}")
    line("ratio with / without (median of pairs)", f"{ratio:.2f}x", f"budget <= {BUDGETS['build']}x",
         ratio <= BUDGETS["build"])


# --- 2. a 10,000-entry store ---------------------------------------------------------------------

STOCK_CONFIG = """site_name: Stock mkdocs-bibtex
theme:
  name: material
  font: false
plugins:
  - search
  - bibtex:
      bib_dir: bib
markdown_extensions:
  - footnotes
  - admonition
  - tables
  - attr_list
"""


def with_placeholder_authors(bib: str) -> str:
    entries = re.split(r"(?m)^(?=@)", bib)
    return "".join(re.sub(r"^(@\w+\{[^,\n]+,)", r"\1\n  author = {{Not stated}},", entry, count=1)
                   if entry.startswith("@") and not entry.lower().startswith("@string")
                   and not re.search(r"(?im)^\s*author\s*=", entry) else entry
                   for entry in entries)


def bench_large(runs: int, entries: int = 10_000) -> None:
    import bench_inputs as synthetic

    print(f"2. Real chapters + References page over a synthetic {entries:,}-entry store")
    with tempfile.TemporaryDirectory() as tmp:
        ours = copy_sources(Path(tmp) / "ours")
        synthetic.write_store(ours / "bib" / "synthetic.bib", entries - 115, first_number=116)
        stock = Path(tmp) / "stock"
        (stock / "docs").mkdir(parents=True)
        shutil.copytree(ours / "bib", stock / "bib")
        # pybtex's plain style cannot format an entry without author (a WHO report, abstracts
        # read without their author list) and the stock plugin then crashes: in the stock copy
        # only, such entries get a placeholder corporate author.
        for store in (stock / "bib").glob("*.bib"):
            store.write_text(with_placeholder_authors(store.read_text(encoding="utf-8")), encoding="utf-8")
        for chapter in (ROOT / "docs").rglob("*.md"):
            target = stock / "docs" / chapter.relative_to(ROOT / "docs")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(chapter, target)
        (stock / "docs" / "references.md").write_text("# References\n\n\\full_bibliography\n")
        (stock / "mkdocs.yml").write_text(STOCK_CONFIG)
        env = dict(os.environ, SOURCE_DATE_EPOCH="0")
        mine, theirs = paired(lambda: run_child(mkdocs_cmd(), ours, env),
                              lambda: run_child(mkdocs_cmd(), stock, env), max(1, runs // 2))
    our_time, our_mem = median(t for t, _ in mine), median(m for _, m in mine)
    line("our build (s, median)", f"{our_time:.2f}", f"budget <= {BUDGETS['large_seconds']} s",
         our_time <= BUDGETS["large_seconds"])
    line("our build peak memory (MiB)", f"{our_mem:.0f}")
    line("stock mkdocs-bibtex full bibliography (s, median)", f"{median(t for t, _ in theirs):.2f}")
    line("stock peak memory (MiB)", f"{median(m for _, m in theirs):.0f}")
    line("ratio ours / stock (time)", f"{median(a[0] / b[0] for a, b in zip(mine, theirs)):.2f}x")


# --- 3. the checker against a bare parse ---------------------------------------------------------

def bench_checker(runs: int, entries: int = 10_000, pages: int = 1_000) -> None:
    import bibtexparser

    from guide.check import runner as check
    import bench_inputs as synthetic

    print(f"3. Checker on {entries:,} entries and {pages:,} pages vs a bare bibtexparser parse")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "bib").mkdir()
        keys = synthetic.write_store(root / "bib" / "store.bib", entries)
        synthetic.write_pages(root / "docs", keys, pages)

        def bare() -> float:
            start = time.perf_counter()
            bibtexparser.parse_file(str(root / "bib" / "store.bib"))
            return time.perf_counter() - start

        def checker() -> float:
            start = time.perf_counter()
            result = check.run(root, cache=False)  # cold: parse every time, like the baseline
            assert result.stats["entries"] == entries
            return time.perf_counter() - start

        ours, base = paired(checker, bare, runs)
    ratio = median(a / b for a, b in zip(ours, base))
    line("checker (s, median)", f"{median(ours):.2f}")
    line("bare bibtexparser parse (s, median)", f"{median(base):.2f}")
    line("ratio checker / bare parse", f"{ratio:.2f}x", f"budget <= {BUDGETS['checker']}x",
         ratio <= BUDGETS["checker"])


# --- 4. page weight and the offline zip ----------------------------------------------------------

class Quiet(http.server.SimpleHTTPRequestHandler):
    """A static host as GitHub Pages behaves: text assets go out gzip-compressed when asked."""

    COMPRESS = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants and path.is_file() and path.suffix in self.COMPRESS):
            return super().send_head()
        import gzip
        import io

        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(directory: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def built_site() -> Path:
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build.py")], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    return ROOT / "site"


def page_urls(site: Path, base: str) -> list[str]:
    folders = sorted(p.parent.relative_to(site) for p in site.rglob("index.html"))
    return [base + ("" if f == Path(".") else f.as_posix() + "/") for f in folders]


def chromium() -> str | None:
    return shutil.which("chromium") or (os.path.exists("/usr/bin/chromium") and "/usr/bin/chromium") or None


def bench_weight() -> None:
    print("4. Bytes per page on a cold load, and the offline zip")
    site = built_site()
    from guide.sources import release

    current, _ = release.load(ROOT)
    archive = ROOT / "dist" / f"{current.bundle_stem}.zip"
    size_mb = archive.stat().st_size / 1_000_000
    line("offline zip (MB)", f"{size_mb:.2f}", f"budget <= {BUDGETS['zip_mb']} MB", size_mb <= BUDGETS["zip_mb"])
    if not chromium():
        print("  Chromium not found: page weight skipped (apt-get install chromium)")
        return
    from playwright.sync_api import sync_playwright

    server, base = serve(site)
    worst, chapter = (0, ""), (0, "")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS[1:])
            for url in page_urls(site, base):
                context = browser.new_context()  # a fresh cache: a cold load
                page = context.new_page()
                responses: list = []
                page.on("response", lambda r: responses.append(r))
                page.goto(url, wait_until="networkidle")
                page.wait_for_timeout(300)  # the search worker fetches its index after load
                raw = sum(len(r.body()) for r in responses if r.ok)
                sent = sum(r.request.sizes()["responseBodySize"] for r in responses if r.ok)
                if url.removeprefix(base) != PRINT_PAGE:  # the whole guide in one page: shown, not budgeted
                    worst = max(worst, (sent, url))
                if url.removeprefix(base).startswith(CHAPTER_FOLDERS) and url.removeprefix(base) not in CHAPTER_FOLDERS:
                    chapter = max(chapter, (sent, url))
                line(f"  {url.removeprefix(base) or '/'}", f"{sent / 1000:.0f} KB",
                     f"sent gzip ({raw / 1000:.0f} KB unpacked)")
                context.close()
            browser.close()
    finally:
        server.shutdown()
    line(f"heaviest reading page ({worst[1].removeprefix(base)}), KB sent", f"{worst[0] / 1000:.0f}",
         f"budget <= {BUDGETS['page_kb']} KB",
         worst[0] / 1000 <= BUDGETS["page_kb"])
    line(f"heaviest chapter ({chapter[1].removeprefix(base)}), KB sent", f"{chapter[0] / 1000:.0f}",
         f"budget <= {BUDGETS['chapter_kb']} KB = {chapter[0] / 1000 / BUDGETS['chapter_kb']:.2f}x",
         chapter[0] / 1000 <= BUDGETS["chapter_kb"])
    index = site / "search" / "search_index.json"
    if index.exists():
        import gzip

        data = index.read_bytes()
        line("search index, KB", f"{len(data) / 1000:.0f}", f"({len(gzip.compress(data, 9)) / 1000:.0f} KB gzip)")


# --- 6. the PDF ----------------------------------------------------------------------------------

def bench_pdf(runs: int) -> None:
    print(f"6. The PDF of the whole guide from the offline bundle (median of {runs} runs)")
    built_site()
    from guide.build import pdf
    from guide.sources import release

    current, _ = release.load(ROOT)
    source = ROOT / "dist" / current.bundle_stem / "print.html"
    with tempfile.TemporaryDirectory() as tmp:
        results = [pdf.build(source, Path(tmp) / "guide.pdf", current.version, current.date) for _ in range(runs)]
    pages, seconds = results[0].pages, median(r.seconds for r in results)
    line("PDF, A4 pages", str(pages), f"budget < {BUDGETS['pdf_pages']} = {pages / BUDGETS['pdf_pages']:.2f}x",
         pages < BUDGETS["pdf_pages"])
    line("PDF, seconds to make", f"{seconds:.1f}",
         f"budget < {BUDGETS['pdf_seconds']} s = {seconds / BUDGETS['pdf_seconds']:.2f}x", seconds < BUDGETS["pdf_seconds"])


# --- 5. Lighthouse -------------------------------------------------------------------------------

def lighthouse_bin() -> str | None:
    cache = ROOT / ".bench" / "node_modules" / ".bin" / "lighthouse"
    if cache.exists():
        return str(cache)
    if not shutil.which("npm"):
        return None
    (ROOT / ".bench").mkdir(exist_ok=True)
    done = subprocess.run(["npm", "install", "--prefix", str(ROOT / ".bench"), "--no-audit", "--no-fund",
                           "lighthouse@12.2.3"], capture_output=True, text=True)
    return str(cache) if done.returncode == 0 and cache.exists() else None


def bench_lighthouse(limit: int | None = None, paths: list[str] | None = None, runs: int = 3) -> None:
    print(f"5. Lighthouse mobile scores, every page of the served site (median of {runs} runs a page)")
    tool, browser = lighthouse_bin(), chromium()
    if not tool or not browser:
        print("  Node/npm or Chromium not available: Lighthouse skipped")
        return
    site = ROOT / "site" if (ROOT / "site").exists() else built_site()
    server, base = serve(site)
    lowest = {k: 100 for k in ("performance", "accessibility", "best-practices", "seo")}
    print_performance, single_run = None, 100.0
    try:
        urls = [base + p.lstrip("/") for p in paths] if paths else page_urls(site, base)[:limit]
        for url in urls:
            # One Lighthouse run varies by a few points with the machine's load: take the median.
            samples = []
            for _ in range(runs):
                out = subprocess.run([tool, url, "--quiet", "--output=json", "--output-path=stdout",
                                      f"--chrome-flags={' '.join(CHROMIUM_FLAGS)}"],
                                     capture_output=True, text=True, env=dict(os.environ, CHROME_PATH=browser))
                samples.append({k: v["score"] * 100 for k, v in json.loads(out.stdout)["categories"].items()})
            scores = {k: round(statistics.median(s[k] for s in samples)) for k in lowest}
            path = url.removeprefix(base) or "/"
            if path != PRINT_PAGE:
                single_run = min([single_run, *(s["performance"] for s in samples)])
            for key in lowest:
                if path == PRINT_PAGE and key == "performance":
                    print_performance = scores[key]  # its own budget, below
                else:
                    lowest[key] = min(lowest[key], scores[key])
            line(f"  {path}", " ".join(f"{scores[k]:>3}" for k in lowest), "(perf a11y bp seo)")
    finally:
        server.shutdown()
    for key, value in lowest.items():
        label = "lowest performance, every other page" if key == "performance" else f"lowest {key}"
        line(label, str(value), f"budget >= {BUDGETS[key]}", value >= BUDGETS[key])
    line("lowest single run, performance, every other page", f"{single_run:.0f}",
         "(how far one run strays from the medians)")
    if print_performance is not None:
        line("performance, print page", str(print_performance), f"budget >= {BUDGETS['print_performance']}",
             print_performance >= BUDGETS["print_performance"])


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmarks with ratios; see the module docstring.")
    parser.add_argument("--only", default="build,large,checker,weight,lighthouse,pdf")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=None, help="Lighthouse: only the first N pages")
    parser.add_argument("--paths", default="", help="Lighthouse: only these pages, e.g. print/,references/")
    args = parser.parse_args()
    ensure_venv()
    print(f"{time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    jobs = {"build": lambda: bench_build(args.runs), "large": lambda: bench_large(args.runs),
            "checker": lambda: bench_checker(args.runs), "weight": bench_weight,
            "lighthouse": lambda: bench_lighthouse(args.pages, [p for p in args.paths.split(",") if p],
                                                    min(args.runs, 3)),
            "pdf": lambda: bench_pdf(min(args.runs, 3))}
    for name in args.only.split(","):
        jobs[name.strip()]()
    return 0


if __name__ == "__main__":
    sys.exit(main())
