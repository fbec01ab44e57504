"""The circles of trust: the journey's stages on rings by their distance from the inner circle, and
the funnels between the rings they link. Every funnel box and ring label sits whole between two
neighbouring rings, the rings widen only where their own boxes need it, and the arrows are routed
round every box and label before they are drawn over the rings.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from ..core.library import Library
from ..core.model import Funnel, Stage
from .labels import EntryText, label_size, label_text
from .layout import LayoutJob
from .maps import FunnelGroup, edge_class, funnel_groups, is_detailed, new_map_graph, stage_node


@dataclass
class _Placed:
    """A node of the circles drawing while it is being placed: centre and half-size in inches."""

    x: float
    y: float
    half_width: float
    half_height: float
    band: tuple[float, float] | None  # the rings a funnel's whole box sits between; None for a stage (kept on its ring)
    ring: float = 0.0
    fixed: bool = False


def _overlap(a: _Placed, b: _Placed, pad: float) -> tuple[float, float]:
    """How far the two boxes (with ``pad`` around each) overlap along x and y; <= 0 means apart."""
    return (a.half_width + b.half_width + pad - abs(a.x - b.x), a.half_height + b.half_height + pad - abs(a.y - b.y))


def _separate(nodes: list[_Placed], *, pad: float = 0.2, rounds: int = 120, patience: int = 25) -> bool:
    """Push overlapping boxes apart, round the centre: stages slide along their ring, funnels
    also move in or out within their band. Fixed nodes (the centre, ring labels) stay. Gives up
    (so the rings widen) after ``rounds``, or once ``patience`` rounds in a row have not brought
    the number of overlapping pairs below the least seen.

    Returns True when no two boxes overlap. Deterministic: the same input gives the same drawing.
    """

    def overlapping(a: _Placed, b: _Placed) -> tuple[float, float] | None:
        ox, oy = _overlap(a, b, pad)
        return (ox, oy) if ox > 0 and oy > 0 else None

    least, since = len(nodes) ** 2, 0
    for _ in range(rounds):
        moved = False
        pairs = 0
        for i, a in enumerate(nodes):
            for b in nodes[i + 1 :]:
                # _overlap, written out: this test runs millions of times on a large library
                ox = a.half_width + b.half_width + pad - abs(a.x - b.x)
                if ox <= 0:
                    continue
                oy = a.half_height + b.half_height + pad - abs(a.y - b.y)
                if oy <= 0:
                    continue
                moved = True
                pairs += 1
                gap = min(ox, oy) / 2 + 0.02
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
        least, since = (pairs, 0) if pairs < least else (least, since + 1)
        if since >= patience:
            break
    return not any(overlapping(a, b) for i, a in enumerate(nodes) for b in nodes[i + 1 :])


#: The clearance between a ring and a box or label beside it, in inches.
RING_CLEARANCE = 0.08


#: The rings are ellipses this much less tall than wide, as the frame that shows them is. Placement
#: works on circles, in a space where every height is divided by this; drawing multiplies it back.
RING_ASPECT = 0.62


def _reach(node: _Placed, r: float, angle: float) -> tuple[float, float]:
    """The nearest and farthest distances from the centre of ``node``'s box centred at ``r``, ``angle``."""
    x, y = abs(r * math.cos(angle)), abs(r * math.sin(angle))
    near_x, near_y = max(0.0, x - node.half_width), max(0.0, y - node.half_height)
    return math.hypot(near_x, near_y), math.hypot(x + node.half_width, y + node.half_height)


def _band_radii(node: _Placed, angle: float) -> tuple[float, float]:
    """The least and greatest radius, along ``angle``, at which the whole box stays between the rings of its band
    (by :data:`RING_CLEARANCE`); the least is greater when there is no such radius.

    Both ends are solved in closed form: along a ray, the box's nearest and farthest distances
    from the centre (:func:`_reach`) grow with its radius, piecewise linearly or as a circle's."""
    assert node.band is not None
    inner, outer = node.band[0] + RING_CLEARANCE if node.band[0] > 0 else 0.0, node.band[1] - RING_CLEARANCE
    top = max(outer, 0.0)
    c, s = abs(math.cos(angle)), abs(math.sin(angle))
    hw, hh = node.half_width, node.half_height
    corner = hw * c + hh * s  # the box's reach along the ray beyond its centre
    least = _nearest_reaches(inner, c, s, hw, hh, corner)
    # The farthest corner reaches (r*c + hw, r*s + hh): beyond ``outer`` from the root of a quadratic on.
    if math.hypot(hw, hh) > outer:
        beyond = 0.0
    else:
        beyond = -corner + math.sqrt(max(corner * corner - (hw * hw + hh * hh - outer * outer), 0.0))
    return (least if least <= top else math.inf), min(beyond, top)


