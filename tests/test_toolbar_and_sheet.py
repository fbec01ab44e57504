"""The diagram toolbar, the filter sheet, the wide filter panel and compare on a phone, in Chromium
at 390×844 and 1440×900, measured as a visitor meets them: the toolbar is one row of 44 px icon
buttons, each shown button changes what the visitor sees and each hidden one would not; the
filter sheet opens, counts, traps focus, closes by Escape, Close and "Show N results" (landing
on the first result); the wide panel never hides its own controls; compare at 390 scrolls
nowhere sideways. Screenshots go to test-artifacts/screenshots/ (and NOTES_SHOTS when set)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import browser
from sites import REPO, load_bundled

LIBRARY = load_bundled()
ARTIFACTS = REPO / "test-artifacts" / "screenshots"
SIZES = {390: 844, 1440: 900}
DIAGRAM_PAGES = (
    ["library/map/", "library/circles/"]
    + [f"journeys/{journey.id}/" for journey in LIBRARY.journeys]
    + [f"funnels/{funnel.id}/" for funnel in LIBRARY.funnels]
)
BUTTONS = ["out", "in", "fit", "actual", "full"]


def open_page(chromium, site_url, path, width, **context):
    return browser.open_page(chromium, site_url + path, width=width, height=SIZES[width], **context)


def save_screenshot(page, name: str, **options) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), **options)
    if os.environ.get("NOTES_SHOTS"):  # a copy for whoever reviews the change
        Path(os.environ["NOTES_SHOTS"]).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(os.environ["NOTES_SHOTS"]) / path.name)
    return path


# The diagram's drawn size.
DRAWN = "() => { const r = document.querySelector('.fl-viewport svg').getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; }"
# Whether the whole diagram fits its frame's width and the window's height.
WHOLE = """() => { const svg = document.querySelector('.fl-viewport svg').getBoundingClientRect();
  const frame = document.querySelector('.fl-viewport'); return svg.width <= frame.clientWidth + 1 && svg.height <= innerHeight; }"""
TOOLBAR = """t => ({height: t.getBoundingClientRect().height,
  buttons: [...t.querySelectorAll('button')].map(b => ({cls: b.className, hidden: b.hidden, shown: b.getClientRects().length > 0,
    box: b.getBoundingClientRect().toJSON(), name: b.getAttribute('aria-label'), title: b.title, tip: b.dataset.tip,
    icon: [...b.querySelectorAll('.fl-icon')].some(i => i.getClientRects().length && getComputedStyle(i).maskImage.startsWith('url("data:image/svg+xml')),
    svg: b.querySelector('svg') !== null, text: b.textContent.trim()}))})"""


# --- the toolbar ---------------------------------------------------------------------------


def state(page, keys) -> None:
    """The frame's keys pressed in turn ("1": 100%, "+": one step in), to reach a zoom level."""
    for key in keys:
        page.locator(".fl-viewport").first.evaluate(
            f"v => v.dispatchEvent(new KeyboardEvent('keydown', {{key: '{key}'}}))"
        )


