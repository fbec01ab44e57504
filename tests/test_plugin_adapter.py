"""The MkDocs adapter: what it promises around the core (logging, addresses)."""

from __future__ import annotations

import logging

import pytest


def test_core_warnings_reach_mkdocs_log_where_strict_counts_them():
    import funnel_library.plugin  # noqa: F401 (loading the plugin connects the core's log to MkDocs')

    seen: list[logging.LogRecord] = []

    class Capture(logging.Handler):
        def emit(self, record):
            seen.append(record)

    mkdocs_log = logging.getLogger("mkdocs")
    capture = Capture(level=logging.WARNING)
    mkdocs_log.addHandler(capture)
    try:
        logging.getLogger("funnel_library.rendering.diagrams").warning("Graphviz: a warning from the core")
        logging.getLogger("funnel_library.rendering.layout").info("not a warning")
    finally:
        mkdocs_log.removeHandler(capture)
    assert [(r.levelno, r.getMessage()) for r in seen] == [(logging.WARNING, "Graphviz: a warning from the core")]


@pytest.mark.slow
def test_exports_and_feed_link_to_pages_that_exist_without_directory_urls(tmp_path):
    """With `use_directory_urls: false` a funnel page is funnels/<id>.html, and every address in the
    JSON, the CSV, the per-funnel downloads and the Atom feed must name a file the build wrote."""
    import csv
    import io
    import json
    from urllib.parse import urlsplit
    from xml.etree import ElementTree as ET

    from sites import build_site, copy_project

    project = copy_project(tmp_path / "project")
    with open(project / "mkdocs.yml", "a", encoding="utf-8") as config:
        config.write("\nuse_directory_urls: false\n")
    result = build_site(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    funnels = json.loads((site / "api" / "funnels.json").read_text())["funnels"]
    urls = [f["url"] for f in funnels]
    assert urls and all(url.endswith(".html") and (site / url).is_file() for url in urls), urls
    assert [row["url"] for row in csv.DictReader(io.StringIO((site / "api" / "funnels.csv").read_text()))] == urls
    assert [json.loads((site / "downloads" / f"{f['id']}.json").read_text())["url"] for f in funnels] == urls
    links = [
        link.get("href")
        for link in ET.parse(site / "feed.xml").getroot().iter("{http://www.w3.org/2005/Atom}link")
        if link.get("rel") == "alternate" and "/funnels/" in link.get("href")
    ]
    assert links and all((site / urlsplit(href).path.lstrip("/")).is_file() for href in links), links


def test_a_link_to_a_page_the_site_does_not_have_stops_the_build_naming_both():
    from types import SimpleNamespace

    from mkdocs.exceptions import PluginError
    from mkdocs.structure.files import Files

    from funnel_library.plugin import FunnelLibraryPlugin

    plugin = FunnelLibraryPlugin()
    plugin.build = SimpleNamespace(files={"api/funnels.json": None})
    page = SimpleNamespace(url="library/", file=SimpleNamespace(src_uri="library/index.md"))
    assert plugin._href("api/funnels.json", page, Files([])) == "../api/funnels.json"
    with pytest.raises(
        PluginError, match=r"library/index\.md links to contributors\.md, which this site does not have"
    ):
        plugin._href("contributors.md", page, Files([]))


def generated_anchors(library_dir) -> dict[str, list[str]]:
    """Every id on every generated page, from the core's page table and the HTML it renders."""
    from funnel_library.core.library import load_library
    from funnel_library.rendering.pages import PageRenderer
    from funnel_library.rendering.site_build import page_table

    library = load_library(library_dir)
    renderer = PageRenderer(library, layout=lambda job: "<svg/>")
    return {row.src_uri: sorted(row.render(lambda target: target).anchors) for row in page_table(library, renderer)}


@pytest.mark.slow
def test_every_generated_anchor_takes_a_link_and_every_link_resolves_without_directory_urls(tmp_path):
    """A hand-written page links to every id of every generated page, and the strict build (which
    checks anchors) passes; a link to an id no page prints fails it. Built with
    `use_directory_urls: false`, every relative link in every page names a file the build wrote."""
    from html.parser import HTMLParser
    from urllib.parse import unquote, urlsplit

    from sites import build_site, copy_project

    project = copy_project(tmp_path / "project")
    anchors = generated_anchors(project / "library")
    assert sum(len(ids) for ids in anchors.values()) > 300 and all(
        anchors[page] for page in ("index.md", "library/map.md")
    )
    with open(project / "mkdocs.yml", "a", encoding="utf-8") as config:
        config.write("\nuse_directory_urls: false\nnot_in_nav: |\n  /anchor-check.md\n")
    links = "\n".join(f"- [{page} {anchor}]({page}#{anchor})" for page, ids in anchors.items() for anchor in ids)
    (project / "docs" / "anchor-check.md").write_text(f"# Every generated anchor\n\n{links}\n", encoding="utf-8")
    result = build_site(project)
    assert result.returncode == 0, result.stderr

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.hrefs: list[str] = []

        def handle_starttag(self, tag, attrs):
            href = dict(attrs).get("href") if tag in ("a", "link") else None
            if href and not urlsplit(href).scheme and not href.startswith(("#", "//")):
                self.hrefs.append(href)

    site = project / "site"
    missing, followed = [], 0
    for page in site.rglob("*.html"):
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for href in parser.hrefs:
            path = unquote(urlsplit(href).path)
            target = (
                site / path.lstrip("/") if path.startswith("/") else page.parent / path
            ).resolve()  # 404.html links from the root
            followed += 1
            if not (target.is_file() or (target / "index.html").is_file()):
                missing.append(f"{page.relative_to(site)} -> {href}")
    assert followed > 1000 and missing == []

    (project / "docs" / "anchor-check.md").write_text(
        "# One bad anchor\n\n[x](funnels/cold-email-to-meeting.md#no-such-step)\n"
    )
    failed = build_site(project)
    assert failed.returncode != 0 and "no-such-step" in failed.stderr


def test_a_page_that_lost_its_slot_stops_the_build_naming_the_page():
    from mkdocs.exceptions import PluginError

    from funnel_library.plugin import _as_plugin_error
    from funnel_library.rendering.site_build import _fill
    from funnel_library.rendering.slots import DIAGRAM_SLOT

    assert _fill(f"<p>{DIAGRAM_SLOT}</p>", DIAGRAM_SLOT, "<svg/>", "funnels/a.md") == "<p><svg/></p>"
    with pytest.raises(PluginError, match=r"the page funnels/a\.md lost its slot"), _as_plugin_error():
        _fill("<p>a theme dropped the comment</p>", DIAGRAM_SLOT, "<svg/>", "funnels/a.md")


@pytest.mark.parametrize(
    "url, other",
    [
        ("funnels/a/", "library/"),
        ("funnels/a.html", "library/index.html"),
        ("library/", "library/cards.json"),
        ("index.html", "."),
        ("api/funnels.json", "funnels/a/"),
        ("funnels/a/", "funnels/a/"),
        ("a/b/", "c/d/e.html"),
    ],
)
def test_the_core_writes_relative_links_as_mkdocs_does(url, other):
    from mkdocs.utils import get_relative_url

    from funnel_library.rendering.routes import relative_url

    assert relative_url(url, other) == get_relative_url(url, other)


def test_the_page_table_lists_each_generated_page_once_with_its_diagram():
    from funnel_library.core.library import load_library
    from funnel_library.rendering.pages import PageRenderer
    from funnel_library.rendering.routes import SITE_HOME, funnel_src
    from funnel_library.rendering.site_build import page_table
    from sites import REPO

    library = load_library(REPO / "library")
    rows = page_table(library, PageRenderer(library, layout=lambda job: "<svg/>"))
    assert len({row.src_uri for row in rows}) == len(rows)
    diagrams = {row.src_uri: row.diagram for row in rows if row.diagram}
    assert diagrams == {SITE_HOME: diagrams[SITE_HOME], **{funnel_src(f.id): f.id for f in library.funnels}}
    assert [row.src_uri for row in rows if row.in_nav][:2] == ["index.md", "library/index.md"]


@pytest.mark.slow
def test_the_search_index_is_built_as_pages_are_written_not_again_at_the_end(tmp_path, monkeypatch):
    """The build hands each page to Pagefind as it is written; indexing the whole site again at
    the end is only for a --dirty build. A build that fell back to it would take seconds more at
    1,000 funnels, with the same index, so only this test would notice."""
    import os

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from funnel_library.rendering import site_build
    from sites import copy_project

    def not_again(site_dir):
        raise AssertionError(f"the whole site at {site_dir} was indexed again")

    monkeypatch.setattr(site_build, "build_search_index", not_again)
    project = copy_project(tmp_path / "project")
    cwd = os.getcwd()
    os.chdir(project)
    try:
        build(load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site")))
    finally:
        os.chdir(cwd)
    assert (project / "site" / "pagefind" / "pagefind-entry.json").is_file()
