"""One build of the site as the core sees it, whatever engine runs it.

:func:`page_table` lists every generated page: its source path, the renderer method that makes
it, whether it is in the navigation, and the funnel whose diagram it shows. A new kind of page is
a template, a renderer method and a row here.

:class:`SiteBuild` holds the build's state between an engine's steps, page by page, in one
place (:class:`PageState`): render a page, hand over its content with the furniture cut out for
search, then index it and put the furniture and the diagram back. It also makes the non-page
files (exports, downloads, schemas, diagram files) in a background writer while pages build,
lays out diagrams in worker processes, and runs the search index. An engine adapter (the MkDocs
plugin) only turns these calls into its own events and objects: it gives each call the page's
address as the engine made it, and an ``href`` that links from one page to another.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ..core.forecast import DEFAULT_VOLUME
from ..core.library import Library
from ..core.model import Funnel
from ..core.problems import Problem
from ..core.rich_text import MarkdownCache
from ..core.store import content_key
from ..core.vocabulary import FUNNEL_TYPES
from .diagrams import (
    DIAGRAM_MISSING,
    DiagramBatch,
    DiagramCache,
    layout_job_key,
    placeholder_svg,
    standalone_svg,
    steps_linked_to,
)
from .exports import file_inputs, plan_files
from .layout import LayoutJob, LayoutWorkers
from .listings import cards_index, featured_funnel
from .outputs import OutputWriter
from .page_reuse import KeptPage, PageReuse
from .pages import PageRenderer
from .repo_links import RepoLinks
from .routes import (
    CARDS_INDEX,
    CIRCLES_PAGE,
    COMPARE_PAGE,
    CONTRIBUTORS_PAGE,
    COVERAGE_PAGE,
    GLANCE_PAGE,
    JOURNEYS_INDEX,
    LIBRARY_HOME,
    MAP_PAGE,
    SCHEMA_REFERENCE_PAGE,
    SITE_HOME,
    diagram_src,
    funnel_src,
    journey_src,
    listing_src,
    relative_url,
    type_src,
)
from .search_index import build_search_index, indexable, marked_for_search, search_section
from .search_reuse import SearchFeed, SearchIndexCache, SessionSearch
from .served_site import ServedSite
from .slots import DIAGRAM_SLOT, Heading, Href, RenderedPage, defer_regions

logger = logging.getLogger(__name__)


class SiteBuildError(Exception):
    """The build cannot go on: a file that could not be written, a page that lost its slot."""


@dataclass(frozen=True)
class PageRow:
    """One generated page: its source path, how to render it, and what it shows."""

    src_uri: str
    render: Callable[[Href], RenderedPage]
    in_nav: bool
    #: the funnel whose diagram fills the page's diagram slot
    diagram: str | None = None
    #: what the page is made from, as text (see page_inputs); None: render it every time
    inputs: Callable[[], str] | None = None


def page_table(library: Library, renderer: PageRenderer) -> list[PageRow]:
    """Every page the core generates, in the order the site lists them."""
    featured = featured_funnel(library)
    rows = [
        PageRow(SITE_HOME, renderer.site_home, True, featured.id if featured else None),
        PageRow(LIBRARY_HOME, renderer.library_home, True, inputs=partial(renderer.listing_inputs, None)),
    ]
    rows += [
        PageRow(
            listing_src(LIBRARY_HOME, n),
            partial(renderer.library_home, number=n),
            False,
            inputs=partial(renderer.listing_inputs, None, n),
        )
        for n in range(2, renderer.listing_pages() + 1)
    ]  # a large library's listing, split into pages
    for funnel_type in FUNNEL_TYPES:
        rows.append(
            PageRow(
                type_src(funnel_type),
                partial(renderer.type_index, funnel_type),
                True,
                inputs=partial(renderer.listing_inputs, funnel_type),
            )
        )
        rows += [
            PageRow(
                listing_src(type_src(funnel_type), n),
                partial(renderer.type_index, funnel_type, number=n),
                False,
                inputs=partial(renderer.listing_inputs, funnel_type, n),
            )
            for n in range(2, renderer.listing_pages(funnel_type) + 1)
        ]
    rows += [
        PageRow(JOURNEYS_INDEX, renderer.journeys_index, True),
        PageRow(GLANCE_PAGE, renderer.glance_page, True),
        PageRow(MAP_PAGE, renderer.map_page, True),
        PageRow(CIRCLES_PAGE, renderer.circles_page, True),
        PageRow(COVERAGE_PAGE, renderer.coverage_page, True),
        PageRow(COMPARE_PAGE, renderer.compare_page, True),
        PageRow(CONTRIBUTORS_PAGE, renderer.contributors_page, True),
        PageRow(SCHEMA_REFERENCE_PAGE, renderer.schema_reference_page, True),
    ]
    rows += [PageRow(journey_src(j.id), partial(renderer.journey_page, j), False) for j in library.journeys]
    rows += [
        PageRow(
            funnel_src(f.id), partial(renderer.funnel_page, f), False, f.id, partial(renderer.funnel_page_inputs, f)
        )
        for f in library.funnels
    ]
    valid = {funnel.id for funnel in library.funnels}
    rows += [
        PageRow(funnel_src(entry.id), partial(renderer.broken_page, entry), False)
        for entry in library.broken
        if entry.kind == "funnel" and entry.id not in valid
    ]
    return rows


@dataclass(frozen=True)
class PageContent:
    """A page's content as the engine takes it."""

    html: str
    headings: tuple[Heading, ...]
    anchors: frozenset[str]


