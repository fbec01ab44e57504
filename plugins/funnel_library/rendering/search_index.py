"""The site's search index: Pagefind, fed each page as the build writes it (:class:`SearchIndexer`),
or run over the finished site (:func:`build_search_index`, for a --dirty build).

Pagefind writes a static index split into small chunks under ``pagefind/``; the
browser loads its script on the first query and then only the chunks that query
needs, so no page pays for search before someone searches, whatever the size of
the library (Material's lunr index is one file that every first page view
fetched: 3.5 MiB at 1,000 funnels).

What is indexed is decided in the templates, with Pagefind's attributes:

* ``data-pagefind-body`` on every page's content (theme/main.html), so the
  header, navigation and footer are not indexed, and neither is the 404 page. A project's own
  ``main.html`` or ``base.html`` may leave the mark out: :func:`marked_for_search` then puts it
  around the page's article itself, so search still covers every page;
* ``data-pagefind-filter="section:…"`` names the page's part of the site
  (:func:`search_section`): the search box lists funnels first, then the other
  library pages, then the contributor guide;
* page furniture (filters, other funnels' cards, diagrams, breadcrumbs) and the lists of
  funnels that pages other than a funnel's own repeat are left out by :data:`IGNORED`.

What a query matches is decided in the browser (theme/assets/lib/search-text.js): Pagefind
matches words by prefix and, when nothing begins with a word, by the longest indexed word that
begins it ("upsell" finds "up"); the search box keeps only honest matches, adds the library's
words for a visitor's (search-words.json) and ranks pages with every word first.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import subprocess
import sys
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

from .served_site import ServedSite

#: The parts of the site, in the order the search box lists them.
SECTIONS = ("funnels", "library", "guide")

#: Elements never indexed: furniture that repeats across pages or is not prose.
IGNORED = (
    ".fl-breadcrumb",
    ".fl-pager",
    ".fl-skip",
    ".fl-filters",
    ".fl-results-bar",
    ".fl-cards",
    "h2#diagram",
    ".fl-diagram",
    ".fl-viewer-tools",
    ".fl-viewport",
    ".fl-legend",
    ".fl-calculator",
    ".fl-metrics",
    ".fl-focus",
    ".fl-downloads",
    ".fl-fill",
    ".fl-copy-status",
    ".fl-connections",
    # Pages that list funnels repeat their titles: the featured funnel on the home page, the
    # lists of funnels by stage (coverage) and by author (contributors), the map's text reading.
    # Search finds a funnel on its own page, not on every page that names it.
    ".fl-featured",
    ".fl-funnel-list",
    ".fl-map-list",
    "svg",
)


_ARTICLE = re.compile(r"<article\b.*?</article>", re.DOTALL)
_LANG = re.compile(r'<html[^>]*\blang="([^"]*)"')


def indexable(page_html: str) -> str:
    """What search needs of a page: its article (all the indexed content lies inside it) in a
    bare document. Header, navigation, footer and scripts are left out, as search would."""
    article = _ARTICLE.search(page_html)
    if article is None:
        return page_html
    lang = _LANG.search(page_html[:2000])
    return f'<!doctype html><html lang="{lang.group(1) if lang else "en"}"><body>{article.group(0)}</body></html>'


#: An element's opening tag that carries the attribute (text that only names it, as a guide may, does not count).
_BODY_MARK = re.compile(r"<[a-zA-Z][^<>]*?\sdata-pagefind-body(?=[\s=/>])")
_SECTION_MARK = re.compile(r"<[a-zA-Z][^<>]*?\sdata-pagefind-filter=[\"']?section:")
_ARTICLE_OPEN = re.compile(r"<article\b[^<>]*>")


def section_mark(section: str) -> str:
    """The hidden element that names the page's part of the site (theme/main.html writes the same)."""
    return f'<span hidden data-pagefind-filter="section:{section}"></span>'


def marked_for_search(page_html: str, section: str) -> str | None:
    """The page with the marks search needs: its content marked ``data-pagefind-body``, holding
    the mark of its part of the site (``section``). The plugin's main.html writes both; when a
    project's own template leaves them out, they are added inside the page's article, around all
    of its content. None when the page has no article to mark."""
    body = _BODY_MARK.search(page_html)
    if body is not None:
        if _SECTION_MARK.search(page_html):
            return page_html
        inside = page_html.index(">", body.end()) + 1
        return page_html[:inside] + section_mark(section) + page_html[inside:]
    opening = _ARTICLE_OPEN.search(page_html)
    closing = page_html.rfind("</article>")
    if opening is None or closing < opening.end():
        return None
    return (
        page_html[: opening.end()]
        + "<div data-pagefind-body>"
        + section_mark(section)
        + page_html[opening.end() : closing]
        + "</div>"
        + page_html[closing:]
    )


