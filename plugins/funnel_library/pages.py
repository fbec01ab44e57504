"""Records -> page content: HTML fragments from Jinja templates.

The structured parts of every page (badges, steps, metrics, cards) are rendered
here as HTML, never pushed through Markdown; only free-text fields go through
:func:`render_markdown`. Jinja autoescapes everything else. The renderer knows
site paths (`funnels/<id>.md`) but not MkDocs: the caller passes ``href``, which
turns a site path into a link relative to the page being rendered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .library import BrokenEntry, Library
from .model import DEFAULT_VOLUME, FLOW_KINDS, FUNNEL_TYPES, OWNERS, Evidence, Funnel, cumulative_shares, forecast
from .rich_text import MarkdownCache
from .diagrams import percent

Href = Callable[[str], str]

LIBRARY_HOME = "library/index.md"
#: Where a funnel page's diagram goes. The caller swaps in the SVG after search has
#: indexed the page, so the search index never parses hundreds of SVG tags per page.
#: Entry text cannot produce it: every `<` from an entry is escaped.
DIAGRAM_SLOT = "<!-- funnel-library:diagram -->"
#: Upstream/downstream lists show at most this many funnels, so a page stays small in a large library.
MAX_CONNECTIONS = 12
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def funnel_src(funnel_id: str) -> str:
    return f"funnels/{funnel_id}.md"


def type_src(funnel_type: str) -> str:
    return f"library/{funnel_type}.md"


def diagram_src(funnel_id: str) -> str:
    return f"diagrams/{funnel_id}.svg"


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    title: str


@dataclass(frozen=True)
class RenderedPage:
    title: str
    html: str
    headings: tuple[Heading, ...]


@dataclass(frozen=True)
class RepoLinks:
    """Where a file can be viewed and edited on the repository host (GitHub-style URLs)."""

    repo_url: str
    branch: str = "main"

    def view(self, path: str) -> str:
        return f"{self.repo_url.rstrip('/')}/blob/{self.branch}/{path}"

    def edit(self, path: str) -> str:
        return f"{self.repo_url.rstrip('/')}/edit/{self.branch}/{path}"


def format_number(value: int) -> str:
    return f"{value:,}"


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


def evidence_summary(evidence: Evidence) -> str:
    """The evidence badge: 'Tested on 1,200 leads, Jul–Sep 2025' or 'Illustrative figures'."""
    if evidence.level == "tested":
        unit = evidence.sample_unit or "people"
        return f"Tested on {format_number(evidence.sample_size or 0)} {unit}, {format_period(evidence.period)}"
    if evidence.level == "benchmark":
        count = len(evidence.sources)
        return f"Benchmark figures from {count} public source{'s' if count != 1 else ''}"
    return "Illustrative figures"


def format_date(value: date | None) -> str:
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}" if value else ""


class PageRenderer:
    """Renders every generated page of one library."""

    def __init__(
        self,
        library: Library,
        *,
        repo: RepoLinks | None = None,
        volume: int = DEFAULT_VOLUME,
        markdown_cache: MarkdownCache | None = None,
    ) -> None:
        self.library = library
        self.markdown = markdown_cache or MarkdownCache()
        self.repo = repo
        self.volume = volume
        self.env = Environment(
            loader=PackageLoader("funnel_library", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(
            markdown=lambda text: Markup(self.markdown.render(text)),
            percent=percent,
            number=format_number,
            period=format_period,
            nice_date=format_date,
            evidence_summary=evidence_summary,
        )
        self.env.globals.update(FUNNEL_TYPES=FUNNEL_TYPES, OWNERS=OWNERS, FLOW_KINDS=FLOW_KINDS)

    def _render(self, template: str, href: Href, **context) -> str:
        return self.env.get_template(template).render(
            href=href,
            library=self.library,
            funnel_src=funnel_src,
            type_src=type_src,
            diagram_src=diagram_src,
            home_src=LIBRARY_HOME,
            **context,
        )

    def funnel_page(self, funnel: Funnel, href: Href) -> RenderedPage:
        """The funnel's page; its diagram is left as :data:`DIAGRAM_SLOT`."""
        people = forecast(self.volume, funnel.conversions)
        shares = cumulative_shares(funnel.conversions)
        rows = [
            {"step": step, "enter": people[index], "move_on": people[index + 1], "reached": shares[index]}
            for index, step in enumerate(funnel.steps)
        ]
        html = self._render(
            "funnel.html",
            href,
            funnel=funnel,
            diagram=Markup(DIAGRAM_SLOT),
            rows=rows,
            volume=self.volume,
            reach_goal=people[-1],
            upstream=self.library.upstream(funnel),
            downstream=self.library.downstream(funnel),
            max_connections=MAX_CONNECTIONS,
            flows=[(flow, funnel.step(flow.source), funnel.step(flow.target)) for flow in funnel.flows],
            repo=self.repo,
        )
        headings = [Heading(2, "diagram", "Diagram"), Heading(2, "steps", "Steps")]
        headings += [Heading(3, f"step-{step.id}", f"{number}. {step.name}") for number, step in enumerate(funnel.steps, start=1)]
        headings += [Heading(2, "metrics", "Metrics")]
        if funnel.flows:
            headings.append(Heading(2, "flows", "Loops, skips and fall-backs"))
        headings += [Heading(2, "evidence", "Evidence"), Heading(2, "connections", "Before and after this funnel"), Heading(2, "about", "About this entry")]
        return RenderedPage(funnel.title, html, tuple(headings))

    def type_index(self, funnel_type: str, href: Href) -> RenderedPage:
        funnels = self.library.funnels_of_type(funnel_type)
        broken = [b for b in self.library.broken if b.kind == "funnel" and b.type == funnel_type]
        html = self._render("type_index.html", href, funnel_type=funnel_type, funnels=funnels, broken=broken, volume=self.volume)
        return RenderedPage(FUNNEL_TYPES[funnel_type], html, ())

    def library_home(self, href: Href) -> RenderedPage:
        groups = [(t, name, self.library.funnels_of_type(t)) for t, name in FUNNEL_TYPES.items()]
        html = self._render("library_home.html", href, groups=groups, volume=self.volume)
        headings = tuple(Heading(2, t, name) for t, name, _ in groups)
        return RenderedPage("Library", html, headings)

    def broken_page(self, entry: BrokenEntry, href: Href) -> RenderedPage:
        html = self._render("broken.html", href, entry=entry, repo=self.repo)
        return RenderedPage(f"{entry.id} (has errors)", html, ())
