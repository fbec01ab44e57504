"""Diagrams of the whole library: the map, the circles of trust, and journey chains.

Like funnel diagrams, these are built here as Graphviz graphs, with entry text set only
through escaped labels, and handed over as layout jobs: the caller lays them out
(in a worker process, in the build) and they are rebuilt from the same allow-list by
:func:`clean_svg`. Node links come from the caller (``href``), so they are always our own
site-relative addresses.

Scale: a map with a node per funnel is readable up to a few dozen funnels. Above
:data:`MAP_DETAIL_LIMIT`, funnels that make the same move (same type, same input
and output stage) are drawn as one node that says how many there are and links
to the list of them, so the picture stays legible at 200 or 5,000 funnels.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable

from .diagrams import FONT, label_text, new_graph, percent
from .layout import LayoutJob
from .library import Library
from .model import FUNNEL_TYPES, Funnel, Journey, Stage

#: Above this many funnels, the map and the circles group funnels that make the same move.
MAP_DETAIL_LIMIT = 60

Href = Callable[[str], str]


@dataclass(frozen=True)
class FunnelGroup:
    """Funnels of one type that move people between the same two stages."""

    type: str
    input: str
    output: str
    funnels: tuple[Funnel, ...]

    @property
    def anchor(self) -> str:
        return f"move-{self.type}-{self.input}-{self.output}"


def funnel_groups(library: Library) -> list[FunnelGroup]:
    grouped: dict[tuple[str, str, str], list[Funnel]] = defaultdict(list)
    for funnel in library.funnels:
        grouped[(funnel.type, funnel.input, funnel.output)].append(funnel)
    type_order = list(FUNNEL_TYPES)
    stage_order = {stage.id: stage.order for stage in library.stages}
    keys = sorted(grouped, key=lambda k: (type_order.index(k[0]), stage_order.get(k[1], 99), stage_order.get(k[2], 99)))
    return [FunnelGroup(t, i, o, tuple(grouped[(t, i, o)])) for t, i, o in keys]


def is_detailed(library: Library) -> bool:
    return len(library.funnels) <= MAP_DETAIL_LIMIT


def _new_graph(**attributes):
    graph = new_graph(fontname=FONT, **attributes)
    graph.node_attr.update(fontname=FONT, fontsize="11", shape="box", style="rounded", margin="0.12,0.05")
    graph.edge_attr.update(fontname=FONT, fontsize="10", arrowsize="0.6")
    return graph


def _stage_node(graph, stage: Stage | None, stage_id: str, href: str | None, **extra) -> None:
    owner = stage.owner if stage else "unknown"
    name = stage.name if stage else stage_id
    attributes = {"label": label_text(name, width=18), "shape": "ellipse", "style": "solid", "class": f"fl-node fl-stage fl-owner-{owner}"}
    if href:
        attributes["URL"] = href
    attributes.update(extra)
    graph.add_node(f"stage:{stage_id}", **attributes)


def _handoff(library: Library, funnel_or_group) -> bool:
    start, end = library.stage(funnel_or_group.input), library.stage(funnel_or_group.output)
    return bool(start and end and start.owner != end.owner)


def library_map_job(library: Library, *, funnel_href: Callable[[Funnel], str], group_href: Callable[[FunnelGroup], str],
                    stage_href: Callable[[Stage], str]) -> LayoutJob:
    """Every funnel between the stages it connects, grouped by type; hand-offs between teams marked."""
    graph = _new_graph(rankdir="TB", nodesep="0.3", ranksep="0.55", newrank="true")
    for stage in library.stages:
        _stage_node(graph, stage, stage.id, stage_href(stage))
    detailed = is_detailed(library)
    for funnel_type, type_name in FUNNEL_TYPES.items():
        cluster = graph.add_subgraph(name=f"cluster_{funnel_type}", label=type_name, **{"class": f"fl-cluster fl-type-{funnel_type}"})
        cluster.graph_attr.update(style="rounded,dashed", fontname=FONT, fontsize="12")
        if detailed:
            for funnel in library.funnels_of_type(funnel_type):
                cluster.add_node(
                    f"funnel:{funnel.id}",
                    label=label_text(f"{funnel.title} ({percent(funnel.end_to_end)})", width=24),
                    URL=funnel_href(funnel),
                    **{"class": f"fl-node fl-funnel fl-type-{funnel_type}"},
                )
        else:
            for group in funnel_groups(library):
                if group.type == funnel_type:
                    count = len(group.funnels)
                    cluster.add_node(
                        f"group:{group.anchor}",
                        label=label_text(f"{count} funnel{'s' if count != 1 else ''}: {library.stage_name(group.input)} → {library.stage_name(group.output)}", width=24),
                        URL=group_href(group),
                        **{"class": f"fl-node fl-funnel fl-group fl-type-{funnel_type}"},
                    )
    items = library.funnels if detailed else funnel_groups(library)
    for item in items:
        node = f"funnel:{item.id}" if detailed else f"group:{item.anchor}"
        handoff = " fl-handoff" if _handoff(library, item) else ""
        graph.add_edge(f"stage:{item.input}", node, **{"class": f"fl-edge fl-forward{handoff}"})
        graph.add_edge(node, f"stage:{item.output}", **{"class": f"fl-edge fl-forward{handoff}"}, style="bold" if handoff else "solid")
    return LayoutJob(tuple(graph.calls), "dot", "Map of the library: funnels between the stages they connect", "fl-diagram-svg fl-map-svg")


def circles_of_trust_job(library: Library, *, funnel_href: Callable[[Funnel], str], group_href: Callable[[FunnelGroup], str],
                         stage_href: Callable[[Stage], str]) -> LayoutJob:
    """Stages on rings by trust distance (the inner circle in the middle), funnels between the rings they connect."""
    # Straight edges: spline routing needs non-overlapping nodes, and the rings overlap everything.
    graph = _new_graph(outputorder="nodesfirst", splines="false", overlap="true")
    ring_gap = 1.7  # inches between rings
    distances = sorted({stage.trust_distance for stage in library.stages})
    radius = {d: (0.0 if d == 0 else ring_gap * d) for d in distances}
    for distance in reversed(distances):  # outer rings first, so inner ones are drawn on top
        if radius[distance] == 0:
            continue
        size = f"{2 * radius[distance]:.2f}"
        graph.add_node(f"ring:{distance}", label="", shape="circle", width=size, height=size, fixedsize="true", pos="0,0!",
                       style="dashed", **{"class": "fl-ring"})
        graph.add_node(f"ring-label:{distance}", label=label_text(f"distance {distance}"), shape="plaintext",
                       pos=f"0,{radius[distance] - 0.18:.2f}!", fontsize="9", **{"class": "fl-ring-label"})
    position: dict[str, tuple[float, float]] = {}
    for distance in distances:
        ring = [stage for stage in library.stages if stage.trust_distance == distance]
        for index, stage in enumerate(ring):
            if radius[distance] == 0 and len(ring) == 1:
                x = y = 0.0
            else:
                angle = math.pi / 2 + 2 * math.pi * (index + 0.5) / len(ring) + distance * 0.7
                r = radius[distance] or ring_gap * 0.45
                x, y = r * math.cos(angle), r * math.sin(angle)
            position[stage.id] = (x, y)
            _stage_node(graph, stage, stage.id, stage_href(stage), pos=f"{x:.2f},{y:.2f}!")
    detailed = is_detailed(library)
    items = list(library.funnels) if detailed else funnel_groups(library)
    between: dict[tuple[str, str], list] = defaultdict(list)
    for item in items:
        between[(item.input, item.output)].append(item)
    for (start, end), members in between.items():
        # A funnel sits between the rings it connects, at the mean angle of its two stages,
        # and funnels making the same move are spaced along that arc.
        points = [position.get(stage_id, (0.0, 0.0)) for stage_id in (start, end)]
        angles = [math.atan2(y, x) for x, y in points if math.hypot(x, y) > 1e-6]
        angle = math.atan2(sum(math.sin(a) for a in angles), sum(math.cos(a) for a in angles)) if angles else 0.0
        radii = [math.hypot(x, y) for x, y in points]
        r = max((radii[0] + radii[1]) / 2, ring_gap * 0.55)
        if abs(radii[0] - radii[1]) < 1e-6:  # both stages on one ring: sit just inside it
            r = max(radii[0] - ring_gap * 0.45, ring_gap * 0.55)
        spacing = 1.05 / r  # radians per member, about an inch of arc
        for index, item in enumerate(members):
            theta = angle + (index - (len(members) - 1) / 2) * spacing
            x, y = r * math.cos(theta), r * math.sin(theta)
            if detailed:
                node, label, url = f"funnel:{item.id}", item.title, funnel_href(item)
            else:
                node, label, url = f"group:{item.anchor}", f"{len(item.funnels)} funnels", group_href(item)
            graph.add_node(node, label=label_text(label, width=16), URL=url, pos=f"{x:.2f},{y:.2f}!", fontsize="9",
                           **{"class": f"fl-node fl-funnel fl-type-{item.type}"})
            graph.add_edge(f"stage:{start}", node, **{"class": "fl-edge fl-forward"})
            graph.add_edge(node, f"stage:{end}", **{"class": "fl-edge fl-forward"})
    return LayoutJob(tuple(graph.calls), "neato", "Circles of trust: stages on rings by trust distance, the inner circle in the middle",
                     "fl-diagram-svg fl-circles-svg")


def journey_diagram_job(library: Library, journey: Journey, *, funnel_href: Callable[[Funnel], str]) -> LayoutJob:
    """The journey as a chain: stage, funnel, stage, funnel, ... (a loop closes on its first stage)."""
    funnels = [library.funnel(funnel_id) for funnel_id in journey.funnels]
    # Short chains read left to right; long ones top to bottom, so they fit a page.
    graph = _new_graph(rankdir="LR" if len(funnels) <= 4 else "TB", nodesep="0.3", ranksep="0.35")
    for funnel in funnels:
        for stage_id in (funnel.input, funnel.output):
            if not graph.has_node(f"stage:{stage_id}"):
                _stage_node(graph, library.stage(stage_id), stage_id, None)
    for index, funnel in enumerate(funnels, start=1):
        node = f"funnel:{index}"
        graph.add_node(node, label=label_text(f"{index}. {funnel.title} ({percent(funnel.end_to_end)})", width=22), URL=funnel_href(funnel),
                       **{"class": f"fl-node fl-funnel fl-type-{funnel.type}"})
        graph.add_edge(f"stage:{funnel.input}", node, **{"class": "fl-edge fl-forward"})
        closing = journey.loop and index == len(funnels)
        graph.add_edge(node, f"stage:{funnel.output}", constraint="false" if closing else "true", style="dashed" if closing else "solid",
                       **{"class": "fl-edge fl-flow fl-flow-loop" if closing else "fl-edge fl-forward"})
    return LayoutJob(tuple(graph.calls), "dot", f"The journey {journey.title} as a chain of funnels", "fl-diagram-svg fl-journey-svg")
