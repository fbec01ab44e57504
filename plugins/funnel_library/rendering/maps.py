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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..core.library import Library
from ..core.model import Funnel, Journey, Stage
from ..core.vocabulary import FUNNEL_TYPES
from .diagrams import new_graph
from .isolation import isolated_text
from .labels import FONT, EntryText, label_text, percent
from .layout import LayoutJob

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


def node_key(kind: str, key: str) -> str:
    """The class that names one node of a library diagram (``fl-id-stage-lead``); ids are slugs."""
    return f"fl-id-{kind}-{key}"


def _stage_node(graph, stage: Stage | None, stage_id: str, href: str | None, **extra) -> None:
    owner = stage.owner if stage else "unknown"
    name = stage.name if stage else stage_id
    attributes = {
        "label": label_text(EntryText(name), width=18),
        "shape": "ellipse",
        "style": "solid",
        "class": f"fl-node fl-stage fl-owner-{owner} {node_key('stage', stage_id)}",
    }
    if href:
        attributes["URL"] = href
    attributes.update(extra)
    graph.add_node(f"stage:{stage_id}", **attributes)


def _handoff(library: Library, funnel_or_group) -> bool:
    start, end = library.stage(funnel_or_group.input), library.stage(funnel_or_group.output)
    return bool(start and end and start.owner != end.owner)


def _edge_class(base: str, *ends: str) -> str:
    """An edge's classes name both of its ends (``fl-end-stage-lead``), so a page script can follow it."""
    return " ".join([base, *(f"fl-end-{end}" for end in ends)])


def library_map_job(
    library: Library,
    *,
    funnel_href: Callable[[Funnel], str],
    group_href: Callable[[FunnelGroup], str],
    stage_href: Callable[[Stage], str],
) -> LayoutJob:
    """Every funnel between the stages it connects; hand-offs between teams marked.

    Stages run top to bottom in journey order, and each funnel sits between its two stages.
    The funnel's type is its outline colour, not a box around it: boxes (clusters) pulled
    the arrows into long detours round the graph. A funnel that leads back to an earlier
    stage (a referral bringing new leads) does not push the stages apart: its edge into the
    funnel leaves the ranking to the others and is drawn dashed, as a loop.
    """
    graph = _new_graph(rankdir="TB", nodesep="0.2", ranksep="0.5")
    order = {stage.id: stage.order for stage in library.stages}
    for stage in library.stages:
        _stage_node(graph, stage, stage.id, stage_href(stage))
    detailed = is_detailed(library)
    items = library.funnels if detailed else funnel_groups(library)
    for item in items:
        if detailed:
            key, label, url = (
                f"funnel-{item.id}",
                (EntryText(item.title), f" ({percent(item.end_to_end)})"),
                funnel_href(item),
            )
            kind = "fl-funnel"
        else:
            count = len(item.funnels)
            key = f"group-{item.anchor}"
            label = (
                f"{count} funnel{'s' if count != 1 else ''}: ",
                EntryText(library.stage_name(item.input)),
                " → ",
                EntryText(library.stage_name(item.output)),
            )
            url, kind = group_href(item), "fl-funnel fl-group"
        node = f"node:{key}"
        graph.add_node(
            node,
            label=label_text(*label, width=20),
            URL=url,
            **{"class": f"fl-node {kind} fl-type-{item.type} fl-id-{key}"},
        )
        handoff = " fl-handoff" if _handoff(library, item) else ""
        backward = order.get(item.output, 0) < order.get(item.input, 0)
        ends = (f"stage-{item.input}", key)
        if backward:
            graph.add_edge(
                f"stage:{item.input}",
                node,
                constraint="false",
                style="dashed",
                **{"class": _edge_class(f"fl-edge fl-back{handoff}", *ends)},
            )
        else:
            graph.add_edge(f"stage:{item.input}", node, **{"class": _edge_class(f"fl-edge fl-forward{handoff}", *ends)})
        graph.add_edge(
            node,
            f"stage:{item.output}",
            style="bold" if handoff else "solid",
            **{"class": _edge_class(f"fl-edge fl-forward{handoff}", key, f"stage-{item.output}")},
        )
    return LayoutJob(
        tuple(graph.calls),
        "dot",
        "Map of the library: funnels between the stages they connect",
        "fl-diagram-svg fl-map-svg",
    )


