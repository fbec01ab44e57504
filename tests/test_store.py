"""The one cache rule: every store's version is a hash of the code and data that make its
values, keys hash the inputs, and saving keeps only what the build used."""

from __future__ import annotations

import json
import shutil

from funnel_library.core.entry_cache import EntryCache, checker_version
from funnel_library.core.rich_text import MarkdownCache
from funnel_library.core.store import Store, code_version, content_key, package_modules
from funnel_library.rendering.diagrams import DiagramCache, diagram_version
from sites import REPO

PACKAGE = REPO / "plugins" / "funnel_library"


def copy_package(tmp_path):
    copy = tmp_path / "funnel_library"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_store_version_covers_the_module_and_everything_it_imports_and_nothing_else():
    names = {path.name for path in package_modules("rendering.diagrams")}
    assert {"diagrams.py", "layout.py", "model.py", "store.py"} <= names
    assert not names & {"cli.py", "pages.py", "plugin.py", "exports.py"}
    checks = {path.name for path in package_modules("core.library")}
    assert {
        "loading.py",
        "schema_errors.py",
        "text_rules.py",
        "funnel_rules.py",
        "entry_rules.py",
        "schema_check.py",
        "scaffold.py",
        "rich_text.py",
        "syntax_errors.py",
    } <= checks


def test_changing_a_css_class_name_in_the_drawing_code_misses_the_diagram_cache(tmp_path):
    package = copy_package(tmp_path)
    before = code_version("rendering.diagrams", package=package)
    assert before == code_version("rendering.diagrams", package=package)  # stable
    edit(package / "cli.py", "def ", "def  ")  # code that draws nothing
    assert code_version("rendering.diagrams", package=package) == before
    edit(package / "rendering" / "diagrams.py", '"fl-node fl-goal"', '"fl-node fl-end"')
    after = code_version("rendering.diagrams", package=package)
    assert after != before
    edit(package / "rendering" / "diagrams.py", '"fl-node fl-end"', '"fl-node fl-goal"')
    edit(package / "rendering" / "layout.py", "def ", "def  ")  # a module the drawing imports
    assert code_version("rendering.diagrams", package=package) not in (before, after)

    stored = Store(tmp_path / "diagrams.json", before)
    stored.put("key", "<svg/>")
    stored.save()
    assert Store(tmp_path / "diagrams.json", before).get("key") == "<svg/>"
    assert Store(tmp_path / "diagrams.json", after).get("key") is None  # the cache misses


def test_changing_a_schema_or_a_check_misses_the_entry_cache(tmp_path):
    package = copy_package(tmp_path)
    schemas = lambda: sorted((package / "schemas").glob("*.json"))
    before = code_version("core.library", data=schemas(), package=package)
    edit(package / "schemas" / "funnel.schema.json", '"type"', '"type" ')
    assert code_version("core.library", data=schemas(), package=package) != before
    before = code_version("core.library", data=schemas(), package=package)
    edit(package / "core" / "scaffold.py", "def ", "def  ")  # its placeholder texts are checked (FL222)
    assert code_version("core.library", data=schemas(), package=package) != before


def test_the_real_stores_are_versioned_by_their_own_code():
    assert DiagramCache().version == diagram_version() != checker_version() == EntryCache().version
    assert MarkdownCache().version not in (diagram_version(), checker_version())


def test_saving_keeps_only_what_the_build_used_and_writes_only_on_change(tmp_path):
    path = tmp_path / "store.json"
    store = Store(path, "v1")
    store.put("a", 1)
    store.put("b", 2)
    store.save()
    assert json.loads(path.read_text())["entries"] == {"a": 1, "b": 2}

    store.start_build()
    assert store.get("a") == 1 and store.get("missing") is None
    assert (store.hits, store.puts) == (1, 0)
    store.save()  # b was not used: pruned
    assert json.loads(path.read_text()) == {"version": "v1", "entries": {"a": 1}}

    written = path.stat().st_mtime_ns
    store.start_build()
    store.get("a")
    store.save()  # nothing changed: the file is left alone
    assert path.stat().st_mtime_ns == written


def test_a_file_from_another_version_or_garbled_is_ignored_whole(tmp_path):
    path = tmp_path / "store.json"
    path.write_text(json.dumps({"version": "old", "entries": {"a": 1}}))
    assert Store(path, "new").entries == {}
    for garbled in ("not json", "[]", '{"version": "new", "entries": []}'):
        path.write_text(garbled)
        assert Store(path, "new").entries == {}
    assert Store(tmp_path / "missing.json", "new").entries == {}


def test_keys_keep_their_parts_apart():
    assert content_key("ab", "c") != content_key("a", "bc")
    assert content_key(b"x") == content_key("x")


def test_fetch_makes_a_value_once_and_keeps_it():
    store = Store(None, "v1")
    made = []
    assert store.fetch("k", lambda: made.append(1) or "value") == "value"
    assert store.fetch("k", lambda: made.append(1) or "other") == "value"
    assert made == [1] and (store.hits, store.puts) == (1, 1)