def _nearest_reaches(inner: float, c: float, s: float, hw: float, hh: float, corner: float) -> float:
    """The least radius at which the nearest point of a box (half-size ``hw`` × ``hh``) on a ray with
    |cos| ``c`` and |sin| ``s`` is ``inner`` from the centre."""
    if inner <= 0:
        return 0.0
    # The nearest point stays at the centre until the box's edges pass it: x clears at hw/c, y at hh/s.
    clear_x = hw / c if c > 1e-12 else math.inf
    clear_y = hh / s if s > 1e-12 else math.inf
    if clear_x < clear_y and (r := (inner + hw) / c) <= clear_y:
        return r  # only x has cleared: the nearest point moves out along x
    if clear_y < clear_x and (r := (inner + hh) / s) <= clear_x:
        return r
    # Both cleared: (r*c - hw)^2 + (r*s - hh)^2 = inner^2, the larger root.
    return corner + math.sqrt(max(corner * corner - (hw * hw + hh * hh - inner * inner), 0.0))


def _keep_in_place(node: _Placed) -> None:
    """Back on its ring (a stage) or with its whole box inside its band (a funnel), at the same angle."""
    r = math.hypot(node.x, node.y)
    angle = math.atan2(node.y, node.x) if r > 1e-9 else 0.0
    if node.band is None:
        target = node.ring
    else:
        least, most = _band_radii(node, angle)
        if least == math.inf:  # too big for the band: the middle of it, until the band is widened
            target = sum(node.band) / 2
        else:
            target = (least + most) / 2 if least > most else min(max(r, least), most)
    node.x, node.y = target * math.cos(angle), target * math.sin(angle)


def _in_band(node: _Placed) -> bool:
    """Whether a funnel's whole box lies between the rings of its band (a stage or a fixed label: always)."""
    if node.band is None:
        return True
    near, far = _reach(node, math.hypot(node.x, node.y), math.atan2(node.y, node.x))
    inner = node.band[0] + RING_CLEARANCE if node.band[0] > 0 else 0.0
    return near >= inner - 1e-6 and far <= node.band[1] - RING_CLEARANCE + 1e-6


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
    spots = tuple(_StageSpot(stage.id, stage.trust_distance, stage.order) for stage in library.stages)
    ends = tuple((_circle_key(item, detailed), item.input, item.output) for item in items)
    nodes, radius = _place_on_circles(spots, ends, labels)
    # Edges are routed round every box and label (not the rings, which they must cross), then drawn
    # over the rings: positions are in points, pinned (Graphviz's "nop2").
    graph = new_map_graph(outputorder="nodesfirst", splines="true", esep="+3", pad="0.1")
    _draw_rings(graph, labels, nodes, radius)
    for stage in library.stages:
        placed = nodes[f"stage-{stage.id}"]
        stage_node(graph, stage, stage.id, stage_href(stage), pos=_points(placed))
    for item in items:
        key = _circle_key(item, detailed)
        placed = nodes[key]
        url = funnel_href(item) if isinstance(item, Funnel) else group_href(item)
        node = f"node:{key}"
        graph.add_node(
            node,
            label=labels.items[key],
            URL=url,
            pos=_points(placed),
            fontsize="10",
            **{"class": f"fl-node fl-funnel fl-type-{item.type} fl-id-{key}" + ("" if detailed else " fl-group")},
        )
        graph.add_edge(
            f"stage:{item.input}", node, **{"class": edge_class("fl-edge fl-forward", f"stage-{item.input}", key)}
        )
        graph.add_edge(
            node, f"stage:{item.output}", **{"class": edge_class("fl-edge fl-forward", key, f"stage-{item.output}")}
        )
    return LayoutJob(
        tuple(graph.calls),
        "nop2",
        "Circles of trust: stages on rings by trust distance, the inner circle in the middle",
        "fl-diagram-svg fl-circles-svg",
        unrouted=tuple(f"ring:{d}" for d in labels.distances if radius[d]),
    )


