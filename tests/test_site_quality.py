"""The built site checked by outside tools: axe-core in Chromium, the Nu Html Checker, linkinator,
print to PDF, and screenshots saved for people to look at.

axe, the Nu Html Checker and linkinator check two sites: this repository's, and the one a team
starts with `funnel-library init` (its own settings, only the plugin's templates, no hand-written
pages but the contributor guide)."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import unicodedata

import pytest

from funnel_library.core.library import load_library
from sites import REPO, load_bundled
from tools import java, node, node_package

LIBRARY = load_bundled()
ARTIFACTS = REPO / "test-artifacts" / "screenshots"


def pages_of(library) -> dict[str, str]:
    """One page of each type, by its address in the site; a funnel with result reports (their
    tables and forest plots) too, when the library has one."""
    pages = {
        "home": "",
        "library home": "library/",
        "type index": "library/sales-conversion/",
        "funnel": f"funnels/{library.funnels[0].id}/",
        "journey": f"journeys/{library.journeys[0].id}/",
        "map": "library/map/",
        "circles": "library/circles/",
        "coverage": "library/coverage/",
    }
    reported = [funnel for funnel in library.funnels if library.reports_for(funnel.id)]
    if reported:
        pages["funnel with reports"] = f"funnels/{reported[0].id}/"
    return pages


PAGES = pages_of(LIBRARY)
# Phone, tablet and desktop widths. Material shows its header tabs only from 1220 px.
WIDTHS = {390: 844, 768: 1024, 1440: 900}


def use_dark_palette(page) -> None:
    """Switch with Material's own palette toggle, as a visitor does."""
    page.click("form[data-md-component=palette] label:visible")
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")


# --- the two sites -----------------------------------------------------------------------

SITES = ["this repository", "init"]


@pytest.fixture(scope="module")
def starter_url(starter_site):
    from browser import StaticServer

    server = StaticServer(starter_site)
    yield server.url
    server.close()


def site_of(request, name: str):
    """The built site called ``name``: its folder, its library and, when ``served``, its address."""
    if name == "this repository":
        return request.getfixturevalue("built_site"), LIBRARY
    site = request.getfixturevalue("starter_site")
    return site, load_library(site.parent / "library", display_base=site.parent)


def served(request, name: str) -> tuple[str, dict[str, str]]:
    _, library = site_of(request, name)
    url = request.getfixturevalue("site_url" if name == "this repository" else "starter_url")
    return url, pages_of(library)


# --- accessibility: axe-core --------------------------------------------------------------


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(node_package("axe-core") / "axe.min.js"))
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
        }"""
    )


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("palette", ["light", "dark"])
@pytest.mark.parametrize("site", SITES)
def test_axe_finds_no_serious_or_critical_violations_at_every_width(request, chromium, site, palette, width):
    """Every page type, at phone, tablet and desktop width, in both palettes, once the page has
    settled; and no page's script fails on the way."""
    url, pages = served(request, site)
    context = chromium.new_context(viewport={"width": width, "height": WIDTHS[width]}, color_scheme=palette)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        found = {}
        for name, path in pages.items():
            page.goto(url + path, wait_until="networkidle")
            assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == (
                "slate" if palette == "dark" else "default"
            )
            serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
            if serious:
                found[name] = serious
        assert found == {}, json.dumps(found, indent=2)
        assert errors == []
    finally:
        context.close()


def test_axe_really_reports_a_serious_violation(browser_page, site_url):
    page = browser_page
    page.goto(site_url + PAGES["funnel"])
    page.evaluate(
        "document.querySelector('.fl-calculator input').removeAttribute('id')"
    )  # its label no longer names it
    found = {v["id"] for v in axe_violations(page) if v["impact"] in ("serious", "critical")}
    assert "label" in found


# --- HTML validity: the Nu Html Checker ------------------------------------------------

# Findings in Material's own markup, which our templates do not produce. Each is listed with why it
# is accepted; anything else fails the test.
MATERIAL_FINDINGS: list[tuple[str, str]] = [
    (
        r"^Attribute “autocomplete” is only allowed when the input type is",
        (
            "Material's drawer and search toggles are checkboxes with autocomplete=off (base.html), to stop "
            "browsers restoring their state."
        ),
    ),
    (
        r"^Bad value “” for attribute “tabindex” on element “label”",
        'Material\'s navigation renders tabindex="" on section labels (partials/nav-item.html).',
    ),
    (
        r"^The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control",
        (
            "Material's table-of-contents title is a label for the __toc toggle, which it only renders for "
            "pages in the navigation; funnel pages are kept out of it on purpose (partials/toc.html)."
        ),
    ),
]


