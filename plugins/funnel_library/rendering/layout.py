"""Graphviz layouts in worker processes, so that no input can take the build down.

Graphviz is a C library, and some inputs crash it: a flow label whose first line is empty
made `dot` end its process with a segmentation fault. In the build's own process that ends
`mkdocs build` and `mkdocs serve` with no message at all. So the build never touches
Graphviz itself: it describes the graph as plain data (:class:`GraphSpec`), and a worker
process builds it through pygraphviz's API (which escapes every value), lays it out and
returns clean SVG.

A worker that dies is replaced. The jobs it held are retried one at a time, so only a job
that kills a worker on its own is reported as failed; every other diagram is still drawn.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

# Under `mkdocs.plugins.`, so that `mkdocs build --strict` counts its warnings.
logger = logging.getLogger(__name__)

#: What a job whose worker died reports.
CRASHED = "Graphviz stopped its process while laying out this diagram"

Outcome = tuple[str | None, str | None]  # (svg, None) or (None, why it failed)


class _Attributes:
    """`graph.node_attr.update(...)` and friends, recorded."""

    def __init__(self, calls: list[tuple], target: str | None, which: str) -> None:
        self._calls, self._target, self._which = calls, target, which

    def update(self, attributes: dict[str, str] | None = None, **more: str) -> None:
        self._calls.append(("attr", self._target, self._which, {**(attributes or {}), **more}))


class GraphSpec:
    """A directed Graphviz graph as plain data: the calls that build it, in order.

    It offers the part of pygraphviz's `AGraph` the diagrams use (`add_node`, `add_edge`,
    `add_subgraph`, `has_node` and the `*_attr.update` methods). A worker replays the calls
    onto a real `AGraph` in the same order, so the layout is the one Graphviz would give the
    graph built directly.
    """

    def __init__(
        self, calls: list[tuple] | None = None, name: str | None = None, nodes: set[str] | None = None
    ) -> None:
        self.calls = [] if calls is None else calls
        self.name = name
        self._nodes = set() if nodes is None else nodes
        self.graph_attr = _Attributes(self.calls, name, "graph_attr")
        self.node_attr = _Attributes(self.calls, name, "node_attr")
        self.edge_attr = _Attributes(self.calls, name, "edge_attr")

    def add_node(self, name: str, **attributes: str) -> None:
        self._nodes.add(name)
        self.calls.append(("node", self.name, name, attributes))

    def add_edge(self, source: str, target: str, **attributes: str) -> None:
        self._nodes.update((source, target))
        self.calls.append(("edge", self.name, source, target, attributes))

    def add_subgraph(self, *, name: str, **attributes: str) -> GraphSpec:
        self.calls.append(("subgraph", self.name, name, attributes))
        return GraphSpec(self.calls, name, self._nodes)

    def has_node(self, name: str) -> bool:
        return name in self._nodes


def build_graph(calls: list[tuple]):
    """The pygraphviz `AGraph` that ``calls`` describe (in a worker)."""
    import pygraphviz

    graph = pygraphviz.AGraph(directed=True, strict=False)
    graphs = {None: graph}
    for call in calls:
        kind, target = call[0], graphs[call[1]]
        if kind == "attr":
            getattr(target, call[2]).update(call[3])
        elif kind == "node":
            target.add_node(call[2], **call[3])
        elif kind == "edge":
            target.add_edge(call[2], call[3], **call[4])
        elif kind == "subgraph":
            graphs[call[2]] = target.add_subgraph(name=call[2], **call[3])
    return graph


@dataclass(frozen=True)
class LayoutJob:
    """One graph to lay out: the calls that build it, the Graphviz program, and how to label the SVG."""

    calls: tuple[tuple, ...]
    prog: str
    title: str
    css_class: str
    #: Nodes the edges are not routed round (the rings of the circles, which every edge crosses):
    #: the edges are routed without them, then drawn with them. Only for "nop2" (positions given).
    unrouted: tuple[str, ...] = ()


def lay_out(job: LayoutJob) -> str:
    """The job's graph laid out by Graphviz, as clean SVG. Runs wherever it is called:
    :class:`LayoutWorkers` calls it in a worker process."""
    from .svg_clean import clean_svg, ensure_fontconfig

    ensure_fontconfig()
    graph = build_graph(list(job.calls))
    if job.unrouted:
        _route_without(graph, job)
    raw = graph.draw(format="svg", prog=job.prog).decode("utf-8")
    return clean_svg(raw, title=job.title, css_class=job.css_class)


def _route_without(graph, job: LayoutJob) -> None:
    """Route ``graph``'s edges round its nodes but the job's ``unrouted`` ones (positions pinned,
    "nop2"), and give each edge its route, so that drawing the whole graph keeps them."""
    import pygraphviz

    routing = build_graph([call for call in job.calls if not (call[0] == "node" and call[2] in job.unrouted)])
    routed = pygraphviz.AGraph(string=routing.draw(format="dot", prog="nop2").decode("utf-8"))
    # Graphviz moved the drawing so that it starts at 0,0: move the routes back (``graph`` still
    # holds the positions as given; drawing ``routing`` may have changed its own).
    anchor = next(iter(routing.nodes()), None)
    if anchor is None:
        return
    (x0, y0), (x1, y1) = (
        (float(v) for v in node.attr["pos"].rstrip("!").split(",")[:2])
        for node in (graph.get_node(anchor), routed.get_node(anchor))
    )

    def shifted(route: str) -> str:
        points = []
        for point in route.split():
            prefix, _, xy = point.rpartition(",") if point.startswith(("e,", "s,")) else ("", "", point)
            if prefix:
                x, y = float(prefix[2:]), float(xy)
                points.append(f"{point[:2]}{x - x1 + x0:.2f},{y - y1 + y0:.2f}")
            else:
                x, y = (float(v) for v in xy.split(","))
                points.append(f"{x - x1 + x0:.2f},{y - y1 + y0:.2f}")
        return " ".join(points)

    routes: dict[tuple[str, str], list[str]] = {}
    for edge in routed.edges():
        routes.setdefault((str(edge[0]), str(edge[1])), []).append(shifted(edge.attr["pos"]))
    for edge in graph.edges():
        taken = routes.get((str(edge[0]), str(edge[1])))
        if taken:
            edge.attr["pos"] = taken.pop(0)
    # Every edge has its route: drawing only places them (routing again would meet the overlaps).
    graph.graph_attr["splines"] = "false"


def lay_out_many(jobs: list[LayoutJob]) -> list[Outcome]:
    """In a worker: each job's SVG, or why it failed (an exception; a crash ends the worker)."""
    outcomes: list[Outcome] = []
    for job in jobs:
        try:
            outcomes.append((lay_out(job), None))
        except Exception as exc:  # noqa: BLE001 - one bad graph must not lose the others
            outcomes.append((None, f"{type(exc).__name__}: {exc}"))
    return outcomes


