"""Compare: tick funnels on the cards, then see them side by side on a page whose address holds the choice."""

from __future__ import annotations

import pytest

from browser import open_page
from funnel_library.core.forecast import forecast
from funnel_library.rendering.labels import percent
from sites import REPO, load_bundled

LIBRARY = load_bundled()
ARTIFACTS = REPO / "test-artifacts" / "screenshots"
SIZES = {"phone": (390, 844), "desktop": (1440, 900)}


def titles_in_grid(page) -> list[str]:
    return page.eval_on_selector_all(".fl-compare__cell--title h2", "hs => hs.map(h => h.textContent)")


DIAGRAMS = """() => [...document.querySelectorAll('.fl-compare__svg')].map(svg => {
  const labels = [...svg.querySelectorAll('text')].map(t => {
    const m = t.getScreenCTM();
    return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
  });
  const frame = svg.parentNode;
  return {smallest: Math.min(...labels), largest: Math.max(...labels), width: svg.getBoundingClientRect().width,
          natural: parseFloat(svg.dataset.flWidth), frame: frame.clientWidth, reach: frame.scrollWidth,
          focusable: frame.tabIndex === 0, name: frame.getAttribute('aria-label')};
})"""


def assert_one_readable_scale(page) -> None:
    """Every column's diagram is drawn at the same scale, with no label under 12 px, as large as
    the widest allows; a diagram wider than its column scrolls in a frame the keyboard reaches."""
    drawn = page.evaluate(DIAGRAMS)
    # Every diagram labels its shares in the same type size, so one scale means equal labels.
    smallest = [d["smallest"] for d in drawn]
    assert max(smallest) - min(smallest) < 0.05, drawn
    scales = [d["width"] / d["natural"] for d in drawn]
    assert max(scales) - min(scales) < 0.005, drawn
    assert min(d["smallest"] for d in drawn) >= 11.99, drawn
    assert max(scales) <= 1.0001, drawn
    widest = max(drawn, key=lambda d: d["natural"])
    assert widest["width"] <= widest["frame"] + 0.5 or abs(widest["smallest"] - 12) < 0.05 or scales[0] > 0.9999, drawn
    for d in drawn:
        wide = d["width"] > d["frame"] + 0.5
        assert d["focusable"] == wide, d
        if wide:
            assert d["reach"] >= d["width"] - 0.5 and "scroll sideways" in d["name"], d