def nu_html_checker(*paths) -> list[dict]:
    jar = node_package("vnu-jar") / "build" / "dist" / "vnu.jar"
    result = subprocess.run(
        [java(), "-jar", str(jar), "--format", "json", "--errors-only", "--skip-non-html", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(result.stderr or '{"messages": []}')
    return [m for m in report["messages"] if m.get("type") == "error" or m.get("subType") == "fatal"]


def accepted(message: dict) -> bool:
    return any(re.search(pattern, message["message"]) for pattern, _reason in MATERIAL_FINDINGS)


@pytest.mark.parametrize("site", SITES)
def test_the_nu_html_checker_finds_no_errors_in_any_generated_page(request, site):
    built_site, library = site_of(request, site)
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) >= len(library.funnels) + len(library.journeys) + 5
    errors = [m for m in nu_html_checker(*pages) if not accepted(m)]
    report = [f"{m['url'].split('/site/')[-1]}:{m.get('lastLine')}: {m['message']}" for m in errors]
    assert report == []


def test_the_nu_html_checker_really_reports_errors(tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text(
        "<!doctype html><html lang=en><title>x</title><p><div>block in a paragraph</p></div><span id=a></span><span id=a></span>"
    )
    messages = [m["message"] for m in nu_html_checker(broken)]
    assert any("Duplicate ID" in m for m in messages), messages


# --- links: linkinator -----------------------------------------------------------------


def linkinator(site) -> list[dict]:
    """Every link and anchor of ``site``, crawled from its home page by linkinator's own server."""
    cli = node_package("linkinator") / "build" / "src" / "cli.js"
    result = subprocess.run(
        [
            node(),
            str(cli),
            str(site),
            "--recurse",
            "--check-fragments",
            "--format",
            "json",
            # Only the site itself: the machine has no network, and the configured site_url (canonical links) is not served here.
            "--skip",
            r"^(?!http://localhost:)",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=site,
    )
    assert result.stdout, result.stderr
    return json.loads(result.stdout)["links"]


@pytest.mark.parametrize("site", SITES)
def test_every_internal_link_and_anchor_resolves(request, site):
    built_site, library = site_of(request, site)
    links = linkinator(built_site)
    checked = [link for link in links if link["state"] != "SKIPPED"]
    broken = [f"{link['parent']} -> {link['url']} ({link['status']})" for link in checked if link["state"] == "BROKEN"]
    assert broken == []
    # The crawl reached every page a visitor can reach: every funnel, journey, index and download.
    # (linkinator lists a working link once, without its #fragment; the test below shows it
    # checks fragments, the diagrams' step links among them.)
    urls = {link["url"].rstrip("/") for link in checked}
    expected = [f"funnels/{f.id}" for f in library.funnels] + [f"diagrams/{f.id}.svg" for f in library.funnels]
    expected += [f"journeys/{j.id}" for j in library.journeys]
    expected += [
        f"library/{t}"
        for t in ("lead-generation", "sales-conversion", "customer-success", "map", "circles", "coverage", "journeys")
    ]
    assert [path for path in expected if not any(u == path or u.endswith("/" + path) for u in urls)] == []


def test_linkinator_really_reports_a_broken_anchor_and_a_missing_page(tmp_path, built_site):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    page = site / "funnels" / LIBRARY.funnels[0].id / "index.html"
    html = page.read_text(encoding="utf-8")
    html = html.replace('href="#step-', 'href="#no-such-step-', 1).replace(
        "</article>", '<a href="../no-such-funnel/">gone</a></article>', 1
    )
    page.write_text(html, encoding="utf-8")
    broken = [link["url"] for link in linkinator(site) if link["state"] == "BROKEN"]
    assert any("#no-such-step-" in u for u in broken), broken
    assert any(u.endswith("/funnels/no-such-funnel/") for u in broken), broken


# --- print ------------------------------------------------------------------------------------


def pdf_pages(pdf: bytes):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(pdf)).pages


def squashed(text: str) -> str:
    """Text without white space, ligatures (ﬁ) spelled out: PDF text wraps and ligates freely."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_every_funnel_page_prints_its_recipe_first_and_measured_results_on_a_sheet_of_their_own(
    browser_page, site_url, paper
):
    from funnel_library.core.forecast import forecast

    page = browser_page
    for funnel in LIBRARY.funnels:
        page.goto(f"{site_url}funnels/{funnel.id}/")
        pages = pdf_pages(page.pdf(format=paper))
        # The whole kit prints (tests/test_materials_site.py checks every material is there); a
        # tested funnel's measured results start a sheet of their own.
        sheets = [squashed(sheet.extract_text()) for sheet in pages]
        if LIBRARY.reports_for(funnel.id):
            assert any(sheet.startswith(squashed("Measured results")) for sheet in sheets[1:]), funnel.id
        text = "".join(sheets)
        reach_goal = f"{forecast(1000, funnel.conversions)[-1]:,}"
        for expected in [funnel.title, funnel.goal, reach_goal, *(step.name for step in funnel.steps)]:
            assert squashed(expected) in text, (funnel.id, expected)


def test_print_leaves_out_navigation_header_search_and_the_calculator(browser_page, site_url):
    page = browser_page
    page.goto(site_url + PAGES["funnel"])
    page.emulate_media(media="print")
    for hidden in [
        ".md-header",
        ".md-sidebar--primary",
        ".md-sidebar--secondary",
        ".md-search",
        ".md-footer",
        ".fl-calculator",
        ".fl-downloads",
    ]:
        assert not page.locator(hidden).first.is_visible(), hidden
    for shown in [
        "h1",
        ".fl-badges",
        ".fl-goal",
        "figure.fl-diagram svg.fl-diagram-svg",
        ".fl-steps",
        ".fl-metrics table",
    ]:
        assert page.locator(shown).first.is_visible(), shown
    diagram = page.locator("figure.fl-diagram svg.fl-diagram-svg").bounding_box()
    content = page.locator("article.fl-funnel").bounding_box()
    column = page.locator("figure.fl-diagram").bounding_box()  # below its title the page prints in two columns
    assert diagram["width"] < 0.9 * content["width"]  # this page's diagram is narrower than the sheet ...
    assert column["x"] <= diagram["x"] and diagram["x"] + diagram["width"] <= column["x"] + column["width"] + 1
    left, right = diagram["x"] - column["x"], (column["x"] + column["width"]) - (diagram["x"] + diagram["width"])
    assert left == pytest.approx(right, abs=2)  # ... and centred in its column


def test_the_map_prints_as_a_poster_on_one_large_sheet(browser_page, site_url, built_site):
    from sites import parse_html

    orientation = parse_html(built_site / "library" / "map" / "index.html").select_one("article.fl-map-page")[
        "data-poster"
    ]
    page = browser_page
    page.goto(site_url + PAGES["map"])
    pages = pdf_pages(page.pdf(prefer_css_page_size=True))
    assert len(pages) == 1
    width, height = (float(v) for v in pages[0].mediabox.upper_right)
    a2 = sorted((420 / 25.4 * 72, 594 / 25.4 * 72))  # millimetres to points
    expected = (a2[1], a2[0]) if orientation == "landscape" else (a2[0], a2[1])
    assert (width, height) == pytest.approx(expected, abs=2)
    text = squashed(pages[0].extract_text())
    used = {f.input for f in LIBRARY.funnels} | {f.output for f in LIBRARY.funnels}
    for stage in LIBRARY.stages:
        if stage.id in used:
            assert squashed(stage.name) in text, stage.id
    for funnel in LIBRARY.funnels:
        assert squashed(funnel.title) in text, funnel.id
    assert "Allmoves" not in text  # the poster is the map; the list stays on screen
    page.emulate_media(media="print")
    figure = page.locator("figure.fl-map svg.fl-diagram-svg").bounding_box()
    body = page.locator(".md-content").bounding_box()
    assert figure["width"] >= 0.9 * body["width"]


# --- screenshots for people -------------------------------------------------------------------


def luminance(png: bytes, box: tuple[int, int, int, int]) -> float:
    from PIL import Image, ImageStat

    return ImageStat.Stat(Image.open(io.BytesIO(png)).convert("L").crop(box)).mean[0]


@pytest.mark.parametrize(
    "name, palette",
    [("home", "light"), ("type index", "light"), ("funnel", "light"), ("map", "light"), ("funnel", "dark")],
)
def test_screenshots_are_saved_as_artifacts(browser_page, site_url, name, palette):
    from PIL import Image

    page = browser_page
    page.goto(site_url + PAGES[name])
    if palette == "dark":
        use_dark_palette(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name.replace(' ', '-')}-{palette}.png"
    png = page.screenshot(path=str(path), full_page=True)
    assert path.read_bytes() == png
    image = Image.open(path)
    assert image.width == 1200 and image.height >= 900
    # The content area is the palette's background: light in light mode, dark in slate.
    content = page.locator(".md-content").bounding_box()
    box = (
        int(content["x"]),
        int(content["y"]),
        int(content["x"] + content["width"]),
        int(content["y"] + min(content["height"], 600)),
    )
    assert luminance(png, box) > 180 if palette == "light" else luminance(png, box) < 80
    assert page.errors == []
