"""Validation: the JSON Schema plus the checks a schema cannot express.

Every function returns *all* problems it finds, each located at the YAML node it
is about. Schema errors are translated into plain words with a stable code; the
cross-field and cross-file checks live beside them so one run reports everything.
"""

from __future__ import annotations

import calendar
import difflib
import itertools
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from .characters import bidi_formatting_at, character_name, looks_blank, misleading_link, source_position
from .loading import NodePath, SourceDocument
from .materials import (
    LIMITS,
    NAME,
    SUBJECT_CHANNELS,
    VARIABLE,
    fill,
    malformed_variable,
    not_a_list_line,
    placeholder_in,
)
from .problems import Problem
from .scaffold import PLACEHOLDERS, WINDOWS_DEVICE_NAME
from .schema_check import compile_schema_check

SCHEMA_NAMES = ("funnel", "stages", "journey", "report", "search-words")
_JSON_TYPES = {
    "string": "text",
    "array": "a list",
    "object": "a mapping of fields",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "empty",
}
_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# Markdown inline links and images `[text](target "title")`, reference definitions `[x]: target`, and autolinks `<scheme:...>`.
_MARKDOWN_TARGETS = re.compile(
    r"\]\(\s*<?(?P<inline>[^)\s>]+)|^\s{0,3}\[[^\]]+\]:\s*<?(?P<reference>\S+?)>?(?:\s|$)|<(?P<auto>[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^>\s]*)>",
    re.MULTILINE,
)
# What a Markdown link in an entry may point at: a web or mail address, an anchor, or a site path.
_LINK_TARGET = re.compile(r"(?:https?://|mailto:|#|/|\./|\.\./)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]+")
_MONTH = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?\Z")


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


def _field(node_path: Iterable[str | int], document: SourceDocument | None = None) -> str:
    """A path as a person reads it, counting list items from 1 as every other message does:
    "`conversion` of step 1" for ('steps', 0, 'conversion'), "`url` of source 2 in `evidence`",
    "step 3", "`summary`"."""
    path = tuple(node_path)
    last = max((i for i, part in enumerate(path) if isinstance(part, int)), default=None)
    if last is None:
        return f"`{display_path(path)}`"
    owner, rest = path[: last - 1] if last else (), path[last + 1 :]
    name = path[last - 1] if last else ""
    item = (
        f"{_ITEM_NAMES[name]} {path[last] + 1}"
        if name in _ITEM_NAMES
        else f"item {path[last] + 1} of `{name}`"
        if name
        else f"item {path[last] + 1}"
    )
    item_id = _get(document.data, *path[: last + 1], "id") if document is not None else None
    if isinstance(item_id, str) and _ID_SHOWN.fullmatch(item_id):
        item += f" `{item_id}`"  # "step 2 `first-touch`": the number and the id the contributor wrote
    text = f"`{display_path(rest)}` of {item}" if rest else item
    return f"{text} in {_field(owner, document)}" if owner else text


def _suggest(word: str, choices: Iterable[str]) -> str:
    match = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" Did you mean `{match[0]}`?" if match else ""


def _funnel_with_problems(document: SourceDocument, node_path: NodePath, funnel_id: str, path: str) -> Problem:
    """FL240: a reference to a funnel that exists but has problems of its own. Those are reported in
    its file; this entry only waits for them, so it is told where to look, with no guess at another id."""
    return Problem.at(
        document.path,
        document.position_of(node_path),
        "FL240",
        f"{_field(node_path, document)} is `{_short(funnel_id)}`, a funnel that has problems of its own in {path}; "
        "this entry is checked against it once they are fixed.",
        f"Fix the problems reported in {path}; nothing needs to change here.",
    )


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


