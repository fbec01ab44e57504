"""Funnel records -> Graphviz graph -> themed, safe, deterministic SVG.

The graph is described here as plain data and built through pygraphviz (its wheels bundle
Graphviz) in a worker process, which lays it out (see :mod:`.layout`), so no input that
crashes Graphviz can take the build down. Entry text reaches Graphviz only as attribute values
set through the library's API, escaped (:mod:`.labels`) so that Graphviz's own escapes
(`\\N`, `\\G`, ...) and HTML-like labels (`<...>`) cannot be triggered. The worker rebuilds
the SVG from a parsed tree with a short allow-list of elements and attributes (:mod:`.svg_clean`):
no scripts, no foreign links, no ids that could clash between diagrams. Colours come from CSS
classes, so one render serves Material's light and dark palettes. Here: a funnel's graph, the
diagram cache, the batch that lays out a build's diagrams, and the SVG a page or a download takes.
"""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from ..core.model import Funnel
from ..core.store import Store, code_version, content_key
from .isolation import isolated_text
from .labels import FONT, EntryText, label_text, percent
from .layout import GraphSpec, LayoutJob, LayoutWorkers, Submitted, lay_out
from .routes import STEP_ANCHOR_PREFIX, step_anchor
from .svg_clean import SVG_NS


def funnel_graph_inputs(funnel: Funnel) -> dict:
    """Exactly the fields the diagram depends on: the cache key is a hash of this (the drawing
    code is in the cache's version)."""
    return {
        "steps": [[s.id, s.name, s.conversion] for s in funnel.steps],
        "flows": [[f.source, f.target, f.kind, f.label, f.share] for f in funnel.flows],
        "goal": funnel.goal,
    }


def diagram_key(inputs: dict) -> str:
    return content_key(json.dumps(inputs, sort_keys=True, ensure_ascii=False, separators=(",", ":")))


def new_graph(**attributes) -> GraphSpec:
    """An empty directed graph with a transparent background and the given graph attributes."""
    graph = GraphSpec()
    graph.graph_attr.update(bgcolor="transparent", **attributes)
    return graph


def funnel_layout_job(funnel: Funnel, step_href=lambda step_id: "#" + step_anchor(step_id)) -> LayoutJob:
    """The funnel's graph, ready for a worker to lay out.

    ``step_href(step_id)`` gives the link of each step node (an in-page anchor).
    """
    # Edges first, then the steps in their own order: the order a keyboard visits their links.
    graph = new_graph(rankdir="TB", nodesep="0.35", ranksep="0.45", pad="0.1", outputorder="edgesfirst")
    graph.node_attr.update(fontname=FONT, fontsize="12", shape="box", style="rounded", margin="0.15,0.06")
    graph.edge_attr.update(fontname=FONT, fontsize="11", arrowsize="0.7")
    for index, step in enumerate(funnel.steps):
        graph.add_node(
            f"s{index}",
            label=label_text(f"{index + 1}. ", EntryText(step.name), width=18),
            URL=step_href(step.id),
            **{"class": "fl-node fl-step"},
        )
    graph.add_node(
        "goal",
        label=label_text("Goal: ", EntryText(funnel.goal), width=22),
        shape="box",
        style="rounded,bold",
        **{"class": "fl-node fl-goal"},
    )
    for index, step in enumerate(funnel.steps):
        target = f"s{index + 1}" if index + 1 < len(funnel.steps) else "goal"
        # A heavy weight keeps the chain of steps one straight column.
        graph.add_edge(
            f"s{index}",
            target,
            label=label_text(percent(step.conversion)),
            weight="8",
            **{"class": "fl-edge fl-forward"},
        )
    index_of = {step.id: index for index, step in enumerate(funnel.steps)}
    for flow in funnel.flows:
        start, end = index_of[flow.source], index_of[flow.target]
        share = "" if flow.share is None else f" ({percent(flow.share)})"
        # Every loop, skip and fall-back takes part in dot's ordering, so arrows whose spans
        # interleave go to opposite sides of the chain instead of crossing. An arrow back up is
        # laid out as a downward edge drawn reversed (dir=back): it agrees with the step order.
        upper, lower = (f"s{end}", f"s{start}") if end < start else (f"s{start}", f"s{end}")
        graph.add_edge(
            upper,
            lower,
            label=label_text(EntryText(flow.label), share, width=14),
            style="dashed",
            dir="back" if end < start else "forward",
            **{"class": f"fl-edge fl-flow fl-flow-{flow.kind}"},
        )
    return LayoutJob(
        tuple(graph.calls), "dot", f"Diagram of the funnel {isolated_text(funnel.title)}", "fl-diagram-svg"
    )


class DiagramCache(Store):
    """SVG by a hash of the fields a diagram shows, as a :class:`~funnel_library.core.store.Store`:
    its version hashes the drawing code (this module and what it imports, CSS class names
    included) and the pygraphviz version, which fixes the Graphviz its wheel bundles.

    ``layouts`` counts real Graphviz layouts and ``hits`` the reuses, so callers (and tests)
    can see that an unchanged funnel is never laid out twice.
    """

    def __init__(self, path: Path | None = None) -> None:
        super().__init__(path, diagram_version())

    @property
    def layouts(self) -> int:
        return self.puts


def diagram_version() -> str:
    return code_version("rendering.diagrams", libraries=("pygraphviz",))


