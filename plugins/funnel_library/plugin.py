"""The MkDocs plugin: a thin adapter from the core's library to MkDocs files and pages."""

from __future__ import annotations

from mkdocs.plugins import BasePlugin


class FunnelLibraryPlugin(BasePlugin):
    """Placeholder until the site generator lands."""
