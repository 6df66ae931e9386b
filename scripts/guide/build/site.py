"""Building the hosted site (site/) and the offline bundle (dist/<name>-offline.zip) with MkDocs.

MkDocs runs in this process so that its warnings can be caught and printed as
`path:line:col: error: message`, like the checker's. The build is always strict.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
import zipfile
from pathlib import Path

from ..check import network
from ..mkdocs.guide_build import Settings
from ..report import Problem, error, warning
from ..sources import release, where
from ..sources.where import Positions
from . import builddate, output

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold: same bytes every build
LOCATED = re.compile(r"^(?P<path>[^\s:]+):(?P<line>\d+):(?P<col>\d+): (?:error: )?(?P<message>.*)$")
DOC_LINK = re.compile(r"Doc file '(?P<doc>[^']+)' contains .*?link '(?P<link>[^']+)'")


class Collector(logging.Handler):
    """Keeps every warning MkDocs or a plugin logs during a build."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def locate(root: Path, record: logging.LogRecord) -> Problem:
    message = " ".join(record.getMessage().split())
    located = LOCATED.match(message)
    if located:  # our hook's own messages already carry path:line:col
        return error(located.group("path"), int(located.group("line")), int(located.group("col")),
                     located.group("message"), "mkdocs")
    match = DOC_LINK.search(message)
    if match:
        path = root / "docs" / match.group("doc")
        line, col = 1, 1
        if path.exists():
            text = path.read_text(encoding="utf-8")
            offset = text.find(match.group("link"))
            if offset >= 0:
                line, col = Positions(text).at(offset)
        return error(str(path.relative_to(root)), line, col, message, "mkdocs")
    return error("mkdocs.yml", 1, 1, message, "mkdocs")


# What a build reads: copying these elsewhere gives a tree that builds the same site.
SOURCES = ("bib", "data", "docs", "includes", "overrides", "scripts", "mkdocs.yml", "requirements.txt",
           "CITATION.cff")


def copy_sources(origin: Path, target: Path) -> Path:
    """Copy the build's inputs from `origin` to `target` (for tests and benchmarks)."""
    for part in SOURCES:
        source = origin / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__", ".cache"))
        elif source.exists():
            shutil.copy2(source, target / part)
    return target


def source_date_epoch(root: Path) -> str | None:
    """The build's date, so two builds of one commit write the same bytes (see builddate)."""
    return builddate.epoch(root)[0]


