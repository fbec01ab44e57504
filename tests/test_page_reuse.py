"""Pages kept for reuse: the frame that decides a kept page, and the keys of the store."""

from __future__ import annotations

import os

import pytest
from mkdocs.config import load_config

from funnel_library.core.store import content_key
from funnel_library.mkdocs_frame import site_frame
from funnel_library.rendering.page_reuse import KeptPage, PageReuse
from sites import REPO


@pytest.fixture
def config():
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    return load_config(config_file=str(REPO / "mkdocs.yml"))


def test_the_same_configuration_loaded_twice_has_the_same_frame_and_no_memory_address(config):
    again = load_config(config_file=str(REPO / "mkdocs.yml"))
    frame = site_frame(config, None)
    assert frame == site_frame(again, None)
    assert " at 0x" not in frame  # an object named by its address would never match itself
    assert "funnel-library" in frame and '"library_dir"' in frame  # the plugin's own options are in it


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c.__setitem__("copyright", "Someone else"),
        lambda c: c.__setitem__("site_name", "Another library"),
        lambda c: c["extra"].__setitem__("generator", False),
        lambda c: c.theme.__setitem__("features", [*c.theme["features"], "navigation.footer"]),
        lambda c: c.theme.dirs.append(str(REPO / "docs")),
        lambda c: c.plugins["funnel-library"].config.__setitem__("forecast_volume", 12345),
    ],
    ids=["copyright", "site name", "extra", "theme feature", "theme folder", "plugin option"],
)
def test_whatever_the_theme_could_read_changes_the_frame(config, change):
    before = site_frame(config, None)
    change(config)
    assert site_frame(config, None) != before


def test_a_kept_page_is_given_only_for_its_own_key_and_a_deleted_page_is_forgotten():
    reuse = PageReuse()
    key = content_key("frame", "content")
    reuse.keep("funnels/a.md", KeptPage(key, "<html>a</html>", "<body>a</body>"))
    reuse.keep("funnels/b.md", KeptPage(content_key("frame", "b"), "<html>b</html>", None))
    assert reuse.get("funnels/a.md", key).html == "<html>a</html>"
    assert reuse.get("funnels/a.md", content_key("frame", "content changed")) is None
    assert reuse.get("funnels/c.md", key) is None
    reuse.keep_only({"funnels/a.md"})
    assert set(reuse.pages) == {"funnels/a.md"}
