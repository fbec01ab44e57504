"""Records -> page content: HTML fragments from Jinja templates.

The structured parts of every page (badges, steps, metrics, cards) are rendered
here as HTML, never pushed through Markdown; only free-text fields go through
:func:`render_markdown`. Jinja autoescapes everything else. The renderer knows
site paths (`funnels/<id>.md`) but not MkDocs: the caller passes ``href``, which
turns a site path into a link relative to the page being rendered.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import escape, unescape
from typing import NamedTuple

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ..core.library import BrokenEntry, Library
from ..core.measured import chance_in_words
from ..core.model import (
    DEFAULT_VOLUME,
    FLOW_KINDS,
    FUNNEL_TYPES,
    JOURNEY_GOAL,
    OWNERS,
    TYPE_TEAMS,
    Evidence,
    Funnel,
    Journey,
    cumulative_shares,
    forecast,
    journey_plan,
)
from ..core.rich_text import MarkdownCache
from ..core.validation import SCHEMA_NAMES, load_schema
from ..core.vocabulary import (
    BENCHMARK_MATCHES,
    EVIDENCE_LEVELS,
    MATERIAL_CHANNELS,
    MATERIAL_KINDS,
    MOTIONS,
    SEGMENTS,
    SOURCE_KINDS,
)
from ..core.wording import agree, counted, number
from .diagrams import percent
from .exports import contributors
from .isolation import isolate, isolated_text
from .layout import LayoutJob, lay_out
from .maps import (
    circles_of_trust_job,
    funnel_groups,
    is_detailed,
    journey_diagram_job,
    library_map_job,
)
from .materials import (
    EFFORT_BANDS,
    effort_band,
    hours,
    marked_html,
    marked_text,
    one_line_attribute,
    senders_first,
    weeks,
)
from .routes import (  # noqa: F401 (the adapter and the tests take the addresses from here too)
    CARDS_INDEX,
    CIRCLES_PAGE,
    COMPARE_PAGE,
    CONTRIBUTORS_PAGE,
    COVERAGE_PAGE,
    JOURNEYS_INDEX,
    LIBRARY_HOME,
    MAP_PAGE,
    SCHEMA_REFERENCE_PAGE,
    SITE_HOME,
    TEMPLATE_GLOBALS,
    diagram_src,
    funnel_src,
    journey_src,
    listing_first_page,
    listing_src,
    step_anchor,
    type_src,
)
from .schema_reference import schema_fields

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
#: Upstream/downstream lists show at most this many funnels, so a page stays small in a large library.
MAX_CONNECTIONS = 12
#: Cards per page of a listing (the library, a type). Above this the listing is split into pages
#: that work without JavaScript; with it, filters and sorting reach every card (see CARDS_INDEX).
LISTING_PAGE_SIZE = 48
#: Lists of funnels on other pages (coverage, the map's moves, contributors) show at most this many,
#: then link to the library filtered to the rest.
LIST_LIMIT = 12
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def page_count(total: int) -> int:
    return max(1, -(-total // LISTING_PAGE_SIZE))


#: The key under each diagram: what each kind of arrow means (its CSS modifier, its text).
ARROWS = {
    "forward": "moves on to the next step; the figure is the share that does",
    "loop": "dashed grey: loops back to an earlier step",
    "skip": "dashed grey: skips ahead",
    "fallback": "dashed blue: falls back to another step",
    "journey": "people move on to the next stage",
    "journey-loop": "dashed: the journey starts again",
    "map": "a funnel takes people from one stage to the next",
    "handoff": "bold blue: a hand-off between teams",
    "back": "dashed: leads back to an earlier stage",
}


def funnel_arrows(funnel: Funnel) -> list[tuple[str, str]]:
    """The arrow kinds a funnel's diagram draws, in the key's order."""
    kinds = {flow.kind for flow in funnel.flows}
    return [("forward", ARROWS["forward"])] + [(kind, ARROWS[kind]) for kind in FLOW_KINDS if kind in kinds]


def nav_parent(library: Library, src_uri: str) -> str | None:
    """The listed page a generated page belongs under: a funnel under its type, a journey under Journeys."""
    if src_uri.startswith("funnels/") and (funnel := library.funnel(src_uri[len("funnels/") : -len(".md")])):
        return type_src(funnel.type)
    if src_uri.startswith("journeys/"):
        return JOURNEYS_INDEX
    return listing_first_page(src_uri)


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

    @property
    def headings(self) -> tuple[Heading, ...]:
        """The table of contents: the h2 and h3 headings with an id, as the templates printed them
        (after :attr:`skip_to`)."""
        found = headings_in(self.html)
        return ((self.skip_to,) if self.skip_to else ()) + found

    @property
    def anchors(self) -> frozenset[str]:
        """Every id on the page: the anchors that a link from another page may point at."""
        return frozenset(_ID.findall(self.html))


_HEADING = re.compile(r"<h([23])(\s[^>]*)?>(.*?)</h\1>", re.DOTALL)
_ID = re.compile(r'\sid="([^"]+)"')
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
    return (heading, match.end()) if heading else None


def _heading(match: re.Match[str]) -> Heading | None:
    found = _ID.search(match.group(2) or "")
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


@dataclass(frozen=True)
class RepoLinks:
    """Where a file can be viewed and edited on the repository host (GitHub-style URLs)."""

    repo_url: str
    branch: str = "main"

    def view(self, path: str) -> str:
        return f"{self.repo_url.rstrip('/')}/blob/{self.branch}/{path}"

    def edit(self, path: str) -> str:
        return f"{self.repo_url.rstrip('/')}/edit/{self.branch}/{path}"

    def report_issue(self, funnel: Funnel) -> str:
        """A new "report results" issue with the funnel's report file filled in but for the counts."""
        from urllib.parse import urlencode

        from ..core.scaffold import report_template

        text = report_template(
            funnel, report_id="your-handle-yyyy-mm", author="@your-handle", period="YYYY-MM/YYYY-MM", today=None
        )
        query = urlencode(
            {"template": "report-results.yml", "title": f"Results: {funnel.id}", "funnel": funnel.id, "report": text}
        )
        return f"{self.repo_url.rstrip('/')}/issues/new?{query}"


