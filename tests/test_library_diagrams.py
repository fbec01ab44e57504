"""The map and the circles of trust as a visitor meets them, measured in Chromium at 1440 × 900 and
390 × 844: at 1440 the map shows whole in its frame with labels of 12 px or more; on the circles no
label is crossed by a ring or an arrow and no arrow passes through a box; at Fit every box of both
lies inside the frame; at 390 each page reads stage by stage (ring by ring) as text first, the
drawing after it; and a funnel's diagram opens whole at 390. The rules are checked on the site of
the bundled library and on the drawings of generated libraries of other sizes. Screenshots go to
test-artifacts/screenshots/."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import browser
import funnel_library
from funnel_library.core.library import load_library
from funnel_library.rendering.circles import circles_of_trust_job
from funnel_library.rendering.layout import lay_out
from funnel_library.rendering.maps import funnel_groups, is_detailed, library_map_job
from sites import REPO, load_bundled

LIBRARY = load_bundled()
ARTIFACTS = REPO / "test-artifacts" / "screenshots"
SIZES = {390: 844, 1440: 900}
MAP, CIRCLES = "library/map/", "library/circles/"
THEME_CSS = Path(funnel_library.__file__).parent / "theme" / "assets" / "funnel-library.css"

# Everything measured on one drawing, in page pixels. Labels: each <text>'s rendered size (its font
# size times the drawing's scale) and box. Rings: centre and radius. Arrows: points every 2 px along
# each edge's path (getPointAtLength, through the path's screen matrix). A ring crosses a label when
# it passes through the label's box, unless an opaque shape of the label's own node, painted after
# the ring, covers the box (a stage sits on its ring). An arrow crosses a label when one of its
# points lies inside the label's box, and passes through a box when one lies inside another node's
# shape than its two ends. Boxes outside the frame: node shapes not wholly inside the frame's
# client area.
GEOMETRY = """svg => {
  const frame = svg.closest('.fl-viewport');
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const box = el => { const r = el.getBoundingClientRect(); return {l: r.left, t: r.top, r: r.right, b: r.bottom}; };
  const inside = (p, b, m) => p.x > b.l + m && p.x < b.r - m && p.y > b.t + m && p.y < b.b - m;
  const key = g => [...g.classList].filter(c => c.startsWith('fl-id-')).map(c => c.slice(6))[0];
  const opaque = el => { const s = getComputedStyle(el);
    return s.fill !== 'none' && !/rgba\\(.*, 0(\\.\\d+)?\\)$/.test(s.fill) && parseFloat(s.fillOpacity) === 1 && parseFloat(s.opacity) === 1; };
  const texts = [...svg.querySelectorAll('text')].map(t => ({el: t, size: parseFloat(t.getAttribute('font-size')) * scale,
      box: box(t), name: t.textContent, node: t.closest('g.fl-node, g.fl-ring-label')}));
  const nodes = [...svg.querySelectorAll('g.fl-node')].map(g => ({g, key: key(g),
      shape: g.querySelector('path, polygon, ellipse')})).filter(n => n.shape);
  // A ring is an ellipse: measured in a space where its height is stretched to its width, it is a circle.
  const rings = [...svg.querySelectorAll('g.fl-ring ellipse')].map(e => { const b = box(e);
      return {el: e, x: (b.l + b.r) / 2, y: (b.t + b.b) / 2, r: (b.r - b.l) / 2, stretch: (b.r - b.l) / (b.b - b.t)}; });
  const ringCrossings = [];
  for (const ring of rings) for (const t of texts) {
    const b = {l: t.box.l, r: t.box.r, t: ring.y + (t.box.t - ring.y) * ring.stretch, b: ring.y + (t.box.b - ring.y) * ring.stretch};
    const dx = Math.max(b.l - ring.x, 0, ring.x - b.r), dy = Math.max(b.t - ring.y, 0, ring.y - b.b);
    const near = Math.hypot(dx, dy);
    const far = Math.max(...[[b.l, b.t], [b.r, b.t], [b.l, b.b], [b.r, b.b]].map(([x, y]) => Math.hypot(x - ring.x, y - ring.y)));
    if (!(near < ring.r && ring.r < far)) continue;
    const shape = t.node && t.node.querySelector('path, polygon, ellipse');
    const covered = shape && opaque(shape) && (ring.el.compareDocumentPosition(shape) & Node.DOCUMENT_POSITION_FOLLOWING)
      && (() => { const s = box(shape), c = t.box; return s.l <= c.l && s.r >= c.r && s.t <= c.t && s.b >= c.b; })();
    if (!covered) ringCrossings.push(t.name);
  }
  const edgeCrossings = [], throughBoxes = [];
  for (const path of svg.querySelectorAll('g.fl-edge path')) {
    const g = path.closest('g.fl-edge');
    const ends = [...g.classList].filter(c => c.startsWith('fl-end-')).map(c => c.slice(7));
    const matrix = path.getScreenCTM(), length = path.getTotalLength(), points = [];
    for (let at = 0; at <= length; at += 2 / scale) points.push(new DOMPoint(path.getPointAtLength(at).x, path.getPointAtLength(at).y).matrixTransform(matrix));
    for (const t of texts) if (points.some(p => inside(p, t.box, 0.5))) edgeCrossings.push([ends.join(' > '), t.name]);
    for (const n of nodes) {
      if (ends.includes(n.key)) continue;
      const b = box(n.shape);
      const within = n.shape.tagName === 'ellipse'
        ? p => (((p.x - (b.l + b.r) / 2) / ((b.r - b.l) / 2 - 2)) ** 2 + ((p.y - (b.t + b.b) / 2) / ((b.b - b.t) / 2 - 2)) ** 2) < 1
        : p => inside(p, b, 2);
      if (points.some(within)) throughBoxes.push([ends.join(' > '), n.key]);
    }
  }
  let outside = [];
  if (frame) {
    const f = frame.getBoundingClientRect(), l = f.left + frame.clientLeft, t = f.top + frame.clientTop;
    const area = {l, t, r: l + frame.clientWidth, b: t + frame.clientHeight};
    outside = [...nodes.map(n => [n.key || 'node', box(n.shape)]), ...rings.map(r => ['ring', box(r.el)])]
      .filter(([, b]) => b.l < area.l - 0.5 || b.r > area.r + 0.5 || b.t < area.t - 0.5 || b.b > area.b + 0.5).map(([k]) => k);
  }
  const overlaps = [];
  const shapes = nodes.map(n => [n.key, box(n.shape)]);
  for (let i = 0; i < shapes.length; i++) for (let j = i + 1; j < shapes.length; j++) {
    const [a, p] = shapes[i], [c, q] = shapes[j];
    if (p.l < q.r && q.l < p.r && p.t < q.b && q.t < p.b) overlaps.push([a, c]);
  }
  return {labels: texts.length, smallest: Math.min(...texts.map(t => t.size)), nodes: nodes.length, rings: rings.length,
          edges: svg.querySelectorAll('g.fl-edge path').length, ringCrossings, edgeCrossings, throughBoxes, outside, overlaps};
}"""


def open_page(chromium, site_url, path, width, *, palette="light"):
    return browser.open_page(chromium, site_url + path, width=width, height=SIZES[width], palette=palette)


def fit(page) -> None:
    """The viewer's Fit (its key, 0, in the focused frame): the whole drawing in the frame."""
    page.locator(".fl-viewport").focus()
    page.keyboard.press("0")