@pytest.mark.parametrize("width", list(SIZES))
def test_the_toolbar_is_one_row_of_named_icon_buttons_each_of_which_changes_what_is_seen(chromium, site_url, width):
    """On every diagram of the site: the toolbar is at most 48 px tall; each shown button is a 44 px
    icon with a name and a tooltip; a shown zoom, fit or actual-size button changes the drawn size
    and a hidden one, pressed, would not, or only as a shown one does (Fit equal to Actual size
    is not shown); full screen shows
    only for a diagram that does not show whole, and then fills the window."""
    context = browser.open_page(chromium, site_url, width=width, height=SIZES[width]).context
    page = context.pages[0]
    shown_anywhere: set[str] = set()
    for path in DIAGRAM_PAGES:
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
        page.locator("figure.fl-diagram").first.scroll_into_view_if_needed()
        tools = page.locator(".fl-viewer-tools").first.evaluate(TOOLBAR)
        assert tools["height"] <= 48, (path, tools["height"])
        rows = {round(b["box"]["y"]) for b in tools["buttons"] if b["shown"]}
        assert len(rows) == 1, (path, rows)  # one row
        for button in tools["buttons"]:
            assert button["hidden"] == (not button["shown"]), (path, button)
            assert button["name"] and button["title"].startswith(button["name"]) and button["tip"], (path, button)
            # an icon drawn by the stylesheet (no <svg> joins the diagram's figure), no words
            assert (button["icon"] or not button["shown"]) and not button["svg"] and button["text"] == "", (
                path,
                button,
            )
            if button["shown"]:
                assert button["box"]["width"] >= 44 and button["box"]["height"] >= 44, (path, button)
        shown = {b["cls"].removeprefix("fl-viewer-tools__") for b in tools["buttons"] if b["shown"]}
        shown_anywhere |= shown
        # Zoom out, zoom in, fit, actual size, each from 100% and from one step in: a shown button
        # changes the drawn size, a hidden one (pressed all the same) does not.
        for keys in (["1"], ["1", "+"]):
            for name in BUTTONS[:4]:
                state(page, keys)
                now = set(
                    page.eval_on_selector_all(
                        ".fl-viewer-tools button:not([hidden])", "bs => bs.map(b => b.classList[0])"
                    )
                )
                before = page.evaluate(DRAWN)
                page.locator(f".fl-viewer-tools__{name}").first.evaluate("b => b.click()")
                after = page.evaluate(DRAWN)
                if f"fl-viewer-tools__{name}" in now:
                    assert after != before, (path, width, keys, name)
                elif after != before:  # hidden, yet it changes the size: only as a shown button already does
                    same = []
                    for other in sorted(now):
                        state(page, keys)
                        page.locator(f".{other}").first.evaluate("b => b.click()")
                        same.append(page.evaluate(DRAWN) == after)
                    assert any(same), (path, width, keys, name, now)
        page.reload()
        page.wait_for_load_state("networkidle")
        page.locator("figure.fl-diagram").first.scroll_into_view_if_needed()
        if "full" in shown:  # the diagram does not show whole: full screen fills the window with it
            page.locator(".fl-viewer-tools__full").first.click()
            figure = page.locator("figure.fl-diagram").first.bounding_box()
            assert (figure["x"], figure["y"], figure["width"], figure["height"]) == (0, 0, width, SIZES[width]), path
            page.keyboard.press("Escape")
        else:  # nothing to gain: the diagram already shows whole, in its frame and the window
            whole = page.evaluate(WHOLE)
            assert whole, path
    assert {"in", "full", "fit", "out"} <= shown_anywhere  # the map at least needs all of these
    assert page.errors == []
    context.close()


def test_the_toolbar_works_by_keyboard_and_shows_its_tooltip_on_focus(chromium, site_url):
    page = open_page(chromium, site_url, "library/map/", 1440)
    zoom_in = page.locator(".fl-viewer-tools__in")
    zoom_in.focus()
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.classList.contains('fl-viewer-tools__out')")
    page.keyboard.press("Tab")
    width = page.evaluate("document.querySelector('.fl-viewport svg').getBoundingClientRect().width")
    page.keyboard.press("Enter")
    assert page.evaluate("document.querySelector('.fl-viewport svg').getBoundingClientRect().width") > width * 1.2
    tip = zoom_in.evaluate("b => getComputedStyle(b, '::after').content")
    assert tip == '"Zoom in (+)"'  # the keyboard's tooltip, the same words as the title
    # Actual size appears once zoomed; pressing it hides it, and focus moves to a button still shown.
    actual = page.locator(".fl-viewer-tools__actual")
    assert actual.is_visible()
    actual.focus()
    page.keyboard.press("Enter")
    assert actual.is_hidden()
    assert page.evaluate(
        "document.activeElement.closest('.fl-viewer-tools') !== null && !document.activeElement.hidden"
    )
    assert page.errors == []
    page.context.close()


@pytest.mark.parametrize("width", list(SIZES))
def test_screenshots_of_the_toolbar(chromium, site_url, width):
    page = open_page(chromium, site_url, "library/map/", width)
    page.evaluate("""() => { const t = document.querySelector('.fl-viewer-tools').getBoundingClientRect().top;
        window.scrollBy(0, t - document.querySelector('.md-header').getBoundingClientRect().height - 8); }""")
    shot = save_screenshot(page, f"toolbar-{width}")
    assert shot.stat().st_size > 10_000
    page.context.close()


# --- the filter sheet ----------------------------------------------------------------------


def visible_cards(page) -> int:
    return page.eval_on_selector_all(".fl-cards > .fl-card", "cs => cs.filter(c => c.getClientRects().length).length")


