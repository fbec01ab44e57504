"""Markdown in entries: rendered, sanitized, and never silently loses text."""

from __future__ import annotations

from bs4 import BeautifulSoup

from funnel_library.core.rich_text import render_markdown


def soup(text: str) -> BeautifulSoup:
    return BeautifulSoup(render_markdown(text), "lxml")


def test_markdown_formatting_is_rendered():
    page = soup("Some **bold** and *soft* text with a [link](https://example.org).\n\n- one\n- two")
    assert page.strong.get_text() == "bold" and page.em.get_text() == "soft"
    assert page.a["href"] == "https://example.org" and page.a["rel"] == ["nofollow", "noopener", "noreferrer"]
    assert [li.get_text() for li in page.select("li")] == ["one", "two"]


def test_raw_html_is_shown_as_text_not_dropped():
    page = soup('Hello <script>alert(1)</script> and <img src=x onerror="alert(2)"> world')
    assert page.find("script") is None and page.find("img") is None
    assert page.p.get_text() == 'Hello <script>alert(1)</script> and <img src=x onerror="alert(2)"> world'


def test_script_links_lose_their_href_but_keep_their_text():
    page = soup("[click me](javascript:alert(1)) and [data](data:text/html,x)")
    assert [a.get("href") for a in page.select("a")] == [None, None]
    assert page.get_text().strip() == "click me and data"


def test_relative_and_mailto_links_are_kept():
    page = soup("[a](../other/) [b](mailto:team@example.org) [c](#step-x)")
    assert [a["href"] for a in page.select("a")] == ["../other/", "mailto:team@example.org", "#step-x"]


def test_headings_in_entries_sit_below_the_pages_own_headings():
    page = soup("# Big\n\n## Less")
    assert [h.name for h in page.find_all(["h1", "h2", "h3", "h4", "h5"])] == ["h4", "h5"]


def test_images_are_shown_as_text_not_loaded():
    page = soup("![a chart](https://example.org/chart.png)")
    assert page.find("img") is None
    assert "a chart" in page.get_text()


def test_the_markdown_cache_renders_once_and_survives_a_restart(tmp_path):
    from funnel_library.core.rich_text import MarkdownCache

    cache = MarkdownCache(tmp_path / "markdown.json")
    first = cache.render("Some **bold** text")
    assert first == render_markdown("Some **bold** text")
    cache.save()
    reloaded = MarkdownCache(tmp_path / "markdown.json")
    assert reloaded.entries and not reloaded.dirty
    assert reloaded.render("Some **bold** text") == first and not reloaded.dirty


def test_a_markdown_cache_from_another_renderer_version_is_ignored(tmp_path):
    import json

    from funnel_library.core.rich_text import MarkdownCache

    path = tmp_path / "markdown.json"
    path.write_text(json.dumps({"version": "old", "entries": {"x": "<p>stale</p>"}}))
    assert MarkdownCache(path).entries == {}
    path.write_text("not json")
    assert MarkdownCache(path).entries == {}
