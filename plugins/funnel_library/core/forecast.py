"""The arithmetic of a forecast, in one place: the share still in a funnel after each step, how
many people move on, and the fewest who must enter to bring a target to the end. The planner in
the browser does the same double-precision steps in the same order, so both print the same figures.
"""

from __future__ import annotations

import math

#: The starting volume the site's figures use ("of 1,000 who enter ...").
DEFAULT_VOLUME = 1000


def cumulative_shares(conversions: tuple[float, ...] | list[float]) -> list[float]:
    """Share of the starting volume still in the funnel after each step.

    Multiplied left to right, in this order, so that the browser calculator
    (which does the same double-precision multiplications) gets the same bits.
    """
    shares = []
    share = 1.0
    for conversion in conversions:
        share = share * conversion
        shares.append(share)
    return shares


def round_people(value: float) -> int:
    """Round half up, like JavaScript's Math.round for positive numbers."""
    return math.floor(value + 0.5)


def forecast(volume: int, conversions: tuple[float, ...] | list[float]) -> list[int]:
    """People entering the first step, then the people who move on after each step.

    ``forecast(1000, [0.5, 0.4, 0.5])`` is ``[1000, 500, 200, 100]``: the last
    figure is how many reach the goal.
    """
    exact = float(volume)
    people = [volume]
    for conversion in conversions:
        exact = exact * conversion
        people.append(round_people(exact))
    return people


#: The most people a plan may start with (the planner's MAX_PEOPLE in theme/assets/planner-math.js).
MAX_START = 1_000_000_000


def needed_start(target: int, conversions: tuple[float, ...] | list[float], most: int = MAX_START) -> int | None:
    """The fewest people (1 to ``most``) who must enter so that :func:`forecast` brings at least
    ``target`` to the end, or None when even ``most`` would bring fewer. The last figure never
    falls as the start grows, so a binary search finds it; the planner does the same."""

    def reach(volume: int) -> int:
        return forecast(volume, conversions)[-1]

    if reach(most) < target:
        return None
    low, high = 1, most
    while low < high:
        middle = (low + high) // 2
        if reach(middle) >= target:
            high = middle
        else:
            low = middle + 1
    return low