def _points(node: _Placed) -> str:
    """A placed node's position for Graphviz, in points (heights back from the circles' space)."""
    return f"{node.x * 72:.1f},{node.y * RING_ASPECT * 72:.1f}"


def _circle_key(item: Funnel | FunnelGroup, detailed: bool) -> str:
    """A funnel's key in a detailed drawing, a group's otherwise (the items are one or the other)."""
    return f"funnel-{item.id}" if isinstance(item, Funnel) else f"group-{item.anchor}"


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
                    EntryText(item.title)
                    if detailed
                    else f"{len(item.funnels)} funnel{'s' if len(item.funnels) != 1 else ''}",
                    width=16,
                )
                for item in items
            },
            {
                d: label_text(
                    "inner circle" if d == 0 else f"{d} step{'s' if d != 1 else ''} from the inner circle", width=16
                )
                for d in distances
            },
        )


@dataclass(frozen=True)
class _StageSpot:
    """What placing a stage on the circles reads of it."""

    id: str
    trust_distance: int
    order: int


#: Placements made in this process, by their inputs: a placement is a pure function of them, and
#: `mkdocs serve` redraws the circles on every rebuild.
_PLACEMENTS: dict[str, tuple[dict[str, _Placed], dict[int, float]]] = {}


def _place_on_circles(
    stages: tuple[_StageSpot, ...], ends: tuple[tuple[str, str, str], ...], labels: _CircleLabels
) -> tuple[dict[str, _Placed], dict[int, float]]:
    """Every box's position, and each ring's radius: the rings are spread until no boxes overlap.
    ``ends``: each funnel's (or group's) key and the stages it runs from and to."""
    key = repr((stages, ends, labels))
    if key not in _PLACEMENTS:
        if len(_PLACEMENTS) >= 8:
            _PLACEMENTS.pop(next(iter(_PLACEMENTS)))
        _PLACEMENTS[key] = _placement(stages, ends, labels)
    nodes, radius = _PLACEMENTS[key]
    return {k: replace(node) for k, node in nodes.items()}, dict(radius)


def _placement(
    stages: tuple[_StageSpot, ...], ends: tuple[tuple[str, str, str], ...], labels: _CircleLabels
) -> tuple[dict[str, _Placed], dict[int, float]]:
    inner = [stage for stage in stages if stage.trust_distance == labels.distances[0]] if labels.distances else []
    centre = label_size(labels.stages[inner[0].id], 11, ellipse=True)[0] / 2 if len(inner) == 1 else 0.0
    # Inches between each ring and the next, each widened while the boxes between them do not fit.
    gaps = [1.0] * max(len(labels.distances) - 1, 0)
    for _attempt in range(60):
        # The first ring starts clear of the centre stage's own width.
        radius = {d: sum(gaps[:index]) + (centre if index else 0.0) for index, d in enumerate(labels.distances)}
        ring_gap = min(gaps, default=1.0)
        nodes = _placed_stages(stages, labels, radius, ring_gap)
        rings = sorted({0.0, *radius.values()})
        for distance in labels.distances:
            if radius[distance]:
                # Inside its ring, at the top, as close to the ring as its whole box allows.
                w, h = label_size(labels.rings[distance], 10)
                index = rings.index(radius[distance])
                label = _Placed(0.0, 0.0, w / 2, h / 2 / RING_ASPECT, (rings[index - 1], rings[index]), fixed=True)
                label.y = max(0.0, _band_radii(label, math.pi / 2)[1])
                nodes[f"ring-{distance}"] = label
        for item_key, start, end in ends:
            nodes[item_key] = _placed_between(
                nodes.get(f"stage-{start}"), nodes.get(f"stage-{end}"), rings, labels.items[item_key]
            )
        placed = list(nodes.values())
        if _separate(placed) and all(_in_band(node) for node in placed):
            break
        crowded = _crowded(placed, rings)
        gaps = [gap * (1.12 if index in crowded or not crowded else 1.0) for index, gap in enumerate(gaps)]
    return nodes, radius


