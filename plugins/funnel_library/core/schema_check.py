"""A compiled yes/no check for the subset of JSON Schema our schemas use.

jsonschema walks the schema for every instance, which costs about 1 ms per
entry. Validation only needs jsonschema's detailed errors when an entry is
*invalid*, so :func:`compile_schema_check` turns a schema into nested closures
that answer "valid?" quickly; invalid entries then go to jsonschema for the
located errors. The check refuses to compile a schema with any keyword it does
not implement, and a test compares it with jsonschema, as validation sets it up,
on many instances, so it can never accept what jsonschema rejects.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]

# Keywords that carry no constraint for validation.
_ANNOTATIONS = frozenset(
    {
        "$schema",
        "$id",
        "title",
        "description",
        "examples",
        "format",
        "default",
        "$comment",
        "contentMediaType",
        "x-labels",
    }
)  # the words the site shows for an enum's values (vocabulary.py)
_SUPPORTED = _ANNOTATIONS | {
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "enum",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "maxProperties",
    "propertyNames",
}


class UnsupportedSchema(ValueError):
    """The schema uses a keyword this check does not implement."""


def _is_type(kind: str) -> Check:
    if kind == "string":
        return lambda v: isinstance(v, str)
    if kind == "object":
        return lambda v: isinstance(v, dict)
    if kind == "array":
        return lambda v: isinstance(v, list)
    if kind == "boolean":
        return lambda v: isinstance(v, bool)
    if kind == "null":
        return lambda v: v is None
    if kind == "number":
        return lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)
    if kind == "integer":  # written as a whole number: 5.0 is not one here (see validation.schema_validator)
        return lambda v: type(v) is int
    raise UnsupportedSchema(f"type {kind!r}")


def compile_schema_check(schema: dict[str, Any]) -> Check:
    """A function that returns True only when ``schema`` certainly accepts the instance.

    False means "not certain": the caller asks jsonschema, which has the final word.
    """
    unknown = set(schema) - _SUPPORTED
    if unknown:
        raise UnsupportedSchema(", ".join(sorted(unknown)))
    checks = [
        *_value_checks(schema),
        *_text_checks(schema),
        *_number_checks(schema),
        *_list_checks(schema),
        *_object_checks(schema),
    ]
    if len(checks) == 1:
        return checks[0]
    checks_tuple = tuple(checks)

    def check_all(v: Any) -> bool:
        for check in checks_tuple:
            if not check(v):
                return False
        return True

    return check_all


def _value_checks(schema: dict[str, Any]) -> list[Check]:
    """`type` and `enum`."""
    checks: list[Check] = []
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        type_checks = [_is_type(kind) for kind in kinds]
        checks.append(lambda v: any(check(v) for check in type_checks))
    if "enum" in schema:
        allowed = schema["enum"]
        if not all(isinstance(value, str) for value in allowed):
            raise UnsupportedSchema("enum with values other than text")
        allowed_set = frozenset(allowed)
        checks.append(lambda v: isinstance(v, str) and v in allowed_set)
    return checks


def _is_str(v: Any) -> bool:  # keywords apply only to values of their own type
    return isinstance(v, str)


def _text_checks(schema: dict[str, Any]) -> list[Check]:
    checks: list[Check] = []
    if "pattern" in schema:
        search = re.compile(schema["pattern"]).search
        checks.append(lambda v: not _is_str(v) or search(v) is not None)
    if "minLength" in schema:
        low = schema["minLength"]
        checks.append(lambda v: not _is_str(v) or len(v) >= low)
    if "maxLength" in schema:
        high = schema["maxLength"]
        checks.append(lambda v: not _is_str(v) or len(v) <= high)
    return checks


def _bounded(is_number: Check, accepts: Callable[[Any, Any], bool], bound: Any) -> Check:
    return lambda v: not is_number(v) or accepts(v, bound)


def _number_checks(schema: dict[str, Any]) -> list[Check]:
    is_number = _is_type("number")
    checks: list[Check] = []
    bounds: tuple[tuple[str, Callable[[Any, Any], bool]], ...] = (
        ("minimum", operator.ge),
        ("maximum", operator.le),
        ("exclusiveMinimum", operator.gt),
        ("exclusiveMaximum", operator.lt),
    )
    for keyword, accepts in bounds:
        if keyword in schema:
            checks.append(_bounded(is_number, accepts, schema[keyword]))
    return checks


def _list_checks(schema: dict[str, Any]) -> list[Check]:
    checks: list[Check] = []
    if "minItems" in schema:
        low_items = schema["minItems"]
        checks.append(lambda v: not isinstance(v, list) or len(v) >= low_items)
    if "maxItems" in schema:
        high_items = schema["maxItems"]
        checks.append(lambda v: not isinstance(v, list) or len(v) <= high_items)
    if schema.get("uniqueItems") is True:
        # Only lists of text are judged here; anything else is left to jsonschema (False = "ask jsonschema").
        checks.append(
            lambda v: not isinstance(v, list) or (all(isinstance(i, str) for i in v) and len(set(v)) == len(v))
        )
    if "items" in schema:
        if not isinstance(schema["items"], dict):
            raise UnsupportedSchema("items that is not a schema")
        item_check = compile_schema_check(schema["items"])
        checks.append(lambda v: not isinstance(v, list) or all(item_check(item) for item in v))
    return checks


def _object_checks(schema: dict[str, Any]) -> list[Check]:
    checks: list[Check] = []
    if "required" in schema:
        required = tuple(schema["required"])
        checks.append(lambda v: not isinstance(v, dict) or all(name in v for name in required))
    if "maxProperties" in schema:
        most = schema["maxProperties"]
        checks.append(lambda v: not isinstance(v, dict) or len(v) <= most)
    if "propertyNames" in schema:
        name_check = compile_schema_check(schema["propertyNames"])
        checks.append(
            lambda v: not isinstance(v, dict) or all(isinstance(name, str) and name_check(name) for name in v)
        )
    properties = {name: compile_schema_check(sub) for name, sub in schema.get("properties", {}).items()}
    additional = schema.get("additionalProperties", True)
    others: Check | None = None
    if isinstance(additional, dict):
        others = compile_schema_check(additional)
    elif additional not in (True, False):
        raise UnsupportedSchema("additionalProperties that is neither a schema nor true or false")
    if properties or additional is not True:
        closed = additional is False

        def check_members(v: Any) -> bool:
            if not isinstance(v, dict):
                return True
            for name, value in v.items():
                check = properties.get(name, others)
                if check is None:
                    if closed:
                        return False
                elif not check(value):
                    return False
            return True

        checks.append(check_members)
    return checks
