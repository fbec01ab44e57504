"""What a keyboard user and a phone user meet: a visible focus ring on every control, in both
palettes, and figures tables that show every column at 390 px without a sideways scroll."""

from __future__ import annotations

import re

import pytest

from browser import open_page
from sites import REPO, load_bundled

LIBRARY = load_bundled()
FUNNEL = LIBRARY.funnels[0]
ARTIFACTS = REPO / "test-artifacts" / "screenshots"


def rgb(css: str) -> tuple[float, float, float, float]:
    parts = [float(x) for x in re.findall(r"[\d.]+", css)]
    return (*parts[:3], parts[3] if len(parts) > 3 else 1.0)


def contrast(a: tuple, b: tuple) -> float:
    def luminance(color):
        channels = []
        for value in color[:3]:
            c = value / 255
            channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    lighter, darker = sorted((luminance(a), luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# (page, control, how a keyboard user reaches it)
CONTROLS = [
    ("library/", ".fl-filters input[type=checkbox]", "a filter checkbox"),
    ("library/", ".fl-card a", "a card's link"),
    (f"funnels/{FUNNEL.id}/", ".fl-calculator input", "the calculator's field"),
    (f"funnels/{FUNNEL.id}/", "a.fl-download", "a download link"),
    (f"funnels/{FUNNEL.id}/", ".fl-diagram-svg a", "a diagram node"),
]


@pytest.mark.parametrize("palette", ["light", "dark"])
@pytest.mark.parametrize("path, selector, what", CONTROLS, ids=[c[2] for c in CONTROLS])
def test_keyboard_focus_is_visible_on_every_control(chromium, site_url, palette, path, selector, what):
    context = chromium.new_context(viewport={"width": 1440, "height": 900}, color_scheme=palette)
    page = context.new_page()
    try:
        page.goto(site_url + path, wait_until="networkidle")
        control = page.locator(selector).first
        control.scroll_into_view_if_needed()
        page.keyboard.press("Tab")  # a keyboard interaction, as a visitor's focus would come from
        control.focus()
        style = control.evaluate(
            """el => { const s = getComputedStyle(el);
                return {visible: el.matches(':focus-visible'), outline: s.outlineStyle, width: parseFloat(s.outlineWidth),
                        color: s.outlineColor, background: (() => {
                            // The page's own background colour, resolved by the browser from Material's variable.
                            const probe = document.createElement('div');
                            probe.style.background = 'var(--md-default-bg-color)';
                            document.body.append(probe);
                            const colour = getComputedStyle(probe).backgroundColor;
                            probe.remove();
                            return colour; })()}; }"""
        )
        assert style["visible"], what
        assert style["outline"] != "none" and style["width"] >= 2, (what, style)
        background = rgb(style["background"])
        assert background[3] == 1, style
        assert contrast(rgb(style["color"]), background) >= 3, (what, style)  # WCAG 1.4.11: 3:1 for focus indicators
    finally:
        context.close()


@pytest.mark.parametrize("palette", ["light", "dark"])
@pytest.mark.parametrize(
    "path, table", [(f"funnels/{FUNNEL.id}/", "funnel"), (f"journeys/{LIBRARY.journeys[0].id}/", "journey")]
)
def test_at_390_px_a_figures_table_shows_every_column_without_clipping_or_scrolling(
    chromium, site_url, palette, path, table
):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, color_scheme=palette)
    page = context.new_page()
    try:
        page.goto(site_url + path, wait_until="networkidle")
        report = page.evaluate(
            """() => {
                const wrap = document.querySelector('.fl-metrics');
                const headers = [...wrap.querySelectorAll('thead th')].map(th => th.textContent.trim());
                const cells = [...wrap.querySelectorAll('tbody td')];
                const scrollers = [wrap, ...wrap.querySelectorAll('*')].filter(el => el.scrollWidth > el.clientWidth + 1
                    && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX));
                return {
                    headers, width: document.documentElement.clientWidth,
                    rights: cells.map(td => td.getBoundingClientRect().right),
                    lefts: cells.map(td => td.getBoundingClientRect().left),
                    labels: cells.map(td => getComputedStyle(td, '::before').content.replace(/^"|"$/g, '')),
                    visible: cells.map(td => td.getBoundingClientRect().width > 0 && getComputedStyle(td).visibility !== 'hidden'),
                    scrollers: scrollers.length,
                };
            }"""
        )
        assert report["scrollers"] == 0
        assert all(report["visible"]) and len(report["rights"]) > 0
        assert max(report["rights"]) <= report["width"] and min(report["lefts"]) >= 0
        per_row = len(report["headers"]) - 1  # the first column is the row's own heading
        assert report["labels"] == report["headers"][1:] * (len(report["labels"]) // per_row)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.locator(".fl-metrics").screenshot(path=str(ARTIFACTS / f"{table}-figures-390-{palette}.png"))
    finally:
        context.close()


def test_the_stacked_layout_is_only_for_narrow_screens(chromium, site_url):
    context = chromium.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    try:
        page.goto(site_url + f"funnels/{FUNNEL.id}/", wait_until="networkidle")
        assert page.evaluate("getComputedStyle(document.querySelector('.fl-metrics tbody td')).display") == "table-cell"
        assert page.evaluate("getComputedStyle(document.querySelector('.fl-metrics thead')).position") != "absolute"
    finally:
        context.close()


def test_the_coverage_matrix_fits_a_phone_without_scrolling_sideways(chromium, site_url):
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(site_url + "library/coverage/", wait_until="networkidle")
        report = page.evaluate(
            """() => {
                const table = document.querySelector('.fl-coverage table');
                const cells = [...table.querySelectorAll('th, td')];
                const scrollers = [...document.querySelectorAll('.fl-coverage, .fl-coverage *')].filter(el =>
                    el.scrollWidth > el.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX));
                return {width: document.documentElement.clientWidth, right: Math.max(...cells.map(c => c.getBoundingClientRect().right)),
                        scrollers: scrollers.length, font: Math.min(...cells.map(c => parseFloat(getComputedStyle(c).fontSize)))};
            }"""
        )
        assert report["scrollers"] == 0 and report["right"] <= report["width"]
        assert report["font"] >= 12  # still readable
    finally:
        context.close()


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_a_focused_or_hovered_button_keeps_its_text_readable(chromium, site_url, palette):
    """Material fills a focused button with the accent colour; its text must still reach 4.5:1."""
    page = open_page(chromium, f"{site_url}funnels/{FUNNEL.id}/", width=1440, height=900, palette=palette)
    try:
        button = page.locator(".fl-calculator__shares")
        page_background = rgb(page.evaluate("getComputedStyle(document.body).backgroundColor"))
        for state in ("focus", "hover"):
            button.focus() if state == "focus" else button.hover()
            page.wait_for_timeout(600)  # Material eases colours over 250 ms
            style = button.evaluate(
                "b => ({color: getComputedStyle(b).color, background: getComputedStyle(b).backgroundColor})"
            )
            tint = rgb(style["background"])
            shown = tuple(tint[3] * tint[i] + (1 - tint[3]) * page_background[i] for i in range(3))
            assert contrast(rgb(style["color"]), shown) >= 4.5, (state, style)
            page.mouse.move(0, 0)
            page.evaluate("document.activeElement.blur()")
    finally:
        page.context.close()
