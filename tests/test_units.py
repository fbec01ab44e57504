"""Every figure in a planner or a forecast says what it counts: the unit of the stage it starts at
("Of 1,000 target accounts that enter"), never a bare number of "people" where the stage counts
accounts or customers. Rules over the bundled library, read from the built pages."""

from __future__ import annotations

import re

import pytest

from sites import load_bundled, parse_html

LIBRARY = load_bundled()


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_stage_names_its_unit():
    for stage in LIBRARY.stages:
        assert stage.unit_one and stage.unit_other and stage.unit_one != stage.unit_other, stage.id


@pytest.mark.parametrize("funnel", LIBRARY.funnels, ids=lambda f: f.id)
def test_a_funnel_forecast_and_planner_count_in_the_unit_of_its_first_stage(built_site, funnel):
    one, other = LIBRARY.unit(funnel.input)
    page = parse_html(built_site / "funnels" / funnel.id / "index.html")
    caption = words(page.select_one(".fl-metrics caption").get_text())
    assert re.match(rf"Of [\d,]+ {re.escape(other)} that enter, ", caption), caption
    form = page.select_one("form.fl-calculator")
    assert (form["data-unit-one"], form["data-unit-other"]) == (one, other)
    assert words(form.select_one(".fl-calculator__field").get_text()).endswith(other)


@pytest.mark.parametrize("journey", LIBRARY.journeys, ids=lambda j: j.id)
def test_each_figure_of_a_journey_forecast_carries_its_funnels_unit(built_site, journey):
    funnels = [LIBRARY.funnel(f) for f in journey.funnels]
    page = parse_html(built_site / "journeys" / journey.id / "index.html")
    rows = page.select(".fl-journey-forecast tbody tr")
    assert len(rows) == len(funnels)
    for row, funnel in zip(rows, funnels):
        enter, reach = row.select_one('[data-label="Enter"]'), row.select_one('[data-label="Reach its goal"]')
        count = int(enter.select_one('[data-derived="enter"]').get_text().replace(",", ""))
        assert words(enter.get_text()).endswith(LIBRARY.unit(funnel.input)[0 if count == 1 else 1]), funnel.id
        count = int(reach.select_one('[data-derived="reach-goal"]').get_text().replace(",", ""))
        assert words(reach.get_text()).endswith(LIBRARY.unit(funnel.output)[0 if count == 1 else 1]), funnel.id
    caption = words(page.select_one(".fl-journey-forecast caption").get_text())
    assert (
        caption.startswith("Of ")
        and f" {LIBRARY.unit(funnels[0].input)[1]} that enter" in caption
        or f" {LIBRARY.unit(funnels[0].input)[0]} that enters" in caption
    )
    note = page.select_one(".fl-planning-example")
    if note is not None:
        assert re.search(
            rf"needs [\d,]+ {re.escape(LIBRARY.unit(funnels[0].input)[1])} at its first stage", words(note.get_text())
        )
