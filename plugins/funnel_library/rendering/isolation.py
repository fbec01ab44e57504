"""Entry text set apart from the words and figures around it, whatever its direction.

A right-to-left word (Hebrew, Arabic) next to a figure pulls the figure to its side: "Owner:
<Hebrew> · 12% move on" would show the 12% before the owner's name. So wherever a page prints
entry text beside its own words, the text is isolated: in HTML by a `<bdi>` element (or, for a
Markdown field, by `dir="auto"` on each of its blocks, see ``core.rich_text``), and in plain text
that cannot hold elements (a page's `<title>`, a diagram's labels) by the Unicode isolates FSI
and PDI. Entry text cannot hold isolates of its own (FL020), so the pairs added here always match.
"""

from __future__ import annotations

import unicodedata

from markupsafe import Markup, escape

#: FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: plain text's `<bdi>` and `</bdi>`.
FSI, PDI = "\u2068", "\u2069"
# Bidirectional classes that can move their neighbours: right-to-left letters (R, AL) and
# Arabic-Indic digits (AN), which pull the punctuation and figures next to them into their run.
_RIGHT_TO_LEFT_CLASSES = frozenset({"R", "AL", "AN"})


def isolate(text: str) -> Markup:
    """``text`` escaped, in a `<bdi>` element: for a template, beside the page's own words."""
    return Markup(f"<bdi>{escape(text)}</bdi>")  # as Markup("<bdi>%s</bdi>") % text, in half the time


def moves_neighbours(text: str) -> bool:
    """Whether ``text`` holds a character that can reorder the text around it (a right-to-left
    letter or an Arabic-Indic digit)."""
    return not text.isascii() and any(
        unicodedata.bidirectional(character) in _RIGHT_TO_LEFT_CLASSES for character in text
    )


def isolated_text(text: str) -> str:
    """``text`` between FSI and PDI when it could reorder the plain text around it; else as it is,
    so that left-to-right titles and labels stay byte for byte what they were."""
    return f"{FSI}{text}{PDI}" if moves_neighbours(text) else text
