"""Print and the edges of the site, in Chromium: a printed funnel shows every section the page
shows, on two A4 sheets where its text allows and with no sheet left (nearly) blank, its running
text at 9 pt or more and its small print at 7.5 pt or more, badges no larger than headings; a journey
prints its diagram whole on the first sheet; the map's printed keys are 8 pt or more even scaled
to A4; the 404 page searches and leads back into the library; with JavaScript off no control that
needs it shows; an id in a comparison's address that names no funnel is named to the visitor.
Page counts go to test-artifacts/print-pages.json; a printed funnel's two sheets to
test-artifacts/screenshots/."""

from __future__ import annotations

import io
import json
import math
import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

import browser
from sites import REPO, load_bundled

LIBRARY = load_bundled()
ARTIFACTS = REPO / "test-artifacts"
SIZES = {390: 844, 1440: 900}
#: A4's printable area at the stylesheet's 8 mm margins, in CSS px (96 per inch).
A4_WIDTH, A4_HEIGHT = (210 - 16) / 25.4 * 96, (297 - 16) / 25.4 * 96
#: Two A4 sheets hold this much of a funnel's text at the print stylesheet's density, with some to
#: spare: three columns of 9 pt text with 7.5 pt notes, where two full sheets of the bundled funnels
#: that need a third hold 12,800 to 13,500 characters (a kit of many short lines, an email's, holds
#: fewer). A funnel with less must print on two.
TWO_SHEETS_OF_TEXT = 11_000
#: A full sheet holds about 6,500 characters: a funnel prints on no more sheets than its text needs
#: at 5,000 a sheet, and every sheet but its last carries at least this much of it (Chromium has
#: pushed a sheet's columns whole to the next sheet and left the first with only the title).
FULL_SHEET_FLOOR = 2_000
#: Running text on paper, and the small print (notes, a step's evidence and share, a material's
#: blanks, tables, badges), in points.
RUNNING_TEXT_PT, SMALL_PRINT_PT = 9, 7.5


