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
        logging.getLogger("funnel_library.diagrams").warning("Graphviz: a warning from the core")
        logging.getLogger("funnel_library.layout").info("not a warning")
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

    from conftest import build_site, copy_project

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
    links = [link.get("href") for link in ET.parse(site / "feed.xml").getroot().iter("{http://www.w3.org/2005/Atom}link")
             if link.get("rel") == "alternate" and "/funnels/" in link.get("href")]
    assert links and all((site / urlsplit(href).path.lstrip("/")).is_file() for href in links), links


def test_a_link_to_a_page_the_site_does_not_have_stops_the_build_naming_both():
    from types import SimpleNamespace

    from mkdocs.exceptions import PluginError
    from mkdocs.structure.files import Files

    from funnel_library.plugin import FunnelLibraryPlugin

    plugin = FunnelLibraryPlugin()
    plugin.outputs = {"api/funnels.json": None}
    page = SimpleNamespace(url="library/", file=SimpleNamespace(src_uri="library/index.md"))
    assert plugin._href("api/funnels.json", page, Files([])) == "../api/funnels.json"
    with pytest.raises(PluginError, match=r"library/index\.md links to contributors\.md, which this site does not have"):
        plugin._href("contributors.md", page, Files([]))
