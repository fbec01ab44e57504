"""The MkDocs plugin: a thin adapter from the core's library to MkDocs files and pages.

The core loads and checks the library; the rendering (one `SiteBuild` per build) makes its
pages, diagrams and files. This module only hands MkDocs' events to that build, turns its
answers into MkDocs `File`s, page content and log records, adds the package's theme, and wires
`mkdocs serve` to rebuild when the library changes.
"""

from __future__ import annotations

import html
import logging
import os
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers.api import ObservedWatch
from watchdog.observers.polling import PollingObserverVFS

from .config import FunnelLibraryConfig, unpublishable_site_url
from .core.discovery import DEEPEST_ENTRY_FOLDER
from .core.entry_cache import EntryCache
from .core.library import Library, load_library
from .core.rich_text import MarkdownCache
from .core.store import Store, content_key
from .core.vocabulary import FUNNEL_TYPES
from .core.wording import counted
from .mkdocs_frame import page_frame, site_frame
from .rendering.compiled_templates import THEME_TEMPLATES
from .rendering.diagrams import DiagramCache
from .rendering.listings import nav_parent
from .rendering.page_reuse import PageReuse
from .rendering.repo_links import RepoLinks
from .rendering.routes import CONTRIBUTING_PAGE, funnel_src, ways_in
from .rendering.search_index import SearchIndexError, search_section
from .rendering.search_reuse import SearchIndexCache, SessionSearch
from .rendering.served_site import ServedSite
from .rendering.site_build import PageRow, SiteBuild, SiteBuildError, Workers
from .rendering.slots import Heading
from .rendering.theme import ENTRY_SCRIPT, KEPT_PAGE_TEMPLATE, STYLESHEET, THEME_DIR

log = get_plugin_logger(__name__)


S = TypeVar("S", bound=Store)


class _CoreLogToMkDocs(logging.Handler):
    """The core logs under `funnel_library.*` and knows nothing of MkDocs. While the plugin is
    loaded, its records go on to MkDocs' own log, where `--strict` counts the warnings."""

    def emit(self, record: logging.LogRecord) -> None:
        target = logging.getLogger("mkdocs.plugins.funnel_library")
        if target.isEnabledFor(record.levelno):  # MkDocs' level decides (`-v` shows the core's debug records)
            target.handle(record)


_core_log = logging.getLogger("funnel_library")
if not any(isinstance(handler, _CoreLogToMkDocs) for handler in _core_log.handlers):
    _core_log.addHandler(_CoreLogToMkDocs())
    _core_log.propagate = False  # once, through MkDocs' handlers
    _core_log.setLevel(logging.DEBUG)