def squashed(text: str) -> str:
    """Text without white space, ligatures spelled out: PDF text wraps and ligates freely."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def sheets(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [sheet.extract_text() for sheet in PdfReader(io.BytesIO(pdf)).pages]


def largest_type(pdf: bytes) -> float:
    """The size, in points on paper, of the largest text in ``pdf``."""
    from pypdf import PdfReader

    sizes: list[float] = []

    def visit(text, cm, tm, _font, size):
        if text.strip():
            sizes.append(size * math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1]))

    for sheet in PdfReader(io.BytesIO(pdf)).pages:
        sheet.extract_text(visitor_text=visit)
    return max(sizes)


def keep(path: Path) -> None:
    if os.environ.get("NOTES_SHOTS"):  # a copy for whoever reviews the change
        Path(os.environ["NOTES_SHOTS"]).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(os.environ["NOTES_SHOTS"]) / path.name)


# --- print -------------------------------------------------------------------------------------

SECTIONS = """() => [...document.querySelectorAll('article.fl-funnel h2')].filter(h => h.getClientRects().length).map(h => h.textContent.trim())"""
# Each item of the evidence list: its opening words and its links' words (print adds each address after its link).
BENCHMARK_ITEMS = """() => [...document.querySelectorAll('article.fl-funnel .fl-step-benchmarks li')].map(li =>
  [li.textContent.trim().slice(0, 40), ...[...li.querySelectorAll('a')].map(a => a.textContent.trim())])"""
BADGES_AND_HEADINGS = """() => {
  const size = e => parseFloat(getComputedStyle(e).fontSize);
  const shown = [...document.querySelectorAll('article.fl-funnel :is(h1, h2, h3)')].filter(e => e.getClientRects().length);
  return {badge: Math.max(...[...document.querySelectorAll('article.fl-funnel .fl-badge')].filter(e => e.getClientRects().length).map(size)),
          heading: Math.min(...shown.map(size))};
}"""
# Every piece of text the printed article shows, outside the diagram: the smallest size (pt) of the
# running text and of the small print, with the words set in it; and the title's size.
TYPE_SIZES = """() => {
  const small = '.fl-badge, .fl-step__evidence, .fl-step__meta, .fl-note, .fl-material__kind, .fl-material__vars, .fl-results__lead, .fl-report__context, table';
  const article = document.querySelector('article.fl-funnel');
  const found = {running: [99, ''], small: [99, '']};
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement, style = getComputedStyle(element);
    if (!node.textContent.trim() || element.closest('svg') || !element.getClientRects().length || style.visibility === 'hidden') continue;
    const pt = parseFloat(style.fontSize) * 0.75, kind = element.closest(small) ? 'small' : 'running';
    if (pt < found[kind][0]) found[kind] = [pt, node.textContent.trim().slice(0, 40)];
  }
  return {...found, title: parseFloat(getComputedStyle(article.querySelector('h1')).fontSize) * 0.75};
}"""


@pytest.fixture(scope="module")
def printed(chromium, site_url):
    """Every funnel page printed to A4: {id: (sheets' text, sections, benchmark items, badge and
    heading sizes, type sizes, the largest type on paper)}."""
    context = chromium.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    result, pdfs = {}, {}
    for funnel in LIBRARY.funnels:
        page.goto(f"{site_url}funnels/{funnel.id}/")
        page.wait_for_load_state("networkidle")
        pdf = page.pdf(format="A4")
        page.emulate_media(media="print")
        result[funnel.id] = (
            sheets(pdf),
            page.evaluate(SECTIONS),
            page.evaluate(BENCHMARK_ITEMS),
            page.evaluate(BADGES_AND_HEADINGS),
            page.evaluate(TYPE_SIZES),
            largest_type(pdf),
        )
        page.emulate_media(media=None)  # back to the page's own media: "screen" would print as on screen
        pdfs[funnel.id] = pdf
    context.close()
    # For whoever reviews the print: the first funnel whose text fits two sheets (else the first).
    shown = next((k for k, v in result.items() if sum(map(len, v[0])) <= TWO_SHEETS_OF_TEXT), LIBRARY.funnels[0].id)
    (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "printed-funnel.pdf").write_bytes(pdfs[shown])
    for old in (ARTIFACTS / "screenshots").glob("printed-funnel-page-*.png"):
        old.unlink()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "print-pages.json").write_text(json.dumps({k: len(v[0]) for k, v in result.items()}, indent=1))
    return result


def test_a_printed_funnel_shows_every_section_and_its_evidence_list(printed):
    for funnel_id, (pages, sections, benchmarks, *_) in printed.items():
        text = squashed("".join(pages))
        assert sections, funnel_id
        for heading in sections:
            assert squashed(heading) in text, (funnel_id, heading)
        for words in benchmarks:  # the list the sentence ending "to compare with:" introduces
            assert all(squashed(part) in text for part in words), (funnel_id, words)
        if benchmarks:
            after = text.split(squashed("to compare with:"), 1)
            assert len(after) == 2 and after[1].startswith(squashed(benchmarks[0][0])[:20]), funnel_id


def test_a_printed_funnel_fits_two_a4_sheets_where_its_text_allows_and_wastes_none(printed):
    counts = {}
    for funnel_id, (pages, *_) in printed.items():
        chars = sum(len(page) for page in pages)
        counts[funnel_id] = (len(pages), chars)
        if chars <= TWO_SHEETS_OF_TEXT:
            assert len(pages) <= 2, (funnel_id, len(pages), chars)
        assert len(pages) <= max(2, math.ceil(chars / 5000)), (funnel_id, len(pages), chars)  # no near-empty sheets
        assert all(len(page) >= FULL_SHEET_FLOOR for page in pages[:-1]), (funnel_id, [len(p) for p in pages])
        assert squashed(pages[-1]), (funnel_id, "a blank last sheet")
    print("\nA4 sheets per funnel:", {k: v[0] for k, v in counts.items()})


def test_printed_badges_are_no_larger_than_headings(printed):
    for funnel_id, (*_, sizes, _type, _largest) in printed.items():
        assert sizes["badge"] <= sizes["heading"], (funnel_id, sizes)


def test_printed_running_text_is_9pt_or_more_and_small_print_7_5pt_or_more(printed):
    for funnel_id, (*_, sizes, largest) in printed.items():
        assert sizes["running"][0] >= RUNNING_TEXT_PT, (funnel_id, sizes)
        assert sizes["small"][0] >= SMALL_PRINT_PT, (funnel_id, sizes)
        # printed at full size: Chromium shrinks a sheet whose content is wider than it, type and all
        assert largest == pytest.approx(sizes["title"], abs=0.05), (funnel_id, largest, sizes)


def test_screenshot_of_a_printed_funnel(printed):
    pdf = ARTIFACTS / "printed-funnel.pdf"
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed: the PDF is at test-artifacts/printed-funnel.pdf")
    from pypdf import PdfReader

    for number in range(1, len(PdfReader(pdf).pages) + 1):
        out = ARTIFACTS / "screenshots" / f"printed-funnel-page-{number}"
        subprocess.run(
            ["pdftoppm", "-r", "110", "-f", str(number), "-l", str(number), "-singlefile", "-png", str(pdf), str(out)],
            check=True,
        )
        png = out.with_suffix(".png")
        assert png.stat().st_size > 20_000
        keep(png)


def test_a_journey_prints_its_diagram_whole_on_the_first_sheet(chromium, site_url):
    context = chromium.new_context(viewport={"width": round(A4_WIDTH), "height": 900})
    page = context.new_page()
    for journey in LIBRARY.journeys:
        page.goto(f"{site_url}journeys/{journey.id}/")
        page.wait_for_load_state("networkidle")
        first = squashed(sheets(page.pdf(format="A4"))[0])
        page.emulate_media(media="print")
        svg = page.locator("figure.fl-diagram svg.fl-diagram-svg")
        labels = svg.evaluate("s => [...s.querySelectorAll('g.fl-node')].map(g => g.textContent)")
        assert labels and all(squashed(label) in first for label in labels), journey.id
        box = svg.bounding_box()
        top = page.locator("article.fl-journey").bounding_box()["y"]
        assert box["y"] + box["height"] - top <= A4_HEIGHT, (journey.id, box)  # all of it on the first sheet
        assert box["width"] <= A4_WIDTH + 1, (journey.id, box)
        page.emulate_media(media=None)
    context.close()


def test_the_printed_map_keys_are_8pt_or_more_on_its_poster_and_on_a4(chromium, site_url):
    from pypdf import PdfReader

    page = browser.open_page(chromium, site_url + "library/map/", width=1440, height=900)
    keys = [
        squashed(text)
        for text in page.eval_on_selector_all(".fl-map-page .fl-legend li", "ls => ls.map(l => l.textContent)")
    ]
    assert keys
    for options in ({"prefer_css_page_size": True}, {"format": "A4"}):
        sizes: list[float] = []

        def visit(text, cm, tm, _font, size, sizes=sizes):
            if squashed(text) in keys:  # a whole key's words (a diagram label may share some of them)
                sizes.append(size * math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1]))

        PdfReader(io.BytesIO(page.pdf(**options))).pages[0].extract_text(visitor_text=visit)
        assert len(sizes) >= len(keys) and min(sizes) >= 8, (options, sizes)
    page.context.close()


# --- the 404 page ------------------------------------------------------------------------------


@pytest.mark.parametrize("width", list(SIZES))
def test_the_404_page_searches_and_leads_back_into_the_library(chromium, site_url, built_site, width):
    from sites import parse_html

    page = browser.open_page(chromium, site_url + "404.html", width=width, height=SIZES[width])
    assert page.locator("h1").inner_text() == "Page not found"
    links = parse_html(built_site / "404.html").select("article.fl-not-found ul.fl-not-found__links a")
    texts = [a.get_text() for a in links]
    assert "Every funnel in the library" in texts and len(links) >= 5
    for link in links:  # each leads to a page the site has
        response = page.request.get(page.evaluate("h => new URL(h, location.href).href", link["href"]))
        assert response.ok, link["href"]
    field = page.locator("#fl-not-found-q")
    assert field.is_visible() and page.locator(".fl-not-found__no-js").is_hidden()
    field.fill("referral")
    field.press("Enter")
    header = page.locator("form[data-fl-search] input[name='q']")
    page.wait_for_function(
        "() => document.activeElement === document.querySelector(\"form[data-fl-search] input[name='q']\")"
    )
    assert header.input_value() == "referral" and header.is_visible()
    assert page.errors == []
    page.context.close()


def test_the_404_page_without_javascript_says_search_needs_it_and_keeps_its_links(chromium, site_url):
    page = browser.open_page(chromium, site_url + "404.html", width=390, height=844, java_script_enabled=False)
    assert page.locator(".fl-not-found__search").is_hidden()
    assert page.locator(".fl-not-found__no-js").is_visible()
    assert page.locator(".fl-not-found__links a").first.is_visible()
    page.context.close()


# --- JavaScript off ------------------------------------------------------------------------------

CONTROLS = """() => [...document.querySelectorAll('.md-content :is(input, button, select, textarea, summary)')]
  .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden').map(e => e.outerHTML.slice(0, 80))"""


