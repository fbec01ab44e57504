"""Diagrams as a visitor meets them, in Chromium: geometry of the drawn SVG (no node covers
another, labels of 12 px or more, nothing cut off), the viewer (zoom, fit, full screen by
button, key and touch), focus on the map, where funnel pages sit in the site, and printing
from the dark palette. Screenshots of each go to test-artifacts/screenshots/."""

from __future__ import annotations

import sys

import pytest
from conftest import REPO

from funnel_library.layout import lay_out
from funnel_library.library import load_library
from funnel_library.maps import circles_of_trust_job, library_map_job

LIBRARY = load_library(REPO / "library", display_base=REPO)
ARTIFACTS = REPO / "test-artifacts" / "screenshots"
SIZES = {390: 844, 1440: 900}
MAP, CIRCLES = "library/map/", "library/circles/"
LONG_JOURNEY = "journeys/outbound-to-first-order/"  # three funnels: laid out left to right it was 1,337 px wide
FUNNEL_PAGES = [f"funnels/{funnel.id}/" for funnel in LIBRARY.funnels]

# The drawn boxes of every node (stage, funnel, ring label) in page pixels, and which pairs intersect.
NODE_BOXES = """svg => {
  const boxes = [...svg.querySelectorAll('g.fl-node, g.fl-ring-label')].map(g => {
    const shape = g.classList.contains('fl-ring-label') ? g.querySelector('text') : g.querySelector('path, polygon, ellipse');
    const r = shape.getBoundingClientRect();
    return {name: g.textContent.trim().replace(/\\s+/g, ' '), x: r.x, y: r.y, w: r.width, h: r.height};
  });
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) overlaps.push([a.name, b.name]);
  }
  return {count: boxes.length, overlaps};
}"""
# Each label's rendered font size in CSS px: its font-size in SVG units times the drawing's scale.
LABEL_SIZES = """svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size')) * scale);
}"""


