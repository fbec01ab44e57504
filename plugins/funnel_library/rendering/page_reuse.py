"""Finished pages kept from one build to the next, to give again when nothing that makes them changed.

Under `mkdocs serve` most pages come out of a rebuild exactly as they went in: an edit to one
funnel changes its page and the few that show its card. The site engine still renders every page
through its theme, and the search index takes every page again. A page's *key* is a digest of
everything that decides its finished HTML: what the engine renders around it (its frame: the
engine's configuration, navigation, theme and versions; the page's address, title, metadata,
table of contents and neighbours), the content the build made for it, the furniture cut out of
that content, and the diagram that fills its slot. When the key equals the one the page had last
time, the build gives the finished page it kept, and search gets the text it indexed then. This
key is made of the content itself, not of what the renderer read to make it, so it cannot miss
an input.

One step earlier, a funnel's page need not even be rendered: its *inputs* are written out (see
``page_inputs``: the funnel, its neighbours, its reports, the stages, the settings) and, while
they are the same, the page as the renderer made it last time is given again. That key lists
what the renderer reads, so its template sees the library only through what the list covers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .slots import RenderedPage


@dataclass(frozen=True)
class KeptPage:
    """A page as the last build finished it."""

    key: str
    #: the finished HTML, as the engine wrote it
    html: str
    #: what the search index took of it (None: the build had no index to feed)
    searchable: str | None
    #: the page had no article to mark for search (the build warns of it again)
    unmarked: bool = False


class PageReuse:
    """Finished pages by source path, for the builds of one process (a `mkdocs serve` session)."""

    def __init__(self) -> None:
        self.pages: dict[str, KeptPage] = {}
        #: pages as the renderer made them, by source path: (the digest of their inputs, the page)
        self.renderings: dict[str, tuple[str, RenderedPage]] = {}
        #: funnel digests by object id, with the object (see page_inputs.Digests)
        self.funnel_digests: dict[int, tuple[Any, str]] = {}
        #: this build's renderings given again
        self.renderings_reused = 0
        #: this build's counts: pages given again, pages rendered
        self.reused = 0
        self.rendered = 0

    def start_build(self) -> None:
        self.reused = self.rendered = self.renderings_reused = 0

    def rendering(self, src_uri: str, inputs: str) -> RenderedPage | None:
        """The page as the renderer made it from the same ``inputs`` (a digest) last time."""
        kept = self.renderings.get(src_uri)
        if kept is None or kept[0] != inputs:
            return None
        self.renderings_reused += 1
        return kept[1]

    def keep_rendering(self, src_uri: str, inputs: str, page: RenderedPage) -> None:
        self.renderings[src_uri] = (inputs, page)

    def get(self, src_uri: str, key: str) -> KeptPage | None:
        kept = self.pages.get(src_uri)
        return kept if kept is not None and kept.key == key else None

    def keep(self, src_uri: str, page: KeptPage) -> None:
        self.pages[src_uri] = page

    def keep_only(self, src_uris: set[str], funnels: tuple = ()) -> None:
        """Forget the pages this build did not have (deleted entries), and the digests of funnel
        objects it did not use (``funnels``: the build's)."""
        ids = {id(funnel) for funnel in funnels}
        self.funnel_digests = {key: value for key, value in self.funnel_digests.items() if key in ids}
        for src_uri in set(self.pages) - src_uris:
            del self.pages[src_uri]
        for src_uri in set(self.renderings) - src_uris:
            del self.renderings[src_uri]
