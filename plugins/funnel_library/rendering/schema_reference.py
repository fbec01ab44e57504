"""A reference of every field, generated from the JSON Schemas so it can never drift from them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..core.schemas import load_schema
from ..core.wording import number


@dataclass(frozen=True)
class SchemaField:
    path: str  # e.g. steps[].conversion
    type: str
    required: bool
    title: str
    description: str
    example: str
    allowed: str


def _type_of(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return "one of the listed values"
    kind = schema.get("type", "")
    words = {
        "string": "text",
        "array": "list",
        "object": "mapping",
        "integer": "whole number",
        "number": "number",
        "boolean": "true/false",
    }
    if kind == "array" and isinstance(schema.get("items"), dict):
        return f"list of {_type_of(schema['items'])}"
    return words.get(kind, str(kind))


def _limits(schema: dict[str, Any]) -> str:
    parts = []
    if "enum" in schema:
        parts.append(", ".join(f"`{v}`" for v in schema["enum"]))
    for key, word in (
        ("minItems", "at least {} items"),
        ("maxItems", "at most {} items"),
        ("minLength", "{}+ characters"),
        ("maxLength", "up to {} characters"),
        ("minimum", "≥ {}"),
        ("exclusiveMinimum", "> {}"),
        ("maximum", "≤ {}"),
    ):
        if key in schema:
            bound = schema[key]
            parts.append(
                word.format(number(bound) if isinstance(bound, int) else bound)
            )  # 1,000,000,000,000, not 1000000000000
    if "pattern" in schema:
        parts.append(f"pattern `{schema['pattern']}`")
    return "; ".join(parts)


def _example(schema: dict[str, Any]) -> str:
    examples = schema.get("examples") or []
    if not examples:
        return ""
    value = examples[0]
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value).lower() if isinstance(value, bool) else str(value)


def schema_fields(name: str) -> Iterator[SchemaField]:
    """Every property of schema ``name``, depth first, with dotted paths (`[]` marks list items,
    `<name>` the members of a mapping whose keys are the contributor's, such as variables)."""

    def walk(schema: dict[str, Any], prefix: str) -> Iterator[SchemaField]:
        required = set(schema.get("required", []))
        for prop, sub in schema.get("properties", {}).items():
            path = f"{prefix}{prop}"
            yield SchemaField(
                path,
                _type_of(sub),
                prop in required,
                sub.get("title", ""),
                sub.get("description", ""),
                _example(sub),
                _limits(sub),
            )
            if isinstance(sub.get("items"), dict):
                yield from walk(sub["items"], f"{path}[].")
            yield from walk(sub, f"{path}.") if sub.get("type") == "object" else iter(())
            if isinstance(sub.get("additionalProperties"), dict):
                yield from walk(sub["additionalProperties"], f"{path}.<name>.")

    yield from walk(load_schema(name), "")