@dataclass
class PageState:
    """What the build knows about one page between the engine's steps."""

    #: the page as the renderer made it, until its content is handed over (then only what follows is kept)
    rendered: RenderedPage | None
    #: the (slot, fragment) pairs cut out before search indexes the page, put back after
    deferred: tuple[tuple[str, str], ...] = ()
    #: for a funnel diagram shown on another page: the link to the funnel's page
    diagram_link: str | None = None
    #: the page's key for reuse (see page_reuse), once the engine has given its frame
    key: str | None = None
    #: the same page as an earlier build finished it, when its key has not changed
    kept: KeptPage | None = None


@dataclass(frozen=True)
class Workers:
    """The processes that lay out a build's diagrams: the funnels', and the pages' (the map, the
    circles and the journeys, beside the funnels' so that neither waits for the other)."""

    funnels: LayoutWorkers
    pages: LayoutWorkers

    @classmethod
    def start(cls) -> Workers:
        """New workers; each pool starts its processes at its first job."""
        return cls(LayoutWorkers(), LayoutWorkers(1))

    def close(self) -> None:
        self.funnels.close()
        self.pages.close()


class SiteBuild:
    """One build: its pages, its files, its diagrams, its search index."""

    def __init__(
        self,
        library: Library,
        diagrams: DiagramCache,
        markdown: MarkdownCache,
        *,
        site_dir: Path,
        search: bool,
        dirty: bool,
        repo: RepoLinks | None = None,
        volume: int = DEFAULT_VOLUME,
        feed: bool = True,
        hand_written: frozenset[str] | None = None,
        site_name: str = "Funnel Library",
        workers: Workers | None = None,
        reuse: PageReuse | None = None,
        engine: str = "",
        search_session: SessionSearch | None = None,
        search_cache: SearchIndexCache | None = None,
        served: ServedSite | None = None,
    ) -> None:
        """``hand_written``: the project's own pages; links to the optional ones appear only when they are there.
        ``workers``: layout workers that outlive this build (`mkdocs serve` keeps them from one rebuild to
        the next, so no rebuild waits for new processes to start); without them the build starts its own
        and stops them when it is done. ``reuse``: finished pages from the session's earlier builds
        (see :meth:`reuse_page`); ``engine``: the engine's settings that change a rendered page's
        links, so a page rendered under others is not reused. ``search_session``: the session's
        search index, which takes the pages at the end and indexes them in the background;
        ``search_cache``: the last build's index, given again when no page changed for search.
        ``served``: the folder `mkdocs serve` serves, kept from the last rebuild: files whose text did
        not change are not written again (see :meth:`on_disk`)."""
        self.library = library
        self.renderer = PageRenderer(
            library,
            repo=repo,
            volume=volume,
            markdown_cache=markdown,
            layout=self.lay_out_page_diagram,
            feed=feed,
            hand_written=hand_written,
            site_name=site_name,
        )
        renderer = self.renderer
        self.site_dir = site_dir
        self.search = search
        self.dirty = dirty  # a --dirty build skips unchanged pages, so search indexes the site at the end
        self.rows = {row.src_uri: row for row in page_table(library, renderer)}
        self.pages: dict[str, PageState] = {}
        self.files: dict[str, Callable[[], str] | None] = {}
        self.own_workers = workers is None
        workers = workers or Workers.start()
        self.batch = DiagramBatch(library.funnels, diagrams, workers.funnels)
        self.diagram_cache = diagrams
        self.page_layouts = workers.pages
        self.writer: OutputWriter | None = None
        self.indexer: SearchFeed | None = None
        self.diagrams_queued: set[str] = set()
        self.reuse = reuse
        if reuse is not None:
            renderer.known_digests = reuse.funnel_digests
        self.engine = engine
        self.search_session = search_session if search and not dirty else None
        self.search_cache = search_cache
        self.served = served
        #: under `mkdocs serve`, the inputs of the files made from one funnel each (see exports.file_inputs)
        self.file_inputs: dict[str, str] = {}
        #: finished pages by source path: (their key, the HTML given to the engine), to know them at the write
        self.finished: dict[str, tuple[str, str]] = {}
        #: the pages for the session's search index: (address, searchable HTML)
        self.searchable: list[tuple[str, str]] = []
        #: pages the search index cannot cover: their template wrote no article to mark
        self.unmarked: list[str] = []

    def lay_out_page_diagram(self, job: LayoutJob) -> str:
        """The map's, the circles' or a journey's diagram: from the diagram cache when the same job was
        laid out before, else laid out in a worker (and kept); a placeholder if that fails."""
        key = layout_job_key(job)
        cached = self.diagram_cache.get(key)
        if isinstance(cached, str):
            return cached
        svg, failure = self.page_layouts.run(job)
        if svg is None:
            logger.warning(f"funnel-library: {job.title} could not be drawn ({failure}); the page shows a placeholder.")
            return placeholder_svg(DIAGRAM_MISSING)
        self.diagram_cache.put(key, svg)
        return svg

    def plan_files(self, url_of: Callable[[Funnel], str], *, site_url: str | None, site_name: str) -> dict:
        """Every non-page file; ``url_of`` gives a funnel page's URL as the engine made it."""
        self.files = plan_files(self.library, url_of=url_of, site_url=site_url, site_name=site_name)
        if self.served is not None:
            self.file_inputs = file_inputs(
                self.library, url_of=url_of, site_url=site_url, digest_of=self.renderer.digests().of
            )
        self.files[CARDS_INDEX] = lambda: cards_index(self.library, lambda f: relative_url(url_of(f), CARDS_INDEX))
        return self.files

    def start(self) -> None:
        """Write the files (but the diagrams, which come with their pages) in the background, and
        start the search index, while the engine builds the pages."""
        self.writer = OutputWriter(self.site_dir, self.served)
        inputs = self.file_inputs if self.served is not None else {}
        for site_path, make in self.files.items():
            if make is not None:
                self.writer.put(site_path, make, inputs.get(site_path))
        if self.search and not self.dirty and self.search_session is None:
            self.indexer = SearchFeed(self.site_dir, self.search_cache)

    def render(self, src_uri: str, href: Href) -> RenderedPage | None:
        """The generated page at ``src_uri`` (None for a page the core does not make)."""
        row = self.rows.get(src_uri)
        if row is None:
            return None
        rendered = None
        if self.reuse is not None and row.inputs is not None:
            inputs = content_key(self.engine, row.inputs())
            rendered = self.reuse.rendering(src_uri, inputs)
            if rendered is None:
                rendered = row.render(href)
                self.reuse.keep_rendering(src_uri, inputs, rendered)
        rendered = rendered or row.render(href)
        state = self.pages[src_uri] = PageState(rendered)
        if row.diagram is not None and src_uri != funnel_src(row.diagram):
            state.diagram_link = href(funnel_src(row.diagram))
        return rendered

    def content(self, src_uri: str) -> PageContent | None:
        """The page's HTML for the engine, with the furniture that search skips cut out into slots,
        and its table of contents. The rendered page is let go: a large library's pages would
        otherwise all be held at once, from the first page's rendering to the last one's writing."""
        state = self.pages.get(src_uri)
        if state is None or state.rendered is None:
            return None
        rendered, state.rendered = state.rendered, None
        html, state.deferred = defer_regions(rendered.html)
        return PageContent(html, rendered.headings, rendered.anchors)

    def reuse_page(self, src_uri: str, frame: str) -> bool:
        """Whether the page can be given as an earlier build of this session finished it: the
        engine's ``frame`` (everything it renders around the page, and the page's content as it
        has it now) and the build's own part (the furniture, the diagram) are what they were.
        The engine then skips its theme for the page, and :meth:`finish_page` gives the kept page."""
        state = self.pages.get(src_uri)
        row = self.rows.get(src_uri)
        if state is None or row is None or self.reuse is None:
            return False
        diagram = self.batch.keys.get(row.diagram, "") if row.diagram is not None else ""
        search = f"{self.search} {self.dirty}"
        state.key = content_key(frame, repr(state.deferred), diagram, state.diagram_link or "", search)
        state.kept = self.reuse.get(src_uri, state.key)
        return state.kept is not None

    def finish_page(self, src_uri: str, url: str, output: str) -> str:
        """Mark the finished page for search (if its template did not) and index it, then put back
        its furniture and its diagram. A page kept from an earlier build is given as it was."""
        state = self.pages.pop(src_uri, None)
        if state is not None and state.kept is not None:
            kept = state.kept
            if kept.unmarked:
                self.unmarked.append(src_uri)
            if kept.searchable is not None:
                self._index("/" + url, kept.searchable)
            if self.reuse is not None:
                self.reuse.reused += 1
            self.finished[src_uri] = (kept.key, kept.html)
            return kept.html
        unmarked = False
        if self.search:
            marked = marked_for_search(output, search_section(src_uri))
            if marked is None:
                self.unmarked.append(src_uri)
                unmarked = True
            else:
                output = marked
        searchable = None
        if self.search and not self.dirty:
            searchable = indexable(output)
            self._index("/" + url, searchable)
        for slot, fragment in state.deferred if state else ():
            output = _fill(output, slot, fragment, src_uri)
        row = self.rows.get(src_uri)
        if row is not None and row.diagram is not None:
            svg = self._diagram_file(row.diagram)
            if state is not None and state.diagram_link is not None:  # shown on another page: steps open the funnel's
                svg = steps_linked_to(svg, state.diagram_link)
            output = _fill(output, DIAGRAM_SLOT, svg, src_uri)
        drawn = row is None or row.diagram is None or row.diagram not in self.batch.failures  # a failure is retried
        if self.reuse is not None and state is not None and state.key is not None and drawn:
            self.reuse.keep(src_uri, KeptPage(state.key, output, searchable, unmarked))
            self.reuse.rendered += 1
            self.finished[src_uri] = (state.key, output)
        return output

    def on_disk(self, src_uri: str, dest_uri: str, output: str) -> bool:
        """Whether the served folder already holds ``output``, the page at ``src_uri`` as the
        engine is about to write it to ``dest_uri``: it is the page this build finished (no
        other plugin changed it) and the file still holds what that key gave at a
        rebuild of this session. Otherwise the engine's write is noted, to know it next time."""
        if self.served is None:
            return False
        finished = self.finished.pop(src_uri, None)
        if finished is None or output is not finished[1]:
            self.served.forget(dest_uri)
            return False
        if self.served.unchanged(dest_uri, finished[0]):
            return True
        self.served.engine_writes(dest_uri, finished[0])
        return False

    def _index(self, url: str, searchable: str) -> None:
        if self.indexer is not None:
            self.indexer.add(url, searchable)
        elif self.search_session is not None:
            self.searchable.append((url, searchable))

    def _diagram_file(self, funnel_id: str) -> str:
        svg = self.batch.svg(funnel_id)
        if funnel_id not in self.diagrams_queued:
            self.diagrams_queued.add(funnel_id)
            inputs = f"{len(svg)}:{hash(svg)}" if self.served is not None else None  # in-process only
            self._writer().put(diagram_src(funnel_id), lambda: standalone_svg(svg), inputs)
        return svg

    def _source_path(self, funnel_id: str) -> str:
        funnel = self.library.funnel(funnel_id)
        return funnel.source_path if funnel else funnel_id

    def _writer(self) -> OutputWriter:
        if self.writer is None:
            raise SiteBuildError("funnel-library: a file was planned after the build had finished writing")
        return self.writer

    def finish(self) -> list[Problem]:
        """Write what is left, stop the workers and finish the search index. Returns the
        diagrams that could not be drawn, as problems of their entries."""
        for funnel_id in self.batch.keys:  # pages skipped by a --dirty rebuild still get their file
            self._diagram_file(funnel_id)
        if self.reuse is not None:
            self.reuse.keep_only(set(self.rows), self.library.funnels)
        errors = self._writer().finish()
        self.writer = None
        if errors:
            raise SiteBuildError("funnel-library: could not write " + "; ".join(errors))
        self._stop_layouts(collect=True)
        if self.unmarked:
            logger.warning(
                f"funnel-library: search cannot find {len(self.unmarked)} page(s), {self.unmarked[0]} the first: "
                "the page has no <article> to mark for the search index (data-pagefind-body). A project's own "
                "base.html or main.html replaced Material's page frame; keep Material's <article> (extend "
                '"base.html" and override blocks, as the plugin\'s main.html does), or set `search: false`.'
            )
        if self.search_session is not None:
            self.search_session.index(self.site_dir, self.searchable)
        elif self.search:
            indexer, self.indexer = self.indexer, None
            indexed = indexer.finish() if indexer is not None else build_search_index(self.site_dir)
            logger.debug(f"search: Pagefind indexed {indexed.pages} pages")
        return [
            Problem.at(
                self._source_path(funnel_id),
                (1, 1),
                "FL301",
                f"the diagram of `{funnel_id}` could not be drawn: {reason}.",
            )
            for funnel_id, reason in sorted(self.batch.failures.items())
        ]

    def stop(self, *, collect: bool = False) -> None:
        """Stop the writer, the search index and the layout workers (the build failed, or is done)."""
        if self.writer is not None:
            self.writer.cancel()
            self.writer = None
        if self.indexer is not None:
            self.indexer.cancel()
            self.indexer = None
        self._stop_layouts(collect=collect)

    def _stop_layouts(self, *, collect: bool) -> None:
        """Stop the layout workers; with ``collect``, first keep what they drew (for the cache)."""
        self.batch.close(collect=collect, stop_workers=self.own_workers)
        if self.own_workers:
            self.page_layouts.close()


def _fill(output: str, slot: str, fragment: str, src_uri: str) -> str:
    if slot not in output:
        raise SiteBuildError(
            f"funnel-library: the page {src_uri} lost its slot {slot!r}; a template or the theme dropped it"
        )
    return output.replace(slot, fragment, 1)
