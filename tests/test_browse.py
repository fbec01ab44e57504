"""Browsing the library as a visitor, in Chromium at 390×844 and 1440×900: results come first,
facets beside them (wide) or behind one Filter button (narrow), values that match nothing cannot
be ticked, long facets open with "Show all", cards sort with the choice kept in the URL, and the
keyboard reaches the first result within five Tab presses."""

from __future__ import annotations

import pytest

import browser
from funnel_library.core.library import load_library
from funnel_library.core.vocabulary import FUNNEL_TYPES
from sites import REPO, load_bundled, parse_html

LIBRARY = load_bundled()
ARTIFACTS = REPO / "test-artifacts" / "screenshots"
SIZES = {390: 844, 1440: 900}
LISTS = ["library/"] + [f"library/{funnel_type}/" for funnel_type in FUNNEL_TYPES]


def open_page(chromium, site_url, path, width):
    return browser.open_page(chromium, site_url + path, width=width, height=SIZES[width])


def card_ids(page) -> list[str]:
    return page.eval_on_selector_all(
        ".fl-cards > .fl-card:not([hidden])",
        "cards => cards.map(c => c.querySelector('a').getAttribute('href').split('/').filter(Boolean).pop())",
    )


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("width", list(SIZES))
def test_the_first_result_is_in_the_first_screen(chromium, site_url, path, width):
    page = open_page(chromium, site_url, path, width)
    first = page.locator(".fl-cards > .fl-card").first.bounding_box()
    assert 0 < first["y"] < SIZES[width] - 60, f"first card at {first['y']:.0f}px"
    form, toggle = page.locator("form.fl-filters"), page.locator(".fl-filter-toggle")
    if width == 1440:  # facets in a column beside the results
        assert form.is_visible() and toggle.is_hidden()
        assert form.bounding_box()["x"] + form.bounding_box()["width"] <= first["x"]
    else:  # facets behind one button
        assert form.is_hidden() and toggle.is_visible()
    assert page.errors == []
    page.context.close()


@pytest.mark.parametrize("width", list(SIZES))
def test_filters_open_and_closed_screenshots_and_the_filter_button(chromium, site_url, width):
    page = open_page(chromium, site_url, "library/", width)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"library-{width}-filters-closed.png"))
    if width == 390:
        toggle = page.locator(".fl-filter-toggle")
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        assert page.locator("form.fl-filters").is_visible()
        assert page.evaluate("document.activeElement.name") == "type"  # focus moves into the facets
    page.check('input[name="type"][value="sales-conversion"]')
    assert sorted(card_ids(page)) == sorted(f.id for f in LIBRARY.funnels if f.type == "sales-conversion")
    page.screenshot(path=str(ARTIFACTS / f"library-{width}-filters-open.png"))
    if width == 390:
        assert page.locator(".fl-filter-toggle").text_content() == "Filter (1)"
    page.context.close()


def test_a_value_that_would_match_nothing_cannot_be_ticked(chromium, site_url):
    page = open_page(chromium, site_url, "library/", 1440)
    page.check('input[name="type"][value="customer-success"]')
    chosen = [f for f in LIBRARY.funnels if f.type == "customer-success"]
    for stage in LIBRARY.stages:
        box = page.locator(f'input[name="input"][value="{stage.id}"]')
        possible = sum(1 for f in chosen if f.input == stage.id)
        if box.count() == 0:
            continue
        assert box.is_disabled() == (possible == 0), stage.id
        assert box.locator("xpath=..").locator(".fl-count").text_content() == f"({possible})"
    assert page.locator('input[name="input"]:disabled').count() > 0
    assert page.locator(".fl-result-count").text_content() == f"Showing {len(chosen)} of {len(LIBRARY.funnels)} funnels"
    # Unticking frees them again.
    page.uncheck('input[name="type"][value="customer-success"]')
    assert page.locator('input[name="input"]:disabled').count() == 0
    page.context.close()


def test_long_facets_show_their_most_used_values_then_all(chromium, site_url):
    page = open_page(chromium, site_url, "library/", 1440)
    tags = page.locator('fieldset[data-facet="tag"]')
    total = tags.locator("label").count()
    assert total > 6
    shown = tags.locator("label:visible")
    assert shown.count() == 5
    counts = [int(text.strip("()")) for text in shown.locator(".fl-count").all_text_contents()]
    every = sorted((int(t.strip("()")) for t in tags.locator(".fl-count").all_text_contents()), reverse=True)
    assert counts == every[:5]  # the most used
    button = tags.locator(".fl-facet__all")
    assert button.text_content() == f"Show all {total}" and button.get_attribute("aria-expanded") == "false"
    button.click()
    assert tags.locator("label:visible").count() == total and button.get_attribute("aria-expanded") == "true"
    page.context.close()