@dataclass
class _Placed:
    """A node of the circles drawing while it is being placed: centre and half-size in inches."""

    x: float
    y: float
    half_width: float
    half_height: float
    band: tuple[float, float] | None  # radii a funnel may sit between; None for a stage (kept on its ring)
    ring: float = 0.0
    fixed: bool = False


def _label_size(label: str, fontsize: float, *, ellipse: bool = False) -> tuple[float, float]:
    """A generous estimate of Graphviz's box for ``label`` (a :func:`label_text` result), in inches."""
    lines = label.split("\\n")[:-1] or [""]
    width = max(len(line) for line in lines) * fontsize * 0.56 / 72 + 0.3
    height = len(lines) * fontsize * 1.25 / 72 + 0.14
    if ellipse:  # Graphviz fits the text box inside the ellipse: about sqrt(2) larger each way
        width, height = width * 1.42, height * 1.42
    return width, height


def _overlap(a: _Placed, b: _Placed, pad: float) -> tuple[float, float]:
    """How far the two boxes (with ``pad`` around each) overlap along x and y; <= 0 means apart."""
    return (a.half_width + b.half_width + pad - abs(a.x - b.x), a.half_height + b.half_height + pad - abs(a.y - b.y))


def _separate(nodes: list[_Placed], *, pad: float = 0.12, rounds: int = 400) -> bool:
    """Push overlapping boxes apart, round the centre: stages slide along their ring, funnels
    also move in or out within their band. Fixed nodes (the centre, ring labels) stay.

    Returns True when no two boxes overlap. Deterministic: the same input gives the same drawing.
    """

    def overlapping(a: _Placed, b: _Placed) -> tuple[float, float] | None:
        ox, oy = _overlap(a, b, pad)
        return (ox, oy) if ox > 0 and oy > 0 else None

    for _ in range(rounds):
        moved = False
        for i, a in enumerate(nodes):
            for b in nodes[i + 1 :]:
                amount = overlapping(a, b)
                if amount is None:
                    continue
                moved = True
                gap = min(amount) / 2 + 0.02
                movers = [n for n in (a, b) if not n.fixed]
                turn = math.atan2(b.y, b.x) - math.atan2(a.y, a.x)
                turn = (turn + math.pi) % (2 * math.pi) - math.pi
                direction = 1.0 if turn > 0 or (turn == 0 and a.x <= b.x) else -1.0
                for node, sign in ((a, -direction), (b, direction)):
                    if node.fixed:
                        continue
                    step = gap * (2 if len(movers) == 1 else 1)
                    r = math.hypot(node.x, node.y)
                    angle = math.atan2(node.y, node.x) + sign * step / max(r, 0.3)
                    if node.band is not None:  # a funnel also gives way in or out
                        other = b if node is a else a
                        r += (0.5 * step) * (1 if r >= math.hypot(other.x, other.y) else -1)
                    node.x, node.y = r * math.cos(angle), r * math.sin(angle)
                    _keep_in_place(node)
        if not moved:
            return True
    return not any(overlapping(a, b) for i, a in enumerate(nodes) for b in nodes[i + 1 :])


def _keep_in_place(node: _Placed) -> None:
    """Back on its ring (a stage) or inside its band (a funnel), at the same angle."""
    r = math.hypot(node.x, node.y)
    angle = math.atan2(node.y, node.x) if r > 1e-9 else 0.0
    target = node.ring if node.band is None else min(max(r, node.band[0]), node.band[1])
    node.x, node.y = target * math.cos(angle), target * math.sin(angle)


