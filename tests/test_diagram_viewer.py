"""Diagrams as a visitor meets them, in Chromium: geometry of the drawn SVG (no node covers
another, labels of 12 px or more, nothing cut off), the viewer (zoom, fit, full screen by
button, key and touch), focus on the map, where funnel pages sit in the site, and printing
from the dark palette. Screenshots of each go to test-artifacts/screenshots/."""

from __future__ import annotations

import sys

import pytest

import browser
from funnel_library.core.library import load_library
from funnel_library.rendering.circles import circles_of_trust_job
from funnel_library.rendering.layout import lay_out
from funnel_library.rendering.maps import funnel_groups, is_detailed, library_map_job
from sites import REPO, load_bundled

LIBRARY = load_bundled()
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
    return browser.open_page(
        chromium, site_url + path, width=width, height=SIZES.get(width, 900), palette=palette, **context
    )


def save_screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def show_figure(page) -> None:
    """Scroll so the diagram's toolbar (or the diagram) sits just under the header."""
    page.evaluate("""() => {
        const top = document.querySelector('figure.fl-diagram').getBoundingClientRect().top;
        window.scrollBy(0, top - document.querySelector('.md-header').getBoundingClientRect().height - 8);
    }""")


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


def test_the_map_fits_a_wide_screen_and_its_hand_offs_stay_inside_the_drawing(chromium, site_url):
    """At 1440 the whole width of the map shows at natural size, and no bold hand-off arrow
    detours outside the area the nodes take up (the old type boxes pulled them round the graph)."""
    page = open_page(chromium, site_url, MAP, 1440)
    fits = page.locator(".fl-viewport").evaluate("v => v.scrollWidth <= v.clientWidth")
    assert fits
    outside = page.locator("svg.fl-map-svg").evaluate("""svg => {
        const nodes = [...svg.querySelectorAll('g.fl-node')].map(g => g.getBoundingClientRect());
        const left = Math.min(...nodes.map(r => r.left)), right = Math.max(...nodes.map(r => r.right));
        const top = Math.min(...nodes.map(r => r.top)), bottom = Math.max(...nodes.map(r => r.bottom));
        const edges = [...svg.querySelectorAll('g.fl-handoff.fl-forward path')];
        return {count: edges.length, outside: edges.map(p => p.getBoundingClientRect())
            .filter(r => r.left < left - 1 || r.right > right + 1 || r.top < top - 1 || r.bottom > bottom + 1).length};
    }""")
    assert outside["count"] > 0 and outside["outside"] == 0
    page.context.close()


def test_the_circles_of_a_60_funnel_library_have_no_overlapping_nodes(chromium, tmp_path):
    """The synthetic library at the largest size that may be drawn funnel by funnel (a box per
    funnel while the map of them fits its frame, a box per move otherwise), laid out by Graphviz
    and measured in Chromium."""
    sys.path.insert(0, str(REPO / "scripts"))
    from synthetic_library import write_synthetic_library

    library = load_library(write_synthetic_library(tmp_path / "library", 60))
    assert len(library.funnels) == 60
    links = {
        "funnel_href": lambda f: f"../{f.id}/",
        "group_href": lambda g: f"#{g.anchor}",
        "stage_href": lambda s: f"#{s.id}",
    }
    boxes_expected = len(library.funnels) if is_detailed(library) else len(funnel_groups(library))
    page = chromium.new_page(viewport={"width": 1440, "height": 900})
    for job in (circles_of_trust_job(library, **links), library_map_job(library, **links)):
        page.set_content(f"<!doctype html><body style='margin:0'>{lay_out(job)}</body>")
        svg = page.locator("svg")
        boxes = svg.evaluate(NODE_BOXES)
        assert boxes["count"] >= len(library.stages) + boxes_expected and boxes["overlaps"] == [], job.title
        assert min(svg.evaluate(LABEL_SIZES)) >= 12
    page.close()