def test_without_javascript_no_control_that_needs_it_shows(chromium, site_url):
    """Planner, filters, sort, compare boxes, diagram toolbar, map focus, materials fill-in, the
    404 search: none shows with scripts off; the planner says what it needs instead."""
    funnel = max(LIBRARY.funnels, key=lambda f: len(f.materials))
    pages = ["library/", "library/compare/", "library/map/", "library/circles/", f"funnels/{funnel.id}/", "404.html"]
    pages += [f"journeys/{journey.id}/" for journey in LIBRARY.journeys[:1]]
    for width, height in SIZES.items():
        context = chromium.new_context(java_script_enabled=False, viewport={"width": width, "height": height})
        page = context.new_page()
        for path in pages:
            page.goto(site_url + path)
            assert page.evaluate(CONTROLS) == [], (path, width)
            if path.startswith(("funnels/", "journeys/")):
                note = page.locator(".fl-calculator__no-js")
                assert note.is_visible() and "needs JavaScript" in note.inner_text(), path
        context.close()


def test_with_javascript_the_planner_note_is_gone(chromium, site_url):
    page = browser.open_page(chromium, site_url + f"funnels/{LIBRARY.funnels[0].id}/", width=390, height=844)
    assert page.locator(".fl-calculator__no-js").is_hidden() and page.locator("form.fl-calculator").is_visible()
    page.context.close()