def circles_of_trust_job(
    library: Library,
    *,
    funnel_href: Callable[[Funnel], str],
    group_href: Callable[[FunnelGroup], str],
    stage_href: Callable[[Stage], str],
) -> LayoutJob:
    """Stages on rings by trust distance (the inner circle in the middle), funnels between the rings they connect.

    Graphviz draws what is placed here (every position pinned): stages on their ring, each
    funnel between the rings of its two stages near their mean angle. Boxes are estimated
    from their labels and pushed apart until none overlap; when that cannot be done the
    rings are spread wider and placement starts again, so no two boxes ever cover each other.
    """
    detailed = is_detailed(library)
    items = list(library.funnels) if detailed else funnel_groups(library)
    labels = _CircleLabels.of(library, items, detailed)
    nodes, radius = _place_on_circles(library, items, labels, detailed)
    # Straight edges: spline routing needs non-overlapping nodes, and the rings overlap everything.
    graph = _new_graph(outputorder="nodesfirst", splines="false", overlap="true")
    _draw_rings(graph, labels, nodes, radius)
    for stage in library.stages:
        placed = nodes[f"stage-{stage.id}"]
        _stage_node(graph, stage, stage.id, stage_href(stage), pos=f"{placed.x:.2f},{placed.y:.2f}!")
    for item in items:
        key = _circle_key(item, detailed)
        placed = nodes[key]
        url = funnel_href(item) if detailed else group_href(item)
        node = f"node:{key}"
        graph.add_node(
            node,
            label=labels.items[key],
            URL=url,
            pos=f"{placed.x:.2f},{placed.y:.2f}!",
            fontsize="10",
            **{"class": f"fl-node fl-funnel fl-type-{item.type} fl-id-{key}" + ("" if detailed else " fl-group")},
        )
        graph.add_edge(
            f"stage:{item.input}", node, **{"class": _edge_class("fl-edge fl-forward", f"stage-{item.input}", key)}
        )
        graph.add_edge(
            node, f"stage:{item.output}", **{"class": _edge_class("fl-edge fl-forward", key, f"stage-{item.output}")}
        )
    return LayoutJob(
        tuple(graph.calls),
        "neato",
        "Circles of trust: stages on rings by trust distance, the inner circle in the middle",
        "fl-diagram-svg fl-circles-svg",
    )


def _circle_key(item: Funnel | FunnelGroup, detailed: bool) -> str:
    return f"funnel-{item.id}" if detailed else f"group-{item.anchor}"


@dataclass(frozen=True)
class _CircleLabels:
    """The labels of the circles of trust: stages, funnels (or groups) and rings, by key."""

    distances: list[int]
    stages: dict[str, str]
    items: dict[str, str]
    rings: dict[int, str]

    @classmethod
    def of(cls, library: Library, items: list, detailed: bool) -> _CircleLabels:
        distances = sorted({stage.trust_distance for stage in library.stages})
        return cls(
            distances,
            {stage.id: label_text(EntryText(stage.name), width=18) for stage in library.stages},
            {
                _circle_key(item, detailed): label_text(
                    EntryText(item.title) if detailed else f"{len(item.funnels)} funnels", width=16
                )
                for item in items
            },
            {
                d: label_text("inner circle" if d == 0 else f"{d} step{'s' if d != 1 else ''} from the inner circle")
                for d in distances
            },
        )


def _place_on_circles(
    library: Library, items: list, labels: _CircleLabels, detailed: bool
) -> tuple[dict[str, _Placed], dict[int, float]]:
    """Every box's position, and each ring's radius: the rings are spread until no boxes overlap."""
    inner = (
        [stage for stage in library.stages if stage.trust_distance == labels.distances[0]] if labels.distances else []
    )
    centre = _label_size(labels.stages[inner[0].id], 11, ellipse=True)[0] / 2 if len(inner) == 1 else 0.0
    ring_gap = 1.3  # inches between rings, widened until everything fits
    for _attempt in range(30):
        # The first ring starts clear of the centre stage's own width.
        radius = {d: ring_gap * index + (centre if index else 0.0) for index, d in enumerate(labels.distances)}
        nodes = _placed_stages(library, labels, radius, ring_gap)
        for distance in labels.distances:
            if radius[distance]:
                w, h = _label_size(labels.rings[distance], 10)
                nodes[f"ring-{distance}"] = _Placed(
                    0.0, radius[distance] - h / 2 - 0.12, w / 2, h / 2, None, fixed=True
                )
        for item in items:
            key = _circle_key(item, detailed)
            nodes[key] = _placed_between(
                nodes.get(f"stage-{item.input}"), nodes.get(f"stage-{item.output}"), ring_gap, centre, labels.items[key]
            )
        if _separate(list(nodes.values())):
            break
        ring_gap *= 1.08
    return nodes, radius