# Pairs of loop, skip or fall-back arrows whose drawn paths cross (ends shared at a node excepted).
FLOW_CROSSINGS = """svg => {
  const lines = [...svg.querySelectorAll('g.fl-flow path')].map(path => {
    const length = path.getTotalLength(), points = [];
    for (let i = 0; i <= 80; i++) { const p = path.getPointAtLength(length * i / 80); points.push([p.x, p.y]); }
    return points;
  });
  const cross = (a, b, c, d) => {
    const side = (p, q, r) => Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
    return side(a, b, c) * side(a, b, d) < 0 && side(c, d, a) * side(c, d, b) < 0;
  };
  let crossings = 0;
  for (let i = 0; i < lines.length; i++) for (let j = i + 1; j < lines.length; j++) {
    const a = lines[i], b = lines[j];
    let found = false;
    for (let m = 2; m < a.length - 3 && !found; m++) for (let n = 2; n < b.length - 3 && !found; n++)
      found = cross(a[m], a[m + 1], b[n], b[n + 1]);
    if (found) crossings++;
  }
  return {flows: lines.length, crossings};
}"""


def test_loops_and_fall_backs_never_cross_each_other_on_any_funnel(chromium, site_url):
    """On every funnel diagram, arrows that go back or skip ahead do not cross each other
    (jtbd-expansion-cycle's loop and fall-back used to), and the chain of steps stays straight."""
    page = chromium.new_page(viewport={"width": 1440, "height": 900})
    flows = 0
    for funnel in LIBRARY.funnels:
        page.goto(site_url + f"funnels/{funnel.id}/")
        svg = page.locator("figure.fl-diagram svg.fl-diagram-svg")
        result = svg.evaluate(FLOW_CROSSINGS)
        assert result["flows"] == len(funnel.flows), funnel.id
        assert result["crossings"] == 0, funnel.id
        flows += result["flows"]
        centres = svg.evaluate(
            "svg => [...svg.querySelectorAll('g.fl-step, g.fl-goal')].map(g => { const r = g.getBoundingClientRect(); return r.x + r.width / 2; })"
        )
        assert max(centres) - min(centres) < 2, funnel.id  # steps and goal in one straight column
    assert flows >= 10
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


def test_on_a_phone_a_wide_funnel_diagram_opens_whole_with_its_steps_in_view(chromium, site_url):
    """The widest funnel diagram (wider than a phone's column at its natural size) opens whole."""
    page = open_page(chromium, site_url, "funnels/buying-maze-guide/", 390)
    frame = page.locator(".fl-viewport")
    natural = float(frame.locator("svg").get_attribute("width"))
    assert natural > frame.evaluate("v => v.clientWidth")  # still wider than the column at natural size
    assert frame.get_attribute("data-overflow") is None
    view = frame.bounding_box()
    for step in page.locator("svg.fl-diagram-svg g.fl-step").all():
        box = step.bounding_box()
        assert view["x"] <= box["x"] and box["x"] + box["width"] <= view["x"] + view["width"]
    page.context.close()


def test_a_long_journey_lays_out_top_to_bottom_and_fits_its_column_at_1440(chromium, site_url):
    page = open_page(chromium, site_url, LONG_JOURNEY, 1440)
    svg = page.locator(".fl-viewport svg.fl-diagram-svg").bounding_box()
    frame = page.locator(".fl-viewport").bounding_box()
    assert svg["height"] > svg["width"]
    assert svg["width"] <= frame["width"]
    frame_state = page.locator(".fl-viewport").evaluate(
        "v => [v.hasAttribute('data-overflow'), v.getAttribute('tabindex')]"
    )
    assert frame_state == [False, None]  # nothing to scroll: no frame drawn, no extra tab stop
    page.context.close()


# --- the viewer ---------------------------------------------------------------------------------


def svg_width(page) -> float:
    return page.locator(".fl-viewport svg.fl-diagram-svg").bounding_box()["width"]


# The toolbar's level, the diagram's natural width, the width it is drawn at, and its frame's.
LEVEL_AND_WIDTHS = """figure => {
  const frame = figure.querySelector('.fl-viewport'), svg = frame.querySelector('svg.fl-diagram-svg');
  return {level: figure.querySelector('.fl-viewer-tools__level').textContent, natural: parseFloat(svg.getAttribute('width')),
          drawn: svg.getBoundingClientRect().width, frame: frame.clientWidth};
}"""


