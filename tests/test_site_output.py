"""The built output: every citation and back-link lands somewhere real, no third-party URL is
loaded, the offline bundle is complete, and two builds of one commit give the same bytes."""

import hashlib
import re
import zipfile
from pathlib import Path
from html import unescape as html_unescape
from urllib.parse import unquote, urljoin, urlparse

from conftest import copy_repo, offline_zip, run_build

ID = re.compile(r'\bid="([^"]+)"')
HREF = re.compile(r'<a [^>]*?href="([^"]+)"')
# What a browser fetches by itself: scripts, images, frames, stylesheets, icons, preloads
# (not canonical or alternate links, which are only addresses).
LOADED = re.compile(r'<(?:script|img|iframe)[^>]*?\bsrc="([^"]+)"'
                    r'|<link[^>]*?\brel="(?:stylesheet|icon|preload|modulepreload|manifest)"[^>]*?\bhref="([^"]+)"')


def pages(site: Path):
    return sorted(p for p in site.rglob("*.html"))


def ids(path: Path) -> set[str]:
    return set(ID.findall(path.read_text(encoding="utf-8")))


def test_every_citation_marker_lands_on_a_listed_reference(built):
    checked = 0
    for page in pages(built / "site"):
        text = page.read_text(encoding="utf-8")
        anchors = ids(page)
        for number in re.findall(r'class="cite-(?:link|hidden)" href="#ref-(\d+)"', text):
            assert f"ref-{number}" in anchors, (page, number)
            checked += 1
        for described in re.findall(r'aria-describedby="([^"]+)"', text):
            for token in described.split():
                assert token in anchors, (page, token)
    assert checked > 500


def test_every_internal_link_and_back_link_lands_on_an_existing_anchor(built):
    site = built / "site"
    cache: dict[Path, set[str]] = {}
    checked = 0
    for page in pages(site):
        if page.name == "404.html":
            continue  # served from any depth, so it links absolutely, from site_url
        base = "file://" + str(page)
        for href in HREF.findall(page.read_text(encoding="utf-8")):
            if href.startswith(("http://", "https://", "mailto:", "javascript:")):
                continue
            target = urlparse(urljoin(base, href))
            path = Path(unquote(target.path))
            if path.is_dir():
                path = path / "index.html"
            assert path.exists(), (page, href)
            if target.fragment:
                if path not in cache:  # setdefault would read the page again for every link
                    cache[path] = ids(path)
                assert unquote(target.fragment) in cache[path], (page, href)
            checked += 1
    assert checked > 1000


def test_no_page_loads_anything_from_another_host(built):
    for root in (built / "site", offline_zip(built).with_suffix("")):
        for page in pages(root):
            for src, href in LOADED.findall(page.read_text(encoding="utf-8")):
                url = src or href
                assert not url.startswith(("http:", "https:", "//")) or "127.0.0.1" in url, (page, url)


def test_offline_bundle_has_everything_it_needs(built):
    archive = offline_zip(built)
    top = archive.stem  # ivig-iim-guide-offline-<version>
    with zipfile.ZipFile(archive) as bundle:
        names = set(bundle.namelist())
        index = bundle.read(f"{top}/index.html").decode()
    assert f"{top}/search/search_index.js" in names
    assert f"{top}/assets/vendor/iframe-worker/shim.js" in names
    assert f"{top}/references.html" in names
    assert not any(n.endswith(".zip") for n in names), "the bundle must not contain a copy of itself"
    assert "fonts.googleapis" not in index and "unpkg.com" not in index
    assert 'src="assets/vendor/iframe-worker/shim.js"' in index


def digest_tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_builds_of_one_commit_are_byte_identical(built, tmp_path):
    again = copy_repo(tmp_path, origin=built)
    run = run_build(again)
    assert run.returncode == 0, run.stderr
    assert digest_tree(again / "site") == digest_tree(built / "site")
    assert offline_zip(again).read_bytes() == offline_zip(built).read_bytes()


def test_no_page_repeats_an_id(built):
    for page in pages(built / "site"):
        found = ID.findall(page.read_text(encoding="utf-8"))
        repeated = {i for i in found if found.count(i) > 1}
        assert not repeated, (page, sorted(repeated)[:5])


def test_every_page_has_its_own_meta_description(built):
    from guide.sources.markdown import front_matter

    for source in sorted((built / "docs").rglob("*.md")):
        meta = front_matter(source.read_text(encoding="utf-8")) or {}
        assert meta.get("description"), source
        rel = source.relative_to(built / "docs").with_suffix("")
        folder = rel.parent if rel.name == "index" else rel  # a section's index.md is its folder
        target = built / "site" / folder / "index.html"
        html = target.read_text(encoding="utf-8")
        shown = re.search(r'<meta name="description" content="([^"]*)"', html).group(1)
        assert html_unescape(shown) == meta["description"], source