def layout_job_key(job: LayoutJob) -> str:
    """A page diagram's key (the map, the circles, a journey): the whole job, calls in their order,
    so any change to what the drawing shows is a different key."""
    return content_key(
        json.dumps(
            ["layout-job", job.prog, job.title, job.css_class, job.calls], ensure_ascii=False, separators=(",", ":")
        )
    )


def funnel_diagram_key(funnel: Funnel) -> str:
    inputs = funnel_graph_inputs(funnel)
    inputs["title"] = funnel.title
    return diagram_key(inputs)


def draw_funnel_diagram(funnel: Funnel) -> str:
    """Lay out and clean one funnel's diagram in this process (no cache, no isolation).

    The build never calls this: it lays out through :class:`DiagramBatch`'s workers.
    """
    return lay_out(funnel_layout_job(funnel))


def render_funnel_diagram(funnel: Funnel, cache: DiagramCache | None = None) -> str:
    """The funnel's diagram as safe, themable SVG markup, from ``cache`` when it holds it (in this process)."""
    if cache is None:
        return draw_funnel_diagram(funnel)
    return cache.fetch(funnel_diagram_key(funnel), lambda: draw_funnel_diagram(funnel))


def placeholder_svg(message: str) -> str:
    root = ET.Element(
        "svg", {"xmlns": SVG_NS, "viewBox": "0 0 320 40", "class": "fl-diagram-svg fl-diagram-missing", "role": "img"}
    )
    ET.SubElement(root, "title").text = message
    ET.SubElement(root, "text", {"x": "10", "y": "25"}).text = message
    return ET.tostring(root, encoding="unicode")


DIAGRAM_MISSING = "The diagram could not be drawn."


class DiagramBatch:
    """Diagrams for many funnels: cache hits at once, misses laid out by worker processes.

    Layout runs in other processes while the caller builds pages; :meth:`svg` waits only
    if a diagram is not ready yet. A funnel whose layout fails or crashes its worker gets a
    placeholder and a reason in :attr:`failures`; the others are drawn regardless.
    """

    CHUNK = 25

    def __init__(
        self,
        funnels: tuple[Funnel, ...] | list[Funnel],
        cache: DiagramCache,
        workers: int | LayoutWorkers | None = None,
    ) -> None:
        self.cache = cache
        self.keys = {funnel.id: funnel_diagram_key(funnel) for funnel in funnels}
        self.ready: dict[str, str] = {}
        #: funnel id -> why its diagram could not be drawn (its page shows a placeholder)
        self.failures: dict[str, str] = {}
        #: funnel id -> the index of its chunk in :attr:`chunks`
        self.pending: dict[str, int] = {}
        self.chunks: list[tuple[Submitted, list[str]]] = []
        self.workers = workers if isinstance(workers, LayoutWorkers) else LayoutWorkers(workers)
        misses = []
        for funnel in funnels:
            svg = cache.get(self.keys[funnel.id])
            if svg is None:
                misses.append(funnel)
            else:
                self.ready[funnel.id] = svg
        for start in range(0, len(misses), self.CHUNK):
            chunk = misses[start : start + self.CHUNK]
            self.chunks.append((self.workers.submit([funnel_layout_job(f) for f in chunk]), [f.id for f in chunk]))
            for funnel in chunk:
                self.pending[funnel.id] = len(self.chunks) - 1

    def _store(self, funnel_id: str, svg: str | None, failure: str | None = None) -> None:
        if failure is None and svg is not None:
            self.cache.put(self.keys[funnel_id], svg)
            self.ready[funnel_id] = svg
        else:
            self.failures[funnel_id] = failure or "no drawing came back"  # not cached: the next build tries again
            self.ready[funnel_id] = placeholder_svg(DIAGRAM_MISSING)

    def svg(self, funnel_id: str) -> str:
        """The diagram of ``funnel_id``, waiting for its worker if needed."""
        if funnel_id not in self.ready:
            submitted, ids = self.chunks[self.pending[funnel_id]]
            for chunk_id, outcome in zip(ids, self.workers.collect(submitted)):
                if self.pending.pop(chunk_id, None) is not None:
                    self._store(chunk_id, *outcome)
        return self.ready[funnel_id]

    def close(self, *, collect: bool = True, stop_workers: bool = True) -> None:
        """Stop the workers (unless they serve more batches); with ``collect``, first store what is
        pending so the disk cache is complete."""
        if collect:
            for funnel_id in list(self.pending):
                self.svg(funnel_id)
        self.pending.clear()
        if stop_workers:
            self.workers.close()


def steps_linked_to(svg: str, page_href: str) -> str:
    """A funnel diagram shown on another page than its funnel's: each step box opens the step on
    the funnel's page (``page_href``) rather than an anchor of the page it is shown on."""
    return svg.replace(f'href="#{STEP_ANCHOR_PREFIX}', f'href="{html.escape(page_href)}#{STEP_ANCHOR_PREFIX}')


_STANDALONE_STYLE = (
    "<style>text{fill:#1f2328}.fl-node path,.fl-node polygon{fill:#fff;stroke:#4051b5}"
    ".fl-goal path,.fl-goal polygon{fill:#eef0fb}.fl-edge path{stroke:#57606a;fill:none}"
    ".fl-edge polygon{fill:#57606a;stroke:#57606a}.fl-flow path{stroke-dasharray:5,4}</style>"
)


def standalone_svg(svg: str) -> str:
    """The downloadable file: the same SVG with its own light colours, since no page CSS applies."""
    head, _, rest = svg.partition(">")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{head}>{_STANDALONE_STYLE}{rest}\n'