@pytest.mark.parametrize("size", SIZES)
def test_tick_three_cards_and_compare_them_side_by_side(chromium, site_url, size):
    width, height = SIZES[size]
    page = open_page(chromium, f"{site_url}library/", width=width, height=height)
    try:
        boxes = page.locator(".fl-compare-box")
        assert page.locator(".fl-compare-tray").is_hidden()
        picked = [boxes.nth(i).get_attribute("value") for i in (0, 5, 9)]
        boxes.nth(0).check()
        tray = page.locator(".fl-compare-tray")
        assert tray.is_visible() and page.locator(".fl-compare-tray__go").is_hidden()
        assert (
            page.locator(".fl-compare-tray__wait").is_disabled() and page.locator(".fl-compare-tray__wait").is_visible()
        )
        boxes.nth(5).check()
        go = page.locator(".fl-compare-tray__go")
        assert go.get_attribute("href").endswith(f"/library/compare/?f={picked[0]},{picked[1]}")
        box = tray.bounding_box()
        assert box["y"] + box["height"] <= height + 1 and box["height"] < 2 * 44.8, box  # one line, at the bottom
        boxes.nth(9).check()
        assert page.locator(".fl-compare-box:disabled").count() == boxes.count() - 3  # three is the most
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"compare-tray-{width}.png"))
        go.click()
        page.wait_for_url(f"**/library/compare/?f={','.join(picked)}")
        page.wait_for_selector(".fl-compare__grid")
        expected = [LIBRARY.funnel(funnel_id) for funnel_id in picked]
        assert titles_in_grid(page) == [f.title for f in expected]
        # Each column: the diagram, whose steps open the funnel's page; every step with owner, time and share; end to end; evidence.
        svgs = page.locator(".fl-compare__svg")
        assert svgs.count() == 3
        for index, funnel in enumerate(expected):
            links = svgs.nth(index).evaluate("svg => [...svg.querySelectorAll('a')].map(a => a.getAttribute('href'))")
            assert [link.split("/funnels/")[1] for link in links] == [f"{funnel.id}/#step-{s.id}" for s in funnel.steps]
            steps = (
                page.locator(".fl-compare__cell--steps")
                .nth(index)
                .evaluate(
                    "c => [...c.querySelectorAll('li')].map(li => [li.querySelector('strong').textContent, li.querySelector('.fl-compare__meta').textContent])"
                )
            )
            assert [name for name, _ in steps] == [s.name for s in funnel.steps]
            for (_, meta), step in zip(steps, funnel.steps):
                assert (
                    f"Owner: {step.owner}" in meta
                    and f"Takes: {step.duration}" in meta
                    and meta.endswith(f"{percent(step.conversion)} move on, counted when {step.moves_on_when}")
                )
            figures = page.locator(".fl-compare__cell--figures").nth(index).inner_text()
            assert (
                f"{forecast(1000, funnel.conversions)[-1]:,} reach the goal" in figures
                and percent(funnel.end_to_end) in figures
            )
            evidence = page.locator(".fl-compare__cell--evidence").nth(index).inner_text()
            assert ("Illustrative figures" in evidence) == (funnel.evidence.level == "illustrative")
        tops = page.eval_on_selector_all(
            ".fl-compare__cell--steps", "cells => cells.map(c => Math.round(c.getBoundingClientRect().top))"
        )
        if size == "desktop":
            assert_one_readable_scale(page)
            # Rows line up across columns: each row's cells start at the same height.
            assert len(set(tops)) == 1, tops
        else:
            # A phone stacks the funnels (tests/test_toolbar_and_sheet.py checks nothing scrolls
            # sideways): one scale still, each diagram fitted to the width.
            assert tops == sorted(tops) and len(set(tops)) == 3, tops
            drawn = page.evaluate(DIAGRAMS)
            scales = [d["width"] / d["natural"] for d in drawn]
            assert max(scales) - min(scales) < 0.005 and max(scales) <= 1.0001, drawn
            assert all(d["width"] <= d["frame"] + 0.5 and not d["focusable"] for d in drawn), drawn
        # Each funnel's title fits the screen.
        first = page.locator(".fl-compare__cell--title h2").first.bounding_box()
        assert first["x"] >= 0 and first["x"] + first["width"] <= width
        page.screenshot(path=str(ARTIFACTS / f"compare-{width}.png"), full_page=True)
        assert page.errors == []
    finally:
        page.context.close()


def test_the_address_holds_the_choice_and_remove_updates_it(chromium, site_url):
    a, b, c = (f.id for f in LIBRARY.funnels[:3])
    page = open_page(chromium, f"{site_url}library/compare/?f={a},{b},{c}", width=1440, height=900)
    try:
        page.wait_for_selector(".fl-compare__grid")
        assert titles_in_grid(page) == [LIBRARY.funnel(x).title for x in (a, b, c)]
        page.locator(".fl-compare__remove").nth(1).click()
        page.wait_for_function("n => document.querySelectorAll('.fl-compare__cell--title').length === n", arg=2)
        assert page.url.endswith(f"/library/compare/?f={a},{c}")
        page.locator(".fl-compare__remove").first.click()
        assert page.url.endswith(f"/library/compare/?f={c}")
        assert "Tick one or two more" in page.inner_text(".fl-compare")
        # The choice carries over to the library's boxes in this tab.
        page.goto(f"{site_url}library/")
        assert page.locator(f".fl-compare-box[value='{c}']").is_checked()
    finally:
        page.context.close()


def test_unknown_and_malformed_ids_are_named_as_text_or_dropped(chromium, site_url):
    known = LIBRARY.funnels[0]
    page = open_page(
        chromium, f"{site_url}library/compare/?f=%3Cimg%20src%3Dx%3E,no-such-funnel,{known.id}", width=1440, height=900
    )
    try:
        page.wait_for_selector(".fl-compare__grid")
        cells = page.eval_on_selector_all(".fl-compare__cell--title", "cs => cs.map(c => c.textContent)")
        assert len(cells) == 2
        assert (
            "No funnel \u201cno-such-funnel\u201d in the library. Pick another in the library" in cells[0]
            and known.title in cells[1]
        )
        assert page.locator(".fl-compare img").count() == 0
        assert page.url.endswith(f"?f=no-such-funnel,{known.id}")
        assert page.errors == []
    finally:
        page.context.close()


