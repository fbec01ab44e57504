"""How counts read, in every message and on every page: one plural rule and one number format.

``counted(1, "file")`` is "1 file", ``counted(2000, "person", "people")`` is "2,000 people". The
CLI, the validator's messages and the templates (the ``counted`` and ``number`` filters) all use
these, so no page says "1 people" and no figure of five digits or more goes without separators.
"""

from __future__ import annotations


def number(value: float) -> str:
    """A whole number with thousands separators: 100000000 -> "100,000,000"."""
    return f"{round(value):,}"


def agree(count: float, one: str, other: str | None = None) -> str:
    """The word that agrees with ``count``: ``one`` for exactly 1, else ``other`` (default: one + "s")."""
    return one if count == 1 else (other if other is not None else one + "s")


def counted(count: float, one: str, other: str | None = None) -> str:
    """``count`` formatted with separators, then the word that agrees with it."""
    return f"{number(count)} {agree(count, one, other)}"