def format_period(period: str | None) -> str:
    """'2025-07/2025-09' -> 'Jul–Sep 2025'; '2024-11/2025-02' -> 'Nov 2024–Feb 2025'."""
    if not period or "/" not in period:
        return period or ""
    start, end = period.split("/", 1)

    def parts(text: str) -> tuple[int, int, int | None]:
        pieces = text.split("-")
        return int(pieces[0]), int(pieces[1]), int(pieces[2]) if len(pieces) > 2 else None

    (y1, m1, d1), (y2, m2, d2) = parts(start), parts(end)
    first = f"{d1} {_MONTHS[m1 - 1]}" if d1 else _MONTHS[m1 - 1]
    last = f"{d2} {_MONTHS[m2 - 1]}" if d2 else _MONTHS[m2 - 1]
    if y1 == y2:
        return f"{first} {y1}" if (first == last) else f"{first}–{last} {y2}"
    return f"{first} {y1}–{last} {y2}"


def evidence_summary(evidence: Evidence, show: Callable[[str], str] = str) -> str:
    """The evidence badge: 'Tested by 2 reports, 700 people' or 'Illustrative figures'. ``show``
    presents the entry's own word for what was counted (a page isolates it).

    A funnel is `tested` only with result reports (the library checks it, FL230), which set the
    report count and the sample."""
    if evidence.level == "tested":
        sample = evidence.sample_size or 0
        people = (
            f"{number(sample)} {show(evidence.sample_unit)}"
            if evidence.sample_unit
            else counted(sample, "person", "people")
        )
        return f"Tested by {counted(evidence.reports, 'report')}, {people}"
    if evidence.level == "benchmark":
        return f"Benchmark figures from {counted(len(evidence.sources), 'public source')}"
    return "Illustrative figures"


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


@dataclass(frozen=True)
class ForestAxis:
    """The span of shares a forest plot shows: every interval and the recipe's mark, with a margin,
    so the marks of a 1.4% step are not squeezed into the left edge of a 0 to 100% axis."""

    start: float
    end: float

    def x(self, share: float) -> str:
        """Where ``share`` sits on the plot's 0 to 100 viewBox."""
        return f"{(share - self.start) / (self.end - self.start) * 100:.2f}"


