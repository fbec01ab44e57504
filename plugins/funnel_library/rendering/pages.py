"""Records -> page content: the renderer, one method per kind of page, through Jinja templates.

The structured parts of every page (badges, steps, metrics, cards) are rendered
here as HTML, never pushed through Markdown; only free-text fields go through
:func:`render_markdown`. Jinja autoescapes everything else. The renderer knows
site paths (`funnels/<id>.md`) but not MkDocs: the caller passes ``href``, which
turns a site path into a link relative to the page being rendered. What a listing holds lives in
:mod:`.listings`, how facts read in :mod:`.formatting`, a rendered page and its slots in :mod:`.slots`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from ..core.forecast import DEFAULT_VOLUME, cumulative_shares, forecast
from ..core.library import BrokenEntry, Library
from ..core.model import TYPE_TEAMS, Funnel, Journey, journey_plan
from ..core.rich_text import MarkdownCache
from ..core.schemas import SCHEMA_NAMES, load_schema
from ..core.vocabulary import (
    FUNNEL_TYPES,
)
from .circles import circles_of_trust_job
from .exports import contributors
from .formatting import (
    ARROWS,
    funnel_arrows,
    poster_orientation,
)
from .isolation import isolated_text
from .layout import LayoutJob, lay_out
from .listings import (
    LISTING_PAGE_SIZE,
    MAX_CONNECTIONS,
    WAYS_IN,
    Collection,
    by_title,
    common_evidence,
    evidence_state,
    facets,
    featured_funnel,
    page_count,
    pager,
)
from .maps import funnel_groups, is_detailed, journey_diagram_job, library_map_job
from .page_environment import page_environment
from .page_inputs import Digests, StagesOnly, funnel_page_inputs
from .repo_links import RepoLinks
from .routes import (
    CARDS_INDEX,
    CIRCLES_PAGE,
    COMPARE_PAGE,
    COVERAGE_PAGE,
    LIBRARY_HOME,
    MAP_PAGE,
    funnel_src,
    listing_src,
    type_src,
)
from .schema_reference import schema_fields
from .slots import DIAGRAM_SLOT, RESULTS, Href, RenderedPage


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
        #: the choices above that change a page, for the keys of pages kept between rebuilds
        self.settings = repr(
            (volume, repo, feed, sorted(hand_written) if hand_written is not None else None, site_name)
        )
        self._digests: Digests | None = None
        #: funnel digests kept by the process (see page_inputs.Digests); set by a serve session's build
        self.known_digests: dict[int, tuple[Funnel, str]] | None = None
        self._collections: dict[str | None, Collection] = {}
        self.env = page_environment(library, self.markdown, hand_written)

    def _render(self, template: str, href: Href, library: Any = None, **context) -> str:
        return self.env.get_template(template).render(href=href, library=library or self.library, **context)

    def digests(self) -> Digests:
        """Each funnel written out as a digest, once per build (see page_inputs)."""
        if self._digests is None:
            self._digests = Digests(self.library, self.settings, self.known_digests)
        return self._digests

    def funnel_page_inputs(self, funnel: Funnel) -> str:
        """What :meth:`funnel_page` makes the page from (see page_inputs)."""
        return funnel_page_inputs(
            self.library,
            funnel,
            self._siblings(funnel),
            self.library.connections(funnel, MAX_CONNECTIONS),
            self.digests(),
        )

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
        measure_rows: list[dict[str, Any]] = (
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
            library=StagesOnly(self.library),
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

    def listing_inputs(self, funnel_type: str | None, number: int = 1) -> str:
        """What a page of the library's listing (or a type's) is made from, written out (see
        page_inputs): its cards' funnels, the listing's size, facets and common evidence level, and
        the broken entries or reports it names. Its template sees the library only as
        :class:`StagesOnly` does."""
        funnels, common, groups = self._collection(funnel_type)
        digests = self.digests()
        count = page_count(len(funnels))
        start = (number - 1) * LISTING_PAGE_SIZE
        shown = funnels[start : start + LISTING_PAGE_SIZE] if count > 1 else funnels
        if funnel_type is None:
            named = repr(self.library.stray_broken_reports()) if number == 1 else ""
        else:
            named = repr(self._broken_of_type(funnel_type))
        return (
            repr((funnel_type, number, count, len(funnels), [digests.of(f) for f in shown], common, groups, named))
            + digests.shared
        )

    def _broken_of_type(self, funnel_type: str) -> list:
        return [b for b in self.library.broken if b.kind == "funnel" and b.type == funnel_type]

    def listing_pages(self, funnel_type: str | None = None) -> int:
        """How many pages the library's listing (or a type's) has."""
        return page_count(len(self._collection(funnel_type).funnels))

    def type_index(self, funnel_type: str, href: Href, number: int = 1) -> RenderedPage:
        funnels, common, groups = self._collection(funnel_type)
        broken = self._broken_of_type(funnel_type)
        html = self._render(
            "type_index.html",
            href,
            StagesOnly(self.library),
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
            StagesOnly(self.library),
            total=len(everything),
            groups=groups,
            volume=self.volume,
            common=common,
            listing=listing,
            facets=facet_groups,
            stray_reports=self.library.stray_broken_reports() if number == 1 else (),
        )
        # The theme's "skip to content" link goes to the first entry of the contents: the results.
        return RenderedPage("Library" + (f" (page {number})" if number > 1 else ""), html, wide=True, skip_to=RESULTS)

    def journeys_index(self, href: Href) -> RenderedPage:
        items = []
        for journey in self.library.journeys:
            funnels = self.library.journey_funnels(journey)
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
        funnels = self.library.journey_funnels(journey)
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
        stages: list[dict[str, Any]] = []
        previous_owner = None
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

    def glance_page(self, href: Href) -> RenderedPage:
        """Every funnel on one screen, under the stage it starts from (stages across, in journey
        order), each column in the library's order (by type, then title); a column lists its first
        LIST_LIMIT and links to the library filtered to the rest."""
        columns = [
            {"stage": stage, "funnels": funnels}
            for stage in self.library.stages
            if (funnels := self.library.funnels_starting_at(stage.id))
        ]
        # Each type's initials ("LG" for lead generation), beside its colour, so a tile's type never rests on colour alone.
        codes = {
            funnel_type: "".join(word[0] for word in name.split()).upper() for funnel_type, name in FUNNEL_TYPES.items()
        }
        html = self._render("glance.html", href, columns=columns, codes=codes)
        return RenderedPage("At a glance", html, wide=True, full_width=True)

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
            "tags": "library/tags.yml",
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
