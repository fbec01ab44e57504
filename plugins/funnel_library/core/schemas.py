"""The JSON Schemas of each kind of entry: loading them, their compiled validators, and which
fields hold paragraphs of text.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from .schema_check import compile_schema_check
from .yaml_document import NodePath

SCHEMA_NAMES = ("funnel", "stages", "journey", "report", "search-words", "tags")


def load_schema(name: str) -> dict[str, Any]:
    """The packaged JSON Schema ``name`` (funnel, stages, journey or report), read afresh: each
    caller gets its own copy, so no caller can change what another sees. The checks compiled
    from the schemas below are kept for the process: they are made from files of the installed
    package, which do not change while it runs."""
    text = resources.files("funnel_library").joinpath("schemas", f"{name}.schema.json").read_text("utf-8")
    return json.loads(text)


@cache
def schema_validator(name: str):
    """The JSON Schema validator for the schema ``name``, as validation uses it: a whole number
    (`integer`) is one written without a decimal point or an exponent. JSON Schema counts 5.0
    and 1.2e3 as integers, and they would reach pages and exports as "5.0" and "1200.0"."""
    # Imported here: jsonschema is only needed to explain an invalid entry, and importing it costs ~0.1 s.
    from jsonschema import Draft202012Validator
    from jsonschema.validators import extend

    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    whole_numbers = Draft202012Validator.TYPE_CHECKER.redefine("integer", lambda _, value: type(value) is int)
    return extend(Draft202012Validator, type_checker=whole_numbers)(schema)


@cache
def quick_check(name: str):
    return compile_schema_check(load_schema(name))


@cache
def paragraph_fields(schema_name: str) -> frozenset[tuple[str, ...]]:
    """The fields that hold paragraphs (Markdown), as paths with `*` for list items.

    The schema says which: `"contentMediaType": "text/markdown"`. Every other text is one line.
    """
    found: set[tuple[str, ...]] = set()
    pending: list[tuple[tuple[str, ...], Any]] = [((), load_schema(schema_name))]
    while pending:
        path, node = pending.pop()
        if not isinstance(node, dict):
            continue
        if node.get("contentMediaType") == "text/markdown":
            found.add(path)
        for name, child in (node.get("properties") or {}).items():
            pending.append((path + (name,), child))
        if "items" in node:
            pending.append((path + ("*",), node["items"]))
    return frozenset(found)


def generic_path(path: NodePath) -> tuple[str, ...]:
    return tuple("*" if isinstance(part, int) else part for part in path)
