"""An entry's id never becomes a second element with an id its page already has.

The ids to try are read from real pages, not listed by hand: every id on a built funnel or
journey page (the theme's included) and on a rendered sample page (its own step anchors
included) that could be an entry's id is given to a funnel, or a journey, whose page must then
still have each id once, around the theme's own."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import lxml.html

from entries import LibraryFolder, funnel_text
from funnel_library.core.scaffold import ID_PATTERN
from funnel_library.rendering.pages import PageRenderer


def ids_in(html: str) -> list[str]:
    return [
        element.get("id")
        for element in lxml.html.fromstring(html).iter()
        if isinstance(element.tag, str) and element.get("id")
    ]


def a_built_page(site: Path, folder: str) -> lxml.html.HtmlElement:
    """Any page of ``folder`` (funnels, journeys) in the built bundled site."""
    return lxml.html.fromstring(next(iter(sorted((site / folder).glob("*/index.html")))).read_bytes())


def library_with(tmp_path: Path, funnel_id: str = "sample-funnel", journey_id: str | None = None):
    tmp_path.mkdir(parents=True, exist_ok=True)
    folder = LibraryFolder(tmp_path)
    folder.funnel(funnel_text(replace={1: f"id: {funnel_id}"}), name=funnel_id)
    # A second funnel from `meeting` on, so that a journey can chain the two.
    folder.funnel(
        funnel_text(
            replace={1: "id: onward-funnel", 3: "type: sales-conversion", 6: "input: meeting", 7: "output: customer"}
        ),
        name="onward-funnel",
        folder="sales-conversion",
    )
    if journey_id:
        folder.write(
            f"journeys/{journey_id}.yml",
            f"id: {journey_id}\ntitle: A journey\nsummary: From a lead to a customer.\nfunnels: [{funnel_id}, onward-funnel]\n",
        )
    library = folder.load()
    assert library.problems == ()
    return library


def funnel_page(library, funnel_id: str) -> str:
    return PageRenderer(library).funnel_page(library.funnel(funnel_id), lambda target: target).html


def journey_page(library) -> str:
    return (
        PageRenderer(library, layout=lambda job: "<svg></svg>")
        .journey_page(library.journeys[0], lambda target: target)
        .html
    )


def candidate_ids(built, sample_html: str) -> list[str]:
    """Every id on the built page and the sample page that an entry could have."""
    found = {element.get("id") for element in built.iter() if isinstance(element.tag, str) and element.get("id")} | set(
        ids_in(sample_html)
    )
    return sorted(name for name in found if ID_PATTERN.match(name))


def theme_ids(built, article: str) -> list[str]:
    """The ids the theme prints around the page's own content."""
    inside = {element.get("id") for element in built.cssselect(article)[0].iter() if element.get("id")}
    return [
        element.get("id")
        for element in built.iter()
        if isinstance(element.tag, str) and element.get("id") and element.get("id") not in inside
    ]


def test_a_funnel_named_after_any_id_its_page_prints_keeps_every_id_unique(built_site, tmp_path):
    built = a_built_page(built_site, "funnels")
    candidates = candidate_ids(built, funnel_page(library_with(tmp_path / "sample"), "sample-funnel"))
    assert {"steps", "diagram", "evidence", "step-first"} <= set(candidates)  # the ones that collided
    around = theme_ids(built, "article.fl-funnel")
    for number, funnel_id in enumerate(candidates):
        if funnel_id == "onward-funnel":
            continue
        html = funnel_page(library_with(tmp_path / str(number), funnel_id), funnel_id)
        ids = Counter(ids_in(html) + around)
        assert [name for name, count in ids.items() if count > 1] == [], funnel_id
        assert (
            lxml.html.fromstring(html).get_element_by_id("step-first").tag == "h3"
        )  # where the diagram's first box leads


def test_a_journey_named_after_any_id_its_page_prints_keeps_every_id_unique(built_site, tmp_path):
    built = a_built_page(built_site, "journeys")
    candidates = candidate_ids(built, journey_page(library_with(tmp_path / "sample", journey_id="sample-journey")))
    assert {"diagram", "forecast", "stages"} <= set(candidates)
    around = theme_ids(built, "article.fl-journey")
    for number, journey_id in enumerate(candidates):
        html = journey_page(library_with(tmp_path / str(number), journey_id=journey_id))
        ids = Counter(ids_in(html) + around)
        assert [name for name, count in ids.items() if count > 1] == [], journey_id
