"""The search box in a real browser: Pagefind behind Material's search markup.

Visitors look for recipes, so funnel pages come first; the contributor guide comes last.
Nothing is fetched for search until someone searches.
"""

from __future__ import annotations

import pytest

from browser import open_page
from sites import REPO, load_bundled
from test_focus_and_narrow import contrast, rgb

LIBRARY = load_bundled()
ARTIFACTS = REPO / "test-artifacts" / "screenshots"
SIZES = {"phone": (390, 844), "desktop": (1440, 900)}
#: Words a visitor looking for a recipe types (issue #13).
FUNNEL_WORDS = ["cold email", "linkedin", "referral", "demo", "renewal", "webinar"]


def open_search(page, width: int) -> None:
    if width < 960:  # Material shows a search button in the header; the box opens over the page
        page.click("label.fl-search-button")
    else:
        page.click(".md-search__input")
    page.wait_for_function("document.activeElement && document.activeElement.matches('.md-search__input')")


def search(page, query: str) -> list[tuple[str, list[str]]]:
    """Type ``query`` and wait for its results: [(section, [href, ...]), ...] in the order shown."""
    page.fill(".md-search__input", "")
    page.keyboard.type(query)
    page.wait_for_function(
        "q => document.querySelector('#fl-search-status').textContent.includes('\u201c' + q + '\u201d')",
        arg=query,
        timeout=20000,
    )
    return page.eval_on_selector_all(
        ".fl-search__group",
        "groups => groups.map(g => [g.dataset.section, [...g.querySelectorAll('a.md-search-result__link')].map(a => a.pathname)])",
    )


@pytest.mark.parametrize("size", SIZES)
def test_funnel_words_find_funnel_pages_first(chromium, site_url, size):
    width, height = SIZES[size]
    page = open_page(chromium, f"{site_url}library/", width=width, height=height)
    try:
        open_search(page, width)
        for query in FUNNEL_WORDS:
            groups = search(page, query)
            links = [href for _, hrefs in groups for href in hrefs]
            assert len(links) >= 3, (query, groups)
            assert all(href.startswith("/funnels/") for href in links[:3]), (query, links[:5])
            sections = [section for section, _ in groups]
            assert sections == sorted(sections, key=["funnels", "library", "guide"].index), (query, sections)
            # The first result is on screen and readable: inside the viewport, not under the header.
            box = page.locator("a.md-search-result__link").first.bounding_box()
            assert (
                box
                and box["y"] >= 40
                and box["y"] + 40 <= height
                and box["x"] >= 0
                and box["x"] + box["width"] <= width + 1
            ), (query, box)
        assert page.errors == []
    finally:
        page.context.close()


def test_every_funnel_is_found_by_its_title_and_opens_from_the_results(chromium, site_url):
    page = open_page(chromium, f"{site_url}library/", width=1440, height=900)
    try:
        open_search(page, 1440)
        for funnel in LIBRARY.funnels:
            groups = dict(search(page, funnel.title))
            assert f"/funnels/{funnel.id}/" in groups.get("funnels", [])[:3], (funnel.id, groups)
        page.keyboard.press("Enter")  # opens the first result
        page.wait_for_url(f"**/funnels/{LIBRARY.funnels[-1].id}/")
        assert page.errors == []
    finally:
        page.context.close()


def test_snippets_read_as_text_with_the_matched_words_marked(chromium, site_url):
    page = open_page(chromium, f"{site_url}library/", width=1440, height=900)
    try:
        open_search(page, 1440)
        search(page, "linkedin")
        snippets = page.eval_on_selector_all(
            ".fl-search__groups article p",
            "ps => ps.map(p => [p.textContent, p.querySelectorAll('mark').length, [...p.children].map(c => c.localName)])",
        )
        assert snippets
        for text, marks, children in snippets:
            assert marks >= 1 and set(children) == {"mark"}, (text, children)
            assert "<" not in text and "textyes" not in text.replace(" ", ""), text
    finally:
        page.context.close()


def test_furniture_words_do_not_find_funnel_pages(chromium, site_url):
    """Words that only appear in page furniture (downloads, the calculator) match no funnel page."""
    page = open_page(chromium, f"{site_url}library/", width=1440, height=900)
    try:
        open_search(page, 1440)
        own_word = {f"/funnels/{f.id}/" for f in LIBRARY.funnels if "download" in f.source_text.lower()}
        assert set(dict(search(page, "download")).get("funnels", [])) == own_word  # not every page's download links
        # A funnel's own summary finds its page, not the index pages that show its card: none holds
        # all its words (some may hold some of them, listed apart, after the pages with all).
        funnel = LIBRARY.funnel("cold-email-to-meeting")
        groups = dict(search(page, funnel.summary))
        assert groups.get("funnels", [])[:1] == [f"/funnels/{funnel.id}/"]
        with_all = page.eval_on_selector_all(
            ".fl-search__group ol:not(.fl-search__partial) a.md-search-result__link",
            "links => links.map(a => a.pathname)",
        )
        assert not any(href.startswith("/library/") for href in with_all), with_all
    finally:
        page.context.close()


def test_nothing_is_fetched_for_search_until_someone_searches(chromium, site_url):
    page = open_page(chromium, f"{site_url}funnels/cold-email-to-meeting/", width=1440, height=900)
    try:
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.reload()
        page.wait_for_load_state("networkidle")
        assert not [url for url in requested if "pagefind" in url or "search_index" in url], requested
        open_search(page, 1440)
        search(page, "referral")
        assert any(url.endswith("pagefind.js") for url in requested)
    finally:
        page.context.close()


def test_keyboard_only_search(chromium, site_url):
    """`/` opens the box, arrows move through the results, Enter opens one, Escape closes the box."""
    page = open_page(chromium, f"{site_url}library/", width=1440, height=900)
    try:
        page.keyboard.press("/")
        page.wait_for_function("document.activeElement.matches('.md-search__input')")
        page.keyboard.type("webinar")
        page.wait_for_function(
            "document.querySelector('#fl-search-status').textContent.includes('webinar')", timeout=20000
        )
        page.keyboard.press("ArrowDown")
        first = page.evaluate("document.activeElement.pathname")
        assert first.startswith("/funnels/")
        page.keyboard.press("ArrowDown")
        assert page.evaluate("document.activeElement.pathname") != first
        page.keyboard.press("ArrowUp")
        assert page.evaluate("document.activeElement.pathname") == first
        page.keyboard.press("Escape")
        assert not page.evaluate("document.getElementById('__search').checked")
        page.keyboard.press("s")
        page.wait_for_function("document.activeElement.matches('.md-search__input')")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        page.wait_for_url(f"**{first}")
    finally:
        page.context.close()


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_the_open_search_at_390_covers_the_page_and_reads_in_both_palettes(chromium, site_url, palette):
    page = open_page(chromium, f"{site_url}library/", width=390, height=844, palette=palette)
    try:
        open_search(page, 390)
        search(page, "referral")
        page.wait_for_timeout(500)  # Material fades the results in
        output = page.locator(".md-search__output").bounding_box()
        assert output and output["x"] <= 1 and output["width"] >= 388, output
        colours = page.evaluate("""() => {
            const link = document.querySelector('.md-search-result__link h3');
            const style = getComputedStyle(link);
            const bg = getComputedStyle(document.querySelector('.md-search__scrollwrap')).backgroundColor;
            return [style.color, bg, parseFloat(style.fontSize)];
        }""")
        assert contrast(rgb(colours[0]), rgb(colours[1])) >= 4.5, colours
        assert colours[2] >= 14, colours
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"search-390-{palette}.png"))
    finally:
        page.context.close()