def search_section(src_uri: str) -> str:
    """The part of the site a page belongs to, from its source path."""
    if src_uri.startswith("funnels/"):
        return "funnels"
    if src_uri == "index.md" or src_uri.startswith(("library/", "journeys/")):
        return "library"
    return "guide"


@dataclass(frozen=True)
class IndexResult:
    pages: int
    output: str


class SearchIndexError(RuntimeError):
    pass


logger = logging.getLogger(__name__)

_PAGES = re.compile(r"Indexed (\d+) pages?")


class SearchIndexer:
    """Feeds each page to a Pagefind service as the build writes it, then writes the index.

    Pagefind parses the pages in its own process, on the other core, while MkDocs renders the
    next pages: at 5,000 funnels that takes the indexing off the build's critical path (the
    command-line run over the finished site does the same work after the build). At most
    ``window`` pages wait in the pipe, so memory stays flat whatever the size of the library.

    This speaks the service protocol of the `pagefind --service` binary (base64 JSON messages,
    each followed by a comma) directly: the wheel's asyncio client waits 0.1 s before reading
    each response, which caps it at ten pages a second. A test checks that the index equals
    the command line's, fragment for fragment.
    """

    def __init__(self, site_dir: Path, *, window: int = 32) -> None:
        from pagefind_bin import get_executable

        self.site_dir = site_dir
        self.added = 0
        self._window_size = window
        self._window = threading.Semaphore(window)
        self._lock = threading.Lock()
        self._next_id = 0
        self._waiting: dict[int, Future] = {}
        self._failure: str | None = None
        try:
            self._process = subprocess.Popen(
                [str(get_executable()), "--service"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                bufsize=0,
            )
        except OSError as exc:
            raise SearchIndexError(f"Pagefind could not start: {exc}") from exc
        # Both are pipes (PIPE above), never None.
        self._stdin = cast(IO[bytes], self._process.stdin)
        self._stdout = cast(IO[bytes], self._process.stdout)
        self._reader = threading.Thread(target=self._read, name="funnel-library-search", daemon=True)
        self._reader.start()
        config = {"exclude_selectors": list(IGNORED), "force_language": "en"}
        try:
            self._index_id = self._request({"type": "NewIndex", "config": config}).result(60)["index_id"]
        except Exception as exc:
            self.cancel()
            raise SearchIndexError(f"Pagefind could not start an index: {exc}") from exc

    def _request(self, payload: dict) -> Future:
        future: Future = Future()
        with self._lock:
            if self._failure:
                raise SearchIndexError(self._failure)
            self._next_id += 1
            message_id = self._next_id
            self._waiting[message_id] = future
        message = base64.b64encode(json.dumps({"message_id": message_id, "payload": payload}).encode("utf-8")) + b","
        try:
            self._stdin.write(message)
        except (OSError, ValueError) as exc:  # ValueError: the pipe was closed (the index was cancelled)
            raise SearchIndexError(f"Pagefind stopped: {self._failure or exc}") from exc
        return future

    def _read(self) -> None:
        buffer = b""
        stream = self._stdout
        while True:
            chunk = stream.read1(1 << 16) if hasattr(stream, "read1") else stream.read(1 << 16)
            if not chunk:
                break
            buffer += chunk
            *messages, buffer = buffer.split(b",")
            for message in messages:
                try:
                    response = json.loads(base64.b64decode(message))
                except ValueError:
                    continue  # not a response (a log line)
                future = self._waiting.pop(response.get("message_id"), None)
                payload = response.get("payload") or {}
                if future is None:
                    continue
                if payload.get("type") == "Error":
                    future.set_exception(SearchIndexError(str(payload.get("message"))))
                else:
                    future.set_result(payload)
        with self._lock:  # the service ended: nothing more will be answered
            self._failure = self._failure or f"Pagefind ended (exit code {self._process.poll()})"
            waiting, self._waiting = self._waiting, {}
        for future in waiting.values():
            future.set_exception(SearchIndexError(self._failure))

    def add(self, url: str, html: str) -> None:
        """Index one page, at its address from the site root (``/funnels/x/``)."""
        self._window.acquire()
        future = self._request(
            {"type": "AddFile", "index_id": self._index_id, "url": url, "file_contents": html, "file_path": None}
        )
        future.add_done_callback(lambda _: self._window.release())
        future.add_done_callback(self._note_failure)
        self.added += 1

    def _note_failure(self, future: Future) -> None:
        if future.exception() is not None:
            with self._lock:
                self._failure = self._failure or str(future.exception())

    def finish(self) -> IndexResult:
        """Write the index under ``site_dir/pagefind`` once every page is in, then stop the service."""
        write_index(self.site_dir / "pagefind", self.finish_files())
        return IndexResult(pages=self.added, output="")

    def finish_files(self) -> list[dict]:
        """The index's files (path, base64 content) once every page is in; stops the service."""
        try:
            for _ in range(self._window_size):  # every page sent has been indexed
                if not self._window.acquire(timeout=600):
                    raise SearchIndexError("Pagefind did not answer within 10 minutes")
                if self._failure:
                    raise SearchIndexError(self._failure)
            # The index comes back in the answer and is written here: with WriteFiles, Pagefind
            # 1.5 acknowledges before its writes reach the disk, and the service can stop with a
            # file still empty (fixed upstream in Pagefind#1272, not yet released).
            files = self._request({"type": "GetFiles", "index_id": self._index_id}).result(600)["files"]
            if self._failure:
                raise SearchIndexError(self._failure)
            return files
        except SearchIndexError:
            raise
        except Exception as exc:
            raise SearchIndexError(f"Pagefind failed: {exc}") from exc
        finally:
            self.cancel()

    def cancel(self) -> None:
        """Stop the service (without writing anything, if the index was not written)."""
        if self._process.poll() is None:
            try:
                self._stdin.close()
                self._process.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                self._process.kill()
        self._reader.join(timeout=30)


#: The file that names the rest of an index: written last, so a reader finds either index whole.
INDEX_ENTRY = "pagefind-entry.json"


def write_index(
    output: Path, files: list[dict], replacing: list[dict] | None = None, served: ServedSite | None = None
) -> None:
    """Write the index's files under ``output``. When they replace the index ``replacing`` in a
    site being served, each file is replaced whole (written beside it, then renamed), the entry
    file goes last and then the old index's other files go, so a visitor's search reads the old
    index or the new one, never half of each. A build's own index is written straight. Under
    ``served``, a file that already holds its text is not written again."""
    root = output.resolve()
    entries = [file for file in files if file["path"] == INDEX_ENTRY]
    for file in [file for file in files if file["path"] != INDEX_ENTRY] + entries:
        target = (root / file["path"]).resolve()
        if not target.is_relative_to(root):
            raise SearchIndexError(f"Pagefind named a file outside {output}: {file['path']}")
        site_path = f"{output.name}/{file['path']}"
        digest = ""
        if served is not None:
            # In-process only: a string's hash is worked out once and kept with it.
            digest = f"{len(file['content'])}:{hash(file['content'])}"
            if served.unchanged(site_path, digest):
                continue
        target.parent.mkdir(parents=True, exist_ok=True)
        content = base64.b64decode(file["content"])
        if replacing is None:
            target.write_bytes(content)
        else:
            temporary = target.with_name(f".{target.name}.new")
            temporary.write_bytes(content)
            temporary.replace(target)
        if served is not None:
            served.wrote(site_path, digest)
    kept = {file["path"] for file in files}
    for file in replacing or ():
        if file["path"] not in kept:
            (root / file["path"]).unlink(missing_ok=True)
            if served is not None:
                served.removed(f"{output.name}/{file['path']}")


def build_search_index(site_dir: Path, *, timeout: float = 600) -> IndexResult:
    """Index ``site_dir`` with Pagefind (the binary from the ``pagefind[bin]`` wheel)."""
    command = [
        sys.executable,
        "-m",
        "pagefind_bin",
        "--site",
        str(site_dir),
        "--exclude-selectors",
        ", ".join(IGNORED),
        "--force-language",
        "en",
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(f"Pagefind could not run: {exc}") from exc
    output = (done.stdout + done.stderr).strip()
    if done.returncode != 0:
        tail = "\n".join(output.splitlines()[-5:])
        raise SearchIndexError(f"Pagefind failed (exit code {done.returncode}): {tail}")
    match = _PAGES.search(output)
    return IndexResult(pages=int(match.group(1)) if match else 0, output=output)
