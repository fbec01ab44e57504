"""A rendered page and its parts: the slots a build fills in after search has indexed the page
(the diagram, deferred furniture), and the page's headings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from html import escape, unescape

Href = Callable[[str], str]


#: Where a funnel page's diagram goes. The caller swaps in the SVG after search has
#: indexed the page, so the search index never parses hundreds of SVG tags per page.
#: Entry text cannot produce it: every `<` from an entry is escaped.
DIAGRAM_SLOT = "<!-- funnel-library:diagram -->"


#: Templates wrap page furniture (forms, download links, lists of other funnels' cards
#: and links) in these markers. Such a region is cut out of the content that search
#: indexes, left as a slot, and put back afterwards (see :func:`defer_regions`):
#: search then neither parses it nor finds a funnel on every page that links to it.
DEFER_START = "<!-- funnel-library:defer -->"


DEFER_END = "<!-- funnel-library:end-defer -->"


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    title: str
    #: the title as HTML for a table of contents: escaped, with the entry text in it still in its `<bdi>`
    label: str = ""

    @property
    def html(self) -> str:
        return self.label or escape(self.title)


@dataclass(frozen=True)
class RenderedPage:
    title: str
    html: str
    #: the page wants the contents column for itself (listings, the map): no table of contents
    wide: bool = False
    #: the page also takes the navigation's column (home, the map, the circles, compare); the
    #: navigation stays in the menu on narrow screens and in the tabs on wide ones
    full_width: bool = False
    #: where the theme's "skip to content" link should lead, when that is not a heading (the results)
    skip_to: Heading | None = None

    @cached_property  # a page kept between serve rebuilds is asked again
    def headings(self) -> tuple[Heading, ...]:
        """The table of contents: the h2 and h3 headings with an id, as the templates printed them
        (after :attr:`skip_to`)."""
        found = headings_in(self.html)
        return ((self.skip_to,) if self.skip_to else ()) + found

    @cached_property
    def anchors(self) -> frozenset[str]:
        """Every id on the page: the anchors that a link from another page may point at."""
        return frozenset(ID_ATTRIBUTE.findall(self.html))


_HEADING = re.compile(r"<h([23])(\s[^>]*)?>(.*?)</h\1>", re.DOTALL)


ID_ATTRIBUTE = re.compile(r'\sid="([^"]+)"')


_TAG = re.compile(r"<[^>]*>")


_TAG_BUT_ISOLATE = re.compile(r"<(?!/?bdi>)[^>]*>")


#: The results of a listing: not a heading, but where "skip to content" should lead.
RESULTS = Heading(2, "results", "Results")


def headings_in(html_text: str) -> tuple[Heading, ...]:
    """The h2 and h3 elements of ``html_text`` that have an id, with their text."""
    return tuple(heading for match in _HEADING.finditer(html_text) if (heading := _heading(match)))


def heading_at(html_text: str, offset: int) -> tuple[Heading, int] | None:
    """The h2 or h3 with an id that starts at ``offset``, and the offset where it ends."""
    match = _HEADING.match(html_text, offset)
    heading = _heading(match) if match else None
    return (heading, match.end()) if heading and match else None


def _heading(match: re.Match[str]) -> Heading | None:
    found = ID_ATTRIBUTE.search(match.group(2) or "")
    if not found:
        return None
    inner = match.group(3)
    return Heading(
        int(match.group(1)),
        unescape(found.group(1)),
        " ".join(unescape(_TAG.sub("", inner)).split()),
        " ".join(_TAG_BUT_ISOLATE.sub("", inner).split()),
    )


def defer_regions(html: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Cut the regions between :data:`DEFER_START` and :data:`DEFER_END` out of ``html``.

    Returns the HTML with a slot comment in place of each region, and the
    (slot, region) pairs. Entry text cannot produce a marker: every `<` from an
    entry is escaped, and sanitized Markdown keeps no comments.
    """
    pieces = html.split(DEFER_START)
    out, deferred = [pieces[0]], []
    if DEFER_END in pieces[0]:
        raise ValueError("a template closes a deferred region it did not open")
    for index, piece in enumerate(pieces[1:], start=1):
        region, found, rest = piece.partition(DEFER_END)
        if not found or DEFER_END in rest:
            raise ValueError("a template's deferred regions are unbalanced or nested")
        slot = f"<!-- funnel-library:slot {index} -->"
        deferred.append((slot, region))
        out += [slot, rest]
    return "".join(out), tuple(deferred)