def forest_axis(measure, recipe: float) -> ForestAxis:
    shares = [share for share in (*measure.by_report, measure.pooled) if share is not None]
    low = min([recipe, *(share.low for share in shares)])
    high = max([recipe, *(share.high for share in shares)])
    margin = max(high - low, 0.02) * 0.1
    return ForestAxis(max(0.0, low - margin), min(1.0, high + margin))


def format_date(value: date | None) -> str:
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}" if value else ""


def poster_orientation(svg: str) -> str:
    """ "landscape" or "portrait": how a diagram fills a poster sheet best, from its viewBox."""
    match = re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"', svg)
    if not match:
        return "landscape"
    width, height = (float(v) for v in match.groups())
    return "landscape" if width >= height else "portrait"


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


#: Said once above the cards for the evidence level most of them share (their badges are then left out).
EVIDENCE_NOTES = {
    "illustrative": "Figures are illustrative unless a card says otherwise.",
    "benchmark": "Figures come from published benchmarks unless a card says otherwise.",
    "tested": "Figures were measured by teams that ran the funnel unless a card says otherwise.",
}


def owners(funnel: Funnel) -> list[str]:
    """Who runs the funnel: its steps' owners, each once, in step order."""
    seen: list[str] = []
    for step in funnel.steps:
        if step.owner and step.owner not in seen:
            seen.append(step.owner)
    return seen


def run_by(funnel: Funnel, show: Callable[[str], str] = str) -> str:
    """The card's line on who runs the funnel: "Run by Marketing, Sales and 2 more", or "" without
    owners. ``show`` presents each name (a page isolates it)."""
    names = owners(funnel)
    if not names:
        return ""
    return (
        "Run by "
        + ", ".join(show(name) for name in names[:3])
        + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    )


def _isolated_html(text: str) -> str:
    return str(isolate(text))


#: The card thumbnail: one bar per step, then the goal. Geometry in SVG user units.
CHAIN_BAR, CHAIN_GAP, CHAIN_HEIGHT = 14, 10, 28


def _number(value: float) -> float | int:
    """A coordinate as SVG and the page script print it: 14, not 14.0."""
    return int(value) if float(value).is_integer() else value


def step_chain(funnel: Funnel) -> dict:
    """A card's small picture of the funnel: one bar per step whose height shows the share of the
    starting people who enter it, and a dot for the goal sized by the share that reaches it.

    Heights follow the square root of the share, as areas would: a 4% end-to-end funnel still
    shows its last steps, and the narrowing reads as a funnel. The exact figures are printed
    next to it.
    """
    entering = [1.0] + cumulative_shares(funnel.conversions)
    middle = _number(CHAIN_HEIGHT / 2)

    def size(share: float) -> float:
        return _number(round(max(3.0, (CHAIN_HEIGHT - 2) * share**0.5), 1))

    bars = []
    for index, share in enumerate(entering[:-1]):
        height = size(share)
        bars.append(
            {"x": index * (CHAIN_BAR + CHAIN_GAP), "y": _number(round(middle - height / 2, 1)), "height": height}
        )
    goal_x = _number(len(bars) * (CHAIN_BAR + CHAIN_GAP) + CHAIN_BAR / 2)
    links = [{"x1": bar["x"] + CHAIN_BAR, "x2": bar["x"] + CHAIN_BAR + CHAIN_GAP} for bar in bars]
    return {
        "bars": bars,
        "links": links,
        "goal": {"cx": goal_x, "r": _number(round(max(2.0, size(entering[-1]) / 2), 1))},
        "width": _number(goal_x + CHAIN_BAR / 2),
        "height": CHAIN_HEIGHT,
        "middle": middle,
        "bar": CHAIN_BAR,
    }