@pytest.mark.parametrize(
    "sort, key",
    [
        ("conversion", lambda f: (-f.end_to_end, f.title.casefold())),
        ("steps", lambda f: (len(f.steps), f.title.casefold())),
        ("newest", lambda f: (-f.added.toordinal(), f.title.casefold())),
        ("title", lambda f: (f.title.casefold(),)),
    ],
)
def test_cards_sort_and_the_order_lives_in_the_url(chromium, site_url, sort, key):
    funnel_type = "lead-generation"
    page = open_page(chromium, site_url, f"library/{funnel_type}/", 1440)
    expected = [f.id for f in sorted(LIBRARY.funnels_of_type(funnel_type), key=key)]
    if sort == "title":
        assert card_ids(page) == expected  # the default, also without the script
        page.select_option("[data-fl-sort]", "conversion")
    page.select_option("[data-fl-sort]", sort)
    assert card_ids(page) == expected
    assert ("sort=" not in page.url) if sort == "title" else page.url.endswith(f"?sort={sort}")
    page.reload()
    page.wait_for_load_state("networkidle")
    assert card_ids(page) == expected and page.locator("[data-fl-sort]").input_value() == sort
    page.context.close()


@pytest.mark.parametrize("path", ["library/", "library/sales-conversion/"])
def test_the_keyboard_reaches_the_first_result_within_five_tab_presses(chromium, site_url, path):
    page = open_page(chromium, site_url, path, 1440)
    first_link = page.locator(".fl-cards > .fl-card a").first.get_attribute("href")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('md-skip')")  # the skip link comes first
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#results"
    page.keyboard.press("Enter")
    presses = 1
    while page.evaluate("document.activeElement.getAttribute('href')") != first_link:
        page.keyboard.press("Tab")
        presses += 1
        assert presses <= 5, page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
    page.context.close()


@pytest.mark.parametrize("width", list(SIZES))
def test_the_front_door_says_what_this_is_how_many_and_offers_three_ways_in(chromium, site_url, width):
    from funnel_library.rendering.listings import WAYS_IN, featured_funnel

    page = open_page(chromium, site_url, "", width)
    fold = SIZES[width]
    assert page.locator("h1").text_content() == "Funnel Library"
    pitch = page.locator(".fl-home__pitch")
    assert pitch.locator("strong").text_content() == f"{len(LIBRARY.funnels)} mini sales funnels"
    ways = page.locator("a.fl-way")
    assert ways.count() == len(WAYS_IN) >= 3
    for index, (title, funnel_type, _) in enumerate(WAYS_IN):
        way = ways.nth(index)
        box = way.bounding_box()
        assert box["y"] + box["height"] <= fold, f"{title} is below the first screen"
        assert way.locator(".fl-way__title").text_content() == title
        assert way.get_attribute("href") == f"library/{funnel_type}/"
        count = sum(1 for f in LIBRARY.funnels if f.type == funnel_type)
        assert way.locator(".fl-way__count").text_content().endswith(f"{count} funnel{'' if count == 1 else 's'}")
    featured = featured_funnel(LIBRARY)
    diagram = page.locator(".fl-featured svg.fl-diagram-svg")
    steps = diagram.locator("g.fl-step a")
    assert steps.count() == len(featured.steps)
    assert [steps.nth(i).get_attribute("href") for i in range(steps.count())] == [
        f"funnels/{featured.id}/#step-{step.id}" for step in featured.steps
    ]  # a step opens the funnel's page there
    if width == 1440:  # beside the ways in, whole in the first screen; home has no navigation column
        box = diagram.bounding_box()
        assert box["y"] + box["height"] <= fold, box
        assert page.locator(".md-sidebar--primary").is_hidden()
        assert page.locator(".fl-home__pitch").bounding_box()["x"] < 200
    else:  # the menu still leads to the library
        page.click(".md-header label[for='__drawer']")
        page.locator(".md-nav--primary a", has_text="Library").first.wait_for(state="visible")
        page.keyboard.press("Escape")
        page.reload()
    exports = page.locator(".fl-home__small a")
    assert [exports.nth(i).get_attribute("href") for i in range(3)] == [
        "api/funnels.json",
        "api/funnels.csv",
        "feed.xml",
    ]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"home-{width}.png"))
    steps.first.click()
    page.wait_for_url(f"**/funnels/{featured.id}/#step-{featured.steps[0].id}")
    assert page.errors == []
    page.context.close()


def test_the_type_and_team_facets_keep_the_journeys_order_and_every_card_names_its_teams(built_site):
    """Types and teams read in the order the journey meets them, not the alphabet's; a funnel's teams
    are the owners of the stages it starts and ends at."""
    from funnel_library.core.vocabulary import OWNERS
    from funnel_library.rendering.listings import teams

    library = load_library(REPO / "library")
    page = parse_html(built_site / "library" / "index.html")
    for name, vocabulary in (("type", FUNNEL_TYPES), ("team", OWNERS)):
        values = [box["value"] for box in page.select(f'fieldset[data-facet="{name}"] input')]
        present = {v for f in library.funnels for v in ([f.type] if name == "type" else teams(library, f))}
        if values:  # a group every card shares one value of offers no choice and is left out
            assert values == [v for v in vocabulary if v in present], name
    for card in page.select(".fl-card"):
        funnel = library.funnel(card.select_one(".fl-compare-box")["value"])
        stage_owners = {library.stage(funnel.input).owner, library.stage(funnel.output).owner}
        assert card["data-team"].split("|") == [owner for owner in OWNERS if owner in stage_owners]