def test_without_javascript_the_page_says_what_to_do_and_cards_have_no_box(chromium, site_url):
    page = open_page(chromium, f"{site_url}library/compare/", width=390, height=844, java_script_enabled=False)
    try:
        assert page.locator(".fl-compare__no-js").is_visible()
        assert page.locator(".fl-compare__how").is_hidden()
        page.goto(f"{site_url}library/")
        assert page.locator(".fl-compare-box").first.is_hidden()
    finally:
        page.context.close()


def test_a_choice_with_no_known_funnel_says_so_once_and_leads_back(chromium, site_url):
    page = open_page(chromium, f"{site_url}library/compare/?f=gone-funnel,renamed-funnel", width=390, height=844)
    try:
        page.wait_for_selector(".fl-compare__empty >> text=None of these funnels")
        assert page.locator(".fl-compare__grid").count() == 0
        message = page.inner_text(".fl-compare__empty")
        assert "gone-funnel, renamed-funnel" in message
        back = page.locator(".fl-compare__empty a")
        assert back.get_attribute("href") and page.evaluate("a => a.href", back.element_handle()).endswith("/library/")
        assert page.errors == []
    finally:
        page.context.close()


def test_a_comparison_prints_every_column_whole(chromium, site_url):
    """On paper the columns fit the sheet: every funnel's title, goal, steps and end-to-end figure
    are in the PDF's text (a grid that scrolls on screen would cut the last column off), and the
    page's controls are not."""
    from test_site_quality import pdf_pages, squashed

    funnels = [LIBRARY.funnels[i] for i in (0, 8, 16)]
    page = open_page(
        chromium, f"{site_url}library/compare/?f={','.join(f.id for f in funnels)}", width=1440, height=900
    )
    try:
        page.wait_for_selector(".fl-compare__grid")
        sheets = pdf_pages(page.pdf(format="A4"))
        text = squashed("".join(sheet.extract_text() for sheet in sheets))
        for funnel in funnels:
            for expected in (
                funnel.title,
                funnel.goal,
                *(step.name for step in funnel.steps),
                f"End-to-end conversion: {percent(funnel.end_to_end)}",
            ):
                assert squashed(expected) in text, (funnel.id, expected)
        assert "Remove" not in text and "Tick" not in text
        assert len(sheets) <= 3
    finally:
        page.context.close()


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_a_funnel_page_adds_itself_to_the_comparison_and_the_bar_reads(chromium, site_url, palette):
    """A visitor who reached a funnel from search ticks Compare on its page, then on another one;
    the bar at the foot of the page links to both side by side, its buttons legible in both palettes."""
    from test_focus_and_narrow import contrast, rgb

    first, second = LIBRARY.funnels[2], LIBRARY.funnels[11]
    page = open_page(chromium, f"{site_url}funnels/{first.id}/", width=390, height=844, palette=palette)
    try:
        box = page.locator(".fl-funnel__compare input")
        assert box.get_attribute("aria-label") == f"Compare {first.title} with other funnels"
        assert box.bounding_box()["y"] < 844 * 1.5  # near the top, before the diagram
        box.check()
        assert page.locator(".fl-compare-tray__wait").is_visible()
        page.goto(f"{site_url}funnels/{second.id}/")
        page.locator(".fl-funnel__compare input").check()
        go = page.locator(".fl-compare-tray__go")
        assert go.get_attribute("href").endswith(f"/library/compare/?f={first.id},{second.id}")
        for button in (go, page.locator(".fl-compare-tray__clear")):
            colours = button.evaluate(
                "b => { const s = getComputedStyle(b); let bg = s.backgroundColor, el = b;"
                " while (rgbaZero(bg) && el.parentElement) { el = el.parentElement; bg = getComputedStyle(el).backgroundColor; }"
                " return [s.color, bg]; function rgbaZero(c) { return /rgba\\(.*, 0\\)$/.test(c) || c === 'transparent'; } }"
            )
            assert contrast(rgb(colours[0]), rgb(colours[1])) >= 4.5, (palette, colours)
        go.click()
        page.wait_for_selector(".fl-compare__grid")
        assert titles_in_grid(page) == [first.title, second.title]
        assert page.errors == []
    finally:
        page.context.close()
