"""Diagrams of the whole library: the map, the circles of trust, and journey chains.

Like funnel diagrams, these are built here as Graphviz graphs, with entry text set only
through escaped labels, and handed over as layout jobs: the caller lays them out
(in a worker process, in the build) and they are rebuilt from the same allow-list by
:func:`clean_svg`. Node links come from the caller (``href``), so they are always our own
site-relative addresses.

Scale: the map is drawn to show whole in a 1440 × 900 screen's frame with labels of 12 px or
more. While a box per funnel fits (and up to :data:`MAP_DETAIL_LIMIT` funnels), each funnel is
drawn; otherwise funnels that make the same move (same type, same input and output stage) are
drawn as one node that says how many there are and links to the list of them, so the picture
stays legible at 200 or 5,000 funnels (a library of very many stages may still need shrinking).
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..core.library import Library
from ..core.model import FUNNEL_TYPES, Funnel, Journey, Stage
from .diagrams import FONT, EntryText, label_text, new_graph, percent
from .isolation import isolated_text
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


#: The frame the map is drawn to fit at its natural size, in points (CSS px × 3/4): a 1440 × 900
#: screen's diagram frame (about 1,186 × 718 px) less the drawing's margins and room for arrows
#: routed round the edge. The labels are set at the largest of :data:`MAP_FONTS` for which the whole
#: map fits; the smallest, 9.1 pt, is 12.1 px on screen (the viewer's Fit may take a pixel or two off).
MAP_FRAME = (870.0, 520.0)
MAP_FONTS = (11.0, 10.5, 10.0, 9.5, 9.1)
_MAP_INDENT, _MAP_VGAP, _MAP_COLUMN_GAP, _MAP_ROW_GAP = 14.0, 8.0, 32.0, 30.0
_MAP_WRAPS = (18, 22, 26)  # characters to a line of a funnel's label


@dataclass(frozen=True)
class _MapItem:
    """A box on the map (a funnel, or a group of funnels that make the same move)."""

    key: str
    label: str
    url: str
    kind: str
    type: str
    input: str
    output: str
    handoff: bool


@dataclass
class _Block:
    """One stage's column: the stage on top, the funnels that start there under it."""

    stage: Stage
    label: str
    items: list[_MapItem]
    font: float
    width: float = 0.0
    height: float = 0.0

    def box(self, label: str) -> tuple[float, float]:
        """A generous estimate of the box Graphviz draws round ``label``, in points."""
        width, height = _label_size(label, self.font, smallest=False)
        return width * 72, height * 72


def _map_blocks(library: Library, items: list[_MapItem], font: float) -> list[_Block]:
    blocks = []
    for stage in library.stages:
        block = _Block(
            stage, label_text(EntryText(stage.name), width=18), [i for i in items if i.input == stage.id], font
        )
        widths = [block.box(block.label)[0]] + [block.box(i.label)[0] + _MAP_INDENT for i in block.items]
        block.width = max(widths)
        block.height = block.box(block.label)[1] + sum(block.box(i.label)[1] + _MAP_VGAP for i in block.items)
        blocks.append(block)
    return blocks


def _map_plan(library: Library, *, detailed: bool, **links: Callable) -> tuple[list[list[_Block]], bool]:
    """The map's rows of stage columns at the largest font that fits :data:`MAP_FRAME` (its labels
    wrapped to whichever width fits best), and whether it fits (at the smallest font, when none does)."""
    for font in MAP_FONTS:
        plans = []
        for wrap in _MAP_WRAPS:
            items = _map_items(library, detailed=detailed, wrap=wrap, **links)
            plans.append(_map_rows(_map_blocks(library, items, font)))
        rows, scale = max(plans, key=lambda plan: plan[1])
        if scale >= 1.0:
            return rows, True
    return rows, False


def _map_rows(blocks: list[_Block]) -> tuple[list[list[_Block]], float]:
    """The blocks wrapped into rows (journey order, left to right, then the next row), and the
    scale at which the whole fits :data:`MAP_FRAME`: the number per row that needs the least shrinking."""
    best: tuple[float, list[list[_Block]]] = (-1.0, [blocks])
    for per_row in range(1, len(blocks) + 1):
        rows = [blocks[start : start + per_row] for start in range(0, len(blocks), per_row)]
        width = max(sum(b.width for b in row) + _MAP_COLUMN_GAP * (len(row) - 1) for row in rows)
        height = sum(max(b.height for b in row) for row in rows) + _MAP_ROW_GAP * (len(rows) - 1)
        scale = min(1.0, MAP_FRAME[0] / max(width, 1), MAP_FRAME[1] / max(height, 1))
        if scale > best[0] + 1e-9 or (scale >= best[0] - 1e-9 and len(rows) < len(best[1])):
            best = (scale, rows)  # the least shrinking, then the fewest rows: wider than tall
    return best[1], best[0]


