"""Keyboard only (issue #27, item 7): walking the whole tab order at 390x844 and 1440x900, focus is
never on an element nobody can see, and the search box closes when focus leaves it."""

from __future__ import annotations

import pytest

from browser import open_page
from test_search import open_search, search

SIZES = {"phone": (390, 844), "desktop": (1440, 900)}
PAGES = ["", "library/", "funnels/cold-email-to-meeting/", "library/map/"]
#: More stops than any of these pages has: the walk ends when focus comes back to where it began.
MOST_STOPS = 400

#: Where the focused element is, once transitions have ended: its box, whether it or an ancestor is
#: hidden or transparent, and the viewport.
WHERE_FOCUS_IS = """async () => {
    await Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)));
    const focused = document.activeElement;
    if (!focused || focused === document.body) return null;
    // Material's palette switch is a radio button drawn by the label after it (which shows the
    // focus ring): the label is what the visitor sees.
    const drawnBy = focused.matches('input.md-option') && focused.nextElementSibling && focused.nextElementSibling.matches('label');
    const el = drawnBy ? focused.nextElementSibling : focused;
    const box = el.getBoundingClientRect();
    let hidden = false;
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
        const style = getComputedStyle(node);
        if (style.visibility === 'hidden' || style.display === 'none' || parseFloat(style.opacity) === 0) hidden = true;
    }
    return {
        what: focused.outerHTML.slice(0, 160), x: box.x, y: box.y, width: box.width, height: box.height, hidden,
        viewport: [window.innerWidth, window.innerHeight],
        search_open: document.getElementById('__search') ? document.getElementById('__search').checked : false,
    };
}"""


def on_screen(where: dict) -> bool:
    width, height = where["viewport"]
    return (
        not where["hidden"]
        and where["width"] > 0
        and where["height"] > 0
        and where["x"] + where["width"] > 0
        and where["x"] < width
        and where["y"] + where["height"] > 0
        and where["y"] < height
    )


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("path", PAGES)
def test_every_tab_stop_is_visible(chromium, site_url, path, size):
    width, height = SIZES[size]
    page = open_page(chromium, f"{site_url}{path}", width=width, height=height)
    try:
        seen: list[str] = []
        for _ in range(MOST_STOPS):
            page.keyboard.press("Tab")
            where = page.evaluate(WHERE_FOCUS_IS)
            if where is None:
                break  # past the last stop: focus left the page
            assert on_screen(where), (path, size, len(seen), where)
            if seen and where["what"] == seen[0]:
                break
            seen.append(where["what"])
        else:
            pytest.fail(f"{path} at {size}: more than {MOST_STOPS} tab stops")
        assert len(seen) > 5, seen
        assert page.errors == []
    finally:
        page.context.close()


@pytest.mark.parametrize("size", SIZES)
def test_the_search_box_closes_when_focus_leaves_it(chromium, site_url, size):
    width, height = SIZES[size]
    page = open_page(chromium, f"{site_url}library/", width=width, height=height)
    try:
        open_search(page, width)
        groups = search(page, "referral")
        results = sum(len(hrefs) for _, hrefs in groups)
        assert results
        assert page.evaluate("document.getElementById('__search').checked")
        # Forward: through the results while the box is open, each on screen; then out of it, and it closes.
        for _ in range(results + 10):
            page.keyboard.press("Tab")
            where = page.evaluate(WHERE_FOCUS_IS)
            inside = page.evaluate("document.activeElement.closest('.md-search') !== null")
            if not inside:
                break
            assert where and on_screen(where), where
        else:
            pytest.fail("Tab never left the search box")
        page.wait_for_function("!document.getElementById('__search').checked")
        where = page.evaluate(WHERE_FOCUS_IS)
        assert where is None or on_screen(where), where
        # Backward: Shift+Tab from the input leaves the box, and it closes too.
        open_search(page, width)
        page.wait_for_function("document.getElementById('__search').checked")
        page.keyboard.press("Shift+Tab")
        page.wait_for_function("!document.getElementById('__search').checked")
        where = page.evaluate(WHERE_FOCUS_IS)
        assert where is None or on_screen(where), where
        assert page.errors == []
    finally:
        page.context.close()
