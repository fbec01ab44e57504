"""A library written right to left: every free-text field of every kind of entry holds Hebrew,
and its funnels and journeys are named after anchors their own pages print. On every page of the
real build, that text is isolated from the page's words and figures, every id is unique, and in
Chromium a step's share still reads after its Hebrew owner."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import lxml.html
import pytest

from right_to_left import (
    FUNNELS,
    JOURNEYS,
    figures_in_isolates,
    free_text_paths,
    unisolated_right_to_left,
    write_right_to_left_library,
)
from sites import REPO, build_site, copy_project

pytestmark = pytest.mark.slow
ARTIFACTS = REPO / "test-artifacts" / "screenshots"


@pytest.fixture(scope="module")
def right_to_left_site(tmp_path_factory):
    """The library built once, strictly: a handful of entries, so the build takes seconds."""
    root = tmp_path_factory.mktemp("right-to-left")
    filled = write_right_to_left_library(root / "library")
    project = copy_project(root / "project", library=root / "library")
    result = build_site(project)
    assert result.returncode == 0, result.stderr
    return project / "site", filled


def pages(site: Path):
    for path in sorted(site.rglob("*.html")):
        yield path.relative_to(site).as_posix(), lxml.html.fromstring(path.read_bytes())


def test_the_library_fills_every_free_text_field_of_every_schema(right_to_left_site):
    _, filled = right_to_left_site
    assert filled == {name: free_text_paths(name) for name in filled}


def test_right_to_left_text_never_shares_a_run_with_the_pages_own_words_or_figures(right_to_left_site):
    site, _ = right_to_left_site
    checked = 0
    for name, tree in pages(site):
        assert unisolated_right_to_left(tree) == [], name
        assert figures_in_isolates(tree) == [], name
        checked += "\u05e4" in tree.text_content()
    assert checked >= len(FUNNELS) + len(JOURNEYS) + 6  # the entries' pages, the listings, the map, coverage, ...


def test_no_page_has_two_elements_with_one_id_when_entries_are_named_after_page_anchors(right_to_left_site):
    site, _ = right_to_left_site
    for name, tree in pages(site):
        ids = Counter(
            element.get("id") for element in tree.iter() if isinstance(element.tag, str) and element.get("id")
        )
        assert [anchor for anchor, count in ids.items() if count > 1] == [], name


@pytest.mark.parametrize("funnel_id", list(FUNNELS))
def test_a_diagram_box_leads_to_its_steps_heading_whatever_the_funnels_id(right_to_left_site, funnel_id):
    site, _ = right_to_left_site
    tree = lxml.html.fromstring((site / "funnels" / funnel_id / "index.html").read_bytes())
    links = [
        a.get("href")
        for a in tree.iter("{http://www.w3.org/2000/svg}a", "a")
        if (a.get("href") or "").startswith("#step-")
    ]
    assert links
    for link in links:
        (target,) = tree.xpath("//*[@id=$id]", id=link[1:])
        assert target.tag == "h3" and target.getparent().get("class") == "fl-step"


def test_in_chromium_a_share_after_a_right_to_left_owner_stays_after_it(right_to_left_site, chromium):
    from browser import StaticServer, open_page

    site, _ = right_to_left_site
    server = StaticServer(site)
    try:
        page = open_page(chromium, f"{server.url}funnels/steps/", width=1200, height=900)
        meta = page.locator(".fl-step__meta").first
        meta.scroll_into_view_if_needed()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "right-to-left-funnel-1200.png"))
        meta.screenshot(path=str(ARTIFACTS / "right-to-left-step-line.png"))
        # Where the pieces of "Owner: … · Takes: <duration> · 12% move on, …" are drawn, left to right.
        drawn = meta.evaluate("""line => {
            const nodes = [], walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
            for (let node, from = 0; (node = walker.nextNode()); from += node.data.length) nodes.push([node, from]);
            const point = i => { const [node, from] = nodes.find(([n, f]) => i <= f + n.data.length); return [node, i - from]; };
            const box = (start, end) => { const range = document.createRange();
                                          range.setStart(...point(start)); range.setEnd(...point(end)); return range.getBoundingClientRect(); };
            const text = line.textContent, figure = text.indexOf("12%"), takes = text.indexOf("Takes: ") + 7;
            return {label: box(0, 6).right, duration: box(takes, text.indexOf(" · ", takes)), figure: box(figure, figure + 3).left,
                    digits: box(figure, figure + 2).left, percent: box(figure + 2, figure + 3).left};
        }""")
        assert drawn["label"] < drawn["duration"]["left"] and drawn["duration"]["right"] < drawn["figure"]
        assert drawn["digits"] < drawn["percent"]  # "12%", not "%12" nor "%21"
        assert page.errors == []
        page.context.close()
    finally:
        server.close()
