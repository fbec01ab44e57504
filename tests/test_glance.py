"""At a glance: the whole library on one screen, every funnel under the stage it starts from,
stages across in journey order, each with its type, steps, end-to-end share and evidence."""

from __future__ import annotations

import pytest

from browser import open_page
from funnel_library.core.library import load_library
from funnel_library.core.vocabulary import EVIDENCE_LEVELS, FUNNEL_TYPES
from funnel_library.rendering.labels import percent
from funnel_library.rendering.listings import LIST_LIMIT
from sites import REPO, parse_html

LIBRARY = load_library(REPO / "library")
TYPE_ORDER = list(FUNNEL_TYPES)
ARTIFACTS = REPO / "test-artifacts" / "screenshots"


def glance(built_site):
    return parse_html(built_site / "library" / "at-a-glance" / "index.html")


def test_every_funnel_shows_once_under_the_stage_it_starts_from_in_journey_order(built_site):
    page = glance(built_site)
    columns = page.select(".fl-glance > .fl-glance__stage")
    stage_order = [stage.id for stage in LIBRARY.stages]
    shown = [column["data-stage"] for column in columns]
    assert shown == [s for s in stage_order if LIBRARY.funnels_starting_at(s)]  # journey order, no empty column
    placed = {}
    for column in columns:
        items = column.select(".fl-glance__item")
        expected = sorted(
            LIBRARY.funnels_starting_at(column["data-stage"]),
            key=lambda f: (TYPE_ORDER.index(f.type), f.title.casefold(), f.id),
        )
        assert [item["data-funnel"] for item in items] == [f.id for f in expected][:LIST_LIMIT]
        assert column.select_one(".fl-glance__count").get_text() == str(len(expected))
        placed.update({item["data-funnel"]: column["data-stage"] for item in items})
    assert placed == {f.id: f.input for f in LIBRARY.funnels if len(LIBRARY.funnels_starting_at(f.input)) <= LIST_LIMIT}


def test_each_entry_shows_its_type_steps_end_to_end_share_and_evidence(built_site):
    page = glance(built_site)
    by_id = {f.id: f for f in LIBRARY.funnels}
    for item in page.select(".fl-glance__item"):
        funnel = by_id[item["data-funnel"]]
        link = item.select_one("a")
        assert link.get_text() == funnel.title and link["href"].rstrip("/").endswith(f"funnels/{funnel.id}")
        code = item.select_one("abbr.fl-glance__code")
        assert code["title"] == FUNNEL_TYPES[funnel.type]
        assert code.get_text() == "".join(word[0] for word in FUNNEL_TYPES[funnel.type].split()).upper()
        assert item["class"][-1] == f"fl-glance__item--{funnel.type}"
        meta = " ".join(item.select_one(".fl-glance__meta").get_text(" ").split())
        assert f"{len(funnel.steps)} steps" in meta.split(" · ")[1]
        assert meta.endswith(f"{percent(funnel.end_to_end)} end to end · {EVIDENCE_LEVELS[funnel.evidence.level]}")
    codes = {abbr.get_text(): abbr["title"] for abbr in page.select(".fl-glance__key abbr")}
    assert sorted(codes.values()) == sorted(FUNNEL_TYPES.values()) and len(codes) == len(FUNNEL_TYPES)  # codes differ


def test_the_home_page_links_to_it_beside_browsing_the_library(built_site):
    home = parse_html(built_site / "index.html")
    links = home.select(".fl-home__all a")
    assert any(a["href"].rstrip("/").endswith("library/at-a-glance") for a in links)


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_it_fits_a_wide_screen_and_stacks_by_stage_on_a_phone(chromium, site_url, palette):
    """At 1440×900, each stage is a column side by side and, with up to four funnels at a stage,
    the whole overview is on the first screen; at 390 the stages stack, nothing scrolls sideways,
    and every title is at least 12 px."""
    tallest = max(len(LIBRARY.funnels_starting_at(stage.id)) for stage in LIBRARY.stages)
    for width, height in ((1440, 900), (390, 844)):
        page = open_page(chromium, f"{site_url}library/at-a-glance/", width=width, height=height, palette=palette)
        boxes = page.eval_on_selector_all(
            ".fl-glance__stage",
            "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })",
        )
        if width == 1440:
            assert len({round(top) for _, top, _, _ in boxes}) == 1  # one row of columns
            assert all(right <= 1440 for _, _, right, _ in boxes)
            if tallest <= 4:
                assert max(bottom for *_, bottom in boxes) <= height
        else:
            assert all(left >= 0 and right <= width for left, _, right, _ in boxes)
            assert [top for _, top, _, _ in boxes] == sorted(top for _, top, _, _ in boxes)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width
        sizes = page.eval_on_selector_all(
            ".fl-glance__item a, .fl-glance__meta", "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
        )
        assert min(sizes) >= 12
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"at-a-glance-{width}-{palette}.png"), full_page=width < 500)
        assert page.errors == []
        page.context.close()