def _map_items(library: Library, *, detailed: bool, wrap: int, funnel_href, group_href) -> list[_MapItem]:
    if detailed:
        return [
            _MapItem(
                f"funnel-{f.id}",
                label_text(EntryText(f.title), f" ({percent(f.end_to_end)})", width=wrap),
                funnel_href(f),
                "fl-funnel",
                f.type,
                f.input,
                f.output,
                _handoff(library, f),
            )
            for f in library.funnels
        ]
    items = []
    for group in funnel_groups(library):
        count = len(group.funnels)
        label = label_text(
            f"{count} funnel{'s' if count != 1 else ''} to ", EntryText(library.stage_name(group.output)), width=wrap
        )
        items.append(
            _MapItem(
                f"group-{group.anchor}",
                label,
                group_href(group),
                "fl-funnel fl-group",
                group.type,
                group.input,
                group.output,
                _handoff(library, group),
            )
        )
    return items


def is_detailed(library: Library) -> bool:
    """Whether the map and the circles draw a box per funnel: up to :data:`MAP_DETAIL_LIMIT` funnels,
    and only while the map of them fits its frame with labels of 12 px; otherwise a box per move."""
    if len(library.funnels) > MAP_DETAIL_LIMIT:
        return False
    return _map_plan(library, detailed=True, funnel_href=lambda f: "", group_href=lambda g: "")[1]


def _straight(*points: tuple[float, float]) -> str:
    """A polyline as Graphviz's spline (cubic Bézier pieces with their control points on the line)."""
    out = [points[0]]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        out += [(x0 + (x1 - x0) / 3, y0 + (y1 - y0) / 3), (x0 + 2 * (x1 - x0) / 3, y0 + 2 * (y1 - y0) / 3), (x1, y1)]
    return " ".join(f"{x:.1f},{-y:.1f}" for x, y in out)


def library_map_job(
    library: Library,
    *,
    funnel_href: Callable[[Funnel], str],
    group_href: Callable[[FunnelGroup], str],
    stage_href: Callable[[Stage], str],
) -> LayoutJob:
    """Every funnel under the stage it starts from, with an arrow to the stage it delivers to.

    Each stage is a column, in journey order from left to right, with the funnels that start
    there stacked under it (a line from the stage branches into each). The columns wrap into
    rows so that the whole map fits a wide screen's frame with labels of 12 px or more: the map
    is wider than tall, and is read like a page. A funnel's outline colour is its type; its
    arrow to the stage it delivers to is routed round every other box by Graphviz, bold for a
    hand-off between teams and dashed when it leads back to an earlier stage (a referral
    bringing new leads). Positions are computed here and pinned; Graphviz routes and draws.
    """
    detailed = is_detailed(library)
    rows, _fits = _map_plan(library, detailed=detailed, funnel_href=funnel_href, group_href=group_href)
    graph = _new_graph(splines="true", outputorder="edgesfirst", esep="+3", pad="0.1")
    graph.node_attr.update(fontsize=f"{rows[0][0].font:g}" if rows and rows[0] else "11")
    order = {stage.id: stage.order for stage in library.stages}
    top = 0.0
    for row in rows:
        left = 0.0
        for block in row:
            stage = block.stage
            _sw, sh = block.box(block.label)
            sx, sy = left + block.width / 2, top + sh / 2
            _stage_node(
                graph,
                stage,
                stage.id,
                stage_href(stage),
                shape="box",
                style="rounded,bold",
                width=f"{block.width / 72:.3f}",
                height=f"{sh / 72:.3f}",
                pos=f"{sx:.1f},{-sy:.1f}",
            )
            y = top + sh + _MAP_VGAP
            spine = left + _MAP_INDENT / 2
            for item in block.items:
                _iw, ih = block.box(item.label)
                cy = y + ih / 2
                node = f"node:{item.key}"
                graph.add_node(
                    node,
                    label=item.label,
                    URL=item.url,
                    width=f"{(block.width - _MAP_INDENT) / 72:.3f}",
                    height=f"{ih / 72:.3f}",
                    pos=f"{left + _MAP_INDENT + (block.width - _MAP_INDENT) / 2:.1f},{-cy:.1f}",
                    **{"class": f"fl-node {item.kind} fl-type-{item.type} fl-id-{item.key}"},
                )
                # From the stage down its column's spine and into the box: pinned, not routed.
                graph.add_edge(
                    f"stage:{stage.id}",
                    node,
                    pos=f"e,{left + _MAP_INDENT:.1f},{-cy:.1f} "
                    + _straight((spine, top + sh), (spine, cy), (left + _MAP_INDENT - 6, cy)),
                    **{"class": _edge_class("fl-edge fl-start", f"stage-{stage.id}", item.key)},
                )
                handoff = " fl-handoff" if item.handoff else ""
                backward = order.get(item.output, 0) < order.get(item.input, 0)
                graph.add_edge(
                    node,
                    f"stage:{item.output}",
                    style="dashed" if backward else ("bold" if item.handoff else "solid"),
                    **{
                        "class": _edge_class(
                            f"fl-edge {'fl-back' if backward else 'fl-forward'}{handoff}",
                            item.key,
                            f"stage-{item.output}",
                        )
                    },
                )
                y += ih + _MAP_VGAP
            left += block.width + _MAP_COLUMN_GAP
        top += max(b.height for b in row) + _MAP_ROW_GAP
    return LayoutJob(
        tuple(graph.calls),
        "nop2",
        "Map of the library: each stage with the funnels that start there, and where they lead",
        "fl-diagram-svg fl-map-svg",
    )


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


