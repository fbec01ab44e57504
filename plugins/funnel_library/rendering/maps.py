"""Diagrams of the whole library: the map and journey chains, and what the circles of trust share with them.

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
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ..core.library import Library
from ..core.model import Funnel, Journey, Stage
from ..core.vocabulary import FUNNEL_TYPES
from .diagrams import new_graph
from .isolation import isolated_text
from .labels import FONT, EntryText, label_size, label_text, percent
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


def new_map_graph(**attributes):
    graph = new_graph(fontname=FONT, **attributes)
    graph.node_attr.update(fontname=FONT, fontsize="11", shape="box", style="rounded", margin="0.12,0.05")
    graph.edge_attr.update(fontname=FONT, fontsize="10", arrowsize="0.6")
    return graph


def node_key(kind: str, key: str) -> str:
    """The class that names one node of a library diagram (``fl-id-stage-lead``); ids are slugs."""
    return f"fl-id-{kind}-{key}"


def stage_node(graph, stage: Stage | None, stage_id: str, href: str | None, **extra) -> None:
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


def edge_class(base: str, *ends: str) -> str:
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
        width, height = label_size(label, self.font, smallest=False)
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
    graph = new_map_graph(splines="true", outputorder="edgesfirst", esep="+3", pad="0.1")
    graph.node_attr.update(fontsize=f"{rows[0][0].font:g}" if rows and rows[0] else "11")
    order = {stage.id: stage.order for stage in library.stages}
    top = 0.0
    for row in rows:
        left = 0.0
        for block in row:
            stage = block.stage
            _sw, sh = block.box(block.label)
            sx, sy = left + block.width / 2, top + sh / 2
            stage_node(
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
                    **{"class": edge_class("fl-edge fl-start", f"stage-{stage.id}", item.key)},
                )
                handoff = " fl-handoff" if item.handoff else ""
                backward = order.get(item.output, 0) < order.get(item.input, 0)
                graph.add_edge(
                    node,
                    f"stage:{item.output}",
                    style="dashed" if backward else ("bold" if item.handoff else "solid"),
                    **{
                        "class": edge_class(
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


def journey_diagram_job(library: Library, journey: Journey, *, funnel_href: Callable[[Funnel], str]) -> LayoutJob:
    """The journey as a chain: stage, funnel, stage, funnel, ... (a loop closes on its first stage)."""
    funnels = library.journey_funnels(journey)
    # Top to bottom: a chain of three funnels is seven boxes, wider than a page column laid
    # left to right (a single funnel still reads left to right).
    graph = new_map_graph(rankdir="LR" if len(funnels) == 1 else "TB", nodesep="0.3", ranksep="0.3")
    for funnel in funnels:
        for stage_id in (funnel.input, funnel.output):
            if not graph.has_node(f"stage:{stage_id}"):
                stage_node(graph, library.stage(stage_id), stage_id, None)
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
