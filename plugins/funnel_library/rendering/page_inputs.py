"""Everything a funnel's page is made from, written out, so a serve rebuild can tell whether it must render it again.

A funnel's page shows the funnel, its neighbours in its type's list, the funnels it connects to,
the reports filed on it and the stages' names and units. The renderer passes exactly these to the
page's template, and the template sees the library only through :class:`StagesOnly`: a template
that reached for anything else would fail at once, instead of leaving a page that the key below
says is current when it is not.
"""

from __future__ import annotations

from ..core.library import Library
from ..core.model import Funnel
from ..core.store import content_key


class StagesOnly:
    """The library as a funnel's page reads it: stage names and units."""

    def __init__(self, library: Library) -> None:
        self._library = library

    def stage_name(self, stage_id: str) -> str:
        return self._library.stage_name(stage_id)

    def unit(self, stage_id: str) -> tuple[str, str]:
        return self._library.unit(stage_id)


class Digests:
    """Each funnel written out once per build: a page's inputs name its funnels by these."""

    def __init__(self, library: Library, settings: str, known: dict[int, tuple[Funnel, str]] | None = None) -> None:
        self._funnels: dict[str, str] = {}
        #: what every funnel page shares: the stages, and the renderer's settings
        self.shared = content_key(repr(library.stages), settings)
        #: digests of funnel objects from earlier builds of the process, by the object's id (with the
        #: object, so that the id is not another's); a serve rebuild reuses the unchanged entries' objects
        self._known = known

    def of(self, funnel: Funnel | None) -> str:
        if funnel is None:
            return "-"
        digest = self._funnels.get(funnel.id)
        if digest is None:
            known = self._known.get(id(funnel)) if self._known is not None else None
            if known is not None and known[0] is funnel:
                digest = known[1]
            else:
                digest = content_key(repr(funnel))
                if self._known is not None:
                    self._known[id(funnel)] = (funnel, digest)
            self._funnels[funnel.id] = digest
        return digest


def funnel_page_inputs(
    library: Library,
    funnel: Funnel,
    siblings: tuple[Funnel | None, Funnel | None],
    connections: tuple[tuple[Funnel, ...], int, tuple[Funnel, ...], int],
    digests: Digests,
) -> str:
    """The funnel's page's inputs as text: every dataclass written out in full by its repr
    (fields only, no addresses; a funnel by the digest of its repr), with what all pages share."""
    upstream, upstream_total, downstream, downstream_total = connections
    return repr(
        (
            digests.of(funnel),
            [digests.of(sibling) for sibling in siblings],
            [digests.of(other) for other in upstream],
            upstream_total,
            [digests.of(other) for other in downstream],
            downstream_total,
            library.reports_for(funnel.id),
            library.broken_reports_for(funnel.id),
            digests.shared,
        )
    )
