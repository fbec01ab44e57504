"""How a funnel's facts read on a page: periods, dates, evidence, owners, the card's step chain
and the diagram's key of arrows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ..core.forecast import cumulative_shares
from ..core.model import Evidence, Funnel
from ..core.vocabulary import FLOW_KINDS
from ..core.wording import counted, number
from .isolation import isolate

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


#: The key under each diagram: what each kind of arrow means (its CSS modifier, its text).
ARROWS = {
    "forward": "moves on to the next step; the figure is the share that does",
    "loop": "dashed grey: loops back to an earlier step",
    "skip": "dashed grey: skips ahead",
    "fallback": "dashed blue: falls back to another step",
    "journey": "people move on to the next stage",
    "journey-loop": "dashed: the journey starts again",
    "map": "a funnel takes people from one stage to the next",
    "handoff": "bold blue: a hand-off between teams",
    "back": "dashed: leads back to an earlier stage",
}


def funnel_arrows(funnel: Funnel) -> list[tuple[str, str]]:
    """The arrow kinds a funnel's diagram draws, in the key's order."""
    kinds = {flow.kind for flow in funnel.flows}
    return [("forward", ARROWS["forward"])] + [(kind, ARROWS[kind]) for kind in FLOW_KINDS if kind in kinds]


def format_period(period: str | None) -> str:
    """'2025-07/2025-09' -> 'Jul–Sep 2025'; '2024-11/2025-02' -> 'Nov 2024–Feb 2025'."""
    if not period or "/" not in period:
        return period or ""
    start, end = period.split("/", 1)

    def parts(text: str) -> tuple[int, int, int | None]:
        pieces = text.split("-")
        return int(pieces[0]), int(pieces[1]), int(pieces[2]) if len(pieces) > 2 else None

    (y1, m1, d1), (y2, m2, d2) = parts(start), parts(end)
    first = f"{d1} {_MONTHS[m1 - 1]}" if d1 else _MONTHS[m1 - 1]
    last = f"{d2} {_MONTHS[m2 - 1]}" if d2 else _MONTHS[m2 - 1]
    if y1 == y2:
        return f"{first} {y1}" if (first == last) else f"{first}–{last} {y2}"
    return f"{first} {y1}–{last} {y2}"


def evidence_summary(evidence: Evidence, show: Callable[[str], str] = str) -> str:
    """The evidence badge: 'Tested by 2 reports, 700 people' or 'Illustrative figures'. ``show``
    presents the entry's own word for what was counted (a page isolates it).

    A funnel is `tested` only with result reports (the library checks it, FL230), which set the
    report count and the sample."""
    if evidence.level == "tested":
        sample = evidence.sample_size or 0
        people = (
            f"{number(sample)} {show(evidence.sample_unit)}"
            if evidence.sample_unit
            else counted(sample, "person", "people")
        )
        return f"Tested by {counted(evidence.reports, 'report')}, {people}"
    if evidence.level == "benchmark":
        return f"Benchmark figures from {counted(len(evidence.sources), 'public source')}"
    return "Illustrative figures"


@dataclass(frozen=True)
class ForestAxis:
    """The span of shares a forest plot shows: every interval and the recipe's mark, with a margin,
    so the marks of a 1.4% step are not squeezed into the left edge of a 0 to 100% axis."""

    start: float
    end: float

    def x(self, share: float) -> str:
        """Where ``share`` sits on the plot's 0 to 100 viewBox."""
        return f"{(share - self.start) / (self.end - self.start) * 100:.2f}"


def forest_axis(measure, recipe: float) -> ForestAxis:
    shares = [share for share in (*measure.by_report, measure.pooled) if share is not None]
    low = min([recipe, *(share.low for share in shares)])
    high = max([recipe, *(share.high for share in shares)])
    margin = max(high - low, 0.02) * 0.1
    return ForestAxis(max(0.0, low - margin), min(1.0, high + margin))


def format_date(value: date | None) -> str:
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}" if value else ""


def poster_orientation(svg: str) -> str:
    """ "landscape" or "portrait": how a diagram fills a poster sheet best, from its viewBox."""
    match = re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"', svg)
    if not match:
        return "landscape"
    width, height = (float(v) for v in match.groups())
    return "landscape" if width >= height else "portrait"


#: Said once above the cards for the evidence level most of them share (their badges are then left out).
EVIDENCE_NOTES = {
    "illustrative": "Figures are illustrative unless a card says otherwise.",
    "benchmark": "Figures come from published benchmarks unless a card says otherwise.",
    "tested": "Figures were measured by teams that ran the funnel unless a card says otherwise.",
}


def owners(funnel: Funnel) -> list[str]:
    """Who runs the funnel: its steps' owners, each once, in step order."""
    seen: list[str] = []
    for step in funnel.steps:
        if step.owner and step.owner not in seen:
            seen.append(step.owner)
    return seen


def run_by(funnel: Funnel, show: Callable[[str], str] = str) -> str:
    """The card's line on who runs the funnel: "Run by Marketing, Sales and 2 more", or "" without
    owners. ``show`` presents each name (a page isolates it)."""
    names = owners(funnel)
    if not names:
        return ""
    return (
        "Run by "
        + ", ".join(show(name) for name in names[:3])
        + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    )


def isolated_html(text: str) -> str:
    return str(isolate(text))


#: The card thumbnail: one bar per step, then the goal. Geometry in SVG user units.
CHAIN_BAR, CHAIN_GAP, CHAIN_HEIGHT = 14, 10, 28


def svg_number(value: float) -> float | int:
    """A coordinate as SVG and the page script print it: 14, not 14.0."""
    return int(value) if float(value).is_integer() else value


def step_chain(funnel: Funnel) -> dict:
    """A card's small picture of the funnel: one bar per step whose height shows the share of the
    starting people who enter it, and a dot for the goal sized by the share that reaches it.

    Heights follow the square root of the share, as areas would: a 4% end-to-end funnel still
    shows its last steps, and the narrowing reads as a funnel. The exact figures are printed
    next to it.
    """
    entering = [1.0] + cumulative_shares(funnel.conversions)
    middle = svg_number(CHAIN_HEIGHT / 2)

    def size(share: float) -> float:
        return svg_number(round(max(3.0, (CHAIN_HEIGHT - 2) * share**0.5), 1))

    bars = []
    for index, share in enumerate(entering[:-1]):
        height = size(share)
        bars.append(
            {"x": index * (CHAIN_BAR + CHAIN_GAP), "y": svg_number(round(middle - height / 2, 1)), "height": height}
        )
    goal_x = svg_number(len(bars) * (CHAIN_BAR + CHAIN_GAP) + CHAIN_BAR / 2)
    links = [{"x1": bar["x"] + CHAIN_BAR, "x2": bar["x"] + CHAIN_BAR + CHAIN_GAP} for bar in bars]
    return {
        "bars": bars,
        "links": links,
        "goal": {"cx": goal_x, "r": svg_number(round(max(2.0, size(entering[-1]) / 2), 1))},
        "width": svg_number(goal_x + CHAIN_BAR / 2),
        "height": CHAIN_HEIGHT,
        "middle": middle,
        "bar": CHAIN_BAR,
    }