@pytest.mark.parametrize("width", list(SIZES))
def test_a_funnel_diagram_reports_the_zoom_it_is_drawn_at(chromium, site_url, width):
    """The toolbar's level is the scale the diagram shows at, its drawn width over its natural
    width: 100% where it fits its frame, less where it is wider and the stylesheet scales it to
    the frame (not "Zoom 100%"); zooming in goes on from the scale shown."""
    context = chromium.new_context(viewport={"width": width, "height": SIZES[width]})
    page = context.new_page()
    widths = {}
    for funnel in LIBRARY.funnels:
        page.goto(f"{site_url}funnels/{funnel.id}/")
        page.wait_for_selector(".fl-viewport[data-fl-ready]")
        shown = page.locator("figure.fl-diagram").evaluate(LEVEL_AND_WIDTHS)
        scale = shown["drawn"] / shown["natural"]
        assert scale == pytest.approx(min(1, shown["frame"] / shown["natural"]), abs=0.005), (funnel.id, shown)
        assert shown["level"] == f"Zoom {round(scale * 100)}%", (funnel.id, shown)
        widths[funnel.id] = shown
    widest = max(widths, key=lambda funnel_id: widths[funnel_id]["natural"])
    page.goto(f"{site_url}funnels/{widest}/")
    page.wait_for_selector(".fl-viewport[data-fl-ready]")
    scale = widths[widest]["drawn"] / widths[widest]["natural"]
    page.locator("figure.fl-diagram .fl-viewer-tools__in").click()
    zoomed = page.locator("figure.fl-diagram").evaluate(LEVEL_AND_WIDTHS)
    assert zoomed["drawn"] == pytest.approx(widths[widest]["drawn"] * 1.25, abs=1), (widest, zoomed)
    assert zoomed["level"] == f"Zoom {round(scale * 125)}%", (widest, zoomed)
    context.close()


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
    page.keyboard.press("1")
    for _ in range(3):  # larger than the frame (the map fits it at actual size): it scrolls
        page.keyboard.press("+")
    before = viewport.evaluate("v => v.scrollTop")
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
    top = viewport.evaluate("v => v.scrollTop")
    page.mouse.move(frame["x"] + frame["width"] / 2, frame["y"] + 400)
    page.mouse.down()
    page.mouse.move(frame["x"] + frame["width"] / 2 - 20, frame["y"] + 250, steps=8)
    page.mouse.up()
    assert viewport.evaluate("v => v.scrollTop") == pytest.approx(top + 150, abs=2)
    assert page.url.endswith("/library/map/")
    assert page.errors == []
    page.context.close()


def test_the_buttons_zoom_and_a_two_finger_pinch_zooms_on_a_phone(chromium, site_url):
    page = open_page(chromium, site_url, CIRCLES, 390, has_touch=True, is_mobile=True)
    natural = float(page.locator(".fl-viewport svg.fl-diagram-svg").get_attribute("width"))
    viewport = page.locator(".fl-viewport")
    scroll = "v => [v.scrollLeft, v.scrollTop]"
    start = viewport.evaluate(scroll)
    assert start[0] > 0 and start[1] > 0  # the circles open on their centre
    page.locator(".fl-viewer-tools__out").click()
    assert svg_width(page) == pytest.approx(natural / 1.25, abs=1)
    page.locator(".fl-viewer-tools__in").click()
    assert svg_width(page) == pytest.approx(natural, abs=1)
    # Zooming keeps the frame's centre where it was: out and back in returns to the same view.
    assert viewport.evaluate(scroll) == pytest.approx(start, abs=2)
    for button in page.locator(".fl-viewer-tools button:not([hidden])").all():
        box = button.bounding_box()
        assert box["width"] >= 44 * 0.99 and box["height"] >= 44 * 0.99  # touch targets
    # A real pinch through Chromium's touch input: two fingers moving apart on what is in view.
    show_figure(page)
    frame = page.locator(".fl-viewport").bounding_box()
    frame["height"] = min(frame["height"], SIZES[390] - frame["y"])
    cx, cy = frame["x"] + frame["width"] / 2, frame["y"] + frame["height"] / 2
    cdp = page.context.new_cdp_session(page)

    def touch(kind, spread):
        points = (
            [] if kind == "touchEnd" else [{"x": cx - spread, "y": cy, "id": 1}, {"x": cx + spread, "y": cy, "id": 2}]
        )
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    def under_fingers():  # the drawing's point (in natural-size px) between the two fingers
        _left, _top = viewport.evaluate(scroll)
        scale = svg_width(page) / natural
        origin = page.locator(".fl-viewport svg.fl-diagram-svg").bounding_box()
        return ((cx - origin["x"]) / scale, (cy - origin["y"]) / scale)

    held = under_fingers()
    touch("touchStart", 40)
    for spread in range(45, 85, 5):
        touch("touchMove", spread)
    touch("touchEnd", 0)
    assert svg_width(page) > natural * 1.5
    assert under_fingers() == pytest.approx(held, abs=3)  # the pinch zooms about the fingers
    save_screenshot(page, "circles-390-pinched")
    page.context.close()


