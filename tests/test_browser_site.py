"""The site in a real browser (Debian's Chromium through Playwright)."""

from __future__ import annotations

import math
import re

import pytest

from sites import load_bundled

LIBRARY = load_bundled()
FUNNEL = LIBRARY.funnels[0]


def diagram_colours(page) -> dict[str, str]:
    return page.evaluate(
        """() => {
            const svg = document.querySelector('figure.fl-diagram svg');
            const node = svg.querySelector('g.fl-step path, g.fl-step polygon');
            const text = svg.querySelector('g.fl-step text');
            const scheme = document.body.getAttribute('data-md-color-scheme');
            return {scheme, node: getComputedStyle(node).fill, text: getComputedStyle(text).fill,
                    background: getComputedStyle(document.body).backgroundColor};
        }"""
    )


def test_the_diagram_follows_the_palette_toggle_without_a_reload(browser_page, site_url):
    page = browser_page
    page.goto(f"{site_url}funnels/{FUNNEL.id}/")
    light = diagram_colours(page)
    svg_markup = page.inner_html("figure.fl-diagram")
    page.click("form[data-md-component=palette] label:visible")
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    dark = diagram_colours(page)
    assert (light["scheme"], dark["scheme"]) == ("default", "slate")
    assert light["node"] != dark["node"] and light["text"] != dark["text"]
    # In dark mode the node fill is the page background, not a white box, and the text is light.
    assert dark["node"] == dark["background"]
    assert dark["node"] != "rgb(255, 255, 255)"
    red, green, blue = (int(v) for v in re.findall(r"\d+", dark["text"])[:3])
    assert min(red, green, blue) > 150
    assert page.inner_html("figure.fl-diagram") == svg_markup  # the same SVG, restyled
    assert page.errors == []


def test_clicking_a_diagram_node_jumps_to_its_step(browser_page, site_url):
    page = browser_page
    page.goto(f"{site_url}funnels/{FUNNEL.id}/")
    last = FUNNEL.steps[-1]
    page.click(f'figure.fl-diagram a[href="#step-{last.id}"]')
    page.wait_for_function(f"location.hash === '#step-{last.id}'")
    in_view = page.evaluate(
        f"(() => {{ const r = document.getElementById('step-{last.id}').getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }})()"
    )
    assert in_view


def shown_numbers(page, selector: str) -> list[int]:
    return [int(text.replace(",", "")) for text in page.locator(selector).all_inner_texts()]


def set_volume_by_keyboard(page, text: str) -> None:
    field = page.locator("form.fl-calculator input[name=volume]")
    field.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


@pytest.mark.parametrize("volume", [1, 2500, 123457, 1000000000])
def test_the_calculator_agrees_exactly_with_the_builds_forecast(browser_page, site_url, volume):
    from funnel_library.core.forecast import forecast

    page = browser_page
    funnel = LIBRARY.funnels[1]
    page.goto(f"{site_url}funnels/{funnel.id}/")
    set_volume_by_keyboard(page, str(volume))
    people = forecast(volume, funnel.conversions)
    assert shown_numbers(page, '.fl-metrics tbody [data-derived="enter"]') == people[:-1]
    assert shown_numbers(page, '.fl-metrics tbody [data-derived="move-on"]') == people[1:]
    assert shown_numbers(page, '.fl-metrics caption [data-derived="reach-goal"]') == [people[-1]]
    assert shown_numbers(page, '.fl-metrics caption [data-derived="volume"]') == [volume]
    assert page.locator(".fl-calculator__error").inner_text() == ""
    assert page.errors == []


@pytest.mark.parametrize(
    "bad, message",
    [
        ("-5", "whole number"),
        ("abc", "whole number"),
        ("0", "at least 1"),
        ("1000000001", "at most 1,000,000,000"),
        ("2.5", "whole number"),
    ],
)
def test_the_calculator_rejects_bad_input_next_to_the_field_and_blanks_the_figures(
    browser_page, site_url, bad, message
):
    """No figure stays on screen for a volume that is not there: the derived figures show a dash
    until the input is valid again, then the right figures come back."""
    from funnel_library.core.forecast import forecast

    page = browser_page
    funnel = LIBRARY.funnels[1]
    page.goto(f"{site_url}funnels/{funnel.id}/")
    derived = '.fl-metrics [data-derived]:not([data-derived="end-to-end"])'
    # Numbers arrive in one input event, as when pasting (typed key by key, the figures follow
    # each valid prefix). Letters can only be typed: a number field then holds nothing valid.
    if re.fullmatch(r"[0-9.\-]+", bad):
        page.fill("form.fl-calculator input[name=volume]", bad)
    else:
        set_volume_by_keyboard(page, bad)
    error = page.locator(".fl-calculator__error")
    assert message in error.inner_text()
    assert page.locator("form.fl-calculator input[name=volume]").get_attribute("aria-invalid") == "true"
    assert set(page.locator(derived).all_inner_texts()) == {"\u2013"}
    assert page.locator(".fl-metrics").get_attribute("class").split() == ["fl-metrics", "fl-metrics--invalid"]
    set_volume_by_keyboard(page, "2000")
    assert error.inner_text() == ""
    people = forecast(2000, funnel.conversions)
    assert shown_numbers(page, '.fl-metrics tbody [data-derived="move-on"]') == people[1:]
    assert "fl-metrics--invalid" not in page.locator(".fl-metrics").get_attribute("class")