def focus_in_sheet(page) -> bool:
    return page.evaluate("document.querySelector('form.fl-filters').contains(document.activeElement)")


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_on_a_phone_the_filters_open_as_a_sheet_that_counts_and_lands_on_the_first_result(chromium, site_url, palette):
    page = browser.open_page(chromium, site_url + "library/", width=390, height=844, palette=palette)
    toggle, form = page.locator(".fl-filter-toggle"), page.locator("form.fl-filters")
    show, close, clear = (
        page.locator(".fl-filters__show"),
        page.locator(".fl-filters__close"),
        page.locator(".fl-clear"),
    )
    assert form.is_hidden() and show.is_hidden()
    toggle.click()
    # A modal sheet over the whole screen, focus inside it, its count and both actions in view.
    box = form.bounding_box()
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, 390, 844)
    assert form.get_attribute("role") == "dialog" and form.get_attribute("aria-modal") == "true"
    assert page.evaluate(
        "document.getElementById(document.querySelector('form.fl-filters').getAttribute('aria-labelledby')).textContent"
    )
    assert focus_in_sheet(page)
    assert show.text_content() == f"Show {len(LIBRARY.funnels)} results"
    for button in (show, clear, close):
        b = button.bounding_box()
        assert b["y"] >= 0 and b["y"] + b["height"] <= 844 and b["height"] >= 44
    # Ticking counts live, and the count stays in view while the facets scroll.
    kinds = sorted({f.type for f in LIBRARY.funnels})
    page.check(f'input[name="type"][value="{kinds[-1]}"]')
    expected = sum(f.type == kinds[-1] for f in LIBRARY.funnels)
    assert visible_cards(page) == expected
    assert show.text_content() == f"Show {expected} result{'' if expected == 1 else 's'}"
    form.evaluate("f => f.scrollTop = f.scrollHeight")
    assert show.is_visible() and show.bounding_box()["y"] + show.bounding_box()["height"] <= 844
    save_screenshot(page.locator("form.fl-filters").page, f"filter-sheet-390-{palette}")
    # Tab stays inside the open sheet, both ways.
    stops = form.evaluate(
        "f => [...f.querySelectorAll('button, input')].filter(e => e.getClientRects().length && !e.disabled).length"
    )
    for _ in range(stops + 2):
        page.keyboard.press("Tab")
        assert focus_in_sheet(page)
    page.keyboard.press("Shift+Tab")
    assert focus_in_sheet(page)
    # Escape closes it and gives focus back to the button; so does Close.
    page.keyboard.press("Escape")
    assert form.is_hidden() and toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement === document.querySelector('.fl-filter-toggle')")
    toggle.click()
    close.click()
    assert form.is_hidden() and page.evaluate("document.activeElement === document.querySelector('.fl-filter-toggle')")
    # Clear unticks everything and counts every funnel again.
    toggle.click()
    clear.click()
    assert form.evaluate("f => [...f.querySelectorAll('input:checked')].length") == 0
    assert show.text_content() == f"Show {len(LIBRARY.funnels)} results"
    # "Show N results" closes the sheet and lands on the first result, in view and focused.
    page.check(f'input[name="type"][value="{kinds[0]}"]')
    first_id = page.eval_on_selector_all(
        ".fl-cards > .fl-card", "cs => cs.find(c => c.getClientRects().length).querySelector('a').getAttribute('href')"
    )
    show.click()
    assert form.is_hidden()
    focused = page.evaluate(
        "[document.activeElement.getAttribute('href'), document.activeElement.closest('.fl-card') !== null]"
    )
    assert focused == [first_id, True]
    card = page.evaluate("document.activeElement.closest('.fl-card').getBoundingClientRect().toJSON()")
    header = page.evaluate("document.querySelector('.md-header').getBoundingClientRect().bottom")
    assert header - 1 <= card["top"] < 844 - 60, card  # under the header, not behind it
    count = page.locator(".fl-result-count").bounding_box()  # with the count of results above it
    assert header - 1 <= count["y"] and count["y"] + count["height"] <= card["top"], (count, card)
    shown = sum(f.type == kinds[0] for f in LIBRARY.funnels)
    expected_count = (
        f"Showing {shown} of {len(LIBRARY.funnels)} funnels" if shown < len(LIBRARY.funnels) else f"{shown} funnels"
    )
    assert page.locator(".fl-result-count").inner_text() == expected_count
    assert page.url.endswith(f"?type={kinds[0]}")
    save_screenshot(page, f"filter-sheet-390-{palette}-applied")
    assert page.errors == []
    page.context.close()