def measure(page) -> dict:
    return page.locator("figure.fl-diagram .fl-viewport svg.fl-diagram-svg").evaluate(GEOMETRY)


def expected_nodes(library) -> int:
    boxes = len(library.funnels) if is_detailed(library) else len(funnel_groups(library))
    return len(library.stages) + boxes


def save_screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


# --- the map ---------------------------------------------------------------------------------------


def test_at_1440_the_map_shows_whole_in_its_frame_with_labels_of_12px_or_more(chromium, site_url):
    page = open_page(chromium, site_url, MAP, 1440)
    frame = page.locator("figure.fl-map .fl-viewport")
    # As it opens: nothing to scroll, nothing cut, every label 12 px or more.
    state = frame.evaluate("v => [v.scrollWidth <= v.clientWidth, v.scrollHeight <= v.clientHeight]")
    assert state == [True, True]
    opened = measure(page)
    assert opened["nodes"] == expected_nodes(LIBRARY)
    # 12 px, within the rounding of the drawing's size to whole pixels (under 0.01 px).
    assert opened["smallest"] >= 12 - 0.01, f"smallest label {opened['smallest']:.2f} px"
    assert opened["outside"] == [] and opened["overlaps"] == []
    assert opened["edgeCrossings"] == []  # no arrow is drawn across a label
    svg = page.locator("svg.fl-map-svg").bounding_box()
    assert svg["width"] > svg["height"]  # wider than tall
    fit(page)
    fitted = measure(page)
    assert fitted["smallest"] >= 12 - 0.01 and fitted["outside"] == []
    assert page.errors == []
    page.context.close()


