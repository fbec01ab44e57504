"""The planner on funnel and journey pages: aim for a number at the end, use your own shares; the
state lives in the URL and a reload restores it; invalid input never leaves stale figures."""

from __future__ import annotations

import math

import pytest

from browser import open_page
from funnel_library.core.forecast import forecast
from funnel_library.core.model import journey_forecast
from funnel_library.rendering.labels import percent
from sites import load_bundled, parse_html

LIBRARY = load_bundled()
# A funnel whose own shares start from the recipe's: one that no report measures.
FUNNEL = next(f for f in LIBRARY.funnels if not LIBRARY.reports_for(f.id))


def needed_start(target: int, conversions) -> int:
    """The fewest people who must enter so that at least ``target`` reach the end (by brute force,
    from a start whose forecast is surely short of it)."""
    volume = max(1, int((target - 1) / math.prod(conversions)) - 1)
    assert volume == 1 or forecast(volume, conversions)[-1] < target
    while forecast(volume, conversions)[-1] < target:
        volume += 1
    return volume


def figures(page) -> dict:
    numbers = lambda selector: [int(t.replace(",", "")) for t in page.locator(selector).all_inner_texts()]
    return {
        "volume": numbers('.fl-metrics caption [data-derived="volume"]'),
        "enter": numbers('.fl-metrics tbody [data-derived="enter"]'),
        "move_on": numbers('.fl-metrics tbody [data-derived="move-on"]'),
        "goal": numbers('.fl-metrics caption [data-derived="reach-goal"]'),
    }


def expected(volume: int, conversions) -> dict:
    people = forecast(volume, conversions)
    return {"volume": [volume], "enter": people[:-1], "move_on": people[1:], "goal": [people[-1]]}


@pytest.mark.parametrize("width", [390, 1440])
def test_aim_for_a_number_at_the_goal_and_see_how_many_must_start(chromium, site_url, width):
    page = open_page(chromium, f"{site_url}funnels/{FUNNEL.id}/", width=width, height=900)
    try:
        page.fill("input[name=target]", "20")
        start = needed_start(20, FUNNEL.conversions)
        assert page.input_value("input[name=volume]") == f"{start:,}"
        assert figures(page) == expected(start, FUNNEL.conversions)
        assert forecast(start - 1, FUNNEL.conversions)[-1] < 20 <= forecast(start, FUNNEL.conversions)[-1]
        assert (
            page.inner_text(".fl-calculator__plan")
            == f"To have at least 20 at the goal, start with {start:,} {LIBRARY.unit(FUNNEL.input)[1]}."
        )
        assert page.url.endswith(f"/funnels/{FUNNEL.id}/?goal=20")
        for field in ("input[name=volume]", "input[name=target]", ".fl-calculator__shares"):
            box = page.locator(field).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, (field, box)
        page.reload()
        assert page.input_value("input[name=target]") == "20" and figures(page) == expected(start, FUNNEL.conversions)
        # Typing a start again leaves goal seeking.
        page.fill("input[name=volume]", "3000")
        assert page.input_value("input[name=target]") == "" and page.url.endswith("?enter=3000")
        assert figures(page) == expected(3000, FUNNEL.conversions)
        assert page.errors == []
    finally:
        page.context.close()


def test_own_shares_change_the_figures_and_the_url_and_a_reload_restores_them(chromium, site_url):
    page = open_page(chromium, f"{site_url}funnels/{FUNNEL.id}/", width=1440, height=900)
    try:
        page.click(".fl-calculator__shares")
        fields = page.locator(".fl-share-input")
        assert fields.count() == len(FUNNEL.steps)
        assert [float(v) for v in (fields.nth(i).input_value() for i in range(fields.count()))] == [
            c * 100 for c in FUNNEL.conversions
        ]
        fields.nth(2).fill("24")
        own = list(FUNNEL.conversions)
        own[2] = 0.24
        assert figures(page) == expected(1000, own)
        end = math.prod(own)
        assert page.inner_text('.fl-metrics caption [data-derived="end-to-end"]') == percent(end)
        assert page.locator('.fl-metrics tbody [data-derived="reached"]').all_inner_texts()[-1] == percent(end)
        assert page.url.endswith(f"?enter=1000&share-{FUNNEL.steps[2].id}=24")
        page.fill("input[name=target]", "30")
        start = needed_start(30, own)
        assert figures(page) == expected(start, own)
        page.reload()
        assert page.locator(".fl-share-input").nth(2).input_value() == "24"
        assert figures(page) == expected(start, own)
        # Back to the recipe: its shares and texts return, and the URL forgets the own shares.
        page.click(".fl-calculator__shares")
        assert page.locator(".fl-share-input").count() == 0
        assert page.locator(".fl-metrics tbody [data-share]").all_inner_texts() == [
            percent(c) for c in FUNNEL.conversions
        ]
        assert figures(page) == expected(needed_start(30, FUNNEL.conversions), FUNNEL.conversions)
        assert "share-" not in page.url
        assert page.errors == []
    finally:
        page.context.close()