def test_the_wide_filter_panel_never_hides_its_own_controls(chromium, site_url):
    """At 1440 the panel beside the cards stays in view; taller than the window it scrolls within
    itself, every control scrolls into view inside it, and Clear filters is always in view."""
    page = open_page(chromium, site_url, "library/", 1440)
    form = page.locator("form.fl-filters")
    # Once the page scrolls, the panel sticks under the header, until the end of the listing beside
    # it carries it away (as any sticky element): check it where it sticks, at two depths.
    last = page.evaluate(
        """() => { const browse = document.querySelector('.fl-browse'), form = document.querySelector('form.fl-filters');
            const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
            return browse.getBoundingClientRect().bottom + window.scrollY - form.getBoundingClientRect().height - header; }"""
    )
    assert last > 400, last  # the listing is long enough for the panel to stick at all
    for scroll in (400, int(last) - 10):
        page.evaluate(f"window.scrollTo(0, {scroll})")
        page.wait_for_timeout(100)
        state = form.evaluate("""f => { const r = f.getBoundingClientRect(), c = f.querySelector('[data-fl-clear]').getBoundingClientRect();
            return {panel: r.toJSON(), clear: c.toJSON(), header: document.querySelector('.md-header').getBoundingClientRect().bottom}; }""")
        panel, clear = state["panel"], state["clear"]
        assert panel["bottom"] <= 900 + 1 and panel["top"] >= state["header"] - 1, state
        assert panel["top"] <= clear["top"] and clear["bottom"] <= panel["bottom"] + 1, state
    controls = form.evaluate(
        "f => [...f.querySelectorAll('input, button')].filter(e => e.getClientRects().length).length"
    )
    assert controls > 5
    for index in range(controls):
        inside = form.evaluate(
            """(f, i) => { const e = [...f.querySelectorAll('input, button')].filter(e => e.getClientRects().length)[i];
                e.focus(); const r = e.getBoundingClientRect(), p = f.getBoundingClientRect();
                return r.top >= p.top - 1 && r.bottom <= p.bottom + 1 && r.bottom <= innerHeight; }""",
            index,
        )
        assert inside, index
    page.context.close()


# --- compare on a phone ----------------------------------------------------------------------

SIDEWAYS = """() => ({page: document.scrollingElement.scrollWidth, inner: innerWidth,
  scrollers: [...document.querySelectorAll('.md-main *')].filter(e => e.getClientRects().length
     && e.scrollWidth > e.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX)).map(e => e.className)})"""


def test_compare_on_a_phone_stacks_the_funnels_under_sticky_titles_with_nothing_sideways(chromium, site_url):
    picked = [f.id for f in LIBRARY.funnels[:3]]
    page = open_page(chromium, site_url, f"library/compare/?f={','.join(picked)}", 390)
    page.wait_for_selector(".fl-compare__grid")
    state = page.evaluate(SIDEWAYS)
    assert state["page"] <= state["inner"] and state["scrollers"] == [], state
    # Every diagram fits its frame; none is a sideways-scrolling stop for the keyboard.
    frames = page.eval_on_selector_all(
        ".fl-compare__frame",
        "fs => fs.map(f => [f.scrollWidth <= f.clientWidth + 1, f.querySelector('svg').getBoundingClientRect().width <= f.clientWidth + 1, f.tabIndex])",
    )
    assert frames and all(fit and drawn and tab == -1 for fit, drawn, tab in frames), frames
    # Funnels stack: each block below the previous; each title stays in view while its rows pass.
    titles = page.locator(".fl-compare__cell--title h2")
    assert titles.count() == 3
    tops = [titles.nth(i).bounding_box()["y"] for i in range(3)]
    assert tops == sorted(tops) and tops[1] - tops[0] > 844
    header = page.evaluate("document.querySelector('.md-header').getBoundingClientRect().bottom")
    page.locator(".fl-compare__cell--steps").nth(1).scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, 200)")
    second = titles.nth(1).bounding_box()
    assert abs(second["y"] - header) <= 2, (second, header)
    assert page.evaluate(
        "(() => { const r = document.querySelectorAll('.fl-compare__cell--title h2')[1].getBoundingClientRect();"
        " return document.elementFromPoint(r.left + 5, r.top + r.height / 2).closest('h2') !== null; })()"
    )  # on top of the rows passing under it
    save_screenshot(page, "compare-390-stacked")
    page.evaluate("window.scrollTo(0, 0)")
    assert page.errors == []
    page.context.close()


# --- axe on the new states -----------------------------------------------------------------------


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_axe_finds_nothing_serious_on_the_open_sheet_compare_at_390_the_404_and_the_toolbar(
    chromium, site_url, palette
):
    from test_site_quality import axe_violations

    found = {}
    for name, path, width in [
        ("filter sheet", "library/", 390),
        ("compare", f"library/compare/?f={','.join(f.id for f in LIBRARY.funnels[:3])}", 390),
        ("404", "404.html", 390),
        ("map toolbar", "library/map/", 1440),
    ]:
        page = browser.open_page(chromium, site_url + path, width=width, height=SIZES[width], palette=palette)
        if name == "filter sheet":
            page.click(".fl-filter-toggle")
        if name == "compare":
            page.wait_for_selector(".fl-compare__grid")
        if name == "map toolbar":
            page.locator(".fl-viewer-tools__in").focus()
        serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
        if serious:
            found[name] = serious
        page.context.close()
    assert found == {}, found