def test_at_390_the_map_reads_stage_by_stage_first_and_the_drawing_fits_after_it(chromium, site_url):
    page = open_page(chromium, site_url, MAP, 390)
    reading = page.locator(".fl-narrow-reading")
    assert reading.is_visible()
    stages = reading.locator("ol.fl-stage-moves > li")
    assert stages.count() == len(LIBRARY.stages)
    for index, stage in enumerate(LIBRARY.stages):
        item = stages.nth(index)
        assert item.locator("strong").text_content() == stage.name
        links = item.locator("ul a")
        if is_detailed(LIBRARY):
            assert links.count() == len(LIBRARY.funnels_starting_at(stage.id))
    reading_box, figure_box = reading.bounding_box(), page.locator("figure.fl-map").bounding_box()
    assert reading_box["y"] + reading_box["height"] <= figure_box["y"]  # the text first, the drawing after
    assert reading_box["y"] < SIZES[390]  # it starts on the first screen
    assert reading_box["width"] <= 390  # no sideways scrolling
    fit(page)
    fitted = measure(page)
    assert fitted["nodes"] == expected_nodes(LIBRARY) and fitted["outside"] == [] and fitted["overlaps"] == []
    page.context.close()
    # At 1440 the drawing is the reading: the text version is not shown twice.
    wide = open_page(chromium, site_url, MAP, 1440)
    assert wide.locator(".fl-narrow-reading").is_hidden()
    wide.context.close()


# --- the circles -------------------------------------------------------------------------------


@pytest.mark.parametrize("width", list(SIZES))
def test_on_the_circles_no_label_is_crossed_and_no_box_is_cut_at_fit(chromium, site_url, width):
    page = open_page(chromium, site_url, CIRCLES, width)
    fit(page)
    result = measure(page)
    distances = {stage.trust_distance for stage in LIBRARY.stages}
    assert result["nodes"] == expected_nodes(LIBRARY)
    assert result["rings"] == len(distances) - (1 if 0 in distances else 0) or result["rings"] == len(distances)
    assert result["edges"] == 2 * (result["nodes"] - len(LIBRARY.stages))
    assert result["ringCrossings"] == [], "labels crossed by a ring"
    assert result["edgeCrossings"] == [], "labels crossed by an arrow"
    assert result["throughBoxes"] == [], "arrows through a box"
    assert result["overlaps"] == []
    assert result["outside"] == [], "boxes cut by the frame"
    assert page.errors == []
    page.context.close()


def test_at_390_the_circles_read_ring_by_ring_first(chromium, site_url):
    page = open_page(chromium, site_url, CIRCLES, 390)
    reading = page.locator(".fl-narrow-reading")
    assert reading.is_visible()
    rings = reading.locator("ol.fl-ring-moves > li")
    distances = sorted({stage.trust_distance for stage in LIBRARY.stages}, reverse=True)
    assert rings.count() == len(distances)
    for index, distance in enumerate(distances):
        names = rings.nth(index).locator("ul.fl-stage-moves > li > strong").all_text_contents()
        assert names == [stage.name for stage in LIBRARY.stages if stage.trust_distance == distance]
    reading_box, figure_box = reading.bounding_box(), page.locator("figure.fl-circles").bounding_box()
    assert reading_box["y"] + reading_box["height"] <= figure_box["y"] and reading_box["y"] < SIZES[390]
    page.context.close()


# --- any library -------------------------------------------------------------------------------


