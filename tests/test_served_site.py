"""The served folder kept between `mkdocs serve` rebuilds: what survives the engine's cleaning,
what is written again, and what goes (rendering/served_site.py). The engine's own cleaning
function empties the folder between the steps, as it does in a build."""

from __future__ import annotations

import shutil

from mkdocs.utils import clean_directory

from funnel_library.rendering.served_site import ASIDE, ServedSite


def _write(site, served: ServedSite, path: str, text: str) -> None:
    target = site / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    served.wrote(path, f"digest of {text}")


def _rebuild(site, served: ServedSite) -> None:
    """The engine's part of a rebuild's start: the plugin moves the folder's content aside, the
    engine empties the folder, the plugin puts the content back."""
    served.set_aside(site)
    clean_directory(str(site))
    served.restore()


def _first_build(site) -> ServedSite:
    served = ServedSite()
    _rebuild(site, served)
    _write(site, served, "index.html", "home")
    _write(site, served, "funnels/a/index.html", "a")
    _write(site, served, "funnels/b/index.html", "b")
    _write(site, served, "downloads/a.json", "{a}")
    _write(site, served, "downloads/b.json", "{b}")
    assert served.finish() == 0
    return served


def test_files_survive_the_engines_cleaning_and_an_unchanged_one_is_not_written(tmp_path):
    site = tmp_path / "site"
    served = _first_build(site)
    _rebuild(site, served)
    assert not (site / ASIDE).exists()
    assert (site / "funnels" / "a" / "index.html").read_text(encoding="utf-8") == "a"
    assert served.unchanged("funnels/a/index.html", "digest of a")
    assert served.left("funnels/a/index.html")
    assert not served.unchanged("funnels/b/index.html", "digest of b, edited")  # a new text is written
    _write(site, served, "funnels/b/index.html", "b, edited")
    assert served.unchanged("downloads/a.json", "digest of {a}")
    assert served.unchanged("downloads/b.json", "digest of {b}")
    _write(site, served, "index.html", "home")  # top-level files: the engine deleted them, so they are written
    assert served.finish() == 0
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == [
        "downloads/a.json",
        "downloads/b.json",
        "funnels/a/index.html",
        "funnels/b/index.html",
        "index.html",
    ]


def test_what_a_rebuild_neither_writes_nor_leaves_goes_with_its_empty_folders(tmp_path):
    site = tmp_path / "site"
    served = _first_build(site)
    _rebuild(site, served)
    assert served.unchanged("funnels/a/index.html", "digest of a")
    assert served.unchanged("downloads/a.json", "digest of {a}")
    _write(site, served, "index.html", "home")
    # Another writer copies a file in keeping its old modification time: written now, so it stays.
    source = tmp_path / "old.css"
    source.write_text("old", encoding="utf-8")
    (site / "assets").mkdir()
    shutil.copy2(source, site / "assets" / "old.css")
    assert served.finish() == 2  # b's page and export: b was deleted from the library
    assert not (site / "funnels" / "b").exists()
    assert not (site / "downloads" / "b.json").exists()
    assert (site / "assets" / "old.css").exists()
    assert not served.unchanged("downloads/b.json", "digest of {b}")


def test_a_file_changed_behind_the_sessions_back_is_written_again(tmp_path):
    site = tmp_path / "site"
    served = _first_build(site)
    (site / "funnels" / "a" / "index.html").write_text("a, changed by hand", encoding="utf-8")
    (site / "downloads" / "a.json").unlink()
    _rebuild(site, served)
    assert not served.unchanged("funnels/a/index.html", "digest of a")
    assert not served.unchanged("downloads/a.json", "digest of {a}")
    assert not served.unchanged("funnels/b/index.html", "digest of a")  # another text


def test_a_rebuild_stopped_before_the_files_came_back_loses_nothing(tmp_path):
    site = tmp_path / "site"
    served = _first_build(site)
    served.set_aside(site)
    clean_directory(str(site))  # and the build stops here
    served.set_aside(site)  # the next rebuild
    clean_directory(str(site))
    served.restore()
    assert served.unchanged("funnels/a/index.html", "digest of a")
    served.close()
    assert not (site / ASIDE).exists()


def test_the_first_build_writes_everything(tmp_path):
    site = tmp_path / "site"
    (site / "funnels" / "x").mkdir(parents=True)
    (site / "funnels" / "x" / "index.html").write_text("from before the session", encoding="utf-8")
    served = ServedSite()
    _rebuild(site, served)  # nothing recorded: the engine's cleaning goes ahead
    assert not (site / "funnels").exists()
    assert not served.unchanged("funnels/x/index.html", "anything")