def open_page(chromium, site_url, path, width, *, palette="light", **context):
    context = chromium.new_context(viewport={"width": width, "height": SIZES.get(width, 900)},
                                   color_scheme="dark" if palette == "dark" else "light", **context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    return page


def save_screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


# --- geometry ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [MAP, CIRCLES])
@pytest.mark.parametrize("width", list(SIZES))
def test_no_two_nodes_overlap_and_every_label_is_12px_or_more(chromium, site_url, path, width):
    page = open_page(chromium, site_url, path, width)
    svg = page.locator("figure.fl-diagram svg.fl-diagram-svg")
    boxes = svg.evaluate(NODE_BOXES)
    assert boxes["count"] >= len(LIBRARY.stages) + len(LIBRARY.funnels)
    assert boxes["overlaps"] == []
    sizes = svg.evaluate(LABEL_SIZES)
    assert sizes and min(sizes) >= 12, f"smallest label {min(sizes):.1f} px"
    page.context.close()


def test_the_circles_of_a_60_funnel_library_have_no_overlapping_nodes(chromium, tmp_path):
    """The synthetic library at the largest size still drawn funnel by funnel, laid out by Graphviz
    and measured in Chromium."""
    sys.path.insert(0, str(REPO / "scripts"))
    from synthetic_library import write_synthetic_library

    library = load_library(write_synthetic_library(tmp_path / "library", 60))
    assert len(library.funnels) == 60
    links = {"funnel_href": lambda f: f"../{f.id}/", "group_href": lambda g: f"#{g.anchor}", "stage_href": lambda s: f"#{s.id}"}
    page = chromium.new_page(viewport={"width": 1440, "height": 900})
    for job in (circles_of_trust_job(library, **links), library_map_job(library, **links)):
        page.set_content(f"<!doctype html><body style='margin:0'>{lay_out(job)}</body>")
        svg = page.locator("svg")
        boxes = svg.evaluate(NODE_BOXES)
        assert boxes["count"] >= 60 and boxes["overlaps"] == [], job.title
        assert min(svg.evaluate(LABEL_SIZES)) >= 12
    page.close()


@pytest.mark.parametrize("width", list(SIZES))
def test_no_diagram_is_cut_it_fits_or_scrolls_in_a_focusable_frame(chromium, site_url, width):
    """Every diagram of the site: wider or taller than its frame only where the frame scrolls,
    can take keyboard focus, and says so."""
    context = chromium.new_context(viewport={"width": width, "height": SIZES[width]})
    page = context.new_page()
    checked = 0
    for path in [MAP, CIRCLES] + [f"journeys/{j.id}/" for j in LIBRARY.journeys] + FUNNEL_PAGES:
        page.goto(site_url + path)
        state = page.locator(".fl-viewport").first.evaluate(
            """v => { const svg = v.querySelector('svg'), frame = v.getBoundingClientRect(), box = svg.getBoundingClientRect();
                const column = v.closest('.md-content__inner').getBoundingClientRect();
                return {wider: box.width > frame.width + 1 || box.height > v.clientHeight + 1, scrolls: v.scrollWidth > v.clientWidth || v.scrollHeight > v.clientHeight,
                        style: getComputedStyle(v).overflow, tabindex: v.getAttribute('tabindex'), role: v.getAttribute('role'),
                        label: v.getAttribute('aria-label'), hint: (v.previousElementSibling || {}).textContent || '',
                        inColumn: frame.left >= column.left - 1 && frame.right <= column.right + 1}; }"""
        )
        assert state["inColumn"], path
        if state["wider"]:
            assert state["scrolls"] and state["style"] == "auto", path
            assert state["tabindex"] == "0" and state["role"] == "region" and state["label"], path
            assert "arrow keys" in state["hint"], path  # the visible cue
        checked += 1
    assert checked == 2 + len(LIBRARY.journeys) + len(LIBRARY.funnels)
    context.close()


def test_a_long_journey_lays_out_top_to_bottom_and_fits_its_column_at_1440(chromium, site_url):
    page = open_page(chromium, site_url, LONG_JOURNEY, 1440)
    svg = page.locator(".fl-viewport svg.fl-diagram-svg").bounding_box()
    frame = page.locator(".fl-viewport").bounding_box()
    assert svg["height"] > svg["width"]
    assert svg["width"] <= frame["width"]
    assert page.locator(".fl-viewer-tools").is_hidden()  # nothing to zoom or scroll: no controls in the way
    page.context.close()


# --- the viewer ---------------------------------------------------------------------------------


def svg_width(page) -> float:
    return page.locator(".fl-viewport svg.fl-diagram-svg").bounding_box()["width"]


def test_the_map_zooms_fits_and_goes_full_screen_by_keyboard_alone(chromium, site_url):
    page = open_page(chromium, site_url, MAP, 1440)
    viewport = page.locator(".fl-viewport")
    natural = float(page.locator(".fl-viewport svg.fl-diagram-svg").get_attribute("width"))
    assert svg_width(page) == pytest.approx(natural, abs=1)  # labels at their natural size first
    page.locator(".fl-viewer-tools__full").focus()
    page.keyboard.press("Tab")  # the frame follows its toolbar in the tab order
    assert page.evaluate("document.activeElement.classList.contains('fl-viewport')")
    page.keyboard.press("+")
    assert svg_width(page) == pytest.approx(natural * 1.25, abs=1)
    assert page.locator(".fl-viewer-tools__level").text_content() == "Zoom 125%"
    page.keyboard.press("0")  # fit: the whole map inside the frame
    box, frame = page.locator(".fl-viewport svg.fl-diagram-svg").bounding_box(), viewport.bounding_box()
    assert box["width"] <= frame["width"] and box["height"] <= frame["height"]
    before = viewport.evaluate("v => v.scrollTop")
    page.keyboard.press("1")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    # Arrow keys scroll the focused frame (smoothly: wait for it).
    page.wait_for_function(f"document.querySelector('.fl-viewport').scrollTop > {before}", timeout=3000)
    page.keyboard.press("f")
    figure = page.locator("figure.fl-map").bounding_box()
    assert figure["x"] == 0 and figure["y"] == 0 and figure["width"] == 1440 and figure["height"] == 900
    assert page.locator(".fl-viewer-tools__full").get_attribute("aria-pressed") == "true"
    page.keyboard.press("Escape")
    assert page.locator("figure.fl-map").bounding_box()["width"] < 1440
    assert page.evaluate("document.activeElement.classList.contains('fl-viewport')")  # focus stays on the map
    # A mouse drags the map: the view moves, and letting go over a funnel does not open it.
    frame = viewport.bounding_box()
    left = viewport.evaluate("v => v.scrollLeft")
    page.mouse.move(frame["x"] + frame["width"] / 2, frame["y"] + 200)
    page.mouse.down()
    page.mouse.move(frame["x"] + frame["width"] / 2 - 150, frame["y"] + 120, steps=8)
    page.mouse.up()
    assert viewport.evaluate("v => v.scrollLeft") > left
    assert page.url.endswith("/library/map/")
    assert page.errors == []
    page.context.close()


def test_the_buttons_zoom_and_a_two_finger_pinch_zooms_on_a_phone(chromium, site_url):
    page = open_page(chromium, site_url, CIRCLES, 390, has_touch=True, is_mobile=True)
    natural = float(page.locator(".fl-viewport svg.fl-diagram-svg").get_attribute("width"))
    page.locator(".fl-viewer-tools__out").click()
    assert svg_width(page) == pytest.approx(natural / 1.25, abs=1)
    page.locator(".fl-viewer-tools__in").click()
    assert svg_width(page) == pytest.approx(natural, abs=1)
    for button in page.locator(".fl-viewer-tools button").all():
        box = button.bounding_box()
        assert box["width"] >= 44 * 0.99 and box["height"] >= 44 * 0.99  # touch targets
    # A real pinch through Chromium's touch input: two fingers moving apart.
    frame = page.locator(".fl-viewport").bounding_box()
    cx, cy = frame["x"] + frame["width"] / 2, frame["y"] + frame["height"] / 2
    cdp = page.context.new_cdp_session(page)

    def touch(kind, spread):
        points = [] if kind == "touchEnd" else [{"x": cx - spread, "y": cy, "id": 1}, {"x": cx + spread, "y": cy, "id": 2}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    touch("touchStart", 40)
    for spread in range(45, 85, 5):
        touch("touchMove", spread)
    touch("touchEnd", 0)
    assert svg_width(page) > natural * 1.5
    save_screenshot(page, "circles-390-pinched")
    page.context.close()


# --- focus on the map ------------------------------------------------------------------------


def lit(page) -> set[str]:
    return set(page.eval_on_selector_all(
        "svg g.fl-node.fl-on", "nodes => nodes.map(n => [...n.classList].find(c => c.startsWith('fl-id-')).slice(6))"))


def test_focus_on_a_stage_keeps_its_flows_fades_the_rest_and_lives_in_the_url(chromium, site_url):
    stage = "meeting"
    page = open_page(chromium, site_url, f"{MAP}?focus=stage-{stage}", 1440)
    arriving = [f for f in LIBRARY.funnels if f.output == stage]
    leaving = [f for f in LIBRARY.funnels if f.input == stage]
    expected = {f"stage-{stage}"} | {f"funnel-{f.id}" for f in arriving + leaving}
    expected |= {f"stage-{f.input}" for f in arriving} | {f"stage-{f.output}" for f in leaving}
    assert lit(page) == expected
    faded = page.eval_on_selector_all("svg g.fl-node:not(.fl-on)", "nodes => nodes.map(n => getComputedStyle(n).opacity)")
    assert faded and set(faded) == {"0.15"}
    status = page.locator(".fl-focus__status").text_content()
    assert status == f"Meeting booked: {len(arriving)} funnels bring people in, {len(leaving)} take them on."
    # Choose a funnel from the list: the URL follows.
    funnel = LIBRARY.funnels[0]
    page.select_option("#fl-focus-select", f"funnel-{funnel.id}")
    assert page.url.endswith(f"?focus=funnel-{funnel.id}")
    assert lit(page) == {f"funnel-{funnel.id}", f"stage-{funnel.input}", f"stage-{funnel.output}"}
    # Selecting a stage's oval focuses it instead of leaving the page; selecting it again clears.
    page.locator("svg g.fl-id-stage-lead a").click()
    assert page.url.endswith("?focus=stage-lead") and "/library/map/" in page.url
    page.locator("svg g.fl-id-stage-lead a").click()
    assert "focus=" not in page.url and lit(page) == set()
    page.goto(site_url + MAP + "?focus=stage-lead%22%3E%3Cimg")  # not a key: ignored, nothing faded
    assert lit(page) == set() and page.locator("svg.fl-focusing").count() == 0
    assert page.errors == []
    page.context.close()


# --- funnel pages inside the site ------------------------------------------------------------


def test_a_funnel_page_marks_its_tab_and_type_and_links_its_neighbours(chromium, site_url):
    of_type = LIBRARY.funnels_of_type("sales-conversion")
    funnel = of_type[1]
    page = open_page(chromium, site_url, f"funnels/{funnel.id}/", 1440)
    assert page.locator(".md-tabs__item--active").text_content().strip() == "Library"
    active = page.locator(".md-sidebar--primary .md-nav__item--active:not(.md-nav__item--section) > a.md-nav__link")
    assert active.text_content().strip() == "Sales conversion"
    assert active.evaluate("a => getComputedStyle(a).color") == page.locator(".md-typeset a").first.evaluate("a => getComputedStyle(a).color")
    crumbs = page.locator("nav.fl-breadcrumb a")
    assert crumbs.all_text_contents() == ["Library", "Sales conversion"]
    crumb = page.locator("nav.fl-breadcrumb").bounding_box()
    assert crumb["y"] < page.locator("h1").bounding_box()["y"]  # above the title
    prev_link, next_link = page.locator(".fl-pager a[rel=prev]"), page.locator(".fl-pager a[rel=next]")
    assert prev_link.locator(".fl-pager__title").text_content() == of_type[0].title
    assert next_link.locator(".fl-pager__title").text_content() == of_type[2].title
    next_link.click()
    page.wait_for_url(f"**/funnels/{of_type[2].id}/")
    page.goto(site_url + f"funnels/{of_type[0].id}/")
    assert page.locator(".fl-pager a[rel=prev]").count() == 0
    page.context.close()


# --- print from dark, and screenshots ----------------------------------------------------------


def test_printing_from_the_dark_palette_gives_the_light_print(chromium, site_url):
    funnel = next(f for f in LIBRARY.funnels if f.evidence.level == "illustrative")
    page = open_page(chromium, site_url, f"funnels/{funnel.id}/", 1440, palette="dark")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    screen_badge = page.locator(".fl-badge--evidence").evaluate("b => getComputedStyle(b).color")
    page.emulate_media(media="print")
    colours = page.evaluate("""() => ({
        body: getComputedStyle(document.body).backgroundColor,
        text: getComputedStyle(document.querySelector('.md-typeset')).color,
        badge: getComputedStyle(document.querySelector('.fl-badge--evidence')).color,
        node: getComputedStyle(document.querySelector('.fl-diagram-svg .fl-node path, .fl-diagram-svg .fl-node polygon')).fill})""")
    assert colours["body"] == "rgb(255, 255, 255)"
    assert colours["text"] == "rgba(0, 0, 0, 0.87)"
    assert colours["badge"] == "rgb(138, 90, 0)" != screen_badge  # the light palette's amber, not the pale one
    assert colours["node"] == "rgb(255, 255, 255)"
    page.context.close()


@pytest.mark.parametrize("name, path", [("map", MAP), ("circles", CIRCLES), ("journey", LONG_JOURNEY),
                                        ("funnel", "funnels/buying-maze-guide/")])
@pytest.mark.parametrize("width", list(SIZES))
@pytest.mark.parametrize("palette", ["light", "dark"])
def test_screenshots_of_the_diagrams_at_both_widths_and_palettes(chromium, site_url, name, path, width, palette):
    page = open_page(chromium, site_url, path, width, palette=palette)
    page.locator("figure.fl-diagram").scroll_into_view_if_needed()
    save_screenshot(page, f"{name}-{width}-{palette}")
    assert (ARTIFACTS / f"{name}-{width}-{palette}.png").stat().st_size > 10_000
    assert page.errors == []
    page.context.close()
