"""Cards that scan: a few lines each (title, two lines of summary, the shape with its figures, who
runs it and the compare box), and no card repeats the type its page or group is about (a listing
that mixes types shows it: see test_large_library)."""

from __future__ import annotations

import pytest

from browser import open_page
from funnel_library.core.vocabulary import FUNNEL_TYPES
from sites import REPO

ARTIFACTS = REPO / "test-artifacts" / "screenshots"
MEASURE = """cards => cards.map(card => {
  const box = el => el ? el.getBoundingClientRect() : null;
  const summary = card.querySelector('.fl-card__summary'), figures = card.querySelector('.fl-card__figures');
  const type = card.querySelector('.fl-badge--type'), badges = card.querySelector('.fl-card__badges');
  return {
    // What the card's own lines take (a card in a grid row stretches to its tallest neighbour).
    height: Math.max(...[...card.children].map(child => box(child).bottom)) - box(card).top, title: box(card.querySelector('.fl-card__title')).height, badges: box(badges).height,
    summaryLines: box(summary).height / parseFloat(getComputedStyle(summary).lineHeight),
    figuresCut: figures.scrollWidth > figures.clientWidth + 1,
    typeShown: !!type && type.getClientRects().length > 0,
    inside: [...card.children].every(child => {
      const r = child.getBoundingClientRect(), c = box(card);
      return r.width === 0 || (r.left >= c.left - 0.5 && r.right <= c.right + 0.5);
    }),
  };
})"""


@pytest.mark.parametrize("width, height", [(1440, 900), (390, 844)])
def test_cards_are_short_and_show_their_figures_whole(chromium, site_url, width, height):
    pages = ["library/"] + [f"library/{funnel_type}/" for funnel_type in FUNNEL_TYPES]
    for path in pages:
        page = open_page(chromium, site_url + path, width=width, height=height)
        cards = page.eval_on_selector_all(".fl-cards > .fl-card", MEASURE)
        assert cards, path
        for card in cards:
            # Below the title: at most a badge row, two lines of summary, the shape and the owners' row.
            assert card["height"] <= card["title"] + card["badges"] + 160, (path, card)
            assert card["summaryLines"] <= 2.05 and not card["figuresCut"] and card["inside"], (path, card)
            # A type page, and the library's groups under their type's heading, name the type once.
            assert not card["typeShown"], (path, card)
        if path != "library/" and width == 390:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"cards-{path.split('/')[1]}-{width}.png"))
        assert page.errors == []
        page.context.close()
