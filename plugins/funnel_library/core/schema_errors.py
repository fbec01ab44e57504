"""Schema errors in plain words: each JSON Schema error becomes one located problem with a stable
code, what is wrong in this entry and how to fix it.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .field_names import field_name, short, suggest
from .loading import SourceDocument
from .problems import Problem
from .schemas import quick_check, schema_validator
from .yaml_document import NodePath

_JSON_TYPES = {
    "string": "text",
    "array": "a list",
    "object": "a mapping of fields",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "empty",
}


def _misspelling_of(key: Any, missing: Iterable[str]) -> str | None:
    """The missing required field that ``key`` is a misspelling of, if it is close to exactly one."""
    match = difflib.get_close_matches(str(key), list(missing), n=2, cutoff=0.75)
    return match[0] if len(match) == 1 else None


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    for python_type, word in (
        (str, "text"),
        (int, "a whole number"),
        (float, "a number"),
        (list, "a list"),
        (dict, "a mapping of fields"),
    ):
        if isinstance(value, python_type):
            return word
    return "empty" if value is None else type(value).__name__


def validate_against_schema(
    document: SourceDocument, schema_name: str, *, reported: Iterable[NodePath] = ()
) -> list[Problem]:
    """Every schema error in ``document``, translated and located.

    Errors about a node in ``reported`` (or one the loader reported) are left out: that node's
    problem was told already, and a second message about the same mistake only confuses.
    """
    if quick_check(schema_name)(document.data):
        return []  # valid: jsonschema's detailed walk is only needed to explain errors
    told = set(reported) | set(document.reported)
    explained: set[tuple[NodePath, tuple]] = set()
    problems: list[Problem] = []
    for error in schema_validator(schema_name).iter_errors(document.data):
        node, keyword = tuple(error.absolute_path), tuple(error.schema_path)
        # A translation explains one keyword at one node in full (every missing field of a
        # mapping), but jsonschema yields one `required` error per missing field: explain once.
        if node in told or (node, keyword) in explained:
            continue
        explained.add((node, keyword))
        problems.extend(_translate(error, document))
    return problems


@dataclass(frozen=True)
class _SchemaError:
    """One error of the JSON Schema validator, with what every translation needs."""

    error: Any
    document: SourceDocument

    @property
    def path(self) -> NodePath:
        return tuple(self.error.absolute_path)

    @property
    def schema(self) -> dict:
        return self.error.schema if isinstance(self.error.schema, dict) else {}

    @property
    def field(self) -> str:
        return field_name(self.path, self.document)

    def problem(self, code: str, message: str, hint: str | None = None) -> list[Problem]:
        return [Problem.at(self.document.path, self.document.position_of(self.path), code, message, hint)]


def _translate(error, document: SourceDocument) -> list[Problem]:
    found = _SchemaError(error, document)
    if "propertyNames" in error.relative_schema_path:  # a key of a mapping whose keys are names (variables)
        return _bad_name(found, error.instance)
    translate = _TRANSLATIONS.get(error.validator)
    if translate is None:
        return found.problem("FL110", f"{found.field}: {error.message}.")
    return translate(found, error.instance, error.validator_value)


def _missing_fields(found: _SchemaError, instance: Any, required: Any) -> list[Problem]:
    missing = [name for name in required if name not in instance]
    owner = f" in {found.field}" if found.path else ""
    # A misspelt key (`converison`) is one mistake: its FL102 names the field it should be,
    # so the field it stands for is not also reported as missing.
    misspelt = {_misspelling_of(key, missing) for key in instance if key not in found.schema.get("properties", {})}
    return [
        problem
        for name in missing
        if name not in misspelt
        for problem in found.problem(
            "FL101", f"required field `{name}` is missing{owner}.", _required_hint(name, found.schema)
        )
    ]


def _unknown_fields(found: _SchemaError, instance: Any, _: Any) -> list[Problem]:
    known = found.schema.get("properties", {})
    missing = [name for name in found.schema.get("required", ()) if name not in instance]
    problems = []
    for name in instance:
        if name in known:
            continue
        meant = _misspelling_of(name, missing)
        hint = (
            f"Rename it to `{meant}`, a required field."
            if meant
            else f"Remove it or fix its spelling.{suggest(name, known)} Allowed here: {', '.join(known)}."
        )
        where = found.document.position_of(found.path + (name,), key=True)
        problems.append(
            Problem.at(
                found.document.path,
                where,
                "FL102",
                f"unknown field {field_name(found.path + (name,), found.document)}"
                + (f": did you mean `{meant}`?" if meant else "."),
                hint,
            )
        )
    return problems


def _wrong_type(found: _SchemaError, instance: Any, expected: Any) -> list[Problem]:
    expected = expected if isinstance(expected, list) else [expected]
    if expected == ["integer"] and isinstance(instance, float):
        return _not_whole(found, instance)
    words = " or ".join(_JSON_TYPES.get(t, t) for t in expected)
    hint = f"Write {words} here."
    if "number" in expected and isinstance(instance, str) and instance.endswith("%"):
        hint = "Write the share as a number, e.g. 45% as 0.45."
    elif "string" in expected and not isinstance(instance, (dict, list)):
        hint = "Put the value in quotes to keep it as text."
    return found.problem("FL103", f"{found.field} should be {words}, not {_describe(instance)}.", hint)


#: The report fields that count people, and what the people they count did.
_PEOPLE_COUNTED = {"entered": "entered the step", "moved_on": "moved on from it"}


#: Floats hold whole numbers exactly up to here; beyond it, 1e30 is not the number it reads as.
_EXACT_WHOLE_FLOATS = 2**53


def _not_whole(found: _SchemaError, number: float) -> list[Problem]:
    """A number with a decimal point or an exponent where a whole number goes."""
    example = (found.schema.get("examples") or [1])[0]
    if number.is_integer() or not math.isfinite(number):  # 5.0, -0.0, 1.2e3, 1e999
        whole = _shown_number(number)
        return found.problem(
            "FL103",
            f"{found.field} is written with a decimal point or an exponent, where a whole number goes.",
            f"Write it as a whole number: {whole}."
            if isinstance(whole, int)
            else f"Write it as a whole number, e.g. {example}.",
        )
    counted = _PEOPLE_COUNTED.get(str(found.path[-1])) if found.path else None
    if counted:
        kind = "not shares" if 0 < number < 1 else "which are whole numbers"
        return found.problem(
            "FL103",
            f"{found.field} is {number}: a report holds counts of people, {kind}.",
            f"Write how many people {counted}, as a whole number (e.g. {example}); the site works out the shares from the counts.",
        )
    return found.problem(
        "FL103",
        f"{found.field} is {number}, where a whole number goes.",
        f"Write it as a whole number, e.g. {example}.",
    )


def _shown_number(number: Any) -> Any:
    """A whole float as the whole number it stands for (5.0 as 5), so no message shows "5.0"."""
    if isinstance(number, float) and abs(number) <= _EXACT_WHOLE_FLOATS and number.is_integer():
        return int(number)
    return number


def _not_allowed(found: _SchemaError, instance: Any, values: Any) -> list[Problem]:
    allowed = [str(v) for v in values]
    return found.problem(
        "FL104",
        f"{found.field} is `{short(instance)}`, which is not one of the allowed values.",
        f"Use one of: {', '.join(allowed)}.{suggest(instance, allowed)}",
    )


def _wrong_form(found: _SchemaError, instance: Any, _: Any) -> list[Problem]:
    return found.problem(
        "FL105",
        f"{found.field} `{short(instance)}` is not in the expected form.",
        _pattern_hint(found.path, found.schema),
    )


def _item_count(found: _SchemaError, instance: Any, bound_value: Any) -> list[Problem]:
    bound = "needs at least" if found.error.validator == "minItems" else "may have at most"
    noun = "item" if len(instance) == 1 else "items"
    return found.problem(
        "FL106",
        f"{found.field} has {len(instance)} {noun}; it {bound} {bound_value}.",
        "A funnel has 3 to 5 steps: merge or split activities to fit." if found.path == ("steps",) else None,
    )


def _length(found: _SchemaError, instance: Any, bound_value: Any) -> list[Problem]:
    bound = "at least" if found.error.validator == "minLength" else "at most"
    noun = "character" if len(instance) == 1 else "characters"
    return found.problem("FL107", f"{found.field} is {len(instance)} {noun} long; it must be {bound} {bound_value}.")


def _out_of_bounds(found: _SchemaError, instance: Any, bound_value: Any) -> list[Problem]:
    if found.path and found.path[-1] in ("conversion", "share"):
        floor = found.schema.get("minimum")
        if found.error.validator == "minimum" and instance > 0:
            return found.problem(
                "FL206",
                f"{found.field} is {instance}, below the smallest share a step may pass on: {floor} (one in 10,000).",
                "Check the figure (45% is 0.45, 0.5% is 0.005); a share under one in 10,000 cannot be measured "
                "or planned on: split the step into steps that pass on more.",
            )
        return found.problem("FL206", f"{found.field} is {instance}; a share must be from {floor} to 1.")
    relation = {"minimum": "at least", "maximum": "at most", "exclusiveMinimum": "above", "exclusiveMaximum": "below"}[
        found.error.validator
    ]
    return found.problem("FL108", f"{found.field} is {_shown_number(instance)}; it must be {relation} {bound_value}.")


def _bad_name(found: _SchemaError, name: Any) -> list[Problem]:
    where = found.document.position_of(found.path + (name,), key=True)
    return [
        Problem.at(
            found.document.path,
            where,
            "FL105",
            f"the name `{short(name)}` in {found.field} is not in the expected form.",
            "Name it with lowercase letters, digits and `_`, starting with a letter and at most 40 characters, "
            "like `first_name`.",
        )
    ]


def _too_many_fields(found: _SchemaError, instance: Any, bound_value: Any) -> list[Problem]:
    return found.problem("FL106", f"{found.field} has {len(instance)} entries; it may have at most {bound_value}.")


def _repeated(found: _SchemaError, instance: Any, _: Any) -> list[Problem]:
    return found.problem("FL109", f"{found.field} lists the same value more than once.")


#: Each schema keyword's translation into the contributor's words, by the keyword that failed.
_TRANSLATIONS = {
    "required": _missing_fields,
    "additionalProperties": _unknown_fields,
    "type": _wrong_type,
    "enum": _not_allowed,
    "pattern": _wrong_form,
    "minItems": _item_count,
    "maxItems": _item_count,
    "minLength": _length,
    "maxLength": _length,
    "minimum": _out_of_bounds,
    "maximum": _out_of_bounds,
    "exclusiveMinimum": _out_of_bounds,
    "exclusiveMaximum": _out_of_bounds,
    "uniqueItems": _repeated,
    "maxProperties": _too_many_fields,
}


def _required_hint(name: str, schema: dict[str, Any]) -> str:
    prop = schema.get("properties", {}).get(name, {})
    description = prop.get("description", "")
    examples = prop.get("examples")
    hint = f"Add `{name}`: {description}" if description else f"Add `{name}`."
    if examples and not isinstance(examples[0], (dict, list)):
        hint += f" For example: `{name}: {examples[0]}`"
    return hint


def _pattern_hint(path: NodePath, schema: dict[str, Any]) -> str:
    name = next((part for part in reversed(path) if isinstance(part, str)), "")
    if schema.get("pattern", "").startswith("^[a-z0-9]+(?:-"):
        return "Use lowercase letters a-z, digits and single hyphens, like `cold-email-to-meeting`."
    if name in ("added", "updated"):
        return "Write the date as YYYY-MM-DD, e.g. 2026-11-23."
    if name == "period":
        return "Write the period as YYYY-MM/YYYY-MM, e.g. 2025-07/2025-09."
    if name in ("authors",) or (path and path[0] == "authors"):
        return "Write a GitHub handle without the @, e.g. octocat."
    examples = schema.get("examples")
    return f"Write it like `{examples[0]}`." if examples else "Rewrite the value in the expected form."