def _crowded(nodes: list[_Placed], rings: list[float]) -> set[int]:
    """The spaces between rings (0: between the centre's ring and the next) that hold a box out of its
    band or covering another: those to widen."""

    def space(node: _Placed) -> int:  # the space whose outer ring is the first at or beyond the node
        r = node.band[1] if node.band is not None else math.hypot(node.x, node.y)
        outer = next((index for index, ring in enumerate(rings) if ring >= r - 1e-6), len(rings) - 1)
        return min(max(outer - 1, 0), len(rings) - 2)

    crowded = {space(node) for node in nodes if not _in_band(node)}
    for i, a in enumerate(nodes):
        for b in nodes[i + 1 :]:
            ox, oy = _overlap(a, b, 0.2)
            if ox > 0 and oy > 0:
                crowded |= {space(a), space(b)}
    return {index for index in crowded if index >= 0}


def _placed_stages(
    stages: tuple[_StageSpot, ...], labels: _CircleLabels, radius: dict[int, float], ring_gap: float
) -> dict[str, _Placed]:
    nodes: dict[str, _Placed] = {}
    for distance in labels.distances:
        ring = [stage for stage in stages if stage.trust_distance == distance]
        for stage in ring:
            w, h = label_size(labels.stages[stage.id], 11, ellipse=True)
            if radius[distance] == 0 and len(ring) == 1:
                x = y = 0.0
            else:
                # A spiral in journey order, clockwise from the top: each stage sits next to
                # the stages it leads to, so funnels stay short and arrows rarely cross.
                angle = math.pi / 2 - 2 * math.pi * stage.order / len(stages)
                r = radius[distance] or ring_gap * 0.45
                x, y = r * math.cos(angle), r * math.sin(angle)
            nodes[f"stage-{stage.id}"] = _Placed(
                x, y, w / 2, h / 2 / RING_ASPECT, None, ring=math.hypot(x, y), fixed=(x == y == 0.0)
            )
    return nodes


def _placed_between(start: _Placed | None, end: _Placed | None, rings: list[float], label: str) -> _Placed:
    """A funnel's box between two neighbouring rings on the way between its two stages (so that
    no ring crosses it), near their mean angle. Two stages on one ring: just inside that ring."""
    points = [(n.x, n.y) for n in (start, end) if n is not None]
    angles = [math.atan2(y, x) for x, y in points if math.hypot(x, y) > 1e-6]
    angle = math.atan2(sum(math.sin(a) for a in angles), sum(math.cos(a) for a in angles)) if angles else 0.0
    nearest = sorted(min(range(len(rings)), key=lambda i: abs(rings[i] - math.hypot(x, y))) for x, y in points) or [0]
    low, high = nearest[0], nearest[-1]
    if high > low:
        inner = (low + high - 1) // 2
    else:
        inner = max(low - 1, 0)
    outer = min(inner + 1, len(rings) - 1)
    band = (rings[inner], rings[outer] if outer > inner else rings[inner] + 1.0)
    w, h = label_size(label, 10)
    node = _Placed(0.0, 0.0, w / 2, h / 2 / RING_ASPECT, band)
    node.x, node.y = math.cos(angle), math.sin(angle)
    _keep_in_place(node)
    return node


def _draw_rings(graph: Any, labels: _CircleLabels, nodes: dict[str, _Placed], radius: dict[int, float]) -> None:
    for distance in reversed(labels.distances):  # outer rings first, so inner ones are drawn on top
        if radius[distance] == 0:
            continue
        graph.add_node(
            f"ring:{distance}",
            label="",
            shape="ellipse",
            width=f"{2 * radius[distance]:.3f}",
            height=f"{2 * radius[distance] * RING_ASPECT:.3f}",
            fixedsize="true",
            pos="0,0",
            style="dashed",
            **{"class": "fl-ring"},
        )
        label = nodes[f"ring-{distance}"]
        graph.add_node(
            f"ring-label:{distance}",
            label=labels.rings[distance],
            shape="plaintext",
            pos=_points(label),
            fontsize="10",
            **{"class": "fl-ring-label"},
        )
