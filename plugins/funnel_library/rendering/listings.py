"""Which funnels a listing shows and in what order: pages of cards, facets and their counts, the
home page's featured funnel, and where a generated page sits in the navigation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from ..core.library import Library
from ..core.model import Funnel
from ..core.vocabulary import (
    EVIDENCE_LEVELS,
    FUNNEL_TYPES,
    MOTIONS,
    OWNERS,
)
from ..core.wording import agree, counted, number
from .formatting import CHAIN_BAR, CHAIN_GAP, CHAIN_HEIGHT, evidence_summary, run_by, step_chain
from .labels import percent
from .materials import (
    EFFORT_BANDS,
    effort_band,
)
from .routes import (
    JOURNEYS_INDEX,
    listing_first_page,
    type_src,
)

#: Upstream/downstream lists show at most this many funnels, so a page stays small in a large library.
MAX_CONNECTIONS = 12


#: Cards per page of a listing (the library, a type). Above this the listing is split into pages
#: that work without JavaScript; with it, filters and sorting reach every card (see CARDS_INDEX).
LISTING_PAGE_SIZE = 48


#: Lists of funnels on other pages (coverage, the map's moves, contributors) show at most this many,
#: then link to the library filtered to the rest.
LIST_LIMIT = 12


def page_count(total: int) -> int:
    return max(1, -(-total // LISTING_PAGE_SIZE))


def nav_parent(library: Library, src_uri: str) -> str | None:
    """The listed page a generated page belongs under: a funnel under its type, a journey under Journeys."""
    if src_uri.startswith("funnels/") and (funnel := library.funnel(src_uri[len("funnels/") : -len(".md")])):
        return type_src(funnel.type)
    if src_uri.startswith("journeys/"):
        return JOURNEYS_INDEX
    return listing_first_page(src_uri)


def evidence_state(funnels: tuple[Funnel, ...]) -> str:
    """How many funnels stand on each level of evidence, in words: what the front door promises
    is what the library holds ("of the 23 funnels, none is tested by a team's result report yet, …")."""
    count = {level: sum(1 for f in funnels if f.evidence.level == level) for level in EVIDENCE_LEVELS}
    tested = (
        f"{number(count['tested'])} {agree(count['tested'], 'is', 'are')} tested by teams' result reports"
        if count["tested"]
        else "none is tested by a team's result report yet"
    )
    return (
        f"of the {counted(len(funnels), 'funnel')}, {tested}, {number(count['benchmark'])} "
        f"{agree(count['benchmark'], 'cites', 'cite')} a public benchmark and {number(count['illustrative'])} "
        f"{agree(count['illustrative'], 'is', 'are')} illustrative: plausible figures to plan with, not a measurement"
    )


#: The ways into the library from the home page: what a visitor wants more of, and the type that gives it.
WAYS_IN = (
    ("More meetings", "lead-generation", "From strangers and target accounts to leads and booked meetings."),
    ("More closed deals", "sales-conversion", "From a first meeting to a signed order."),
    ("More renewals and referrals", "customer-success", "From a new customer to a repeat buyer and an advocate."),
)


_EVIDENCE_STRENGTH = {"tested": 0, "benchmark": 1, "illustrative": 2}


def featured_funnel(library: Library) -> Funnel | None:
    """The funnel the home page shows: the best evidence first, then the highest end-to-end conversion."""
    ranked = sorted(
        library.funnels, key=lambda f: (_EVIDENCE_STRENGTH.get(f.evidence.level, 9), -f.end_to_end, f.title.casefold())
    )
    return ranked[0] if ranked else None


def by_title(funnels) -> tuple[Funnel, ...]:
    """The order cards and the previous/next links follow (a visitor can re-sort cards in the page)."""
    return tuple(sorted(funnels, key=lambda funnel: (funnel.title.casefold(), funnel.id)))


def pager(number: int, count: int, href_of) -> dict | None:
    """Links to the pages of a listing: the first, the last and two either side of this one."""
    if count <= 1:
        return None
    shown = sorted({1, count, *range(max(1, number - 2), min(count, number + 2) + 1)})
    items: list[dict[str, Any] | None] = []
    previous = 0
    for n in shown:
        if n > previous + 1:
            items.append(None)  # a gap
        items.append({"number": n, "href": href_of(n), "current": n == number})
        previous = n
    return {
        "items": items,
        "number": number,
        "count": count,
        "previous": href_of(number - 1) if number > 1 else None,
        "next": href_of(number + 1) if number < count else None,
    }


def common_evidence(funnels) -> str | None:
    """The evidence level more than half of ``funnels`` share, if any: a badge on every card would say nothing."""
    levels = [funnel.evidence.level for funnel in funnels]
    for level in set(levels):
        if levels.count(level) * 2 > len(levels):
            return level
    return None


def teams(library: Library, funnel: Funnel) -> list[str]:
    """Who runs the funnel, as teams: the owners of the stages it starts and ends at, in the order of
    the stages file's owners (a hand-off from marketing to sales names both)."""
    owned = {stage.owner for stage_id in (funnel.input, funnel.output) if (stage := library.stage(stage_id))}
    return [owner for owner in OWNERS if owner in owned]