def _short(value: Any, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@cache
def _quick_check(name: str):
    return compile_schema_check(load_schema(name))


def validate_against_schema(
    document: SourceDocument, schema_name: str, *, reported: Iterable[NodePath] = ()
) -> list[Problem]:
    """Every schema error in ``document``, translated and located.

    Errors about a node in ``reported`` (or one the loader reported) are left out: that node's
    problem was told already, and a second message about the same mistake only confuses.
    """
    if _quick_check(schema_name)(document.data):
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


# --- text every output can carry ------------------------------------------------


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


def _generic(path: NodePath) -> tuple[str, ...]:
    return tuple("*" if isinstance(part, int) else part for part in path)


def check_text(document: SourceDocument, schema_name: str) -> tuple[list[Problem], set[NodePath]]:
    """Text that validates by shape but that a page, a diagram or a label cannot show as written:
    bidirectional formatting characters (FL020), blank text, also text of characters that show
    nothing (FL220), and line breaks in a one-line field (FL219). Returns the problems and the
    nodes they are about.

    Only text outside ASCII, or that the loader marked untidy (blank, a line break, spaces
    around), can break a rule, so only that is looked at.
    """
    paragraphs = paragraph_fields(schema_name)
    problems: list[Problem] = []
    nodes: set[NodePath] = set()
    for path, text in _strings(document.data):
        if path in document.reported or not path or (text.isascii() and path not in document.untidy):
            continue
        if (index := bidi_formatting_at(text)) is not None:
            where = source_position(document.text, document.position_of(path), text[index])
            problems.append(
                Problem.at(
                    document.path,
                    where,
                    "FL020",
                    f"{_field(path, document)} holds {character_name(text[index])}, which reorders the text after it.",
                )
            )
        elif looks_blank(text):
            shown = sorted({f"U+{ord(character):04X}" for character in text if not character.isspace()})
            what = (
                "empty"
                if not text
                else "only spaces"
                if not shown
                else f"made only of characters that show nothing ({', '.join(shown[:4])})"
            )
            problems.append(
                Problem.at(document.path, document.position_of(path), "FL220", f"{_field(path, document)} is {what}.")
            )
        elif _generic(path) not in paragraphs and ("\n" in text or "\r" in text):
            problems.append(
                Problem.at(
                    document.path, document.position_of(path), "FL219", f"{_field(path, document)} holds a line break."
                )
            )
        else:
            continue
        nodes.add(path)
    problems.sort(key=lambda p: (p.line, p.column))
    return problems, nodes


def _strings(data: Any) -> list[tuple[NodePath, str]]:
    """Every text value in ``data`` with its path, without recursion."""
    found: list[tuple[NodePath, str]] = []
    pending: list[tuple[NodePath, Any]] = [((), data)]
    while pending:
        path, node = pending.pop()
        if isinstance(node, str):
            found.append((path, node))
        elif isinstance(node, dict):
            pending.extend((path + (key,), value) for key, value in node.items())
        elif isinstance(node, list):
            pending.extend((path + (index,), value) for index, value in enumerate(node))
    return found


def normalise_text(document: SourceDocument, schema_name: str) -> None:
    """Trim the spaces around every one-line text of ``document``'s data, in place: what pages,
    diagrams and exports all show. Paragraph fields keep their spacing, which Markdown gives
    meaning to. Only the values the loader marked untidy can need it."""
    paragraphs = paragraph_fields(schema_name)
    for path, text in document.untidy.items():
        if not path or _generic(path) in paragraphs:
            continue
        parent = _container_at(document.data, path[:-1])
        if (
            parent is not None and _holds(parent, path[-1]) and parent[path[-1]] is text
        ):  # still the value the loader placed
            parent[path[-1]] = text.strip()


def _holds(container: Any, part: Any) -> bool:
    if isinstance(container, dict):
        return part in container
    return isinstance(container, list) and isinstance(part, int) and 0 <= part < len(container)


def _container_at(data: Any, path: NodePath) -> Any:
    """The dict or list at ``path`` in ``data``, or None where the path leads nowhere (a value
    under a repeated key, which the loader reported and did not keep)."""
    for part in path:
        if not _holds(data, part):
            return None
        data = data[part]
    return data if isinstance(data, (dict, list)) else None


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
        return _field(self.path, self.document)

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
            else f"Remove it or fix its spelling.{_suggest(name, known)} Allowed here: {', '.join(known)}."
        )
        where = found.document.position_of(found.path + (name,), key=True)
        problems.append(
            Problem.at(
                found.document.path,
                where,
                "FL102",
                f"unknown field {_field(found.path + (name,), found.document)}"
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
    counted = _PEOPLE_COUNTED.get(found.path[-1]) if found.path else None
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
        f"{found.field} is `{_short(instance)}`, which is not one of the allowed values.",
        f"Use one of: {', '.join(allowed)}.{_suggest(instance, allowed)}",
    )


def _wrong_form(found: _SchemaError, instance: Any, _: Any) -> list[Problem]:
    return found.problem(
        "FL105",
        f"{found.field} `{_short(instance)}` is not in the expected form.",
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
            f"the name `{_short(name)}` in {found.field} is not in the expected form.",
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


# --- checks beyond the schema -------------------------------------------------


def _get(data: Any, *keys: str | int) -> Any:
    for key in keys:
        if isinstance(data, dict) and isinstance(key, str):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and key < len(data):
            data = data[key]
        else:
            return None
    return data


def _is_date(text: Any) -> date | None:
    if not isinstance(text, str):
        return None
    try:
        return date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        return None


def unsafe_scheme(url: str) -> str | None:
    """The scheme of ``url`` when it is neither http(s), mailto nor relative; else None.

    Control characters and whitespace are stripped first, as browsers do, so
    `java\\tscript:` is seen for what it is.
    """
    cleaned = _CONTROL.sub("", url)
    scheme = urlsplit(cleaned).scheme.lower() if ":" in cleaned.split("/", 1)[0] else ""
    if scheme and scheme not in _SAFE_SCHEMES:
        return scheme
    return None


def _id_problems(document: SourceDocument, file_stem: str) -> list[Problem]:
    """An entry's `id` is its file name (FL201), and a name every system can give a file (FL223)."""
    entry_id = _get(document.data, "id")
    if not isinstance(entry_id, str):
        return []
    problems = _reserved_name_problems(document, ("id",), entry_id)
    if entry_id != file_stem:
        problems.append(
            Problem.at(
                document.path,
                document.position_of(("id",)),
                "FL201",
                f"`id` is `{_short(entry_id)}` but the file is named `{file_stem}.yml`.",
            )
        )
    return problems


def _reserved_name_problems(
    document: SourceDocument, node_path: NodePath, name: str, *, names_files: bool = True
) -> list[Problem]:
    """FL223 when ``name`` is one of the device names Windows reserves."""
    if not WINDOWS_DEVICE_NAME.match(name):
        return []
    why = (
        f"ids name files and folders (`{name}.yml`, `diagrams/{name}.svg`), and Windows cannot create a file called "
        "CON, PRN, AUX, NUL, COM0-COM9 or LPT0-LPT9, whatever its extension, so nobody on Windows could check the library out."
        if names_files
        else "ids stay clear of the names Windows keeps for devices (CON, PRN, AUX, NUL, COM0-COM9, LPT0-LPT9), so that any id can name a file."
    )
    return [
        Problem.at(
            document.path,
            document.position_of(node_path),
            "FL223",
            f"{_field(node_path, document)} `{name}` is a name Windows reserves for a device.",
            f"Choose another id, e.g. `{name}-{'funnel' if names_files else 'stage'}`: {why}",
        )
    ]


def check_funnel(
    document: SourceDocument, *, file_stem: str, folder: str, stage_ids: tuple[str, ...] | None
) -> list[Problem]:
    """The funnel rules a schema cannot express. ``stage_ids`` are in journey order, None when stages failed to load."""
    data = document.data if isinstance(document.data, dict) else {}
    steps = data.get("steps") if isinstance(data.get("steps"), list) else []
    evidence = data.get("evidence") if isinstance(data.get("evidence"), dict) else {}
    step_problems, step_ids = _step_rules(document, steps)
    return [
        *_id_problems(document, file_stem),
        *_type_rules(document, data, folder),
        *step_problems,
        *_placeholder_rules(document, data),
        *_flow_rules(document, data, step_ids),
        *_step_reference_rules(document, data, step_ids),
        *_material_rules(document, data),
        *_stage_rules(document, data, stage_ids),
        *_evidence_rules(document, evidence, steps),
        *_date_rules(document, data),
    ]


def _at(document: SourceDocument, node_path: NodePath, code: str, message: str, hint: str | None = None) -> Problem:
    return Problem.at(document.path, document.position_of(node_path), code, message, hint)


def _type_rules(document: SourceDocument, data: dict, folder: str) -> list[Problem]:
    funnel_type = data.get("type")
    if isinstance(funnel_type, str) and funnel_type != folder:
        return [
            _at(
                document,
                ("type",),
                "FL202",
                f"`type` is `{_short(funnel_type)}` but the file is in the folder `{folder}`.",
            )
        ]
    return []


def _step_rules(document: SourceDocument, steps: list) -> tuple[list[Problem], dict[str, int]]:
    """Repeated step ids, and the links in each step; with the index of each step id."""
    problems: list[Problem] = []
    step_ids: dict[str, int] = {}
    for index, step in enumerate(steps):
        step_id = _get(step, "id")
        if not isinstance(step_id, str):
            continue
        if step_id in step_ids:
            problems.append(
                _at(
                    document,
                    ("steps", index, "id"),
                    "FL204",
                    f"step id `{step_id}` is already used by step {step_ids[step_id] + 1}.",
                )
            )
        else:
            step_ids[step_id] = index
        details = _get(step, "details")
        if isinstance(details, str):
            problems.extend(_markdown_link_problems(document, ("steps", index, "details"), details))
        url = _get(step, "benchmark", "url")
        if isinstance(url, str):
            problems.extend(_url_problems(document, ("steps", index, "benchmark", "url"), url))
    return problems, step_ids


def _placeholder_rules(document: SourceDocument, data: dict) -> list[Problem]:
    return [
        _at(
            document,
            node_path,
            "FL222",
            f"{_field(node_path, document)} is still the placeholder that `funnel-library new` wrote.",
            "Replace it with your own words; the entry format reference says what the field is for.",
        )
        for node_path, value in _prose(data)
        if isinstance(value, str) and value.strip() in PLACEHOLDERS
    ]


def _flow_rules(document: SourceDocument, data: dict, step_ids: dict[str, int]) -> list[Problem]:
    """Flows repeated exactly, and flow ends that name no step."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, flow in enumerate(data.get("flows") or [] if isinstance(data.get("flows"), list) else []):
        if isinstance(flow, dict):
            same = json.dumps([flow.get(name) for name in ("from", "to", "kind", "label", "share")], default=str)
            if same in seen:
                problems.append(
                    _at(
                        document,
                        ("flows", index),
                        "FL221",
                        f"flow {index + 1} repeats flow {seen[same] + 1}: the same steps, kind and label.",
                    )
                )
            seen.setdefault(same, index)
        for end in ("from", "to"):
            name = _get(flow, end)
            if isinstance(name, str) and name not in step_ids:
                hint = f"Use one of: {', '.join(step_ids)}.{_suggest(name, step_ids)}" if step_ids else None
                problems.append(
                    _at(
                        document,
                        ("flows", index, end),
                        "FL205",
                        f"flow {end} `{_short(name)}`: this funnel has no step with that id.",
                        hint,
                    )
                )
    return problems


def _step_reference_rules(document: SourceDocument, data: dict, step_ids: dict[str, int]) -> list[Problem]:
    """Materials and failure modes that name no step of the funnel (FL241)."""
    problems: list[Problem] = []
    for field, what in (("materials", "material"), ("failure_modes", "failure mode")):
        items = data.get(field) if isinstance(data.get(field), list) else []
        for index, item in enumerate(items):
            name = _get(item, "step")
            if isinstance(name, str) and step_ids and name not in step_ids:
                problems.append(
                    _at(
                        document,
                        (field, index, "step"),
                        "FL241",
                        f"{what} {index + 1} is for step `{_short(name)}`: this funnel has no step with that id.",
                        f"Use one of: {', '.join(step_ids)}.{_suggest(name, step_ids)}",
                    )
                )
    return problems


def _material_rules(document: SourceDocument, data: dict) -> list[Problem]:
    """Variables used and declared, lengths the channel allows, a subject only where one is sent,
    placeholders left in, checklists that are lists, links the page would drop (FL242-FL249)."""
    problems: list[Problem] = []
    meanings: dict[str, tuple[str, NodePath]] = {}
    items = data.get("materials") if isinstance(data.get("materials"), list) else []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        here: NodePath = ("materials", index)
        title = item.get("title")
        named = f"material {index + 1}" + (f" ({_short(title)!r})" if isinstance(title, str) else "")
        texts = [(here + (field,), item[field]) for field in ("subject", "text") if isinstance(item.get(field), str)]
        declared = item.get("variables") if isinstance(item.get("variables"), dict) else {}
        used: set[str] = set()
        for node_path, text in texts:
            field = node_path[-1]
            for match in VARIABLE.finditer(text):
                name = match[1]
                if name not in declared and name not in used:  # each missing name once, where it is first used
                    problems.append(
                        Problem.at(
                            document.path,
                            source_position(document.text, document.position_of(node_path), match[0]),
                            "FL242",
                            f"the {field} of {named} uses `{match[0]}`, which its `variables` do not declare.",
                            f"Declare it under `variables`: `{name}: {{fill: what to fill in, example: an example}}`."
                            + _suggest(name, declared),
                        )
                    )
                used.add(name)
            if (bad := malformed_variable(text)) is not None:
                problems.append(
                    Problem.at(
                        document.path,
                        source_position(document.text, document.position_of(node_path), bad),
                        "FL244",
                        f"the {field} of {named} writes `{_short(bad)}`, which is not a variable.",
                        "Write a variable as `{{name}}`: lowercase letters, digits and `_`, starting with a letter, "
                        "with no spaces inside the braces, e.g. `{{first_name}}`.",
                    )
                )
            elif (left := placeholder_in(text)) is not None:
                problems.append(
                    Problem.at(
                        document.path,
                        source_position(document.text, document.position_of(node_path), left),
                        "FL248",
                        f"the {field} of {named} still holds the placeholder `{_short(left)}`.",
                        "Write the text as it is sent; for what the team fills in, use a declared variable such as `{{first_name}}`.",
                    )
                )
        for name in declared:
            if (
                isinstance(name, str) and name not in used and NAME.match(name) and isinstance(item.get("text"), str)
            ):  # a name not in form is FL105 already
                problems.append(
                    Problem.at(
                        document.path,
                        document.position_of(here + ("variables", name), key=True),
                        "FL243",
                        f"{named} declares the variable `{name}`, which its subject and text never use.",
                        f"Use it as `{{{{{name}}}}}` in the text, or remove it from `variables`.",
                    )
                )
            value = declared.get(name)
            meaning = _get(value, "fill")
            if isinstance(name, str) and isinstance(meaning, str):
                first = meanings.setdefault(name, (meaning, here + ("variables", name, "fill")))
                if first[0].strip().lower() != meaning.strip().lower():
                    problems.append(
                        _at(
                            document,
                            here + ("variables", name, "fill"),
                            "FL245",
                            f"the variable `{name}` of {named} is filled with {meaning!r}, but line {document.position_of(first[1])[0]} "
                            f"fills it with {first[0]!r}.",
                            "A visitor fills each variable once for the whole page: give it the same `fill` everywhere, "
                            "or give a different value a different name.",
                        )
                    )
        problems.extend(_channel_rules(document, item, here, named, declared))
        text = item.get("text")
        if item.get("kind") == "checklist" and isinstance(text, str) and (line := not_a_list_line(text)) is not None:
            problems.append(
                Problem.at(
                    document.path,
                    source_position(document.text, document.position_of(here + ("text",)), line),
                    "FL249",
                    f"the checklist {named} has a line that is not an item: {_short(line)!r}.",
                    "Write a checklist as a list, one item per line: `- Confirm the budget holder`.",
                )
            )
        if isinstance(text, str):
            problems.extend(_markdown_link_problems(document, here + ("text",), text))
    return problems


def _channel_rules(document: SourceDocument, item: dict, here: NodePath, named: str, declared: dict) -> list[Problem]:
    problems: list[Problem] = []
    channel = item.get("channel")
    if isinstance(item.get("subject"), str) and isinstance(channel, str) and channel not in SUBJECT_CHANNELS:
        problems.append(
            _at(
                document,
                here + ("subject",),
                "FL247",
                f"{named} has a `subject`, but a message on the channel `{channel}` has no subject line.",
                f"Remove the subject, or use a channel that sends one: {', '.join(sorted(SUBJECT_CHANNELS))}.",
            )
        )
    examples = {
        name: str(_get(value, "example")) for name, value in declared.items() if isinstance(_get(value, "example"), str)
    }
    for limit in LIMITS.get(channel, ()) if isinstance(channel, str) else ():
        text = item.get(limit.field)
        if not isinstance(text, str):
            continue
        shown = fill(text.strip(), examples)
        if len(shown) > limit.characters:
            filled = " with each variable filled with its example" if shown != text.strip() else ""
            problems.append(
                _at(
                    document,
                    here + (limit.field,),
                    "FL246",
                    f"the {limit.field} of {named} is {len(shown):,} characters{filled}; {limit.rule}.",
                    f"Shorten it by {len(shown) - limit.characters:,} characters or more (source: {limit.source_title}, {limit.source_url}).",
                )
            )
    return problems


def _stage_rules(document: SourceDocument, data: dict, stage_ids: tuple[str, ...] | None) -> list[Problem]:
    problems = [
        _at(
            document,
            (end,),
            "FL207",
            f"`{end}` is `{_short(stage)}`, which is not a stage in library/stages.yml.",
            f"Use one of, in journey order: {', '.join(stage_ids)}.{_suggest(stage, stage_ids)}",
        )
        for end in ("input", "output")
        if isinstance(stage := data.get(end), str) and stage_ids is not None and stage not in stage_ids
    ]
    if isinstance(data.get("input"), str) and data.get("input") == data.get("output"):
        problems.append(
            _at(document, ("output",), "FL208", f"`input` and `output` are both `{_short(data['input'])}`.")
        )
    return problems


def _evidence_rules(document: SourceDocument, evidence: dict, steps: list) -> list[Problem]:
    """Source links, links in the notes, a benchmark without a source, and the period."""
    problems: list[Problem] = []
    sources = evidence.get("sources") if isinstance(evidence.get("sources"), list) else []
    for index, source in enumerate(sources):
        url = _get(source, "url")
        if isinstance(url, str):
            problems.extend(_url_problems(document, ("evidence", "sources", index, "url"), url))
    notes = evidence.get("notes")
    if isinstance(notes, str):
        problems.extend(_markdown_link_problems(document, ("evidence", "notes"), notes))
    level = evidence.get("level")  # `tested` needs a result report: the library checks that (FL230)
    supporting = [
        step
        for step in steps
        if isinstance(_get(step, "benchmark"), dict) and _get(step, "benchmark", "match") != "context"
    ]
    if level == "benchmark" and not sources and not supporting:
        context_only = any(isinstance(_get(step, "benchmark"), dict) for step in steps)
        problems.append(
            _at(
                document,
                ("evidence", "level"),
                "FL216",
                "evidence is `benchmark` but its steps' published figures are for context only, and the funnel names no source."
                if context_only
                else "evidence is `benchmark` but no source is named, for the funnel or for a step.",
            )
        )
    period = evidence.get("period")
    if isinstance(period, str) and "/" in period:
        problems.extend(_period_problems(document, ("evidence", "period"), period))
    return problems


def _date_rules(document: SourceDocument, data: dict) -> list[Problem]:
    problems: list[Problem] = []
    added = _checked_date(document, ("added",), data.get("added"), problems)
    updated = _checked_date(document, ("updated",), data.get("updated"), problems)
    if added and updated and updated < added:
        problems.append(_at(document, ("updated",), "FL211", f"`updated` ({updated}) is before `added` ({added})."))
    return problems


def _prose(data: dict) -> list[tuple[NodePath, Any]]:
    """The free-text fields of a funnel that the scaffold fills with placeholders."""
    fields: list[tuple[NodePath, Any]] = [(("summary",), data.get("summary")), (("goal",), data.get("goal"))]
    for index, step in enumerate(data.get("steps") if isinstance(data.get("steps"), list) else []):
        fields += [(("steps", index, name), _get(step, name)) for name in ("name", "owner", "details", "moves_on_when")]
    evidence = data.get("evidence") if isinstance(data.get("evidence"), dict) else {}
    fields.append((("evidence", "notes"), evidence.get("notes")))
    fit = data.get("fit") if isinstance(data.get("fit"), dict) else {}
    fields += [(("fit", name), fit.get(name)) for name in ("good_for", "not_for")]
    fields += [
        (("fit", "needs", index), need)
        for index, need in enumerate(fit.get("needs") if isinstance(fit.get("needs"), list) else [])
    ]
    fields += [
        (("fit", "effort", index, name), _get(effort, name))
        for index, effort in enumerate(fit.get("effort") if isinstance(fit.get("effort"), list) else [])
        for name in ("owner", "work")
    ]
    fields.append((("fit", "first_result", "what"), _get(fit, "first_result", "what")))
    for field, names in (("materials", ("title", "text")), ("failure_modes", ("problem", "sign", "fix"))):
        for index, item in enumerate(data.get(field) if isinstance(data.get(field), list) else []):
            fields += [((field, index, name), _get(item, name)) for name in names]
    return fields


def _checked_date(document: SourceDocument, node_path: NodePath, value: Any, problems: list[Problem]) -> date | None:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None  # the schema reports the form
    parsed = _is_date(value)
    if parsed is None:
        problems.append(
            Problem.at(
                document.path,
                document.position_of(node_path),
                "FL210",
                f"{_field(node_path, document)} `{value}` is not a date on the calendar.",
            )
        )
    return parsed


def _period_problems(document: SourceDocument, node_path: NodePath, period: str) -> list[Problem]:
    bounds = []
    for part, edge in zip(period.split("/", 1), ("first", "last")):
        match = _MONTH.match(part)
        if not match:
            return []  # the schema reports the form
        year, month, day = int(match[1]), int(match[2]), match[3]
        if year < 1 or not 1 <= month <= 12 or (day and not 1 <= int(day) <= calendar.monthrange(year, month)[1]):
            return [
                Problem.at(
                    document.path,
                    document.position_of(node_path),
                    "FL215",
                    f"`period` `{period}`: `{part}` is not a real month or date.",
                )
            ]
        last_day = calendar.monthrange(year, month)[1]
        bounds.append(date(year, month, int(day) if day else (1 if edge == "first" else last_day)))
    if bounds[0] > bounds[1]:
        return [
            Problem.at(
                document.path, document.position_of(node_path), "FL215", f"`period` `{period}` ends before it starts."
            )
        ]
    return []


def _url_problems(document: SourceDocument, node_path: NodePath, url: str) -> list[Problem]:
    cleaned = _CONTROL.sub("", url)
    parts = urlsplit(cleaned)
    if "\\" in url:  # browsers read it as a slash: `https://a.example\@b.example` is not what it seems
        return [
            Problem.at(
                document.path,
                document.position_of(node_path),
                "FL209",
                f"{_field(node_path, document)} `{_short(url, 60)}`: {misleading_link(url)}.",
                _CLEAN_LINK_HINT,
            )
        ]
    if parts.scheme.lower() in ("http", "https") and parts.netloc and cleaned == url.strip():
        return []
    return [
        Problem.at(
            document.path,
            document.position_of(node_path),
            "FL209",
            f"{_field(node_path, document)} `{_short(url, 60)}` is not an http(s) address.",
        )
    ]


def _markdown_link_problems(document: SourceDocument, node_path: NodePath, text: str) -> list[Problem]:
    """Links in Markdown that the renderer would drop, or that would lead elsewhere than they
    seem to: report them instead of losing them silently."""
    field = _field(node_path, document)
    problems = []
    told: set[str] = set()  # targets reported already, as written and as the renderer reads them
    for match in _MARKDOWN_TARGETS.finditer(text):
        target = match["inline"] or match["reference"] or match["auto"]
        found = _written_target_problem(field, target)
        if found:
            told |= {target, _MARKDOWN_ESCAPE.sub(r"\1", target)}
            problems.append(Problem.at(document.path, document.position_of(node_path), "FL209", *found))
    from .rich_text import lost_links  # Markdown and nh3 load only for text that holds a link

    for target, why in lost_links(text):
        if any(target.startswith(reported) for reported in told):
            continue  # the check above named it (it reads a target only up to a `)` or a space)
        told.add(target)
        problems.append(
            Problem.at(document.path, document.position_of(node_path), "FL209", *_lost_link_problem(field, target, why))
        )
    return problems


# A Markdown escape (`\\`, `\(`): the renderer reads the character after the backslash as itself.
_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _written_target_problem(field: str, target: str) -> tuple[str, str] | None:
    """The message and hint for a link target as written, or None when it may stand."""
    scheme = unsafe_scheme(target)
    if not scheme and not _LINK_TARGET.match(target):
        return (
            f"{field} links to `{_short(target)}`, which is neither a web address nor a path on this site.",
            "Write a full https:// address, or a site path starting with ../ or /. To show brackets as text, escape them: \\[like this\\].",
        )
    if scheme:
        return (
            f"{field} links to a `{scheme}:` address; only http(s), mailto and site-relative links are kept.",
            "Link to an https:// page instead, or remove the link.",
        )
    why = misleading_link(target)
    return (f"{field} links to `{_short(target)}`: {why}.", _CLEAN_LINK_HINT) if why else None


def _lost_link_problem(field: str, target: str, why: str) -> tuple[str, str]:
    """The message and hint for a link the rendered page would lose, show without text, or send elsewhere."""
    if why == "no text":
        return f"{field} has a link to `{_short(target)}` that would show no text.", _LINK_FORM_HINT
    if why == "removed":
        return f"{field} links to `{_short(target)}`, which the page cannot keep as a link.", _LINK_FORM_HINT
    return (
        f"{field} links to `{_short(target)}`: {why}.",
        _CLEAN_LINK_HINT,
    )  # kept by the sanitizer, but it leads elsewhere


_CLEAN_LINK_HINT = (
    "Write a full https:// address, or a site path that starts with a single / (or ../) and uses forward "
    "slashes only, with no spaces."
)
_LINK_FORM_HINT = (
    "Write a link as [its text](https://example.org/page): a full address with no spaces or quotes, "
    "a label in the brackets, and its `[label]: address` line at the start of a line, outside lists and quotes."
)


def check_stages(document: SourceDocument) -> list[Problem]:
    """Stage ids are unique."""
    problems = []
    seen: dict[str, int] = {}
    stages = _get(document.data, "stages")
    for index, stage in enumerate(stages if isinstance(stages, list) else []):
        stage_id = _get(stage, "id")
        if not isinstance(stage_id, str):
            continue
        problems.extend(_reserved_name_problems(document, ("stages", index, "id"), stage_id, names_files=False))
        if stage_id in seen:
            problems.append(
                Problem.at(
                    document.path,
                    document.position_of(("stages", index, "id")),
                    "FL203",
                    f"stage id `{stage_id}` is already used by stage {seen[stage_id] + 1}.",
                )
            )
        seen.setdefault(stage_id, index)
    return problems


def check_journey(
    document: SourceDocument,
    *,
    file_stem: str,
    funnel_stages: dict[str, tuple[str, str]],
    broken_funnels: dict[str, str] | None = None,
) -> list[Problem]:
    """A journey's funnels exist and chain: each output is the next input.

    ``funnel_stages`` maps each loaded funnel id to its (input, output); ``broken_funnels`` each
    funnel that has problems of its own to its file.
    """
    data = document.data if isinstance(document.data, dict) else {}
    at = document.path
    problems: list[Problem] = _id_problems(document, file_stem)
    summary = data.get("summary")
    if isinstance(summary, str) and summary.strip() in PLACEHOLDERS:
        problems.append(
            Problem.at(
                at,
                document.position_of(("summary",)),
                "FL222",
                "`summary` is still the placeholder that `funnel-library new` wrote.",
                "Replace it with your own words; the entry format reference says what the field is for.",
            )
        )
    funnels = data.get("funnels") if isinstance(data.get("funnels"), list) else []
    chain: list[tuple[int, str]] = []
    for index, funnel_id in enumerate(funnels):
        if not isinstance(funnel_id, str):
            continue
        if funnel_id not in funnel_stages and funnel_id in (broken_funnels or {}):
            problems.append(
                _funnel_with_problems(document, ("funnels", index), funnel_id, (broken_funnels or {})[funnel_id])
            )
            chain.append((index, ""))
        elif funnel_id not in funnel_stages:
            problems.append(
                Problem.at(
                    at,
                    document.position_of(("funnels", index)),
                    "FL214",
                    f"{_field(('funnels', index), document)} is `{_short(funnel_id)}`, which is not a valid funnel in the library.",
                    f"Use the id of a funnel in library/funnels/.{_suggest(funnel_id, funnel_stages)}",
                )
            )
            chain.append((index, ""))
        else:
            chain.append((index, funnel_id))
    for (_, previous), (index, current) in itertools.pairwise(chain):
        if previous and current and funnel_stages[previous][1] != funnel_stages[current][0]:
            problems.append(
                Problem.at(
                    at,
                    document.position_of(("funnels", index)),
                    "FL213",
                    f"`{previous}` ends at stage `{funnel_stages[previous][1]}` but `{current}` starts at `{funnel_stages[current][0]}`.",
                )
            )
    if data.get("loop") is True and chain and chain[0][1] and chain[-1][1]:
        first, last = chain[0][1], chain[-1][1]
        if funnel_stages[last][1] != funnel_stages[first][0]:
            problems.append(
                Problem.at(
                    at,
                    document.position_of(("loop",)),
                    "FL218",
                    f"`loop` is true but `{last}` ends at `{funnel_stages[last][1]}` while `{first}` starts at `{funnel_stages[first][0]}`.",
                )
            )
    return problems


def check_report(
    document: SourceDocument,
    *,
    file_stem: str,
    folder: str,
    funnels: dict[str, Any],
    broken_funnels: dict[str, str] | None = None,
) -> list[Problem]:
    """A result report's rules beyond the schema: its funnel exists, its steps are that funnel's,
    and its counts are possible.

    ``funnels`` maps each valid funnel's id to its record (anything with ``steps`` and ``flows``);
    ``broken_funnels`` each funnel that has problems of its own to its file.
    """
    data = document.data if isinstance(document.data, dict) else {}
    problems: list[Problem] = _id_problems(document, file_stem)

    def report(node_path: NodePath, code: str, message: str, hint: str | None = None) -> None:
        problems.append(Problem.at(document.path, document.position_of(node_path), code, message, hint))

    period = data.get("period")
    if isinstance(period, str) and "/" in period:
        problems.extend(_period_problems(document, ("period",), period))
    _checked_date(document, ("added",), data.get("added"), problems)
    url = _get(data, "source", "url")
    if isinstance(url, str):
        problems.extend(_url_problems(document, ("source", "url"), url))
    notes = _get(data, "context", "notes")
    if isinstance(notes, str):
        problems.extend(_markdown_link_problems(document, ("context", "notes"), notes))
    segment = _get(data, "context", "segment")
    if isinstance(segment, str) and segment.strip() in PLACEHOLDERS:
        report(
            ("context", "segment"),
            "FL222",
            "`context.segment` is still the placeholder that `funnel-library new` wrote.",
            "Say who the people were: market, company size, role.",
        )

    funnel_id = data.get("funnel")
    if not isinstance(funnel_id, str):
        return problems
    if funnel_id != folder:
        report(
            ("funnel",),
            "FL232",
            f"`funnel` is `{_short(funnel_id)}` but the file is in the folder `library/results/{folder}/`.",
            f"Move the file to library/results/{funnel_id}/, or fix `funnel`.",
        )
    funnel = funnels.get(funnel_id)
    if funnel is None and funnel_id in (broken_funnels or {}):
        problems.append(_funnel_with_problems(document, ("funnel",), funnel_id, (broken_funnels or {})[funnel_id]))
        return problems
    if funnel is None:
        report(
            ("funnel",),
            "FL231",
            f"`funnel` is `{_short(funnel_id)}`, which is not a valid funnel in the library.",
            f"Use the id of a funnel in library/funnels/.{_suggest(funnel_id, funnels)}",
        )
        return problems
    problems.extend(_count_problems(document, funnel))
    return problems


def _count_problems(document: SourceDocument, funnel: Any) -> list[Problem]:
    """The report's steps are the funnel's, in its order, and their counts can all be true at once."""
    steps = _get(document.data, "steps")
    order = [step.id for step in funnel.steps]
    named = ", ".join(f"`{step_id}`" for step_id in order)
    problems, seen, counted = _counted_steps(document, funnel, steps if isinstance(steps, list) else [], order)
    missing = [step_id for step_id in order if step_id not in seen]
    if missing and not problems:
        problems.append(
            Problem.at(
                document.path,
                document.position_of(("steps",)),
                "FL235",
                f"{'step' if len(missing) == 1 else 'steps'} {', '.join(f'`{m}`' for m in missing)} of `{funnel.id}` "
                f"{'has' if len(missing) == 1 else 'have'} no counts.",
                f"Give counts for every step of the funnel, in its order: {named}.",
            )
        )
    if problems or missing:
        return problems
    if [position for position, *_ in counted] != sorted(position for position, *_ in counted):
        return [
            Problem.at(
                document.path,
                document.position_of(("steps",)),
                "FL236",
                "the steps are not in the funnel's order.",
                f"List them as the funnel does: {named}.",
            )
        ]
    return _flow_problems(document, funnel, counted)


def _whole(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value else None


def _counted_steps(document: SourceDocument, funnel: Any, steps: list, order: list[str]):
    """Unknown and repeated steps, and more moving on than entering; with the index of each
    step counted, and (position in funnel, index in report, entered, moved on) of each."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    counted: list[tuple[int, int, int | None, int | None]] = []
    for index, item in enumerate(steps):
        step_id = _get(item, "step")
        if not isinstance(step_id, str):
            continue
        where = document.position_of(("steps", index, "step"))
        if step_id not in order:
            problems.append(
                Problem.at(
                    document.path,
                    where,
                    "FL233",
                    f"{_field(('steps', index, 'step'), document)} is `{_short(step_id)}`: "
                    f"the funnel `{funnel.id}` has no step with that id.",
                    f"Use one of: {', '.join(order)}.{_suggest(step_id, order)}",
                )
            )
        elif step_id in seen:
            problems.append(
                Problem.at(
                    document.path,
                    where,
                    "FL234",
                    f"step `{step_id}` is counted twice (also at step {seen[step_id] + 1} of the report).",
                    "Count each step once: add the two counts together, or report the periods separately.",
                )
            )
        else:
            seen[step_id] = index
            entered, moved_on = _whole(_get(item, "entered")), _whole(_get(item, "moved_on"))
            counted.append((order.index(step_id), index, entered, moved_on))
            if entered is not None and moved_on is not None and moved_on > entered:
                problems.append(
                    Problem.at(
                        document.path,
                        document.position_of(("steps", index, "moved_on")),
                        "FL237",
                        f"`moved_on` is {moved_on:,} but only {entered:,} entered step `{step_id}`.",
                        "Nobody moves on without entering: check both counts.",
                    )
                )
    return problems, seen, counted


def _flow_problems(
    document: SourceDocument, funnel: Any, counted: list[tuple[int, int, int | None, int | None]]
) -> list[Problem]:
    """Everyone who moves on from one step enters the next, unless a declared flow leaves the
    first or arrives at the second: then the counts may differ, and are not compared."""
    at = document.path
    problems: list[Problem] = []
    leaving = {flow.source for flow in funnel.flows}
    arriving = {flow.target for flow in funnel.flows}
    for (position, _, _, moved_on), (_, index, entered, _) in itertools.pairwise(counted):
        here, after = funnel.steps[position], funnel.steps[position + 1]
        if moved_on is None or entered is None or here.id in leaving or after.id in arriving:
            continue
        if entered != moved_on:
            problems.append(
                Problem.at(
                    at,
                    document.position_of(("steps", index, "entered")),
                    "FL238",
                    f"{entered:,} entered step {position + 2} `{after.id}`, but {moved_on:,} moved on from step {position + 1} `{here.id}`.",
                    "The funnel declares no loop, skip or fall-back between them, so everyone who moves on "
                    "from one enters the next: the two counts must be equal.",
                )
            )
    first_entered, last_moved = counted[0][2], counted[-1][3]
    if first_entered == 0:
        problems.append(
            Problem.at(
                at,
                document.position_of(("steps", counted[0][1], "entered")),
                "FL239",
                "nobody entered the first step, so the report measures nothing.",
                "Report a period in which people went through the funnel.",
            )
        )
    elif first_entered is not None and last_moved is not None and last_moved > first_entered:
        problems.append(
            Problem.at(
                at,
                document.position_of(("steps", counted[-1][1], "moved_on")),
                "FL239",
                f"{last_moved:,} reached the goal, more than the {first_entered:,} who entered the first step.",
                "Count people, not visits: someone who goes round a loop twice still counts once.",
            )
        )
    return problems
