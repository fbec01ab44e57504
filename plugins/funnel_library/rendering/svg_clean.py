"""What a layout worker does around Graphviz: set up the bundled fontconfig once per process, and
clean the SVG Graphviz writes down to drawing elements and safe attributes (no script, no
foreign links, no styles from entry text).
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
import xml.etree.ElementTree as ET

from .labels import FONT

logger = logging.getLogger(__name__)


SVG_NS = "http://www.w3.org/2000/svg"


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
