"""The search index kept between builds: from the cache when no page changed, and under `mkdocs serve`
written whole, replaced in the background, stopped by a newer rebuild."""

from __future__ import annotations

import json
import logging
import time

import pytest

from funnel_library.rendering.search_reuse import SearchFeed, SearchIndexCache, SessionSearch


class _Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def messages():
    """What the core logs at INFO, whether or not the plugin has taken its records for MkDocs' log."""
    core, kept = logging.getLogger("funnel_library"), _Kept()
    level, core.level = core.level, logging.INFO
    core.addHandler(kept)
    yield lambda: list(kept.messages)
    core.removeHandler(kept)
    core.setLevel(level)


def pages(count: int, word: str) -> list[tuple[str, str]]:
    return [
        (
            f"/funnels/f{n}/",
            f'<!doctype html><html lang="en"><body><article><h1>{word} {n}</h1></article></body></html>',
        )
        for n in range(count)
    ]


def entry_pages(site) -> int:
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    return sum(language["page_count"] for language in entry["languages"].values())


def test_a_rebuild_keeps_the_old_index_whole_until_the_new_one_replaces_it(tmp_path, messages):
    session = SessionSearch()
    session.index(tmp_path, pages(3, "first"))  # the session's first build: indexed before it ends
    assert entry_pages(tmp_path) == 3 and session.pages == pages(3, "first")

    (tmp_path / "pagefind").rename(tmp_path / "cleaned")  # MkDocs cleans the site before each rebuild
    session.index(tmp_path, pages(5, "second"))
    assert entry_pages(tmp_path) == 3  # at once: the index the session had, whole
    session.settle()
    assert entry_pages(tmp_path) == 5 and session.pages == pages(5, "second")
    written = {path.relative_to(tmp_path / "pagefind").as_posix() for path in (tmp_path / "pagefind").rglob("*")}
    assert written >= {file["path"] for file in session.files or []}
    assert not [name for name in written if name.endswith(".new")]
    assert messages().count("funnel-library: search index ready (5 pages)") == 1


def test_a_newer_rebuild_stops_the_index_under_way_and_the_old_one_stays(tmp_path, messages):
    session = SessionSearch()
    session.index(tmp_path, pages(2, "first"))
    session.index(tmp_path, pages(20000, "second"))
    time.sleep(0.1)
    session.settle(cancel=True)
    assert "funnel-library: search index superseded by a newer rebuild" in messages()
    assert entry_pages(tmp_path) == 2 and session.pages == pages(2, "first")
    session.index(tmp_path, pages(4, "third"))
    session.settle()
    assert entry_pages(tmp_path) == 4


def test_unchanged_pages_keep_the_index_without_running_pagefind(tmp_path, messages):
    session = SessionSearch()
    session.index(tmp_path, pages(3, "same"))
    files = session.files
    session.index(tmp_path, pages(3, "same"))
    assert session.files is files and session._thread is None
    assert "funnel-library: search index ready (3 pages, none changed)" in messages()


def fed(site, cache, pages_to_index) -> SearchFeed:
    feed = SearchFeed(site, cache)
    for url, html in pages_to_index:
        feed.add(url, html)
    feed.finish()
    return feed


def search_files(site) -> dict[str, bytes]:
    """The index's files but the ones Pagefind writes in a different order on each run (by count)."""
    from sites import site_digest

    return site_digest(site)


def test_a_build_whose_pages_match_the_cached_index_writes_it_without_pagefind(tmp_path):
    cache = SearchIndexCache(tmp_path / "search-index.json")
    first = fed(tmp_path / "cold", cache, pages(30, "same"))
    assert first.indexer is not None and cache.puts == 1
    cache.save()

    again = SearchIndexCache(tmp_path / "search-index.json")  # the next build, from the file
    second = fed(tmp_path / "warm", again, pages(30, "same"))
    assert second.indexer is None and (again.hits, again.puts) == (1, 0)  # Pagefind never started
    assert search_files(tmp_path / "warm") == search_files(tmp_path / "cold")


def test_a_changed_page_starts_pagefind_with_every_page_and_the_index_equals_a_fresh_one(tmp_path):
    cache = SearchIndexCache()
    fed(tmp_path / "first", cache, pages(30, "same"))
    changed = pages(30, "same")
    changed[20] = (changed[20][0], changed[20][1].replace("same 20", "different words"))
    feed = fed(tmp_path / "second", cache, changed)
    assert feed.indexer is not None and not feed.held and cache.puts == 2
    fresh = fed(tmp_path / "fresh", SearchIndexCache(), changed)
    assert fresh.indexer is not None
    assert search_files(tmp_path / "second") == search_files(tmp_path / "fresh")
    assert entry_pages(tmp_path / "second") == 30


def test_a_page_more_or_less_is_a_change(tmp_path):
    cache = SearchIndexCache()
    fed(tmp_path / "first", cache, pages(10, "same"))
    assert fed(tmp_path / "more", cache, pages(11, "same")).indexer is not None
    assert entry_pages(tmp_path / "more") == 11
    assert fed(tmp_path / "fewer", cache, pages(9, "same")).indexer is not None
    assert entry_pages(tmp_path / "fewer") == 9