@pytest.mark.parametrize("path_kind", ["funnel", "journey"])
def test_the_words_agree_with_the_figures(browser_page, site_url, path_kind):
    """ "Of 1 lead that enters, 0 reach the goal", never "Of 1 leads"; and "1 reaches": in the unit
    of the stage the funnel (or the journey) starts at."""
    from funnel_library.core.forecast import forecast
    from funnel_library.core.model import journey_forecast

    page = browser_page
    if path_kind == "funnel":
        funnel = max(LIBRARY.funnels, key=lambda f: f.end_to_end)
        page.goto(f"{site_url}funnels/{funnel.id}/")
        run = lambda volume: forecast(volume, funnel.conversions)[-1]
        unit = LIBRARY.unit(funnel.input)
    else:
        journey = LIBRARY.journeys[0]
        funnels = [LIBRARY.funnel(f) for f in journey.funnels]
        page.goto(f"{site_url}journeys/{journey.id}/")
        run = lambda volume: journey_forecast(volume, funnels)[-1]
        unit = LIBRARY.unit(funnels[0].input)
    caption = page.locator(".fl-metrics caption")
    set_volume_by_keyboard(page, "1")
    assert caption.inner_text().startswith(f"Of 1 {unit[0]} that enters, ")
    share = run(10**9) / 10**9
    one = next((v for v in range(max(1, math.ceil(0.5 / share) - 2), math.ceil(0.5 / share) + 3) if run(v) == 1), None)
    if one and one <= 10**9:
        set_volume_by_keyboard(page, str(one))
        assert re.search(r", 1 (?:[a-z -]+ )?reaches the ", caption.inner_text())
    set_volume_by_keyboard(page, "100000")
    reached = run(100000)
    assert re.search(
        rf"Of 100,000 {unit[1]} that enter, {reached:,} (?:[a-z -]+ )?{'reaches' if reached == 1 else 'reach'} the ",
        caption.inner_text(),
    )


def test_the_journey_calculator_agrees_with_the_chained_forecast(browser_page, site_url):
    from funnel_library.core.model import journey_forecast

    journey = next(j for j in LIBRARY.journeys if j.loop)
    funnels = [LIBRARY.funnel(f) for f in journey.funnels]
    page = browser_page
    page.goto(f"{site_url}journeys/{journey.id}/")
    set_volume_by_keyboard(page, "5000000")
    people = journey_forecast(5_000_000, funnels)
    assert shown_numbers(page, '.fl-metrics tbody [data-derived="reach-goal"]') == people[1:]
    assert shown_numbers(page, '.fl-metrics caption [data-derived="reach-end"]') == [people[-1]]


def visible_card_ids(page) -> list[str]:
    return page.eval_on_selector_all(
        ".fl-cards > .fl-card:not([hidden])",
        "cards => cards.map(c => c.querySelector('a').getAttribute('href').split('/').filter(Boolean).pop())",
    )


def expected_ids(**chosen) -> list[str]:
    def values(funnel, name):
        return {
            "type": [funnel.type],
            "input": [funnel.input],
            "output": [funnel.output],
            "channel": list(funnel.channels),
            "evidence": [funnel.evidence.level],
            "tag": list(funnel.tags),
        }[name]

    return [f.id for f in LIBRARY.funnels if all(set(values(f, name)) & set(wanted) for name, wanted in chosen.items())]


def test_without_javascript_every_card_is_shown_and_controls_that_need_it_are_not(chromium, site_url):
    """With scripts off: every card, no filter form, no diagram toolbar or focus list; the map's
    frame still scrolls and takes keyboard focus."""
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{site_url}library/")
    assert page.locator("form.fl-filters").is_hidden()
    assert page.locator(".fl-cards > .fl-card:visible").count() == len(LIBRARY.funnels)
    # The cards leave out the badge of the level most share, so the line that names it must show.
    assert page.locator(".fl-results-bar__note").is_visible() and page.locator(".fl-result-count").is_visible()
    assert page.locator(".fl-filter-toggle").is_hidden() and page.locator(".fl-sort").is_hidden()
    page.goto(f"{site_url}library/map/")
    assert page.locator(".fl-viewer-tools").is_hidden() and page.locator("form.fl-focus").is_hidden()
    frame = page.locator(".fl-viewport")
    assert frame.get_attribute("tabindex") == "0"
    assert frame.evaluate("v => getComputedStyle(v).overflow === 'auto' && v.scrollWidth > v.clientWidth")
    context.close()