class FunnelLibraryPlugin(BasePlugin[FunnelLibraryConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        # The stores survive `mkdocs serve` rebuilds because the plugin defines on_startup; until a
        # build opens the cache folder's, they are in memory only.
        self.entries = EntryCache()
        self.diagrams = DiagramCache()
        self.markdown = MarkdownCache()
        self.search_cache = SearchIndexCache()
        #: this build's pages and files; None while the plugin is switched off
        self.build: SiteBuild | None = None
        self.base_dir = Path.cwd()
        self.dirty = False
        self.library_watch: PollingObserverVFS | None = None
        #: under `mkdocs serve`, the layout workers every rebuild uses; a single build starts its own
        self.workers: Workers | None = None
        #: under `mkdocs serve`, the pages each rebuild finished, to give again when their key has not changed
        self.reuse: PageReuse | None = None
        #: under `mkdocs serve`, the search index each rebuild replaces in the background
        self.search_session: SessionSearch | None = None
        #: under `mkdocs serve`, the served folder, kept from one rebuild to the next
        self.served: ServedSite | None = None
        #: under `mkdocs serve`, pages this rebuild did not write because the folder holds them already
        self.pages_on_disk: set[str] = set()
        self._quiet_skips = _QuietSkips(self.pages_on_disk)
        self.nav: Navigation | None = None
        #: under `mkdocs serve`, the tables of contents made from the same headings
        self.tables_of_contents: dict[tuple[Heading, ...], Any] = {}
        #: when the stores were last written (0: not since the plugin started)
        self.stores_saved = 0.0

    @property
    def outputs(self) -> dict:
        """The site's non-page files, by path."""
        return self.build.files if self.build else {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.dirty = dirty  # a --dirty build skips unchanged pages, so search is indexed from the site at the end
        self.entries, self.diagrams, self.markdown = EntryCache(), DiagramCache(), MarkdownCache()
        self.search_cache = SearchIndexCache()
        if command == "serve":
            self.workers = self.workers or Workers.start()
            self.reuse = self.reuse or PageReuse()
            if not dirty:  # a --dirty build does not clean the folder, and leaves what it holds
                self.served = self.served or ServedSite()
                _ENGINE_BUILD_LOG.addFilter(self._quiet_skips)
            self.search_session = self.search_session or SessionSearch(self.served)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.config.publish and (reason := unpublishable_site_url(config.site_url)):
            raise PluginError(reason)
        self.base_dir = Path(config.config_file_path).resolve().parent if config.config_file_path else Path.cwd()
        if self.config.enabled:
            _add_theme(config)
        return config

    @property
    def library_dir(self) -> Path:
        return Path(self.config.library_dir)  # c.Dir made it absolute, from mkdocs.yml's folder

    # First: the engine has just emptied the site folder; under `mkdocs serve` the last
    # rebuild's files go back before anything is written.
    @event_priority(100)
    def _restore_site(self, files: Files, *, config: MkDocsConfig) -> Files:
        if self.served is not None and self.config.enabled:
            self.served.restore()
        self.pages_on_disk.clear()
        return files

    # Last, after other plugins have added their files, so a hand-written page at a generated
    # page's path is found and gives way.
    @event_priority(-50)
    def _add_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if not self.config.enabled:
            self.build = None
            return files
        self._open_stores()
        library = self._load_library()
        if self.build is not None:  # a previous serve rebuild that failed half-way
            self.build.stop()
        # Looked up once: Files rebuilds its index after every append, so a lookup per page
        # would make adding pages quadratic in the size of the library.
        written = {file.src_uri: file for file in files}
        repo = RepoLinks(config.repo_url, self.config.source_branch) if config.repo_url else None
        self.build = SiteBuild(
            library,
            self.diagrams,
            self.markdown,
            site_dir=Path(config.site_dir),
            search=self.config.search,
            dirty=self.dirty,
            repo=repo,
            volume=self.config.forecast_volume,
            feed=bool(config.site_url),
            hand_written=frozenset(src for src, file in written.items() if file.is_documentation_page()),
            site_name=config.site_name,
            workers=self.workers,
            reuse=self.reuse,
            engine=site_frame(config, None) if self.reuse is not None else "",
            search_session=self.search_session,
            search_cache=self.search_cache,
            served=self.served,
        )
        if self.reuse is not None:
            self.reuse.start_build()
        urls = {row.src_uri: self._add_page(files, written, row, config).url for row in self.build.rows.values()}
        planned = self.build.plan_files(
            lambda funnel: urls[funnel_src(funnel.id)], site_url=config.site_url, site_name=config.site_name
        )
        for site_path in set(planned) & set(written):  # as with pages, a hand-written file at the same path gives way
            files.remove(written.pop(site_path))
        with _as_plugin_error():
            self.build.start()
        return files

    on_files = CombinedEvent(_restore_site, _add_files)

    def _open_stores(self) -> None:
        """The entry, diagram and Markdown stores of this cache folder, kept between rebuilds.
        MkDocs reuses one plugin object for every config loaded in a process, so a store is
        only reused for the same file."""
        root = Path(self.config.cache_dir) if self.config.cache else None
        self.entries = _reopened(self.entries, EntryCache, root / "entries.json" if root else None)
        self.diagrams = _reopened(self.diagrams, DiagramCache, root / "diagrams.json" if root else None)
        self.markdown = _reopened(self.markdown, MarkdownCache, root / "markdown.json" if root else None)
        self.search_cache = _reopened(self.search_cache, SearchIndexCache, root / "search-index.json" if root else None)
        for store in (self.entries, self.diagrams, self.markdown, self.search_cache):
            store.start_build()

    def _load_library(self) -> Library:
        try:
            library = load_library(self.library_dir, display_base=self.base_dir, cache=self.entries)
        except Exception as exc:  # a bug in the core, not in an entry: stop with a clean message
            raise PluginError(f"funnel-library: could not load {self.library_dir}: {exc}") from exc
        for problem in library.problems:
            log.warning(problem.as_text())
        if library.problems:
            # Information, not one more warning: --strict counts warnings, and each problem is one.
            log.info(
                f"{counted(len(library.problems), 'problem')} in the library; run `funnel-library validate` for the same list."
            )
        return library

    @staticmethod
    def _add_page(files: Files, written: dict[str, File], row: PageRow, config: MkDocsConfig) -> File:
        if row.src_uri in written:  # a hand-written page with the same path gives way
            files.remove(written.pop(row.src_uri))
        inclusion = InclusionLevel.UNDEFINED if row.in_nav else InclusionLevel.NOT_IN_NAV
        file = File.generated(config, row.src_uri, content="", inclusion=inclusion)
        files.append(file)
        return file

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        return nav

    # Last: a kept page's frame holds the template globals every plugin has set.
    @event_priority(-100)
    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        # MkDocs makes the theme's environment anew on every build; under `mkdocs serve` the
        # templates then compile once per session, not once per rebuild.
        if env.bytecode_cache is None:
            env.bytecode_cache = THEME_TEMPLATES
        # The search box offers "propose a funnel" when nothing answers, if the site has the guide to link to.
        guide = files.get_file_from_path(CONTRIBUTING_PAGE) if self.build is not None else None
        env.globals["funnel_library_propose"] = guide.url if guide is not None and guide.url is not None else None
        # The 404 page's ways back in: the library's own pages that this site has.
        found = (
            [(text, files.get_file_from_path(src)) for text, src in ways_in(FUNNEL_TYPES)]
            if self.build is not None
            else []
        )
        env.globals["funnel_library_ways_in"] = [(text, f.url) for text, f in found if f and f.url is not None]
        if self.build is not None and self.reuse is not None:
            self._reuse_unchanged_pages(config, files, env.globals)
        return env

    def _reuse_unchanged_pages(self, config: MkDocsConfig, files: Files, template_globals: dict) -> None:
        """Every page is populated now: a generated page whose frame and content are what they
        were at the last rebuild skips the theme (a one-line template), and is given as it was."""
        assert self.build is not None
        frame = site_frame(config, self.nav, template_globals)
        for file in files.documentation_pages():
            page = file.page
            if (
                page is not None
                and file.src_uri in self.build.rows
                and self.build.reuse_page(file.src_uri, content_key(frame, page_frame(page), page.content or ""))
            ):
                page.meta["template"] = KEPT_PAGE_TEMPLATE

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.build is None:  # the plugin is switched off
            return markdown
        page.meta["search_section"] = search_section(page.file.src_uri)
        rendered = self.build.render(page.file.src_uri, lambda target: self._href(target, page, files))
        if rendered is None:
            return markdown
        parent = nav_parent(self.build.library, page.file.src_uri)
        if parent is not None and page.parent is None and (listed := files.get_file_from_path(parent)) and listed.page:
            # Unlisted pages (a funnel, a journey) sit under their listed page, so the theme marks
            # the Library tab and that page in the sidebar while one is open.
            page.parent = listed.page  # type: ignore[assignment]  # Material reads a page as a parent too
        _skip_markdown(page)
        page.meta["title"] = html.escape(rendered.title)  # Material prints meta titles without escaping
        if rendered.wide:  # Material's way to give the content the table of contents' column
            page.meta["hide"] = ["toc"] + (["navigation"] if rendered.full_width else [])
        return ""

    # First: plugins after this one see the generated content, not the empty Markdown page.
    @event_priority(50)
    def on_page_content(self, output: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.build is None or (content := self.build.content(page.file.src_uri)) is None:
            return output
        toc = self.tables_of_contents.get(content.headings)
        if toc is None:
            toc = get_toc(_toc_tokens(content.headings))
            if self.reuse is not None:  # under `mkdocs serve`: kept for the session, as the pages are
                self.tables_of_contents[content.headings] = toc
        page.toc = toc
        page.present_anchor_ids = set(content.anchors)
        return content.html

    # First: the furniture and the diagram are back before any other plugin sees the page (a
    # minifier would drop the slot comments); the search index gets the page before they return.
    @event_priority(50)
    def _finish_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self.build is None:
            return output
        with _as_plugin_error():
            return self.build.finish_page(page.file.src_uri, page.url or "", output)

    # Last: under `mkdocs serve`, a page the served folder already holds, exactly as every plugin
    # made it now, is not written again (the engine writes no file for an empty page).
    @event_priority(-100)
    def _skip_page_on_disk(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self.build is not None and self.build.on_disk(page.file.src_uri, page.file.dest_uri, output):
            self.pages_on_disk.add(page.file.src_uri)
            return ""
        return output

    on_post_page = CombinedEvent(_finish_page, _skip_page_on_disk)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.build is None:
            return
        with _as_plugin_error():
            problems = self.build.finish()
        # Under `mkdocs serve` the stores are written now and then, and when the server stops:
        # a rebuild for every saved edit need not write the whole cache again.
        if self.reuse is None or time.monotonic() - self.stores_saved > STORE_SAVE_INTERVAL:
            self._save_stores()
        for problem in problems:
            log.warning(problem.as_text())
        if self.reuse is not None:
            log.debug(
                f"pages: {self.reuse.reused} given as the last rebuild finished them, {self.reuse.rendered} "
                f"finished again; {self.reuse.renderings_reused} funnel pages not rendered again"
            )
        if self.served is not None:
            removed = self.served.finish()
            log.debug(
                f"site folder: {len(self.pages_on_disk)} pages already there; {removed} files of the last rebuild removed"
            )
        log.debug(
            f"diagrams: {self.diagrams.layouts} laid out, {self.diagrams.hits} from cache; entries: "
            f"{self.entries.hits} of {len(self.build.library.funnels)} valid funnels unchanged since the last build"
        )

    def _save_stores(self) -> None:
        for store in (self.markdown, self.entries, self.diagrams, self.search_cache):
            store.save()
        self.stores_saved = time.monotonic()

    def on_build_error(self, *, error: Exception) -> None:
        if self.build is not None:
            self.build.stop()

    def _href(self, target: str, page: Page, files: Files) -> str:
        """A link from ``page`` to ``target``: a docs-relative source path, or a file we write."""
        file = files.get_file_from_path(target)
        if file is not None and file.url:
            return get_relative_url(file.url, page.url or ".")
        if target in self.outputs:
            return get_relative_url(target, page.url or ".")
        raise PluginError(f"funnel-library: {page.file.src_uri} links to {target}, which this site does not have")

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        if self.config.enabled:
            self.library_watch = _watch_library(server, self.library_dir)
        return server

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self.search_session is not None:  # MkDocs is about to clean the site the index is written into
            self.search_session.settle(cancel=True)
        if self.served is not None and self.config.enabled:
            self.served.set_aside(Path(config.site_dir))

    def on_shutdown(self) -> None:
        if self.library_watch is not None:
            self.library_watch.stop()
            self.library_watch = None
        if self.search_session is not None:
            self.search_session.settle(cancel=True)
        if self.stores_saved and self.config.enabled:
            self._save_stores()
        if self.served is not None:
            self.served.close()
            _ENGINE_BUILD_LOG.removeFilter(self._quiet_skips)
        if self.workers is not None:
            self.workers.close()
            self.workers = None
        # The session is over. MkDocs keeps this object for later configs of the process (it has
        # on_startup), and a build after the session is a single build again.
        self.reuse = self.search_session = self.served = None
        self.tables_of_contents = {}


#: under `mkdocs serve`, the stores are written at most this often (seconds), and when the server stops
STORE_SAVE_INTERVAL = 30.0

#: the engine's build log, which names every page it writes no file for
_ENGINE_BUILD_LOG = logging.getLogger("mkdocs.commands.build")


class _QuietSkips(logging.Filter):
    """Drops the engine's note that a page was skipped for an empty output, for the pages the
    plugin emptied because the served folder already holds them: that is no news to a reader."""

    def __init__(self, pages: set[str]) -> None:
        super().__init__()
        self.pages = pages

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.pages or record.levelno != logging.INFO:
            return True
        quoted = record.getMessage().split("'")
        return not (len(quoted) >= 3 and quoted[1] in self.pages)


def _reopened(store: S, kind: Callable[[Path | None], S], path: Path | None) -> S:
    """``store`` if it keeps ``path``, else a new store of that file."""
    return store if store.path == path else kind(path)


def _add_theme(config: MkDocsConfig) -> None:
    """Bring the site's overrides, styles and script from the package, so a project needs only
    `theme: material` and the plugin. The overrides come after the project's own `custom_dir`,
    which so still wins; MkDocs copies the assets into the site with the theme's other files."""
    if config.theme.name != "material":
        log.warning(
            f"funnel-library: the site's templates are made for the Material theme, not {config.theme.name!r}; "
            "set `theme: material` in mkdocs.yml."
        )
    elif str(THEME_DIR) not in config.theme.dirs:
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
    if STYLESHEET not in config.extra_css:
        config.extra_css.append(STYLESHEET)
    if ENTRY_SCRIPT not in (str(script) for script in config.extra_javascript):
        script = ExtraScriptValue(ENTRY_SCRIPT)
        script.type = "module"
        config.extra_javascript.append(script)


def _watch_library(server, library_dir: Path) -> PollingObserverVFS:
    """Rebuild when anything changes in the library, without walking wherever a checkout's links lead.

    MkDocs' own recursive watch follows symbolic links to folders, and takes its first look
    before serving: two links back up the tree made that walk grow without end (the site was
    never served), and a tree a thousand folders deep ended it in a recursion error. Here
    MkDocs watches the library folder alone, which gives it the handler that starts a rebuild;
    a second poller walks the library with lstat (a link is a change to the link, never a way
    in) and only as deep as discovery walks, and hands every change to that handler.
    """
    folder = os.path.abspath(library_dir)
    server.watch(folder, recursive=False)
    rebuild = ObservedWatch(folder, recursive=False)  # the watch MkDocs just registered its handler for
    poller = PollingObserverVFS(
        os.lstat, lambda path: os.scandir(path) if path and _walked(folder, path) else iter(()), polling_interval=0.2
    )
    forward = _Forward(lambda event: server.observer.event_queue.put((event, rebuild)))
    poller.schedule(forward, folder, recursive=True)
    poller.start()
    return poller


class _Forward(FileSystemEventHandler):
    """Hands every change the poller sees to MkDocs' rebuild handler."""

    def __init__(self, put: Callable[[FileSystemEvent], None]) -> None:
        self.put = put

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.put(event)


def _walked(library: str, folder: str) -> bool:
    """Whether discovery walks ``folder`` of ``library``: entries are no deeper (see core.library)."""
    return len(Path(folder).relative_to(library).parts) <= DEEPEST_ENTRY_FOLDER


@contextmanager
def _as_plugin_error():
    """The core's build errors as MkDocs' own, which it prints without a traceback."""
    try:
        yield
    except SearchIndexError as exc:
        raise PluginError(f"funnel-library: the search index could not be built: {exc}") from exc
    except SiteBuildError as exc:
        raise PluginError(str(exc)) from exc


def _skip_markdown(page: Page) -> None:
    """A generated page's Markdown is empty (its content comes in on_page_content), yet MkDocs would
    build a Markdown converter with every extension to turn it into nothing: a tenth of a
    millisecond a page, on every page of every build. The page renders as MkDocs would render
    empty Markdown, unless a plugin after this one gave it some, which MkDocs then renders."""
    render_markdown = page.render

    def render(config: MkDocsConfig, files: Files) -> None:
        if page.markdown:
            render_markdown(config, files)
            return
        page.content = ""
        page.toc = get_toc([])
        page._title_from_render = None
        page.present_anchor_ids = set()
        if _MKDOCS_PAGES_LOG.getEffectiveLevel() > logging.DEBUG:  # as MkDocs does
            page.links_to_anchors = {}

    page.render = render  # type: ignore[method-assign]  # this page only


_MKDOCS_PAGES_LOG = logging.getLogger("mkdocs.structure.pages")


def _toc_tokens(headings: tuple[Heading, ...]) -> list[Any]:
    tokens: list[dict] = []
    for heading in headings:
        token = {"level": heading.level, "id": heading.id, "name": heading.html, "children": []}
        if heading.level > 2 and tokens:
            tokens[-1]["children"].append(token)
        else:
            tokens.append(token)
    return tokens