# --- focus on the map ------------------------------------------------------------------------


def lit(page) -> set[str]:
    return set(
        page.eval_on_selector_all(
            "svg g.fl-node.fl-on",
            "nodes => nodes.map(n => [...n.classList].find(c => c.startsWith('fl-id-')).slice(6))",
        )
    )


def test_focus_on_a_stage_keeps_its_flows_fades_the_rest_and_lives_in_the_url(chromium, site_url):
    stage = "meeting"
    page = open_page(chromium, site_url, f"{MAP}?focus=stage-{stage}", 1440)
    arriving = [f for f in LIBRARY.funnels if f.output == stage]
    leaving = [f for f in LIBRARY.funnels if f.input == stage]
    expected = {f"stage-{stage}"} | {f"funnel-{f.id}" for f in arriving + leaving}
    expected |= {f"stage-{f.input}" for f in arriving} | {f"stage-{f.output}" for f in leaving}
    assert lit(page) == expected
    faded = page.eval_on_selector_all(
        "svg g.fl-node:not(.fl-on)", "nodes => nodes.map(n => getComputedStyle(n).opacity)"
    )
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
    assert active.evaluate("a => getComputedStyle(a).color") == page.locator(".md-typeset a").first.evaluate(
        "a => getComputedStyle(a).color"
    )
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
    screen_badge = page.locator(".fl-badges .fl-badge--evidence").evaluate("b => getComputedStyle(b).color")
    page.emulate_media(media="print")
    colours = page.evaluate("""() => ({
        body: getComputedStyle(document.body).backgroundColor,
        text: getComputedStyle(document.querySelector('.md-typeset')).color,
        badge: getComputedStyle(document.querySelector('.fl-badges .fl-badge--evidence')).color,
        node: getComputedStyle(document.querySelector('.fl-diagram-svg .fl-node path, .fl-diagram-svg .fl-node polygon')).fill})""")
    assert colours["body"] == "rgb(255, 255, 255)"
    assert colours["text"] == "rgba(0, 0, 0, 0.87)"
    assert colours["badge"] == "rgb(138, 90, 0)" != screen_badge  # the light palette's amber, not the pale one
    assert colours["node"] == "rgb(255, 255, 255)"
    page.context.close()


@pytest.mark.parametrize(
    "name, path",
    [("map", MAP), ("circles", CIRCLES), ("journey", LONG_JOURNEY), ("funnel", "funnels/buying-maze-guide/")],
)
@pytest.mark.parametrize("width", list(SIZES))
@pytest.mark.parametrize("palette", ["light", "dark"])
def test_screenshots_of_the_diagrams_at_both_widths_and_palettes(chromium, site_url, name, path, width, palette):
    page = open_page(chromium, site_url, path, width, palette=palette)
    show_figure(page)
    save_screenshot(page, f"{name}-{width}-{palette}")
    assert (ARTIFACTS / f"{name}-{width}-{palette}.png").stat().st_size > 10_000
    assert page.errors == []
    page.context.close()
