"""The site in a real browser (Debian's Chromium through Playwright)."""

from __future__ import annotations

import re

from conftest import REPO
from funnel_library.library import load_library

FUNNEL = load_library(REPO / "library", display_base=REPO).funnels[0]


def diagram_colours(page) -> dict[str, str]:
    return page.evaluate(
        """() => {
            const svg = document.querySelector('figure.fl-diagram svg');
            const node = svg.querySelector('g.fl-step path, g.fl-step polygon');
            const text = svg.querySelector('g.fl-step text');
            const scheme = document.body.getAttribute('data-md-color-scheme');
            return {scheme, node: getComputedStyle(node).fill, text: getComputedStyle(text).fill,
                    background: getComputedStyle(document.body).backgroundColor};
        }"""
    )


def test_the_diagram_follows_the_palette_toggle_without_a_reload(browser_page, site_url):
    page = browser_page
    page.goto(f"{site_url}funnels/{FUNNEL.id}/")
    light = diagram_colours(page)
    svg_markup = page.inner_html("figure.fl-diagram")
    page.click("form[data-md-component=palette] label:visible")
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    dark = diagram_colours(page)
    assert (light["scheme"], dark["scheme"]) == ("default", "slate")
    assert light["node"] != dark["node"] and light["text"] != dark["text"]
    # In dark mode the node fill is the page background, not a white box, and the text is light.
    assert dark["node"] == dark["background"]
    assert dark["node"] != "rgb(255, 255, 255)"
    red, green, blue = (int(v) for v in re.findall(r"\d+", dark["text"])[:3])
    assert min(red, green, blue) > 150
    assert page.inner_html("figure.fl-diagram") == svg_markup  # the same SVG, restyled
    assert page.errors == []


def test_clicking_a_diagram_node_jumps_to_its_step(browser_page, site_url):
    page = browser_page
    page.goto(f"{site_url}funnels/{FUNNEL.id}/")
    last = FUNNEL.steps[-1]
    page.click(f'figure.fl-diagram a[href="#step-{last.id}"]')
    page.wait_for_function(f"location.hash === '#step-{last.id}'")
    in_view = page.evaluate(f"(() => {{ const r = document.getElementById('step-{last.id}').getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }})()")
    assert in_view
