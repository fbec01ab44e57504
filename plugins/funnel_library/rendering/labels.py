"""The text a diagram draws: labels wrapped for Graphviz, with entry text kept in its own direction,
and percentages as every page prints them.
"""

from __future__ import annotations

import math
import re
import textwrap
from typing import NamedTuple

from .isolation import isolated_text, moves_neighbours

FONT = "DejaVu Sans,Helvetica,Arial,sans-serif"


# Bidirectional controls would reorder the label the reader sees; show them as code points instead.
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")


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


def label_size(label: str, fontsize: float, *, ellipse: bool = False, smallest: bool = True) -> tuple[float, float]:
    """A generous estimate of Graphviz's box for ``label`` (a :func:`label_text` result), in inches."""
    lines = label.split("\\n")[:-1] or [""]
    width = max(len(line) for line in lines) * fontsize * 0.56 / 72 + 0.3
    height = len(lines) * fontsize * 1.25 / 72 + 0.14
    if ellipse:  # Graphviz fits the text box inside the ellipse: about sqrt(2) larger each way
        width, height = width * 1.42, height * 1.42
    if not smallest:  # the node's size is given: Graphviz's smallest node does not apply
        return width, height
    return max(width, 0.75), max(height, 0.5)