def pager(number: int, count: int, href_of) -> dict | None:
    """Links to the pages of a listing: the first, the last and two either side of this one."""
    if count <= 1:
        return None
    shown = sorted({1, count, *range(max(1, number - 2), min(count, number + 2) + 1)})
    items, previous = [], 0
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
        elif group["name"] in (
            "motion",
            "effort",
        ):  # in the vocabulary's order: light to heavy, outbound to existing customers
            order = list(MOTIONS if group["name"] == "motion" else EFFORT_BANDS)
            group["values"].sort(key=lambda item: order.index(item[0]))
    # A group whose one value every card has offers no choice (on a type page every card is, say,
    # illustrative): ticking it would change nothing, so it is left out.
    return [group for group in groups if not (len(group["values"]) == 1 and group["values"][0][2] == len(funnels))]


class Collection(NamedTuple):
    """What every page of one listing shares: its funnels in title order, the evidence level most
    of them have (said once instead of on each card), and the filter groups."""

    funnels: tuple[Funnel, ...]
    common: str | None
    facets: list[dict]


class PageRenderer:
    """Renders every generated page of one library."""

    def __init__(
        self,
        library: Library,
        *,
        repo: RepoLinks | None = None,
        volume: int = DEFAULT_VOLUME,
        markdown_cache: MarkdownCache | None = None,
        layout: Callable[[LayoutJob], str] = lay_out,
        feed: bool = True,
        hand_written: frozenset[str] | None = None,
        site_name: str = "Funnel Library",
    ) -> None:
        """``layout`` turns a page's graph into SVG; the plugin passes one that runs in a worker.
        ``feed`` says whether the site offers the Atom feed (it needs the site's address).
        ``hand_written``: the project's own pages (docs-relative paths). Links to the optional
        ones (the contributor guide) appear only when the site has them; None links them all.
        ``site_name`` heads the home page."""
        self.site_name = site_name
        self.library = library
        self.layout = layout
        self.markdown = markdown_cache or MarkdownCache()
        self.repo = repo
        self.volume = volume
        self.feed = feed
        self._positions: dict[str, tuple[tuple[Funnel, ...], int]] | None = None
        self._collections: dict[str | None, Collection] = {}
        self.env = Environment(
            loader=PackageLoader("funnel_library", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(
            chance=chance_in_words,
            markdown=lambda text: Markup(self.markdown.render(text)),
            percent=percent,
            number=number,
            counted=counted,
            period=format_period,
            nice_date=format_date,
            # The fixed words are plain text; only the entry's words come in, escaped and isolated.
            evidence_summary=lambda evidence: Markup(evidence_summary(evidence, _isolated_html)),
            run_by=lambda funnel: Markup(run_by(funnel, _isolated_html)),
            isolate=isolate,
            step_chain=step_chain,
            material_body=lambda text: marked_html(self.markdown.render(text, breaks=True)),
            material_subject=marked_text,
            one_line_attribute=one_line_attribute,
            senders_first=senders_first,
            effort_band=effort_band,
            hours=hours,
            weeks=weeks,
        )
        self.env.globals.update(
            has_page=lambda src: hand_written is None or src in hand_written,
            forest_axis=forest_axis,
            JOURNEY_GOAL=JOURNEY_GOAL,
            SOURCE_KINDS=SOURCE_KINDS,
            BENCHMARK_MATCHES=BENCHMARK_MATCHES,
            MOTIONS=MOTIONS,
            SEGMENTS=SEGMENTS,
            MATERIAL_KINDS=MATERIAL_KINDS,
            MATERIAL_CHANNELS=MATERIAL_CHANNELS,
            FUNNEL_TYPES=FUNNEL_TYPES,
            OWNERS=OWNERS,
            FLOW_KINDS=FLOW_KINDS,
            EVIDENCE_NOTES=EVIDENCE_NOTES,
            EVIDENCE_LEVELS=EVIDENCE_LEVELS,
            LIST_LIMIT=LIST_LIMIT,
            **TEMPLATE_GLOBALS,
        )

    def _render(self, template: str, href: Href, **context) -> str:
        return self.env.get_template(template).render(href=href, library=self.library, **context)

    def funnel_page(self, funnel: Funnel, href: Href) -> RenderedPage:
        """The funnel's page; its diagram is left as :data:`DIAGRAM_SLOT`."""
        people = forecast(self.volume, funnel.conversions)
        shares = cumulative_shares(funnel.conversions)
        rows = [
            {"step": step, "enter": people[index], "move_on": people[index + 1], "reached": shares[index]}
            for index, step in enumerate(funnel.steps)
        ]
        siblings = self._siblings(funnel)
        measured = self.library.measured(funnel)
        measure_rows = (
            [
                {"number": number, "step": step, "measure": measure}
                for number, (step, measure) in enumerate(zip(funnel.steps, measured.steps), start=1)
            ]
            if measured
            else []
        )
        html = self._render(
            "funnel.html",
            href,
            measured=measured,
            broken_reports=self.library.broken_reports_for(funnel.id),
            measure_rows=measure_rows,
            disagreeing=[row for row in measure_rows if row["measure"].agreement and row["measure"].agreement.disagree],
            funnel=funnel,
            previous=siblings[0],
            next=siblings[1],
            edge_kinds=funnel_arrows(funnel),
            diagram=Markup(DIAGRAM_SLOT),
            rows=rows,
            volume=self.volume,
            reach_goal=people[-1],
            **dict(
                zip(
                    ("upstream", "upstream_total", "downstream", "downstream_total"),
                    self.library.connections(funnel, MAX_CONNECTIONS),
                )
            ),
            flows=[(flow, funnel.step(flow.source), funnel.step(flow.target)) for flow in funnel.flows],
            repo=self.repo,
        )
        return RenderedPage(isolated_text(funnel.title), html)

    def _siblings(self, funnel: Funnel) -> tuple[Funnel | None, Funnel | None]:
        """The funnels before and after this one in its type's list."""
        if self._positions is None:
            self._positions = {}
            for funnel_type in FUNNEL_TYPES:
                of_type = by_title(self.library.funnels_of_type(funnel_type))
                for index, member in enumerate(of_type):
                    self._positions[member.id] = (of_type, index)
        of_type, index = self._positions[funnel.id]
        return (of_type[index - 1] if index > 0 else None, of_type[index + 1] if index + 1 < len(of_type) else None)

    def _listing(self, funnels: tuple[Funnel, ...], first_src: str, number: int, href: Href) -> dict:
        """What a page of a listing shows: its cards, its pager, and where the full index is."""
        count = page_count(len(funnels))
        start = (number - 1) * LISTING_PAGE_SIZE
        return {
            "cards": funnels[start : start + LISTING_PAGE_SIZE],
            "first": start + 1,
            "pages": pager(number, count, lambda n: href(listing_src(first_src, n))),
            "index": href(CARDS_INDEX) if count > 1 else None,
            "compare": href(COMPARE_PAGE),
        }

    def _collection(self, funnel_type: str | None) -> Collection:
        """The library's funnels (or a type's) as its listing pages show them, worked out once: a
        listing split into 100 pages would otherwise sort and count every funnel 100 times."""
        if funnel_type not in self._collections:
            funnels = by_title(self.library.funnels_of_type(funnel_type) if funnel_type else self.library.funnels)
            self._collections[funnel_type] = Collection(
                funnels, common_evidence(funnels), facets(self.library, funnels, with_type=funnel_type is None)
            )
        return self._collections[funnel_type]

    def listing_pages(self, funnel_type: str | None = None) -> int:
        """How many pages the library's listing (or a type's) has."""
        return page_count(len(self._collection(funnel_type).funnels))

    def type_index(self, funnel_type: str, href: Href, number: int = 1) -> RenderedPage:
        funnels, common, groups = self._collection(funnel_type)
        broken = [b for b in self.library.broken if b.kind == "funnel" and b.type == funnel_type]
        html = self._render(
            "type_index.html",
            href,
            funnel_type=funnel_type,
            funnels=funnels,
            broken=broken,
            volume=self.volume,
            common=common,
            listing=self._listing(funnels, type_src(funnel_type), number, href),
            facets=groups,
        )
        title = FUNNEL_TYPES[funnel_type] + (f" (page {number})" if number > 1 else "")
        return RenderedPage(title, html, wide=True, skip_to=RESULTS if funnels else None)

    def site_home(self, href: Href) -> RenderedPage:
        """The front door; the featured funnel's diagram is left as :data:`DIAGRAM_SLOT`."""
        featured = featured_funnel(self.library)
        ways = [
            {"title": title, "type": funnel_type, "text": text, "count": len(self.library.funnels_of_type(funnel_type))}
            for title, funnel_type, text in WAYS_IN
        ]
        html = self._render(
            "home.html",
            href,
            featured=featured,
            ways=ways,
            diagram=Markup(DIAGRAM_SLOT),
            has_feed=self.feed,
            evidence_state=evidence_state(self.library.funnels),
            site_name=self.site_name,
        )
        return RenderedPage(self.site_name, html, wide=True, full_width=True)

    def library_home(self, href: Href, number: int = 1) -> RenderedPage:
        everything, common, facet_groups = self._collection(None)
        listing = self._listing(everything, LIBRARY_HOME, number, href)
        # One page shows every card under its type's heading; pages of a long listing show the cards alone.
        groups = (
            [] if listing["pages"] else [(t, name, self._collection(t).funnels) for t, name in FUNNEL_TYPES.items()]
        )
        html = self._render(
            "library_home.html",
            href,
            groups=groups,
            volume=self.volume,
            common=common,
            listing=listing,
            facets=facet_groups,
            stray_reports=self.library.stray_broken_reports() if number == 1 else (),
        )
        # The theme's "skip to content" link goes to the first entry of the contents: the results.
        return RenderedPage("Library" + (f" (page {number})" if number > 1 else ""), html, wide=True, skip_to=RESULTS)

    def cards_index(self, url_of: Callable[[Funnel], str]) -> str:
        """Every card's content, compactly: what the page script needs to filter, sort and draw the
        cards of a listing split into pages. ``url_of`` gives a funnel page's address relative to
        this file. Free text stays plain text here; the script sets it as text."""
        import json

        evidence: dict[tuple[str, str], int] = {}
        rows = []
        for funnel in by_title(self.library.funnels):
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
            ],
            "funnels": rows,
        }
        return json.dumps(document, ensure_ascii=False, separators=(",", ":"))

    def journeys_index(self, href: Href) -> RenderedPage:
        items = []
        for journey in self.library.journeys:
            funnels = [self.library.funnel(funnel_id) for funnel_id in journey.funnels]
            items.append(
                {
                    "journey": journey,
                    "first_stage": self.library.stage_name(funnels[0].input),
                    "last_stage": self.library.stage_name(funnels[-1].output),
                    "plan": journey_plan(funnels),
                }
            )
        broken = [b for b in self.library.broken if b.kind == "journey"]
        html = self._render("journeys_index.html", href, journeys=items, broken=broken)
        return RenderedPage("Journeys", html)

    def journey_page(self, journey: Journey, href: Href) -> RenderedPage:
        funnels = [self.library.funnel(funnel_id) for funnel_id in journey.funnels]
        plan = journey_plan(funnels)
        volume, people = plan.start, plan.people
        rows = [
            {
                "funnel": funnel,
                "enter": people[index],
                "reach": people[index + 1],
                "measured": self.library.measured(funnel),
            }
            for index, funnel in enumerate(funnels)
        ]
        stage_ids = [funnels[0].input] + [funnel.output for funnel in funnels]
        if journey.loop:
            stage_ids = stage_ids[:-1]
        stages, previous_owner = [], None
        for stage_id in stage_ids:
            stage = self.library.stage(stage_id)
            if stage is None:
                continue
            handoff = previous_owner if previous_owner and previous_owner != stage.owner else None
            stages.append(
                {
                    "name": stage.name,
                    "description": stage.description,
                    "owner": stage.owner,
                    "trust_distance": stage.trust_distance,
                    "handoff_from": handoff,
                }
            )
            previous_owner = stage.owner
        diagram = self.layout(journey_diagram_job(self.library, journey, funnel_href=lambda f: href(funnel_src(f.id))))
        html = self._render(
            "journey.html",
            href,
            journey=journey,
            diagram=Markup(diagram),
            edge_kinds=[("journey", ARROWS["journey"])]
            + ([("journey-loop", ARROWS["journey-loop"])] if journey.loop else []),
            rows=rows,
            people=people,
            end_to_end=cumulative_shares([f.end_to_end for f in funnels])[-1],
            stages=stages,
            volume=volume,
            plan=plan,
            illustrative=any(f.evidence.level == "illustrative" for f in funnels),
        )
        return RenderedPage(isolated_text(journey.title), html)

    def _map_links(self, href: Href, here: str) -> dict:
        return {
            "funnel_href": lambda f: href(funnel_src(f.id)),
            "group_href": lambda group: f"{href(MAP_PAGE) if here != MAP_PAGE else ''}#{group.anchor}",
            "stage_href": lambda stage: f"{href(COVERAGE_PAGE)}#stage-{stage.id}",
        }

    def map_page(self, href: Href) -> RenderedPage:
        diagram = self.layout(library_map_job(self.library, **self._map_links(href, MAP_PAGE)))
        groups = funnel_groups(self.library)
        html = self._render(
            "map.html",
            href,
            diagram=Markup(diagram),
            groups=groups,
            detailed=is_detailed(self.library),
            poster=poster_orientation(diagram),
            edge_kinds=[(k, ARROWS[k]) for k in ("map", "handoff", "back")],
        )
        return RenderedPage("Library map", html, wide=True, full_width=True)

    def circles_page(self, href: Href) -> RenderedPage:
        diagram = self.layout(circles_of_trust_job(self.library, **self._map_links(href, CIRCLES_PAGE)))
        distances = sorted({stage.trust_distance for stage in self.library.stages})
        rings = [(d, [s for s in self.library.stages if s.trust_distance == d]) for d in distances]
        html = self._render(
            "circles.html",
            href,
            diagram=Markup(diagram),
            rings=rings,
            detailed=is_detailed(self.library),
            groups=funnel_groups(self.library),
        )
        return RenderedPage("Circles of trust", html, wide=True, full_width=True)

    def coverage_page(self, href: Href) -> RenderedPage:
        rows = []
        for stage in self.library.stages:
            starting = self.library.funnels_starting_at(stage.id)
            cells = []
            for funnel_type in FUNNEL_TYPES:
                count = sum(1 for f in starting if f.type == funnel_type)
                cells.append(
                    {
                        "type": funnel_type,
                        "count": count,
                        "invite": not count and TYPE_TEAMS[funnel_type] == stage.owner,
                    }
                )
            rows.append({"stage": stage, "cells": cells, "funnels": starting})
        html = self._render("coverage.html", href, rows=rows)
        return RenderedPage("Coverage", html)

    def contributors_page(self, href: Href) -> RenderedPage:
        people = contributors(self.library)
        html = self._render("contributors.html", href, people=people)
        return RenderedPage("Contributors", html)

    def schema_reference_page(self, href: Href) -> RenderedPage:
        locations = {
            "funnel": "library/funnels/<type>/<id>.yml",
            "stages": "library/stages.yml",
            "journey": "library/journeys/<id>.yml",
            "report": "library/results/<funnel-id>/<report-id>.yml",
            "search-words": "library/search-words.yml",
        }
        schemas = []
        for name in SCHEMA_NAMES:
            schema = load_schema(name)
            schemas.append(
                {
                    "name": name,
                    "title": schema["title"],
                    "description": schema["description"],
                    "location": locations[name],
                    "fields": list(schema_fields(name)),
                }
            )
        html = self._render("schema_reference.html", href, schemas=schemas)
        return RenderedPage("Entry format reference", html)

    def compare_page(self, href: Href) -> RenderedPage:
        """Funnels side by side; the page script fills it from the funnels' own pages.

        It knows where a funnel's page is from one real link with the id swapped for a
        placeholder, so the address follows the site's URL style."""
        sample = self.library.funnels[0].id if self.library.funnels else None
        head, _, tail = href(funnel_src(sample)).rpartition(sample) if sample else ("", "", "")
        funnel_url = f"{head}{{id}}{tail}" if sample else ""
        html = self._render("compare.html", href, funnel_url=funnel_url)
        return RenderedPage("Compare funnels", html, wide=True, full_width=True)

    def broken_page(self, entry: BrokenEntry, href: Href) -> RenderedPage:
        html = self._render(
            "broken.html", href, entry=entry, repo=self.repo, broken_reports=self.library.broken_reports_for(entry.id)
        )
        return RenderedPage(f"{isolated_text(entry.id)} (has errors)", html)
