"""The search index kept between builds, so that unchanged pages are not indexed again.

Pagefind cannot take one page out of an index and put its new version in: an index is made
whole from every page. What can be kept is the whole index, with what it was made from:

* :class:`SearchFeed`, for a build: the last build's index on disk (:class:`SearchIndexCache`),
  with each page's address and a digest of what search took of it. While the build's pages come
  out as the cached index took them, none is sent to Pagefind; at the first page that differs,
  Pagefind starts and takes every page from the first. When all pages matched, the cached index
  is written as it is, and Pagefind never runs.
* :class:`SessionSearch`, for `mkdocs serve`: in memory, replaced in the background after each
  rebuild's pages.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from ..core.store import Store, code_version, content_key
from .search_index import IndexResult, SearchIndexer, write_index
from .served_site import ServedSite

logger = logging.getLogger(__name__)

#: The one value of the search index cache.
_LAST_INDEX = "last-index"


class SearchIndexCache(Store):
    """The last build's index: {"pages": [[address, digest], ...], "files": Pagefind's files}. Its
    version hashes the indexing code (what is indexed, how) and Pagefind's version."""

    def __init__(self, path: Path | None = None) -> None:
        super().__init__(path, code_version("rendering.search_reuse", libraries=("pagefind_bin",)))


class SearchFeed:
    """Feeds a build's pages to Pagefind, or holds them while they match the cached index's."""

    def __init__(self, site_dir: Path, cache: SearchIndexCache | None) -> None:
        self.site_dir = site_dir
        self.cache = cache
        last = cache.get(_LAST_INDEX) if cache is not None else None
        self.expected: list[tuple[str, str]] | None = [tuple(page) for page in last["pages"]] if last else None
        self.last_files: list[dict] | None = last["files"] if last else None
        self.pages: list[tuple[str, str]] = []
        self.held: list[tuple[str, str]] = []
        self.indexer: SearchIndexer | None = None if self.expected is not None else SearchIndexer(site_dir)

    def add(self, url: str, html: str) -> None:
        page = (url, content_key(html))
        position = len(self.pages)
        self.pages.append(page)
        if self.indexer is None:
            if self.expected is not None and position < len(self.expected) and self.expected[position] == page:
                self.held.append((url, html))
                return
            self._start()
        assert self.indexer is not None
        self.indexer.add(url, html)

    def _start(self) -> None:
        self.indexer = SearchIndexer(self.site_dir)
        for url, html in self.held:
            self.indexer.add(url, html)
        self.held = []

    def finish(self) -> IndexResult:
        """Write the index: the cached one when every page matched it, else Pagefind's (then cached)."""
        if self.indexer is None and self.expected == self.pages and self.last_files is not None:
            write_index(self.site_dir / "pagefind", self.last_files)
            logger.debug(f"search: {len(self.pages)} pages as the cached index took them; Pagefind not run")
            return IndexResult(pages=len(self.pages), output="")
        if self.indexer is None:
            self._start()
        assert self.indexer is not None
        files = self.indexer.finish_files()
        write_index(self.site_dir / "pagefind", files)
        if self.cache is not None:
            self.cache.put(_LAST_INDEX, {"pages": [list(page) for page in self.pages], "files": files})
        return IndexResult(pages=len(self.pages), output="")

    def cancel(self) -> None:
        if self.indexer is not None:
            self.indexer.cancel()


class SessionSearch:
    """The search index of a `mkdocs serve` session: built whole by each rebuild, after the pages.

    Pagefind cannot take one page out of an index and put its new version in, so every rebuild
    indexes every page again: seconds for a large library. A rebuild first writes the index it
    had (complete and consistent, though it does not yet know the edit), gives the site to the
    server, and indexes in the background; the new index then replaces the old one file by file,
    the entry file last. When no page's searchable text changed, the old index is the new one.
    The first build of a session indexes before it ends, as a single build does. A rebuild that
    starts while the last one's index is still being made stops it: the new rebuild indexes again.
    """

    def __init__(self, served: ServedSite | None = None) -> None:
        self.pages: list[tuple[str, str]] | None = None
        self.files: list[dict] | None = None
        #: the served folder, kept between rebuilds: index files already there are not written again
        self.served = served
        self._thread: threading.Thread | None = None
        self._indexer: SearchIndexer | None = None
        self._stop = threading.Event()
        self._writing = threading.Lock()

    def settle(self, *, cancel: bool = False) -> None:
        """Wait for the background index, or (``cancel``) stop it unless it is being written: a
        rebuild must not clean the site while an index is written into it."""
        if self._thread is None:
            return
        if cancel:
            self._stop.set()
            with self._writing:  # a write under way ends first; none starts after
                indexer = self._indexer
            if indexer is not None:
                indexer.cancel()
        self._thread.join()
        self._thread = None
        self._stop.clear()

    def index(self, site_dir: Path, pages: list[tuple[str, str]]) -> None:
        """Index ``pages`` ((address, searchable HTML) in site order) for the site in ``site_dir``."""
        self.settle()
        output = site_dir / "pagefind"
        if self.files is None:
            self._index(output, site_dir, pages)
            return
        write_index(output, self.files, served=self.served)
        if pages == self.pages:
            logger.info(f"funnel-library: search index ready ({len(pages)} pages, none changed)")
            return
        self._thread = threading.Thread(
            target=self._index, args=(output, site_dir, pages), name="funnel-library-search-session", daemon=True
        )
        self._thread.start()

    def _index(self, output: Path, site_dir: Path, pages: list[tuple[str, str]]) -> None:
        indexer = None
        try:
            indexer = self._indexer = SearchIndexer(site_dir)
            for url, html in pages:
                if self._stop.is_set():
                    break
                indexer.add(url, html)
            files = None if self._stop.is_set() else indexer.finish_files()
        except Exception as exc:  # noqa: BLE001 - a background index says why it stopped, whatever the cause
            files = None
            if not self._stop.is_set():
                logger.warning(f"funnel-library: the search index could not be updated: {exc}")
                return
        finally:
            self._indexer = None
            if indexer is not None and self._stop.is_set():
                indexer.cancel()
        with self._writing:
            if files is None or self._stop.is_set():
                logger.info("funnel-library: search index superseded by a newer rebuild")
                return
            write_index(output, files, replacing=self.files, served=self.served)
            self.pages, self.files = pages, files
        logger.info(f"funnel-library: search index ready ({len(pages)} pages)")
