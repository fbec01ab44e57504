"""The entry cache: a rebuild skips parsing and checking unchanged clean files, and changes nothing else."""

from __future__ import annotations

import json

import pytest

from entries import funnel_text
from funnel_library.core.entry_cache import EntryCache
from funnel_library.core.library import load_library
from sites import REPO


def load(folder, cache):
    cache.start_build()
    return load_library(folder.root, display_base=folder.base, cache=cache)


def located(library):
    return [(p.location, p.code) for p in library.problems]


def test_a_cached_load_of_the_bundled_library_equals_a_fresh_one(tmp_path):
    fresh = load_library(REPO / "library", display_base=REPO)
    cache = EntryCache(tmp_path / "entries.json")
    cache.start_build()
    first = load_library(REPO / "library", display_base=REPO, cache=cache)
    cache.save()
    assert cache.hits == 0

    reread = EntryCache(tmp_path / "entries.json")  # a new process reads the file
    reread.start_build()
    second = load_library(REPO / "library", display_base=REPO, cache=reread)
    assert reread.hits == len(fresh.funnels) > 0
    assert first.funnels == second.funnels == fresh.funnels
    assert [f.source_text for f in second.funnels] == [f.source_text for f in fresh.funnels]
    assert second.problems == fresh.problems == ()


def test_a_changed_file_is_read_again(library_folder):
    cache = EntryCache()
    library_folder.funnel(funnel_text())
    assert load(library_folder, cache).funnels[0].title == "Sample funnel"
    library_folder.funnel(funnel_text(replace={2: "title: Renamed funnel"}))
    library = load(library_folder, cache)
    assert cache.hits == 0
    assert library.funnels[0].title == "Renamed funnel"


def test_a_broken_file_is_never_cached_and_reports_its_problems_every_time(library_folder):
    cache = EntryCache()
    library_folder.funnel(funnel_text(replace={14: "    conversion: 45"}))
    first = located(load(library_folder, cache))
    second = located(load(library_folder, cache))
    assert first == second == [("library/funnels/lead-generation/sample-funnel.yml:14:17", "FL206")]
    assert cache.entries == {}


def test_a_cached_file_is_checked_again_when_the_stages_it_refers_to_change(library_folder):
    cache = EntryCache()
    library_folder.funnel(funnel_text())
    assert load(library_folder, cache).ok
    stages = library_folder.root / "stages.yml"
    stages.write_text("\n".join(line for line in stages.read_text().splitlines() if "id: meeting" not in line) + "\n")
    library = load(library_folder, cache)
    assert cache.hits == 0
    assert ("library/funnels/lead-generation/sample-funnel.yml:7:9", "FL207") in located(library)


def test_ids_are_still_unique_when_one_of_the_two_files_comes_from_the_cache(library_folder):
    cache = EntryCache()
    library_folder.funnel(funnel_text(), name="sample-funnel")
    assert load(library_folder, cache).ok
    library_folder.funnel(
        funnel_text(replace={1: "id: sample-funnel"}), name="sample-funnel", folder="sales-conversion"
    )
    library = load(library_folder, cache)
    assert [code for _, code in located(library)].count("FL203") == 1


def test_a_cache_written_by_other_checking_code_or_garbled_is_ignored(library_folder, tmp_path):
    library_folder.funnel(funnel_text())
    path = tmp_path / "entries.json"
    cache = EntryCache(path)
    load(library_folder, cache)
    cache.save()
    stored = json.loads(path.read_text())
    assert len(stored["entries"]) == 1

    stored["version"] = "older checks"
    path.write_text(json.dumps(stored))
    assert EntryCache(path).entries == {}
    path.write_text("{not json")
    garbled = EntryCache(path)
    assert garbled.entries == {}
    assert load(library_folder, garbled).ok


def test_the_cache_file_keeps_only_what_the_latest_build_used(library_folder, tmp_path):
    path = tmp_path / "entries.json"
    cache = EntryCache(path)
    for title in ("One", "Two", "Three"):
        library_folder.funnel(funnel_text(replace={2: f"title: {title}"}))
        load(library_folder, cache)
        cache.save()
    assert len(json.loads(path.read_text())["entries"]) == 1


@pytest.mark.slow
def test_a_warm_build_reads_every_entry_from_the_cache_and_gives_the_same_site(tmp_path, monkeypatch):
    import os

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from sites import copy_project, site_digest

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = copy_project(tmp_path / "project")
    monkeypatch.chdir(project)

    def run_build() -> tuple[int, int, dict[str, str]]:
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
        build(config)
        site = project / "site"
        plugin = config.plugins["funnel-library"]
        return plugin.entries.hits, plugin.search_cache.hits, site_digest(site)

    cold_hits, cold_search, cold_site = run_build()
    warm_hits, warm_search, warm_site = run_build()
    funnels = len(load_library(project / "library").funnels)
    assert (cold_hits, warm_hits) == (0, funnels)
    assert (cold_search, warm_search) == (0, 1)  # the warm build's pages matched the cached index: no Pagefind
    assert warm_site == cold_site
    assert os.path.getsize(project / ".cache" / "plugin" / "funnel-library" / "entries.json") > 0