def test_with_javascript_the_controls_are_laid_out_before_the_first_paint(chromium, site_url):
    """No layout shift when the page script runs: the filters and the diagram toolbar are in
    place in the first frame (the head swaps no-js for js before the body is painted)."""
    context = chromium.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.add_init_script("""new PerformanceObserver(list => { window.flShift = (window.flShift || 0) +
        list.getEntries().filter(e => !e.hadRecentInput).reduce((sum, e) => sum + e.value, 0); })
        .observe({type: 'layout-shift', buffered: true});""")
    for path in ("library/", "library/map/", f"funnels/{LIBRARY.funnels[0].id}/"):
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.classList.contains('js')")
        assert page.evaluate("window.flShift || 0") < 0.01, path
    context.close()


def test_filters_combine_show_counts_and_live_in_the_url(browser_page, site_url):
    page = browser_page
    page.goto(f"{site_url}library/")
    assert sorted(visible_card_ids(page)) == sorted(f.id for f in LIBRARY.funnels)
    page.check('input[name="type"][value="sales-conversion"]')
    page.check('input[name="type"][value="customer-success"]')
    assert sorted(visible_card_ids(page)) == sorted(expected_ids(type=["sales-conversion", "customer-success"]))
    page.check('input[name="evidence"][value="benchmark"]')
    wanted = expected_ids(type=["sales-conversion", "customer-success"], evidence=["benchmark"])
    assert sorted(visible_card_ids(page)) == sorted(wanted) and wanted
    assert page.locator(".fl-result-count").inner_text() == f"Showing {len(wanted)} of {len(LIBRARY.funnels)} funnels"
    # Counts say how many cards a value would show, given the other groups' choices.
    illustrative = (
        page.locator('input[name="evidence"][value="illustrative"]')
        .locator("xpath=..")
        .locator(".fl-count")
        .inner_text()
    )
    assert (
        illustrative
        == f"({len(expected_ids(type=['sales-conversion', 'customer-success'], evidence=['illustrative']))})"
    )
    # In the form's order, and the type filter lists types in the journey's order.
    assert page.url.endswith("/library/?type=sales-conversion&type=customer-success&evidence=benchmark")
    page.reload()
    assert sorted(visible_card_ids(page)) == sorted(wanted)
    assert page.is_checked('input[name="evidence"][value="benchmark"]')
    page.click("[data-fl-clear]")
    assert len(visible_card_ids(page)) == len(LIBRARY.funnels) and page.url.endswith("/library/")
    assert page.errors == []


def test_a_combination_with_no_match_says_so(browser_page, site_url):
    page = browser_page
    page.goto(f"{site_url}library/?type=lead-generation&output=advocate")
    assert visible_card_ids(page) == []
    assert page.locator(".fl-no-match").is_visible()
    assert not page.locator(".fl-group[data-group='lead-generation']").is_visible()


def test_the_filters_work_from_the_keyboard(browser_page, site_url):
    page = browser_page
    page.goto(f"{site_url}library/lead-generation/")
    box = page.locator('input[name="channel"][value="email"]')
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    assert sorted(visible_card_ids(page)) == sorted(expected_ids(type=["lead-generation"], channel=["email"]))
    assert page.url.endswith("/library/lead-generation/?channel=email")
    page.keyboard.press("Space")
    assert len(visible_card_ids(page)) == len(expected_ids(type=["lead-generation"]))


@pytest.mark.parametrize("how", ["title", "step", "tag", "channel"])
def test_material_search_finds_a_funnel_and_links_to_its_page(browser_page, site_url, how):
    funnel = LIBRARY.funnel("buying-maze-guide")
    # The tag the fewest funnels share (tags come from library/tags.yml): any of those funnels answers.
    users: dict[str, list[str]] = {}
    for each in LIBRARY.funnels:
        for tag in each.tags:
            users.setdefault(tag, []).append(each.id)
    rarest = min(users, key=lambda tag: (len(users[tag]), tag))
    query = {"title": "buying group maze", "step": funnel.steps[1].name, "tag": rarest, "channel": "website"}[how]
    wanted = users[rarest] if how == "tag" else [funnel.id]
    page = browser_page
    page.goto(f"{site_url}library/")
    page.click(".md-search__input")
    page.keyboard.type(query)  # Material reacts to typing, not to a programmatic fill
    page.wait_for_selector(".md-search-result__item a", state="attached", timeout=15000)
    links = page.eval_on_selector_all(".md-search-result__item > a", "links => links.map(a => a.getAttribute('href'))")
    assert any(f"funnels/{funnel_id}/" in href for href in links for funnel_id in wanted), links