def facets(library: Library, funnels: tuple[Funnel, ...], *, with_type: bool) -> list[dict]:
    """The filter facets for a list of cards: each value with its label and how many cards have it."""

    def facet(name: str, legend: str, values_of, label_of) -> dict:
        counts: dict[str, int] = {}
        for funnel in funnels:
            for value in values_of(funnel):
                counts[value] = counts.get(value, 0) + 1
        order = sorted(counts, key=lambda v: label_of(v).casefold())
        ranked = name in (
            "channel",
            "tag",
            "author",
        )  # long lists: the most used first, so the top few are worth showing
        if ranked:
            order.sort(key=lambda v: -counts[v])
        return {
            "name": name,
            "legend": legend,
            "values": [(v, label_of(v), counts[v]) for v in order],
            "ranked": ranked,
        }

    stage_order = {stage.id: stage.order for stage in library.stages}
    groups = []
    if with_type:
        groups.append(facet("type", "Type", lambda f: [f.type], lambda v: FUNNEL_TYPES[v]))
    groups += [
        facet("team", "Teams", lambda f: teams(library, f), lambda v: OWNERS[v]),
        facet("input", "Starts at", lambda f: [f.input], library.stage_name),
        facet("output", "Ends at", lambda f: [f.output], library.stage_name),
        facet("motion", "Sales motion", lambda f: list(f.fit.motions) if f.fit else [], lambda v: MOTIONS[v]),
        facet("effort", "Effort", lambda f: [effort_band(f)] if f.fit else [], lambda v: EFFORT_BANDS[v]),
        facet("channel", "Channel", lambda f: f.channels, str),
        facet("evidence", "Evidence", lambda f: [f.evidence.level], lambda v: EVIDENCE_LEVELS[v]),
        facet("tag", "Tag", lambda f: f.tags, str),
        facet("author", "Written by", lambda f: f.authors, lambda v: f"@{v}"),
    ]
    for group in groups:
        if group["name"] in ("input", "output"):
            group["values"].sort(key=lambda item: stage_order.get(item[0], 99))
        elif group["name"] in VOCABULARY_ORDER:
            # In the vocabulary's order: the journey's types and teams, light to heavy, outbound to existing customers.
            order = list(VOCABULARY_ORDER[group["name"]])
            group["values"].sort(key=lambda item: order.index(item[0]))
    # A group whose one value every card has offers no choice (on a type page every card is, say,
    # illustrative): ticking it would change nothing, so it is left out.
    return [group for group in groups if not (len(group["values"]) == 1 and group["values"][0][2] == len(funnels))]


#: Facets whose values keep their vocabulary's order rather than the alphabet's.
VOCABULARY_ORDER = {"type": FUNNEL_TYPES, "team": OWNERS, "motion": MOTIONS, "effort": EFFORT_BANDS}


class Collection(NamedTuple):
    """What every page of one listing shares: its funnels in title order, the evidence level most
    of them have (said once instead of on each card), and the filter groups."""

    funnels: tuple[Funnel, ...]
    common: str | None
    facets: list[dict]


def cards_index(library: Library, url_of: Callable[[Funnel], str]) -> str:
    """Every card's content, compactly: what the page script needs to filter, sort and draw the
    cards of a listing split into pages. ``url_of`` gives a funnel page's address relative to
    this file. Free text stays plain text here; the script sets it as text."""
    import json

    evidence: dict[tuple[str, str], int] = {}
    rows = []
    for funnel in by_title(library.funnels):
        badge = (funnel.evidence.level, evidence_summary(funnel.evidence))
        shape = step_chain(funnel)
        rows.append(
            [
                funnel.id,
                url_of(funnel),
                funnel.title,
                funnel.type,
                evidence.setdefault(badge, len(evidence)),
                funnel.input,
                funnel.output,
                list(funnel.channels),
                list(funnel.tags),
                list(funnel.authors),
                list(funnel.fit.motions) if funnel.fit else [],
                effort_band(funnel) if funnel.fit else "",
                round(funnel.end_to_end, 6),
                len(funnel.steps),
                funnel.added.isoformat(),
                funnel.summary,
                percent(funnel.end_to_end),
                run_by(funnel),
                [[bar["y"], bar["height"]] for bar in shape["bars"]],
                shape["goal"]["r"],
                teams(library, funnel),
            ]
        )
    document = {
        "chain": {"bar": CHAIN_BAR, "gap": CHAIN_GAP, "height": CHAIN_HEIGHT},
        "types": FUNNEL_TYPES,
        "evidence": [list(badge) for badge in evidence],
        "fields": [
            "id",
            "url",
            "title",
            "type",
            "evidence",
            "input",
            "output",
            "channel",
            "tag",
            "author",
            "motion",
            "effort",
            "conversion",
            "steps",
            "added",
            "summary",
            "figure",
            "owners",
            "bars",
            "goal",
            "team",
        ],
        "funnels": rows,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))