@pytest.mark.parametrize("bad", ["0", "150", ""])
def test_an_invalid_share_blanks_every_figure_it_would_change(chromium, site_url, bad):
    page = open_page(chromium, f"{site_url}funnels/{FUNNEL.id}/", width=1440, height=900)
    try:
        page.click(".fl-calculator__shares")
        page.locator(".fl-share-input").nth(1).fill(bad)
        assert page.inner_text(".fl-calculator__error") != ""
        assert page.locator(".fl-share-input").nth(1).get_attribute("aria-invalid") == "true"
        texts = page.locator(".fl-metrics [data-derived]").all_inner_texts()
        assert texts and set(texts) == {"\u2013"}, texts
        page.locator(".fl-share-input").nth(1).fill(f"{FUNNEL.conversions[1] * 100:g}")  # the recipe's share again
        assert page.inner_text(".fl-calculator__error") == ""
        assert figures(page) == expected(1000, FUNNEL.conversions)
    finally:
        page.context.close()


def test_an_unreachable_goal_says_so_instead_of_showing_figures(chromium, site_url):
    page = open_page(chromium, f"{site_url}funnels/{FUNNEL.id}/?goal=999999999", width=1440, height=900)
    try:
        assert page.inner_text(".fl-calculator__error") == (
            f"Not reachable with these shares: even 1,000,000,000 {LIBRARY.unit(FUNNEL.input)[1]} at the start would bring fewer than 999,999,999 to the end. "
            "Aim lower, or raise the shares."
        )
        assert set(page.locator(".fl-metrics tbody [data-derived]").all_inner_texts()) == {"\u2013"}
    finally:
        page.context.close()


def test_a_journey_plans_backwards_from_its_end_too(chromium, site_url):
    journey = LIBRARY.journeys[0]
    funnels = [LIBRARY.funnel(f) for f in journey.funnels]
    shares = [f.end_to_end for f in funnels]
    page = open_page(chromium, f"{site_url}journeys/{journey.id}/?goal=5", width=1440, height=900)
    try:
        start = needed_start(5, shares)
        assert journey_forecast(start, funnels)[-1] >= 5 > journey_forecast(start - 1, funnels)[-1]
        assert page.input_value("input[name=volume]") == f"{start:,}"
        assert (
            page.inner_text(".fl-calculator__plan")
            == f"To have at least 5 at the end of the journey, start with {start:,} {LIBRARY.unit(funnels[0].input)[1]}."
        )
        reach = page.inner_text('.fl-metrics caption [data-derived="reach-end"]')
        assert int(reach.replace(",", "")) == journey_forecast(start, funnels)[-1]
    finally:
        page.context.close()


def test_pages_say_the_forecast_is_one_pass_where_the_diagram_draws_loops(built_site):
    for funnel in LIBRARY.funnels:
        notes = [
            p.get_text() for p in parse_html(built_site / "funnels" / funnel.id / "index.html").select("p.fl-one-pass")
        ]
        assert len(notes) == (1 if funnel.flows else 0), funnel.id
    for journey in LIBRARY.journeys:
        text = (
            parse_html(built_site / "journeys" / journey.id / "index.html")
            .select_one(".fl-metrics + .fl-note")
            .get_text()
        )
        assert ("one round of the loop" in text) == journey.loop


def test_a_wrong_goal_is_kept_in_the_address_and_the_blank_figures_read_as_words(chromium, site_url):
    page = open_page(chromium, f"{site_url}funnels/{FUNNEL.id}/", width=1440, height=900)
    try:
        page.fill("input[name=target]", "20")
        assert page.evaluate("location.search") == "?goal=20"
        page.fill("input[name=target]", "20x")
        assert (
            page.evaluate("location.search") == "?goal=20x"
        )  # not the last valid goal: a reload shows what the visitor sees
        caption = page.inner_text(".fl-metrics caption")
        assert caption.startswith(f"Of \u2013 {LIBRARY.unit(FUNNEL.input)[1]} that enter, \u2013 reach the goal."), (
            caption
        )
        page.reload()
        assert page.input_value("input[name=target]") == "20x" and page.inner_text(".fl-calculator__error") != ""
    finally:
        page.context.close()


def test_numbers_in_the_planner_have_separators_and_each_share_sits_beside_its_unit(chromium, site_url):
    journey = LIBRARY.journeys[0] if LIBRARY.journeys else None
    page = open_page(chromium, f"{site_url}funnels/{FUNNEL.id}/?enter=25000", width=390, height=844)
    try:
        assert page.input_value("input[name=volume]") == "25,000"
        page.fill("input[name=volume]", "1234567")
        page.locator("input[name=volume]").blur()
        assert (
            page.input_value("input[name=volume]") == "1,234,567"
            and page.evaluate("location.search") == "?enter=1234567"
        )
        page.click(".fl-calculator__shares")
        for pair in page.locator(".fl-share-field").all():
            field, unit = pair.locator("input").bounding_box(), pair.locator("span").bounding_box()
            assert (
                0 <= unit["x"] - (field["x"] + field["width"]) <= 6
                and abs(unit["y"] + unit["height"] / 2 - (field["y"] + field["height"] / 2)) < 6
            )
        if journey:
            page.goto(f"{site_url}journeys/{journey.id}/")
            volume = page.input_value("input[name=volume]")
            assert volume == f"{int(volume.replace(',', '')):,}"
    finally:
        page.context.close()
