"""The plugin's typed configuration (the `funnel-library` entry under `plugins:` in mkdocs.yml)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class FunnelLibraryConfig(Config):
    library_dir = c.Type(str, default="library")
    """The library folder (stages.yml, funnels/, journeys/), relative to mkdocs.yml."""

    cache_dir = c.Type(str, default=".cache/plugin/funnel-library")
    """Where diagrams, rendered Markdown and checked entries are cached between builds, relative to mkdocs.yml."""

    cache = c.Type(bool, default=True)
    """Set to false to keep no cache on disk (the in-memory caches of `mkdocs serve` stay on)."""

    source_branch = c.Type(str, default="main")
    """The branch that source and edit links point at, when `repo_url` is set."""

    forecast_volume = c.Type(int, default=1000)
    """The starting volume of the figures printed on pages ("of 1,000 who enter ...")."""
