"""The MkDocs plugin: a thin adapter from the core's library to MkDocs files and pages.

Everything that knows about funnels lives in the core (library, diagrams, pages).
This module only turns the core's results into MkDocs `File`s, page content and
log records, and wires `mkdocs serve` to reload when the library changes.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from .config import FunnelLibraryConfig, unpublishable_site_url
from .diagrams import DIAGRAM_MISSING, DiagramBatch, DiagramCache, placeholder_svg, standalone_svg, steps_linked_to
from .entry_cache import EntryCache
from .exports import plan_files
from .layout import LayoutJob, LayoutWorkers
from .library import Library, load_library
from .model import FUNNEL_TYPES
from .outputs import OutputWriter
from .problems import Problem
from .pages import (
    CARDS_INDEX,
    CIRCLES_PAGE,
    COMPARE_PAGE,
    CONTRIBUTORS_PAGE,
    COVERAGE_PAGE,
    DIAGRAM_SLOT,
    JOURNEYS_INDEX,
    LIBRARY_HOME,
    MAP_PAGE,
    SITE_HOME,
    SCHEMA_REFERENCE_PAGE,
    Heading,
    PageRenderer,
    RenderedPage,
    RepoLinks,
    defer_regions,
    diagram_src,
    featured_funnel,
    funnel_src,
    journey_src,
    listing_src,
    nav_parent,
    type_src,
)
from .rich_text import MarkdownCache
from .search_index import SearchIndexError, SearchIndexer, build_search_index, indexable, search_section

log = get_plugin_logger(__name__)


class _CoreLogToMkDocs(logging.Handler):
    """The core logs under `funnel_library.*` and knows nothing of MkDocs. While the plugin is
    loaded, its records go on to MkDocs' own log, where `--strict` counts the warnings."""

    def emit(self, record: logging.LogRecord) -> None:
        logging.getLogger("mkdocs.plugins.funnel_library").handle(record)


_core_log = logging.getLogger("funnel_library")
if not any(isinstance(handler, _CoreLogToMkDocs) for handler in _core_log.handlers):
    _core_log.addHandler(_CoreLogToMkDocs())
    _core_log.propagate = False  # once, through MkDocs' handlers