def _label_size(label: str, fontsize: float, *, ellipse: bool = False, smallest: bool = True) -> tuple[float, float]:
    """A generous estimate of Graphviz's box for ``label`` (a :func:`label_text` result), in inches."""
    lines = label.split("\\n")[:-1] or [""]
    width = max(len(line) for line in lines) * fontsize * 0.56 / 72 + 0.3
    height = len(lines) * fontsize * 1.25 / 72 + 0.14
    if ellipse:  # Graphviz fits the text box inside the ellipse: about sqrt(2) larger each way
        width, height = width * 1.42, height * 1.42
    if not smallest:  # the node's size is given: Graphviz's smallest node does not apply
        return width, height
    return max(width, 0.75), max(height, 0.5)


def _overlap(a: _Placed, b: _Placed, pad: float) -> tuple[float, float]:
    """How far the two boxes (with ``pad`` around each) overlap along x and y; <= 0 means apart."""
    return (a.half_width + b.half_width + pad - abs(a.x - b.x), a.half_height + b.half_height + pad - abs(a.y - b.y))


def _separate(nodes: list[_Placed], *, pad: float = 0.2, rounds: int = 400) -> bool:
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
    (by :data:`RING_CLEARANCE`); the least is greater when there is no such radius."""
    assert node.band is not None
    inner, outer = node.band[0] + RING_CLEARANCE if node.band[0] > 0 else 0.0, node.band[1] - RING_CLEARANCE

    def solve(test) -> float:  # the least r in [0, outer] for which test(r) holds (test is monotonic)
        low, high = 0.0, max(outer, 0.0)
        if test(low):
            return low
        if not test(high):
            return math.inf
        for _ in range(40):
            mid = (low + high) / 2
            low, high = (low, mid) if test(mid) else (mid, high)
        return high

    least = solve(lambda r: _reach(node, r, angle)[0] >= inner)
    beyond = solve(lambda r: _reach(node, r, angle)[1] > outer)
    return least, (beyond if beyond != math.inf else max(outer, 0.0))


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
    nodes, radius = _place_on_circles(library, items, labels, detailed)
    # Edges are routed round every box and label (not the rings, which they must cross), then drawn
    # over the rings: positions are in points, pinned (Graphviz's "nop2").
    graph = _new_graph(outputorder="nodesfirst", splines="true", esep="+3", pad="0.1")
    _draw_rings(graph, labels, nodes, radius)
    for stage in library.stages:
        placed = nodes[f"stage-{stage.id}"]
        _stage_node(graph, stage, stage.id, stage_href(stage), pos=_points(placed))
    for item in items:
        key = _circle_key(item, detailed)
        placed = nodes[key]
        url = funnel_href(item) if detailed else group_href(item)
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
            f"stage:{item.input}", node, **{"class": _edge_class("fl-edge fl-forward", f"stage-{item.input}", key)}
        )
        graph.add_edge(
            node, f"stage:{item.output}", **{"class": _edge_class("fl-edge fl-forward", key, f"stage-{item.output}")}
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


def _place_on_circles(
    library: Library, items: list, labels: _CircleLabels, detailed: bool
) -> tuple[dict[str, _Placed], dict[int, float]]:
    """Every box's position, and each ring's radius: the rings are spread until no boxes overlap."""
    inner = (
        [stage for stage in library.stages if stage.trust_distance == labels.distances[0]] if labels.distances else []
    )
    centre = _label_size(labels.stages[inner[0].id], 11, ellipse=True)[0] / 2 if len(inner) == 1 else 0.0
    # Inches between each ring and the next, each widened while the boxes between them do not fit.
    gaps = [1.0] * max(len(labels.distances) - 1, 0)
    for _attempt in range(60):
        # The first ring starts clear of the centre stage's own width.
        radius = {d: sum(gaps[:index]) + (centre if index else 0.0) for index, d in enumerate(labels.distances)}
        ring_gap = min(gaps, default=1.0)
        nodes = _placed_stages(library, labels, radius, ring_gap)
        rings = sorted({0.0, *radius.values()})
        for distance in labels.distances:
            if radius[distance]:
                # Inside its ring, at the top, as close to the ring as its whole box allows.
                w, h = _label_size(labels.rings[distance], 10)
                index = rings.index(radius[distance])
                label = _Placed(0.0, 0.0, w / 2, h / 2 / RING_ASPECT, (rings[index - 1], rings[index]), fixed=True)
                label.y = max(0.0, _band_radii(label, math.pi / 2)[1])
                nodes[f"ring-{distance}"] = label
        for item in items:
            key = _circle_key(item, detailed)
            nodes[key] = _placed_between(
                nodes.get(f"stage-{item.input}"), nodes.get(f"stage-{item.output}"), rings, labels.items[key]
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
    w, h = _label_size(label, 10)
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
