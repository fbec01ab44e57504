"""How a problem names the field it is about (`steps[2].name`, "the second step"), shows a value
and suggests a fix; every rule module words its problems through these.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any, cast

from .loading import SourceDocument
from .problems import Problem
from .yaml_document import NodePath

#: An item's id is named beside its number only when it is a well-formed id (nothing to escape).
_ID_SHOWN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


#: What one item of a list is called in messages: "step 2", "source 1".
_ITEM_NAMES = {
    "steps": "step",
    "flows": "flow",
    "sources": "source",
    "funnels": "funnel",
    "authors": "author",
    "tags": "tag",
    "channels": "channel",
    "stages": "stage",
    "materials": "material",
    "failure_modes": "failure mode",
    "needs": "need",
    "segments": "segment",
    "effort": "effort",
}


def display_path(node_path: Iterable[str | int]) -> str:
    """`steps.conversion` for ('steps', 'conversion'): the dotted field names of a path without list items."""
    return ".".join(str(part) for part in node_path) or "the file"


def field_name(node_path: Iterable[str | int], document: SourceDocument | None = None) -> str:
    """A path as a person reads it, counting list items from 1 as every other message does:
    "`conversion` of step 1" for ('steps', 0, 'conversion'), "`url` of source 2 in `evidence`",
    "step 3", "`summary`"."""
    path = tuple(node_path)
    last = max((i for i, part in enumerate(path) if isinstance(part, int)), default=None)
    if last is None:
        return f"`{display_path(path)}`"
    owner, rest = path[: last - 1] if last else (), path[last + 1 :]
    name = path[last - 1] if last else ""
    number = cast(int, path[last]) + 1  # `last` is the position of an int
    item = (
        f"{_ITEM_NAMES[name]} {number}"
        if name in _ITEM_NAMES
        else f"item {number} of `{name}`"
        if name
        else f"item {number}"
    )
    item_id = value_at(document.data, *path[: last + 1], "id") if document is not None else None
    if isinstance(item_id, str) and _ID_SHOWN.fullmatch(item_id):
        item += f" `{item_id}`"  # "step 2 `first-touch`": the number and the id the contributor wrote
    text = f"`{display_path(rest)}` of {item}" if rest else item
    return f"{text} in {field_name(owner, document)}" if owner else text


def suggest(word: str, choices: Iterable[str]) -> str:
    match = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" Did you mean `{match[0]}`?" if match else ""


def short(value: Any, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def value_at(data: Any, *keys: str | int) -> Any:
    for key in keys:
        if isinstance(data, dict) and isinstance(key, str):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and key < len(data):
            data = data[key]
        else:
            return None
    return data


def list_at(data: dict[str, Any], key: str) -> list[Any]:
    """The list under ``key``, or an empty one when the entry holds something else there (the schema says so)."""
    value = data.get(key)
    return value if isinstance(value, list) else []


def dict_at(data: dict[str, Any], key: str) -> dict[str, Any]:
    """The mapping under ``key``, or an empty one when the entry holds something else there (the schema says so)."""
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def problem_at(
    document: SourceDocument, node_path: NodePath, code: str, message: str, hint: str | None = None
) -> Problem:
    return Problem.at(document.path, document.position_of(node_path), code, message, hint)
