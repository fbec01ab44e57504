"""The plugin's typed configuration (the `funnel-library` entry under `plugins:` in mkdocs.yml)."""

from __future__ import annotations

from urllib.parse import urlsplit

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class WholeNumber(c.Type):
    """A whole number within bounds (true and false are not numbers here)."""

    def __init__(self, *, minimum: int, maximum: int, default: int) -> None:
        super().__init__(int, default=default)
        self.minimum, self.maximum = minimum, maximum

    def run_validation(self, value):
        if isinstance(value, bool) or not isinstance(value, int) or not self.minimum <= value <= self.maximum:
            raise c.ValidationError(
                f"Expected a whole number from {self.minimum:,} to {self.maximum:,}, but received: {value!r}"
            )
        return value


class Branch(c.Type):
    """A git branch name: text, not empty, without spaces."""

    def __init__(self, *, default: str) -> None:
        super().__init__(str, default=default)

    def run_validation(self, value):
        value = super().run_validation(value)
        if not value.strip() or any(ch.isspace() for ch in value):
            raise c.ValidationError(f"Expected a branch name (text without spaces), but received: {value!r}")
        return value


class FunnelLibraryConfig(Config):
    enabled = c.Type(bool, default=True)
    """Set to false to build the documentation without the library (no generated pages or files)."""

    library_dir = c.Dir(exists=True, default="library")
    """The library folder (stages.yml, funnels/, journeys/, results/), relative to mkdocs.yml."""

    cache_dir = c.Dir(exists=False, default=".cache/plugin/funnel-library")
    """Where diagrams, rendered Markdown and checked entries are cached between builds, relative to mkdocs.yml."""

    cache = c.Type(bool, default=True)
    """Set to false to keep no cache on disk (the in-memory caches of `mkdocs serve` stay on)."""

    source_branch = Branch(default="main")
    """The branch that source and edit links point at, when `repo_url` is set."""

    forecast_volume = WholeNumber(minimum=1, maximum=10**9, default=1000)
    """The starting volume of the figures printed on pages ("of 1,000 who enter ...")."""

    search = c.Type(bool, default=True)
    """Build the search index (Pagefind) that serves the search box after the site is built.
    Set to false for quicker builds when the box is not needed; the box is then left out."""

    publish = c.Type(bool, default=False)
    """Set for a build that will be published (mkdocs.yml reads it from FUNNEL_LIBRARY_PUBLISH):
    such a build refuses a `site_url` on this machine, which would put local links in the feed,
    the exports and the schemas."""


_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0"})


def unpublishable_site_url(site_url: str | None) -> str | None:
    """Why a build for publishing must not use ``site_url``, or None when it may."""
    host = (urlsplit(site_url or "").hostname or "").lower()
    if not host or host in _LOCAL_HOSTS or host.endswith(".localhost") or host.startswith("127."):
        return (
            f"site_url is {site_url or 'not set'!r}, a local address, and this build is for publishing "
            "(FUNNEL_LIBRARY_PUBLISH is set). Set the SITE_URL environment variable to the public address, "
            "e.g. SITE_URL=https://funnels.example.org/ (the CI workflow sets it for GitHub Pages)."
        )
    return None