def synthetic(tmp_path, size: int):
    sys.path.insert(0, str(REPO / "scripts"))
    from synthetic_library import write_synthetic_library

    return load_library(write_synthetic_library(tmp_path / f"library-{size}", size))


@pytest.mark.parametrize("size", [12, 40, 61, 300])
def test_the_rules_hold_for_generated_libraries_of_other_sizes(chromium, tmp_path, size):
    """Generated libraries, drawn funnel by funnel or (too many to fit at 12 px) a box per move:
    each drawing shown in a frame the size of the 1440 × 900 one, with the site's stylesheet."""
    library = synthetic(tmp_path, size)
    links = {
        "funnel_href": lambda f: f"../{f.id}/",
        "group_href": lambda g: f"#{g.anchor}",
        "stage_href": lambda s: f"#{s.id}",
    }
    page = chromium.new_page(viewport={"width": 1440, "height": 900})
    for job in (library_map_job(library, **links), circles_of_trust_job(library, **links)):
        page.set_content(
            f"<!doctype html><style>{THEME_CSS.read_text(encoding='utf-8')}</style><body style='margin:0'>"
            f"<figure class='fl-diagram'><div class='fl-viewport' style='width:1186px;height:718px;overflow:auto;max-height:none'>"
            f"{lay_out(job)}</div></figure></body>"
        )
        svg = page.locator("svg")
        if "fl-circles-svg" in job.css_class:  # shown at Fit: scaled to the frame
            svg.evaluate("""svg => { const w = +svg.getAttribute('width'), h = +svg.getAttribute('height');
                const s = Math.min(1, 1184 / w, 716 / h); svg.style.width = w * s + 'px'; svg.style.height = h * s + 'px'; }""")
        result = svg.evaluate(GEOMETRY)
        assert result["nodes"] == expected_nodes(library), job.title
        assert result["overlaps"] == [] and result["outside"] == [], job.title
        if "fl-map-svg" in job.css_class:
            assert result["smallest"] >= 12 - 0.01, f"{size}: smallest label {result['smallest']:.2f} px"
        else:
            assert result["ringCrossings"] == [] and result["edgeCrossings"] == [], size
            assert result["throughBoxes"] == [], size
    page.close()


# --- a funnel's diagram at 390 ------------------------------------------------------------------


def test_at_390_every_funnel_diagram_opens_whole(chromium, site_url):
    context = chromium.new_context(viewport={"width": 390, "height": SIZES[390]})
    page = context.new_page()
    for funnel in LIBRARY.funnels:
        page.goto(site_url + f"funnels/{funnel.id}/")
        state = page.locator("figure.fl-diagram .fl-viewport").first.evaluate(
            """v => { const f = v.getBoundingClientRect(), s = v.querySelector('svg').getBoundingClientRect();
                return {inside: s.left >= f.left - 0.5 && s.right <= f.right + 0.5 && s.top >= f.top - 0.5 && s.bottom <= f.bottom + 0.5,
                        onScreen: s.left >= 0 && s.right <= window.innerWidth, scrolls: v.scrollWidth > v.clientWidth + 1}; }"""
        )
        assert state == {"inside": True, "onScreen": True, "scrolls": False}, funnel.id
    context.close()


# --- screenshots ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name, path", [("map", MAP), ("circles", CIRCLES)])
@pytest.mark.parametrize("width", list(SIZES))
@pytest.mark.parametrize("palette", ["light", "dark"])
def test_screenshots_of_the_map_and_the_circles(chromium, site_url, name, path, width, palette):
    page = open_page(chromium, site_url, path, width, palette=palette)
    if width == 390:  # the page as it opens: the text reading first
        save_screenshot(page, f"{name}-reading-{width}-{palette}")
    page.evaluate("""() => { const top = document.querySelector('figure.fl-diagram').getBoundingClientRect().top;
        window.scrollBy(0, top - document.querySelector('.md-header').getBoundingClientRect().height - 8); }""")
    fit(page)
    save_screenshot(page, f"{name}-fit-{width}-{palette}")
    assert (ARTIFACTS / f"{name}-fit-{width}-{palette}.png").stat().st_size > 10_000
    assert page.errors == []
    page.context.close()