def test_hosted_site_has_sitemap_and_404(built):
    sitemap = (built / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://ivig-iim-guide.github.io/guide/diseases/dermatomyositis-polymyositis/" in sitemap
    assert (built / "site" / "404.html").exists()


def test_print_page_holds_every_page_in_reading_order_with_inner_links(built):
    html = (built / "site" / "print" / "index.html").read_text(encoding="utf-8")
    nav = (built / "mkdocs.yml").read_text(encoding="utf-8")
    order = [p for p in re.findall(r":\s+([\w/-]+)\.md", nav) if p not in ("print", "references")]
    positions = []
    for source in order:
        prefix = "home" if source == "index" else source.replace("/", "-")
        positions.append(html.find(f'<section class="print-part" id="{prefix}"'))
    assert -1 not in positions and positions == sorted(positions)
    assert 'href="#diseases-dermatomyositis-polymyositis-ref-8"' in html
    assert 'href="#practice-safety"' in html  # a link between pages became a link inside the page


def test_every_page_says_it_is_educational_and_chapters_show_their_review_date(built):
    for page in pages(built / "site"):
        if page.name == "404.html":
            continue
        html = page.read_text(encoding="utf-8")
        assert 'class="guide-disclaimer"' in html and "does not replace clinical judgement" in html, page
    for folder in ("background", "diseases", "special-situations", "practice"):
        for page in (built / "site" / folder).rglob("index.html"):
            assert "Last reviewed: <time" in page.read_text(encoding="utf-8"), page


RATE_CARD_PAGES = ("diseases/dermatomyositis-polymyositis", "diseases/cutaneous-dermatomyositis",
                   "diseases/immune-mediated-necrotizing-myopathy", "diseases/inclusion-body-myositis",
                   "special-situations/dysphagia", "special-situations/interstitial-lung-disease",
                   "special-situations/calcinosis", "special-situations/pregnancy",
                   "practice/dosing-administration", "practice/safety")


def test_no_page_states_one_rate_ceiling_without_the_other(built):
    from conftest import ROOT
    from guide.sources import labels

    rates = labels.load(ROOT)[0]["octagam"].facts.rates
    checked = 0
    for page in pages(built / "site"):
        text = page.read_text(encoding="utf-8")
        has_dm, has_risk = rates.dm_max.ml in text, rates.at_risk_max.ml in text
        if has_dm or has_risk:
            checked += 1
            assert has_dm and has_risk, f"{page}: one ceiling without the other"
    assert checked >= len(RATE_CARD_PAGES)


def test_every_page_giving_infusion_advice_carries_the_rate_card(built):
    for name in RATE_CARD_PAGES:
        text = (built / "site" / name / "index.html").read_text(encoding="utf-8")
        assert text.count('class="admonition warning rate-card"') == 1, name
        assert "practice/dosing-administration/#infusion-calculator" in text \
            or "#infusion-calculator" in text, name


def test_hosted_site_offers_the_zip_with_its_true_size_version_and_checksum(built):
    from guide.sources import release

    current, _ = release.load(built)
    archive = offline_zip(built)
    published = built / "site" / release.DOWNLOAD_DIR / archive.name
    assert published.read_bytes() == archive.read_bytes()
    page = (built / "site" / "about" / "offline" / "index.html").read_text(encoding="utf-8")
    assert f'href="../../{release.DOWNLOAD_DIR}/{archive.name}"' in page
    shown = re.search(r'<code class="guide-sha256">([0-9a-f]{64})</code>', page).group(1)
    assert shown == hashlib.sha256(archive.read_bytes()).hexdigest()
    assert f"{archive.stat().st_size:,} bytes" in page
    assert current.version in page and current.date in page


def test_every_page_shows_the_configured_version_and_the_offline_copy_says_so(built):
    from guide.sources import release

    current, _ = release.load(built)
    shown = f'Version <span class="guide-version__number">{current.version}</span> of {current.date}'
    for page in pages(built / "site"):
        if page.name != "404.html":
            assert shown in page.read_text(encoding="utf-8"), page
    for page in pages(offline_zip(built).with_suffix("")):
        text = page.read_text(encoding="utf-8")
        assert f'Offline copy, version <span class="guide-version__number">{current.version}</span>' in text, page
    citation = (built / "CITATION.cff").read_text(encoding="utf-8")
    assert f'version: "{current.version}"' in citation


def test_print_guide_has_a_cover_contents_and_dois(built):
    from guide.sources import release

    current, _ = release.load(built)
    text = (built / "site" / "print" / "index.html").read_text(encoding="utf-8")
    cover = text[text.index('class="print-cover"'):text.index('class="print-toc"')]
    assert f"Version {current.version} of {current.date}" in cover
    assert "does not replace clinical judgement" in cover
    toc = text[text.index('class="print-toc"'):text.index("</nav>", text.index('class="print-toc"'))]
    assert toc.count("<li>") >= 20
    assert 'href="#diseases-dermatomyositis-polymyositis"' in toc
    assert 'class="ref-doi" href="https://doi.org/10.1056/NEJMoa2117912"' in text


FIGURE = re.compile(r'<figure class="ev-figure[^"]*" id="([^"]+)"[^>]*>.*?</figure>', re.DOTALL)
FIGURE_CHAPTERS = ("diseases/dermatomyositis-polymyositis", "diseases/cutaneous-dermatomyositis",
                   "diseases/immune-mediated-necrotizing-myopathy", "diseases/inclusion-body-myositis",
                   "special-situations/dysphagia", "special-situations/interstitial-lung-disease",
                   "special-situations/calcinosis", "special-situations/pregnancy")


def test_evidence_page_and_every_disease_and_special_situation_chapter_have_a_figure(built):
    evidence = (built / "site" / "about" / "evidence-at-a-glance" / "index.html").read_text(encoding="utf-8")
    whole = FIGURE.search(evidence)
    assert whole and whole.group(1) == "evidence-figure"
    assert whole.group(0).count('<a href="../../references/#ref-') > 40
    assert "<details" in whole.group(0) and "<table>" in whole.group(0)  # the text alternative
    for name in FIGURE_CHAPTERS:
        text = (built / "site" / name / "index.html").read_text(encoding="utf-8")
        found = FIGURE.search(text)
        assert found and found.group(1) == "chapter-evidence", name
        assert text.index("Key points") < found.start() < text.index("<h2"), name  # after the Key points box
        svg = found.group(0)[found.group(0).index("<svg"):found.group(0).index("</svg>")]
        assert '<a href="../../references/#ref-' in svg and len(svg.encode()) < 30_000, name
    for name in ("practice/safety", "about/about"):
        assert "ev-figure" not in (built / "site" / name / "index.html").read_text(encoding="utf-8")


def test_built_captions_count_each_trial_once_and_never_claim_a_missing_trial(built):
    """Every figure caption in the built site counts distinct randomised trials (a trial's analyses
    are not trials), and no chapter whose text says no trial exists shows one in its caption."""
    from guide.html import evidence_pages
    from guide.sources.bib import load_store

    entries = load_store(built / "bib", built).by_key()
    evidence = evidence_pages.collect(built / "docs")
    pages_checked = 0
    for uri, keys in [*evidence.items(), ("about/evidence-at-a-glance.md", evidence_pages.all_evidence(evidence))]:
        page = built / "site" / uri.replace(".md", "") / "index.html"
        caption = re.search(r'<figcaption id="[^"]+">(.*?)</figcaption>', page.read_text(encoding="utf-8"), re.S)
        if caption is None:
            continue  # practice and background pages have no figure
        text = re.sub(r"<[^>]+>", "", html_unescape(caption.group(1)))
        figure = re.search(r"<figure class=\"ev-figure.*?</figure>", page.read_text(encoding="utf-8"), re.S).group(0)
        drawn = {int(n) for n in re.findall(r'#ref-(\d+)" aria-label', figure)}
        # Only the page's evidence table: never a study the page cites elsewhere, such as the
        # ProDERM safety analysis that every page with the rate card cites.
        assert drawn <= {entries[k].number for k in keys}, (uri, drawn - {entries[k].number for k in keys})
        trials = {k for k in keys if entries[k].get("design") == "rct" and "participants" in entries[k].fields
                  and "conditions" in entries[k].fields}
        expected = (f"{len(trials)} randomised trial" if trials else "no randomised trial")
        assert expected in text, (uri, text)
        pages_checked += 1
    assert pages_checked >= 9
    for uri in ("special-situations/pregnancy", "special-situations/calcinosis",
                "diseases/immune-mediated-necrotizing-myopathy", "special-situations/interstitial-lung-disease"):
        text = (built / "site" / uri / "index.html").read_text(encoding="utf-8")
        assert "no randomised trial" in re.search(r"<figcaption.*?</figcaption>", text, re.S).group(0), uri
    glance = (built / "site" / "about" / "evidence-at-a-glance" / "index.html").read_text(encoding="utf-8")
    assert "9 randomised trials, 3 secondary analyses of trials" in glance