@dataclass
class Submitted:
    """Jobs sent to a worker, waiting to be collected."""

    future: Future
    jobs: list[LayoutJob]
    generation: int


class LayoutWorkers:
    """Worker processes that lay out graphs, replaced when one dies."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, (os.cpu_count() or 2) - 1) if workers is None else max(1, workers)
        self.crashes = 0
        #: True once workers proved unable to start (see :meth:`_workers_start`)
        self.in_process = False
        self._executor: ProcessPoolExecutor | None = None
        self._generation = 0

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # spawn, not fork: `mkdocs serve` runs threads, and forking a threaded process can deadlock.
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=multiprocessing.get_context("spawn")
            )
        return self._executor

    def submit(self, jobs: list[LayoutJob]) -> Submitted:
        """Send ``jobs`` to a worker; :meth:`collect` waits for their outcomes."""
        if self.in_process:
            done: Future = Future()
            done.set_result(lay_out_many(list(jobs)))
            return Submitted(done, list(jobs), self._generation)
        return Submitted(self._pool().submit(lay_out_many, list(jobs)), list(jobs), self._generation)

    def collect(self, submitted: Submitted) -> list[Outcome]:
        """The outcomes of submitted jobs. When their worker died, each job is retried alone."""
        try:
            return submitted.future.result()
        except BrokenProcessPool:
            self._replace(submitted.generation)
            return [self.run(job) for job in submitted.jobs]

    def run(self, job: LayoutJob) -> Outcome:
        """Lay out one job in a worker and wait for it."""
        submitted = self.submit([job])
        try:
            return submitted.future.result()[0]
        except BrokenProcessPool:
            self._replace(submitted.generation)
            if not self._workers_start():
                return self.run(job)
            self.crashes += 1
            return None, CRASHED

    def _workers_start(self) -> bool:
        """Whether a worker can lay out a trivial graph here. It cannot when this program was
        started from a script that spawned workers re-run (one without a `__main__` guard); then
        layouts run in this process, as they must to build at all, and a warning says so."""
        probe = self.submit([LayoutJob((("node", None, "probe", {}),), "dot", "probe", "probe")])
        try:
            probe.future.result()
            return True
        except BrokenProcessPool:
            self._replace(probe.generation)
            self.in_process = True
            logger.warning("funnel-library: Graphviz worker processes cannot start here; laying out in this process.")
            return False

    def _replace(self, generation: int) -> None:
        """Drop the broken pool (once, however many of its jobs report it); the next job starts a new one."""
        if generation == self._generation and self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
            self._generation += 1

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
