"""Funnel records -> Graphviz graph -> themed, safe, deterministic SVG.

The graph is described here as plain data and built through pygraphviz (its wheels bundle
Graphviz) in a worker process, which lays it out (see :mod:`.layout`), so no input that
crashes Graphviz can take the build down. Entry text reaches Graphviz only as attribute values
set through the library's API, escaped so that Graphviz's own escapes (`\\N`,
`\\G`, ...) and HTML-like labels (`<...>`) cannot be triggered. The SVG is then
rebuilt from a parsed tree with a short allow-list of elements and attributes:
no scripts, no foreign links, no ids that could clash between diagrams. Colours
come from CSS classes, so one render serves Material's light and dark palettes.
"""

from __future__ import annotations

import html
import json
import logging
import math
import os
import re
import tempfile
import textwrap
import threading
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import NamedTuple

from ..core.model import Funnel
from ..core.store import Store, code_version, content_key
from .isolation import isolated_text, moves_neighbours
from .layout import GraphSpec, LayoutJob, LayoutWorkers, Submitted, lay_out
from .routes import STEP_ANCHOR_PREFIX, step_anchor

logger = logging.getLogger(__name__)

FONT = "DejaVu Sans,Helvetica,Arial,sans-serif"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

# Bidirectional controls would reorder the label the reader sees; show them as code points instead.
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")
# Graphviz's own <title> elements hold internal node names (s0, s1->s2); they are dropped.
_ALLOWED_ELEMENTS = {"svg", "g", "a", "polygon", "path", "ellipse", "polyline", "text"}
# Presentation attributes come from Graphviz, never from entry text; page CSS overrides them for theming.
_PAINT = {"fill", "stroke", "stroke-width", "stroke-dasharray"}
_ALLOWED_ATTRIBUTES = {
    "svg": {"viewBox"},
    "g": {"class", "transform"},
    "a": {"href"},
    "polygon": {"points", "class"} | _PAINT,
    "path": {"d", "class"} | _PAINT,
    "ellipse": {"cx", "cy", "rx", "ry", "class"} | _PAINT,
    "polyline": {"points", "class"} | _PAINT,
    "text": {
        "x",
        "y",
        "text-anchor",
        "font-family",
        "font-size",
        "font-weight",
        "font-style",
        "fill",
        "class",
        "{http://www.w3.org/XML/1998/namespace}space",
    },
}
_PAINT_VALUE = re.compile(r"(?:none|transparent|black|white|#[0-9a-fA-F]{3,8}|[0-9.,\s]+)\Z")
_FONTCONFIG_HARMLESS = re.compile(r'^Fontconfig warning: "[^"]*", line \d+: unknown element "reset-dirs"$')
_fontconfig_ready = threading.Lock()
_fontconfig_initialised = False


class EntryText(NamedTuple):
    """Text from an entry in a label, as opposed to the label's own words: :func:`label_text`
    keeps it from reordering them."""

    text: str


def label_text(*parts: str | EntryText, width: int = 28) -> str:
    """Entry text as a Graphviz label that renders literally, wrapped to ``width``.

    ``parts`` are the label's own words (plain strings) and the entry's (:class:`EntryText`);
    on each line, entry text that could reorder its neighbours (right-to-left letters) is put
    between the isolates FSI and PDI, so "Follow up (12%)" keeps the figure after the words
    in any script. Backslashes are doubled so `\\N` or a trailing `\\` stay text; `&` becomes
    `&amp;` because Graphviz decodes character references in labels (and would
    pass `&#1;` into the SVG); lines end in Graphviz's `\\n`, so a label can
    never both start with `<` and end with `>`, which pygraphviz would turn into
    an HTML-like label.
    """
    pieces = [
        (_BIDI_CONTROLS.sub(lambda m: f"[U+{ord(m.group()):04X}]", part.text), True)
        if isinstance(part, EntryText)
        else (part, False)
        for part in parts
    ]
    text = "".join(piece for piece, _ in pieces)
    from_entry = [is_entry for piece, is_entry in pieces for _ in piece]
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(
            textwrap.wrap(paragraph, width=width, break_long_words=True, break_on_hyphens=False, expand_tabs=False)
            or [""]
        )
    if len(lines) > 6:
        lines = lines[:5] + [textwrap.shorten(" ".join(lines[5:]), width=width, placeholder=" …")]
    lines = _isolated_lines(lines, text, from_entry)
    return "".join(line.replace("&", "&amp;").replace("\\", "\\\\") + "\\n" for line in lines)


def _isolated_lines(lines: list[str], text: str, from_entry: list[bool]) -> list[str]:
    """``lines`` (``text`` wrapped) with each run of entry text that could reorder its
    neighbours between FSI and PDI. Wrapping only drops or turns whitespace into spaces, so each
    character of a line is found again, in order, in ``text``."""
    if not any(from_entry) or not moves_neighbours(text):
        return lines
    isolated, at = [], 0
    for line in lines:
        runs: list[tuple[bool, str]] = []
        for character in line:
            while at < len(text) and text[at] != character and not (character == " " and text[at].isspace()):
                at += 1  # whitespace the wrapping dropped, or text the shortening left out
            is_entry = from_entry[at] if at < len(text) else False
            at += 1
            if runs and runs[-1][0] == is_entry:
                runs[-1] = (is_entry, runs[-1][1] + character)
            else:
                runs.append((is_entry, character))
        isolated.append("".join(isolated_text(run) if is_entry else run for is_entry, run in runs))
    return isolated


#: Below this share a percentage is printed as "<0.001%" (the planner's percent() in
#: theme/assets/lib/planner-math.js does the same).
PERCENT_FLOOR = 0.00001