def _placed_stages(
    library: Library, labels: _CircleLabels, radius: dict[int, float], ring_gap: float
) -> dict[str, _Placed]:
    nodes: dict[str, _Placed] = {}
    for distance in labels.distances:
        ring = [stage for stage in library.stages if stage.trust_distance == distance]
        for stage in ring:
            w, h = _label_size(labels.stages[stage.id], 11, ellipse=True)
            if radius[distance] == 0 and len(ring) == 1:
                x = y = 0.0
            else:
                # A spiral in journey order, clockwise from the top: each stage sits next to
                # the stages it leads to, so funnels stay short and arrows rarely cross.
                angle = math.pi / 2 - 2 * math.pi * stage.order / len(library.stages)
                r = radius[distance] or ring_gap * 0.45
                x, y = r * math.cos(angle), r * math.sin(angle)
            nodes[f"stage-{stage.id}"] = _Placed(x, y, w / 2, h / 2, None, ring=math.hypot(x, y), fixed=(x == y == 0.0))
    return nodes


def _placed_between(start: _Placed | None, end: _Placed | None, ring_gap: float, centre: float, label: str) -> _Placed:
    """A funnel's box between the rings of its two stages, near their mean angle."""
    points = [(n.x, n.y) for n in (start, end) if n is not None]
    angles = [math.atan2(y, x) for x, y in points if math.hypot(x, y) > 1e-6]
    angle = math.atan2(sum(math.sin(a) for a in angles), sum(math.cos(a) for a in angles)) if angles else 0.0
    radii = sorted(math.hypot(x, y) for x, y in points) or [0.0]
    low, high = radii[0], radii[-1]
    if high - low < ring_gap * 0.5:  # both stages on one ring: just inside it
        low, high = max(high - ring_gap * 0.8, ring_gap * 0.4), max(high - ring_gap * 0.2, ring_gap * 0.5)
    floor = low + (centre if low == 0 else 0.0) + ring_gap * 0.2
    band = (floor, max(high - ring_gap * 0.2, floor))
    r = (band[0] + band[1]) / 2
    w, h = _label_size(label, 10)
    return _Placed(r * math.cos(angle), r * math.sin(angle), w / 2, h / 2, band)


def _draw_rings(graph: Any, labels: _CircleLabels, nodes: dict[str, _Placed], radius: dict[int, float]) -> None:
    for distance in reversed(labels.distances):  # outer rings first, so inner ones are drawn on top
        if radius[distance] == 0:
            continue
        size = f"{2 * radius[distance]:.2f}"
        graph.add_node(
            f"ring:{distance}",
            label="",
            shape="circle",
            width=size,
            height=size,
            fixedsize="true",
            pos="0,0!",
            style="dashed",
            **{"class": "fl-ring"},
        )
        label = nodes[f"ring-{distance}"]
        graph.add_node(
            f"ring-label:{distance}",
            label=labels.rings[distance],
            shape="plaintext",
            pos=f"{label.x:.2f},{label.y:.2f}!",
            fontsize="10",
            **{"class": "fl-ring-label"},
        )


def journey_diagram_job(library: Library, journey: Journey, *, funnel_href: Callable[[Funnel], str]) -> LayoutJob:
    """The journey as a chain: stage, funnel, stage, funnel, ... (a loop closes on its first stage)."""
    funnels = [library.funnel(funnel_id) for funnel_id in journey.funnels]
    # Top to bottom: a chain of three funnels is seven boxes, wider than a page column laid
    # left to right (a single funnel still reads left to right).
    graph = _new_graph(rankdir="LR" if len(funnels) == 1 else "TB", nodesep="0.3", ranksep="0.3")
    for funnel in funnels:
        for stage_id in (funnel.input, funnel.output):
            if not graph.has_node(f"stage:{stage_id}"):
                _stage_node(graph, library.stage(stage_id), stage_id, None)
    for index, funnel in enumerate(funnels, start=1):
        node = f"funnel:{index}"
        graph.add_node(
            node,
            label=label_text(f"{index}. ", EntryText(funnel.title), f" ({percent(funnel.end_to_end)})", width=22),
            URL=funnel_href(funnel),
            **{"class": f"fl-node fl-funnel fl-type-{funnel.type}"},
        )
        graph.add_edge(f"stage:{funnel.input}", node, **{"class": "fl-edge fl-forward"})
        closing = journey.loop and index == len(funnels)
        graph.add_edge(
            node,
            f"stage:{funnel.output}",
            constraint="false" if closing else "true",
            style="dashed" if closing else "solid",
            **{"class": "fl-edge fl-flow fl-flow-loop" if closing else "fl-edge fl-forward"},
        )
    return LayoutJob(
        tuple(graph.calls),
        "dot",
        f"The journey {isolated_text(journey.title)} as a chain of funnels",
        "fl-diagram-svg fl-journey-svg",
    )
