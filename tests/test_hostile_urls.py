"""Hostile links: whoever shares a link writes its query, so no query may hang a visitor's tab, run
script, or make a page show figures that are not the forecast's. Every URL is loaded in Chromium
with a time limit: a page whose script loops never fires its load event, and the test fails there.

The planner's URLs are built from each page's own steps (read from the built HTML), so the test
holds for any library."""

from __future__ import annotations

import random
import re
from urllib.parse import quote

import pytest

from browser import open_page
from funnel_library.core.forecast import forecast
from sites import parse_html

LOAD_LIMIT_MS = 10_000

#: Values a link can carry where the planner expects a number: out of range, not numbers, too
#: long, numbers JavaScript reads as 0, Infinity or past 2**53, and text that is not digits.
HOSTILE_NUMBERS = [
    "0.001",
    "0.00999",
    "1e-300",
    "5e-324",
    "0",
    "-1",
    "-0",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e309",
    "1e21",
    "9" * 400,
    "0." + "0" * 300 + "1",
    "",
    " ",
    "%",
    "%%",
    "1,000",
    "\u0661\u0662",
    "0x10",
    "1e3",
    "12abc",
    "100.0000000001",
    "99.999999999999",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "__proto__",
    "constructor",
    "9007199254740993",
    "1000000000",
    "1000000001",
    "1",
    "20",
    "35",
    "100",
]


def steps_of(page_html) -> tuple[list[str], list[float]]:
    rows = page_html.select(".fl-metrics tbody tr")
    return [row.get("data-step") or row.get("data-funnel") for row in rows], [
        float(row["data-conversion"]) for row in rows
    ]


def planner_queries(keys: list[str], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    # The link of issue #30 that froze the tab: every share at 0.001% and a goal of 5.
    queries = [
        "&".join(f"share-{key}=0.001" for key in keys) + "&goal=5",
        "goal=5&" + "&".join(f"share-{key}=1e-300" for key in keys),
    ]
    for _ in range(count):
        params = [(f"share-{key}", rng.choice(HOSTILE_NUMBERS)) for key in keys if rng.random() < 0.7]
        params += [(rng.choice(["goal", "enter"]), rng.choice(HOSTILE_NUMBERS)) for _ in range(rng.choice([1, 1, 2]))]
        rng.shuffle(params)
        queries.append("&".join(f"{name}={quote(value, safe='')}" for name, value in params))
    return queries


def check_planner(page, keys: list[str], recipe: list[float]) -> None:
    """Either the planner says what is wrong and blanks every figure, or every figure is the forecast's."""
    error = page.inner_text(".fl-calculator__error")
    derived = page.locator(".fl-metrics [data-derived]").all_inner_texts()
    if error:
        moving = page.locator('.fl-metrics [data-derived]:not([data-derived="end-to-end"])').all_inner_texts()
        assert moving and set(moving) == {"\u2013"}, (error, derived)
        fields = page.locator(".fl-share-input")
        for i in range(fields.count()):  # every share the link got wrong is marked, not only the first
            if not _is_share(fields.nth(i).input_value()):
                assert fields.nth(i).get_attribute("aria-invalid") == "true", fields.nth(i).input_value()
        return
    fields = page.locator(".fl-share-input")
    shares = [float(fields.nth(i).input_value()) / 100 for i in range(fields.count())] if fields.count() else recipe
    assert len(shares) == len(keys)
    volume = int(page.input_value("input[name=volume]").replace(",", ""))
    assert 1 <= volume <= 1_000_000_000
    people = forecast(volume, shares)
    shown = [
        int(t.replace(",", "")) for t in page.locator('.fl-metrics tbody [data-derived="enter"]').all_inner_texts()
    ]
    assert shown == people[:-1], (shown, people)
    goal = page.input_value("input[name=target]")
    if goal:
        target = int(goal.replace(",", ""))
        assert people[-1] >= target and (volume == 1 or forecast(volume - 1, shares)[-1] < target), (
            volume,
            target,
            shares,
        )


def _is_share(text: str) -> bool:
    """A percentage the planner accepts: digits, from 0.01 to 100."""
    return re.fullmatch(r"[0-9]{1,12}(\.[0-9]{1,12})?", text) is not None and 0.01 <= float(text) <= 100


def load(page, url: str) -> None:
    page.goto(url, timeout=LOAD_LIMIT_MS, wait_until="load")
    page.wait_for_function("() => true", timeout=LOAD_LIMIT_MS)  # the page's script has let go of the tab


@pytest.fixture
def hostile_page(chromium):
    page = open_page(chromium, "about:blank", width=1440, height=900)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs
    yield page
    page.context.close()


def test_no_planner_link_hangs_a_funnel_page_or_shows_figures_that_are_not_the_forecast(
    hostile_page, site_url, built_site
):
    pages = sorted((built_site / "funnels").glob("*/index.html"))[:3]
    assert pages, "the library has no funnel page"
    for number, path in enumerate(pages):
        keys, recipe = steps_of(parse_html(path))
        for query in planner_queries(keys, 25, seed=number):
            url = f"{site_url}funnels/{path.parent.name}/?{query}"
            load(hostile_page, url)
            check_planner(hostile_page, keys, recipe)
            assert hostile_page.errors == [] and hostile_page.dialogs == [], url


def test_no_planner_link_hangs_a_journey_page(hostile_page, site_url, built_site):
    pages = sorted((built_site / "journeys").glob("*/index.html"))[:2]
    for number, path in enumerate(pages):
        keys, recipe = steps_of(parse_html(path))
        for query in planner_queries(keys, 15, seed=100 + number):
            url = f"{site_url}journeys/{path.parent.name}/?{query}"
            load(hostile_page, url)
            check_planner(hostile_page, keys, recipe)
            assert hostile_page.errors == [] and hostile_page.dialogs == [], url


HOSTILE_WORDS = [
    "__proto__",
    "constructor",
    "toString",
    "hasOwnProperty",
    "../../etc",
    "%00",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "a" * 5000,
    ",".join(["x"] * 3000),
    "stage-" + "a" * 3000,
    "funnel-__proto__",
    "\u202e",
    "",
]


def test_no_filter_sort_focus_or_compare_link_hangs_a_page_or_breaks_its_script(hostile_page, site_url, built_site):
    library = parse_html(built_site / "library" / "index.html")
    facets = sorted({box["name"] for box in library.select(".fl-facet input[type=checkbox]")})
    real_ids = [path.parent.name for path in sorted((built_site / "funnels").glob("*/index.html"))[:3]]
    urls = []
    for word in HOSTILE_WORDS:
        value = quote(word, safe="")
        urls.append(f"{site_url}library/?sort={value}&" + "&".join(f"{facet}={value}" for facet in facets))
        urls.append(f"{site_url}library/map/?focus={value}")
        urls.append(f"{site_url}library/compare/?f={value}")
        urls.append(f"{site_url}library/compare/?f={quote(','.join(real_ids[:2] + [word]), safe='')}")
    urls.append(f"{site_url}library/compare/?f=" + ",".join(real_ids * 500))
    urls.append(f"{site_url}library/?" + "&".join(f"sort=s{i}" for i in range(2000)))
    for url in urls:
        load(hostile_page, url)
        assert hostile_page.errors == [] and hostile_page.dialogs == [], url[:300]
    # A sort the page does not offer falls back to its first order instead of an empty choice.
    load(hostile_page, f"{site_url}library/?sort=constructor")
    assert hostile_page.eval_on_selector("select[data-fl-sort]", "select => select.selectedIndex") >= 0