# --- compare: ids that name no funnel ------------------------------------------------------------


def test_an_unknown_compare_id_alone_is_named_and_stays_in_the_address(chromium, site_url):
    page = browser.open_page(chromium, site_url + "library/compare/?f=no-such-funnel", width=390, height=844)
    page.wait_for_selector(".fl-compare__empty >> text=No funnel")
    assert page.inner_text(".fl-compare__empty").startswith("No funnel \u201cno-such-funnel\u201d in the library.")
    assert page.url.endswith("?f=no-such-funnel")
    assert page.errors == []
    page.context.close()


def test_a_compare_id_that_is_no_id_at_all_is_named_as_text(chromium, site_url):
    a, b = (f.id for f in LIBRARY.funnels[:2])
    page = browser.open_page(
        chromium, site_url + f"library/compare/?f=Not%20An%20Id,{a},%3Cb%3Ex%3C%2Fb%3E,{b}", width=1440, height=900
    )
    page.wait_for_selector(".fl-compare__grid")
    note = page.inner_text(".fl-compare__rejected")
    assert note == "Not a funnel id, left out of the comparison: \u201cNot An Id\u201d, \u201c<b>x</b>\u201d."
    assert page.locator(".fl-compare b").count() == 0  # named as text, never as markup
    assert page.url.endswith(f"?f={a},{b}")
    assert page.errors == []
    page.context.close()