def mkdocs_build(root: Path, site_dir: Path, offline: bool,
                 settings: Settings | None = None) -> tuple[list[Problem], str]:
    """One strict MkDocs build, and the site_url it was built for. `offline` and `settings` (the
    hosted site's downloads) reach the hooks in the loaded config, never the environment."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    os.environ["SOURCE_DATE_EPOCH"] = source_date_epoch(root)  # MkDocs reads it itself
    collector = Collector()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    problems: list[Problem] = []
    site_url = ""
    try:
        config = load_config(str(root / "mkdocs.yml"), strict=True, site_dir=str(site_dir))
        bundle = config.plugins.get("material/offline")
        if bundle:  # what mkdocs.yml's `enabled: !ENV [OFFLINE, false]` gives a build by hand
            bundle.config.enabled = offline
        (settings or Settings()).put(config)
        site_url = config.site_url or ""
        build(config)
        search = config.plugins.get("material/search") or config.plugins.get("search")
        languages = list(search.config.lang or ["en"]) if search else ["en"]
        if not collector.records:
            prune(site_dir, languages)
    except MkDocsException as exc:
        if not collector.records:
            text = str(exc).replace("\\n", "\n")
            where = re.search(r"line (\d+), column (\d+)", text)
            line, col = (int(where.group(1)), int(where.group(2))) if where else (1, 1)
            problems.append(error("mkdocs.yml", line, col, "build failed: " + " ".join(
                part.strip() for part in text.split("\n") if part.strip() and " line " not in part),
                "mkdocs"))
    except SystemExit as exc:  # MkDocs' Abort on strict warnings
        if not collector.records:
            problems.append(error("mkdocs.yml", 1, 1, f"build aborted: {exc}", "mkdocs"))
    finally:
        logger.removeHandler(collector)
    problems += [locate(root, r) for r in collector.records]
    return problems, site_url


SOURCE_MAP_COMMENT = re.compile(rb"\n?/[/*]# sourceMappingURL=[^\n]*?(?:\*/)?\s*$")


def prune(site_dir: Path, languages: list[str]) -> None:
    """Ship no source maps and, for an English-only search, no lunr language packs."""
    for path in sorted(site_dir.rglob("*.map")):
        path.unlink()
    for path in sorted(site_dir.rglob("*")):
        if path.suffix in (".js", ".css") and path.is_file():
            data = path.read_bytes()
            stripped = SOURCE_MAP_COMMENT.sub(b"\n", data)
            if stripped != data:
                path.write_bytes(stripped)
    if languages == ["en"]:
        shutil.rmtree(site_dir / "assets" / "javascripts" / "lunr", ignore_errors=True)


def write_zip(source: Path, target: Path, prefix: str) -> None:
    """Zip `source` with fixed timestamps and a sorted order: same input, same bytes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(p for p in source.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{prefix}/{path.relative_to(source).as_posix()}", ZIP_EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes(), compresslevel=9)


def build_all(root: Path, offline: bool = True, pdf: bool = True) -> int:
    """The offline bundle first, so the hosted site can offer the very zip it measured. One build
    at a time per tree; everything is built aside and put in place only when all of it built
    (output.py), so an interrupted or failed build leaves the previous site/ and zip as they were."""
    output.sigterm_as_interrupt()
    try:
        with output.lock(root, say=lambda message: print(message, file=sys.stderr)):
            output.recover(root)
            with output.Staging(root) as stage:
                problems, download = build_staged(root, stage, offline, pdf)
    except output.Busy as exc:
        print(f"scripts/build.py:1:1: error: {exc}", file=sys.stderr)
        return 2
    except output.Unsafe as exc:
        print(exc, file=sys.stderr)
        return 1
    return report_build(problems, download)


def build_staged(root: Path, stage: output.Staging, offline: bool,
                 pdf: bool = True) -> tuple[list[Problem], release.Download | None]:
    """Build the zip, the bundle and the site into `stage`; publish them only if all built."""
    rel, problems = release.load(root)
    epoch, dated = builddate.epoch(root)
    for problem in dated:
        print(problem, file=sys.stderr)
    problems += [p for p in dated if p.severity == "error"]
    if epoch:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    download, printed, outputs = None, None, {}
    if not problems and offline:
        stem = rel.bundle_stem
        bundle, archive = stage.path / stem, stage.path / f"{stem}.zip"
        problems, site_url = mkdocs_build(root, bundle, offline=True)
        problems = problems or network_problems(root, bundle, "offline copy")
        if not problems:
            write_zip(bundle, archive, stem)
            download = release.measure(archive)
            outputs = {f"dist/{stem}.zip": archive, f"dist/{stem}": bundle}
            printed, problems = build_pdf(bundle, stage.path / rel.pdf_name, rel, site_url) if pdf else (None, [])
            if printed:
                outputs[f"dist/{rel.pdf_name}"] = stage.path / rel.pdf_name
    if not problems:
        site_dir = stage.path / "site"
        offered = Settings(download=download, pdf=printed)
        problems, _ = mkdocs_build(root, site_dir, offline=False, settings=offered)
        problems = problems or network_problems(root, site_dir, "hosted site")
        target = site_dir / release.DOWNLOAD_DIR
        if not problems and download:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(archive, target / download.filename)
        if not problems and printed:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(stage.path / rel.pdf_name, target / printed.filename)
        outputs["site"] = site_dir
    if not problems:
        try:
            stage.publish(outputs)
        except OSError as exc:  # e.g. a read-only output folder: nothing was changed
            failed = exc.filename and Path(exc.filename)
            shown = str(failed.relative_to(root)) if failed and failed.is_relative_to(root) else "site"
            problems = [error(shown, 1, 1, f"cannot put the build in place ({exc.strerror}); "
                              "site/ and dist/ were left as they were", "publish")]
    return problems, download


SOURCE_GLOBS = ("docs/**/*.md", "includes/*", "overrides/**/*.html", "mkdocs.yml", "docs/**/*.css")


def network_problems(root: Path, built: Path, what: str) -> list[Problem]:
    """Every fetch from the network the built output would make, as an error at the source line
    that asked for it (else at the output file): the offline copy must work with no network, and
    the hosted site makes no third-party request."""
    problems = []
    for shown, line, found in network.remote_loads(built):
        needle = found.split(" loads ")[-1] if " loads " in found else "mermaid"
        located = (shown, line)
        for pattern in SOURCE_GLOBS:
            hit = next(((p, n) for p in sorted(root.glob(pattern)) if p.is_file()
                        for n in where.lines(p.read_text(encoding="utf-8", errors="replace"), needle)), None)
            if hit:
                located = (str(hit[0].relative_to(root)), hit[1])
                break
        problems.append(error(located[0], located[1], 1, f"{found}: the {what} must not load anything from "
                              "the network; ship the file in docs/ and link it relatively", "offline"))
    return problems


def build_pdf(bundle: Path, target: Path, rel, site_url: str) -> tuple[release.Download | None, list[Problem]]:
    """The PDF of the whole guide from the offline bundle's print page (guide/build/pdf.py); its
    links to pages point at `site_url`, the address the site was built for."""
    try:
        from . import pdf

        result = pdf.build(bundle / "print.html", target, rel.version, rel.date, site_url)
    except OSError as exc:  # WeasyPrint loads pango and its friends when imported
        # A fresh machine may lack the system libraries: the site and zip still build, without the
        # PDF (the Offline page then offers none), and say how to get it. CI must make the PDF.
        problem = (error if os.environ.get("CI") == "true" else warning)(
            "requirements.txt", 1, 1, f"the PDF cannot be made: {exc}; WeasyPrint needs pango "
            "(apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)", "pdf")
        if problem.severity == "error":
            return None, [problem]
        print(problem, file=sys.stderr)
        return None, []
    except ValueError as exc:
        return None, [error("docs/print.md", 1, 1, f"the PDF cannot be made: {exc}", "pdf")]
    print(f"pdf: {target.name}, {result.pages} A4 pages in {result.seconds:.1f} s", file=sys.stderr)
    return release.measure(target), []


def report_build(problems: list[Problem], download) -> int:
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"build FAILED: {len(problems)} error(s)", file=sys.stderr)
        return 1
    built = "site/" + (f" and dist/{download.filename}" if download else "")
    print(f"build ok: {built}", file=sys.stderr)
    return 0