class FunnelLibraryPlugin(BasePlugin[FunnelLibraryConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        # The stores survive `mkdocs serve` rebuilds because the plugin defines on_startup.
        self.markdown: MarkdownCache | None = None
        self.entries: EntryCache | None = None
        self.diagrams: DiagramCache | None = None
        self.batch: DiagramBatch | None = None
        #: lays out the map, the circles and the journeys, beside the batch's workers
        self.page_layouts: LayoutWorkers | None = None
        self.diagram_pages: dict[str, str] = {}  # page src_uri -> funnel id
        self.diagram_links: dict[str, str] = {}  # page src_uri -> link to the funnel's page, for a diagram shown elsewhere
        #: page src_uri -> the (slot, fragment) pairs put back after search has indexed the page
        self.deferred: dict[str, tuple[tuple[str, str], ...]] = {}
        #: site path -> function making its text: the exports, downloads, schemas and diagram files
        self.outputs: dict[str, object] = {}
        self.writer: OutputWriter | None = None
        self.diagrams_queued: set[str] = set()
        self.library: Library | None = None
        self.renderer: PageRenderer | None = None
        self.pages: dict[str, object] = {}
        self.base_dir = Path.cwd()
        #: indexes each page for search as it is written (None: no search, or a --dirty build)
        self.indexer: SearchIndexer | None = None
        self.dirty = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.dirty = dirty  # a --dirty build skips unchanged pages, so search is indexed from the site at the end
        self.markdown = None
        self.entries = None
        self.diagrams = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.config.publish and (reason := unpublishable_site_url(config.site_url)):
            raise PluginError(reason)
        self.base_dir = Path(config.config_file_path).resolve().parent if config.config_file_path else Path.cwd()
        return config

    @property
    def library_dir(self) -> Path:
        return self.base_dir / self.config.library_dir

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        cache_root = self.base_dir / self.config.cache_dir if self.config.cache else None
        # Kept across `mkdocs serve` rebuilds. MkDocs reuses one plugin object for every
        # config loaded in a process, so a cache is only reused for the same cache file.
        entries_path = cache_root / "entries.json" if cache_root else None
        if self.entries is None or self.entries.path != entries_path:
            self.entries = EntryCache(entries_path)
        self.entries.start_build()
        try:
            library = load_library(self.library_dir, display_base=self.base_dir, cache=self.entries)
        except Exception as exc:  # a bug in the core, not in an entry: stop with a clean message
            raise PluginError(f"funnel-library: could not load {self.library_dir}: {exc}") from exc
        for problem in library.problems:
            log.warning(problem.as_text())
        if library.problems:
            log.warning(f"{len(library.problems)} problem(s) in the library; run `funnel-library validate` for the same list.")

        diagrams_path = cache_root / "diagrams.json" if cache_root else None
        if self.diagrams is None or self.diagrams.path != diagrams_path:
            self.diagrams = DiagramCache(diagrams_path)
        self.diagrams.start_build()
        markdown_path = cache_root / "markdown.json" if cache_root else None
        if self.markdown is None or self.markdown.path != markdown_path:
            self.markdown = MarkdownCache(markdown_path)
        self.markdown.start_build()
        repo = RepoLinks(config.repo_url, self.config.source_branch) if config.repo_url else None
        self.library = library
        self.renderer = PageRenderer(library, repo=repo, volume=self.config.forecast_volume, markdown_cache=self.markdown,
                                     layout=self._lay_out_page_diagram, feed=bool(config.site_url))
        self.pages = {}
        self.diagram_pages = {}
        self.diagram_links = {}
        self.deferred = {}
        self._stop_layouts()  # a previous serve rebuild that failed half-way
        self.batch = DiagramBatch(library.funnels, self.diagrams)
        self.page_layouts = LayoutWorkers(1)

        # Looked up once: Files rebuilds its index after every append, so a lookup per page
        # would make adding pages quadratic in the size of the library.
        docs_files = {file.src_uri: file for file in files}

        generated: dict[str, File] = {}

        def add_page(src_uri: str, render, *, in_nav: bool) -> None:
            inclusion = InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV
            if src_uri in docs_files:  # a hand-written page with the same path gives way
                files.remove(docs_files.pop(src_uri))
            generated[src_uri] = File.generated(config, src_uri, content="", inclusion=inclusion)
            files.append(generated[src_uri])
            self.pages[src_uri] = render

        add_page(SITE_HOME, lambda href: self.renderer.site_home(href), in_nav=True)
        if (featured := featured_funnel(library)) is not None:
            self.diagram_pages[SITE_HOME] = featured.id
        add_page(LIBRARY_HOME, lambda href: self.renderer.library_home(href), in_nav=True)
        for number in range(2, self.renderer.listing_pages() + 1):  # a large library's listing, split into pages
            add_page(listing_src(LIBRARY_HOME, number), lambda href, n=number: self.renderer.library_home(href, n), in_nav=False)
        for funnel_type in FUNNEL_TYPES:
            add_page(type_src(funnel_type), lambda href, t=funnel_type: self.renderer.type_index(t, href), in_nav=True)
            for number in range(2, self.renderer.listing_pages(funnel_type) + 1):
                add_page(listing_src(type_src(funnel_type), number),
                         lambda href, t=funnel_type, n=number: self.renderer.type_index(t, href, n), in_nav=False)
        add_page(JOURNEYS_INDEX, lambda href: self.renderer.journeys_index(href), in_nav=True)
        add_page(MAP_PAGE, lambda href: self.renderer.map_page(href), in_nav=True)
        add_page(CIRCLES_PAGE, lambda href: self.renderer.circles_page(href), in_nav=True)
        add_page(COVERAGE_PAGE, lambda href: self.renderer.coverage_page(href), in_nav=True)
        add_page(COMPARE_PAGE, lambda href: self.renderer.compare_page(href), in_nav=True)
        add_page(CONTRIBUTORS_PAGE, lambda href: self.renderer.contributors_page(href), in_nav=True)
        add_page(SCHEMA_REFERENCE_PAGE, lambda href: self.renderer.schema_reference_page(href), in_nav=True)
        for journey in library.journeys:
            add_page(journey_src(journey.id), lambda href, j=journey: self.renderer.journey_page(j, href), in_nav=False)
        for funnel in library.funnels:
            add_page(funnel_src(funnel.id), lambda href, f=funnel: self.renderer.funnel_page(f, href), in_nav=False)
            self.diagram_pages[funnel_src(funnel.id)] = funnel.id
        self.outputs = plan_files(library, url_of=lambda f: generated[funnel_src(f.id)].url, site_url=config.site_url,
                                  site_name=config.site_name)
        self.outputs[CARDS_INDEX] = lambda: self.renderer.cards_index(
            lambda f: get_relative_url(generated[funnel_src(f.id)].url, CARDS_INDEX))
        for site_path in self.outputs:  # as with pages, a hand-written file at the same path gives way
            if site_path in docs_files:
                files.remove(docs_files.pop(site_path))
        self._start_writer(config)
        self._start_indexer(config)
        valid_ids = {funnel.id for funnel in library.funnels}
        for entry in library.broken:
            if entry.kind == "funnel" and entry.id not in valid_ids:
                add_page(funnel_src(entry.id), lambda href, e=entry: self.renderer.broken_page(e, href), in_nav=False)
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        page.meta["search_section"] = search_section(page.file.src_uri)
        render = self.pages.get(page.file.src_uri)
        if render is None:
            return markdown
        rendered: RenderedPage = render(lambda target: self._href(target, page, files))
        funnel_id = self.diagram_pages.get(page.file.src_uri)
        if funnel_id is not None and page.file.src_uri != funnel_src(funnel_id):
            self.diagram_links[page.file.src_uri] = self._href(funnel_src(funnel_id), page, files)
        parent = nav_parent(self.library, page.file.src_uri)
        if parent is not None and page.parent is None and (listed := files.get_file_from_path(parent)) and listed.page:
            # Unlisted pages (a funnel, a journey) sit under their listed page, so the theme marks
            # the Library tab and that page in the sidebar while one is open.
            page.parent = listed.page
        page.meta["title"] = html.escape(rendered.title)  # Material prints meta titles without escaping
        page.meta["_funnel_library_page"] = rendered
        if rendered.wide:  # Material's way to give the content the table of contents' column
            page.meta["hide"] = ["toc"] + (["navigation"] if rendered.poster else [])
        return ""

    def on_page_content(self, output: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        rendered = page.meta.pop("_funnel_library_page", None)
        if rendered is None:
            return output
        page.toc = get_toc(_toc_tokens(rendered.headings))
        page.present_anchor_ids = {heading.id for heading in rendered.headings}
        html, deferred = defer_regions(rendered.html)
        if deferred:
            self.deferred[page.file.src_uri] = deferred
        return html

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Index the page for search, then put back the deferred regions and the diagram.

        Search gets the page's article before the furniture and the diagram return: they are
        what search ignores anyway, so Pagefind parses half as much and indexes the same text
        (a test compares the result with Pagefind's own run over the finished site)."""
        if self.indexer is not None:
            try:
                self.indexer.add("/" + (page.url or ""), indexable(output))
            except SearchIndexError as exc:
                raise _search_failed(exc) from exc
        for slot, fragment in self.deferred.pop(page.file.src_uri, ()):
            output = output.replace(slot, fragment, 1)
        funnel_id = self.diagram_pages.get(page.file.src_uri)
        if funnel_id is not None:
            svg = self.batch.svg(funnel_id)
            self._queue_diagram_file(funnel_id, svg)
            if (target := self.diagram_links.get(page.file.src_uri)) is not None:  # shown on another page: steps open the funnel's
                svg = steps_linked_to(svg, target)
            output = output.replace(DIAGRAM_SLOT, svg, 1)
        return output

    def _start_writer(self, config: MkDocsConfig) -> None:
        """Write every output but the diagrams now, in the background, while MkDocs builds pages.

        MkDocs has emptied the site folder before `on_files`. Diagram files are queued as
        their pages get their SVG (the layout may still be running in a worker).
        """
        if self.writer is not None:  # a previous serve rebuild that failed half-way
            self.writer.cancel()
        self.writer = OutputWriter(Path(config.site_dir))
        self.diagrams_queued = set()
        for site_path, make in self.outputs.items():
            if make is not None:  # None: a diagram file
                self.writer.put(site_path, make)

    def _start_indexer(self, config: MkDocsConfig) -> None:
        """Start indexing pages for search as they are written (not for a --dirty build, which skips pages)."""
        if self.indexer is not None:  # a previous serve rebuild that failed half-way
            self.indexer.cancel()
            self.indexer = None
        if self.config.search and not self.dirty:
            try:
                self.indexer = SearchIndexer(Path(config.site_dir))
            except SearchIndexError as exc:
                raise _search_failed(exc) from exc

    def _queue_diagram_file(self, funnel_id: str, svg: str) -> None:
        if funnel_id not in self.diagrams_queued:
            self.diagrams_queued.add(funnel_id)
            self.writer.put(diagram_src(funnel_id), lambda: standalone_svg(svg))

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Finish writing the outputs, and stop the layout workers."""
        for funnel_id in self.batch.keys:  # pages skipped by a `--dirty` rebuild still get their file
            if funnel_id not in self.diagrams_queued:
                self._queue_diagram_file(funnel_id, self.batch.svg(funnel_id))
        errors = self.writer.finish()
        self.writer = None
        if errors:
            raise PluginError("funnel-library: could not write " + "; ".join(errors))
        self._stop_layouts(collect=True)
        if self.config.search:
            indexer, self.indexer = self.indexer, None
            try:
                indexed = indexer.finish() if indexer is not None else build_search_index(Path(config.site_dir))
            except SearchIndexError as exc:
                raise _search_failed(exc) from exc
            log.debug(f"search: Pagefind indexed {indexed.pages} pages")
        for store in (self.markdown, self.entries, self.diagrams):
            store.save()
        for funnel_id, reason in sorted(self.batch.failures.items()):
            funnel = self.library.funnel(funnel_id)
            problem = Problem.at(funnel.source_path, (1, 1), "FL301", f"the diagram of `{funnel_id}` could not be drawn: {reason}.")
            log.warning(problem.as_text())
        log.debug(f"diagrams: {self.diagrams.layouts} laid out, {self.diagrams.hits} from cache; "
                  f"entries: {self.entries.hits} of {len(self.library.funnels)} valid funnels unchanged since the last build")

    def on_build_error(self, *, error: Exception) -> None:
        if self.writer is not None:
            self.writer.cancel()
            self.writer = None
        if self.indexer is not None:
            self.indexer.cancel()
            self.indexer = None
        self._stop_layouts()

    def _lay_out_page_diagram(self, job: LayoutJob) -> str:
        """The map's, the circles' or a journey's diagram, laid out in a worker; a placeholder if that fails."""
        svg, failure = self.page_layouts.run(job)
        if failure is not None:
            log.warning(f"funnel-library: {job.title} could not be drawn ({failure}); the page shows a placeholder.")
            return placeholder_svg(DIAGRAM_MISSING)
        return svg

    def _stop_layouts(self, *, collect: bool = False) -> None:
        if self.batch is not None:
            self.batch.close(collect=collect)
        if self.page_layouts is not None:
            self.page_layouts.close()
            self.page_layouts = None

    def _href(self, target: str, page: Page, files: Files) -> str:
        """A link from ``page`` to ``target``: a docs-relative source path, or a diagram we write."""
        file = files.get_file_from_path(target)
        if file is not None and file.url:
            return get_relative_url(file.url, page.url or ".")
        if target in self.outputs:
            return get_relative_url(target, page.url or ".")
        raise PluginError(f"funnel-library: {page.file.src_uri} links to {target}, which this site does not have")

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        server.watch(str(self.library_dir))
        return server


def _search_failed(exc: SearchIndexError) -> PluginError:
    return PluginError(f"funnel-library: the search index could not be built: {exc}")


def _toc_tokens(headings: tuple[Heading, ...]) -> list[dict]:
    tokens: list[dict] = []
    for heading in headings:
        token = {"level": heading.level, "id": heading.id, "name": html.escape(heading.title), "children": []}
        if heading.level > 2 and tokens:
            tokens[-1]["children"].append(token)
        else:
            tokens.append(token)
    return tokens