def percent(share: float) -> str:
    """0.125 -> '12.5%', 0.5 -> '50%', 0.0042 -> '0.42%', 0.000052 -> '0.0052%', 1e-9 -> '<0.001%'.

    At least one decimal place from 1%; below it, two significant digits, so a share that is
    not zero never reads as "0%"; and under 0.001% a bound, so no share is printed as a long
    row of zeros (an end-to-end share of five small steps can be 1e-20).
    """
    if not share > 0:
        return "0%"
    if share < PERCENT_FLOOR:
        return "<0.001%"
    value = share * 100
    text = f"{value:.1f}" if value >= 1 else f"{value:.{max(2, 1 - math.floor(math.log10(value)))}f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


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


def ensure_fontconfig() -> None:
    """Initialise the bundled fontconfig once, keeping its known warning out of the build log.

    The wheel's fontconfig is older than the system's config files and prints a
    warning about `reset-dirs` to file descriptor 2 on first use. We capture that
    descriptor for the first layout only, and pass on anything else it printed.
    """
    global _fontconfig_initialised
    with _fontconfig_ready:
        if _fontconfig_initialised:
            return
        import pygraphviz

        with tempfile.TemporaryFile() as captured:
            saved = os.dup(2)
            try:
                os.dup2(captured.fileno(), 2)
                graph = pygraphviz.AGraph()
                graph.add_node("warm-up", fontname=FONT)
                graph.draw(format="svg", prog="dot")
            finally:
                os.dup2(saved, 2)
                os.close(saved)
            captured.seek(0)
            for line in captured.read().decode("utf-8", "replace").splitlines():
                if line.strip() and not _FONTCONFIG_HARMLESS.match(line.strip()):
                    logger.warning("Graphviz: %s", line.strip())
        _fontconfig_initialised = True


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
        source, target = index_of[flow.source], index_of[flow.target]
        share = "" if flow.share is None else f" ({percent(flow.share)})"
        # Every loop, skip and fall-back takes part in dot's ordering, so arrows whose spans
        # interleave go to opposite sides of the chain instead of crossing. An arrow back up is
        # laid out as a downward edge drawn reversed (dir=back): it agrees with the step order.
        upper, lower = (f"s{target}", f"s{source}") if target < source else (f"s{source}", f"s{target}")
        graph.add_edge(
            upper,
            lower,
            label=label_text(EntryText(flow.label), share, width=14),
            style="dashed",
            dir="back" if target < source else "forward",
            **{"class": f"fl-edge fl-flow fl-flow-{flow.kind}"},
        )
    return LayoutJob(
        tuple(graph.calls), "dot", f"Diagram of the funnel {isolated_text(funnel.title)}", "fl-diagram-svg"
    )


def clean_svg(raw_svg: str, *, title: str, css_class: str) -> str:
    """Rebuild Graphviz's SVG from an allow-list: safe to inline, themable by CSS, id-free."""
    source = ET.fromstring(raw_svg.encode("utf-8"))
    root = ET.Element(
        "svg", {"xmlns": SVG_NS, "viewBox": source.get("viewBox", "0 0 100 100"), "class": css_class, "role": "img"}
    )
    width, height = source.get("width", ""), source.get("height", "")
    if width.endswith("pt") and height.endswith("pt"):
        # Keep the natural size as a maximum; CSS scales it down on narrow screens.
        root.set("width", f"{float(width[:-2]) * 4 / 3:.0f}")
        root.set("height", f"{float(height[:-2]) * 4 / 3:.0f}")
    label = ET.SubElement(root, "title")
    label.text = title
    for child in source:
        copied = _copy_allowed(child)
        if copied is not None:
            root.append(copied)
    if root.find(".//a") is not None:
        # A picture's content is presentational to assistive technology, which would hide its
        # links: a diagram with links is a group of them, named by its title.
        root.set("role", "group")
        root.set("aria-label", title)
    return ET.tostring(root, encoding="unicode", short_empty_elements=True)


def _allowed_attributes(tag: str, attrib: dict[str, str]) -> dict[str, str]:
    """The attributes of an element of kind ``tag`` that the page may keep: links we set, and
    presentation values from Graphviz that are plain colours and numbers."""
    allowed = _ALLOWED_ATTRIBUTES.get(tag, set())
    attributes = {}
    for name, value in attrib.items():
        local = name if name.startswith("{http://www.w3.org/XML/1998/namespace}") else name.split("}", 1)[-1]
        if local == "href" and tag == "a":
            if value.startswith(("#", "../", "./")):
                attributes["href"] = value  # only links we set: in-page anchors and site-relative pages
            continue
        if local in allowed and (local not in _PAINT and local != "fill" or _PAINT_VALUE.match(value)):
            attributes[local if not local.startswith("{") else name] = value
    return attributes


def _copy_allowed(element: ET.Element) -> ET.Element | None:
    tag = element.tag.split("}", 1)[-1]
    if tag not in _ALLOWED_ELEMENTS:
        return None
    attributes = _allowed_attributes(tag, element.attrib)
    if tag == "g" and "class" in attributes:
        attributes["class"] = attributes["class"].replace("&#45;", "-")
    if tag == "a" and "href" not in attributes:
        tag = "g"
    copy = ET.Element(tag, attributes)
    copy.text = element.text if tag == "text" else None
    for child in element:
        nested = _copy_allowed(child)
        if nested is not None:
            copy.append(nested)
    return copy


class DiagramCache(Store):
    """SVG by a hash of the fields a diagram shows, as a :class:`~funnel_library.store.Store`:
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

    def close(self, *, collect: bool = True) -> None:
        """Stop the workers; with ``collect``, first store what is pending so the disk cache is complete."""
        if collect:
            for funnel_id in list(self.pending):
                self.svg(funnel_id)
        self.pending.clear()
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
